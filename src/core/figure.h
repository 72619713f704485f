/* figure: (dataset, spec, output size, theme) -> draw list.
 *
 * hv_figure_prepare resolves everything that does not depend on the output
 * size once (colour ranges, ticks and their labels, titles, marker shapes and
 * legend colours). hv_figure_build then lays out and draws a frame for a
 * given size; text is measured through a callback so the layout is testable
 * with a fake fixed-width font. A frame is a list of panels (one viewport
 * each); hv_figure_side_panels gives the seed's one-panel-per-condition view.
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

typedef struct hv_text_metrics {
    float width, ascent, descent; /* px; height = ascent + descent */
} hv_text_metrics;

typedef void (*hv_measure_fn)(void *user, const char *s, float size, hv_text_metrics *m);

typedef enum hv_theme_id { HV_THEME_LIGHT, HV_THEME_DARK } hv_theme_id;

typedef struct hv_theme {
    hv_color bg, plot_bg, text, axis, grid, legend_bg, legend_border, marker_edge;
} hv_theme;

const hv_theme *hv_theme_get(hv_theme_id id);
/* "light" / "dark"; -1 if unknown */
int hv_theme_parse(const char *s);

typedef struct hv_tickset {
    double v[HV_MAX_TICKS];
    char label[HV_MAX_TICKS][HV_LABEL_MAX];
    int n;
} hv_tickset;

typedef struct hv_cond_info {
    double lo, hi; /* colour range */
    hv_tickset ticks;
    char title[HV_TEXT_MAX];
} hv_cond_info;

typedef struct hv_model_info {
    int shape;
    float legend_t;    /* colormap position of the legend swatch, or -1 */
    float color[3];    /* used when legend_t < 0 */
    char label[HV_TEXT_MAX];
} hv_model_info;

typedef struct hv_figure {
    const hv_dataset *ds;
    const hv_spec *spec;
    const hv_colormap *cmap;
    int cmap_index;
    double xlo, xhi, ylo, yhi;
    hv_tickset xticks, yticks;
    hv_cond_info conds[HV_MAX_CONDITIONS];
    hv_model_info models[HV_MAX_MODELS];
} hv_figure;

bool hv_figure_prepare(hv_figure *fig, const hv_dataset *ds, const hv_spec *spec, hv_error *err);

typedef struct hv_figure_opts {
    int width, height;
    hv_theme_id theme;
    bool transparent;     /* clear to alpha 0 instead of the theme background */
    float reserve_bottom;  /* px kept free at the bottom (a status line) */
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

/* One viewport's content for one frame. Two titles / tick sets cross-fade. */
typedef struct hv_panel_state {
    const char *title[2];
    float title_alpha[2];
    double lo, hi;             /* colour range of the colorbar and markers */
    const hv_tickset *ticks[2]; /* colorbar ticks (values in data units) */
    float tick_alpha[2];
    const hv_scene_point *points;
    int n_points;
    float model_alpha[HV_MAX_MODELS]; /* legend entries, 0 = hidden model */
    unsigned legend_mask;             /* models listed in the legend; 0 = all */
} hv_panel_state;

typedef struct hv_panel_layout {
    hv_rect plot, colorbar, legend;
    hv_rect legend_rows[HV_MAX_MODELS]; /* clickable legend entries (w = 0: none) */
    hv_scale sx, sy;
} hv_panel_layout;

typedef struct hv_figure_layout {
    int n_panels;
    hv_panel_layout panels[HV_MAX_CONDITIONS];
    float scale;        /* output px per reference px (1920x1080 = 1) */
    float marker_size;  /* nominal marker diameter, px */
} hv_figure_layout;

/* Draws n panels side by side. `layout` may be NULL. scratch holds n panel
 * states' worth of points for the side view; see hv_figure_side_panels. */
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

/* The point under (x, y): its index in panels[*panel].points, or -1. Picks
 * the nearest visible marker within its radius (plus 3 px). */
int hv_figure_hit(const hv_figure_layout *l, const hv_panel_state *panels, int n_panels, float x, float y,
                  int *panel);
/* The model whose legend entry is under (x, y), or -1. */
int hv_figure_hit_legend(const hv_figure_layout *l, float x, float y);

/* Colour value (colormap position in [0,1]) of a score in a range. */
float hv_figure_value(double score, double lo, double hi);

#endif
