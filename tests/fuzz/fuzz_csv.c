/*
 * fuzz_csv.c - libFuzzer target for the CSV reader (engine/readers/csv.c) and the
 * value parsers (engine/core/value.c).
 *
 * Each input is read twice from memory as CSV: once with the default
 * options, once with an encoding, a delimiter and small limits chosen from
 * the input's size.  Every row is checked: row numbers increase, the last
 * cell is not empty, text cells are NUL-terminated valid UTF-8 of the stated
 * length, empty cells have no text.  Each cell also goes through
 * egdi_value_number() and egdi_value_bool(), whose results are checked.
 * Valid UTF-8 is also read with ',' as the delimiter and compared with what
 * libcsv alone makes of it, so the reader's own split of plain lines must
 * agree with libcsv; ASCII input is also read as UTF-8 and as GB18030 (a
 * separate window of converted text), which must agree.  Every read is
 * repeated with egdi_reader_next_small in step: the same rows, statuses
 * and error locations, each cell either the same or a small whole number
 * that egdi_cell_small finds in the cell egdi_reader_next gives.  A broken invariant aborts, which the fuzzer reports
 * as a crash.
 *
 * Build and run (from the top of the tree, after `make`):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -std=c11 \
 *       -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Iengine \
 *       -o build/fuzz_csv tests/fuzz/fuzz_csv.c engine/readers/csv.c engine/core/value.c \
 *       engine/readers/reader.c engine/core/error.c engine/xlsx*.c -lcsv -lm \
 *       $(pkg-config --libs libzip expat zlib) -lpthread
 *   mkdir -p /tmp/csv-corpus
 *   build/fuzz_csv -max_total_time=300 -max_len=4096 /tmp/csv-corpus tests/fuzz/corpus/csv
 * Keep any crash-* file it writes in tests/fuzz/corpus/csv/ once fixed;
 * `make check` replays that directory with tests/fuzz/replay.c.
 */
#include <csv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/readers/reader.h"
#include "engine/core/value.h"

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (!(cond))                                                                \
            abort();                                                                \
    } while (0)

/* True when t[0..n) is valid UTF-8 (the reader promises it). */
static int valid_utf8(const unsigned char *t, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = t[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return 0;
        }
        if (n - i < len)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((t[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (t[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

static void check_cell(const egdi_cell *c)
{
    if (c->type == EGDI_CELL_EMPTY) {
        CHECK(c->text == NULL && c->len == 0);
        return;
    }
    CHECK(c->type == EGDI_CELL_TEXT);
    CHECK(c->text != NULL && c->len > 0);
    CHECK(c->text[c->len] == '\0');
    CHECK(memchr(c->text, '\0', c->len) == NULL);
    CHECK(valid_utf8((const unsigned char *)c->text, c->len));

    double v = 0;
    bool pct = false, b = false;
    const char *why = NULL;
    egdi_status st = egdi_value_number(c->text, c->len, &v, &pct, &why);
    if (st == EGDI_OK)
        CHECK(isfinite(v));
    else
        CHECK(st == EGDI_ERR_VALUE && why != NULL && why[0] != '\0');
    why = NULL;
    st = egdi_value_bool(c->text, c->len, &b, &why);
    CHECK(st == EGDI_OK || (st == EGDI_ERR_VALUE && why != NULL));
    double w;
    st = egdi_cell_number(c, true, &w, &why);
    CHECK(st == EGDI_OK || st == EGDI_ERR_VALUE);
    (void)egdi_value_blank(c->text, c->len);
}

/* ---- the reference: libcsv alone over the whole input ----------------- */

/* Rows as one string: fields end in 0x1F, rows in 0x1E, "\x1D" marks an
 * empty cell. */
typedef struct {
    char *s;
    size_t n, cap;
    size_t row_start;   /* where the open record starts in s */
    size_t last_filled; /* end of its last non-empty field (in s) */
} flat;

static void flat_add(flat *f, const void *t, size_t n)
{
    if (f->n + n + 1 > f->cap) {
        f->cap = (f->n + n + 1) * 2 + 64;
        f->s = realloc(f->s, f->cap);
        CHECK(f->s != NULL);
    }
    memcpy(f->s + f->n, t, n);
    f->n += n;
}

static void ref_field(void *t, size_t n, void *u)
{
    flat *f = u;
    if (n == 0) {
        flat_add(f, "\x1D\x1F", 2);
        return;
    }
    flat_add(f, t, n);
    flat_add(f, "\x1F", 1);
    f->last_filled = f->n;
}

static void ref_record(int c, void *u)
{
    (void)c;
    flat *f = u;
    if (f->last_filled <= f->row_start) {
        f->n = f->row_start; /* an empty record */
        return;
    }
    f->n = f->last_filled; /* trailing empty fields go */
    flat_add(f, "\x1E", 1);
    f->row_start = f->last_filled = f->n;
}

static void reader_rows(flat *f, const egdi_row *row)
{
    for (size_t i = 0; i < row->ncells; i++) {
        if (row->cells[i].type == EGDI_CELL_EMPTY)
            flat_add(f, "\x1D", 1);
        else
            flat_add(f, row->cells[i].text, row->cells[i].len);
        flat_add(f, "\x1F", 1);
    }
    flat_add(f, "\x1E", 1);
}

/*
 * The reader splits plain lines itself and gives the others to libcsv; on
 * valid UTF-8 without a BOM, with ',' as the delimiter and no error, its
 * rows must be exactly what libcsv alone makes of the whole input.
 */
static void compare_with_libcsv(const uint8_t *data, size_t size)
{
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        return;
    if (size >= 2 && (data[0] == 0xFF || data[0] == 0xFE))
        return;
    if (!valid_utf8(data, size) || memchr(data, 0, size))
        return;
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    o.delimiter = ',';
    egdi_reader *r;
    egdi_error err;
    if (egdi_reader_open_mem(&r, data, size, "fuzz.csv", &o, &err) != EGDI_OK)
        return;
    flat got = {0};
    flat_add(&got, "", 0);
    egdi_row row;
    egdi_status st;
    while ((st = egdi_reader_next(r, &row, &err)) == EGDI_OK)
        reader_rows(&got, &row);
    egdi_reader_close(r);
    if (st == EGDI_DONE) {
        flat want = {0};
        flat_add(&want, "", 0);
        struct csv_parser p;
        CHECK(csv_init(&p, CSV_REPALL_NL) == 0);
        csv_set_delim(&p, ',');
        CHECK(csv_parse(&p, data, size, ref_field, ref_record, &want) == size);
        csv_fini(&p, ref_field, ref_record, &want);
        csv_free(&p);
        CHECK(got.n == want.n && memcmp(got.s, want.s, got.n) == 0);
        free(want.s);
    }
    free(got.s);
}

/* The rows of data read with encoding enc and ',' as a flat string; returns
 * the final status. */
static egdi_status flat_rows(const uint8_t *data, size_t size, egdi_encoding enc, flat *out,
                             egdi_error *err)
{
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    o.delimiter = ',';
    o.encoding = enc;
    flat_add(out, "", 0);
    egdi_reader *r;
    egdi_status st = egdi_reader_open_mem(&r, data, size, "fuzz.csv", &o, err);
    if (st != EGDI_OK)
        return st;
    egdi_row row;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        char num[16];
        int k = snprintf(num, sizeof num, "%u:", (unsigned)row.number);
        flat_add(out, num, (size_t)k);
        reader_rows(out, &row);
    }
    egdi_reader_close(r);
    return st;
}

/* ASCII text is the same in UTF-8 and GB18030: the two ways through the
 * reader (GB18030 is converted into its own window) give the same rows, row
 * numbers and errors. */
static void compare_gb_with_utf8(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i < size; i++)
        if (data[i] >= 0x80)
            return;
    flat a = {0}, b = {0};
    egdi_error ea, eb;
    egdi_error_clear(&ea);
    egdi_error_clear(&eb);
    egdi_status sa = flat_rows(data, size, EGDI_ENC_UTF8, &a, &ea);
    egdi_status sb = flat_rows(data, size, EGDI_ENC_GB18030, &b, &eb);
    CHECK(sa == sb);
    CHECK(a.n == b.n && memcmp(a.s, b.s, a.n) == 0);
    if (sa != EGDI_DONE && sa != EGDI_OK)
        CHECK(ea.row == eb.row && ea.col == eb.col);
    free(a.s);
    free(b.s);
}

/* ---- egdi_reader_next_small against egdi_reader_next ---------------------- */

static void compare_small(const uint8_t *data, size_t size, const egdi_read_opts *o)
{
    egdi_reader *a = NULL, *b = NULL;
    egdi_error ea, eb;
    egdi_error_clear(&ea);
    egdi_error_clear(&eb);
    egdi_status sa = egdi_reader_open_mem(&a, data, size, "fuzz.csv", o, &ea);
    egdi_status sb = egdi_reader_open_mem(&b, data, size, "fuzz.csv", o, &eb);
    CHECK(sa == sb);
    while (sa == EGDI_OK) {
        egdi_row ra, rb;
        sa = egdi_reader_next(a, &ra, &ea);
        sb = egdi_reader_next_small(b, &rb, &eb);
        CHECK(sa == sb);
        if (sa != EGDI_OK)
            break;
        CHECK(ra.small == NULL && rb.small != NULL);
        CHECK(ra.number == rb.number && ra.ncells == rb.ncells);
        for (size_t j = 0; j < ra.ncells; j++) {
            const egdi_cell *x = &ra.cells[j], *y = &rb.cells[j];
            unsigned v = rb.small[j];
            CHECK(egdi_cell_small(x) == v);
            if (v != EGDI_SMALL_NONE)
                continue;
            CHECK(x->type == y->type && x->len == y->len);
            CHECK(x->len == 0 || memcmp(x->text, y->text, x->len + 1) == 0);
        }
    }
    if (sa != EGDI_OK && sa != EGDI_DONE)
        CHECK(ea.row == eb.row && ea.col == eb.col && strcmp(ea.message, eb.message) == 0);
    egdi_reader_close(a);
    egdi_reader_close(b);
}

/* ---- the reader with its invariants -------------------------------------- */

static void read_all(const uint8_t *data, size_t size, const egdi_read_opts *o)
{
    egdi_reader *r = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_reader_open_mem(&r, data, size, "fuzz.csv", o, &err);
    if (st != EGDI_OK) {
        CHECK(r == NULL && st == err.status && err.message[0] != '\0');
        return;
    }
    egdi_row row;
    uint32_t last = 0;
    unsigned rows = 0;
    while ((st = egdi_reader_next(r, &row, &err)) == EGDI_OK) {
        CHECK(row.number > last);
        last = row.number;
        CHECK(row.ncells > 0);
        CHECK(row.cells[row.ncells - 1].type != EGDI_CELL_EMPTY);
        if (o->limits.max_cols)
            CHECK(row.ncells <= o->limits.max_cols);
        for (size_t i = 0; i < row.ncells; i++) {
            check_cell(&row.cells[i]);
            if (o->limits.max_cell_bytes)
                CHECK(row.cells[i].len <= o->limits.max_cell_bytes);
        }
        rows++;
    }
    if (o->limits.max_rows)
        CHECK(rows <= o->limits.max_rows);
    CHECK(st == EGDI_DONE || (st == err.status && err.message[0] != '\0'));
    /* an error is sticky */
    if (st != EGDI_DONE)
        CHECK(egdi_reader_next(r, &row, &err) == st);
    else
        CHECK(egdi_reader_next(r, &row, &err) == EGDI_DONE);
    egdi_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    read_all(data, size, &o);
    compare_small(data, size, &o);
    compare_with_libcsv(data, size);
    compare_gb_with_utf8(data, size);

    static const char delims[4] = {0, ',', ';', '\t'};
    static const egdi_encoding encs[3] = {EGDI_ENC_AUTO, EGDI_ENC_UTF8, EGDI_ENC_GB18030};
    o.encoding = encs[size % 3];
    o.delimiter = delims[(size / 3) % 4];
    o.limits.max_cols = 1 + (uint32_t)(size % 7);
    o.limits.max_cell_bytes = 1 + (uint32_t)(size % 61);
    o.limits.max_rows = 1 + (uint32_t)(size % 13);
    read_all(data, size, &o);
    compare_small(data, size, &o);

    /* the value parsers alone on the raw bytes, as if they were one cell */
    double v;
    bool pct, b;
    const char *why;
    if (egdi_value_number((const char *)data, size, &v, &pct, &why) == EGDI_OK)
        CHECK(isfinite(v));
    (void)egdi_value_bool((const char *)data, size, &b, &why);
    return 0;
}
