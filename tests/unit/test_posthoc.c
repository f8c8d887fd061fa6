/*
 * Unit tests for Welch's ANOVA (surveys/anova.c) and the post-hoc
 * comparisons (surveys/posthoc.c) against R (tests/r/relations_ref.R), on
 * 满意度 by 学历 in relations.csv (groups 博士 大专 本科 硕士, R's levels in
 * the C locale; pair I.J is mean_I - mean_J):
 *   rel.aov.welch.*         oneway.test(var.equal = FALSE)
 *   rel.aov.F / .p / .msw   oneway.test(var.equal = TRUE), the pooled variance
 *   rel.ph.lsd.p            pairwise.t.test(p.adjust = "none", pool.sd = TRUE)
 *   rel.ph.bonf.p           pairwise.t.test(p.adjust = "bonferroni")
 *   rel.ph.*.lo / .hi       diff -/+ qt / sqrt((k-1) qf) * se (the formulas)
 *   rel.ph.tukey.*_r        TukeyHSD (row J-I: the difference with the other
 *                           sign); its p through R's ptukey (good to ~2e-9 at
 *                           df 391), its CI through qtukey (good to 1e-4)
 *   rel.ph.tukey.*_exact    the integral by integrate() and uniroot()
 *   rel.ph.scheffe.p        pf(diff^2 / ((k - 1) se^2), k - 1, N - k)
 *   rel.ph.gh.*             Games-Howell by its formula with ptukey, and with
 *                           the exact integral
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <gsl/gsl_errno.h>

#include "relations_fixture.h"
#include "surveys/anova.h"
#include "surveys/posthoc.h"

static fx_ref *REF;
static egdi_dataset *DS;
static egdi_groups G;
static egdi_anova A;
static egdi_group_stats GS[8];
static egdi_tukey_work *W;

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    REF = rel_ref_load();
    DS = rel_open();
    W = egdi_tukey_work_alloc();
    if (!REF || !DS || !W)
        return -1;
    double *y;
    size_t g;
    egdi_error e;
    if (egdi_dataset_variable(DS, "满意度", &y, &e) != EGDI_OK ||
        egdi_dataset_find(DS, "学历", &g, &e) != EGDI_OK ||
        egdi_dataset_groups(DS, g, y, NULL, 0, &G, &e) != EGDI_OK || G.k != 4 ||
        egdi_anova_oneway((const double *const *)G.x, G.n, G.k, NULL, &A, GS, &e) != EGDI_OK)
        return -1;
    free(y);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    fx_ref_free(REF);
    egdi_dataset_groups_release(&G);
    egdi_dataset_free(DS);
    egdi_tukey_work_free(W);
    return 0;
}

static void groups_and_welch(void **state)
{
    (void)state;
    static const char *const order[] = {"博士", "大专", "本科", "硕士"};
    for (size_t g = 0; g < 4; g++)
        assert_string_equal(G.label[g], order[g]);
    assert_int_equal(A.n, (size_t)fx_refv(REF, "rel.aov.n"));
    assert_close(A.ms_within, fx_refv(REF, "rel.aov.msw"), 1e-13);
    assert_rel(A.F, fx_refv(REF, "rel.aov.F"), 1e-9);
    assert_rel(A.p, fx_refv(REF, "rel.aov.p"), 1e-9);
    egdi_welch w;
    egdi_error e;
    assert_int_equal(egdi_anova_welch(GS, 4, NULL, &w, &e), EGDI_OK);
    assert_rel(w.F, fx_refv(REF, "rel.aov.welch.F"), 1e-10);
    assert_true(w.df1 == fx_refv(REF, "rel.aov.welch.df1"));
    assert_rel(w.df2, fx_refv(REF, "rel.aov.welch.df2"), 1e-10);
    assert_rel(w.p, fx_refv(REF, "rel.aov.welch.p"), 1e-9);
    /* a group without variance leaves Welch's weights undefined, named */
    egdi_group_stats bad[2] = {{3, 2, 1, 0.5}, {4, 3, 0, 0}};
    const char *names[] = {"A", "B"};
    egdi_error_clear(&e);
    assert_int_equal(egdi_anova_welch(bad, 2, names, &w, &e), EGDI_ERR_NUMERIC);
    assert_non_null(strstr(e.message, "B has no variance"));
}

static egdi_posthoc run(egdi_posthoc_method m)
{
    egdi_posthoc p;
    egdi_error e;
    egdi_error_clear(&e);
    if (egdi_posthoc_compute(GS, 4, (const char *const *)G.label, A.ms_within, A.df2, m, 0.95, W,
                             &p, &e) != EGDI_OK)
        fail_msg("%s: %s", egdi_posthoc_name(m), e.message);
    assert_int_equal(p.npairs, 6);
    return p;
}

static void lsd_bonferroni_scheffe(void **state)
{
    (void)state;
    egdi_posthoc l = run(EGDI_POSTHOC_LSD), b = run(EGDI_POSTHOC_BONFERRONI),
                 s = run(EGDI_POSTHOC_SCHEFFE);
    for (size_t t = 0; t < 6; t++) {
        int i = (int)l.pair[t].i + 1, j = (int)l.pair[t].j + 1;
        assert_close(l.pair[t].diff, fx_refv(REF, "rel.ph.diff.%d.%d", i, j), 1e-14);
        assert_close(l.pair[t].se, fx_refv(REF, "rel.ph.se.%d.%d", i, j), 1e-14);
        assert_rel(l.pair[t].p, fx_refv(REF, "rel.ph.lsd.p.%d.%d", i, j), 1e-9);
        assert_close(l.pair[t].ci_lo, fx_refv(REF, "rel.ph.lsd.lo.%d.%d", i, j), 1e-12);
        assert_close(l.pair[t].ci_hi, fx_refv(REF, "rel.ph.lsd.hi.%d.%d", i, j), 1e-12);
        assert_rel(b.pair[t].p, fx_refv(REF, "rel.ph.bonf.p.%d.%d", i, j), 1e-9);
        assert_close(b.pair[t].ci_lo, fx_refv(REF, "rel.ph.bonf.lo.%d.%d", i, j), 1e-12);
        assert_close(b.pair[t].ci_hi, fx_refv(REF, "rel.ph.bonf.hi.%d.%d", i, j), 1e-12);
        assert_rel(s.pair[t].p, fx_refv(REF, "rel.ph.scheffe.p.%d.%d", i, j), 1e-9);
        assert_close(s.pair[t].ci_lo, fx_refv(REF, "rel.ph.scheffe.lo.%d.%d", i, j), 1e-12);
        assert_close(s.pair[t].ci_hi, fx_refv(REF, "rel.ph.scheffe.hi.%d.%d", i, j), 1e-12);
    }
    egdi_posthoc_release(&l);
    egdi_posthoc_release(&b);
    egdi_posthoc_release(&s);
}

static void tukey_and_games_howell(void **state)
{
    (void)state;
    egdi_posthoc t = run(EGDI_POSTHOC_TUKEY), g = run(EGDI_POSTHOC_GAMES_HOWELL);
    double q95;
    egdi_error e;
    assert_int_equal(egdi_tukey_quantile(W, 0.05, 4, A.df2, &q95, &e), EGDI_OK);
    assert_rel(q95, fx_refv(REF, "rel.ph.tukey.q95_exact"), 1e-9);
    assert_close(q95, fx_refv(REF, "rel.ph.tukey.q95_qtukey"), 1e-4);
    for (size_t k = 0; k < 6; k++) {
        int i = (int)t.pair[k].i + 1, j = (int)t.pair[k].j + 1;
        const egdi_posthoc_pair *p = &t.pair[k], *h = &g.pair[k];
        /* TukeyHSD's row J-I */
        assert_close(p->diff, -fx_refv(REF, "rel.ph.tukey.diff_r.%d.%d", i, j), 1e-14);
        assert_close(p->p, fx_refv(REF, "rel.ph.tukey.p_r.%d.%d", i, j), 2e-9);
        assert_close(p->ci_hi, -fx_refv(REF, "rel.ph.tukey.lwr_r.%d.%d", i, j), 1e-4);
        /* the exact integral */
        assert_rel(p->stat, fx_refv(REF, "rel.ph.tukey.q.%d.%d", i, j), 1e-12);
        assert_rel(p->p, fx_refv(REF, "rel.ph.tukey.p_exact.%d.%d", i, j), 1e-9);
        assert_close(p->ci_lo, fx_refv(REF, "rel.ph.tukey.lo_exact.%d.%d", i, j), 1e-10);
        assert_close(p->ci_hi, fx_refv(REF, "rel.ph.tukey.hi_exact.%d.%d", i, j), 1e-10);
        /* Games-Howell */
        assert_close(h->se, fx_refv(REF, "rel.ph.gh.se.%d.%d", i, j), 1e-14);
        assert_rel(h->df, fx_refv(REF, "rel.ph.gh.df.%d.%d", i, j), 1e-12);
        assert_close(h->p, fx_refv(REF, "rel.ph.gh.p_ptukey.%d.%d", i, j), 1e-7);
        assert_rel(h->p, fx_refv(REF, "rel.ph.gh.p_exact.%d.%d", i, j), 1e-9);
        assert_close(h->ci_lo, fx_refv(REF, "rel.ph.gh.lo_exact.%d.%d", i, j), 1e-10);
        assert_close(h->ci_hi, fx_refv(REF, "rel.ph.gh.hi_exact.%d.%d", i, j), 1e-10);
    }
    egdi_posthoc_release(&t);
    egdi_posthoc_release(&g);
}

static void names_and_families(void **state)
{
    (void)state;
    egdi_posthoc_method m;
    assert_true(egdi_posthoc_from_name("games-howell", 12, &m) && m == EGDI_POSTHOC_GAMES_HOWELL);
    assert_false(egdi_posthoc_from_name("dunnett", 7, &m));
    assert_string_equal(egdi_posthoc_name(EGDI_POSTHOC_SCHEFFE), "scheffe");
    assert_int_equal(egdi_posthoc_fits(0.01), EGDI_POSTHOC_GAMES_HOWELL);
    assert_int_equal(egdi_posthoc_fits(0.3), EGDI_POSTHOC_TUKEY);
    assert_int_equal(egdi_posthoc_fits(NAN), EGDI_POSTHOC_TUKEY);
    /* Tukey without a work area, one group: refused */
    egdi_posthoc p;
    egdi_error e;
    assert_int_equal(egdi_posthoc_compute(GS, 4, NULL, A.ms_within, A.df2, EGDI_POSTHOC_TUKEY,
                                          0.95, NULL, &p, &e),
                     EGDI_ERR_ARG);
    assert_int_equal(egdi_posthoc_compute(GS, 1, NULL, A.ms_within, A.df2, EGDI_POSTHOC_LSD, 0.95,
                                          NULL, &p, &e),
                     EGDI_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_and_welch),
        cmocka_unit_test(lsd_bonferroni_scheffe),
        cmocka_unit_test(tukey_and_games_howell),
        cmocka_unit_test(names_and_families),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
