#include "layout.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

bool hv_grid_solve(const hv_grid_in *in, hv_grid_out *out)
{
    memset(out, 0, sizeof *out);
    int R = in->rows < 1 ? 1 : in->rows > HV_GRID_MAX ? HV_GRID_MAX : in->rows;
    int C = in->cols < 1 ? 1 : in->cols > HV_GRID_MAX ? HV_GRID_MAX : in->cols;
    /* the fixed room across and down: everything but the plots */
    float fixed_w = 2 * in->margin + in->ylabel_w + in->rowhdr_w + in->figcb_w + in->hgap * (float)(C - 1);
    for (int c = 0; c < C; c++)
        fixed_w += in->left_w[c] + in->right_w[c];
    float fixed_h = 2 * in->margin + in->title_h + in->xlabel_h + in->vgap * (float)(R - 1);
    for (int r = 0; r < R; r++)
        fixed_h += in->top_h[r] + in->bottom_h[r];
    out->plot_w = (in->W - fixed_w) / (float)C;
    out->plot_h = (in->H - fixed_h) / (float)R;
    out->need_w = fixed_w + in->min_w * (float)C;
    out->need_h = fixed_h + in->min_h * (float)R;
    out->ok = out->plot_w >= in->min_w && out->plot_h >= in->min_h;
    float x = in->margin + in->ylabel_w + in->rowhdr_w;
    out->grid_x0 = x;
    for (int c = 0; c < C; c++) {
        x += in->left_w[c];
        out->col_x[c] = x;
        x += out->plot_w + in->right_w[c] + (c + 1 < C ? in->hgap : 0);
    }
    out->grid_x1 = x;
    float y = in->margin + in->title_h;
    out->grid_y0 = y;
    for (int r = 0; r < R; r++) {
        y += in->top_h[r];
        out->row_y[r] = y;
        y += out->plot_h + in->bottom_h[r] + (r + 1 < R ? in->vgap : 0);
    }
    out->grid_y1 = y;
    return out->ok;
}

/* the byte index of the start of the UTF-8 character at or before i */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

const char *hv_shorten_middle(const char *s, float maxw, hv_width_fn wf, void *user, char *out, size_t out_size)
{
    size_t n = strlen(s);
    if (wf(user, s) <= maxw || out_size < 8)
        return s;
    /* the most characters that fit, split evenly between the start and the
     * end (the end tells checkpoints apart, the start the family) */
    size_t best_a = 0, best_b = n;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t keep = (lo + hi + 1) / 2;
        size_t a = char_start(s, (keep + 1) / 2), b = char_start(s, n - keep / 2);
        if (b < a)
            b = a;
        while (b < n && s[b] == ' ')
            b++;
        size_t ta = a;
        while (ta > 0 && s[ta - 1] == ' ')
            ta--;
        if (ta + 4 + (n - b) >= out_size) {
            hi = keep - 1;
            continue;
        }
        snprintf(out, out_size, "%.*s \xe2\x80\xa6 %s", (int)ta, s, s + b);
        if (wf(user, out) <= maxw) {
            lo = keep;
            best_a = ta;
            best_b = b;
        } else {
            hi = keep - 1;
        }
    }
    if (lo == 0) {
        snprintf(out, out_size, "\xe2\x80\xa6");
        return out;
    }
    snprintf(out, out_size, "%.*s \xe2\x80\xa6 %s", (int)best_a, s, s + best_b);
    return out;
}

/* bytes of s a fitted line keeps (the "…" and its spaces not counted) */
static size_t kept(const char *line, const char *orig)
{
    size_t n = strlen(line);
    return strstr(line, "\xe2\x80\xa6") && strcmp(line, orig) != 0 ? (n > 5 ? n - 5 : 0) : n;
}

/* The tier of a break after s[i]: 0 a space, 1 a hyphen not followed by a
 * digit ("Llama-|2" is 2: it splits a number's "2024-|03" as well). */
static int break_tier(const char *s, size_t i)
{
    if (s[i] == ' ')
        return 0;
    return s[i + 1] >= '0' && s[i + 1] <= '9' ? 2 : 1;
}

int hv_fit_lines(const char *s, float maxw, int max_lines, hv_width_fn wf, void *user, char line[2][160],
                 bool *shortened)
{
    *shortened = false;
    line[1][0] = 0;
    if (wf(user, s) <= maxw) {
        snprintf(line[0], 160, "%s", s);
        return 1;
    }
    /* one line, shortened in the middle: the candidate to beat */
    char one[160];
    snprintf(one, sizeof one, "%s", hv_shorten_middle(s, maxw, wf, user, (char[160]){0}, 160));
    size_t best_kept = kept(one, s);
    float best_w = INFINITY;
    int lines = 1;
    snprintf(line[0], 160, "%s", one);
    *shortened = strcmp(one, s) != 0;
    size_t n = strlen(s);
    if (max_lines < 2 || n >= 160)
        return 1;
    /* two lines broken after a space or a hyphen: the break that keeps the
     * most characters, and among those a space before a hyphen, and then
     * the most balanced */
    int best_tier = 3;
    for (size_t i = 1; i + 1 < n; i++) {
        if (s[i] != ' ' && s[i] != '-')
            continue;
        char a[160], b[160], fa[160], fb[160];
        snprintf(a, sizeof a, "%.*s", (int)(s[i] == '-' ? i + 1 : i), s);
        snprintf(b, sizeof b, "%s", s + i + 1);
        const char *la = hv_shorten_middle(a, maxw, wf, user, fa, sizeof fa);
        const char *lb = hv_shorten_middle(b, maxw, wf, user, fb, sizeof fb);
        size_t k = kept(la, a) + kept(lb, b);
        float w = fmaxf(wf(user, la), wf(user, lb));
        int tier = break_tier(s, i);
        if (k > best_kept ||
            (k == best_kept && lines == 2 && (tier < best_tier || (tier == best_tier && w < best_w)))) {
            best_kept = k;
            best_w = w;
            best_tier = tier;
            lines = 2;
            snprintf(line[0], 160, "%s", la);
            snprintf(line[1], 160, "%s", lb);
            *shortened = la != a || lb != b;
        }
    }
    return lines;
}

/* Whether a line may end after s[i] at this tier: 0 spaces only, 1 also
 * hyphens not followed by a digit ("Llama-" but not "2024-|03"), 2 any
 * hyphen. */
static bool wrap_break(const char *s, size_t i, int tier)
{
    return (s[i] == ' ' || s[i] == '-') && break_tier(s, i) <= tier;
}

bool hv_wrap_tier(const char *s, float maxw, int max_lines, int tier, hv_width_fn wf, void *user, char line[][160],
                  int *n_lines)
{
    *n_lines = 0;
    size_t n = strlen(s), start = 0;
    if (n >= 160)
        return false;
    while (start < n) {
        if (*n_lines >= max_lines)
            return false;
        /* the longest run from start that fits, ending after a break */
        size_t end = 0;
        char buf[160];
        for (size_t i = start; i < n; i++) {
            bool brk = wrap_break(s, i, tier) || i + 1 == n;
            if (!brk)
                continue;
            size_t e = s[i] == ' ' ? i : i + 1;
            snprintf(buf, sizeof buf, "%.*s", (int)(e - start), s + start);
            if (wf(user, buf) > maxw)
                break;
            end = i + 1;
        }
        if (end == 0)
            return false; /* a word wider than the line */
        size_t e = s[end - 1] == ' ' ? end - 1 : end;
        snprintf(line[*n_lines], 160, "%.*s", (int)(e - start), s + start);
        (*n_lines)++;
        start = end;
        while (start < n && s[start] == ' ')
            start++;
    }
    return true;
}

bool hv_wrap(const char *s, float maxw, int max_lines, hv_width_fn wf, void *user, char line[][160], int *n_lines)
{
    for (int tier = 0; tier < 3; tier++)
        if (hv_wrap_tier(s, maxw, max_lines, tier, wf, user, line, n_lines))
            return true;
    return false;
}

int hv_index_ticks(double lo, double hi, float len_px, float label_px, double *v, int max, double *step)
{
    double first = lo < 0 ? 0 : ceil(lo), last = floor(hi);
    *step = 1;
    if (!isfinite(lo) || !isfinite(hi) || !(last >= first) || max < 1)
        return 0;
    double span = hi - lo;
    double px_per_unit = len_px > 0 && span > 0 ? len_px / span : 0;
    static const double rungs[3] = {1, 2, 5};
    /* ticks of a step: counted in doubles (an axis may span 1e15) */
#define COUNT(st) (floor(last / (st)) - ceil(first / (st)) + 1)
    double st = 1;
    bool found = false;
    for (int e = 0; e < 17 && !found; e++) {
        double mag = pow(10.0, e);
        for (int k = 0; k < 3 && !found; k++) {
            st = rungs[k] * mag;
            double count = COUNT(st);
            bool room = px_per_unit > 0 && st * px_per_unit >= label_px;
            found = (room && count <= max) || count < 2;
        }
    }
    /* never fewer than two labelled ticks where the axis holds two indices */
    while (st > 1 && COUNT(st) < 2 && last - first >= 1) {
        double m = pow(10.0, floor(log10(st))), f = st / m; /* 1, 2 or 5 */
        st = f >= 5 ? 2 * m : f >= 2 ? m : m / 2;
        st = st < 1 ? 1 : st;
    }
#undef COUNT
    int n = 0;
    double k0 = ceil(first / st), k1 = floor(last / st); /* multiples of the step in range */
    for (double k = k0; k <= k1 && n < max; k++)
        v[n++] = k * st;
    *step = st;
    return n;
}

float hv_index_ticks_two_len(double lo, double hi, float label_px)
{
    double first = lo < 0 ? 0 : ceil(lo), last = floor(hi);
    if (!isfinite(lo) || !isfinite(hi) || !(last - first >= 1) || !(hi > lo))
        return 0;
    static const double rungs[3] = {1, 2, 5};
    double best = 1;
    for (int e = 0; e < 17; e++)
        for (int k = 0; k < 3; k++) {
            double st = rungs[k] * pow(10.0, e);
            if (st > last - first)
                return (float)((double)label_px * (hi - lo) / best);
            if (floor(last / st) - ceil(first / st) + 1 >= 2)
                best = st;
        }
    return (float)((double)label_px * (hi - lo) / best);
}
