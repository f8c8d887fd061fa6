/*
 * anova.h - one-way analysis of variance with per-group descriptives and
 * Levene's test (mean-centred, as SPSS).
 *
 * Input: k groups xs[g][0..ns[g]) of finite values, caller-owned.  The
 * caller passes an array of k egdi_group_stats to fill; nothing is kept.
 *   F = MS_between / MS_within, df1 = k - 1, df2 = N - k,
 *   p = Q_F(F; df1, df2), eta^2 = SS_between / SS_total
 * (as summary(aov(y ~ g)) in R).
 */
#ifndef EGDI_ANOVA_H
#define EGDI_ANOVA_H

#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/ttest.h"

typedef struct {
    size_t n;
    double mean, sd;   /* sd NaN for a group of one */
    double se;         /* standard error of the mean, sd / sqrt(n) */
} egdi_group_stats;

typedef struct {
    size_t k, n;
    double ss_between, ss_within, ss_total;
    double ms_between, ms_within;
    double F, df1, df2, p, eta2;
    egdi_levene levene;
} egdi_anova;

/*
 * Fails with EGDI_ERR_NUMERIC naming the group (names[g] or "group N") when a
 * group is empty, when there are fewer than two groups or no more values
 * than groups, or when every group is constant (SS_within = 0).
 */
egdi_status egdi_anova_oneway(const double *const *xs, const size_t *ns, size_t k,
                              const char *const *names, egdi_anova *out,
                              egdi_group_stats *groups, egdi_error *err);

/*
 * Welch's ANOVA (oneway.test(var.equal = FALSE); SPSS's "Robust Tests of
 * Equality of Means"), from the groups' n, means and sds:
 *   w_g = n_g / s_g^2, m = sum w_g mean_g / sum w,
 *   A = sum w_g (mean_g - m)^2 / (k - 1),
 *   L = sum (1 - w_g / sum w)^2 / (n_g - 1) / (k^2 - 1),
 *   F = A / (1 + 2 (k - 2) L), df1 = k - 1, df2 = 1 / (3 L).
 */
typedef struct {
    double F, df1, df2, p;
} egdi_welch;

/*
 * Fails with EGDI_ERR_NUMERIC naming the group (names[g] or "group N") that
 * has fewer than two values or no variance (its weight is undefined), and
 * for fewer than two groups.
 */
egdi_status egdi_anova_welch(const egdi_group_stats *groups, size_t k, const char *const *names,
                             egdi_welch *out, egdi_error *err);

#endif
