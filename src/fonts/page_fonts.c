#include "page_fonts.h"

#include "fallback.h"
#include "runs.h"

#include <hb-subset.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* one source face and the characters cut from it */
typedef struct group {
    hb_face_t *face;
    hb_set_t *has, *want;
} group;

/* the field of text around byte at (tab/newline separated), unescaped
 * (\\t \\n \\r \\l \\\\ of the page data), into out */
static void field_at(const char *text, size_t at, char *out, size_t size)
{
    size_t a = at, b = at;
    while (a > 0 && text[a - 1] != '\t' && text[a - 1] != '\n')
        a--;
    while (text[b] && text[b] != '\t' && text[b] != '\n')
        b++;
    size_t o = 0;
    for (size_t i = a; i < b && o + 1 < size; i++) {
        char c = text[i];
        if (c == '\\' && i + 1 < b) {
            c = text[++i];
            c = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'l' ? '<' : c;
        }
        out[o++] = c;
    }
    out[o] = '\0';
}

static void warn_missing(unsigned cp, const char *text, size_t at)
{
    char ch[8], field[1024];
    hv_utf8_put(cp, ch);
    field_at(text, at, field, sizeof field);
    fprintf(stderr, "headviz: warning: no installed font has U+%04X \"%s\" (in \"%.200s\"): drawn as a box\n", cp, ch,
            field);
}

/* the group (index into g) of the font fontconfig picks for cp, opened on
 * first use; -1 when none has it, -2 when it is a font past the most a
 * page carries */
static int group_for(unsigned cp, group *g, hv_page_fonts *out)
{
    char path[1024];
    int index = 0;
    if (!hv_font_fallback_face(cp, path, sizeof path, &index))
        return -1;
    for (int i = 0; i < out->n; i++)
        if (strcmp(out->f[i].path, path) == 0 && out->f[i].index == index)
            return hb_set_has(g[i].has, cp) ? i : -1;
    if (out->n == HV_PAGE_FONTS_MAX)
        return -2;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob)
        return -1;
    group *n = &g[out->n];
    n->face = hb_face_create(blob, (unsigned)index);
    hb_blob_destroy(blob);
    n->has = hb_set_create();
    n->want = hb_set_create();
    hb_face_collect_unicodes(n->face, n->has);
    snprintf(out->f[out->n].path, sizeof out->f[out->n].path, "%s", path);
    out->f[out->n].index = index;
    int i = out->n++;
    return hb_set_has(g[i].has, cp) ? i : -1;
}

/* the cut of group g: its characters only, no hinting, no layout tables
 * (the page places glyphs by their advances) */
static bool cut(const group *g, struct hv_page_fonts_font *f)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in)
        return false;
    hb_set_union(hb_subset_input_unicode_set(in), g->want);
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE);
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    static const char *const tables[] = {"GSUB", "GPOS", "GDEF", "kern", "morx", "vhea", "vmtx", "VORG", "DSIG"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        hb_set_add(drop, hb_tag_from_string(tables[i], 4));
    hb_face_t *sub = hb_subset_or_fail(g->face, in);
    hb_subset_input_destroy(in);
    if (!sub)
        return false;
    hb_blob_t *blob = hb_face_reference_blob(sub);
    unsigned len = 0;
    const char *data = hb_blob_get_data(blob, &len);
    bool ok = len > 0 && (f->data = malloc(len)) != NULL;
    if (ok) {
        memcpy(f->data, data, len);
        f->len = len;
        f->n_chars = (int)hb_set_get_population(g->want);
    }
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    return ok;
}

bool hv_page_fonts_make(const char *text, const void *main_font, size_t main_len, hv_page_fonts *out,
                        hv_error *err)
{
    memset(out, 0, sizeof *out);
    group g[HV_PAGE_FONTS_MAX] = {{0}};
    hb_blob_t *mb = hb_blob_create((const char *)main_font, (unsigned)main_len, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *mf = hb_face_create(mb, 0);
    hb_blob_destroy(mb);
    hb_set_t *main_has = hb_set_create(), *seen = hb_set_create();
    hb_face_collect_unicodes(mf, main_has);
    hb_face_destroy(mf);
    bool ok = hb_set_allocation_successful(main_has) && hb_set_allocation_successful(seen);
    if (!ok)
        hv_errorf(err, "out of memory finding the page's fonts");
    else if (hb_set_get_population(main_has) == 0)
        ok = hv_errorf(err, "the page's font has no characters (a bad build of the web player?)");
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; ok && u[i];) {
        size_t at = i;
        unsigned cp = hv_utf8_next(u, &i);
        if (cp < 0x80 || hb_set_has(main_has, cp) || hb_set_has(seen, cp))
            continue;
        hb_set_add(seen, cp);
        int k = group_for(cp, g, out);
        if (k >= 0) {
            hb_set_add(g[k].want, cp);
        } else if (k == -2) {
            char ch[8], field[1024];
            hv_utf8_put(cp, ch);
            field_at(text, at, field, sizeof field);
            out->n_missing++;
            fprintf(stderr,
                    "headviz: warning: U+%04X \"%s\" (in \"%.200s\") needs a font past the %d a page carries: drawn as "
                    "a box in the page\n",
                    cp, ch, field, HV_PAGE_FONTS_MAX);
        } else {
            out->n_missing++;
            warn_missing(cp, text, at);
        }
    }
    /* the fonts that were opened but hold nothing wanted (fontconfig's
     * pick lacked the character after all) are dropped */
    int kept = 0;
    for (int k = 0; k < out->n; k++) {
        struct hv_page_fonts_font f = out->f[k];
        f.data = NULL;
        f.len = 0;
        if (ok && hb_set_get_population(g[k].want) > 0) {
            if (!cut(&g[k], &f))
                ok = hv_errorf(err, "%s: hb-subset could not cut the characters the page needs from it", f.path);
            else
                out->f[kept++] = f;
        }
        hb_set_destroy(g[k].has);
        hb_set_destroy(g[k].want);
        hb_face_destroy(g[k].face);
    }
    out->n = kept;
    hb_set_destroy(main_has);
    hb_set_destroy(seen);
    if (!ok)
        hv_page_fonts_free(out);
    return ok;
}

void hv_page_fonts_free(hv_page_fonts *pf)
{
    for (int i = 0; i < pf->n; i++)
        free(pf->f[i].data);
    memset(pf, 0, sizeof *pf);
}
