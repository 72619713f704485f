/* io_internal: what the readers in src/io share (not part of the public API).
 *
 * - the one reducer: a format hands it one dense sample at a time (layers x
 *   heads, NaN = absent in that sample); it keeps a few grids of state,
 *   never the samples themselves;
 * - dense tensors (npy, safetensors): dtype decoding, C or Fortran order,
 *   infinities reported with their index and byte offset;
 * - the limits check and small message helpers (quoting, name lists).
 * One entry point per format, called by hv_read_scores. */
#ifndef HV_IO_INTERNAL_H
#define HV_IO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scores.h"

/* --- the reducer ------------------------------------------------------------ */

typedef struct hv_reducer {
    hv_reduce mode;
    int top;  /* count: cells ranked per sample */
    bool abs; /* count: rank by |value| */
    int layers, heads;
    size_t cells;
    long samples;
    const char *name;
    double *acc;     /* sum, max or count per cell */
    uint32_t *n;     /* samples with a value, per cell */
    double *buf;     /* the sample being filled */
    uint32_t *heap;  /* count: indices of the best cells so far */
} hv_reducer;

/* The reduction and count_top are known values (else the message). */
bool hv_reduce_opts_check(const hv_read_opts *o, const char *name, hv_error *err);
/* layers, heads must already have passed hv_io_shape_problem. */
bool hv_reducer_init(hv_reducer *r, int layers, int heads, const hv_read_opts *o,
                     const char *name, hv_error *err);
/* The next sample's buffer, layers*heads cells, all NaN: fill it, then call
 * hv_reducer_add. Values must be finite or NaN. NULL: out of memory. */
double *hv_reducer_sample(hv_reducer *r);
/* Fails only past HV_SCORES_MAX_SAMPLE_CELLS values in all. */
bool hv_reducer_add(hv_reducer *r, hv_error *err);
/* Moves the result into *out; the reducer is freed either way. */
bool hv_reducer_finish(hv_reducer *r, hv_grid *out, hv_error *err);
void hv_reducer_free(hv_reducer *r);

/* NULL when samples x layers x heads is within the limits (and none is 0),
 * else a description ("more than 100000 layers") written to buf. */
const char *hv_io_shape_problem(uint64_t samples, uint64_t layers, uint64_t heads, char *buf,
                                size_t cap);

/* --- dense tensors -------------------------------------------------------- */

typedef enum hv_dkind { HV_DK_FLOAT, HV_DK_BFLOAT, HV_DK_INT, HV_DK_UINT, HV_DK_BOOL } hv_dkind;

typedef struct hv_dtype {
    hv_dkind kind;
    int size;        /* bytes per value: 1, 2, 4, 8 */
    bool big_endian;
} hv_dtype;

typedef struct hv_tensor {
    const unsigned char *data; /* the values, exactly prod(dims) * dtype.size bytes */
    size_t offset;             /* byte offset of data[0] in the file, for messages */
    hv_dtype dtype;
    int rank;                  /* 2 or 3 */
    uint64_t dims[3];          /* as stored: [layers, heads] or [samples, layers, heads] */
    bool fortran;              /* first index varies fastest */
} hv_tensor;

/* Reduces a tensor whose shape passed hv_io_shape_problem. `where` prefixes
 * messages (the file name, or "x.npz: member \"a\""). */
bool hv_tensor_reduce(const hv_tensor *t, const char *where, const hv_read_opts *o, hv_grid *out,
                      hv_error *err);

/* The data of a tensor handed out in pieces (an .npz member inflated as it
 * is read): the next n bytes, which start at byte `at` of the file (for
 * messages); NULL with err filled when they are not there. */
typedef const unsigned char *(*hv_tensor_next)(void *ctx, size_t n, size_t at, hv_error *err);

/* As hv_tensor_reduce, t->data unused: asks `next` for one sample's bytes at
 * a time (C order), or for the whole array (Fortran order, where a sample's
 * values are spread over all of it). */
bool hv_tensor_reduce_stream(const hv_tensor *t, hv_tensor_next next, void *ctx, const char *where,
                             const hv_read_opts *o, hv_grid *out, hv_error *err);

/* --- the formats ---------------------------------------------------------- */

/* A .npy preamble and header, parsed from its first n bytes (n may stop
 * after the header): the dtype, shape and order in t (t.data NULL, t.offset
 * = data_start), the data's size; shape and descr as the messages show them.
 * `unit` names what ends early in messages ("file", "member"). */
typedef struct hv_npy_info {
    size_t data_start;   /* = t.offset */
    uint64_t data_bytes; /* prod(shape) * itemsize */
    hv_tensor t;
    char shape[160]; /* "(3, 4)" */
    char descr[24];  /* "<f4" */
} hv_npy_info;

bool hv_npy_header(const unsigned char *b, size_t n, const char *where, const char *unit,
                   hv_npy_info *info, hv_error *err);

bool hv_npy_read(const unsigned char *b, size_t n, const char *where, const hv_read_opts *o,
                 hv_grid *out, hv_error *err);
bool hv_npz_read(const unsigned char *b, size_t n, const char *name, const hv_read_opts *o,
                 hv_grid *out, hv_error *err);
bool hv_json_read(const unsigned char *b, size_t n, const char *name, bool lines,
                  const hv_read_opts *o, hv_grid *out, hv_error *err);
bool hv_textgrid_read(const unsigned char *b, size_t n, const char *name, const hv_read_opts *o,
                      hv_grid *out, hv_error *err);
bool hv_safetensors_read(const unsigned char *b, size_t n, const char *name,
                         const hv_read_opts *o, hv_grid *out, hv_error *err);

/* --- messages ------------------------------------------------------------- */

/* Where t[0..n) first breaks JSON's grammar: true with the byte and what is
 * wrong ("expected ':'", ...); false when it is valid JSON. */
bool hv_io_json_locate(const char *t, size_t n, size_t *pos, const char **why);
/* "expected ':', got \"x...\"" or "... at the end of the <end_of>" into buf. */
const char *hv_io_json_describe(char *buf, size_t cap, const char *t, size_t n, size_t pos,
                                const char *why, const char *end_of);

/* Writes s[0..n) as a double-quoted string into buf: printable ASCII as is,
 * '"' and '\\' escaped, other bytes as \xNN, cut with "..." after max_chars. */
const char *hv_io_quote(char *buf, size_t cap, const char *s, size_t n, size_t max_chars);

/* A file name as messages show it: as is, or, when it holds a control byte
 * (a newline would split the message), quoted by hv_io_quote into buf. */
const char *hv_io_name(char *buf, size_t cap, const char *name);

/* A list of names for messages: appends ", name" (the first without the
 * comma), stopping with ", ..." when cap would be exceeded. */
void hv_io_list_add(char *buf, size_t cap, const char *name);

#endif
