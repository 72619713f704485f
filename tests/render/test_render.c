/* Render tests: real headless GL frames (SDL offscreen driver, Mesa llvmpipe),
 * read back and checked by pixels at places computed from the layout. */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/check.h"
#include "anim.h"
#include "assets.h"
#include "colormap.h"
#include "figure.h"
#include "png.h"
#include "renderer.h"
#include "text.h"

#define STBI_ONLY_PNG
#include <stb_image.h>

static hv_text *g_text;
static hv_renderer *g_ren;
static hv_dataset g_ds;
static hv_spec g_spec;
static hv_figure g_fig;

typedef struct frame {
    int w, h;
    unsigned char *px;
    hv_drawlist dl;
    hv_figure_layout layout;
    hv_panel_state panels[HV_MAX_PANELS];
    int n_panels;
} frame;

static void px_at(const frame *f, float x, float y, int rgb[3])
{
    int xi = (int)floorf(x), yi = (int)floorf(y);
    if (xi < 0 || yi < 0 || xi >= f->w || yi >= f->h) {
        rgb[0] = rgb[1] = rgb[2] = -1000;
        return;
    }
    const unsigned char *p = f->px + ((size_t)yi * (size_t)f->w + (size_t)xi) * 4;
    for (int k = 0; k < 3; k++)
        rgb[k] = p[k];
}

static int color_dist(const int a[3], const float b[3])
{
    int d = 0;
    for (int k = 0; k < 3; k++) {
        int e = abs(a[k] - (int)lrintf(b[k] * 255.0f));
        if (e > d)
            d = e;
    }
    return d;
}

/* The marker's centre pixel; for thin stroked shapes (x, plus) whose centre
 * may straddle pixels, the best of the 3x3 pixels around it. */
static int marker_dist(const frame *f, float x, float y, int shape, const float want[3], int got[3])
{
    px_at(f, x, y, got);
    int best = color_dist(got, want);
    if (shape != HV_SHAPE_X && shape != HV_SHAPE_PLUS)
        return best;
    for (int dy = -1; dy <= 1; dy++)
        for (int dx = -1; dx <= 1; dx++) {
            int g[3];
            px_at(f, x + (float)dx, y + (float)dy, g);
            int d = color_dist(g, want);
            if (d < best) {
                best = d;
                memcpy(got, g, sizeof g);
            }
        }
    return best;
}

/* Distance of a pixel to the nearest colour on the colormap (8-bit max-norm). */
static int dist_to_colormap(const hv_colormap *cm, const int rgb[3])
{
    int best = 1000;
    for (int i = 0; i <= 1020; i++) {
        float c[3];
        hv_colormap_sample(cm, i / 1020.0, c);
        int d = color_dist(rgb, c);
        if (d < best)
            best = d;
    }
    return best;
}

static void render(frame *f, int w, int h, hv_anim *anim, double progress, hv_theme_id theme, bool transparent)
{
    f->w = w;
    f->h = h;
    hv_frame_desc desc;
    f->n_panels = hv_anim_frame(anim, progress, NULL, f->panels, &desc);
    hv_figure_opts fo = {0};
    fo.desc = desc;
    fo.width = w;
    fo.height = h;
    fo.theme = theme;
    fo.transparent = transparent;
    fo.measure = hv_text_measure;
    fo.measure_user = g_text;
    hv_figure_build(&g_fig, &fo, f->panels, f->n_panels, &f->dl, &f->layout);
    free(f->px);
    f->px = malloc((size_t)w * (size_t)h * 4);
    hv_error err = {""};
    if (!hv_renderer_render_rgba(g_ren, &f->dl, f->px, &err)) {
        printf("render failed: %s\n", err.msg);
        exit(1);
    }
}

static void frame_free(frame *f)
{
    free(f->px);
    hv_drawlist_free(&f->dl);
}

static bool covered_by_later(const frame *f, int p, int i)
{
    const hv_panel_state *ps = &f->panels[p];
    const hv_panel_layout *pl = &f->layout.panels[p];
    float x = (float)hv_scale_map(&pl->sx, ps->points[i].layer), y = (float)hv_scale_map(&pl->sy, ps->points[i].head);
    for (int j = i + 1; j < ps->n_points; j++) {
        float dx = (float)hv_scale_map(&pl->sx, ps->points[j].layer) - x;
        float dy = (float)hv_scale_map(&pl->sy, ps->points[j].head) - y;
        if (sqrtf(dx * dx + dy * dy) < f->layout.marker_size)
            return true;
    }
    /* the legend box sits over the plot's top-right corner */
    const hv_rect *lg = &pl->legend;
    return x >= lg->x - 2 && x <= lg->x + lg->w + 2 && y >= lg->y - 2 && y <= lg->y + lg->h + 2;
}

/* Every fully visible marker's centre has the colour of its score through
 * the colormap with its panel's range. Returns how many were checked. */
static int check_marker_colours(const frame *f, const char *what)
{
    int checked = 0;
    for (int p = 0; p < f->n_panels; p++) {
        const hv_panel_state *ps = &f->panels[p];
        const hv_panel_layout *pl = &f->layout.panels[p];
        for (int i = 0; i < ps->n_points; i++) {
            const hv_scene_point *sp = &ps->points[i];
            if (sp->alpha < 1 || sp->scale < 1 || covered_by_later(f, p, i))
                continue;
            float x = (float)hv_scale_map(&pl->sx, sp->layer), y = (float)hv_scale_map(&pl->sy, sp->head);
            double t = (sp->score - ps->lo) / (ps->hi - ps->lo);
            float want[3];
            hv_colormap_sample(g_fig.cmap, t, want);
            int got[3];
            int d = marker_dist(f, x, y, g_fig.models[sp->model].shape, want, got);
            check_context("%s: panel %d point %d (layer %.2f head %.2f score %.2f)", what, p, i, sp->layer, sp->head,
                          sp->score);
            CHECK(d <= 3);
            if (d > 3)
                printf("   got %d,%d,%d want %.0f,%.0f,%.0f\n", got[0], got[1], got[2], want[0] * 255, want[1] * 255,
                       want[2] * 255);
            checked++;
        }
    }
    check_context("%s", what);
    return checked;
}

static void test_seed_markers_and_colorbars(void)
{
    int sizes[3][2] = {{1280, 720}, {1920, 1080}, {3840, 2160}};
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    hv_error err;
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    for (int s = 0; s < 3; s++) {
        frame f = {0};
        render(&f, sizes[s][0], sizes[s][1], &anim, 1.0, HV_THEME_LIGHT, false);
        char what[64];
        snprintf(what, sizeof what, "seed %dx%d", f.w, f.h);
        int n = check_marker_colours(&f, what);
        CHECK(n >= 27); /* 31 points less the few under the legend or a neighbour */
        /* colorbars: bottom = viridis(0), top = viridis(1), middle = viridis(0.5) */
        for (int p = 0; p < f.n_panels; p++) {
            hv_rect cb = f.layout.panels[p].colorbar;
            float cx = cb.x + cb.w * 0.5f;
            float want[3];
            int got[3];
            hv_colormap_sample(g_fig.cmap, 0.0, want);
            px_at(&f, cx, cb.y + cb.h - 0.5f, got);
            check_context("%s colorbar %d bottom", what, p);
            CHECK(color_dist(got, want) <= 3);
            hv_colormap_sample(g_fig.cmap, 1.0, want);
            px_at(&f, cx, cb.y + 0.5f, got);
            check_context("%s colorbar %d top", what, p);
            CHECK(color_dist(got, want) <= 3);
            hv_colormap_sample(g_fig.cmap, 0.5, want);
            px_at(&f, cx, cb.y + cb.h * 0.5f, got);
            check_context("%s colorbar %d middle", what, p);
            CHECK(color_dist(got, want) <= 4);
            /* the background right of the colorbar label column is white */
            px_at(&f, 2, 2, got);
            CHECK(got[0] == 255 && got[1] == 255 && got[2] == 255);
        }
        /* the axis frame is drawn: a dark pixel on the plot's left edge */
        int got[3];
        hv_rect pr = f.layout.panels[0].plot;
        px_at(&f, pr.x - 0.5f, pr.y + pr.h * 0.5f, got);
        check_context("%s frame", what);
        CHECK(got[0] < 80 && got[1] < 80 && got[2] < 80);
        frame_free(&f);
    }
    check_context("%s", "");
    hv_anim_free(&anim);
}

/* The same figure at three sizes: plot rects scale with the output. */
static void test_resolution_independence(void)
{
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    hv_error err;
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    frame a = {0}, b = {0};
    render(&a, 1920, 1080, &anim, 1.0, HV_THEME_LIGHT, false);
    render(&b, 3840, 2160, &anim, 1.0, HV_THEME_LIGHT, false);
    for (int p = 0; p < 2; p++) {
        hv_rect ra = a.layout.panels[p].plot, rb = b.layout.panels[p].plot;
        CHECK(fabsf(rb.x - 2 * ra.x) <= 3 && fabsf(rb.y - 2 * ra.y) <= 3);
        CHECK(fabsf(rb.w - 2 * ra.w) <= 4 && fabsf(rb.h - 2 * ra.h) <= 4);
    }
    frame_free(&a);
    frame_free(&b);
    hv_anim_free(&anim);
}

/* Dark theme: background is dark, markers keep their colormap colours. */
static void test_dark_theme(void)
{
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    hv_error err;
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    frame f = {0};
    render(&f, 1280, 720, &anim, 1.0, HV_THEME_DARK, false);
    int got[3];
    px_at(&f, 2, 2, got);
    CHECK(got[0] < 40 && got[1] < 40 && got[2] < 40);
    CHECK(check_marker_colours(&f, "dark") >= 27);
    frame_free(&f);
    hv_anim_free(&anim);
}

/* Frames at progress 0, 0.5, 1 in each layout. */
static void test_layouts_progress(void)
{
    for (int layout = 0; layout <= HV_LAYOUT_MODELS; layout++) { /* the marker layouts */
        for (int match = 0; match < HV_MATCH_COUNT; match++) {
            hv_anim anim;
            hv_anim_opts ao = {(hv_layout_mode)layout, (hv_match_mode)match, HV_EASE_CUBIC, 0};
            hv_error err;
            CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
            double ps[3] = {0, 0.5, 1};
            for (int k = 0; k < 3; k++) {
                frame f = {0};
                render(&f, 1920, 1080, &anim, ps[k], HV_THEME_LIGHT, false);
                char what[96];
                snprintf(what, sizeof what, "layout %s match %s progress %.1f", hv_layout_name(layout),
                         hv_match_name(match), ps[k]);
                check_context("%s", what);
                int want_panels = layout == HV_LAYOUT_MORPH ? 1 : 2;
                CHECK_INT(f.n_panels, want_panels);
                check_marker_colours(&f, what);
                /* every opaque marker centre's colour lies on the colormap;
                 * enter/exit markers at t=0.5 are half-transparent over white */
                for (int p = 0; p < f.n_panels; p++) {
                    const hv_panel_state *pst = &f.panels[p];
                    const hv_panel_layout *pl = &f.layout.panels[p];
                    for (int i = 0; i < pst->n_points; i++) {
                        const hv_scene_point *sp = &pst->points[i];
                        if (covered_by_later(&f, p, i))
                            continue;
                        int got[3];
                        float x = (float)hv_scale_map(&pl->sx, sp->layer), y = (float)hv_scale_map(&pl->sy, sp->head);
                        int shape = g_fig.models[sp->model].shape;
                        float c[3];
                        hv_colormap_sample(g_fig.cmap, hv_figure_value(sp->score, pst->lo, pst->hi), c);
                        if (sp->alpha >= 1) {
                            marker_dist(&f, x, y, shape, c, got);
                            CHECK(dist_to_colormap(g_fig.cmap, got) <= 3);
                        } else if (sp->scale >= 0.4f && shape == HV_SHAPE_CIRCLE) {
                            /* entering/leaving: blended with the point's alpha over
                             * the white ground or, on an even layer/head, a grid line */
                            const hv_theme *th = hv_theme_get(HV_THEME_LIGHT);
                            float want[3], want_grid[3];
                            const float grid[3] = {th->grid.r, th->grid.g, th->grid.b};
                            for (int q = 0; q < 3; q++) {
                                want[q] = c[q] * sp->alpha + (1 - sp->alpha);
                                want_grid[q] = c[q] * sp->alpha + grid[q] * (1 - sp->alpha);
                            }
                            px_at(&f, x, y, got);
                            int d = color_dist(got, want), dg = color_dist(got, want_grid);
                            CHECK(d <= 4 || dg <= 4);
                            if (d > 4 && dg > 4)
                                printf("   got %d,%d,%d want %.0f,%.0f,%.0f (alpha %.2f)\n", got[0], got[1], got[2],
                                       want[0] * 255, want[1] * 255, want[2] * 255, sp->alpha);
                        }
                    }
                }
                if (layout == HV_LAYOUT_MORPH) {
                    /* colour range: 0-70 at 0, 0-22 at 1, in between at 0.5 */
                    const hv_panel_state *p0 = &f.panels[0];
                    if (k == 0)
                        CHECK_NEAR(p0->hi, 70, 1e-9);
                    if (k == 2)
                        CHECK_NEAR(p0->hi, 22, 1e-9);
                    if (k == 1)
                        CHECK_NEAR(p0->hi, 46, 1e-9); /* cubic in-out(0.5) = 0.5 */
                }
                frame_free(&f);
            }
            hv_anim_free(&anim);
        }
    }
    check_context("%s", "");
}

/* A moving point at mid-transition (rank matching pairs every point): its
 * centre is at the interpolated place with the interpolated colour. */
static void test_mid_transition_point(void)
{
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_MORPH, HV_MATCH_RANK, HV_EASE_LINEAR, 0};
    hv_error err;
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    frame f = {0};
    render(&f, 1920, 1080, &anim, 0.5, HV_THEME_LIGHT, false);
    /* Vicuna's strongest head: Undiff L1 H8 (60) -> Scaling: its first by rank */
    const hv_panel_state *ps = &f.panels[0];
    int moving = 0;
    for (int i = 0; i < ps->n_points; i++) {
        const hv_scene_point *sp = &ps->points[i];
        if (sp->src_a < 0 || sp->src_b < 0)
            continue;
        const hv_point *a = &g_ds.points[sp->src_a], *b = &g_ds.points[sp->src_b];
        CHECK_NEAR(sp->layer, (a->layer + b->layer) * 0.5, 1e-9);
        CHECK_NEAR(sp->head, (a->head + b->head) * 0.5, 1e-9);
        CHECK_NEAR(sp->score, (a->score + b->score) * 0.5, 1e-9);
        moving++;
    }
    CHECK_INT(moving, 13); /* min(9,10) Llama + min(8,4) Vicuna */
    CHECK_NEAR(ps->hi, 46, 1e-9);
    frame_free(&f);
    hv_anim_free(&anim);
}

/* Transparent background: alpha 0 in the background, 255 at a marker. */
static void test_transparent(void)
{
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    hv_error err;
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    frame f = {0};
    render(&f, 960, 540, &anim, 1.0, HV_THEME_LIGHT, true);
    CHECK_INT(f.px[3], 0);
    const hv_panel_state *ps = &f.panels[0];
    const hv_panel_layout *pl = &f.layout.panels[0];
    const hv_scene_point *sp = &ps->points[0];
    int x = (int)hv_scale_map(&pl->sx, sp->layer), y = (int)hv_scale_map(&pl->sy, sp->head);
    CHECK_INT(f.px[((size_t)y * 960 + (size_t)x) * 4 + 3], 255);
    /* the plot area is transparent too (between grid lines: layer 21, head 13) */
    x = (int)hv_scale_map(&pl->sx, 21);
    y = (int)hv_scale_map(&pl->sy, 13);
    CHECK_INT(f.px[((size_t)y * 960 + (size_t)x) * 4 + 3], 0);
    /* grid lines and the axes stay */
    x = (int)floorf(pl->plot.x) - 1;
    CHECK(f.px[((size_t)y * 960 + (size_t)x) * 4 + 3] > 200);
    /* text stays fully opaque: the title's strokes reach alpha 255 */
    int best = 0;
    for (int yy = (int)pl->cell.y; yy < (int)pl->plot.y; yy++)
        for (int xx = (int)pl->plot.x; xx < (int)(pl->plot.x + pl->plot.w); xx++)
            best = f.px[((size_t)yy * 960 + (size_t)xx) * 4 + 3] > best ? f.px[((size_t)yy * 960 + (size_t)xx) * 4 + 3] : best;
    CHECK_INT(best, 255);
    frame_free(&f);
    hv_anim_free(&anim);
}

/* A head on the axes' edge (layer 31 with xlim -1..31) is drawn whole: its
 * right half lies outside the plot, over the frame. */
static void test_marker_on_the_edge(void)
{
    const char *csv = "model,condition,layer,head,score\nm,A,31,15,10\nm,A,2,2,1\n";
    hv_dataset ds_keep = g_ds;
    hv_figure fig_keep = g_fig;
    hv_spec spec;
    hv_error err;
    hv_spec_init(&spec);
    CHECK(hv_spec_parse(&spec, "[figure]\nxlim = -1, 31\nylim = -1, 31\n", "edge.ini", &err));
    CHECK(hv_dataset_parse(&g_ds, csv, strlen(csv), "edge.csv", &err));
    CHECK(hv_figure_prepare(&g_fig, &g_ds, &spec, &err));
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    frame f = {0};
    render(&f, 960, 540, &anim, 0, HV_THEME_LIGHT, false);
    const hv_panel_layout *pl = &f.layout.panels[0];
    float right = pl->plot.x + pl->plot.w;
    float y = (float)hv_scale_map(&pl->sy, 15);
    float want[3];
    hv_colormap_sample(g_fig.cmap, 1.0, want);
    int got[3];
    /* a third of the radius beyond the plot's right edge and its frame */
    px_at(&f, right + f.layout.marker_size * 0.35f, y, got);
    CHECK(color_dist(got, want) <= 8);
    frame_free(&f);
    hv_anim_free(&anim);
    hv_figure_free(&g_fig);
    hv_dataset_free(&g_ds);
    g_ds = ds_keep;
    g_fig = fig_keep;
}

/* On every colormap and theme, a marker at either end of the colormap and
 * a legend marker stay visible: somewhere in its footprint the colour is
 * far from the ground (cream on white is 64 away; its dark rim makes it
 * visible). */
static double rgb_dist(const int a[3], const int b[3])
{
    return sqrt((double)((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2])));
}

static void test_markers_always_visible(void)
{
    const char *csv = "model,condition,layer,head,score\nmodel a,A,2,2,0\nmodel a,A,6,6,10\n"
                      "model b,A,10,2,0\nmodel b,A,14,6,10\n";
    hv_dataset ds_keep = g_ds;
    hv_figure fig_keep = g_fig;
    hv_error err;
    CHECK(hv_dataset_parse(&g_ds, csv, strlen(csv), "ends.csv", &err));
    for (int cm = 0; cm < hv_colormap_count(); cm++)
        for (int th = 0; th < 2; th++) {
            hv_spec spec;
            hv_spec_init(&spec);
            snprintf(spec.colormap, sizeof spec.colormap, "%s", hv_colormap_at(cm)->name);
            CHECK(hv_figure_prepare(&g_fig, &g_ds, &spec, &err));
            hv_anim anim;
            hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
            CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
            frame f = {0};
            render(&f, 960, 540, &anim, 0, (hv_theme_id)th, false);
            int bg[3];
            px_at(&f, 1, 1, bg);
            /* every marker of the draw list: data and legend */
            for (int k = 0; k < f.dl.n_markers; k++) {
                const hv_marker *m = &f.dl.markers[k];
                double most = 0;
                int r = (int)ceilf(m->size * 0.5f + m->outline_w);
                for (int dy = -r; dy <= r; dy++)
                    for (int dx = -r; dx <= r; dx++) {
                        int c[3];
                        px_at(&f, m->x + (float)dx, m->y + (float)dy, c);
                        if (c[0] >= 0)
                            most = fmax(most, rgb_dist(c, bg));
                    }
                check_context("%s, %s theme, marker %d (value %.2f)", hv_colormap_at(cm)->name, th ? "dark" : "light",
                              k, (double)m->value);
                CHECK(most >= 100);
            }
            frame_free(&f);
            hv_anim_free(&anim);
            hv_figure_free(&g_fig);
        }
    check_context("%s", "");
    hv_dataset_free(&g_ds);
    g_ds = ds_keep;
    g_fig = fig_keep;
}

/* An asymmetric "F", red on blue, through the renderer and the PNG writer
 * and back through a PNG decoder: a flipped image or swapped channels fail. */
static void test_png_orientation(void)
{
    hv_drawlist dl = {0};
    hv_drawlist_reset(&dl, 64, 48, (hv_color){0, 0, 1, 1});
    hv_color red = {1, 0, 0, 1};
    hv_dl_rect(&dl, (hv_rect){8, 4, 8, 40}, red);  /* stem */
    hv_dl_rect(&dl, (hv_rect){8, 4, 40, 8}, red);  /* top bar */
    hv_dl_rect(&dl, (hv_rect){8, 20, 28, 8}, red); /* middle bar */
    unsigned char *px = malloc(64 * 48 * 4);
    hv_error err = {""};
    CHECK(hv_renderer_render_rgba(g_ren, &dl, px, &err));
    char path[] = "/tmp/hv_test_F_XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    remove(path);
    CHECK(hv_png_write(path, px, 64, 48, false, false, &err));
    int w = 0, h = 0, n = 0;
    unsigned char *img = stbi_load(path, &w, &h, &n, 3);
    CHECK(img != NULL);
    if (img) {
        CHECK_INT(w, 64);
        CHECK_INT(h, 48);
#define AT(x, y, c) img[((y) * 64 + (x)) * 3 + (c)]
        /* top bar's right end at the top right: red */
        CHECK(AT(44, 6, 0) == 255 && AT(44, 6, 1) == 0 && AT(44, 6, 2) == 0);
        /* bottom right: blue background */
        CHECK(AT(44, 44, 0) == 0 && AT(44, 44, 1) == 0 && AT(44, 44, 2) == 255);
        /* stem bottom at the bottom left: red; left of it: blue */
        CHECK(AT(10, 42, 0) == 255 && AT(10, 42, 2) == 0);
        CHECK(AT(3, 42, 0) == 0 && AT(3, 42, 2) == 255);
        /* middle bar ends before the top bar does */
        CHECK(AT(40, 24, 2) == 255 && AT(30, 24, 0) == 255);
#undef AT
        stbi_image_free(img);
    }
    /* not overwritten without being asked */
    CHECK(!hv_png_write(path, px, 64, 48, false, false, &err));
    CHECK(strstr(err.msg, "file exists") != NULL);
    remove(path);
    free(px);
    hv_drawlist_free(&dl);
}

/* Golden image with an explicit tolerance. On mismatch the actual image and
 * a diff go next to the test binary, with the command to update. */
static void test_golden(const char *golden_dir)
{
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    hv_error err;
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    struct {
        const char *name;
        hv_layout_mode layout;
        double progress;
        hv_theme_id theme;
    } cases[] = {
        {"seed_960x540.png", HV_LAYOUT_SIDE, 1.0, HV_THEME_LIGHT},
        {"morph_mid_960x540.png", HV_LAYOUT_MORPH, 0.5, HV_THEME_DARK},
    };
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        ao.layout = cases[c].layout;
        hv_anim_set_opts(&anim, &ao, &err);
        frame f = {0};
        render(&f, 960, 540, &anim, cases[c].progress, cases[c].theme, false);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", golden_dir, cases[c].name);
        if (getenv("HV_UPDATE_GOLDEN")) {
            CHECK(hv_png_write(path, f.px, f.w, f.h, false, true, &err));
            printf("updated %s\n", path);
            frame_free(&f);
            continue;
        }
        int w, h, n;
        unsigned char *ref = stbi_load(path, &w, &h, &n, 3);
        check_context("golden %s", cases[c].name);
        CHECK(ref != NULL);
        if (!ref) {
            printf("   missing %s: create it with HV_UPDATE_GOLDEN=1 ./test_render %s\n", path, golden_dir);
            frame_free(&f);
            continue;
        }
        CHECK(w == f.w && h == f.h);
        /* tolerance: a pixel differs if any channel is off by more than 40;
         * at most 0.2% of the pixels may (font hinting, rasteriser rounding) */
        long bad = 0;
        int maxd = 0;
        unsigned char *diff = calloc((size_t)f.w * (size_t)f.h * 4, 1);
        for (int i = 0; i < f.w * f.h && w == f.w && h == f.h; i++) {
            int d = 0;
            for (int k = 0; k < 3; k++) {
                int e = abs((int)f.px[i * 4 + k] - (int)ref[i * 3 + k]);
                if (e > d)
                    d = e;
            }
            if (d > maxd)
                maxd = d;
            bad += d > 40;
            diff[i * 4 + 0] = (unsigned char)(d > 40 ? 255 : d * 4 > 255 ? 255 : d * 4);
            diff[i * 4 + 3] = 255;
        }
        double frac = (double)bad / ((double)f.w * f.h);
        CHECK(frac <= 0.002);
        if (frac > 0.002) {
            char act[1100], dif[1100];
            snprintf(act, sizeof act, "actual_%s", cases[c].name);
            snprintf(dif, sizeof dif, "diff_%s", cases[c].name);
            hv_png_write(act, f.px, f.w, f.h, false, true, &err);
            hv_png_write(dif, diff, f.w, f.h, false, true, &err);
            printf("   golden mismatch: %.3f%% of pixels differ (max %d); wrote %s and %s in the test's folder.\n"
                   "   If the change is intended: HV_UPDATE_GOLDEN=1 SDL_VIDEODRIVER=offscreen ./tests/render/test_render %s\n",
                   frac * 100, maxd, act, dif, golden_dir);
        }
        free(diff);
        stbi_image_free(ref);
        frame_free(&f);
    }
    check_context("%s", "");
    hv_anim_free(&anim);
}

/* Every marker shape (a model each: circle, x, square, triangle, diamond,
 * plus, star) is filled with its colormap colour at its centre. */
static void test_all_shapes(void)
{
    char csv[4096];
    int o = snprintf(csv, sizeof csv, "model,condition,layer,head,score\n");
    for (int m = 0; m < HV_SHAPE_COUNT; m++)
        for (int k = 0; k < 3; k++)
            o += snprintf(csv + o, sizeof csv - (size_t)o, "model %d,A,%d,%d,%d\n", m, 2 + m * 4, 4 + k * 8, 10 * k + m);
    hv_dataset ds_keep = g_ds;
    hv_figure fig_keep = g_fig;
    hv_spec spec;
    hv_error err;
    hv_spec_init(&spec);
    CHECK(hv_dataset_parse(&g_ds, csv, (size_t)o, "shapes.csv", &err));
    CHECK(hv_figure_prepare(&g_fig, &g_ds, &spec, &err));
    for (int m = 0; m < HV_SHAPE_COUNT; m++)
        CHECK_INT(g_fig.models[m].shape, m);
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    frame f = {0};
    render(&f, 1600, 900, &anim, 0, HV_THEME_LIGHT, false);
    CHECK_INT(check_marker_colours(&f, "shapes"), 21);
    frame_free(&f);
    hv_anim_free(&anim);
    hv_figure_free(&g_fig);
    hv_dataset_free(&g_ds);
    g_ds = ds_keep;
    g_fig = fig_keep;
}

static void test_size_limit(void)
{
    int max = hv_renderer_max_size(g_ren);
    CHECK(max >= 4096);
    hv_drawlist dl = {0};
    hv_drawlist_reset(&dl, max + 1, 16, (hv_color){1, 1, 1, 1});
    unsigned char dummy[4];
    hv_error err = {""};
    CHECK(!hv_renderer_render_rgba(g_ren, &dl, dummy, &err));
    CHECK(strstr(err.msg, "framebuffer limit") != NULL);
    hv_drawlist_free(&dl);
}

/* Heatmaps on a known grid: every cell's centre has its score's colour on
 * the diverging map centred at 0 (-max blue end, 0 the middle, +max red
 * end), cells without a score the theme's no-score grey; exactly the top-k
 * cells are outlined; KV groups are separated; the diff panel shows B - A. */
static void test_heatmap(void)
{
    enum { L = 6, H = 4 };
    double a[L * H], b[L * H];
    for (int i = 0; i < L * H; i++) {
        a[i] = (i % 7) - 3.0;   /* -3 .. 3 */
        b[i] = (i % 5) * 0.5;   /* 0 .. 2 */
    }
    a[5] = NAN;                 /* layer 1, head 1: no score */
    a[22] = 6;                  /* the strongest of A: layer 5, head 2 */
    hv_dataset all, ds;
    hv_spec spec;
    hv_error err;
    memset(&all, 0, sizeof all);
    CHECK(hv_dataset_add_grid(&all, "m", "A", L, H, a, "a.npy", &err));
    CHECK(hv_dataset_add_grid(&all, "m", "B", L, H, b, "b.npy", &err));
    CHECK(hv_dataset_top_k(&all, 3, false, &ds, &err));
    hv_spec_init(&spec);
    CHECK(hv_spec_parse(&spec, "[figure]\ncolormap = RdBu_r\nkv_heads = 2\n", "h.ini", &err));
    hv_dataset ds_keep = g_ds;
    hv_figure fig_keep = g_fig;
    g_ds = ds;
    CHECK(hv_figure_prepare(&g_fig, &g_ds, &spec, &err));
    g_fig.all = &all;
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_HEATMAP, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    frame f = {0};
    render(&f, 960, 540, &anim, 1.0, HV_THEME_LIGHT, false);
    CHECK_INT(f.n_panels, 2);
    const hv_colormap *cm = hv_colormap_find("RdBu_r");
    CHECK_INT(f.dl.colormap_index, hv_colormap_index(cm));
    const hv_panel_state *ps = &f.panels[0];
    const hv_panel_layout *pl = &f.layout.panels[0];
    /* A's range: symmetric around 0, +-6 */
    CHECK_NEAR(ps->lo, -6, 1e-9);
    CHECK_NEAR(ps->hi, 6, 1e-9);
    int checked = 0;
    for (int l = 0; l < L; l++)
        for (int h = 0; h < H; h++) {
            double v = a[l * H + h];
            float want[3];
            if (v == v) {
                hv_colormap_sample(cm, (v + 6) / 12, want);
            } else {
                const hv_color *ns = &hv_theme_get(HV_THEME_LIGHT)->no_score;
                want[0] = ns->r, want[1] = ns->g, want[2] = ns->b;
            }
            int got[3];
            px_at(&f, (float)hv_scale_map(&pl->sx, l), (float)hv_scale_map(&pl->sy, h), got);
            check_context("heatmap cell layer %d head %d (%g)", l, h, v);
            CHECK(color_dist(got, want) <= 2);
            checked++;
        }
    check_context("%s", "");
    CHECK_INT(checked, L * H);
    /* the ends and the middle of the diverging map: -3 .. 3 of +-6 */
    float mid[3];
    hv_colormap_sample(cm, 0.5, mid);
    int got[3];
    px_at(&f, (float)hv_scale_map(&pl->sx, 0), (float)hv_scale_map(&pl->sy, 3), got); /* a[3] = 0 */
    CHECK(color_dist(got, mid) <= 2);
    float top[3];
    hv_colormap_sample(cm, 1.0, top);
    px_at(&f, (float)hv_scale_map(&pl->sx, 5), (float)hv_scale_map(&pl->sy, 2), got); /* +max */
    CHECK(color_dist(got, top) <= 2);
    /* outlines: exactly A's top 3 (6 at 5,2; then 3s at the lowest layers) */
    int outlined = 0;
    for (int i = 0; i < ps->n_points; i++)
        if (ps->points[i].flags & HV_POINT_OUTLINE) {
            outlined++;
            int l = (int)ps->points[i].layer, h = (int)ps->points[i].head;
            int rank, of;
            rank = hv_dataset_rank(&all, 0, 0, l, h, false, &of, NULL);
            CHECK(rank >= 1 && rank <= 3);
            /* the ring is drawn in the text colour outside the cell (a
             * halo of the ground between): the cell keeps its colour to its
             * edge */
            float ex = (float)hv_scale_map(&pl->sx, l - 0.5), ey = (float)hv_scale_map(&pl->sy, h);
            int darkest = 255 * 3;
            for (int dx = 1; dx <= 4; dx++) {
                px_at(&f, ex - (float)dx, ey, got);
                darkest = got[0] + got[1] + got[2] < darkest ? got[0] + got[1] + got[2] : darkest;
            }
            CHECK(darkest < 3 * 90);
            float own[3];
            hv_colormap_sample(cm, (a[l * H + h] + 6) / 12, own);
            px_at(&f, ex + 1.0f, ey, got);
            check_context("top cell layer %d head %d keeps its colour at its edge", l, h);
            CHECK(color_dist(got, own) <= 2);
            check_context("%s", "");
        }
    CHECK_INT(outlined, 3);
    /* a cell not in the top 3 has no frame: its edge keeps its colour */
    float c0[3];
    hv_colormap_sample(cm, (a[0] + 6) / 12, c0);
    px_at(&f, (float)hv_scale_map(&pl->sx, -0.5) + 1.0f, (float)hv_scale_map(&pl->sy, 0), got);
    CHECK(color_dist(got, c0) <= 2);
    /* KV groups of 2 heads: a separator between heads 1 and 2 */
    const hv_color *sep = &hv_theme_get(HV_THEME_LIGHT)->separator;
    float sep_y = (float)hv_scale_map(&pl->sy, 1.5);
    int seps = 0;
    for (int i = 0; i < f.dl.n_rects; i++) {
        const hv_rect_item *r = &f.dl.rects[i];
        if (r->c.r == sep->r && r->c.g == sep->g && r->c.b == sep->b && r->r.w > pl->plot.w * 0.9f &&
            fabsf(r->r.y + r->r.h * 0.5f - sep_y) <= 1.0f)
            seps++;
    }
    CHECK_INT(seps, 2); /* one in each panel */
    frame_free(&f);
    memset(&f, 0, sizeof f);
    /* the diff view: B - A on a diverging map, +-max |B - A| */
    ao.layout = HV_LAYOUT_DIFF;
    CHECK(hv_anim_set_opts(&anim, &ao, &err));
    render(&f, 960, 540, &anim, 0, HV_THEME_LIGHT, false);
    CHECK_INT(f.n_panels, 1);
    ps = &f.panels[0];
    pl = &f.layout.panels[0];
    double dmax = 0;
    for (int i = 0; i < L * H; i++)
        if (a[i] == a[i])
            dmax = fmax(dmax, fabs(b[i] - a[i]));
    CHECK_NEAR(ps->hi, dmax, 1e-9);
    CHECK_NEAR(ps->lo, -dmax, 1e-9);
    for (int l = 0; l < L; l++)
        for (int h = 0; h < H; h++) {
            double d = b[l * H + h] - a[l * H + h];
            if (d != d)
                continue;
            float want[3];
            hv_colormap_sample(cm, (d + dmax) / (2 * dmax), want);
            px_at(&f, (float)hv_scale_map(&pl->sx, l), (float)hv_scale_map(&pl->sy, h), got);
            check_context("diff cell layer %d head %d (%g)", l, h, d);
            CHECK(color_dist(got, want) <= 2);
        }
    check_context("%s", "");
    frame_free(&f);
    hv_anim_free(&anim);
    hv_figure_free(&g_fig);
    hv_dataset_free(&ds);
    hv_dataset_free(&all);
    hv_spec_free(&spec);
    g_ds = ds_keep;
    g_fig = fig_keep;
}

int main(int argc, char **argv)
{
    const char *golden_dir = argc > 1 ? argv[1] : "golden";
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        printf("SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    hv_error err = {""};
    g_text = hv_text_create(NULL, &err);
    if (!g_text) {
        printf("%s\n", err.msg);
        return 1;
    }
    hv_renderer_desc rd = {0};
    g_ren = hv_renderer_create(&rd, g_text, &err);
    if (!g_ren) {
        printf("%s\n", err.msg);
        return 1;
    }
    printf("renderer: %s\n", hv_renderer_info(g_ren));
    hv_spec_init(&g_spec);
    if (!hv_dataset_parse(&g_ds, hv_asset_csv, hv_asset_csv_len, "bundled.csv", &err) ||
        !hv_spec_parse(&g_spec, hv_asset_ini, "bundled.ini", &err) || !hv_figure_prepare(&g_fig, &g_ds, &g_spec, &err)) {
        printf("%s\n", err.msg);
        return 1;
    }
    test_png_orientation();
    test_seed_markers_and_colorbars();
    test_resolution_independence();
    test_dark_theme();
    test_layouts_progress();
    test_mid_transition_point();
    test_transparent();
    test_heatmap();
    test_marker_on_the_edge();
    test_markers_always_visible();
    test_size_limit();
    test_all_shapes();
    test_golden(golden_dir);
    hv_renderer_destroy(g_ren);
    hv_text_destroy(g_text);
    hv_figure_free(&g_fig);
    hv_dataset_free(&g_ds);
    SDL_Quit();
    return check_summary();
}
