/* spec: the figure spec, an INI file parsed with inih.
 *
 *   [figure]
 *   title = Top 10 Safety Heads on {condition}   ; {condition}, {k} expand
 *   xlabel = Layer
 *   ylabel = Head
 *   colorbar_label = Generalized Ships
 *   colormap = viridis                           ; viridis plasma magma inferno cividis
 *   xlim = -1, 31                                ; axis limits
 *   ylim = -1, 31
 *   xticks = 0, 30, 2                            ; first, last, step
 *   yticks = 0, 30, 2
 *   marker_size = 1.0                            ; scale of the default marker size
 *   legend = auto                                ; auto outside "upper right" ... none
 *   context = notebook                           ; paper notebook talk poster
 *   font_scale = 1.0                             ; type, on top of the context
 *   share_axes = false                           ; models layout: one extent for all
 *   models = Llama-2-7b-chat, Vicuna-7b-v1.5      ; which to show, in this order
 *   conditions = Undiff Attn., Scaling Cont.     ; (default: all, in the data's order)
 *
 *   [condition: Undiff Attn.]
 *   range = 0, 70                                ; colour range of this condition
 *   ticks = 0, 70, 10                            ; colorbar ticks: first, last, step
 *   title = ...                                  ; overrides [figure] title
 *
 *   [model: Llama-2-7b-chat]
 *   marker = circle                              ; circle x square triangle diamond plus star
 *   color = #482878                              ; legend colour
 *   label = Llama 2 (7B chat)                    ; legend text
 *   kv_heads = 8                                 ; heatmap: query heads share 8 KV heads
 *   layers = 32                                  ; the model's extent: sparse files (JSON,
 *   heads = 32                                   ;   JSON Lines, the CSV) fit inside it
 *
 *   [source: runs/llama_undiff.npy]              ; a score file (relative to the spec)
 *   model = Llama-2-7b-chat
 *   condition = Undiff Attn.
 *   format = npy                                 ; when the extension does not say
 *   tensor = scores                              ; npz member / safetensors tensor
 *   reduce = mean                                ; a sample axis: mean max sum count abs-mean
 * Every [source: ...] header is a source of its own: two sections may name
 * the same file (two members of one .npz, one file for two conditions).
 *
 * Does: parse and validate (errors name file:line and key). Does NOT: look
 * at data; unset fields mean "default" and the figure module decides them. */
#ifndef HV_SPEC_H
#define HV_SPEC_H

#include <stdbool.h>

#include "dataset.h"
#include "hv_error.h"

#define HV_TEXT_MAX 256

typedef enum hv_shape {
    HV_SHAPE_CIRCLE,
    HV_SHAPE_X,
    HV_SHAPE_SQUARE,
    HV_SHAPE_TRIANGLE,
    HV_SHAPE_DIAMOND,
    HV_SHAPE_PLUS,
    HV_SHAPE_STAR,
    HV_SHAPE_COUNT
} hv_shape;

typedef struct hv_range {
    bool set;
    double lo, hi;
} hv_range;

typedef struct hv_ticks {
    bool set;
    double first, last, step;
} hv_ticks;

typedef struct hv_cond_spec {
    char name[HV_MAX_NAME];
    hv_range range;
    hv_ticks ticks;
    char title[HV_TEXT_MAX]; /* "" = use figure title */
} hv_cond_spec;

typedef struct hv_model_spec {
    char name[HV_MAX_NAME];
    int shape; /* -1 = default */
    bool color_set;
    float color[3];
    char label[HV_TEXT_MAX]; /* "" = model name */
    int kv_heads;            /* 0 = unset */
    int layers, heads;       /* the model's extent (layers = / heads =); 0 = from its files */
} hv_model_spec;

/* A score file bound to a model and a condition. format and reduce are
 * names the readers know (src/io/scores.h), "" for their defaults. */
#define HV_SPEC_PATH_MAX 200
typedef struct hv_source_spec {
    char path[HV_SPEC_PATH_MAX]; /* as written in the section */
    char model[HV_MAX_NAME], condition[HV_MAX_NAME];
    char format[16], tensor[HV_MAX_NAME], reduce[16];
    int line; /* of its (first) section header in the spec; 0 = unknown */
} hv_source_spec;

/* The names the spec takes for format = and reduce = (the readers'). */
extern const char *const hv_spec_format_names[];
extern const char *const hv_spec_reduce_names[];

typedef struct hv_spec {
    char title[HV_TEXT_MAX];
    char xlabel[HV_TEXT_MAX];
    char ylabel[HV_TEXT_MAX];
    char cbar_label[HV_TEXT_MAX];
    char colormap[32];
    hv_range xlim, ylim;
    hv_ticks xticks, yticks;
    double marker_scale;
    int legend;        /* hv_legend_mode; -1 = unset (auto) */
    int reveal;        /* a build's later panels: 0 = none (appear with their points), 1 = axes */
    int context;       /* hv_context; -1 = unset (notebook) */
    double font_scale; /* 0 = unset (1) */
    bool share_axes;   /* models layout: one extent for every model */
    bool colormap_set; /* colormap = given (else heatmaps of signed scores get RdBu_r) */
    int top;           /* heads per model and condition: -1 = unset (10), 0 = all */
    int rank_by_abs;   /* -1 = unset (by value), 1 = by |value| */
    bool center_set;
    double center;     /* diverging colormaps: the score at their middle (default 0) */
    int kv_heads;      /* heatmap: query heads per KV head for every model; 0 = none */
    int orientation;   /* heatmaps: 0 = layers-x (layers across, head 0 at the bottom, the
                        * default), 1 = layers-y (layers down, layer 0 at the top, like
                        * sns.heatmap); -1 = unset */
    int colorbar;      /* heatmap colorbars: -1 = unset (shared where the ranges are equal, else
                        * per column), 0 = shared (one range), 1 = per column, 2 = per panel */
    int facets;        /* heatmap and diff grids: hv_facets (0 = auto) */
    /* models = / conditions =: which to show, in this order ("" = all, as in the data) */
    char pick_models[HV_TEXT_MAX], pick_conditions[HV_TEXT_MAX];
    hv_source_spec *sources;
    int n_sources, cap_sources;
    hv_cond_spec conds[HV_MAX_CONDITIONS];
    int n_conds;
    hv_model_spec models[HV_MAX_MODELS];
    int n_models;
} hv_spec;

/* Where a facet grid (heatmap, diff) puts the models: auto (in rows,
 * unless columns give the plots clearly more room), rows, columns. */
typedef enum hv_facets { HV_FACETS_AUTO, HV_FACETS_ROWS, HV_FACETS_COLUMNS } hv_facets;
/* -1 if unknown */
int hv_facets_parse(const char *s);

/* Defaults: title "Top {k} Heads on {condition}", labels "Layer", "Head",
 * "Score", viridis, everything else automatic. */
void hv_spec_init(hv_spec *spec);
/* Frees what parsing allocated (the sources); spec is then as after init. */
void hv_spec_free(hv_spec *spec);
bool hv_spec_parse(hv_spec *spec, const char *text, const char *name, hv_error *err);
bool hv_spec_load(hv_spec *spec, const char *path, hv_error *err);

const hv_cond_spec *hv_spec_condition(const hv_spec *spec, const char *name);
const hv_model_spec *hv_spec_model(const hv_spec *spec, const char *name);

const char *hv_shape_name(hv_shape s);
/* -1 if unknown */
int hv_shape_parse(const char *s);

/* Expands {condition}, {k} and {model} (when model is not NULL) in a
 * title template. */
void hv_spec_expand_title(const char *tmpl, const char *model, const char *condition, int k, char *out, int out_size);

/* Reports every [condition: ...] and [model: ...] that names nothing in
 * the data, one line each (joined by '\n'), with the closest name when one
 * is close ("did you mean ..."), so the caller can warn. Returns false when
 * all are known. */
bool hv_spec_check_names(const hv_spec *spec, const hv_dataset *ds, const char *spec_name,
                         char *msg, int msg_size);
/* Every [source: ...] names its model and condition; false with err. */
bool hv_spec_check_sources(const hv_spec *spec, const char *spec_name, hv_error *err);

#endif
