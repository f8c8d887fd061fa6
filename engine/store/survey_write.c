/*
 * survey_write.c - the SQL an import writes a survey with (see
 * survey_write.h).
 */
#include "engine/store/survey_write.h"
#include "engine/store/store_private.h"

#include <string.h>

static const char survey_find_sql[] = "SELECT id, codec FROM survey WHERE name = ?1";
static const char survey_columns_sql[] =
    "SELECT code, is_item FROM survey_column WHERE survey_id = ?1 ORDER BY pos";
static const char survey_add_sql[] =
    "INSERT INTO survey(name, round, scale_min, scale_max, codec, created_at, unit_column)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char survey_unit_column_sql[] = "SELECT unit_column FROM survey WHERE id = ?1";
static const char survey_set_unit_column_sql[] =
    "UPDATE survey SET unit_column = ?2 WHERE id = ?1";
static const char survey_column_sql[] =
    "INSERT INTO survey_column(survey_id, pos, code, is_item, reversed, dimension)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
static const char survey_label_sql[] =
    "INSERT INTO survey_label(survey_id, value, label) VALUES(?1, ?2, ?3)";
static const char survey_last_sql[] =
    "SELECT coalesce(max(resp_no), 0) FROM survey_response WHERE survey_id = ?1";
static const char response_put_sql[] =
    "INSERT INTO survey_response(survey_id, resp_no, batch_id, source_row, answers, attrs,"
    " unit_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";

egdi_status egdi_store_survey_find(egdi_store *s, const char *name, int64_t *id, bool *u8,
                                   egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, survey_find_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const unsigned char *codec = sqlite3_column_text(st, 1);
        *id = sqlite3_column_int64(st, 0);
        *u8 = codec && strcmp((const char *)codec, "u8") == 0;
    } else if (step == SQLITE_DONE)
        rc = EGDI_DONE;
    else
        rc = egdi_store_fail(s, "looking up the survey", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_survey_same_columns(egdi_store *s, int64_t id, const char *const *codes,
                                           const bool *is_item, size_t ncols, bool *same,
                                           egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, survey_columns_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    size_t c = 0;
    int step;
    *same = true;
    for (; (step = sqlite3_step(st)) == SQLITE_ROW; c++) {
        const unsigned char *code = sqlite3_column_text(st, 0);
        if (c >= ncols || !code || strcmp((const char *)code, codes[c]) != 0 ||
            (sqlite3_column_int(st, 1) != 0) != is_item[c])
            *same = false;
    }
    if (step != SQLITE_DONE)
        rc = egdi_store_fail(s, "reading the survey columns", err);
    if (c != ncols)
        *same = false;
    egdi_store_reset(st);
    return rc;
}

static egdi_status add_columns(egdi_store *s, const egdi_store_survey_def *d, int64_t id,
                               egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, survey_column_sql, &st, err);
    for (size_t c = 0; c < d->ncols && rc == EGDI_OK; c++) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)c);
        sqlite3_bind_text(st, 3, d->codes[c], -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 4, d->is_item[c]);
        sqlite3_bind_int(st, 5, d->reversed[c]);
        if (d->dimension && d->dimension[c])
            sqlite3_bind_text(st, 6, d->dimension[c], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(st, 6);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = egdi_store_fail(s, "storing the survey columns", err);
        egdi_store_reset(st);
    }
    return rc;
}

static egdi_status add_labels(egdi_store *s, const egdi_store_survey_def *d, int64_t id,
                              egdi_error *err)
{
    if (!d->nlabels)
        return EGDI_OK;
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, survey_label_sql, &st, err);
    for (size_t i = 0; i < d->nlabels && rc == EGDI_OK; i++) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_double(st, 2, d->label_values[i]);
        sqlite3_bind_text(st, 3, d->labels[i], -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = egdi_error_set(err, EGDI_ERR_FORMAT,
                                "answer labels repeat a value or a label (\"%s\")", d->labels[i]);
        egdi_store_reset(st);
    }
    return rc;
}

egdi_status egdi_store_survey_add(egdi_store *s, const egdi_store_survey_def *d, int64_t *id,
                                  egdi_error *err)
{
    char now[21];
    egdi_store_now(now);
    egdi_status rc;
    if (d->round && (rc = egdi_store_ensure_round(s, d->round, err)) != EGDI_OK)
        return rc;
    sqlite3_stmt *st;
    if ((rc = egdi_store_cached(s, survey_add_sql, &st, err)) != EGDI_OK)
        return rc;
    sqlite3_bind_text(st, 1, d->name, -1, SQLITE_STATIC);
    if (d->round)
        sqlite3_bind_int(st, 2, d->round);
    if (d->have_scale) {
        sqlite3_bind_double(st, 3, d->scale_min);
        sqlite3_bind_double(st, 4, d->scale_max);
    }
    sqlite3_bind_text(st, 5, d->u8 ? "u8" : "f64", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_STATIC);
    if (d->unit_column)
        sqlite3_bind_text(st, 7, d->unit_column, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "storing the survey", err);
    egdi_store_reset(st);
    if (rc != EGDI_OK)
        return rc;
    *id = egdi_store_last_id(s);
    if ((rc = add_columns(s, d, *id, err)) != EGDI_OK)
        return rc;
    return add_labels(s, d, *id, err);
}

egdi_status egdi_store_responses_begin(egdi_store_responses *w, egdi_store *s,
                                       int64_t survey_id, int64_t batch_id, egdi_error *err)
{
    memset(w, 0, sizeof *w);
    w->store = s;
    w->survey_id = survey_id;
    w->batch_id = batch_id;
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, survey_last_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(st, 1, survey_id);
    if (sqlite3_step(st) == SQLITE_ROW)
        w->resp_no = sqlite3_column_int64(st, 0);
    else
        rc = egdi_store_fail(s, "reading the survey's respondents", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_survey_unit_column(egdi_store *s, int64_t id, char **column,
                                          egdi_error *err)
{
    *column = NULL;
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, survey_unit_column_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        if (!(*column = strdup((const char *)sqlite3_column_text(st, 0))))
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    } else if (step != SQLITE_ROW && step != SQLITE_DONE)
        rc = egdi_store_fail(s, "reading the survey's unit column", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_survey_set_unit_column(egdi_store *s, int64_t id, const char *column,
                                              egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, survey_set_unit_column_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, column, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "storing the survey's unit column", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_responses_put(egdi_store_responses *w, uint32_t source_row,
                                     const unsigned char *answers, size_t nbytes,
                                     const char *attrs, egdi_error *err)
{
    return egdi_store_responses_put_unit(w, source_row, answers, nbytes, attrs, 0, err);
}

egdi_status egdi_store_responses_put_unit(egdi_store_responses *w, uint32_t source_row,
                                          const unsigned char *answers, size_t nbytes,
                                          const char *attrs, int64_t unit_id, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(w->store, response_put_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(st, 1, w->survey_id);
    sqlite3_bind_int64(st, 2, w->resp_no + 1);
    sqlite3_bind_int64(st, 3, w->batch_id);
    sqlite3_bind_int64(st, 4, source_row);
    sqlite3_bind_blob(st, 5, answers, (int)nbytes, SQLITE_STATIC);
    if (attrs)
        sqlite3_bind_text(st, 6, attrs, -1, SQLITE_STATIC);
    if (unit_id)
        sqlite3_bind_int64(st, 7, unit_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(w->store, "storing a response", err);
    else
        w->resp_no++;
    egdi_store_reset(st);
    return rc;
}
