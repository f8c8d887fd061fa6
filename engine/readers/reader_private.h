/*
 * reader_private.h - private to engine/readers: what a reader backend
 * (csv.c, xlsx.c) provides to reader.c.  Callers of the reader use
 * reader.h.
 *
 * A backend opens either a file (path != NULL) or memory (buf/size, not
 * copied), and returns its state and its operations.  `name` is the path or
 * the name to use in error messages.  On failure it frees what it made,
 * sets err (with err->file = name) and leaves *self NULL.
 */
#ifndef EGDI_READER_PRIVATE_H
#define EGDI_READER_PRIVATE_H

#include "engine/readers/reader.h"

/* The operations of a backend; reader.c calls them. */
typedef struct {
    egdi_status (*next)(void *self, egdi_row *row, egdi_error *err);
    void (*close)(void *self);
    const char *(*sheet)(const void *self);
    /* optional (NULL: reader.c fills small from next's cells); applies
     * limits.max_cell_chars itself (egdi_row_check_chars) */
    egdi_status (*next_small)(void *self, egdi_row *row, egdi_error *err);
    /* optional (NULL: unknown): how far through its input the backend is,
     * egdi_reader_position */
    bool (*position)(const void *self, uint64_t *done, uint64_t *total);
} egdi_reader_ops;

typedef egdi_status (*egdi_backend_open)(void **self, const egdi_reader_ops **ops,
                                         const char *path, const void *buf, size_t size,
                                         const char *name, const egdi_read_opts *opts,
                                         egdi_error *err);

egdi_status egdi_csv_open(void **self, const egdi_reader_ops **ops, const char *path,
                          const void *buf, size_t size, const char *name,
                          const egdi_read_opts *opts, egdi_error *err);

egdi_status egdi_xlsx_open(void **self, const egdi_reader_ops **ops, const char *path,
                           const void *buf, size_t size, const char *name,
                           const egdi_read_opts *opts, egdi_error *err);

/* EGDI_ERR_LIMIT (located at name, sheet, the row and the cell) when a cell
 * of row that is not small has more than max_chars characters.  reader.c
 * applies it to every row, except those of a backend's next_small, which
 * must apply it itself (it can skip rows whose longest cell has no more
 * than max_chars bytes). */
egdi_status egdi_row_check_chars(const egdi_row *row, uint32_t max_chars, const char *name,
                                 const char *sheet, egdi_error *err);

/* The limits in o with every 0 replaced by its default. */
egdi_limits egdi_limits_resolve(const egdi_limits *o);

#define EGDI_DEFAULT_MAX_UNZIPPED  (4ULL << 30)
#define EGDI_DEFAULT_MAX_RATIO     1000u
#define EGDI_DEFAULT_MAX_CELL      (4u * 32767u)
#define EGDI_DEFAULT_MAX_COLS      16384u
#define EGDI_DEFAULT_MAX_ROWS      1048576u
#define EGDI_DEFAULT_MAX_DEPTH     64u

#endif
