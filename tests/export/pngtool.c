/* pngtool: small PNG checks for the export tests (decodes with stb_image).
 *   pngtool info FILE           prints "W H CHANNELS"
 *   pngtool same A B            exit 0 when the decoded pixels are identical
 *   pngtool px FILE X Y         prints "R G B A" of one pixel
 *   pngtool opaque FILE         prints how many pixels have alpha 255
 *   pngtool diff A B T [OUT]    prints how many pixels differ by more than T
 *                               in some channel, and how many there are;
 *                               with OUT, writes a diff image there (those
 *                               pixels red, the rest A's, faded)
 *   pngtool mad A B             prints the mean absolute difference of the
 *                               R, G and B values (0..255), e.g. "0.412"
 *   pngtool rgb FILE            writes the pixels as raw RGB (rgb24) to stdout */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STBI_ONLY_PNG
#include <stb_image.h>
#include <stb_image_write.h>

/* The second image of a comparison, RGBA; NULL (said why) unless it is w x h
 * like the first. */
static unsigned char *load_like(const char *path, const char *first, int w, int h)
{
    int w2, h2, n2;
    unsigned char *b = stbi_load(path, &w2, &h2, &n2, 4);
    if (b && w2 == w && h2 == h)
        return b;
    fprintf(stderr, "pngtool: %s and %s differ in size\n", first, path);
    stbi_image_free(b);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    int w, h, n;
    unsigned char *a = stbi_load(argv[2], &w, &h, &n, 4);
    if (!a) {
        fprintf(stderr, "pngtool: %s: %s\n", argv[2], stbi_failure_reason());
        return 1;
    }
    int rc = 0;
    if (strcmp(argv[1], "info") == 0) {
        printf("%d %d %d\n", w, h, n);
    } else if (strcmp(argv[1], "same") == 0 && argc > 3) {
        unsigned char *b = load_like(argv[3], argv[2], w, h);
        if (!b) {
            rc = 1;
        } else {
            long diff = 0;
            for (long i = 0; i < (long)w * h * 4; i++)
                diff += a[i] != b[i];
            if (diff) {
                fprintf(stderr, "pngtool: %ld bytes differ\n", diff);
                rc = 1;
            }
        }
        stbi_image_free(b);
    } else if (strcmp(argv[1], "diff") == 0 && argc > 4) {
        int t = atoi(argv[4]);
        unsigned char *b = load_like(argv[3], argv[2], w, h);
        if (!b) {
            rc = 1;
        } else {
            long diff = 0;
            unsigned char *img = argc > 5 ? malloc((size_t)w * (size_t)h * 3) : NULL;
            for (long i = 0; i < (long)w * h; i++) {
                int d = 0;
                for (int k = 0; k < 3; k++) {
                    int e = abs(a[i * 4 + k] - b[i * 4 + k]);
                    d = e > d ? e : d;
                }
                diff += d > t;
                for (int k = 0; img && k < 3; k++)
                    img[i * 3 + k] = d > t ? (unsigned char)(k == 0 ? 255 : 0) : (unsigned char)(192 + a[i * 4 + k] / 4);
            }
            printf("%ld %ld\n", diff, (long)w * h);
            if (img && !stbi_write_png(argv[5], w, h, 3, img, w * 3))
                rc = 1;
            free(img);
        }
        stbi_image_free(b);
    } else if (strcmp(argv[1], "mad") == 0 && argc > 3) {
        unsigned char *b = load_like(argv[3], argv[2], w, h);
        if (!b) {
            rc = 1;
        } else {
            double sum = 0;
            for (long i = 0; i < (long)w * h; i++)
                for (int k = 0; k < 3; k++)
                    sum += abs(a[i * 4 + k] - b[i * 4 + k]);
            printf("%.3f\n", sum / ((double)w * h * 3));
        }
        stbi_image_free(b);
    } else if (strcmp(argv[1], "rgb") == 0) {
        for (long i = 0; i < (long)w * h && rc == 0; i++)
            if (fwrite(a + i * 4, 1, 3, stdout) != 3)
                rc = 1;
    } else if (strcmp(argv[1], "px") == 0 && argc > 4) {
        int x = atoi(argv[3]), y = atoi(argv[4]);
        if (x < 0 || y < 0 || x >= w || y >= h)
            rc = 1;
        else
            printf("%d %d %d %d\n", a[(y * w + x) * 4], a[(y * w + x) * 4 + 1], a[(y * w + x) * 4 + 2],
                   a[(y * w + x) * 4 + 3]);
    } else if (strcmp(argv[1], "opaque") == 0) {
        long k = 0;
        for (long i = 0; i < (long)w * h; i++)
            k += a[i * 4 + 3] == 255;
        printf("%ld\n", k);
    } else {
        rc = 2;
    }
    stbi_image_free(a);
    return rc;
}
