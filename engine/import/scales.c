/*
 * scales.c - the scales table reader (scales.h).  Streams the rows of an
 * open egdi_reader; holds only the three column positions found in the
 * header, so nothing here is sized from the file and nothing needs freeing.
 */
#include "engine/import/scales.h"

#include <string.h>
#include <strings.h>

#include "engine/core/value.h"

/* True when t names the column: one of the "|"-separated names, ASCII case
 * ignored. */
static bool names(const char *t, const char *list)
{
    size_t n = strlen(t);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, '|');
        size_t k = e ? (size_t)(e - p) : strlen(p);
        if (k == n && strncasecmp(p, t, n) == 0)
            return true;
        p += k + (e ? 1 : 0);
    }
    return false;
}

#define SCALE_NAMES "scale|dimension|量表|维度"
#define ITEM_NAMES "item|题项"
#define REVERSED_NAMES "reversed|反向"

egdi_status egdi_scales_read(egdi_reader *r, const char *source, egdi_scales_fn fn, void *ctx,
                             egdi_error *err)
{
    long cs = -1, ci = -1, cr = -1;
    bool header = false;
    egdi_row row;
    egdi_status st;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        if (!header) {
            header = true;
            bool other = false;
            for (size_t j = 0; j < row.ncells; j++) {
                const char *t = row.cells[j].text;
                if (!t)
                    continue;
                if (names(t, SCALE_NAMES))
                    cs = (long)j;
                else if (names(t, ITEM_NAMES))
                    ci = (long)j;
                else if (names(t, REVERSED_NAMES))
                    cr = (long)j;
                else
                    other = true;
            }
            if (cs >= 0 && ci >= 0)
                continue;
            if (cs >= 0 || ci >= 0 || cr >= 0 || !other) {
                egdi_error_at(err, source, NULL, 0, 0);
                return egdi_error_set(err, EGDI_ERR_FORMAT,
                                      "the scales table needs the columns scale, item "
                                      "(and optionally reversed) in its first row");
            }
            /* no heading: the columns are scale, item, reversed, and this
             * row is the first item */
            cs = 0;
            ci = 1;
            cr = 2;
        }
        const egdi_cell *sc = (size_t)cs < row.ncells ? &row.cells[cs] : NULL;
        const egdi_cell *ic = (size_t)ci < row.ncells ? &row.cells[ci] : NULL;
        if (!sc || !ic || !sc->text || !ic->text || egdi_value_blank(sc->text, sc->len) ||
            egdi_value_blank(ic->text, ic->len))
            continue;
        bool rev = false;
        if (cr >= 0 && (size_t)cr < row.ncells && row.cells[cr].type != EGDI_CELL_EMPTY) {
            const egdi_cell *c = &row.cells[cr];
            const char *why = NULL;
            if (c->type == EGDI_CELL_BOOL || c->type == EGDI_CELL_NUMBER)
                rev = c->num != 0;
            else if (!c->text || (!egdi_value_blank(c->text, c->len) &&
                                  egdi_value_bool(c->text, c->len, &rev, &why) != EGDI_OK)) {
                egdi_error_at(err, source, NULL, row.number, (uint32_t)cr + 1);
                return egdi_error_set(err, EGDI_ERR_VALUE, "reversed: \"%s\" is %s",
                                      c->text ? c->text : "", why ? why : "not yes or no");
            }
        }
        if ((st = fn(ctx, sc->text, ic->text, rev, row.number, (uint32_t)ci + 1, err)) != EGDI_OK)
            return st;
    }
    return st == EGDI_DONE ? EGDI_OK : st;
}
