#include "text.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <epoxy/gl.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define CACHE_SIZE 1024 /* entries; LRU-evicted */
#define MAX_SIZES 8

typedef struct entry {
    uint64_t hash;
    char *s;
    int px;
    unsigned tex;
    int w, h;
    uint64_t used;
} entry;

#define MEASURE_CACHE 512

typedef struct measured {
    uint64_t hash;
    char *s;
    int px;
    hv_text_metrics m;
} measured;

struct hv_text {
    char warning[512]; /* e.g. the requested font family was not found */
    measured measures[MEASURE_CACHE]; /* TTF_SizeUTF8 re-reads glyphs: cache */
    char path[1024];
    TTF_Font *fonts[MAX_SIZES];
    int font_px[MAX_SIZES];
    uint64_t font_used[MAX_SIZES];
    entry cache[CACHE_SIZE];
    uint64_t clock;
    bool ttf_inited;
};

static bool find_font(const char *want, char *out, size_t out_size, char *warning, size_t warning_size,
                      hv_error *err)
{
    struct stat st;
    if (want && (strchr(want, '/') || strstr(want, ".ttf") || strstr(want, ".otf"))) {
        if (stat(want, &st) != 0 || !S_ISREG(st.st_mode))
            return hv_errorf(err, "%s: font file not found", want);
        snprintf(out, out_size, "%s", want);
        return true;
    }
    if (!FcInit())
        return hv_errorf(err, "fontconfig: cannot initialise");
    const char *tries[3] = {want, "DejaVu Sans", "sans-serif"};
    bool ok = false;
    for (int i = want ? 0 : 1; i < 3 && !ok; i++) {
        FcPattern *pat = FcNameParse((const FcChar8 *)tries[i]);
        if (!pat)
            continue;
        FcConfigSubstitute(NULL, pat, FcMatchPattern);
        FcDefaultSubstitute(pat);
        FcResult res;
        FcPattern *match = FcFontMatch(NULL, pat, &res);
        FcChar8 *file = NULL, *want_family = NULL, *got_family = NULL;
        if (match && i == 0 && FcPatternGetString(pat, FC_FAMILY, 0, &want_family) == FcResultMatch &&
            FcPatternGetString(match, FC_FAMILY, 0, &got_family) == FcResultMatch &&
            strcasecmp((const char *)want_family, (const char *)got_family) != 0)
            snprintf(warning, warning_size, "no font matches \"%s\"; using %s", want, (const char *)got_family);
        if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch && file) {
            const char *f = (const char *)file;
            size_t n = strlen(f);
            /* SDL2_ttf reads TrueType/OpenType; skip bitmap-only formats */
            if (n > 4 && (strcasecmp(f + n - 4, ".ttf") == 0 || strcasecmp(f + n - 4, ".otf") == 0 ||
                          strcasecmp(f + n - 4, ".ttc") == 0)) {
                snprintf(out, out_size, "%s", f);
                ok = true;
            }
        }
        if (match)
            FcPatternDestroy(match);
        FcPatternDestroy(pat);
    }
    if (!ok)
        return hv_errorf(err,
                         "no usable font found through fontconfig%s%s%s (install fonts-dejavu-core, or pass --font FILE.ttf)",
                         want ? " for \"" : "", want ? want : "", want ? "\"" : "");
    return true;
}

hv_text *hv_text_create(const char *font, hv_error *err)
{
    hv_text *t = calloc(1, sizeof *t);
    if (!t) {
        hv_errorf(err, "out of memory");
        return NULL;
    }
    if (!find_font(font, t->path, sizeof t->path, t->warning, sizeof t->warning, err)) {
        free(t);
        return NULL;
    }
    if (!TTF_WasInit() && TTF_Init() != 0) {
        hv_errorf(err, "SDL2_ttf: %s", TTF_GetError());
        free(t);
        return NULL;
    }
    t->ttf_inited = true;
    /* open once to fail early on a bad file */
    TTF_Font *f = TTF_OpenFont(t->path, 16);
    if (!f) {
        hv_errorf(err, "%s: cannot load font: %s", t->path, TTF_GetError());
        free(t);
        return NULL;
    }
    t->fonts[0] = f;
    t->font_px[0] = 16;
    return t;
}

const char *hv_text_font_path(const hv_text *t) { return t->path; }
const char *hv_text_warning(const hv_text *t) { return t->warning; }

static int px_of(float size)
{
    int px = (int)lrintf(size);
    return px < 1 ? 1 : px > 1000 ? 1000 : px;
}

static TTF_Font *font_at(hv_text *t, int px)
{
    int lru = 0;
    for (int i = 0; i < MAX_SIZES; i++) {
        if (t->fonts[i] && t->font_px[i] == px) {
            t->font_used[i] = ++t->clock;
            return t->fonts[i];
        }
        if (!t->fonts[i] || t->font_used[i] < t->font_used[lru])
            lru = i;
        if (!t->fonts[i])
            break;
    }
    if (t->fonts[lru])
        TTF_CloseFont(t->fonts[lru]);
    t->fonts[lru] = TTF_OpenFont(t->path, px);
    t->font_px[lru] = px;
    t->font_used[lru] = ++t->clock;
    if (t->fonts[lru])
        TTF_SetFontHinting(t->fonts[lru], TTF_HINTING_LIGHT);
    return t->fonts[lru];
}

static uint64_t hash_str(const char *s, int px);

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
    TTF_Font *f = font_at(t, px);
    int w = 0, hh = 0;
    if (!f) {
        m->width = 0.55f * size * (float)strlen(s);
        m->ascent = 0.8f * size;
        m->descent = 0.2f * size;
        return;
    }
    TTF_SizeUTF8(f, s, &w, &hh);
    m->width = (float)w;
    m->ascent = (float)TTF_FontAscent(f);
    m->descent = (float)(hh - TTF_FontAscent(f));
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

static uint64_t hash_str(const char *s, int px)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)px;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

unsigned char *hv_text_coverage(void *user, const char *s, float size, int *w, int *h)
{
    hv_text *t = user;
    TTF_Font *f = font_at(t, px_of(size));
    if (!f || !s[0])
        return NULL;
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, white);
    if (!surf)
        return NULL;
    SDL_Surface *conv = SDL_ConvertSurfaceFormat(surf, SDL_PIXELFORMAT_ABGR8888, 0);
    SDL_FreeSurface(surf);
    if (!conv)
        return NULL;
    /* coverage = alpha channel, packed into one byte per pixel */
    int cw = conv->w, ch = conv->h;
    unsigned char *cov = cw > 0 && ch > 0 ? malloc((size_t)cw * (size_t)ch) : NULL;
    if (cov)
        for (int y = 0; y < ch; y++) {
            const unsigned char *row = (const unsigned char *)conv->pixels + (size_t)y * (size_t)conv->pitch;
            for (int x = 0; x < cw; x++)
                cov[(size_t)y * (size_t)cw + (size_t)x] = row[x * 4 + 3];
        }
    SDL_FreeSurface(conv);
    *w = cw;
    *h = ch;
    return cov;
}

unsigned hv_text_texture(hv_text *t, const char *s, float size, int *w, int *h)
{
    int px = px_of(size);
    uint64_t hash = hash_str(s, px);
    int slot = (int)(hash % CACHE_SIZE), victim = -1;
    /* small open-addressed probe window */
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
    for (int i = 0; i < CACHE_SIZE; i++) {
        if (t->cache[i].s) {
            glDeleteTextures(1, &t->cache[i].tex);
            free(t->cache[i].s);
            t->cache[i].s = NULL;
        }
    }
}

void hv_text_destroy(hv_text *t)
{
    if (!t)
        return;
    for (int i = 0; i < CACHE_SIZE; i++)
        free(t->cache[i].s); /* GL objects go with the context */
    for (int i = 0; i < MEASURE_CACHE; i++)
        free(t->measures[i].s);
    for (int i = 0; i < MAX_SIZES; i++)
        if (t->fonts[i])
            TTF_CloseFont(t->fonts[i]);
    if (t->ttf_inited)
        TTF_Quit();
    free(t);
}
