/* text.h for the web player: the same API as src/gl/text.c (SDL2_ttf and
 * fontconfig there), here stb_truetype over a font subset compiled into the
 * wasm (DejaVu Sans cut by pyftsubset at build time, src/web/CMakeLists.txt)
 * and the fallback subsets the native run embedded in the page for the
 * characters of its data that DejaVu's subset lacks (hv_text_add_font;
 * src/fonts/page_fonts.h makes them with fontconfig and hb-subset).
 *
 * Metrics follow SDL2_ttf's (measured on this machine against the window's
 * text, to a pixel or so): the font's em is `size` px, glyphs placed at
 * fractional positions without kerning, the width rounded; the ascent and
 * the height (ascent - descent) rounded up; a string's coverage is
 * (width x height) with the baseline at the ascent. A string in several
 * fonts is cut into runs of one font each and the runs are put side by side
 * on one baseline, as the window does it (src/fonts/runs.h: the same code).
 * A character no font of the page has is drawn as the main font's box and
 * counted (hv_text_missing_glyphs: the page's test hook); the native run
 * has warned about it. */
#include "../gl/text.h"

#include <GLES3/gl3.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STB_TRUETYPE_IMPLEMENTATION
#define STBTT_STATIC
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wconversion"
#pragma clang diagnostic ignored "-Wshadow"
#pragma clang diagnostic ignored "-Wunused-function"
#endif
#include <stb_truetype.h>
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#include "../fonts/runs.h"
#include "../gl/textcache.h"
#include "web_font.h" /* generated: hv_web_font, hv_web_font_len */

#define MAX_FALLBACKS 8
#define MAX_MISSING 64

typedef struct face {
    stbtt_fontinfo font;
    unsigned char *data; /* owned (fallbacks); the main font's is compiled in */
    int ascent, descent, line_gap; /* font units */
} face;

struct hv_text {
    face faces[1 + MAX_FALLBACKS]; /* [0] the main font, [1 + f] fallback f */
    int n_fb;
    unsigned missing[MAX_MISSING]; /* characters no font here has */
    int n_missing;
    hv_tex_cache textures;
    hv_measure_cache measures;
};

hv_text *hv_text_create(const char *font, hv_error *err)
{
    (void)font; /* the page's font is the subset compiled in (fallbacks: hv_text_add_font) */
    hv_text *t = calloc(1, sizeof *t);
    if (!t) {
        hv_errorf(err, "out of memory");
        return NULL;
    }
    const unsigned char *data = (const unsigned char *)hv_web_font;
    face *f = &t->faces[0];
    if (!stbtt_InitFont(&f->font, data, stbtt_GetFontOffsetForIndex(data, 0))) {
        free(t);
        hv_errorf(err, "the page's font cannot be read");
        return NULL;
    }
    stbtt_GetFontVMetrics(&f->font, &f->ascent, &f->descent, &f->line_gap);
    return t;
}

bool hv_text_add_font(hv_text *t, const unsigned char *data, size_t len, hv_error *err)
{
    if (t->n_fb == MAX_FALLBACKS)
        return hv_errorf(err, "the page carries more than %d fallback fonts", MAX_FALLBACKS);
    if (len < 12)
        return hv_errorf(err, "fallback font %d of the page cannot be read", t->n_fb + 1);
    face *f = &t->faces[1 + t->n_fb];
    f->data = malloc(len);
    if (!f->data)
        return hv_errorf(err, "out of memory");
    memcpy(f->data, data, len);
    int at = stbtt_GetFontOffsetForIndex(f->data, 0);
    if (at < 0 || !stbtt_InitFont(&f->font, f->data, at)) {
        free(f->data);
        f->data = NULL;
        return hv_errorf(err, "fallback font %d of the page cannot be read", t->n_fb + 1);
    }
    stbtt_GetFontVMetrics(&f->font, &f->ascent, &f->descent, &f->line_gap);
    t->n_fb++;
    return true;
}

int hv_text_missing_glyphs(const hv_text *t) { return t->n_missing; }

const char *hv_text_font_path(const hv_text *t)
{
    (void)t;
    return "DejaVu Sans (subset)";
}
const char *hv_text_warning(const hv_text *t)
{
    (void)t;
    return "";
}


typedef struct vmetrics {
    float scale;
    int ascent, descent; /* px, rounded up */
} vmetrics;

static vmetrics vm_at(const face *f, int px)
{
    vmetrics v;
    v.scale = stbtt_ScaleForMappingEmToPixels(&f->font, (float)px);
    v.ascent = (int)ceilf((float)f->ascent * v.scale);
    v.descent = (int)ceilf((float)(f->ascent - f->descent) * v.scale) - v.ascent;
    return v;
}

/* The font that draws cp: -1 the main font, else fallback f; -1 also when
 * no font of the page has it (the main font's box, counted once). */
static int font_for(void *user, unsigned cp, const char *s)
{
    (void)s;
    hv_text *t = user;
    if (cp < 0x80 || stbtt_FindGlyphIndex(&t->faces[0].font, (int)cp))
        return -1;
    for (int f = 0; f < t->n_fb; f++)
        if (stbtt_FindGlyphIndex(&t->faces[1 + f].font, (int)cp))
            return f;
    for (int i = 0; i < t->n_missing; i++)
        if (t->missing[i] == cp)
            return -1;
    if (t->n_missing < MAX_MISSING)
        t->missing[t->n_missing++] = cp;
    return -1;
}

static const face *run_face(const hv_text *t, const hv_run *r) { return &t->faces[1 + r->font]; }

/* Pen advance of glyph g, px (fractional: no hinting, no kerning, as the
 * window's SDL2_ttf places glyphs) */
static float advance(const face *f, const vmetrics *v, int g)
{
    int adv, lsb;
    stbtt_GetGlyphHMetrics(&f->font, g, &adv, &lsb);
    return (float)adv * v->scale;
}

/* the run's glyphs in its font (a missing character is glyph 0, the
 * font's box): malloc'd */
static int *glyphs_of(const face *f, const char *s, size_t len, int *n)
{
    size_t i = 0;
    int *g = malloc((len + 1) * sizeof *g);
    *n = 0;
    if (!g)
        return NULL;
    while (i < len)
        g[(*n)++] = stbtt_FindGlyphIndex(&f->font, (int)hv_utf8_next((const unsigned char *)s, &i));
    return g;
}

/* a run's width, px, rounded (as SDL2_ttf sizes each run) */
static int width_px(const face *f, const vmetrics *v, const char *s, size_t len)
{
    int n;
    float w = 0;
    int *g = glyphs_of(f, s, len, &n);
    if (!g)
        return 0;
    for (int k = 0; k < n; k++)
        w += advance(f, v, g[k]);
    free(g);
    return (int)lrintf(w);
}

void hv_text_measure(void *user, const char *s, float size, hv_text_metrics *m)
{
    hv_text *t = user;
    int px = hv_text_px(size);
    if (hv_measure_cache_get(&t->measures, s, px, m))
        return;
    hv_run runs[HV_MAX_RUNS];
    int nr = hv_runs_split(s, font_for, t, runs);
    vmetrics v = vm_at(&t->faces[0], px);
    m->width = 0;
    m->ascent = (float)v.ascent;
    m->descent = (float)v.descent;
    for (int r = 0; r < nr; r++) {
        const face *f = run_face(t, &runs[r]);
        vmetrics rv = vm_at(f, px);
        m->width += (float)width_px(f, &rv, s + runs[r].start, runs[r].len);
        if (runs[r].font >= 0) { /* runs on one baseline: the largest ascent and descent */
            m->ascent = fmaxf(m->ascent, (float)rv.ascent);
            m->descent = fmaxf(m->descent, (float)rv.descent);
        }
    }
    hv_measure_cache_put(&t->measures, s, px, m);
}

/* One run in face f: its coverage, w x h with the baseline at *ascent. */
static unsigned char *run_coverage(const face *f, const char *s, size_t len, int px, int *w, int *h, int *ascent)
{
    vmetrics v = vm_at(f, px);
    int cw = width_px(f, &v, s, len), ch = v.ascent + v.descent;
    if (cw < 1 || ch < 1)
        return NULL;
    unsigned char *cov = calloc((size_t)cw * (size_t)ch, 1);
    if (!cov)
        return NULL;
    int n;
    float pen = 0;
    int *gl = glyphs_of(f, s, len, &n);
    if (!gl) {
        free(cov);
        return NULL;
    }
    for (int k = 0; k < n; k++) {
        int g = gl[k], x0, y0, x1, y1;
        int ipen = (int)floorf(pen);
        float shift = pen - (float)ipen;
        stbtt_GetGlyphBitmapBoxSubpixel(&f->font, g, v.scale, v.scale, shift, 0, &x0, &y0, &x1, &y1);
        int gw = x1 - x0, gh = y1 - y0;
        if (gw > 0 && gh > 0) {
            unsigned char *bm = malloc((size_t)gw * (size_t)gh);
            if (bm) {
                stbtt_MakeGlyphBitmapSubpixel(&f->font, bm, gw, gh, gw, v.scale, v.scale, shift, 0, g);
                for (int y = 0; y < gh; y++) {
                    int oy = v.ascent + y0 + y;
                    if (oy < 0 || oy >= ch)
                        continue;
                    for (int x = 0; x < gw; x++) {
                        int ox = ipen + x0 + x;
                        if (ox < 0 || ox >= cw)
                            continue;
                        unsigned char *o = &cov[(size_t)oy * (size_t)cw + (size_t)ox];
                        unsigned sum = (unsigned)*o + bm[(size_t)y * (size_t)gw + (size_t)x];
                        *o = (unsigned char)(sum > 255 ? 255 : sum);
                    }
                }
                free(bm);
            }
        }
        pen += advance(f, &v, g);
    }
    free(gl);
    *w = cw;
    *h = ch;
    *ascent = v.ascent;
    return cov;
}

unsigned char *hv_text_coverage(void *user, const char *s, float size, int *w, int *h)
{
    hv_text *t = user;
    if (!s[0])
        return NULL;
    int px = hv_text_px(size), asc;
    hv_run runs[HV_MAX_RUNS];
    int nr = hv_runs_split(s, font_for, t, runs);
    if (nr == 1 && runs[0].font < 0) /* the main font has it all */
        return run_coverage(&t->faces[0], s, strlen(s), px, w, h, &asc);
    hv_run_cov parts[HV_MAX_RUNS] = {{0}};
    for (int r = 0; r < nr; r++)
        parts[r].cov = run_coverage(run_face(t, &runs[r]), s + runs[r].start, runs[r].len, px, &parts[r].w,
                                    &parts[r].h, &parts[r].ascent);
    unsigned char *cov = hv_runs_compose(parts, nr, w, h);
    for (int r = 0; r < nr; r++)
        free(parts[r].cov);
    return cov;
}

unsigned hv_text_texture(hv_text *t, const char *s, float size, int *w, int *h)
{
    return hv_tex_cache_get(&t->textures, s, size, hv_text_coverage, t, w, h);
}

void hv_text_release_gl(hv_text *t) { hv_tex_cache_release_gl(&t->textures); }

void hv_text_destroy(hv_text *t)
{
    if (!t)
        return;
    hv_tex_cache_free(&t->textures);
    hv_measure_cache_free(&t->measures);
    for (int f = 0; f < t->n_fb; f++)
        free(t->faces[1 + f].data);
    free(t);
}
