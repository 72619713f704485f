#include "export_run.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>

#include "../core/stages.h"
#include "../export/encoder.h"
#include "../export/png.h"
#include "../export/video.h"
#include "../gl/renderer.h"
#include "../gl/text.h"
#include "../vector/vector.h"


static volatile sig_atomic_t g_interrupted;

static void on_signal(int sig)
{
    (void)sig;
    g_interrupted = 1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void hv_shell_quote(const char *s, char *out, size_t size)
{
    size_t o = 0;
    bool plain = *s != '\0';
    for (const char *p = s; *p; p++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./%+:,@", *p))
            plain = false;
    if (plain) {
        snprintf(out, size, "%s", s);
        return;
    }
    if (o + 1 < size)
        out[o++] = '\'';
    for (const char *p = s; *p && o + 5 < size; p++) {
        if (*p == '\'') {
            memcpy(out + o, "'\\''", 4);
            o += 4;
        } else {
            out[o++] = *p;
        }
    }
    if (o + 1 < size)
        out[o++] = '\'';
    out[o] = '\0';
}

/* ---- which renderer draws PNG and video frames ------------------------- */

static char g_renderer_why[1024];

/* The software rasteriser's name in GL_RENDERER ("llvmpipe (LLVM 15.0.6,
 * 256 bits)", "softpipe", Mesa's old "Software Rasterizer"/swrast), or NULL
 * for a GPU. */
static const char *software_gl(const char *gl_renderer)
{
    static const char *const soft[] = {"llvmpipe", "softpipe", "swrast", "Software Rasterizer"};
    for (unsigned i = 0; i < sizeof soft / sizeof soft[0]; i++)
        if (strstr(gl_renderer, soft[i]))
            return soft[i];
    return NULL;
}

/* A node through which a driver reaches a GPU: a DRM device (/dev/dri:
 * Mesa's hardware drivers), NVIDIA's (/dev/nvidiactl) or WSL's (/dev/dxg).
 * Without one, OpenGL can only be a software rasteriser. */
static bool gpu_node_present(void)
{
    if (access("/dev/nvidiactl", F_OK) == 0 || access("/dev/dxg", F_OK) == 0)
        return true;
    DIR *d = opendir("/dev/dri");
    if (!d)
        return false;
    bool found = false;
    struct dirent *de;
    while (!found && (de = readdir(d)) != NULL)
        found = strncmp(de->d_name, "renderD", 7) == 0 || strncmp(de->d_name, "card", 4) == 0;
    closedir(d);
    return found;
}

/* A hidden GL context for offscreen work, without printing anything. */
static hv_renderer *open_gl_quietly(hv_error *err)
{
    const char *drv = getenv("SDL_VIDEODRIVER");
    if (!drv || !*drv)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        hv_errorf(err, "cannot initialise SDL video: %s", SDL_GetError());
        return NULL;
    }
    hv_renderer_desc rd = {0};
    rd.width = 16;
    rd.height = 16;
    rd.title = "headviz";
    hv_renderer *r = hv_renderer_create(&rd, NULL, err);
    if (!r)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    return r;
}

int hv_app_choose_renderer(hv_app *a, bool still, int w, int h)
{
    hv_options *o = &a->opt;
    int rc;
    if (o->renderer == HV_RENDERER_CPU || o->renderer == HV_RENDERER_GL) {
        snprintf(g_renderer_why, sizeof g_renderer_why, "--renderer %s", o->renderer == HV_RENDERER_CPU ? "cpu" : "gl");
        if (o->renderer == HV_RENDERER_CPU)
            return hv_app_open_fonts(a);
        return hv_app_open_headless(a);
    }
    /* auto: OpenGL only where it pays, a GPU and frames to amortise its
     * start (on llvmpipe cairo draws a 1920x1080 frame of the morph
     * sooner than GL, and starting GL costs ~60 ms; even on a GPU GL's
     * start alone costs more than cairo's whole still) */
    o->renderer = HV_RENDERER_CPU;
    if (still) {
        snprintf(g_renderer_why, sizeof g_renderer_why,
                 "auto: a still: cairo draws it on the CPU sooner than OpenGL starts");
        return hv_app_open_fonts(a);
    }
    const char *probe = getenv("HEADVIZ_PROBE_GL");
    if (!(probe && strcmp(probe, "1") == 0) && !gpu_node_present()) {
        snprintf(g_renderer_why, sizeof g_renderer_why,
                 "auto: no GPU device (/dev/dri, /dev/nvidiactl, /dev/dxg): OpenGL here is a software rasteriser");
        return hv_app_open_fonts(a);
    }
    double t0 = now_s();
    hv_error err = {""};
    hv_renderer *r = open_gl_quietly(&err);
    double ms = (now_s() - t0) * 1000;
    if (!r) {
        snprintf(g_renderer_why, sizeof g_renderer_why, "auto: no OpenGL context (%.600s)", err.msg);
        return hv_app_open_fonts(a);
    }
    const char *info = hv_renderer_info(r); /* "VERSION / RENDERER" */
    const char *name = strstr(info, " / ");
    name = name ? name + 3 : info;
    const char *soft = software_gl(name);
    int max = hv_renderer_max_size(r);
    if (soft)
        snprintf(g_renderer_why, sizeof g_renderer_why, "auto: %s is a software rasteriser (GL_RENDERER \"%s\"; asked in %.0f ms)",
                 soft, name, ms);
    else if (w > max || h > max)
        snprintf(g_renderer_why, sizeof g_renderer_why, "auto: %dx%d is larger than the framebuffer limit %dx%d of %s",
                 w, h, max, max, name);
    if (soft || w > max || h > max) {
        hv_renderer_destroy(r);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
        return hv_app_open_fonts(a);
    }
    snprintf(g_renderer_why, sizeof g_renderer_why, "auto: %s is a GPU", name);
    o->renderer = HV_RENDERER_GL;
    a->ren = r;
    if ((rc = hv_app_open_fonts(a)) >= 0)
        return rc;
    hv_renderer_set_text(a->ren, a->text);
    return -1;
}

void hv_app_print_renderer(const hv_app *a, FILE *f)
{
    if (g_renderer_why[0])
        fprintf(f, "renderer: %s (%s)\n", a->opt.renderer == HV_RENDERER_GL ? "gl" : "cpu", g_renderer_why);
}

static const char *const k_frame_ext[3] = {"png", "pdf", "svg"};

static bool is_frame_name(const char *n)
{
    /* frame_NNNNN.png (.pdf, .svg), and our temporaries
     * .frame_NNNNN.png.headviz-PID.tmp */
    if (n[0] == '.')
        n++;
    if (strncmp(n, "frame_", 6) != 0)
        return false;
    const char *p = n + 6;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9')
        p++;
    for (int k = 0; k < 3; k++)
        if (p[0] == '.' && strncmp(p + 1, k_frame_ext[k], 3) == 0)
            return true;
    return false;
}

static bool mkdir_p(const char *dir, hv_error *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return hv_errorf(err, "%s: cannot create folder %s: %s", dir, tmp, strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return hv_errorf(err, "%s: cannot create folder: %s", dir, strerror(errno));
    return true;
}

/* Returns -1 when ready, else an exit code (message printed). */
static int prepare_dir(const char *dir, bool force)
{
    hv_error err = {""};
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            hv_remove_stale_temps(dir, true); /* left by a killed run */
        if (!S_ISDIR(st.st_mode)) {
            fprintf(stderr, "headviz: --export-frames %s: exists and is not a folder\n", dir);
            return HV_EXIT_USAGE;
        }
        DIR *d = opendir(dir);
        if (!d) {
            fprintf(stderr, "headviz: --export-frames %s: cannot read folder: %s\n", dir, strerror(errno));
            return HV_EXIT_RUNTIME;
        }
        struct dirent *de;
        char first[512] = "";
        int n = 0;
        while ((de = readdir(d)) != NULL)
            if (is_frame_name(de->d_name)) {
                if (!n || strcmp(de->d_name, first) < 0)
                    snprintf(first, sizeof first, "%s", de->d_name);
                n++;
            }
        closedir(d);
        if (n > 0 && !force) {
            fprintf(stderr,
                    "headviz: --export-frames %s: folder already holds %d frame file%s (%s...); use --force to overwrite them, or pick another folder\n",
                    dir, n, n == 1 ? "" : "s", first);
            return HV_EXIT_USAGE;
        }
    } else if (!mkdir_p(dir, &err)) {
        fprintf(stderr, "headviz: --export-frames %s\n", err.msg);
        return HV_EXIT_RUNTIME;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        fprintf(stderr, "headviz: --export-frames %s: cannot write into this folder: %s\n", dir, strerror(errno));
        return HV_EXIT_RUNTIME;
    }
    return -1;
}

/* Removes the frame files (regular files only) numbered n_frames and up,
 * and every frame of another format than ext: with --force, those an
 * earlier export left, which would join the sequence; after a failure at
 * frame k, those written after it, so what is left is frames 0..k-1. */
static int remove_stale(const char *dir, long n_frames, const char *ext)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    struct dirent *de;
    int removed = 0;
    char path[4600];
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !is_frame_name(de->d_name))
            continue;
        char *end;
        long idx = strtol(de->d_name + 6, &end, 10);
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if ((idx >= n_frames || strcmp(end + 1, ext) != 0) && lstat(path, &st) == 0 && S_ISREG(st.st_mode))
            removed += unlink(path) == 0;
    }
    closedir(d);
    return removed;
}

static void progress_line(int done, int total, double t0, bool final)
{
    double el = now_s() - t0;
    double fps = el > 0 ? done / el : 0;
    double left = fps > 0 ? (total - done) / fps : 0;
    fprintf(stderr, "\r\033[Kframe %d/%d  %.1f frames/s  %.1f s left", done, total, fps, left);
    if (final)
        fputs("\r\033[K", stderr);
    fflush(stderr);
}

/* The line to paste into a LaTeX Beamer frame (the animate package) for
 * frames or a multi-page PDF just written: the file name as given (relative
 * to the folder headviz ran in, where pdflatex then runs), scaled to the
 * text width so a page of any --size fits the slide. */
static void print_beamer_line(double fps, const char *base, int base_len, const char *first, const char *last)
{
    printf("LaTeX Beamer (\\usepackage{animate}): \\animategraphics[controls,loop,width=\\textwidth]{%g}{%.*s}{%s}{%s}\n",
           fps, base_len, base, first, last);
}

/* Vector exports, written by the vector backend from the same draw lists
 * (no GL): --export-frames DIR --format pdf|svg (a file per frame) and
 * --video FILE.pdf (one page per frame, for LaTeX Beamer's animate). */
static int export_vector(hv_app *a, int W, int H, long n, double fps)
{
    const hv_options *o = &a->opt;
    hv_error err = {""};
    bool video = o->video != NULL;
    hv_vector_format fmt = video || o->frame_format == 1 ? HV_VECTOR_PDF : HV_VECTOR_SVG;
    const char *ext = k_frame_ext[video ? 1 : o->frame_format];
    int rc;
    if (video) {
        if (!hv_is_stream(o->video))
            hv_remove_stale_temps(o->video, false);
        if (!hv_check_output(o->video, o->force, &err)) {
            fprintf(stderr, "headviz: %s\n", err.msg);
            return hv_error_exit_code(&err);
        }
    } else if ((rc = prepare_dir(o->export_frames, o->force)) >= 0) {
        return rc;
    }
    if ((rc = hv_app_open_fonts(a)) >= 0)
        return rc;
    double pw, ph;
    hv_app_page_size(a, W, H, &pw, &ph);
    const char *font = hv_text_font_path(a->text);
    /* caught before the document's temporary exists, so that no signal
     * can leave it behind */
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    g_interrupted = 0;
    hv_vector *doc = video ? hv_vector_open(o->video, fmt, pw, ph, font, o->force, &err) : NULL;
    bool ok = !video || doc;
    bool tty = isatty(2) != 0;
    double t0 = now_s(), last_line = 0;
    long i, written = 0;
    char path[4200];
    for (i = 0; i < n && ok && !g_interrupted; i++) {
        a->view.player.t = (double)i / fps; /* the exact moment of frame i */
        hv_app_build(a, W, H, false);
        if (a->view.dl.oom) {
            ok = hv_errorf(&err, "out of memory building frame %ld", i);
            break;
        }
        uint64_t tv = hv_stage_begin(HV_STAGE_VECTOR);
        if (video) {
            ok = hv_vector_page(doc, &a->view.dl, &err);
        } else {
            snprintf(path, sizeof path, "%s/frame_%05ld.%s", o->export_frames, i, ext);
            hv_vector *v = hv_vector_open(path, fmt, pw, ph, font, o->force, &err);
            if (v)
                hv_vector_set_frame(v, true); /* the folder is fsync'd once, after the loop */
            ok = v && hv_vector_page(v, &a->view.dl, &err);
            if (v && !hv_vector_close(v, !ok, ok ? &err : NULL))
                ok = false;
        }
        hv_stage_end(HV_STAGE_VECTOR, tv);
        if (ok)
            written++;
        if (tty && now_s() - last_line > 0.25) {
            last_line = now_s();
            progress_line((int)written, (int)n, t0, false);
        }
    }
    if (tty)
        progress_line((int)written, (int)n, t0, true);
    bool interrupted = g_interrupted != 0;
    /* an interrupted document is discarded (its temporary removed): that
     * is no error, it is what Ctrl-C asks for */
    if (doc && !hv_vector_close(doc, !ok || interrupted, ok ? &err : NULL) && ok && !interrupted)
        ok = false;
    /* the frames written are whole on the disk (each fsync'd before its
     * rename): now their names, with one fsync of the folder */
    if (!video && written > 0 && !hv_sync_folder(o->export_frames, true, ok ? &err : NULL))
        ok = false;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    double el = now_s() - t0;
    if (!ok) {
        if (!video)
            remove_stale(o->export_frames, written, ext);
        fprintf(stderr, "headviz: %s\n", err.msg);
        if (!video)
            fprintf(stderr, "headviz: %ld of %ld frames were written to %s before the error (frames 0..%ld, each one complete)\n",
                    written, n, o->export_frames, written - 1);
        return hv_error_exit_code(&err);
    }
    if (interrupted) {
        if (!video)
            fprintf(stderr, "headviz: interrupted: %ld of %ld frames written to %s (each one complete)\n", written, n,
                    o->export_frames);
        else
            fprintf(stderr, "headviz: interrupted: no PDF written (%s left untouched)\n", o->video);
        return HV_EXIT_INTERRUPTED;
    }
    if (o->timings)
        hv_stages_print(stderr, written, el);
    if (video) {
        FILE *out = hv_is_stream(o->video) ? stderr : stdout;
        fprintf(out, "wrote %s (%ld pages, %dx%d px, %.4g x %.4g in, %g fps) in %.2f s: %.1f pages/s\n", o->video, n, W,
                H, pw / 72, ph / 72, fps, el, el > 0 ? (double)n / el : 0);
        size_t len = strlen(o->video);
        if (!hv_is_stream(o->video) && len > 4 && strcasecmp(o->video + len - 4, ".pdf") == 0)
            print_beamer_line(fps, o->video, (int)len - 4, "", "");
        return 0;
    }
    int stale = o->force ? remove_stale(o->export_frames, n, ext) : 0;
    printf("wrote %ld frames (%dx%d px, %.4g x %.4g in, %g fps, %.3f s of timeline) to %s in %.2f s: %.1f frames/s\n",
           written, W, H, pw / 72, ph / 72, fps, (double)n / fps, o->export_frames, el, el > 0 ? (double)written / el : 0);
    if (stale)
        printf("removed %d stale frame file%s of an earlier, longer export\n", stale, stale == 1 ? "" : "s");
    if (fmt == HV_VECTOR_PDF) { /* animate takes PDF (or PNG) frames, not SVG */
        char dir[4200], last[24];
        size_t len = strlen(o->export_frames);
        while (len > 1 && o->export_frames[len - 1] == '/')
            len--;
        snprintf(dir, sizeof dir, "%.*s/frame_", (int)len, o->export_frames);
        snprintf(last, sizeof last, "%05ld", n - 1);
        print_beamer_line(fps, dir, (int)strlen(dir), "00000", last);
    }
    return 0;
}

/* ffmpeg stopped taking frames (werr says so): its exit status and last
 * message say why, and hv_video_close reports them (nothing is published). */
static void video_failed(hv_video *vid, const hv_error *werr, hv_error *err)
{
    if (hv_video_close(vid, false, err))
        *err = *werr; /* not reached: a short video is never published */
}

/* --timings of a video: the render thread's time rendering against its
 * time waiting for the writer thread, i.e. for ffmpeg to take a frame, and
 * the time ffmpeg took after the last frame (tail_s: encoding the frames
 * its encoder still held, writing the file's index). */
static void print_video_pace(long frames, double elapsed_s, double tail_s)
{
    double f = frames > 0 ? (double)frames : 1;
    double render = (hv_stage_ms(HV_STAGE_BUILD) + hv_stage_ms(HV_STAGE_DRAW) + hv_stage_ms(HV_STAGE_READBACK)) / f;
    double wait = hv_stage_ms(HV_STAGE_WAIT_FFMPEG) / f;
    double share = elapsed_s > 0 ? wait / (elapsed_s * 1000 / f) : 0;
    fprintf(stderr, "  video (ms/frame): rendering %.2f, waiting on ffmpeg %.2f (%.0f%% of the elapsed time): %s\n", render,
            wait, share * 100, share > 0.25 ? "ffmpeg's encoder sets the pace" : "rendering sets the pace");
    fprintf(stderr, "  ffmpeg after the last frame: %.3f s (the frames its encoder still held, then the file)\n", tail_s);
}

static bool is_pdf(const char *path)
{
    size_t n = strlen(path);
    return n > 4 && strcasecmp(path + n - 4, ".pdf") == 0;
}

static bool ends_with(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && strcasecmp(path + n - e, ext) == 0;
}

/* The export's size and time, estimated (constants measured on this
 * figure with Debian's ffmpeg 5.1: x264 crf 18, VP9 crf 30, ProRes 422 HQ /
 * 4444, PNG frames). Line art: bytes grow with the figure's linear size
 * (sqrt of the pixels), not its area. Video codecs spend bytes on motion
 * (per second), ProRes and PNG on every frame. */
typedef struct export_estimate {
    double bytes, seconds;
    char what[64]; /* "ProRes 4444", "PNG frames" */
} export_estimate;

static bool estimate_export(const hv_options *o, int W, int H, long n, double fps, export_estimate *e)
{
    double px = (double)W * (double)H, dur = (double)n / fps;
    double L = sqrt(px / (1920.0 * 1080.0)); /* linear size, 1920x1080 = 1 */
    /* bytes per second at 30 fps, bytes per frame, pixels encoded per second */
    double per_s = 0, per_frame = 0, rate = 0;
    bool alpha = o->transparent;
    memset(e, 0, sizeof *e);
    if (o->export_frames && o->frame_format == 0) {
        snprintf(e->what, sizeof e->what, "PNG frames");
        per_frame = (alpha ? 190e3 : 145e3) * L, rate = 60e6;
    } else if (o->video && ends_with(o->video, ".mp4")) {
        snprintf(e->what, sizeof e->what, "H.264");
        per_s = 16e3 * sqrt(L), rate = 14e6;
    } else if (o->video && ends_with(o->video, ".webm")) {
        snprintf(e->what, sizeof e->what, "VP9%s", alpha ? " with alpha" : "");
        per_s = (alpha ? 52e3 : 30e3) * L, rate = 2.6e6;
    } else if (o->video && ends_with(o->video, ".mov")) {
        snprintf(e->what, sizeof e->what, "ProRes %s", alpha ? "4444" : "422 HQ");
        per_frame = (alpha ? 710e3 : 410e3) * L, rate = alpha ? 5.3e6 : 6.2e6;
    } else if (o->video && ends_with(o->video, ".gif")) {
        snprintf(e->what, sizeof e->what, "GIF");
        per_frame = 20e3 * L, rate = 20e6;
    } else {
        return false; /* PDF/SVG frames: vectors, no model */
    }
    /* motion at a higher frame rate costs more, not in proportion */
    e->bytes = per_s * dur * sqrt(fps / 30.0) + per_frame * (double)n;
    e->seconds = px * (double)n / rate;
    return true;
}

static void print_size(double bytes, char *out, size_t size)
{
    if (bytes >= 1e9)
        snprintf(out, size, "%.1f GB", bytes / 1e9);
    else if (bytes >= 1e6)
        snprintf(out, size, "%.0f MB", bytes / 1e6);
    else
        snprintf(out, size, "%.0f kB", bytes / 1e3);
}

/* Before a long or large export (or with --estimate), one line: "~380 MB
 * for 450 frames of ProRes 4444 at 1920x1080, about 90 s". */
static void say_estimate(const hv_options *o, int W, int H, long n, double fps)
{
    export_estimate e;
    if (!estimate_export(o, W, H, n, fps, &e))
        return;
    if (!o->estimate && e.bytes < 100e6 && e.seconds < 15)
        return;
    char sz[32];
    print_size(e.bytes, sz, sizeof sz);
    fprintf(stderr, "headviz: ~%s for %ld frames of %s at %dx%d (%.3g s at %g fps), about %.0f s to write\n", sz, n,
            e.what, W, H, (double)n / fps, fps, ceil(e.seconds));
}

int hv_app_export(hv_app *a)
{
    const hv_options *o = &a->opt;
    hv_error err = {""};
    int W, H;
    int rc = hv_app_output_size(a, &W, &H);
    if (rc >= 0)
        return rc;
    /* .mov (ProRes) and alpha: 30 frames/s unless --fps says otherwise (a
     * 60 fps ProRes 4444 clip of a few seconds is hundreds of MB) */
    bool mov = o->video && ends_with(o->video, ".mov");
    double fps = o->fps > 0 ? o->fps : mov || o->transparent ? 30 : 60;
    /* one pass through the conditions, ending on the last one held: a clip
     * for a slide; the way back with --loop-back */
    const hv_timeline *tl = &a->view.tl;
    double one_pass = (tl->n_states - 1) * (tl->hold + tl->transition) + tl->hold;
    double dur = o->duration > 0 ? o->duration : o->loop_back ? hv_timeline_period(tl) : one_pass;
    long n = o->frames > 0 ? o->frames : lround(dur * fps);
    if (n < 1)
        n = 1;
    if (n > 10000000) {
        fprintf(stderr, "headviz: %ld frames is more than 10000000; shorten --duration or lower --fps\n", n);
        return HV_EXIT_USAGE;
    }
    say_estimate(o, W, H, n, fps);
    if (o->estimate)
        return 0;
    if ((o->video && is_pdf(o->video)) || (o->export_frames && o->frame_format > 0)) {
        if (o->renderer) {
            fprintf(stderr, "headviz: --renderer chooses what draws PNG and video frames; %s frames are drawn by cairo as vectors\n",
                    o->video ? "PDF" : o->frame_format == 1 ? "PDF" : "SVG");
            return HV_EXIT_USAGE;
        }
        return export_vector(a, W, H, n, fps);
    }
    bool alpha = o->transparent;
    int ch = alpha ? 4 : 3;
    if (o->video && !hv_is_stream(o->video))
        hv_remove_stale_temps(o->video, false); /* left by a killed run */
    if (o->video && (!hv_video_check_path(o->video, alpha, &err) || !hv_check_output(o->video, o->force, &err))) {
        fprintf(stderr, "headviz: %s\n", err.msg);
        return hv_video_check_path(o->video, alpha, NULL) ? hv_error_exit_code(&err) : HV_EXIT_USAGE;
    }
    if (o->export_frames && (rc = prepare_dir(o->export_frames, o->force)) >= 0)
        return rc;
    if ((rc = hv_app_choose_renderer(a, false, W, H)) >= 0)
        return rc;
    if (a->opt.renderer == HV_RENDERER_GL) {
        int max = hv_renderer_max_size(a->ren);
        if (W > max || H > max) {
            fprintf(stderr, "headviz: --size %dx%d: larger than the GPU's framebuffer limit %dx%d\n", W, H, max, max);
            return HV_EXIT_USAGE;
        }
    }

    /* caught before the video's temporary exists (hv_video_open creates
     * it), so that no signal can leave it behind */
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    g_interrupted = 0;

    hv_encoder *enc = NULL;
    hv_video *vid = NULL;
    if (o->export_frames) {
        hv_encoder_desc ed = {o->threads, 0, o->force, (size_t)W * (size_t)H * (size_t)ch};
        enc = hv_encoder_create(&ed, &err);
    } else {
        const hv_color *bg = &hv_theme_get((hv_theme_id)a->view.theme)->bg;
        hv_video_desc vd = {o->video, W, H, fps, alpha, {bg->r, bg->g, bg->b}, o->preset, o->force};
        vid = hv_video_open(&vd, &err);
    }
    if (!enc && !vid) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        fprintf(stderr, "headviz: %s\n", err.msg);
        return hv_error_exit_code(&err);
    }
    /* after ffmpeg started (it inherits an ignored SIGPIPE): a dead ffmpeg
     * is an error return, not a kill */
    signal(SIGPIPE, SIG_IGN);

    bool tty = isatty(2) != 0;
    double t0 = now_s(), last_line = 0;
    hv_drawlist prev = {0};
    bool have_prev = false, ok = true;
    unsigned long unique_id = 0;
    long i;
    char path[4200];
    for (i = 0; i < n && ok && !g_interrupted; i++) {
        a->view.player.t = (double)i / fps; /* the exact moment of frame i */
        hv_app_build(a, W, H, false);
        if (a->view.dl.oom) {
            ok = hv_errorf(&err, "out of memory building frame %ld", i);
            break;
        }
        bool same = have_prev && hv_drawlist_equal(&a->view.dl, &prev);
        if (enc) {
            snprintf(path, sizeof path, "%s/frame_%05ld.png", o->export_frames, i);
            if (same) {
                hv_encoder_submit_same(enc, unique_id, path);
            } else {
                unsigned char *buf = hv_encoder_acquire(enc, W, H, ch);
                if (!buf) {
                    hv_encoder_error(enc, &err);
                    ok = false;
                    break;
                }
                if (!hv_app_raster(a, buf, ch, &err)) {
                    hv_encoder_release(enc, buf);
                    ok = false;
                    break;
                }
                unique_id = (unsigned long)i;
                hv_encoder_submit_id(enc, buf, W, H, ch, path, unique_id);
            }
            if (hv_encoder_error(enc, &err))
                ok = false;
        } else {
            /* the writer thread hands frame i to ffmpeg while frame i+1
             * renders; a held frame queues the last one again. Waits for
             * the writer count as waiting on ffmpeg (in hv_video_*). */
            hv_error werr = {""};
            bool queued;
            if (same) {
                queued = hv_video_repeat(vid, &g_interrupted, &werr);
            } else {
                unsigned char *px = hv_video_frame(vid, &g_interrupted, &werr);
                if (px && !hv_app_raster(a, px, hv_video_channels(vid), &err)) {
                    ok = false;
                    break;
                }
                queued = px && hv_video_submit(vid, px, &g_interrupted, &werr);
            }
            if (!queued && !g_interrupted) {
                video_failed(vid, &werr, &err);
                vid = NULL;
                ok = false;
            }
        }
        if (!same) {
            if (!hv_drawlist_copy(&prev, &a->view.dl))
                have_prev = false;
            else
                have_prev = true;
        }
        if (tty && now_s() - last_line > 0.25) {
            last_line = now_s();
            progress_line(enc ? hv_encoder_written(enc) : (int)i + 1, (int)n, t0, false);
        }
    }
    long submitted = i;
    long written = submitted;
    double t_loop = now_s();
    if (enc) {
        if (!hv_encoder_finish(enc, ok ? &err : NULL))
            ok = false;
        /* a failure at frame k leaves exactly frames 0..k-1 */
        written = hv_encoder_complete(enc);
        if (!ok)
            remove_stale(o->export_frames, written, "png");
        hv_encoder_destroy(enc);
    }
    if (tty)
        progress_line((int)written, (int)n, t0, true);
    /* the last frames into the pipe (Ctrl-C still aborts), then ffmpeg's
     * verdict */
    hv_error werr = {""};
    if (vid && ok && !g_interrupted && !hv_video_drain(vid, &g_interrupted, &werr) && !g_interrupted) {
        video_failed(vid, &werr, &err);
        vid = NULL;
        ok = false;
    }
    bool interrupted = g_interrupted != 0;
    if (vid && !hv_video_close(vid, !ok || interrupted, &err))
        ok = false;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    hv_drawlist_free(&prev);
    double el = now_s() - t0;

    if (!ok) {
        fprintf(stderr, "headviz: %s\n", err.msg);
        if (o->export_frames)
            fprintf(stderr, "headviz: %ld of %ld frames were written to %s before the error (frames 0..%ld, each one complete)\n",
                    written, n, o->export_frames, written - 1);
        return hv_error_exit_code(&err);
    }
    if (interrupted) {
        if (o->export_frames)
            fprintf(stderr, "headviz: interrupted: %ld of %ld frames written to %s (each one complete)\n", written, n,
                    o->export_frames);
        else
            fprintf(stderr, "headviz: interrupted: no video written (%s left untouched)\n", o->video);
        return HV_EXIT_INTERRUPTED;
    }
    if (o->timings) {
        hv_app_print_renderer(a, stderr);
        hv_stages_print(stderr, written, el);
        if (o->video)
            print_video_pace(written, el, t0 + el - t_loop);
    }
    if (o->export_frames) {
        int stale = o->force ? remove_stale(o->export_frames, n, "png") : 0;
        char q[4200], qo[64];
        snprintf(path, sizeof path, "%s/frame_%%05d.png", o->export_frames);
        hv_shell_quote(path, q, sizeof q);
        snprintf(qo, sizeof qo, "%s", alpha ? "out.mov" : "out.mp4");
        printf("wrote %ld frames (%dx%d, %g fps, %.3f s of timeline) to %s in %.2f s: %.1f frames/s\n", written, W, H,
               fps, (double)n / fps, o->export_frames, el, el > 0 ? (double)written / el : 0);
        if (stale)
            printf("removed %d stale frame file%s of an earlier, longer export\n", stale, stale == 1 ? "" : "s");
        /* the conversion and colour tags of --video (BT.709): without them
         * ffmpeg converts with BT.601 and players show other colours */
        if (alpha)
            printf("assemble: ffmpeg -framerate %g -i %s -vf %s -c:v prores_ks -profile:v 4444 %s\n", fps, q,
                   hv_video_filter("yuva444p10le", false), qo);
        else
            printf("assemble: ffmpeg -framerate %g -i %s -vf %s -c:v libx264 -crf 18 -movflags +faststart %s\n", fps,
                   q, hv_video_filter("yuv420p", false), qo);
    } else {
        FILE *out = hv_is_stream(o->video) ? stderr : stdout; /* keep a piped video clean */
        int vw, vh;
        char size[64];
        if (hv_video_padded(o->video, W, H, &vw, &vh))
            snprintf(size, sizeof size, "%dx%d: %dx%d padded to even sides for H.264", vw, vh, W, H);
        else
            snprintf(size, sizeof size, "%dx%d", W, H);
        fprintf(out, "wrote %s (%ld frames, %s, %g fps) in %.2f s: %.1f frames/s\n", o->video, n, size, fps, el,
                el > 0 ? (double)n / el : 0);
    }
    return 0;
}
