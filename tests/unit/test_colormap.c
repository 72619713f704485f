/* Unit tests of colormap.c against matplotlib's published colormaps.
 *
 * The reference colours are matplotlib 3.6.3's ListedColormap entries as
 * matplotlib.colors.to_hex gives them (round(x * 255)), written here as
 * literals: index 0, 32, 64, 100, 128, 200 and 255 of each map. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "colormap.h"

typedef struct ref {
    const char *map;
    int index;
    unsigned hex;
} ref;

static const ref k_refs[] = {
    {"viridis", 0, 0x440154},   {"viridis", 32, 0x472d7b},  {"viridis", 64, 0x3b528b},
    {"viridis", 100, 0x2a768e}, {"viridis", 128, 0x21918c}, {"viridis", 200, 0x70cf57},
    {"viridis", 255, 0xfde725},

    {"plasma", 0, 0x0d0887},    {"plasma", 32, 0x4c02a1},   {"plasma", 64, 0x7e03a8},
    {"plasma", 100, 0xae2892},  {"plasma", 128, 0xcc4778},  {"plasma", 200, 0xfba139},
    {"plasma", 255, 0xf0f921},

    {"magma", 0, 0x000004},     {"magma", 32, 0x1d1147},    {"magma", 64, 0x51127c},
    {"magma", 100, 0x892881},   {"magma", 128, 0xb73779},   {"magma", 200, 0xfd9869},
    {"magma", 255, 0xfcfdbf},

    {"inferno", 0, 0x000004},   {"inferno", 32, 0x210c4a},  {"inferno", 64, 0x57106e},
    {"inferno", 100, 0x902568}, {"inferno", 128, 0xbc3754}, {"inferno", 200, 0xfb9d07},
    {"inferno", 255, 0xfcffa4},

    {"cividis", 0, 0x00224e},   {"cividis", 32, 0x1a386f},  {"cividis", 64, 0x434e6c},
    {"cividis", 100, 0x656870}, {"cividis", 128, 0x7d7c78}, {"cividis", 200, 0xc4b468},
    {"cividis", 255, 0xfee838},
};

static const char *const k_names[5] = {"viridis", "plasma", "magma", "inferno", "cividis"};

static unsigned texel_hex(const hv_colormap *cm, int i)
{
    return (unsigned)cm->table[i][0] << 16 | (unsigned)cm->table[i][1] << 8 | cm->table[i][2];
}

static void test_find(void)
{
    const hv_colormap *v = hv_colormap_find("viridis");
    CHECK(v != NULL);
    if (!v)
        return;
    CHECK_STR(v->name, "viridis");
    CHECK(v->table == hv_cmap_table_viridis);
    CHECK(hv_colormap_find("VIRIDIS") == v);
    CHECK(hv_colormap_find("Viridis") == v);
    CHECK(hv_colormap_default() == v);
    CHECK(hv_colormap_find("jet") == NULL);
    CHECK(hv_colormap_find("") == NULL);
    CHECK(hv_colormap_find(NULL) == NULL);
    CHECK(hv_colormap_find("viridis ") == NULL);
    CHECK(hv_colormap_find("viridi") == NULL);
    CHECK(hv_colormap_find("viridis_r") == NULL);

    const unsigned char(*const tables[5])[3] = {hv_cmap_table_viridis, hv_cmap_table_plasma,
                                                hv_cmap_table_magma, hv_cmap_table_inferno,
                                                hv_cmap_table_cividis};
    for (int i = 0; i < 5; i++) {
        check_context("%s", k_names[i]);
        const hv_colormap *cm = hv_colormap_find(k_names[i]);
        CHECK(cm != NULL);
        if (!cm)
            continue;
        CHECK_STR(cm->name, k_names[i]);
        CHECK(cm->table == tables[i]);
        char upper[16];
        size_t n = strlen(k_names[i]);
        for (size_t k = 0; k <= n; k++)
            upper[k] = (char)(k_names[i][k] >= 'a' && k_names[i][k] <= 'z' ? k_names[i][k] - 32 : k_names[i][k]);
        CHECK(hv_colormap_find(upper) == cm);
        /* named in the list for messages */
        CHECK(strstr(hv_colormap_names(), k_names[i]) != NULL);
    }
    check_context("%s", "");
    CHECK_STR(hv_colormap_names(), "viridis, plasma, magma, inferno, cividis, RdBu_r, coolwarm, bwr");
}

static void test_tables(void)
{
    for (unsigned i = 0; i < sizeof k_refs / sizeof k_refs[0]; i++) {
        const ref *r = &k_refs[i];
        const hv_colormap *cm = hv_colormap_find(r->map);
        check_context("%s[%d] = #%06x", r->map, r->index, r->hex);
        CHECK(cm != NULL);
        if (!cm)
            continue;
        CHECK_INT(texel_hex(cm, r->index), r->hex);
    }
    /* the anchor values quoted everywhere, through t = 0, 1 and 128/255 */
    static const struct {
        const char *map;
        double t;
        unsigned hex;
    } ends[] = {
        {"viridis", 0, 0x440154}, {"viridis", 1, 0xfde725}, {"viridis", 128 / 255.0, 0x21918c},
        {"plasma", 0, 0x0d0887},  {"plasma", 1, 0xf0f921},  {"magma", 0, 0x000004},
        {"magma", 1, 0xfcfdbf},   {"inferno", 0, 0x000004}, {"inferno", 1, 0xfcffa4},
        {"cividis", 0, 0x00224e}, {"cividis", 1, 0xfee838},
    };
    for (unsigned i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        const hv_colormap *cm = hv_colormap_find(ends[i].map);
        check_context("%s(%g) = #%06x", ends[i].map, ends[i].t, ends[i].hex);
        CHECK(cm != NULL);
        if (!cm)
            continue;
        float rgb[3];
        hv_colormap_sample(cm, ends[i].t, rgb);
        unsigned h = 0;
        for (int c = 0; c < 3; c++)
            h = h << 8 | (unsigned)lround(rgb[c] * 255.0);
        CHECK_INT(h, ends[i].hex);
    }
    check_context("%s", "");

    /* perceptually uniform maps get lighter from 0 to 255: relative
     * luminance never drops by more than 8-bit rounding can explain, and
     * rises overall. A swapped or misplaced row would break this. */
    for (int m = 0; m < 5; m++) {
        const hv_colormap *cm = hv_colormap_find(k_names[m]);
        if (!cm)
            continue;
        check_context("%s", k_names[m]);
        double prev = -1, first = 0, last = 0;
        int drops = 0;
        for (int i = 0; i < 256; i++) {
            double y = 0;
            static const double w[3] = {0.2126, 0.7152, 0.0722};
            for (int c = 0; c < 3; c++) {
                double s = cm->table[i][c] / 255.0;
                y += w[c] * (s <= 0.04045 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4));
            }
            if (y < prev - 0.001)
                drops++;
            prev = y;
            if (i == 0)
                first = y;
            last = y;
        }
        CHECK_INT(drops, 0);
        CHECK(last > first + 0.5);
    }
    check_context("%s", "");
}

static void test_sample(void)
{
    for (int m = 0; m < 5; m++) {
        const hv_colormap *cm = hv_colormap_find(k_names[m]);
        if (!cm)
            continue;
        check_context("%s", k_names[m]);
        int bad_centre = 0, bad_mix = 0, bad_range = 0;
        for (int i = 0; i < 256; i++) {
            float rgb[3];
            /* at a texel centre, t = i / 255, the texel itself */
            hv_colormap_sample(cm, i / 255.0, rgb);
            for (int c = 0; c < 3; c++)
                if (fabs(rgb[c] - cm->table[i][c] / 255.0) > 1e-5)
                    bad_centre++;
            if (i == 255)
                break;
            /* between two texel centres, a linear mix of the two */
            static const double fr[] = {0.25, 0.5, 0.9};
            for (int k = 0; k < 3; k++) {
                hv_colormap_sample(cm, (i + fr[k]) / 255.0, rgb);
                for (int c = 0; c < 3; c++) {
                    double a = cm->table[i][c] / 255.0, b = cm->table[i + 1][c] / 255.0;
                    if (fabs(rgb[c] - (a + (b - a) * fr[k])) > 1e-5)
                        bad_mix++;
                    if (rgb[c] < fmin(a, b) - 1e-6 || rgb[c] > fmax(a, b) + 1e-6)
                        bad_range++;
                }
            }
        }
        CHECK_INT(bad_centre, 0);
        CHECK_INT(bad_mix, 0);
        CHECK_INT(bad_range, 0);

        /* the GL texture addressing: u = (t * 255 + 0.5) / 256 lands on texel
         * centres for t = i / 255, so the mid-point of t = 0.5 mixes 127 and 128 */
        float rgb[3];
        hv_colormap_sample(cm, 0.5, rgb);
        for (int c = 0; c < 3; c++)
            CHECK_NEAR(rgb[c], (cm->table[127][c] + cm->table[128][c]) / 2.0 / 255.0, 1e-5);

        /* clamped outside [0, 1]; NaN is 0 */
        float lo[3], hi[3], nan_rgb[3];
        hv_colormap_sample(cm, -0.5, lo);
        hv_colormap_sample(cm, 7.0, hi);
        hv_colormap_sample(cm, NAN, nan_rgb);
        for (int c = 0; c < 3; c++) {
            CHECK_NEAR(lo[c], cm->table[0][c] / 255.0, 1e-6);
            CHECK_NEAR(hi[c], cm->table[255][c] / 255.0, 1e-6);
            CHECK_NEAR(nan_rgb[c], cm->table[0][c] / 255.0, 1e-6);
        }
    }
    check_context("%s", "");

    /* a worked example: viridis at t = 0.5 / 255 is halfway between
     * #440154 and #440256 */
    float rgb[3];
    hv_colormap_sample(hv_colormap_default(), 0.5 / 255.0, rgb);
    CHECK_NEAR(rgb[0], 68 / 255.0, 1e-6);
    CHECK_NEAR(rgb[1], 1.5 / 255.0, 1e-6);
    CHECK_NEAR(rgb[2], 85 / 255.0, 1e-6);
}

int main(void)
{
    test_find();
    test_tables();
    test_sample();
    return check_summary();
}
