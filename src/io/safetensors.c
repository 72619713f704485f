/* safetensors: an 8-byte little-endian header length N, N bytes of JSON (read
 * with cJSON) mapping tensor names to {"dtype", "shape", "data_offsets":
 * [begin, end]} (offsets relative to the end of the header; "__metadata__"
 * ignored), then the data.
 *
 * Every entry is validated, read or not: offsets inside the data, begin <=
 * end, size == prod(shape) * dtype size (for the dtypes known here), names
 * unique; and the layout: tensors cover the data exactly, without overlaps or
 * gaps. The chosen tensor (opts.tensor, or the only one) must be F16, BF16,
 * F32, F64, I8..I64, U8..U64 or BOOL, of shape [layers, heads] or [samples,
 * layers, heads]. */
#include "io_internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tinfo {
    const char *name;
    const cJSON *dtype_item;
    int dsize; /* 0: a dtype not known here */
    hv_dtype dtype;
    uint64_t dims[8];
    int rank;
    uint64_t begin, end;
} tinfo;

static const struct {
    const char *name;
    hv_dkind kind;
    int size;
} k_dtypes[] = {
    {"F16", HV_DK_FLOAT, 2}, {"BF16", HV_DK_BFLOAT, 2}, {"F32", HV_DK_FLOAT, 4},
    {"F64", HV_DK_FLOAT, 8}, {"I8", HV_DK_INT, 1},      {"I16", HV_DK_INT, 2},
    {"I32", HV_DK_INT, 4},   {"I64", HV_DK_INT, 8},     {"U8", HV_DK_UINT, 1},
    {"U16", HV_DK_UINT, 2},  {"U32", HV_DK_UINT, 4},    {"U64", HV_DK_UINT, 8},
    {"BOOL", HV_DK_BOOL, 1},
};

static const char *type_name(const cJSON *it)
{
    if (cJSON_IsNumber(it))
        return "a number";
    if (cJSON_IsString(it))
        return "a string";
    if (cJSON_IsArray(it))
        return "a list";
    if (cJSON_IsObject(it))
        return "an object";
    if (cJSON_IsBool(it))
        return cJSON_IsTrue(it) ? "true" : "false";
    if (cJSON_IsNull(it))
        return "null";
    return "nothing";
}

/* A whole number 0..2^53 */
static bool whole(const cJSON *it, uint64_t *v)
{
    if (!cJSON_IsNumber(it))
        return false;
    double d = it->valuedouble;
    if (!(d >= 0 && d <= 9007199254740992.0) || floor(d) != d)
        return false;
    *v = (uint64_t)d;
    return true;
}

static void shape_text(char *buf, size_t cap, const uint64_t *dims, int rank)
{
    size_t o = (size_t)snprintf(buf, cap, "[");
    for (int i = 0; i < rank && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%llu", i ? ", " : "",
                              (unsigned long long)dims[i]);
    if (o < cap)
        snprintf(buf + o, cap - o, "]");
}

static bool entry(const char *name, const cJSON *it, uint64_t data_len, tinfo *t, hv_error *err)
{
    char q[96];
    const char *tn = hv_io_quote(q, sizeof q, it->string, strlen(it->string), 60);
    memset(t, 0, sizeof *t);
    t->name = it->string;
    if (!cJSON_IsObject(it))
        return hv_errorf(err, "%s: tensor %s: expected an object {\"dtype\", \"shape\", "
                              "\"data_offsets\"}, got %s", name, tn, type_name(it));
    const cJSON *dt = cJSON_GetObjectItemCaseSensitive(it, "dtype");
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(it, "shape");
    const cJSON *of = cJSON_GetObjectItemCaseSensitive(it, "data_offsets");
    if (!cJSON_IsString(dt))
        return hv_errorf(err, "%s: tensor %s: \"dtype\": expected a string like \"F32\", got %s",
                         name, tn, type_name(dt));
    t->dtype_item = dt;
    for (size_t i = 0; i < sizeof k_dtypes / sizeof k_dtypes[0]; i++)
        if (strcmp(dt->valuestring, k_dtypes[i].name) == 0) {
            t->dsize = k_dtypes[i].size;
            t->dtype.kind = k_dtypes[i].kind;
            t->dtype.size = k_dtypes[i].size;
            t->dtype.big_endian = false;
        }
    if (!cJSON_IsArray(sh))
        return hv_errorf(err, "%s: tensor %s: \"shape\": expected a list of sizes, got %s", name,
                         tn, type_name(sh));
    uint64_t count = 1;
    bool overflow = false;
    for (const cJSON *d = sh->child; d; d = d->next) {
        uint64_t v;
        if (!whole(d, &v))
            return hv_errorf(err, "%s: tensor %s: \"shape\": expected whole numbers, got %s", name,
                             tn, type_name(d));
        if (t->rank >= 8)
            return hv_errorf(err, "%s: tensor %s: \"shape\" has more than 8 dimensions", name,
                             tn);
        t->dims[t->rank++] = v;
        if (v && count > UINT64_MAX / v)
            overflow = true;
        count *= v;
    }
    uint64_t b = 0, e = 0;
    if (!cJSON_IsArray(of) || cJSON_GetArraySize(of) != 2 || !whole(of->child, &b) ||
        !whole(of->child->next, &e))
        return hv_errorf(err, "%s: tensor %s: \"data_offsets\": expected [begin, end] (whole "
                              "numbers), got %s", name, tn, type_name(of));
    t->begin = b;
    t->end = e;
    if (b > e)
        return hv_errorf(err, "%s: tensor %s: data_offsets [%llu, %llu] end before they begin",
                         name, tn, (unsigned long long)b, (unsigned long long)e);
    if (e > data_len)
        return hv_errorf(err, "%s: tensor %s: data_offsets [%llu, %llu] go past the end of the "
                              "data (%llu bytes after the header)", name, tn,
                         (unsigned long long)b, (unsigned long long)e,
                         (unsigned long long)data_len);
    if (t->dsize) {
        char shape[160];
        shape_text(shape, sizeof shape, t->dims, t->rank);
        if (overflow || count > UINT64_MAX / (uint64_t)t->dsize ||
            count * (uint64_t)t->dsize != e - b)
            return hv_errorf(err, "%s: tensor %s: shape %s of %s needs %s%llu bytes, but "
                                  "data_offsets [%llu, %llu] hold %llu", name, tn, shape,
                             dt->valuestring,
                             overflow || count > UINT64_MAX / (uint64_t)t->dsize ? "more than "
                                                                                 : "",
                             overflow || count > UINT64_MAX / (uint64_t)t->dsize
                                 ? (unsigned long long)UINT64_MAX
                                 : (unsigned long long)(count * (uint64_t)t->dsize),
                             (unsigned long long)b, (unsigned long long)e,
                             (unsigned long long)(e - b));
    }
    return true;
}

static int cmp_tinfo(const void *a, const void *b)
{
    const tinfo *x = a, *y = b;
    if (x->begin != y->begin)
        return x->begin < y->begin ? -1 : 1;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(((const tinfo *)a)->name, ((const tinfo *)b)->name);
}

static bool layout(const char *name, tinfo *ts, size_t nt, size_t data_start, uint64_t data_len,
                   hv_error *err)
{
    char q[96], q2[96];
    qsort(ts, nt, sizeof *ts, cmp_name);
    for (size_t i = 1; i < nt; i++)
        if (strcmp(ts[i].name, ts[i - 1].name) == 0)
            return hv_errorf(err, "%s: tensor %s appears twice in the header", name,
                             hv_io_quote(q, sizeof q, ts[i].name, strlen(ts[i].name), 60));
    qsort(ts, nt, sizeof *ts, cmp_tinfo);
    uint64_t at = 0;
    const tinfo *prev = NULL;
    for (size_t i = 0; i < nt; i++) {
        const tinfo *t = &ts[i];
        if (t->begin < at)
            return hv_errorf(err, "%s: tensor %s: data_offsets [%llu, %llu] overlap tensor %s "
                                  "[%llu, %llu]", name,
                             hv_io_quote(q, sizeof q, t->name, strlen(t->name), 40),
                             (unsigned long long)t->begin, (unsigned long long)t->end,
                             hv_io_quote(q2, sizeof q2, prev->name, strlen(prev->name), 40),
                             (unsigned long long)prev->begin, (unsigned long long)prev->end);
        if (t->begin > at)
            return hv_errorf(err, "%s: byte %llu: bytes %llu..%llu of the data belong to no "
                                  "tensor (a gap before tensor %s)", name,
                             (unsigned long long)(data_start + at), (unsigned long long)at,
                             (unsigned long long)t->begin,
                             hv_io_quote(q, sizeof q, t->name, strlen(t->name), 40));
        at = t->end;
        prev = t;
    }
    if (at != data_len)
        return hv_errorf(err, "%s: byte %llu: the last %llu bytes of the data belong to no "
                              "tensor", name, (unsigned long long)(data_start + at),
                         (unsigned long long)(data_len - at));
    return true;
}

static bool read_tensor(const unsigned char *b, size_t data_start, const char *name,
                        const tinfo *t, const hv_read_opts *o, hv_grid *out, hv_error *err)
{
    char q[96], shape[160];
    const char *tn = hv_io_quote(q, sizeof q, t->name, strlen(t->name), 60);
    char dq[64];
    const char *dv = t->dtype_item->valuestring;
    if (!t->dsize)
        return hv_errorf(err, "%s: tensor %s: dtype %s is not supported (F16, BF16, F32, F64, "
                              "I8..I64, U8..U64, BOOL)", name, tn,
                         hv_io_quote(dq, sizeof dq, dv, strlen(dv), 24));
    shape_text(shape, sizeof shape, t->dims, t->rank);
    if (t->rank != 2 && t->rank != 3)
        return hv_errorf(err, "%s: tensor %s: shape %s has %d dimension%s; expected [layers, "
                              "heads] or [samples, layers, heads]", name, tn, shape, t->rank,
                         t->rank == 1 ? "" : "s");
    char why[128];
    uint64_t S = t->rank == 3 ? t->dims[0] : 1;
    if (hv_io_shape_problem(S, t->dims[t->rank - 2], t->dims[t->rank - 1], why, sizeof why))
        return hv_errorf(err, "%s: tensor %s: shape %s: %s", name, tn, shape, why);
    hv_tensor tt;
    memset(&tt, 0, sizeof tt);
    tt.data = b + data_start + t->begin;
    tt.offset = data_start + (size_t)t->begin;
    tt.dtype = t->dtype;
    tt.rank = t->rank;
    for (int i = 0; i < t->rank; i++)
        tt.dims[i] = t->dims[i];
    return hv_tensor_reduce(&tt, name, o, out, err);
}

bool hv_safetensors_read(const unsigned char *b, size_t n, const char *name,
                         const hv_read_opts *o, hv_grid *out, hv_error *err)
{
    memset(out, 0, sizeof *out);
    if (n < 8)
        return hv_errorf(err, "%s: byte 0: %zu bytes is too short for a safetensors file (it "
                              "starts with an 8-byte header length)", name, n);
    uint64_t hl = 0;
    for (int i = 7; i >= 0; i--)
        hl = hl << 8 | b[i];
    if (hl > n - 8)
        return hv_errorf(err, "%s: byte 8: header length %llu goes past the end of the file (%zu "
                              "bytes)", name, (unsigned long long)hl, n);
    if (hl == 0)
        return hv_errorf(err, "%s: byte 8: the header is empty (length 0)", name);
    size_t hlen = (size_t)hl;
    const unsigned char *nul = memchr(b + 8, 0, hlen);
    if (nul)
        return hv_errorf(err, "%s: byte %zu: header: a NUL byte in the JSON", name,
                         (size_t)(nul - b));
    char *t = malloc(hlen + 1);
    if (!t)
        return hv_errorf(err, "%s: out of memory for a %zu-byte header", name, hlen);
    memcpy(t, b + 8, hlen);
    t[hlen] = '\0';
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(t, hlen + 1, &end, 1);
    if (!root) {
        size_t pos;
        const char *why;
        if (!hv_io_json_locate(t, hlen, &pos, &why)) { /* cJSON refused valid JSON */
            pos = end && end >= t && end <= t + hlen ? (size_t)(end - t) : 0;
            why = "cannot be parsed";
        }
        char d[160];
        hv_errorf(err, "%s: byte %zu: header: invalid JSON: %s", name, 8 + pos,
                  hv_io_json_describe(d, sizeof d, t, hlen, pos, why, "header"));
        free(t);
        return false;
    }
    bool ok = true;
    uint64_t data_len = (uint64_t)(n - 8 - hlen);
    size_t data_start = 8 + hlen;
    tinfo *ts = NULL;
    size_t nt = 0;
    if (!cJSON_IsObject(root)) {
        ok = hv_errorf(err, "%s: byte 8: header: expected a JSON object, got %s", name,
                       type_name(root));
    } else {
        int cnt = cJSON_GetArraySize(root);
        ts = calloc(cnt > 0 ? (size_t)cnt : 1, sizeof *ts);
        if (!ts)
            ok = hv_errorf(err, "%s: out of memory", name);
        for (const cJSON *it = root->child; ok && it && nt < (size_t)cnt; it = it->next) {
            if (strcmp(it->string, "__metadata__") == 0)
                continue;
            ok = entry(name, it, data_len, &ts[nt], err);
            nt++;
        }
        if (ok)
            ok = layout(name, ts, nt, data_start, data_len, err);
    }
    if (ok) {
        const tinfo *chosen = NULL;
        char list[320] = "";
        qsort(ts, nt, sizeof *ts, cmp_name);
        for (size_t i = 0; i < nt; i++) {
            hv_io_list_add(list, sizeof list, ts[i].name);
            if (o->tensor ? strcmp(ts[i].name, o->tensor) == 0 : nt == 1)
                chosen = &ts[i];
        }
        char q[96];
        if (o->tensor && !chosen)
            ok = hv_errorf(err, "%s: no tensor %s (tensors: %s)", name,
                           hv_io_quote(q, sizeof q, o->tensor, strlen(o->tensor), 60),
                           nt ? list : "none");
        else if (nt == 0)
            ok = hv_errorf(err, "%s: the file holds no tensors", name);
        else if (!chosen)
            ok = hv_errorf(err, "%s: holds %zu tensors, name the one to read: %s", name, nt,
                           list);
        else
            ok = read_tensor(b, data_start, name, chosen, o, out, err);
    }
    free(ts);
    cJSON_Delete(root);
    free(t);
    return ok;
}
