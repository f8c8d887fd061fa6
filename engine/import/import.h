/*
 * import.h - importing units, indicator metrics and survey responses from a
 * spreadsheet into the store, each import one transaction.
 *
 * An import reads the whole file first and checks every cell; when any cell
 * is rejected nothing is written (unless skip_bad_rows, which stores the good
 * rows) and every rejected cell is listed in the result with its row, column,
 * value and reason.  The same file (same SHA-256) imported again as the same
 * kind into the same round or survey is refused with EGDI_ERR_EXISTS unless
 * replace is set, in which case the earlier import is removed first.
 *
 * The importers read, check and decide; the SQL they run is the store's
 * (engine/store/batches.h, units.h, observations.h, survey_write.h).
 */
#ifndef EGDI_IMPORT_H
#define EGDI_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/readers/reader.h"
#include "engine/store/store.h"

typedef enum { EGDI_LAYOUT_AUTO = 0, EGDI_LAYOUT_WIDE, EGDI_LAYOUT_LONG } egdi_layout;

typedef struct {
    egdi_read_opts read;
    int round;                /* metrics (required), survey (optional, 0 = none) */
    bool replace;
    bool skip_bad_rows;
    egdi_layout layout;       /* metrics */
    /* survey */
    const char *survey;       /* name (required for survey imports) */
    const char *items;        /* item list (itemlist.h); NULL = detect */
    const char *reverse;      /* reverse-keyed items */
    const char *id_col;       /* respondent id column */
    const char *labels;       /* file: value,label */
    const char *scales;       /* file: scale,item,reversed (dimensions) */
    bool have_scale;
    double scale_min, scale_max;
} egdi_import_opts;

typedef struct {
    uint32_t row, col; /* 1-based; col 0 = the whole row */
    char *value;       /* the cell as written ("" when empty) */
    char *reason;
} egdi_reject;

/* The most rejects kept in a result; the count goes on past it. */
#define EGDI_IMPORT_MAX_REJECTS 10000

typedef struct {
    int64_t batch_id;     /* 0 when nothing was written */
    char sha256[65];
    char *sheet;          /* the sheet read (XLSX), or NULL */
    size_t rows_read;     /* data rows (header excluded) */
    size_t rows_stored;
    size_t values_stored;
    size_t rows_unchanged;/* units already there, identical */
    bool replaced;        /* an earlier import of this file was replaced */
    size_t nrejects;      /* all rejected cells */
    size_t nkept;         /* rejects[0..nkept) */
    egdi_reject *rejects;
    char *note;           /* what was detected (layout, items), or NULL */
} egdi_import_result;

void egdi_import_opts_init(egdi_import_opts *o);
void egdi_import_result_release(egdi_import_result *r);

egdi_status egdi_import_units(egdi_store *s, const char *path, const egdi_import_opts *o,
                              egdi_import_result *res, egdi_error *err);
egdi_status egdi_import_metrics(egdi_store *s, const char *path, const egdi_import_opts *o,
                                egdi_import_result *res, egdi_error *err);
egdi_status egdi_import_survey(egdi_store *s, const char *path, const egdi_import_opts *o,
                               egdi_import_result *res, egdi_error *err);

#endif
