/* dataset: the long-format table of top-k heads.
 *
 * Does: parse CSV (RFC 4180 quoting, CRLF or LF, optional UTF-8 BOM, header
 * row with columns model,condition,layer,head,score in any order, extra columns
 * ignored) into points; models and conditions are numbered in order of first
 * appearance. Errors name the file, line and column.
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

typedef struct hv_point {
    int model;     /* index into models[] */
    int condition; /* index into conditions[] */
    int layer;
    int head;
    double score;
    int line; /* source line, for messages */
} hv_point;

typedef struct hv_dataset {
    char models[HV_MAX_MODELS][HV_MAX_NAME];
    int n_models;
    char conditions[HV_MAX_CONDITIONS][HV_MAX_NAME];
    int n_conditions;
    hv_point *points;
    int n_points;
    int cap_points;
} hv_dataset;

/* Parses text (len bytes, need not be NUL-terminated). `name` is used in error
 * messages. On failure ds is left empty. Free with hv_dataset_free. */
bool hv_dataset_parse(hv_dataset *ds, const char *text, size_t len, const char *name,
                      hv_error *err);
/* Reads and parses a file. */
bool hv_dataset_load(hv_dataset *ds, const char *path, hv_error *err);
void hv_dataset_free(hv_dataset *ds);

/* Largest score of a condition (0 if it has no points). */
double hv_dataset_max_score(const hv_dataset *ds, int condition);
/* Largest layer / head over all points (-1 if empty). */
int hv_dataset_max_layer(const hv_dataset *ds);
int hv_dataset_max_head(const hv_dataset *ds);

/* Reads a whole file into a malloc'd, NUL-terminated buffer. Errors name the
 * file. Refuses files larger than max_bytes. */
bool hv_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len, hv_error *err);

#endif
