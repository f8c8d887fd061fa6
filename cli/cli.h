/*
 * cli.h - what the command files share: the command table entry, the
 * context, error reporting and output in table / CSV / JSON form.
 *
 * Only the command line prints and exits; the library returns egdi_status
 * and fills egdi_error.  A command returns its exit status: 0 success,
 * 1 failure (one line on stderr), 2 usage error.
 */
#ifndef EGDI_CLI_H
#define EGDI_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "engine/core/error.h"
#include "engine/readers/reader.h"

#define EGDI_VERSION "0.1.0"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef enum { CLI_TABLE = 0, CLI_CSV, CLI_JSON } cli_format;
typedef enum { CLI_ZH = 0, CLI_EN } cli_lang;

typedef struct {
    const char *db_path; /* --db, else $EGDI_DB, else ./egdi.db */
    bool db_given;       /* --db or $EGDI_DB was set */
} cli_ctx;

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv, cli_ctx *ctx);
    const char *usage;   /* after "egdi NAME " */
    const char *summary; /* one line for `egdi --help` */
    const char *help;    /* the rest of `egdi NAME --help` (options) */
} cli_command;

/* The table in main.c, terminated by a NULL name. */
extern const cli_command cli_commands[];

/* Prints `egdi CMD --help` from the table to out. */
void cli_print_help(FILE *out, const cli_command *c);
const cli_command *cli_find(const char *name);

/* "egdi CMD: <where>: <message>" on stderr; returns CLI_FAIL. */
int cli_report(const char *cmd, const egdi_error *err);
/* "egdi CMD: <message>" on stderr; returns CLI_FAIL. */
int cli_fail(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* As cli_fail, adds "(try 'egdi CMD --help')" and returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

bool cli_parse_format(const char *s, cli_format *out);
bool cli_parse_lang(const char *s, cli_lang *out);
/* Parses a whole decimal integer / number; false on anything else. */
bool cli_parse_long(const char *s, long lo, long hi, long *out);
bool cli_parse_double(const char *s, double *out);
/* A byte size: digits with an optional K, M or G (powers of 1024), over 0. */
bool cli_parse_size(const char *s, uint64_t *out);
/* --max-unzipped SIZE or --max-ratio N (name without the dashes) into lim;
 * CLI_OK, or CLI_USAGE after printing the error (limits_opt.c). */
int cli_limit_option(const char *name, const char *arg, egdi_limits *lim, const char *cmd);

/* ---- tables --------------------------------------------------------- */

typedef struct cli_table cli_table;

/* A table with ncols columns and the given headers (copied).  NULL on OOM. */
cli_table *cli_table_new(const char *title, size_t ncols, const char *const *headers);
/* Right-aligns column col in the table view (numbers). */
void cli_table_right(cli_table *t, size_t col);
/* Appends a cell to the current row (copied); NULL is an empty cell. */
int cli_table_cell(cli_table *t, const char *text);
int cli_table_cellf(cli_table *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* A number with `decimals` places; NaN prints as an empty cell. */
int cli_table_num(cli_table *t, double v, int decimals);
/* Ends the current row (missing cells are empty). */
int cli_table_end_row(cli_table *t);
/*
 * CLI_TABLE: title, aligned columns (display width, so CJK text lines up),
 * a rule under the header; CLI_CSV: RFC 4180, header row first, no title,
 * and a text that a spreadsheet would take for a formula gets a leading
 * apostrophe (see cli_csv_field).
 * Returns 0, or -1 when writing failed.
 */
int cli_table_print(const cli_table *t, FILE *out, cli_format fmt);

/*
 * Writes s as one RFC 4180 field.  CSV files are opened in spreadsheets, so
 * a text starting with = + - @, a tab or a carriage return that is not a
 * plain number ("=HYPERLINK(...)", "+cmd|...", "-abc"; not "-5" or "1e3")
 * is written with a leading apostrophe and can never run as a formula.
 * Returns 0, or -1 on a write error.
 */
int cli_csv_field(FILE *out, const char *s);
void cli_table_free(cli_table *t);

/* Dumps j with full precision (17 significant digits) and a newline. */
int cli_json_print(json_t *j, FILE *out);
/* json_real that maps NaN/Inf to null (JSON has no NaN). */
json_t *cli_json_num(double v);

/* The display width of UTF-8 text in a terminal (CJK counts 2). */
size_t cli_text_width(const char *s);

/* Flushes stdout and reports a write error (disk full, closed pipe). */
int cli_finish_output(const char *cmd);

#endif
