#include "pagedata.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ----------------------------------------------------------------- */

/* "\t" then s escaped */
static void put_str(hv_strbuf *b, const char *s)
{
    hv_strbuf_put(b, "\t", 1);
    for (; *s; s++) {
        const char *e = NULL;
        switch (*s) {
        case '\\': e = "\\\\"; break;
        case '\t': e = "\\t"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '<': e = "\\l"; break;
        default: break;
        }
        if (e)
            hv_strbuf_put(b, e, 2);
        else
            hv_strbuf_put(b, s, 1);
    }
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void put_base64(hv_strbuf *b, const unsigned char *p, size_t n)
{
    char q[4];
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        q[0] = B64[v >> 18];
        q[1] = B64[(v >> 12) & 63];
        q[2] = i + 1 < n ? B64[(v >> 6) & 63] : '=';
        q[3] = i + 2 < n ? B64[v & 63] : '=';
        hv_strbuf_put(b, q, 4);
    }
}

static void put_num(hv_strbuf *b, double v) { hv_strbuf_printf(b, "\t%.17g", v); }

static void put_range(hv_strbuf *b, const char *key, const hv_range *r)
{
    hv_strbuf_printf(b, "%s\t%d", key, r->set ? 1 : 0);
    put_num(b, r->lo);
    put_num(b, r->hi);
    hv_strbuf_put(b, "\n", 1);
}

static void put_ticks(hv_strbuf *b, const char *key, const hv_ticks *t)
{
    hv_strbuf_printf(b, "%s\t%d", key, t->set ? 1 : 0);
    put_num(b, t->first);
    put_num(b, t->last);
    put_num(b, t->step);
    hv_strbuf_put(b, "\n", 1);
}

bool hv_page_write(const hv_dataset *all, const hv_spec *spec, const hv_page_opts *o, char **out, size_t *len,
                   hv_error *err)
{
    hv_strbuf b = {0};
    hv_strbuf_put(&b, "headviz-page 1\n", 15);
    hv_strbuf_printf(&b, "opt\t%d\t%d\t%d", o->layout, o->match, o->easing);
    put_num(&b, o->stagger);
    put_num(&b, o->hold);
    put_num(&b, o->transition);
    hv_strbuf_printf(&b, "\t%d\t%d", o->theme, o->context_id);
    put_num(&b, o->font_scale);
    hv_strbuf_printf(&b, "\t%d\t%d\t%d\t%d", o->legend, o->loop ? 1 : 0, o->rank_abs ? 1 : 0, o->top);
    put_num(&b, o->progress);
    hv_strbuf_put(&b, "\n", 1);
    /* the spec: what hv_figure_prepare reads (the score files are resolved) */
    const struct {
        const char *key;
        const char *v;
    } strs[] = {{"title", spec->title},           {"xlabel", spec->xlabel},    {"ylabel", spec->ylabel},
                {"cbar_label", spec->cbar_label}, {"colormap", spec->colormap}};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        hv_strbuf_put(&b, strs[i].key, strlen(strs[i].key));
        put_str(&b, strs[i].v);
        hv_strbuf_put(&b, "\n", 1);
    }
    put_range(&b, "xlim", &spec->xlim);
    put_range(&b, "ylim", &spec->ylim);
    put_ticks(&b, "xticks", &spec->xticks);
    put_ticks(&b, "yticks", &spec->yticks);
    hv_strbuf_put(&b, "figure", 6);
    put_num(&b, spec->marker_scale);
    hv_strbuf_printf(&b, "\t%d\t%d", spec->legend, spec->context);
    put_num(&b, spec->font_scale);
    hv_strbuf_printf(&b, "\t%d\t%d\t%d\t%d\t%d", spec->share_axes ? 1 : 0, spec->colormap_set ? 1 : 0, spec->top,
         spec->rank_by_abs, spec->center_set ? 1 : 0);
    put_num(&b, spec->center);
    hv_strbuf_printf(&b, "\t%d\t%d\t%d\t%d\t%d\n", spec->kv_heads, spec->colorbar, spec->orientation, spec->reveal,
                     spec->facets);
    for (int c = 0; c < spec->n_conds; c++) {
        const hv_cond_spec *cs = &spec->conds[c];
        hv_strbuf_put(&b, "cond_spec", 9);
        put_str(&b, cs->name);
        put_str(&b, cs->title);
        hv_strbuf_printf(&b, "\t%d", cs->range.set ? 1 : 0);
        put_num(&b, cs->range.lo);
        put_num(&b, cs->range.hi);
        hv_strbuf_printf(&b, "\t%d", cs->ticks.set ? 1 : 0);
        put_num(&b, cs->ticks.first);
        put_num(&b, cs->ticks.last);
        put_num(&b, cs->ticks.step);
        hv_strbuf_put(&b, "\n", 1);
    }
    for (int m = 0; m < spec->n_models; m++) {
        const hv_model_spec *ms = &spec->models[m];
        hv_strbuf_put(&b, "model_spec", 10);
        put_str(&b, ms->name);
        put_str(&b, ms->label);
        hv_strbuf_printf(&b, "\t%d\t%d", ms->shape, ms->color_set ? 1 : 0);
        for (int k = 0; k < 3; k++)
            put_num(&b, ms->color[k]);
        hv_strbuf_printf(&b, "\t%d\n", ms->kv_heads);
    }
    /* the data: every scored head */
    for (int m = 0; m < all->n_models; m++) {
        hv_strbuf_put(&b, "model", 5);
        put_str(&b, all->models[m]);
        hv_strbuf_printf(&b, "\t%d\t%d\n", all->layers[m], all->heads[m]);
    }
    for (int c = 0; c < all->n_conditions; c++) {
        hv_strbuf_put(&b, "condition", 9);
        put_str(&b, all->conditions[c]);
        hv_strbuf_put(&b, "\n", 1);
    }
    for (int m = 0; m < all->n_models; m++)
        for (int c = 0; c < all->n_conditions; c++)
            if (all->full[m][c])
                hv_strbuf_printf(&b, "full\t%d\t%d\n", m, c);
    for (int s = 0; s < all->n_sources; s++) {
        /* only the file's name: the page shows no paths of the machine */
        const char *slash = strrchr(all->sources[s], '/');
        hv_strbuf_put(&b, "source", 6);
        put_str(&b, slash ? slash + 1 : all->sources[s]);
        hv_strbuf_put(&b, "\n", 1);
    }
    for (int i = 0; i < all->n_points; i++) {
        const hv_point *p = &all->points[i];
        hv_strbuf_printf(&b, "p\t%d\t%d\t%d\t%d\t%.17g\t%d\t%d\n", p->model, p->condition, p->layer, p->head, p->score, p->line,
             p->source);
    }
    for (int f = 0; f < o->n_fonts; f++) {
        hv_strbuf_put(&b, "font\t", 5);
        put_base64(&b, o->fonts[f].data, o->fonts[f].len);
        hv_strbuf_put(&b, "\n", 1);
    }
    hv_strbuf_put(&b, "end\n", 4);
    if (b.oom) {
        free(b.p);
        return hv_errorf(err, "out of memory writing the page's data");
    }
    *out = b.p;
    *len = b.n;
    return true;
}

/* ---- reading ----------------------------------------------------------------- */

#define MAX_FIELDS 24

/* Splits line (modified in place) into unescaped fields. */
static int split(char *line, char **f)
{
    int n = 0;
    char *s = line;
    for (;;) {
        if (n == MAX_FIELDS)
            return n;
        f[n++] = s;
        char *w = s;
        while (*s && *s != '\t') {
            if (*s == '\\' && s[1]) {
                s++;
                *w++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 'l' ? '<' : *s;
                s++;
            } else {
                *w++ = *s++;
            }
        }
        bool more = *s == '\t';
        *w = '\0';
        if (!more)
            return n;
        s++;
    }
}

static double num(const char *s) { return strtod(s, NULL); }
static int inum(const char *s) { return (int)strtol(s, NULL, 10); }

static void copy(char *dst, size_t size, const char *s) { snprintf(dst, size, "%s", s); }

/* s's base64 decoded: malloc'd; false on a character outside the alphabet
 * or a length that is not a multiple of 4 */
static bool base64(const char *s, unsigned char **out, size_t *len)
{
    size_t n = strlen(s);
    if (n == 0 || n % 4)
        return false;
    unsigned char *p = malloc(n / 4 * 3), *o = p;
    if (!p)
        return false;
    for (size_t i = 0; i < n; i += 4) {
        unsigned v = 0;
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            char c = s[i + (size_t)k];
            const char *at = c ? strchr(B64, c) : NULL;
            if (c == '=' && i + 4 == n && k >= 2 && (k == 3 || s[i + 3] == '=')) {
                pad++;
                v <<= 6;
            } else if (at && !pad) {
                v = v << 6 | (unsigned)(at - B64);
            } else {
                free(p);
                return false;
            }
        }
        *o++ = (unsigned char)(v >> 16);
        if (pad < 2)
            *o++ = (unsigned char)(v >> 8);
        if (pad < 1)
            *o++ = (unsigned char)v;
    }
    *out = p;
    *len = (size_t)(o - p);
    return true;
}

static bool read_line(char **f, int n, int lineno, hv_dataset *ds, hv_spec *spec, hv_page_opts *o, hv_error *err)
{
    const char *k = f[0];
#define NEED(c)                                                                                                       \
    do {                                                                                                              \
        if (n < (c))                                                                                                  \
            return hv_errorf(err, "page data:%d: %s: %d fields, expected %d", lineno, k, n, (c));                     \
    } while (0)
    if (strcmp(k, "opt") == 0) {
        NEED(15);
        o->layout = inum(f[1]);
        o->match = inum(f[2]);
        o->easing = inum(f[3]);
        o->stagger = num(f[4]);
        o->hold = num(f[5]);
        o->transition = num(f[6]);
        o->theme = inum(f[7]);
        o->context_id = inum(f[8]);
        o->font_scale = (float)num(f[9]);
        o->legend = inum(f[10]);
        o->loop = inum(f[11]) != 0;
        o->rank_abs = inum(f[12]) != 0;
        o->top = inum(f[13]);
        o->progress = num(f[14]);
    } else if (strcmp(k, "title") == 0 && n >= 2) {
        copy(spec->title, sizeof spec->title, f[1]);
    } else if (strcmp(k, "xlabel") == 0 && n >= 2) {
        copy(spec->xlabel, sizeof spec->xlabel, f[1]);
    } else if (strcmp(k, "ylabel") == 0 && n >= 2) {
        copy(spec->ylabel, sizeof spec->ylabel, f[1]);
    } else if (strcmp(k, "cbar_label") == 0 && n >= 2) {
        copy(spec->cbar_label, sizeof spec->cbar_label, f[1]);
    } else if (strcmp(k, "colormap") == 0 && n >= 2) {
        copy(spec->colormap, sizeof spec->colormap, f[1]);
    } else if (strcmp(k, "xlim") == 0 || strcmp(k, "ylim") == 0) {
        NEED(4);
        hv_range *r = k[0] == 'x' ? &spec->xlim : &spec->ylim;
        *r = (hv_range){inum(f[1]) != 0, num(f[2]), num(f[3])};
    } else if (strcmp(k, "xticks") == 0 || strcmp(k, "yticks") == 0) {
        NEED(5);
        hv_ticks *t = k[0] == 'x' ? &spec->xticks : &spec->yticks;
        *t = (hv_ticks){inum(f[1]) != 0, num(f[2]), num(f[3]), num(f[4])};
    } else if (strcmp(k, "figure") == 0) {
        NEED(16);
        spec->marker_scale = num(f[1]);
        spec->legend = inum(f[2]);
        spec->context = inum(f[3]);
        spec->font_scale = num(f[4]);
        spec->share_axes = inum(f[5]) != 0;
        spec->colormap_set = inum(f[6]) != 0;
        spec->top = inum(f[7]);
        spec->rank_by_abs = inum(f[8]);
        spec->center_set = inum(f[9]) != 0;
        spec->center = num(f[10]);
        spec->kv_heads = inum(f[11]);
        spec->colorbar = inum(f[12]);
        spec->orientation = inum(f[13]);
        spec->reveal = inum(f[14]);
        spec->facets = inum(f[15]);
        if (spec->facets < HV_FACETS_AUTO || spec->facets > HV_FACETS_COLUMNS)
            return hv_errorf(err, "page data:%d: facets %d out of range", lineno, spec->facets);
    } else if (strcmp(k, "cond_spec") == 0) {
        NEED(10);
        if (spec->n_conds >= HV_MAX_CONDITIONS)
            return hv_errorf(err, "page data:%d: too many conditions", lineno);
        hv_cond_spec *cs = &spec->conds[spec->n_conds++];
        copy(cs->name, sizeof cs->name, f[1]);
        copy(cs->title, sizeof cs->title, f[2]);
        cs->range = (hv_range){inum(f[3]) != 0, num(f[4]), num(f[5])};
        cs->ticks = (hv_ticks){inum(f[6]) != 0, num(f[7]), num(f[8]), num(f[9])};
    } else if (strcmp(k, "model_spec") == 0) {
        NEED(9);
        if (spec->n_models >= HV_MAX_MODELS)
            return hv_errorf(err, "page data:%d: too many models", lineno);
        hv_model_spec *ms = &spec->models[spec->n_models++];
        copy(ms->name, sizeof ms->name, f[1]);
        copy(ms->label, sizeof ms->label, f[2]);
        ms->shape = inum(f[3]);
        ms->color_set = inum(f[4]) != 0;
        for (int c = 0; c < 3; c++)
            ms->color[c] = (float)num(f[5 + c]);
        ms->kv_heads = inum(f[8]);
    } else if (strcmp(k, "model") == 0) {
        NEED(4);
        if (ds->n_models >= HV_MAX_MODELS)
            return hv_errorf(err, "page data:%d: too many models", lineno);
        copy(ds->models[ds->n_models], HV_MAX_NAME, f[1]);
        ds->layers[ds->n_models] = inum(f[2]);
        ds->heads[ds->n_models] = inum(f[3]);
        ds->n_models++;
    } else if (strcmp(k, "condition") == 0) {
        NEED(2);
        if (ds->n_conditions >= HV_MAX_CONDITIONS)
            return hv_errorf(err, "page data:%d: too many conditions", lineno);
        copy(ds->conditions[ds->n_conditions++], HV_MAX_NAME, f[1]);
    } else if (strcmp(k, "full") == 0) {
        NEED(3);
        int m = inum(f[1]), c = inum(f[2]);
        if (m < 0 || m >= ds->n_models || c < 0 || c >= ds->n_conditions)
            return hv_errorf(err, "page data:%d: full %d %d out of range", lineno, m, c);
        ds->full[m][c] = true;
    } else if (strcmp(k, "source") == 0) {
        NEED(2);
        char **ns = realloc(ds->sources, (size_t)(ds->n_sources + 1) * sizeof *ns);
        if (!ns)
            return hv_errorf(err, "page data: out of memory");
        ds->sources = ns;
        size_t len = strlen(f[1]) + 1;
        if (!(ns[ds->n_sources] = malloc(len)))
            return hv_errorf(err, "page data: out of memory");
        memcpy(ns[ds->n_sources++], f[1], len);
    } else if (strcmp(k, "font") == 0) {
        NEED(2);
        if (o->n_fonts >= HV_PAGE_MAX_FONTS)
            return hv_errorf(err, "page data:%d: more than %d fonts", lineno, HV_PAGE_MAX_FONTS);
        hv_page_font *pf = &o->fonts[o->n_fonts];
        if (!base64(f[1], &pf->data, &pf->len))
            return hv_errorf(err, "page data:%d: font: not base64", lineno);
        o->n_fonts++;
    } else if (strcmp(k, "p") == 0) {
        NEED(8);
        hv_point p = {inum(f[1]), inum(f[2]), inum(f[3]), inum(f[4]), num(f[5]), inum(f[6]), inum(f[7])};
        if (p.model < 0 || p.model >= ds->n_models || p.condition < 0 || p.condition >= ds->n_conditions)
            return hv_errorf(err, "page data:%d: a point of an unknown model or condition", lineno);
        if (ds->n_points == ds->cap_points) {
            int nc = ds->cap_points ? ds->cap_points * 2 : 256;
            hv_point *np = realloc(ds->points, (size_t)nc * sizeof *np);
            if (!np)
                return hv_errorf(err, "page data: out of memory");
            ds->points = np;
            ds->cap_points = nc;
        }
        ds->points[ds->n_points++] = p;
    }
    /* unknown keys are skipped: a newer writer may add some */
    return true;
#undef NEED
}

bool hv_page_read(const char *text, hv_dataset *all, hv_spec *spec, hv_page_opts *o, hv_error *err)
{
    memset(all, 0, sizeof *all);
    hv_spec_init(spec);
    memset(o, 0, sizeof *o);
    o->hold = 1.0;
    o->transition = 1.5;
    o->context_id = 1;
    o->top = 10;
    size_t len = strlen(text);
    char *copy_ = malloc(len + 1);
    if (!copy_)
        return hv_errorf(err, "page data: out of memory");
    memcpy(copy_, text, len + 1);
    char *s = copy_;
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    bool ok = strncmp(s, "headviz-page 1\n", 15) == 0;
    if (!ok)
        hv_errorf(err, "page data: not headviz page data (version 1)");
    bool ended = false;
    int lineno = 1;
    if (ok)
        s = strchr(s, '\n') + 1;
    while (ok && *s) {
        lineno++;
        char *nl = strchr(s, '\n');
        if (nl)
            *nl = '\0';
        char *f[MAX_FIELDS];
        int n = split(s, f);
        if (strcmp(f[0], "end") == 0) {
            ended = true;
            break;
        }
        ok = read_line(f, n, lineno, all, spec, o, err);
        if (!nl)
            break;
        s = nl + 1;
    }
    free(copy_);
    if (ok && !ended)
        ok = hv_errorf(err, "page data: cut short (no end line)");
    if (!ok) {
        hv_dataset_free(all);
        hv_spec_free(spec);
        hv_page_opts_free(o);
    }
    return ok;
}

void hv_page_opts_free(hv_page_opts *o)
{
    for (int f = 0; f < o->n_fonts; f++) {
        free(o->fonts[f].data);
        o->fonts[f] = (hv_page_font){0};
    }
    o->n_fonts = 0;
}
