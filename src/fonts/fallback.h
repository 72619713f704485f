/* fallback: the font that has a character the main font lacks, found with
 * fontconfig (FcFontSort over sans-serif with the character in the
 * pattern's charset; the first TrueType/OpenType file whose charset has
 * it). Shared by the SDL2_ttf text (window, PNG, CPU raster) and the
 * PDF/SVG backend, so all three pick the same font; and by the web page's
 * fallback subsets (page_fonts.h), so the page picks it too.
 * Does NOT: open the font, cache, or warn (the callers do). */
#ifndef HV_FALLBACK_H
#define HV_FALLBACK_H

#include <stdbool.h>
#include <stddef.h>

/* The file of a font that has code point cp, into out; false if none. */
bool hv_font_fallback_file(unsigned cp, char *out, size_t out_size);
/* The same, and the face's index in the file (a .ttc holds several). */
bool hv_font_fallback_face(unsigned cp, char *out, size_t out_size, int *index);

/* cp as UTF-8 into out (at least 5 bytes), NUL-terminated. */
void hv_utf8_put(unsigned cp, char *out);

#endif
