/*
 * corr.c - correlation matrices with n, p, means and SDs (corr.h).
 *
 * Listwise Pearson: one pass of surveys/crossprod.c gives the means and
 * covariances; listwise Spearman: the same pass over the ranks.  Pairwise
 * Pearson is egdi_fa_corr_pairwise (fa_corr.c, the one pass with masks);
 * pairwise Spearman ranks each pair's common rows (or uses each column's
 * own ranks when neither has a missing value).  The working arrays are
 * freed before returning; the result owns its arrays.
 */
#include "surveys/corr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "surveys/crossprod.h"
#include "surveys/descriptive.h"
#include "surveys/factor.h"

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

static const char *var_name(const char *const *names, size_t j, char buf[32])
{
    if (names && names[j])
        return names[j];
    snprintf(buf, 32, "variable %zu", j + 1);
    return buf;
}

void egdi_corr_release(egdi_corr *c)
{
    if (!c)
        return;
    free(c->mean);
    free(c->sd);
    free(c->r);
    free(c->p_value);
    free(c->npair);
    memset(c, 0, sizeof *c);
}

double egdi_corr_p(double r, size_t n)
{
    if (fabs(r) >= 1)
        return 0;
    double df = (double)n - 2;
    double t = r * sqrt(df / (1 - r * r));
    return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

/* A value and its row: sorted to give ranks. */
typedef struct {
    double v;
    size_t i;
} value_index;

static int cmp_value_index(const void *a, const void *b)
{
    const value_index *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Ranks of x[0..n) with ties averaged; vi holds n pairs. */
static void rank_pairs(const double *x, size_t n, double *rank, value_index *vi)
{
    for (size_t i = 0; i < n; i++)
        vi[i] = (value_index){x[i], i};
    qsort(vi, n, sizeof *vi, cmp_value_index);
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && vi[b].v == vi[a].v)
            b++;
        double avg = 0.5 * ((double)a + 1 + (double)b); /* mean of ranks a+1 .. b */
        for (size_t t = a; t < b; t++)
            rank[vi[t].i] = avg;
        a = b;
    }
}

/* Correlations, means and sds of a complete matrix by the one pass. */
static egdi_status listwise_pass(const double *x, size_t n, size_t p, const char *const *names,
                                 double *r, double *mean, double *sd, egdi_error *err)
{
    egdi_xprod xp;
    size_t bad = 0;
    egdi_status st = egdi_xprod_compute(x, n, p, true, &xp, &bad);
    char nb[32];
    if (st == EGDI_ERR_VALUE)
        return egdi_error_set(err, EGDI_ERR_ARG, "%s has a missing value (listwise needs none)",
                              var_name(names, bad, nb));
    if (st != EGDI_OK)
        return nomem(err);
    double *cov = malloc(p * p * sizeof *cov);
    double *m = malloc(p * sizeof *m);
    if (!cov || !m) {
        free(cov);
        free(m);
        egdi_xprod_release(&xp);
        return nomem(err);
    }
    egdi_xprod_cov(&xp, m, cov);
    egdi_xprod_release(&xp);
    for (size_t j = 0; j < p; j++) {
        double v = cov[j * p + j];
        /* relative to the square of the values' size: integer data give an
         * exact 0 for a constant column */
        if (!(v > 1e-24 * (m[j] * m[j] + 1e-300))) {
            free(cov);
            free(m);
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "%s has no variance (every value is the same): no "
                                  "correlation",
                                  var_name(names, j, nb));
        }
    }
    for (size_t j = 0; j < p; j++) {
        if (mean)
            mean[j] = m[j];
        if (sd)
            sd[j] = sqrt(cov[j * p + j]);
        for (size_t k = 0; k < p; k++)
            r[j * p + k] = j == k ? 1.0
                                  : cov[j * p + k] / sqrt(cov[j * p + j] * cov[k * p + k]);
    }
    free(cov);
    free(m);
    return EGDI_OK;
}

/* Pairwise Spearman: r of the ranks of each pair's common rows. */
static egdi_status spearman_pairwise(const double *x, size_t n, size_t p,
                                     const char *const *names, double *r, size_t *npair,
                                     egdi_error *err)
{
    size_t *nmiss = calloc(p, sizeof *nmiss);
    double *own = malloc(n * p * sizeof *own); /* each column's own ranks */
    double *a = malloc(2 * (n ? n : 1) * sizeof *a), *b = a ? a + n : NULL;
    double *ra = malloc(2 * (n ? n : 1) * sizeof *ra), *rb = ra ? ra + n : NULL;
    value_index *vi = malloc((n ? n : 1) * sizeof *vi);
    egdi_status st = EGDI_OK;
    char n1[32], n2[32];
    if (!nmiss || !own || !a || !ra || !vi) {
        st = nomem(err);
        goto done;
    }
    for (size_t j = 0; j < p; j++) {
        for (size_t i = 0; i < n; i++)
            nmiss[j] += isnan(x[j * n + i]);
        if (nmiss[j] == 0)
            rank_pairs(x + j * n, n, own + j * n, vi);
    }
    for (size_t j = 0; j < p; j++) {
        r[j * p + j] = 1;
        npair[j * p + j] = n - nmiss[j];
        for (size_t k = j + 1; k < p; k++) {
            const double *u, *v;
            size_t m = 0;
            if (nmiss[j] == 0 && nmiss[k] == 0) {
                u = own + j * n;
                v = own + k * n;
                m = n;
            } else {
                for (size_t i = 0; i < n; i++)
                    if (!isnan(x[j * n + i]) && !isnan(x[k * n + i])) {
                        a[m] = x[j * n + i];
                        b[m++] = x[k * n + i];
                    }
                rank_pairs(a, m, ra, vi);
                rank_pairs(b, m, rb, vi);
                u = ra;
                v = rb;
            }
            if (m < 3) {
                st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                    "%s and %s have %zu rows in common; a correlation test "
                                    "needs three",
                                    var_name(names, j, n1), var_name(names, k, n2), m);
                goto done;
            }
            double mu = 0, mv = 0;
            for (size_t i = 0; i < m; i++) {
                mu += u[i];
                mv += v[i];
            }
            mu /= (double)m;
            mv /= (double)m;
            double suv = 0, suu = 0, svv = 0;
            for (size_t i = 0; i < m; i++) {
                suv += (u[i] - mu) * (v[i] - mv);
                suu += (u[i] - mu) * (u[i] - mu);
                svv += (v[i] - mv) * (v[i] - mv);
            }
            if (!(suu > 0) || !(svv > 0)) {
                st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                    "%s has no variance where %s is answered: no correlation",
                                    var_name(names, suu > 0 ? k : j, n1),
                                    var_name(names, suu > 0 ? j : k, n2));
                goto done;
            }
            r[j * p + k] = r[k * p + j] = suv / sqrt(suu * svv);
            npair[j * p + k] = npair[k * p + j] = m;
        }
    }
done:
    free(nmiss);
    free(own);
    free(a);
    free(ra);
    free(vi);
    return st;
}

egdi_status egdi_corr_compute(const double *x, size_t n, size_t p, egdi_corr_method method,
                              bool pairwise, const char *const *names, egdi_corr *out,
                              egdi_error *err)
{
    memset(out, 0, sizeof *out);
    out->p = p;
    out->method = method;
    out->pairwise = pairwise;
    if (p == 0)
        return egdi_error_set(err, EGDI_ERR_ARG, "no variables to correlate");
    out->mean = malloc(p * sizeof *out->mean);
    out->sd = malloc(p * sizeof *out->sd);
    out->r = malloc(p * p * sizeof *out->r);
    out->p_value = malloc(p * p * sizeof *out->p_value);
    out->npair = malloc(p * p * sizeof *out->npair);
    double *ranks = NULL;
    egdi_status st = EGDI_OK;
    if (!out->mean || !out->sd || !out->r || !out->p_value || !out->npair) {
        st = nomem(err);
        goto fail;
    }
    if (!pairwise) {
        if (n < 3) {
            st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                "%zu complete rows; a correlation test needs three", n);
            goto fail;
        }
        if (method == EGDI_CORR_PEARSON) {
            st = listwise_pass(x, n, p, names, out->r, out->mean, out->sd, err);
        } else {
            ranks = malloc(n * p * sizeof *ranks);
            value_index *vi = malloc(n * sizeof *vi);
            if (!ranks || !vi) {
                free(vi);
                st = nomem(err);
                goto fail;
            }
            for (size_t j = 0; j < p && st == EGDI_OK; j++) {
                for (size_t i = 0; i < n; i++)
                    if (isnan(x[j * n + i])) {
                        char nb[32];
                        st = egdi_error_set(err, EGDI_ERR_ARG,
                                            "%s has a missing value (listwise needs none)",
                                            var_name(names, j, nb));
                        break;
                    }
                if (st == EGDI_OK)
                    rank_pairs(x + j * n, n, ranks + j * n, vi);
            }
            free(vi);
            if (st == EGDI_OK)
                st = listwise_pass(ranks, n, p, names, out->r, NULL, NULL, err);
            if (st == EGDI_OK)
                egdi_desc_moments(x, n, p, out->mean, out->sd);
        }
        if (st != EGDI_OK)
            goto fail;
        for (size_t k = 0; k < p * p; k++)
            out->npair[k] = n;
        out->n = n;
    } else {
        if (method == EGDI_CORR_PEARSON)
            st = egdi_fa_corr_pairwise(x, n, p, names, out->r, out->npair, err);
        else
            st = spearman_pairwise(x, n, p, names, out->r, out->npair, err);
        if (st != EGDI_OK)
            goto fail;
        egdi_desc_moments(x, n, p, out->mean, out->sd);
        out->n = SIZE_MAX;
        for (size_t j = 0; j < p; j++)
            for (size_t k = 0; k < p; k++)
                if (j != k && out->npair[j * p + k] < out->n)
                    out->n = out->npair[j * p + k];
        if (p == 1)
            out->n = out->npair[0];
        for (size_t j = 0; j < p; j++)
            for (size_t k = j + 1; k < p; k++)
                if (out->npair[j * p + k] < 3) {
                    char n1[32], n2[32];
                    st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                        "%s and %s have %zu rows in common; a correlation "
                                        "test needs three",
                                        var_name(names, j, n1), var_name(names, k, n2),
                                        out->npair[j * p + k]);
                    goto fail;
                }
    }
    for (size_t j = 0; j < p; j++)
        for (size_t k = 0; k < p; k++)
            out->p_value[j * p + k] =
                j == k ? NAN : egdi_corr_p(out->r[j * p + k], out->npair[j * p + k]);
    free(ranks);
    return EGDI_OK;
fail:
    free(ranks);
    egdi_corr_release(out);
    return st;
}
