/* textgrid: a grid as np.savetxt writes it: one row per layer, one value per
 * head, separated by spaces, tabs or commas (with or without spaces around
 * them); '#' starts a comment (whole line or after the values); blank lines
 * skipped; CRLF or LF; an optional UTF-8 byte order mark. Values are decimal
 * numbers (any of savetxt's formats: %.18e, %g, %d, ...) or nan (no score);
 * inf is an error. Every row must have as many values as the first. */
#include "io_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool is_blank(char c) { return c == ' ' || c == '\t'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)? */
static bool is_decimal(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    bool any = false;
    while (is_digit(*s))
        s++, any = true;
    if (*s == '.') {
        s++;
        while (is_digit(*s))
            s++, any = true;
    }
    if (!any)
        return false;
    if (*s == 'e' || *s == 'E') {
        s++;
        if (*s == '+' || *s == '-')
            s++;
        if (!is_digit(*s))
            return false;
        while (is_digit(*s))
            s++;
    }
    return *s == '\0';
}

typedef struct grid {
    double *v;
    size_t n, cap;
} grid;

static bool push(grid *g, double v)
{
    if (g->n == g->cap) {
        size_t ncap = g->cap ? g->cap * 2 : 256;
        double *nv = realloc(g->v, ncap * sizeof *nv);
        if (!nv)
            return false;
        g->v = nv;
        g->cap = ncap;
    }
    g->v[g->n++] = v;
    return true;
}

/* One value token [p, e) of line `line`, the k-th (1-based) of its row. */
static bool value(const char *name, int line, int k, const char *p, const char *e, double *out,
                  hv_error *err)
{
    char tok[72], q[96];
    size_t len = (size_t)(e - p);
    if (len >= sizeof tok)
        return hv_errorf(err, "%s:%d: value %d: expected a number, got %s", name, line, k,
                         hv_io_quote(q, sizeof q, p, len, 24));
    memcpy(tok, p, len);
    tok[len] = '\0';
    const char *t = tok + (tok[0] == '+' || tok[0] == '-');
    if (strcasecmp(t, "nan") == 0) {
        *out = NAN;
        return true;
    }
    if (strcasecmp(t, "inf") == 0 || strcasecmp(t, "infinity") == 0)
        return hv_errorf(err, "%s:%d: value %d is infinite (%s)", name, line, k,
                         hv_io_quote(q, sizeof q, p, len, 24));
    if (!is_decimal(tok))
        return hv_errorf(err, "%s:%d: value %d: expected a number, got %s", name, line, k,
                         hv_io_quote(q, sizeof q, p, len, 24));
    double v = strtod(tok, NULL);
    if (!isfinite(v))
        return hv_errorf(err, "%s:%d: value %d is infinite (%s is too large for a double)", name,
                         line, k, hv_io_quote(q, sizeof q, p, len, 24));
    *out = v;
    return true;
}

bool hv_textgrid_read(const unsigned char *bytes, size_t n, const char *name,
                      const hv_read_opts *o, hv_grid *out, hv_error *err)
{
    memset(out, 0, sizeof *out);
    const char *b = (const char *)bytes, *end = b + n;
    const char *p = b;
    if (n >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    grid g = {NULL, 0, 0};
    long rows = 0, cols = 0;
    int first_line = 0, line = 0;
    bool ok = true;
    while (ok && p < end) {
        line++;
        const char *e = memchr(p, '\n', (size_t)(end - p));
        const char *next = e ? e + 1 : end;
        if (!e)
            e = end;
        const char *hash = memchr(p, '#', (size_t)(e - p));
        if (hash)
            e = hash;
        while (e > p && (e[-1] == '\r' || is_blank(e[-1])))
            e--;
        while (p < e && is_blank(*p))
            p++;
        if (p == e) {
            p = next;
            continue;
        }
        long k = 0;
        for (;;) {
            const char *s = p;
            while (p < e && !is_blank(*p) && *p != ',')
                p++;
            if (p == s) {
                ok = hv_errorf(err, "%s:%d: value %ld is empty (%s)", name, line, k + 1,
                               k == 0 ? "a comma before the first value"
                                      : "two commas in a row, or one at the end");
                break;
            }
            if (k >= HV_SCORES_MAX_DIM) {
                ok = hv_errorf(err, "%s:%d: more than %d values in a row (heads)", name, line,
                               HV_SCORES_MAX_DIM);
                break;
            }
            double v = 0;
            if (!value(name, line, (int)k + 1, s, p, &v, err)) {
                ok = false;
                break;
            }
            if (g.n >= (size_t)HV_SCORES_MAX_CELLS) {
                ok = hv_errorf(err, "%s:%d: more than %ld values, the limit of heads in a "
                                    "grid (2^20)", name, line, (long)HV_SCORES_MAX_CELLS);
                break;
            }
            if (!push(&g, v)) {
                ok = hv_errorf(err, "%s:%d: out of memory", name, line);
                break;
            }
            k++;
            while (p < e && is_blank(*p))
                p++;
            if (p == e)
                break;
            if (*p == ',') {
                p++;
                while (p < e && is_blank(*p))
                    p++;
            }
        }
        if (!ok)
            break;
        if (rows == 0) {
            cols = k;
            first_line = line;
        } else if (k != cols) {
            ok = hv_errorf(err, "%s:%d: expected %ld values like line %d, got %ld", name, line,
                           cols, first_line, k);
            break;
        }
        if (++rows > HV_SCORES_MAX_DIM) {
            ok = hv_errorf(err, "%s:%d: more than %d rows (layers)", name, line,
                           HV_SCORES_MAX_DIM);
            break;
        }
        p = next;
    }
    if (ok && rows == 0)
        ok = hv_errorf(err, "%s: no values (the file is empty or holds only comments)", name);
    if (ok) {
        hv_reducer r;
        ok = hv_reducer_init(&r, (int)rows, (int)cols, o, name, err);
        if (ok) {
            double *sb = hv_reducer_sample(&r);
            if (sb)
                memcpy(sb, g.v, g.n * sizeof *g.v);
            ok = (sb || hv_errorf(err, "%s: out of memory", name)) && hv_reducer_add(&r, err) &&
                 hv_reducer_finish(&r, out, err);
            if (!ok)
                hv_reducer_free(&r);
        }
    }
    free(g.v);
    return ok;
}
