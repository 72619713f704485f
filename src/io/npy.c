/* npy: NumPy's .npy format, versions 1.0, 2.0 and 3.0.
 *
 *   "\x93NUMPY" major minor, header length (u16 LE in 1.0, u32 LE in 2.0/3.0),
 *   then a Python dict literal, e.g.
 *   {'descr': '<f4', 'fortran_order': False, 'shape': (32, 32), }
 *   padded with spaces and ended by '\n', then the raw values.
 *
 * The dict is parsed by hand (never evaluated): exactly the keys 'descr',
 * 'fortran_order' and 'shape', each once, in any order. dtypes: f2 f4 f8,
 * i1..i8, u1..u8, b1 in either byte order ('|' only for one-byte types).
 * Shape (layers, heads) or (samples, layers, heads). The data must be exactly
 * prod(shape) * itemsize bytes. Messages give byte offsets in the file. */
#include "io_internal.h"

#include <stdio.h>
#include <string.h>

typedef struct hdr {
    const unsigned char *b; /* the whole file */
    size_t pos, end;        /* header text: [pos, end) */
    const char *where;
    hv_error *err;
} hdr;

static bool hspace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void skip_ws(hdr *h)
{
    while (h->pos < h->end && hspace(h->b[h->pos]))
        h->pos++;
}

/* What is at the current position, quoted, for "got ..." (the padding at
 * the end of the header left out) */
static const char *got(const hdr *h, char *buf, size_t cap)
{
    size_t e = h->end;
    while (e > h->pos && hspace(h->b[e - 1]))
        e--;
    if (h->pos >= e)
        return "the end of the header";
    return hv_io_quote(buf, cap, (const char *)h->b + h->pos, e - h->pos, 20);
}

static bool fail_expected(hdr *h, const char *what)
{
    char g[96];
    return hv_errorf(h->err, "%s: byte %zu: header: expected %s, got %s", h->where, h->pos, what,
                     got(h, g, sizeof g));
}

/* A quoted string without escapes: [*s, *s + *n) */
static bool read_string(hdr *h, size_t *s, size_t *n)
{
    if (h->pos >= h->end || (h->b[h->pos] != '\'' && h->b[h->pos] != '"'))
        return false;
    unsigned char q = h->b[h->pos];
    size_t i = h->pos + 1;
    while (i < h->end && h->b[i] != q && h->b[i] != '\\' && h->b[i] != '\n')
        i++;
    if (i >= h->end || h->b[i] != q)
        return false;
    *s = h->pos + 1;
    *n = i - *s;
    h->pos = i + 1;
    return true;
}

static bool match_word(hdr *h, const char *w)
{
    size_t n = strlen(w);
    if (h->end - h->pos < n || memcmp(h->b + h->pos, w, n) != 0)
        return false;
    if (h->pos + n < h->end) {
        unsigned char c = h->b[h->pos + n];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
            return false;
    }
    h->pos += n;
    return true;
}

static bool parse_descr(hdr *h, hv_dtype *d, char *text, size_t cap)
{
    size_t at = h->pos, s, n;
    if (!read_string(h, &s, &n)) {
        if (h->pos < h->end && h->b[h->pos] == '[')
            return hv_errorf(h->err, "%s: byte %zu: header: 'descr': a structured dtype (a list "
                                     "of fields) is not supported; save a plain float array",
                             h->where, h->pos);
        return fail_expected(h, "a dtype string like '<f4'");
    }
    snprintf(text, cap, "%.*s", (int)(n < 16 ? n : 16), (const char *)h->b + s);
    const unsigned char *p = h->b + s;
    bool ok = n == 3;
    if (ok) {
        char order = (char)p[0], kind = (char)p[1], size = (char)p[2];
        ok = (order == '<' || order == '>' || order == '|') &&
             (size == '1' || size == '2' || size == '4' || size == '8');
        if (ok) {
            d->size = size - '0';
            d->big_endian = order == '>';
            if (kind == 'f')
                d->kind = HV_DK_FLOAT, ok = d->size >= 2;
            else if (kind == 'i')
                d->kind = HV_DK_INT;
            else if (kind == 'u')
                d->kind = HV_DK_UINT;
            else if (kind == 'b')
                d->kind = HV_DK_BOOL, ok = d->size == 1;
            else
                ok = false;
            if (ok && order == '|' && d->size > 1) {
                char q[40];
                return hv_errorf(h->err, "%s: byte %zu: header: dtype %s: byte order '|' on a "
                                         "%d-byte type (expected '<' or '>')", h->where, at,
                                 hv_io_quote(q, sizeof q, (const char *)p, n, 16), d->size);
            }
        }
    }
    if (!ok) {
        char q[40];
        return hv_errorf(h->err, "%s: byte %zu: header: dtype %s is not supported (expected "
                                 "float f2 f4 f8, integer i1..i8 u1..u8 or bool b1, e.g. '<f4')",
                         h->where, at, hv_io_quote(q, sizeof q, (const char *)p, n, 16));
    }
    return true;
}

/* (d0, d1, ...) with an optional trailing comma; Python 2's "3L" accepted. */
static bool parse_shape(hdr *h, uint64_t *dims, int *rank)
{
    if (h->pos >= h->end || h->b[h->pos] != '(')
        return fail_expected(h, "a shape tuple like (32, 32)");
    h->pos++;
    *rank = 0;
    for (;;) {
        skip_ws(h);
        if (h->pos < h->end && h->b[h->pos] == ')') {
            h->pos++;
            return true;
        }
        if (h->pos >= h->end || h->b[h->pos] < '0' || h->b[h->pos] > '9')
            return fail_expected(h, *rank ? "a dimension or ')'" : "a dimension");
        uint64_t v = 0;
        while (h->pos < h->end && h->b[h->pos] >= '0' && h->b[h->pos] <= '9') {
            if (v > UINT64_MAX / 100)
                return hv_errorf(h->err, "%s: byte %zu: header: shape: a dimension is too large",
                                 h->where, h->pos);
            v = v * 10 + (uint64_t)(h->b[h->pos++] - '0');
        }
        if (h->pos < h->end && (h->b[h->pos] == 'L' || h->b[h->pos] == 'l'))
            h->pos++;
        if (*rank >= 8)
            return hv_errorf(h->err, "%s: byte %zu: header: shape has more than 8 dimensions",
                             h->where, h->pos);
        dims[(*rank)++] = v;
        skip_ws(h);
        if (h->pos < h->end && h->b[h->pos] == ',') {
            h->pos++;
            continue;
        }
        if (h->pos < h->end && h->b[h->pos] == ')') {
            h->pos++;
            return true;
        }
        return fail_expected(h, "',' or ')' in the shape");
    }
}

static void shape_text(char *buf, size_t cap, const uint64_t *dims, int rank)
{
    size_t o = (size_t)snprintf(buf, cap, "(");
    for (int i = 0; i < rank && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%llu", i ? ", " : "",
                              (unsigned long long)dims[i]);
    if (o < cap)
        snprintf(buf + o, cap - o, rank == 1 ? ",)" : ")");
}

bool hv_npy_header(const unsigned char *b, size_t n, const char *where, const char *unit,
                   hv_npy_info *info, hv_error *err)
{
    memset(info, 0, sizeof *info);
    if (n < 6 || memcmp(b, "\x93NUMPY", 6) != 0)
        return hv_errorf(err, "%s: byte 0: not a .npy file (it does not start with \\x93NUMPY)",
                         where);
    if (n < 10)
        return hv_errorf(err, "%s: byte %zu: the %s ends inside the .npy preamble (%zu bytes)",
                         where, n, unit, n);
    int major = b[6], minor = b[7];
    if ((major != 1 && major != 2 && major != 3) || minor != 0)
        return hv_errorf(err, "%s: byte 6: .npy format version %d.%d is not supported (1.0, 2.0 "
                              "or 3.0)", where, major, minor);
    size_t hstart = major == 1 ? 10 : 12;
    if (n < hstart)
        return hv_errorf(err, "%s: byte %zu: the %s ends inside the .npy preamble (%zu bytes)",
                         where, n, unit, n);
    uint64_t hlen = major == 1 ? (uint64_t)(b[8] | b[9] << 8)
                               : (uint64_t)b[8] | (uint64_t)b[9] << 8 | (uint64_t)b[10] << 16 |
                                     (uint64_t)b[11] << 24;
    if (hlen > n - hstart)
        return hv_errorf(err, "%s: byte 8: header length %llu goes past the end of the %s (%zu "
                              "bytes)", where, (unsigned long long)hlen, unit, n);
    hdr h = {b, hstart, hstart + (size_t)hlen, where, err};

    hv_dtype dtype = {HV_DK_FLOAT, 4, false};
    char *descr = info->descr;
    bool fortran = false;
    uint64_t dims[8];
    int rank = 0;
    bool have[3] = {false, false, false};
    static const char *const k_keys[3] = {"descr", "fortran_order", "shape"};

    skip_ws(&h);
    if (h.pos >= h.end || b[h.pos] != '{')
        return fail_expected(&h, "a dictionary '{'");
    h.pos++;
    for (;;) {
        skip_ws(&h);
        if (h.pos < h.end && b[h.pos] == '}') {
            h.pos++;
            break;
        }
        size_t kat = h.pos, ks, kn;
        if (!read_string(&h, &ks, &kn))
            return fail_expected(&h, "a key ('descr', 'fortran_order' or 'shape') or '}'");
        int key = -1;
        for (int k = 0; k < 3; k++)
            if (kn == strlen(k_keys[k]) && memcmp(b + ks, k_keys[k], kn) == 0)
                key = k;
        char q[64];
        if (key < 0)
            return hv_errorf(err, "%s: byte %zu: header: unexpected key %s (expected 'descr', "
                                  "'fortran_order' and 'shape')", where, kat,
                             hv_io_quote(q, sizeof q, (const char *)b + ks, kn, 30));
        if (have[key])
            return hv_errorf(err, "%s: byte %zu: header: '%s' given twice", where, kat,
                             k_keys[key]);
        have[key] = true;
        skip_ws(&h);
        if (h.pos >= h.end || b[h.pos] != ':')
            return fail_expected(&h, "':'");
        h.pos++;
        skip_ws(&h);
        if (key == 0) {
            if (!parse_descr(&h, &dtype, descr, sizeof info->descr))
                return false;
        } else if (key == 1) {
            if (match_word(&h, "True"))
                fortran = true;
            else if (match_word(&h, "False"))
                fortran = false;
            else
                return fail_expected(&h, "True or False for 'fortran_order'");
        } else {
            if (!parse_shape(&h, dims, &rank))
                return false;
        }
        skip_ws(&h);
        if (h.pos < h.end && b[h.pos] == ',') {
            h.pos++;
            continue;
        }
        if (h.pos < h.end && b[h.pos] == '}') {
            h.pos++;
            break;
        }
        return fail_expected(&h, "',' or '}'");
    }
    size_t dict_end = h.pos;
    skip_ws(&h);
    if (h.pos < h.end)
        return fail_expected(&h, "only spaces after the dictionary");
    for (int k = 0; k < 3; k++)
        if (!have[k]) {
            h.pos = hstart;
            char g[96];
            return hv_errorf(err, "%s: byte %zu: header: expected '%s', got %s", where, hstart,
                             k_keys[k],
                             hv_io_quote(g, sizeof g, (const char *)b + hstart,
                                         dict_end - hstart, 60));
        }

    char *shape = info->shape;
    shape_text(shape, sizeof info->shape, dims, rank);
    if (rank != 2 && rank != 3)
        return hv_errorf(err, "%s: byte %zu: header: shape %s has %d dimension%s; expected "
                              "(layers, heads) or (samples, layers, heads)", where, hstart, shape,
                         rank, rank == 1 ? "" : "s");
    char why[128];
    uint64_t S = rank == 3 ? dims[0] : 1;
    if (hv_io_shape_problem(S, dims[rank - 2], dims[rank - 1], why, sizeof why))
        return hv_errorf(err, "%s: byte %zu: header: shape %s: %s", where, hstart, shape, why);

    info->data_start = h.end;
    info->data_bytes = S * dims[rank - 2] * dims[rank - 1] * (uint64_t)dtype.size;
    hv_tensor *t = &info->t;
    t->data = NULL;
    t->offset = h.end;
    t->dtype = dtype;
    t->rank = rank;
    for (int i = 0; i < rank; i++)
        t->dims[i] = dims[i];
    t->fortran = fortran;
    return true;
}

bool hv_npy_read(const unsigned char *b, size_t n, const char *where, const hv_read_opts *o,
                 hv_grid *out, hv_error *err)
{
    memset(out, 0, sizeof *out);
    hv_npy_info info;
    if (!hv_npy_header(b, n, where, "file", &info, err))
        return false;
    size_t dstart = info.data_start;
    uint64_t need = info.data_bytes;
    size_t have_bytes = n - dstart;
    if (have_bytes < need)
        return hv_errorf(err, "%s: byte %zu: the data is %zu bytes, but shape %s of '%s' needs "
                              "%llu (is the file truncated?)", where, dstart, have_bytes,
                         info.shape, info.descr, (unsigned long long)need);
    if (have_bytes > need)
        return hv_errorf(err, "%s: byte %zu: %llu bytes after the data of shape %s of '%s' "
                              "(several arrays in one file?)", where, dstart + (size_t)need,
                         (unsigned long long)(have_bytes - need), info.shape, info.descr);
    info.t.data = b + dstart;
    return hv_tensor_reduce(&info.t, where, o, out, err);
}
