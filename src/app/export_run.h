/* export_run: the timeline rendered offscreen at exact times (frame i at
 * i/fps, never the wall clock) into a PNG sequence or a video. Frames held
 * on a state are detected by comparing draw lists and cost neither a render
 * nor an encode. A progress line goes to a terminal; Ctrl-C stops cleanly. */
#ifndef HV_EXPORT_RUN_H
#define HV_EXPORT_RUN_H

#include "app.h"

/* Returns the process exit code (0, 1, 2, or 130 when interrupted). */
int hv_app_export(hv_app *a);

/* Quotes s for a POSIX shell (for the ffmpeg line it prints). */
void hv_shell_quote(const char *s, char *out, size_t size);

#endif
