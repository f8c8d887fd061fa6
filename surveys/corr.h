/*
 * corr.h - the correlation matrix of variables (items or scale scores)
 * with the n, the two-sided p and the means and standard deviations that a
 * thesis prints beside it (相关性分析).
 *
 * Input: x, n x p column-major (x[j * n + i] = respondent i, variable j),
 * caller-owned; NaN marks a missing value and is allowed only when
 * pairwise.
 *   Pearson   r = cov / (sd sd); listwise from the one cross-product pass
 *             (surveys/crossprod.h), pairwise as R's
 *             cor(use = "pairwise.complete.obs") (egdi_fa_corr_pairwise).
 *   Spearman  Pearson's r of the ranks, ties given their average rank
 *             (cor(method = "spearman")); pairwise: ranked within the
 *             rows both variables have.
 *   p         as cor.test(): t = r sqrt((n - 2) / (1 - r^2)) on n - 2 df,
 *             two-sided; for Spearman the t approximation R uses with
 *             ties (cor.test(method = "spearman", exact = FALSE); SPSS
 *             the same).
 *   mean, sd  of the values (not the ranks): listwise over the rows used,
 *             pairwise over each variable's own values; sd with n - 1.
 *
 * egdi_corr owns its arrays: egdi_corr_release() (harmless on a zeroed
 * struct).
 */
#ifndef EGDI_CORR_H
#define EGDI_CORR_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"

typedef enum { EGDI_CORR_PEARSON = 0, EGDI_CORR_SPEARMAN } egdi_corr_method;

typedef struct {
    size_t p;
    egdi_corr_method method;
    bool pairwise;
    size_t n;         /* listwise: the rows used; pairwise: the fewest behind one r */
    double *mean;     /* p */
    double *sd;       /* p */
    double *r;        /* p x p, symmetric, 1 on the diagonal */
    double *p_value;  /* p x p, NaN on the diagonal */
    size_t *npair;    /* p x p: the rows behind each r */
} egdi_corr;

/*
 * Fills *out (zeroed first).  EGDI_ERR_NUMERIC naming the variable
 * (names[j], or "variable J") that has no variance, or the pair with fewer
 * than three rows in common (a p-value needs n - 2 >= 1); EGDI_ERR_ARG for
 * a NaN when listwise.
 */
egdi_status egdi_corr_compute(const double *x, size_t n, size_t p, egdi_corr_method method,
                              bool pairwise, const char *const *names, egdi_corr *out,
                              egdi_error *err);
void egdi_corr_release(egdi_corr *c);

/* The two-sided p of a correlation r from n pairs (n >= 3): Student's t
 * with n - 2 df; 0 when |r| = 1. */
double egdi_corr_p(double r, size_t n);

#endif
