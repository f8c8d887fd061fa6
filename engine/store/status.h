/*
 * status.h - what the store holds, counted, for `egdi status`: units by
 * kind, observations, import batches, models, score runs; per round its
 * observations and observed units; per survey its respondents and items.
 *
 * egdi_store_counts_read() fills a caller-owned egdi_store_counts;
 * egdi_store_counts_release() frees the arrays and names it holds.
 */
#ifndef EGDI_STORE_STATUS_H
#define EGDI_STORE_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

typedef struct {
    int year;
    int64_t observations;
    int64_t units; /* units with at least one observation */
} egdi_store_round_counts;

typedef struct {
    char *name;
    int round; /* 0 = none */
    int64_t respondents;
    int64_t items;
} egdi_store_survey_counts;

typedef struct {
    int64_t departments, regions, observations, imports, models, score_runs;
    size_t nrounds;
    egdi_store_round_counts *rounds;   /* by year */
    size_t nsurveys;
    egdi_store_survey_counts *surveys; /* by name */
} egdi_store_counts;

/* Counts everything; on failure *c holds nothing (released). */
egdi_status egdi_store_counts_read(egdi_store *s, egdi_store_counts *c, egdi_error *err);

/* Frees what c holds and zeroes it (harmless on a zeroed one). */
void egdi_store_counts_release(egdi_store_counts *c);

#endif
