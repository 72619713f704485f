/* The one translation unit that compiles stb_image_write (from Debian's
 * libstb-dev) with zlib as its compressor and CRC. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static unsigned char *hv_zlib_compress(unsigned char *data, int data_len, int *out_len, int quality)
{
    (void)quality;
    uLongf cap = compressBound((uLong)data_len);
    unsigned char *out = malloc(cap);
    if (!out)
        return NULL;
    /* level 3: most of the size win of level 6 at a third of its time */
    if (compress2(out, &cap, data, (uLong)data_len, 3) != Z_OK) {
        free(out);
        return NULL;
    }
    *out_len = (int)cap;
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
    /* filter 1 (Sub) suits flat figures: large runs of one colour become zeros */
    stbi_write_force_png_filter = 1;
    return stbi_write_png_to_mem(px, stride, w, h, n, len);
}
