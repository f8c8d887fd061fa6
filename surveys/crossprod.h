/*
 * crossprod.h - the one pass over an item matrix that every listwise
 * statistic starts from: the sums and the cross-products of the answers
 * about a shift (internal to surveys/; not part of the public API).
 *
 * The matrix is column-major n x p (x[j * n + i] = respondent i, item j),
 * caller-owned, with no NaN.  Each item j is shifted by c_j, the answer
 * nearest the mean of 128 answers sampled at even steps through the column:
 * an actual answer, so for integer answers (Likert scales) every sum and
 * product is an exact integer and the result does not depend on the order
 * of the additions (SIMD or not); and near the mean whatever the order of
 * the rows, so "sum of products - n * mean * mean" loses few digits for
 * continuous data too (the loss grows with (c_j - mean)^2 / variance, about
 * 1/128 here instead of up to n for a shift taken from the first rows).
 * A NaN is reported for the first item found with one in the earliest
 * block of rows that has any.
 *
 *   sum[j]        = sum_i (x_ij - c_j)
 *   s[j * pp + k] = sum_i (x_ij - c_j)(x_ik - c_k), upper triangle (k >= j)
 *                   of a pp x pp matrix, pp = p rounded up to a multiple
 *                   of EGDI_XP_TILE (the padding is zero)
 *
 * Rows are processed in blocks of EGDI_XP_BLOCK: a block is copied, shifted,
 * into a small buffer that stays in cache, and its products are added tile
 * by tile.  On x86-64 CPUs with AVX2 and FMA (checked at run time) the
 * tiles are vectorised along the rows; elsewhere a portable kernel runs.
 * O(n p^2 / 2) multiply-adds, one read of x, no allocation proportional
 * to n.
 */
#ifndef EGDI_CROSSPROD_H
#define EGDI_CROSSPROD_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/dataset.h"

enum { EGDI_XP_BLOCK = 512, EGDI_XP_TILE = 4 };

typedef struct {
    size_t n, p, pp;
    double *shift; /* p */
    double *sum;   /* p */
    double *s;     /* pp x pp, upper triangle */
} egdi_xprod;

/* True when the SIMD kernel can run on this CPU. */
bool egdi_xprod_simd(void);

/*
 * s (pp x pp) += a'b over a block of nb rows; a and b are column-major with
 * leading dimension EGDI_XP_BLOCK and pp columns (the padding columns zero).
 * sym (a == b): only the upper triangle, by tiles.  With simd the caller has
 * zeroed rows nb .. nb rounded up to 4 of both buffers.
 */
void egdi_xprod_block(const double *a, const double *b, size_t nb, size_t pp, double *s, bool sym,
                   bool simd);

/*
 * Fills *out (zeroed first; free with egdi_xprod_release).  simd false forces
 * the portable kernel (tests run both).  EGDI_ERR_VALUE when item *bad (0-based)
 * holds a NaN, EGDI_ERR_NOMEM; no message is set: the callers word it.
 */
egdi_status egdi_xprod_compute(const double *x, size_t n, size_t p, bool simd, egdi_xprod *out,
                               size_t *bad);
void egdi_xprod_release(egdi_xprod *xp);

/* The same of an item matrix of either kind (dataset.h): a byte matrix is
 * turned into doubles one block of rows at a time (the same numbers, the
 * same shifts and additions: the result is bit-identical to that of its
 * matrix of doubles). */
egdi_status egdi_xprod_compute_matrix(const egdi_item_matrix *m, bool simd, egdi_xprod *out,
                                      size_t *bad);

/* The means (p) and the covariance matrix (p x p, both triangles, n - 1
 * denominators) from *xp (n >= 2):
 *   mean_j = c_j + sum_j / n,  cov_jk = (s_jk - sum_j sum_k / n) / (n - 1). */
void egdi_xprod_cov(const egdi_xprod *xp, double *mean, double *cov);

#endif
