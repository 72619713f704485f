/* Unit tests of figure.c: the bundled data and spec, laid out at several
 * output sizes with a fake fixed-width font, checked through the draw list
 * (what a backend would draw) and the returned layout.
 *
 * Fake font: width = 0.6 * size * strlen, ascent 0.8 * size, descent
 * 0.2 * size, so every text's box is known and the layout is exact. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assets.h"
#include "check.h"
#include "figure.h"

static int g_measure_calls;

static void fake_measure(void *user, const char *s, float size, hv_text_metrics *m)
{
    float k = user ? *(const float *)user : 0.6f;
    g_measure_calls++;
    m->width = k * size * (float)strlen(s);
    m->ascent = 0.8f * size;
    m->descent = 0.2f * size;
}

typedef struct box {
    float x0, y0, x1, y1;
} box;

/* The box a text covers with the fake font: anchors within the unrotated box,
 * rotate 90 = counter-clockwise (the text's top faces left). */
static box text_box(const hv_drawlist *dl, const hv_text_item *t)
{
    float w = 0.6f * t->size * (float)strlen(hv_dl_string(dl, t));
    float h = t->size;
    float u0 = t->ax == HV_ANCHOR_START ? 0 : t->ax == HV_ANCHOR_CENTER ? -w / 2 : -w;
    float v0 = t->ay == HV_ANCHOR_START ? 0 : t->ay == HV_ANCHOR_CENTER ? -h / 2 : -h;
    if (t->rotate == 90)
        return (box){t->x + v0, t->y - (u0 + w), t->x + v0 + h, t->y - u0};
    return (box){t->x + u0, t->y + v0, t->x + u0 + w, t->y + v0 + h};
}

typedef struct fixture {
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_panel_state panels[HV_MAX_CONDITIONS];
    hv_scene_point points[64];
    int n_panels;
} fixture;

static bool fixture_init(fixture *f)
{
    hv_error err;
    memset(f, 0, sizeof *f);
    if (!CHECK(hv_dataset_parse(&f->ds, hv_asset_csv, hv_asset_csv_len, "safety_heads.csv", &err)))
        return false;
    hv_spec_init(&f->spec);
    if (!CHECK(hv_spec_parse(&f->spec, hv_asset_ini, "safety_heads.ini", &err)))
        return false;
    if (!CHECK(hv_figure_prepare(&f->fig, &f->ds, &f->spec, &err)))
        return false;
    if (!CHECK_INT(f->ds.n_points, 31))
        return false;
    f->n_panels = hv_figure_side_panels(&f->fig, f->panels, f->points);
    return CHECK_INT(f->n_panels, 2);
}

static void build(const fixture *f, int w, int h, hv_drawlist *dl, hv_figure_layout *lay)
{
    hv_figure_opts o;
    memset(&o, 0, sizeof o);
    o.width = w;
    o.height = h;
    o.measure = fake_measure;
    hv_figure_build(&f->fig, &o, f->panels, f->n_panels, dl, lay);
}

static bool in_rect(hv_rect r, float x, float y)
{
    return x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h;
}

static bool rect_in_rect(hv_rect in, hv_rect out)
{
    return in.x >= out.x && in.y >= out.y && in.x + in.w <= out.x + out.w && in.y + in.h <= out.y + out.h;
}

static bool same_rect(hv_rect a, hv_rect b)
{
    return a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h;
}

static void test_prepare(void)
{
    fixture f;
    if (!fixture_init(&f))
        return;
    const hv_figure *fig = &f.fig;
    CHECK(fig->cmap == hv_colormap_find("viridis"));
    CHECK_INT(fig->cmap_index, 0);
    CHECK_NEAR(fig->xlo, -1, 0);
    CHECK_NEAR(fig->xhi, 31, 0);
    CHECK_NEAR(fig->ylo, -1, 0);
    CHECK_NEAR(fig->yhi, 31, 0);
    CHECK_INT(fig->xticks.n, 16);
    CHECK_INT(fig->yticks.n, 16);
    for (int i = 0; i < 16 && i < fig->xticks.n && i < fig->yticks.n; i++) {
        char want[8];
        snprintf(want, sizeof want, "%d", 2 * i);
        CHECK_STR(fig->xticks.label[i], want);
        CHECK_STR(fig->yticks.label[i], want);
        CHECK_NEAR(fig->xticks.v[i], 2 * i, 0);
    }
    CHECK_STR(fig->conds[0].title, "Top 10 Safety Heads on Undiff Attn.");
    CHECK_STR(fig->conds[1].title, "Top 10 Safety Heads on Scaling Cont.");
    CHECK_NEAR(fig->conds[0].lo, 0, 0);
    CHECK_NEAR(fig->conds[0].hi, 70, 0);
    CHECK_NEAR(fig->conds[1].hi, 22, 0);
    CHECK_INT(fig->conds[0].ticks.n, 8);
    CHECK_INT(fig->conds[1].ticks.n, 5);
    if (fig->conds[1].ticks.n == 5)
        CHECK_STR(fig->conds[1].ticks.label[4], "20");
    CHECK_INT(fig->models[0].shape, HV_SHAPE_CIRCLE);
    CHECK_INT(fig->models[1].shape, HV_SHAPE_X);
    CHECK_STR(fig->models[0].label, "Llama-2-7b-chat");
    CHECK_STR(fig->models[1].label, "Vicuna-7b-v1.5");

    /* side panels: one per condition, points of that condition only */
    CHECK_INT(f.panels[0].n_points, 17);
    CHECK_INT(f.panels[1].n_points, 14);
    CHECK_NEAR(f.panels[0].hi, 70, 0);
    CHECK_NEAR(f.panels[1].hi, 22, 0);
    CHECK_STR(f.panels[0].title[0], "Top 10 Safety Heads on Undiff Attn.");
    CHECK(f.panels[0].ticks[0] == &fig->conds[0].ticks);

    /* hv_figure_value: position in the range, clamped */
    CHECK_NEAR(hv_figure_value(35, 0, 70), 0.5, 1e-7);
    CHECK_NEAR(hv_figure_value(5, 0, 70), 5 / 70.0, 1e-7);
    CHECK_NEAR(hv_figure_value(-5, 0, 70), 0, 0);
    CHECK_NEAR(hv_figure_value(80, 0, 70), 1, 0);
    CHECK_NEAR(hv_figure_value(3, 2, 2), 0, 0);

    /* defaults without a spec: limits from the data, {k} from the counts */
    hv_spec spec;
    hv_spec_init(&spec);
    hv_figure fig2;
    hv_error err;
    CHECK(hv_figure_prepare(&fig2, &f.ds, &spec, &err));
    CHECK_NEAR(fig2.xlo, -1, 0);
    CHECK_NEAR(fig2.xhi, 29, 0); /* max layer 28 + 1 */
    CHECK_NEAR(fig2.yhi, 30, 0); /* max head 29 + 1 */
    CHECK_NEAR(fig2.conds[0].hi, 60, 0);
    CHECK_NEAR(fig2.conds[1].hi, 20, 0);
    CHECK_STR(fig2.conds[0].title, "Top 9 Heads on Undiff Attn."); /* 9 Llama rows */
    CHECK_STR(fig2.conds[1].title, "Top 10 Heads on Scaling Cont.");
    CHECK(fig2.xticks.n > 0 && fig2.xticks.v[0] >= fig2.xlo && fig2.xticks.v[fig2.xticks.n - 1] <= fig2.xhi);
    CHECK(fig2.conds[0].ticks.n >= 3);

    snprintf(spec.colormap, sizeof spec.colormap, "jet");
    CHECK(!hv_figure_prepare(&fig2, &f.ds, &spec, &err));
    CHECK_STR(err.msg, "unknown colormap \"jet\" (known: viridis, plasma, magma, inferno, cividis, RdBu_r, coolwarm, bwr)");
    snprintf(spec.colormap, sizeof spec.colormap, "magma");
    CHECK(hv_figure_prepare(&fig2, &f.ds, &spec, &err));
    CHECK_INT(fig2.cmap_index, 2);

    hv_dataset_free(&f.ds);
}

/* Texts of a panel, found by where they are and how they are anchored. */
typedef struct found {
    const hv_text_item *t[64];
    int n;
} found;

static int cmp_y_desc(const void *a, const void *b)
{
    float ya = (*(const hv_text_item *const *)a)->y, yb = (*(const hv_text_item *const *)b)->y;
    return ya < yb ? 1 : ya > yb ? -1 : 0;
}

static int cmp_x_asc(const void *a, const void *b)
{
    float xa = (*(const hv_text_item *const *)a)->x, xb = (*(const hv_text_item *const *)b)->x;
    return xa < xb ? -1 : xa > xb ? 1 : 0;
}

static void add_found(found *fd, const hv_text_item *t)
{
    if (fd->n < 64)
        fd->t[fd->n++] = t;
}

/* Builds the bundled figure at w x h and checks everything that must hold at
 * any size. */
static void check_size(const fixture *f, int w, int h, hv_figure_layout *out)
{
    check_context("%dx%d", w, h);
    hv_drawlist dl;
    memset(&dl, 0, sizeof dl);
    hv_figure_layout lay;
    memset(&lay, 0xff, sizeof lay);
    g_measure_calls = 0;
    build(f, w, h, &dl, &lay);
    *out = lay;
    CHECK(g_measure_calls > 0); /* text goes through the callback */
    CHECK(!dl.oom);
    CHECK_INT(dl.width, w);
    CHECK_INT(dl.height, h);
    CHECK_INT(dl.colormap_index, 0);
    CHECK_INT(lay.n_panels, 2);
    if (lay.n_panels != 2) {
        hv_drawlist_free(&dl);
        return;
    }
    const float W = (float)w, H = (float)h;
    static const double k_lo[2] = {0, 0}, k_hi[2] = {70, 22};

    /* panels: inside the image, side by side, colorbar right of its plot,
     * legend in the plot's top-right corner */
    for (int p = 0; p < 2; p++) {
        const hv_panel_layout *pl = &lay.panels[p];
        hv_rect img = {0, 0, W, H};
        CHECK(pl->plot.w > W / 5 && pl->plot.h > H / 2);
        CHECK(rect_in_rect(pl->plot, img));
        CHECK(rect_in_rect(pl->colorbar, img));
        CHECK(pl->colorbar.x >= pl->plot.x + pl->plot.w + 4 * lay.scale);
        CHECK(pl->colorbar.w > 0 && pl->colorbar.w < pl->plot.w / 5);
        CHECK_NEAR(pl->colorbar.y, pl->plot.y, 0.5);
        CHECK_NEAR(pl->colorbar.h, pl->plot.h, 0.5);
        CHECK(pl->legend.w > 0 && pl->legend.h > 0);
        CHECK(rect_in_rect(pl->legend, pl->plot));
        CHECK(pl->legend.x + pl->legend.w / 2 > pl->plot.x + pl->plot.w / 2);
        CHECK(pl->legend.y + pl->legend.h / 2 < pl->plot.y + pl->plot.h / 2);
        CHECK(pl->plot.x + pl->plot.w - (pl->legend.x + pl->legend.w) < 20 * lay.scale);
        CHECK(pl->legend.y - pl->plot.y < 20 * lay.scale);
        /* the data <-> pixel maps span the plot: -1 and 31 on its edges */
        CHECK_NEAR(hv_scale_map(&pl->sx, -1), pl->plot.x, 0.01);
        CHECK_NEAR(hv_scale_map(&pl->sx, 31), pl->plot.x + pl->plot.w, 0.01);
        CHECK_NEAR(hv_scale_map(&pl->sy, -1), pl->plot.y + pl->plot.h, 0.01);
        CHECK_NEAR(hv_scale_map(&pl->sy, 31), pl->plot.y, 0.01);
    }
    const hv_panel_layout *L = &lay.panels[0], *R = &lay.panels[1];
    CHECK(L->plot.x + L->plot.w < R->plot.x);
    CHECK(L->colorbar.x + L->colorbar.w < R->plot.x);
    CHECK_NEAR(L->plot.w, R->plot.w, 1.01); /* equal columns */
    CHECK_NEAR(L->plot.y, R->plot.y, 0);
    CHECK_NEAR(L->plot.h, R->plot.h, 0);

    /* markers: 31 data markers, clipped to their plot, + 2 legend markers a panel */
    CHECK_INT(dl.n_markers, 31 + 2 * 2);
    int data_markers[2] = {0, 0}, legend_markers[2] = {0, 0};
    bool used[64];
    memset(used, 0, sizeof used);
    for (int ci = 0; ci < dl.n_cmds; ci++) {
        const hv_cmd *cmd = &dl.cmds[ci];
        if (cmd->type != HV_CMD_MARKERS)
            continue;
        for (int k = cmd->first; k < cmd->first + cmd->count; k++) {
            const hv_marker *m = &dl.markers[k];
            check_context("%dx%d marker %d at (%.1f, %.1f)", w, h, k, (double)m->x, (double)m->y);
            int p = -1;
            for (int q = 0; q < 2; q++)
                if (in_rect(lay.panels[q].plot, m->x, m->y))
                    p = q;
            if (!CHECK(p >= 0)) /* every marker centre lies in a plot */
                continue;
            CHECK_NEAR(m->alpha, 1, 0);
            CHECK_NEAR(m->size, lay.marker_size, 1e-4);
            if (!cmd->clipped) { /* a legend entry */
                CHECK(in_rect(lay.panels[p].legend, m->x, m->y));
                CHECK_INT(m->shape, legend_markers[p] == 0 ? HV_SHAPE_CIRCLE : HV_SHAPE_X);
                CHECK(m->value >= 0 && m->value <= 1);
                legend_markers[p]++;
                continue;
            }
            CHECK(same_rect(cmd->clip, lay.panels[p].plot)); /* clipped to its own plot */
            data_markers[p]++;
            /* back to data units: on integer layer/head */
            double lx = hv_scale_unmap(&lay.panels[p].sx, m->x), hy = hv_scale_unmap(&lay.panels[p].sy, m->y);
            int layer = (int)lround(lx), head = (int)lround(hy);
            CHECK_NEAR(lx, layer, 0.01);
            CHECK_NEAR(hy, head, 0.01);
            int match = -1;
            for (int i = 0; i < f->ds.n_points; i++) {
                const hv_point *pt = &f->ds.points[i];
                if (pt->condition == p && pt->layer == layer && pt->head == head &&
                    (float)(pt->model == 0 ? HV_SHAPE_CIRCLE : HV_SHAPE_X) == m->shape && !used[i])
                    match = i;
            }
            if (!CHECK(match >= 0))
                continue;
            used[match] = true;
            double want = (f->ds.points[match].score - k_lo[p]) / (k_hi[p] - k_lo[p]);
            CHECK_NEAR(m->value, want, 1e-6);
        }
    }
    check_context("%dx%d", w, h);
    CHECK_INT(data_markers[0], 17);
    CHECK_INT(data_markers[1], 14);
    CHECK_INT(legend_markers[0], 2);
    CHECK_INT(legend_markers[1], 2);
    int n_used = 0;
    for (int i = 0; i < 64; i++)
        n_used += used[i];
    CHECK_INT(n_used, 31);

    /* colorbars: one per panel, the whole colormap over the colorbar rect */
    CHECK_INT(dl.n_colorbars, 2);
    for (int p = 0; p < 2 && p < dl.n_colorbars; p++) {
        CHECK(same_rect(dl.colorbars[p].r, lay.panels[p].colorbar));
        CHECK_NEAR(dl.colorbars[p].t0, 0, 0);
        CHECK_NEAR(dl.colorbars[p].t1, 1, 0);
    }

    /* texts: every one inside the image */
    int outside = 0;
    for (int i = 0; i < dl.n_texts; i++) {
        box b = text_box(&dl, &dl.texts[i]);
        if (b.x0 < -0.5f || b.y0 < -0.5f || b.x1 > W + 0.5f || b.y1 > H + 0.5f) {
            outside++;
            printf("  text \"%s\" outside the image: %.1f %.1f %.1f %.1f\n", hv_dl_string(&dl, &dl.texts[i]),
                   (double)b.x0, (double)b.y0, (double)b.x1, (double)b.y1);
        }
    }
    CHECK_INT(outside, 0);

    static const char *const titles[2] = {"Top 10 Safety Heads on Undiff Attn.",
                                          "Top 10 Safety Heads on Scaling Cont."};
    float cbar_label_right[2] = {0, 0};
    /* the two columns meet half way between the left colorbar and the right plot */
    const float mid = (L->colorbar.x + L->colorbar.w + R->plot.x) / 2;
    for (int p = 0; p < 2; p++) {
        const hv_panel_layout *pl = &lay.panels[p];
        const hv_rect cb = pl->colorbar;
        const float col_lo = p == 0 ? 0 : mid, col_hi = p == 0 ? mid : W;
        check_context("%dx%d panel %d", w, h, p);
        found title = {0}, cbt = {0}, xt = {0}, yt = {0}, xlabel = {0}, ylabel = {0}, cblabel = {0};
        for (int i = 0; i < dl.n_texts; i++) {
            const hv_text_item *t = &dl.texts[i];
            const char *s = hv_dl_string(&dl, t);
            box b = text_box(&dl, t);
            float cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
            bool in_column = cx >= col_lo && cx < col_hi;
            if (strcmp(s, titles[p]) == 0)
                add_found(&title, t);
            else if (t->rotate == 0 && t->ax == HV_ANCHOR_START && t->ay == HV_ANCHOR_CENTER &&
                     b.x0 >= cb.x + cb.w && b.x0 < cb.x + cb.w + 30 * lay.scale && cy >= cb.y - 1 &&
                     cy <= cb.y + cb.h + 1)
                add_found(&cbt, t);
            else if (t->rotate == 0 && t->ax == HV_ANCHOR_CENTER && t->ay == HV_ANCHOR_START &&
                     b.y0 >= pl->plot.y + pl->plot.h && cx >= pl->plot.x - 1 && cx <= pl->plot.x + pl->plot.w + 1)
                add_found(&xt, t);
            else if (t->rotate == 0 && t->ax == HV_ANCHOR_END && b.x1 <= pl->plot.x &&
                     b.x1 > pl->plot.x - 30 * lay.scale && cy >= pl->plot.y - 1 && cy <= pl->plot.y + pl->plot.h + 1)
                add_found(&yt, t);
            else if (strcmp(s, "Layer") == 0 && in_column && t->rotate == 0)
                add_found(&xlabel, t);
            else if (strcmp(s, "Head") == 0 && in_column && t->rotate == 90)
                add_found(&ylabel, t);
            else if (strcmp(s, "Generalized Ships") == 0 && in_column && t->rotate == 90)
                add_found(&cblabel, t);
        }

        /* title: once, centred over the plot, above it */
        if (CHECK_INT(title.n, 1)) {
            box b = text_box(&dl, title.t[0]);
            CHECK_NEAR((b.x0 + b.x1) / 2, pl->plot.x + pl->plot.w / 2, 1.01);
            CHECK(b.y1 <= pl->plot.y);
            CHECK_NEAR(title.t[0]->size, 22 * lay.scale, 0.01);
        }

        /* colorbar ticks, bottom to top: 0..70 by 10 (left), 0..20 by 5 (right) */
        qsort(cbt.t, (size_t)cbt.n, sizeof cbt.t[0], cmp_y_desc);
        int n_cb = p == 0 ? 8 : 5;
        double step = p == 0 ? 10 : 5;
        hv_scale sv = {k_lo[p], k_hi[p], cb.y + cb.h, cb.y};
        float cbt_right = 0;
        if (CHECK_INT(cbt.n, n_cb)) {
            for (int i = 0; i < n_cb; i++) {
                char want[8];
                snprintf(want, sizeof want, "%d", (int)(i * step));
                CHECK_STR(hv_dl_string(&dl, cbt.t[i]), want);
                CHECK_NEAR(cbt.t[i]->y, hv_scale_map(&sv, i * step), 1.01);
                cbt_right = fmaxf(cbt_right, text_box(&dl, cbt.t[i]).x1);
            }
        }

        /* axis ticks 0..30 by 2 on both axes, at their data positions */
        qsort(xt.t, (size_t)xt.n, sizeof xt.t[0], cmp_x_asc);
        qsort(yt.t, (size_t)yt.n, sizeof yt.t[0], cmp_y_desc);
        float xt_bottom = 0, yt_left = W;
        if (CHECK_INT(xt.n, 16)) {
            for (int i = 0; i < 16; i++) {
                char want[8];
                snprintf(want, sizeof want, "%d", 2 * i);
                CHECK_STR(hv_dl_string(&dl, xt.t[i]), want);
                CHECK_NEAR(xt.t[i]->x, hv_scale_map(&pl->sx, 2 * i), 1.01);
                xt_bottom = fmaxf(xt_bottom, text_box(&dl, xt.t[i]).y1);
            }
        }
        if (CHECK_INT(yt.n, 16)) {
            for (int i = 0; i < 16; i++) {
                char want[8];
                snprintf(want, sizeof want, "%d", 2 * i);
                CHECK_STR(hv_dl_string(&dl, yt.t[i]), want);
                CHECK_NEAR(yt.t[i]->y, hv_scale_map(&pl->sy, 2 * i), 1.01);
                yt_left = fminf(yt_left, text_box(&dl, yt.t[i]).x0);
            }
        }

        /* axis labels: below the x tick labels, left of the y tick labels,
         * and the colorbar label right of the colorbar's tick labels */
        if (CHECK_INT(xlabel.n, 1)) {
            box b = text_box(&dl, xlabel.t[0]);
            CHECK(b.y0 >= xt_bottom);
            CHECK_NEAR((b.x0 + b.x1) / 2, pl->plot.x + pl->plot.w / 2, 1.01);
        }
        if (CHECK_INT(ylabel.n, 1)) {
            box b = text_box(&dl, ylabel.t[0]);
            CHECK(b.x1 <= yt_left);
            CHECK_NEAR((b.y0 + b.y1) / 2, pl->plot.y + pl->plot.h / 2, 1.01);
        }
        if (CHECK_INT(cblabel.n, 1)) {
            box b = text_box(&dl, cblabel.t[0]);
            CHECK(b.x0 >= cbt_right);
            cbar_label_right[p] = b.x1;
        }
        if (p == 1 && ylabel.n == 1)
            CHECK(cbar_label_right[0] <= text_box(&dl, ylabel.t[0]).x0);

        /* legend labels inside the legend box */
        int legend_texts = 0;
        for (int i = 0; i < dl.n_texts; i++) {
            const char *s = hv_dl_string(&dl, &dl.texts[i]);
            if (strcmp(s, "Llama-2-7b-chat") != 0 && strcmp(s, "Vicuna-7b-v1.5") != 0)
                continue;
            box b = text_box(&dl, &dl.texts[i]);
            hv_rect lg = pl->legend;
            if (b.x0 >= lg.x && b.x1 <= lg.x + lg.w && b.y0 >= lg.y && b.y1 <= lg.y + lg.h)
                legend_texts++;
        }
        CHECK_INT(legend_texts, 2);
    }
    check_context("%s", "");
    hv_drawlist_free(&dl);
}

static void check_scaled(const hv_figure_layout *a, const hv_figure_layout *b, double k, double tol,
                         const char *what)
{
    check_context("%s", what);
    for (int p = 0; p < 2; p++) {
        const hv_rect *ra[3] = {&a->panels[p].plot, &a->panels[p].colorbar, &a->panels[p].legend};
        const hv_rect *rb[3] = {&b->panels[p].plot, &b->panels[p].colorbar, &b->panels[p].legend};
        for (int r = 0; r < 3; r++) {
            CHECK_NEAR(rb[r]->x, k * ra[r]->x, tol);
            CHECK_NEAR(rb[r]->y, k * ra[r]->y, tol);
            CHECK_NEAR(rb[r]->x + rb[r]->w, k * (ra[r]->x + ra[r]->w), tol);
            CHECK_NEAR(rb[r]->y + rb[r]->h, k * (ra[r]->y + ra[r]->h), tol);
        }
    }
    CHECK_NEAR(b->marker_size, k * a->marker_size, 1e-3);
    CHECK_NEAR(b->scale, k * a->scale, 1e-6);
    check_context("%s", "");
}

static void test_layout(void)
{
    fixture f;
    if (!fixture_init(&f))
        return;
    hv_figure_layout l720, l1080, l2160, lsq;
    check_size(&f, 1280, 720, &l720);
    check_size(&f, 1920, 1080, &l1080);
    check_size(&f, 3840, 2160, &l2160);
    check_size(&f, 1080, 1080, &lsq); /* not 16:9 */
    CHECK_NEAR(l1080.scale, 1, 0);
    /* the composition scales with the output */
    check_scaled(&l1080, &l2160, 2.0, 2.0, "1920x1080 -> 3840x2160");
    check_scaled(&l1080, &l720, 2.0 / 3.0, 2.0, "1920x1080 -> 1280x720");

    /* the measure callback decides the margins: a wider font, narrower plots */
    hv_drawlist dl;
    memset(&dl, 0, sizeof dl);
    hv_figure_opts o;
    memset(&o, 0, sizeof o);
    o.width = 1920;
    o.height = 1080;
    o.measure = fake_measure;
    float wide = 1.2f;
    o.measure_user = &wide;
    hv_figure_layout lw;
    hv_figure_build(&f.fig, &o, f.panels, f.n_panels, &dl, &lw);
    CHECK(lw.panels[0].plot.w < l1080.panels[0].plot.w);
    CHECK(lw.panels[0].plot.x > l1080.panels[0].plot.x);
    CHECK(lw.panels[0].legend.w > l1080.panels[0].legend.w);

    /* without a callback there is an estimate; the same draw list shape */
    o.measure = NULL;
    o.measure_user = NULL;
    hv_figure_build(&f.fig, &o, f.panels, f.n_panels, &dl, NULL);
    CHECK_INT(dl.n_markers, 35);
    CHECK_INT(dl.n_colorbars, 2);
    CHECK(!dl.oom);

    /* the draw list is reused across frames: the same frame, the same list */
    build(&f, 1920, 1080, &dl, NULL);
    int counts[5] = {dl.n_rects, dl.n_markers, dl.n_texts, dl.n_cmds, dl.n_strings};
    void *markers = dl.markers;
    build(&f, 1920, 1080, &dl, NULL);
    CHECK(counts[0] == dl.n_rects && counts[1] == dl.n_markers && counts[2] == dl.n_texts &&
          counts[3] == dl.n_cmds && counts[4] == dl.n_strings);
    CHECK(markers == dl.markers);

    /* themes and transparency set the clear colour */
    const hv_theme *light = hv_theme_get(HV_THEME_LIGHT), *dark = hv_theme_get(HV_THEME_DARK);
    CHECK(light != dark);
    CHECK_INT(hv_theme_parse("light"), HV_THEME_LIGHT);
    CHECK_INT(hv_theme_parse("DARK"), HV_THEME_DARK);
    CHECK_INT(hv_theme_parse("sepia"), -1);
    o.measure = fake_measure;
    o.theme = HV_THEME_DARK;
    hv_figure_build(&f.fig, &o, f.panels, f.n_panels, &dl, NULL);
    CHECK(dl.clear.r == dark->bg.r && dl.clear.g == dark->bg.g && dl.clear.b == dark->bg.b && dl.clear.a == 1);
    o.transparent = true;
    hv_figure_build(&f.fig, &o, f.panels, f.n_panels, &dl, NULL);
    CHECK_NEAR(dl.clear.a, 0, 0);
    CHECK_INT(dl.n_markers, 35);

    /* no panels: an empty frame, cleared */
    hv_figure_build(&f.fig, &o, f.panels, 0, &dl, NULL);
    CHECK_INT(dl.n_markers + dl.n_rects + dl.n_texts + dl.n_cmds, 0);

    hv_drawlist_free(&dl);
    hv_dataset_free(&f.ds);
}

/* 16 conditions: a grid of legible panels, none collapsed, all inside the
 * image and apart; index axes get whole-number ticks without a spec; tick
 * labels that would touch are thinned. */
static void test_many_panels(void)
{
    char csv[16384];
    int o = snprintf(csv, sizeof csv, "model,condition,layer,head,score\n");
    for (int c = 0; c < 16; c++)
        for (int k = 0; k < 4; k++)
            o += snprintf(csv + o, sizeof csv - (size_t)o, "m%d,cond %d,%d,%d,%d\n", k % 2, c, (c * 7 + k * 5) % 32,
                          (c * 3 + k * 11) % 32, c + k);
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_error err;
    CHECK(hv_dataset_parse(&ds, csv, (size_t)o, "m.csv", &err));
    hv_spec_init(&spec);
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    /* 0..31 data: limits -1..32, ticks every 2 from 0 (not 2.5) */
    CHECK(fig.xticks.n >= 2);
    CHECK_NEAR(fig.xticks.v[0], 0, 0);
    CHECK_NEAR(fig.xticks.v[1] - fig.xticks.v[0], 2, 0);
    CHECK_STR(fig.xticks.label[1], "2");
    static hv_panel_state panels[HV_MAX_CONDITIONS];
    static hv_scene_point pts[64];
    int n = hv_figure_side_panels(&fig, panels, pts);
    CHECK_INT(n, 16);
    hv_figure_opts fo;
    memset(&fo, 0, sizeof fo);
    fo.width = 1920;
    fo.height = 1080;
    fo.measure = fake_measure;
    hv_drawlist dl = {0};
    static hv_figure_layout lay;
    hv_figure_build(&fig, &fo, panels, n, &dl, &lay);
    CHECK_INT(lay.n_panels, 16);
    int rows_seen = 0;
    float last_y = -1;
    for (int p = 0; p < 16; p++) {
        hv_rect r = lay.panels[p].plot;
        check_context("panel %d", p);
        CHECK(r.w > 100 && r.h > 100); /* not slivers */
        CHECK(r.x >= 0 && r.y >= 0 && r.x + r.w <= 1920 && r.y + r.h <= 1080);
        if (r.y != last_y) {
            rows_seen++;
            last_y = r.y;
        }
        for (int q = 0; q < p; q++) {
            hv_rect u = lay.panels[q].plot;
            CHECK(r.x >= u.x + u.w || u.x >= r.x + r.w || r.y >= u.y + u.h || u.y >= r.y + r.h);
        }
    }
    check_context("%s", "");
    CHECK(rows_seen >= 3);
    /* every marker is drawn (16 x 4 data + 2 legend entries x 16) */
    CHECK_INT(dl.n_markers, 64 + 32);
    /* x tick labels of one panel never overlap each other */
    int xlabels = 0;
    float prev_right = -1e9f;
    hv_rect p0 = lay.panels[0].plot;
    for (int i = 0; i < dl.n_texts; i++) {
        const hv_text_item *t = &dl.texts[i];
        box b = text_box(&dl, t);
        const char *str = hv_dl_string(&dl, t);
        if (t->rotate || strspn(str, "0123456789") != strlen(str) || b.y0 < p0.y + p0.h || b.y0 > p0.y + p0.h + 40 ||
            b.x1 > p0.x + p0.w + 20 || b.x0 < p0.x - 20)
            continue; /* only panel 0's x tick labels */
        CHECK(b.x0 >= prev_right);
        prev_right = b.x1;
        xlabels++;
    }
    CHECK(xlabels >= 4 && xlabels <= fig.xticks.n);
    hv_drawlist_free(&dl);
    hv_dataset_free(&ds);
}

int main(void)
{
    test_prepare();
    test_layout();
    test_many_panels();
    return check_summary();
}
