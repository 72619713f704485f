/* libFuzzer harness: the figure spec (hv_spec_parse), which takes a
 * NUL-terminated string: the input is copied into one (exactly sized, so an
 * overread is caught). A failure must be one line naming the file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    hv_spec spec;
    hv_spec_init(&spec);
    hv_error err;
    err.msg[0] = '\0';
    if (!hv_spec_parse(&spec, text, "fuzz.ini", &err) &&
        (!err.msg[0] || strchr(err.msg, '\n') || strncmp(err.msg, "fuzz.ini", 8) != 0))
        __builtin_trap();
    hv_spec_free(&spec); /* [source: ...] sections allocate */
    free(text);
    return 0;
}
