#include "scale.h"

#include <math.h>
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

void hv_format_tick(double v, double step, char *buf, int size)
{
    if (fabs(v) >= 1e7 || (step < 1e-4 && v != 0.0)) {
        /* very large or very fine: significant digits, not a row of zeros */
        snprintf(buf, (size_t)size, "%.4g", v);
        hv_true_minus(buf, size);
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
    /* "-2.5" -> "\u2212" "2.5": the one ASCII byte becomes three */
    size_t n = strlen(buf);
    for (size_t i = 0; i < n; i++) {
        if (buf[i] != '-')
            continue;
        if (n + 2 >= (size_t)size)
            return; /* no room: keep the hyphen rather than cut digits */
        memmove(buf + i + 3, buf + i + 1, n - i); /* with the terminating NUL */
        buf[i] = '\xe2';
        buf[i + 1] = '\x88';
        buf[i + 2] = '\x92';
        n += 2;
        i += 2;
    }
}

void hv_format_number(double v, char *buf, int size)
{
    snprintf(buf, (size_t)size, "%.4g", v);
    hv_true_minus(buf, size);
}
