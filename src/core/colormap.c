#include "colormap.h"

#include <math.h>
#include <stddef.h>
#include <strings.h>

static const hv_colormap k_maps[] = {
    {"viridis", hv_cmap_table_viridis}, {"plasma", hv_cmap_table_plasma},
    {"magma", hv_cmap_table_magma},     {"inferno", hv_cmap_table_inferno},
    {"cividis", hv_cmap_table_cividis},
};

const hv_colormap *hv_colormap_find(const char *name)
{
    if (!name)
        return NULL;
    for (unsigned i = 0; i < sizeof k_maps / sizeof k_maps[0]; i++)
        if (strcasecmp(name, k_maps[i].name) == 0)
            return &k_maps[i];
    return NULL;
}

const char *hv_colormap_names(void) { return "viridis, plasma, magma, inferno, cividis"; }

const hv_colormap *hv_colormap_default(void) { return &k_maps[0]; }

void hv_colormap_sample(const hv_colormap *cm, double t, float rgb[3])
{
    if (!(t >= 0.0)) /* also catches NaN */
        t = 0.0;
    if (t > 1.0)
        t = 1.0;
    double x = t * 255.0;
    int i0 = (int)floor(x);
    if (i0 > 254)
        i0 = 254;
    double f = x - i0;
    for (int c = 0; c < 3; c++) {
        double a = cm->table[i0][c], b = cm->table[i0 + 1][c];
        rgb[c] = (float)((a + (b - a) * f) / 255.0);
    }
}
