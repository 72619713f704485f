#include "drawlist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool grow(hv_drawlist *dl, void **buf, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return true;
    int nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *nb = realloc(*buf, (size_t)nc * elem);
    if (!nb) {
        dl->oom = true;
        return false;
    }
    *buf = nb;
    *cap = nc;
    return true;
}

#define GROW(dl, arr, n, cap, need) grow((dl), (void **)&(dl)->arr, &(dl)->cap, (need), sizeof *(dl)->arr)

void hv_drawlist_reset(hv_drawlist *dl, int width, int height, hv_color clear)
{
    dl->width = width;
    dl->height = height;
    dl->clear = clear;
    dl->n_cmds = dl->n_rects = dl->n_markers = dl->n_colorbars = dl->n_texts = dl->n_strings = 0;
    dl->n_heatmaps = dl->n_values = 0;
    dl->clipped = false;
    dl->oom = false;
}

void hv_drawlist_free(hv_drawlist *dl)
{
    free(dl->cmds);
    free(dl->rects);
    free(dl->markers);
    free(dl->colorbars);
    free(dl->texts);
    free(dl->strings);
    free(dl->heatmaps);
    free(dl->values);
    memset(dl, 0, sizeof *dl);
}

static bool same_clip(const hv_cmd *c, const hv_drawlist *dl)
{
    if (c->clipped != dl->clipped)
        return false;
    return !c->clipped || memcmp(&c->clip, &dl->clip, sizeof c->clip) == 0;
}

/* Extends the last command if it has this type and clip, else opens one. */
static void add_cmd(hv_drawlist *dl, hv_cmd_type type, int index)
{
    if (dl->n_cmds > 0) {
        hv_cmd *last = &dl->cmds[dl->n_cmds - 1];
        if (last->type == type && same_clip(last, dl) && last->first + last->count == index) {
            last->count++;
            return;
        }
    }
    if (!GROW(dl, cmds, n_cmds, cap_cmds, dl->n_cmds + 1))
        return;
    hv_cmd *c = &dl->cmds[dl->n_cmds++];
    c->type = type;
    c->first = index;
    c->count = 1;
    c->clipped = dl->clipped;
    c->clip = dl->clip;
}

void hv_dl_clip(hv_drawlist *dl, const hv_rect *clip)
{
    dl->clipped = clip != NULL;
    if (clip)
        dl->clip = *clip;
}

static void add_rect(hv_drawlist *dl, hv_rect r, hv_color c, int hairline)
{
    if (r.w <= 0 || r.h <= 0 || c.a <= 0)
        return;
    if (!GROW(dl, rects, n_rects, cap_rects, dl->n_rects + 1))
        return;
    dl->rects[dl->n_rects] = (hv_rect_item){r, c, hairline};
    add_cmd(dl, HV_CMD_RECTS, dl->n_rects++);
}

void hv_dl_rect(hv_drawlist *dl, hv_rect r, hv_color c) { add_rect(dl, r, c, 0); }

void hv_dl_hairline(hv_drawlist *dl, hv_rect r, hv_color c) { add_rect(dl, r, c, 1); }

void hv_dl_marker(hv_drawlist *dl, const hv_marker *m)
{
    if (m->alpha <= 0 || m->size <= 0)
        return;
    if (!GROW(dl, markers, n_markers, cap_markers, dl->n_markers + 1))
        return;
    dl->markers[dl->n_markers] = *m;
    add_cmd(dl, HV_CMD_MARKERS, dl->n_markers++);
}

void hv_dl_colorbar(hv_drawlist *dl, hv_rect r, float t0, float t1, float alpha)
{
    if (alpha <= 0)
        return;
    if (!GROW(dl, colorbars, n_colorbars, cap_colorbars, dl->n_colorbars + 1))
        return;
    dl->colorbars[dl->n_colorbars] = (hv_colorbar_item){r, t0, t1, alpha};
    add_cmd(dl, HV_CMD_COLORBARS, dl->n_colorbars++);
}

void hv_dl_text(hv_drawlist *dl, const char *s, float x, float y, float size, hv_color c, int ax,
                int ay, int rotate)
{
    if (!s || !*s || c.a <= 0)
        return;
    int len = (int)strlen(s) + 1;
    if (!GROW(dl, strings, n_strings, cap_strings, dl->n_strings + len))
        return;
    if (!GROW(dl, texts, n_texts, cap_texts, dl->n_texts + 1))
        return;
    memcpy(dl->strings + dl->n_strings, s, (size_t)len);
    dl->texts[dl->n_texts] = (hv_text_item){dl->n_strings, x, y, size, c, ax, ay, rotate};
    dl->n_strings += len;
    add_cmd(dl, HV_CMD_TEXTS, dl->n_texts++);
}

void hv_dl_heatmap(hv_drawlist *dl, hv_rect r, int cols, int rows, const float *values, hv_color nan_color,
                   float alpha)
{
    /* whole pixels: each edge rounded on its own, so neighbouring grids
     * that share an edge still share it */
    float x0 = roundf(r.x), y0 = roundf(r.y);
    r = (hv_rect){x0, y0, roundf(r.x + r.w) - x0, roundf(r.y + r.h) - y0};
    if (cols < 1 || rows < 1 || !(r.w > 0) || !(r.h > 0) || alpha <= 0 || (long long)cols * rows > (1 << 24))
        return;
    int n = cols * rows;
    if (!GROW(dl, values, n_values, cap_values, dl->n_values + n))
        return;
    if (!GROW(dl, heatmaps, n_heatmaps, cap_heatmaps, dl->n_heatmaps + 1))
        return;
    memcpy(dl->values + dl->n_values, values, (size_t)n * sizeof *values);
    dl->heatmaps[dl->n_heatmaps] = (hv_heatmap_item){r, cols, rows, dl->n_values, nan_color, alpha};
    dl->n_values += n;
    add_cmd(dl, HV_CMD_HEATMAPS, dl->n_heatmaps++);
}

const char *hv_dl_string(const hv_drawlist *dl, const hv_text_item *t) { return dl->strings + t->str; }

const float *hv_dl_heatmap_values(const hv_drawlist *dl, const hv_heatmap_item *h) { return dl->values + h->values; }

static bool cmd_equal(const hv_cmd *a, const hv_cmd *b)
{
    if (a->type != b->type || a->first != b->first || a->count != b->count || a->clipped != b->clipped)
        return false;
    return !a->clipped || (a->clip.x == b->clip.x && a->clip.y == b->clip.y && a->clip.w == b->clip.w &&
                           a->clip.h == b->clip.h);
}

bool hv_drawlist_equal(const hv_drawlist *a, const hv_drawlist *b)
{
    if (a->width != b->width || a->height != b->height || a->colormap_index != b->colormap_index ||
        memcmp(&a->clear, &b->clear, sizeof a->clear) != 0 || a->n_cmds != b->n_cmds || a->n_rects != b->n_rects ||
        a->n_markers != b->n_markers || a->n_colorbars != b->n_colorbars || a->n_texts != b->n_texts ||
        a->n_strings != b->n_strings || a->n_heatmaps != b->n_heatmaps || a->n_values != b->n_values)
        return false;
    for (int i = 0; i < a->n_cmds; i++)
        if (!cmd_equal(&a->cmds[i], &b->cmds[i]))
            return false;
    /* items are all floats and ints without padding: bytes compare exactly */
    return (a->n_rects == 0 || memcmp(a->rects, b->rects, (size_t)a->n_rects * sizeof *a->rects) == 0) &&
           (a->n_markers == 0 || memcmp(a->markers, b->markers, (size_t)a->n_markers * sizeof *a->markers) == 0) &&
           (a->n_colorbars == 0 ||
            memcmp(a->colorbars, b->colorbars, (size_t)a->n_colorbars * sizeof *a->colorbars) == 0) &&
           (a->n_texts == 0 || memcmp(a->texts, b->texts, (size_t)a->n_texts * sizeof *a->texts) == 0) &&
           (a->n_strings == 0 || memcmp(a->strings, b->strings, (size_t)a->n_strings) == 0) &&
           (a->n_heatmaps == 0 || memcmp(a->heatmaps, b->heatmaps, (size_t)a->n_heatmaps * sizeof *a->heatmaps) == 0) &&
           /* NaN cells compare by bits: the same frame has the same bits */
           (a->n_values == 0 || memcmp(a->values, b->values, (size_t)a->n_values * sizeof *a->values) == 0);
}

bool hv_drawlist_copy(hv_drawlist *dst, const hv_drawlist *src)
{
    hv_drawlist_reset(dst, src->width, src->height, src->clear);
    dst->colormap_index = src->colormap_index;
    if (!GROW(dst, cmds, n_cmds, cap_cmds, src->n_cmds) || !GROW(dst, rects, n_rects, cap_rects, src->n_rects) ||
        !GROW(dst, markers, n_markers, cap_markers, src->n_markers) ||
        !GROW(dst, colorbars, n_colorbars, cap_colorbars, src->n_colorbars) ||
        !GROW(dst, texts, n_texts, cap_texts, src->n_texts) ||
        !GROW(dst, strings, n_strings, cap_strings, src->n_strings) ||
        !GROW(dst, heatmaps, n_heatmaps, cap_heatmaps, src->n_heatmaps) ||
        !GROW(dst, values, n_values, cap_values, src->n_values))
        return false;
#define COPY(arr, n)                                                                                               \
    do {                                                                                                           \
        if (src->n)                                                                                                \
            memcpy(dst->arr, src->arr, (size_t)src->n * sizeof *src->arr);                                         \
        dst->n = src->n;                                                                                           \
    } while (0)
    COPY(cmds, n_cmds);
    COPY(rects, n_rects);
    COPY(markers, n_markers);
    COPY(colorbars, n_colorbars);
    COPY(texts, n_texts);
    COPY(strings, n_strings);
    COPY(heatmaps, n_heatmaps);
    COPY(values, n_values);
#undef COPY
    return true;
}
