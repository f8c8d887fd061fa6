/*
 * ttest.h - t-tests and Levene's test of equal variances.
 *
 * Inputs are caller-owned arrays of finite values (the caller drops missing
 * answers and says how many it kept; the one-sample and paired tests leave
 * NaN out themselves); results are plain structs.  Nothing is kept
 * allocated.
 *
 * Conventions (as SPSS and R stats::t.test):
 *   - Levene: centred on the group MEANS (SPSS; car::leveneTest defaults to
 *     medians): the one-way ANOVA F of |x - group mean|.
 *   - Student: pooled variance, df = n1 + n2 - 2.
 *   - Welch: Welch-Satterthwaite df.
 *   - p two-sided from the t distribution; CI = diff -/+ t(1-(1-conf)/2, df) se.
 *   - Cohen's d = (mean1 - mean2) / pooled sd; one-sample and paired:
 *     (mean - mu) / sd.
 */
#ifndef EGDI_TTEST_H
#define EGDI_TTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"

typedef struct {
    double F, df1, df2, p;   /* F and p NaN when undefined (every |x - mean|
                                equal in every group) */
} egdi_levene;

typedef struct {
    double t, df, p;
    double se;               /* standard error of the difference */
    double ci_lo, ci_hi;     /* of the mean difference */
} egdi_trow;

typedef struct {
    size_t n1, n2;
    double mean1, mean2, sd1, sd2;
    double se1, se2;         /* standard errors of the means, sd / sqrt(n) */
    double diff;             /* mean1 - mean2 */
    double d;                /* Cohen's d, pooled sd */
    double conf;             /* confidence level of the CIs */
    egdi_levene levene;
    egdi_trow student, welch;
    bool welch_selected;     /* Levene p < .05 (the row SPSS users read) */
} egdi_ttest_ind;

typedef struct {
    size_t n;
    double mean, sd, mu;     /* paired: of the differences, mu = 0 */
    double diff;             /* mean - mu */
    double d;                /* (mean - mu) / sd */
    double conf;
    egdi_trow row;           /* CI of mean - mu, as SPSS prints it (R's
                                t.test gives the CI of the mean: add mu) */
    double mean_x, mean_y;   /* paired: the means of x and y over the
                                complete pairs; one sample: NaN */
} egdi_ttest_one;

/*
 * Levene's test (mean-centred) over k groups: xs[g][0..ns[g]).  Fails with
 * EGDI_ERR_NUMERIC, naming the group (names[g], or "group N" when names is
 * NULL), when a group is empty, or when there are fewer than k + 1 values.
 */
egdi_status egdi_levene_compute(const double *const *xs, const size_t *ns, size_t k,
                                const char *const *names, egdi_levene *out, egdi_error *err);

/*
 * Independent samples x1[0..n1) vs x2[0..n2), conf in (0, 1) (0.95).
 * Fails with EGDI_ERR_NUMERIC naming the group (names[0..2) or "group 1" /
 * "group 2") when a group has fewer than two values, or when both groups
 * have zero variance.
 */
egdi_status egdi_ttest_independent(const double *x1, size_t n1, const double *x2, size_t n2,
                                   double conf, const char *const *names,
                                   egdi_ttest_ind *out, egdi_error *err);

/* One sample against mu; NaN values are left out (out->n counts the
 * others).  Needs two values and a non-zero sd. */
egdi_status egdi_ttest_one_sample(const double *x, size_t n, double mu, double conf,
                                  egdi_ttest_one *out, egdi_error *err);

/*
 * Paired: x[i] - y[i] over the pairs where both are present (NaN =
 * missing), tested against 0.  out->n is the number of complete pairs.
 */
egdi_status egdi_ttest_paired(const double *x, const double *y, size_t n, double conf,
                              egdi_ttest_one *out, egdi_error *err);

/* Fills row from the difference, its standard error and df. */
void egdi_trow_fill(double diff, double se, double df, double conf, egdi_trow *row);

#endif
