/*
 * fa_private.h - private to surveys/: helpers shared by fa_corr.c and
 * factor.c.
 */
#ifndef EGDI_FA_PRIVATE_H
#define EGDI_FA_PRIVATE_H

#include <stddef.h>
#include <stdio.h>

#include <gsl/gsl_matrix.h>

#include "engine/core/error.h"

/* names[j], or "item J" (1-based) written into buf. */
const char *egdi_fa_item_name(const char *const *names, size_t j, char buf[32]);

/* egdi_fa_corr / _pairwise without the SIMD kernel (the path of CPUs without AVX2), so
 * that tests exercise both. */
egdi_status egdi_fa_corr_portable(const double *x, size_t n, size_t p, const char *const *names,
                                  double *r, double *mean, double *sd, egdi_error *err);

egdi_status egdi_fa_corr_pairwise_portable(const double *x, size_t n, size_t p,
                                           const char *const *names, double *r, size_t *npair,
                                           egdi_error *err);

/*
 * Cholesky-factorises the p x p correlation matrix r into l (lower
 * triangle; l must be p x p).  When r is not positive definite, fails with
 * EGDI_ERR_NUMERIC naming the first item that is (numerically) a linear
 * combination of the items before it.  log_det (may be NULL) gets ln|r|.
 */
egdi_status egdi_fa_cholesky(const double *r, size_t p, const char *const *names,
                             gsl_matrix *l, double *log_det, egdi_error *err);

#endif
