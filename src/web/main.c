/* The web player: headviz's window, in a browser page (headviz --html).
 *
 * The same core (dataset, figure, anim), the same player state machine
 * (src/app/player.c), the same overlays (src/app/overlay.c) and the same GL
 * renderer (src/gl/renderer.c, built for WebGL2 with its shaders in GLSL ES)
 * as the native window; this file is the platform layer in SDL's place:
 * emscripten's html5.h for the WebGL2 context, keys and the mouse,
 * requestAnimationFrame for the clock. The data comes from the page (a
 * <script id="headviz-data"> element the native run wrote: pagedata.h).
 *
 * Differences from the window: no status line until I (a page is often
 * embedded), Q does nothing (a page has nothing to quit), S downloads a PNG
 * of the canvas, R says recording needs the program, F uses the Fullscreen
 * API. window.headviz.state() reports the step, the tooltip and any error
 * (for tests and for pages that embed the figure).
 * Does NOT: read files or the network. */
#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app/overlay.h"
#include "../app/player.h"
#include "../core/anim.h"
#include "../core/figure.h"
#include "../core/scale.h"
#include "../gl/renderer.h"
#include "../gl/text.h"
#include "pagedata.h"

#define MODEL_FADE_S 0.3
#define TIP_LINES 12

typedef struct web {
    hv_dataset all, ds;
    hv_spec spec;
    hv_page_opts po;
    hv_figure fig;
    hv_anim anim;
    hv_anim_opts aopt;
    hv_timeline tl;
    hv_text *text;
    hv_renderer *ren;
    hv_drawlist dl;
    hv_panel_state panels[HV_MAX_PANELS];
    int n_panels;
    hv_frame_desc desc;
    hv_figure_layout layout;
    float context, font_scale;
    int legend;
    hv_player player;
    float model_target[HV_MAX_MODELS], model_alpha[HV_MAX_MODELS];
    int theme;
    float mouse_x, mouse_y; /* canvas px */
    bool mouse_in;
    int hover_panel, hover_point;
    char status[512];
    char tip[TIP_LINES][HV_TEXT_MAX + 32];
    int n_tip;
    int w, h; /* canvas px */
    double dpr;
    double last_ms;
    bool started;
    int frames;
    double start_ms, first_frame_ms;
    char error[HV_ERROR_MAX];
    char state_json[8192];
    int n_fonts; /* the fallback fonts the page carries */
} web;

static web W;

/* ---- the page ---------------------------------------------------------------- */

EM_JS(char *, page_data, (void), {
    var el = document.getElementById("headviz-data");
    var t = el ? el.textContent : "";
    var n = lengthBytesUTF8(t) + 1;
    var p = _malloc(n);
    stringToUTF8(t, p, n);
    return p;
});

EM_JS(void, show_error, (const char *msg), {
    var m = UTF8ToString(msg);
    console.error("headviz: " + m);
    var el = document.getElementById("headviz-error");
    if (el) { el.textContent = "headviz: " + m; el.style.display = "block"; }
});

EM_JS(void, download_png, (const char *name), {
    var n = UTF8ToString(name);
    Module.canvas.toBlob(function(b) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(b);
        a.download = n;
        document.body.appendChild(a);
        a.click();
        setTimeout(function() { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }, "image/png");
});

EM_JS(int, toggle_fullscreen, (void), {
    var el = Module.canvas.parentElement || Module.canvas;
    if (document.fullscreenElement) { document.exitFullscreen(); return 0; }
    if (el.requestFullscreen) { el.requestFullscreen(); return 1; }
    return -1;
});

static void fail(const char *msg)
{
    snprintf(W.error, sizeof W.error, "%s", msg);
    show_error(W.error);
}

/* ---- the player ---------------------------------------------------------------- */

static double progress(void) { return hv_player_progress(&W.player); }

static bool animating(void)
{
    if (hv_player_animating(&W.player))
        return true;
    for (int m = 0; m < W.ds.n_models; m++)
        if (W.model_alpha[m] != W.model_target[m])
            return true;
    return false;
}

static void tick(double dt)
{
    if (dt < 0)
        dt = 0;
    if (dt > 0.25)
        dt = 0.25;
    hv_player_tick(&W.player, dt);
    for (int m = 0; m < W.ds.n_models; m++) {
        float d = W.model_target[m] - W.model_alpha[m];
        float s = (float)(dt / MODEL_FADE_S);
        if (d != 0) {
            W.model_alpha[m] = fabsf(d) <= s ? W.model_target[m] : W.model_alpha[m] + (d > 0 ? s : -s);
            W.player.dirty = true;
        }
    }
}

static void set_opts(void)
{
    hv_error err = {""};
    if (!hv_anim_set_opts(&W.anim, &W.aopt, &err))
        hv_player_notice(&W.player, "%s", err.msg);
    W.player.n_steps = hv_anim_steps(&W.anim);
    W.hover_point = -1;
    W.player.dirty = true;
}

static void act(hv_action a)
{
    hv_error err = {""};
    switch (a) {
    case HV_ACT_LAYOUT:
        for (int k = 1; k < HV_LAYOUT_COUNT; k++) {
            hv_anim_opts o = W.aopt;
            o.layout = (hv_layout_mode)((W.aopt.layout + k) % HV_LAYOUT_COUNT);
            if (hv_anim_set_opts(&W.anim, &o, &err)) {
                W.aopt = o;
                set_opts();
                hv_player_notice(&W.player, "layout %s", hv_layout_name(W.aopt.layout));
                break;
            }
            hv_player_notice(&W.player, "%s", err.msg);
        }
        break;
    case HV_ACT_MATCH:
        W.aopt.match = (hv_match_mode)((W.aopt.match + 1) % HV_MATCH_COUNT);
        set_opts();
        hv_player_notice(&W.player, "match %s", hv_match_name(W.aopt.match));
        break;
    case HV_ACT_EASING:
        W.aopt.easing = (hv_easing)((W.aopt.easing + 1) % HV_EASE_COUNT);
        set_opts();
        hv_player_notice(&W.player, "easing %s", hv_easing_name(W.aopt.easing));
        break;
    case HV_ACT_THEME:
        W.theme = W.theme == HV_THEME_DARK ? HV_THEME_LIGHT : HV_THEME_DARK;
        break;
    case HV_ACT_FULLSCREEN:
        if (toggle_fullscreen() < 0)
            hv_player_notice(&W.player, "this browser has no fullscreen for the page");
        break;
    case HV_ACT_SCREENSHOT: {
        char name[64];
        snprintf(name, sizeof name, "headviz-step%d.png", hv_player_step(&W.player) + 1);
        download_png(name);
        hv_player_notice(&W.player, "saved %s (downloads)", name);
        break;
    }
    case HV_ACT_RECORD:
        hv_player_notice(&W.player, "recording needs the program: headviz --video or --export-frames");
        break;
    default: break;
    }
    W.player.dirty = true;
}

static hv_key key_of(const EmscriptenKeyboardEvent *e, int *digit)
{
    const char *k = e->key;
    *digit = -1;
    if (k[0] >= '0' && k[0] <= '9' && !k[1]) {
        *digit = k[0] - '0';
        return HV_KEY_DIGIT;
    }
    if (!strcmp(k, "ArrowRight") || !strcmp(k, "PageDown") || !strcmp(k, "ArrowDown"))
        return HV_KEY_NEXT;
    if (!strcmp(k, " ") || !strcmp(k, "Spacebar"))
        return W.po.loop ? HV_KEY_PLAY : HV_KEY_NEXT;
    if (!strcmp(k, "ArrowLeft") || !strcmp(k, "PageUp") || !strcmp(k, "ArrowUp"))
        return HV_KEY_PREV;
    if (!strcmp(k, "Backspace"))
        return W.player.number[0] ? HV_KEY_BACKSPACE : HV_KEY_PREV;
    if (!strcmp(k, "Home"))
        return HV_KEY_FIRST;
    if (!strcmp(k, "End"))
        return HV_KEY_LAST;
    if (!strcmp(k, "Enter"))
        return HV_KEY_ENTER;
    if (!strcmp(k, "Escape"))
        return HV_KEY_ESCAPE;
    if (!strcmp(k, "F1") || !strcmp(k, "?"))
        return HV_KEY_HELP;
    if (k[1])
        return HV_KEY_NONE;
    switch (k[0]) {
    case 'n': case 'N': return HV_KEY_NEXT;
    case 'p': case 'P': return HV_KEY_PLAY;
    case 'b': case 'B': case '.': return HV_KEY_BLACK;
    case 'w': case 'W': case ',': return HV_KEY_WHITE;
    case 'h': case 'H': return HV_KEY_HELP;
    case 'i': case 'I': return HV_KEY_HUD;
    case 'l': case 'L': return HV_KEY_LAYOUT;
    case 'm': case 'M': return HV_KEY_MATCH;
    case 'e': case 'E': return HV_KEY_EASING;
    case 't': case 'T': return HV_KEY_THEME;
    case 'f': case 'F': return HV_KEY_FULLSCREEN;
    case 's': case 'S': return HV_KEY_SCREENSHOT;
    case 'r': case 'R': return HV_KEY_RECORD;
    default: return HV_KEY_NONE;
    }
}

static EM_BOOL on_key(int type, const EmscriptenKeyboardEvent *e, void *user)
{
    (void)type;
    (void)user;
    if (e->ctrlKey || e->metaKey || e->altKey || W.error[0])
        return EM_FALSE; /* the browser's own shortcuts */
    int digit;
    hv_key k = key_of(e, &digit);
    if (k == HV_KEY_NONE)
        return EM_FALSE;
    act(hv_player_key(&W.player, k, digit));
    W.player.quit = false; /* Esc with nothing open: a page has nothing to quit */
    W.player.dirty = true;
    return EM_TRUE; /* handled: no scrolling on Space, PageDown or the arrows */
}

static EM_BOOL on_mouse(int type, const EmscriptenMouseEvent *e, void *user)
{
    (void)user;
    W.mouse_x = (float)((double)e->targetX * W.dpr);
    W.mouse_y = (float)((double)e->targetY * W.dpr);
    if (type == EMSCRIPTEN_EVENT_MOUSELEAVE) {
        W.mouse_in = false;
    } else {
        W.mouse_in = true;
        hv_player_mouse_moved(&W.player);
    }
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN && e->button == 0) {
        int m = hv_figure_hit_legend(&W.layout, W.mouse_x, W.mouse_y);
        if (m >= 0 && m < W.ds.n_models)
            W.model_target[m] = W.model_target[m] > 0.5f ? 0.0f : 1.0f;
    }
    W.player.dirty = true;
    return EM_FALSE;
}

/* ---- frames (as the window's, src/app/app.c) ------------------------------------ */

static int source_point(const hv_scene_point *sp) { return sp->src_a >= 0 ? sp->src_a : sp->src_b; }

static void head_lines(int model, int layer, int head)
{
    const hv_dataset *all = &W.all, *ds = &W.ds;
    int n = 0;
    snprintf(W.tip[n++], sizeof W.tip[0], "%s", W.fig.models[model].label);
    snprintf(W.tip[n++], sizeof W.tip[0], "layer %d, head %d", layer, head);
    for (int c = 0; c < all->n_conditions && n < 10; c++) {
        int of_all = 0, of_shown = 0;
        double score = 0;
        int rank = hv_dataset_rank(all, model, c, layer, head, W.po.rank_abs, &of_all, &score);
        hv_dataset_rank(ds, model, c, layer, head, W.po.rank_abs, &of_shown, NULL);
        char sc[96], num[48];
        hv_format_number(score, num, (int)sizeof num);
        if (!rank)
            snprintf(sc, sizeof sc, "%s", all->full[model][c] ? "no score" : "not in top-k");
        else if (of_all > of_shown)
            snprintf(sc, sizeof sc, "%s (rank %d of %d)", num, rank, of_all);
        else
            snprintf(sc, sizeof sc, "%s", num);
        snprintf(W.tip[n++], sizeof W.tip[0], "%s: %s", all->conditions[c], sc);
    }
    W.n_tip = n;
}

static void status_line(char *out, size_t size)
{
    const hv_dataset *ds = &W.ds;
    const hv_player *pl = &W.player;
    double P = progress();
    int k = (int)floor(P) % ds->n_conditions, next = (k + 1) % ds->n_conditions;
    int o = 0;
    if (P - floor(P) > 0 && pl->stepping && pl->dir < 0)
        o += snprintf(out + o, size - (size_t)o, "%s \xe2\x86\x92 %s", ds->conditions[next], ds->conditions[k]);
    else if (P - floor(P) > 0)
        o += snprintf(out + o, size - (size_t)o, "%s \xe2\x86\x92 %s", ds->conditions[k], ds->conditions[next]);
    else
        o += snprintf(out + o, size - (size_t)o, "%s  \xc2\xb7  step %d of %d", ds->conditions[k],
                      hv_player_step(pl) + 1, pl->n_steps);
    if ((size_t)o < size)
        snprintf(out + o, size - (size_t)o, "  \xc2\xb7  %s  \xc2\xb7  layout %s, match %s, easing %s  \xc2\xb7  H: help",
                 pl->playing ? "playing" : pl->stepping ? "moving" : "paused", hv_layout_name(W.aopt.layout),
                 hv_match_name(W.aopt.match), hv_easing_name(W.aopt.easing));
}

static const char *const k_help[] = {
    "Keys",
    "Right, PageDown, Space\tnext step (animated); nothing after the last",
    "Left, PageUp\tprevious step (the transition reversed)",
    "Home / End\tfirst / last step",
    "1 2 ... then Enter\tgo to that step",
    "B / W\tblack / white screen (any key returns)",
    "P\tplay through the steps",
    "L\tlayout: side, morph, models, heatmap, diff",
    "M\tmatching: head, rank, nearest",
    "E\teasing: linear, cubic, quint, back, elastic",
    "T\tlight / dark theme",
    "F\tfullscreen",
    "I\tstatus line",
    "S\tdownload a PNG of this frame",
    "H or ?\tthis help",
    "Esc\tclose this help",
    "Mouse\thover a marker for its scores;",
    "\tclick a legend entry to hide a model",
};

static float overlay_scale(int w, int h)
{
    float s = fminf((float)w / 1920.0f, (float)h / 1080.0f);
    return fmaxf(s, 1.0f) * W.context * W.font_scale;
}

static void build(int w, int h)
{
    double P = progress();
    W.n_panels = hv_anim_frame(&W.anim, P, W.model_alpha, W.panels, &W.desc);
    hv_figure_opts fo = {0};
    fo.width = w;
    fo.height = h;
    fo.theme = (hv_theme_id)W.theme;
    fo.context = W.context;
    fo.font_scale = W.font_scale;
    fo.legend = W.legend;
    fo.desc = W.desc;
    fo.measure = hv_text_measure;
    fo.measure_user = W.text;
    const hv_player *pl = &W.player;
    float os = overlay_scale(w, h);
    if (pl->hud) {
        hv_text_metrics m;
        hv_text_measure(W.text, "Hg", fmaxf(15 * os, 11), &m);
        fo.reserve_bottom = m.ascent + m.descent + 20 * os;
    }
    W.hover_point = -1;
    W.n_tip = 0;
    if (W.mouse_in) {
        int panel = -1;
        int i = hv_figure_hit(&W.layout, W.panels, W.n_panels, W.mouse_x, W.mouse_y, &panel);
        if (i >= 0) {
            W.hover_panel = panel;
            W.hover_point = i;
            hv_scene_point *hp = (hv_scene_point *)&W.panels[panel].points[i];
            hp->flags |= HV_POINT_HOVER;
            const hv_point *p = &W.ds.points[source_point(hp)];
            for (int q = 0; q < W.n_panels; q++) {
                if (q == panel)
                    continue;
                for (int j = 0; j < W.panels[q].n_points; j++) {
                    hv_scene_point *sp = (hv_scene_point *)&W.panels[q].points[j];
                    const hv_point *r = &W.ds.points[source_point(sp)];
                    if (r->model == p->model && r->layer == p->layer && r->head == p->head)
                        sp->flags |= HV_POINT_HIGHLIGHT;
                }
            }
        }
    }
    hv_figure_build(&W.fig, &fo, W.panels, W.n_panels, &W.dl, &W.layout);
    if (pl->blank != HV_BLANK_NONE) {
        hv_color c = pl->blank == HV_BLANK_BLACK ? (hv_color){0, 0, 0, 1} : (hv_color){1, 1, 1, 1};
        hv_drawlist_reset(&W.dl, w, h, c);
        return;
    }
    hv_overlay_style st = {hv_theme_get((hv_theme_id)W.theme), os, hv_text_measure, W.text};
    if (pl->hud) {
        status_line(W.status, sizeof W.status);
        const char *l[1] = {W.status};
        hv_overlay_box(&W.dl, &st, l, 1, 0, (float)h, HV_BOX_BOTTOM_LEFT, false);
    }
    int cell_panel, cell_layer, cell_head;
    if (W.hover_point >= 0) {
        const hv_scene_point *sp = &W.panels[W.hover_panel].points[W.hover_point];
        int src = source_point(sp);
        if (sp->src_a >= 0 && sp->src_b >= 0 && P - floor(P) >= 0.5)
            src = sp->src_b;
        const hv_point *p = &W.ds.points[src];
        head_lines(p->model, p->layer, p->head);
    } else if (W.mouse_in && hv_figure_hit_cell(&W.layout, W.panels, W.n_panels, W.mouse_x, W.mouse_y, &cell_panel,
                                                &cell_layer, &cell_head)) {
        int per_model = W.aopt.layout == HV_LAYOUT_DIFF ? W.ds.n_conditions - 1 : W.ds.n_conditions;
        head_lines(cell_panel / (per_model > 0 ? per_model : 1), cell_layer, cell_head);
    }
    if (W.n_tip) {
        const char *lp[TIP_LINES];
        for (int i = 0; i < W.n_tip; i++)
            lp[i] = W.tip[i];
        hv_overlay_box(&W.dl, &st, lp, W.n_tip, W.mouse_x, W.mouse_y, HV_BOX_NEAR_CURSOR, true);
    }
    char line[300];
    float note_y = (float)h - (pl->hud ? fo.reserve_bottom : 0) - 12 * os;
    if (pl->number[0]) {
        snprintf(line, sizeof line, "go to step %s (Enter)", pl->number);
        const char *l[1] = {line};
        hv_overlay_box(&W.dl, &st, l, 1, (float)w * 0.5f, note_y, HV_BOX_BOTTOM_CENTER, false);
    } else if (pl->notice[0] && pl->notice_left > 0) {
        const char *l[1] = {pl->notice};
        hv_overlay_box(&W.dl, &st, l, 1, (float)w * 0.5f, note_y, HV_BOX_BOTTOM_CENTER, false);
    }
    if (pl->help)
        hv_overlay_box(&W.dl, &st, k_help, (int)(sizeof k_help / sizeof k_help[0]), 0, 0, HV_BOX_CENTER, true);
}

/* The canvas follows its CSS box at the screen's pixel density. */
static void fit_canvas(void)
{
    double cw = 0, ch = 0;
    emscripten_get_element_css_size("#canvas", &cw, &ch);
    double dpr = emscripten_get_device_pixel_ratio();
    if (dpr <= 0)
        dpr = 1;
    int w = (int)lround(cw * dpr), h = (int)lround(ch * dpr);
    if (w < 16)
        w = 16;
    if (h < 16)
        h = 16;
    if (w != W.w || h != W.h || dpr != W.dpr) {
        W.w = w;
        W.h = h;
        W.dpr = dpr;
        emscripten_set_canvas_element_size("#canvas", w, h);
        W.player.dirty = true;
    }
}

static EM_BOOL frame(double now_ms, void *user)
{
    (void)user;
    if (W.error[0])
        return EM_FALSE;
    double dt = W.started ? (now_ms - W.last_ms) / 1000.0 : 0;
    W.started = true;
    W.last_ms = now_ms;
    fit_canvas();
    tick(dt);
    if (W.player.dirty || animating()) {
        build(W.w, W.h);
        hv_renderer_present(W.ren, &W.dl);
        W.player.dirty = false;
        if (W.frames++ == 0)
            W.first_frame_ms = emscripten_get_now() - W.start_ms;
    }
    return EM_TRUE;
}

/* ---- the test hook: window.headviz.state() ---------------------------------------- */

static int json_str(char *out, size_t size, const char *s)
{
    size_t o = 0;
    if (size < 3)
        return 0;
    out[o++] = '"';
    for (; *s && o + 8 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)snprintf(out + o, size - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
    return (int)o;
}

EMSCRIPTEN_KEEPALIVE const char *hv_web_state(void)
{
    char tip[2048] = "", esc[2400], err[HV_ERROR_MAX * 2 + 8], notice[600];
    for (int i = 0; i < W.n_tip; i++) {
        size_t n = strlen(tip);
        snprintf(tip + n, sizeof tip - n, "%s%s", i ? "\n" : "", W.tip[i]);
    }
    json_str(esc, sizeof esc, tip);
    json_str(err, sizeof err, W.error);
    json_str(notice, sizeof notice, W.player.notice_left > 0 ? W.player.notice : "");
    snprintf(W.state_json, sizeof W.state_json,
             "{\"step\":%d,\"steps\":%d,\"progress\":%.6f,\"animating\":%s,\"layout\":\"%s\",\"theme\":\"%s\","
             "\"help\":%s,\"blank\":%d,\"width\":%d,\"height\":%d,\"dpr\":%g,\"frames\":%d,\"main_ms\":%.1f,"
             "\"first_frame_ms\":%.1f,\"fonts\":%d,\"missing_glyphs\":%d,"
             "\"tooltip\":%s,\"notice\":%s,\"error\":%s}",
             W.ren ? hv_player_step(&W.player) : -1, W.player.n_steps, W.ren ? progress() : 0.0,
             W.ren && animating() ? "true" : "false", hv_layout_name(W.aopt.layout),
             W.theme == HV_THEME_DARK ? "dark" : "light", W.player.help ? "true" : "false", (int)W.player.blank, W.w,
             W.h, W.dpr, W.frames, W.start_ms, W.first_frame_ms, W.n_fonts, W.text ? hv_text_missing_glyphs(W.text) : -1,
             esc, notice, err);
    return W.state_json;
}

/* ---- start ------------------------------------------------------------------------ */

int main(void)
{
    W.start_ms = emscripten_get_now();
    W.hover_panel = W.hover_point = -1;
    hv_error err = {""};
    char *text = page_data();
    bool ok = hv_page_read(text, &W.all, &W.spec, &W.po, &err);
    free(text);
    if (!ok) {
        fail(err.msg);
        return 0;
    }
    if (!hv_dataset_top_k(&W.all, W.po.top, W.po.rank_abs, &W.ds, &err) ||
        !hv_figure_prepare(&W.fig, &W.ds, &W.spec, &err)) {
        fail(err.msg);
        return 0;
    }
    W.fig.all = &W.all;
    W.context = hv_context_scale(W.po.context_id);
    W.font_scale = W.po.font_scale > 0 ? W.po.font_scale : 1;
    W.legend = W.po.legend;
    W.theme = W.po.theme;
    W.aopt.layout = (hv_layout_mode)W.po.layout;
    W.aopt.match = (hv_match_mode)W.po.match;
    W.aopt.easing = (hv_easing)W.po.easing;
    W.aopt.stagger = W.po.stagger;
    if (!hv_anim_init(&W.anim, &W.fig, &W.aopt, &err)) {
        fail(err.msg);
        return 0;
    }
    W.tl.n_states = W.ds.n_conditions;
    W.tl.hold = W.po.hold > 0 ? W.po.hold : 1.0;
    W.tl.transition = W.po.transition > 0 ? W.po.transition : 1.5;
    hv_player_init(&W.player, &W.tl, hv_anim_steps(&W.anim), W.po.loop, false, W.po.progress);
    W.player.hud = false; /* a page is often embedded: the status line on I */
    W.player.dirty = true;
    for (int m = 0; m < HV_MAX_MODELS; m++)
        W.model_target[m] = W.model_alpha[m] = 1;

    EmscriptenWebGLContextAttributes a;
    emscripten_webgl_init_context_attributes(&a);
    a.majorVersion = 2;
    a.minorVersion = 0;
    a.alpha = 0;
    a.depth = 0;
    a.stencil = 0;
    a.antialias = 0; /* markers are antialiased by their shader, as in the window */
    a.premultipliedAlpha = 1;
    a.preserveDrawingBuffer = 1; /* the canvas keeps its frame between redraws (S, tests) */
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context("#canvas", &a);
    if (ctx <= 0) {
        fail("this browser cannot give the page a WebGL2 context (needed to draw the figure)");
        return 0;
    }
    emscripten_webgl_make_context_current(ctx);
    W.text = hv_text_create(NULL, &err);
    W.n_fonts = W.po.n_fonts;
    for (int f = 0; W.text && f < W.po.n_fonts; f++)
        if (!hv_text_add_font(W.text, W.po.fonts[f].data, W.po.fonts[f].len, &err)) {
            hv_text_destroy(W.text);
            W.text = NULL;
        }
    hv_page_opts_free(&W.po); /* the text layer holds its copies */
    if (!W.text) {
        fail(err.msg);
        return 0;
    }
    hv_renderer_desc rd = {0};
    W.ren = hv_renderer_create(&rd, W.text, &err);
    if (!W.ren) {
        fail(err.msg);
        return 0;
    }
    fit_canvas();
    emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, NULL, EM_TRUE, on_key);
    emscripten_set_mousemove_callback("#canvas", NULL, EM_TRUE, on_mouse);
    emscripten_set_mousedown_callback("#canvas", NULL, EM_TRUE, on_mouse);
    emscripten_set_mouseleave_callback("#canvas", NULL, EM_TRUE, on_mouse);
    /* the first frame now, not one animation frame later */
    frame(emscripten_get_now(), NULL);
    W.started = false;
    emscripten_request_animation_frame_loop(frame, NULL);
    return 0;
}
