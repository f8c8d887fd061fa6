/*
 * survey_write.h - the SQL an import writes a survey with: the survey and
 * its columns and answer labels, then its respondents one by one (each
 * respondent's answers in one BLOB, coded as survey_store.h says).
 * survey_store.h reads them back.
 *
 * Every input is only read.  An egdi_store_responses is the caller's
 * (usually on its stack); it holds no resources: the insert statement stays
 * prepared in the store (store_private.h), so a million respondents cost
 * one prepare.
 */
#ifndef EGDI_STORE_SURVEY_WRITE_H
#define EGDI_STORE_SURVEY_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

/* A new survey: its settings, its columns in sheet order, its labels. */
typedef struct {
    const char *name;
    int round;                      /* 0 = none */
    bool have_scale;
    double scale_min, scale_max;
    bool u8;                        /* codec "u8" (bytes), else "f64" */
    size_t ncols;
    const char *const *codes;       /* ncols column headings, none empty */
    const bool *is_item;            /* ncols */
    const bool *reversed;           /* ncols */
    const char *const *dimension;   /* ncols (NULL entries: none), or NULL */
    size_t nlabels;
    const double *label_values;     /* nlabels */
    const char *const *labels;      /* nlabels */
    const char *unit_column;        /* the column naming the unit each respondent
                                       rates, or NULL */
} egdi_store_survey_def;

/* Survey `name`: EGDI_OK with *id and *u8 (its codec), or EGDI_DONE when
 * there is none (err untouched). */
egdi_status egdi_store_survey_find(egdi_store *s, const char *name, int64_t *id, bool *u8,
                                   egdi_error *err);

/* *same = survey id has exactly these ncols columns: the same codes in the
 * same order, the same ones items. */
egdi_status egdi_store_survey_same_columns(egdi_store *s, int64_t id, const char *const *codes,
                                           const bool *is_item, size_t ncols, bool *same,
                                           egdi_error *err);

/* Creates survey d (adding its round when new) with its columns and
 * labels; *id.  Labels repeating a value or a label: EGDI_ERR_FORMAT. */
egdi_status egdi_store_survey_add(egdi_store *s, const egdi_store_survey_def *d, int64_t *id,
                                  egdi_error *err);

/* The unit column of survey id (malloc'ed into *column), or *column = NULL
 * when its respondents rate no unit. */
egdi_status egdi_store_survey_unit_column(egdi_store *s, int64_t id, char **column,
                                          egdi_error *err);

/* Sets the unit column of survey id (imported before without one). */
egdi_status egdi_store_survey_set_unit_column(egdi_store *s, int64_t id, const char *column,
                                              egdi_error *err);

/* Appends respondents to a survey, numbered after those it holds. */
typedef struct {
    egdi_store *store;
    int64_t survey_id;
    int64_t batch_id;
    int64_t resp_no; /* the last number given */
} egdi_store_responses;

/* Starts appending to survey_id, the respondents coming from batch_id. */
egdi_status egdi_store_responses_begin(egdi_store_responses *w, egdi_store *s,
                                       int64_t survey_id, int64_t batch_id, egdi_error *err);

/* Stores the next respondent: from row source_row, answers[0..nbytes)
 * coded for the survey's codec, attrs a JSON object text (NULL: none). */
egdi_status egdi_store_responses_put(egdi_store_responses *w, uint32_t source_row,
                                     const unsigned char *answers, size_t nbytes,
                                     const char *attrs, egdi_error *err);

/* The same for a respondent who rates unit unit_id (0: none). */
egdi_status egdi_store_responses_put_unit(egdi_store_responses *w, uint32_t source_row,
                                          const unsigned char *answers, size_t nbytes,
                                          const char *attrs, int64_t unit_id, egdi_error *err);

#endif
