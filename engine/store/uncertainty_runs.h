/*
 * uncertainty_runs.h - the SQL of stored uncertainty runs (tables
 * uncertainty_run, uncertainty_unit, uncertainty_stage; see store.h): a
 * Monte Carlo over the assumptions of one score run (indicators/
 * uncertainty.c), saved so that a published table can be shown again and
 * reproduced (what was varied, sampler, seed, draws, model and inputs
 * SHA-256, the weight sets' hashes).
 *
 * Plain C values only (indicators/uncertainty_store.c converts).  A run
 * belongs to a score run and a kind of unit; saving one replaces the
 * earlier run of that score run and kind, and it goes when its score run
 * goes (a re-score, an undo of the round).  Rows are handed to a callback
 * one at a time; their strings are borrowed for that call only.
 */
#ifndef EGDI_STORE_UNCERTAINTY_RUNS_H
#define EGDI_STORE_UNCERTAINTY_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

/* What a run was (saved, and read back by egdi_store_uncertainty_find). */
typedef struct {
    int64_t id;            /* filled by save and find */
    int64_t score_run_id;
    const char *kind;      /* "department" or "region" */
    const char *varied;    /* one line */
    const char *sampler;   /* "sobol" or "random" */
    uint64_t seed;
    size_t draws, columns;
    size_t top;            /* 0 = none */
    int digits;            /* -1 = none */
    const char *model_sha256, *inputs_sha256;
    const char *weight_sets; /* the sets' SHA-256, comma separated; NULL = none */
    const char *program_version;
    const char *created_at; /* find only */
} egdi_store_uncertainty_run;

/* One unit's row. */
typedef struct {
    int64_t unit_id;
    long nominal_rank;     /* 0 = NULL */
    size_t ranked;
    double median, lo, hi, shift; /* NaN = NULL */
    size_t top;
} egdi_store_uncertainty_unit;

/* One unit's draws in one stage. */
typedef struct {
    int64_t unit_id;
    const char *stage;
    size_t draws;
} egdi_store_uncertainty_stage;

/* A weight set to keep in the model table. */
typedef struct {
    const char *name, *version, *sha256, *definition;
    size_t len;
} egdi_store_uncertainty_set;

/*
 * Saves run (replacing the earlier run of its score run and kind), its
 * nunits unit rows and nstage stage rows (units without draws in a stage
 * need no row), and the weight sets' models, in one transaction;
 * run->id receives the new id.  Rolled back on any failure.
 */
egdi_status egdi_store_uncertainty_save(egdi_store *s, egdi_store_uncertainty_run *run,
                                        const egdi_store_uncertainty_unit *units, size_t nunits,
                                        const egdi_store_uncertainty_stage *stages,
                                        size_t nstages, const egdi_store_uncertainty_set *sets,
                                        size_t nsets, egdi_error *err);

/*
 * The run of score run score_run_id and kind: *found false when there is
 * none.  Its strings are copied into buf (*buf, caller frees) and run
 * points into it.
 */
egdi_status egdi_store_uncertainty_find(egdi_store *s, int64_t score_run_id, const char *kind,
                                        bool *found, egdi_store_uncertainty_run *run, char **buf,
                                        egdi_error *err);

typedef egdi_status (*egdi_store_uncertainty_unit_fn)(void *ctx,
                                                      const egdi_store_uncertainty_unit *row,
                                                      egdi_error *err);
typedef egdi_status (*egdi_store_uncertainty_stage_fn)(void *ctx,
                                                       const egdi_store_uncertainty_stage *row,
                                                       egdi_error *err);

/* The unit rows of run run_id, then (stage_fn) its stage rows. */
egdi_status egdi_store_uncertainty_each(egdi_store *s, int64_t run_id,
                                        egdi_store_uncertainty_unit_fn unit_fn,
                                        egdi_store_uncertainty_stage_fn stage_fn, void *ctx,
                                        egdi_error *err);

#endif
