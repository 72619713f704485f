/* pagedata: what a web page (headviz --html) needs of a native run, as text.
 *
 * The native run reads the data files and the spec (the readers, inih,
 * libzip and cJSON stay native); the page gets the result: every scored
 * head (the dataset `all`, grids included, as points), the resolved spec
 * (after --colormap and the signed-data colormap), and the player's
 * options. The page recomputes the top k with the same core function.
 *
 * Format: UTF-8 lines "KEY\tFIELD\tFIELD..."; strings escaped (\\ \t \n \r,
 * and "<" as \l so the text can sit in a <script> element); doubles with
 * 17 significant digits (exact). The first line is "headviz-page 1".
 * The fallback fonts (subsets for the characters of the data the page's
 * own font lacks: src/fonts/page_fonts.h) are "font\tBASE64" lines, in
 * the order the page tries them; a page without such characters has none.
 * Pure C: compiled natively (the writer) and for WebAssembly (the reader).
 * Does NOT: read files, or know HTML. */
#ifndef HV_PAGEDATA_H
#define HV_PAGEDATA_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/dataset.h"
#include "../core/hv_error.h"
#include "../core/spec.h"

#define HV_PAGE_MAX_FONTS 8

/* A font file's bytes (malloc'd by hv_page_read; the writer's are the
 * caller's). */
typedef struct hv_page_font {
    unsigned char *data;
    size_t len;
} hv_page_font;

typedef struct hv_page_opts {
    int layout, match, easing; /* hv_layout_mode, hv_match_mode, hv_easing */
    double stagger, hold, transition;
    int theme;      /* hv_theme_id */
    int context_id; /* hv_context */
    float font_scale;
    int legend;     /* hv_legend_mode */
    bool loop;
    bool rank_abs;
    int top;        /* heads per model and condition, 0 = all */
    double progress; /* where the page starts */
    hv_page_font fonts[HV_PAGE_MAX_FONTS]; /* fallback fonts, tried in order */
    int n_fonts;
} hv_page_opts;

/* The text (malloc'd, NUL-terminated, *len without the NUL). */
bool hv_page_write(const hv_dataset *all, const hv_spec *spec, const hv_page_opts *o, char **out, size_t *len,
                   hv_error *err);
/* Parses text into all (freed with hv_dataset_free), spec (hv_spec_free)
 * and o (its fonts freed with hv_page_opts_free). Errors say
 * "page data:LINE: ...". */
bool hv_page_read(const char *text, hv_dataset *all, hv_spec *spec, hv_page_opts *o, hv_error *err);
/* Frees the fonts hv_page_read decoded. */
void hv_page_opts_free(hv_page_opts *o);

#endif
