/* npz: np.savez / np.savez_compressed archives: a zip (read with libzip, from
 * memory) of .npy members, stored or deflated. The member is chosen by name
 * (opts.tensor, with or without ".npy"), or is the only one; the member's
 * bytes go through the .npy reader, whose messages then name the member and a
 * byte offset inside it. A member is decompressed into a buffer that grows
 * only as data actually arrives, up to the largest .npy the limits allow. */
#include "io_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* header (at most 4 GiB in principle; 1 MiB is far beyond what numpy writes)
 * plus the largest data the limits allow */
#define NPZ_MAX_MEMBER ((uint64_t)HV_SCORES_MAX_SAMPLE_CELLS * 8 + (1u << 20))

static bool ends_with_npy(const char *s)
{
    size_t n = strlen(s);
    return n >= 4 && strcmp(s + n - 4, ".npy") == 0;
}

/* Name as np.load shows it: without ".npy". */
static void member_label(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(s);
    if (ends_with_npy(s))
        n -= 4;
    snprintf(buf, cap, "%.*s", (int)(n < 200 ? n : 200), s);
}

static bool read_member(zip_t *z, zip_uint64_t idx, const char *where, unsigned char **out,
                        size_t *out_len, hv_error *err)
{
    *out = NULL;
    *out_len = 0;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, idx, 0, &st) != 0)
        return hv_errorf(err, "%s: cannot read the member: %s", where,
                         zip_error_strerror(zip_get_error(z)));
    if ((st.valid & ZIP_STAT_SIZE) && st.size > NPZ_MAX_MEMBER)
        return hv_errorf(err, "%s: the member is %llu bytes, more than the limit of %llu", where,
                         (unsigned long long)st.size, (unsigned long long)NPZ_MAX_MEMBER);
    zip_file_t *f = zip_fopen_index(z, idx, 0);
    if (!f)
        return hv_errorf(err, "%s: cannot open the member: %s", where,
                         zip_error_strerror(zip_get_error(z)));
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    bool ok = true;
    for (;;) {
        if (len == cap) {
            if (cap >= NPZ_MAX_MEMBER) {
                ok = hv_errorf(err, "%s: the member is more than %llu bytes", where,
                               (unsigned long long)NPZ_MAX_MEMBER);
                break;
            }
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap > NPZ_MAX_MEMBER)
                ncap = (size_t)NPZ_MAX_MEMBER;
            unsigned char *nb = realloc(buf, ncap);
            if (!nb) {
                ok = hv_errorf(err, "%s: out of memory after %zu bytes", where, len);
                break;
            }
            buf = nb;
            cap = ncap;
        }
        zip_int64_t got = zip_fread(f, buf + len, cap - len);
        if (got < 0) {
            ok = hv_errorf(err, "%s: cannot decompress the member: %s", where,
                           zip_error_strerror(zip_file_get_error(f)));
            break;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    zip_fclose(f);
    if (!ok) {
        free(buf);
        return false;
    }
    *out = buf;
    *out_len = len;
    return true;
}

bool hv_npz_read(const unsigned char *b, size_t n, const char *name, const hv_read_opts *o,
                 hv_grid *out, hv_error *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return hv_errorf(err, "%s: the file is empty", name);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(n ? b : NULL, n, 0, &ze);
    if (!src) {
        hv_errorf(err, "%s: %s", name, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return false;
    }
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!z) {
        zip_source_free(src);
        hv_errorf(err, "%s: not a readable .npz (zip) file: %s", name, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return false;
    }
    zip_error_fini(&ze);

    zip_int64_t count = zip_get_num_entries(z, 0);
    char list[320] = "";
    int arrays = 0;
    zip_int64_t chosen = -1;
    for (zip_int64_t i = 0; i < count; i++) {
        const char *mn = zip_get_name(z, (zip_uint64_t)i, 0);
        if (!mn || (*mn && mn[strlen(mn) - 1] == '/'))
            continue;
        char label[208];
        member_label(label, sizeof label, mn);
        hv_io_list_add(list, sizeof list, label);
        arrays++;
        if (o->tensor) {
            size_t tl = strlen(o->tensor);
            bool hit = strcmp(mn, o->tensor) == 0 ||
                       (strncmp(mn, o->tensor, tl) == 0 && strcmp(mn + tl, ".npy") == 0);
            if (hit && chosen < 0)
                chosen = i;
        } else if (chosen < 0) {
            chosen = i;
        }
    }
    bool ok = false;
    if (o->tensor && chosen < 0) {
        char q[96];
        hv_errorf(err, "%s: no member %s (members: %s)", name,
                  hv_io_quote(q, sizeof q, o->tensor, strlen(o->tensor), 60),
                  arrays ? list : "none");
    } else if (arrays == 0) {
        hv_errorf(err, "%s: the archive holds no arrays", name);
    } else if (!o->tensor && arrays > 1) {
        hv_errorf(err, "%s: holds %d arrays, name the one to read: %s", name, arrays, list);
    } else {
        const char *mn = zip_get_name(z, (zip_uint64_t)chosen, 0);
        char label[208], q[232], where[512];
        member_label(label, sizeof label, mn ? mn : "?");
        snprintf(where, sizeof where, "%s: member %s", name,
                 hv_io_quote(q, sizeof q, label, strlen(label), 60));
        unsigned char *data;
        size_t len;
        if (read_member(z, (zip_uint64_t)chosen, where, &data, &len, err)) {
            ok = hv_npy_read(data, len, where, o, out, err);
            free(data);
        }
    }
    zip_discard(z);
    return ok;
}
