/* Unit tests of drawlist.c: batching into commands, clips, dropped empty
 * items, the string pool, and capacity kept across frames. */
#include <string.h>

#include "check.h"
#include "drawlist.h"

static const hv_color k_red = {1, 0, 0, 1};

static hv_marker marker_at(float x, float y)
{
    hv_marker m;
    memset(&m, 0, sizeof m);
    m.x = x;
    m.y = y;
    m.size = 10;
    m.alpha = 1;
    m.value = 0.5f;
    return m;
}

/* Every item is in exactly one command of its type, in order. */
static void check_cover(const hv_drawlist *dl, const char *file, int line)
{
    int next[4] = {0, 0, 0, 0};
    bool ok = true;
    for (int i = 0; i < dl->n_cmds; i++) {
        const hv_cmd *c = &dl->cmds[i];
        if ((int)c->type < 0 || (int)c->type > 3 || c->first != next[c->type] || c->count <= 0) {
            ok = false;
            break;
        }
        next[c->type] += c->count;
    }
    check_true_(ok, "commands are contiguous", file, line);
    check_int_(next[HV_CMD_RECTS], dl->n_rects, "rects in commands", "n_rects", file, line);
    check_int_(next[HV_CMD_MARKERS], dl->n_markers, "markers in commands", "n_markers", file, line);
    check_int_(next[HV_CMD_COLORBARS], dl->n_colorbars, "colorbars in commands", "n_colorbars", file, line);
    check_int_(next[HV_CMD_TEXTS], dl->n_texts, "texts in commands", "n_texts", file, line);
}
#define CHECK_COVER(dl) check_cover((dl), __FILE__, __LINE__)

static void test_batching(void)
{
    hv_drawlist dl;
    memset(&dl, 0, sizeof dl);
    hv_drawlist_reset(&dl, 640, 480, (hv_color){0.1f, 0.2f, 0.3f, 1});
    CHECK_INT(dl.width, 640);
    CHECK_INT(dl.height, 480);
    CHECK_NEAR(dl.clear.g, 0.2f, 0);
    CHECK_INT(dl.n_cmds, 0);

    hv_dl_rect(&dl, (hv_rect){0, 0, 10, 10}, k_red);
    hv_dl_rect(&dl, (hv_rect){10, 0, 10, 10}, k_red);
    hv_dl_rect(&dl, (hv_rect){20, 0, 10, 10}, k_red);
    CHECK_INT(dl.n_rects, 3);
    CHECK_INT(dl.n_cmds, 1); /* one command for three rects */
    CHECK_INT(dl.cmds[0].type, HV_CMD_RECTS);
    CHECK_INT(dl.cmds[0].count, 3);
    CHECK(!dl.cmds[0].clipped);

    hv_marker m = marker_at(5, 5);
    hv_dl_marker(&dl, &m);
    hv_dl_marker(&dl, &m);
    CHECK_INT(dl.n_cmds, 2);
    CHECK_INT(dl.cmds[1].type, HV_CMD_MARKERS);
    CHECK_INT(dl.cmds[1].count, 2);

    /* a clip opens a new command, the same clip again does not */
    hv_rect clip = {1, 2, 300, 200};
    hv_dl_clip(&dl, &clip);
    hv_dl_marker(&dl, &m);
    hv_rect same = clip;
    hv_dl_clip(&dl, &same);
    hv_dl_marker(&dl, &m);
    CHECK_INT(dl.n_cmds, 3);
    CHECK(dl.cmds[2].clipped);
    CHECK_INT(dl.cmds[2].count, 2);
    CHECK(memcmp(&dl.cmds[2].clip, &clip, sizeof clip) == 0);
    hv_rect other = {1, 2, 300, 201};
    hv_dl_clip(&dl, &other);
    hv_dl_marker(&dl, &m);
    CHECK_INT(dl.n_cmds, 4);
    CHECK_NEAR(dl.cmds[3].clip.h, 201, 0);
    hv_dl_clip(&dl, NULL);
    hv_dl_marker(&dl, &m);
    CHECK_INT(dl.n_cmds, 5);
    CHECK(!dl.cmds[4].clipped);

    hv_dl_colorbar(&dl, (hv_rect){600, 10, 20, 400}, 0, 1, 1);
    hv_dl_text(&dl, "hello", 10, 20, 15, k_red, HV_ANCHOR_CENTER, HV_ANCHOR_END, 90);
    hv_dl_text(&dl, "world", 30, 40, 12, k_red, HV_ANCHOR_START, HV_ANCHOR_START, 0);
    hv_dl_rect(&dl, (hv_rect){0, 0, 1, 1}, k_red);
    CHECK_INT(dl.n_cmds, 8);
    CHECK_INT(dl.cmds[5].type, HV_CMD_COLORBARS);
    CHECK_INT(dl.cmds[6].type, HV_CMD_TEXTS);
    CHECK_INT(dl.cmds[6].count, 2);
    CHECK_INT(dl.cmds[7].type, HV_CMD_RECTS);
    CHECK_INT(dl.cmds[7].first, 3);
    CHECK_COVER(&dl);

    /* items keep what they were given */
    CHECK_NEAR(dl.rects[1].r.x, 10, 0);
    CHECK_NEAR(dl.colorbars[0].r.h, 400, 0);
    CHECK_NEAR(dl.colorbars[0].t1, 1, 0);
    CHECK_INT(dl.n_texts, 2);
    CHECK_STR(hv_dl_string(&dl, &dl.texts[0]), "hello");
    CHECK_STR(hv_dl_string(&dl, &dl.texts[1]), "world");
    CHECK_NEAR(dl.texts[0].size, 15, 0);
    CHECK_INT(dl.texts[0].ax, HV_ANCHOR_CENTER);
    CHECK_INT(dl.texts[0].ay, HV_ANCHOR_END);
    CHECK_INT(dl.texts[0].rotate, 90);
    CHECK_NEAR(dl.texts[1].y, 40, 0);
    CHECK(!dl.oom);
    hv_drawlist_free(&dl);
    CHECK(dl.cmds == NULL && dl.rects == NULL && dl.n_cmds == 0 && dl.strings == NULL);
}

static void test_dropped(void)
{
    hv_drawlist dl;
    memset(&dl, 0, sizeof dl);
    hv_drawlist_reset(&dl, 100, 100, k_red);
    hv_color clear = {1, 1, 1, 0};
    hv_dl_rect(&dl, (hv_rect){0, 0, 0, 10}, k_red);
    hv_dl_rect(&dl, (hv_rect){0, 0, 10, -1}, k_red);
    hv_dl_rect(&dl, (hv_rect){0, 0, 10, 10}, clear);
    hv_marker m = marker_at(1, 1);
    m.alpha = 0;
    hv_dl_marker(&dl, &m);
    m = marker_at(1, 1);
    m.size = 0;
    hv_dl_marker(&dl, &m);
    hv_dl_colorbar(&dl, (hv_rect){0, 0, 10, 10}, 0, 1, 0);
    hv_dl_text(&dl, "", 0, 0, 10, k_red, 0, 0, 0);
    hv_dl_text(&dl, NULL, 0, 0, 10, k_red, 0, 0, 0);
    hv_dl_text(&dl, "x", 0, 0, 10, clear, 0, 0, 0);
    CHECK_INT(dl.n_rects + dl.n_markers + dl.n_colorbars + dl.n_texts + dl.n_cmds, 0);
    CHECK_INT(dl.n_strings, 0);
    hv_drawlist_free(&dl);
}

static void test_reuse(void)
{
    hv_drawlist dl;
    memset(&dl, 0, sizeof dl);
    char s[32];
    for (int frame = 0; frame < 3; frame++) {
        hv_drawlist_reset(&dl, 800, 600, k_red);
        CHECK_INT(dl.n_rects + dl.n_markers + dl.n_texts + dl.n_cmds + dl.n_strings, 0);
        CHECK(!dl.clipped);
        for (int i = 0; i < 1000; i++) {
            hv_dl_rect(&dl, (hv_rect){(float)i, 0, 1, 1}, k_red);
            hv_marker m = marker_at((float)i, 2);
            hv_dl_marker(&dl, &m);
            snprintf(s, sizeof s, "label %d", i);
            hv_dl_text(&dl, s, (float)i, 3, 10, k_red, 0, 0, 0);
        }
        CHECK_INT(dl.n_rects, 1000);
        CHECK_INT(dl.n_markers, 1000);
        CHECK_INT(dl.n_texts, 1000);
        CHECK_INT(dl.n_cmds, 3000); /* interleaved: nothing merges */
        CHECK_COVER(&dl);
        int bad = 0;
        for (int i = 0; i < 1000; i++) {
            snprintf(s, sizeof s, "label %d", i);
            bad += dl.rects[i].r.x != (float)i || dl.markers[i].x != (float)i ||
                   strcmp(hv_dl_string(&dl, &dl.texts[i]), s) != 0;
        }
        CHECK_INT(bad, 0);
        CHECK(!dl.oom);
    }
    /* a frame no bigger than the last allocates nothing */
    void *rects = dl.rects, *markers = dl.markers, *texts = dl.texts, *strings = dl.strings, *cmds = dl.cmds;
    int caps[5] = {dl.cap_rects, dl.cap_markers, dl.cap_texts, dl.cap_strings, dl.cap_cmds};
    hv_drawlist_reset(&dl, 800, 600, k_red);
    CHECK(dl.cap_rects == caps[0] && dl.cap_markers == caps[1] && dl.cap_texts == caps[2] &&
          dl.cap_strings == caps[3] && dl.cap_cmds == caps[4]);
    for (int i = 0; i < 1000; i++) {
        hv_dl_rect(&dl, (hv_rect){(float)i, 0, 1, 1}, k_red);
        hv_marker m = marker_at((float)i, 2);
        hv_dl_marker(&dl, &m);
        snprintf(s, sizeof s, "label %d", i);
        hv_dl_text(&dl, s, (float)i, 3, 10, k_red, 0, 0, 0);
    }
    CHECK(dl.rects == rects && dl.markers == markers && dl.texts == texts && dl.strings == strings &&
          dl.cmds == cmds);
    hv_drawlist_free(&dl);
}

/* Hairlines are rects marked as such: batched with rects (raster backends
 * fill them as rects), the mark kept per item and counted by equality. */
static void test_hairline(void)
{
    hv_drawlist a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    hv_drawlist_reset(&a, 100, 100, k_red);
    hv_drawlist_reset(&b, 100, 100, k_red);
    hv_dl_rect(&a, (hv_rect){0, 0, 10, 10}, k_red);
    hv_dl_hairline(&a, (hv_rect){0, 20, 50, 1}, k_red);
    hv_dl_hairline(&a, (hv_rect){0, 30, 50, 0}, k_red); /* empty: dropped, as a rect */
    CHECK_INT(a.n_rects, 2);
    CHECK_INT(a.n_cmds, 1);
    CHECK_INT(a.rects[0].hairline, 0);
    CHECK_INT(a.rects[1].hairline, 1);
    CHECK_NEAR(a.rects[1].r.h, 1, 0);
    CHECK_COVER(&a);
    hv_dl_rect(&b, (hv_rect){0, 0, 10, 10}, k_red);
    hv_dl_rect(&b, (hv_rect){0, 20, 50, 1}, k_red);
    CHECK(!hv_drawlist_equal(&a, &b)); /* the same pixels, not the same PDF */
    CHECK(hv_drawlist_copy(&b, &a));
    CHECK(hv_drawlist_equal(&a, &b));
    CHECK_INT(b.rects[1].hairline, 1);
    hv_drawlist_free(&a);
    hv_drawlist_free(&b);
}

int main(void)
{
    test_batching();
    test_hairline();
    test_dropped();
    test_reuse();
    return check_summary();
}
