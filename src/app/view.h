/* view: one figure being looked at and played, as the window (app.c) and
 * the web page (src/web/main.c) both show it: the data shown, the player's
 * state machine, the models faded in and out, the mouse, and the frame
 * built from them (the figure at the player's moment, hover highlights,
 * the status band, notices, the tooltip and the help).
 *
 * Pure: no SDL, no GL, no clock, no file; text is measured through the
 * core's callback. The platform layer owns the window or canvas, maps its
 * keys to hv_key, feeds time (hv_view_tick) and the mouse, and draws
 * v->dl. Does NOT: load data, draw pixels, or act on what needs the
 * platform (fullscreen, screenshots, recording, quitting). */
#ifndef HV_VIEW_H
#define HV_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/anim.h"
#include "../core/figure.h"
#include "player.h"

#define HV_VIEW_TIP_LINES 12

typedef struct hv_view {
    hv_dataset all; /* every scored head that was read */
    hv_dataset ds;  /* each (model, condition)'s top k: what markers show */
    bool rank_abs;  /* ranked by |score| */
    hv_figure fig;
    hv_anim anim;
    hv_anim_opts aopt;
    hv_timeline tl;
    /* sizes: the context, font scale and legend place */
    float context, font_scale;
    int legend;
    int theme; /* hv_theme_id */
    hv_measure_fn measure;
    void *measure_user;
    /* the help's lines ("key\twhat it does"), the platform's own */
    const char *const *help;
    int n_help;
    /* the player: a pure state machine (player.h) */
    hv_player player;
    float model_target[HV_MAX_MODELS], model_alpha[HV_MAX_MODELS];
    float mouse_x, mouse_y; /* drawable px */
    bool mouse_in;
    /* the frame last built */
    hv_drawlist dl;
    hv_panel_state panels[HV_MAX_PANELS];
    int n_panels;
    hv_frame_desc desc;
    hv_figure_layout layout;
    int hover_panel, hover_point; /* -1: none */
    char tip[HV_VIEW_TIP_LINES][HV_TEXT_MAX + 32]; /* the tooltip's lines */
    int n_tip;
    char status[512];
    /* the status line's "n of m heads shared", per model and condition
     * (sorting every head of a large grid each frame would cost more than
     * drawing it) */
    int shared[HV_MAX_MODELS][HV_MAX_CONDITIONS][2];
    bool shared_known[HV_MAX_MODELS][HV_MAX_CONDITIONS];
} hv_view;

/* What a frame is built for. */
typedef struct hv_view_frame {
    int width, height;  /* px */
    bool overlays;      /* the player's overlays; false: the figure alone (exports) */
    bool transparent;   /* figure and plot backgrounds transparent */
    float unit;         /* px per reference px of a physical size (0: none) */
    bool band;          /* a band at the bottom kept for the status line and notices (the window);
                           false: kept only while the status line shows (the page) */
    const char *mark;   /* at the right of the band ("REC 12 frames"), or NULL */
} hv_view_frame;

/* Before loading: no hover, every model shown. */
void hv_view_init(hv_view *v);
/* Frees what the view allocated (the data, figure, animation, draw list). */
void hv_view_free(hv_view *v);

double hv_view_progress(const hv_view *v);
/* A transition, playing, or a model fading in or out. */
bool hv_view_animating(const hv_view *v);
/* Advances the player and the fades by dt seconds (clamped to 0..0.25 so a
 * stall does not skip a transition); returns the dt used. */
double hv_view_tick(hv_view *v, double dt);
/* The layout, matching, easing or theme actions (L, M, E, T), with their
 * notices: true when `act` was one of them (the others are the
 * platform's). When the animation refuses the options, err says why. */
bool hv_view_act(hv_view *v, hv_action act, hv_error *err);
/* A click at the mouse: a legend entry toggles its model. True when it did. */
bool hv_view_click(hv_view *v);

/* The type scale of the overlays: the figure's. */
float hv_view_overlay_scale(const hv_view *v, int w, int h);
/* "Condition · step 2 of 3 · paused · layout side, ... · H: help". */
void hv_view_status_line(hv_view *v, char *out, size_t size);
/* Builds the frame into v->dl (and v->layout, v->tip). */
void hv_view_build(hv_view *v, const hv_view_frame *f);

#endif
