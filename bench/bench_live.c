/* bench_live: what the live window pays per frame while the animation plays:
 * the frame built (animation, layout, draw list, with the window's status
 * line) and drawn by GL at the window's size, waited for (glFinish), without
 * the swap, so vsync does not hide the cost. Frames are consecutive moments
 * of the first transition, all different. Any headviz data arguments work:
 *   bench_live WxH FRAMES [headviz options and data...]
 * prints: markers per frame, ms per frame (mean, median, 95th percentile) for
 * build and for GL draw, and what frame rate that allows. */
#include <SDL.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "app.h"
#include "renderer.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static double cpu_ms(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-3;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void stats(const char *what, double *v, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    printf("  %-6s mean %7.2f ms  median %7.2f ms  p95 %7.2f ms\n", what, sum / n, v[n / 2], v[(n * 95) / 100]);
}

int main(int argc, char **argv)
{
    int w = 1920, h = 1080, n = 60;
    if (argc < 3 || sscanf(argv[1], "%dx%d", &w, &h) != 2 || (n = atoi(argv[2])) < 2) {
        fprintf(stderr, "usage: bench_live WxH FRAMES [headviz options and data...]\n");
        return 2;
    }
    mallopt(M_TRIM_THRESHOLD, 256 << 20); /* as headviz's main() */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return 1;
    hv_app *a = calloc(1, sizeof *a);
    char **args = calloc((size_t)argc, sizeof *args);
    args[0] = "headviz";
    for (int i = 3; i < argc; i++)
        args[i - 2] = argv[i];
    if (!a || hv_app_init(a, argc - 2, args) != -1 || hv_app_open(a, false) != -1)
        return 1;
    double *build = calloc((size_t)n, sizeof *build), *draw = calloc((size_t)n, sizeof *draw);
    double *total = calloc((size_t)n, sizeof *total);
    hv_error err = {""};
    long markers = 0, cells = 0;
    double cpu0 = 0;
    for (int i = -1; i < n; i++) { /* frame -1 warms up shaders and textures */
        int k = i < 0 ? 0 : i;
        a->view.player.t = a->view.tl.hold + a->view.tl.transition * (k + 0.5) / n;
        double t0 = now_ms();
        hv_app_build(a, w, h, true);
        double t1 = now_ms();
        if (!hv_renderer_render(a->ren, &a->view.dl, NULL, 4, &err)) {
            fprintf(stderr, "bench_live: %s\n", err.msg);
            return 1;
        }
        double t2 = now_ms();
        if (i < 0) {
            cpu0 = cpu_ms();
            continue;
        }
        build[i] = t1 - t0;
        draw[i] = t2 - t1;
        total[i] = t2 - t0;
        markers += a->view.dl.n_markers;
        for (int q = 0; q < a->view.dl.n_heatmaps; q++)
            cells += (long)a->view.dl.heatmaps[q].cols * a->view.dl.heatmaps[q].rows;
    }
    printf("live %dx%d, %d frames of a transition, %ld markers and %ld heatmap cells per frame; %s\n", w, h, n,
           markers / n, cells / n, hv_renderer_info(a->ren));
    stats("build", build, n);
    stats("draw", draw, n);
    stats("frame", total, n);
    printf("  => %.1f frames/s at the median (the window's budget at 60 Hz: 16.7 ms); CPU time of all threads %.2f ms/frame\n",
           1000.0 / total[n / 2], (cpu_ms() - cpu0) / n);
    free(build);
    free(draw);
    free(total);
    free(args);
    hv_app_shutdown(a);
    free(a);
    SDL_Quit();
    return 0;
}
