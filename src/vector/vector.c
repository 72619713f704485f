#include "vector.h"

#include "fallback.h"
#include "runs.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <ft2build.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include FT_FREETYPE_H
#include FT_ADVANCES_H

#include "../core/colormap.h"
#include "../core/spec.h" /* HV_SHAPE_* */
#include "../export/png.h" /* atomic-write helpers */

#define PI 3.14159265358979323846
#define OUT_BUF (64 * 1024)
#define GCACHE 2048 /* glyph metrics, direct-mapped on (px, glyph) */

/* One glyph's metrics as SDL2_ttf computes them (light hinting), 26.6
 * advance and whole-pixel ink box. */
typedef struct gmetric {
    int px;      /* 0: empty slot */
    int face;    /* -1: the main face, else a fallback */
    unsigned gid;
    long adv;    /* 26.6, unhinted (FreeType's fast advance, as harfbuzz reads it) */
    int left, width, top, rows;
} gmetric;

/* Raster text: a string's bitmap from the caller (hv_coverage_fn), as cairo
 * A8 rows; ok without a8 when there is nothing to draw. */
struct coverage {
    unsigned char *a8;
    int w, h, stride;
    bool ok;
};

#define MAX_VFB 8

struct hv_vector {
    char *path, *tmp;
    hv_vector_format fmt;
    bool overwrite, stream, discard;
    bool frame; /* one of a sequence: the caller fsyncs the folder after the last */
    int fd;
    int werrno; /* first write error, 0 if none */
    double page_w, page_h;
    cairo_surface_t *surf;
    FT_Face mface;            /* ours, for metrics (cairo sets sizes on its own face) */
    int mface_px;
    cairo_font_face_t *cface; /* owns a second FT_Face */
    cairo_font_options_t *fopts;
    int pages;
    unsigned char *out; /* write buffer */
    size_t n_out;
    int svg_match; /* bytes of "<image " matched so far (SVG output filter) */
    /* per-text scratch */
    cairo_glyph_t *glyphs;
    cairo_text_cluster_t *clusters;
    long *pen;
    char *utf8;
    int cap_glyphs, cap_utf8;
    unsigned char *img; /* heatmap pixels */
    size_t cap_img;
    /* raster mode (hv_vector_raster): drawn as the GL backend draws, text
     * from the caller's coverage bitmaps */
    bool raster;
    const struct coverage *cov; /* per text item of the draw list */
    int band_y0, band_y1;       /* the rows this raster thread draws */
    gmetric cache[GCACHE];
    /* fallback faces (fontconfig, src/fonts/fallback.h) for characters the
     * main face lacks; embedded as their own subsets */
    struct vfallback {
        FT_Face face; /* metrics */
        cairo_font_face_t *cface;
        int px;
    } fb[MAX_VFB];
    int n_fb;
    signed char *gface; /* per glyph of the text being laid out: its face */
};

/* ---- FreeType: one library for the process ------------------------------ */

/* cairo may keep a font face (and so its FT_Face) alive in its caches after
 * a document is closed, so the library they belong to is never freed. */
static FT_Library g_ft;
static FT_Error g_ft_err;
static pthread_once_t g_ft_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t g_ft_lock = PTHREAD_MUTEX_INITIALIZER; /* FT_New_Face / FT_Done_Face */
static const cairo_user_data_key_t k_face_key;

static void ft_init(void) { g_ft_err = FT_Init_FreeType(&g_ft); }

static FT_Face face_open(const char *path, FT_Error *e)
{
    FT_Face f = NULL;
    pthread_mutex_lock(&g_ft_lock);
    *e = FT_New_Face(g_ft, path, 0, &f);
    pthread_mutex_unlock(&g_ft_lock);
    return *e ? NULL : f;
}

static void face_done(void *face)
{
    pthread_mutex_lock(&g_ft_lock);
    FT_Done_Face((FT_Face)face);
    pthread_mutex_unlock(&g_ft_lock);
}

/* ---- output: buffered, write errors remembered --------------------------- */

static void flush_out(hv_vector *v)
{
    if (v->n_out && !v->werrno && !v->discard) {
        int e = 0;
        if (!hv_write_all(v->fd, v->out, v->n_out, NULL, &e))
            v->werrno = e ? e : EIO;
    }
    v->n_out = 0;
}

static void put(hv_vector *v, const unsigned char *p, size_t n)
{
    while (n > 0) {
        size_t k = OUT_BUF - v->n_out < n ? OUT_BUF - v->n_out : n;
        memcpy(v->out + v->n_out, p, k);
        v->n_out += k;
        p += k;
        n -= k;
        if (v->n_out == OUT_BUF)
            flush_out(v);
    }
}

/* SVG: cairo 1.16 writes images without a rendering hint, so viewers smooth a
 * heatmap's one-pixel cells; every <image> (the only images written are
 * heatmaps) gets nearest-neighbour scaling. */
static void put_svg(hv_vector *v, const unsigned char *p, size_t n)
{
    static const char pat[] = "<image ";
    static const char add[] = "<image image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" ";
    const int plen = (int)sizeof pat - 1;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c == (unsigned char)pat[v->svg_match]) {
            if (++v->svg_match == plen) {
                put(v, (const unsigned char *)add, sizeof add - 1);
                v->svg_match = 0;
            }
            continue;
        }
        if (v->svg_match) { /* a partial match that failed: emit what was held */
            put(v, (const unsigned char *)pat, (size_t)v->svg_match);
            v->svg_match = 0;
            if (c == (unsigned char)pat[0]) {
                v->svg_match = 1;
                continue;
            }
        }
        put(v, &c, 1);
    }
}

static cairo_status_t write_cb(void *closure, const unsigned char *data, unsigned int length)
{
    hv_vector *v = closure;
    if (v->discard)
        return CAIRO_STATUS_SUCCESS;
    if (v->werrno)
        return CAIRO_STATUS_WRITE_ERROR;
    if (v->fmt == HV_VECTOR_SVG)
        put_svg(v, data, length);
    else
        put(v, data, length);
    return v->werrno ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

/* The descriptor behind /dev/stdout, /dev/stderr, /dev/fd/N (dup'd, so a
 * shell redirection is honoured as the PNG writer does), else the path. */
static int open_stream(const char *path)
{
    int fd = -1;
    if (strcmp(path, "/dev/stdout") == 0)
        fd = 1;
    else if (strcmp(path, "/dev/stderr") == 0)
        fd = 2;
    else if (strncmp(path, "/dev/fd/", 8) == 0 && path[8] && strlen(path + 8) <= 6 &&
             strspn(path + 8, "0123456789") == strlen(path + 8))
        fd = atoi(path + 8);
    return fd >= 0 ? dup(fd) : open(path, O_WRONLY | O_CLOEXEC);
}

/* ---- small helpers ------------------------------------------------------- */

static bool reserve(void **buf, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return true;
    int nc = *cap ? *cap : 64;
    while (nc < need)
        nc *= 2;
    void *nb = realloc(*buf, (size_t)nc * elem);
    if (!nb)
        return false;
    *buf = nb;
    *cap = nc;
    return true;
}

static bool finite4(float a, float b, float c, float d)
{
    return isfinite(a) && isfinite(b) && isfinite(c) && isfinite(d);
}

static double clamp01(double x) { return x > 1 ? 1 : x > 0 ? x : 0; }

static void set_rgba(cairo_t *cr, double r, double g, double b, double a)
{
    cairo_set_source_rgba(cr, clamp01(r), clamp01(g), clamp01(b), clamp01(a));
}

bool hv_vector_format_of(const char *path, hv_vector_format *fmt)
{
    size_t n = path ? strlen(path) : 0;
    if (n > 4 && strcasecmp(path + n - 4, ".pdf") == 0) {
        *fmt = HV_VECTOR_PDF;
        return true;
    }
    if (n > 4 && strcasecmp(path + n - 4, ".svg") == 0) {
        *fmt = HV_VECTOR_SVG;
        return true;
    }
    return false;
}

/* ---- open / close -------------------------------------------------------- */

static void vector_free(hv_vector *v)
{
    for (int i = 0; i < v->n_fb; i++) {
        cairo_font_face_destroy(v->fb[i].cface);
        face_done(v->fb[i].face);
    }
    free(v->gface);
    if (v->cface)
        cairo_font_face_destroy(v->cface); /* its FT_Face goes when cairo drops it */
    if (v->mface)
        face_done(v->mface);
    if (v->fopts)
        cairo_font_options_destroy(v->fopts);
    if (v->fd >= 0)
        close(v->fd);
    if (v->tmp)
        unlink(v->tmp);
    free(v->tmp);
    free(v->path);
    free(v->out);
    free(v->glyphs);
    free(v->clusters);
    free(v->pen);
    free(v->utf8);
    free(v->img);
    free(v);
}

static bool load_font(hv_vector *v, const char *font_path, hv_error *err)
{
    pthread_once(&g_ft_once, ft_init);
    if (g_ft_err)
        return hv_errorf(err, "FreeType: cannot initialise (error %d)", (int)g_ft_err);
    if (access(font_path, R_OK) != 0)
        return hv_errorf(err, "%s: cannot read font file: %s", font_path, strerror(errno));
    FT_Error e = 0;
    v->mface = face_open(font_path, &e);
    FT_Face dface = v->mface ? face_open(font_path, &e) : NULL;
    if (!v->mface || !dface)
        return hv_errorf(err, "%s: not a font file FreeType can read (error %d)", font_path, (int)e);
    if (!FT_IS_SCALABLE(dface)) {
        face_done(dface);
        return hv_errorf(err, "%s: not a scalable (TrueType/OpenType) font", font_path);
    }
    /* unhinted outlines: the page is vector, hinting is the viewer's business */
    v->cface = cairo_ft_font_face_create_for_ft_face(dface, FT_LOAD_NO_HINTING);
    if (cairo_font_face_status(v->cface) != CAIRO_STATUS_SUCCESS ||
        cairo_font_face_set_user_data(v->cface, &k_face_key, dface, face_done) != CAIRO_STATUS_SUCCESS) {
        face_done(dface);
        return hv_errorf(err, "%s: cannot use font with cairo", font_path);
    }
    v->fopts = cairo_font_options_create();
    cairo_font_options_set_hint_style(v->fopts, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(v->fopts, CAIRO_HINT_METRICS_OFF);
    return true;
}

/* SOURCE_DATE_EPOCH (reproducible builds) fixes the PDF's creation date. */
static void pdf_metadata(cairo_surface_t *s)
{
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "headviz");
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long t = sde && *sde ? strtoll(sde, &end, 10) : -1;
    if (t >= 0 && end && !*end) {
        time_t tt = (time_t)t;
        struct tm tm;
        char buf[32];
        if (gmtime_r(&tt, &tm) && strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, buf);
    }
}

hv_vector *hv_vector_open(const char *path, hv_vector_format fmt, double page_w_pt, double page_h_pt,
                          const char *font_path, bool overwrite, hv_error *err)
{
    if (!path || !*path) {
        hv_errorf(err, "no output file given");
        return NULL;
    }
    if (!(page_w_pt >= 1 && page_w_pt <= 1e6 && page_h_pt >= 1 && page_h_pt <= 1e6)) {
        hv_errorf(err, "%s: page size %gx%g pt: each side must be 1..1000000 pt", path, page_w_pt, page_h_pt);
        return NULL;
    }
    if (fmt != HV_VECTOR_PDF && fmt != HV_VECTOR_SVG) {
        hv_errorf(err, "%s: unknown vector format", path);
        return NULL;
    }
    hv_vector *v = calloc(1, sizeof *v);
    if (!v || !(v->out = malloc(OUT_BUF)) || !(v->path = strdup(path))) {
        if (v) {
            free(v->out);
            free(v->path);
            free(v);
        }
        hv_errorf(err, "%s: out of memory", path);
        return NULL;
    }
    v->fd = -1;
    v->fmt = fmt;
    v->overwrite = overwrite;
    v->page_w = page_w_pt;
    v->page_h = page_h_pt;
    if (font_path && !load_font(v, font_path, err)) {
        vector_free(v);
        return NULL;
    }
    v->stream = hv_is_stream(path);
    if (v->stream) {
        v->fd = open_stream(path);
        if (v->fd < 0) {
            hv_errorf(err, "%s: cannot write: %s", path, strerror(errno));
            vector_free(v);
            return NULL;
        }
    } else {
        if (!hv_check_output(path, overwrite, err)) {
            vector_free(v);
            return NULL;
        }
        v->tmp = hv_temp_name(path);
        if (!v->tmp) {
            hv_errorf(err, "%s: out of memory", path);
            vector_free(v);
            return NULL;
        }
        v->fd = open(v->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (v->fd < 0) {
            hv_errorf(err, "%s: cannot write: %s", path, strerror(errno));
            free(v->tmp); /* not ours: another process may own that name */
            v->tmp = NULL;
            vector_free(v);
            return NULL;
        }
    }
    v->surf = fmt == HV_VECTOR_PDF ? cairo_pdf_surface_create_for_stream(write_cb, v, page_w_pt, page_h_pt)
                                   : cairo_svg_surface_create_for_stream(write_cb, v, page_w_pt, page_h_pt);
    if (cairo_surface_status(v->surf) != CAIRO_STATUS_SUCCESS) {
        hv_errorf(err, "%s: cannot start the document: %s", path,
                  cairo_status_to_string(cairo_surface_status(v->surf)));
        cairo_surface_destroy(v->surf);
        vector_free(v);
        return NULL;
    }
    if (fmt == HV_VECTOR_PDF)
        pdf_metadata(v->surf);
    return v;
}

void hv_vector_set_frame(hv_vector *v, bool frame) { v->frame = frame; }

void hv_vector_set_subject(hv_vector *v, const char *subject)
{
    if (v && subject && cairo_surface_get_type(v->surf) == CAIRO_SURFACE_TYPE_PDF)
        cairo_pdf_surface_set_metadata(v->surf, CAIRO_PDF_METADATA_SUBJECT, subject);
}

bool hv_vector_close(hv_vector *v, bool abort, hv_error *err)
{
    if (!v)
        return true;
    bool ok = !abort;
    if (ok && v->pages == 0)
        ok = hv_errorf(err, "%s: no page was drawn; nothing written", v->path);
    v->discard = !ok;
    cairo_surface_finish(v->surf);
    cairo_status_t st = cairo_surface_status(v->surf);
    cairo_surface_destroy(v->surf);
    v->surf = NULL;
    if (ok) {
        if (v->svg_match) /* a held partial "<image " at the very end */
            put(v, (const unsigned char *)"<image ", (size_t)v->svg_match);
        flush_out(v);
        if (!v->werrno && v->stream && close(v->fd) != 0)
            v->werrno = errno;
        if (v->stream)
            v->fd = -1;
        if (v->werrno)
            ok = hv_errorf(err, "%s: write failed: %s", v->path, strerror(v->werrno));
        else if (st != CAIRO_STATUS_SUCCESS)
            ok = hv_errorf(err, "%s: cannot write: %s", v->path, cairo_status_to_string(st));
    }
    if (ok && v->tmp) {
        /* fsync, close, rename, fsync of the folder (one at the end of a
         * sequence of frames); removes tmp on failure */
        ok = hv_publish(v->fd, v->tmp, v->path, v->overwrite, !v->frame, err);
        v->fd = -1;
        free(v->tmp);
        v->tmp = NULL;
    }
    vector_free(v); /* unlinks a temporary left behind */
    return ok;
}

/* ---- text: glyphs where SDL2_ttf puts them ------------------------------- */

/* SDL2_ttf (2.20, shaping with harfbuzz, light hinting) renders a string
 * into a box w x h: the pen starts at xstart and advances by FreeType's
 * unhinted advance (26.6), which is what harfbuzz reads with light hinting;
 * the baseline is ascent below the box top (+ ystart when a glyph reaches
 * above the box); the box grows to every glyph's light-hinted ink box. The GL
 * backend places that box by the anchors. No kerning: SDL2_ttf 2.20.1 as
 * Debian 12 builds it places DejaVu Sans glyphs by their advances alone
 * (measured: "AVAWAY To Ty ..." at 40 px is as wide as its advances, 58 px
 * wider than kerned), and the core's layout measured those widths. */
typedef struct text_box {
    int w, h, xstart, ystart, ascent, n;
} text_box;

static int floor64(long x) { return (int)(x >= 0 ? x / 64 : -((-x + 63) / 64)); }
static int ceil64(long x) { return floor64(x + 63); }

static FT_Face face_of(hv_vector *v, int f) { return f < 0 ? v->mface : v->fb[f].face; }

static const gmetric *glyph_metric(hv_vector *v, int face, int px, unsigned gid)
{
    gmetric *g = &v->cache[((unsigned)px * 2654435761u ^ gid * 40503u ^ (unsigned)(face + 1) * 97u) % GCACHE];
    if (g->px == px && g->gid == gid && g->face == face)
        return g;
    FT_Face ft = face_of(v, face);
    FT_Fixed adv = 0;
    const FT_Int32 flags = FT_LOAD_DEFAULT | FT_LOAD_TARGET_LIGHT;
    FT_Get_Advance(ft, gid, flags, &adv);
    *g = (gmetric){px, face, gid, (long)((adv + 512) >> 10), 0, 0, 0, 0};
    if (FT_Load_Glyph(ft, gid, flags) == 0) {
        const FT_GlyphSlot s = ft->glyph;
        const FT_Glyph_Metrics *m = &s->metrics;
        g->left = floor64(m->horiBearingX);
        g->width = ceil64(m->horiBearingX + m->width) - g->left;
        g->top = floor64(m->horiBearingY);
        g->rows = ceil64(m->height);
    }
    return g;
}

/* The fallback face for cp (opened on first use), -1 if none has it. */
static int fallback_face(hv_vector *v, unsigned cp)
{
    for (int i = 0; i < v->n_fb; i++)
        if (FT_Get_Char_Index(v->fb[i].face, cp))
            return i;
    char path[1024];
    if (v->n_fb >= MAX_VFB || !hv_font_fallback_file(cp, path, sizeof path))
        return -1;
    FT_Error e = 0;
    FT_Face mf = face_open(path, &e), df = mf ? face_open(path, &e) : NULL;
    if (!mf || !df || !FT_IS_SCALABLE(df) || !FT_Get_Char_Index(mf, cp)) {
        if (mf)
            face_done(mf);
        if (df)
            face_done(df);
        return -1;
    }
    cairo_font_face_t *cf = cairo_ft_font_face_create_for_ft_face(df, FT_LOAD_NO_HINTING);
    if (cairo_font_face_status(cf) != CAIRO_STATUS_SUCCESS ||
        cairo_font_face_set_user_data(cf, &k_face_key, df, face_done) != CAIRO_STATUS_SUCCESS) {
        cairo_font_face_destroy(cf);
        face_done(df);
        face_done(mf);
        return -1;
    }
    v->fb[v->n_fb] = (struct vfallback){mf, cf, 0};
    return v->n_fb++;
}

static int put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Lays s out at px: glyphs (x = pen in 26.6 in v->pen), clusters and clean
 * UTF-8 in v's scratch, and the box. False on OOM. */
static bool layout_text(hv_vector *v, const char *s, int px, text_box *b, int *utf8_len)
{
    size_t len = strlen(s);
    if (len > 1u << 24)
        len = 1u << 24;
    int need = (int)len + 1;
    if (need > v->cap_glyphs) { /* glyphs, clusters and pen positions share one capacity */
        int cap = v->cap_glyphs, c1 = cap, c2 = cap;
        int c3 = cap;
        if (!reserve((void **)&v->clusters, &c1, need, sizeof *v->clusters) ||
            !reserve((void **)&v->pen, &c2, need, sizeof *v->pen) ||
            !reserve((void **)&v->gface, &c3, need, sizeof *v->gface) ||
            !reserve((void **)&v->glyphs, &v->cap_glyphs, need, sizeof *v->glyphs))
            return false;
    }
    if (!reserve((void **)&v->utf8, &v->cap_utf8, (int)len * 3 + 4, 1))
        return false;
    if (v->mface_px != px) {
        FT_Set_Char_Size(v->mface, 0, (FT_F26Dot6)px * 64, 0, 0);
        v->mface_px = px;
    }
    FT_Fixed ys = v->mface->size->metrics.y_scale;
    b->ascent = ceil64(FT_MulFix(v->mface->ascender, ys));
    int height = ceil64(FT_MulFix(v->mface->ascender - v->mface->descender, ys));
    /* the face of each character: the main one, else a fallback that has
     * it (the text backend's runs share the largest ascent and descent) */
    const unsigned char *u = (const unsigned char *)s;
    int desc = height - b->ascent, k = 0;
    for (size_t i = 0; i < len; k++) {
        unsigned cp = hv_utf8_next(u, &i);
        if (i > len)
            break;
        int f = cp >= 0x80 && !FT_Get_Char_Index(v->mface, cp) ? fallback_face(v, cp) : -1;
        v->gface[k] = (signed char)f;
        if (f >= 0) {
            FT_Face ff = v->fb[f].face;
            if (v->fb[f].px != px) {
                FT_Set_Char_Size(ff, 0, (FT_F26Dot6)px * 64, 0, 0);
                v->fb[f].px = px;
            }
            FT_Fixed fys = ff->size->metrics.y_scale;
            int fa = ceil64(FT_MulFix(ff->ascender, fys)), fh = ceil64(FT_MulFix(ff->ascender - ff->descender, fys));
            b->ascent = fa > b->ascent ? fa : b->ascent;
            desc = fh - fa > desc ? fh - fa : desc;
        }
    }
    height = b->ascent + desc;
    long x = 0;
    int minx = 0, maxx = 0, miny = 0, maxy = height, n = 0, o = 0;
    for (size_t i = 0; i < len;) {
        unsigned cp = hv_utf8_next(u, &i);
        if (i > len)
            break;
        int nb = put_utf8(v->utf8 + o, cp);
        int f = v->gface[n];
        unsigned gid = FT_Get_Char_Index(face_of(v, f), cp);
        const gmetric *g = glyph_metric(v, f, px, gid);
        v->pen[n] = x;
        v->glyphs[n].index = gid;
        v->clusters[n].num_bytes = nb;
        v->clusters[n].num_glyphs = 1;
        int gx = floor64(x) + g->left, gy = b->ascent - g->top;
        minx = gx < minx ? gx : minx;
        maxx = gx + g->width > maxx ? gx + g->width : maxx;
        miny = gy < miny ? gy : miny;
        maxy = gy + g->rows > maxy ? gy + g->rows : maxy;
        x += g->adv;
        o += nb;
        n++;
    }
    maxx = floor64(x) > maxx ? floor64(x) : maxx;
    b->w = maxx - minx;
    b->h = maxy - miny;
    b->xstart = minx < 0 ? -minx : 0;
    b->ystart = miny < 0 ? -miny : 0;
    b->n = n;
    *utf8_len = o;
    return true;
}

static int px_of(float size)
{
    long px = lrintf(size);
    return px < 1 ? 1 : px > 1000 ? 1000 : (int)px;
}

/* Raster text: the GL backend's own bitmap of the string (SDL2_ttf's
 * coverage), placed as GL places its texture (box origin on whole pixels,
 * a quarter turn for rotated labels) and never resampled. */
static bool raster_text(hv_vector *v, cairo_t *cr, const struct coverage *cv, const hv_text_item *t, hv_error *err)
{
    if (!cv->a8)
        return cv->ok || hv_errorf(err, "%s: the draw list has text but no font was given", v->path);
    cairo_surface_t *mask = cairo_image_surface_create_for_data(cv->a8, CAIRO_FORMAT_A8, cv->w, cv->h, cv->stride);
    double ox = -floor((double)cv->w * 0.5 * t->ax + 0.5), oy = -floor((double)cv->h * 0.5 * t->ay + 0.5);
    cairo_save(cr);
    cairo_translate(cr, floor(t->x + 0.5), floor(t->y + 0.5));
    if (t->rotate == 90)
        cairo_rotate(cr, -PI / 2);
    cairo_translate(cr, ox, oy);
    set_rgba(cr, t->c.r, t->c.g, t->c.b, t->c.a);
    cairo_pattern_t *p = cairo_pattern_create_for_surface(mask);
    cairo_pattern_set_filter(p, CAIRO_FILTER_NEAREST);
    cairo_mask(cr, p);
    cairo_pattern_destroy(p);
    cairo_restore(cr);
    cairo_surface_destroy(mask);
    return true;
}

static bool draw_text(hv_vector *v, cairo_t *cr, const hv_drawlist *dl, const hv_text_item *t, hv_error *err)
{
    const char *s = hv_dl_string(dl, t);
    if (!s || !*s || !finite4(t->x, t->y, t->size, t->c.a) || t->c.a <= 0)
        return true;
    if (v->raster)
        return raster_text(v, cr, &v->cov[t - dl->texts], t, err);
    if (!v->mface)
        return hv_errorf(err, "%s: the draw list has text but no font was given", v->path);
    int px = px_of(t->size), nbytes = 0;
    text_box b;
    if (!layout_text(v, s, px, &b, &nbytes))
        return hv_errorf(err, "%s: out of memory", v->path);
    if (b.w <= 0 || b.n == 0) /* SDL2_ttf renders nothing of zero width */
        return true;
    /* the box origin in whole pixels, as the GL backend places it */
    double ox = -floor((double)b.w * 0.5 * t->ax + 0.5), oy = -floor((double)b.h * 0.5 * t->ay + 0.5);
    for (int i = 0; i < b.n; i++) {
        v->glyphs[i].x = ox + b.xstart + (double)v->pen[i] / 64.0;
        v->glyphs[i].y = oy + b.ystart + b.ascent;
    }
    cairo_save(cr);
    cairo_translate(cr, floor(t->x + 0.5), floor(t->y + 0.5));
    if (t->rotate == 90)
        cairo_rotate(cr, -PI / 2); /* counter-clockwise on screen: reads bottom to top */
    cairo_set_font_options(cr, v->fopts);
    set_rgba(cr, t->c.r, t->c.g, t->c.b, t->c.a);
    /* one run per face: each embedded as its own subset */
    int byte0 = 0;
    for (int i0 = 0; i0 < b.n;) {
        int i1 = i0, bytes = 0;
        while (i1 < b.n && v->gface[i1] == v->gface[i0])
            bytes += v->clusters[i1++].num_bytes;
        cairo_set_font_face(cr, v->gface[i0] < 0 ? v->cface : v->fb[v->gface[i0]].cface);
        cairo_set_font_size(cr, px);
        cairo_show_text_glyphs(cr, v->utf8 + byte0, bytes, v->glyphs + i0, i1 - i0, v->clusters + i0, i1 - i0, 0);
        byte0 += bytes;
        i0 = i1;
    }
    (void)nbytes;
    cairo_restore(cr);
    return true;
}

/* ---- markers: marker.frag's shapes as paths ------------------------------ */

/* A convex-or-star polygon given clockwise on screen (y down), offset
 * outward by o: round joins at convex corners (the distance field's level
 * set), sharp ones at reflex corners. */
static void poly_offset(cairo_t *cr, double cx, double cy, const double (*p)[2], int n, double o)
{
    cairo_new_sub_path(cr);
    if (o <= 0) {
        for (int i = 0; i < n; i++)
            cairo_line_to(cr, cx + p[i][0], cy + p[i][1]);
        cairo_close_path(cr);
        return;
    }
    for (int i = 0; i < n; i++) {
        const double *a = p[(i + n - 1) % n], *b = p[i], *c = p[(i + 1) % n];
        double d1x = b[0] - a[0], d1y = b[1] - a[1], d2x = c[0] - b[0], d2y = c[1] - b[1];
        double l1 = hypot(d1x, d1y), l2 = hypot(d2x, d2y);
        if (l1 <= 0 || l2 <= 0)
            continue;
        d1x /= l1, d1y /= l1, d2x /= l2, d2y /= l2;
        double n1x = d1y, n1y = -d1x, n2x = d2y, n2y = -d2x; /* outward normals */
        if (d1x * d2y - d1y * d2x >= 0) {                   /* convex: arc round the corner */
            cairo_arc(cr, cx + b[0], cy + b[1], o, atan2(n1y, n1x), atan2(n2y, n2x));
        } else { /* reflex: the two offset edges meet */
            double k = o / (1 + n1x * n2x + n1y * n2y);
            cairo_line_to(cr, cx + b[0] + (n1x + n2x) * k, cy + b[1] + (n1y + n2y) * k);
        }
    }
    cairo_close_path(cr);
}

/* Two or more capsules of half-width s from the centre out to length L along
 * the angles phi0 + k pi/2 (k = 0..3): the union's outline, clockwise. */
static void cross_path(cairo_t *cr, double cx, double cy, double phi0, double len, double s)
{
    if (len < s)
        len = s; /* degenerate stubs: keep a simple outline */
    cairo_new_sub_path(cr);
    for (int k = 0; k < 4; k++) {
        double phi = phi0 + k * PI / 2, ux = cos(phi), uy = sin(phi);
        double vx = cos(phi + PI / 2), vy = sin(phi + PI / 2); /* the next arm */
        cairo_arc(cr, cx + len * ux, cy + len * uy, s, phi - PI / 2, phi + PI / 2);
        cairo_line_to(cr, cx + s * (ux + vx), cy + s * (uy + vy)); /* inner corner */
    }
    cairo_close_path(cr);
}

/* The shape of marker.frag's shape_sdf, grown by o px (its level set at o). */
static void shape_path(cairo_t *cr, int shape, double cx, double cy, double r, double stroke, double o)
{
    switch (shape) {
    case HV_SHAPE_CIRCLE:
        cairo_new_sub_path(cr);
        cairo_arc(cr, cx, cy, r + o, 0, 2 * PI);
        cairo_close_path(cr);
        break;
    case HV_SHAPE_X:
        cross_path(cr, cx, cy, -PI / 4, 0.78 * r * sqrt(2.0), 0.5 * stroke + o);
        break;
    case HV_SHAPE_SQUARE: {
        double h = 0.886 * r;
        const double p[4][2] = {{-h, -h}, {h, -h}, {h, h}, {-h, h}};
        poly_offset(cr, cx, cy, p, 4, o);
        break;
    }
    case HV_SHAPE_TRIANGLE: {
        double R = 1.1 * r;
        const double p[3][2] = {{0, -R}, {0.866 * R, 0.5 * R}, {-0.866 * R, 0.5 * R}};
        poly_offset(cr, cx, cy, p, 3, o);
        break;
    }
    case HV_SHAPE_DIAMOND: {
        /* the shader's (|x|+|y| - 1.15r) / sqrt 2: its level sets are
         * diamonds, corners sharp */
        double D = 1.15 * r + o * sqrt(2.0);
        const double p[4][2] = {{0, -D}, {D, 0}, {0, D}, {-D, 0}};
        poly_offset(cr, cx, cy, p, 4, 0);
        break;
    }
    case HV_SHAPE_PLUS:
        cross_path(cr, cx, cy, -PI / 2, 0.95 * r, 0.5 * stroke + o);
        break;
    default: { /* star: 5 points, first up, inner radius 0.45 of the outer */
        double p[10][2], R = 1.2 * r;
        for (int k = 0; k < 10; k++) {
            double th = k * PI / 5, rho = k % 2 ? 0.45 * R : R;
            p[k][0] = rho * sin(th);
            p[k][1] = -rho * cos(th);
        }
        poly_offset(cr, cx, cy, (const double(*)[2])p, 10, o);
        break;
    }
    }
}

static void draw_marker(cairo_t *cr, const hv_marker *m, const hv_colormap *cm, bool raster)
{
    if (!finite4(m->x, m->y, m->size, m->alpha) || !(m->size > 0) || !(m->alpha > 0))
        return;
    /* as the shader's int(shape + 0.5); anything unknown is a star there */
    int shape = isfinite(m->shape) ? (int)(fminf(fmaxf(m->shape, -1.0f), 100.0f) + 0.5f) : HV_SHAPE_STAR;
    double r = 0.5 * m->size, stroke = isfinite(m->stroke_w) && m->stroke_w > 0 ? m->stroke_w : 0;
    double ow = isfinite(m->outline_w) && m->outline_w > 0 ? m->outline_w : 0;
    double alpha = clamp01(m->alpha);
    float rgb[3] = {m->fill.r, m->fill.g, m->fill.b};
    double fa = clamp01(m->fill.a);
    if (m->value >= 0) {
        hv_colormap_sample(cm, m->value, rgb);
        fa = 1;
    }
    double oa = ow > 0 ? clamp01(m->outline.a) : 0;
    cairo_new_path(cr);
    if (fa >= 1) {
        /* opaque fill: the grown shape in the rim colour, the fill over it
         * (no seam between them); faded as one layer when alpha < 1 */
        if (alpha < 1) {
            if (raster) { /* the group as small as the marker, not the clip */
                double e = r + stroke + ow + 2;
                cairo_save(cr);
                cairo_rectangle(cr, floor(m->x - e), floor(m->y - e), ceil(2 * e) + 1, ceil(2 * e) + 1);
                cairo_clip(cr);
            }
            cairo_push_group(cr);
        }
        if (oa > 0) {
            shape_path(cr, shape, m->x, m->y, r, stroke, ow);
            set_rgba(cr, m->outline.r, m->outline.g, m->outline.b, oa);
            cairo_fill(cr);
        }
        shape_path(cr, shape, m->x, m->y, r, stroke, 0);
        set_rgba(cr, rgb[0], rgb[1], rgb[2], 1);
        cairo_fill(cr);
        if (alpha < 1) {
            cairo_pop_group_to_source(cr);
            cairo_paint_with_alpha(cr, alpha);
            if (raster)
                cairo_restore(cr);
        }
        return;
    }
    /* see-through fill (a hover ring when transparent): the rim is only the
     * band between the shape and its offset */
    if (oa > 0) {
        shape_path(cr, shape, m->x, m->y, r, stroke, ow);
        shape_path(cr, shape, m->x, m->y, r, stroke, 0);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        set_rgba(cr, m->outline.r, m->outline.g, m->outline.b, oa * alpha);
        cairo_fill(cr);
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
    }
    if (fa > 0) {
        shape_path(cr, shape, m->x, m->y, r, stroke, 0);
        set_rgba(cr, rgb[0], rgb[1], rgb[2], fa * alpha);
        cairo_fill(cr);
    }
}

/* ---- colorbars, heatmaps, rects ------------------------------------------ */

/* A rectangle's path. In a raster, the pixels GL fills: those whose centre
 * lies inside (left and top edges in, right and bottom out), so the fill
 * needs no antialiasing (the caller's cairo_t has it off for rects). */
static void rect_path(cairo_t *cr, double x, double y, double w, double h, bool raster)
{
    if (!raster) {
        cairo_rectangle(cr, x, y, w, h);
        return;
    }
    double x0 = ceil(x - 0.5), x1 = ceil(x + w - 0.5), y0 = ceil(y - 0.5), y1 = ceil(y + h - 0.5);
    if (x1 > x0 && y1 > y0)
        cairo_rectangle(cr, x0, y0, x1 - x0, y1 - y0);
}

/* GL samples the 256-texel colormap at (t*255+0.5)/256 with linear filtering:
 * a piecewise-linear ramp with entry i exactly at t = i/255. The gradient
 * runs through the same knots: the ends' samples and every entry inside
 * [t0, t1] at its t, except that an entry lying within CBAR_TOL of the line
 * through the knots kept on either side adds nothing and is left out (the
 * ramp stays within half an 8-bit step of GL's everywhere, and cairo writes
 * one PDF function object per knot: ~100 instead of 256 for viridis). */
#define CBAR_TOL (0.5 / 255.0)

typedef struct knot {
    double u; /* 0 at the bottom (t0), 1 at the top (t1) */
    double c[3];
} knot;

static bool knots_fit(const knot *k, int a, int b, double tol)
{
    for (int i = a + 1; i < b; i++) {
        double f = (k[i].u - k[a].u) / (k[b].u - k[a].u);
        for (int ch = 0; ch < 3; ch++)
            if (fabs(k[a].c[ch] + (k[b].c[ch] - k[a].c[ch]) * f - k[i].c[ch]) > tol)
                return false;
    }
    return true;
}

static void draw_colorbar(cairo_t *cr, const hv_colorbar_item *cb, const hv_colormap *cm, bool raster)
{
    if (!finite4(cb->r.x, cb->r.y, cb->r.w, cb->r.h) || !isfinite(cb->t0) || !isfinite(cb->t1) ||
        !(cb->alpha > 0))
        return;
    double a = clamp01(cb->alpha), t0 = cb->t0, t1 = cb->t1;
    float c[3];
    rect_path(cr, cb->r.x, cb->r.y, cb->r.w, cb->r.h, raster);
    if (t0 == t1 || cb->r.h == 0) {
        hv_colormap_sample(cm, t0, c);
        set_rgba(cr, c[0], c[1], c[2], a);
        cairo_fill(cr);
        return;
    }
    knot k[258];
    int n = 0;
    hv_colormap_sample(cm, t0, c);
    k[n++] = (knot){0, {c[0], c[1], c[2]}};
    for (int m = 0; m < 256; m++) {
        int i = t1 > t0 ? m : 255 - m;
        double u = (i / 255.0 - t0) / (t1 - t0);
        if (u > 0 && u < 1)
            k[n++] = (knot){u, {cm->table[i][0] / 255.0, cm->table[i][1] / 255.0, cm->table[i][2] / 255.0}};
    }
    hv_colormap_sample(cm, t1, c);
    k[n++] = (knot){1, {c[0], c[1], c[2]}};
    cairo_pattern_t *g = cairo_pattern_create_linear(0, cb->r.y + cb->r.h, 0, cb->r.y);
    for (int from = 0, to; from < n - 1; from = to) {
        if (from == 0)
            cairo_pattern_add_color_stop_rgba(g, 0, k[0].c[0], k[0].c[1], k[0].c[2], a);
        to = from + 1;
        while (to + 1 < n && knots_fit(k, from, to + 1, raster ? 0 : CBAR_TOL)) /* a raster keeps every entry */
            to++;
        cairo_pattern_add_color_stop_rgba(g, k[to].u, k[to].c[0], k[to].c[1], k[to].c[2], a);
    }
    cairo_pattern_set_extend(g, CAIRO_EXTEND_PAD);
    cairo_set_source(cr, g);
    cairo_fill(cr);
    cairo_pattern_destroy(g);
}

static unsigned char to8(double x) { return (unsigned char)lrint(clamp01(x) * 255.0); }

/* SVG viewers differ in honouring an image's "no smoothing" hint (librsvg
 * smooths), so in SVG a heatmap's cells are rectangles: the runs of equal
 * colour along each row, every colour one path, edges not antialiased (no
 * seams between cells). v->img holds the cells' premultiplied BGRA pixels. */
static bool svg_cells(hv_vector *v, cairo_t *cr, const hv_heatmap_item *h, int stride, bool opaque)
{
    (void)opaque;
    double cw = (double)h->r.w / h->cols, ch = (double)h->r.h / h->rows;
    size_t n = (size_t)h->cols * (size_t)h->rows;
    unsigned char *done = calloc(n, 1);
    if (!done)
        return false;
    cairo_save(cr);
    cairo_rectangle(cr, h->r.x, h->r.y, h->r.w, h->r.h);
    cairo_clip(cr);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    for (size_t first = 0; first < n; first++) {
        if (done[first])
            continue;
        uint32_t colour = ((const uint32_t *)(v->img + first / (size_t)h->cols * (size_t)stride))[first % (size_t)h->cols];
        /* every run of this colour from here on: one path */
        for (int y = (int)(first / (size_t)h->cols); y < h->rows; y++) {
            const uint32_t *row = (const uint32_t *)(v->img + (size_t)y * (size_t)stride);
            for (int x = 0; x < h->cols;) {
                size_t k = (size_t)y * (size_t)h->cols + (size_t)x;
                if (done[k] || row[x] != colour) {
                    x++;
                    continue;
                }
                int x0 = x;
                while (x < h->cols && !done[(size_t)y * (size_t)h->cols + (size_t)x] && row[x] == colour)
                    done[(size_t)y * (size_t)h->cols + (size_t)x++] = 1;
                cairo_rectangle(cr, h->r.x + x0 * cw, h->r.y + y * ch, (x - x0) * cw, ch);
            }
        }
        double a = (double)(colour >> 24) / 255.0;
        if (a > 0)
            cairo_set_source_rgba(cr, ((colour >> 16) & 255) / 255.0 / a, ((colour >> 8) & 255) / 255.0 / a,
                                  (colour & 255) / 255.0 / a, a * clamp01(h->alpha));
        else
            cairo_set_source_rgba(cr, 0, 0, 0, 0);
        cairo_fill(cr);
    }
    cairo_restore(cr);
    free(done);
    return true;
}

/* A raster's heatmap, pixel by pixel as heatmap.frag computes it: each
 * pixel of the rectangle (whole pixels) takes the cell under its centre,
 * in integers (hv_heatmap_cell: never a blend, never a rounding of its
 * own), or where cells are smaller than a pixel the mean of those it covers
 * (hv_heatmap_samples), composited over what is there; only pixels inside the current clip
 * (whole pixels: the command's scissor, the frame, the band). */
static void raster_heatmap(cairo_t *cr, const hv_heatmap_item *h, const float *vals, const hv_colormap *cm)
{
    cairo_surface_t *t = cairo_get_target(cr);
    cairo_surface_flush(t);
    unsigned char *data = cairo_image_surface_get_data(t);
    int stride = cairo_image_surface_get_stride(t), sw = cairo_image_surface_get_width(t);
    int sh = cairo_image_surface_get_height(t);
    bool has_alpha = cairo_image_surface_get_format(t) == CAIRO_FORMAT_ARGB32;
    double cx0, cy0, cx1, cy1, dx = 0, dy = 0;
    cairo_clip_extents(cr, &cx0, &cy0, &cx1, &cy1);
    cairo_user_to_device(cr, &dx, &dy); /* figure pixels -> surface pixels (a band's offset) */
    int x0 = (int)fmax(ceil(h->r.x - 0.5), cx0), x1 = (int)fmin(ceil(h->r.x + h->r.w - 0.5), cx1);
    int y0 = (int)fmax(ceil(h->r.y - 0.5), cy0), y1 = (int)fmin(ceil(h->r.y + h->r.h - 0.5), cy1);
    float ca = (float)clamp01(h->alpha);
    int rx = (int)lrintf(h->r.x), ry = (int)lrintf(h->r.y), rw = (int)lrintf(h->r.w), rh = (int)lrintf(h->r.h);
    for (int y = y0; y < y1; y++) {
        int sy = y + (int)lrint(dy);
        if (sy < 0 || sy >= sh)
            continue;
        int ky = hv_heatmap_samples(y - ry, rh, h->rows);
        uint32_t *row = (uint32_t *)(data + (size_t)sy * (size_t)stride);
        for (int x = x0; x < x1; x++) {
            int sx = x + (int)lrint(dx);
            if (sx < 0 || sx >= sw)
                continue;
            /* the mean of the cells the pixel covers (one where cells are
             * at least a pixel), of their colours in 8 bits as GL has them */
            int kx = hv_heatmap_samples(x - rx, rw, h->cols);
            float sum[4] = {0, 0, 0, 0}, src[4];
            for (int j = 0; j < ky; j++) {
                int cy = hv_heatmap_sample(y - ry, rh, h->rows, j, ky);
                for (int i = 0; i < kx; i++) {
                    int cxl = hv_heatmap_sample(x - rx, rw, h->cols, i, kx);
                    float v = vals[(size_t)cy * (size_t)h->cols + (size_t)cxl], c[4];
                    if (v >= 0) {
                        hv_colormap_sample(cm, v, c);
                        for (int ch = 0; ch < 3; ch++)
                            c[ch] = (float)lrintf((float)clamp01(c[ch]) * 255.0f) / 255.0f;
                        c[3] = 1;
                    } else {
                        for (int ch = 0; ch < 4; ch++)
                            c[ch] = (float)lrintf((float)clamp01((&h->nan_color.r)[ch]) * 255.0f) / 255.0f;
                    }
                    for (int ch = 0; ch < 4; ch++)
                        sum[ch] += c[ch];
                }
            }
            float inv = 1.0f / (float)(kx * ky), a = sum[3] * inv * ca;
            for (int ch = 0; ch < 3; ch++)
                src[ch] = sum[ch] * inv * a;
            src[3] = a;
            uint32_t p = row[sx];
            float da = has_alpha ? (float)(p >> 24) / 255.0f : 1.0f, k = 1.0f - src[3];
            float o[4] = {src[0] + (float)((p >> 16) & 255) / 255.0f * k, src[1] + (float)((p >> 8) & 255) / 255.0f * k,
                          src[2] + (float)(p & 255) / 255.0f * k, src[3] + da * k};
            uint32_t q = (uint32_t)lrintf(fminf(o[3], 1.0f) * 255.0f) << 24;
            for (int ch = 0; ch < 3; ch++)
                q |= (uint32_t)lrintf(fminf(o[ch], 1.0f) * 255.0f) << (16 - 8 * ch);
            row[sx] = has_alpha ? q : q | 0xFF000000u;
        }
    }
    cairo_surface_mark_dirty(t);
}

/* One image, one pixel per cell, painted without interpolation. */
static bool draw_heatmap(hv_vector *v, cairo_t *cr, const hv_drawlist *dl, const hv_heatmap_item *h,
                         const hv_colormap *cm, hv_error *err)
{
    if (h->cols < 1 || h->rows < 1 || !finite4(h->r.x, h->r.y, h->r.w, h->r.h) || !(h->alpha > 0) ||
        h->r.w == 0 || h->r.h == 0)
        return true;
    if (h->cols > 32767 || h->rows > 32767)
        return hv_errorf(err, "%s: heatmap of %dx%d cells: at most 32767 a side", v->path, h->cols, h->rows);
    const float *vals = hv_dl_heatmap_values(dl, h);
    if (v->raster) {
        raster_heatmap(cr, h, vals, cm);
        return true;
    }
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, h->cols);
    size_t need = (size_t)stride * (size_t)h->rows;
    if (need > v->cap_img) {
        unsigned char *ni = realloc(v->img, need);
        if (!ni)
            return hv_errorf(err, "%s: out of memory", v->path);
        v->img = ni;
        v->cap_img = need;
    }
    double na = clamp01(h->nan_color.a);
    unsigned char nan_px[4] = {to8(h->nan_color.b * na), to8(h->nan_color.g * na), to8(h->nan_color.r * na),
                               to8(na)}; /* premultiplied BGRA (little-endian ARGB32) */
    bool opaque = true;
    for (int y = 0; y < h->rows; y++) {
        uint32_t *row = (uint32_t *)(v->img + (size_t)y * (size_t)stride);
        for (int x = 0; x < h->cols; x++) {
            float val = vals[(size_t)y * (size_t)h->cols + (size_t)x];
            uint32_t p;
            if (val >= 0) { /* as the shader: NaN or negative is "no score" */
                float c[3];
                hv_colormap_sample(cm, val, c);
                p = 0xFF000000u | (uint32_t)to8(c[0]) << 16 | (uint32_t)to8(c[1]) << 8 | to8(c[2]);
            } else {
                p = (uint32_t)nan_px[3] << 24 | (uint32_t)nan_px[2] << 16 | (uint32_t)nan_px[1] << 8 | nan_px[0];
                opaque = opaque && nan_px[3] == 255;
            }
            row[x] = p;
        }
    }
    if (v->fmt == HV_VECTOR_SVG)
        return svg_cells(v, cr, h, stride, opaque);
    cairo_surface_t *img = cairo_image_surface_create_for_data(v->img, opaque ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32,
                                                               h->cols, h->rows, stride);
    cairo_save(cr);
    cairo_translate(cr, h->r.x, h->r.y);
    cairo_scale(cr, (double)h->r.w / h->cols, (double)h->r.h / h->rows);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
    cairo_rectangle(cr, 0, 0, h->cols, h->rows);
    cairo_clip(cr);
    cairo_paint_with_alpha(cr, clamp01(h->alpha));
    cairo_restore(cr);
    cairo_surface_finish(img); /* the PDF/SVG surface has copied what it needs */
    cairo_surface_destroy(img);
    return true;
}

/* A hairline in PDF or SVG: r's centre line along its long side, stroked
 * HV_HAIRLINE_PT wide in the page's own units (points) whatever the pixels'
 * scale, butt ends, so it spans r exactly. */
static void draw_hairline(cairo_t *cr, const hv_rect_item *it)
{
    const hv_rect *r = &it->r;
    if (r->w >= r->h) {
        cairo_move_to(cr, r->x, r->y + 0.5 * r->h);
        cairo_line_to(cr, r->x + r->w, r->y + 0.5 * r->h);
    } else {
        cairo_move_to(cr, r->x + 0.5 * r->w, r->y);
        cairo_line_to(cr, r->x + 0.5 * r->w, r->y + r->h);
    }
    cairo_save(cr);
    cairo_identity_matrix(cr); /* the path stays where it is; the width is in points */
    cairo_set_line_width(cr, HV_HAIRLINE_PT);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
    set_rgba(cr, it->c.r, it->c.g, it->c.b, it->c.a);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Rects; runs of opaque ones of one colour become one path (overlap cannot
 * show), so a grid is one fill. Hairlines: filled as rects in a raster (one
 * device pixel, as GL), stroked HV_HAIRLINE_PT wide in PDF and SVG. */
static void draw_rects(cairo_t *cr, const hv_rect_item *r, int n, bool raster)
{
    int i = 0;
    while (i < n) {
        const hv_rect_item *a = &r[i];
        if (a->hairline && !raster) {
            if (finite4(a->r.x, a->r.y, a->r.w, a->r.h) && a->c.a > 0)
                draw_hairline(cr, a);
            i++;
            continue;
        }
        int j = i + 1;
        if (a->c.a >= 1)
            while (j < n && r[j].c.a >= 1 && r[j].c.r == a->c.r && r[j].c.g == a->c.g && r[j].c.b == a->c.b &&
                   (raster || !r[j].hairline))
                j++;
        bool any = false;
        for (int k = i; k < j; k++) {
            if (!finite4(r[k].r.x, r[k].r.y, r[k].r.w, r[k].r.h) || !(r[k].c.a > 0))
                continue;
            rect_path(cr, r[k].r.x, r[k].r.y, r[k].r.w, r[k].r.h, raster);
            any = true;
        }
        if (any) {
            set_rgba(cr, a->c.r, a->c.g, a->c.b, a->c.a);
            cairo_fill(cr);
        }
        i = j;
    }
}

/* ---- a page -------------------------------------------------------------- */

/* Draws dl into cr: the page is page_w x page_h in cr's units, pixels
 * scaled uniformly and centred. False with err when something cannot be
 * drawn. */
static bool draw_page(hv_vector *v, cairo_t *cr, const hv_drawlist *dl, hv_error *err)
{
    const hv_colormap *cm = hv_colormap_at(dl->colormap_index);
    double s = fmin(v->page_w / dl->width, v->page_h / dl->height);
    const hv_color *cc = &dl->clear;
    if (cc->a > 0) { /* alpha 0: no background at all */
        set_rgba(cr, cc->r, cc->g, cc->b, cc->a);
        cairo_paint(cr);
    }
    cairo_translate(cr, 0.5 * (v->page_w - dl->width * s), 0.5 * (v->page_h - dl->height * s));
    cairo_scale(cr, s, s);
    cairo_rectangle(cr, 0, 0, dl->width, dl->height); /* the frame: nothing outside, as in GL */
    cairo_clip(cr);
    bool ok = true;
    for (int i = 0; i < dl->n_cmds && ok; i++) {
        const hv_cmd *c = &dl->cmds[i];
        cairo_save(cr);
        if (c->clipped) { /* GL's scissor covers whole pixels */
            double x0 = floor(c->clip.x), y0 = floor(c->clip.y);
            double x1 = ceil(c->clip.x + c->clip.w), y1 = ceil(c->clip.y + c->clip.h);
            cairo_rectangle(cr, x0, y0, x1 - x0 > 0 ? x1 - x0 : 0, y1 - y0 > 0 ? y1 - y0 : 0);
            cairo_clip(cr);
        }
        switch (c->type) {
        case HV_CMD_RECTS:
            if (v->raster)
                cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
            draw_rects(cr, dl->rects + c->first, c->count, v->raster);
            break;
        case HV_CMD_MARKERS:
            for (int k = c->first; k < c->first + c->count; k++) {
                const hv_marker *m = &dl->markers[k];
                if (v->raster) { /* a band skips the markers outside it */
                    double e = 0.5 * m->size + fabs(m->outline_w) + fabs(m->stroke_w) + 2;
                    if (m->y + e < v->band_y0 || m->y - e > v->band_y1)
                        continue;
                }
                draw_marker(cr, m, cm, v->raster);
            }
            break;
        case HV_CMD_COLORBARS:
            if (v->raster)
                cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
            for (int k = c->first; k < c->first + c->count; k++)
                draw_colorbar(cr, &dl->colorbars[k], cm, v->raster);
            break;
        case HV_CMD_TEXTS:
            for (int k = c->first; k < c->first + c->count && ok; k++)
                ok = draw_text(v, cr, dl, &dl->texts[k], err);
            break;
        case HV_CMD_HEATMAPS:
            for (int k = c->first; k < c->first + c->count && ok; k++)
                ok = draw_heatmap(v, cr, dl, &dl->heatmaps[k], cm, err);
            break;
        }
        cairo_restore(cr);
    }
    return ok;
}

static bool check_dl(const char *name, const hv_drawlist *dl, hv_error *err)
{
    if (dl->width < 1 || dl->height < 1)
        return hv_errorf(err, "%s: cannot draw a %dx%d page", name, dl->width, dl->height);
    if (dl->oom)
        return hv_errorf(err, "%s: the figure is incomplete (out of memory building it)", name);
    return true;
}

bool hv_vector_page(hv_vector *v, const hv_drawlist *dl, hv_error *err)
{
    if (v->fmt == HV_VECTOR_SVG && v->pages > 0)
        return hv_errorf(err, "%s: an SVG file holds one page", v->path);
    if (!check_dl(v->path, dl, err))
        return false;
    cairo_t *cr = cairo_create(v->surf);
    bool ok = draw_page(v, cr, dl, err);
    cairo_status_t st = cairo_status(cr);
    if (ok)
        cairo_show_page(cr);
    cairo_destroy(cr);
    if (!ok)
        return false;
    if (v->werrno)
        return hv_errorf(err, "%s: write failed: %s", v->path, strerror(v->werrno));
    if (st == CAIRO_STATUS_SUCCESS)
        st = cairo_surface_status(v->surf);
    if (st != CAIRO_STATUS_SUCCESS)
        return hv_errorf(err, "%s: drawing failed: %s", v->path, cairo_status_to_string(st));
    v->pages++;
    return true;
}

/* ---- a raster: the still without GL -------------------------------------- */

typedef struct band_job {
    const hv_drawlist *dl;
    const char *name;
    const struct coverage *cov;
    unsigned char *px;
    int stride, y0, y1;
    bool alpha, ok;
    hv_error err;
} band_job;

/* Rows y0..y1 of the raster: a surface on those rows of the image, drawn
 * with the page shifted up. cairo computes each pixel from the geometry
 * alone, so bands drawn apart give the pixels of one drawing. */
static void *draw_band(void *arg)
{
    band_job *j = arg;
    const hv_drawlist *dl = j->dl;
    j->ok = false;
    hv_vector *v = calloc(1, sizeof *v);
    if (!v || !(v->path = strdup(j->name))) {
        free(v);
        hv_errorf(&j->err, "%s: out of memory", j->name);
        return NULL;
    }
    v->fd = -1;
    v->raster = true;
    v->cov = j->cov;
    v->page_w = dl->width;
    v->page_h = dl->height;
    v->band_y0 = j->y0;
    v->band_y1 = j->y1;
    cairo_surface_t *surf = cairo_image_surface_create_for_data(
        j->px + (size_t)j->y0 * (size_t)j->stride, j->alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, dl->width,
        j->y1 - j->y0, j->stride);
    cairo_t *cr = cairo_create(surf);
    cairo_translate(cr, 0, -j->y0);
    j->ok = draw_page(v, cr, dl, &j->err);
    cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    cairo_surface_destroy(surf);
    if (j->ok && st != CAIRO_STATUS_SUCCESS)
        j->ok = hv_errorf(&j->err, "%s: drawing failed: %s", j->name, cairo_status_to_string(st));
    vector_free(v);
    return NULL;
}

unsigned char *hv_vector_raster(const hv_drawlist *dl, const char *name, hv_coverage_fn coverage, void *user,
                                int channels, int threads, hv_error *err)
{
    if (!check_dl(name, dl, err))
        return NULL;
    if (channels != 3 && channels != 4) {
        hv_errorf(err, "%s: %d channels: 3 or 4", name, channels);
        return NULL;
    }
    int w = dl->width, h = dl->height;
    int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, w);
    /* opaque frames need no alpha (and cairo's RGB24 skips it); a
     * transparent ground starts clear */
    bool alpha = channels == 4 || dl->clear.a < 1;
    unsigned char *px = stride <= 0 ? NULL
                        : alpha     ? calloc((size_t)h, (size_t)stride)
                                    : malloc((size_t)stride * (size_t)h);
    struct coverage *cov = calloc((size_t)dl->n_texts + 1, sizeof *cov);
    bool ok = px && cov;
    if (!ok)
        hv_errorf(err, "%s: out of memory for a %dx%d image", name, w, h);
    /* the text bitmaps first, on this thread (the caller's fonts are not
     * shared between threads) */
    for (int k = 0; ok && k < dl->n_texts; k++) {
        const hv_text_item *t = &dl->texts[k];
        const char *str = hv_dl_string(dl, t);
        cov[k].ok = true;
        if (!str || !*str || !finite4(t->x, t->y, t->size, t->c.a) || t->c.a <= 0)
            continue;
        if (!coverage) {
            cov[k].ok = false;
            continue;
        }
        int cw = 0, ch = 0;
        unsigned char *c = coverage(user, str, t->size, &cw, &ch);
        if (!c)
            continue; /* nothing to draw (GL draws nothing either) */
        int st = cairo_format_stride_for_width(CAIRO_FORMAT_A8, cw);
        cov[k].a8 = malloc((size_t)st * (size_t)ch);
        if (!cov[k].a8) {
            free(c);
            ok = hv_errorf(err, "%s: out of memory", name);
            break;
        }
        for (int y = 0; y < ch; y++)
            memcpy(cov[k].a8 + (size_t)y * (size_t)st, c + (size_t)y * (size_t)cw, (size_t)cw);
        free(c);
        cov[k].w = cw;
        cov[k].h = ch;
        cov[k].stride = st;
    }
    /* bands of rows drawn in parallel, one per thread */
    enum { MAX_BANDS = 16 };
    int n = threads < 1 ? 1 : threads > MAX_BANDS ? MAX_BANDS : threads;
    if (n > h / 32)
        n = h / 32 > 0 ? h / 32 : 1;
    band_job jobs[MAX_BANDS];
    pthread_t th[MAX_BANDS];
    bool started[MAX_BANDS] = {false};
    for (int b = 0; ok && b < n; b++) {
        jobs[b] = (band_job){dl, name, cov, px, stride, (int)((long)h * b / n), (int)((long)h * (b + 1) / n),
                             alpha, false, {""}};
        if (b > 0)
            started[b] = pthread_create(&th[b], NULL, draw_band, &jobs[b]) == 0;
    }
    if (ok) {
        draw_band(&jobs[0]);
        for (int b = 1; b < n; b++) {
            if (started[b])
                pthread_join(th[b], NULL);
            else
                draw_band(&jobs[b]);
        }
        for (int b = 0; b < n && ok; b++)
            if (!jobs[b].ok) {
                *err = jobs[b].err;
                ok = false;
            }
    }
    for (int k = 0; cov && k < dl->n_texts; k++)
        free(cov[k].a8);
    free(cov);
    if (!ok) {
        free(px);
        return NULL;
    }
    /* cairo's premultiplied native-endian ARGB words -> straight RGB(A)
     * bytes, in place (rows only shrink), as the GL backend reads back */
    for (int y = 0; y < h; y++) {
        const uint32_t *src = (const uint32_t *)(px + (size_t)y * (size_t)stride);
        unsigned char *dst = px + (size_t)y * (size_t)w * (size_t)channels;
        for (int x = 0; x < w; x++) {
            uint32_t p = src[x];
            unsigned a = alpha ? p >> 24 : 255, c[3] = {(p >> 16) & 255, (p >> 8) & 255, p & 255};
            if (a != 0 && a != 255)
                for (int k = 0; k < 3; k++) {
                    unsigned u = (c[k] * 255u + a / 2) / a;
                    c[k] = u > 255 ? 255 : u;
                }
            unsigned char *o = dst + (size_t)x * (size_t)channels;
            o[0] = (unsigned char)c[0];
            o[1] = (unsigned char)c[1];
            o[2] = (unsigned char)c[2];
            if (channels == 4)
                o[3] = (unsigned char)a;
        }
    }
    return px;
}
