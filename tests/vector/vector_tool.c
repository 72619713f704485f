/* vector_tool: writes the bundled figure as PDF or SVG through the vector
 * backend alone, for the file-level tests (fonts, text, structure, page
 * count, errors). It links the core and the vector backend only, no SDL and
 * no GL; text is laid out with the core's fixed-width estimate. After
 * writing it checks that no GL, EGL or SDL library was loaded into the
 * process (/proc/self/maps) and fails (exit 3) if one was.
 *
 * usage: vector_tool [--format pdf|svg] [--pages N] [--transparent]
 *                    [--force] [--size WxH] [--font FILE] OUT
 * exits 0 on success, 2 on bad usage or an unusable output (as headviz), 1
 * on a runtime failure; errors are one line on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anim.h"
#include "assets.h"
#include "figure.h"
#include "png.h"
#include "vector.h"

static int usage(void)
{
    fprintf(stderr, "usage: vector_tool [--format pdf|svg] [--pages N] [--transparent] [--force] [--size WxH] "
                    "[--font FILE] OUT\n");
    return 2;
}

/* A line of /proc/self/maps naming a GL, EGL, Mesa or SDL library, or NULL. */
static const char *gl_loaded(char *line, size_t n)
{
    static const char *const libs[] = {"libGL", "libEGL", "libGLX", "libgallium", "swrast", "llvmpipe",
                                       "libSDL2", "libepoxy", "libgbm", "libdrm"};
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f)
        return NULL;
    const char *hit = NULL;
    while (!hit && fgets(line, (int)n, f))
        for (unsigned i = 0; i < sizeof libs / sizeof libs[0] && !hit; i++)
            if (strstr(line, libs[i]))
                hit = line;
    fclose(f);
    return hit;
}

int main(int argc, char **argv)
{
    const char *out = NULL, *font = NULL, *format = NULL;
    int pages = 1, w = 960, h = 540;
    bool transparent = false, force = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        if (strcmp(a, "--format") == 0 && more)
            format = argv[++i];
        else if (strcmp(a, "--pages") == 0 && more)
            pages = atoi(argv[++i]);
        else if (strcmp(a, "--transparent") == 0)
            transparent = true;
        else if (strcmp(a, "--force") == 0)
            force = true;
        else if (strcmp(a, "--size") == 0 && more) {
            if (sscanf(argv[++i], "%dx%d", &w, &h) != 2)
                return usage();
        } else if (strcmp(a, "--font") == 0 && more)
            font = argv[++i];
        else if (a[0] == '-' && a[1] == '-')
            return usage();
        else
            out = a;
    }
    hv_vector_format fmt;
    if (!out || pages < 1 || pages > 1000)
        return usage();
    if (format)
        fmt = strcmp(format, "svg") == 0 ? HV_VECTOR_SVG : HV_VECTOR_PDF;
    else if (!hv_vector_format_of(out, &fmt)) {
        fprintf(stderr, "vector_tool: %s: expected a .pdf or .svg name (or --format)\n", out);
        return 2;
    }

    hv_error err = {""};
    hv_dataset ds;
    hv_spec spec;
    hv_figure fig;
    hv_spec_init(&spec);
    if (!hv_dataset_parse(&ds, hv_asset_csv, hv_asset_csv_len, "bundled.csv", &err) ||
        !hv_spec_parse(&spec, hv_asset_ini, "bundled.ini", &err) || !hv_figure_prepare(&fig, &ds, &spec, &err)) {
        fprintf(stderr, "vector_tool: %s\n", err.msg);
        return 1;
    }
    /* one page: the seed figure; more: the morph from one condition to the
     * other, evenly in time */
    hv_anim anim;
    hv_anim_opts ao = {pages > 1 ? HV_LAYOUT_MORPH : HV_LAYOUT_SIDE, HV_MATCH_RANK, HV_EASE_CUBIC, 0};
    if (!hv_anim_init(&anim, &fig, &ao, &err)) {
        fprintf(stderr, "vector_tool: %s\n", err.msg);
        hv_figure_free(&fig);
        hv_dataset_free(&ds);
        return 1;
    }
    hv_vector *v = hv_vector_open(out, fmt, w * 0.75, h * 0.75, font, force, &err);
    bool ok = v != NULL;
    hv_drawlist dl = {0};
    for (int p = 0; p < pages && ok; p++) {
        static hv_panel_state panels[HV_MAX_PANELS];
        hv_frame_desc desc;
        int n = hv_anim_frame(&anim, pages > 1 ? (double)p / (pages - 1) : 1.0, NULL, panels, &desc);
        hv_figure_opts fo = {0};
        fo.desc = desc;
        fo.width = w;
        fo.height = h;
        fo.transparent = transparent;
        hv_figure_build(&fig, &fo, panels, n, &dl, NULL);
        ok = hv_vector_page(v, &dl, &err);
    }
    if (v)
        ok = hv_vector_close(v, !ok, ok ? &err : NULL) && ok;
    hv_drawlist_free(&dl);
    hv_anim_free(&anim);
    hv_figure_free(&fig);
    hv_dataset_free(&ds);
    if (!ok) {
        fprintf(stderr, "vector_tool: %s\n", err.msg);
        return hv_error_exit_code(&err);
    }
    char line[4096];
    if (gl_loaded(line, sizeof line)) {
        fprintf(stderr, "vector_tool: a GL/SDL library is loaded: %s", line);
        return 3;
    }
    return 0;
}
