/* The one translation unit that compiles stb_image_write (from Debian's
 * libstb-dev) with our compressor: zlib deflates the filtered rows in bands,
 * libdeflate computes their Adler-32, zlib the CRC.
 *
 * Bands: the filtered rows are cut into bands of whole rows (about 48 kB
 * each), deflated one by one from a fresh state into raw deflate pieces that
 * end on a byte boundary (Z_SYNC_FLUSH), and joined into one zlib stream
 * behind a 2-byte header, with an empty final block and the Adler-32 of all
 * rows (combined from the bands') after them, as pigz does. A band is a
 * function of its own filtered rows alone, so
 *   - the bytes of an image never depend on how many threads deflate it;
 *   - a thread that keeps the last image it encoded (hv_png_cache) reuses
 *     the bytes and Adler-32 of every band whose filtered rows are the same
 *     as that image's (memcmp with a kept copy: exact), and its output is
 *     byte-identical to an encode from scratch. With the Up filter a band's
 *     filtered rows are equal exactly when its pixel rows and the row above
 *     it are.
 * Why bands are fast, too: in a perf profile of the 3840x2160 export, zlib
 * over a whole image spent 55% of its time sliding its 64 kB window
 * (slide_hash, once per 32 kB of input) and 24% in its scalar Adler-32. A
 * band under 64 kB never slides, and libdeflate's Adler-32 (SIMD) is ~6x
 * zlib's. bench/bench_png.c, CPU ms per frame of deflate on the morph
 * frames, one thread: 1920x1080 7.0 (whole image, zlib's Adler-32) -> 3.0
 * (bands) -> 2.0 (bands through the cache of each of 2 workers: ~47% of
 * bands reused); 3840x2160 26.7 -> 10.1 -> 6.4; PNG sizes within 1%. */
#include <libdeflate.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../core/stages.h"
#include "encoder.h"
#include "png.h"

/* when stb started filtering this thread's image (hv_png_encode) */
_Thread_local uint64_t hv_png_filter_start;

/* Filter 2 (Up) with zlib's run-length strategy: ~67 kB for a 1920x1080
 * frame of this figure, against ~130 ms for stb's defaults (five filters
 * tried per row, its own deflate). Raw deflate (no zlib wrapper: we write
 * the header and Adler-32), a 32 kB window, memLevel 6 (a 16 kB hash table
 * that RLE never reads but every reset clears). */
enum { HV_PNG_ZLEVEL = 1, HV_PNG_ZSTRATEGY = Z_RLE, HV_PNG_ZMEMLEVEL = 6, HV_PNG_FILTER = 2 };
/* Bytes of filtered rows per band: under zlib's 64 kB window (see above),
 * small enough that most unchanged regions make whole bands. */
#define HV_PNG_BAND_BYTES (48 * 1024)

/* Threads that deflate one image (1 = this thread alone). Per thread: the
 * export's workers already run in parallel, a single still can split. */
static _Thread_local int tls_deflate_threads = 1;

void hv_png_set_threads(int n) { tls_deflate_threads = n < 1 ? 1 : n > 8 ? 8 : n; }

static int g_band_rows; /* 0: by HV_PNG_BAND_BYTES */

void hv_png_set_band_rows(int rows) { g_band_rows = rows > 0 ? rows : 0; }

/* The image stb is filtering on this thread: its rows (filter byte
 * included) and the cache to use. */
static _Thread_local size_t tls_row_len;
static _Thread_local int tls_rows;
static _Thread_local hv_png_cache *tls_cache;

typedef struct geom {
    size_t row_len; /* filtered row: filter byte + pixels */
    int rows, band_rows, n_bands;
} geom;

static geom geom_of(size_t row_len, int rows)
{
    geom g = {row_len, rows, g_band_rows, 0};
    if (g.band_rows == 0)
        g.band_rows = row_len >= HV_PNG_BAND_BYTES ? 1 : (int)(HV_PNG_BAND_BYTES / row_len);
    if (g.band_rows > rows)
        g.band_rows = rows;
    g.n_bands = (rows + g.band_rows - 1) / g.band_rows;
    return g;
}

static size_t band_off(const geom *g, int b) { return (size_t)b * (size_t)g->band_rows * g->row_len; }

static size_t band_len(const geom *g, int b)
{
    int r = g->rows - b * g->band_rows;
    return (size_t)(r < g->band_rows ? r : g->band_rows) * g->row_len;
}

/* Deflated bands back to back: band k's bytes end at z + end[k] (and start
 * where band k-1's end); adler[k] is the Adler-32 of its filtered rows. */
typedef struct pieces {
    unsigned char *z;
    size_t len, cap;
    size_t *end;
    uint32_t *adler;
    int n, n_cap;
} pieces;

static void pieces_free(pieces *p)
{
    free(p->z);
    free(p->end);
    free(p->adler);
    memset(p, 0, sizeof *p);
}

/* Room for n bands' entries. */
static bool pieces_reserve(pieces *p, int n)
{
    if (n <= p->n_cap)
        return true;
    size_t *end = realloc(p->end, (size_t)n * sizeof *end);
    if (end)
        p->end = end;
    uint32_t *adler = realloc(p->adler, (size_t)n * sizeof *adler);
    if (adler)
        p->adler = adler;
    if (!end || !adler)
        return false;
    p->n_cap = n;
    return true;
}

/* Room for at least `more` further bytes (the buffer at least doubles). */
static bool pieces_grow(pieces *p, size_t more)
{
    if (p->cap - p->len >= more)
        return true;
    size_t cap = p->cap * 2 > p->len + more ? p->cap * 2 : p->len + more;
    unsigned char *z = realloc(p->z, cap);
    if (!z)
        return false;
    p->z = z;
    p->cap = cap;
    return true;
}

static size_t piece_start(const pieces *p, int k) { return k > 0 ? p->end[k - 1] : 0; }

static bool zstream_init(z_stream *zs)
{
    memset(zs, 0, sizeof *zs);
    return deflateInit2(zs, HV_PNG_ZLEVEL, Z_DEFLATED, -15, HV_PNG_ZMEMLEVEL, HV_PNG_ZSTRATEGY) == Z_OK;
}

/* Appends n bytes of rows to p as a raw deflate piece that ends on a byte
 * boundary, from a fresh state (the bytes depend on `in` alone). */
static bool deflate_piece(z_stream *zs, const unsigned char *in, size_t n, pieces *p)
{
    if (deflateReset(zs) != Z_OK)
        return false;
    zs->next_in = (unsigned char *)in;
    zs->avail_in = (uInt)n;
    /* the figures compress 20:1 or better: start small, grow when full */
    if (!pieces_grow(p, n / 16 + 256))
        return false;
    for (;;) {
        zs->next_out = p->z + p->len;
        zs->avail_out = (uInt)(p->cap - p->len);
        int rc = deflate(zs, Z_SYNC_FLUSH);
        p->len = (size_t)(zs->next_out - p->z);
        if (rc == Z_STREAM_ERROR)
            return false;
        /* the flush is complete when it left room in the buffer */
        if (zs->avail_in == 0 && zs->avail_out > 0)
            return true;
        if (!pieces_grow(p, p->cap))
            return false;
    }
}

/* Deflates bands b0..b1-1 of the filtered rows `data` into p (band b0 as
 * p's piece 0). With `old` (the pieces of the last image of the same
 * geometry) and `copy` (its filtered rows), a band whose rows are the same
 * as the copy's takes its old bytes, and the copy gets each other band's
 * rows. */
static bool deflate_bands(z_stream *zs, const unsigned char *data, const geom *g, int b0, int b1, pieces *p,
                          const pieces *old, unsigned char *copy, long *reused)
{
    p->len = 0;
    p->n = 0;
    if (!pieces_reserve(p, b1 - b0))
        return false;
    for (int b = b0; b < b1; b++) {
        int k = b - b0;
        size_t off = band_off(g, b), n = band_len(g, b);
        const unsigned char *in = data + off;
        if (old && memcmp(in, copy + off, n) == 0) {
            size_t s = piece_start(old, k), len = old->end[k] - s;
            if (!pieces_grow(p, len))
                return false;
            memcpy(p->z + p->len, old->z + s, len);
            p->len += len;
            p->adler[k] = old->adler[k];
            ++*reused;
        } else {
            if (!deflate_piece(zs, in, n, p))
                return false;
            p->adler[k] = libdeflate_adler32(1, in, n);
            if (copy)
                memcpy(copy + off, in, n);
        }
        p->end[k] = p->len;
        p->n = k + 1;
    }
    return true;
}

struct hv_png_cache {
    geom g;         /* of the last image, whose bands are in *last */
    bool valid;     /* copy and *last describe that image */
    unsigned char *copy; /* its filtered rows */
    size_t copy_cap;
    pieces p[2];
    int last; /* p[last]: the last image's bands; the other is scratch */
    z_stream zs;
    bool zs_ok;
    long bands, reused; /* hv_png_cache_stats */
};

hv_png_cache *hv_png_cache_create(void) { return calloc(1, sizeof(hv_png_cache)); }

void hv_png_cache_destroy(hv_png_cache *c)
{
    if (!c)
        return;
    if (c->zs_ok)
        deflateEnd(&c->zs);
    pieces_free(&c->p[0]);
    pieces_free(&c->p[1]);
    free(c->copy);
    free(c);
}

void hv_png_cache_stats(const hv_png_cache *c, long *bands, long *reused)
{
    *bands = c ? c->bands : 0;
    *reused = c ? c->reused : 0;
}

/* The bands of `data` through the cache: the pieces, kept in the cache. */
static const pieces *cached_bands(hv_png_cache *c, const unsigned char *data, const geom *g)
{
    if (!c->zs_ok && !(c->zs_ok = zstream_init(&c->zs)))
        return NULL;
    size_t total = g->row_len * (size_t)g->rows;
    bool same_geom = c->g.row_len == g->row_len && c->g.rows == g->rows && c->g.band_rows == g->band_rows;
    if (!same_geom)
        c->valid = false;
    if (c->copy_cap < total) {
        free(c->copy);
        c->copy = malloc(total);
        c->copy_cap = c->copy ? total : 0;
        c->valid = false;
        if (!c->copy)
            return NULL;
    }
    c->g = *g;
    pieces *out = &c->p[!c->last];
    bool ok = deflate_bands(&c->zs, data, g, 0, g->n_bands, out, c->valid ? &c->p[c->last] : NULL, c->copy,
                            &c->reused);
    c->bands += g->n_bands;
    /* on failure the copy may hold a mix of two images: start afresh */
    c->valid = ok;
    if (!ok)
        return NULL;
    c->last = !c->last;
    return out;
}

typedef struct job {
    const unsigned char *data;
    const geom *g;
    int b0, b1;
    pieces p;
    bool ok;
} job;

/* One thread's share of a still, with its own deflate state. */
static void run_job(job *j)
{
    z_stream zs;
    j->ok = zstream_init(&zs);
    if (j->ok) {
        long reused = 0;
        j->ok = deflate_bands(&zs, j->data, j->g, j->b0, j->b1, &j->p, NULL, NULL, &reused);
        deflateEnd(&zs);
    }
}

/* A helper thread's job: its CPU time counts as deflate too. */
static void *job_thread(void *arg)
{
    uint64_t t0 = hv_stage_begin(HV_STAGE_DEFLATE);
    run_job(arg);
    hv_stage_end(HV_STAGE_DEFLATE, t0);
    return NULL;
}

/* The zlib stream of the pieces: header, the bands, an empty final block,
 * the Adler-32 of all rows. */
static unsigned char *assemble(const pieces *const *ps, int n, const geom *g, int *out_len)
{
    size_t total = 2 + 2 + 4;
    for (int i = 0; i < n; i++)
        total += ps[i]->len;
    if (total > INT32_MAX)
        return NULL;
    unsigned char *out = malloc(total);
    if (!out)
        return NULL;
    size_t o = 0;
    out[o++] = 0x78; /* deflate, 32K window */
    out[o++] = 0x01; /* fastest; (0x78 << 8 | 0x01) % 31 == 0 */
    uLong adler = 1;
    int b = 0;
    for (int i = 0; i < n; i++) {
        memcpy(out + o, ps[i]->z, ps[i]->len);
        o += ps[i]->len;
        for (int k = 0; k < ps[i]->n; k++, b++)
            adler = adler32_combine(adler, ps[i]->adler[k], (z_off_t)band_len(g, b));
    }
    out[o++] = 0x03; /* final block, fixed codes, end of block */
    out[o++] = 0x00;
    out[o++] = (unsigned char)(adler >> 24);
    out[o++] = (unsigned char)(adler >> 16);
    out[o++] = (unsigned char)(adler >> 8);
    out[o++] = (unsigned char)adler;
    *out_len = (int)o;
    return out;
}

/* The compressor stb_image_write calls with the filtered rows: through this
 * thread's cache when it has one, else split among the threads it allows
 * (large images only), else on this thread. */
static unsigned char *compress_rows(unsigned char *data, int data_len, int *out_len)
{
    /* stb has filtered every row into `data`: the source pixels are free */
    hv_encoder_source_done();
    geom g = geom_of(tls_row_len, tls_rows);
    if (tls_row_len == 0 || g.row_len * (size_t)g.rows != (size_t)data_len)
        g = geom_of((size_t)data_len, 1); /* not an image of ours: one band */
    if (tls_cache) {
        const pieces *p = cached_bands(tls_cache, data, &g);
        return p ? assemble(&p, 1, &g, out_len) : NULL;
    }
    int n = tls_deflate_threads;
    if (data_len < (1 << 20) || n > g.n_bands)
        n = 1;
    job js[8];
    pthread_t th[8];
    bool started[8] = {false};
    for (int i = 0; i < n; i++) {
        js[i] = (job){data, &g, g.n_bands * i / n, g.n_bands * (i + 1) / n, {0}, false};
        if (i > 0)
            started[i] = pthread_create(&th[i], NULL, job_thread, &js[i]) == 0;
    }
    run_job(&js[0]);
    bool ok = true;
    const pieces *ps[8] = {NULL};
    for (int i = 0; i < n; i++) {
        if (started[i])
            pthread_join(th[i], NULL);
        else if (i > 0)
            run_job(&js[i]);
        ok = ok && js[i].ok;
        ps[i] = &js[i].p;
    }
    unsigned char *out = ok ? assemble(ps, n, &g, out_len) : NULL;
    for (int i = 0; i < n; i++)
        pieces_free(&js[i].p);
    return out;
}

static unsigned char *hv_zlib_compress(unsigned char *data, int data_len, int *out_len, int quality)
{
    (void)quality;
    hv_stage_end(HV_STAGE_FILTER, hv_png_filter_start);
    hv_png_filter_start = 0;
    uint64_t t0 = hv_stage_begin(HV_STAGE_DEFLATE);
    unsigned char *out = compress_rows(data, data_len, out_len);
    hv_stage_end(HV_STAGE_DEFLATE, t0);
    return out;
}

static unsigned int hv_crc32(unsigned char *buffer, int len)
{
    return (unsigned int)crc32(0L, buffer, (uInt)len);
}

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO
#define STBIW_ZLIB_COMPRESS hv_zlib_compress
#define STBIW_CRC32 hv_crc32
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wstrict-prototypes"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#endif
#include <stb_image_write.h>
/* (diagnostics stay relaxed to the end of this file: GCC reports the unused
 * static declarations of the header at the end of the translation unit) */

unsigned char *hv_stb_png_to_mem(hv_png_cache *c, const unsigned char *px, int stride, int w, int h, int n, int *len);
static pthread_once_t filter_once = PTHREAD_ONCE_INIT;

static void set_filter(void)
{
    /* one filter for every row instead of trying all five (a global of
     * stb's: set once, before any thread encodes) */
    stbi_write_force_png_filter = HV_PNG_FILTER;
}

unsigned char *hv_stb_png_to_mem(hv_png_cache *c, const unsigned char *px, int stride, int w, int h, int n, int *len)
{
    pthread_once(&filter_once, set_filter);
    tls_row_len = (size_t)w * (size_t)n + 1;
    tls_rows = h;
    tls_cache = c;
    unsigned char *png = stbi_write_png_to_mem(px, stride, w, h, n, len);
    tls_row_len = 0;
    tls_rows = 0;
    tls_cache = NULL;
    return png;
}
