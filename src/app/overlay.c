#include "overlay.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void measure(const hv_overlay_style *st, const char *s, float size, hv_text_metrics *m)
{
    if (st->measure) {
        st->measure(st->measure_user, s, size, m);
    } else {
        m->width = 0.55f * size * (float)strlen(s);
        m->ascent = 0.8f * size;
        m->descent = 0.2f * size;
    }
}

/* "key\tdescription": the part before a tab goes in a first column. */
static bool split_tab(const char *line, char *key, size_t size, const char **rest)
{
    const char *tab = strchr(line, '\t');
    if (!tab) {
        key[0] = '\0';
        *rest = line;
        return false;
    }
    snprintf(key, size, "%.*s", (int)(tab - line), line);
    *rest = tab + 1;
    return true;
}

hv_rect hv_overlay_box(hv_drawlist *dl, const hv_overlay_style *st, const char *const *lines, int n, float x,
                       float y, hv_box_anchor anchor, bool heading)
{
    float s = st->scale;
    float fs = fmaxf(15 * s, 11), fh = fmaxf(17 * s, 12);
    float pad = 10 * s, gap = 4 * s, col_gap = 18 * s;
    float w = 0, h = 0, key_w = 0, rest_w = 0;
    char key[128];
    const char *rest;
    for (int i = 0; i < n; i++) {
        float size = heading && i == 0 ? fh : fs;
        hv_text_metrics m;
        bool has_key = split_tab(lines[i], key, sizeof key, &rest);
        if (key[0]) {
            measure(st, key, size, &m);
            key_w = fmaxf(key_w, m.width);
        }
        measure(st, rest, size, &m);
        if (has_key)
            rest_w = fmaxf(rest_w, m.width);
        else
            w = fmaxf(w, m.width);
        h += m.ascent + m.descent + (i ? gap : 0);
    }
    if (key_w > 0)
        w = fmaxf(w, key_w + col_gap + rest_w);
    hv_rect r = {0, 0, floorf(w + 2 * pad + 0.5f), floorf(h + 2 * pad + 0.5f)};
    float W = (float)dl->width, H = (float)dl->height;
    switch (anchor) {
    case HV_BOX_NEAR_CURSOR:
        r.x = x + 16 * s;
        r.y = y + 16 * s;
        if (r.x + r.w > W - 4)
            r.x = x - 16 * s - r.w;
        if (r.y + r.h > H - 4)
            r.y = y - 16 * s - r.h;
        break;
    case HV_BOX_CENTER:
        r.x = (W - r.w) * 0.5f;
        r.y = (H - r.h) * 0.5f;
        break;
    case HV_BOX_BOTTOM_LEFT:
        r.x = x;
        r.y = y - r.h;
        break;
    case HV_BOX_TOP_CENTER:
        r.x = x - r.w * 0.5f;
        r.y = y;
        break;
    case HV_BOX_BOTTOM_CENTER:
        r.x = x - r.w * 0.5f;
        r.y = y - r.h;
        break;
    case HV_BOX_TOP_RIGHT:
        r.x = x - r.w;
        r.y = y;
        break;
    }
    r.x = floorf(fmaxf(0, r.x) + 0.5f);
    r.y = floorf(fmaxf(0, r.y) + 0.5f);
    const hv_theme *th = st->theme;
    hv_color bg = th->legend_bg;
    bg.a = 1; /* opaque: nothing under the box shows through */
    hv_dl_rect(dl, r, bg);
    float lw = fmaxf(1, floorf(s + 0.5f));
    hv_dl_rect(dl, (hv_rect){r.x, r.y, r.w, lw}, th->legend_border);
    hv_dl_rect(dl, (hv_rect){r.x, r.y + r.h - lw, r.w, lw}, th->legend_border);
    hv_dl_rect(dl, (hv_rect){r.x, r.y, lw, r.h}, th->legend_border);
    hv_dl_rect(dl, (hv_rect){r.x + r.w - lw, r.y, lw, r.h}, th->legend_border);
    float ty = r.y + pad;
    for (int i = 0; i < n; i++) {
        float size = heading && i == 0 ? fh : fs;
        hv_text_metrics m;
        bool has_key = split_tab(lines[i], key, sizeof key, &rest);
        measure(st, rest, size, &m);
        float tx = r.x + pad;
        if (has_key) {
            hv_dl_text(dl, key, floorf(tx + 0.5f), floorf(ty + 0.5f), size, th->text, HV_ANCHOR_START, HV_ANCHOR_START,
                       0);
            tx += key_w + col_gap;
        }
        hv_dl_text(dl, rest, floorf(tx + 0.5f), floorf(ty + 0.5f), size, th->text, HV_ANCHOR_START, HV_ANCHOR_START,
                   0);
        ty += m.ascent + m.descent + gap;
    }
    return r;
}

float hv_overlay_box_width(const hv_overlay_style *st, const char *text)
{
    float s = st->scale, fs = fmaxf(15 * s, 11), pad = 10 * s;
    hv_text_metrics m;
    measure(st, text, fs, &m);
    return floorf(m.width + 2 * pad + 0.5f);
}

float hv_overlay_line_height(const hv_overlay_style *st)
{
    float s = st->scale, fs = fmaxf(15 * s, 11), pad = 10 * s;
    hv_text_metrics m;
    measure(st, "Hg", fs, &m);
    return floorf(m.ascent + m.descent + 2 * pad + 0.5f);
}

/* the start of the UTF-8 character at or before i */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static const char k_ell[] = "\xe2\x80\xa6"; /* … */

static void shorten(const char *text, size_t n, size_t keep, bool middle, char *out, int size)
{
    if (middle) {
        size_t head = char_start(text, keep / 2), tail = n - (keep - keep / 2);
        while (tail < n && ((unsigned char)text[tail] & 0xC0) == 0x80)
            tail++;
        snprintf(out, (size_t)size, "%.*s%s%s", (int)head, text, k_ell, text + tail);
    } else {
        snprintf(out, (size_t)size, "%.*s%s", (int)char_start(text, keep), text, k_ell);
    }
}

void hv_overlay_fit(const hv_overlay_style *st, const char *text, float max_w, bool middle, char *out, int size)
{
    if (size <= 0)
        return;
    snprintf(out, (size_t)size, "%s", text);
    if (hv_overlay_box_width(st, out) <= max_w)
        return;
    size_t n = strlen(text);
    /* the most bytes of the text that fit with the ellipsis (binary search:
     * the width grows with what is kept) */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t keep = (lo + hi + 1) / 2;
        shorten(text, n, keep, middle, out, size);
        if (hv_overlay_box_width(st, out) <= max_w)
            lo = keep;
        else
            hi = keep - 1;
    }
    shorten(text, n, lo, middle, out, size);
    if (hv_overlay_box_width(st, out) <= max_w)
        return;
    out[0] = '\0';
}
