/*
 * error_text.c - the engine's error messages in the language read.
 *
 * The engine writes its messages in English from printf formats
 * (egdi_error_set) and knows no language.  Under zh a message is matched
 * against the catalogue of those formats (cli/i18n_errors.c, {English
 * format, Chinese format}): the literal text of a format must be the
 * message's, each conversion takes the text it produced (%s any text, %d
 * %u %zu %g %.2f... a number, %c one character).  Of the formats that
 * match, the one with the most literal text wins (then the one with more
 * conversions that take a number, then more conversions); its Chinese is written
 * with the captured texts in the order of the conversions, each %s's text
 * translated in turn (a message that wraps another: "%s: %s"); a Chinese
 * conversion may name its argument ("%2$s") where Chinese wants another
 * order.  A message
 * no format matches is left as it is.  No state but cli_msg's buffers.
 */
#include "cli/cli.h"
#include "cli/i18n_private.h"

#include <stdio.h>
#include <string.h>

#define MAX_CAPS  16 /* conversions a format may have */
#define MAX_DEPTH 4  /* messages inside messages */

typedef struct {
    char conv;    /* 's', 'd', 'f', 'c'... */
    int pos;      /* "%2$s": the argument's number (1-based), 0 without one */
    int prec;     /* the precision, -1 without one */
    const char *end; /* past the conversion */
} conv_spec;

typedef struct {
    const char *at;
    size_t len;
    char conv;
} capture;

/* The conversion that starts at p (just past its '%'); conv 0 when none. */
static conv_spec read_conv(const char *p)
{
    conv_spec c = {0, 0, -1, p};
    const char *q = p;
    int pos = 0;
    while (*q >= '0' && *q <= '9')
        pos = pos * 10 + (*q++ - '0');
    if (*q == '$' && q > p) {
        c.pos = pos;
        p = q + 1;
    }
    while (*p && strchr("-+ #0'", *p))
        p++;
    if (*p == '*')
        p++;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p == '.') {
        p++;
        c.prec = 0;
        if (*p == '*')
            p++, c.prec = -1;
        while (*p >= '0' && *p <= '9')
            c.prec = c.prec * 10 + (*p++ - '0');
    }
    while (*p && strchr("hlzjtL", *p))
        p++;
    if (*p && strchr("diouxXeEfFgGaAcsp", *p)) {
        c.conv = *p;
        c.end = p + 1;
    }
    return c;
}

/* How many bytes at t a number of conversion conv may take: the longest
 * run of its characters (leading spaces of a width included). */
static size_t number_run(char conv, const char *t)
{
    const char *p = t;
    while (*p == ' ')
        p++;
    if (strchr("eEfFgGaA", conv) &&
        (strncmp(p, "nan", 3) == 0 || strncmp(p, "inf", 3) == 0 || strncmp(p, "-inf", 4) == 0))
        return (size_t)(p - t) + (p[0] == '-' ? 4 : 3);
    const char *digits = strchr("xXp", conv) ? "0123456789abcdefABCDEFx"
                         : strchr("eEfFgGaA", conv) ? "0123456789.eE+-"
                                                    : "0123456789";
    if (*p == '-' || *p == '+')
        p++;
    const char *q = p;
    while (*q && strchr(digits, *q))
        q++;
    return q > p ? (size_t)(q - t) : 0;
}

/* The bytes of the UTF-8 character at t (1 for a broken one). */
static size_t char_len(const char *t)
{
    unsigned char c = (unsigned char)*t;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)t[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

/* Does message t match format f?  Fills caps (from caps[n] on) and *ncaps. */
static bool match(const char *f, const char *t, capture *caps, size_t n, size_t *ncaps)
{
    while (*f) {
        if (*f != '%' || f[1] == '%') {
            if (*t != *f)
                return false;
            f += *f == '%' ? 2 : 1;
            t++;
            continue;
        }
        conv_spec c = read_conv(f + 1);
        if (!c.conv || n >= MAX_CAPS)
            return false;
        caps[n].at = t;
        caps[n].conv = c.conv;
        if (c.conv == 's') {
            size_t most = strlen(t);
            if (c.prec >= 0 && (size_t)c.prec < most)
                most = (size_t)c.prec;
            if (!*c.end) { /* the format's last: the rest of the message */
                if (strlen(t) > most)
                    return false;
                caps[n].len = most;
                *ncaps = n + 1;
                return true;
            }
            /* the shortest text first: "%s: %s" splits at the first ": " */
            char next = *c.end == '%' ? 0 : *c.end;
            if (!next) {
                /* "%s%s": the second is an added clause (" (or is there
                 * twice)", "; did you mean X?"): split before one first */
                for (size_t k = 1; k <= most; k++) {
                    if (!t[k] || !strchr(" ,;", t[k]) || (t[k] == ' ' && t[k + 1] != '('))
                        continue;
                    caps[n].len = k;
                    if (match(c.end, t + k, caps, n + 1, ncaps))
                        return true;
                }
            }
            for (size_t k = 0; k <= most; k++) {
                if (next && t[k] != next)
                    continue;
                caps[n].len = k;
                if (match(c.end, t + k, caps, n + 1, ncaps))
                    return true;
                if (next == '"')
                    return false; /* a quoted text ends at its quote */
            }
            return false;
        }
        size_t most = c.conv == 'c' ? (*t ? char_len(t) : 0) : number_run(c.conv, t);
        for (size_t k = most; k > 0; k--) {
            caps[n].len = k;
            if (match(c.end, t + k, caps, n + 1, ncaps))
                return true;
            if (c.conv == 'c')
                break;
        }
        return false;
    }
    if (*t)
        return false;
    *ncaps = n;
    return true;
}

/* How closely a format pins a message down: its literal bytes (its text
 * without the conversions) first, then its conversions that take a number
 * or a character, not any text ("group %zu" before "group %s"), then its
 * conversions ("\"%s/%s%s\"" before "\"%s/%s\"": the finer split). */
static size_t literal_len(const char *f)
{
    size_t n = 0, exact = 0, convs = 0;
    for (const char *p = f; *p;) {
        if (*p == '%' && p[1] != '%') {
            conv_spec c = read_conv(p + 1);
            if (c.conv) {
                exact += c.conv != 's';
                convs++;
                p = c.end;
                continue;
            }
        }
        p += *p == '%' ? 2 : 1;
        n++;
    }
    exact = exact < 15 ? exact : 15;
    convs = convs < 15 ? convs : 15;
    return n ? n * 256 + exact * 16 + convs : 0;
}

/* Quick refusals: the format's text before its first conversion must
 * begin the message, its text after the last must end it. */
static bool may_match(const char *f, const char *t, size_t tlen)
{
    const char *pc = strchr(f, '%');
    size_t head = pc ? (size_t)(pc - f) : strlen(f);
    if (strncmp(f, t, head) != 0)
        return false;
    if (!pc)
        return f[head] == '\0' && t[head] == '\0';
    const char *last = strrchr(f, '%');
    conv_spec c = read_conv(last + 1);
    if (!c.conv)
        return true; /* ends in "%%": leave it to match() */
    size_t tail = strlen(c.end);
    return tail <= tlen && memcmp(c.end, t + tlen - tail, tail) == 0;
}

/* Appends n bytes of s to buf at *at (cut at the end of the buffer). */
static void put(char *buf, size_t size, size_t *at, const char *s, size_t n)
{
    if (*at + 1 >= size)
        return;
    if (n > size - 1 - *at)
        n = size - 1 - *at;
    memcpy(buf + *at, s, n);
    *at += n;
    buf[*at] = '\0';
}

static const char *translate(const char *msg, char *buf, size_t size, int depth);

/* Writes the Chinese format zh with the captures in its conversions. */
static void render(const char *zh, const capture *caps, size_t ncaps, char *buf, size_t size,
                   int depth)
{
    size_t at = 0, i = 0;
    buf[0] = '\0';
    for (const char *p = zh; *p;) {
        if (*p != '%' || p[1] == '%') {
            put(buf, size, &at, p, 1);
            p += *p == '%' ? 2 : 1;
            continue;
        }
        conv_spec c = read_conv(p + 1);
        if (!c.conv) {
            put(buf, size, &at, p++, 1);
            continue;
        }
        p = c.end;
        size_t which = c.pos > 0 ? (size_t)c.pos - 1 : i++;
        if (which >= ncaps)
            continue;
        const capture *k = &caps[which];
        if (c.conv != 's') {
            put(buf, size, &at, k->at, k->len);
            continue;
        }
        char text[EGDI_ERR_MSG_MAX + EGDI_ERR_FILE_MAX], inner[sizeof text];
        size_t len = k->len < sizeof text - 1 ? k->len : sizeof text - 1;
        memcpy(text, k->at, len);
        text[len] = '\0';
        const char *done = translate(text, inner, sizeof inner, depth + 1);
        size_t n = strlen(done);
        if (c.prec >= 0 && (size_t)c.prec < n)
            n = (size_t)c.prec; /* "%.0s": the English plural's "s" */
        put(buf, size, &at, done, n);
    }
}

static const char *translate(const char *msg, char *buf, size_t size, int depth)
{
    if (depth > MAX_DEPTH || !*msg)
        return msg;
    size_t tlen = strlen(msg), best_lit = 0, best_n = 0;
    const cli_tr_pair *best = NULL;
    capture caps[MAX_CAPS], best_caps[MAX_CAPS];
    for (size_t i = 0; i < cli_tr_errors_n; i++) {
        const cli_tr_pair *p = &cli_tr_errors[i];
        size_t lit = literal_len(p->en), n = 0;
        if (lit == 0 || lit <= best_lit || !may_match(p->en, msg, tlen))
            continue;
        /* "%s; %s" does not read "; did you mean X?" as an empty text and
         * another: a format's first text is not empty */
        if (p->en[0] == '%' && p->en[1] == 's' && p->en[2] && p->en[2] != '%' &&
            msg[0] == p->en[2])
            continue;
        if (match(p->en, msg, caps, 0, &n)) {
            best = p;
            best_lit = lit;
            best_n = n;
            memcpy(best_caps, caps, n * sizeof *caps);
        }
    }
    if (!best)
        return msg;
    render(best->zh, best_caps, best_n, buf, size, depth);
    return buf;
}

const char *cli_msg_into(const char *msg, char *buf, size_t size)
{
    if (size == 0 || cli_lang_now() != CLI_ZH)
        return msg;
    const char *t = translate(msg, buf, size, 0);
    if (t != buf)
        snprintf(buf, size, "%s", msg);
    return buf;
}

const char *cli_msg(const char *msg)
{
    static char ring[4][EGDI_ERR_MSG_MAX * 2];
    static unsigned next;
    char *buf = ring[next++ % 4];
    return cli_msg_into(msg, buf, sizeof ring[0]);
}

int cli_error_line(const egdi_error *err, char *buf, size_t size)
{
    if (cli_lang_now() != CLI_ZH)
        return egdi_error_format(err, buf, size);
    char where[EGDI_ERR_FILE_MAX + EGDI_ERR_SHEET_MAX + 64] = "", letters[8];
    size_t w = 0;
    const char *sep = "";
    int k;
    if (err->file[0]) {
        k = snprintf(where, sizeof where, "文件 %s", err->file);
        w = k > 0 && (size_t)k < sizeof where ? (size_t)k : strlen(where);
        sep = "，";
    }
    if (err->sheet[0]) {
        k = snprintf(where + w, sizeof where - w, "%s工作表 \"%s\"", sep, err->sheet);
        w = k > 0 && (size_t)k < sizeof where - w ? w + (size_t)k : strlen(where);
        sep = "，";
    }
    if (err->row) {
        k = snprintf(where + w, sizeof where - w, "%s第 %u 行", sep, (unsigned)err->row);
        w = k > 0 && (size_t)k < sizeof where - w ? w + (size_t)k : strlen(where);
        sep = "，";
    }
    if (err->col) {
        k = snprintf(where + w, sizeof where - w, "%s%s 列", sep,
                     egdi_error_col_letters(err->col, letters));
        w = k > 0 && (size_t)k < sizeof where - w ? w + (size_t)k : strlen(where);
    }
    char msg[EGDI_ERR_MSG_MAX * 2];
    cli_msg_into(err->message, msg, sizeof msg);
    if (w)
        return snprintf(buf, size, "%s：%s", where, msg);
    return snprintf(buf, size, "%s", msg);
}
