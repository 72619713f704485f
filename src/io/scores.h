/* scores: read a score for every attention head from the files that
 * attribution and patching runs leave, into one dense layer x head grid.
 *
 * Does: turn bytes (a whole file, already read) into an hv_grid or a one-line
 * error naming the file and the byte offset, key or line:
 *   JSON         {"14-7": 0.83, "L3H1": [0.1, 0.2, NaN], ...}: a number, null
 *                or a list of per-sample numbers per head; keys "LAYER-HEAD"
 *                or TransformerLens "L14H7" (case-insensitive); Python's bare
 *                NaN is no score, Infinity an error. Lists of unequal length
 *                are padded with no score; a plain number is sample 0. A
 *                top-level list of such objects is one sample per object.
 *   JSON Lines   one object per line = one sample (per prompt); blank lines
 *                skipped.
 *   .npy         format 1.0/2.0/3.0; float16/32/64, integer and bool dtypes,
 *                either byte order, C or Fortran order; shape [layers, heads]
 *                or [samples, layers, heads].
 *   .npz         np.savez / np.savez_compressed (stored or deflated members);
 *                member chosen by opts.tensor, or the only one.
 *   text grid    np.savetxt: one row per layer, one column per head; spaces,
 *                tabs or commas; '#' comments; nan allowed.
 *   safetensors  F16 BF16 F32 F64 (and I8..I64, U8..U64, BOOL); tensor chosen
 *                by opts.tensor, or the only one; every offset validated.
 * A sample axis (JSON lists, JSON Lines, a rank-3 tensor) is reduced by the
 * one shared reducer (mean, max, sum, count, abs-mean), ignoring NaN.
 *
 * Does NOT: open files, know about models, conditions, top-k or figures, or
 * read the long CSV (that is dataset.c's; HV_FMT_CSV is an error here).
 *
 * Limits (refused with a message naming the shape, or the key or line that
 * goes past them): more than HV_SCORES_MAX_DIM layers or heads, more than
 * HV_SCORES_MAX_CELLS (2^20) heads in a grid, dense or sparse, more than
 * HV_SCORES_MAX_SAMPLE_CELLS values over all samples. Memory stays
 * proportional to the input plus a few grids of at most 2^20 cells: samples
 * are reduced one at a time, never held as one [samples, layers, heads] array
 * of doubles; an .npz member is inflated as it is reduced (one sample's bytes
 * at a time; the whole array only in Fortran order) and never past the size
 * its .npy header gives.
 *
 * Thread safety: calls share no state of their own, but cJSON records its
 * last error in a global, so parse JSON or safetensors from one thread at a
 * time. */
#ifndef HV_SCORES_H
#define HV_SCORES_H

#include <stdbool.h>
#include <stddef.h>

#include "hv_error.h"

#define HV_SCORES_MAX_DIM 100000
#define HV_SCORES_MAX_CELLS (1L << 20)
#define HV_SCORES_MAX_SAMPLE_CELLS (1L << 27)

typedef enum hv_format {
    HV_FMT_AUTO,
    HV_FMT_CSV,
    HV_FMT_JSON,
    HV_FMT_JSONL,
    HV_FMT_NPY,
    HV_FMT_NPZ,
    HV_FMT_TEXT,
    HV_FMT_SAFETENSORS
} hv_format;

typedef enum hv_reduce {
    HV_REDUCE_MEAN,
    HV_REDUCE_MAX,
    HV_REDUCE_SUM,
    HV_REDUCE_COUNT,
    HV_REDUCE_ABS_MEAN
} hv_reduce;

typedef struct hv_read_opts { /* zero = defaults */
    hv_format format;   /* AUTO: by extension (.json .jsonl .ndjson .npy .npz .txt .tsv
                           .dat .safetensors, .csv), else by the first bytes */
    const char *tensor; /* npz member (with or without ".npy") / safetensors tensor;
                           NULL = the only one */
    hv_reduce reduce;   /* how a sample axis is reduced (default mean) */
    int count_top;      /* reduce=count: a sample "ranks" a head when it is among that
                           sample's count_top highest cells (ties: lower layer, then
                           lower head first); 0 = 10 */
    bool count_abs;     /* rank by |value| for count */
    int layers, heads;  /* sparse formats (JSON, JSON Lines): the model's extent, known
                           beforehand; a key outside it is an error naming the key.
                           0 = none (the grid spans the largest key) */
    const char *extent_of; /* messages: whose extent that is ("model \"M\" (from m.npy)");
                              NULL = "the model" */
} hv_read_opts;

typedef struct hv_grid {
    int layers, heads; /* shape after reduction */
    double *v;         /* layers*heads, v[layer*heads + head]; NaN = no score */
    int samples;       /* length of the reduced sample axis (1 when there was none) */
    bool sparse;       /* keyed by head (JSON, JSON Lines): the shape is the largest key's,
                          not the model's */
    bool sample_axis;  /* the file had a sample axis (a rank-3 tensor, JSON lists or a
                          top-level list, JSON Lines) that `reduce` applied to */
} hv_grid;

/* Reads a whole file's bytes. `name` is used in messages (a path, or
 * "<stdin>"; NULL reads as "<input>") and, with format AUTO, to pick the
 * format by extension. o may be NULL (defaults). On success *out owns a
 * malloc'd grid (free with hv_grid_free); on failure *out is empty and err
 * holds one line. Values are finite or NaN; an infinity in the input is an
 * error naming its place. */
bool hv_read_scores(const unsigned char *bytes, size_t len, const char *name,
                    const hv_read_opts *o, hv_grid *out, hv_error *err);
void hv_grid_free(hv_grid *g);

/* A PyTorch file (torch.save: a zip whose first member is .../data.pkl,
 * or a legacy pickle; any .pt / .pth): true with the message that says how
 * to convert it. Called by hv_read_scores before any format. */
bool hv_torch_refuse(const char *name, const unsigned char *bytes, size_t len, hv_error *err);

/* "auto", "json", "jsonl" (or "ndjson"), "npy", "npz", "text" (or "txt"),
 * "safetensors", "csv", case-insensitive; -1 when unknown. */
int hv_format_parse(const char *s);
const char *hv_format_name(hv_format f);
/* Resolves AUTO: by name's extension (case-insensitive), else by magic bytes
 * (\x93NUMPY, a zip, a safetensors header, JSON, JSON Lines, a CSV header
 * naming layer and head), else TEXT. Never returns HV_FMT_AUTO. */
hv_format hv_format_detect(const char *name, const unsigned char *bytes, size_t len);

/* "mean", "max", "sum", "count", "abs-mean" (or "abs_mean"); -1 when unknown. */
int hv_reduce_parse(const char *s);
const char *hv_reduce_name(hv_reduce r);

/* The shared reducer on its own, for callers (and tests) that hold dense
 * samples: v is samples x layers x heads, v[(s*layers + l)*heads + h], NaN =
 * absent in that sample; +-Inf is an error. Same limits and rules as
 * hv_read_scores; `name` prefixes messages. */
bool hv_reduce_samples(const double *v, int samples, int layers, int heads, const char *name,
                       const hv_read_opts *o, hv_grid *out, hv_error *err);

#endif
