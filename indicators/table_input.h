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
 * The result is a round input (indicators/round.h) with codes, names,
 * rows and has_column set (regions and unit_ids NULL); release it with
 * egdi_round_input_release() (also done here on failure).
 */
#ifndef EGDI_TABLE_INPUT_H
#define EGDI_TABLE_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "indicators/model.h"
#include "engine/readers/reader.h"
#include "indicators/round.h"
#include "indicators/score.h"

#define EGDI_TABLE_MAX_UNITS 1000000

egdi_status egdi_table_input_read(const egdi_model *m, egdi_reader *r, const char *id_col,
                                  const char *name_col, egdi_round_input *out, egdi_error *err);

#endif
