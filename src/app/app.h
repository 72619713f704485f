/* app: loads the data and spec, then renders a screenshot headless or runs
 * the live player in a window. The player is a small state machine driven by
 * SDL events and elapsed time (hv_app_event, hv_app_tick) so tests can inject
 * events without a display. Exit codes: 0 success, 2 bad usage or bad input,
 * 1 runtime failure. */
#ifndef HV_APP_H
#define HV_APP_H

#include <pthread.h>
#include <stdbool.h>

#include "../core/anim.h"
#include "../core/figure.h"
#include "cli.h"
#include "player.h"
#include "view.h"

/* Exit codes of the program. */
#define HV_EXIT_RUNTIME 1     /* a runtime failure */
#define HV_EXIT_USAGE 2       /* bad usage or bad input */
#define HV_EXIT_INTERRUPTED 130

typedef struct hv_renderer hv_renderer;
typedef struct hv_encoder hv_encoder;
typedef struct hv_text hv_text;
typedef union SDL_Event SDL_Event;

typedef struct hv_app {
    hv_options opt;
    /* the data shown, the player, the frame: what the window shares with
     * the web page (view.h) */
    hv_view view;
    hv_spec spec;
    hv_text *text;
    hv_renderer *ren;
    /* fonts load on a thread while the GL context is created */
    pthread_t font_thread;
    bool font_pending;
    hv_error font_err;
    /* the context's name (CLI over spec; its scale is view.context) */
    int context_id; /* hv_context */
    bool fit_checked; /* the output size was checked against the layout (check_fit) */
    bool fullscreen;
    /* --present: what the terminal was last told (tell_terminal) */
    unsigned said_seq;
    char said_number[8];
    /* window exports: PNGs are encoded on worker threads */
    hv_encoder *enc;
    char last_stamp[32];
    int stamp_seq;
    bool recording;
    char rec_dir[256];
    int rec_frames, rec_w, rec_h;
    double rec_clock, rec_next;
} hv_app;

/* Parses argv and loads data/spec/fonts. Returns -1 to go on, or an exit
 * code (0 after --help / --version). */
int hv_app_init(hv_app *a, int argc, char **argv);
void hv_app_shutdown(hv_app *a);
/* The frame just built (a->view.dl) as pixels (channels 3 or 4, top row first):
 * drawn by the GL renderer, or with --renderer cpu by cairo
 * (hv_vector_raster). hv_app_pixels returns them malloc'd (NULL with err),
 * hv_app_raster writes them into px. */
unsigned char *hv_app_pixels(hv_app *a, int channels, hv_error *err);
bool hv_app_raster(hv_app *a, unsigned char *px, int channels, hv_error *err);
/* Creates the GL context: a visible window or a hidden one (headless). */
int hv_app_open(hv_app *a, bool visible);
/* Initialises SDL video for headless work (the offscreen driver unless
 * SDL_VIDEODRIVER says otherwise) and opens a hidden context. */
int hv_app_open_headless(hv_app *a);

/* The player: SDL events translated into hv_player keys. */
void hv_app_event(hv_app *a, const SDL_Event *ev);
void hv_app_tick(hv_app *a, double dt);
bool hv_app_animating(const hv_app *a);
double hv_app_progress(const hv_app *a);
/* Window exports, off the render thread: S saves a PNG at the window's size
 * (or --size); R starts/stops recording frames into a new folder at --fps
 * (default 60). hv_app_record renders the frames due after a tick. */
bool hv_app_screenshot(hv_app *a, char *path, size_t size, hv_error *err);
bool hv_app_toggle_recording(hv_app *a, hv_error *err);
void hv_app_record(hv_app *a);

/* Builds the frame (figure + overlays when `overlays`) at w x h into
 * a->view.dl (hv_view_build). */
void hv_app_build(hv_app *a, int w, int h, bool overlays);

/* The output's size in pixels (--size, a physical size at --dpi, else
 * 1920x1080): -1, or an exit code (message printed). */
int hv_app_output_size(hv_app *a, int *w, int *h);
/* The page of a vector output in points: a physical --size, or the pixels
 * at --dpi (96). */
void hv_app_page_size(const hv_app *a, int w, int h, double *pw, double *ph);
/* Waits for the fonts (loaded on a thread): -1, or an exit code. */
int hv_app_open_fonts(hv_app *a);

int hv_app_main(int argc, char **argv);

#endif
