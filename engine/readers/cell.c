/*
 * cell.c - a cell as a number (reader.h): the cell's type decides, and text
 * goes through the one text -> number parser, egdi_value_number()
 * (engine/core/value.h).
 */
#include "engine/readers/reader.h"

#include "engine/core/value.h"

egdi_status egdi_cell_number(const egdi_cell *c, bool percent_as_points, double *out,
                             const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    switch (c->type) {
    case EGDI_CELL_NUMBER:
        *out = c->percent && percent_as_points ? c->num * 100.0 : c->num;
        return EGDI_OK;
    case EGDI_CELL_DATE:
    case EGDI_CELL_BOOL:
        *out = c->num;
        return EGDI_OK;
    case EGDI_CELL_TEXT: {
        bool pct;
        double v;
        egdi_status st = egdi_value_number(c->text, c->len, &v, &pct, why);
        if (st != EGDI_OK)
            return st;
        *out = pct && !percent_as_points ? v / 100.0 : v;
        return EGDI_OK;
    }
    case EGDI_CELL_EMPTY:
        *why = "empty";
        return EGDI_DONE;
    case EGDI_CELL_ERROR:
    default:
        *why = "a spreadsheet error value";
        return EGDI_ERR_VALUE;
    }
}
