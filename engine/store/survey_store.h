/*
 * survey_store.h - a survey as a table in memory: respondents in rows,
 * columns in sheet order, each column an item (numeric answers) or an
 * attribute (text such as gender or department).  Loaded from the store
 * (egdi_survey_load) for the questionnaire statistics.
 *
 * Stored answers use a codec chosen at import: "u8" (one byte per answer,
 * 255 = missing) when the scale is whole numbers within 0..254, else "f64"
 * (8-byte little-endian doubles, NaN = missing).
 *
 * The egdi_survey_data owns everything in it; egdi_survey_data_free() frees
 * it all.  A caller may take an array over (setting its pointer to NULL)
 * before freeing the rest: surveys/dataset.c adopts the columns this way.
 */
#ifndef EGDI_SURVEY_STORE_H
#define EGDI_SURVEY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

#define EGDI_SURVEY_MISSING_U8 255

typedef struct {
    char *name;
    int round;             /* 0 = none */
    bool have_scale;
    double scale_min, scale_max;
    size_t n;              /* respondents */
    size_t ncols;          /* columns in sheet order */
    char **codes;          /* ncols column codes */
    bool *is_item;         /* ncols */
    bool *reversed;        /* ncols (items only) */
    char **dimension;      /* ncols, NULL when none */
    unsigned char **code;  /* ncols; for the items of a "u8" survey, n answers
                              of one byte (EGDI_SURVEY_MISSING_U8 = missing);
                              else NULL */
    double **num;          /* ncols; for the items of a "f64" survey, n answers
                              (NaN = missing); else NULL */
    char ***text;          /* ncols arrays of n strings (NULL = empty) for
                              attributes; NULL for items */
    uint32_t *rows;        /* n source rows */
    size_t nlabels;        /* answer labels */
    double *label_values;
    char **labels;
    char *unit_column;     /* the column naming the unit each respondent rates,
                              NULL = none */
    /* egdi_survey_load_rated only (else NULL / 0): */
    int64_t *unit_id;      /* n: the unit (store id) each respondent rates */
    int64_t *batch_id;     /* n: the import each respondent came from */
    size_t n_round;        /* respondents of the round, rating a unit or not */
} egdi_survey_data;

/* Loads survey `name` with all its respondents. */
egdi_status egdi_survey_load(egdi_store *s, const char *name, egdi_survey_data **out,
                             egdi_error *err);

/*
 * Loads the respondents of survey `name` that rate a unit and belong to
 * round `round` (the round of the import they came from, else the survey's
 * own round), for scoring: the items only (the attribute columns are in
 * codes[] but hold no text: text[c] NULL), with unit_id[] and batch_id[]
 * per respondent and n_round, in one pass over the survey's respondents.
 * n may be 0.  EGDI_ERR_NOT_FOUND when there is no such survey.
 */
egdi_status egdi_survey_load_rated(egdi_store *s, const char *name, int round,
                                   egdi_survey_data **out, egdi_error *err);

void egdi_survey_data_free(egdi_survey_data *d);

/* The name of the first survey imported for round (malloc'ed into *name),
 * or *name = NULL when the round has none. */
egdi_status egdi_survey_find_round(egdi_store *s, int round, char **name, egdi_error *err);

/* Encodes / decodes one answer for a codec ("u8" / "f64"). */
void egdi_survey_encode(bool u8, double v, unsigned char *dst);
double egdi_survey_decode(bool u8, const unsigned char *src);

#endif
