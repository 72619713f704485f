#include "video.h"

#include "png.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct hv_video {
    pid_t pid;
    int fd;     /* ffmpeg's stdin */
    FILE *log;  /* ffmpeg's stderr (an unlinked temporary file) */
    int w, h;
    char *path, *tmp;
    bool overwrite;
    bool stream; /* writing into a device or pipe, not a file */
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

hv_video *hv_video_open(const char *path, int w, int h, double fps, bool alpha, const float pad_rgb[3],
                        bool overwrite, hv_error *err)
{
    if (!hv_video_check_path(path, alpha, err))
        return NULL;
    bool stream = hv_is_stream(path);
    if (!hv_check_output(path, overwrite, err))
        return NULL;

    hv_video *v = calloc(1, sizeof *v);
    if (!v) {
        hv_errorf(err, "out of memory");
        return NULL;
    }
    v->w = w;
    v->h = h;
    v->overwrite = overwrite;
    size_t n = strlen(path);
    v->path = malloc(n + 1);
    v->tmp = stream ? malloc(n + 1) : hv_temp_name(path);
    if (!v->path || !v->tmp) {
        free(v->path), free(v->tmp), free(v);
        hv_errorf(err, "out of memory");
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
            free(v->path), free(v->tmp), free(v);
            return NULL;
        }
        close(probe);
    }

    char size[32], rate[32], pad[96];
    snprintf(size, sizeof size, "%dx%d", w, h);
    snprintf(pad, sizeof pad, "pad=ceil(iw/2)*2:ceil(ih/2)*2:color=0x%02x%02x%02x", (int)lrintf(pad_rgb[0] * 255),
             (int)lrintf(pad_rgb[1] * 255), (int)lrintf(pad_rgb[2] * 255));
    snprintf(rate, sizeof rate, "%.6g", fps);
    const char *args[64];
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
    args[a++] = "rgba";
    args[a++] = "-s";
    args[a++] = size;
    args[a++] = "-r";
    args[a++] = rate;
    args[a++] = "-i";
    args[a++] = "pipe:0";
    switch (format_of(path)) {
    case FMT_MP4:
        args[a++] = "-c:v", args[a++] = "libx264", args[a++] = "-preset", args[a++] = "medium";
        args[a++] = "-crf", args[a++] = "18", args[a++] = "-pix_fmt", args[a++] = "yuv420p";
        /* yuv420p needs even sizes: an odd one gets a row/column of the ground */
        args[a++] = "-vf", args[a++] = pad;
        args[a++] = "-movflags", args[a++] = "+faststart", args[a++] = "-f", args[a++] = "mp4";
        break;
    case FMT_WEBM:
        args[a++] = "-c:v", args[a++] = "libvpx-vp9", args[a++] = "-crf", args[a++] = "30";
        args[a++] = "-b:v", args[a++] = "0", args[a++] = "-row-mt", args[a++] = "1";
        args[a++] = "-pix_fmt", args[a++] = alpha ? "yuva420p" : "yuv420p";
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
        args[a++] = "-pix_fmt", args[a++] = alpha ? "yuva444p10le" : "yuv422p10le";
        if (alpha)
            args[a++] = "-alpha_bits", args[a++] = "16";
        args[a++] = "-f", args[a++] = "mov";
        break;
    default: break;
    }
    args[a++] = v->tmp;
    args[a] = NULL;

    /* ffmpeg's messages go to a file, not a pipe: a flood of them can never
     * block ffmpeg while headviz blocks writing frames to it */
    int pipefd[2] = {-1, -1};
    v->log = tmpfile();
    if (!v->log || pipe(pipefd) != 0) {
        hv_errorf(err, "cannot create a pipe to ffmpeg: %s", strerror(errno));
        if (v->log)
            fclose(v->log);
        if (!stream)
            unlink(v->tmp);
        free(v->path), free(v->tmp), free(v);
        return NULL;
    }
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
        fclose(v->log);
        if (!stream)
            unlink(v->tmp);
        if (rc == ENOENT)
            hv_errorf(err, "--video needs ffmpeg, which is not installed or not on PATH (Debian: apt-get install ffmpeg); --export-frames DIR writes PNG frames without it");
        else
            hv_errorf(err, "cannot start ffmpeg: %s", strerror(rc));
        free(v->path), free(v->tmp), free(v);
        return NULL;
    }
    v->fd = pipefd[1];
    fcntl(v->fd, F_SETFD, FD_CLOEXEC);
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

bool hv_video_write(hv_video *v, const unsigned char *rgba, const volatile sig_atomic_t *stop, hv_error *err)
{
    int e = 0;
    if (!hv_write_all(v->fd, rgba, (size_t)v->w * (size_t)v->h * 4, stop, &e))
        return hv_errorf(err, "%s: ffmpeg stopped taking frames (%s)", v->path, strerror(e));
    return true;
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
    close(v->fd);
    if (abort)
        kill(v->pid, SIGTERM);
    int status = 0;
    while (waitpid(v->pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool ok = true;
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
    } else if (!abort && !v->stream) {
        int fd = open(v->tmp, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fsync(fd) != 0 || fstat(fd, &st) != 0)
            ok = hv_errorf(err, "%s: write failed: %s; no file written", v->path, strerror(errno));
        else if (st.st_size == 0)
            ok = hv_errorf(err, "%s: ffmpeg wrote an empty file; no file written", v->path);
        if (fd >= 0)
            close(fd);
    }
    if (ok && !abort && !v->stream)
        ok = hv_publish(v->tmp, v->path, v->overwrite, err); /* removes tmp on failure */
    else if (!v->stream)
        unlink(v->tmp);
    free(v->path);
    free(v->tmp);
    free(v);
    return ok;
}
