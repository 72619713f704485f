/* scale: the data <-> pixel mapping and tick picking, as small pure functions.
 *
 * Does: linear maps, "nice" tick steps (1, 2, 2.5, 5 x 10^n), ticks from an
 * explicit (first, last, step), and tick label formatting with just enough
 * decimals for the step. Does NOT: know about axes, fonts or pixels beyond the
 * two endpoints it is given. */
#ifndef HV_SCALE_H
#define HV_SCALE_H

#include "spec.h"

typedef struct hv_scale {
    double d0, d1; /* data interval */
    double p0, p1; /* pixel interval (p1 < p0 allowed, e.g. y up) */
} hv_scale;

double hv_scale_map(const hv_scale *s, double v);
double hv_scale_unmap(const hv_scale *s, double p);

/* Nice step for about `target` intervals over [lo, hi]. */
double hv_nice_step(double lo, double hi, int target);
/* Ticks inside [lo, hi] at multiples of step. Returns the count (<= cap). */
int hv_ticks_step(double lo, double hi, double step, double *out, int cap);
/* Ticks from an explicit spec, limited to [lo, hi]. */
int hv_ticks_spec(const hv_ticks *t, double lo, double hi, double *out, int cap);
/* Label for v given the tick step: "10", "2.5", "0.25"; never "-0". */
void hv_format_tick(double v, double step, char *buf, int size);
/* Negative numbers as typeset (matplotlib's axes.unicode_minus): every
 * hyphen-minus of a formatted number in buf becomes U+2212 MINUS SIGN
 * (three UTF-8 bytes), while buf's size allows. hv_format_tick does it. */
void hv_true_minus(char *buf, int size);
/* A score for people (tooltips): "%.4g" with a true minus sign. */
void hv_format_number(double v, char *buf, int size);

#endif
