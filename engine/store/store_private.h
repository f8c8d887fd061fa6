/*
 * store_private.h - private to engine/store/: the SQLite handle and the
 * statements the store keeps prepared.  No other layer sees SQLite: the
 * public headers of engine/store/ speak plain C values.
 *
 * A store function that runs once per row of an import (an observation, a
 * respondent, a unit) would spend most of its time preparing its SQL again;
 * egdi_store_cached() prepares each statement once per open store and hands
 * the same one back on every later call.  The store owns them and
 * egdi_store_close() finalizes them.
 *
 * Rules for a function using one: bind every parameter, step, and call
 * egdi_store_reset() before returning on every path, so no cached
 * statement holds a read lock or a pointer to the caller's memory between
 * calls; and never use the same SQL twice at once (no nesting).
 */
#ifndef EGDI_STORE_PRIVATE_H
#define EGDI_STORE_PRIVATE_H

#include <sqlite3.h>

#include "engine/store/store.h"
#include "engine/store/units.h"

/* The SQLite handle, borrowed. */
sqlite3 *egdi_store_db(egdi_store *s);

/* Runs SQL without results (several statements allowed). */
egdi_status egdi_store_exec(egdi_store *s, const char *sql, egdi_error *err);

/* Sets err from the handle's last SQLite error, prefixed by what. */
egdi_status egdi_store_fail(egdi_store *s, const char *what, egdi_error *err);

/* Prepares sql (fails with the SQLite message); the caller finalizes it. */
egdi_status egdi_store_prepare(egdi_store *s, const char *sql, sqlite3_stmt **st,
                               egdi_error *err);

/*
 * The prepared statement for sql, prepared on the first call (fails with
 * the SQLite message).  sql must have static storage (a string literal):
 * the store keys its statements on the address.
 */
egdi_status egdi_store_cached(egdi_store *s, const char *sql, sqlite3_stmt **st,
                              egdi_error *err);

/* Resets st and clears its bindings (harmless on NULL). */
void egdi_store_reset(sqlite3_stmt *st);

/*
 * Column c of q as a number into *out: NULL is NaN when null_ok.  A value
 * that is no finite number (inf, NaN, text: egdi never stores one, so the
 * store was changed by hand or is damaged) is EGDI_ERR_STORE naming what
 * ("the value of CBII1 for unit 3 in round 2024"); so is NULL without
 * null_ok.
 */
egdi_status egdi_store_col_num(sqlite3_stmt *q, int c, bool null_ok, const char *what,
                               double *out, egdi_error *err);

/* sqlite3_last_insert_rowid of the store's handle. */
int64_t egdi_store_last_id(egdi_store *s);

/* Fills u from columns c..c+4 of q: id, code, name, kind, parent code
 * (units.c; the strings are q's, valid until its next step). */
void egdi_store_unit_cols(sqlite3_stmt *q, int c, egdi_store_unit_row *u);

#endif
