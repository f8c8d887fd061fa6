/*
 * survey_source.h - the model's indicators computed from a survey, per
 * unit, at score time (a leaf with source survey:NAME, model.h): each
 * unit's value from the stored responses of the round that rate it, with
 * the quality gates of the scale and the rule for a metric imported for the
 * same indicator and unit.
 *
 * For each survey leaf of the model, in catalogue order:
 *   1. the respondents of the round that rate a unit (their import's round,
 *      else the survey's) are read once per survey, in one pass over its
 *      stored responses (surveys/dataset.h, egdi_dataset_load_rated);
 *   2. the items: the scale (a dimension of the survey) or the item list,
 *      reversed where keyed (MIN + MAX - x on the declared scale);
 *   3. the gates, on the rows answering every item (listwise, SPSS): the
 *      alpha of the items (surveys/reliability.h, the alpha of `egdi survey
 *      alpha`), every item passing the item analysis (surveys/itemanalysis.h:
 *      CR >= 3 with p < .05 and corrected r >= .40), KMO (surveys/factor.h);
 *      a gate that fails leaves the indicator without a value for every unit
 *      (the gate figures say why), or stops the scoring (gate refuse);
 *   4. each respondent's score = the mean of the items (NaN when one is
 *      missing: egdi_dataset_scale_scores), then one pass grouped by unit:
 *      n, mean, SD (n - 1) and SE = SD / sqrt(n) of the scores; with
 *      statistic top:V the value is the share (%) of scores >= V, its SD
 *      100 sqrt(p (1 - p) n / (n - 1)) and SE = SD / sqrt(n);
 *   5. a unit with fewer than min_n respondents gets no value (that
 *      reason); a region's value combines its departments' values and its
 *      own respondents' as the model combines a region's sub-indices:
 *      share * D + (1 - share) * R, D the mean (region_method weighted:CODE:
 *      the mean weighted by CODE) of its departments that have a value, R
 *      the value of the respondents rating the region itself (min_n of
 *      them); one part alone when the other has none; its SE from the parts'
 *      (sqrt(share^2 SE_D^2 + (1 - share)^2 SE_R^2), SE_D = sqrt(sum w^2
 *      SE^2) / sum w);
 *   6. merged into the round's raw values: where a metric was imported for
 *      the same indicator and unit, both are kept and the model's conflict
 *      rule picks one (a conflict); where only one has a value, it is used.
 * A survey the store does not hold, or one without respondents of the
 * round that rate a unit, gives no value (the note says which) and the
 * imported metrics are used as they are.
 *
 * survey_source.c computes and merges; survey_runs.c saves a run's
 * indicators, reads them back and says what they are.
 *
 * egdi_survey_results owns every array and string in it;
 * egdi_survey_results_release() frees them.  A model's survey leaves and
 * the units are the caller's and must outlive the results.
 */
#ifndef EGDI_SURVEY_SOURCE_H
#define EGDI_SURVEY_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"
#include "indicators/model.h"
#include "indicators/round.h"

/* Why a unit has a value of a survey indicator, or has none. */
typedef enum {
    EGDI_SURVEY_NONE = 0, /* no respondent rates it (or the survey gave nothing) */
    EGDI_SURVEY_VALUE,    /* a value */
    EGDI_SURVEY_FEW,      /* fewer respondents than min_n */
    EGDI_SURVEY_GATE      /* the items failed a gate */
} egdi_survey_state;

/* Which value a unit's indicator took. */
typedef enum { EGDI_USED_NONE = 0, EGDI_USED_SURVEY, EGDI_USED_METRIC } egdi_survey_used;

/* One unit's value of a survey indicator. */
typedef struct {
    size_t n;             /* respondents with a score behind it (a region: its
                             departments' used and its own) */
    double value;         /* the statistic; NaN when none */
    double mean, sd, se;  /* of the respondents' scores (mean statistic: value
                             = mean), SD and SE of the statistic; a region:
                             mean = value, SD NaN (a blend, not one sample) */
    double dept_value;    /* a region: the departments' part D, NaN */
    size_t dept_units;    /* departments in it */
    size_t own_n;         /* a region: respondents rating the region itself */
    double own_value;     /* their part R, NaN */
    unsigned char state;  /* egdi_survey_state */
    double metric;        /* a metric imported for the same unit, NaN */
    unsigned char used;   /* egdi_survey_used */
    char *batches;        /* the imports its respondents came from ("3,5"), or NULL */
} egdi_survey_value;

/* One survey indicator of the model. */
typedef struct {
    size_t node;          /* its index in the model */
    char *survey;
    int round;
    char *scale;          /* the scale used, or NULL (an item list) */
    char *items;          /* the items used, "S1,S2,S3 (R)"; NULL when not read */
    char *statistic;      /* "mean", "top:4" */
    egdi_conflict_rule conflict;
    size_t respondents;   /* of the round, rating a unit */
    size_t gate_n;        /* of them, answering every item */
    size_t min_n;
    double alpha, min_alpha, cr_min, kmo, min_kmo; /* NaN: not computed / not checked */
    bool item_check;
    char *cr_failed;      /* "S4 (CR 1.23, r 0.05)": items failing the item analysis */
    char *failed;         /* the gates that failed, with their figures; NULL = passed */
    char *note;           /* why the survey gave nothing at all; NULL = it was read */
    char *batches;        /* the imports read, "3,5" */
    egdi_survey_value *unit; /* nunits, in the round's unit order */
} egdi_survey_indicator;

typedef struct {
    size_t nunits;
    size_t n;
    egdi_survey_indicator *v; /* one per survey leaf, in catalogue order */
} egdi_survey_results;

void egdi_survey_results_release(egdi_survey_results *r);

/*
 * Computes every survey leaf of m for the units of in (a round from the
 * store: unit_ids set) from the respondents of round year (steps 1-5
 * above).  A survey leaf naming a scale or items the survey does not have,
 * a survey whose declared scale is not the likert rule's, or a failed gate
 * with gate refuse is EGDI_ERR_ARG / EGDI_ERR_VALUE naming the indicator.
 * out is zeroed first (released on failure).
 */
egdi_status egdi_survey_compute(egdi_store *s, const egdi_model *m, int year,
                                const egdi_round_input *in, egdi_survey_results *out,
                                egdi_error *err);

/* Step 6: writes each survey leaf's values into in->raw by the conflict
 * rule, recording the imported metric and which value was used. */
void egdi_survey_merge(const egdi_model *m, egdi_survey_results *r, egdi_round_input *in);

/*
 * Saves r for run run_id (engine/store/survey_scores.h), inside the run's
 * transaction: the shape of egdi_store_score_run.also, ctx = a struct
 * egdi_survey_save_ctx.
 */
typedef struct {
    const egdi_model *m;
    const egdi_round_input *in;
    const egdi_survey_results *r;
} egdi_survey_save_ctx;

egdi_status egdi_survey_save(egdi_store *s, int64_t run_id, void *ctx, egdi_error *err);

/* Reads back the survey indicators of stored run run_id, for the model and
 * units of that run (egdi_score_load_run). */
egdi_status egdi_survey_load_run(egdi_store *s, int64_t run_id, const egdi_model *m,
                                 const egdi_round_input *in, egdi_survey_results *out,
                                 egdi_error *err);

/* How a survey indicator fared among the units of one kind. */
typedef struct {
    size_t units;        /* of that kind, the indicator applying to them */
    size_t valued;       /* with a survey value */
    size_t n_min, n_max; /* their respondents (n), fewest and most */
    size_t respondents;  /* behind the values, in all (departments: a respondent
                            counts once) */
    size_t few;          /* with respondents, but fewer than min_n */
    size_t gated;        /* with respondents, all left without a value by a gate */
    size_t conflicts;    /* with a survey value and an imported metric */
    size_t metric_used;  /* whose value is the imported metric */
} egdi_survey_tally;

/* Counts ind's units of kind (EGDI_UNIT_DEPARTMENT / REGION). */
void egdi_survey_tally_kind(const egdi_model *m, const egdi_round_input *in,
                            const egdi_survey_indicator *ind, egdi_unit_kind kind,
                            egdi_survey_tally *t);

/* A unit with both a survey value and a metric imported for the same
 * indicator (a conflict), for `egdi score`. */
typedef struct {
    size_t unit;          /* its index in the round */
    double survey;        /* the survey's value */
    size_t n;             /* its respondents */
    double metric;        /* the imported value */
    const char *file;     /* the metric's file (borrowed for the callback), or NULL */
    int row;              /* and row, 0 = unknown */
    bool survey_used;     /* the conflict rule took the survey's value */
} egdi_survey_conflict;

typedef egdi_status (*egdi_survey_conflict_fn)(void *ctx, const egdi_survey_conflict *c,
                                               egdi_error *err);

/* The conflicts of ind in round year, in unit order, each with the cell
 * the metric came from. */
egdi_status egdi_survey_conflicts_each(egdi_store *s, const egdi_model *m,
                                       const egdi_round_input *in,
                                       const egdi_survey_indicator *ind, int year,
                                       egdi_survey_conflict_fn fn, void *ctx, egdi_error *err);

/* Why unit value v of ind has no survey value ("12 respondents, fewer than
 * 30", "the items failed a gate: ...", "no respondent rates the unit", or
 * the indicator's note), into buf; NULL (buf "") when it has one. */
const char *egdi_survey_value_why(const egdi_survey_indicator *ind, const egdi_survey_value *v,
                                  char *buf, size_t size);

/* The indicator of node j in r, or NULL. */
const egdi_survey_indicator *egdi_survey_results_find(const egdi_survey_results *r, size_t j);

/* The imports listed in batches ("3,5", as a value or an indicator holds
 * them), each as `egdi import list` has it (engine/store/batches.h), in
 * import order. */
egdi_status egdi_survey_batches_each(egdi_store *s, const char *batches,
                                     egdi_status (*fn)(void *ctx, int64_t id, const char *file,
                                                       const char *imported_at,
                                                       egdi_error *err),
                                     void *ctx, egdi_error *err);

/*
 * One line on a survey indicator, for `egdi score`, the demo and the
 * report: `GIRI6 用户满意度（问卷均值）: survey 公务员问卷 round 2024, scale
 * 满意度 (S1,S2,S3 (R)), alpha 0.912, n = 500: 9 departments scored from
 * 31-62 respondents each (412 in all); 4 departments with 1-29 respondents
 * (fewer than 30) have no survey value` - or the gate that failed, or why
 * the survey gave nothing.  Chinese with zh true.  Returns buf.
 */
const char *egdi_survey_indicator_text(const egdi_model *m, const egdi_round_input *in,
                                       const egdi_survey_indicator *ind, bool zh, char *buf,
                                       size_t size);

#endif
