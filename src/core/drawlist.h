/* drawlist: the only boundary between the core and rendering.
 *
 * The core appends items; consecutive items of one kind under one clip become
 * one command, so a backend is a short loop over commands (imgui/microui
 * style). Coordinates are pixels of the output image, origin top-left, y down;
 * a rect covers [x, x+w) x [y, y+h). Colours are straight (not premultiplied)
 * RGBA in [0,1]. Buffers are reused across frames: hv_drawlist_reset keeps
 * capacity, so a steady animation allocates nothing per frame.
 * Does NOT: touch GL, SDL, fonts or files. */
#ifndef HV_DRAWLIST_H
#define HV_DRAWLIST_H

#include <stdbool.h>

typedef struct hv_color {
    float r, g, b, a;
} hv_color;

typedef struct hv_rect {
    float x, y, w, h;
} hv_rect;

typedef struct hv_rect_item {
    hv_rect r;
    hv_color c;
    int hairline; /* 1: a hairline (hv_dl_hairline), 0: a filled rect */
} hv_rect_item;

/* A hairline's width in PDF and SVG, in points (1/72 in): the thinnest line
 * that still prints, whatever the page's scale. */
#define HV_HAIRLINE_PT 0.25

typedef struct hv_marker {
    float x, y;      /* centre */
    float size;      /* nominal diameter, px */
    float shape;     /* hv_shape */
    hv_color fill;   /* used when value < 0 */
    float value;     /* colormap position in [0,1], or -1 to use fill */
    float alpha;     /* overall opacity */
    hv_color outline;
    float outline_w; /* px, outside the shape */
    float stroke_w;  /* px, line width of x / plus */
} hv_marker;

typedef struct hv_colorbar_item {
    hv_rect r;
    float t0, t1; /* colormap position at the bottom and at the top */
    float alpha;
} hv_colorbar_item;

/* A grid of cells coloured through the colormap (a heatmap): cols x rows
 * cells filling r, row 0 at the top, each a colormap position in [0,1]
 * (sampled exactly like a marker's value), or NaN for "no score", drawn in
 * nan_color. A backend draws each cell as a sharp rectangle (nearest
 * neighbour, never blurred between cells).
 *
 * r's edges are whole pixels (hv_dl_heatmap rounds them), and the cell of
 * each pixel is fixed in integers, so every raster backend colours every
 * pixel with the same cell, however fractional the cells' size: the pixel
 * p columns right of r.x and q rows below r.y (0 <= p < w, 0 <= q < h)
 * shows the cell under its centre,
 *     column (2p + 1) * cols / (2w),  row (2q + 1) * rows / (2h)
 * (integer division); hv_heatmap_cell computes it. Vector outputs scale
 * the grid to r. */
typedef struct hv_heatmap_item {
    hv_rect r;
    int cols, rows;
    int values; /* offset into the value pool: rows * cols floats */
    hv_color nan_color;
    float alpha;
} hv_heatmap_item;

enum { HV_ANCHOR_START = 0, HV_ANCHOR_CENTER = 1, HV_ANCHOR_END = 2 };

typedef struct hv_text_item {
    int str;     /* offset into the string pool */
    float x, y;  /* anchor point */
    float size;  /* font size, px */
    hv_color c;
    int ax, ay;  /* anchors within the unrotated box: START = left / top */
    int rotate;  /* 0, or 90 = counter-clockwise (reads bottom to top) */
} hv_text_item;

typedef enum hv_cmd_type {
    HV_CMD_RECTS,
    HV_CMD_MARKERS,
    HV_CMD_COLORBARS,
    HV_CMD_TEXTS,
    HV_CMD_HEATMAPS,
} hv_cmd_type;

typedef struct hv_cmd {
    hv_cmd_type type;
    int first, count;
    bool clipped;
    hv_rect clip;
} hv_cmd;

typedef struct hv_drawlist {
    int width, height;
    hv_color clear;
    int colormap_index; /* which colormap markers and colorbars sample */
    hv_cmd *cmds;
    int n_cmds, cap_cmds;
    hv_rect_item *rects;
    int n_rects, cap_rects;
    hv_marker *markers;
    int n_markers, cap_markers;
    hv_colorbar_item *colorbars;
    int n_colorbars, cap_colorbars;
    hv_text_item *texts;
    int n_texts, cap_texts;
    char *strings;
    int n_strings, cap_strings;
    hv_heatmap_item *heatmaps;
    int n_heatmaps, cap_heatmaps;
    float *values; /* heatmap cells */
    int n_values, cap_values;
    bool clipped;
    hv_rect clip;
    bool oom; /* an append failed for lack of memory */
} hv_drawlist;

void hv_drawlist_reset(hv_drawlist *dl, int width, int height, hv_color clear);
void hv_drawlist_free(hv_drawlist *dl);

void hv_dl_clip(hv_drawlist *dl, const hv_rect *clip); /* NULL = no clip */
void hv_dl_rect(hv_drawlist *dl, hv_rect r, hv_color c);
/* A hairline: a line as thin as the output allows. r is the line as one
 * device pixel across (w or h 1): raster outputs (GL, the CPU raster) fill r
 * as hv_dl_rect does; PDF and SVG stroke r's centre line along its long
 * side HV_HAIRLINE_PT wide, however the page scales the pixels. */
void hv_dl_hairline(hv_drawlist *dl, hv_rect r, hv_color c);
void hv_dl_marker(hv_drawlist *dl, const hv_marker *m);
void hv_dl_colorbar(hv_drawlist *dl, hv_rect r, float t0, float t1, float alpha);
void hv_dl_text(hv_drawlist *dl, const char *s, float x, float y, float size, hv_color c, int ax,
                int ay, int rotate);

/* values: rows * cols colormap positions, row 0 at the top (copied). */
void hv_dl_heatmap(hv_drawlist *dl, hv_rect r, int cols, int rows, const float *values, hv_color nan_color,
                   float alpha);

const char *hv_dl_string(const hv_drawlist *dl, const hv_text_item *t);
const float *hv_dl_heatmap_values(const hv_drawlist *dl, const hv_heatmap_item *h);
/* The cell (column or row) that pixel p of n shows in a heatmap of cells
 * cells along that side (see hv_heatmap_item): (2p + 1) * cells / (2n),
 * clamped to 0..cells - 1. heatmap.frag computes the same. */
static inline int hv_heatmap_cell(int p, int n, int cells)
{
    long long c = n > 0 ? ((2LL * p + 1) * cells) / (2LL * n) : 0;
    return c < 0 ? 0 : c >= cells ? cells - 1 : (int)c;
}

/* Where cells are smaller than a pixel (more cells than pixels along a
 * side), pixel p of n shows the mean colour of the cells it covers,
 * [p * cells / n, (p + 1) * cells / n), so no cell is skipped and no moiré
 * comes from which one a pixel's centre hits; wider spans are sampled at
 * HV_HEAT_SAMPLES evenly spaced cells. Returns how many cells pixel p takes
 * along this side (1 where cells are at least a pixel: hv_heatmap_cell's);
 * the i-th of them is hv_heatmap_sample(p, n, cells, i, k). heatmap.frag
 * computes the same in integers. */
#define HV_HEAT_SAMPLES 8
static inline int hv_heatmap_samples(int p, int n, int cells)
{
    if (cells <= n || n <= 0)
        return 1;
    long long a = (long long)p * cells / n, b = (long long)(p + 1) * cells / n;
    long long k = b - a;
    return k < 1 ? 1 : k > HV_HEAT_SAMPLES ? HV_HEAT_SAMPLES : (int)k;
}
static inline int hv_heatmap_sample(int p, int n, int cells, int i, int k)
{
    if (cells <= n || n <= 0)
        return hv_heatmap_cell(p, n, cells);
    long long a = (long long)p * cells / n, b = (long long)(p + 1) * cells / n;
    long long c = a + ((2LL * i + 1) * (b - a)) / (2LL * k);
    return c < 0 ? 0 : c >= cells ? cells - 1 : (int)c;
}

/* True when two lists draw exactly the same frame (same size, clear colour,
 * colormap, commands and items). */
bool hv_drawlist_equal(const hv_drawlist *a, const hv_drawlist *b);
/* Makes dst an exact copy of src (reusing dst's buffers). False on OOM. */
bool hv_drawlist_copy(hv_drawlist *dst, const hv_drawlist *src);

#endif
