#include "app.h"

#include <SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/figure.h"
#include "../export/png.h"
#include "../gl/renderer.h"
#include "../gl/text.h"
#include "assets.h"

#define EXIT_USAGE 2
#define EXIT_RUNTIME 1

typedef struct app {
    hv_options opt;
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_text *text;
    hv_renderer *ren;
    hv_drawlist dl;
    hv_panel_state panels[HV_MAX_CONDITIONS];
    hv_scene_point *points;
    int n_panels;
} app;

static int fail(int code, const hv_error *err)
{
    fprintf(stderr, "headviz: %s\n", err->msg);
    return code;
}

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* DATA.ini, else headviz.ini in DATA's folder. */
static bool find_spec_beside(const char *data, char *out, size_t size)
{
    const char *slash = strrchr(data, '/');
    const char *base = slash ? slash + 1 : data;
    const char *dot = strrchr(base, '.');
    size_t stem = dot ? (size_t)(dot - data) : strlen(data);
    snprintf(out, size, "%.*s.ini", (int)stem, data);
    if (file_exists(out))
        return true;
    snprintf(out, size, "%.*sheadviz.ini", (int)(slash ? (size_t)(slash - data + 1) : 0), data);
    return file_exists(out);
}

static int load(app *a)
{
    hv_error err = {""};
    hv_spec_init(&a->spec);
    if (a->opt.data_path) {
        if (!hv_dataset_load(&a->ds, a->opt.data_path, &err))
            return fail(EXIT_USAGE, &err);
    } else if (!hv_dataset_parse(&a->ds, hv_asset_csv, hv_asset_csv_len, "assets/safety_heads.csv", &err)) {
        return fail(EXIT_RUNTIME, &err);
    }
    char beside[4096];
    if (a->opt.spec_path) {
        if (!hv_spec_load(&a->spec, a->opt.spec_path, &err))
            return fail(EXIT_USAGE, &err);
    } else if (a->opt.data_path) {
        if (find_spec_beside(a->opt.data_path, beside, sizeof beside) &&
            !hv_spec_load(&a->spec, beside, &err))
            return fail(EXIT_USAGE, &err);
    } else if (!hv_spec_parse(&a->spec, hv_asset_ini, "assets/safety_heads.ini", &err)) {
        return fail(EXIT_RUNTIME, &err);
    }
    char msg[HV_ERROR_MAX];
    if (hv_spec_check_names(&a->spec, &a->ds, a->opt.spec_path ? a->opt.spec_path : "spec", msg,
                            (int)sizeof msg))
        fprintf(stderr, "headviz: warning: %s\n", msg);
    if (a->opt.colormap)
        snprintf(a->spec.colormap, sizeof a->spec.colormap, "%s", a->opt.colormap);
    if (!hv_figure_prepare(&a->fig, &a->ds, &a->spec, &err))
        return fail(EXIT_USAGE, &err);
    a->points = malloc((size_t)(a->ds.n_points > 0 ? a->ds.n_points : 1) * sizeof *a->points);
    if (!a->points) {
        hv_errorf(&err, "out of memory");
        return fail(EXIT_RUNTIME, &err);
    }
    a->n_panels = hv_figure_side_panels(&a->fig, a->panels, a->points);
    return 0;
}

static void build(app *a, int w, int h)
{
    hv_figure_opts fo = {0};
    fo.width = w;
    fo.height = h;
    fo.theme = (hv_theme_id)a->opt.theme;
    fo.transparent = a->opt.transparent;
    fo.measure = hv_text_measure;
    fo.measure_user = a->text;
    hv_figure_build(&a->fig, &fo, a->panels, a->n_panels, &a->dl, NULL);
}

/* Renders at w x h offscreen and writes path. */
static bool write_png(app *a, const char *path, int w, int h, bool overwrite, hv_error *err)
{
    int max = hv_renderer_max_size(a->ren);
    if (w > max || h > max)
        return hv_errorf(err, "--size %dx%d: larger than the GPU's framebuffer limit %dx%d", w, h, max, max);
    build(a, w, h);
    if (a->dl.oom)
        return hv_errorf(err, "out of memory building the frame");
    unsigned char *rgba = malloc((size_t)w * (size_t)h * 4);
    if (!rgba)
        return hv_errorf(err, "out of memory for a %dx%d image", w, h);
    bool ok = hv_renderer_render_rgba(a->ren, &a->dl, rgba, err) &&
              hv_png_write(path, rgba, w, h, a->opt.transparent, overwrite, err);
    free(rgba);
    return ok;
}

static bool have_display(void)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && *drv)
        return strcmp(drv, "offscreen") != 0 && strcmp(drv, "dummy") != 0;
    const char *d = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (d && *d) || (wl && *wl);
}

static int run_screenshot(app *a)
{
    hv_error err = {""};
    /* headless: no display needed */
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (!drv || !*drv)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        hv_errorf(&err, "cannot initialise SDL video (%s): %s", SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "none", SDL_GetError());
        return fail(EXIT_RUNTIME, &err);
    }
    hv_renderer_desc rd = {0};
    a->ren = hv_renderer_create(&rd, a->text, &err);
    if (!a->ren)
        return fail(EXIT_RUNTIME, &err);
    int w = a->opt.width ? a->opt.width : 1920, h = a->opt.height ? a->opt.height : 1080;
    if (!write_png(a, a->opt.screenshot, w, h, a->opt.force, &err))
        return fail(strstr(err.msg, "file exists") || strstr(err.msg, "--size") ? EXIT_USAGE : EXIT_RUNTIME, &err);
    printf("%s (%dx%d)\n", a->opt.screenshot, w, h);
    return 0;
}

/* headviz-YYYYMMDD-HHMMSS[-N].png in the current folder, never overwriting. */
static bool save_screenshot(app *a, int w, int h, char *path, size_t size, hv_error *err)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    for (int n = 0; n < 1000; n++) {
        if (n == 0)
            snprintf(path, size, "headviz-%s.png", stamp);
        else
            snprintf(path, size, "headviz-%s-%d.png", stamp, n);
        if (write_png(a, path, w, h, false, err))
            return true;
        if (!strstr(err->msg, "file exists"))
            return false;
    }
    return hv_errorf(err, "cannot find a free screenshot name in the current folder");
}

static int run_window(app *a)
{
    hv_error err = {""};
    if (!have_display() || SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr,
                "headviz: no display to open a window on (DISPLAY/WAYLAND_DISPLAY unset or unusable); "
                "render to a file instead: headviz --screenshot out.png\n");
        return EXIT_RUNTIME;
    }
    hv_renderer_desc rd = {0};
    rd.visible = true;
    rd.width = a->opt.width ? a->opt.width : 1600;
    rd.height = a->opt.height ? a->opt.height : 900;
    rd.title = "headviz";
    rd.vsync = true;
    a->ren = hv_renderer_create(&rd, a->text, &err);
    if (!a->ren)
        return fail(EXIT_RUNTIME, &err);
    bool running = true, dirty = true;
    while (running) {
        SDL_Event ev;
        if (!dirty) {
            if (!SDL_WaitEvent(&ev))
                break;
            SDL_PushEvent(&ev); /* handled below with the rest */
        }
        while (SDL_PollEvent(&ev)) {
            switch (ev.type) {
            case SDL_QUIT: running = false; break;
            case SDL_WINDOWEVENT:
                if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED || ev.window.event == SDL_WINDOWEVENT_EXPOSED ||
                    ev.window.event == SDL_WINDOWEVENT_RESIZED)
                    dirty = true;
                break;
            case SDL_KEYDOWN:
                switch (ev.key.keysym.sym) {
                case SDLK_ESCAPE:
                case SDLK_q: running = false; break;
                case SDLK_s: {
                    int w, h;
                    hv_renderer_drawable_size(a->ren, &w, &h);
                    char path[256];
                    if (save_screenshot(a, w, h, path, sizeof path, &err))
                        printf("saved %s (%dx%d)\n", path, w, h);
                    else
                        fprintf(stderr, "headviz: %s\n", err.msg);
                    fflush(stdout);
                    dirty = true;
                    break;
                }
                default: break;
                }
                break;
            default: break;
            }
        }
        if (dirty && running) {
            int w, h;
            hv_renderer_drawable_size(a->ren, &w, &h);
            build(a, w, h);
            hv_renderer_present(a->ren, &a->dl);
            dirty = false;
        }
    }
    return 0;
}

int hv_app_main(int argc, char **argv)
{
    app a;
    memset(&a, 0, sizeof a);
    hv_error err = {""};
    if (!hv_cli_parse(argc, argv, &a.opt, &err))
        return fail(EXIT_USAGE, &err);
    if (a.opt.help) {
        fputs(hv_cli_usage(), stdout);
        return 0;
    }
    if (a.opt.version) {
        printf("headviz 0.1.0\n");
        return 0;
    }
    int rc = load(&a);
    if (rc == 0) {
        a.text = hv_text_create(a.opt.font, &err);
        if (!a.text)
            rc = fail(a.opt.font ? EXIT_USAGE : EXIT_RUNTIME, &err);
    }
    if (rc == 0)
        rc = a.opt.screenshot ? run_screenshot(&a) : run_window(&a);
    hv_renderer_destroy(a.ren);
    hv_text_destroy(a.text);
    hv_drawlist_free(&a.dl);
    free(a.points);
    hv_dataset_free(&a.ds);
    if (SDL_WasInit(0))
        SDL_Quit();
    return rc;
}
