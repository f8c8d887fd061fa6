/*
 * Unit tests for surveys/validity.h against R.
 *
 * Reference numbers: tests/r/cfa_ref.out, written by tests/r/cfa_ref.R from
 * tests/data/survey/hs1939.csv and bfi25.csv, on the fit of lavaan::cfa
 * (defaults, refitted to the optimum; see test_cfa.c).  The R calls:
 *   <set>.omega          semTools::compRelSEM(fit)             (obs.var = TRUE)
 *   <set>.omega.implied  semTools::compRelSEM(fit, obs.var = FALSE)
 *   <set>.ave.semtools   semTools::AVE(fit)                    (obs.var = TRUE)
 *   <set>.cr, <set>.ave  from lavInspect(fit, "std")$lambda: (sum l)^2 /
 *                        ((sum l)^2 + sum(1 - l^2)) and mean(l^2)
 *   <set>.phi.cor        lavInspect(fit, "cor.lv")
 *   <set>.htmt           semTools::htmt(model, data, htmt2 = FALSE)
 *   <set>.htmt2          semTools::htmt(model, data)           (htmt2 = TRUE)
 *   <set>.alpha.F        psych::alpha(items): raw_alpha, feldt$lower.ci,
 *                        feldt$upper.ci
 *   <set>.harman         eigen(cor(items))$values[1] and its share of p
 * Tolerance 1e-6 (relative above 1): every value is a function of the
 * estimates (1e-9 from R's) or of the covariances alone.
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

#include <gsl/gsl_errno.h>

#include "cfa_fixture.h"
#include "surveys/validity.h"

static void check_vec(const double *got, size_t n, const char *set, const char *name)
{
    const cfx_entry *e = cfx_ref(set, name);
    assert_int_equal(e->nr * e->nc, n);
    char what[128];
    for (size_t k = 0; k < n; k++) {
        snprintf(what, sizeof what, "%s.%s[%zu]", set, name, k);
        cfx_near(got[k], e->v[k], 1e-6, what);
    }
}

static void check_validity(const cfx_fit *f, const char *set)
{
    egdi_validity v;
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_validity_compute(&f->r, &f->cov, &v, &err) != EGDI_OK)
        fail_msg("%s: %s", set, err.message);
    size_t m = v.m;
    assert_int_equal(m, f->model.nfactors);
    check_vec(v.omega, m, set, "omega");
    check_vec(v.omega_implied, m, set, "omega.implied");
    check_vec(v.ave_semtools, m, set, "ave.semtools");
    check_vec(v.cr, m, set, "cr");
    check_vec(v.ave, m, set, "ave");
    if (m > 1) /* (lavInspect's "cor.lv" of a single factor is not 1) */
        check_vec(v.phi_cor, m * m, set, "phi.cor");
    check_vec(v.htmt, m * m, set, "htmt");
    check_vec(v.htmt2, m * m, set, "htmt2");
    for (size_t g = 0; g < m; g++) {
        char name[64];
        snprintf(name, sizeof name, "alpha.%s", f->model.factor[g].name);
        const double got[3] = {v.alpha[g], v.alpha_lo[g], v.alpha_hi[g]};
        check_vec(got, 3, set, name);
        cfx_near(v.sqrt_ave[g], sqrt(v.ave[g]), 1e-15, "sqrt(AVE)");
    }
    const double h[2] = {v.harman_eigen, v.harman_share};
    check_vec(h, 2, set, "harman");
    /* Fornell-Larcker: a pair fails when |r| reaches the smaller sqrt(AVE) */
    for (size_t a = 0; a < m; a++)
        for (size_t b = 0; b < m; b++) {
            double r = fabs(v.phi_cor[a * m + b]);
            bool want = a != b && (r >= v.sqrt_ave[a] || r >= v.sqrt_ave[b]);
            assert_int_equal(v.fl_violation[a * m + b], want);
        }
    egdi_validity_release(&v);
    egdi_validity_release(&v); /* harmless twice */
}

static void test_hs(void **state)
{
    (void)state;
    cfx_fit f;
    cfx_fit_file(&f, CFX_HS, CFX_HS_MODEL, NULL, 0, 0, NULL);
    check_validity(&f, "hs");
    /* the judgements: textual meets CR >= .70 and AVE >= .50, visual not;
     * Harman's 35.7 % is below 40 % */
    egdi_validity v;
    egdi_error err;
    assert_int_equal(egdi_validity_compute(&f.r, &f.cov, &v, &err), EGDI_OK);
    assert_false(egdi_validity_convergent_ok(&v, 0));
    assert_true(egdi_validity_convergent_ok(&v, 1));
    assert_string_equal(egdi_validity_htmt_mark(0.424), "");
    assert_string_equal(egdi_validity_htmt_mark(0.86), "*");
    assert_string_equal(egdi_validity_htmt_mark(0.90), "**");
    assert_string_equal(egdi_validity_harman_text(&v, false),
                        "below 40%: no serious common-method bias");
    egdi_validity_release(&v);
    cfx_fit_release(&f);
}

static void test_bfi(void **state)
{
    (void)state;
    /* one factor per scale */
    const char *scales[] = {"A", "C", "E", "N", "O"};
    for (size_t s = 0; s < 5; s++) {
        char model[128], set[16];
        const char *x = scales[s];
        snprintf(model, sizeof model, "%s =~ %s1 + %s2 + %s3 + %s4 + %s5", x, x, x, x, x, x);
        snprintf(set, sizeof set, "bfi%s", x);
        cfx_fit f;
        cfx_fit_file(&f, CFX_BFI, model, CFX_BFI_SCALES, 1, 6, NULL);
        check_validity(&f, set);
        cfx_fit_release(&f);
    }
    /* the five factors: E and A fail Fornell-Larcker (r = .683 > sqrt(AVE)
     * of A, .605) */
    cfx_fit f;
    cfx_fit_file(&f, CFX_BFI, CFX_BFI5_MODEL, CFX_BFI_SCALES, 1, 6, NULL);
    check_validity(&f, "bfi5");
    egdi_validity v;
    egdi_error err;
    assert_int_equal(egdi_validity_compute(&f.r, &f.cov, &v, &err), EGDI_OK);
    assert_true(v.fl_violation[2 * 5 + 0]);
    assert_false(v.fl_violation[1 * 5 + 0]);
    egdi_validity_release(&v);
    cfx_fit_release(&f);
}

/* The sqrt(AVE) of every scale of a dataset (for correlation tables): one
 * CFA of all the scales, as `egdi survey validity --scales` fits it. */
static void test_sqrt_ave(void **state)
{
    (void)state;
    egdi_dataset_opts d;
    egdi_dataset_opts_init(&d);
    d.data = CFX_BFI;
    d.scales = CFX_BFI_SCALES;
    d.have_scale = true;
    d.scale_min = 1;
    d.scale_max = 6;
    egdi_dataset *ds;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_dataset_open(&d, &ds, &err), EGDI_OK);
    double out[5];
    assert_int_equal(egdi_validity_sqrt_ave(ds, out, &err), EGDI_OK);
    const cfx_entry *ave = cfx_ref("bfi5", "ave");
    for (size_t k = 0; k < 5; k++)
        cfx_near(out[k], sqrt(ave->v[k]), 1e-6, "sqrt(AVE) of a scale");
    egdi_dataset_free(ds);
    /* no scales: refused */
    egdi_dataset_opts_init(&d);
    d.data = CFX_HS;
    assert_int_equal(egdi_dataset_open(&d, &ds, &err), EGDI_OK);
    assert_int_equal(egdi_validity_sqrt_ave(ds, out, &err), EGDI_ERR_ARG);
    assert_non_null(strstr(err.message, "has no scales"));
    egdi_dataset_free(ds);
}

/* A factor whose variance is negative has no reliability: refused by name. */
static void test_refusal(void **state)
{
    (void)state;
    cfx_fit f;
    cfx_fit_file(&f, CFX_HS, CFX_HS_MODEL, NULL, 0, 0, NULL);
    f.r.phi[0] = -0.1;
    egdi_validity v;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_validity_compute(&f.r, &f.cov, &v, &err), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(err.message, "factor visual has a variance of -0.1"));
    assert_null(v.alpha);
    cfx_fit_release(&f);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hs),
        cmocka_unit_test(test_bfi),
        cmocka_unit_test(test_sqrt_ave),
        cmocka_unit_test(test_refusal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
