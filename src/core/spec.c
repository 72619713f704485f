#include "spec.h"

#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "colormap.h"
#include "figure.h"

static const char *const k_shape_names[HV_SHAPE_COUNT] = {"circle",  "x",    "square", "triangle",
                                                          "diamond", "plus", "star"};

const char *hv_shape_name(hv_shape s) { return (unsigned)s < HV_SHAPE_COUNT ? k_shape_names[s] : "?"; }

int hv_shape_parse(const char *s)
{
    for (int i = 0; i < HV_SHAPE_COUNT; i++)
        if (strcasecmp(s, k_shape_names[i]) == 0)
            return i;
    return -1;
}

int hv_facets_parse(const char *s)
{
    static const char *const names[] = {"auto", "models-rows", "models-columns"};
    for (int i = 0; i < 3; i++)
        if (strcasecmp(s, names[i]) == 0)
            return i;
    return -1;
}

const char *const hv_spec_format_names[] = {"auto", "csv",  "json", "jsonl",       "ndjson", "npy",
                                            "npz",  "text", "txt",  "safetensors", NULL};
const char *const hv_spec_reduce_names[] = {"mean", "max", "sum", "count", "abs-mean", "abs_mean", NULL};

static bool in_list(const char *v, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcasecmp(v, names[i]) == 0)
            return true;
    return false;
}

void hv_spec_free(hv_spec *spec)
{
    free(spec->sources);
    spec->sources = NULL;
    spec->n_sources = spec->cap_sources = 0;
}

void hv_spec_init(hv_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    snprintf(spec->title, sizeof spec->title, "Top {k} Heads on {condition}");
    snprintf(spec->xlabel, sizeof spec->xlabel, "Layer");
    snprintf(spec->ylabel, sizeof spec->ylabel, "Head");
    snprintf(spec->cbar_label, sizeof spec->cbar_label, "Score");
    snprintf(spec->colormap, sizeof spec->colormap, "viridis");
    spec->marker_scale = 1.0;
    spec->legend = -1;
    spec->context = -1;
    spec->top = -1;
    spec->colorbar = -1;
    spec->orientation = -1;
    spec->rank_by_abs = -1;
}

/* inih keeps at most 49 bytes of a section name (its INI_MAX_SECTION is
 * built into the library): longer ones are handed to it as a short alias,
 * "\x01N", and mapped back to the name as written. */
#define INI_SECTION_KEPT 49
#define MAX_ALIASES 512

typedef struct parse_ctx {
    hv_spec *spec;
    char msg[HV_ERROR_MAX]; /* handler's message, line added by caller */
    char *const *aliases;   /* long section names, by alias number */
    int n_aliases;
    const int *alias_lines; /* the line of each aliased section header */
    int src_of[MAX_ALIASES]; /* the source an aliased [source: ...] header made, + 1 (0: none yet) */
} parse_ctx;

static bool fail(parse_ctx *c, const char *fmt, const char *a, const char *b)
{
    snprintf(c->msg, sizeof c->msg, fmt, a, b);
    return false;
}

/* Parses "a, b" or "a, b, c" into n finite doubles. */
static bool parse_numbers(const char *s, double *out, int n)
{
    const char *p = s;
    for (int i = 0; i < n; i++) {
        char *end;
        while (*p == ' ' || *p == '\t')
            p++;
        out[i] = strtod(p, &end);
        if (end == p || !isfinite(out[i]))
            return false;
        p = end;
        while (*p == ' ' || *p == '\t')
            p++;
        if (i + 1 < n) {
            if (*p != ',')
                return false;
            p++;
        }
    }
    return *p == '\0';
}

static bool set_text(char *dst, size_t size, const char *v, parse_ctx *c, const char *key)
{
    if (strlen(v) >= size)
        return fail(c, "key \"%s\": text longer than %s bytes", key, "255");
    snprintf(dst, size, "%s", v);
    return true;
}

/* Limits, ranges and ticks lie within the scores' limits (HV_MAX_SCORE):
 * every span between them, and every tick count, is then a finite number. */
static bool within_limits(const double *d, int n)
{
    for (int i = 0; i < n; i++)
        if (fabs(d[i]) > HV_MAX_SCORE)
            return false;
    return true;
}

static bool set_range(hv_range *r, const char *v, parse_ctx *c, const char *key)
{
    double d[2];
    if (!parse_numbers(v, d, 2) || !(d[1] > d[0]))
        return fail(c, "key \"%s\": expected \"low, high\" with low < high, got \"%s\"", key, v);
    if (!within_limits(d, 2))
        return fail(c, "key \"%s\": low and high must lie within -1e15..1e15, got \"%s\"", key, v);
    r->set = true;
    r->lo = d[0];
    r->hi = d[1];
    return true;
}

static bool set_ticks(hv_ticks *t, const char *v, parse_ctx *c, const char *key)
{
    double d[3];
    bool parsed = parse_numbers(v, d, 3);
    if (parsed && !within_limits(d, 3))
        return fail(c, "key \"%s\": first, last and step must lie within -1e15..1e15, got \"%s\"", key, v);
    /* at most 64 ticks (what a figure can show), and a step that moves */
    if (!parsed || !(d[2] > 0) || !(d[1] >= d[0]) || (d[1] - d[0]) / d[2] > 63 || d[0] + d[2] == d[0])
        return fail(c,
                    "key \"%s\": expected \"first, last, step\" with first <= last, step > 0 and at most 64 ticks, got \"%s\"",
                    key, v);
    t->set = true;
    t->first = d[0];
    t->last = d[1];
    t->step = d[2];
    return true;
}

static bool set_kv_heads(int *dst, const char *v, parse_ctx *c, const char *key)
{
    double d;
    if (!parse_numbers(v, &d, 1) || d != floor(d) || d < 1 || d > 100000)
        return fail(c, "key \"%s\": expected a whole number >= 1, got \"%s\"", key, v);
    *dst = (int)d;
    return true;
}

/* true/false, yes/no, on/off, 1/0; -1 if none of them */
static int parse_bool(const char *v)
{
    static const char *const t[] = {"true", "yes", "on", "1"}, *const f[] = {"false", "no", "off", "0"};
    for (int i = 0; i < 4; i++) {
        if (strcasecmp(v, t[i]) == 0)
            return 1;
        if (strcasecmp(v, f[i]) == 0)
            return 0;
    }
    return -1;
}

static bool parse_color(const char *v, float rgb[3])
{
    unsigned x;
    if (v[0] != '#' || strlen(v) != 7 || strspn(v + 1, "0123456789abcdefABCDEF") != 6)
        return false;
    x = (unsigned)strtoul(v + 1, NULL, 16);
    rgb[0] = (float)((x >> 16) & 255) / 255.0f;
    rgb[1] = (float)((x >> 8) & 255) / 255.0f;
    rgb[2] = (float)(x & 255) / 255.0f;
    return true;
}

/* The name after "condition:" / "model:" in a section, without the blanks
 * around it (inih keeps them inside the brackets), copied into buf; a name
 * that does not fit becomes "\x01" (too long, reported by the caller). */
static bool section_name(const char *section, const char *prefix, char *buf, size_t size)
{
    size_t n = strlen(prefix);
    if (strncasecmp(section, prefix, n) != 0)
        return false;
    const char *p = section + n;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t len = strlen(p);
    while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
        len--;
    if (len >= size)
        snprintf(buf, size, "\x01");
    else
        snprintf(buf, size, "%.*s", (int)len, p);
    return true;
}

static bool name_too_long(parse_ctx *c, const char *section, const char *name)
{
    if (name[0] != '\x01')
        return false;
    snprintf(c->msg, sizeof c->msg, "section [%.200s]: name longer than %d bytes", section, HV_MAX_NAME - 1);
    return true;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
    parse_ctx *c = user;
    int alias = -1;
    if (section[0] == '\x01') {
        int k = atoi(section + 1);
        section = k >= 0 && k < c->n_aliases ? c->aliases[k] : "";
        alias = k >= 0 && k < c->n_aliases ? k : -1;
    }
    hv_spec *s = c->spec;
    char name[HV_MAX_NAME];
    if (strcasecmp(section, "figure") == 0) {
        if (strcasecmp(key, "title") == 0)
            return set_text(s->title, sizeof s->title, value, c, key);
        if (strcasecmp(key, "xlabel") == 0)
            return set_text(s->xlabel, sizeof s->xlabel, value, c, key);
        if (strcasecmp(key, "ylabel") == 0)
            return set_text(s->ylabel, sizeof s->ylabel, value, c, key);
        if (strcasecmp(key, "colorbar_label") == 0)
            return set_text(s->cbar_label, sizeof s->cbar_label, value, c, key);
        if (strcasecmp(key, "colormap") == 0) {
            if (!hv_colormap_find(value))
                return fail(c, "key \"colormap\": unknown colormap \"%s\" (known: %s)", value,
                            hv_colormap_names());
            s->colormap_set = true;
            return set_text(s->colormap, sizeof s->colormap, value, c, key);
        }
        if (strcasecmp(key, "xlim") == 0)
            return set_range(&s->xlim, value, c, key);
        if (strcasecmp(key, "ylim") == 0)
            return set_range(&s->ylim, value, c, key);
        if (strcasecmp(key, "xticks") == 0)
            return set_ticks(&s->xticks, value, c, key);
        if (strcasecmp(key, "yticks") == 0)
            return set_ticks(&s->yticks, value, c, key);
        if (strcasecmp(key, "marker_size") == 0) {
            double d;
            if (!parse_numbers(value, &d, 1) || !(d > 0.05 && d <= 20))
                return fail(c, "key \"%s\": expected a number in (0.05, 20], got \"%s\"", key, value);
            s->marker_scale = d;
            return true;
        }
        if (strcasecmp(key, "legend") == 0) {
            if ((s->legend = hv_legend_parse(value)) < 0)
                return fail(c, "key \"legend\": unknown place \"%s\" (known: %s)", value,
                            "auto, outside, upper right, upper left, lower right, lower left, none");
            return true;
        }
        if (strcasecmp(key, "context") == 0) {
            if ((s->context = hv_context_parse(value)) < 0)
                return fail(c, "key \"context\": unknown context \"%s\" (known: %s)", value,
                            "paper, notebook, talk, poster");
            return true;
        }
        if (strcasecmp(key, "font_scale") == 0) {
            double d;
            if (!parse_numbers(value, &d, 1) || !(d >= 0.25 && d <= 4))
                return fail(c, "key \"%s\": expected a number in [0.25, 4], got \"%s\"", key, value);
            s->font_scale = d;
            return true;
        }
        if (strcasecmp(key, "top") == 0) {
            double d;
            if (strcasecmp(value, "all") == 0) {
                s->top = 0;
                return true;
            }
            if (!parse_numbers(value, &d, 1) || d != floor(d) || d < 1 || d > 1e6)
                return fail(c, "key \"%s\": expected a whole number >= 1 or \"all\", got \"%s\"", key, value);
            s->top = (int)d;
            return true;
        }
        if (strcasecmp(key, "rank_by") == 0) {
            if (strcasecmp(value, "value") == 0 || strcasecmp(value, "abs") == 0) {
                s->rank_by_abs = strcasecmp(value, "abs") == 0;
                return true;
            }
            return fail(c, "key \"%s\": expected value or abs, got \"%s\"", key, value);
        }
        if (strcasecmp(key, "center") == 0) {
            if (!parse_numbers(value, &s->center, 1) || fabs(s->center) > HV_MAX_SCORE)
                return fail(c, "key \"%s\": expected a number, got \"%s\"", key, value);
            s->center_set = true;
            return true;
        }
        if (strcasecmp(key, "kv_heads") == 0)
            return set_kv_heads(&s->kv_heads, value, c, key);
        if (strcasecmp(key, "orientation") == 0) {
            if (strcasecmp(value, "layers-x") == 0 || strcasecmp(value, "layers-y") == 0) {
                s->orientation = strcasecmp(value, "layers-y") == 0;
                return true;
            }
            return fail(c, "key \"%s\": expected layers-x or layers-y, got \"%s\"", key, value);
        }
        if (strcasecmp(key, "facets") == 0) {
            int k = hv_facets_parse(value);
            if (k < 0)
                return fail(c, "key \"%s\": expected auto, models-rows or models-columns, got \"%s\"", key, value);
            s->facets = k;
            return true;
        }
        if (strcasecmp(key, "colorbar") == 0) {
            static const char *const modes[] = {"shared", "column", "panel"};
            for (int k = 0; k < 3; k++)
                if (strcasecmp(value, modes[k]) == 0) {
                    s->colorbar = k;
                    return true;
                }
            return fail(c, "key \"%s\": expected shared, column or panel, got \"%s\"", key, value);
        }
        if (strcasecmp(key, "models") == 0)
            return set_text(s->pick_models, sizeof s->pick_models, value, c, key);
        if (strcasecmp(key, "conditions") == 0)
            return set_text(s->pick_conditions, sizeof s->pick_conditions, value, c, key);
        if (strcasecmp(key, "reveal") == 0) {
            if (strcasecmp(value, "none") == 0 || strcasecmp(value, "axes") == 0) {
                s->reveal = strcasecmp(value, "axes") == 0;
                return true;
            }
            return fail(c, "key \"%s\": expected axes or none, got \"%s\"", key, value);
        }
        if (strcasecmp(key, "share_axes") == 0) {
            int b = parse_bool(value);
            if (b < 0)
                return fail(c, "key \"%s\": expected true or false, got \"%s\"", key, value);
            s->share_axes = b;
            return true;
        }
        return fail(c,
                    "unknown key \"%s\" in [figure] (known: title, xlabel, ylabel, colorbar_label, colormap, xlim, ylim, xticks, yticks, marker_size, legend, context, font_scale, share_axes, top, rank_by, center, kv_heads, colorbar, facets, models, conditions, orientation, reveal)%s",
                    key, "");
    }
    if (section_name(section, "condition:", name, sizeof name)) {
        if (!*name)
            return fail(c, "section [%s]: missing condition name after \"condition:\"%s", section, "");
        if (name_too_long(c, section, name))
            return false;
        hv_cond_spec *cs = NULL;
        for (int i = 0; i < s->n_conds; i++)
            if (strcmp(s->conds[i].name, name) == 0)
                cs = &s->conds[i];
        if (!cs) {
            if (s->n_conds >= HV_MAX_CONDITIONS)
                return fail(c, "too many [condition: ...] sections (at most %s)%s", "16", "");
            cs = &s->conds[s->n_conds++];
            snprintf(cs->name, sizeof cs->name, "%s", name);
        }
        if (strcasecmp(key, "range") == 0)
            return set_range(&cs->range, value, c, key);
        if (strcasecmp(key, "ticks") == 0)
            return set_ticks(&cs->ticks, value, c, key);
        if (strcasecmp(key, "title") == 0)
            return set_text(cs->title, sizeof cs->title, value, c, key);
        return fail(c, "unknown key \"%s\" in [%s] (known: range, ticks, title)", key, section);
    }
    if (section_name(section, "model:", name, sizeof name)) {
        if (!*name)
            return fail(c, "section [%s]: missing model name after \"model:\"%s", section, "");
        if (name_too_long(c, section, name))
            return false;
        hv_model_spec *ms = NULL;
        for (int i = 0; i < s->n_models; i++)
            if (strcmp(s->models[i].name, name) == 0)
                ms = &s->models[i];
        if (!ms) {
            if (s->n_models >= HV_MAX_MODELS)
                return fail(c, "too many [model: ...] sections (at most %s)%s", "16", "");
            ms = &s->models[s->n_models++];
            snprintf(ms->name, sizeof ms->name, "%s", name);
            ms->shape = -1;
        }
        if (strcasecmp(key, "marker") == 0) {
            int sh = hv_shape_parse(value);
            if (sh < 0)
                return fail(c,
                            "key \"marker\": unknown marker \"%s\" (known: %s)", value,
                            "circle, x, square, triangle, diamond, plus, star");
            ms->shape = sh;
            return true;
        }
        if (strcasecmp(key, "color") == 0) {
            if (!parse_color(value, ms->color))
                return fail(c, "key \"color\": expected #rrggbb, got \"%s\"%s", value, "");
            ms->color_set = true;
            return true;
        }
        if (strcasecmp(key, "label") == 0)
            return set_text(ms->label, sizeof ms->label, value, c, key);
        if (strcasecmp(key, "kv_heads") == 0)
            return set_kv_heads(&ms->kv_heads, value, c, key);
        if (strcasecmp(key, "layers") == 0)
            return set_kv_heads(&ms->layers, value, c, key);
        if (strcasecmp(key, "heads") == 0)
            return set_kv_heads(&ms->heads, value, c, key);
        return fail(c, "unknown key \"%s\" in [%s] (known: marker, color, label, kv_heads, layers, heads)", key,
                    section);
    }
    if (strncasecmp(section, "source:", 7) == 0) {
        const char *path = section + 7;
        while (*path == ' ' || *path == '\t')
            path++;
        size_t len = strlen(path);
        while (len > 0 && (path[len - 1] == ' ' || path[len - 1] == '\t'))
            len--;
        if (!len)
            return fail(c, "section [%s]: missing a file after \"source:\"%s", section, "");
        if (len >= HV_SPEC_PATH_MAX)
            return fail(c, "section [%.150s...]: path longer than %s bytes", section, "199");
        /* every [source: ...] header is a source of its own (aliased by
         * alias_long_sections): two sections may read the same file */
        hv_source_spec *src = alias >= 0 && c->src_of[alias] ? &s->sources[c->src_of[alias] - 1] : NULL;
        for (int i = 0; alias < 0 && i < s->n_sources; i++)
            if (strlen(s->sources[i].path) == len && strncmp(s->sources[i].path, path, len) == 0)
                src = &s->sources[i];
        if (!src) {
            if (s->n_sources == s->cap_sources) {
                int cap = s->cap_sources ? s->cap_sources * 2 : 8;
                hv_source_spec *ns = cap <= 256 ? realloc(s->sources, (size_t)cap * sizeof *ns) : NULL;
                if (!ns)
                    return fail(c, "too many [source: ...] sections (at most %s)%s", "256", "");
                s->sources = ns;
                s->cap_sources = cap;
            }
            src = &s->sources[s->n_sources++];
            memset(src, 0, sizeof *src);
            snprintf(src->path, sizeof src->path, "%.*s", (int)len, path);
            if (alias >= 0) {
                c->src_of[alias] = s->n_sources;
                src->line = c->alias_lines ? c->alias_lines[alias] : 0;
            }
        }
        if (strcasecmp(key, "model") == 0 || strcasecmp(key, "condition") == 0) {
            char *dst = strcasecmp(key, "model") == 0 ? src->model : src->condition;
            if (!*value || strlen(value) >= HV_MAX_NAME)
                return fail(c, "key \"%s\": a name of 1..127 bytes, got \"%.150s\"", key, value);
            snprintf(dst, HV_MAX_NAME, "%s", value);
            return true;
        }
        if (strcasecmp(key, "format") == 0) {
            if (!in_list(value, hv_spec_format_names))
                return fail(c, "key \"format\": unknown format \"%s\" (known: %s)", value,
                            "auto, csv, json, jsonl, npy, npz, text, safetensors");
            snprintf(src->format, sizeof src->format, "%s", value);
            return true;
        }
        if (strcasecmp(key, "reduce") == 0) {
            if (!in_list(value, hv_spec_reduce_names))
                return fail(c, "key \"reduce\": unknown reduction \"%s\" (known: %s)", value,
                            "mean, max, sum, count, abs-mean");
            snprintf(src->reduce, sizeof src->reduce, "%s", value);
            return true;
        }
        if (strcasecmp(key, "tensor") == 0) {
            if (strlen(value) >= HV_MAX_NAME)
                return fail(c, "key \"tensor\": a name of at most 127 bytes, got \"%.150s\"", value, "");
            snprintf(src->tensor, sizeof src->tensor, "%s", value);
            return true;
        }
        return fail(c, "unknown key \"%s\" in [%.150s] (known: model, condition, format, tensor, reduce)", key, section);
    }
    if (!*section)
        return fail(c, "key \"%s\" outside a section (start with [figure])%s", key, "");
    return fail(c, "unknown section [%s] (known: [figure], [condition: NAME], [model: NAME], [source: FILE])%s",
                section, "");
}

static bool parse_lf(hv_spec *spec, const char *text, const char *name, hv_error *err);

/* inih splits lines on LF only: old Mac files (CR alone) become LF. */
bool hv_spec_parse(hv_spec *spec, const char *text, const char *name, hv_error *err)
{
    if (!strchr(text, '\r'))
        return parse_lf(spec, text, name, err);
    size_t n = strlen(text);
    char *copy = malloc(n + 1);
    if (!copy)
        return hv_errorf(err, "%s: out of memory", name);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '\r') {
            copy[o++] = '\n';
            if (text[i + 1] == '\n')
                i++;
        } else {
            copy[o++] = text[i];
        }
    }
    copy[o] = '\0';
    bool ok = parse_lf(spec, copy, name, err);
    free(copy);
    return ok;
}

/* Rewrites the section lines whose name inih would cut into "[\x01N]" (same
 * line count, so line numbers hold), saving the names as written. Returns
 * the text to parse (text itself when nothing was long), or NULL on out of
 * memory or too many long names. */
static bool is_source_header(const char *q, const char *close)
{
    q++;
    while (q < close && (*q == ' ' || *q == '\t'))
        q++;
    return close - q >= 7 && strncasecmp(q, "source:", 7) == 0;
}

static char *alias_long_sections(const char *text, char **aliases, int *alias_lines, int *n_aliases)
{
    char *out = NULL;
    size_t o = 0;
    int line = 0;
    *n_aliases = 0;
    for (const char *p = text; *p;) {
        line++;
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        const char *q = p;
        while (q < p + n && (*q == ' ' || *q == '\t'))
            q++;
        const char *close = *q == '[' ? memchr(q, ']', n - (size_t)(q - p)) : NULL;
        /* long names, and every [source: ...] (each header its own source) */
        bool alias = close && ((size_t)(close - q - 1) > INI_SECTION_KEPT || is_source_header(q, close));
        if (alias || out) {
            if (!out) { /* first long name: copy what came before */
                out = malloc(strlen(text) + 1);
                if (!out)
                    return NULL;
                o = (size_t)(p - text);
                memcpy(out, text, o);
            }
            if (alias) {
                if (*n_aliases >= MAX_ALIASES) {
                    free(out);
                    return NULL;
                }
                size_t len = (size_t)(close - q - 1);
                char *name = malloc(len + 1);
                if (!name) {
                    free(out);
                    return NULL;
                }
                memcpy(name, q + 1, len);
                name[len] = '\0';
                aliases[*n_aliases] = name;
                alias_lines[*n_aliases] = line;
                /* "[\x01N]" is never longer than the line it replaces */
                o += (size_t)sprintf(out + o, "[\x01%d]", (*n_aliases)++);
                size_t rest = n - (size_t)(close + 1 - p);
                memcpy(out + o, close + 1, rest);
                o += rest;
            } else {
                memcpy(out + o, p, n);
                o += n;
            }
        }
        p += n;
    }
    if (out)
        out[o] = '\0';
    return out ? out : (char *)text;
}

static bool parse_aliased(hv_spec *spec, const char *text, const char *name, char *const *aliases,
                          const int *alias_lines, int n_aliases, hv_error *err);

/* The line of the first "[source: PATH]" header in text (0: none). */
static int source_line(const char *text, const char *path)
{
    int line = 1;
    size_t pl = strlen(path);
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        const char *e = nl ? nl : p + strlen(p);
        while (p < e && (*p == ' ' || *p == '\t'))
            p++;
        if (p < e && *p == '[') {
            p++;
            while (p < e && (*p == ' ' || *p == '\t'))
                p++;
            if (e - p > 7 && strncasecmp(p, "source:", 7) == 0) {
                p += 7;
                while (p < e && (*p == ' ' || *p == '\t'))
                    p++;
                const char *q = p + pl;
                if ((size_t)(e - p) > pl && strncmp(p, path, pl) == 0) {
                    while (q < e && (*q == ' ' || *q == '\t'))
                        q++;
                    if (q < e && *q == ']')
                        return line;
                }
            }
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

static bool parse_lf(hv_spec *spec, const char *text, const char *name, hv_error *err)
{
    /* inih reads a line in pieces of at most INI_MAX_LINE - 1 bytes (newline
     * included) and parses the rest as a line of its own, which misreads the
     * line and shifts the numbers of all later ones: refuse longer lines. */
    int lineno = 1;
    for (const char *p = text; *p; lineno++) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (n > INI_MAX_LINE - 2)
            return hv_errorf(err, "%s:%d: line longer than %d bytes", name, lineno, INI_MAX_LINE - 2);
        if (!nl)
            break;
        p = nl + 1;
    }
    char *aliases[MAX_ALIASES];
    int alias_lines[MAX_ALIASES];
    int n_aliases = 0;
    char *t = alias_long_sections(text, aliases, alias_lines, &n_aliases);
    bool ok = t ? parse_aliased(spec, t, name, aliases, alias_lines, n_aliases, err)
                : hv_errorf(err, "%s: out of memory (or more than %d long section names)", name, MAX_ALIASES);
    if (t && t != text)
        free(t);
    for (int i = 0; i < n_aliases; i++)
        free(aliases[i]);
    for (int i = 0; ok && i < spec->n_sources; i++)
        if (!spec->sources[i].line)
            spec->sources[i].line = source_line(text, spec->sources[i].path);
    return ok;
}

/* A copy of spec whose sources are its own (parsing may grow them). */
static bool own_sources(hv_spec *copy, const hv_spec *spec)
{
    *copy = *spec;
    copy->sources = NULL;
    copy->cap_sources = copy->n_sources;
    if (!spec->n_sources)
        return true;
    copy->sources = malloc((size_t)spec->n_sources * sizeof *copy->sources);
    if (!copy->sources)
        return false;
    memcpy(copy->sources, spec->sources, (size_t)spec->n_sources * sizeof *copy->sources);
    return true;
}

static bool parse_aliased(hv_spec *spec, const char *text, const char *name, char *const *aliases,
                          const int *alias_lines, int n_aliases, hv_error *err)
{
    /* parse into a copy: a failed parse leaves spec as it was */
    hv_spec work;
    if (!own_sources(&work, spec))
        return hv_errorf(err, "%s: out of memory", name);
    parse_ctx c;
    c = (parse_ctx){&work, "", aliases, n_aliases, alias_lines, {0}};
    int rc = ini_parse_string(text, handler, &c);
    if (rc == 0) {
        free(spec->sources);
        *spec = work;
        return true;
    }
    hv_spec_free(&work);
    if (rc < 0)
        return hv_errorf(err, "%s: cannot parse spec", name);
    /* inih reports the first bad line but keeps going and does not pass line
     * numbers to the handler: parse again up to that line alone, so the
     * message is the one of that line. */
    const char *p = text;
    for (int line = 1; line < rc && (p = strchr(p, '\n')) != NULL; line++)
        p++;
    size_t n = p ? (size_t)(strchr(p, '\n') ? strchr(p, '\n') - text : (ptrdiff_t)strlen(text))
                 : strlen(text);
    char *head = malloc(n + 1);
    hv_spec scratch;
    if (!head || !own_sources(&scratch, spec)) {
        free(head);
        return hv_errorf(err, "%s:%d: out of memory", name, rc);
    }
    memcpy(head, text, n);
    head[n] = '\0';
    c = (parse_ctx){&scratch, "", aliases, n_aliases, alias_lines, {0}};
    ini_parse_string(head, handler, &c);
    free(head);
    hv_spec_free(&scratch);
    if (c.msg[0])
        return hv_errorf(err, "%s:%d: %s", name, rc, c.msg);
    return hv_errorf(err, "%s:%d: malformed line (expected [section] or key = value)", name, rc);
}

bool hv_spec_load(hv_spec *spec, const char *path, hv_error *err)
{
    char *buf;
    size_t len;
    if (!hv_read_file(path, (size_t)1 << 20, &buf, &len, err))
        return false;
    if (memchr(buf, '\0', len)) {
        free(buf);
        return hv_errorf(err, "%s: not a text file (contains NUL bytes)", path);
    }
    bool ok = hv_spec_parse(spec, buf, path, err);
    free(buf);
    return ok;
}

const hv_cond_spec *hv_spec_condition(const hv_spec *spec, const char *name)
{
    for (int i = 0; i < spec->n_conds; i++)
        if (strcmp(spec->conds[i].name, name) == 0)
            return &spec->conds[i];
    return NULL;
}

const hv_model_spec *hv_spec_model(const hv_spec *spec, const char *name)
{
    for (int i = 0; i < spec->n_models; i++)
        if (strcmp(spec->models[i].name, name) == 0)
            return &spec->models[i];
    return NULL;
}

void hv_spec_expand_title(const char *tmpl, const char *model, const char *condition, int k, char *out, int out_size)
{
    int o = 0;
    for (const char *p = tmpl; *p && o < out_size - 1;) {
        const char *rep = NULL;
        char num[16];
        size_t skip = 0;
        if (strncmp(p, "{condition}", 11) == 0) {
            rep = condition;
            skip = 11;
        } else if (strncmp(p, "{model}", 7) == 0 && model) {
            rep = model;
            skip = 7;
        } else if (strncmp(p, "{k}", 3) == 0) {
            snprintf(num, sizeof num, "%d", k);
            rep = num;
            skip = 3;
        }
        if (rep) {
            for (const char *r = rep; *r && o < out_size - 1; r++)
                out[o++] = *r;
            p += skip;
        } else {
            out[o++] = *p++;
        }
    }
    out[o] = '\0';
}

bool hv_spec_check_sources(const hv_spec *spec, const char *spec_name, hv_error *err)
{
    for (int i = 0; i < spec->n_sources; i++) {
        const hv_source_spec *src = &spec->sources[i];
        char at[16] = "";
        if (src->line > 0)
            snprintf(at, sizeof at, ":%d", src->line);
        if (!src->model[0] || !src->condition[0])
            return hv_errorf(err, "%s%s: [source: %s] needs %s (the model and condition its scores are)",
                             spec_name, at, src->path,
                             !src->model[0] && !src->condition[0] ? "model = and condition ="
                             : !src->model[0]                     ? "model ="
                                                                  : "condition =");
    }
    return true;
}

/* Appends one line: the section names nothing; the closest name when close. */
static void unmatched(char *msg, int msg_size, const char *spec_name, const char *kind, const char *name,
                      char names[][HV_MAX_NAME], int n)
{
    size_t o = strlen(msg);
    int near = hv_name_closest(name, (const char (*)[HV_MAX_NAME])names, n);
    char dym[HV_MAX_NAME + 32] = "";
    if (near >= 0)
        snprintf(dym, sizeof dym, " (did you mean \"%s\"?)", names[near]);
    snprintf(msg + o, (size_t)msg_size - o, "%s%s: [%s: %s] names no %s in the data%s", o ? "\n" : "", spec_name,
             kind, name, kind, dym);
}

bool hv_spec_check_names(const hv_spec *spec, const hv_dataset *ds, const char *spec_name,
                         char *msg, int msg_size)
{
    hv_dataset *d = (hv_dataset *)ds; /* only read */
    msg[0] = '\0';
    for (int i = 0; i < spec->n_conds; i++) {
        bool found = false;
        for (int j = 0; j < ds->n_conditions; j++)
            found |= strcmp(spec->conds[i].name, ds->conditions[j]) == 0;
        if (!found)
            unmatched(msg, msg_size, spec_name, "condition", spec->conds[i].name, d->conditions, d->n_conditions);
    }
    for (int i = 0; i < spec->n_models; i++) {
        bool found = false;
        for (int j = 0; j < ds->n_models; j++)
            found |= strcmp(spec->models[i].name, ds->models[j]) == 0;
        if (!found)
            unmatched(msg, msg_size, spec_name, "model", spec->models[i].name, d->models, d->n_models);
    }
    return msg[0] != '\0';
}
