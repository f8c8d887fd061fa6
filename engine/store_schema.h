/*
 * store_schema.h - the SQL that takes a store from one version to the next.
 */
#ifndef EGDI_STORE_SCHEMA_H
#define EGDI_STORE_SCHEMA_H

/* The SQL taking schema version `from` to from + 1, or NULL past the end. */
const char *egdi_schema_migration(int from);

#endif
