/*
 * units.h - the SQL for units (departments and regions): look one up by
 * code, insert or update one, set its parent (an import), and read them all
 * (scoring a round).
 *
 * An egdi_store_unit read from the store owns its strings;
 * egdi_store_unit_release() frees them.  One passed in is only read.
 * Each function keeps its statement prepared (store_private.h), so a
 * million units cost one prepare each.
 */
#ifndef EGDI_STORE_UNITS_H
#define EGDI_STORE_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/store/store.h"

typedef struct {
    int64_t id;       /* 0 = not stored yet */
    char *code;
    char *name;
    const char *kind; /* "department" or "region" (static strings) */
    long level;       /* -1 = none */
    char *parent;     /* the parent's code, NULL = none */
} egdi_store_unit;

/* Frees the strings of a unit read by egdi_store_unit_get (harmless on a
 * zeroed one) and zeroes it. */
void egdi_store_unit_release(egdi_store_unit *u);

/* Unit `code`: EGDI_OK and *u filled (the caller releases it), or EGDI_DONE
 * when there is none (*u zeroed, err untouched). */
egdi_status egdi_store_unit_get(egdi_store *s, const char *code, egdi_store_unit *u,
                                egdi_error *err);

/*
 * Writes u's code, name, kind and level (not its parent) with batch_id as
 * its import: inserts it when u->id is 0 (*id gets the new id), else
 * updates unit u->id (*id = u->id).
 */
egdi_status egdi_store_unit_put(egdi_store *s, const egdi_store_unit *u, int64_t batch_id,
                                int64_t *id, egdi_error *err);

/* Sets the parent of unit id to the unit with code parent (NULL: none; a
 * code not stored also leaves it without a parent). */
egdi_status egdi_store_unit_set_parent(egdi_store *s, int64_t id, const char *parent,
                                       egdi_error *err);

/* A unit as egdi_store_units_each hands it out; the strings are borrowed
 * for the duration of the callback. */
typedef struct {
    int64_t id;
    const char *code, *name;
    bool region;             /* kind 'region' (else 'department') */
    const char *parent_code; /* the parent unit's code (a department's region); NULL */
} egdi_store_unit_row;

/* Returns EGDI_OK to go on, or a failure (having filled err) that stops the
 * reading and is returned. */
typedef egdi_status (*egdi_store_unit_fn)(void *ctx, const egdi_store_unit_row *row,
                                          egdi_error *err);

/* Every unit of the unit table, ordered by kind then code. */
egdi_status egdi_store_units_each(egdi_store *s, egdi_store_unit_fn fn, void *ctx,
                                  egdi_error *err);

/* The units whose name is exactly name, ordered by code (a parent or a
 * unit given by its name). */
egdi_status egdi_store_units_named(egdi_store *s, const char *name, egdi_store_unit_fn fn,
                                   void *ctx, egdi_error *err);

#endif
