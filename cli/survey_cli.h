/*
 * survey_cli.h - what the `egdi survey` subcommands share (implemented in
 * cmd_survey.c): the options every subcommand takes (survey_common_options),
 * opening the survey dataset (surveys/dataset.h) and printing.
 *
 * A subcommand is a cli_command in its own file (survey_*.c) with its own
 * option table; it parses its options and the common ones with
 * survey_getopt(), opens the data with survey_open(), calls the statistics
 * of surveys/ and prints; the data are prepared only in surveys/dataset.c.
 */
#ifndef EGDI_SURVEY_CLI_H
#define EGDI_SURVEY_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "surveys/dataset.h"
#include "surveys/ttest.h"

/* The most --value-labels options. */
#define SURVEY_VALUE_LABELS_MAX 32

typedef struct {
    egdi_dataset_opts data; /* --data / --survey, --sheet, --encoding, --labels,
                               --items, --reverse, --scale, --scales, limits,
                               --score */
    bool pairwise;          /* --missing pairwise */
    cli_format fmt;
    cli_lang lang;
    const char *save_scores;  /* --save-scores FILE */
    const char *id;           /* --id COLUMN */
    const char *value_labels[SURVEY_VALUE_LABELS_MAX]; /* --value-labels COLUMN:LIST */
    size_t nvalue_labels;
} survey_opts;

/* The ids of the common options; a subcommand numbers its own from 0
 * (below OPT_DATA: cli_getopt_init refuses an id twice). */
enum {
    OPT_DATA = 100, OPT_SHEET, OPT_ENCODING, OPT_SURVEY, OPT_ITEMS, OPT_REVERSE, OPT_SCALE,
    OPT_SCALES, OPT_LABELS, OPT_MISSING, OPT_FORMAT, OPT_LANG, OPT_MAX_UNZIPPED, OPT_MAX_RATIO,
    OPT_SCORE, OPT_SAVE_SCORES, OPT_ID, OPT_VALUE_LABELS
};

/* The options every subcommand takes (the `common` of each). */
extern const cli_option survey_common_options[];

/* Sets o to defaults (listwise, table, zh) and the store of ctx. */
void survey_opts_init(survey_opts *o, const cli_ctx *ctx);

/*
 * Parses argv (argv[0] = the subcommand name) with the options of sub (its
 * own and the common ones); cmd names it in messages ("survey alpha").  An
 * option that is not a common one goes to handle(id, arg, ud), which returns
 * 1 when handled or CLI_USAGE after printing the error.  Returns CLI_OK,
 * CLI_USAGE or CLI_FAIL.
 */
int survey_getopt(int argc, char **argv, const cli_command *sub, const char *cmd,
                  survey_opts *o, int (*handle)(int id, const char *arg, void *ud), void *ud);

/*
 * Opens the dataset of o (egdi_dataset_open), keeping the text of the
 * columns keep[0..nkeep) (and of --id and the --value-labels columns),
 * gives the columns their --value-labels and writes --save-scores.  Prints
 * the error and returns CLI_FAIL / CLI_USAGE on failure, CLI_OK with *ds
 * (free with egdi_dataset_free).
 */
int survey_open(const survey_opts *o, const char *cmd, const char *const *keep, size_t nkeep,
                egdi_dataset **ds);

/* Refuses the output out of option opt ("--scores") when it is one of the
 * command's inputs: --data, --labels, --scales, the --value-labels files,
 * the store, and extra (another input, e.g. a model file; may be NULL).
 * CLI_OK, or CLI_FAIL after printing why.  Called before anything is read
 * (survey_open does it for --save-scores). */
int survey_check_output(const survey_opts *o, const char *cmd, const char *opt, const char *out,
                        const char *extra);

/* Prints err for cmd: a wrong option or argument (EGDI_ERR_ARG) as a usage
 * error (CLI_USAGE), anything else as a failure (CLI_FAIL). */
int survey_error(const char *cmd, const egdi_error *err);

/* The deletion of --missing. */
static inline egdi_deletion survey_deletion(const survey_opts *o)
{
    return o->pairwise ? EGDI_PAIRWISE : EGDI_LISTWISE;
}

/* Heading words in the chosen language. */
#define SURVEY_L(o, zh, en) ((o)->lang == CLI_ZH ? (zh) : (en))

/* "listwise deletion, as SPSS" or "pairwise deletion, as psych". */
const char *survey_missing_note(const survey_opts *o);

/* Prints the table in o->fmt (table or CSV; a blank line between tables in
 * CSV), frees it, and returns CLI_OK or CLI_FAIL on a write error.  In CSV
 * the first table is held until the next one or survey_print_done(): when
 * the command prints more than one table, each starts with its title row
 * ("# table: TITLE", cli_table_print_csv_titled); a single table is
 * printed as before, untitled. */
int survey_print_table(cli_table *t, const survey_opts *o, const char *cmd, bool first);
/* Prints a CSV table still held (the command printed only one), untitled;
 * called once after every survey subcommand.  CLI_OK or CLI_FAIL. */
int survey_print_done(const char *cmd);

/* Prints root as JSON, frees it; CLI_OK or CLI_FAIL. */
int survey_print_json(json_t *root, const char *cmd);

/* JSON of Levene's test {F, df1, df2, p} and of a t row {t, df, p, se, ci}. */
json_t *survey_json_levene(const egdi_levene *l);
json_t *survey_json_trow(const egdi_trow *r);

/*
 * Splits a list "A,B，C" (ASCII or full-width commas; spaces around a name
 * dropped) into *names (malloc'ed: one block, free(*names) frees all).
 * false on an empty name or out of memory.
 */
bool survey_split_list(const char *list, char ***names, size_t *n);

/* A p-value for a table: "< .001" below 0.001, else 3 decimals, into buf. */
const char *survey_p_text(double p, char buf[16]);

/* The significance stars of p: "***" (< .001), "**" (< .01), "*" (< .05), "". */
const char *survey_stars(double p);

/* The command name for messages, e.g. "survey alpha". */
#define SURVEY_CMD(sub) "survey " sub

/* The subcommands, each in its own file. */
extern const cli_command survey_cmd_describe, survey_cmd_items, survey_cmd_alpha, survey_cmd_ttest,
    survey_cmd_anova, survey_cmd_kmo, survey_cmd_efa;
extern const cli_command survey_cmd_profile, survey_cmd_corr, survey_cmd_regress,
    survey_cmd_mediate, survey_cmd_crosstab;
/* confirmatory factor analysis and validity (survey_cfa.c, survey_validity.c) */
extern const cli_command survey_cmd_cfa, survey_cmd_validity;
/* the paper tables of a survey (survey_report.c) */
extern const cli_command survey_cmd_report;

#endif
