/*
 * xlsx_sheet.c - a streaming scanner for XLSX sheet XML (see xlsx_sheet.h).
 *
 * expat is too slow for 250 MB of cells, and the sheet XML is simple: this
 * scanner splits the input into tokens (start tag, end tag, text run) and
 * runs a small state machine over <sheetData>, <row>, <c>, <v>, <is>, <t>.
 * The common cell shapes (<c .../>, <c ...><v>X</v></c> and
 * <c ...><is><t>X</t></is></c>) take a fast path (fast_cell) that gives the
 * same result as the tokens would; the fuzz target checks that it does.
 * Not checked: attribute values' entities (r, t and s never need them), and
 * well-formedness beyond matching tags, attributes and entities.
 *
 * Data structure: buf[pos..end) is the unread input.  A token is always
 * complete in the buffer before it is handled: when it runs past end the
 * remaining bytes move to the front and more are read; when the buffer is
 * full of one token it doubles, up to max_buf (a limit error beyond).  The
 * row being built is cells[0..ncells) plus off[] (the offset of each cell's
 * text in the arena, or NO_OFF when the text lives elsewhere, e.g. in the
 * shared strings); text pointers are set when the row is complete, since
 * the arena may move while it grows.  All buffers are reused for every row
 * and freed by egdi_xlsx_sheet_free().  Open elements are kept as a stack of
 * name hashes so that mismatched end tags are errors.
 */
#include "engine/readers/xlsx_sheet_private.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF_INITIAL  (256u * 1024u)
#define TOKEN_SLACK  4096u /* room beyond the longest cell text for a token */
#define ROW_TEXT_MAX (64u << 20) /* all the text of one row */
#define NO_OFF       SIZE_MAX
#define MAX_NUM_TEXT 400 /* longest number literal handed to strtod */

typedef enum { T_N, T_S, T_STR, T_INLINE, T_B, T_E, T_D } cell_kind;
typedef enum { TOK_EOF, TOK_START, TOK_EMPTY, TOK_END, TOK_TEXT } tok_kind;

typedef struct {
    tok_kind kind;
    bool cdata;         /* TEXT from <![CDATA[...]]>: no entities */
    const char *name;   /* local name (prefix stripped) */
    size_t nlen;
    uint64_t hash;      /* of the qualified name */
    const char *p;      /* attributes (START/EMPTY) or text (TEXT) */
    size_t n;
} token;

struct egdi_xlsx_sheet {
    egdi_xlsx_read_fn read;
    void *ctx;
    const egdi_xlsx_book *book;
    egdi_limits lim;
    const char *file, *sheet;

    char *buf;
    size_t cap, max_buf, pos, end;
    bool eof, started;

    uint64_t *stack;
    uint32_t depth;
    bool in_data, done;

    /* the row being built */
    bool in_row;
    uint32_t row_no, prev_row;
    egdi_cell *cells;
    size_t *off;
    size_t ncells, ncap, filled;
    char *arena;
    size_t alen, acap;

    /* the cell being built */
    bool in_cell, in_is, in_rph, collect;
    bool has_v, has_is, has_f; /* the cell holds a <v>, an <is>, an <f> */
    cell_kind kind;
    uint32_t col, prev_col;
    uint8_t xf;
    size_t tstart; /* its text in arena[tstart..alen) */
};

/* ---- errors ------------------------------------------------------------ */

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static egdi_status fail(egdi_xlsx_sheet *s, egdi_error *err, egdi_status st, uint32_t col,
                        const char *fmt, ...)
{
    char msg[EGDI_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    egdi_error_set(err, st, "%s", n < 0 ? "malformed sheet" : msg);
    if (err)
        err->row = err->col = 0;
    egdi_error_at(err, s->file, s->sheet, s->in_row ? s->row_no : 0, col);
    return st;
}

/* ---- input ------------------------------------------------------------- */

/* Reads more input, keeping buf[pos..end).  Returns EGDI_DONE at the end. */
static egdi_status refill(egdi_xlsx_sheet *s, egdi_error *err)
{
    if (s->eof)
        return EGDI_DONE;
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        s->end -= s->pos;
        s->pos = 0;
    }
    if (s->end == s->cap) {
        if (s->cap >= s->max_buf)
            return fail(s, err, EGDI_ERR_LIMIT, s->in_cell ? s->col : 0,
                        "an XML token in the sheet is longer than the cell text limit "
                        "allows");
        size_t ncap = s->cap * 2 > s->max_buf ? s->max_buf : s->cap * 2;
        char *nb = realloc(s->buf, ncap + 1);
        if (!nb)
            return fail(s, err, EGDI_ERR_NOMEM, 0, "out of memory reading the sheet");
        s->buf = nb;
        s->cap = ncap;
    }
    size_t got = 0;
    egdi_status st = s->read(s->ctx, s->buf + s->end, s->cap - s->end, &got, err);
    if (st != EGDI_OK) {
        egdi_error_at(err, s->file, s->sheet, s->in_row ? s->row_no : 0, 0);
        return st;
    }
    if (got == 0)
        s->eof = true;
    s->end += got;
    s->buf[s->end] = '\0';
    return EGDI_OK;
}

static inline bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* True for the characters that end an attribute name without being part of
 * it or that no name holds: <>&/"' (a switch, not strchr, in the hot loop). */
static inline bool name_stop(char c)
{
    switch (c) {
    case '<': case '>': case '&': case '/': case '"': case '\'':
        return true;
    default:
        return false;
    }
}

/* Index of the '>' ending the tag that starts at p[0] == '<', or 0 when the
 * tag is not complete in p[0..n).  Quoted attribute values may hold '>'. */
static size_t tag_end(const char *p, size_t n)
{
    char q = 0;
    for (size_t i = 1; i < n; i++) {
        char c = p[i];
        if (q) {
            if (c == q)
                q = 0;
        } else if (c == '"' || c == '\'') {
            q = c;
        } else if (c == '>') {
            return i;
        }
    }
    return 0;
}

/* Finds needle in p[0..n); returns its index or SIZE_MAX. */
static size_t find(const char *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++) {
        const char *q = memchr(p + i, needle[0], n - i);
        if (!q)
            return SIZE_MAX;
        i = (size_t)(q - p);
        if (i + k <= n && memcmp(q, needle, k) == 0)
            return i;
    }
    return SIZE_MAX;
}

static uint64_t name_hash(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)p[i]) * 1099511628211ull;
    return h;
}

/* Sets t's name from the tag body p[0..n) (after '<' or '</'); returns the
 * length of the qualified name. */
static size_t set_name(token *t, const char *p, size_t n)
{
    size_t k = 0;
    while (k < n && !is_space(p[k]) && p[k] != '/' && p[k] != '>')
        k++;
    t->hash = name_hash(p, k);
    const char *colon = memchr(p, ':', k);
    t->name = colon ? colon + 1 : p;
    t->nlen = colon ? k - (size_t)(colon + 1 - p) : k;
    return k;
}

/*
 * The next token, complete in the buffer.  Text runs are only kept (and so
 * only need to fit) when want_text; otherwise they are skipped in pieces.
 */
static egdi_status next_token(egdi_xlsx_sheet *s, token *t, bool want_text, egdi_error *err)
{
    for (;;) {
        char *p = s->buf + s->pos;
        size_t n = s->end - s->pos;
        egdi_status st;
        if (n == 0) {
            st = refill(s, err);
            if (st == EGDI_DONE) {
                t->kind = TOK_EOF;
                return EGDI_OK;
            }
            if (st != EGDI_OK)
                return st;
            continue;
        }
        if (!s->started) {
            if (n < 3 && !s->eof) {
                if ((st = refill(s, err)) != EGDI_OK && st != EGDI_DONE)
                    return st;
                continue;
            }
            if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
                s->pos += 3;
            else if (n >= 2 && ((uint8_t)p[0] == 0xFF || (uint8_t)p[0] == 0xFE))
                return fail(s, err, EGDI_ERR_ENCODING, 0,
                            "the sheet XML is UTF-16; only UTF-8 is supported");
            s->started = true;
            continue;
        }
        if (p[0] != '<') {
            const char *lt = memchr(p, '<', n);
            if (lt || (s->eof && !want_text)) {
                size_t k = lt ? (size_t)(lt - p) : n;
                s->pos += k;
                if (!want_text)
                    continue;
                t->kind = TOK_TEXT;
                t->cdata = false;
                t->p = p;
                t->n = k;
                return EGDI_OK;
            }
            if (!want_text) {
                s->pos = s->end;
                continue;
            }
            if (s->eof) {
                t->kind = TOK_EOF;
                return EGDI_OK;
            }
            if ((st = refill(s, err)) != EGDI_OK)
                return st;
            continue;
        }
        /* a markup token: find its end */
        size_t e = SIZE_MAX, skip = 0;
        bool special = n > 1 && (p[1] == '!' || p[1] == '?');
        if (special) {
            if (n >= 9 && memcmp(p, "<!DOCTYPE", 9) == 0)
                return fail(s, err, EGDI_ERR_FORMAT, 0,
                            "the sheet XML has a DOCTYPE; DTDs and entities are refused");
            if (n >= 4 && memcmp(p, "<!--", 4) == 0) {
                e = find(p + 4, n - 4, "-->");
                skip = e == SIZE_MAX ? 0 : e + 7;
            } else if (n >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
                e = find(p + 9, n - 9, "]]>");
                if (e != SIZE_MAX) {
                    s->pos += e + 12;
                    if (!want_text)
                        continue;
                    t->kind = TOK_TEXT;
                    t->cdata = true;
                    t->p = p + 9;
                    t->n = e;
                    return EGDI_OK;
                }
            } else if (p[1] == '?') {
                e = find(p + 2, n - 2, "?>");
                skip = e == SIZE_MAX ? 0 : e + 4;
            } else if (n >= 9) {
                return fail(s, err, EGDI_ERR_FORMAT, 0,
                            "malformed sheet XML: unexpected \"<!\"");
            }
            if (skip) {
                s->pos += skip;
                continue;
            }
        } else if (n > 1) {
            e = tag_end(p, n);
            if (e == 0)
                e = SIZE_MAX;
        }
        if (e == SIZE_MAX) {
            if (s->eof)
                return fail(s, err, EGDI_ERR_FORMAT, 0,
                            "malformed sheet XML: the file ends inside a tag");
            if ((st = refill(s, err)) != EGDI_OK && st != EGDI_DONE)
                return st;
            continue;
        }
        /* p[0..e] is "<...>" */
        s->pos += e + 1;
        if (p[1] == '/') {
            t->kind = TOK_END;
            size_t k = set_name(t, p + 2, e - 2);
            for (size_t i = 2 + k; i < e; i++)
                if (!is_space(p[i]))
                    return fail(s, err, EGDI_ERR_FORMAT, 0,
                                "malformed sheet XML: bad end tag");
        } else {
            bool empty = p[e - 1] == '/';
            size_t body = e - 1 - (empty ? 1 : 0);
            size_t k = set_name(t, p + 1, body);
            t->kind = empty ? TOK_EMPTY : TOK_START;
            t->p = p + 1 + k;
            t->n = body - k;
        }
        if (t->nlen == 0)
            return fail(s, err, EGDI_ERR_FORMAT, 0,
                        "malformed sheet XML: a tag without a name");
        return EGDI_OK;
    }
}

/*
 * Finds the one-letter attributes listed in want ("rts") in a[0..n), by
 * local name: v[k] / vn[k] for want[k], v[k] NULL when absent.  With end
 * NULL the attributes run to n; otherwise a[] is the rest of the input and
 * they end at the tag's '>' (or "/>"), whose index goes to *end.  Returns
 * false when the attributes are malformed or (with end) incomplete.
 */
static bool attrs1(const char *a, size_t n, const char *want, size_t nw, const char **v,
                   size_t *vn, size_t *end)
{
    size_t i = 0;
    for (size_t k = 0; k < nw; k++)
        v[k] = NULL;
    for (;;) {
        while (i < n && is_space(a[i]))
            i++;
        if (i >= n)
            return !end;
        if (end && (a[i] == '>' || (a[i] == '/' && i + 1 < n && a[i + 1] == '>'))) {
            *end = i + (a[i] == '/');
            return true;
        }
        size_t k0 = i;
        while (i < n && a[i] != '=' && !is_space(a[i]) && !name_stop(a[i]))
            i++;
        size_t k1 = i;
        if (k1 == k0)
            return false; /* no name, or a character no name holds */
        while (i < n && is_space(a[i]))
            i++;
        if (i >= n || a[i] != '=')
            return false;
        for (i++; i < n && is_space(a[i]);)
            i++;
        if (i >= n || (a[i] != '"' && a[i] != '\''))
            return false;
        size_t v0 = i + 1, e = v0;
        while (e < n && a[e] != a[i])
            e++;
        if (e >= n)
            return false;
        i = e + 1;
        if (k1 - k0 >= 2 && a[k1 - 2] == ':')
            k0 = k1 - 1;
        if (k1 - k0 != 1)
            continue;
        for (size_t k = 0; k < nw; k++)
            if (want[k] == a[k0]) {
                v[k] = a + v0;
                vn[k] = e - v0;
            }
    }
}

static bool name_is(const token *t, const char *name, size_t n)
{
    return t->nlen == n && memcmp(t->name, name, n) == 0;
}

/* ---- numbers, references, text ---------------------------------------- */

static const double pow10_exact[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                       1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

bool egdi_xlsx_parse_number(const char *s, size_t n, double *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    uint64_t w = 0;
    int digits = 0, scale = 0; /* significant digits kept; value = w * 10^scale */
    size_t nd = 0;
    bool exact = true;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
        if (digits < 19) {
            w = w * 10 + (uint64_t)(s[i] - '0');
            digits += w != 0;
        } else {
            exact = false;
        }
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
            if (digits < 19) {
                w = w * 10 + (uint64_t)(s[i] - '0');
                digits += w != 0;
                scale--;
            } else {
                exact = false;
            }
        }
    }
    if (nd == 0)
        return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        size_t e0 = i;
        int ex = 0;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (ex < 100000)
                ex = ex * 10 + (s[i] - '0');
        if (i == e0)
            return false;
        scale += eneg ? -ex : ex;
    }
    if (i != n)
        return false;
    if (exact && w <= (1ull << 53) && scale >= -22 && scale <= 22) {
        double d = (double)w;
        d = scale < 0 ? d / pow10_exact[-scale] : d * pow10_exact[scale];
        *out = neg ? -d : d;
        return true;
    }
    if (n > MAX_NUM_TEXT)
        return false;
    char tmp[MAX_NUM_TEXT + 1];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    *out = strtod(tmp, NULL); /* the C locale: the library never sets LC_NUMERIC */
    return isfinite(*out);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Writes code point cp as UTF-8 into o; returns the byte count. */
static size_t put_utf8(char *o, uint32_t cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The code unit of an _xHHHH_ escape at s[0..n), or -1. */
static long xescape(const char *s, size_t n)
{
    if (n < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
        return -1;
    long v = 0;
    for (int k = 2; k < 6; k++) {
        int h = hexval(s[k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

size_t egdi_xlsx_unescape(char *s, size_t n)
{
    char *u = n ? memchr(s, '_', n) : NULL;
    if (!u)
        return n;
    size_t i = (size_t)(u - s), o = i;
    while (i < n) {
        long v = s[i] == '_' ? xescape(s + i, n - i) : -1;
        if (v <= 0) { /* not an escape, or _x0000_, kept so no NUL enters a text */
            s[o++] = s[i++];
            continue;
        }
        uint32_t cp = (uint32_t)v;
        size_t used = 7;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = xescape(s + i + 7, n - i - 7);
            if (lo < 0xDC00 || lo > 0xDFFF) {
                s[o++] = s[i++]; /* a lone surrogate stays as written */
                continue;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            used = 14;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            s[o++] = s[i++];
            continue;
        }
        o += put_utf8(s + o, cp);
        i += used;
    }
    return o;
}

bool egdi_xlsx_utf8_valid(const char *str, size_t n)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            uint64_t zero = (w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull;
            if (!(w & 0x8080808080808080ull) && !zero) {
                i += 8;
                continue;
            }
        }
        uint8_t c = s[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k;
        uint32_t cp, min;
        if ((c & 0xE0) == 0xC0) {
            k = 1, cp = c & 0x1Fu, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            k = 2, cp = c & 0x0Fu, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            k = 3, cp = c & 0x07u, min = 0x10000;
        } else {
            return false;
        }
        if (i + k >= n)
            return false;
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + j] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += k + 1;
    }
    return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int64_t *m, int64_t *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

#define EPOCH_1970 25569 /* 1970-01-01 in days since 1899-12-30 */

bool egdi_xlsx_format_date(double days, char out[32])
{
    if (!(days > -693593.0 && days < 2958466.0)) /* years 1..9999 */
        return false;
    int64_t secs = (int64_t)floor(days * 86400.0 + 0.5);
    int64_t day = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t sod = secs - day * 86400;
    int64_t y, m, d;
    civil_from_days(day - EPOCH_1970, &y, &m, &d);
    if (y < 1 || y > 9999)
        return false;
    int r;
    if (sod)
        r = snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02d", (int)y, (int)m, (int)d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    else
        r = snprintf(out, 32, "%04d-%02d-%02d", (int)y, (int)m, (int)d);
    return r > 0 && r < 32;
}

double egdi_xlsx_serial_days(double serial, bool date1904)
{
    if (date1904)
        return serial + EGDI_XLSX_1904_OFFSET;
    return serial < 60.0 && serial >= 0.0 ? serial + 1.0 : serial;
}

/* Parses an ISO 8601 date cell value ("2024-03-01", "...T08:30:00[.5][Z]")
 * into days since 1899-12-30. */
static bool parse_iso(const char *s, size_t n, double *out)
{
    int v[6] = {0};
    static const uint8_t width[6] = {4, 2, 2, 2, 2, 2};
    static const char sep[6] = {'-', '-', 'T', ':', ':', 0};
    size_t i = 0;
    int parts = 0;
    for (int f = 0; f < 6; f++) {
        if (i + width[f] > n)
            return false;
        for (int k = 0; k < width[f]; k++) {
            char c = s[i++];
            if (c < '0' || c > '9')
                return false;
            v[f] = v[f] * 10 + (c - '0');
        }
        parts = f + 1;
        if (i == n || s[i] != sep[f] || (f == 5))
            break;
        i++;
    }
    double frac = 0;
    if (parts == 6 && i < n && s[i] == '.') {
        double scale = 0.1;
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
            frac += (s[i] - '0') * scale;
    }
    if (i < n && s[i] == 'Z')
        i++;
    if (i != n || (parts != 3 && parts != 5 && parts != 6))
        return false;
    if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
        return false;
    int64_t days = days_from_civil(v[0], v[1], v[2]);
    int64_t y, m, d;
    civil_from_days(days, &y, &m, &d);
    if (d != v[2])
        return false; /* 2023-02-30 */
    *out = (double)(days + EPOCH_1970) + (v[3] * 3600.0 + v[4] * 60.0 + v[5] + frac) / 86400.0;
    return true;
}

/* Parses "B12" into col 2, row 12. */
static bool parse_ref(const char *p, size_t n, uint32_t *col, uint32_t *row)
{
    size_t i = 0;
    uint32_t c = 0, r = 0;
    for (; i < n && i < 4; i++) {
        char ch = p[i];
        if (ch >= 'a' && ch <= 'z')
            ch = (char)(ch - 32);
        if (ch < 'A' || ch > 'Z')
            break;
        c = c * 26 + (uint32_t)(ch - 'A' + 1);
    }
    if (i == 0 || i == n || i > 3)
        return false;
    for (size_t d0 = i; i < n; i++) {
        if (p[i] < '0' || p[i] > '9' || i - d0 >= 8)
            return false;
        r = r * 10 + (uint32_t)(p[i] - '0');
    }
    *col = c;
    *row = r;
    return true;
}

static bool parse_uint(const char *p, size_t n, uint32_t *out)
{
    uint64_t v = 0;
    if (n == 0 || n > 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        v = v * 10 + (uint64_t)(p[i] - '0');
    }
    if (v > UINT32_MAX)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* ---- the row ------------------------------------------------------------ */

static egdi_status arena_grow(egdi_xlsx_sheet *s, size_t more, egdi_error *err)
{
    if (s->alen + more > ROW_TEXT_MAX)
        return fail(s, err, EGDI_ERR_LIMIT, s->col, "the row holds more than %u MiB of text",
                    ROW_TEXT_MAX >> 20);
    size_t ncap = s->acap ? s->acap : 4096;
    while (ncap < s->alen + more)
        ncap *= 2;
    char *na = realloc(s->arena, ncap);
    if (!na)
        return fail(s, err, EGDI_ERR_NOMEM, s->col, "out of memory reading the sheet");
    s->arena = na;
    s->acap = ncap;
    return EGDI_OK;
}

static inline egdi_status arena_reserve(egdi_xlsx_sheet *s, size_t more, egdi_error *err)
{
    return s->alen + more <= s->acap ? EGDI_OK : arena_grow(s, more, err);
}

/* Appends the text run p[0..n) to the current cell, decoding entities. */
static egdi_status add_text(egdi_xlsx_sheet *s, const char *p, size_t n, bool cdata,
                            egdi_error *err)
{
    egdi_status st = arena_reserve(s, n + 1, err);
    if (st != EGDI_OK)
        return st;
    char *o = s->arena + s->alen;
    const char *amp = cdata ? NULL : memchr(p, '&', n);
    if (!amp) {
        memcpy(o, p, n);
        s->alen += n;
    } else {
        size_t i = 0, k = 0;
        while (i < n) {
            if (p[i] != '&') {
                o[k++] = p[i++];
                continue;
            }
            const char *semi = memchr(p + i, ';', n - i < 12 ? n - i : 12);
            if (!semi)
                return fail(s, err, EGDI_ERR_FORMAT, s->col,
                            "malformed sheet XML: a bare \"&\" in text");
            const char *e = p + i + 1;
            size_t el = (size_t)(semi - e);
            uint32_t cp = 0;
            if (el == 3 && memcmp(e, "amp", 3) == 0)
                cp = '&';
            else if (el == 2 && memcmp(e, "lt", 2) == 0)
                cp = '<';
            else if (el == 2 && memcmp(e, "gt", 2) == 0)
                cp = '>';
            else if (el == 4 && memcmp(e, "quot", 4) == 0)
                cp = '"';
            else if (el == 4 && memcmp(e, "apos", 4) == 0)
                cp = '\'';
            else if (el >= 2 && e[0] == '#') {
                bool hex = e[1] == 'x';
                size_t j = hex ? 2 : 1;
                if (j == el)
                    cp = 0;
                for (; j < el && cp <= 0x10FFFF; j++) {
                    int h = hex ? hexval(e[j]) : (e[j] >= '0' && e[j] <= '9' ? e[j] - '0' : -1);
                    if (h < 0) {
                        cp = 0;
                        break;
                    }
                    cp = cp * (hex ? 16u : 10u) + (uint32_t)h;
                }
                if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                    cp = 0;
            }
            if (cp == 0)
                return fail(s, err, EGDI_ERR_FORMAT, s->col,
                            "malformed sheet XML: an unknown or invalid entity \"&%.*s;\"",
                            (int)el, e);
            k += put_utf8(o + k, cp);
            i += el + 2;
        }
        s->alen += k;
    }
    if (s->alen - s->tstart > s->lim.max_cell_bytes)
        return fail(s, err, EGDI_ERR_LIMIT, s->col,
                    "cell text is longer than the limit");
    return EGDI_OK;
}

/* Makes room for column col (1-based) and fills the gap with EMPTY cells. */
static egdi_status row_slot(egdi_xlsx_sheet *s, uint32_t col, egdi_error *err)
{
    if (col > s->ncap) {
        size_t ncap = s->ncap ? s->ncap : 64;
        while (ncap < col)
            ncap *= 2;
        egdi_cell *nc = realloc(s->cells, ncap * sizeof *nc);
        if (!nc)
            return fail(s, err, EGDI_ERR_NOMEM, col, "out of memory reading the sheet");
        s->cells = nc;
        size_t *no = realloc(s->off, ncap * sizeof *no);
        if (!no)
            return fail(s, err, EGDI_ERR_NOMEM, col, "out of memory reading the sheet");
        s->off = no;
        s->ncap = ncap;
    }
    while (s->filled < col) {
        s->cells[s->filled] = (egdi_cell){0};
        s->off[s->filled++] = NO_OFF;
    }
    return EGDI_OK;
}

static egdi_status start_row(egdi_xlsx_sheet *s, const token *t, egdi_error *err)
{
    const char *v;
    size_t vn;
    s->in_row = true;
    s->ncells = s->filled = s->alen = 0;
    s->prev_col = 0;
    if (!attrs1(t->p, t->n, "r", 1, &v, &vn, NULL))
        return fail(s, err, EGDI_ERR_FORMAT, 0, "malformed sheet XML: bad <row> attributes");
    if (v) {
        uint32_t r;
        if (!parse_uint(v, vn, &r) || r == 0 || r > EGDI_XLSX_MAX_ROW) {
            s->row_no = 0;
            return fail(s, err, EGDI_ERR_FORMAT, 0, "bad row number r=\"%.*s\"",
                        (int)(vn < 20 ? vn : 20), v);
        }
        s->row_no = r;
    } else {
        s->row_no = 0; /* from the first cell, else the previous row + 1 */
    }
    return EGDI_OK;
}

/* Checks the row number now that it is known. */
static egdi_status check_row_no(egdi_xlsx_sheet *s, egdi_error *err)
{
    if (s->row_no <= s->prev_row)
        return fail(s, err, EGDI_ERR_FORMAT, 0, "rows out of order (a row number repeats or goes back)");
    if (s->row_no > s->lim.max_rows)
        return fail(s, err, EGDI_ERR_LIMIT, 0, "the sheet has more rows than the limit");
    return EGDI_OK;
}

/* Starts a cell from the r, t and s attributes of its <c> tag. */
static egdi_status start_cell(egdi_xlsx_sheet *s, const char *const *av, const size_t *avn,
                              egdi_error *err)
{
    const char *v = av[0];
    size_t vn = avn[0];
    uint32_t col = s->prev_col + 1;
    if (v) {
        uint32_t r;
        if (!parse_ref(v, vn, &col, &r) || col > EGDI_XLSX_MAX_COL || r == 0 ||
            r > EGDI_XLSX_MAX_ROW) {
            char ref[24];
            snprintf(ref, sizeof ref, "%.*s", (int)(vn < 16 ? vn : 16), v);
            return fail(s, err, EGDI_ERR_FORMAT, 0,
                        "bad cell reference \"%s\" (beyond XFD1048576 or not A1 style)", ref);
        }
        if (s->row_no == 0) {
            s->row_no = r;
            egdi_status st = check_row_no(s, err);
            if (st != EGDI_OK)
                return st;
        } else if (r != s->row_no) {
            return fail(s, err, EGDI_ERR_FORMAT, col, "the cell %.*s is not in row %u", (int)vn, v,
                        s->row_no);
        }
    }
    if (s->row_no == 0) {
        s->row_no = s->prev_row + 1;
        egdi_status st = check_row_no(s, err);
        if (st != EGDI_OK)
            return st;
    }
    if (col <= s->prev_col)
        return fail(s, err, EGDI_ERR_FORMAT, col, "cells out of order in the row");
    if (col > s->lim.max_cols)
        return fail(s, err, EGDI_ERR_LIMIT, col, "the sheet has more columns than the limit");
    if (col > EGDI_XLSX_MAX_COL)
        return fail(s, err, EGDI_ERR_FORMAT, 0, "a cell beyond column XFD");
    s->col = s->prev_col = col;
    s->kind = T_N;
    if ((v = av[1]) != NULL) {
        vn = avn[1];
        static const struct { const char *name; size_t len; cell_kind kind; } kinds[] = {
            {"n", 1, T_N}, {"s", 1, T_S}, {"str", 3, T_STR}, {"inlineStr", 9, T_INLINE},
            {"b", 1, T_B}, {"e", 1, T_E}, {"d", 1, T_D}};
        size_t k = 0, nk = sizeof kinds / sizeof kinds[0];
        for (; k < nk; k++)
            if (kinds[k].len == vn && (vn == 1 ? kinds[k].name[0] == v[0]
                                                : memcmp(kinds[k].name, v, vn) == 0))
                break;
        if (k == nk) {
            char ty[24];
            snprintf(ty, sizeof ty, "%.*s", (int)(vn < 16 ? vn : 16), v);
            return fail(s, err, EGDI_ERR_FORMAT, col, "unknown cell type t=\"%s\"", ty);
        }
        s->kind = kinds[k].kind;
    }
    s->xf = 0;
    uint32_t xf;
    if (av[2] && parse_uint(av[2], avn[2], &xf) && xf < s->book->nxf)
        s->xf = s->book->xf[xf];
    s->in_cell = true;
    s->in_is = s->in_rph = s->collect = false;
    s->has_v = s->has_is = s->has_f = false;
    s->tstart = s->alen;
    return EGDI_OK;
}

/* Sets the current cell from its collected text. */
static egdi_status end_cell(egdi_xlsx_sheet *s, egdi_error *err)
{
    s->in_cell = s->in_is = s->collect = false;
    size_t n = s->alen - s->tstart;
    if (n == 0 && s->has_f && !s->has_v && !s->has_is)
        return fail(s, err, EGDI_ERR_FORMAT, s->col,
                    "a formula without a cached value (the file was not saved by a "
                    "spreadsheet): open and save it in a spreadsheet, then import it again");
    if (n == 0)
        return EGDI_OK; /* no value: an empty (perhaps styled) cell */
    char *txt = s->arena + s->tstart;
    size_t off = s->tstart;
    char lit[40];
    egdi_status st = row_slot(s, s->col, err);
    if (st != EGDI_OK)
        return st;
    egdi_cell *c = &s->cells[s->col - 1]; /* EMPTY until the end */
    if (s->kind != T_S && s->kind != T_N && !egdi_xlsx_utf8_valid(txt, n))
        return fail(s, err, EGDI_ERR_ENCODING, s->col, "invalid UTF-8 in a cell");
    switch (s->kind) {
    case T_N:
        if (!egdi_xlsx_parse_number(txt, n, &c->num)) {
            snprintf(lit, sizeof lit, "%.*s", (int)(n < 24 ? n : 24), txt);
            return fail(s, err, EGDI_ERR_FORMAT, s->col, "\"%s\" is not a number", lit);
        }
        c->type = EGDI_CELL_NUMBER;
        if (s->xf & EGDI_XLSX_XF_DATE) {
            double days = egdi_xlsx_serial_days(c->num, s->book->date1904);
            if (egdi_xlsx_format_date(days, lit)) {
                c->type = EGDI_CELL_DATE;
                c->num = days;
                s->alen = s->tstart;
                n = strlen(lit);
                if (arena_reserve(s, n + 1, err) != EGDI_OK)
                    return EGDI_ERR_NOMEM;
                memcpy(s->arena + s->alen, lit, n);
                s->alen += n;
            }
        } else {
            c->percent = (s->xf & EGDI_XLSX_XF_PERCENT) != 0;
        }
        break;
    case T_S: {
        uint32_t i;
        if (!parse_uint(txt, n, &i) || i >= s->book->nsst) {
            snprintf(lit, sizeof lit, "%.*s", (int)(n < 24 ? n : 24), txt);
            return fail(s, err, EGDI_ERR_FORMAT, s->col,
                        "shared string index \"%s\" does not exist", lit);
        }
        s->alen = s->tstart;
        if (s->book->sst_len[i] == 0)
            return EGDI_OK;
        c->type = EGDI_CELL_TEXT;
        c->text = s->book->sst + s->book->sst_off[i];
        c->len = s->book->sst_len[i];
        off = NO_OFF;
        break;
    }
    case T_STR:
    case T_INLINE:
    case T_E:
        n = egdi_xlsx_unescape(txt, n);
        s->alen = s->tstart + n;
        if (n == 0)
            return EGDI_OK;
        c->type = s->kind == T_E ? EGDI_CELL_ERROR : EGDI_CELL_TEXT;
        break;
    case T_B:
        if (n != 1 || (txt[0] != '0' && txt[0] != '1'))
            return fail(s, err, EGDI_ERR_FORMAT, s->col, "bad boolean cell value");
        c->type = EGDI_CELL_BOOL;
        c->num = txt[0] - '0';
        break;
    case T_D: {
        if (!parse_iso(txt, n, &c->num) || !egdi_xlsx_format_date(c->num, lit)) {
            snprintf(lit, sizeof lit, "%.*s", (int)(n < 24 ? n : 24), txt);
            return fail(s, err, EGDI_ERR_FORMAT, s->col, "\"%s\" is not an ISO 8601 date", lit);
        }
        c->type = EGDI_CELL_DATE;
        s->alen = s->tstart;
        n = strlen(lit);
        if (arena_reserve(s, n + 1, err) != EGDI_OK)
            return EGDI_ERR_NOMEM;
        memcpy(s->arena + s->alen, lit, n);
        s->alen += n;
        break;
    }
    }
    if (off != NO_OFF) {
        c->len = s->alen - s->tstart;
        s->arena[s->alen++] = '\0';
    }
    s->off[s->col - 1] = off;
    s->ncells = s->col;
    return EGDI_OK;
}

/* Finishes the row: sets text pointers into the arena. */
static void end_row(egdi_xlsx_sheet *s, egdi_row *row)
{
    for (size_t i = 0; i < s->ncells; i++)
        if (s->off[i] != NO_OFF)
            s->cells[i].text = s->arena + s->off[i];
    row->number = s->row_no;
    row->ncells = s->ncells;
    row->cells = s->cells;
    s->prev_row = s->row_no;
    s->in_row = false;
}

/* ---- the state machine --------------------------------------------------- */

/*
 * The fast path for the common cell shapes, complete in the buffer:
 * <c .../>, <c ...><v>TEXT</v></c> and <c ...><is><t>TEXT</t></is></c>.
 * Sets *handled when it consumed a cell; anything else is left to the
 * general tokenizer, which gives the same result more slowly.
 */
static egdi_status fast_cell(egdi_xlsx_sheet *s, bool *handled, egdi_error *err)
{
    const char *p = s->buf + s->pos, *end = s->buf + s->end, *av[3];
    size_t avn[3], e;
    *handled = false;
    if (end - p < 4 || p[0] != '<' || p[1] != 'c' || (p[2] != ' ' && p[2] != '>' && p[2] != '/'))
        return EGDI_OK;
    if (!attrs1(p + 2, (size_t)(end - p - 2), "rts", 3, av, avn, &e))
        return EGDI_OK;
    e += 2;
    bool empty = p[e - 1] == '/', is_v = false;
    const char *t0 = NULL, *t1 = NULL, *after = p + e + 1;
    size_t cn = 0;
    if (!empty) {
        if (end - after >= 3 && memcmp(after, "<v>", 3) == 0)
            t0 = after + 3, cn = 8, is_v = true;
        else if (end - after >= 7 && memcmp(after, "<is><t>", 7) == 0)
            t0 = after + 7, cn = 13;
        else
            return EGDI_OK;
        for (t1 = t0; t1 < end && t1 < t0 + 16 && *t1 != '<'; t1++)
            ;
        if (t1 == t0 + 16 && !(t1 = memchr(t1, '<', (size_t)(end - t1))))
            return EGDI_OK;
        /* constant-length compares, which the compiler inlines */
        if (end - t1 < (ptrdiff_t)cn ||
            (is_v ? memcmp(t1, "</v></c>", 8) : memcmp(t1, "</t></is></c>", 13)) != 0)
            return EGDI_OK;
        after = t1 + cn;
    }
    *handled = true;
    egdi_status st = start_cell(s, av, avn, err);
    if (st == EGDI_OK && t0)
        st = add_text(s, t0, (size_t)(t1 - t0), false, err);
    if (st == EGDI_OK)
        st = end_cell(s, err);
    s->pos = (size_t)(after - s->buf);
    return st;
}

egdi_status egdi_xlsx_sheet_next(egdi_xlsx_sheet *s, egdi_row *row, egdi_error *err)
{
    token t;
    egdi_status st;
    if (s->done)
        return EGDI_DONE;
    for (;;) {
        if (s->in_row && !s->in_cell && s->depth + 3 <= s->lim.max_depth) {
            bool handled;
            if ((st = fast_cell(s, &handled, err)) != EGDI_OK)
                return st;
            if (handled)
                continue;
        }
        if ((st = next_token(s, &t, s->collect, err)) != EGDI_OK)
            return st;
        switch (t.kind) {
        case TOK_EOF:
            return fail(s, err, EGDI_ERR_FORMAT, 0, "malformed sheet XML: %s",
                        s->in_data ? "the file ends inside <sheetData> (truncated?)"
                                   : "no <sheetData>");
        case TOK_TEXT:
            if (s->collect && (st = add_text(s, t.p, t.n, t.cdata, err)) != EGDI_OK)
                return st;
            break;
        case TOK_START:
            if (s->depth >= s->lim.max_depth)
                return fail(s, err, EGDI_ERR_LIMIT, 0,
                            "the sheet XML nests deeper than the limit");
            s->stack[s->depth++] = t.hash;
            /* fall through */
        case TOK_EMPTY:
            if (!s->in_data) {
                if (name_is(&t, "sheetData", 9)) {
                    if (t.kind == TOK_EMPTY) {
                        s->done = true;
                        return EGDI_DONE;
                    }
                    s->in_data = true;
                }
            } else if (name_is(&t, "c", 1)) {
                if (!s->in_row || s->in_cell)
                    return fail(s, err, EGDI_ERR_FORMAT, 0,
                                "malformed sheet XML: <c> outside a <row>");
                const char *av[3];
                size_t avn[3];
                if (!attrs1(t.p, t.n, "rts", 3, av, avn, NULL))
                    return fail(s, err, EGDI_ERR_FORMAT, 0,
                                "malformed sheet XML: bad <c> attributes");
                if ((st = start_cell(s, av, avn, err)) != EGDI_OK)
                    return st;
                if (t.kind == TOK_EMPTY && (st = end_cell(s, err)) != EGDI_OK)
                    return st;
            } else if (name_is(&t, "row", 3)) {
                if (s->in_row)
                    return fail(s, err, EGDI_ERR_FORMAT, 0,
                                "malformed sheet XML: a <row> inside a row");
                if ((st = start_row(s, &t, err)) != EGDI_OK)
                    return st;
                if (s->row_no && (st = check_row_no(s, err)) != EGDI_OK)
                    return st;
                if (t.kind == TOK_EMPTY) {
                    s->prev_row = s->row_no ? s->row_no : s->prev_row + 1;
                    s->in_row = false;
                }
            } else if (s->in_cell && s->collect) {
                /* <v> and <t> hold text only: <v>5<b/>6</v> is not 56 */
                return fail(s, err, EGDI_ERR_FORMAT, s->col,
                            "malformed sheet XML: an element <%.*s> inside a cell's value",
                            (int)(t.nlen < 16 ? t.nlen : 16), t.name);
            } else if (s->in_cell && (name_is(&t, "v", 1) || name_is(&t, "is", 2))) {
                if (s->has_v || s->has_is) /* two values: <v>5</v><v>6</v> is not 56 */
                    return fail(s, err, EGDI_ERR_FORMAT, s->col,
                                "malformed sheet XML: the cell has two values");
                bool v = name_is(&t, "v", 1);
                s->has_v = v;
                s->has_is = !v;
                if (t.kind == TOK_START) {
                    /* (an inline string's text is in <is>, but a <v> says it too) */
                    s->collect = v;
                    s->in_is = !v;
                }
            } else if (s->in_cell && name_is(&t, "f", 1)) {
                s->has_f = true;
            } else if (s->in_cell && t.kind == TOK_START) {
                if (name_is(&t, "t", 1))
                    s->collect = s->in_is && !s->in_rph;
                else if (name_is(&t, "rPh", 3))
                    s->in_rph = true;
            }
            break;
        case TOK_END:
            if (s->depth == 0 || s->stack[s->depth - 1] != t.hash)
                return fail(s, err, EGDI_ERR_FORMAT, 0,
                            "malformed sheet XML: an end tag does not match its start tag");
            s->depth--;
            if (!s->in_data)
                break;
            if (s->in_cell) {
                if (name_is(&t, "c", 1)) {
                    if ((st = end_cell(s, err)) != EGDI_OK)
                        return st;
                } else if (name_is(&t, "v", 1) || name_is(&t, "t", 1)) {
                    s->collect = false;
                } else if (name_is(&t, "rPh", 3)) {
                    s->in_rph = false;
                } else if (name_is(&t, "is", 2)) {
                    s->in_is = false;
                }
            } else if (name_is(&t, "row", 3)) {
                if (!s->in_row)
                    break;
                if (s->row_no == 0) {
                    s->row_no = s->prev_row + 1;
                    if ((st = check_row_no(s, err)) != EGDI_OK)
                        return st;
                }
                if (s->ncells) {
                    end_row(s, row);
                    return EGDI_OK;
                }
                s->prev_row = s->row_no;
                s->in_row = false;
            } else if (name_is(&t, "sheetData", 9)) {
                s->done = true;
                return EGDI_DONE;
            }
            break;
        }
    }
}

egdi_status egdi_xlsx_sheet_new(egdi_xlsx_sheet **out, egdi_xlsx_read_fn read, void *ctx,
                                const egdi_xlsx_book *book, const egdi_limits *limits,
                                const char *file, const char *sheet, egdi_error *err)
{
    *out = NULL;
    egdi_xlsx_sheet *s = calloc(1, sizeof *s);
    if (!s)
        goto nomem;
    s->read = read;
    s->ctx = ctx;
    s->book = book;
    s->lim = *limits;
    s->file = file;
    s->sheet = sheet;
    /* the longest token: a cell's text with every character an entity */
    s->max_buf = (size_t)limits->max_cell_bytes * 8 + TOKEN_SLACK;
    s->cap = s->max_buf < BUF_INITIAL ? s->max_buf : BUF_INITIAL;
    s->buf = malloc(s->cap + 1);
    uint32_t depth = limits->max_depth > 4096 ? 4096 : limits->max_depth;
    s->lim.max_depth = depth;
    s->stack = malloc((depth + 1) * sizeof *s->stack);
    if (!s->buf || !s->stack)
        goto nomem;
    *out = s;
    return EGDI_OK;
nomem:
    egdi_xlsx_sheet_free(s);
    egdi_error_at(err, file, sheet, 0, 0);
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory opening the sheet");
}

void egdi_xlsx_sheet_free(egdi_xlsx_sheet *s)
{
    if (!s)
        return;
    free(s->buf);
    free(s->stack);
    free(s->cells);
    free(s->off);
    free(s->arena);
    free(s);
}
