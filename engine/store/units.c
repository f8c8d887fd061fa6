/*
 * units.c - the SQL for units (see units.h).
 */
#include "engine/store/units.h"
#include "engine/store/store_private.h"

#include <stdlib.h>
#include <string.h>

static const char unit_get_sql[] =
    "SELECT u.id, u.name, u.level, u.kind, p.code FROM unit u"
    " LEFT JOIN unit p ON p.id = u.parent_id WHERE u.code = ?1";
static const char unit_insert_sql[] =
    "INSERT INTO unit(code, name, kind, level, batch_id, created_batch)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?5)";
static const char unit_update_sql[] =
    "UPDATE unit SET name = ?2, kind = ?3, level = ?4, batch_id = ?5 WHERE id = ?1";
static const char unit_parent_sql[] =
    "UPDATE unit SET parent_id = (SELECT id FROM unit WHERE code = ?2) WHERE id = ?1";

void egdi_store_unit_release(egdi_store_unit *u)
{
    if (!u)
        return;
    free(u->code);
    free(u->name);
    free(u->parent);
    memset(u, 0, sizeof *u);
}

static char *dup_column(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    return t ? strdup((const char *)t) : NULL;
}

egdi_status egdi_store_unit_get(egdi_store *s, const char *code, egdi_store_unit *u,
                                egdi_error *err)
{
    memset(u, 0, sizeof *u);
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, unit_get_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        u->id = sqlite3_column_int64(st, 0);
        u->code = strdup(code);
        u->name = dup_column(st, 1);
        u->level = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1
                                                               : (long)sqlite3_column_int64(st, 2);
        const unsigned char *kind = sqlite3_column_text(st, 3);
        u->kind = kind && strcmp((const char *)kind, "region") == 0 ? "region" : "department";
        u->parent = dup_column(st, 4);
        if (!u->code || !u->name || (!u->parent && sqlite3_column_type(st, 4) != SQLITE_NULL)) {
            egdi_store_unit_release(u);
            rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        }
    } else if (step == SQLITE_DONE)
        rc = EGDI_DONE;
    else
        rc = egdi_store_fail(s, "looking up a unit", err);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_unit_put(egdi_store *s, const egdi_store_unit *u, int64_t batch_id,
                                int64_t *id, egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, u->id ? unit_update_sql : unit_insert_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    if (u->id)
        sqlite3_bind_int64(st, 1, u->id);
    else
        sqlite3_bind_text(st, 1, u->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, u->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, u->kind, -1, SQLITE_STATIC);
    if (u->level >= 0)
        sqlite3_bind_int64(st, 4, u->level);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_int64(st, 5, batch_id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "storing a unit", err);
    else
        *id = u->id ? u->id : egdi_store_last_id(s);
    egdi_store_reset(st);
    return rc;
}

egdi_status egdi_store_unit_set_parent(egdi_store *s, int64_t id, const char *parent,
                                       egdi_error *err)
{
    sqlite3_stmt *st;
    egdi_status rc = egdi_store_cached(s, unit_parent_sql, &st, err);
    if (rc != EGDI_OK)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    if (parent)
        sqlite3_bind_text(st, 2, parent, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = egdi_store_fail(s, "setting a parent", err);
    egdi_store_reset(st);
    return rc;
}

/* Fills the unit part of a row from columns c..c+4: id, code, name, kind,
 * parent code. */
void egdi_store_unit_cols(sqlite3_stmt *q, int c, egdi_store_unit_row *u)
{
    u->id = sqlite3_column_int64(q, c);
    u->code = (const char *)sqlite3_column_text(q, c + 1);
    u->name = (const char *)sqlite3_column_text(q, c + 2);
    const char *kind = (const char *)sqlite3_column_text(q, c + 3);
    u->region = kind && strcmp(kind, "region") == 0;
    u->parent_code = (const char *)sqlite3_column_text(q, c + 4);
}

egdi_status egdi_store_units_each(egdi_store *s, egdi_store_unit_fn fn, void *ctx,
                                        egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s,
                                        "SELECT u.id, u.code, u.name, u.kind, p.code FROM unit u "
                                        "LEFT JOIN unit p ON p.id = u.parent_id "
                                        "ORDER BY u.kind, u.code",
                                        &q, err);
    if (st)
        return st;
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_unit_row row;
        egdi_store_unit_cols(q, 0, &row);
        if (!row.code)
            continue;
        if ((st = fn(ctx, &row, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading units", err);
    return EGDI_OK;
}

egdi_status egdi_store_units_named(egdi_store *s, const char *name, egdi_store_unit_fn fn,
                                   void *ctx, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s,
                                        "SELECT u.id, u.code, u.name, u.kind, p.code FROM unit u "
                                        "LEFT JOIN unit p ON p.id = u.parent_id "
                                        "WHERE u.name = ?1 ORDER BY u.code",
                                        &q, err);
    if (st)
        return st;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_unit_row row;
        egdi_store_unit_cols(q, 0, &row);
        if (!row.code)
            continue;
        if ((st = fn(ctx, &row, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "looking up units by name", err);
    return EGDI_OK;
}
