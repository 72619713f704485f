/* cli: the command line, parsed into hv_options (zero = default). Pure: no
 * SDL, no files, so every error message is unit-testable. */
#ifndef HV_CLI_H
#define HV_CLI_H

#include <stdbool.h>

#include "../core/hv_error.h"

#define HV_MAX_OUTPUT_SIZE 16384

/* --renderer: the rasteriser of PNG stills, PNG frames and video frames */
enum { HV_RENDERER_DEFAULT, HV_RENDERER_CPU, HV_RENDERER_GL }; /* DEFAULT: auto (hv_app_choose_renderer) */
#define HV_MAX_GRIDS 256

/* --grid MODEL CONDITION FILE: a score file bound to a model and a condition,
 * with the --tensor, --reduce and --grid-format given right after it (NULL:
 * the ones given before the first --grid, else the defaults) */
typedef struct hv_grid_arg {
    const char *model, *condition, *path;
    const char *tensor, *reduce, *format;
} hv_grid_arg;

/* --extent MODEL=LAYERSxHEADS */
typedef struct hv_extent_arg {
    const char *model; /* points into argv; model_len bytes */
    int model_len;
    int layers, heads;
} hv_extent_arg;

typedef struct hv_options {
    const char *data_path;  /* NULL = bundled data */
    const char *spec_path;  /* NULL = beside the data, or defaults */
    const char *screenshot; /* write one PNG and exit */
    const char *html;       /* --html: write a self-contained web page and exit */
    bool html_fragment;     /* --html-fragment: html is an HTML fragment, not a page */
    int width, height;      /* pixels; 0 = default (from the physical size when one is given) */
    double phys_w, phys_h;  /* inches (--size 3.5inx2.5in, 89mmx64mm); 0 = a size in pixels */
    double dpi;             /* pixels per inch (--dpi); 0 = 96 */
    int frame_format;       /* --format for --export-frames: 0 png, 1 pdf, 2 svg */
    int theme;              /* hv_theme_id */
    const char *colormap;   /* NULL = the spec's */
    int orientation;        /* heatmaps: 0 layers-x, 1 layers-y, -1 = the spec's */
    int facets;             /* heatmap and diff grids: hv_facets, -1 = the spec's */
    const char *font;       /* NULL = fontconfig's DejaVu Sans */
    bool force;             /* overwrite existing files */
    bool transparent;       /* PNG background alpha 0 */
    bool help, version;
    /* animation (issue: the morph) */
    int layout;            /* hv_layout_mode */
    int match;             /* hv_match_mode */
    int easing;            /* hv_easing; default cubic */
    bool easing_set;
    double progress;       /* for --screenshot */
    bool progress_set;
    double hold, transition; /* s; 0 = default 1.0 / 1.5 */
    double stagger;        /* 0..0.9 */
    /* export */
    const char *export_frames; /* folder for frame_00000.png ... */
    const char *video;         /* .mp4 .webm .gif .mov through ffmpeg */
    const char *preset;        /* x264 preset of an .mp4 --video; NULL = medium */
    double fps;                /* 0 = 60 */
    double duration;           /* s; 0 = one pass through the conditions */
    bool loop_back;            /* the default length includes the way back */
    bool estimate;             /* say the export's size and time, write nothing */
    int frames;                /* 0 = from duration */
    int threads;               /* encoder threads; 0 = one per core */
    bool timings;              /* print where the time went (stderr) */
    int renderer;              /* HV_RENDERER_*: what draws PNG and video frames */
    /* presenting */
    int context;               /* hv_context, -1 = the spec's (notebook) */
    double font_scale;         /* 0 = the spec's (1) */
    int legend;                /* hv_legend_mode, -1 = the spec's (auto) */
    bool loop;                 /* endless cycle: next wraps, play cycles */
    bool present;              /* fullscreen, no status line, pointer hidden when idle */
    /* score files */
    hv_grid_arg grids[HV_MAX_GRIDS];
    int n_grids;
    int top;                   /* heads per model and condition: -1 = the spec's (10), 0 = all */
    int rank_abs;              /* -1 = the spec's (by value), 1 = by |value| */
    const char *reduce;        /* before the first --grid: every --grid's sample axis (NULL = mean) */
    const char *tensor;        /* before the first --grid: every --grid's npz member / tensor */
    const char *grid_format;   /* before the first --grid: every --grid file's format */
    hv_extent_arg extents[16]; /* --extent MODEL=LxH */
    int n_extents;
    const char *models;        /* --models A,B: which models, in this order (NULL = the spec's, or all) */
    const char *conditions;    /* --conditions X,Y */
    const char *table;         /* --table FILE: the top-k as .csv (or - : stdout), .md or .tex */
} hv_options;

/* Returns true on success. On failure err holds one line, without the
 * "headviz: " prefix; the caller prints it and exits 2. */
bool hv_cli_parse(int argc, char **argv, hv_options *o, hv_error *err);
/* Parses "1920x1080" (pixels: *pw = *ph = 0), or a physical size
 * "3.5inx2.5in", "89mmx64mm", "9cmx6cm", "252ptx180pt" (*pw, *ph in inches;
 * *w = *h = 0 until a dpi turns it into pixels). */
bool hv_cli_parse_size(const char *s, int *w, int *h, double *pw, double *ph, hv_error *err);
/* The output's pixel size: --size in pixels, or the physical size at the
 * dpi; def_w x def_h without --size. False (err) when out of range. */
bool hv_cli_pixel_size(const hv_options *o, int def_w, int def_h, int *w, int *h, hv_error *err);
const char *hv_cli_usage(void);

#endif
