/* textcache: the caches of the text layers, one piece of code for the
 * window's text (src/gl/text.c, SDL2_ttf) and the web page's
 * (src/web/text_stb.c, stb_truetype): a string's texture at a pixel size
 * (GL, 1024 entries, the least recently used of an 8-slot probe window
 * evicted) and its measured metrics (512, direct-mapped).
 * Does NOT: rasterise or measure (the caller's coverage function and
 * metrics do), own a GL context (textures go with the caller's). */
#ifndef HV_TEXTCACHE_H
#define HV_TEXTCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "text.h"

#define HV_TEX_CACHE 1024
#define HV_MEASURE_CACHE 512

/* A type size in whole pixels, 1 to 1000: the key of both caches. */
int hv_text_px(float size);

typedef struct hv_tex_cache {
    struct hv_tex_entry {
        uint64_t hash;
        char *s;
        int px;
        unsigned tex;
        int w, h;
        uint64_t used;
    } e[HV_TEX_CACHE];
    uint64_t clock;
} hv_tex_cache;

/* s's coverage at size: w x h bytes, malloc'd; NULL for none. */
typedef unsigned char *(*hv_coverage_fn)(void *user, const char *s, float size, int *w, int *h);

/* s's texture (GL_R8, linear, clamped) at size: the cached one, or one
 * made from cov(user, s, size); 0 when there is none. */
unsigned hv_tex_cache_get(hv_tex_cache *c, const char *s, float size, hv_coverage_fn cov, void *user, int *w, int *h);
/* Deletes the textures (the context is current) and forgets them. */
void hv_tex_cache_release_gl(hv_tex_cache *c);
/* Frees what the cache holds but its textures (they go with the context). */
void hv_tex_cache_free(hv_tex_cache *c);

typedef struct hv_measure_cache {
    struct hv_measured {
        uint64_t hash;
        char *s;
        int px;
        hv_text_metrics m;
    } e[HV_MEASURE_CACHE];
} hv_measure_cache;

/* s's metrics at px, if cached. */
bool hv_measure_cache_get(const hv_measure_cache *c, const char *s, int px, hv_text_metrics *m);
/* Keeps s's metrics at px (nothing when out of memory). */
void hv_measure_cache_put(hv_measure_cache *c, const char *s, int px, const hv_text_metrics *m);
void hv_measure_cache_free(hv_measure_cache *c);

#endif
