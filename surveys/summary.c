/*
 * summary.c - the report's questionnaire statistics (see summary.h): one
 * listwise matrix of every item for the covariances behind alpha, the item
 * analysis, KMO and the factor analysis; one matrix per scale for its
 * alpha (egdi_alpha_dataset); the CFA of the dimensions from the same
 * covariances when its items are all the items (the same complete rows),
 * else from their own pass (egdi_cfa_dataset_cov).
 */
#include "surveys/summary.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void egdi_survey_summary_release(egdi_survey_summary *s)
{
    if (!s)
        return;
    free(s->items);
    free(s->x);
    egdi_cr_release(&s->cr);
    egdi_alpha_release(&s->alpha);
    for (size_t k = 0; k < s->nscales; k++)
        egdi_alpha_release(&s->scale_alpha[k]);
    free(s->scale_alpha);
    free(s->scale_names);
    free(s->r);
    egdi_fa_kmo_release(&s->kmo);
    egdi_fa_result_release(&s->fa);
    egdi_validity_release(&s->validity);
    egdi_cfa_result_release(&s->cfa);
    egdi_cfa_model_release(s->cfa_model);
    free(s->cfa_model);
    memset(s, 0, sizeof *s);
}

/* The complete, reversed item matrix of every item. */
static egdi_status item_matrix(const egdi_dataset *ds, egdi_survey_summary *s, egdi_error *err)
{
    egdi_item_matrix m;
    egdi_status st = egdi_dataset_matrix(ds, ds->item, ds->nitems, EGDI_LISTWISE, &m, err);
    if (st != EGDI_OK)
        return st;
    s->n_read = m.n_read;
    s->n = m.n;
    s->p = m.p;
    s->x = m.x;
    m.x = NULL;
    s->items = malloc((m.p ? m.p : 1) * sizeof *s->items);
    if (!s->items) {
        egdi_dataset_matrix_release(&m);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t j = 0; j < m.p; j++)
        s->items[j] = (char *)m.names[j];
    egdi_dataset_matrix_release(&m);
    if (s->p < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "%s has fewer than two items", ds->source);
    if (s->n <= s->p)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "%s: %zu complete respondents for %zu items",
                              ds->source, s->n, s->p);
    return EGDI_OK;
}

/* Alpha of each scale of the dataset, listwise on the scale's own items
 * (egdi_alpha_scales, as `egdi survey alpha`). */
static egdi_status scale_alphas(const egdi_dataset *ds, egdi_survey_summary *s, egdi_error *err)
{
    s->scale_names = calloc(ds->nscales ? ds->nscales : 1, sizeof *s->scale_names);
    s->scale_alpha = calloc(ds->nscales ? ds->nscales : 1, sizeof *s->scale_alpha);
    if (!s->scale_names || !s->scale_alpha)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status st = egdi_alpha_scales(ds, EGDI_LISTWISE, s->scale_alpha, err);
    if (st != EGDI_OK)
        return st;
    for (size_t k = 0; k < ds->nscales; k++)
        s->scale_names[k] = ds->scale[k].name;
    s->nscales = ds->nscales;
    return EGDI_OK;
}

/* The covariances of the model's items: a reordered copy of cov (every
 * item, listwise) when the model has exactly the summary's items, else
 * their own listwise pass. */
static egdi_status cfa_cov(const egdi_dataset *ds, const egdi_cfa_model *m, const egdi_cov *cov,
                           egdi_survey_summary *s, egdi_cov *out, egdi_error *err)
{
    size_t p = m->nitems;
    size_t *cols = malloc((p ? p : 1) * sizeof *cols), *at = malloc((p ? p : 1) * sizeof *at);
    egdi_status st = EGDI_OK;
    if (!cols || !at) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    bool same = p == ds->nitems && egdi_cfa_model_columns(m, ds, cols, NULL) == EGDI_OK;
    for (size_t i = 0; same && i < p; i++) {
        size_t k = 0;
        while (k < ds->nitems && ds->item[k] != cols[i])
            k++;
        same = k < ds->nitems;
        at[i] = k;
    }
    if (!same) {
        st = egdi_cfa_dataset_cov(ds, m, out, &s->cfa_n_read, err);
        goto done;
    }
    memset(out, 0, sizeof *out);
    out->n = cov->n;
    out->n_min = cov->n_min;
    out->p = p;
    out->mean = malloc(p * sizeof *out->mean);
    out->cov = malloc(p * p * sizeof *out->cov);
    if (!out->mean || !out->cov) {
        egdi_cov_release(out);
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < p; i++) {
        out->mean[i] = cov->mean[at[i]];
        for (size_t j = 0; j < p; j++)
            out->cov[i * p + j] = cov->cov[at[i] * cov->p + at[j]];
    }
    s->cfa_n_read = s->n_read;
done:
    free(cols);
    free(at);
    return st;
}

/* The CFA of the dimensions and its validity; a model that cannot be
 * fitted leaves a note (only running out of memory fails). */
static egdi_status cfa_tables(const egdi_dataset *ds, const egdi_cov *cov, egdi_survey_summary *s,
                              egdi_error *err)
{
    if (ds->nscales == 0)
        return EGDI_OK;
    egdi_error e;
    egdi_error_clear(&e);
    egdi_cov c;
    memset(&c, 0, sizeof c);
    egdi_status st;
    if (!(s->cfa_model = calloc(1, sizeof *s->cfa_model)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    if ((st = egdi_cfa_model_from_scales(ds, s->cfa_model, &e)) == EGDI_OK &&
        (st = cfa_cov(ds, s->cfa_model, cov, s, &c, &e)) == EGDI_OK &&
        (st = egdi_cfa_estimate(s->cfa_model, &c, NULL, &s->cfa, &e)) == EGDI_OK &&
        (st = egdi_validity_compute(&s->cfa, &c, &s->validity, &e)) == EGDI_OK)
        s->have_cfa = true;
    egdi_cov_release(&c);
    if (st == EGDI_ERR_NOMEM)
        return egdi_error_set(err, st, "out of memory");
    if (st != EGDI_OK) {
        snprintf(s->cfa_note, sizeof s->cfa_note, "%s", e.message);
        egdi_cfa_result_release(&s->cfa);
    }
    return EGDI_OK;
}

egdi_status egdi_survey_summary_compute(const egdi_dataset *ds, egdi_survey_summary *out,
                                  egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_status rc;
    egdi_fa_work *w = NULL;
    egdi_cov cov = {0};
    const char *const *names;
    if ((rc = item_matrix(ds, out, err)) != EGDI_OK)
        goto fail;
    names = (const char *const *)out->items;
    /* one pass over the data: the covariances feed alpha (overall and per
     * dimension), the item analysis and the correlation matrix */
    egdi_cr_opts co;
    egdi_cr_opts_init(&co);
    if ((rc = egdi_cov_compute(out->x, out->n, out->p, false, names, &cov, err)) != EGDI_OK ||
        (rc = egdi_alpha_from_cov(&cov, names, &out->alpha, err)) != EGDI_OK ||
        (rc = egdi_cr_compute_with(out->x, out->n, out->p, names, &out->alpha, &co, &out->cr,
                                   err)) != EGDI_OK ||
        (rc = scale_alphas(ds, out, err)) != EGDI_OK)
        goto fail;
    out->r = malloc(out->p * out->p * sizeof *out->r);
    w = egdi_fa_work_alloc(out->p);
    if (!out->r || !w) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((rc = egdi_fa_corr_from_cov(&cov, names, out->r, NULL, err)) != EGDI_OK ||
        (rc = egdi_fa_kmo_compute(out->r, out->p, out->n, names, &out->kmo, err)) != EGDI_OK)
        goto fail;
    egdi_fa_options fo;
    egdi_fa_options_init(&fo);
    fo.method = EGDI_FA_PCA;
    fo.rotation = EGDI_FA_ROT_VARIMAX;
    fo.rule = EGDI_FA_NFACT_KAISER;
    if ((rc = egdi_fa_run(out->r, out->p, out->n, names, &fo, w, &out->fa, err)) != EGDI_OK)
        goto fail;
    /* the parallel-analysis line for the scree plot (the factors stay Kaiser's) */
    fo.rule = EGDI_FA_NFACT_PARALLEL;
    size_t kpar;
    out->fa.parallel = malloc(out->p * sizeof *out->fa.parallel);
    if (!out->fa.parallel) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((rc = egdi_fa_nfactors(out->r, out->p, out->n, &fo, w, &kpar, NULL, out->fa.parallel,
                               err)) != EGDI_OK ||
        (rc = cfa_tables(ds, &cov, out, err)) != EGDI_OK)
        goto fail;
    egdi_fa_work_free(w);
    egdi_cov_release(&cov);
    return EGDI_OK;
fail:
    egdi_fa_work_free(w);
    egdi_cov_release(&cov);
    egdi_survey_summary_release(out);
    return rc;
}
