/* libFuzzer harness: the whole figure, headless. The input is a spec and a
 * CSV separated by a line "%%" (no separator: all of it is the CSV, with the
 * default spec). Both are parsed; when both parse, the figure is prepared
 * as the CLI does it (top 10 of each model and condition), and a frame's
 * draw list is built for every layout the data allows, at the first
 * condition, mid-transition and the last condition, at one of 320x180,
 * 1920x1080 and 3840x2160 (chosen by the input's length, so a run is
 * repeatable and the fuzzer tries all three), with the fake fixed-width font
 * of the unit tests.
 *
 * Contract checked beyond "no crash": every failure is one line naming its
 * file; no single frame takes longer than FRAME_BUDGET_S (a hang shows as
 * libFuzzer's -timeout; a frame that finishes but slowly traps here).
 *
 * Numbers decide most of what a figure does (ranges, ticks, scores, limits),
 * and byte mutations seldom turn "70" into "1e12": a custom mutator, one
 * mutation in four, replaces a number of the text with an extreme one (huge,
 * tiny, the limits, an int's end). With it the tick hang of issue 15 (ticks
 * 0..70 by 10 over a range of 1e12) is found in seconds, not minutes. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "anim.h"
#include "dataset.h"
#include "figure.h"
#include "spec.h"

#define FRAME_BUDGET_S 2.0

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

static void fake_measure(void *user, const char *s, float size, hv_text_metrics *m)
{
    (void)user;
    m->width = 0.6f * size * (float)strlen(s);
    m->ascent = 0.8f * size;
    m->descent = 0.2f * size;
}

static const char *const k_extremes[] = {
    "0",    "-1",     "1e9",    "1e12",   "1e15",   "-1e15",      "999999999999999", "1e16", "1e300", "-1e300",
    "1e308", "-1e308", "1e-300", "1e-320", "4096", "2147483648", "100000",          "1e-6", "nan",   "inf"};

static bool is_num_char(uint8_t c)
{
    return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
}

static bool is_word_char(uint8_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

/* Where the k-th number of the text starts and ends (a digit not inside a
 * word, with its sign, fraction and exponent); the count when k < 0. */
static size_t find_number(const uint8_t *d, size_t n, long k, size_t *b, size_t *e)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(d[i] >= '0' && d[i] <= '9'))
            continue;
        size_t s = i;
        if (s > 0 && d[s - 1] == '-')
            s--;
        size_t t = i;
        while (t < n && is_num_char(d[t]))
            t++;
        if (!(s > 0 && is_word_char(d[s - 1]))) {
            if (k >= 0 && count == (size_t)k) {
                *b = s;
                *e = t;
                return count;
            }
            count++;
        }
        i = t;
    }
    return count;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    if (seed % 4 != 0)
        return LLVMFuzzerMutate(data, size, max_size);
    size_t b = 0, e = 0, n = find_number(data, size, -1, &b, &e);
    if (n == 0)
        return LLVMFuzzerMutate(data, size, max_size);
    find_number(data, size, (long)((seed / 4) % n), &b, &e);
    const char *x = k_extremes[(seed / 4 / (unsigned)n) % (sizeof k_extremes / sizeof k_extremes[0])];
    size_t xl = strlen(x);
    if (size - (e - b) + xl > max_size)
        return LLVMFuzzerMutate(data, size, max_size);
    memmove(data + b + xl, data + e, size - e);
    memcpy(data + b, x, xl);
    return size - (e - b) + xl;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* A failure: one non-empty line that starts with the file's name. */
static void check_error(const hv_error *err, const char *name)
{
    if (!err->msg[0] || strchr(err->msg, '\n') || strncmp(err->msg, name, strlen(name)) != 0)
        __builtin_trap();
}

static const char *find_sep(const char *s, size_t n)
{
    if (n >= 3 && memcmp(s, "%%\n", 3) == 0)
        return s;
    for (size_t i = 0; i + 4 <= n; i++)
        if (memcmp(s + i, "\n%%\n", 4) == 0)
            return s + i + 1;
    return NULL;
}

static void frames(const hv_figure *fig, int n_conditions, size_t input_size)
{
    static const int sizes[3][2] = {{320, 180}, {1920, 1080}, {3840, 2160}};
    static hv_panel_state ps[HV_MAX_PANELS];
    static hv_figure_layout lay;
    hv_drawlist dl = {0};
    double last = n_conditions - 1;
    const double moments[3] = {0.0, last > 0 ? 0.5 : 0.0, last};
    for (int layout = 0; layout < HV_LAYOUT_COUNT; layout++) {
        hv_anim a;
        hv_error err;
        hv_anim_opts ao = {(hv_layout_mode)layout, HV_MATCH_HEAD, HV_EASE_BACK, 0};
        if (!hv_anim_init(&a, fig, &ao, &err)) {
            hv_anim_free(&a);
            continue; /* a layout the data cannot show */
        }
        int s = (int)(input_size % 3);
        for (int m = 0; m < 3; m++) {
            double t0 = now_s();
            hv_frame_desc desc;
            int n = hv_anim_frame(&a, moments[m], NULL, ps, &desc);
            hv_figure_opts o;
            memset(&o, 0, sizeof o);
            o.width = sizes[s][0];
            o.height = sizes[s][1];
            o.desc = desc;
            o.measure = fake_measure;
            hv_figure_build(fig, &o, ps, n, &dl, &lay);
            double dt = now_s() - t0;
            if (dt > FRAME_BUDGET_S) {
                fprintf(stderr, "fuzz_figure: layout %s, progress %g, %dx%d took %.1f s (budget %.1f s)\n",
                        hv_layout_name(layout), moments[m], o.width, o.height, dt, FRAME_BUDGET_S);
                __builtin_trap();
            }
        }
        hv_anim_free(&a);
    }
    hv_drawlist_free(&dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *sep = find_sep(text, size);
    size_t spec_len = sep ? (size_t)(sep - text) : 0;
    const char *csv = sep ? sep + 3 : text;
    size_t csv_len = size - (size_t)(csv - text);

    char *spec_text = malloc(spec_len + 1); /* exactly sized: an overread is caught */
    if (!spec_text)
        return 0;
    memcpy(spec_text, text, spec_len);
    spec_text[spec_len] = '\0';

    hv_spec spec;
    hv_spec_init(&spec);
    hv_dataset all, ds;
    memset(&all, 0, sizeof all);
    memset(&ds, 0, sizeof ds);
    hv_error err;
    err.msg[0] = '\0';
    if (!hv_spec_parse(&spec, spec_text, "fuzz.ini", &err)) {
        check_error(&err, "fuzz.ini");
        goto done;
    }
    err.msg[0] = '\0';
    if (!hv_dataset_parse(&all, csv, csv_len, "fuzz.csv", &err)) {
        check_error(&err, "fuzz.csv");
        goto done;
    }
    if (!hv_dataset_top_k(&all, spec.top >= 0 ? spec.top : 10, spec.rank_by_abs > 0, &ds, &err))
        goto done; /* out of memory only */
    hv_figure fig;
    err.msg[0] = '\0';
    if (!hv_figure_prepare(&fig, &ds, &spec, &err)) {
        if (!err.msg[0] || strchr(err.msg, '\n'))
            __builtin_trap();
    } else {
        fig.all = &all;
        frames(&fig, ds.n_conditions, size);
    }
    hv_figure_free(&fig);
done:
    hv_dataset_free(&ds);
    hv_dataset_free(&all);
    hv_spec_free(&spec);
    free(spec_text);
    return 0;
}
