/* bench_render: ms per rendered frame (build + GL draw + read-back) of the
 * morph animation, without encoding, at a given size.
 *   bench_render WxH [frames]   prints one line of figures */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "app.h"
#include "renderer.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    int w = 1920, h = 1080, n = 120;
    if (argc > 1 && sscanf(argv[1], "%dx%d", &w, &h) != 2) {
        fprintf(stderr, "usage: bench_render WxH [frames]\n");
        return 2;
    }
    if (argc > 2)
        n = atoi(argv[2]);
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return 1;
    hv_app *a = calloc(1, sizeof *a);
    char *args[] = {"headviz", "--layout", "morph", "--match", "rank", NULL};
    if (hv_app_init(a, 5, args) != -1 || hv_app_open(a, false) != -1)
        return 1;
    unsigned char *px = malloc((size_t)w * (size_t)h * 3);
    hv_error err;
    double build = 0, draw = 0;
    /* frames in the transition only: every one differs */
    for (int i = 0; i < n; i++) {
        double t0 = now_s();
        a->view.player.t = a->view.tl.hold + a->view.tl.transition * (i + 0.5) / n;
        hv_app_build(a, w, h, false);
        double t1 = now_s();
        if (!hv_renderer_render(a->ren, &a->view.dl, px, 3, &err))
            return 1;
        double t2 = now_s();
        if (i > 0) { /* the first frame pays for shader and texture warm-up */
            build += t1 - t0;
            draw += t2 - t1;
        }
    }
    printf("render %dx%d: %.2f ms/frame (build %.2f ms, GL draw + read-back %.2f ms) over %d frames; %s\n", w, h,
           (build + draw) * 1000 / (n - 1), build * 1000 / (n - 1), draw * 1000 / (n - 1), n - 1,
           hv_renderer_info(a->ren));
    free(px);
    hv_app_shutdown(a);
    free(a);
    SDL_Quit();
    return 0;
}
