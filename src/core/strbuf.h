/* strbuf: a growing NUL-terminated text buffer for writers that build a
 * whole file in memory (the --table file, the web page's data). Appends
 * after an allocation failure do nothing and leave oom set, so a writer
 * checks once at the end. Zero-initialised is empty; the caller frees p. */
#ifndef HV_STRBUF_H
#define HV_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct hv_strbuf {
    char *p;
    size_t n, cap;
    bool oom;
} hv_strbuf;

void hv_strbuf_put(hv_strbuf *b, const char *s, size_t n);
void hv_strbuf_puts(hv_strbuf *b, const char *s);
/* A formatted piece of at most 255 bytes (longer output is cut there). */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void hv_strbuf_printf(hv_strbuf *b, const char *fmt, ...);

#endif
