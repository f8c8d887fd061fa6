/*
 * test_progress.c - engine/core/progress.c: a stage of a job told as its
 * share of the whole (egdi_progress_part), as egdi score tells the round
 * read, scored and saved.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "engine/core/progress.h"

typedef struct {
    size_t calls;
    uint64_t done[8], total[8];
    const char *what;
} seen;

static void on_step(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    seen *s = ctx;
    s->what = what;
    if (s->calls < 8) {
        s->done[s->calls] = done;
        s->total[s->calls] = total;
    }
    s->calls++;
}

static void a_part_is_its_share(void **state)
{
    (void)state;
    seen s = {0};
    egdi_progress up = {on_step, &s, "units"};
    egdi_progress_part_t part;
    /* the third stage of 3 x 533 steps: 533 steps of its own */
    const egdi_progress *p = egdi_progress_part(&part, &up, 1066, 533, 1599);
    assert_non_null(p);
    egdi_progress_step(p, 0, 533);
    egdi_progress_step(p, 100, 533);
    egdi_progress_step(p, 533, 533);
    /* a stage that counts in other units: 7 of 10 rows = 373.1 of 533 */
    egdi_progress_step(p, 7, 10);
    /* beyond its end or with no known total: the stage's end */
    egdi_progress_step(p, 12, 10);
    egdi_progress_step(p, 5, 0);
    assert_int_equal(s.calls, 6);
    assert_int_equal(s.done[0], 1066);
    assert_int_equal(s.done[1], 1166);
    assert_int_equal(s.done[2], 1599);
    assert_int_equal(s.done[3], 1066 + 373);
    assert_int_equal(s.done[4], 1599);
    assert_int_equal(s.done[5], 1599);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(s.total[i], 1599);
    assert_string_equal(s.what, "units"); /* the whole's word */
    /* huge counts do not overflow: half of 2^63 steps */
    uint64_t big = UINT64_C(1) << 63;
    p = egdi_progress_part(&part, &up, 0, big, big);
    egdi_progress_step(p, big / 2, big);
    assert_int_equal(s.done[6], big / 2);
}

static void nobody_told(void **state)
{
    (void)state;
    egdi_progress_part_t part;
    assert_null(egdi_progress_part(&part, NULL, 0, 1, 1));
    egdi_progress silent = {NULL, NULL, "units"};
    assert_null(egdi_progress_part(&part, &silent, 0, 1, 1));
    egdi_progress_step(NULL, 1, 1); /* harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_part_is_its_share),
        cmocka_unit_test(nobody_told),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
