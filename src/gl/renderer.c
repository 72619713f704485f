#ifdef HV_SANITIZE_BUILD
#define _GNU_SOURCE /* dl_iterate_phdr, RTLD_NODELETE */
#include <dlfcn.h>
#include <link.h>
#endif
#include "renderer.h"

#ifdef __EMSCRIPTEN__
/* the web player (src/web): WebGL2 is GLES 3.0; the page owns the canvas
 * and its context (html5.h), SDL is not there */
#include <GLES3/gl3.h>
#include <emscripten/html5.h>
#include <stddef.h>
#else
#include <SDL.h>
#include <epoxy/gl.h>
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/colormap.h"
#include "../core/stages.h"
#include "window.h"
#include "shaders.h" /* generated from shaders/ at build time */


typedef struct program {
    GLuint id;
    GLint u_view, u_flip, u_y0, u_cmap, u_cmap_row, u_tex;
    GLint u_rect, u_values, u_alpha; /* heatmaps */
} program;

/* per-instance layouts, matching the shaders' attributes */
typedef struct rect_inst {
    float rect[4];
    float color[4];
    float cbar[3];
} rect_inst;

typedef struct marker_inst {
    float geom[4];
    float fill[4];
    float outline[4];
    float params[4];
} marker_inst;

struct hv_renderer {
    SDL_Window *win;
#ifdef __EMSCRIPTEN__
    bool ctx;
#else
    SDL_GLContext ctx;
#endif
    hv_text *text;
    program p_rect, p_marker, p_text, p_heat;
    GLuint quad_vbo;
    GLuint rect_vao, rect_vbo;
    GLuint marker_vao, marker_vbo;
    GLuint text_vao, text_vbo;
    GLuint heat_vao;
    GLuint *heat_tex; /* one texture per heatmap item of the frame */
    int n_heat_tex;
    unsigned char *heat_buf; /* a heatmap's cells' colours (straight RGBA8) for upload */
    int cap_heat_buf;
    GLuint cmap_tex;
    GLuint fbo, fbo_color;
    int fbo_w, fbo_h;
    rect_inst *rects;
    int cap_rects;
    marker_inst *markers;
    int cap_markers;
    float *text_verts; /* 4 vertices x (pos 2, uv 2, colour 4) per text */
    int cap_text_verts;
    unsigned *text_tex;
    int cap_text_tex;
    int max_size;
    char info[256];
};

static GLuint compile(GLenum type, const char *src, const char *name, hv_error *err)
{
    GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &src, NULL);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetShaderInfoLog(s, sizeof log, NULL, log);
        for (char *p = log; *p; p++)
            if (*p == '\n')
                *p = ' ';
        hv_errorf(err, "shaders/%s: compile error: %s", name, log);
        glDeleteShader(s);
        return 0;
    }
    return s;
}

static bool link(program *p, const char *vs_src, const char *vs_name, const char *fs_src,
                 const char *fs_name, hv_error *err)
{
    GLuint vs = compile(GL_VERTEX_SHADER, vs_src, vs_name, err);
    if (!vs)
        return false;
    GLuint fs = compile(GL_FRAGMENT_SHADER, fs_src, fs_name, err);
    if (!fs) {
        glDeleteShader(vs);
        return false;
    }
    p->id = glCreateProgram();
    glAttachShader(p->id, vs);
    glAttachShader(p->id, fs);
    glLinkProgram(p->id);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(p->id, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetProgramInfoLog(p->id, sizeof log, NULL, log);
        return hv_errorf(err, "shaders/%s + %s: link error: %s", vs_name, fs_name, log);
    }
    p->u_view = glGetUniformLocation(p->id, "u_view");
    p->u_cmap = glGetUniformLocation(p->id, "u_cmap");
    p->u_cmap_row = glGetUniformLocation(p->id, "u_cmap_row");
    p->u_tex = glGetUniformLocation(p->id, "u_tex");
    p->u_flip = glGetUniformLocation(p->id, "u_flip");
    p->u_y0 = glGetUniformLocation(p->id, "u_y0");
    p->u_rect = glGetUniformLocation(p->id, "u_rect");
    p->u_values = glGetUniformLocation(p->id, "u_values");
    p->u_alpha = glGetUniformLocation(p->id, "u_alpha");
    return true;
}

static void instance_attr(GLuint loc, int n, size_t stride, size_t offset)
{
    glEnableVertexAttribArray(loc);
    glVertexAttribPointer(loc, n, GL_FLOAT, GL_FALSE, (GLsizei)stride, (const void *)offset);
    glVertexAttribDivisor(loc, 1);
}

static void quad_attr(GLuint vbo)
{
    glBindBuffer(GL_ARRAY_BUFFER, vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), (const void *)0);
}

static void upload_colormaps(hv_renderer *r)
{
    /* one row per colormap, in hv_colormap_at order */
    int n = hv_colormap_count();
    unsigned char px[16][256][3];
    if (n > 16)
        n = 16;
    for (int m = 0; m < n; m++)
        memcpy(px[m], hv_colormap_at(m)->table, sizeof px[m]);
    glGenTextures(1, &r->cmap_tex);
    glBindTexture(GL_TEXTURE_2D, r->cmap_tex);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB8, 256, n, 0, GL_RGB, GL_UNSIGNED_BYTE, px);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
}

#ifdef HV_SANITIZE_BUILD
/* LeakSanitizer reports at exit, after SDL has unloaded the GL driver
 * (Mesa's llvmpipe, LLVM), so the blocks the driver keeps for the life of
 * the process show as "<unknown module>" and no suppression can name them.
 * Sanitizer builds keep every loaded library loaded to the end: the stacks
 * then name Mesa's libraries, which tests/lsan.supp suppresses, while a leak
 * in headviz's own code still fails the tests. */
static int keep_loaded(struct dl_phdr_info *info, size_t size, void *user)
{
    (void)size;
    (void)user;
    if (info->dlpi_name && info->dlpi_name[0])
        dlopen(info->dlpi_name, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE);
    return 0;
}
#endif

hv_renderer *hv_renderer_create(const hv_renderer_desc *desc, hv_text *text, hv_error *err)
{
#ifdef __EMSCRIPTEN__
    (void)desc;
    hv_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        hv_errorf(err, "out of memory");
        return NULL;
    }
    r->text = text;
    r->ctx = true; /* the page's WebGL2 context, made current by the caller */
#else
    if (!SDL_WasInit(SDL_INIT_VIDEO) && SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        hv_errorf(err, "cannot initialise video: %s", SDL_GetError());
        return NULL;
    }
    hv_renderer *r = calloc(1, sizeof *r);
    if (!r) {
        hv_errorf(err, "out of memory");
        return NULL;
    }
    r->text = text;
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 3);
    SDL_GL_SetAttribute(SDL_GL_CONTEXT_PROFILE_MASK, SDL_GL_CONTEXT_PROFILE_CORE);
    SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
    SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
    SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
    Uint32 flags = SDL_WINDOW_OPENGL;
    if (desc->visible)
        flags |= SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI;
    else
        flags |= SDL_WINDOW_HIDDEN;
    int w = desc->visible ? desc->width : 16, h = desc->visible ? desc->height : 16;
    r->win = SDL_CreateWindow(desc->title ? desc->title : "headviz", SDL_WINDOWPOS_CENTERED,
                              SDL_WINDOWPOS_CENTERED, w, h, flags);
    if (!r->win) {
        hv_errorf(err, "cannot create a window: %s", SDL_GetError());
        free(r);
        return NULL;
    }
    r->ctx = SDL_GL_CreateContext(r->win);
    if (!r->ctx) {
        hv_errorf(err, "cannot create an OpenGL 3.3 core context: %s", SDL_GetError());
        SDL_DestroyWindow(r->win);
        free(r);
        return NULL;
    }
    SDL_GL_MakeCurrent(r->win, r->ctx);
#ifdef HV_SANITIZE_BUILD
    dl_iterate_phdr(keep_loaded, NULL);
#endif
    if (desc->visible && desc->vsync && SDL_GL_SetSwapInterval(-1) != 0)
        SDL_GL_SetSwapInterval(1);
    if (!desc->visible)
        SDL_GL_SetSwapInterval(0);
#endif
    snprintf(r->info, sizeof r->info, "%s / %s", (const char *)glGetString(GL_VERSION),
             (const char *)glGetString(GL_RENDERER));

    if (!link(&r->p_rect, hv_shader_rect_vert, "rect.vert", hv_shader_rect_frag, "rect.frag", err) ||
        !link(&r->p_marker, hv_shader_marker_vert, "marker.vert", hv_shader_marker_frag,
              "marker.frag", err) ||
        !link(&r->p_text, hv_shader_text_vert, "text.vert", hv_shader_text_frag, "text.frag", err) ||
        !link(&r->p_heat, hv_shader_heatmap_vert, "heatmap.vert", hv_shader_heatmap_frag, "heatmap.frag", err)) {
        hv_renderer_destroy(r);
        return NULL;
    }
    static const float quad[8] = {0, 0, 1, 0, 0, 1, 1, 1};
    glGenBuffers(1, &r->quad_vbo);
    glBindBuffer(GL_ARRAY_BUFFER, r->quad_vbo);
    glBufferData(GL_ARRAY_BUFFER, sizeof quad, quad, GL_STATIC_DRAW);

    glGenVertexArrays(1, &r->rect_vao);
    glBindVertexArray(r->rect_vao);
    quad_attr(r->quad_vbo);
    glGenBuffers(1, &r->rect_vbo);
    glBindBuffer(GL_ARRAY_BUFFER, r->rect_vbo);
    instance_attr(1, 4, sizeof(rect_inst), offsetof(rect_inst, rect));
    instance_attr(2, 4, sizeof(rect_inst), offsetof(rect_inst, color));
    instance_attr(3, 3, sizeof(rect_inst), offsetof(rect_inst, cbar));

    glGenVertexArrays(1, &r->marker_vao);
    glBindVertexArray(r->marker_vao);
    quad_attr(r->quad_vbo);
    glGenBuffers(1, &r->marker_vbo);
    glBindBuffer(GL_ARRAY_BUFFER, r->marker_vbo);
    instance_attr(1, 4, sizeof(marker_inst), offsetof(marker_inst, geom));
    instance_attr(2, 4, sizeof(marker_inst), offsetof(marker_inst, fill));
    instance_attr(3, 4, sizeof(marker_inst), offsetof(marker_inst, outline));
    instance_attr(4, 4, sizeof(marker_inst), offsetof(marker_inst, params));

    glGenVertexArrays(1, &r->heat_vao);
    glBindVertexArray(r->heat_vao);
    quad_attr(r->quad_vbo);

    glGenVertexArrays(1, &r->text_vao);
    glBindVertexArray(r->text_vao);
    glGenBuffers(1, &r->text_vbo);
    glBindBuffer(GL_ARRAY_BUFFER, r->text_vbo);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 8 * sizeof(float), (const void *)0);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 8 * sizeof(float), (const void *)(2 * sizeof(float)));
    glEnableVertexAttribArray(2);
    glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, 8 * sizeof(float), (const void *)(4 * sizeof(float)));
    glBindVertexArray(0);

    upload_colormaps(r);
    GLint maxrb = 0, maxtex = 0, maxvp[2] = {0, 0};
    glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &maxrb);
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &maxtex);
    glGetIntegerv(GL_MAX_VIEWPORT_DIMS, maxvp);
    int m = maxrb < maxtex ? maxrb : maxtex;
    if (maxvp[0] && maxvp[0] < m)
        m = maxvp[0];
    if (maxvp[1] && maxvp[1] < m)
        m = maxvp[1];
    r->max_size = m;
    return r;
}


void hv_renderer_destroy(hv_renderer *r)
{
    if (!r)
        return;
#ifdef HV_SANITIZE_BUILD
    dl_iterate_phdr(keep_loaded, NULL);
#endif
    if (r->ctx) {
        if (r->text)
            hv_text_release_gl(r->text);
        GLuint bufs[4] = {r->quad_vbo, r->rect_vbo, r->marker_vbo, r->text_vbo};
        glDeleteBuffers(4, bufs);
        GLuint vaos[4] = {r->rect_vao, r->marker_vao, r->text_vao, r->heat_vao};
        glDeleteVertexArrays(4, vaos);
        if (r->n_heat_tex)
            glDeleteTextures(r->n_heat_tex, r->heat_tex);
        glDeleteTextures(1, &r->cmap_tex);
        if (r->fbo) {
            glDeleteFramebuffers(1, &r->fbo);
            glDeleteTextures(1, &r->fbo_color);
        }
        if (r->p_rect.id)
            glDeleteProgram(r->p_rect.id);
        if (r->p_marker.id)
            glDeleteProgram(r->p_marker.id);
        if (r->p_text.id)
            glDeleteProgram(r->p_text.id);
        if (r->p_heat.id)
            glDeleteProgram(r->p_heat.id);
#ifndef __EMSCRIPTEN__
        SDL_GL_DeleteContext(r->ctx);
#endif
    }
#ifndef __EMSCRIPTEN__
    if (r->win)
        SDL_DestroyWindow(r->win);
#endif
    free(r->rects);
    free(r->markers);
    free(r->text_verts);
    free(r->text_tex);
    free(r->heat_tex);
    free(r->heat_buf);
    free(r);
}

SDL_Window *hv_renderer_window(hv_renderer *r) { return r->win; }
void hv_renderer_set_text(hv_renderer *r, hv_text *text) { r->text = text; }
const char *hv_renderer_info(hv_renderer *r) { return r->info; }
int hv_renderer_max_size(hv_renderer *r) { return r->max_size; }

#ifdef __EMSCRIPTEN__
void hv_renderer_drawable_size(hv_renderer *r, int *w, int *h)
{
    (void)r;
    emscripten_get_canvas_element_size("#canvas", w, h);
}
#else
void hv_renderer_drawable_size(hv_renderer *r, int *w, int *h) { hv_window_drawable_size(r->win, w, h); }
#endif

static bool reserve(void **buf, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return true;
    int nc = *cap ? *cap : 256;
    while (nc < need)
        nc *= 2;
    void *nb = realloc(*buf, (size_t)nc * elem);
    if (!nb)
        return false;
    *buf = nb;
    *cap = nc;
    return true;
}

/* Scissor for a clipped command, in the band [band_y0, band_y0 + band_h). */
static void set_clip(const hv_cmd *c, bool top_first, int band_y0, int band_h)
{
    if (!c->clipped) {
        glDisable(GL_SCISSOR_TEST);
        return;
    }
    glEnable(GL_SCISSOR_TEST);
    int x0 = (int)floorf(c->clip.x), y0 = (int)floorf(c->clip.y) - band_y0;
    int x1 = (int)ceilf(c->clip.x + c->clip.w), y1 = (int)ceilf(c->clip.y + c->clip.h) - band_y0;
    glScissor(x0, top_first ? y0 : band_h - y1, x1 - x0, y1 - y0);
}

static unsigned char unorm8(float x) { return (unsigned char)lrintf((x > 1 ? 1 : x > 0 ? x : 0) * 255.0f); }

/* One R32F texture per heatmap item, its cells' colormap positions (NaN,
 * "no score", as -1), uploaded before any draw like the rest of the frame. */
static bool upload_heatmaps(hv_renderer *r, const hv_drawlist *dl)
{
    if (dl->n_heatmaps > r->n_heat_tex) {
        GLuint *nt = realloc(r->heat_tex, (size_t)dl->n_heatmaps * sizeof *nt);
        if (!nt)
            return false;
        r->heat_tex = nt;
        glGenTextures(dl->n_heatmaps - r->n_heat_tex, r->heat_tex + r->n_heat_tex);
        for (int i = r->n_heat_tex; i < dl->n_heatmaps; i++) {
            glBindTexture(GL_TEXTURE_2D, r->heat_tex[i]);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
            glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        }
        r->n_heat_tex = dl->n_heatmaps;
    }
    glActiveTexture(GL_TEXTURE2);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    /* each cell's colour worked out here, once (as the CPU raster and the
     * vector backend do: hv_colormap_sample), so the shader only fetches
     * it: two texture lookups a pixel cost llvmpipe more than the rest of
     * a heatmap frame */
    const hv_colormap *cm = hv_colormap_at(dl->colormap_index);
    for (int i = 0; i < dl->n_heatmaps; i++) {
        const hv_heatmap_item *h = &dl->heatmaps[i];
        int n = h->cols * h->rows;
        if (!reserve((void **)&r->heat_buf, &r->cap_heat_buf, 4 * n, 1))
            return false;
        const float *v = hv_dl_heatmap_values(dl, h);
        const hv_color *nc = &h->nan_color;
        const unsigned char nan_px[4] = {unorm8(nc->r), unorm8(nc->g), unorm8(nc->b), unorm8(nc->a)};
        for (int k = 0; k < n; k++) {
            unsigned char *o = r->heat_buf + 4 * (size_t)k;
            if (v[k] >= 0) { /* NaN or negative: no score */
                float c[3];
                hv_colormap_sample(cm, v[k], c);
                o[0] = unorm8(c[0]), o[1] = unorm8(c[1]), o[2] = unorm8(c[2]), o[3] = 255;
            } else {
                memcpy(o, nan_px, 4);
            }
        }
        glBindTexture(GL_TEXTURE_2D, r->heat_tex[i]);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, h->cols, h->rows, 0, GL_RGBA, GL_UNSIGNED_BYTE, r->heat_buf);
    }
    glActiveTexture(GL_TEXTURE0);
    return true;
}

/* All of a frame's instance and vertex data is uploaded once, before any
 * draw: updating a buffer that queued draws still read makes llvmpipe flush
 * (rasterise) the frame so far, which would happen once per command. */
static bool upload(hv_renderer *r, const hv_drawlist *dl)
{
    int nr = dl->n_rects + dl->n_colorbars;
    if (!reserve((void **)&r->rects, &r->cap_rects, nr + 1, sizeof *r->rects) ||
        !reserve((void **)&r->markers, &r->cap_markers, dl->n_markers + 1, sizeof *r->markers) ||
        !reserve((void **)&r->text_verts, &r->cap_text_verts, dl->n_texts * 32 + 1, sizeof *r->text_verts) ||
        !reserve((void **)&r->text_tex, &r->cap_text_tex, dl->n_texts + 1, sizeof *r->text_tex))
        return false;
    for (int i = 0; i < dl->n_rects; i++) {
        const hv_rect_item *it = &dl->rects[i];
        r->rects[i] = (rect_inst){{it->r.x, it->r.y, it->r.w, it->r.h}, {it->c.r, it->c.g, it->c.b, it->c.a}, {0, 0, 0}};
    }
    for (int i = 0; i < dl->n_colorbars; i++) {
        const hv_colorbar_item *cb = &dl->colorbars[i];
        r->rects[dl->n_rects + i] =
            (rect_inst){{cb->r.x, cb->r.y, cb->r.w, cb->r.h}, {1, 1, 1, cb->alpha}, {cb->t0, cb->t1, 1}};
    }
    /* a marker's colour is looked up here, once, as the CPU raster and the
     * vector backend look it up (hv_colormap_sample): no texture fetch in
     * the shader, which llvmpipe would pay for at every vertex */
    const hv_colormap *cm = hv_colormap_at(dl->colormap_index);
    for (int i = 0; i < dl->n_markers; i++) {
        const hv_marker *m = &dl->markers[i];
        float fill[4] = {m->fill.r, m->fill.g, m->fill.b, m->fill.a};
        if (m->value >= 0) {
            hv_colormap_sample(cm, m->value, fill);
            fill[3] = 1;
        }
        r->markers[i] = (marker_inst){{m->x, m->y, m->size, m->shape},
                                      {fill[0], fill[1], fill[2], fill[3]},
                                      {m->outline.r, m->outline.g, m->outline.b, m->outline.a},
                                      {m->alpha, m->outline_w, m->stroke_w, 0}};
    }
    for (int i = 0; i < dl->n_texts; i++) {
        const hv_text_item *t = &dl->texts[i];
        int w = 0, h = 0;
        r->text_tex[i] = r->text ? hv_text_texture(r->text, hv_dl_string(dl, t), t->size, &w, &h) : 0;
        /* box origin (top-left of the unrotated box) relative to the anchor */
        /* whole pixels: a box centred on an odd width would land on half a
         * pixel and blur under linear sampling */
        float ox = -floorf((float)w * 0.5f * (float)t->ax + 0.5f), oy = -floorf((float)h * 0.5f * (float)t->ay + 0.5f);
        float corners[4][2] = {{ox, oy}, {ox + (float)w, oy}, {ox, oy + (float)h}, {ox + (float)w, oy + (float)h}};
        static const float uv[4][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
        float *v = r->text_verts + (size_t)i * 32;
        for (int k = 0; k < 4; k++) {
            float x = corners[k][0], y = corners[k][1];
            if (t->rotate == 90) { /* counter-clockwise on screen (y down) */
                float nx = y, ny = -x;
                x = nx;
                y = ny;
            }
            float *q = v + k * 8;
            q[0] = floorf(t->x + 0.5f) + x;
            q[1] = floorf(t->y + 0.5f) + y;
            q[2] = uv[k][0];
            q[3] = uv[k][1];
            q[4] = t->c.r;
            q[5] = t->c.g;
            q[6] = t->c.b;
            q[7] = t->c.a;
        }
    }
    if (!upload_heatmaps(r, dl))
        return false;
    glBindBuffer(GL_ARRAY_BUFFER, r->rect_vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)(nr + 1) * sizeof *r->rects), r->rects, GL_STREAM_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, r->marker_vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)(dl->n_markers + 1) * sizeof *r->markers), r->markers,
                 GL_STREAM_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, r->text_vbo);
    glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)((size_t)(dl->n_texts * 32 + 1) * sizeof(float)), r->text_verts,
                 GL_STREAM_DRAW);
    return true;
}

/* Points the instance attributes at instance `first` (GL 3.3 has no base
 * instance): no data moves. */
static void rect_from(hv_renderer *r, int first)
{
    size_t base = (size_t)first * sizeof(rect_inst);
    glBindBuffer(GL_ARRAY_BUFFER, r->rect_vbo);
    glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, sizeof(rect_inst), (const void *)(base + offsetof(rect_inst, rect)));
    glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, sizeof(rect_inst), (const void *)(base + offsetof(rect_inst, color)));
    glVertexAttribPointer(3, 3, GL_FLOAT, GL_FALSE, sizeof(rect_inst), (const void *)(base + offsetof(rect_inst, cbar)));
}

static void marker_from(hv_renderer *r, int first)
{
    size_t base = (size_t)first * sizeof(marker_inst);
    glBindBuffer(GL_ARRAY_BUFFER, r->marker_vbo);
    glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, sizeof(marker_inst), (const void *)(base + offsetof(marker_inst, geom)));
    glVertexAttribPointer(2, 4, GL_FLOAT, GL_FALSE, sizeof(marker_inst), (const void *)(base + offsetof(marker_inst, fill)));
    glVertexAttribPointer(3, 4, GL_FLOAT, GL_FALSE, sizeof(marker_inst),
                          (const void *)(base + offsetof(marker_inst, outline)));
    glVertexAttribPointer(4, 4, GL_FLOAT, GL_FALSE, sizeof(marker_inst),
                          (const void *)(base + offsetof(marker_inst, params)));
}

static void draw_cmd(hv_renderer *r, const hv_drawlist *dl, const hv_cmd *c)
{
    switch (c->type) {
    case HV_CMD_RECTS:
    case HV_CMD_COLORBARS:
        glUseProgram(r->p_rect.id);
        glBindVertexArray(r->rect_vao);
        rect_from(r, c->first + (c->type == HV_CMD_COLORBARS ? dl->n_rects : 0));
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, c->count);
        break;
    case HV_CMD_MARKERS:
        glUseProgram(r->p_marker.id);
        glBindVertexArray(r->marker_vao);
        marker_from(r, c->first);
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, c->count);
        break;
    case HV_CMD_HEATMAPS:
        glUseProgram(r->p_heat.id);
        glBindVertexArray(r->heat_vao);
        glActiveTexture(GL_TEXTURE2);
        for (int i = c->first; i < c->first + c->count; i++) {
            const hv_heatmap_item *h = &dl->heatmaps[i];
            glBindTexture(GL_TEXTURE_2D, r->heat_tex[i]);
            glUniform4f(r->p_heat.u_rect, h->r.x, h->r.y, h->r.w, h->r.h);
            glUniform1f(r->p_heat.u_alpha, h->alpha);
            glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
        }
        glActiveTexture(GL_TEXTURE0);
        break;
    case HV_CMD_TEXTS:
        glUseProgram(r->p_text.id);
        glBindVertexArray(r->text_vao);
        glActiveTexture(GL_TEXTURE1);
        for (int i = c->first; i < c->first + c->count; i++) {
            if (!r->text_tex[i])
                continue;
            glBindTexture(GL_TEXTURE_2D, r->text_tex[i]);
            glDrawArrays(GL_TRIANGLE_STRIP, 4 * i, 4);
        }
        glActiveTexture(GL_TEXTURE0);
        break;
    }
}

/* Sets the frame's state and uploads its data once. False on OOM. */
static bool prepare(hv_renderer *r, const hv_drawlist *dl)
{
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    float row = ((float)dl->colormap_index + 0.5f) / (float)hv_colormap_count();
    program *ps[4] = {&r->p_rect, &r->p_marker, &r->p_text, &r->p_heat};
    for (int i = 0; i < 4; i++) {
        glUseProgram(ps[i]->id);
        if (ps[i]->u_values >= 0)
            glUniform1i(ps[i]->u_values, 2);
        if (ps[i]->u_cmap >= 0)
            glUniform1i(ps[i]->u_cmap, 0);
        if (ps[i]->u_cmap_row >= 0)
            glUniform1f(ps[i]->u_cmap_row, row);
        if (ps[i]->u_tex >= 0)
            glUniform1i(ps[i]->u_tex, 1);
    }
    /* upload first: creating text textures binds them on the active unit */
    if (!upload(r, dl))
        return false;
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, r->cmap_tex);
    return true;
}

/* Draws rows [y0, y0 + h) of dl into the bound framebuffer (h rows tall).
 * top_first: store the band's top row first in memory (offscreen), so
 * read-back needs no flip. */
static void draw_band(hv_renderer *r, const hv_drawlist *dl, bool top_first, int y0, int h)
{
    glViewport(0, 0, dl->width, h);
    glDisable(GL_SCISSOR_TEST);
    const hv_color *cc = &dl->clear;
    glClearColor(cc->r * cc->a, cc->g * cc->a, cc->b * cc->a, cc->a);
    glClear(GL_COLOR_BUFFER_BIT);
    program *ps[4] = {&r->p_rect, &r->p_marker, &r->p_text, &r->p_heat};
    for (int i = 0; i < 4; i++) {
        glUseProgram(ps[i]->id);
        glUniform2f(ps[i]->u_view, (float)dl->width, (float)h);
        glUniform1f(ps[i]->u_flip, top_first ? -1.0f : 1.0f);
        glUniform1f(ps[i]->u_y0, (float)y0);
    }
    for (int i = 0; i < dl->n_cmds; i++) {
        const hv_cmd *c = &dl->cmds[i];
        if (c->clipped && (c->clip.y >= (float)(y0 + h) || c->clip.y + c->clip.h <= (float)y0))
            continue; /* entirely outside this band */
        set_clip(c, top_first, y0, h);
        draw_cmd(r, dl, c);
    }
    glDisable(GL_SCISSOR_TEST);
    glBindVertexArray(0);
}

void hv_renderer_present(hv_renderer *r, const hv_drawlist *dl)
{
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (prepare(r, dl))
        draw_band(r, dl, false, 0, dl->height);
#ifndef __EMSCRIPTEN__
    SDL_GL_SwapWindow(r->win); /* the browser shows the canvas after the frame's callback */
#endif
}

static bool ensure_fbo(hv_renderer *r, int w, int h, hv_error *err)
{
    if (r->fbo && r->fbo_w == w && r->fbo_h == h)
        return true;
    if (w < 1 || h < 1 || w > r->max_size || h > r->max_size)
        return hv_errorf(err, "size %dx%d: the GPU's framebuffer limit is %dx%d", w, h, r->max_size,
                         r->max_size);
    if (!r->fbo) {
        glGenFramebuffers(1, &r->fbo);
        glGenTextures(1, &r->fbo_color);
    }
    glBindTexture(GL_TEXTURE_2D, r->fbo_color);
    while (glGetError() != GL_NO_ERROR) {
    }
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, NULL);
    if (glGetError() != GL_NO_ERROR)
        return hv_errorf(err, "size %dx%d: the GPU cannot allocate a framebuffer that large", w, h);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, r->fbo);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, r->fbo_color, 0);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        return hv_errorf(err, "size %dx%d: framebuffer incomplete", w, h);
    r->fbo_w = w;
    r->fbo_h = h;
    return true;
}

/* Offscreen frames are drawn in horizontal bands of at most this many
 * pixels: a 3840x2160 frame needs a 3840x1080 framebuffer, not one of its
 * full size (16 MB less memory on a CPU rasteriser), at no visible cost. */
#define BAND_PIXELS (4200 * 1000)

bool hv_renderer_render(hv_renderer *r, const hv_drawlist *dl, unsigned char *px, int channels, hv_error *err)
{
    if (dl->width < 1 || dl->height < 1 || dl->width > r->max_size || dl->height > r->max_size)
        return hv_errorf(err, "size %dx%d: the GPU's framebuffer limit is %dx%d", dl->width, dl->height,
                         r->max_size, r->max_size);
    int bands = (int)(((long long)dl->width * dl->height + BAND_PIXELS - 1) / BAND_PIXELS);
    int band_h = (dl->height + bands - 1) / bands;
    if (!ensure_fbo(r, dl->width, band_h, err))
        return false;
    uint64_t t0 = hv_stage_begin(HV_STAGE_DRAW);
    glBindFramebuffer(GL_FRAMEBUFFER, r->fbo);
    if (!prepare(r, dl))
        return hv_errorf(err, "out of memory drawing a %dx%d frame", dl->width, dl->height);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    size_t stride = (size_t)dl->width * (size_t)channels;
    for (int y0 = 0; y0 < dl->height; y0 += band_h) {
        int h = dl->height - y0 < band_h ? dl->height - y0 : band_h;
        draw_band(r, dl, true, y0, h); /* top row first: read back as is */
        if (!px) { /* only drawn: wait for the rasteriser, read nothing */
            glFinish();
            hv_stage_end(HV_STAGE_DRAW, t0);
            t0 = hv_stage_begin(HV_STAGE_DRAW);
            continue;
        }
        if (t0) { /* timed: rasterising apart from reading back */
            glFinish();
            hv_stage_end(HV_STAGE_DRAW, t0);
            t0 = hv_stage_begin(HV_STAGE_READBACK);
        }
        glReadPixels(0, 0, dl->width, h, channels == 3 ? GL_RGB : GL_RGBA, GL_UNSIGNED_BYTE,
                     px + (size_t)y0 * stride);
        if (t0) {
            hv_stage_end(HV_STAGE_READBACK, t0);
            t0 = hv_stage_begin(HV_STAGE_DRAW);
        }
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    /* blending leaves premultiplied colour: un-premultiply partly
     * transparent pixels for straight-alpha PNG and video */
    if (px && channels == 4 && dl->clear.a < 1.0f) {
        size_t n = (size_t)dl->width * (size_t)dl->height;
        for (size_t i = 0; i < n; i++) {
            unsigned char *p = px + i * 4;
            unsigned a = p[3];
            if (a != 0 && a != 255)
                for (int k = 0; k < 3; k++) {
                    unsigned v = (p[k] * 255u + a / 2) / a;
                    p[k] = (unsigned char)(v > 255 ? 255 : v);
                }
        }
    }
    return true;
}

bool hv_renderer_render_rgba(hv_renderer *r, const hv_drawlist *dl, unsigned char *rgba, hv_error *err)
{
    return hv_renderer_render(r, dl, rgba, 4, err);
}
