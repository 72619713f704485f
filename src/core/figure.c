#include "figure.h"
#include "layout.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- themes ------------------------------------------------------------ */

static const hv_theme k_themes[2] = {
    /* light: white, as in a paper */
    {.bg = {1, 1, 1, 1},
     .plot_bg = {1, 1, 1, 1},
     .text = {0.10f, 0.10f, 0.10f, 1},
     .axis = {0.15f, 0.15f, 0.15f, 1},
     .grid = {0.92f, 0.92f, 0.92f, 1},
     .legend_bg = {1, 1, 1, 0.88f},
     .legend_border = {0.80f, 0.80f, 0.80f, 1},
     .marker_edge = {1, 1, 1, 1},
     .edge_contrast = {0.22f, 0.22f, 0.24f, 0.85f},
     .swatch = {0.40f, 0.40f, 0.43f, 1},
     .no_score = {0.86f, 0.86f, 0.86f, 1},
     .separator = {1, 1, 1, 0.75f}},
    /* dark: for talks */
    {.bg = {0.071f, 0.078f, 0.094f, 1},
     .plot_bg = {0.071f, 0.078f, 0.094f, 1},
     .text = {0.91f, 0.91f, 0.92f, 1},
     .axis = {0.62f, 0.63f, 0.66f, 1},
     .grid = {0.16f, 0.17f, 0.20f, 1},
     .legend_bg = {0.10f, 0.11f, 0.13f, 0.88f},
     .legend_border = {0.35f, 0.36f, 0.40f, 1},
     /* a light rim keeps dark-purple markers visible on a dark ground */
     .marker_edge = {0.80f, 0.81f, 0.84f, 0.45f},
     .edge_contrast = {0.85f, 0.86f, 0.89f, 0.9f},
     .swatch = {0.74f, 0.75f, 0.78f, 1},
     .no_score = {0.20f, 0.21f, 0.24f, 1},
     .separator = {0.62f, 0.63f, 0.66f, 0.55f}},
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

static const char *const k_contexts[] = {"paper", "notebook", "talk", "poster"};
static const float k_context_scale[] = {0.8f, 1.0f, 1.5f, 2.0f};

int hv_context_parse(const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcasecmp(s, k_contexts[i]) == 0)
            return i;
    return -1;
}
const char *hv_context_name(int c) { return c >= 0 && c < 4 ? k_contexts[c] : "?"; }
float hv_context_scale(int c) { return c >= 0 && c < 4 ? k_context_scale[c] : 1.0f; }

static const char *const k_legends[HV_LEGEND_COUNT] = {"auto",       "outside",    "upper right", "upper left",
                                                       "lower right", "lower left", "none"};

int hv_legend_parse(const char *s)
{
    for (int i = 0; i < HV_LEGEND_COUNT; i++)
        if (strcasecmp(s, k_legends[i]) == 0)
            return i;
    /* "upper-right", "upper_right" too */
    char buf[32];
    size_t n = strlen(s);
    if (n >= sizeof buf)
        return -1;
    for (size_t i = 0; i <= n; i++)
        buf[i] = s[i] == '-' || s[i] == '_' ? ' ' : s[i];
    for (int i = 0; i < HV_LEGEND_COUNT; i++)
        if (strcasecmp(buf, k_legends[i]) == 0)
            return i;
    return -1;
}
const char *hv_legend_name(int m) { return m >= 0 && m < HV_LEGEND_COUNT ? k_legends[m] : "?"; }

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

/* The axes over layers 0..max_layer and heads 0..max_head: one unit of air
 * around them, so every marker is inside, unless the spec fixes limits. */
static void make_axes(hv_axes *ax, const hv_spec *spec, int max_layer, int max_head)
{
    ax->xlo = spec->xlim.set ? spec->xlim.lo : -1.0;
    ax->xhi = spec->xlim.set ? spec->xlim.hi : (max_layer < 1 ? 1 : max_layer) + 1.0;
    ax->ylo = spec->ylim.set ? spec->ylim.lo : -1.0;
    ax->yhi = spec->ylim.set ? spec->ylim.hi : (max_head < 1 ? 1 : max_head) + 1.0;
    make_index_ticks(&ax->xticks, &spec->xticks, ax->xlo, ax->xhi);
    make_index_ticks(&ax->yticks, &spec->yticks, ax->ylo, ax->yhi);
}

void hv_axes_for_grid(hv_axes *ax, const hv_spec *spec, int layers, int heads)
{
    ax->xlo = -0.5;
    ax->xhi = (layers < 1 ? 1 : layers) - 0.5;
    ax->ylo = -0.5;
    ax->yhi = (heads < 1 ? 1 : heads) - 0.5;
    make_index_ticks(&ax->xticks, &spec->xticks, ax->xlo, ax->xhi);
    make_index_ticks(&ax->yticks, &spec->yticks, ax->ylo, ax->yhi);
}

static const double k_rungs[4] = {1, 2, 2.5, 5};

/* The nice step of ladder index i: ..., 1, 2, 2.5, 5, 10, 20, ... */
static double rung_step(int i)
{
    int e = i >= 0 ? i / 4 : -((-i + 3) / 4);
    return k_rungs[i - 4 * e] * pow(10.0, e);
}

/* The ladder index whose step is nearest raw (in ratio). raw is clamped to
 * 1e-300..1e300: a degenerate or overflowed ratio (0, inf, NaN) still gives
 * a rung, and every rung's step stays a finite, positive double. */
static int rung_index(double raw)
{
    raw = raw > 1e-300 ? (raw < 1e300 ? raw : 1e300) : 1e-300; /* NaN too: the low end */
    int e = (int)floor(log10(raw));
    int best = 4 * e;
    for (int i = 4 * e - 1; i <= 4 * e + 4; i++)
        if (fabs(log(rung_step(i) / raw)) < fabs(log(rung_step(best) / raw)))
            best = i;
    return best;
}

/* How many multiples of step lie in lo..hi: a double, since a fine step
 * over a wide range numbers more than an int holds. */
static double count_in(double lo, double hi, double step)
{
    double eps = step * 1e-9;
    return floor((hi + eps) / step) - ceil((lo - eps) / step) + 1;
}

/* rung_index starts within 1e-300..1e300, four rungs a decade: no walk
 * below needs more steps than this (a bound, not a tuning). */
#define RUNG_WALK_MAX (4 * 610)

void hv_figure_nice_ticks(double lo, double hi, float target, float bar_px, float label_px, hv_tickset *out)
{
    out->n = 0;
    if (!(hi > lo) || !isfinite(lo) || !isfinite(hi))
        return;
    double span = hi - lo;
    if (!isfinite(span))
        return;
    /* about target intervals, but never more than a tick set holds (a spec's
     * fine ticks over a wide range ask for billions) */
    float tg = target > 0.5f ? (target < HV_MAX_TICKS - 1 ? target : HV_MAX_TICKS - 1) : 5.0f;
    int i = rung_index(span / tg);
    /* each walk is bounded: the rungs are finite, and so is the patience */
    for (int w = 0; w < RUNG_WALK_MAX && count_in(lo, hi, rung_step(i)) > HV_MAX_TICKS - 1; w++)
        i++;
    for (int w = 0; w < RUNG_WALK_MAX && count_in(lo, hi, rung_step(i)) < 3; w++)
        i--; /* at least three ticks in range */
    /* labels never touch: coarser while there are more than three */
    for (int w = 0; w < RUNG_WALK_MAX && bar_px > 0 && count_in(lo, hi, rung_step(i + 1)) >= 3 &&
                    rung_step(i) / span * bar_px < 1.25f * label_px;
         w++)
        i++;
    double step = rung_step(i), v[HV_MAX_TICKS];
    int n = hv_ticks_step(lo, hi, step, v, HV_MAX_TICKS);
    fill_tickset(out, v, n, step);
}

/* Intervals of a tick set (for the frames between two). */
float hv_figure_tick_intervals(const hv_cond_info *ci)
{
    if (ci->ticks.n >= 2) {
        /* a spec's ticks may be far finer than the range (ticks 0..70 by 10
         * over a range of 1e12): at most a full tick set's intervals */
        double n = (ci->hi - ci->lo) / (ci->ticks.v[1] - ci->ticks.v[0]);
        return n >= 1 ? (n < HV_MAX_TICKS - 1 ? (float)n : HV_MAX_TICKS - 1) : 1.0f;
    }
    return 5.0f;
}

/* Keeps the longest colorbar labels of every frame between two
 * conditions, so the layout reserves their width once and never jumps. */
static void note_widest(hv_figure *fig, const hv_tickset *ts)
{
    for (int i = 0; i < ts->n; i++) {
        const char *l = ts->label[i];
        size_t n = strlen(l);
        int k = 0;
        for (; k < fig->n_cbar_widest; k++)
            if (strcmp(fig->cbar_widest[k], l) == 0)
                break;
        if (k < fig->n_cbar_widest)
            continue;
        if (fig->n_cbar_widest < 4) {
            snprintf(fig->cbar_widest[fig->n_cbar_widest++], HV_LABEL_MAX, "%s", l);
            continue;
        }
        int shortest = 0;
        for (k = 1; k < 4; k++)
            if (strlen(fig->cbar_widest[k]) < strlen(fig->cbar_widest[shortest]))
                shortest = k;
        if (n > strlen(fig->cbar_widest[shortest]))
            snprintf(fig->cbar_widest[shortest], HV_LABEL_MAX, "%s", l);
    }
}

static void note_transition_labels(hv_figure *fig, const hv_cond_info *A, const hv_cond_info *B)
{
    hv_tickset ts;
    for (int k = 0; k <= 32; k++) {
        double t = k / 32.0;
        double lo = A->lo + (B->lo - A->lo) * t, hi = A->hi + (B->hi - A->hi) * t;
        float target = hv_figure_tick_intervals(A) + (hv_figure_tick_intervals(B) - hv_figure_tick_intervals(A)) * (float)t;
        /* the bar's height is not known yet: the finest and coarsest steps
         * the frame may pick */
        hv_figure_nice_ticks(lo, hi, target, 0, 0, &ts);
        note_widest(fig, &ts);
        hv_figure_nice_ticks(lo, hi, 3, 0, 0, &ts);
        note_widest(fig, &ts);
    }
}

void hv_figure_free(hv_figure *fig)
{
    free(fig->outside);
    fig->outside = NULL;
    free(fig->side);
    fig->side = NULL;
}

bool hv_figure_prepare(hv_figure *fig, const hv_dataset *ds, const hv_spec *spec, hv_error *err)
{
    memset(fig, 0, sizeof *fig);
    fig->ds = ds;
    fig->all = ds;
    fig->spec = spec;
    fig->first_outside = -1;
    fig->cmap = hv_colormap_find(spec->colormap);
    if (!fig->cmap)
        return hv_errorf(err, "unknown colormap \"%s\" (known: %s)", spec->colormap,
                         hv_colormap_names());
    /* signed scores (some shown below 0) get a diverging colormap, centred
     * on `center`, in every layout, unless the spec or --colormap chose one */
    bool negative = false;
    for (int i = 0; i < ds->n_points; i++)
        negative |= ds->points[i].score < 0;
    if (negative && !fig->cmap->diverging && !spec->colormap_set)
        fig->cmap = hv_colormap_find("RdBu_r");
    fig->cmap_index = hv_colormap_index(fig->cmap);

    /* the axes span each model's whole grid (every head a file scored, or
     * the largest layer and head of its rows), not only the heads shown */
    int all_l = hv_dataset_max_layer(ds), all_h = hv_dataset_max_head(ds);
    for (int m = 0; m < ds->n_models; m++) {
        all_l = ds->layers[m] - 1 > all_l ? ds->layers[m] - 1 : all_l;
        all_h = ds->heads[m] - 1 > all_h ? ds->heads[m] - 1 : all_h;
    }
    make_axes(&fig->axes, spec, all_l, all_h);
    for (int m = 0; m < ds->n_models; m++) {
        int ml = ds->layers[m] - 1, mh = ds->heads[m] - 1;
        for (int i = 0; i < ds->n_points; i++)
            if (ds->points[i].model == m) {
                ml = ds->points[i].layer > ml ? ds->points[i].layer : ml;
                mh = ds->points[i].head > mh ? ds->points[i].head : mh;
            }
        if (spec->share_axes)
            fig->models[m].axes = fig->axes;
        else
            make_axes(&fig->models[m].axes, spec, ml, mh);
    }

    /* points outside explicit limits are not drawn, and reported */
    if (spec->xlim.set || spec->ylim.set) {
        const hv_axes *ax = &fig->axes;
        for (int i = 0; i < ds->n_points; i++) {
            const hv_point *p = &ds->points[i];
            if (p->layer >= ax->xlo && p->layer <= ax->xhi && p->head >= ax->ylo && p->head <= ax->yhi)
                continue;
            if (!fig->outside) {
                fig->outside = calloc((size_t)ds->n_points, 1);
                if (!fig->outside)
                    return hv_errorf(err, "out of memory");
                fig->first_outside = i;
            }
            fig->outside[i] = 1;
            fig->n_outside++;
        }
    }

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
            if (fig->cmap->diverging) { /* symmetric around the centre, as the heatmap's */
                double ctr = spec->center_set ? spec->center : 0, r = fmax(fabs(mx - ctr), fabs(mn - ctr));
                if (!(r > 0))
                    r = 1;
                ci->lo = ctr - r;
                ci->hi = ctr + r;
            }
        }
        make_ticks(&ci->ticks, cs ? &cs->ticks : NULL, ci->lo, ci->hi, 6);
        note_widest(fig, &ci->ticks);
        int k = 0;
        for (int m = 0; m < ds->n_models; m++) {
            int cnt = 0;
            for (int i = 0; i < ds->n_points; i++)
                cnt += ds->points[i].condition == c && ds->points[i].model == m;
            if (cnt > k)
                k = cnt;
        }
        ci->k = k;
        ci->tmpl = cs && cs->title[0] ? cs->title : spec->title;
        /* ({model} over a panel of every model: their names) */
        char names[HV_TEXT_MAX] = "";
        for (int m = 0, o = 0; m < ds->n_models && o < (int)sizeof names - 1; m++) {
            const hv_model_spec *ms = hv_spec_model(spec, ds->models[m]);
            o += snprintf(names + o, sizeof names - (size_t)o, "%s%s", m ? ", " : "",
                          ms && ms->label[0] ? ms->label : ds->models[m]);
        }
        hv_spec_expand_title(ci->tmpl, names, ds->conditions[c], k, ci->title, (int)sizeof ci->title);
    }
    for (int c = 0; c < ds->n_conditions; c++)
        note_transition_labels(fig, &fig->conds[c], &fig->conds[(c + 1) % ds->n_conditions]);
    /* the most points a panel shows: a condition's (the side layout), or
     * two conditions' (a transition) */
    int per_cond[HV_MAX_CONDITIONS] = {0};
    for (int i = 0; i < ds->n_points; i++)
        per_cond[ds->points[i].condition]++;
    for (int c = 0; c < ds->n_conditions; c++)
        fig->max_points = per_cond[c] + per_cond[(c + 1) % ds->n_conditions] > fig->max_points
                              ? per_cond[c] + per_cond[(c + 1) % ds->n_conditions]
                              : fig->max_points;
    for (int m = 0; m < ds->n_models; m++) {
        hv_model_info *mi = &fig->models[m];
        const hv_model_spec *ms = hv_spec_model(spec, ds->models[m]);
        mi->shape = ms && ms->shape >= 0 ? ms->shape : m % HV_SHAPE_COUNT;
        /* colour encodes the score: a legend swatch is neutral unless the
         * spec gives a colour */
        mi->color_set = ms && ms->color_set;
        if (mi->color_set)
            memcpy(mi->color, ms->color, sizeof mi->color);
        snprintf(mi->label, sizeof mi->label, "%s", ms && ms->label[0] ? ms->label : ds->models[m]);
    }
    /* the side layout's points, each condition's in draw order, sorted once
     * (frames copy them) */
    fig->side = malloc(((size_t)ds->n_points + 1) * sizeof *fig->side);
    if (!fig->side)
        return hv_errorf(err, "out of memory");
    int np = 0;
    for (int c = 0; c < ds->n_conditions; c++) {
        fig->side_start[c] = np;
        for (int i = 0; i < ds->n_points; i++) {
            const hv_point *p = &ds->points[i];
            if (p->condition == c && !(fig->outside && fig->outside[i]))
                fig->side[np++] = (hv_scene_point){p->layer, p->head, p->score, p->model, 1, 1, i, -1, 0};
        }
        hv_scene_sort(fig->side + fig->side_start[c], np - fig->side_start[c]);
    }
    fig->side_start[ds->n_conditions] = np;
    return true;
}

void hv_figure_outside_message(const hv_figure *fig, const char *data_name, char *out, int size)
{
    out[0] = '\0';
    if (fig->n_outside <= 0 || fig->first_outside < 0)
        return;
    const hv_point *p = &fig->ds->points[fig->first_outside];
    const hv_axes *ax = &fig->axes;
    char where[64] = "";
    if (p->line > 0)
        snprintf(where, sizeof where, ":%d", p->line);
    snprintf(out, (size_t)size,
             "%d point%s outside the axes (xlim %g, %g; ylim %g, %g) %s not drawn; the first: %s%s (%s, %s, layer %d, head %d)",
             fig->n_outside, fig->n_outside == 1 ? " lies" : "s lie", ax->xlo, ax->xhi, ax->ylo, ax->yhi,
             fig->n_outside == 1 ? "and is" : "and are", data_name, where, fig->ds->models[p->model],
             fig->ds->conditions[p->condition], p->layer, p->head);
}

float hv_figure_value(double score, double lo, double hi)
{
    if (!(hi > lo))
        return 0.0f;
    double t = (score - lo) / (hi - lo);
    return (float)(t > 1 ? 1 : t >= 0 ? t : 0); /* NaN -> 0 */
}

/* NaN before every number (a total order, as hv_scene_sort's keys) */
static int cmp_double(double a, double b)
{
    if (a != a || b != b)
        return (b != b) - (a != a);
    return (a > b) - (a < b);
}

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

/* A key whose unsigned order is the scores' numeric order: -0 as 0, NaN
 * first. */
static uint64_t score_key(double d)
{
    if (d == 0)
        d = 0; /* -0.0 ties with 0.0, as in cmp_double */
    if (d != d)
        return 0;
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b >> 63 ? ~b : b | (1ull << 63);
}

typedef struct keyed {
    uint64_t key;
    int idx;
} keyed;

void hv_scene_sort(hv_scene_point *pts, int n) { hv_scene_sort_with(pts, n, NULL); }

void hv_sort_scratch_free(hv_sort_scratch *s)
{
    free(s->buf);
    s->buf = NULL;
    s->cap = 0;
}

void hv_scene_sort_with(hv_scene_point *pts, int n, hv_sort_scratch *scratch)
{
    if (n < 2)
        return;
    /* large frames (a 100,000-head grid): sort small (key, index) pairs by
     * score with a radix sort, runs of equal scores by the whole order, then
     * move the points once; qsort on the points themselves spends most of a
     * frame comparing and copying 56-byte records */
    size_t need = 2 * (size_t)n * sizeof(keyed) + (size_t)n * sizeof(hv_scene_point);
    void *mem = NULL;
    if (n >= 2048 && scratch) { /* kept between frames: no malloc, no page faults */
        if (scratch->cap < need) {
            void *nb = realloc(scratch->buf, need);
            if (nb) {
                scratch->buf = nb;
                scratch->cap = need;
            }
        }
        mem = scratch->cap >= need ? scratch->buf : NULL;
    } else if (n >= 2048) {
        mem = malloc(need);
    }
    keyed *k = mem;
    hv_scene_point *tmp = k ? (hv_scene_point *)(k + 2 * (size_t)n) : NULL;
    if (!tmp) {
        qsort(pts, (size_t)n, sizeof *pts, cmp_draw_order);
        return;
    }
    keyed *a = k, *b = k + n;
    for (int i = 0; i < n; i++)
        a[i] = (keyed){score_key(pts[i].score), i};
    for (int shift = 0; shift < 64; shift += 16) {
        static _Thread_local int count[65536];
        memset(count, 0, sizeof count);
        for (int i = 0; i < n; i++)
            count[(a[i].key >> shift) & 0xffff]++;
        if (count[(a[0].key >> shift) & 0xffff] == n)
            continue; /* every key has this digit */
        for (int d = 0, sum = 0; d < 65536; d++) {
            int c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (int i = 0; i < n; i++)
            b[count[(a[i].key >> shift) & 0xffff]++] = a[i];
        keyed *t = a;
        a = b;
        b = t;
    }
    for (int i = 0; i < n; i++)
        tmp[i] = pts[a[i].idx];
    for (int i = 0; i < n;) { /* equal scores: model, layer, head, ... */
        int j = i + 1;
        while (j < n && a[j].key == a[i].key)
            j++;
        if (j - i > 1)
            qsort(tmp + i, (size_t)(j - i), sizeof *tmp, cmp_draw_order);
        i = j;
    }
    memcpy(pts, tmp, (size_t)n * sizeof *pts);
    if (!scratch)
        free(mem);
}

int hv_figure_side_panels(const hv_figure *fig, hv_panel_state *panels, hv_scene_point *points)
{
    const hv_dataset *ds = fig->ds;
    for (int c = 0; c < ds->n_conditions; c++) {
        hv_panel_state *ps = &panels[c];
        memset(ps, 0, sizeof *ps);
        ps->title[0] = fig->conds[c].title;
        ps->title_alpha[0] = 1;
        ps->lo = fig->conds[c].lo;
        ps->hi = fig->conds[c].hi;
        ps->ticks = &fig->conds[c].ticks;
        int first = fig->side_start[c], n = fig->side_start[c + 1] - first;
        ps->points = points + first;
        ps->n_points = n;
        if (n > 0)
            memcpy(points + first, fig->side + first, (size_t)n * sizeof *points);
        for (int m = 0; m < ds->n_models; m++)
            ps->model_alpha[m] = 1;
    }
    return ds->n_conditions;
}

/* ---- occupancy ------------------------------------------------------------ */

void hv_occupancy_init(hv_occupancy *o, const hv_axes *ax)
{
    memset(o->bits, 0, sizeof o->bits);
    o->xlo = ax->xlo;
    o->xhi = ax->xhi;
    o->ylo = ax->ylo;
    o->yhi = ax->yhi;
}

static int occ_bin(double v, double lo, double hi)
{
    double f = (v - lo) / (hi - lo) * HV_OCC_N;
    if (!(f >= 0))
        return 0;
    return f >= HV_OCC_N ? HV_OCC_N - 1 : (int)f;
}

void hv_occupancy_add(hv_occupancy *o, double x, double y)
{
    if (!(o->xhi > o->xlo) || !(o->yhi > o->ylo))
        return;
    o->bits[occ_bin(y, o->ylo, o->yhi)] |= 1ull << occ_bin(x, o->xlo, o->xhi);
}

bool hv_occupancy_any(const hv_occupancy *o, double x0, double x1, double y0, double y1)
{
    if (!(o->xhi > o->xlo) || !(o->yhi > o->ylo))
        return false;
    if (x1 < o->xlo || x0 > o->xhi || y1 < o->ylo || y0 > o->yhi)
        return false;
    int c0 = occ_bin(x0, o->xlo, o->xhi), c1 = occ_bin(x1, o->xlo, o->xhi);
    int r0 = occ_bin(y0, o->ylo, o->yhi), r1 = occ_bin(y1, o->ylo, o->yhi);
    unsigned long long mask = (c1 - c0 + 1 >= 64 ? ~0ull : ((1ull << (c1 - c0 + 1)) - 1)) << c0;
    for (int r = r0; r <= r1; r++)
        if (o->bits[r] & mask)
            return true;
    return false;
}

/* ---- layout & drawing -------------------------------------------------- */

typedef struct ctx {
    const hv_figure *fig;
    const hv_figure_opts *o;
    const hv_theme *th;
    hv_drawlist *dl;
    float s;  /* geometry: output px per reference px */
    float ts; /* type: px per reference px */
    float f_title, f_label, f_tick, f_legend;
    float tick_len, pad, lw, marker;
    float h_title, h_label, h_tick;
    float floor_px; /* the smallest type: 11 px from 640x360 up; thumbnails less */
    float swatch;   /* a legend marker's size: like the type's, whatever the data's */
    const hv_colormap *cmap; /* this frame's */
    hv_color clear;
    const hv_axes *axo; /* the facet grid's axes of the panel being drawn (ticks for its room) */
    float f_header, h_header; /* facet headers: column, row and panel titles */
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
    float k = ceilf(need / spacing); /* ticks a hair apart: more than an int holds */
    return k < 1 ? 1 : k > (float)ts->n ? ts->n : (int)k;
}

/* sRGB relative luminance and the contrast ratio of two colours (WCAG). */
static float luminance(const float *rgb)
{
    float l[3];
    for (int i = 0; i < 3; i++)
        l[i] = rgb[i] <= 0.04045f ? rgb[i] / 12.92f : powf((rgb[i] + 0.055f) / 1.055f, 2.4f);
    return 0.2126f * l[0] + 0.7152f * l[1] + 0.0722f * l[2];
}

static float contrast(const float *a, const float *b)
{
    float la = luminance(a), lb = luminance(b);
    return (fmaxf(la, lb) + 0.05f) / (fminf(la, lb) + 0.05f);
}

static void draw_marker(ctx *c, float x, float y, float size, int shape, float value, const float *rgb,
                        float alpha)
{
    hv_marker m;
    memset(&m, 0, sizeof m);
    m.x = x;
    m.y = y;
    m.size = size;
    m.shape = (float)shape;
    m.value = value;
    float fill[3];
    if (value >= 0)
        hv_colormap_sample(c->cmap, value, fill);
    else
        memcpy(fill, rgb, sizeof fill);
    if (rgb)
        m.fill = (hv_color){rgb[0], rgb[1], rgb[2], 1};
    m.alpha = alpha;
    /* a thin rim; thinner still on stroked shapes and on small (entering,
     * leaving) markers, so it never outweighs the mark itself. A marker
     * whose colour is close to the ground (cream on white, black-purple on
     * the dark theme) gets a contrasting rim, so every colour shows. */
    const float bg[3] = {c->th->bg.r, c->th->bg.g, c->th->bg.b};
    bool faint = contrast(fill, bg) < 1.6f;
    m.outline = faint ? c->th->edge_contrast : c->th->marker_edge;
    float nominal = size / c->marker;
    m.outline_w = fmaxf(0.75f, 1.2f * c->s) * fminf(1.0f, nominal);
    /* and at most a sixth of the marker's size: the dots of a dense grid
     * (25,000 heads a panel) show their colour, not their rims */
    m.outline_w = fminf(m.outline_w, size / 6.0f);
    if (shape == HV_SHAPE_X || shape == HV_SHAPE_PLUS)
        m.outline_w *= faint ? 0.9f : 0.7f;
    m.stroke_w = fmaxf(1.5f, 0.16f * size);
    hv_dl_marker(c->dl, &m);
}

static bool in_legend(const hv_panel_state *ps, int m)
{
    return !ps || ps->legend_mask == 0 || (ps->legend_mask >> m) & 1u;
}

static const float *swatch_rgb(const ctx *c, int m, float *buf)
{
    const hv_model_info *mi = &c->fig->models[m];
    if (mi->color_set)
        return mi->color;
    buf[0] = c->th->swatch.r;
    buf[1] = c->th->swatch.g;
    buf[2] = c->th->swatch.b;
    return buf;
}

/* ---- the plan: sizes and places ---------------------------------------------- */

typedef struct plan {
    int cols, rows;
    float x0, y0, cell_w, cell_h, gap, vgap;
    float left, right, top, bottom; /* each panel's decorations */
    bool rotate_x;                   /* x tick labels would crowd: thinned instead (see draw) */
    /* the figure-wide colorbar (HV_CBAR_FIGURE) */
    float fig_cb_w;
    /* the legend strip (outside) */
    bool legend_strip;
    float strip_h;
    /* colorbar pieces */
    float cb_gap, cb_w, cb_tick_w;
    float legend_row_h, legend_sw;
} plan;

static void set_fonts(ctx *c, float t)
{
    const float fs = c->o->font_scale > 0 ? c->o->font_scale : 1.0f;
    float k = t * fs;
    /* text never below a legible size */
    float f = c->floor_px;
    c->f_title = fmaxf(22 * k, f * 13 / 11);
    c->f_label = fmaxf(18 * k, f * 12 / 11);
    c->f_tick = fmaxf(15 * k, f);
    c->f_legend = fmaxf(15 * k, f);
    c->h_title = text_h(c, c->f_title);
    c->h_label = text_h(c, c->f_label);
    c->h_tick = text_h(c, c->f_tick);
    c->tick_len = snap(fmaxf(6 * t, 3));
    c->pad = fmaxf(5 * t, 3);
}

/* The widest y tick label over every panel's axes. */
static float ytick_width(const ctx *c, const hv_panel_state *panels, int n)
{
    float w = max_label_w(c, &c->fig->axes.yticks, c->f_tick);
    for (int p = 0; p < n; p++)
        if (panels[p].axes)
            w = fmaxf(w, max_label_w(c, &panels[p].axes->yticks, c->f_tick));
    return w;
}

static float cbar_label_width(const ctx *c)
{
    float w = 0;
    for (int k = 0; k < c->fig->n_cbar_widest; k++)
        w = fmaxf(w, text_w(c, c->fig->cbar_widest[k], c->f_tick));
    for (int k = 0; k < c->fig->ds->n_conditions; k++)
        w = fmaxf(w, max_label_w(c, &c->fig->conds[k].ticks, c->f_tick));
    return w;
}

/* Width of one legend entry (swatch, gap, label) in the strip. */
static float strip_entry_w(const ctx *c, const plan *pl, int m, float maxw)
{
    char fit[HV_TEXT_MAX + 8];
    const char *l = fit_text(c, c->fig->models[m].label, c->f_legend, maxw, fit, sizeof fit);
    return pl->legend_sw + 4 * c->ts + text_w(c, l, c->f_legend);
}

/* Rows the outside legend strip needs for the models it lists. */
static int strip_rows(const ctx *c, const plan *pl, unsigned mask, float avail_w)
{
    int rows = 1;
    float x = 0, gapw = 18 * c->ts;
    for (int m = 0; m < c->fig->ds->n_models; m++) {
        if (mask && !((mask >> m) & 1u))
            continue;
        float w = strip_entry_w(c, pl, m, avail_w * 0.9f);
        if (x > 0 && x + gapw + w > avail_w) {
            rows++;
            x = w;
        } else {
            x += (x > 0 ? gapw : 0) + w;
        }
    }
    return rows;
}

/* Computes the decorations and the grid for type scale t; returns the
 * smaller side of the plots (negative when they do not fit). */
static float plan_grid(ctx *c, plan *pl, const hv_panel_state *panels, int n, float W, float H, bool strip)
{
    const hv_frame_desc *d = &c->o->desc;
    float t = c->ts;
    float margin_x = 24 * t, margin_top = 18 * t, margin_bottom = 14 * t;
    pl->gap = 56 * t;
    pl->vgap = 30 * t;
    pl->cb_gap = 22 * t;
    pl->cb_w = snap(22 * t);
    pl->cb_tick_w = cbar_label_width(c);
    float cb_block = pl->cb_gap + pl->cb_w + c->tick_len + c->pad + pl->cb_tick_w + 12 * t + c->h_label;
    pl->left = c->h_label + 10 * t + ytick_width(c, panels, n) + c->pad + c->tick_len;
    pl->right = d->cbar == HV_CBAR_PANEL || d->cbar == HV_CBAR_COLUMN ? cb_block : 12 * t;
    pl->top = c->h_title + 14 * t;
    pl->bottom = c->tick_len + c->pad + c->h_tick + 8 * t + c->h_label;
    pl->fig_cb_w = d->cbar == HV_CBAR_FIGURE ? cb_block : 0;
    c->swatch = fmaxf(0.8f * c->f_legend, fminf(16 * c->s, 1.1f * c->f_legend));
    pl->legend_row_h = fmaxf(c->swatch, text_h(c, c->f_legend)) * 1.35f;
    pl->legend_sw = c->swatch * 1.8f;
    pl->legend_strip = strip;
    float avail_w = W - 2 * margin_x - pl->fig_cb_w;
    pl->strip_h = 0;
    if (strip) {
        unsigned mask = 0;
        int rows = strip_rows(c, pl, mask, avail_w);
        pl->strip_h = pl->legend_row_h * (float)rows + 8 * t * 1.5f + 10 * t;
    }
    float avail_h = H - margin_top - margin_bottom - pl->strip_h;
    pl->x0 = margin_x;
    pl->y0 = margin_top;
    float best = -1e30f;
    int c0 = d->cols > 0 ? (d->cols < n ? d->cols : n) : 1, c1 = d->cols > 0 ? c0 : (n > 0 ? n : 1);
    for (int cc = c0; cc <= c1; cc++) {
        int rr = (n + cc - 1) / cc;
        if (rr < 1)
            rr = 1;
        float cw = (avail_w - pl->gap * (float)(cc - 1)) / (float)cc;
        float ch = (avail_h - pl->vgap * (float)(rr - 1)) / (float)rr;
        float score = fminf(cw - pl->left - pl->right, ch - pl->top - pl->bottom);
        /* the largest plots; among equals the fewer rows */
        if (score > best + 0.5f) {
            best = score;
            pl->cols = cc;
            pl->rows = rr;
            pl->cell_w = cw;
            pl->cell_h = ch;
        }
    }
    return best;
}

/* The widest title any panel may show. */
static float widest_title(const ctx *c, const hv_panel_state *panels, int n)
{
    float w = 0;
    for (int p = 0; p < n; p++)
        for (int k = 0; k < 2; k++)
            if (panels[p].title[k])
                w = fmaxf(w, text_w(c, panels[p].title[k], c->f_title));
    return w;
}

static float title_room(const ctx *c, const plan *pl, float plot_w)
{
    if (c->o->desc.cbar == HV_CBAR_COLUMN && pl->rows > 1)
        return plot_w;
    return plot_w + 2 * fminf(pl->left, pl->right);
}

static void make_plan(ctx *c, plan *pl, const hv_panel_state *panels, int n, float W, float H, bool strip)
{
    /* shrink the type (never below the legible floor) while the plots
     * would be too small to read or a title would not fit its panel */
    for (int iter = 0; iter < 12; iter++) {
        set_fonts(c, c->ts);
        float side = plan_grid(c, pl, panels, n, W, H, strip);
        float need = fmaxf(48.0f, 0.28f * fminf(pl->cell_w, pl->cell_h));
        /* a title is centred on its plot, within the panel's cell (within
         * the plot when a column's colorbar runs past it) */
        float room = title_room(c, pl, pl->cell_w - pl->left - pl->right);
        /* (a physical size keeps its points: a title too long ends in "…") */
        bool titles_fit = c->o->unit > 0 || widest_title(c, panels, n) <= room - 4 * c->ts;
        if ((side >= need && titles_fit) || c->f_tick <= c->floor_px + 0.01f)
            break;
        c->ts *= 0.92f;
    }
}

static hv_rect cell_rect(const plan *pl, int p)
{
    return (hv_rect){pl->x0 + (pl->cell_w + pl->gap) * (float)(p % pl->cols),
                     pl->y0 + (pl->cell_h + pl->vgap) * (float)(p / pl->cols), pl->cell_w, pl->cell_h};
}

static hv_rect plot_rect(const plan *pl, hv_rect cell)
{
    float px = snap(cell.x + pl->left), py = snap(cell.y + pl->top);
    return (hv_rect){px, py, snap(cell.x + cell.w - pl->right) - px, snap(cell.y + cell.h - pl->bottom) - py};
}

/* ---- legend ---------------------------------------------------------------- */

static float legend_label_max(const hv_rect *plot) { return plot->w * 0.45f; }

/* The legend box's size inside a panel. */
static void legend_box_size(const ctx *c, const plan *pl, const hv_panel_state *ps, const hv_rect *plot,
                            float *bw, float *bh, int *rows)
{
    float pad = 8 * c->ts, lw = 0;
    *rows = 0;
    for (int m = 0; m < c->fig->ds->n_models; m++) {
        if (!in_legend(ps, m))
            continue;
        char fit[HV_TEXT_MAX + 8];
        float w = text_w(c, fit_text(c, c->fig->models[m].label, c->f_legend, legend_label_max(plot), fit, sizeof fit),
                         c->f_legend);
        lw = fmaxf(lw, w);
        (*rows)++;
    }
    *bw = snap(pad + pl->legend_sw + 4 * c->ts + lw + pad);
    *bh = snap(pad * 0.75f * 2 + pl->legend_row_h * (float)*rows);
}

/* The corner boxes of a panel, in the order tried: TR, TL, BR, BL. */
static hv_rect corner_box(const ctx *c, const hv_rect *plot, float bw, float bh, int corner)
{
    float inset = 8 * c->ts;
    float x = corner == 0 || corner == 2 ? plot->x + plot->w - bw - inset : plot->x + inset;
    float y = corner < 2 ? plot->y + inset : plot->y + plot->h - bh - inset;
    return (hv_rect){snap(x), snap(y), bw, bh};
}

/* Does any marker (at any moment: the occupancy) lie under box? */
static bool box_hides(const ctx *c, const hv_panel_state *ps, const hv_panel_layout *pl, hv_rect box)
{
    float r = c->marker * 0.5f + 2;
    double x0 = hv_scale_unmap(&pl->sx, box.x - r), x1 = hv_scale_unmap(&pl->sx, box.x + box.w + r);
    double y0 = hv_scale_unmap(&pl->sy, box.y + box.h + r), y1 = hv_scale_unmap(&pl->sy, box.y - r);
    if (ps->occupancy)
        return hv_occupancy_any(ps->occupancy, x0, x1, y0, y1);
    for (int i = 0; i < ps->n_points; i++) {
        const hv_scene_point *sp = &ps->points[i];
        if (in_legend(ps, sp->model) && sp->layer >= x0 && sp->layer <= x1 && sp->head >= y0 && sp->head <= y1)
            return true;
    }
    return false;
}

/* Picks each panel's legend box; false when auto finds no free corner in
 * some panel (the legend then goes outside). */
static bool place_legends(const ctx *c, const plan *pl, const hv_panel_state *panels, int n,
                          hv_panel_layout *lays)
{
    int mode = c->o->legend;
    for (int p = 0; p < n; p++) {
        float bw, bh;
        int rows;
        legend_box_size(c, pl, &panels[p], &lays[p].plot, &bw, &bh, &rows);
        lays[p].legend = (hv_rect){0, 0, 0, 0};
        if (!rows || lays[p].plot.w < 4)
            continue;
        if (mode >= HV_LEGEND_UPPER_RIGHT && mode <= HV_LEGEND_LOWER_LEFT) {
            static const int corner_of[] = {0, 1, 2, 3};
            lays[p].legend = corner_box(c, &lays[p].plot, bw, bh, corner_of[mode - HV_LEGEND_UPPER_RIGHT]);
            continue;
        }
        bool found = false;
        for (int k = 0; k < 4 && !found; k++) {
            hv_rect box = corner_box(c, &lays[p].plot, bw, bh, k);
            if (box.w > lays[p].plot.w * 0.9f || box.h > lays[p].plot.h * 0.9f)
                break; /* does not fit inside at all */
            if (!box_hides(c, &panels[p], &lays[p], box)) {
                lays[p].legend = box;
                found = true;
            }
        }
        if (!found)
            return false;
    }
    return true;
}

static void draw_legend_entry(ctx *c, const plan *pl, const hv_panel_state *ps, int m, float x, float cy,
                              float label_max)
{
    float a = ps ? ps->model_alpha[m] : 1.0f;
    float dim = 0.25f + 0.75f * a; /* hidden models stay listed, dimmed */
    float buf[3];
    draw_marker(c, x + pl->legend_sw * 0.5f, cy, c->swatch, c->fig->models[m].shape, -1, swatch_rgb(c, m, buf), dim);
    char fit[HV_TEXT_MAX + 8];
    hv_dl_text(c->dl, fit_text(c, c->fig->models[m].label, c->f_legend, label_max, fit, sizeof fit),
               snap(x + pl->legend_sw + 4 * c->ts), snap(cy), c->f_legend, with_alpha(c->th->text, dim),
               HV_ANCHOR_START, HV_ANCHOR_CENTER, 0);
}

static void draw_legend_box(ctx *c, const plan *pl, const hv_panel_state *ps, const hv_rect *plot, hv_rect box,
                            hv_panel_layout *lay)
{
    hv_dl_rect(c->dl, box, c->th->legend_bg);
    frame_rect(c, box, c->th->legend_border);
    float pad = 8 * c->ts;
    int row = 0;
    for (int m = 0; m < c->fig->ds->n_models; m++) {
        if (!in_legend(ps, m))
            continue;
        float top = box.y + pad * 0.75f + pl->legend_row_h * (float)row;
        lay->legend_rows[m] = (hv_rect){box.x, top, box.w, pl->legend_row_h};
        draw_legend_entry(c, pl, ps, m, box.x + pad, top + pl->legend_row_h * 0.5f, legend_label_max(plot));
        row++;
    }
}

/* The legend strip under the panels: every model once, centred, wrapped. */
static void draw_legend_flow(ctx *c, const plan *pl, const hv_panel_state *ps, float x0, float avail, float y_top,
                             hv_figure_layout *layout);

static void draw_legend_strip(ctx *c, const plan *pl, const hv_panel_state *ps, float W, float y_top,
                              hv_figure_layout *layout)
{
    draw_legend_flow(c, pl, ps, pl->x0, W - 2 * pl->x0 - pl->fig_cb_w, y_top, layout);
}

/* The legend's entries in rows across [x0, x0 + avail], centred, in a box
 * whose top is 8 px (scaled) under y_top. */
static void draw_legend_flow(ctx *c, const plan *pl, const hv_panel_state *ps, float x0, float avail, float y_top,
                             hv_figure_layout *layout)
{
    float t = c->ts, gapw = 18 * t;
    int n_models = c->fig->ds->n_models;
    /* rows of entries */
    int row_of[HV_MAX_MODELS], rows = 0;
    float row_w[HV_MAX_MODELS], x = 0;
    for (int m = 0; m < n_models; m++) {
        float w = strip_entry_w(c, pl, m, avail * 0.9f);
        if (x > 0 && x + gapw + w > avail) {
            row_w[rows] = x;
            rows++;
            x = w;
        } else {
            x += (x > 0 ? gapw : 0) + w;
        }
        row_of[m] = rows;
    }
    row_w[rows] = x;
    rows++;
    float y = y_top + 8 * t;
    hv_rect box = {snap(x0 + (avail - (row_w[0])) * 0.5f), snap(y), 0, snap(pl->legend_row_h * (float)rows + 8 * t)};
    float maxw = 0;
    for (int r = 0; r < rows; r++)
        maxw = fmaxf(maxw, row_w[r]);
    box.x = snap(x0 + (avail - maxw) * 0.5f - 8 * t);
    box.w = snap(maxw + 16 * t);
    if (layout)
        layout->legend = box;
    hv_dl_rect(c->dl, box, c->th->legend_bg);
    frame_rect(c, box, c->th->legend_border);
    int cur = -1;
    for (int m = 0; m < n_models; m++) {
        if (row_of[m] != cur) {
            cur = row_of[m];
            x = x0 + (avail - row_w[cur]) * 0.5f;
        }
        float w = strip_entry_w(c, pl, m, avail * 0.9f);
        float top = box.y + 4 * t + pl->legend_row_h * (float)cur;
        if (layout)
            layout->legend_rows[m] = (hv_rect){x, top, w, pl->legend_row_h};
        draw_legend_entry(c, pl, ps, m, x, top + pl->legend_row_h * 0.5f, avail * 0.9f);
        x += w + gapw;
    }
}

/* ---- colorbar -------------------------------------------------------------- */

/* The colorbar's label, rotated, ending at x, centred on [y, y + h]. */
static void draw_colorbar_label(ctx *c, float x, float y, float h)
{
    char fit[HV_TEXT_MAX + 8];
    const char *label = c->o->desc.cbar_label ? c->o->desc.cbar_label : c->fig->spec->cbar_label;
    hv_dl_text(c->dl, fit_text(c, label, c->f_label, h, fit, sizeof fit), snap(x), snap(y + h * 0.5f), c->f_label,
               c->th->text, HV_ANCHOR_CENTER, HV_ANCHOR_END, 90);
}

/* label_x: the right edge of the bar's rotated label; NaN = no label */
static void draw_colorbar(ctx *c, const plan *pl, const hv_panel_state *ps, hv_rect cb, float label_x)
{
    const hv_theme *th = c->th;
    hv_dl_colorbar(c->dl, cb, 0.0f, 1.0f, 1.0f);
    frame_rect(c, cb, th->axis);
    hv_scale sv = {ps->lo, ps->hi, cb.y + cb.h, cb.y};
    hv_tickset nice;
    const hv_tickset *ts = ps->ticks;
    if (!ts) { /* between two conditions: nice numbers for this frame's range */
        hv_figure_nice_ticks(ps->lo, ps->hi, ps->tick_target, cb.h, c->h_tick, &nice);
        ts = &nice;
    }
    double eps = (ps->hi - ps->lo) * 1e-6;
    /* labels never touch: every k-th where the spec's ticks crowd */
    int k = 1;
    if (ts->n >= 2) {
        float spacing = fabsf((float)(hv_scale_map(&sv, ts->v[1]) - hv_scale_map(&sv, ts->v[0])));
        /* ticks closer than a label's height, down to 0 px apart: k never
         * beyond the tick count (a float that big is no int) */
        float every = spacing > 0 ? ceilf(c->h_tick * 1.1f / spacing) : (float)ts->n;
        k = every < (float)ts->n ? (int)every : ts->n;
        k = k < 1 ? 1 : k;
    }
    for (int pass = 0; pass < 2; pass++) /* tick marks, then labels: one batch each */
        for (int i = 0; i < ts->n; i++) {
            double v = ts->v[i];
            if (v < ps->lo - eps || v > ps->hi + eps)
                continue;
            float y = (float)hv_scale_map(&sv, v);
            if (pass == 0)
                hline(c, cb.x + cb.w + c->lw, cb.x + cb.w + c->lw + c->tick_len, y, th->axis);
            else if (i % k == 0)
                hv_dl_text(c->dl, ts->label[i], snap(cb.x + cb.w + c->lw + c->tick_len + c->pad), snap(y), c->f_tick,
                           th->text, HV_ANCHOR_START, HV_ANCHOR_CENTER, 0);
        }
    if (label_x == label_x)
        draw_colorbar_label(c, label_x, cb.y, cb.h);
    (void)pl;
}

/* ---- titles ---------------------------------------------------------------- */

/* One title changes into another: their common leading words stay put at
 * full opacity; the old ending rises and fades out in the first half of the
 * change, the new one rises and fades in in the second half; the line
 * re-centres smoothly. */
static void title_swap(ctx *c, const char *t0, const char *t1, float mix, float cx, float y)
{
    size_t L = 0, i = 0;
    while (t0[i] && t0[i] == t1[i]) {
        if (t0[i] == ' ')
            L = i + 1; /* split after a space: whole words */
        i++;
    }
    char prefix[2 * HV_TEXT_MAX + 16];
    snprintf(prefix, sizeof prefix, "%.*s", (int)L, t0);
    float wp = L ? text_w(c, prefix, c->f_title) : 0;
    float w0 = text_w(c, t0 + L, c->f_title), w1 = text_w(c, t1 + L, c->f_title);
    float x0 = snap(cx - (wp + w0 * (1 - mix) + w1 * mix) * 0.5f);
    float xe = ceilf(x0 + wp); /* the ending starts where the prefix ends, never on it */
    if (L)
        hv_dl_text(c->dl, prefix, x0, snap(y), c->f_title, c->th->text, HV_ANCHOR_START, HV_ANCHOR_END, 0);
    float rise = c->h_title * 0.45f;
    if (mix < 0.5f) {
        float k = mix * 2; /* 0 -> 1 over the first half */
        hv_dl_text(c->dl, t0 + L, xe, snap(y - rise * k), c->f_title, with_alpha(c->th->text, 1 - k), HV_ANCHOR_START,
                   HV_ANCHOR_END, 0);
    } else {
        float k = mix * 2 - 1; /* 0 -> 1 over the second half */
        hv_dl_text(c->dl, t1 + L, xe, snap(y + rise * (1 - k)), c->f_title, with_alpha(c->th->text, k),
                   HV_ANCHOR_START, HV_ANCHOR_END, 0);
    }
}

/* Two titles of a transition. In its middle the title names both
 * conditions ("Top 10 Heads on A → B"), so it never reads as a sentence
 * without its end: A's title becomes that in the first quarter, and that
 * becomes B's in the last. */
static void draw_titles(ctx *c, const hv_panel_state *ps, float cx, float y, float maxw)
{
    char f0[HV_TEXT_MAX + 8], f1[HV_TEXT_MAX + 8];
    const char *t0 = ps->title[0] ? fit_text(c, ps->title[0], c->f_title, maxw, f0, sizeof f0) : NULL;
    const char *t1 = ps->title[1] ? fit_text(c, ps->title[1], c->f_title, maxw, f1, sizeof f1) : NULL;
    float a0 = t0 ? ps->title_alpha[0] : 0, a1 = t1 ? ps->title_alpha[1] : 0;
    if (!t0 || !t1 || a0 <= 0 || a1 <= 0 || strcmp(t0, t1) == 0) {
        const char *t = a1 > a0 ? t1 : t0;
        if (t)
            hv_dl_text(c->dl, t, snap(cx), snap(y), c->f_title, with_alpha(c->th->text, fmaxf(a0, a1)),
                       HV_ANCHOR_CENTER, HV_ANCHOR_END, 0);
        return;
    }
    /* "A's title → B's ending": B's title less the words it shares with A's */
    size_t L = 0, i = 0;
    while (ps->title[0][i] && ps->title[0][i] == ps->title[1][i]) {
        if (ps->title[0][i] == ' ')
            L = i + 1;
        i++;
    }
    char both[2 * HV_TEXT_MAX + 16], fb[2 * HV_TEXT_MAX + 16];
    snprintf(both, sizeof both, "%s \xe2\x86\x92 %s", ps->title[0], ps->title[1] + L);
    const char *mid = fit_text(c, both, c->f_title, maxw, fb, sizeof fb);
    float mix = a1 / (a0 + a1);
    if (mix < 0.25f)
        title_swap(c, t0, mid, mix * 4, cx, y);
    else if (mix <= 0.75f)
        hv_dl_text(c->dl, mid, snap(cx), snap(y), c->f_title, c->th->text, HV_ANCHOR_CENTER, HV_ANCHOR_END, 0);
    else
        title_swap(c, mid, t1, (mix - 0.75f) * 4, cx, y);
}

/* ---- panels ---------------------------------------------------------------- */

/* The label of a panel's horizontal (y false) or vertical axis: layers
 * and heads change places with layers-y (heads across, layers down). */
static const char *axis_label(const ctx *c, const hv_panel_state *ps, bool y)
{
    const hv_spec *spec = c->fig->spec;
    return ps->layers_y == y ? spec->xlabel : spec->ylabel;
}

static const hv_axes *panel_axes(const ctx *c, const hv_panel_state *ps)
{
    if (c->axo)
        return c->axo;
    return ps->axes ? ps->axes : &c->fig->axes;
}

/* ---- heatmap marks -------------------------------------------------------- */

/* Lines between the groups of query heads that share a key-value head:
 * hairlines (one device pixel: 0.24 pt at 300 dpi) in the ground's colour
 * at half strength, so they part the groups without outshouting the cells.
 * Left out when a cell is under 3 px high or a group under 12 px: lines
 * that close are a barcode, not a grouping. At most one row in three of a
 * cell is a line, so the cells keep more than 85% of the panel. */
void hv_panel_point(const hv_panel_state *ps, const hv_panel_layout *pl, double layer, double head, float *x,
                    float *y)
{
    *x = (float)hv_scale_map(&pl->sx, ps->layers_y ? head : layer);
    *y = (float)hv_scale_map(&pl->sy, ps->layers_y ? layer : head);
}

/* The y scale of a panel: up from its bottom, or (layers_y) down from its top. */
static hv_scale panel_sy(const hv_panel_state *ps, const hv_axes *ax, hv_rect plot)
{
    if (ps->layers_y)
        return (hv_scale){ax->ylo, ax->yhi, plot.y, plot.y + plot.h};
    return (hv_scale){ax->ylo, ax->yhi, plot.y + plot.h, plot.y};
}

/* The index in ps->cells of (layer, head), or -1 outside the grid. */
static long cell_index(const hv_panel_state *ps, long layer, long head)
{
    long col = ps->layers_y ? head : layer, row = ps->layers_y ? layer : ps->cell_rows - 1 - head;
    if (col < 0 || col >= ps->cell_cols || row < 0 || row >= ps->cell_rows)
        return -1;
    return row * ps->cell_cols + col;
}

static void kv_separators(ctx *c, const hv_panel_state *ps, const hv_panel_layout *pl, hv_rect r, float alpha)
{
    int g = ps->kv_group, heads = ps->layers_y ? ps->cell_cols : ps->cell_rows;
    if (g <= 0 || g >= heads)
        return;
    float cell = (ps->layers_y ? r.w : r.h) / (float)heads;
    if (cell < 3.0f || cell * (float)g < 12.0f)
        return;
    hv_color col = with_alpha(c->th->separator, alpha);
    for (int h = g; h < heads; h += g) {
        if (ps->layers_y) { /* heads across: a line between columns */
            float x = snap((float)hv_scale_map(&pl->sx, h - 0.5) - 0.5f);
            hv_dl_hairline(c->dl, (hv_rect){x, r.y, 1, r.h}, col);
        } else {
            float y = snap((float)hv_scale_map(&pl->sy, h - 0.5) - 0.5f);
            hv_dl_hairline(c->dl, (hv_rect){r.x, y, r.w, 1}, col);
        }
    }
}

/* The top-k cells' marks: a ring around each cell, outside it, so the
 * cell's own colour stays whole: a halo in the ground's colour next to the
 * cell, then a line in the text colour (two tones, so it shows on dark and
 * light cells and grounds alike). A cell smaller than a legible patch
 * (2.5 reference px, at least 5 px) is shown enlarged to that patch, in its
 * own colour, centred on it, and ringed the same way: the winners of an
 * 80 x 64 grid at 640x360 still read as their colour. The cells are drawn
 * again over the rings, so two neighbouring winners never hide each other.
 * Entering and leaving marks fade (their scale is their opacity). */
static hv_rect top_cell_patch(const ctx *c, float mx, float my, float cell_px, float cell_py)
{
    float e_min = fmaxf(5.0f, snap(2.5f * c->s));
    if (snap(cell_px) < e_min || snap(cell_py) < e_min) {
        float pw = fmaxf(snap(cell_px), e_min), ph = fmaxf(snap(cell_py), e_min);
        return (hv_rect){snap(mx - pw * 0.5f), snap(my - ph * 0.5f), pw, ph};
    }
    /* whole pixels, as the cells (hv_dl_heatmap): a fractional edge is a
     * tie that GL and the CPU raster may break apart */
    hv_rect p = {snap(mx - cell_px * 0.5f), snap(my - cell_py * 0.5f), 0, 0};
    p.w = snap(mx + cell_px * 0.5f) - p.x;
    p.h = snap(my + cell_py * 0.5f) - p.y;
    return p;
}

static void top_cell_marks(ctx *c, const hv_panel_state *ps, const hv_panel_layout *pl, float cell_px,
                           float cell_py, float pa)
{
    const hv_theme *th = c->th;
    float halo = fmaxf(1.0f, snap(0.5f * c->s)), line = fmaxf(1.0f, snap(0.75f * c->s));
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < ps->n_points; i++) {
            const hv_scene_point *sp = &ps->points[i];
            if (!(sp->flags & HV_POINT_OUTLINE))
                continue;
            float a = sp->alpha * ps->model_alpha[sp->model] * pa * fminf(1.0f, fmaxf(0.0f, sp->scale));
            if (!(a > 0))
                continue;
            float mx, my;
            hv_panel_point(ps, pl, sp->layer, sp->head, &mx, &my);
            hv_rect p = top_cell_patch(c, mx, my, cell_px, cell_py);
            if (pass == 1) {
                /* the cell under the mark (the nearest while marks travel) */
                long k = cell_index(ps, lrint(sp->layer), lrint(sp->head));
                if (!ps->cells || k < 0)
                    continue;
                hv_dl_heatmap(c->dl, p, 1, 1, &ps->cells[k], th->no_score, a);
                continue;
            }
            for (int k = 0; k < 2; k++) {
                float w = k ? line : halo;
                hv_rect o = {p.x - w, p.y - w, p.w + 2 * w, p.h + 2 * w};
                hv_color col = with_alpha(k ? th->text : th->bg, a);
                hv_dl_rect(c->dl, (hv_rect){o.x, o.y, o.w, w}, col);
                hv_dl_rect(c->dl, (hv_rect){o.x, o.y + o.h - w, o.w, w}, col);
                hv_dl_rect(c->dl, (hv_rect){o.x, o.y + w, w, o.h - 2 * w}, col);
                hv_dl_rect(c->dl, (hv_rect){o.x + o.w - w, o.y + w, w, o.h - 2 * w}, col);
                p = o;
            }
        }
}

static void draw_panel_content(ctx *c, const hv_panel_state *ps, const hv_panel_layout *pl)
{
    const hv_theme *th = c->th;
    const hv_axes *ax = panel_axes(c, ps);
    hv_rect plot = pl->plot;
    float pa = ps->alpha > 0 ? ps->alpha : 1.0f;

    /* plot background (only where it differs from the ground; none when
     * transparent), the grid, heatmap cells */
    if (!c->o->transparent && memcmp(&th->plot_bg, &c->clear, sizeof c->clear) != 0)
        hv_dl_rect(c->dl, plot, th->plot_bg);
    if (ps->cells && ps->cell_cols > 0 && ps->cell_rows > 0) {
        /* row 0 of the cells at the top, whichever way the y axis runs */
        float y0 = (float)hv_scale_map(&pl->sy, ps->cell_rows - 0.5), y1 = (float)hv_scale_map(&pl->sy, -0.5);
        hv_rect r = {(float)hv_scale_map(&pl->sx, -0.5), fminf(y0, y1), 0, fabsf(y1 - y0)};
        r.w = (float)hv_scale_map(&pl->sx, ps->cell_cols - 0.5) - r.x;
        hv_dl_heatmap(c->dl, r, ps->cell_cols, ps->cell_rows, ps->cells, th->no_score, pa);
        kv_separators(c, ps, pl, r, pa);
    } else {
        for (int i = 0; i < ax->xticks.n; i++)
            vline(c, (float)hv_scale_map(&pl->sx, ax->xticks.v[i]), plot.y, plot.y + plot.h, th->grid);
        for (int i = 0; i < ax->yticks.n; i++)
            hline(c, plot.x, plot.x + plot.w, (float)hv_scale_map(&pl->sy, ax->yticks.v[i]), th->grid);
    }

    /* markers, clipped to the panel's cell, never to the axes: a marker on
     * the edge or overshooting in an easing is drawn whole */
    hv_dl_clip(c->dl, &pl->cell);
    float cell_px = ps->cells ? (float)fabs(hv_scale_map(&pl->sx, 1) - hv_scale_map(&pl->sx, 0)) : 0;
    float cell_py = ps->cells ? (float)fabs(hv_scale_map(&pl->sy, 1) - hv_scale_map(&pl->sy, 0)) : 0;
    top_cell_marks(c, ps, pl, cell_px, cell_py, pa);
    for (int i = 0; i < ps->n_points; i++) {
        const hv_scene_point *sp = &ps->points[i];
        float a = sp->alpha * ps->model_alpha[sp->model] * pa;
        float mx, my;
        hv_panel_point(ps, pl, sp->layer, sp->head, &mx, &my);
        if (sp->flags & HV_POINT_OUTLINE)
            continue; /* top_cell_marks */
        if (sp->flags & (HV_POINT_HIGHLIGHT | HV_POINT_HOVER)) {
            /* a ring in the text colour: fill transparent, outline only */
            hv_marker ring;
            memset(&ring, 0, sizeof ring);
            ring.x = mx;
            ring.y = my;
            ring.size = c->marker * 1.9f;
            ring.shape = HV_SHAPE_CIRCLE;
            ring.value = -1;
            ring.alpha = a;
            ring.outline = th->text;
            ring.outline_w = fmaxf(1.5f, 2.0f * c->s);
            hv_dl_marker(c->dl, &ring);
        }
        draw_marker(c, mx, my, c->marker * sp->scale, c->fig->models[sp->model].shape,
                    hv_figure_value(sp->score, ps->lo, ps->hi), NULL, a);
    }
    hv_dl_clip(c->dl, NULL);
}

static void draw_panel_axes(ctx *c, const plan *pl, const hv_panel_state *ps, const hv_panel_layout *lay)
{
    const hv_theme *th = c->th;
    const hv_axes *ax = panel_axes(c, ps);
    hv_rect plot = lay->plot, cell = lay->cell;
    /* frame, ticks, tick labels: all lines first, then all text, so the
     * backend draws each kind in one batch */
    frame_rect(c, plot, th->axis);
    for (int i = 0; i < ax->xticks.n; i++)
        vline(c, (float)hv_scale_map(&lay->sx, ax->xticks.v[i]), plot.y + plot.h + c->lw,
              plot.y + plot.h + c->lw + c->tick_len, th->axis);
    for (int i = 0; i < ax->yticks.n; i++)
        hline(c, plot.x - c->lw - c->tick_len, plot.x - c->lw, (float)hv_scale_map(&lay->sy, ax->yticks.v[i]),
              th->axis);
    /* where labels would touch, label every k-th tick only */
    int kx = label_stride(&ax->xticks, &lay->sx, max_label_w(c, &ax->xticks, c->f_tick) + 6 * c->ts);
    int ky = label_stride(&ax->yticks, &lay->sy, c->h_tick + 2 * c->ts);
    for (int i = 0; i < ax->xticks.n; i += kx)
        hv_dl_text(c->dl, ax->xticks.label[i], snap((float)hv_scale_map(&lay->sx, ax->xticks.v[i])),
                   snap(plot.y + plot.h + c->lw + c->tick_len + c->pad), c->f_tick, th->text, HV_ANCHOR_CENTER,
                   HV_ANCHOR_START, 0);
    for (int i = 0; i < ax->yticks.n; i += ky)
        hv_dl_text(c->dl, ax->yticks.label[i], snap(plot.x - c->lw - c->tick_len - c->pad),
                   snap((float)hv_scale_map(&lay->sy, ax->yticks.v[i])), c->f_tick, th->text, HV_ANCHOR_END,
                   HV_ANCHOR_CENTER, 0);
    /* axis labels */
    char fit[HV_TEXT_MAX + 8];
    const char *xlabel = axis_label(c, ps, false), *ylabel = axis_label(c, ps, true);
    hv_dl_text(c->dl, fit_text(c, xlabel, c->f_label, plot.w, fit, sizeof fit), snap(plot.x + plot.w * 0.5f),
               snap(cell.y + cell.h), c->f_label, th->text, HV_ANCHOR_CENTER, HV_ANCHOR_END, 0);
    hv_dl_text(c->dl, fit_text(c, ylabel, c->f_label, plot.h, fit, sizeof fit), snap(cell.x),
               snap(plot.y + plot.h * 0.5f), c->f_label, th->text, HV_ANCHOR_CENTER, HV_ANCHOR_START, 90);
    /* the title, centred on the plot, kept within the panel's cell */
    float tcx = plot.x + plot.w * 0.5f;
    draw_titles(c, ps, tcx, plot.y - 14 * c->ts, fminf(title_room(c, pl, plot.w), 2 * fminf(tcx - cell.x, cell.x + cell.w - tcx)));
}

/* ---- the facet grid (heatmap, diff) ---------------------------------------- */

static float facet_text_w(void *user, const char *s)
{
    const ctx *c = user;
    return text_w(c, s, c->f_header);
}

/* Type of a facet figure: in points at a physical size (8 pt tick labels
 * in a paper figure, like matplotlib's paper context), in pixels like the
 * other layouts otherwise; never below floor_px. */
static void facet_fonts(ctx *c)
{
    set_fonts(c, c->ts);
    if (c->o->unit > 0) {
        const float fs = c->o->font_scale > 0 ? c->o->font_scale : 1.0f;
        float pt = 96.0f / 72.0f * c->ts * fs; /* px per point at this type scale */
        c->f_tick = fmaxf(10.0f * pt, c->floor_px);
        c->f_legend = c->f_tick;
        c->f_label = fmaxf(11.0f * pt, c->floor_px);
        c->f_title = fmaxf(12.0f * pt, c->floor_px);
        c->h_title = text_h(c, c->f_title);
        c->h_label = text_h(c, c->f_label);
        c->h_tick = text_h(c, c->f_tick);
    }
}

/* Ticks of one axis of a facet panel for the room it has: the spec's when
 * it set them, else whole-number steps whose labels never touch. */
static void facet_ticks(const ctx *c, const hv_tickset *given, bool spec_set, double lo, double hi, float len,
                        float label_px, hv_tickset *out)
{
    if (spec_set) {
        *out = *given;
        return;
    }
    double v[HV_MAX_TICKS], step = 1;
    int n = hv_index_ticks(lo, hi, len, label_px, v, HV_MAX_TICKS, &step);
    out->n = n;
    for (int i = 0; i < n; i++) {
        out->v[i] = v[i];
        hv_format_tick(v[i], step, out->label[i], HV_LABEL_MAX);
    }
    (void)c;
}

typedef struct facet {
    int R, C;
    hv_grid_in in;
    hv_grid_out g;
    float cb_w, cb_gap, gap;
    int col_lines, row_lines;
    float lead;       /* from one line of a header to the next */
    float hdr_lift;   /* the column headers' extra room over the plots */
    float strip_lift; /* the row strips' */
    bool ylabel_corner; /* the y label across, over the first column's tick labels */
    float corner_w;     /* its width */
    bool row_horiz;   /* row headers written across, in a band row_band_w wide */
    float row_band_w;
    bool row_strip;   /* row headers on one line over each row (a strip), left-aligned */
    bool xlabels_every_row;
    bool wrap;        /* panels with their own titles and axes (the models layout) */
    bool want_strip;  /* wrap: the legend under the panels */
    bool legend_cell; /* wrap: ... or in the grid's empty cells (the last row's end) */
    bool own_y;       /* y tick labels on every column (the panels' heads differ) */
    float strip_h;    /* wrap: the legend strip under everything */
    int strip_rows;
} facet;

/* The header over slot k: column k's (a grid), panel k's title (wrapped). */
static const char *facet_header(const facet *f, const hv_panel_state *panels, int n, int k)
{
    if (f->wrap)
        return k < n ? panels[k].title[0] : NULL;
    return NULL;
}

/* The legend strip's pieces (the figure's legend under a wrapped facet). */
static void facet_legend_plan(ctx *c, const facet *f, plan *pl)
{
    memset(pl, 0, sizeof *pl);
    c->swatch = fmaxf(0.8f * c->f_legend, fminf(16 * c->s, 1.1f * c->f_legend));
    pl->legend_row_h = fmaxf(c->swatch, text_h(c, c->f_legend)) * 1.35f;
    pl->legend_sw = c->swatch * 1.8f;
    pl->legend_strip = true;
    pl->x0 = fmaxf(3.0f, 8.0f * c->ts);
    pl->fig_cb_w = f->in.figcb_w;
}

static void facet_legend_strip(ctx *c, facet *f, float W)
{
    f->strip_h = 0;
    f->strip_rows = 0;
    if (!f->want_strip || f->legend_cell || c->o->legend == HV_LEGEND_NONE || c->o->desc.no_legend ||
        c->fig->ds->n_models < 1)
        return;
    plan pl;
    facet_legend_plan(c, f, &pl);
    f->strip_rows = strip_rows(c, &pl, 0, W - 2 * pl.x0 - pl.fig_cb_w);
    f->strip_h = pl.legend_row_h * (float)f->strip_rows + 18.0f * c->ts;
}

/* The grid's empty cells at the end of its last row, as one rectangle
 * (their plots' area); w = 0 when every cell holds a panel. */
static hv_rect facet_empty_cells(const facet *f, int n)
{
    int k0 = n - (f->R - 1) * f->C; /* panels in the last row */
    if (f->R * f->C <= n || k0 < 1)
        return (hv_rect){0, 0, 0, 0};
    float x0 = f->g.col_x[k0], x1 = f->g.col_x[f->C - 1] + f->g.plot_w, y0 = f->g.row_y[f->R - 1];
    return (hv_rect){x0, y0, x1 - x0, f->g.plot_h};
}

/* The room for the figure legend's entries in the grid's empty cells
 * (inside its box's padding), and the height of its box there. */
static float legend_cells_avail(const ctx *c, const plan *pl, hv_rect r)
{
    /* one entry a line where the cells are tall enough, else in rows */
    float full = r.w - 16 * c->ts, widest = 0;
    int n = c->fig->ds->n_models;
    for (int m = 0; m < n; m++)
        widest = fmaxf(widest, pl->legend_sw + 4 * c->ts + text_w(c, c->fig->models[m].label, c->f_legend));
    if (pl->legend_row_h * (float)n + 8 * c->ts <= r.h && widest <= full * 0.9f)
        return ceilf(widest / 0.9f);
    return full;
}

static float legend_cells_h(const ctx *c, const plan *pl, hv_rect r)
{
    return pl->legend_row_h * (float)strip_rows(c, pl, 0, legend_cells_avail(c, pl, r)) + 8 * c->ts;
}

/* Whether the figure legend fits the grid's empty cells, every name whole. */
static bool legend_fits_cells(ctx *c, const facet *f, int n)
{
    hv_rect r = facet_empty_cells(f, n);
    if (!(r.w > 0) || !(r.h > 0))
        return false;
    plan pl;
    facet_legend_plan(c, f, &pl);
    float avail = r.w - 16 * c->ts;
    for (int m = 0; m < c->fig->ds->n_models; m++) /* (the flow shortens names beyond 0.9 of a row) */
        if (pl.legend_sw + 4 * c->ts + text_w(c, c->fig->models[m].label, c->f_legend) > avail * 0.9f)
            return false;
    return legend_cells_h(c, &pl, r) <= r.h;
}

/* The figure legend in the grid's empty cells, centred in them. */
static void draw_legend_cells(ctx *c, const facet *f, int n, const hv_panel_state *ps, hv_figure_layout *layout)
{
    hv_rect r = facet_empty_cells(f, n);
    plan pl;
    facet_legend_plan(c, f, &pl);
    float avail = legend_cells_avail(c, &pl, r);
    float y_top = r.y + (r.h - legend_cells_h(c, &pl, r)) * 0.5f - 8 * c->ts;
    draw_legend_flow(c, &pl, ps, r.x + (r.w - avail) * 0.5f, avail, y_top, layout);
}

/* The bands of the grid for the current type, and the solved grid. */
static void facet_solve(ctx *c, facet *f, const hv_panel_state *panels, int n, float W, float H)
{
    const hv_frame_desc *d = &c->o->desc;
    float t = c->ts;
    hv_grid_in *in = &f->in;
    memset(in, 0, sizeof *in);
    in->rows = f->R;
    in->cols = f->C;
    in->W = W;
    in->H = H;
    f->gap = fmaxf(2.0f, 4.0f * t);
    /* around a grid about constrained_layout's pad (3 pt: 4 px at 100 dpi);
     * the wrapped facets keep the seed figure's wider margin */
    in->margin = fmaxf(3.0f, (f->wrap ? 8.0f : 5.0f) * t);
    in->title_h = d->title[0] ? c->h_title + 2 * f->gap : 0;
    in->xlabel_h = c->h_label + f->gap * 0.5f + f->strip_h;
    in->ylabel_w = c->h_label + f->gap;
    /* matplotlib's line spacing: 1.2 times the type size */
    f->lead = ceilf(fmaxf(c->h_header, 1.2f * c->f_header));
    in->rowhdr_w = f->row_strip ? 0 : (f->row_horiz ? f->row_band_w : (float)f->row_lines * f->lead) + f->gap * 2.5f;
    /* a grid's column headers span the columns' tick-label bands too, and
     * the topmost tick labels (a y axis's, a colorbar's) stand half their
     * height above the plots: the headers keep clear of them */
    f->hdr_lift = f->wrap ? 0 : fmaxf(0.0f, 0.5f * c->h_tick - f->gap);
    in->top_h[0] = (float)f->col_lines * f->lead + f->gap * 1.5f + f->hdr_lift;
    /* (so do strips that cross columns with tick labels of their own) */
    f->strip_lift = f->own_y && !f->wrap ? fmaxf(0.0f, 0.5f * c->h_tick - 0.5f * f->gap) : 0;
    if (f->wrap) { /* a title over every panel, no row headers */
        in->rowhdr_w = 0;
        for (int r = 1; r < f->R; r++)
            in->top_h[r] = in->top_h[0];
    }
    if (f->row_strip)
        for (int r = 0; r < f->R; r++)
            in->top_h[r] += f->lead + f->strip_lift;
    /* (wrapped panels with colorbars of their own keep them apart) */
    in->hgap = f->wrap && d->cbar == HV_CBAR_PANEL ? fmaxf(2 * f->gap, 24.0f * t) : 2 * f->gap;
    in->vgap = 1.5f * f->gap;
    /* tick labels are numbers: they never reach below the baseline, so
     * over a row whose plots follow directly (no text between) their band
     * ends at the font's ascent; above text it keeps the descent too */
    hv_text_metrics dm;
    measure(c, "0123456789", c->f_tick, &dm);
    float xband = c->lw + c->tick_len + c->pad + c->h_tick;
    float xband_tight = c->lw + c->tick_len + c->pad + fminf(dm.ascent, c->h_tick);
    for (int r = 0; r < f->R; r++)
        in->bottom_h[r] = f->xlabels_every_row || r == f->R - 1
                              ? (r < f->R - 1 && !f->wrap && !f->row_strip ? xband_tight : xband)
                              : c->tick_len;
    in->left_w[0] = ytick_width(c, panels, n) + c->pad + c->tick_len + c->lw;
    /* a grid's y label stands across, over its tick labels, in the corner
     * the column headers leave beside the row headers, where it fits there
     * (like a column's heading: no band of its own beside the names) */
    const char *ylabel = axis_label(c, &panels[0], true);
    f->ylabel_corner = !f->wrap && *ylabel && !f->row_strip &&
                       text_w(c, ylabel, c->f_label) <= in->rowhdr_w + in->left_w[0] - (c->lw + c->tick_len + c->pad);
    f->corner_w = f->ylabel_corner ? text_w(c, ylabel, c->f_label) : 0;
    if (f->ylabel_corner)
        in->ylabel_w = 0;
    for (int k = 1; k < f->C && f->own_y; k++)
        in->left_w[k] = in->left_w[0];
    f->cb_gap = fmaxf(3.0f, (f->wrap ? 12.0f : 6.0f) * t);
    float cb_ticks = cbar_label_width(c);
    for (int p = 0; p < n; p++)
        if (panels[p].ticks)
            cb_ticks = fmaxf(cb_ticks, max_label_w(c, panels[p].ticks, c->f_tick));
    float cb_block = f->cb_gap + f->cb_w + c->lw + c->tick_len + c->pad + cb_ticks;
    float cb_label = f->gap + c->h_label;
    if (d->cbar == HV_CBAR_COLUMN || d->cbar == HV_CBAR_PANEL)
        for (int k = 0; k < f->C; k++) /* (wrapped panels each label their own scale) */
            in->right_w[k] = cb_block + (k == f->C - 1 || (f->wrap && d->cbar == HV_CBAR_PANEL) ? cb_label : 0);
    else if (d->cbar == HV_CBAR_FIGURE || d->cbar == HV_CBAR_ROW)
        in->figcb_w = cb_block + cb_label;
    if (d->cbar == HV_CBAR_ROW) /* (one row's bottom tick label over the next one's top label) */
        for (int r = 0; r + 1 < f->R; r++)
            in->bottom_h[r] = fmaxf(in->bottom_h[r], 1.05f * c->h_tick - in->vgap);
    /* the smallest plot that still shows its data, with two labelled
     * ticks on each axis (the spacing facet_draw's labels keep at least;
     * a pixel more, as the plots' edges are rounded to pixels) */
    in->min_w = in->min_h = fmaxf(16.0f, 1.2f * c->h_tick);
    const hv_spec *spec = c->fig->spec;
    for (int p = 0; p < n; p++) {
        const hv_axes *a = panel_axes(c, &panels[p]);
        if (!spec->yticks.set)
            in->min_h = fmaxf(in->min_h, 1 + hv_index_ticks_two_len(a->ylo, a->yhi, 0.82f * fminf(dm.ascent, c->h_tick)));
        if (!spec->xticks.set)
            in->min_w = fmaxf(in->min_w, 1 + hv_index_ticks_two_len(a->xlo, a->xhi,
                                                                    max_label_w(c, &a->xticks, c->f_tick) + 4 * c->ts));
    }
    hv_grid_solve(in, &f->g);
}

/* The narrowest band in which every row header wraps onto at most L lines
 * written across (0: some name has a word too wide for any band). */
static float facet_across_width_tier(const ctx *c, const facet *f, int L, int tier)
{
    const hv_frame_desc *d = &c->o->desc;
    float widest = 0;
    for (int r = 0; r < f->R; r++)
        if (d->row_header[r])
            widest = fmaxf(widest, text_w(c, d->row_header[r], c->f_header));
    float lo = 0, hi = ceilf(widest) + 1, found = 0;
    char wl[4][160];
    int nl;
    for (int it = 0; it < 16 && hi > lo + 0.5f; it++) {
        float w = it == 0 ? hi : (lo + hi) * 0.5f;
        bool all = true;
        for (int r = 0; r < f->R && all; r++)
            all = !d->row_header[r] || hv_wrap_tier(d->row_header[r], w, L, tier, facet_text_w, (void *)c, wl, &nl);
        if (all) {
            found = w;
            hi = w;
        } else if (it == 0) {
            return 0;
        } else {
            lo = w;
        }
    }
    if (found <= 0)
        return 0;
    /* the band is as wide as the widest line the wrap gives */
    float band = 0;
    for (int r = 0; r < f->R; r++)
        if (d->row_header[r] && hv_wrap_tier(d->row_header[r], found, L, tier, facet_text_w, (void *)c, wl, &nl))
            for (int i = 0; i < nl; i++)
                band = fmaxf(band, text_w(c, wl[i], c->f_header));
    return ceilf(band);
}

/* The band for names across on L lines: broken at spaces only where
 * that costs at most a quarter more width than breaking after hyphens too
 * ("Llama-2-70b-chat-hf / step-2024-03 ckpt", not "...step-2024- / 03"). */
static float facet_across_width(const ctx *c, const facet *f, int L)
{
    float any = facet_across_width_tier(c, f, L, 2);
    float words = facet_across_width_tier(c, f, L, 0);
    if (words > 0 && words <= 1.25f * any)
        return words;
    float mid = facet_across_width_tier(c, f, L, 1);
    return mid > 0 && mid <= 1.25f * any ? mid : any;
}

/* The length a row header has along its row: the plots and their tick labels. */
static float facet_row_len(const facet *f, int r) { return f->g.plot_h + f->in.bottom_h[r]; }

/* Where the row headers end, towards the plots (a gap and a half short
 * of the first column's tick labels). */
static float facet_rowhdr_right(const facet *f) { return f->g.grid_x0 - f->gap * 1.5f; }

/* The stretch of the row-header band a rotated name of row r may take
 * (like matplotlib's y labels, it may run past its row's plots): its
 * row, up to a gap short of halfway to each neighbour's, and past the
 * first and last rows into what is free there: up to the figure's title
 * (the column headers stand over the plots, not over the row headers)
 * unless the y label's corner reaches over the band, down to the bottom
 * margin (the x label is centred under the plots). */
static void facet_row_span(const ctx *c, const facet *f, int r, float *y0, float *y1)
{
    float gap = f->gap;
    if (r > 0) {
        float prev_end = f->g.row_y[r - 1] + facet_row_len(f, r - 1);
        *y0 = (prev_end + f->g.row_y[r]) * 0.5f + gap * 0.5f;
    } else {
        float hdr_right = facet_rowhdr_right(f);
        float label_x0 = f->g.col_x[0] - c->lw - c->tick_len - c->pad - f->corner_w;
        *y0 = f->ylabel_corner && label_x0 < hdr_right + gap ? f->g.row_y[0] : f->in.margin + f->in.title_h;
    }
    if (r < f->R - 1)
        *y1 = (f->g.row_y[r] + facet_row_len(f, r) + f->g.row_y[r + 1]) * 0.5f - gap * 0.5f;
    else
        *y1 = f->in.H - f->in.margin - f->strip_h;
}

/* The centre of a rotated row name of length L: on its row's band where
 * the name fits there, else moved as little as keeps it in its span. */
static float facet_row_centre(const ctx *c, const facet *f, int r, float L)
{
    float y0, y1, cy = f->g.row_y[r] + facet_row_len(f, r) * 0.5f;
    facet_row_span(c, f, r, &y0, &y1);
    return fmaxf(y0 + L * 0.5f, fminf(y1 - L * 0.5f, cy));
}

/* Whether every row header fits its place in the solved grid in full. */
static bool facet_rows_fit(const ctx *c, const facet *f)
{
    const hv_frame_desc *d = &c->o->desc;
    char wl[4][160];
    int nl;
    float prev_bottom = -1e30f;
    for (int r = 0; r < f->R; r++) {
        const char *name = d->row_header[r];
        if (!name)
            continue;
        float len = facet_row_len(f, r);
        if (f->row_strip) {
            /* (within the first plot where a column's colorbar labels stand beside it) */
            float row_w = d->cbar == HV_CBAR_COLUMN || d->cbar == HV_CBAR_PANEL ? f->g.plot_w
                                                                                 : f->g.grid_x1 - f->g.col_x[0];
            if (text_w(c, name, c->f_header) > row_w)
                return false;
        } else if (f->row_horiz) {
            /* across: centred on the row, clear of its neighbours' names,
             * above the figure's bottom margin and under its title */
            if (!hv_wrap(name, f->row_band_w + 0.5f, f->row_lines, facet_text_w, (void *)c, wl, &nl))
                return false;
            float h = f->lead * (float)(nl - 1) + c->h_header, cy = f->g.row_y[r] + len * 0.5f;
            /* (the y label's corner over the first row) */
            float top_min = f->ylabel_corner ? f->g.row_y[0] : f->in.margin + f->in.title_h;
            if (cy - h * 0.5f < prev_bottom || cy - h * 0.5f < top_min ||
                cy + h * 0.5f > f->in.H - f->in.margin - f->strip_h)
                return false;
            prev_bottom = cy + h * 0.5f + f->gap * 0.5f;
        } else {
            float y0, y1;
            facet_row_span(c, f, r, &y0, &y1);
            if (!hv_wrap(name, y1 - y0, f->row_lines, facet_text_w, (void *)c, wl, &nl))
                return false;
        }
    }
    return true;
}

/* The room a header has over column k: a wrapped facet's title its
 * plot's width; a grid's column header also the column's tick-label and
 * colorbar bands, the last column's the figure colorbar's (centred on the plot where it fits, else kept inside
 * them), so it is never nearer its neighbour than the gap between them. */
static void facet_header_slot(const facet *f, int k, float *x0, float *x1)
{
    *x0 = f->g.col_x[k];
    *x1 = f->g.col_x[k] + f->g.plot_w;
    if (!f->wrap) {
        if (k > 0 || !f->ylabel_corner) /* (the corner is the y label's) */
            *x0 -= f->in.left_w[k];
        *x1 += f->in.right_w[k];
        if (k == f->C - 1) /* (the figure's colorbar starts at the plots' top) */
            *x1 += f->in.figcb_w;
    }
}

/* The lines the column headers (or a wrapped facet's panel titles) need
 * over plots of the current width: two before anything is cut, up to four
 * where that saves a name; *cut set when some header must be shortened. */
static int header_lines(const ctx *c, const facet *f, const hv_panel_state *panels, int n, bool *cut_out)
{
    const hv_frame_desc *d = &c->o->desc;
    int cl = 1;
    char lines[2][160], wl[4][160];
    for (int k = 0; k < (f->wrap ? n : f->C); k++) {
        const char *hdr = f->wrap ? facet_header(f, panels, n, k) : d->col_header[k];
        if (!hdr)
            continue;
        float x0, x1;
        facet_header_slot(f, k % f->C, &x0, &x1);
        float maxw = x1 - x0;
        bool cut;
        int nl = 1;
        if (hv_fit_lines(hdr, maxw, 2, facet_text_w, (void *)c, lines, &cut) > 1)
            cl = cl > 2 ? cl : 2;
        if (cut && hv_wrap(hdr, maxw, 4, facet_text_w, (void *)c, wl, &nl))
            cl = cl > nl ? cl : nl;
        else
            *cut_out |= cut;
    }
    return cl;
}

/* Solves the grid with its header bands settled: the column headers'
 * (or panel titles') lines, the colorbar's width and the legend strip each
 * depend on the plots' size, so a few passes until they stop changing,
 * then the headers' lines over the plots' final width. Returns whether a
 * header must still be shortened. */
static bool facet_settle(ctx *c, facet *f, const hv_panel_state *panels, int n, float W, float H)
{
    f->col_lines = 1;
    /* until the header bands stop changing (each depends on the plots' size) */
    for (int pass = 0; pass < 6; pass++) {
        int cl0 = f->col_lines;
        float cb0 = f->cb_w, st0 = f->strip_h;
        facet_solve(c, f, panels, n, W, H);
        if (f->wrap) /* the legend strip's rows beside the colorbar's block */
            facet_legend_strip(c, f, W);
        /* a thin colorbar: matplotlib's 1:20 (a wrapped facet's at
         * most 18 px at 1080p); a column's or a panel's never wider
         * than an eighth of a plot, the figure's (beside the whole
         * grid) a quarter */
        bool beside_plot = c->o->desc.cbar == HV_CBAR_PANEL || c->o->desc.cbar == HV_CBAR_ROW;
        float bar_len = beside_plot ? f->g.plot_h : f->g.row_y[f->R - 1] + f->g.plot_h - f->g.row_y[0];
        float cb_max = fminf(f->g.plot_w * (c->o->desc.cbar == HV_CBAR_FIGURE ? 0.25f : 0.12f),
                             f->wrap ? 18.0f * c->ts : 1e9f);
        f->cb_w = snap(fmaxf(3.0f, fminf(bar_len / 20.0f, cb_max)));
        bool cut_on_the_way = false; /* (judged over the final width below) */
        int cl = header_lines(c, f, panels, n, &cut_on_the_way);
        /* (bands only grow from pass to pass, so the passes settle) */
        f->col_lines = cl > f->col_lines ? cl : f->col_lines;
        if (pass > 0 && cl0 == f->col_lines && cb0 == f->cb_w && st0 == f->strip_h)
            break;
    }
    facet_solve(c, f, panels, n, W, H);
    /* over the plots' final width a header may need fewer lines
     * than a pass on the way gave it */
    bool hdr_cut = false;
    int cl = header_lines(c, f, panels, n, &hdr_cut);
    if (cl < f->col_lines && !hdr_cut) {
        f->col_lines = cl;
        facet_solve(c, f, panels, n, W, H);
    }
    return hdr_cut;
}

/* A facet grid laid out, not yet drawn: the solved grid, what it came to
 * (fits; names whole; type shrunk; the size that would hold it) and the
 * context, with its type sizes, it was laid out in. */
typedef struct facet_plan {
    facet f;
    bool fitted, cut, shrunk;
    float need_w, need_h;
    ctx c;
} facet_plan;

/* Lays a facet frame out into *out; false when the grid is larger than
 * any layout holds (nothing planned). */
static bool facet_layout(ctx *c, const hv_panel_state *panels, int n, float W, float H, bool strip, facet_plan *out)
{
    const hv_frame_desc *d = &c->o->desc;
    facet f;
    memset(&f, 0, sizeof f);
    f.C = d->cols > 0 ? d->cols : 1;
    f.R = d->rows > 0 ? d->rows : (n + f.C - 1) / f.C;
    f.wrap = d->wrap;
    f.want_strip = f.wrap && (d->one_legend || strip || c->o->legend == HV_LEGEND_OUTSIDE);
    if (f.wrap) {
        f.xlabels_every_row = true;
        for (int p = 1; p < n; p++) {
            const hv_axes *a = panel_axes(c, &panels[p]), *b = panel_axes(c, &panels[0]);
            f.own_y |= a->ylo != b->ylo || a->yhi != b->yhi;
        }
        f.C = n < HV_GRID_MAX ? n : HV_GRID_MAX; /* chosen for the output below */
        f.R = 1;
    }
    if (f.C > HV_GRID_MAX || f.R > HV_GRID_MAX || f.R * f.C < n)
        return false;
    /* rows keep their own x tick labels when their x extents differ, and
     * columns their own y tick labels when their y extents do (models as
     * columns) */
    for (int p = f.C; p < n; p++) {
        const hv_axes *a = panel_axes(c, &panels[p]), *b = panel_axes(c, &panels[p % f.C]);
        if (a->xlo != b->xlo || a->xhi != b->xhi)
            f.xlabels_every_row = true;
    }
    for (int p = 0; p < n && !f.wrap; p++) {
        const hv_axes *a = panel_axes(c, &panels[p]), *b = panel_axes(c, &panels[p - p % f.C]);
        f.own_y |= a->ylo != b->ylo || a->yhi != b->yhi;
    }
    /* panels give up room first, down to their minimum; only then does
     * the type shrink, never below the floor */
    float ts0 = c->ts;
    bool shrunk = false, fitted = false;
    if (c->o->unit > 0) /* a physical size: the journals' minimum, 5 pt */
        c->floor_px = 5.0f * 96.0f / 72.0f * c->o->unit;
    float need_w = 0, need_h = 0;
    bool names_cut = false;
    for (int iter = 0; iter < 40; iter++) {
        names_cut = false;
        facet_fonts(c);
        /* headers: the title's size over the panels of a figure without a
         * title of its own (side), else the labels' */
        c->f_header = f.wrap && !d->title[0] ? c->f_title : c->f_label;
        c->h_header = text_h(c, c->f_header);
        f.col_lines = f.row_lines = 1;
        f.row_horiz = f.row_strip = false;
        f.row_band_w = 0;
        f.cb_w = snap(fminf(18.0f * c->ts, fmaxf(3.0f, H / 40.0f)));
        if (f.wrap) {
            /* the legend strip, and the columns that give the largest
             * plots (a grid with an empty cell only when clearly better) */
            float best = -1e30f;
            int bc = 1;
            bool bcell = false;
            for (int cc = 1; cc <= n && cc <= HV_GRID_MAX; cc++) {
                f.C = cc;
                f.R = (n + cc - 1) / cc;
                f.col_lines = 1;
                if (f.R > HV_GRID_MAX)
                    continue;
                /* the figure legend in the grid's empty cells where it fits
                 * there whole, else under the panels */
                f.legend_cell = false;
                facet_legend_strip(c, &f, W);
                if (f.strip_h > 0 && f.R * f.C > n) {
                    facet cf = f;
                    cf.legend_cell = true;
                    facet_legend_strip(c, &cf, W);
                    facet_solve(c, &cf, panels, n, W, H);
                    if (cf.g.ok && legend_fits_cells(c, &cf, n))
                        f = cf;
                }
                /* (with the lines the panel titles need over these plots) */
                facet_settle(c, &f, panels, n, W, H);
                float side = fminf(f.g.plot_w, f.g.plot_h) * (f.R * f.C > n && !f.legend_cell ? 0.9f : 1.0f);
                if (side > best + 0.5f) {
                    best = side;
                    bc = cc;
                    bcell = f.legend_cell;
                }
            }
            f.C = bc;
            f.R = (n + bc - 1) / bc;
            f.legend_cell = bcell;
            f.col_lines = 1;
            facet_legend_strip(c, &f, W);
        }
        /* The row headers (the models' names) go where they cost the plots
         * least: rotated beside their row on one to three lines, written
         * across in a band as narrow as one to four lines allow, or on one
         * line over their row (a strip). Each candidate is solved (the
         * column headers' lines depend on the plots' width, so a few
         * passes) and the one whose names all fit with the largest plots
         * wins; where none fits, the names are shortened rotated. */
        enum { CAND_ROT = 0, CAND_ACROSS = 3, CAND_STRIP = 7, CAND_N = 8 };
        bool any_rows = false;
        for (int r = 0; r < f.R && !f.wrap; r++)
            any_rows |= d->row_header[r] != NULL;
        float across_w[5] = {0};
        if (any_rows)
            for (int L = 1; L <= 4; L++)
                across_w[L] = facet_across_width(c, &f, L);
        facet best_f = f, fallback_f = f;
        float best_area = -1;
        for (int cand = 0; cand < (any_rows ? CAND_N : 1); cand++) {
            f.row_lines = cand < CAND_ACROSS ? cand + 1 : cand < CAND_STRIP ? cand - CAND_ACROSS + 1 : 1;
            f.row_horiz = cand >= CAND_ACROSS && cand < CAND_STRIP;
            f.row_strip = cand == CAND_STRIP;
            f.row_band_w = f.row_horiz ? across_w[cand - CAND_ACROSS + 1] : 0;
            if (f.row_horiz && !(f.row_band_w > 0))
                continue;
            bool hdr_cut = facet_settle(c, &f, panels, n, W, H);
            float area = f.g.ok ? f.g.plot_w * f.g.plot_h : -1;
            if (iter == 0 && (cand == 0 || f.g.need_w * f.g.need_h < need_w * need_h)) {
                need_w = f.g.need_w;
                need_h = f.g.need_h;
            }
            if (cand == CAND_ROT + 1 || !any_rows) /* names shortened rotated, if nothing else fits */
                fallback_f = f;
            if (area < 0 || hdr_cut || !facet_rows_fit(c, &f))
                continue;
            if (area > best_area + 0.5f) {
                best_area = area;
                best_f = f;
            }
        }
        names_cut = !(best_area > 0);
        f = names_cut ? fallback_f : best_f;
        facet_solve(c, &f, panels, n, W, H);
        if (f.legend_cell && !legend_fits_cells(c, &f, n)) { /* (the passes changed the plots) */
            f.legend_cell = false;
            facet_legend_strip(c, &f, W);
            facet_solve(c, &f, panels, n, W, H);
        }
        if (f.g.ok && (!names_cut || c->f_tick <= c->floor_px + 0.01f)) {
            fitted = true;
            break;
        }
        if (c->f_tick <= c->floor_px + 0.01f)
            break;
        c->ts *= 0.92f;
        shrunk = true;
    }
    out->f = f;
    out->fitted = fitted;
    out->cut = names_cut;
    out->shrunk = shrunk && c->ts < ts0;
    out->need_w = fmaxf(need_w, f.g.need_w);
    out->need_h = fmaxf(need_h, f.g.need_h);
    out->c = *c;
    return true;
}

/* Draws a planned facet frame (in the context it was planned in): 1
 * drawn; 0 when even the smallest type leaves a plot below its minimum
 * (nothing drawn); 2 when a panel's legend found no free corner (nothing
 * drawn: lay out again with strip). */
static int facet_draw(ctx *c, const facet_plan *fp, const hv_panel_state *panels, int n, float W, float H,
                      hv_panel_layout *lays, hv_figure_layout *layout)
{
    const hv_frame_desc *d = &c->o->desc;
    const hv_theme *th = c->th;
    facet f = fp->f;
    if (layout) {
        layout->need_w = fp->need_w;
        layout->need_h = fp->need_h;
        layout->type_shrunk = fp->shrunk;
        layout->cols = f.C;
        layout->rows = f.R;
    }
    if (!fp->fitted)
        return 0;

    /* markers (scatter panels): as the plan's, from the plots' area and the
     * data's spacing */
    {
        const hv_axes *ax0 = panel_axes(c, &panels[0]);
        float pw = f.g.plot_w, ph = f.g.plot_h;
        float per_x = pw / (float)(ax0->xhi - ax0->xlo), per_y = ph / (float)(ax0->yhi - ax0->ylo);
        float by_plot = c->o->unit > 0 ? 8 * c->o->unit : 16 * sqrtf(fmaxf(pw, 1) * fmaxf(ph, 1) / (740.0f * 950.0f));
        float crowd = 0.6f * sqrtf(fmaxf(pw * ph, 1) / (float)(c->fig->max_points > 0 ? c->fig->max_points : 1));
        float spacing = fmaxf(0.9f * fminf(per_x, per_y), crowd);
        float ctx_marker = (c->o->context > 0 ? c->o->context : 1.0f) * (float)c->fig->spec->marker_scale;
        c->marker = fmaxf(2.0f, fminf(fmaxf(by_plot, 6.0f), spacing) * ctx_marker);
    }

    /* panels, content and axes */
    /* numbers stand one above the other as close as their digits allow
     * (no room for descenders) */
    hv_text_metrics dm;
    measure(c, "0123456789", c->f_tick, &dm);
    const float digit_h = fminf(dm.ascent, c->h_tick);
    float xlab_edge = -1e30f; /* the right end of the last x tick label drawn in this row */
    float xlab_px = 0;
    for (int p = 0; p < n; p++)
        xlab_px = fmaxf(xlab_px, max_label_w(c, &panel_axes(c, &panels[p])->xticks, c->f_tick));
    for (int p = 0; p < n; p++) {
        int r = p / f.C, col = p % f.C;
        hv_panel_layout *lay = &lays[p];
        memset(lay, 0, sizeof *lay);
        float x0 = snap(f.g.col_x[col]), y0 = snap(f.g.row_y[r]);
        lay->plot = (hv_rect){x0, y0, snap(f.g.col_x[col] + f.g.plot_w) - x0, snap(f.g.row_y[r] + f.g.plot_h) - y0};
        float m = c->marker * 0.5f;
        lay->cell = (hv_rect){lay->plot.x - m, lay->plot.y - m, lay->plot.w + 2 * m, lay->plot.h + 2 * m};
        const hv_axes *given = panel_axes(c, &panels[p]);
        lay->sx = (hv_scale){given->xlo, given->xhi, lay->plot.x, lay->plot.x + lay->plot.w};
        lay->sy = panel_sy(&panels[p], given, lay->plot);
    }
    /* the legend in each panel's free corner (side): where some panel has
     * none, the figure is laid out again with the legend under it */
    plan lp;
    facet_legend_plan(c, &f, &lp);
    bool in_panel_legends = f.wrap && f.strip_h == 0 && !f.legend_cell && c->o->legend != HV_LEGEND_NONE && !d->no_legend &&
                            c->fig->ds->n_models > 0;
    if (in_panel_legends && !place_legends(c, &lp, panels, n, lays))
        return 2;
    for (int p = 0; p < n; p++) {
        int r = p / f.C, col = p % f.C;
        hv_panel_layout *lay = &lays[p];
        if (col == 0) /* (a new row) */
            xlab_edge = -1e30f;
        if (panels[p].hidden)
            continue; /* a build's later panel: its place kept, nothing moves when it appears */
        const hv_axes *given = panel_axes(c, &panels[p]);
        hv_axes ax = *given;
        facet_ticks(c, &given->xticks, c->fig->spec->xticks.set, given->xlo, given->xhi, lay->plot.w,
                    xlab_px + 6 * c->ts, &ax.xticks);
        facet_ticks(c, &given->yticks, c->fig->spec->yticks.set, given->ylo, given->yhi, lay->plot.h,
                    c->h_tick * 1.25f, &ax.yticks);
        c->axo = &ax;
        draw_panel_content(c, &panels[p], lay);
        /* the frame; ticks outside; labels on the outer panels only */
        hv_rect plot = lay->plot;
        frame_rect(c, plot, th->axis);
        bool xl = f.xlabels_every_row || r == f.R - 1 || p + f.C >= n;
        for (int i = 0; i < ax.xticks.n; i++)
            vline(c, (float)hv_scale_map(&lay->sx, ax.xticks.v[i]), plot.y + plot.h + c->lw,
                  plot.y + plot.h + c->lw + c->tick_len, th->axis);
        if (col == 0 || f.own_y)
            for (int i = 0; i < ax.yticks.n; i++)
                hline(c, plot.x - c->lw - c->tick_len, plot.x - c->lw, (float)hv_scale_map(&lay->sy, ax.yticks.v[i]),
                      th->axis);
        if (xl) {
            float xneed = max_label_w(c, &ax.xticks, c->f_tick) + 4 * c->ts;
            int kx = label_stride(&ax.xticks, &lay->sx, xneed);
            /* a label never crosses the middle of the gap to the next
             * panel: one that would is moved in by up to a third of its
             * width (it still stands under its tick), as long as it stays
             * as far from its neighbours as the labels keep apart, else
             * it is left out */
            float lim0 = col > 0 ? plot.x - f.in.left_w[col] - f.in.hgap * 0.5f : 0;
            float lim1 = col < f.C - 1 && p + 1 < n ? plot.x + plot.w + f.in.right_w[col] + f.in.hgap * 0.5f : W;
            /* (and a fifth of their size from the last label left of it in the row) */
            if (col > 0)
                lim0 = fmaxf(lim0, xlab_edge + 0.2f * c->f_tick);
            float prev = -1e30f;
            for (int i = 0; i < ax.xticks.n; i += kx) {
                float x = snap((float)hv_scale_map(&lay->sx, ax.xticks.v[i]));
                float hw = text_w(c, ax.xticks.label[i], c->f_tick) * 0.5f;
                float in = fmaxf(lim0 + hw, fminf(lim1 - hw, x));
                in = in > x ? ceilf(in) : in < x ? floorf(in) : x;
                float next = i + kx < ax.xticks.n ? (float)hv_scale_map(&lay->sx, ax.xticks.v[i + kx]) : 1e30f;
                if (fabsf(in - x) > hw * (2.0f / 3.0f) || in - hw < lim0 - 0.5f || in + hw > lim1 + 0.5f ||
                    (in != x && (in - prev < xneed || next - in < xneed)))
                    continue;
                x = prev = in;
                xlab_edge = x + hw;
                /* (the digits' tops, not their box's, a pad under the ticks:
                 * the room over them goes under them, between the rows) */
                hv_dl_text(c->dl, ax.xticks.label[i], x,
                           snap(plot.y + plot.h + c->lw + c->tick_len + c->pad - 0.2f * digit_h), c->f_tick,
                           th->text, HV_ANCHOR_CENTER, HV_ANCHOR_START, 0);
            }
        }
        if (col == 0 || f.own_y) {
            int ky = label_stride(&ax.yticks, &lay->sy, c->h_tick * 1.1f);
            /* never fewer than two labels: digits' ink is about 0.8 of
             * the ascent, so two labels that close still do not touch */
            if (ky >= ax.yticks.n && ax.yticks.n >= 2)
                ky = label_stride(&ax.yticks, &lay->sy, digit_h * 0.82f);
            for (int i = 0; i < ax.yticks.n; i += ky)
                hv_dl_text(c->dl, ax.yticks.label[i], snap(plot.x - c->lw - c->tick_len - c->pad),
                           snap((float)hv_scale_map(&lay->sy, ax.yticks.v[i])), c->f_tick, th->text, HV_ANCHOR_END,
                           HV_ANCHOR_CENTER, 0);
        }
        c->axo = NULL;
        if (in_panel_legends && lay->legend.w > 0)
            draw_legend_box(c, &lp, &panels[p], &lay->plot, lay->legend, lay);
    }

    /* headers: conditions over the columns, models left of the rows */
    char lines[2][160];
    bool cut, any_cut = false;
    for (int k = 0; k < (f.wrap ? n : f.C) && k < n; k++) {
        const char *hdr = f.wrap ? facet_header(&f, panels, n, k) : d->col_header[k];
        if (!hdr || (f.wrap && panels[k].hidden))
            continue;
        float sx0, sx1;
        facet_header_slot(&f, k % f.C, &sx0, &sx1);
        float maxw = sx1 - sx0;
        char wl[4][160];
        int nl = hv_fit_lines(hdr, maxw, f.col_lines < 2 ? f.col_lines : 2, facet_text_w, c, lines, &cut);
        for (int i = 0; i < nl; i++)
            snprintf(wl[i], sizeof wl[i], "%s", lines[i]);
        char wl3[4][160];
        int nl3 = 0;
        if (cut && f.col_lines > 2 && hv_wrap(hdr, maxw, f.col_lines, facet_text_w, c, wl3, &nl3)) {
            cut = false;
            memcpy(wl, wl3, sizeof wl);
            nl = nl3;
        }
        any_cut |= cut;
        /* centred on the plot, or as near it as the slot allows */
        float wide = 0;
        for (int i = 0; i < nl; i++)
            wide = fmaxf(wide, text_w(c, wl[i], c->f_header));
        float cx = lays[k].plot.x + lays[k].plot.w * 0.5f;
        cx = snap(fmaxf(sx0 + wide * 0.5f, fminf(sx1 - wide * 0.5f, cx)));
        float bottom = lays[k].plot.y - f.gap - f.hdr_lift - (f.row_strip ? f.lead + f.strip_lift : 0);
        for (int i = 0; i < nl; i++)
            hv_dl_text(c->dl, wl[i], cx, snap(bottom - f.lead * (float)(nl - 1 - i)), c->f_header, th->text,
                       HV_ANCHOR_CENTER, HV_ANCHOR_END, 0);
    }
    float hdr_right = facet_rowhdr_right(&f);
    for (int r = 0; r < f.R; r++) {
        int p = r * f.C;
        if (p >= n || !d->row_header[r])
            continue;
        float len = f.g.plot_h + f.in.bottom_h[r];
        /* centred on the row's band: its plots and their tick labels */
        float cy = snap(lays[p].plot.y + len * 0.5f);
        if (f.row_strip) {
            hv_dl_text(c->dl, d->row_header[r], lays[p].plot.x, snap(lays[p].plot.y - f.gap * 0.5f - f.strip_lift), c->f_header,
                       th->text, HV_ANCHOR_START, HV_ANCHOR_END, 0);
            continue;
        }
        if (f.row_horiz) {
            int maxl = f.row_lines;
            char wl[4][160];
            int nl = 0;
            if (!hv_wrap(d->row_header[r], f.row_band_w + 0.5f, maxl, facet_text_w, c, wl, &nl)) {
                /* (at the smallest type and still too long: shortened, across) */
                nl = hv_fit_lines(d->row_header[r], f.row_band_w + 0.5f, maxl < 2 ? 1 : 2, facet_text_w, c, lines,
                                  &cut);
                any_cut |= cut;
                for (int i = 0; i < nl; i++)
                    memcpy(wl[i], lines[i], sizeof wl[i]);
            }
            {
                float top = cy - (f.lead * (float)(nl - 1) + c->h_header) * 0.5f;
                for (int i = 0; i < nl; i++)
                    hv_dl_text(c->dl, wl[i], snap(hdr_right - f.row_band_w), snap(top + f.lead * (float)i),
                               c->f_header, th->text, HV_ANCHOR_START, HV_ANCHOR_START, 0);
                continue;
            }
        }
        char rl[4][160];
        float sy0, sy1;
        facet_row_span(c, &f, r, &sy0, &sy1);
        int nl = hv_fit_lines(d->row_header[r], sy1 - sy0, f.row_lines < 2 ? f.row_lines : 2, facet_text_w, c, lines,
                              &cut);
        for (int i = 0; i < nl; i++)
            memcpy(rl[i], lines[i], sizeof rl[i]);
        int nw = 0;
        if (cut && f.row_lines > 2 && hv_wrap(d->row_header[r], sy1 - sy0, f.row_lines, facet_text_w, c, rl, &nw)) {
            cut = false;
            nl = nw;
        }
        any_cut |= cut;
        float longest = 0;
        for (int i = 0; i < nl; i++)
            longest = fmaxf(longest, text_w(c, rl[i], c->f_header));
        cy = snap(facet_row_centre(c, &f, r, longest));
        /* rotated to read upwards: the first line farthest from the plots */
        for (int i = 0; i < nl; i++)
            hv_dl_text(c->dl, rl[i], snap(hdr_right - f.lead * (float)(nl - 1 - i)), cy, c->f_header, th->text,
                       HV_ANCHOR_CENTER, HV_ANCHOR_END, 90);
    }
    /* the axis labels once, centred on the plots */
    char fit[HV_TEXT_MAX + 8];
    float gx0 = lays[0].plot.x, gx1 = lays[f.C - 1 < n ? f.C - 1 : n - 1].plot.x + f.g.plot_w;
    float gy0 = lays[0].plot.y, gy1 = f.g.row_y[f.R - 1] + f.g.plot_h;
    const char *xlabel = axis_label(c, &panels[0], false), *ylabel = axis_label(c, &panels[0], true);
    hv_dl_text(c->dl, fit_text(c, xlabel, c->f_label, gx1 - gx0, fit, sizeof fit), snap((gx0 + gx1) * 0.5f),
               snap(H - f.in.margin - f.strip_h), c->f_label, th->text, HV_ANCHOR_CENTER, HV_ANCHOR_END, 0);
    if (f.ylabel_corner) /* (on the column headers' last baseline) */
        hv_dl_text(c->dl, ylabel, snap(gx0 - c->lw - c->tick_len - c->pad), snap(gy0 - f.gap - f.hdr_lift), c->f_label,
                   th->text, HV_ANCHOR_END, HV_ANCHOR_END, 0);
    else
        hv_dl_text(c->dl, fit_text(c, ylabel, c->f_label, gy1 - gy0, fit, sizeof fit), snap(f.in.margin),
                   snap((gy0 + gy1) * 0.5f), c->f_label, th->text, HV_ANCHOR_CENTER, HV_ANCHOR_START, 90);
    if (d->title[0]) { /* (two cross-fade in a transition) */
        hv_panel_state tp;
        memset(&tp, 0, sizeof tp);
        for (int k = 0; k < 2; k++) {
            tp.title[k] = d->title[k];
            tp.title_alpha[k] = d->title_alpha[k];
        }
        draw_titles(c, &tp, W * 0.5f, f.in.margin + c->h_title, W - 2 * f.in.margin);
    }
    if (f.legend_cell) {
        draw_legend_cells(c, &f, n, &panels[0], layout);
        if (layout)
            layout->legend_outside = true;
    } else if (f.strip_h > 0) {
        plan sp;
        facet_legend_plan(c, &f, &sp);
        draw_legend_strip(c, &sp, &panels[0], W, H - f.in.margin - f.strip_h, layout);
        if (layout)
            layout->legend_outside = true;
    }
    /* colorbars: one per column over its plots, or one for the figure */
    plan pl;
    memset(&pl, 0, sizeof pl);
    float nan_x = NAN;
    if (d->cbar == HV_CBAR_PANEL) {
        for (int p = 0; p < n; p++) { /* beside each panel, labelled in the last column */
            int k = p % f.C;
            hv_rect cb = {snap(lays[p].plot.x + f.g.plot_w + f.cb_gap), lays[p].plot.y, f.cb_w, lays[p].plot.h};
            lays[p].colorbar = cb; /* (a hidden panel's too: its place is kept) */
            if (panels[p].hidden)
                continue;
            float lx = k == f.C - 1 || f.wrap ? cb.x + f.in.right_w[k] - f.cb_gap : nan_x;
            draw_colorbar(c, &pl, &panels[p], cb, lx);
        }
    } else if (d->cbar == HV_CBAR_COLUMN) {
        for (int k = 0; k < f.C && k < n; k++) {
            int last = k + f.C * ((n - 1 - k) / f.C);
            hv_rect cb = {snap(lays[k].plot.x + f.g.plot_w + f.cb_gap), gy0, f.cb_w,
                          lays[last].plot.y + lays[last].plot.h - gy0};
            float lx = k == f.C - 1 ? cb.x + f.in.right_w[k] - f.cb_gap : nan_x;
            draw_colorbar(c, &pl, &panels[last], cb, lx);
            for (int p = k; p < n; p += f.C)
                lays[p].colorbar = cb;
        }
    } else if (d->cbar == HV_CBAR_FIGURE) {
        hv_rect cb = {snap(f.g.grid_x1 + f.cb_gap), gy0, f.cb_w, gy1 - gy0};
        draw_colorbar(c, &pl, &panels[0], cb, W - f.in.margin);
        for (int p = 0; p < n; p++)
            lays[p].colorbar = cb;
    } else if (d->cbar == HV_CBAR_ROW) { /* beside each row, labelled once */
        for (int r = 0; r < f.R && r * f.C < n; r++) {
            hv_rect cb = {snap(f.g.grid_x1 + f.cb_gap), lays[r * f.C].plot.y, f.cb_w, lays[r * f.C].plot.h};
            draw_colorbar(c, &pl, &panels[r * f.C], cb, nan_x);
            for (int p = r * f.C; p < n && p < (r + 1) * f.C; p++)
                lays[p].colorbar = cb;
        }
        draw_colorbar_label(c, W - f.in.margin, gy0, gy1 - gy0);
    }
    if (layout)
        layout->shortened = any_cut;
    return 1;
}

/* Models as the columns and conditions as the rows of a facet grid (the
 * spec's facets =; a colorbar per condition then stands beside its row):
 * never, always, or where that gives the plots at least a tenth more room
 * at the same type, every name whole (five models in a
 * 16:9 thumbnail: five columns of squarish plots with their x tick labels
 * once, rather than five rows of strips each with its own). */
#define HV_FACETS_GAIN 1.1f

/* A plan's plot area (0 where a plot is below its minimum). */
static float facet_area(const facet_plan *fp) { return fp->f.g.ok ? fp->f.g.plot_w * fp->f.g.plot_h : 0; }

static int build_facet(ctx *c, const hv_panel_state *panels, int n, float W, float H, hv_panel_layout *lays,
                       hv_figure_layout *layout, bool strip)
{
    const hv_frame_desc *d = &c->o->desc;
    int mode = c->fig->spec->facets;
    int R = d->rows, C = d->cols;
    facet_plan pn, pt;
    if (d->wrap || mode == HV_FACETS_ROWS || d->cbar == HV_CBAR_ROW || R < 1 || C < 1 || R * C != n ||
        R > HV_MAX_CONDITIONS || C > HV_MAX_MODELS) {
        if (!facet_layout(c, panels, n, W, H, strip, &pn))
            return 0;
        *c = pn.c;
        return facet_draw(c, &pn, panels, n, W, H, lays, layout);
    }
    /* the same grid transposed: panel (r, k) at row k, column r */
    hv_figure_opts ot = *c->o;
    hv_frame_desc *dt = &ot.desc;
    dt->rows = C;
    dt->cols = R;
    if (d->cbar == HV_CBAR_COLUMN) /* (a colorbar per condition: per row now) */
        dt->cbar = HV_CBAR_ROW;
    for (int k = 0; k < HV_MAX_CONDITIONS; k++)
        dt->col_header[k] = k < R ? d->row_header[k] : NULL;
    for (int k = 0; k < HV_MAX_MODELS; k++)
        dt->row_header[k] = k < C ? d->col_header[k] : NULL;
    hv_panel_state tp[HV_MAX_PANELS];
    int perm[HV_MAX_PANELS];
    for (int p = 0; p < n; p++) {
        int q = (p % C) * R + p / C;
        tp[q] = panels[p];
        perm[q] = p;
    }
    /* each way laid out once; the one taken is drawn from its plan */
    const hv_figure_opts *o0 = c->o;
    ctx c0 = *c;
    bool has_n = mode == HV_FACETS_AUTO && facet_layout(c, panels, n, W, H, strip, &pn);
    *c = c0;
    c->o = &ot;
    bool has_t = facet_layout(c, tp, n, W, H, strip, &pt);
    *c = c0;
    bool transpose = has_t;
    if (has_n && has_t) {
        if (pt.fitted != pn.fitted)
            transpose = pt.fitted;
        else if (fabsf(pt.c.ts - pn.c.ts) > 0.001f * c0.ts)
            transpose = pt.c.ts > pn.c.ts; /* the type shrinks last */
        else if (pt.cut != pn.cut)
            transpose = !pt.cut;
        else
            transpose = facet_area(&pt) > HV_FACETS_GAIN * facet_area(&pn);
    }
    if (!transpose) {
        if (!has_n)
            return 0;
        *c = pn.c;
        return facet_draw(c, &pn, panels, n, W, H, lays, layout);
    }
    hv_panel_layout tl[HV_MAX_PANELS];
    *c = pt.c; /* (its options: the transposed grid's) */
    int built = facet_draw(c, &pt, tp, n, W, H, tl, layout);
    c->o = o0;
    for (int q = 0; q < n; q++)
        lays[perm[q]] = tl[q];
    return built;
}

/* The scale, marker and type sizes a frame was laid out with. */
static void layout_sizes(const ctx *c, hv_figure_layout *l)
{
    l->scale = c->s;
    l->type_scale = c->ts;
    l->marker_size = c->marker;
    l->f_title = c->f_title;
    l->f_label = c->f_label;
    l->f_tick = c->f_tick;
    l->f_legend = c->f_legend;
}

void hv_figure_build(const hv_figure *fig, const hv_figure_opts *o, const hv_panel_state *panels,
                     int n_panels, hv_drawlist *dl, hv_figure_layout *layout)
{
    ctx c;
    memset(&c, 0, sizeof c);
    c.fig = fig;
    c.o = o;
    c.th = hv_theme_get(o->theme);
    c.dl = dl;
    float W = (float)o->width, H = (float)o->height - fmaxf(0.0f, o->reserve_bottom);
    float s = fminf(W / 1920.0f, H / 1080.0f);
    float ctxs = o->context > 0 ? o->context : 1.0f;
    /* type: 1080p's sizes up to 1920x1080 (as matplotlib keeps its points
     * whatever the figure's size), growing above it; a physical size sets
     * the unit (dpi / 96) */
    c.ts = (o->unit > 0 ? o->unit : fmaxf(s, 1.0f)) * ctxs;
    c.s = (o->unit > 0 ? o->unit : s) * ctxs;
    c.lw = fmaxf(1.0f, snap(1.25f * c.s));
    /* type is never smaller than 11 px on outputs of 640x360 and up; a
     * thumbnail below that shrinks it (to 5 px at least) so its plots show */
    c.floor_px = fmaxf(5.0f, 11.0f * fminf(1.0f, fminf(fmaxf(W, H) / 640.0f, fminf(W, H) / 360.0f)));
    if (o->unit > 0) /* a physical size: never under 7 pt */
        c.floor_px = 7.0f * 96.0f / 72.0f * o->unit;

    c.clear = c.th->bg;
    if (o->transparent)
        c.clear = (hv_color){0, 0, 0, 0};
    hv_drawlist_reset(dl, o->width, o->height, c.clear);
    c.cmap = o->desc.cmap > 0 ? hv_colormap_at(o->desc.cmap - 1) : fig->cmap;
    dl->colormap_index = hv_colormap_index(c.cmap);
    if (layout) {
        memset(layout, 0, sizeof *layout);
        layout->n_panels = n_panels;
    }
    if (n_panels <= 0)
        return;
    if (n_panels > HV_MAX_PANELS)
        n_panels = HV_MAX_PANELS;

    const hv_frame_desc *d = &o->desc;
    bool want_legend = o->legend != HV_LEGEND_NONE && !d->no_legend && fig->ds->n_models > 0;
    bool strip = want_legend && (o->legend == HV_LEGEND_OUTSIDE || d->one_legend);
    c.marker = 16 * c.s * (float)fig->spec->marker_scale;
    float ctx_marker = ctxs * (float)fig->spec->marker_scale;

    plan pl;
    hv_panel_layout lays[HV_MAX_PANELS];
    if (d->facet) {
        int built = build_facet(&c, panels, n_panels, W, H, lays, layout, false);
        if (built == 2) { /* no free corner for some panel's legend: under the panels */
            hv_drawlist_reset(dl, o->width, o->height, c.clear);
            c.ts = (o->unit > 0 ? o->unit : fmaxf(s, 1.0f)) * ctxs;
            if (layout) {
                memset(layout, 0, sizeof *layout);
                layout->n_panels = n_panels;
            }
            built = build_facet(&c, panels, n_panels, W, H, lays, layout, true);
        }
        bool fits = built == 1;
        if (fits || (W >= 320 && H >= 180)) {
            if (!fits) /* nothing rather than a panel without its data */
                hv_drawlist_reset(dl, o->width, o->height, c.clear);
            if (layout) {
                layout->fits = fits;
                layout_sizes(&c, layout);
                for (int p = 0; p < n_panels && fits; p++)
                    layout->panels[p] = lays[p];
            }
            return;
        }
        /* a thumbnail under 320x180 that the grid cannot hold: drawn as well
         * as the panel plan below can, rather than refused */
        hv_drawlist_reset(dl, o->width, o->height, c.clear);
        c.ts = (o->unit > 0 ? o->unit : fmaxf(s, 1.0f)) * ctxs;
        c.floor_px = o->unit > 0 ? 7.0f * 96.0f / 72.0f * o->unit
                                 : fmaxf(5.0f, 11.0f * fminf(1.0f, fminf(fmaxf(W, H) / 640.0f, fminf(W, H) / 360.0f)));
        if (layout) {
            memset(layout, 0, sizeof *layout);
            layout->n_panels = n_panels;
        }
    }
    for (int attempt = 0; attempt < 2; attempt++) {
        make_plan(&c, &pl, panels, n_panels, W, H, strip);
        /* markers follow the plots' area (16 px on the seed's 740 x 950 px
         * plots at 1920x1080, whatever the output's shape), never larger
         * than the data's spacing allows (a 400 x 400 grid of heads gets
         * dots, not blobs) */
        hv_rect p0 = plot_rect(&pl, cell_rect(&pl, 0));
        const hv_axes *ax0 = panel_axes(&c, &panels[0]);
        float per_x = p0.w / (float)(ax0->xhi - ax0->xlo), per_y = p0.h / (float)(ax0->yhi - ax0->ylo);
        float by_plot = 16 * sqrtf(fmaxf(p0.w, 1) * fmaxf(p0.h, 1) / (740.0f * 950.0f));
        if (o->unit > 0) /* a physical size: 6 pt markers, like matplotlib's scatter */
            by_plot = 8 * o->unit;
        /* the spacing limits only crowded panels: ten heads on an 80 x 64
         * grid keep their size, 25,000 on a 400 x 400 grid become dots */
        float crowd = 0.6f * sqrtf(fmaxf(p0.w * p0.h, 1) / (float)(fig->max_points > 0 ? fig->max_points : 1));
        float spacing = fmaxf(0.9f * fminf(per_x, per_y), crowd);
        c.marker = fmaxf(2.0f, fminf(fmaxf(by_plot, 6.0f), spacing) * ctx_marker);
        for (int p = 0; p < n_panels; p++) {
            hv_panel_layout *lay = &lays[p];
            memset(lay, 0, sizeof *lay);
            lay->cell = cell_rect(&pl, p);
            lay->plot = plot_rect(&pl, lay->cell);
            const hv_axes *ax = panel_axes(&c, &panels[p]);
            lay->sx = (hv_scale){ax->xlo, ax->xhi, lay->plot.x, lay->plot.x + lay->plot.w};
            lay->sy = panel_sy(&panels[p], ax, lay->plot);
            lay->colorbar = (hv_rect){snap(lay->plot.x + lay->plot.w + pl.cb_gap), lay->plot.y, pl.cb_w, lay->plot.h};
        }
        if (!want_legend || strip || place_legends(&c, &pl, panels, n_panels, lays))
            break;
        strip = true; /* auto found no free corner: outside, for every panel */
    }

    const hv_theme *th = c.th;
    int skipped = 0;
    for (int p = 0; p < n_panels; p++) {
        hv_panel_layout *lay = &lays[p];
        if (lay->plot.w < 4 || lay->plot.h < 4) {
            skipped++;
            continue; /* too small to draw anything useful: reported (layout->fits) */
        }
        if (panels[p].hidden)
            continue; /* its place is kept: nothing moves when it appears */
        draw_panel_content(&c, &panels[p], lay);
        draw_panel_axes(&c, &pl, &panels[p], lay);
        if (want_legend && !strip && lay->legend.w > 0)
            draw_legend_box(&c, &pl, &panels[p], &lay->plot, lay->legend, lay);
        if (d->cbar == HV_CBAR_PANEL)
            draw_colorbar(&c, &pl, &panels[p], lay->colorbar, lay->cell.x + lay->cell.w);
        else if (d->cbar == HV_CBAR_COLUMN && (p / pl.cols == pl.rows - 1 || p + pl.cols >= n_panels)) {
            /* the last panel of a column: one bar over the column's plots */
            int col = p % pl.cols;
            hv_rect top = lays[col].plot, cb = lay->colorbar;
            cb.y = top.y;
            cb.h = lay->plot.y + lay->plot.h - top.y;
            draw_colorbar(&c, &pl, &panels[p], cb, lay->cell.x + lay->cell.w);
        }
    }
    if (d->cbar == HV_CBAR_FIGURE) {
        int last = n_panels - 1;
        float x = W - pl.x0 - pl.fig_cb_w + pl.cb_gap * 0.5f;
        hv_rect cb = {snap(x), lays[0].plot.y, pl.cb_w, lays[last].plot.y + lays[last].plot.h - lays[0].plot.y};
        draw_colorbar(&c, &pl, &panels[0], cb, W - pl.x0);
    }
    if (want_legend && strip) {
        float y_top = pl.y0 + (pl.cell_h + pl.vgap) * (float)pl.rows - pl.vgap;
        draw_legend_strip(&c, &pl, &panels[0], W, y_top, layout);
    }
    (void)th;

    if (layout) {
        layout->cols = pl.cols;
        layout->rows = pl.rows;
        layout_sizes(&c, layout);
        layout->legend_outside = want_legend && strip;
        /* (a thumbnail under 320x180 is drawn as well as it can be) */
        layout->fits = skipped == 0 || W < 320 || H < 180;
        if (!layout->fits) { /* about the output that gives the smallest plot 16 px */
            float k = 16.0f / fmaxf(1.0f, fminf(lays[0].plot.w, lays[0].plot.h));
            layout->need_w = W * fmaxf(1.0f, fminf(k, 4.0f));
            layout->need_h = H * fmaxf(1.0f, fminf(k, 4.0f));
        }
        for (int p = 0; p < n_panels; p++) {
            layout->panels[p] = lays[p];
            if (strip || !want_legend) {
                layout->panels[p].legend = (hv_rect){0, 0, 0, 0};
                memset(layout->panels[p].legend_rows, 0, sizeof layout->panels[p].legend_rows);
            }
        }
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
        if (!in_rect(pl->cell, x, y))
            continue;
        for (int i = 0; i < panels[p].n_points; i++) {
            const hv_scene_point *sp = &panels[p].points[i];
            if (sp->alpha * panels[p].model_alpha[sp->model] < 0.2f)
                continue;
            float px, py;
            hv_panel_point(&panels[p], pl, sp->layer, sp->head, &px, &py);
            float dx = px - x, dy = py - y;
            float r = (sp->flags & HV_POINT_OUTLINE ? fabsf((float)(hv_scale_map(&pl->sx, 1) - hv_scale_map(&pl->sx, 0))) * 0.5f
                                                    : l->marker_size * sp->scale * 0.5f) + 3.0f;
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

bool hv_figure_hit_cell(const hv_figure_layout *l, const hv_panel_state *panels, int n_panels, float x, float y,
                        int *panel, int *layer, int *head)
{
    for (int p = 0; p < n_panels && p < l->n_panels; p++) {
        const hv_panel_layout *pl = &l->panels[p];
        if (!panels[p].cells || !in_rect(pl->plot, x, y))
            continue;
        long X = lround(hv_scale_unmap(&pl->sx, x)), Y = lround(hv_scale_unmap(&pl->sy, y));
        long L = panels[p].layers_y ? Y : X, H = panels[p].layers_y ? X : Y;
        if (cell_index(&panels[p], L, H) < 0)
            return false;
        *panel = p;
        *layer = (int)L;
        *head = (int)H;
        return true;
    }
    return false;
}

int hv_figure_hit_legend(const hv_figure_layout *l, float x, float y)
{
    for (int m = 0; m < HV_MAX_MODELS; m++)
        if (l->legend_rows[m].w > 0 && in_rect(l->legend_rows[m], x, y))
            return m;
    for (int p = 0; p < l->n_panels; p++)
        for (int m = 0; m < HV_MAX_MODELS; m++)
            if (l->panels[p].legend_rows[m].w > 0 && in_rect(l->panels[p].legend_rows[m], x, y))
                return m;
    return -1;
}

void hv_figure_title(const hv_figure *fig, int m, int c, char *out, int out_size)
{
    const hv_cond_info *ci = &fig->conds[c];
    if (m < 0 || m >= fig->ds->n_models || !ci->tmpl) {
        snprintf(out, (size_t)out_size, "%s", ci->title);
        return;
    }
    hv_spec_expand_title(ci->tmpl, fig->models[m].label, fig->ds->conditions[c], ci->k, out, out_size);
}

bool hv_figure_title_names_model(const hv_figure *fig)
{
    for (int c = 0; c < fig->ds->n_conditions; c++)
        if (fig->conds[c].tmpl && strstr(fig->conds[c].tmpl, "{model}"))
            return true;
    return false;
}
