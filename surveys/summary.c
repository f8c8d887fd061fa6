/*
 * summary.c - the report's questionnaire statistics (see summary.h).
 */
#include "surveys/summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void egdi_survey_summary_free(egdi_survey_summary *s)
{
    if (!s)
        return;
    free(s->items);
    free(s->x);
    egdi_cr_free(&s->cr);
    egdi_alpha_free(&s->alpha);
    for (size_t k = 0; k < s->nscales; k++)
        egdi_alpha_free(&s->scale_alpha[k]);
    free(s->scale_alpha);
    free(s->scale_names);
    free(s->r);
    egdi_fa_kmo_free(&s->kmo);
    egdi_fa_result_free(&s->fa);
    memset(s, 0, sizeof *s);
}

/* The complete, reversed item matrix. */
static egdi_status item_matrix(const egdi_survey_data *d, egdi_survey_summary *s,
                               egdi_error *err)
{
    size_t *cols = malloc((d->ncols ? d->ncols : 1) * sizeof *cols);
    if (!cols)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t c = 0; c < d->ncols; c++)
        if (d->is_item[c])
            cols[s->p++] = c;
    s->items = malloc((s->p ? s->p : 1) * sizeof *s->items);
    s->x = malloc((d->n ? d->n : 1) * (s->p ? s->p : 1) * sizeof *s->x);
    if (!s->items || !s->x) {
        free(cols);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    for (size_t j = 0; j < s->p; j++)
        s->items[j] = d->codes[cols[j]];
    s->n_read = d->n;
    for (size_t i = 0; i < d->n; i++) {
        bool complete = true;
        for (size_t j = 0; j < s->p && complete; j++)
            complete = !isnan(d->num[cols[j]][i]);
        if (!complete)
            continue;
        for (size_t j = 0; j < s->p; j++) {
            double v = d->num[cols[j]][i];
            if (d->reversed[cols[j]])
                v = d->scale_min + d->scale_max - v;
            s->x[j * d->n + s->n] = v;
        }
        s->n++;
    }
    /* close the gaps left by incomplete respondents: column j starts at j*n */
    for (size_t j = 1; j < s->p; j++)
        memmove(s->x + j * s->n, s->x + j * d->n, s->n * sizeof *s->x);
    free(cols);
    if (s->p < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "survey \"%s\" has fewer than two items",
                              d->name);
    if (s->n <= s->p)
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "survey \"%s\": %zu complete respondents for %zu items",
                              d->name, s->n, s->p);
    return EGDI_OK;
}

/* Alpha of each dimension named in the survey's columns, from the rows and
 * columns of the full covariance matrix c that belong to it. */
static egdi_status scale_alphas(const egdi_survey_data *d, const egdi_cov *c,
                                egdi_survey_summary *s, egdi_error *err)
{
    s->scale_names = calloc(d->ncols ? d->ncols : 1, sizeof *s->scale_names);
    s->scale_alpha = calloc(d->ncols ? d->ncols : 1, sizeof *s->scale_alpha);
    size_t *idx = malloc(s->p * sizeof *idx);
    const char **names = malloc(s->p * sizeof *names);
    egdi_cov sub = {.n = c->n, .n_min = c->n_min};
    sub.mean = malloc(s->p * sizeof *sub.mean);
    sub.cov = malloc(s->p * s->p * sizeof *sub.cov);
    egdi_status rc = EGDI_OK;
    if (!s->scale_names || !s->scale_alpha || !idx || !names || !sub.mean || !sub.cov) {
        rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t col = 0; col < d->ncols; col++) {
        const char *dim = d->dimension[col];
        if (!d->is_item[col] || !dim)
            continue;
        bool seen = false;
        for (size_t k = 0; k < s->nscales && !seen; k++)
            seen = strcmp(s->scale_names[k], dim) == 0;
        if (seen)
            continue;
        size_t q = 0;
        for (size_t c2 = 0, j = 0; c2 < d->ncols; c2++) {
            if (!d->is_item[c2])
                continue;
            if (d->dimension[c2] && strcmp(d->dimension[c2], dim) == 0) {
                idx[q] = j;
                names[q++] = d->codes[c2];
            }
            j++;
        }
        sub.p = q;
        for (size_t u = 0; u < q; u++) {
            sub.mean[u] = c->mean[idx[u]];
            for (size_t v = 0; v < q; v++)
                sub.cov[u * q + v] = c->cov[idx[u] * c->p + idx[v]];
        }
        size_t k = s->nscales++;
        s->scale_names[k] = d->dimension[col];
        if (q >= 2 &&
            (rc = egdi_alpha_from_cov(&sub, names, &s->scale_alpha[k], err)) != EGDI_OK)
            goto done;
    }
done:
    free(idx);
    free(names);
    egdi_cov_free(&sub);
    return rc;
}

egdi_status egdi_survey_summarise(const egdi_survey_data *d, egdi_survey_summary *out,
                                  egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_status rc;
    egdi_fa_work *w = NULL;
    egdi_cov cov = {0};
    const char *const *names;
    if ((rc = item_matrix(d, out, err)) != EGDI_OK)
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
        (rc = scale_alphas(d, &cov, out, err)) != EGDI_OK)
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
                               err)) != EGDI_OK)
        goto fail;
    egdi_fa_work_free(w);
    egdi_cov_free(&cov);
    return EGDI_OK;
fail:
    egdi_fa_work_free(w);
    egdi_cov_free(&cov);
    egdi_survey_summary_free(out);
    return rc;
}
