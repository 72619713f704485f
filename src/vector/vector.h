/* vector: the second backend. Draws a draw list with cairo into PDF (one
 * page per call, any number of pages) or SVG (exactly one page), as vector
 * graphics that match the GL backend:
 *   - rects, the clear colour and clip commands exactly at their pixel
 *     coordinates (clips snapped outward to whole pixels, like GL's scissor);
 *   - markers as paths tracing shaders/marker.frag's signed-distance shapes,
 *     with the rim as the band between the shape and its outward offset;
 *   - colorbars as linear gradients with one stop per colormap entry, where
 *     GL's linear texture sampling hits it (the same piecewise-linear ramp);
 *   - heatmaps as one embedded image of one pixel per cell, never
 *     interpolated (PDF /Interpolate false; SVG image-rendering pixelated);
 *   - text as real text in an embedded subset of the font file the GL
 *     backend uses, each glyph where SDL2_ttf puts it (same box, anchors,
 *     rotation, advances and kerning), so PDF text can be searched and copied.
 *     cairo's SVG surface writes glyphs as outlines (shapes, not text).
 * Units: the draw list is in pixels; the page is page_w_pt x page_h_pt
 * PostScript points; pixels are scaled uniformly by
 * min(page_w_pt / width, page_h_pt / height) and centred (pass 0.75 pt per
 * pixel, i.e. 96 px per inch, unless a physical size was asked for).
 * Files are written under a temporary name beside the target and published
 * when complete (never clobbering without overwrite); /dev/stdout, pipes and
 * devices are written directly.
 * Does NOT: open a window, start SDL video or GL, or measure text for the
 * layout (the caller builds the draw list; hv_text_measure works without GL).
 * Links only cairo, FreeType and the core (+ hv_export's file helpers). */
#ifndef HV_VECTOR_H
#define HV_VECTOR_H

#include <stdbool.h>

#include "../core/drawlist.h"
#include "../core/hv_error.h"

typedef enum hv_vector_format { HV_VECTOR_PDF, HV_VECTOR_SVG } hv_vector_format;

typedef struct hv_vector hv_vector;

/* Format from a file name's extension (.pdf / .svg, any case); false if
 * neither. */
bool hv_vector_format_of(const char *path, hv_vector_format *fmt);

/* Starts a document at path. font_path: the TrueType/OpenType file text is
 * drawn with (hv_text_font_path gives the GL backend's); NULL is fine for a
 * draw list without text. Without overwrite an existing file is an error. */
hv_vector *hv_vector_open(const char *path, hv_vector_format fmt, double page_w_pt, double page_h_pt,
                          const char *font_path, bool overwrite, hv_error *err);

/* Draws dl as the next page. PDF: any number of pages; SVG: exactly one.
 * On failure (a write error, a second SVG page, a draw list it cannot
 * draw) the document is unusable: close it with abort. */
bool hv_vector_page(hv_vector *v, const hv_drawlist *dl, hv_error *err);

/* Finishes the document and publishes it under its name, durably (the
 * file fsync'd before its rename, then the folder: hv_publish); with abort
 * (or when no page was drawn, an error) discards it and leaves nothing
 * under the final name. Frees v in every case; v may be NULL. */
bool hv_vector_close(hv_vector *v, bool abort, hv_error *err);
/* v is one file of a sequence in one folder: its close leaves out the
 * fsync of the folder, which the caller does once after the last
 * (hv_sync_folder). */
void hv_vector_set_frame(hv_vector *v, bool frame);
/* The PDF's Subject (its document properties); nothing for SVG. The still
 * puts the names in full there when a header had to shorten one. */
void hv_vector_set_subject(hv_vector *v, const char *subject);

/* A string's coverage as the GL backend draws it: one byte per pixel, w x h,
 * malloc'd; NULL when there is nothing to draw (hv_text_coverage). */
typedef unsigned char *(*hv_coverage_fn)(void *user, const char *s, float size, int *w, int *h);

/* Rasterises dl with cairo's image backend into a malloc'd image of
 * dl->width x dl->height pixels, `channels` (3 RGB or 4 RGBA) bytes each,
 * top row first, straight alpha: what the GL backend's read-back gives, drawn
 * on the CPU with no window, no GL and no GPU driver. It draws as GL does:
 * rects, colorbars and clips on the pixels whose centres they cover, heatmap
 * cells never interpolated, text from `coverage` (the very bitmaps GL's text
 * textures hold), placed on whole pixels; markers are the pages' paths, equal
 * to the shader's shapes within antialiasing. `name` prefixes errors (e.g.
 * the output file). Bands of rows are drawn on `threads` threads at once
 * (the same pixels as one thread); coverage is called on the calling thread
 * only. NULL with err on failure (out of memory). */
unsigned char *hv_vector_raster(const hv_drawlist *dl, const char *name, hv_coverage_fn coverage, void *user,
                                int channels, int threads, hv_error *err);

#endif
