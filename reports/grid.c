/*
 * grid.c - the units x indicators table of a report (issue 20): the one
 * place that turns the indicator rows of egdi_report_data (one row per unit
 * and indicator, as the store holds them) into a dense table with one row
 * per unit and one column per indicator.  The workbook's wide sheets
 * (Indicators, Sources, Matrix) and the page's heat table read it.
 *
 * Data structure: cell[r * ncols + c] is the index in d->indicators of the
 * value of row r (d->units[r], then d->regions[r - nunits]) and column c
 * (the indicator codes in the order they first appear), or
 * REPORT_GRID_NONE.  Units are found through their codes sorted once
 * (qsort, then binary search); consecutive rows of one unit and the
 * indicator that follows the last one are tried first, which is the order
 * the report's builder writes them in.
 *
 * Memory: report_grid_build allocates cell; report_grid_release frees it.
 */
#include "reports/report_private.h"

#include "engine/core/bigmem.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *code;
    size_t row;
} code_row;

static int cmp_code_row(const void *a, const void *b)
{
    const code_row *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    if (c)
        return c;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* The table row of unit code in the sorted index, or SIZE_MAX. */
static size_t find_row(const code_row *idx, size_t n, const char *code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(idx[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(idx[lo].code, code) == 0 ? idx[lo].row : SIZE_MAX;
}

static bool same(const char *a, const char *b)
{
    return a == b || strcmp(a, b) == 0;
}

bool report_grid_build(const egdi_report_data *d, report_grid *g)
{
    memset(g, 0, sizeof *g);
    g->nunits = d->nunits;
    g->nrows = d->nunits + d->nregions;
    size_t last = 0;
    for (size_t i = 0; i < d->nindicators; i++) {
        const egdi_report_indicator *e = &d->indicators[i];
        if (!e->indicator_code)
            continue;
        /* the column after the last one first (the builder's order), then
         * every column */
        size_t c = last + 1 < g->ncols ? last + 1 : 0;
        if (c >= g->ncols || !same(g->cols[c], e->indicator_code))
            for (c = 0; c < g->ncols && !same(g->cols[c], e->indicator_code); c++)
                ;
        last = c;
        if (c == g->ncols) {
            if (g->ncols == REPORT_GRID_MAX_COLS) {
                g->cols_left = true;
                continue;
            }
            g->cols[g->ncols] = e->indicator_code;
            g->names[g->ncols++] = e->indicator_name;
        }
    }
    size_t ncells = g->nrows * g->ncols;
    code_row *idx = malloc((g->nrows ? g->nrows : 1) * sizeof *idx);
    g->cell = egdi_bigmem_alloc((ncells ? ncells : 1) * sizeof *g->cell);
    if (!idx || !g->cell) {
        free(idx);
        free(g->cell);
        g->cell = NULL;
        return false;
    }
    for (size_t i = 0; i < ncells; i++)
        g->cell[i] = REPORT_GRID_NONE;
    size_t nidx = 0;
    for (size_t r = 0; r < g->nrows; r++) {
        const egdi_report_unit *u = r < d->nunits ? &d->units[r] : &d->regions[r - d->nunits];
        if (u->code)
            idx[nidx++] = (code_row){u->code, r};
    }
    qsort(idx, nidx, sizeof *idx, cmp_code_row);
    const char *last_unit = NULL;
    size_t row = SIZE_MAX, col = 0;
    for (size_t i = 0; i < d->nindicators; i++) {
        const egdi_report_indicator *e = &d->indicators[i];
        if (!e->unit_code || !e->indicator_code) {
            g->outside++;
            continue;
        }
        if (!last_unit || !same(last_unit, e->unit_code)) {
            last_unit = e->unit_code;
            row = find_row(idx, nidx, e->unit_code);
        }
        /* the column after the last one first, then every column */
        size_t c = g->ncols && col + 1 < g->ncols ? col + 1 : 0;
        if (c >= g->ncols || !same(g->cols[c], e->indicator_code))
            for (c = 0; c < g->ncols && !same(g->cols[c], e->indicator_code); c++)
                ;
        if (row == SIZE_MAX || c == g->ncols) {
            g->outside++;
            continue;
        }
        col = c;
        uint32_t *at = &g->cell[row * g->ncols + c];
        if (*at != REPORT_GRID_NONE)
            g->outside++; /* a second value of one unit and indicator */
        else
            *at = (uint32_t)i;
    }
    free(idx);
    return true;
}

const egdi_report_indicator *report_grid_at(const egdi_report_data *d, const report_grid *g,
                                            size_t row, size_t col)
{
    uint32_t k = g->cell[row * g->ncols + col];
    return k == REPORT_GRID_NONE ? NULL : &d->indicators[k];
}

bool report_grid_row_empty(const report_grid *g, size_t row)
{
    for (size_t c = 0; c < g->ncols; c++)
        if (g->cell[row * g->ncols + c] != REPORT_GRID_NONE)
            return false;
    return true;
}

void report_grid_release(report_grid *g)
{
    if (!g)
        return;
    free(g->cell);
    g->cell = NULL;
}

size_t report_top_units(const egdi_report_data *d)
{
    return d->top_units ? d->top_units : EGDI_REPORT_TOP_UNITS;
}

const char *const report_csv_files[REPORT_CSV_FILES] = {"indicators.csv", "matrix.csv",
                                                         "sources.csv"};

size_t report_csv_cells(const egdi_report_data *d)
{
    return d->csv_cells ? d->csv_cells : EGDI_REPORT_CSV_CELLS;
}

bool report_grid_csv(const egdi_report_data *d, const report_grid *g)
{
    return (uint64_t)g->nrows * g->ncols > report_csv_cells(d);
}
