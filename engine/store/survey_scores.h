/*
 * survey_scores.h - the SQL of a score run's survey indicators (tables
 * survey_indicator and survey_score, store.h): for each indicator of the
 * model computed from a survey, the survey, round, scale or items, the
 * statistic and the quality gates with their figures; for each unit, its
 * value with n, mean, SD and SE (a region's two parts), the metric imported
 * for the same indicator and unit, which of the two was used and why.
 *
 * Plain C values only (indicators/survey_source.c converts).  Rows passed
 * in are only read; rows handed to a callback are borrowed for that call.
 * NaN stands for SQL NULL in numbers, NULL in strings.  Saving runs in the
 * caller's transaction (the score run's: egdi_store_score_run.also).
 */
#ifndef EGDI_STORE_SURVEY_SCORES_H
#define EGDI_STORE_SURVEY_SCORES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

/* One survey indicator of a run. */
typedef struct {
    const char *node;       /* the model node's code */
    const char *survey;
    int round;
    const char *scale;      /* the scale (dimension) used, or NULL */
    const char *items;      /* the items used, "Q1,Q2,Q3 (R)", or NULL */
    const char *statistic;  /* "mean", "top:4" */
    const char *conflict;   /* which wins over an imported metric: "survey", "metric" */
    size_t respondents;     /* of the round, rating a unit */
    size_t gate_n;          /* of them, answering every item (the gates' n) */
    size_t min_n;
    double alpha, min_alpha;
    double cr_min;          /* the lowest critical ratio of the items */
    const char *cr_failed;  /* items failing the item analysis, or NULL */
    bool item_check;
    double kmo, min_kmo;
    const char *failed;     /* the gates that failed, with their figures; NULL = passed */
    const char *note;       /* why the survey gave no value at all, or NULL */
    const char *batches;    /* the import batches read, "3,5", or NULL */
} egdi_store_survey_indicator;

/* One unit's value of a survey indicator. */
typedef struct {
    int64_t unit_id;
    const char *node;
    size_t n;               /* respondents behind the value */
    double value, mean, sd, se;
    double dept_value;      /* a region: its departments' part */
    size_t dept_units;      /* departments in that part */
    size_t own_n;           /* respondents rating the region itself */
    double own_value;       /* their part */
    double metric;          /* a metric imported for the same unit and indicator */
    const char *used;       /* "survey", "metric", or NULL (no value) */
    const char *note;       /* why the survey's value is not used, or NULL */
    const char *batches;    /* the imports its respondents came from, "3,5" */
} egdi_store_survey_score;

/* Saves the indicators and unit values of run run_id. */
egdi_status egdi_store_survey_scores_save(egdi_store *s, int64_t run_id,
                                          const egdi_store_survey_indicator *ind, size_t nind,
                                          const egdi_store_survey_score *sc, size_t nsc,
                                          egdi_error *err);

typedef egdi_status (*egdi_store_survey_indicator_fn)(void *ctx,
                                                      const egdi_store_survey_indicator *row,
                                                      egdi_error *err);
typedef egdi_status (*egdi_store_survey_score_fn)(void *ctx, const egdi_store_survey_score *row,
                                                  egdi_error *err);

/* The survey indicators of run run_id, by node code. */
egdi_status egdi_store_survey_indicators_each(egdi_store *s, int64_t run_id,
                                              egdi_store_survey_indicator_fn fn, void *ctx,
                                              egdi_error *err);

/* The unit values of run run_id (of unit unit_id only, when not 0). */
egdi_status egdi_store_survey_scores_each(egdi_store *s, int64_t run_id, int64_t unit_id,
                                          egdi_store_survey_score_fn fn, void *ctx,
                                          egdi_error *err);

#endif
