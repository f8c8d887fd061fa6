/*
 * fa_corr.c - correlation matrices (listwise and pairwise), KMO / MSA and
 * Bartlett's test of sphericity.  See factor.h for the contracts.
 *
 * Listwise correlation: the covariances of the one pass in crossprod.c
 * (blocks of rows shifted by an answer near each item's mean, cross-products
 * tile by tile, AVX2 + FMA where the CPU has them), divided by the standard
 * deviations (egdi_fa_corr_from_cov, which callers that already have the
 * covariances use directly).
 *
 * Pairwise correlation: the same blocked kernel (egdi_xprod_block) on four products (answers
 * shifted by the column's first answer and zeroed where missing, their
 * squares, and the answered-masks), which give every pair its own count,
 * sums and sums of squares in one pass (pairwise_impl).
 *
 * Determinant and singularity: an unblocked Cholesky whose pivots are
 * 1 - R^2 of each item on the items before it, so a singular matrix is
 * reported by the item that is a linear combination of earlier ones.
 *
 * KMO: the inverse of R from its Cholesky factor (GSL), the anti-image
 * correlations q_ij = -inv_ij / sqrt(inv_ii inv_jj), and
 * MSA = sum r^2 / (sum r^2 + sum q^2) over the off-diagonal (psych::KMO).
 */
#include "surveys/factor.h"
#include "surveys/descriptive.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sf_gamma.h>

#include "surveys/fa_private.h"

#include "surveys/crossprod.h"

enum { CORR_BLOCK = EGDI_XP_BLOCK, TILE = EGDI_XP_TILE };

/* A variance this small relative to the squared scale of the item is zero. */
#define ZERO_VARIANCE_REL 1e-24

const char *egdi_fa_item_name(const char *const *names, size_t j, char buf[32])
{
    if (names && names[j])
        return names[j];
    snprintf(buf, 32, "item %zu", j + 1);
    return buf;
}

egdi_status egdi_fa_corr_from_cov(const egdi_cov *c, const char *const *names, double *r,
                                  double *sd, egdi_error *err)
{
    size_t p = c->p;
    char nb[32];
    for (size_t j = 0; j < p; j++) {
        double var = c->cov[j * p + j], m = c->mean[j];
        if (!isfinite(var) || !(var > ZERO_VARIANCE_REL * (m * m + 1e-300)))
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "%s has zero variance (every respondent gave the same answer)",
                                  egdi_fa_item_name(names, j, nb));
        if (sd)
            sd[j] = sqrt(var);
    }
    for (size_t j = 0; j < p; j++) {
        r[j * p + j] = 1.0;
        for (size_t k = j + 1; k < p; k++) {
            double v = c->cov[j * p + k] / sqrt(c->cov[j * p + j] * c->cov[k * p + k]);
            if (v > 1)
                v = 1;
            else if (v < -1)
                v = -1;
            r[j * p + k] = r[k * p + j] = v;
        }
    }
    return EGDI_OK;
}

/* The correlations of the doubles x, or (x NULL) of the byte matrix mx. */
static egdi_status corr_impl(const double *x, const egdi_item_matrix *mx, size_t n, size_t p,
                             const char *const *names, double *r, double *mean, double *sd,
                             bool simd, egdi_error *err)
{
    char nb[32];
    if ((!x && !mx) || !r || p == 0)
        return egdi_error_set(err, EGDI_ERR_ARG, "no items to correlate");
    if (n < 2)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "%zu respondent(s): a correlation needs at least 2", n);
    egdi_cov c = {.n = n, .p = p, .n_min = n};
    c.mean = malloc(p * sizeof *c.mean);
    c.cov = malloc(p * p * sizeof *c.cov);
    egdi_xprod xp;
    size_t bad = 0;
    egdi_status st = !c.mean || !c.cov ? EGDI_ERR_NOMEM
                     : x          ? egdi_xprod_compute(x, n, p, simd, &xp, &bad)
                                  : egdi_xprod_compute_matrix(mx, simd, &xp, &bad);
    if (st == EGDI_OK) {
        egdi_xprod_cov(&xp, c.mean, c.cov);
        egdi_xprod_release(&xp);
        st = egdi_fa_corr_from_cov(&c, names, r, sd, err);
        if (st == EGDI_OK && mean)
            memcpy(mean, c.mean, p * sizeof *mean);
    } else if (st == EGDI_ERR_VALUE) {
        egdi_error_set(err, st, "%s has a missing or non-numeric answer",
                       egdi_fa_item_name(names, bad, nb));
    } else {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory for a %zu x %zu correlation",
                            p, p);
    }
    egdi_cov_release(&c);
    return st;
}

egdi_status egdi_fa_corr(const double *x, size_t n, size_t p, const char *const *names,
                         double *r, double *mean, double *sd, egdi_error *err)
{
    return corr_impl(x, NULL, n, p, names, r, mean, sd, true, err);
}

egdi_status egdi_fa_corr_portable(const double *x, size_t n, size_t p, const char *const *names,
                                  double *r, double *mean, double *sd, egdi_error *err)
{
    return corr_impl(x, NULL, n, p, names, r, mean, sd, false, err);
}

/*
 * Pairwise correlations as four cross-product matrices over the blocks:
 * with u = answer - shift (0 where missing), m = 1 where answered,
 *   n_jk = M'M, sum_j = U'M (j over the rows k answered), sum_jj = (U^2)'M,
 *   sum_jk = U'U,
 * so every pair gets its own means and variances in one pass.
 */
static egdi_status pairwise_impl(const double *x, size_t n, size_t p, const char *const *names,
                                 double *r, size_t *npair, bool simd, egdi_error *err)
{
    char n1[32], n2[32];
    egdi_status st = EGDI_OK;
    if (!x || !r || p == 0)
        return egdi_error_set(err, EGDI_ERR_ARG, "no items to correlate");
    size_t pp = (p + TILE - 1) / TILE * TILE;
    double *u = calloc(pp * CORR_BLOCK, sizeof *u), *u2 = calloc(pp * CORR_BLOCK, sizeof *u2);
    double *m = calloc(pp * CORR_BLOCK, sizeof *m), *shift = calloc(pp, sizeof *shift);
    double *suu = calloc(pp * pp, sizeof *suu), *sum = calloc(pp * pp, sizeof *sum);
    double *su2m = calloc(pp * pp, sizeof *su2m), *smm = calloc(pp * pp, sizeof *smm);
    if (!u || !u2 || !m || !shift || !suu || !sum || !su2m || !smm) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory for a %zu x %zu correlation", p, p);
        goto done;
    }
    simd = simd && egdi_xprod_simd();
    for (size_t j = 0; j < p; j++)
        for (size_t i = 0; i < n; i++)
            if (!isnan(x[j * n + i])) {
                shift[j] = x[j * n + i];
                break;
            }
    for (size_t i0 = 0; i0 < n; i0 += CORR_BLOCK) {
        size_t nbk = n - i0 < CORR_BLOCK ? n - i0 : CORR_BLOCK;
        size_t nb4 = (nbk + 3) / 4 * 4;
        for (size_t j = 0; j < p; j++) {
            const double *col = x + j * n + i0;
            double *du = u + j * CORR_BLOCK, *du2 = u2 + j * CORR_BLOCK, *dm = m + j * CORR_BLOCK;
            for (size_t i = 0; i < nbk; i++) {
                bool ok = !isnan(col[i]);
                double v = ok ? col[i] - shift[j] : 0.0;
                du[i] = v;
                du2[i] = v * v;
                dm[i] = ok ? 1.0 : 0.0;
            }
            for (size_t i = nbk; i < nb4; i++)
                du[i] = du2[i] = dm[i] = 0;
        }
        egdi_xprod_block(u, u, nbk, pp, suu, true, simd);
        egdi_xprod_block(u, m, nbk, pp, sum, false, simd);
        egdi_xprod_block(u2, m, nbk, pp, su2m, false, simd);
        egdi_xprod_block(m, m, nbk, pp, smm, true, simd);
    }
    for (size_t j = 0; j < p; j++) {
        r[j * p + j] = 1.0;
        if (npair)
            npair[j * p + j] = (size_t)smm[j * pp + j];
        for (size_t k = j + 1; k < p; k++) {
            double dm = smm[j * pp + k];
            size_t cnt = (size_t)dm;
            if (npair)
                npair[j * p + k] = npair[k * p + j] = cnt;
            if (cnt < 2) {
                st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                    "%s and %s have %zu common answer(s): no correlation",
                                    egdi_fa_item_name(names, j, n1),
                                    egdi_fa_item_name(names, k, n2), cnt);
                goto done;
            }
            double sa = sum[j * pp + k], sb = sum[k * pp + j];
            double vaa = su2m[j * pp + k] - sa * sa / dm, vbb = su2m[k * pp + j] - sb * sb / dm;
            double vab = suu[j * pp + k] - sa * sb / dm;
            double ca = shift[j], cb = shift[k];
            bool za = !(vaa > 1e-24 * (ca * ca + 1)), zb = !(vbb > 1e-24 * (cb * cb + 1));
            if (za || zb) {
                st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                    "%s has zero variance among the respondents who "
                                    "answered both %s and %s",
                                    egdi_fa_item_name(names, za ? j : k, n1),
                                    egdi_fa_item_name(names, j, n2),
                                    egdi_fa_item_name(names, k, n2));
                goto done;
            }
            double v = vab / sqrt(vaa * vbb);
            if (v > 1)
                v = 1;
            else if (v < -1)
                v = -1;
            r[j * p + k] = r[k * p + j] = v;
        }
    }
done:
    free(u);
    free(u2);
    free(m);
    free(shift);
    free(suu);
    free(sum);
    free(su2m);
    free(smm);
    return st;
}

egdi_status egdi_fa_corr_pairwise(const double *x, size_t n, size_t p,
                                  const char *const *names, double *r, size_t *npair,
                                  egdi_error *err)
{
    return pairwise_impl(x, n, p, names, r, npair, true, err);
}

egdi_status egdi_fa_corr_pairwise_portable(const double *x, size_t n, size_t p,
                                           const char *const *names, double *r, size_t *npair,
                                           egdi_error *err)
{
    return pairwise_impl(x, n, p, names, r, npair, false, err);
}

/* A pivot of the Cholesky factorisation (1 - R^2 of the item on the items
 * before it) below this means the item is a linear combination of them. */
#define SINGULAR_PIVOT 1e-12

egdi_status egdi_fa_cholesky(const double *r, size_t p, const char *const *names,
                             gsl_matrix *l, double *log_det, egdi_error *err)
{
    char nb[32];
    /* Unblocked Cholesky (p is at most a few hundred): pivot j is
     * 1 - R^2(item j | items 0..j-1), which names the culprit directly. */
    double ld = 0;
    for (size_t j = 0; j < p; j++) {
        for (size_t i = j; i < p; i++) {
            double v = r[i * p + j];
            for (size_t q = 0; q < j; q++)
                v -= gsl_matrix_get(l, i, q) * gsl_matrix_get(l, j, q);
            if (i == j) {
                if (!(v > SINGULAR_PIVOT * r[j * p + j])) {
                    if (j == 0 || !isfinite(v))
                        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                              "the correlation matrix is not positive "
                                              "definite at %s",
                                              egdi_fa_item_name(names, j, nb));
                    return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                          "the correlation matrix is singular: %s is a "
                                          "linear combination of the items before it "
                                          "(1 - R^2 = %.3g); drop it or one of those",
                                          egdi_fa_item_name(names, j, nb), v);
                }
                v = sqrt(v);
                ld += 2 * log(v);
            } else {
                v /= gsl_matrix_get(l, j, j);
            }
            gsl_matrix_set(l, i, j, v);
        }
        for (size_t i = 0; i < j; i++)
            gsl_matrix_set(l, i, j, 0.0);
    }
    if (log_det)
        *log_det = ld;
    return EGDI_OK;
}

double egdi_fa_chisq_log_q(double x, double df)
{
    if (!(x > 0))
        return 0.0;
    double a = df / 2, z = x / 2;
    if (z < a + 1) {
        double q = gsl_cdf_chisq_Q(x, df);
        return q > 0 ? log(q) : -INFINITY;
    }
    /* Q(a, z) = exp(-z + a ln z - lnGamma(a)) * CF, CF the continued
     * fraction 1/(z+1-a- 1(1-a)/(z+3-a- 2(2-a)/(z+5-a- ...))), evaluated by
     * the modified Lentz method and kept in log form so it cannot underflow. */
    const double tiny = 1e-300;
    double b = z + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
    for (int i = 1; i < 10000; i++) {
        double an = -i * (i - a);
        b += 2;
        d = an * d + b;
        if (fabs(d) < tiny)
            d = tiny;
        c = b + an / c;
        if (fabs(c) < tiny)
            c = tiny;
        d = 1 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1) < 1e-16)
            break;
    }
    return -z + a * log(z) - gsl_sf_lngamma(a) + log(h);
}

void egdi_fa_kmo_release(egdi_fa_kmo *k)
{
    if (!k)
        return;
    free(k->msa);
    k->msa = NULL;
}

egdi_status egdi_fa_kmo_compute(const double *r, size_t p, size_t n,
                                const char *const *names, egdi_fa_kmo *out,
                                egdi_error *err)
{
    egdi_status st = EGDI_OK;
    gsl_matrix *l = NULL;
    memset(out, 0, sizeof *out);
    if (p < 2)
        return egdi_error_set(err, EGDI_ERR_ARG, "KMO needs at least 2 items, got %zu", p);
    double dn = (double)n, dp = (double)p;
    double factor = dn - 1 - (2 * dp + 5) / 6;
    if (!(factor > 0))
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "%zu respondents are too few for Bartlett's test with %zu items "
                              "(n - 1 - (2p + 5)/6 must be positive)", n, p);
    l = gsl_matrix_alloc(p, p);
    out->msa = calloc(p, sizeof *out->msa);
    if (!l || !out->msa) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    out->p = p;
    st = egdi_fa_cholesky(r, p, names, l, &out->log_det, err);
    if (st)
        goto fail;
    if (gsl_linalg_cholesky_invert(l) != GSL_SUCCESS) {
        st = egdi_error_set(err, EGDI_ERR_NUMERIC, "cannot invert the correlation matrix");
        goto fail;
    }
    /* l is now the inverse (both triangles) */
    double sr = 0, sq = 0;
    for (size_t j = 0; j < p; j++) {
        double cr = 0, cq = 0;
        for (size_t i = 0; i < p; i++) {
            if (i == j)
                continue;
            double rij = r[i * p + j];
            double q = gsl_matrix_get(l, i, j) /
                       sqrt(gsl_matrix_get(l, i, i) * gsl_matrix_get(l, j, j));
            cr += rij * rij;
            cq += q * q;
        }
        out->msa[j] = cr / (cr + cq);
        sr += cr;
        sq += cq;
    }
    out->kmo = sr / (sr + sq);
    out->det = exp(out->log_det);
    out->n = dn;
    out->chi2 = -factor * out->log_det;
    out->df = dp * (dp - 1) / 2;
    out->p_value = gsl_cdf_chisq_Q(out->chi2, out->df);
    out->log_p = out->p_value > 1e-300 ? log(out->p_value)
                                        : egdi_fa_chisq_log_q(out->chi2, out->df);
    for (size_t j = 0; j < p; j++)
        if (!isfinite(out->msa[j])) {
            char nb[32];
            st = egdi_error_set(err, EGDI_ERR_NUMERIC, "MSA of %s is not a number",
                                egdi_fa_item_name(names, j, nb));
            goto fail;
        }
    gsl_matrix_free(l);
    return EGDI_OK;
fail:
    gsl_matrix_free(l);
    egdi_fa_kmo_release(out);
    return st;
}

egdi_status egdi_fa_corr_items(const egdi_item_matrix *m, bool pairwise, double *r, double *mean,
                               double *sd, egdi_error *err)
{
    if (!pairwise)
        return corr_impl(m->x, m, m->n, m->p, m->names, r, mean, sd, true, err);
    if (!m->x)
        return egdi_error_set(err, EGDI_ERR_ARG, "pairwise correlations of a byte matrix");
    egdi_status st = egdi_fa_corr_pairwise(m->x, m->n, m->p, m->names, r, NULL, err);
    if (st == EGDI_OK && mean && sd)
        egdi_desc_moments(m->x, m->n, m->p, mean, sd);
    return st;
}
