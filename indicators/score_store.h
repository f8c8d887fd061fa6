/*
 * score_store.h - scoring a round held in the store and keeping the result
 * (the SQL is in engine/store/score_runs.c; this file converts between it
 * and models, round inputs and score results).
 *
 * Input: every unit of the unit table (departments and regions; a
 * department's region is its parent) with the round's observations whose
 * indicator matches a model node code (case-insensitive).  With
 * region_method weighted:CODE a department's weight is its observation CODE.
 *
 * Saved, in one transaction: the model (its canonical tables, name, version,
 * SHA-256; once per hash), a score_run (round, model, inputs SHA-256,
 * program version) replacing any earlier run of the same model and round,
 * node_score rows (raw, score, weight, contribution, how the node was
 * scored and a region's two parts) and unit_score rows (EGDI, stage code,
 * coverage, rankable, rank among units of the same kind with the model's
 * rank_digits, from indicators/ranking.c).  A scored round is rebuilt from
 * these rows alone (egdi_score_load_run), with the model read back from its
 * stored tables and each unit's stage the stage code stored with the run.
 */
#ifndef EGDI_SCORE_STORE_H
#define EGDI_SCORE_STORE_H

#include <stdint.h>

#include "engine/core/error.h"
#include "engine/core/progress.h"
#include "engine/store/store.h"
#include "indicators/model.h"
#include "indicators/round.h"
#include "indicators/score.h"
#include "indicators/survey_source.h"

/* Loads round `year` for model m (see above) into *out (released on
 * failure).  EGDI_ERR_NOT_FOUND when the round has no value of m's nodes. */
egdi_status egdi_score_load_round(egdi_store *s, const egdi_model *m, int year,
                                  egdi_round_input *out, egdi_error *err);

/* Saves a run (see above); *run_id and inputs_hash (may be NULL) receive
 * the run's id and the inputs' SHA-256. */
egdi_status egdi_score_save(egdi_store *s, const egdi_model *m, int year,
                            const egdi_round_input *in, const egdi_score_result *r,
                            const char *program_version, int64_t *run_id, char inputs_hash[65],
                            egdi_error *err);

/*
 * Loads the latest stored run of year (of the model named model_name, or
 * any model when NULL) into *out: the model from its stored tables, the
 * units and the stored scores; r->stage is the stage code stored with the
 * run (rating classes recomputed).  EGDI_ERR_NOT_FOUND, naming the command
 * to run, when the round has not been scored.
 */
egdi_status egdi_score_load_run(egdi_store *s, int year, const char *model_name,
                                egdi_round *out, egdi_error *err);

/*
 * The model name a --model option means: a model that loads (a built-in
 * name or a path) gives its name; a string that is neither (no such
 * built-in model, no such file, no '/') is taken as the name of a stored
 * model.  *name (caller frees).
 */
egdi_status egdi_score_model_name(const char *model, char **name, egdi_error *err);

/*
 * The model a --model option means for scoring, as in every other command:
 * a built-in name or a file; else (no such built-in, no such file, no '/')
 * the model of that name stored with the store's latest run of it, so the
 * name a run shows can be scored again.  *out (caller frees).
 */
egdi_status egdi_score_model_open(egdi_store *s, const char *model, egdi_model **out,
                                  egdi_error *err);

/* What `egdi score` did. */
typedef struct {
    int64_t run_id;
    char inputs_hash[65];
    size_t units, rankable;
    size_t stage_counts[EGDI_MODEL_MAX_STAGES + 1]; /* rankable units per stage of the
                                                       model; [nstages] = none */
} egdi_score_summary;

/* Loads round year, scores it with m and saves the run; progress (may be
 * NULL) is told units three times over: the round read (a third), scored
 * (two thirds), then each unit's scores saved. */
egdi_status egdi_score_round(egdi_store *s, const egdi_model *m, int year,
                             const char *program_version, const egdi_progress *progress,
                             egdi_score_summary *out, egdi_error *err);

/* Where a node's raw value came from: the imported cell; or, for a node
 * without a value, the cell an import read as missing and why. */
typedef struct {
    char *file;        /* as recorded at import; NULL = no imported cell */
    char *sheet;       /* NULL for a CSV */
    uint32_t row, col; /* 1-based; col 0 = unknown */
    char *missing_raw; /* a missing value: the cell as written ("" when empty);
                          NULL = no missing value recorded */
    char *missing_why; /* why it is missing ("empty", "marked missing", or why
                          the cell was refused) */
} egdi_score_source;

/* `egdi explain`: one unit of a stored run. */
typedef struct {
    egdi_round round;
    size_t unit;               /* its index in round.in */
    long rank;                 /* among the units of its kind; 0 = not ranked */
    egdi_score_source *source; /* round.model->nnodes entries */
    egdi_survey_results surveys; /* the run's indicators computed from a survey
                                    (survey_source.h; n 0 when none) */
} egdi_score_explanation;

/*
 * Loads the latest run of year (of model, see egdi_score_model_name; NULL
 * = any) and explains unit
 * code: its rank within its kind, where each node's raw value came from,
 * and for a node without a value the missing cell an import recorded; for
 * a node computed from a survey, its survey, items, gates and each unit's
 * n, mean, SD, SE (surveys).  EGDI_ERR_NOT_FOUND when the unit was not
 * scored in that run.
 */
egdi_status egdi_score_explain(egdi_store *s, int year, const char *model,
                               const char *code, egdi_score_explanation *out, egdi_error *err);

void egdi_score_explanation_release(egdi_score_explanation *e);

#endif
