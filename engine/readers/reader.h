/*
 * reader.h - one interface over every spreadsheet format egdi reads.
 *
 * A reader yields the rows of one sheet (XLSX) or one file (CSV), in order,
 * one at a time.  Each row is an array of cells indexed by 0-based column;
 * the array runs to the last non-empty cell of the row, so sparse rows come
 * back with EGDI_CELL_EMPTY cells in the gaps.  Rows that hold no cell at all
 * are skipped; egdi_row.number is the row's 1-based number in the sheet (the
 * spreadsheet's row number; for CSV the line on which the record starts), so
 * errors can point at the right place.
 *
 * Ownership: the reader owns every row and every cell text it hands out; they
 * stay valid until the next egdi_reader_next() or egdi_reader_close().  Text
 * is always UTF-8 (GBK/GB18030 CSV is converted; invalid UTF-8 is an error).
 *
 * Backends: csv.c (libcsv + iconv) and xlsx.c (libzip + expat for the
 * workbook parts, a purpose-built scanner for sheet cells).  Each backend can
 * also read from memory, for tests and fuzzing.
 */
#ifndef EGDI_READER_H
#define EGDI_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/core/value.h"

typedef enum {
    EGDI_CELL_EMPTY = 0,
    EGDI_CELL_NUMBER, /* num; text = the literal as stored (XLSX) */
    EGDI_CELL_TEXT,   /* text/len, UTF-8; CSV cells are all TEXT */
    EGDI_CELL_BOOL,   /* num = 0 or 1 */
    EGDI_CELL_DATE,   /* num = serial days since 1899-12-30 (1904-system
                         workbooks are converted); text = ISO 8601 */
    EGDI_CELL_ERROR   /* text = the error literal, e.g. "#DIV/0!" */
} egdi_cell_type;

typedef struct {
    egdi_cell_type type;
    bool percent;     /* NUMBER shown with a percent format (0.85 = 85 %) */
    double num;
    const char *text; /* NUL-terminated, borrowed; NULL for EMPTY */
    size_t len;       /* strlen(text) */
} egdi_cell;

typedef struct {
    uint32_t number;        /* 1-based row number in the sheet / file */
    size_t ncells;
    const egdi_cell *cells; /* cells[0..ncells) */
    const unsigned char *small; /* egdi_reader_next_small only (else NULL):
                                   small[0..ncells), see there */
} egdi_row;

/* small[j] of a cell that is not a small whole number. */
#define EGDI_SMALL_NONE EGDI_VALUE_SMALL_NONE

/* The default for egdi_limits.max_cell_chars: Excel's cell limit. */
#define EGDI_MAX_CELL_CHARS 32767u

/* Safety limits.  0 means "use the default". */
typedef struct {
    uint64_t max_unzipped;    /* bytes inflated from one zip entry
                                 (default 4 GiB) */
    uint32_t max_ratio;       /* inflated / compressed size of an entry
                                 (default 1000) */
    uint32_t max_cell_bytes;  /* one cell's text (default 32767 characters
                                 as in Excel, i.e. up to 4*32767 bytes) */
    uint32_t max_cols;        /* columns (default 16384, Excel's) */
    uint32_t max_rows;        /* rows (default 1048576, Excel's) */
    uint32_t max_depth;       /* XML nesting (default 64) */
    uint32_t max_cell_chars;  /* one cell's text in characters (default
                                 32767, Excel's); egdi_reader_next refuses a
                                 longer cell whatever max_cell_bytes allows */
    uint64_t max_stream;      /* bytes read from an input that is not a
                                 regular file (a pipe, /dev/stdin, a device),
                                 which is held in memory (default 512 MiB;
                                 EGDI_SMALL_TABLE_STREAM for a model, labels,
                                 scales or a matrix) */
} egdi_limits;

/* The default for egdi_limits.max_stream, and the cap for the small tables
 * (a model, answer labels, scales, an AHP matrix) read from a stream. */
#define EGDI_DEFAULT_MAX_STREAM (512ULL << 20)
#define EGDI_SMALL_TABLE_STREAM (16ULL << 20)

typedef enum {
    EGDI_FMT_AUTO = 0, /* from the content, then the extension */
    EGDI_FMT_CSV,
    EGDI_FMT_XLSX
} egdi_file_format;

typedef enum {
    EGDI_ENC_AUTO = 0, /* a BOM means UTF-8; else the first non-ASCII byte and
                          the MiB after it decide: valid UTF-8 there means
                          UTF-8 (a later invalid byte is an error naming its
                          line and column), otherwise GB18030 */
    EGDI_ENC_UTF8,
    EGDI_ENC_GB18030   /* "gbk", "gb2312" and "gb18030" all map here */
} egdi_encoding;

typedef struct {
    egdi_file_format format;
    const char *sheet;       /* XLSX: a sheet name, or "1", "2"... (1-based
                                index); NULL = first sheet */
    egdi_encoding encoding;  /* CSV only */
    char delimiter;          /* CSV: ',', ';', '\t'; 0 = detect */
    egdi_limits limits;
} egdi_read_opts;

typedef struct egdi_reader egdi_reader;

/* Fills o with the defaults (auto format, first sheet, auto encoding). */
void egdi_read_opts_init(egdi_read_opts *o);

/* Parses "utf-8", "utf8", "gbk", "gb2312", "gb18030", "auto". */
egdi_status egdi_encoding_parse(const char *name, egdi_encoding *out, egdi_error *err);

/*
 * Opens path.  The format comes from opts->format, else from the content
 * (a zip is XLSX), else from the extension.  An input that is not a regular
 * file (a pipe, /dev/stdin) is read into memory first, at most
 * limits.max_stream bytes (engine/core/stream.h).  On failure *out is NULL
 * and err says why (with err->file set).
 */
egdi_status egdi_reader_open(egdi_reader **out, const char *path,
                             const egdi_read_opts *opts, egdi_error *err);

/*
 * Opens a reader on memory (not copied: buf must outlive the reader).
 * name is used in error messages (and its extension, like a path's, helps
 * decide the format when opts->format is EGDI_FMT_AUTO).
 */
egdi_status egdi_reader_open_mem(egdi_reader **out, const void *buf, size_t size,
                                 const char *name, const egdi_read_opts *opts,
                                 egdi_error *err);

/*
 * Reads the next row into *row.  Returns EGDI_OK, EGDI_DONE at the end, or
 * an error (with file, sheet, row and column set in err).
 */
egdi_status egdi_reader_next(egdi_reader *r, egdi_row *row, egdi_error *err);

/*
 * egdi_reader_next for loaders that keep whole numbers 0..254 (Likert
 * answers, codes) as bytes, without an egdi_cell for each of them:
 * row->small[j] is egdi_cell_small() of cell j, and where it is not
 * EGDI_SMALL_NONE, row->cells[j] is NOT filled in and must not be read (it
 * may hold a stale pointer); every other cell is exactly what
 * egdi_reader_next returns.
 * Row numbers, ncells, skipped rows, errors and limits are the same.  The
 * CSV backend decides this while it splits a line, so such cells cost no
 * copy and no egdi_cell; other backends fill small from the cells.
 */
egdi_status egdi_reader_next_small(egdi_reader *r, egdi_row *row, egdi_error *err);

/*
 * The value 0..254 of a cell that is a small whole number: TEXT for which
 * egdi_value_small() gives one (one to three ASCII digits: "7", "007",
 * "254") or a NUMBER (not shown as a percent) with such a value (not -0);
 * else EGDI_SMALL_NONE.
 */
unsigned egdi_cell_small(const egdi_cell *c);

/*
 * A cell as a number: NUMBER and DATE give num (a percent-formatted number is
 * multiplied by 100 when percent_as_points is true, so 0.85 shown as 85 %
 * gives 85), BOOL gives 0/1, TEXT is parsed with egdi_value_number() (text
 * with a percent sign is taken the same way: "85%" gives 85 when
 * percent_as_points is true, else 0.85), EMPTY is EGDI_DONE (missing, not an
 * error; *why = "empty"), ERROR is refused.  *why is static text.
 */
egdi_status egdi_cell_number(const egdi_cell *c, bool percent_as_points,
                             double *out, const char **why);

/*
 * How far the reader is through its input: *done of *total bytes (a CSV's
 * bytes parsed of the file's; an XLSX sheet's XML inflated and handed to the
 * scanner, of its unzipped size, read a buffer ahead of the rows).  For an
 * estimate, such as the rows a file holds from those read so far: false
 * when the backend cannot tell.
 */
bool egdi_reader_position(const egdi_reader *r, uint64_t *done, uint64_t *total);

/*
 * The rows the input holds, foretold from `rows` rows read in the bytes the
 * reader has gone through since position `head` (egdi_reader_position
 * after a header; 0: the start), as if the rest were rows like them; 0
 * when the reader cannot tell, has read nothing since head, or is at the
 * end of its input.  The one estimate of a file's rows (a dataset's
 * columns are sized by it, an import's progress shows a percentage).
 */
double egdi_reader_rows_foretold(const egdi_reader *r, uint64_t rows, uint64_t head);

/* The sheet being read (XLSX) or NULL (CSV).  Borrowed. */
const char *egdi_reader_sheet(const egdi_reader *r);

/* The path or name given at open.  Borrowed. */
const char *egdi_reader_name(const egdi_reader *r);

/* EGDI_FMT_CSV or EGDI_FMT_XLSX. */
egdi_file_format egdi_reader_format(const egdi_reader *r);

/* Harmless on NULL. */
void egdi_reader_close(egdi_reader *r);

#endif
