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
/* Label for v given the tick step: "10", "2.5", "0.25"; never "-0". Very
 * large (|v| >= 1e7) or very fine (step < 1e-4) values as hv_format_number. */
void hv_format_tick(double v, double step, char *buf, int size);
/* Minus signs as typeset, one rule for every number of a figure (ticks,
 * colorbars, tooltips), as matplotlib's axes.unicode_minus: every
 * hyphen-minus in buf, the number's sign and its exponent's, becomes U+2212
 * MINUS SIGN (three UTF-8 bytes). All or none: where buf's size has no room
 * for all of them, buf is left as it is, never a mix of the two signs. */
void hv_true_minus(char *buf, int size);
/* A number for people (tooltips, extreme ticks): "%.4g" significant digits,
 * an exponent as matplotlib writes scientific notation ("e", its sign only
 * when negative, no leading zeros), and true minus signs (hv_true_minus):
 * "0.25", "\u2212" "1.5e" "\u2212" "5", "2e8". */
void hv_format_number(double v, char *buf, int size);

#endif
