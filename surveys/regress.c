/*
 * regress.c - OLS regression by blocks (regress.h): the design from a
 * dataset (dummy variables for categorical terms), the one cross-product
 * pass, a Cholesky solve per model, and a residual pass per model.
 *
 * Working arrays (the design [X y], covariances, the factor and inverse of
 * each model's correlation matrix, residuals) are freed before returning;
 * the egdi_regression owns its models, coefficients and name copies.
 */
#include "surveys/regress.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>

#include "engine/core/bigmem.h"
#include "engine/core/value.h"
#include "surveys/crossprod.h"
#include "surveys/ttest.h"

/* A Cholesky pivot (1 - R^2 of a predictor on those before it) below this
 * is a linear combination (as surveys/fa_corr.c's SINGULAR_PIVOT). */
#define COLLINEAR_PIVOT 1e-12
/* A variance this small relative to the squared size of the values is 0. */
#define ZERO_VARIANCE_REL 1e-24
/* Residual variance this small relative to y's is a perfect fit. */
#define PERFECT_FIT_REL 1e-20

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

void egdi_regression_release(egdi_regression *r)
{
    if (!r)
        return;
    if (r->model)
        for (size_t m = 0; m < r->nmodels; m++)
            free(r->model[m].coef);
    free(r->model);
    if (r->names)
        for (size_t j = 0; j < r->npred; j++)
            free(r->names[j]);
    if (r->refs)
        for (size_t j = 0; j < r->npred; j++)
            free(r->refs[j]);
    free(r->names);
    free(r->refs);
    free(r->y_name);
    memset(r, 0, sizeof *r);
}

/* The predictors that column j (of the correlation matrix R, p x p) is a
 * combination of, from the first j columns' Cholesky factor L: solves
 * L L' g = R[0..j, j] and lists the columns with a coefficient that is not
 * (numerically) zero into buf. */
static void collinear_names(const double *R, size_t p, const gsl_matrix *L, size_t j,
                            char *const *names, char *buf, size_t size)
{
    buf[0] = '\0';
    if (j == 0)
        return;
    gsl_vector *g = gsl_vector_alloc(j);
    if (!g)
        return;
    for (size_t k = 0; k < j; k++)
        gsl_vector_set(g, k, R[k * p + j]);
    gsl_matrix_const_view lv = gsl_matrix_const_submatrix(L, 0, 0, j, j);
    gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &lv.matrix, g);
    gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, &lv.matrix, g);
    double big = 0;
    for (size_t k = 0; k < j; k++)
        big = fmax(big, fabs(gsl_vector_get(g, k)));
    size_t used = 0;
    for (size_t k = 0; k < j && used < size; k++) {
        if (!(fabs(gsl_vector_get(g, k)) > 1e-6 * big))
            continue;
        int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", names[k]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (used >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    gsl_vector_free(g);
}

/* Cholesky of the leading q x q block of R (p x p) into L, refusing a
 * collinear predictor by name. */
static egdi_status factor(const double *R, size_t p, size_t q, char *const *names,
                          gsl_matrix *L, egdi_error *err)
{
    for (size_t j = 0; j < q; j++) {
        for (size_t i = j; i < q; i++) {
            double v = R[i * p + j];
            for (size_t k = 0; k < j; k++)
                v -= gsl_matrix_get(L, i, k) * gsl_matrix_get(L, j, k);
            if (i == j) {
                if (!(v > COLLINEAR_PIVOT)) {
                    char with[400];
                    collinear_names(R, p, L, j, names, with, sizeof with);
                    if (with[0])
                        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                              "collinear predictors: %s is a linear "
                                              "combination of %s (1 - R^2 = %.3g); drop one of "
                                              "them",
                                              names[j], with, v > 0 ? v : 0.0);
                    return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                          "collinear predictors: %s is a linear combination "
                                          "of the predictors before it",
                                          names[j]);
                }
                v = sqrt(v);
            } else {
                v /= gsl_matrix_get(L, j, j);
            }
            gsl_matrix_set(L, i, j, v);
        }
        for (size_t i = 0; i < j; i++)
            gsl_matrix_set(L, i, j, 0);
    }
    return EGDI_OK;
}

/* The model of the first q predictors.  z: the design [X y] (n x (p+1));
 * mean, sd, R of its p + 1 columns; e: n residuals (work). */
static egdi_status fit_model(const double *z, size_t n, size_t p, size_t q, const double *mean,
                             const double *sd, const double *R, double ss_tot,
                             egdi_regression *out, egdi_reg_model *m, double *e,
                             egdi_error *err)
{
    size_t P = p + 1;
    gsl_matrix *L = gsl_matrix_alloc(q, q);
    gsl_vector *beta = gsl_vector_alloc(q);
    egdi_status st = EGDI_OK;
    if (!L || !beta) {
        st = nomem(err);
        goto done;
    }
    if ((st = factor(R, P, q, out->names, L, err)) != EGDI_OK)
        goto done;
    for (size_t j = 0; j < q; j++)
        gsl_vector_set(beta, j, R[j * P + p]);
    gsl_linalg_cholesky_svx(L, beta); /* standardized coefficients */
    /* the inverse of the correlation matrix, from its factor */
    for (size_t j = 0; j < q; j++)
        for (size_t i = 0; i < j; i++)
            gsl_matrix_set(L, i, j, gsl_matrix_get(L, j, i));
    gsl_linalg_cholesky_invert(L);
    m->q = q;
    m->coef = calloc(q + 1, sizeof *m->coef);
    if (!m->coef) {
        st = nomem(err);
        goto done;
    }
    double sdy = sd[p], b0 = mean[p];
    for (size_t j = 0; j < q; j++) {
        egdi_reg_coef *c = &m->coef[j + 1];
        c->name = out->names[j];
        c->ref = out->refs[j];
        c->beta = gsl_vector_get(beta, j);
        c->b = c->beta * sdy / sd[j];
        b0 -= c->b * mean[j];
        c->vif = gsl_matrix_get(L, j, j);
        c->tolerance = 1 / c->vif;
    }
    m->coef[0].b = b0;
    m->coef[0].beta = m->coef[0].vif = m->coef[0].tolerance = NAN;
    /* residuals in row order */
    const double *y = z + p * n;
    for (size_t i = 0; i < n; i++)
        e[i] = y[i] - b0;
    for (size_t j = 0; j < q; j++) {
        const double *xj = z + j * n;
        double bj = m->coef[j + 1].b;
        for (size_t i = 0; i < n; i++)
            e[i] -= bj * xj[i];
    }
    double ss = 0, dd = 0;
    for (size_t i = 0; i < n; i++) {
        ss += e[i] * e[i];
        if (i)
            dd += (e[i] - e[i - 1]) * (e[i] - e[i - 1]);
    }
    if (!(ss > PERFECT_FIT_REL * ss_tot)) {
        st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                            "%s is a linear function of the predictors (R^2 = 1, no residual "
                            "variance): nothing to test",
                            out->y_name);
        goto done;
    }
    double dn = (double)n;
    m->ss_res = ss;
    m->ss_tot = ss_tot;
    m->ss_reg = ss_tot - ss;
    m->df_reg = (double)q;
    m->df_res = dn - (double)q - 1;
    m->ms_reg = m->ss_reg / m->df_reg;
    m->ms_res = ss / m->df_res;
    m->F = m->ms_reg / m->ms_res;
    m->p_F = gsl_cdf_fdist_Q(m->F, m->df_reg, m->df_res);
    m->r2 = m->ss_reg / ss_tot;
    m->r = sqrt(m->r2 > 0 ? m->r2 : 0);
    m->adj_r2 = 1 - (1 - m->r2) * (dn - 1) / m->df_res;
    m->se_est = sqrt(m->ms_res);
    m->dw = dd / ss;
    /* standard errors: Var(b) = MS_res (X'X)^-1 with X centred, i.e.
     * R^-1_jk / ((n - 1) sd_j sd_k); the constant's adds 1/n and the means */
    double v0 = 1 / dn;
    for (size_t j = 0; j < q; j++) {
        double rj = gsl_matrix_get(L, j, j);
        egdi_reg_coef *c = &m->coef[j + 1];
        double se = sqrt(m->ms_res * rj / ((dn - 1) * sd[j] * sd[j]));
        egdi_trow row;
        egdi_trow_fill(c->b, se, m->df_res, out->conf, &row);
        c->se = se;
        c->t = row.t;
        c->p = row.p;
        c->ci_lo = row.ci_lo;
        c->ci_hi = row.ci_hi;
        for (size_t k = 0; k < q; k++)
            v0 += mean[j] * mean[k] * gsl_matrix_get(L, j, k) / ((dn - 1) * sd[j] * sd[k]);
    }
    egdi_trow row;
    egdi_trow_fill(b0, sqrt(m->ms_res * v0), m->df_res, out->conf, &row);
    m->coef[0].se = row.se;
    m->coef[0].t = row.t;
    m->coef[0].p = row.p;
    m->coef[0].ci_lo = row.ci_lo;
    m->coef[0].ci_hi = row.ci_hi;
done:
    if (L)
        gsl_matrix_free(L);
    if (beta)
        gsl_vector_free(beta);
    return st;
}

egdi_status egdi_regress_fit(const double *x, const double *y, size_t n, size_t p,
                             const char *const *names, const char *const *refs,
                             const size_t *block_end, size_t nblocks, const char *y_name,
                             double conf, egdi_regression *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_status st = EGDI_OK;
    double *z = NULL, *mean = NULL, *cov = NULL, *sd = NULL, *R = NULL, *e = NULL;
    egdi_xprod xp = {0};
    out->n = out->n_read = n;
    out->conf = conf;
    out->npred = p;
    if (p == 0 || nblocks == 0)
        return egdi_error_set(err, EGDI_ERR_ARG, "a regression needs predictors");
    for (size_t b = 0; b < nblocks; b++)
        if (block_end[b] == 0 || block_end[b] > p || (b && block_end[b] <= block_end[b - 1]) ||
            (b == nblocks - 1 && block_end[b] != p))
            return egdi_error_set(err, EGDI_ERR_ARG, "block %zu adds no predictor", b + 1);
    out->names = calloc(p, sizeof *out->names);
    out->refs = calloc(p, sizeof *out->refs);
    out->y_name = strdup(y_name ? y_name : "y");
    out->model = calloc(nblocks, sizeof *out->model);
    if (!out->names || !out->refs || !out->y_name || !out->model)
        goto oom;
    out->y = out->y_name;
    out->nmodels = nblocks;
    for (size_t j = 0; j < p; j++) {
        char buf[32];
        snprintf(buf, sizeof buf, "x%zu", j + 1);
        if (!(out->names[j] = strdup(names && names[j] ? names[j] : buf)))
            goto oom;
        if (refs && refs[j] && !(out->refs[j] = strdup(refs[j])))
            goto oom;
    }
    if (n <= p + 1) {
        st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                            "%zu complete rows for %zu predictors: a regression needs more "
                            "rows than predictors + 1",
                            n, p);
        goto fail;
    }
    size_t P = p + 1;
    z = egdi_bigmem_alloc(n * P * sizeof *z);
    mean = malloc(P * sizeof *mean);
    sd = malloc(P * sizeof *sd);
    cov = malloc(P * P * sizeof *cov);
    R = malloc(P * P * sizeof *R);
    e = egdi_bigmem_alloc(n * sizeof *e);
    if (!z || !mean || !sd || !cov || !R || !e)
        goto oom;
    memcpy(z, x, n * p * sizeof *z);
    memcpy(z + p * n, y, n * sizeof *z);
    size_t bad = 0;
    st = egdi_xprod_compute(z, n, P, true, &xp, &bad);
    if (st == EGDI_ERR_VALUE) {
        st = egdi_error_set(err, EGDI_ERR_ARG, "%s has a missing value",
                            bad < p ? out->names[bad] : out->y_name);
        goto fail;
    }
    if (st != EGDI_OK)
        goto oom;
    egdi_xprod_cov(&xp, mean, cov);
    for (size_t j = 0; j < P; j++) {
        double v = cov[j * P + j];
        if (!(v > ZERO_VARIANCE_REL * (mean[j] * mean[j] + 1e-300))) {
            st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                "%s has no variance among the %zu rows used (every value is "
                                "%g)",
                                j < p ? out->names[j] : out->y_name, n, mean[j]);
            goto fail;
        }
        sd[j] = sqrt(v);
    }
    for (size_t j = 0; j < P; j++)
        for (size_t k = 0; k < P; k++)
            R[j * P + k] = j == k ? 1 : cov[j * P + k] / (sd[j] * sd[k]);
    double ss_tot = ((double)n - 1) * cov[p * P + p];
    double prev_ss = ss_tot, prev_r2 = 0;
    size_t prev_q = 0;
    for (size_t b = 0; b < nblocks; b++) {
        egdi_reg_model *m = &out->model[b];
        if ((st = fit_model(z, n, p, block_end[b], mean, sd, R, ss_tot, out, m, e, err)) !=
            EGDI_OK)
            goto fail;
        m->r2_change = m->r2 - prev_r2;
        m->df1_change = (double)(block_end[b] - prev_q);
        m->df2_change = m->df_res;
        m->F_change = ((prev_ss - m->ss_res) / m->df1_change) / m->ms_res;
        m->p_change = gsl_cdf_fdist_Q(m->F_change, m->df1_change, m->df2_change);
        prev_ss = m->ss_res;
        prev_r2 = m->r2;
        prev_q = block_end[b];
    }
    goto done;
oom:
    st = nomem(err);
fail:
    egdi_regression_release(out);
done:
    egdi_xprod_release(&xp);
    free(z);
    free(mean);
    free(sd);
    free(cov);
    free(R);
    free(e);
    return st;
}

/* ---- the design from a dataset -------------------------------------------- */

typedef struct {
    const egdi_reg_term *term;
    size_t block;
    bool categorical;
    double *v;            /* numeric: nrows values */
    egdi_categories cat;  /* categorical */
} term_data;

static bool same_level(const egdi_categories *c, size_t k, const char *level)
{
    if (strcmp(c->label[k], level) == 0)
        return true;
    double v;
    bool pct;
    const char *why;
    return !isnan(c->code[k]) &&
           egdi_value_number(level, strlen(level), &v, &pct, &why) == EGDI_OK &&
           v == c->code[k];
}

egdi_status egdi_regress_dataset(const egdi_dataset *ds, const char *y,
                                 const egdi_reg_term *const *blocks, const size_t *nterms,
                                 size_t nblocks, double conf, egdi_regression *out,
                                 egdi_error *err)
{
    memset(out, 0, sizeof *out);
    size_t nt = 0, nrows = ds->nrows;
    for (size_t b = 0; b < nblocks; b++)
        nt += nterms[b];
    if (nt == 0)
        return egdi_error_set(err, EGDI_ERR_ARG, "a regression needs predictors");
    term_data *td = calloc(nt, sizeof *td);
    double *yv = NULL, *x = NULL, *yy = NULL;
    unsigned char *drop = calloc(nrows ? nrows : 1, 1);
    size_t **present = NULL; /* per categorical term: rows per category among the used */
    char **names = NULL, **refs = NULL;
    size_t *block_end = calloc(nblocks, sizeof *block_end), npred = 0;
    egdi_status st = EGDI_OK;
    if (!td || !drop || !block_end)
        goto oom;
    for (size_t b = 0, t = 0; b < nblocks; b++)
        for (size_t k = 0; k < nterms[b]; k++, t++) {
            td[t].term = &blocks[b][k];
            td[t].block = b;
            if (strcmp(blocks[b][k].name, y) == 0) {
                st = egdi_error_set(err, EGDI_ERR_ARG, "%s is both y and a predictor", y);
                goto fail;
            }
            for (size_t u = 0; u < t; u++)
                if (strcmp(td[u].term->name, blocks[b][k].name) == 0) {
                    st = egdi_error_set(err, EGDI_ERR_ARG, "predictor %s is named twice",
                                        blocks[b][k].name);
                    goto fail;
                }
        }
    if ((st = egdi_dataset_variable(ds, y, &yv, err)) != EGDI_OK)
        goto fail;
    for (size_t i = 0; i < nrows; i++)
        drop[i] = (unsigned char)(isnan(yv[i]) ? 1 : 0);
    for (size_t t = 0; t < nt; t++) {
        const egdi_reg_term *term = td[t].term;
        size_t col = 0;
        bool is_scale = egdi_dataset_scale_find(ds, term->name) >= 0;
        if (!is_scale && (st = egdi_dataset_find(ds, term->name, &col, err)) != EGDI_OK)
            goto fail;
        td[t].categorical = !is_scale && (term->categorical || egdi_dataset_is_text(ds, col));
        if (is_scale && term->categorical) {
            st = egdi_error_set(err, EGDI_ERR_ARG, "%s is a scale, not a categorical column",
                                term->name);
            goto fail;
        }
        if (td[t].categorical) {
            if ((st = egdi_dataset_categories(ds, col, &td[t].cat, err)) != EGDI_OK)
                goto fail;
            for (size_t i = 0; i < nrows; i++)
                drop[i] = (unsigned char)(drop[i] | (td[t].cat.of[i] == EGDI_NO_CATEGORY));
        } else {
            if ((st = egdi_dataset_variable(ds, term->name, &td[t].v, err)) != EGDI_OK)
                goto fail;
            for (size_t i = 0; i < nrows; i++)
                drop[i] = (unsigned char)(drop[i] | (isnan(td[t].v[i]) ? 1 : 0));
        }
    }
    size_t n = 0;
    for (size_t i = 0; i < nrows; i++)
        n += !drop[i];
    /* the categories present among the rows used, and each term's reference */
    present = calloc(nt, sizeof *present);
    size_t *ref = calloc(nt, sizeof *ref);
    if (!present || !ref) {
        free(ref);
        goto oom;
    }
    for (size_t t = 0; t < nt; t++) {
        size_t b = td[t].block;
        if (!td[t].categorical) {
            npred++;
        } else {
            egdi_categories *c = &td[t].cat;
            if (!(present[t] = calloc(c->k ? c->k : 1, sizeof **present))) {
                free(ref);
                goto oom;
            }
            for (size_t i = 0; i < nrows; i++)
                if (!drop[i])
                    present[t][c->of[i]]++;
            size_t k = 0, ncat = 0;
            ref[t] = SIZE_MAX;
            for (k = 0; k < c->k; k++) {
                if (!present[t][k])
                    continue;
                ncat++;
                if (td[t].term->ref ? same_level(c, k, td[t].term->ref) : ref[t] == SIZE_MAX)
                    ref[t] = k;
            }
            if (ref[t] == SIZE_MAX) {
                st = td[t].term->ref
                         ? egdi_error_set(err, EGDI_ERR_ARG,
                                          "%s has no category \"%s\" among the rows used "
                                          "(for its reference)",
                                          td[t].term->name, td[t].term->ref)
                         : egdi_error_set(err, EGDI_ERR_NUMERIC,
                                          "%s has no answer among the rows used",
                                          td[t].term->name);
                free(ref);
                goto fail;
            }
            if (ncat < 2) {
                st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                    "%s has only the category %s among the rows used: no "
                                    "dummy variable to enter",
                                    td[t].term->name, c->label[ref[t]]);
                free(ref);
                goto fail;
            }
            npred += ncat - 1;
        }
        block_end[b] = npred;
    }
    x = egdi_bigmem_alloc((n ? n : 1) * npred * sizeof *x);
    yy = malloc((n ? n : 1) * sizeof *yy);
    names = calloc(npred, sizeof *names);
    refs = calloc(npred, sizeof *refs);
    if (!x || !yy || !names || !refs) {
        free(ref);
        goto oom;
    }
    for (size_t i = 0, r = 0; i < nrows; i++)
        if (!drop[i])
            yy[r++] = yv[i];
    size_t j = 0;
    for (size_t t = 0; t < nt; t++) {
        if (!td[t].categorical) {
            double *dst = x + j * n;
            for (size_t i = 0, r = 0; i < nrows; i++)
                if (!drop[i])
                    dst[r++] = td[t].v[i];
            if (!(names[j++] = strdup(td[t].term->name))) {
                free(ref);
                goto oom;
            }
            continue;
        }
        egdi_categories *c = &td[t].cat;
        for (size_t k = 0; k < c->k; k++) {
            if (!present[t][k] || k == ref[t])
                continue;
            double *dst = x + j * n;
            for (size_t i = 0, r = 0; i < nrows; i++)
                if (!drop[i])
                    dst[r++] = c->of[i] == k ? 1.0 : 0.0;
            size_t len = strlen(td[t].term->name) + strlen(c->label[k]) + 2;
            if (!(names[j] = malloc(len)) || !(refs[j] = strdup(c->label[ref[t]]))) {
                free(ref);
                goto oom;
            }
            snprintf(names[j], len, "%s=%s", td[t].term->name, c->label[k]);
            j++;
        }
    }
    free(ref);
    st = egdi_regress_fit(x, yy, n, npred, (const char *const *)names,
                          (const char *const *)refs, block_end, nblocks, y, conf, out, err);
    if (st == EGDI_OK)
        out->n_read = nrows;
    goto done;
oom:
    st = nomem(err);
fail:
    egdi_regression_release(out);
done:
    if (td)
        for (size_t t = 0; t < nt; t++) {
            free(td[t].v);
            egdi_categories_release(&td[t].cat);
            if (present)
                free(present[t]);
        }
    free(td);
    free(present);
    if (names)
        for (size_t k = 0; k < npred; k++)
            free(names[k]);
    if (refs)
        for (size_t k = 0; k < npred; k++)
            free(refs[k]);
    free(names);
    free(refs);
    free(block_end);
    free(drop);
    free(yv);
    free(yy);
    free(x);
    return st;
}
