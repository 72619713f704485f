/* Unit tests of the web page's fallback fonts (src/fonts/page_fonts.c) and
 * the text runs both text layers share (src/fonts/runs.c).
 *   test_page_fonts MAIN_FONT.ttf   (DejaVu Sans: it has Latin and Cyrillic)
 * The page's strings with CJK, Cyrillic and a rune no font has: one font is
 * cut (the CJK one fontconfig picks), holding exactly the CJK characters
 * and small; the rune is counted missing once; Latin text needs none.
 * Runs: a string cut where its font changes, a space kept in the run before
 * it; bad UTF-8 is U+FFFD; runs composed on one baseline. */
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/fonts/page_fonts.h"
#include "../../src/fonts/runs.h"
#include "../unit/check.h"

static int cjk_font(void *user, unsigned cp, const char *s)
{
    (void)user;
    (void)s;
    return cp >= 0x3000 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (!CHECK(argc == 2))
        return check_summary();
    FILE *f = fopen(argv[1], "rb");
    static unsigned char main_font[2 << 20];
    size_t n = f ? fread(main_font, 1, sizeof main_font, f) : 0;
    if (f)
        fclose(f);
    CHECK(n > 1000);
    hv_error err = {""};

    hv_page_fonts pf;
    CHECK(hv_page_fonts_make("headviz-page 1\ntitle\tTop 10 on Zürich\nend\n", main_font, n, &pf, &err));
    CHECK_INT(pf.n, 0);
    CHECK_INT(pf.n_missing, 0);
    hv_page_fonts_free(&pf);

    const char *text = "title\tA Zürich\nmodel\tQwen2（通义千问·Zürich）\t3\nmodel\tМистраль-7B\nmodel\trune ᚠ\n"
                       "condition\tᚠ 通义\nend\n";
    CHECK(hv_page_fonts_make(text, main_font, n, &pf, &err));
    CHECK_INT(pf.n, 1);
    CHECK_INT(pf.n_missing, 1);
    if (pf.n == 1) {
        CHECK_INT(pf.f[0].n_chars, 6);
        CHECK(pf.f[0].len > 100 && pf.f[0].len < 8000);
        printf("     cut of %s (face %d): %zu bytes\n", pf.f[0].path, pf.f[0].index, pf.f[0].len);
        hb_blob_t *b = hb_blob_create((const char *)pf.f[0].data, (unsigned)pf.f[0].len, HB_MEMORY_MODE_READONLY, NULL,
                                      NULL);
        hb_face_t *face = hb_face_create(b, 0);
        hb_set_t *has = hb_set_create();
        hb_face_collect_unicodes(face, has);
        const unsigned want[6] = {0xFF08, 0x901A, 0x4E49, 0x5343, 0x95EE, 0xFF09};
        CHECK_INT((int)hb_set_get_population(has), 6);
        for (int i = 0; i < 6; i++)
            CHECK(hb_set_has(has, want[i]));
        hb_set_destroy(has);
        hb_face_destroy(face);
        hb_blob_destroy(b);
    }
    hv_page_fonts_free(&pf);
    CHECK_INT(pf.n, 0);

    /* runs */
    hv_run r[HV_MAX_RUNS];
    const char *s = "ab通义 c";
    int nr = hv_runs_split(s, cjk_font, NULL, r);
    CHECK_INT(nr, 3);
    if (nr == 3) {
        CHECK(r[0].font == -1 && r[0].start == 0 && r[0].len == 2);
        CHECK(r[1].font == 0 && r[1].start == 2 && r[1].len == 7); /* the space stays */
        CHECK(r[2].font == -1 && r[2].start == 9 && r[2].len == 1);
    }
    CHECK_INT(hv_runs_split("", cjk_font, NULL, r), 0);
    size_t i = 0;
    const unsigned char bad[] = {0xC0, 0xAF, 0xE2, 0x88, 0x92, 0xED, 0xA0, 0x80, 0x80, 0};
    CHECK_INT((int)hv_utf8_next(bad, &i), 0xFFFD); /* overlong "/" */
    CHECK_INT((int)i, 1);
    i = 2;
    CHECK_INT((int)hv_utf8_next(bad, &i), 0x2212);
    CHECK_INT((int)i, 5);
    CHECK_INT((int)hv_utf8_next(bad, &i), 0xFFFD); /* a surrogate */
    CHECK_INT((int)i, 6);

    /* compose: 2x3 with its baseline at 2, then 1x5 at 3: 3x5 (the larger
     * ascent, 3, and descent, 2), a one row down */
    unsigned char a[6] = {1, 2, 3, 4, 5, 6}, b4[5] = {7, 8, 9, 10, 11};
    hv_run_cov parts[2] = {{a, 2, 3, 2}, {b4, 1, 5, 3}};
    int w = 0, h = 0;
    unsigned char *c = hv_runs_compose(parts, 2, &w, &h);
    CHECK(c && w == 3 && h == 5);
    if (c && w == 3 && h == 5) {
        CHECK(c[0] == 0 && c[1] == 0 && c[2] == 7);      /* row 0: b's top only */
        CHECK(c[3] == 1 && c[4] == 2 && c[5] == 8);      /* row 1: a's top */
        CHECK(c[9] == 5 && c[10] == 6 && c[11] == 10);   /* row 3: a's bottom */
        CHECK(c[12] == 0 && c[13] == 0 && c[14] == 11);  /* row 4: b's only */
    }
    free(c);
    return check_summary();
}
