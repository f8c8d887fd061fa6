/*
 * undo.h - taking back a mistaken import, or a whole round, with what was
 * derived from it, each in one transaction (`egdi import undo BATCH`,
 * `egdi round delete YEAR`).
 *
 * Undoing a batch removes what it brought:
 *   - metrics: its observations and missing values; the score runs of its
 *     round are marked stale (score_runs.h) until the round is scored again;
 *   - survey: its respondents; the survey itself when no respondent is left;
 *     when its respondents rate units, the score runs of its round (every
 *     round when it had none) are marked stale;
 *   - units: the units it created.  Refused (EGDI_ERR_EXISTS, naming a
 *     unit) when observations, missing values or survey respondents refer
 *     to one of them, when
 *     a unit of another import has one as its parent, when it changed units
 *     that existed before it or a later import changed one of its units
 *     (their earlier details are not kept).  Score rows of its units go, and
 *     the runs that held them are marked stale.
 * Deleting a round removes its imports (with their observations, missing
 * values and respondents), its surveys, its score runs and the round.
 *
 * An egdi_store_undone says what went; it owns its strings and
 * egdi_store_undone_release() frees them.
 */
#ifndef EGDI_STORE_UNDO_H
#define EGDI_STORE_UNDO_H

#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

typedef struct {
    char *kind;               /* the batch's kind; NULL for a round */
    char *file;               /* the batch's file; NULL for a round */
    int round;                /* the batch's round (0 = none), or the round deleted */
    size_t batches;           /* imports removed */
    size_t observations, missing, respondents, units, surveys;
    size_t score_runs;        /* runs deleted (a round) */
    size_t stale_runs;        /* runs marked stale (a batch) */
} egdi_store_undone;

void egdi_store_undone_release(egdi_store_undone *u);

/* Removes import batch id and what was derived from it (see above).
 * EGDI_ERR_NOT_FOUND when there is no such batch. */
egdi_status egdi_store_undo_batch(egdi_store *s, int64_t id, egdi_store_undone *out,
                                  egdi_error *err);

/* Removes round year and everything of it (see above).  EGDI_ERR_NOT_FOUND
 * when the store has no such round. */
egdi_status egdi_store_undo_round(egdi_store *s, int year, egdi_store_undone *out,
                                  egdi_error *err);

#endif
