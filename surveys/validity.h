/*
 * validity.h - reliability and validity of a measurement model, the tables
 * a questionnaire study reports after its CFA (surveys/cfa.h), all from
 * the covariances the CFA was fitted to (the listwise rows of the model's
 * items, egdi_cfa_dataset_cov) and its solution:
 *
 *   per factor (信度与收敛效度)
 *     alpha         Cronbach's alpha (raw) of the factor's items, with its
 *                   95 % interval by Feldt: 1 - (1 - alpha) F(1 - .05/2 or
 *                   .05/2; n - 1, (n - 1)(k - 1)) (psych::alpha's feldt,
 *                   alpha.ci);
 *     omega         McDonald's omega from the CFA: (sum lambda)^2 phi /
 *                   1'S_f 1 with the OBSERVED covariances S of the items
 *                   (divisor N) - semTools::compRelSEM's default
 *                   (obs.var = TRUE); omega_implied with the model-implied
 *                   ones (obs.var = FALSE);
 *     cr            composite reliability (Fornell & Larcker) from the
 *                   standardized loadings: (sum l)^2 / ((sum l)^2 +
 *                   sum (1 - l^2));
 *     ave           average variance extracted: the mean of l^2 over the
 *                   standardized loadings (Fornell & Larcker); sqrt_ave its
 *                   root; ave_semtools = sum lambda^2 phi / sum s_jj as
 *                   semTools::AVE divides it (observed variances: differs
 *                   from ave by the ML residuals of the diagonal; NaN for a
 *                   factor with an item that loads on another factor too);
 *   discriminant validity (区分效度)
 *     the factor correlations with sqrt(AVE) on the diagonal (Fornell and
 *     Larcker): a pair violates the criterion when |r| >= the smaller of
 *     its two sqrt(AVE)s; the HTMT ratios of the items' correlations
 *     (Henseler, Ringle & Sarstedt 2015; semTools::htmt with htmt2 =
 *     FALSE: arithmetic means of the absolute correlations) and htmt2
 *     (geometric means: semTools' default htmt2 = TRUE), judged against
 *     .85 (strict) and .90 (liberal);
 *   common-method bias (共同方法偏差)
 *     Harman's single-factor test: the share of the total variance of all
 *     the model's items taken by the first unrotated principal component
 *     (its eigenvalue of the correlation matrix / p); under 40 % (strict)
 *     or 50 % no single factor dominates.
 *
 * Ownership: egdi_validity owns its arrays; egdi_validity_release() frees
 * them (harmless on a zeroed struct).
 */
#ifndef EGDI_VALIDITY_H
#define EGDI_VALIDITY_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/cfa.h"
#include "surveys/dataset.h"
#include "surveys/reliability.h"

/* The thresholds the tables judge by (what papers cite). */
#define EGDI_VALIDITY_ALPHA_MIN 0.70 /* alpha, omega, CR >= .70 */
#define EGDI_VALIDITY_CR_MIN 0.70
#define EGDI_VALIDITY_AVE_MIN 0.50   /* AVE >= .50 */
#define EGDI_VALIDITY_HTMT_STRICT 0.85
#define EGDI_VALIDITY_HTMT_LIBERAL 0.90
#define EGDI_VALIDITY_HARMAN_STRICT 0.40
#define EGDI_VALIDITY_HARMAN_MAX 0.50

typedef struct {
    size_t m, n, p;        /* factors, respondents (the CFA's N), items */
    double *alpha;         /* m */
    double *alpha_lo, *alpha_hi; /* m: Feldt 95 % interval */
    double *omega, *omega_implied; /* m */
    double *cr, *ave, *sqrt_ave, *ave_semtools; /* m */
    double *phi_cor;       /* m x m factor correlations (the CFA's) */
    bool *fl_violation;    /* m x m: the pair fails Fornell-Larcker */
    double *htmt, *htmt2;  /* m x m, 1 on the diagonal */
    double harman_eigen;   /* first eigenvalue of the items' correlations */
    double harman_share;   /* harman_eigen / p */
} egdi_validity;

/*
 * Everything above for the fitted model r and the covariances c it was
 * fitted to (c->n - 1 denominators, as egdi_cfa_estimate took them).
 * EGDI_ERR_NUMERIC when a value cannot be computed, naming the factor (a
 * factor variance <= 0, an item with zero variance, a zero correlation in a
 * geometric mean).  out is zeroed first and released on failure.
 */
egdi_status egdi_validity_compute(const egdi_cfa_result *r, const egdi_cov *c,
                                  egdi_validity *out, egdi_error *err);

/*
 * sqrt(AVE) of every scale of ds: one CFA of all the scales together (each
 * a factor, marker identification, listwise over their items: as `egdi
 * survey validity --scales` computes it), out[k] for ds->scale[k] (out
 * holds ds->nscales).  For correlation tables with sqrt(AVE) on the
 * diagonal.  Fails as egdi_cfa_model_from_scales, egdi_cfa_dataset_cov and
 * egdi_cfa_estimate do, and for a factor whose standardized loadings
 * cannot be computed (a variance <= 0).
 */
egdi_status egdi_validity_sqrt_ave(const egdi_dataset *ds, double *out, egdi_error *err);

void egdi_validity_release(egdi_validity *v);

/* The judgements the tables print (one place for `egdi survey validity`
 * and the report): CR >= .70 and AVE >= .50; "*" for an HTMT >= .85, "**"
 * for >= .90, "" below; Harman's share against 40 % and 50 % in words
 * ("无严重共同方法偏差" / "no serious common-method bias" ...). */
bool egdi_validity_convergent_ok(const egdi_validity *v, size_t f);
const char *egdi_validity_htmt_mark(double h);
const char *egdi_validity_harman_text(const egdi_validity *v, bool zh);

#endif
