/*
 * uncertainty_store.h - an uncertainty run of a stored round: `egdi
 * uncertainty` measures the latest score run of a round (its stored model
 * and the raw values it scored, so the nominal ranking is the published
 * one) and keeps the result in the store (engine/store/uncertainty_runs.c);
 * `egdi rank --uncertainty` and the report read it back.
 *
 * An egdi_uncertainty_stored owns its round, result and strings;
 * egdi_uncertainty_stored_release() frees them (the struct is the
 * caller's).
 */
#ifndef EGDI_UNCERTAINTY_STORE_H
#define EGDI_UNCERTAINTY_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"
#include "indicators/round.h"
#include "indicators/uncertainty.h"

typedef struct {
    egdi_round round;                /* the score run measured */
    egdi_uncertainty_result *result;
    int64_t id;                      /* the stored uncertainty run */
    char inputs_hash[65];            /* of the round as scored */
    char *created_at;                /* when it was stored (loaded runs) */
    char *program_version;           /* the egdi that made it (loaded runs) */
    char *weight_sets;               /* the weight sets' SHA-256, comma separated, or NULL */
    char *stale;                     /* why the score run no longer matches the store, or NULL */
} egdi_uncertainty_stored;

void egdi_uncertainty_stored_release(egdi_uncertainty_stored *u);

/*
 * Runs the Monte Carlo of o over the latest score run of year (of model,
 * a name or a path as `--model` takes it; NULL = any) and saves it,
 * replacing the earlier run of that score run and kind.  The weight sets
 * of o are kept in the store's model table.
 */
egdi_status egdi_uncertainty_round(egdi_store *s, int year, const char *model,
                                   const egdi_uncertainty_opts *o, const char *program_version,
                                   egdi_uncertainty_stored *out, egdi_error *err);

/*
 * The standard errors of the survey indicators stored with round's score
 * run (indicators/survey_source.h), as egdi_uncertainty_opts.se wants them:
 * *se (caller frees) holds nunits x nnodes numbers, the SE of a unit's
 * survey value where the run used it (the conflict rule took the survey's
 * value), NaN elsewhere.  EGDI_ERR_ARG when the model has no indicator
 * computed from a survey (data: the model has no such step).
 */
egdi_status egdi_uncertainty_survey_se(egdi_store *s, const egdi_round *round, double **se,
                                       egdi_error *err);

/*
 * The stored uncertainty run of round's score run (round->run_id) for
 * units of kind: *result (caller frees) with its units matched to round's
 * input by store id and its stage counts to round->model's stages by code;
 * *found false (and *result NULL) when there is none.  info (may be NULL)
 * receives the run's creation time, program version and weight sets
 * (info->round and info->result are left empty).
 */
egdi_status egdi_uncertainty_load(egdi_store *s, const egdi_round *round, egdi_unit_kind kind,
                                  bool *found, egdi_uncertainty_result **result,
                                  egdi_uncertainty_stored *info, egdi_error *err);

#endif
