/*
 * survey_data.h - the data behind `egdi survey`, beyond survey_cli.h's item
 * matrix: the whole sheet as numbers (for --y / --group columns), kept text
 * of chosen columns (group labels, pair ids), and named scales from
 * --scales.  Implemented in cmd_survey.c; used by the subcommand files.
 *
 * A survey_sheet owns everything in it; survey_sheet_free() frees it.
 * A survey_scaleset owns its names and index arrays; survey_scales_free().
 */
#ifndef EGDI_SURVEY_DATA_H
#define EGDI_SURVEY_DATA_H

#include <math.h>

#include "cli/survey_cli.h"
#include "surveys/ttest.h"

typedef struct {
    char *source;       /* file name for headings */
    char *sheet;        /* sheet name (XLSX) or NULL */
    size_t ncols, nrows;
    char **header;      /* ncols; "" for a column without a header */
    double **col;       /* ncols columns of nrows values; NaN = empty or not a number;
                           col[j] is NULL when code[j] holds the column */
    unsigned char **code; /* NULL, or ncols: a column read from a file whose
                           values are all whole numbers 0..254 (Likert answers)
                           is kept one byte per row, SURVEY_CODE_NA = NaN;
                           read any column with survey_sheet_at() */
    uint32_t *rownum;   /* nrows source row numbers */
    uint32_t *bad_row;  /* ncols: first row with a non-number (0 = none) */
    char **bad_text;    /* ncols: that cell's text (shortened) */
    const char **bad_why;
    bool *has_value;    /* ncols: at least one number */
    char ***text;       /* ncols; text[j] (nrows strings, NULL = empty) only for
                           the columns asked for, else NULL */
    /* A survey from the store (--survey) also brings its definition; all
     * NULL / false for a file. */
    bool *is_item;          /* ncols: an item column */
    bool *stored_reversed;  /* ncols: reverse-keyed at import */
    char **dimension;       /* ncols: the item's scale, NULL when none */
    bool have_scale;
    double scale_min, scale_max;
} survey_sheet;

#define SURVEY_CODE_NA 255

/* Value (row i, column j) of the sheet, NaN when empty or not a number. */
static inline double survey_sheet_at(const survey_sheet *s, size_t j, size_t i)
{
    if (s->code && s->code[j]) {
        unsigned char c = s->code[j][i];
        return c == SURVEY_CODE_NA ? NAN : (double)c;
    }
    return s->col[j][i];
}

/* survey_sheet_load() for --survey NAME: the stored survey as a sheet
 * (survey_stored.c). */
int survey_sheet_from_store(const survey_opts *o, const char *cmd, const char *const *keep,
                            size_t nkeep, survey_sheet **out);

/*
 * Reads the file of o (first non-empty row = header), keeping the text of
 * the columns named in keep[0..nkeep).  Prints one error line and returns
 * CLI_FAIL / CLI_USAGE on failure.
 */
int survey_sheet_load(const survey_opts *o, const char *cmd, const char *const *keep,
                      size_t nkeep, survey_sheet **out);
void survey_sheet_free(survey_sheet *s);

/* The column called name, or -1 (and an error line when report). */
long survey_sheet_find(const survey_sheet *s, const char *name, const char *cmd, bool report);

/* Fails (one line naming file/sheet/row/column and the value) when column j
 * holds a cell that is not a number; returns CLI_OK otherwise. */
int survey_sheet_check_numeric(const survey_sheet *s, size_t j, const char *cmd);

/* Parses an item list ("A1-A5,B2", also with full-width commas) against the
 * header into column indices with egdi_itemlist_select (engine/core/itemlist.h:
 * sheet order within ranges, list order otherwise, an item listed twice is
 * an error); columns without a header are left out.  *idx is malloc'ed.
 * Prints the error and returns CLI_USAGE on failure. */
int survey_parse_list(const survey_sheet *s, const char *list, const char *cmd,
                      size_t **idx, size_t *n);

typedef struct {
    size_t k;
    char **name;        /* k scale names */
    size_t *count;      /* items per scale */
    size_t **item;      /* item[s][0..count[s]): sheet column indices */
    bool **reversed;    /* reversed[s][i] */
} survey_scaleset;

/* Reads --scales FILE (columns scale, item, reversed) against sheet s.
 * An empty set when o->scales is NULL.  Prints the error on failure. */
int survey_scales_load(const survey_opts *o, const survey_sheet *s, const char *cmd,
                       survey_scaleset *out);
void survey_scales_free(survey_scaleset *set);

/*
 * survey_load_items() that also returns the scales of --scales with their
 * items as MATRIX column indices (an empty set without --scales).  Free
 * with survey_matrix_free() and survey_scales_free().
 */
int survey_load_items_scales(const survey_opts *o, cli_ctx *ctx, const char *cmd,
                             survey_matrix *m, survey_scaleset *scales);

/*
 * The values of --y NAME: a numeric column, or a scale of o->scales whose
 * score is the mean of its keyed items (reversed as MIN + MAX - x, needing
 * --scale; NaN when any item is missing).  *y is malloc'ed (nrows).
 */
int survey_variable(const survey_opts *o, const survey_sheet *s, const survey_scaleset *set,
                    const char *name, const char *cmd, double **y);

/* The text of cell (row i, column j) of a kept column, or NULL when empty. */
const char *survey_sheet_text(const survey_sheet *s, size_t j, size_t i);

/*
 * Parses argv (argv[0] = the subcommand name) with the common options plus
 * extra[0..nextra) (nextra <= SURVEY_MAX_EXTRA).  A code that is not a common
 * option goes to handle(c, optarg, ud), which returns 1 when handled or
 * CLI_USAGE after printing the error.  Returns CLI_OK or CLI_USAGE.
 */
#define SURVEY_MAX_EXTRA 16
int survey_getopt(int argc, char **argv, const struct option *extra, size_t nextra,
                  survey_opts *o, const char *cmd,
                  int (*handle)(int c, const char *arg, void *ud), void *ud);

/* Heading words in the chosen language. */
#define SURVEY_L(o, zh, en) ((o)->lang == CLI_ZH ? (zh) : (en))

/* Prints the table in o->fmt (table or CSV; a blank line between tables in
 * CSV), frees it, and returns CLI_OK or CLI_FAIL on a write error. */
int survey_print_table(cli_table *t, const survey_opts *o, const char *cmd, bool first);

typedef struct {
    size_t k;
    char **label;      /* k group labels */
    size_t *n;         /* answers per group */
    double **x;        /* x[g][0..n[g]) */
    size_t n_used;     /* rows with y and a group among the levels */
} survey_groups;

/*
 * Splits y (s->nrows values, NaN = missing) by the text of kept column gcol.
 * levels[0..nlevels) chooses and orders the groups; with levels NULL every
 * label is a group, ordered numerically when all labels are numbers, else
 * by byte order (as R sorts factor levels in the C locale).  Rows with a
 * missing y or group are left out.  Prints the error on failure.
 */
int survey_group_values(const survey_sheet *s, size_t gcol, const double *y,
                        const char *const *levels, size_t nlevels, const char *cmd,
                        survey_groups *out);
void survey_groups_free(survey_groups *g);

/* JSON of Levene's test {F, df1, df2, p} and of a t row {t, df, p, se, ci}. */
json_t *survey_json_levene(const egdi_levene *l);
json_t *survey_json_trow(const egdi_trow *r);

/* The command name for messages, e.g. "survey alpha". */
#define SURVEY_CMD(sub) "survey " sub

#endif
