/*
 * assume_cli.h - the options `egdi uncertainty` and `egdi sensitivity`
 * share (assume_opt.c): the assumptions to vary, each declared explicitly,
 * and the run's seed, sampler, threads, kind of unit and rank digits.
 * They fill an egdi_uncertainty_opts (indicators/uncertainty.h), which
 * checks them against the model; a weight set named by --weight-set is a
 * model loaded here and owned by the cli_assume (cli_assume_release).
 */
#ifndef EGDI_ASSUME_CLI_H
#define EGDI_ASSUME_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "indicators/model.h"
#include "indicators/uncertainty.h"

#define ASSUME_MAX_NORM 64

typedef struct {
    egdi_uncertainty_opts o;
    egdi_uncertainty_norm norm[ASSUME_MAX_NORM];
    char codes[ASSUME_MAX_NORM][64]; /* the CODE of --normalisation CODE=RULES */
    egdi_uncertainty_set sets[EGDI_UNCERTAINTY_MAX_SETS];
    egdi_model *set_models[EGDI_UNCERTAINTY_MAX_SETS];
    const char *set_paths[EGDI_UNCERTAINTY_MAX_SETS];
    size_t nsets;
    bool weights_given;
} cli_assume;

/* The ids of the shared options; a command numbers its own below 100. */
enum {
    ASSUME_WEIGHTS = 100, ASSUME_WEIGHT_SET, ASSUME_NORMALISATION, ASSUME_AGGREGATION,
    ASSUME_MISSING, ASSUME_DATA_ERROR, ASSUME_SEED, ASSUME_SAMPLER, ASSUME_THREADS, ASSUME_KIND,
    ASSUME_RANK_DIGITS, ASSUME_SURVEY_SE
};

/* The shared options (the `common` of both commands). */
extern const cli_option cli_assume_options[];

void cli_assume_init(cli_assume *a);

/* Handles shared option id: 1 when handled, 0 when id is not one of them,
 * CLI_USAGE after printing the error. */
int cli_assume_option(cli_assume *a, int id, const char *arg, const char *cmd);

/* Loads the weight sets named and fills a->o's pointers: CLI_OK, or
 * CLI_FAIL / CLI_USAGE after printing the error. */
int cli_assume_finish(cli_assume *a, const char *cmd);

void cli_assume_release(cli_assume *a);

#endif
