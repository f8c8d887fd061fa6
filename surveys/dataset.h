/*
 * dataset.h - the survey dataset: respondents in rows, the columns of a
 * questionnaire file (`--data FILE`) or of a stored survey (`--survey NAME`),
 * prepared once for every questionnaire statistic: `egdi survey` (each
 * subcommand), the report's survey tables (surveys/summary.c) and the
 * benchmark all read survey data through this module and nothing else.
 *
 * What it does, in order:
 *   1. load: a file is streamed through the reader (engine/readers) once;
 *      each cell becomes a number by egdi_answer_value()
 *      (engine/import/answers.h), the rule `egdi import survey` stores
 *      answers with, so a file gives the same numbers before and after
 *      import; text answers become codes through the answer labels
 *      (--labels FILE or "1=...,5=...", else the stored survey's).  Columns
 *      are kept one byte per row while they hold whole numbers 0..254
 *      (Likert answers: a 200,000 x 44 survey is 9 MB, not 70 MB of
 *      doubles), doubles from their first other number on.  The first cell
 *      of a column that is not a number is remembered, so using that column
 *      as numbers fails naming the file, sheet, row, column and value.  A
 *      stored survey (engine/store/survey_store.h) brings its items, reverse
 *      keys, dimensions, scale and labels.
 *   2. define: the items analysed (--items, else the items of --scales, else
 *      the stored survey's items, else every column of numbers), the reverse
 *      keys (--reverse, the scales table's reversed column, the stored keys),
 *      the declared scale (--scale, else the stored one) and the scales
 *      (dimensions) from --scales FILE or the store.
 *   3. serve: item matrices with reverse keys applied as MIN + MAX - x,
 *      listwise (rows complete on the given columns: SPSS) or pairwise (NaN
 *      kept: psych); scale scores; columns as numbers; the text of kept
 *      columns (group labels); groups for t-tests and ANOVA; matched pairs
 *      of long data.  Each checks the columns it uses (numbers only, some
 *      answer, within the declared scale) and names the cell that is not.
 *
 * The library never prints: every failure is an egdi_status with an
 * egdi_error (EGDI_ERR_ARG for a wrong option: an unknown item, a reverse
 * key without a scale...).
 *
 * Ownership: an egdi_dataset owns all its columns, strings and arrays;
 * egdi_dataset_free() frees it.  Results (egdi_item_matrix, egdi_groups)
 * own their arrays and borrow names from the dataset, which must outlive
 * them; each has its _release function.
 */
#ifndef EGDI_DATASET_H
#define EGDI_DATASET_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/import/answers.h"
#include "engine/readers/reader.h"
#include "engine/store/store.h"

/* The byte of a byte column that means "no number" (missing). */
#define EGDI_DATASET_NA 255

/* The most memory a file's columns take while loading: 1.6 GB (a cell is
 * one byte in a byte column, eight as a double, eight more for a kept
 * text's pointer; four per row for its source row number): 200 million
 * double cells, or 10,000,000 x 40 Likert answers with room to spare. */
#define EGDI_DATASET_MAX_BYTES 1600000000ULL

/* The rows a questionnaire file may have when its read options set no
 * limit (the readers' default is Excel's 1,048,576): 100 million, the
 * memory cap above coming first for any survey wider than 12 items. */
#define EGDI_DATASET_MAX_ROWS 100000000u

typedef struct {
    char *name;          /* the header, surrounding spaces trimmed; "" = none */
    unsigned char *code; /* nrows bytes: whole numbers 0..254, EGDI_DATASET_NA
                            = no number; or NULL, and then: */
    double *num;         /* nrows numbers, NaN = no number */
    char **text;         /* nrows texts as written (NULL = empty) for a kept
                            column (egdi_dataset_opts.keep; every attribute of
                            a stored survey); else NULL */
    bool has_value;      /* at least one number */
    uint32_t bad_row;    /* source row of the first cell that is not a number
                            (0 = none); bad_text its text (shortened), bad_why
                            why (static) */
    char *bad_text;
    const char *bad_why;
    bool stored_item;    /* an item of the stored survey */
    char *dimension;     /* its stored dimension, or NULL */
    bool reversed;       /* reverse-keyed (stored, --reverse, --scales) */
    egdi_labels *value_labels; /* this column's value labels ("1=男,2=女":
                                  egdi_dataset_value_labels), or NULL */
    bool code_shared;    /* code lies in the dataset's code_block (a file's
                            columns): not freed on its own */
} egdi_dataset_column;

typedef struct {
    char *name;
    size_t n;
    size_t *col;         /* n column indices */
} egdi_dataset_scale;

/* How a scale (dimension) is scored from its keyed items. */
typedef enum {
    EGDI_SCORE_MEAN = 0, /* the mean of its items (default) */
    EGDI_SCORE_SUM       /* their sum */
} egdi_score_kind;

typedef struct {
    char *source;        /* the file, or "survey NAME": headings, errors */
    char *sheet;         /* the XLSX sheet read, or NULL */
    size_t nrows, ncols;
    egdi_dataset_column *col;
    uint32_t *row;       /* nrows source row numbers */
    egdi_labels labels;  /* answer labels: given, else the stored survey's */
    bool have_scale;     /* the declared answer scale */
    double scale_min, scale_max;
    size_t nitems;       /* the analysed items (egdi_dataset_define) */
    size_t *item;        /* nitems column indices */
    size_t nscales;      /* scales (dimensions), in the order defined */
    egdi_dataset_scale *scale;
    egdi_score_kind score; /* how egdi_dataset_variable scores a scale */
    /* a stored survey's respondents as rated units (egdi_dataset_load_rated;
     * else NULL / 0): */
    char *unit_column;   /* the survey's unit column, or NULL */
    int64_t *unit_id;    /* nrows: the unit (store id) each respondent rates */
    int64_t *batch_id;   /* nrows: the import each respondent came from */
    size_t n_round;      /* the round's respondents, rating a unit or not */
    unsigned char *code_block; /* the byte columns of a file, one block
                                  (egdi_dataset_load_file), or NULL */
} egdi_dataset;

typedef struct {
    /* where: a file, or a stored survey */
    const char *data;        /* CSV or XLSX file */
    const char *survey;      /* a stored survey's name ... */
    const char *db;          /* ... in this store */
    egdi_read_opts read;     /* sheet, encoding, limits (encoding and limits
                                also for the labels and scales files) */
    const char *labels;      /* answer labels: FILE or "1=...,5=..." */
    const char *const *keep; /* names of file columns whose text is kept */
    size_t nkeep;
    /* what (egdi_dataset_define) */
    const char *items;       /* item list (engine/core/itemlist.h) */
    const char *reverse;     /* reverse-keyed items, same syntax */
    const char *scales;      /* scales table file (engine/import/scales.h) */
    bool have_scale;         /* --scale MIN-MAX */
    double scale_min, scale_max;
    egdi_score_kind score;   /* --score mean|sum */
} egdi_dataset_opts;

/* Zeroes o and sets the default read options. */
void egdi_dataset_opts_init(egdi_dataset_opts *o);

/*
 * Loads o->data or the stored o->survey (exactly one; EGDI_ERR_ARG
 * otherwise) with its labels, then egdi_dataset_define().
 */
egdi_status egdi_dataset_open(const egdi_dataset_opts *o, egdi_dataset **out, egdi_error *err);

/*
 * Loads a file: the first row with a non-blank cell holds the column names.
 * labels (may be NULL) is copied.  keep[0..nkeep) name columns whose text
 * is kept.  Nothing is defined yet (nitems 0).
 */
egdi_status egdi_dataset_load_file(const char *path, const egdi_read_opts *ro,
                                   const egdi_labels *labels, const char *const *keep,
                                   size_t nkeep, egdi_dataset **out, egdi_error *err);

/* Loads stored survey name; labels (may be NULL) replaces its stored ones. */
egdi_status egdi_dataset_load_store(egdi_store *s, const char *name, const egdi_labels *labels,
                                    egdi_dataset **out, egdi_error *err);

/*
 * Loads the respondents of stored survey name that rate a unit and belong
 * to round (engine/store/survey_store.h, egdi_survey_load_rated), for
 * scoring the units: the items with their reverse keys, dimensions, scale
 * and labels, no attribute column, and unit_id / batch_id per row.  nrows
 * may be 0.  EGDI_ERR_NOT_FOUND when there is no such survey.
 */
egdi_status egdi_dataset_load_rated(egdi_store *s, const char *name, int round,
                                    egdi_dataset **out, egdi_error *err);

/*
 * Chooses the items, reverse keys, scale and scales from o (items, reverse,
 * scales, have_scale...; the rest is not used; o NULL = the defaults: a
 * stored survey's own definition, every column of numbers for a file).
 * EGDI_ERR_ARG for an item list naming no or an unknown column, a reverse
 * key that is not an item, reverse keys without a scale; the scales
 * table's own errors.  May be called once.
 */
egdi_status egdi_dataset_define(egdi_dataset *ds, const egdi_dataset_opts *o, egdi_error *err);

void egdi_dataset_free(egdi_dataset *ds);

/* Value (row i, column j): NaN when missing or not a number. */
static inline double egdi_dataset_at(const egdi_dataset *ds, size_t j, size_t i)
{
    const egdi_dataset_column *c = &ds->col[j];
    if (c->code)
        return c->code[i] == EGDI_DATASET_NA ? NAN : (double)c->code[i];
    return c->num[i];
}

/* Value of column j as analysed: MIN + MAX - x when reverse-keyed. */
static inline double egdi_dataset_scored(const egdi_dataset *ds, size_t j, double x)
{
    return ds->col[j].reversed ? ds->scale_min + ds->scale_max - x : x;
}

/* The text of cell (row i, column j) of a kept column, or NULL. */
const char *egdi_dataset_text(const egdi_dataset *ds, size_t j, size_t i);

/* Checks column j as the statistics use it (egdi_dataset_matrix's checks:
 * numbers only, some answer, and for an item within the declared scale),
 * naming the cell that is not. */
egdi_status egdi_dataset_check(const egdi_dataset *ds, size_t j, bool item, egdi_error *err);

/* The column called name (exact): EGDI_ERR_ARG when there is none,
 * EGDI_ERR_FORMAT when two columns have that name. */
egdi_status egdi_dataset_find(const egdi_dataset *ds, const char *name, size_t *j,
                              egdi_error *err);

/*
 * Checks that every scale's columns are among the items (EGDI_ERR_ARG
 * "scale S uses X, which is not among the --items" otherwise): needed when
 * both the items and the scales are analysed (alpha per scale).
 */
egdi_status egdi_dataset_check_scales(const egdi_dataset *ds, egdi_error *err);

typedef enum {
    EGDI_LISTWISE = 0, /* rows with an answer to every column (SPSS) */
    EGDI_PAIRWISE      /* every row, NaN where missing (psych) */
} egdi_deletion;

/* An item matrix: x[j * n + i] = respondent i, item j, reverse keys applied;
 * NaN only when pairwise.  names[j] and the strings are borrowed from the
 * dataset; the arrays are the matrix's.  n_read = rows of the dataset.
 *
 * A byte matrix (egdi_dataset_matrix_small, issue 20) holds no doubles: x is
 * NULL and item j of respondent i is the byte code[j][at[i]] (at NULL: row
 * i) of the dataset's own column, keyed as flip - byte when reversed[j]
 * (flip = MIN + MAX), the same double the matrix of doubles holds.  code
 * borrows the dataset's columns; at is the matrix's.  Read any matrix with
 * egdi_item_matrix_at(); egdi_item_matrix_doubles() turns a byte matrix
 * into doubles for a statistic that wants them. */
typedef struct {
    size_t n, p, n_read;
    double *x;            /* n x p, or NULL in a byte matrix */
    uint32_t *rows;       /* n source rows */
    const char **names;   /* p */
    bool *reversed;       /* p */
    const unsigned char **code; /* byte matrix: p columns (nrows bytes), else NULL */
    uint32_t *at;         /* byte matrix: n dataset rows, or NULL = rows 0..n-1 */
    double flip;          /* byte matrix: MIN + MAX of the declared scale */
} egdi_item_matrix;

/* Item j of respondent i of m (either kind); NaN when missing. */
static inline double egdi_item_matrix_at(const egdi_item_matrix *m, size_t j, size_t i)
{
    if (m->x)
        return m->x[j * m->n + i];
    unsigned char b = m->code[j][m->at ? m->at[i] : i];
    if (b == EGDI_DATASET_NA)
        return NAN;
    return m->reversed[j] ? m->flip - (double)b : (double)b;
}

/*
 * The matrix of columns cols[0..p) with missing deletion (rows complete on
 * these columns when listwise).  Each column must be numbers only
 * (EGDI_ERR_VALUE at the first other cell), hold an answer (EGDI_ERR_VALUE
 * naming the item) and, with a declared scale, lie within it (EGDI_ERR_VALUE
 * at the first cell outside).  out is zeroed first.
 */
egdi_status egdi_dataset_matrix(const egdi_dataset *ds, const size_t *cols, size_t p,
                                egdi_deletion deletion, egdi_item_matrix *out, egdi_error *err);
void egdi_dataset_matrix_release(egdi_item_matrix *m);

/*
 * As egdi_dataset_matrix (same checks, rows and errors), but listwise, when
 * every column is kept as bytes, the result is a byte matrix: no copy of the
 * answers, n dataset rows (4 bytes each) at most, so that 1,000,000 x 40
 * Likert answers take 40 MB, not 320 MB of doubles.  Columns of other
 * numbers give the matrix of doubles.  Release with
 * egdi_dataset_matrix_release().
 */
egdi_status egdi_dataset_matrix_small(const egdi_dataset *ds, const size_t *cols, size_t p,
                                      egdi_deletion deletion, egdi_item_matrix *out,
                                      egdi_error *err);

/* Fills m->x of a byte matrix (no-op for a matrix of doubles): the same
 * numbers egdi_dataset_matrix gives.  EGDI_ERR_NOMEM. */
egdi_status egdi_item_matrix_doubles(egdi_item_matrix *m, egdi_error *err);

/* Rows with an answer to each of cols[0..p). */
size_t egdi_dataset_complete(const egdi_dataset *ds, const size_t *cols, size_t p);

/*
 * The score of each row on the items cols[0..p) taken as one scale: the
 * mean (ds->score EGDI_SCORE_SUM: the sum) of the items, reversed where
 * keyed, NaN when any is missing; the items are checked as by
 * egdi_dataset_matrix.  *y is malloc'ed (nrows values).  The one place a
 * scale is scored: egdi_dataset_variable and the units' survey indicators
 * (indicators/survey_source.c) use it.
 */
egdi_status egdi_dataset_scale_scores(const egdi_dataset *ds, const size_t *cols, size_t p,
                                      double **y, egdi_error *err);

/*
 * The columns an item list names ("S1-S3,S5", also with full-width commas;
 * engine/core/itemlist.h), as --items reads it: *idx (malloc'ed) holds *n
 * column indices.  EGDI_ERR_ARG for an unknown column or a list naming none.
 */
egdi_status egdi_dataset_columns(const egdi_dataset *ds, const char *list, size_t **idx,
                                 size_t *n, egdi_error *err);

/*
 * The values of variable name: a scale, scored as the mean (ds->score
 * EGDI_SCORE_SUM: the sum) of its items (reversed where keyed; NaN when any
 * is missing; items checked as by egdi_dataset_matrix), else a column of
 * numbers (checked).  *y is malloc'ed (nrows values, NaN = missing).
 */
egdi_status egdi_dataset_variable(const egdi_dataset *ds, const char *name, double **y,
                                  egdi_error *err);

typedef struct {
    size_t k;
    char **label;      /* k group labels */
    size_t *n;         /* values per group */
    double **x;        /* x[g][0..n[g]) */
    size_t n_used;     /* rows with a value and a group among the labels */
} egdi_groups;

/*
 * Splits y (nrows values, NaN = missing) by the categories of column gcol
 * (egdi_dataset_categories: a kept text column, a coded column, or both,
 * with its value labels).  levels[0..nlevels) chooses and orders the groups
 * (each a category's label, or its code); with levels NULL every category
 * of a row with a value is a group, in the categories' order.  Rows
 * without a value or a group are left out.
 */
egdi_status egdi_dataset_groups(const egdi_dataset *ds, size_t gcol, const double *y,
                                const char *const *levels, size_t nlevels, egdi_groups *out,
                                egdi_error *err);
void egdi_dataset_groups_release(egdi_groups *g);

/* egdi_dataset_groups with the categories of the grouping column computed
 * once (egdi_dataset_categories, below), for several variables split by
 * the same column. */
typedef struct egdi_categories egdi_categories;
egdi_status egdi_dataset_groups_by(const egdi_dataset *ds, const egdi_categories *cat,
                                   const double *y, const char *const *levels, size_t nlevels,
                                   egdi_groups *out, egdi_error *err);

/*
 * Long data: the value y of each id (text of kept column icol) in group a
 * and in group b (text of kept column gcol), matched on the id, in id
 * order: *xa, *xb (malloc'ed) hold *n pairs.  An id twice within a group is
 * EGDI_ERR_VALUE.
 */
egdi_status egdi_dataset_pairs(const egdi_dataset *ds, size_t gcol, size_t icol, const double *y,
                               const char *a, const char *b, double **xa, double **xb, size_t *n,
                               egdi_error *err);

/* ---- relations between variables: categories, value labels, variables --- */

/*
 * Value labels of one column, e.g. 性别 "1=男,2=女" (SPSS's VALUE LABELS):
 * spec is a file of rows value,label or a list "1=男,2=女", read by
 * egdi_answer_labels_get() (engine/import/answers.h), the importer's rule.
 * Its codes are shown as the labels wherever the column's categories are
 * (groups, crosstabs, the sample profile, dummy variables), and a text cell
 * equal to a label counts as its code.  Replaces the column's earlier
 * labels.  EGDI_ERR_ARG when there is no such column; the labels' errors.
 */
egdi_status egdi_dataset_value_labels(egdi_dataset *ds, const char *column, const char *spec,
                                      const egdi_read_opts *ro, egdi_error *err);

/* The category of a row that has none (missing). */
#define EGDI_NO_CATEGORY SIZE_MAX

/* The most categories a column may have (a column with more is no
 * categorical variable: an id, a free-text answer). */
#define EGDI_CATEGORIES_MAX 1000

struct egdi_categories {
    size_t k;       /* categories */
    char **label;   /* k labels (see egdi_dataset_categories) */
    double *code;   /* k codes; NaN for a category of text */
    size_t *count;  /* k rows in each */
    size_t *of;     /* nrows: the category of each row, or EGDI_NO_CATEGORY */
    size_t valid, missing;
};

/*
 * The categories of column j, the way a grouping or demographic column is
 * read (性别 男/女, 学历 1-4 with or without value labels):
 *   - a cell with a number (by the answer rule; a text equal to one of the
 *     column's value labels counts as its code) is in the category of that
 *     code, labelled by its value label, else by its text as first written
 *     (a kept column), else by the number;
 *   - another text (a kept column) is a category of its own, the text with
 *     surrounding spaces removed;
 *   - an empty cell is missing.
 * Order: by code when every category has one, else by the labels' bytes
 * (R's factor levels in the C locale).  EGDI_ERR_VALUE when the column has
 * more than EGDI_CATEGORIES_MAX categories.  out is zeroed first; release
 * with egdi_categories_release().
 */
egdi_status egdi_dataset_categories(const egdi_dataset *ds, size_t j, egdi_categories *out,
                                    egdi_error *err);
void egdi_categories_release(egdi_categories *c);

/*
 * True when column j is categorical by itself: it holds text that is no
 * number (nor one of its value labels), e.g. 学历 本科/硕士.
 */
bool egdi_dataset_is_text(const egdi_dataset *ds, size_t j);

/* The scale called name: its index, or -1. */
long egdi_dataset_scale_find(const egdi_dataset *ds, const char *name);

/*
 * The matrix of variables names[0..p) (each a scale, scored as ds->score,
 * or a column of numbers, as egdi_dataset_variable), with missing deletion:
 * listwise keeps the rows with every value.  names[j] of the result are
 * borrowed from the dataset (the column's or the scale's name); reversed is
 * false for all (a scale's items are keyed already).  A name given twice is
 * EGDI_ERR_ARG.  out is zeroed first.
 */
egdi_status egdi_dataset_variables(const egdi_dataset *ds, const char *const *names, size_t p,
                                   egdi_deletion deletion, egdi_item_matrix *out,
                                   egdi_error *err);

/*
 * The scores of every scale: (*x)[k * nrows + i] = scale k, row i, as
 * egdi_dataset_variable scores it (NaN when an item is missing).  *x is
 * malloc'ed.  EGDI_ERR_ARG when the dataset has no scales.
 */
egdi_status egdi_dataset_scores(const egdi_dataset *ds, double **x, egdi_error *err);

/*
 * The text of row i of column j as an id: its kept text, else its number
 * (as %.15g into buf), else NULL (empty).
 */
const char *egdi_dataset_cell_text(const egdi_dataset *ds, size_t j, size_t i, char buf[32]);

#endif
