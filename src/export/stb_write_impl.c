/* The one translation unit that compiles stb_image_write (from Debian's
 * libstb-dev) with zlib as its compressor and CRC. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "encoder.h"

/* zlib's deflate, streamed into a buffer that starts small and grows: the
 * figures compress 20:1 or better, so no compressBound-sized allocation. */
/* Measured on a 1920x1080 frame of this figure (bench/README.md): filter 2
 * (Up) with zlib's run-length strategy encodes in ~14 ms to ~67 kB, against
 * ~130 ms for stb's defaults (five filters tried per row, its own deflate). */
int hv_png_zlevel = 1, hv_png_zstrategy = Z_RLE, hv_png_filter = 2;

static unsigned char *hv_zlib_compress(unsigned char *data, int data_len, int *out_len, int quality)
{
    (void)quality;
    /* stb has filtered every row into `data`: the source pixels are free */
    hv_encoder_source_done();
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, hv_png_zlevel, Z_DEFLATED, 15, 8, hv_png_zstrategy) != Z_OK)
        return NULL;
    size_t cap = (size_t)data_len / 16 + 4096, len = 0;
    unsigned char *out = malloc(cap);
    zs.next_in = data;
    zs.avail_in = (uInt)data_len;
    int rc = Z_OK;
    while (out && rc != Z_STREAM_END) {
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
        rc = deflate(&zs, Z_FINISH);
        len = cap - zs.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            free(out);
            out = NULL;
        }
    }
    deflateEnd(&zs);
    if (out)
        *out_len = (int)len;
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
unsigned char *hv_stb_png_to_mem(const unsigned char *px, int stride, int w, int h, int n, int *len)
{
    /* one filter for every row instead of trying all five */
    stbi_write_force_png_filter = hv_png_filter;
    return stbi_write_png_to_mem(px, stride, w, h, n, len);
}
