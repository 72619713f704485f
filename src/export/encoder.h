/* encoder: PNG encoding and writing on worker threads with a bounded queue.
 *
 * The render thread acquires a pixel buffer (blocking while all `slots` are
 * in flight, so memory stays flat however long the export), fills it and
 * submits it with a path; a worker encodes it (stb_image_write + zlib, each
 * worker re-deflating only the bands of rows that changed since its last
 * frame: hv_png_cache) and
 * writes it atomically and durably (temporary name, fsync, rename: see
 * hv_publish; the folder once, in hv_encoder_finish). The first error stops
 * further writes and is reported by hv_encoder_error / hv_encoder_finish;
 * jobs submitted before the failed one are still written, jobs after it
 * are not, so what is left is always a whole prefix (hv_encoder_complete).
 * Does NOT: render, or choose file names. */
#ifndef HV_ENCODER_H
#define HV_ENCODER_H

#include <stdbool.h>
#include <stddef.h>

#include "../core/hv_error.h"

typedef struct hv_encoder hv_encoder;

typedef struct hv_encoder_desc {
    int threads;    /* 0 = number of online CPUs (see frame_bytes) */
    int slots;      /* buffers in flight; 0 = one per two threads, at least 2 */
    bool overwrite; /* replace existing files */
    /* w*h*channels of the frames to come, 0 when unknown. With threads 0,
     * fewer threads than CPUs when frames are large: each thread holds about
     * three frames (its share of the buffers, stb's filtered rows, its band
     * cache), kept under HV_ENCODER_MEMORY in all, and never fewer than 2 */
    size_t frame_bytes;
} hv_encoder_desc;

#define HV_ENCODER_MEMORY ((size_t)512 << 20)

hv_encoder *hv_encoder_create(const hv_encoder_desc *desc, hv_error *err);
/* A buffer of at least w*h*channels bytes; blocks until one is free. NULL
 * on out of memory or after an error. */
unsigned char *hv_encoder_acquire(hv_encoder *e, int w, int h, int channels);
/* Gives back a buffer from acquire without writing anything. */
void hv_encoder_release(hv_encoder *e, unsigned char *buf);
/* Queues the buffer from acquire (top row first) for encoding to path. */
void hv_encoder_submit(hv_encoder *e, unsigned char *buf, int w, int h, int channels, const char *path);
/* Like submit, and remembers the encoded bytes under `id`, so that later
 * hv_encoder_submit_same(id) jobs write them without encoding again (frames
 * held on a state are identical: they cost a file write, not an encode). */
void hv_encoder_submit_id(hv_encoder *e, unsigned char *buf, int w, int h, int channels, const char *path,
                          unsigned long id);
/* Writes the bytes of the job submitted with `id` to path. Blocks while the
 * queue is full. */
void hv_encoder_submit_same(hv_encoder *e, unsigned long id, const char *path);
/* True (and fills err) once a write has failed. */
bool hv_encoder_error(hv_encoder *e, hv_error *err);
/* Files written so far. */
int hv_encoder_written(hv_encoder *e);
/* After hv_encoder_finish: k such that jobs 0..k-1 (in submission order)
 * are written, i.e. the index of the first failed job, or the number of
 * jobs when none failed. Files of jobs after k that were written before
 * the failure was known are the caller's to remove. */
long hv_encoder_complete(hv_encoder *e);
/* Jobs not yet written. */
int hv_encoder_pending(hv_encoder *e);
/* Waits for every queued job, then fsyncs the folder of the files written
 * (each file was fsync'd before its rename); false with the first error. */
bool hv_encoder_finish(hv_encoder *e, hv_error *err);
/* Finishes, stops the threads, frees everything. */
void hv_encoder_destroy(hv_encoder *e);

/* Internal: the PNG compressor calls this once stb_image_write has read all
 * of the source pixels, so a worker's buffer can be refilled early. A no-op
 * outside encoder threads. */
void hv_encoder_source_done(void);

#endif
