/*
 * table_input.c - reading a wide table (unit rows x indicator columns)
 * into a scoring input; see table_input.h.  Arrays grow by doubling up to
 * EGDI_TABLE_MAX_UNITS rows.
 */
#include "indicators/table_input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/core/value.h"

#include <stdio.h>


static char *cell_dup(const egdi_row *row, long col)
{
    if (col < 0 || (size_t)col >= row->ncells || !row->cells[col].text)
        return strdup("");
    const egdi_cell *c = &row->cells[col];
    const char *s = c->text;
    size_t n = c->len;
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return strndup(s, n);
}

typedef struct {
    const char *id;
    uint32_t row;
} idrow;

static int cmp_idrow(const void *a, const void *b)
{
    const idrow *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static bool header_is(const egdi_row *row, size_t c, const char *name)
{
    const egdi_cell *cell = &row->cells[c];
    if (!cell->text)
        return false;
    const char *s = cell->text;
    size_t n = cell->len;
    while (n && *s == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

egdi_status egdi_table_input_read(const egdi_model *m, egdi_reader *r, const char *id_col,
                                  const char *name_col, egdi_round_input *t, egdi_error *err)
{
    memset(t, 0, sizeof *t);
    size_t N = m->nnodes;
    long *colnode = NULL; /* per column: node index or -1 */
    size_t ncols = 0, cap = 0;
    long idc = -1, namec = -1;
    egdi_row row;
    egdi_status st;
    const char *file = egdi_reader_name(r);

    t->has_column = calloc(N ? N : 1, sizeof *t->has_column);
    if (!t->has_column)
        goto nomem;
    /* header */
    do {
        st = egdi_reader_next(r, &row, err);
        if (st == EGDI_DONE) {
            st = egdi_error_set(err, EGDI_ERR_FORMAT, "the table is empty");
            egdi_error_at(err, file, egdi_reader_sheet(r), 0, 0);
            goto fail;
        }
        if (st)
            goto fail;
    } while (row.ncells == 0);
    ncols = row.ncells;
    colnode = malloc(ncols * sizeof *colnode);
    if (!colnode)
        goto nomem;
    size_t matched = 0;
    for (size_t c = 0; c < ncols; c++) {
        colnode[c] = -1;
        if (id_col && header_is(&row, c, id_col))
            idc = (long)c;
        if (name_col && header_is(&row, c, name_col))
            namec = (long)c;
        const egdi_cell *h = &row.cells[c];
        if (!h->text)
            continue;
        char *code = cell_dup(&row, (long)c);
        if (!code)
            goto nomem;
        long j = *code ? egdi_model_find(m, code) : -1;
        free(code);
        if (j >= 0 && !t->has_column[j] && (long)c != idc && (long)c != namec) {
            colnode[c] = j;
            t->has_column[j] = true;
            matched++;
        }
    }
    if (id_col && idc < 0) {
        st = egdi_error_set(err, EGDI_ERR_NOT_FOUND, "no column \"%s\" for --id", id_col);
        egdi_error_at(err, file, egdi_reader_sheet(r), row.number, 0);
        goto fail;
    }
    if (name_col && namec < 0) {
        st = egdi_error_set(err, EGDI_ERR_NOT_FOUND, "no column \"%s\" for --name", name_col);
        egdi_error_at(err, file, egdi_reader_sheet(r), row.number, 0);
        goto fail;
    }
    if (idc < 0)
        for (size_t c = 0; c < ncols && idc < 0; c++)
            if (header_is(&row, c, "id") || header_is(&row, c, "code"))
                idc = (long)c;
    if (idc < 0)
        idc = 0;
    if (!name_col)
        for (size_t c = 0; c < ncols && namec < 0; c++)
            if (header_is(&row, c, "name"))
                namec = (long)c;
    if (colnode[idc] >= 0) {
        t->has_column[colnode[idc]] = false;
        colnode[idc] = -1;
        matched--;
    }
    if (matched == 0) {
        st = egdi_error_set(err, EGDI_ERR_FORMAT,
                            "no column is headed by an indicator or component code of model %s",
                            m->name);
        egdi_error_at(err, file, egdi_reader_sheet(r), row.number, 0);
        goto fail;
    }
    /* rows */
    size_t n = 0;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        bool blank = true;
        for (size_t c = 0; c < row.ncells && blank; c++)
            if (row.cells[c].type != EGDI_CELL_EMPTY &&
                !(row.cells[c].text && egdi_value_blank(row.cells[c].text, row.cells[c].len)))
                blank = false;
        if (blank)
            continue;
        if (n == EGDI_TABLE_MAX_UNITS) {
            st = egdi_error_set(err, EGDI_ERR_LIMIT, "more than %d units", EGDI_TABLE_MAX_UNITS);
            egdi_error_at(err, file, egdi_reader_sheet(r), row.number, 0);
            goto fail;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 64;
            char **ni = realloc(t->codes, nc * sizeof *ni);
            if (ni)
                t->codes = ni;
            char **nn = realloc(t->names, nc * sizeof *nn);
            if (nn)
                t->names = nn;
            uint32_t *nr = realloc(t->rows, nc * sizeof *nr);
            if (nr)
                t->rows = nr;
            double *nv = realloc(t->raw, nc * (N ? N : 1) * sizeof *nv);
            if (nv)
                t->raw = nv;
            if (!ni || !nn || !nr || !nv)
                goto nomem;
            cap = nc;
        }
        t->codes[n] = cell_dup(&row, idc);
        t->names[n] = namec >= 0 ? cell_dup(&row, namec) : NULL;
        t->rows[n] = row.number;
        t->in.nunits = ++n;
        if (!t->codes[n - 1] || (namec >= 0 && !t->names[n - 1]))
            goto nomem;
        if (!*t->codes[n - 1]) {
            st = egdi_error_set(err, EGDI_ERR_VALUE, "empty unit id");
            egdi_error_at(err, file, egdi_reader_sheet(r), row.number, (uint32_t)idc + 1);
            goto fail;
        }
        double *v = t->raw + (n - 1) * N;
        for (size_t j = 0; j < N; j++)
            v[j] = NAN;
        for (size_t c = 0; c < row.ncells && c < ncols; c++) {
            if (colnode[c] < 0)
                continue;
            const egdi_cell *cell = &row.cells[c];
            const char *why = NULL;
            double x;
            egdi_status vs = egdi_cell_number(cell, true, &x, &why);
            if (vs == EGDI_DONE)
                continue;
            if (vs && cell->text && m->nodes[colnode[c]].rule == EGDI_RULE_YESNO) {
                bool b;
                if (egdi_value_bool(cell->text, cell->len, &b, &why) == EGDI_OK) {
                    x = b ? 1 : 0;
                    vs = EGDI_OK;
                }
            }
            if (vs) {
                st = egdi_error_set(err, EGDI_ERR_VALUE, "%s: \"%s\" is not a number (%s)",
                                    m->nodes[colnode[c]].code, cell->text ? cell->text : "",
                                    why ? why : "unreadable");
                egdi_error_at(err, file, egdi_reader_sheet(r), row.number, (uint32_t)c + 1);
                goto fail;
            }
            v[colnode[c]] = x;
            if (m->rank_digits == EGDI_RANK_DIGITS_AUTO) {
                int d = egdi_value_decimals(x);
                if (d > t->decimals)
                    t->decimals = d;
            }
        }
    }
    if (st != EGDI_DONE)
        goto fail;
    if (n > 1) {
        idrow *ir = malloc(n * sizeof *ir);
        if (!ir)
            goto nomem;
        for (size_t i = 0; i < n; i++)
            ir[i] = (idrow){t->codes[i], t->rows[i]};
        qsort(ir, n, sizeof *ir, cmp_idrow);
        for (size_t i = 1; i < n; i++)
            if (strcmp(ir[i].id, ir[i - 1].id) == 0) {
                st = egdi_error_set(err, EGDI_ERR_EXISTS, "unit %s appears twice (rows %u and %u)",
                                    ir[i].id, ir[i - 1].row, ir[i].row);
                egdi_error_at(err, file, egdi_reader_sheet(r), ir[i].row, (uint32_t)idc + 1);
                free(ir);
                goto fail;
            }
        free(ir);
    }
    t->units = calloc(n ? n : 1, sizeof *t->units);
    if (!t->units)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        t->units[i] = (egdi_score_unit){t->codes[i], t->names[i], EGDI_UNIT_DEPARTMENT, NULL, NAN};
    t->in.units = t->units;
    t->in.raw = t->raw;
    free(colnode);
    return EGDI_OK;
nomem:
    st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the table");
fail:
    free(colnode);
    egdi_round_input_release(t);
    return st;
}
