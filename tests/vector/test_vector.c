/* Vector backend fidelity: the same draw lists drawn by the GL backend
 * (headless, SDL offscreen) and written as PDF and SVG, the files rasterised
 * by poppler (pdftoppm, pdftocairo) and librsvg (rsvg-convert) at the same
 * pixel size and compared: marker centres, whole marker shapes, colorbars,
 * text positions, heatmap cells, transparency.
 *
 * usage: test_vector OUTDIR   (the files stay there for a look) */
#include <SDL.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../unit/check.h"
#include "anim.h"
#include "assets.h"
#include "colormap.h"
#include "figure.h"
#include "png.h"
#include "renderer.h"
#include "text.h"
#include "vector.h"

#define STBI_ONLY_PNG
#include <stb_image.h>

static hv_text *g_text;
static hv_renderer *g_ren;
static hv_dataset g_ds;
static hv_spec g_spec;
static hv_figure g_fig;
static const char *g_out;

/* ---- tools ---------------------------------------------------------------- */

/* Runs argv (no shell), quietly; the exit status, or -1. */
static int run(const char *const argv[])
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        FILE *nul = freopen("/dev/null", "w", stdout);
        (void)nul;
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

typedef struct image {
    int w, h;
    unsigned char *px; /* RGBA */
} image;

static bool load(const char *path, image *im)
{
    int n = 0;
    im->px = stbi_load(path, &im->w, &im->h, &n, 4);
    if (!im->px)
        printf("   cannot read %s: %s\n", path, stbi_failure_reason());
    return im->px != NULL;
}

static void image_free(image *im)
{
    stbi_image_free(im->px);
    im->px = NULL;
}

/* Page `page` of a PDF at 72 dpi (1 pt = 1 px) by poppler's own rasteriser
 * (pdftoppm, Splash) or through cairo (pdftocairo), optionally with alpha.
 * Splash snaps the edges of axis-aligned rectangles to whole pixels (a
 * square marker loses its antialiased rows), so shapes are compared on the
 * cairo raster; everything else on both. */
enum { SPLASH, CAIRO, CAIRO_ALPHA };

static bool raster_pdf(const char *pdf, int page, int how, const char *stem, image *im)
{
    char pg[16], prefix[1100], png[1200];
    snprintf(pg, sizeof pg, "%d", page);
    snprintf(prefix, sizeof prefix, "%s/%s", g_out, stem);
    snprintf(png, sizeof png, "%s.png", prefix);
    const char *a[] = {"pdftoppm", "-r", "72", "-png", "-f", pg, "-l", pg, "-singlefile", pdf, prefix, NULL};
    const char *b[] = {"pdftocairo", "-r", "72", "-png", "-f", pg, "-l", pg, "-singlefile", pdf, prefix, NULL};
    const char *c[] = {"pdftocairo", "-r", "72", "-png", "-transp", "-f", pg, "-l", pg, "-singlefile", pdf, prefix, NULL};
    int rc = run(how == SPLASH ? a : how == CAIRO ? b : c);
    if (rc != 0) {
        printf("   %s on %s failed (%d)\n", how == SPLASH ? "pdftoppm" : "pdftocairo", pdf, rc);
        return false;
    }
    return load(png, im);
}

static bool raster_svg(const char *svg, int w, int h, const char *stem, image *im)
{
    char ws[16], hs[16], png[1200];
    snprintf(ws, sizeof ws, "%d", w);
    snprintf(hs, sizeof hs, "%d", h);
    snprintf(png, sizeof png, "%s/%s.png", g_out, stem);
    const char *a[] = {"rsvg-convert", "-w", ws, "-h", hs, "-o", png, svg, NULL};
    int rc = run(a);
    if (rc != 0) {
        printf("   rsvg-convert on %s failed (%d)\n", svg, rc);
        return false;
    }
    return load(png, im);
}

static bool contains(const char *buf, size_t n, const char *s)
{
    size_t k = strlen(s);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(buf + i, s, k) == 0)
            return true;
    return false;
}

static void path_in_out(char *buf, size_t n, const char *name) { snprintf(buf, n, "%s/%s", g_out, name); }

/* Writes one document of n pages (each dl is one page), page = W x H pt. */
static bool write_doc(const char *path, hv_vector_format fmt, hv_drawlist *const *dls, int n)
{
    hv_error err = {""};
    hv_vector *v = hv_vector_open(path, fmt, dls[0]->width, dls[0]->height, hv_text_font_path(g_text), true, &err);
    bool ok = v != NULL;
    for (int i = 0; i < n && ok; i++)
        ok = hv_vector_page(v, dls[i], &err);
    ok = hv_vector_close(v, !ok, ok ? &err : NULL) && ok;
    if (!ok)
        printf("   writing %s: %s\n", path, err.msg);
    return ok;
}

static bool gl_render(const hv_drawlist *dl, image *im)
{
    im->w = dl->width;
    im->h = dl->height;
    im->px = malloc((size_t)im->w * (size_t)im->h * 4);
    hv_error err = {""};
    if (!im->px || !hv_renderer_render_rgba(g_ren, dl, im->px, &err)) {
        printf("   GL render failed: %s\n", err.msg);
        return false;
    }
    return true;
}

/* Keeps a GL frame beside the vector rasters, for a look. */
static void save_gl(const image *im, const char *stem)
{
    char path[1100], name[200];
    snprintf(name, sizeof name, "%s_gl.png", stem);
    path_in_out(path, sizeof path, name);
    hv_error err;
    hv_png_write(path, im->px, im->w, im->h, false, true, &err);
}

static void gl_free(image *im)
{
    free(im->px);
    im->px = NULL;
}

static const unsigned char *pix(const image *im, int x, int y)
{
    static const unsigned char none[4] = {0, 0, 0, 0};
    if (x < 0 || y < 0 || x >= im->w || y >= im->h)
        return none;
    return im->px + ((size_t)y * (size_t)im->w + (size_t)x) * 4;
}

static int dist_rgb(const unsigned char *a, const float want[3])
{
    int d = 0;
    for (int k = 0; k < 3; k++) {
        int e = abs((int)a[k] - (int)lrintf(want[k] * 255.0f));
        d = e > d ? e : d;
    }
    return d;
}

static int dist_px(const unsigned char *a, const unsigned char *b)
{
    int d = 0;
    for (int k = 0; k < 3; k++) {
        int e = abs((int)a[k] - (int)b[k]);
        d = e > d ? e : d;
    }
    return d;
}

/* ---- figures -------------------------------------------------------------- */

static void build(hv_drawlist *dl, hv_figure_layout *layout, hv_anim *anim, double progress, int w, int h,
                  bool transparent, hv_theme_id theme)
{
    static hv_panel_state panels[HV_MAX_PANELS];
    hv_frame_desc desc;
    int n = hv_anim_frame(anim, progress, NULL, panels, &desc);
    hv_figure_opts fo = {0};
    fo.desc = desc;
    fo.width = w;
    fo.height = h;
    fo.theme = theme;
    fo.transparent = transparent;
    fo.measure = hv_text_measure;
    fo.measure_user = g_text;
    hv_figure_build(&g_fig, &fo, panels, n, dl, layout);
}

/* Does the square (x, y) +- reach meet anything drawn after marker item k
 * (a later marker, rect, colorbar, text box or heatmap)? */
static bool covered_after(const hv_drawlist *dl, int k, float x, float y, float reach)
{
    bool after = false;
    for (int c = 0; c < dl->n_cmds; c++) {
        const hv_cmd *cmd = &dl->cmds[c];
        for (int i = cmd->first; i < cmd->first + cmd->count; i++) {
            if (cmd->type == HV_CMD_MARKERS && i == k) {
                after = true;
                continue;
            }
            if (!after)
                continue;
            hv_rect r = {0, 0, 0, 0};
            if (cmd->type == HV_CMD_MARKERS) {
                const hv_marker *m = &dl->markers[i];
                float e = m->size * 0.6f + m->outline_w + m->stroke_w + 1; /* the star reaches 0.6 size */
                r = (hv_rect){m->x - e, m->y - e, 2 * e, 2 * e};
            } else if (cmd->type == HV_CMD_RECTS) {
                r = dl->rects[i].r;
                if (dl->rects[i].c.a <= 0)
                    continue;
            } else if (cmd->type == HV_CMD_COLORBARS) {
                r = dl->colorbars[i].r;
            } else if (cmd->type == HV_CMD_TEXTS) {
                const hv_text_item *t = &dl->texts[i];
                hv_text_metrics tm;
                hv_text_measure(g_text, hv_dl_string(dl, t), t->size, &tm);
                float bw = tm.width, bh = tm.ascent + tm.descent;
                if (t->rotate == 90)
                    r = (hv_rect){t->x - bh, t->y - bw, 2 * bh, 2 * bw};
                else
                    r = (hv_rect){t->x - bw, t->y - bh, 2 * bw, 2 * bh};
            } else {
                r = dl->heatmaps[i].r;
            }
            if (x + reach >= r.x - 1 && x - reach <= r.x + r.w + 1 && y + reach >= r.y - 1 && y - reach <= r.y + r.h + 1)
                return true;
        }
    }
    return false;
}

/* The colour a marker's centre has. */
static void marker_color(const hv_drawlist *dl, const hv_marker *m, float rgb[3])
{
    if (m->value >= 0) {
        hv_colormap_sample(hv_colormap_at(dl->colormap_index), m->value, rgb);
    } else {
        rgb[0] = m->fill.r;
        rgb[1] = m->fill.g;
        rgb[2] = m->fill.b;
    }
}

/* Best distance among the pixels around a centre (thin x / plus strokes may
 * straddle pixels: 3x3, else the centre pixel). */
static int centre_dist(const image *im, const hv_marker *m, const float want[3])
{
    int shape = (int)(m->shape + 0.5f), best = 1000;
    int reach = shape == HV_SHAPE_X || shape == HV_SHAPE_PLUS ? 1 : 0;
    int cx = (int)floorf(m->x), cy = (int)floorf(m->y);
    for (int dy = -reach; dy <= reach; dy++)
        for (int dx = -reach; dx <= reach; dx++) {
            int d = dist_rgb(pix(im, cx + dx, cy + dy), want);
            best = d < best ? d : best;
        }
    return best;
}

/* Marker centres in the PDF (both rasters) and the SVG: each the marker's
 * colour within 2 (GL's own tests check GL's); the window around each marker
 * in nothing's way: the PDF (cairo raster) and SVG rasters agree with GL
 * pixel by pixel but for a thin band of edge pixels, so a shape a fraction
 * of a pixel too big or small fails. Returns the number of markers checked. */
static int check_markers(const hv_drawlist *dl, const image *gl, const image *pdf, const image *pdfc, const image *svg,
                         const char *what)
{
    int checked = 0;
    for (int k = 0; k < dl->n_markers; k++) {
        const hv_marker *m = &dl->markers[k];
        if (m->alpha < 1 || (m->value < 0 && m->fill.a < 1) || covered_after(dl, k, m->x, m->y, 2))
            continue;
        float want[3];
        marker_color(dl, m, want);
        check_context("%s: marker %d at %.1f,%.1f shape %d", what, k, m->x, m->y, (int)m->shape);
        int dg = centre_dist(gl, m, want), ds = centre_dist(svg, m, want);
        int dp = centre_dist(pdf, m, want) > centre_dist(pdfc, m, want) ? centre_dist(pdf, m, want) : centre_dist(pdfc, m, want);
        CHECK(dp <= 2);
        CHECK(ds <= 2);
        if (dp > 2 || ds > 2)
            printf("   want %.0f,%.0f,%.0f: GL off by %d, PDF by %d, SVG by %d\n", want[0] * 255, want[1] * 255,
                   want[2] * 255, dg, dp, ds);
        /* the shape: count the pixels that differ from GL a lot */
        int e = (int)ceilf(m->size * 0.6f + m->outline_w + m->stroke_w + 2);
        if (!covered_after(dl, k, m->x, m->y, (float)e)) {
            int bad_p = 0, bad_s = 0, n = 0;
            for (int y = (int)m->y - e; y <= (int)m->y + e; y++)
                for (int x = (int)m->x - e; x <= (int)m->x + e; x++) {
                    n++;
                    bad_p += dist_px(pix(gl, x, y), pix(pdfc, x, y)) > 64;
                    bad_s += dist_px(pix(gl, x, y), pix(svg, x, y)) > 64;
                }
            /* edge pixels antialias alike within 64 of 255 almost always; a
             * square's half-side 0.95r instead of 0.886r at 34 px is ~100
             * pixels */
            int allow = 4 + (int)(m->size * 0.05f);
            CHECK(bad_p <= allow);
            CHECK(bad_s <= allow);
            if (bad_p > allow || bad_s > allow)
                printf("   %d (PDF) / %d (SVG) of %d pixels differ from GL by > 64 (allowed %d)\n", bad_p, bad_s, n,
                       allow);
        }
        checked++;
    }
    check_context("%s", "");
    return checked;
}

/* Colorbars: every row (but the edge rows, which frame lines may touch) is
 * the colormap at the row centre's t, within 2, in the vector rasters (and
 * so the ends are the colormap's ends); and within 2 of GL's row. */
static void check_colorbars(const hv_drawlist *dl, const image *gl, const image *pdf, const image *svg, const char *what)
{
    const hv_colormap *cm = hv_colormap_at(dl->colormap_index);
    CHECK(dl->n_colorbars > 0);
    for (int i = 0; i < dl->n_colorbars; i++) {
        const hv_colorbar_item *cb = &dl->colorbars[i];
        int cx = (int)floorf(cb->r.x + cb->r.w * 0.5f);
        int ytop = (int)ceilf(cb->r.y) + 1, ybot = (int)floorf(cb->r.y + cb->r.h) - 2;
        const image *ims[2] = {pdf, svg};
        for (int j = 0; j < 2; j++) {
            check_context("%s: colorbar %d %s", what, i, j ? "SVG" : "PDF");
            int worst = 0, worst_y = 0, worst_gl = 0, worst_gl_y = 0;
            for (int y = ytop; y <= ybot; y++) {
                /* rasterisers sample shadings at the pixel's centre (GL,
                 * librsvg) or its top edge (poppler): either is right */
                const unsigned char *p = pix(ims[j], cx, y);
                int d = 1000, dg = 1000;
                for (int k = 0; k <= 4; k++) {
                    double u = ((double)cb->r.y + cb->r.h - (y + k * 0.25)) / cb->r.h; /* 0 at the bottom */
                    float want[3];
                    hv_colormap_sample(cm, cb->t0 + u * (cb->t1 - cb->t0), want);
                    d = dist_rgb(p, want) < d ? dist_rgb(p, want) : d;
                }
                for (int k = -1; k <= 1; k++) { /* GL's row, or halfway to a neighbour */
                    const unsigned char *a = pix(gl, cx, y), *b = pix(gl, cx, y + k);
                    unsigned char mid[4] = {(unsigned char)((a[0] + b[0] + 1) / 2), (unsigned char)((a[1] + b[1] + 1) / 2),
                                            (unsigned char)((a[2] + b[2] + 1) / 2), 255};
                    dg = dist_px(p, mid) < dg ? dist_px(p, mid) : dg;
                }
                if (d > worst) {
                    worst = d;
                    worst_y = y;
                }
                if (dg > worst_gl) {
                    worst_gl = dg;
                    worst_gl_y = y;
                }
            }
            CHECK(worst <= 2);
            CHECK(worst_gl <= 2);
            if (worst > 2 || worst_gl > 2)
                printf("   rows %d..%d: off the colormap by up to %d (row %d), off GL by up to %d (row %d)\n", ytop, ybot,
                       worst, worst_y, worst_gl, worst_gl_y);
        }
    }
    check_context("%s", "");
}

/* Ink in a window (darkness = 255 - mean channel, times alpha): the box of
 * the pixels at least a third as dark as the darkest (so a lighter, bolder
 * or blurrier rasteriser does not move it), and the darkness-weighted
 * centre. False if no ink. */
typedef struct ink {
    int box[4];
    double cx, cy;
} ink;

static bool ink_stats(const image *im, int x0, int y0, int x1, int y1, ink *k)
{
    int dmax = 0;
    for (int pass = 0; pass < 2; pass++) {
        double sw = 0, sx = 0, sy = 0;
        k->box[0] = k->box[1] = 1 << 30;
        k->box[2] = k->box[3] = -(1 << 30);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                const unsigned char *p = pix(im, x, y);
                int d = (255 - (p[0] + p[1] + p[2]) / 3) * p[3] / 255;
                if (pass == 0) {
                    dmax = d > dmax ? d : dmax;
                    continue;
                }
                sw += d;
                sx += d * (x + 0.5);
                sy += d * (y + 0.5);
                if (3 * d >= dmax) {
                    k->box[0] = x < k->box[0] ? x : k->box[0];
                    k->box[1] = y < k->box[1] ? y : k->box[1];
                    k->box[2] = x > k->box[2] ? x : k->box[2];
                    k->box[3] = y > k->box[3] ? y : k->box[3];
                }
            }
        if (pass == 1 && sw > 0) {
            k->cx = sx / sw;
            k->cy = sy / sw;
        }
    }
    return dmax >= 64;
}

/* Text: the draw list's texts spread over pages so that no two boxes are
 * near; for each text, the box of its ink in GL, PDF and SVG agree within
 * 2 px on every side. */
static void check_text(const hv_drawlist *src, const char *stem, const char *what)
{
    enum { MAXP = 12 };
    int n = src->n_texts;
    if (n == 0)
        return;
    int *page = calloc((size_t)n + 1, sizeof *page);
    hv_rect *box = calloc((size_t)n + 1, sizeof *box);
    int n_pages = 0;
    for (int i = 0; i < n; i++) {
        const hv_text_item *t = &src->texts[i];
        hv_text_metrics tm;
        hv_text_measure(g_text, hv_dl_string(src, t), t->size, &tm);
        float w = tm.width, h = tm.ascent + tm.descent;
        float x = t->x - w * 0.5f * (float)t->ax, y = t->y - h * 0.5f * (float)t->ay;
        hv_rect r = {x - 8, y - 8, w + 16, h + 16};
        if (t->rotate == 90) /* the box turned about the anchor */
            r = (hv_rect){t->x + (y - t->y) - 8, t->y - (x - t->x) - w - 8, h + 16, w + 16};
        box[i] = r;
        int p = 0;
        for (; p < MAXP; p++) {
            bool clash = false;
            for (int j = 0; j < i && !clash; j++)
                clash = page[j] == p && r.x < box[j].x + box[j].w && box[j].x < r.x + r.w && r.y < box[j].y + box[j].h &&
                        box[j].y < r.y + r.h;
            if (!clash)
                break;
        }
        page[i] = p < MAXP ? p : MAXP - 1;
        n_pages = page[i] + 1 > n_pages ? page[i] + 1 : n_pages;
    }
    hv_drawlist dls[MAXP];
    hv_drawlist *dlp[MAXP] = {0};
    memset(dls, 0, sizeof dls);
    for (int p = 0; p < n_pages; p++) {
        hv_drawlist_reset(&dls[p], src->width, src->height, (hv_color){1, 1, 1, 1});
        dlp[p] = &dls[p];
    }
    for (int i = 0; i < n; i++) {
        const hv_text_item *t = &src->texts[i];
        hv_color c = {0.1f, 0.1f, 0.1f, 1}; /* positions, not colours or fades */
        hv_dl_text(&dls[page[i]], hv_dl_string(src, t), t->x, t->y, t->size, c, t->ax, t->ay, t->rotate);
    }
    char pdf[1100], name[200];
    snprintf(name, sizeof name, "%s_text.pdf", stem);
    path_in_out(pdf, sizeof pdf, name);
    CHECK(write_doc(pdf, HV_VECTOR_PDF, dlp, n_pages));
    int worst = 0, checked = 0;
    double worst_c = 0;
    for (int p = 0; p < n_pages; p++) {
        image gl = {0}, ip = {0}, is = {0};
        char svg[1100], st[200];
        snprintf(name, sizeof name, "%s_text_%d.svg", stem, p);
        path_in_out(svg, sizeof svg, name);
        CHECK(write_doc(svg, HV_VECTOR_SVG, &dlp[p], 1));
        snprintf(st, sizeof st, "%s_text_pdf_%d", stem, p);
        bool ok = gl_render(&dls[p], &gl) && raster_pdf(pdf, p + 1, SPLASH, st, &ip);
        snprintf(st, sizeof st, "%s_text_svg_%d", stem, p);
        ok = ok && raster_svg(svg, src->width, src->height, st, &is);
        CHECK(ok);
        if (ok) { /* for a look */
            char gp[1100];
            snprintf(name, sizeof name, "%s_text_gl_%d.png", stem, p);
            path_in_out(gp, sizeof gp, name);
            hv_error err;
            hv_png_write(gp, gl.px, gl.w, gl.h, false, true, &err);
        }
        for (int i = 0; i < n && ok; i++) {
            if (page[i] != p)
                continue;
            const hv_rect *r = &box[i];
            int x0 = (int)floorf(r->x), y0 = (int)floorf(r->y), x1 = (int)ceilf(r->x + r->w), y1 = (int)ceilf(r->y + r->h);
            ink kg, kp, ks;
            check_context("%s: text \"%s\"", what, hv_dl_string(src, &src->texts[i]));
            bool has = ink_stats(&gl, x0, y0, x1, y1, &kg);
            CHECK(has);
            CHECK(ink_stats(&ip, x0, y0, x1, y1, &kp));
            CHECK(ink_stats(&is, x0, y0, x1, y1, &ks));
            if (!has)
                continue;
            int d = 0;
            for (int k = 0; k < 4; k++) {
                d = abs(kp.box[k] - kg.box[k]) > d ? abs(kp.box[k] - kg.box[k]) : d;
                d = abs(ks.box[k] - kg.box[k]) > d ? abs(ks.box[k] - kg.box[k]) : d;
            }
            double dc = fmax(fmax(fabs(kp.cx - kg.cx), fabs(kp.cy - kg.cy)), fmax(fabs(ks.cx - kg.cx), fabs(ks.cy - kg.cy)));
            CHECK(d <= 2);
            CHECK(dc <= 1.5);
            if (d > 2 || dc > 1.5)
                printf("   ink boxes: GL %d,%d-%d,%d  PDF %d,%d-%d,%d  SVG %d,%d-%d,%d; centres GL %.2f,%.2f PDF %.2f,%.2f "
                       "SVG %.2f,%.2f\n",
                       kg.box[0], kg.box[1], kg.box[2], kg.box[3], kp.box[0], kp.box[1], kp.box[2], kp.box[3], ks.box[0],
                       ks.box[1], ks.box[2], ks.box[3], kg.cx, kg.cy, kp.cx, kp.cy, ks.cx, ks.cy);
            worst_c = dc > worst_c ? dc : worst_c;
            worst = d > worst ? d : worst;
            checked++;
        }
        gl_free(&gl);
        image_free(&ip);
        image_free(&is);
    }
    check_context("%s", "");
    printf("%s: %d texts on %d pages, ink boxes within %d px of GL's, ink centres within %.2f px\n", what, checked,
           n_pages, worst, worst_c);
    CHECK(checked == n);
    for (int p = 0; p < n_pages; p++)
        hv_drawlist_free(&dls[p]);
    free(page);
    free(box);
}

/* A figure through all three paths: markers, colorbars, text. */
/* The CPU raster of dl (hv_vector_raster, what --screenshot draws by
 * default): the same bytes on 1 and 3 threads (bands), and the GL frame
 * within antialiasing: markers' centres, and nearly every pixel. */
static void check_raster(const hv_drawlist *dl, const image *gl, const char *stem, const char *what)
{
    hv_error err = {""};
    unsigned char *r1 = hv_vector_raster(dl, stem, hv_text_coverage, g_text, 4, 1, &err);
    unsigned char *r3 = hv_vector_raster(dl, stem, hv_text_coverage, g_text, 4, 3, &err);
    check_context("%s: CPU raster", what);
    CHECK(r1 && r3);
    if (!r1 || !r3) {
        printf("   %s\n", err.msg);
        free(r1);
        free(r3);
        return;
    }
    size_t n = (size_t)dl->width * (size_t)dl->height;
    CHECK(memcmp(r1, r3, n * 4) == 0);
    char name[200], path[1100];
    snprintf(name, sizeof name, "%s_cpu.png", stem);
    path_in_out(path, sizeof path, name);
    hv_png_write(path, r1, dl->width, dl->height, true, true, &err);
    long big = 0, small = 0;
    for (size_t i = 0; i < n; i++) {
        int d = 0;
        for (int k = 0; k < 4; k++) {
            int e = abs((int)r1[i * 4 + k] - (int)gl->px[i * 4 + k]);
            d = e > d ? e : d;
        }
        big += d > 48;
        small += d > 8;
    }
    printf("%s: CPU raster vs GL: %ld pixels differ by > 48, %ld by > 8, of %zu\n", what, big, small, n);
    CHECK(big * 1000 <= (long)n * 3); /* 0.3% */
    CHECK(small * 100 <= (long)n * 3); /* 3% */
    image im = {dl->width, dl->height, r1};
    int centres = 0;
    for (int k = 0; k < dl->n_markers; k++) {
        const hv_marker *m = &dl->markers[k];
        int shape = (int)lrintf(m->shape); /* filled shapes: the strokes of x and + are thin */
        if (m->size < 5 || m->alpha < 1 || m->value < 0 || shape == HV_SHAPE_X || shape == HV_SHAPE_PLUS)
            continue;
        int x = (int)floorf(m->x), y = (int)floorf(m->y);
        CHECK(dist_px(pix(&im, x, y), pix(gl, x, y)) <= 3);
        if (dist_px(pix(&im, x, y), pix(gl, x, y)) > 3)
            printf("   marker %d at %d,%d size %.1f: cpu %d %d %d %d, gl %d %d %d %d\n", k, x, y, (double)m->size,
                   pix(&im, x, y)[0], pix(&im, x, y)[1], pix(&im, x, y)[2], pix(&im, x, y)[3], pix(gl, x, y)[0],
                   pix(gl, x, y)[1], pix(gl, x, y)[2], pix(gl, x, y)[3]);
        centres++;
    }
    printf("%s: CPU raster: %d marker centres as GL's\n", what, centres);
    check_context("%s", "");
    free(r1);
    free(r3);
}

static void check_figure(const hv_drawlist *dl, const char *stem, const char *what, int min_markers)
{
    char pdf[1100], svg[1100], name[200];
    snprintf(name, sizeof name, "%s.pdf", stem);
    path_in_out(pdf, sizeof pdf, name);
    snprintf(name, sizeof name, "%s.svg", stem);
    path_in_out(svg, sizeof svg, name);
    hv_drawlist *one = (hv_drawlist *)dl;
    CHECK(write_doc(pdf, HV_VECTOR_PDF, &one, 1));
    CHECK(write_doc(svg, HV_VECTOR_SVG, &one, 1));
    image gl = {0}, ip = {0}, ic = {0}, is = {0};
    char st[200];
    snprintf(st, sizeof st, "%s_pdf", stem);
    bool ok = gl_render(dl, &gl) && raster_pdf(pdf, 1, SPLASH, st, &ip);
    snprintf(st, sizeof st, "%s_pdfcairo", stem);
    ok = ok && raster_pdf(pdf, 1, CAIRO, st, &ic);
    snprintf(st, sizeof st, "%s_svg", stem);
    ok = ok && raster_svg(svg, dl->width, dl->height, st, &is);
    CHECK(ok);
    const image *all[3] = {&ip, &ic, &is};
    bool sizes = ok;
    for (int k = 0; k < 3 && ok; k++) {
        CHECK_INT(all[k]->w, dl->width);
        CHECK_INT(all[k]->h, dl->height);
        sizes = sizes && all[k]->w == dl->width && all[k]->h == dl->height;
    }
    if (sizes) {
        save_gl(&gl, stem);
        int n = check_markers(dl, &gl, &ip, &ic, &is, what);
        printf("%s: %d marker centres and shapes checked\n", what, n);
        CHECK(n >= min_markers);
        check_colorbars(dl, &gl, &ip, &is, what);
        check_raster(dl, &gl, stem, what);
        /* the ground: the clear colour in all three */
        CHECK(dist_px(pix(&ip, 1, 1), pix(&gl, 1, 1)) <= 1);
        CHECK(dist_px(pix(&is, 1, 1), pix(&gl, 1, 1)) <= 1);
    }
    gl_free(&gl);
    image_free(&ip);
    image_free(&ic);
    image_free(&is);
    check_text(dl, stem, what);
}

static void test_seed(void)
{
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    hv_error err;
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    hv_drawlist dl = {0};
    hv_figure_layout layout;
    build(&dl, &layout, &anim, 1.0, 960, 540, false, HV_THEME_LIGHT);
    check_figure(&dl, "seed_960x540", "seed 960x540", 20);
    /* the dark theme: translucent light rims on a dark ground */
    build(&dl, &layout, &anim, 1.0, 960, 540, false, HV_THEME_DARK);
    check_figure(&dl, "seed_dark_960x540", "seed dark 960x540", 20);
    hv_drawlist_free(&dl);
    hv_anim_free(&anim);
}

/* A moment of the morph: points between conditions, colours between ranges,
 * titles and colorbar ticks cross-fading. */
static void test_morph(void)
{
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_MORPH, HV_MATCH_RANK, HV_EASE_CUBIC, 0.3};
    hv_error err;
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    hv_drawlist dl = {0};
    hv_figure_layout layout;
    build(&dl, &layout, &anim, 0.45, 960, 540, false, HV_THEME_LIGHT);
    check_figure(&dl, "morph_960x540", "morph 0.45", 12);
    hv_drawlist_free(&dl);
    hv_anim_free(&anim);
}

/* Every marker shape, with rims, fading, see-through and hover rings. */
static void test_shapes(void)
{
    hv_drawlist dl = {0};
    hv_drawlist_reset(&dl, 640, 360, (hv_color){1, 1, 1, 1});
    dl.colormap_index = hv_colormap_index(hv_colormap_find("plasma"));
    hv_dl_rect(&dl, (hv_rect){0, 180, 640, 180}, (hv_color){0.07f, 0.08f, 0.09f, 1}); /* a dark half */
    for (int s = 0; s < HV_SHAPE_COUNT; s++) {
        for (int row = 0; row < 4; row++) {
            hv_marker m = {0};
            m.x = 50.3f + 85.0f * (float)s;
            m.y = 45.0f + 90.0f * (float)row + (float)s * 0.37f;
            m.size = row == 3 ? 17.0f : 34.0f;
            m.shape = (float)s;
            m.value = row == 2 ? -1.0f : 0.15f + 0.12f * (float)s;
            m.fill = (hv_color){0.2f, 0.6f, 0.3f, 1};
            m.alpha = 1;
            /* rims: white (light theme), wide white, opaque red (a wrong
             * rim width shows), the dark theme's translucent light one */
            m.outline = row == 2 ? (hv_color){0.9f, 0.1f, 0.1f, 1}
                        : row == 3 ? (hv_color){0.80f, 0.81f, 0.84f, 0.45f}
                                   : (hv_color){1, 1, 1, 1};
            m.outline_w = row == 1 || row == 2 ? 3.0f : 1.5f;
            m.stroke_w = fmaxf(1.5f, 0.16f * m.size);
            hv_dl_marker(&dl, &m);
        }
    }
    hv_dl_colorbar(&dl, (hv_rect){610, 20, 14, 140.5f}, 0.1f, 0.93f, 1);
    hv_dl_colorbar(&dl, (hv_rect){590, 200, 14, 140}, 1, 0, 1);
    check_figure(&dl, "shapes_640x360", "shapes", HV_SHAPE_COUNT * 4);

    /* see-through: a faded marker, a half-transparent fill, a hover ring:
     * the same pixels as GL away from edges */
    hv_drawlist_reset(&dl, 320, 120, (hv_color){0.9f, 0.95f, 1, 1});
    hv_dl_rect(&dl, (hv_rect){0, 60, 320, 60}, (hv_color){0.2f, 0.1f, 0.1f, 1});
    for (int i = 0; i < 3; i++) {
        hv_marker m = {0};
        m.x = 60.0f + 100.0f * (float)i;
        m.y = 60;
        m.size = 60;
        m.shape = (float)(i == 1 ? HV_SHAPE_STAR : HV_SHAPE_CIRCLE);
        m.value = i == 0 ? 0.7f : -1;
        m.fill = i == 1 ? (hv_color){0.1f, 0.3f, 0.9f, 0.5f} : (hv_color){0, 0, 0, 0};
        m.alpha = i == 0 ? 0.5f : 1;
        m.outline = (hv_color){0.9f, 0.2f, 0.1f, 1};
        m.outline_w = 5;
        m.stroke_w = 3;
        hv_dl_marker(&dl, &m);
    }
    hv_drawlist *one = &dl;
    char pdf[1100], svg[1100];
    path_in_out(pdf, sizeof pdf, "seethrough.pdf");
    path_in_out(svg, sizeof svg, "seethrough.svg");
    CHECK(write_doc(pdf, HV_VECTOR_PDF, &one, 1));
    CHECK(write_doc(svg, HV_VECTOR_SVG, &one, 1));
    image gl = {0}, ip = {0}, is = {0};
    if (gl_render(&dl, &gl) && raster_pdf(pdf, 1, SPLASH, "seethrough_pdf", &ip) &&
        raster_svg(svg, 320, 120, "seethrough_svg", &is)) {
        save_gl(&gl, "seethrough");
        int bad_p = 0, bad_s = 0;
        for (int y = 0; y < 120; y++)
            for (int x = 0; x < 320; x++) {
                bad_p += dist_px(pix(&gl, x, y), pix(&ip, x, y)) > 3;
                bad_s += dist_px(pix(&gl, x, y), pix(&is, x, y)) > 3;
            }
        /* edges only: the rings' four circles (~4 x 190 px) and the star */
        printf("see-through: %d (PDF) / %d (SVG) pixels differ from GL by > 3\n", bad_p, bad_s);
        CHECK(bad_p < 1600);
        CHECK(bad_s < 1600);
        /* the ring's hole shows the ground; the faded marker is half over it */
        CHECK(dist_px(pix(&ip, 260, 50), pix(&gl, 260, 50)) <= 2);
        CHECK(dist_px(pix(&ip, 260, 70), pix(&gl, 260, 70)) <= 2);
        CHECK(dist_px(pix(&ip, 60, 50), pix(&gl, 60, 50)) <= 2);
        CHECK(dist_px(pix(&ip, 60, 70), pix(&gl, 60, 70)) <= 2);
        CHECK(dist_px(pix(&ip, 160, 50), pix(&gl, 160, 50)) <= 2);
        CHECK(dist_px(pix(&is, 260, 50), pix(&gl, 260, 50)) <= 2);
        CHECK(dist_px(pix(&is, 60, 70), pix(&gl, 60, 70)) <= 2);
    } else {
        CHECK(false);
    }
    gl_free(&gl);
    image_free(&ip);
    image_free(&is);
    hv_drawlist_free(&dl);
}

/* Text at several sizes, every anchor and rotation, with many kerned pairs
 * (without kerning the long strings end several px off), non-ASCII and an
 * ellipsis: placed as GL places it. */
static void test_text_layout(void)
{
    hv_drawlist dl = {0};
    hv_drawlist_reset(&dl, 960, 400, (hv_color){1, 1, 1, 1});
    hv_color dark = {0.1f, 0.1f, 0.1f, 1};
    hv_dl_text(&dl, "AVAWAY To Ty Yo Wa LT VA AV AVAWAY", 20, 40, 40, dark, HV_ANCHOR_START, HV_ANCHOR_START, 0);
    hv_dl_text(&dl, "Tolerance: \xc3\xa9t\xc3\xa9 \xe2\x88\x92 5 \xc3\x97 10\xe2\x80\xa6", 940, 150, 24, dark, HV_ANCHOR_END,
               HV_ANCHOR_CENTER, 0);
    hv_dl_text(&dl, "Generalized Ships (AVAWAY)", 300, 330, 17, dark, HV_ANCHOR_CENTER, HV_ANCHOR_END, 0);
    hv_dl_text(&dl, "Head index, AVA Ty", 60, 380, 22, dark, HV_ANCHOR_START, HV_ANCHOR_CENTER, 90);
    hv_dl_text(&dl, "rotated, centred", 130.4f, 260.6f, 13, dark, HV_ANCHOR_CENTER, HV_ANCHOR_CENTER, 90);
    hv_dl_text(&dl, "Quiet 9", 900.5f, 390, 11, dark, HV_ANCHOR_END, HV_ANCHOR_END, 0);
    check_text(&dl, "text", "text layout");
    hv_drawlist_free(&dl);
}

/* A heatmap: one image, one pixel per cell, never interpolated; cells at
 * computed centres in GL, PDF and SVG; sharp at 8x zoom. */
static void test_heatmap(void)
{
    enum { C = 13, R = 7 };
    float vals[R][C];
    for (int y = 0; y < R; y++)
        for (int x = 0; x < C; x++)
            vals[y][x] = (float)((x * 7 + y * 11) % 17) / 16.0f;
    vals[0][0] = 0;         /* row 0 at the top, column 0 at the left */
    vals[R - 1][C - 1] = 1; /* asymmetric corners: a flip fails */
    vals[2][5] = NAN;
    vals[4][1] = -1; /* "no score" as in the shader */
    hv_drawlist dl = {0};
    hv_drawlist_reset(&dl, 400, 240, (hv_color){1, 1, 1, 1});
    dl.colormap_index = hv_colormap_index(hv_colormap_find("RdBu_r"));
    hv_rect r = {20.25f, 30.5f, 13 * 24.0f, 7 * 24.0f};
    hv_color nan_c = {0.5f, 0.5f, 0.5f, 1};
    hv_dl_heatmap(&dl, r, C, R, &vals[0][0], nan_c, 1);
    hv_drawlist *one = &dl;
    char pdf[1100], svg[1100];
    path_in_out(pdf, sizeof pdf, "heatmap.pdf");
    path_in_out(svg, sizeof svg, "heatmap.svg");
    CHECK(write_doc(pdf, HV_VECTOR_PDF, &one, 1));
    CHECK(write_doc(svg, HV_VECTOR_SVG, &one, 1));
    image gl = {0}, ip = {0}, is = {0};
    const hv_colormap *cm = hv_colormap_at(dl.colormap_index);
    if (gl_render(&dl, &gl) && raster_pdf(pdf, 1, SPLASH, "heatmap_pdf", &ip) && raster_svg(svg, 400, 240, "heatmap_svg", &is)) {
        save_gl(&gl, "heatmap");
        check_raster(&dl, &gl, "heatmap", "heatmap");
        int worst[3] = {0, 0, 0};
        const image *ims[3] = {&gl, &ip, &is};
        for (int y = 0; y < R; y++)
            for (int x = 0; x < C; x++) {
                float want[3] = {nan_c.r, nan_c.g, nan_c.b};
                if (vals[y][x] >= 0)
                    hv_colormap_sample(cm, vals[y][x], want);
                int px = (int)floorf(r.x + ((float)x + 0.5f) * r.w / C), py = (int)floorf(r.y + ((float)y + 0.5f) * r.h / R);
                for (int k = 0; k < 3; k++) {
                    int d = dist_rgb(pix(ims[k], px, py), want);
                    worst[k] = d > worst[k] ? d : worst[k];
                }
                /* sharp in the PDF: 1 px inside the cell's corner is the
                 * cell's colour (librsvg smooths images whatever the SVG
                 * asks: only the centres are checked there) */
                int qx = (int)ceilf(r.x + (float)x * r.w / C) + 1, qy = (int)ceilf(r.y + (float)y * r.h / R) + 1;
                CHECK(dist_rgb(pix(&ip, qx, qy), want) <= 2);
            }
        printf("heatmap: %d cells at their centres within %d (GL), %d (PDF), %d (SVG) of their colour\n", C * R, worst[0],
               worst[1], worst[2]);
        CHECK(worst[0] <= 3);
        CHECK(worst[1] <= 2);
        CHECK(worst[2] <= 6); /* librsvg smooths: the centre pixel gets a little of its neighbours */
    } else {
        CHECK(false);
    }
    image_free(&ip);
    image_free(&is);
    /* the PDF holds one image of C x R pixels, not interpolated */
    FILE *f = fopen(pdf, "rb");
    char *buf = calloc(1, 1 << 20);
    size_t n = f && buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    if (f)
        fclose(f);
    int images = 0;
    for (size_t i = 0; i + 14 < n; i++)
        images += memcmp(buf + i, "/Subtype /Image", 15) == 0;
    CHECK_INT(images, 1);
    CHECK(!contains(buf, n, "/Interpolate true"));
    CHECK(contains(buf, n, "/Interpolate false"));
    CHECK(contains(buf, n, "/Width 13"));
    CHECK(contains(buf, n, "/Height 7"));
    free(buf);
    /* zoomed 8x (576 dpi): a cell boundary is a step, not a ramp */
    {
        char prefix[1100], png[1200];
        snprintf(prefix, sizeof prefix, "%s/heatmap_zoom", g_out);
        snprintf(png, sizeof png, "%s.png", prefix);
        /* cells (0,0) | (1,0): boundary at x = 20.25 + 24 = 44.25 px -> 354 at 8x */
        const char *a[] = {"pdftoppm", "-r", "576", "-png", "-x", "300", "-y", "300", "-W", "120", "-H", "40", "-singlefile",
                           pdf, prefix, NULL};
        image z = {0};
        CHECK(run(a) == 0 && load(png, &z));
        if (z.px) {
            float c0[3], c1[3];
            hv_colormap_sample(cm, vals[0][0], c0);
            hv_colormap_sample(cm, vals[0][1], c1);
            int ramp = 0;
            for (int x = 0; x < z.w; x++) {
                const unsigned char *p = pix(&z, x, 20);
                ramp += dist_rgb(p, c0) > 2 && dist_rgb(p, c1) > 2;
            }
            CHECK(ramp <= 1); /* at most the one pixel the edge crosses */
            image_free(&z);
        }
    }
    gl_free(&gl);
    hv_drawlist_free(&dl);
}

/* Issue 15: a 5 models x 3 conditions heatmap figure at 1920x1080 (grids of
 * 40x40, 32x32, 28x28, 42x16 and 80x64 heads: cells of fractional size)
 * drawn by GL and by the CPU raster. Every heatmap pixel must take the same
 * cell in both: inside the heatmaps' rectangles no pixel may differ by more
 * than 8 levels (15,441 did, up to 226, when the backends mapped pixels to
 * cells each in its own floating point). */
static void test_heatmap_facets(void)
{
    static const int shape[5][2] = {{40, 40}, {32, 32}, {28, 28}, {42, 16}, {80, 64}};
    static const char *const models[5] = {"Llama-2-13b", "Llama-2-7b", "Qwen2.5-7B", "Gemma-2-9b", "Llama-2-70b"};
    static const char *const conds[3] = {"Undiff Attn.", "Scaling Cont.", "Retrieval"};
    hv_dataset ds;
    memset(&ds, 0, sizeof ds);
    hv_error err = {""};
    double *v = malloc(80 * 64 * sizeof *v);
    unsigned seed = 15;
    for (int m = 0; m < 5; m++)
        for (int c = 0; c < 3; c++) {
            int n = shape[m][0] * shape[m][1];
            for (int i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                v[i] = (i % 97 == 13) ? NAN : (double)((seed >> 8) % 2001) / 1000.0 - 1.0;
            }
            CHECK(hv_dataset_add_grid(&ds, models[m], conds[c], shape[m][0], shape[m][1], v, "gen.npy", &err));
        }
    free(v);
    hv_spec spec;
    hv_spec_init(&spec);
    hv_figure fig;
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_HEATMAP, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    hv_dataset top; /* as the program does: the top 10 outlined, every head a cell */
    if (!CHECK(hv_dataset_top_k(&ds, 10, false, &top, &err)) || !CHECK(hv_figure_prepare(&fig, &top, &spec, &err))) {
        printf("   %s\n", err.msg);
        hv_dataset_free(&ds);
        return;
    }
    fig.all = &ds;
    if (!CHECK(hv_anim_init(&anim, &fig, &ao, &err))) {
        printf("   %s\n", err.msg);
        hv_figure_free(&fig);
        hv_dataset_free(&top);
        hv_dataset_free(&ds);
        return;
    }
    static hv_panel_state panels[HV_MAX_PANELS];
    hv_frame_desc desc;
    int n = hv_anim_frame(&anim, 2, NULL, panels, &desc); /* the last step: every column shown */
    CHECK_INT(n, 15);
    hv_figure_opts fo = {0};
    fo.desc = desc;
    fo.width = 1920;
    fo.height = 1080;
    fo.measure = hv_text_measure;
    fo.measure_user = g_text;
    hv_drawlist dl = {0};
    hv_figure_build(&fig, &fo, panels, n, &dl, NULL);
    int grids = 0, patches = 0; /* the panels' grids; each top cell drawn again over its ring */
    for (int k = 0; k < dl.n_heatmaps; k++) {
        grids += dl.heatmaps[k].cols > 1;
        patches += dl.heatmaps[k].cols == 1 && dl.heatmaps[k].rows == 1;
    }
    CHECK_INT(grids, 15);
    CHECK_INT(patches, 15 * 10);
    image gl = {0};
    unsigned char *cpu = hv_vector_raster(&dl, "facets", hv_text_coverage, g_text, 4, 1, &err);
    if (CHECK(cpu != NULL) && CHECK(gl_render(&dl, &gl))) {
        save_gl(&gl, "heatmap_facets");
        char path[1100];
        path_in_out(path, sizeof path, "heatmap_facets_cpu.png");
        hv_png_write(path, cpu, dl.width, dl.height, true, true, &err);
        image im = {dl.width, dl.height, cpu};
        long inside = 0, far = 0, cells = 0;
        int worst = 0;
        for (int y = 0; y < dl.height; y++)
            for (int x = 0; x < dl.width; x++) {
                bool in = false;
                for (int k = 0; k < dl.n_heatmaps && !in; k++) {
                    hv_rect r = dl.heatmaps[k].r; /* whole pixels whose centre is inside */
                    in = (float)x + 0.5f > r.x && (float)x + 0.5f < r.x + r.w && (float)y + 0.5f > r.y &&
                         (float)y + 0.5f < r.y + r.h;
                }
                int d = dist_px(pix(&im, x, y), pix(&gl, x, y));
                cells += in;
                if (in && d > 8) {
                    if (inside < 10)
                        printf("   %d,%d: cpu %d %d %d, gl %d %d %d\n", x, y, pix(&im, x, y)[0], pix(&im, x, y)[1],
                               pix(&im, x, y)[2], pix(&gl, x, y)[0], pix(&gl, x, y)[1], pix(&gl, x, y)[2]);
                    inside++;
                    worst = d > worst ? d : worst;
                }
                far += d > 8;
            }
        printf("heatmap facets 5x3, 1920x1080: CPU raster vs GL: %ld of %ld heatmap pixels differ by > 8 (worst %d); "
               "%ld pixels of the figure\n",
               inside, cells, worst, far);
        CHECK(cells > 500000);
        CHECK_INT((int)inside, 0);
        CHECK(far * 1000 <= (long)dl.width * dl.height * 3); /* text antialiasing: 0.3% */
    }
    free(cpu);
    gl_free(&gl);
    hv_drawlist_free(&dl);
    hv_anim_free(&anim);
    hv_figure_free(&fig);
    hv_dataset_free(&top);
    hv_dataset_free(&ds);
}

/* clear alpha 0: no background in either file (rasterised with alpha). */
static void test_transparent(void)
{
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    hv_error err;
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    hv_drawlist dl = {0};
    hv_figure_layout layout;
    build(&dl, &layout, &anim, 1.0, 640, 360, true, HV_THEME_LIGHT);
    CHECK(dl.clear.a == 0);
    hv_drawlist *one = &dl;
    char pdf[1100], svg[1100];
    path_in_out(pdf, sizeof pdf, "transparent.pdf");
    path_in_out(svg, sizeof svg, "transparent.svg");
    CHECK(write_doc(pdf, HV_VECTOR_PDF, &one, 1));
    CHECK(write_doc(svg, HV_VECTOR_SVG, &one, 1));
    image ip = {0}, is = {0};
    if (raster_pdf(pdf, 1, CAIRO_ALPHA, "transparent_pdf", &ip) && raster_svg(svg, 640, 360, "transparent_svg", &is)) {
        CHECK_INT(pix(&ip, 1, 1)[3], 0);
        CHECK_INT(pix(&is, 1, 1)[3], 0);
        CHECK_INT(pix(&ip, 639, 359)[3], 0);
        CHECK_INT(pix(&is, 639, 359)[3], 0);
        /* a marker is opaque */
        const hv_marker *m = &dl.markers[0];
        CHECK_INT(pix(&ip, (int)m->x, (int)m->y)[3], 255);
        CHECK_INT(pix(&is, (int)m->x, (int)m->y)[3], 255);
    } else {
        CHECK(false);
    }
    /* the CPU raster: the same transparency as GL's read-back */
    image gl = {0};
    if (gl_render(&dl, &gl)) {
        CHECK_INT(pix(&gl, 1, 1)[3], 0);
        check_raster(&dl, &gl, "transparent", "transparent");
    } else {
        CHECK(false);
    }
    gl_free(&gl);
    image_free(&ip);
    image_free(&is);
    hv_drawlist_free(&dl);
    hv_anim_free(&anim);
}

/* 100,000 markers: two models, two conditions, 400 x 400 grids of scores,
 * each (model, condition)'s 25,000 strongest heads, the complete side
 * figure at 1920x1080 — through GL and through the CPU raster. Markers that
 * no later marker touches are sampled: the pixel under each one's centre
 * has its colormap colour (circles: the fill covers that pixel; crosses
 * are strokes and skipped). */
static void test_hundred_thousand(void)
{
    hv_dataset all = {0}, ds = {0};
    hv_error err = {""};
    enum { L = 400, H = 400 };
    double *v = malloc(sizeof(double) * L * H);
    unsigned long long seed = 0x9E3779B97F4A7C15ull;
    const char *models[2] = {"Llama", "Vicuna"}, *conds[2] = {"Undiff Attn.", "Scaling Cont."};
    bool ok = v != NULL;
    for (int m = 0; m < 2 && ok; m++)
        for (int c = 0; c < 2 && ok; c++) {
            for (int i = 0; i < L * H; i++) {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                v[i] = (double)(seed >> 11) / (double)(1ull << 53) * (c ? 20.0 : 70.0);
            }
            ok = hv_dataset_add_grid(&all, models[m], conds[c], L, H, v, "grid.npy", &err);
        }
    free(v);
    ok = ok && hv_dataset_top_k(&all, 25000, false, &ds, &err);
    CHECK(ok);
    CHECK_INT(ds.n_points, 100000);
    hv_figure keep = g_fig, fig;
    hv_spec spec;
    hv_spec_init(&spec);
    ok = ok && hv_figure_prepare(&fig, &ds, &spec, &err);
    CHECK(ok);
    if (!ok) {
        printf("   %s\n", err.msg);
        hv_dataset_free(&all);
        hv_dataset_free(&ds);
        return;
    }
    fig.all = &all;
    g_fig = fig;
    hv_anim anim;
    hv_anim_opts ao = {HV_LAYOUT_SIDE, HV_MATCH_HEAD, HV_EASE_CUBIC, 0};
    CHECK(hv_anim_init(&anim, &g_fig, &ao, &err));
    hv_drawlist dl = {0};
    hv_figure_layout layout;
    build(&dl, &layout, &anim, 1.0, 1920, 1080, false, HV_THEME_LIGHT);
    int data_markers = 0;
    for (int k = 0; k < dl.n_markers; k++)
        data_markers += dl.markers[k].value >= 0;
    CHECK_INT(data_markers, 100000);
    image gl = {0};
    unsigned char *cpu = hv_vector_raster(&dl, "100k", hv_text_coverage, g_text, 4, 2, &err);
    CHECK(cpu != NULL);
    if (gl_render(&dl, &gl) && cpu) {
        image im = {dl.width, dl.height, cpu};
        save_gl(&gl, "hundred_thousand");
        /* from the last drawn back: a centre is sampled when nothing drawn
         * after it reaches it, then its own reach is marked */
        unsigned char *taken = calloc((size_t)dl.width * (size_t)dl.height, 1);
        int sampled = 0, bad_gl = 0, bad_cpu = 0;
        const hv_colormap *cm = hv_colormap_at(dl.colormap_index);
        for (int k = dl.n_markers - 1; k >= 0 && taken; k--) {
            const hv_marker *m = &dl.markers[k];
            int cx = (int)floorf(m->x), cy = (int)floorf(m->y);
            if (cx < 0 || cy < 0 || cx >= dl.width || cy >= dl.height)
                continue;
            /* a 2 px dot covers all of a pixel only near that pixel's centre */
            bool centred = fabsf(m->x - ((float)cx + 0.5f)) <= 0.25f && fabsf(m->y - ((float)cy + 0.5f)) <= 0.25f;
            if (m->value >= 0 && lrintf(m->shape) == HV_SHAPE_CIRCLE && m->alpha >= 1 && centred &&
                !taken[(size_t)cy * (size_t)dl.width + (size_t)cx]) {
                float want[3];
                hv_colormap_sample(cm, m->value, want);
                int dg = dist_rgb(pix(&gl, cx, cy), want), dc = dist_rgb(pix(&im, cx, cy), want);
                if (dg > 6 && bad_gl++ < 5)
                    printf("   GL: marker %d at %d,%d value %.3f: %d off\n", k, cx, cy, (double)m->value, dg);
                if (dc > 6 && bad_cpu++ < 5)
                    printf("   CPU: marker %d at %d,%d value %.3f: %d off\n", k, cx, cy, (double)m->value, dc);
                sampled++;
            }
            int reach = (int)ceilf(0.6f * m->size + m->outline_w + 0.5f * m->stroke_w + 1.0f);
            for (int y = cy - reach; y <= cy + reach; y++)
                for (int x = cx - reach; x <= cx + reach; x++)
                    if (x >= 0 && y >= 0 && x < dl.width && y < dl.height)
                        taken[(size_t)y * (size_t)dl.width + (size_t)x] = 1;
        }
        free(taken);
        printf("100,000 markers (%.1f px): %d uncovered circle centres sampled; off by more than 6: GL %d, CPU %d\n",
               (double)layout.marker_size, sampled,
               bad_gl, bad_cpu);
        CHECK(sampled >= 500);
        CHECK_INT(bad_gl, 0);
        CHECK_INT(bad_cpu, 0);
    } else {
        CHECK(false);
    }
    free(cpu);
    gl_free(&gl);
    hv_drawlist_free(&dl);
    hv_anim_free(&anim);
    hv_figure_free(&g_fig);
    g_fig = keep;
    hv_dataset_free(&all);
    hv_dataset_free(&ds);
}

int main(int argc, char **argv)
{
    const char *const tools[] = {"sh", "-c", "command -v pdftoppm && command -v pdftocairo && command -v rsvg-convert", NULL};
    if (run(tools) != 0) {
        printf("skip: needs pdftoppm, pdftocairo (poppler-utils) and rsvg-convert (librsvg2-bin); "
               "bash scripts/setup.sh installs them\n");
        return 77;
    }
    g_out = argc > 1 ? argv[1] : "vector_out";
    mkdir(g_out, 0755);
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        printf("SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    hv_error err = {""};
    g_text = hv_text_create(NULL, &err);
    hv_renderer_desc rd = {0};
    if (!g_text || !(g_ren = hv_renderer_create(&rd, g_text, &err))) {
        printf("%s\n", err.msg);
        return 1;
    }
    hv_spec_init(&g_spec);
    if (!hv_dataset_parse(&g_ds, hv_asset_csv, hv_asset_csv_len, "bundled.csv", &err) ||
        !hv_spec_parse(&g_spec, hv_asset_ini, "bundled.ini", &err) || !hv_figure_prepare(&g_fig, &g_ds, &g_spec, &err)) {
        printf("%s\n", err.msg);
        return 1;
    }
    printf("font: %s; files in %s\n", hv_text_font_path(g_text), g_out);
    test_seed();
    test_morph();
    test_shapes();
    test_text_layout();
    test_heatmap();
    test_heatmap_facets();
    test_transparent();
    test_hundred_thousand();
    hv_renderer_destroy(g_ren);
    hv_text_destroy(g_text);
    hv_dataset_free(&g_ds);
    SDL_Quit();
    return check_summary();
}
