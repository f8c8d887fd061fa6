/*
 * status.c - counting what the store holds (see status.h).
 */
#include "engine/store/status.h"
#include "engine/store/store_private.h"

#include <stdlib.h>
#include <string.h>

void egdi_store_counts_release(egdi_store_counts *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nsurveys; i++)
        free(c->surveys[i].name);
    free(c->surveys);
    free(c->rounds);
    memset(c, 0, sizeof *c);
}

/* One integer from a query without parameters. */
static egdi_status count(egdi_store *s, const char *sql, int64_t *out, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_prepare(s, sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    else
        rc = egdi_store_fail(s, "reading the store", err);
    sqlite3_finalize(st);
    return rc;
}

static egdi_status read_totals(egdi_store *s, egdi_store_counts *c, egdi_error *err)
{
    const struct {
        int64_t *out;
        const char *sql;
    } totals[] = {
        {&c->departments, "SELECT count(*) FROM unit WHERE kind='department'"},
        {&c->regions, "SELECT count(*) FROM unit WHERE kind='region'"},
        {&c->observations, "SELECT count(*) FROM observation"},
        {&c->imports, "SELECT count(*) FROM import_batch"},
        {&c->models, "SELECT count(*) FROM model"},
        {&c->score_runs, "SELECT count(*) FROM score_run"},
    };
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++) {
        egdi_status rc = count(s, totals[i].sql, totals[i].out, err);
        if (rc != EGDI_OK)
            return rc;
    }
    return EGDI_OK;
}

static egdi_status read_rounds(egdi_store *s, egdi_store_counts *c, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_prepare(
        s,
        "SELECT r.year, (SELECT count(*) FROM observation o WHERE o.round = r.year),"
        "       (SELECT count(DISTINCT unit_id) FROM observation o WHERE o.round = r.year)"
        " FROM round r ORDER BY r.year",
        &st, err);
    if (rc != EGDI_OK)
        return rc;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->nrounds == cap) {
            cap = cap ? cap * 2 : 8;
            egdi_store_round_counts *nr = realloc(c->rounds, cap * sizeof *nr);
            if (!nr) {
                rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                break;
            }
            c->rounds = nr;
        }
        egdi_store_round_counts *r = &c->rounds[c->nrounds++];
        r->year = sqlite3_column_int(st, 0);
        r->observations = sqlite3_column_int64(st, 1);
        r->units = sqlite3_column_int64(st, 2);
    }
    if (rc == EGDI_OK && step != SQLITE_DONE)
        rc = egdi_store_fail(s, "reading rounds", err);
    sqlite3_finalize(st);
    return rc;
}

static egdi_status read_surveys(egdi_store *s, egdi_store_counts *c, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_prepare(
        s,
        "SELECT v.name, v.round,"
        "  (SELECT count(*) FROM survey_response r WHERE r.survey_id = v.id),"
        "  (SELECT count(*) FROM survey_column c WHERE c.survey_id = v.id AND c.is_item)"
        " FROM survey v ORDER BY v.name",
        &st, err);
    if (rc != EGDI_OK)
        return rc;
    size_t cap = 0;
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (c->nsurveys == cap) {
            cap = cap ? cap * 2 : 8;
            egdi_store_survey_counts *nv = realloc(c->surveys, cap * sizeof *nv);
            if (!nv) {
                rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                break;
            }
            c->surveys = nv;
        }
        egdi_store_survey_counts *v = &c->surveys[c->nsurveys];
        const unsigned char *name = sqlite3_column_text(st, 0);
        if (!(v->name = strdup(name ? (const char *)name : ""))) {
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
            break;
        }
        c->nsurveys++;
        v->round = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 1);
        v->respondents = sqlite3_column_int64(st, 2);
        v->items = sqlite3_column_int64(st, 3);
    }
    if (rc == EGDI_OK && step != SQLITE_DONE)
        rc = egdi_store_fail(s, "reading surveys", err);
    sqlite3_finalize(st);
    return rc;
}

egdi_status egdi_store_counts_read(egdi_store *s, egdi_store_counts *c, egdi_error *err)
{
    memset(c, 0, sizeof *c);
    egdi_status rc;
    if ((rc = read_totals(s, c, err)) != EGDI_OK || (rc = read_rounds(s, c, err)) != EGDI_OK ||
        (rc = read_surveys(s, c, err)) != EGDI_OK) {
        egdi_store_counts_release(c);
        return rc;
    }
    return EGDI_OK;
}
