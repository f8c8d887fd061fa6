/*
 * reliability.c - covariances and Cronbach's alpha (see reliability.h).
 *
 * Listwise covariances come from the one pass of crossprod.c (sums and
 * cross-products about a shift c_j, an answer near the item's mean):
 *   mean_j = c_j + sum_j / n,  cov_jk = (S_jk - sum_j sum_k / n) / (n - 1).
 * Pairwise covariances take one pass per pair with that pair's means.
 */
#include "surveys/reliability.h"
#include "surveys/crossprod.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refuse matrices whose p * p cells would not fit a size_t. */
#define COV_MAX_ITEMS 65535u

void egdi_cov_release(egdi_cov *c)
{
    if (!c)
        return;
    free(c->mean);
    free(c->cov);
    c->mean = c->cov = NULL;
}

/* Listwise covariances of the doubles x, or (x NULL) of the byte matrix mx. */
static egdi_status cov_listwise(const double *x, const egdi_item_matrix *mx, size_t n, size_t p,
                                egdi_cov *out, egdi_error *err)
{
    egdi_xprod xp;
    size_t bad;
    egdi_status st = x ? egdi_xprod_compute(x, n, p, true, &xp, &bad)
                       : egdi_xprod_compute_matrix(mx, true, &xp, &bad);
    if (st == EGDI_ERR_VALUE)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "missing answers in a listwise matrix (item %zu)", bad + 1);
    if (st != EGDI_OK)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_xprod_cov(&xp, out->mean, out->cov);
    egdi_xprod_release(&xp);
    out->n_min = n;
    return EGDI_OK;
}

static const char *item_name(const char *const *names, size_t j, char buf[32])
{
    if (names && names[j])
        return names[j];
    snprintf(buf, 32, "item %zu", j + 1);
    return buf;
}

static egdi_status cov_pairwise(const double *x, size_t n, size_t p,
                                const char *const *names, egdi_cov *out, egdi_error *err)
{
    size_t nmin = n;
    for (size_t j = 0; j < p; j++) {
        const double *a = x + j * n;
        double s = 0;
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(a[i])) {
                s += a[i];
                m++;
            }
        out->mean[j] = m ? s / (double)m : NAN;
        for (size_t k = 0; k <= j; k++) {
            const double *b = x + k * n;
            double sa = 0, sb = 0;
            size_t c = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(a[i]) && !isnan(b[i])) {
                    sa += a[i];
                    sb += b[i];
                    c++;
                }
            if (c < 2) {
                char b1[32], b2[32];
                if (k == j)
                    return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                          "item %s has %zu answer%s; a variance needs two",
                                          item_name(names, j, b1), c, c == 1 ? "" : "s");
                return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                      "items %s and %s have %zu respondent%s in common; "
                                      "a covariance needs two",
                                      item_name(names, k, b1), item_name(names, j, b2), c,
                                      c == 1 ? "" : "s");
            }
            double ma = sa / (double)c, mb = sb / (double)c, s2 = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(a[i]) && !isnan(b[i]))
                    s2 += (a[i] - ma) * (b[i] - mb);
            out->cov[j * p + k] = out->cov[k * p + j] = s2 / (double)(c - 1);
            if (c < nmin)
                nmin = c;
        }
    }
    out->n_min = nmin;
    return EGDI_OK;
}

static egdi_status cov_impl(const double *x, const egdi_item_matrix *mx, size_t n, size_t p,
                            bool pairwise, const char *const *names, egdi_cov *out,
                            egdi_error *err)
{
    memset(out, 0, sizeof *out);
    out->n = n;
    out->p = p;
    if (p == 0 || p > COV_MAX_ITEMS)
        return egdi_error_set(err, EGDI_ERR_ARG, "%zu items (1 to %u allowed)", p,
                              COV_MAX_ITEMS);
    if (n < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "%zu respondent%s: covariances need at least two", n,
                              n == 1 ? "" : "s");
    out->mean = calloc(p, sizeof *out->mean);
    out->cov = calloc(p * p, sizeof *out->cov);
    if (!out->mean || !out->cov) {
        egdi_cov_release(out);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    egdi_status st = pairwise ? cov_pairwise(x, n, p, names, out, err)
                              : cov_listwise(x, mx, n, p, out, err);
    if (st != EGDI_OK)
        egdi_cov_release(out);
    return st;
}

egdi_status egdi_cov_compute(const double *x, size_t n, size_t p, bool pairwise,
                             const char *const *names, egdi_cov *out, egdi_error *err)
{
    return cov_impl(x, NULL, n, p, pairwise, names, out, err);
}

egdi_status egdi_cov_matrix(const egdi_item_matrix *m, bool pairwise, egdi_cov *out,
                            egdi_error *err)
{
    if (!m->x && pairwise) {
        memset(out, 0, sizeof *out);
        return egdi_error_set(err, EGDI_ERR_ARG, "pairwise covariances of a byte matrix");
    }
    return cov_impl(m->x, m, m->n, m->p, pairwise, m->names, out, err);
}

void egdi_alpha_release(egdi_alpha *a)
{
    if (!a)
        return;
    free(a->items);
    a->items = NULL;
}

egdi_status egdi_alpha_from_cov(const egdi_cov *c, const char *const *names,
                                egdi_alpha *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    size_t p = c->p;
    out->n = c->n;
    out->p = p;
    out->n_min = c->n_min;
    char buf[32];
    if (p < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "alpha needs at least two items");
    if (c->n < p)
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "%zu respondents for %zu items: fewer respondents than items",
                              c->n, p);
    for (size_t j = 0; j < p; j++)
        if (!(c->cov[j * p + j] > 0))
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "item %s has zero variance (every answer is %g)",
                                  item_name(names, j, buf), c->mean[j]);
    out->items = calloc(p, sizeof *out->items);
    double *rowc = calloc(p, sizeof *rowc), *rowr = calloc(p, sizeof *rowr);
    if (!out->items || !rowc || !rowr) {
        free(rowc);
        free(rowr);
        egdi_alpha_release(out);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    double sumc = 0, trc = 0, sumr = 0, summean = 0, dp = (double)p;
    for (size_t j = 0; j < p; j++) {
        double cjj = c->cov[j * p + j];
        trc += cjj;
        summean += c->mean[j];
        for (size_t k = 0; k < p; k++) {
            double v = c->cov[j * p + k];
            double r = v / sqrt(cjj * c->cov[k * p + k]);
            rowc[j] += v;
            rowr[j] += r;
        }
        sumc += rowc[j];
        sumr += rowr[j];
    }
    if (!(sumc > 0)) {
        free(rowc);
        free(rowr);
        egdi_alpha_release(out);
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "the total score has zero variance (items cancel out)");
    }
    out->alpha = dp / (dp - 1) * (1 - trc / sumc);
    out->std_alpha = dp / (dp - 1) * (1 - dp / sumr);
    out->average_r = (sumr - dp) / (dp * (dp - 1));
    out->scale_mean = summean;
    out->scale_var = sumc;
    for (size_t j = 0; j < p; j++) {
        egdi_alpha_item *it = &out->items[j];
        double cjj = c->cov[j * p + j];
        double vdrop = sumc - 2 * rowc[j] + cjj;
        it->mean = c->mean[j];
        it->sd = sqrt(cjj);
        it->scale_mean_if_deleted = summean - c->mean[j];
        it->scale_var_if_deleted = vdrop;
        it->r_total = rowc[j] / sqrt(cjj * sumc);
        it->r_corrected = vdrop > 0 ? (rowc[j] - cjj) / sqrt(cjj * vdrop) : NAN;
        it->alpha_if_deleted = it->std_alpha_if_deleted = NAN;
        if (p > 2 && vdrop > 0) {
            double q = dp - 1;
            it->alpha_if_deleted = q / (q - 1) * (1 - (trc - cjj) / vdrop);
            double srd = sumr - 2 * rowr[j] + 1;
            it->std_alpha_if_deleted = q / (q - 1) * (1 - q / srd);
        }
    }
    free(rowc);
    free(rowr);
    return EGDI_OK;
}

egdi_status egdi_alpha_compute(const double *x, size_t n, size_t p, bool pairwise,
                               const char *const *names, egdi_alpha *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_cov c;
    egdi_status st = egdi_cov_compute(x, n, p, pairwise, names, &c, err);
    if (st != EGDI_OK)
        return st;
    st = egdi_alpha_from_cov(&c, names, out, err);
    egdi_cov_release(&c);
    return st;
}

egdi_status egdi_alpha_dataset(const egdi_dataset *ds, const size_t *cols, size_t p,
                               egdi_deletion deletion, egdi_alpha *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_item_matrix m;
    egdi_status st = egdi_dataset_matrix_small(ds, cols, p, deletion, &m, err);
    if (st != EGDI_OK)
        return st;
    egdi_cov c;
    if ((st = egdi_cov_matrix(&m, deletion == EGDI_PAIRWISE, &c, err)) == EGDI_OK) {
        st = egdi_alpha_from_cov(&c, m.names, out, err);
        egdi_cov_release(&c);
    }
    egdi_dataset_matrix_release(&m);
    return st;
}

egdi_status egdi_alpha_scales(const egdi_dataset *ds, egdi_deletion deletion, egdi_alpha *out,
                              egdi_error *err)
{
    memset(out, 0, ds->nscales * sizeof *out);
    for (size_t k = 0; k < ds->nscales; k++) {
        const egdi_dataset_scale *sc = &ds->scale[k];
        if (sc->n < 2)
            continue; /* alpha needs two items */
        egdi_status st = egdi_alpha_dataset(ds, sc->col, sc->n, deletion, &out[k], err);
        if (st == EGDI_OK)
            continue;
        if (err && st != EGDI_ERR_VALUE) {
            char why[EGDI_ERR_MSG_MAX];
            snprintf(why, sizeof why, "%s", err->message);
            egdi_error_set(err, st, "scale %s: %s", sc->name, why);
        }
        for (size_t j = 0; j < k; j++)
            egdi_alpha_release(&out[j]);
        return st;
    }
    return EGDI_OK;
}
