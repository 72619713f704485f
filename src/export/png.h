/* png: PNG encoding with stb_image_write (one forced row filter, our
 * compressor: zlib in bands of rows, libdeflate's Adler-32: ~3 ms of CPU for
 * a 1920x1080 frame of the figure, ~130 ms at stb's defaults), and atomic,
 * non-clobbering file writes: data goes to a temporary name in the same
 * folder and is published under the final name only when complete.
 * Does NOT: render; never overwrites unless asked to. */
#ifndef HV_PNG_H
#define HV_PNG_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "../core/hv_error.h"

/* Threads that may deflate one image encoded by the calling thread
 * (default 1). A still uses every core; export workers keep 1 each. */
void hv_png_set_threads(int n);

/* Encodes w*h pixels of `channels` (3 or 4) bytes, top row first, into a
 * malloc'd PNG. The bytes depend on the pixels alone (not on threads or
 * caches). */
bool hv_png_encode(const unsigned char *px, int w, int h, int channels, unsigned char **out,
                   size_t *out_len, hv_error *err);

/* A thread's memory of the last image it encoded (its filtered rows, a copy,
 * and their deflated bands), so that the next image of the same size
 * deflates only the bands of rows that changed: frames of an animation
 * share margins, axes, colorbars and legends. Costs a copy of the filtered
 * image (~6 MB at 1920x1080 RGB, ~25 MB at 3840x2160). One thread at a time. */
typedef struct hv_png_cache hv_png_cache;
hv_png_cache *hv_png_cache_create(void); /* NULL: out of memory */
void hv_png_cache_destroy(hv_png_cache *c);
/* hv_png_encode through cache c (NULL: none), on the calling thread alone;
 * the same bytes as hv_png_encode. */
bool hv_png_encode_cached(hv_png_cache *c, const unsigned char *px, int w, int h, int channels,
                          unsigned char **out, size_t *out_len, hv_error *err);
/* Bands encoded through c so far, and how many of them reused the bytes of
 * the image before. */
void hv_png_cache_stats(const hv_png_cache *c, long *bands, long *reused);

/* For benchmarks and tests: rows per deflated band (0 = the default, about
 * 48 kB of rows). Set before encoding starts, not while threads encode. */
void hv_png_set_band_rows(int rows);

/* Writes data to path atomically and durably (see hv_publish), the folder
 * included. Without overwrite, an existing path is an error ("... exists;
 * use --force to overwrite"). */
bool hv_write_file_atomic(const char *path, const void *data, size_t len, bool overwrite, hv_error *err);
/* The same without the fsync of the folder: for a sequence of files in one
 * folder, which hv_sync_folder then flushes once, after the last. */
bool hv_write_frame_atomic(const char *path, const void *data, size_t len, bool overwrite, hv_error *err);

/* Building blocks of atomic writes, shared by PNG and video output. */
/* Writes all of data to fd (retrying short writes and, unless *stop is set,
 * interrupted ones); on failure *error is the errno (ENOSPC for a
 * zero-length write). stop may be NULL. */
bool hv_write_all(int fd, const void *data, size_t len, const volatile sig_atomic_t *stop, int *error);
/* path names a character device or a pipe (written directly, no temp). */
bool hv_is_stream(const char *path);
/* Malloc'd ".NAME.headviz-PID.tmp" beside path. */
char *hv_temp_name(const char *path);
/* Removes the temporaries (".NAME.headviz-PID.tmp") that runs killed before
 * they could clean up (kill -9, a crash, a power cut) left in the folder of
 * path (a folder itself when is_dir): those whose process no longer exists.
 * A live run's temporaries are never touched. Returns how many went. */
int hv_remove_stale_temps(const char *path, bool is_dir);
/* Publishes a complete temporary under path, durably; every writer (PNG
 * stills and frames, PDF/SVG, videos) ends this way:
 *   1. fsync(fd), the temporary's descriptor, then close(fd); fd < 0: the
 *      temporary is opened to be fsync'd (a file ffmpeg wrote);
 *   2. rename(tmp, path) with overwrite, else link(tmp, path) and
 *      unlink(tmp) (never clobbers a file that appeared meanwhile);
 *   3. with sync_folder, fsync of path's folder, so that the new name is on
 *      the disk too (a sequence of frames does it once: hv_sync_folder).
 * After a crash or power cut, path is either the old file (or absent) or
 * the whole new one, never a truncated one. Closes fd and removes tmp on
 * failure (the message says "...: write failed: REASON"). */
bool hv_publish(int fd, const char *tmp, const char *path, bool overwrite, bool sync_folder, hv_error *err);
/* fsync of the folder that holds path (is_dir: path is the folder). */
bool hv_sync_folder(const char *path, bool is_dir, hv_error *err);

/* Checks that path can be written: an existing file needs overwrite, its
 * folder must exist. Streams (devices, pipes) are always fine. */
bool hv_check_output(const char *path, bool overwrite, hv_error *err);

/* Formats of a still, chosen by the file's extension. */
typedef enum hv_still_format { HV_STILL_PNG, HV_STILL_PDF, HV_STILL_SVG } hv_still_format;
/* The format of a still named path (case-insensitive extension; a device
 * or pipe without one gets PNG). Else false with err, e.g.
 *   --screenshot out.jpg: unknown format ".jpg" (supported: .png, .pdf, .svg) */
bool hv_still_format_of(const char *path, const char *option, hv_still_format *fmt, hv_error *err);

/* Exit code for an output error: 2 when the user named something unusable
 * (an existing file without --force, a missing folder, a size), else 1. */
int hv_error_exit_code(const hv_error *err);

/* Encodes and writes in one go. RGBA in; alpha dropped when !keep_alpha. */
bool hv_png_write(const char *path, const unsigned char *rgba, int w, int h, bool keep_alpha,
                  bool overwrite, hv_error *err);

#endif
