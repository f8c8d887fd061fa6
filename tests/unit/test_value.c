/*
 * Unit tests for engine/core/value.c: numbers as people type them, yes/no
 * answers, fractions (model weights, AHP judgements), small whole numbers
 * (the CSV backend's byte path), blank text, the marks for "no value",
 * numbers with a unit word ("4.5分"); and engine/readers/cell.c:
 * cells as numbers.
 *
 * Expected numbers are written as C double literals, which the compiler
 * rounds exactly as strtod does; the exactness test also compares with
 * strtod itself on the normalised ASCII text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/value.h"
#include "engine/readers/reader.h"

static double num_ok(const char *text, bool want_percent)
{
    double v = -12345;
    bool pct = !want_percent;
    const char *why = NULL;
    egdi_status st = egdi_value_number(text, strlen(text), &v, &pct, &why);
    if (st != EGDI_OK)
        fail_msg("\"%s\" refused: %s", text, why ? why : "?");
    assert_int_equal(pct, want_percent);
    return v;
}

static void num_bad(const char *text, const char *want_why)
{
    double v = 777;
    bool pct;
    const char *why = NULL;
    assert_int_equal(egdi_value_number(text, strlen(text), &v, &pct, &why), EGDI_ERR_VALUE);
    assert_non_null(why);
    if (strcmp(why, want_why) != 0)
        fail_msg("\"%s\": reason \"%s\", want \"%s\"", text, why, want_why);
    assert_true(v == 777); /* untouched */
}

static void plain_numbers(void **state)
{
    (void)state;
    assert_true(num_ok("0", false) == 0.0);
    assert_true(num_ok("42", false) == 42.0);
    assert_true(num_ok("-3.25", false) == -3.25);
    assert_true(num_ok("+7", false) == 7.0);
    assert_true(num_ok(".5", false) == 0.5);
    assert_true(num_ok("5.", false) == 5.0);
    assert_true(num_ok("1e3", false) == 1000.0);
    assert_true(num_ok("2.5E-3", false) == 2.5e-3);
    assert_true(num_ok("1e+2", false) == 100.0);
    assert_true(num_ok("0.1", false) == 0.1);
    assert_true(num_ok("007", false) == 7.0);
    double z = num_ok("-0", false);
    assert_true(z == 0.0 && signbit(z));
}

static void separators_and_percent(void **state)
{
    (void)state;
    assert_true(num_ok("1,234,567.5", false) == 1234567.5);
    assert_true(num_ok("1,234", false) == 1234.0);
    assert_true(num_ok("-12,345.25", false) == -12345.25);
    assert_true(num_ok("1，234", false) == 1234.0);
    assert_true(num_ok("85%", true) == 85.0);
    assert_true(num_ok("12.5 %", true) == 12.5);
    assert_true(num_ok("85％", true) == 85.0);
    num_bad("1,23", "misplaced thousands separator");
    num_bad("1,2345", "misplaced thousands separator");
    num_bad("1234,567", "misplaced thousands separator");
    num_bad(",123", "misplaced thousands separator");
    num_bad("1,,234", "misplaced thousands separator");
    num_bad("1,234.5,6", "misplaced thousands separator");
    num_bad("12,5", "misplaced thousands separator");
    num_bad("1,23.5", "misplaced thousands separator");
    num_bad("%", "not a number");
    num_bad("85%%", "not a number");
    num_bad("%85", "not a number");
}

static void full_width_and_spaces(void **state)
{
    (void)state;
    assert_true(num_ok("１２３", false) == 123.0);
    assert_true(num_ok("－４．５", false) == -4.5);
    assert_true(num_ok("＋１", false) == 1.0);
    assert_true(num_ok("９０％", true) == 90.0);
    assert_true(num_ok("１，０００", false) == 1000.0);
    assert_true(num_ok("  42\t", false) == 42.0);
    assert_true(num_ok("\xE3\x80\x80" "88" "\xE3\x80\x80", false) == 88.0); /* U+3000 */
    /* only len bytes are read */
    double v;
    bool pct;
    const char *why;
    assert_int_equal(egdi_value_number("123456", 3, &v, &pct, &why), EGDI_OK);
    assert_true(v == 123.0);
}

static void refused(void **state)
{
    (void)state;
    num_bad("", "empty");
    num_bad("   ", "empty");
    num_bad("\xE3\x80\x80", "empty");
    num_bad("abc", "not a number");
    num_bad("1.2.3", "not a number");
    num_bad("--1", "not a number");
    num_bad("+-1", "not a number");
    num_bad("-", "not a number");
    num_bad(".", "not a number");
    num_bad("NaN", "not a number");
    num_bad("nan", "not a number");
    num_bad("inf", "not a number");
    num_bad("-Infinity", "not a number");
    num_bad("0x10", "not a number");
    num_bad("1e", "not a number");
    num_bad("1e+", "not a number");
    num_bad("e5", "not a number");
    num_bad("1 2", "not a number");
    num_bad("12abc", "not a number");
    num_bad("1.5.", "not a number");
    num_bad("\xFF", "not a number");
    num_bad("1e999", "out of range");
    num_bad("-1e400", "out of range");
    num_bad("1e-400", "out of range");
    char big[600];
    memset(big, '1', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    num_bad(big, "too long for a number");
    double v;
    bool pct;
    const char *why;
    assert_int_equal(egdi_value_number(NULL, 0, &v, &pct, &why), EGDI_ERR_VALUE);
    assert_string_equal(why, "empty");
}

/* The result equals strtod (C locale) of the normalised text, bit for bit,
 * on the fast path and off it. */
static void exact_as_strtod(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "0.1", "0.3", "123456789012345", "1234567890123456", "12345678901234567890",
        "9007199254740993", "3.141592653589793238462643", "1e22", "1e23", "4.35e-10",
        "2.2250738585072014e-308", "4.9e-324", "1.7976931348623157e308", "0.000001234",
        "98765.4321e-3", "1e-22", "123.456e20", "0.1e-5",
    };
    srand(12345);
    char text[64];
    for (size_t k = 0; k < sizeof cases / sizeof cases[0] + 2000; k++) {
        const char *t = text;
        if (k < sizeof cases / sizeof cases[0]) {
            t = cases[k];
        } else {
            /* random decimals: up to 17 digits, a point somewhere, an exponent */
            int nd = 1 + rand() % 17, pt = rand() % (nd + 1), e = rand() % 61 - 30;
            size_t w = 0;
            for (int i = 0; i < nd; i++) {
                if (i == pt && i > 0)
                    text[w++] = '.';
                text[w++] = (char)('0' + rand() % 10);
            }
            snprintf(text + w, sizeof text - w, "e%d", e);
        }
        double want = strtod(t, NULL);
        double got = num_ok(t, false);
        if (memcmp(&want, &got, sizeof want) != 0)
            fail_msg("%s: got %.17g, strtod gives %.17g", t, got, want);
    }
}

static void yes_no(void **state)
{
    (void)state;
    static const char *const yes[] = {"是", "有", "对", "是的", "yes", "YES", "Yes", "y",
                                      "Y", "true", "TRUE", "1", " 是 ", "\xE3\x80\x80yes"};
    static const char *const no[] = {"否", "无", "错", "不是", "no", "No", "n", "N",
                                     "false", "False", "0", "\tno\t"};
    static const char *const bad[] = {"", " ", "maybe", "是否", "2", "yess", "ye", "o"};
    bool b;
    const char *why;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        b = false;
        if (egdi_value_bool(yes[i], strlen(yes[i]), &b, &why) != EGDI_OK)
            fail_msg("\"%s\" refused", yes[i]);
        assert_true(b);
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        b = true;
        if (egdi_value_bool(no[i], strlen(no[i]), &b, &why) != EGDI_OK)
            fail_msg("\"%s\" refused", no[i]);
        assert_false(b);
    }
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        if (egdi_value_bool(bad[i], strlen(bad[i]), &b, &why) != EGDI_ERR_VALUE)
            fail_msg("\"%s\" accepted", bad[i]);
        assert_non_null(why);
    }
}

static void cells_as_numbers(void **state)
{
    (void)state;
    double v;
    const char *why;
    egdi_cell c = {EGDI_CELL_NUMBER, true, 0.85, "0.85", 4};
    assert_int_equal(egdi_cell_number(&c, true, &v, &why), EGDI_OK);
    assert_true(v == 0.85 * 100.0);
    assert_int_equal(egdi_cell_number(&c, false, &v, &why), EGDI_OK);
    assert_true(v == 0.85);
    c = (egdi_cell){EGDI_CELL_TEXT, false, 0, "85%", 3};
    assert_int_equal(egdi_cell_number(&c, true, &v, &why), EGDI_OK);
    assert_true(v == 85.0);
    assert_int_equal(egdi_cell_number(&c, false, &v, &why), EGDI_OK);
    assert_true(v == 0.85);
    c = (egdi_cell){EGDI_CELL_TEXT, false, 0, "1,234", 5};
    assert_int_equal(egdi_cell_number(&c, true, &v, &why), EGDI_OK);
    assert_true(v == 1234.0);
    c = (egdi_cell){EGDI_CELL_TEXT, false, 0, "abc", 3};
    assert_int_equal(egdi_cell_number(&c, true, &v, &why), EGDI_ERR_VALUE);
    assert_string_equal(why, "not a number");
    c = (egdi_cell){EGDI_CELL_BOOL, false, 1, NULL, 0};
    assert_int_equal(egdi_cell_number(&c, true, &v, &why), EGDI_OK);
    assert_true(v == 1.0);
    c = (egdi_cell){EGDI_CELL_DATE, false, 45292, "2024-01-01", 10};
    assert_int_equal(egdi_cell_number(&c, true, &v, &why), EGDI_OK);
    assert_true(v == 45292.0);
    c = (egdi_cell){EGDI_CELL_EMPTY, false, 0, NULL, 0};
    assert_int_equal(egdi_cell_number(&c, true, &v, &why), EGDI_DONE);
    c = (egdi_cell){EGDI_CELL_ERROR, false, 0, "#DIV/0!", 7};
    assert_int_equal(egdi_cell_number(&c, true, &v, &why), EGDI_ERR_VALUE);
}

static void blank_text(void **state)
{
    (void)state;
    assert_true(egdi_value_blank("", 0));
    assert_true(egdi_value_blank(NULL, 0));
    assert_true(egdi_value_blank(" \t\r\n", 4));
    assert_true(egdi_value_blank("\xE3\x80\x80 ", 4));
    assert_false(egdi_value_blank(" x ", 3));
    assert_false(egdi_value_blank("\xE3\x80\x81", 3)); /* U+3001 is a comma */
    assert_true(egdi_value_blank("  x", 2));
}

static void missing_marks(void **state)
{
    (void)state;
    static const char *const marks[] = {"-", " -- ", "\xE2\x80\x94", "\xE2\x80\x94\xE2\x80\x94",
                                        "\xE2\x80\x93", "\xEF\xBC\x8D", "/", "\xEF\xBC\x8F",
                                        "N/A", "n/a", "NA", "na", "#N/A", "n.a.", "暂无",
                                        "\xE3\x80\x80暂无 ", "无数据", "缺失"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (!egdi_value_missing(marks[i], strlen(marks[i])))
            fail_msg("\"%s\" is not taken for a missing mark", marks[i]);
    static const char *const not_marks[] = {"", "  ", "0", "无", "否", "N", "NAN", "nan",
                                            "-5", "—1", "na na", "暂", "缺失值x", "/ /"};
    for (size_t i = 0; i < sizeof not_marks / sizeof not_marks[0]; i++)
        if (egdi_value_missing(not_marks[i], strlen(not_marks[i])))
            fail_msg("\"%s\" is taken for a missing mark", not_marks[i]);
    assert_false(egdi_value_missing(NULL, 0));
    /* a mark is never a number */
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        double v;
        bool pct;
        assert_int_equal(egdi_value_number(marks[i], strlen(marks[i]), &v, &pct, NULL),
                         EGDI_ERR_VALUE);
    }
}

/* text -> (value, percent, unit word) */
static void unit_ok(const char *text, double want, bool want_pct, const char *want_unit)
{
    double v = -1;
    bool pct = !want_pct;
    const char *unit = "?", *why = NULL;
    size_t ulen = 99;
    if (egdi_value_number_unit(text, strlen(text), &v, &pct, &unit, &ulen, &why) != EGDI_OK)
        fail_msg("\"%s\" refused: %s", text, why ? why : "?");
    assert_true(v == want);
    assert_int_equal(pct, want_pct);
    assert_int_equal(ulen, strlen(want_unit));
    if (ulen && memcmp(unit, want_unit, ulen) != 0)
        fail_msg("\"%s\": unit \"%.*s\", want \"%s\"", text, (int)ulen, unit, want_unit);
}

static void numbers_with_units(void **state)
{
    (void)state;
    unit_ok("4.5分", 4.5, false, "分");
    unit_ok("12个", 12, false, "个");
    unit_ok(" 3 人 ", 3, false, "人");
    unit_ok("85 %", 85, true, "");
    unit_ok("85％", 85, true, "");
    unit_ok("１２个", 12, false, "个");
    unit_ok("1,234项", 1234, false, "项");
    unit_ok("0.76台/人", 0.76, false, "台/人");
    unit_ok("7人次", 7, false, "人次");
    unit_ok("1e3", 1000, false, "");
    unit_ok("42", 42, false, "");
    unit_ok("-2.5 datasets", -2.5, false, "datasets");
    /* the part before the word goes through egdi_value_number */
    static const char *const bad[] = {"分", "N/A", "约12个", "1,23个", "12个3", "", "  "};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v;
        bool pct;
        const char *unit, *why = NULL;
        size_t ulen;
        if (egdi_value_number_unit(bad[i], strlen(bad[i]), &v, &pct, &unit, &ulen, &why) ==
            EGDI_OK)
            fail_msg("\"%s\" read as a number with a unit", bad[i]);
        assert_non_null(why);
    }
}

static double frac_ok(const char *text, bool want_percent)
{
    double v = -12345;
    bool pct = !want_percent;
    const char *why = NULL;
    if (egdi_value_fraction(text, strlen(text), &v, &pct, &why) != EGDI_OK)
        fail_msg("\"%s\" refused: %s", text, why ? why : "?");
    assert_int_equal(pct, want_percent);
    return v;
}

static void frac_bad(const char *text, const char *want_why)
{
    double v = 777;
    const char *why = NULL;
    assert_int_equal(egdi_value_fraction(text, strlen(text), &v, NULL, &why), EGDI_ERR_VALUE);
    assert_string_equal(why, want_why);
    assert_true(v == 777); /* nothing written on failure */
}

static void fractions(void **state)
{
    (void)state;
    assert_true(frac_ok("0.4", false) == 0.4);
    assert_true(frac_ok("40%", true) == 0.4);
    assert_true(frac_ok("1/3", false) == 1.0 / 3.0);
    assert_true(frac_ok(" 1 / 3 ", false) == 1.0 / 3.0);
    assert_true(frac_ok("\xEF\xBC\x91\xEF\xBC\x8F\xEF\xBC\x93", false) == 1.0 / 3.0); /* １／３ */
    assert_true(frac_ok("-2/8", false) == -0.25);
    assert_true(frac_ok("1,000/4", false) == 250.0);
    assert_true(frac_ok("3", false) == 3.0);
    frac_bad("1/0", "division by zero");
    frac_bad("1/", "not a number or a fraction a/b");
    frac_bad("/3", "not a number or a fraction a/b");
    frac_bad("1/2/3", "not a number or a fraction a/b");
    frac_bad("50%/2", "a percent sign inside a fraction");
    frac_bad("abc", "not a number");
    frac_bad("", "empty");
    frac_bad("1e308/1e-308", "out of range");
}

/* egdi_value_small against egdi_value_number on every text of one to three
 * bytes drawn from digits and the bytes that could be mistaken for part of a
 * number: where small gives a value, the full parser gives the same; where
 * the full parser gives a whole number 0..254 from plain ASCII digits, small
 * gives it too. */
static void small_numbers(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789 +-.,%eE\t";
    const size_t na = sizeof alphabet - 1;
    size_t checked = 0, small_found = 0;
    for (size_t len = 1; len <= 3; len++) {
        size_t total = 1;
        for (size_t k = 0; k < len; k++)
            total *= na;
        for (size_t code = 0; code < total; code++) {
            char t[4];
            size_t c = code;
            bool digits_only = true;
            for (size_t k = 0; k < len; k++) {
                t[k] = alphabet[c % na];
                c /= na;
                digits_only = digits_only && t[k] >= '0' && t[k] <= '9';
            }
            t[len] = '\0';
            unsigned s = egdi_value_small(t, len);
            double v;
            bool pct;
            egdi_status st = egdi_value_number(t, len, &v, &pct, NULL);
            if (s != EGDI_VALUE_SMALL_NONE) {
                small_found++;
                assert_int_equal(st, EGDI_OK);
                assert_false(pct);
                assert_true(v == (double)s);
            } else if (digits_only) {
                assert_int_equal(st, EGDI_OK);
                assert_true(v >= 255);
            }
            checked++;
        }
    }
    assert_int_equal(checked, na + na * na + na * na * na);
    /* every text of 1-3 digits worth 0..254: "0"-"9", "00"-"99", "000"-"254" */
    assert_int_equal(small_found, 10 + 100 + 255);
    assert_int_equal(egdi_value_small("007", 3), 7);
    assert_int_equal(egdi_value_small("254", 3), 254);
    assert_int_equal(egdi_value_small("255", 3), EGDI_VALUE_SMALL_NONE);
    assert_int_equal(egdi_value_small("1000", 4), EGDI_VALUE_SMALL_NONE);
    assert_int_equal(egdi_value_small(NULL, 0), EGDI_VALUE_SMALL_NONE);
    /* the reader's cell rule is this one for text */
    egdi_cell c = {EGDI_CELL_TEXT, false, 0, "42", 2};
    assert_int_equal(egdi_cell_small(&c), 42);
    c = (egdi_cell){EGDI_CELL_TEXT, false, 0, " 42", 3};
    assert_int_equal(egdi_cell_small(&c), EGDI_SMALL_NONE);
}

/* Control characters in names (issue 19, item 11): C0 but tab, DEL, C1. */
static void control_characters(void **state)
{
    (void)state;
    unsigned cp = 0;
    assert_false(egdi_value_control("南京市\t数据局", strlen("南京市\t数据局"), &cp));
    assert_true(egdi_value_control("a\x1b[31m", 6, &cp));
    assert_int_equal(cp, 0x1B);
    assert_true(egdi_value_control("a\nb", 3, &cp));
    assert_int_equal(cp, 0x0A);
    assert_true(egdi_value_control("a\x7f", 2, &cp));
    assert_int_equal(cp, 0x7F);
    assert_true(egdi_value_control("a\xc2\x9b", 3, &cp)); /* U+009B, the C1 CSI */
    assert_int_equal(cp, 0x9B);
    assert_false(egdi_value_control("\xc2\xa0", 2, &cp)); /* U+00A0 is no control */
    assert_true(egdi_value_control("a\0b", 3, NULL));
}

/* The decimals a number is published with (rank_digits auto): the same for
 * a CSV's text read back and an XLSX double, and for a sum one ulp off. */
static void published_decimals(void **state)
{
    (void)state;
    double x;
    const char *why = NULL;
    bool pct = false;
    assert_int_equal(egdi_value_number("0.19685", 7, &x, &pct, &why), EGDI_OK);
    assert_int_equal(egdi_value_decimals(x), 5);
    assert_int_equal(egdi_value_decimals(0.19685000000000002), 5);
    assert_int_equal(egdi_value_decimals(0.5283), 4);
    assert_int_equal(egdi_value_decimals(0.1 + 0.2), 1); /* 0.30000000000000004 */
    assert_int_equal(egdi_value_decimals(42), 0);
    assert_int_equal(egdi_value_decimals(-3.25), 2);
    assert_int_equal(egdi_value_decimals(1e6 + 0.5), 0); /* too large to say */
    assert_int_equal(egdi_value_decimals(NAN), 0);
    assert_int_equal(egdi_value_decimals(1.0 / 3.0), 12);
}

/* The shortest of %.15g, %.16g, %.17g that reads back (the reference). */
static size_t shortest_g(double v, char *t, size_t size)
{
    int n = 0;
    for (int p = 15; p <= 17; p++) {
        n = snprintf(t, size, "%.*g", p, v);
        if (strtod(t, NULL) == v)
            break;
    }
    return (size_t)n;
}

/* A number as the shortest text that reads back as it: the values the
 * report's CSV tables hold (scores, raw values, ranks), and the edges of
 * the fast path; each reads back exactly and is the very text the shortest
 * of %.15g / %.16g / %.17g gives. */
static void shortest_text(void **state)
{
    (void)state;
    char t[EGDI_VALUE_TEXT_MAX];
    assert_int_equal(egdi_value_format(87.24, t), 5);
    assert_string_equal(t, "87.24"); /* libxlsxwriter's %.16G: 87.23999999999999 */
    egdi_value_format(0.1 + 0.2, t);
    assert_string_equal(t, "0.30000000000000004");
    egdi_value_format(73.11716981555887, t);
    assert_string_equal(t, "73.11716981555887");
    egdi_value_format(-0.05, t);
    assert_string_equal(t, "-0.05");
    egdi_value_format(0.00028347914784442, t); /* 14 digits, 20 decimals */
    assert_string_equal(t, "0.00028347914784442");
    egdi_value_format(1e-4, t);
    assert_string_equal(t, "0.0001");
    egdi_value_format(0.1, t);
    assert_string_equal(t, "0.1");
    egdi_value_format(999999999999999.9, t); /* %.16g */
    assert_string_equal(t, "999999999999999.9");
    egdi_value_format(12, t);
    assert_string_equal(t, "12");
    egdi_value_format(0, t);
    assert_string_equal(t, "0");
    egdi_value_format(1e-7, t);
    assert_string_equal(t, "1e-07");
    egdi_value_format(2.5e20, t);
    assert_string_equal(t, "2.5e+20");
    assert_int_equal(egdi_value_format(NAN, t), 0);
    assert_string_equal(t, "");
    assert_int_equal(egdi_value_format(INFINITY, t), 0);
    /* many values: scores of two to seventeen digits, every magnitude */
    uint64_t z = 88172645463325252ull;
    for (int i = 0; i < 1000000; i++) {
        z ^= z << 13;
        z ^= z >> 7;
        z ^= z << 17;
        double u = (double)(z >> 11) / 9007199254740992.0; /* [0, 1) */
        double v;
        switch (i % 4) {
        case 0: v = round(u * 10000.0) / 100.0; break;  /* 87.24 */
        case 1: v = u * 100.0; break;                    /* a score */
        case 2: v = ldexp(u, (int)(z % 120) - 60); break; /* any size */
        default: v = -u * pow(10.0, (double)(z % 30) - 10.0); break;
        }
        char ref[40];
        size_t n = egdi_value_format(v, t), nref = shortest_g(v, ref, sizeof ref);
        assert_int_equal(strlen(t), n);
        /* the very text of the reference (a model's hash is of this text) */
        if (strtod(t, NULL) != v || n != nref || strcmp(t, ref) != 0)
            fail_msg("%.17g: \"%s\" (reference \"%s\")", v, t, ref);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_numbers),
        cmocka_unit_test(control_characters),
        cmocka_unit_test(separators_and_percent),
        cmocka_unit_test(full_width_and_spaces),
        cmocka_unit_test(refused),
        cmocka_unit_test(exact_as_strtod),
        cmocka_unit_test(yes_no),
        cmocka_unit_test(cells_as_numbers),
        cmocka_unit_test(blank_text),
        cmocka_unit_test(fractions),
        cmocka_unit_test(small_numbers),
        cmocka_unit_test(missing_marks),
        cmocka_unit_test(numbers_with_units),
        cmocka_unit_test(published_decimals),
        cmocka_unit_test(shortest_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
