/*
 * table_input.h - a scoring input read straight from a spreadsheet: one row
 * per unit, one column per indicator or component code of the model
 * (headers matched case-insensitively; other columns are ignored).
 *
 * The id column is --id NAME, else a column headed "id" or "code", else the
 * first column; the name column is --name NAME, else a column headed
 * "name", else none.  Values are read with egdi_cell_number() (a percent-
 * formatted 0.85 is 85 points; "85%" is 85); a yes/no indicator also
 * accepts 是/否, yes/no...; an empty cell is missing.  Every unit is a
 * department with no region.
 *
 * egdi_table_input owns its arrays and strings; free with
 * egdi_table_input_free().  in.units[i].id / name point into ids / names.
 */
#ifndef EGDI_TABLE_INPUT_H
#define EGDI_TABLE_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "indicators/model.h"
#include "engine/readers/reader.h"
#include "indicators/score.h"

#define EGDI_TABLE_MAX_UNITS 1000000

typedef struct {
    egdi_score_input in;
    egdi_score_unit *units;
    double *raw;       /* nunits x nnodes */
    char **ids;
    char **names;      /* NULL entries when there is no name column */
    uint32_t *rows;    /* the source row of each unit */
    bool *has_column;  /* per node: a column of that code was found */
} egdi_table_input;

egdi_status egdi_table_input_read(const egdi_model *m, egdi_reader *r, const char *id_col,
                                  const char *name_col, egdi_table_input *out, egdi_error *err);

void egdi_table_input_free(egdi_table_input *t);

#endif
