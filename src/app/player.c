#include "player.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hv_player_init(hv_player *p, const hv_timeline *tl, int n_steps, bool loop, bool present, double progress)
{
    memset(p, 0, sizeof *p);
    p->tl = *tl;
    p->n_steps = n_steps < 1 ? 1 : n_steps > tl->n_states ? tl->n_states : n_steps;
    p->loop = loop;
    p->present = present;
    p->hud = !present;
    p->dir = 1;
    p->t = hv_timeline_time(tl, progress);
    p->dirty = true;
}

static double seg(const hv_player *p) { return p->tl.hold + p->tl.transition; }
static double period(const hv_player *p) { return hv_timeline_period(&p->tl); }

double hv_player_progress(const hv_player *p) { return hv_timeline_progress(&p->tl, p->t); }

int hv_player_step(const hv_player *p)
{
    int k = (int)floor(hv_player_progress(p));
    return k < 0 ? 0 : k >= p->n_steps ? p->n_steps - 1 : k;
}

bool hv_player_animating(const hv_player *p) { return p->playing || p->stepping || p->notice_left > 0; }

bool hv_player_pointer_hidden(const hv_player *p) { return p->present && p->idle >= HV_POINTER_IDLE_S; }

static void vnotice(hv_player *p, hv_notice_kind kind, const char *fmt, va_list ap)
{
    vsnprintf(p->notice, sizeof p->notice, fmt, ap);
    p->notice_kind = (int)kind;
    p->notice_left = HV_NOTICE_S;
    p->notice_seq++;
    p->dirty = true;
}

void hv_player_notice(hv_player *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnotice(p, HV_NOTICE_EVENT, fmt, ap);
    va_end(ap);
}

void hv_player_notice_kind(hv_player *p, hv_notice_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vnotice(p, kind, fmt, ap);
    va_end(ap);
}

const char *hv_player_notice_text(const hv_player *p, char *buf, int size)
{
    if (p->number[0])
        snprintf(buf, (size_t)size, "go to step %s (Enter)", p->number);
    else if (p->notice[0] && p->notice_left > 0)
        snprintf(buf, (size_t)size, "%s", p->notice);
    else if (size > 0)
        buf[0] = '\0';
    return buf;
}

/* The step is about to change: a notice about the step is no longer true. */
static void step_changes(hv_player *p)
{
    if (p->notice_kind == HV_NOTICE_STEP && p->notice[0]) {
        p->notice[0] = '\0';
        p->notice_left = 0;
    }
}

static void jump(hv_player *p, int step)
{
    step_changes(p);
    p->playing = p->stepping = false;
    p->t = step * seg(p);
    p->dirty = true;
}

/* The step being left when moving between k and k+1 (progress in (k, k+1)). */
static void step(hv_player *p, int dir)
{
    int n = p->n_steps;
    double P = hv_player_progress(p);
    int k = (int)floor(P);
    bool moving = P - k > 0;
    bool was_stepping_fwd = p->stepping && p->dir > 0;
    p->playing = false;
    step_changes(p);
    if (dir > 0) {
        /* from a hold, or mid-transition k -> k+1: to step k+1; a second
         * press while stepping finishes this step and starts the next */
        if (moving && was_stepping_fwd)
            k = k + 1;
        if (k >= n - 1 && !p->loop) { /* the last step: nothing (no wrap) */
            if (moving)
                jump(p, n - 1);
            return;
        }
        k %= n;
        p->stepping = true;
        p->dir = 1;
        p->t = k * seg(p) + p->tl.hold;
        p->stop_at = (k + 1) * seg(p);
        /* the last step's transition wraps to the first only with loop */
        p->snap_to = fmod(p->stop_at, period(p));
    } else {
        if (!moving && k == 0 && !p->loop)
            return; /* the first step: nothing */
        int target = moving ? k : (k - 1 + n) % n;
        double end = moving ? p->t : (k == 0 ? period(p) : k * seg(p)) - 1e-9;
        p->stepping = true;
        p->dir = -1;
        p->t = end;
        p->stop_at = target * seg(p) + p->tl.hold;
        p->snap_to = target * seg(p);
    }
    p->dirty = true;
}

static void go_to_typed(hv_player *p)
{
    int want = atoi(p->number);
    p->number[0] = '\0';
    if (want >= 1 && want <= p->n_steps) {
        jump(p, want - 1);
        hv_player_notice_kind(p, HV_NOTICE_STEP, "step %d of %d", want, p->n_steps);
    } else {
        hv_player_notice_kind(p, HV_NOTICE_STEP, "no step %d (steps 1..%d)", want, p->n_steps);
    }
}

hv_action hv_player_key(hv_player *p, hv_key key, int digit)
{
    p->dirty = true;
    /* a blank screen: any key but B/W (which toggle) brings the figure back */
    if (p->blank != HV_BLANK_NONE && key != HV_KEY_BLACK && key != HV_KEY_WHITE && key != HV_KEY_QUIT) {
        p->blank = HV_BLANK_NONE;
        return HV_ACT_NONE;
    }
    switch (key) {
    case HV_KEY_NEXT:
        p->number[0] = '\0';
        step(p, +1);
        break;
    case HV_KEY_PREV:
        p->number[0] = '\0';
        step(p, -1);
        break;
    case HV_KEY_FIRST: jump(p, 0); break;
    case HV_KEY_LAST: jump(p, p->n_steps - 1); break;
    case HV_KEY_PLAY:
        step_changes(p);
        p->stepping = false;
        p->playing = !p->playing;
        /* without loop, play from the last step starts over */
        if (p->playing && !p->loop && hv_player_progress(p) >= p->n_steps - 1)
            p->t = 0;
        break;
    case HV_KEY_BLACK: p->blank = p->blank == HV_BLANK_BLACK ? HV_BLANK_NONE : HV_BLANK_BLACK; break;
    case HV_KEY_WHITE: p->blank = p->blank == HV_BLANK_WHITE ? HV_BLANK_NONE : HV_BLANK_WHITE; break;
    case HV_KEY_DIGIT: {
        size_t n = strlen(p->number);
        if (digit >= 0 && digit <= 9 && n + 1 < sizeof p->number && n < 4) {
            p->number[n] = (char)('0' + digit);
            p->number[n + 1] = '\0';
        }
        break;
    }
    case HV_KEY_BACKSPACE: {
        size_t n = strlen(p->number);
        if (n)
            p->number[n - 1] = '\0';
        break;
    }
    case HV_KEY_ENTER:
        if (p->number[0])
            go_to_typed(p);
        break;
    case HV_KEY_ESCAPE:
        /* an overlay first; quit only when none is open */
        if (p->help)
            p->help = false;
        else if (p->number[0])
            p->number[0] = '\0';
        else
            p->quit = true;
        break;
    case HV_KEY_QUIT: p->quit = true; break;
    case HV_KEY_HELP: p->help = !p->help; break;
    case HV_KEY_HUD: p->hud = !p->hud; break;
    case HV_KEY_LAYOUT: return HV_ACT_LAYOUT;
    case HV_KEY_HEATMAP: return HV_ACT_HEATMAP;
    case HV_KEY_MATCH: return HV_ACT_MATCH;
    case HV_KEY_EASING: return HV_ACT_EASING;
    case HV_KEY_THEME: return HV_ACT_THEME;
    case HV_KEY_FULLSCREEN: return HV_ACT_FULLSCREEN;
    case HV_KEY_SCREENSHOT: return HV_ACT_SCREENSHOT;
    case HV_KEY_RECORD: return HV_ACT_RECORD;
    default: p->dirty = false; break;
    }
    return HV_ACT_NONE;
}

void hv_player_mouse_moved(hv_player *p)
{
    if (hv_player_pointer_hidden(p))
        p->dirty = true;
    p->idle = 0;
}

void hv_player_tick(hv_player *p, double dt)
{
    if (dt < 0)
        dt = 0;
    if (dt > 0.25)
        dt = 0.25; /* after a stall, don't skip the transition */
    bool was_hidden = hv_player_pointer_hidden(p);
    p->idle += dt;
    if (hv_player_pointer_hidden(p) != was_hidden)
        p->dirty = true;
    if (p->notice_left > 0) {
        p->notice_left -= dt;
        if (p->notice_left <= 0) {
            p->notice_left = 0;
            p->notice[0] = '\0';
        }
        p->dirty = true;
    }
    if (p->playing) {
        p->t += dt;
        double last = (p->n_steps - 1) * seg(p);
        if (!p->loop && p->t >= last) { /* stops on the last step */
            p->t = last;
            p->playing = false;
        }
        p->t = fmod(p->t, period(p));
        if (p->t < 0)
            p->t += period(p);
        p->dirty = true;
    } else if (p->stepping) {
        p->t += p->dir * dt;
        if ((p->dir > 0 && p->t >= p->stop_at) || (p->dir < 0 && p->t <= p->stop_at)) {
            p->t = p->snap_to;
            p->stepping = false;
        }
        p->dirty = true;
    }
}
