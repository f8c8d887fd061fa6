/*
 * weights.h - weights that evaluators derive: AHP (pairwise comparisons),
 * entropy weights (from the data), equal weights.
 *
 * AHP: the weights are the principal right eigenvector of the reciprocal
 * comparison matrix A (a_ij = importance of i over j, a_ji = 1/a_ij,
 * a_ii = 1), normalised to sum 1; computed with GSL gsl_eigen_nonsymmv
 * (the eigenvalue with the largest real part is lambda_max).
 *   CI = (lambda_max - n) / (n - 1),  CR = CI / RI(n)
 * with Saaty's random index (T. L. Saaty, The Analytic Hierarchy Process,
 * McGraw-Hill 1980; the table also in Saaty 2008, Int. J. Services
 * Sciences 1(1):83-98): n = 1..10 -> 0, 0, 0.58, 0.90, 1.12, 1.24, 1.32,
 * 1.41, 1.45, 1.49.  For n <= 2 the matrix is always consistent (CR = 0).
 * A CR above 0.10 is refused (EGDI_ERR_NUMERIC, with the figure).
 *
 * Entropy weights of m indicators over n units (x_ij >= 0, column j an
 * indicator, already oriented so that larger is better or simply as the
 * data are; a column summing to 0 is refused):
 *   p_ij = x_ij / sum_i x_ij,  e_j = -(1 / ln n) sum_i p_ij ln p_ij
 *   (0 ln 0 = 0),  d_j = 1 - e_j,  w_j = d_j / sum_j d_j
 * All columns constant (every d_j = 0) is refused.
 */
#ifndef EGDI_WEIGHTS_H
#define EGDI_WEIGHTS_H

#include <stddef.h>

#include "engine/core/error.h"
#include "engine/readers/reader.h"
#include "engine/store/store.h"
#include "indicators/model.h"

#define EGDI_AHP_MAX_N 10
#define EGDI_AHP_CR_LIMIT 0.10

typedef struct {
    size_t n;
    double w[EGDI_AHP_MAX_N];
    double lambda_max;
    double ci;
    double ri;
    double cr;
} egdi_ahp_result;

/* Saaty's random index for n (1..10); NaN outside. */
double egdi_weights_ahp_random_index(size_t n);

/*
 * Checks that a (n x n, row-major) is positive and reciprocal (|a_ij a_ji
 * - 1| <= 1e-3, which accepts 1/3 written as 0.333) with 1 on the
 * diagonal, then computes the weights and consistency.  A CR above 0.10 is
 * refused but r is still filled.
 */
egdi_status egdi_weights_ahp(const double *a, size_t n, egdi_ahp_result *r, egdi_error *err);

/*
 * Reads a comparison matrix: a header row of codes (its first cell empty
 * or a label), then one row per code: the code, then n values ("3", "1/3",
 * "0.333").  Row codes must match the header's in the same order.
 * *codes (n strings) and *a (n x n) are the caller's to free
 * (egdi_weights_ahp_matrix_free).
 */
egdi_status egdi_weights_ahp_read(egdi_reader *r, size_t *n, char ***codes, double **a, egdi_error *err);
void egdi_weights_ahp_matrix_free(char **codes, size_t n, double *a);

/* Entropy weights of the m columns of x (n rows, column-major x[j*n + i]). */
egdi_status egdi_weights_entropy(const double *x, size_t n, size_t m, double *w,
                                 egdi_error *err);

/* w[0..k) = 1/k. */
void egdi_weights_equal(size_t k, double *w);

/*
 * Entropy weights of observed values, as `egdi model weights entropy`
 * derives them: x holds n units by k indicators (row-major, x[i * k + j]);
 * each column is min-max normalised with its direction (dir[j] < 0, lower
 * is better: (hi - v) / (hi - lo); else (v - lo) / (hi - lo); a constant
 * column becomes all 1, so its weight is 0), then egdi_weights_entropy.
 */
egdi_status egdi_weights_entropy_minmax(const double *x, size_t n, size_t k, const int *dir,
                                        double *w, egdi_error *err);

/*
 * Entropy weights of the children of one model node from a round's
 * observations.  egdi_weights_entropy_children_init() takes the children of
 * `parent` (refusing an unknown node, one without children, or an inner
 * child: only leaves are observed); egdi_weights_entropy_from_store() reads the
 * round as scoring reads it (egdi_score_load_round) and takes the values
 * of every unit that has all of them (at least 2) to fill w.  model, codes
 * (into the model) and parent (the caller's text) must outlive the struct;
 * egdi_weights_entropy_children_release() frees the rest.
 */
typedef struct {
    const egdi_model *model; /* borrowed */
    const char *parent;  /* as the caller named it */
    size_t k;            /* children */
    const char **codes;  /* k child codes */
    size_t *node;        /* k: the children's node indices in the model */
    int *direction;      /* k: +1 higher is better, -1 lower is better */
    double *w;           /* k weights, after egdi_weights_entropy_from_store */
    size_t n;            /* units used, after egdi_weights_entropy_from_store */
} egdi_weights_entropy_children;

egdi_status egdi_weights_entropy_children_init(egdi_weights_entropy_children *c, const egdi_model *m,
                                       const char *parent, egdi_error *err);
egdi_status egdi_weights_entropy_from_store(egdi_weights_entropy_children *c, egdi_store *s, int round,
                                    egdi_error *err);
void egdi_weights_entropy_children_release(egdi_weights_entropy_children *c);

#endif
