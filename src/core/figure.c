#include "figure.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- themes ------------------------------------------------------------ */

static const hv_theme k_themes[2] = {
    /* light: white, as in a paper */
    {{1, 1, 1, 1},
     {1, 1, 1, 1},
     {0.10f, 0.10f, 0.10f, 1},
     {0.15f, 0.15f, 0.15f, 1},
     {0.92f, 0.92f, 0.92f, 1},
     {1, 1, 1, 0.88f},
     {0.80f, 0.80f, 0.80f, 1},
     {1, 1, 1, 1}},
    /* dark: for talks */
    {{0.071f, 0.078f, 0.094f, 1},
     {0.071f, 0.078f, 0.094f, 1},
     {0.91f, 0.91f, 0.92f, 1},
     {0.62f, 0.63f, 0.66f, 1},
     {0.16f, 0.17f, 0.20f, 1},
     {0.10f, 0.11f, 0.13f, 0.88f},
     {0.35f, 0.36f, 0.40f, 1},
     /* a light rim keeps dark-purple markers visible on a dark ground */
     {0.80f, 0.81f, 0.84f, 0.45f}},
};

const hv_theme *hv_theme_get(hv_theme_id id) { return &k_themes[id == HV_THEME_DARK ? 1 : 0]; }

int hv_theme_parse(const char *s)
{
    if (strcasecmp(s, "light") == 0)
        return HV_THEME_LIGHT;
    if (strcasecmp(s, "dark") == 0)
        return HV_THEME_DARK;
    return -1;
}

/* ---- prepare ----------------------------------------------------------- */

static void fill_tickset(hv_tickset *ts, const double *v, int n, double step)
{
    ts->n = n;
    for (int i = 0; i < n; i++) {
        ts->v[i] = v[i];
        hv_format_tick(v[i], step, ts->label[i], HV_LABEL_MAX);
    }
}

static void make_ticks(hv_tickset *ts, const hv_ticks *spec, double lo, double hi, int target)
{
    double v[HV_MAX_TICKS];
    if (spec && spec->set) {
        int n = hv_ticks_spec(spec, lo, hi, v, HV_MAX_TICKS);
        fill_tickset(ts, v, n, spec->step);
        return;
    }
    double step = hv_nice_step(lo, hi, target);
    int n = hv_ticks_step(lo, hi, step, v, HV_MAX_TICKS);
    fill_tickset(ts, v, n, step);
}

/* Layer/head are integer indices: default ticks use integer steps. */
static void make_index_ticks(hv_tickset *ts, const hv_ticks *spec, double lo, double hi)
{
    if (spec->set) {
        make_ticks(ts, spec, lo, hi, 0);
        return;
    }
    /* whole steps of 1, 2 or 5 x 10^n: a layer or head is a whole number */
    double raw = (hi - lo) / 15.0, mag = pow(10.0, floor(log10(raw > 1 ? raw : 1)));
    double f = raw / mag;
    double step = (f <= 1.5 ? 1 : f <= 3.5 ? 2 : f <= 7.5 ? 5 : 10) * mag;
    if (!(step >= 1))
        step = 1;
    double v[HV_MAX_TICKS];
    /* indices are >= 0: no tick on the air below 0 */
    int n = hv_ticks_step(lo < 0 ? 0 : lo, hi, step, v, HV_MAX_TICKS);
    fill_tickset(ts, v, n, step);
}

bool hv_figure_prepare(hv_figure *fig, const hv_dataset *ds, const hv_spec *spec, hv_error *err)
{
    memset(fig, 0, sizeof *fig);
    fig->ds = ds;
    fig->spec = spec;
    fig->cmap = hv_colormap_find(spec->colormap);
    if (!fig->cmap)
        return hv_errorf(err, "unknown colormap \"%s\" (known: %s)", spec->colormap,
                         hv_colormap_names());
    fig->cmap_index = hv_colormap_index(fig->cmap);

    int max_layer = hv_dataset_max_layer(ds), max_head = hv_dataset_max_head(ds);
    /* default limits: one unit of air around 0..max, so every marker is inside */
    fig->xlo = spec->xlim.set ? spec->xlim.lo : -1.0;
    fig->xhi = spec->xlim.set ? spec->xlim.hi : (max_layer < 1 ? 1 : max_layer) + 1.0;
    fig->ylo = spec->ylim.set ? spec->ylim.lo : -1.0;
    fig->yhi = spec->ylim.set ? spec->ylim.hi : (max_head < 1 ? 1 : max_head) + 1.0;
    make_index_ticks(&fig->xticks, &spec->xticks, fig->xlo, fig->xhi);
    make_index_ticks(&fig->yticks, &spec->yticks, fig->ylo, fig->yhi);

    for (int c = 0; c < ds->n_conditions; c++) {
        hv_cond_info *ci = &fig->conds[c];
        const hv_cond_spec *cs = hv_spec_condition(spec, ds->conditions[c]);
        if (cs && cs->range.set) {
            ci->lo = cs->range.lo;
            ci->hi = cs->range.hi;
        } else {
            /* [0, max]; negative scores stretch it below 0 */
            double mn = 0.0, mx = 0.0;
            for (int i = 0; i < ds->n_points; i++)
                if (ds->points[i].condition == c) {
                    mn = fmin(mn, ds->points[i].score);
                    mx = fmax(mx, ds->points[i].score);
                }
            ci->lo = mn;
            ci->hi = mx > mn ? mx : mn + 1.0;
        }
        make_ticks(&ci->ticks, cs ? &cs->ticks : NULL, ci->lo, ci->hi, 6);
        int k = 0;
        for (int m = 0; m < ds->n_models; m++) {
            int cnt = 0;
            for (int i = 0; i < ds->n_points; i++)
                cnt += ds->points[i].condition == c && ds->points[i].model == m;
            if (cnt > k)
                k = cnt;
        }
        const char *tmpl = cs && cs->title[0] ? cs->title : spec->title;
        hv_spec_expand_title(tmpl, ds->conditions[c], k, ci->title, (int)sizeof ci->title);
    }
    for (int m = 0; m < ds->n_models; m++) {
        hv_model_info *mi = &fig->models[m];
        const hv_model_spec *ms = hv_spec_model(spec, ds->models[m]);
        mi->shape = ms && ms->shape >= 0 ? ms->shape : m % HV_SHAPE_COUNT;
        if (ms && ms->color_set) {
            mi->legend_t = -1;
            memcpy(mi->color, ms->color, sizeof mi->color);
        } else {
            /* spread over the colormap: purple first, yellow last */
            mi->legend_t = ds->n_models > 1 ? 0.05f + 0.9f * (float)m / (float)(ds->n_models - 1)
                                            : 0.05f;
        }
        snprintf(mi->label, sizeof mi->label, "%s", ms && ms->label[0] ? ms->label : ds->models[m]);
    }
    return true;
}

float hv_figure_value(double score, double lo, double hi)
{
    if (!(hi > lo))
        return 0.0f;
    double t = (score - lo) / (hi - lo);
    return (float)(t > 1 ? 1 : t >= 0 ? t : 0); /* NaN -> 0 */
}

static int cmp_double(double a, double b) { return (a > b) - (a < b); }

static int cmp_draw_order(const void *pa, const void *pb)
{
    const hv_scene_point *a = pa, *b = pb;
    int c = cmp_double(a->score, b->score);
    if (!c)
        c = (a->model > b->model) - (a->model < b->model);
    if (!c)
        c = cmp_double(a->layer, b->layer);
    if (!c)
        c = cmp_double(a->head, b->head);
    if (!c)
        c = cmp_double(a->alpha, b->alpha);
    if (!c)
        c = cmp_double(a->scale, b->scale);
    return c;
}

void hv_scene_sort(hv_scene_point *pts, int n)
{
    if (n > 1)
        qsort(pts, (size_t)n, sizeof *pts, cmp_draw_order);
}

int hv_figure_side_panels(const hv_figure *fig, hv_panel_state *panels, hv_scene_point *points)
{
    const hv_dataset *ds = fig->ds;
    int np = 0;
    for (int c = 0; c < ds->n_conditions; c++) {
        hv_panel_state *ps = &panels[c];
        memset(ps, 0, sizeof *ps);
        ps->title[0] = fig->conds[c].title;
        ps->title_alpha[0] = 1;
        ps->lo = fig->conds[c].lo;
        ps->hi = fig->conds[c].hi;
        ps->ticks[0] = &fig->conds[c].ticks;
        ps->tick_alpha[0] = 1;
        ps->points = points + np;
        for (int i = 0; i < ds->n_points; i++) {
            const hv_point *p = &ds->points[i];
            if (p->condition != c)
                continue;
            points[np++] = (hv_scene_point){p->layer, p->head, p->score, p->model, 1, 1, i, -1, 0};
            ps->n_points++;
        }
        hv_scene_sort(points + np - ps->n_points, ps->n_points);
        for (int m = 0; m < ds->n_models; m++)
            ps->model_alpha[m] = 1;
    }
    return ds->n_conditions;
}

/* ---- layout & drawing -------------------------------------------------- */

typedef struct ctx {
    const hv_figure *fig;
    const hv_figure_opts *o;
    const hv_theme *th;
    hv_drawlist *dl;
    float s; /* scale: output px per reference px */
    float f_title, f_label, f_tick, f_legend;
    float tick_len, pad, lw, marker;
} ctx;

static void measure(const ctx *c, const char *str, float size, hv_text_metrics *m)
{
    if (c->o->measure) {
        c->o->measure(c->o->measure_user, str, size, m);
        return;
    }
    m->width = 0.55f * size * (float)strlen(str);
    m->ascent = 0.8f * size;
    m->descent = 0.2f * size;
}

static float text_w(const ctx *c, const char *str, float size)
{
    hv_text_metrics m;
    measure(c, str, size, &m);
    return m.width;
}

static float text_h(const ctx *c, float size)
{
    hv_text_metrics m;
    measure(c, "Hg", size, &m);
    return m.ascent + m.descent;
}

static float snap(float v) { return floorf(v + 0.5f); }

/* s, or its longest start (whole UTF-8 characters) with "…" that fits maxw
 * px, into out. Names may be 127 bytes: none may run out of its panel. */
static const char *fit_text(const ctx *c, const char *s, float size, float maxw, char *out, size_t out_size)
{
    if (text_w(c, s, size) <= maxw || out_size < 8)
        return s;
    size_t n = strlen(s), lo = 0, hi = n < out_size - 4 ? n : out_size - 4;
    while (lo < hi) { /* longest prefix that fits, by bisection */
        size_t mid = (lo + hi + 1) / 2;
        while (mid > 0 && ((unsigned char)s[mid] & 0xC0) == 0x80)
            mid--; /* not inside a character */
        snprintf(out, out_size, "%.*s\xe2\x80\xa6", (int)mid, s);
        if (mid > lo && text_w(c, out, size) <= maxw)
            lo = mid;
        else
            hi = mid > lo ? mid - 1 : lo;
    }
    while (lo > 0 && ((unsigned char)s[lo] & 0xC0) == 0x80)
        lo--;
    snprintf(out, out_size, "%.*s\xe2\x80\xa6", (int)lo, s);
    return out;
}

static hv_color with_alpha(hv_color c, float a)
{
    c.a *= a;
    return c;
}

/* A horizontal or vertical line of width lw centred on a pixel row/column. */
static void hline(ctx *c, float x0, float x1, float y, hv_color col)
{
    float w = c->lw;
    hv_dl_rect(c->dl, (hv_rect){snap(x0), snap(y - w * 0.5f), snap(x1) - snap(x0), w}, col);
}

static void vline(ctx *c, float x, float y0, float y1, hv_color col)
{
    float w = c->lw;
    hv_dl_rect(c->dl, (hv_rect){snap(x - w * 0.5f), snap(y0), w, snap(y1) - snap(y0)}, col);
}

static void frame_rect(ctx *c, hv_rect r, hv_color col)
{
    float w = c->lw;
    hv_dl_rect(c->dl, (hv_rect){r.x - w, r.y - w, r.w + 2 * w, w}, col);
    hv_dl_rect(c->dl, (hv_rect){r.x - w, r.y + r.h, r.w + 2 * w, w}, col);
    hv_dl_rect(c->dl, (hv_rect){r.x - w, r.y, w, r.h}, col);
    hv_dl_rect(c->dl, (hv_rect){r.x + r.w, r.y, w, r.h}, col);
}

static float max_label_w(const ctx *c, const hv_tickset *ts, float size)
{
    float w = 0;
    for (int i = 0; i < ts->n; i++) {
        float tw = text_w(c, ts->label[i], size);
        if (tw > w)
            w = tw;
    }
    return w;
}

/* 1, or the smallest k such that every k-th tick label has `need` px. */
static int label_stride(const hv_tickset *ts, const hv_scale *sc, float need)
{
    if (ts->n < 2)
        return 1;
    float spacing = fabsf((float)(hv_scale_map(sc, ts->v[1]) - hv_scale_map(sc, ts->v[0])));
    if (!(spacing > 0))
        return 1;
    int k = (int)ceilf(need / spacing);
    return k < 1 ? 1 : k > ts->n ? ts->n : k;
}

static void draw_marker(ctx *c, float x, float y, float size, int shape, float value,
                        const float *rgb, float alpha)
{
    hv_marker m;
    memset(&m, 0, sizeof m);
    m.x = x;
    m.y = y;
    m.size = size;
    m.shape = (float)shape;
    m.value = value;
    if (rgb)
        m.fill = (hv_color){rgb[0], rgb[1], rgb[2], 1};
    m.alpha = alpha;
    m.outline = c->th->marker_edge;
    /* a thin rim; thinner still on stroked shapes and on small (entering,
     * leaving) markers, so it never outweighs the mark itself */
    float nominal = size / c->marker;
    m.outline_w = fmaxf(0.75f, 1.2f * c->s) * fminf(1.0f, nominal);
    if (shape == HV_SHAPE_X || shape == HV_SHAPE_PLUS)
        m.outline_w *= 0.7f;
    m.stroke_w = fmaxf(1.5f, 0.16f * size);
    hv_dl_marker(c->dl, &m);
}

static bool in_legend(const hv_panel_state *ps, int m)
{
    return ps->legend_mask == 0 || (ps->legend_mask >> m) & 1u;
}

static void draw_legend(ctx *c, const hv_panel_state *ps, hv_panel_layout *pl)
{
    const hv_dataset *ds = c->fig->ds;
    float row_h = fmaxf(c->marker, text_h(c, c->f_legend)) * 1.35f;
    float sw = c->marker * 1.8f; /* swatch column */
    float max_label = pl->plot.w * 0.45f; /* the legend never covers most of the plot */
    float pad = 8 * c->s;
    float lw = 0;
    int rows = 0;
    for (int m = 0; m < ds->n_models; m++) {
        if (!in_legend(ps, m))
            continue;
        char fit[HV_TEXT_MAX + 8];
        float w = text_w(c, fit_text(c, c->fig->models[m].label, c->f_legend, max_label, fit, sizeof fit),
                         c->f_legend);
        if (w > lw)
            lw = w;
        rows++;
    }
    if (!rows)
        return;
    float bw = snap(pad + sw + 4 * c->s + lw + pad);
    float bh = snap(pad * 0.75f * 2 + row_h * (float)rows);
    /* top right, as in the seed, unless another corner hides fewer heads:
     * counted over every condition, so the legend stays put while playing */
    float inset = 8 * c->s, r = c->marker * 0.5f;
    float xs[2] = {pl->plot.x + pl->plot.w - bw - inset, pl->plot.x + inset};
    float ys[2] = {pl->plot.y + inset, pl->plot.y + pl->plot.h - bh - inset};
    static const int order[4][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}}; /* TR, TL, BR, BL */
    hv_rect box = {0, 0, bw, bh};
    int best = -1;
    for (int k = 0; k < 4; k++) {
        hv_rect cand = {snap(xs[order[k][0]]), snap(ys[order[k][1]]), bw, bh};
        int hidden = 0;
        for (int i = 0; i < ds->n_points; i++) {
            const hv_point *pt = &ds->points[i];
            if (!in_legend(ps, pt->model))
                continue;
            float x = (float)hv_scale_map(&pl->sx, pt->layer), y = (float)hv_scale_map(&pl->sy, pt->head);
            hidden += x + r > cand.x && x - r < cand.x + cand.w && y + r > cand.y && y - r < cand.y + cand.h;
        }
        if (best < 0 || hidden < best) {
            best = hidden;
            box = cand;
        }
        if (best == 0)
            break;
    }
    pl->legend = box;
    hv_dl_rect(c->dl, box, c->th->legend_bg);
    frame_rect(c, box, c->th->legend_border);
    int row = 0;
    for (int m = 0; m < ds->n_models; m++) {
        if (!in_legend(ps, m))
            continue;
        const hv_model_info *mi = &c->fig->models[m];
        float a = ps->model_alpha[m];
        float dim = 0.25f + 0.75f * a; /* hidden models stay listed, dimmed */
        float top = box.y + pad * 0.75f + row_h * (float)row;
        float cy = top + row_h * 0.5f;
        float cx = box.x + pad + sw * 0.5f;
        pl->legend_rows[m] = (hv_rect){box.x, top, box.w, row_h};
        draw_marker(c, cx, cy, c->marker, mi->shape, mi->legend_t, mi->color, dim);
        char fit[HV_TEXT_MAX + 8];
        hv_dl_text(c->dl, fit_text(c, mi->label, c->f_legend, max_label, fit, sizeof fit),
                   snap(box.x + pad + sw + 4 * c->s), snap(cy), c->f_legend,
                   with_alpha(c->th->text, dim), HV_ANCHOR_START, HV_ANCHOR_CENTER, 0);
        row++;
    }
}

static bool has_tick(const hv_tickset *ts, double v, double eps)
{
    if (!ts)
        return false;
    for (int i = 0; i < ts->n; i++)
        if (fabs(ts->v[i] - v) <= eps)
            return true;
    return false;
}

/* Two tick sets cross-fade; a value in both stays fully visible and slides
 * with the range, so labels never jump. */
static void draw_colorbar(ctx *c, const hv_panel_state *ps, const hv_panel_layout *pl)
{
    const hv_theme *th = c->th;
    hv_rect cb = pl->colorbar;
    hv_dl_colorbar(c->dl, cb, 0.0f, 1.0f, 1.0f);
    frame_rect(c, cb, th->axis);
    hv_scale sv = {ps->lo, ps->hi, cb.y + cb.h, cb.y};
    double eps = (ps->hi - ps->lo) * 1e-6;
    for (int pass = 0; pass < 2; pass++) /* tick marks, then labels: one batch each */
    for (int k = 0; k < 2; k++) {
        const hv_tickset *ts = ps->ticks[k];
        const hv_tickset *other = ps->ticks[1 - k];
        if (!ts)
            continue;
        for (int i = 0; i < ts->n; i++) {
            double v = ts->v[i];
            float a = ps->tick_alpha[k];
            if (has_tick(other, v, eps)) {
                if (ps->tick_alpha[1 - k] > a || (ps->tick_alpha[1 - k] == a && k == 1))
                    continue; /* drawn once, from the more visible set */
                a = 1.0f;
            }
            if (a <= 0 || v < ps->lo - eps || v > ps->hi + eps)
                continue;
            float y = (float)hv_scale_map(&sv, v);
            if (pass == 0)
                hline(c, cb.x + cb.w + c->lw, cb.x + cb.w + c->lw + c->tick_len, y, with_alpha(th->axis, a));
            else
                hv_dl_text(c->dl, ts->label[i], snap(cb.x + cb.w + c->lw + c->tick_len + c->pad), snap(y),
                           c->f_tick, with_alpha(th->text, a), HV_ANCHOR_START, HV_ANCHOR_CENTER, 0);
        }
    }
}

/* Two titles cross-fade. Their common leading words stay put at full
 * opacity; only the differing ends fade, and the whole line re-centres
 * smoothly, so "Top 10 Safety Heads on" never flickers. */
static void draw_titles(ctx *c, const hv_panel_state *ps, float cx, float y, float maxw)
{
    char f0[HV_TEXT_MAX + 8], f1[HV_TEXT_MAX + 8];
    const char *t0 = ps->title[0] ? fit_text(c, ps->title[0], c->f_title, maxw, f0, sizeof f0) : NULL;
    const char *t1 = ps->title[1] ? fit_text(c, ps->title[1], c->f_title, maxw, f1, sizeof f1) : NULL;
    float a0 = t0 ? ps->title_alpha[0] : 0, a1 = t1 ? ps->title_alpha[1] : 0;
    if (!t0 || !t1 || a0 <= 0 || a1 <= 0) {
        const char *t = a1 > a0 ? t1 : t0;
        if (t)
            hv_dl_text(c->dl, t, snap(cx), snap(y), c->f_title, with_alpha(c->th->text, fmaxf(a0, a1)),
                       HV_ANCHOR_CENTER, HV_ANCHOR_END, 0);
        return;
    }
    size_t L = 0, i = 0;
    while (t0[i] && t0[i] == t1[i]) {
        if (t0[i] == ' ')
            L = i + 1; /* split after a space: whole words */
        i++;
    }
    char prefix[HV_TEXT_MAX];
    snprintf(prefix, sizeof prefix, "%.*s", (int)L, t0);
    float wp = L ? text_w(c, prefix, c->f_title) : 0;
    float w0 = text_w(c, t0 + L, c->f_title), w1 = text_w(c, t1 + L, c->f_title);
    float mix = a1 / (a0 + a1);
    float x0 = cx - (wp + w0 * (1 - mix) + w1 * mix) * 0.5f;
    if (L)
        hv_dl_text(c->dl, prefix, snap(x0), snap(y), c->f_title, c->th->text, HV_ANCHOR_START, HV_ANCHOR_END, 0);
    /* the old ending rises out, the new one rises in: never on top of each other */
    float rise = text_h(c, c->f_title) * 0.55f;
    hv_dl_text(c->dl, t0 + L, snap(x0 + wp), snap(y - rise * mix), c->f_title, with_alpha(c->th->text, a0 * a0),
               HV_ANCHOR_START, HV_ANCHOR_END, 0);
    hv_dl_text(c->dl, t1 + L, snap(x0 + wp), snap(y + rise * (1 - mix)), c->f_title, with_alpha(c->th->text, a1 * a1),
               HV_ANCHOR_START, HV_ANCHOR_END, 0);
}

void hv_figure_build(const hv_figure *fig, const hv_figure_opts *o, const hv_panel_state *panels,
                     int n_panels, hv_drawlist *dl, hv_figure_layout *layout)
{
    ctx c = {0};
    c.fig = fig;
    c.o = o;
    c.th = hv_theme_get(o->theme);
    c.dl = dl;
    float W = (float)o->width, H = (float)o->height - fmaxf(0.0f, o->reserve_bottom);
    c.s = fminf(W / 1920.0f, H / 1080.0f);
    float margin_x = 24 * c.s, margin_top = 18 * c.s, margin_bottom = 14 * c.s;
    float gap = 56 * c.s, vgap = 30 * c.s;
    /* up to four panels side by side (the seed's composition); more go in a
     * grid whose cells are closest to that shape, so 16 conditions stay
     * legible instead of shrinking to slivers */
    int cols = n_panels > 0 ? n_panels : 1, rows = 1;
    if (n_panels > 4) {
        float best = 1e30f;
        for (int cc = 1; cc <= n_panels; cc++) {
            int rr = (n_panels + cc - 1) / cc;
            float cw = (W - 2 * margin_x - gap * (float)(cc - 1)) / (float)cc;
            float ch = (H - margin_top - margin_bottom - vgap * (float)(rr - 1)) / (float)rr;
            float score = fabsf(logf(fmaxf(cw, 1) / fmaxf(ch, 1) / 0.85f));
            if (score < best) {
                best = score;
                cols = cc;
                rows = rr;
            }
        }
    }
    float col_w = (W - 2 * margin_x - gap * (float)(cols - 1)) / (float)cols;
    float row_h = (H - margin_top - margin_bottom - vgap * (float)(rows - 1)) / (float)rows;
    /* text and markers follow the cell: a grid of small panels gets smaller
     * type (the reference cell is one of the seed's two at 1920x1080) */
    float st = c.s * fmaxf(0.45f, fminf(1.0f, fminf(col_w / (908 * c.s), row_h / (1048 * c.s))));
    /* text never below a legible size: small windows give the plot less
     * room instead */
    c.f_title = fmaxf(22 * st, 11);
    c.f_label = fmaxf(18 * st, 10);
    c.f_tick = fmaxf(15 * st, 9);
    c.f_legend = fmaxf(15 * st, 9);
    c.tick_len = snap(6 * st);
    c.pad = 5 * st;
    c.lw = fmaxf(1.0f, snap(1.25f * c.s));
    c.marker = 16 * st * (float)fig->spec->marker_scale;

    hv_color clear = c.th->bg;
    if (o->transparent)
        clear = (hv_color){0, 0, 0, 0};
    hv_drawlist_reset(dl, o->width, o->height, clear);
    dl->colormap_index = fig->cmap_index;
    if (n_panels <= 0)
        return;

    /* Measure once for all panels and all conditions, so the layout does not
     * jump while titles or colorbar ticks change during an animation. */
    const hv_dataset *ds = fig->ds;
    float ytick_w = max_label_w(&c, &fig->yticks, c.f_tick);
    float cb_tick_w = 0;
    for (int k = 0; k < ds->n_conditions; k++) {
        float w = max_label_w(&c, &fig->conds[k].ticks, c.f_tick);
        if (w > cb_tick_w)
            cb_tick_w = w;
    }
    const hv_spec *spec = fig->spec;
    float h_title = text_h(&c, c.f_title), h_label = text_h(&c, c.f_label), h_tick = text_h(&c, c.f_tick);
    float left = h_label + 10 * st + ytick_w + c.pad + c.tick_len;
    float cb_gap = 22 * st, cb_w = snap(22 * st);
    float right = cb_gap + cb_w + c.tick_len + c.pad + cb_tick_w + 12 * st + h_label;
    float top = h_title + 14 * st;
    float bottom = c.tick_len + c.pad + h_tick + 8 * st + h_label;

    if (layout) {
        memset(layout, 0, sizeof *layout);
        layout->n_panels = n_panels;
        layout->scale = c.s;
        layout->marker_size = c.marker;
    }

    for (int p = 0; p < n_panels; p++) {
        const hv_panel_state *ps = &panels[p];
        hv_panel_layout pl;
        memset(&pl, 0, sizeof pl);
        float x0 = margin_x + (col_w + gap) * (float)(p % cols);
        float y0 = margin_top + (row_h + vgap) * (float)(p / cols);
        float px = snap(x0 + left), py = snap(y0 + top);
        float pw = snap(x0 + col_w - right) - px, ph = snap(y0 + row_h - bottom) - py;
        if (pw < 4 || ph < 4)
            continue; /* too small to draw anything useful */
        pl.plot = (hv_rect){px, py, pw, ph};
        pl.colorbar = (hv_rect){snap(px + pw + cb_gap), py, cb_w, ph};
        pl.sx = (hv_scale){fig->xlo, fig->xhi, px, px + pw};
        pl.sy = (hv_scale){fig->ylo, fig->yhi, py + ph, py};
        const hv_theme *th = c.th;

        /* plot background (only where it differs from the ground) and grid */
        if (memcmp(&th->plot_bg, &clear, sizeof clear) != 0)
            hv_dl_rect(dl, pl.plot, th->plot_bg);
        for (int i = 0; i < fig->xticks.n; i++)
            vline(&c, (float)hv_scale_map(&pl.sx, fig->xticks.v[i]), py, py + ph, th->grid);
        for (int i = 0; i < fig->yticks.n; i++)
            hline(&c, px, px + pw, (float)hv_scale_map(&pl.sy, fig->yticks.v[i]), th->grid);

        /* markers, clipped to the plot area */
        hv_dl_clip(dl, &pl.plot);
        for (int i = 0; i < ps->n_points; i++) {
            const hv_scene_point *sp = &ps->points[i];
            const hv_model_info *mi = &fig->models[sp->model];
            float a = sp->alpha * ps->model_alpha[sp->model];
            float mx = (float)hv_scale_map(&pl.sx, sp->layer), my = (float)hv_scale_map(&pl.sy, sp->head);
            if (sp->flags & (HV_POINT_HIGHLIGHT | HV_POINT_HOVER)) {
                /* a ring in the text colour: fill transparent, outline only */
                hv_marker ring;
                memset(&ring, 0, sizeof ring);
                ring.x = mx;
                ring.y = my;
                ring.size = c.marker * 1.9f;
                ring.shape = HV_SHAPE_CIRCLE;
                ring.value = -1;
                ring.alpha = a;
                ring.outline = th->text;
                ring.outline_w = fmaxf(1.5f, 2.0f * c.s);
                hv_dl_marker(dl, &ring);
            }
            draw_marker(&c, mx, my, c.marker * sp->scale, mi->shape, hv_figure_value(sp->score, ps->lo, ps->hi),
                        NULL, a);
        }
        hv_dl_clip(dl, NULL);

        /* frame, ticks, tick labels: all lines first, then all text, so the
         * backend draws each kind in one batch */
        frame_rect(&c, pl.plot, th->axis);
        for (int i = 0; i < fig->xticks.n; i++)
            vline(&c, (float)hv_scale_map(&pl.sx, fig->xticks.v[i]), py + ph + c.lw, py + ph + c.lw + c.tick_len,
                  th->axis);
        for (int i = 0; i < fig->yticks.n; i++)
            hline(&c, px - c.lw - c.tick_len, px - c.lw, (float)hv_scale_map(&pl.sy, fig->yticks.v[i]), th->axis);
        /* where labels would touch, label every k-th tick only */
        int kx = label_stride(&fig->xticks, &pl.sx, max_label_w(&c, &fig->xticks, c.f_tick) + 6 * st);
        int ky = label_stride(&fig->yticks, &pl.sy, h_tick + 2 * st);
        for (int i = 0; i < fig->xticks.n; i += kx)
            hv_dl_text(dl, fig->xticks.label[i], snap((float)hv_scale_map(&pl.sx, fig->xticks.v[i])),
                       snap(py + ph + c.lw + c.tick_len + c.pad), c.f_tick, th->text, HV_ANCHOR_CENTER,
                       HV_ANCHOR_START, 0);
        for (int i = 0; i < fig->yticks.n; i += ky)
            hv_dl_text(dl, fig->yticks.label[i], snap(px - c.lw - c.tick_len - c.pad),
                       snap((float)hv_scale_map(&pl.sy, fig->yticks.v[i])), c.f_tick, th->text, HV_ANCHOR_END,
                       HV_ANCHOR_CENTER, 0);
        /* axis labels */
        char fit[HV_TEXT_MAX + 8];
        hv_dl_text(dl, fit_text(&c, spec->xlabel, c.f_label, pw, fit, sizeof fit), snap(px + pw * 0.5f),
                   snap(y0 + row_h), c.f_label, th->text,
                   HV_ANCHOR_CENTER, HV_ANCHOR_END, 0);
        hv_dl_text(dl, fit_text(&c, spec->ylabel, c.f_label, ph, fit, sizeof fit), snap(x0), snap(py + ph * 0.5f),
                   c.f_label, th->text, HV_ANCHOR_CENTER,
                   HV_ANCHOR_START, 90);
        /* centred on the plot, kept within the panel's cell */
        float tcx = px + pw * 0.5f;
        draw_titles(&c, ps, tcx, py - 14 * c.s, 2 * fminf(tcx - x0, x0 + col_w - tcx));

        draw_legend(&c, ps, &pl);
        draw_colorbar(&c, ps, &pl);
        hv_dl_text(dl, fit_text(&c, spec->cbar_label, c.f_label, ph, fit, sizeof fit), snap(x0 + col_w),
                   snap(py + ph * 0.5f), c.f_label, th->text,
                   HV_ANCHOR_CENTER, HV_ANCHOR_END, 90);
        if (layout)
            layout->panels[p] = pl;
    }
}

static bool in_rect(hv_rect r, float x, float y) { return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h; }

int hv_figure_hit(const hv_figure_layout *l, const hv_panel_state *panels, int n_panels, float x, float y,
                  int *panel)
{
    int best = -1;
    float best_d2 = 0;
    for (int p = 0; p < n_panels && p < l->n_panels; p++) {
        const hv_panel_layout *pl = &l->panels[p];
        if (!in_rect(pl->plot, x, y))
            continue;
        for (int i = 0; i < panels[p].n_points; i++) {
            const hv_scene_point *sp = &panels[p].points[i];
            if (sp->alpha * panels[p].model_alpha[sp->model] < 0.2f)
                continue;
            float dx = (float)hv_scale_map(&pl->sx, sp->layer) - x;
            float dy = (float)hv_scale_map(&pl->sy, sp->head) - y;
            float r = l->marker_size * sp->scale * 0.5f + 3.0f;
            float d2 = dx * dx + dy * dy;
            if (d2 <= r * r && (best < 0 || d2 < best_d2)) {
                best = i;
                best_d2 = d2;
                *panel = p;
            }
        }
    }
    return best;
}

int hv_figure_hit_legend(const hv_figure_layout *l, float x, float y)
{
    for (int p = 0; p < l->n_panels; p++)
        for (int m = 0; m < HV_MAX_MODELS; m++)
            if (l->panels[p].legend_rows[m].w > 0 && in_rect(l->panels[p].legend_rows[m], x, y))
                return m;
    return -1;
}
