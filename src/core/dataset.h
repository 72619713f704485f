/* dataset: the scores of heads, per model and condition.
 *
 * Does: parse the long CSV (RFC 4180 quoting, CRLF or LF, optional UTF-8
 * BOM, header row with columns model,condition,layer,head,score in any
 * order, extra columns ignored) into points; add whole layer x head grids
 * (from the score-file readers, src/io) bound to a model and a condition;
 * choose each (model, condition)'s top k heads; rank a head among all of
 * its grid's. Models and conditions are numbered in order of first
 * appearance. Errors name the file, line and column (or the file). A score
 * of NaN ("nan" in a CSV, NaN in a grid) is "no score": never a point,
 * never ranked.
 * Does NOT: read files it was not asked to, or know about figures. */
#ifndef HV_DATASET_H
#define HV_DATASET_H

#include <stdbool.h>
#include <stddef.h>

#include "hv_error.h"

#define HV_MAX_MODELS 16
#define HV_MAX_CONDITIONS 16
#define HV_MAX_NAME 128
#define HV_MAX_LAYER 100000
#define HV_MAX_SCORE 1e15
#define HV_TOP_ALL 0 /* hv_dataset_top_k: every scored head */

typedef struct hv_point {
    int model;     /* index into models[] */
    int condition; /* index into conditions[] */
    int layer;
    int head;
    double score;
    int line;   /* CSV line (0 for a grid's cell), for messages */
    int source; /* index into the dataset's sources (the file it came from) */
} hv_point;

typedef struct hv_dataset {
    char models[HV_MAX_MODELS][HV_MAX_NAME];
    int n_models;
    char conditions[HV_MAX_CONDITIONS][HV_MAX_NAME];
    int n_conditions;
    hv_point *points;
    int n_points;
    int cap_points;
    /* each model's grid: layers x heads (0 until a grid or a point sets it) */
    int layers[HV_MAX_MODELS], heads[HV_MAX_MODELS];
    /* a grid file gave every head of (model, condition) a score or NaN */
    bool full[HV_MAX_MODELS][HV_MAX_CONDITIONS];
    char **sources; /* file names, for messages */
    int n_sources;
    /* CSV rows whose score is NaN: no score, so no marker; counted and the
     * first kept (score NaN) so the program can say so */
    int n_no_score;
    hv_point first_no_score;
} hv_dataset;

/* Parses text (len bytes, need not be NUL-terminated). `name` is used in error
 * messages. On failure ds is left empty. Free with hv_dataset_free. */
bool hv_dataset_parse(hv_dataset *ds, const char *text, size_t len, const char *name,
                      hv_error *err);
/* Reads and parses a file. */
bool hv_dataset_load(hv_dataset *ds, const char *path, hv_error *err);
void hv_dataset_free(hv_dataset *ds);

/* Adds a whole grid (v[layer * heads + head], NaN = no score) as model's
 * scores in condition; `source` names the file in messages. Errors: more
 * models or conditions than allowed, the (model, condition) already given,
 * a grid whose shape differs from the model's other conditions. */
bool hv_dataset_add_grid(hv_dataset *ds, const char *model, const char *condition, int layers, int heads,
                         const double *v, const char *source, hv_error *err);
/* One line saying how many CSV rows have no score (NaN) and are not drawn,
 * naming the first with data_name and its line; "" when there are none. */
void hv_dataset_no_score_message(const hv_dataset *ds, const char *data_name, char *out, int size);
/* The file a point came from ("" when unknown). */
const char *hv_dataset_source(const hv_dataset *ds, const hv_point *p);
/* out = each (model, condition)'s k strongest heads of `all` (k =
 * HV_TOP_ALL: every one): by score, or by |score| with by_abs; ties broken
 * by layer, then head. Names, grids and sources are kept. out must not be
 * all. */
bool hv_dataset_top_k(const hv_dataset *all, int k, bool by_abs, hv_dataset *out, hv_error *err);
/* The rank (1 = strongest) of (layer, head) among the scored heads of
 * (model, condition), and how many there are; 0 when it has no score. */
int hv_dataset_rank(const hv_dataset *ds, int model, int condition, int layer, int head, bool by_abs, int *of,
                    double *score);

/* ---- names, extents, picking (issue 18) ---- */
/* a and b differ, but only in case, punctuation or spaces. */
bool hv_name_similar(const char *a, const char *b);
/* The index of the name in names[0..n) closest to name when one is close
 * enough to be a slip ("did you mean"): equal but for case, punctuation or
 * spaces; one the other cut short; a few letters apart. -1: none. */
int hv_name_closest(const char *name, const char (*names)[HV_MAX_NAME], int n);
/* One line per pair of model names, then of condition names, that differ
 * only in case, punctuation or spaces, each ending in '\n'; "" when none. */
void hv_dataset_similar_names(const hv_dataset *ds, char *out, int size);
/* Keeps the models named in models[0..nm) and the conditions in
 * conds[0..nc), in that order (nm or nc 0: all, as they are). A name the
 * data lacks is an error starting with models_what / conds_what (the option
 * or the spec key), with the closest name. */
bool hv_dataset_select(hv_dataset *ds, const char *const *models, int nm, const char *const *conds, int nc,
                       const char *models_what, const char *conds_what, hv_error *err);
/* Sets model's extent; a point outside it is an error naming its file and
 * line and `of` (whose extent: "model \"M\" (layers = in ...)"). */
bool hv_dataset_set_extent(hv_dataset *ds, int model, int layers, int heads, const char *of, hv_error *err);
/* idx[0..*n) = the points of (model, condition), strongest first (ties:
 * lower layer, then lower head); idx holds n_points ints. */
bool hv_dataset_ranked(const hv_dataset *ds, int model, int condition, bool by_abs, int *idx, int *n);

/* Largest score of a condition (0 if it has no points). */
double hv_dataset_max_score(const hv_dataset *ds, int condition);
/* Largest layer / head over all points (-1 if empty). */
int hv_dataset_max_layer(const hv_dataset *ds);
int hv_dataset_max_head(const hv_dataset *ds);

/* Reads a whole file into a malloc'd, NUL-terminated buffer. Errors name the
 * file. Refuses files larger than max_bytes. */
bool hv_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len, hv_error *err);

#endif
