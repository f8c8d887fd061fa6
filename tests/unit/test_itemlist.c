/*
 * Unit tests for engine/core/itemlist.c: item lists ("A1-A5,B2") resolved
 * against a header in sheet order, and the lists refused with their reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/itemlist.h"

static const char *const names[] = {"id", "A1", "A2", "A3", "B1", "B2", "Q-1", "Q-2", "性别"};
#define N (sizeof names / sizeof names[0])

static void select_ok(const char *spec, const size_t *want, size_t nwant)
{
    size_t *idx, k;
    egdi_error e;
    assert_int_equal(egdi_itemlist_select(spec, names, N, &idx, &k, &e), EGDI_OK);
    assert_int_equal(k, nwant);
    for (size_t i = 0; i < k; i++)
        assert_int_equal(idx[i], want[i]);
    free(idx);
}

static void select_fails(const char *spec, const char *msg)
{
    size_t *idx, k;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_itemlist_select(spec, names, N, &idx, &k, &e), EGDI_ERR_ARG);
    assert_null(idx);
    assert_non_null(strstr(e.message, msg));
}

static void ranges_and_lists(void **state)
{
    (void)state;
    select_ok("A1-A3", (size_t[]){1, 2, 3}, 3);
    select_ok("A1-A3,B2", (size_t[]){1, 2, 3, 5}, 4);
    select_ok(" B2 , A1 ", (size_t[]){5, 1}, 2);
    select_ok("A2-B1", (size_t[]){2, 3, 4}, 3);
    select_ok("a1-a2", (size_t[]){1, 2}, 2);        /* case-insensitive */
    select_ok("Q-1", (size_t[]){6}, 1);             /* a name with a dash */
    select_ok("Q-1-Q-2", (size_t[]){6, 7}, 2);      /* a range of such names */
    select_ok("性别", (size_t[]){8}, 1);
}

static void bad_lists(void **state)
{
    (void)state;
    select_fails("A1-Z9", "no column \"A1-Z9\"");
    select_fails("A3-A1", "runs backwards");
    select_fails("A1,A1", "listed twice");
    select_fails("A1-A3,A2", "listed twice");
    select_fails("A1,,A2", "empty entry");
    select_fails("", "empty entry");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ranges_and_lists),
        cmocka_unit_test(bad_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
