/* figure: (dataset, spec, output size, theme) -> draw list.
 *
 * hv_figure_prepare resolves everything that does not depend on the output
 * size once (axes and their ticks, colour ranges, titles, marker shapes and
 * legend colours, which points lie outside explicit limits). hv_figure_build
 * then lays out and draws a frame for a given size; text is measured through
 * a callback so the layout is testable with a fake fixed-width font. A frame
 * is a list of panels (one viewport each) plus a description of how they
 * share colorbars and legends; hv_figure_side_panels gives the seed's
 * one-panel-per-condition view.
 *
 * Sizes: type, markers and lines follow a context (seaborn's paper 0.8,
 * notebook 1, talk 1.5, poster 2) and a font scale. In pixel outputs type
 * is 15 px for tick labels at notebook up to 1920x1080 and grows with the
 * output above it (a 4K still is the 1080p still, sharper); with a physical
 * size (opts.unit = dpi / 96) it is in points like matplotlib's. Type never
 * goes below 11 px: a small output gives the plots less room, and when
 * they would become too small the type shrinks towards that floor.
 * Does NOT: call SDL or GL, read files or the clock. */
#ifndef HV_FIGURE_H
#define HV_FIGURE_H

#include "colormap.h"
#include "dataset.h"
#include "drawlist.h"
#include "scale.h"
#include "spec.h"

#define HV_MAX_TICKS 64
#define HV_LABEL_MAX 32
/* panels one frame may show: conditions, models, or models x conditions */
#define HV_MAX_PANELS 64

typedef struct hv_text_metrics {
    float width, ascent, descent; /* px; height = ascent + descent */
} hv_text_metrics;

typedef void (*hv_measure_fn)(void *user, const char *s, float size, hv_text_metrics *m);

typedef enum hv_theme_id { HV_THEME_LIGHT, HV_THEME_DARK } hv_theme_id;

typedef struct hv_theme {
    hv_color bg, plot_bg, text, axis, grid, legend_bg, legend_border, marker_edge;
    hv_color edge_contrast; /* rim of a marker whose colour is close to the ground */
    hv_color swatch;        /* legend marker of a model without a spec colour */
    hv_color no_score;      /* heatmap cells without a score */
    hv_color separator;     /* heatmap: between groups of heads */
} hv_theme;

const hv_theme *hv_theme_get(hv_theme_id id);
/* "light" / "dark"; -1 if unknown */
int hv_theme_parse(const char *s);

/* seaborn's contexts: the scale of type, markers and lines */
typedef enum hv_context { HV_CONTEXT_PAPER, HV_CONTEXT_NOTEBOOK, HV_CONTEXT_TALK, HV_CONTEXT_POSTER } hv_context;
int hv_context_parse(const char *s); /* -1 if unknown */
const char *hv_context_name(int c);
float hv_context_scale(int c); /* 0.8, 1, 1.5, 2 */

/* the legend's place; none draws no legend */
typedef enum hv_legend_mode {
    HV_LEGEND_AUTO, /* a corner of the axes no marker ever passes under, else outside */
    HV_LEGEND_OUTSIDE,
    HV_LEGEND_UPPER_RIGHT,
    HV_LEGEND_UPPER_LEFT,
    HV_LEGEND_LOWER_RIGHT,
    HV_LEGEND_LOWER_LEFT,
    HV_LEGEND_NONE,
    HV_LEGEND_COUNT
} hv_legend_mode;
int hv_legend_parse(const char *s); /* "auto", "outside", "upper right", ... ; -1 if unknown */
const char *hv_legend_name(int m);

typedef struct hv_tickset {
    double v[HV_MAX_TICKS];
    char label[HV_MAX_TICKS][HV_LABEL_MAX];
    int n;
} hv_tickset;

/* A panel's data extent and its tick marks. */
typedef struct hv_axes {
    double xlo, xhi, ylo, yhi;
    hv_tickset xticks, yticks;
} hv_axes;

typedef struct hv_cond_info {
    double lo, hi; /* colour range */
    hv_tickset ticks;
    char title[HV_TEXT_MAX]; /* the template expanded ({model}: every model's name) */
    const char *tmpl;        /* the title template (the spec's) */
    int k; /* heads per model shown (the {k} of titles) */
} hv_cond_info;

typedef struct hv_model_info {
    int shape;
    bool color_set;    /* a spec colour for the legend swatch, else the theme's neutral one */
    float color[3];
    char label[HV_TEXT_MAX];
    hv_axes axes;      /* this model's own layer x head extent */
} hv_model_info;

typedef struct hv_figure {
    const hv_dataset *ds;  /* the heads shown: each (model, condition)'s top k */
    const hv_dataset *all; /* every scored head (heatmaps, ranks); ds unless set */
    const hv_spec *spec;
    const hv_colormap *cmap;
    int cmap_index;
    hv_axes axes; /* shared by every model */
    hv_cond_info conds[HV_MAX_CONDITIONS];
    hv_model_info models[HV_MAX_MODELS];
    /* points outside explicit axis limits: not drawn, reported once */
    int n_outside;
    int first_outside;        /* dataset index of the first, -1 if none */
    unsigned char *outside;   /* per dataset point, NULL when none is */
    int max_points; /* the most points one panel may show (marker sizes) */
    /* colorbar labels the animation may show (their widest is reserved) */
    char cbar_widest[4][HV_LABEL_MAX];
    int n_cbar_widest;
    /* the side layout's points: condition c's are side[side_start[c] ..
     * side_start[c + 1]), in draw order */
    struct hv_scene_point *side;
    int side_start[HV_MAX_CONDITIONS + 1];
} hv_figure;

bool hv_figure_prepare(hv_figure *fig, const hv_dataset *ds, const hv_spec *spec, hv_error *err);
void hv_figure_free(hv_figure *fig);
/* One line about the points outside explicit limits ("" when none), e.g.
 * "3 points lie outside the axes (xlim -1, 31; ylim -1, 31) and are not
 * drawn; the first: data.csv:14 (Llama, layer 50, head 3)". */
void hv_figure_outside_message(const hv_figure *fig, const char *data_name, char *out, int size);

/* Where the colorbar of a frame goes. */
typedef enum hv_cbar_mode {
    HV_CBAR_PANEL,  /* one per panel, at its right (the seed) */
    HV_CBAR_COLUMN, /* one per column of panels sharing a range */
    HV_CBAR_FIGURE, /* one for the whole figure, at its right */
    HV_CBAR_NONE,
    HV_CBAR_ROW     /* one per row of panels sharing a range, at the figure's right (a transposed grid) */
} hv_cbar_mode;

/* How a frame's panels share the figure (from the animation's layout). */
typedef struct hv_frame_desc {
    int cols;         /* > 0: exactly this many columns; 0: the best fit for the output */
    int cbar;         /* hv_cbar_mode */
    bool one_legend;  /* one legend for the figure (outside), not one per panel */
    bool no_legend;   /* the layout has no model legend (heatmaps) */
    int cmap;         /* colormap index + 1 for this frame; 0 = the figure's */
    const char *cbar_label; /* NULL = the spec's colorbar label */
    /* a facet grid (heatmap, diff): rows x cols panels, panel p in row p /
     * cols; a header per column and per row instead of panel titles, the
     * axis labels once, tick labels on the outer panels (see layout.h) */
    bool facet;
    int rows;
    const char *col_header[HV_MAX_CONDITIONS];
    const char *row_header[HV_MAX_MODELS];
    /* over the whole figure (two cross-fade in a transition); NULL = none */
    const char *title[2];
    float title_alpha[2];
    /* a wrapped facet (models): each panel its own axes and title, the
     * columns chosen for the output; a legend strip when one_legend */
    bool wrap;
} hv_frame_desc;

typedef struct hv_figure_opts {
    int width, height;
    hv_theme_id theme;
    bool transparent;      /* figure and plot backgrounds transparent */
    float reserve_bottom;  /* px kept free at the bottom (a status line) */
    float context;         /* scale of type, markers, lines: hv_context_scale(); 0 = 1 (notebook) */
    float font_scale;      /* type only, on top of the context; 0 = 1 */
    float unit;            /* px per reference px (1/96 in); 0 = from the output size */
    int legend;            /* hv_legend_mode */
    hv_frame_desc desc;
    hv_measure_fn measure; /* NULL: a fixed-width estimate */
    void *measure_user;
} hv_figure_opts;

/* A point as a panel shows it: position and score may be in between two
 * conditions; alpha and scale animate enter/exit. */
typedef struct hv_scene_point {
    double layer, head, score;
    int model;
    float alpha, scale;
    int src_a, src_b; /* dataset point indices it comes from / goes to, or -1 */
    unsigned flags;   /* HV_POINT_* */
} hv_scene_point;

#define HV_POINT_HIGHLIGHT 1u /* ringed: the hovered head, in another viewport */
#define HV_POINT_HOVER 2u     /* the hovered marker itself */
#define HV_POINT_OUTLINE 4u   /* a heatmap cell's top-k outline, not a marker */

/* Where no legend may go: the bins of a panel's axes that markers cover
 * at any moment of the animation (filled by the animation once). */
#define HV_OCC_N 64
typedef struct hv_occupancy {
    unsigned long long bits[HV_OCC_N]; /* bits[row] bit col; row 0 = ylo */
    double xlo, xhi, ylo, yhi;
} hv_occupancy;
void hv_occupancy_init(hv_occupancy *o, const hv_axes *ax);
void hv_occupancy_add(hv_occupancy *o, double x, double y);
/* Any covered bin overlapping the data rectangle [x0, x1] x [y0, y1]? */
bool hv_occupancy_any(const hv_occupancy *o, double x0, double x1, double y0, double y1);

/* One viewport's content for one frame. Two titles cross-fade. */
typedef struct hv_panel_state {
    const char *title[2];
    float title_alpha[2];
    double lo, hi;                /* colour range of the colorbar and markers */
    const hv_tickset *ticks;      /* colorbar ticks; NULL: nice ticks for [lo, hi] this frame */
    float tick_target;            /* with ticks NULL: about this many intervals (0 = 5) */
    const hv_scene_point *points;
    int n_points;
    float model_alpha[HV_MAX_MODELS]; /* legend entries, 0 = hidden model */
    unsigned legend_mask;             /* models listed in the legend; 0 = all */
    const hv_axes *axes;              /* NULL: the figure's shared axes */
    const hv_occupancy *occupancy;    /* NULL: the legend avoids this frame's markers only */
    /* a heatmap: cells cols x rows (layers x heads) over the axes, as
     * colormap positions, row 0 = the highest head (the top); NaN = no score */
    const float *cells;
    int cell_cols, cell_rows;
    int kv_group;                     /* heads per key-value head: separators; 0 = none */
    float alpha;                      /* whole panel's content (0 = 1) */
    /* a heatmap drawn like sns.heatmap: heads across, layers down, layer 0
     * at the top (the cells then hold rows of layers: row 0 = layer 0; the
     * axes are heads on x, layers on y) */
    bool layers_y;
    bool hidden;                      /* laid out (its place kept), not drawn: a build's later panel */
} hv_panel_state;

typedef struct hv_panel_layout {
    hv_rect cell, plot, colorbar, legend;
    hv_rect legend_rows[HV_MAX_MODELS]; /* clickable entries of this panel's legend (w = 0: none) */
    hv_scale sx, sy;
} hv_panel_layout;

typedef struct hv_figure_layout {
    int n_panels;
    hv_panel_layout panels[HV_MAX_PANELS];
    hv_rect legend_rows[HV_MAX_MODELS]; /* entries of the figure legend (outside) */
    hv_rect legend;                     /* the figure legend (outside), w = 0: none */
    int cols, rows;
    float scale;        /* output px per reference px of the geometry (1920x1080 = 1) */
    float type_scale;   /* px per reference px of the type */
    float marker_size;  /* nominal marker diameter, px */
    float f_title, f_label, f_tick, f_legend; /* font sizes used, px */
    bool legend_outside;
    /* false when the output is too small for every panel to show its data
     * (nothing is drawn then): need_w x need_h px would hold it */
    bool fits;
    float need_w, need_h;
    bool type_shrunk; /* the context's type did not fit and was made smaller */
    bool shortened;   /* a header had to leave characters out */
} hv_figure_layout;

/* Draws the panels. `layout` may be NULL. */
void hv_figure_build(const hv_figure *fig, const hv_figure_opts *opts, const hv_panel_state *panels,
                     int n_panels, hv_drawlist *dl, hv_figure_layout *layout);

/* Fills one panel state per condition (the seed's static view). `points`
 * must hold ds->n_points entries. Returns the panel count. */
int hv_figure_side_panels(const hv_figure *fig, hv_panel_state *panels, hv_scene_point *points);

/* Puts a panel's points in drawing order, a function of the data alone
 * (never of the row order of a file): lower scores first, so a higher
 * score is drawn on top of a lower one where markers overlap; ties by
 * model, layer, head, then the more visible point on top. */
void hv_scene_sort(hv_scene_point *pts, int n);
/* The same with scratch memory kept by the caller between calls (frames of
 * an animation: no allocation each frame). */
typedef struct hv_sort_scratch {
    void *buf;
    size_t cap;
} hv_sort_scratch;
void hv_scene_sort_with(hv_scene_point *pts, int n, hv_sort_scratch *scratch);
void hv_sort_scratch_free(hv_sort_scratch *s);

/* The point under (x, y): its index in panels[*panel].points, or -1. Picks
 * the nearest visible marker within its radius (plus 3 px). */
int hv_figure_hit(const hv_figure_layout *l, const hv_panel_state *panels, int n_panels, float x, float y,
                  int *panel);
/* The model whose legend entry is under (x, y), or -1. */
int hv_figure_hit_legend(const hv_figure_layout *l, float x, float y);

/* Where a head is drawn in a panel: layer across and head up, or with
 * layers_y heads across and layers down. */
void hv_panel_point(const hv_panel_state *ps, const hv_panel_layout *pl, double layer, double head, float *x,
                    float *y);

/* The cell of a heatmap panel under (x, y): true with its panel, layer and head. */
bool hv_figure_hit_cell(const hv_figure_layout *l, const hv_panel_state *panels, int n_panels, float x, float y,
                        int *panel, int *layer, int *head);

/* Axes that fit a layers x heads grid of cells exactly (-0.5 .. n - 0.5),
 * with whole-number ticks. */
void hv_axes_for_grid(hv_axes *ax, const hv_spec *spec, int layers, int heads);

/* Colour value (colormap position in [0,1]) of a score in a range. */
float hv_figure_value(double score, double lo, double hi);
/* About how many intervals a condition's ticks divide its range into
 * (1..HV_MAX_TICKS - 1; 5 without ticks): the target of the nice ticks
 * chosen between two conditions. */
float hv_figure_tick_intervals(const hv_cond_info *ci);

/* Nice colorbar ticks for [lo, hi] on a bar `bar_px` tall whose labels are
 * `label_px` tall: about `target` intervals (0 = 5), at least three ticks
 * in range, labels never closer than 1.25 label heights. */
/* Condition c's title for model m: the template with {model} as the
 * model's name (m < 0: the condition's title, every model named). */
void hv_figure_title(const hv_figure *fig, int m, int c, char *out, int out_size);
/* Whether some condition's title template has {model}. */
bool hv_figure_title_names_model(const hv_figure *fig);

void hv_figure_nice_ticks(double lo, double hi, float target, float bar_px, float label_px, hv_tickset *out);

#endif
