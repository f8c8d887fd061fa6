/*
 * scales.c - the scales table reader (scales.h).  Reads the rows of an open
 * egdi_reader into an array of item rows (the scale and item texts copied,
 * at most EGDI_SCALES_MAX_ROWS rows and EGDI_SCALES_MAX_TEXT bytes of
 * them), checks them against each other (an index sorted by item, so a
 * large table costs O(n log n)), then hands them to the callback in file
 * order.  Everything is freed before egdi_scales_read returns.
 */
#include "engine/import/scales.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/core/value.h"

typedef struct {
    char *scale, *item;
    bool rev;
    uint32_t row, col;
} item_row;

typedef struct {
    item_row *r;
    size_t n, cap, bytes;
} item_rows;

static void rows_release(item_rows *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->r[i].scale);
        free(a->r[i].item);
    }
    free(a->r);
}

static egdi_status rows_add(item_rows *a, const char *scale, const char *item, bool rev,
                            uint32_t row, uint32_t col, const char *source, egdi_error *err)
{
    size_t ls = strlen(scale), li = strlen(item);
    unsigned cp;
    if (egdi_value_control(scale, ls, &cp) || egdi_value_control(item, li, &cp)) {
        egdi_error_at(err, source, NULL, row, 0);
        return egdi_error_set(err, EGDI_ERR_VALUE,
                              "the scale or item name holds a control character (U+%04X): "
                              "names are printed, so remove it", cp);
    }
    if (a->n == EGDI_SCALES_MAX_ROWS || a->bytes + ls + li > EGDI_SCALES_MAX_TEXT) {
        egdi_error_at(err, source, NULL, row, 0);
        return egdi_error_set(err, EGDI_ERR_LIMIT,
                              "the scales table has more than %d item rows or %d MiB of text",
                              EGDI_SCALES_MAX_ROWS, EGDI_SCALES_MAX_TEXT >> 20);
    }
    if (a->n == a->cap) {
        size_t ncap = a->cap ? a->cap * 2 : 64;
        item_row *nr = realloc(a->r, ncap * sizeof *nr);
        if (!nr)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        a->r = nr;
        a->cap = ncap;
    }
    item_row *r = &a->r[a->n];
    r->scale = strdup(scale);
    r->item = strdup(item);
    r->rev = rev;
    r->row = row;
    r->col = col;
    a->n++;
    a->bytes += ls + li;
    if (!r->scale || !r->item)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    return EGDI_OK;
}

/* Orders item rows by item (ASCII case ignored, as items are matched),
 * then by row. */
static int by_item(const void *a, const void *b)
{
    const item_row *x = *(const item_row *const *)a, *y = *(const item_row *const *)b;
    int c = strcasecmp(x->item, y->item);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/*
 * An item must be said once: a second row of it in another scale, or with
 * another reversed, is an error naming both rows (the first such row of the
 * file).  The same row twice is harmless.
 */
static egdi_status check_rows(const item_rows *a, const char *source, bool one,
                              egdi_error *err)
{
    if (a->n < 2)
        return EGDI_OK;
    const item_row **ix = malloc(a->n * sizeof *ix);
    if (!ix)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < a->n; i++)
        ix[i] = &a->r[i];
    qsort(ix, a->n, sizeof *ix, by_item);
    const item_row *bad = NULL, *first = NULL;
    for (size_t i = 0, g = 0; i < a->n; i++) {
        if (strcasecmp(ix[i]->item, ix[g]->item) != 0)
            g = i;
        if (i == g || ((!one || strcmp(ix[i]->scale, ix[g]->scale) == 0) &&
                       ix[i]->rev == ix[g]->rev))
            continue;
        if (!bad || ix[i]->row < bad->row) {
            bad = ix[i];
            first = ix[g];
        }
        while (i + 1 < a->n && strcasecmp(ix[i + 1]->item, ix[g]->item) == 0)
            i++; /* the rest of this item: its first conflict is the one */
    }
    free((void *)ix);
    if (!bad)
        return EGDI_OK;
    egdi_error_at(err, source, NULL, bad->row, bad->col);
    if (one && strcmp(bad->scale, first->scale) != 0)
        return egdi_error_set(err, EGDI_ERR_VALUE,
                              "item \"%s\" is in scale \"%s\" here and in scale \"%s\" in row "
                              "%u: an item belongs to one scale",
                              bad->item, bad->scale, first->scale, first->row);
    return egdi_error_set(err, EGDI_ERR_VALUE,
                          "item \"%s\" is listed with reversed %d here and %d in row %u: list "
                          "each item once",
                          bad->item, bad->rev, first->rev, first->row);
}

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

egdi_status egdi_scales_read(egdi_reader *r, const char *source, unsigned flags,
                             egdi_scales_fn fn, void *ctx, egdi_error *err)
{
    long cs = -1, ci = -1, cr = -1;
    bool header = false;
    egdi_row row;
    egdi_status st;
    item_rows all = {0};
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
                st = egdi_error_set(err, EGDI_ERR_FORMAT,
                                    "the scales table needs the columns scale, item "
                                    "(and optionally reversed) in its first row");
                goto done;
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
                st = egdi_error_set(err, EGDI_ERR_VALUE, "reversed: \"%s\" is %s",
                                    c->text ? c->text : "", why ? why : "not yes or no");
                goto done;
            }
        }
        if ((st = rows_add(&all, sc->text, ic->text, rev, row.number, (uint32_t)ci + 1, source,
                           err)) != EGDI_OK)
            goto done;
    }
    if (st != EGDI_DONE ||
        (st = check_rows(&all, source, (flags & EGDI_SCALES_ONE) != 0, err)) != EGDI_OK)
        goto done;
    for (size_t i = 0; i < all.n && st == EGDI_OK; i++)
        st = fn(ctx, all.r[i].scale, all.r[i].item, all.r[i].rev, all.r[i].row, all.r[i].col,
                err);
done:
    rows_release(&all);
    return st;
}
