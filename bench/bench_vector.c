/* bench_vector: the seed figure written as PDF and SVG by the vector
 * backend: file sizes and the time to write them (open + page + close, the
 * draw list already built; median of N runs, and the first run on its own,
 * which also loads the font). Text is measured with SDL2_ttf like the GL
 * path, without any window or GL context.
 * usage: bench_vector [WxH] [runs] [outdir]   (default 1920x1080, 15, /tmp) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "anim.h"
#include "assets.h"
#include "figure.h"
#include "text.h"
#include "vector.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double write_once(const char *path, hv_vector_format fmt, const hv_drawlist *dl, const char *font)
{
    hv_error err = {""};
    double t0 = now_ms();
    hv_vector *v = hv_vector_open(path, fmt, dl->width * 0.75, dl->height * 0.75, font, true, &err);
    bool ok = v && hv_vector_page(v, dl, &err);
    ok = v && hv_vector_close(v, !ok, ok ? &err : NULL) && ok;
    double t = now_ms() - t0;
    if (!ok) {
        fprintf(stderr, "bench_vector: %s\n", err.msg);
        exit(1);
    }
    return t;
}

int main(int argc, char **argv)
{
    int w = 1920, h = 1080, runs = argc > 2 ? atoi(argv[2]) : 15;
    if (argc > 1 && sscanf(argv[1], "%dx%d", &w, &h) != 2)
        return 2;
    const char *dir = argc > 3 ? argv[3] : "/tmp";
    if (runs < 1 || runs > 1000)
        runs = 15;
    hv_error err = {""};
    hv_text *text = hv_text_create(NULL, &err);
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_spec_init(&spec);
    if (!text || !hv_dataset_parse(&ds, hv_asset_csv, hv_asset_csv_len, "bundled.csv", &err) ||
        !hv_spec_parse(&spec, hv_asset_ini, "bundled.ini", &err) || !hv_figure_prepare(&fig, &ds, &spec, &err)) {
        fprintf(stderr, "bench_vector: %s\n", err.msg);
        return 1;
    }
    hv_scene_point *pts = calloc((size_t)ds.n_points + 1, sizeof *pts);
    hv_panel_state panels[HV_MAX_CONDITIONS];
    int n = hv_figure_side_panels(&fig, panels, pts);
    hv_figure_opts fo = {0};
    fo.width = w;
    fo.height = h;
    fo.measure = hv_text_measure;
    fo.measure_user = text;
    hv_drawlist dl = {0};
    double tb = now_ms();
    hv_figure_build(&fig, &fo, panels, n, &dl, NULL);
    tb = now_ms() - tb;
    printf("seed figure %dx%d px -> %.0fx%.0f pt (96 px/in); draw list built in %.2f ms (text measured with SDL2_ttf)\n",
           w, h, w * 0.75, h * 0.75, tb);
    const char *font = hv_text_font_path(text);
    static const char *const names[2] = {"PDF", "SVG"};
    static const double targets[2] = {60 * 1024, 150 * 1024};
    for (int f = 0; f < 2; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/headviz_bench_%dx%d.%s", dir, w, h, f ? "svg" : "pdf");
        double first = write_once(path, (hv_vector_format)f, &dl, font);
        double *t = calloc((size_t)runs, sizeof *t);
        for (int i = 0; i < runs; i++)
            t[i] = write_once(path, (hv_vector_format)f, &dl, font);
        qsort(t, (size_t)runs, sizeof *t, cmp_double);
        struct stat st;
        long long size = stat(path, &st) == 0 ? (long long)st.st_size : -1;
        printf("%s: %lld bytes (%.1f KB; target < %.0f KB: %s); write %.1f ms median of %d (min %.1f, max %.1f), "
               "first %.1f ms; %s\n",
               names[f], size, (double)size / 1024, targets[f] / 1024, (double)size < targets[f] ? "met" : "MISSED",
               t[runs / 2], runs, t[0], t[runs - 1], first, path);
        free(t);
    }
    hv_drawlist_free(&dl);
    free(pts);
    hv_dataset_free(&ds);
    hv_text_destroy(text);
    return 0;
}
