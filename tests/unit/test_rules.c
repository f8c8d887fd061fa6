/*
 * Unit tests for indicators/rules.c: every scoring rule on hand-checked
 * values, both directions.  Each expected number is worked out in the
 * comment beside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "model_fixture.h"
#include "indicators/rules.h"

static egdi_node leaf(egdi_rule rule, int dir)
{
    egdi_node n;
    memset(&n, 0, sizeof n);
    n.code = "X";
    n.rule = rule;
    n.direction = dir;
    n.min = n.max = n.target = n.tolerance = n.scale_min = n.scale_max = NAN;
    return n;
}

static void apply(const egdi_node *n, const double *raw, size_t k, double *out)
{
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_rule_apply(n, raw, k, NULL, out, &err), EGDI_OK);
}

static void goalpost(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_GOALPOST, 1);
    n.min = 20;
    n.max = 70;
    double raw[] = {20, 45, 70, 10, 95, NAN}, s[6];
    apply(&n, raw, 6, s);
    assert_near(s[0], 0, 1e-12);   /* at min */
    assert_near(s[1], 50, 1e-12);  /* (45-20)/(70-20) = 0.5 */
    assert_near(s[2], 100, 1e-12); /* at max */
    assert_near(s[3], 0, 1e-12);   /* clamped below */
    assert_near(s[4], 100, 1e-12); /* clamped above */
    assert_true(isnan(s[5]));             /* missing stays missing */
    n.direction = -1;
    apply(&n, raw, 6, s);
    assert_near(s[0], 100, 1e-12);
    assert_near(s[1], 50, 1e-12);
    assert_near(s[3], 100, 1e-12);
    assert_near(s[4], 0, 1e-12);
}

static void minmax(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_MINMAX, 1);
    double raw[] = {10, 30, 20, NAN}, s[4];
    apply(&n, raw, 4, s);
    assert_near(s[0], 0, 1e-12);
    assert_near(s[1], 100, 1e-12);
    assert_near(s[2], 50, 1e-12); /* (20-10)/(30-10) */
    assert_true(isnan(s[3]));
    n.direction = -1;
    apply(&n, raw, 4, s);
    assert_near(s[0], 100, 1e-12);
    assert_near(s[2], 50, 1e-12);
}

static void minmax_identical_values_is_a_message(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_MINMAX, 1);
    double raw[] = {7, 7, NAN, 7}, s[4];
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_rule_apply(&n, raw, 4, NULL, s, &err), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(err.message, "indicator X: all 3 units have the same value 7"));
}

static void zscore(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_ZSCORE, 1);
    /* mean 4, population SD sqrt(((2-4)^2 + 0 + (6-4)^2)/3) = sqrt(8/3) = 1.632993 */
    double raw[] = {2, 4, 6}, s[3];
    apply(&n, raw, 3, s);
    double z = 2.0 / sqrt(8.0 / 3.0); /* 1.224745 */
    assert_near(s[0], 50 - 10 * z, 1e-12); /* 37.752551 */
    assert_near(s[1], 50, 1e-12);
    assert_near(s[2], 50 + 10 * z, 1e-12); /* 62.247449 */
    n.direction = -1;
    apply(&n, raw, 3, s);
    assert_near(s[0], 50 + 10 * z, 1e-12);
    /* an outlier far away is clamped to 0..100 */
    double far[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    double fs[100];
    n.direction = 1;
    apply(&n, far, 100, fs); /* z of the 1 is 99 / sqrt(99) = 9.95 -> 149.5 -> 100 */
    assert_near(fs[99], 100, 1e-12);
}

static void rank_percentile(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_RANK, 1);
    /* ascending ranks 1, 2.5, 2.5, 4, 5 (the 20s tie) -> 100 (r - 1)/4 */
    double raw[] = {10, 20, 20, 30, 40, NAN}, s[6];
    apply(&n, raw, 6, s);
    assert_near(s[0], 0, 1e-12);
    assert_near(s[1], 37.5, 1e-12);
    assert_near(s[2], 37.5, 1e-12);
    assert_near(s[3], 75, 1e-12);
    assert_near(s[4], 100, 1e-12);
    assert_true(isnan(s[5]));
    n.direction = -1;
    apply(&n, raw, 6, s);
    assert_near(s[0], 100, 1e-12);
    assert_near(s[1], 62.5, 1e-12);
    double one[] = {5}, s1[1];
    apply(&n, one, 1, s1);
    assert_near(s1[0], 100, 1e-12); /* a single unit */
}

static void target(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_TARGET, 1);
    n.target = 50;
    n.tolerance = 20;
    double raw[] = {50, 40, 65, 80}, s[4];
    apply(&n, raw, 4, s);
    assert_near(s[0], 100, 1e-12);
    assert_near(s[1], 50, 1e-12); /* 1 - 10/20 */
    assert_near(s[2], 25, 1e-12); /* 1 - 15/20 */
    assert_near(s[3], 0, 1e-12);  /* beyond the tolerance */
}

static void steps(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_STEPS, 1);
    /* "0:0;50:60;80:100" */
    n.nsteps = 3;
    n.steps_x[0] = 0, n.steps_y[0] = 0;
    n.steps_x[1] = 50, n.steps_y[1] = 60;
    n.steps_x[2] = 80, n.steps_y[2] = 100;
    double raw[] = {-1, 0, 49.9, 50, 79, 80, 1000}, s[7];
    apply(&n, raw, 7, s);
    double want[] = {0, 0, 0, 60, 60, 100, 100};
    for (int i = 0; i < 7; i++)
        assert_near(s[i], want[i], 1e-12);
    /* lower is better: the smallest threshold >= x, above the last 0 */
    n.direction = -1;
    apply(&n, raw, 7, s);
    double low[] = {0, 0, 60, 60, 100, 100, 0};
    for (int i = 0; i < 7; i++)
        assert_near(s[i], low[i], 1e-12);
}

static void yesno(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_YESNO, 1);
    double raw[] = {1, 0}, s[2];
    apply(&n, raw, 2, s);
    assert_near(s[0], 100, 1e-12);
    assert_near(s[1], 0, 1e-12);
    n.direction = -1;
    apply(&n, raw, 2, s);
    assert_near(s[0], 0, 1e-12);
    assert_near(s[1], 100, 1e-12);
}

static void likert(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_LIKERT, 1);
    n.scale_min = 1;
    n.scale_max = 5;
    double raw[] = {1, 3, 4.2, 5}, s[4];
    apply(&n, raw, 4, s);
    assert_near(s[0], 0, 1e-12);
    assert_near(s[1], 50, 1e-12);
    assert_near(s[2], 80, 1e-12); /* (4.2-1)/4 */
    assert_near(s[3], 100, 1e-12);
    double bad[] = {5.5}, sb[1];
    egdi_error err;
    egdi_error_clear(&err);
    const char *ids[] = {"D9"};
    assert_int_equal(egdi_rule_apply(&n, bad, 1, ids, sb, &err), EGDI_ERR_VALUE);
    assert_non_null(strstr(err.message, "unit D9: value 5.5 is outside the Likert scale 1..5"));
}

static void ratio(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_RATIO, 1);
    n.target = 4;
    double raw[] = {1, 4, 8, 0}, s[4];
    apply(&n, raw, 4, s);
    assert_near(s[0], 25, 1e-12);
    assert_near(s[1], 100, 1e-12);
    assert_near(s[2], 100, 1e-12); /* capped */
    assert_near(s[3], 0, 1e-12);
    n.direction = -1; /* e.g. days to deliver: 100 * target / x */
    apply(&n, raw, 4, s);
    assert_near(s[0], 100, 1e-12);
    assert_near(s[2], 50, 1e-12);
    assert_near(s[3], 100, 1e-12);
}

static void value(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_VALUE, 1);
    double raw[] = {0.8765, NAN}, s[2];
    apply(&n, raw, 2, s);
    assert_near(s[0], 0.8765, 0);
    assert_true(isnan(s[1]));
}

/* Near +-1e308, hi - lo and the squares of the z-score overflow: the scores
 * are still the ones of the same values scaled down (issue 19, item 14). */
static void huge_values(void **state)
{
    (void)state;
    egdi_node n = leaf(EGDI_RULE_MINMAX, 1);
    double raw[] = {-1e308, 1e308, 0, 5e307, NAN}, s[5];
    apply(&n, raw, 5, s);
    assert_near(s[0], 0, 1e-12);
    assert_near(s[1], 100, 1e-12);
    assert_near(s[2], 50, 1e-12); /* (0 + 1e308) / 2e308 */
    assert_near(s[3], 75, 1e-12); /* (5e307 + 1e308) / 2e308 */
    n.direction = -1;
    apply(&n, raw, 5, s);
    assert_near(s[3], 25, 1e-12);
    n = leaf(EGDI_RULE_GOALPOST, 1); /* the same formula with fixed goalposts */
    n.min = -1.7e308;
    n.max = 1.7e308;
    double g[] = {0, 8.5e307}, sg[2];
    apply(&n, g, 2, sg);
    assert_near(sg[0], 50, 1e-12);
    assert_near(sg[1], 75, 1e-12); /* (0.85 + 1.7) / 3.4 */

    n = leaf(EGDI_RULE_ZSCORE, 1);
    /* +-1e300: mean 0, population SD 1e300, z = +-1, T = 50 +- 10 */
    double z[] = {1e300, -1e300, 1e300, -1e300}, sz[4];
    apply(&n, z, 4, sz);
    assert_near(sz[0], 60, 1e-9);
    assert_near(sz[1], 40, 1e-9);
    /* 1e308, 0, -1e308: mean 0, SD sqrt(2/3) 1e308, z of 1e308 = 1.2247..., T 62.247... */
    double z3[] = {1e308, 0, -1e308}, sz3[3];
    apply(&n, z3, 3, sz3);
    assert_near(sz3[0], 50 + 10 * sqrt(1.5), 1e-9);
    assert_near(sz3[1], 50, 1e-9);
    assert_near(sz3[2], 50 - 10 * sqrt(1.5), 1e-9);
    /* the same values scaled by 1e-300 give the same T-scores */
    double small[] = {1e8, 0, -1e8}, ss[3];
    apply(&n, small, 3, ss);
    assert_near(ss[0], sz3[0], 1e-9);

    /* a value rule that gives no finite score is refused by name; so is a
     * value that is itself not finite */
    n = leaf(EGDI_RULE_TARGET, 1);
    n.target = 1;
    n.tolerance = 1e-308;
    double t[] = {1e308}, st[1];
    egdi_error err;
    egdi_error_clear(&err);
    const char *ids[] = {"U1", "U2", "U3"};
    apply(&n, t, 1, st);
    assert_near(st[0], 0, 1e-12); /* 100 (1 - 1e308 / 1e-308) is -inf: clamped to 0 */
    n = leaf(EGDI_RULE_ZSCORE, 1);
    double inf[] = {1, INFINITY, 2}, si[3];
    assert_int_equal(egdi_rule_apply(&n, inf, 3, ids, si, &err), EGDI_ERR_VALUE);
    assert_non_null(strstr(err.message, "indicator X, unit U2: the value is not a finite number"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(goalpost),      cmocka_unit_test(minmax),
        cmocka_unit_test(minmax_identical_values_is_a_message),
        cmocka_unit_test(zscore),        cmocka_unit_test(rank_percentile),
        cmocka_unit_test(target),        cmocka_unit_test(steps),
        cmocka_unit_test(yesno),         cmocka_unit_test(likert),
        cmocka_unit_test(ratio),         cmocka_unit_test(value),
        cmocka_unit_test(huge_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
