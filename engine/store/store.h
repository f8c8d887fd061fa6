/*
 * store.h - the SQLite store: one file (WAL mode, foreign keys on, a busy
 * timeout) holding everything a score depends on.
 *
 * Schema (see schema.c for the SQL, versioned by PRAGMA user_version):
 *   unit(id, code UNIQUE, name, kind 'department'|'region', parent_id -> unit,
 *        level, batch_id (the import that last wrote it), created_batch (the
 *        import that created it; NULL once that import is gone))
 *   round(year, label)
 *   import_batch(id, kind 'units'|'metrics'|'survey', file, sha256, sheet,
 *        round, survey_id, imported_at, rows_read, values_stored, rejected,
 *        missing)
 *   observation(id, round, unit_id, indicator, value, raw, batch_id, sheet,
 *        row, col)  UNIQUE(round, unit_id, indicator)
 *   missing_value(id, round, unit_id, indicator, raw, reason, batch_id, sheet,
 *        row, col)  UNIQUE(round, unit_id, indicator): a cell an import read
 *        as no value (empty, a mark such as "—", or a bad cell skipped with
 *        --skip-bad-cells) and why
 *   survey(id, name UNIQUE, round, scale_min, scale_max, codec, created_at,
 *        unit_column)  unit_column: the heading of the column naming the unit
 *        each respondent rates (NULL: respondents rate no unit)
 *   survey_column(survey_id, pos, code, is_item, reversed, dimension)
 *   survey_label(survey_id, value, label)
 *   survey_response(survey_id, resp_no, batch_id, source_row, answers BLOB,
 *        attrs TEXT, unit_id -> unit)   answers: see survey_store.c; unit_id:
 *        the unit the respondent rates, NULL = none
 *   model(id, name, version, sha256 UNIQUE, definition, created_at)
 *   score_run(id, round, model_id, inputs_sha256, program_version, created_at,
 *        stale)  stale: why the run no longer matches its inputs (an import
 *        or an undo after it), NULL while it does
 *   node_score(run_id, unit_id, node, raw, score, weight, contribution, note)
 *        a node's scores, one row each, of runs saved before schema 6
 *   unit_node_score(run_id, unit_id, nodes BLOB)  a unit's node scores as one
 *        row (schema 6 on); nodes: see score_runs.c
 *   unit_score(run_id, unit_id, egdi, stage, coverage, rankable, rank)
 *   survey_indicator(run_id, node, survey, round, scale, items, statistic,
 *        conflict, respondents, gate_n, min_n, alpha, min_alpha, cr_min,
 *        cr_failed, item_check, kmo, min_kmo, failed, note, batches): a run's
 *        indicator computed from a survey and its quality gates
 *   survey_score(run_id, unit_id, node, n, value, mean, sd, se, dept_value,
 *        dept_units, own_n, own_value, metric, used, note, batches): one
 *        unit's value of it (survey_scores.h)
 *   uncertainty_run(id, score_run_id -> score_run, kind, varied, sampler, seed,
 *        draws, columns, top_k, rank_digits, model_sha256, inputs_sha256,
 *        weight_sets, program_version, created_at): a Monte Carlo over a run
 *   uncertainty_unit(run_id, unit_id, nominal_rank, ranked, median_rank,
 *        rank_lo, rank_hi, mean_shift, top_draws)
 *   uncertainty_stage(run_id, unit_id, stage, draws)
 *
 * A newer program upgrades an older store when it opens it; an older program
 * refuses a newer store.  The store owns its sqlite3 handle and the
 * statements it keeps prepared (a statement run once per imported row is
 * prepared once per open store: store_private.h).
 *
 * All the SQL is here, in engine/store/, one file per subject; the other
 * layers call typed functions (plain C values and structs in, the same
 * out) and see no SQLite:
 *   store.c         open, upgrade, transactions, rounds, a unit's id
 *   schema.c        the schema and its migrations
 *   batches.c       import batches: an earlier import of a file, replace,
 *                   record, counts, a round's input files, the list of
 *                   imports (batches.h)
 *   undo.c          removing an import or a whole round with what was
 *                   derived from it, stale score runs (undo.h)
 *   units.c         units: look up, insert or update, parents, all of them
 *                   (units.h)
 *   observations.c  observations: store, a round's values, where they came
 *                   from; missing values and their cells (observations.h)
 *   score_runs.c    models and score runs saved and read back, the
 *                   regions' scores across rounds (score_runs.h)
 *   uncertainty_runs.c  uncertainty runs saved and read back
 *                   (uncertainty_runs.h)
 *   survey_write.c  a survey, its columns and labels, its respondents
 *                   (survey_write.h)
 *   survey_store.c  a stored survey loaded into memory (survey_store.h)
 *   survey_scores.c a score run's survey indicators and their per-unit
 *                   values (survey_scores.h)
 *   status.c        counts of what the store holds (status.h)
 */
#ifndef EGDI_STORE_H
#define EGDI_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/core/error.h"

/* The schema version this program writes. */
#define EGDI_SCHEMA_VERSION 6

typedef struct egdi_store egdi_store;

enum {
    EGDI_STORE_CREATE = 1 << 0,   /* create the file when it does not exist */
    EGDI_STORE_READONLY = 1 << 1, /* open read-only (no upgrade) */
    EGDI_STORE_SCAN = 1 << 2,     /* reads big tables once (the report): a
                                     small page cache (EGDI_STORE_SCAN_CACHE),
                                     not the one an import or a score grows */
};

/* KiB of page cache with EGDI_STORE_SCAN: each page read reuses a buffer
 * instead of growing the cache (issue 20: the report of 50,000 units read
 * 85 MB of scores and 1.5 million sources into fresh memory, 1.2 s of its
 * 4.9 s CPU and 130 MB). */
#define EGDI_STORE_SCAN_CACHE 4096

/*
 * Opens (and with EGDI_STORE_CREATE creates) the store at path; ":memory:"
 * gives an in-memory store.  Upgrades an older schema in one transaction;
 * refuses a newer one with EGDI_ERR_SCHEMA.  A missing file without
 * EGDI_STORE_CREATE is EGDI_ERR_NOT_FOUND ("run 'egdi init'").
 */
egdi_status egdi_store_open(egdi_store **out, const char *path, unsigned flags,
                            egdi_error *err);

/* Harmless on NULL. */
void egdi_store_close(egdi_store *s);

/* The schema version found in the file before any upgrade. */
int egdi_store_found_version(const egdi_store *s);

/* BEGIN IMMEDIATE (waits for other writers, retrying on SQLITE_BUSY up to
 * the busy timeout), COMMIT, ROLLBACK. */
egdi_status egdi_store_begin(egdi_store *s, egdi_error *err);
egdi_status egdi_store_commit(egdi_store *s, egdi_error *err);
void egdi_store_rollback(egdi_store *s);

/* Ensures round `year` exists. */
egdi_status egdi_store_ensure_round(egdi_store *s, int year, egdi_error *err);

/* The id of unit `code`, or EGDI_ERR_NOT_FOUND ("unknown unit \"CODE\""). */
egdi_status egdi_store_unit_id(egdi_store *s, const char *code, int64_t *id, egdi_error *err);

/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" into buf[21]. */
void egdi_store_now(char buf[21]);

#endif
