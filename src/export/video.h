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

#include <stdbool.h>

#include "../core/hv_error.h"

typedef struct hv_video hv_video;

/* Checks the extension (and alpha support) without starting anything. */
bool hv_video_check_path(const char *path, bool alpha, hv_error *err);
hv_video *hv_video_open(const char *path, int w, int h, double fps, bool alpha, bool overwrite, hv_error *err);
/* w*h*4 bytes of RGBA. */
bool hv_video_write(hv_video *v, const unsigned char *rgba, hv_error *err);
/* Closes ffmpeg's input and waits. abort: discard the output. Frees v. */
bool hv_video_close(hv_video *v, bool abort, hv_error *err);

#endif
