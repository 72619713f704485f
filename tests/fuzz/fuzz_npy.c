/* libFuzzer harness: the npy reader through hv_read_scores (see fuzz_reader.h). */
#include "fuzz_reader.h"

HV_FUZZ_READER(HV_FMT_NPY, 0)
