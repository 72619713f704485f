/* The web player: headviz's window, in a browser page (headviz --html).
 *
 * The same core (dataset, figure, anim), the same player state machine
 * (src/app/player.c), the same overlays (src/app/overlay.c) and the same GL
 * renderer (src/gl/renderer.c, built for WebGL2 with its shaders in GLSL ES)
 * as the native window, and the same frames (src/app/view.c); this file is
 * the platform layer in SDL's place: emscripten's html5.h for the WebGL2
 * context, keys and the mouse, requestAnimationFrame for the clock. The data
 * comes from the page (a <script class="headviz-data"> element the native
 * run wrote: pagedata.h), handed over as Module.headvizData.
 *
 * Built MODULARIZE (createHeadviz): each figure on a page (--html-fragment,
 * several per page) runs its own instance with its own canvas; a key goes to
 * the figure with the focus, else the one under the mouse (a page of its
 * own, --html: every key).
 *
 * Differences from the window: no status line until I (a page is often
 * embedded), Q does nothing (a page has nothing to quit), S downloads a PNG
 * of the canvas, R says recording needs the program, F uses the Fullscreen
 * API. The figure element's .headviz.state() (window.headviz: the page's
 * first figure) reports the step, the tooltip and any error (for tests and
 * for pages that embed the figure).
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
#include "../app/view.h"
#include "../core/anim.h"
#include "../core/figure.h"
#include "../core/scale.h"
#include "../gl/renderer.h"
#include "../gl/text.h"
#include "pagedata.h"

typedef struct web {
    hv_view v; /* the data, the player, the frame: as the window's (src/app/view.h) */
    hv_spec spec;
    hv_page_opts po;
    hv_text *text;
    hv_renderer *ren;
    char *canvas; /* its selector ("#id") */
    int w, h;     /* canvas px */
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
    var t = Module.headvizData || "";
    var n = lengthBytesUTF8(t) + 1;
    var p = _malloc(n);
    stringToUTF8(t, p, n);
    return p;
});

/* A selector for this figure's canvas (the html5 functions take one): its
 * id, given when it has none (several figures may share a page). */
EM_JS(char *, canvas_selector, (void), {
    var c = Module.canvas;
    if (!c.id) {
        window.headvizCanvases = (window.headvizCanvases || 0) + 1;
        c.id = "headviz-canvas-" + window.headvizCanvases;
    }
    var t = "#" + c.id;
    var n = lengthBytesUTF8(t) + 1;
    var p = _malloc(n);
    stringToUTF8(t, p, n);
    return p;
});

/* Whether a key is this figure's: always on a page of its own; among
 * figures on one page (--html-fragment), the focused one's, else the one
 * under the mouse. */
EM_JS(int, keys_here, (void), {
    var c = Module.canvas;
    if (Module.headvizKeys === "page") return 1;
    var a = document.activeElement;
    if (a && a.tagName === "CANVAS" && a.parentElement && a.parentElement.classList.contains("headviz-figure"))
        return a === c ? 1 : 0;
    return c.matches(":hover") ? 1 : 0;
});

EM_JS(void, show_error, (const char *msg), {
    var m = UTF8ToString(msg);
    console.error("headviz: " + m);
    var el = Module.headvizError;
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

static void act(hv_action a)
{
    hv_error err = {""};
    if (hv_view_act(&W.v, a, &err)) { /* layout, matching, easing, theme */
        if (err.msg[0])
            hv_player_notice(&W.v.player, "%s", err.msg);
        return;
    }
    switch (a) {
    case HV_ACT_FULLSCREEN:
        if (toggle_fullscreen() < 0)
            hv_player_notice(&W.v.player, "this browser has no fullscreen for the page");
        break;
    case HV_ACT_SCREENSHOT: {
        char name[64];
        snprintf(name, sizeof name, "headviz-step%d.png", hv_player_step(&W.v.player) + 1);
        download_png(name);
        hv_player_notice(&W.v.player, "saved %s (downloads)", name);
        break;
    }
    case HV_ACT_RECORD:
        hv_player_notice(&W.v.player, "recording needs the program: headviz --video or --export-frames");
        break;
    default: break;
    }
    W.v.player.dirty = true;
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
        return W.v.player.number[0] ? HV_KEY_BACKSPACE : HV_KEY_PREV;
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
    if (e->ctrlKey || e->metaKey || e->altKey || W.error[0] || !keys_here())
        return EM_FALSE; /* the browser's own shortcuts, or another figure's key */
    int digit;
    hv_key k = key_of(e, &digit);
    if (k == HV_KEY_NONE)
        return EM_FALSE;
    act(hv_player_key(&W.v.player, k, digit));
    W.v.player.quit = false; /* Esc with nothing open: a page has nothing to quit */
    W.v.player.dirty = true;
    return EM_TRUE; /* handled: no scrolling on Space, PageDown or the arrows */
}

static EM_BOOL on_mouse(int type, const EmscriptenMouseEvent *e, void *user)
{
    (void)user;
    W.v.mouse_x = (float)((double)e->targetX * W.dpr);
    W.v.mouse_y = (float)((double)e->targetY * W.dpr);
    if (type == EMSCRIPTEN_EVENT_MOUSELEAVE) {
        W.v.mouse_in = false;
    } else {
        W.v.mouse_in = true;
        hv_player_mouse_moved(&W.v.player);
    }
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN && e->button == 0)
        hv_view_click(&W.v);
    W.v.player.dirty = true;
    return EM_FALSE;
}

/* ---- frames (src/app/view.c, as the window's) ----------------------------------- */

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

static void build(int w, int h)
{
    hv_view_frame f = {0};
    f.width = w;
    f.height = h;
    f.overlays = true;
    f.band = false; /* a page is often embedded: notices over the figure's foot, a band only for I */
    hv_view_build(&W.v, &f);
}

/* The canvas follows its CSS box at the screen's pixel density. */
static void fit_canvas(void)
{
    double cw = 0, ch = 0;
    emscripten_get_element_css_size(W.canvas, &cw, &ch);
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
        emscripten_set_canvas_element_size(W.canvas, w, h);
        W.v.player.dirty = true;
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
    hv_view_tick(&W.v, dt);
    if (W.v.player.dirty || hv_view_animating(&W.v)) {
        build(W.w, W.h);
        hv_renderer_present(W.ren, &W.v.dl);
        W.v.player.dirty = false;
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
    for (int i = 0; i < W.v.n_tip; i++) {
        size_t n = strlen(tip);
        snprintf(tip + n, sizeof tip - n, "%s%s", i ? "\n" : "", W.v.tip[i]);
    }
    json_str(esc, sizeof esc, tip);
    json_str(err, sizeof err, W.error);
    json_str(notice, sizeof notice, W.v.player.notice_left > 0 ? W.v.player.notice : "");
    snprintf(W.state_json, sizeof W.state_json,
             "{\"step\":%d,\"steps\":%d,\"progress\":%.6f,\"animating\":%s,\"layout\":\"%s\",\"theme\":\"%s\","
             "\"help\":%s,\"blank\":%d,\"width\":%d,\"height\":%d,\"dpr\":%g,\"frames\":%d,\"main_ms\":%.1f,"
             "\"first_frame_ms\":%.1f,\"fonts\":%d,\"missing_glyphs\":%d,"
             "\"tooltip\":%s,\"notice\":%s,\"error\":%s}",
             W.ren ? hv_player_step(&W.v.player) : -1, W.v.player.n_steps, W.ren ? hv_view_progress(&W.v) : 0.0,
             W.ren && hv_view_animating(&W.v) ? "true" : "false", hv_layout_name(W.v.aopt.layout),
             W.v.theme == HV_THEME_DARK ? "dark" : "light", W.v.player.help ? "true" : "false", (int)W.v.player.blank, W.w,
             W.h, W.dpr, W.frames, W.start_ms, W.first_frame_ms, W.n_fonts, W.text ? hv_text_missing_glyphs(W.text) : -1,
             esc, notice, err);
    return W.state_json;
}

/* ---- start ------------------------------------------------------------------------ */

int main(void)
{
    W.start_ms = emscripten_get_now();
    W.canvas = canvas_selector();
    hv_view_init(&W.v);
    hv_error err = {""};
    char *text = page_data();
    bool ok = hv_page_read(text, &W.v.all, &W.spec, &W.po, &err);
    free(text);
    if (!ok) {
        fail(err.msg);
        return 0;
    }
    if (!hv_dataset_top_k(&W.v.all, W.po.top, W.po.rank_abs, &W.v.ds, &err) ||
        !hv_figure_prepare(&W.v.fig, &W.v.ds, &W.spec, &err)) {
        fail(err.msg);
        return 0;
    }
    W.v.fig.all = &W.v.all;
    W.v.rank_abs = W.po.rank_abs;
    W.v.context = hv_context_scale(W.po.context_id);
    W.v.font_scale = W.po.font_scale > 0 ? W.po.font_scale : 1;
    W.v.legend = W.po.legend;
    W.v.theme = W.po.theme;
    W.v.aopt.layout = (hv_layout_mode)W.po.layout;
    W.v.aopt.match = (hv_match_mode)W.po.match;
    W.v.aopt.easing = (hv_easing)W.po.easing;
    W.v.aopt.stagger = W.po.stagger;
    if (!hv_anim_init(&W.v.anim, &W.v.fig, &W.v.aopt, &err)) {
        fail(err.msg);
        return 0;
    }
    W.v.tl.n_states = W.v.ds.n_conditions;
    W.v.tl.hold = W.po.hold > 0 ? W.po.hold : 1.0;
    W.v.tl.transition = W.po.transition > 0 ? W.po.transition : 1.5;
    hv_player_init(&W.v.player, &W.v.tl, hv_anim_steps(&W.v.anim), W.po.loop, false, W.po.progress);
    W.v.player.hud = false; /* a page is often embedded: the status line on I */
    W.v.player.dirty = true;

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
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE ctx = emscripten_webgl_create_context(W.canvas, &a);
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
    W.v.measure = hv_text_measure;
    W.v.measure_user = W.text;
    W.v.help = k_help;
    W.v.n_help = (int)(sizeof k_help / sizeof k_help[0]);
    hv_renderer_desc rd = {0};
    W.ren = hv_renderer_create(&rd, W.text, &err);
    if (!W.ren) {
        fail(err.msg);
        return 0;
    }
    fit_canvas();
    emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, NULL, EM_TRUE, on_key);
    emscripten_set_mousemove_callback(W.canvas, NULL, EM_TRUE, on_mouse);
    emscripten_set_mousedown_callback(W.canvas, NULL, EM_TRUE, on_mouse);
    emscripten_set_mouseleave_callback(W.canvas, NULL, EM_TRUE, on_mouse);
    /* the first frame now, not one animation frame later */
    frame(emscripten_get_now(), NULL);
    W.started = false;
    emscripten_request_animation_frame_loop(frame, NULL);
    return 0;
}
