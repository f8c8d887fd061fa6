/*
 * round.h - the one round type: a round's units with their raw values
 * (egdi_round_input), and a scored round (egdi_round: model + input +
 * result), whether it came from the store or straight from a table.
 *
 * egdi_round_input: one row per unit, one column per model node
 * (raw[u * nnodes + j], NaN = missing).  `in` is the view egdi_score_run()
 * reads; in.units[u].id / name / region point into codes / names /
 * regions.  Filled by egdi_score_load_round() (the store: units ordered by
 * kind then code, unit_ids set, regions set) and by egdi_table_input_read()
 * (a table: every unit a department, regions NULL, rows and has_column
 * set).  The struct owns every array and string in it;
 * egdi_round_input_release() frees them (the struct itself is the
 * caller's).
 *
 * egdi_round owns its model, input and result; egdi_round_release() frees
 * them.
 */
#ifndef EGDI_ROUND_H
#define EGDI_ROUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "indicators/model.h"
#include "indicators/score.h"

typedef struct {
    egdi_score_input in;   /* the view scoring reads (points into the arrays below) */
    egdi_score_unit *units;
    double *raw;           /* nunits x nnodes, NaN = missing */
    char **codes;          /* unit codes */
    char **names;          /* NULL entries when a unit has no name */
    char **regions;        /* a department's region code (NULL entries); NULL for a table */
    int64_t *unit_ids;     /* store ids; NULL for a table */
    uint32_t *rows;        /* the source row of each unit; NULL from the store */
    bool *has_column;      /* per node: the table had a column of that code; NULL from the store */
    int decimals;          /* the most decimals a value of the table is published
                              with (egdi_value_decimals: CSV or XLSX alike); from
                              the store, of the values imported for the model's
                              leaves; counted only under rank_digits auto, else 0 */
} egdi_round_input;

/* Frees what t holds and zeroes it; harmless on NULL and on a zeroed t. */
void egdi_round_input_release(egdi_round_input *t);

/*
 * A sorted index of t's unit codes for egdi_round_input_find(): *out
 * (caller frees) receives nunits unit indices in strcmp order of their
 * codes.
 */
egdi_status egdi_round_input_index(const egdi_round_input *t, size_t **out, egdi_error *err);

/* The index of the unit with this code (exact match), or -1; ix from
 * egdi_round_input_index().  O(log n). */
long egdi_round_input_find(const egdi_round_input *t, const size_t *ix, const char *code);

/* A scored round. */
typedef struct {
    int year;                  /* 0 for a table (--data) */
    int64_t run_id;            /* the stored run; 0 for a table */
    egdi_model *model;
    egdi_round_input in;
    egdi_score_result *result;
} egdi_round;

/* Frees what r holds and zeroes it; harmless on NULL. */
void egdi_round_release(egdi_round *r);

#endif
