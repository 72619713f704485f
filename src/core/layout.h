/* layout: the facet grid of a figure, solved from measured decorations.
 *
 * A figure of rows x cols panels (models x conditions in the heatmap and
 * diff layouts, a wrapped grid of models in the models layout) is a grid of
 * plots with bands around them, as matplotlib's constrained_layout and
 * Makie's GridLayout see it: the figure title and the shared x label span
 * every column, the shared y label and the row headers every row, column
 * headers sit above a row, tick labels left of a column and below a row,
 * colorbars right of a column or of the whole grid. The caller measures
 * every band (text through its measure callback, so this is testable with a
 * fake font) and hv_grid_solve gives each exactly that room; the plots get
 * the rest, all of one size, lined up across rows and down columns.
 *
 * The text helpers fit names into a band: wrapped onto a second line at a
 * space or a hyphen before anything is cut, and a name that is still too
 * long keeps both of its ends ("Llama-2-70b-chat-hf … 2024-03 ckpt").
 * Does NOT: draw, choose type sizes, or know about models and conditions. */
#ifndef HV_LAYOUT_H
#define HV_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define HV_GRID_MAX 16

typedef struct hv_grid_in {
    int rows, cols;
    float W, H;       /* the canvas, px */
    float margin;     /* around everything */
    float title_h;    /* figure title band above everything; 0 = none */
    float xlabel_h;   /* shared x label band below everything; 0 = none */
    float ylabel_w;   /* shared y label band left of everything; 0 = none */
    float rowhdr_w;   /* row headers: a band left of the y tick labels */
    float figcb_w;    /* the figure's colorbar block right of everything; 0 = none */
    float top_h[HV_GRID_MAX];    /* above row r (column headers, panel titles) */
    float bottom_h[HV_GRID_MAX]; /* below row r (x tick marks and labels) */
    float left_w[HV_GRID_MAX];   /* left of column c (y tick marks and labels) */
    float right_w[HV_GRID_MAX];  /* right of column c (a column's colorbar) */
    float hgap, vgap; /* between neighbouring bands of two columns / rows */
    float min_w, min_h; /* the smallest plot that still shows its data */
} hv_grid_in;

typedef struct hv_grid_out {
    bool ok;             /* every plot at least min_w x min_h */
    float plot_w, plot_h;
    float col_x[HV_GRID_MAX]; /* left edge of column c's plots */
    float row_y[HV_GRID_MAX]; /* top edge of row r's plots */
    float grid_x0, grid_x1;   /* from the first column's tick band to the last column's right band */
    float grid_y0, grid_y1;   /* from the first row's top band to the last row's bottom band */
    float need_w, need_h;     /* the smallest canvas with plots of min_w x min_h */
} hv_grid_out;

/* Solves the grid. Pixel positions are not rounded (the caller snaps). */
bool hv_grid_solve(const hv_grid_in *in, hv_grid_out *out);

typedef float (*hv_width_fn)(void *user, const char *s);

/* Fits s into lines of at most maxw px (width measured by wf): one line if
 * it fits; else two, broken at the space or hyphen that balances them
 * best; else (max_lines 1, or no break fits) one line shortened in the
 * middle with "…", keeping the start and the end. line[k] receive the
 * lines (each line_size bytes). Returns the line count (1 or 2) and sets
 * *shortened when a character was left out. */
int hv_fit_lines(const char *s, float maxw, int max_lines, hv_width_fn wf, void *user, char line[2][160],
                 bool *shortened);

/* Greedy wrap of s into at most max_lines lines of at most maxw px; true
 * when it fits without cutting anything (*n_lines lines in line[]), false
 * otherwise. Lines end at spaces where that fits, else also after hyphens
 * that do not split a number ("step-|2024-03"), else after any hyphen. */
bool hv_wrap(const char *s, float maxw, int max_lines, hv_width_fn wf, void *user, char line[][160], int *n_lines);

/* hv_wrap with the breaks of one tier only: 0 spaces, 1 also hyphens not
 * followed by a digit, 2 any hyphen. */
bool hv_wrap_tier(const char *s, float maxw, int max_lines, int tier, hv_width_fn wf, void *user, char line[][160],
                  int *n_lines);

/* s shortened in the middle to fit maxw px: "start … end" (whole UTF-8
 * characters), or s itself when it fits. */
const char *hv_shorten_middle(const char *s, float maxw, hv_width_fn wf, void *user, char *out, size_t out_size);

/* Whole-number ticks for an index axis [lo, hi] drawn over len_px pixels,
 * whose labels each need label_px along the axis: the step is 1, 2 or 5
 * x 10^n, the smallest that leaves room for every label, with at least
 * two ticks (MaxNLocator's idea). Fills v (at most max) from max(lo, 0)
 * up; returns the count and the step in *step. */
int hv_index_ticks(double lo, double hi, float len_px, float label_px, double *v, int max, double *step);

/* The shortest axis over [lo, hi] on which hv_index_ticks's sparsest two
 * ticks (the largest step with two multiples in it) stand label_px
 * apart: the least room that shows two labelled ticks. 0 when the axis
 * holds fewer than two indices. */
float hv_index_ticks_two_len(double lo, double hi, float label_px);

#endif
