/*
 * value.c - numbers and yes/no answers as people type them into cells
 * (value.h).
 *
 * egdi_value_number() walks the text once, code point by code point, and
 * writes the number it reads as plain ASCII ("-1234567.5e3") into a small
 * buffer on the stack: full-width digits, signs and points become ASCII,
 * thousands separators are checked and dropped, a trailing percent sign is
 * noted.  The ASCII text is then turned into a double exactly as strtod()
 * in the C locale would: directly when the digits fit the exact fast case
 * (at most 15 significant digits and a power of ten up to 22, where one
 * IEEE multiplication or division is correctly rounded), else with strtod()
 * after putting the current locale's decimal point in place of '.'.
 *
 * Nothing is allocated; the reasons returned through *why are static text.
 */
#include "engine/core/value.h"

#include <errno.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NUM_MAX_TEXT 400 /* longest normalised number accepted */

/* Decodes one UTF-8 code point at t[*i] (i < n) and advances *i; a byte that
 * does not start a valid sequence decodes as U+FFFD, one byte long. */
static uint32_t next_cp(const unsigned char *t, size_t n, size_t *i)
{
    unsigned char c = t[*i];
    if (c < 0x80) {
        (*i)++;
        return c;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || n - *i < len) {
        (*i)++;
        return 0xFFFD;
    }
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((t[*i + k] & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = (cp << 6) | (t[*i + k] & 0x3F);
    }
    *i += len;
    return cp;
}

static bool is_space_cp(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 ||
           cp == 0xA0;
}

/* The digit 0-9 of an ASCII or full-width digit, else -1. */
static int digit_of(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return (int)(cp - '0');
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return (int)(cp - 0xFF10);
    return -1;
}

/* Trims white space (is_space_cp) from both ends of t[0..*n); returns the
 * new start and sets *n to the trimmed length. */
static const unsigned char *trim(const unsigned char *t, size_t *n)
{
    size_t a = 0, b = *n;
    while (a < b) {
        size_t i = a;
        if (!is_space_cp(next_cp(t, b, &i)))
            break;
        a = i;
    }
    while (b > a) {
        size_t j = b - 1; /* find the start of the last code point */
        while (j > a && (t[j] & 0xC0) == 0x80 && b - j < 4)
            j--;
        size_t i = j;
        uint32_t cp = next_cp(t, b, &i);
        if (i != b || !is_space_cp(cp))
            break;
        b = j;
    }
    *n = b - a;
    return t + a;
}

static const double exact_pow10[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/*
 * The double nearest to the ASCII number in buf (sign, digits, '.', e...),
 * as strtod gives it in the C locale.  Returns false when it is out of the
 * range of a double.
 */
static bool ascii_to_double(char *buf, double *out)
{
    /* the exact fast case */
    const char *p = buf;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    uint64_t m = 0;
    int sig = 0, scale = 0;
    bool point = false, simple = true;
    for (; *p && *p != 'e'; p++) {
        if (*p == '.') {
            point = true;
            continue;
        }
        if (m == 0 && *p == '0') {
            if (point)
                scale--;
            continue;
        }
        if (++sig > 15) {
            simple = false;
            break;
        }
        m = m * 10 + (uint64_t)(*p - '0');
        if (point)
            scale--;
    }
    if (simple && *p == 'e') {
        char *end;
        errno = 0;
        long e = strtol(p + 1, &end, 10);
        if (errno != 0 || e > 400 || e < -400)
            simple = false;
        else
            scale += (int)e;
    }
    if (simple && (m == 0 || (scale >= -22 && scale <= 22))) {
        double v = (double)m;
        if (m != 0)
            v = scale >= 0 ? v * exact_pow10[scale] : v / exact_pow10[-scale];
        *out = neg ? -v : v;
        return true;
    }

    /* strtod, with the decimal point of the current locale */
    char local[NUM_MAX_TEXT + 16];
    const char *text = buf;
    const struct lconv *lc = localeconv();
    const char *dp = lc && lc->decimal_point ? lc->decimal_point : ".";
    char *dot = strchr(buf, '.');
    if (dot && strcmp(dp, ".") != 0) {
        size_t dl = strlen(dp), head = (size_t)(dot - buf), tail = strlen(dot + 1);
        if (dl > 8 || head + dl + tail + 1 > sizeof local)
            return false;
        memcpy(local, buf, head);
        memcpy(local + head, dp, dl);
        memcpy(local + head + dl, dot + 1, tail + 1);
        text = local;
    }
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (isinf(v) || isnan(v))
        return false;
    if (errno == ERANGE && v == 0 && m != 0)
        return false; /* underflow of a non-zero number */
    *out = v;
    return true;
}

/* Everything but the common case of egdi_value_number(); why and percent
 * are not NULL, *percent is false. */
static egdi_status number_slow(const char *text, size_t len, double *out, bool *percent,
                               const char **why);

egdi_status egdi_value_number(const char *text, size_t len, double *out, bool *percent,
                              const char **why)
{
    if (percent)
        *percent = false;

    /* the common case first: [-]digits[.digits], at most 15 digits, no
     * blanks - exact as one IEEE division (see ascii_to_double) */
    if (text && len > 0 && len <= 16) {
        const unsigned char *u = (const unsigned char *)text;
        size_t i = u[0] == '-', ndig = 0, frac = 0;
        bool point = false, plain = i < len;
        uint64_t m = 0;
        for (; i < len && plain; i++) {
            unsigned char c = u[i];
            if (c >= '0' && c <= '9') {
                m = m * 10 + (uint64_t)(c - '0');
                ndig++;
                frac += point;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                plain = false;
            }
        }
        if (plain && ndig > 0 && ndig <= 15) {
            double v = frac ? (double)m / exact_pow10[frac] : (double)m;
            *out = u[0] == '-' ? -v : v;
            return EGDI_OK;
        }
    }
    const char *dummy;
    bool pct_dummy;
    return number_slow(text, len, out, percent ? percent : &pct_dummy, why ? why : &dummy);
}

static egdi_status number_slow(const char *text, size_t len, double *out, bool *percent,
                               const char **why)
{
    size_t n = len;
    const unsigned char *t = text ? trim((const unsigned char *)text, &n) : NULL;
    if (!t || n == 0) {
        *why = "empty";
        return EGDI_ERR_VALUE;
    }
    char buf[NUM_MAX_TEXT + 1];
    size_t b = 0, i = 0;
    uint32_t cp = next_cp(t, n, &i);
    if (cp == '-' || cp == 0xFF0D || cp == 0x2212) {
        buf[b++] = '-';
        cp = i < n ? next_cp(t, n, &i) : 0;
    } else if (cp == '+' || cp == 0xFF0B) {
        cp = i < n ? next_cp(t, n, &i) : 0;
    }

    /* mantissa: digits with separators, then a point and digits */
    size_t digits = 0, group = 0, groups = 0;
    bool point = false, sep_seen = false, end = i >= n && cp == 0;
    for (;;) {
        int d = digit_of(cp);
        if (d >= 0) {
            if (b >= NUM_MAX_TEXT)
                goto too_long;
            buf[b++] = (char)('0' + d);
            digits++;
            if (!point)
                group++;
        } else if (cp == ',' || cp == 0xFF0C) {
            /* a separator closes a group: the first of 1-3 digits, the others 3 */
            if (point || group == 0 || group > 3 || (groups > 0 && group != 3))
                goto misplaced;
            groups++;
            group = 0;
            sep_seen = true;
        } else if (cp == '.' || cp == 0xFF0E) {
            if (point)
                goto not_number;
            if (sep_seen && group != 3)
                goto misplaced;
            point = true;
            if (b >= NUM_MAX_TEXT)
                goto too_long;
            buf[b++] = '.';
        } else {
            break;
        }
        if (i >= n) {
            cp = 0;
            end = true;
            break;
        }
        cp = next_cp(t, n, &i);
    }
    if (digits == 0)
        goto not_number;
    if (sep_seen && !point && group != 3)
        goto misplaced;

    /* exponent */
    if (!end && (cp == 'e' || cp == 'E')) {
        if (b + 2 >= NUM_MAX_TEXT)
            goto too_long;
        buf[b++] = 'e';
        if (i >= n)
            goto not_number;
        cp = next_cp(t, n, &i);
        if (cp == '-' || cp == '+' || cp == 0xFF0D || cp == 0xFF0B || cp == 0x2212) {
            buf[b++] = (cp == '+' || cp == 0xFF0B) ? '+' : '-';
            if (i >= n)
                goto not_number;
            cp = next_cp(t, n, &i);
        }
        size_t ed = 0;
        for (;;) {
            int d = digit_of(cp);
            if (d < 0)
                break;
            if (b >= NUM_MAX_TEXT)
                goto too_long;
            buf[b++] = (char)('0' + d);
            ed++;
            if (i >= n) {
                end = true;
                break;
            }
            cp = next_cp(t, n, &i);
        }
        if (ed == 0)
            goto not_number;
    }

    /* a percent sign, maybe after blanks */
    if (!end) {
        while (is_space_cp(cp) && i < n)
            cp = next_cp(t, n, &i);
        if ((cp == '%' || cp == 0xFF05) && i >= n)
            *percent = true;
        else
            goto not_number;
    }
    buf[b] = '\0';
    double v;
    if (!ascii_to_double(buf, &v)) {
        *why = "out of range";
        return EGDI_ERR_VALUE;
    }
    *out = v;
    return EGDI_OK;

misplaced:
    *why = "misplaced thousands separator";
    return EGDI_ERR_VALUE;
too_long:
    *why = "too long for a number";
    return EGDI_ERR_VALUE;
not_number:
    *why = "not a number";
    return EGDI_ERR_VALUE;
}

typedef struct {
    const char *word;
    bool value;
} bool_word;

/* Compared after trimming, ASCII letters in any case. */
static const bool_word bool_words[] = {
    {"是", true},    {"否", false},  {"有", true},     {"无", false},  {"無", false},
    {"对", true},    {"错", false},  {"對", true},     {"錯", false},  {"是的", true},
    {"不是", false}, {"yes", true},  {"no", false},    {"y", true},    {"n", false},
    {"true", true},  {"false", false}, {"1", true},    {"0", false},   {"１", true},
    {"０", false},
};

static bool same_word(const unsigned char *t, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (k != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = t[i], c = (unsigned char)w[i];
        if (a >= 'A' && a <= 'Z')
            a = (unsigned char)(a - 'A' + 'a');
        if (a != c)
            return false;
    }
    return true;
}

egdi_status egdi_value_bool(const char *text, size_t len, bool *out, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    size_t n = len;
    const unsigned char *t = text ? trim((const unsigned char *)text, &n) : NULL;
    if (!t || n == 0) {
        *why = "empty";
        return EGDI_ERR_VALUE;
    }
    for (size_t k = 0; k < sizeof bool_words / sizeof bool_words[0]; k++)
        if (same_word(t, n, bool_words[k].word)) {
            *out = bool_words[k].value;
            return EGDI_OK;
        }
    *why = "not a yes/no answer (是/否, 有/无, yes/no, true/false, 1/0)";
    return EGDI_ERR_VALUE;
}

unsigned egdi_value_small(const char *text, size_t len)
{
    if (!text || len < 1 || len > 3)
        return EGDI_VALUE_SMALL_NONE;
    unsigned v = 0;
    for (size_t k = 0; k < len; k++) {
        unsigned d = (unsigned)((unsigned char)text[k] - '0');
        if (d > 9)
            return EGDI_VALUE_SMALL_NONE;
        v = v * 10 + d;
    }
    return v < EGDI_VALUE_SMALL_NONE ? v : EGDI_VALUE_SMALL_NONE;
}

/* The byte offset of the fraction slash ('/' or U+FF0F) in t[0..n), or n. */
static size_t slash_at(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i] == '/')
            return i;
        if (i + 2 < n && (unsigned char)t[i] == 0xEF && (unsigned char)t[i + 1] == 0xBC &&
            (unsigned char)t[i + 2] == 0x8F)
            return i;
    }
    return n;
}

egdi_status egdi_value_fraction(const char *text, size_t len, double *out, bool *percent,
                                const char **why)
{
    const char *dummy;
    bool pct_dummy;
    if (!why)
        why = &dummy;
    if (!percent)
        percent = &pct_dummy;
    *percent = false;
    size_t at = text ? slash_at(text, len) : 0;
    if (!text || at == len) {
        double v;
        egdi_status st = egdi_value_number(text, len, &v, percent, why);
        if (st != EGDI_OK)
            return st;
        *out = *percent ? v / 100.0 : v;
        return EGDI_OK;
    }
    size_t skip = text[at] == '/' ? 1 : 3;
    double num, den;
    bool p1, p2;
    if (egdi_value_number(text, at, &num, &p1, why) != EGDI_OK ||
        egdi_value_number(text + at + skip, len - at - skip, &den, &p2, why) != EGDI_OK) {
        *why = "not a number or a fraction a/b";
        return EGDI_ERR_VALUE;
    }
    if (p1 || p2) {
        *why = "a percent sign inside a fraction";
        return EGDI_ERR_VALUE;
    }
    if (den == 0.0) {
        *why = "division by zero";
        return EGDI_ERR_VALUE;
    }
    double v = num / den;
    if (!isfinite(v)) {
        *why = "out of range";
        return EGDI_ERR_VALUE;
    }
    *out = v;
    return EGDI_OK;
}

bool egdi_value_blank(const char *text, size_t len)
{
    if (!text)
        return true;
    size_t n = len;
    trim((const unsigned char *)text, &n);
    return n == 0;
}

/* Marks for "no value", compared after trimming, ASCII letters in any case
 * (value.h, EGDI_VALUE_MISSING_MARKS). */
static const char *const missing_marks[] = {
    "-", "--", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x94\xE2\x80\x94", "\xEF\xBC\x8D",
    "/", "\xEF\xBC\x8F", "n/a", "na", "#n/a", "n.a.", "暂无", "无数据", "缺失",
};

bool egdi_value_missing(const char *text, size_t len)
{
    size_t n = len;
    const unsigned char *t = text ? trim((const unsigned char *)text, &n) : NULL;
    if (!t || n == 0 || n > 16)
        return false;
    for (size_t k = 0; k < sizeof missing_marks / sizeof missing_marks[0]; k++)
        if (same_word(t, n, missing_marks[k]))
            return true;
    return false;
}

/* Part of a number as egdi_value_number reads it (digits, points,
 * separators, percent signs) or a space: where a unit word ends. */
static bool is_number_cp(uint32_t cp)
{
    return digit_of(cp) >= 0 || cp == '.' || cp == 0xFF0E || cp == ',' || cp == 0xFF0C ||
           cp == '%' || cp == 0xFF05 || is_space_cp(cp);
}

egdi_status egdi_value_number_unit(const char *text, size_t len, double *out, bool *percent,
                                   const char **unit, size_t *unit_len, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    *unit = NULL;
    *unit_len = 0;
    size_t n = len;
    const unsigned char *t = text ? trim((const unsigned char *)text, &n) : NULL;
    if (!t || n == 0)
        return egdi_value_number(text, len, out, percent, why);
    /* walk back over the unit word, one code point at a time */
    size_t b = n;
    while (b > 0) {
        size_t j = b - 1;
        while (j > 0 && (t[j] & 0xC0) == 0x80 && b - j < 4)
            j--;
        size_t i = j;
        uint32_t cp = next_cp(t, b, &i);
        if (i != b || is_number_cp(cp))
            break;
        b = j;
    }
    if (b == n)
        return egdi_value_number((const char *)t, n, out, percent, why);
    if (b == 0) {
        *why = "not a number";
        return EGDI_ERR_VALUE;
    }
    egdi_status st = egdi_value_number((const char *)t, b, out, percent, why);
    if (st != EGDI_OK)
        return st;
    *unit = (const char *)t + b;
    *unit_len = n - b;
    return EGDI_OK;
}

bool egdi_value_control(const char *text, size_t len, unsigned *cp)
{
    const unsigned char *t = (const unsigned char *)text;
    for (size_t i = 0; i < len; i++) {
        unsigned c = 0x100;
        if ((t[i] < 0x20 && t[i] != '\t') || t[i] == 0x7F)
            c = t[i];
        else if (t[i] == 0xC2 && i + 1 < len && t[i + 1] >= 0x80 && t[i + 1] <= 0x9F)
            c = t[i + 1];
        if (c < 0x100) {
            if (cp)
                *cp = c;
            return true;
        }
    }
    return false;
}

int egdi_value_decimals(double x)
{
    if (!isfinite(x) || fabs(x) >= 1e6)
        return 0;
    char buf[64];
    snprintf(buf, sizeof buf, "%.12f", x);
    char *dot = strchr(buf, '.');
    if (!dot)
        return 0;
    size_t n = strlen(dot + 1);
    while (n > 0 && dot[n] == '0')
        n--;
    return (int)n;
}

/* Writes m (an integer, below 2^64) with dec decimals and x's sign, then
 * drops the decimals' trailing zeros (and a bare point); returns the length. */
static size_t put_scaled(double x, unsigned long long m, int dec, char *buf)
{
    char digits[24];
    size_t nd = 0;
    while (dec > 0 && m % 10 == 0) {
        m /= 10;
        dec--;
    }
    do {
        digits[nd++] = (char)('0' + m % 10);
        m /= 10;
    } while (m);
    while (nd <= (size_t)dec)
        digits[nd++] = '0'; /* 0.05: the leading zeros */
    size_t n = 0;
    if (x < 0)
        buf[n++] = '-';
    for (size_t i = nd; i-- > 0;) {
        buf[n++] = digits[i];
        if (i == (size_t)dec && dec)
            buf[n++] = '.';
    }
    buf[n] = '\0';
    return n;
}

/*
 * x of 1e-4 to 1e15 in fixed notation (as %g writes such a number) with 15,
 * then 16, then 17 significant digits, the first that reads back as x; 0
 * when none does (then snprintf decides).  m = x * 10^dec rounded is the
 * digits.  15 digits: in double, m is exact (below 2^53) and m / 10^dec ==
 * x is exactly strtod's test (10^dec is exact up to 10^22 and the division
 * rounds correctly, as strtod does).  16 and 17: x * 10^dec in long double
 * (64 bits of mantissa), checked the same way while m is below 2^53, else
 * by strtod; near a tie snprintf decides, so the text is always the one
 * %.15g / %.16g / %.17g would give (the model's canonical text and hash
 * use it).  The digits of the nearest 15-digit number end in zeros when a
 * shorter one reads back too, so trimming them gives the shortest.
 */
#define TIE_MARGIN 0.01L /* the scaling's error is below 0.001 of a unit */
static size_t format_fixed(double x, char *buf)
{
    static const double p10[21] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
                                   1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
                                   1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20};
    static const double bound[18] = {1e-3, 1e-2, 1e-1, 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                     1e6,  1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14};
    const double two53 = 9007199254740992.0;
    double a = fabs(x);
    if (!(a >= 1e-4 && a < 1e15))
        return 0; /* %g would write an exponent */
    int lead = -4; /* a = d.ddd x 10^lead */
    while (lead < 14 && a >= bound[lead + 4])
        lead++;
    int dec = 14 - lead; /* 15 digits: 0..18 decimals */
    double m = nearbyint(a * p10[dec]);
    if (m < two53 && m / p10[dec] == a)
        return put_scaled(x, (unsigned long long)m, dec, buf);
    if (LDBL_MANT_DIG < 64)
        return 0;
    for (int sig = 16; sig <= 17; sig++) {
        dec = sig - 1 - lead;
        long double sl = (long double)a * (long double)p10[dec], ml = nearbyintl(sl);
        /* within TIE_MARGIN of halfway the scaled value's own rounding
         * error could round it the other way than %.*g does (two texts
         * of sig digits can both read back as x): snprintf decides */
        if (!(ml < 1e18L) || fabsl(fabsl(sl - ml) - 0.5L) < TIE_MARGIN)
            return 0;
        size_t n = put_scaled(x, (unsigned long long)ml, dec, buf);
        if (ml < (long double)two53 ? (double)ml / p10[dec] == a : strtod(buf, NULL) == x)
            return n;
    }
    return 0;
}

size_t egdi_value_format(double x, char buf[EGDI_VALUE_TEXT_MAX])
{
    buf[0] = '\0';
    if (!isfinite(x))
        return 0;
    if (x == 0) {
        buf[0] = '0';
        buf[1] = '\0';
        return 1;
    }
    size_t n = format_fixed(x, buf);
    if (n)
        return n;
    int w = 0;
    for (int p = 15; p <= 17; p++) {
        w = snprintf(buf, EGDI_VALUE_TEXT_MAX, "%.*g", p, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return w > 0 ? (size_t)w : 0;
}
