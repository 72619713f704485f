#include "textcache.h"

#ifdef __EMSCRIPTEN__
#include <GLES3/gl3.h> /* the web player: WebGL2 */
#else
#include <epoxy/gl.h>
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>

int hv_text_px(float size)
{
    int px = (int)lrintf(size);
    return px < 1 ? 1 : px > 1000 ? 1000 : px;
}

static uint64_t hash_str(const char *s, int px)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)px;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static char *copy_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

unsigned hv_tex_cache_get(hv_tex_cache *c, const char *s, float size, hv_coverage_fn cov_fn, void *user, int *w, int *h)
{
    int px = hv_text_px(size);
    uint64_t hash = hash_str(s, px);
    int slot = (int)(hash % HV_TEX_CACHE), victim = -1;
    /* small open-addressed probe window */
    for (int k = 0; k < 8; k++) {
        struct hv_tex_entry *e = &c->e[(slot + k) % HV_TEX_CACHE];
        if (e->s && e->hash == hash && e->px == px && strcmp(e->s, s) == 0) {
            e->used = ++c->clock;
            *w = e->w;
            *h = e->h;
            return e->tex;
        }
        if (victim < 0 || !e->s || (c->e[victim].s && e->used < c->e[victim].used))
            victim = (slot + k) % HV_TEX_CACHE;
    }
    int cw = 0, ch = 0;
    unsigned char *cov = cov_fn(user, s, size, &cw, &ch);
    if (!cov)
        return 0;
    struct hv_tex_entry *e = &c->e[victim];
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
    e->s = copy_str(s);
    if (!e->s) {
        glDeleteTextures(1, &tex);
        return 0;
    }
    e->hash = hash;
    e->px = px;
    e->tex = tex;
    e->w = cw;
    e->h = ch;
    e->used = ++c->clock;
    *w = cw;
    *h = ch;
    return tex;
}

void hv_tex_cache_release_gl(hv_tex_cache *c)
{
    for (int i = 0; i < HV_TEX_CACHE; i++)
        if (c->e[i].s) {
            glDeleteTextures(1, &c->e[i].tex);
            free(c->e[i].s);
            c->e[i].s = NULL;
        }
}

void hv_tex_cache_free(hv_tex_cache *c)
{
    for (int i = 0; i < HV_TEX_CACHE; i++)
        free(c->e[i].s);
}

bool hv_measure_cache_get(const hv_measure_cache *c, const char *s, int px, hv_text_metrics *m)
{
    uint64_t h = hash_str(s, px);
    const struct hv_measured *e = &c->e[h % HV_MEASURE_CACHE];
    if (!(e->s && e->hash == h && e->px == px && strcmp(e->s, s) == 0))
        return false;
    *m = e->m;
    return true;
}

void hv_measure_cache_put(hv_measure_cache *c, const char *s, int px, const hv_text_metrics *m)
{
    uint64_t h = hash_str(s, px);
    struct hv_measured *e = &c->e[h % HV_MEASURE_CACHE];
    char *copy = copy_str(s);
    if (!copy)
        return;
    free(e->s);
    e->s = copy;
    e->hash = h;
    e->px = px;
    e->m = *m;
}

void hv_measure_cache_free(hv_measure_cache *c)
{
    for (int i = 0; i < HV_MEASURE_CACHE; i++)
        free(c->e[i].s);
}
