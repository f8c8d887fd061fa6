/*
 * reliability.h - covariance matrices of item answers and Cronbach's alpha
 * with item-total statistics.
 *
 * The item matrix is column-major, caller-owned: x[j * n + i] is the answer
 * of respondent i to item j, reverse keys already applied.  With listwise
 * deletion the caller passes complete rows only (no NaN); with pairwise
 * deletion NaN marks a missing answer and each covariance uses the
 * respondents who answered both items, with the means of those respondents
 * (R's cov(x, use = "pairwise"), which psych::alpha uses by default).
 *
 * egdi_cov and egdi_alpha own their arrays; free them with egdi_cov_release()
 * and egdi_alpha_release() (harmless on zeroed structs and NULL).
 *
 * Alpha (C = covariance matrix, R = correlation matrix, p items):
 *   raw          alpha = p/(p-1) (1 - tr C / sum C)
 *   standardized        p/(p-1) (1 - p / sum R)
 *   scale = sum of the items: mean if item deleted = sum of the other means,
 *   variance if item deleted = sum of C without row and column i,
 *   corrected item-total r = (sum_k C_ik - C_ii) / sqrt(C_ii * var if deleted)
 *   (psych's r.drop), item-total r = sum_k C_ik / sqrt(C_ii * sum C)
 *   (psych's raw.r with complete data).
 */
#ifndef EGDI_RELIABILITY_H
#define EGDI_RELIABILITY_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/dataset.h"

typedef struct {
    size_t n, p;     /* respondents in the matrix, items */
    size_t n_min;    /* fewest respondents behind one covariance (= n listwise) */
    double *mean;    /* p item means (over the answers present) */
    double *cov;     /* p * p, symmetric, n - 1 denominators */
} egdi_cov;

/*
 * Computes means and covariances of x (n x p, column-major).  Listwise
 * (pairwise false): x must hold no NaN (EGDI_ERR_ARG otherwise); single
 * pass over blocks of rows (crossprod.h), O(n p^2 / 2) multiply-adds.  Pairwise: one pass
 * per pair.  Fails with EGDI_ERR_NUMERIC when a pair of items has fewer than
 * two respondents in common, naming them (names[j] or "item N").
 */
egdi_status egdi_cov_compute(const double *x, size_t n, size_t p, bool pairwise,
                             const char *const *names, egdi_cov *out, egdi_error *err);
void egdi_cov_release(egdi_cov *c);

/* egdi_cov_compute of an item matrix of either kind (dataset.h; a byte
 * matrix listwise only, EGDI_ERR_ARG otherwise), named by m->names. */
egdi_status egdi_cov_matrix(const egdi_item_matrix *m, bool pairwise, egdi_cov *out,
                            egdi_error *err);

typedef struct {
    double mean, sd;
    double scale_mean_if_deleted, scale_var_if_deleted;
    double r_total;            /* item with the total */
    double r_corrected;        /* item with the total of the other items */
    double alpha_if_deleted;   /* NaN when p == 2 (one item left) */
    double std_alpha_if_deleted;
} egdi_alpha_item;

typedef struct {
    size_t n, p, n_min;
    double alpha, std_alpha;
    double average_r;          /* mean inter-item correlation */
    double scale_mean, scale_var;
    egdi_alpha_item *items;    /* p */
} egdi_alpha;

/*
 * Alpha and item-total statistics from a covariance matrix.  Fails with
 * EGDI_ERR_NUMERIC, naming the item (names[j], or "item N"), for an item
 * with zero variance; also for fewer than two items or fewer respondents
 * (c->n) than items.
 */
egdi_status egdi_alpha_from_cov(const egdi_cov *c, const char *const *names,
                                egdi_alpha *out, egdi_error *err);

/* egdi_cov_compute + egdi_alpha_from_cov. */
egdi_status egdi_alpha_compute(const double *x, size_t n, size_t p, bool pairwise,
                               const char *const *names, egdi_alpha *out, egdi_error *err);
void egdi_alpha_release(egdi_alpha *a);

/*
 * Alpha of columns cols[0..p) of a survey dataset: their item matrix
 * (egdi_dataset_matrix; listwise = the rows answering every one of these
 * items, as SPSS RELIABILITY run on this scale alone), then
 * egdi_alpha_compute.  out->n is the number of rows used.
 */
egdi_status egdi_alpha_dataset(const egdi_dataset *ds, const size_t *cols, size_t p,
                               egdi_deletion deletion, egdi_alpha *out, egdi_error *err);

/*
 * Alpha of every scale (dimension) of ds, ds->scale[0..nscales), each on its
 * own items with egdi_alpha_dataset (listwise: the rows answering every item
 * of that scale).  The one place where `egdi survey alpha` and the report
 * (surveys/summary.c) get their per-scale alphas.  out has ds->nscales
 * entries (zeroed here; release each); a scale of fewer than two items has
 * no alpha (out[k].p == 0).  A failure names its scale ("scale 互动: ..."),
 * except a cell's own error (EGDI_ERR_VALUE), which names its cell; the
 * entries already computed are released.
 */
egdi_status egdi_alpha_scales(const egdi_dataset *ds, egdi_deletion deletion, egdi_alpha *out,
                              egdi_error *err);

#endif
