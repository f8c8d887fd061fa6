/*
 * Unit tests for engine/readers/csv.c through the reader interface (reader.h):
 * RFC 4180 quoting, line numbers, delimiters, BOM, GBK, bad input, limits.
 *
 * Most inputs are written inline and read from memory; the sample files
 * under tests/data/csv/ are read through a path.  GBK bytes are made here
 * with iconv from UTF-8 text, and the committed GBK sample was made with
 * `iconv -f UTF-8 -t GBK`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/readers/reader.h"
#include "engine/readers/reader_private.h"
#include "reader_compare.h"

/* A growing string. */
typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *t, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        b->cap = (b->n + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        assert_non_null(b->s);
    }
    memcpy(b->s + b->n, t, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *t)
{
    sb_add(b, t, strlen(t));
}

/*
 * Reads every row of r into one string: "N:a|b|_|c\n" per row, where N is
 * the row number and "_" an empty cell.  Returns the final status; the
 * error goes to *err.
 */
static egdi_status dump_reader(egdi_reader *r, char **out, egdi_error *err)
{
    sbuf b = {0};
    sb_str(&b, "");
    egdi_row row;
    egdi_status st;
    while ((st = egdi_reader_next(r, &row, err)) == EGDI_OK) {
        char num[32];
        snprintf(num, sizeof num, "%u:", (unsigned)row.number);
        sb_str(&b, num);
        assert_true(row.ncells > 0);
        assert_int_not_equal(row.cells[row.ncells - 1].type, EGDI_CELL_EMPTY);
        for (size_t i = 0; i < row.ncells; i++) {
            const egdi_cell *c = &row.cells[i];
            if (i)
                sb_str(&b, "|");
            if (c->type == EGDI_CELL_EMPTY) {
                assert_null(c->text);
                sb_str(&b, "_");
            } else {
                assert_int_equal(c->type, EGDI_CELL_TEXT);
                assert_int_equal(strlen(c->text), c->len);
                sb_add(&b, c->text, c->len);
            }
        }
        sb_str(&b, "\n");
    }
    *out = b.s;
    return st;
}

/* Reads text (size n) as CSV with opts; returns the rows as dump_reader. */
static egdi_status read_mem(const void *text, size_t n, const egdi_read_opts *opts, char **out,
                            egdi_error *err)
{
    egdi_reader *r = NULL;
    egdi_read_opts o;
    if (opts)
        o = *opts;
    else
        egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    egdi_error_clear(err);
    *out = NULL;
    egdi_status st = egdi_reader_open_mem(&r, text, n, "t.csv", &o, err);
    if (st != EGDI_OK) {
        assert_null(r);
        return st;
    }
    st = dump_reader(r, out, err);
    egdi_reader_close(r);
    return st;
}

/* Expects text to read completely (EGDI_DONE) as want. */
static void expect_rows(const char *text, const egdi_read_opts *opts, const char *want)
{
    char *got;
    egdi_error err;
    egdi_status st = read_mem(text, strlen(text), opts, &got, &err);
    if (st != EGDI_DONE)
        fail_msg("status %d: %s", (int)st, err.message);
    assert_string_equal(got, want);
    free(got);
}

/* Expects text to fail with st at (row, col) with msg in the message, after
 * the rows in want. */
static void expect_error(const void *text, size_t n, const egdi_read_opts *opts,
                         egdi_status want_st, uint32_t row, uint32_t col, const char *msg,
                         const char *want_rows)
{
    char *got = NULL;
    egdi_error err;
    egdi_status st = read_mem(text, n, opts, &got, &err);
    assert_int_equal(st, want_st);
    assert_int_equal(err.status, want_st);
    assert_string_equal(err.file, "t.csv");
    assert_int_equal(err.row, row);
    assert_int_equal(err.col, col);
    if (!strstr(err.message, msg))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, msg);
    if (want_rows)
        assert_string_equal(got ? got : "", want_rows);
    free(got);
}

/* UTF-8 text converted to GBK with iconv; *n gets the size. */
static char *to_gbk(const char *utf8, size_t *n)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t inleft = strlen(utf8), cap = inleft * 2 + 16, outleft = cap;
    char *out = malloc(cap), *o = out, *in = (char *)(uintptr_t)utf8;
    assert_non_null(out);
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    iconv_close(cd);
    *n = cap - outleft;
    return out;
}

/* ---- RFC 4180 ----------------------------------------------------------- */

static void plain_rows(void **state)
{
    (void)state;
    expect_rows("a,b,c\n1,2,3\n", NULL, "1:a|b|c\n2:1|2|3\n");
    /* no newline at the end */
    expect_rows("a,b\n1,2", NULL, "1:a|b\n2:1|2\n");
}

static void quoted_fields(void **state)
{
    (void)state;
    expect_rows("name,note\n"
                "\"Smith, J.\",\"said \"\"hi\"\"\"\n"
                "\"\",x\n",
                NULL, "1:name|note\n2:Smith, J.|said \"hi\"\n3:_|x\n");
    /* blanks around unquoted fields and a quoted one are dropped */
    expect_rows(" a , \"b\" ,c\n", NULL, "1:a|b|c\n");
    expect_rows(" a , b ,c \n\t\n", NULL, "1:a|b|c\n");
    /* one-character fields, blanks among them */
    expect_rows("1, ,3,\t,5\n", NULL, "1:1|_|3|_|5\n");
    {
        sbuf b = {0}, w = {0};
        sb_str(&b, "a,b\n");
        sb_str(&w, "1:a|b\n2:");
        for (int i = 0; i < 300; i++) {
            char one[3] = {(char)('0' + i % 10), ',', '\0'};
            sb_str(&b, one);
            one[1] = i < 299 ? '|' : '\n';
            sb_str(&w, one);
        }
        sb_str(&b, "\n");
        expect_rows(b.s, NULL, w.s);
        free(b.s);
        free(w.s);
    }
    /* every field quoted, as some exporters write them */
    expect_rows("\"id\",\"name\"\r\n\"1\",\"a, b\"\r\n  \"2\"  ,\" c \"\r\n\"\",\"\"\r\n\"3\",\"\"\n",
                NULL, "1:id|name\n2:1|a, b\n3:2| c \n5:3\n");
    expect_rows("\"a\tb\"\t\"c\"\n \"x\" \t\"\"\n", NULL, "1:a\tb|c\n2:x\n");
}

static void embedded_newlines_and_line_numbers(void **state)
{
    (void)state;
    expect_rows("h1,h2\n"
                "1,\"two\nlines\"\n"
                "2,x\n"
                "\n"
                "3,\"a\n\nb\",c\n"
                "4,y\n",
                NULL,
                "1:h1|h2\n2:1|two\nlines\n4:2|x\n6:3|a\n\nb|c\n9:4|y\n");
    /* a record that starts with a quote, after a plain one; its next lines
     * hold no quote, no delimiter, and one is empty */
    expect_rows("h\n\"x\ny\n\nz\"\nlast\n", NULL, "1:h\n2:x\ny\n\nz\n6:last\n");
    expect_rows("h\r\n\"x\r\ny\"\r\nlast\r\n", NULL, "1:h\n2:x\r\ny\n4:last\n");
}

static void crlf_line_endings(void **state)
{
    (void)state;
    expect_rows("a,b\r\n1,\"x\r\ny\"\r\n\r\n2,3\r\n", NULL,
                "1:a|b\n2:1|x\r\ny\n5:2|3\n");
    /* old Mac line ends */
    expect_rows("a,b\r1,2\r", NULL, "1:a|b\n2:1|2\n");
}

static void empty_records_are_skipped(void **state)
{
    (void)state;
    expect_rows("\n\na,b\n,,\n  ,\n\"\",\"\"\n1,2\n\n", NULL, "3:a|b\n7:1|2\n");
}

static void trailing_empty_fields_trimmed_ragged_rows(void **state)
{
    (void)state;
    expect_rows("a,b,c,,\n1,,3\n1\n1,2,3,4,5\n,,x,\n", NULL,
                "1:a|b|c\n2:1|_|3\n3:1\n4:1|2|3|4|5\n5:_|_|x\n");
}

static void empty_and_header_only(void **state)
{
    (void)state;
    expect_rows("", NULL, "");
    expect_rows("\xEF\xBB\xBF", NULL, "");
    expect_rows("\n\r\n\n", NULL, "");
    expect_rows("id,name,score\n", NULL, "1:id|name|score\n");
}

/* ---- BOM and delimiters ------------------------------------------------- */

static void bom_is_stripped(void **state)
{
    (void)state;
    expect_rows("\xEF\xBB\xBF" "代码,名称\nA01,省政府\n", NULL, "1:代码|名称\n2:A01|省政府\n");
}

static void delimiters_detected(void **state)
{
    (void)state;
    expect_rows("a;b;c\n1;2,5;3\n", NULL, "1:a|b|c\n2:1|2,5|3\n");
    expect_rows("a\tb\tc\n1\t2,5\t3\n", NULL, "1:a|b|c\n2:1|2,5|3\n");
    /* a tab file keeps spaces inside fields, and empty fields */
    expect_rows("a b\t\tc\n", NULL, "1:a b|_|c\n");
    /* commas inside quotes do not count */
    expect_rows("\"x,y,z\";b\n\"1,2\";3\n", NULL, "1:x,y,z|b\n2:1,2|3\n");
    /* one column: nothing to detect, comma by default */
    expect_rows("a\nb\n", NULL, "1:a\n2:b\n");
    /* consistent beats more frequent on the first line */
    expect_rows("a,b;c;d;e\n1,2\n3,4\n", NULL, "1:a|b;c;d;e\n2:1|2\n3:3|4\n");
}

static void delimiter_chosen(void **state)
{
    (void)state;
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.delimiter = ';';
    expect_rows("a,b;c\n", &o, "1:a,b|c\n");
    o.delimiter = '|';
    expect_rows("a|b,c\n", &o, "1:a|b,c\n");
    o.delimiter = '"';
    char *got;
    egdi_error err;
    assert_int_equal(read_mem("a", 1, &o, &got, &err), EGDI_ERR_ARG);
}

/* ---- encodings ---------------------------------------------------------- */

static void gbk_detected_and_converted(void **state)
{
    (void)state;
    size_t n;
    char *g = to_gbk("单位,得分\n省政府办公厅,85\n市数据局,\"92,5\"\n", &n);
    char *got;
    egdi_error err;
    assert_int_equal(read_mem(g, n, NULL, &got, &err), EGDI_DONE);
    assert_string_equal(got, "1:单位|得分\n2:省政府办公厅|85\n3:市数据局|92,5\n");
    free(got);

    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.encoding = EGDI_ENC_GB18030;
    assert_int_equal(read_mem(g, n, &o, &got, &err), EGDI_DONE);
    assert_string_equal(got, "1:单位|得分\n2:省政府办公厅|85\n3:市数据局|92,5\n");
    free(got);

    /* forced UTF-8: an error on line 1, column 1, before any row */
    o.encoding = EGDI_ENC_UTF8;
    expect_error(g, n, &o, EGDI_ERR_ENCODING, 1, 1, "invalid UTF-8", "");
    free(g);
}

/* A file read as GB18030 because it is not UTF-8, with a line that is
 * UTF-8 Chinese, is refused naming that line (issue 19, item 9: it would be
 * read as 鍗椾含), whichever comes first; GB2312 text is never taken for
 * UTF-8 (a line of one character, 女 = C5 AE, is valid UTF-8 but stays
 * GBK), and --encoding gbk reads the file as it is told. */
static void mixed_encodings(void **state)
{
    (void)state;
    size_t n1, n2;
    char *g1 = to_gbk("code,name\nA1,苏州\n", &n1);
    const char *u = "A2,南京\n";
    char *t = malloc(n1 + strlen(u) + 1);
    assert_non_null(t);
    memcpy(t, g1, n1);
    memcpy(t + n1, u, strlen(u) + 1);
    expect_error(t, n1 + strlen(u), NULL, EGDI_ERR_ENCODING, 3, 0,
                 "this line is UTF-8 text but other lines of the file are not", NULL);
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.encoding = EGDI_ENC_GB18030;
    char *got;
    egdi_error err;
    assert_int_equal(read_mem(t, n1 + strlen(u), &o, &got, &err), EGDI_DONE);
    free(got);
    free(t);
    /* UTF-8 first, then GBK: the GBK line decides; the UTF-8 line is named */
    char *g2 = to_gbk("A1,苏州\n", &n2);
    const char *u2 = "code,name\nA2,南京\n";
    t = malloc(strlen(u2) + n2);
    assert_non_null(t);
    memcpy(t, u2, strlen(u2));
    memcpy(t + strlen(u2), g2, n2);
    expect_error(t, strlen(u2) + n2, NULL, EGDI_ERR_ENCODING, 2, 0, "mixes two encodings",
                 NULL);
    free(t);
    /* GBK lines whose bytes happen to be UTF-8 (女, 〇) are GBK */
    char *g3 = to_gbk("id,性别\n1,女\n2,女\n3,男\n", &n2);
    assert_int_equal(read_mem(g3, n2, NULL, &got, &err), EGDI_DONE);
    assert_string_equal(got, "1:id|性别\n2:1|女\n3:2|女\n4:3|男\n");
    free(got);
    free(g1);
    free(g2);
    free(g3);
}

/* egdi_reader_open reads a pipe from its first byte, once, bounded by
 * limits.max_stream (issue 19, item 5). */
static void pipe_through_the_reader(void **state)
{
    (void)state;
    for (int k = 0; k < 2; k++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        const char t[] = "a;b\n1;2\n";
        assert_int_equal(write(fds[1], t, sizeof t - 1), (ssize_t)(sizeof t - 1));
        close(fds[1]);
        char path[64];
        snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
        egdi_read_opts o;
        egdi_read_opts_init(&o);
        o.limits.max_stream = k ? 4 : 0; /* the default, then 4 bytes */
        egdi_reader *r = NULL;
        egdi_error err;
        egdi_error_clear(&err);
        egdi_status st = egdi_reader_open(&r, path, &o, &err);
        if (k) {
            assert_int_equal(st, EGDI_ERR_LIMIT);
            assert_non_null(strstr(err.message, "a stream (not a regular file) of more than 4 "
                                                "bytes"));
        } else {
            assert_int_equal(st, EGDI_OK);
            egdi_row row;
            assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
            assert_string_equal(row.cells[0].text, "a"); /* not swallowed by the sniffing */
            assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
            assert_string_equal(row.cells[1].text, "2");
            assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_DONE);
        }
        egdi_reader_close(r);
        close(fds[0]);
    }
}

static void gbk_after_long_ascii_prefix(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "id,v\n");
    char line[64];
    for (int i = 0; i < 20000; i++) { /* about 200 KiB of ASCII */
        snprintf(line, sizeof line, "%d,value %d\n", i, i);
        sb_str(&b, line);
    }
    size_t n;
    char *g = to_gbk("99999,满意\n", &n);
    sb_add(&b, g, n);
    free(g);
    assert_true(b.n > 3 * 65536);

    egdi_reader *r;
    egdi_error err;
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    assert_int_equal(egdi_reader_open_mem(&r, b.s, b.n, "t.csv", &o, &err), EGDI_OK);
    egdi_row row;
    uint32_t rows = 0;
    egdi_status st;
    char last[64] = "";
    while ((st = egdi_reader_next(r, &row, &err)) == EGDI_OK) {
        rows++;
        assert_int_equal(row.number, rows);
        assert_int_equal(row.ncells, 2);
        snprintf(last, sizeof last, "%s", row.cells[1].text);
    }
    assert_int_equal(st, EGDI_DONE);
    assert_int_equal(rows, 20002);
    assert_string_equal(last, "满意");
    egdi_reader_close(r);

    /* forced UTF-8: the rows before, then an error naming line 20002 */
    o.encoding = EGDI_ENC_UTF8;
    assert_int_equal(egdi_reader_open_mem(&r, b.s, b.n, "t.csv", &o, &err), EGDI_OK);
    rows = 0;
    while ((st = egdi_reader_next(r, &row, &err)) == EGDI_OK)
        rows++;
    assert_int_equal(st, EGDI_ERR_ENCODING);
    assert_int_equal(rows, 20001);
    assert_int_equal(err.row, 20002);
    assert_int_equal(err.col, 2);
    egdi_reader_close(r);
    free(b.s);
}

static void invalid_utf8(void **state)
{
    (void)state;
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.encoding = EGDI_ENC_UTF8;
    /* a stray continuation byte in field 3 of line 3 (a quoted newline before) */
    const char t[] = "a,b,c\n\"x\ny\",2,ok\xBF\n";
    expect_error(t, sizeof t - 1, &o, EGDI_ERR_ENCODING, 3, 3, "byte 17", "1:a|b|c\n");
    /* with a BOM the file says it is UTF-8: no fallback to GBK */
    const char u[] = "\xEF\xBB\xBF" "a\n\xC3\x28\n";
    expect_error(u, sizeof u - 1, NULL, EGDI_ERR_ENCODING, 2, 1, "invalid UTF-8", "1:a\n");
    /* overlong and surrogate forms are not UTF-8 */
    const char v[] = "a\n\xC0\xAF\n";
    expect_error(v, sizeof v - 1, &o, EGDI_ERR_ENCODING, 2, 1, "invalid UTF-8", NULL);
    const char w[] = "a\n\xED\xA0\x80\n";
    expect_error(w, sizeof w - 1, &o, EGDI_ERR_ENCODING, 2, 1, "invalid UTF-8", NULL);
}

static void invalid_gb18030(void **state)
{
    (void)state;
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.encoding = EGDI_ENC_GB18030;
    /* 0xFF never starts a GB18030 character */
    const char t[] = "a,b\n1,2\n3,\xFF\n";
    expect_error(t, sizeof t - 1, &o, EGDI_ERR_ENCODING, 3, 2, "invalid GB18030",
                 "1:a|b\n2:1|2\n");
    /* a lead byte cut by the end of the file */
    const char u[] = "a,b\n1,\x81";
    expect_error(u, sizeof u - 1, &o, EGDI_ERR_ENCODING, 2, 2, "invalid GB18030", "1:a|b\n");
    /* neither UTF-8 nor GB18030: auto tries GBK and says so */
    expect_error(t, sizeof t - 1, NULL, EGDI_ERR_ENCODING, 3, 2, "invalid GB18030", NULL);
}

/* ---- bad input and limits ----------------------------------------------- */

static void binary_input(void **state)
{
    (void)state;
    const char t[] = "a,b\n1,\0\x01\x02";
    expect_error(t, sizeof t - 1, NULL, EGDI_ERR_FORMAT, 0, 0,
                 "binary data at byte 7; not a CSV text file", NULL);
    const char z[] = "PK\x03\x04\x14\0\0\0";
    expect_error(z, sizeof z - 1, NULL, EGDI_ERR_FORMAT, 0, 0, "zip", NULL);
    const char u16[] = "\xFF\xFE" "a\0,\0b\0";
    expect_error(u16, sizeof u16 - 1, NULL, EGDI_ERR_FORMAT, 0, 0, "UTF-16", NULL);
}

static void unterminated_quote(void **state)
{
    (void)state;
    const char t[] = "a,b\n1,2\n3,\"open\nstill open\nto the end\n";
    expect_error(t, sizeof t - 1, NULL, EGDI_ERR_FORMAT, 3, 2, "starts on line 3 is never closed",
                 "1:a|b\n2:1|2\n");
    const char u[] = "a\r\n\r\n\"x";
    expect_error(u, sizeof u - 1, NULL, EGDI_ERR_FORMAT, 3, 1, "line 3", "1:a\n");
}

static void limits(void **state)
{
    (void)state;
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.limits.max_cols = 3;
    expect_rows("a,b,c\n1,2,3,,\n", &o, "1:a|b|c\n2:1|2|3\n");
    const char t[] = "a,b,c\n1,2,3,4\n";
    expect_error(t, sizeof t - 1, &o, EGDI_ERR_LIMIT, 2, 4, "more than 3 columns", "1:a|b|c\n");

    egdi_read_opts_init(&o);
    o.limits.max_cell_bytes = 4;
    const char u[] = "abcd,x\n\"a\nbc\",e\nabcde\n";
    expect_error(u, sizeof u - 1, &o, EGDI_ERR_LIMIT, 4, 1, "longer than 4 bytes",
                 "1:abcd|x\n2:a\nbc|e\n");
    /* a quoted cell is placed on the line where it starts */
    const char u2[] = "a,\"b\nc\nd\ne\"\n";
    expect_error(u2, sizeof u2 - 1, &o, EGDI_ERR_LIMIT, 1, 2, "longer than 4 bytes", "");

    egdi_read_opts_init(&o);
    o.limits.max_rows = 2;
    const char v[] = "a\n\nb\n\nc\n";
    expect_error(v, sizeof v - 1, &o, EGDI_ERR_LIMIT, 5, 0, "more than 2 rows", "1:a\n3:b\n");

    /* a huge unterminated cell stops at the limit, not at the end */
    egdi_read_opts_init(&o);
    o.limits.max_cell_bytes = 1000;
    size_t n = 300000;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, 'x', n);
    big[0] = '"';
    expect_error(big, n, &o, EGDI_ERR_LIMIT, 1, 1, "longer than 1000 bytes", "");
    free(big);
}

/* ---- many rows, chunk boundaries ---------------------------------------- */

static void many_rows_across_chunks(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "id,text,n\r\n");
    char line[256];
    uint32_t expect_line = 2;
    sbuf want = {0};
    sb_str(&want, "1:id|text|n\n");
    for (int i = 0; i < 30000; i++) {
        char tail[64];
        if (i % 7 == 0) {
            snprintf(line, sizeof line, "%d,\"multi\r\nline \"\"%d\"\"\",%d\r\n", i, i, i);
            snprintf(tail, sizeof tail, "%u:%d|multi\r\nline \"%d\"|%d\n", expect_line, i, i, i);
            expect_line += 2;
        } else if (i % 11 == 0) {
            snprintf(line, sizeof line, "\r\n");
            tail[0] = '\0';
            expect_line += 1;
        } else {
            snprintf(line, sizeof line, "%d,plain %d,%d\r\n", i, i, i);
            snprintf(tail, sizeof tail, "%u:%d|plain %d|%d\n", expect_line, i, i, i);
            expect_line += 1;
        }
        sb_str(&b, line);
        sb_str(&want, tail);
    }
    assert_true(b.n > 10 * 65536);
    char *got;
    egdi_error err;
    assert_int_equal(read_mem(b.s, b.n, NULL, &got, &err), EGDI_DONE);
    assert_string_equal(got, want.s);
    free(got);
    free(b.s);
    free(want.s);
}

static void long_cell_across_chunks(void **state)
{
    (void)state;
    size_t n = 100000; /* under the default byte limit, over one chunk */
    sbuf b = {0};
    sb_str(&b, "a,\"");
    char *x = malloc(n + 1);
    assert_non_null(x);
    for (size_t i = 0; i < n; i++)
        x[i] = (char)('a' + i % 26);
    x[n] = '\0';
    sb_str(&b, x);
    sb_str(&b, "\",z\nnext\n");
    egdi_reader *r;
    egdi_error err;
    egdi_read_opts o; /* more characters than Excel's 32,767 */
    egdi_read_opts_init(&o);
    o.limits.max_cell_chars = (uint32_t)n;
    assert_int_equal(egdi_reader_open_mem(&r, b.s, b.n, "t.csv", &o, &err), EGDI_OK);
    egdi_row row;
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.ncells, 3);
    assert_int_equal(row.cells[1].len, n);
    assert_string_equal(row.cells[1].text, x);
    assert_string_equal(row.cells[2].text, "z");
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 2);
    assert_string_equal(row.cells[0].text, "next");
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_DONE);
    egdi_reader_close(r);
    free(x);
    free(b.s);
}

/* A cell over 32,767 characters is refused at its row and column; the
 * count is in characters (3-byte CJK here), and the limit is a setting. */
static void cell_character_limit(void **state)
{
    (void)state;
    for (size_t n = 32767; n <= 32768; n++) {
        sbuf b = {0};
        sb_str(&b, "code,name\nD1,");
        for (size_t i = 0; i < n; i++)
            sb_str(&b, "\xe9\x95\xbf"); /* 长 */
        sb_str(&b, "\n");
        for (int raised = 0; raised <= 1; raised++) {
            egdi_read_opts o;
            egdi_read_opts_init(&o);
            o.limits.max_cell_chars = raised ? 40000 : 0;
            egdi_reader *r;
            egdi_error err;
            assert_int_equal(egdi_reader_open_mem(&r, b.s, b.n, "t.csv", &o, &err), EGDI_OK);
            egdi_row row;
            assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK);
            egdi_status st = egdi_reader_next(r, &row, &err);
            if (n == 32768 && !raised) {
                assert_int_equal(st, EGDI_ERR_LIMIT);
                assert_int_equal(err.row, 2);
                assert_int_equal(err.col, 2);
                assert_string_equal(err.message, "the text is 32768 characters long, over the "
                                                 "limit of 32767 (Excel's)");
            } else {
                assert_int_equal(st, EGDI_OK);
                assert_int_equal(row.cells[1].len, 3 * n);
            }
            egdi_reader_close(r);
        }
        free(b.s);
    }
}

/* ---- files: the same rows as from memory -------------------------------- */

/* Writes t[0..n) to a new temporary file; returns its path (caller frees
 * and unlinks). */
static char *temp_file(const void *t, size_t n)
{
    char *path = strdup("/tmp/egdi-test-csv-XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, t, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
    return path;
}

/* Reads t through a file and from memory; both give the same rows and the
 * same final status (and *out gets the rows). */
static egdi_status same_as_file(const void *t, size_t n, const egdi_read_opts *opts, char **out)
{
    char *mem, *file;
    egdi_error e1, e2;
    egdi_status s1 = read_mem(t, n, opts, &mem, &e1);
    char *path = temp_file(t, n);
    egdi_reader *r;
    egdi_read_opts o;
    if (opts)
        o = *opts;
    else
        egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    egdi_status s2 = egdi_reader_open(&r, path, &o, &e2);
    if (s2 == EGDI_OK) {
        s2 = dump_reader(r, &file, &e2);
        egdi_reader_close(r);
    } else {
        file = NULL;
    }
    unlink(path);
    free(path);
    assert_int_equal(s1, s2);
    if (s1 != EGDI_DONE) {
        assert_int_equal(e1.row, e2.row);
        assert_int_equal(e1.col, e2.col);
        assert_string_equal(e1.message, e2.message);
    }
    assert_string_equal(mem ? mem : "", file ? file : "");
    free(file);
    *out = mem;
    return s1;
}

/* Text much longer than the read buffer, with 3-byte characters, quoted
 * line breaks and CRLFs falling across its edges. */
static char *long_text(size_t rows, bool crlf)
{
    sbuf b = {0};
    sb_str(&b, "编号,名称,备注\n");
    char line[256];
    for (size_t i = 0; i < rows; i++) {
        if (i % 5 == 0)
            snprintf(line, sizeof line, "%zu,\"部门 %zu\n第二行\",\"说 \"\"好\"\"\"%s", i, i,
                     crlf ? "\r\n" : "\n");
        else if (i % 13 == 0)
            snprintf(line, sizeof line, "%s", crlf ? "\r\n" : "\n");
        else
            snprintf(line, sizeof line, "%zu,省政府办公厅 %zu, 数据%s", i, i, crlf ? "\r\n" : "\n");
        sb_str(&b, line);
    }
    return b.s;
}

/* egdi_reader_position: the bytes parsed of the file's (of memory's; of
 * the raw GBK bytes converted), growing row by row to all of them. */
static void position_through_the_input(void **state)
{
    (void)state;
    char *t = long_text(30000, false);
    size_t n = strlen(t), gn;
    char *g = to_gbk(t, &gn);
    char *paths[2] = {temp_file(t, n), temp_file(g, gn)};
    uint64_t sizes[2] = {n, gn};
    for (int k = 0; k < 3; k++) {
        egdi_reader *r;
        egdi_error e;
        egdi_read_opts o;
        egdi_read_opts_init(&o);
        o.format = EGDI_FMT_CSV;
        if (k < 2)
            assert_int_equal(egdi_reader_open(&r, paths[k], &o, &e), EGDI_OK);
        else
            assert_int_equal(egdi_reader_open_mem(&r, t, n, "t.csv", &o, &e), EGDI_OK);
        uint64_t want = k < 2 ? sizes[k] : n, done, total, last = 0;
        egdi_row row;
        size_t rows = 0;
        egdi_status st;
        while ((st = egdi_reader_next(r, &row, &e)) == EGDI_OK) {
            rows++;
            assert_true(egdi_reader_position(r, &done, &total));
            assert_int_equal(total, want);
            assert_true(done >= last && done <= total); /* the last row: all */
            if (rows == 12000) { /* about half the rows: about half the bytes */
                assert_true(done > want / 3 && done < want * 2 / 3);
                /* and the file's rows foretold from them: 28,155 in all */
                double f = egdi_reader_rows_foretold(r, rows, 0);
                assert_true(f > 24000 && f < 32000);
            }
            last = done;
        }
        assert_int_equal(st, EGDI_DONE);
        assert_true(egdi_reader_position(r, &done, &total));
        assert_int_equal(done, want);
        egdi_reader_close(r);
    }
    for (int k = 0; k < 2; k++) {
        unlink(paths[k]);
        free(paths[k]);
    }
    free(g);
    free(t);
}

static void files_read_like_memory(void **state)
{
    (void)state;
    char *rows;
    for (int crlf = 0; crlf < 2; crlf++) {
        char *t = long_text(40000, crlf);
        size_t n = strlen(t);
        assert_true(n > 4 * 256 * 1024);
        assert_int_equal(same_as_file(t, n, NULL, &rows), EGDI_DONE);
        assert_non_null(strstr(rows, "\n8:5|部门 5\n第二行|说 \"好\"\n10:6|"));
        assert_non_null(strstr(rows, ":39997|省政府办公厅 39997|数据\n"));
        free(rows);

        /* the same text in GBK, found to be GBK only at the end of the scan */
        size_t gn;
        char *g = to_gbk(t, &gn);
        char *utf8_rows;
        assert_int_equal(read_mem(t, n, NULL, &utf8_rows, &(egdi_error){0}), EGDI_DONE);
        assert_int_equal(same_as_file(g, gn, NULL, &rows), EGDI_DONE);
        assert_string_equal(rows, utf8_rows);
        free(rows);
        free(utf8_rows);
        free(g);

        /* a bad byte near the end: the rows before it, then the error */
        t[n - 3] = (char)0xFF;
        egdi_read_opts o;
        egdi_read_opts_init(&o);
        o.encoding = EGDI_ENC_UTF8;
        assert_int_equal(same_as_file(t, n, &o, &rows), EGDI_ERR_ENCODING);
        free(rows);
        free(t);
    }

    /* lines longer than the buffer: many fields, and one long field */
    sbuf b = {0};
    sb_str(&b, "x\n");
    for (int i = 0; i < 3000; i++)
        sb_str(&b, "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz,");
    sb_str(&b, "end\n");
    for (int i = 0; i < 1200; i++)
        sb_str(&b, "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz");
    sb_str(&b, ",y\nlast");
    egdi_read_opts wide; /* a 117,600-character field: over Excel's cell limit */
    egdi_read_opts_init(&wide);
    wide.limits.max_cell_chars = 200000;
    assert_int_equal(same_as_file(b.s, b.n, &wide, &rows), EGDI_DONE);
    assert_non_null(strstr(rows, "|end\n3:abcdef"));
    assert_non_null(strstr(rows, "xyz|y\n4:last\n"));
    free(rows);
    free(b.s);
}

/* The encoding is decided at the first non-ASCII byte, in a file as in
 * memory; a NUL byte after the first window is found when it is reached. */
static void late_decisions_in_files(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_str(&b, "id,v\n");
    char line[64];
    for (int i = 0; i < 40000; i++) { /* about 500 KiB of ASCII */
        snprintf(line, sizeof line, "%d,value %d\n", i, i);
        sb_str(&b, line);
    }
    size_t ascii = b.n;
    size_t n;
    char *g = to_gbk("99999,满意\n100000,\"不满意\n说明\"\n", &n);
    sb_add(&b, g, n);
    free(g);
    char *rows;
    assert_int_equal(same_as_file(b.s, b.n, NULL, &rows), EGDI_DONE);
    assert_non_null(strstr(rows, "\n40002:99999|满意\n40003:100000|不满意\n说明\n"));
    free(rows);

    /* UTF-8 first, GBK more than a MiB later: broken, said where */
    b.n = ascii;
    sb_str(&b, "1,满意\n");
    while (b.n < ascii + (1u << 20) + 1000)
        sb_str(&b, "2,一般\n");
    size_t lines = 40002;
    for (size_t i = ascii; i < b.n; i++)
        lines += b.s[i] == '\n';
    g = to_gbk("3,满意\n", &n);
    sb_add(&b, g, n);
    free(g);
    char *mem;
    egdi_error err;
    assert_int_equal(read_mem(b.s, b.n, NULL, &mem, &err), EGDI_ERR_ENCODING);
    assert_int_equal(err.row, lines);
    assert_int_equal(err.col, 2);
    free(mem);
    assert_int_equal(same_as_file(b.s, b.n, NULL, &rows), EGDI_ERR_ENCODING);
    free(rows);

    /* bytes that are UTF-8 and GB18030 alike ("\xC3\xA9"), then 100 KiB
     * later GBK that is not UTF-8: GB18030, decided over more than one
     * piece of the file (the file path reads the MiB in 64 KiB pieces) */
    sbuf c = {0};
    sb_str(&c, "id,v\n1,\xC3\xA9\n");
    while (c.n < 100000)
        sb_str(&c, "2,plain ascii text\n");
    g = to_gbk("3,满意\n", &n);
    sb_add(&c, g, n);
    free(g);
    assert_int_equal(same_as_file(c.s, c.n, NULL, &rows), EGDI_DONE);
    assert_non_null(strstr(rows, "|满意\n"));
    free(rows);
    free(c.s);

    /* a NUL byte far into a file: the rows before, then the error */
    b.n = ascii;
    sb_add(&b, "x,\0y\n", 6);
    char *path = temp_file(b.s, b.n);
    egdi_reader *r;
    assert_int_equal(egdi_reader_open(&r, path, NULL, &err), EGDI_OK);
    assert_int_equal(dump_reader(r, &rows, &err), EGDI_ERR_FORMAT);
    assert_non_null(strstr(err.message, "binary data at byte"));
    assert_int_equal(err.row, 40002);
    assert_int_equal(err.col, 2);
    assert_non_null(strstr(rows, "\n40001:39999|value 39999\n"));
    free(rows);
    egdi_reader_close(r);
    unlink(path);
    free(path);
    free(b.s);
}

/* A pipe is read into memory first.  (Through the backend: reader.c reads
 * the first bytes of a path with stdio to sniff the format, which would
 * swallow a pipe's data.) */
static void pipe_input(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    const char t[] = "a;b\n1;\"x\ny\"\n";
    assert_int_equal(write(fds[1], t, sizeof t - 1), (ssize_t)(sizeof t - 1));
    close(fds[1]);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
    void *self;
    const egdi_reader_ops *ops;
    egdi_error err;
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    assert_int_equal(egdi_csv_open(&self, &ops, path, NULL, 0, "pipe", &o, &err), EGDI_OK);
    egdi_row row;
    assert_int_equal(ops->next(self, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 1);
    assert_int_equal(row.ncells, 2);
    assert_string_equal(row.cells[1].text, "b");
    assert_int_equal(ops->next(self, &row, &err), EGDI_OK);
    assert_int_equal(row.number, 2);
    assert_string_equal(row.cells[1].text, "x\ny");
    assert_int_equal(ops->next(self, &row, &err), EGDI_DONE);
    ops->close(self);
    close(fds[0]);
}

/* ---- sample files ------------------------------------------------------- */

static void read_file(const char *path, const egdi_read_opts *opts, const char *want)
{
    egdi_reader *r;
    egdi_error err;
    egdi_status st = egdi_reader_open(&r, path, opts, &err);
    if (st != EGDI_OK)
        fail_msg("%s: %s", path, err.message);
    assert_int_equal(egdi_reader_format(r), EGDI_FMT_CSV);
    assert_null(egdi_reader_sheet(r));
    assert_string_equal(egdi_reader_name(r), path);
    char *got;
    assert_int_equal(dump_reader(r, &got, &err), EGDI_DONE);
    assert_string_equal(got, want);
    free(got);
    egdi_reader_close(r);
}

static const char sample_rows[] =
    "1:code|name|kind|parent|level\n"
    "2:R01|华东省|region|_|1\n"
    "3:D0101|华东省人民政府办公厅|department|R01|2\n"
    "4:D0102|华东省数据局, 大数据中心|department|R01|2\n"
    "5:D0103|\"智慧\"政务服务中心|department|R01|2\n";

/* ---- egdi_reader_next_small -------------------------------------------- */

/* compare_small_readers over text from memory; returns the final status. */
static egdi_status compare_small_mem(const char *text, size_t n, const egdi_read_opts *o)
{
    egdi_reader *r1, *r2;
    egdi_error e;
    egdi_status fin;
    assert_int_equal(egdi_reader_open_mem(&r1, text, n, "t.csv", o, &e), EGDI_OK);
    assert_int_equal(egdi_reader_open_mem(&r2, text, n, "t.csv", o, &e), EGDI_OK);
    (void)compare_small_readers(r1, r2, &fin);
    egdi_reader_close(r1);
    egdi_reader_close(r2);
    return fin;
}

static void small_numbers(void **state)
{
    (void)state;
    /* which cells are small: 1-3 ASCII digits worth 0..254, after the
     * blanks around an unquoted field go and inside quotes */
    static const char text[] =
        "a,3,007,254,255,1000, 4 ,\"5\",\" 6\",-1,3.0,,x,0\n"
        "1,2,3,4,5,6,7,8,9,0,1,2,3,4,5,6,7,8,9,0\n"
        "\"multi\nline\",12,\"say \"\"3\"\"\",99\r\n";
    static const unsigned want[] = {EGDI_SMALL_NONE, 3, 7, 254, EGDI_SMALL_NONE,
                                    EGDI_SMALL_NONE, 4, 5, EGDI_SMALL_NONE,
                                    EGDI_SMALL_NONE, EGDI_SMALL_NONE, EGDI_SMALL_NONE,
                                    EGDI_SMALL_NONE, 0};
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    egdi_reader *r;
    egdi_error e;
    assert_int_equal(egdi_reader_open_mem(&r, text, sizeof text - 1, "t.csv", &o, &e), EGDI_OK);
    egdi_row row;
    assert_int_equal(egdi_reader_next_small(r, &row, &e), EGDI_OK);
    assert_int_equal(row.ncells, 14);
    for (size_t j = 0; j < 14; j++)
        assert_int_equal(row.small[j], want[j]);
    assert_int_equal(row.cells[0].type, EGDI_CELL_TEXT);
    assert_string_equal(row.cells[0].text, "a");
    assert_string_equal(row.cells[4].text, "255");
    assert_string_equal(row.cells[8].text, " 6");
    assert_int_equal(row.cells[11].type, EGDI_CELL_EMPTY);
    assert_int_equal(egdi_reader_next_small(r, &row, &e), EGDI_OK);
    assert_int_equal(row.ncells, 20);
    for (size_t j = 0; j < 20; j++)
        assert_int_equal(row.small[j], (j + 1) % 10);
    /* a line libcsv reads (a quoted line break) */
    assert_int_equal(egdi_reader_next_small(r, &row, &e), EGDI_OK);
    assert_int_equal(row.number, 3);
    assert_int_equal(row.ncells, 4);
    assert_int_equal(row.small[0], EGDI_SMALL_NONE);
    assert_string_equal(row.cells[0].text, "multi\nline");
    assert_int_equal(row.small[1], 12);
    assert_int_equal(row.small[2], EGDI_SMALL_NONE);
    assert_int_equal(row.small[3], 99);
    assert_int_equal(egdi_reader_next_small(r, &row, &e), EGDI_DONE);
    egdi_reader_close(r);

    /* the same as egdi_reader_next over a file many read buffers long with
     * quoted line breaks, CRLFs and 3-byte characters across the buffer's
     * edges, Likert lines among them; and as GB18030 */
    sbuf b = {0};
    char *lt = long_text(30000, true);
    sb_str(&b, lt);
    free(lt);
    for (int i = 0; i < 20000; i++) {
        char line[128];
        snprintf(line, sizeof line, "%d,%c,%d,%d,%d,%d, %d ,\"%d\",,%d\n", i, "MF"[i % 2],
                 22 + i % 40, i % 5 + 1, (i / 5) % 5 + 1, i % 300, i % 7, i % 9, i % 256);
        sb_str(&b, line);
    }
    size_t gn;
    char *gbk = to_gbk(b.s, &gn);
    char *path = temp_file(b.s, b.n), *gpath = temp_file(gbk, gn);
    for (int enc = 0; enc < 2; enc++) {
        o.encoding = enc ? EGDI_ENC_GB18030 : EGDI_ENC_AUTO;
        egdi_reader *r1, *r2;
        assert_int_equal(egdi_reader_open(&r1, enc ? gpath : path, &o, &e), EGDI_OK);
        assert_int_equal(egdi_reader_open(&r2, enc ? gpath : path, &o, &e), EGDI_OK);
        egdi_status fin;
        size_t nsmall = compare_small_readers(r1, r2, &fin);
        assert_int_equal(fin, EGDI_DONE);
        if (nsmall <= 100000)
            fail_msg("%zu small cells (encoding %d)", nsmall, enc);
        egdi_reader_close(r1);
        egdi_reader_close(r2);
    }
    unlink(gpath);
    free(gpath);
    free(gbk);
    o.encoding = EGDI_ENC_AUTO;
    /* limits: the same errors at the same places */
    o.limits.max_cols = 6;
    egdi_reader *r1, *r2;
    assert_int_equal(egdi_reader_open(&r1, path, &o, &e), EGDI_OK);
    assert_int_equal(egdi_reader_open(&r2, path, &o, &e), EGDI_OK);
    egdi_status fin;
    (void)compare_small_readers(r1, r2, &fin);
    assert_int_equal(fin, EGDI_ERR_LIMIT);
    egdi_reader_close(r1);
    egdi_reader_close(r2);
    unlink(path);
    free(path);
    free(b.s);

    /* the character limit, on a line split by the fast path and on one
     * libcsv reads: the same error at the same cell */
    static const char *const long_cells[] = {"1,2,abc\n3,数据数据数据,4\n",
                                             "1,2\n\"a\nb\",数据数据数据\n"};
    o.limits.max_cols = 0;
    o.limits.max_cell_chars = 5;
    for (size_t t = 0; t < 2; t++)
        assert_int_equal(compare_small_mem(long_cells[t], strlen(long_cells[t]), &o),
                         EGDI_ERR_LIMIT);
    /* a digit as the delimiter: "1" is then no field */
    static const char digits[] = "a1b1c\nx111y1111212\n";
    egdi_read_opts_init(&o);
    o.format = EGDI_FMT_CSV;
    o.delimiter = '1';
    assert_int_equal(compare_small_mem(digits, sizeof digits - 1, &o), EGDI_DONE);
    /* a limit under three bytes or characters: "234" is then a cell that
     * fails it, not a small number (found by fuzz_csv) */
    static const char three[] = "1,2\n1,234,5\n";
    for (int which = 0; which < 2; which++) {
        egdi_read_opts_init(&o);
        o.format = EGDI_FMT_CSV;
        if (which)
            o.limits.max_cell_chars = 2;
        else
            o.limits.max_cell_bytes = 2;
        assert_int_equal(compare_small_mem(three, sizeof three - 1, &o), EGDI_ERR_LIMIT);
    }
}

static void sample_files(void **state)
{
    (void)state;
    read_file("tests/data/csv/units_utf8.csv", NULL, sample_rows);
    read_file("tests/data/csv/units_bom.csv", NULL, sample_rows);
    read_file("tests/data/csv/units_semicolon.csv", NULL, sample_rows);
    read_file("tests/data/csv/units_gbk.csv", NULL, sample_rows);
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    o.encoding = EGDI_ENC_GB18030;
    read_file("tests/data/csv/units_gbk.csv", &o, sample_rows);

    egdi_reader *r;
    egdi_error err;
    assert_int_equal(egdi_reader_open(&r, "tests/data/csv/no-such-file.csv", NULL, &err),
                     EGDI_ERR_IO);
    assert_null(r);
    assert_string_equal(err.file, "tests/data/csv/no-such-file.csv");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_rows),
        cmocka_unit_test(position_through_the_input),
        cmocka_unit_test(quoted_fields),
        cmocka_unit_test(embedded_newlines_and_line_numbers),
        cmocka_unit_test(crlf_line_endings),
        cmocka_unit_test(empty_records_are_skipped),
        cmocka_unit_test(trailing_empty_fields_trimmed_ragged_rows),
        cmocka_unit_test(empty_and_header_only),
        cmocka_unit_test(bom_is_stripped),
        cmocka_unit_test(delimiters_detected),
        cmocka_unit_test(delimiter_chosen),
        cmocka_unit_test(mixed_encodings),
        cmocka_unit_test(pipe_through_the_reader),
        cmocka_unit_test(gbk_detected_and_converted),
        cmocka_unit_test(gbk_after_long_ascii_prefix),
        cmocka_unit_test(invalid_utf8),
        cmocka_unit_test(invalid_gb18030),
        cmocka_unit_test(binary_input),
        cmocka_unit_test(unterminated_quote),
        cmocka_unit_test(limits),
        cmocka_unit_test(many_rows_across_chunks),
        cmocka_unit_test(long_cell_across_chunks),
        cmocka_unit_test(cell_character_limit),
        cmocka_unit_test(files_read_like_memory),
        cmocka_unit_test(late_decisions_in_files),
        cmocka_unit_test(pipe_input),
        cmocka_unit_test(sample_files),
        cmocka_unit_test(small_numbers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
