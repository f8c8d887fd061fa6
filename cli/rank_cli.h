/*
 * rank_cli.h - what cmd_rank.c and rank_store.c share: the options of
 * `egdi rank`, a ranking ready to print (rank_view, all borrowed), and the
 * printers.
 */
#ifndef EGDI_RANK_CLI_H
#define EGDI_RANK_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"
#include "indicators/model.h"
#include "indicators/score.h"

typedef struct {
    const char *model; /* NULL: the run's model (store) / the default (--data) */
    int round, compare;
    egdi_unit_kind kind; /* 0 = both */
    const char *within;  /* a region code */
    int digits;
    bool digits_given;
    cli_format fmt;
    cli_lang lang;
} rank_opts;

typedef struct {
    const egdi_model *model;
    const egdi_score_result *result;
    size_t n;
    const char *const *ids;
    const char *const *names;   /* may be NULL */
    const char *const *regions; /* NULL: no region column */
    const long *rank;           /* 0 = not ranked */
    const size_t *order;
    int digits;
    int round;                  /* 0 for --data */
    const char *source;         /* file name for --data */
    /* --compare */
    int compare_round;
    const long *prev_rank;      /* NULL without --compare; 0 = not ranked then */
    const long *prev_stage;     /* -1 = none */
} rank_view;

int rank_print(const rank_view *v, cli_format fmt, cli_lang lang);
const char *rank_stage_name(const egdi_model *m, long stage, cli_lang lang);
const char *rank_class_name(const egdi_model *m, long stage, long klass);

/* The stage transition matrix and stage counts (rank_store.c). */
json_t *rank_transitions_json(const rank_view *v);
int rank_print_transitions(const rank_view *v, cli_lang lang);

/* `egdi rank --round` (rank_store.c). */
int rank_store(const rank_opts *o, cli_ctx *ctx);

#endif
