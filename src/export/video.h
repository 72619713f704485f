/* video: raw frames streamed into ffmpeg.
 *
 * ffmpeg is started with an argument vector (posix_spawnp, never a shell, so
 * any file name is safe) and writes to a temporary name beside the target;
 * only when it exits 0 is the file renamed to its final name. The container
 * follows the extension: .mp4 (H.264 through x264 at a preset, crf 18,
 * yuv420p, +faststart: plays in browsers and presentation software), .webm
 * (VP9), .gif (palette per clip), .mov (ProRes 422 HQ, or ProRes 4444 with
 * alpha when transparent).
 *
 * Frames go down the pipe as RGB (rgb24), or RGBA with alpha. A writer
 * thread writes frame i into the pipe while the caller renders frame i+1:
 * the caller takes a buffer (hv_video_frame), fills it and queues it
 * (hv_video_submit), or queues the last frame again (hv_video_repeat, a
 * held frame). Two buffers and a short queue of their indices: memory is
 * flat however long the video. The render thread's waits for the writer
 * (i.e. for ffmpeg) count as HV_STAGE_WAIT_FFMPEG.
 * Does NOT: render; it only receives frames, top row first. */
#ifndef HV_VIDEO_H
#define HV_VIDEO_H

#include <signal.h>
#include <stdbool.h>

#include "../core/hv_error.h"

typedef struct hv_video hv_video;

/* x264's presets for .mp4, fastest first: "ultrafast, superfast, ...". */
const char *hv_video_preset_list(void);
bool hv_video_preset_known(const char *name);
/* The file is an .mp4 (H.264, the one format a preset applies to). */
bool hv_video_is_mp4(const char *path);

/* The -vf value that turns sRGB frames into pix_fmt's YUV as --video does:
 * BT.709's matrix (601 = true: BT.601's), limited range, exact rounding,
 * and the colours named on the frames (ffmpeg then tags the stream). For
 * the "assemble:" line printed after --export-frames. Static storage. */
const char *hv_video_filter(const char *pix_fmt, bool bt601);

/* Checks the extension (and alpha support) without starting anything. */
bool hv_video_check_path(const char *path, bool alpha, hv_error *err);

typedef struct hv_video_desc {
    const char *path;
    int w, h;
    double fps;
    bool alpha;         /* RGBA frames and an alpha channel; else RGB frames */
    float pad_rgb[3];   /* the row/column added to odd sizes for yuv420p */
    const char *preset; /* x264 preset for .mp4; NULL = "medium" */
    bool overwrite;
} hv_video_desc;

hv_video *hv_video_open(const hv_video_desc *desc, hv_error *err);
/* The size the file really has: H.264's yuv420p needs even sizes, so an
 * odd-sized .mp4 gets a row/column of the ground. True when padded. */
bool hv_video_padded(const char *path, int w, int h, int *out_w, int *out_h);
/* Bytes per pixel of a frame: 4 with alpha, else 3. */
int hv_video_channels(const hv_video *v);
/* A buffer of w*h*channels bytes to render the next frame into; waits while
 * the writer still holds both buffers. NULL with err once ffmpeg stopped
 * taking frames; NULL with err untouched when *stop was set while waiting. */
unsigned char *hv_video_frame(hv_video *v, const volatile sig_atomic_t *stop, hv_error *err);
/* Queues the buffer from hv_video_frame, filled, for the writer. */
bool hv_video_submit(hv_video *v, unsigned char *frame, const volatile sig_atomic_t *stop, hv_error *err);
/* Queues the last submitted frame again (a held frame: the same pixels). */
bool hv_video_repeat(hv_video *v, const volatile sig_atomic_t *stop, hv_error *err);
/* Waits until every queued frame is in ffmpeg's pipe. False with err when
 * ffmpeg stopped taking frames; false with err untouched when interrupted. */
bool hv_video_drain(hv_video *v, const volatile sig_atomic_t *stop, hv_error *err);
/* Stops the writer, closes ffmpeg's input and waits. abort: stop ffmpeg and
 * discard the output (returns true). Else false with err when ffmpeg failed
 * or stopped taking frames (nothing published then). Frees v. */
bool hv_video_close(hv_video *v, bool abort, hv_error *err);

#endif
