#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <math.h>

#include "../core/anim.h"
#include "../core/colormap.h"
#include "../core/figure.h"
#include "../export/video.h"
#include "../io/scores.h"

const char *hv_cli_usage(void)
{
    return "usage: headviz [options] [DATA.csv] [--grid MODEL CONDITION FILE]...\n"
           "\n"
           "Draws the top-k attention heads figure: x = layer, y = head, one marker\n"
           "shape per model, colour = score, one panel and colorbar per condition.\n"
           "Without data it shows the bundled seed data (Top 10 Safety Heads).\n"
           "\n"
           "data:\n"
           "  DATA.csv             a long CSV: model,condition,layer,head,score ('-':\n"
           "                       standard input)\n"
           "  --grid MODEL CONDITION FILE   a score for every head of a model in a\n"
           "                       condition: .json .jsonl .npy .npz .txt (np.savetxt)\n"
           "                       .safetensors (repeat for each model and condition)\n"
           "  --top K|all          each model's K highest heads per condition (default 10)\n"
           "  --rank-by value|abs  rank signed scores by value (default) or |value|\n"
           "  --reduce NAME        a sample axis: mean (default), max, sum, count, abs-mean\n"
           "  --tensor NAME        the .npz member or safetensors tensor\n"
           "  --grid-format NAME   json, jsonl, npy, npz, text, safetensors (default: by\n"
           "                       the extension, else the first bytes)\n"
           "                       (--reduce, --tensor, --grid-format right after a --grid\n"
           "                       apply to that file; before the first --grid, to all)\n"
           "  --extent MODEL=LxH   the model's layers x heads (sparse JSON, JSON Lines\n"
           "                       and the CSV fit inside; default: its dense files)\n"
           "  --models A,B,...     which models to show, in this order (default: all)\n"
           "  --conditions X,Y,... which conditions to show, in this order\n"
           "  --table FILE         write the top-k heads (model, condition, rank, layer,\n"
           "                       head, score): .csv or - (stdout), .md, .tex (booktabs);\n"
           "                       without --screenshot/--video/--export-frames: only it\n"
           "\n"
           "options:\n"
           "  --spec FILE          figure spec (INI); default: DATA.ini or headviz.ini\n"
           "                       beside the data, else built-in defaults\n"
           "  --screenshot FILE    render one frame headless, write it, exit: .png, or\n"
           "                       vector .pdf / .svg (no GL needed)\n"
           "  --html FILE          write one self-contained web page (.html) that plays\n"
           "                       the figure in a browser: keys, morph, tooltips\n"
           "  --html-fragment FILE the same as an HTML fragment to paste or include in a\n"
           "                       page: several figures on one page, each its own\n"
           "  --size WxH           output size in pixels (screenshot default 1920x1080,\n"
           "                       window default 1600x900), or physical: 3.5inx2.5in,\n"
           "                       89mmx64mm (in, mm, cm, pt): type then in points;\n"
           "                       beamer: a 16:9 Beamer slide (160x90 mm),\n"
           "                       beamer43: a 4:3 one (128x96 mm)\n"
           "  --dpi N              pixels per inch (default 96): a physical size's\n"
           "                       pixels, a pixel size's page in PDF/SVG\n"
           "  --theme light|dark   light (paper, default) or dark (talks)\n"
           "  --colormap NAME      viridis, plasma, magma, inferno, cividis;\n"
           "                       diverging: RdBu_r, coolwarm, bwr\n"           "  --orientation layers-x|layers-y\n"
           "                       heatmaps: layers across, head 0 at the bottom\n"
           "                       (default); or layers down, layer 0 at the top,\n"
           "                       like sns.heatmap (the spec's orientation =)\n"
           "  --facets auto|models-rows|models-columns\n"
           "                       heatmap and diff grids: a row per model and a\n"
           "                       column per condition, or the transpose; auto\n"
           "                       (default): rows unless columns give the plots\n"
           "                       a tenth more room (the spec's facets =)\n"
           "  --context NAME       paper, notebook (default), talk, poster: scales\n"
           "                       type, markers and lines (0.8, 1, 1.5, 2)\n"
           "  --font-scale F       type only, on top of the context (0.25..4)\n"
           "  --legend PLACE       auto (default: a corner no marker passes, else\n"
           "                       outside), outside, \"upper right\", \"upper left\",\n"
           "                       \"lower right\", \"lower left\", none\n"
           "  --font FONT          a .ttf/.otf file or a fontconfig pattern\n"
           "  --transparent        transparent figure and plot backgrounds\n"
           "  --force              overwrite existing output files\n"
           "  --help, --version    this text; the version\n"
           "\n"
           "animation and the window:\n"
           "  --layout NAME        side: one viewport per condition (default);\n"
           "                       morph: one viewport morphing between conditions;\n"
           "                       models: one viewport per model, each morphing;\n"
           "                       heatmap: every head, a panel per model and condition;\n"
           "                       diff: each condition minus the one before, per model\n"
           "  --match head|rank|nearest    pair points across conditions by the same\n"
           "                       head (default), by rank, or by least total travel\n"
           "  --easing NAME        linear, cubic (default), quint, back, elastic\n"
           "  --hold S             seconds held on each condition (default 1)\n"
           "  --transition S       seconds per transition (default 1.5)\n"
           "  --stagger F          0..0.9: spread the motion over points by rank\n"
           "  --progress P         the moment to show (--screenshot or the window):\n"
           "                       0 = first condition, 1 = second, 0.5 = halfway\n"
           "  --loop               endless cycle: next wraps, Space plays for ever\n"
           "  --present            fullscreen, no status line, pointer hidden when idle\n"
           "\n"
           "export (frame-exact: frame i is the moment i/fps, whatever the machine):\n"
           "  --export-frames DIR  write DIR/frame_00000.png, frame_00001.png, ...\n"
           "  --format png|pdf|svg the format of --export-frames (default png)\n"
           "  --video FILE         .mp4 (H.264), .webm (VP9), .gif, .mov (ProRes;\n"
           "                       4444 with alpha when --transparent), via ffmpeg;\n"
           "                       .pdf: one page per frame (LaTeX Beamer)\n"
           "  --preset NAME        x264's speed for .mp4: ultrafast, superfast, veryfast,\n"
           "                       faster, fast, medium (default), slow, slower,\n"
           "                       veryslow (crf 18 with any: faster, usually larger)\n"
           "  --fps N              frames per second (default 60; 30 for .mov and\n"
           "                       --transparent)\n"
           "  --duration S         seconds to export (default: one pass through the\n"
           "                       conditions, ending on the last)\n"
           "  --frames N           number of frames (instead of --duration)\n"
           "  --loop-back          also export the way back to the first condition\n"
           "                       (a clip that loops)\n"
           "  --estimate           say the export's estimated size and time, write\n"
           "                       nothing (said anyway before a long or large one)\n"
           "  --threads N          PNG encoder threads (default: one per core; fewer\n"
           "                       for large frames, so memory stays under ~512 MB)\n"
           "  --renderer auto|cpu|gl  what draws PNG stills, PNG frames and video\n"
           "                       frames: cpu = cairo, no GPU driver loaded; gl = the\n"
           "                       window's OpenGL renderer; auto (default) = cpu for\n"
           "                       a still, and for frames gl on a GPU, cpu when\n"
           "                       OpenGL is a software rasteriser (llvmpipe) or\n"
           "                       missing; the same renderer gives a still and a\n"
           "                       frame of the same moment identical pixels\n"
           "  --timings            print which renderer drew and why, and where the\n"
           "                       time went, per frame and stage (build, draw,\n"
           "                       read-back, filter, deflate, write; for --video,\n"
           "                       rendering vs waiting on ffmpeg)\n"
           "\n"
           "examples:\n"
           "  headviz                                   open a window on the bundled data\n"
           "  headviz --present --context talk          a talk: fullscreen, large type\n"
           "  headviz --screenshot fig.png --size 3840x2160\n"
           "  headviz --screenshot fig.pdf --size 3.5inx2.5in --context paper\n"
           "  headviz heads.csv --spec heads.ini --theme dark --screenshot talk.png\n"
           "  headviz --layout morph --progress 0.5 --screenshot mid.png\n"
           "  headviz --export-frames /tmp/f --fps 30 --duration 2\n"
           "  headviz --layout morph --video talk.mp4 --size 3840x2160\n"
           "  headviz --layout morph --video draft.mp4 --preset veryfast\n"
           "  headviz --grid Llama-2-7b-chat \"Undiff Attn.\" llama_undiff.npy \\\n"
           "          --grid Llama-2-7b-chat \"Scaling Cont.\" llama_scaling.npy --layout heatmap\n"
           "\n"
           "keys (window): Right/PageDown/Space next step, Left/PageUp previous,\n"
           "Home/End first/last, a number then Enter: that step, B/W black/white\n"
           "screen, P play, L layout, M matching, E easing, F fullscreen, T theme,\n"
           "I status line, H or ? help, S screenshot, R record frames, Esc closes an\n"
           "overlay or quits, Q quits; hover a marker for its scores; click a legend\n"
           "entry to hide/show a model\n";
}

/* One side: a whole number of pixels, or a number with a unit (in, mm, cm,
 * pt) as inches. Returns the end, or NULL. */
static const char *parse_side(const char *p, long *px, double *inches)
{
    *px = 0;
    *inches = 0;
    /* decimal digits with an optional fraction (never strtod's hex or
     * exponents: "0x100" is 0 by 100) */
    const char *end = p;
    while (*end >= '0' && *end <= '9')
        end++;
    bool whole = end > p;
    if (*end == '.') {
        end++;
        while (*end >= '0' && *end <= '9')
            end++;
    }
    if (end == p || (end == p + 1 && *p == '.') || end - p > 30)
        return NULL;
    char num[32];
    memcpy(num, p, (size_t)(end - p));
    num[end - p] = '\0';
    double v = strtod(num, NULL);
    static const struct {
        const char *unit;
        double per_inch;
    } units[] = {{"in", 1}, {"mm", 25.4}, {"cm", 2.54}, {"pt", 72}};
    for (unsigned u = 0; u < sizeof units / sizeof units[0]; u++)
        if (strncmp(end, units[u].unit, 2) == 0) {
            *inches = v / units[u].per_inch;
            return end + 2;
        }
    /* pixels: digits only */
    if (!whole || strchr(num, '.'))
        return NULL;
    *px = v > 1e9 ? 1000000000L : (long)v;
    return end;
}

/* Named physical sizes: LaTeX Beamer's slides (its aspectratio=169 and the
 * default 4:3), so frames fill \textwidth at the slide's own scale. */
static const struct {
    const char *name;
    double w_mm, h_mm;
} k_named_sizes[] = {{"beamer", 160, 90}, {"beamer43", 128, 96}};

bool hv_cli_parse_size(const char *s, int *w, int *h, double *pw, double *ph, hv_error *err)
{
    for (unsigned k = 0; k < sizeof k_named_sizes / sizeof k_named_sizes[0]; k++)
        if (strcasecmp(s, k_named_sizes[k].name) == 0) {
            *pw = k_named_sizes[k].w_mm / 25.4;
            *ph = k_named_sizes[k].h_mm / 25.4;
            *w = *h = 0;
            return true;
        }
    long v[2];
    double in[2];
    const char *p = s;
    for (int i = 0; i < 2; i++) {
        p = parse_side(p, &v[i], &in[i]);
        if (!p)
            return hv_errorf(err, "--size: expected WxH like 1920x1080 or 3.5inx2.5in (in, mm, cm, pt), or beamer (160x90 mm), beamer43 (128x96 mm), got \"%s\"", s);
        if (i == 0) {
            if (*p != 'x' && *p != 'X')
                return hv_errorf(err, "--size: expected WxH like 1920x1080 or 3.5inx2.5in (in, mm, cm, pt), or beamer (160x90 mm), beamer43 (128x96 mm), got \"%s\"", s);
            p++;
        }
    }
    if (*p || (in[0] > 0) != (in[1] > 0))
        return hv_errorf(err, "--size: expected WxH like 1920x1080 or 3.5inx2.5in (in, mm, cm, pt), or beamer (160x90 mm), beamer43 (128x96 mm), got \"%s\"", s);
    if (in[0] > 0) { /* a physical size: 0.1 in .. 100 in a side */
        if (in[0] < 0.1 || in[1] < 0.1 || in[0] > 100 || in[1] > 100)
            return hv_errorf(err, "--size: %s is out of range (each side 0.1in..100in)", s);
        *pw = in[0];
        *ph = in[1];
        *w = *h = 0;
        return true;
    }
    if (v[0] < 16 || v[1] < 16 || v[0] > HV_MAX_OUTPUT_SIZE || v[1] > HV_MAX_OUTPUT_SIZE)
        return hv_errorf(err, "--size: %s is out of range (each side 16..%d)", s, HV_MAX_OUTPUT_SIZE);
    *w = (int)v[0];
    *h = (int)v[1];
    *pw = *ph = 0;
    return true;
}

bool hv_cli_pixel_size(const hv_options *o, int def_w, int def_h, int *w, int *h, hv_error *err)
{
    if (o->phys_w > 0) {
        double dpi = o->dpi > 0 ? o->dpi : 96;
        long pw = lround(o->phys_w * dpi), ph = lround(o->phys_h * dpi);
        if (pw < 16 || ph < 16 || pw > HV_MAX_OUTPUT_SIZE || ph > HV_MAX_OUTPUT_SIZE)
            return hv_errorf(err, "--size %.4gin x %.4gin at --dpi %g is %ldx%ld pixels, out of range (each side 16..%d)",
                             o->phys_w, o->phys_h, dpi, pw, ph, HV_MAX_OUTPUT_SIZE);
        *w = (int)pw;
        *h = (int)ph;
        return true;
    }
    *w = o->width ? o->width : def_w;
    *h = o->height ? o->height : def_h;
    return true;
}

static bool parse_number(const char *name, const char *v, double lo, double hi, double *out, hv_error *err)
{
    char *end;
    double d = strtod(v, &end);
    if (end == v || *end || isnan(d))
        return hv_errorf(err, "%s: expected a number, got \"%s\"", name, v);
    if (d < lo || d > hi) /* also infinities and overflow */
        return hv_errorf(err, "%s: %s is out of range (%g..%g)", name, v, lo, hi);
    *out = d;
    return true;
}

static bool parse_whole(const char *name, const char *v, double lo, double hi, int *out, hv_error *err)
{
    double d = 0;
    if (!parse_number(name, v, lo, hi, &d, err))
        return false;
    if (d != floor(d))
        return hv_errorf(err, "%s: expected a whole number, got \"%s\"", name, v);
    *out = (int)d;
    return true;
}

/* --name VALUE or --name=VALUE */
static bool take_value(int argc, char **argv, int *i, const char *arg, const char *name,
                       const char **out, hv_error *err)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return false;
    if (arg[n] == '=') {
        *out = arg + n + 1;
    } else if (arg[n] == '\0') {
        if (*i + 1 >= argc) {
            hv_errorf(err, "%s needs a value (see headviz --help)", name);
            *out = NULL;
            return true;
        }
        *out = argv[++*i];
    } else {
        return false;
    }
    if (!**out) {
        hv_errorf(err, "%s needs a non-empty value", name);
        *out = NULL;
    }
    return true;
}

/* --tensor / --reduce / --grid-format: after a --grid, that file's; before
 * the first, every --grid's. Twice for one is an error, never a silent
 * override. */
static bool grid_option(const hv_options *o, const char *name, const char *v, const char **slot, hv_error *err)
{
    if (*slot) {
        if (o->n_grids) {
            const hv_grid_arg *g = &o->grids[o->n_grids - 1];
            return hv_errorf(err, "%s given twice for --grid \"%s\" \"%s\" %s (\"%s\", then \"%s\")", name, g->model,
                             g->condition, g->path, *slot, v);
        }
        return hv_errorf(err, "%s given twice before the first --grid (\"%s\", then \"%s\")", name, *slot, v);
    }
    *slot = v;
    return true;
}

/* MODEL=LAYERSxHEADS (the last '=': a model name may hold one) */
static bool parse_extent(hv_options *o, const char *v, hv_error *err)
{
    const char *eq = strrchr(v, '=');
    char *end;
    long l = -1, h = -1;
    if (eq && eq > v) {
        l = strtol(eq + 1, &end, 10);
        if (end != eq + 1 && (*end == 'x' || *end == 'X')) {
            const char *hs = end + 1;
            h = strtol(hs, &end, 10);
            if (end == hs || *end)
                h = -1;
        }
    }
    if (!eq || eq == v || l < 1 || h < 1 || l > 100000 || h > 100000 || eq[1] < '0' || eq[1] > '9')
        return hv_errorf(err, "--extent: expected MODEL=LAYERSxHEADS like Llama-2-7b-chat=32x32, got \"%s\"", v);
    if (o->n_extents >= 16)
        return hv_errorf(err, "--extent: more than %d models", 16);
    hv_extent_arg *x = &o->extents[o->n_extents++];
    x->model = v;
    x->model_len = (int)(eq - v);
    x->layers = (int)l;
    x->heads = (int)h;
    return true;
}

bool hv_cli_parse(int argc, char **argv, hv_options *o, hv_error *err)
{
    memset(o, 0, sizeof *o);
    o->easing = HV_EASE_CUBIC;
    o->context = -1;
    o->orientation = -1;
    o->facets = -1;
    o->legend = -1;
    o->top = -1;
    o->rank_abs = -1;
    bool only_files = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = NULL;
        if (only_files || a[0] != '-' || strcmp(a, "-") == 0) {
            if (o->data_path)
                return hv_errorf(err, "more than one data file: \"%s\" and \"%s\"", o->data_path, a);
            o->data_path = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_files = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            o->help = true;
        } else if (strcmp(a, "--version") == 0) {
            o->version = true;
        } else if (strcmp(a, "--force") == 0) {
            o->force = true;
        } else if (strcmp(a, "--transparent") == 0) {
            o->transparent = true;
        } else if (strcmp(a, "--timings") == 0) {
            o->timings = true;
        } else if (strcmp(a, "--grid") == 0) {
            /* three values, each its own argument: names may hold spaces,
             * colons and commas; an option among them means one is missing */
            for (int k = 1; k <= 3; k++)
                if (i + k >= argc || (strncmp(argv[i + k], "--", 2) == 0 && argv[i + k][2])) {
                    char got[400] = "";
                    for (int j = 1; j < k; j++) {
                        size_t n = strlen(got);
                        snprintf(got + n, sizeof got - n, "%s\"%.100s\"", j > 1 ? " " : "", argv[i + j]);
                    }
                    if (i + k >= argc)
                        return hv_errorf(err, "--grid needs three values: MODEL CONDITION FILE; got %d%s%s (see headviz --help)",
                                         k - 1, k > 1 ? ": " : "", got);
                    return hv_errorf(err, "--grid needs three values: MODEL CONDITION FILE; got %d%s%s, then the option %.100s",
                                     k - 1, k > 1 ? ": " : "", got, argv[i + k]);
                }
            if (o->n_grids >= HV_MAX_GRIDS)
                return hv_errorf(err, "--grid: more than %d files", HV_MAX_GRIDS);
            hv_grid_arg *g = &o->grids[o->n_grids++];
            g->model = argv[++i];
            g->condition = argv[++i];
            g->path = argv[++i];
            if (!*g->model || !*g->condition || !*g->path)
                return hv_errorf(err, "--grid: MODEL, CONDITION and FILE must not be empty");
            /* a name with a control byte: said here, quoted, if it cannot be read */
            char q[320];
            if (hv_error_name(q, sizeof q, g->path) != g->path && access(g->path, R_OK) != 0)
                return hv_errorf(err, "%s: cannot open: %s", q, strerror(errno));
        } else if (take_value(argc, argv, &i, a, "--top", &v, err)) {
            if (!v)
                return false;
            if (strcmp(v, "all") == 0)
                o->top = 0;
            else if (!parse_whole("--top", v, 1, 1000000, &o->top, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--rank-by", &v, err)) {
            if (!v)
                return false;
            if (strcmp(v, "value") != 0 && strcmp(v, "abs") != 0)
                return hv_errorf(err, "--rank-by: expected value or abs, got \"%s\"", v);
            o->rank_abs = strcmp(v, "abs") == 0;
        } else if (take_value(argc, argv, &i, a, "--reduce", &v, err)) {
            if (!v)
                return false;
            if (hv_reduce_parse(v) < 0)
                return hv_errorf(err, "--reduce: unknown reduction \"%s\" (known: mean, max, sum, count, abs-mean)", v);
            if (!grid_option(o, "--reduce", v, o->n_grids ? &o->grids[o->n_grids - 1].reduce : &o->reduce, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--tensor", &v, err)) {
            if (!v || !grid_option(o, "--tensor", v, o->n_grids ? &o->grids[o->n_grids - 1].tensor : &o->tensor, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--grid-format", &v, err)) {
            if (!v)
                return false;
            if (hv_format_parse(v) < 0 || hv_format_parse(v) == HV_FMT_CSV)
                return hv_errorf(err, "--grid-format: unknown format \"%s\" (known: auto, json, jsonl, npy, npz, text, safetensors)", v);
            if (!grid_option(o, "--grid-format", v,
                             o->n_grids ? &o->grids[o->n_grids - 1].format : &o->grid_format, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--extent", &v, err)) {
            if (!v || !parse_extent(o, v, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--models", &v, err)) {
            if (!v)
                return false;
            o->models = v;
        } else if (take_value(argc, argv, &i, a, "--conditions", &v, err)) {
            if (!v)
                return false;
            o->conditions = v;
        } else if (take_value(argc, argv, &i, a, "--table", &v, err)) {
            if (!v)
                return false;
            o->table = v;
        } else if (strcmp(a, "--loop") == 0) {
            o->loop = true;
        } else if (strcmp(a, "--loop-back") == 0) {
            o->loop_back = true;
        } else if (strcmp(a, "--estimate") == 0) {
            o->estimate = true;
        } else if (strcmp(a, "--present") == 0) {
            o->present = true;
        } else if (take_value(argc, argv, &i, a, "--context", &v, err)) {
            if (!v)
                return false;
            if ((o->context = hv_context_parse(v)) < 0)
                return hv_errorf(err, "--context: unknown context \"%s\" (known: paper, notebook, talk, poster)", v);
        } else if (take_value(argc, argv, &i, a, "--font-scale", &v, err)) {
            if (!v || !parse_number("--font-scale", v, 0.25, 4, &o->font_scale, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--legend", &v, err)) {
            if (!v)
                return false;
            if ((o->legend = hv_legend_parse(v)) < 0)
                return hv_errorf(err,
                                 "--legend: unknown place \"%s\" (known: auto, outside, upper right, upper left, lower right, lower left, none)",
                                 v);
        } else if (take_value(argc, argv, &i, a, "--spec", &v, err)) {
            if (!v)
                return false;
            o->spec_path = v;
        } else if (take_value(argc, argv, &i, a, "--screenshot", &v, err)) {
            if (!v)
                return false;
            o->screenshot = v;
        } else if (take_value(argc, argv, &i, a, "--html", &v, err) ||
                   take_value(argc, argv, &i, a, "--html-fragment", &v, err)) {
            if (!v)
                return false;
            bool fragment = strncmp(a, "--html-fragment", 15) == 0;
            if (o->html && o->html_fragment != fragment)
                return hv_errorf(err, "--html and --html-fragment are exclusive: pick one");
            o->html = v;
            o->html_fragment = fragment;
        } else if (take_value(argc, argv, &i, a, "--size", &v, err)) {
            if (!v || !hv_cli_parse_size(v, &o->width, &o->height, &o->phys_w, &o->phys_h, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--dpi", &v, err)) {
            if (!v || !parse_number("--dpi", v, 10, 2400, &o->dpi, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--renderer", &v, err)) {
            if (!v)
                return false;
            if (strcmp(v, "auto") == 0)
                o->renderer = HV_RENDERER_DEFAULT;
            else if (strcmp(v, "cpu") == 0)
                o->renderer = HV_RENDERER_CPU;
            else if (strcmp(v, "gl") == 0)
                o->renderer = HV_RENDERER_GL;
            else
                return hv_errorf(err, "--renderer: unknown renderer \"%s\" (known: auto, cpu, gl)", v);
        } else if (take_value(argc, argv, &i, a, "--format", &v, err)) {
            if (!v)
                return false;
            if (strcmp(v, "png") == 0)
                o->frame_format = 0;
            else if (strcmp(v, "pdf") == 0)
                o->frame_format = 1;
            else if (strcmp(v, "svg") == 0)
                o->frame_format = 2;
            else
                return hv_errorf(err, "--format: unknown frame format \"%s\" (known: png, pdf, svg)", v);
        } else if (take_value(argc, argv, &i, a, "--theme", &v, err)) {
            if (!v)
                return false;
            int t = hv_theme_parse(v);
            if (t < 0)
                return hv_errorf(err, "--theme: unknown theme \"%s\" (known: light, dark)", v);
            o->theme = t;
        } else if (take_value(argc, argv, &i, a, "--colormap", &v, err)) {
            if (!v)
                return false;
            if (!hv_colormap_find(v))
                return hv_errorf(err, "--colormap: unknown colormap \"%s\" (known: %s)", v,
                                 hv_colormap_names());
            o->colormap = v;
        } else if (take_value(argc, argv, &i, a, "--orientation", &v, err)) {
            if (!v)
                return false;
            if (strcmp(v, "layers-x") != 0 && strcmp(v, "layers-y") != 0)
                return hv_errorf(err, "--orientation: unknown orientation \"%s\" (known: layers-x, layers-y)", v);
            o->orientation = strcmp(v, "layers-y") == 0;
        } else if (take_value(argc, argv, &i, a, "--facets", &v, err)) {
            if (!v)
                return false;
            if ((o->facets = hv_facets_parse(v)) < 0)
                return hv_errorf(err, "--facets: unknown placement \"%s\" (known: auto, models-rows, models-columns)", v);
        } else if (take_value(argc, argv, &i, a, "--layout", &v, err)) {
            if (!v)
                return false;
            if ((o->layout = hv_layout_parse(v)) < 0)
                return hv_errorf(err, "--layout: unknown layout \"%s\" (known: side, morph, models, heatmap, diff)", v);
        } else if (take_value(argc, argv, &i, a, "--match", &v, err)) {
            if (!v)
                return false;
            if ((o->match = hv_match_parse(v)) < 0)
                return hv_errorf(err, "--match: unknown matching \"%s\" (known: head, rank, nearest)", v);
        } else if (take_value(argc, argv, &i, a, "--easing", &v, err)) {
            if (!v)
                return false;
            if ((o->easing = hv_easing_parse(v)) < 0)
                return hv_errorf(err, "--easing: unknown easing \"%s\" (known: linear, cubic, quint, back, elastic)", v);
            o->easing_set = true;
        } else if (take_value(argc, argv, &i, a, "--progress", &v, err)) {
            /* the range depends on the data: checked once it is loaded */
            if (!v || !parse_number("--progress", v, -1e300, 1e300, &o->progress, err))
                return false;
            o->progress_set = true;
        } else if (take_value(argc, argv, &i, a, "--hold", &v, err)) {
            if (!v || !parse_number("--hold", v, 0, 3600, &o->hold, err))
                return false;
            if (o->hold == 0)
                o->hold = 1e-9; /* explicit 0: no hold */
        } else if (take_value(argc, argv, &i, a, "--transition", &v, err)) {
            if (!v || !parse_number("--transition", v, 0.01, 3600, &o->transition, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--stagger", &v, err)) {
            if (!v || !parse_number("--stagger", v, 0, 0.9, &o->stagger, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--export-frames", &v, err)) {
            if (!v)
                return false;
            o->export_frames = v;
        } else if (take_value(argc, argv, &i, a, "--video", &v, err)) {
            if (!v)
                return false;
            o->video = v;
        } else if (take_value(argc, argv, &i, a, "--preset", &v, err)) {
            if (!v)
                return false;
            if (!hv_video_preset_known(v))
                return hv_errorf(err, "--preset: unknown x264 preset \"%s\" (known: %s)", v, hv_video_preset_list());
            o->preset = v;
        } else if (take_value(argc, argv, &i, a, "--fps", &v, err)) {
            if (!v || !parse_number("--fps", v, 1, 240, &o->fps, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--duration", &v, err)) {
            if (!v || !parse_number("--duration", v, 0.001, 86400, &o->duration, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--frames", &v, err)) {
            if (!v || !parse_whole("--frames", v, 1, 10000000, &o->frames, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--threads", &v, err)) {
            if (!v || !parse_whole("--threads", v, 1, 16, &o->threads, err))
                return false;
        } else if (take_value(argc, argv, &i, a, "--font", &v, err)) {
            if (!v)
                return false;
            o->font = v;
        } else {
            return hv_errorf(err, "unknown option \"%s\" (see headviz --help)", a);
        }
    }
    int outputs = (o->screenshot != NULL) + (o->export_frames != NULL) + (o->video != NULL);
    if (outputs > 1)
        return hv_errorf(err, "--screenshot, --export-frames and --video are exclusive: pick one");
    if (o->html && outputs)
        return hv_errorf(err, "%s writes a page%s that plays the figure; it is exclusive with --screenshot, --export-frames and --video: pick one",
                         o->html_fragment ? "--html-fragment" : "--html", o->html_fragment ? " fragment" : "");
    if (o->duration > 0 && o->frames > 0)
        return hv_errorf(err, "--duration and --frames are exclusive: pick one");
    if (o->frame_format && !o->export_frames)
        return hv_errorf(err, "--format names the format of --export-frames; a still or a video takes it from the file's extension");
    if (o->renderer && !outputs)
        return hv_errorf(err, "--renderer chooses what draws --screenshot, --export-frames and --video; the window always draws with GL");
    if (o->preset && !o->video)
        return hv_errorf(err, "--preset sets x264's speed for --video FILE.mp4; there is no --video to apply it to");
    if (o->preset && !hv_video_is_mp4(o->video))
        return hv_errorf(err, "--preset sets x264's speed for --video FILE.mp4; it does not apply to %s", o->video);
    if (!o->n_grids && (o->tensor || o->reduce || o->grid_format))
        return hv_errorf(err, "%s applies to --grid files, and there is none (a [source: ...] takes %s in its section)",
                         o->tensor ? "--tensor" : o->reduce ? "--reduce" : "--grid-format",
                         o->tensor ? "tensor =" : o->reduce ? "reduce =" : "format =");
    if (o->progress_set && (o->export_frames || o->video))
        return hv_errorf(err, "--progress picks one moment for --screenshot or the window; exports run the whole timeline");
    return true;
}
