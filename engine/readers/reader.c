/*
 * reader.c - the format-independent reader: picks a backend from the
 * content (a zip is XLSX, an OLE2 file is the old .xls), then the extension,
 * and forwards rows from it.  The egdi_reader owns the backend's state and
 * its copy of the name.
 */
#include "engine/readers/reader.h"
#include "engine/readers/reader_private.h"

#include "engine/core/stream.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct egdi_reader {
    const egdi_reader_ops *ops;
    void *self;
    char *name;
    egdi_file_format format;
    uint32_t max_chars; /* limits.max_cell_chars, resolved */
    unsigned char *small; /* egdi_reader_next_small of a backend without it */
    size_t small_cap;
    char *owned;          /* a stream read into memory, read from there */
};

void egdi_read_opts_init(egdi_read_opts *o)
{
    memset(o, 0, sizeof *o);
}

egdi_limits egdi_limits_resolve(const egdi_limits *o)
{
    egdi_limits l = o ? *o : (egdi_limits){0};
    if (!l.max_unzipped)
        l.max_unzipped = EGDI_DEFAULT_MAX_UNZIPPED;
    if (!l.max_ratio)
        l.max_ratio = EGDI_DEFAULT_MAX_RATIO;
    if (!l.max_cell_bytes)
        l.max_cell_bytes = EGDI_DEFAULT_MAX_CELL;
    if (!l.max_cols)
        l.max_cols = EGDI_DEFAULT_MAX_COLS;
    if (!l.max_rows)
        l.max_rows = EGDI_DEFAULT_MAX_ROWS;
    if (!l.max_depth)
        l.max_depth = EGDI_DEFAULT_MAX_DEPTH;
    if (!l.max_cell_chars)
        l.max_cell_chars = EGDI_MAX_CELL_CHARS;
    if (!l.max_stream)
        l.max_stream = EGDI_DEFAULT_MAX_STREAM;
    return l;
}

egdi_status egdi_encoding_parse(const char *name, egdi_encoding *out, egdi_error *err)
{
    if (strcasecmp(name, "auto") == 0)
        *out = EGDI_ENC_AUTO;
    else if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        *out = EGDI_ENC_UTF8;
    else if (strcasecmp(name, "gbk") == 0 || strcasecmp(name, "gb2312") == 0 ||
             strcasecmp(name, "gb18030") == 0 || strcasecmp(name, "cp936") == 0)
        *out = EGDI_ENC_GB18030;
    else
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "unknown encoding \"%s\" (use auto, utf-8 or gbk)", name);
    return EGDI_OK;
}

static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);
    return n > e && strcasecmp(name + n - e, ext) == 0;
}

static const unsigned char zip_magic[4] = {'P', 'K', 3, 4};
static const unsigned char ole_magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* Decides the format from the first bytes and the name. */
static egdi_status sniff(const unsigned char *head, size_t n, const char *name,
                         egdi_file_format asked, egdi_file_format *out, egdi_error *err)
{
    bool zip = n >= 4 && memcmp(head, zip_magic, 4) == 0;
    bool ole = n >= 8 && memcmp(head, ole_magic, 8) == 0;
    if (ole)
        return egdi_error_set(err, EGDI_ERR_FORMAT,
                              "this is an old Excel 97-2003 (.xls) or other OLE2 file; "
                              "save it as .xlsx or .csv");
    if (asked == EGDI_FMT_XLSX || (asked == EGDI_FMT_AUTO && has_ext(name, ".xlsx")) ||
        (asked == EGDI_FMT_AUTO && has_ext(name, ".xlsm"))) {
        if (!zip)
            return egdi_error_set(err, EGDI_ERR_FORMAT,
                                  "not an XLSX file (an XLSX file is a zip archive; "
                                  "this one does not start like one)");
        *out = EGDI_FMT_XLSX;
        return EGDI_OK;
    }
    if (asked == EGDI_FMT_CSV) {
        if (zip)
            return egdi_error_set(err, EGDI_ERR_FORMAT,
                                  "this is a zip archive (an XLSX workbook?), not CSV text");
        *out = EGDI_FMT_CSV;
        return EGDI_OK;
    }
    *out = zip ? EGDI_FMT_XLSX : EGDI_FMT_CSV;
    return EGDI_OK;
}

static egdi_status finish_open(egdi_reader **out, egdi_file_format fmt, const char *path,
                               const void *buf, size_t size, const char *name,
                               const egdi_read_opts *opts, egdi_error *err)
{
    egdi_reader *r = calloc(1, sizeof *r);
    if (!r)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
    r->name = strdup(name);
    if (!r->name) {
        free(r);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
    }
    r->format = fmt;
    r->max_chars = egdi_limits_resolve(opts ? &opts->limits : NULL).max_cell_chars;
    egdi_backend_open open = fmt == EGDI_FMT_XLSX ? egdi_xlsx_open : egdi_csv_open;
    egdi_status st = open(&r->self, &r->ops, path, buf, size, name, opts, err);
    if (st != EGDI_OK) {
        egdi_error_at(err, name, NULL, 0, 0);
        free(r->name);
        free(r);
        return st;
    }
    *out = r;
    return EGDI_OK;
}

egdi_status egdi_reader_open(egdi_reader **out, const char *path, const egdi_read_opts *opts,
                             egdi_error *err)
{
    egdi_read_opts defaults;
    if (!opts) {
        egdi_read_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    if (egdi_stream_is(path)) {
        /* a pipe or a device: read once, bounded, then read from memory */
        char *buf;
        size_t len;
        egdi_limits lim = egdi_limits_resolve(&opts->limits);
        egdi_status st = egdi_stream_read(path, lim.max_stream, &buf, &len, err);
        if (st == EGDI_OK && (st = egdi_reader_open_mem(out, buf, len, path, opts, err)) ==
                                 EGDI_OK)
            (*out)->owned = buf;
        else
            free(buf);
        return st;
    }
    unsigned char head[8];
    FILE *f = fopen(path, "rb");
    if (!f) {
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot open: %s", strerror(errno));
    }
    size_t n = fread(head, 1, sizeof head, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot read");
    }
    egdi_file_format fmt;
    egdi_status st = sniff(head, n, path, opts->format, &fmt, err);
    if (st != EGDI_OK) {
        egdi_error_at(err, path, NULL, 0, 0);
        return st;
    }
    return finish_open(out, fmt, path, NULL, 0, path, opts, err);
}

egdi_status egdi_reader_open_mem(egdi_reader **out, const void *buf, size_t size,
                                 const char *name, const egdi_read_opts *opts, egdi_error *err)
{
    egdi_read_opts defaults;
    if (!opts) {
        egdi_read_opts_init(&defaults);
        opts = &defaults;
    }
    *out = NULL;
    egdi_file_format fmt;
    egdi_status st = sniff(buf, size, name, opts->format, &fmt, err);
    if (st != EGDI_OK) {
        egdi_error_at(err, name, NULL, 0, 0);
        return st;
    }
    return finish_open(out, fmt, NULL, buf, size, name, opts, err);
}

/* Characters (code points) in UTF-8 text: the bytes that start one. */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0u) != 0x80u;
    return k;
}

/* Excel's limit on a cell's text is in characters; the backends cap bytes
 * (4 per character), so only long cells need counting.  Small cells (when
 * row->small) are short and not filled in. */
egdi_status egdi_row_check_chars(const egdi_row *row, uint32_t max_chars, const char *name,
                                 const char *sheet, egdi_error *err)
{
    for (size_t j = 0; j < row->ncells; j++) {
        if (row->small && row->small[j] != EGDI_SMALL_NONE)
            continue;
        const egdi_cell *c = &row->cells[j];
        size_t k;
        if (c->len > max_chars && (k = utf8_chars(c->text, c->len)) > max_chars) {
            egdi_error_at(err, name, sheet, row->number, (uint32_t)j + 1);
            return egdi_error_set(err, EGDI_ERR_LIMIT,
                                  "the text is %zu characters long, over the limit of %u%s", k,
                                  max_chars, max_chars == EGDI_MAX_CELL_CHARS ? " (Excel's)" : "");
        }
    }
    return EGDI_OK;
}

static egdi_status check_chars(egdi_reader *r, const egdi_row *row, egdi_error *err)
{
    return egdi_row_check_chars(row, r->max_chars, r->name, egdi_reader_sheet(r), err);
}

egdi_status egdi_reader_next(egdi_reader *r, egdi_row *row, egdi_error *err)
{
    egdi_status st = r->ops->next(r->self, row, err);
    if (st != EGDI_OK)
        return st;
    row->small = NULL;
    return check_chars(r, row, err);
}

unsigned egdi_cell_small(const egdi_cell *c)
{
    if (c->type == EGDI_CELL_TEXT)
        return egdi_value_small(c->text, c->len);
    if (c->type == EGDI_CELL_NUMBER && !c->percent && c->num >= 0 &&
        c->num < EGDI_SMALL_NONE && c->num == (double)(int)c->num && !signbit(c->num))
        return (unsigned)c->num;
    return EGDI_SMALL_NONE;
}

egdi_status egdi_reader_next_small(egdi_reader *r, egdi_row *row, egdi_error *err)
{
    egdi_status st;
    if (r->ops->next_small) /* (which applies max_cell_chars itself) */
        return r->ops->next_small(r->self, row, err);
    if ((st = r->ops->next(r->self, row, err)) != EGDI_OK)
        return st;
    row->small = NULL; /* every cell is there: all are checked */
    if ((st = check_chars(r, row, err)) != EGDI_OK)
        return st;
    if (row->ncells > r->small_cap) {
        unsigned char *q = realloc(r->small, row->ncells);
        if (!q) {
            egdi_error_at(err, r->name, egdi_reader_sheet(r), row->number, 0);
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading a row");
        }
        r->small = q;
        r->small_cap = row->ncells;
    }
    for (size_t j = 0; j < row->ncells; j++)
        r->small[j] = (unsigned char)egdi_cell_small(&row->cells[j]);
    row->small = r->small;
    return EGDI_OK;
}

bool egdi_reader_position(const egdi_reader *r, uint64_t *done, uint64_t *total)
{
    *done = *total = 0;
    return r->ops->position && r->ops->position(r->self, done, total);
}

double egdi_reader_rows_foretold(const egdi_reader *r, uint64_t rows, uint64_t head)
{
    uint64_t done, total;
    if (!egdi_reader_position(r, &done, &total) || done <= head || total <= done)
        return 0;
    return (double)rows * ((double)(total - head) / (double)(done - head));
}

const char *egdi_reader_sheet(const egdi_reader *r)
{
    return r->ops->sheet ? r->ops->sheet(r->self) : NULL;
}

const char *egdi_reader_name(const egdi_reader *r)
{
    return r->name;
}

egdi_file_format egdi_reader_format(const egdi_reader *r)
{
    return r->format;
}

void egdi_reader_close(egdi_reader *r)
{
    if (!r)
        return;
    if (r->ops && r->self)
        r->ops->close(r->self);
    free(r->name);
    free(r->small);
    free(r->owned);
    free(r);
}
