/*
 * observations.h - the SQL for observations: one value of one indicator of
 * one unit in one round, with the cell it came from (its batch, sheet, row
 * and column).  A round holds at most one value per unit and indicator.
 * And missing values: a cell an import read as no value (empty, a mark such
 * as "—", a bad cell skipped), kept with its cell and why, so `egdi explain`
 * can say where a missing indicator was left out.
 *
 * Writing one (an import stores many: the statement stays prepared, see
 * store_private.h), reading a round's values (what a round is scored from)
 * and asking where stored ones came from (an import's duplicate message,
 * `egdi explain`, the report).
 */
#ifndef EGDI_STORE_OBSERVATIONS_H
#define EGDI_STORE_OBSERVATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

/* One observation to store; the strings are only read. */
typedef struct {
    int round;
    int64_t unit_id;
    const char *indicator;
    double value;
    const char *raw;    /* the cell as written */
    int64_t batch_id;
    const char *sheet;  /* NULL = none (CSV) */
    uint32_t row, col;  /* 1-based source cell */
} egdi_store_obs;

/* Stores o, replacing the value the round held for that unit and
 * indicator. */
egdi_status egdi_store_obs_put(egdi_store *s, const egdi_store_obs *o, egdi_error *err);

/* Stores o[0..n) in that order as egdi_store_obs_put() would, many to a
 * statement (an import's values). */
egdi_status egdi_store_obs_put_many(egdi_store *s, const egdi_store_obs *o, size_t n,
                                    egdi_error *err);

/* *any: whether round holds any observation. */
egdi_status egdi_store_obs_any(egdi_store *s, int round, bool *any, egdi_error *err);

/*
 * Where the stored value of (round, unit_id, indicator) came from:
 * EGDI_OK with *file (the import's path; the caller frees it) and *row, or
 * EGDI_DONE when the round holds no such value (err untouched).
 */
egdi_status egdi_store_obs_source(egdi_store *s, int round, int64_t unit_id,
                                  const char *indicator, char **file, int *row,
                                  egdi_error *err);

typedef egdi_status (*egdi_store_value_fn)(void *ctx, int64_t unit_id, const char *indicator,
                                           double value, egdi_error *err);

/* Every observation value of round, ordered by unit id then indicator
 * (indicator borrowed for the callback). */
egdi_status egdi_store_obs_each(egdi_store *s, int round, egdi_store_value_fn fn, void *ctx,
                                egdi_error *err);

/* Where one observation came from, borrowed for the callback. */
typedef struct {
    int64_t unit_id;
    const char *indicator;
    const char *file;  /* the imported file as recorded (a path) */
    const char *sheet; /* NULL for a CSV */
    uint32_t row, col; /* 1-based; col 0 = unknown */
} egdi_store_source_row;

typedef egdi_status (*egdi_store_source_fn)(void *ctx, const egdi_store_source_row *row,
                                            egdi_error *err);

/* Where every observation of round came from (of one unit when unit_id is
 * not 0), by unit id, then indicator: the order of the round's unique
 * index, so nothing is sorted (1.5 million rows at 50,000 units, issue 20). */
egdi_status egdi_store_obs_sources_each(egdi_store *s, int round, int64_t unit_id,
                                        egdi_store_source_fn fn, void *ctx, egdi_error *err);

/* A cell read as no value; the strings are only read. */
typedef struct {
    int round;
    int64_t unit_id;
    const char *indicator;
    const char *raw;    /* the cell as written ("" when empty) */
    const char *reason; /* "empty", "marked missing", or why the cell was refused */
    int64_t batch_id;
    const char *sheet;  /* NULL = none (CSV) */
    uint32_t row, col;  /* 1-based source cell */
} egdi_store_missing;

/*
 * Records m, replacing an earlier missing record of the round, unit and
 * indicator, unless the round holds a value for them (a value is never
 * hidden by a missing cell of another file): *recorded (may be NULL) says
 * whether it was.
 */
egdi_status egdi_store_missing_put(egdi_store *s, const egdi_store_missing *m, bool *recorded,
                                   egdi_error *err);

/* A missing value as egdi_store_missing_each hands it out (borrowed for the
 * callback). */
typedef struct {
    int64_t unit_id;
    const char *indicator, *raw, *reason;
    const char *file;  /* the imported file as recorded */
    const char *sheet; /* NULL for a CSV */
    uint32_t row, col;
} egdi_store_missing_row;

typedef egdi_status (*egdi_store_missing_fn)(void *ctx, const egdi_store_missing_row *row,
                                             egdi_error *err);

/* The missing values recorded for round (of one unit when unit_id is not
 * 0), in the order they were recorded. */
egdi_status egdi_store_missing_each(egdi_store *s, int round, int64_t unit_id,
                                    egdi_store_missing_fn fn, void *ctx, egdi_error *err);

#endif
