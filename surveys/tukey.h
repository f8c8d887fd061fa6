/*
 * tukey.h - the studentized range distribution (Tukey's HSD and the
 * Games-Howell test): its distribution function and its quantiles, which
 * GSL does not have.
 *
 * Q = (max - min of k independent N(0, 1)) / s, with df s^2 ~ chi^2_df / df
 * independent of them.  As Copenhaver & Holland (1988), whose integral R's
 * ptukey() evaluates:
 *
 *   P(Q <= q) = int_0^inf g_df(s) W(q s) ds,
 *   W(w)      = k int phi(z) [Phi(z + w) - Phi(z)]^(k-1) dz      (range <= w)
 *   g_df(s)   = density of s = sqrt(chi^2_df / df)
 *             = 2 (df/2)^(df/2) / Gamma(df/2) s^(df-1) exp(-df s^2 / 2).
 *
 * The upper tail is integrated directly, never as 1 - P, so that a small
 * p-value keeps its relative precision:
 *
 *   1 - W(w) = k int phi(z) Q(z + w) sum_{j=0}^{k-2} a^j b^(k-2-j) dz,
 *   a = Q(z) = 1 - Phi(z), b = Phi(z + w) - Phi(z)
 *
 * (from k int phi(z) Q(z)^(k-1) dz = 1 and a^(k-1) - b^(k-1) = (a - b) sum,
 * a - b = Q(z + w)); every term is positive.  Both integrals are adaptive
 * Gauss-Kronrod (GSL QAG, 61 points) over windows that hold all but
 * e^-80 of the mass, to a relative 1e-12 (outer) and 1e-13 (inner).  As R,
 * df > 25,000 is taken as infinite (the integral over s is left out); there
 * R and egdi agree exactly, and below it they agree to about 1e-11 (the
 * grid in tests/r/relations_ref.R).
 *
 * Quantiles are found by Brent's method on the log of the tail to a
 * relative 1e-12 in q.  (R's qtukey() stops at an absolute 1e-4: "accurate
 * to the 4th decimal place", ?qtukey; TukeyHSD's intervals inherit that.)
 *
 * A work area holds GSL's integration workspaces (no allocation per call);
 * it is not shared between threads.  egdi_tukey_work_free(NULL) is harmless.
 */
#ifndef EGDI_TUKEY_H
#define EGDI_TUKEY_H

#include <stdbool.h>

#include "engine/core/error.h"

typedef struct egdi_tukey_work egdi_tukey_work;

/* Df above this are infinite (R's ptukey: dlarg). */
#define EGDI_TUKEY_DF_INF 25000.0

egdi_tukey_work *egdi_tukey_work_alloc(void);
void egdi_tukey_work_free(egdi_tukey_work *w);

/*
 * P(Q <= q) (upper false) or P(Q > q) (upper true) for k means (a whole
 * number >= 2) and df > 0 (INFINITY allowed).  q <= 0 gives 0 / 1.
 * EGDI_ERR_ARG for k or df out of range, EGDI_ERR_NUMERIC when the
 * integration cannot reach its tolerance.
 */
egdi_status egdi_tukey_cdf(egdi_tukey_work *w, double q, double k, double df, bool upper,
                           double *out, egdi_error *err);

/*
 * The q with P(Q > q) = alpha (0 < alpha < 1): the critical value of a
 * test at level alpha; qtukey(1 - alpha, k, df) in R.
 */
egdi_status egdi_tukey_quantile(egdi_tukey_work *w, double alpha, double k, double df,
                                double *q, egdi_error *err);

#endif
