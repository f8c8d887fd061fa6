/*
 * xlsx_sheet.h - the XLSX sheet scanner, private to xlsx.c (and to the
 * tests and the fuzz target, which feed it raw sheet XML).
 *
 * The scanner pulls the sheet XML through a read callback into one reused
 * buffer and turns <sheetData> into egdi_rows.  It never holds more of the
 * XML than the largest single token (a tag or a text run), which is capped.
 * The workbook-level facts it needs (shared strings, which styles are dates
 * or percentages, the 1904 flag) come in an egdi_xlsx_book that the caller
 * owns and keeps alive while the scanner runs.
 *
 * Ownership: egdi_xlsx_sheet_new() makes the scanner; egdi_xlsx_sheet_free()
 * frees it (harmless on NULL).  Rows and their texts belong to the scanner
 * and stay valid until the next call.
 */
#ifndef EGDI_XLSX_SHEET_PRIVATE_H
#define EGDI_XLSX_SHEET_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/readers/reader.h"

/* Style flags, one byte per cellXfs entry. */
#define EGDI_XLSX_XF_DATE    1u
#define EGDI_XLSX_XF_PERCENT 2u

/* Excel's limits on a cell reference: XFD1048576. */
#define EGDI_XLSX_MAX_COL 16384u
#define EGDI_XLSX_MAX_ROW 1048576u

/* Serial day offset between the 1904 and the 1900 date systems. */
#define EGDI_XLSX_1904_OFFSET 1462.0

typedef struct {
    const char *sst;         /* shared string i is sst + sst_off[i], NUL-terminated */
    const size_t *sst_off;
    const uint32_t *sst_len; /* their lengths */
    size_t nsst;
    const uint8_t *xf;       /* EGDI_XLSX_XF_* per style index */
    size_t nxf;
    bool date1904;
} egdi_xlsx_book;

/*
 * Reads up to cap bytes into buf and sets *got (0 at the end).  Returns an
 * error (with err set) when the source fails or breaks a limit.
 */
typedef egdi_status (*egdi_xlsx_read_fn)(void *ctx, char *buf, size_t cap, size_t *got,
                                         egdi_error *err);

typedef struct egdi_xlsx_sheet egdi_xlsx_sheet;

/*
 * Makes a scanner reading through read(ctx, ...).  book, file and sheet are
 * borrowed (file and sheet are for error messages; sheet may be NULL);
 * limits must be resolved (egdi_limits_resolve).
 */
egdi_status egdi_xlsx_sheet_new(egdi_xlsx_sheet **out, egdi_xlsx_read_fn read, void *ctx,
                                const egdi_xlsx_book *book, const egdi_limits *limits,
                                const char *file, const char *sheet, egdi_error *err);

/* The next row holding at least one non-empty cell, or EGDI_DONE after
 * </sheetData>.  Errors carry file, sheet, row and column. */
egdi_status egdi_xlsx_sheet_next(egdi_xlsx_sheet *s, egdi_row *row, egdi_error *err);

void egdi_xlsx_sheet_free(egdi_xlsx_sheet *s);

/* ---- helpers shared with xlsx.c and the tests ------------------------- */

/*
 * Parses an XML Schema double ("-1.5E-3"; no inf/nan, no spaces) exactly as
 * strtod in the C locale would, without strtod for short plain decimals.
 * Returns false when s[0..n) is not such a number or overflows a double.
 */
bool egdi_xlsx_parse_number(const char *s, size_t n, double *out);

/* Replaces Excel's _xHHHH_ escapes in s[0..n) in place (the result is never
 * longer); returns the new length. */
size_t egdi_xlsx_unescape(char *s, size_t n);

/* True when s[0..n) is valid UTF-8 (no overlongs, surrogates, > U+10FFFF)
 * without NUL bytes. */
bool egdi_xlsx_utf8_valid(const char *s, size_t n);

/*
 * Writes days (since 1899-12-30, fraction = time of day) as ISO 8601:
 * "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM:SS" when the time, rounded to the
 * second, is not midnight.  out needs 32 bytes.  Returns false for days
 * outside years 1..9999.
 */
bool egdi_xlsx_format_date(double days, char out[32]);

/* An Excel serial as days since 1899-12-30: 1904 workbooks add 1462; in the
 * 1900 system serials below 60 gain the day Excel's fake 1900-02-29 took
 * (serial 60 itself becomes 1900-02-28). */
double egdi_xlsx_serial_days(double serial, bool date1904);

#endif
