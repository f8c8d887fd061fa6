/*
 * survey_cli.h - what the `egdi survey` subcommands share: the common
 * options and loading the item matrix.  (Contract between cmd_survey.c,
 * which implements this header, and the subcommand files.)
 *
 * Common options, accepted by every subcommand:
 *   --data FILE [--sheet S] [--encoding E]   analyse a file directly
 *   --survey NAME                            a survey stored in the store
 *   --items LIST     ranges in sheet order and comma lists: "A1-A5,B2"
 *   --reverse LIST   reverse-keyed items (same syntax)
 *   --scale MIN-MAX  the declared scale (reversed value = MIN + MAX - x)
 *   --scales FILE    named scales: columns scale, item, reversed
 *   --missing listwise|pairwise   (default listwise, as SPSS)
 *   --format table|csv|json       --lang zh|en
 *   --max-unzipped SIZE  --max-ratio N   zip-bomb limits (XLSX)
 */
#ifndef EGDI_SURVEY_CLI_H
#define EGDI_SURVEY_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"

typedef struct {
    const char *data;
    const char *sheet;
    const char *encoding;
    const char *survey;
    const char *items;
    const char *reverse;
    const char *scales;
    double scale_min, scale_max;
    bool have_scale;
    bool pairwise;
    cli_format fmt;
    cli_lang lang;
    const char *db_path; /* the store --survey reads (from the context) */
    egdi_limits limits;  /* --max-unzipped, --max-ratio; 0 = default */
} survey_opts;

/*
 * The item matrix handed to statistics: n_rows respondents (after listwise
 * deletion when !pairwise; all rows read when pairwise), p items, values
 * column-major (x[j * n + i]), reverse keys applied, NaN = missing (only
 * when pairwise).  names[j] is the item code, rows[i] the source row of
 * respondent i.  n_read counts the respondents read before deletion.
 */
typedef struct {
    size_t n, p;
    size_t n_read;
    char **names;
    double *x;
    uint32_t *rows;
    bool *reversed;  /* p flags */
    char *source;    /* "file.xlsx" or "survey NAME", for headings */
} survey_matrix;

/* getopt_long entries for the common options (codes >= 0x1000), ending with
 * a zero entry; a subcommand copies them into its own option array. */
extern const struct option survey_common_options[];
#define SURVEY_COMMON_OPTION_COUNT 13

/* Sets o to defaults (listwise, table, zh) and the store of ctx. */
void survey_opts_init(survey_opts *o, const cli_ctx *ctx);

/* Handles one getopt result c with optarg arg.  Returns 1 when handled, 0
 * when c is not a common option, or CLI_USAGE after printing the error. */
int survey_common_option(int c, const char *arg, survey_opts *o, const char *cmd);

/* Loads the matrix of the selected items.  Prints one error line and
 * returns CLI_FAIL / CLI_USAGE on failure, CLI_OK on success. */
int survey_load_items(const survey_opts *o, cli_ctx *ctx, const char *cmd, survey_matrix *m);

void survey_matrix_free(survey_matrix *m);

/* Subcommands in their own files. */
int survey_cmd_describe(int argc, char **argv, cli_ctx *ctx);
int survey_cmd_items(int argc, char **argv, cli_ctx *ctx);
int survey_cmd_alpha(int argc, char **argv, cli_ctx *ctx);
int survey_cmd_ttest(int argc, char **argv, cli_ctx *ctx);
int survey_cmd_anova(int argc, char **argv, cli_ctx *ctx);
int survey_cmd_kmo(int argc, char **argv, cli_ctx *ctx);
int survey_cmd_efa(int argc, char **argv, cli_ctx *ctx);

#endif
