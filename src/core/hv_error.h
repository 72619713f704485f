/* hv_error: the one error type of headviz.
 *
 * A function that can fail on user input returns false (or a status) and fills
 * an hv_error with one line a person can act on, e.g.
 *   data.csv:14: column "layer": expected an integer >= 0, got "x"
 * No module aborts on user input; asserts guard programmer errors only. */
#ifndef HV_ERROR_H
#define HV_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#define HV_ERROR_MAX 512

typedef struct hv_error {
    char msg[HV_ERROR_MAX];
} hv_error;

/* printf-style; always returns false so callers can `return hv_errorf(...)`.
 * err may be NULL. */
bool hv_errorf(hv_error *err, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* A name (a file's) as messages show it: as is, or, when it holds a control
 * byte (a newline would split the one line), double-quoted with '"' and '\\'
 * escaped and other bytes outside printable ASCII as \xNN, into buf. */
const char *hv_error_name(char *buf, size_t cap, const char *name);

#endif