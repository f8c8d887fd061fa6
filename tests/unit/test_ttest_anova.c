/*
 * Unit tests for surveys/ttest.c and surveys/anova.c against R
 * (tests/r/survey_ref.R):
 *   tt_ref  t.test(y1, y2, var.equal = TRUE) and (var.equal = FALSE):
 *           statistic, parameter, p.value, conf.int; Levene = summary(aov(
 *           abs(y - ave(y, g)) ~ g)) (SPSS, mean-centred); d = (m1 - m2) / sp
 *   pr      t.test(x, y, paired = TRUE)
 *   os      t.test(x, mu = m)
 *   an      summary(aov(y ~ factor(g))): F, Df, Pr(>F), SS; eta2 = SSb / SSt;
 *           Levene as above; tapply(y, g, mean / sd)
 * Data: questionnaire.csv (Q1 by gender; the D1 scale = rowMeans of Q1-Q4 with
 * Q4 reversed, complete rows; Q5 by group) and bfi.csv (the A scale,
 * A1 reversed, by gender and by education).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "surveys/anova.h"
#include "surveys/ttest.h"
#include "survey_fixture.h"

static fx_data *Q, *B;
static fx_ref *REF;

static int setup(void **state)
{
    (void)state;
    Q = fx_load("tests/data/survey/questionnaire.csv");
    B = fx_load("tests/data/survey/bfi.csv");
    REF = fx_ref_load();
    return Q && B && REF ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fx_free(Q);
    fx_free(B);
    fx_ref_free(REF);
    return 0;
}

/* Mean of items per row (NaN when any is missing), rev as maxplus1 - x. */
static double *scale_score(const fx_data *d, const char *const *items, const int *rev,
                           size_t p, double maxplus1)
{
    double *s = malloc(d->n * sizeof *s);
    for (size_t i = 0; i < d->n; i++) {
        double t = 0;
        for (size_t j = 0; j < p; j++) {
            double v = fx_col(d, items[j])[i];
            t += rev[j] ? maxplus1 - v : v;
        }
        s[i] = t / (double)p;
    }
    return s;
}

static void check_ind(const char *prefix, const double *y, const double *g, size_t n)
{
    double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i]) || isnan(g[i]))
            continue;
        if (g[i] == 1)
            a[na++] = y[i];
        else if (g[i] == 2)
            b[nb++] = y[i];
    }
    egdi_ttest_ind t;
    egdi_error e;
    assert_int_equal(egdi_ttest_independent(a, na, b, nb, 0.95, NULL, &t, &e), EGDI_OK);
    assert_int_equal(t.n1, (size_t)fx_refv(REF, "%s.n1", prefix));
    assert_int_equal(t.n2, (size_t)fx_refv(REF, "%s.n2", prefix));
    assert_close(t.mean1, fx_refv(REF, "%s.mean1", prefix), 1e-12);
    assert_close(t.mean2, fx_refv(REF, "%s.mean2", prefix), 1e-12);
    assert_close(t.sd1, fx_refv(REF, "%s.sd1", prefix), 1e-12);
    assert_close(t.sd2, fx_refv(REF, "%s.sd2", prefix), 1e-12);
    assert_close(t.levene.F, fx_refv(REF, "%s.levene.1", prefix), 1e-9);
    assert_close(t.levene.df1, fx_refv(REF, "%s.levene.2", prefix), 0);
    assert_close(t.levene.df2, fx_refv(REF, "%s.levene.3", prefix), 0);
    assert_rel(t.levene.p, fx_refv(REF, "%s.levene.4", prefix), 1e-6);
    assert_close(t.student.t, fx_refv(REF, "%s.student_t", prefix), 1e-10);
    assert_close(t.student.df, fx_refv(REF, "%s.student_df", prefix), 1e-12);
    assert_rel(t.student.p, fx_refv(REF, "%s.student_p", prefix), 1e-6);
    assert_close(t.student.ci_lo, fx_refv(REF, "%s.student_ci.1", prefix), 1e-9);
    assert_close(t.student.ci_hi, fx_refv(REF, "%s.student_ci.2", prefix), 1e-9);
    assert_close(t.welch.t, fx_refv(REF, "%s.welch_t", prefix), 1e-10);
    assert_close(t.welch.df, fx_refv(REF, "%s.welch_df", prefix), 1e-9);
    assert_rel(t.welch.p, fx_refv(REF, "%s.welch_p", prefix), 1e-6);
    assert_close(t.welch.ci_lo, fx_refv(REF, "%s.welch_ci.1", prefix), 1e-9);
    assert_close(t.welch.ci_hi, fx_refv(REF, "%s.welch_ci.2", prefix), 1e-9);
    assert_close(t.d, fx_refv(REF, "%s.d", prefix), 1e-10);
    free(a);
    free(b);
}

static const char *const QI[4] = {"Q1", "Q2", "Q3", "Q4"};
static const int QR[4] = {0, 0, 0, 1};
static const char *const AI[5] = {"A1", "A2", "A3", "A4", "A5"};
static const int AR[5] = {1, 0, 0, 0, 0};

static void independent(void **state)
{
    (void)state;
    check_ind("q.tt.Q1", fx_col(Q, "Q1"), fx_col(Q, "gender"), Q->n);
    double *d1 = scale_score(Q, QI, QR, 4, 6);
    check_ind("q.tt.D1", d1, fx_col(Q, "gender"), Q->n);
    free(d1);
    double *as = scale_score(B, AI, AR, 5, 7);
    check_ind("b.tt.A", as, fx_col(B, "gender"), B->n);
    free(as);
}

static void check_one(const char *prefix, const egdi_ttest_one *t)
{
    assert_int_equal(t->n, (size_t)fx_refv(REF, "%s.n", prefix));
    assert_close(t->row.t, fx_refv(REF, "%s.t", prefix), 1e-10);
    assert_close(t->row.df, fx_refv(REF, "%s.df", prefix), 0);
    assert_rel(t->row.p, fx_refv(REF, "%s.p", prefix), 1e-6);
    /* egdi's CI is of mean - mu (SPSS), R's conf.int of the mean */
    assert_close(t->row.ci_lo + t->mu, fx_refv(REF, "%s.ci.1", prefix), 1e-9);
    assert_close(t->row.ci_hi + t->mu, fx_refv(REF, "%s.ci.2", prefix), 1e-9);
}

static void paired_and_one_sample(void **state)
{
    (void)state;
    egdi_ttest_one t;
    egdi_error e;
    assert_int_equal(egdi_ttest_paired(fx_col(Q, "Q1"), fx_col(Q, "Q2"), Q->n, 0.95, &t, &e),
                     EGDI_OK);
    check_one("q.paired.Q1Q2", &t);
    assert_close(t.mean, fx_refv(REF, "q.paired.Q1Q2.mean_diff"), 1e-12);
    assert_close(t.sd, fx_refv(REF, "q.paired.Q1Q2.sd_diff"), 1e-12);
    assert_int_equal(egdi_ttest_paired(fx_col(B, "A2"), fx_col(B, "A3"), B->n, 0.95, &t, &e),
                     EGDI_OK);
    check_one("b.paired.A2A3", &t);

    const double *q1 = fx_col(Q, "Q1");
    double *x = malloc(Q->n * sizeof *x);
    size_t m = 0;
    for (size_t i = 0; i < Q->n; i++)
        if (!isnan(q1[i]))
            x[m++] = q1[i];
    assert_int_equal(egdi_ttest_one_sample(x, m, 3, 0.95, &t, &e), EGDI_OK);
    check_one("q.one.Q1", &t);
    assert_close(t.mean, fx_refv(REF, "q.one.Q1.mean"), 1e-12);
    assert_close(t.d, fx_refv(REF, "q.one.Q1.d"), 1e-10);
    free(x);
}

static void check_anova(const char *prefix, const double *y, const double *gnum,
                        char *const *gtext, size_t n, size_t k, const char *const *levels)
{
    double **xs = calloc(k, sizeof *xs);
    size_t *ns = calloc(k, sizeof *ns);
    for (size_t g = 0; g < k; g++)
        xs[g] = malloc(n * sizeof **xs);
    for (size_t i = 0; i < n; i++) {
        if (isnan(y[i]))
            continue;
        for (size_t g = 0; g < k; g++) {
            int in = gtext ? (gtext[i] && strcmp(gtext[i], levels[g]) == 0)
                           : gnum[i] == (double)(g + 1);
            if (in)
                xs[g][ns[g]++] = y[i];
        }
    }
    egdi_anova a;
    egdi_group_stats gs[8];
    egdi_error e;
    assert_int_equal(egdi_anova_oneway((const double *const *)xs, ns, k, levels, &a, gs, &e),
                     EGDI_OK);
    assert_close(a.F, fx_refv(REF, "%s.F", prefix), 1e-9);
    assert_close(a.df1, fx_refv(REF, "%s.df1", prefix), 0);
    assert_close(a.df2, fx_refv(REF, "%s.df2", prefix), 0);
    assert_rel(a.p, fx_refv(REF, "%s.p", prefix), 1e-6);
    assert_close(a.eta2, fx_refv(REF, "%s.eta2", prefix), 1e-12);
    assert_close(a.ss_between, fx_refv(REF, "%s.ss_between", prefix), 1e-10);
    assert_close(a.ss_within, fx_refv(REF, "%s.ss_within", prefix), 1e-10);
    assert_close(a.levene.F, fx_refv(REF, "%s.levene.1", prefix), 1e-9);
    assert_rel(a.levene.p, fx_refv(REF, "%s.levene.4", prefix), 1e-6);
    for (size_t g = 0; g < k; g++) {
        assert_int_equal(gs[g].n, (size_t)fx_refv(REF, "%s.group_n.%zu", prefix, g + 1));
        assert_close(gs[g].mean, fx_refv(REF, "%s.group_mean.%zu", prefix, g + 1), 1e-12);
        assert_close(gs[g].sd, fx_refv(REF, "%s.group_sd.%zu", prefix, g + 1), 1e-12);
    }
    for (size_t g = 0; g < k; g++)
        free(xs[g]);
    free(xs);
    free(ns);
}

static void oneway(void **state)
{
    (void)state;
    static const char *const abc[3] = {"A", "B", "C"};
    check_anova("q.anova.Q5", fx_col(Q, "Q5"), NULL, fx_text(Q, "group"), Q->n, 3, abc);
    double *as = scale_score(B, AI, AR, 5, 7);
    static const char *const edu[5] = {"1", "2", "3", "4", "5"};
    check_anova("b.anova.A", as, fx_col(B, "education"), NULL, B->n, 5, edu);
    free(as);
}

static void degenerate(void **state)
{
    (void)state;
    egdi_ttest_ind t;
    egdi_ttest_one o;
    egdi_error e;
    const char *names[2] = {"男", "女"};
    double a[3] = {1, 2, 3}, b[1] = {2};
    assert_int_equal(egdi_ttest_independent(a, 3, b, 1, 0.95, names, &t, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "女"));
    double c[3] = {4, 4, 4}, d[2] = {2, 2};
    assert_int_equal(egdi_ttest_independent(c, 3, d, 2, 0.95, names, &t, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "zero variance"));
    assert_int_equal(egdi_ttest_one_sample(c, 3, 3, 0.95, &o, &e), EGDI_ERR_NUMERIC);
    double x[3] = {1, NAN, 2}, y[3] = {NAN, 1, 1};
    assert_int_equal(egdi_ttest_paired(x, y, 3, 0.95, &o, &e), EGDI_ERR_NUMERIC);
    assert_int_equal(o.n, 1);
    egdi_anova an;
    egdi_group_stats gs[2];
    const double *xs[2] = {c, d};
    size_t ns[2] = {3, 0};
    const char *g2[2] = {"A", "B"};
    assert_int_equal(egdi_anova_oneway(xs, ns, 2, g2, &an, gs, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "group B"));
    ns[1] = 2;
    assert_int_equal(egdi_anova_oneway(xs, ns, 2, g2, &an, gs, &e), EGDI_ERR_NUMERIC);
    /* one constant group and one varied: Levene is defined (hand: z = 0,0,0 and
       0.5,0.5 -> SSw = 0, SSb > 0, F infinite, p = 0) */
    double v[2] = {1, 2};
    assert_int_equal(egdi_ttest_independent(c, 3, v, 2, 0.95, NULL, &t, &e), EGDI_OK);
    assert_true(t.levene.p == 0);
    assert_true(t.welch_selected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(independent),
        cmocka_unit_test(paired_and_one_sample),
        cmocka_unit_test(oneway),
        cmocka_unit_test(degenerate),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
