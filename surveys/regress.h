/*
 * regress.h - ordinary least squares regression (回归分析), hierarchical by
 * blocks, with what SPSS's REGRESSION prints and R's lm() + summary() +
 * confint() + car::vif() + anova(m1, m2) give:
 *
 *   per coefficient  B, its SE, t, p (two-sided, df = n - q - 1), the CI
 *                    (confint: B -/+ t_df SE), standardized beta
 *                    (B sd_x / sd_y), tolerance = 1 - R^2 of the predictor
 *                    on the others of its model, VIF = 1 / tolerance;
 *   per model        R, R^2, adjusted R^2, the SE of the estimate
 *                    sqrt(SS_res / df_res), the ANOVA table (SS, df, MS, F,
 *                    p), the Durbin-Watson statistic of the residuals in row
 *                    order (sum (e_i - e_i-1)^2 / sum e_i^2), and the change
 *                    from the previous model: R^2 change, F change =
 *                    ((SS_res,prev - SS_res) / df1) / (SS_res / df_res), its
 *                    df1, df2 and p (anova(m_prev, m); the first model is
 *                    compared with the constant alone).
 *
 * Model m holds the predictors of blocks 1..m (SPSS METHOD=ENTER per
 * block); every model uses the same rows (listwise over all blocks).
 *
 * The fit: one pass of surveys/crossprod.c over [X y] gives the means and
 * covariances; each model solves its correlation matrix by Cholesky (a
 * pivot below 1e-12, 1 - R^2 of a predictor on the ones before it, is a
 * collinear design, refused naming the predictors involved); the residuals
 * come from a pass over the rows (for SS_res and Durbin-Watson), not from
 * the difference of sums of squares.
 *
 * egdi_regression owns everything in it (copies of the names too):
 * egdi_regression_release().
 */
#ifndef EGDI_REGRESS_H
#define EGDI_REGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/dataset.h"

typedef struct {
    const char *name;      /* the predictor ("(常量)" not here: coef[0] is
                              the constant, name NULL) */
    const char *ref;       /* a dummy variable's reference category, or NULL */
    double b, se, t, p, ci_lo, ci_hi;
    double beta;           /* standardized; NaN for the constant */
    double tolerance, vif; /* NaN for the constant */
} egdi_reg_coef;

typedef struct {
    size_t q;              /* predictors */
    double r, r2, adj_r2, se_est;
    double ss_reg, ss_res, ss_tot;
    double df_reg, df_res, ms_reg, ms_res, F, p_F;
    double r2_change, F_change, df1_change, df2_change, p_change;
    double dw;             /* Durbin-Watson */
    egdi_reg_coef *coef;   /* q + 1, the constant first */
} egdi_reg_model;

typedef struct {
    size_t n;              /* rows used (listwise) */
    size_t n_read;         /* rows read (egdi_regress_dataset), else n */
    double conf;           /* of the CIs */
    const char *y;         /* the dependent variable's name */
    size_t nmodels;
    egdi_reg_model *model;
    size_t npred;
    char **names;          /* npred: the names coef[].name point to */
    char **refs;           /* npred: reference categories (or NULL) */
    char *y_name;
} egdi_regression;

/*
 * Fits the models of x (n x p, column-major, no NaN, caller-owned) on y:
 * model m uses columns 0 .. block_end[m] - 1 (block_end increasing, the last
 * p).  names[j] (may be NULL: "x1" ...) and refs[j] (may be NULL) are
 * copied.  conf in (0, 1).  EGDI_ERR_NUMERIC for a predictor or y without
 * variance, a collinear design ("X3 is a linear combination of X1, X2"),
 * too few rows (n <= q + 1), a perfect fit (no residual variance); each
 * names what it is about.  out is zeroed first.
 */
egdi_status egdi_regress_fit(const double *x, const double *y, size_t n, size_t p,
                             const char *const *names, const char *const *refs,
                             const size_t *block_end, size_t nblocks, const char *y_name,
                             double conf, egdi_regression *out, egdi_error *err);

/* A term of a model on a dataset: a column, a scale, or a categorical
 * column coded as dummy variables. */
typedef struct {
    const char *name;      /* a column or a scale (egdi_dataset_variable) */
    bool categorical;      /* force dummies for a coded column */
    const char *ref;       /* the reference category (a label or a code);
                              NULL = the first category (R's default) */
} egdi_reg_term;

/*
 * The regression of y on the terms of the dataset, blocks[b][0..nterms[b])
 * entered in order: each term's values (a scale scored as ds->score), a
 * categorical term (a column of text, egdi_dataset_is_text, or one marked
 * categorical) as one 0/1 variable per category but the reference, named
 * "column=category"; listwise over y and every term.  EGDI_ERR_ARG for an
 * unknown reference category or a term named twice; the fit's errors.
 */
egdi_status egdi_regress_dataset(const egdi_dataset *ds, const char *y,
                                 const egdi_reg_term *const *blocks, const size_t *nterms,
                                 size_t nblocks, double conf, egdi_regression *out,
                                 egdi_error *err);

void egdi_regression_release(egdi_regression *r);

#endif
