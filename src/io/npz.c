/* npz: np.savez / np.savez_compressed archives: a zip (read with libzip, from
 * memory) of .npy members, stored or deflated. The member is chosen by name
 * (opts.tensor, with or without ".npy"), or is the only one; the member's
 * bytes go through the .npy reader, whose messages then name the member and a
 * byte offset inside it. A member is inflated as it is read: first its .npy
 * header (at most 1 MiB), then one sample's bytes at a time into the reducer
 * (the whole array in Fortran order), never past the size the header gives:
 * a member holding more or less than that is an error naming the byte.
 * Archives libzip refuses are described in plain words, naming the member. */
#include "io_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* The largest .npy header read from a member: numpy writes well under 1 KiB
 * (it pads to 64 bytes; format 2.0 only for headers past 64 KiB). */
#define NPZ_MAX_HEADER ((size_t)1 << 20)

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

static unsigned rd16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *method_name(unsigned m)
{
    switch (m) {
    case 0: return "stored";
    case 8: return "deflated";
    case 9: return "deflate64";
    case 12: return "bzip2";
    case 14: return "LZMA";
    case 93: return "zstd";
    case 95: return "xz";
    case 99: return "WinZip AES encryption";
    default: return "unknown";
    }
}

/* When libzip refuses the whole archive as inconsistent: the first member of
 * the central directory whose compression method is not stored or deflated,
 * described into buf; false when there is none (or no readable directory). */
static bool odd_method(const unsigned char *b, size_t n, char *buf, size_t cap)
{
    if (n < 22)
        return false;
    size_t e = n - 22, stop = n > 22 + 65535 ? n - 22 - 65535 : 0;
    for (;; e--) {
        if (memcmp(b + e, "PK\x05\x06", 4) == 0)
            break;
        if (e == stop)
            return false;
    }
    size_t count = rd16(b + e + 10), at = rd32(b + e + 16);
    for (size_t i = 0; i < count && at <= e && e - at >= 46 && memcmp(b + at, "PK\x01\x02", 4) == 0;
         i++) {
        unsigned method = rd16(b + at + 10);
        size_t nl = rd16(b + at + 28), xl = rd16(b + at + 30), cl = rd16(b + at + 32);
        if (e - at - 46 < nl)
            return false;
        if (method != 0 && method != 8) {
            char label[208], q[232], raw[201];
            size_t k = nl < 200 ? nl : 200;
            memcpy(raw, b + at + 46, k);
            raw[k] = '\0';
            member_label(label, sizeof label, raw);
            snprintf(buf, cap, "member %s uses compression method %u (%s); .npz members are "
                     "stored or deflated", hv_io_quote(q, sizeof q, label, strlen(label), 60),
                     method, method_name(method));
            return true;
        }
        at += 46 + nl + xl + cl;
    }
    return false;
}

/* A member read as it is inflated: never more than the .npy header, then one
 * sample's bytes (or the whole array in Fortran order) at a time. */
typedef struct member {
    zip_file_t *f;
    const char *where;
    unsigned char *buf;
    size_t cap;
    size_t pos;          /* bytes of the member read so far */
    const hv_npy_info *info; /* once the header is parsed */
} member;

static bool reserve(member *m, size_t n, hv_error *err)
{
    if (n <= m->cap)
        return true;
    unsigned char *nb = realloc(m->buf, n);
    if (!nb)
        return hv_errorf(err, "%s: out of memory for %zu bytes", m->where, n);
    m->buf = nb;
    m->cap = n;
    return true;
}

/* Up to n bytes into dst: how many arrived (fewer only at the member's end),
 * or -1 with the message. */
static long long fill(member *m, unsigned char *dst, size_t n, hv_error *err)
{
    size_t got = 0;
    while (got < n) {
        zip_int64_t k = zip_fread(m->f, dst + got, n - got);
        if (k < 0) {
            zip_error_t *ze = zip_file_get_error(m->f);
            int code = zip_error_code_zip(ze);
            if (code == ZIP_ER_CRC)
                hv_errorf(err, "%s: byte %zu: the member's data does not match its checksum "
                               "(CRC): the archive is damaged", m->where, m->pos + got);
            else if (code == ZIP_ER_COMPRESSED_DATA || code == ZIP_ER_ZLIB)
                hv_errorf(err, "%s: byte %zu: the compressed data is damaged and cannot be "
                               "inflated (libzip: %s)", m->where, m->pos + got,
                          zip_error_strerror(ze));
            else
                hv_errorf(err, "%s: byte %zu: cannot read the member (libzip: %s)", m->where,
                          m->pos + got, zip_error_strerror(ze));
            return -1;
        }
        if (k == 0)
            break;
        got += (size_t)k;
    }
    m->pos += got;
    return (long long)got;
}

static const unsigned char *member_next(void *ctx, size_t n, size_t at, hv_error *err)
{
    member *m = ctx;
    (void)at;
    if (!reserve(m, n ? n : 1, err))
        return NULL;
    size_t start = m->pos;
    long long got = fill(m, m->buf, n, err);
    if (got < 0)
        return NULL;
    if ((size_t)got < n) {
        const hv_npy_info *i = m->info;
        hv_errorf(err, "%s: byte %zu: the data is %zu bytes, but shape %s of '%s' needs %llu (is "
                       "the file truncated?)", m->where, i->data_start,
                  start + (size_t)got - i->data_start, i->shape, i->descr,
                  (unsigned long long)i->data_bytes);
        return NULL;
    }
    return m->buf;
}

/* Reads the member's .npy header, then reduces its data as it is inflated,
 * stopping where the header says the data ends. */
static bool read_member(zip_t *z, zip_uint64_t idx, size_t archive_len, const char *where,
                        const hv_read_opts *o, hv_grid *out, hv_error *err)
{
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(z, idx, 0, &st) == 0 && (st.valid & ZIP_STAT_COMP_SIZE) &&
        st.comp_size > archive_len)
        return hv_errorf(err, "%s: the zip's directory says the member holds %llu %s bytes, more "
                              "than the whole file (%zu bytes): the archive is cut short or "
                              "damaged", where, (unsigned long long)st.comp_size,
                         (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_STORE
                             ? "stored"
                             : "compressed",
                         archive_len);
    zip_file_t *f = zip_fopen_index(z, idx, 0);
    if (!f) {
        zip_error_t *ze = zip_get_error(z);
        int code = zip_error_code_zip(ze);
        if (code == ZIP_ER_COMPNOTSUPP || code == ZIP_ER_ENCRNOTSUPP || code == ZIP_ER_NOPASSWD)
            return hv_errorf(err, "%s: the member is %s, which .npz files never are (libzip: %s)",
                             where, code == ZIP_ER_COMPNOTSUPP ? "compressed with a method "
                                                                 "other than stored or deflated"
                                                               : "encrypted",
                             zip_error_strerror(ze));
        return hv_errorf(err, "%s: cannot open the member: the archive is damaged (libzip: %s)",
                         where, zip_error_strerror(ze));
    }
    member m = {f, where, NULL, 0, 0, NULL};
    bool ok = false;
    hv_npy_info info;
    /* the preamble: magic, version, header length */
    unsigned char pre[12];
    long long got = fill(&m, pre, 10, err);
    if (got == 10 && (pre[6] == 2 || pre[6] == 3)) {
        long long more = fill(&m, pre + 10, 2, err);
        got = more < 0 ? -1 : got + more;
    }
    if (got < 0)
        goto done;
    size_t hstart = got == 12 ? 12 : 10;
    size_t hlen = 0;
    if ((size_t)got >= 10 && memcmp(pre, "\x93NUMPY", 6) == 0 && pre[7] == 0 &&
        (pre[6] == 1 || ((pre[6] == 2 || pre[6] == 3) && got == 12)))
        hlen = pre[6] == 1 ? (size_t)(pre[8] | pre[9] << 8)
                           : (size_t)((uint32_t)pre[8] | (uint32_t)pre[9] << 8 |
                                      (uint32_t)pre[10] << 16 | (uint32_t)pre[11] << 24);
    if (hlen > NPZ_MAX_HEADER) {
        hv_errorf(err, "%s: byte 8: header length %zu is more than %zu bytes (numpy writes less "
                       "than 1 KiB)", where, hlen, NPZ_MAX_HEADER);
        goto done;
    }
    /* a v2/v3 member cut after 11 bytes: got (11) is more than hstart (10) */
    if (!reserve(&m, (size_t)got > hstart + hlen ? (size_t)got : hstart + hlen, err))
        goto done;
    memcpy(m.buf, pre, (size_t)got);
    size_t have = (size_t)got;
    if (have == hstart && hlen) {
        long long more = fill(&m, m.buf + hstart, hlen, err);
        if (more < 0)
            goto done;
        have += (size_t)more;
    }
    if (!hv_npy_header(m.buf, have, where, "member", &info, err))
        goto done;
    m.info = &info;
    if (!hv_tensor_reduce_stream(&info.t, member_next, &m, where, o, out, err))
        goto done;
    /* the header's data must be all there is */
    unsigned char extra;
    got = fill(&m, &extra, 1, err);
    if (got < 0) {
        hv_grid_free(out);
        goto done;
    }
    if (got > 0) {
        hv_grid_free(out);
        hv_errorf(err, "%s: byte %zu: the member goes on after the data of shape %s of '%s' (its "
                       "header says the data ends here)", where,
                  info.data_start + (size_t)info.data_bytes, info.shape, info.descr);
        goto done;
    }
    ok = true;
done:
    zip_fclose(f);
    free(m.buf);
    return ok;
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
        char why[320];
        if (zip_error_code_zip(&ze) == ZIP_ER_INCONS && odd_method(b, n, why, sizeof why))
            hv_errorf(err, "%s: %s (libzip: %s)", name, why, zip_error_strerror(&ze));
        else if (zip_error_code_zip(&ze) == ZIP_ER_INCONS)
            hv_errorf(err, "%s: not a readable .npz: the zip's directory and its members' headers "
                           "disagree (libzip: %s)", name, zip_error_strerror(&ze));
        else
            hv_errorf(err, "%s: not a readable .npz (zip) file: %s", name,
                      zip_error_strerror(&ze));
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
        ok = read_member(z, (zip_uint64_t)chosen, n, where, o, out, err);
    }
    zip_discard(z);
    return ok;
}
