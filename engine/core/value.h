/*
 * value.h - turning what people type into spreadsheet cells into numbers.
 *
 * Accepted as a number: an optional sign, digits (ASCII or full-width
 * U+FF10..U+FF19), an optional decimal point (also full-width U+FF0E), an
 * optional exponent, thousands separators only where they group three digits
 * (1,234,567.5 and 1，234), a trailing % (ASCII or full-width U+FF05), and
 * surrounding spaces (also U+3000).  Anything else is refused with a reason;
 * nothing is ever read as 0 by default.
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

/* 是/否, 有/无 (無), 对/错 (對/錯), 是的/不是, yes/no, y/n, true/false, 1/0
 * (also full-width １/０), ASCII letters in any case, spaces trimmed.
 * Returns EGDI_ERR_VALUE with *why on anything else. */
egdi_status egdi_value_bool(const char *text, size_t len, bool *out, const char **why);

/* True when text is only white space (ASCII, U+3000). */
bool egdi_text_blank(const char *text, size_t len);

#endif
