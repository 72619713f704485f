#include "dataset.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

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
    /* skip blank lines: empty, or only spaces and tabs (LF, CRLF or CR) */
    for (;;) {
        const char *q = rd->p;
        while (q < rd->end && (*q == ' ' || *q == '\t'))
            q++;
        if (q == rd->end) {
            rd->p = q;
            return 0;
        }
        if (*q != '\n' && *q != '\r')
            break; /* a record starts at rd->p */
        if (*q == '\r' && q + 1 < rd->end && q[1] == '\n')
            q++;
        rd->p = q + 1;
        rd->line++;
    }
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

/* A score: finite, or NaN ("nan", any case: no score); infinities and
 * anything else are refused (*nonfinite tells infinities apart). */
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
    /* strtod accepts hex floats; also accepts nan (no score) and inf, which
     * we reject, and overflows to +-inf. ERANGE with a finite result is an
     * underflow: the value (0 or subnormal) is the nearest one and is kept. */
    if (isnan(v)) {
        *out = v;
        return true;
    }
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
    for (int i = 0; i < ds->n_sources; i++)
        free(ds->sources[i]);
    free(ds->sources);
    memset(ds, 0, sizeof *ds);
}

void hv_dataset_no_score_message(const hv_dataset *ds, const char *data_name, char *out, int size)
{
    out[0] = '\0';
    if (ds->n_no_score <= 0)
        return;
    const hv_point *p = &ds->first_no_score;
    snprintf(out, (size_t)size, "%d row%s no score (nan) and %s not drawn; the first: %s:%d (%s, %s, layer %d, head %d)",
             ds->n_no_score, ds->n_no_score == 1 ? " has" : "s have", ds->n_no_score == 1 ? "is" : "are", data_name,
             p->line, ds->models[p->model], ds->conditions[p->condition], p->layer, p->head);
}

/* The index of a source name (added when new), or -1 on out of memory. */
static int add_source(hv_dataset *ds, const char *name)
{
    for (int i = 0; i < ds->n_sources; i++)
        if (strcmp(ds->sources[i], name) == 0)
            return i;
    char **ns = realloc(ds->sources, (size_t)(ds->n_sources + 1) * sizeof *ns);
    if (!ns)
        return -1;
    ds->sources = ns;
    size_t n = strlen(name) + 1;
    if (!(ds->sources[ds->n_sources] = malloc(n)))
        return -1;
    memcpy(ds->sources[ds->n_sources], name, n);
    return ds->n_sources++;
}

const char *hv_dataset_source(const hv_dataset *ds, const hv_point *p)
{
    return p->source >= 0 && p->source < ds->n_sources ? ds->sources[p->source] : "";
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
            return hv_errorf(err, "%s:%d: column \"score\": expected a finite number (or nan: no score), got \"%s\"",
                             rd->name, r->line, shown(field(r, col[COL_SCORE]), v, sizeof v));
        if (isnan(pt.score)) { /* no score: never a marker, never ranked, but said */
            if (ds->n_no_score++ == 0)
                ds->first_no_score = pt;
            continue;
        }
        if (fabs(pt.score) > HV_MAX_SCORE) /* keeps every range and label finite */
            return hv_errorf(err, "%s:%d: column \"score\": %s is outside -1e15..1e15", rd->name, r->line,
                             shown(field(r, col[COL_SCORE]), v, sizeof v));
        if (!push_point(ds, pt))
            return hv_errorf(err, "%s:%d: out of memory", rd->name, r->line);
    }
    if (rc < 0)
        return false;
    if (ds->n_points == 0 && ds->n_no_score > 0)
        return hv_errorf(err, "%s:%d: column \"score\": every data row has no score (nan): nothing to draw",
                         rd->name, ds->first_no_score.line);
    if (ds->n_points == 0)
        return hv_errorf(err, "%s: no data rows after the header", rd->name);
    if (!check_duplicates(ds, rd->name, err))
        return false;
    /* each model's extent: its largest layer and head (a grid may widen it) */
    for (int i = 0; i < ds->n_points; i++) {
        hv_point *p = &ds->points[i];
        p->source = 0;
        ds->layers[p->model] = p->layer + 1 > ds->layers[p->model] ? p->layer + 1 : ds->layers[p->model];
        ds->heads[p->model] = p->head + 1 > ds->heads[p->model] ? p->head + 1 : ds->heads[p->model];
    }
    if (add_source(ds, rd->name) != 0)
        return hv_errorf(err, "%s: out of memory", rd->name);
    return true;
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

/* How long a FIFO named by path may wait for a writer before reading it is
 * given up: a FIFO that nobody writes would block forever. */
#define HV_PIPE_WAIT_MS 5000

/* Opens path for reading without ever blocking: a regular file, or a pipe
 * / FIFO / terminal read with a time limit; sockets, devices and folders
 * are refused. "-" is standard input. Returns the descriptor, or -1 with
 * err filled. *stream: a FIFO or pipe named by path, whose first byte is
 * waited for with a time limit (standard input and terminals wait, since
 * whoever connected them is writing). */
static int open_input(const char *path, const char *shown, bool *stream, hv_error *err)
{
    *stream = false;
    bool is_stdin = strcmp(path, "-") == 0;
    int fd = is_stdin ? dup(0) : open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENXIO) /* a socket, or a FIFO that cannot be opened */
            hv_errorf(err, "%s: cannot open: not a regular file", shown);
        else
            hv_errorf(err, "%s: cannot open: %s", shown, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        hv_errorf(err, "%s: cannot open: %s", shown, strerror(errno));
        close(fd);
        return -1;
    }
    const char *kind = S_ISDIR(st.st_mode)    ? "is a directory, expected a file"
                       : S_ISSOCK(st.st_mode) ? "is a socket, expected a file"
                       : S_ISBLK(st.st_mode)  ? "is a block device, expected a file"
                       : (S_ISCHR(st.st_mode) && !isatty(fd)) ? "is a device, expected a file"
                                                              : NULL;
    if (kind) {
        hv_errorf(err, "%s: %s", shown, kind);
        close(fd);
        return -1;
    }
    *stream = !is_stdin && S_ISFIFO(st.st_mode);
    /* O_NONBLOCK was only for open(): a FIFO's open() waits for a writer */
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0 && !*stream && !is_stdin)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    return fd;
}

/* Waits until fd has data or end of file; false after HV_PIPE_WAIT_MS of
 * silence. A FIFO that no writer has opened reports neither (and read()
 * would say end of file at once): that is the "no writer" case. */
static bool wait_readable(int fd)
{
    struct pollfd p = {fd, POLLIN, 0};
    for (;;) {
        int rc = poll(&p, 1, HV_PIPE_WAIT_MS);
        if (rc > 0)
            return true;
        if (rc == 0)
            return false;
        if (errno != EINTR)
            return true; /* let read() report it */
    }
}

bool hv_read_file(const char *path, size_t max_bytes, char **out, size_t *out_len, hv_error *err)
{
    *out = NULL;
    *out_len = 0;
    const char *shown = strcmp(path, "-") == 0 ? "<stdin>" : path; /* "-" reads standard input */
    bool stream;
    int fd = open_input(path, shown, &stream, err);
    if (fd < 0)
        return false;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return hv_errorf(err, "%s: out of memory", shown);
    }
    bool ok = true;
    for (;;) {
        if (len == cap) {
            if (len > max_bytes) {
                ok = hv_errorf(err, "%s: larger than %zu bytes", shown, max_bytes);
                break;
            }
            /* room for one byte past the limit, to tell "exactly max_bytes"
             * from "larger" */
            cap = cap * 2 < max_bytes + 1 ? cap * 2 : max_bytes + 1;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                ok = hv_errorf(err, "%s: out of memory", shown);
                break;
            }
            buf = nb;
        }
        if (stream && !wait_readable(fd)) {
            ok = hv_errorf(err, "%s: a FIFO with no writer: nothing to read after %d s", shown,
                           HV_PIPE_WAIT_MS / 1000);
            break;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN) {
            struct pollfd p = {fd, POLLIN, 0};
            poll(&p, 1, -1); /* a writer is connected: wait for it */
            continue;
        }
        if (n < 0) {
            ok = hv_errorf(err, "%s: read error: %s", shown, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        stream = false; /* a writer is there: wait for the rest like a pipe */
    }
    close(fd);
    if (ok && len > max_bytes) /* the first buffer can hold more than max_bytes */
        ok = hv_errorf(err, "%s: larger than %zu bytes", shown, max_bytes);
    if (!ok) {
        free(buf);
        return false;
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

bool hv_dataset_add_grid(hv_dataset *ds, const char *model, const char *condition, int layers, int heads,
                         const double *v, const char *source, hv_error *err)
{
    /* names are trimmed of the blanks around them, as the CSV's are */
    char mt[HV_MAX_NAME], ct[HV_MAX_NAME];
    const char *b, *e;
    trim(model, &b, &e);
    snprintf(mt, sizeof mt, "%.*s", (int)(e - b) < HV_MAX_NAME ? (int)(e - b) : HV_MAX_NAME, b);
    if ((size_t)(e - b) >= HV_MAX_NAME)
        mt[0] = '\0';
    trim(condition, &b, &e);
    snprintf(ct, sizeof ct, "%.*s", (int)(e - b) < HV_MAX_NAME ? (int)(e - b) : HV_MAX_NAME, b);
    if ((size_t)(e - b) >= HV_MAX_NAME)
        ct[0] = '\0';
    model = mt;
    condition = ct;
    if (strlen(model) >= HV_MAX_NAME || strlen(condition) >= HV_MAX_NAME || !*model || !*condition)
        return hv_errorf(err, "%s: a model or condition name must be 1..%d bytes", source, HV_MAX_NAME - 1);
    if (layers < 1 || heads < 1 || layers > HV_MAX_LAYER + 1 || heads > HV_MAX_LAYER + 1)
        return hv_errorf(err, "%s: %d x %d heads is not a grid headviz can show", source, layers, heads);
    int m = intern(ds->models, &ds->n_models, HV_MAX_MODELS, model);
    if (m < 0)
        return hv_errorf(err, "%s: model \"%s\": more than %d models", source, model, HV_MAX_MODELS);
    int c = intern(ds->conditions, &ds->n_conditions, HV_MAX_CONDITIONS, condition);
    if (c < 0)
        return hv_errorf(err, "%s: condition \"%s\": more than %d conditions", source, condition,
                         HV_MAX_CONDITIONS);
    for (int i = 0; i < ds->n_points; i++)
        if (ds->points[i].model == m && ds->points[i].condition == c)
            return hv_errorf(err, "%s: model \"%s\", condition \"%s\" already has scores from %s", source, model,
                             condition, hv_dataset_source(ds, &ds->points[i]));
    for (int k = 0; k < ds->n_conditions; k++)
        if (k != c && ds->full[m][k] && (ds->layers[m] != layers || ds->heads[m] != heads))
            return hv_errorf(err,
                             "%s: %d layers x %d heads, but model \"%s\" has %d x %d in condition \"%s\"",
                             source, layers, heads, model, ds->layers[m], ds->heads[m], ds->conditions[k]);
    bool any_full = false;
    for (int k = 0; k < ds->n_conditions; k++)
        any_full |= ds->full[m][k];
    if (!any_full && (ds->layers[m] > layers || ds->heads[m] > heads))
        return hv_errorf(err, "%s: %d layers x %d heads, but model \"%s\" has heads up to layer %d, head %d",
                         source, layers, heads, model, ds->layers[m] - 1, ds->heads[m] - 1);
    int src = add_source(ds, source);
    if (src < 0)
        return hv_errorf(err, "%s: out of memory", source);
    long n = (long)layers * heads;
    if ((long)ds->n_points + n > (1L << 25))
        return hv_errorf(err, "%s: more than %ld scored heads in all", source, 1L << 25);
    for (long i = 0; i < n; i++) {
        if (isnan(v[i]))
            continue; /* no score */
        if (!isfinite(v[i]) || fabs(v[i]) > HV_MAX_SCORE)
            return hv_errorf(err, "%s: layer %ld, head %ld: %g is outside -1e15..1e15", source, i / heads, i % heads,
                             v[i]);
        hv_point pt = {m, c, (int)(i / heads), (int)(i % heads), v[i], 0, src};
        if (!push_point(ds, pt))
            return hv_errorf(err, "%s: out of memory", source);
    }
    ds->layers[m] = layers;
    ds->heads[m] = heads;
    ds->full[m][c] = true;
    return true;
}

static double rank_key(double score, bool by_abs) { return by_abs ? fabs(score) : score; }

/* Stronger first: key, then lower layer, then lower head. */
static bool stronger(const hv_point *a, const hv_point *b, bool by_abs)
{
    double ka = rank_key(a->score, by_abs), kb = rank_key(b->score, by_abs);
    if (ka != kb)
        return ka > kb;
    if (a->layer != b->layer)
        return a->layer < b->layer;
    return a->head < b->head;
}

typedef struct rank_ctx {
    const hv_point *pts;
    bool by_abs;
} rank_ctx;

static _Thread_local rank_ctx g_rank;

static int cmp_rank(const void *pa, const void *pb)
{
    const hv_point *a = &g_rank.pts[*(const int *)pa], *b = &g_rank.pts[*(const int *)pb];
    return stronger(a, b, g_rank.by_abs) ? -1 : stronger(b, a, g_rank.by_abs) ? 1 : 0;
}

bool hv_dataset_top_k(const hv_dataset *all, int k, bool by_abs, hv_dataset *out, hv_error *err)
{
    memset(out, 0, sizeof *out);
    memcpy(out->models, all->models, sizeof out->models);
    memcpy(out->conditions, all->conditions, sizeof out->conditions);
    out->n_models = all->n_models;
    out->n_conditions = all->n_conditions;
    memcpy(out->layers, all->layers, sizeof out->layers);
    memcpy(out->heads, all->heads, sizeof out->heads);
    memcpy(out->full, all->full, sizeof out->full);
    for (int i = 0; i < all->n_sources; i++)
        if (add_source(out, all->sources[i]) != i) {
            hv_dataset_free(out);
            return hv_errorf(err, "out of memory");
        }
    int *idx = malloc(((size_t)all->n_points + 1) * sizeof *idx);
    unsigned char *keep = calloc((size_t)all->n_points + 1, 1);
    if (!idx || !keep) {
        free(idx), free(keep);
        hv_dataset_free(out);
        return hv_errorf(err, "out of memory");
    }
    for (int m = 0; m < all->n_models; m++)
        for (int c = 0; c < all->n_conditions; c++) {
            int n = 0;
            for (int i = 0; i < all->n_points; i++)
                if (all->points[i].model == m && all->points[i].condition == c)
                    idx[n++] = i;
            int take = k > 0 && k < n ? k : n;
            if (take < n) {
                g_rank = (rank_ctx){all->points, by_abs};
                qsort(idx, (size_t)n, sizeof *idx, cmp_rank);
            }
            for (int i = 0; i < take; i++)
                keep[idx[i]] = 1;
        }
    /* in the order of `all`: the same data in the same order gives the same
     * picture */
    bool ok = true;
    for (int i = 0; i < all->n_points && ok; i++)
        if (keep[i])
            ok = push_point(out, all->points[i]);
    free(idx);
    free(keep);
    if (!ok) {
        hv_dataset_free(out);
        return hv_errorf(err, "out of memory");
    }
    return true;
}

int hv_dataset_rank(const hv_dataset *ds, int model, int condition, int layer, int head, bool by_abs, int *of,
                    double *score)
{
    const hv_point *self = NULL;
    int n = 0;
    for (int i = 0; i < ds->n_points; i++) {
        const hv_point *p = &ds->points[i];
        if (p->model != model || p->condition != condition)
            continue;
        n++;
        if (p->layer == layer && p->head == head)
            self = p;
    }
    *of = n;
    if (!self)
        return 0;
    if (score)
        *score = self->score;
    int better = 0;
    for (int i = 0; i < ds->n_points; i++) {
        const hv_point *p = &ds->points[i];
        if (p->model == model && p->condition == condition && p != self && stronger(p, self, by_abs))
            better++;
    }
    return better + 1;
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

/* ---- names ------------------------------------------------------------------ */

/* The name folded: letters lower-cased, everything but letters and digits
 * (spaces, punctuation) left out. */
static void name_key(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (; *s && o + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c >= 0x80)
            out[o++] = (char)c;
        else if (c >= 'A' && c <= 'Z')
            out[o++] = (char)(c - 'A' + 'a');
    }
    out[o] = '\0';
}

bool hv_name_similar(const char *a, const char *b)
{
    char ka[HV_MAX_NAME], kb[HV_MAX_NAME];
    name_key(a, ka, sizeof ka);
    name_key(b, kb, sizeof kb);
    return strcmp(a, b) != 0 && ka[0] && strcmp(ka, kb) == 0;
}

/* Levenshtein distance of two short strings (HV_MAX_NAME bytes at most). */
static int edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    int row[HV_MAX_NAME + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

int hv_name_closest(const char *name, const char (*names)[HV_MAX_NAME], int n)
{
    char k[HV_MAX_NAME], kn[HV_MAX_NAME];
    name_key(name, k, sizeof k);
    size_t lk = strlen(k);
    int best = -1, best_d = 0;
    for (int i = 0; i < n; i++) {
        name_key(names[i], kn, sizeof kn);
        size_t ln = strlen(kn);
        int d;
        if (!lk || !ln)
            continue;
        if (strcmp(k, kn) == 0)
            d = 0; /* case, punctuation or spaces */
        else if ((lk >= 3 && strncmp(k, kn, lk) == 0) || (ln >= 3 && strncmp(k, kn, ln) == 0))
            d = 1; /* one is the other cut short: "Mistral-7B-Instruct" of "...-v0.2" */
        else {
            int e = edit_distance(k, kn);
            size_t longer = lk > ln ? lk : ln;
            if ((size_t)e * 3 > longer)
                continue; /* too far to be a slip */
            d = 2 + e;
        }
        if (best < 0 || d < best_d) {
            best = i;
            best_d = d;
        }
    }
    return best;
}

static void similar_of(char names[][HV_MAX_NAME], int n, const char *what, char *out, int size)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (hv_name_similar(names[i], names[j])) {
                size_t o = strlen(out);
                snprintf(out + o, (size_t)size - o,
                         "%s \"%s\" and \"%s\" differ only in case, punctuation or spaces: they are two %ss; "
                         "if they are one, spell them alike\n",
                         what, names[i], names[j], what);
            }
}

void hv_dataset_similar_names(const hv_dataset *ds, char *out, int size)
{
    out[0] = '\0';
    hv_dataset *d = (hv_dataset *)ds; /* similar_of only reads */
    similar_of(d->models, d->n_models, "model", out, size);
    similar_of(d->conditions, d->n_conditions, "condition", out, size);
}

/* The index of each name of list in names, or -1 with the message. */
static bool pick(char names[][HV_MAX_NAME], int n, const char *const *list, int nl, const char *what,
                 const char *kind, int *map, hv_error *err)
{
    for (int i = 0; i < n; i++)
        map[i] = -1;
    for (int k = 0; k < nl; k++) {
        int found = -1;
        for (int i = 0; i < n; i++)
            if (strcmp(names[i], list[k]) == 0)
                found = i;
        if (found < 0) {
            char known[512] = "";
            for (int i = 0; i < n; i++) {
                size_t o = strlen(known);
                snprintf(known + o, sizeof known - o, "%s\"%s\"", i ? ", " : "", names[i]);
            }
            int near = hv_name_closest(list[k], (const char (*)[HV_MAX_NAME])names, n);
            char dym[HV_MAX_NAME + 32] = "";
            if (near >= 0)
                snprintf(dym, sizeof dym, " (did you mean \"%s\"?)", names[near]);
            return hv_errorf(err, "%s: \"%s\" names no %s in the data%s; the %ss are %s", what, list[k], kind, dym,
                             kind, known);
        }
        if (map[found] >= 0)
            return hv_errorf(err, "%s: \"%s\" is named twice", what, list[k]);
        map[found] = k;
    }
    return true;
}

bool hv_dataset_select(hv_dataset *ds, const char *const *models, int nm, const char *const *conds, int nc,
                       const char *models_what, const char *conds_what, hv_error *err)
{
    int mm[HV_MAX_MODELS], cm[HV_MAX_CONDITIONS];
    for (int i = 0; i < HV_MAX_MODELS; i++)
        mm[i] = i;
    for (int i = 0; i < HV_MAX_CONDITIONS; i++)
        cm[i] = i;
    if (nm > 0 && !pick(ds->models, ds->n_models, models, nm, models_what, "model", mm, err))
        return false;
    if (nc > 0 && !pick(ds->conditions, ds->n_conditions, conds, nc, conds_what, "condition", cm, err))
        return false;
    hv_dataset old = *ds; /* names, extents and flags (points are rewritten in place) */
    int new_nm = nm > 0 ? nm : ds->n_models, new_nc = nc > 0 ? nc : ds->n_conditions;
    for (int m = 0; m < old.n_models; m++)
        if (mm[m] >= 0) {
            memcpy(ds->models[mm[m]], old.models[m], HV_MAX_NAME);
            ds->layers[mm[m]] = old.layers[m];
            ds->heads[mm[m]] = old.heads[m];
            for (int c = 0; c < old.n_conditions; c++)
                if (cm[c] >= 0)
                    ds->full[mm[m]][cm[c]] = old.full[m][c];
        }
    for (int c = 0; c < old.n_conditions; c++)
        if (cm[c] >= 0)
            memcpy(ds->conditions[cm[c]], old.conditions[c], HV_MAX_NAME);
    ds->n_models = new_nm;
    ds->n_conditions = new_nc;
    int o = 0;
    for (int i = 0; i < ds->n_points; i++) {
        hv_point p = ds->points[i];
        if (mm[p.model] < 0 || cm[p.condition] < 0)
            continue;
        p.model = mm[p.model];
        p.condition = cm[p.condition];
        ds->points[o++] = p;
    }
    ds->n_points = o;
    if (ds->n_no_score && (mm[ds->first_no_score.model] < 0 || cm[ds->first_no_score.condition] < 0))
        ds->n_no_score = 0; /* the rows without a score are of what is not shown */
    else if (ds->n_no_score) {
        ds->first_no_score.model = mm[ds->first_no_score.model];
        ds->first_no_score.condition = cm[ds->first_no_score.condition];
    }
    if (o == 0)
        return hv_errorf(err, "%s: no scored head is left in the models and conditions picked",
                         nm > 0 ? models_what : conds_what);
    return true;
}

bool hv_dataset_set_extent(hv_dataset *ds, int model, int layers, int heads, const char *of, hv_error *err)
{
    for (int i = 0; i < ds->n_points; i++) {
        const hv_point *p = &ds->points[i];
        if (p->model == model && (p->layer >= layers || p->head >= heads))
            return hv_errorf(err, "%s:%d: layer %d, head %d is outside the %d layers x %d heads of %s",
                             hv_dataset_source(ds, p), p->line, p->layer, p->head, layers, heads, of);
    }
    ds->layers[model] = layers;
    ds->heads[model] = heads;
    return true;
}

bool hv_dataset_ranked(const hv_dataset *ds, int model, int condition, bool by_abs, int *idx, int *n)
{
    int k = 0;
    for (int i = 0; i < ds->n_points; i++)
        if (ds->points[i].model == model && ds->points[i].condition == condition)
            idx[k++] = i;
    g_rank = (rank_ctx){ds->points, by_abs};
    qsort(idx, (size_t)k, sizeof *idx, cmp_rank);
    *n = k;
    return true;
}
