/*
 * Unit tests for engine/core/error.c: the status names kept in step with the
 * enum, column letters, an error formatted with its location, a long
 * message marked as cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "engine/core/error.h"

static void every_status_has_a_name(void **state)
{
    (void)state;
    for (int s = 0; s < EGDI_STATUS_COUNT; s++)
        assert_string_not_equal(egdi_error_string((egdi_status)s), "unknown error");
    assert_string_equal(egdi_error_string(EGDI_STATUS_COUNT), "unknown error");
    assert_string_equal(egdi_error_string(EGDI_OK), "no error");
}

static void column_letters(void **state)
{
    (void)state;
    char b[8];
    assert_string_equal(egdi_error_col_letters(1, b), "A");
    assert_string_equal(egdi_error_col_letters(26, b), "Z");
    assert_string_equal(egdi_error_col_letters(27, b), "AA");
    assert_string_equal(egdi_error_col_letters(28, b), "AB");
    assert_string_equal(egdi_error_col_letters(702, b), "ZZ");
    assert_string_equal(egdi_error_col_letters(703, b), "AAA");
    assert_string_equal(egdi_error_col_letters(16384, b), "XFD");
}

static void format_with_location(void **state)
{
    (void)state;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_error_set(&e, EGDI_ERR_VALUE, "\"%s\" is not a number", "abc"),
                     EGDI_ERR_VALUE);
    egdi_error_at(&e, "m.xlsx", "2024", 5, 3);
    char line[1024];
    egdi_error_format(&e, line, sizeof line);
    assert_string_equal(line, "m.xlsx, sheet \"2024\", row 5, column C: \"abc\" is not a number");
    egdi_error_clear(&e);
    egdi_error_set(&e, EGDI_ERR_IO, "cannot open");
    egdi_error_format(&e, line, sizeof line);
    assert_string_equal(line, "cannot open");
}

static void long_message_is_marked(void **state)
{
    (void)state;
    egdi_error e;
    egdi_error_clear(&e);
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    egdi_error_set(&e, EGDI_ERR_VALUE, "%s", big);
    size_t n = strlen(e.message);
    assert_int_equal(n, EGDI_ERR_MSG_MAX - 1);
    assert_string_equal(e.message + n - 3, "...");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_status_has_a_name),
        cmocka_unit_test(column_letters),
        cmocka_unit_test(format_with_location),
        cmocka_unit_test(long_message_is_marked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
