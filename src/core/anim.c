#include "anim.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- names ---------------------------------------------------------------- */

static const char *const k_ease[HV_EASE_COUNT] = {"linear", "cubic", "quint", "back", "elastic"};
static const char *const k_match[HV_MATCH_COUNT] = {"head", "rank", "nearest"};
static const char *const k_layout[HV_LAYOUT_COUNT] = {"side", "morph", "models", "heatmap", "diff"};

const char *hv_easing_name(int e) { return e >= 0 && e < HV_EASE_COUNT ? k_ease[e] : "?"; }
const char *hv_match_name(int m) { return m >= 0 && m < HV_MATCH_COUNT ? k_match[m] : "?"; }
const char *hv_layout_name(int l) { return l >= 0 && l < HV_LAYOUT_COUNT ? k_layout[l] : "?"; }

static int parse_name(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(s, names[i]) == 0)
            return i;
    return -1;
}

int hv_easing_parse(const char *s)
{
    int e = parse_name(s, k_ease, HV_EASE_COUNT);
    if (e >= 0)
        return e;
    /* long names too */
    if (strcasecmp(s, "cubic-in-out") == 0)
        return HV_EASE_CUBIC;
    if (strcasecmp(s, "quint-in-out") == 0 || strcasecmp(s, "quintic") == 0)
        return HV_EASE_QUINT;
    if (strcasecmp(s, "back-out") == 0)
        return HV_EASE_BACK;
    if (strcasecmp(s, "elastic-out") == 0)
        return HV_EASE_ELASTIC;
    return -1;
}
int hv_match_parse(const char *s) { return parse_name(s, k_match, HV_MATCH_COUNT); }
int hv_layout_parse(const char *s) { return parse_name(s, k_layout, HV_LAYOUT_COUNT); }

/* ---- easing ---------------------------------------------------------------- */

double hv_ease(hv_easing e, double u)
{
    if (!(u > 0))
        return 0;
    if (u >= 1)
        return 1;
    switch (e) {
    case HV_EASE_LINEAR: return u;
    case HV_EASE_CUBIC: return u < 0.5 ? 4 * u * u * u : 1 - pow(-2 * u + 2, 3) / 2;
    case HV_EASE_QUINT: return u < 0.5 ? 16 * pow(u, 5) : 1 - pow(-2 * u + 2, 5) / 2;
    case HV_EASE_BACK: {
        const double c1 = 1.70158, c3 = c1 + 1;
        return 1 + c3 * pow(u - 1, 3) + c1 * pow(u - 1, 2);
    }
    case HV_EASE_ELASTIC: {
        const double c4 = 2 * 3.14159265358979323846 / 3;
        return pow(2, -10 * u) * sin((u * 10 - 0.75) * c4) + 1;
    }
    default: return u;
    }
}

/* ---- timeline ---------------------------------------------------------------- */

double hv_timeline_period(const hv_timeline *tl) { return tl->n_states * (tl->hold + tl->transition); }

double hv_timeline_progress(const hv_timeline *tl, double t)
{
    double seg = tl->hold + tl->transition;
    double period = hv_timeline_period(tl);
    if (tl->n_states < 1 || !(seg > 0))
        return 0;
    t = fmod(t, period);
    if (t < 0)
        t += period;
    int k = (int)floor(t / seg);
    if (k >= tl->n_states)
        k = tl->n_states - 1;
    double local = t - k * seg;
    if (local <= tl->hold || tl->transition <= 0)
        return k;
    double u = (local - tl->hold) / tl->transition;
    return k + (u < 1 ? u : 1 - 1e-12);
}

double hv_timeline_time(const hv_timeline *tl, double progress)
{
    double seg = tl->hold + tl->transition;
    double k = floor(progress);
    double u = progress - k;
    if (u <= 0)
        return k * seg;
    return k * seg + tl->hold + u * tl->transition;
}

/* ---- optimal assignment (Hungarian algorithm with potentials) -------------- */

bool hv_assign(const double *cost, int n, int m, int *row_to_col, double *total)
{
    bool tr = n > m;
    int R = tr ? m : n, C = tr ? n : m; /* R <= C */
    size_t sz = (size_t)C + 1;
    double *u = calloc((size_t)R + 1, sizeof *u), *v = calloc(sz, sizeof *v), *minv = malloc(sz * sizeof *minv);
    int *p = calloc(sz, sizeof *p), *way = calloc(sz, sizeof *way);
    bool *used = malloc(sz * sizeof *used);
    if (!u || !v || !minv || !p || !way || !used) {
        free(u), free(v), free(minv), free(p), free(way), free(used);
        return false;
    }
#define COST(i, j) (tr ? cost[(size_t)(j) * (size_t)m + (size_t)(i)] : cost[(size_t)(i) * (size_t)m + (size_t)(j)])
    for (int i = 1; i <= R; i++) {
        p[0] = i;
        int j0 = 0;
        for (int j = 0; j <= C; j++) {
            minv[j] = DBL_MAX;
            used[j] = false;
        }
        do {
            used[j0] = true;
            int i0 = p[j0], j1 = 0;
            double delta = DBL_MAX;
            for (int j = 1; j <= C; j++) {
                if (used[j])
                    continue;
                double cur = COST(i0 - 1, j - 1) - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (int j = 0; j <= C; j++) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    for (int i = 0; i < n; i++)
        row_to_col[i] = -1;
    double sum = 0;
    for (int j = 1; j <= C; j++) {
        if (!p[j])
            continue;
        int r = p[j] - 1, c = j - 1;
        if (tr)
            row_to_col[c] = r;
        else
            row_to_col[r] = c;
        sum += tr ? cost[(size_t)c * (size_t)m + (size_t)r] : cost[(size_t)r * (size_t)m + (size_t)c];
    }
#undef COST
    if (total)
        *total = sum;
    free(u), free(v), free(minv), free(p), free(way), free(used);
    return true;
}

/* ---- matching ---------------------------------------------------------------- */

typedef struct sort_item {
    int idx;
    double key;
    int layer, head, model;
} sort_item;

static int cmp_strongest(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key > b->key ? -1 : 1;
    if (a->layer != b->layer)
        return a->layer < b->layer ? -1 : 1;
    if (a->head != b->head)
        return a->head < b->head ? -1 : 1;
    /* never the row order of the file: the picture depends on the data */
    if (a->model != b->model)
        return a->model < b->model ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static int cmp_head(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    if (a->layer != b->layer)
        return a->layer < b->layer ? -1 : 1;
    return (a->head > b->head) - (a->head < b->head);
}

/* Points of (model, cond), strongest first. Returns count. */
static int collect(const hv_dataset *ds, int model, int cond, sort_item *out)
{
    int n = 0;
    for (int i = 0; i < ds->n_points; i++) {
        const hv_point *p = &ds->points[i];
        if (p->model == model && p->condition == cond)
            out[n++] = (sort_item){i, p->score, p->layer, p->head, p->model};
    }
    qsort(out, (size_t)n, sizeof *out, cmp_strongest);
    return n;
}

/* Least total travel: an optimal assignment on Euclidean distance. */
static bool match_nearest(const sort_item *A, int na, const sort_item *B, int nb, hv_pair *out, int *np)
{
    double *cost = malloc((size_t)na * (size_t)nb * sizeof *cost);
    int *to = malloc((size_t)na * sizeof *to);
    bool *taken = calloc((size_t)nb, sizeof *taken);
    bool ok = cost && to && taken;
    if (ok) {
        for (int i = 0; i < na; i++)
            for (int j = 0; j < nb; j++) {
                double dx = A[i].layer - B[j].layer, dy = A[i].head - B[j].head;
                cost[(size_t)i * (size_t)nb + (size_t)j] = sqrt(dx * dx + dy * dy);
            }
        ok = hv_assign(cost, na, nb, to, NULL);
    }
    if (ok) {
        for (int i = 0; i < na; i++) {
            out[(*np)++] = (hv_pair){A[i].idx, to[i] >= 0 ? B[to[i]].idx : -1, 0};
            if (to[i] >= 0)
                taken[to[i]] = true;
        }
        for (int j = 0; j < nb; j++)
            if (!taken[j])
                out[(*np)++] = (hv_pair){-1, B[j].idx, 0};
    }
    free(cost), free(to), free(taken);
    return ok;
}

/* rank 0 = strongest pair: score relative to its condition's maximum, taken
 * from the first condition where present. */
static void rank_pairs(const hv_dataset *ds, int ca, int cb, hv_pair *pairs, int n)
{
    sort_item *items = malloc((size_t)(n + 1) * sizeof *items);
    if (!items) {
        for (int i = 0; i < n; i++)
            pairs[i].rank = i;
        return;
    }
    double ma = hv_dataset_max_score(ds, ca), mb = hv_dataset_max_score(ds, cb);
    for (int i = 0; i < n; i++) {
        const hv_point *p = &ds->points[pairs[i].a >= 0 ? pairs[i].a : pairs[i].b];
        double mx = pairs[i].a >= 0 ? ma : mb;
        items[i] = (sort_item){i, mx > 0 ? p->score / mx : p->score, p->layer, p->head, p->model};
    }
    qsort(items, (size_t)n, sizeof *items, cmp_strongest);
    for (int r = 0; r < n; r++)
        pairs[items[r].idx].rank = r;
    free(items);
}

int hv_match(const hv_dataset *ds, int ca, int cb, hv_match_mode mode, hv_pair *out)
{
    int np = 0;
    sort_item *A = malloc((size_t)(ds->n_points + 1) * sizeof *A);
    sort_item *B = malloc((size_t)(ds->n_points + 1) * sizeof *B);
    if (!A || !B) {
        free(A);
        free(B);
        return -1;
    }
    for (int m = 0; m < ds->n_models; m++) {
        int na = collect(ds, m, ca, A), nb = collect(ds, m, cb, B);
        /* the optimal assignment is O(n^3): past HV_NEAREST_MAX points a side
         * a model is matched by rank instead */
        if (mode == HV_MATCH_RANK || (mode == HV_MATCH_NEAREST && (na > HV_NEAREST_MAX || nb > HV_NEAREST_MAX))) {
            int k = na > nb ? na : nb;
            for (int i = 0; i < k; i++)
                out[np++] = (hv_pair){i < na ? A[i].idx : -1, i < nb ? B[i].idx : -1, 0};
        } else if (mode == HV_MATCH_NEAREST && na > 0 && nb > 0 && na <= HV_NEAREST_MAX && nb <= HV_NEAREST_MAX) {
            if (!match_nearest(A, na, B, nb, out, &np)) {
                free(A), free(B);
                return -1;
            }
        } else { /* head (and nearest with one side empty) */
            /* B again, sorted by (layer, head): a binary search per A point;
             * taken[] is indexed by dataset point */
            sort_item *bh = malloc(((size_t)nb + 1) * sizeof *bh);
            bool *taken = calloc((size_t)ds->n_points + 1, sizeof *taken);
            if (!taken || !bh) {
                free(taken), free(bh), free(A), free(B);
                return -1;
            }
            memcpy(bh, B, (size_t)nb * sizeof *bh);
            qsort(bh, (size_t)nb, sizeof *bh, cmp_head);
            for (int i = 0; i < na; i++) {
                const sort_item *hit = NULL;
                if (mode == HV_MATCH_HEAD)
                    hit = bsearch(&A[i], bh, (size_t)nb, sizeof *bh, cmp_head);
                out[np++] = (hv_pair){A[i].idx, hit ? hit->idx : -1, 0};
                if (hit)
                    taken[hit->idx] = true;
            }
            for (int j = 0; j < nb; j++)
                if (!taken[B[j].idx])
                    out[np++] = (hv_pair){-1, B[j].idx, 0};
            free(taken);
            free(bh);
        }
    }
    free(A);
    free(B);
    rank_pairs(ds, ca, cb, out, np);
    return np;
}

/* ---- frames ---------------------------------------------------------------- */

void hv_anim_free(hv_anim *a)
{
    for (int m = 0; m < HV_MAX_MODELS; m++)
        for (int c = 0; c < HV_MAX_CONDITIONS; c++)
            free(a->dense[m][c]);
    free(a->cells);
    for (int k = 0; k < HV_MAX_CONDITIONS; k++) {
        free(a->pairs[k]);
        free(a->pop[k]);
    }
    free(a->points);
    free(a->order);
    hv_sort_scratch_free(&a->sort_scratch);
    memset(a, 0, sizeof *a);
}

static bool ensure_heat(hv_anim *a, hv_error *err);

bool hv_anim_set_opts(hv_anim *a, const hv_anim_opts *o, hv_error *err)
{
    if ((o->layout == HV_LAYOUT_HEATMAP || o->layout == HV_LAYOUT_DIFF)) {
        const hv_dataset *ds = a->fig->ds;
        int cols = o->layout == HV_LAYOUT_DIFF ? ds->n_conditions - 1 : ds->n_conditions;
        if (cols < 1)
            return hv_errorf(err, "--layout diff: needs two conditions or more, the data has %d", ds->n_conditions);
        if (ds->n_models * cols > HV_MAX_PANELS)
            return hv_errorf(err, "--layout %s: %d models x %d %s is more than %d panels", hv_layout_name(o->layout),
                             ds->n_models, cols, o->layout == HV_LAYOUT_DIFF ? "differences" : "conditions",
                             HV_MAX_PANELS);
        if (!ensure_heat(a, err))
            return false;
    }
    a->o = *o;
    a->occ_valid = false;
    if (a->o.stagger < 0)
        a->o.stagger = 0;
    if (a->o.stagger > 0.9)
        a->o.stagger = 0.9;
    return true;
}

/* Pairs are matched when a morphing layout first needs them (the side
 * layout never does), and again after a change of matching mode. Out of
 * memory leaves a transition without points rather than failing a frame. */
static void ensure_pairs(hv_anim *a)
{
    if (a->pairs_mode == (int)a->o.match + 1)
        return;
    const hv_dataset *ds = a->fig->ds;
    int n = ds->n_conditions;
    for (int k = 0; k < n; k++) {
        if (!a->pairs[k])
            a->pairs[k] = malloc((size_t)(2 * ds->n_points + 1) * sizeof(hv_pair));
        a->n_pairs[k] = a->pairs[k] ? hv_match(ds, k, (k + 1) % n, a->o.match, a->pairs[k]) : 0;
        if (a->n_pairs[k] < 0)
            a->n_pairs[k] = 0;
    }
    a->pairs_mode = (int)a->o.match + 1;
    a->occ_valid = false;
}

bool hv_anim_init(hv_anim *a, const hv_figure *fig, const hv_anim_opts *o, hv_error *err)
{
    memset(a, 0, sizeof *a);
    a->fig = fig;
    size_t cap = (size_t)(2 * fig->ds->n_points + 1);
    a->points = malloc(cap * sizeof *a->points);
    a->order = malloc(cap * sizeof(sort_item));
    if (!a->points || !a->order) {
        hv_anim_free(a);
        return hv_errorf(err, "out of memory");
    }
    return hv_anim_set_opts(a, o, err);
}

int hv_anim_panel_count(const hv_anim *a)
{
    switch (a->o.layout) {
    case HV_LAYOUT_MORPH: return 1;
    case HV_LAYOUT_MODELS: return a->fig->ds->n_models;
    case HV_LAYOUT_HEATMAP: return a->fig->ds->n_models * a->fig->ds->n_conditions;
    case HV_LAYOUT_DIFF: return a->fig->ds->n_models * (a->fig->ds->n_conditions - 1);
    default: return a->fig->ds->n_conditions;
    }
}

static double lerp(double x, double y, double t) { return x + (y - x) * t; }
static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

/* Eased progress of the pair of rank r among n, with the stagger spread. */
static double pair_ease(const hv_anim *a, double u, int r, int n, double spread)
{
    double d = n > 1 ? spread * (double)r / (double)(n - 1) : 0.0;
    double ui = spread < 1 ? clamp01((u - d) / (1 - spread)) : (u >= d ? 1 : 0);
    return hv_ease(a->o.easing, ui);
}

static void base_panel(const hv_anim *a, hv_panel_state *ps, const float *model_alpha)
{
    memset(ps, 0, sizeof *ps);
    for (int m = 0; m < a->fig->ds->n_models; m++)
        ps->model_alpha[m] = model_alpha ? model_alpha[m] : 1.0f;
}

/* Morph between conditions ca -> cb at u (0..1, in time) for the pairs of
 * one model (model >= 0) or of all (model < 0). */
static void morph_panel(hv_anim *a, hv_panel_state *ps, int ca, int cb, double u, int model,
                        hv_scene_point *pts)
{
    const hv_dataset *ds = a->fig->ds;
    const hv_cond_info *A = &a->fig->conds[ca], *B = &a->fig->conds[cb];
    double eg = clamp01(hv_ease(a->o.easing, u));
    ps->lo = lerp(A->lo, B->lo, eg);
    ps->hi = lerp(A->hi, B->hi, eg);
    /* at rest the condition's own ticks; in between, nice numbers for the
     * frame's range, about as many as the two conditions have */
    ps->ticks = u > 0 && cb != ca ? NULL : &A->ticks;
    float ia = hv_figure_tick_intervals(A), ib = hv_figure_tick_intervals(B);
    ps->tick_target = ia + (ib - ia) * (float)eg;
    const hv_pair *pairs = a->pairs[ca];
    int n = a->n_pairs[ca];
    int np = 0;
    for (int i = 0; i < n; i++) {
        const hv_pair *pr = &pairs[i];
        const hv_point *pa = pr->a >= 0 ? &ds->points[pr->a] : NULL;
        const hv_point *pb = pr->b >= 0 ? &ds->points[pr->b] : NULL;
        int m = pa ? pa->model : pb->model;
        if (model >= 0 && m != model)
            continue;
        double e = pair_ease(a, u, pr->rank, n, a->o.stagger);
        double ec = clamp01(e);
        if (a->fig->outside && ((pa && a->fig->outside[pr->a]) || (pb && a->fig->outside[pr->b])))
            continue; /* outside explicit limits: not drawn (reported once) */
        hv_scene_point sp = {0};
        sp.model = m;
        sp.src_a = pr->a;
        sp.src_b = pr->b;
        if (pa && pb) {
            sp.layer = lerp(pa->layer, pb->layer, e);
            sp.head = lerp(pa->head, pb->head, e);
            sp.score = lerp(pa->score, pb->score, ec);
            sp.alpha = 1;
            sp.scale = 1;
        } else if (pa) { /* exits: shrinks and fades */
            sp.layer = pa->layer;
            sp.head = pa->head;
            sp.score = pa->score;
            sp.alpha = (float)(1 - ec);
            sp.scale = (float)(1 - ec);
        } else { /* enters: grows and fades in */
            sp.layer = pb->layer;
            sp.head = pb->head;
            sp.score = pb->score;
            sp.alpha = (float)ec;
            sp.scale = (float)(e > 0 ? e : 0);
        }
        if (sp.alpha > 0 && sp.scale > 0)
            pts[np++] = sp;
    }
    if (!a->no_sort)
        hv_scene_sort_with(pts, np, &a->sort_scratch);
    ps->points = pts;
    ps->n_points = np;
}

static void title_pair(hv_panel_state *ps, const char *ta, const char *tb, double u, double eg)
{
    ps->title[0] = ta;
    ps->title_alpha[0] = (float)(1 - eg);
    if (u > 0 && strcmp(ta, tb) != 0) {
        ps->title[1] = tb;
        ps->title_alpha[1] = (float)eg;
    } else {
        ps->title_alpha[0] = 1;
    }
}

/* ---- heatmaps ---------------------------------------------------------------- */

/* The score range of cells: [min(0, lo), hi], or, on a diverging colormap,
 * symmetric around the centre. */
static void cell_range(const hv_anim *a, const hv_colormap *cm, double mn, double mx, double *lo, double *hi)
{
    const hv_spec *spec = a->fig->spec;
    if (cm->diverging) {
        double c = spec->center_set ? spec->center : 0;
        double r = fmax(fabs(mx - c), fabs(mn - c));
        if (!(r > 0))
            r = 1;
        *lo = c - r;
        *hi = c + r;
        return;
    }
    *lo = fmin(0, mn);
    *hi = mx > *lo ? mx : *lo + 1;
}

/* Builds the dense grids, axes, ranges and ticks of the heatmap layouts
 * once; refuses grids too large to draw. */
static bool ensure_heat(hv_anim *a, hv_error *err)
{
    if (a->heat_ready)
        return true;
    const hv_figure *fig = a->fig;
    const hv_dataset *all = fig->all ? fig->all : fig->ds;
    const hv_spec *spec = fig->spec;
    int nm = all->n_models, nc = all->n_conditions;
    size_t cells = 0;
    for (int m = 0; m < nm; m++) {
        int L = all->layers[m], H = all->heads[m];
        if (L > HV_HEATMAP_MAX_SIDE || H > HV_HEATMAP_MAX_SIDE)
            return hv_errorf(err, "heatmap: model \"%s\" spans %d layers x %d heads; a heatmap shows at most %d x %d",
                             all->models[m], L, H, HV_HEATMAP_MAX_SIDE, HV_HEATMAP_MAX_SIDE);
        if (spec->orientation == 1) /* layers-y: heads across, layers down */
            hv_axes_for_grid(&a->heat_axes[m], spec, H, L);
        else
            hv_axes_for_grid(&a->heat_axes[m], spec, L, H);
        cells += (size_t)L * (size_t)H;
        for (int c = 0; c < nc; c++) {
            double *g = malloc(((size_t)L * (size_t)H + 1) * sizeof *g);
            if (!g)
                return hv_errorf(err, "heatmap: out of memory");
            for (size_t i = 0; i < (size_t)L * (size_t)H; i++)
                g[i] = NAN;
            free(a->dense[m][c]);
            a->dense[m][c] = g;
        }
    }
    bool negative = false;
    for (int i = 0; i < all->n_points; i++) {
        const hv_point *p = &all->points[i];
        a->dense[p->model][p->condition][(size_t)p->layer * (size_t)all->heads[p->model] + (size_t)p->head] = p->score;
        negative |= p->score < 0;
    }
    /* signed scores get a diverging colormap unless the spec chose one */
    const hv_colormap *cm = fig->cmap;
    if (!cm->diverging && negative && !spec->colormap_set)
        cm = hv_colormap_find("RdBu_r");
    a->heat_cmap = hv_colormap_index(cm) + 1;
    for (int c = 0; c < nc; c++) {
        double mn = INFINITY, mx = -INFINITY;
        for (int i = 0; i < all->n_points; i++)
            if (all->points[i].condition == c) {
                mn = fmin(mn, all->points[i].score);
                mx = fmax(mx, all->points[i].score);
            }
        const hv_cond_spec *cs = hv_spec_condition(spec, all->conditions[c]);
        if (cs && cs->range.set) {
            a->heat_lo[c] = cs->range.lo;
            a->heat_hi[c] = cs->range.hi;
        } else {
            cell_range(a, cm, isfinite(mn) ? mn : 0, isfinite(mx) ? mx : 1, &a->heat_lo[c], &a->heat_hi[c]);
        }
        hv_figure_nice_ticks(a->heat_lo[c], a->heat_hi[c], 5, 0, 0, &a->heat_ticks[c]);
    }
    /* one colorbar for the figure where the conditions' ranges agree (or the
     * spec asks for one range), else one per column or per panel */
    bool equal = true;
    for (int c = 1; c < nc; c++)
        equal &= a->heat_lo[c] == a->heat_lo[0] && a->heat_hi[c] == a->heat_hi[0];
    int mode = spec->colorbar >= 0 ? spec->colorbar : equal ? 0 : 1;
    a->heat_cbar = mode == 0 ? HV_CBAR_FIGURE : mode == 1 ? HV_CBAR_COLUMN : HV_CBAR_PANEL;
    if (mode == 0 && !equal) {
        double lo = a->heat_lo[0], hi = a->heat_hi[0];
        for (int c = 1; c < nc; c++) {
            lo = fmin(lo, a->heat_lo[c]);
            hi = fmax(hi, a->heat_hi[c]);
        }
        for (int c = 0; c < nc; c++) {
            a->heat_lo[c] = lo;
            a->heat_hi[c] = hi;
            hv_figure_nice_ticks(lo, hi, 5, 0, 0, &a->heat_ticks[c]);
        }
    }
    /* the difference of consecutive conditions, on a diverging map */
    a->diff_max = 0;
    for (int m = 0; m < nm; m++)
        for (int c = 0; c + 1 < nc; c++)
            for (size_t i = 0; i < (size_t)all->layers[m] * (size_t)all->heads[m]; i++) {
                double d = a->dense[m][c + 1][i] - a->dense[m][c][i];
                if (d == d)
                    a->diff_max = fmax(a->diff_max, fabs(d));
            }
    if (!(a->diff_max > 0))
        a->diff_max = 1;
    hv_figure_nice_ticks(-a->diff_max, a->diff_max, 4, 0, 0, &a->diff_ticks);
    const hv_colormap *dcm = fig->cmap->diverging ? fig->cmap : hv_colormap_find("RdBu_r");
    a->diff_cmap = hv_colormap_index(dcm) + 1;
    snprintf(a->diff_label, sizeof a->diff_label, "\xce\x94 %.200s", spec->cbar_label);
    free(a->cells);
    a->cap_cells = cells * (size_t)(nc > 1 ? nc : 1) + 1;
    a->cells = malloc(a->cap_cells * sizeof *a->cells);
    if (!a->cells)
        return hv_errorf(err, "heatmap: out of memory");
    a->heat_ready = true;
    return true;
}

/* A cell's colormap position; no score stays NaN. */
static float cell_value(double v, double lo, double hi) { return v == v ? hv_figure_value(v, lo, hi) : NAN; }

static int kv_group(const hv_anim *a, int m)
{
    const hv_model_spec *ms = hv_spec_model(a->fig->spec, a->fig->ds->models[m]);
    return ms && ms->kv_heads > 0 ? ms->kv_heads : a->fig->spec->kv_heads;
}

/* The top-k heads of (model, condition) as cell outlines. */
static int outline_points(const hv_anim *a, int m, int c, hv_scene_point *pts)
{
    const hv_dataset *ds = a->fig->ds;
    int n = 0;
    for (int i = 0; i < ds->n_points; i++) {
        const hv_point *p = &ds->points[i];
        if (p->model == m && p->condition == c)
            pts[n++] = (hv_scene_point){p->layer, p->head, p->score, m, 1, 1, i, -1, HV_POINT_OUTLINE};
    }
    return n;
}

/* A facet grid's headers: models left of the rows; over the columns the
 * conditions' titles, or (when every condition has the same title, a
 * template without {condition}) that title once over the figure and the
 * condition names over the columns; the diff layout's columns are
 * "second − first". */
static void facet_headers(hv_anim *a, hv_frame_desc *d, int nm, int ncols, bool diff)
{
    const hv_figure *fig = a->fig;
    const hv_dataset *ds = fig->ds;
    d->facet = true;
    d->rows = nm;
    bool same = true;
    for (int c = 1; c < ds->n_conditions; c++)
        same &= strcmp(fig->conds[c].title, fig->conds[0].title) == 0;
    /* a title with {model} heads the rows (without {condition}: the same
     * for every condition); with {condition} too it has no one place in a
     * grid, and the rows and columns carry the names */
    bool named = hv_figure_title_names_model(fig);
    for (int m = 0; m < nm && m < HV_MAX_MODELS; m++) {
        d->row_header[m] = fig->models[m].label;
        if (named && same) {
            hv_figure_title(fig, m, 0, a->row_headers[m], HV_TEXT_MAX);
            d->row_header[m] = a->row_headers[m];
        }
    }
    if (named)
        same = true; /* (the columns: the conditions' names) */
    d->title[0] = d->title[1] = NULL;
    for (int c = 0; c < ncols && c < HV_MAX_CONDITIONS; c++) {
        if (diff) {
            snprintf(a->col_headers[c], HV_TEXT_MAX, "%.120s \xe2\x88\x92 %.120s", ds->conditions[c + 1],
                     ds->conditions[c]);
            d->col_header[c] = a->col_headers[c];
        } else {
            d->col_header[c] = (same && ds->n_conditions > 1) || named ? ds->conditions[c] : fig->conds[c].title;
        }
    }
    if (same && !named && !diff && ds->n_conditions > 1) {
        d->title[0] = fig->conds[0].title;
        d->title_alpha[0] = 1;
    }
}

/* Where (layer l, head h) of an L x H grid goes in a panel's cells: rows of
 * heads from the highest down (layers across), or with layers-y rows of
 * layers from layer 0 down (heads across). */
static size_t cell_at(bool ly, size_t L, size_t H, size_t l, size_t h)
{
    return ly ? l * H + h : (H - 1 - h) * L + l;
}

static int heat_frame(hv_anim *a, double progress, const float *model_alpha, hv_panel_state *panels,
                      hv_frame_desc *d)
{
    const hv_figure *fig = a->fig;
    const hv_dataset *ds = fig->ds, *all = fig->all ? fig->all : ds;
    int nm = ds->n_models, nc = ds->n_conditions;
    double fl = floor(progress);
    int s = (int)fl % nc, t = (s + 1) % nc;
    double u = progress - fl, eg = clamp01(hv_ease(a->o.easing, u));
    bool wrapping = t == 0 && nc > 1 && u > 0;
    size_t used = 0;
    int used_pts = 0;
    for (int m = 0; m < nm; m++) {
        size_t L = (size_t)all->layers[m], H = (size_t)all->heads[m];
        bool ly = a->fig->spec->orientation == 1;
        for (int c = 0; c < nc; c++) {
            hv_panel_state *ps = &panels[m * nc + c];
            base_panel(a, ps, model_alpha);
            ps->layers_y = ly;
            ps->axes = &a->heat_axes[m];
            ps->kv_group = kv_group(a, m);
            ps->legend_mask = 1u << m;
            snprintf(a->panel_titles[m * nc + c][0], HV_TEXT_MAX, "%.120s \xe2\x80\x94 %.120s", fig->models[m].label,
                     ds->conditions[c]);
            ps->title[0] = a->panel_titles[m * nc + c][0];
            ps->title_alpha[0] = 1;
            ps->lo = a->heat_lo[c];
            ps->hi = a->heat_hi[c];
            ps->ticks = &a->heat_ticks[c];
            bool morphing = !wrapping && c == t && u > 0 && c > s;
            bool shown = c <= s || wrapping || morphing;
            if (!shown)
                continue; /* its step has not come yet: empty axes */
            float *cells = a->cells + used;
            used += L * H;
            ps->cells = cells;
            ps->layers_y = ly;
            ps->cell_cols = (int)(ly ? H : L);
            ps->cell_rows = (int)(ly ? L : H);
            hv_scene_point *pts = a->points + used_pts;
            if (morphing) {
                /* the new column starts as the previous one and morphs:
                 * each cell's score (never an RGB blend) and the range */
                const double *A = a->dense[m][s], *B = a->dense[m][c];
                ps->lo = lerp(a->heat_lo[s], a->heat_lo[c], eg);
                ps->hi = lerp(a->heat_hi[s], a->heat_hi[c], eg);
                ps->ticks = NULL;
                ps->tick_target = 5;
                for (size_t l = 0; l < L; l++)
                    for (size_t h = 0; h < H; h++) {
                        double va = A[l * H + h], vb = B[l * H + h];
                        double v = va == va && vb == vb ? lerp(va, vb, eg) : eg < 0.5 ? va : vb;
                        cells[cell_at(ly, L, H, l, h)] = cell_value(v, ps->lo, ps->hi);
                    }
                /* the top-k outlines travel to their new heads */
                hv_panel_state tmp;
                morph_panel(a, &tmp, s, c, u, m, pts);
                for (int i = 0; i < tmp.n_points; i++)
                    pts[i].flags |= HV_POINT_OUTLINE;
                ps->points = pts;
                ps->n_points = tmp.n_points;
                snprintf(a->panel_titles[m * nc + c][1], HV_TEXT_MAX, "%.120s \xe2\x80\x94 %.120s",
                         fig->models[m].label, ds->conditions[c]);
                snprintf(a->panel_titles[m * nc + c][0], HV_TEXT_MAX, "%.120s \xe2\x80\x94 %.120s",
                         fig->models[m].label, ds->conditions[s]);
                title_pair(ps, a->panel_titles[m * nc + c][0], a->panel_titles[m * nc + c][1], u, eg);
            } else {
                const double *V = a->dense[m][c];
                for (size_t l = 0; l < L; l++)
                    for (size_t h = 0; h < H; h++)
                        cells[cell_at(ly, L, H, l, h)] = cell_value(V[l * H + h], ps->lo, ps->hi);
                ps->points = pts;
                ps->n_points = outline_points(a, m, c, pts);
                if (wrapping && c > 0) /* back to the first step: later columns fade */
                    ps->alpha = (float)fmax(1 - eg, 1e-3);
            }
            used_pts += ps->n_points;
        }
    }
    d->cols = nc;
    d->cbar = a->heat_cbar;
    d->no_legend = true;
    d->cmap = a->heat_cmap;
    facet_headers(a, d, nm, nc, false);
    return nm * nc;
}

static int diff_frame(hv_anim *a, const float *model_alpha, hv_panel_state *panels, hv_frame_desc *d)
{
    const hv_figure *fig = a->fig;
    const hv_dataset *ds = fig->ds, *all = fig->all ? fig->all : ds;
    int nm = ds->n_models, nd = ds->n_conditions - 1;
    size_t used = 0;
    for (int m = 0; m < nm; m++) {
        size_t L = (size_t)all->layers[m], H = (size_t)all->heads[m];
        bool ly = a->fig->spec->orientation == 1;
        for (int c = 0; c < nd; c++) {
            int p = m * nd + c;
            hv_panel_state *ps = &panels[p];
            base_panel(a, ps, model_alpha);
            ps->layers_y = ly;
            ps->axes = &a->heat_axes[m];
            ps->kv_group = kv_group(a, m);
            snprintf(a->panel_titles[p][0], HV_TEXT_MAX, "%.100s: %.70s \xe2\x88\x92 %.70s", fig->models[m].label,
                     ds->conditions[c + 1], ds->conditions[c]);
            ps->title[0] = a->panel_titles[p][0];
            ps->title_alpha[0] = 1;
            ps->lo = -a->diff_max;
            ps->hi = a->diff_max;
            ps->ticks = &a->diff_ticks;
            float *cells = a->cells + used;
            used += L * H;
            const double *A = a->dense[m][c], *B = a->dense[m][c + 1];
            for (size_t l = 0; l < L; l++)
                for (size_t h = 0; h < H; h++)
                    cells[cell_at(ly, L, H, l, h)] = cell_value(B[l * H + h] - A[l * H + h], ps->lo, ps->hi);
            ps->cells = cells;
            ps->layers_y = ly;
            ps->cell_cols = (int)(ly ? H : L);
            ps->cell_rows = (int)(ly ? L : H);
        }
    }
    d->cols = nd;
    facet_headers(a, d, nm, nd, true);
    d->cbar = HV_CBAR_FIGURE;
    d->no_legend = true;
    d->cmap = a->diff_cmap;
    d->cbar_label = a->diff_label;
    return nm * nd;
}

/* The order the side layout's panel c pops its points in, strongest first
 * (indices into its points, which are the figure's, in draw order): the
 * same every frame, sorted once. NULL when out of memory (then rank order). */
static const int *pop_order(hv_anim *a, int c, const hv_scene_point *pts, int n)
{
    if (a->pop[c] || n < 1)
        return a->pop[c];
    sort_item *order = a->order;
    int *out = malloc((size_t)n * sizeof *out);
    if (!order || !out) {
        free(out);
        return NULL;
    }
    double mx = a->fig->conds[c].hi;
    for (int i = 0; i < n; i++)
        order[i] = (sort_item){i, pts[i].score / (mx > 0 ? mx : 1), (int)pts[i].layer, (int)pts[i].head, pts[i].model};
    qsort(order, (size_t)n, sizeof *order, cmp_strongest);
    for (int r = 0; r < n; r++)
        out[r] = order[r].idx;
    a->pop[c] = out;
    return out;
}

/* The frame's panels, without the legend occupancy. */
static int frame_panels(hv_anim *a, double progress, const float *model_alpha, hv_panel_state *panels,
                        hv_frame_desc *desc)
{
    const hv_figure *fig = a->fig;
    const hv_dataset *ds = fig->ds;
    int nc = ds->n_conditions;
    hv_frame_desc d;
    memset(&d, 0, sizeof d);
    d.cbar = HV_CBAR_PANEL;
    if (!(progress >= 0))
        progress = 0;
    double fl = floor(progress);
    int s = (int)fl % nc;
    double u = progress - fl;
    int t = (s + 1) % nc;
    double eg = clamp01(hv_ease(a->o.easing, u));

    if (a->o.layout != HV_LAYOUT_SIDE)
        ensure_pairs(a);
    if (a->o.layout == HV_LAYOUT_HEATMAP || a->o.layout == HV_LAYOUT_DIFF) {
        int n = a->o.layout == HV_LAYOUT_DIFF ? diff_frame(a, model_alpha, panels, &d)
                                             : heat_frame(a, progress, model_alpha, panels, &d);
        if (desc)
            *desc = d;
        return n;
    }
    if (a->o.layout == HV_LAYOUT_MORPH) {
        hv_panel_state *ps = &panels[0];
        base_panel(a, ps, model_alpha);
        morph_panel(a, ps, s, t, u, -1, a->points);
        title_pair(ps, fig->conds[s].title, fig->conds[t].title, u, eg);
        if (desc)
            *desc = d;
        return 1;
    }
    if (a->o.layout == HV_LAYOUT_MODELS) {
        /* each model on its own axes; the panels share the colour range at
         * every moment: one colorbar and one legend for the figure */
        int used = 0;
        bool named = hv_figure_title_names_model(fig);
        for (int m = 0; m < ds->n_models; m++) {
            hv_panel_state *ps = &panels[m];
            base_panel(a, ps, model_alpha);
            ps->legend_mask = 1u << m;
            ps->axes = &fig->models[m].axes;
            morph_panel(a, ps, s, t, u, m, a->points + used);
            used += ps->n_points;
            /* the model over its panel; the condition once, over the
             * figure; or a title with {model} over each panel */
            if (named) {
                hv_figure_title(fig, m, s, a->panel_titles[m][0], HV_TEXT_MAX);
                hv_figure_title(fig, m, t, a->panel_titles[m][1], HV_TEXT_MAX);
                title_pair(ps, a->panel_titles[m][0], a->panel_titles[m][1], u, eg);
            } else {
                ps->title[0] = fig->models[m].label;
                ps->title_alpha[0] = 1;
            }
        }
        hv_panel_state tp;
        memset(&tp, 0, sizeof tp);
        if (!named)
            title_pair(&tp, fig->conds[s].title, fig->conds[t].title, u, eg);
        else if (!strstr(fig->conds[s].tmpl, "{condition}")) /* (the condition still said once) */
            title_pair(&tp, ds->conditions[s], ds->conditions[t], u, eg);
        for (int k = 0; k < 2; k++) {
            d.title[k] = tp.title[k];
            d.title_alpha[k] = tp.title_alpha[k];
        }
        d.cbar = HV_CBAR_FIGURE;
        d.one_legend = true;
        d.facet = true;
        d.wrap = true;
        if (desc)
            *desc = d;
        return ds->n_models;
    }
    /* side (a wrapped facet: a panel, its title and colorbar per condition) */
    d.facet = true;
    d.wrap = true;
    /* side: state s shows conditions 0..s; the transition to s+1 builds panel
     * s+1 (points pop in by rank); the wrap back to 0 fades panels 1.. out. */
    int n = hv_figure_side_panels(fig, panels, a->points);
    for (int c = 0; c < n; c++) {
        hv_panel_state *ps = &panels[c];
        for (int m = 0; m < ds->n_models; m++)
            ps->model_alpha[m] = model_alpha ? model_alpha[m] : 1.0f;
        hv_scene_point *pts = (hv_scene_point *)ps->points;
        if (t == 0 && nc > 1) { /* wrapping: everything shown, later panels fade */
            if (c > 0)
                for (int i = 0; i < ps->n_points; i++)
                    pts[i].alpha = (float)(1 - eg);
            continue;
        }
        if (c <= s)
            continue;
        if (c > t || u <= 0) {
            ps->n_points = 0;
            /* the spec's reveal = none (default): nothing of it yet, its place
             * kept; reveal = axes: its empty axes */
            ps->hidden = a->fig->spec->reveal != 1;
            continue;
        }
        /* c == t: pop in, strongest first */
        const int *order = pop_order(a, c, pts, ps->n_points);
        for (int r = 0; r < ps->n_points; r++) {
            int i = order ? order[r] : r;
            double e = pair_ease(a, u, r, ps->n_points, 0.6);
            pts[i].alpha = (float)clamp01(e);
            pts[i].scale = (float)(e > 0 ? e : 0);
        }
    }
    if (desc)
        *desc = d;
    return n;
}

/* Marks where each panel's markers are at any moment of the animation: 41
 * moments of every transition (each 1/40th; easings that overshoot carry
 * markers past both ends) and every hold. */
static void ensure_occupancy(hv_anim *a, const float *model_alpha)
{
    if (a->occ_valid || a->o.layout == HV_LAYOUT_HEATMAP || a->o.layout == HV_LAYOUT_DIFF)
        return; /* heatmaps have no model legend */
    const hv_figure *fig = a->fig;
    int nc = fig->ds->n_conditions;
    static hv_panel_state tmp[HV_MAX_PANELS];
    int n = 0;
    a->no_sort = true; /* only where markers are counts, not their order */
    for (int k = 0; k < nc; k++)
        for (int j = 0; j <= 40; j++) {
            n = frame_panels(a, k + j / 40.0 * (1 - 1e-9), model_alpha, tmp, NULL);
            for (int p = 0; p < n; p++) {
                if (k == 0 && j == 0)
                    hv_occupancy_init(&a->occ[p], tmp[p].axes ? tmp[p].axes : &fig->axes);
                for (int i = 0; i < tmp[p].n_points; i++)
                    if (tmp[p].points[i].alpha > 0.05f)
                        hv_occupancy_add(&a->occ[p], tmp[p].points[i].layer, tmp[p].points[i].head);
            }
        }
    a->no_sort = false;
    a->occ_valid = true;
}

int hv_anim_frame(hv_anim *a, double progress, const float *model_alpha, hv_panel_state *panels,
                  hv_frame_desc *desc)
{
    ensure_occupancy(a, NULL);
    int n = frame_panels(a, progress, model_alpha, panels, desc);
    for (int p = 0; p < n && p < HV_MAX_PANELS; p++)
        panels[p].occupancy = &a->occ[p];
    return n;
}

int hv_anim_steps(const hv_anim *a) { return a->o.layout == HV_LAYOUT_DIFF ? 1 : a->fig->ds->n_conditions; }

void hv_anim_shared(const hv_dataset *ds, int model, int ca, int cb, int *shared, int *total)
{
    /* both conditions' heads sorted by (layer, head), then one merge */
    sort_item *A = malloc(((size_t)ds->n_points + 1) * sizeof *A);
    sort_item *B = malloc(((size_t)ds->n_points + 1) * sizeof *B);
    int na = 0, nb = 0, sh = 0;
    if (A && B) {
        na = collect(ds, model, ca, A);
        nb = collect(ds, model, cb, B);
        qsort(A, (size_t)na, sizeof *A, cmp_head);
        qsort(B, (size_t)nb, sizeof *B, cmp_head);
        for (int i = 0, j = 0; i < na && j < nb;) {
            int c = cmp_head(&A[i], &B[j]);
            sh += c == 0;
            i += c <= 0;
            j += c >= 0;
        }
    }
    free(A);
    free(B);
    *shared = sh;
    *total = na > nb ? na : nb;
}
