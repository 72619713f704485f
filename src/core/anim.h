/* anim: the morph between conditions, as a pure function of progress.
 *
 * Does: easing curves; the timeline (hold on a state, transition to the next,
 * loop: time -> progress, no clock inside); matching points across two
 * conditions (by head, by rank, or by least total travel with an optimal
 * assignment); and the panel states of one frame for each layout:
 *   side    one viewport per condition; playing builds the figure, points pop
 *           in by rank
 *   morph   one viewport, all models, morphing between conditions
 *   models  one viewport per model, each morphing between conditions
 *   heatmap one panel per (model, condition): every head of the model's grid
 *           as a cell, the top-k outlined; conditions build up column by
 *           column, a new column morphing from the previous one's scores
 *   diff    one panel per model and pair of consecutive conditions: the
 *           second minus the first, on a diverging colormap
 * A moving point's colour is its interpolated score through the colormap with
 * the interpolated colour range, so every in-between colour is on the map.
 *
 * Progress P: floor(P) is the state held; the fraction is how far the
 * transition to the next state (wrapping to the first) has gone, in time;
 * easing is applied inside.
 * Does NOT: read the clock, draw, or allocate per frame after init. */
#ifndef HV_ANIM_H
#define HV_ANIM_H

#include "figure.h"

typedef enum hv_easing {
    HV_EASE_LINEAR,
    HV_EASE_CUBIC,   /* cubic in-out */
    HV_EASE_QUINT,   /* quintic in-out */
    HV_EASE_BACK,    /* back-out: overshoots, settles */
    HV_EASE_ELASTIC, /* elastic-out */
    HV_EASE_COUNT
} hv_easing;

typedef enum hv_match_mode { HV_MATCH_HEAD, HV_MATCH_RANK, HV_MATCH_NEAREST, HV_MATCH_COUNT } hv_match_mode;
typedef enum hv_layout_mode {
    HV_LAYOUT_SIDE,
    HV_LAYOUT_MORPH,
    HV_LAYOUT_MODELS,
    HV_LAYOUT_HEATMAP,
    HV_LAYOUT_DIFF,
    HV_LAYOUT_COUNT
} hv_layout_mode;

double hv_ease(hv_easing e, double u);
const char *hv_easing_name(int e);
const char *hv_match_name(int m);
const char *hv_layout_name(int l);
/* -1 if unknown */
int hv_easing_parse(const char *s);
int hv_match_parse(const char *s);
int hv_layout_parse(const char *s);

typedef struct hv_timeline {
    int n_states;
    double hold;       /* s */
    double transition; /* s */
} hv_timeline;

/* One full cycle through all states and back to the first. */
double hv_timeline_period(const hv_timeline *tl);
/* Time (s, any value; wraps) -> progress in [0, n_states). */
double hv_timeline_progress(const hv_timeline *tl, double t);
/* Progress -> time within the cycle (inverse of the above for a transition
 * point; a state's progress maps to the start of its hold). */
double hv_timeline_time(const hv_timeline *tl, double progress);

/* A matched pair: dataset point indices in the two conditions (-1 = absent:
 * the point exits or enters). rank orders pairs strongest first (stagger). */
typedef struct hv_pair {
    int a, b;
    int rank;
} hv_pair;

/* --match nearest is an O(n^3) optimal assignment: a model with more points
 * than this in a condition is matched by rank instead. */
#define HV_NEAREST_MAX 400

/* Pairs for every model between conditions ca and cb. out needs room for
 * the points of both conditions. Returns the count. */
int hv_match(const hv_dataset *ds, int ca, int cb, hv_match_mode mode, hv_pair *out);

/* Optimal assignment (Hungarian algorithm) of an n x m cost matrix (row
 * major), n <= m or n > m. row_to_col[i] = column of row i or -1. Returns
 * the total cost. Work space is allocated inside; false on out of memory. */
bool hv_assign(const double *cost, int n, int m, int *row_to_col, double *total);

typedef struct hv_anim_opts {
    hv_layout_mode layout;
    hv_match_mode match;
    hv_easing easing;
    double stagger; /* 0..0.9: fraction of the transition spread over points by rank */
} hv_anim_opts;

typedef struct hv_anim {
    const hv_figure *fig;
    hv_anim_opts o;
    hv_pair *pairs[HV_MAX_CONDITIONS]; /* pairs[k]: condition k -> k+1 (wrapping) */
    int n_pairs[HV_MAX_CONDITIONS];
    hv_scene_point *points;            /* scratch for one frame */
    void *order;                       /* scratch: pop-in order */
    int pairs_mode;                    /* match mode + 1 the pairs were made with; 0 = none */
    char titles[HV_MAX_MODELS][2][HV_TEXT_MAX];
    /* where markers pass at any moment, per panel (for the legend) */
    hv_occupancy occ[HV_MAX_PANELS];
    bool occ_valid;
    bool no_sort; /* frames for the occupancy: skip the draw order */
    int *pop[HV_MAX_CONDITIONS]; /* side layout: each panel's pop-in order */
    hv_sort_scratch sort_scratch; /* the draw order's, kept between frames */
    /* heatmaps: each (model, condition)'s whole grid, dense (NaN = no
     * score), built when a heatmap layout is first chosen */
    double *dense[HV_MAX_MODELS][HV_MAX_CONDITIONS];
    bool heat_ready;
    int heat_cmap;                          /* colormap index + 1 of heatmaps */
    int heat_cbar;                          /* hv_cbar_mode of the heatmap layout */
    hv_axes heat_axes[HV_MAX_MODELS];       /* -0.5 .. L-0.5 x -0.5 .. H-0.5 */
    double heat_lo[HV_MAX_CONDITIONS], heat_hi[HV_MAX_CONDITIONS];
    hv_tickset heat_ticks[HV_MAX_CONDITIONS];
    double diff_max;                        /* the diff view's range: +-diff_max */
    hv_tickset diff_ticks;
    int diff_cmap;
    char diff_label[HV_TEXT_MAX];
    float *cells;                           /* one frame's cells */
    size_t cap_cells;
    char panel_titles[HV_MAX_PANELS][2][HV_TEXT_MAX];
    char col_headers[HV_MAX_CONDITIONS][HV_TEXT_MAX]; /* the diff layout's "second − first" */
    char row_headers[HV_MAX_MODELS][HV_TEXT_MAX];     /* a title with {model}, per model */
} hv_anim;

bool hv_anim_init(hv_anim *a, const hv_figure *fig, const hv_anim_opts *o, hv_error *err);
/* Changes layout, match, easing or stagger; points are (re)matched when a
 * morphing layout next needs them. A heatmap layout the data cannot show
 * (more than HV_MAX_PANELS panels, a grid wider than HV_HEATMAP_MAX_SIDE,
 * diff with one condition) is refused with err, the options unchanged. */
bool hv_anim_set_opts(hv_anim *a, const hv_anim_opts *o, hv_error *err);
void hv_anim_free(hv_anim *a);

#define HV_HEATMAP_MAX_SIDE 4096

/* Number of panels the layout shows. */
int hv_anim_panel_count(const hv_anim *a);
/* Fills the panel states of the frame at progress, and how they share the
 * figure (desc, may be NULL). model_alpha (may be NULL = all 1) fades
 * models in/out (legend toggles). Returns the panel count. Pointers in
 * panels stay valid until the next call.
 *   side    panel per condition, a colorbar each, legends in free corners
 *   morph   one panel; colorbar ticks chosen per frame in transitions
 *   models  panel per model on its own axes, one colorbar and one legend
 *           for the figure */
int hv_anim_frame(hv_anim *a, double progress, const float *model_alpha, hv_panel_state *panels,
                  hv_frame_desc *desc);
/* Steps of the player for the layout: the states it stops on. */
int hv_anim_steps(const hv_anim *a);

/* Heads of model m present (same layer and head) in both conditions, and
 * the larger of the two conditions' counts: "shared of total". */
void hv_anim_shared(const hv_dataset *ds, int model, int ca, int cb, int *shared, int *total);

#endif
