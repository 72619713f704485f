/* scores: the public entry point (format names, detection, dispatch), the one
 * shared reducer of a sample axis, the limits and the message helpers. */
#include "io_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- names ---------------------------------------------------------------- */

static const char *const k_format_names[] = {"auto", "csv",  "json", "jsonl",
                                             "npy",  "npz",  "text", "safetensors"};
static const char *const k_reduce_names[] = {"mean", "max", "sum", "count", "abs-mean"};

int hv_format_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < (int)(sizeof k_format_names / sizeof k_format_names[0]); i++)
        if (strcasecmp(s, k_format_names[i]) == 0)
            return i;
    if (strcasecmp(s, "ndjson") == 0)
        return HV_FMT_JSONL;
    if (strcasecmp(s, "txt") == 0)
        return HV_FMT_TEXT;
    return -1;
}

const char *hv_format_name(hv_format f)
{
    if ((int)f < 0 || (int)f >= (int)(sizeof k_format_names / sizeof k_format_names[0]))
        return "?";
    return k_format_names[f];
}

int hv_reduce_parse(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < (int)(sizeof k_reduce_names / sizeof k_reduce_names[0]); i++)
        if (strcasecmp(s, k_reduce_names[i]) == 0)
            return i;
    if (strcasecmp(s, "abs_mean") == 0)
        return HV_REDUCE_ABS_MEAN;
    return -1;
}

const char *hv_reduce_name(hv_reduce r)
{
    if ((int)r < 0 || (int)r >= (int)(sizeof k_reduce_names / sizeof k_reduce_names[0]))
        return "?";
    return k_reduce_names[r];
}

/* --- detection ------------------------------------------------------------ */

static int format_by_extension(const char *name)
{
    if (!name)
        return -1;
    const char *base = strrchr(name, '/');
    base = base ? base + 1 : name;
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base)
        return -1;
    static const struct {
        const char *ext;
        hv_format f;
    } k_ext[] = {
        {"json", HV_FMT_JSON},          {"jsonl", HV_FMT_JSONL}, {"ndjson", HV_FMT_JSONL},
        {"npy", HV_FMT_NPY},            {"npz", HV_FMT_NPZ},     {"txt", HV_FMT_TEXT},
        {"tsv", HV_FMT_TEXT},           {"dat", HV_FMT_TEXT},    {"csv", HV_FMT_CSV},
        {"safetensors", HV_FMT_SAFETENSORS},
    };
    for (size_t i = 0; i < sizeof k_ext / sizeof k_ext[0]; i++)
        if (strcasecmp(dot + 1, k_ext[i].ext) == 0)
            return (int)k_ext[i].f;
    return -1;
}

static bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Two or more non-blank lines, each an object on its own: JSON Lines. */
static bool looks_like_jsonl(const unsigned char *b, size_t len)
{
    int lines = 0;
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && b[e] != '\n')
            e++;
        size_t s = i, t = e;
        while (s < t && is_space(b[s]))
            s++;
        while (t > s && is_space(b[t - 1]))
            t--;
        if (s < t) {
            if (b[s] != '{' || b[t - 1] != '}')
                return false;
            lines++;
        }
        i = e + 1;
    }
    return lines >= 2;
}

/* The first line that is not blank or a '#' comment names layer and head
 * among comma-separated words: the long CSV. */
static bool looks_like_csv(const unsigned char *b, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && b[e] != '\n')
            e++;
        size_t s = i;
        while (s < e && is_space(b[s]))
            s++;
        if (s < e && b[s] != '#') {
            char line[256];
            size_t n = e - s < sizeof line - 1 ? e - s : sizeof line - 1;
            for (size_t k = 0; k < n; k++)
                line[k] = (char)(b[s + k] >= 'A' && b[s + k] <= 'Z' ? b[s + k] + 32 : b[s + k]);
            line[n] = '\0';
            return strchr(line, ',') && strstr(line, "layer") && strstr(line, "head");
        }
        i = e + 1;
    }
    return false;
}

hv_format hv_format_detect(const char *name, const unsigned char *bytes, size_t len)
{
    int f = format_by_extension(name);
    if (f >= 0)
        return (hv_format)f;
    if (!bytes)
        len = 0;
    if (len >= 6 && memcmp(bytes, "\x93NUMPY", 6) == 0)
        return HV_FMT_NPY;
    if (len >= 4 && (memcmp(bytes, "PK\x03\x04", 4) == 0 || memcmp(bytes, "PK\x05\x06", 4) == 0))
        return HV_FMT_NPZ;
    if (len >= 10 && bytes[8] == '{') {
        uint64_t n = 0;
        for (int i = 7; i >= 0; i--)
            n = n << 8 | bytes[i];
        if (n >= 2 && n <= len - 8)
            return HV_FMT_SAFETENSORS;
    }
    size_t i = 0;
    if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && is_space(bytes[i]))
        i++;
    if (i < len && (bytes[i] == '{' || bytes[i] == '['))
        return looks_like_jsonl(bytes + i, len - i) ? HV_FMT_JSONL : HV_FMT_JSON;
    if (looks_like_csv(bytes + i, len - i))
        return HV_FMT_CSV;
    return HV_FMT_TEXT;
}

/* --- limits --------------------------------------------------------------- */

const char *hv_io_shape_problem(uint64_t samples, uint64_t layers, uint64_t heads, char *buf,
                                size_t cap)
{
    if (samples == 0)
        snprintf(buf, cap, "no samples");
    else if (layers == 0)
        snprintf(buf, cap, "no layers");
    else if (heads == 0)
        snprintf(buf, cap, "no heads");
    else if (layers > HV_SCORES_MAX_DIM)
        snprintf(buf, cap, "more than %d layers", HV_SCORES_MAX_DIM);
    else if (heads > HV_SCORES_MAX_DIM)
        snprintf(buf, cap, "more than %d heads per layer", HV_SCORES_MAX_DIM);
    else if (layers * heads > (uint64_t)HV_SCORES_MAX_CELLS)
        snprintf(buf, cap, "%llu x %llu = %llu heads, more than the limit of %ld (2^20) heads "
                 "in a grid", (unsigned long long)layers, (unsigned long long)heads,
                 (unsigned long long)(layers * heads), (long)HV_SCORES_MAX_CELLS);
    else if (samples > (uint64_t)HV_SCORES_MAX_SAMPLE_CELLS ||
             samples * layers * heads > (uint64_t)HV_SCORES_MAX_SAMPLE_CELLS)
        snprintf(buf, cap, "more than %ld values over all samples",
                 (long)HV_SCORES_MAX_SAMPLE_CELLS);
    else
        return NULL;
    return buf;
}

/* --- the reducer ---------------------------------------------------------- */

void hv_reducer_free(hv_reducer *r)
{
    free(r->acc);
    free(r->n);
    free(r->buf);
    free(r->heap);
    memset(r, 0, sizeof *r);
}

bool hv_reduce_opts_check(const hv_read_opts *o, const char *name, hv_error *err)
{
    if ((int)o->reduce < 0 || o->reduce > HV_REDUCE_ABS_MEAN)
        return hv_errorf(err, "%s: unknown reduction %d", name, (int)o->reduce);
    if (o->reduce == HV_REDUCE_COUNT && o->count_top < 0)
        return hv_errorf(err, "%s: count: the number of top heads per sample must be 1 or more, "
                              "got %d", name, o->count_top);
    return true;
}

bool hv_reducer_init(hv_reducer *r, int layers, int heads, const hv_read_opts *o,
                     const char *name, hv_error *err)
{
    memset(r, 0, sizeof *r);
    static const hv_read_opts k_defaults;
    if (!o)
        o = &k_defaults;
    if (!hv_reduce_opts_check(o, name, err))
        return false;
    char why[128];
    if (hv_io_shape_problem(1, (uint64_t)(layers > 0 ? layers : 0),
                            (uint64_t)(heads > 0 ? heads : 0), why, sizeof why))
        return hv_errorf(err, "%s: %d layers x %d heads: %s", name, layers, heads, why);
    r->mode = o->reduce;
    r->top = o->count_top ? o->count_top : 10;
    r->abs = o->count_abs;
    r->layers = layers;
    r->heads = heads;
    r->cells = (size_t)layers * (size_t)heads;
    r->name = name;
    /* Except for count, the first sample is the result as it stands (one
     * grid, 8 bytes a cell): the sums and counts are made only when a
     * second sample comes. */
    r->buf = malloc(r->cells * sizeof *r->buf);
    if (r->mode == HV_REDUCE_COUNT) {
        size_t k = (size_t)r->top < r->cells ? (size_t)r->top : r->cells;
        r->heap = malloc(k * sizeof *r->heap);
        r->acc = calloc(r->cells, sizeof *r->acc);
        r->n = calloc(r->cells, sizeof *r->n);
    }
    if (!r->buf || (r->mode == HV_REDUCE_COUNT && (!r->heap || !r->acc || !r->n))) {
        hv_reducer_free(r);
        return hv_errorf(err, "%s: out of memory for a grid of %d x %d heads", name, layers,
                         heads);
    }
    return true;
}

double *hv_reducer_sample(hv_reducer *r)
{
    if (!r->buf) {
        /* the second sample: the first (in acc) becomes sums and counts */
        r->buf = malloc(r->cells * sizeof *r->buf);
        r->n = malloc(r->cells * sizeof *r->n);
        if (!r->buf || !r->n)
            return NULL;
        for (size_t i = 0; i < r->cells; i++) {
            bool has = !isnan(r->acc[i]);
            r->n[i] = has;
            if (!has)
                r->acc[i] = 0;
        }
    }
    for (size_t i = 0; i < r->cells; i++)
        r->buf[i] = NAN;
    return r->buf;
}

static double rank_key(const hv_reducer *r, double v) { return r->abs ? fabs(v) : v; }

/* Heap of the k best cells with the worst at the root. Cells arrive in index
 * order (layer, then head), so a later cell with an equal key is worse: it
 * replaces the root only with a strictly greater key. Among cells already
 * held, the worse of two equal keys is the higher index. */
static bool heap_worse(const hv_reducer *r, uint32_t a, uint32_t b)
{
    double ka = rank_key(r, r->buf[a]), kb = rank_key(r, r->buf[b]);
    return ka < kb || (ka == kb && a > b);
}

static void heap_sift_down(hv_reducer *r, size_t n, size_t i)
{
    uint32_t *h = r->heap;
    for (;;) {
        size_t l = 2 * i + 1, w = i;
        if (l < n && heap_worse(r, h[l], h[w]))
            w = l;
        if (l + 1 < n && heap_worse(r, h[l + 1], h[w]))
            w = l + 1;
        if (w == i)
            return;
        uint32_t t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

static void heap_sift_up(hv_reducer *r, size_t i)
{
    uint32_t *h = r->heap;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!heap_worse(r, h[i], h[p]))
            return;
        uint32_t t = h[i];
        h[i] = h[p];
        h[p] = t;
        i = p;
    }
}

static void count_sample(hv_reducer *r)
{
    size_t k = (size_t)r->top, held = 0;
    for (size_t i = 0; i < r->cells; i++) {
        double v = r->buf[i];
        if (isnan(v))
            continue;
        r->n[i]++;
        if (held < k) {
            r->heap[held] = (uint32_t)i;
            heap_sift_up(r, held++);
        } else if (rank_key(r, v) > rank_key(r, r->buf[r->heap[0]])) {
            r->heap[0] = (uint32_t)i;
            heap_sift_down(r, held, 0);
        }
    }
    for (size_t j = 0; j < held; j++)
        r->acc[r->heap[j]] += 1;
}

bool hv_reducer_add(hv_reducer *r, hv_error *err)
{
    if ((uint64_t)(r->samples + 1) * r->cells > (uint64_t)HV_SCORES_MAX_SAMPLE_CELLS)
        return hv_errorf(err, "%s: %ld samples of %d x %d heads are more than the limit of %ld "
                              "values", r->name, r->samples + 1, r->layers, r->heads,
                         (long)HV_SCORES_MAX_SAMPLE_CELLS);
    r->samples++;
    if (!r->acc) { /* the first sample of a sum, mean or max: kept as it is */
        if (r->mode == HV_REDUCE_ABS_MEAN)
            for (size_t i = 0; i < r->cells; i++)
                r->buf[i] = fabs(r->buf[i]);
        r->acc = r->buf;
        r->buf = NULL;
        return true;
    }
    const double *b = r->buf;
    switch (r->mode) {
    case HV_REDUCE_MEAN:
    case HV_REDUCE_SUM:
        for (size_t i = 0; i < r->cells; i++)
            if (!isnan(b[i])) {
                r->acc[i] += b[i];
                r->n[i]++;
            }
        break;
    case HV_REDUCE_ABS_MEAN:
        for (size_t i = 0; i < r->cells; i++)
            if (!isnan(b[i])) {
                r->acc[i] += fabs(b[i]);
                r->n[i]++;
            }
        break;
    case HV_REDUCE_MAX:
        for (size_t i = 0; i < r->cells; i++)
            if (!isnan(b[i])) {
                if (r->n[i] == 0 || b[i] > r->acc[i])
                    r->acc[i] = b[i];
                r->n[i]++;
            }
        break;
    case HV_REDUCE_COUNT:
        count_sample(r);
        break;
    }
    return true;
}

bool hv_reducer_finish(hv_reducer *r, hv_grid *out, hv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!r->acc) { /* no sample: nothing scored */
        r->acc = r->buf;
        r->buf = NULL;
        for (size_t i = 0; i < r->cells; i++)
            r->acc[i] = NAN;
    }
    double *v = r->acc;
    for (size_t i = 0; r->n && i < r->cells; i++) {
        if (r->n[i] == 0) { /* no sample has a value: no score, but a count of 0 */
            v[i] = r->mode == HV_REDUCE_COUNT ? 0 : NAN;
            continue;
        }
        if (r->mode == HV_REDUCE_MEAN || r->mode == HV_REDUCE_ABS_MEAN)
            v[i] /= r->n[i];
        if (!isfinite(v[i])) {
            int layer = (int)(i / (size_t)r->heads), head = (int)(i % (size_t)r->heads);
            hv_errorf(err, "%s: layer %d, head %d: the %s of its samples is too large for a "
                           "double", r->name, layer, head,
                      r->mode == HV_REDUCE_MEAN ? "sum" : hv_reduce_name(r->mode));
            hv_reducer_free(r);
            return false;
        }
    }
    out->layers = r->layers;
    out->heads = r->heads;
    out->samples = (int)r->samples;
    out->v = r->acc;
    r->acc = NULL;
    hv_reducer_free(r);
    return true;
}

bool hv_reduce_samples(const double *v, int samples, int layers, int heads, const char *name,
                       const hv_read_opts *o, hv_grid *out, hv_error *err)
{
    memset(out, 0, sizeof *out);
    if (!name)
        name = "<input>";
    char shown[400];
    name = hv_io_name(shown, sizeof shown, name);
    char why[128];
    if (samples < 0 || layers < 0 || heads < 0 ||
        hv_io_shape_problem((uint64_t)samples, (uint64_t)layers, (uint64_t)heads, why, sizeof why))
        return hv_errorf(err, "%s: shape [%d, %d, %d]: %s", name, samples, layers, heads,
                         samples < 0 || layers < 0 || heads < 0 ? "negative size" : why);
    if (!v)
        return hv_errorf(err, "%s: no values", name);
    hv_reducer r;
    if (!hv_reducer_init(&r, layers, heads, o, name, err))
        return false;
    size_t cells = (size_t)layers * (size_t)heads;
    for (int s = 0; s < samples; s++) {
        double *b = hv_reducer_sample(&r);
        if (!b) {
            hv_reducer_free(&r);
            return hv_errorf(err, "%s: out of memory", name);
        }
        const double *src = v + (size_t)s * cells;
        for (size_t i = 0; i < cells; i++) {
            if (isinf(src[i])) {
                hv_errorf(err, "%s: value [%d, %d, %d] is infinite", name, s,
                          (int)(i / (size_t)heads), (int)(i % (size_t)heads));
                hv_reducer_free(&r);
                return false;
            }
            b[i] = src[i];
        }
        if (!hv_reducer_add(&r, err)) {
            hv_reducer_free(&r);
            return false;
        }
    }
    return hv_reducer_finish(&r, out, err);
}

/* --- messages ------------------------------------------------------------- */

const char *hv_io_quote(char *buf, size_t cap, const char *s, size_t n, size_t max_chars)
{
    size_t o = 0;
    if (cap < 8) {
        if (cap)
            buf[0] = '\0';
        return buf;
    }
    buf[o++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char tmp[8];
        size_t tl;
        if (c == '"' || c == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)c;
            tl = 2;
        } else if (c >= 0x20 && c < 0x7f) {
            tmp[0] = (char)c;
            tl = 1;
        } else {
            snprintf(tmp, sizeof tmp, "\\x%02x", c);
            tl = 4;
        }
        if (i >= max_chars || o + tl + 5 > cap) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        memcpy(buf + o, tmp, tl);
        o += tl;
    }
    buf[o++] = '"';
    buf[o] = '\0';
    return buf;
}

const char *hv_io_name(char *buf, size_t cap, const char *name)
{
    return hv_error_name(buf, cap, name);
}

void hv_io_list_add(char *buf, size_t cap, const char *name)
{
    size_t used = strlen(buf);
    if (used >= 3 && strcmp(buf + used - 3, "...") == 0)
        return;
    char q[96];
    size_t nl = strlen(name);
    /* names are shown bare unless they hold odd characters */
    bool plain = nl > 0 && nl < 64;
    for (size_t i = 0; i < nl && plain; i++)
        plain = name[i] > 0x20 && name[i] < 0x7f && name[i] != ',';
    const char *shown = plain ? name : hv_io_quote(q, sizeof q, name, nl, 40);
    size_t need = strlen(shown) + (used ? 2 : 0);
    if (used + need + 6 > cap) {
        if (used + 6 <= cap)
            memcpy(buf + used, used ? ", ..." : "...", used ? 6 : 4);
        return;
    }
    snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", shown);
}

/* --- the entry point ------------------------------------------------------ */

void hv_grid_free(hv_grid *g)
{
    if (!g)
        return;
    free(g->v);
    memset(g, 0, sizeof *g);
}

static bool has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    return n >= k && strcasecmp(name + n - k, suffix) == 0;
}

bool hv_torch_refuse(const char *name, const unsigned char *bytes, size_t len, hv_error *err)
{
    bool torch = has_suffix(name, ".pt") || has_suffix(name, ".pth");
    /* torch.save since 1.6: a zip whose first member is ARCHIVE/data.pkl */
    if (!torch && bytes && len >= 30 && memcmp(bytes, "PK\x03\x04", 4) == 0) {
        size_t nl = (size_t)bytes[26] | (size_t)bytes[27] << 8;
        if (30 + nl <= len && nl >= 8 && memcmp(bytes + 30 + nl - 8, "data.pkl", 8) == 0)
            torch = true;
    }
    /* torch.save before 1.6 (and _use_new_zipfile_serialization=False): a
     * pickle, protocol 2 or later */
    if (!torch && bytes && len >= 2 && bytes[0] == 0x80 && bytes[1] >= 2 && bytes[1] <= 5)
        torch = true;
    if (!torch)
        return false;
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    int stem = (int)(dot && dot != base ? (size_t)(dot - name) : strlen(name));
    hv_errorf(err, "%s: a PyTorch file (torch.save, a pickle), which headviz does not read; convert it once "
                   "in Python: np.save(\"%.*s.npy\", torch.load(\"%s\").float().cpu().numpy()) "
                   "(or safetensors.torch.save_file)", name, stem, name, name);
    return true;
}

bool hv_read_scores(const unsigned char *bytes, size_t len, const char *name,
                    const hv_read_opts *o, hv_grid *out, hv_error *err)
{
    static const hv_read_opts k_defaults;
    static const unsigned char k_empty[1];
    if (out)
        memset(out, 0, sizeof *out);
    if (!name)
        name = "<input>";
    char shown[400];
    name = hv_io_name(shown, sizeof shown, name);
    if (!o)
        o = &k_defaults;
    if (!out)
        return hv_errorf(err, "%s: no grid to read into", name);
    if (!bytes) {
        if (len)
            return hv_errorf(err, "%s: no bytes", name);
        bytes = k_empty;
    }
    if (hv_torch_refuse(name, bytes, len, err))
        return false;
    hv_format f = o->format;
    if (f == HV_FMT_AUTO)
        f = hv_format_detect(name, bytes, len);
    switch (f) {
    case HV_FMT_JSON:
        return hv_json_read(bytes, len, name, false, o, out, err);
    case HV_FMT_JSONL:
        return hv_json_read(bytes, len, name, true, o, out, err);
    case HV_FMT_NPY:
        return hv_npy_read(bytes, len, name, o, out, err);
    case HV_FMT_NPZ:
        return hv_npz_read(bytes, len, name, o, out, err);
    case HV_FMT_TEXT:
        return hv_textgrid_read(bytes, len, name, o, out, err);
    case HV_FMT_SAFETENSORS:
        return hv_safetensors_read(bytes, len, name, o, out, err);
    case HV_FMT_CSV:
        return hv_errorf(err, "%s: a CSV file is a top-k table (model,condition,layer,head,score), "
                              "not a grid of scores", name);
    case HV_FMT_AUTO:
        break;
    }
    return hv_errorf(err, "%s: unknown format %d", name, (int)f);
}
