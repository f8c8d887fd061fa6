/*
 * score_store.h - scoring a round held in the store and keeping the result.
 *
 * Input: every unit of the unit table (departments and regions; a
 * department's region is its parent) with the round's observations whose
 * indicator matches a model node code (case-insensitive).  With
 * region_method weighted:CODE a department's weight is its observation CODE.
 *
 * Saved, in one transaction: the model (its canonical tables, name, version,
 * SHA-256; once per hash), a score_run (round, model, inputs SHA-256,
 * program version) replacing any earlier run of the same model and round,
 * node_score rows (raw, score, weight, contribution, note = how the node
 * was scored: scored|given|imputed|missing, and for a region's sub-index
 * "dept=D own=R") and unit_score rows (EGDI, stage code, coverage,
 * rankable, rank among units of the same kind with the model's
 * rank_digits).  A ranking is rebuilt from these rows alone
 * (egdi_score_load_run), with the model read back from its stored tables.
 *
 * egdi_round_input owns its arrays and strings (egdi_round_input_free).
 */
#ifndef EGDI_SCORE_STORE_H
#define EGDI_SCORE_STORE_H

#include <stdint.h>

#include "engine/core/error.h"
#include "indicators/model.h"
#include "indicators/score.h"
#include "engine/store/store.h"

typedef struct {
    egdi_score_input in;
    egdi_score_unit *units;
    int64_t *unit_ids; /* store ids */
    char **codes, **names, **regions;
    double *raw;       /* nunits x nnodes */
} egdi_round_input;

void egdi_round_input_free(egdi_round_input *t);

egdi_status egdi_round_input_load(egdi_store *s, const egdi_model *m, int round,
                                  egdi_round_input *out, egdi_error *err);

/* Saves a run (see above); *run_id and inputs_hash (may be NULL) receive
 * the run's id and the inputs' SHA-256. */
egdi_status egdi_score_save(egdi_store *s, const egdi_model *m, int round,
                            const egdi_round_input *in, const egdi_score_result *r,
                            const char *program_version, int64_t *run_id, char inputs_hash[65],
                            egdi_error *err);

/*
 * Loads the latest stored run of round (of the model named model_name, or
 * any model when NULL): the model from its stored tables, the units and the
 * stored scores (rating classes recomputed).  EGDI_ERR_NOT_FOUND when the
 * round has not been scored.
 */
egdi_status egdi_score_load_run(egdi_store *s, int round, const char *model_name,
                                egdi_model **m, egdi_round_input *in, egdi_score_result **r,
                                int64_t *run_id, egdi_error *err);

#endif
