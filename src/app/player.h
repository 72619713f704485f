/* player: the live window's state machine, pure (no SDL, no clock): keys
 * and elapsed time in, the moment to draw and what to overlay out. The SDL
 * event layer (app.c) only translates events into hv_player_key calls, so
 * tests drive every behaviour without a window.
 *
 * A clicker behaves as in Keynote and PowerPoint. The player stops on
 * steps (the states of the timeline: the side layout's step k shows
 * conditions 1..k+1, the morphing layouts' step k shows condition k+1):
 *   next (Right, PageDown, Space on a clicker)  animates to the next step;
 *                        on the last step it does nothing (no wrap)
 *   prev (Left, PageUp)  animates back to the previous step (reversed)
 *   Home / End           the first / last step, at once
 *   B / W                a black / white screen; any key returns
 *   digits, Enter        go to that step (1-based), at once
 *   play (P)             plays through the steps and stops on the last
 * With loop (--loop, kiosks) next wraps from the last step to the first,
 * prev from the first to the last, and play cycles for ever.
 * Esc closes an open overlay (help, a number being typed, a blank screen)
 * and quits only when none is open; Q quits. */
#ifndef HV_PLAYER_H
#define HV_PLAYER_H

#include <stdbool.h>

#include "../core/anim.h"

typedef enum hv_key {
    HV_KEY_NONE,
    HV_KEY_NEXT,
    HV_KEY_PREV,
    HV_KEY_FIRST,
    HV_KEY_LAST,
    HV_KEY_PLAY,
    HV_KEY_BLACK,
    HV_KEY_WHITE,
    HV_KEY_DIGIT, /* with hv_player_key's digit */
    HV_KEY_ENTER,
    HV_KEY_BACKSPACE,
    HV_KEY_ESCAPE,
    HV_KEY_QUIT,
    HV_KEY_HELP,
    HV_KEY_HUD,
    /* handed to the application as actions */
    HV_KEY_LAYOUT,
    HV_KEY_HEATMAP,
    HV_KEY_MATCH,
    HV_KEY_EASING,
    HV_KEY_THEME,
    HV_KEY_FULLSCREEN,
    HV_KEY_SCREENSHOT,
    HV_KEY_RECORD,
} hv_key;

typedef enum hv_action {
    HV_ACT_NONE,
    HV_ACT_LAYOUT,
    HV_ACT_HEATMAP,
    HV_ACT_MATCH,
    HV_ACT_EASING,
    HV_ACT_THEME,
    HV_ACT_FULLSCREEN,
    HV_ACT_SCREENSHOT,
    HV_ACT_RECORD,
} hv_action;

typedef enum hv_blank { HV_BLANK_NONE, HV_BLANK_BLACK, HV_BLANK_WHITE } hv_blank;

typedef enum hv_notice_kind {
    HV_NOTICE_EVENT,   /* "saved a.png": stays true */
    HV_NOTICE_SETTING, /* "layout morph": replaced by the next change */
    HV_NOTICE_STEP,    /* "step 2 of 3": cleared when the step changes */
} hv_notice_kind;

#define HV_NOTICE_S 2.5   /* how long a notice stays */
#define HV_POINTER_IDLE_S 2.0 /* --present hides the pointer after this */

typedef struct hv_player {
    hv_timeline tl;
    int n_steps;
    bool loop;
    bool present;
    double t;            /* timeline time, s, in [0, period) */
    bool playing;
    bool stepping;       /* running to stop_at, then snap_to */
    int dir;             /* +1 forward, -1 backward */
    double stop_at, snap_to;
    hv_blank blank;
    bool help, hud;
    char number[8];      /* digits typed before Enter */
    /* A short message ("saved ...", "step 2 of 3"). A notice always describes
     * the state shown: one about the step (HV_NOTICE_STEP) goes as soon as
     * the step changes; one about a setting is replaced when the setting
     * changes again; one about an event ("saved ...") is true for good. */
    char notice[256];
    int notice_kind;     /* hv_notice_kind */
    double notice_left;  /* s */
    unsigned notice_seq; /* counts notices (--present says each once on stderr) */
    double idle;         /* s since the mouse moved */
    bool quit;
    bool dirty;          /* something visible changed */
} hv_player;

/* Starts paused at progress (the first step is 0). */
void hv_player_init(hv_player *p, const hv_timeline *tl, int n_steps, bool loop, bool present, double progress);
/* A key press; digit is 0..9 with HV_KEY_DIGIT. Returns what the
 * application must do (theme, layout, screenshot, ...), or HV_ACT_NONE. */
hv_action hv_player_key(hv_player *p, hv_key key, int digit);
void hv_player_tick(hv_player *p, double dt);
void hv_player_mouse_moved(hv_player *p);
/* Shows a notice for HV_NOTICE_S seconds. */
void hv_player_notice(hv_player *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void hv_player_notice_kind(hv_player *p, hv_notice_kind kind, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
/* The notice to show now ("" when none): the number being typed ("go to
 * step 12 (Enter)") comes first. */
const char *hv_player_notice_text(const hv_player *p, char *buf, int size);

double hv_player_progress(const hv_player *p);
/* The step shown (at rest), or the one being left. */
int hv_player_step(const hv_player *p);
bool hv_player_animating(const hv_player *p);
/* --present: the pointer is hidden after HV_POINTER_IDLE_S without motion */
bool hv_player_pointer_hidden(const hv_player *p);

#endif
