/*
 * Unit tests for the correlation matrix (surveys/corr.c) against R
 * (tests/r/relations_ref.R), on the four scale scores of relations.csv
 * (有用性 PU, 易用性 EU with EU3 reversed, 满意度 SA, 使用意愿 BI; the mean
 * of the keyed items, missing when an item is):
 *   rel.cor.M.r / .p    cor(L, method = M), cor.test(method = M, exact =
 *                       FALSE)$p.value on the complete rows L (listwise)
 *   rel.cor.M.mean/.sd  mean(), sd() over L
 *   rel.pcor.M.*        cor(S, use = "pairwise.complete.obs", method = M),
 *                       sum of the pair's complete rows, cor.test on them;
 *                       mean/sd of each score's own values
 *   rel.cor.n           nrow(L)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "relations_fixture.h"
#include "surveys/corr.h"

static fx_ref *REF;
static egdi_dataset *DS;
static const char *const VARS[4] = {"有用性", "易用性", "满意度", "使用意愿"};
static const char *const KEY[4] = {"PU", "EU", "SA", "BI"};

static int setup(void **state)
{
    (void)state;
    REF = rel_ref_load();
    DS = rel_open();
    return REF && DS ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_ref_free(REF);
    egdi_dataset_free(DS);
    return 0;
}

static void check(egdi_corr_method method, bool pairwise)
{
    const char *m = method == EGDI_CORR_PEARSON ? "pearson" : "spearman";
    const char *pre = pairwise ? "rel.pcor" : "rel.cor";
    egdi_item_matrix x;
    egdi_corr c;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_dataset_variables(DS, VARS, 4, pairwise ? EGDI_PAIRWISE : EGDI_LISTWISE,
                                            &x, &e),
                     EGDI_OK);
    assert_int_equal(egdi_corr_compute(x.x, x.n, x.p, method, pairwise, x.names, &c, &e), EGDI_OK);
    if (!pairwise)
        assert_int_equal(c.n, (size_t)fx_refv(REF, "rel.cor.n"));
    for (size_t a = 0; a < 4; a++) {
        assert_close(c.mean[a], fx_refv(REF, "%s.%s.mean.%s", pre, m, KEY[a]), 1e-12);
        assert_close(c.sd[a], fx_refv(REF, "%s.%s.sd.%s", pre, m, KEY[a]), 1e-12);
        assert_true(c.r[a * 4 + a] == 1 && isnan(c.p_value[a * 4 + a]));
        for (size_t b = a + 1; b < 4; b++) {
            assert_close(c.r[a * 4 + b], fx_refv(REF, "%s.%s.r.%s.%s", pre, m, KEY[a], KEY[b]),
                         1e-12);
            assert_true(c.r[a * 4 + b] == c.r[b * 4 + a]);
            assert_rel(c.p_value[a * 4 + b],
                       fx_refv(REF, "%s.%s.p.%s.%s", pre, m, KEY[a], KEY[b]), 1e-9);
            if (pairwise)
                assert_int_equal(c.npair[a * 4 + b],
                                 (size_t)fx_refv(REF, "rel.pcor.%s.n.%s.%s", m, KEY[a], KEY[b]));
        }
    }
    egdi_corr_release(&c);
    egdi_dataset_matrix_release(&x);
}

static void pearson_listwise(void **state)
{
    (void)state;
    check(EGDI_CORR_PEARSON, false);
}

static void spearman_listwise(void **state)
{
    (void)state;
    check(EGDI_CORR_SPEARMAN, false);
}

static void pearson_pairwise(void **state)
{
    (void)state;
    check(EGDI_CORR_PEARSON, true);
}

static void spearman_pairwise(void **state)
{
    (void)state;
    check(EGDI_CORR_SPEARMAN, true);
}

/* Ties get their average rank; the p of a perfect correlation is 0. */
static void ranks_and_edges(void **state)
{
    (void)state;
    /* y = x with ties; z = -x: Spearman 1 and -1 */
    double x[] = {1, 2, 2, 3, 5, 5, 5, 8, 1, 2, 2, 3, 5, 5, 5, 8, -1, -2, -2, -3, -5, -5, -5, -8};
    egdi_corr c;
    egdi_error e;
    assert_int_equal(egdi_corr_compute(x, 8, 3, EGDI_CORR_SPEARMAN, false, NULL, &c, &e), EGDI_OK);
    assert_close(c.r[1], 1, 1e-15);
    assert_close(c.r[2], -1, 1e-15);
    assert_true(c.p_value[1] == 0);
    egdi_corr_release(&c);
    /* a constant variable is refused by name */
    double k[] = {1, 2, 3, 4, 3, 3, 3, 3};
    const char *names[] = {"A", "B"};
    egdi_error_clear(&e);
    assert_int_equal(egdi_corr_compute(k, 4, 2, EGDI_CORR_PEARSON, false, names, &c, &e),
                     EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "B has no variance"));
    /* two rows are too few for a test */
    assert_int_equal(egdi_corr_compute(x, 2, 2, EGDI_CORR_PEARSON, false, NULL, &c, &e),
                     EGDI_ERR_NUMERIC);
    /* a missing value when listwise is the caller's mistake */
    double m[] = {1, NAN, 3, 4, 1, 2, 3, 5};
    assert_int_equal(egdi_corr_compute(m, 4, 2, EGDI_CORR_PEARSON, false, names, &c, &e),
                     EGDI_ERR_ARG);
    assert_true(egdi_corr_p(0.5, 3) > 0 && egdi_corr_p(-1, 10) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pearson_listwise),  cmocka_unit_test(spearman_listwise),
        cmocka_unit_test(pearson_pairwise),  cmocka_unit_test(spearman_pairwise),
        cmocka_unit_test(ranks_and_edges),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
