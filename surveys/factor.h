/*
 * factor.h - correlation matrices, KMO / Bartlett, and exploratory factor
 * analysis (extraction, number of factors, rotation, factor scores) on GSL.
 *
 * Data layout
 *   - Item data is column-major n x p: x[j * n + i] is respondent i's answer
 *     to item j (the layout of egdi_item_matrix in surveys/dataset.h).
 *   - Every p x p or p x k matrix in this header is ROW-major:
 *     r[i * p + j], loadings[i * k + j] = loading of item i on factor j.
 *
 * Ownership
 *   - egdi_fa_kmo and egdi_fa_result are filled by the library, which
 *     allocates their arrays; the caller frees them with egdi_fa_kmo_release /
 *     egdi_fa_result_release (both harmless on a zeroed or already freed struct).
 *   - egdi_fa_work is an opaque workspace for p items: egdi_fa_work_alloc /
 *     egdi_fa_work_free.  The iterative methods allocate nothing inside
 *     their loops; everything is taken from the workspace.
 *   - names (item codes, for error messages) are borrowed and may be NULL:
 *     messages then say "item 3".
 *
 * The library never prints.  GSL's default error handler aborts: the caller
 * must switch it off (gsl_set_error_handler_off(), as main.c and the tests
 * do); failures come back as EGDI_ERR_NUMERIC / EGDI_ERR_CONVERGE with a
 * message naming the item where one is to blame.  No NaN ever reaches a
 * result: a result that would contain one is an error instead.
 *
 * Conventions (what each option reproduces) are listed beside the options
 * below and in docs/factor-json.md.
 */
#ifndef EGDI_FACTOR_H
#define EGDI_FACTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/reliability.h"

/* ---- correlation ---------------------------------------------------- */

/*
 * Pearson correlation matrix of the p columns of the complete n x p
 * column-major matrix x (no NaN: the listwise-deleted matrix).  One pass
 * over the data in row blocks (surveys/crossprod.h), shifted by an answer
 * near each item's mean (sampled across all rows) for accuracy.
 * r receives p*p values.  mean and sd (p values each, sd with n - 1) may be
 * NULL.  Fails with EGDI_ERR_NUMERIC naming the item when an item has zero
 * variance, EGDI_ERR_ARG when n < 2, EGDI_ERR_VALUE on a NaN.
 */
egdi_status egdi_fa_corr(const double *x, size_t n, size_t p, const char *const *names,
                         double *r, double *mean, double *sd, egdi_error *err);

/*
 * The same correlation matrix (and sd, may be NULL) from a covariance
 * matrix already computed (egdi_cov_compute, listwise), so that alpha and
 * the factor analysis share one pass over the data.  Fails with
 * EGDI_ERR_NUMERIC naming the item when an item has zero variance.
 */
egdi_status egdi_fa_corr_from_cov(const egdi_cov *c, const char *const *names, double *r,
                                  double *sd, egdi_error *err);

/*
 * Pairwise-complete correlations (R: cor(x, use = "pairwise")): NaN is a
 * missing answer; each pair uses the respondents who answered both items.
 * npair (p*p counts) may be NULL.  Fails naming the item(s) when a pair has
 * fewer than 2 common answers or an item has zero variance within a pair.
 */
egdi_status egdi_fa_corr_pairwise(const double *x, size_t n, size_t p,
                                  const char *const *names, double *r, size_t *npair,
                                  egdi_error *err);

/*
 * The correlation matrix r (p x p) of an item matrix (surveys/dataset.h),
 * with each item's mean and sd (p values each; may be NULL): listwise (no
 * NaN) as egdi_fa_corr, or pairwise as egdi_fa_corr_pairwise with the means
 * and sds over each item's own answers (egdi_desc_moments).
 */
egdi_status egdi_fa_corr_items(const egdi_item_matrix *m, bool pairwise, double *r, double *mean,
                               double *sd, egdi_error *err);

/* ---- KMO and Bartlett ----------------------------------------------- */

typedef struct {
    size_t p;
    double kmo;      /* overall measure of sampling adequacy */
    double *msa;     /* p: per-item MSA */
    double det;      /* |R| (may underflow to 0; log_det does not) */
    double log_det;  /* ln |R| */
    double n;        /* the n Bartlett's test used */
    double chi2;     /* -(n - 1 - (2p + 5)/6) ln|R| */
    double df;       /* p (p - 1) / 2 */
    double p_value;  /* upper tail of chi2(df); 0 when it underflows */
    double log_p;    /* ln of the upper tail, finite even when p_value is 0 */
} egdi_fa_kmo;

/*
 * KMO and per-item MSA as psych::KMO (anti-image correlations from the
 * inverse of r), Bartlett's test of sphericity as psych::cortest.bartlett
 * with n respondents, and the determinant.  r is a p x p correlation matrix.
 * A singular or non-positive-definite r fails with EGDI_ERR_NUMERIC naming
 * the first item that is a linear combination of the items before it.
 */
egdi_status egdi_fa_kmo_compute(const double *r, size_t p, size_t n,
                                const char *const *names, egdi_fa_kmo *out,
                                egdi_error *err);
void egdi_fa_kmo_release(egdi_fa_kmo *k);

/* ln of the chi-square upper tail Q(x; df), accurate where the tail itself
 * underflows (continued fraction for the incomplete gamma in log form). */
double egdi_fa_chisq_log_q(double x, double df);

/* ---- exploratory factor analysis ------------------------------------ */

typedef enum {
    EGDI_FA_PCA = 0, /* principal components (psych::principal) */
    EGDI_FA_PAF,     /* iterated principal axis from SMCs (psych::fa fm = "pa") */
    EGDI_FA_ML       /* maximum likelihood (stats::factanal) */
} egdi_fa_method;

typedef enum {
    EGDI_FA_NFACT_FIXED = 0, /* opts.nfactors */
    EGDI_FA_NFACT_KAISER,    /* eigenvalues of R greater than 1 */
    EGDI_FA_NFACT_PARALLEL   /* Horn's parallel analysis, see below */
} egdi_fa_nfact_rule;

typedef enum {
    EGDI_FA_ROT_NONE = 0,
    EGDI_FA_ROT_VARIMAX, /* Kaiser-normalised (stats::varimax) */
    EGDI_FA_ROT_PROMAX,  /* psych: kaiser(L, "Promax"), power 4 */
    EGDI_FA_ROT_OBLIMIN  /* GPArotation::oblimin gam = 0, not normalised (as psych calls it) */
} egdi_fa_rotation;

typedef struct {
    egdi_fa_method method;         /* default PAF */
    egdi_fa_nfact_rule rule;       /* default KAISER */
    size_t nfactors;               /* for FIXED */
    egdi_fa_rotation rotation;     /* default VARIMAX */
    /*
     * psych = false (default): iterate to full convergence -
     *   PAF: until the largest change of any communality < tol (1e-10);
     *   ML: BFGS until the largest |dF/dpsi| < tol (1e-9);
     *   varimax (also inside promax): until the largest change of the
     *   rotation matrix < rot_tol (1e-12);
     *   oblimin: until the projected gradient norm < rot_tol (1e-8), or
     *   when the line search can no longer lower the criterion in double
     *   precision and the gradient is below 1e-6.
     * psych = true: R's defaults - PAF stops when the change of the SUM of
     *   communalities < 0.001 or after 50 iterations (psych::fa fm = "pa");
     *   varimax stops when its criterion improves by less than a relative
     *   1e-5 (stats::varimax eps, at most 1000 iterations); oblimin GPFoblq
     *   eps 1e-5, maxit 1000.  ML is run to full convergence in both modes
     *   (factanal's own stop is ~1e-5 from the optimum, well inside 1e-3).
     */
    bool psych;
    double tol;         /* 0 = the default for the mode (PAF, ML) */
    double rot_tol;     /* 0 = the default for the mode and rotation */
    unsigned max_iter;  /* 0 = default: PAF 10000 (psych mode 50); ML 10000 */
    unsigned rot_max_iter; /* 0 = default: 10000 (psych mode 1000) */
    /* Parallel analysis: eigenvalues of R against the 95th percentile
     * (parallel_quantile) of the eigenvalues of correlation matrices of
     * n x p independent normal data, parallel_reps (default 100)
     * replications drawn with gsl_rng_mt19937 seeded with seed (default 1). */
    unsigned long seed;
    unsigned parallel_reps;
    double parallel_quantile;
    bool allow_nonconverged; /* return the last iterate (converged = false)
                                instead of EGDI_ERR_CONVERGE */
} egdi_fa_options;

/* Defaults: PAF, Kaiser, varimax, full convergence, seed 1, 100 reps, 0.95. */
void egdi_fa_options_init(egdi_fa_options *o);

typedef struct {
    size_t p, k;           /* items, factors retained */
    size_t n;              /* respondents (for the ML test of fit) */
    egdi_fa_method method;
    egdi_fa_rotation rotation;
    bool oblique;          /* promax / oblimin */

    double *eigenvalues;   /* p: eigenvalues of R, descending */
    double *prop_initial;  /* p: eigenvalue / p (share of the total variance) */
    double *cum_initial;   /* p: running sum of prop_initial */
    double *parallel;      /* p: random-data thresholds (parallel analysis), else NULL */
    double *comm_initial;  /* p: 1 (PCA) or squared multiple correlations (PAF, ML) */
    double *communality;   /* p: extracted communalities (row SS of unrotated) */
    double *uniqueness;    /* p: 1 - communality (ML: the fitted uniquenesses) */

    double *unrotated;     /* p*k: extraction loadings, each column summing >= 0 */
    double *ss_unrotated;  /* k: column sums of squares of unrotated */
    double *prop_unrotated;/* k: ss / p */
    double *cum_unrotated; /* k */

    /* After rotation (same as the unrotated ones when rotation is NONE).
     * Factors sorted by ss_loadings, descending; signs flipped so that each
     * column of loadings sums to >= 0 (psych's rule). */
    double *loadings;      /* p*k: rotated loadings (the pattern when oblique) */
    double *structure;     /* p*k: loadings x phi (== loadings when orthogonal) */
    double *phi;           /* k*k: factor correlations (identity when orthogonal) */
    double *rotmat;        /* k*k: unrotated x rotmat = loadings (normalisation aside) */
    double *ss_loadings;   /* k: orthogonal: column SS; oblique: diag(phi L'L) as psych */
    double *proportion_var;/* k: ss_loadings / p */
    double *cumulative_var;/* k */
    double *weights;       /* p*k: regression (Thurstone) score weights R^-1 S */

    unsigned iterations;     /* extraction iterations (0 for PCA) */
    bool converged;
    unsigned rot_iterations; /* rotation iterations (0 for none) */
    bool rot_converged;

    /* ML only (else 0): factanal's objective, its chi-square test of fit. */
    double objective, chi2, df, p_value, log_p;
    long heywood;            /* ML: first item whose uniqueness sits on the
                                0.005 bound (a Heywood case), else -1 */
} egdi_fa_result;

typedef struct egdi_fa_work egdi_fa_work;

/* A workspace for exactly p items (and up to p factors).  NULL on OOM. */
egdi_fa_work *egdi_fa_work_alloc(size_t p);
void egdi_fa_work_free(egdi_fa_work *w);

/*
 * The number of factors opts asks for (fixed / Kaiser / parallel) for the
 * p x p correlation matrix r of n respondents.  eigen (p values, may be
 * NULL) receives the eigenvalues of r, parallel (p, may be NULL) the
 * random-data thresholds when the rule is PARALLEL.
 */
egdi_status egdi_fa_nfactors(const double *r, size_t p, size_t n, const egdi_fa_options *opts,
                             egdi_fa_work *w, size_t *k, double *eigen, double *parallel,
                             egdi_error *err);

/*
 * Exploratory factor analysis of the p x p correlation matrix r of n
 * respondents: chooses k, extracts, rotates, sorts and signs the factors,
 * computes the score weights.  w must be allocated for exactly p items.
 * names (may be NULL) name the items in messages.  On failure res is freed.
 * Errors: EGDI_ERR_ARG (k < 1, k >= p, ML with too many factors for a
 * positive df), EGDI_ERR_NUMERIC (r not positive definite, a Heywood case
 * in PAF: a communality >= 1, naming the item), EGDI_ERR_CONVERGE (no
 * convergence within max_iter unless allow_nonconverged).
 */
egdi_status egdi_fa_run(const double *r, size_t p, size_t n, const char *const *names,
                        const egdi_fa_options *opts, egdi_fa_work *w, egdi_fa_result *res,
                        egdi_error *err);
void egdi_fa_result_release(egdi_fa_result *res);

/*
 * Regression-method factor scores: scores[i * k + f] for respondent i of the
 * column-major n x p data x, standardised with mean and sd (sd with n - 1,
 * as egdi_fa_corr returns them),
 * times res->weights (psych::factor.scores method "Thurstone").  A NaN
 * answer gives NaN scores for that respondent (the caller decides how to
 * write them).
 */
egdi_status egdi_fa_scores(const egdi_fa_result *res, const double *x, size_t n,
                           const double *mean, const double *sd, double *scores,
                           egdi_error *err);

/* English names: "pca", "paf", "ml"; "none", "varimax", "promax", "oblimin". */
const char *egdi_fa_method_name(egdi_fa_method m);
const char *egdi_fa_rotation_name(egdi_fa_rotation r);

#endif
