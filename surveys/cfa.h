/*
 * cfa.h - confirmatory factor analysis: maximum-likelihood estimation of a
 * measurement model (surveys/cfa_model.h) from the covariance matrix of its
 * items, its fit indices, standard errors, standardized solution and
 * modification indices, computed as lavaan::cfa() does with its defaults.
 *
 * The model: Sigma = Lambda Phi Lambda' + Theta, with Lambda the loadings
 * (p items x m factors, zero where an item does not measure a factor), Phi
 * the factor covariances (all free: factors correlate freely) and Theta
 * the residual variances (diagonal).  Identification: the first loading of
 * each factor fixed to 1 (lavaan's default, auto.fix.first), or, with
 * std_lv, the factor variances fixed to 1 and every loading free (lavaan's
 * std.lv = TRUE).
 *
 * Estimation (what each number matches; lavaan 0.6 defaults):
 *   - S = the covariance matrix with divisor N (likelihood = "normal"),
 *     from the listwise (complete) rows; no mean structure;
 *   - F_ML = ln|Sigma| + tr(S Sigma^-1) - ln|S| - p, minimised by Fisher
 *     scoring (Gauss-Newton on the expected information, analytic gradient;
 *     the linear systems by Cholesky, gsl_linalg) with step halving so that
 *     F_ML decreases at every step; starting values from the first
 *     principal axis of each factor's items;
 *   - converged when g' (2I)^-1 g < tol (default EGDI_CFA_TOL = 1e-20),
 *     g the gradient of F_ML and I the expected information per
 *     respondent: the squared length of the last scoring step in the
 *     metric of the information, which is scale-free; the estimates are
 *     then within about 1e-10 * sqrt(N) standard errors of the optimum
 *     (lavaan's nlminb stop, rel.tol 1e-10, leaves them about 1e-6 away);
 *   - chi-square = N F_ML (lavaan's test = "standard"), df = p(p+1)/2 -
 *     free parameters;
 *   - standard errors from the expected information, evaluated at the
 *     model-implied Sigma (lavaan: se = "standard", information =
 *     "expected", h1.information = "structured"): cov = (N I)^-1;
 *   - fit indices as lavaan::fitMeasures: baseline = the independence model
 *     (free variances), CFI and TLI (lav_fit_cfi, lav_fit_nnfi), RMSEA =
 *     sqrt(max(chi2/N/df - 1/N, 0)) with its 90 % interval and
 *     p(RMSEA <= .05) from the non-central chi-square, SRMR = lavaan's
 *     "srmr" (Bentler's: residuals over sqrt(s_ii s_jj), the mean over the
 *     lower triangle with the diagonal), GFI = 1 - tr((Sigma^-1 (S -
 *     Sigma))^2) / tr((Sigma^-1 S)^2), AGFI, log-likelihood, AIC, BIC;
 *   - modification indices as lavaan::modindices: every loading not in the
 *     model (a cross-loading) and every residual covariance of two items,
 *     the score test MI = N g^2 / V with g the gradient of lavaan's
 *     objective (F_ML / 2) and V = I_11 - I_12 I_22^-1 I_21 from the
 *     expected information; EPC = -g / V; sepc.all as lavaan's.
 *
 * Refusals (egdi_error, one line): a factor with a single item
 * (EGDI_ERR_MODEL: not identified), df < 0 (EGDI_ERR_MODEL), a sample
 * covariance matrix that is not positive definite (EGDI_ERR_NUMERIC, naming
 * the first item that is a linear combination of those before it), a
 * singular information matrix (EGDI_ERR_NUMERIC: empirically not
 * identified, naming the parameter), no convergence within max_iter
 * iterations (EGDI_ERR_CONVERGE, with the count).  A negative residual
 * variance (a Heywood case) or factor variance is not an error: the result
 * lists the items and factors concerned (heywood, neg_factor) for the
 * caller to warn about.
 *
 * GSL's default error handler aborts: the caller switches it off
 * (gsl_set_error_handler_off(), as main.c and the tests do).
 *
 * Ownership: egdi_cfa_result owns its arrays; egdi_cfa_result_release()
 * frees them (harmless on a zeroed result).  The model is borrowed: it must
 * outlive the result (result->model).
 */
#ifndef EGDI_CFA_H
#define EGDI_CFA_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/cfa_model.h"
#include "surveys/dataset.h"
#include "surveys/reliability.h"

#define EGDI_CFA_TOL 1e-20
#define EGDI_CFA_MAX_ITER 1000
/* Modification indices are computed for models of at most this many items
 * (their cost grows as p^2 q^2; beyond, egdi_cfa_result.mi_skipped). */
#define EGDI_CFA_MI_MAX_ITEMS 200

typedef struct {
    bool std_lv;       /* factor variances fixed to 1, every loading free */
    double tol;        /* 0 = EGDI_CFA_TOL */
    unsigned max_iter; /* 0 = EGDI_CFA_MAX_ITER */
} egdi_cfa_options;

/* Marker identification, EGDI_CFA_TOL, EGDI_CFA_MAX_ITER. */
void egdi_cfa_options_init(egdi_cfa_options *o);

typedef enum {
    EGDI_CFA_LOADING,      /* factor a =~ item b */
    EGDI_CFA_RESIDUAL,     /* residual variance of item a (b == a) */
    EGDI_CFA_FACTOR_COV,   /* factor a ~~ factor b (a <= b; a == b: variance) */
    EGDI_CFA_RESIDUAL_COV  /* item a ~~ item b (a < b): modification indices only */
} egdi_cfa_op;

/* One parameter in lavaan's order: the loadings factor by factor, the
 * residual variances, the factor variances and covariances (a <= b). */
typedef struct {
    egdi_cfa_op op;
    size_t a, b;
    bool free;
    double est;
    double se, z, p;  /* NaN when fixed */
    double std_all;   /* lavaan's std.all; NaN when a variance it needs is <= 0 */
} egdi_cfa_param;

/* A modification index: a parameter the model leaves out. */
typedef struct {
    egdi_cfa_op op;   /* EGDI_CFA_LOADING or EGDI_CFA_RESIDUAL_COV */
    size_t a, b;
    double mi, epc;
    double sepc_all;  /* NaN when a variance it needs is <= 0 */
} egdi_cfa_mi;

/* The fit of the model (lavaan::fitMeasures names in comments).  A value
 * that does not exist for the model is NaN: pvalue, rmsea_pvalue and agfi
 * when df == 0. */
typedef struct {
    double fmin;                  /* fmin: F_ML / 2 */
    double chisq, df, pvalue;     /* chisq, df, pvalue */
    double baseline_chisq, baseline_df, baseline_pvalue;
    double cfi, tli;              /* cfi, tli */
    double rmsea, rmsea_lo, rmsea_hi; /* rmsea, rmsea.ci.lower / upper (90 %) */
    double rmsea_pvalue;          /* rmsea.pvalue: p(RMSEA <= .05) */
    double srmr;                  /* srmr (srmr_bentler) */
    double gfi, agfi;             /* gfi, agfi */
    double logl, unrestricted_logl, aic, bic;
    size_t npar;                  /* free parameters */
} egdi_cfa_fit;

typedef struct {
    const egdi_cfa_model *model; /* borrowed */
    size_t n, p, m;              /* respondents (N), items, factors */
    bool std_lv;
    size_t nparams;
    egdi_cfa_param *param;       /* in lavaan's order (see above) */
    double *lambda;              /* p * m, row-major: loading of item i on factor f */
    double *phi;                 /* m * m factor covariances */
    double *theta;               /* p residual variances */
    double *std_lambda;          /* p * m standardized (std.all) loadings */
    double *phi_cor;             /* m * m factor correlations (NaN where a
                                    factor variance is <= 0) */
    double *implied;             /* p * p model-implied covariances */
    double *sample;              /* p * p sample covariances, divisor N */
    egdi_cfa_fit fit;
    size_t nmi;
    egdi_cfa_mi *mi;             /* every modification index, largest first */
    bool mi_skipped;             /* more than EGDI_CFA_MI_MAX_ITEMS items: none */
    unsigned iterations;
    size_t nheywood;
    size_t *heywood;             /* items with a negative residual variance */
    size_t nneg_factor;
    size_t *neg_factor;          /* factors with a variance <= 0 */
} egdi_cfa_result;

/*
 * Fits model m to the covariances c (c->p == m->nitems, in the model's item
 * order, n - 1 denominators as egdi_cov_compute gives them: rescaled here
 * to divisor N = c->n).  o may be NULL (defaults).  out is zeroed first and
 * released on failure.
 */
egdi_status egdi_cfa_estimate(const egdi_cfa_model *m, const egdi_cov *c,
                              const egdi_cfa_options *o, egdi_cfa_result *out, egdi_error *err);

/*
 * The covariances of the model's items in dataset ds: their listwise item
 * matrix (egdi_dataset_matrix: rows answering every item of the model,
 * reverse keys applied) in one pass (egdi_cov_compute).  *n_read (may be
 * NULL) receives the rows of the dataset.  Refuses fewer complete rows than
 * items + 1.  The covariances every statistic of `egdi survey cfa` and
 * `egdi survey validity` starts from.
 */
egdi_status egdi_cfa_dataset_cov(const egdi_dataset *ds, const egdi_cfa_model *m, egdi_cov *out,
                                 size_t *n_read, egdi_error *err);

void egdi_cfa_result_release(egdi_cfa_result *r);

/* ---- judging the fit ------------------------------------------------------ */

/*
 * The cut-offs papers cite beside each index (Hu & Bentler 1999; Browne &
 * Cudeck 1993; the GFI/AGFI and chi2/df rules of Chinese theses):
 *     chi2 p           > .05
 *     chi2 / df        < 3 good, < 5 acceptable
 *     CFI, TLI         >= .95 good, >= .90 acceptable
 *     RMSEA            <= .05 good, <= .08 acceptable
 *     p(RMSEA <= .05)  > .05
 *     SRMR             <= .08
 *     GFI, AGFI        >= .90 good, >= .80 acceptable
 * A criterion with one threshold is met or not met.
 */
typedef enum {
    EGDI_CFA_NO_VERDICT = 0, /* no cut-off (chi2, df, AIC ...), or no value */
    EGDI_CFA_GOOD,
    EGDI_CFA_ACCEPTABLE,
    EGDI_CFA_MET,            /* the one threshold of a criterion */
    EGDI_CFA_NOT_MET
} egdi_cfa_verdict;

typedef struct {
    char op;           /* '<', '>', 'l' (<=), 'g' (>=) */
    double good;       /* the (first) threshold */
    double acceptable; /* the second, or NaN */
} egdi_cfa_cutoff;

/* One row of the fit table, in the order papers print them. */
typedef struct {
    const char *key;      /* the JSON key of docs/cfa-json.md ("cfi") */
    const char *label_zh, *label_en; /* "比较拟合指数 CFI", "CFI" */
    double value;
    double hi;            /* the upper end of an interval (RMSEA's), else NaN */
    int decimals;         /* digits to print */
    const egdi_cfa_cutoff *cutoff; /* NULL = none */
    egdi_cfa_verdict verdict;
} egdi_cfa_fit_row;

#define EGDI_CFA_FIT_ROWS 17

/* Fills rows[0..EGDI_CFA_FIT_ROWS) for f; returns EGDI_CFA_FIT_ROWS.
 * Strings are static. */
size_t egdi_cfa_fit_rows(const egdi_cfa_fit *f, egdi_cfa_fit_row *rows);

/* "≥ .95 (≥ .90 acceptable)" / "≥ .95（≥ .90 可接受）" into buf. */
void egdi_cfa_cutoff_text(const egdi_cfa_cutoff *c, bool zh, char *buf, size_t size);

/* "good" / "良好", "acceptable" / "可接受", "met" / "达标", "not met" / "未达标";
 * "" for none. */
const char *egdi_cfa_verdict_text(egdi_cfa_verdict v, bool zh);

/* lavaan's names: "=~", "~~"; and the text of a parameter as lavaan
 * writes it ("visual =~ x1", "x7 ~~ x8") into buf (size bytes). */
const char *egdi_cfa_op_text(egdi_cfa_op op);
void egdi_cfa_param_name(const egdi_cfa_model *m, egdi_cfa_op op, size_t a, size_t b, char *buf,
                         size_t size);

/*
 * The non-central chi-square distribution with df degrees of freedom and
 * non-centrality ncp >= 0 (a Poisson mixture of central chi-squares,
 * summed outward from the largest term to 1e-17 of the sum): P(X <= x) and
 * P(X > x).  GSL has only the central one.
 */
double egdi_cfa_nchisq_P(double x, double df, double ncp);
double egdi_cfa_nchisq_Q(double x, double df, double ncp);

#endif
