/* page_fonts: the fallback fonts a web page (headviz --html) carries.
 *
 * The page draws its text with a Latin subset of DejaVu Sans compiled into
 * the player (src/web). For every character of the page's strings that
 * subset lacks, the font that draws it natively (fontconfig:
 * hv_font_fallback_face, the one the window, PNG and PDF use) is cut with
 * HarfBuzz's hb-subset to just those characters; the page embeds the cuts
 * and tries them in order (src/web/text_stb.c). A character no installed
 * font has is warned about once on stderr, naming it and the text it is in
 * (the native text's words), and the page draws it as a box; so is one
 * whose font would be a ninth (a page carries at most HV_PAGE_FONTS_MAX).
 * Does NOT: know the page's format; the caller passes its strings. */
#ifndef HV_PAGE_FONTS_H
#define HV_PAGE_FONTS_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/hv_error.h"

#define HV_PAGE_FONTS_MAX 8

typedef struct hv_page_fonts {
    struct hv_page_fonts_font {
        unsigned char *data; /* a TrueType/OpenType file, malloc'd */
        size_t len;
        char path[1024]; /* the font it was cut from */
        int index;       /* its face in that file */
        int n_chars;     /* the characters it holds (besides .notdef) */
    } f[HV_PAGE_FONTS_MAX];
    int n;
    int n_missing; /* characters no installed font has (each warned once) */
} hv_page_fonts;

/* text: every string the page can draw, separated by tabs or newlines
 * (the page data: a field's escapes are ASCII and stay as they are);
 * main_font: the page's own font file (the characters it has need no
 * fallback). Fills out (zeroed first; hv_page_fonts_free). False only on
 * a failure (out of memory, an unreadable main font). */
bool hv_page_fonts_make(const char *text, const void *main_font, size_t main_len, hv_page_fonts *out,
                        hv_error *err);
void hv_page_fonts_free(hv_page_fonts *pf);

#endif
