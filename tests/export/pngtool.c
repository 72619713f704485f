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
 *   pngtool rgb FILE            writes the pixels as raw RGB (rgb24) to stdout
 *   pngtool bands REF DEC       finds REF's bands of one saturated colour (each
 *                               pixel with a 13x13 neighbourhood of its exact
 *                               colour; greys, white and black left out) and
 *                               compares DEC (a decoded video frame of the same
 *                               size) at each band's centre: one line per band
 *                               "x y R,G,B R,G,B err", then "bands N max_err E"
 *   pngtool diffat A B X Y T    as diff, with B (smaller) compared to A's
 *                               region at (X, Y)
 *   pngtool xwd IN.xwd OUT.png  converts a TrueColor X window dump (xwd -root)
 *                               to PNG (the window tests' screenshots) */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STBI_ONLY_PNG
#include <stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static int mask_shift(unsigned long m)
{
    int s = 0;
    while (m && !(m & 1)) {
        m >>= 1;
        s++;
    }
    return s;
}

/* A ZPixmap dump of 24 or 32 bits per pixel, TrueColor (what xwd writes of
 * Xvfb's screen), as an RGB PNG. */
static int xwd_to_png(const char *in, const char *out)
{
    FILE *f = fopen(in, "rb");
    if (!f) {
        perror(in);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = len > 100 ? malloc((size_t)len) : NULL;
    if (!b || fread(b, 1, (size_t)len, f) != (size_t)len) {
        fprintf(stderr, "pngtool: %s: cannot read\n", in);
        fclose(f);
        free(b);
        return 1;
    }
    fclose(f);
    unsigned long hsize = be32(b), fmt = be32(b + 8), w = be32(b + 16), h = be32(b + 20), order = be32(b + 28);
    unsigned long bpp = be32(b + 44), bpl = be32(b + 48), rm = be32(b + 56), gm = be32(b + 60), bm = be32(b + 64);
    unsigned long ncolors = be32(b + 76);
    unsigned long off = hsize + ncolors * 12;
    if (fmt != 2 || (bpp != 32 && bpp != 24) || w == 0 || h == 0 || off + bpl * h > (unsigned long)len) {
        fprintf(stderr, "pngtool: %s: not a 24/32-bit ZPixmap dump\n", in);
        free(b);
        return 1;
    }
    unsigned char *rgb = malloc(w * h * 3);
    int rs = mask_shift(rm), gs = mask_shift(gm), bs = mask_shift(bm);
    for (unsigned long y = 0; y < h; y++)
        for (unsigned long x = 0; x < w; x++) {
            const unsigned char *p = b + off + y * bpl + x * (bpp / 8);
            unsigned long v = 0;
            for (unsigned long k = 0; k < bpp / 8; k++)
                v |= (unsigned long)p[order == 0 ? k : bpp / 8 - 1 - k] << (8 * k);
            unsigned char *q = rgb + (y * w + x) * 3;
            q[0] = (unsigned char)((v & rm) >> rs);
            q[1] = (unsigned char)((v & gm) >> gs);
            q[2] = (unsigned char)((v & bm) >> bs);
        }
    int ok = stbi_write_png(out, (int)w, (int)h, 3, rgb, (int)w * 3);
    free(rgb);
    free(b);
    return ok ? 0 : 1;
}

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

#define MAX_BANDS 256
#define BAND_R 6

/* pngtool bands: see the top. 0, or 1 when REF has no band. */
static int bands(const unsigned char *ref, const unsigned char *dec, int w, int h)
{
    static struct {
        unsigned rgb;
        double sx, sy;
        long n;
    } band[MAX_BANDS];
    int nb = 0;
    for (int y = BAND_R; y < h - BAND_R; y++)
        for (int x = BAND_R; x < w - BAND_R; x++) {
            const unsigned char *p = ref + ((long)y * w + x) * 4;
            int lo = p[0], hi = p[0];
            for (int k = 1; k < 3; k++) {
                lo = p[k] < lo ? p[k] : lo;
                hi = p[k] > hi ? p[k] : hi;
            }
            if (hi - lo < 24 || p[3] != 255)
                continue;
            bool same = true;
            for (int dy = -BAND_R; dy <= BAND_R && same; dy++)
                for (int dx = -BAND_R; dx <= BAND_R && same; dx++)
                    same = memcmp(p, ref + ((long)(y + dy) * w + x + dx) * 4, 4) == 0;
            if (!same)
                continue;
            unsigned rgb = (unsigned)p[0] << 16 | (unsigned)p[1] << 8 | p[2];
            int i = 0;
            while (i < nb && band[i].rgb != rgb)
                i++;
            if (i == nb) {
                if (nb == MAX_BANDS)
                    continue;
                band[nb].rgb = rgb, band[nb].sx = band[nb].sy = 0, band[nb].n = 0;
                nb++;
            }
            band[i].sx += x, band[i].sy += y, band[i].n++;
        }
    int found = 0, max_err = 0;
    for (int i = 0; i < nb; i++) {
        int cx = (int)lround(band[i].sx / (double)band[i].n), cy = (int)lround(band[i].sy / (double)band[i].n);
        const unsigned char *c = ref + ((long)cy * w + cx) * 4;
        if (band[i].n < 16 || ((unsigned)c[0] << 16 | (unsigned)c[1] << 8 | c[2]) != band[i].rgb)
            continue; /* a speck, or a colour in pieces whose centre lies outside it */
        int got[3], err = 0;
        for (int k = 0; k < 3; k++) { /* the mean of the 3x3 pixels at the centre */
            int s = 0;
            for (int dy = -1; dy <= 1; dy++)
                for (int dx = -1; dx <= 1; dx++)
                    s += dec[((long)(cy + dy) * w + cx + dx) * 4 + k];
            got[k] = (s + 4) / 9;
            int e = abs(got[k] - c[k]);
            err = e > err ? e : err;
        }
        printf("%d %d %d,%d,%d %d,%d,%d %d\n", cx, cy, c[0], c[1], c[2], got[0], got[1], got[2], err);
        max_err = err > max_err ? err : max_err;
        found++;
    }
    printf("bands %d max_err %d\n", found, max_err);
    return found ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    if (strcmp(argv[1], "xwd") == 0)
        return argc > 3 ? xwd_to_png(argv[2], argv[3]) : 2;
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
    } else if (strcmp(argv[1], "diffat") == 0 && argc > 6) {
        int x0 = atoi(argv[4]), y0 = atoi(argv[5]), t = atoi(argv[6]), w2, h2, n2;
        unsigned char *b = stbi_load(argv[3], &w2, &h2, &n2, 4);
        if (!b || x0 < 0 || y0 < 0 || x0 + w2 > w || y0 + h2 > h) {
            fprintf(stderr, "pngtool: %s does not fit in %s at %d,%d\n", argv[3], argv[2], x0, y0);
            rc = 1;
        } else {
            long diff = 0;
            for (int y = 0; y < h2; y++)
                for (int x = 0; x < w2; x++) {
                    const unsigned char *pa = a + ((long)(y + y0) * w + x + x0) * 4, *pb = b + ((long)y * w2 + x) * 4;
                    int d = 0;
                    for (int k = 0; k < 3; k++) {
                        int e = abs(pa[k] - pb[k]);
                        d = e > d ? e : d;
                    }
                    diff += d > t;
                }
            printf("%ld %ld\n", diff, (long)w2 * h2);
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
    } else if (strcmp(argv[1], "bands") == 0 && argc > 3) {
        unsigned char *b = load_like(argv[3], argv[2], w, h);
        rc = b ? bands(a, b, w, h) : 1;
        stbi_image_free(b);
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
