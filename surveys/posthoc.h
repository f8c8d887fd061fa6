/*
 * posthoc.h - post-hoc multiple comparisons after a one-way ANOVA (事后多重
 * 比较): every pair of groups i < j, the mean difference mean_i - mean_j
 * (SPSS's (I) - (J)), its standard error, the test statistic, p and the
 * simultaneous CI.  With MS_W the within-group mean square on df_W and
 * se = sqrt(MS_W (1/n_i + 1/n_j)):
 *
 *   lsd           t = diff / se on df_W, p two-sided; CI diff -/+ t(conf) se
 *                 (pairwise.t.test(pool.sd = TRUE, p.adjust = "none"))
 *   bonferroni    p = min(1, m p_lsd), m = k(k-1)/2; CI with t at
 *                 (1 - conf) / (2m) (pairwise.t.test(p.adjust = "bonferroni"))
 *   tukey         q = |diff| / sqrt(MS_W / 2 (1/n_i + 1/n_j)), p = P(Q > q)
 *                 of the studentized range of k means on df_W; CI diff -/+
 *                 q(conf) / sqrt 2 se (Tukey-Kramer, TukeyHSD)
 *   scheffe       F = diff^2 / ((k - 1) se^2) on (k - 1, df_W); CI diff -/+
 *                 sqrt((k - 1) F(conf)) se
 *   games-howell  se_ij = sqrt(s_i^2/n_i + s_j^2/n_j) with the Welch df of the
 *                 pair; q = |diff| / (se_ij / sqrt 2), p = P(Q > q) of k means
 *                 on that df; CI diff -/+ q(conf) / sqrt 2 se_ij
 *
 * Which family fits: Levene's p >= .05 (equal variances) -> LSD, Tukey,
 * Scheffé; p < .05 -> Games-Howell (egdi_posthoc_fits).  The studentized
 * range comes from surveys/tukey.h (exact to about 1e-12; R's ptukey, and
 * so TukeyHSD's p, is good to about 1e-7 only, and qtukey to 1e-4).
 *
 * egdi_posthoc owns its pairs: egdi_posthoc_release().
 */
#ifndef EGDI_POSTHOC_H
#define EGDI_POSTHOC_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/anova.h"
#include "surveys/tukey.h"

typedef enum {
    EGDI_POSTHOC_LSD = 0,
    EGDI_POSTHOC_BONFERRONI,
    EGDI_POSTHOC_TUKEY,
    EGDI_POSTHOC_SCHEFFE,
    EGDI_POSTHOC_GAMES_HOWELL,
    EGDI_POSTHOC_COUNT
} egdi_posthoc_method;

/* "lsd", "bonferroni", "tukey", "scheffe", "games-howell". */
const char *egdi_posthoc_name(egdi_posthoc_method m);
/* The method called name (as above); false when none. */
bool egdi_posthoc_from_name(const char *name, size_t len, egdi_posthoc_method *m);
/* True when method m assumes equal variances (all but Games-Howell). */
bool egdi_posthoc_equal_var(egdi_posthoc_method m);

typedef struct {
    size_t i, j;               /* groups, i < j */
    double diff;               /* mean_i - mean_j */
    double se;
    double stat;               /* t (lsd, bonferroni), q (tukey, games-howell), F (scheffe) */
    double df;                 /* df_W, or the pair's Welch df (games-howell) */
    double p;
    double ci_lo, ci_hi;
} egdi_posthoc_pair;

typedef struct {
    egdi_posthoc_method method;
    size_t k, npairs;
    double conf;
    egdi_posthoc_pair *pair;   /* npairs = k (k - 1) / 2, (0,1), (0,2), ... */
} egdi_posthoc;

/*
 * The comparisons of method m among k groups (n, mean, sd of each, as
 * egdi_anova_oneway fills them) with the ANOVA's MS_W and df_W; w is a
 * studentized-range work area (needed for tukey and games-howell; may be
 * NULL for the others).  EGDI_ERR_NUMERIC naming the pair whose difference
 * has no standard error; EGDI_ERR_ARG for fewer than two groups, conf
 * outside (0, 1); the studentized range's errors.  out is zeroed first.
 */
egdi_status egdi_posthoc_compute(const egdi_group_stats *groups, size_t k,
                                 const char *const *names, double ms_within, double df_within,
                                 egdi_posthoc_method m, double conf, egdi_tukey_work *w,
                                 egdi_posthoc *out, egdi_error *err);
void egdi_posthoc_release(egdi_posthoc *p);

/* The family Levene's p points to: games-howell when p < .05, else tukey;
 * NaN (Levene undefined) gives tukey. */
egdi_posthoc_method egdi_posthoc_fits(double levene_p);

#endif
