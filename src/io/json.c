/* json: scores keyed by head, as JSON or JSON Lines.
 *
 *   JSON        {"14-7": 0.83, "L3H1": [0.1, 0.2, NaN], "0-0": null}
 *               a number, null or a list of per-sample numbers per head
 *               (lists of unequal length are padded with "no score"); or a
 *               top-level list of {"LAYER-HEAD": number} objects, one per
 *               sample.
 *   JSON Lines  one {"LAYER-HEAD": number} object per line = one sample;
 *               blank lines skipped.
 * Keys "LAYER-HEAD" ("14-7") or TransformerLens "L14H7" (case-insensitive).
 * The grid spans layers 0..max layer and heads 0..max head named by a key;
 * heads never named have no score. Python's bare NaN (no score), Infinity
 * and -Infinity (errors naming their key) are accepted where a value starts.
 *
 * Two passes over the text, which is never copied or built into a tree: a
 * checker of JSON's grammar (RFC 8259, plus those three words) finds the
 * first offending byte; then a walk reads keys and numbers in place and
 * reduces them as they come: per head a running sum, maximum or count of
 * samples (in sample order, as the shared reducer adds them), kept in a
 * table of the heads named so far. Memory is that table (about 50 bytes per
 * head named), plus, for reduce=count only, 24 bytes per value (each
 * sample's top heads are ranked at the end); the grid itself is allocated
 * once its extent is known. A key whose layer and head would make the grid
 * more than HV_SCORES_MAX_CELLS heads is refused when it is met. */
#include "io_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct slot { /* one head named by a key */
    int layer, head;
    double acc;    /* sum, |sum|, max, or (count) times in a sample's top */
    uint32_t n;    /* samples with a value */
    uint32_t obj;  /* the last object naming it: a repeat in one object is an error */
    size_t key_at; /* its first key's text, for messages */
} slot;

typedef struct centry { /* reduce=count: one value, ranked at the end */
    double key;     /* the value, or |value| */
    uint64_t cell;  /* layer << 17 | head: ties go to the lower layer, then head */
    uint32_t sample;
    uint32_t slot;
} centry;

typedef struct jctx {
    const char *t; /* the whole text */
    size_t n;
    const char *name;
    char place[320]; /* message prefix: "x.json", "x.jsonl:3", "x.json: [2]" */
    hv_error *err;
    hv_reduce mode;
    bool abs;
    int top;
    slot *s;
    size_t ns, s_cap;
    uint32_t *hash; /* slot index + 1, 0 = empty */
    size_t hash_cap;
    centry *e;
    size_t ne, e_cap;
    uint32_t obj;
    int max_layer, max_head;
    long samples;
    long cur; /* samples in play: the ones so far and the one being read */
    bool any_key;
    bool lines; /* JSON Lines */
    bool axis;  /* a sample axis: JSON Lines, a top-level list, a list value */
    int xl, xh; /* the extent keys must lie in (0: none) */
    const char *extent_of;
} jctx;

static bool is_num_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

static bool is_word_char(char c)
{
    return is_num_char(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Token w at t[i..], followed by a non-word char or the end. */
static bool token_at(const char *t, size_t i, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n - i >= k && memcmp(t + i, w, k) == 0 && (i + k == n || !is_word_char(t[i + k]));
}

/* Length of NaN, Infinity or -Infinity at t[i..], else 0. */
static size_t special_at(const char *t, size_t i, size_t n)
{
    if (token_at(t, i, n, "NaN"))
        return 3;
    if (token_at(t, i, n, "Infinity"))
        return 8;
    if (token_at(t, i, n, "-Infinity"))
        return 9;
    return 0;
}

static int line_of(const char *t, size_t pos)
{
    int line = 1;
    for (size_t i = 0; i < pos; i++)
        line += t[i] == '\n';
    return line;
}

/* --- locating a syntax error ---------------------------------------------- */

/* cJSON says only roughly where it stopped; this small checker of JSON's
 * grammar (RFC 8259) finds the first offending byte and what was expected.
 * It runs only after cJSON refused the text. */

static const char k_after_value[] = "unexpected text after the JSON value";

static size_t skip_space(const char *t, size_t i, size_t n)
{
    while (i < n && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r'))
        i++;
    return i;
}

static bool is_hex(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

static bool scan_string(const char *t, size_t *i, size_t n, size_t *pos, const char **why)
{
    size_t k = *i + 1;
    while (k < n) {
        unsigned char ch = (unsigned char)t[k];
        if (ch == '"') {
            *i = k + 1;
            return true;
        }
        if (ch < 0x20) {
            *pos = k;
            *why = ch == '\n' ? "a string that is not closed on its line"
                              : "a control character in a string";
            return false;
        }
        if (ch == '\\') {
            char d = k + 1 < n ? t[k + 1] : 0;
            if (d == 'u') {
                for (size_t j = 2; j < 6; j++)
                    if (k + j >= n || !is_hex(t[k + j])) {
                        *pos = k;
                        *why = "a \\u escape without 4 hex digits";
                        return false;
                    }
                k += 6;
                continue;
            }
            if (d && strchr("\"\\/bfnrt", d)) {
                k += 2;
                continue;
            }
            *pos = k;
            *why = "an unknown escape in a string";
            return false;
        }
        k++;
    }
    *pos = *i;
    *why = "a string that is not closed";
    return false;
}

static bool is_dig(char ch) { return ch >= '0' && ch <= '9'; }

static bool scan_number(const char *t, size_t *i, size_t n, size_t *pos, const char **why)
{
    size_t k = *i;
    if (k < n && t[k] == '-')
        k++;
    if (k < n && t[k] == '0')
        k++;
    else if (k < n && is_dig(t[k]))
        while (k < n && is_dig(t[k]))
            k++;
    else
        goto bad;
    if (k < n && t[k] == '.') {
        k++;
        if (k >= n || !is_dig(t[k]))
            goto bad;
        while (k < n && is_dig(t[k]))
            k++;
    }
    if (k < n && (t[k] == 'e' || t[k] == 'E')) {
        k++;
        if (k < n && (t[k] == '+' || t[k] == '-'))
            k++;
        if (k >= n || !is_dig(t[k]))
            goto bad;
        while (k < n && is_dig(t[k]))
            k++;
    }
    *i = k;
    return true;
bad:
    *pos = k;
    *why = "a malformed number";
    return false;
}

/* specials: Python's bare NaN, Infinity and -Infinity are values too. */
static bool locate(const char *t, size_t n, bool specials, size_t *pos, const char **why)
{
    enum { MAX_DEPTH = 1000 };
    char stack[MAX_DEPTH];
    int depth = 0;
    size_t i = skip_space(t, 0, n);
    for (;;) {
        /* a value at i */
        if (i >= n) {
            *pos = i;
            *why = "expected a value";
            return true;
        }
        char ch = t[i];
        if (ch == '{' || ch == '[') {
            if (depth >= MAX_DEPTH) {
                *pos = i;
                *why = "nested more than 1000 deep";
                return true;
            }
            stack[depth++] = ch;
            i = skip_space(t, i + 1, n);
            if (i < n && t[i] == (ch == '{' ? '}' : ']')) {
                depth--;
                i++;
            } else if (ch == '[') {
                continue;
            } else {
                goto key;
            }
        } else if (ch == '"') {
            if (!scan_string(t, &i, n, pos, why))
                return true;
        } else if (specials && special_at(t, i, n)) {
            i += special_at(t, i, n);
        } else if (ch == '-' || is_dig(ch)) {
            if (!scan_number(t, &i, n, pos, why))
                return true;
        } else if (n - i >= 4 && memcmp(t + i, "true", 4) == 0) {
            i += 4;
        } else if (n - i >= 5 && memcmp(t + i, "false", 5) == 0) {
            i += 5;
        } else if (n - i >= 4 && memcmp(t + i, "null", 4) == 0) {
            i += 4;
        } else {
            *pos = i;
            *why = "expected a value";
            return true;
        }
        /* after a value */
        for (;;) {
            i = skip_space(t, i, n);
            if (depth == 0) {
                if (i < n) {
                    *pos = i;
                    *why = k_after_value;
                    return true;
                }
                return false;
            }
            char top = stack[depth - 1];
            if (i < n && t[i] == ',') {
                i = skip_space(t, i + 1, n);
                if (top == '[')
                    break;
                goto key;
            }
            if (i < n && t[i] == (top == '{' ? '}' : ']')) {
                depth--;
                i++;
                continue;
            }
            *pos = i;
            *why = top == '{' ? "expected ',' or '}'" : "expected ',' or ']'";
            return true;
        }
        continue;
    key:
        if (i >= n || t[i] != '"') {
            *pos = i;
            *why = "expected a key in double quotes";
            return true;
        }
        if (!scan_string(t, &i, n, pos, why))
            return true;
        i = skip_space(t, i, n);
        if (i >= n || t[i] != ':') {
            *pos = i;
            *why = "expected ':'";
            return true;
        }
        i = skip_space(t, i + 1, n);
    }
}

bool hv_io_json_locate(const char *t, size_t n, size_t *pos, const char **why)
{
    return locate(t, n, false, pos, why);
}

const char *hv_io_json_describe(char *buf, size_t cap, const char *t, size_t n, size_t pos,
                                const char *why, const char *end_of)
{
    size_t k = 0;
    while (pos + k < n && k < 20 && t[pos + k] != '\n' && t[pos + k] != '\r')
        k++;
    char q[96];
    if (pos >= n)
        snprintf(buf, cap, "%s at the end of the %s", why, end_of);
    else if (k == 0)
        snprintf(buf, cap, "%s at the end of the line", why);
    else
        snprintf(buf, cap, "%s%s%s", why, strncmp(why, "expected", 8) == 0 ? ", got " : " at ",
                 hv_io_quote(q, sizeof q, t + pos, k, 16));
    return buf;
}


/* --- the walk (over text the checker passed) ------------------------------ */

static size_t ws(const jctx *c, size_t i)
{
    while (i < c->n && (c->t[i] == ' ' || c->t[i] == '\t' || c->t[i] == '\n' || c->t[i] == '\r'))
        i++;
    return i;
}

/* The index after the string that starts (with '"') at i. */
static size_t string_end(const jctx *c, size_t i)
{
    for (i++; i < c->n && c->t[i] != '"'; i++)
        if (c->t[i] == '\\')
            i++;
    return i < c->n ? i + 1 : c->n;
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        char h = p[k];
        v = v << 4 | (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
    }
    return v;
}

/* The string starting (with '"') at i, unescaped into buf (cut at cap - 1
 * bytes, which no key that parses comes near); its length. */
static size_t decode_string(const jctx *c, size_t i, char *buf, size_t cap)
{
    size_t e = string_end(c, i) - 1, o = 0;
    for (size_t k = i + 1; k < e && o + 4 < cap; k++) {
        char ch = c->t[k];
        if (ch != '\\') {
            buf[o++] = ch;
            continue;
        }
        ch = c->t[++k];
        if (ch != 'u') {
            buf[o++] = ch == 'b' ? '\b' : ch == 'f' ? '\f' : ch == 'n' ? '\n' : ch == 'r' ? '\r'
                     : ch == 't' ? '\t' : ch;
            continue;
        }
        unsigned u = hex4(c->t + k + 1);
        k += 4;
        if (u >= 0xD800 && u < 0xDC00 && k + 6 < e && c->t[k + 1] == '\\' && c->t[k + 2] == 'u') {
            unsigned lo = hex4(c->t + k + 3);
            if (lo >= 0xDC00 && lo < 0xE000) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                k += 6;
            }
        }
        if (u < 0x80) {
            buf[o++] = (char)u;
        } else if (u < 0x800) {
            buf[o++] = (char)(0xC0 | u >> 6);
            buf[o++] = (char)(0x80 | (u & 0x3F));
        } else if (u < 0x10000) {
            buf[o++] = (char)(0xE0 | u >> 12);
            buf[o++] = (char)(0x80 | (u >> 6 & 0x3F));
            buf[o++] = (char)(0x80 | (u & 0x3F));
        } else {
            buf[o++] = (char)(0xF0 | u >> 18);
            buf[o++] = (char)(0x80 | (u >> 12 & 0x3F));
            buf[o++] = (char)(0x80 | (u >> 6 & 0x3F));
            buf[o++] = (char)(0x80 | (u & 0x3F));
        }
    }
    buf[o] = '\0';
    return o;
}

/* The key at i, quoted as messages show keys. */
static const char *qkey_at(const jctx *c, size_t i, char *q, size_t cap)
{
    char k[256];
    size_t kl = decode_string(c, i, k, sizeof k);
    return hv_io_quote(q, cap, k, kl, 60);
}

static const char *type_at(const jctx *c, size_t i)
{
    switch (i < c->n ? c->t[i] : 0) {
    case '"': return "a string";
    case '[': return "a list";
    case '{': return "an object";
    case 't': return "true";
    case 'f': return "false";
    case 'n': return "null";
    default: return "a number";
    }
}

/* Digits into *v (saturating at 10^9) and their text; NULL when none. */
static const char *digits(const char *p, long *v, const char **text, int *len)
{
    if (*p < '0' || *p > '9')
        return NULL;
    *v = 0;
    *text = p;
    while (*p >= '0' && *p <= '9') {
        if (*v < 1000000000L)
            *v = *v * 10 + (*p - '0');
        p++;
    }
    *len = (int)(p - *text < 24 ? p - *text : 24);
    return p;
}

static bool parse_key(jctx *c, size_t at, const char *k, int *layer, int *head)
{
    long l = -1, h = -1;
    const char *lt = "", *ht = "";
    int ll = 0, hl = 0;
    const char *p = k;
    bool ok;
    if (*p == 'L' || *p == 'l') {
        p = digits(p + 1, &l, &lt, &ll);
        ok = p && (*p == 'H' || *p == 'h') && (p = digits(p + 1, &h, &ht, &hl)) && *p == '\0';
    } else {
        p = digits(p, &l, &lt, &ll);
        ok = p && *p == '-' && (p = digits(p + 1, &h, &ht, &hl)) && *p == '\0';
    }
    char q[96];
    if (!ok)
        return hv_errorf(c->err, "%s: key %s: expected \"LAYER-HEAD\" or \"L14H7\"", c->place,
                         qkey_at(c, at, q, sizeof q));
    if (l >= HV_SCORES_MAX_DIM)
        return hv_errorf(c->err, "%s: key %s: layer %.*s is more than %d", c->place,
                         qkey_at(c, at, q, sizeof q), ll, lt, HV_SCORES_MAX_DIM - 1);
    if (h >= HV_SCORES_MAX_DIM)
        return hv_errorf(c->err, "%s: key %s: head %.*s is more than %d", c->place,
                         qkey_at(c, at, q, sizeof q), hl, ht, HV_SCORES_MAX_DIM - 1);
    *layer = (int)l;
    *head = (int)h;
    return true;
}

/* samples x L x H within HV_SCORES_MAX_SAMPLE_CELLS, else the message, at
 * the key (key_at) or the sample (key_at == SIZE_MAX) that passes it. */
static bool within_values(jctx *c, long samples, long L, long H, size_t key_at)
{
    if (L <= 0 || H <= 0 ||
        (uint64_t)samples * (uint64_t)L * (uint64_t)H <= (uint64_t)HV_SCORES_MAX_SAMPLE_CELLS)
        return true;
    char q[96], k[128] = "";
    if (key_at != SIZE_MAX)
        snprintf(k, sizeof k, "key %s: ", qkey_at(c, key_at, q, sizeof q));
    return hv_errorf(c->err, "%s: %s%ld samples of %ld x %ld heads are more than the limit of %ld "
                             "values", c->place, k, samples, L, H,
                     (long)HV_SCORES_MAX_SAMPLE_CELLS);
}

static size_t hash_of(int layer, int head, size_t cap)
{
    uint64_t k = (uint64_t)layer << 17 | (uint64_t)head;
    return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (cap - 1);
}

static bool rehash(jctx *c)
{
    size_t cap = c->hash_cap ? c->hash_cap * 2 : 1024;
    uint32_t *h = calloc(cap, sizeof *h);
    if (!h)
        return false;
    for (size_t i = 0; i < c->ns; i++) {
        size_t k = hash_of(c->s[i].layer, c->s[i].head, cap);
        while (h[k])
            k = (k + 1) & (cap - 1);
        h[k] = (uint32_t)(i + 1);
    }
    free(c->hash);
    c->hash = h;
    c->hash_cap = cap;
    return true;
}

/* The head's slot, added on its first key, which must keep the grid within
 * the limit. NULL with the message. */
static slot *slot_for(jctx *c, int layer, int head, size_t key_at)
{
    if (c->hash_cap) {
        size_t k = hash_of(layer, head, c->hash_cap);
        for (; c->hash[k]; k = (k + 1) & (c->hash_cap - 1)) {
            slot *s = &c->s[c->hash[k] - 1];
            if (s->layer == layer && s->head == head)
                return s;
        }
    }
    if (c->xl > 0 && (layer >= c->xl || head >= c->xh)) {
        char q[96];
        bool l = layer >= c->xl;
        hv_errorf(c->err, "%s: key %s: %s %d is outside the %d layers x %d heads of %s", c->place,
                  qkey_at(c, key_at, q, sizeof q), l ? "layer" : "head", l ? layer : head, c->xl, c->xh,
                  c->extent_of ? c->extent_of : "the model");
        return NULL;
    }
    long L = (layer > c->max_layer ? layer : c->max_layer) + 1L;
    long H = (head > c->max_head ? head : c->max_head) + 1L;
    if ((uint64_t)L * (uint64_t)H > (uint64_t)HV_SCORES_MAX_CELLS) {
        char q[96];
        hv_errorf(c->err, "%s: key %s: layer %d, head %d make the grid %ld x %ld = %llu heads, "
                          "more than the limit of %ld (2^20) heads in a grid", c->place,
                  qkey_at(c, key_at, q, sizeof q), layer, head, L, H,
                  (unsigned long long)((uint64_t)L * (uint64_t)H), (long)HV_SCORES_MAX_CELLS);
        return NULL;
    }
    if (!within_values(c, c->cur, L, H, key_at))
        return NULL;
    if ((c->ns + 1) * 2 > c->hash_cap && !rehash(c))
        goto oom;
    if (c->ns == c->s_cap) {
        size_t ncap = c->s_cap ? c->s_cap * 2 : 256;
        slot *ns = realloc(c->s, ncap * sizeof *ns);
        if (!ns)
            goto oom;
        c->s = ns;
        c->s_cap = ncap;
    }
    c->max_layer = (int)L - 1;
    c->max_head = (int)H - 1;
    slot *s = &c->s[c->ns];
    *s = (slot){layer, head, 0, 0, 0, key_at};
    size_t k = hash_of(layer, head, c->hash_cap);
    while (c->hash[k])
        k = (k + 1) & (c->hash_cap - 1);
    c->hash[k] = (uint32_t)(++c->ns);
    return s;
oom:
    hv_errorf(c->err, "%s: out of memory", c->name);
    return NULL;
}

/* One value of the head in a sample (NaN: none). */
static bool add(jctx *c, slot *s, long sample, double v)
{
    if (isnan(v))
        return true;
    switch (c->mode) {
    case HV_REDUCE_MEAN:
    case HV_REDUCE_SUM:
        s->acc += v;
        break;
    case HV_REDUCE_ABS_MEAN:
        s->acc += fabs(v);
        break;
    case HV_REDUCE_MAX:
        if (s->n == 0 || v > s->acc)
            s->acc = v;
        break;
    case HV_REDUCE_COUNT:
        if (c->ne == c->e_cap) {
            size_t ncap = c->e_cap ? c->e_cap * 2 : 256;
            centry *ne = realloc(c->e, ncap * sizeof *ne);
            if (!ne)
                return hv_errorf(c->err, "%s: out of memory", c->name);
            c->e = ne;
            c->e_cap = ncap;
        }
        c->e[c->ne++] = (centry){c->abs ? fabs(v) : v,
                                 (uint64_t)s->layer << 17 | (uint64_t)s->head, (uint32_t)sample,
                                 (uint32_t)(s - c->s)};
        break;
    }
    s->n++;
    return true;
}

/* The number (or NaN, Infinity, -Infinity) at *i, named in messages by its
 * key and list index (k < 0: not in a list); *i moves past it. */
static bool number(jctx *c, size_t *i, size_t key_at, long k, double *v)
{
    size_t p = *i, sp = special_at(c->t, p, c->n);
    char q[96], idx[32] = "";
    if (k >= 0)
        snprintf(idx, sizeof idx, "[%ld]", k);
    if (sp) {
        *i = p + sp;
        if (sp == 3) {
            *v = NAN;
            return true;
        }
        return hv_errorf(c->err, "%s: key %s%s: %s is not a score (infinite)", c->place,
                         qkey_at(c, key_at, q, sizeof q), idx,
                         sp == 8 ? "Infinity" : "-Infinity");
    }
    size_t e = p;
    while (e < c->n && is_num_char(c->t[e]))
        e++;
    *i = e;
    char small[64], *buf = small;
    if (e - p >= sizeof small && !(buf = malloc(e - p + 1)))
        return hv_errorf(c->err, "%s: out of memory", c->name);
    memcpy(buf, c->t + p, e - p);
    buf[e - p] = '\0';
    *v = strtod(buf, NULL);
    if (buf != small)
        free(buf);
    if (isfinite(*v))
        return true;
    return hv_errorf(c->err, "%s: key %s%s: value is infinite (too large for a double)", c->place,
                     qkey_at(c, key_at, q, sizeof q), idx);
}

static bool is_value_number(const jctx *c, size_t i)
{
    char ch = c->t[i];
    return ch == '-' || (ch >= '0' && ch <= '9') || ch == 'N' || ch == 'I';
}

/* The object at *i ('{'). sample >= 0: one sample, values must be numbers
 * or null; sample < 0: values may be lists of samples. */
static bool object(jctx *c, size_t *pi, long sample)
{
    size_t i = ws(c, *pi + 1);
    uint32_t obj = ++c->obj;
    char q[96], q2[96];
    if (i < c->n && c->t[i] == '}') {
        *pi = i + 1;
        return true;
    }
    for (;;) {
        size_t key_at = i;
        char k[256];
        decode_string(c, i, k, sizeof k);
        i = ws(c, string_end(c, i));
        i = ws(c, i + 1); /* ':' */
        int layer = 0, head = 0;
        if (!parse_key(c, key_at, k, &layer, &head))
            return false;
        c->any_key = true;
        slot *s = slot_for(c, layer, head, key_at);
        if (!s)
            return false;
        if (s->obj == obj)
            return hv_errorf(c->err, "%s: key %s: layer %d head %d given twice (also as %s)",
                             c->place, qkey_at(c, key_at, q, sizeof q), layer, head,
                             qkey_at(c, s->key_at, q2, sizeof q2));
        if (s->obj != obj) {
            s->obj = obj;
            s->key_at = key_at;
        }
        double v;
        char ch = i < c->n ? c->t[i] : 0;
        if (is_value_number(c, i)) {
            if (!number(c, &i, key_at, -1, &v) || !add(c, s, sample < 0 ? 0 : sample, v))
                return false;
            if (sample < 0 && c->samples < 1)
                c->samples = 1;
        } else if (ch == 'n') {
            i += 4;
        } else if (sample < 0 && ch == '[') {
            long n = 0;
            c->axis = true;
            i = ws(c, i + 1);
            if (i < c->n && c->t[i] == ']') {
                i++;
            } else {
                for (;; n++) {
                    if (n >= HV_SCORES_MAX_SAMPLE_CELLS)
                        return hv_errorf(c->err, "%s: key %s: more than %ld samples", c->place,
                                         qkey_at(c, key_at, q, sizeof q),
                                         (long)HV_SCORES_MAX_SAMPLE_CELLS);
                    if (n + 1 > c->cur) {
                        c->cur = n + 1;
                        if (!within_values(c, c->cur, c->max_layer + 1L, c->max_head + 1L,
                                           key_at))
                            return false;
                    }
                    char x = i < c->n ? c->t[i] : 0;
                    if (is_value_number(c, i)) {
                        if (!number(c, &i, key_at, n, &v) || !add(c, s, n, v))
                            return false;
                    } else if (x == 'n') {
                        i += 4;
                    } else {
                        return hv_errorf(c->err, "%s: key %s[%ld]: expected a number or null, "
                                                 "got %s", c->place,
                                         qkey_at(c, key_at, q, sizeof q), n, type_at(c, i));
                    }
                    i = ws(c, i);
                    if (i >= c->n || c->t[i] != ',') {
                        i++; /* ']' */
                        n++;
                        break;
                    }
                    i = ws(c, i + 1);
                }
            }
            if (n > c->samples)
                c->samples = n;
            if (c->samples < 1)
                c->samples = 1;
        } else {
            return hv_errorf(c->err, "%s: key %s: expected a number%s or null, got %s", c->place,
                             qkey_at(c, key_at, q, sizeof q),
                             sample < 0 ? ", a list of numbers" : "", type_at(c, i));
        }
        i = ws(c, i);
        if (i < c->n && c->t[i] == ',') {
            i = ws(c, i + 1);
            continue;
        }
        *pi = i + 1; /* '}' */
        return true;
    }
}

/* --- parsing -------------------------------------------------------------- */

/* Checks t[s..e) is one JSON value; else the message naming line and byte. */
static bool check(jctx *c, size_t s, size_t e, int line)
{
    size_t pos;
    const char *why;
    if (!locate(c->t + s, e - s, true, &pos, &why))
        return true;
    const char *t = c->t + s;
    int at_line = line + line_of(t, pos) - 1;
    if (why == k_after_value && !c->lines && t[pos] == '{' && at_line > 1)
        return hv_errorf(c->err, "%s:%d: byte %zu: a second JSON object: for one object per "
                                 "line (JSON Lines), use the jsonl format", c->name, at_line,
                         s + pos);
    char d[160];
    return hv_errorf(c->err, "%s:%d: byte %zu: invalid JSON: %s", c->name, at_line, s + pos,
                     hv_io_json_describe(d, sizeof d, t, e - s, pos, why,
                                         c->lines ? "line" : "file"));
}

static bool read_json(jctx *c, size_t s)
{
    if (!check(c, s, c->n, 1))
        return false;
    size_t i = ws(c, s);
    snprintf(c->place, sizeof c->place, "%s", c->name);
    char ch = c->t[i];
    if (ch == '{') {
        c->cur = 1;
        return object(c, &i, -1);
    }
    if (ch != '[')
        return hv_errorf(c->err, "%s: expected an object {\"LAYER-HEAD\": score, ...} or a list "
                                 "of them, got %s", c->name, type_at(c, i));
    long k = 0;
    c->axis = true;
    i = ws(c, i + 1);
    if (c->t[i] != ']')
        for (;; k++) {
            if (k >= HV_SCORES_MAX_SAMPLE_CELLS)
                return hv_errorf(c->err, "%s: more than %ld samples", c->name,
                                 (long)HV_SCORES_MAX_SAMPLE_CELLS);
            snprintf(c->place, sizeof c->place, "%s: [%ld]", c->name, k);
            c->cur = k + 1;
            if (!within_values(c, c->cur, c->max_layer + 1L, c->max_head + 1L, SIZE_MAX))
                return false;
            if (c->t[i] != '{')
                return hv_errorf(c->err, "%s: expected an object {\"LAYER-HEAD\": score, ...}, "
                                         "got %s", c->place, type_at(c, i));
            if (!object(c, &i, k))
                return false;
            i = ws(c, i);
            if (i >= c->n || c->t[i] != ',') {
                k++;
                break;
            }
            i = ws(c, i + 1);
        }
    c->samples = k;
    return true;
}

static bool read_jsonl(jctx *c, size_t i)
{
    int line = 0;
    while (i < c->n) {
        size_t e = i;
        const char *nl = memchr(c->t + i, '\n', c->n - i);
        e = nl ? (size_t)(nl - c->t) : c->n;
        line++;
        size_t s = i;
        while (s < e && (c->t[s] == ' ' || c->t[s] == '\t' || c->t[s] == '\r'))
            s++;
        if (s < e) {
            if (c->samples >= HV_SCORES_MAX_SAMPLE_CELLS)
                return hv_errorf(c->err, "%s:%d: more than %ld samples", c->name, line,
                                 (long)HV_SCORES_MAX_SAMPLE_CELLS);
            if (!check(c, i, e, line))
                return false;
            snprintf(c->place, sizeof c->place, "%s:%d", c->name, line);
            c->cur = c->samples + 1;
            if (!within_values(c, c->cur, c->max_layer + 1L, c->max_head + 1L, SIZE_MAX))
                return false;
            if (c->t[s] != '{')
                return hv_errorf(c->err, "%s: expected an object {\"LAYER-HEAD\": score, ...}, "
                                         "got %s", c->place, type_at(c, s));
            if (!object(c, &s, c->samples))
                return false;
            c->samples++;
        }
        i = e + 1;
    }
    return true;
}

/* --- the grid ------------------------------------------------------------- */

static int cmp_centry(const void *a, const void *b)
{
    const centry *x = a, *y = b;
    if (x->sample != y->sample)
        return x->sample < y->sample ? -1 : 1;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return x->cell < y->cell ? -1 : x->cell > y->cell;
}

static bool finish(jctx *c, hv_grid *out)
{
    long L = (long)c->max_layer + 1, H = (long)c->max_head + 1;
    char why[128];
    if (hv_io_shape_problem((uint64_t)c->samples, (uint64_t)L, (uint64_t)H, why, sizeof why))
        return hv_errorf(c->err, "%s: %ld sample%s of layers 0..%ld, heads 0..%ld: %s", c->name,
                         c->samples, c->samples == 1 ? "" : "s", L - 1, H - 1, why);
    if (c->mode == HV_REDUCE_COUNT) {
        /* each sample's top heads: by value (or |value|), then lower layer,
         * then lower head, as the shared reducer ranks them */
        if (c->ne > 1)
            qsort(c->e, c->ne, sizeof *c->e, cmp_centry);
        for (size_t k = 0; k < c->ne;) {
            size_t j = k;
            while (j < c->ne && c->e[j].sample == c->e[k].sample) {
                if (j - k < (size_t)c->top)
                    c->s[c->e[j].slot].acc += 1;
                j++;
            }
            k = j;
        }
    }
    size_t cells = (size_t)L * (size_t)H;
    double *v = malloc(cells * sizeof *v);
    if (!v)
        return hv_errorf(c->err, "%s: out of memory for a grid of %ld x %ld heads", c->name, L, H);
    for (size_t i = 0; i < cells; i++) /* a head no sample lists: counted 0 times, else no score */
        v[i] = c->mode == HV_REDUCE_COUNT ? 0 : NAN;
    size_t bad = cells;
    for (size_t k = 0; k < c->ns; k++) {
        const slot *s = &c->s[k];
        if (s->n == 0)
            continue;
        size_t i = (size_t)s->layer * (size_t)H + (size_t)s->head;
        double x = s->acc;
        if (c->mode == HV_REDUCE_MEAN || c->mode == HV_REDUCE_ABS_MEAN)
            x /= s->n;
        if (!isfinite(x) && i < bad)
            bad = i;
        v[i] = x;
    }
    if (bad < cells) {
        free(v);
        return hv_errorf(c->err, "%s: layer %d, head %d: the %s of its samples is too large for a "
                                 "double", c->name, (int)(bad / (size_t)H), (int)(bad % (size_t)H),
                         c->mode == HV_REDUCE_MEAN ? "sum" : hv_reduce_name(c->mode));
    }
    out->layers = (int)L;
    out->heads = (int)H;
    out->samples = (int)c->samples;
    out->v = v;
    out->sparse = true;
    out->sample_axis = c->axis || c->lines;
    return true;
}

bool hv_json_read(const unsigned char *b, size_t n, const char *name, bool lines,
                  const hv_read_opts *o, hv_grid *out, hv_error *err)
{
    memset(out, 0, sizeof *out);
    const unsigned char *nul = n ? memchr(b, 0, n) : NULL;
    if (nul) {
        size_t at = (size_t)(nul - b);
        return hv_errorf(err, "%s:%d: byte %zu: a NUL byte: not a JSON text file", name,
                         line_of((const char *)b, at), at);
    }
    if (!hv_reduce_opts_check(o, name, err))
        return false;
    jctx c;
    memset(&c, 0, sizeof c);
    c.t = (const char *)b;
    c.n = n;
    c.name = name;
    c.err = err;
    c.mode = o->reduce;
    c.abs = o->count_abs;
    c.top = o->count_top ? o->count_top : 10;
    c.max_layer = c.max_head = -1;
    c.lines = lines;
    if (o->layers > 0 && o->heads > 0) {
        c.xl = o->layers;
        c.xh = o->heads;
        c.extent_of = o->extent_of;
    }
    size_t s0 = n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    size_t s = s0;
    while (s < n && (c.t[s] == ' ' || c.t[s] == '\t' || c.t[s] == '\n' || c.t[s] == '\r'))
        s++;
    bool ok;
    if (s == n)
        ok = hv_errorf(err, "%s: the file is empty (no JSON %s)", name,
                       lines ? "lines" : "value");
    else
        ok = lines ? read_jsonl(&c, s0) : read_json(&c, s0);
    if (ok && !c.any_key)
        ok = hv_errorf(err, "%s: no scores (no \"LAYER-HEAD\" keys)", name);
    if (ok)
        ok = finish(&c, out);
    free(c.s);
    free(c.hash);
    free(c.e);
    return ok;
}
