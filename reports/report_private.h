/*
 * report_private.h - what the files of reports/ share and nobody else needs:
 * texts in the report language, the index code, label cleaning, and the
 * display-name variants of the writers (so errors name the final file, not
 * the staging copy).
 */
#ifndef EGDI_REPORT_PRIVATE_H
#define EGDI_REPORT_PRIVATE_H

#include "reports/report.h"

#include <xlsxwriter.h>

/* zh or en, by d->lang.  A macro so the compiler checks both formats. */
#define TR(d, zh, en) ((d)->lang == EGDI_REPORT_EN ? (en) : (zh))

/* d->index_code or "EGDI". */
const char *report_index(const egdi_report_data *d);

/* The report title (d->title or a default in the report language). */
const char *report_title(const egdi_report_data *d);

/* s, or "" when s is NULL. */
const char *report_str(const char *s);


/*
 * workbook_close(wb), unless memory is too short for it: libxlsxwriter's
 * packaging does not check every allocation it makes (lxw_new_attribute_str
 * writes through a failed one), so a workbook is closed only when
 * REPORT_XLSX_CLOSE_ROOM more bytes could be allocated just now; otherwise
 * it is freed unwritten and LXW_ERROR_MEMORY_MALLOC_FAILED returned.  Every
 * workbook egdi writes is closed through here.
 */
#define REPORT_XLSX_CLOSE_ROOM (4u << 20)
lxw_error report_xlsx_close(lxw_workbook *wb);

/* About how many rows the workbook of d has (its unit and region sheets). */
uint64_t report_xlsx_rows(const egdi_report_data *d);

/* As egdi_report_xlsx, naming shown (not path) in errors.  progress (may
 * be NULL; a part of the report's, egdi_progress_part) is told every
 * 1,024th row begun of report_xlsx_rows(d), never reaching the end before
 * the workbook is closed (the caller tells that).  *csv (may be NULL) says
 * whether the wide tables were written as CSV files beside path
 * (report_grid_csv). */
egdi_status report_xlsx_named(const egdi_report_data *d, const char *path, const char *shown,
                              const egdi_progress *progress, bool *csv, egdi_error *err);

/* A unit's index within this margin of a stage's lower bound is flagged
 * as near the boundary, on the page and in the workbook (a small change in
 * one indicator moves its stage). */
#define EGDI_REPORT_NEAR_BOUNDARY 1.0

/* ---- the units x indicators table (grid.c, issue 20) ------------------ */

/* Most indicator columns of the wide sheets and the heat table. */
#define REPORT_GRID_MAX_COLS 400
#define REPORT_GRID_NONE UINT32_MAX

/* Rows: d->units (nunits of them), then d->regions; columns: the indicator
 * codes of d->indicators in first-seen order.  cell[row * ncols + col] is
 * an index into d->indicators or REPORT_GRID_NONE. */
typedef struct {
    size_t nrows, nunits, ncols;
    const char *cols[REPORT_GRID_MAX_COLS];  /* indicator codes (borrowed) */
    const char *names[REPORT_GRID_MAX_COLS]; /* their names (borrowed) */
    bool cols_left;  /* more indicators than REPORT_GRID_MAX_COLS: the rest
                        are not in the table */
    size_t outside;  /* indicator rows not in the table: no such unit or
                        region, beyond the column cap, a repeated value */
    uint32_t *cell;
} report_grid;

/* Builds g from d; false when out of memory (g then holds nothing). */
bool report_grid_build(const egdi_report_data *d, report_grid *g);
/* The indicator row at (row, col), or NULL. */
const egdi_report_indicator *report_grid_at(const egdi_report_data *d, const report_grid *g,
                                            size_t row, size_t col);
/* Whether the row holds no value. */
bool report_grid_row_empty(const report_grid *g, size_t row);
/* Frees what g holds (g itself is the caller's). */
void report_grid_release(report_grid *g);

/* (issue 20) d->csv_cells, or EGDI_REPORT_CSV_CELLS when 0. */
size_t report_csv_cells(const egdi_report_data *d);
/* Whether g has more cells (rows x indicator columns) than
 * report_csv_cells(d): then its tables are CSV files, report_csv_files
 * (Indicators, Matrix, Sources), and their sheets and the page's heat
 * table show the top report_top_units(d) units and say where the rest is. */
bool report_grid_csv(const egdi_report_data *d, const report_grid *g);
#define REPORT_CSV_FILES EGDI_REPORT_CSV_FILES
extern const char *const report_csv_files[REPORT_CSV_FILES];

/* How many units the page's tables and charts that cannot sensibly hold
 * every unit show (the heat table): d->top_units, or this when 0. */
#define EGDI_REPORT_TOP_UNITS 1000
size_t report_top_units(const egdi_report_data *d);

/* Maximum bytes of one chart SVG read back for the page. */
#define EGDI_RPT_MAX_SVG (32u << 20)

#endif
