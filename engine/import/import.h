/*
 * import.h - importing units, indicator metrics and survey responses from a
 * spreadsheet into the store, each import one transaction.
 *
 * An import reads the whole file first and checks every cell; when anything
 * is wrong nothing is written and every problem is listed in the result
 * with its row, column, value and reason: the structural ones (a heading
 * that matches nothing but looks like an indicator or a field, an ambiguous
 * or duplicated heading of a used column, a missing required column,
 * duplicate unit codes or respondent ids) and the cell ones (not a number,
 * out of range, a unit word the indicator does not allow...), all in one
 * run.  skip_bad_rows stores the rows without a cell problem; skip_bad_cells
 * stores the rest of each row and records each refused cell as a missing
 * value with its reason; a structural problem always stops the import.  The
 * same file (same SHA-256) imported again as the same kind into the same
 * round or survey is refused with EGDI_ERR_EXISTS unless replace is set, in
 * which case the earlier import is removed first.
 *
 * Every column is accounted for: the result lists how each column of the
 * sheet was used (egdi_import_column: a field, an indicator, an item, an
 * attribute, ignored and why, or an error).  The header row is the row of
 * the first rows (EGDI_IMPORT_HEADER_SCAN) whose cells match the most known
 * headings (title rows and merged banners above it are skipped), or the
 * row given (header_row); the result says which and why.  Headings are
 * matched by engine/import/header.h: unit fields by their English and
 * Chinese headings (docs/import.md lists them), indicators by code and by
 * the catalogue's Chinese and English names.
 *
 * Cells that hold no value - empty, a mark such as "—", "N/A", "暂无"
 * (egdi_value_missing) or one of the user's marks (na) - are missing
 * values: a metrics import records them with their cell (never 0), and a
 * survey stores them as missing answers.
 *
 * The catalogue (egdi_import_catalogue) is what the importer knows of the
 * model: each indicator's code, names, unit, allowed range and unit words.
 * It is a plain description built by the caller (indicators/model_import.h
 * makes one from a model); engine/import knows nothing of models.
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
#include "engine/core/progress.h"
#include "engine/readers/reader.h"
#include "engine/store/store.h"

typedef enum { EGDI_LAYOUT_AUTO = 0, EGDI_LAYOUT_WIDE, EGDI_LAYOUT_LONG } egdi_layout;

/* ---- the catalogue: what an import knows of the indicators ------------ */

/* What values an indicator takes. */
typedef enum {
    EGDI_IMPORT_NUMBER = 0, /* a number within lo..hi */
    EGDI_IMPORT_PERCENT,    /* a percentage 0-100: "85%", 85 and a cell formatted
                               as a percent holding 0.85 all give 85 */
    EGDI_IMPORT_SCALE,      /* a mean on an answer scale lo..hi (Likert) */
    EGDI_IMPORT_COUNT,      /* a count or a rate: not negative */
    EGDI_IMPORT_YESNO       /* 是/否, yes/no, 1/0 (stored as 1 / 0) */
} egdi_import_value;

/* Unit kinds an indicator applies to (bit mask). */
enum { EGDI_IMPORT_DEPARTMENT = 1u, EGDI_IMPORT_REGION = 2u };

/* One indicator.  In a catalogue its strings are the catalogue's (copies);
 * one passed to egdi_import_catalogue_add is only read. */
typedef struct {
    const char *code;     /* as the model writes it */
    const char *name_zh, *name_en; /* may be NULL */
    const char *unit;     /* the model's unit text ("%", "datasets"), for messages */
    egdi_import_value value;
    double lo, hi;        /* the allowed range (-INFINITY / INFINITY when open) */
    const char *words;    /* '|'-separated unit words a number may carry ("分",
                             "个|项"); NULL = none */
    unsigned applies;     /* EGDI_IMPORT_DEPARTMENT | EGDI_IMPORT_REGION */
} egdi_import_indicator;

/*
 * The indicators an import checks against, in the model's order.  Owns the
 * array and every string (copied by egdi_import_catalogue_add);
 * egdi_import_catalogue_release() frees them (harmless on a zeroed one).
 */
typedef struct {
    char *model;          /* "jiangsu 2024.1": who the catalogue is from, for messages */
    size_t n;
    egdi_import_indicator *v;
} egdi_import_catalogue;

/* Sets the catalogue's model text (copied). */
egdi_status egdi_import_catalogue_init(egdi_import_catalogue *c, const char *model,
                                       egdi_error *err);
/* Appends a copy of ind. */
egdi_status egdi_import_catalogue_add(egdi_import_catalogue *c, const egdi_import_indicator *ind,
                                      egdi_error *err);
/* The index of the indicator with this code (ASCII case ignored), or -1. */
long egdi_import_catalogue_find(const egdi_import_catalogue *c, const char *code);
void egdi_import_catalogue_release(egdi_import_catalogue *c);

/* "a percentage 0-100", "a count (not negative)" ...: what ind takes, for
 * messages, into buf; returns buf. */
const char *egdi_import_indicator_describe(const egdi_import_indicator *ind, char *buf,
                                           size_t size);

/* ---- options -------------------------------------------------------- */

/* How many rows from the top are searched for the header row. */
#define EGDI_IMPORT_HEADER_SCAN 10

typedef struct {
    egdi_read_opts read;
    int round;                /* metrics (required), survey (optional, 0 = none) */
    bool replace;
    bool skip_bad_rows;       /* store the rows without a cell problem */
    bool skip_bad_cells;      /* store the rest of a row; a refused cell becomes a
                                 missing value with its reason */
    uint32_t header_row;      /* the header's row number; 0 = find it */
    const char *ignore_columns; /* headings to ignore, ','-separated; NULL = none */
    const char *na;           /* more marks for "no value", ','-separated; NULL */
    const egdi_import_catalogue *catalogue; /* metrics: the indicators (NULL = every
                                 heading that is no field is an indicator code, and
                                 values are not checked against a model); units: the
                                 indicators' headings, ignored with a note */
    egdi_layout layout;       /* metrics */
    /* survey */
    const char *survey;       /* name (required for survey imports) */
    const char *items;        /* item list (itemlist.h); NULL = detect */
    const char *reverse;      /* reverse-keyed items */
    const char *id_col;       /* respondent id column */
    const char *unit_col;     /* the column naming the unit each respondent rates
                                 (its code, or a name one stored unit has);
                                 NULL = respondents rate no unit */
    const char *labels;       /* file: value,label */
    const char *scales;       /* file: scale,item,reversed (dimensions) */
    bool have_scale;
    double scale_min, scale_max;
    const egdi_progress *progress; /* rows read, as they are read; NULL = none */
} egdi_import_opts;

typedef struct {
    uint32_t row, col; /* 1-based; col 0 = the whole row */
    char *value;       /* the cell as written ("" when empty) */
    char *reason;
} egdi_reject;

/* The most rejects (and warnings) kept in a result; the count goes on past
 * it. */
#define EGDI_IMPORT_MAX_REJECTS 10000

/* How a column of the sheet was used. */
typedef enum {
    EGDI_COLUMN_FIELD = 0, /* a field of the import: target names it ("code") */
    EGDI_COLUMN_INDICATOR, /* metrics: target is the indicator's code */
    EGDI_COLUMN_ITEM,      /* survey: an item */
    EGDI_COLUMN_ATTRIBUTE, /* survey: kept per respondent */
    EGDI_COLUMN_IGNORED,   /* read and not used; note says why */
    EGDI_COLUMN_ERROR      /* a problem, listed with the rejects too; note says what */
} egdi_column_use;

typedef struct {
    uint32_t col;          /* 1-based */
    char *heading;         /* as written ("" when the column has none) */
    egdi_column_use use;
    char *target;          /* the field, indicator or item; NULL */
    char *note;            /* how it was matched, or why ignored; NULL */
    size_t values;         /* cells read as values */
    size_t missing;        /* cells read as no value (empty, marks) */
    size_t bad;            /* cells refused */
} egdi_import_column;

/* "field", "indicator", "item", "attribute", "ignored", "error". */
const char *egdi_import_column_use_name(egdi_column_use use);

/* A units import: the tree the file describes. */
typedef struct {
    char *code, *name;     /* the region */
    size_t departments;    /* departments of the file under it */
} egdi_import_region;

typedef struct {
    size_t regions, departments;
    size_t orphans;        /* departments without a region */
    size_t by_name;        /* parents given by name, resolved to codes */
    size_t nregions;
    egdi_import_region *per_region; /* each parent region with its departments,
                                       by code */
} egdi_import_tree;

typedef struct {
    int64_t batch_id;     /* 0 when nothing was written */
    char sha256[65];
    char *sheet;          /* the sheet read (XLSX), or NULL */
    size_t rows_read;     /* data rows (header excluded) */
    size_t rows_stored;
    size_t values_stored;
    size_t rows_unchanged;/* units already there, identical */
    bool replaced;        /* an earlier import of this file was replaced */
    size_t nrejects;      /* all problems: structural and cells */
    size_t nstructural;   /* of them, the structural ones (never skipped) */
    size_t nkept;         /* rejects[0..nkept) */
    egdi_reject *rejects;
    char *note;           /* what was detected (layout, items), or NULL */
    uint32_t header_row;  /* the header's row number (0 before it was read) */
    char *header_note;    /* how it was found ("row 2; row 1 above it is a
                             title: ...") */
    size_t ncolumns;      /* columns[0..ncolumns): every column with a heading or
                             a value, in sheet order */
    egdi_import_column *columns;
    size_t nwarnings;     /* warnings[0..nwarnings): what was accepted but
                             deserves a look (a duplicated unused heading, a
                             department without a region) */
    char **warnings;
    size_t missing;       /* missing values recorded (metrics) or stored
                             (survey answers) */
    size_t cells_skipped; /* refused cells stored as missing (skip_bad_cells) */
    /* survey with a unit column: respondents stored rating a unit (of them
     * by the unit's name), stored without one (an empty cell), and the
     * distinct units rated */
    size_t rated, rated_by_name, unrated, units_rated;
    egdi_import_tree tree; /* units */
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
