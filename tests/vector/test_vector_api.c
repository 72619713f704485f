/* The vector backend's API without GL or external tools: formats by name,
 * refused page sizes, documents closed without a page or aborted (nothing
 * left behind), a second SVG page, odd draw lists (NaN coordinates, zero
 * sizes, huge strings, invalid UTF-8) drawn without a crash, and multi-page
 * PDFs that grow with their pages.
 * usage: test_vector_api FONT_FILE */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../unit/check.h"
#include "spec.h"
#include "vector.h"

static char g_dir[] = "/tmp/hv_vector_api_XXXXXX";

/* Files in the test folder (temporaries included). */
static int files_in_dir(void)
{
    DIR *d = opendir(g_dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_format_of(void)
{
    hv_vector_format f = HV_VECTOR_SVG;
    CHECK(hv_vector_format_of("fig.pdf", &f) && f == HV_VECTOR_PDF);
    CHECK(hv_vector_format_of("a/b/FIG.SVG", &f) && f == HV_VECTOR_SVG);
    CHECK(!hv_vector_format_of("fig.png", &f));
    CHECK(!hv_vector_format_of(".pdf", &f));
    CHECK(!hv_vector_format_of(NULL, &f));
}

static void test_refusals(const char *font)
{
    char path[256];
    snprintf(path, sizeof path, "%s/a.pdf", g_dir);
    hv_error err = {""};
    CHECK(hv_vector_open(path, HV_VECTOR_PDF, 0, 100, font, false, &err) == NULL);
    CHECK(strstr(err.msg, "page size") != NULL);
    CHECK(hv_vector_open(path, HV_VECTOR_PDF, NAN, 100, font, false, &err) == NULL);
    CHECK(hv_vector_open("", HV_VECTOR_PDF, 100, 100, font, false, &err) == NULL);
    CHECK_INT(files_in_dir(), 0);
    CHECK(hv_vector_close(NULL, false, &err));

    /* closed without a page: an error, nothing written */
    hv_vector *v = hv_vector_open(path, HV_VECTOR_PDF, 100, 100, font, false, &err);
    CHECK(v != NULL);
    CHECK(!hv_vector_close(v, false, &err));
    check_context("%s", err.msg);
    CHECK(strstr(err.msg, "no page was drawn") != NULL);
    CHECK_INT(files_in_dir(), 0);
    check_context("%s", "");

    /* aborted after a page: nothing written */
    hv_drawlist dl = {0};
    hv_drawlist_reset(&dl, 64, 48, (hv_color){1, 1, 1, 1});
    hv_dl_rect(&dl, (hv_rect){4, 4, 20, 10}, (hv_color){1, 0, 0, 1});
    v = hv_vector_open(path, HV_VECTOR_PDF, 48, 36, font, false, &err);
    CHECK(v && hv_vector_page(v, &dl, &err));
    CHECK(!hv_vector_close(v, true, NULL));
    CHECK_INT(files_in_dir(), 0);

    /* SVG: one page only */
    snprintf(path, sizeof path, "%s/a.svg", g_dir);
    v = hv_vector_open(path, HV_VECTOR_SVG, 48, 36, font, false, &err);
    CHECK(v && hv_vector_page(v, &dl, &err));
    CHECK(v && !hv_vector_page(v, &dl, &err));
    CHECK(strstr(err.msg, "an SVG file holds one page") != NULL);
    CHECK(!hv_vector_close(v, true, NULL));
    CHECK_INT(files_in_dir(), 0);

    /* a draw list that ran out of memory is refused, not drawn half */
    v = hv_vector_open(path, HV_VECTOR_SVG, 48, 36, font, false, &err);
    dl.oom = true;
    CHECK(v && !hv_vector_page(v, &dl, &err));
    CHECK(strstr(err.msg, "incomplete") != NULL);
    CHECK(!hv_vector_close(v, true, NULL));
    dl.oom = false;
    hv_drawlist_reset(&dl, 0, 48, (hv_color){1, 1, 1, 1});
    v = hv_vector_open(path, HV_VECTOR_SVG, 48, 36, font, false, &err);
    CHECK(v && !hv_vector_page(v, &dl, &err));
    CHECK(!hv_vector_close(v, true, NULL));
    CHECK_INT(files_in_dir(), 0);
    hv_drawlist_free(&dl);
}

/* Garbage in the draw list: drawn (or skipped) without a crash, and the file
 * is still a whole document. */
static void test_odd_items(const char *font)
{
    hv_drawlist dl = {0};
    hv_drawlist_reset(&dl, 200, 100, (hv_color){1, 1, 1, 1});
    hv_color c = {0.2f, 0.3f, 0.4f, 1};
    hv_dl_rect(&dl, (hv_rect){NAN, 0, 10, 10}, c);
    hv_dl_rect(&dl, (hv_rect){10, 10, -5, INFINITY}, c);
    hv_rect clip = {-1e30f, 5.5f, 3e38f, 50};
    hv_dl_clip(&dl, &clip);
    for (int s = -2; s < 12; s++) {
        hv_marker m = {0};
        m.x = 10.0f * (float)s;
        m.y = 50;
        m.size = s == 3 ? 0 : s == 4 ? NAN : s == 5 ? 1e9f : 12;
        m.shape = s == -2 ? NAN : s == 11 ? 1e30f : (float)s;
        m.value = s == 6 ? NAN : s == 7 ? 7 : 0.5f;
        m.alpha = s == 8 ? -1 : 1;
        m.outline = c;
        m.outline_w = s == 9 ? 1e6f : 2;
        m.stroke_w = s == 10 ? NAN : 2;
        hv_dl_marker(&dl, &m);
    }
    hv_dl_clip(&dl, NULL);
    hv_dl_colorbar(&dl, (hv_rect){150, 10, 10, 80}, 0.3f, 0.3f, 1);
    hv_dl_colorbar(&dl, (hv_rect){170, 10, 10, 0}, 0, 1, 1);
    hv_dl_colorbar(&dl, (hv_rect){180, 10, 10, 80}, -5, 7, 1);
    hv_dl_colorbar(&dl, (hv_rect){190, 10, 10, 80}, NAN, 1, 1);
    size_t big = 100000;
    char *s = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        s[i] = (char)('A' + i % 26);
    s[big] = 0;
    hv_dl_text(&dl, s, 0, 0, 12, c, 0, 0, 0);
    hv_dl_text(&dl, "bad \xff\xfe utf-8 \xc3 \xe2\x82 \xed\xa0\x80 \xf4\x90\x80\x80 end", 10, 80, 9, c, 1, 1, 90);
    hv_dl_text(&dl, "", 10, 80, 9, c, 1, 1, 0);
    hv_dl_text(&dl, "size", 10, 80, -3, c, 2, 2, 0);
    hv_dl_text(&dl, "huge", 10, 80, 1e9f, c, 2, 2, 0);
    free(s);
    float vals[6] = {0, NAN, 1, -3, INFINITY, 0.5f};
    hv_dl_heatmap(&dl, (hv_rect){20, 20, 30, 20}, 3, 2, vals, (hv_color){0, 0, 0, 0.5f}, 0.7f);
    hv_dl_heatmap(&dl, (hv_rect){20, 20, 0, 20}, 3, 2, vals, c, 1);
    const char *names[2] = {"odd.pdf", "odd.svg"};
    for (int f = 0; f < 2; f++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", g_dir, names[f]);
        hv_error err = {""};
        hv_vector *v = hv_vector_open(path, (hv_vector_format)f, 150, 75, font, false, &err);
        bool ok = v && hv_vector_page(v, &dl, &err);
        ok = hv_vector_close(v, !ok, &err) && ok;
        check_context("%s: %s", names[f], err.msg);
        CHECK(ok);
        CHECK(file_size(path) > 500);
        unlink(path);
    }
    check_context("%s", "");
    hv_drawlist_free(&dl);
}

/* Pages: a PDF of 3 pages is bigger than one of 1, and a page of a
 * different size is drawn scaled into the same page. */
static void test_pages(const char *font)
{
    hv_drawlist a = {0}, b = {0};
    hv_drawlist_reset(&a, 320, 180, (hv_color){1, 1, 1, 1});
    hv_drawlist_reset(&b, 640, 200, (hv_color){0, 0, 0, 0});
    hv_dl_text(&a, "page", 10, 10, 20, (hv_color){0, 0, 0, 1}, 0, 0, 0);
    hv_dl_rect(&b, (hv_rect){0, 0, 640, 200}, (hv_color){0, 0, 1, 0.5f});
    long sizes[2];
    for (int k = 0; k < 2; k++) {
        char path[256];
        snprintf(path, sizeof path, "%s/p%d.pdf", g_dir, k);
        hv_error err = {""};
        hv_vector *v = hv_vector_open(path, HV_VECTOR_PDF, 240, 135, font, false, &err);
        bool ok = v != NULL;
        for (int p = 0; p < (k ? 3 : 1) && ok; p++)
            ok = hv_vector_page(v, p == 1 ? &b : &a, &err);
        ok = hv_vector_close(v, !ok, &err) && ok;
        CHECK(ok);
        sizes[k] = file_size(path);
        unlink(path);
    }
    CHECK(sizes[0] > 0 && sizes[1] > sizes[0]);
    hv_drawlist_free(&a);
    hv_drawlist_free(&b);
}

int main(int argc, char **argv)
{
    const char *font = argc > 1 ? argv[1] : "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (!mkdtemp(g_dir)) {
        printf("cannot make a temporary folder\n");
        return 1;
    }
    test_format_of();
    test_refusals(font);
    test_odd_items(font);
    test_pages(font);
    CHECK_INT(files_in_dir(), 0);
    rmdir(g_dir);
    return check_summary();
}
