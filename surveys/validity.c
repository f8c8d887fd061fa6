/*
 * validity.c - reliability and validity tables of a fitted measurement
 * model (see validity.h for every definition and the R function each
 * matches).  Alpha comes from surveys/reliability.c (egdi_alpha_from_cov on
 * the factor's block of the covariances), the item correlations from
 * surveys/fa_corr.c (egdi_fa_corr_from_cov), the loadings and factor
 * correlations from the CFA result; nothing here passes over the data.
 *
 * Ownership: egdi_validity owns its arrays; scratch arrays are freed on the
 * one exit path of each function.
 */
#include "surveys/validity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_matrix.h>

#include "surveys/factor.h"

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

void egdi_validity_release(egdi_validity *v)
{
    if (!v)
        return;
    free(v->alpha);
    free(v->alpha_lo);
    free(v->alpha_hi);
    free(v->omega);
    free(v->omega_implied);
    free(v->cr);
    free(v->ave);
    free(v->sqrt_ave);
    free(v->ave_semtools);
    free(v->phi_cor);
    free(v->fl_violation);
    free(v->htmt);
    free(v->htmt2);
    memset(v, 0, sizeof *v);
}

bool egdi_validity_convergent_ok(const egdi_validity *v, size_t f)
{
    return v->cr[f] >= EGDI_VALIDITY_CR_MIN && v->ave[f] >= EGDI_VALIDITY_AVE_MIN;
}

const char *egdi_validity_htmt_mark(double h)
{
    return h >= EGDI_VALIDITY_HTMT_LIBERAL ? "**" : h >= EGDI_VALIDITY_HTMT_STRICT ? "*" : "";
}

const char *egdi_validity_harman_text(const egdi_validity *v, bool zh)
{
    if (v->harman_share < EGDI_VALIDITY_HARMAN_STRICT)
        return zh ? "低于 40%，无严重共同方法偏差" : "below 40%: no serious common-method bias";
    if (v->harman_share < EGDI_VALIDITY_HARMAN_MAX)
        return zh ? "低于 50%（高于 40%），无严重共同方法偏差"
                  : "below 50% (above 40%): no serious common-method bias";
    return zh ? "达到 50%，可能存在共同方法偏差" : "50% or more: possible common-method bias";
}

static bool alloc_all(egdi_validity *v, size_t m)
{
    double **per[] = {&v->alpha, &v->alpha_lo, &v->alpha_hi, &v->omega, &v->omega_implied,
                      &v->cr,    &v->ave,      &v->sqrt_ave, &v->ave_semtools};
    bool ok = true;
    for (size_t k = 0; k < sizeof per / sizeof per[0]; k++)
        ok &= (*per[k] = calloc(m, sizeof **per[k])) != NULL;
    ok &= (v->phi_cor = calloc(m * m, sizeof *v->phi_cor)) != NULL;
    ok &= (v->htmt = calloc(m * m, sizeof *v->htmt)) != NULL;
    ok &= (v->htmt2 = calloc(m * m, sizeof *v->htmt2)) != NULL;
    ok &= (v->fl_violation = calloc(m * m, sizeof *v->fl_violation)) != NULL;
    return ok;
}

/* Cronbach's alpha of factor f's items (their block of c) with Feldt's
 * interval. */
static egdi_status factor_alpha(const egdi_cfa_model *m, size_t f, const egdi_cov *c,
                                egdi_validity *v, egdi_error *err)
{
    const egdi_cfa_factor *fc = &m->factor[f];
    size_t k = fc->n, p = c->p;
    egdi_cov sub = {c->n, k, c->n_min, malloc(k * sizeof(double)), malloc(k * k * sizeof(double))};
    const char **names = malloc(k * sizeof *names);
    egdi_alpha a;
    memset(&a, 0, sizeof a);
    egdi_status st = EGDI_OK;
    if (!sub.mean || !sub.cov || !names) {
        st = nomem(err);
        goto done;
    }
    for (size_t s = 0; s < k; s++) {
        size_t i = fc->item[s];
        names[s] = m->item[i];
        sub.mean[s] = c->mean[i];
        for (size_t t = 0; t < k; t++)
            sub.cov[s * k + t] = c->cov[i * p + fc->item[t]];
    }
    if ((st = egdi_alpha_from_cov(&sub, names, &a, err)) != EGDI_OK) {
        char msg[EGDI_ERR_MSG_MAX];
        snprintf(msg, sizeof msg, "%s", err ? err->message : "");
        st = egdi_error_set(err, st, "factor %s: %s", fc->name, msg);
        goto done;
    }
    double n1 = (double)c->n - 1, df2 = n1 * ((double)k - 1);
    v->alpha[f] = a.alpha;
    v->alpha_lo[f] = 1 - (1 - a.alpha) * gsl_cdf_fdist_Pinv(0.975, n1, df2);
    v->alpha_hi[f] = 1 - (1 - a.alpha) * gsl_cdf_fdist_Pinv(0.025, n1, df2);
done:
    egdi_alpha_release(&a);
    egdi_cov_release(&sub);
    free(names);
    return st;
}

/* omega (observed and implied), CR, AVE of factor f. */
static egdi_status factor_convergent(const egdi_cfa_result *r, size_t f, egdi_validity *v,
                                     egdi_error *err)
{
    const egdi_cfa_model *m = r->model;
    const egdi_cfa_factor *fc = &m->factor[f];
    size_t p = r->p, nf = r->m;
    double phi = r->phi[f * nf + f];
    if (!(phi > 0))
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "factor %s has a variance of %.4g (<= 0): its reliability and "
                              "validity cannot be computed",
                              fc->name, phi);
    double sl = 0, sl2phi = 0, ss = 0, si = 0, sdiag = 0;
    double sstd = 0, sstd2 = 0, sres = 0;
    bool cross = false;
    for (size_t s = 0; s < fc->n; s++) {
        size_t i = fc->item[s];
        double l = r->lambda[i * nf + f], ls = r->std_lambda[i * nf + f];
        sl += l;
        sl2phi += l * l * phi;
        sdiag += r->sample[i * p + i];
        sstd += ls;
        sstd2 += ls * ls;
        sres += 1 - ls * ls;
        for (size_t g = 0; g < nf; g++)
            cross |= g != f && r->lambda[i * nf + g] != 0;
        for (size_t t = 0; t < fc->n; t++) {
            ss += r->sample[i * p + fc->item[t]];
            si += r->implied[i * p + fc->item[t]];
        }
    }
    double common = sl * sl * phi;
    v->omega[f] = common / ss;
    v->omega_implied[f] = common / si;
    v->cr[f] = sstd * sstd / (sstd * sstd + sres);
    v->ave[f] = sstd2 / (double)fc->n;
    v->sqrt_ave[f] = sqrt(v->ave[f]);
    v->ave_semtools[f] = cross ? NAN : sl2phi / sdiag;
    if (!isfinite(v->omega[f]) || !isfinite(v->cr[f]) || !isfinite(v->ave[f]))
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "factor %s: its reliability cannot be computed from this solution",
                              fc->name);
    return EGDI_OK;
}

/* HTMT of factors f and g from the item correlations R (p x p):
 * arithmetic (geo false) or geometric means of |r|; NaN when a geometric
 * mean meets a zero correlation. */
static double htmt_of(const egdi_cfa_model *m, const double *R, size_t f, size_t g, bool geo)
{
    size_t p = m->nitems;
    double mean[3];
    size_t pairs[3][2] = {{f, f}, {g, g}, {f, g}};
    for (size_t k = 0; k < 3; k++) {
        const egdi_cfa_factor *a = &m->factor[pairs[k][0]], *b = &m->factor[pairs[k][1]];
        double s = 0;
        size_t n = 0;
        for (size_t x = 0; x < a->n; x++)
            for (size_t y = 0; y < b->n; y++) {
                size_t i = a->item[x], j = b->item[y];
                if (i == j)
                    continue; /* the diagonal is left out (semTools sets it NA) */
                double v = fabs(R[i * p + j]);
                if (geo) {
                    if (!(v > 0))
                        return NAN;
                    v = log(v);
                }
                s += v;
                n++;
            }
        if (n == 0)
            return NAN;
        mean[k] = geo ? exp(s / (double)n) : s / (double)n;
    }
    return mean[2] / sqrt(mean[0] * mean[1]);
}

egdi_status egdi_validity_compute(const egdi_cfa_result *r, const egdi_cov *c,
                                  egdi_validity *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    const egdi_cfa_model *m = r->model;
    size_t nf = r->m, p = r->p;
    if (c->p != p)
        return egdi_error_set(err, EGDI_ERR_ARG, "validity: %zu covariances for %zu items",
                              c->p, p);
    out->m = nf;
    out->n = r->n;
    out->p = p;
    double *R = malloc(p * p * sizeof *R);
    gsl_matrix *rm = gsl_matrix_alloc(p, p);
    gsl_vector *ev = gsl_vector_alloc(p);
    gsl_eigen_symm_workspace *ew = gsl_eigen_symm_alloc(p);
    egdi_status st = EGDI_OK;
    if (!alloc_all(out, nf) || !R || !rm || !ev || !ew) {
        st = nomem(err);
        goto done;
    }
    for (size_t f = 0; f < nf; f++)
        if ((st = factor_alpha(m, f, c, out, err)) != EGDI_OK ||
            (st = factor_convergent(r, f, out, err)) != EGDI_OK)
            goto done;
    memcpy(out->phi_cor, r->phi_cor, nf * nf * sizeof *out->phi_cor);
    for (size_t f = 0; f < nf; f++)
        for (size_t g = 0; g < nf; g++)
            out->fl_violation[f * nf + g] =
                f != g && fabs(out->phi_cor[f * nf + g]) >= fmin(out->sqrt_ave[f], out->sqrt_ave[g]);
    if ((st = egdi_fa_corr_from_cov(c, (const char *const *)m->item, R, NULL, err)) != EGDI_OK)
        goto done;
    for (size_t f = 0; f < nf; f++)
        for (size_t g = 0; g < nf; g++) {
            double h = f == g ? 1.0 : htmt_of(m, R, f, g, false);
            double h2 = f == g ? 1.0 : htmt_of(m, R, f, g, true);
            if (!isfinite(h)) {
                st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                    "HTMT of factors %s and %s cannot be computed (an item "
                                    "correlation of zero in its denominator)",
                                    m->factor[f].name, m->factor[g].name);
                goto done;
            }
            out->htmt[f * nf + g] = h;
            out->htmt2[f * nf + g] = h2; /* NaN: a zero correlation; htmt2 is then not shown */
        }
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++)
            gsl_matrix_set(rm, i, j, R[i * p + j]);
    if (gsl_eigen_symm(rm, ev, ew) != 0) {
        st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                            "the eigenvalues of the items' correlations cannot be computed");
        goto done;
    }
    out->harman_eigen = gsl_vector_max(ev);
    out->harman_share = out->harman_eigen / (double)p;
done:
    free(R);
    if (rm)
        gsl_matrix_free(rm);
    if (ev)
        gsl_vector_free(ev);
    if (ew)
        gsl_eigen_symm_free(ew);
    if (st != EGDI_OK)
        egdi_validity_release(out);
    return st;
}

egdi_status egdi_validity_sqrt_ave(const egdi_dataset *ds, double *out, egdi_error *err)
{
    egdi_cfa_model m;
    egdi_cov c;
    egdi_cfa_result r;
    egdi_validity v;
    memset(&c, 0, sizeof c);
    memset(&r, 0, sizeof r);
    memset(&v, 0, sizeof v);
    egdi_status st = egdi_cfa_model_from_scales(ds, &m, err);
    if (st != EGDI_OK)
        return st;
    if ((st = egdi_cfa_dataset_cov(ds, &m, &c, NULL, err)) != EGDI_OK ||
        (st = egdi_cfa_estimate(&m, &c, NULL, &r, err)) != EGDI_OK)
        goto done;
    if (!alloc_all(&v, m.nfactors)) {
        st = nomem(err);
        goto done;
    }
    for (size_t f = 0; f < m.nfactors; f++) {
        if ((st = factor_convergent(&r, f, &v, err)) != EGDI_OK)
            goto done;
        out[f] = v.sqrt_ave[f];
    }
done:
    egdi_validity_release(&v);
    egdi_cfa_result_release(&r);
    egdi_cov_release(&c);
    egdi_cfa_model_release(&m);
    return st;
}
