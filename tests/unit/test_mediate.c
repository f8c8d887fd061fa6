/*
 * Unit tests for mediation (surveys/mediate.c) against R
 * (tests/r/relations_ref.R), on relations.csv: X = 易用性, M = 有用性,
 * Y = 使用意愿 (and a second mediator M2 = 满意度, parallel):
 *   rel.med.{a,b,cprime,c}.{est,se,t,p}   summary(lm(m ~ x)), lm(y ~ x + m),
 *                                         lm(y ~ x) coefficients
 *   rel.med.ab, .sobel.z, .sobel.p, .ratio  a b, a b / sqrt(b^2 se_a^2 +
 *                                         a^2 se_b^2), 2 pnorm(-|z|), a b / c
 *   rel.med.boot.{lo,hi}                  boot::boot(R = 5000, set.seed(1)),
 *                                         quantile(type = 6) at .025 / .975: a
 *                                         reference run; another random stream
 *                                         agrees to about 0.01 (the Monte Carlo
 *                                         error of these bounds is ~0.001)
 *   rel.med2.*                            the same with two mediators
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>

#include "relations_fixture.h"
#include "surveys/mediate.h"

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

static void check_path(const egdi_path *p, const char *key)
{
    assert_close(p->est, fx_refv(REF, "%s.est", key), 1e-11);
    assert_close(p->se, fx_refv(REF, "%s.se", key), 1e-12);
    assert_rel(p->t, fx_refv(REF, "%s.t", key), 1e-9);
    assert_rel(p->p, fx_refv(REF, "%s.p", key), 1e-9);
}

static void simple_mediation(void **state)
{
    (void)state;
    egdi_mediate_opts o;
    egdi_mediate_opts_init(&o);
    assert_int_equal(o.boot, 5000);
    const char *m[] = {"有用性"};
    egdi_mediation r;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", m, 1, "使用意愿", &o, &r, &e), EGDI_OK);
    assert_int_equal(r.n, (size_t)fx_refv(REF, "rel.med.n"));
    check_path(&r.a[0], "rel.med.a");
    check_path(&r.b[0], "rel.med.b");
    check_path(&r.c_prime, "rel.med.cprime");
    check_path(&r.c, "rel.med.c");
    const egdi_indirect *d = &r.ind[0];
    assert_close(d->ab, fx_refv(REF, "rel.med.ab"), 1e-12);
    assert_rel(d->sobel_z, fx_refv(REF, "rel.med.sobel.z"), 1e-10);
    assert_rel(d->sobel_p, fx_refv(REF, "rel.med.sobel.p"), 1e-9);
    assert_close(d->ratio, fx_refv(REF, "rel.med.ratio"), 1e-11);
    /* c = c' + a b exactly for OLS on the same rows */
    assert_close(r.c.est, r.c_prime.est + d->ab, 1e-12);
    assert_close(d->boot_lo, fx_refv(REF, "rel.med.boot.lo"), 0.01);
    assert_close(d->boot_hi, fx_refv(REF, "rel.med.boot.hi"), 0.01);
    assert_close(d->boot_se, fx_refv(REF, "rel.med.boot.se"), 0.005);
    assert_true(d->boot_lo < d->ab && d->ab < d->boot_hi);
    /* the total of one mediator is that mediator */
    assert_true(r.total.ab == d->ab && r.total.boot_lo == d->boot_lo);
    egdi_mediation_release(&r);
}

static void parallel_mediators(void **state)
{
    (void)state;
    egdi_mediate_opts o;
    egdi_mediate_opts_init(&o);
    const char *m[] = {"有用性", "满意度"};
    egdi_mediation r;
    egdi_error e;
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", m, 2, "使用意愿", &o, &r, &e), EGDI_OK);
    assert_int_equal(r.n, (size_t)fx_refv(REF, "rel.med2.n"));
    check_path(&r.a[0], "rel.med2.a1");
    check_path(&r.a[1], "rel.med2.a2");
    check_path(&r.b[0], "rel.med2.b1");
    check_path(&r.b[1], "rel.med2.b2");
    check_path(&r.c_prime, "rel.med2.cprime");
    check_path(&r.c, "rel.med2.c");
    assert_close(r.ind[0].ab, fx_refv(REF, "rel.med2.ab1"), 1e-12);
    assert_close(r.ind[1].ab, fx_refv(REF, "rel.med2.ab2"), 1e-12);
    assert_close(r.total.ab, r.ind[0].ab + r.ind[1].ab, 1e-15);
    assert_close(r.c.est, r.c_prime.est + r.total.ab, 1e-12);
    static const char *const key[] = {"ab1", "ab2", "total"};
    const egdi_indirect *ind[] = {&r.ind[0], &r.ind[1], &r.total};
    for (int j = 0; j < 3; j++) {
        assert_close(ind[j]->boot_lo, fx_refv(REF, "rel.med2.boot.%s.lo", key[j]), 0.01);
        assert_close(ind[j]->boot_hi, fx_refv(REF, "rel.med2.boot.%s.hi", key[j]), 0.01);
    }
    assert_true(isnan(r.total.sobel_z));
    egdi_mediation_release(&r);
}

/* A seed gives the same resamples whatever the number of threads; another
 * seed gives others. */
static void reproducible_across_threads(void **state)
{
    (void)state;
    const char *m[] = {"有用性"};
    egdi_mediate_opts o;
    egdi_mediate_opts_init(&o);
    o.boot = 999;
    o.seed = 42;
    egdi_mediation r1, r2, r3, r4;
    egdi_error e;
    o.threads = 1;
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", m, 1, "使用意愿", &o, &r1, &e), EGDI_OK);
    o.threads = 3;
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", m, 1, "使用意愿", &o, &r2, &e), EGDI_OK);
    o.threads = 0;
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", m, 1, "使用意愿", &o, &r3, &e), EGDI_OK);
    assert_true(r1.ind[0].boot_lo == r2.ind[0].boot_lo && r1.ind[0].boot_hi == r2.ind[0].boot_hi &&
                r1.ind[0].boot_se == r2.ind[0].boot_se);
    assert_true(r1.ind[0].boot_lo == r3.ind[0].boot_lo && r1.ind[0].boot_se == r3.ind[0].boot_se);
    o.seed = 43;
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", m, 1, "使用意愿", &o, &r4, &e), EGDI_OK);
    assert_true(r4.ind[0].boot_lo != r1.ind[0].boot_lo);
    assert_close(r4.ind[0].boot_lo, r1.ind[0].boot_lo, 0.02);
    egdi_mediation_release(&r1);
    egdi_mediation_release(&r2);
    egdi_mediation_release(&r3);
    egdi_mediation_release(&r4);
}

static void without_bootstrap_and_refusals(void **state)
{
    (void)state;
    egdi_mediate_opts o;
    egdi_mediate_opts_init(&o);
    o.boot = 0;
    const char *m[] = {"有用性"};
    egdi_mediation r;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", m, 1, "使用意愿", &o, &r, &e), EGDI_OK);
    assert_true(isnan(r.ind[0].boot_lo) && !isnan(r.ind[0].sobel_p));
    egdi_mediation_release(&r);
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", m, 0, "使用意愿", &o, &r, &e),
                     EGDI_ERR_ARG);
    o.boot = EGDI_MEDIATE_MAX_BOOT + 1;
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", m, 1, "使用意愿", &o, &r, &e),
                     EGDI_ERR_ARG);
    /* X named as a mediator too */
    o.boot = 10;
    const char *same[] = {"易用性"};
    assert_int_equal(egdi_mediate_dataset(DS, "易用性", same, 1, "使用意愿", &o, &r, &e),
                     EGDI_ERR_ARG); /* named twice */
    double x[] = {1, 2, 3, 4, 5, 6}, y[] = {2, 1, 4, 3, 6, 5};
    const double *mm[] = {x};
    const char *names[] = {"X", "M", "Y"};
    assert_int_equal(egdi_mediate_compute(x, mm, 1, y, 6, names, &o, &r, &e), EGDI_ERR_NUMERIC);
    /* M = X: the a path fits perfectly (and Y ~ X + M would be collinear) */
    assert_non_null(strstr(e.message, "M is a linear function of the predictors"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simple_mediation),
        cmocka_unit_test(parallel_mediators),
        cmocka_unit_test(reproducible_across_threads),
        cmocka_unit_test(without_bootstrap_and_refusals),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
