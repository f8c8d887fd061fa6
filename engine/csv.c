/*
 * csv.c - the CSV backend of the reader (reader.h, reader_backend.h).
 *
 * Input: the whole file is mapped (mmap; a pipe or other non-regular file is
 * read into memory), or the caller's buffer is used as it is.  At open, one
 * pass over the bytes refuses binary data (a NUL byte), strips a UTF-8 BOM,
 * decides the encoding (EGDI_ENC_AUTO: UTF-8 when every byte of the file is
 * valid UTF-8, else GB18030) and detects the delimiter from the first lines.
 *
 * Parsing: libcsv (RFC 4180: quotes, doubled quotes, delimiters and line
 * breaks inside quotes) is fed the bytes in chunks of CSV_CHUNK; GB18030 text
 * is converted chunk by chunk with iconv first.  libcsv calls on_field() and
 * on_record(); they append each field's text, NUL-terminated, to a text
 * arena, and each finished non-empty record to a queue of records.  next()
 * hands out the queued records one by one, building the row's cells in one
 * reused array that points into the arena; when the queue is empty the arena
 * is reset (keeping the fields of a record that is still open) and the next
 * chunk is parsed.  No allocation per cell or per row: the arena, the field
 * and record arrays and the cell array only grow to the largest chunk or
 * record seen.
 *
 * Line numbers: libcsv is run with CSV_REPALL_NL, so every line break outside
 * quotes reaches on_record() (a CRLF as two calls, the second one ignored);
 * breaks inside quoted fields are counted in the field's text.  A record's
 * number is the line on which it starts.
 *
 * Errors (binary data, invalid UTF-8 or GB18030, an unterminated quote, a
 * limit) carry the name, the line and the 1-based field index.  Rows read
 * before an error are still handed out; the error comes after them.
 *
 * Ownership: the state owns the mapping or copy of the file, the parser, the
 * iconv descriptor, the arena and the arrays; csv_close() frees them all.
 * Rows and cell texts are borrowed until the next call.
 */
#include "reader_backend.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_CHUNK        (64u * 1024u)  /* bytes handed to libcsv at once */
#define CSV_SNIFF_BYTES  (64u * 1024u)  /* prefix looked at for the delimiter */
#define CSV_SNIFF_LINES  50u            /* records looked at for the delimiter */
#define CSV_READ_STEP    (1u << 20)     /* growth when slurping a pipe */
#define CSV_FAST_FIELDS  1024u          /* more fields on a line: libcsv reads it */

/* Byte classes for the fast path. */
enum { CLS_PLAIN = 0, CLS_DELIM, CLS_LF, CLS_CR, CLS_QUOTE };

/*
 * libcsv's parser state "inside a field" (FIELD_BEGUN in libcsv.c; the
 * states are not in csv.h).  With quoted set, it means a quoted field whose
 * closing quote has not been seen.  csv_fini() reports this only in strict
 * mode, which would also refuse a quote inside an unquoted field (12" screen)
 * - common in real files - so the reader checks the state itself; the
 * unterminated_quote test fails if libcsv ever renumbers its states.
 */
#define LIBCSV_FIELD_BEGUN 2

typedef struct {
    size_t off; /* into the arena */
    size_t len; /* 0 = empty field (nothing stored) */
} csv_field;

typedef struct {
    size_t start, len; /* in the line */
} csv_span;

typedef struct {
    uint32_t line; /* where the record starts */
    size_t first;  /* index of its first field */
    size_t n;      /* fields up to the last non-empty one */
} csv_rec;

typedef struct {
    struct csv_parser p;
    bool parser_ready;
    char *name;

    /* the input */
    const unsigned char *data;
    size_t size;
    void *map;            /* mmap'd file, or NULL */
    size_t map_size;
    unsigned char *owned; /* slurped file, or NULL */
    size_t pos;           /* next byte to parse */
    size_t stop;          /* first invalid UTF-8 byte, or size */
    bool eof;             /* csv_fini() done */

    /* GB18030 */
    bool gb;
    iconv_t cd;
    char *conv;
    size_t conv_cap;
    bool conv_started;

    egdi_limits lim;

    /* parsed fields and records */
    char *arena;
    size_t arena_len, arena_cap;
    csv_field *fields;
    size_t nfields, fields_cap;
    size_t cur_first; /* first field of the open record */
    size_t dropped;   /* empty fields past max_cols in it, not stored */
    csv_rec *recs;
    size_t nrecs, recs_cap, rec_head;
    uint64_t rows; /* non-empty records queued so far */

    /* line tracking */
    uint64_t line;     /* line of the parse position at the last callback */
    uint64_t rec_line; /* line where the open record starts */
    bool last_cr;      /* the last callback was a record ended by CR */
    int last_event;    /* the char that ended the record at the last
                          callback, 0 when the last callback was a field */
    bool at_boundary;  /* libcsv is between records (nothing half-read) */
    bool may_embed;    /* this chunk may hold line breaks inside quotes */

    /* the fast path for plain lines (UTF-8 only) */
    unsigned char cls[256]; /* CLS_* of each byte */
    unsigned char delim;
    bool tab_blank;         /* a tab is a blank around fields */
    csv_span *spans;        /* CSV_FAST_FIELDS fields of the line */

    /* the row handed out */
    egdi_cell *cells;
    size_t cells_cap;

    /* a pending error: handed out once the queued rows are gone */
    egdi_status status;
    egdi_error err;
} csv_state;

static void csv_close(void *self);

/* ---- small helpers ------------------------------------------------------ */

/* libcsv's space test in a tab-delimited file, where a tab is not a blank
 * (elsewhere libcsv's own test, space or tab, is used): blanks around
 * unquoted fields and after a closing quote are dropped. */
static int blank_space(unsigned char c)
{
    return c == ' ';
}

/* Line breaks in text: LF, CRLF or a lone CR each count once. */
static uint64_t count_breaks(const unsigned char *t, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '\n')
            k++;
        else if (t[i] == '\r' && (i + 1 == n || t[i + 1] != '\n'))
            k++;
    }
    return k;
}

static uint32_t clamp_line(uint64_t line)
{
    return line > UINT32_MAX ? UINT32_MAX : (uint32_t)line;
}

/*
 * Records an error at (line, col) unless one is pending already (the first
 * error wins).  Returns the status.
 */
static egdi_status fail_at(csv_state *s, egdi_status st, uint64_t line, size_t col,
                           const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static egdi_status fail_at(csv_state *s, egdi_status st, uint64_t line, size_t col,
                           const char *fmt, ...)
{
    if (s->status != EGDI_OK)
        return s->status;
    char msg[EGDI_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (k < 0)
        msg[0] = '\0';
    s->status = st;
    egdi_error_clear(&s->err);
    egdi_error_set(&s->err, st, "%s", msg);
    egdi_error_at(&s->err, s->name, NULL, clamp_line(line),
                  col > UINT32_MAX ? UINT32_MAX : (uint32_t)col);
    return st;
}

/* Where the parser stands inside an unfinished field: its line and column. */
static void partial_location(const csv_state *s, uint64_t *line, size_t *col)
{
    *line = s->line + count_breaks(s->p.entry_buf, s->p.entry_pos);
    *col = s->nfields - s->cur_first + s->dropped + 1;
}

/* Grows *buf (elements of size el) to hold at least need elements. */
static bool grow(void **buf, size_t *cap, size_t need, size_t el)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap : 64;
    while (n < need) {
        if (n > SIZE_MAX / 2 / el)
            return false;
        n *= 2;
    }
    void *b = realloc(*buf, n * el);
    if (!b)
        return false;
    *buf = b;
    *cap = n;
    return true;
}

/* ---- UTF-8 -------------------------------------------------------------- */

/* The offset of the first byte that is not part of valid UTF-8 (no overlong
 * forms, no surrogates, nothing above U+10FFFF), or n when all is valid. */
static size_t utf8_invalid_at(const unsigned char *t, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* ASCII eight bytes at a time */
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, t + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        unsigned char c = t[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else
            return i;
        if (n - i < len)
            return i;
        if (t[i + 1] < lo || t[i + 1] > hi)
            return i;
        for (size_t k = 2; k < len; k++)
            if ((t[i + k] & 0xC0) != 0x80)
                return i;
        i += len;
    }
    return n;
}

/* ---- delimiter ---------------------------------------------------------- */

/*
 * Picks ',', ';' or tab from the first records of t: the candidate found the
 * same number of times (at least once) outside quotes on every complete line
 * wins, the larger count first; failing that, the one found most often on
 * the first line; failing that, ','.
 */
static char sniff_delimiter(const unsigned char *t, size_t n, bool whole)
{
    static const char cand[3] = {',', ';', '\t'};
    size_t first[3] = {0, 0, 0}, count[3] = {0, 0, 0};
    bool consistent[3] = {true, true, true};
    size_t lines = 0;
    bool quoted = false, blank = true;
    if (n > CSV_SNIFF_BYTES) {
        n = CSV_SNIFF_BYTES;
        whole = false;
    }
    for (size_t i = 0; i <= n && lines < CSV_SNIFF_LINES; i++) {
        bool end_of_text = i == n;
        if (end_of_text && !whole)
            break; /* the last line may be cut: ignore it */
        unsigned char c = end_of_text ? '\n' : t[i];
        if (c == '"') {
            quoted = !quoted;
            blank = false;
        } else if (quoted) {
            continue;
        } else if (c == '\n' || c == '\r') {
            if (!blank) {
                for (int k = 0; k < 3; k++) {
                    if (lines == 0)
                        first[k] = count[k];
                    else if (count[k] != first[k])
                        consistent[k] = false;
                    count[k] = 0;
                }
                lines++;
            }
            blank = true;
        } else {
            blank = false;
            for (int k = 0; k < 3; k++)
                if (c == (unsigned char)cand[k])
                    count[k]++;
        }
    }
    int best = -1;
    for (int k = 0; k < 3; k++)
        if (lines > 0 && consistent[k] && first[k] > 0 && (best < 0 || first[k] > first[best]))
            best = k;
    if (best < 0)
        for (int k = 0; k < 3; k++)
            if (first[k] > 0 && (best < 0 || first[k] > first[best]))
                best = k;
    return best < 0 ? ',' : cand[best];
}

/* ---- libcsv callbacks --------------------------------------------------- */

static void on_field(void *text, size_t len, void *user)
{
    csv_state *s = user;
    if (s->status != EGDI_OK)
        return;
    size_t col = s->nfields - s->cur_first + s->dropped + 1;
    if (col > s->lim.max_cols) {
        if (len == 0) {
            s->dropped++; /* trailing delimiters past the limit are harmless */
            s->last_cr = false;
            s->last_event = 0;
            return;
        }
        fail_at(s, EGDI_ERR_LIMIT, s->rec_line, col, "more than %lu columns", (unsigned long)s->lim.max_cols);
        return;
    }
    if (len > s->lim.max_cell_bytes) {
        fail_at(s, EGDI_ERR_LIMIT, s->line, col, "a cell longer than %lu bytes", (unsigned long)s->lim.max_cell_bytes);
        return;
    }
    if (s->nfields == s->fields_cap &&
        !grow((void **)&s->fields, &s->fields_cap, s->nfields + 1, sizeof *s->fields)) {
        fail_at(s, EGDI_ERR_NOMEM, s->line, col, "out of memory reading %lu fields", (unsigned long)s->nfields);
        return;
    }
    csv_field *f = &s->fields[s->nfields];
    f->off = s->arena_len;
    f->len = len;
    if (len) {
        if (s->arena_cap - s->arena_len <= len &&
            !grow((void **)&s->arena, &s->arena_cap, s->arena_len + len + 1, 1)) {
            fail_at(s, EGDI_ERR_NOMEM, s->line, col, "out of memory reading a %lu-byte cell",
                    (unsigned long)len);
            return;
        }
        char *d = s->arena + s->arena_len;
        if (len <= 8) {
            const char *t = text;
            for (size_t i = 0; i < len; i++)
                d[i] = t[i];
        } else {
            memcpy(d, text, len);
        }
        d[len] = '\0';
        s->arena_len += len + 1;
        if (s->may_embed)
            s->line += count_breaks(text, len);
    }
    s->nfields++;
    s->last_cr = false;
    s->last_event = 0;
}

static void on_record(int c, void *user)
{
    csv_state *s = user;
    if (s->status != EGDI_OK)
        return;
    size_t n = s->nfields - s->cur_first;
    s->dropped = 0;
    s->last_event = c;
    if (c == '\n' && s->last_cr && n == 0) {
        s->last_cr = false; /* the LF of a CRLF */
        return;
    }
    size_t k = n;
    while (k > 0 && s->fields[s->cur_first + k - 1].len == 0)
        k--;
    if (k > 0) {
        if (s->rec_line > UINT32_MAX) {
            fail_at(s, EGDI_ERR_LIMIT, UINT32_MAX, 0, "more than %lu lines", (unsigned long)UINT32_MAX);
            return;
        }
        if (++s->rows > s->lim.max_rows) {
            fail_at(s, EGDI_ERR_LIMIT, s->rec_line, 0, "more than %lu rows", (unsigned long)s->lim.max_rows);
            return;
        }
        if (s->nrecs == s->recs_cap &&
            !grow((void **)&s->recs, &s->recs_cap, s->nrecs + 1, sizeof *s->recs)) {
            fail_at(s, EGDI_ERR_NOMEM, s->rec_line, 0, "out of memory after %lu rows", (unsigned long)s->rows);
            return;
        }
        s->recs[s->nrecs++] = (csv_rec){(uint32_t)s->rec_line, s->cur_first, k};
        s->cur_first = s->nfields;
    } else if (n > 0) {
        /* an empty record: forget its fields */
        s->arena_len = s->fields[s->cur_first].off;
        s->nfields = s->cur_first;
    }
    if (c >= 0)
        s->line++;
    s->rec_line = s->line;
    s->last_cr = c == '\r';
}

/* ---- feeding the parser ------------------------------------------------- */

/* Forgets the records handed out, keeping the fields of the open record. */
static void compact(csv_state *s)
{
    if (s->cur_first < s->nfields) {
        size_t base = s->fields[s->cur_first].off;
        size_t keep = s->nfields - s->cur_first;
        memmove(s->arena, s->arena + base, s->arena_len - base);
        s->arena_len -= base;
        for (size_t i = 0; i < keep; i++) {
            s->fields[i] = s->fields[s->cur_first + i];
            s->fields[i].off -= base;
        }
        s->nfields = keep;
    } else {
        s->nfields = 0;
        s->arena_len = 0;
    }
    s->cur_first = 0;
    s->nrecs = s->rec_head = 0;
}

/* Runs libcsv over t[0..n). */
static void parse(csv_state *s, const unsigned char *t, size_t n, bool may_embed)
{
    s->may_embed = may_embed || s->p.quoted || memchr(t, '"', n) != NULL;
    size_t done = csv_parse(&s->p, t, n, on_field, on_record, s);
    if (done != n && s->status == EGDI_OK) {
        uint64_t line;
        size_t col;
        partial_location(s, &line, &col);
        fail_at(s, csv_error(&s->p) == CSV_ENOMEM ? EGDI_ERR_NOMEM : EGDI_ERR_FORMAT, line,
                col, "%s", csv_strerror(csv_error(&s->p)));
    }
    if (s->status == EGDI_OK && s->p.entry_pos > s->lim.max_cell_bytes) {
        uint64_t line; /* of the parse position; the cell starts on s->line */
        size_t col;
        partial_location(s, &line, &col);
        fail_at(s, EGDI_ERR_LIMIT, s->line, col, "a cell longer than %lu bytes", (unsigned long)s->lim.max_cell_bytes);
    }
}

/*
 * The fast path: splits one line t[0..n) that holds no quote and no CR but
 * the one of a CRLF, the same way libcsv would (blanks around fields
 * dropped), calling on_field() and on_record() as libcsv does.  Returns the
 * bytes used, line break included, or 0 when the line is not that simple or
 * its end is not in t (then libcsv reads it).
 */
static size_t fast_line(csv_state *s, const unsigned char *t, size_t n)
{
    csv_span *sp = s->spans;
    size_t nsp = 0, start = 0, end, used;
    const unsigned char *cls = s->cls;
    size_t i = 0;
    for (;; i++) {
        if (i == n)
            return 0;
        unsigned char k = cls[t[i]];
        if (k == CLS_PLAIN)
            continue;
        if (k == CLS_DELIM) {
            if (nsp == CSV_FAST_FIELDS - 1)
                return 0;
            sp[nsp++] = (csv_span){start, i - start};
            start = i + 1;
            continue;
        }
        if (k == CLS_LF) {
            end = i;
            used = i + 1;
            break;
        }
        if (k == CLS_CR && i + 1 < n && t[i + 1] == '\n') {
            end = i;
            used = i + 2;
            break;
        }
        return 0; /* a quote or a lone CR */
    }
    sp[nsp++] = (csv_span){start, end - start};
    s->may_embed = false;
    if (nsp == 1 && sp[0].len == 0) {
        on_record('\n', s); /* an empty line */
        return used;
    }
    for (size_t f = 0; f < nsp; f++) {
        const unsigned char *a = t + sp[f].start;
        size_t len = sp[f].len;
        while (len && (*a == ' ' || (*a == '\t' && s->tab_blank))) {
            a++;
            len--;
        }
        while (len && (a[len - 1] == ' ' || (a[len - 1] == '\t' && s->tab_blank)))
            len--;
        on_field((void *)(uintptr_t)a, len, s);
    }
    on_record('\n', s);
    return used;
}

/*
 * Parses UTF-8 text from s->pos, about CSV_CHUNK bytes of it, never past
 * s->stop: plain lines by fast_line(), the others (quotes, lone CRs, the
 * last line without a line break) by libcsv, one line at a time, so that
 * the parse comes back to a record boundary as soon as it can.
 */
static void feed_utf8(csv_state *s)
{
    size_t end = s->stop - s->pos > CSV_CHUNK ? s->pos + CSV_CHUNK : s->stop;
    while (s->pos < end && s->status == EGDI_OK) {
        const unsigned char *t = s->data + s->pos;
        size_t avail = s->stop - s->pos;
        if (s->at_boundary) {
            size_t used = fast_line(s, t, avail);
            if (used) {
                s->pos += used;
                continue;
            }
        }
        size_t look = avail < CSV_CHUNK ? avail : CSV_CHUNK;
        const unsigned char *nl = memchr(t, '\n', look);
        size_t n = nl ? (size_t)(nl - t) + 1 : look;
        parse(s, t, n, false);
        s->pos += n;
        s->at_boundary = nl && s->last_event == '\n';
    }
}

/* Converts and parses GB18030 bytes from s->pos, at most CSV_CHUNK of them. */
static void feed_gb(csv_state *s)
{
    size_t n = s->size - s->pos;
    if (n > CSV_CHUNK)
        n = CSV_CHUNK;
    char *in = (char *)(uintptr_t)(s->data + s->pos);
    size_t inleft = n;
    while (inleft > 0 && s->status == EGDI_OK) {
        char *out = s->conv;
        size_t outleft = s->conv_cap;
        size_t rc = iconv(s->cd, &in, &inleft, &out, &outleft);
        int e = rc == (size_t)-1 ? errno : 0;
        size_t made = (size_t)(out - s->conv);
        const unsigned char *u = (const unsigned char *)s->conv;
        if (!s->conv_started && made >= 3 && memcmp(u, "\xEF\xBB\xBF", 3) == 0) {
            u += 3; /* GB18030's own byte order mark */
            made -= 3;
        }
        if (made)
            s->conv_started = true;
        s->pos = (size_t)((const unsigned char *)in - s->data);
        parse(s, u, made, false);
        if (s->status != EGDI_OK)
            return;
        if (e == E2BIG)
            continue;
        if (e == EINVAL && s->pos + inleft < s->size)
            return; /* a character cut by the chunk: read it with the next one */
        if (e == EILSEQ || e == EINVAL) {
            uint64_t line;
            size_t col;
            partial_location(s, &line, &col);
            fail_at(s, EGDI_ERR_ENCODING, line, col,
                    "invalid GB18030 (GBK) text at byte %lu", (unsigned long)s->pos + 1);
            return;
        }
        if (e != 0) {
            fail_at(s, EGDI_ERR_ENCODING, s->line, 0, "cannot convert from GB18030: %s", strerror(e));
            return;
        }
    }
}

/* Parses the next chunk, or finishes the parse at the end of the input. */
static void feed(csv_state *s)
{
    compact(s);
    if (s->pos < s->size && s->pos == s->stop) {
        uint64_t line;
        size_t col;
        partial_location(s, &line, &col);
        fail_at(s, EGDI_ERR_ENCODING, line, col,
                "invalid UTF-8 text at byte %lu (is the file GBK? try --encoding gbk)", (unsigned long)s->pos + 1);
        return;
    }
    if (s->pos >= s->size) {
        s->eof = true;
        s->may_embed = true;
        uint64_t line = s->line;
        size_t col = s->nfields - s->cur_first + s->dropped + 1;
        if (s->p.quoted && s->p.pstate == LIBCSV_FIELD_BEGUN) {
            fail_at(s, EGDI_ERR_FORMAT, line, col,
                    "a quoted field that starts on line %lu is never closed",
                    (unsigned long)clamp_line(line));
            return;
        }
        if (csv_fini(&s->p, on_field, on_record, s) != 0)
            fail_at(s, EGDI_ERR_FORMAT, line, col, "%s", csv_strerror(csv_error(&s->p)));
        return;
    }
    if (s->gb)
        feed_gb(s);
    else
        feed_utf8(s);
}

/* ---- the reader operations ---------------------------------------------- */

static egdi_status csv_next(void *self, egdi_row *row, egdi_error *err)
{
    csv_state *s = self;
    while (s->rec_head == s->nrecs) {
        if (s->status != EGDI_OK) {
            if (err)
                *err = s->err;
            return s->status;
        }
        if (s->eof)
            return EGDI_DONE;
        feed(s);
    }
    const csv_rec *r = &s->recs[s->rec_head++];
    if (!grow((void **)&s->cells, &s->cells_cap, r->n, sizeof *s->cells)) {
        egdi_error_at(err, s->name, NULL, r->line, 0);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading %lu cells",
                              (unsigned long)r->n);
    }
    const csv_field *f = s->fields + r->first;
    for (size_t i = 0; i < r->n; i++) {
        egdi_cell *c = &s->cells[i];
        c->percent = false;
        c->num = 0;
        if (f[i].len == 0) {
            c->type = EGDI_CELL_EMPTY;
            c->text = NULL;
            c->len = 0;
        } else {
            c->type = EGDI_CELL_TEXT;
            c->text = s->arena + f[i].off;
            c->len = f[i].len;
        }
    }
    row->number = r->line;
    row->ncells = r->n;
    row->cells = s->cells;
    return EGDI_OK;
}

static void csv_close(void *self)
{
    csv_state *s = self;
    if (!s)
        return;
    if (s->parser_ready)
        csv_free(&s->p);
    if (s->gb)
        iconv_close(s->cd);
    if (s->map)
        munmap(s->map, s->map_size);
    free(s->owned);
    free(s->conv);
    free(s->arena);
    free(s->fields);
    free(s->recs);
    free(s->cells);
    free(s->spans);
    free(s->name);
    free(s);
}

static const egdi_reader_ops csv_ops = {csv_next, csv_close, NULL};

/* ---- opening ------------------------------------------------------------ */

/* Maps path (or reads it, when it cannot be mapped) into s->data/size. */
static egdi_status load_file(csv_state *s, const char *path, egdi_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot read: %s", strerror(e));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return egdi_error_set(err, EGDI_ERR_IO, "is a directory, not a file");
    }
    if (S_ISREG(st.st_mode)) {
        if (st.st_size > 0) {
            if ((uint64_t)st.st_size > SIZE_MAX) {
                close(fd);
                return egdi_error_set(err, EGDI_ERR_LIMIT, "file too large to map");
            }
            size_t n = (size_t)st.st_size;
            void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
            if (m != MAP_FAILED) {
                madvise(m, n, MADV_SEQUENTIAL);
                s->map = m;
                s->map_size = n;
                s->data = m;
                s->size = n;
                close(fd);
                return EGDI_OK;
            }
        } else {
            close(fd);
            s->data = (const unsigned char *)"";
            s->size = 0;
            return EGDI_OK;
        }
    }
    /* a pipe, or mmap refused: read it all */
    size_t cap = 0, n = 0;
    for (;;) {
        if (cap - n < CSV_READ_STEP / 4) {
            if (!grow((void **)&s->owned, &cap, n + CSV_READ_STEP, 1)) {
                close(fd);
                return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the file");
            }
        }
        ssize_t k = read(fd, s->owned + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            int e = errno;
            close(fd);
            return egdi_error_set(err, EGDI_ERR_IO, "cannot read: %s", strerror(e));
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    s->data = s->owned ? s->owned : (const unsigned char *)"";
    s->size = n;
    return EGDI_OK;
}

/* Checks the bytes, strips a BOM and decides the encoding and delimiter. */
static egdi_status prepare(csv_state *s, const egdi_read_opts *opts, egdi_error *err)
{
    const unsigned char *d = s->data;
    size_t n = s->size;
    if (n >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
        return egdi_error_set(err, EGDI_ERR_FORMAT,
                              "UTF-16 text; save the file as UTF-8 CSV (or CSV with "
                              "commas) and try again");
    const unsigned char *nul = memchr(d, 0, n);
    if (nul)
        return egdi_error_set(err, EGDI_ERR_FORMAT,
                              "binary data at byte %lu; not a CSV text file",
                              (unsigned long)(nul - d) + 1);
    bool bom = n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0;
    egdi_encoding enc = opts->encoding;
    size_t start = 0;
    s->stop = n;
    if (enc != EGDI_ENC_GB18030) {
        if (bom)
            start = 3;
        size_t bad = start + utf8_invalid_at(d + start, n - start);
        if (enc == EGDI_ENC_AUTO && bad < n && !bom)
            enc = EGDI_ENC_GB18030;
        else
            s->stop = bad; /* an error when the parse reaches it */
    }
    s->pos = start;
    if (enc == EGDI_ENC_GB18030) {
        s->cd = iconv_open("UTF-8", "GB18030");
        if (s->cd == (iconv_t)-1)
            return egdi_error_set(err, EGDI_ERR_ENCODING,
                                  "this system cannot convert GB18030 text (iconv: %s)",
                                  strerror(errno));
        s->gb = true;
        s->conv_cap = 2 * CSV_CHUNK + 16;
        s->conv = malloc(s->conv_cap);
        if (!s->conv)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
    }

    char delim = opts->delimiter;
    if (delim == 0)
        delim = sniff_delimiter(d + start, n - start, true);
    else if (delim == '"' || delim == '\r' || delim == '\n' || (unsigned char)delim >= 0x80)
        return egdi_error_set(err, EGDI_ERR_ARG, "cannot use byte 0x%02x as the delimiter",
                              (unsigned)(unsigned char)delim);

    if (csv_init(&s->p, CSV_REPALL_NL) != 0)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
    s->parser_ready = true;
    csv_set_delim(&s->p, (unsigned char)delim);
    /* libcsv's own test (space, tab) is inlined, a function is called */
    csv_set_space_func(&s->p, delim == '\t' ? blank_space : NULL);
    s->delim = (unsigned char)delim;
    s->tab_blank = delim != '\t';
    s->cls[(unsigned char)delim] = CLS_DELIM;
    s->cls['\n'] = CLS_LF;
    s->cls['\r'] = CLS_CR;
    s->cls['"'] = CLS_QUOTE;
    s->at_boundary = true;
    s->spans = malloc(CSV_FAST_FIELDS * sizeof *s->spans);
    if (!s->spans)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
    return EGDI_OK;
}

egdi_status egdi_csv_open(void **self, const egdi_reader_ops **ops, const char *path,
                          const void *buf, size_t size, const char *name,
                          const egdi_read_opts *opts, egdi_error *err)
{
    egdi_read_opts defaults;
    if (!opts) {
        egdi_read_opts_init(&defaults);
        opts = &defaults;
    }
    *self = NULL;
    egdi_status st = EGDI_OK;
    csv_state *s = calloc(1, sizeof *s);
    if (!s) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
        goto fail;
    }
    s->name = strdup(name ? name : (path ? path : "<memory>"));
    if (!s->name) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
        goto fail;
    }
    s->lim = egdi_limits_resolve(&opts->limits);
    s->line = s->rec_line = 1;
    if (path) {
        st = load_file(s, path, err);
        if (st != EGDI_OK)
            goto fail;
    } else {
        s->data = buf ? buf : (const void *)"";
        s->size = buf ? size : 0;
    }
    st = prepare(s, opts, err);
    if (st != EGDI_OK)
        goto fail;
    *self = s;
    *ops = &csv_ops;
    return EGDI_OK;
fail:
    egdi_error_at(err, name, NULL, 0, 0);
    csv_close(s);
    return st;
}
