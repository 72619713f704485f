/* Unit tests of scale.c: linear maps, nice steps, tick picking, labels. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "scale.h"

/* Checks n ticks got against the expected list, exactly up to 1e-9 * step. */
static void check_ticks(const double *got, int n, const double *want, int n_want, double step,
                        const char *file, int line)
{
    check_int_(n, n_want, "tick count", "expected", file, line);
    for (int i = 0; i < n && i < n_want; i++)
        check_near_(got[i], want[i], 1e-9 * step, "tick", "expected", file, line);
}
#define CHECK_TICKS(got, n, step, ...)                                                             \
    do {                                                                                           \
        static const double want_[] = {__VA_ARGS__};                                               \
        check_ticks((got), (n), want_, (int)(sizeof want_ / sizeof want_[0]), (step), __FILE__,    \
                    __LINE__);                                                                     \
    } while (0)

static void test_nice_step(void)
{
    CHECK_NEAR(hv_nice_step(0, 70, 7), 10, 1e-12);
    CHECK_NEAR(hv_nice_step(0, 70, 6), 20, 1e-12);   /* 11.7 -> 20 */
    CHECK_NEAR(hv_nice_step(0, 1, 5), 0.2, 1e-12);
    CHECK_NEAR(hv_nice_step(0, 22, 6), 5, 1e-12);    /* 3.67 -> 5 */
    CHECK_NEAR(hv_nice_step(0, 100, 4), 25, 1e-12);  /* exactly 2.5 x 10 */
    CHECK_NEAR(hv_nice_step(0, 10, 3), 5, 1e-12);
    CHECK_NEAR(hv_nice_step(-1, 31, 15), 2.5, 1e-12); /* 2.13 -> 2.5 */
    CHECK_NEAR(hv_nice_step(0, 3, 10), 0.5, 1e-12);   /* 0.3 -> 0.5 */
    CHECK_NEAR(hv_nice_step(0, 7, 10), 1, 1e-12);     /* 0.7 -> 1 */
    CHECK_NEAR(hv_nice_step(0, 0.3, 10), 0.05, 1e-12);
    CHECK_NEAR(hv_nice_step(0, 0.25, 10), 0.025, 1e-12);
    CHECK_NEAR(hv_nice_step(0, 1, 10), 0.1, 1e-12);
    CHECK_NEAR(hv_nice_step(0, 2, 1), 2, 1e-12);
    CHECK_NEAR(hv_nice_step(0, 1e6, 10), 1e5, 1e-6);
    CHECK_NEAR(hv_nice_step(-50, 50, 10), 10, 1e-12);
    CHECK_NEAR(hv_nice_step(1000, 1001, 4), 0.25, 1e-12); /* only the span matters */
    /* degenerate input: a usable step, not 0, inf or NaN */
    CHECK_NEAR(hv_nice_step(5, 5, 10), 1, 0);
    CHECK_NEAR(hv_nice_step(5, 1, 10), 1, 0);
    CHECK_NEAR(hv_nice_step(0, 10, 0), 1, 0);
    CHECK_NEAR(hv_nice_step(0, NAN, 10), 1, 0);

    /* always one of 1, 2, 2.5, 5 x 10^n, and gives at most ~target intervals */
    for (int e = -4; e <= 5; e++) {
        for (int k = 1; k <= 97; k += 3) {
            double span = k * pow(10.0, e) / 7.0;
            double step = hv_nice_step(0, span, 6);
            double m = step / pow(10.0, floor(log10(step) + 1e-9));
            check_context("span %g", span);
            CHECK(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 2.5) < 1e-9 || fabs(m - 5) < 1e-9);
            CHECK(span / step <= 6 * (1 + 1e-9));
            CHECK(span / step > 6 / 2.5 - 1e-9); /* not needlessly coarse */
        }
    }
    check_context("%s", "");
}

static void test_ticks_step(void)
{
    double v[64];
    int n = hv_ticks_step(0, 70, 10, v, 64);
    CHECK_TICKS(v, n, 10, 0, 10, 20, 30, 40, 50, 60, 70);
    n = hv_ticks_step(-1, 31, 2, v, 64);
    CHECK_TICKS(v, n, 2, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    n = hv_ticks_step(0.05, 0.35, 0.1, v, 64);
    CHECK_TICKS(v, n, 0.1, 0.1, 0.2, 0.3);
    n = hv_ticks_step(-5, 5, 2.5, v, 64);
    CHECK_TICKS(v, n, 2.5, -5, -2.5, 0, 2.5, 5);
    if (n == 5)
        CHECK(!signbit(v[2])); /* 0, not -0 */
    n = hv_ticks_step(-0.3, 0.3, 0.1, v, 64);
    CHECK_TICKS(v, n, 0.1, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3);
    if (n == 7)
        CHECK(v[3] == 0.0 && !signbit(v[3]));
    /* endpoints that are multiples count, with float noise */
    n = hv_ticks_step(0.1 + 0.2, 0.9, 0.3, v, 64);
    CHECK_TICKS(v, n, 0.3, 0.3, 0.6, 0.9);
    n = hv_ticks_step(0, 22, 5, v, 64);
    CHECK_TICKS(v, n, 5, 0, 5, 10, 15, 20);
    /* cap, and nothing usable */
    n = hv_ticks_step(0, 100, 1, v, 3);
    CHECK_TICKS(v, n, 1, 0, 1, 2);
    CHECK_INT(hv_ticks_step(0, 10, 0, v, 64), 0);
    CHECK_INT(hv_ticks_step(0, 10, -1, v, 64), 0);
    CHECK_INT(hv_ticks_step(10, 0, 1, v, 64), 0);
    CHECK_INT(hv_ticks_step(0.2, 0.8, 1, v, 64), 0);
    CHECK_INT(hv_ticks_step(0, 10, NAN, v, 64), 0);
    n = hv_ticks_step(3, 3, 1, v, 64);
    CHECK_TICKS(v, n, 1, 3);
}

static void test_ticks_spec(void)
{
    double v[64];
    hv_ticks t = {true, 0, 70, 10};
    int n = hv_ticks_spec(&t, 0, 70, v, 64);
    CHECK_TICKS(v, n, 10, 0, 10, 20, 30, 40, 50, 60, 70);
    t = (hv_ticks){true, 0, 20, 5};
    n = hv_ticks_spec(&t, 0, 22, v, 64);
    CHECK_TICKS(v, n, 5, 0, 5, 10, 15, 20);
    /* limited to [lo, hi] */
    t = (hv_ticks){true, 0, 30, 2};
    n = hv_ticks_spec(&t, -1, 10, v, 64);
    CHECK_TICKS(v, n, 2, 0, 2, 4, 6, 8, 10);
    n = hv_ticks_spec(&t, 5, 9.5, v, 64);
    CHECK_TICKS(v, n, 2, 6, 8);
    n = hv_ticks_spec(&t, 31, 40, v, 64);
    CHECK_INT(n, 0);
    /* not multiples of the step: counted from first */
    t = (hv_ticks){true, 1, 10, 3};
    n = hv_ticks_spec(&t, 0, 100, v, 64);
    CHECK_TICKS(v, n, 3, 1, 4, 7, 10);
    /* float steps reach last despite rounding, and 0 is not -0 */
    t = (hv_ticks){true, 0, 1, 0.1};
    n = hv_ticks_spec(&t, 0, 1, v, 64);
    CHECK_TICKS(v, n, 0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0);
    t = (hv_ticks){true, -0.3, 0.3, 0.1};
    n = hv_ticks_spec(&t, -1, 1, v, 64);
    CHECK_TICKS(v, n, 0.1, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3);
    if (n == 7)
        CHECK(v[3] == 0.0 && !signbit(v[3]));
    /* cap */
    t = (hv_ticks){true, 0, 1000, 1};
    CHECK_INT(hv_ticks_spec(&t, 0, 1000, v, 64), 64);
    CHECK_NEAR(v[63], 63, 0);
    /* a spec with no usable step (e.g. unset) gives no ticks and terminates */
    t = (hv_ticks){false, 0, 0, 0};
    CHECK_INT(hv_ticks_spec(&t, 5, 10, v, 64), 0);
    t = (hv_ticks){true, 0, 10, -1};
    CHECK_INT(hv_ticks_spec(&t, 0, 10, v, 64), 0);
}

static void check_label(double v, double step, const char *want, const char *file, int line)
{
    char buf[32];
    memset(buf, 'z', sizeof buf);
    hv_format_tick(v, step, buf, (int)sizeof buf);
    char expr[64];
    snprintf(expr, sizeof expr, "label(%g, step %g)", v, step);
    check_str_(buf, want, expr, "expected", file, line);
}
#define CHECK_LABEL(v, step, want) check_label((v), (step), (want), __FILE__, __LINE__)

static void test_format_tick(void)
{
    CHECK_LABEL(2.5, 0.5, "2.5");
    CHECK_LABEL(2.5, 2.5, "2.5");
    CHECK_LABEL(10, 10, "10");
    CHECK_LABEL(10, 2, "10");
    CHECK_LABEL(0, 10, "0");
    CHECK_LABEL(70, 10, "70");
    CHECK_LABEL(0.25, 0.25, "0.25");
    CHECK_LABEL(0.5, 0.25, "0.50");
    CHECK_LABEL(1, 0.5, "1.0");
    CHECK_LABEL(0.1 + 0.2, 0.1, "0.3");
    CHECK_LABEL(3 * 0.1, 0.1, "0.3");
    /* negative numbers with a true minus sign (U+2212), as matplotlib */
    CHECK_LABEL(-5, 2.5, "\xe2\x88\x92" "5.0");
    CHECK_LABEL(-2.5, 2.5, "\xe2\x88\x92" "2.5");
    /* exponents as matplotlib writes them ("1e-5", "2e8"), their minus sign
     * true as well: one rule for both signs */
    CHECK_LABEL(-2e8, 1e8, "\xe2\x88\x92" "2e8");
    CHECK_LABEL(1.5e-5, 1e-5, "1.5e\xe2\x88\x92" "5");
    CHECK_LABEL(-1.5e-5, 1e-5, "\xe2\x88\x92" "1.5e\xe2\x88\x92" "5");
    CHECK_LABEL(1.5e7, 5e6, "1.5e7");
    CHECK_LABEL(1.2345678e9, 1e8, "1.235e9");
    /* a fine axis: every label but 0 with an exponent, even where %g would
     * write "0.0001" */
    CHECK_LABEL(1e-4, 5e-5, "1e\xe2\x88\x92" "4");
    CHECK_LABEL(1.5e-4, 5e-5, "1.5e\xe2\x88\x92" "4");
    CHECK_LABEL(0, 5e-5, "0");
    CHECK_LABEL(-0.0, 5e-5, "0");
    CHECK_LABEL(1e6, 1e5, "1000000");
    CHECK_LABEL(0.001, 0.001, "0.001");
    CHECK_LABEL(123.456, 0.5, "123.5");
    /* never "-0" */
    CHECK_LABEL(-0.0, 1, "0");
    CHECK_LABEL(-1e-12, 10, "0");
    CHECK_LABEL(-1e-17, 0.1, "0.0");
    CHECK_LABEL(-0.04, 0.1, "0.0");
    CHECK_LABEL(-0.4, 1, "0");
    /* truncation to the buffer */
    char buf[8];
    hv_format_tick(123456, 1, buf, 4);
    CHECK_STR(buf, "123");
    /* no room for the minus sign's bytes: the hyphen stays, no digit is cut */
    hv_format_tick(-12, 1, buf, 5);
    CHECK_STR(buf, "-12");
    hv_format_number(-0.5, buf, (int)sizeof buf);
    CHECK_STR(buf, "\xe2\x88\x92" "0.5");
    /* a minus sign is true everywhere or nowhere: "-1e-5" needs 5 + 2 x 2
     * bytes and its NUL; one byte less keeps both hyphens, never a mix */
    char small[16];
    hv_format_number(-1e-5, small, 10);
    CHECK_STR(small, "\xe2\x88\x92" "1e\xe2\x88\x92" "5");
    hv_format_number(-1e-5, small, 9);
    CHECK_STR(small, "-1e-5");
    memcpy(small, "-1e-5", 6);
    hv_true_minus(small, 9);
    CHECK_STR(small, "-1e-5");
    hv_true_minus(small, 10);
    CHECK_STR(small, "\xe2\x88\x92" "1e\xe2\x88\x92" "5");
    /* labels of a whole tick set: just enough decimals, the same for all */
    double v[64];
    int n = hv_ticks_step(0, 1, 0.25, v, 64);
    static const char *const want[] = {"0.00", "0.25", "0.50", "0.75", "1.00"};
    CHECK_INT(n, 5);
    for (int i = 0; i < n && i < 5; i++) {
        hv_format_tick(v[i], 0.25, buf, (int)sizeof buf);
        CHECK_STR(buf, want[i]);
    }
}

/* hv_format_number (tooltips, extreme ticks): "%.4g" digits, exponents as
 * matplotlib writes scientific notation, true minus signs for the number
 * and its exponent alike. */
static void test_format_number(void)
{
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {0, "0"},
        {0.25, "0.25"},
        {-0.5, "\xe2\x88\x92" "0.5"},
        {123456, "1.235e5"},
        {1e-5, "1e\xe2\x88\x92" "5"},
        {-1e-5, "\xe2\x88\x92" "1e\xe2\x88\x92" "5"},
        {2.5e8, "2.5e8"},
        {-2.5e8, "\xe2\x88\x92" "2.5e8"},
        {1e15, "1e15"},
        {-1.234e-100, "\xe2\x88\x92" "1.234e\xe2\x88\x92" "100"},
        {1e-300, "1e\xe2\x88\x92" "300"},
        {0.0001, "0.0001"},
        {-0.00012345, "\xe2\x88\x92" "0.0001234"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        hv_format_number(cases[i].v, buf, (int)sizeof buf);
        char expr[64];
        snprintf(expr, sizeof expr, "hv_format_number(%g)", cases[i].v);
        check_str_(buf, cases[i].want, expr, "expected", __FILE__, __LINE__);
    }
    /* a fine tick set: every label the same form ("0", not "0.00000"), no
     * hyphen, no "e-0" */
    double v[64];
    int n = hv_ticks_step(-4e-5, 4e-5, 2e-5, v, 64);
    CHECK_INT(n, 5);
    static const char *const want[] = {"\xe2\x88\x92" "4e\xe2\x88\x92" "5", "\xe2\x88\x92" "2e\xe2\x88\x92" "5", "0",
                                       "2e\xe2\x88\x92" "5", "4e\xe2\x88\x92" "5"};
    for (int i = 0; i < n && i < 5; i++) {
        char buf[32];
        hv_format_tick(v[i], 2e-5, buf, (int)sizeof buf);
        CHECK_STR(buf, want[i]);
        CHECK(strchr(buf, '-') == NULL && strstr(buf, "e0") == NULL && strchr(buf, '+') == NULL);
    }
}

static void test_map(void)
{
    hv_scale s = {0, 10, 100, 200};
    CHECK_NEAR(hv_scale_map(&s, 0), 100, 1e-12);
    CHECK_NEAR(hv_scale_map(&s, 5), 150, 1e-12);
    CHECK_NEAR(hv_scale_map(&s, 10), 200, 1e-12);
    CHECK_NEAR(hv_scale_map(&s, -2), 80, 1e-12); /* extrapolates */
    CHECK_NEAR(hv_scale_unmap(&s, 150), 5, 1e-12);
    CHECK_NEAR(hv_scale_unmap(&s, 220), 12, 1e-12);

    /* y up: the data interval maps onto a decreasing pixel interval */
    hv_scale y = {-1, 31, 900, 100};
    CHECK_NEAR(hv_scale_map(&y, -1), 900, 1e-12);
    CHECK_NEAR(hv_scale_map(&y, 31), 100, 1e-12);
    CHECK_NEAR(hv_scale_map(&y, 15), 500, 1e-12);
    CHECK_NEAR(hv_scale_unmap(&y, 500), 15, 1e-12);

    /* round trips */
    static const hv_scale scales[] = {
        {0, 10, 100, 200}, {-1, 31, 900, 100}, {0, 70, 0, 1}, {1e-3, 2e-3, 0, 3840}, {-5, 5, 2160, 0}};
    for (unsigned k = 0; k < sizeof scales / sizeof scales[0]; k++) {
        const hv_scale *sc = &scales[k];
        for (int i = -10; i <= 110; i++) {
            double d = sc->d0 + (sc->d1 - sc->d0) * i / 100.0;
            double p = sc->p0 + (sc->p1 - sc->p0) * i / 100.0;
            check_context("scale %u, i %d", k, i);
            CHECK_NEAR(hv_scale_map(sc, d), p, 1e-9 * fabs(sc->p1 - sc->p0));
            CHECK_NEAR(hv_scale_unmap(sc, hv_scale_map(sc, d)), d, 1e-9 * fabs(sc->d1 - sc->d0));
            CHECK_NEAR(hv_scale_map(sc, hv_scale_unmap(sc, p)), p, 1e-9 * fabs(sc->p1 - sc->p0));
        }
    }
    check_context("%s", "");

    /* degenerate intervals: finite answers, no division by zero */
    hv_scale flat = {3, 3, 100, 200};
    CHECK_NEAR(hv_scale_map(&flat, 3), 150, 0);
    CHECK_NEAR(hv_scale_map(&flat, 7), 150, 0);
    hv_scale point = {0, 10, 50, 50};
    CHECK_NEAR(hv_scale_map(&point, 5), 50, 0);
    CHECK_NEAR(hv_scale_unmap(&point, 50), 0, 0);
}

int main(void)
{
    test_nice_step();
    test_ticks_step();
    test_ticks_spec();
    test_format_tick();
    test_format_number();
    test_map();
    return check_summary();
}
