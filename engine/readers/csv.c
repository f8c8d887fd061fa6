/*
 * csv.c - the CSV backend of the reader (reader.h, reader_private.h).
 *
 * Input.  A regular file is read once through a reused buffer of CSV_BUF
 * bytes (read(2); mapping it costs more on these machines, page faults and
 * all); memory given by the caller is used as it is; a pipe is read into
 * memory first.  Bytes are checked as they come into the window, before
 * they are parsed (check_window): a NUL byte is binary data, and invalid
 * UTF-8 is an error where the parse reaches it.  The encoding: a UTF-8 BOM
 * or --encoding says; else (EGDI_ENC_AUTO) the first non-ASCII byte decides
 * it, wherever it is: when the MiB from there (or all to the end) is valid
 * UTF-8 the text is UTF-8, else GB18030 - everything before it is ASCII,
 * read the same in both, so a file whose first megabytes are ASCII and the
 * rest GBK is read right.  (A file valid as UTF-8 for a MiB and not after
 * is broken, and said so, rather than read as GB18030 from the start.)  The
 * delimiter is detected from the first lines.
 *
 * Parsing.  libcsv does RFC 4180 (quotes, doubled quotes, delimiters and
 * line breaks inside quotes).  Its per-byte state machine and per-field
 * callback alone cost about 2.5 times a plain split of the file (41 ms
 * against 16 ms for 20 MB, 8.8 million fields, with callbacks that do
 * nothing), so plain lines - no CR but the one of a CRLF, quotes only
 * around whole fields that hold no quote or line break - are split here by
 * fast_row() straight into the row handed out, and only the other lines go
 * through libcsv, one line at a time, so that the parse returns to the fast
 * path as soon as a record ends at a line break.  Both drop blanks around
 * unquoted fields (space, and tab unless it is the delimiter).  GB18030
 * text is converted with iconv into a window of its own (gb_fill) and
 * parsed the same way.
 *
 * libcsv calls on_field() and on_record(); they append each field's text,
 * NUL-terminated, to a text arena, and each finished non-empty record to a
 * queue.  next() hands the queued records out one by one, building the cells
 * in one reused array that points into the arena; when the queue is empty
 * the arena is reset, keeping the fields of a record still open.  The fast
 * path copies each field into the emptied arena at its offset in the line
 * and points the cells at it.
 * Nothing is allocated per cell or per row.
 *
 * Line numbers.  libcsv runs with CSV_REPALL_NL, so every line break outside
 * quotes reaches on_record() (a CRLF as two calls, the second ignored);
 * breaks inside quoted fields are counted in the field text.  A row's number
 * is the line where its record starts.
 *
 * Errors (binary data, invalid UTF-8 or GB18030, an unterminated quote, a
 * limit, a read error) carry the name, the line and the 1-based field
 * index.  Rows read before an error are handed out first.
 *
 * Ownership: the state owns the descriptor, the buffers, the parser, the
 * iconv descriptor, the arena and the arrays; csv_close() frees them all.
 * Rows and cell texts are borrowed until the next call.
 */
#include "engine/readers/reader_private.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CSV_BUF          (256u * 1024u) /* read buffer */
#define CSV_CHUNK        (64u * 1024u)  /* most bytes handed to libcsv at once */
#define CSV_SNIFF_BYTES  (64u * 1024u)  /* prefix looked at for the delimiter */
#define CSV_SNIFF_LINES  50u            /* records looked at for the delimiter */
#define CSV_DECIDE       (1u << 20)     /* bytes from the first non-ASCII one
                                           that decide UTF-8 or GB18030 */
#define CSV_NO_STOP      UINT64_MAX

/*
 * libcsv's parser state "inside a field" (FIELD_BEGUN in libcsv.c; the
 * states are not in csv.h).  With quoted set, it means a quoted field whose
 * closing quote has not been seen.  csv_fini() reports this only in strict
 * mode, which would also refuse a quote inside an unquoted field (12" screen)
 * - common in real files - so the reader checks the state itself; the
 * unterminated_quote test fails if libcsv ever renumbers its states.
 */
#define LIBCSV_FIELD_BEGUN 2

/* Byte classes for the fast path. */
enum { CLS_PLAIN = 0, CLS_DELIM, CLS_LF, CLS_CR, CLS_QUOTE };

/* Why the parse must stop. */
enum { STOP_UTF8, STOP_NUL, STOP_GB, STOP_MIXED };

/* What the text is known to be. */
enum { ENC_UNDECIDED, ENC_IS_UTF8, ENC_IS_GB };

/* What fast_row() did. */
enum { FAST_ROW, FAST_SKIP, FAST_MORE, FAST_NO };

typedef struct {
    size_t off; /* into the arena */
    size_t len; /* 0 = empty field (nothing stored) */
} csv_field;

typedef struct {
    uint32_t line; /* where the record starts */
    size_t first;  /* index of its first field */
    size_t n;      /* fields up to the last non-empty one */
} csv_rec;

typedef struct {
    struct csv_parser p;
    bool parser_ready;
    char *name;

    /* the input: data[0..len) is the window on the text, data[pos] the next
     * byte to parse, base the offset of data[0] in the text (the file's
     * bytes; for GB18030, the converted text) */
    int fd;               /* -1 when reading memory */
    unsigned char *buf;   /* the read buffer (fd >= 0) */
    unsigned char *owned; /* a pipe read into memory */
    const unsigned char *data;
    size_t len, pos;
    uint64_t base;
    uint64_t total;   /* bytes of the input: the file's, the memory's */
    bool in_eof;      /* nothing after data[len) */
    int enc_state;    /* ENC_*; undecided while all bytes seen are ASCII */
    uint64_t checked; /* bytes before this file offset are checked: only
                         they may be parsed */
    uint64_t stop;    /* where the parse must stop (window offset + base) */
    uint64_t stop_at; /* file offset of the byte there, for the message */
    int stop_kind;    /* STOP_* */
    bool eof;      /* the parse is over */

    /* GB18030: the raw bytes raw[rpos..rlen) (the read buffer, or the
     * caller's memory) are converted into conv, which is then the window */
    bool gb;
    iconv_t cd;
    const unsigned char *raw;
    size_t rpos, rlen;
    uint64_t rbase; /* file offset of raw[0] */
    bool raw_eof;   /* nothing after raw[rlen) */
    unsigned char *conv;
    size_t conv_cap;
    bool conv_started;
    /* GB18030 decided from the bytes (not asked for): each raw line is
     * checked as it is converted; one that is UTF-8 stops the file */
    bool gb_guessed;
    uint64_t raw_line;     /* the line of raw[rpos] */
    uint8_t u_need;        /* continuation bytes the UTF-8 check waits for */
    uint8_t u_lo, u_hi;    /* the range of the next one */
    bool u_bad, u_cjk;     /* the line so far: not CJK UTF-8; has an ideograph */
    bool g_pend, g_out;    /* read as GBK: a lead byte waits; left GB2312 */
    uint8_t g_lead;
    uint64_t mixed_line;   /* the UTF-8 line found */

    egdi_limits lim;

    /* fields and records from libcsv */
    char *arena;
    size_t arena_len, arena_cap;
    csv_field *fields;
    size_t nfields, fields_cap;
    size_t cur_first; /* first field of the open record */
    size_t dropped;   /* empty fields past max_cols in it, not stored */
    csv_rec *recs;
    size_t nrecs, recs_cap, rec_head;
    uint64_t rows; /* non-empty records so far */

    /* line tracking */
    uint64_t line;     /* line of the parse position at the last callback */
    uint64_t rec_line; /* line where the open record starts */
    bool last_cr;      /* the last callback was a record ended by CR */
    int last_event;    /* what ended the record at the last callback; 0 when
                          the last callback was a field */
    bool at_boundary;  /* libcsv is between records, nothing half-read */
    bool may_embed;    /* this piece may hold line breaks inside quotes */

    /* the fast path */
    unsigned char cls[256]; /* CLS_* of each byte */
    unsigned char delim;
    size_t longest; /* bytes of the longest cell of the row fast_row made */
    bool tab_blank;         /* a tab is a blank around fields */

    /* the row handed out; small[] (as many as cells) for next_small */
    egdi_cell *cells;
    unsigned char *small;
    size_t cells_cap, small_cap;

    /* a pending error: handed out once the queued rows are gone */
    egdi_status status;
    egdi_error err;
} csv_state;

/* ---- small helpers ------------------------------------------------------ */

/* libcsv's space test in a tab-delimited file, where a tab is not a blank
 * (elsewhere libcsv's own test, space or tab, is used). */
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

static uint32_t clamp32(uint64_t v)
{
    return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
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
    egdi_error_at(&s->err, s->name, NULL, clamp32(line), clamp32(col));
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

/* Grows the cell array; new cells start as EMPTY with num 0, not percent. */
static bool grow_cells(csv_state *s, size_t need)
{
    size_t old = s->cells_cap;
    if (!grow((void **)&s->cells, &s->cells_cap, need, sizeof *s->cells))
        return false;
    memset(s->cells + old, 0, (s->cells_cap - old) * sizeof *s->cells);
    if (s->small_cap < s->cells_cap) { /* retried by the next call if it fails */
        unsigned char *q = realloc(s->small, s->cells_cap);
        if (!q)
            return false;
        s->small = q;
        s->small_cap = s->cells_cap;
    }
    return true;
}

/* ---- UTF-8 -------------------------------------------------------------- */

/*
 * Checks t[0..n) as UTF-8 (no overlong forms, no surrogates, nothing above
 * U+10FFFF).  Returns the length of the valid part, which ends where a
 * character ends.  *bad is set when what follows it is invalid; when it is
 * only a character cut by the end of t (and final is false), *bad stays
 * false and the caller passes those bytes again with what follows.
 */
static size_t utf8_check(const unsigned char *t, size_t n, bool final, bool *bad)
{
    size_t i = 0, scalar_to = 0;
    *bad = false;
    while (i < n) {
        if (i >= scalar_to) {
            while (i + 32 <= n) { /* ASCII 32 bytes at a time */
                uint64_t a, b, c, d;
                memcpy(&a, t + i, 8);
                memcpy(&b, t + i + 8, 8);
                memcpy(&c, t + i + 16, 8);
                memcpy(&d, t + i + 24, 8);
                if ((a | b | c | d) & 0x8080808080808080ull)
                    break;
                i += 32;
            }
            while (i + 8 <= n) { /* then 8 */
                uint64_t a;
                memcpy(&a, t + i, 8);
                if (a & 0x8080808080808080ull)
                    break;
                i += 8;
            }
            if (i >= n)
                break;
            scalar_to = i + 8; /* one byte at a time up to there */
        }
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
        } else {
            *bad = true;
            return i;
        }
        size_t have = n - i < len ? n - i : len;
        for (size_t k = 1; k < have; k++) {
            unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
            if (t[i + k] < l || t[i + k] > h) {
                *bad = true;
                return i;
            }
        }
        if (have < len) {
            *bad = final;
            return i;
        }
        i += len;
    }
    return n;
}

/* ---- delimiter ---------------------------------------------------------- */

/*
 * Picks ',', ';' or tab from the first records of t: the candidate found the
 * same number of times (at least once) outside quotes on every complete line
 * wins, the larger count first; failing that, the one found most often on
 * the first line; failing that, ','.  whole: t is all of the text.
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

/* ---- reading ------------------------------------------------------------ */

/* Reads into buf[have..cap) until it is full or the file ends; returns the
 * bytes now in buf, or (size_t)-1 with errno set. */
static size_t read_more(int fd, unsigned char *buf, size_t have, size_t cap, bool *at_end)
{
    *at_end = false;
    while (have < cap) {
        ssize_t k = read(fd, buf + have, cap - have);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return (size_t)-1;
        if (k == 0) {
            *at_end = true;
            break;
        }
        have += (size_t)k;
    }
    return have;
}

static egdi_status check_window(csv_state *s, egdi_error *err);
static egdi_status gb_fill(csv_state *s, egdi_error *err);

/* Moves the unparsed bytes to the front of the buffer, reads more and
 * checks them. */
static void refill(csv_state *s)
{
    if (s->gb) {
        egdi_error e;
        egdi_error_clear(&e);
        egdi_status st = gb_fill(s, &e);
        if (st != EGDI_OK)
            fail_at(s, st, s->line, 0, "%s", e.message);
        return;
    }
    size_t keep = s->len - s->pos;
    memmove(s->buf, s->data + s->pos, keep);
    s->base += s->pos;
    s->pos = 0;
    size_t n = read_more(s->fd, s->buf, keep, CSV_BUF, &s->in_eof);
    if (n == (size_t)-1) {
        s->len = keep;
        s->in_eof = true;
        fail_at(s, EGDI_ERR_IO, s->line, 0, "cannot read: %s", strerror(errno));
        return;
    }
    s->len = n;
    egdi_error e;
    egdi_error_clear(&e);
    egdi_status st = check_window(s, &e);
    if (st != EGDI_OK)
        fail_at(s, st, s->line, 0, "%s", e.message);
}

/* The end of what may be parsed now: the checked part of the window (it
 * ends at the stop, if there is one). */
static size_t window_limit(const csv_state *s)
{
    return (size_t)(s->checked - s->base);
}

/* ---- checking the bytes ------------------------------------------------- */

/* Sets the stop at window offset w (the byte at file offset at). */
static void set_stop(csv_state *s, size_t w, uint64_t at, int kind)
{
    s->stop = s->base + w;
    s->stop_at = at;
    s->stop_kind = kind;
}

/*
 * The mixed-encoding check of a file read as GB18030 because its bytes are
 * not UTF-8 (gb_guessed): the raw bytes r[0..n) about to be converted are
 * followed line by line, and a line that is Chinese in UTF-8 (南京 in UTF-8
 * reads as the GB18030 text 鍗椾含) means the file mixes two encodings.
 * Such a line is valid UTF-8 whose every non-ASCII character is CJK (U+3000
 * to U+9FFF, or a full-width form U+FF00 to U+FFFF), with at least one
 * ideograph, and read as GBK it is not GB2312 (a pair outside rows A1-F7,
 * columns A1-FE, or a byte left over): GB2312 text (what Chinese GBK files
 * hold) is never taken for UTF-8, and UTF-8 Chinese nearly always leaves
 * GB2312 (each ideograph has a byte 80-BF where GB2312 has none).
 * Returns the line, or 0.
 */
static uint64_t mixed_scan(csv_state *s, const unsigned char *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char b = r[i];
        /* GBK pairs: does the line leave GB2312? */
        if (s->g_pend) {
            s->g_out |= b < 0x80 || s->g_lead < 0xA1 || s->g_lead > 0xF7 || b < 0xA1 || b > 0xFE;
            s->g_pend = false;
        } else if (b >= 0x80) {
            s->g_pend = true;
            s->g_lead = b;
        }
        /* UTF-8 of CJK only */
        if (s->u_need) {
            if (b >= s->u_lo && b <= s->u_hi) {
                s->u_need--;
                s->u_lo = 0x80;
                s->u_hi = 0xBF;
                continue;
            }
            s->u_bad = true;
            s->u_need = 0;
        }
        if (b == '\n') {
            bool hit = s->u_cjk && !s->u_bad && (s->g_out || s->g_pend);
            s->u_bad = s->u_cjk = s->g_out = s->g_pend = false;
            if (hit)
                return s->raw_line;
            s->raw_line++;
        } else if (b >= 0xE3 && b <= 0xE9) {
            s->u_need = 2;
            s->u_lo = 0x80;
            s->u_hi = 0xBF;
            s->u_cjk |= b >= 0xE4;
        } else if (b == 0xEF) {
            s->u_need = 2;
            s->u_lo = 0xBC; /* U+FF00.. */
            s->u_hi = 0xBF;
        } else if (b >= 0x80) {
            s->u_bad = true;
        }
    }
    return 0;
}

/*
 * Converts raw GB18030 bytes into the window after its unparsed part, until
 * the window is full, the raw bytes end, or a NUL or invalid byte stops it
 * (everything converted is valid UTF-8: checked moves to the end).
 */
static egdi_status gb_fill(csv_state *s, egdi_error *err)
{
    size_t keep = s->len - s->pos;
    memmove(s->conv, s->conv + s->pos, keep);
    s->base += s->pos;
    s->pos = 0;
    s->len = keep;
    bool need_raw = false; /* a character is cut by the end of the raw bytes */
    while (s->stop == CSV_NO_STOP && s->conv_cap - s->len >= 16) {
        if (s->rpos == s->rlen || need_raw) {
            if (s->raw_eof) {
                if (s->rpos < s->rlen) /* a character cut by the end */
                    set_stop(s, s->len, s->rbase + s->rpos, STOP_GB);
                break;
            }
            unsigned char *rb = s->buf;
            size_t left = s->rlen - s->rpos;
            memmove(rb, rb + s->rpos, left);
            s->rbase += s->rpos;
            s->rpos = 0;
            size_t got = read_more(s->fd, rb, left, CSV_BUF, &s->raw_eof);
            if (got == (size_t)-1)
                return egdi_error_set(err, EGDI_ERR_IO, "cannot read: %s", strerror(errno));
            s->rlen = got;
            need_raw = false;
            continue;
        }
        const unsigned char *r = s->raw + s->rpos;
        const unsigned char *z = memchr(r, 0, s->rlen - s->rpos);
        size_t avail = z ? (size_t)(z - r) : s->rlen - s->rpos;
        char *in = (char *)(uintptr_t)r;
        size_t inleft = avail;
        char *out = (char *)s->conv + s->len;
        size_t outleft = s->conv_cap - s->len;
        size_t rc = iconv(s->cd, &in, &inleft, &out, &outleft);
        int e = rc == (size_t)-1 ? errno : 0;
        size_t made = s->conv_cap - s->len - outleft;
        if (s->gb_guessed && !s->mixed_line) {
            uint64_t line = mixed_scan(s, r, avail - inleft);
            if (!line && s->raw_eof && s->rpos + (avail - inleft) == s->rlen && !z)
                line = mixed_scan(s, (const unsigned char *)"\n", 1); /* the last line */
            if (line) {
                s->mixed_line = line;
                s->len += made;
                set_stop(s, s->len, s->rbase + s->rpos, STOP_MIXED);
                break;
            }
        }
        s->rpos += avail - inleft;
        if (!s->conv_started && made >= 3 && memcmp(s->conv + s->len, "\xEF\xBB\xBF", 3) == 0) {
            memmove(s->conv + s->len, s->conv + s->len + 3, made - 3); /* GB18030's BOM */
            made -= 3;
        }
        if (made)
            s->conv_started = true;
        s->len += made;
        if (e == E2BIG)
            break;
        if (e == EILSEQ || (e == EINVAL && z)) {
            set_stop(s, s->len, s->rbase + s->rpos, STOP_GB);
            break;
        }
        if (e == EINVAL) {
            need_raw = true;
            continue;
        }
        if (e != 0)
            return egdi_error_set(err, EGDI_ERR_ENCODING, "cannot convert from GB18030: %s",
                                  strerror(e));
        if (z) {
            set_stop(s, s->len, s->rbase + s->rpos, STOP_NUL);
            break;
        }
    }
    s->checked = s->base + s->len;
    s->in_eof = s->stop == CSV_NO_STOP && s->raw_eof && s->rpos == s->rlen;
    return EGDI_OK;
}

/*
 * Starts reading GB18030: at open, or when the first non-ASCII byte shows
 * the text is not UTF-8 (all before it is ASCII, the same in both).  The
 * unparsed bytes of the window, and the rest of the file, become the raw
 * bytes; the window becomes the converted text.
 */
static egdi_status start_gb(csv_state *s, egdi_error *err)
{
    s->cd = iconv_open("UTF-8", "GB18030");
    if (s->cd == (iconv_t)-1)
        return egdi_error_set(err, EGDI_ERR_ENCODING,
                              "this system cannot convert GB18030 text (iconv: %s)",
                              strerror(errno));
    s->gb = true;
    s->enc_state = ENC_IS_GB;
    uint64_t line;
    size_t col;
    partial_location(s, &line, &col); /* (the line of the first raw byte) */
    s->raw_line = line;
    s->conv_cap = CSV_BUF;
    s->conv = malloc(s->conv_cap);
    if (!s->conv)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the file");
    if (s->fd >= 0) { /* the read buffer holds the raw bytes from now on */
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->raw = s->buf;
        s->rpos = 0;
        s->rlen = s->len - s->pos;
        s->raw_eof = s->in_eof;
    } else {
        s->raw = s->data;
        s->rpos = s->pos;
        s->rlen = s->len;
        s->raw_eof = true;
    }
    s->rbase = s->base + (s->fd >= 0 ? s->pos : 0);
    s->data = s->conv;
    s->base += s->pos;
    s->pos = s->len = 0;
    s->in_eof = false;
    return gb_fill(s, err);
}

/* Sets *yes when the CSV_DECIDE bytes from file offset k (or all to the
 * end) are valid UTF-8. */
static egdi_status looks_utf8(csv_state *s, uint64_t k, bool *yes, egdi_error *err)
{
    bool bad;
    if (s->fd < 0) { /* memory: the window is all of it */
        size_t n = s->len - (size_t)k;
        if (n > CSV_DECIDE)
            n = CSV_DECIDE;
        utf8_check(s->data + k, n, n < CSV_DECIDE, &bad);
        *yes = !bad;
        return EGDI_OK;
    }
    /* a file: the MiB read in pieces through one small buffer (fresh
     * memory costs more to touch than the bytes cost to check); a
     * character cut by the end of a piece starts the next one */
    enum { PIECE = 64u * 1024u };
    unsigned char *tmp = malloc(PIECE);
    if (!tmp)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the file");
    uint64_t off = k, end = k + CSV_DECIDE;
    size_t have = 0; /* the start of a cut character, carried over */
    bad = false;
    while (!bad && off < end) {
        size_t want = PIECE - have;
        if (want > end - off)
            want = (size_t)(end - off);
        ssize_t r = pread(s->fd, tmp + have, want, (off_t)off);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            free(tmp);
            return egdi_error_set(err, EGDI_ERR_IO, "cannot read: %s", strerror(e));
        }
        if (r == 0) { /* the file ends before the MiB: a cut character is bad */
            utf8_check(tmp, have, true, &bad);
            break;
        }
        off += (uint64_t)r;
        size_t len = have + (size_t)r;
        size_t ok = utf8_check(tmp, len, false, &bad);
        have = len - ok;
        memmove(tmp, tmp + ok, have);
    }
    free(tmp);
    *yes = !bad;
    return EGDI_OK;
}

/*
 * Checks the bytes that came into the window since the last call and moves
 * `checked` past them: a NUL byte, or invalid UTF-8 unless the text is
 * GB18030, becomes the stop (checked ends there).  While the encoding is
 * undecided, the first non-ASCII byte decides it (looks_utf8).  A character
 * cut by the end of the window is checked with the next bytes.
 */
static egdi_status check_window(csv_state *s, egdi_error *err)
{
    if (s->stop != CSV_NO_STOP || s->gb)
        return EGDI_OK;
    size_t from = (size_t)(s->checked - s->base);
    const unsigned char *t = s->data + from;
    size_t n = s->len - from;
    const unsigned char *z = memchr(t, 0, n);
    size_t upto = z ? (size_t)(z - t) : n;
    if (s->enc_state == ENC_UNDECIDED) {
        size_t i = 0;
        while (i + 8 <= upto) {
            uint64_t w;
            memcpy(&w, t + i, 8);
            if (w & 0x8080808080808080ull)
                break;
            i += 8;
        }
        while (i < upto && t[i] < 0x80)
            i++;
        if (i < upto) {
            bool yes = false;
            egdi_status st = looks_utf8(s, s->checked + i, &yes, err);
            if (st != EGDI_OK)
                return st;
            if (!yes) {
                s->gb_guessed = true;
                return start_gb(s, err);
            }
            s->enc_state = ENC_IS_UTF8;
        }
    }
    size_t ok = upto;
    if (s->enc_state == ENC_IS_UTF8) {
        bool bad;
        ok = utf8_check(t, upto, s->in_eof || z != NULL, &bad);
        if (bad) {
            s->checked += ok;
            set_stop(s, from + ok, s->checked, STOP_UTF8);
            return EGDI_OK;
        }
    }
    s->checked += ok;
    if (z)
        set_stop(s, from + ok, s->checked, STOP_NUL);
    return EGDI_OK;
}

/* ---- libcsv callbacks --------------------------------------------------- */

static void on_field(void *text, size_t len, void *user)
{
    csv_state *s = user;
    if (s->status != EGDI_OK)
        return;
    s->last_cr = false;
    s->last_event = 0;
    size_t col = s->nfields - s->cur_first + s->dropped + 1;
    if (col > s->lim.max_cols) {
        if (len == 0) {
            s->dropped++; /* trailing delimiters past the limit are harmless */
            return;
        }
        fail_at(s, EGDI_ERR_LIMIT, s->rec_line, col, "more than %lu columns",
                (unsigned long)s->lim.max_cols);
        return;
    }
    if (len > s->lim.max_cell_bytes) {
        fail_at(s, EGDI_ERR_LIMIT, s->line, col, "a cell longer than %lu bytes",
                (unsigned long)s->lim.max_cell_bytes);
        return;
    }
    if (!grow((void **)&s->fields, &s->fields_cap, s->nfields + 1, sizeof *s->fields)) {
        fail_at(s, EGDI_ERR_NOMEM, s->line, col, "out of memory reading %lu fields",
                (unsigned long)s->nfields);
        return;
    }
    csv_field *f = &s->fields[s->nfields];
    f->off = s->arena_len;
    f->len = len;
    if (len) {
        if (!grow((void **)&s->arena, &s->arena_cap, s->arena_len + len + 1, 1)) {
            fail_at(s, EGDI_ERR_NOMEM, s->line, col, "out of memory reading a %lu-byte cell",
                    (unsigned long)len);
            return;
        }
        memcpy(s->arena + s->arena_len, text, len);
        s->arena[s->arena_len + len] = '\0';
        s->arena_len += len + 1;
        if (s->may_embed)
            s->line += count_breaks(text, len);
    }
    s->nfields++;
}

/* Counts a row; false (with the error set) past max_rows or 2^32 lines. */
static bool count_row(csv_state *s, uint64_t line)
{
    if (line > UINT32_MAX) {
        fail_at(s, EGDI_ERR_LIMIT, UINT32_MAX, 0, "more than %lu lines",
                (unsigned long)UINT32_MAX);
        return false;
    }
    if (++s->rows > s->lim.max_rows) {
        fail_at(s, EGDI_ERR_LIMIT, line, 0, "more than %lu rows",
                (unsigned long)s->lim.max_rows);
        return false;
    }
    return true;
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
        if (!count_row(s, s->rec_line))
            return;
        if (!grow((void **)&s->recs, &s->recs_cap, s->nrecs + 1, sizeof *s->recs)) {
            fail_at(s, EGDI_ERR_NOMEM, s->rec_line, 0, "out of memory after %lu rows",
                    (unsigned long)s->rows);
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

/* ---- the libcsv path ---------------------------------------------------- */

/* Forgets the records handed out, keeping the fields of the open record. */
static void compact(csv_state *s)
{
    if (s->cur_first < s->nfields) {
        size_t base = s->fields[s->cur_first].off;
        size_t keep = s->nfields - s->cur_first;
        if (base > 0) /* (the arena may still be NULL when base is 0) */
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
static void parse(csv_state *s, const unsigned char *t, size_t n)
{
    s->may_embed = s->p.quoted || memchr(t, '"', n) != NULL;
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
        fail_at(s, EGDI_ERR_LIMIT, s->line, col, "a cell longer than %lu bytes",
                (unsigned long)s->lim.max_cell_bytes);
    }
}

/* Ends the parse: an unterminated quote is an error, else libcsv hands over
 * the last record. */
static void finish(csv_state *s)
{
    s->eof = true;
    s->may_embed = true;
    size_t col = s->nfields - s->cur_first + s->dropped + 1;
    if (s->p.quoted && s->p.pstate == LIBCSV_FIELD_BEGUN) {
        fail_at(s, EGDI_ERR_FORMAT, s->line, col,
                "a quoted field that starts on line %lu is never closed",
                (unsigned long)clamp32(s->line));
        return;
    }
    if (csv_fini(&s->p, on_field, on_record, s) != 0)
        fail_at(s, EGDI_ERR_FORMAT, s->line, col, "%s", csv_strerror(csv_error(&s->p)));
}

/*
 * The slow path: parses the next piece with libcsv (for UTF-8, up to and
 * with the next line break, at most CSV_CHUNK bytes; for GB18030 a chunk),
 * or reads more, or reports the invalid byte, or ends the parse.
 */
static void feed(csv_state *s)
{
    compact(s);
    size_t lim = window_limit(s);
    if (s->pos == lim) {
        if (s->stop != CSV_NO_STOP && s->base + s->pos == s->stop) {
            uint64_t line;
            size_t col;
            partial_location(s, &line, &col);
            unsigned long long at = (unsigned long long)s->stop_at + 1;
            if (s->stop_kind == STOP_NUL)
                fail_at(s, EGDI_ERR_FORMAT, line, col,
                        "binary data at byte %llu; not a CSV text file", at);
            else if (s->stop_kind == STOP_GB)
                fail_at(s, EGDI_ERR_ENCODING, line, col,
                        "invalid GB18030 (GBK) text at byte %llu", at);
            else if (s->stop_kind == STOP_MIXED)
                fail_at(s, EGDI_ERR_ENCODING, s->mixed_line, 0,
                        "this line is UTF-8 text but other lines of the file are not (GBK?): "
                        "the file mixes two encodings; save it in one (CSV UTF-8), or give "
                        "--encoding");
            else
                fail_at(s, EGDI_ERR_ENCODING, line, col,
                        "invalid UTF-8 text at byte %llu (is the file GBK? try --encoding gbk)",
                        at);
        } else if (!s->in_eof) {
            refill(s);
        } else {
            finish(s);
        }
        return;
    }
    const unsigned char *t = s->data + s->pos;
    size_t look = lim - s->pos < CSV_CHUNK ? lim - s->pos : CSV_CHUNK;
    const unsigned char *nl = memchr(t, '\n', look);
    size_t n = nl ? (size_t)(nl - t) + 1 : look;
    s->last_event = 0; /* a callback for this piece's line break sets it */
    parse(s, t, n);
    s->pos += n;
    s->at_boundary = nl && s->last_event == '\n';
}

/* ---- the fast path ------------------------------------------------------ */

/*
 * Splits the line at data[pos] into *row when it holds no CR but the one of
 * a CRLF and its quotes only wrap whole fields with no quote or line break
 * inside ("a, b", not "say ""hi""" or a"b), as libcsv would: FAST_ROW (a
 * row), FAST_SKIP (an empty line, or an error was set), FAST_MORE (the
 * line's end is not in the window) or FAST_NO (libcsv must read it: also
 * lines longer than CSV_BUF or with more than max_cols fields).
 *
 * One pass: each field is copied to the arena at its offset in the line,
 * NUL-terminated, and its cell written as soon as its end is found.  Only
 * called between records with no record queued, so the arena and the cells
 * are free to use until the row is handed out.
 *
 * With small (egdi_reader_next_small), a field of one to three digits worth
 * 0..254 is not copied and gets no cell: its value goes into s->small (the
 * others get EGDI_SMALL_NONE there), as egdi_cell_small() would say.  This is
 * egdi_value_small() (engine/core/value.h, the one definition) done several
 * fields at a time; tests/fuzz/fuzz_csv.c holds the two paths in lockstep.
 */
static int fast_row(csv_state *s, egdi_row *row, const bool small)
{
    const unsigned char *t = s->data + s->pos;
    size_t n = window_limit(s) - s->pos;
    bool capped = n > CSV_BUF;
    if (capped)
        n = CSV_BUF;
    if (s->arena_cap < n + 1 && !grow((void **)&s->arena, &s->arena_cap, n + 1, 1)) {
        fail_at(s, EGDI_ERR_NOMEM, s->line, 0, "out of memory reading a line");
        return FAST_SKIP;
    }
    const unsigned char *cls = s->cls;
    const bool tab_blank = s->tab_blank;
    const size_t max_cols = s->lim.max_cols;
    /* a field of up to this many bytes may be small: 3, or less under a
     * cell limit of one or two bytes or characters, so that such a field
     * stays a cell and fails the limit as it does in egdi_reader_next */
    size_t small_max = 3;
    if (s->lim.max_cell_bytes < small_max)
        small_max = s->lim.max_cell_bytes;
    if (s->lim.max_cell_chars < small_max)
        small_max = s->lim.max_cell_chars;
    char *a = s->arena;
    egdi_cell *c = s->cells;
    unsigned char *sm = s->small;
    /* (small_cap < cells_cap only after a failed grow_cells) */
    size_t cap = s->small_cap < s->cells_cap ? s->small_cap : s->cells_cap;
    size_t nc = 0, k = 0, longest = 0, start = 0, end, used;
    bool last_done = false; /* the last field was a quoted one, already out */

/* Puts t[b0..b1) out as the next cell (quoted: blanks kept). */
#define EMIT(b0_, b1_, quoted_)                                                     \
    do {                                                                            \
        size_t b0 = (b0_), b1 = (b1_);                                              \
        if (nc >= max_cols)                                                         \
            return FAST_NO;                                                         \
        if (nc == cap) {                                                            \
            if (!grow_cells(s, nc + 1)) {                                           \
                fail_at(s, EGDI_ERR_NOMEM, s->line, 0, "out of memory reading a line"); \
                return FAST_SKIP;                                                   \
            }                                                                       \
            c = s->cells;                                                           \
            sm = s->small;                                                          \
            cap = s->cells_cap;                                                     \
        }                                                                           \
        if (!(quoted_) && b1 > b0 && (t[b0] <= ' ' || t[b1 - 1] <= ' ')) {         \
            while (b0 < b1 && (t[b0] == ' ' || (t[b0] == '\t' && tab_blank)))       \
                b0++;                                                               \
            while (b1 > b0 && (t[b1 - 1] == ' ' || (t[b1 - 1] == '\t' && tab_blank))) \
                b1--;                                                               \
        }                                                                           \
        size_t len_ = b1 - b0;                                                      \
        unsigned v_ = EGDI_SMALL_NONE;                                              \
        if (small && len_ && len_ <= small_max) {                                   \
            v_ = 0;                                                                 \
            for (size_t q_ = b0; q_ < b1 && v_ < EGDI_SMALL_NONE; q_++)             \
                v_ = (unsigned)(t[q_] - '0') < 10 ? v_ * 10 + (unsigned)(t[q_] - '0') \
                                                 : EGDI_SMALL_NONE;                 \
            if (v_ > EGDI_SMALL_NONE)                                               \
                v_ = EGDI_SMALL_NONE;                                               \
        }                                                                           \
        if (small)                                                                  \
            sm[nc] = (unsigned char)v_;                                             \
        if (v_ != EGDI_SMALL_NONE) {                                                \
            k = nc + 1;                                                             \
        } else if (len_) {                                                          \
            memcpy(a + b0, t + b0, len_);                                           \
            a[b1] = '\0';                                                           \
            c[nc].type = EGDI_CELL_TEXT;                                            \
            c[nc].text = a + b0;                                                    \
            c[nc].len = len_;                                                       \
            k = nc + 1;                                                             \
            if (len_ > longest)                                                     \
                longest = len_;                                                     \
        } else {                                                                    \
            c[nc].type = EGDI_CELL_EMPTY;                                           \
            c[nc].text = NULL;                                                      \
            c[nc].len = 0;                                                          \
        }                                                                           \
        nc++;                                                                       \
    } while (0)

    for (size_t i = 0;; i++) {
        if (i == n)
            return capped ? FAST_NO : FAST_MORE;
        unsigned char cl = cls[t[i]];
        if (cl == CLS_PLAIN)
            continue;
        if (cl == CLS_DELIM) {
            EMIT(start, i, false);
            start = i + 1;
            /* one-character fields (answers 1-5, 0/1) in a row, two bytes
             * per step */
            size_t room = (cap < max_cols ? cap : max_cols);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* four one-digit fields at a time: t[i + 1..i + 8] is
             * "d,d,d,d," (d a digit, ',' the delimiter), tested as one
             * 64-bit word: the odd bytes must be the delimiter; the even
             * ones minus '0' must stay in 0..9 (no 16-bit lane borrows or
             * reaches 10 + 0x76 = 0x80) */
            if (small && (unsigned)(s->delim - '0') >= 10) { /* (a digit delimiter: no) */
#ifdef __SSE2__
                /* eight at a time in 16 bytes: each 16-bit lane holds a
                 * digit and the delimiter; the digits minus '0' packed to
                 * bytes are the values */
                const __m128i dl = _mm_set1_epi16((short)(s->delim << 8));
                const __m128i hi_mask = _mm_set1_epi16((short)0xFF00);
                const __m128i lo_mask = _mm_set1_epi16(0x00FF);
                const __m128i c0 = _mm_set1_epi16('0'), c9 = _mm_set1_epi16('9');
                while (nc + 8 <= room && i + 17 <= n) {
                    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i + 1));
                    __m128i lo = _mm_and_si128(v, lo_mask);
                    __m128i bad = _mm_or_si128(_mm_xor_si128(_mm_and_si128(v, hi_mask), dl),
                                               _mm_or_si128(_mm_cmplt_epi16(lo, c0),
                                                            _mm_cmpgt_epi16(lo, c9)));
                    if (_mm_movemask_epi8(_mm_cmpeq_epi8(bad, _mm_setzero_si128())) != 0xFFFF)
                        break;
                    _mm_storel_epi64((__m128i *)(void *)(sm + nc),
                                     _mm_packus_epi16(_mm_sub_epi16(lo, c0), _mm_setzero_si128()));
                    nc += 8;
                    k = nc;
                    i += 16;
                    start = i + 1;
                }
#endif
                const uint64_t odd = 0xFF00FF00FF00FF00ull;
                const uint64_t delims = (uint64_t)s->delim * 0x0100010001000100ull;
                while (nc + 4 <= room && i + 9 <= n) {
                    uint64_t w;
                    memcpy(&w, t + i + 1, 8);
                    if ((w & odd) != delims)
                        break;
                    uint64_t x = (w & ~odd) - 0x0030003000300030ull;
                    uint64_t y = x + 0x0076007600760076ull;
                    if ((x | y) & 0xFF80FF80FF80FF80ull)
                        break;
                    sm[nc] = (unsigned char)x;
                    sm[nc + 1] = (unsigned char)(x >> 16);
                    sm[nc + 2] = (unsigned char)(x >> 32);
                    sm[nc + 3] = (unsigned char)(x >> 48);
                    nc += 4;
                    k = nc;
                    i += 8;
                    start = i + 1;
                }
            }
#endif
            if (small)
                while (nc < room && i + 2 < n && cls[t[i + 2]] == CLS_DELIM &&
                       (unsigned)(t[i + 1] - '0') < 10 && cls[t[i + 1]] == CLS_PLAIN) {
                    sm[nc++] = (unsigned char)(t[i + 1] - '0');
                    k = nc;
                    i += 2;
                    start = i + 1;
                }
            while (nc < room && i + 2 < n && cls[t[i + 2]] == CLS_DELIM &&
                   cls[t[i + 1]] == CLS_PLAIN && t[i + 1] > ' ') {
                if (small) /* later cells of this run may be digits again */
                    sm[nc] = (unsigned char)((unsigned)(t[i + 1] - '0') < 10
                                                 ? (unsigned)(t[i + 1] - '0')
                                                 : EGDI_SMALL_NONE);
                a[i + 1] = (char)t[i + 1];
                a[i + 2] = '\0';
                c[nc].type = EGDI_CELL_TEXT;
                c[nc].text = a + i + 1;
                c[nc].len = 1;
                nc++;
                k = nc;
                i += 2;
                start = i + 1;
            }
            continue; /* (a one-byte cell never passes max_cell_bytes) */
        }
        if (cl == CLS_QUOTE) {
            /* "text" with no quote or line break inside, only blanks
             * around it; anything else is libcsv's */
            for (size_t b = start; b < i; b++)
                if (t[b] != ' ' && !(t[b] == '\t' && tab_blank))
                    return FAST_NO;
            size_t j = i + 1;
            while (j < n && t[j] != '"' && t[j] != '\n' && t[j] != '\r')
                j++;
            if (j == n)
                return capped ? FAST_NO : FAST_MORE;
            if (t[j] != '"')
                return FAST_NO;
            size_t q = j + 1;
            while (q < n && (t[q] == ' ' || (t[q] == '\t' && tab_blank)))
                q++;
            if (q == n)
                return capped ? FAST_NO : FAST_MORE;
            unsigned char after = cls[t[q]];
            if (after != CLS_DELIM && after != CLS_LF && after != CLS_CR)
                return FAST_NO;
            EMIT(i + 1, j, true);
            if (after == CLS_DELIM) {
                start = q + 1;
                i = q;
            } else {
                last_done = true;
                i = q - 1; /* the loop goes on at the line break */
            }
            continue;
        }
        if (cl == CLS_LF) {
            end = i;
            used = i + 1;
            break;
        }
        if (cl == CLS_CR && i + 1 < n && t[i + 1] == '\n') {
            end = i;
            used = i + 2;
            break;
        }
        if (cl == CLS_CR && i + 1 == n)
            return capped ? FAST_NO : FAST_MORE;
        return FAST_NO; /* a quote inside a field, or a lone CR */
    }
    if (!last_done)
        EMIT(start, end, false);
#undef EMIT

    uint64_t line = s->line;
    s->pos += used;
    s->line++;
    s->rec_line = s->line;
    s->last_cr = false;
    s->last_event = '\n';
    if (k == 0)
        return FAST_SKIP;
    if (longest > s->lim.max_cell_bytes) {
        for (size_t f = 0; f < k; f++)
            if ((!small || sm[f] == EGDI_SMALL_NONE) && c[f].len > s->lim.max_cell_bytes) {
                fail_at(s, EGDI_ERR_LIMIT, line, f + 1, "a cell longer than %lu bytes",
                        (unsigned long)s->lim.max_cell_bytes);
                return FAST_SKIP;
            }
    }
    if (!count_row(s, line))
        return FAST_SKIP;
    row->number = (uint32_t)line;
    row->ncells = k;
    row->cells = c;
    row->small = small ? sm : NULL;
    s->longest = longest;
    return FAST_ROW;
}

/* ---- the reader operations ---------------------------------------------- */

/* Hands out the next queued record. */
static egdi_status pop_record(csv_state *s, egdi_row *row, egdi_error *err)
{
    const csv_rec *r = &s->recs[s->rec_head++];
    if (!grow_cells(s, r->n)) {
        egdi_error_at(err, s->name, NULL, r->line, 0);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading %lu cells",
                              (unsigned long)r->n);
    }
    const csv_field *f = s->fields + r->first;
    for (size_t i = 0; i < r->n; i++) {
        egdi_cell *c = &s->cells[i];
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
    row->small = NULL;
    return EGDI_OK;
}

static egdi_status next_row(csv_state *s, egdi_row *row, bool small, egdi_error *err)
{
    for (;;) {
        if (s->rec_head < s->nrecs) {
            egdi_status st = pop_record(s, row, err);
            if (st == EGDI_OK && small) { /* a row libcsv read: from its cells */
                /* (every cell is there: all are checked, small or not) */
                row->small = NULL;
                st = egdi_row_check_chars(row, s->lim.max_cell_chars, s->name, NULL, err);
                for (size_t j = 0; j < row->ncells; j++)
                    s->small[j] = (unsigned char)egdi_cell_small(&s->cells[j]);
                row->small = s->small;
            }
            return st;
        }
        if (s->status != EGDI_OK) {
            if (err)
                *err = s->err;
            return s->status;
        }
        if (s->eof)
            return EGDI_DONE;
        if (s->at_boundary) {
            compact(s);
            int k = small ? fast_row(s, row, true) : fast_row(s, row, false);
            if (k == FAST_ROW && small && s->longest > s->lim.max_cell_chars)
                return egdi_row_check_chars(row, s->lim.max_cell_chars, s->name, NULL, err);
            if (k == FAST_ROW)
                return EGDI_OK;
            if (k == FAST_SKIP)
                continue;
            if (k == FAST_MORE && s->pos > 0 && !s->in_eof && s->stop == CSV_NO_STOP) {
                refill(s);
                continue;
            }
        }
        feed(s);
    }
}

static egdi_status csv_next(void *self, egdi_row *row, egdi_error *err)
{
    return next_row(self, row, false, err);
}

static egdi_status csv_next_small(void *self, egdi_row *row, egdi_error *err)
{
    return next_row(self, row, true, err);
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
    if (s->fd >= 0)
        close(s->fd);
    free(s->buf);
    free(s->owned);
    free(s->conv);
    free(s->arena);
    free(s->fields);
    free(s->recs);
    free(s->cells);
    free(s->small);
    free(s->name);
    free(s);
}

/* The bytes parsed (GB18030: the raw bytes converted) of the input's. */
static bool csv_position(const void *self, uint64_t *done, uint64_t *total)
{
    const csv_state *s = self;
    *done = s->gb ? s->rbase + s->rpos : s->base + s->pos;
    *total = s->total;
    return s->total > 0;
}

static const egdi_reader_ops csv_ops = {csv_next, csv_close, NULL, csv_next_small,
                                        csv_position};

/* ---- opening ------------------------------------------------------------ */

/* Opens path: a regular file is streamed, anything else is read into
 * memory. */
static egdi_status open_file(csv_state *s, const char *path, egdi_error *err)
{
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(s->fd, &st) != 0)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot read: %s", strerror(errno));
    if (S_ISDIR(st.st_mode))
        return egdi_error_set(err, EGDI_ERR_IO, "is a directory, not a file");
    if (S_ISREG(st.st_mode)) {
        s->total = (uint64_t)st.st_size;
        s->buf = malloc(CSV_BUF);
        if (!s->buf)
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
        return EGDI_OK;
    }
    /* a pipe or a device (reader.c reads those first; here only when one
     * is opened directly): read it all, bounded */
    size_t cap = 0, n = 0;
    bool at_end = false;
    while (!at_end) {
        if (n > s->lim.max_stream)
            return egdi_error_set(err, EGDI_ERR_LIMIT,
                                  "a stream (not a regular file) of more than %llu bytes, the "
                                  "most egdi reads from one: save it to a file first",
                                  (unsigned long long)s->lim.max_stream);
        if (!grow((void **)&s->owned, &cap, n + CSV_BUF, 1))
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the file");
        n = read_more(s->fd, s->owned, n, cap, &at_end);
        if (n == (size_t)-1)
            return egdi_error_set(err, EGDI_ERR_IO, "cannot read: %s", strerror(errno));
    }
    close(s->fd);
    s->fd = -1;
    s->data = s->owned ? s->owned : (const unsigned char *)"";
    s->len = n;
    s->total = n;
    s->in_eof = true;
    return EGDI_OK;
}

/*
 * Checks the bytes, skips a BOM, decides the encoding and the delimiter and
 * sets up the parser.  The first bytes of the file are in data[0..len).
 */
static egdi_status prepare(csv_state *s, const egdi_read_opts *opts, egdi_error *err)
{
    if (s->fd >= 0) {
        size_t got = read_more(s->fd, s->buf, 0, CSV_BUF, &s->in_eof);
        if (got == (size_t)-1)
            return egdi_error_set(err, EGDI_ERR_IO, "cannot read: %s", strerror(errno));
        s->len = got;
    }
    const unsigned char *d = s->data;
    size_t n = s->len;
    if (n >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF)))
        return egdi_error_set(err, EGDI_ERR_FORMAT,
                              "UTF-16 text; save the file as \"CSV UTF-8\" and try again");
    bool bom = n >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0;
    s->stop = CSV_NO_STOP;
    egdi_status st;
    if (opts->encoding == EGDI_ENC_GB18030) {
        st = start_gb(s, err);
    } else {
        s->enc_state =
            opts->encoding == EGDI_ENC_UTF8 || bom ? ENC_IS_UTF8 : ENC_UNDECIDED;
        st = check_window(s, err);
    }
    if (st != EGDI_OK)
        return st;
    if (s->stop != CSV_NO_STOP && s->stop_kind == STOP_NUL)
        return egdi_error_set(err, EGDI_ERR_FORMAT,
                              "binary data at byte %llu; not a CSV text file",
                              (unsigned long long)s->stop_at + 1);
    if (bom && !s->gb)
        s->pos = 3;

    char delim = opts->delimiter;
    if (delim == 0)
        delim = sniff_delimiter(s->data + s->pos, s->len - s->pos, s->in_eof);
    else if (delim == '"' || delim == '\r' || delim == '\n' || delim == ' ' ||
             (unsigned char)delim >= 0x80)
        return egdi_error_set(err, EGDI_ERR_ARG, "cannot use byte 0x%02x as the delimiter",
                              (unsigned)(unsigned char)delim);

    if (csv_init(&s->p, CSV_REPALL_NL) != 0)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
    s->parser_ready = true;
    csv_set_delim(&s->p, (unsigned char)delim);
    /* libcsv's own test (space or tab) is inlined, a function is called */
    csv_set_space_func(&s->p, delim == '\t' ? blank_space : NULL);
    s->tab_blank = delim != '\t';
    s->cls[(unsigned char)delim] = CLS_DELIM;
    s->delim = (unsigned char)delim;
    s->cls['\n'] = CLS_LF;
    s->cls['\r'] = CLS_CR;
    s->cls['"'] = CLS_QUOTE;
    s->at_boundary = true;
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
    s->fd = -1;
    s->name = strdup(name ? name : (path ? path : "<memory>"));
    if (!s->name) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the file");
        goto fail;
    }
    s->lim = egdi_limits_resolve(&opts->limits);
    s->line = s->rec_line = 1;
    if (path) {
        st = open_file(s, path, err);
        if (st != EGDI_OK)
            goto fail;
        if (s->fd >= 0)
            s->data = s->buf;
    } else {
        s->data = buf ? buf : (const void *)"";
        s->len = buf ? size : 0;
        s->total = s->len;
        s->in_eof = true;
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
