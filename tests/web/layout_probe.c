/* layout_probe: where the native layout puts a marker, for the browser test
 * (tests/web/browser_test.js hovers it in the page and expects its tooltip).
 * Takes headviz's arguments (data, spec, --size, --progress, ...), builds the
 * frame as the window would (no overlays) and prints the strongest marker of
 * the first panel: "X Y<TAB>MODEL LABEL<TAB>layer L, head H" (pixels). */
#include <stdio.h>
#include <stdlib.h>

#include "app.h"

int main(int argc, char **argv)
{
    hv_app *a = calloc(1, sizeof *a);
    if (!a)
        return 1;
    int rc = hv_app_init(a, argc, argv);
    if (rc < 0)
        rc = hv_app_open_fonts(a);
    int w = 0, h = 0;
    if (rc < 0)
        rc = hv_app_output_size(a, &w, &h);
    if (rc >= 0) {
        hv_app_shutdown(a);
        free(a);
        return rc;
    }
    hv_app_build(a, w, h, false);
    const hv_panel_state *p = &a->view.panels[0];
    int best = -1;
    for (int i = 0; i < p->n_points; i++)
        if (p->points[i].alpha > 0.5f && (best < 0 || p->points[i].score > p->points[best].score))
            best = i;
    if (best < 0) {
        fprintf(stderr, "layout_probe: the first panel shows no marker\n");
        rc = 1;
    } else {
        const hv_scene_point *sp = &p->points[best];
        const hv_panel_layout *pl = &a->view.layout.panels[0];
        printf("%.2f %.2f\t%s\tlayer %d, head %d\n", hv_scale_map(&pl->sx, sp->layer), hv_scale_map(&pl->sy, sp->head),
               a->view.fig.models[sp->model].label, (int)sp->layer, (int)sp->head);
        rc = 0;
    }
    hv_app_shutdown(a);
    free(a);
    return rc;
}
