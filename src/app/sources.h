/* sources: binds score files to models and conditions the way runs name
 * them (issue 18).
 *
 * Does: read every [source: ...] of the spec and every --grid, each with
 * its own tensor / reduce / format (an option that cannot apply to its file
 * is an error; a default given before the first --grid applies where it
 * can, and must apply somewhere); settle each model's extent (layers x
 * heads): declared (--extent, layers = / heads = in [model: ...]), else its
 * dense files (.npy .npz .txt .safetensors, which must agree: a transposed
 * one is named), else the union of its sparse files (JSON, JSON Lines) and
 * CSV rows; sparse files and CSV rows must fit inside a known extent (the
 * key, or file:line, is named); pad every grid to its model's extent (a
 * count gives 0 to a head no sample lists, other reductions NaN = no
 * score); add them to the dataset in order.
 * Does NOT: rank, pick models, draw. */
#ifndef HV_SOURCES_H
#define HV_SOURCES_H

#include <stdbool.h>

#include "../core/dataset.h"
#include "../core/spec.h"
#include "cli.h"

/* all may already hold the long CSV's points. spec_path: the folder that
 * [source: ...] paths are relative to (the spec file's path; NULL: none);
 * spec_name names the spec in messages. False with err (exit 2). */
bool hv_sources_load(hv_dataset *all, const hv_spec *spec, const char *spec_path, const char *spec_name,
                     const hv_options *opt, hv_error *err);

#endif
