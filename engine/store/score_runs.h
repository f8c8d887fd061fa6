/*
 * score_runs.h - the SQL of stored score runs (tables model, score_run,
 * node_score, unit_score; see store.h) and of the regions' scores across
 * rounds.  What a round is scored from is read with egdi_store_units_each
 * (units.h) and egdi_store_obs_each (observations.h).
 *
 * Plain C types only: the store knows codes, numbers and store ids, not
 * models or scores (indicators/score_store.c converts).  Rows are handed to
 * a callback one at a time; every string of a row is borrowed for the
 * duration of that call only.  A callback returns EGDI_OK to go on, or a
 * failure (having filled err) that stops the reading and is returned.
 *
 * A run's node scores are saved as one unit_node_score row per unit
 * (schema 6 on; the encoding is described in score_runs.c, the only file
 * that writes or reads it).  Runs saved before keep one node_score row per
 * node, whose note holds how it was scored ("scored", "given", "imputed",
 * "missing") and, for a region's sub-index, its two parts: "scored dept=D
 * own=R" (%.17g); they are read as they are.
 */
#ifndef EGDI_STORE_SCORE_RUNS_H
#define EGDI_STORE_SCORE_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/core/progress.h"
#include "engine/store/store.h"
#include "engine/store/units.h"

/* ---- saving a run ------------------------------------------------------ */

typedef struct {
    int round;
    const char *model_name, *model_version, *model_sha256;
    const char *definition;   /* the model's canonical tables */
    size_t definition_len;
    const char *inputs_sha256, *program_version;

    size_t nunits;
    const int64_t *unit_ids;  /* nunits */
    const double *egdi;       /* nunits, NaN = NULL */
    const char *const *stage; /* nunits stage codes, NULL = none */
    const double *coverage;   /* nunits */
    const bool *rankable;     /* nunits */
    const long *rank;         /* nunits, 0 = NULL */

    size_t nnodes;
    const char *const *nodes; /* nnodes node codes */
    /* nunits x nnodes (row-major by unit); NaN = NULL */
    const double *raw, *score, *weight, *contribution;
    const char *const *how;   /* how the node was scored; NULL = no row for that cell */
    const double *dept, *own; /* a region's two parts; NaN = none */

    /* Called inside the run's transaction once its rows are saved, with the
     * new run's id, to save more rows of the run (the survey indicators:
     * survey_scores.h); NULL = nothing more.  A failure rolls the run back. */
    egdi_status (*also)(egdi_store *s, int64_t run_id, void *ctx, egdi_error *err);
    void *also_ctx;
    /* told the units whose indicator rows are saved (borrowed; NULL: none) */
    const egdi_progress *progress;
} egdi_store_score_run;

/*
 * Saves a run in one transaction: the model (once per sha256), the round,
 * the score_run (replacing an earlier run of the same model and round,
 * with its rows), its node_score and unit_score rows.  *run_id (may be
 * NULL) receives the new run's id.  Rolled back on any failure.
 */
egdi_status egdi_store_score_run_save(egdi_store *s, const egdi_store_score_run *run,
                                      int64_t *run_id, egdi_error *err);

/*
 * Saves a model's canonical tables once per sha256 (in the caller's
 * transaction, or its own statement); *model_id (may be NULL) its id.
 */
egdi_status egdi_store_model_save(egdi_store *s, const char *name, const char *version,
                                  const char *sha256, const char *definition, size_t len,
                                  int64_t *model_id, egdi_error *err);

/* ---- reading a run back ------------------------------------------------ */

/*
 * The latest run of round (of any round when 0; of the model named
 * model_name, or any when NULL): *found false when there is none.  *definition (caller frees,
 * NUL-terminated, *len bytes) receives the model's stored tables.
 */
egdi_status egdi_store_score_run_find(egdi_store *s, int round, const char *model_name,
                                      bool *found, int64_t *run_id, char **definition,
                                      size_t *len, egdi_error *err);

/*
 * The model of the store's latest score run (any round): *found false when
 * nothing was scored; *definition (caller frees, *len bytes) its stored
 * tables.
 */
egdi_status egdi_store_model_latest(egdi_store *s, bool *found, char **definition, size_t *len,
                                    egdi_error *err);

/*
 * Why a run is stale, as facts: the import (batch, kind "metrics" / "units"
 * / "survey", file) that came after it, or that was undone, and when.  The
 * store keeps the English sentence egdi_store_stale_text makes (JSON shows
 * it as it is); egdi_store_stale_parse reads the facts back, so that the
 * command line can word them in its language.
 */
typedef enum {
    EGDI_STALE_IMPORT = 1, /* "import 3 (metrics a.csv) on WHEN came after the scores" */
    EGDI_STALE_UNDO,       /* "import 3 (metrics a.csv) was undone on WHEN" */
} egdi_stale_kind;

typedef struct {
    egdi_stale_kind kind;
    long long batch;
    const char *what;  /* the import's kind */
    const char *file;  /* its file */
    const char *when;  /* "2026-12-02T20:36:29Z" */
} egdi_stale_reason;

/* The sentence stored for r into buf (truncated at size; returns buf). */
const char *egdi_store_stale_text(const egdi_stale_reason *r, char *buf, size_t size);

/*
 * The facts of a stored sentence: true, with out's texts pointing into
 * copy (size bytes, the caller's; at least strlen(text) + 1), when text is
 * one that egdi_store_stale_text makes; false for any other text (then
 * show it as it is).
 */
bool egdi_store_stale_parse(const char *text, egdi_stale_reason *out, char *copy, size_t size);

/*
 * Why run run_id no longer matches its inputs (an import into its round, or
 * an undo, after it was made): *why (caller frees) is that text, or NULL
 * while the run is current.
 */
egdi_status egdi_store_score_run_stale(egdi_store *s, int64_t run_id, char **why,
                                       egdi_error *err);

/*
 * Marks the runs of round (every round when 0) that are not stale yet as
 * stale, for why.  *marked (may be NULL) receives how many were marked.
 * Runs in the caller's transaction.
 */
egdi_status egdi_store_score_runs_stale(egdi_store *s, int round, const char *why,
                                        size_t *marked, egdi_error *err);

typedef struct {
    egdi_store_unit_row unit;
    double egdi;       /* NaN = NULL */
    const char *stage; /* the stage code stored with the run; NULL = none */
    double coverage;
    bool rankable;
    long rank;         /* 0 = NULL */
} egdi_store_unit_score_row;

typedef egdi_status (*egdi_store_unit_score_fn)(void *ctx, const egdi_store_unit_score_row *row,
                                                egdi_error *err);

/* The unit_score rows of a run with their units, ordered by kind then code. */
egdi_status egdi_store_unit_scores_each(egdi_store *s, int64_t run_id,
                                        egdi_store_unit_score_fn fn, void *ctx, egdi_error *err);

typedef struct {
    int64_t unit_id;
    const char *node;
    double raw, score, weight, contribution; /* NaN = NULL */
    const char *how;  /* "scored", "given", "imputed", "missing"; NULL = no note */
    double dept, own; /* NaN when the note has none */
} egdi_store_node_score_row;

typedef egdi_status (*egdi_store_node_score_fn)(void *ctx, const egdi_store_node_score_row *row,
                                                egdi_error *err);

/* The node_score rows of a run. */
egdi_status egdi_store_node_scores_each(egdi_store *s, int64_t run_id,
                                        egdi_store_node_score_fn fn, void *ctx, egdi_error *err);

typedef egdi_status (*egdi_store_series_fn)(void *ctx, int round, const char *region_code,
                                            double egdi, egdi_error *err);

/*
 * The EGDI of every rankable region in the latest run of each round scored
 * with a model named model_name, ordered by region code then round.
 */
egdi_status egdi_store_region_series_each(egdi_store *s, const char *model_name,
                                          egdi_store_series_fn fn, void *ctx, egdi_error *err);

#endif
