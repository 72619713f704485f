#include "scale.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

double hv_scale_map(const hv_scale *s, double v)
{
    double span = s->d1 - s->d0;
    if (span == 0.0)
        return (s->p0 + s->p1) * 0.5;
    return s->p0 + (v - s->d0) / span * (s->p1 - s->p0);
}

double hv_scale_unmap(const hv_scale *s, double p)
{
    double span = s->p1 - s->p0;
    if (span == 0.0)
        return s->d0;
    return s->d0 + (p - s->p0) / span * (s->d1 - s->d0);
}

double hv_nice_step(double lo, double hi, int target)
{
    double span = hi - lo;
    if (!(span > 0) || !isfinite(span) || target < 1)
        return 1.0;
    double raw = span / target;
    double mag = pow(10.0, floor(log10(raw)));
    double f = raw / mag;
    double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 2.5 ? 2.5 : f <= 5.0 ? 5.0 : 10.0;
    return nice * mag;
}

int hv_ticks_step(double lo, double hi, double step, double *out, int cap)
{
    if (!(step > 0) || !(hi >= lo))
        return 0;
    double eps = step * 1e-9;
    double k0 = ceil((lo - eps) / step);
    int n = 0;
    for (double k = k0; n < cap; k += 1.0) {
        double v = k * step;
        if (v > hi + eps)
            break;
        if (fabs(v) < eps)
            v = 0.0;
        out[n++] = v;
    }
    return n;
}

int hv_ticks_spec(const hv_ticks *t, double lo, double hi, double *out, int cap)
{
    if (!(t->step > 0)) /* unset or invalid: no ticks (and no endless loop) */
        return 0;
    double count = floor((t->last - t->first) / t->step + 1e-9) + 1;
    if (!(count >= 1) || count > 1e6) /* also NaN and infinities */
        return 0;
    double eps = t->step * 1e-9;
    int n = 0;
    for (long i = 0; i < (long)count && n < cap; i++) {
        double v = t->first + (double)i * t->step;
        if (v >= lo - eps && v <= hi + eps)
            out[n++] = fabs(v) < eps ? 0.0 : v;
    }
    return n;
}

static void format_sig4(double v, bool exp_form, char *buf, int size);

void hv_format_tick(double v, double step, char *buf, int size)
{
    if (fabs(v) >= 1e7 || step < 1e-4) {
        /* very large or very fine: four significant digits, not a row of
         * zeros, and one form for the whole axis: every label but 0 with
         * an exponent ("5e-5", "1e-4", "1.5e-4", where %g would switch to
         * "0.0001" mid-axis), and 0 as "0", not "0.00000" or "-0" */
        format_sig4(v, v != 0.0, buf, size);
        return;
    }
    int dec = 0;
    /* smallest number of decimals that shows the step exactly */
    while (dec < 6) {
        double scaled = step * pow(10.0, dec);
        if (fabs(scaled - floor(scaled + 0.5)) < 1e-6 * fmax(1.0, scaled))
            break;
        dec++;
    }
    if (fabs(v) < 0.5 * pow(10.0, -dec))
        v = 0.0; /* no "-0" */
    snprintf(buf, (size_t)size, "%.*f", dec, v);
    hv_true_minus(buf, size);
}

void hv_true_minus(char *buf, int size)
{
    /* "-2.5" -> "\u2212" "2.5": each ASCII byte becomes three, all of them
     * or none (no room: hyphens rather than cut digits or a mix) */
    size_t n = strlen(buf), k = 0;
    for (size_t i = 0; i < n; i++)
        k += buf[i] == '-';
    if (k == 0 || size < 1 || n + 2 * k >= (size_t)size)
        return;
    buf[n + 2 * k] = '\0';
    for (size_t i = n, j = n + 2 * k; i-- > 0;) { /* from the end, in place */
        if (buf[i] == '-') {
            buf[--j] = '\x92';
            buf[--j] = '\x88';
            buf[--j] = '\xe2';
        } else {
            buf[--j] = buf[i];
        }
    }
}

/* printf's exponent as matplotlib writes scientific notation: "e", a sign
 * only when negative, no leading zeros ("1e-05" -> "1e-5", "2e+08" ->
 * "2e8"), in place. */
static void plain_exponent(char *s)
{
    char *e = strchr(s, 'e');
    if (!e)
        return;
    char *p = e + 1, *w = e + 1;
    if (*p == '-')
        *w++ = *p++;
    else if (*p == '+')
        p++;
    while (p[0] == '0' && p[1] >= '0' && p[1] <= '9')
        p++;
    memmove(w, p, strlen(p) + 1);
}

/* Four significant digits as %.4g writes them, or always with an exponent
 * (exp_form: %.3e without the mantissa's trailing zeros, as %g drops
 * them); the exponent as plain_exponent writes it, true minus signs. */
static void format_sig4(double v, bool exp_form, char *buf, int size)
{
    if (size < 1)
        return;
    char tmp[64];
    if (v == 0.0)
        v = 0.0; /* no "-0" */
    snprintf(tmp, sizeof tmp, exp_form ? "%.3e" : "%.4g", v);
    char *e = strchr(tmp, 'e');
    if (exp_form && e && memchr(tmp, '.', (size_t)(e - tmp))) {
        char *z = e;
        while (z[-1] == '0')
            z--;
        if (z[-1] == '.')
            z--;
        memmove(z, e, strlen(e) + 1);
    }
    plain_exponent(tmp);
    snprintf(buf, (size_t)size, "%s", tmp);
    hv_true_minus(buf, size);
}

void hv_format_number(double v, char *buf, int size) { format_sig4(v, false, buf, size); }
