/* The one translation unit that compiles stb_image_write (from Debian's
 * libstb-dev) with zlib as its compressor and CRC. */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../core/stages.h"
#include "encoder.h"

/* when stb started filtering this thread's image (hv_png_encode) */
_Thread_local uint64_t hv_png_filter_start;

/* Measured on a 1920x1080 frame of this figure: filter 2 (Up) with zlib's
 * run-length strategy encodes in ~14 ms to ~67 kB, against ~130 ms for stb's
 * defaults (five filters tried per row, its own deflate). */
enum { HV_PNG_ZLEVEL = 1, HV_PNG_ZSTRATEGY = Z_RLE, HV_PNG_FILTER = 2 };

/* Threads that deflate one image (1 = this thread alone). Per thread: the
 * export's workers already run in parallel, a single still can split. */
static _Thread_local int tls_deflate_threads = 1;

void hv_png_set_threads(int n) { tls_deflate_threads = n < 1 ? 1 : n > 8 ? 8 : n; }

typedef struct chunk {
    const unsigned char *in;
    size_t in_len;
    bool last;        /* Z_FINISH; others end on a byte boundary (Z_SYNC_FLUSH) */
    bool raw;         /* no zlib header: a piece of a stream */
    unsigned char *out;
    size_t out_len;
    uLong adler; /* Adler-32 of this piece's input */
} chunk;

/* Deflates one piece into a buffer that starts small and grows: the figures
 * compress 20:1 or better, so no compressBound-sized allocation. */
static void *deflate_chunk(void *arg)
{
    chunk *c = arg;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    c->out = NULL;
    if (deflateInit2(&zs, HV_PNG_ZLEVEL, Z_DEFLATED, c->raw ? -15 : 15, 8, HV_PNG_ZSTRATEGY) != Z_OK)
        return NULL;
    size_t cap = c->in_len / 16 + 4096, len = 0;
    unsigned char *out = malloc(cap);
    zs.next_in = (unsigned char *)c->in;
    zs.avail_in = (uInt)c->in_len;
    int flush = c->last ? Z_FINISH : Z_SYNC_FLUSH;
    for (bool done = false; out && !done;) {
        if (len == cap) {
            unsigned char *nb = realloc(out, cap * 2);
            if (!nb) {
                free(out);
                out = NULL;
                break;
            }
            out = nb;
            cap *= 2;
        }
        zs.next_out = out + len;
        zs.avail_out = (uInt)(cap - len);
        int rc = deflate(&zs, flush);
        len = cap - zs.avail_out;
        if (rc == Z_STREAM_ERROR) {
            free(out);
            out = NULL;
        }
        /* finished: the stream ended, or the sync flush fit in the buffer */
        done = c->last ? rc == Z_STREAM_END : (zs.avail_in == 0 && zs.avail_out > 0);
    }
    deflateEnd(&zs);
    c->out = out;
    c->out_len = len;
    if (c->raw)
        c->adler = adler32(1L, c->in, (uInt)c->in_len);
    return NULL;
}

/* The compressor stb_image_write calls with the filtered rows. Large images
 * on a thread that allows it are cut into pieces deflated in parallel and
 * joined into one valid zlib stream (each piece but the last ends on a byte
 * boundary; header and Adler-32 written here), as pigz does. */
static unsigned char *compress_pieces(unsigned char *data, int data_len, int *out_len);

static unsigned char *hv_zlib_compress(unsigned char *data, int data_len, int *out_len, int quality)
{
    (void)quality;
    hv_stage_end(HV_STAGE_FILTER, hv_png_filter_start);
    hv_png_filter_start = 0;
    uint64_t t0 = hv_stage_begin(HV_STAGE_DEFLATE);
    unsigned char *out = compress_pieces(data, data_len, out_len);
    hv_stage_end(HV_STAGE_DEFLATE, t0);
    return out;
}

static unsigned char *compress_pieces(unsigned char *data, int data_len, int *out_len)
{
    /* stb has filtered every row into `data`: the source pixels are free */
    hv_encoder_source_done();
    int n = tls_deflate_threads;
    if (n < 2 || data_len < (1 << 20)) {
        chunk c = {data, (size_t)data_len, true, false, NULL, 0, 0};
        deflate_chunk(&c);
        if (c.out)
            *out_len = (int)c.out_len;
        return c.out;
    }
    chunk cs[8];
    pthread_t th[8];
    bool started[8] = {false};
    size_t per = (size_t)data_len / (size_t)n;
    for (int i = 0; i < n; i++) {
        size_t off = per * (size_t)i;
        cs[i] = (chunk){data + off, i == n - 1 ? (size_t)data_len - off : per, i == n - 1, true, NULL, 0, 0};
        if (i > 0)
            started[i] = pthread_create(&th[i], NULL, deflate_chunk, &cs[i]) == 0;
    }
    deflate_chunk(&cs[0]);
    bool ok = cs[0].out != NULL;
    size_t total = 2 + 4;
    for (int i = 1; i < n; i++) {
        if (started[i])
            pthread_join(th[i], NULL);
        else
            deflate_chunk(&cs[i]);
        ok = ok && cs[i].out;
    }
    for (int i = 0; i < n; i++)
        total += cs[i].out_len;
    unsigned char *out = ok ? malloc(total) : NULL;
    if (out) {
        size_t o = 0;
        out[o++] = 0x78; /* deflate, 32K window */
        out[o++] = 0x01; /* fastest; (0x78 << 8 | 0x01) % 31 == 0 */
        for (int i = 0; i < n; i++) {
            memcpy(out + o, cs[i].out, cs[i].out_len);
            o += cs[i].out_len;
        }
        uLong adler = cs[0].adler;
        for (int i = 1; i < n; i++)
            adler = adler32_combine(adler, cs[i].adler, (z_off_t)cs[i].in_len);
        out[o++] = (unsigned char)(adler >> 24);
        out[o++] = (unsigned char)(adler >> 16);
        out[o++] = (unsigned char)(adler >> 8);
        out[o++] = (unsigned char)adler;
        *out_len = (int)o;
    }
    for (int i = 0; i < n; i++)
        free(cs[i].out);
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

#include "png.h"

unsigned char *hv_stb_png_to_mem(const unsigned char *px, int stride, int w, int h, int n, int *len);
static pthread_once_t filter_once = PTHREAD_ONCE_INIT;

static void set_filter(void)
{
    /* one filter for every row instead of trying all five (a global of
     * stb's: set once, before any thread encodes) */
    stbi_write_force_png_filter = HV_PNG_FILTER;
}

unsigned char *hv_stb_png_to_mem(const unsigned char *px, int stride, int w, int h, int n, int *len)
{
    pthread_once(&filter_once, set_filter);
    return stbi_write_png_to_mem(px, stride, w, h, n, len);
}
