#include "html_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../export/png.h"
#include "../fonts/page_fonts.h"
#include "../web/pagedata.h"

#ifdef HV_HAVE_WEB_PLAYER
#include "web_player.h" /* generated: the player page built by emscripten (src/web) */
#endif

static int fail(int code, const hv_error *err)
{
    fprintf(stderr, "headviz: %s\n", err->msg);
    return code;
}

#ifdef HV_HAVE_WEB_PLAYER
/* s with & < > " escaped for HTML text, appended to out (size bytes). */
static void html_escape(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (; *s && o + 7 < size; s++) {
        const char *e = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : *s == '"' ? "&quot;" : NULL;
        if (e) {
            memcpy(out + o, e, strlen(e));
            o += strlen(e);
        } else {
            out[o++] = *s;
        }
    }
    out[o] = '\0';
}

/* the index of the name in names that tmpl holds at p (before end), or -1 */
static int name_at(const char *p, const char *end, const char *const *names, int n)
{
    if (*p != '@' || p + 1 >= end || p[1] != '@')
        return -1;
    for (int i = 0; i < n; i++)
        if ((size_t)(end - p) >= strlen(names[i]) && memcmp(p, names[i], strlen(names[i])) == 0)
            return i;
    return -1;
}

/* template with each "@@NAME@@" in names replaced by values[i]: malloc'd.
 * A name may be there several times (the title is): counted first. */
static char *fill(const char *tmpl, size_t tlen, const char *const *names, const char *const *values, int n,
                  size_t *len)
{
    const char *end = tmpl + tlen;
    size_t total = 1;
    for (const char *p = tmpl; p < end;) {
        int hit = name_at(p, end, names, n);
        total += hit >= 0 ? strlen(values[hit]) : 1;
        p += hit >= 0 ? strlen(names[hit]) : 1;
    }
    char *out = malloc(total), *o = out;
    if (!out)
        return NULL;
    for (const char *p = tmpl; p < end;) {
        int hit = name_at(p, end, names, n);
        if (hit >= 0) {
            size_t vl = strlen(values[hit]);
            memcpy(o, values[hit], vl);
            o += vl;
            p += strlen(names[hit]);
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    *len = (size_t)(o - out);
    return out;
}

/* The part of the template between its fragment marks (the figure's
 * element, its style, data and script), or NULL. */
static const char *fragment_of(const char *tmpl, size_t tlen, size_t *len)
{
    static const char mark_b[] = "<!--headviz-fragment-->\n", mark_e[] = "<!--/headviz-fragment-->";
    const char *b = strstr(tmpl, mark_b);
    const char *e = b ? strstr(b, mark_e) : NULL;
    if (!e || (size_t)(e - tmpl) > tlen)
        return NULL;
    b += sizeof mark_b - 1;
    *len = (size_t)(e - b);
    return b;
}

#endif

int hv_app_html(hv_app *a)
{
    hv_error err = {""};
    const char *path = a->opt.html;
    bool fragment = a->opt.html_fragment;
    const char *opt = fragment ? "--html-fragment" : "--html";
    const char *what = fragment ? "an HTML fragment" : "a web page";
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (!hv_is_stream(path) && (!dot || dot == base || (strcasecmp(dot, ".html") != 0 && strcasecmp(dot, ".htm") != 0))) {
        if (!dot || dot == base)
            hv_errorf(&err, "%s %s: no file extension: %s is FILE.html", opt, path, what);
        else
            hv_errorf(&err, "%s %s: unknown format \"%s\" (%s is FILE.html or FILE.htm)", opt, path, dot, what);
        return fail(HV_EXIT_USAGE, &err);
    }
#ifndef HV_HAVE_WEB_PLAYER
    hv_errorf(&err, "%s: this headviz was built without the web player; rebuild it with Debian's emscripten "
                    "installed (apt install emscripten)", opt);
    return fail(HV_EXIT_RUNTIME, &err);
#else
    const char *tmpl = hv_web_player;
    size_t tlen = hv_web_player_len;
    if (fragment && !(tmpl = fragment_of(hv_web_player, hv_web_player_len, &tlen))) {
        hv_errorf(&err, "%s: the web player built into this headviz has no fragment marks", opt);
        return fail(HV_EXIT_RUNTIME, &err);
    }
    if (!hv_is_stream(path))
        hv_remove_stale_temps(path, false);
    if (!hv_check_output(path, a->opt.force, &err))
        return fail(hv_error_exit_code(&err), &err);
    hv_page_opts po = {0};
    po.layout = a->view.aopt.layout;
    po.match = a->view.aopt.match;
    po.easing = a->view.aopt.easing;
    po.stagger = a->view.aopt.stagger;
    po.hold = a->view.tl.hold;
    po.transition = a->view.tl.transition;
    po.theme = a->opt.theme;
    po.context_id = a->context_id;
    po.font_scale = a->view.font_scale;
    po.legend = a->view.legend;
    po.loop = a->opt.loop;
    po.rank_abs = a->view.rank_abs;
    po.top = a->opt.top >= 0 ? a->opt.top : a->spec.top >= 0 ? a->spec.top : 10;
    po.progress = a->opt.progress_set ? a->opt.progress : 0;
    char *data = NULL;
    size_t data_len = 0;
    if (!hv_page_write(&a->view.all, &a->spec, &po, &data, &data_len, &err))
        return fail(HV_EXIT_RUNTIME, &err);
    /* the characters of its strings the page's font lacks: fallback fonts
     * cut to them, carried in the data (none for Latin text) */
    hv_page_fonts pf;
    if (!hv_page_fonts_make(data, hv_web_page_font, hv_web_page_font_len, &pf, &err)) {
        free(data);
        return fail(HV_EXIT_RUNTIME, &err);
    }
    if (pf.n > 0) {
        for (int i = 0; i < pf.n; i++)
            po.fonts[i] = (hv_page_font){pf.f[i].data, pf.f[i].len};
        po.n_fonts = pf.n;
        free(data);
        data = NULL;
        bool wrote = hv_page_write(&a->view.all, &a->spec, &po, &data, &data_len, &err);
        hv_page_fonts_free(&pf);
        if (!wrote)
            return fail(HV_EXIT_RUNTIME, &err);
    }
    /* the page's title: the figure's first condition title, else "headviz" */
    char title[HV_TEXT_MAX], esc[HV_TEXT_MAX * 6];
    snprintf(title, sizeof title, "%s", a->view.fig.conds[0].title[0] ? a->view.fig.conds[0].title : "headviz");
    html_escape(title, esc, sizeof esc);
    /* a page of its own: the ids its tests and embedders know, every key
     * its figure's; a fragment: no id (it may stand several times on a
     * page), keys for the figure with the focus or the mouse */
    const char *names[5] = {"@@HEADVIZ_DATA@@", "@@HEADVIZ_TITLE@@", "@@HEADVIZ_FIGURE_ID@@", "@@HEADVIZ_DATA_ID@@",
                            "@@HEADVIZ_KEYS@@"};
    const char *values[5] = {data, esc, fragment ? "" : " id=\"headviz-figure\"", fragment ? "" : " id=\"headviz-data\"",
                             fragment ? "focus" : "page"};
    size_t len = 0;
    char *page = fill(tmpl, tlen, names, values, 5, &len);
    free(data);
    if (!page) {
        hv_errorf(&err, "%s: out of memory", path);
        return fail(HV_EXIT_RUNTIME, &err);
    }
    bool ok = hv_write_file_atomic(path, page, len, a->opt.force, &err);
    free(page);
    if (!ok)
        return fail(hv_error_exit_code(&err), &err);
    if (!hv_is_stream(path))
        printf("%s (%zu KB, %s)\n", path, (len + 1023) / 1024,
               fragment ? "an HTML fragment: paste or include it in a page, with others" : "one self-contained page");
    return 0;
#endif
}
