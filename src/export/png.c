#include "png.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/stages.h"

unsigned char *hv_stb_png_to_mem(hv_png_cache *c, const unsigned char *px, int stride, int w, int h, int n,
                                 int *len);
extern _Thread_local uint64_t hv_png_filter_start;

bool hv_png_encode(const unsigned char *px, int w, int h, int channels, unsigned char **out,
                   size_t *out_len, hv_error *err)
{
    return hv_png_encode_cached(NULL, px, w, h, channels, out, out_len, err);
}

bool hv_png_encode_cached(hv_png_cache *c, const unsigned char *px, int w, int h, int channels,
                          unsigned char **out, size_t *out_len, hv_error *err)
{
    if (w < 1 || h < 1 || (channels != 3 && channels != 4) || (size_t)w * (size_t)channels > INT_MAX / 2)
        return hv_errorf(err, "cannot encode a %dx%d image", w, h);
    int len = 0;
    hv_png_filter_start = hv_stage_begin(HV_STAGE_FILTER); /* ends where the compressor starts */
    unsigned char *png = hv_stb_png_to_mem(c, px, w * channels, w, h, channels, &len);
    if (!png)
        return hv_errorf(err, "PNG encoding failed (out of memory?)");
    *out = png;
    *out_len = (size_t)len;
    return true;
}

static bool missing_folder(const char *path, hv_error *err);
static void folder_of(const char *path, char *dir, size_t size);

bool hv_write_all(int fd, const void *data, size_t len, const volatile sig_atomic_t *stop, int *error)
{
    const unsigned char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR && !(stop && *stop))
            continue;
        if (w <= 0) {
            *error = w < 0 ? errno : ENOSPC;
            return false;
        }
        p += w;
        len -= (size_t)w;
    }
    return true;
}

/* The descriptor behind /dev/stdout, /dev/stderr, /dev/fd/N, or -1. */
static int std_fd(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    const char *num = strncmp(path, "/dev/fd/", 8) == 0 ? path + 8 : NULL;
    if (!num || !*num || strspn(num, "0123456789") != strlen(num) || strlen(num) > 6)
        return -1;
    return atoi(num);
}

bool hv_is_stream(const char *path)
{
    struct stat st;
    if (std_fd(path) >= 0) /* whatever the shell connected it to, even a file */
        return true;
    return stat(path, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode));
}

/* A descriptor to write a stream with: the process's own for /dev/stdout
 * and friends (so `> fig.png` and `>> log` behave as the shell means). */
static int open_stream(const char *path)
{
    int fd = std_fd(path);
    return fd >= 0 ? dup(fd) : open(path, O_WRONLY | O_CLOEXEC);
}

char *hv_temp_name(const char *path)
{
    /* hidden temporary beside the target, so rename() stays on one file system */
    size_t n = strlen(path) + 32;
    char *tmp = malloc(n);
    if (!tmp)
        return NULL;
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path + 1) : 0;
    snprintf(tmp, n, "%.*s.%s.headviz-%ld.tmp", (int)dir_len, path, path + dir_len, (long)getpid());
    return tmp;
}

/* The pid in ".NAME.headviz-PID.tmp", or -1 for any other name. */
static long temp_pid(const char *name)
{
    size_t n = strlen(name);
    if (name[0] != '.' || n < 18 || strcmp(name + n - 4, ".tmp") != 0)
        return -1;
    const char *end = name + n - 4, *p = end;
    while (p > name && p[-1] >= '0' && p[-1] <= '9')
        p--;
    if (p == end || end - p > 9 || p - name < 9 || strncmp(p - 9, ".headviz-", 9) != 0)
        return -1;
    return strtol(p, NULL, 10);
}

int hv_remove_stale_temps(const char *path, bool is_dir)
{
    char dir[4096];
    if (is_dir)
        snprintf(dir, sizeof dir, "%s", path);
    else
        folder_of(path, dir, sizeof dir);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int removed = 0;
    struct dirent *de;
    char full[4400];
    while ((de = readdir(d)) != NULL) {
        long pid = temp_pid(de->d_name);
        /* its writer is gone: kill(pid, 0) fails with ESRCH (EPERM means a
         * live process of another user: leave its file alone) */
        if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(full, sizeof full, "%s/%s", dir, de->d_name);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISREG(st.st_mode) && unlink(full) == 0)
            removed++;
    }
    closedir(d);
    return removed;
}

/* The folder part of path ("." when none, "/" for "/x"). */
static void folder_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(dir, size, ".");
    else
        snprintf(dir, size, "%.*s", slash == path ? 1 : (int)(slash - path), path);
}

bool hv_sync_folder(const char *path, bool is_dir, hv_error *err)
{
    char dir[4096];
    if (is_dir)
        snprintf(dir, sizeof dir, "%s", path);
    else
        folder_of(path, dir, sizeof dir);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return hv_errorf(err, "%s: cannot open the folder to flush it to disk: %s", dir, strerror(errno));
    int rc = fsync(fd), e = errno;
    close(fd);
    /* EINVAL: a file system that cannot sync folders (it has nothing to flush) */
    if (rc != 0 && e != EINVAL)
        return hv_errorf(err, "%s: cannot flush the folder to disk: %s", dir, strerror(e));
    return true;
}

bool hv_publish(int fd, const char *tmp, const char *path, bool overwrite, bool sync_folder, hv_error *err)
{
    int e = 0;
    if (fd < 0 && (fd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0)
        e = errno;
    if (!e && fsync(fd) != 0)
        e = errno;
    if (fd >= 0 && close(fd) != 0 && !e)
        e = errno;
    if (e) {
        unlink(tmp);
        return hv_errorf(err, "%s: write failed: %s", path, strerror(e));
    }
    int rc;
    if (overwrite) {
        rc = rename(tmp, path);
    } else {
        /* link() publishes without clobbering a file that appeared meanwhile */
        rc = link(tmp, path);
        if (rc == 0)
            unlink(tmp);
    }
    if (rc != 0) {
        e = errno;
        unlink(tmp);
        if (e == EEXIST)
            return hv_errorf(err, "%s: file exists; use --force to overwrite", path);
        return hv_errorf(err, "%s: cannot write: %s", path, strerror(e));
    }
    return !sync_folder || hv_sync_folder(path, false, err);
}

static bool write_atomic(const char *path, const void *data, size_t len, bool overwrite, bool sync_folder,
                         hv_error *err)
{
    int e = 0;
    if (hv_is_stream(path)) {
        /* a stream (/dev/stdout, a pipe, /dev/full): write straight into it */
        int fd = open_stream(path);
        if (fd < 0)
            return hv_errorf(err, "%s: cannot write: %s", path, strerror(errno));
        bool ok = hv_write_all(fd, data, len, NULL, &e);
        if (close(fd) != 0 && ok) {
            e = errno;
            ok = false;
        }
        return ok || hv_errorf(err, "%s: write failed: %s", path, strerror(e));
    }
    if (!hv_check_output(path, overwrite, err))
        return false;
    char *tmp = hv_temp_name(path);
    if (!tmp)
        return hv_errorf(err, "%s: out of memory", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        e = errno;
        free(tmp);
        if (e == ENOENT && missing_folder(path, err))
            return false;
        return hv_errorf(err, "%s: cannot write: %s", path, strerror(e));
    }
    if (!hv_write_all(fd, data, len, NULL, &e)) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return hv_errorf(err, "%s: write failed: %s", path, strerror(e));
    }
    bool ok = hv_publish(fd, tmp, path, overwrite, sync_folder, err); /* fsync, close, rename */
    free(tmp);
    return ok;
}

bool hv_write_file_atomic(const char *path, const void *data, size_t len, bool overwrite, hv_error *err)
{
    return write_atomic(path, data, len, overwrite, true, err);
}

bool hv_write_frame_atomic(const char *path, const void *data, size_t len, bool overwrite, hv_error *err)
{
    return write_atomic(path, data, len, overwrite, false, err);
}

bool hv_png_write(const char *path, const unsigned char *rgba, int w, int h, bool keep_alpha,
                  bool overwrite, hv_error *err)
{
    const unsigned char *px = rgba;
    unsigned char *rgb = NULL;
    if (!keep_alpha) {
        size_t n = (size_t)w * (size_t)h;
        rgb = malloc(n * 3);
        if (!rgb)
            return hv_errorf(err, "%s: out of memory", path);
        for (size_t i = 0; i < n; i++)
            memcpy(rgb + i * 3, rgba + i * 4, 3);
        px = rgb;
    }
    unsigned char *png = NULL;
    size_t len = 0;
    bool ok = hv_png_encode(px, w, h, keep_alpha ? 4 : 3, &png, &len, err);
    free(rgb);
    if (!ok)
        return false;
    ok = hv_write_file_atomic(path, png, len, overwrite, err);
    free(png);
    return ok;
}

/* "folder "x" does not exist" for the folder part of path, or false. */
static bool missing_folder(const char *path, hv_error *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return false;
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    struct stat st;
    if (stat(dir, &st) == 0)
        return false;
    return !hv_errorf(err, "%s: folder \"%s\" does not exist", path, dir);
}

bool hv_check_output(const char *path, bool overwrite, hv_error *err)
{
    struct stat st;
    if (hv_is_stream(path))
        return true;
    if (lstat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return hv_errorf(err, "%s: exists and is not a regular file", path);
        if (!overwrite)
            return hv_errorf(err, "%s: file exists; use --force to overwrite", path);
        return true;
    }
    return !missing_folder(path, err);
}

bool hv_still_format_of(const char *path, const char *option, hv_still_format *fmt, hv_error *err)
{
    static const struct {
        const char *ext;
        hv_still_format fmt;
    } known[] = {{".png", HV_STILL_PNG}, {".pdf", HV_STILL_PDF}, {".svg", HV_STILL_SVG}};
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        for (unsigned i = 0; i < sizeof known / sizeof known[0]; i++)
            if (strcasecmp(dot, known[i].ext) == 0) {
                *fmt = known[i].fmt;
                return true;
            }
    if ((!dot || dot == base) && hv_is_stream(path)) {
        *fmt = HV_STILL_PNG;
        return true;
    }
    if (!dot || dot == base)
        return hv_errorf(err, "%s %s: no file extension to choose the format by (supported: .png, .pdf, .svg)", option,
                         path);
    return hv_errorf(err, "%s %s: unknown format \"%s\" (supported: .png, .pdf, .svg)", option, path, dot);
}

int hv_error_exit_code(const hv_error *err)
{
    static const char *const usage[] = {"file exists", "does not exist", "is not a regular file", "--size",
                                        "unknown format", "no file extension"};
    for (unsigned i = 0; i < sizeof usage / sizeof usage[0]; i++)
        if (strstr(err->msg, usage[i]))
            return 2;
    return 1;
}
