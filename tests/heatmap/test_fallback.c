/* Font fallback in the SDL2_ttf text (the PNG's, the window's, the CPU
 * raster's): a CJK string drawn with the default font is, pixel for pixel,
 * the same string drawn by the fallback font itself (no replacement boxes),
 * and differs from the main font's own drawing of it (its boxes); a Latin +
 * CJK string is as wide as its two runs.
 * usage: test_fallback FALLBACK_FONT_FILE */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fallback.h"
#include "text.h"

static int failed;
#define CHECK(c) ((c) ? 1 : (fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #c), failed++, 0))

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    hv_error err;
    hv_text *def = hv_text_create(NULL, &err), *cjk = hv_text_create(argv[1], &err);
    if (!CHECK(def && cjk))
        return 1;
    const char *s = "\xe9\x80\x9a\xe4\xb9\x89\xe5\x8d\x83\xe9\x97\xae"; /* 通义千问 */
    int w1, h1, w2, h2;
    unsigned char *a = hv_text_coverage(def, s, 24, &w1, &h1), *b = hv_text_coverage(cjk, s, 24, &w2, &h2);
    CHECK(a && b && w1 == w2 && h1 == h2 && memcmp(a, b, (size_t)w1 * (size_t)h1) == 0);
    long ink = 0;
    for (long i = 0; a && i < (long)w1 * h1; i++)
        ink += a[i] > 128;
    printf("通义千问 at 24 px: %dx%d, %ld inked pixels, %s the fallback font's own\n", w1, h1, ink,
           a && b && w1 == w2 && h1 == h2 && memcmp(a, b, (size_t)w1 * (size_t)h1) == 0 ? "identical to" : "NOT");
    /* the fallback file is the one fontconfig gives for 通 */
    char path[1024];
    CHECK(hv_font_fallback_file(0x901A, path, sizeof path) && strcmp(path, argv[1]) == 0);
    /* mixed: the width of both runs */
    hv_text_metrics m, ml, mc;
    hv_text_measure(def, "Qwen \xe9\x80\x9a\xe4\xb9\x89", 24, &m);
    hv_text_measure(def, "Qwen ", 24, &ml);
    hv_text_measure(cjk, "\xe9\x80\x9a\xe4\xb9\x89", 24, &mc);
    CHECK(m.width == ml.width + mc.width);
    printf("\"Qwen 通义\": %.0f px = %.0f + %.0f\n", m.width, ml.width, mc.width);
    free(a);
    free(b);
    hv_text_destroy(def);
    hv_text_destroy(cjk);
    printf("%s\n", failed ? "FAILED" : "ok");
    return failed ? 1 : 0;
}
