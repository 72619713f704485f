#include "dataset.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { COL_MODEL, COL_CONDITION, COL_LAYER, COL_HEAD, COL_SCORE, COL_COUNT };
static const char *const k_col_names[COL_COUNT] = {"model", "condition", "layer", "head", "score"};

#define MAX_FIELDS 256
#define MAX_FIELD_LEN 1024

/* One CSV record, fields copied out with quotes resolved. */
typedef struct record {
    char *buf; /* field storage */
    size_t buf_cap;
    size_t offs[MAX_FIELDS];
    int n;
    int line; /* line the record starts on */
} record;

typedef struct reader {
    const char *p, *end;
    int line;
    const char *name;
} reader;

static bool rec_push_char(record *r, size_t *len, char c, const reader *rd, hv_error *err)
{
    if (*len + 2 > r->buf_cap) {
        size_t cap = r->buf_cap ? r->buf_cap * 2 : 256;
        char *nb = realloc(r->buf, cap);
        if (!nb)
            return hv_errorf(err, "%s:%d: out of memory", rd->name, rd->line);
        r->buf = nb;
        r->buf_cap = cap;
    }
    r->buf[(*len)++] = c;
    return true;
}

/* Reads one record. Returns 1 on a record, 0 at end of input, -1 on error.
 * Blank lines are skipped. */
static int read_record(reader *rd, record *r, hv_error *err)
{
    /* skip blank lines */
    while (rd->p < rd->end && (*rd->p == '\n' || *rd->p == '\r')) {
        if (*rd->p == '\n')
            rd->line++;
        else if (rd->p + 1 < rd->end && rd->p[1] == '\n')
            rd->p++, rd->line++;
        else
            rd->line++;
        rd->p++;
    }
    if (rd->p >= rd->end)
        return 0;
    r->n = 0;
    r->line = rd->line;
    size_t len = 0;
    for (;;) {
        if (r->n >= MAX_FIELDS) {
            hv_errorf(err, "%s:%d: more than %d fields in a row", rd->name, rd->line, MAX_FIELDS);
            return -1;
        }
        r->offs[r->n] = len;
        size_t start = len;
        if (rd->p < rd->end && *rd->p == '"') {
            int qline = rd->line;
            rd->p++;
            for (;;) {
                if (rd->p >= rd->end) {
                    hv_errorf(err, "%s:%d: field %d: quoted field is not closed", rd->name, qline,
                              r->n + 1);
                    return -1;
                }
                char c = *rd->p++;
                if (c == '"') {
                    if (rd->p < rd->end && *rd->p == '"') {
                        rd->p++;
                    } else {
                        break;
                    }
                } else if (c == '\n') {
                    rd->line++;
                }
                if (!rec_push_char(r, &len, c, rd, err))
                    return -1;
            }
            if (rd->p < rd->end && *rd->p != ',' && *rd->p != '\n' && *rd->p != '\r') {
                hv_errorf(err, "%s:%d: field %d: unexpected character after closing quote",
                          rd->name, rd->line, r->n + 1);
                return -1;
            }
        } else {
            while (rd->p < rd->end && *rd->p != ',' && *rd->p != '\n' && *rd->p != '\r') {
                if (*rd->p == '"') {
                    hv_errorf(err, "%s:%d: field %d: stray quote in unquoted field", rd->name,
                              rd->line, r->n + 1);
                    return -1;
                }
                if (!rec_push_char(r, &len, *rd->p++, rd, err))
                    return -1;
            }
        }
        if (len - start > MAX_FIELD_LEN) {
            hv_errorf(err, "%s:%d: field %d is longer than %d bytes", rd->name, rd->line,
                      r->n + 1, MAX_FIELD_LEN);
            return -1;
        }
        if (!rec_push_char(r, &len, '\0', rd, err))
            return -1;
        r->n++;
        if (rd->p < rd->end && *rd->p == ',') {
            rd->p++;
            continue;
        }
        /* end of record */
        if (rd->p < rd->end && *rd->p == '\r')
            rd->p++;
        if (rd->p < rd->end && *rd->p == '\n')
            rd->p++;
        rd->line++;
        return 1;
    }
}

static const char *field(const record *r, int i) { return r->buf + r->offs[i]; }

static void trim(const char *s, const char **b, const char **e)
{
    while (*s == ' ' || *s == '\t')
        s++;
    const char *t = s + strlen(s);
    while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
        t--;
    *b = s;
    *e = t;
}

static bool parse_index(const char *s, int *out)
{
    const char *b, *e;
    trim(s, &b, &e);
    if (b == e)
        return false;
    long v = 0;
    for (const char *q = b; q < e; q++) {
        if (*q < '0' || *q > '9')
            return false;
        v = v * 10 + (*q - '0');
        if (v > HV_MAX_LAYER)
            return false;
    }
    *out = (int)v;
    return true;
}

static bool parse_score(const char *s, double *out, bool *nonfinite)
{
    const char *b, *e;
    trim(s, &b, &e);
    *nonfinite = false;
    if (b == e || (size_t)(e - b) > 64)
        return false;
    char tmp[80];
    memcpy(tmp, b, (size_t)(e - b));
    tmp[e - b] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end == tmp || *end != '\0')
        return false;
    /* strtod accepts hex floats; also accepts nan/inf, which we reject, and
     * overflows to +-inf. ERANGE with a finite result is an underflow: the
     * value (0 or subnormal) is the nearest one and is kept. */
    if (!isfinite(v)) {
        *nonfinite = true;
        return false;
    }
    *out = v;
    return true;
}

/* A field or name as shown in a message: control characters (a quoted field
 * may hold newlines) as \xNN, cut after 64 bytes, so the message stays one
 * line. */
static const char *shown(const char *s, char *buf, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; s[i] && o + 8 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (i >= 64) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (c < 0x20 || c == 0x7f)
            o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
        else
            buf[o++] = (char)c;
    }
    buf[o] = '\0';
    return buf;
}

static int intern(char names[][HV_MAX_NAME], int *n, int max, const char *s)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    if (*n >= max)
        return -1;
    snprintf(names[*n], HV_MAX_NAME, "%s", s);
    return (*n)++;
}

void hv_dataset_free(hv_dataset *ds)
{
    free(ds->points);
    memset(ds, 0, sizeof *ds);
}

static bool push_point(hv_dataset *ds, hv_point pt)
{
    if (ds->n_points == ds->cap_points) {
        int cap = ds->cap_points ? ds->cap_points * 2 : 64;
        hv_point *np = realloc(ds->points, (size_t)cap * sizeof *np);
        if (!np)
            return false;
        ds->points = np;
        ds->cap_points = cap;
    }
    ds->points[ds->n_points++] = pt;
    return true;
}

static int cmp_key(const void *pa, const void *pb)
{
    const hv_point *a = pa, *b = pb;
    int ka[5] = {a->model, a->condition, a->layer, a->head, a->line};
    int kb[5] = {b->model, b->condition, b->layer, b->head, b->line};
    for (int i = 0; i < 5; i++)
        if (ka[i] != kb[i])
            return ka[i] < kb[i] ? -1 : 1;
    return 0;
}

/* A (model, condition, layer, head) may appear once. Sorting a copy keeps this
 * O(n log n) however large the file. */
static bool check_duplicates(const hv_dataset *ds, const char *name, hv_error *err)
{
    hv_point *tmp = malloc((size_t)ds->n_points * sizeof *tmp);
    if (!tmp)
        return hv_errorf(err, "%s: out of memory", name);
    memcpy(tmp, ds->points, (size_t)ds->n_points * sizeof *tmp);
    qsort(tmp, (size_t)ds->n_points, sizeof *tmp, cmp_key);
    for (int i = 1; i < ds->n_points; i++) {
        const hv_point *q = &tmp[i - 1], *p = &tmp[i];
        if (q->model == p->model && q->condition == p->condition && q->layer == p->layer &&
            q->head == p->head) {
            char m[300], c[300];
            hv_errorf(err,
                      "%s:%d: duplicate point: model \"%s\", condition \"%s\", layer %d, head %d is already on line %d",
                      name, p->line, shown(ds->models[p->model], m, sizeof m),
                      shown(ds->conditions[p->condition], c, sizeof c), p->layer, p->head, q->line);
            free(tmp);
            return false;
        }
    }
    free(tmp);
    return true;
}

/* A model or condition name: trimmed, non-empty, short enough; numbered in
 * order of first appearance. Returns its index, or -1 with err filled. */
static int name_column(char names[][HV_MAX_NAME], int *n, int max, const char *s, const char *column,
                       const char *plural, const reader *rd, int line, hv_error *err)
{
    const char *b, *e;
    trim(s, &b, &e);
    if (b == e) {
        hv_errorf(err, "%s:%d: column \"%s\": empty", rd->name, line, column);
        return -1;
    }
    if ((size_t)(e - b) >= HV_MAX_NAME) {
        hv_errorf(err, "%s:%d: column \"%s\": longer than %d bytes", rd->name, line, column, HV_MAX_NAME - 1);
        return -1;
    }
    char name[HV_MAX_NAME];
    snprintf(name, sizeof name, "%.*s", (int)(e - b), b);
    int idx = intern(names, n, max, name);
    if (idx < 0)
        hv_errorf(err, "%s:%d: column \"%s\": more than %d %s", rd->name, line, column, max, plural);
    return idx;
}

static bool parse_body(hv_dataset *ds, reader *rd, record *r, hv_error *err)
{
    int rc = read_record(rd, r, err);
    if (rc < 0)
        return false;
    if (rc == 0)
        return hv_errorf(err, "%s: file is empty (expected a header row: %s)", rd->name,
                         "model,condition,layer,head,score");
    int col[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++)
        col[c] = -1;
    for (int i = 0; i < r->n; i++) {
        const char *b, *e;
        trim(field(r, i), &b, &e);
        for (int c = 0; c < COL_COUNT; c++) {
            size_t n = strlen(k_col_names[c]);
            if ((size_t)(e - b) == n && strncasecmp(b, k_col_names[c], n) == 0) {
                if (col[c] >= 0)
                    return hv_errorf(err, "%s:%d: column \"%s\" appears twice in the header",
                                     rd->name, r->line, k_col_names[c]);
                col[c] = i;
            }
        }
    }
    for (int c = 0; c < COL_COUNT; c++)
        if (col[c] < 0)
            return hv_errorf(err,
                             "%s:%d: header has no column \"%s\" (need model,condition,layer,head,score)",
                             rd->name, r->line, k_col_names[c]);
    int header_fields = r->n;
    while ((rc = read_record(rd, r, err)) == 1) {
        if (r->n != header_fields)
            return hv_errorf(err, "%s:%d: expected %d fields like the header, got %d", rd->name,
                             r->line, header_fields, r->n);
        hv_point pt = {0};
        char v[300];
        pt.line = r->line;
        pt.model = name_column(ds->models, &ds->n_models, HV_MAX_MODELS, field(r, col[COL_MODEL]), "model",
                               "models", rd, r->line, err);
        if (pt.model < 0)
            return false;
        pt.condition = name_column(ds->conditions, &ds->n_conditions, HV_MAX_CONDITIONS,
                                   field(r, col[COL_CONDITION]), "condition", "conditions", rd, r->line, err);
        if (pt.condition < 0)
            return false;
        if (!parse_index(field(r, col[COL_LAYER]), &pt.layer))
            return hv_errorf(err, "%s:%d: column \"layer\": expected an integer 0..%d, got \"%s\"",
                             rd->name, r->line, HV_MAX_LAYER, shown(field(r, col[COL_LAYER]), v, sizeof v));
        if (!parse_index(field(r, col[COL_HEAD]), &pt.head))
            return hv_errorf(err, "%s:%d: column \"head\": expected an integer 0..%d, got \"%s\"",
                             rd->name, r->line, HV_MAX_LAYER, shown(field(r, col[COL_HEAD]), v, sizeof v));
        bool nonfinite;
        if (!parse_score(field(r, col[COL_SCORE]), &pt.score, &nonfinite))
            return hv_errorf(err, "%s:%d: column \"score\": expected a finite number, got \"%s\"",
                             rd->name, r->line, shown(field(r, col[COL_SCORE]), v, sizeof v));
        if (fabs(pt.score) > HV_MAX_SCORE) /* keeps every range and label finite */
            return hv_errorf(err, "%s:%d: column \"score\": %s is outside -1e15..1e15", rd->name, r->line,
                             shown(field(r, col[COL_SCORE]), v, sizeof v));
        if (!push_point(ds, pt))
            return hv_errorf(err, "%s:%d: out of memory", rd->name, r->line);
    }
    if (rc < 0)
        return false;
    if (ds->n_points == 0)
        return hv_errorf(err, "%s: no data rows after the header", rd->name);
    return check_duplicates(ds, rd->name, err);
}

bool hv_dataset_parse(hv_dataset *ds, const char *text, size_t len, const char *name,
                      hv_error *err)
{
    memset(ds, 0, sizeof *ds);
    reader rd = {text, text + len, 1, name};
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        rd.p += 3;
    if (memchr(text, '\0', len))
        return hv_errorf(err, "%s: not a text file (contains NUL bytes)", name);
    record r = {0};
    bool ok = parse_body(ds, &rd, &r, err);
    free(r.buf);
    if (!ok)
        hv_dataset_free(ds);
    return ok;
}

static void close_input(FILE *f)
{
    if (f != stdin)
        fclose(f);
}

bool hv_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len, hv_error *err)
{
    *out = NULL;
    *out_len = 0;
    bool is_stdin = strcmp(path, "-") == 0; /* "-" reads standard input */
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (is_stdin)
        path = "<stdin>";
    if (!f)
        return hv_errorf(err, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        close_input(f);
        return hv_errorf(err, "%s: is a directory, expected a file", path);
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close_input(f);
        return hv_errorf(err, "%s: out of memory", path);
    }
    for (;;) {
        if (len == cap) {
            if (len > max_bytes) {
                free(buf);
                close_input(f);
                return hv_errorf(err, "%s: larger than %zu bytes", path, max_bytes);
            }
            /* room for one byte past the limit, to tell "exactly max_bytes"
             * from "larger" */
            cap = cap * 2 < max_bytes + 1 ? cap * 2 : max_bytes + 1;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                close_input(f);
                return hv_errorf(err, "%s: out of memory", path);
            }
            buf = nb;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f)) {
                int e = errno;
                free(buf);
                close_input(f);
                return hv_errorf(err, "%s: read error: %s", path, strerror(e));
            }
            break;
        }
    }
    close_input(f);
    if (len > max_bytes) { /* the first buffer can hold more than max_bytes */
        free(buf);
        return hv_errorf(err, "%s: larger than %zu bytes", path, max_bytes);
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return true;
}

bool hv_dataset_load(hv_dataset *ds, const char *path, hv_error *err)
{
    char *buf;
    size_t len;
    memset(ds, 0, sizeof *ds);
    if (!hv_read_file(path, (size_t)64 << 20, &buf, &len, err))
        return false;
    bool ok = hv_dataset_parse(ds, buf, len, strcmp(path, "-") == 0 ? "<stdin>" : path, err);
    free(buf);
    return ok;
}

double hv_dataset_max_score(const hv_dataset *ds, int condition)
{
    double m = 0.0;
    bool any = false;
    for (int i = 0; i < ds->n_points; i++)
        if (ds->points[i].condition == condition && (!any || ds->points[i].score > m)) {
            m = ds->points[i].score;
            any = true;
        }
    return any ? m : 0.0;
}

int hv_dataset_max_layer(const hv_dataset *ds)
{
    int m = -1;
    for (int i = 0; i < ds->n_points; i++)
        if (ds->points[i].layer > m)
            m = ds->points[i].layer;
    return m;
}

int hv_dataset_max_head(const hv_dataset *ds)
{
    int m = -1;
    for (int i = 0; i < ds->n_points; i++)
        if (ds->points[i].head > m)
            m = ds->points[i].head;
    return m;
}
