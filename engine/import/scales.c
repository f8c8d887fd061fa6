/*
 * scales.c - the scales table reader (scales.h).  Streams the rows of an
 * open egdi_reader; holds only the three column positions found in the
 * header, so nothing here is sized from the file and nothing needs freeing.
 */
#include "engine/import/scales.h"

#include <string.h>

#include "engine/core/value.h"

egdi_status egdi_scales_read(egdi_reader *r, const char *source, egdi_scales_fn fn, void *ctx,
                             egdi_error *err)
{
    long cs = -1, ci = -1, cr = -1;
    bool header = false;
    egdi_row row;
    egdi_status st;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        if (!header) {
            for (size_t j = 0; j < row.ncells; j++) {
                const char *t = row.cells[j].text;
                if (!t)
                    continue;
                if (strcmp(t, "scale") == 0 || strcmp(t, "量表") == 0 || strcmp(t, "维度") == 0)
                    cs = (long)j;
                else if (strcmp(t, "item") == 0 || strcmp(t, "题项") == 0)
                    ci = (long)j;
                else if (strcmp(t, "reversed") == 0 || strcmp(t, "反向") == 0)
                    cr = (long)j;
            }
            if (cs < 0 || ci < 0) {
                egdi_error_at(err, source, NULL, 0, 0);
                return egdi_error_set(err, EGDI_ERR_FORMAT,
                                      "the scales table needs the columns scale, item "
                                      "(and optionally reversed) in its first row");
            }
            header = true;
            continue;
        }
        const egdi_cell *sc = (size_t)cs < row.ncells ? &row.cells[cs] : NULL;
        const egdi_cell *ic = (size_t)ci < row.ncells ? &row.cells[ci] : NULL;
        if (!sc || !ic || !sc->text || !ic->text || egdi_text_blank(sc->text, sc->len) ||
            egdi_text_blank(ic->text, ic->len))
            continue;
        bool rev = false;
        if (cr >= 0 && (size_t)cr < row.ncells && row.cells[cr].type != EGDI_CELL_EMPTY) {
            const egdi_cell *c = &row.cells[cr];
            const char *why = NULL;
            if (c->type == EGDI_CELL_BOOL || c->type == EGDI_CELL_NUMBER)
                rev = c->num != 0;
            else if (!egdi_text_blank(c->text, c->len) &&
                     egdi_value_bool(c->text, c->len, &rev, &why) != EGDI_OK) {
                egdi_error_at(err, source, NULL, row.number, (uint32_t)cr + 1);
                return egdi_error_set(err, EGDI_ERR_VALUE, "reversed: \"%s\" is %s", c->text,
                                      why);
            }
        }
        if ((st = fn(ctx, sc->text, ic->text, rev, row.number, (uint32_t)ci + 1, err)) != EGDI_OK)
            return st;
    }
    return st == EGDI_DONE ? EGDI_OK : st;
}
