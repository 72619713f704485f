/* json: scores keyed by head, as JSON or JSON Lines (parsed with cJSON).
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
 * heads never named have no score.
 *
 * Python's json.dump writes NaN, Infinity and -Infinity as bare tokens, which
 * cJSON refuses. Before parsing they are overwritten in a copy by a number of
 * the same length ("0" and spaces, so byte offsets in messages stay true) and
 * remembered by their ordinal among the document's numbers; walking the tree
 * in document order finds them again: NaN is no score (like null), an
 * infinity an error naming its key. */
#include "io_internal.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct special {
    size_t ord; /* which number of the document (0-based) */
    char kind;  /* 'n' NaN, 'i' Infinity, 'I' -Infinity */
} special;

typedef struct entry {
    uint32_t sample;
    int layer, head;
    double v;
} entry;

typedef struct keyref {
    int layer, head;
    int order; /* member index in its object */
    const char *key;
} keyref;

typedef struct jctx {
    const char *name;
    char place[320]; /* message prefix: "x.json", "x.jsonl:3", "x.json: [2]" */
    hv_error *err;
    special *sp;
    size_t nsp, sp_cap, next_sp;
    size_t ord, nnum;
    entry *e;
    size_t ne, e_cap;
    keyref *keys;
    size_t keys_cap;
    int max_layer, max_head;
    long samples;
    bool any_key;
    bool lines; /* JSON Lines */
} jctx;

/* --- the NaN/Infinity pre-scan -------------------------------------------- */

static bool is_num_char(char c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

static bool is_word_char(char c)
{
    return is_num_char(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool push_special(jctx *c, size_t ord, char kind)
{
    if (c->nsp == c->sp_cap) {
        size_t ncap = c->sp_cap ? c->sp_cap * 2 : 16;
        special *ns = realloc(c->sp, ncap * sizeof *ns);
        if (!ns)
            return false;
        c->sp = ns;
        c->sp_cap = ncap;
    }
    c->sp[c->nsp].ord = ord;
    c->sp[c->nsp].kind = kind;
    c->nsp++;
    return true;
}

/* Token w at t[i..] where a value may start, followed by a non-word char. */
static bool token_at(const char *t, size_t i, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n - i >= k && memcmp(t + i, w, k) == 0 && (i + k == n || !is_word_char(t[i + k]));
}

/* Rewrites NaN/Infinity/-Infinity in t[0..n) (outside strings, where a value
 * starts) and counts the numbers where a value starts, as cJSON will see them. */
static bool prescan(jctx *c, char *t, size_t n)
{
    c->nsp = c->next_sp = c->ord = c->nnum = 0;
    bool in_str = false;
    char prev = 0; /* last structural or value character outside strings; 0 = start */
    for (size_t i = 0; i < n; i++) {
        char ch = t[i];
        if (in_str) {
            if (ch == '\\')
                i++;
            else if (ch == '"')
                in_str = false, prev = '"';
            continue;
        }
        if (ch == '"') {
            in_str = true;
            continue;
        }
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
            continue;
        bool value_start = prev == 0 || prev == '[' || prev == ',' || prev == ':';
        if (value_start) {
            const char *w = NULL;
            char kind = 0;
            if (token_at(t, i, n, "NaN"))
                w = "NaN", kind = 'n';
            else if (token_at(t, i, n, "Infinity"))
                w = "Infinity", kind = 'i';
            else if (token_at(t, i, n, "-Infinity"))
                w = "-Infinity", kind = 'I';
            if (w) {
                size_t k = strlen(w);
                t[i] = '0';
                memset(t + i + 1, ' ', k - 1);
                if (!push_special(c, c->nnum, kind))
                    return false;
                c->nnum++;
                i += k - 1;
                prev = '0';
                continue;
            }
            if (ch == '-' || (ch >= '0' && ch <= '9')) {
                c->nnum++;
                while (i + 1 < n && is_num_char(t[i + 1]))
                    i++;
                prev = '0';
                continue;
            }
        }
        prev = ch;
    }
    return true;
}

/* --- collecting values ---------------------------------------------------- */

static const char *type_name(const cJSON *it)
{
    if (cJSON_IsNumber(it))
        return "a number";
    if (cJSON_IsString(it))
        return "a string";
    if (cJSON_IsArray(it))
        return "a list";
    if (cJSON_IsObject(it))
        return "an object";
    if (cJSON_IsBool(it))
        return cJSON_IsTrue(it) ? "true" : "false";
    if (cJSON_IsNull(it))
        return "null";
    return "something else";
}

static const char *qkey(char *buf, size_t cap, const char *k)
{
    return hv_io_quote(buf, cap, k ? k : "", k ? strlen(k) : 0, 60);
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

static bool parse_key(jctx *c, const char *k, int *layer, int *head)
{
    long l = -1, h = -1;
    const char *lt = "", *ht = "";
    int ll = 0, hl = 0;
    const char *p = k ? k : "";
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
                         qkey(q, sizeof q, k));
    if (l >= HV_SCORES_MAX_DIM)
        return hv_errorf(c->err, "%s: key %s: layer %.*s is more than %d", c->place,
                         qkey(q, sizeof q, k), ll, lt, HV_SCORES_MAX_DIM - 1);
    if (h >= HV_SCORES_MAX_DIM)
        return hv_errorf(c->err, "%s: key %s: head %.*s is more than %d", c->place,
                         qkey(q, sizeof q, k), hl, ht, HV_SCORES_MAX_DIM - 1);
    *layer = (int)l;
    *head = (int)h;
    return true;
}

static bool add_entry(jctx *c, long sample, int layer, int head, double v)
{
    if (layer > c->max_layer)
        c->max_layer = layer;
    if (head > c->max_head)
        c->max_head = head;
    if (isnan(v))
        return true; /* extends the grid; no value */
    if (c->ne == c->e_cap) {
        size_t ncap = c->e_cap ? c->e_cap * 2 : 256;
        entry *ne = realloc(c->e, ncap * sizeof *ne);
        if (!ne)
            return hv_errorf(c->err, "%s: out of memory", c->name);
        c->e = ne;
        c->e_cap = ncap;
    }
    c->e[c->ne].sample = (uint32_t)sample;
    c->e[c->ne].layer = layer;
    c->e[c->ne].head = head;
    c->e[c->ne].v = v;
    c->ne++;
    return true;
}

/* A number item, in document order: its value, NaN for NaN, or false (with
 * the message) for an infinity, named by its key and list index (k < 0: not
 * in a list): key "14-7" or key "14-7"[3]. */
static bool number(jctx *c, const cJSON *it, const char *key, long k, double *v)
{
    size_t ord = c->ord++;
    char kind = 0;
    if (c->next_sp < c->nsp && c->sp[c->next_sp].ord == ord)
        kind = c->sp[c->next_sp++].kind;
    if (kind == 'n') {
        *v = NAN;
        return true;
    }
    *v = it->valuedouble;
    if (kind != 'i' && kind != 'I' && isfinite(*v))
        return true;
    char q[96], idx[32] = "";
    if (k >= 0)
        snprintf(idx, sizeof idx, "[%ld]", k);
    if (kind)
        return hv_errorf(c->err, "%s: key %s%s: %s is not a score (infinite)", c->place,
                         qkey(q, sizeof q, key), idx, kind == 'i' ? "Infinity" : "-Infinity");
    return hv_errorf(c->err, "%s: key %s%s: value is infinite (too large for a double)", c->place,
                     qkey(q, sizeof q, key), idx);
}

static int cmp_keyref(const void *a, const void *b)
{
    const keyref *x = a, *y = b;
    if (x->layer != y->layer)
        return x->layer < y->layer ? -1 : 1;
    if (x->head != y->head)
        return x->head < y->head ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* One object: its keys, checked for repeats, and its values. sample >= 0:
 * one sample, values must be numbers or null; sample < 0: values may be lists
 * of samples. */
static bool object(jctx *c, const cJSON *obj, long sample)
{
    int nkeys = cJSON_GetArraySize(obj);
    if (nkeys < 0)
        nkeys = 0;
    if ((size_t)nkeys > c->keys_cap) {
        keyref *nk = realloc(c->keys, (size_t)nkeys * sizeof *nk);
        if (!nk)
            return hv_errorf(c->err, "%s: out of memory", c->name);
        c->keys = nk;
        c->keys_cap = (size_t)nkeys;
    }
    int i = 0;
    char q[96];
    for (const cJSON *it = obj->child; it && i < nkeys; it = it->next, i++) {
        int layer = 0, head = 0;
        if (!parse_key(c, it->string, &layer, &head))
            return false;
        c->any_key = true;
        c->keys[i] = (keyref){layer, head, i, it->string};
        double v;
        if (cJSON_IsNumber(it)) {
            if (!number(c, it, it->string, -1, &v) || !add_entry(c, sample < 0 ? 0 : sample, layer, head, v))
                return false;
        } else if (cJSON_IsNull(it)) {
            if (!add_entry(c, sample < 0 ? 0 : sample, layer, head, NAN))
                return false;
        } else if (sample < 0 && cJSON_IsArray(it)) {
            long k = 0;
            if (!it->child && !add_entry(c, 0, layer, head, NAN))
                return false;
            for (const cJSON *x = it->child; x; x = x->next, k++) {
                if (k >= HV_SCORES_MAX_SAMPLE_CELLS)
                    return hv_errorf(c->err, "%s: key %s: more than %ld samples", c->place,
                                     qkey(q, sizeof q, it->string),
                                     (long)HV_SCORES_MAX_SAMPLE_CELLS);
                if (cJSON_IsNumber(x)) {
                    if (!number(c, x, it->string, k, &v) || !add_entry(c, k, layer, head, v))
                        return false;
                } else if (cJSON_IsNull(x)) {
                    if (!add_entry(c, k, layer, head, NAN))
                        return false;
                } else {
                    return hv_errorf(c->err, "%s: key %s[%ld]: expected a number or null, got %s",
                                     c->place, qkey(q, sizeof q, it->string), k, type_name(x));
                }
            }
            if (k > c->samples)
                c->samples = k;
        } else {
            return hv_errorf(c->err, "%s: key %s: expected a number%s or null, got %s", c->place,
                             qkey(q, sizeof q, it->string),
                             sample < 0 ? ", a list of numbers" : "", type_name(it));
        }
    }
    if (sample < 0 && c->samples < 1)
        c->samples = 1;
    if (i > 1)
        qsort(c->keys, (size_t)i, sizeof *c->keys, cmp_keyref);
    for (int k = 1; k < i; k++)
        if (c->keys[k].layer == c->keys[k - 1].layer && c->keys[k].head == c->keys[k - 1].head) {
            char q2[96];
            return hv_errorf(c->err, "%s: key %s: layer %d head %d given twice (also as %s)",
                             c->place, qkey(q, sizeof q, c->keys[k].key), c->keys[k].layer,
                             c->keys[k].head, qkey(q2, sizeof q2, c->keys[k - 1].key));
        }
    return true;
}

/* --- parsing -------------------------------------------------------------- */

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

bool hv_io_json_locate(const char *t, size_t n, size_t *pos, const char **why)
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

/* Parses t[0..n) (t[n] == '\0', t may be rewritten), one JSON value. base is
 * t's offset in the file and line its first line, for messages. */
static cJSON *parse(jctx *c, char *t, size_t n, size_t base, int line)
{
    if (!prescan(c, t, n)) {
        hv_errorf(c->err, "%s: out of memory", c->name);
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(t, n + 1, &end, 1);
    if (root)
        return root;
    size_t pos;
    const char *why;
    if (!hv_io_json_locate(t, n, &pos, &why)) { /* cJSON refused valid JSON */
        pos = end && end >= t && end <= t + n ? (size_t)(end - t) : 0;
        why = "cannot be parsed";
    }
    int at_line = line + line_of(t, pos) - 1;
    if (why == k_after_value && !c->lines && t[pos] == '{' && at_line > 1) {
        hv_errorf(c->err, "%s:%d: byte %zu: a second JSON object: for one object per line "
                          "(JSON Lines), use the jsonl format", c->name, at_line, base + pos);
        return NULL;
    }
    char d[160];
    hv_errorf(c->err, "%s:%d: byte %zu: invalid JSON: %s", c->name, at_line, base + pos,
              hv_io_json_describe(d, sizeof d, t, n, pos, why, c->lines ? "line" : "file"));
    return NULL;
}

static bool check_count(jctx *c)
{
    if (c->ord != c->nnum)
        return hv_errorf(c->err, "%s: internal error: %zu numbers found, %zu expected", c->name,
                         c->ord, c->nnum);
    return true;
}

static bool read_json(jctx *c, char *t, size_t n)
{
    cJSON *root = parse(c, t, n, 0, 1);
    if (!root)
        return false;
    bool ok = true;
    snprintf(c->place, sizeof c->place, "%s", c->name);
    if (cJSON_IsObject(root)) {
        ok = object(c, root, -1);
    } else if (cJSON_IsArray(root)) {
        long i = 0;
        for (const cJSON *it = root->child; it && ok; it = it->next, i++) {
            if (i >= HV_SCORES_MAX_SAMPLE_CELLS) {
                ok = hv_errorf(c->err, "%s: more than %ld samples", c->name,
                               (long)HV_SCORES_MAX_SAMPLE_CELLS);
                break;
            }
            snprintf(c->place, sizeof c->place, "%s: [%ld]", c->name, i);
            if (!cJSON_IsObject(it))
                ok = hv_errorf(c->err, "%s: expected an object {\"LAYER-HEAD\": score, ...}, got "
                                       "%s", c->place, type_name(it));
            else
                ok = object(c, it, i);
        }
        c->samples = i;
    } else {
        ok = hv_errorf(c->err, "%s: expected an object {\"LAYER-HEAD\": score, ...} or a list of "
                               "them, got %s", c->name, type_name(root));
    }
    if (ok)
        ok = check_count(c);
    cJSON_Delete(root);
    return ok;
}

static bool read_jsonl(jctx *c, char *t, size_t n)
{
    size_t i = 0;
    int line = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && t[e] != '\n')
            e++;
        line++;
        size_t s = i;
        while (s < e && (t[s] == ' ' || t[s] == '\t' || t[s] == '\r'))
            s++;
        if (s < e) {
            if (c->samples >= HV_SCORES_MAX_SAMPLE_CELLS)
                return hv_errorf(c->err, "%s:%d: more than %ld samples", c->name, line,
                                 (long)HV_SCORES_MAX_SAMPLE_CELLS);
            t[e] = '\0'; /* t[n] is already '\0' */
            cJSON *root = parse(c, t + i, e - i, i, line);
            if (!root)
                return false;
            snprintf(c->place, sizeof c->place, "%s:%d", c->name, line);
            bool ok;
            if (!cJSON_IsObject(root))
                ok = hv_errorf(c->err, "%s: expected an object {\"LAYER-HEAD\": score, ...}, got "
                                       "%s", c->place, type_name(root));
            else
                ok = object(c, root, c->samples) && check_count(c);
            cJSON_Delete(root);
            if (!ok)
                return false;
            c->samples++;
        }
        i = e + 1;
    }
    return true;
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return x->sample < y->sample ? -1 : x->sample > y->sample;
}

static bool reduce_entries(jctx *c, const hv_read_opts *o, hv_grid *out)
{
    long L = (long)c->max_layer + 1, H = (long)c->max_head + 1;
    char why[128];
    if (hv_io_shape_problem((uint64_t)c->samples, (uint64_t)L, (uint64_t)H, why, sizeof why))
        return hv_errorf(c->err, "%s: %ld sample%s of layers 0..%ld, heads 0..%ld: %s", c->name,
                         c->samples, c->samples == 1 ? "" : "s", L - 1, H - 1, why);
    if (c->ne > 1)
        qsort(c->e, c->ne, sizeof *c->e, cmp_entry);
    hv_reducer r;
    if (!hv_reducer_init(&r, (int)L, (int)H, o, c->name, c->err))
        return false;
    size_t k = 0;
    for (long s = 0; s < c->samples; s++) {
        double *b = hv_reducer_sample(&r);
        for (; k < c->ne && c->e[k].sample == (uint32_t)s; k++)
            b[(size_t)c->e[k].layer * (size_t)H + (size_t)c->e[k].head] = c->e[k].v;
        if (!hv_reducer_add(&r, c->err)) {
            hv_reducer_free(&r);
            return false;
        }
    }
    return hv_reducer_finish(&r, out, c->err);
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
    char *t = malloc(n + 1);
    if (!t)
        return hv_errorf(err, "%s: out of memory (%zu bytes)", name, n);
    memcpy(t, b, n);
    t[n] = '\0';
    if (n >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0)
        memset(t, ' ', 3);
    jctx c;
    memset(&c, 0, sizeof c);
    c.name = name;
    c.err = err;
    c.max_layer = c.max_head = -1;
    c.lines = lines;
    bool ok;
    size_t s = 0;
    while (s < n && (t[s] == ' ' || t[s] == '\t' || t[s] == '\n' || t[s] == '\r'))
        s++;
    if (s == n)
        ok = hv_errorf(err, "%s: the file is empty (no JSON %s)", name,
                       lines ? "lines" : "value");
    else
        ok = lines ? read_jsonl(&c, t, n) : read_json(&c, t, n);
    if (ok && !c.any_key)
        ok = hv_errorf(err, "%s: no scores (no \"LAYER-HEAD\" keys)", name);
    if (ok)
        ok = reduce_entries(&c, o, out);
    free(t);
    free(c.sp);
    free(c.e);
    free(c.keys);
    return ok;
}
