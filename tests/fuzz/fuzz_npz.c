/* libFuzzer harness: the npz reader through hv_read_scores (see
 * fuzz_reader.h). The input is read as an archive itself, and also wrapped,
 * with libzip, as the member "a.npy" of a well-formed archive (stored or
 * deflated by the input's length), so mutations reach the member's .npy
 * parsing past libzip's checksums. */
#include <stdlib.h>
#include <zip.h>

#include "fuzz_reader.h"

static void wrapped(const uint8_t *data, size_t size)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        return;
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    zip_source_t *m = z ? zip_source_buffer(z, size ? data : NULL, size, 0) : NULL;
    zip_int64_t idx = m ? zip_file_add(z, "a.npy", m, 0) : -1;
    if (idx < 0) {
        if (m)
            zip_source_free(m);
        if (z)
            zip_discard(z);
        zip_source_free(src);
        zip_error_fini(&ze);
        return;
    }
    zip_set_file_compression(z, (zip_uint64_t)idx, size % 2 ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 1);
    if (zip_close(z) != 0) {
        zip_discard(z);
    } else if (zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t n = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        uint8_t *buf = n > 0 ? malloc((size_t)n) : NULL;
        if (buf && zip_source_read(src, buf, (zip_uint64_t)n) == n)
            fuzz_check(buf, (size_t)n, HV_FMT_NPZ, NULL);
        free(buf);
        zip_source_close(src);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_check(data, size, HV_FMT_NPZ, NULL);
    fuzz_check(data, size, HV_FMT_NPZ, "a");
    wrapped(data, size);
    return 0;
}
