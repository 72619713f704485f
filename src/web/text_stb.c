/* text.h for the web player: the same API as src/gl/text.c (SDL2_ttf and
 * fontconfig there), here stb_truetype over a font subset compiled into the
 * wasm (DejaVu Sans cut by pyftsubset at build time, src/web/CMakeLists.txt).
 *
 * Metrics follow SDL2_ttf's (measured on this machine against the window's
 * text, to a pixel or so): the font's em is `size` px, glyphs placed at
 * fractional positions without kerning, the width rounded; the ascent and
 * the height (ascent - descent) rounded up; a string's coverage is
 * (width x height) with the baseline at the ascent.
 * Does NOT: fall back to other fonts (there are none in a page): a
 * character the subset lacks is drawn as the font's box. */
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

#include "web_font.h" /* generated: hv_web_font, hv_web_font_len */

#define CACHE_SIZE 1024
#define MEASURE_CACHE 512

typedef struct entry {
    uint64_t hash;
    char *s;
    int px;
    unsigned tex;
    int w, h;
    uint64_t used;
} entry;

typedef struct measured {
    uint64_t hash;
    char *s;
    int px;
    hv_text_metrics m;
} measured;

struct hv_text {
    stbtt_fontinfo font;
    int ascent, descent, line_gap; /* font units */
    entry cache[CACHE_SIZE];
    measured measures[MEASURE_CACHE];
    uint64_t clock;
};

hv_text *hv_text_create(const char *font, hv_error *err)
{
    (void)font; /* a page has one font: the subset compiled in */
    hv_text *t = calloc(1, sizeof *t);
    if (!t) {
        hv_errorf(err, "out of memory");
        return NULL;
    }
    const unsigned char *data = (const unsigned char *)hv_web_font;
    if (!stbtt_InitFont(&t->font, data, stbtt_GetFontOffsetForIndex(data, 0))) {
        free(t);
        hv_errorf(err, "the page's font cannot be read");
        return NULL;
    }
    stbtt_GetFontVMetrics(&t->font, &t->ascent, &t->descent, &t->line_gap);
    return t;
}

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

static int px_of(float size)
{
    int px = (int)lrintf(size);
    return px < 1 ? 1 : px > 1000 ? 1000 : px;
}

static unsigned next_cp(const unsigned char *s, size_t *i)
{
    unsigned c = s[*i];
    int n = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    unsigned cp = n == 0 ? c : n == 1 ? c & 0x1F : n == 2 ? c & 0x0F : c & 0x07;
    (*i)++;
    for (int k = 0; k < n && (s[*i] & 0xC0) == 0x80; k++)
        cp = (cp << 6) | (s[(*i)++] & 0x3F);
    return cp;
}

static uint64_t hash_str(const char *s, int px)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)px;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

typedef struct vmetrics {
    float scale;
    int ascent, descent; /* px, rounded up */
} vmetrics;

static vmetrics vm_at(const hv_text *t, int px)
{
    vmetrics v;
    v.scale = stbtt_ScaleForMappingEmToPixels(&t->font, (float)px);
    v.ascent = (int)ceilf((float)t->ascent * v.scale);
    v.descent = (int)ceilf((float)(t->ascent - t->descent) * v.scale) - v.ascent;
    return v;
}

/* Pen advance of glyph g, px (fractional: no hinting, no kerning, as the
 * window's SDL2_ttf places glyphs) */
static float advance(const hv_text *t, const vmetrics *v, int g)
{
    int adv, lsb;
    stbtt_GetGlyphHMetrics(&t->font, g, &adv, &lsb);
    return (float)adv * v->scale;
}

/* s's glyphs (a missing character is glyph 0, the font's box): malloc'd */
static int *glyphs_of(const hv_text *t, const char *s, int *n)
{
    size_t len = strlen(s), i = 0;
    int *g = malloc((len + 1) * sizeof *g);
    *n = 0;
    if (!g)
        return NULL;
    while (i < len)
        g[(*n)++] = stbtt_FindGlyphIndex(&t->font, (int)next_cp((const unsigned char *)s, &i));
    return g;
}

static int width_px(const hv_text *t, const vmetrics *v, const char *s)
{
    int n;
    float w = 0;
    int *g = glyphs_of(t, s, &n);
    if (!g)
        return 0;
    for (int k = 0; k < n; k++)
        w += advance(t, v, g[k]);
    free(g);
    return (int)lrintf(w);
}

void hv_text_measure(void *user, const char *s, float size, hv_text_metrics *m)
{
    hv_text *t = user;
    int px = px_of(size);
    uint64_t h = hash_str(s, px);
    measured *c = &t->measures[h % MEASURE_CACHE];
    if (c->s && c->hash == h && c->px == px && strcmp(c->s, s) == 0) {
        *m = c->m;
        return;
    }
    vmetrics v = vm_at(t, px);
    m->width = (float)width_px(t, &v, s);
    m->ascent = (float)v.ascent;
    m->descent = (float)v.descent;
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy) {
        memcpy(copy, s, n);
        free(c->s);
        c->s = copy;
        c->hash = h;
        c->px = px;
        c->m = *m;
    }
}

unsigned char *hv_text_coverage(void *user, const char *s, float size, int *w, int *h)
{
    hv_text *t = user;
    if (!s[0])
        return NULL;
    int px = px_of(size);
    vmetrics v = vm_at(t, px);
    int cw = width_px(t, &v, s), ch = v.ascent + v.descent;
    if (cw < 1 || ch < 1)
        return NULL;
    unsigned char *cov = calloc((size_t)cw * (size_t)ch, 1);
    if (!cov)
        return NULL;
    int n;
    float pen = 0;
    int *gl = glyphs_of(t, s, &n);
    if (!gl) {
        free(cov);
        return NULL;
    }
    for (int k = 0; k < n; k++) {
        int g = gl[k], x0, y0, x1, y1;
        int ipen = (int)floorf(pen);
        float shift = pen - (float)ipen;
        stbtt_GetGlyphBitmapBoxSubpixel(&t->font, g, v.scale, v.scale, shift, 0, &x0, &y0, &x1, &y1);
        int gw = x1 - x0, gh = y1 - y0;
        if (gw > 0 && gh > 0) {
            unsigned char *bm = malloc((size_t)gw * (size_t)gh);
            if (bm) {
                stbtt_MakeGlyphBitmapSubpixel(&t->font, bm, gw, gh, gw, v.scale, v.scale, shift, 0, g);
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
        pen += advance(t, &v, g);
    }
    free(gl);
    *w = cw;
    *h = ch;
    return cov;
}

unsigned hv_text_texture(hv_text *t, const char *s, float size, int *w, int *h)
{
    int px = px_of(size);
    uint64_t hash = hash_str(s, px);
    int slot = (int)(hash % CACHE_SIZE), victim = -1;
    for (int k = 0; k < 8; k++) {
        entry *e = &t->cache[(slot + k) % CACHE_SIZE];
        if (e->s && e->hash == hash && e->px == px && strcmp(e->s, s) == 0) {
            e->used = ++t->clock;
            *w = e->w;
            *h = e->h;
            return e->tex;
        }
        if (victim < 0 || !e->s || (t->cache[victim].s && e->used < t->cache[victim].used))
            victim = (slot + k) % CACHE_SIZE;
    }
    int cw = 0, ch = 0;
    unsigned char *cov = hv_text_coverage(t, s, size, &cw, &ch);
    if (!cov)
        return 0;
    entry *e = &t->cache[victim];
    if (e->s) {
        free(e->s);
        glDeleteTextures(1, &e->tex);
        e->s = NULL;
    }
    unsigned tex;
    glGenTextures(1, &tex);
    glBindTexture(GL_TEXTURE_2D, tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, cw, ch, 0, GL_RED, GL_UNSIGNED_BYTE, cov);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    free(cov);
    size_t n = strlen(s) + 1;
    e->s = malloc(n);
    if (!e->s) {
        glDeleteTextures(1, &tex);
        return 0;
    }
    memcpy(e->s, s, n);
    e->hash = hash;
    e->px = px;
    e->tex = tex;
    e->w = cw;
    e->h = ch;
    e->used = ++t->clock;
    *w = cw;
    *h = ch;
    return tex;
}

void hv_text_release_gl(hv_text *t)
{
    for (int i = 0; i < CACHE_SIZE; i++)
        if (t->cache[i].s) {
            glDeleteTextures(1, &t->cache[i].tex);
            free(t->cache[i].s);
            t->cache[i].s = NULL;
        }
}

void hv_text_destroy(hv_text *t)
{
    if (!t)
        return;
    for (int i = 0; i < CACHE_SIZE; i++)
        free(t->cache[i].s);
    for (int i = 0; i < MEASURE_CACHE; i++)
        free(t->measures[i].s);
    free(t);
}
