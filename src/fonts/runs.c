#include "runs.h"

#include <stdlib.h>
#include <string.h>

unsigned hv_utf8_next(const unsigned char *s, size_t *i)
{
    unsigned c = s[*i];
    int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (n < 0) {
        (*i)++;
        return 0xFFFD;
    }
    unsigned cp = n == 0 ? c : n == 1 ? (c & 0x1Fu) : n == 2 ? (c & 0x0Fu) : (c & 0x07u);
    for (int k = 1; k <= n; k++) {
        unsigned cc = s[*i + (size_t)k];
        if ((cc & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = (cp << 6) | (cc & 0x3Fu);
    }
    /* overlong forms, surrogates and past U+10FFFF are not characters */
    static const unsigned min_cp[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_cp[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        (*i)++;
        return 0xFFFD;
    }
    *i += (size_t)n + 1;
    return cp;
}

int hv_runs_split(const char *s, hv_font_for_fn font_for, void *user, hv_run *runs)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    int nr = 0;
    for (size_t i = 0; i < n;) {
        size_t at = i;
        unsigned cp = hv_utf8_next(u, &i);
        int f = font_for(user, cp, s);
        /* spaces shared by every font stay in the run */
        if (nr > 0 && (f == runs[nr - 1].font || (f == -1 && cp == ' ') || nr == HV_MAX_RUNS)) {
            runs[nr - 1].len = i - runs[nr - 1].start;
            continue;
        }
        runs[nr++] = (hv_run){f, at, i - at};
    }
    return nr;
}

unsigned char *hv_runs_compose(const hv_run_cov *parts, int n, int *w, int *h)
{
    int W = 0, asc = 0, desc = 0;
    for (int r = 0; r < n; r++) {
        if (!parts[r].cov)
            continue;
        W += parts[r].w;
        asc = parts[r].ascent > asc ? parts[r].ascent : asc;
        desc = parts[r].h - parts[r].ascent > desc ? parts[r].h - parts[r].ascent : desc;
    }
    int H = asc + desc;
    *w = W;
    *h = H;
    unsigned char *cov = W > 0 && H > 0 ? calloc((size_t)W * (size_t)H, 1) : NULL;
    if (!cov)
        return NULL;
    int x = 0;
    for (int r = 0; r < n; r++) {
        const hv_run_cov *p = &parts[r];
        if (!p->cov)
            continue;
        for (int y = 0; y < p->h; y++) {
            int yy = y + asc - p->ascent;
            if (yy < 0 || yy >= H)
                continue;
            for (int xx = 0; xx < p->w && x + xx < W; xx++) {
                unsigned char v = p->cov[(size_t)y * (size_t)p->w + (size_t)xx];
                unsigned char *d = &cov[(size_t)yy * (size_t)W + (size_t)(x + xx)];
                *d = v > *d ? v : *d;
            }
        }
        x += p->w;
    }
    return cov;
}
