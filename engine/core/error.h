/*
 * error.h - status codes and the caller-owned error record.
 *
 * Every fallible egdi function returns an egdi_status (EGDI_OK == 0) and,
 * when it fails, fills an egdi_error that the caller owns (it may be NULL
 * when the caller does not care).  The record says what went wrong (message)
 * and where (file, sheet, 1-based row and column; empty / 0 when unknown).
 * The library never prints and never exits: only the command line turns an
 * egdi_error into one line on stderr with egdi_error_format().
 */
#ifndef EGDI_ERROR_H
#define EGDI_ERROR_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    EGDI_OK = 0,
    EGDI_DONE,          /* no more rows / items: not an error */
    EGDI_ERR_NOMEM,     /* out of memory */
    EGDI_ERR_IO,        /* cannot open, read or write a file */
    EGDI_ERR_FORMAT,    /* the file is not what it claims to be, or is broken */
    EGDI_ERR_VALUE,     /* a value cannot be read as what it must be */
    EGDI_ERR_LIMIT,     /* input exceeds a safety limit */
    EGDI_ERR_NOT_FOUND, /* a named sheet, unit, survey, item... does not exist */
    EGDI_ERR_EXISTS,    /* duplicate, or already imported */
    EGDI_ERR_STORE,     /* the SQLite store failed */
    EGDI_ERR_SCHEMA,    /* the store was written by a newer egdi */
    EGDI_ERR_ARG,       /* invalid argument or option */
    EGDI_ERR_MODEL,     /* invalid model / catalogue */
    EGDI_ERR_NUMERIC,   /* degenerate data: zero variance, singular matrix... */
    EGDI_ERR_CONVERGE,  /* an iterative method did not converge */
    EGDI_ERR_ENCODING,  /* invalid UTF-8 / GBK text */
    EGDI_STATUS_COUNT
} egdi_status;

#define EGDI_ERR_MSG_MAX   512
#define EGDI_ERR_FILE_MAX  256
#define EGDI_ERR_SHEET_MAX 128

typedef struct {
    egdi_status status;
    char message[EGDI_ERR_MSG_MAX];
    char file[EGDI_ERR_FILE_MAX];   /* "" when not about a file */
    char sheet[EGDI_ERR_SHEET_MAX]; /* "" when not about a sheet */
    uint32_t row;                   /* 1-based; 0 = not about a row */
    uint32_t col;                   /* 1-based; 0 = not about a column */
} egdi_error;

/* The fixed English name of a status ("out of memory", ...); never NULL. */
const char *egdi_error_string(egdi_status st);

/* Clears the record (status EGDI_OK, empty strings).  err may be NULL. */
void egdi_error_clear(egdi_error *err);

/*
 * Sets status and a printf-style message and returns st, so a caller can
 * write `return egdi_error_set(err, EGDI_ERR_VALUE, "...", ...);`.
 * The location fields are left as they are.  err may be NULL.  A message
 * longer than the record is cut and ends in "...".
 */
egdi_status egdi_error_set(egdi_error *err, egdi_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Sets the location; NULL strings and 0 numbers leave a field unset. */
void egdi_error_at(egdi_error *err, const char *file, const char *sheet,
                   uint32_t row, uint32_t col);

/* Writes column number col (1-based) as spreadsheet letters: 1 -> "A",
 * 28 -> "AB".  buf needs 8 bytes.  Returns buf. */
char *egdi_error_col_letters(uint32_t col, char buf[8]);

/*
 * One line for a person: `FILE, sheet "S", row R, column C: MESSAGE`, with
 * the parts that are unset left out.  Returns what snprintf returns.
 */
int egdi_error_format(const egdi_error *err, char *buf, size_t size);

#endif
