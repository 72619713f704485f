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
#include "spec_texts.h"
#include "anim.h"
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
    /* a number's ink: digits reach from the cap height (0.8 of the
     * ascent) to the baseline, never into the descent */
    const char *str = hv_dl_string(dl, t);
    bool number = str[0] != '\0';
    for (const char *q = str; *q && number; q++)
        number = (*q >= '0' && *q <= '9') || *q == '.' || *q == '-' || (unsigned char)*q >= 0x80;
    float top = number ? 0.16f * h : 0, bottom = number ? 0.2f * h : 0;
    if (t->rotate == 90)
        return (box){t->x + v0 + top, t->y - (u0 + w), t->x + v0 + h - bottom, t->y - u0};
    return (box){t->x + u0, t->y + v0 + top, t->x + u0 + w, t->y + v0 + h - bottom};
}

typedef struct fixture {
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_panel_state panels[HV_MAX_PANELS];
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
    CHECK_NEAR(fig->axes.xlo, -1, 0);
    CHECK_NEAR(fig->axes.xhi, 31, 0);
    CHECK_NEAR(fig->axes.ylo, -1, 0);
    CHECK_NEAR(fig->axes.yhi, 31, 0);
    CHECK_INT(fig->axes.xticks.n, 16);
    CHECK_INT(fig->axes.yticks.n, 16);
    for (int i = 0; i < 16 && i < fig->axes.xticks.n && i < fig->axes.yticks.n; i++) {
        char want[8];
        snprintf(want, sizeof want, "%d", 2 * i);
        CHECK_STR(fig->axes.xticks.label[i], want);
        CHECK_STR(fig->axes.yticks.label[i], want);
        CHECK_NEAR(fig->axes.xticks.v[i], 2 * i, 0);
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
    CHECK(f.panels[0].ticks == &fig->conds[0].ticks);

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
    CHECK_NEAR(fig2.axes.xlo, -1, 0);
    CHECK_NEAR(fig2.axes.xhi, 29, 0); /* max layer 28 + 1 */
    CHECK_NEAR(fig2.axes.yhi, 30, 0); /* max head 29 + 1 */
    CHECK_NEAR(fig2.conds[0].hi, 60, 0);
    CHECK_NEAR(fig2.conds[1].hi, 20, 0);
    CHECK_STR(fig2.conds[0].title, "Top 9 Heads on Undiff Attn."); /* 9 Llama rows */
    CHECK_STR(fig2.conds[1].title, "Top 10 Heads on Scaling Cont.");
    CHECK(fig2.axes.xticks.n > 0 && fig2.axes.xticks.v[0] >= fig2.axes.xlo && fig2.axes.xticks.v[fig2.axes.xticks.n - 1] <= fig2.axes.xhi);
    CHECK(fig2.conds[0].ticks.n >= 3);
    hv_figure_free(&fig2);

    snprintf(spec.colormap, sizeof spec.colormap, "jet");
    CHECK(!hv_figure_prepare(&fig2, &f.ds, &spec, &err));
    CHECK_STR(err.msg, "unknown colormap \"jet\" (known: viridis, plasma, magma, inferno, cividis, RdBu_r, coolwarm, bwr)");
    snprintf(spec.colormap, sizeof spec.colormap, "magma");
    CHECK(hv_figure_prepare(&fig2, &f.ds, &spec, &err));
    CHECK_INT(fig2.cmap_index, 2);
    hv_figure_free(&fig2);

    hv_figure_free(&f.fig);
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
        CHECK(lay.cols == 2 ? pl->plot.w > W / 5 && pl->plot.h > H / 2 : pl->plot.w > W / 2 && pl->plot.h > H / 5);
        CHECK(rect_in_rect(pl->plot, img));
        CHECK(rect_in_rect(pl->colorbar, img));
        CHECK(pl->colorbar.x >= pl->plot.x + pl->plot.w + 4 * lay.scale);
        CHECK(pl->colorbar.w > 0 && pl->colorbar.w < pl->plot.w / 5);
        CHECK_NEAR(pl->colorbar.y, pl->plot.y, 0.5);
        CHECK_NEAR(pl->colorbar.h, pl->plot.h, 0.5);
        CHECK(pl->legend.w > 0 && pl->legend.h > 0);
        CHECK(rect_in_rect(pl->legend, pl->plot));
        if (lay.cols == 2) { /* the seed's top-right corner (it hides no head there) */
            CHECK(pl->legend.x + pl->legend.w / 2 > pl->plot.x + pl->plot.w / 2);
            CHECK(pl->legend.y + pl->legend.h / 2 < pl->plot.y + pl->plot.h / 2);
            CHECK(pl->plot.x + pl->plot.w - (pl->legend.x + pl->legend.w) < 20 * lay.type_scale);
            CHECK(pl->legend.y - pl->plot.y < 20 * lay.type_scale);
        }
        /* the data <-> pixel maps span the plot: -1 and 31 on its edges */
        CHECK_NEAR(hv_scale_map(&pl->sx, -1), pl->plot.x, 0.01);
        CHECK_NEAR(hv_scale_map(&pl->sx, 31), pl->plot.x + pl->plot.w, 0.01);
        CHECK_NEAR(hv_scale_map(&pl->sy, -1), pl->plot.y + pl->plot.h, 0.01);
        CHECK_NEAR(hv_scale_map(&pl->sy, 31), pl->plot.y, 0.01);
    }
    const hv_panel_layout *L = &lay.panels[0], *R = &lay.panels[1];
    if (lay.cols == 2) { /* side by side, as the seed */
        CHECK(L->plot.x + L->plot.w < R->plot.x);
        CHECK(L->colorbar.x + L->colorbar.w < R->plot.x);
        CHECK_NEAR(L->plot.w, R->plot.w, 1.01); /* equal columns */
        CHECK_NEAR(L->plot.y, R->plot.y, 0);
        CHECK_NEAR(L->plot.h, R->plot.h, 0);
    } else { /* stacked: the first condition on top */
        CHECK_INT(lay.rows, 2);
        CHECK(L->cell.y + L->cell.h < R->cell.y);
        CHECK_NEAR(L->plot.x, R->plot.x, 0);
        CHECK_NEAR(L->plot.w, R->plot.w, 0);
        CHECK_NEAR(L->plot.h, R->plot.h, 1.01);
    }

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
            CHECK_NEAR(m->size, cmd->clipped ? lay.marker_size : m->size, 1e-4);
            if (!cmd->clipped) { /* a legend entry: the spec's colour (purple, yellow) */
                CHECK(m->size >= 0.8f * lay.f_legend - 1e-4f); /* as large as its label's type */
                CHECK(in_rect(lay.panels[p].legend, m->x, m->y));
                CHECK_INT(m->shape, legend_markers[p] == 0 ? HV_SHAPE_CIRCLE : HV_SHAPE_X);
                CHECK(m->value < 0);
                if (legend_markers[p] == 0)
                    CHECK(m->fill.r < 0.4f && m->fill.b > m->fill.g); /* #471365 */
                else
                    CHECK(m->fill.r > 0.8f && m->fill.g > 0.8f && m->fill.b < 0.2f); /* #dfe318 */
                legend_markers[p]++;
                continue;
            }
            /* clipped to its own panel's cell, never to the axes, so a marker
             * on the edge is drawn whole */
            CHECK(same_rect(cmd->clip, lay.panels[p].cell));
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
    for (int p = 0; p < 2; p++) {
        const hv_panel_layout *pl = &lay.panels[p];
        const hv_rect cb = pl->colorbar;
        check_context("%dx%d panel %d", w, h, p);
        found title = {0}, cbt = {0}, xt = {0}, yt = {0}, xlabel = {0}, ylabel = {0}, cblabel = {0};
        for (int i = 0; i < dl.n_texts; i++) {
            const hv_text_item *t = &dl.texts[i];
            const char *s = hv_dl_string(&dl, t);
            box b = text_box(&dl, t);
            float cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
            bool in_column = cx >= pl->cell.x - 1 && cx <= pl->cell.x + pl->cell.w + 1 && cy >= pl->cell.y - 1 &&
                             cy <= pl->cell.y + pl->cell.h + 1;
            if (strcmp(s, titles[p]) == 0)
                add_found(&title, t);
            else if (t->rotate == 0 && t->ax == HV_ANCHOR_START && t->ay == HV_ANCHOR_CENTER &&
                     b.x0 >= cb.x + cb.w && b.x0 < cb.x + cb.w + 30 * lay.scale && cy >= cb.y - 1 &&
                     cy <= cb.y + cb.h + 1)
                add_found(&cbt, t);
            else if (t->rotate == 0 && t->ax == HV_ANCHOR_CENTER && t->ay == HV_ANCHOR_START &&
                     b.y0 >= pl->plot.y + pl->plot.h && cx >= pl->plot.x - 1 && cx <= pl->plot.x + pl->plot.w + 1 &&
                     cy <= pl->cell.y + pl->cell.h)
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
            CHECK_NEAR(title.t[0]->size, 22 * lay.type_scale, 0.01);
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
        if (p == 1 && ylabel.n == 1 && lay.cols == 2)
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
    CHECK_NEAR(b->marker_size, k * a->marker_size, 0.05);
    CHECK_NEAR(b->scale, k * a->scale, 1e-6);
    CHECK_NEAR(b->type_scale, k * a->type_scale, 1e-6);
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
    check_size(&f, 1080, 1080, &lsq); /* not 16:9: the panels stack, larger so */
    CHECK_INT(lsq.cols, 1);
    CHECK_INT(lsq.rows, 2);
    CHECK_INT(l1080.cols, 2);
    CHECK_NEAR(l1080.scale, 1, 0);
    /* above 1920x1080 the composition scales with the output: a 4K still
     * is the 1080p still, sharper */
    check_scaled(&l1080, &l2160, 2.0, 2.0, "1920x1080 -> 3840x2160");
    /* below it the type keeps its size (a projector's 1280x720 carries
     * 15 px tick labels, as large as matplotlib's 10 pt at 100 dpi, 13.9
     * px); the plots get less room instead */
    CHECK_NEAR(l720.type_scale, 1, 0);
    CHECK(l720.f_tick >= 13.9f);
    CHECK_NEAR(l720.f_tick, l1080.f_tick, 0);
    CHECK(l720.panels[0].plot.w < l1080.panels[0].plot.w * 2 / 3);

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
    /* (wider labels take room from the plots, or the type shrinks so the
     * titles still fit) */
    CHECK(lw.panels[0].plot.w < l1080.panels[0].plot.w || lw.f_title < l1080.f_title);
    CHECK(lw.panels[0].legend.w * l1080.f_legend > l1080.panels[0].legend.w * lw.f_legend);

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
    hv_figure_free(&f.fig);
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
    CHECK(fig.axes.xticks.n >= 2);
    CHECK_NEAR(fig.axes.xticks.v[0], 0, 0);
    CHECK_NEAR(fig.axes.xticks.v[1] - fig.axes.xticks.v[0], 2, 0);
    CHECK_STR(fig.axes.xticks.label[1], "2");
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
    CHECK(xlabels >= 4 && xlabels <= fig.axes.xticks.n);
    hv_drawlist_free(&dl);
    hv_dataset_free(&ds);
    hv_figure_free(&fig);
}

/* A dataset: n_models models, n_conds conditions, k heads each at
 * deterministic pseudo-random places on a layers x heads grid. */
static int gen_csv(char *out, size_t size, int n_models, int n_conds, int k, int layers, int heads, unsigned seed)
{
    int o = snprintf(out, size, "model,condition,layer,head,score\n");
    unsigned x = seed * 2654435761u + 12345u;
    for (int c = 0; c < n_conds; c++)
        for (int m = 0; m < n_models; m++)
            for (int i = 0; i < k; i++) {
                x = x * 1103515245u + 12345u;
                int L = (int)((x >> 8) % (unsigned)layers);
                x = x * 1103515245u + 12345u;
                int H = (int)((x >> 8) % (unsigned)heads);
                x = x * 1103515245u + 12345u;
                /* heads of one model/condition distinct: step on collision */
                int score = (int)((x >> 8) % 90) + 1;
                o += snprintf(out + o, size - (size_t)o, "model-%d,cond %d,%d,%d,%d.%d\n", m, c, L, (H + i * 7) % heads,
                              score, i);
            }
    return o;
}

/* Parses a generated dataset, dropping duplicate heads (their first row
 * stays). */
static bool load_gen(hv_dataset *ds, int n_models, int n_conds, int k, int layers, int heads, unsigned seed)
{
    static char csv[1 << 17], dedup[1 << 17];
    int n = gen_csv(csv, sizeof csv, n_models, n_conds, k, layers, heads, seed);
    /* keep the first row of each (model, condition, layer, head) */
    int o = 0;
    const char *line = csv;
    static char seen[1 << 16][64];
    int n_seen = 0;
    while (line < csv + n) {
        const char *nl = strchr(line, '\n');
        int len = (int)(nl - line);
        char key[64];
        int commas = 0, kl = 0;
        for (int i = 0; i < len && kl < 63; i++) {
            if (line[i] == ',' && ++commas == 4)
                break;
            key[kl++] = line[i];
        }
        key[kl] = '\0';
        bool dup = false;
        for (int i = 0; i < n_seen && !dup; i++)
            dup = strcmp(seen[i], key) == 0;
        if (!dup) {
            if (n_seen < (1 << 16))
                snprintf(seen[n_seen++], 64, "%s", key);
            memcpy(dedup + o, line, (size_t)len + 1);
            o += len + 1;
        }
        line = nl + 1;
    }
    hv_error err;
    return CHECK(hv_dataset_parse(ds, dedup, (size_t)o, "gen.csv", &err));
}

static bool boxes_overlap(box a, box b, float tol)
{
    return a.x0 + tol < b.x1 && b.x0 + tol < a.x1 && a.y0 + tol < b.y1 && b.y0 + tol < a.y1;
}

/* Every text of a frame: at least 11 px, inside the image, and no two
 * overlap. Returns the number of problems (printed). */
static int check_texts_floor(const hv_drawlist *dl, const char *what, float floor_px)
{
    int bad = 0;
    for (int i = 0; i < dl->n_texts; i++) {
        const hv_text_item *t = &dl->texts[i];
        box a = text_box(dl, t);
        if (t->size < floor_px && bad++ < 3)
            printf("  %s: \"%s\" is %.1f px\n", what, hv_dl_string(dl, t), (double)t->size);
        for (int j = 0; j < i; j++) {
            box b = text_box(dl, &dl->texts[j]);
            if (boxes_overlap(a, b, 0.5f) && bad++ < 3)
                printf("  %s: \"%s\" overlaps \"%s\"\n", what, hv_dl_string(dl, t), hv_dl_string(dl, &dl->texts[j]));
        }
    }
    return bad;
}

static bool is_number(const char *s)
{
    if (*s == '-' || *s == '\xe2') /* (a minus sign: U+2212) */
        s += *s == '-' ? 1 : 3;
    if (!*s)
        return false;
    for (; *s; s++)
        if (!(*s >= '0' && *s <= '9') && *s != '.')
            return false;
    return true;
}

/* Never fewer than two labelled ticks: beside the plots of the first
 * column (numbers ending left of the plot, within its height) and under
 * the plots with none below them (numbers hanging under the plot, within
 * its width), hidden panels aside. Returns the number of axes short of two. */
static int check_two_tick_labels(const hv_drawlist *dl, const hv_figure_layout *lay, const hv_panel_state *ps, int n,
                                 const char *what)
{
    int bad = 0;
    for (int p = 0; p < n; p++) {
        hv_rect r = lay->panels[p].plot;
        if (ps[p].hidden) /* (a build's later panel: its place kept, nothing drawn) */
            continue;
        bool first_col = r.x <= lay->panels[0].plot.x + 0.5f, below = false;
        for (int q = 0; q < n; q++)
            below |= fabsf(lay->panels[q].plot.x - r.x) < 0.5f && lay->panels[q].plot.y > r.y + r.h;
        int left = 0, under = 0;
        for (int i = 0; i < dl->n_texts; i++) {
            const hv_text_item *t = &dl->texts[i];
            if (t->rotate != 0 || !is_number(hv_dl_string(dl, t)))
                continue;
            left += t->ax == HV_ANCHOR_END && t->x <= r.x && t->y >= r.y - 1 && t->y <= r.y + r.h + 1;
            under += t->ay == HV_ANCHOR_START && t->y >= r.y + r.h && t->y <= r.y + r.h + 3 * t->size &&
                     t->x >= r.x - 1 && t->x <= r.x + r.w + 1;
        }
        if ((first_col && left < 2) || (!below && under < 2)) {
            if (bad++ < 3) {
                printf("  %s: panel %d has %d y and %d x tick labels\n", what, p, left, under);
                printf("    plot %.1f %.1f %.1f %.1f\n", (double)r.x, (double)r.y, (double)r.w, (double)r.h);
                for (int i = 0; i < dl->n_texts; i++) {
                    const hv_text_item *t = &dl->texts[i];
                    if (is_number(hv_dl_string(dl, t)) && t->y > r.y + r.h && t->y < r.y + r.h + 30)
                        printf("    \"%s\" %.1f %.1f\n", hv_dl_string(dl, t), (double)t->x, (double)t->y);
                }
            }
        }
    }
    /* and two tick labels side by side keep a fifth of their size apart
     * (never "3040") */
    for (int i = 0; i < dl->n_texts; i++) {
        const hv_text_item *a = &dl->texts[i];
        if (a->rotate != 0 || a->ax != HV_ANCHOR_CENTER || !is_number(hv_dl_string(dl, a)))
            continue;
        box ba = text_box(dl, a);
        for (int j = 0; j < i; j++) {
            const hv_text_item *b = &dl->texts[j];
            if (b->rotate != 0 || b->ax != HV_ANCHOR_CENTER || b->y != a->y || !is_number(hv_dl_string(dl, b)))
                continue;
            box bb = text_box(dl, b);
            float gap = fmaxf(ba.x0 - bb.x1, bb.x0 - ba.x1);
            if (gap < 0.2f * a->size && bad++ < 3)
                printf("  %s: \"%s\" and \"%s\" are %.1f px apart\n", what, hv_dl_string(dl, b), hv_dl_string(dl, a),
                       (double)gap);
        }
    }
    return bad;
}

static int check_texts(const hv_drawlist *dl, const char *what) { return check_texts_floor(dl, what, 11 - 1e-4f); }

/* Type and overlap at every context, size and layout, at 20 moments of
 * every transition, on the bundled data and five models x three
 * conditions: no text under 11 px, none overlapping another, two labelled
 * ticks at least on every outer axis. */
static void test_text_never_overlaps(void)
{
    static hv_dataset dss[2];
    static hv_spec specs[2];
    static hv_figure figs[2];
    hv_error err;
    CHECK(hv_dataset_parse(&dss[0], hv_asset_csv, hv_asset_csv_len, "b.csv", &err));
    hv_spec_init(&specs[0]);
    CHECK(hv_spec_parse(&specs[0], hv_asset_ini, "b.ini", &err));
    CHECK(load_gen(&dss[1], 5, 3, 10, 80, 64, 7));
    hv_spec_init(&specs[1]);
    for (int d = 0; d < 2; d++)
        CHECK(hv_figure_prepare(&figs[d], &dss[d], &specs[d], &err));
    static const int sizes[][2] = {{640, 360}, {1280, 720}, {1920, 1080}, {7680, 4320}, {600, 1200}};
    static hv_panel_state ps[HV_MAX_PANELS];
    hv_drawlist dl = {0};
    static hv_figure_layout lay;
    int problems = 0, frames = 0;
    for (int d = 0; d < 2; d++)
        for (int layout = 0; layout < HV_LAYOUT_COUNT; layout++) {
            hv_anim a;
            hv_anim_opts ao = {(hv_layout_mode)layout, HV_MATCH_RANK, HV_EASE_BACK, 0};
            if (!CHECK(hv_anim_init(&a, &figs[d], &ao, &err)))
                continue;
            for (int cx = 0; cx < 4; cx++)
                for (unsigned sz = 0; sz < sizeof sizes / sizeof sizes[0]; sz++)
                    for (int c = 0; c < dss[d].n_conditions; c++)
                        for (int j = 0; j < 20; j++) {
                            hv_frame_desc desc;
                            int n = hv_anim_frame(&a, c + j / 20.0, NULL, ps, &desc);
                            hv_figure_opts o;
                            memset(&o, 0, sizeof o);
                            o.width = sizes[sz][0];
                            o.height = sizes[sz][1];
                            o.context = hv_context_scale(cx);
                            o.desc = desc;
                            o.measure = fake_measure;
                            hv_figure_build(&figs[d], &o, ps, n, &dl, &lay);
                            char what[128];
                            snprintf(what, sizeof what, "data %d, %s, %s, %dx%d, progress %.2f", d,
                                     hv_layout_name(layout), hv_context_name(cx), o.width, o.height, c + j / 20.0);
                            check_context("%s", what);
                            problems += check_texts(&dl, what);
                            problems += check_two_tick_labels(&dl, &lay, ps, n, what);
                            frames++;
                            if (cx == HV_CONTEXT_NOTEBOOK && o.width == 1280 && o.height == 720 && layout < HV_LAYOUT_HEATMAP && n <= 4)
                                CHECK(lay.f_tick >= 13.9f); /* matplotlib's 10 pt at 100 dpi */
                        }
            hv_anim_free(&a);
        }
    check_context("%s", "");
    printf("  %d frames checked for text size and overlap\n", frames);
    CHECK_INT(problems, 0);
    hv_drawlist_free(&dl);
    for (int d = 0; d < 2; d++) {
        hv_figure_free(&figs[d]);
        hv_dataset_free(&dss[d]);
    }
}

/* legend = auto: no marker centre under a legend box at any of 20 moments
 * of each transition, on the bundled data and on 1..8 models. */
static void test_legend_never_hides(void)
{
    hv_error err;
    static hv_panel_state ps[HV_MAX_PANELS];
    hv_drawlist dl = {0};
    static hv_figure_layout lay;
    int hidden = 0, inside = 0, outside = 0;
    for (int d = 0; d <= 8; d++) {
        hv_dataset ds;
        hv_spec spec;
        hv_figure fig;
        hv_spec_init(&spec);
        if (d == 0) {
            CHECK(hv_dataset_parse(&ds, hv_asset_csv, hv_asset_csv_len, "b.csv", &err));
            CHECK(hv_spec_parse(&spec, hv_asset_ini, "b.ini", &err));
        } else if (!load_gen(&ds, d, 2 + d % 2, 10, 32, 32, (unsigned)d)) {
            continue;
        }
        CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
        for (int layout = 0; layout < HV_LAYOUT_COUNT; layout++) {
            hv_anim a;
            hv_anim_opts ao = {(hv_layout_mode)layout, HV_MATCH_NEAREST, HV_EASE_ELASTIC, 0.3};
            CHECK(hv_anim_init(&a, &fig, &ao, &err));
            for (int c = 0; c < ds.n_conditions; c++)
                for (int j = 0; j < 20; j++) {
                    hv_frame_desc desc;
                    int n = hv_anim_frame(&a, c + j / 20.0, NULL, ps, &desc);
                    hv_figure_opts o;
                    memset(&o, 0, sizeof o);
                    o.width = 1920;
                    o.height = 1080;
                    o.desc = desc;
                    o.measure = fake_measure;
                    hv_figure_build(&fig, &o, ps, n, &dl, &lay);
                    if (lay.legend_outside)
                        outside++;
                    for (int p = 0; p < lay.n_panels; p++) {
                        hv_rect lg = lay.panels[p].legend;
                        if (lg.w <= 0)
                            continue;
                        inside++;
                        for (int k = 0; k < dl.n_markers; k++) {
                            const hv_marker *m = &dl.markers[k];
                            if (m->value < 0 || m->alpha <= 0.05f)
                                continue; /* the legend's own swatches */
                            if (in_rect(lg, m->x, m->y) && hidden++ < 3)
                                printf("  %d models, %s, progress %.2f: a marker at (%.0f, %.0f) under the legend\n", d,
                                       hv_layout_name(layout), c + j / 20.0, (double)m->x, (double)m->y);
                        }
                    }
                }
            hv_anim_free(&a);
        }
        hv_figure_free(&fig);
        hv_dataset_free(&ds);
    }
    printf("  legends: %d inside a free corner, %d frames with the legend outside\n", inside, outside);
    CHECK_INT(hidden, 0);
    CHECK(inside > 0 && outside > 0);
    hv_drawlist_free(&dl);
}

/* The colorbar while the range changes: three labels at least, in range,
 * at 20 moments of 70 -> 22 and of 25 -> 0.4. */
static void test_colorbar_in_between(void)
{
    static const char *const specs[2] = {HV_SPEC_RANGE_70_22, HV_SPEC_RANGE_25_04};
    const char *csv = "model,condition,layer,head,score\nm,A,1,1,5\nm,B,2,2,0.3\n";
    hv_error err;
    static hv_panel_state ps[HV_MAX_PANELS];
    hv_drawlist dl = {0};
    static hv_figure_layout lay;
    for (int k = 0; k < 2; k++) {
        hv_dataset ds;
        hv_spec spec;
        hv_figure fig;
        CHECK(hv_dataset_parse(&ds, csv, strlen(csv), "c.csv", &err));
        hv_spec_init(&spec);
        CHECK(hv_spec_parse(&spec, specs[k], "c.ini", &err));
        CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
        hv_anim a;
        hv_anim_opts ao = {HV_LAYOUT_MORPH, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
        CHECK(hv_anim_init(&a, &fig, &ao, &err));
        static const int sizes[][2] = {{640, 360}, {1920, 1080}};
        for (int sz = 0; sz < 2; sz++)
            for (int j = 0; j <= 20; j++) {
                hv_frame_desc desc;
                int n = hv_anim_frame(&a, j / 20.0, NULL, ps, &desc);
                hv_figure_opts o;
                memset(&o, 0, sizeof o);
                o.width = sizes[sz][0];
                o.height = sizes[sz][1];
                o.desc = desc;
                o.measure = fake_measure;
                hv_figure_build(&fig, &o, ps, n, &dl, &lay);
                hv_rect cb = lay.panels[0].colorbar;
                int labels = 0;
                for (int i = 0; i < dl.n_texts; i++) {
                    const hv_text_item *t = &dl.texts[i];
                    if (t->rotate == 0 && t->ax == HV_ANCHOR_START && t->x > cb.x + cb.w && t->x < cb.x + cb.w + 40 &&
                        t->y >= cb.y - 1 && t->y <= cb.y + cb.h + 1)
                        labels++;
                }
                check_context("%s -> %s at %dx%d, progress %.2f", k ? "25" : "70", k ? "0.4" : "22", o.width, o.height,
                              j / 20.0);
                CHECK(labels >= 3);
                CHECK_INT(check_texts(&dl, "colorbar"), 0);
            }
        check_context("%s", "");
        hv_anim_free(&a);
        hv_figure_free(&fig);
        hv_dataset_free(&ds);
    }
    /* the nice ticks themselves: steps of 1, 2, 2.5, 5 x 10^n */
    hv_tickset ts;
    hv_figure_nice_ticks(0, 46, 5, 900, 18, &ts);
    CHECK_INT(ts.n, 5);
    CHECK_STR(ts.label[4], "40");
    hv_figure_nice_ticks(0, 0.4, 4, 900, 18, &ts);
    CHECK_STR(ts.label[1], "0.1");
    hv_figure_nice_ticks(0, 0.4, 4, 40, 18, &ts); /* a short bar: still three */
    CHECK(ts.n >= 3);
    hv_drawlist_free(&dl);
}

/* Grids: for 1..16 panels at 16:9, 4:3, 1:1 and 1:2, the rows x columns
 * give the largest plots, no row is empty, panels never overlap; a
 * portrait output stacks two panels. */
static void test_grid_choice(void)
{
    static const int sizes[][2] = {{1920, 1080}, {1600, 1200}, {1200, 1200}, {800, 1600}};
    hv_error err;
    static hv_panel_state ps[HV_MAX_PANELS];
    hv_drawlist dl = {0};
    static hv_figure_layout lay;
    for (int n = 1; n <= 16; n++) {
        hv_dataset ds;
        hv_spec spec;
        hv_figure fig;
        if (!load_gen(&ds, 2, n, 3, 32, 32, (unsigned)n))
            continue;
        hv_spec_init(&spec);
        CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
        int np = hv_figure_side_panels(&fig, ps, (hv_scene_point *)calloc((size_t)ds.n_points + 1, sizeof(hv_scene_point)));
        for (int sz = 0; sz < 4; sz++) {
            hv_figure_opts o;
            memset(&o, 0, sizeof o);
            o.width = sizes[sz][0];
            o.height = sizes[sz][1];
            o.measure = fake_measure;
            hv_figure_build(&fig, &o, ps, np, &dl, &lay);
            check_context("%d panels at %dx%d: %d x %d", n, o.width, o.height, lay.cols, lay.rows);
            CHECK(lay.cols * lay.rows >= n && lay.cols * (lay.rows - 1) < n); /* no empty row */
            float smallest = 1e9f;
            for (int p = 0; p < np; p++) {
                hv_rect r = lay.panels[p].plot;
                smallest = fminf(smallest, fminf(r.w, r.h));
                CHECK(r.x >= 0 && r.y >= 0 && r.x + r.w <= (float)o.width && r.y + r.h <= (float)o.height);
                for (int q = 0; q < p; q++) {
                    hv_rect u = lay.panels[q].cell;
                    hv_rect v = lay.panels[p].cell;
                    CHECK(v.x >= u.x + u.w || u.x >= v.x + v.w || v.y >= u.y + u.h || u.y >= v.y + v.h);
                }
            }
            CHECK(smallest > 40);
            if (n == 2 && sz == 0)
                CHECK_INT(lay.cols, 2); /* the seed: side by side */
            if (n == 2 && sz == 3)
                CHECK_INT(lay.cols, 1); /* portrait: stacked */
        }
        free((void *)ps[0].points);
        hv_figure_free(&fig);
        hv_dataset_free(&ds);
    }
    check_context("%s", "");
    hv_drawlist_free(&dl);
}

/* The models layout: each model on its own axes (a Gemma-like 42 x 16
 * beside a 32 x 32), one colorbar and one legend for the figure; with
 * share_axes one extent for both. */
static void test_models_layout(void)
{
    char csv[4096];
    int o = snprintf(csv, sizeof csv, "model,condition,layer,head,score\n");
    for (int i = 0; i < 10; i++)
        o += snprintf(csv + o, sizeof csv - (size_t)o, "llama,A,%d,%d,%d\nllama,B,%d,%d,%d\ngemma,A,%d,%d,%d\ngemma,B,%d,%d,%d\n",
                      i * 3, 31 - i * 3, i + 1, 31 - i * 2, i * 3, i + 2, 41 - i * 4, i, i + 1, i * 4, 15 - i, i + 3);
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_error err;
    CHECK(hv_dataset_parse(&ds, csv, (size_t)o, "m.csv", &err));
    hv_spec_init(&spec);
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    CHECK_NEAR(fig.models[0].axes.xhi, 32, 0);
    CHECK_NEAR(fig.models[0].axes.yhi, 32, 0);
    CHECK_NEAR(fig.models[1].axes.xhi, 42, 0);
    CHECK_NEAR(fig.models[1].axes.yhi, 16, 0);
    hv_anim a;
    hv_anim_opts ao = {HV_LAYOUT_MODELS, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    CHECK(hv_anim_init(&a, &fig, &ao, &err));
    static hv_panel_state ps[HV_MAX_PANELS];
    hv_frame_desc desc;
    int n = hv_anim_frame(&a, 0.5, NULL, ps, &desc);
    CHECK_INT(n, 2);
    CHECK_INT(desc.cbar, HV_CBAR_FIGURE);
    CHECK(desc.one_legend);
    hv_figure_opts fo;
    memset(&fo, 0, sizeof fo);
    fo.width = 1920;
    fo.height = 1080;
    fo.desc = desc;
    fo.measure = fake_measure;
    hv_drawlist dl = {0};
    static hv_figure_layout lay;
    hv_figure_build(&fig, &fo, ps, n, &dl, &lay);
    CHECK_NEAR(lay.panels[0].sx.d1, 32, 0);
    CHECK_NEAR(lay.panels[1].sx.d1, 42, 0);
    CHECK_NEAR(lay.panels[1].sy.d1, 16, 0);
    CHECK_INT(dl.n_colorbars, 1);
    CHECK(lay.legend_outside && lay.legend.w > 0);
    CHECK(lay.panels[0].legend.w == 0 && lay.panels[1].legend.w == 0);
    int legend_entries = 0;
    for (int m = 0; m < HV_MAX_MODELS; m++)
        legend_entries += lay.legend_rows[m].w > 0;
    CHECK_INT(legend_entries, 2);
    hv_anim_free(&a);
    hv_figure_free(&fig);
    spec.share_axes = true;
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    CHECK_NEAR(fig.models[1].axes.yhi, 32, 0);
    CHECK_NEAR(fig.models[0].axes.xhi, 42, 0);
    hv_figure_free(&fig);
    hv_drawlist_free(&dl);
    hv_dataset_free(&ds);
}

/* Points outside explicit limits: counted, named in one line, not drawn;
 * a point on the edge is drawn whole (clipped to its panel, not its axes). */
static void test_outside_limits(void)
{
    const char *csv = "model,condition,layer,head,score\nm,A,31,5,3\nm,A,50,3,2\nm,A,2,40,1\nm,B,1,1,1\n";
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_error err;
    CHECK(hv_dataset_parse(&ds, csv, strlen(csv), "lim.csv", &err));
    hv_spec_init(&spec);
    CHECK(hv_spec_parse(&spec, HV_SPEC_LIMITS, "lim.ini", &err));
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    CHECK_INT(fig.n_outside, 2);
    char msg[512];
    hv_figure_outside_message(&fig, "lim.csv", msg, sizeof msg);
    CHECK_STR(msg, "2 points lie outside the axes (xlim -1, 31; ylim -1, 31) and are not drawn; the first: lim.csv:3 (m, A, layer 50, head 3)");
    static hv_panel_state ps[HV_MAX_PANELS];
    static hv_scene_point pts[8];
    int n = hv_figure_side_panels(&fig, ps, pts);
    CHECK_INT(ps[0].n_points, 1); /* only layer 31, head 5 */
    hv_figure_opts o;
    memset(&o, 0, sizeof o);
    o.width = 960;
    o.height = 540;
    o.measure = fake_measure;
    hv_drawlist dl = {0};
    static hv_figure_layout lay;
    hv_figure_build(&fig, &o, ps, n, &dl, &lay);
    for (int i = 0; i < dl.n_cmds; i++)
        if (dl.cmds[i].type == HV_CMD_MARKERS && dl.cmds[i].clipped) {
            hv_rect clip = dl.cmds[i].clip;
            for (int k = dl.cmds[i].first; k < dl.cmds[i].first + dl.cmds[i].count; k++) {
                const hv_marker *m = &dl.markers[k];
                float r = m->size * 0.5f + m->outline_w;
                CHECK(m->x - r >= clip.x && m->x + r <= clip.x + clip.w); /* whole */
            }
        }
    hv_figure_free(&fig);
    hv_dataset_free(&ds);
    /* without explicit limits every point is inside and nothing is said */
    hv_spec_init(&spec);
    CHECK(hv_dataset_parse(&ds, csv, strlen(csv), "lim.csv", &err));
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    CHECK_INT(fig.n_outside, 0);
    hv_figure_outside_message(&fig, "lim.csv", msg, sizeof msg);
    CHECK_STR(msg, "");
    hv_figure_free(&fig);
    hv_dataset_free(&ds);
    hv_drawlist_free(&dl);
}


/* The facet layouts (models, heatmap, diff) as a property over sizes (320x180 to
 * 4K, 1.5 x 1 in to 7 x 5 in at 300 dpi), 1..6 models with long names,
 * 1..4 conditions and three contexts: the figure either fits, with every
 * plot at least 16 px a side, every text inside the canvas, at or above
 * the floor (11 px from 640x360 up, 5 pt at a physical size) and none
 * overlapping another; or it is refused (layout.fits false) with a larger
 * size named and nothing drawn. Up to five models and three conditions
 * must fit from 640x360 and from 7 x 5 in. */
static void test_facet_property(void)
{
    static const char *names[6] = {"Llama-2-13b-chat-hf", "Mistral-7B-Instruct-v0.2",
                                   "Qwen2-7B-Instruct (Zurich run 1/2)", "gemma-2-9b-it",
                                   "Llama-2-70b-chat-hf step-2024-03 ckpt", "Vicuna-7b-v1.5"};
    static const struct { int w, h; float unit; } sizes[] = {
        {320, 180, 0},  {640, 360, 0},   {1280, 720, 0},  {1920, 1080, 0}, {3840, 2160, 0},
        {450, 300, 3.125f}, {1050, 750, 3.125f}, {2100, 1500, 3.125f}};
    static hv_panel_state ps[HV_MAX_PANELS];
    static hv_figure_layout lay;
    hv_drawlist dl = {0};
    hv_error err;
    int frames = 0, refused = 0, problems = 0, in_cell = 0;
    for (int nm = 1; nm <= 6; nm++)
        for (int nc = 1; nc <= 4; nc++) {
            static hv_dataset ds;
            static hv_spec spec;
            static hv_figure fig;
            if (!CHECK(load_gen(&ds, nm, nc, 10, 40, 32, (unsigned)(nm * 7 + nc))))
                continue;
            for (int m = 0; m < nm; m++)
                snprintf(ds.models[m], sizeof ds.models[m], "%s", names[m]);
            hv_spec_init(&spec);
            CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
            /* (the heatmap and diff grids again with the models as columns) */
            for (int lf = HV_LAYOUT_MODELS; lf <= HV_LAYOUT_DIFF + 2; lf++) {
                int layout = lf <= HV_LAYOUT_DIFF ? lf : lf - 2;
                spec.facets = lf <= HV_LAYOUT_DIFF ? HV_FACETS_AUTO : HV_FACETS_COLUMNS;
                if (layout == HV_LAYOUT_DIFF && nc < 2)
                    continue;
                hv_anim a;
                hv_anim_opts ao = {(hv_layout_mode)layout, HV_MATCH_RANK, HV_EASE_CUBIC, 0};
                if (!CHECK(hv_anim_init(&a, &fig, &ao, &err)))
                    continue;
                for (int cx = 0; cx < 3; cx++)
                    for (unsigned sz = 0; sz < sizeof sizes / sizeof sizes[0]; sz++) {
                        hv_frame_desc desc;
                        int n = hv_anim_frame(&a, nc - 1, NULL, ps, &desc);
                        hv_figure_opts o;
                        memset(&o, 0, sizeof o);
                        o.width = sizes[sz].w;
                        o.height = sizes[sz].h;
                        o.unit = sizes[sz].unit;
                        o.context = hv_context_scale(cx);
                        o.desc = desc;
                        o.measure = fake_measure;
                        hv_figure_build(&fig, &o, ps, n, &dl, &lay);
                        char what[160];
                        snprintf(what, sizeof what, "%d models x %d conditions, %s%s, %s, %dx%d%s", nm, nc,
                                 hv_layout_name(layout), lf > HV_LAYOUT_DIFF ? " (models-columns)" : "",
                                 hv_context_name(cx), o.width, o.height, o.unit > 0 ? " (300 dpi)" : "");
                        frames++;
                        bool must_fit = nm <= 5 && nc <= 3 && cx <= HV_CONTEXT_NOTEBOOK &&
                                        ((o.unit == 0 && o.width >= 640) || (o.unit > 0 && o.width >= 2100));
                        if (!lay.fits) {
                            refused++;
                            if (must_fit && problems++ < 5)
                                printf("  %s: refused\n", what);
                            if ((lay.need_w <= (float)o.width && lay.need_h <= (float)o.height) || dl.n_texts != 0 || dl.n_heatmaps != 0)
                                if (problems++ < 5)
                                    printf("  %s: refused without a larger size, or drawn\n", what);
                            continue;
                        }
                        float floor_px = o.unit > 0 ? 5.0f * 96.0f / 72.0f * o.unit - 0.01f
                                                    : o.width >= 640 && o.height >= 360 ? 11.0f - 1e-4f : 5.0f;
                        for (int p = 0; p < n; p++)
                            if ((lay.panels[p].plot.w < 16 || lay.panels[p].plot.h < 16) && problems++ < 5)
                                printf("  %s: panel %d is %.0fx%.0f\n", what, p, (double)lay.panels[p].plot.w,
                                       (double)lay.panels[p].plot.h);
                        for (int i = 0; i < dl.n_texts; i++) {
                            const hv_text_item *t = &dl.texts[i];
                            box b = text_box(&dl, t);
                            if ((b.x0 < -0.5f || b.y0 < -0.5f || b.x1 > (float)o.width + 0.5f ||
                                 b.y1 > (float)o.height + 0.5f) && problems++ < 5)
                                printf("  %s: \"%s\" runs off the canvas\n", what, hv_dl_string(&dl, t));
                        }
                        problems += check_texts_floor(&dl, what, floor_px);
                        problems += check_two_tick_labels(&dl, &lay, ps, n, what);
                        /* the figure legend (models): inside the canvas, over no plot */
                        hv_rect lg = lay.legend;
                        if (layout == HV_LAYOUT_MODELS && lg.w > 0) {
                            box lb = {lg.x, lg.y, lg.x + lg.w, lg.y + lg.h};
                            if ((lb.x0 < 0 || lb.y0 < 0 || lb.x1 > (float)o.width || lb.y1 > (float)o.height) &&
                                problems++ < 5)
                                printf("  %s: the legend runs off the canvas\n", what);
                            for (int p = 0; p < n; p++) {
                                hv_rect pr = lay.panels[p].plot;
                                if (boxes_overlap(lb, (box){pr.x, pr.y, pr.x + pr.w, pr.y + pr.h}, 0.5f) &&
                                    problems++ < 5)
                                    printf("  %s: the legend lies over panel %d\n", what, p);
                            }
                            /* five models at 1280x720: 3 x 2 panels, the legend in the empty cell
                             * (right of the fifth panel, under the third), not a strip under all */
                            if (nm == 5 && o.width == 1280 && o.unit == 0 && cx == HV_CONTEXT_NOTEBOOK) {
                                hv_rect p2 = lay.panels[2].plot, p4 = lay.panels[4].plot;
                                in_cell += CHECK(lg.x >= p4.x + p4.w && lg.y >= p2.y + p2.h &&
                                                 lg.y + lg.h <= p4.y + p4.h);
                            }
                        }
                    }
                hv_anim_free(&a);
            }
            hv_figure_free(&fig);
            hv_dataset_free(&ds);
        }
    printf("  facets: %d figures checked, %d refused as too small\n", frames, refused);
    CHECK_INT(problems, 0);
    CHECK_INT(in_cell, 4); /* (1..4 conditions) */
    hv_drawlist_free(&dl);
}

/* The first text item whose string starts with s (a wrapped name's first
 * line), or NULL. */
static const hv_text_item *find_text(const hv_drawlist *dl, const char *s)
{
    for (int i = 0; i < dl->n_texts; i++)
        if (strncmp(hv_dl_string(dl, &dl->texts[i]), s, strlen(s)) == 0)
            return &dl->texts[i];
    return NULL;
}

/* The study of issue 16 as a CSV, parsed: five models of real shapes and
 * long names (a 40 x 40 Llama-2-13b ... an 80 x 64 Llama-2-70b), three
 * conditions, ten heads each, the last head of the last layer among them
 * (so the extents are the models'). */
static bool parse_study(hv_dataset *ds, hv_error *err)
{
    static const char *names[5] = {"Llama-2-13b-chat-hf", "Mistral-7B-Instruct-v0.2",
                                   "Qwen2-7B-Instruct (Zurich run 1/2)", "gemma-2-9b-it",
                                   "Llama-2-70b-chat-hf step-2024-03 ckpt"};
    static const int shape[5][2] = {{40, 40}, {32, 32}, {28, 28}, {42, 16}, {80, 64}};
    static const char *conds[3] = {"Undiff Attn.", "Scaling Cont.", "Refusal Dir. Ablation"};
    char *csv = malloc(1 << 20);
    if (!csv)
        return false;
    int o = snprintf(csv, 64, "model,condition,layer,head,score\n");
    for (int m = 0; m < 5; m++)
        for (int c = 0; c < 3; c++)
            for (int k = 0; k < 10; k++) {
                int l = k == 0 ? shape[m][0] - 1 : 2 * k + c;
                int h = k == 0 ? shape[m][1] - 1 : (3 * k + m) % shape[m][1];
                o += snprintf(csv + o, 256, "%s,%s,%d,%d,%d\n", names[m], conds[c], l, h, 10 * k + m + c);
            }
    bool ok = hv_dataset_parse(ds, csv, (size_t)o, "study.csv", err);
    free(csv);
    return ok;
}

/* The first frame of a's layout of the study at w x h, at matplotlib's
 * 11 px type (mpl_type, else the context's), measured by the fake font at
 * adv a byte (0: its default); returns the panels' count, *cbar the
 * frame's colorbars. */
static int study_frame(hv_figure *fig, hv_anim *a, int w, int h, bool mpl_type, float adv, hv_panel_state *ps,
                       hv_drawlist *dl, hv_figure_layout *lay, int *cbar)
{
    hv_frame_desc desc;
    int n = hv_anim_frame(a, 0, NULL, ps, &desc);
    hv_figure_opts fo;
    memset(&fo, 0, sizeof fo);
    fo.width = w;
    fo.height = h;
    fo.font_scale = mpl_type ? 11.0f / 15.0f : 0;
    fo.desc = desc;
    fo.measure = fake_measure;
    fo.measure_user = adv > 0 ? &adv : NULL;
    hv_figure_build(fig, &fo, ps, n, dl, lay);
    *cbar = (int)desc.cbar;
    return n;
}

/* A rotated model name may run past its row, as matplotlib's y labels do:
 * the last row's long checkpoint name at 1280x720 (models in rows, 11 px
 * type) takes two lines, running into the room under the last row, where
 * kept inside its row's band it took three. No two rows' names meet, and
 * every one stays inside the canvas. (Run by test_facets, on its study.) */
static void check_row_names_span(hv_figure *fig, hv_anim *a, float adv)
{
    static hv_panel_state ps[HV_MAX_PANELS];
    static hv_figure_layout lay;
    hv_drawlist dl = {0};
    int cbar;
    int n = study_frame(fig, a, 1280, 720, true, adv, ps, &dl, &lay, &cbar);
    CHECK(lay.fits && lay.rows == 5 && n == 15);
    /* the rotated texts left of the plots: the model names' lines, each
     * given to the row its centre is nearest */
    box line[16];
    int row_of[16], nlines[5] = {0}, nl = 0;
    for (int i = 0; i < dl.n_texts && nl < 16; i++) {
        const hv_text_item *t = &dl.texts[i];
        if (t->rotate != 90 || t->x >= lay.panels[0].plot.x)
            continue;
        hv_text_metrics m;
        fake_measure(&adv, hv_dl_string(&dl, t), t->size, &m);
        line[nl] = (box){t->x - m.ascent - m.descent, t->y - m.width * 0.5f, t->x, t->y + m.width * 0.5f};
        int r = 0;
        for (int k = 1; k < 5; k++)
            if (fabsf(lay.panels[3 * k].plot.y - t->y) < fabsf(lay.panels[3 * r].plot.y - t->y))
                r = k;
        row_of[nl] = t->y > lay.panels[3 * r].plot.y || r == 0 ? r : r - 1;
        nlines[row_of[nl]]++;
        nl++;
    }
    for (int i = 0; i < nl; i++) {
        check_context("name line %d (row %d)", i, row_of[i]);
        CHECK(line[i].y0 >= 0 && line[i].y1 <= 720 && line[i].x0 >= 0);
        for (int j = i + 1; j < nl; j++)
            if (row_of[j] != row_of[i])
                CHECK(line[i].y1 <= line[j].y0 || line[j].y1 <= line[i].y0);
    }
    check_context("%s", "");
    /* the checkpoint name: two lines, the longer running past its plots'
     * bottom and their tick labels (a tick label's height and the tick) */
    CHECK_INT(nlines[4], 2);
    hv_rect last = lay.panels[12].plot;
    float past = 0;
    for (int i = 0; i < nl; i++)
        if (row_of[i] == 4)
            past = fmaxf(past, line[i].y1 - (last.y + last.h + 11.0f + 6.0f));
    CHECK(past > 0);
    printf("  row names: %d %d %d %d %d lines; the last runs %.0f px past its row\n", nlines[0], nlines[1],
           nlines[2], nlines[3], nlines[4], (double)past);
    hv_drawlist_free(&dl);
}

/* Which way a facet grid goes (facets =): five models x three conditions
 * in a 640x360 thumbnail at matplotlib's 11 px type, in five rows of
 * strips or five columns of squarish plots; auto takes the columns where
 * their plots are more than a tenth larger (and here with a colorbar per
 * condition, one beside each condition's row); models-rows and
 * models-columns fix it. In columns, model m's panels
 * stand in column m, its name over them, the conditions beside the rows,
 * y tick labels beside every column (the models differ in heads) and x
 * tick labels under the last row only; "Head" across in the corner. */
static void test_facets(void)
{
    static hv_dataset ds;
    static hv_spec spec;
    static hv_figure fig;
    static hv_panel_state ps[HV_MAX_PANELS];
    static hv_figure_layout lay;
    hv_drawlist dl = {0};
    hv_error err;
    if (!CHECK(parse_study(&ds, &err)))
        return;
    hv_spec_init(&spec);
    spec.colorbar = 0; /* one range (a colorbar per condition keeps models in rows) */
    snprintf(spec.title, sizeof spec.title, "{condition}");
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    hv_anim a;
    hv_anim_opts ao = {HV_LAYOUT_HEATMAP, HV_MATCH_RANK, HV_EASE_CUBIC, 0};
    CHECK(hv_anim_init(&a, &fig, &ao, &err));
    float area[3] = {0};
    float adv = 0.55f; /* (about DejaVu Sans's average advance, as the figure's real type) */
    for (int step = 0; step < 3; step++) { /* rows, columns, then auto (which picks by their areas) */
        int mode = (step + 1) % 3;
        spec.facets = mode;
        int cbar;
        int n = study_frame(&fig, &a, 640, 360, true, adv, ps, &dl, &lay, &cbar);
        check_context("facets mode %d", mode);
        CHECK(lay.fits);
        CHECK_INT(n, 15);
        area[mode] = lay.panels[0].plot.w * lay.panels[0].plot.h;
        bool cols = mode == HV_FACETS_COLUMNS ||
                    (mode == HV_FACETS_AUTO && area[HV_FACETS_COLUMNS] > 1.1f * area[HV_FACETS_ROWS]);
        CHECK_INT(lay.cols, cols ? 5 : 3);
        CHECK_INT(lay.rows, cols ? 3 : 5);
        /* panel p is model p / 3, condition p % 3, whichever way the grid goes */
        for (int p = 0; p < n; p++) {
            hv_rect r = lay.panels[p].plot, first = lay.panels[p - p % 3].plot;
            if (cols) /* the model's column: one x, the conditions down it */
                CHECK(r.x == first.x && (p % 3 == 0 || r.y > lay.panels[p - 1].plot.y));
            else
                CHECK(r.y == first.y && (p % 3 == 0 || r.x > lay.panels[p - 1].plot.x));
        }
        const hv_text_item *gemma = find_text(&dl, "gemma-2-9b"), *c1 = find_text(&dl, "Scaling");
        const hv_text_item *head = find_text(&dl, "Head");
        if (!CHECK(gemma && c1 && head)) {
            for (int i = 0; i < dl.n_texts; i++)
                printf("  text \"%s\" at %.0f, %.0f\n", hv_dl_string(&dl, &dl.texts[i]), (double)dl.texts[i].x,
                       (double)dl.texts[i].y);
            continue;
        }
        hv_rect g0 = lay.panels[9].plot, c1p = lay.panels[1].plot;
        if (cols) {
            /* the model's name over its column, the condition beside its row */
            CHECK(gemma->rotate == 0 && gemma->y <= g0.y && gemma->x > g0.x && gemma->x < g0.x + g0.w);
            CHECK(c1->x < c1p.x && c1->y > c1p.y - 1 && c1->y < c1p.y + c1p.h + 1);
        } else {
            CHECK(c1->rotate == 0 && c1->y <= c1p.y && c1->x > c1p.x && c1->x < c1p.x + c1p.w);
            CHECK(gemma->x < g0.x);
        }
        /* "Head" across, over the first column's tick labels */
        hv_rect p0 = lay.panels[0].plot;
        CHECK(head->rotate == 0 && head->y <= p0.y && head->x <= p0.x);
        /* tick labels: a "0" beside every column's plots in columns (the
         * models' heads differ), beside the first only in rows; x labels
         * under the last row only in columns, under every row in rows */
        int left_of[5] = {0}, under[5] = {0};
        for (int i = 0; i < dl.n_texts; i++) {
            const hv_text_item *t = &dl.texts[i];
            if (strcmp(hv_dl_string(&dl, t), "0") != 0)
                continue;
            for (int p = 0; p < n; p++) {
                hv_rect r = lay.panels[p].plot;
                int col = cols ? p / 3 : p % 3, row = cols ? p % 3 : p / 3;
                if (t->ax == HV_ANCHOR_END && t->x < r.x && t->x > r.x - 20 && t->y > r.y && t->y <= r.y + r.h + 1)
                    left_of[col]++;
                if (t->ay == HV_ANCHOR_START && t->y > r.y + r.h && t->y < r.y + r.h + 20 && t->x >= r.x - 1 &&
                    t->x <= r.x + r.w)
                    under[row]++;
            }
        }
        for (int k = 0; k < lay.cols; k++)
            CHECK(cols || k == 0 ? left_of[k] > 0 : left_of[k] == 0);
        for (int r = 0; r < lay.rows; r++)
            CHECK(!cols || r == lay.rows - 1 ? under[r] > 0 : under[r] == 0);
    }
    check_context("%s", "");
    spec.facets = HV_FACETS_ROWS; /* (the models' names beside their rows) */
    check_row_names_span(&fig, &a, adv);
    /* the models layout at 640x360 (at its own type): the columns are
     * chosen with the lines their titles need, so one row of five tall
     * plots, not four columns whose titles take four lines over strips */
    {
        hv_anim m;
        hv_anim_opts mo = {HV_LAYOUT_MODELS, HV_MATCH_RANK, HV_EASE_CUBIC, 0};
        CHECK(hv_anim_init(&m, &fig, &mo, &err));
        int cbar;
        int n = study_frame(&fig, &m, 640, 360, false, adv, ps, &dl, &lay, &cbar);
        CHECK(lay.fits && n == 5);
        CHECK_INT(lay.cols, 5);
        CHECK(lay.panels[0].plot.h > 2 * lay.panels[0].plot.w);
        printf("  models at 640x360: %d x %d, plots %.0f x %.0f\n", lay.rows, lay.cols,
               (double)lay.panels[0].plot.w, (double)lay.panels[0].plot.h);
        hv_anim_free(&m);
    }
    /* the transpose is taken for room: at least a tenth more */
    CHECK(area[HV_FACETS_AUTO] == (area[HV_FACETS_COLUMNS] > 1.1f * area[HV_FACETS_ROWS] ? area[HV_FACETS_COLUMNS]
                                                                                       : area[HV_FACETS_ROWS]));
    printf("  facets: plots %.0f px^2 in rows, %.0f in columns (auto: %.0f)\n", (double)area[HV_FACETS_ROWS],
           (double)area[HV_FACETS_COLUMNS], (double)area[HV_FACETS_AUTO]);
    hv_anim_free(&a);
    hv_figure_free(&fig);
    /* a colorbar per condition (the default where the conditions' ranges
     * differ): in columns, one beside each row, as tall as its plots */
    hv_spec_init(&spec);
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    CHECK(hv_anim_init(&a, &fig, &ao, &err));
    {
        int cbar;
        int n = study_frame(&fig, &a, 640, 360, true, 0, ps, &dl, &lay, &cbar);
        CHECK_INT(cbar, HV_CBAR_COLUMN);
        CHECK(lay.fits);
        CHECK_INT(lay.cols, 5);
        hv_rect last = lay.panels[12].plot;
        for (int p = 0; p < n; p++) {
            hv_rect cb = lay.panels[p].colorbar, pr = lay.panels[p].plot;
            check_context("panel %d", p);
            CHECK(cb.w > 0 && cb.x >= last.x + last.w && cb.y == pr.y && cb.h == pr.h);
            CHECK(cb.y == lay.panels[p % 3].colorbar.y); /* (the condition's row: model 0's) */
        }
        check_context("%s", "");
    }
    hv_anim_free(&a);
    hv_drawlist_free(&dl);
    hv_figure_free(&fig);
    hv_dataset_free(&ds);
}


/* Issue 15: a spec's ticks far finer than its range (ticks 0..70 by 10 over
 * 0..1e12) asked the ticks between two conditions for 1e11 intervals, and
 * the step walk never ended. Every frame of the transition now builds with
 * a bounded tick set, and the nice ticks take any target or span. */
static void test_ticks_bounded(void)
{
    const char *csv = "model,condition,layer,head,score\nm,A,1,1,5\nm,A,2,3,60\nm,B,1,1,20\nm,B,4,2,3\n";
    const char *ini = HV_SPEC_FINE_TICKS;
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_error err;
    CHECK(hv_dataset_parse(&ds, csv, strlen(csv), "t.csv", &err));
    hv_spec_init(&spec);
    CHECK(hv_spec_parse(&spec, ini, "t.ini", &err));
    if (!CHECK(hv_figure_prepare(&fig, &ds, &spec, &err)))
        return;
    CHECK_INT(fig.conds[0].ticks.n, 8);
    CHECK_NEAR(hv_figure_tick_intervals(&fig.conds[0]), HV_MAX_TICKS - 1, 0);
    static hv_panel_state ps[HV_MAX_PANELS];
    hv_drawlist dl = {0};
    static hv_figure_layout lay;
    for (int layout = 0; layout < HV_LAYOUT_HEATMAP; layout++) {
        hv_anim a;
        hv_anim_opts ao = {(hv_layout_mode)layout, HV_MATCH_HEAD, HV_EASE_BACK, 0};
        if (!CHECK(hv_anim_init(&a, &fig, &ao, &err)))
            continue;
        for (int j = 0; j <= 20; j++) {
            hv_frame_desc desc;
            int n = hv_anim_frame(&a, j / 10.0, NULL, ps, &desc);
            hv_figure_opts o;
            memset(&o, 0, sizeof o);
            o.width = 1920;
            o.height = 1080;
            o.desc = desc;
            o.measure = fake_measure;
            hv_figure_build(&fig, &o, ps, n, &dl, &lay);
            CHECK(dl.n_cmds > 0);
        }
        hv_anim_free(&a);
    }
    hv_drawlist_free(&dl);
    hv_figure_free(&fig);
    hv_dataset_free(&ds);

    /* the nice ticks: at most HV_MAX_TICKS, at least 3 over any finite
     * span, whatever the target (inf, NaN, 1e30) */
    static const double spans[][2] = {{0, 1e12}, {-1e15, 1e15}, {0, 1e-300}, {-1.7e308, 1.7e308}, {1, 1 + 1e-15}};
    static const float targets[] = {1e30f, (float)INFINITY, (float)NAN, 0, 3, 1e-30f};
    for (unsigned i = 0; i < sizeof spans / sizeof spans[0]; i++)
        for (unsigned t = 0; t < sizeof targets / sizeof targets[0]; t++) {
            hv_tickset ts;
            hv_figure_nice_ticks(spans[i][0], spans[i][1], targets[t], 400, 14, &ts);
            check_context("span %g..%g, target %g", spans[i][0], spans[i][1], (double)targets[t]);
            CHECK(ts.n <= HV_MAX_TICKS);
            for (int k = 0; k < ts.n; k++)
                CHECK(isfinite(ts.v[k]));
            if (i < 2)
                CHECK(ts.n >= 3);
        }
    check_context("%s", "");
    /* an infinite span has no ticks (and no endless walk) */
    hv_tickset ts;
    hv_figure_nice_ticks(-1e308, 1e308, 5, 400, 14, &ts);
    CHECK_INT(ts.n, 0);
}

/* Signed scores: a diverging colormap (RdBu_r) centred on 0 (or `center`)
 * in the side and morph layouts too, unless a colormap was chosen; the
 * colorbar's negative labels with a true minus sign. */
static void test_signed_scores(void)
{
    const char *csv = "model,condition,layer,head,score\n"
                      "m,A,1,2,-2.6\nm,A,3,4,3.1\nm,A,5,6,0.4\n"
                      "m,B,1,2,-1.0\nm,B,3,4,2.0\nm,B,5,6,0.5\n";
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_error err;
    CHECK(hv_dataset_parse(&ds, csv, strlen(csv), "s.csv", &err));
    hv_spec_init(&spec);
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    const hv_colormap *rdbu = hv_colormap_find("RdBu_r");
    CHECK(fig.cmap == rdbu);
    CHECK_NEAR(fig.conds[0].lo, -3.1, 1e-12);
    CHECK_NEAR(fig.conds[0].hi, 3.1, 1e-12);
    CHECK_NEAR(fig.conds[1].lo, -2.0, 1e-12);
    bool true_minus = false, hyphen = false;
    for (int i = 0; i < fig.conds[0].ticks.n; i++) {
        true_minus |= strncmp(fig.conds[0].ticks.label[i], "\xe2\x88\x92", 3) == 0;
        hyphen |= strchr(fig.conds[0].ticks.label[i], '-') != NULL;
    }
    CHECK(true_minus && !hyphen);
    static const int layouts[2] = {HV_LAYOUT_SIDE, HV_LAYOUT_MORPH};
    for (int k = 0; k < 2; k++) {
        hv_anim a;
        hv_anim_opts ao = {(hv_layout_mode)layouts[k], HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
        CHECK(hv_anim_init(&a, &fig, &ao, &err));
        static hv_panel_state ps[HV_MAX_PANELS];
        hv_frame_desc desc;
        int n = hv_anim_frame(&a, 0.5, NULL, ps, &desc);
        hv_figure_opts fo;
        memset(&fo, 0, sizeof fo);
        fo.width = 1280;
        fo.height = 720;
        fo.desc = desc;
        fo.measure = fake_measure;
        hv_drawlist dl = {0};
        hv_figure_build(&fig, &fo, ps, n, &dl, NULL);
        check_context("layout %d", layouts[k]);
        CHECK_INT(dl.colormap_index, hv_colormap_index(rdbu));
        /* the colorbar's middle is the centre: its range symmetric */
        for (int p = 0; p < n; p++)
            CHECK_NEAR(ps[p].lo, -ps[p].hi, 1e-9);
        check_context("%s", "");
        hv_drawlist_free(&dl);
        hv_anim_free(&a);
    }
    hv_figure_free(&fig);
    /* a colormap the user chose stays; `center` moves the middle */
    hv_spec_init(&spec);
    CHECK(hv_spec_parse(&spec, HV_SPEC_VIRIDIS, "v.ini", &err));
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    CHECK(fig.cmap == hv_colormap_find("viridis"));
    hv_figure_free(&fig);
    hv_spec_init(&spec);
    CHECK(hv_spec_parse(&spec, HV_SPEC_CENTER_1, "c.ini", &err));
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    CHECK(fig.cmap == rdbu);
    CHECK_NEAR(fig.conds[0].lo, 1 - 3.6, 1e-12);
    CHECK_NEAR(fig.conds[0].hi, 1 + 3.6, 1e-12);
    hv_figure_free(&fig);
    hv_dataset_free(&ds);
}

/* orientation = layers-y draws a heatmap like sns.heatmap: heads across,
 * layers down from layer 0 at the top; the cells, the hit test and the
 * axis labels follow, and layers-x stays as it was. */
static void test_orientation(void)
{
    hv_error err;
    static hv_dataset ds;
    static hv_spec spec;
    static hv_figure fig;
    static hv_panel_state ps[HV_MAX_PANELS];
    static hv_figure_layout lay;
    hv_drawlist dl = {0};
    CHECK(load_gen(&ds, 1, 2, 10, 12, 8, 5));
    for (int ly = 0; ly < 2; ly++) {
        hv_spec_init(&spec);
        CHECK(hv_spec_parse(&spec, ly ? HV_SPEC_LAYERS_Y : HV_SPEC_LAYERS_X, "o.ini", &err));
        CHECK_INT(spec.orientation, ly);
        CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
        hv_anim a;
        hv_anim_opts ao = {HV_LAYOUT_HEATMAP, HV_MATCH_RANK, HV_EASE_CUBIC, 0};
        CHECK(hv_anim_init(&a, &fig, &ao, &err));
        hv_frame_desc desc;
        int n = hv_anim_frame(&a, 1, NULL, ps, &desc);
        hv_figure_opts o;
        memset(&o, 0, sizeof o);
        o.width = 1280;
        o.height = 720;
        o.desc = desc;
        o.measure = fake_measure;
        hv_figure_build(&fig, &o, ps, n, &dl, &lay);
        CHECK(lay.fits);
        CHECK(ps[0].layers_y == (ly == 1));
        /* the grid is 12 layers x 8 heads: cells 8 across and 12 down with layers-y */
        CHECK_INT(ps[0].cell_cols, ly ? 8 : 12);
        CHECK_INT(ps[0].cell_rows, ly ? 12 : 8);
        /* every head of the first panel where its (layer, head) says: the hit test
         * at the point hv_panel_point gives returns that head, and the cell there
         * holds its value */
        int bad = 0;
        for (int l = 0; l < 12; l++)
            for (int h = 0; h < 8; h++) {
                float x, y;
                hv_panel_point(&ps[0], &lay.panels[0], l, h, &x, &y);
                int p = -1, L = -1, H = -1;
                if (!hv_figure_hit_cell(&lay, ps, n, x, y, &p, &L, &H) || p != 0 || L != l || H != h)
                    bad++;
                long k = ly ? l * 8 + h : (7 - h) * 12 + l;
                double v = a.dense[0][0][l * 8 + h];
                float want = v == v ? hv_figure_value(v, ps[0].lo, ps[0].hi) : NAN;
                if (!(ps[0].cells[k] == want || (want != want && ps[0].cells[k] != ps[0].cells[k])))
                    bad++;
            }
        CHECK_INT(bad, 0);
        /* layer 0 at the top with layers-y, at the bottom (x: head 0 at the bottom) otherwise */
        float x0, y0, x1, y1;
        hv_panel_point(&ps[0], &lay.panels[0], 0, 0, &x0, &y0);
        hv_panel_point(&ps[0], &lay.panels[0], 11, 7, &x1, &y1);
        if (ly)
            CHECK(y0 < y1 && x0 < x1); /* layer 0 above layer 11; head 0 left of head 7 */
        else
            CHECK(y0 > y1 && x0 < x1); /* head 0 below head 7; layer 0 left of layer 11 */
        /* the axis labels follow: "Head" across the bottom with layers-y */
        bool head_below = false;
        for (int i = 0; i < dl.n_texts; i++)
            if (strcmp(hv_dl_string(&dl, &dl.texts[i]), ly ? "Head" : "Layer") == 0 && dl.texts[i].rotate == 0)
                head_below = true;
        CHECK(head_below);
        hv_anim_free(&a);
        hv_figure_free(&fig);
    }
    hv_dataset_free(&ds);
    hv_drawlist_free(&dl);
}

int main(void)
{
    test_prepare();
    test_layout();
    test_many_panels();
    test_text_never_overlaps();
    test_legend_never_hides();
    test_colorbar_in_between();
    test_grid_choice();
    test_models_layout();
    test_outside_limits();
    test_facet_property();
    test_facets();
    test_ticks_bounded();
    test_signed_scores();
    test_orientation();
    return check_summary();
}