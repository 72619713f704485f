/* layout: the facet grid solver and the text fitting helpers, with a fake
 * fixed-width font (7 px a byte). */
#include "check.h"
#include "layout.h"

#include <math.h>
#include <string.h>

static float width7(void *user, const char *s)
{
    (void)user;
    return 7.0f * (float)strlen(s);
}

static void test_grid(void)
{
    hv_grid_in in;
    memset(&in, 0, sizeof in);
    in.rows = 3;
    in.cols = 2;
    in.W = 1000;
    in.H = 600;
    in.margin = 10;
    in.title_h = 30;
    in.xlabel_h = 20;
    in.ylabel_w = 20;
    in.rowhdr_w = 40;
    in.figcb_w = 60;
    in.top_h[0] = 25;
    for (int r = 0; r < 3; r++)
        in.bottom_h[r] = 18;
    in.left_w[0] = 30;
    in.hgap = 8;
    in.vgap = 6;
    in.min_w = in.min_h = 16;
    hv_grid_out g;
    CHECK(hv_grid_solve(&in, &g));
    /* every band gets exactly its room; the plots the rest, in equal parts */
    CHECK_NEAR(g.plot_w, (1000 - 20 - 20 - 40 - 60 - 8 - 30) / 2.0, 1e-3);
    CHECK_NEAR(g.plot_h, (600 - 20 - 30 - 20 - 12 - 25 - 3 * 18) / 3.0, 1e-3);
    CHECK_NEAR(g.col_x[0], 10 + 20 + 40 + 30, 1e-3);
    CHECK_NEAR(g.col_x[1], g.col_x[0] + g.plot_w + 8, 1e-3);
    CHECK_NEAR(g.row_y[0], 10 + 30 + 25, 1e-3);
    CHECK_NEAR(g.row_y[1], g.row_y[0] + g.plot_h + 18 + 6, 1e-3);
    /* the last column's right edge plus the colorbar block and the margin is the width */
    CHECK_NEAR(g.grid_x1 + in.figcb_w + in.margin, 1000, 1e-3);
    CHECK_NEAR(g.grid_y1 + in.xlabel_h + in.margin, 600, 1e-3);
    /* too small: refused, with the size that would hold minimum plots */
    in.W = 200;
    CHECK(!hv_grid_solve(&in, &g));
    CHECK(!g.ok);
    CHECK_NEAR(g.need_w, 20 + 20 + 40 + 60 + 8 + 30 + 2 * 16, 1e-3);
    in.W = g.need_w;
    CHECK(hv_grid_solve(&in, &g));
}

static void test_text(void)
{
    char out[160], lines[2][160], wl[4][160];
    bool cut;
    /* fits: itself */
    CHECK_STR(hv_shorten_middle("gemma-2-9b-it", 200, width7, NULL, out, sizeof out), "gemma-2-9b-it");
    /* shortened in the middle: both ends kept */
    const char *s = "Llama-2-70b-chat-hf step-2024-03 ckpt";
    const char *f = hv_shorten_middle(s, 7 * 20, width7, NULL, out, sizeof out);
    CHECK(width7(NULL, f) <= 7 * 20);
    CHECK(strncmp(f, "Llama", 5) == 0);
    CHECK(strstr(f, "ckpt") != NULL);
    CHECK(strstr(f, "\xe2\x80\xa6") != NULL);
    /* two lines before anything is cut */
    CHECK_INT(hv_fit_lines("Top 10 Safety Heads on Undiff Attn.", 7 * 20, 2, width7, NULL, lines, &cut), 2);
    CHECK(!cut);
    CHECK(width7(NULL, lines[0]) <= 7 * 20 && width7(NULL, lines[1]) <= 7 * 20);
    char joined[320];
    snprintf(joined, sizeof joined, "%s %s", lines[0], lines[1]);
    CHECK_STR(joined, "Top 10 Safety Heads on Undiff Attn.");
    /* one line when one is allowed: shortened */
    CHECK_INT(hv_fit_lines(s, 7 * 20, 1, width7, NULL, lines, &cut), 1);
    CHECK(cut);
    /* greedy wrap at spaces where that fits ... */
    int n = 0;
    CHECK(hv_wrap(s, 7 * 20, 4, width7, NULL, wl, &n));
    CHECK_INT(n, 2);
    CHECK_STR(wl[0], "Llama-2-70b-chat-hf");
    CHECK_STR(wl[1], "step-2024-03 ckpt");
    /* ... else also after hyphens that do not split a number, the hyphen kept ... */
    CHECK(hv_wrap(s, 7 * 14, 4, width7, NULL, wl, &n));
    CHECK_INT(n, 4);
    CHECK_STR(wl[0], "Llama-2-70b-");
    CHECK_STR(wl[1], "chat-hf");
    CHECK_STR(wl[2], "step-2024-03");
    CHECK_STR(wl[3], "ckpt");
    /* ... else after any hyphen */
    CHECK(hv_wrap(s, 7 * 14, 3, width7, NULL, wl, &n));
    CHECK_INT(n, 3);
    CHECK_STR(wl[0], "Llama-2-70b-");
    CHECK_STR(wl[1], "chat-hf step-");
    CHECK_STR(wl[2], "2024-03 ckpt");
    CHECK(!hv_wrap_tier(s, 7 * 14, 3, 1, width7, NULL, wl, &n));
    CHECK(!hv_wrap(s, 7 * 14, 2, width7, NULL, wl, &n)); /* not in two lines */
    CHECK(!hv_wrap("Supercalifragilistic", 7 * 10, 4, width7, NULL, wl, &n)); /* a word too wide */
}

static void test_ticks(void)
{
    double v[64], step;
    /* 80 layers over 800 px with 20 px labels: every 2nd */
    int n = hv_index_ticks(-0.5, 79.5, 800, 20, v, 64, &step);
    CHECK_NEAR(step, 2, 0);
    CHECK_NEAR(v[0], 0, 0);
    CHECK_INT(n, 40);
    /* over 100 px: labels 20 px apart at least */
    n = hv_index_ticks(-0.5, 79.5, 100, 20, v, 64, &step);
    CHECK(step * 100 / 80 >= 20);
    CHECK(n >= 2);
    /* whatever the room, at least two labelled ticks where two indices exist */
    for (int len = 1; len < 400; len += 7)
        for (int hi = 1; hi < 130; hi += 3) {
            n = hv_index_ticks(-0.5, hi + 0.5, (float)len, 18, v, 64, &step);
            CHECK(n >= 2);
            CHECK(step >= 1);
            for (int i = 1; i < n; i++)
                CHECK(v[i] > v[i - 1]);
        }
}

/* The least room for two labelled ticks: the sparsest two ticks (the
 * largest 1-2-5 step with two multiples on the axis) label_px apart; at
 * that length hv_index_ticks gives at least two ticks that far apart, and
 * a pixel less gives none that far apart. */
static void test_ticks_two_len(void)
{
    CHECK_NEAR(hv_index_ticks_two_len(-0.5, 39.5, 10), 20, 1e-4); /* 0, 20 */
    CHECK_NEAR(hv_index_ticks_two_len(-0.5, 15.5, 10), 16, 1e-4); /* 0, 10 */
    CHECK_NEAR(hv_index_ticks_two_len(-0.5, 79.5, 10), 16, 1e-4); /* 0, 50 */
    CHECK_NEAR(hv_index_ticks_two_len(-0.5, 1.5, 10), 20, 1e-4);  /* 0, 1 */
    CHECK_NEAR(hv_index_ticks_two_len(-0.5, 0.5, 10), 0, 0);      /* one index */
    CHECK_NEAR(hv_index_ticks_two_len(NAN, 3, 10), 0, 0);
    double v[64], step;
    for (int hi = 1; hi < 300; hi += 7) {
        float len = hv_index_ticks_two_len(-0.5, hi + 0.5, 18);
        int n = hv_index_ticks(-0.5, hi + 0.5, len, 22, v, 64, &step);
        CHECK(n >= 2 && step * len / (hi + 1) >= 18 - 1e-3);
        n = hv_index_ticks(-0.5, hi + 0.5, len - 1, 22, v, 64, &step);
        CHECK(step * (len - 1) / (hi + 1) < 18);
    }
}

/* an axis of any span the spec allows (limits within 1e15): ticks in
 * range, at least two, no overflow (fuzz_figure found one at 1e15) */
static void test_ticks_huge(void)
{
    double v[64], step;
    int n = hv_index_ticks(-1, 999999999999999.0, 500, 30, v, 64, &step);
    CHECK(n >= 2 && n <= 64);
    CHECK(step >= 1e13);
    for (int i = 0; i < n; i++)
        CHECK(v[i] >= 0 && v[i] <= 999999999999999.0);
    n = hv_index_ticks(-1e15, 1e15, 10, 30, v, 64, &step);
    CHECK(n >= 1 && n <= 64);
}

int main(void)
{
    test_grid();
    test_text();
    test_ticks();
    test_ticks_huge();
    test_ticks_two_len();
    return check_summary();
}
