/*
 * cli.h - what the command files share: the command entry with its option
 * table (from which both the parsing and `--help` are made), the context,
 * error reporting, option values and output in table / CSV / JSON form.
 *
 * Only the command line prints and exits; the library returns egdi_status
 * and fills egdi_error.  A command returns its exit status: 0 success,
 * 1 failure (one line on stderr), 2 usage error.
 */
#ifndef EGDI_CLI_H
#define EGDI_CLI_H

#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "engine/core/error.h"
#include "engine/core/progress.h"
#include "engine/readers/reader.h"

#define EGDI_VERSION "0.1.0"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

typedef enum { CLI_TABLE = 0, CLI_CSV, CLI_JSON } cli_format;
typedef enum { CLI_ZH = 0, CLI_EN } cli_lang;

typedef struct {
    const char *db_path; /* --db, else $EGDI_DB, else ./egdi.db */
    bool db_given;       /* --db or $EGDI_DB was set */
    cli_lang lang;       /* --lang (anywhere), else $EGDI_LANG, else the
                            locale (zh unless it names English) */
    bool quiet;          /* --quiet (anywhere): no progress line */
} cli_ctx;

/* ---- progress of a long job on a terminal (progress.c) ---------------- */

typedef struct {
    egdi_progress p;
    const char *label; /* "importing", "bootstrap" */
    double start, last, after;
    bool shown;
    const char *stage; /* the steps told last ("rows", "resamples") */
    double stage_start; /* when they began: the rate is theirs */
} cli_progress;

/* The progress record to give the library for a job: NULL (nothing shown)
 * with --quiet or when stderr is no terminal.  label names the job, what
 * its steps ("rows"); both are translated when shown. */
const egdi_progress *cli_progress_start(cli_progress *pr, const cli_ctx *ctx, const char *label,
                                        const char *what);
/* Clears the progress line, when one was shown. */
void cli_progress_end(cli_progress *pr);

/* ---- the language of what a person reads (i18n.c) -------------------- */

/* Sets the language (main, once: --lang, EGDI_LANG, the locale). */
void cli_lang_use(cli_lang lang);
cli_lang cli_lang_now(void);

/* The Chinese of one of the program's English texts (a heading, a note, a
 * help line, a printf format with the same conversions) when the language
 * is zh and it has one; else en itself. */
const char *cli_tr(const char *en)
#if defined(__GNUC__)
    __attribute__((format_arg(1)))
#endif
    ;
/* cli_tr for the table view; en as it is for CSV and JSON, whose headings
 * and texts are data. */
const char *cli_trv(cli_format fmt, const char *en)
#if defined(__GNUC__)
    __attribute__((format_arg(2)))
#endif
    ;

/* An engine error's message (egdi_error.message, an English sentence the
 * engine wrote from one of its printf formats) in the language read: under
 * zh the Chinese of the format it was written from (cli/i18n_errors.c),
 * with the texts its conversions produced put in their places, each %s's
 * text translated in turn (a message that wraps another); msg itself under
 * en or when no format of the catalogue matches it.  Writes into buf and
 * returns buf (msg when size is 0). */
const char *cli_msg_into(const char *msg, char *buf, size_t size);
/* cli_msg_into into a buffer of the program's own, valid until the fourth
 * next call (a line may hold a few messages). */
const char *cli_msg(const char *msg);
/* The line of an error record for a person, in the language read: where
 * (file, sheet, row, column) and the message, as egdi_error_format writes
 * it in English; under zh "文件 F，工作表 "S"，第 R 行，C 列：" and the
 * message's Chinese.  Returns what snprintf returns. */
int cli_error_line(const egdi_error *err, char *buf, size_t size);

/* An import's kind (units, metrics, survey) as a person reads it: 指标数据
 * for metrics under zh; JSON and CSV keep the English name. */
const char *cli_import_kind(const char *kind);

/* Why a score run is stale (the store's sentence, engine/store/score_runs.h)
 * in the language: stored itself in English or when it is not one of the
 * store's sentences, else its facts worded into buf.  Returns the text. */
const char *cli_stale_text(const char *stored, char *buf, size_t size);
/* What an uncertainty run varied (stored in English) in the language the
 * person reads: Chinese from egdi_uncertainty_varied_zh, else as stored. */
const char *cli_varied_text(const char *stored, char *buf, size_t size);

/* ---- commands and their options (options.c) -------------------------- */

/*
 * One option of a command: a row of the command's option table.  Both the
 * getopt_long array (cli_getopt_init) and the option's line in
 * `egdi CMD --help` (cli_help_print) are made from it, so an option cannot
 * be parsed without its help line, nor documented without being parsed.
 * A table ends with a row whose name is NULL.
 */
typedef struct {
    int id;           /* what cli_getopt_next() returns for it: >= 0, unique
                         among the options a command parses */
    const char *name; /* the long name, without the dashes ("round") */
    char letter;      /* the short option ('o' for -o), or 0 */
    const char *arg;  /* the argument's name ("YEAR"), NULL for a flag */
    const char *help; /* plain text, wrapped by the help printer */
} cli_option;

/* An operand or a method named in the help ("units FILE", "ahp MATRIX.csv").
 * A table ends with a row whose term is NULL. */
typedef struct {
    const char *term;
    const char *help;
} cli_operand;

/*
 * A command, a subcommand, or the program itself (name NULL): how to run it
 * and everything `--help` prints about it.  All texts are plain: the help
 * printer aligns, indents and wraps them (at CLI_HELP_WIDTH columns).
 */
typedef struct cli_command cli_command;
struct cli_command {
    const char *name;               /* "rank"; "alpha" for `egdi survey alpha` */
    int (*run)(int argc, char **argv, cli_ctx *ctx); /* argv[0] = name */
    const char *summary;            /* one line: the parent's list, the help's head */
    const char *usage;              /* after "egdi [--db FILE] NAME "; forms
                                       separated by '\n' */
    const cli_operand *operands;    /* "arguments:", or NULL */
    const cli_option *options;      /* its own options, or NULL */
    const cli_option *common;       /* options every subcommand of its parent
                                       takes (survey), or NULL */
    const char *notes;              /* paragraphs after the options, separated
                                       by '\n', or NULL */
    const cli_command *const *subs; /* subcommands (NULL-terminated), or NULL */
};

/* The subcommand of parent called name, or NULL. */
const cli_command *cli_command_find(const cli_command *parent, const char *name);

/* The candidate nearest to word by edit distance (insertions, deletions,
 * replacements, swapped neighbours), when it is within one edit per three
 * letters (at least one, at most three); NULL when none is that near. */
const char *cli_suggest(const char *word, const char *const *candidates, size_t n);
/* cli_suggest over parent's subcommands. */
const char *cli_command_suggest(const cli_command *parent, const char *name);
/* "unknown command 'scroe'; did you mean 'score'?" (with the help hint);
 * returns CLI_USAGE. */
int cli_unknown_command(const cli_command *parent, const char *name);

#define CLI_HELP_WIDTH 80     /* help lines wrap at this display width */
#define CLI_HELP_LABEL_MAX 24 /* a longer label puts its text on the next line */

/*
 * Prints `egdi [PARENT] CMD --help` to out: the usage line(s), the summary,
 * then the arguments, subcommands, own options and common options, each a
 * row "  LABEL  text" with the text in one column (computed from the
 * longest label up to CLI_HELP_LABEL_MAX) and wrapped at CLI_HELP_WIDTH
 * with continuation lines indented to that column; then the notes.  parent
 * is the command c belongs to, or NULL for a command of the program (and
 * for the program itself, whose name is NULL).
 */
void cli_help_print(FILE *out, const cli_command *parent, const cli_command *c);

/* One row of the help: "  label", then text from display column `column`
 * (on the next line when the label reaches it), wrapped as above. */
void cli_help_row(FILE *out, const char *label, const char *text, size_t column);

/*
 * A command's getopt_long arrays, built from its option tables.  Holds
 * borrowed pointers into the tables (which are static); nothing to free.
 */
#define CLI_OPTIONS_MAX 48
typedef struct {
    const char *cmd;                          /* for messages: "survey alpha" */
    struct option longopts[CLI_OPTIONS_MAX + 1];
    char shortopts[2 + 2 * CLI_OPTIONS_MAX + 1];
    const cli_option *row[CLI_OPTIONS_MAX];   /* longopts[i] is row[i] */
    size_t n;
} cli_getopt;

enum {
    CLI_GETOPT_STOP = 1, /* stop at the first operand (the program's own options) */
};
enum { CLI_OPT_END = -1, CLI_OPT_ERROR = -2 };

/*
 * Builds g from the rows of own and common (either may be NULL) and resets
 * getopt (optind = 0) for a new parse.  Returns CLI_OK, or CLI_FAIL after
 * printing an internal error when the tables are wrong (more than
 * CLI_OPTIONS_MAX rows, a name, letter or id twice, a negative id, a row
 * without its help text, a short option that is no letter or digit).
 */
int cli_getopt_init(cli_getopt *g, const char *cmd, const cli_option *own,
                    const cli_option *common, unsigned flags);

/*
 * The next option of argv: returns its row's id and sets *arg to its value
 * (NULL for a flag).  CLI_OPT_END after the last option (optind is then the
 * first operand; GNU order: options and operands may mix unless
 * CLI_GETOPT_STOP).  CLI_OPT_ERROR after printing a usage error ("unknown
 * option '--x'", "option '--round' needs a value"): return CLI_USAGE.
 */
int cli_getopt_next(cli_getopt *g, int argc, char **argv, const char **arg);

/* ---- messages (errors.c) --------------------------------------------- */

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

/* The output given to option opt ("--rejects") is refused when it is one of
 * the command's inputs[0..n) (egdi_outfile_check): one line, CLI_FAIL;
 * else CLI_OK.  Call it before reading anything. */
int cli_check_output(const char *cmd, const char *opt, const char *out,
                     const char *const *inputs, size_t n);

/* ---- option values (options.c, limits_opt.c) ------------------------- */

bool cli_parse_format(const char *s, cli_format *out);
bool cli_parse_lang(const char *s, cli_lang *out);
/* Parses a whole decimal integer / number; false on anything else. */
bool cli_parse_long(const char *s, long lo, long hi, long *out);
bool cli_parse_double(const char *s, double *out);
/* MIN-MAX with MIN < MAX, each a number ("1-5", "0-10", "-2-2"). */
bool cli_parse_range(const char *s, double *lo, double *hi);
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
 * CSV of a command that prints several tables (docs/report.md, "CSV for
 * spreadsheets"): a title row first, one field "# table: TITLE" (quoted
 * when the title holds a comma), then the table as cli_table_print writes
 * it.  Returns 0, or -1 when writing failed.
 */
#define CLI_CSV_TITLE "# table: "
int cli_table_print_csv_titled(const cli_table *t, FILE *out);

/* With on, the first CSV table printed starts with a UTF-8 BOM (egdi --bom). */
void cli_csv_bom(bool on);

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
/* A count or degrees of freedom (n, df): an integer when v is whole ("df":
 * 490, not 490.0), else as cli_json_num (Welch's df 447.49). */
json_t *cli_json_count(double v);

/*
 * s as a terminal may show it: every control character (C0 but for none,
 * so tab, line breaks, ESC and BEL too; DEL; C1) written as \xHH, so a
 * name can neither rewrite the screen nor forge a table row.  Returns s
 * itself when it holds none, else a copy in *copy (free it; NULL when
 * there was nothing to copy, or on OOM, when "?" is returned).
 */
const char *cli_term_text(const char *s, char **copy);

/* The display width of UTF-8 text in a terminal (CJK counts 2); _n: of
 * its first len bytes. */
size_t cli_text_width(const char *s);
size_t cli_text_width_n(const char *s, size_t len);

/* From here on stderr drops the "[ERROR]" and "[WARNING]" lines
 * libxlsxwriter prints itself (egdi says what failed in its own line);
 * every other line passes as it is (errors.c). */
void cli_stderr_filter(void);

/* Flushes stdout and reports a write error (disk full, closed pipe);
 * CLI_OK or CLI_FAIL (errors.c). */
int cli_finish_output(const char *cmd);

#endif
