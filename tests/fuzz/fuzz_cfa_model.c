/*
 * fuzz_cfa_model.c - libFuzzer target: bytes -> the CFA model text parser
 * (surveys/cfa_model.c, `egdi survey cfa --model`).  A model that parses
 * is checked against the parser's promises (every factor named and with
 * items, item indices in range, names non-empty and NUL-terminated within
 * the limits, no factor also an item, no item twice under one factor, every
 * item under some factor), and a failure must say why.  A small model is
 * then fitted (at most 20 iterations) to covariances made from it, so the
 * estimator meets odd shapes too (cross-loadings, one-item factors,
 * negative df): it may refuse, never crash.
 * Seed corpus: tests/fuzz/corpus/cfa_model/.  `make fuzz FUZZ=cfa_model`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "surveys/cfa.h"
#include "surveys/cfa_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const egdi_cfa_model *m)
{
    if (m->nfactors == 0 || m->nfactors > EGDI_CFA_MAX_FACTORS || m->nitems == 0 ||
        m->nitems > EGDI_CFA_MAX_ITEMS)
        abort();
    char *used = calloc(m->nitems, 1);
    if (!used)
        return;
    for (size_t f = 0; f < m->nfactors; f++) {
        const egdi_cfa_factor *fc = &m->factor[f];
        size_t len = strlen(fc->name);
        if (len == 0 || len > EGDI_CFA_NAME_MAX || fc->n == 0)
            abort();
        for (size_t a = 0; a < fc->n; a++) {
            if (fc->item[a] >= m->nitems)
                abort();
            used[fc->item[a]] = 1;
            for (size_t b = 0; b < a; b++)
                if (fc->item[a] == fc->item[b])
                    abort();
        }
        for (size_t i = 0; i < m->nitems; i++)
            if (strcmp(fc->name, m->item[i]) == 0)
                abort();
    }
    for (size_t i = 0; i < m->nitems; i++) {
        size_t len = strlen(m->item[i]);
        if (!used[i] || len == 0 || len > EGDI_CFA_NAME_MAX)
            abort();
    }
    free(used);
}

/* Covariances of the model with loadings 0.7 + small steps, factor
 * correlations 0.3, residual variances 0.5, as of 200 respondents. */
static void fit(const egdi_cfa_model *m)
{
    size_t p = m->nitems, nf = m->nfactors;
    double *lam = calloc(p * nf, sizeof *lam);
    egdi_cov c = {200, p, 200, calloc(p, sizeof(double)), calloc(p * p, sizeof(double))};
    if (!lam || !c.mean || !c.cov)
        goto done;
    for (size_t f = 0; f < nf; f++)
        for (size_t a = 0; a < m->factor[f].n; a++)
            lam[m->factor[f].item[a] * nf + f] = 0.7 + 0.01 * (double)(a % 7);
    for (size_t i = 0; i < p; i++)
        for (size_t j = 0; j < p; j++) {
            double v = i == j ? 0.5 : 0;
            for (size_t f = 0; f < nf; f++)
                for (size_t g = 0; g < nf; g++)
                    v += lam[i * nf + f] * (f == g ? 1.0 : 0.3) * lam[j * nf + g];
            c.cov[i * p + j] = v;
        }
    egdi_cfa_options o;
    egdi_cfa_options_init(&o);
    o.max_iter = 20;
    egdi_cfa_result r;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_cfa_estimate(m, &c, &o, &r, &err);
    if (st != EGDI_OK && err.message[0] == '\0')
        abort();
    egdi_cfa_result_release(&r);
done:
    free(lam);
    egdi_cov_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gsl_set_error_handler_off(); /* the library's contract: the caller turns GSL's abort off */
    egdi_cfa_model m;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_cfa_model_parse((const char *)data, size, &m, &err);
    if (st != EGDI_OK) {
        if (err.message[0] == '\0' || m.nfactors != 0 || m.factor || m.item)
            abort(); /* every failure says why and leaves nothing behind */
        return 0;
    }
    check(&m);
    if (m.nitems <= 24)
        fit(&m);
    egdi_cfa_model_release(&m);
    return 0;
}
