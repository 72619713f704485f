#define _GNU_SOURCE /* F_SETPIPE_SZ (Linux) */
#include "video.h"

#include "png.h"

#include "../core/stages.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Buffers the writer thread and the render thread take turns at: one in
 * the pipe, one being rendered. Queue: frames waiting for the writer, as
 * buffer indices (a held frame queues its buffer again, no copy). */
#define NBUF 2
#define QUEUE_LEN 8

struct hv_video {
    pid_t pid;
    int fd;     /* ffmpeg's stdin (non-blocking: the writer polls it) */
    int wake[2]; /* self-pipe: wakes the writer out of poll() on abort */
    FILE *log;  /* ffmpeg's stderr (an unlinked temporary file) */
    int w, h, ch;
    size_t frame_bytes;
    char *path, *tmp;
    bool overwrite;
    bool stream; /* writing into a device or pipe, not a file */

    /* shared with the writer thread, under mu */
    pthread_t writer;
    bool writer_running;
    pthread_mutex_t mu;
    pthread_cond_t cv_work; /* writer: a frame was queued, or stop */
    pthread_cond_t cv_free; /* render thread: a frame left the queue */
    unsigned char *buf[NBUF];
    int refs[NBUF];         /* queue entries naming each buffer */
    int queue[QUEUE_LEN], q_head, q_count;
    bool closing;           /* no more frames: drain the queue and stop */
    bool aborting;          /* stop now */
    bool writer_done;       /* the writer has stopped */
    int write_errno;        /* why the writer stopped taking frames (0: it did not) */
    int last;               /* render thread only: the last submitted buffer, -1 */
};

typedef enum { FMT_MP4, FMT_WEBM, FMT_GIF, FMT_MOV, FMT_UNKNOWN } vfmt;

static vfmt format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    if (!dot || (slash && dot < slash))
        return FMT_UNKNOWN;
    if (strcasecmp(dot, ".mp4") == 0)
        return FMT_MP4;
    if (strcasecmp(dot, ".webm") == 0)
        return FMT_WEBM;
    if (strcasecmp(dot, ".gif") == 0)
        return FMT_GIF;
    if (strcasecmp(dot, ".mov") == 0)
        return FMT_MOV;
    return FMT_UNKNOWN;
}

#define PRESETS "ultrafast, superfast, veryfast, faster, fast, medium, slow, slower, veryslow"

const char *hv_video_preset_list(void) { return PRESETS; }

bool hv_video_preset_known(const char *name)
{
    size_t n = strlen(name);
    for (const char *p = PRESETS; *p; p += strspn(p, ", ")) {
        size_t k = strcspn(p, ",");
        if (k == n && strncmp(p, name, n) == 0)
            return true;
        p += k;
    }
    return false;
}

bool hv_video_is_mp4(const char *path) { return format_of(path) == FMT_MP4; }

const char *hv_video_filter(const char *pix_fmt, bool bt601)
{
    static char vf[320];
    snprintf(vf, sizeof vf,
             "scale=out_color_matrix=%s:out_range=tv:flags=accurate_rnd+full_chroma_int,format=%s,"
             "setparams=color_primaries=bt709:color_trc=bt709:colorspace=%s:range=tv",
             bt601 ? "bt601" : "bt709", pix_fmt, bt601 ? "smpte170m" : "bt709");
    return vf;
}

bool hv_video_check_path(const char *path, bool alpha, hv_error *err)
{
    vfmt f = format_of(path);
    if (f == FMT_UNKNOWN)
        return hv_errorf(err, "--video %s: unknown format (use .mp4, .webm, .gif, .mov, or .pdf for one page per frame)", path);
    if (alpha && f == FMT_MP4)
        return hv_errorf(err, "--video %s: H.264 .mp4 has no alpha channel; use .mov (ProRes 4444) or .webm with --transparent", path);
    if (alpha && f == FMT_GIF)
        return hv_errorf(err, "--video %s: .gif has only on/off transparency, which frays antialiased text and markers; use .webm (VP9 with alpha) or .mov (ProRes 4444) with --transparent", path);
    if (hv_is_stream(path) && (f == FMT_MP4 || f == FMT_MOV))
        return hv_errorf(err, "%s: %s needs a seekable file, not a pipe or device; write .webm or .gif to a stream",
                         path, f == FMT_MP4 ? ".mp4" : ".mov");
    return true;
}

static void free_video(hv_video *v)
{
    for (int b = 0; b < NBUF; b++)
        free(v->buf[b]);
    free(v->path);
    free(v->tmp);
    free(v);
}

/* Writes len bytes into ffmpeg's pipe. 0, or the errno of the failure
 * (ECANCELED: aborted through the wake pipe). */
static int pipe_write(hv_video *v, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(v->fd, p, len);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
            continue;
        }
        if (n == 0)
            return ENOSPC;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return errno;
        struct pollfd pf[2] = {{v->fd, POLLOUT, 0}, {v->wake[0], POLLIN, 0}};
        if (poll(pf, 2, -1) < 0 && errno != EINTR)
            return errno;
        if (pf[1].revents)
            return ECANCELED;
        /* POLLERR (no reader left) shows as EPIPE from the next write */
    }
    return 0;
}

/* The writer thread: queued frames into ffmpeg's pipe, in order, until the
 * queue is empty and closing, or aborting, or a write fails. */
static void *writer_main(void *arg)
{
    hv_video *v = arg;
    pthread_mutex_lock(&v->mu);
    for (;;) {
        while (v->q_count == 0 && !v->closing && !v->aborting)
            pthread_cond_wait(&v->cv_work, &v->mu);
        if (v->aborting || v->q_count == 0)
            break;
        int b = v->queue[v->q_head];
        /* buffer b is not written by the render thread while refs[b] > 0 */
        pthread_mutex_unlock(&v->mu);
        int e = pipe_write(v, v->buf[b], v->frame_bytes);
        pthread_mutex_lock(&v->mu);
        v->q_head = (v->q_head + 1) % QUEUE_LEN;
        v->q_count--;
        v->refs[b]--;
        if (e) {
            if (e != ECANCELED)
                v->write_errno = e;
            break;
        }
        pthread_cond_signal(&v->cv_free);
    }
    v->writer_done = true;
    pthread_cond_broadcast(&v->cv_free);
    pthread_mutex_unlock(&v->mu);
    return NULL;
}

static bool start_writer(hv_video *v)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* the render thread's timed waits */
    pthread_mutex_init(&v->mu, NULL);
    pthread_cond_init(&v->cv_work, NULL);
    pthread_cond_init(&v->cv_free, &ca);
    pthread_condattr_destroy(&ca);
    /* the writer takes no signals: Ctrl-C is the render thread's to see */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    v->writer_running = pthread_create(&v->writer, NULL, writer_main, v) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!v->writer_running) {
        pthread_cond_destroy(&v->cv_free);
        pthread_cond_destroy(&v->cv_work);
        pthread_mutex_destroy(&v->mu);
    }
    return v->writer_running;
}

hv_video *hv_video_open(const hv_video_desc *d, hv_error *err)
{
    const char *path = d->path;
    bool alpha = d->alpha;
    if (!hv_video_check_path(path, alpha, err))
        return NULL;
    bool stream = hv_is_stream(path);
    if (!hv_check_output(path, d->overwrite, err))
        return NULL;

    hv_video *v = calloc(1, sizeof *v);
    if (!v) {
        hv_errorf(err, "out of memory");
        return NULL;
    }
    v->w = d->w;
    v->h = d->h;
    v->ch = alpha ? 4 : 3;
    v->frame_bytes = (size_t)d->w * (size_t)d->h * (size_t)v->ch;
    v->last = -1;
    v->overwrite = d->overwrite;
    size_t n = strlen(path);
    v->path = malloc(n + 1);
    v->tmp = stream ? malloc(n + 1) : hv_temp_name(path);
    bool bufs = true;
    for (int b = 0; b < NBUF; b++)
        bufs = (v->buf[b] = malloc(v->frame_bytes)) != NULL && bufs;
    if (!v->path || !v->tmp || !bufs) {
        free_video(v);
        hv_errorf(err, "out of memory for %d frames of %dx%d", NBUF, d->w, d->h);
        return NULL;
    }
    memcpy(v->path, path, n + 1);
    v->stream = stream;
    if (stream) /* a device or pipe: ffmpeg writes into it directly */
        memcpy(v->tmp, path, n + 1);
    /* fail early and clearly on an unwritable folder (a stream is not
     * probed: opening and closing a FIFO would end its reader) */
    if (!stream) {
        int probe = open(v->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (probe < 0) {
            hv_errorf(err, "%s: cannot write: %s", path, strerror(errno));
            free_video(v);
            return NULL;
        }
        close(probe);
    }

    char size[32], rate[32], vf[320];
    snprintf(size, sizeof size, "%dx%d", d->w, d->h);
    snprintf(rate, sizeof rate, "%.6g", d->fps);
    vfmt fmt = format_of(path);
    /* The pixel format each codec is fed, and the filter that makes it. The
     * frames are sRGB; players turn the video's YUV back into RGB with the
     * matrix the file names, and assume BT.709 for HD when it names none, so
     * the conversion uses BT.709 (ffmpeg's default is BT.601: viridis then
     * played up to 16 levels off in Chromium) with exact rounding, at limited
     * ("tv") range, and the file names all of it (the tags below). The one
     * exception is VP9 with alpha: Chromium (156) draws BT.709 there with
     * blue up to 10 levels off, and BT.601 right, so that file is converted
     * with BT.601 and says so (SMPTE 170M; primaries and transfer still
     * BT.709, as the sRGB frames are). yuv420p needs even sizes: an
     * odd-sized .mp4 gets a row/column of the ground. */
    const char *pix = fmt == FMT_MP4    ? "yuv420p"
                      : fmt == FMT_WEBM ? (alpha ? "yuva420p" : "yuv420p")
                      : fmt == FMT_MOV  ? (alpha ? "yuva444p10le" : "yuv422p10le")
                                        : NULL;
    int at = 0;
    vf[0] = '\0';
    if (fmt == FMT_MP4)
        at = snprintf(vf, sizeof vf, "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=0x%02x%02x%02x,",
                      (int)lrintf(d->pad_rgb[0] * 255), (int)lrintf(d->pad_rgb[1] * 255), (int)lrintf(d->pad_rgb[2] * 255));
    bool bt601 = fmt == FMT_WEBM && alpha;
    const char *matrix = bt601 ? "smpte170m" : "bt709"; /* the tag */
    if (pix)
        snprintf(vf + at, sizeof vf - (size_t)at, "%s", hv_video_filter(pix, bt601));
    const char *args[72];
    int a = 0;
    args[a++] = "ffmpeg";
    args[a++] = "-hide_banner";
    args[a++] = "-loglevel";
    args[a++] = "error";
    args[a++] = "-nostdin";
    args[a++] = "-y";
    args[a++] = "-f";
    args[a++] = "rawvideo";
    args[a++] = "-pix_fmt";
    args[a++] = alpha ? "rgba" : "rgb24";
    args[a++] = "-s";
    args[a++] = size;
    args[a++] = "-r";
    args[a++] = rate;
    args[a++] = "-i";
    args[a++] = "pipe:0";
    if (pix) {
        args[a++] = "-vf", args[a++] = vf, args[a++] = "-pix_fmt", args[a++] = pix;
        /* the tags, on the frames (setparams: ProRes' frame header takes
         * them from there) and the stream: the H.264 VUI, VP9's header and
         * WebM's Colour element, the mov 'colr' atom */
        args[a++] = "-color_primaries", args[a++] = "bt709", args[a++] = "-color_trc", args[a++] = "bt709";
        args[a++] = "-colorspace", args[a++] = matrix, args[a++] = "-color_range", args[a++] = "tv";
    }
    switch (fmt) {
    case FMT_MP4:
        args[a++] = "-c:v", args[a++] = "libx264", args[a++] = "-preset";
        args[a++] = d->preset && hv_video_preset_known(d->preset) ? d->preset : "medium";
        args[a++] = "-crf", args[a++] = "18";
        args[a++] = "-movflags", args[a++] = "+faststart", args[a++] = "-f", args[a++] = "mp4";
        break;
    case FMT_WEBM:
        args[a++] = "-c:v", args[a++] = "libvpx-vp9", args[a++] = "-crf", args[a++] = "30";
        args[a++] = "-b:v", args[a++] = "0", args[a++] = "-row-mt", args[a++] = "1";
        args[a++] = "-f", args[a++] = "webm";
        break;
    case FMT_GIF:
        args[a++] = "-vf";
        /* one palette, from the first frame (it shows the whole colorbar, so
         * every colormap colour): ffmpeg then holds one frame, not the clip */
        args[a++] = alpha ? "split[a][b];[a]trim=end_frame=1,palettegen=reserve_transparent=1[p];[b][p]paletteuse=alpha_threshold=128"
                          : "split[a][b];[a]trim=end_frame=1,palettegen[p];[b][p]paletteuse=dither=sierra2_4a";
        args[a++] = "-f", args[a++] = "gif";
        break;
    case FMT_MOV:
        args[a++] = "-c:v", args[a++] = "prores_ks", args[a++] = "-profile:v", args[a++] = alpha ? "4444" : "3";
        if (alpha)
            args[a++] = "-alpha_bits", args[a++] = "16";
        args[a++] = "-movflags", args[a++] = "+write_colr";
        args[a++] = "-f", args[a++] = "mov";
        break;
    default: break;
    }
    args[a++] = v->tmp;
    args[a] = NULL;

    /* ffmpeg's messages go to a file, not a pipe: a flood of them can never
     * block ffmpeg while headviz blocks writing frames to it */
    int pipefd[2] = {-1, -1};
    v->wake[0] = v->wake[1] = -1;
    v->log = tmpfile();
    if (!v->log || pipe(pipefd) != 0 || pipe(v->wake) != 0) {
        hv_errorf(err, "cannot create a pipe to ffmpeg: %s", strerror(errno));
        if (v->log)
            fclose(v->log);
        for (int k = 0; k < 2; k++) {
            if (pipefd[k] >= 0)
                close(pipefd[k]);
            if (v->wake[k] >= 0)
                close(v->wake[k]);
        }
        if (!stream)
            unlink(v->tmp);
        free_video(v);
        return NULL;
    }
    for (int k = 0; k < 2; k++)
        fcntl(v->wake[k], F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[0], 0);
    posix_spawn_file_actions_adddup2(&fa, fileno(v->log), 2);
    posix_spawn_file_actions_addclose(&fa, pipefd[1]);
    posix_spawn_file_actions_addclose(&fa, pipefd[0]);
    /* its own process group: a Ctrl-C at the terminal reaches headviz, which
     * stops ffmpeg itself, rather than killing ffmpeg under it */
    posix_spawnattr_t sa;
    posix_spawnattr_init(&sa);
    posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&sa, 0);
    int rc = posix_spawnp(&v->pid, "ffmpeg", &fa, &sa, (char *const *)args, environ);
    posix_spawnattr_destroy(&sa);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[0]);
    if (rc != 0) {
        close(pipefd[1]);
        close(v->wake[0]);
        close(v->wake[1]);
        fclose(v->log);
        if (!stream)
            unlink(v->tmp);
        if (rc == ENOENT)
            hv_errorf(err, "--video needs ffmpeg, which is not installed or not on PATH (Debian: apt-get install ffmpeg); --export-frames DIR writes PNG frames without it");
        else
            hv_errorf(err, "cannot start ffmpeg: %s", strerror(rc));
        free_video(v);
        return NULL;
    }
    v->fd = pipefd[1];
    fcntl(v->fd, F_SETFD, FD_CLOEXEC);
    fcntl(v->fd, F_SETFL, fcntl(v->fd, F_GETFL) | O_NONBLOCK);
#ifdef F_SETPIPE_SZ
    /* a 1 MiB pipe rather than 64 KiB: a frame in a few writes and reads,
     * not a hundred (about a quarter less system time); best effort */
    fcntl(v->fd, F_SETPIPE_SZ, 1 << 20);
#endif
    if (!start_writer(v)) {
        hv_errorf(err, "cannot start a thread to write frames to ffmpeg");
        hv_video_close(v, true, NULL);
        return NULL;
    }
    return v;
}

bool hv_video_padded(const char *path, int w, int h, int *out_w, int *out_h)
{
    *out_w = w;
    *out_h = h;
    if (format_of(path) != FMT_MP4 || (w % 2 == 0 && h % 2 == 0))
        return false;
    *out_w = w + w % 2;
    *out_h = h + h % 2;
    return true;
}

int hv_video_channels(const hv_video *v) { return v->ch; }

/* Under mu: false with err when the writer stopped taking frames. */
static bool writer_failed(hv_video *v, hv_error *err)
{
    if (!v->writer_done)
        return false;
    hv_errorf(err, "%s: ffmpeg stopped taking frames (%s)", v->path,
              strerror(v->write_errno ? v->write_errno : EPIPE));
    return true;
}

/* Under mu: waits (as HV_STAGE_WAIT_FFMPEG) until ready(v) holds. False with
 * err when the writer stopped, false with err untouched when *stop is set:
 * the waits are short timed ones, so Ctrl-C is seen within 20 ms. */
static bool wait_for(hv_video *v, bool (*ready)(const hv_video *), const volatile sig_atomic_t *stop,
                     hv_error *err)
{
    if (writer_failed(v, err))
        return false;
    if (ready(v))
        return true;
    uint64_t t0 = hv_stage_begin(HV_STAGE_WAIT_FFMPEG);
    bool ok = true;
    while (ok && !ready(v)) {
        if (writer_failed(v, err) || (stop && *stop)) {
            ok = false;
            break;
        }
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_nsec += 20 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&v->cv_free, &v->mu, &ts);
    }
    hv_stage_end(HV_STAGE_WAIT_FFMPEG, t0);
    return ok;
}

static int free_buffer(const hv_video *v)
{
    for (int b = 0; b < NBUF; b++)
        if (v->refs[b] == 0)
            return b;
    return -1;
}

static bool has_free_buffer(const hv_video *v) { return free_buffer(v) >= 0; }
static bool has_queue_room(const hv_video *v) { return v->q_count < QUEUE_LEN; }
static bool queue_empty(const hv_video *v) { return v->q_count == 0; }

unsigned char *hv_video_frame(hv_video *v, const volatile sig_atomic_t *stop, hv_error *err)
{
    pthread_mutex_lock(&v->mu);
    int b = wait_for(v, has_free_buffer, stop, err) ? free_buffer(v) : -1;
    pthread_mutex_unlock(&v->mu);
    return b >= 0 ? v->buf[b] : NULL;
}

/* Queues buffer b. */
static bool enqueue(hv_video *v, int b, const volatile sig_atomic_t *stop, hv_error *err)
{
    pthread_mutex_lock(&v->mu);
    bool ok = wait_for(v, has_queue_room, stop, err);
    if (ok) {
        v->queue[(v->q_head + v->q_count) % QUEUE_LEN] = b;
        v->q_count++;
        v->refs[b]++;
        v->last = b;
        pthread_cond_signal(&v->cv_work);
    }
    pthread_mutex_unlock(&v->mu);
    return ok;
}

bool hv_video_submit(hv_video *v, unsigned char *frame, const volatile sig_atomic_t *stop, hv_error *err)
{
    for (int b = 0; b < NBUF; b++)
        if (frame == v->buf[b])
            return enqueue(v, b, stop, err);
    return hv_errorf(err, "hv_video_submit: not a buffer from hv_video_frame");
}

bool hv_video_repeat(hv_video *v, const volatile sig_atomic_t *stop, hv_error *err)
{
    if (v->last < 0)
        return hv_errorf(err, "hv_video_repeat: no frame to repeat");
    return enqueue(v, v->last, stop, err);
}

bool hv_video_drain(hv_video *v, const volatile sig_atomic_t *stop, hv_error *err)
{
    pthread_mutex_lock(&v->mu);
    bool ok = wait_for(v, queue_empty, stop, err);
    pthread_mutex_unlock(&v->mu);
    return ok;
}

/* Stops the writer thread: after the queue is written (abort: at once). */
static void stop_writer(hv_video *v, bool abort)
{
    if (!v->writer_running)
        return;
    pthread_mutex_lock(&v->mu);
    v->closing = true;
    v->aborting = abort;
    pthread_cond_signal(&v->cv_work);
    pthread_mutex_unlock(&v->mu);
    if (abort) {
        ssize_t r = write(v->wake[1], "x", 1);
        (void)r; /* an empty pipe of one byte: cannot fail */
    }
    pthread_join(v->writer, NULL);
    v->writer_running = false;
    pthread_cond_destroy(&v->cv_free);
    pthread_cond_destroy(&v->cv_work);
    pthread_mutex_destroy(&v->mu);
}

/* The last line ffmpeg wrote to its log ("" when none). */
static void last_log_line(FILE *log, char *out, size_t size)
{
    char line[512];
    out[0] = '\0';
    rewind(log);
    while (fgets(line, sizeof line, log)) {
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        if (n > 0)
            snprintf(out, size, "%s", line);
    }
}

/* A video is reported written only when it is whole. ffmpeg's exit status
 * alone does not prove that: when the disk fills while it closes the file
 * it prints "Error closing file ...: No space left on device" and still
 * exits 0. It runs with -loglevel error, so anything it printed is an error:
 * its log must be empty. Then the file itself is flushed to the disk
 * (fsync reports a write the file system could not complete). Both cost
 * nothing next to encoding, where probing the finished file with ffprobe
 * would cost a second process and a read of the whole file. */
bool hv_video_close(hv_video *v, bool abort, hv_error *err)
{
    if (!v)
        return true;
    stop_writer(v, abort);
    /* the writer is gone: its state is this thread's now */
    int lost = v->write_errno ? v->write_errno : v->q_count > 0 ? EPIPE : 0;
    close(v->fd);
    close(v->wake[0]);
    close(v->wake[1]);
    if (abort)
        kill(v->pid, SIGTERM);
    int status = 0;
    while (waitpid(v->pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool ok = true;
    int fd = -1;
    char why[512];
    last_log_line(v->log, why, sizeof why);
    fclose(v->log);
    if (!abort && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        if (WIFEXITED(status))
            ok = hv_errorf(err, "%s: ffmpeg failed with exit status %d%s%s; no file written", v->path,
                           WEXITSTATUS(status), why[0] ? ": " : "", why);
        else
            ok = hv_errorf(err, "%s: ffmpeg was killed by signal %d; no file written", v->path, WTERMSIG(status));
    } else if (!abort && why[0]) {
        ok = hv_errorf(err, "%s: ffmpeg failed: %s; no file written", v->path, why);
    } else if (!abort && lost) {
        /* ffmpeg exited 0 without reading every frame: the file is short */
        ok = hv_errorf(err, "%s: ffmpeg stopped taking frames (%s); no file written", v->path, strerror(lost));
    } else if (!abort && !v->stream) {
        struct stat st;
        fd = open(v->tmp, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, &st) != 0)
            ok = hv_errorf(err, "%s: write failed: %s; no file written", v->path, strerror(errno));
        else if (st.st_size == 0)
            ok = hv_errorf(err, "%s: ffmpeg wrote an empty file; no file written", v->path);
    }
    if (ok && !abort && !v->stream) {
        /* fsync (it reports a write the file system could not complete),
         * rename, fsync of the folder; removes tmp on failure */
        ok = hv_publish(fd, v->tmp, v->path, v->overwrite, true, err);
        fd = -1;
    } else if (!v->stream) {
        unlink(v->tmp);
    }
    if (fd >= 0)
        close(fd);
    free_video(v);
    return ok;
}
