/*
 * Unit tests for OLS regression by blocks (surveys/regress.c) against R
 * (tests/r/relations_ref.R), on relations.csv: 满意度 on 性别 (text 女/男,
 * reference 女), 年龄, 学历 (text, reference 本科) in model 1, then 有用性 and
 * 易用性 added in model 2:
 *   rel.reg.mM.{b,se,t,p,lo,hi}.NAME   summary(lm)$coefficients, confint()
 *   rel.reg.mM.beta.NAME               coef * sd(x) / sd(y)
 *   rel.reg.mM.vif.NAME                1 / (1 - R^2 of the column on the
 *                                      others), = car::vif for numeric columns
 *   rel.reg.m3.vif.*                   car::vif(lm(y ~ 年龄 + PU + EU))
 *   rel.reg.mM.{r2,adj_r2,F,df1,df2,p_F,se_est}  summary(lm)
 *   rel.reg.mM.dw                      car::durbinWatsonTest(m)$dw
 *   rel.reg.change.*                   anova(m1, m2) and the R^2 difference
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>

#include "relations_fixture.h"
#include "surveys/regress.h"

static fx_ref *REF;
static egdi_dataset *DS;

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
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

/* R's names of the coefficients, in egdi's order. */
static const char *const RNAME[8] = {"(Intercept)", "性别男", "年龄", "学历博士",
                                     "学历大专",    "学历硕士", "PU",   "EU"};
static const char *const ENAME[8] = {NULL,        "性别=男", "年龄",   "学历=博士",
                                     "学历=大专", "学历=硕士", "有用性", "易用性"};

static void hierarchical_with_dummies(void **state)
{
    (void)state;
    egdi_reg_term b1[] = {{"性别", false, NULL}, {"年龄", false, NULL}, {"学历", false, "本科"}};
    egdi_reg_term b2[] = {{"有用性", false, NULL}, {"易用性", false, NULL}};
    const egdi_reg_term *blocks[] = {b1, b2};
    size_t nt[] = {3, 2};
    egdi_regression r;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_regress_dataset(DS, "满意度", blocks, nt, 2, 0.95, &r, &e), EGDI_OK);
    assert_int_equal(r.n, (size_t)fx_refv(REF, "rel.reg.n"));
    assert_int_equal(r.n_read, 400);
    assert_int_equal(r.nmodels, 2);
    assert_int_equal(r.model[0].q, 5);
    assert_int_equal(r.model[1].q, 7);
    for (size_t m = 0; m < 2; m++) {
        const egdi_reg_model *M = &r.model[m];
        int k = (int)m + 1;
        assert_close(M->r2, fx_refv(REF, "rel.reg.m%d.r2", k), 1e-11);
        assert_close(M->adj_r2, fx_refv(REF, "rel.reg.m%d.adj_r2", k), 1e-11);
        assert_rel(M->F, fx_refv(REF, "rel.reg.m%d.F", k), 1e-9);
        assert_true(M->df_reg == fx_refv(REF, "rel.reg.m%d.df1", k));
        assert_true(M->df_res == fx_refv(REF, "rel.reg.m%d.df2", k));
        assert_rel(M->p_F, fx_refv(REF, "rel.reg.m%d.p_F", k), 1e-9);
        assert_close(M->se_est, fx_refv(REF, "rel.reg.m%d.se_est", k), 1e-12);
        assert_close(M->dw, fx_refv(REF, "rel.reg.m%d.dw", k), 1e-12);
        assert_close(M->dw, fx_refv(REF, "rel.reg.m%d.dw_formula", k), 1e-12);
        assert_close(M->r * M->r, M->r2, 1e-15);
        for (size_t c = 0; c <= M->q; c++) {
            const egdi_reg_coef *co = &M->coef[c];
            const char *rn = RNAME[c];
            if (ENAME[c])
                assert_string_equal(co->name, ENAME[c]);
            else
                assert_null(co->name);
            assert_close(co->b, fx_refv(REF, "rel.reg.m%d.b.%s", k, rn), 1e-10);
            assert_close(co->se, fx_refv(REF, "rel.reg.m%d.se.%s", k, rn), 1e-11);
            assert_rel(co->t, fx_refv(REF, "rel.reg.m%d.t.%s", k, rn), 1e-9);
            assert_rel(co->p, fx_refv(REF, "rel.reg.m%d.p.%s", k, rn), 1e-9);
            assert_close(co->ci_lo, fx_refv(REF, "rel.reg.m%d.lo.%s", k, rn), 1e-10);
            assert_close(co->ci_hi, fx_refv(REF, "rel.reg.m%d.hi.%s", k, rn), 1e-10);
            if (c == 0) {
                assert_true(isnan(co->beta) && isnan(co->vif) && isnan(co->tolerance));
                continue;
            }
            assert_close(co->beta, fx_refv(REF, "rel.reg.m%d.beta.%s", k, rn), 1e-11);
            assert_close(co->vif, fx_refv(REF, "rel.reg.m%d.vif.%s", k, rn), 1e-10);
            assert_close(co->tolerance * co->vif, 1, 1e-15);
        }
    }
    /* the dummies' reference categories */
    assert_string_equal(r.model[1].coef[1].ref, "女");
    assert_string_equal(r.model[1].coef[3].ref, "本科");
    assert_null(r.model[1].coef[2].ref);
    /* R^2 change, F change: anova(m1, m2) */
    const egdi_reg_model *m2 = &r.model[1];
    assert_close(m2->r2_change, fx_refv(REF, "rel.reg.change.r2"), 1e-11);
    assert_rel(m2->F_change, fx_refv(REF, "rel.reg.change.F"), 1e-9);
    assert_true(m2->df1_change == fx_refv(REF, "rel.reg.change.df1"));
    assert_true(m2->df2_change == fx_refv(REF, "rel.reg.change.df2"));
    assert_rel(m2->p_change, fx_refv(REF, "rel.reg.change.p"), 1e-9);
    /* the first model is compared with the constant alone */
    assert_true(r.model[0].r2_change == r.model[0].r2);
    assert_rel(r.model[0].F_change, r.model[0].F, 1e-12);
    egdi_regression_release(&r);
}

/* car::vif on numeric predictors, on the model's own complete rows */
static void vif_as_car(void **state)
{
    (void)state;
    egdi_reg_term b[] = {{"年龄", false, NULL}, {"有用性", false, NULL}, {"易用性", false, NULL}};
    const egdi_reg_term *blocks[] = {b};
    size_t nt[] = {3};
    static const char *const key[] = {"年龄", "PU", "EU"};
    egdi_regression r;
    egdi_error e;
    assert_int_equal(egdi_regress_dataset(DS, "满意度", blocks, nt, 1, 0.95, &r, &e), EGDI_OK);
    assert_int_equal(r.n, (size_t)fx_refv(REF, "rel.reg.m3.n"));
    for (size_t j = 1; j <= 3; j++)
        assert_close(r.model[0].coef[j].vif, fx_refv(REF, "rel.reg.m3.vif.%s", key[j - 1]),
                     1e-10);
    egdi_regression_release(&r);
}

static void refused_designs(void **state)
{
    (void)state;
    /* x3 = x1 + 2 x2: collinear, named */
    double x[3 * 6] = {1, 2, 3, 4, 5, 7, 2, 1, 0, 3, 5, 1, 0, 0, 0, 0, 0, 0};
    for (size_t i = 0; i < 6; i++)
        x[12 + i] = x[i] + 2 * x[6 + i];
    double y[6] = {1, 3, 2, 5, 4, 6};
    const char *names[] = {"A", "B", "C"};
    size_t end = 3;
    egdi_regression r;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_regress_fit(x, y, 6, 3, names, NULL, &end, 1, "Y", 0.95, &r, &e),
                     EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "C is a linear combination of A, B"));
    /* too few rows */
    assert_int_equal(egdi_regress_fit(x, y, 3, 2, names, NULL, (size_t[]){2}, 1, "Y", 0.95, &r,
                                      &e),
                     EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "3 complete rows for 2 predictors"));
    /* a perfect fit: y = A */
    assert_int_equal(egdi_regress_fit(x, x, 6, 2, names, NULL, (size_t[]){2}, 1, "Y", 0.95, &r,
                                      &e),
                     EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "R^2 = 1"));
    /* a constant predictor */
    double c[12] = {1, 2, 3, 4, 5, 7, 3, 3, 3, 3, 3, 3};
    assert_int_equal(egdi_regress_fit(c, y, 6, 2, names, NULL, (size_t[]){2}, 1, "Y", 0.95, &r,
                                      &e),
                     EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "B has no variance"));
    /* an unknown reference category; y among the predictors */
    egdi_reg_term t1[] = {{"学历", false, "研究生"}};
    const egdi_reg_term *bl[] = {t1};
    size_t nt[] = {1};
    assert_int_equal(egdi_regress_dataset(DS, "满意度", bl, nt, 1, 0.95, &r, &e), EGDI_ERR_ARG);
    assert_non_null(strstr(e.message, "研究生"));
    egdi_reg_term t2[] = {{"满意度", false, NULL}};
    const egdi_reg_term *bl2[] = {t2};
    assert_int_equal(egdi_regress_dataset(DS, "满意度", bl2, nt, 1, 0.95, &r, &e), EGDI_ERR_ARG);
    /* a coded column entered as categorical: 部门 1-4, reference 3 by code */
    egdi_reg_term t3[] = {{"部门", true, "3"}};
    const egdi_reg_term *bl3[] = {t3};
    assert_int_equal(egdi_regress_dataset(DS, "满意度", bl3, nt, 1, 0.95, &r, &e), EGDI_OK);
    assert_int_equal(r.model[0].q, 3);
    assert_string_equal(r.model[0].coef[1].name, "部门=1");
    assert_string_equal(r.model[0].coef[3].name, "部门=4");
    assert_string_equal(r.model[0].coef[3].ref, "3");
    egdi_regression_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hierarchical_with_dummies),
        cmocka_unit_test(vif_as_car),
        cmocka_unit_test(refused_designs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
