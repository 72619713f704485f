#include "colormap.h"

#include <math.h>
#include <stddef.h>
#include <strings.h>

static const hv_colormap k_maps[] = {
    {"viridis", hv_cmap_table_viridis, false}, {"plasma", hv_cmap_table_plasma, false},
    {"magma", hv_cmap_table_magma, false},     {"inferno", hv_cmap_table_inferno, false},
    {"cividis", hv_cmap_table_cividis, false}, {"RdBu_r", hv_cmap_table_rdbu_r, true},
    {"coolwarm", hv_cmap_table_coolwarm, true}, {"bwr", hv_cmap_table_bwr, true},
};
#define N_MAPS ((int)(sizeof k_maps / sizeof k_maps[0]))

int hv_colormap_count(void) { return N_MAPS; }
const hv_colormap *hv_colormap_at(int i) { return i >= 0 && i < N_MAPS ? &k_maps[i] : &k_maps[0]; }
int hv_colormap_index(const hv_colormap *cm) { return cm ? (int)(cm - k_maps) : 0; }

const hv_colormap *hv_colormap_find(const char *name)
{
    if (!name)
        return NULL;
    for (int i = 0; i < N_MAPS; i++)
        if (strcasecmp(name, k_maps[i].name) == 0)
            return &k_maps[i];
    return NULL;
}

const char *hv_colormap_names(void) { return "viridis, plasma, magma, inferno, cividis, RdBu_r, coolwarm, bwr"; }

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
