/* Unit tests of the score-file readers (src/io): hv_read_scores on every
 * format, written here by small writers (npy v1/v2/v3, both byte orders,
 * Fortran order, float16, integer and bool dtypes; npz stored and deflated,
 * written with libzip; JSON and JSON Lines with numbers, lists, NaN, null and
 * L14H7 keys; text grids with comments, tabs and commas; safetensors F16,
 * BF16, F32, F64). The same scores through every format must give the same
 * grid bit for bit; every malformed file must give its exact one-line
 * message; every truncation of a valid file must fail cleanly; and the
 * reducer's modes (mean, max, sum, abs-mean, count with ties and NaN). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "check.h"
#include "scores.h"
#include "spec.h"

/* --- a byte buffer ---------------------------------------------------------- */

typedef struct bytes {
    unsigned char *d;
    size_t n, cap;
} bytes;

static void put(bytes *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n)
            cap *= 2;
        unsigned char *nd = realloc(b->d, cap);
        if (!nd) {
            fprintf(stderr, "out of memory\n");
            exit(2);
        }
        b->d = nd;
        b->cap = cap;
    }
    if (n)
        memcpy(b->d + b->n, p, n);
    b->n += n;
}

static void puts_(bytes *b, const char *s) { put(b, s, strlen(s)); }

static void bfree(bytes *b)
{
    free(b->d);
    memset(b, 0, sizeof *b);
}

/* --- value encoders ------------------------------------------------------- */

/* Exactly representable values only (tests choose them so). */
static uint16_t to_half(double v)
{
    if (isnan(v))
        return 0x7e00;
    if (isinf(v))
        return v > 0 ? 0x7c00 : 0xfc00;
    uint16_t sign = signbit(v) ? 0x8000 : 0;
    v = fabs(v);
    if (v == 0)
        return sign;
    int e;
    double m = frexp(v, &e); /* v = m * 2^e, m in [0.5, 1) */
    int exp = e - 1 + 15;
    if (exp <= 0) /* subnormal */
        return (uint16_t)(sign | (uint16_t)lrint(v * 16777216.0));
    return (uint16_t)(sign | (uint16_t)(exp << 10) | (uint16_t)lrint((m * 2 - 1) * 1024));
}

static uint16_t to_bf16(double v)
{
    float f = (float)v;
    uint32_t w;
    memcpy(&w, &f, sizeof w);
    return (uint16_t)(w >> 16);
}

static void put_uint(bytes *b, uint64_t u, int size, bool big)
{
    unsigned char t[8];
    for (int i = 0; i < size; i++)
        t[big ? size - 1 - i : i] = (unsigned char)(u >> (8 * i));
    put(b, t, (size_t)size);
}

/* One value as dtype (kind 'f' 'i' 'u' 'b' or 'B' = bfloat16, size in bytes). */
static void put_value(bytes *b, double v, char kind, int size, bool big)
{
    uint64_t u = 0;
    if (kind == 'f') {
        if (size == 2) {
            u = to_half(v);
        } else if (size == 4) {
            float f = (float)v;
            uint32_t w;
            memcpy(&w, &f, sizeof w);
            u = w;
        } else {
            memcpy(&u, &v, sizeof u);
        }
    } else if (kind == 'B') {
        u = to_bf16(v);
    } else if (kind == 'i') {
        u = (uint64_t)(int64_t)v;
    } else {
        u = (uint64_t)v;
    }
    put_uint(b, u, size, big);
}

/* --- writers -------------------------------------------------------------- */

/* .npy; vals in C order; descr like "<f4". */
static void make_npy(bytes *o, int major, const char *descr, bool fortran, int rank,
                     const int *dims, const double *vals)
{
    char shape[96] = "";
    size_t sl = 0;
    for (int i = 0; i < rank; i++)
        sl += (size_t)snprintf(shape + sl, sizeof shape - sl, "%s%d", i ? ", " : "", dims[i]);
    if (rank == 1)
        snprintf(shape + sl, sizeof shape - sl, ",");
    char dict[256];
    int dl = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }",
                      descr, fortran ? "True" : "False", shape);
    size_t pre = major == 1 ? 10 : 12;
    size_t hlen = (size_t)dl + 1;
    while ((pre + hlen) % 64)
        hlen++;
    put(o, "\x93NUMPY", 6);
    unsigned char ver[2] = {(unsigned char)major, 0};
    put(o, ver, 2);
    put_uint(o, hlen, major == 1 ? 2 : 4, false);
    put(o, dict, (size_t)dl);
    for (size_t i = (size_t)dl; i + 1 < hlen; i++)
        put(o, " ", 1);
    put(o, "\n", 1);
    char kind = descr[1];
    int size = descr[2] - '0';
    bool big = descr[0] == '>';
    size_t total = 1;
    for (int i = 0; i < rank; i++)
        total *= (size_t)dims[i];
    for (size_t k = 0; k < total; k++) {
        size_t src = k;
        if (fortran) { /* k enumerates Fortran order: first index fastest */
            size_t rem = k, idx[3] = {0, 0, 0};
            for (int i = 0; i < rank; i++) {
                idx[i] = rem % (size_t)dims[i];
                rem /= (size_t)dims[i];
            }
            src = 0;
            for (int i = 0; i < rank; i++)
                src = src * (size_t)dims[i] + idx[i];
        }
        put_value(o, vals[src], kind, size, big);
    }
}

/* A zip of named members (stored or deflated), written with libzip. */
static bool make_zip(bytes *o, int n, const char *const *names, const bytes *members,
                     bool deflate)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        return false;
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!z) {
        zip_source_free(src);
        return false;
    }
    for (int i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(z, members[i].d, members[i].n, 0);
        zip_int64_t idx = s ? zip_file_add(z, names[i], s, ZIP_FL_OVERWRITE) : -1;
        if (idx < 0 ||
            zip_set_file_compression(z, (zip_uint64_t)idx, deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                     0) != 0) {
            zip_discard(z);
            zip_source_free(src);
            return false;
        }
    }
    bool ok = zip_close(z) == 0 && zip_source_open(src) == 0;
    if (ok) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t size = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        unsigned char *tmp = malloc(size > 0 ? (size_t)size : 1);
        ok = tmp && size > 0 && zip_source_read(src, tmp, (zip_uint64_t)size) == size;
        if (ok)
            put(o, tmp, (size_t)size);
        free(tmp);
        zip_source_close(src);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return ok;
}

typedef struct st_tensor {
    const char *name;
    const char *dtype; /* F16 BF16 F32 F64 I32 ... */
    int rank;
    int dims[3];
    const double *vals; /* C order */
} st_tensor;

static int st_size(const char *dt, char *kind)
{
    if (strcmp(dt, "F16") == 0)
        return *kind = 'f', 2;
    if (strcmp(dt, "BF16") == 0)
        return *kind = 'B', 2;
    if (strcmp(dt, "F32") == 0)
        return *kind = 'f', 4;
    if (strcmp(dt, "F64") == 0)
        return *kind = 'f', 8;
    if (strcmp(dt, "I32") == 0)
        return *kind = 'i', 4;
    if (strcmp(dt, "U8") == 0)
        return *kind = 'u', 1;
    return *kind = 'f', 4;
}

/* safetensors with tensors laid out in order, header padded to 8 bytes. */
static void make_st(bytes *o, int n, const st_tensor *ts, const char *meta)
{
    bytes h = {0}, data = {0};
    puts_(&h, "{");
    if (meta) {
        puts_(&h, "\"__metadata__\":");
        puts_(&h, meta);
        if (n)
            puts_(&h, ",");
    }
    for (int i = 0; i < n; i++) {
        char kind;
        int size = st_size(ts[i].dtype, &kind);
        size_t count = 1;
        char shape[64] = "";
        size_t sl = 0;
        for (int k = 0; k < ts[i].rank; k++) {
            count *= (size_t)ts[i].dims[k];
            sl += (size_t)snprintf(shape + sl, sizeof shape - sl, "%s%d", k ? "," : "",
                                   ts[i].dims[k]);
        }
        size_t begin = data.n;
        for (size_t k = 0; k < count; k++)
            put_value(&data, ts[i].vals[k], kind, size, false);
        char e[256];
        snprintf(e, sizeof e, "%s\"%s\":{\"dtype\":\"%s\",\"shape\":[%s],\"data_offsets\":[%zu,%zu]}",
                 i ? "," : "", ts[i].name, ts[i].dtype, shape, begin, data.n);
        puts_(&h, e);
    }
    puts_(&h, "}");
    while (h.n % 8)
        puts_(&h, " ");
    put_uint(o, h.n, 8, false);
    put(o, h.d, h.n);
    put(o, data.d, data.n);
    bfree(&h);
    bfree(&data);
}

/* safetensors from a raw header (no padding) and raw data bytes. */
static void make_st_raw(bytes *o, const char *header, size_t data_len)
{
    put_uint(o, strlen(header), 8, false);
    puts_(o, header);
    for (size_t i = 0; i < data_len; i++)
        put(o, "\0", 1);
}

/* --- reading and comparing ------------------------------------------------ */

static bool rd(const bytes *b, const char *name, const hv_read_opts *o, hv_grid *g, hv_error *e)
{
    memset(e->msg, 0, sizeof e->msg);
    return hv_read_scores(b->d, b->n, name, o, g, e);
}

static bool rds(const char *s, const char *name, const hv_read_opts *o, hv_grid *g, hv_error *e)
{
    memset(e->msg, 0, sizeof e->msg);
    return hv_read_scores((const unsigned char *)s, strlen(s), name, o, g, e);
}

static bool same_value(double a, double b)
{
    return (isnan(a) && isnan(b)) || (!isnan(a) && !isnan(b) && memcmp(&a, &b, sizeof a) == 0) ||
           (a == 0 && b == 0);
}

/* The grid must be layers x heads with exactly these values (NaN where NaN). */
static void expect_grid(const char *what, const hv_grid *g, int layers, int heads, int samples,
                        const double *want, const char *file, int line)
{
    check_context("%s", what);
    check_int_(g->layers, layers, "layers", "expected", file, line);
    check_int_(g->heads, heads, "heads", "expected", file, line);
    check_int_(g->samples, samples, "samples", "expected", file, line);
    if (g->layers == layers && g->heads == heads && g->v) {
        int bad = 0;
        for (int i = 0; i < layers * heads; i++)
            if (!same_value(g->v[i], want[i])) {
                if (bad++ < 3)
                    printf("  %s: cell [%d, %d]: got %.17g, expected %.17g\n", what, i / heads,
                           i % heads, g->v[i], want[i]);
            }
        check_true_(bad == 0, "every cell as expected", file, line);
    } else {
        check_true_(false, "grid present", file, line);
    }
    check_context("%s", "");
}
#define EXPECT_GRID(what, g, l, h, s, want) expect_grid((what), (g), (l), (h), (s), (want), __FILE__, __LINE__)

static void read_expect(const char *what, const bytes *b, const char *name, const hv_read_opts *o,
                        int layers, int heads, int samples, const double *want, const char *file,
                        int line)
{
    hv_grid g;
    hv_error e;
    bool ok = rd(b, name, o, &g, &e);
    check_context("%s", what);
    if (!check_true_(ok, "read succeeds", file, line))
        printf("  %s: %s\n", what, e.msg);
    check_context("%s", "");
    if (ok)
        expect_grid(what, &g, layers, heads, samples, want, file, line);
    hv_grid_free(&g);
}
#define READ_EXPECT(what, b, name, o, l, h, s, want) \
    read_expect((what), (b), (name), (o), (l), (h), (s), (want), __FILE__, __LINE__)

static void expect_error(const bytes *b, const char *name, const hv_read_opts *o, const char *msg,
                         const char *file, int line)
{
    hv_grid g;
    hv_error e;
    memset(&g, 0x5a, sizeof g);
    bool ok = rd(b, name, o, &g, &e);
    check_true_(!ok, "read fails", file, line);
    check_str_(e.msg, msg, "error", "expected", file, line);
    check_true_(g.v == NULL && g.layers == 0 && g.heads == 0, "grid left empty", file, line);
    check_true_(strchr(e.msg, '\n') == NULL, "one line", file, line);
    hv_grid_free(&g);
}
#define EXPECT_ERROR(b, name, o, msg) expect_error((b), (name), (o), (msg), __FILE__, __LINE__)

static void expect_error_s(const char *s, const char *name, const hv_read_opts *o,
                           const char *msg, const char *file, int line)
{
    bytes b = {0};
    puts_(&b, s);
    expect_error(&b, name, o, msg, file, line);
    bfree(&b);
}
#define EXPECT_ERROR_S(s, name, o, msg) expect_error_s((s), (name), (o), (msg), __FILE__, __LINE__)

/* --- the shared scores ---------------------------------------------------- */

/* 3 layers x 4 heads, exactly representable in float16 and bfloat16 */
#define NAN_ NAN
static const double k_grid[12] = {0.5, -1.25, 3, NAN_, 0, 2.75, -0.5, 8, 1, NAN_, 0.125, -3};
static const int k_dims2[2] = {3, 4};
/* a second sample, and their mean (NaN ignored) */
static const double k_grid2[12] = {1.5, NAN_, 1, NAN_, 2, 2.75, 0.5, -8, NAN_, 4, 0.375, -1};
static const double k_mean2[12] = {1, -1.25, 2, NAN_, 1, 2.75, 0, 0, 1, 4, 0.25, -2};

static void json_of(bytes *o, const double *g, bool lkeys, bool bare_nan)
{
    puts_(o, "{");
    bool first = true;
    for (int i = 0; i < 12; i++) {
        char e[96];
        if (isnan(g[i]) && !bare_nan)
            continue;
        int l = i / 4, h = i % 4;
        char key[32];
        if (lkeys)
            snprintf(key, sizeof key, i % 2 ? "l%dH%d" : "L%dh%d", l, h);
        else
            snprintf(key, sizeof key, "%d-%d", l, h);
        if (isnan(g[i]))
            snprintf(e, sizeof e, "%s\"%s\": NaN", first ? "" : ", ", key);
        else
            snprintf(e, sizeof e, "%s\"%s\": %.17g", first ? "" : ", ", key, g[i]);
        puts_(o, e);
        first = false;
    }
    puts_(o, "}");
}

static void test_same_scores_every_format(void)
{
    hv_read_opts o = {0};
    struct {
        int major;
        const char *descr;
        bool fortran;
    } npys[] = {
        {1, "<f4", false}, {2, "<f8", false}, {3, ">f2", false}, {1, ">f4", true},
        {1, "<f2", true},  {2, ">f8", false}, {3, "<f4", true},
    };
    for (size_t i = 0; i < sizeof npys / sizeof npys[0]; i++) {
        bytes b = {0};
        make_npy(&b, npys[i].major, npys[i].descr, npys[i].fortran, 2, k_dims2, k_grid);
        char what[64];
        snprintf(what, sizeof what, "npy v%d %s%s", npys[i].major, npys[i].descr,
                 npys[i].fortran ? " fortran" : "");
        READ_EXPECT(what, &b, "x.npy", &o, 3, 4, 1, k_grid);
        bfree(&b);
    }
    /* npz: stored and deflated; by name with and without .npy, and alone */
    for (int deflate = 0; deflate < 2; deflate++) {
        bytes a = {0}, c = {0}, z = {0}, z1 = {0};
        make_npy(&a, 1, "<f4", false, 2, k_dims2, k_grid);
        make_npy(&c, 1, "<f8", true, 2, k_dims2, k_grid2);
        const char *names[2] = {"scores.npy", "other.npy"};
        bytes members[2] = {a, c};
        CHECK(make_zip(&z, 2, names, members, deflate));
        CHECK(make_zip(&z1, 1, names, members, deflate));
        hv_read_opts on = {.tensor = "scores"};
        READ_EXPECT(deflate ? "npz deflated, by name" : "npz stored, by name", &z, "x.npz", &on,
                    3, 4, 1, k_grid);
        on.tensor = "other.npy";
        READ_EXPECT("npz by name with .npy", &z, "x.npz", &on, 3, 4, 1, k_grid2);
        READ_EXPECT("npz, the only member", &z1, "x.npz", &o, 3, 4, 1, k_grid);
        bfree(&a);
        bfree(&c);
        bfree(&z);
        bfree(&z1);
    }
    /* JSON: bare NaN, numbers only, L14H7 keys, lists of one */
    {
        bytes b = {0};
        json_of(&b, k_grid, false, true);
        READ_EXPECT("json with NaN", &b, "x.json", &o, 3, 4, 1, k_grid);
        bfree(&b);
        json_of(&b, k_grid, false, false);
        READ_EXPECT("json without the NaN heads", &b, "x.json", &o, 3, 4, 1, k_grid);
        bfree(&b);
        json_of(&b, k_grid, true, true);
        READ_EXPECT("json with L14H7 keys", &b, "x.json", &o, 3, 4, 1, k_grid);
        READ_EXPECT("jsonl, one line", &b, "x.jsonl", &o, 3, 4, 1, k_grid);
        bfree(&b);
        puts_(&b, "{\"0-0\": [0.5], \"0-1\": [-1.25], \"0-2\": [3], \"0-3\": [null],\n"
                  " \"1-0\": [0], \"1-1\": [2.75], \"1-2\": [-0.5], \"1-3\": [8],\n"
                  " \"2-0\": [1], \"2-1\": [], \"2-2\": [0.125], \"2-3\": [-3]}\n");
        READ_EXPECT("json lists of one", &b, "x.json", &o, 3, 4, 1, k_grid);
        bfree(&b);
        puts_(&b, "{\"0-0\": 0.5, \"0-1\": -1.25, \"0-2\": 3, \"0-3\": null, \"1-0\": 0, "
                  "\"1-1\": 2.75, \"1-2\": -0.5, \"1-3\": 8, \"2-0\": 1, \"2-1\": null, \"2-2\": "
                  "0.125, \"2-3\": -3}");
        READ_EXPECT("json with null", &b, "x.json", &o, 3, 4, 1, k_grid);
        bfree(&b);
    }
    /* text grids */
    {
        bytes b = {0};
        puts_(&b, "# scores, one row per layer\n"
                  "5.000000000000000000e-01 -1.250000000000000000e+00 3.000000000000000000e+00 "
                  "nan\n"
                  "0.000000000000000000e+00 2.750000000000000000e+00 -5.000000000000000000e-01 "
                  "8.000000000000000000e+00\n"
                  "1.000000000000000000e+00 nan 1.250000000000000000e-01 "
                  "-3.000000000000000000e+00\n");
        READ_EXPECT("text, savetxt default", &b, "x.txt", &o, 3, 4, 1, k_grid);
        bfree(&b);
        puts_(&b, "\xEF\xBB\xBF# tabs, CRLF, blank lines, a trailing comment\r\n\r\n"
                  "0.5\t-1.25\t3\tNaN\r\n  0\t2.75\t-0.5\t8   # layer 1\r\n"
                  "1\t-nan\t0.125\t-3\r\n\r\n");
        READ_EXPECT("text, tabs and CRLF", &b, "x.tsv", &o, 3, 4, 1, k_grid);
        bfree(&b);
        puts_(&b, "0.5,-1.25,3,nan\n0, 2.75 ,-0.5,8\n1.0,nan,.125,-3e0");
        READ_EXPECT("text, commas", &b, "x.dat", &o, 3, 4, 1, k_grid);
        bfree(&b);
    }
    /* safetensors, each float dtype, with metadata and a second tensor */
    {
        const char *dts[] = {"F16", "BF16", "F32", "F64"};
        for (int i = 0; i < 4; i++) {
            bytes b = {0};
            st_tensor ts[2] = {{"other", "F32", 2, {3, 4, 0}, k_grid2},
                               {"scores", dts[i], 2, {3, 4, 0}, k_grid}};
            make_st(&b, 2, ts, "{\"format\":\"pt\"}");
            hv_read_opts on = {.tensor = "scores"};
            char what[64];
            snprintf(what, sizeof what, "safetensors %s", dts[i]);
            READ_EXPECT(what, &b, "x.safetensors", &on, 3, 4, 1, k_grid);
            bfree(&b);
            make_st(&b, 1, ts + 1, NULL);
            READ_EXPECT(what, &b, "x.safetensors", &o, 3, 4, 1, k_grid);
            bfree(&b);
        }
    }
}

static void test_samples_every_format(void)
{
    hv_read_opts o = {0};
    double both[24];
    memcpy(both, k_grid, sizeof k_grid);
    memcpy(both + 12, k_grid2, sizeof k_grid2);
    int dims3[3] = {2, 3, 4};
    const char *descrs[] = {"<f4", ">f8", "<f2"};
    for (int f = 0; f < 2; f++)
        for (int d = 0; d < 3; d++) {
            bytes b = {0};
            make_npy(&b, 1, descrs[d], f, 3, dims3, both);
            char what[64];
            snprintf(what, sizeof what, "npy [2, 3, 4] %s%s", descrs[d], f ? " fortran" : "");
            READ_EXPECT(what, &b, "x.npy", &o, 3, 4, 2, k_mean2);
            bfree(&b);
        }
    {
        bytes b = {0};
        st_tensor t = {"t", "BF16", 3, {2, 3, 4}, both};
        make_st(&b, 1, &t, NULL);
        READ_EXPECT("safetensors [2, 3, 4]", &b, "x.safetensors", &o, 3, 4, 2, k_mean2);
        bfree(&b);
    }
    /* JSON: lists of two (and of unequal length: padded with no score) */
    {
        bytes b = {0};
        puts_(&b, "{");
        for (int i = 0; i < 12; i++) {
            char e[96], v0[32], v1[32];
            snprintf(v0, sizeof v0, isnan(k_grid[i]) ? "NaN" : "%g", k_grid[i]);
            snprintf(v1, sizeof v1, isnan(k_grid2[i]) ? "null" : "%g", k_grid2[i]);
            if (i == 5) /* [v0] alone: the second sample absent */
                snprintf(e, sizeof e, "%s\"%d-%d\": [%s]", i ? ", " : "", i / 4, i % 4, v0);
            else
                snprintf(e, sizeof e, "%s\"%d-%d\": [%s, %s]", i ? ", " : "", i / 4, i % 4, v0,
                         v1);
            puts_(&b, e);
        }
        puts_(&b, "}");
        READ_EXPECT("json lists of two", &b, "x.json", &o, 3, 4, 2, k_mean2);
        bfree(&b);
    }
    /* JSON Lines: one object per sample (heads missing from a line: no score) */
    {
        bytes b = {0}, l = {0};
        json_of(&b, k_grid, false, true);
        puts_(&b, "\n\n");
        json_of(&b, k_grid2, true, false);
        puts_(&b, "\n");
        READ_EXPECT("jsonl, two lines", &b, "x.jsonl", &o, 3, 4, 2, k_mean2);
        puts_(&l, "[");
        json_of(&l, k_grid, false, true);
        puts_(&l, ",\n");
        json_of(&l, k_grid2, true, false);
        puts_(&l, "]");
        READ_EXPECT("json list of two objects", &l, "x.json", &o, 3, 4, 2, k_mean2);
        bfree(&b);
        bfree(&l);
    }
}

static void test_dtypes(void)
{
    hv_read_opts o = {0};
    const double ints[6] = {0, 1, 2, 100, 7, 127};
    const double sints[6] = {0, -1, 2, -100, 7, -128};
    const double bools[6] = {0, 1, 1, 0, 1, 0};
    int dims[2] = {2, 3};
    const char *u[] = {"|u1", "<u2", ">u2", "<u4", ">u4", "<u8", ">u8", "<u1"};
    const char *s[] = {"|i1", "<i2", ">i2", "<i4", ">i4", "<i8", ">i8", ">i1"};
    for (int i = 0; i < 8; i++) {
        bytes b = {0};
        make_npy(&b, 1, u[i], i % 2 == 1, 2, dims, ints);
        READ_EXPECT(u[i], &b, "x.npy", &o, 2, 3, 1, ints);
        bfree(&b);
        make_npy(&b, 2, s[i], false, 2, dims, sints);
        READ_EXPECT(s[i], &b, "x.npy", &o, 2, 3, 1, sints);
        bfree(&b);
    }
    bytes b = {0};
    make_npy(&b, 1, "|b1", false, 2, dims, bools);
    READ_EXPECT("|b1", &b, "x.npy", &o, 2, 3, 1, bools);
    bfree(&b);
    /* every nonzero byte of a bool is true */
    make_npy(&b, 1, "|u1", false, 2, dims, ints);
    memcpy(b.d + 8 + 2 + 11, "|b1", 3);
    READ_EXPECT("bool bytes > 1", &b, "x.npy", &o, 2, 3, 1, ((const double[]){0, 1, 1, 1, 1, 1}));
    bfree(&b);
    /* wide integers keep their value */
    const double wide[2] = {-1099511627776.0, 4294967296.0};
    int d2[2] = {1, 2};
    make_npy(&b, 1, ">i8", false, 2, d2, wide);
    READ_EXPECT(">i8 wide", &b, "x.npy", &o, 1, 2, 1, wide);
    bfree(&b);
    /* float16 subnormals and the largest value */
    const double halfs[3] = {5.960464477539063e-08, -6.097555160522461e-05, 65504};
    int d3[2] = {1, 3};
    make_npy(&b, 1, "<f2", false, 2, d3, halfs);
    READ_EXPECT("float16 subnormal and max", &b, "x.npy", &o, 1, 3, 1, halfs);
    bfree(&b);
    /* safetensors integer dtypes */
    st_tensor t = {"t", "I32", 2, {2, 3, 0}, sints};
    make_st(&b, 1, &t, NULL);
    READ_EXPECT("safetensors I32", &b, "x.safetensors", &o, 2, 3, 1, sints);
    bfree(&b);
    t = (st_tensor){"t", "U8", 2, {2, 3, 0}, ints};
    make_st(&b, 1, &t, NULL);
    READ_EXPECT("safetensors U8", &b, "x.safetensors", &o, 2, 3, 1, ints);
    bfree(&b);
}

/* --- malformed files: the exact messages ---------------------------------- */

/* An npy with a hand-written header dict (padded to 64 bytes) and data. */
static void npy_with_header(bytes *o, const char *dict, size_t data_len)
{
    size_t hlen = strlen(dict) + 1;
    while ((10 + hlen) % 64)
        hlen++;
    put(o, "\x93NUMPY\x01\x00", 8);
    put_uint(o, hlen, 2, false);
    puts_(o, dict);
    for (size_t i = strlen(dict); i + 1 < hlen; i++)
        puts_(o, " ");
    puts_(o, "\n");
    for (size_t i = 0; i < data_len; i++)
        put(o, "\0", 1);
}

static void npy_error(const char *dict, size_t data_len, const char *msg, const char *file,
                      int line)
{
    bytes b = {0};
    npy_with_header(&b, dict, data_len);
    expect_error(&b, "runs/x.npy", NULL, msg, file, line);
    bfree(&b);
}
#define NPY_ERROR(dict, data_len, msg) npy_error((dict), (data_len), (msg), __FILE__, __LINE__)

static void test_npy_errors(void)
{
    bytes b = {0};
    puts_(&b, "\x93NUMPX\x01\x00");
    EXPECT_ERROR(&b, "runs/x.npy", NULL,
                 "runs/x.npy: byte 0: not a .npy file (it does not start with \\x93NUMPY)");
    bfree(&b);
    put(&b, "\x93NUMPY\x04\x00\x10\x00{}", 12);
    EXPECT_ERROR(&b, "runs/x.npy", NULL,
                 "runs/x.npy: byte 6: .npy format version 4.0 is not supported (1.0, 2.0 or 3.0)");
    bfree(&b);
    put(&b, "\x93NUMPY\x01\x00\xe8\x03{'descr': '<f4'}", 26);
    EXPECT_ERROR(&b, "runs/x.npy", NULL,
                 "runs/x.npy: byte 8: header length 1000 goes past the end of the file (26 bytes)");
    bfree(&b);

    NPY_ERROR("{'fortran_order': False, 'shape': (3, 4), }", 48,
              "runs/x.npy: byte 10: header: expected 'descr', got \"{'fortran_order': False, "
              "'shape': (3, 4), }\"");
    NPY_ERROR("['descr', '<f4']", 48,
              "runs/x.npy: byte 10: header: expected a dictionary '{', got \"['descr', '<f4']\"");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), 'foo': 1}", 48,
              "runs/x.npy: byte 68: header: unexpected key \"foo\" (expected 'descr', "
              "'fortran_order' and 'shape')");
    NPY_ERROR("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (3, 4)}", 48,
              "runs/x.npy: byte 27: header: 'descr' given twice");
    NPY_ERROR("{'descr': '<c8', 'fortran_order': False, 'shape': (3, 4), }", 96,
              "runs/x.npy: byte 20: header: dtype \"<c8\" is not supported (expected float f2 f4 "
              "f8, integer i1..i8 u1..u8 or bool b1, e.g. '<f4')");
    NPY_ERROR("{'descr': '|f4', 'fortran_order': False, 'shape': (3, 4), }", 48,
              "runs/x.npy: byte 20: header: dtype \"|f4\": byte order '|' on a 4-byte type "
              "(expected '<' or '>')");
    NPY_ERROR("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (3, 4), }", 48,
              "runs/x.npy: byte 20: header: 'descr': a structured dtype (a list of fields) is not "
              "supported; save a plain float array");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': 0, 'shape': (3, 4), }", 48,
              "runs/x.npy: byte 44: header: expected True or False for 'fortran_order', got "
              "\"0, 'shape': (3, 4), ...\"");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': [3, 4], }", 48,
              "runs/x.npy: byte 60: header: expected a shape tuple like (32, 32), got \"[3, 4], "
              "}\"");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (3, x), }", 48,
              "runs/x.npy: byte 64: header: expected a dimension or ')', got \"x), }\"");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (12,), }", 48,
              "runs/x.npy: byte 10: header: shape (12,) has 1 dimension; expected (layers, heads) "
              "or (samples, layers, heads)");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4,
              "runs/x.npy: byte 10: header: shape () has 0 dimensions; expected (layers, heads) "
              "or (samples, layers, heads)");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (200000, 4), }", 0,
              "runs/x.npy: byte 10: header: shape (200000, 4): more than 100000 layers");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (5000, 5000), }", 0,
              "runs/x.npy: byte 10: header: shape (5000, 5000): 5000 x 5000 = 25000000 heads, more "
              "than the limit of 1048576 (2^20) heads in a grid");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (4096, 4096), }", 0,
              "runs/x.npy: byte 10: header: shape (4096, 4096): 4096 x 4096 = 16777216 heads, more "
              "than the limit of 1048576 (2^20) heads in a grid");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (1024, 1025), }", 0,
              "runs/x.npy: byte 10: header: shape (1024, 1025): 1024 x 1025 = 1049600 heads, more "
              "than the limit of 1048576 (2^20) heads in a grid");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 4096, 64), }", 0,
              "runs/x.npy: byte 10: header: shape (1000, 4096, 64): more than 134217728 values "
              "over all samples");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", 0,
              "runs/x.npy: byte 10: header: shape (0, 4): no layers");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", 40,
              "runs/x.npy: byte 128: the data is 40 bytes, but shape (3, 4) of '<f4' needs 48 (is "
              "the file truncated?)");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", 52,
              "runs/x.npy: byte 176: 4 bytes after the data of shape (3, 4) of '<f4' (several "
              "arrays in one file?)");
    NPY_ERROR("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), } x", 48,
              "runs/x.npy: byte 70: header: expected only spaces after the dictionary, got "
              "\"x\"");
    /* infinities: index in the array's own axes, byte offset in the file */
    double g[12];
    memcpy(g, k_grid, sizeof g);
    g[2] = INFINITY;
    make_npy(&b, 1, "<f4", false, 2, k_dims2, g);
    EXPECT_ERROR(&b, "runs/x.npy", NULL, "runs/x.npy: byte 136: value [0, 2] is infinite");
    bfree(&b);
    make_npy(&b, 1, ">f2", true, 2, k_dims2, g); /* Fortran: [0, 2] is element 6 */
    EXPECT_ERROR(&b, "runs/x.npy", NULL, "runs/x.npy: byte 140: value [0, 2] is infinite");
    bfree(&b);
    double g3[24];
    memcpy(g3, k_grid, sizeof k_grid);
    memcpy(g3 + 12, k_grid2, sizeof k_grid2);
    g3[12 + 4 + 2] = -INFINITY;
    make_npy(&b, 1, "<f8", false, 3, (const int[]){2, 3, 4}, g3);
    EXPECT_ERROR(&b, "runs/x.npy", NULL, "runs/x.npy: byte 272: value [1, 1, 2] is infinite");
    bfree(&b);
}

/* Little-endian u16/u32 at p. */
static void poke16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v & 255);
    p[1] = (unsigned char)(v >> 8);
}

static void poke32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Offset of the (only) central directory entry of a one-member zip. */
static size_t central_entry(const bytes *z)
{
    for (size_t i = z->n - 4; i > 0; i--)
        if (memcmp(z->d + i, "PK\x01\x02", 4) == 0)
            return i;
    return 0;
}

/* Issue 15: a member is read up to where its .npy header says the data
 * ends, never inflated in full first; what libzip refuses is said in plain
 * words, naming the member. */
static void test_npz_hostile(void)
{
    static const int d48[2] = {4, 8};
    double v32[32];
    for (int i = 0; i < 32; i++)
        v32[i] = i * 0.5;
    bytes a = {0}, z = {0};
    const char *names[1] = {"a.npy"};
    /* a (4, 8) header and 4 MiB of zeros after its 128 bytes of data */
    make_npy(&a, 1, "<f4", false, 2, d48, v32);
    CHECK_INT((long)a.n, 256);
    size_t tail = (size_t)4 << 20;
    unsigned char *zeros = calloc(tail, 1);
    put(&a, zeros, tail);
    free(zeros);
    for (int deflate = 0; deflate < 2; deflate++) {
        CHECK(make_zip(&z, 1, names, &a, deflate));
        EXPECT_ERROR(&z, "x.npz", NULL,
                     "x.npz: member \"a\": byte 256: the member goes on after the data of shape "
                     "(4, 8) of '<f4' (its header says the data ends here)");
        /* the same, its zip entry claiming 100 bytes */
        if (deflate) {
            size_t cd = central_entry(&z);
            CHECK(cd > 0);
            poke32(z.d + 22, 100);
            poke32(z.d + cd + 24, 100);
            EXPECT_ERROR(&z, "x.npz", NULL,
                         "x.npz: member \"a\": byte 256: the member goes on after the data of "
                         "shape (4, 8) of '<f4' (its header says the data ends here)");
        }
        bfree(&z);
    }
    bfree(&a);
    /* cut short inside the data of a deflated member */
    make_npy(&a, 1, "<f4", false, 2, d48, v32);
    a.n -= 8;
    CHECK(make_zip(&z, 1, names, &a, true));
    EXPECT_ERROR(&z, "x.npz", NULL,
                 "x.npz: member \"a\": byte 128: the data is 120 bytes, but shape (4, 8) of "
                 "'<f4' needs 128 (is the file truncated?)");
    bfree(&z);
    bfree(&a);
    /* a stored member claiming 4 GB */
    make_npy(&a, 1, "<f4", false, 2, d48, v32);
    CHECK(make_zip(&z, 1, names, &a, false));
    size_t cd = central_entry(&z);
    CHECK(cd > 0);
    poke32(z.d + 18, 0xFFFFFFF0u);
    poke32(z.d + 22, 0xFFFFFFF0u);
    poke32(z.d + cd + 20, 0xFFFFFFF0u);
    poke32(z.d + cd + 24, 0xFFFFFFF0u);
    char want[400];
    snprintf(want, sizeof want,
             "x.npz: member \"a\": the zip's directory says the member holds 4294967280 stored "
             "bytes, more than the whole file (%zu bytes): the archive is cut short or damaged",
             z.n);
    EXPECT_ERROR(&z, "x.npz", NULL, want);
    bfree(&z);
    /* compression method 99 (WinZip AES) */
    CHECK(make_zip(&z, 1, names, &a, true));
    cd = central_entry(&z);
    poke16(z.d + 8, 99);
    poke16(z.d + cd + 10, 99);
    EXPECT_ERROR(&z, "x.npz", NULL,
                 "x.npz: member \"a\" uses compression method 99 (WinZip AES encryption); .npz "
                 "members are stored or deflated (libzip: Zip archive inconsistent)");
    bfree(&z);
    /* a damaged deflate stream */
    CHECK(make_zip(&z, 1, names, &a, true));
    z.d[30 + 5 + 2] ^= 0xff; /* inside the compressed data, after the local header and name */
    hv_grid g;
    hv_error e;
    CHECK(!hv_read_scores(z.d, z.n, "x.npz", NULL, &g, &e));
    CHECK_STR(e.msg, "x.npz: member \"a\": byte 0: the compressed data is damaged and cannot be "
                     "inflated (libzip: Zlib error: data error)");
    bfree(&z);
    bfree(&a);
}

/* Issue 15: a sparse JSON is refused at the key that takes its grid past
 * 2^20 heads (never allocated first); a byte JSON does not allow before a
 * value is an error at that byte; an infinity names its own key. */
static void test_json_limits(void)
{
    EXPECT_ERROR_S("{\"4095-4095\": 1}", "x.json", NULL,
                   "x.json: key \"4095-4095\": layer 4095, head 4095 make the grid 4096 x 4096 = "
                   "16777216 heads, more than the limit of 1048576 (2^20) heads in a grid");
    EXPECT_ERROR_S("{\"0-0\": 1}\n{\"L1023H1\": 2}\n{\"0-1024\": 3}\n", "x.jsonl", NULL,
                   "x.jsonl:3: key \"0-1024\": layer 0, head 1024 make the grid 1024 x 1025 = "
                   "1049600 heads, more than the limit of 1048576 (2^20) heads in a grid");
    EXPECT_ERROR_S("[{\"10-0\": 1}, {\"0-99999\": 1}]", "x.json", NULL,
                   "x.json: [1]: key \"0-99999\": layer 0, head 99999 make the grid 11 x 100000 = "
                   "1100000 heads, more than the limit of 1048576 (2^20) heads in a grid");
    hv_grid g;
    hv_error e;
    CHECK(rds("{\"1023-1023\": 1}", "x.json", NULL, &g, &e));
    CHECK_INT(g.layers, 1024);
    CHECK_INT(g.heads, 1024);
    CHECK(isnan(g.v[0]) && g.v[1024 * 1024 - 1] == 1);
    hv_grid_free(&g);
    /* 128 samples of the largest grid are the 2^27 values allowed; 129 are not */
    bytes b = {0};
    for (int i = 0; i < 129; i++)
        puts_(&b, "{\"1023-1023\": 1}\n");
    EXPECT_ERROR(&b, "x.jsonl", NULL,
                 "x.jsonl:129: 129 samples of 1024 x 1024 heads are more than the limit of "
                 "134217728 values");
    bfree(&b);
    puts_(&b, "{\"0-0\": [");
    for (int i = 0; i < 129; i++)
        puts_(&b, i ? ", 1" : "1");
    puts_(&b, "], \"0-1\": [1], \"1023-1023\": null}");
    EXPECT_ERROR(&b, "x.json", NULL,
                 "x.json: key \"1023-1023\": 129 samples of 1024 x 1024 heads are more than the "
                 "limit of 134217728 values");
    bfree(&b);
    /* a control byte where a value starts (cJSON took it for a space) */
    EXPECT_ERROR_S("{\"0-0\": \x01 1}", "x.json", NULL,
                   "x.json:1: byte 8: invalid JSON: expected a value, got \"\\x01 1}\"");
    EXPECT_ERROR_S("{\"0-0\": 1,\n \"0-1\":\x7f 2, \"0-2\": Infinity}", "x.json", NULL,
                   "x.json:2: byte 18: invalid JSON: expected a value, got \"\\x7f 2, \\\"0-2\\\": "
                   "Infi...\"");
    EXPECT_ERROR_S("{\"0-0\": 1}\n{\"0-1\": \x1f 2, \"0-2\": Infinity}\n", "x.jsonl", NULL,
                   "x.jsonl:2: byte 19: invalid JSON: expected a value, got \"\\x1f 2, \\\"0-2\\\": "
                   "Infi...\"");
    /* an infinity names its key, whatever numbers, strings or escapes come first */
    EXPECT_ERROR_S("{\"0-0\": [1, -2e3, NaN], \"0\\u002d1\": -0.5, \"0-2\": null, \"0-3\": [1, "
                   "Infinity]}", "x.json", NULL,
                   "x.json: key \"0-3\"[1]: Infinity is not a score (infinite)");
    EXPECT_ERROR_S("[{\"0-0\": 1, \"0-1\": 2}, {\"0-1\": NaN, \"0-0\": -Infinity}]", "x.json", NULL,
                   "x.json: [1]: key \"0-0\": -Infinity is not a score (infinite)");
    /* a file name with a control byte is quoted: the message stays one line */
    EXPECT_ERROR_S("{\"0-x\": 1}", "runs/a\nb.json", NULL,
                   "\"runs/a\\x0ab.json\": key \"0-x\": expected \"LAYER-HEAD\" or \"L14H7\"");
    /* an escaped key is the key it spells */
    CHECK(rds("{\"\\u0031-\\u0032\": 5}", "x.json", NULL, &g, &e));
    CHECK_INT(g.layers, 2);
    CHECK_INT(g.heads, 3);
    CHECK(g.v[5] == 5);
    hv_grid_free(&g);
}

/* The JSON reader reduces as it reads; it must give, bit for bit, what the
 * shared reducer gives on the same dense samples, every way, with ties. */
static void test_json_reduce_same(void)
{
    enum { S = 7, L = 5, H = 6 };
    double v[S * L * H];
    unsigned x = 99;
    for (int i = 0; i < S * L * H; i++) {
        x = x * 1103515245u + 12345u;
        int r = (int)((x >> 16) % 9);
        v[i] = r == 0 ? NAN : (r - 4) * 0.75 + (r == 8 ? 1e-3 * i : 0); /* ties, signs, holes */
    }
    for (int form = 0; form < 3; form++) {
        bytes b = {0};
        char num[40];
        if (form == 0) { /* {"l-h": [samples...]} */
            puts_(&b, "{");
            for (int c = 0; c < L * H; c++) {
                snprintf(num, sizeof num, "%s\"%d-%d\": [", c ? ", " : "", c / H, c % H);
                puts_(&b, num);
                for (int s = 0; s < S; s++) {
                    double y = v[s * L * H + c];
                    snprintf(num, sizeof num, "%s%.17g", s ? ", " : "", y);
                    puts_(&b, isnan(y) ? (s ? ", NaN" : "null") : num);
                }
                puts_(&b, "]");
            }
            puts_(&b, "}");
        } else { /* a list of objects, or JSON Lines */
            puts_(&b, form == 1 ? "[" : "");
            for (int s = 0; s < S; s++) {
                puts_(&b, s && form == 1 ? ", {" : "{");
                for (int c = 0; c < L * H; c++) {
                    double y = v[s * L * H + c];
                    snprintf(num, sizeof num, "%s\"L%dH%d\": ", c ? ", " : "", c / H, c % H);
                    puts_(&b, num);
                    snprintf(num, sizeof num, "%.17g", y);
                    puts_(&b, isnan(y) ? "null" : num);
                }
                puts_(&b, form == 1 ? "}" : "}\n");
            }
            puts_(&b, form == 1 ? "]" : "");
        }
        for (int mode = 0; mode <= HV_REDUCE_ABS_MEAN; mode++)
            for (int a = 0; a < 2; a++) {
                hv_read_opts o = {.reduce = (hv_reduce)mode, .count_top = 4, .count_abs = a};
                hv_grid want, got;
                hv_error e;
                CHECK(hv_reduce_samples(v, S, L, H, "r", &o, &want, &e));
                bool ok = hv_read_scores(b.d, b.n, form == 2 ? "x.jsonl" : "x.json", &o, &got, &e);
                check_context("form %d, %s%s", form, hv_reduce_name((hv_reduce)mode),
                              a ? " abs" : "");
                CHECK(ok);
                if (ok) {
                    CHECK_INT(got.layers, L);
                    CHECK_INT(got.heads, H);
                    CHECK_INT(got.samples, S);
                    int differ = 0;
                    for (int i = 0; i < L * H; i++)
                        differ += !(isnan(got.v[i]) ? isnan(want.v[i])
                                                    : memcmp(&got.v[i], &want.v[i], 8) == 0);
                    CHECK_INT(differ, 0);
                }
                check_context("%s", "");
                hv_grid_free(&got);
                hv_grid_free(&want);
            }
        bfree(&b);
    }
}

static void test_npz_errors(void)
{
    bytes a = {0}, c = {0}, z = {0}, bad = {0};
    make_npy(&a, 1, "<f4", false, 2, k_dims2, k_grid);
    make_npy(&c, 1, "<f4", false, 2, k_dims2, k_grid2);
    puts_(&bad, "not an npy");
    const char *names[3] = {"a.npy", "b.npy", "c"};
    bytes members[3] = {a, c, bad};
    CHECK(make_zip(&z, 3, names, members, true));
    hv_read_opts o = {.tensor = "foo"};
    EXPECT_ERROR(&z, "x.npz", &o, "x.npz: no member \"foo\" (members: a, b, c)");
    EXPECT_ERROR(&z, "x.npz", NULL, "x.npz: holds 3 arrays, name the one to read: a, b, c");
    o.tensor = "c";
    EXPECT_ERROR(&z, "x.npz", &o,
                 "x.npz: member \"c\": byte 0: not a .npy file (it does not start with "
                 "\\x93NUMPY)");
    o.tensor = "a.npy.npy";
    EXPECT_ERROR(&z, "x.npz", &o, "x.npz: no member \"a.npy.npy\" (members: a, b, c)");
    bfree(&z);
    /* a member's own errors name the member and a byte inside it */
    bytes trunc = {0};
    put(&trunc, a.d, a.n - 4);
    members[0] = trunc;
    CHECK(make_zip(&z, 1, names, members, false));
    EXPECT_ERROR(&z, "x.npz", NULL,
                 "x.npz: member \"a\": byte 128: the data is 44 bytes, but shape (3, 4) of '<f4' "
                 "needs 48 (is the file truncated?)");
    bfree(&z);
    EXPECT_ERROR(&z, "x.npz", NULL, "x.npz: the file is empty");
    puts_(&z, "PK\x05\x06");
    EXPECT_ERROR(&z, "x.npz", NULL, "x.npz: not a readable .npz (zip) file: Not a zip archive");
    bfree(&z);
    /* an empty archive (only the end record) */
    put(&z, "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 22);
    EXPECT_ERROR(&z, "x.npz", NULL, "x.npz: the archive holds no arrays");
    bfree(&z);
    bfree(&a);
    bfree(&c);
    bfree(&bad);
    bfree(&trunc);
}

static void test_json_errors(void)
{
    EXPECT_ERROR_S("{\"14-7\": 0.5, \"14-x\": 1}", "scores.json", NULL,
                   "scores.json: key \"14-x\": expected \"LAYER-HEAD\" or \"L14H7\"");
    EXPECT_ERROR_S("{\"L14\": 1}", "scores.json", NULL,
                   "scores.json: key \"L14\": expected \"LAYER-HEAD\" or \"L14H7\"");
    EXPECT_ERROR_S("{\"14-7 \": 1}", "scores.json", NULL,
                   "scores.json: key \"14-7 \": expected \"LAYER-HEAD\" or \"L14H7\"");
    EXPECT_ERROR_S("{\"1-2\": Infinity}", "scores.json", NULL,
                   "scores.json: key \"1-2\": Infinity is not a score (infinite)");
    EXPECT_ERROR_S("{\"0-0\": [1, NaN], \"1-2\": [1, -Infinity]}", "scores.json", NULL,
                   "scores.json: key \"1-2\"[1]: -Infinity is not a score (infinite)");
    EXPECT_ERROR_S("{\"0-0\": 1e999}", "scores.json", NULL,
                   "scores.json: key \"0-0\": value is infinite (too large for a double)");
    EXPECT_ERROR_S("{\"0-0\": \"0.5\"}", "scores.json", NULL,
                   "scores.json: key \"0-0\": expected a number, a list of numbers or null, got a "
                   "string");
    EXPECT_ERROR_S("{\"0-0\": [[1]]}", "scores.json", NULL,
                   "scores.json: key \"0-0\"[0]: expected a number or null, got a list");
    EXPECT_ERROR_S("{\"0-0\": 1,\n \"0-1\": 2,}", "scores.json", NULL,
                   "scores.json:2: byte 21: invalid JSON: expected a key in double quotes, got \"}\"");
    EXPECT_ERROR_S("{\"0-0\": NaNa}", "scores.json", NULL,
                   "scores.json:1: byte 8: invalid JSON: expected a value, got \"NaNa}\"");
    EXPECT_ERROR_S("{\"0-0\": 1", "scores.json", NULL,
                   "scores.json:1: byte 9: invalid JSON: expected ',' or '}' at the end of the file");
    EXPECT_ERROR_S("{\"14-7\": 1, \"L14H7\": 2}", "scores.json", NULL,
                   "scores.json: key \"L14H7\": layer 14 head 7 given twice (also as \"14-7\")");
    EXPECT_ERROR_S("3", "scores.json", NULL,
                   "scores.json: expected an object {\"LAYER-HEAD\": score, ...} or a list of "
                   "them, got a number");
    EXPECT_ERROR_S(" \n", "scores.json", NULL, "scores.json: the file is empty (no JSON value)");
    EXPECT_ERROR_S("{}", "scores.json", NULL, "scores.json: no scores (no \"LAYER-HEAD\" keys)");
    EXPECT_ERROR_S("{\"100000-0\": 1}", "scores.json", NULL,
                   "scores.json: key \"100000-0\": layer 100000 is more than 99999");
    EXPECT_ERROR_S("{\"L0H123456789012\": 1}", "scores.json", NULL,
                   "scores.json: key \"L0H123456789012\": head 123456789012 is more than 99999");
    EXPECT_ERROR_S("{\"4096-4096\": 1}", "scores.json", NULL,
                   "scores.json: key \"4096-4096\": layer 4096, head 4096 make the grid 4097 x "
                   "4097 = 16785409 heads, more than the limit of 1048576 (2^20) heads in a grid");
    EXPECT_ERROR_S("{\"0-0\": 1}\n{\"0-1\": 2}\n", "scores.json", NULL,
                   "scores.json:2: byte 11: a second JSON object: for one object per line (JSON "
                   "Lines), use the jsonl format");
    EXPECT_ERROR_S("[{\"0-0\": 1}, 3]", "scores.json", NULL,
                   "scores.json: [1]: expected an object {\"LAYER-HEAD\": score, ...}, got a "
                   "number");
    EXPECT_ERROR_S("[{\"0-0\": 1}, {\"0-x\": 3}]", "scores.json", NULL,
                   "scores.json: [1]: key \"0-x\": expected \"LAYER-HEAD\" or \"L14H7\"");
    EXPECT_ERROR_S("[{\"0-0\": [1]}]", "scores.json", NULL,
                   "scores.json: [0]: key \"0-0\": expected a number or null, got a list");
    EXPECT_ERROR_S("{\"\\u00e9\\n\": 1}", "scores.json", NULL,
                   "scores.json: key \"\\xc3\\xa9\\x0a\": expected \"LAYER-HEAD\" or \"L14H7\"");
    bytes b = {0};
    put(&b, "{\"0-0\":\0 1}", 11);
    EXPECT_ERROR(&b, "scores.json", NULL, "scores.json:1: byte 7: a NUL byte: not a JSON text file");
    bfree(&b);

    EXPECT_ERROR_S("{\"0-0\": 1}\n{\"0-1\": 2}\n{\"0-2\": 3,,}\n", "s.jsonl", NULL,
                   "s.jsonl:3: byte 32: invalid JSON: expected a key in double quotes, got \",}\"");
    EXPECT_ERROR_S("{\"0-0\": 1}\n\n{\"x\": 2}\n", "s.jsonl", NULL,
                   "s.jsonl:3: key \"x\": expected \"LAYER-HEAD\" or \"L14H7\"");
    EXPECT_ERROR_S("{\"0-0\": [1]}\n", "s.jsonl", NULL,
                   "s.jsonl:1: key \"0-0\": expected a number or null, got a list");
    EXPECT_ERROR_S("{\"0-0\": 1}\n[1, 2]\n", "s.jsonl", NULL,
                   "s.jsonl:2: expected an object {\"LAYER-HEAD\": score, ...}, got a list");
    EXPECT_ERROR_S("{\"0-0\": NaN}\n{\"0-1\": Infinity}\n", "s.jsonl", NULL,
                   "s.jsonl:2: key \"0-1\": Infinity is not a score (infinite)");
    EXPECT_ERROR_S("{\"0-0\": 1}\n{\"0-0\": 1, \"L0H0\": 2}\n", "s.jsonl", NULL,
                   "s.jsonl:2: key \"L0H0\": layer 0 head 0 given twice (also as \"0-0\")");
    EXPECT_ERROR_S("{\"0-0\": 1} {\"0-1\": 1}\n", "s.jsonl", NULL,
                   "s.jsonl:1: byte 11: invalid JSON: unexpected text after the JSON value at "
                   "\"{\\\"0-1\\\": 1}\"");
    EXPECT_ERROR_S("\n\n{}\n", "s.jsonl", NULL, "s.jsonl: no scores (no \"LAYER-HEAD\" keys)");
    EXPECT_ERROR_S("", "s.jsonl", NULL, "s.jsonl: the file is empty (no JSON lines)");
}

static void test_text_errors(void)
{
    EXPECT_ERROR_S("# grid\n\n1 2 3 4 5 6 7 8\n1 2 3 4 5 6 7 8\n# more\n\n1 2 3 4 5 6 7\n",
                   "grid.txt", NULL, "grid.txt:7: expected 8 values like line 3, got 7");
    EXPECT_ERROR_S("1 2 3\n1 2 abc\n", "grid.txt", NULL,
                   "grid.txt:2: value 3: expected a number, got \"abc\"");
    EXPECT_ERROR_S("1 2 3\n1 -inf 3\n", "grid.txt", NULL,
                   "grid.txt:2: value 2 is infinite (\"-inf\")");
    EXPECT_ERROR_S("1 1e999\n", "grid.txt", NULL,
                   "grid.txt:1: value 2 is infinite (\"1e999\" is too large for a double)");
    EXPECT_ERROR_S("1,,3\n", "grid.txt", NULL,
                   "grid.txt:1: value 2 is empty (two commas in a row, or one at the end)");
    EXPECT_ERROR_S("1,2,\n", "grid.txt", NULL,
                   "grid.txt:1: value 3 is empty (two commas in a row, or one at the end)");
    EXPECT_ERROR_S(",1,2\n", "grid.txt", NULL,
                   "grid.txt:1: value 1 is empty (a comma before the first value)");
    EXPECT_ERROR_S("0x10 1\n", "grid.txt", NULL,
                   "grid.txt:1: value 1: expected a number, got \"0x10\"");
    EXPECT_ERROR_S("# only a comment\n\n", "grid.txt", NULL,
                   "grid.txt: no values (the file is empty or holds only comments)");
    EXPECT_ERROR_S("1 2\n3\n", "grid.txt", NULL, "grid.txt:2: expected 2 values like line 1, got 1");
    bytes b = {0};
    puts_(&b, "1 ");
    for (int i = 0; i < 100000; i++)
        puts_(&b, "1 ");
    EXPECT_ERROR(&b, "grid.txt", NULL, "grid.txt:1: more than 100000 values in a row (heads)");
    bfree(&b);
    EXPECT_ERROR_S("model,condition,layer,head,score\nA,B,1,2,3\n", "heads.csv", NULL,
                   "heads.csv: a CSV file is a top-k table (model,condition,layer,head,score), "
                   "not a grid of scores");
}

static void test_safetensors_errors(void)
{
    bytes b = {0};
    put_uint(&b, 999999, 8, false);
    puts_(&b, "{\"a\":{}}");
    for (int i = 0; i < 1218; i++)
        put(&b, "\0", 1);
    EXPECT_ERROR(&b, "w.safetensors", NULL,
                 "w.safetensors: byte 8: header length 999999 goes past the end of the file (1234 "
                 "bytes)");
    bfree(&b);
    put(&b, "\x02\0\0\0\0", 5);
    EXPECT_ERROR(&b, "w.safetensors", NULL,
                 "w.safetensors: byte 0: 5 bytes is too short for a safetensors file (it starts "
                 "with an 8-byte header length)");
    bfree(&b);

#define ST_ERROR(header, data_len, msg)           \
    do {                                          \
        bytes b_ = {0};                           \
        make_st_raw(&b_, (header), (data_len));   \
        EXPECT_ERROR(&b_, "w.safetensors", NULL, (msg)); \
        bfree(&b_);                               \
    } while (0)
#define F32(name, b, e) "\"" name "\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[" #b "," #e "]}"

    ST_ERROR("", 0, "w.safetensors: byte 8: the header is empty (length 0)");
    ST_ERROR("{\"a\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]},}", 48,
             "w.safetensors: byte 65: header: invalid JSON: expected a key in double quotes, got \"}\"");
    ST_ERROR("[1]", 0, "w.safetensors: byte 8: header: expected a JSON object, got a list");
    ST_ERROR("{" F32("a", 0, 96) "}", 48,
             "w.safetensors: tensor \"a\": data_offsets [0, 96] go past the end of the data (48 "
             "bytes after the header)");
    ST_ERROR("{" F32("a", 0, 40) "}", 40,
             "w.safetensors: tensor \"a\": shape [3, 4] of F32 needs 48 bytes, but data_offsets "
             "[0, 40] hold 40");
    ST_ERROR("{" F32("a", 48, 0) "}", 48,
             "w.safetensors: tensor \"a\": data_offsets [48, 0] end before they begin");
    ST_ERROR("{" F32("a", 0, 48) "," F32("b", 32, 80) "}", 80,
             "w.safetensors: tensor \"b\": data_offsets [32, 80] overlap tensor \"a\" [0, 48]");
    ST_ERROR("{" F32("b", 56, 104) "," F32("a", 0, 48) "}", 104,
             "w.safetensors: byte 171: bytes 48..56 of the data belong to no tensor (a gap before "
             "tensor \"b\")");
    ST_ERROR("{" F32("a", 0, 48) "}", 56,
             "w.safetensors: byte 113: the last 8 bytes of the data belong to no tensor");
    ST_ERROR("{" F32("a", 0, 48) "," F32("a", 48, 96) "}", 96,
             "w.safetensors: tensor \"a\" appears twice in the header");
    ST_ERROR("{\"a\":{\"dtype\":\"F32\",\"shape\":[12],\"data_offsets\":[0,48]}}", 48,
             "w.safetensors: tensor \"a\": shape [12] has 1 dimension; expected [layers, heads] "
             "or [samples, layers, heads]");
    ST_ERROR("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[3,4],\"data_offsets\":[0,12]}}", 12,
             "w.safetensors: tensor \"a\": dtype \"F8_E4M3\" is not supported (F16, BF16, F32, F64, "
             "I8..I64, U8..U64, BOOL)");
    ST_ERROR("{\"a\":{\"dtype\":\"F32\",\"shape\":[3,-4],\"data_offsets\":[0,48]}}", 48,
             "w.safetensors: tensor \"a\": \"shape\": expected whole numbers, got a number");
    ST_ERROR("{\"a\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0]}}", 48,
             "w.safetensors: tensor \"a\": \"data_offsets\": expected [begin, end] (whole "
             "numbers), got a list");
    ST_ERROR("{\"a\":{\"dtype\":32,\"shape\":[3,4],\"data_offsets\":[0,48]}}", 48,
             "w.safetensors: tensor \"a\": \"dtype\": expected a string like \"F32\", got a "
             "number");
    ST_ERROR("{\"a\":[1]}", 0,
             "w.safetensors: tensor \"a\": expected an object {\"dtype\", \"shape\", "
             "\"data_offsets\"}, got a list");
    ST_ERROR("{\"a\":{\"dtype\":\"F32\",\"shape\":[200000,4],\"data_offsets\":[0,3200000]}}",
             3200000, "w.safetensors: tensor \"a\": shape [200000, 4]: more than 100000 layers");
    ST_ERROR("{\"__metadata__\":{\"x\":\"y\"}}", 0, "w.safetensors: the file holds no tensors");
    ST_ERROR("{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}",
             8, "w.safetensors: tensor \"a\": shape [4294967296, 4294967296] of F64 needs more "
                "than 18446744073709551615 bytes, but data_offsets [0, 8] hold 8");

    st_tensor ts[2] = {{"b", "F32", 2, {3, 4, 0}, k_grid2}, {"a", "F16", 2, {3, 4, 0}, k_grid}};
    make_st(&b, 2, ts, NULL);
    hv_read_opts o = {.tensor = "foo"};
    EXPECT_ERROR(&b, "w.safetensors", &o, "w.safetensors: no tensor \"foo\" (tensors: a, b)");
    EXPECT_ERROR(&b, "w.safetensors", NULL,
                 "w.safetensors: holds 2 tensors, name the one to read: a, b");
    bfree(&b);
    double g[12];
    memcpy(g, k_grid, sizeof g);
    g[6] = INFINITY;
    ts[1].vals = g;
    make_st(&b, 2, ts, NULL);
    o.tensor = "a";
    size_t hl = (size_t)b.d[0] | (size_t)b.d[1] << 8;
    char msg[128];
    snprintf(msg, sizeof msg, "w.safetensors: byte %zu: value [1, 2] is infinite",
             8 + hl + 48 + 6 * 2);
    EXPECT_ERROR(&b, "w.safetensors", &o, msg);
    bfree(&b);
#undef ST_ERROR
#undef F32
}

/* --- truncation: every prefix of a valid file fails cleanly ---------------- */

static void truncations(const char *what, const bytes *b, const char *name, const hv_read_opts *o,
                        bool every_prefix_fails)
{
    int wrong = 0;
    size_t nlen = strlen(name);
    for (size_t cut = 0; cut < b->n; cut++) {
        unsigned char *copy = malloc(cut ? cut : 1); /* exact size: ASan sees overreads */
        memcpy(copy, b->d, cut);
        hv_grid g;
        hv_error e;
        memset(e.msg, 0, sizeof e.msg);
        bool ok = hv_read_scores(copy, cut, name, o, &g, &e);
        if (ok) {
            if (every_prefix_fails && wrong++ < 3)
                printf("  %s: a cut at byte %zu was read\n", what, cut);
        } else if (strncmp(e.msg, name, nlen) != 0 || strchr(e.msg, '\n')) {
            if (wrong++ < 3)
                printf("  %s: cut at %zu: odd message: %s\n", what, cut, e.msg);
        }
        hv_grid_free(&g);
        free(copy);
    }
    check_context("%s", what);
    CHECK_INT(wrong, 0);
    check_context("%s", "");
}

static void test_truncation(void)
{
    hv_read_opts o = {0};
    bytes b = {0};
    for (int major = 1; major <= 3; major++) {
        make_npy(&b, major, major == 2 ? ">f2" : "<f4", major == 3, 2, k_dims2, k_grid);
        truncations("npy", &b, "t.npy", &o, true);
        bfree(&b);
    }
    bytes a = {0};
    make_npy(&a, 1, "<f4", false, 2, k_dims2, k_grid);
    const char *names[1] = {"a.npy"};
    for (int deflate = 0; deflate < 2; deflate++) {
        CHECK(make_zip(&b, 1, names, &a, deflate));
        truncations(deflate ? "npz deflated" : "npz stored", &b, "t.npz", &o, true);
        bfree(&b);
    }
    bfree(&a);
    st_tensor ts[2] = {{"b", "F32", 2, {3, 4, 0}, k_grid2}, {"a", "BF16", 2, {3, 4, 0}, k_grid}};
    make_st(&b, 2, ts, "{\"k\":\"v\"}");
    hv_read_opts oa = {.tensor = "a"};
    truncations("safetensors", &b, "t.safetensors", &oa, true);
    bfree(&b);
    json_of(&b, k_grid, true, true);
    truncations("json", &b, "t.json", &o, true);
    bfree(&b);
    /* JSON Lines and text grids can be valid when cut at a line's end (or in
     * a number): only clean failures are required */
    json_of(&b, k_grid, false, true);
    puts_(&b, "\n");
    json_of(&b, k_grid2, true, false);
    truncations("jsonl", &b, "t.jsonl", &o, false);
    bfree(&b);
    puts_(&b, "# c\n0.5 -1.25 3 nan\n0,2.75,-0.5,8\n1\tnan\t0.125\t-3\n");
    truncations("text", &b, "t.txt", &o, false);
    bfree(&b);
}

/* --- the reducer ---------------------------------------------------------- */

static void reduce_expect(const char *what, const double *v, int s, int l, int h,
                          const hv_read_opts *o, const double *want, const char *file, int line)
{
    hv_grid g;
    hv_error e;
    memset(e.msg, 0, sizeof e.msg);
    bool ok = hv_reduce_samples(v, s, l, h, "r", o, &g, &e);
    check_context("%s", what);
    if (!check_true_(ok, "reduce succeeds", file, line))
        printf("  %s\n", e.msg);
    check_context("%s", "");
    if (ok)
        expect_grid(what, &g, l, h, s, want, file, line);
    hv_grid_free(&g);
}
#define REDUCE_EXPECT(what, v, s, l, h, o, want) \
    reduce_expect((what), (v), (s), (l), (h), (o), (want), __FILE__, __LINE__)

static void test_reduce(void)
{
    const double v[12] = {1, -2, NAN_, NAN_, /* sample 0 */
                          3, NAN_, NAN_, -1, /* sample 1 */
                          NAN_, 4, NAN_, 5}; /* sample 2 */
    hv_read_opts o = {0};
    REDUCE_EXPECT("mean", v, 3, 1, 4, &o, ((const double[]){2, 1, NAN_, 2}));
    o.reduce = HV_REDUCE_MAX;
    REDUCE_EXPECT("max", v, 3, 1, 4, &o, ((const double[]){3, 4, NAN_, 5}));
    o.reduce = HV_REDUCE_SUM;
    REDUCE_EXPECT("sum", v, 3, 1, 4, &o, ((const double[]){4, 2, NAN_, 4}));
    o.reduce = HV_REDUCE_ABS_MEAN;
    REDUCE_EXPECT("abs-mean", v, 3, 1, 4, &o, ((const double[]){2, 3, NAN_, 3}));
    /* max of only negative values */
    o.reduce = HV_REDUCE_MAX;
    REDUCE_EXPECT("max negative", ((const double[]){-3, -5}), 2, 1, 1, &o,
                  ((const double[]){-3}));

    /* count: 2 layers x 3 heads, top 2 per sample; ties go to the lower
     * layer, then the lower head; NaN is never ranked; a head absent from
     * every sample counts 0 too (issue 18: a count, not "no score") */
    const double c[18] = {
        5, 5, NAN_, 5, NAN_, 1,   /* s0: (0,0) (0,1) tie with (1,0): (0,0), (0,1) */
        1, 2, 3, 3, NAN_, NAN_,   /* s1: (0,2)=3 and (1,0)=3 */
        -9, 0, 0, 0, NAN_, 0,     /* s2: 0s tie: (0,1) (0,2); by |v|: (0,0), (0,1) */
    };
    hv_read_opts oc = {.reduce = HV_REDUCE_COUNT, .count_top = 2};
    REDUCE_EXPECT("count top 2", c, 3, 2, 3, &oc, ((const double[]){1, 2, 2, 1, 0, 0}));
    oc.count_abs = true;
    REDUCE_EXPECT("count top 2 by |v|", c, 3, 2, 3, &oc, ((const double[]){2, 2, 1, 1, 0, 0}));
    oc.count_abs = false;
    oc.count_top = 1;
    REDUCE_EXPECT("count top 1", c, 3, 2, 3, &oc, ((const double[]){1, 1, 1, 0, 0, 0}));
    oc.count_top = 100;
    REDUCE_EXPECT("count top 100: every present head", c, 3, 2, 3, &oc,
                  ((const double[]){3, 3, 2, 3, 0, 2}));
    /* default top 10 of 12 distinct values: all but the two lowest */
    double d[12];
    for (int i = 0; i < 12; i++)
        d[i] = (double)((i * 5) % 12); /* 0 5 10 3 8 1 6 11 4 9 2 7 */
    oc = (hv_read_opts){.reduce = HV_REDUCE_COUNT};
    REDUCE_EXPECT("count default top 10", d, 1, 3, 4, &oc,
                  ((const double[]){0, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}));
    /* tie across layers: (0,3) and (1,0) equal, top 1: the lower layer */
    oc.count_top = 1;
    REDUCE_EXPECT("count tie across layers", ((const double[]){0, 0, 0, 7, 7, 0}), 1, 2, 3, &oc,
                  ((const double[]){0, 0, 0, 1, 0, 0}));
    /* negative scores rank below zero; with count_abs above */
    REDUCE_EXPECT("count negative", ((const double[]){-8, 1, 0}), 1, 1, 3, &oc,
                  ((const double[]){0, 1, 0}));
    oc.count_abs = true;
    REDUCE_EXPECT("count negative by |v|", ((const double[]){-8, 1, 0}), 1, 1, 3, &oc,
                  ((const double[]){1, 0, 0}));

    /* the safety-head case: JSON Lines of each prompt's top heads, counted */
    const char *jl = "{\"L1H1\": 0.9, \"L2H0\": 0.5}\n"
                     "{\"L2H0\": 0.8, \"L0H1\": 0.1}\n"
                     "\n"
                     "{\"2-0\": 0.7, \"1-1\": 0.2}\n";
    hv_grid g;
    hv_error e;
    oc = (hv_read_opts){.reduce = HV_REDUCE_COUNT};
    CHECK(rds(jl, "p.jsonl", &oc, &g, &e));
    EXPECT_GRID("jsonl count", &g, 3, 2, 3, ((const double[]){0, 1, 0, 2, 3, 0}));
    hv_grid_free(&g);
    oc.count_top = 1;
    CHECK(rds(jl, "p.jsonl", &oc, &g, &e));
    EXPECT_GRID("jsonl count top 1", &g, 3, 2, 3, ((const double[]){0, 0, 0, 1, 2, 0}));
    hv_grid_free(&g);
    o = (hv_read_opts){.reduce = HV_REDUCE_MEAN};
    CHECK(rds(jl, "p.jsonl", &o, &g, &e));
    EXPECT_GRID("jsonl mean", &g, 3, 2, 3,
                ((const double[]){NAN_, 0.1, NAN_, (0.9 + 0.2) / 2, (0.5 + 0.8 + 0.7) / 3, NAN_}));
    hv_grid_free(&g);

    /* errors */
    CHECK(!hv_reduce_samples(((const double[]){1, INFINITY}), 2, 1, 1, "r", NULL, &g, &e));
    CHECK_STR(e.msg, "r: value [1, 0, 0] is infinite");
    CHECK(!hv_reduce_samples(((const double[]){1e308, 1e308}), 2, 1, 1, "r",
                             &(hv_read_opts){.reduce = HV_REDUCE_SUM}, &g, &e));
    CHECK_STR(e.msg, "r: layer 0, head 0: the sum of its samples is too large for a double");
    CHECK(!hv_reduce_samples(((const double[]){1e308, 1e308}), 2, 1, 1, "r", NULL, &g, &e));
    CHECK_STR(e.msg, "r: layer 0, head 0: the sum of its samples is too large for a double");
    CHECK(!hv_reduce_samples(d, 1, 3, 4, "r", &(hv_read_opts){.reduce = HV_REDUCE_COUNT,
                                                              .count_top = -1}, &g, &e));
    CHECK_STR(e.msg, "r: count: the number of top heads per sample must be 1 or more, got -1");
    CHECK(!hv_reduce_samples(d, 1, 0, 4, "r", NULL, &g, &e));
    CHECK_STR(e.msg, "r: shape [1, 0, 4]: no layers");
    CHECK(!hv_reduce_samples(d, 129, 1024, 1024, "r", NULL, &g, &e));
    CHECK_STR(e.msg, "r: shape [129, 1024, 1024]: more than 134217728 values over all samples");
    CHECK(!hv_reduce_samples(d, 1, 4096, 4096, "r", NULL, &g, &e));
    CHECK_STR(e.msg, "r: shape [1, 4096, 4096]: 4096 x 4096 = 16777216 heads, more than the limit "
                     "of 1048576 (2^20) heads in a grid");
    CHECK(g.v == NULL);
}

/* --- names and detection -------------------------------------------------- */

static void test_names(void)
{
    CHECK_INT(hv_format_parse("json"), HV_FMT_JSON);
    CHECK_INT(hv_format_parse("JSONL"), HV_FMT_JSONL);
    CHECK_INT(hv_format_parse("ndjson"), HV_FMT_JSONL);
    CHECK_INT(hv_format_parse("npy"), HV_FMT_NPY);
    CHECK_INT(hv_format_parse("npz"), HV_FMT_NPZ);
    CHECK_INT(hv_format_parse("text"), HV_FMT_TEXT);
    CHECK_INT(hv_format_parse("txt"), HV_FMT_TEXT);
    CHECK_INT(hv_format_parse("safetensors"), HV_FMT_SAFETENSORS);
    CHECK_INT(hv_format_parse("csv"), HV_FMT_CSV);
    CHECK_INT(hv_format_parse("auto"), HV_FMT_AUTO);
    CHECK_INT(hv_format_parse("pt"), -1);
    CHECK_INT(hv_format_parse(NULL), -1);
    for (int f = HV_FMT_AUTO; f <= HV_FMT_SAFETENSORS; f++)
        CHECK_INT(hv_format_parse(hv_format_name((hv_format)f)), f);
    CHECK_STR(hv_format_name((hv_format)99), "?");
    CHECK_INT(hv_reduce_parse("mean"), HV_REDUCE_MEAN);
    CHECK_INT(hv_reduce_parse("max"), HV_REDUCE_MAX);
    CHECK_INT(hv_reduce_parse("sum"), HV_REDUCE_SUM);
    CHECK_INT(hv_reduce_parse("count"), HV_REDUCE_COUNT);
    CHECK_INT(hv_reduce_parse("abs-mean"), HV_REDUCE_ABS_MEAN);
    CHECK_INT(hv_reduce_parse("abs_mean"), HV_REDUCE_ABS_MEAN);
    CHECK_INT(hv_reduce_parse("median"), -1);
    for (int r = HV_REDUCE_MEAN; r <= HV_REDUCE_ABS_MEAN; r++)
        CHECK_INT(hv_reduce_parse(hv_reduce_name((hv_reduce)r)), r);

#define DETECT(name, s) hv_format_detect((name), (const unsigned char *)(s), sizeof(s) - 1)
    CHECK_INT(DETECT("a/b.JSON", "x"), HV_FMT_JSON);
    CHECK_INT(DETECT("b.jsonl", ""), HV_FMT_JSONL);
    CHECK_INT(DETECT("b.ndjson", ""), HV_FMT_JSONL);
    CHECK_INT(DETECT("b.npy", ""), HV_FMT_NPY);
    CHECK_INT(DETECT("b.npz", ""), HV_FMT_NPZ);
    CHECK_INT(DETECT("b.txt", ""), HV_FMT_TEXT);
    CHECK_INT(DETECT("b.tsv", ""), HV_FMT_TEXT);
    CHECK_INT(DETECT("b.dat", ""), HV_FMT_TEXT);
    CHECK_INT(DETECT("b.safetensors", ""), HV_FMT_SAFETENSORS);
    CHECK_INT(DETECT("b.csv", "{}"), HV_FMT_CSV);
    CHECK_INT(DETECT("<stdin>", "\x93NUMPY\x01\x00"), HV_FMT_NPY);
    CHECK_INT(DETECT("x.bin", "PK\x03\x04...."), HV_FMT_NPZ);
    CHECK_INT(DETECT("x", "\x02\0\0\0\0\0\0\0{}"), HV_FMT_SAFETENSORS);
    CHECK_INT(DETECT("x", "\xEF\xBB\xBF {\"0-0\": 1}\n"), HV_FMT_JSON);
    CHECK_INT(DETECT("x", "{\n \"0-0\": 1,\n \"0-1\": 2\n}\n"), HV_FMT_JSON);
    CHECK_INT(DETECT("x", "[{\"0-0\": 1},\n{\"0-1\": 2}]"), HV_FMT_JSON);
    CHECK_INT(DETECT("x", "{\"0-0\": 1}\n\n{\"0-1\": 2}\n"), HV_FMT_JSONL);
    CHECK_INT(DETECT("x.d/y", "# c\nModel,Condition,Layer,Head,Score\n"), HV_FMT_CSV);
    CHECK_INT(DETECT("x", "1 2 3\n4 5 6\n"), HV_FMT_TEXT);
    CHECK_INT(DETECT(NULL, ""), HV_FMT_TEXT);
    CHECK_INT(hv_format_detect(NULL, NULL, 0), HV_FMT_TEXT);
#undef DETECT

    /* AUTO reads by extension, then by content */
    hv_grid g;
    hv_error e;
    bytes b = {0};
    make_npy(&b, 1, "<f4", false, 2, k_dims2, k_grid);
    READ_EXPECT("auto npy by content", &b, "<stdin>", NULL, 3, 4, 1, k_grid);
    EXPECT_ERROR(&b, "x.json", NULL, "x.json:1: byte 7: a NUL byte: not a JSON text file");
    bfree(&b);
    CHECK(rds("1 2\n3 4\n", NULL, NULL, &g, &e));
    CHECK_INT(g.layers, 2);
    hv_grid_free(&g);
    CHECK(!hv_read_scores(NULL, 0, "x.txt", NULL, &g, &e));
    CHECK_STR(e.msg, "x.txt: no values (the file is empty or holds only comments)");
    hv_read_opts o = {.format = (hv_format)42};
    CHECK(!rds("1", "x", &o, &g, &e));
    CHECK_STR(e.msg, "x: unknown format 42");
    o = (hv_read_opts){.reduce = (hv_reduce)9};
    CHECK(!rds("1", "x.txt", &o, &g, &e));
    CHECK_STR(e.msg, "x.txt: unknown reduction 9");
    hv_grid_free(NULL);
}

/* The spec takes exactly the names the readers know for format = and
 * reduce = (spec.c keeps its own list: the core does not link the readers). */
static void test_spec_names_agree(void)
{
    for (int i = 0; hv_spec_format_names[i]; i++) {
        check_context("format %s", hv_spec_format_names[i]);
        CHECK(hv_format_parse(hv_spec_format_names[i]) >= 0);
    }
    for (int i = 0; hv_spec_reduce_names[i]; i++) {
        check_context("reduce %s", hv_spec_reduce_names[i]);
        CHECK(hv_reduce_parse(hv_spec_reduce_names[i]) >= 0);
    }
    /* and every format and reduction the readers have is in the spec's */
    for (int f = HV_FMT_AUTO; f <= HV_FMT_SAFETENSORS; f++) {
        bool found = false;
        for (int i = 0; hv_spec_format_names[i]; i++)
            found |= hv_format_parse(hv_spec_format_names[i]) == f;
        check_context("format %d", f);
        CHECK(found);
    }
    for (int r = HV_REDUCE_MEAN; r <= HV_REDUCE_ABS_MEAN; r++) {
        bool found = false;
        for (int i = 0; hv_spec_reduce_names[i]; i++)
            found |= hv_reduce_parse(hv_spec_reduce_names[i]) == r;
        check_context("reduce %d", r);
        CHECK(found);
    }
    check_context("%s", "");
}

/* issue 18: a declared extent bounds sparse keys; sparse and sample-axis
 * flags; PyTorch files refused with the line that converts them */
static void test_extent_and_torch(void)
{
    hv_read_opts o = {.layers = 4, .heads = 3, .extent_of = "model \"M\" (from m.npy)"};
    hv_grid g;
    hv_error e;
    /* the grid spans its keys; the caller pads it to the extent */
    CHECK(rds("{\"1-1\": 1}", "s.json", &o, &g, &e));
    EXPECT_GRID("a key inside the extent", &g, 2, 2, 1, ((const double[]){NAN_, NAN_, NAN_, 1}));
    CHECK(g.sparse && !g.sample_axis);
    hv_grid_free(&g);
    EXPECT_ERROR_S("{\"1-1\": 1, \"L4H0\": 2}", "s.json", &o,
                   "s.json: key \"L4H0\": layer 4 is outside the 4 layers x 3 heads of model \"M\" (from m.npy)");
    EXPECT_ERROR_S("{\"1-1\": 1}\n{\"0-3\": 2}\n", "p.jsonl", &o,
                   "p.jsonl:2: key \"0-3\": head 3 is outside the 4 layers x 3 heads of model \"M\" (from m.npy)");
    o.extent_of = NULL;
    EXPECT_ERROR_S("{\"0-3\": [1, 2]}", "s.json", &o,
                   "s.json: key \"0-3\": head 3 is outside the 4 layers x 3 heads of the model");
    /* the sample axis: JSON Lines, lists, a top-level list; not plain numbers */
    CHECK(rds("{\"0-0\": 1}\n", "p.jsonl", NULL, &g, &e));
    CHECK(g.sparse && g.sample_axis);
    hv_grid_free(&g);
    CHECK(rds("{\"0-0\": [1]}", "s.json", NULL, &g, &e));
    CHECK(g.sample_axis);
    hv_grid_free(&g);
    CHECK(rds("[{\"0-0\": 1}]", "s.json", NULL, &g, &e));
    CHECK(g.sample_axis);
    hv_grid_free(&g);
    CHECK(rds("1 2\n3 4\n", "t.txt", NULL, &g, &e));
    CHECK(!g.sparse && !g.sample_axis);
    hv_grid_free(&g);
    /* torch.save: a zip whose first member is archive/data.pkl, any name */
    bytes b = {0};
    put(&b, "PK\x03\x04", 4);
    for (int i = 4; i < 26; i++)
        put(&b, "\0", 1);
    put(&b, "\x10\0\0\0", 4);
    puts_(&b, "archive/data.pkl");
    const char *conv = "(or safetensors.torch.save_file)";
    char want[512];
    snprintf(want, sizeof want,
             "runs/w.bin: a PyTorch file (torch.save, a pickle), which headviz does not read; convert it once in "
             "Python: np.save(\"runs/w.npy\", torch.load(\"runs/w.bin\").float().cpu().numpy()) %s", conv);
    EXPECT_ERROR(&b, "runs/w.bin", NULL, want);
    hv_read_opts npz = {.format = HV_FMT_NPZ};
    snprintf(want, sizeof want,
             "w.zip: a PyTorch file (torch.save, a pickle), which headviz does not read; convert it once in "
             "Python: np.save(\"w.npy\", torch.load(\"w.zip\").float().cpu().numpy()) %s", conv);
    EXPECT_ERROR(&b, "w.zip", &npz, want);
    bfree(&b);
    /* the legacy pickle, and any .pt / .pth */
    snprintf(want, sizeof want,
             "old: a PyTorch file (torch.save, a pickle), which headviz does not read; convert it once in "
             "Python: np.save(\"old.npy\", torch.load(\"old\").float().cpu().numpy()) %s", conv);
    EXPECT_ERROR_S("\x80\x02\x8a\x0alZ", "old", NULL, want);
    snprintf(want, sizeof want,
             "h.pth: a PyTorch file (torch.save, a pickle), which headviz does not read; convert it once in "
             "Python: np.save(\"h.npy\", torch.load(\"h.pth\").float().cpu().numpy()) %s", conv);
    EXPECT_ERROR_S("{\"0-0\": 1}", "h.pth", NULL, want);
}

int main(void)
{
    test_extent_and_torch();
    test_spec_names_agree();
    test_same_scores_every_format();
    test_samples_every_format();
    test_dtypes();
    test_npy_errors();
    test_npz_errors();
    test_npz_hostile();
    test_json_limits();
    test_json_reduce_same();
    test_json_errors();
    test_text_errors();
    test_safetensors_errors();
    test_truncation();
    test_reduce();
    test_names();
    return check_summary();
}
