/* bench_png: PNG encoding of real frames, CPU ms per frame on one thread.
 *   bench_png DIR [RUNS]   reads the .png files of DIR (in name order: e.g.
 *                          frames of headviz --export-frames DIR ...),
 *                          encodes them all RUNS times (default 5) and prints,
 *                          per mode, the median over runs of the filter and
 *                          deflate stages (src/core/stages.h: CPU time), the
 *                          mean PNG size and the share of bands reused:
 *   - headviz as exported: frames dealt in turn to two caches, as to the two
 *     workers of a 2-core machine (hv_png_encode_cached);
 *   - the same with one cache (one worker), and with none (stills);
 *   - bands of 8, 16 and 32 rows instead of the default (about 48 kB);
 *   - references on the same Up-filtered rows, compressor only: zlib level 1
 *     RLE over the whole image with its own Adler-32 (headviz before bands),
 *     and libdeflate levels 1 and 2.
 * bench/bench_png.sh makes the frames at 1920x1080 and 3840x2160 and runs
 * this on both. */
#include <dirent.h>
#include <libdeflate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "png.h"
#include "stages.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb_image.h>

typedef struct frames {
    unsigned char **px;
    int n, w, h, ch;
} frames;

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Every PNG of dir, all of one size. */
static bool load(const char *dir, frames *f)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return false;
    }
    char **names = NULL;
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".png") != 0)
            continue;
        names = realloc(names, sizeof *names * (size_t)(n + 1));
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp_name);
    f->px = calloc((size_t)n + 1, sizeof *f->px);
    f->n = 0;
    bool ok = n > 0;
    for (int i = 0; i < n && ok; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int w, h, ch;
        if (!stbi_info(path, &w, &h, &ch)) {
            fprintf(stderr, "bench_png: %s: not a PNG\n", path);
            ok = false;
            break;
        }
        if (i == 0) { /* every frame as RGB, or RGBA when the first has alpha */
            f->w = w;
            f->h = h;
            f->ch = ch == 2 || ch == 4 ? 4 : 3;
        }
        unsigned char *px = stbi_load(path, &w, &h, &ch, f->ch);
        if (!px || w != f->w || h != f->h) {
            fprintf(stderr, "bench_png: %s: unreadable or of another size\n", path);
            ok = false;
        }
        f->px[f->n++] = px;
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (!n)
        fprintf(stderr, "bench_png: no .png files in %s\n", dir);
    return ok;
}

typedef struct result {
    double filter, deflate; /* ms per frame, median over runs */
    double bytes;           /* per frame */
    double reused;          /* share of bands, 0..1 */
} result;

/* headviz's encoder over all frames, frame i through cache i % caches (no
 * cache when caches == 0), `runs` times. */
static result run_headviz(const frames *f, int caches, int band_rows, int runs)
{
    double *fl = calloc((size_t)runs, sizeof *fl), *df = calloc((size_t)runs, sizeof *df);
    result r = {0, 0, 0, 0};
    hv_png_set_band_rows(band_rows);
    for (int k = 0; k < runs; k++) {
        hv_png_cache *c[2] = {caches ? hv_png_cache_create() : NULL, caches > 1 ? hv_png_cache_create() : NULL};
        hv_stages_reset();
        size_t bytes = 0;
        for (int i = 0; i < f->n; i++) {
            unsigned char *png = NULL;
            size_t len = 0;
            hv_error err = {""};
            if (!hv_png_encode_cached(caches ? c[i % caches] : NULL, f->px[i], f->w, f->h, f->ch, &png, &len, &err)) {
                fprintf(stderr, "bench_png: %s\n", err.msg);
                exit(1);
            }
            bytes += len;
            free(png);
        }
        fl[k] = hv_stage_ms(HV_STAGE_FILTER) / f->n;
        df[k] = hv_stage_ms(HV_STAGE_DEFLATE) / f->n;
        r.bytes = (double)bytes / f->n;
        long bands = 0, reused = 0;
        for (int j = 0; j < 2; j++) {
            long b, u;
            hv_png_cache_stats(c[j], &b, &u);
            bands += b;
            reused += u;
            hv_png_cache_destroy(c[j]);
        }
        r.reused = bands ? (double)reused / (double)bands : 0;
    }
    hv_png_set_band_rows(0);
    qsort(fl, (size_t)runs, sizeof *fl, cmp_double);
    qsort(df, (size_t)runs, sizeof *df, cmp_double);
    r.filter = fl[runs / 2];
    r.deflate = df[runs / 2];
    free(fl);
    free(df);
    return r;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

/* Up-filtered rows as stb makes them (filter byte 2, the first row as is). */
static unsigned char *filter_up(const unsigned char *px, int w, int h, int ch, size_t *len)
{
    size_t stride = (size_t)w * (size_t)ch, row = stride + 1;
    unsigned char *out = malloc(row * (size_t)h);
    for (int y = 0; y < h; y++) {
        unsigned char *o = out + row * (size_t)y;
        const unsigned char *p = px + stride * (size_t)y;
        o[0] = 2;
        for (size_t i = 0; i < stride; i++)
            o[1 + i] = (unsigned char)(p[i] - (y ? p[i - stride] : 0));
    }
    *len = row * (size_t)h;
    return out;
}

enum { REF_ZLIB, REF_LIBDEFLATE1, REF_LIBDEFLATE2 };

/* A reference compressor over each frame's whole filtered rows. */
static result run_reference(const frames *f, int which, int runs)
{
    size_t len = 0, cap = 0;
    unsigned char **rows = malloc(sizeof *rows * (size_t)f->n);
    for (int i = 0; i < f->n; i++)
        rows[i] = filter_up(f->px[i], f->w, f->h, f->ch, &len);
    cap = len + len / 8 + 65536;
    unsigned char *out = malloc(cap);
    struct libdeflate_compressor *ld =
        which == REF_ZLIB ? NULL : libdeflate_alloc_compressor(which == REF_LIBDEFLATE1 ? 1 : 2);
    double *t = calloc((size_t)runs, sizeof *t);
    result r = {0, 0, 0, 0};
    for (int k = 0; k < runs; k++) {
        size_t bytes = 0;
        double t0 = cpu_ms();
        for (int i = 0; i < f->n; i++) {
            if (ld) {
                bytes += libdeflate_zlib_compress(ld, rows[i], len, out, cap);
                continue;
            }
            z_stream zs;
            memset(&zs, 0, sizeof zs);
            deflateInit2(&zs, 1, Z_DEFLATED, 15, 8, Z_RLE);
            zs.next_in = rows[i];
            zs.avail_in = (uInt)len;
            zs.next_out = out;
            zs.avail_out = (uInt)cap;
            deflate(&zs, Z_FINISH);
            bytes += zs.total_out;
            deflateEnd(&zs);
        }
        t[k] = (cpu_ms() - t0) / f->n;
        r.bytes = (double)bytes / f->n + 8 + 25 + 12 + 12; /* PNG signature and chunks around IDAT */
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    r.deflate = t[runs / 2];
    r.filter = -1;
    libdeflate_free_compressor(ld);
    for (int i = 0; i < f->n; i++)
        free(rows[i]);
    free(rows);
    free(out);
    free(t);
    return r;
}

static void print(const char *name, result r)
{
    char filter[16] = "     -", reused[16] = "";
    if (r.filter >= 0)
        snprintf(filter, sizeof filter, "%6.2f", r.filter);
    if (r.reused > 0)
        snprintf(reused, sizeof reused, "%5.1f%%", 100 * r.reused);
    printf("  %-48s %s  %7.2f  %7.2f  %10.0f  %s\n", name, filter, r.deflate, (r.filter > 0 ? r.filter : 0) + r.deflate,
           r.bytes, reused);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_png DIR [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 5;
    if (runs < 1)
        runs = 1;
    frames f = {0};
    if (!load(argv[1], &f))
        return 1;
    hv_stages_enable(true);
    printf("bench_png: %d frames %dx%d %s from %s; CPU ms per frame on one thread, median of %d runs\n", f.n, f.w,
           f.h, f.ch == 4 ? "RGBA" : "RGB", argv[1], runs);
    printf("  %-48s %6s  %7s  %7s  %10s  %s\n", "mode", "filter", "deflate", "total", "bytes", "bands reused");
    print("headviz export: 2 workers' caches (2 cores)", run_headviz(&f, 2, 0, runs));
    print("headviz export: 1 worker's cache", run_headviz(&f, 1, 0, runs));
    print("headviz, no cache (a still)", run_headviz(&f, 0, 0, runs));
    static const int rows[] = {8, 16, 32};
    for (int i = 0; i < 3; i++) {
        char name[80];
        snprintf(name, sizeof name, "bands of %d rows, 2 caches", rows[i]);
        print(name, run_headviz(&f, 2, rows[i], runs));
        snprintf(name, sizeof name, "bands of %d rows, no cache", rows[i]);
        print(name, run_headviz(&f, 0, rows[i], runs));
    }
    print("ref: zlib L1 RLE, whole image (headviz before)", run_reference(&f, REF_ZLIB, runs));
    print("ref: libdeflate L1, whole image", run_reference(&f, REF_LIBDEFLATE1, runs));
    print("ref: libdeflate L2, whole image", run_reference(&f, REF_LIBDEFLATE2, runs));
    for (int i = 0; i < f.n; i++)
        stbi_image_free(f.px[i]);
    free(f.px);
    return 0;
}
