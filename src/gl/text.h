/* text: fonts found with fontconfig, rasterised by SDL2_ttf, cached as GL
 * textures (one per string and size), measured for the core's layout.
 *
 * Needs a current GL context for hv_text_texture; measuring does not.
 * Does NOT: lay out paragraphs or shape complex scripts. */
#ifndef HV_TEXT_H
#define HV_TEXT_H

#include <stdbool.h>

#include "../core/figure.h"
#include "../core/hv_error.h"

typedef struct hv_text hv_text;

/* font: a file path, a fontconfig pattern ("DejaVu Sans:bold"), or NULL for
 * the default (DejaVu Sans, matplotlib's font, then any sans-serif). */
hv_text *hv_text_create(const char *font, hv_error *err);
void hv_text_destroy(hv_text *t);
const char *hv_text_font_path(const hv_text *t);
/* A one-line warning about the font chosen ("" when none), e.g. when no
 * installed family matches --font and fontconfig substituted another. */
const char *hv_text_warning(const hv_text *t);

/* Characters the main font lacks are drawn (and measured) in a font that
 * fontconfig finds for them (FcFontSort with the character in the pattern's
 * charset), run by run on one baseline; a character no installed font has
 * is drawn as the main font's box and warned about once on stderr, naming
 * it and the text it is in (src/fonts/fallback.h: the PDF/SVG backend finds
 * the same fonts). */

#ifdef __EMSCRIPTEN__
#include <stddef.h>
/* The web player's only (src/web/text_stb.c): a fallback font the page
 * carries (a TrueType/OpenType subset, copied), tried in the order added for
 * characters the main font lacks; and how many distinct characters no font
 * of the page had (drawn as boxes). */
bool hv_text_add_font(hv_text *t, const unsigned char *data, size_t len, hv_error *err);
int hv_text_missing_glyphs(const hv_text *t);
#endif

/* hv_measure_fn for the core. */
void hv_text_measure(void *user, const char *s, float size, hv_text_metrics *m);

/* s at size px as SDL2_ttf renders it: one coverage byte per pixel, w x h,
 * malloc'd (NULL for an empty string or on failure). No GL needed. The GL
 * backend's text textures and the cairo raster's text both come from here. */
unsigned char *hv_text_coverage(void *t, const char *s, float size, int *w, int *h);
/* Texture (GL name) holding s at size px; w, h in px. 0 on failure. */
unsigned hv_text_texture(hv_text *t, const char *s, float size, int *w, int *h);
/* Drops GL textures (call before destroying the GL context). */
void hv_text_release_gl(hv_text *t);

#endif
