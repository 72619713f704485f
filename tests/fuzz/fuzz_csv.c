/* libFuzzer harness: the long CSV (hv_dataset_parse). A success gives points
 * within the documented bounds; a failure one line naming the file. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    hv_dataset ds;
    hv_error err;
    err.msg[0] = '\0';
    if (hv_dataset_parse(&ds, (const char *)data, size, "fuzz.csv", &err)) {
        for (int i = 0; i < ds.n_points; i++) {
            const hv_point *p = &ds.points[i];
            if (p->model < 0 || p->model >= ds.n_models || p->condition < 0 ||
                p->condition >= ds.n_conditions || p->layer < 0 || p->layer > HV_MAX_LAYER ||
                p->head < 0 || p->head > HV_MAX_LAYER || !isfinite(p->score))
                __builtin_trap();
        }
    } else if (!err.msg[0] || strchr(err.msg, '\n') || strncmp(err.msg, "fuzz.csv", 8) != 0) {
        __builtin_trap();
    }
    hv_dataset_free(&ds);
    return 0;
}
