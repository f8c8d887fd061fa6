/*
 * observations.h - the SQL for observations: one value of one indicator of
 * one unit in one round, with the cell it came from (its batch, sheet, row
 * and column).  A round holds at most one value per unit and indicator.
 *
 * Writing one (an import stores many: the statement stays prepared, see
 * store_private.h), asking where a stored one came from, and reading a
 * round's values of some indicators as a units-by-indicators matrix.
 */
#ifndef EGDI_STORE_OBSERVATIONS_H
#define EGDI_STORE_OBSERVATIONS_H

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

/*
 * Where the stored value of (round, unit_id, indicator) came from:
 * EGDI_OK with *file (the import's path; the caller frees it) and *row, or
 * EGDI_DONE when the round holds no such value (err untouched).
 */
egdi_status egdi_store_obs_source(egdi_store *s, int round, int64_t unit_id,
                                  const char *indicator, char **file, int *row,
                                  egdi_error *err);

/*
 * The values of round for the k > 0 indicators codes[0..k) (compared without
 * case) of every unit that has all k, in unit id order: *n units, *x n rows
 * of k values (row-major, x[i * k + j]; the caller frees it, NULL when
 * *n is 0).
 */
egdi_status egdi_store_obs_matrix(egdi_store *s, int round, const char *const *codes, size_t k,
                                  double **x, size_t *n, egdi_error *err);

#endif
