/*
 * value.h - turning what people type into spreadsheet cells into numbers.
 *
 * Accepted as a number: an optional sign, digits (ASCII or full-width
 * U+FF10..U+FF19), an optional decimal point (also full-width U+FF0E), an
 * optional exponent, thousands separators only where they group three digits
 * (1,234,567.5 and 1，234), a trailing % (ASCII or full-width U+FF05), and
 * surrounding spaces (also U+3000).  Anything else is refused with a reason;
 * nothing is ever read as 0 by default.
 *
 * This is the one place where typed text becomes a number: readers (a cell's
 * text, engine/readers/cell.c), imports, survey answers, model tables and
 * AHP matrices all call these functions.  (The XLSX scanner's strtod of a
 * cell's <v> literal is the file format's own number, written by a program,
 * not typed text; the CSV backend's eight-fields-at-a-time path is an
 * accelerated egdi_value_small, held to it by tests/unit/test_value.c and the
 * fuzz_csv lockstep comparison.)
 */
#ifndef EGDI_VALUE_H
#define EGDI_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"

/*
 * Parses text[0..len) as a number.  On success *out is the number as written
 * (85% gives 85 with *percent = true).  On failure returns EGDI_ERR_VALUE and
 * *why (static text) says why: "empty", "not a number", "misplaced thousands
 * separator", "out of range"...
 */
egdi_status egdi_value_number(const char *text, size_t len, double *out,
                              bool *percent, const char **why);

/*
 * A number or a fraction as people write weights and pairwise judgements:
 * "0.4", "40%", "1/3", "１／３" (each side an egdi_value_number without a
 * percent sign; the slash ASCII or full-width U+FF0F, spaces around it
 * allowed).  A percent gives the share ("40%" gives 0.4 with *percent true:
 * the caller may refuse it).  A zero denominator is refused ("division by
 * zero"), as is a result that is not finite.
 */
egdi_status egdi_value_fraction(const char *text, size_t len, double *out, bool *percent,
                                const char **why);

/* What EGDI_VALUE_SMALL_NONE stands for: not a small whole number. */
#define EGDI_VALUE_SMALL_NONE 255u

/*
 * The value 0..254 of text that is one to three ASCII digits ("7", "007",
 * "254"; no sign, blank, point or percent: the whole numbers Likert answers
 * and codes are written as), else EGDI_VALUE_SMALL_NONE.  Where it gives a
 * value, egdi_value_number gives the same value.
 */
unsigned egdi_value_small(const char *text, size_t len);

/* 是/否, 有/无 (無), 对/错 (對/錯), 是的/不是, yes/no, y/n, true/false, 1/0
 * (also full-width １/０), ASCII letters in any case, spaces trimmed.
 * Returns EGDI_ERR_VALUE with *why on anything else. */
egdi_status egdi_value_bool(const char *text, size_t len, bool *out, const char **why);

/* True when text is only white space (ASCII, U+3000). */
bool egdi_value_blank(const char *text, size_t len);

/*
 * True when UTF-8 text holds a control character other than tab: a C0
 * control (U+0000-U+001F: ESC, BEL, a line break...), DEL (U+007F) or a C1
 * control (U+0080-U+009F); *cp (may be NULL) is the first one.  Names egdi
 * stores and prints (units, survey columns, labels) must not hold one: it
 * would rewrite a terminal or forge a table row.
 */
bool egdi_value_control(const char *text, size_t len, unsigned *cp);

/*
 * True when text (spaces trimmed, ASCII letters in any case) is one of the
 * marks people write for "no value": the dashes - -- – — ——
 * and full-width －, a slash / (also ／), N/A, NA, #N/A, n.a., and
 * 暂无, 无数据, 缺失.  Blank text is not a mark (egdi_value_blank says so);
 * "无" is the yes/no answer "no", not a mark.  The list is
 * EGDI_VALUE_MISSING_MARKS, for messages and docs.
 */
bool egdi_value_missing(const char *text, size_t len);
#define EGDI_VALUE_MISSING_MARKS "-, --, –, —, ——, /, N/A, NA, #N/A, n.a., 暂无, 无数据, 缺失"

/*
 * A number followed by a unit word, as offices type it: "4.5分", "12 个",
 * "3人", "85 %", "１２个".  The unit is the run of characters at the end
 * that are neither digits, points, separators, percent signs nor spaces
 * ("分", "个", "人次", "台/人"); the text before it is read by
 * egdi_value_number (so "85 %" is a percent with no unit word).  On success
 * *out and *percent are egdi_value_number's and *unit / *unit_len the word
 * (length 0 when there is none; points into text).  Which words a value
 * may carry is the caller's to decide.  EGDI_ERR_VALUE with *why when the
 * part before the word is no number ("not a number" for a word alone).
 */
egdi_status egdi_value_number_unit(const char *text, size_t len, double *out, bool *percent,
                                   const char **unit, size_t *unit_len, const char **why);

/*
 * The decimals x is published with: its digits to 12 decimals without the
 * trailing zeros, so "0.19685" of a CSV, the double 0.19685 of an XLSX cell
 * and a spreadsheet's 0.19685000000000002 all give 5 (as does the number a
 * store keeps of either).  0 for a whole number, for |x| >= 1e6 and for a
 * value that is not finite.
 */
int egdi_value_decimals(double x);

/*
 * Writes x as the shortest text that reads back as exactly x (strtod):
 * the shortest of %.15g, %.16g and %.17g, so 87.24 is "87.24", not
 * "87.23999999999999", and 0.1 + 0.2 is "0.30000000000000004".  A value
 * of 1e-4 to 1e15 is written without snprintf (the digits of x scaled to
 * 15, 16, then 17 significant digits, checked to read back), as %g would
 * write it.  Not finite: "" (never "nan" or "inf").  buf holds at least
 * EGDI_VALUE_TEXT_MAX bytes; returns the length written.  The one number
 * format of egdi's data files (model tables, the report's CSV tables).
 */
#define EGDI_VALUE_TEXT_MAX 32
size_t egdi_value_format(double x, char buf[EGDI_VALUE_TEXT_MAX]);

#endif
