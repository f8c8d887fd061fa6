/*
 * summary.h - the questionnaire statistics a yearly report shows for a
 * stored survey, computed the way the pilot's method prescribes: item
 * analysis by critical ratio, Cronbach's alpha overall and per dimension,
 * KMO and Bartlett, and an exploratory factor analysis (principal
 * components, varimax, factors with eigenvalue > 1, with the 95 % parallel
 * analysis line for the scree plot); and, when the survey has dimensions,
 * the confirmatory factor analysis of them (each a factor: surveys/cfa.h)
 * with its reliability and validity tables (surveys/validity.h).
 *
 * The data are a survey dataset (surveys/dataset.h) as defined by the store
 * or options: its items, reverse keys (reversed on the declared scale,
 * MIN + MAX - x) and dimensions.  Missing answers are deleted listwise as
 * SPSS does, per analysis: the item analysis, overall alpha, KMO and the
 * factor analysis use the rows answering every item (n); the alpha of a
 * dimension uses the rows answering every item of that dimension
 * (scale_alpha[k].n), as SPSS RELIABILITY run once per scale and as
 * `egdi survey alpha` does.
 *
 * The summary owns its arrays (the item and scale names are borrowed from
 * the dataset, which must outlive it); egdi_survey_summary_release() frees
 * them.
 */
#ifndef EGDI_SUMMARY_H
#define EGDI_SUMMARY_H

#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/cfa.h"
#include "surveys/dataset.h"
#include "surveys/factor.h"
#include "surveys/itemanalysis.h"
#include "surveys/reliability.h"
#include "surveys/validity.h"

typedef struct {
    size_t n_read;       /* respondents stored */
    size_t n;            /* respondents answering every item */
    size_t p;            /* items */
    char **items;        /* p item codes (borrowed from the dataset) */
    double *x;           /* n x p column-major, reversed where keyed */
    egdi_cr cr;
    egdi_alpha alpha;
    size_t nscales;
    char **scale_names;  /* borrowed */
    egdi_alpha *scale_alpha; /* nscales, each listwise on its own items
                                (.n rows); a scale of < 2 items has p == 0 */
    double *r;           /* p x p correlations */
    egdi_fa_kmo kmo;
    egdi_fa_result fa;
    /* The CFA of the dimensions (each a factor, the first loading fixed,
     * listwise over their items: what `egdi survey cfa` and `egdi survey
     * validity` print for the stored survey) and its reliability and
     * validity.  have_cfa false when the survey has no dimensions, or when
     * the model cannot be fitted: cfa_note then says why (a dimension of
     * one item, no convergence...), and the rest of the summary stands. */
    bool have_cfa;
    egdi_cfa_model *cfa_model; /* the result borrows it */
    egdi_cfa_result cfa;
    egdi_validity validity;
    size_t cfa_n_read;
    char cfa_note[EGDI_ERR_MSG_MAX];
} egdi_survey_summary;

/* Computes everything above for the items and scales of ds. */
egdi_status egdi_survey_summary_compute(const egdi_dataset *ds, egdi_survey_summary *out,
                                  egdi_error *err);
void egdi_survey_summary_release(egdi_survey_summary *s);

#endif
