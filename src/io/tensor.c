/* tensor: dense arrays as .npy and safetensors store them: decodes each value
 * (float16/bfloat16/32/64, integers, bool; either byte order) in C or Fortran
 * order, one sample at a time into the reducer. Infinities are reported with
 * the value's index (in the array's own order of axes) and byte offset. */
#include "io_internal.h"

#include <math.h>
#include <string.h>

static uint64_t load_uint(const unsigned char *p, int size, bool big)
{
    uint64_t v = 0;
    if (big)
        for (int i = 0; i < size; i++)
            v = v << 8 | p[i];
    else
        for (int i = size - 1; i >= 0; i--)
            v = v << 8 | p[i];
    return v;
}

static double half_to_double(uint32_t h)
{
    uint32_t exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
    double v;
    if (exp == 0)
        v = ldexp((double)mant, -24);
    else if (exp == 31)
        v = mant ? NAN : INFINITY;
    else
        v = ldexp((double)(mant | 0x400), (int)exp - 25);
    return (h & 0x8000) ? -v : v;
}

static double decode(const unsigned char *p, const hv_dtype *d)
{
    uint64_t u = load_uint(p, d->size, d->big_endian);
    switch (d->kind) {
    case HV_DK_FLOAT:
        if (d->size == 2)
            return half_to_double((uint32_t)u);
        if (d->size == 4) {
            uint32_t w = (uint32_t)u;
            float f;
            memcpy(&f, &w, sizeof f);
            return (double)f;
        } else {
            double f;
            memcpy(&f, &u, sizeof f);
            return f;
        }
    case HV_DK_BFLOAT: {
        uint32_t w = (uint32_t)u << 16;
        float f;
        memcpy(&f, &w, sizeof f);
        return (double)f;
    }
    case HV_DK_INT: {
        /* sign-extend from size bytes */
        int shift = 64 - 8 * d->size;
        int64_t s = (int64_t)(u << shift) >> shift;
        return (double)s;
    }
    case HV_DK_UINT:
        return (double)u;
    case HV_DK_BOOL:
        return u ? 1.0 : 0.0;
    }
    return NAN;
}

static bool infinite_at(const hv_tensor *t, uint64_t idx, uint64_t s, uint64_t l, uint64_t h,
                        const char *where, hv_error *err)
{
    size_t at = t->offset + (size_t)idx * (size_t)t->dtype.size;
    if (t->rank == 3)
        return hv_errorf(err, "%s: byte %zu: value [%llu, %llu, %llu] is infinite", where, at,
                         (unsigned long long)s, (unsigned long long)l, (unsigned long long)h);
    return hv_errorf(err, "%s: byte %zu: value [%llu, %llu] is infinite", where, at,
                     (unsigned long long)l, (unsigned long long)h);
}

bool hv_tensor_reduce_stream(const hv_tensor *t, hv_tensor_next next, void *ctx, const char *where,
                             const hv_read_opts *o, hv_grid *out, hv_error *err)
{
    memset(out, 0, sizeof *out);
    uint64_t S = t->rank == 3 ? t->dims[0] : 1;
    uint64_t L = t->dims[t->rank - 2], H = t->dims[t->rank - 1];
    hv_reducer r;
    if (!hv_reducer_init(&r, (int)L, (int)H, o, where, err))
        return false;
    size_t sz = (size_t)t->dtype.size;
    size_t cells = (size_t)(L * H);
    const unsigned char *all = NULL; /* Fortran order: the whole array */
    if (t->fortran) {
        all = next(ctx, (size_t)(S * cells) * sz, t->offset, err);
        if (!all) {
            hv_reducer_free(&r);
            return false;
        }
    }
    for (uint64_t s = 0; s < S; s++) {
        double *b = hv_reducer_sample(&r);
        if (!b) {
            hv_reducer_free(&r);
            return hv_errorf(err, "%s: out of memory", where);
        }
        if (!t->fortran) {
            /* C order: this sample's cells are contiguous, in the grid's order */
            uint64_t base = s * cells;
            const unsigned char *p = next(ctx, cells * sz, t->offset + (size_t)base * sz, err);
            if (!p) {
                hv_reducer_free(&r);
                return false;
            }
            for (size_t i = 0; i < cells; i++, p += sz) {
                double v = decode(p, &t->dtype);
                if (isinf(v)) {
                    infinite_at(t, base + i, s, i / H, i % H, where, err);
                    hv_reducer_free(&r);
                    return false;
                }
                b[i] = v;
            }
        } else {
            for (uint64_t l = 0; l < L; l++)
                for (uint64_t h = 0; h < H; h++) {
                    uint64_t idx = s + S * (l + L * h);
                    double v = decode(all + idx * sz, &t->dtype);
                    if (isinf(v)) {
                        infinite_at(t, idx, s, l, h, where, err);
                        hv_reducer_free(&r);
                        return false;
                    }
                    b[l * H + h] = v;
                }
        }
        if (!hv_reducer_add(&r, err)) {
            hv_reducer_free(&r);
            return false;
        }
    }
    if (!hv_reducer_finish(&r, out, err))
        return false;
    out->sample_axis = t->rank == 3;
    return true;
}

typedef struct mem_ctx {
    const unsigned char *p;
} mem_ctx;

static const unsigned char *mem_next(void *ctx, size_t n, size_t at, hv_error *err)
{
    (void)at;
    (void)err;
    mem_ctx *m = ctx;
    const unsigned char *p = m->p;
    m->p += n;
    return p;
}

bool hv_tensor_reduce(const hv_tensor *t, const char *where, const hv_read_opts *o, hv_grid *out,
                      hv_error *err)
{
    mem_ctx m = {t->data};
    return hv_tensor_reduce_stream(t, mem_next, &m, where, o, out, err);
}
