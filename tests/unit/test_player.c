/* Unit tests of the player's state machine (src/app/player.c), pure: keys
 * and elapsed time in, progress and overlays out, no window. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../src/app/player.h"
#include "check.h"

static const hv_timeline k_tl2 = {2, 1.0, 1.5}; /* two conditions */
static const hv_timeline k_tl3 = {3, 1.0, 1.5};

static void run(hv_player *p, double seconds)
{
    for (double t = 0; t < seconds; t += 0.05)
        hv_player_tick(p, 0.05);
}

static void press(hv_player *p, hv_key k) { hv_player_key(p, k, -1); }

/* A clicker: next / prev step by step, no wrap at either end. */
static void test_steps(void)
{
    hv_player p;
    hv_player_init(&p, &k_tl3, 3, false, false, 0);
    CHECK_NEAR(hv_player_progress(&p), 0, 0); /* opens on the first step */
    CHECK_INT(hv_player_step(&p), 0);
    CHECK(!hv_player_animating(&p));
    press(&p, HV_KEY_NEXT);
    CHECK(hv_player_animating(&p));
    hv_player_tick(&p, 0.5);
    double mid = hv_player_progress(&p);
    CHECK(mid > 0 && mid < 1); /* the animated transition */
    run(&p, 2);
    CHECK_NEAR(hv_player_progress(&p), 1, 1e-9);
    CHECK(!hv_player_animating(&p));
    press(&p, HV_KEY_NEXT);
    run(&p, 2);
    CHECK_NEAR(hv_player_progress(&p), 2, 1e-9);
    /* the last step: next does nothing */
    press(&p, HV_KEY_NEXT);
    CHECK(!hv_player_animating(&p));
    run(&p, 3);
    CHECK_NEAR(hv_player_progress(&p), 2, 1e-9);
    /* back, the transition reversed */
    press(&p, HV_KEY_PREV);
    hv_player_tick(&p, 0.5);
    double back = hv_player_progress(&p);
    CHECK(back > 1 && back < 2);
    run(&p, 2);
    CHECK_NEAR(hv_player_progress(&p), 1, 1e-9);
    press(&p, HV_KEY_PREV);
    run(&p, 2);
    CHECK_NEAR(hv_player_progress(&p), 0, 1e-9);
    /* the first step: prev does nothing */
    press(&p, HV_KEY_PREV);
    CHECK(!hv_player_animating(&p));
    CHECK_NEAR(hv_player_progress(&p), 0, 1e-9);
    /* a second next while moving finishes this step and starts the next */
    press(&p, HV_KEY_NEXT);
    hv_player_tick(&p, 1.5);
    press(&p, HV_KEY_NEXT);
    run(&p, 2);
    CHECK_NEAR(hv_player_progress(&p), 2, 1e-9);
    /* ... but never past the last */
    press(&p, HV_KEY_PREV);
    hv_player_tick(&p, 0.3);
    press(&p, HV_KEY_FIRST);
    CHECK_NEAR(hv_player_progress(&p), 0, 0);
    CHECK(!hv_player_animating(&p));
    press(&p, HV_KEY_LAST);
    CHECK_NEAR(hv_player_progress(&p), 2, 1e-9);
}

/* --loop: the endless cycle of kiosks: next wraps, prev wraps, play cycles. */
static void test_loop(void)
{
    hv_player p;
    hv_player_init(&p, &k_tl2, 2, true, false, 1);
    press(&p, HV_KEY_NEXT); /* from the last step, with loop: to the first */
    hv_player_tick(&p, 0.5);
    CHECK(hv_player_progress(&p) > 1);
    run(&p, 2);
    CHECK_NEAR(hv_player_progress(&p), 0, 1e-9);
    press(&p, HV_KEY_PREV); /* from the first, back to the last */
    run(&p, 2);
    CHECK_NEAR(hv_player_progress(&p), 1, 1e-9);
    /* play cycles for ever: after a whole period it is back where it was */
    press(&p, HV_KEY_PLAY);
    CHECK(p.playing);
    run(&p, 5.0);
    CHECK(p.playing);
    CHECK(fabs(hv_player_progress(&p) - 1) < 0.1);
    press(&p, HV_KEY_PLAY);
    CHECK(!p.playing);
}

/* Play without loop: through the steps, stopping on the last. */
static void test_play_once(void)
{
    hv_player p;
    hv_player_init(&p, &k_tl3, 3, false, false, 0);
    press(&p, HV_KEY_PLAY);
    run(&p, 1.5);
    double mid = hv_player_progress(&p);
    CHECK(mid > 0.1 && mid < 0.5); /* 1 s hold, 0.5 s into the transition */
    run(&p, 10);
    CHECK(!p.playing);
    CHECK_NEAR(hv_player_progress(&p), 2, 1e-9);
    press(&p, HV_KEY_PLAY); /* from the last step: starts over */
    CHECK(p.playing);
    CHECK_NEAR(hv_player_progress(&p), 0, 1e-9);
}

/* B / W blank the screen as in PowerPoint; any key returns without moving. */
static void test_blank(void)
{
    hv_player p;
    hv_player_init(&p, &k_tl2, 2, false, false, 0);
    press(&p, HV_KEY_BLACK);
    CHECK_INT(p.blank, HV_BLANK_BLACK);
    press(&p, HV_KEY_WHITE);
    CHECK_INT(p.blank, HV_BLANK_WHITE);
    press(&p, HV_KEY_WHITE);
    CHECK_INT(p.blank, HV_BLANK_NONE);
    press(&p, HV_KEY_BLACK);
    press(&p, HV_KEY_NEXT); /* returns to the figure, does not advance */
    CHECK_INT(p.blank, HV_BLANK_NONE);
    CHECK(!hv_player_animating(&p));
    CHECK_NEAR(hv_player_progress(&p), 0, 0);
    press(&p, HV_KEY_BLACK);
    press(&p, HV_KEY_ESCAPE); /* Esc closes the blank screen, does not quit */
    CHECK_INT(p.blank, HV_BLANK_NONE);
    CHECK(!p.quit);
}

/* A number then Enter: that step, at once; out of range: a notice. */
static void test_go_to(void)
{
    hv_player p;
    hv_player_init(&p, &k_tl3, 3, false, false, 0);
    hv_player_key(&p, HV_KEY_DIGIT, 3);
    CHECK_STR(p.number, "3");
    CHECK_NEAR(hv_player_progress(&p), 0, 0); /* nothing yet */
    press(&p, HV_KEY_ENTER);
    CHECK_NEAR(hv_player_progress(&p), 2, 1e-9);
    CHECK(!hv_player_animating(&p) || p.notice_left > 0);
    CHECK(!p.stepping && !p.playing);
    CHECK_STR(p.number, "");
    CHECK_STR(p.notice, "step 3 of 3");
    hv_player_key(&p, HV_KEY_DIGIT, 1);
    hv_player_key(&p, HV_KEY_DIGIT, 2);
    press(&p, HV_KEY_BACKSPACE);
    CHECK_STR(p.number, "1");
    press(&p, HV_KEY_ENTER);
    CHECK_NEAR(hv_player_progress(&p), 0, 1e-9);
    hv_player_key(&p, HV_KEY_DIGIT, 9);
    press(&p, HV_KEY_ENTER);
    CHECK_NEAR(hv_player_progress(&p), 0, 1e-9);
    CHECK_STR(p.notice, "no step 9 (steps 1..3)");
    /* Esc clears a number being typed before anything else */
    hv_player_key(&p, HV_KEY_DIGIT, 2);
    press(&p, HV_KEY_ESCAPE);
    CHECK_STR(p.number, "");
    CHECK(!p.quit);
}

/* Esc closes an open overlay first and quits only when none is open. */
static void test_escape(void)
{
    hv_player p;
    hv_player_init(&p, &k_tl2, 2, false, false, 0);
    press(&p, HV_KEY_HELP);
    CHECK(p.help);
    press(&p, HV_KEY_ESCAPE);
    CHECK(!p.help);
    CHECK(!p.quit);
    press(&p, HV_KEY_ESCAPE);
    CHECK(p.quit);
    hv_player_init(&p, &k_tl2, 2, false, false, 0);
    press(&p, HV_KEY_HELP);
    press(&p, HV_KEY_QUIT); /* Q quits at once */
    CHECK(p.quit);
}

/* --present: no status line; the pointer hides after 2 s without motion. */
static void test_present(void)
{
    hv_player p;
    hv_player_init(&p, &k_tl2, 2, false, true, 0);
    CHECK(!p.hud);
    CHECK(!hv_player_pointer_hidden(&p));
    run(&p, 1.9);
    CHECK(!hv_player_pointer_hidden(&p));
    run(&p, 0.2);
    CHECK(hv_player_pointer_hidden(&p));
    hv_player_mouse_moved(&p);
    CHECK(!hv_player_pointer_hidden(&p));
    hv_player_init(&p, &k_tl2, 2, false, false, 0);
    CHECK(p.hud);
    run(&p, 5);
    CHECK(!hv_player_pointer_hidden(&p)); /* only when presenting */
}

/* Notices stay a moment, then go; keys for the application are actions. */
static void test_notices_and_actions(void)
{
    hv_player p;
    hv_player_init(&p, &k_tl2, 2, false, false, 0);
    hv_player_notice(&p, "saved %s", "a.png");
    CHECK_STR(p.notice, "saved a.png");
    CHECK(hv_player_animating(&p)); /* redrawn until it goes */
    run(&p, HV_NOTICE_S + 0.1);
    CHECK_STR(p.notice, "");
    CHECK(!hv_player_animating(&p));
    CHECK_INT(hv_player_key(&p, HV_KEY_SCREENSHOT, -1), HV_ACT_SCREENSHOT);
    CHECK_INT(hv_player_key(&p, HV_KEY_RECORD, -1), HV_ACT_RECORD);
    CHECK_INT(hv_player_key(&p, HV_KEY_LAYOUT, -1), HV_ACT_LAYOUT);
    CHECK_INT(hv_player_key(&p, HV_KEY_THEME, -1), HV_ACT_THEME);
    CHECK_INT(hv_player_key(&p, HV_KEY_NEXT, -1), HV_ACT_NONE);
    press(&p, HV_KEY_HUD);
    CHECK(!p.hud);
}

/* The notices as state: in a randomised run of 1000 keys (and random
 * pauses), whatever notice is shown describes the state shown: "step k of
 * n" only while step k is shown at rest, "go to step D (Enter)" exactly the
 * digits typed, "no step D (steps 1..n)" only for a D out of range. */
static void test_notices_random(void)
{
    static const hv_key keys[] = {HV_KEY_NEXT,  HV_KEY_PREV,  HV_KEY_FIRST,  HV_KEY_LAST,      HV_KEY_PLAY,
                                  HV_KEY_DIGIT, HV_KEY_DIGIT, HV_KEY_DIGIT,  HV_KEY_ENTER,     HV_KEY_ENTER,
                                  HV_KEY_BLACK, HV_KEY_WHITE, HV_KEY_ESCAPE, HV_KEY_BACKSPACE, HV_KEY_HELP};
    for (int loop = 0; loop < 2; loop++) {
        hv_player p;
        hv_player_init(&p, &k_tl3, 3, loop, false, 0);
        unsigned seed = 19u + (unsigned)loop;
        int bad = 0, step_notices = 0;
        for (int i = 0; i < 1000; i++) {
            seed = seed * 1103515245u + 12345u;
            hv_key k = keys[(seed >> 16) % (sizeof keys / sizeof keys[0])];
            seed = seed * 1103515245u + 12345u;
            int digit = (int)((seed >> 16) % 5); /* 0..4: steps and a few that are not */
            hv_player_key(&p, k, digit);
            p.quit = false;
            seed = seed * 1103515245u + 12345u;
            double pause = (double)((seed >> 16) % 40) * 0.05; /* 0 .. 1.95 s */
            run(&p, pause);
            char shown[300];
            hv_player_notice_text(&p, shown, (int)sizeof shown);
            int a, b;
            char want[300];
            if (p.number[0]) {
                snprintf(want, sizeof want, "go to step %s (Enter)", p.number);
                if (strcmp(shown, want) != 0 && bad++ < 3)
                    printf("key %d: \"%s\" while typing %s\n", i, shown, p.number);
            } else if (sscanf(shown, "step %d of %d", &a, &b) == 2) {
                step_notices++;
                double P = hv_player_progress(&p);
                bool ok = b == 3 && !p.playing && !p.stepping && fabs(P - (a - 1)) < 1e-9;
                if (!ok && bad++ < 3)
                    printf("key %d: \"%s\" while at progress %.3f\n", i, shown, P);
            } else if (sscanf(shown, "no step %d (steps 1..%d)", &a, &b) == 2) {
                double P = hv_player_progress(&p);
                bool ok = b == 3 && (a < 1 || a > 3); /* a refusal: true whatever is shown */
                if (!ok && bad++ < 3)
                    printf("key %d: \"%s\" while at progress %.3f\n", i, shown, P);
            } else if (shown[0] && bad++ < 3) {
                printf("key %d: \"%s\"\n", i, shown);
            }
        }
        CHECK_INT(bad, 0);
        CHECK(step_notices > 20); /* the run did exercise them */
    }
    /* the case: 2, Enter, then Home: step 1 shown, no "step 2 of 3" */
    hv_player p;
    hv_player_init(&p, &k_tl3, 3, false, false, 0);
    hv_player_key(&p, HV_KEY_DIGIT, 2);
    hv_player_key(&p, HV_KEY_ENTER, -1);
    CHECK_STR(p.notice, "step 2 of 3");
    press(&p, HV_KEY_FIRST);
    char shown[300];
    CHECK_STR(hv_player_notice_text(&p, shown, (int)sizeof shown), "");
    CHECK_NEAR(hv_player_progress(&p), 0, 1e-12);
}

int main(void)
{
    test_steps();
    test_loop();
    test_play_once();
    test_blank();
    test_go_to();
    test_escape();
    test_present();
    test_notices_and_actions();
    test_notices_random();
    return check_summary();
}
