/*
 * batches.h - the SQL for import batches: one row per imported file (its
 * kind, path, SHA-256, sheet, round or survey, time and counts), the
 * provenance every unit, observation and respondent points back to.
 *
 * Finding an earlier import of the same file, removing it (--replace),
 * recording a new one and its counts, listing a round's inputs (the
 * report's method section) and every import (`egdi import list`).  Nothing
 * here allocates.  Undoing an import with what was derived from it is
 * undo.h's.
 */
#ifndef EGDI_STORE_BATCHES_H
#define EGDI_STORE_BATCHES_H

#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

/* A new import batch; every string is only read. */
typedef struct {
    const char *kind;   /* "units", "metrics" or "survey" */
    const char *file;   /* the path as given */
    const char *sha256; /* 64 hex digits */
    const char *sheet;  /* the sheet read, NULL = none (CSV) */
    int round;          /* 0 = none */
    int64_t survey_id;  /* 0 = none */
} egdi_store_batch;

/* When a batch was imported: "YYYY-MM-DDTHH:MM:SSZ" (longer texts cut). */
#define EGDI_STORE_WHEN_MAX 32

/*
 * An earlier batch of b->kind with b->sha256, in round b->round (any when
 * 0) and survey b->survey_id (any when 0): EGDI_OK with *id and when, or
 * EGDI_DONE when there is none (err untouched).
 */
egdi_status egdi_store_batch_find(egdi_store *s, const egdi_store_batch *b, int64_t *id,
                                  char when[EGDI_STORE_WHEN_MAX], egdi_error *err);

/* Removes batch id and what it brought (observations, respondents go with
 * it); units it brought stay, no longer pointing to it. */
egdi_status egdi_store_batch_delete(egdi_store *s, int64_t id, egdi_error *err);

/* Records b as imported now (adding its round when new); *id. */
egdi_status egdi_store_batch_add(egdi_store *s, const egdi_store_batch *b, int64_t *id,
                                 egdi_error *err);

/* Sets the counts of batch id when its import ends. */
egdi_status egdi_store_batch_counts(egdi_store *s, int64_t id, size_t rows_read,
                                    size_t values_stored, size_t rejected, egdi_error *err);

/* Sets the number of missing values batch id recorded. */
egdi_status egdi_store_batch_missing(egdi_store *s, int64_t id, size_t missing,
                                     egdi_error *err);

typedef egdi_status (*egdi_store_input_fn)(void *ctx, const char *file, const char *sha256,
                                           egdi_error *err);

/* The import batches a round's scores depend on (those of the round and
 * every units import), in import order; strings borrowed for the callback. */
egdi_status egdi_store_batch_inputs_each(egdi_store *s, int round, egdi_store_input_fn fn,
                                         void *ctx, egdi_error *err);

/* One import as egdi_store_batches_each hands it out; strings borrowed for
 * the callback. */
typedef struct {
    int64_t id;
    const char *kind, *file, *sha256;
    const char *sheet;       /* NULL for a CSV */
    int round;               /* 0 = none */
    const char *survey;      /* the survey's name, NULL = none */
    const char *imported_at; /* "YYYY-MM-DDTHH:MM:SSZ" */
    int64_t rows_read, values_stored, rejected, missing;
} egdi_store_batch_row;

typedef egdi_status (*egdi_store_batch_fn)(void *ctx, const egdi_store_batch_row *row,
                                           egdi_error *err);

/* Every import batch, oldest first. */
egdi_status egdi_store_batches_each(egdi_store *s, egdi_store_batch_fn fn, void *ctx,
                                    egdi_error *err);

#endif
