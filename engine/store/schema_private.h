/*
 * schema_private.h - private to engine/store/: the SQL that takes a store from one version to the next.
 */
#ifndef EGDI_SCHEMA_PRIVATE_H
#define EGDI_SCHEMA_PRIVATE_H

/* The SQL taking schema version `from` to from + 1, or NULL past the end. */
const char *egdi_schema_migration(int from);

#endif
