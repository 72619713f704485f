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

#endif
