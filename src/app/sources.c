#include "sources.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../io/scores.h"

/* The largest score file read (a [1000, 80, 64] float64 .npy is 41 MB). */
#define MAX_SCORE_FILE ((size_t)1 << 30)

typedef struct job {
    char model[HV_MAX_NAME], condition[HV_MAX_NAME];
    char path[4096];
    char where[700];           /* message prefix: "t.ini:7: [source: x.npz]" or "--grid "M" "C" x.npz" */
    bool spec;                 /* from a [source: ...] (option names "tensor =") */
    const char *tensor, *reduce, *format;
    bool tensor_own, reduce_own; /* given for this file (else the default before the first --grid) */
    hv_format fmt;
    char *bytes;
    size_t len;
    hv_grid g;
    bool counted;              /* reduce = count over a sample axis: absent heads count 0 */
    int model_idx;             /* into the extents below */
} job;

typedef struct extent {
    char model[HV_MAX_NAME];
    int layers, heads;        /* known so far (0: not yet) */
    char from[400];           /* where the extent comes from, for messages */
    bool declared;
    const job *dense;         /* the first dense file */
} extent;

static bool is_dense(hv_format f)
{
    return f == HV_FMT_NPY || f == HV_FMT_NPZ || f == HV_FMT_TEXT || f == HV_FMT_SAFETENSORS;
}

static const char *fmt_desc(hv_format f)
{
    switch (f) {
    case HV_FMT_NPY: return "a .npy file, one array";
    case HV_FMT_TEXT: return "a text grid";
    case HV_FMT_JSON: return "a JSON file";
    case HV_FMT_JSONL: return "a JSON Lines file";
    default: return hv_format_name(f);
    }
}

/* path relative to the folder of spec_path (a spec's [source: ...]). */
static void beside_spec(const char *spec_path, const char *path, char *out, size_t size)
{
    const char *slash = spec_path ? strrchr(spec_path, '/') : NULL;
    if (path[0] == '/' || !slash)
        snprintf(out, size, "%s", path);
    else
        snprintf(out, size, "%.*s/%s", (int)(slash - spec_path), spec_path, path);
}

static void trimmed(char *dst, const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n >= HV_MAX_NAME)
        n = HV_MAX_NAME - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static int extent_of(extent *x, int *n, const char *model)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(x[i].model, model) == 0)
            return i;
    snprintf(x[*n].model, HV_MAX_NAME, "%s", model);
    return (*n)++;
}

/* Reads j->g with opts; checks reduce applies (a sample axis). */
static bool read_job(job *j, const extent *x, bool *default_reduce_used, hv_error *err)
{
    hv_read_opts ro = {0};
    ro.format = j->fmt;
    ro.tensor = j->tensor;
    ro.reduce = j->reduce ? (hv_reduce)hv_reduce_parse(j->reduce) : HV_REDUCE_MEAN;
    char of[600];
    if (!is_dense(j->fmt) && x->layers > 0 && x->heads > 0) {
        ro.layers = x->layers;
        ro.heads = x->heads;
        snprintf(of, sizeof of, "model \"%s\" (%s)", x->model, x->from);
        ro.extent_of = of;
    }
    bool ok = hv_read_scores((const unsigned char *)j->bytes, j->len, j->path, &ro, &j->g, err);
    if (!ok && (strstr(err->msg, "name the one to read") || strstr(err->msg, "(tensors: ")))
        snprintf(err->msg + strlen(err->msg), sizeof err->msg - strlen(err->msg), "%s",
                 j->spec ? " (tensor = in its [source: ...])" : " (--tensor NAME right after its --grid)");
    if (!ok)
        return false;
    if (j->reduce && !j->g.sample_axis) {
        if (j->reduce_own) {
            hv_grid_free(&j->g);
            return hv_errorf(err, "%s: %s %s cannot apply: %s has no sample axis (one layers x heads grid); %s "
                                  "applies to [samples, layers, heads] arrays, JSON lists and JSON Lines",
                             j->where, j->spec ? "reduce =" : "--reduce", j->reduce, j->path,
                             j->spec ? "reduce =" : "--reduce");
        }
        if (ro.reduce != HV_REDUCE_MEAN) { /* the default does not apply here: the values as they are */
            hv_grid_free(&j->g);
            ro.reduce = HV_REDUCE_MEAN;
            if (!hv_read_scores((const unsigned char *)j->bytes, j->len, j->path, &ro, &j->g, err))
                return false;
        }
    } else if (j->reduce && !j->reduce_own) {
        *default_reduce_used = true;
    }
    j->counted = j->g.sample_axis && ro.reduce == HV_REDUCE_COUNT;
    return true;
}

static bool shape_clash(const job *j, const extent *x, hv_error *err)
{
    int L = j->g.layers, H = j->g.heads;
    bool transposed = L == x->heads && H == x->layers;
    char other[1200];
    if (x->declared)
        snprintf(other, sizeof other, "model \"%s\" is %d x %d (%s)", x->model, x->layers, x->heads, x->from);
    else
        snprintf(other, sizeof other, "the other files of model \"%s\" are %d x %d (%.400s)", x->model, x->layers,
                 x->heads, x->dense ? x->dense->path : x->from);
    return hv_errorf(err, "%s: %d layers x %d heads, but %s%s", j->path, L, H, other,
                     transposed ? ": transposed? a [heads, layers] array; save it as [layers, heads] "
                                  "(np.save(path, a.T))"
                                : "");
}

static bool pad_and_add(hv_dataset *all, job *j, const extent *x, hv_error *err)
{
    const hv_grid *g = &j->g;
    if (g->layers > x->layers || g->heads > x->heads) /* a sparse file read before its extent was known */
        return hv_errorf(err, "%s: keys up to layer %d, head %d are outside the %d layers x %d heads of model \"%s\" (%s)",
                         j->path, g->layers - 1, g->heads - 1, x->layers, x->heads, x->model, x->from);
    size_t cells = (size_t)x->layers * (size_t)x->heads;
    double *v = malloc(cells * sizeof *v);
    if (!v)
        return hv_errorf(err, "%s: out of memory", j->path);
    for (size_t i = 0; i < cells; i++)
        v[i] = j->counted ? 0 : NAN;
    for (int l = 0; l < g->layers; l++)
        for (int h = 0; h < g->heads; h++)
            v[(size_t)l * (size_t)x->heads + (size_t)h] = g->v[(size_t)l * (size_t)g->heads + (size_t)h];
    bool ok = hv_dataset_add_grid(all, j->model, j->condition, x->layers, x->heads, v, j->path, err);
    free(v);
    return ok;
}

bool hv_sources_load(hv_dataset *all, const hv_spec *spec, const char *spec_path, const char *spec_name,
                     const hv_options *opt, hv_error *err)
{
    int n = spec->n_sources + opt->n_grids;
    if (n == 0 && !opt->n_extents)
        return true;
    job *jobs = calloc((size_t)n + 1, sizeof *jobs);
    extent *x = calloc(HV_MAX_MODELS * 4 + (size_t)n + 16, sizeof *x);
    int nx = 0;
    bool ok = jobs && x;
    if (!ok)
        hv_errorf(err, "out of memory");
    /* the jobs: [source: ...] sections, then --grids, in order */
    for (int i = 0; ok && i < n; i++) {
        job *j = &jobs[i];
        if (i < spec->n_sources) {
            const hv_source_spec *s = &spec->sources[i];
            j->spec = true;
            trimmed(j->model, s->model);
            trimmed(j->condition, s->condition);
            beside_spec(spec_path, s->path, j->path, sizeof j->path);
            j->tensor = s->tensor[0] ? s->tensor : NULL;
            j->reduce = s->reduce[0] ? s->reduce : NULL;
            j->format = s->format[0] ? s->format : NULL;
            j->tensor_own = j->reduce_own = true;
            char at[16] = "";
            if (s->line > 0)
                snprintf(at, sizeof at, ":%d", s->line);
            snprintf(j->where, sizeof j->where, "%s%s: [source: %s]", spec_name, at, s->path);
        } else {
            const hv_grid_arg *g = &opt->grids[i - spec->n_sources];
            trimmed(j->model, g->model);
            trimmed(j->condition, g->condition);
            snprintf(j->path, sizeof j->path, "%s", g->path);
            j->tensor = g->tensor ? g->tensor : opt->tensor;
            j->reduce = g->reduce ? g->reduce : opt->reduce;
            j->format = g->format ? g->format : opt->grid_format;
            j->tensor_own = g->tensor != NULL;
            j->reduce_own = g->reduce != NULL;
            snprintf(j->where, sizeof j->where, "--grid \"%.127s\" \"%.127s\" %.400s", g->model, g->condition, g->path);
        }
        if (!j->model[0] || !j->condition[0])
            ok = hv_errorf(err, "%s: the model and condition names must not be blank", j->where);
        if (ok)
            j->model_idx = extent_of(x, &nx, j->model);
    }
    /* declared extents: the spec's [model: ...], then --extent (over it) */
    for (int i = 0; ok && i < spec->n_models; i++) {
        const hv_model_spec *m = &spec->models[i];
        if (!m->layers && !m->heads)
            continue;
        if (!m->layers || !m->heads) {
            ok = hv_errorf(err, "%s: [model: %s] declares %s but not %s: give both (the model's layers x heads)",
                           spec_name, m->name, m->layers ? "layers =" : "heads =", m->layers ? "heads =" : "layers =");
            break;
        }
        extent *e = &x[extent_of(x, &nx, m->name)];
        e->layers = m->layers;
        e->heads = m->heads;
        e->declared = true;
        snprintf(e->from, sizeof e->from, "layers = and heads = in [model: %s] of %s", m->name, spec_name);
    }
    for (int i = 0; ok && i < opt->n_extents; i++) {
        char name[HV_MAX_NAME];
        snprintf(name, sizeof name, "%.*s", opt->extents[i].model_len < HV_MAX_NAME ? opt->extents[i].model_len : HV_MAX_NAME - 1,
                 opt->extents[i].model);
        char t[HV_MAX_NAME];
        trimmed(t, name);
        extent *e = &x[extent_of(x, &nx, t)];
        e->layers = opt->extents[i].layers;
        e->heads = opt->extents[i].heads;
        e->declared = true;
        snprintf(e->from, sizeof e->from, "--extent %s", opt->extents[i].model);
    }
    /* read the bytes, settle the format, check tensor applies */
    bool default_tensor_used = false, default_reduce_used = false;
    for (int i = 0; ok && i < n; i++) {
        job *j = &jobs[i];
        if (!hv_read_file(j->path, MAX_SCORE_FILE, &j->bytes, &j->len, err)) {
            ok = false;
            break;
        }
        if (hv_torch_refuse(j->path, (const unsigned char *)j->bytes, j->len, err)) {
            ok = false;
            break;
        }
        j->fmt = j->format ? (hv_format)hv_format_parse(j->format) : HV_FMT_AUTO;
        if ((int)j->fmt < 0)
            j->fmt = HV_FMT_AUTO;
        if (j->fmt == HV_FMT_AUTO) {
            j->fmt = hv_format_detect(j->path, (const unsigned char *)j->bytes, j->len);
            if (j->fmt == HV_FMT_CSV) {
                ok = hv_errorf(err, "%s: a long CSV is data, not a grid: give it as DATA.csv (headviz %s)", j->path, j->path);
                break;
            }
        }
        if (j->tensor && j->fmt != HV_FMT_NPZ && j->fmt != HV_FMT_SAFETENSORS) {
            if (j->tensor_own) {
                ok = hv_errorf(err, "%s: %s %s cannot apply: %s is %s (%s names an .npz member or a safetensors tensor)",
                               j->where, j->spec ? "tensor =" : "--tensor", j->tensor, j->path, fmt_desc(j->fmt),
                               j->spec ? "tensor =" : "--tensor");
                break;
            }
            j->tensor = NULL; /* the default: only where it applies */
        } else if (j->tensor && !j->tensor_own) {
            default_tensor_used = true;
        }
    }
    if (ok && opt->tensor && !default_tensor_used)
        ok = hv_errorf(err, "--tensor %s (before the first --grid) applies to no --grid file: none is an .npz or a safetensors file",
                       opt->tensor);
    /* dense files first: they give their model's extent */
    for (int i = 0; ok && i < n; i++) {
        job *j = &jobs[i];
        if (!is_dense(j->fmt))
            continue;
        extent *e = &x[j->model_idx];
        if (!(ok = read_job(j, e, &default_reduce_used, err)))
            break;
        if (!e->layers) {
            e->layers = j->g.layers;
            e->heads = j->g.heads;
            e->dense = j;
            snprintf(e->from, sizeof e->from, "from %.390s", j->path);
        } else if (e->layers != j->g.layers || e->heads != j->g.heads) {
            ok = shape_clash(j, e, err);
        }
    }
    /* the CSV's rows inside a known extent */
    for (int m = 0; ok && m < all->n_models; m++) {
        int k = extent_of(x, &nx, all->models[m]);
        if (x[k].layers) {
            char of[600];
            snprintf(of, sizeof of, "model \"%s\" (%s)", x[k].model, x[k].from);
            ok = hv_dataset_set_extent(all, m, x[k].layers, x[k].heads, of, err);
        }
    }
    /* sparse files: inside a known extent, else they make it */
    for (int i = 0; ok && i < n; i++) {
        job *j = &jobs[i];
        if (is_dense(j->fmt))
            continue;
        if (!(ok = read_job(j, &x[j->model_idx], &default_reduce_used, err)))
            break;
    }
    if (ok && opt->reduce && !default_reduce_used)
        ok = hv_errorf(err, "--reduce %s (before the first --grid) applies to no --grid file: none has a sample axis "
                            "([samples, layers, heads] arrays, JSON lists, JSON Lines)",
                       opt->reduce);
    /* no extent known: the union over the model's files and CSV rows */
    for (int k = 0; ok && k < nx; k++) {
        extent *e = &x[k];
        if (e->layers)
            continue;
        for (int i = 0; i < n; i++)
            if (jobs[i].model_idx == k) {
                e->layers = jobs[i].g.layers > e->layers ? jobs[i].g.layers : e->layers;
                e->heads = jobs[i].g.heads > e->heads ? jobs[i].g.heads : e->heads;
            }
        for (int m = 0; m < all->n_models; m++)
            if (strcmp(all->models[m], e->model) == 0) {
                e->layers = all->layers[m] > e->layers ? all->layers[m] : e->layers;
                e->heads = all->heads[m] > e->heads ? all->heads[m] : e->heads;
            }
        snprintf(e->from, sizeof e->from, "the union of its files");
    }
    for (int i = 0; ok && i < n; i++)
        ok = pad_and_add(all, &jobs[i], &x[jobs[i].model_idx], err);
    /* a CSV-only model's extent: set from its rows or declared */
    for (int m = 0; ok && m < all->n_models; m++) {
        int k = extent_of(x, &nx, all->models[m]);
        if (x[k].layers && (all->layers[m] != x[k].layers || all->heads[m] != x[k].heads)) {
            char of[600];
            snprintf(of, sizeof of, "model \"%s\" (%s)", x[k].model, x[k].from);
            ok = hv_dataset_set_extent(all, m, x[k].layers, x[k].heads, of, err);
        }
    }
    for (int i = 0; jobs && i < n; i++) {
        free(jobs[i].bytes);
        hv_grid_free(&jobs[i].g);
    }
    free(jobs);
    free(x);
    return ok;
}
