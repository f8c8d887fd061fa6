/*
 * itemanalysis.h - item analysis by critical ratio (决断值 CR).
 *
 * Input: the complete-row item matrix x (n x p, column-major, no NaN,
 * reverse keys applied), caller-owned.
 *   1. total score per respondent = sum of the items;
 *   2. cut values = the tail and 1 - tail percentiles of the totals as SPSS
 *      FREQUENCIES computes them (HAVERAGE, = R quantile(type = 6)):
 *      position q (n + 1) in the ascending totals, linear interpolation,
 *      clamped to the first / last total;
 *   3. low group = total <= lower cut, high group = total >= upper cut
 *      (respondents AT a cut belong to the group, so with tied totals the
 *      groups are often larger than tail * n);
 *   4. per item an independent-samples t-test high vs low (egdi_ttest_ind,
 *      group 1 = high, group 2 = low, so the CR of a good item is positive)
 *      with Levene's test; the CR is the Welch row when Levene's p < .05,
 *      else the pooled row (what SPSS users read off the table);
 *   5. item-total r, corrected item-total r and alpha if deleted from
 *      egdi_alpha on the same matrix;
 *   6. keep = CR >= min_cr and the CR's p < .05 and corrected r >= min_r.
 * The result owns its items array: egdi_cr_release().
 */
#ifndef EGDI_ITEMANALYSIS_H
#define EGDI_ITEMANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/reliability.h"
#include "surveys/ttest.h"

typedef struct {
    double tail;     /* share in each group, (0, 0.5]; default 0.27 */
    double min_cr;   /* default 3 */
    double min_r;    /* default 0.4 */
    double conf;     /* CI level, default 0.95 */
} egdi_cr_opts;

void egdi_cr_opts_init(egdi_cr_opts *o);

typedef struct {
    egdi_ttest_ind t;          /* high (1) vs low (2) */
    double cr, cr_df, cr_p;    /* the row Levene selects */
    bool welch;                /* that row is Welch's */
    double r_total, r_corrected, alpha_if_deleted;
    bool keep;
} egdi_cr_item;

typedef struct {
    size_t n, p;
    egdi_cr_opts opts;
    double cut_low, cut_high;
    size_t n_low, n_high;
    double alpha;              /* of all p items */
    egdi_cr_item *items;       /* p */
} egdi_cr;

/*
 * SPSS HAVERAGE percentile q in [0, 1] of sorted[0..n) (ascending, n >= 1).
 */
double egdi_cr_percentile(const double *sorted, size_t n, double q);

/* The same percentile of a[0..n) in any order (n >= 1, no NaN), by
 * selection in expected O(n); reorders a. */
double egdi_cr_percentile_select(double *a, size_t n, double q);

/*
 * Runs the item analysis.  Fails with EGDI_ERR_NUMERIC naming the item
 * (names[j] or "item N") when its t-test is impossible (both groups
 * constant, a group of one) or it has zero variance, and for fewer
 * respondents than items or fewer than two items; EGDI_ERR_ARG for a tail
 * outside (0, 0.5].
 */
egdi_status egdi_cr_compute(const double *x, size_t n, size_t p, const char *const *names,
                            const egdi_cr_opts *opts, egdi_cr *out, egdi_error *err);

/*
 * The same with the alpha of x (egdi_alpha_compute or egdi_alpha_from_cov
 * of the listwise covariances, all p items) already computed, so that a
 * caller running several statistics passes over the data once for the
 * covariances.  alpha NULL computes it; one of another shape is
 * EGDI_ERR_ARG.
 */
egdi_status egdi_cr_compute_with(const double *x, size_t n, size_t p, const char *const *names,
                                 const egdi_alpha *alpha, const egdi_cr_opts *opts,
                                 egdi_cr *out, egdi_error *err);
void egdi_cr_release(egdi_cr *r);

/*
 * egdi_cr_compute_with of an item matrix of either kind (surveys/dataset.h;
 * alpha may be NULL): a byte matrix gives the same results as its doubles
 * without them (issue 20).
 */
egdi_status egdi_cr_compute_matrix(const egdi_item_matrix *m, const egdi_alpha *alpha,
                                   const egdi_cr_opts *opts, egdi_cr *out, egdi_error *err);

#endif
