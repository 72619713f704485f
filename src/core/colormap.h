/* colormap: matplotlib's colormaps as 256-entry tables: the perceptually
 * uniform sequential ones (viridis, plasma, magma, inferno, cividis) and the
 * diverging ones for signed scores (RdBu_r, coolwarm, bwr), exact to 1/255.
 *
 * Does: look up a colormap by name, sample it at t in [0,1] exactly as the GL
 * backend's 256-texel linear texture does (so CPU and GPU agree), and expose the
 * raw 8-bit table for upload. Does NOT: know about data ranges (see scale.h). */
#ifndef HV_COLORMAP_H
#define HV_COLORMAP_H

#include <stdbool.h>

typedef struct hv_colormap {
    const char *name;
    const unsigned char (*table)[3]; /* 256 entries, sRGB 8-bit */
    bool diverging;                  /* centred on a value (default 0) */
} hv_colormap;

extern const unsigned char hv_cmap_table_viridis[256][3];
extern const unsigned char hv_cmap_table_plasma[256][3];
extern const unsigned char hv_cmap_table_magma[256][3];
extern const unsigned char hv_cmap_table_inferno[256][3];
extern const unsigned char hv_cmap_table_cividis[256][3];
extern const unsigned char hv_cmap_table_rdbu_r[256][3];
extern const unsigned char hv_cmap_table_coolwarm[256][3];
extern const unsigned char hv_cmap_table_bwr[256][3];

/* Every colormap, in a fixed order: index i is row i of a backend's table. */
int hv_colormap_count(void);
const hv_colormap *hv_colormap_at(int i);
int hv_colormap_index(const hv_colormap *cm);

/* NULL if unknown. Names are matched case-insensitively. */
const hv_colormap *hv_colormap_find(const char *name);
/* Comma-separated list of known names, for error messages and --help. */
const char *hv_colormap_names(void);
/* Default colormap (viridis). */
const hv_colormap *hv_colormap_default(void);

/* Samples at t (clamped to [0,1]) with linear interpolation between texel
 * centres, like GL_LINEAR on a 256x1 texture addressed at (t*255+0.5)/256.
 * rgb receives components in [0,1]. */
void hv_colormap_sample(const hv_colormap *cm, double t, float rgb[3]);

#endif
