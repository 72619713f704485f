/* stages: where the time of a frame goes, for --timings and the benchmarks.
 *
 * Each stage of the frame pipeline (build the draw list, GL draw, read-back,
 * PNG filter, deflate, file write, and the render thread's waits) adds the
 * time it took on its thread (wall-clock; CPU time for filter and deflate). Off by default: then a stage costs
 * one relaxed load. Thread-safe (atomics). Stages on encoder threads run in
 * parallel with the render thread, so the sums may exceed the elapsed time.
 * Does NOT: decide anything; it only measures. */
#ifndef HV_STAGES_H
#define HV_STAGES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum hv_stage {
    HV_STAGE_BUILD,    /* animation + figure layout + draw list */
    HV_STAGE_DRAW,     /* GL: upload, draw, finish (rasterising on llvmpipe) */
    HV_STAGE_READBACK, /* glReadPixels */
    HV_STAGE_FILTER,   /* PNG row filter */
    HV_STAGE_DEFLATE,  /* zlib deflate + checksums */
    HV_STAGE_WRITE,    /* the file written, synced and renamed */
    HV_STAGE_WAIT_BUF, /* render thread waiting for a free encoder buffer */
    HV_STAGE_WAIT_FFMPEG, /* render thread blocked writing frames to ffmpeg */
    HV_STAGE_VECTOR,   /* cairo: a PDF/SVG page drawn and written */
    HV_STAGE_COUNT
} hv_stage;

void hv_stages_enable(bool on);
bool hv_stages_enabled(void);
void hv_stages_reset(void);
/* A timestamp of the stage's clock to pass to hv_stage_end (0 when
 * disabled): filter and deflate count their thread's CPU time, the other
 * stages wall-clock time. */
uint64_t hv_stage_begin(hv_stage s);
/* Adds the time since t0 to stage s (nothing when disabled). */
void hv_stage_end(hv_stage s, uint64_t t0);
/* Adds ns nanoseconds to stage s. */
void hv_stage_add(hv_stage s, uint64_t ns);
/* Milliseconds stage s has taken in all. */
double hv_stage_ms(hv_stage s);
/* Prints the table: per frame, each stage's ms, the elapsed time and the
 * process's CPU time, e.g.
 *   timings: 60 frames in 0.512 s: 8.53 ms/frame elapsed, 12.10 ms/frame CPU (2 cores)
 *     render thread  build 0.61  draw 3.12  read-back 1.20  wait for buffer 2.02  (ms/frame)
 *     encoders       filter 0.80  deflate 4.51  write 0.30  (ms/frame) */
void hv_stages_print(FILE *f, long frames, double elapsed_s);

#endif
