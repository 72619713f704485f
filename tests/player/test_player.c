/* The live player, driven by injected SDL events on a hidden window
 * (SDL offscreen driver): keys, stepping with animated transitions, hover
 * tooltips and highlights, legend toggles; frames checked by pixels. */
#include <SDL.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include "../unit/check.h"
#include "app.h"
#include "renderer.h"

static void key(hv_app *a, SDL_Keycode k)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_KEYDOWN;
    ev.key.keysym.sym = k;
    /* through SDL's own queue, as the window's loop receives them */
    SDL_PushEvent(&ev);
    SDL_Event got;
    while (SDL_PollEvent(&got))
        hv_app_event(a, &got);
}

static void mouse_move(hv_app *a, float x, float y)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_MOUSEMOTION;
    ev.motion.x = (int)x;
    ev.motion.y = (int)y;
    hv_app_event(a, &ev);
}

static void click(hv_app *a)
{
    SDL_Event ev;
    memset(&ev, 0, sizeof ev);
    ev.type = SDL_MOUSEBUTTONDOWN;
    ev.button.button = SDL_BUTTON_LEFT;
    hv_app_event(a, &ev);
}

static void run(hv_app *a, double seconds)
{
    for (double t = 0; t < seconds; t += 0.05)
        hv_app_tick(a, 0.05);
}

static bool has_text(const hv_drawlist *dl, const char *s)
{
    for (int i = 0; i < dl->n_texts; i++)
        if (strstr(hv_dl_string(dl, &dl->texts[i]), s))
            return true;
    return false;
}

static const char *text_with(const hv_drawlist *dl, const char *s, float *y)
{
    for (int i = 0; i < dl->n_texts; i++)
        if (strstr(hv_dl_string(dl, &dl->texts[i]), s)) {
            *y = dl->texts[i].y;
            return hv_dl_string(dl, &dl->texts[i]);
        }
    return NULL;
}

/* How many texts of the frame reach past the window's edges (measured with
 * the real fonts; texts anchored at their start, as overlays are). */
static int texts_outside(hv_app *a, int w, int h)
{
    int n = 0;
    for (int i = 0; i < a->view.dl.n_texts; i++) {
        const hv_text_item *t = &a->view.dl.texts[i];
        if (t->rotate || t->ax != HV_ANCHOR_START)
            continue;
        hv_text_metrics m;
        hv_text_measure(a->text, hv_dl_string(&a->view.dl, t), t->size, &m);
        if (t->x < 0 || t->x + m.width > (float)w + 0.5f || t->y < 0 || t->y > (float)h) {
            printf("outside %dx%d: \"%s\" at %.0f..%.0f\n", w, h, hv_dl_string(&a->view.dl, t), t->x, t->x + m.width);
            n++;
        }
    }
    return n;
}

static void marker_pos(const hv_app *a, int panel, double layer, double head, float *x, float *y)
{
    const hv_panel_layout *pl = &a->view.layout.panels[panel];
    *x = (float)hv_scale_map(&pl->sx, layer);
    *y = (float)hv_scale_map(&pl->sy, head);
}

static void test_keys(void)
{
    hv_app *a = calloc(1, sizeof *a);
    char *argv[] = {"headviz", "--size", "1280x720", NULL};
    CHECK_INT(hv_app_init(a, 3, argv), -1);
    CHECK_INT(hv_app_open(a, false), -1);
    /* the window opens on the first step: the side layout's first panel */
    CHECK_NEAR(hv_app_progress(a), 0, 1e-9);
    CHECK(!hv_app_animating(a));
    hv_app_build(a, 1280, 720, true);
    CHECK_INT(a->view.panels[1].n_points, 0);
    CHECK_INT(a->view.panels[0].n_points, 17);
    /* Right: the animated transition to the next step */
    key(a, SDLK_RIGHT);
    CHECK(hv_app_animating(a));
    hv_app_tick(a, 0.5);
    double p = hv_app_progress(a);
    CHECK(p > 0 && p < 1); /* mid-transition */
    run(a, 2.0);
    CHECK_NEAR(hv_app_progress(a), 1, 1e-9);
    CHECK(!hv_app_animating(a));
    /* the last step: a clicker's "next" does nothing (no wrap) */
    key(a, SDLK_PAGEDOWN);
    key(a, SDLK_SPACE); /* Space is a clicker's "next" too */
    run(a, 2.0);
    CHECK_NEAR(hv_app_progress(a), 1, 1e-9);
    hv_app_build(a, 1280, 720, true);
    CHECK_INT(a->view.panels[1].n_points, 14);
    /* Left goes back with the transition played in reverse */
    key(a, SDLK_LEFT);
    hv_app_tick(a, 0.5);
    p = hv_app_progress(a);
    CHECK(p > 0 && p < 1);
    run(a, 2.0);
    CHECK_NEAR(hv_app_progress(a), 0, 1e-9);
    key(a, SDLK_PAGEUP); /* the first step: nothing */
    run(a, 2.0);
    CHECK_NEAR(hv_app_progress(a), 0, 1e-9);
    key(a, SDLK_END);
    CHECK_NEAR(hv_app_progress(a), 1, 1e-9);
    key(a, SDLK_HOME);
    CHECK_NEAR(hv_app_progress(a), 0, 1e-9);
    /* a number then Enter: that step */
    key(a, SDLK_2);
    hv_app_build(a, 1280, 720, true);
    CHECK(has_text(&a->view.dl, "go to step 2 (Enter)"));
    key(a, SDLK_RETURN);
    CHECK_NEAR(hv_app_progress(a), 1, 1e-9);
    key(a, SDLK_HOME);
    /* P plays through the steps and stops on the last */
    key(a, SDLK_p);
    CHECK(a->view.player.playing);
    run(a, 1.5);
    p = hv_app_progress(a);
    CHECK(p > 0.1 && p < 0.5); /* 1 s hold, then 0.5 s into the 1.5 s transition */
    run(a, 3.0);
    CHECK(!a->view.player.playing);
    CHECK_NEAR(hv_app_progress(a), 1, 1e-9);
    /* B: a black screen, W: white; any key brings the figure back */
    key(a, SDLK_b);
    hv_app_build(a, 1280, 720, true);
    CHECK(a->view.dl.n_cmds == 0 && a->view.dl.clear.r == 0 && a->view.dl.clear.a == 1);
    key(a, SDLK_w);
    hv_app_build(a, 1280, 720, true);
    CHECK(a->view.dl.n_cmds == 0 && a->view.dl.clear.r == 1);
    key(a, SDLK_RIGHT);
    hv_app_build(a, 1280, 720, true);
    CHECK(a->view.dl.n_cmds > 0);
    CHECK_NEAR(hv_app_progress(a), 1, 1e-9);
    /* L cycles layouts, M matching, E easing */
    CHECK_INT(a->view.aopt.layout, HV_LAYOUT_SIDE);
    key(a, SDLK_l);
    CHECK_INT(a->view.aopt.layout, HV_LAYOUT_MORPH);
    hv_app_build(a, 1280, 720, true);
    CHECK_INT(a->view.n_panels, 1);
    CHECK(has_text(&a->view.dl, "layout morph")); /* a notice says so */
    key(a, SDLK_l);
    CHECK_INT(a->view.aopt.layout, HV_LAYOUT_MODELS);
    hv_app_build(a, 1280, 720, true);
    CHECK_INT(a->view.n_panels, 2);
    key(a, SDLK_l);
    CHECK_INT(a->view.aopt.layout, HV_LAYOUT_HEATMAP);
    hv_app_build(a, 1280, 720, true);
    CHECK_INT(a->view.n_panels, 4); /* 2 models x 2 conditions */
    CHECK(a->view.panels[0].cells != NULL);
    key(a, SDLK_l);
    CHECK_INT(a->view.aopt.layout, HV_LAYOUT_DIFF);
    hv_app_build(a, 1280, 720, true);
    CHECK_INT(a->view.n_panels, 2); /* 2 models x 1 difference */
    key(a, SDLK_l);
    CHECK_INT(a->view.aopt.layout, HV_LAYOUT_SIDE);
    key(a, SDLK_m);
    CHECK_INT(a->view.aopt.match, HV_MATCH_RANK);
    key(a, SDLK_e);
    CHECK_INT(a->view.aopt.easing, HV_EASE_QUINT);
    /* status line: on by default, I hides it; H shows the help */
    hv_app_build(a, 1280, 720, true);
    CHECK(has_text(&a->view.dl, "layout side, match rank, easing quint"));
    CHECK(has_text(&a->view.dl, "step 2 of 2"));
    key(a, SDLK_i);
    hv_app_build(a, 1280, 720, true);
    CHECK(!has_text(&a->view.dl, "layout side"));
    CHECK(!has_text(&a->view.dl, "play through the steps"));
    key(a, SDLK_h);
    hv_app_build(a, 1280, 720, true);
    CHECK(has_text(&a->view.dl, "play through the steps"));
    /* Esc with the help open closes the help, and does not quit */
    key(a, SDLK_ESCAPE);
    CHECK(!a->view.player.quit);
    hv_app_build(a, 1280, 720, true);
    CHECK(!has_text(&a->view.dl, "play through the steps"));
    /* T: dark theme, checked on the pixels of a frame */
    key(a, SDLK_t);
    hv_app_build(a, 1280, 720, false);
    unsigned char *px = malloc(1280 * 720 * 4);
    hv_error err = {""};
    CHECK(hv_renderer_render_rgba(a->ren, &a->view.dl, px, &err));
    CHECK(px[0] < 40 && px[1] < 40 && px[2] < 40);
    key(a, SDLK_t);
    hv_app_build(a, 1280, 720, false);
    CHECK(hv_renderer_render_rgba(a->ren, &a->view.dl, px, &err));
    CHECK(px[0] == 255 && px[1] == 255 && px[2] == 255);
    free(px);
    /* morph layout, morph HUD counts shared heads */
    key(a, SDLK_l);
    key(a, SDLK_i);
    hv_app_build(a, 1280, 720, true);
    CHECK(strstr(a->view.status, "Llama-2-7b-chat: 0 of 10 heads shared") != NULL);
    CHECK(strstr(a->view.status, "Vicuna-7b-v1.5: 0 of 8 heads shared") != NULL);
    /* at 1280x720 it does not fit: shortened, never off the edge */
    CHECK(has_text(&a->view.dl, "morph \xc2\xb7") || has_text(&a->view.dl, "layout morph"));
    CHECK(has_text(&a->view.dl, "\xe2\x80\xa6"));
    CHECK_INT(texts_outside(a, 1280, 720), 0);
    /* Esc with nothing open quits; so does Q */
    CHECK(!a->view.player.quit);
    key(a, SDLK_ESCAPE);
    CHECK(a->view.player.quit);
    a->view.player.quit = false;
    key(a, SDLK_q);
    CHECK(a->view.player.quit);
    hv_app_shutdown(a);
    free(a);

    /* --loop: Space plays the endless cycle; next on the last step wraps */
    a = calloc(1, sizeof *a);
    char *argv_loop[] = {"headviz", "--size", "640x360", "--loop", NULL};
    CHECK_INT(hv_app_init(a, 4, argv_loop), -1);
    CHECK_INT(hv_app_open(a, false), -1);
    key(a, SDLK_END);
    key(a, SDLK_RIGHT);
    run(a, 2.0);
    CHECK_NEAR(hv_app_progress(a), 0, 1e-9);
    key(a, SDLK_SPACE);
    CHECK(a->view.player.playing);
    run(a, 6.0);
    CHECK(a->view.player.playing);
    hv_app_shutdown(a);
    free(a);

    /* --present: no status line; --progress opens the window at a moment */
    a = calloc(1, sizeof *a);
    char *argv_present[] = {"headviz", "--size", "640x360", "--present", "--progress", "0.5", NULL};
    CHECK_INT(hv_app_init(a, 6, argv_present), -1);
    CHECK_INT(hv_app_open(a, false), -1);
    CHECK_NEAR(hv_app_progress(a), 0.5, 1e-9);
    CHECK(!a->view.player.hud);
    hv_app_build(a, 640, 360, true);
    CHECK(!has_text(&a->view.dl, "H: help"));
    run(a, 2.1);
    CHECK(hv_player_pointer_hidden(&a->view.player));
    hv_app_shutdown(a);
    free(a);
}

/* Hover and legend clicks on a dataset where one head is in both conditions. */
static void test_mouse(void)
{
    char dir[] = "/tmp/hv_player_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char csv[256];
    snprintf(csv, sizeof csv, "%s/d.csv", dir);
    FILE *f = fopen(csv, "w");
    fputs("model,condition,layer,head,score\n"
          "m1,A,4,4,10\nm1,A,10,20,5\nm1,B,4,4,3\nm1,B,20,10,8\n"
          "m2,A,25,25,7\nm2,B,5,25,9\n",
          f);
    fclose(f);
    hv_app *a = calloc(1, sizeof *a);
    char *argv[] = {"headviz", "--size", "1280x720", csv, NULL};
    CHECK_INT(hv_app_init(a, 4, argv), -1);
    CHECK_INT(hv_app_open(a, false), -1);
    key(a, SDLK_END); /* the complete figure: both conditions */
    hv_app_build(a, 1280, 720, true);
    float x, y;
    marker_pos(a, 0, 4, 4, &x, &y);
    mouse_move(a, x + 1, y - 1);
    hv_app_build(a, 1280, 720, true);
    CHECK_INT(a->view.hover_panel, 0);
    CHECK(a->view.hover_point >= 0);
    CHECK(has_text(&a->view.dl, "layer 4, head 4"));
    CHECK(has_text(&a->view.dl, "A: 10"));
    CHECK(has_text(&a->view.dl, "B: 3"));
    /* the tooltip's box is opaque: the last rect under its text (its
     * background, drawn after the figure) has alpha 1 */
    float ty = 0;
    const char *line = text_with(&a->view.dl, "layer 4, head 4", &ty);
    CHECK(line != NULL);
    float tx = 0;
    for (int i = 0; i < a->view.dl.n_texts; i++)
        if (strstr(hv_dl_string(&a->view.dl, &a->view.dl.texts[i]), "layer 4, head 4"))
            tx = a->view.dl.texts[i].x;
    int under = -1;
    for (int i = 0; i < a->view.dl.n_rects; i++) {
        hv_rect r = a->view.dl.rects[i].r;
        if (tx - 2 >= r.x && tx - 2 < r.x + r.w && ty + 2 >= r.y && ty + 2 < r.y + r.h)
            under = i;
    }
    CHECK(under >= 0 && a->view.dl.rects[under].c.a == 1.0f);
    /* the same head is ringed in the other viewport */
    int ringed = 0;
    for (int i = 0; i < a->view.panels[1].n_points; i++)
        if (a->view.panels[1].points[i].flags & HV_POINT_HIGHLIGHT) {
            ringed++;
            CHECK_NEAR(a->view.panels[1].points[i].layer, 4, 0);
        }
    CHECK_INT(ringed, 1);
    /* a head only in A: "not in top-k" for B */
    marker_pos(a, 0, 10, 20, &x, &y);
    mouse_move(a, x, y);
    hv_app_build(a, 1280, 720, true);
    CHECK(has_text(&a->view.dl, "B: not in top-k"));
    /* nothing under the mouse: no tooltip */
    mouse_move(a, 5, 5);
    hv_app_build(a, 1280, 720, true);
    CHECK_INT(a->view.hover_point, -1);
    /* click model m1's legend entry: it fades out (pixels turn to ground) */
    hv_rect row = a->view.layout.panels[0].legend_rows[0];
    CHECK(row.w > 0);
    mouse_move(a, row.x + row.w * 0.5f, row.y + row.h * 0.5f);
    click(a);
    CHECK_NEAR(a->view.model_target[0], 0, 0);
    CHECK(hv_app_animating(a));
    hv_app_tick(a, 0.15);
    CHECK(a->view.model_alpha[0] > 0.2f && a->view.model_alpha[0] < 0.8f);
    run(a, 0.5);
    CHECK_NEAR(a->view.model_alpha[0], 0, 0);
    CHECK(!hv_app_animating(a));
    hv_app_build(a, 1280, 720, false);
    marker_pos(a, 0, 10, 20, &x, &y);
    unsigned char *px = malloc(1280 * 720 * 4);
    hv_error err = {""};
    CHECK(hv_renderer_render_rgba(a->ren, &a->view.dl, px, &err));
    const unsigned char *p = px + ((size_t)y * 1280 + (size_t)x) * 4;
    /* the ground: white, or the light grey of a grid line */
    CHECK(p[0] == p[1] && p[1] == p[2] && p[0] >= 230);
    /* m2's marker is still there */
    marker_pos(a, 0, 25, 25, &x, &y);
    p = px + ((size_t)y * 1280 + (size_t)x) * 4;
    CHECK(!(p[0] == 255 && p[1] == 255 && p[2] == 255));
    /* click again: back */
    hv_app_build(a, 1280, 720, true);
    row = a->view.layout.panels[0].legend_rows[0];
    mouse_move(a, row.x + 4, row.y + row.h * 0.5f);
    click(a);
    run(a, 0.5);
    CHECK_NEAR(a->view.model_alpha[0], 1, 0);
    free(px);
    hv_app_shutdown(a);
    free(a);
    remove(csv);
    rmdir(dir);
}

/* S saves a PNG of the window's size, R records frames into a new folder;
 * both encode off the render thread. Runs in a scratch folder. */
static void test_screenshot_and_record(void)
{
    char dir[] = "/tmp/hv_rec_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char old[4096];
    CHECK(getcwd(old, sizeof old) != NULL);
    CHECK(chdir(dir) == 0);
    hv_app *a = calloc(1, sizeof *a);
    char *argv[] = {"headviz", "--size", "640x360", "--fps", "20", NULL};
    CHECK_INT(hv_app_init(a, 5, argv), -1);
    CHECK_INT(hv_app_open(a, false), -1);
    key(a, SDLK_s);
    /* a notice in the window: "saved headviz-....png"; never in the file */
    hv_app_build(a, 640, 360, true);
    CHECK(has_text(&a->view.dl, "saved headviz-"));
    hv_app_build(a, 640, 360, false);
    CHECK(!has_text(&a->view.dl, "saved headviz-"));
    key(a, SDLK_s); /* a second press never overwrites the first */
    key(a, SDLK_r);
    CHECK(a->recording);
    hv_app_build(a, 640, 360, true);
    CHECK(has_text(&a->view.dl, "REC  0 frames"));
    CHECK(hv_app_animating(a)); /* recording keeps the loop running */
    for (int i = 0; i < 10; i++) { /* 0.51 s at 20 fps: frames 0..10 */
        hv_app_tick(a, 0.051);
        hv_app_record(a);
    }
    char rec[256];
    snprintf(rec, sizeof rec, "%s", a->rec_dir);
    hv_app_build(a, 640, 360, true);
    CHECK(has_text(&a->view.dl, "REC  11 frames")); /* the mark counts */
    hv_app_build(a, 640, 360, false);
    CHECK(!has_text(&a->view.dl, "REC")); /* the recorded frames never show it */
    key(a, SDLK_r);
    CHECK(!a->recording);
    CHECK_INT(a->rec_frames, 11);
    hv_app_shutdown(a); /* waits for the encoder */
    free(a);
    /* two screenshots with distinct names, PNG signature and 640x360 */
    int pngs = 0;
    DIR *d = opendir(".");
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, "headviz-", 8) != 0 || !strstr(de->d_name, ".png"))
            continue;
        FILE *f = fopen(de->d_name, "rb");
        unsigned char hdr[24] = {0};
        CHECK(f && fread(hdr, 1, 24, f) == 24);
        if (f)
            fclose(f);
        CHECK(hdr[1] == 'P' && hdr[2] == 'N' && hdr[3] == 'G');
        CHECK_INT((hdr[16] << 24) | (hdr[17] << 16) | (hdr[18] << 8) | hdr[19], 640);
        CHECK_INT((hdr[20] << 24) | (hdr[21] << 16) | (hdr[22] << 8) | hdr[23], 360);
        remove(de->d_name);
        pngs++;
    }
    if (d)
        closedir(d);
    CHECK_INT(pngs, 2);
    /* the recording: frame_00000.png .. frame_00010.png */
    int frames = 0;
    d = opendir(rec);
    char path[600];
    while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        CHECK(strncmp(de->d_name, "frame_000", 9) == 0);
        snprintf(path, sizeof path, "%s/%s", rec, de->d_name);
        remove(path);
        frames++;
    }
    if (d)
        closedir(d);
    CHECK_INT(frames, 11);
    rmdir(rec);
    CHECK(chdir(old) == 0);
    rmdir(dir);
}

/* The notices as state, through the window's keys: in a randomised run of
 * 1000 keys, each notice shown describes the state shown (the layout, the
 * matching, the easing, the step), is drawn whole below every panel (in the
 * band the layout keeps) and inside the window; with --present nothing of
 * it is drawn at all. */
static void test_notices_random(bool present)
{
    static const SDL_Keycode keys[] = {SDLK_RIGHT, SDLK_LEFT,      SDLK_HOME,   SDLK_END, SDLK_p, SDLK_1,
                                       SDLK_2,     SDLK_3,         SDLK_9,      SDLK_RETURN, SDLK_RETURN,
                                       SDLK_l,     SDLK_m,         SDLK_e,      SDLK_t,   SDLK_b, SDLK_i,
                                       SDLK_h,     SDLK_BACKSPACE, SDLK_ESCAPE, SDLK_RIGHT};
    hv_app *a = calloc(1, sizeof *a);
    char *argv[] = {"headviz", "--size", "1280x720", present ? "--present" : "--loop", NULL};
    CHECK_INT(hv_app_init(a, 4, argv), -1);
    CHECK_INT(hv_app_open(a, false), -1);
    unsigned seed = present ? 7u : 19u;
    int bad = 0, seen = 0;
    for (int i = 0; i < 1000; i++) {
        seed = seed * 1103515245u + 12345u;
        key(a, keys[(seed >> 16) % (sizeof keys / sizeof keys[0])]);
        a->view.player.quit = false;
        seed = seed * 1103515245u + 12345u;
        double pause = (double)((seed >> 16) % 30) * 0.05;
        for (double t = 0; t < pause; t += 0.05)
            hv_app_tick(a, 0.05);
        const hv_player *pl = &a->view.player;
        char shown[300], want[300];
        hv_player_notice_text(pl, shown, (int)sizeof shown);
        char name[64];
        int k, n;
        want[0] = '\0';
        if (sscanf(shown, "layout %63s", name) == 1)
            snprintf(want, sizeof want, "layout %s", hv_layout_name(a->view.aopt.layout));
        else if (sscanf(shown, "match %63s", name) == 1)
            snprintf(want, sizeof want, "match %s", hv_match_name(a->view.aopt.match));
        else if (sscanf(shown, "easing %63s", name) == 1)
            snprintf(want, sizeof want, "easing %s", hv_easing_name(a->view.aopt.easing));
        else if (sscanf(shown, "step %d of %d", &k, &n) == 2 && !pl->stepping && !pl->playing &&
                 fabs(hv_app_progress(a) - (k - 1)) < 1e-9)
            snprintf(want, sizeof want, "step %d of %d", k, pl->n_steps);
        else
            snprintf(want, sizeof want, "%s", shown);
        if (strcmp(shown, want) != 0 && bad++ < 3)
            printf("key %d: \"%s\", but the state is \"%s\"\n", i, shown, want);
        hv_app_build(a, 1280, 720, true);
        if (present) {
            int texts = a->view.dl.n_texts, rects = a->view.dl.n_rects;
            hv_app_build(a, 1280, 720, false);
            if (!pl->help && pl->blank == HV_BLANK_NONE && (texts != a->view.dl.n_texts || rects != a->view.dl.n_rects) &&
                bad++ < 3)
                printf("key %d: --present drew %d texts, %d rects over the figure's %d, %d\n", i, texts, rects,
                       a->view.dl.n_texts, a->view.dl.n_rects);
            continue;
        }
        if (!shown[0] || pl->blank != HV_BLANK_NONE || pl->help)
            continue;
        seen++;
        char head[16];
        snprintf(head, sizeof head, "%.10s", shown);
        float y = 0, below = 0;
        for (int p = 0; p < a->view.layout.n_panels; p++)
            below = fmaxf(below, a->view.layout.panels[p].cell.y + a->view.layout.panels[p].cell.h);
        if ((!text_with(&a->view.dl, head, &y) || y < below || texts_outside(a, 1280, 720)) && bad++ < 3)
            printf("key %d: \"%s\" not drawn whole below the panels (y %.0f, panels end at %.0f)\n", i, shown, y,
                   below);
    }
    CHECK_INT(bad, 0);
    CHECK(present || seen > 50);
    hv_app_shutdown(a);
    free(a);
}

/* reveal: the side layout's step 1 shows no sign of the later panel (none,
 * the default) or its empty axes (axes); either way no panel moves when
 * the later one appears. */
static void test_reveal(void)
{
    hv_app *a = calloc(1, sizeof *a);
    char *argv[] = {"headviz", "--size", "1280x720", NULL};
    CHECK_INT(hv_app_init(a, 3, argv), -1);
    CHECK_INT(hv_app_open(a, false), -1);
    hv_app_build(a, 1280, 720, true);
    hv_figure_layout step1 = a->view.layout;
    CHECK(has_text(&a->view.dl, "Undiff Attn."));
    CHECK(!has_text(&a->view.dl, "Scaling Cont.")); /* its title, before its step */
    int texts1 = a->view.dl.n_texts;
    key(a, SDLK_END);
    hv_app_build(a, 1280, 720, true);
    CHECK(has_text(&a->view.dl, "Scaling Cont."));
    CHECK(a->view.dl.n_texts > texts1 + 10); /* its ticks, labels, colorbar, legend */
    for (int p = 0; p < 2; p++) {
        check_context("panel %d", p);
        CHECK(memcmp(&step1.panels[p].plot, &a->view.layout.panels[p].plot, sizeof(hv_rect)) == 0);
        CHECK(memcmp(&step1.panels[p].colorbar, &a->view.layout.panels[p].colorbar, sizeof(hv_rect)) == 0);
    }
    check_context("%s", "");
    /* reveal = axes: the empty frame, title and colorbar from step 1 */
    a->spec.reveal = 1; /* what the spec's reveal = axes sets */
    key(a, SDLK_HOME);
    hv_app_build(a, 1280, 720, true);
    CHECK(has_text(&a->view.dl, "Scaling Cont."));
    CHECK(memcmp(&step1.panels[1].plot, &a->view.layout.panels[1].plot, sizeof(hv_rect)) == 0);
    hv_app_shutdown(a);
    free(a);
}

int main(void)
{
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        printf("SDL_Init: %s\n", SDL_GetError());
        return 1;
    }
    test_keys();
    test_mouse();
    test_screenshot_and_record();
    test_notices_random(false);
    test_notices_random(true);
    test_reveal();
    SDL_Quit();
    return check_summary();
}
