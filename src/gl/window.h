/* window: the live window's size and fullscreen, as they really are.
 *
 * Does: report the drawable's size in pixels as the window system has it now
 * (SDL's own idea can run ahead of it: on an X server without a window
 * manager SDL reports a fullscreen window's screen size while the window was
 * never resized), and ask for fullscreen in a way that also works with no
 * window manager to grant it (the window is moved over its screen itself).
 * Does NOT: draw, or decide the layout (the caller lays the figure out for
 * the size it is given). */
#ifndef HV_WINDOW_H
#define HV_WINDOW_H

#include <stdbool.h>

typedef struct SDL_Window SDL_Window;

/* The drawable's size in pixels now (high-DPI aware). */
void hv_window_drawable_size(SDL_Window *win, int *w, int *h);
/* Fullscreen on or off (the desktop's resolution, no mode change). Without
 * a window manager on X11 the window is moved and sized over its display
 * (and back when leaving). HEADVIZ_NO_SELF_FULLSCREEN=1 leaves it to the
 * window manager alone (tests of a refused fullscreen). */
void hv_window_set_fullscreen(SDL_Window *win, bool on);

#endif
