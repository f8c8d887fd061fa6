/*
 * survey_cli.h - what the `egdi survey` subcommands share (implemented in
 * cmd_survey.c): the common options (the tables of cli/survey_help.h),
 * opening the survey dataset (surveys/dataset.h) and printing.
 *
 * A subcommand parses its options with survey_getopt(), opens the data
 * with survey_open(), calls the statistics of surveys/ and prints; the
 * data are prepared only in surveys/dataset.c.
 */
#ifndef EGDI_SURVEY_CLI_H
#define EGDI_SURVEY_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "cli/survey_help.h"
#include "surveys/dataset.h"
#include "surveys/ttest.h"

typedef struct {
    egdi_dataset_opts data; /* --data / --survey, --sheet, --encoding, --labels,
                               --items, --reverse, --scale, --scales, limits */
    bool pairwise;          /* --missing pairwise */
    cli_format fmt;
    cli_lang lang;
} survey_opts;

/* getopt codes of the common options (0x1000...); a subcommand numbers its
 * own from SURVEY_OPT_OWN. */
enum { SURVEY_OPT_FIRST_ = 0x0FFF, SURVEY_COMMON_OPTIONS(SURVEY_OPT_CODE) };
#define SURVEY_OPT_OWN 0x2000

/* Sets o to defaults (listwise, table, zh) and the store of ctx. */
void survey_opts_init(survey_opts *o, const cli_ctx *ctx);

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

/*
 * Opens the dataset of o (egdi_dataset_open), keeping the text of the
 * columns keep[0..nkeep).  Prints the error and returns CLI_FAIL /
 * CLI_USAGE on failure, CLI_OK with *ds (free with egdi_dataset_free).
 */
int survey_open(const survey_opts *o, const char *cmd, const char *const *keep, size_t nkeep,
                egdi_dataset **ds);

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
 * CSV), frees it, and returns CLI_OK or CLI_FAIL on a write error. */
int survey_print_table(cli_table *t, const survey_opts *o, const char *cmd, bool first);

/* Prints root as JSON, frees it; CLI_OK or CLI_FAIL. */
int survey_print_json(json_t *root, const char *cmd);

/* JSON of Levene's test {F, df1, df2, p} and of a t row {t, df, p, se, ci}. */
json_t *survey_json_levene(const egdi_levene *l);
json_t *survey_json_trow(const egdi_trow *r);

/* The command name for messages, e.g. "survey alpha". */
#define SURVEY_CMD(sub) "survey " sub

/* Subcommands in their own files. */
#define SURVEY_SUB_DECL(name, pad, summary, options, notes) \
    int survey_cmd_##name(int argc, char **argv, cli_ctx *ctx);
SURVEY_SUBCOMMANDS(SURVEY_SUB_DECL)

#endif
