/*
 * import_private.h - what the three importers share (private to engine/import/).
 *
 * An import_job holds the open reader, the header row and the open
 * transaction.  import_start() hashes the file, reads the header, begins the
 * transaction and refuses (or with --replace removes) an earlier import of
 * the same file; import_end() commits when nothing was rejected (or when
 * skipping bad rows) and rolls back otherwise.  The job owns the reader and
 * the header strings; import_job_release() frees them and rolls back a
 * transaction still open.
 */
#ifndef EGDI_IMPORT_PRIVATE_H
#define EGDI_IMPORT_PRIVATE_H

#include "engine/import/import.h"

typedef struct {
    egdi_store *store;
    const char *path;
    const egdi_import_opts *opts;
    egdi_import_result *res;
    egdi_reader *reader;
    const char *kind;   /* "units", "metrics", "survey" */
    char **headers;     /* ncols header texts (trimmed; "" when empty) */
    size_t ncols;
    uint32_t header_row;
    bool in_tx;
} import_job;

/* Opens the file, reads the header row and begins the transaction. */
egdi_status import_start(import_job *job, egdi_store *s, const char *kind, const char *path,
                         const egdi_import_opts *o, egdi_import_result *res, egdi_error *err);

/*
 * Looks for an earlier batch of this kind with the same hash, in the same
 * round (round != 0) or survey (survey_id != 0).  Refuses with EGDI_ERR_EXISTS
 * unless replace, then deletes it.  Inserts the new batch row.
 */
egdi_status import_new_batch(import_job *job, int round, int64_t survey_id, egdi_error *err);

/* Records a rejected cell (col 0 = the row); cell may be NULL. */
void import_reject(import_job *job, uint32_t row, uint32_t col, const egdi_cell *cell,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Commits, or rolls back with EGDI_ERR_VALUE when cells were rejected and
 * bad rows are not skipped. */
egdi_status import_end(import_job *job, egdi_error *err);

void import_job_release(import_job *job);

/* The column whose header is one of the aliases ("|"-separated, case-
 * insensitive), or -1. */
long import_find_column(const import_job *job, const char *aliases);

/* A cell's text as written (borrowed; "" for EMPTY). */
const char *import_cell_text(const egdi_cell *c);

/* Reads the next data row; EGDI_DONE at the end. */
egdi_status import_next_row(import_job *job, egdi_row *row, egdi_error *err);

/* The cell at col of row, or an EMPTY cell. */
const egdi_cell *import_cell(const egdi_row *row, size_t col);

#endif
