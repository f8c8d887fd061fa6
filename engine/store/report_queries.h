/*
 * report_queries.h - the SQL behind `egdi report` and `egdi explain`: where
 * each observation came from (file, sheet, cell), the regions' stored EGDI
 * across rounds, and the input files of a round.
 *
 * Plain C types only; rows are handed to a callback one at a time and every
 * string of a row is borrowed for that call only.  A callback returns
 * EGDI_OK to go on, or a failure (having filled err) that stops the reading
 * and is returned.
 */
#ifndef EGDI_STORE_REPORT_QUERIES_H
#define EGDI_STORE_REPORT_QUERIES_H

#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

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
 * not 0), in observation order. */
egdi_status egdi_store_sources_each(egdi_store *s, int round, int64_t unit_id,
                                    egdi_store_source_fn fn, void *ctx, egdi_error *err);

typedef egdi_status (*egdi_store_series_fn)(void *ctx, int round, const char *region_code,
                                            double egdi, egdi_error *err);

/*
 * The EGDI of every rankable region in the latest run of each round scored
 * with a model named model_name, ordered by region code then round.
 */
egdi_status egdi_store_region_series_each(egdi_store *s, const char *model_name,
                                          egdi_store_series_fn fn, void *ctx, egdi_error *err);

typedef egdi_status (*egdi_store_input_fn)(void *ctx, const char *file, const char *sha256,
                                           egdi_error *err);

/* The import batches a round's scores depend on (those of the round and
 * every units import), in import order. */
egdi_status egdi_store_round_inputs_each(egdi_store *s, int round, egdi_store_input_fn fn,
                                         void *ctx, egdi_error *err);

#endif
