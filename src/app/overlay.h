/* overlay: boxes of text drawn over the figure in the window (tooltip,
 * status line, help), appended to a draw list. Pure: text is measured
 * through the core's callback. */
#ifndef HV_OVERLAY_H
#define HV_OVERLAY_H

#include "../core/figure.h"

typedef struct hv_overlay_style {
    const hv_theme *theme;
    float scale; /* px per reference px of the type (the figure's type scale) */
    hv_measure_fn measure;
    void *measure_user;
} hv_overlay_style;

/* Where (x, y) is relative to the box. */
typedef enum hv_box_anchor {
    HV_BOX_NEAR_CURSOR, /* below-right of the point, flipped to stay inside */
    HV_BOX_CENTER,
    HV_BOX_BOTTOM_LEFT,
    HV_BOX_TOP_CENTER,  /* centred below (x, y) */
    HV_BOX_BOTTOM_CENTER, /* centred above (x, y) */
    HV_BOX_TOP_RIGHT    /* (x, y) is the box's top-right corner */
} hv_box_anchor;

/* Draws n lines in a rounded-off box; the first line bold-ish (larger) when
 * `heading`. Returns the box. */
hv_rect hv_overlay_box(hv_drawlist *dl, const hv_overlay_style *st, const char *const *lines, int n, float x,
                       float y, hv_box_anchor anchor, bool heading);

/* The width of a one-line box of text (hv_overlay_box, no heading). */
float hv_overlay_box_width(const hv_overlay_style *st, const char *text);
/* text, shortened with an ellipsis until its one-line box is at most max_w
 * wide: at the end (a status line), or in the middle (a notice naming a
 * file keeps the file's name). "" when not even the ellipsis fits. */
void hv_overlay_fit(const hv_overlay_style *st, const char *text, float max_w, bool middle, char *out, int size);
/* The height of a one-line box: what a band reserved for it needs. */
float hv_overlay_line_height(const hv_overlay_style *st);

#endif
