/* bench_readers: the score-file readers on data of realistic size.
 *   bench_readers DIR   writes DIR/samples.npy, a [1000, 80, 64] float32
 *                       array (20 MB: function-vector style trials x layers
 *                       x heads), reads it back and reduces the sample axis
 *                       (mean, and count), median of 5, per stage; then
 *                       DIR/largest.npy and DIR/largest.json, the largest
 *                       grid the limits allow (1024 x 1024), parsed and
 *                       reduced, median of 5; then writes DIR/heat_M_C.npy, five models' grids (32x32,
 *                       40x40, 80x64, 42x16, 32x32) x three conditions, for
 *                       the heatmap export benchmark, and DIR/big_M_C.npy,
 *                       two models (A, B) x two conditions (c1, c2) of
 *                       400 x 400 heads: 100,000 markers with --top 25000. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dataset.h"
#include "scores.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* A .npy (format 1.0) of float32, C order. */
static int write_npy(const char *path, const int *shape, int nd, const float *v, size_t n)
{
    char dict[160];
    int k = snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < nd; i++)
        k += snprintf(dict + k, sizeof dict - (size_t)k, "%d, ", shape[i]);
    k += snprintf(dict + k, sizeof dict - (size_t)k, "), }");
    int total = 10 + k + 1, pad = (64 - total % 64) % 64;
    FILE *f = fopen(path, "wb");
    if (!f)
        return 1;
    unsigned short hl = (unsigned short)(k + pad + 1);
    fwrite("\x93NUMPY\x01\x00", 1, 8, f);
    fputc(hl & 255, f);
    fputc(hl >> 8, f);
    fwrite(dict, 1, (size_t)k, f);
    for (int i = 0; i < pad; i++)
        fputc(' ', f);
    fputc('\n', f);
    fwrite(v, sizeof *v, n, f);
    return fclose(f) != 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_readers DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/samples.npy", argv[1]);
    const int S = 1000, L = 80, H = 64;
    size_t n = (size_t)S * L * H;
    float *v = malloc(n * sizeof *v);
    if (!v)
        return 1;
    unsigned x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        v[i] = (float)((x >> 8) & 0xffff) / 65536.0f;
    }
    int shape[3] = {S, L, H};
    if (write_npy(path, shape, 3, v, n))
        return 1;
    free(v);
    hv_reduce modes[2] = {HV_REDUCE_MEAN, HV_REDUCE_COUNT};
    for (int m = 0; m < 2; m++) {
        double rd[5], parse[5];
        for (int r = 0; r < 5; r++) {
            double t0 = now_ms();
            char *bytes;
            size_t len;
            hv_error err;
            if (!hv_read_file(path, (size_t)1 << 30, &bytes, &len, &err)) {
                fprintf(stderr, "%s\n", err.msg);
                return 1;
            }
            double t1 = now_ms();
            hv_read_opts o = {0};
            o.reduce = modes[m];
            hv_grid g;
            if (!hv_read_scores((const unsigned char *)bytes, len, path, &o, &g, &err)) {
                fprintf(stderr, "%s\n", err.msg);
                return 1;
            }
            double t2 = now_ms();
            rd[r] = t1 - t0;
            parse[r] = t2 - t1;
            hv_grid_free(&g);
            free(bytes);
        }
        qsort(rd, 5, sizeof *rd, cmp_double);
        qsort(parse, 5, sizeof *parse, cmp_double);
        printf("read [1000, 80, 64] float32 .npy (20 MB), reduce %s: %.1f ms (read the file %.1f ms, parse + reduce %.1f ms), median of 5\n",
               hv_reduce_name(modes[m]), rd[2] + parse[2], rd[2], parse[2]);
    }
    /* the largest grid the limits allow (2^20 heads): 1024 x 1024 as float32
     * .npy (4 MB) and as JSON {"l-h": value} (about 20 MB), reduced (one
     * sample) and ranked into a grid: time per million cells */
    {
        const int big2[2] = {1024, 1024};
        size_t cells = (size_t)1 << 20;
        float *w = malloc(cells * sizeof *w);
        char jpath[4096];
        snprintf(path, sizeof path, "%s/largest.npy", argv[1]);
        snprintf(jpath, sizeof jpath, "%s/largest.json", argv[1]);
        FILE *jf = w ? fopen(jpath, "wb") : NULL;
        if (!jf)
            return 1;
        fputc('{', jf);
        for (size_t i = 0; i < cells; i++) {
            x = x * 1103515245u + 12345u;
            w[i] = (float)((x >> 8) & 0xffff) / 65536.0f;
            fprintf(jf, "%s\"%zu-%zu\": %.6g", i ? ", " : "", i >> 10, i & 1023, (double)w[i]);
        }
        fputc('}', jf);
        if (fclose(jf) != 0 || write_npy(path, big2, 2, w, cells))
            return 1;
        free(w);
        const char *files[2] = {path, jpath};
        for (int f = 0; f < 2; f++) {
            double t[5];
            size_t len = 0;
            for (int r = 0; r < 5; r++) {
                char *bytes;
                hv_error err;
                if (!hv_read_file(files[f], (size_t)1 << 30, &bytes, &len, &err)) {
                    fprintf(stderr, "%s\n", err.msg);
                    return 1;
                }
                double t0 = now_ms();
                hv_grid g;
                if (!hv_read_scores((const unsigned char *)bytes, len, files[f], NULL, &g, &err)) {
                    fprintf(stderr, "%s\n", err.msg);
                    return 1;
                }
                t[r] = now_ms() - t0;
                hv_grid_free(&g);
                free(bytes);
            }
            qsort(t, 5, sizeof *t, cmp_double);
            printf("read the largest grid, 1024 x 1024 %s (%.1f MB): parse + reduce %.1f ms, "
                   "median of 5\n", f ? "JSON" : "float32 .npy", (double)len / 1e6, t[2]);
        }
    }
    /* the heatmap benchmark's grids */
    static const int dims[5][2] = {{32, 32}, {40, 40}, {80, 64}, {42, 16}, {32, 32}};
    float *g = malloc(80 * 64 * sizeof *g);
    for (int mo = 0; mo < 5; mo++)
        for (int c = 0; c < 3; c++) {
            size_t cells = (size_t)dims[mo][0] * (size_t)dims[mo][1];
            for (size_t i = 0; i < cells; i++) {
                x = x * 1103515245u + 12345u;
                g[i] = (float)((x >> 8) & 0xffff) / 6553.6f * (float)(1 + c);
            }
            snprintf(path, sizeof path, "%s/heat_%d_%d.npy", argv[1], mo, c);
            if (write_npy(path, dims[mo], 2, g, cells))
                return 1;
        }
    free(g);
    /* the 100,000-marker benchmarks' grids */
    float *b = malloc(400 * 400 * sizeof *b);
    const int big[2] = {400, 400};
    for (int mo = 0; mo < 2 && b; mo++)
        for (int c = 0; c < 2; c++) {
            for (size_t i = 0; i < 400 * 400; i++) {
                x = x * 1103515245u + 12345u;
                b[i] = (float)((x >> 8) & 0xffff) / 65536.0f * 50.0f;
            }
            snprintf(path, sizeof path, "%s/big_%c_c%d.npy", argv[1], 'A' + mo, c + 1);
            if (write_npy(path, big, 2, b, 400 * 400))
                return 1;
        }
    free(b);
    return 0;
}
