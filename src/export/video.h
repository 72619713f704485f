/* video: raw frames streamed into ffmpeg.
 *
 * ffmpeg is started with an argument vector (posix_spawnp, never a shell, so
 * any file name is safe) and writes to a temporary name beside the target;
 * only when it exits 0 is the file renamed to its final name. The container
 * follows the extension: .mp4 (H.264, yuv420p, +faststart: plays in browsers
 * and presentation software), .webm (VP9), .gif (palette per clip), .mov
 * (ProRes 422 HQ, or ProRes 4444 with alpha when transparent).
 * Does NOT: render; it only receives RGBA frames, top row first. */
#ifndef HV_VIDEO_H
#define HV_VIDEO_H

#include <signal.h>
#include <stdbool.h>

#include "../core/hv_error.h"

typedef struct hv_video hv_video;

/* Checks the extension (and alpha support) without starting anything. */
bool hv_video_check_path(const char *path, bool alpha, hv_error *err);
/* pad_rgb: the colour of the row/column added to odd sizes for yuv420p. */
hv_video *hv_video_open(const char *path, int w, int h, double fps, bool alpha, const float pad_rgb[3],
                        bool overwrite, hv_error *err);
/* The size the file really has: H.264's yuv420p needs even sizes, so an
 * odd-sized .mp4 gets a row/column of the ground. True when padded. */
bool hv_video_padded(const char *path, int w, int h, int *out_w, int *out_h);
/* w*h*4 bytes of RGBA. Gives up when interrupted while *stop is set. */
bool hv_video_write(hv_video *v, const unsigned char *rgba, const volatile sig_atomic_t *stop, hv_error *err);
/* Closes ffmpeg's input and waits. abort: stop ffmpeg and discard the output
 * (returns true). Else false with err when ffmpeg failed. Frees v. */
bool hv_video_close(hv_video *v, bool abort, hv_error *err);

#endif
