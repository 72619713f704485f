/* fuzz_reader: the body shared by the readers' libFuzzer harnesses.
 *
 * Reads the input as one format with hv_read_scores and checks the contract
 * on every input, not only the absence of crashes: a success gives a grid
 * within the limits whose values are finite or NaN; a failure gives one
 * non-empty line that starts with the file's name and leaves the grid empty.
 * The reduction (and count's options) vary with the input's length, so every
 * mode is exercised; npz and safetensors are also read asking for a tensor
 * named "a". Anything else traps (libFuzzer then saves the input). */
#ifndef HV_FUZZ_READER_H
#define HV_FUZZ_READER_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "scores.h"

#define FUZZ_NAME "fuzz.input"

static void fuzz_check(const uint8_t *data, size_t size, hv_format f, const char *tensor)
{
    hv_read_opts o;
    memset(&o, 0, sizeof o);
    o.format = f;
    o.tensor = tensor;
    o.reduce = (hv_reduce)(size % 5);
    o.count_top = (int)(size / 5 % 4); /* 0 (= 10), 1, 2, 3 */
    o.count_abs = (size / 20) % 2 == 1;
    hv_grid g;
    hv_error err;
    err.msg[0] = '\0';
    if (hv_read_scores(data, size, FUZZ_NAME, &o, &g, &err)) {
        if (g.layers < 1 || g.heads < 1 || g.layers > HV_SCORES_MAX_DIM ||
            g.heads > HV_SCORES_MAX_DIM ||
            (long)g.layers * g.heads > HV_SCORES_MAX_CELLS || !g.v || g.samples < 1)
            __builtin_trap();
        for (long i = 0; i < (long)g.layers * g.heads; i++)
            if (isinf(g.v[i]))
                __builtin_trap();
        hv_grid_free(&g);
    } else {
        size_t n = strlen(err.msg);
        if (n == 0 || strchr(err.msg, '\n') || strncmp(err.msg, FUZZ_NAME, strlen(FUZZ_NAME)) != 0 ||
            g.v || g.layers || g.heads)
            __builtin_trap();
    }
}

#define HV_FUZZ_READER(fmt, try_tensor)                                    \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);          \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)           \
    {                                                                      \
        fuzz_check(data, size, (fmt), NULL);                               \
        if (try_tensor)                                                    \
            fuzz_check(data, size, (fmt), "a");                            \
        return 0;                                                          \
    }

#endif
