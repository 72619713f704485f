/* anim: easing, timeline, matching (nearest checked against brute force),
 * enter/exit and in-between values of frames. */
#include <stdlib.h>

#include "anim.h"
#include "assets.h"
#include "check.h"

static void test_easing(void)
{
    for (int e = 0; e < HV_EASE_COUNT; e++) {
        check_context("easing %s", hv_easing_name(e));
        CHECK_NEAR(hv_ease((hv_easing)e, 0), 0, 1e-12);
        CHECK_NEAR(hv_ease((hv_easing)e, 1), 1, 1e-12);
        CHECK_NEAR(hv_ease((hv_easing)e, -0.5), 0, 1e-12); /* clamped outside [0,1] */
        CHECK_NEAR(hv_ease((hv_easing)e, 1.5), 1, 1e-12);
        CHECK_INT(hv_easing_parse(hv_easing_name(e)), e);
    }
    check_context("%s", "");
    CHECK_NEAR(hv_ease(HV_EASE_LINEAR, 0.3), 0.3, 1e-12);
    CHECK_NEAR(hv_ease(HV_EASE_CUBIC, 0.5), 0.5, 1e-12);
    CHECK_NEAR(hv_ease(HV_EASE_CUBIC, 0.25), 4 * 0.25 * 0.25 * 0.25, 1e-12);
    CHECK_NEAR(hv_ease(HV_EASE_CUBIC, 0.75), 1 - 0.5 * 0.5 * 0.5 / 2, 1e-12);
    CHECK_NEAR(hv_ease(HV_EASE_QUINT, 0.25), 16 * pow(0.25, 5), 1e-12);
    CHECK_NEAR(hv_ease(HV_EASE_QUINT, 0.5), 0.5, 1e-12);
    /* back-out overshoots above 1 before settling; elastic-out oscillates */
    double mx = 0;
    for (int i = 0; i <= 100; i++)
        mx = fmax(mx, hv_ease(HV_EASE_BACK, i / 100.0));
    CHECK(mx > 1.05 && mx < 1.2);
    CHECK_NEAR(hv_ease(HV_EASE_BACK, 0.5), 1 + 2.70158 * -0.125 + 1.70158 * 0.25, 1e-9);
    CHECK_NEAR(hv_ease(HV_EASE_ELASTIC, 0.1), pow(2, -1) * sin((1 - 0.75) * 2 * 3.14159265358979 / 3) + 1, 1e-9);
    CHECK_INT(hv_easing_parse("cubic-in-out"), HV_EASE_CUBIC);
    CHECK_INT(hv_easing_parse("bounce"), -1);
    CHECK_INT(hv_layout_parse("MORPH"), HV_LAYOUT_MORPH);
    CHECK_INT(hv_match_parse("nearest"), HV_MATCH_NEAREST);
    CHECK_INT(hv_match_parse("closest"), -1);
}

static void test_timeline(void)
{
    hv_timeline tl = {2, 1.0, 1.5};
    CHECK_NEAR(hv_timeline_period(&tl), 5.0, 1e-12);
    CHECK_NEAR(hv_timeline_progress(&tl, 0.0), 0.0, 1e-12);
    CHECK_NEAR(hv_timeline_progress(&tl, 0.99), 0.0, 1e-12);  /* holding */
    CHECK_NEAR(hv_timeline_progress(&tl, 1.75), 0.5, 1e-12);  /* halfway through */
    CHECK_NEAR(hv_timeline_progress(&tl, 2.5), 1.0, 1e-12);   /* second state */
    CHECK_NEAR(hv_timeline_progress(&tl, 3.5), 1.0, 1e-12);
    CHECK_NEAR(hv_timeline_progress(&tl, 4.25), 1.5, 1e-12);  /* looping back */
    CHECK_NEAR(hv_timeline_progress(&tl, 5.0), 0.0, 1e-12);   /* wraps */
    CHECK_NEAR(hv_timeline_progress(&tl, 6.75), 0.5, 1e-12);
    CHECK_NEAR(hv_timeline_progress(&tl, -0.75), 1.5, 1e-12); /* negative wraps too */
    /* same t, same answer; time() inverts progress() */
    for (int i = 0; i < 50; i++) {
        double t = i * 0.1;
        CHECK_NEAR(hv_timeline_progress(&tl, t), hv_timeline_progress(&tl, t), 0);
        double p = hv_timeline_progress(&tl, t);
        if (p != floor(p))
            CHECK_NEAR(hv_timeline_time(&tl, p), t, 1e-9);
    }
    CHECK_NEAR(hv_timeline_time(&tl, 1.0), 2.5, 1e-12);
}

/* brute force: every injective map of the smaller side into the larger */
static double brute(const double *cost, int n, int m, int row, bool *used)
{
    if (row == n)
        return 0;
    double best = INFINITY;
    for (int j = 0; j < m; j++) {
        if (used[j])
            continue;
        used[j] = true;
        double c = cost[row * m + j] + brute(cost, n, m, row + 1, used);
        used[j] = false;
        if (c < best)
            best = c;
    }
    return best;
}

static void test_assignment_vs_brute_force(void)
{
    srand(12345);
    int cases = 0;
    for (int n = 1; n <= 7; n++)
        for (int m = 1; m <= 7; m++)
            for (int rep = 0; rep < 6; rep++) {
                double cost[49], tcost[49];
                for (int i = 0; i < n * m; i++)
                    cost[i] = (double)(rand() % 1000) / 10.0;
                int to[7];
                double total = -1;
                CHECK(hv_assign(cost, n, m, to, &total));
                /* brute force on the orientation with rows <= cols */
                bool used[7] = {false};
                double want;
                if (n <= m) {
                    want = brute(cost, n, m, 0, used);
                } else {
                    for (int i = 0; i < n; i++)
                        for (int j = 0; j < m; j++)
                            tcost[j * n + i] = cost[i * m + j];
                    want = brute(tcost, m, n, 0, used);
                }
                check_context("assign %dx%d rep %d", n, m, rep);
                CHECK_NEAR(total, want, 1e-9);
                /* the assignment is valid: min(n,m) rows matched, columns distinct */
                int matched = 0;
                bool col_used[7] = {false};
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    if (to[i] < 0)
                        continue;
                    CHECK(to[i] < m && !col_used[to[i]]);
                    col_used[to[i]] = true;
                    sum += cost[i * m + to[i]];
                    matched++;
                }
                CHECK_INT(matched, n < m ? n : m);
                CHECK_NEAR(sum, total, 1e-9);
                cases++;
            }
    check_context("%s", "");
    CHECK_INT(cases, 7 * 7 * 6);
}

static hv_dataset load(const char *csv)
{
    hv_dataset ds;
    hv_error err;
    if (!hv_dataset_parse(&ds, csv, strlen(csv), "t.csv", &err))
        printf("parse: %s\n", err.msg);
    return ds;
}

static void test_match_modes(void)
{
    const char *csv = "model,condition,layer,head,score\n"
                      "m,A,0,0,10\n" /* 1 */
                      "m,A,5,5,30\n" /* 2 */
                      "m,A,9,9,20\n" /* 3 */
                      "m,B,5,5,1\n"  /* 4: same head as line 2 */
                      "m,B,0,1,50\n" /* 5 */
                      "n,A,1,1,7\n";  /* 6: model n only in A */
    hv_dataset ds = load(csv);
    hv_pair pr[16];
    /* head: (5,5) moves; (0,0) and (9,9) exit; (0,1) enters; n's point exits */
    int np = hv_match(&ds, 0, 1, HV_MATCH_HEAD, pr);
    CHECK_INT(np, 5);
    int moves = 0, exits = 0, enters = 0;
    for (int i = 0; i < np; i++) {
        if (pr[i].a >= 0 && pr[i].b >= 0) {
            moves++;
            CHECK_INT(ds.points[pr[i].a].layer, 5);
            CHECK_INT(ds.points[pr[i].b].layer, 5);
        }
        exits += pr[i].a >= 0 && pr[i].b < 0;
        enters += pr[i].a < 0 && pr[i].b >= 0;
    }
    CHECK_INT(moves, 1);
    CHECK_INT(exits, 3);
    CHECK_INT(enters, 1);
    /* rank: strongest to strongest: A (5,5)=30 -> B (0,1)=50; A (9,9)=20 -> B (5,5)=1 */
    np = hv_match(&ds, 0, 1, HV_MATCH_RANK, pr);
    CHECK_INT(np, 4);
    CHECK_INT(ds.points[pr[0].a].layer, 5);
    CHECK_INT(ds.points[pr[0].b].head, 1);
    CHECK_INT(ds.points[pr[1].a].layer, 9);
    CHECK_INT(ds.points[pr[1].b].layer, 5);
    CHECK(pr[2].a >= 0 && pr[2].b < 0);
    /* nearest: least total travel: (0,0)->(0,1) [1], (5,5)->(5,5) [0]; (9,9) exits */
    np = hv_match(&ds, 0, 1, HV_MATCH_NEAREST, pr);
    CHECK_INT(np, 4);
    for (int i = 0; i < np; i++) {
        if (pr[i].a < 0 || pr[i].b < 0)
            continue;
        const hv_point *a = &ds.points[pr[i].a], *b = &ds.points[pr[i].b];
        CHECK(abs(a->layer - b->layer) + abs(a->head - b->head) <= 1);
    }
    /* ranks are a permutation, strongest first */
    np = hv_match(&ds, 0, 1, HV_MATCH_HEAD, pr);
    int seen = 0;
    for (int i = 0; i < np; i++)
        seen |= 1 << pr[i].rank;
    CHECK_INT(seen, (1 << np) - 1);
    hv_dataset_free(&ds);
}

/* nearest on random data: total travel equals brute force, up to 7 a side */
static void test_nearest_random(void)
{
    srand(777);
    for (int na = 1; na <= 7; na++)
        for (int nb = 1; nb <= 7; nb++) {
            char csv[4096];
            int o = snprintf(csv, sizeof csv, "model,condition,layer,head,score\n");
            int used[32][32] = {{0}};
            double A[7][2], B[7][2];
            for (int i = 0; i < na; i++) {
                int l, h;
                do {
                    l = rand() % 32, h = rand() % 32;
                } while (used[l][h] & 1);
                used[l][h] |= 1;
                A[i][0] = l, A[i][1] = h;
                o += snprintf(csv + o, sizeof csv - (size_t)o, "m,A,%d,%d,%d\n", l, h, i + 1);
            }
            for (int j = 0; j < nb; j++) {
                int l, h;
                do {
                    l = rand() % 32, h = rand() % 32;
                } while (used[l][h] & 2);
                used[l][h] |= 2;
                B[j][0] = l, B[j][1] = h;
                o += snprintf(csv + o, sizeof csv - (size_t)o, "m,B,%d,%d,%d\n", l, h, j + 1);
            }
            hv_dataset ds = load(csv);
            hv_pair pr[16];
            int np = hv_match(&ds, 0, 1, HV_MATCH_NEAREST, pr);
            double total = 0;
            int pairs = 0;
            for (int i = 0; i < np; i++) {
                if (pr[i].a < 0 || pr[i].b < 0)
                    continue;
                const hv_point *a = &ds.points[pr[i].a], *b = &ds.points[pr[i].b];
                total += hypot(a->layer - b->layer, a->head - b->head);
                pairs++;
            }
            double cost[49];
            int n = na <= nb ? na : nb, m = na <= nb ? nb : na;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < m; j++) {
                    const double *p = na <= nb ? A[i] : B[i], *q = na <= nb ? B[j] : A[j];
                    cost[i * m + j] = hypot(p[0] - q[0], p[1] - q[1]);
                }
            bool u[7] = {false};
            check_context("nearest %d x %d", na, nb);
            CHECK_NEAR(total, brute(cost, n, m, 0, u), 1e-9);
            CHECK_INT(pairs, n);
            CHECK_INT(np, na + nb - n); /* the rest enter or exit */
            hv_dataset_free(&ds);
        }
    check_context("%s", "");
}

static void test_frames(void)
{
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_error err;
    hv_spec_init(&spec);
    CHECK(hv_dataset_parse(&ds, hv_asset_csv, hv_asset_csv_len, "b.csv", &err));
    CHECK(hv_spec_parse(&spec, hv_asset_ini, "b.ini", &err));
    CHECK(hv_figure_prepare(&fig, &ds, &spec, &err));
    hv_anim a;
    hv_anim_opts o = {HV_LAYOUT_MORPH, HV_MATCH_HEAD, HV_EASE_LINEAR, 0};
    CHECK(hv_anim_init(&a, &fig, &o, &err));
    hv_panel_state ps[HV_MAX_PANELS];
    CHECK_INT(hv_anim_panel_count(&a), 1);
    /* head matching on the bundled data: no head is shared, so at 0 the 17
     * Undiff points are shown, at 1 the 14 Scaling points, and at 0.5 all 31
     * at half size and half opacity (exits shrink and fade, entries grow) */
    double want_alpha[2] = {1, 0.5};
    double ps_[2] = {0, 0.5};
    for (int k = 0; k < 2; k++) {
        int n = hv_anim_frame(&a, ps_[k], NULL, ps, NULL);
        CHECK_INT(n, 1);
        int exits = 0, enters = 0;
        for (int i = 0; i < ps[0].n_points; i++) {
            const hv_scene_point *sp = &ps[0].points[i];
            check_context("morph progress %.1f point %d", ps_[k], i);
            if (sp->src_a >= 0) {
                CHECK_NEAR(sp->alpha, want_alpha[k], 1e-6);
                CHECK_NEAR(sp->scale, want_alpha[k], 1e-6);
                exits++;
            } else {
                CHECK_NEAR(sp->alpha, 1 - want_alpha[k], 1e-6);
                CHECK_NEAR(sp->scale, 1 - want_alpha[k], 1e-6);
                enters++;
            }
        }
        check_context("morph progress %.1f", ps_[k]);
        CHECK_INT(exits, 17);
        CHECK_INT(enters, k == 0 ? 0 : 14);
        CHECK_NEAR(ps[0].hi, 70 + (22 - 70) * ps_[k], 1e-9);
        CHECK_STR(ps[0].title[0], "Top 10 Safety Heads on Undiff Attn.");
    }
    /* at 1 the player holds on the second condition: its 14 points, whole */
    hv_anim_frame(&a, 1.0, NULL, ps, NULL);
    CHECK_INT(ps[0].n_points, 14);
    for (int i = 0; i < ps[0].n_points; i++) {
        CHECK_INT(ds.points[ps[0].points[i].src_a].condition, 1);
        CHECK_NEAR(ps[0].points[i].alpha, 1, 0);
        CHECK_NEAR(ps[0].points[i].scale, 1, 0);
    }
    CHECK_NEAR(ps[0].hi, 22, 1e-9);
    CHECK_STR(ps[0].title[0], "Top 10 Safety Heads on Scaling Cont.");
    check_context("%s", "");
    /* titles cross-fade; in between, the colorbar gets nice ticks for the
     * frame's range (ticks NULL), about as many as the two conditions' */
    hv_anim_frame(&a, 0.75, NULL, ps, NULL);
    CHECK_STR(ps[0].title[1], "Top 10 Safety Heads on Scaling Cont.");
    CHECK_NEAR(ps[0].title_alpha[0], 0.25, 1e-6);
    CHECK_NEAR(ps[0].title_alpha[1], 0.75, 1e-6);
    CHECK(ps[0].ticks == NULL);
    CHECK_NEAR(ps[0].tick_target, 7 + (22.0 / 5 - 7) * 0.75, 1e-5);
    hv_anim_frame(&a, 1.0, NULL, ps, NULL);
    CHECK(ps[0].ticks == &fig.conds[1].ticks);
    /* stagger: the strongest pair moves first */
    o.stagger = 0.5;
    o.match = HV_MATCH_RANK;
    CHECK(hv_anim_set_opts(&a, &o, &err));
    hv_anim_frame(&a, 0.25, NULL, ps, NULL);
    double first = -1, last = -1;
    for (int i = 0; i < ps[0].n_points; i++) {
        const hv_scene_point *sp = &ps[0].points[i];
        if (sp->src_a < 0 || sp->src_b < 0)
            continue;
        const hv_point *pa = &ds.points[sp->src_a], *pb = &ds.points[sp->src_b];
        double d = hypot(pb->layer - pa->layer, pb->head - pa->head);
        if (d == 0)
            continue;
        double f = hypot(sp->layer - pa->layer, sp->head - pa->head) / d;
        if (pa->score == 60) /* Vicuna L1 H8: the strongest head */
            first = f;
        if (pa->layer == 28) /* Llama L28 H26 (5): among the weakest */
            last = f;
    }
    CHECK(first > 0.3);
    CHECK_NEAR(last, 0, 1e-9);
    /* models layout: one panel per model, only its own points */
    o.layout = HV_LAYOUT_MODELS;
    o.stagger = 0;
    CHECK(hv_anim_set_opts(&a, &o, &err));
    CHECK_INT(hv_anim_frame(&a, 0, NULL, ps, NULL), 2);
    for (int p = 0; p < 2; p++)
        for (int i = 0; i < ps[p].n_points; i++)
            CHECK_INT(ps[p].points[i].model, p);
    CHECK_INT(ps[0].n_points, 9);
    CHECK_INT(ps[1].n_points, 8);
    CHECK_INT(ps[0].legend_mask, 1);
    /* side layout: progress 0 = left panel only; 1 = both (the seed) */
    o.layout = HV_LAYOUT_SIDE;
    CHECK(hv_anim_set_opts(&a, &o, &err));
    CHECK_INT(hv_anim_frame(&a, 0, NULL, ps, NULL), 2);
    CHECK_INT(ps[0].n_points, 17);
    CHECK_INT(ps[1].n_points, 0);
    hv_anim_frame(&a, 1, NULL, ps, NULL);
    CHECK_INT(ps[1].n_points, 14);
    for (int i = 0; i < 14; i++)
        CHECK_NEAR(ps[1].points[i].alpha, 1, 0);
    /* building: halfway, the strongest points are in, the weakest not yet */
    hv_anim_frame(&a, 0.5, NULL, ps, NULL);
    int in = 0, out = 0;
    for (int i = 0; i < ps[1].n_points; i++) {
        in += ps[1].points[i].alpha >= 1;
        out += ps[1].points[i].alpha <= 0;
    }
    CHECK(in > 0 && out > 0);
    /* shared heads */
    int sh, tot;
    hv_anim_shared(&ds, 0, 0, 1, &sh, &tot);
    CHECK_INT(sh, 0);
    CHECK_INT(tot, 10);
    hv_anim_free(&a);
    hv_figure_free(&fig);
    hv_dataset_free(&ds);
}

int main(void)
{
    test_easing();
    test_timeline();
    test_assignment_vs_brute_force();
    test_match_modes();
    test_nearest_random();
    test_frames();
    return check_summary();
}
