/*
 * Unit tests for indicators/score.c: both aggregations, every missing-data
 * policy with its coverage, regions (mean and weighted), the stage
 * boundaries, rating classes, bit-identical repeated runs, how many units
 * had a value of each indicator and the warnings (ties and
 * --rank-digits are in test_ranking.c).  Expected values are worked out by hand in
 * the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_fixture.h"
#include "indicators/score.h"

/* EGDI = 0.6 A + 0.4 B; A = 0.5 A1 + 0.5 A2; B = B1 (all "value" rules). */
static egdi_model *tree(const char *extra_settings)
{
    char text[4096];
    snprintf(text, sizeof text,
             TEST_SETTINGS "%s" TEST_CAT_HEADER
                           "EGDI,,总,total,,,higher,both\n"
                           "A,EGDI,甲,A,0.6,,higher,both\n"
                           "B,EGDI,乙,B,0.4,,higher,both\n"
                           "A1,A,,a1,0.5,,higher,both,value\n"
                           "A2,A,,a2,0.5,,higher,both,value\n"
                           "B1,B,,b1,1,,higher,both,value\n" TEST_STAGES,
             extra_settings);
    return test_model(text);
}

enum { NODES = 6, UNITS = 4 };
/* columns in catalogue order: EGDI A B A1 A2 B1 */
#define N_ NAN
static const double raw4[UNITS * NODES] = {
    N_, N_, N_, 80,  60,  50,  /* U1: A 70, B 50, EGDI 62 */
    N_, N_, N_, N_,  40,  90,  /* U2: A1 missing */
    N_, N_, N_, 20,  20,  10,  /* U3: EGDI 16 */
    N_, N_, N_, 100, 100, 100, /* U4: EGDI 100 */
};
static const egdi_score_unit units4[UNITS] = {
    {"U1", NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN},
    {"U2", NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN},
    {"U3", NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN},
    {"U4", NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN},
};

static egdi_score_result *run(const egdi_model *m, const egdi_score_unit *u, const double *raw,
                              size_t n)
{
    egdi_score_input in = {n, u, raw};
    egdi_score_result *r = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_score_run(m, &in, &r, &err);
    if (st)
        fprintf(stderr, "score: %s\n", err.message);
    assert_int_equal(st, EGDI_OK);
    return r;
}

static void arithmetic_and_reweight(void **state)
{
    (void)state;
    egdi_model *m = tree("missing,reweight\nmin_coverage,0.8\n");
    assert_non_null(m);
    egdi_score_result *r = run(m, units4, raw4, UNITS);
    assert_near(r->egdi[0], 62, 1e-12); /* 0.6*70 + 0.4*50 */
    assert_near(r->score[0 * NODES + 1], 70, 1e-12);
    assert_near(r->contrib[0 * NODES + 1], 42, 1e-12);
    /* U2: A1 left out, A = A2 = 40; EGDI = 0.6*40 + 0.4*90 = 60 */
    assert_near(r->egdi[1], 60, 1e-12);
    assert_near(r->weight[1 * NODES + 4], 1.0, 1e-12); /* A2 carries all of A */
    assert_int_equal(r->status[1 * NODES + 3], EGDI_NODE_MISSING);
    /* coverage: effective weights A1 .3, A2 .3, B1 .4; U2 has .7 */
    assert_near(r->coverage[1], 0.7, 1e-12);
    assert_false(r->rankable[1]); /* below min_coverage 0.8 */
    assert_true(r->rankable[0]);
    assert_near(r->egdi[2], 16, 1e-12);
    assert_near(r->egdi[3], 100, 1e-12);
    egdi_score_result_free(r);
    egdi_model_free(m);
}

static void impute_mean_median_zero(void **state)
{
    (void)state;
    /* other units' A1 scores: 80, 20, 100 -> mean 66.667, median 80 */
    egdi_model *m = tree("missing,mean\n");
    egdi_score_result *r = run(m, units4, raw4, UNITS);
    /* A = (66.667 + 40)/2 = 53.333; EGDI = 0.6*53.333 + 36 = 68 */
    assert_near(r->score[1 * NODES + 3], 200.0 / 3.0, 1e-12);
    assert_int_equal(r->status[1 * NODES + 3], EGDI_NODE_IMPUTED);
    assert_near(r->egdi[1], 68, 1e-12);
    assert_near(r->coverage[1], 0.7, 1e-12); /* imputing does not make data */
    egdi_score_result_free(r);
    egdi_model_free(m);

    m = tree("missing,median\n");
    r = run(m, units4, raw4, UNITS);
    assert_near(r->egdi[1], 72, 1e-12); /* A = (80+40)/2 = 60; 36 + 36 */
    egdi_score_result_free(r);
    egdi_model_free(m);

    m = tree("missing,zero\n");
    r = run(m, units4, raw4, UNITS);
    assert_near(r->egdi[1], 48, 1e-12); /* A = (0+40)/2 = 20; 12 + 36 */
    egdi_score_result_free(r);
    egdi_model_free(m);
}

/* How each indicator fared: counts per kind from the statuses, and a
 * warning for one missing for more than half the units. */
static void counts_and_warnings(void **state)
{
    (void)state;
    egdi_model *m = tree("missing,reweight\n");
    /* A1 missing for U1, U2, U3 (3 of 4: a warning); B1 for U4 only */
    static const double raw[UNITS * NODES] = {
        N_, N_, N_, N_, 60,  50, N_, N_, N_, N_, 40, 90,
        N_, N_, N_, N_, 20,  10, N_, N_, N_, 100, 100, N_,
    };
    egdi_score_result *r = run(m, units4, raw, UNITS);
    egdi_score_count cnt[2 * NODES];
    egdi_score_input in = {UNITS, units4, raw};
    egdi_score_counts(m, &in, r, cnt);
    /* A1 is node 3, departments are kind 0 */
    assert_int_equal(cnt[2 * 3].units, 4);
    assert_int_equal(cnt[2 * 3].scored, 1);
    assert_int_equal(cnt[2 * 3].missing, 3);
    assert_int_equal(cnt[2 * 3].imputed, 0);
    assert_int_equal(cnt[2 * 5].missing, 1); /* B1 */
    assert_int_equal(cnt[2 * 3 + 1].units, 0); /* no regions */
    assert_int_equal(cnt[2 * 1].units, 0);     /* an inner node is not counted */
    egdi_score_warning w[2 * NODES];
    assert_int_equal(egdi_score_warnings(m, cnt, w), 1);
    assert_int_equal(w[0].node, 3);
    assert_int_equal(w[0].kind, EGDI_UNIT_DEPARTMENT);
    char line[256];
    assert_string_equal(egdi_score_warning_text(m, &w[0], true, line, sizeof line),
                        "A1 a1: no value for 3 of 4 departments (re-weighted away)");
    egdi_score_result_free(r);
    egdi_model_free(m);

    /* exactly half is no warning; imputed values count as missing */
    m = tree("missing,mean\n");
    static const double half[UNITS * NODES] = {
        N_, N_, N_, N_, 60, 50, N_, N_, N_, N_, 40, 90,
        N_, N_, N_, 20, 20, 10, N_, N_, N_, 100, 100, 100,
    };
    in.raw = half;
    r = run(m, units4, half, UNITS);
    egdi_score_counts(m, &in, r, cnt);
    assert_int_equal(cnt[2 * 3].imputed, 2);
    assert_int_equal(egdi_score_warnings(m, cnt, w), 0);
    egdi_score_result_free(r);
    egdi_model_free(m);
}

static void geometric(void **state)
{
    (void)state;
    egdi_model *m = tree("aggregation,geometric\n");
    egdi_score_result *r = run(m, units4, raw4, UNITS);
    /* U1: A = 80^0.5 * 60^0.5 = sqrt(4800); EGDI = A^0.6 * 50^0.4 */
    double a = sqrt(4800.0);
    assert_near(r->score[1], a, 1e-12);
    assert_near(r->egdi[0], pow(a, 0.6) * pow(50, 0.4), 1e-11); /* 61.1466... */
    assert_near(r->egdi[3], 100, 1e-11);
    egdi_score_result_free(r);

    /* a zero input is refused, naming the unit and the indicator */
    double raw0[NODES] = {N_, N_, N_, 0, 60, 50};
    egdi_score_unit u5 = {"U5", NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN};
    egdi_score_input in = {1, &u5, raw0};
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_score_run(m, &in, &r, &err), EGDI_ERR_NUMERIC);
    assert_null(r);
    assert_non_null(strstr(err.message, "unit U5, indicator A1: score 0 cannot enter a geometric"));
    egdi_model_free(m);
}

static void given_component_scores(void **state)
{
    (void)state;
    /* A given as 50 overrides A1/A2: EGDI = 0.6*50 + 0.4*50 = 50 */
    egdi_model *m = tree("");
    double raw[NODES] = {N_, 50, N_, 80, 60, 50};
    egdi_score_result *r = run(m, units4, raw, 1);
    assert_near(r->egdi[0], 50, 1e-12);
    assert_int_equal(r->status[1], EGDI_NODE_GIVEN);
    assert_near(r->coverage[0], 1.0, 1e-12);
    egdi_score_result_free(r);
    egdi_model_free(m);
}

/* S1 = 0.5 L1 (both) + 0.5 L2 (region only); S2 = L3; EGDI = 0.5 S1 + 0.5 S2 */
static egdi_model *region_model(const char *method)
{
    char text[4096];
    snprintf(text, sizeof text,
             TEST_SETTINGS "region_share,0.6\nregion_method,%s\n" TEST_CAT_HEADER
                           "EGDI,,总,total,,,higher,both\n"
                           "S1,EGDI,,s1,0.5,,higher,both\n"
                           "S2,EGDI,,s2,0.5,,higher,both\n"
                           "L1,S1,,l1,0.5,,higher,both,value\n"
                           "L2,S1,,l2,0.5,,higher,region,value\n"
                           "L3,S2,,l3,1,,higher,both,value\n" TEST_STAGES,
             method);
    return test_model(text);
}

static void regions(void **state)
{
    (void)state;
    /* columns EGDI S1 S2 L1 L2 L3 */
    double raw[3 * NODES] = {
        N_, N_, N_, 40, N_,  20, /* D1: S1 40 (L2 n/a), S2 20, EGDI 30 */
        N_, N_, N_, 80, N_,  60, /* D2: S1 80, S2 60, EGDI 70 */
        N_, N_, N_, 50, 100, 90, /* R: own S1 75, own S2 90 */
    };
    egdi_score_unit u[3] = {
        {"D1", NULL, EGDI_UNIT_DEPARTMENT, "R", 3},
        {"D2", NULL, EGDI_UNIT_DEPARTMENT, "R", 1},
        {"R", NULL, EGDI_UNIT_REGION, NULL, NAN},
    };
    egdi_model *m = region_model("mean");
    egdi_score_result *r = run(m, u, raw, 3);
    assert_near(r->egdi[0], 30, 1e-12);
    assert_near(r->egdi[1], 70, 1e-12);
    assert_int_equal(r->status[0 * NODES + 4], EGDI_NODE_NA);
    /* S1 = 0.6 * mean(40, 80) + 0.4 * 75 = 66; S2 = 0.6 * 40 + 0.4 * 90 = 60 */
    assert_near(r->dept_part[2 * NODES + 1], 60, 1e-12);
    assert_near(r->own_part[2 * NODES + 1], 75, 1e-12);
    assert_near(r->score[2 * NODES + 1], 66, 1e-12);
    assert_near(r->score[2 * NODES + 2], 60, 1e-12);
    assert_near(r->egdi[2], 63, 1e-12);
    /* coverage: D1, D2 have all their leaves (1); R has all its own (1) */
    assert_near(r->coverage[2], 1.0, 1e-12);
    egdi_score_result_free(r);

    /* a region without own data: D part only, coverage 0.6 * 1 + 0.4 * 0 */
    double raw2[3 * NODES];
    memcpy(raw2, raw, sizeof raw2);
    raw2[2 * NODES + 3] = raw2[2 * NODES + 4] = raw2[2 * NODES + 5] = NAN;
    r = run(m, u, raw2, 3);
    assert_near(r->score[2 * NODES + 1], 60, 1e-12); /* mean(40, 80) */
    assert_near(r->egdi[2], 50, 1e-12);              /* (60 + 40)/2 */
    assert_near(r->coverage[2], 0.6, 1e-12);
    egdi_score_result_free(r);
    egdi_model_free(m);

    /* weighted 3:1 -> S1 dept (3*40 + 80)/4 = 50, S2 dept 30;
       S1 = 30 + 30 = 60, S2 = 18 + 36 = 54, EGDI 57 */
    m = region_model("weighted:STAFF");
    r = run(m, u, raw, 3);
    assert_near(r->score[2 * NODES + 1], 60, 1e-12);
    assert_near(r->score[2 * NODES + 2], 54, 1e-12);
    assert_near(r->egdi[2], 57, 1e-12);
    egdi_score_result_free(r);
    egdi_model_free(m);
}

static void stage_boundaries(void **state)
{
    (void)state;
    egdi_model *m = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, "jiangsu", NULL, &err), EGDI_OK);
    static const struct {
        double score;
        const char *stage;
    } cases[] = {
        {0, "preparation"},       {29.999, "preparation"}, {30, "initial"},
        {59.999, "initial"},      {60, "supporting"},      {74.999, "supporting"},
        {75, "deepening"},        {89.999, "deepening"},   {90, "integration"},
        {100, "integration"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long s = egdi_model_stage(m, cases[i].score);
        assert_true(s >= 0);
        assert_string_equal(m->stages[s].code, cases[i].stage);
    }
    assert_string_equal(m->stages[egdi_model_stage(m, 45)].name_zh, "起步发展阶段");
    /* within 1 point of 30/60/75/90 is flagged; the ends of the scale are not */
    assert_true(egdi_model_near_boundary(m, 29.5));
    assert_true(egdi_model_near_boundary(m, 60.9));
    assert_false(egdi_model_near_boundary(m, 61));
    assert_false(egdi_model_near_boundary(m, 45));
    assert_false(egdi_model_near_boundary(m, 0.5));
    assert_false(egdi_model_near_boundary(m, 99.5));
    egdi_model_free(m);
}

static void rating_classes(void **state)
{
    (void)state;
    egdi_model *m = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, "un-egdi", NULL, &err), EGDI_OK);
    /* nodes EGDI OSI TII HCI; five Very High units with EGDI .80 .85 .90 .95 .99
       (each component equal to the EGDI); quartiles (R type 7) .85 .90 .95 */
    double e[5] = {0.80, 0.85, 0.90, 0.95, 0.99};
    double raw[5 * 4];
    egdi_score_unit u[5];
    const char *ids[5] = {"A", "B", "C", "D", "E"};
    for (int i = 0; i < 5; i++) {
        raw[i * 4] = NAN;
        raw[i * 4 + 1] = raw[i * 4 + 2] = raw[i * 4 + 3] = e[i];
        u[i] = (egdi_score_unit){ids[i], NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN};
    }
    egdi_score_result *r = run(m, u, raw, 5);
    const char *want[5] = {"V1", "V2", "V3", "VH", "VH"};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(m->stages[r->stage[i]].code, "very_high");
        assert_string_equal(m->stages[r->stage[i]].classes[r->klass[i]], want[i]);
    }
    egdi_score_result_free(r);
    egdi_model_free(m);
}

static void bit_identical_runs(void **state)
{
    (void)state;
    egdi_model *m = tree("missing,mean\naggregation,geometric\n");
    egdi_score_result *a = run(m, units4, raw4, UNITS);
    egdi_score_result *b = run(m, units4, raw4, UNITS);
    assert_memory_equal(a->score, b->score, UNITS * NODES * sizeof(double));
    assert_memory_equal(a->egdi, b->egdi, UNITS * sizeof(double));
    egdi_score_input in = {UNITS, units4, raw4};
    char h1[65], h2[65];
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_score_input_hash(m, &in, h1, &err), EGDI_OK);
    assert_int_equal(egdi_score_input_hash(m, &in, h2, &err), EGDI_OK);
    assert_string_equal(h1, h2);
    assert_int_equal(strlen(h1), 64);
    egdi_score_result_free(a);
    egdi_score_result_free(b);
    egdi_model_free(m);
}

/* egdi_score_median_best: the one median (R type 7) and best of the
 * report's region sections and the scorecards; references from
 * tests/r/median_ref.R (quantile(v, 0.5, type = 7, na.rm = TRUE), max). */
static void median_best_type7(void **state)
{
    (void)state;
    double work[8], med, best;
    const double odd[] = {71.25, 3.5, 88.125, 40, 12.75};
    assert_int_equal(egdi_score_median_best(odd, 5, 1, work, &med, &best), 5);
    assert_near(med, 40, 1e-12);      /* odd.median */
    assert_near(best, 88.125, 1e-12); /* odd.max */
    const double even[] = {85.59, 64.05, 91.25, 58.97, 40.86, 57.36};
    assert_int_equal(egdi_score_median_best(even, 6, 1, work, &med, &best), 6);
    assert_near(med, 61.509999999999998, 1e-12); /* even.median */
    assert_near(best, 91.25, 1e-12);
    assert_near(egdi_score_quantile7(work, 6, 0.25), 57.762499999999996, 1e-12); /* even.q25 */
    /* NaN skipped; stride 2 reads every other value of an interleaved array */
    const double gaps[] = {10.1, -1, NAN, -1, 30.3, -1, 20.2, -1, NAN, -1, 5.05, -1};
    assert_int_equal(egdi_score_median_best(gaps, 6, 2, work, &med, &best), 4);
    assert_near(med, 15.149999999999999, 1e-12); /* gaps.median */
    assert_near(best, 30.300000000000001, 1e-12);
    const double none[] = {NAN, NAN};
    assert_int_equal(egdi_score_median_best(none, 2, 1, work, &med, &best), 0);
    assert_true(isnan(med) && isnan(best));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arithmetic_and_reweight),
        cmocka_unit_test(impute_mean_median_zero),
        cmocka_unit_test(geometric),
        cmocka_unit_test(given_component_scores),
        cmocka_unit_test(regions),
        cmocka_unit_test(stage_boundaries),
        cmocka_unit_test(rating_classes),
        cmocka_unit_test(bit_identical_runs),
        cmocka_unit_test(counts_and_warnings),
        cmocka_unit_test(median_best_type7),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
