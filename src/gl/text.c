#include "text.h"

#include "fallback.h"
#include "runs.h"
#include "textcache.h"

#include <SDL.h>
#include <SDL_ttf.h>
#include <epoxy/gl.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_SIZES 8
#define MAX_FALLBACKS 8
#define MAX_MISSING 64

struct hv_text {
    char warning[512]; /* e.g. the requested font family was not found */
    hv_measure_cache measures; /* TTF_SizeUTF8 re-reads glyphs: cache */
    char path[1024];
    TTF_Font *fonts[MAX_SIZES];
    int font_px[MAX_SIZES];
    uint64_t font_used[MAX_SIZES];
    hv_tex_cache textures;
    uint64_t clock; /* the fonts' last use */
    bool ttf_inited;
    /* fonts fontconfig found for characters the main font lacks */
    struct fallback {
        char path[1024];
        TTF_Font *font;
        int px;
    } fb[MAX_FALLBACKS];
    int n_fb;
    /* characters no installed font has: warned about once each */
    unsigned missing[MAX_MISSING];
    int n_missing;
    /* the last character looked up (a run of CJK asks for the same font) */
    unsigned last_cp;
    int last_font;
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
    if (TTF_Init() != 0) { /* counted: every hv_text holds the library until its destroy */
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

/* ---- fallback fonts ------------------------------------------------------ */

static TTF_Font *fallback_at(hv_text *t, int f, int px)
{
    struct fallback *b = &t->fb[f];
    if (b->font && b->px == px)
        return b->font;
    if (b->font)
        TTF_CloseFont(b->font);
    b->font = TTF_OpenFont(b->path, px);
    b->px = px;
    if (b->font)
        TTF_SetFontHinting(b->font, TTF_HINTING_LIGHT);
    return b->font;
}

/* The font that draws cp: -1 the main font, else a fallback; -1 also when
 * no installed font has it (the main font's box, warned about once). */
static int font_for(hv_text *t, TTF_Font *main_font, unsigned cp, const char *s)
{
    if (cp < 0x80 || TTF_GlyphIsProvided32(main_font, (Uint32)cp))
        return -1;
    if (cp == t->last_cp)
        return t->last_font;
    int found = -1;
    for (int f = 0; f < t->n_fb && found < 0; f++) {
        TTF_Font *ff = fallback_at(t, f, t->fb[f].px > 0 ? t->fb[f].px : 16);
        if (ff && TTF_GlyphIsProvided32(ff, (Uint32)cp))
            found = f;
    }
    for (int i = 0; i < t->n_missing && found < 0; i++)
        if (t->missing[i] == cp)
            return -1;
    if (found < 0 && t->n_fb < MAX_FALLBACKS) {
        struct fallback *b = &t->fb[t->n_fb];
        memset(b, 0, sizeof *b);
        if (hv_font_fallback_file(cp, b->path, sizeof b->path)) {
            TTF_Font *ff = fallback_at(t, t->n_fb, 16);
            if (ff && TTF_GlyphIsProvided32(ff, (Uint32)cp))
                found = t->n_fb++;
            else if (ff) {
                TTF_CloseFont(ff);
                b->font = NULL;
            }
        }
    }
    if (found < 0) {
        if (t->n_missing < MAX_MISSING)
            t->missing[t->n_missing++] = cp;
        char ch[8];
        hv_utf8_put(cp, ch);
        fprintf(stderr, "headviz: warning: no installed font has U+%04X \"%s\" (in \"%.200s\"): drawn as a box\n", cp,
                ch, s);
    }
    t->last_cp = cp;
    t->last_font = found;
    return found;
}

typedef struct font_ctx {
    hv_text *t;
    TTF_Font *main_font;
} font_ctx;

static int font_for_cb(void *user, unsigned cp, const char *s)
{
    font_ctx *c = user;
    return font_for(c->t, c->main_font, cp, s);
}

/* s cut into runs of one font each (src/fonts/runs.h); 1 run when the main
 * font has it all. */
static int split_runs(hv_text *t, TTF_Font *main_font, const char *s, hv_run *runs)
{
    font_ctx c = {t, main_font};
    return hv_runs_split(s, font_for_cb, &c, runs);
}

static TTF_Font *run_font(hv_text *t, TTF_Font *main_font, int f, int px)
{
    return f < 0 ? main_font : fallback_at(t, f, px);
}

void hv_text_measure(void *user, const char *s, float size, hv_text_metrics *m)
{
    hv_text *t = user;
    int px = hv_text_px(size);
    if (hv_measure_cache_get(&t->measures, s, px, m))
        return;
    TTF_Font *f = font_at(t, px);
    int w = 0, hh = 0;
    if (!f) {
        m->width = 0.55f * size * (float)strlen(s);
        m->ascent = 0.8f * size;
        m->descent = 0.2f * size;
        return;
    }
    hv_run runs[HV_MAX_RUNS];
    int nr = split_runs(t, f, s, runs);
    if (nr <= 1 && (nr == 0 || runs[0].font < 0)) {
        TTF_SizeUTF8(f, s, &w, &hh);
        m->width = (float)w;
        m->ascent = (float)TTF_FontAscent(f);
        m->descent = (float)(hh - TTF_FontAscent(f));
    } else {
        /* runs side by side on one baseline */
        float width = 0, asc = 0, desc = 0;
        char buf[1024];
        for (int r = 0; r < nr; r++) {
            TTF_Font *rf = run_font(t, f, runs[r].font, px);
            if (!rf)
                continue;
            snprintf(buf, sizeof buf, "%.*s", (int)runs[r].len, s + runs[r].start);
            TTF_SizeUTF8(rf, buf, &w, &hh);
            width += (float)w;
            asc = fmaxf(asc, (float)TTF_FontAscent(rf));
            desc = fmaxf(desc, (float)(hh - TTF_FontAscent(rf)));
        }
        m->width = width;
        m->ascent = asc;
        m->descent = desc;
    }
    hv_measure_cache_put(&t->measures, s, px, m);
}

/* One run's coverage (the alpha channel, a byte a pixel), malloc'd. */
static unsigned char *run_coverage(TTF_Font *f, const char *s, int *w, int *h)
{
    SDL_Color white = {255, 255, 255, 255};
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, white);
    if (!surf)
        return NULL;
    SDL_Surface *conv = SDL_ConvertSurfaceFormat(surf, SDL_PIXELFORMAT_ABGR8888, 0);
    SDL_FreeSurface(surf);
    if (!conv)
        return NULL;
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

/* Runs in several fonts: each rendered alone, then side by side on one
 * baseline (the largest ascent), as hv_text_measure measures them. */
static unsigned char *coverage_runs(hv_text *t, TTF_Font *main_font, const char *s, const hv_run *runs, int nr, int px,
                                    int *w, int *h)
{
    hv_run_cov parts[HV_MAX_RUNS] = {{0}};
    char buf[1024];
    for (int r = 0; r < nr; r++) {
        TTF_Font *rf = run_font(t, main_font, runs[r].font, px);
        if (!rf)
            continue;
        snprintf(buf, sizeof buf, "%.*s", (int)runs[r].len, s + runs[r].start);
        parts[r].cov = run_coverage(rf, buf, &parts[r].w, &parts[r].h);
        parts[r].ascent = TTF_FontAscent(rf);
    }
    unsigned char *cov = hv_runs_compose(parts, nr, w, h);
    for (int r = 0; r < nr; r++)
        free(parts[r].cov);
    return cov;
}

unsigned char *hv_text_coverage(void *user, const char *s, float size, int *w, int *h)
{
    hv_text *t = user;
    TTF_Font *f = font_at(t, hv_text_px(size));
    if (!f || !s[0])
        return NULL;
    hv_run runs[HV_MAX_RUNS];
    int nr = split_runs(t, f, s, runs);
    if (nr > 1 || (nr == 1 && runs[0].font >= 0))
        return coverage_runs(t, f, s, runs, nr, hv_text_px(size), w, h);
    return run_coverage(f, s, w, h);
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
    hv_tex_cache_free(&t->textures); /* GL objects go with the context */
    hv_measure_cache_free(&t->measures);
    for (int i = 0; i < MAX_SIZES; i++)
        if (t->fonts[i])
            TTF_CloseFont(t->fonts[i]);
    for (int i = 0; i < t->n_fb || (i < MAX_FALLBACKS && t->fb[i].font); i++)
        if (t->fb[i].font)
            TTF_CloseFont(t->fb[i].font);
    if (t->ttf_inited)
        TTF_Quit();
    free(t);
}
