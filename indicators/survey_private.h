/*
 * survey_private.h - private to indicators/: what survey_source.c (the
 * computation) and survey_runs.c (the stored runs and their texts) share.
 */
#ifndef EGDI_SURVEY_PRIVATE_H
#define EGDI_SURVEY_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "indicators/model.h"
#include "indicators/round.h"
#include "indicators/score.h"

/* The longest text of gates, items or batches kept. */
#define SURVEY_TEXT_MAX 1024

/* A unit's store id with its index in the round, for the sorted look-up. */
typedef struct {
    int64_t id;
    size_t idx;
} survey_unit_key;

/* The units of in sorted by store id (caller frees); NULL when out of
 * memory. */
survey_unit_key *survey_unit_index(const egdi_round_input *in);

/* The index of the unit with store id id in k[0..n), or -1. */
long survey_find_unit(const survey_unit_key *k, size_t n, int64_t id);

/* True when node j and its ancestors apply to units of kind. */
bool survey_applies(const egdi_model *m, size_t j, egdi_unit_kind kind);

/* strdup, NULL for NULL. */
char *survey_strdup(const char *s);

#endif
