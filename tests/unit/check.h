/* check: the unit tests' tiny harness.
 *
 *   CHECK(cond)              cond must be true
 *   CHECK_INT(a, b)          two integers must be equal (both printed on failure)
 *   CHECK_NEAR(a, b, tol)    |a - b| <= tol (doubles; NaN never passes)
 *   CHECK_STR(a, b)          strcmp(a, b) == 0 (NULL never passes)
 *   check_context(fmt, ...)  names the case a loop is on; printed with failures
 *   return check_summary();  prints "N passed, N failed" as the last line and
 *                            returns 1 when anything failed, else 0
 *
 * Failures print file:line, the expression and the values to stdout (so the
 * summary is last however the output is captured), and testing goes on, so
 * one run lists every failure. One test program per area, one
 * translation unit each: the counters are file-static. */
#ifndef HV_CHECK_H
#define HV_CHECK_H

#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int check_passed_;
static int check_failed_;
static char check_ctx_[256];

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static inline void check_context(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(check_ctx_, sizeof check_ctx_, fmt, ap);
    va_end(ap);
}

static inline void check_fail_head_(const char *file, int line)
{
    check_failed_++;
    printf("%s:%d: FAILED", file, line);
    if (check_ctx_[0])
        printf(" [%s]", check_ctx_);
    fputs(": ", stdout);
}

static inline int check_true_(int ok, const char *expr, const char *file, int line)
{
    if (ok) {
        check_passed_++;
        return 1;
    }
    check_fail_head_(file, line);
    printf("%s\n", expr);
    return 0;
}

static inline int check_int_(long long a, long long b, const char *ea, const char *eb,
                             const char *file, int line)
{
    if (a == b) {
        check_passed_++;
        return 1;
    }
    check_fail_head_(file, line);
    printf("%s == %s: got %lld, expected %lld\n", ea, eb, a, b);
    return 0;
}

static inline int check_near_(double a, double b, double tol, const char *ea, const char *eb,
                              const char *file, int line)
{
    if (fabs(a - b) <= tol) {
        check_passed_++;
        return 1;
    }
    check_fail_head_(file, line);
    printf("%s ~= %s: got %.17g, expected %.17g (tolerance %g)\n", ea, eb, a, b, tol);
    return 0;
}

static inline int check_str_(const char *a, const char *b, const char *ea, const char *eb,
                             const char *file, int line)
{
    if (a && b && strcmp(a, b) == 0) {
        check_passed_++;
        return 1;
    }
    check_fail_head_(file, line);
    printf("%s == %s:\n     got: %s%s%s\nexpected: %s%s%s\n", ea, eb, a ? "\"" : "",
            a ? a : "(null)", a ? "\"" : "", b ? "\"" : "", b ? b : "(null)", b ? "\"" : "");
    return 0;
}

#define CHECK(cond) check_true_((cond) ? 1 : 0, #cond, __FILE__, __LINE__)
#define CHECK_INT(a, b) check_int_((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_NEAR(a, b, tol) check_near_((double)(a), (double)(b), (double)(tol), #a, #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) check_str_((a), (b), #a, #b, __FILE__, __LINE__)

/* Writes a test fixture file; true when all of it was written. */
static inline bool check_write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed_, check_failed_);
    fflush(stdout);
    return check_failed_ ? 1 : 0;
}

#endif
