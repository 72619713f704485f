/* export_run: the timeline rendered offscreen at exact times (frame i at
 * i/fps, never the wall clock) into a PNG sequence or a video. Frames held
 * on a state are detected by comparing draw lists and cost neither a render
 * nor an encode. A progress line goes to a terminal; Ctrl-C stops cleanly. */
#ifndef HV_EXPORT_RUN_H
#define HV_EXPORT_RUN_H

#include <stdio.h>

#include "app.h"

/* Returns the process exit code (0, 1, 2, or 130 when interrupted). */
int hv_app_export(hv_app *a);

/* Opens what draws PNG stills (still) or PNG and video frames of w x h,
 * by --renderer, one rule for all: cpu (cairo) or gl as given; auto (the
 * default) draws a still with cpu, and frames with gl when OpenGL runs on
 * a GPU, with cpu when it is a software rasteriser (GL_RENDERER llvmpipe,
 * softpipe, swrast), when no GPU device node exists (then no GL context is
 * made to ask: set HEADVIZ_PROBE_GL=1 to ask anyway), when no GL context
 * can be made, or when w x h exceeds the GPU's framebuffer. Sets
 * a->opt.renderer to HV_RENDERER_CPU or HV_RENDERER_GL; returns -1 when
 * ready, else an exit code (message printed). */
int hv_app_choose_renderer(hv_app *a, bool still, int w, int h);
/* "renderer: cpu (auto: llvmpipe is a software rasteriser ...)": which
 * renderer ran and why, for --timings. */
void hv_app_print_renderer(const hv_app *a, FILE *f);

/* Quotes s for a POSIX shell (for the ffmpeg line it prints). */
void hv_shell_quote(const char *s, char *out, size_t size);

#endif
