/*
 * report_build.h - the yearly report's data gathered from the store: the
 * stored score run of a round (and of the round compared with), every
 * indicator value with its source cell, the region trend across the scored
 * rounds, the method facts, and the round's questionnaire statistics.
 *
 * An egdi_report_bundle owns everything the egdi_report_data it exposes
 * points at; egdi_report_bundle_free() frees it all.
 */
#ifndef EGDI_REPORT_BUILD_H
#define EGDI_REPORT_BUILD_H

#include "engine/core/error.h"
#include "reports/report.h"
#include "engine/store/store.h"
#include "surveys/summary.h"

typedef struct {
    int round;                   /* the scored round to report */
    int compare;                 /* a scored round to compare with; 0 = none */
    egdi_report_lang lang;
    const char *model;           /* model name; NULL = the round's latest run */
    const char *survey;          /* survey name; NULL = the first of the round */
    const char *program_version; /* for the Method sheet */
    const char *store_path;      /* the store's file: input files are named
                                    relative to its folder; NULL = base names */
} egdi_report_build_opts;

typedef struct egdi_report_bundle egdi_report_bundle;

egdi_status egdi_report_build(egdi_store *s, const egdi_report_build_opts *o,
                              egdi_report_bundle **out, egdi_error *err);

/* The data to hand to egdi_report_write(); borrowed from the bundle. */
const egdi_report_data *egdi_report_bundle_data(const egdi_report_bundle *b);

/* The survey statistics, or NULL when the round has no survey (borrowed). */
const egdi_survey_summary *egdi_report_bundle_survey(const egdi_report_bundle *b);

/* Why the survey part is missing when the round has a survey whose
 * statistics could not be computed ("" otherwise; borrowed). */
const char *egdi_report_bundle_survey_note(const egdi_report_bundle *b);

void egdi_report_bundle_free(egdi_report_bundle *b);

/* A regression of the paper tables: y on x[0..nx), entered together (a
 * column of text enters as dummy variables, egdi_regress_dataset). */
typedef struct {
    const char *y;             /* a column or a scale */
    const char *const *x;
    size_t nx;
} egdi_report_regression;

/* The most grouping columns and regressions of one call. */
#define EGDI_REPORT_MAX_GROUPS 16
#define EGDI_REPORT_MAX_MODELS 16
/* The most groups a group test compares (a column with more is refused). */
#define EGDI_REPORT_MAX_LEVELS 12

typedef struct {
    const char *const *profile;     /* demographic columns of the profile */
    size_t nprofile;
    const char *const *groups;      /* grouping columns: each scale score by each */
    size_t ngroups;                 /* <= EGDI_REPORT_MAX_GROUPS */
    const egdi_report_regression *models;
    size_t nmodels;                 /* <= EGDI_REPORT_MAX_MODELS */
} egdi_report_paper_opts;

/*
 * The survey tables alone (for `egdi survey report`): the tables the yearly
 * report shows for ds (item analysis, reliability, KMO and Bartlett, the
 * EFA, the CFA and validity tables), preceded by the sample profile of the
 * columns o->profile (none when 0; surveys/profile.c) and the items'
 * descriptives, and followed by the scale scores' correlations (when ds
 * has two scales or more), then, for each of o->groups, every scale score
 * compared across its groups (two: the independent t-test of
 * egdi_ttest_independent, Welch's row when Levene's p < .05, as `egdi
 * survey ttest`; more: the one-way ANOVA of egdi_anova_oneway, as `egdi
 * survey anova`), then each regression of o->models (egdi_regress_dataset:
 * its model summary and its coefficients, as `egdi survey regress`), in
 * the order a thesis uses.  The tables not produced (no group column, no
 * regression, fewer than two scales) are named in the survey's omitted
 * lines with the option that produces them.  o may be NULL (none of
 * these).  ds is borrowed and must outlive the bundle; name titles it.
 * egdi_report_bundle_data(b)->survey holds the tables.  EGDI_ERR_ARG for
 * an unknown column, a grouping column with fewer than two or more than
 * EGDI_REPORT_MAX_LEVELS groups, group tests without scales; the
 * statistics' errors, naming the scale and the column.
 */
egdi_status egdi_report_build_survey(const egdi_dataset *ds, const char *name,
                                     const egdi_report_paper_opts *o, egdi_report_lang lang,
                                     egdi_report_bundle **out, egdi_error *err);

#endif
