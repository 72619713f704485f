/* renderer: draws an hv_drawlist with OpenGL 3.3 core (SDL2 owns the window
 * and the context; libepoxy resolves GL entry points).
 *
 * Does: create a GL context (a visible resizable window, or a hidden one for
 * headless work with SDL_VIDEODRIVER=offscreen), compile the embedded shaders
 * from shaders/, draw a draw list into the window or an offscreen framebuffer
 * of any size up to the GPU's limit, read pixels back top-down as RGBA8.
 * Does NOT: build figures or write files. */
#ifndef HV_RENDERER_H
#define HV_RENDERER_H

#include <stdbool.h>

#include "../core/drawlist.h"
#include "../core/hv_error.h"
#include "text.h"

typedef struct hv_renderer hv_renderer;
typedef struct SDL_Window SDL_Window;

typedef struct hv_renderer_desc {
    bool visible;      /* open a window (else a hidden 16x16 one for a context) */
    int width, height; /* window size in screen coordinates */
    const char *title;
    bool vsync;
} hv_renderer_desc;

hv_renderer *hv_renderer_create(const hv_renderer_desc *desc, hv_text *text, hv_error *err);
void hv_renderer_destroy(hv_renderer *r);
/* The fonts to draw text with (may be set after creation). */
void hv_renderer_set_text(hv_renderer *r, hv_text *text);
SDL_Window *hv_renderer_window(hv_renderer *r);
/* e.g. "OpenGL 4.5 (Core Profile) Mesa 22.3.6 / llvmpipe (LLVM 15.0.6, 256 bits)" */
const char *hv_renderer_info(hv_renderer *r);
/* Largest width/height an offscreen target may have. */
int hv_renderer_max_size(hv_renderer *r);

/* Draws into the window's back buffer (size = drawable size) and swaps. */
void hv_renderer_present(hv_renderer *r, const hv_drawlist *dl);
/* Drawable size of the window in pixels as it really is now (high-DPI
 * aware; window.h). */
void hv_renderer_drawable_size(hv_renderer *r, int *w, int *h);

/* Draws into an offscreen framebuffer of dl's size and reads it back into
 * rgba (w*h*4 bytes, top row first, straight alpha). */
bool hv_renderer_render_rgba(hv_renderer *r, const hv_drawlist *dl, unsigned char *rgba, hv_error *err);
/* Same with 3 (RGB) or 4 (RGBA) bytes per pixel. px NULL: only draws and
 * waits until drawn (glFinish), what a window frame costs before its swap. */
bool hv_renderer_render(hv_renderer *r, const hv_drawlist *dl, unsigned char *px, int channels, hv_error *err);

#endif
