/*
 * summary.h - the questionnaire statistics a yearly report shows for a
 * stored survey, computed the way the pilot's method prescribes: item
 * analysis by critical ratio, Cronbach's alpha overall and per dimension,
 * KMO and Bartlett, and an exploratory factor analysis (principal
 * components, varimax, factors with eigenvalue > 1, with the 95 % parallel
 * analysis line for the scree plot).
 *
 * Reverse-keyed items are reversed on the declared scale (MIN + MAX - x);
 * respondents with a missing answer are left out (listwise, as SPSS).
 * The summary owns its arrays; egdi_survey_summary_free() frees them.
 */
#ifndef EGDI_SUMMARY_H
#define EGDI_SUMMARY_H

#include <stddef.h>

#include "engine/core/error.h"
#include "surveys/factor.h"
#include "surveys/itemanalysis.h"
#include "surveys/reliability.h"
#include "engine/store/survey_store.h"

typedef struct {
    size_t n_read;       /* respondents stored */
    size_t n;            /* complete respondents used */
    size_t p;            /* items */
    char **items;        /* p item codes (borrowed from the survey data) */
    double *x;           /* n x p column-major, reversed where keyed */
    egdi_cr cr;
    egdi_alpha alpha;
    size_t nscales;
    char **scale_names;  /* borrowed */
    egdi_alpha *scale_alpha; /* nscales; a scale of < 2 items has p == 0 */
    double *r;           /* p x p correlations */
    egdi_fa_kmo kmo;
    egdi_fa_result fa;
} egdi_survey_summary;

/* Computes everything above for survey data d. */
egdi_status egdi_survey_summarise(const egdi_survey_data *d, egdi_survey_summary *out,
                                  egdi_error *err);
void egdi_survey_summary_free(egdi_survey_summary *s);

#endif
