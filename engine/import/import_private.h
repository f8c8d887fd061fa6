/*
 * import_private.h - what the three importers share (private to engine/import/).
 *
 * An import_job holds the open reader, the header row, the rows read while
 * looking for the header and not yet handed out, the column report being
 * built and the open transaction.  import_start() hashes the file, finds
 * the header row (import_known_fn says which headings the importer knows),
 * fills one egdi_import_column per column and begins the transaction;
 * import_new_batch() refuses (or with --replace removes) an earlier import
 * of the same file; import_end() commits when there is no problem (or only
 * cell problems and a skip mode) and rolls back otherwise.  The job owns
 * the reader, the header strings and the saved rows; import_job_release()
 * frees them and rolls back a transaction still open.  The column report,
 * rejects and warnings belong to the result.
 */
#ifndef EGDI_IMPORT_PRIVATE_H
#define EGDI_IMPORT_PRIVATE_H

#include "engine/import/import.h"

/* A row read ahead while looking for the header; owns its cell texts. */
typedef struct {
    uint32_t number;
    size_t ncells;
    egdi_cell *cells;
} import_saved_row;

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
    import_saved_row *pending; /* rows after the header read ahead */
    size_t npending, next_pending;
    bool *noted;        /* per column past the headers (up to EGDI_MAX_COLS):
                           its "no heading" problem was listed */
    size_t nnoted;
    char *stream;       /* a file that is a pipe or a device, read once into
                           memory (stream_len bytes) and read from there */
    size_t stream_len;
} import_job;

/* Opens a reader on the job's file (from memory when it was a stream). */
egdi_status import_open_reader(const import_job *job, egdi_reader **r, egdi_error *err);

/* Returns true when heading (trimmed, non-empty) is one the importer knows
 * (a field or an indicator): how the header row is found. */
typedef bool (*import_known_fn)(void *ctx, const char *heading);

/* Opens the file, finds and reads the header row (see import.h), fills the
 * column report (every column IGNORED until the importer says otherwise)
 * and begins the transaction. */
egdi_status import_start(import_job *job, egdi_store *s, const char *kind, const char *path,
                         const egdi_import_opts *o, egdi_import_result *res,
                         import_known_fn known, void *known_ctx, egdi_error *err);

/*
 * Looks for an earlier batch of this kind with the same hash, in the same
 * round (round != 0) or survey (survey_id != 0).  Refuses with EGDI_ERR_EXISTS
 * unless replace, then deletes it.  Inserts the new batch row.
 */
egdi_status import_new_batch(import_job *job, int round, int64_t survey_id, egdi_error *err);

/* Records a cell problem (col 0 = the row); cell may be NULL. */
void import_reject(import_job *job, uint32_t row, uint32_t col, const egdi_cell *cell,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Records a structural problem (a heading, a missing column, a duplicate
 * unit or respondent): it always stops the import.  value may be NULL. */
void import_problem(import_job *job, uint32_t row, uint32_t col, const char *value,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Records a warning for the result. */
void import_warn(import_job *job, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The column report entry of 0-based column c (created for a column past
 * the headers), or NULL when out of memory. */
egdi_import_column *import_column(import_job *job, size_t c);

/* Sets how column c is used; target and the note (printf) may be NULL. */
void import_column_use(import_job *job, size_t c, egdi_column_use use, const char *target,
                       const char *note_fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* True when column c's heading is in --ignore-columns. */
bool import_ignored(const import_job *job, size_t c);

/*
 * The checks every importer runs once its columns are decided: each name of
 * --ignore-columns names a column; two columns for the same target, or two
 * used columns with the same heading, are problems; a heading repeated in
 * columns of which at most one is used is a warning.
 */
void import_check_columns(import_job *job);

/* A cell past the headers with a value: its column's problem, once. */
void import_no_heading(import_job *job, const egdi_row *row, size_t c);

/* True when cell c holds no value: empty or blank, a mark
 * (egdi_value_missing), one of --na, or the spreadsheet error #N/A. */
bool import_is_missing(const import_job *job, const egdi_cell *c);

/* Commits, or rolls back with EGDI_ERR_VALUE when there are problems that
 * the skip mode does not cover (see import.h). */
egdi_status import_end(import_job *job, egdi_error *err);

void import_job_release(import_job *job);

/* A cell's text as written (borrowed; "" for EMPTY). */
const char *import_cell_text(const egdi_cell *c);

/* Reads the next data row; EGDI_DONE at the end. */
egdi_status import_next_row(import_job *job, egdi_row *row, egdi_error *err);

/* The cell at col of row, or an EMPTY cell. */
const egdi_cell *import_cell(const egdi_row *row, size_t col);

/* ---- units named in cells (unitref.c) ------------------------------------ */

typedef struct import_unitref import_unitref;

/* Reads every stored unit into sorted look-ups; *out (import_unitref_free). */
egdi_status import_unitref_load(egdi_store *s, import_unitref **out, egdi_error *err);

/*
 * The unit text names: its code, else its name when one stored unit has it
 * (*by_name true).  EGDI_OK with *id, or EGDI_DONE with why[] saying why
 * not (no such unit, with the nearest code or name as a suggestion; a name
 * that several units have).
 */
egdi_status import_unitref_find(import_unitref *u, const char *text, int64_t *id, bool *by_name,
                                char *why, size_t size);

/* Harmless on NULL. */
void import_unitref_free(import_unitref *u);

/* "A", "AB": column c (0-based) as letters, into buf[8]. */
const char *import_col_letters(size_t c, char buf[8]);

#endif
