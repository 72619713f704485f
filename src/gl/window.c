#include "window.h"

#include <SDL.h>
#include <stdlib.h>
#include <string.h>

#ifdef HV_HAVE_X11
#include <SDL_syswm.h>
#include <X11/Xatom.h>
#include <X11/Xlib.h>

static bool x11_window(SDL_Window *win, Display **dpy, Window *xw)
{
    SDL_SysWMinfo info;
    SDL_VERSION(&info.version);
    if (!SDL_GetWindowWMInfo(win, &info) || info.subsystem != SDL_SYSWM_X11 || !info.info.x11.display)
        return false;
    *dpy = info.info.x11.display;
    *xw = info.info.x11.window;
    return true;
}

/* An EWMH window manager names its check window on the root. */
static bool wm_running(Display *dpy)
{
    Atom check = XInternAtom(dpy, "_NET_SUPPORTING_WM_CHECK", True);
    if (check == None)
        return false;
    Atom type;
    int format;
    unsigned long n = 0, after;
    unsigned char *data = NULL;
    int rc = XGetWindowProperty(dpy, DefaultRootWindow(dpy), check, 0, 1, False, XA_WINDOW, &type, &format, &n,
                                &after, &data);
    if (data)
        XFree(data);
    return rc == Success && n > 0;
}

/* the windowed geometry to return to after a self-made fullscreen */
static struct {
    SDL_Window *win;
    int x, y, w, h;
} g_restore;
#endif

void hv_window_drawable_size(SDL_Window *win, int *w, int *h)
{
    SDL_GL_GetDrawableSize(win, w, h);
#ifdef HV_HAVE_X11
    /* X11 has no high-DPI scaling in SDL2: the X window's size is the
     * drawable's, and the server's answer is the truth */
    Display *dpy;
    Window xw;
    XWindowAttributes at;
    if (x11_window(win, &dpy, &xw) && XGetWindowAttributes(dpy, xw, &at) && at.width > 0 && at.height > 0) {
        *w = at.width;
        *h = at.height;
    }
#endif
}

void hv_window_set_fullscreen(SDL_Window *win, bool on)
{
#ifdef HV_HAVE_X11
    Display *dpy;
    Window xw;
    bool self = false;
    const char *no_self = getenv("HEADVIZ_NO_SELF_FULLSCREEN");
    if ((!no_self || strcmp(no_self, "1") != 0) && x11_window(win, &dpy, &xw) && !wm_running(dpy))
        self = true;
    XWindowAttributes at;
    if (self && on && XGetWindowAttributes(dpy, xw, &at)) {
        g_restore.win = win;
        g_restore.x = at.x;
        g_restore.y = at.y;
        g_restore.w = at.width;
        g_restore.h = at.height;
    }
#endif
    SDL_SetWindowFullscreen(win, on ? SDL_WINDOW_FULLSCREEN_DESKTOP : 0);
#ifdef HV_HAVE_X11
    if (!self)
        return;
    /* no window manager to honour _NET_WM_STATE_FULLSCREEN: do it here */
    if (on) {
        SDL_Rect b;
        int d = SDL_GetWindowDisplayIndex(win);
        if (SDL_GetDisplayBounds(d < 0 ? 0 : d, &b) != 0)
            return;
        XMoveResizeWindow(dpy, xw, b.x, b.y, (unsigned)b.w, (unsigned)b.h);
        XRaiseWindow(dpy, xw);
    } else if (g_restore.win == win && g_restore.w > 0) {
        XMoveResizeWindow(dpy, xw, g_restore.x, g_restore.y, (unsigned)g_restore.w, (unsigned)g_restore.h);
    }
    XFlush(dpy);
#endif
}
