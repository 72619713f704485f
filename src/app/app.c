#include "app.h"

#include "../core/stages.h"

#include <SDL.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/stages.h"
#include "../export/encoder.h"
#include "../export/png.h"
#include "../gl/renderer.h"
#include "../gl/text.h"
#include "../gl/window.h"
#include "../io/scores.h"
#include "../vector/vector.h"
#include "assets.h"
#include "export_run.h"
#include "html_out.h"
#include "overlay.h"
#include "sources.h"
#include "table.h"
#include "version.h" /* generated at build time: HV_VERSION, HV_GIT_COMMIT */

static int fail(int code, const hv_error *err)
{
    fprintf(stderr, "headviz: %s\n", err->msg);
    return code;
}

static bool file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* DATA.ini, else headviz.ini in DATA's folder. */
static bool find_spec_beside(const char *data, char *out, size_t size)
{
    const char *slash = strrchr(data, '/');
    const char *base = slash ? slash + 1 : data;
    const char *dot = strrchr(base, '.');
    size_t stem = dot ? (size_t)(dot - data) : strlen(data);
    snprintf(out, size, "%.*s.ini", (int)stem, data);
    if (file_exists(out))
        return true;
    snprintf(out, size, "%.*sheadviz.ini", (int)(slash ? (size_t)(slash - data + 1) : 0), data);
    return file_exists(out);
}

/* "A, B" (a --models / --conditions list, or the spec's key) split at
 * commas, names trimmed, into names (pointers into buf). */
static int split_names(const char *list, char *buf, size_t size, const char **names, int max)
{
    snprintf(buf, size, "%s", list);
    int n = 0;
    for (char *p = buf; p && n < max;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        size_t len = strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            p[--len] = '\0';
        if (*p)
            names[n++] = p;
        p = comma ? comma + 1 : NULL;
    }
    return n;
}

/* Prints each line of msg as a warning. */
static void warn_lines(const char *msg)
{
    for (const char *p = msg; *p;) {
        const char *nl = strchr(p, '\n');
        int n = nl ? (int)(nl - p) : (int)strlen(p);
        fprintf(stderr, "headviz: warning: %.*s\n", n, p);
        p += n + (nl != NULL);
    }
}

static int load(hv_app *a)
{
    hv_error err = {""};
    hv_spec_init(&a->spec);
    const char *data_name = "assets/safety_heads.csv";
    bool bundled = !a->opt.data_path && !a->opt.n_grids && !a->opt.spec_path;
    if (a->opt.data_path) {
        if (!hv_dataset_load(&a->view.all, a->opt.data_path, &err))
            return fail(HV_EXIT_USAGE, &err);
        data_name = strcmp(a->opt.data_path, "-") == 0 ? "<stdin>" : a->opt.data_path;
    } else if (bundled && !hv_dataset_parse(&a->view.all, hv_asset_csv, hv_asset_csv_len, data_name, &err)) {
        return fail(HV_EXIT_RUNTIME, &err);
    }
    /* the spec: --spec; else beside a data file; the bundled data has its
     * own; data from standard input gets the built-in defaults, exactly as
     * a file with no spec beside it */
    char beside[4096];
    const char *spec_name = "spec";
    if (a->opt.spec_path) {
        if (!hv_spec_load(&a->spec, a->opt.spec_path, &err))
            return fail(HV_EXIT_USAGE, &err);
        spec_name = a->opt.spec_path;
    } else if (a->opt.data_path) {
        if (strcmp(a->opt.data_path, "-") != 0 && find_spec_beside(a->opt.data_path, beside, sizeof beside)) {
            if (!hv_spec_load(&a->spec, beside, &err))
                return fail(HV_EXIT_USAGE, &err);
            spec_name = beside;
        }
    } else if (bundled && !hv_spec_parse(&a->spec, hv_asset_ini, "assets/safety_heads.ini", &err)) {
        return fail(HV_EXIT_RUNTIME, &err);
    }
    /* score files: the spec's [source: ...] (relative to the spec), then
     * --grid's */
    if (!hv_spec_check_sources(&a->spec, spec_name, &err))
        return fail(HV_EXIT_USAGE, &err);
    if (a->opt.table && hv_table_format_of(a->opt.table, &err) < 0)
        return fail(HV_EXIT_USAGE, &err);
    if (a->opt.table && strcmp(a->opt.table, "-") != 0 && !hv_check_output(a->opt.table, a->opt.force, &err))
        return fail(HV_EXIT_USAGE, &err);
    /* issue 18: per-source options, extents, counts (sources.c) */
    if (!hv_sources_load(&a->view.all, &a->spec, a->opt.spec_path ? a->opt.spec_path : spec_name, spec_name, &a->opt, &err))
        return fail(HV_EXIT_USAGE, &err);
    if (a->view.all.n_models == 0) {
        hv_errorf(&err, "%s: no data: give DATA.csv, --grid MODEL CONDITION FILE, or [source: FILE] sections", spec_name);
        return fail(HV_EXIT_USAGE, &err);
    }
    char msg[HV_ERROR_MAX * 4];
    /* names: every spec section that names nothing, names alike but for
     * case, punctuation or spaces (before the pick, which may drop some) */
    if (hv_spec_check_names(&a->spec, &a->view.all, spec_name, msg, (int)sizeof msg))
        warn_lines(msg);
    hv_dataset_similar_names(&a->view.all, msg, (int)sizeof msg);
    warn_lines(msg);
    /* --models / --conditions (or the spec's models = / conditions =) */
    {
        char mb[1024], cb[1024], mw[300], cw[300];
        const char *mn[HV_MAX_MODELS + 1], *cn[HV_MAX_CONDITIONS + 1];
        const char *ml = a->opt.models ? a->opt.models : a->spec.pick_models;
        const char *cl = a->opt.conditions ? a->opt.conditions : a->spec.pick_conditions;
        int nm = split_names(ml, mb, sizeof mb, mn, HV_MAX_MODELS + 1);
        int nc = split_names(cl, cb, sizeof cb, cn, HV_MAX_CONDITIONS + 1);
        snprintf(mw, sizeof mw, "%.250s%s", a->opt.models ? "--models" : spec_name,
                 a->opt.models ? "" : ": [figure] models");
        snprintf(cw, sizeof cw, "%.250s%s", a->opt.conditions ? "--conditions" : spec_name,
                 a->opt.conditions ? "" : ": [figure] conditions");
        if ((nm || nc) && !hv_dataset_select(&a->view.all, mn, nm, cn, nc, mw, cw, &err))
            return fail(HV_EXIT_USAGE, &err);
    }
    /* each (model, condition)'s top k: what the scatter layouts show */
    int top = a->opt.top >= 0 ? a->opt.top : a->spec.top >= 0 ? a->spec.top : 10;
    a->view.rank_abs = (a->opt.rank_abs >= 0 ? a->opt.rank_abs : a->spec.rank_by_abs) > 0;
    if (!hv_dataset_top_k(&a->view.all, top, a->view.rank_abs, &a->view.ds, &err))
        return fail(HV_EXIT_RUNTIME, &err);
    /* no row is ever dropped in silence: a NaN score is no score, not a marker */
    hv_dataset_no_score_message(&a->view.all, data_name, msg, (int)sizeof msg);
    if (msg[0])
        fprintf(stderr, "headviz: warning: %s\n", msg);
    /* --table: the numbers behind the figure; alone, it is the whole run */
    if (a->opt.table) {
        if (!hv_table_write(&a->view.all, top, a->view.rank_abs, a->opt.table, a->opt.force, &err))
            return fail(HV_EXIT_USAGE, &err);
        if (!a->opt.screenshot && !a->opt.export_frames && !a->opt.video)
            return 0;
    }
    if (a->opt.orientation >= 0)
        a->spec.orientation = a->opt.orientation;
    if (a->opt.facets >= 0)
        a->spec.facets = a->opt.facets;
    if (a->opt.colormap) {
        snprintf(a->spec.colormap, sizeof a->spec.colormap, "%s", a->opt.colormap);
        a->spec.colormap_set = true;
    }
    /* signed data (any score of the whole grid below 0, not only of the top
     * k shown) gets a diverging colormap in every layout unless one was
     * chosen; hv_figure_prepare centres it on `center` */
    bool negative = false;
    for (int i = 0; i < a->view.all.n_points && !negative; i++)
        negative = a->view.all.points[i].score < 0;
    if (negative && !a->spec.colormap_set && !hv_colormap_find(a->spec.colormap)->diverging)
        snprintf(a->spec.colormap, sizeof a->spec.colormap, "RdBu_r");
    if (!hv_figure_prepare(&a->view.fig, &a->view.ds, &a->spec, &err))
        return fail(HV_EXIT_USAGE, &err);
    a->view.fig.all = &a->view.all;
    /* no head is ever dropped in silence */
    hv_figure_outside_message(&a->view.fig, data_name, msg, (int)sizeof msg);
    if (msg[0])
        fprintf(stderr, "headviz: warning: %s\n", msg);
    int ctx = a->opt.context >= 0 ? a->opt.context : a->spec.context >= 0 ? a->spec.context : HV_CONTEXT_NOTEBOOK;
    a->view.context = hv_context_scale(ctx);
    a->context_id = ctx;
    a->view.font_scale = (float)(a->opt.font_scale > 0 ? a->opt.font_scale : a->spec.font_scale > 0 ? a->spec.font_scale : 1);
    a->view.legend = a->opt.legend >= 0 ? a->opt.legend : a->spec.legend >= 0 ? a->spec.legend : HV_LEGEND_AUTO;
    a->view.aopt.layout = (hv_layout_mode)a->opt.layout;
    a->view.aopt.match = (hv_match_mode)a->opt.match;
    a->view.aopt.easing = (hv_easing)a->opt.easing;
    a->view.aopt.stagger = a->opt.stagger;
    if (!hv_anim_init(&a->view.anim, &a->view.fig, &a->view.aopt, &err))
        return fail(HV_EXIT_RUNTIME, &err);
    a->view.tl.n_states = a->view.ds.n_conditions;
    a->view.tl.hold = a->opt.hold > 0 ? a->opt.hold : 1.0;
    a->view.tl.transition = a->opt.transition > 0 ? a->opt.transition : 1.5;
    if (a->opt.progress_set && (a->opt.progress < 0 || a->opt.progress > a->view.ds.n_conditions - 1 + 1e-9)) {
        hv_errorf(&err, "--progress: %g is out of range for %d conditions (0..%d)", a->opt.progress,
                  a->view.ds.n_conditions, a->view.ds.n_conditions - 1);
        return fail(HV_EXIT_USAGE, &err);
    }
    return -1;
}

static void *load_fonts(void *arg)
{
    hv_app *a = arg;
    a->text = hv_text_create(a->opt.font, &a->font_err);
    return NULL;
}

/* Joins the font thread if it is still running; every exit path calls this
 * (directly or through join_fonts / hv_app_shutdown). */
static void wait_font_thread(hv_app *a)
{
    if (a->font_pending) {
        pthread_join(a->font_thread, NULL);
        a->font_pending = false;
    }
}

/* Waits for the fonts; -1 when loaded, else the exit code (message printed). */
static void build(hv_app *a, int w, int h, bool overlays);

/* An output too small for every panel to show its data is refused (exit 2)
 * with the size that would hold it, never written blank; a context whose
 * type had to shrink says so once. */
static int check_fit(hv_app *a)
{
    if (a->fit_checked)
        return -1;
    a->fit_checked = true;
    int w, h;
    hv_error err = {""};
    if (!hv_cli_pixel_size(&a->opt, 1920, 1080, &w, &h, &err))
        return -1; /* reported where the size is used */
    build(a, w, h, false);
    const hv_figure_layout *l = &a->view.layout;
    if (!l->fits) {
        int nw = (int)ceilf(l->need_w), nh = (int)ceilf(l->need_h);
        nw = nw > w ? nw : w;
        nh = nh > h ? nh : h;
        hv_errorf(&err, "%dx%d is too small for the %s layout's %d panel%s at the smallest legible type: it needs about %dx%d px%s",
                  w, h, hv_layout_name(a->view.aopt.layout), l->n_panels, l->n_panels == 1 ? "" : "s", nw, nh,
                  a->opt.phys_w > 0 ? " (a larger --size or --dpi)" : " (a larger --size)");
        return fail(HV_EXIT_USAGE, &err);
    }
    if (l->type_shrunk && a->view.context > 1.0f)
        fprintf(stderr, "headviz: warning: --context %s: the figure needs about %dx%d px for its type at this context; "
                        "at %dx%d the type was made smaller\n",
                hv_context_name(a->context_id), (int)ceilf(l->need_w), (int)ceilf(l->need_h), w, h);
    return -1;
}

static int join_fonts(hv_app *a)
{
    if (a->font_pending) {
        wait_font_thread(a);
        if (a->text && hv_text_warning(a->text)[0])
            fprintf(stderr, "headviz: warning: --font: %s\n", hv_text_warning(a->text));
    }
    if (!a->text)
        return fail(a->opt.font ? HV_EXIT_USAGE : HV_EXIT_RUNTIME, &a->font_err);
    if (a->opt.screenshot || a->opt.export_frames || a->opt.video)
        return check_fit(a);
    return -1;
}

int hv_app_init(hv_app *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    hv_error err = {""};
    if (!hv_cli_parse(argc, argv, &a->opt, &err))
        return fail(HV_EXIT_USAGE, &err);
    if (a->opt.help) {
        fputs(hv_cli_usage(), stdout);
        return 0;
    }
    if (a->opt.version) {
        printf("headviz %s (git %s)\n", HV_VERSION, HV_GIT_COMMIT);
        return 0;
    }
    hv_stages_enable(a->opt.timings);
    int rc = load(a);
    if (rc >= 0)
        return rc;
    /* fontconfig and FreeType work while hv_app_open creates the GL context
     * (which mostly waits on loading the driver). A page (--html) draws
     * nothing here and never loads them: its fallback-font search calls
     * fontconfig on the main thread, which must not run beside this one */
    pthread_t th;
    if (a->opt.html) {
        /* no fonts: nothing drawn */
    } else if (pthread_create(&th, NULL, load_fonts, a) == 0) {
        a->font_thread = th;
        a->font_pending = true;
    } else {
        load_fonts(a);
    }
    a->view.theme = a->opt.theme;
    hv_view_init(&a->view);
    /* where it starts: the window on the first step of the sequence; a
     * --screenshot on the complete figure in the layouts that build up (side,
     * heatmap), else the first condition; --progress picks a moment */
    bool one_shot = a->opt.screenshot || a->opt.export_frames || a->opt.video;
    bool builds_up = a->view.aopt.layout == HV_LAYOUT_SIDE || a->view.aopt.layout == HV_LAYOUT_HEATMAP;
    double p = a->opt.progress_set ? a->opt.progress : one_shot && builds_up ? a->view.ds.n_conditions - 1 : 0;
    hv_player_init(&a->view.player, &a->view.tl, hv_anim_steps(&a->view.anim), a->opt.loop, a->opt.present, p);
    return -1;
}

static void stop_recording(hv_app *a);

void hv_app_shutdown(hv_app *a)
{
    wait_font_thread(a);
    if (a->recording)
        stop_recording(a);
    if (a->enc) {
        hv_error err = {""};
        if (!hv_encoder_finish(a->enc, &err))
            fprintf(stderr, "headviz: %s\n", err.msg);
        hv_encoder_destroy(a->enc);
        a->enc = NULL;
    }
    hv_renderer_destroy(a->ren);
    hv_text_destroy(a->text);
    hv_view_free(&a->view);
    hv_spec_free(&a->spec);
    a->ren = NULL;
    a->text = NULL;
}

int hv_app_open(hv_app *a, bool visible)
{
    hv_error err = {""};
    hv_renderer_desc rd = {0};
    rd.visible = visible;
    if (!hv_cli_pixel_size(&a->opt, 1600, 900, &rd.width, &rd.height, &err))
        return fail(HV_EXIT_USAGE, &err);
    rd.title = "headviz";
    rd.vsync = true;
    a->ren = hv_renderer_create(&rd, NULL, &err);
    int rc = join_fonts(a);
    if (rc >= 0)
        return rc;
    if (!a->ren)
        return fail(HV_EXIT_RUNTIME, &err);
    hv_renderer_set_text(a->ren, a->text);
    if (visible && a->opt.present) {
        a->fullscreen = true;
        hv_window_set_fullscreen(hv_renderer_window(a->ren), true);
    }
    return -1;
}

/* ---- player ---------------------------------------------------------------- */

double hv_app_progress(const hv_app *a) { return hv_view_progress(&a->view); }

bool hv_app_animating(const hv_app *a) { return a->recording || hv_view_animating(&a->view); }

void hv_app_tick(hv_app *a, double dt)
{
    if (a->recording)
        a->rec_clock += dt < 0 ? 0 : dt > 0.25 ? 0.25 : dt; /* as the view clamps it */
    hv_view_tick(&a->view, dt);
}

/* The player's key for an SDL key, or HV_KEY_NONE. */
static hv_key key_of(const hv_app *a, SDL_Keycode k, Uint16 mod, int *digit)
{
    *digit = -1;
    if (k >= SDLK_0 && k <= SDLK_9 && !(mod & KMOD_SHIFT)) {
        *digit = (int)(k - SDLK_0);
        return HV_KEY_DIGIT;
    }
    if (k >= SDLK_KP_1 && k <= SDLK_KP_9) {
        *digit = (int)(k - SDLK_KP_1) + 1;
        return HV_KEY_DIGIT;
    }
    switch (k) {
    case SDLK_KP_0: *digit = 0; return HV_KEY_DIGIT;
    case SDLK_RIGHT:
    case SDLK_PAGEDOWN:
    case SDLK_DOWN:
    case SDLK_n: return HV_KEY_NEXT;
    /* a clicker's Space is "next"; with --loop Space plays the cycle */
    case SDLK_SPACE: return a->opt.loop ? HV_KEY_PLAY : HV_KEY_NEXT;
    case SDLK_LEFT:
    case SDLK_PAGEUP:
    case SDLK_UP: return HV_KEY_PREV;
    case SDLK_BACKSPACE: return a->view.player.number[0] ? HV_KEY_BACKSPACE : HV_KEY_PREV;
    case SDLK_HOME: return HV_KEY_FIRST;
    case SDLK_END: return HV_KEY_LAST;
    case SDLK_RETURN:
    case SDLK_KP_ENTER: return HV_KEY_ENTER;
    case SDLK_p: return HV_KEY_PLAY;
    case SDLK_b:
    case SDLK_PERIOD: return HV_KEY_BLACK;
    case SDLK_w:
    case SDLK_COMMA: return HV_KEY_WHITE;
    case SDLK_ESCAPE: return HV_KEY_ESCAPE;
    case SDLK_q: return HV_KEY_QUIT;
    case SDLK_h:
    case SDLK_F1:
    case SDLK_QUESTION: return HV_KEY_HELP;
    case SDLK_SLASH: return mod & KMOD_SHIFT ? HV_KEY_HELP : HV_KEY_NONE;
    case SDLK_i: return HV_KEY_HUD;
    case SDLK_l: return HV_KEY_LAYOUT;
    case SDLK_m: return HV_KEY_MATCH;
    case SDLK_e: return HV_KEY_EASING;
    case SDLK_t: return HV_KEY_THEME;
    case SDLK_f: return HV_KEY_FULLSCREEN;
    case SDLK_s: return HV_KEY_SCREENSHOT;
    case SDLK_r: return HV_KEY_RECORD;
    default: return HV_KEY_NONE;
    }
}

static void act(hv_app *a, hv_action act)
{
    hv_error err = {""};
    if (hv_view_act(&a->view, act, &err)) { /* layout, matching, easing, theme */
        if (err.msg[0])
            fprintf(stderr, "headviz: %s\n", err.msg);
        return;
    }
    switch (act) {
    case HV_ACT_FULLSCREEN:
        a->fullscreen = !a->fullscreen;
        if (a->ren)
            hv_window_set_fullscreen(hv_renderer_window(a->ren), a->fullscreen);
        break;
    case HV_ACT_SCREENSHOT: {
        char path[300];
        if (hv_app_screenshot(a, path, sizeof path, &err)) {
            if (!a->opt.present) /* --present: the notice says it on stderr */
                printf("saving %s\n", path);
            hv_player_notice(&a->view.player, "saved %s", path);
        } else {
            fprintf(stderr, "headviz: %s\n", err.msg);
            hv_player_notice(&a->view.player, "not saved: %s", err.msg);
        }
        fflush(stdout);
        break;
    }
    case HV_ACT_RECORD:
        if (!hv_app_toggle_recording(a, &err)) {
            fprintf(stderr, "headviz: %s\n", err.msg);
            hv_player_notice(&a->view.player, "not recording: %s", err.msg);
        }
        break;
    default: break;
    }
}

/* --present: what would be drawn for the presenter goes to the terminal,
 * once: each new notice, the number as it is typed. */
static void tell_terminal(hv_app *a)
{
    hv_player *pl = &a->view.player;
    if (!pl->present)
        return;
    if (strcmp(pl->number, a->said_number) != 0) {
        snprintf(a->said_number, sizeof a->said_number, "%s", pl->number);
        if (pl->number[0])
            fprintf(stderr, "headviz: go to step %s (Enter)\n", pl->number);
    }
    if (pl->notice_seq != a->said_seq) {
        a->said_seq = pl->notice_seq;
        if (pl->notice[0])
            fprintf(stderr, "headviz: %s\n", pl->notice);
    }
}

void hv_app_event(hv_app *a, const SDL_Event *ev)
{
    switch (ev->type) {
    case SDL_QUIT: a->view.player.quit = true; break;
    case SDL_WINDOWEVENT: a->view.player.dirty = true; break;
    case SDL_MOUSEMOTION: {
        float sx = 1, sy = 1;
        if (a->ren) {
            /* the high-DPI ratio, both sizes as SDL sees them (its view of
             * the size can run ahead of the real one, the ratio cannot) */
            int ww, wh, dw, dh;
            SDL_GetWindowSize(hv_renderer_window(a->ren), &ww, &wh);
            SDL_GL_GetDrawableSize(hv_renderer_window(a->ren), &dw, &dh);
            if (ww > 0 && wh > 0) {
                sx = (float)dw / (float)ww;
                sy = (float)dh / (float)wh;
            }
        }
        a->view.mouse_x = (float)ev->motion.x * sx;
        a->view.mouse_y = (float)ev->motion.y * sy;
        a->view.mouse_in = true;
        hv_player_mouse_moved(&a->view.player);
        a->view.player.dirty = true;
        break;
    }
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.button == SDL_BUTTON_LEFT) {
            hv_view_click(&a->view);
        }
        break;
    case SDL_KEYDOWN: {
        int digit;
        hv_key k = key_of(a, ev->key.keysym.sym, ev->key.keysym.mod, &digit);
        if (k == HV_KEY_HUD && a->view.player.present) {
            /* --present: the status line once on the terminal, not on screen */
            hv_view_status_line(&a->view, a->view.status, sizeof a->view.status);
            fprintf(stderr, "headviz: %s\n", a->view.status);
            break;
        }
        if (k != HV_KEY_NONE)
            act(a, hv_player_key(&a->view.player, k, digit));
        tell_terminal(a);
        break;
    }
    default: break;
    }
}

/* ---- frames ---------------------------------------------------------------- */

static const char *const k_help[] = {
    "Keys",
    "Right, PageDown, Space\tnext step (animated); nothing after the last",
    "Left, PageUp\tprevious step (the transition reversed)",
    "Home / End\tfirst / last step",
    "1 2 ... then Enter\tgo to that step",
    "B / W\tblack / white screen (any key returns)",
    "P\tplay through the steps (--loop: for ever)",
    "L\tlayout: side, morph, models, heatmap, diff",
    "M\tmatching: head, rank, nearest",
    "E\teasing: linear, cubic, quint, back, elastic",
    "T\tlight / dark theme",
    "F\tfullscreen",
    "I\tstatus line",
    "S\tscreenshot (PNG in the current folder)",
    "R\trecord frames / stop",
    "H or ?\tthis help",
    "Esc\tclose this help (quits when nothing is open)",
    "Q\tquit",
    "Mouse\thover a marker for its scores;",
    "\tclick a legend entry to hide a model",
};

static void build(hv_app *a, int w, int h, bool overlays)
{
    hv_view *v = &a->view;
    v->measure = hv_text_measure;
    v->measure_user = a->text;
    v->help = k_help;
    v->n_help = (int)(sizeof k_help / sizeof k_help[0]);
    char mark[64];
    if (a->recording)
        snprintf(mark, sizeof mark, "\xe2\x97\x8f REC  %d frames", a->rec_frames);
    hv_view_frame f = {0};
    f.width = w;
    f.height = h;
    f.overlays = overlays;
    f.transparent = a->opt.transparent && !overlays;
    /* a physical size: type and markers in points, at the dpi */
    if (!overlays && a->opt.phys_w > 0)
        f.unit = (float)((a->opt.dpi > 0 ? a->opt.dpi : 96) / 96.0);
    f.band = true;
    f.mark = a->recording ? mark : NULL;
    hv_view_build(v, &f);
}

void hv_app_build(hv_app *a, int w, int h, bool overlays)
{
    uint64_t t0 = hv_stage_begin(HV_STAGE_BUILD);
    build(a, w, h, overlays);
    hv_stage_end(HV_STAGE_BUILD, t0);
}

static hv_encoder *encoder(hv_app *a, hv_error *err)
{
    if (!a->enc) {
        hv_encoder_desc ed = {a->opt.threads, 0, false, 0};
        a->enc = hv_encoder_create(&ed, err);
    }
    return a->enc;
}

/* The size of window exports: --size, else the window's drawable. */
static void export_size(hv_app *a, int *w, int *h)
{
    hv_error err = {""};
    if (!(a->opt.width || a->opt.phys_w > 0) || !hv_cli_pixel_size(&a->opt, 0, 0, w, h, &err))
        hv_renderer_drawable_size(a->ren, w, h);
}

/* Renders the figure (no overlays) at w x h into an encoder buffer and
 * queues it for path. */
static bool queue_frame(hv_app *a, const char *path, int w, int h, hv_error *err)
{
    hv_encoder *e = encoder(a, err);
    if (!e)
        return false;
    if (hv_encoder_error(e, err))
        return false;
    int ch = a->opt.transparent ? 4 : 3;
    hv_figure_layout keep = a->view.layout;
    hv_app_build(a, w, h, false);
    a->view.layout = keep;
    a->view.player.dirty = true;
    unsigned char *buf = hv_encoder_acquire(e, w, h, ch);
    if (!buf) {
        hv_encoder_error(e, err);
        return false;
    }
    if (!hv_renderer_render(a->ren, &a->view.dl, buf, ch, err)) {
        hv_encoder_release(e, buf);
        return false;
    }
    hv_encoder_submit(e, buf, w, h, ch, path);
    return true;
}

/* a name that exists neither on disk nor among this session's earlier ones */
static void new_name(hv_app *a, const char *prefix, const char *suffix, char *out, size_t size)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    if (strcmp(stamp, a->last_stamp) != 0) {
        snprintf(a->last_stamp, sizeof a->last_stamp, "%s", stamp);
        a->stamp_seq = 0;
    }
    struct stat st;
    do {
        if (a->stamp_seq == 0)
            snprintf(out, size, "%s%s%s", prefix, stamp, suffix);
        else
            snprintf(out, size, "%s%s-%d%s", prefix, stamp, a->stamp_seq, suffix);
        a->stamp_seq++;
    } while (lstat(out, &st) == 0);
}

bool hv_app_screenshot(hv_app *a, char *path, size_t size, hv_error *err)
{
    if (!a->ren)
        return hv_errorf(err, "no renderer");
    int w, h;
    export_size(a, &w, &h);
    new_name(a, "headviz-", ".png", path, size);
    return queue_frame(a, path, w, h, err);
}

static void stop_recording(hv_app *a)
{
    hv_error err = {""};
    a->recording = false;
    if (a->enc && !hv_encoder_finish(a->enc, &err))
        fprintf(stderr, "headviz: recording: %s\n", err.msg);
    if (!a->opt.present)
        printf("recorded %d frames (%dx%d, %g fps) to %s\n", a->rec_frames, a->rec_w, a->rec_h,
           a->opt.fps > 0 ? a->opt.fps : 60, a->rec_dir);
    fflush(stdout);
    hv_player_notice(&a->view.player, "recorded %d frames to %s/", a->rec_frames, a->rec_dir);
}

bool hv_app_toggle_recording(hv_app *a, hv_error *err)
{
    if (a->recording) {
        stop_recording(a);
        return true;
    }
    if (!a->ren)
        return hv_errorf(err, "no renderer");
    for (;;) {
        new_name(a, "headviz-rec-", "", a->rec_dir, sizeof a->rec_dir);
        if (mkdir(a->rec_dir, 0755) == 0)
            break;
        if (errno != EEXIST)
            return hv_errorf(err, "%s: cannot create folder: %s", a->rec_dir, strerror(errno));
    }
    export_size(a, &a->rec_w, &a->rec_h);
    a->recording = true;
    a->rec_frames = 0;
    a->rec_clock = a->rec_next = 0;
    if (!a->opt.present)
        printf("recording to %s/ (R stops)\n", a->rec_dir);
    fflush(stdout);
    hv_player_notice(&a->view.player, "recording to %s/ (R stops)", a->rec_dir);
    return true;
}

void hv_app_record(hv_app *a)
{
    tell_terminal(a);
    if (!a->recording)
        return;
    double fps = a->opt.fps > 0 ? a->opt.fps : 60;
    while (a->recording && a->rec_next <= a->rec_clock) {
        char path[400];
        hv_error err = {""};
        snprintf(path, sizeof path, "%s/frame_%05d.png", a->rec_dir, a->rec_frames);
        if (!queue_frame(a, path, a->rec_w, a->rec_h, &err)) {
            fprintf(stderr, "headviz: recording stopped: %s\n", err.msg);
            stop_recording(a);
            tell_terminal(a);
            break;
        }
        a->rec_frames++;
        a->rec_next = a->rec_frames / fps;
    }
}

unsigned char *hv_app_pixels(hv_app *a, int channels, hv_error *err)
{
    int w = a->view.dl.width, h = a->view.dl.height;
    if (a->opt.renderer == HV_RENDERER_CPU) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        uint64_t td = hv_stage_begin(HV_STAGE_DRAW);
        unsigned char *px = hv_vector_raster(&a->view.dl, a->opt.screenshot ? a->opt.screenshot : "frame", hv_text_coverage,
                                             a->text, channels, cores > 1 ? (int)cores : 1, err);
        hv_stage_end(HV_STAGE_DRAW, td);
        return px;
    }
    int max = hv_renderer_max_size(a->ren);
    if (w > max || h > max) {
        hv_errorf(err, "--size %dx%d: larger than the GPU's framebuffer limit %dx%d", w, h, max, max);
        return NULL;
    }
    unsigned char *px = malloc((size_t)w * (size_t)h * (size_t)channels);
    if (!px)
        hv_errorf(err, "out of memory for a %dx%d image", w, h);
    else if (!hv_renderer_render(a->ren, &a->view.dl, px, channels, err)) {
        free(px);
        px = NULL;
    }
    return px;
}

bool hv_app_raster(hv_app *a, unsigned char *px, int channels, hv_error *err)
{
    if (a->opt.renderer != HV_RENDERER_CPU)
        return hv_renderer_render(a->ren, &a->view.dl, px, channels, err);
    unsigned char *img = hv_app_pixels(a, channels, err);
    if (img)
        memcpy(px, img, (size_t)a->view.dl.width * (size_t)a->view.dl.height * (size_t)channels);
    free(img);
    return img != NULL;
}

/* Draws the figure (no overlays) at w x h and writes path (the --screenshot
 * PNG): by default with cairo on the CPU (no window, no GL, no GPU driver),
 * with --renderer gl by the GL renderer offscreen. */
static bool write_png_now(hv_app *a, const char *path, int w, int h, bool overwrite, hv_error *err)
{
    hv_app_build(a, w, h, false);
    if (a->view.dl.oom)
        return hv_errorf(err, "out of memory building the frame");
    int ch = a->opt.transparent ? 4 : 3;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    hv_png_set_threads(cores > 1 ? (int)cores : 1); /* one image: deflate on every core */
    unsigned char *px = hv_app_pixels(a, ch, err);
    if (!px)
        return false;
    unsigned char *png = NULL;
    size_t len = 0;
    bool ok = hv_png_encode(px, w, h, ch, &png, &len, err);
    free(px);
    uint64_t tw = hv_stage_begin(HV_STAGE_WRITE);
    ok = ok && hv_write_file_atomic(path, png, len, overwrite, err);
    hv_stage_end(HV_STAGE_WRITE, tw);
    free(png);
    return ok;
}

/* ---- modes ---------------------------------------------------------------- */

static bool have_display(void)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (drv && *drv)
        return strcmp(drv, "offscreen") != 0 && strcmp(drv, "dummy") != 0;
    const char *d = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (d && *d) || (wl && *wl);
}

int hv_app_open_headless(hv_app *a)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (!drv || !*drv)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "headviz: cannot initialise SDL video for headless rendering: %s\n", SDL_GetError());
        return HV_EXIT_RUNTIME;
    }
    return hv_app_open(a, false);
}

int hv_app_output_size(hv_app *a, int *w, int *h)
{
    hv_error err = {""};
    if (!hv_cli_pixel_size(&a->opt, 1920, 1080, w, h, &err))
        return fail(HV_EXIT_USAGE, &err);
    return -1;
}

void hv_app_page_size(const hv_app *a, int w, int h, double *pw, double *ph)
{
    /* a physical size is the page; a pixel size is the page at --dpi */
    double dpi = a->opt.dpi > 0 ? a->opt.dpi : 96;
    *pw = a->opt.phys_w > 0 ? a->opt.phys_w * 72 : w * 72.0 / dpi;
    *ph = a->opt.phys_h > 0 ? a->opt.phys_h * 72 : h * 72.0 / dpi;
}

int hv_app_open_fonts(hv_app *a) { return join_fonts(a); }

/* A PDF or SVG still: the draw list of the moment, written by the vector
 * backend. No SDL video, no GL: it works where Mesa would fail, and fast. */
static int run_vector_still(hv_app *a, hv_vector_format fmt, int w, int h)
{
    hv_error err = {""};
    int rc = join_fonts(a);
    if (rc >= 0)
        return rc;
    if (!hv_check_output(a->opt.screenshot, a->opt.force, &err))
        return fail(hv_error_exit_code(&err), &err);
    hv_app_build(a, w, h, false);
    if (a->view.dl.oom) {
        hv_errorf(&err, "out of memory building the frame");
        return fail(HV_EXIT_RUNTIME, &err);
    }
    double pw, ph;
    hv_app_page_size(a, w, h, &pw, &ph);
    uint64_t tv = hv_stage_begin(HV_STAGE_VECTOR);
    hv_vector *v = hv_vector_open(a->opt.screenshot, fmt, pw, ph, hv_text_font_path(a->text), a->opt.force, &err);
    if (v && a->view.layout.shortened) { /* a header lost characters: the names in full, in the properties */
        char subject[4096];
        int o = snprintf(subject, sizeof subject, "Names in full. Models:");
        for (int m = 0; m < a->view.ds.n_models && o < (int)sizeof subject; m++)
            o += snprintf(subject + o, sizeof subject - (size_t)o, "%s %s", m ? ";" : "", a->view.fig.models[m].label);
        if (o < (int)sizeof subject)
            o += snprintf(subject + o, sizeof subject - (size_t)o, ". Conditions:");
        for (int c = 0; c < a->view.ds.n_conditions && o < (int)sizeof subject; c++)
            o += snprintf(subject + o, sizeof subject - (size_t)o, "%s %s", c ? ";" : "", a->view.ds.conditions[c]);
        hv_vector_set_subject(v, subject);
    }
    bool ok = v && hv_vector_page(v, &a->view.dl, &err);
    if (v && !hv_vector_close(v, !ok, ok ? &err : NULL))
        ok = false;
    hv_stage_end(HV_STAGE_VECTOR, tv);
    if (!ok)
        return fail(hv_error_exit_code(&err), &err);
    if (!hv_is_stream(a->opt.screenshot))
        printf("%s (%dx%d px, %.4g x %.4g in)\n", a->opt.screenshot, w, h, pw / 72, ph / 72);
    return 0;
}

static int screenshot(hv_app *a);

static int run_screenshot(hv_app *a)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = screenshot(a);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc == 0 && a->opt.timings) {
        hv_app_print_renderer(a, stderr); /* nothing for PDF/SVG */
        hv_stages_print(stderr, 1, (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9);
    }
    return rc;
}

static int screenshot(hv_app *a)
{
    hv_error err = {""};
    hv_still_format fmt;
    if (!hv_still_format_of(a->opt.screenshot, "--screenshot", &fmt, &err))
        return fail(HV_EXIT_USAGE, &err);
    int w, h, rc = hv_app_output_size(a, &w, &h);
    if (rc >= 0)
        return rc;
    if (!hv_is_stream(a->opt.screenshot))
        hv_remove_stale_temps(a->opt.screenshot, false);
    if (fmt != HV_STILL_PNG && a->opt.renderer) {
        hv_errorf(&err, "--renderer chooses what draws PNG and video frames; %s is drawn by cairo as vectors",
                  a->opt.screenshot);
        return fail(HV_EXIT_USAGE, &err);
    }
    if (fmt != HV_STILL_PNG)
        return run_vector_still(a, fmt == HV_STILL_PDF ? HV_VECTOR_PDF : HV_VECTOR_SVG, w, h);
    rc = hv_app_choose_renderer(a, true, w, h); /* auto: the CPU, no GPU driver loaded */
    if (rc >= 0)
        return rc;
    if (!hv_check_output(a->opt.screenshot, a->opt.force, &err)) /* before spending a render */
        return fail(hv_error_exit_code(&err), &err);
    if (!write_png_now(a, a->opt.screenshot, w, h, a->opt.force, &err))
        return fail(hv_error_exit_code(&err), &err);
    /* into a pipe or device (/dev/stdout): the PNG is the output, no chatter */
    if (!hv_is_stream(a->opt.screenshot))
        printf("%s (%dx%d)\n", a->opt.screenshot, w, h);
    return 0;
}

static int run_window(hv_app *a)
{
    if (!have_display() || SDL_Init(SDL_INIT_VIDEO) != 0) {
        fprintf(stderr, "headviz: no display to open a window on (DISPLAY/WAYLAND_DISPLAY unset or unusable); "
                        "render to a file instead: headviz --screenshot out.png\n");
        return HV_EXIT_RUNTIME;
    }
    int rc = hv_app_open(a, true);
    if (rc >= 0)
        return rc;
    Uint64 freq = SDL_GetPerformanceFrequency(), last = SDL_GetPerformanceCounter();
    hv_player *pl = &a->view.player;
    bool pointer_hidden = false;
    int built_w = 0, built_h = 0, resized = 0;
    while (!pl->quit) {
        SDL_Event ev;
        if (!hv_app_animating(a) && !pl->dirty) {
            /* paused and nothing changed: sleep until an event (or until the
             * pointer is due to hide), no busy loop */
            /* a window manager (or none) may resize the window without an
             * event SDL passes on: look at its real size now and then */
            int wait_ms = 250;
            if (pl->present && !pointer_hidden)
                wait_ms = (int)fmin(wait_ms, fmax(1.0, (HV_POINTER_IDLE_S - pl->idle) * 1000.0 + 1.0));
            if (SDL_WaitEventTimeout(&ev, wait_ms))
                hv_app_event(a, &ev);
        }
        while (SDL_PollEvent(&ev))
            hv_app_event(a, &ev);
        Uint64 now = SDL_GetPerformanceCounter();
        hv_app_tick(a, (double)(now - last) / (double)freq);
        last = now;
        if (hv_player_pointer_hidden(pl) != pointer_hidden) {
            pointer_hidden = hv_player_pointer_hidden(pl);
            SDL_ShowCursor(pointer_hidden ? SDL_DISABLE : SDL_ENABLE);
        }
        hv_app_record(a);
        /* the layout is always for the drawable as it is now (fullscreen
         * granted, refused or late, a resize, a high-DPI screen) */
        int w, h;
        hv_renderer_drawable_size(a->ren, &w, &h);
        if (w != built_w || h != built_h) {
            pl->dirty = true;
            /* the GL driver may find the new size only at the swap (Mesa
             * on X11 does): the first frame can land in the old buffer, so
             * a new size is drawn more than once */
            resized = 3;
        }
        if (pl->dirty && !pl->quit) {
            built_w = w;
            built_h = h;
            hv_app_build(a, w, h, true);
            hv_renderer_present(a->ren, &a->view.dl); /* waits for vsync */
            pl->dirty = resized > 0 && --resized > 0;
        }
    }
    return 0;
}

int hv_app_main(int argc, char **argv)
{
    hv_app *a = calloc(1, sizeof *a);
    if (!a) {
        fprintf(stderr, "headviz: out of memory\n");
        return HV_EXIT_RUNTIME;
    }
    int rc = hv_app_init(a, argc, argv);
    if (rc < 0 && a->opt.html) {
        rc = hv_app_html(a); /* a page: nothing drawn here */
    } else if (rc < 0 && (a->opt.screenshot || a->opt.export_frames || a->opt.video)) {
        rc = a->opt.screenshot ? run_screenshot(a) : hv_app_export(a);
        /* a refusal before the output was opened never waited for the fonts */
        wait_font_thread(a);
#ifndef HV_SANITIZE_BUILD
        /* A one-shot command is done once its files are written and closed:
         * skip tearing down the GL driver and LLVM (~25 ms of a ~150 ms
         * still). Sanitizer builds take the full path below, so it stays
         * tested. */
        fflush(NULL);
        _exit(rc);
#endif
    } else if (rc < 0) {
        rc = run_window(a);
    }
    hv_app_shutdown(a);
    free(a);
    if (SDL_WasInit(0))
        SDL_Quit();
    return rc;
}
