/* test_png: the PNG encoder (src/export/png.c, stb_write_impl.c) and the
 * encoder threads. Every PNG is decoded twice, by the small decoder below
 * (chunk CRCs, zlib's inflate with its Adler-32 check, all five row filters)
 * and by stb_image, and must give back exactly the pixels encoded: random,
 * flat and figure-like images, 1x1, odd widths, rows longer than a band,
 * RGB and RGBA. Frames encoded through a band cache (hv_png_cache, as the
 * export's workers do) must be byte-identical to the same frames encoded
 * from scratch, over sequences where bands change, stay, and the size or
 * channels change; so must stills deflated by several threads, and frames
 * written by the encoder threads. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "../unit/check.h"
#include "encoder.h"
#include "png.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#include <stb_image.h>

/* ---- an independent decoder ---------------------------------------------- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int paeth(int a, int b, int c)
{
    int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* The pixels of an 8-bit RGB or RGBA PNG (malloc'd), or NULL with why. */
static unsigned char *decode(const unsigned char *png, size_t len, int *w, int *h, int *ch, const char **why)
{
    static const unsigned char sig[8] = {137, 80, 78, 71, 13, 10, 26, 10};
    *why = "bad signature";
    if (len < 8 || memcmp(png, sig, 8) != 0)
        return NULL;
    unsigned char *idat = NULL, *raw = NULL, *px = NULL;
    size_t idat_len = 0, pos = 8;
    bool ihdr = false, iend = false;
    *w = *h = *ch = 0;
    while (!iend && pos + 12 <= len) {
        size_t n = be32(png + pos);
        const unsigned char *type = png + pos + 4, *data = png + pos + 8;
        *why = "chunk runs past the end";
        if (n > len - pos - 12)
            goto fail;
        *why = "chunk CRC";
        if ((uint32_t)crc32(crc32(0L, type, 4), data, (uInt)n) != be32(data + n))
            goto fail;
        if (memcmp(type, "IHDR", 4) == 0 && n == 13) {
            *w = (int)be32(data);
            *h = (int)be32(data + 4);
            *ch = data[9] == 2 ? 3 : data[9] == 6 ? 4 : 0;
            *why = "IHDR";
            if (data[8] != 8 || !*ch || data[10] || data[11] || data[12] || *w < 1 || *h < 1)
                goto fail;
            ihdr = true;
        } else if (memcmp(type, "IDAT", 4) == 0) {
            unsigned char *b = realloc(idat, idat_len + n + 1);
            if (!b)
                goto fail;
            idat = b;
            memcpy(idat + idat_len, data, n);
            idat_len += n;
        } else if (memcmp(type, "IEND", 4) == 0) {
            iend = true;
        }
        pos += n + 12;
    }
    *why = "no IHDR, IDAT or IEND, or bytes after IEND";
    if (!ihdr || !idat || !iend || pos != len)
        goto fail;
    size_t stride = (size_t)*w * (size_t)*ch, raw_len = (stride + 1) * (size_t)*h;
    raw = malloc(raw_len + 1);
    px = malloc(stride * (size_t)*h);
    uLongf got = (uLongf)raw_len + 1;
    uLong used = (uLong)idat_len;
    *why = "zlib stream (inflate, Adler-32) or its length";
    /* uncompress2 checks the header and the Adler-32 of all the data */
    if (!raw || !px || uncompress2(raw, &got, idat, &used) != Z_OK || got != raw_len || used != idat_len)
        goto fail;
    for (int y = 0; y < *h; y++) {
        const unsigned char *f = raw + (size_t)y * (stride + 1) + 1;
        unsigned char *o = px + (size_t)y * stride, *up = y ? o - stride : NULL;
        int type = f[-1];
        *why = "row filter type";
        if (type > 4)
            goto fail;
        for (size_t i = 0; i < stride; i++) {
            int a = i >= (size_t)*ch ? o[i - (size_t)*ch] : 0, b = up ? up[i] : 0;
            int c = up && i >= (size_t)*ch ? up[i - (size_t)*ch] : 0;
            int pred = type == 0 ? 0 : type == 1 ? a : type == 2 ? b : type == 3 ? (a + b) / 2 : paeth(a, b, c);
            o[i] = (unsigned char)(f[i] + pred);
        }
    }
    free(idat);
    free(raw);
    return px;
fail:
    free(idat);
    free(raw);
    free(px);
    return NULL;
}

/* ---- images ------------------------------------------------------------- */

static uint32_t rng = 12345;
static unsigned rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static unsigned char *image(int w, int h, int ch)
{
    return malloc((size_t)w * (size_t)h * (size_t)ch);
}

static void fill_random(unsigned char *px, int w, int h, int ch)
{
    for (size_t i = 0; i < (size_t)w * (size_t)h * (size_t)ch; i++)
        px[i] = (unsigned char)rnd();
}

static void fill_flat(unsigned char *px, int w, int h, int ch, unsigned char v)
{
    memset(px, v, (size_t)w * (size_t)h * (size_t)ch);
}

static void put(unsigned char *px, int w, int h, int ch, int x, int y, const unsigned char *c)
{
    if (x >= 0 && y >= 0 && x < w && y < h)
        memcpy(px + ((size_t)y * (size_t)w + (size_t)x) * (size_t)ch, c, (size_t)ch);
}

/* Like a frame of the figure: white, grey grid lines, a colorbar, fixed
 * "text" (noise in small boxes, as antialiased glyphs are), and a marker
 * whose place depends on t. */
static void fill_figure(unsigned char *px, int w, int h, int ch, int t)
{
    const unsigned char grey[4] = {200, 200, 200, 255}, dark[4] = {30, 30, 60, 255};
    fill_flat(px, w, h, ch, 255);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (x % 37 == 5 || y % 29 == 7)
                put(px, w, h, ch, x, y, grey);
            if (x >= w - 12 && x < w - 4) {
                unsigned char c[4] = {(unsigned char)(y * 255 / h), 80, (unsigned char)(255 - y * 255 / h), 255};
                put(px, w, h, ch, x, y, c);
            }
        }
    uint32_t keep = rng;
    rng = 777; /* the same "text" in every frame */
    for (int b = 0; b < 6; b++) {
        int bx = (int)(rnd() % (unsigned)w), by = (int)(rnd() % (unsigned)h);
        for (int y = by; y < by + 7; y++)
            for (int x = bx; x < bx + 20; x++) {
                unsigned char c[4] = {(unsigned char)rnd(), (unsigned char)rnd(), (unsigned char)rnd(), 255};
                put(px, w, h, ch, x, y, c);
            }
    }
    rng = keep;
    int cx = (t * 13) % w, cy = (t * 7) % h;
    for (int y = cy - 6; y <= cy + 6; y++)
        for (int x = cx - 6; x <= cx + 6; x++)
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 36) {
                unsigned char c[4] = {dark[0], (unsigned char)(t * 9), dark[2], (unsigned char)(128 + t)};
                put(px, w, h, ch, x, y, c);
            }
}

/* ---- checks ------------------------------------------------------------- */

/* png decodes, by both decoders, to exactly px. */
static void check_decodes(const unsigned char *png, size_t len, const unsigned char *px, int w, int h, int ch)
{
    int dw, dh, dch;
    const char *why = "";
    unsigned char *got = decode(png, len, &dw, &dh, &dch, &why);
    if (!CHECK(got != NULL))
        printf("    decoder: %s\n", why);
    size_t n = (size_t)w * (size_t)h * (size_t)ch;
    if (got && CHECK(dw == w && dh == h && dch == ch))
        CHECK(memcmp(got, px, n) == 0);
    free(got);
    int sw, sh, sch;
    unsigned char *st = stbi_load_from_memory(png, (int)len, &sw, &sh, &sch, ch);
    if (CHECK(st != NULL) && CHECK(sw == w && sh == h && sch == ch))
        CHECK(memcmp(st, px, n) == 0);
    stbi_image_free(st);
}

/* Encodes px from scratch; checks it decodes; returns the bytes. */
static unsigned char *encode_checked(const unsigned char *px, int w, int h, int ch, size_t *len)
{
    unsigned char *png = NULL;
    hv_error err = {""};
    *len = 0;
    if (!CHECK(hv_png_encode(px, w, h, ch, &png, len, &err)))
        printf("    %s\n", err.msg);
    else
        check_decodes(png, *len, px, w, h, ch);
    return png;
}

static bool same_bytes(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
    return a && b && alen == blen && memcmp(a, b, alen) == 0;
}

static void test_images(void)
{
    static const struct {
        int w, h;
    } sizes[] = {{1, 1}, {1, 9}, {9, 1}, {2, 2}, {3, 5}, {7, 13}, {31, 17}, {333, 61}, {640, 360}, {17000, 3}};
    for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int ch = 3; ch <= 4; ch++)
            for (int kind = 0; kind < 3; kind++) {
                int w = sizes[s].w, h = sizes[s].h;
                check_context("%s %dx%d, %d channels", kind == 0 ? "random" : kind == 1 ? "flat" : "figure", w,
                              h, ch);
                unsigned char *px = image(w, h, ch);
                if (kind == 0)
                    fill_random(px, w, h, ch);
                else if (kind == 1)
                    fill_flat(px, w, h, ch, (unsigned char)(s * 40));
                else
                    fill_figure(px, w, h, ch, (int)s);
                size_t len;
                free(encode_checked(px, w, h, ch, &len));
                free(px);
            }
    check_context("%s", "");
    hv_error err = {""};
    unsigned char *png = NULL;
    size_t len = 0;
    unsigned char px[12] = {0};
    CHECK(!hv_png_encode(px, 0, 1, 3, &png, &len, &err));
    CHECK(!hv_png_encode(px, 1, 1, 2, &png, &len, &err));
}

/* Frame i of a sequence whose bands change, stay, and whose size changes. */
static void sequence_frame(int i, unsigned char **px, int *w, int *h, int *ch)
{
    *w = 301;
    *h = 203;
    *ch = 3;
    if (i == 18) /* another height, then back */
        *h = 150;
    if (i == 20 || i == 21) /* RGBA */
        *ch = 4;
    if (i == 23) /* another width */
        *w = 300;
    *px = image(*w, *h, *ch);
    /* A B A patterns: frame 2 is frame 0 after a frame unlike it, 8 is 6
     * after 6 with a byte of every band changed; 5 repeats 4; 15-17 are 14 with other
     * single bytes changed */
    int t = i == 2 ? 0 : i == 5 ? 4 : i == 7 || i == 8 ? 6 : i >= 14 && i <= 17 ? 14 : i;
    if (i == 10) {
        rng = 99; /* the same noise each time the frame is made */
        fill_random(*px, *w, *h, *ch);
    } else if (i == 1 || i == 12) {
        fill_flat(*px, *w, *h, *ch, i == 1 ? 128 : 255);
    } else {
        fill_figure(*px, *w, *h, *ch, t);
    }
    size_t row = (size_t)*w * (size_t)*ch;
    for (int y = 0; i == 7 && y < *h; y += 5) /* a byte in every band */
        (*px)[row * (size_t)y + (size_t)y % row] ^= 0x80;
    if (i == 14) /* one pixel of the last row */
        (*px)[row * (size_t)(*h - 1) + 4] ^= 1;
    if (i == 15) /* one byte of the first row */
        (*px)[0] ^= 0x80;
    if (i >= 16 && i <= 17) /* the last row of a band (changes the next band's Up filter) */
        (*px)[row * (size_t)(8 * (i - 15) - 1) + row / 2] ^= 0x55;
}

/* png is byte for byte what hv_png_encode makes of sequence frame i (and
 * that decodes to the frame). */
static void check_as_from_scratch(int i, const unsigned char *png, size_t len)
{
    unsigned char *px;
    int w, h, ch;
    sequence_frame(i, &px, &w, &h, &ch);
    size_t ref_len;
    unsigned char *ref = encode_checked(px, w, h, ch, &ref_len);
    if (!CHECK(same_bytes(png, len, ref, ref_len)))
        printf("    %zu bytes, from scratch %zu\n", len, ref_len);
    free(ref);
    free(px);
}

static void test_cache(int band_rows)
{
    hv_png_set_band_rows(band_rows);
    hv_png_cache *c = hv_png_cache_create();
    CHECK(c != NULL);
    const int frames = 26;
    for (int i = 0; i < frames; i++) {
        check_context("band rows %d, frame %d", band_rows, i);
        unsigned char *px, *png = NULL;
        int w, h, ch;
        sequence_frame(i % 24, &px, &w, &h, &ch);
        size_t len = 0;
        hv_error err = {""};
        CHECK(hv_png_encode_cached(c, px, w, h, ch, &png, &len, &err));
        check_as_from_scratch(i % 24, png, len);
        free(png);
        free(px);
    }
    check_context("band rows %d", band_rows);
    long bands, reused;
    hv_png_cache_stats(c, &bands, &reused);
    CHECK(reused > 0 && reused < bands); /* the sequence did reuse bands */
    hv_png_cache_destroy(c);
    hv_png_set_band_rows(0);
    check_context("%s", "");
}

/* A still deflated by several threads: the same bytes as by one. */
static void test_threads(void)
{
    int w = 1000, h = 700, ch = 3;
    unsigned char *px = image(w, h, ch);
    fill_figure(px, w, h, ch, 3);
    size_t one_len, len;
    unsigned char *one = encode_checked(px, w, h, ch, &one_len);
    for (int n = 2; n <= 5; n++) {
        check_context("%d threads", n);
        hv_png_set_threads(n);
        unsigned char *png = encode_checked(px, w, h, ch, &len);
        CHECK(same_bytes(png, len, one, one_len));
        free(png);
    }
    hv_png_set_threads(1);
    check_context("%s", "");
    free(one);
    free(px);
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = n > 0 ? malloc((size_t)n) : NULL;
    *len = b ? fread(b, 1, (size_t)n, f) : 0;
    fclose(f);
    return b;
}

/* Frames through the encoder threads (each with its cache) are the bytes
 * of hv_png_encode. */
static void test_encoder(int threads)
{
    char dir[] = "/tmp/hv_test_png_XXXXXX";
    if (!CHECK(mkdtemp(dir) != NULL))
        return;
    hv_error err = {""};
    hv_encoder_desc d = {threads, 0, false, 0};
    hv_encoder *e = hv_encoder_create(&d, &err);
    if (!CHECK(e != NULL))
        return;
    const int frames = 30;
    char path[256];
    for (int i = 0; i < frames; i++) {
        unsigned char *px;
        int w, h, ch;
        sequence_frame(i % 24, &px, &w, &h, &ch);
        unsigned char *buf = hv_encoder_acquire(e, w, h, ch);
        if (CHECK(buf != NULL)) {
            memcpy(buf, px, (size_t)w * (size_t)h * (size_t)ch);
            snprintf(path, sizeof path, "%s/f%02d.png", dir, i);
            hv_encoder_submit(e, buf, w, h, ch, path);
        }
        free(px);
    }
    CHECK(hv_encoder_finish(e, &err));
    hv_encoder_destroy(e);
    for (int i = 0; i < frames; i++) {
        check_context("%d encoder threads, frame %d", threads, i);
        snprintf(path, sizeof path, "%s/f%02d.png", dir, i);
        size_t len = 0;
        unsigned char *file = read_file(path, &len);
        check_as_from_scratch(i % 24, file, len);
        free(file);
        unlink(path);
    }
    check_context("%s", "");
    CHECK(rmdir(dir) == 0);
}

int main(void)
{
    test_images();
    test_cache(0);
    test_cache(1);
    test_cache(8);
    test_cache(16);
    test_cache(32);
    test_threads();
    test_encoder(1);
    test_encoder(2);
    test_encoder(3);
    return check_summary();
}
