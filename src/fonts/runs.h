/* runs: a string cut into runs of one font each, and the runs' coverage put
 * side by side on one baseline. The one place both text layers take this
 * from: the native one (src/gl/text.c: SDL2_ttf, fallback fonts found by
 * fontconfig) and the page's (src/web/text_stb.c: stb_truetype, fallback
 * subsets the native run embedded). Pure C, no font library: the caller
 * says which font draws a code point.
 * Does NOT: shape, kern across runs, or pick fonts. */
#ifndef HV_RUNS_H
#define HV_RUNS_H

#include <stddef.h>

#define HV_MAX_RUNS 32

/* Next code point of UTF-8 s at *i, advancing *i; a bad byte is U+FFFD
 * (one byte consumed). */
unsigned hv_utf8_next(const unsigned char *s, size_t *i);

typedef struct hv_run {
    int font; /* -1: the main font, else the caller's fallback index */
    size_t start, len; /* bytes of s */
} hv_run;

/* The font that draws cp (-1: the main font); s is the whole string. */
typedef int (*hv_font_for_fn)(void *user, unsigned cp, const char *s);

/* s cut into runs (at most HV_MAX_RUNS: past that, the rest stays in the
 * last run's font); a space the main font draws stays in the run before it.
 * Returns the number of runs (0 for ""). */
int hv_runs_split(const char *s, hv_font_for_fn font_for, void *user, hv_run *runs);

/* One run's coverage: w x h bytes, its baseline `ascent` px from the top. */
typedef struct hv_run_cov {
    unsigned char *cov; /* may be NULL: the run is skipped */
    int w, h, ascent;
} hv_run_cov;

/* The runs' coverage side by side, baselines on the largest ascent, the
 * height down to the largest descent; overlapping pixels keep the larger
 * value. Malloc'd (NULL when empty); *w, *h set. Frees nothing. */
unsigned char *hv_runs_compose(const hv_run_cov *parts, int n, int *w, int *h);

#endif
