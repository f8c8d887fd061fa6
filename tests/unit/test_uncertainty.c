/*
 * Unit tests for indicators/uncertainty.c: a three-unit case whose stage
 * probabilities, rank quantiles, rank shifts and P(rank <= 1) are worked
 * out exactly by hand (below); with every perturbation of zero width the
 * intervals collapse to the nominal rank and P(assigned stage) = 1; the
 * same seed gives the same result on one and on two threads; an assumption
 * the model has no step for is refused by name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_fixture.h"
#include "indicators/uncertainty.h"

/* ---- a three-unit case ------------------------------------------------------
 *
 * EGDI = wA A + wB B, A and B scored by their value; the stages of
 * TEST_STAGES (initial [30, 60), supporting [60, 75), deepening [75, 90),
 * integration [90, 100]).  The weights are drawn among the model's (0.5,
 * 0.5) and three named sets S1 (0.9, 0.1), S2 (0.1, 0.9), S3 (0.7, 0.3),
 * each with probability 1/4 (the design column u picks floor(4u)).
 *
 *   unit  A    B      model  S1    S2    S3
 *   X     100  54     77     95.4  58.6  86.2
 *   Y     52   100    76     56.8  95.2  66.4
 *   Z     80   80     80     80    80    80
 *
 * Ranks (one scoring each):  model Z 1, X 2, Y 3;  S1 X 1, Z 2, Y 3;
 * S2 Y 1, Z 2, X 3;  S3 X 1, Z 2, Y 3.  So over the draws:
 *   X: rank 1 w.p. 1/2, 2 w.p. 1/4, 3 w.p. 1/4; stage deepening (its own,
 *      77) in model and S3: P = 1/2, integration 1/4, initial 1/4;
 *      mean |rank - 2| = (0 + 1 + 1 + 1) / 4 = 0.75; P(rank <= 1) = 1/2.
 *   Y: rank 3 w.p. 3/4, 1 w.p. 1/4; deepening (its own, 76) 1/4,
 *      initial 1/4, integration 1/4, supporting 1/4; shift (0 + 0 + 2 +
 *      0) / 4 = 0.5; P(rank <= 1) = 1/4.
 *   Z: rank 1 w.p. 1/4, 2 w.p. 3/4; deepening 1; shift 3/4; P(rank <= 1)
 *      = 1/4.
 * Quantiles (R type 7) of D draws, D a multiple of 4, sorted ranks r[0..D):
 * q(p) = r[floor(h)] + (h - floor(h)) (r[floor(h) + 1] - r[floor(h)]),
 * h = (D - 1) p.  X: r = 1 (D/2 times), 2 (D/4), 3 (D/4); 5 %: h < D/2,
 * 1; 95 %: h >= 3D/4, 3; median h = (D - 1)/2, between r[D/2 - 1] = 1 and
 * r[D/2] = 2 at 1/2: 1.5.  Y: 1 (D/4), 3 (3D/4): 5 % 1 (h = 0.05 (D - 1)
 * < D/4 - 1 for D >= 8), median 3, 95 % 3.  Z: 1 (D/4), 2 (3D/4): 1, 2,
 * 2.
 *
 * The first 2^k points of GSL's Sobol sequence put exactly 2^k / 4 in each
 * quarter of (0, 1) in every dimension (a (0, 1)-sequence in base 2), so
 * with D = 1024 Sobol draws every count above is exact.
 */
static egdi_model *three_model(double wa, double wb)
{
    char text[4096];
    snprintf(text, sizeof text,
             TEST_SETTINGS TEST_CAT_HEADER "EGDI,,总,total,,,higher,both\n"
                                           "A,EGDI,甲,A,%.17g,,higher,both,value\n"
                                           "B,EGDI,乙,B,%.17g,,higher,both,value\n" TEST_STAGES,
             wa, wb);
    return test_model(text);
}

#define N_ NAN
enum { NODES3 = 3 };
static const double raw3[3 * NODES3] = {
    N_, 100, 54, /* X */
    N_, 52, 100, /* Y */
    N_, 80, 80,  /* Z */
};
static const egdi_score_unit units3[3] = {
    {"X", NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN},
    {"Y", NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN},
    {"Z", NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN},
};

/* The stage index of a code in m. */
static size_t stage_of(const egdi_model *m, const char *code)
{
    for (size_t s = 0; s < m->nstages; s++)
        if (strcmp(m->stages[s].code, code) == 0)
            return s;
    fail_msg("no stage %s", code);
    return 0;
}

static const egdi_uncertainty_unit *unit_of(const egdi_uncertainty_result *r, size_t input)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->units[i].unit == input)
            return &r->units[i];
    fail_msg("unit %zu not in the result", input);
    return NULL;
}

static egdi_uncertainty_result *run_ok(const egdi_model *m, const egdi_score_input *in,
                                       const egdi_uncertainty_opts *o)
{
    egdi_uncertainty_result *r = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_uncertainty_run(m, in, o, &r, &err);
    if (st)
        fail_msg("uncertainty: %s", err.message);
    return r;
}

static void three_units_exact(void **state)
{
    (void)state;
    egdi_model *m = three_model(0.5, 0.5);
    egdi_model *s1 = three_model(0.9, 0.1);
    egdi_model *s2 = three_model(0.1, 0.9);
    egdi_model *s3 = three_model(0.7, 0.3);
    assert_true(m && s1 && s2 && s3);
    egdi_uncertainty_set sets[3] = {{"S1", s1}, {"S2", s2}, {"S3", s3}};
    egdi_score_input in = {3, units3, raw3};
    egdi_uncertainty_opts o;
    egdi_uncertainty_opts_init(&o);
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_SETS;
    o.nsets = 3;
    o.sets = sets;
    o.sampler = EGDI_UNCERTAINTY_SOBOL;
    o.draws = 1024;
    o.top = 1;
    o.threads = 2;
    egdi_uncertainty_result *r = run_ok(m, &in, &o);
    assert_int_equal(r->n, 3);
    assert_int_equal(r->columns, 1);
    assert_int_equal(r->sampler, EGDI_UNCERTAINTY_SOBOL);
    size_t D = 1024, ini = stage_of(m, "initial"), sup = stage_of(m, "supporting"),
           dee = stage_of(m, "deepening"), itg = stage_of(m, "integration");
    const egdi_uncertainty_unit *x = unit_of(r, 0), *y = unit_of(r, 1), *z = unit_of(r, 2);
    /* nominal order Z, X, Y */
    assert_ptr_equal(z, &r->units[0]);
    assert_int_equal(z->nominal_rank, 1);
    assert_int_equal(x->nominal_rank, 2);
    assert_int_equal(y->nominal_rank, 3);
    assert_int_equal(x->nominal_stage, (long)dee);
    assert_int_equal(y->nominal_stage, (long)dee);
    /* X */
    assert_int_equal(x->ranked, D);
    assert_int_equal(x->stage[dee], D / 2);
    assert_int_equal(x->stage[itg], D / 4);
    assert_int_equal(x->stage[ini], D / 4);
    assert_int_equal(x->stage[sup], 0);
    assert_near(egdi_uncertainty_p_stage(r, x, dee), 0.5, 0);
    assert_true(egdi_uncertainty_stage_uncertain(r, x));
    assert_near(x->lo, 1, 0);
    assert_near(x->median, 1.5, 0);
    assert_near(x->hi, 3, 0);
    assert_near(x->shift, 0.75, 0);
    assert_int_equal(x->top, D / 2);
    /* Y */
    for (size_t s = ini; s <= itg; s++)
        if (s == ini || s == sup || s == dee || s == itg)
            assert_int_equal(y->stage[s], D / 4);
    assert_near(egdi_uncertainty_p_stage(r, y, dee), 0.25, 0);
    assert_true(egdi_uncertainty_stage_uncertain(r, y));
    assert_near(y->lo, 1, 0);
    assert_near(y->median, 3, 0);
    assert_near(y->hi, 3, 0);
    assert_near(y->shift, 0.5, 0);
    assert_int_equal(y->top, D / 4);
    /* Z */
    assert_int_equal(z->stage[dee], D);
    assert_near(egdi_uncertainty_p_stage(r, z, dee), 1, 0);
    assert_false(egdi_uncertainty_stage_uncertain(r, z));
    assert_near(z->lo, 1, 0);
    assert_near(z->median, 2, 0);
    assert_near(z->hi, 2, 0);
    assert_near(z->shift, 0.75, 0);
    assert_int_equal(z->top, D / 4);
    assert_near(r->mean_shift, (0.75 + 0.5 + 0.75) / 3, 1e-15);
    egdi_uncertainty_result_free(r);

    /* seeded pseudo-random draws: the same probabilities within 4 binomial
     * SDs (sqrt(p (1 - p) / D) = 0.0068 for p = 1/4, D = 4000) */
    o.sampler = EGDI_UNCERTAINTY_RANDOM;
    o.draws = 4000;
    o.seed = 7;
    r = run_ok(m, &in, &o);
    x = unit_of(r, 0);
    y = unit_of(r, 1);
    assert_near(egdi_uncertainty_p_stage(r, x, dee), 0.5, 4 * 0.0079);
    assert_near(egdi_uncertainty_p_stage(r, x, itg), 0.25, 4 * 0.0068);
    assert_near(egdi_uncertainty_p_stage(r, y, sup), 0.25, 4 * 0.0068);
    assert_near(x->shift, 0.75, 0.04);
    egdi_uncertainty_result_free(r);
    egdi_model_free(m);
    egdi_model_free(s1);
    egdi_model_free(s2);
    egdi_model_free(s3);
}

/* ---- forty units ------------------------------------------------------------ */

/* EGDI = 0.6 A + 0.4 B; A = 0.5 A1 + 0.5 A2 (goalpost 0..100); B = B1. */
static egdi_model *tree(void)
{
    return test_model(TEST_SETTINGS TEST_CAT_HEADER
                      "EGDI,,总,total,,,higher,both\n"
                      "A,EGDI,甲,A,0.6,,higher,both\n"
                      "B,EGDI,乙,B,0.4,,higher,both\n"
                      "A1,A,,a1,0.5,,higher,both,goalpost,0,100\n"
                      "A2,A,,a2,0.5,,higher,both,goalpost,0,100\n"
                      "B1,B,,b1,1,,higher,both,value\n" TEST_STAGES);
}

enum { NODES = 6, U40 = 40 };
typedef struct {
    double raw[U40 * NODES];
    egdi_score_unit units[U40];
    char codes[U40][8];
} forty;

/* Values spread over 5..99 by a fixed recurrence; some ties, one missing. */
static void forty_init(forty *f)
{
    uint32_t s = 12345;
    for (size_t u = 0; u < U40; u++) {
        snprintf(f->codes[u], sizeof f->codes[u], "D%02zu", u);
        f->units[u] = (egdi_score_unit){f->codes[u], NULL, EGDI_UNIT_DEPARTMENT, NULL, NAN};
        for (size_t j = 0; j < NODES; j++) {
            s = s * 1103515245u + 12345u;
            f->raw[u * NODES + j] = j < 3 ? NAN : 5 + (double)((s >> 16) % 95);
        }
    }
    f->raw[7 * NODES + 4] = NAN;
    memcpy(&f->raw[9 * NODES], &f->raw[8 * NODES], NODES * sizeof f->raw[0]); /* a tie */
}

/* Every unit's interval is its nominal rank and its stage is sure. */
static void collapsed(const egdi_uncertainty_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        const egdi_uncertainty_unit *x = &r->units[i];
        if (x->nominal_rank <= 0)
            continue;
        assert_int_equal(x->ranked, r->draws);
        assert_near(x->lo, (double)x->nominal_rank, 0);
        assert_near(x->median, (double)x->nominal_rank, 0);
        assert_near(x->hi, (double)x->nominal_rank, 0);
        assert_near(x->shift, 0, 0);
        assert_true(x->nominal_stage >= 0);
        assert_int_equal(x->stage[x->nominal_stage], r->draws);
        assert_near(egdi_uncertainty_p_stage(r, x, (size_t)x->nominal_stage), 1, 0);
        assert_false(egdi_uncertainty_stage_uncertain(r, x));
        assert_int_equal(x->top, x->nominal_rank <= 5 ? r->draws : 0);
    }
    assert_near(r->mean_shift, 0, 0);
}

static void zero_width_collapses(void **state)
{
    (void)state;
    forty *f = calloc(1, sizeof *f);
    forty_init(f);
    egdi_model *m = tree(), *same = tree();
    assert_true(m && same);
    egdi_score_input in = {U40, f->units, f->raw};
    egdi_uncertainty_opts o;
    egdi_uncertainty_opts_init(&o);
    o.draws = 500;
    o.top = 5;
    o.threads = 2;
    /* every weight times 1 + 0 (2u - 1) */
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_UNIFORM;
    o.width = 0;
    egdi_uncertainty_result *r = run_ok(m, &in, &o);
    assert_int_equal(r->n, U40);
    /* the tie shares a rank (competition) and the unit missing B1 is still
     * ranked (reweight) */
    assert_int_equal(unit_of(r, 8)->nominal_rank, unit_of(r, 9)->nominal_rank);
    collapsed(r);
    egdi_uncertainty_result_free(r);
    /* weights drawn between the model and a set equal to it */
    egdi_uncertainty_set set = {"same", same};
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_SETS;
    o.nsets = 1;
    o.sets = &set;
    o.sampler = EGDI_UNCERTAINTY_RANDOM;
    r = run_ok(m, &in, &o);
    collapsed(r);
    egdi_uncertainty_result_free(r);
    /* data: standard errors of 0 everywhere but one value whose SE is tiny
     * against the gaps between scores */
    double *se = malloc(U40 * NODES * sizeof *se);
    for (size_t c = 0; c < U40 * NODES; c++)
        se[c] = 0;
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_FIXED;
    o.se = se;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_uncertainty_run(m, &in, &o, &r, &err), EGDI_ERR_ARG);
    assert_string_equal(err.message, "data: no value of the round has a standard error above 0");
    free(se);
    egdi_model_free(m);
    egdi_model_free(same);
    free(f);
}

/* Two results are the same, number for number. */
static void same_result(const egdi_uncertainty_result *a, const egdi_uncertainty_result *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->draws, b->draws);
    assert_string_equal(a->varied, b->varied);
    assert_memory_equal(&a->mean_shift, &b->mean_shift, sizeof a->mean_shift);
    assert_memory_equal(a->counts, b->counts, a->n * (a->nstages + 1) * sizeof *a->counts);
    for (size_t i = 0; i < a->n; i++) {
        const egdi_uncertainty_unit *x = &a->units[i], *y = &b->units[i];
        assert_int_equal(x->unit, y->unit);
        assert_int_equal(x->nominal_rank, y->nominal_rank);
        assert_int_equal(x->ranked, y->ranked);
        assert_int_equal(x->top, y->top);
        assert_memory_equal(&x->median, &y->median, sizeof x->median);
        assert_memory_equal(&x->lo, &y->lo, sizeof x->lo);
        assert_memory_equal(&x->hi, &y->hi, sizeof x->hi);
        assert_memory_equal(&x->shift, &y->shift, sizeof x->shift);
    }
}

static void same_seed_any_threads(void **state)
{
    (void)state;
    forty *f = calloc(1, sizeof *f);
    forty_init(f);
    egdi_model *m = tree();
    egdi_score_input in = {U40, f->units, f->raw};
    egdi_uncertainty_norm norm = {NULL, 2, {EGDI_RULE_MINMAX, EGDI_RULE_ZSCORE}};
    egdi_uncertainty_opts o;
    egdi_uncertainty_opts_init(&o);
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_DIRICHLET;
    o.concentration = 20;
    o.nnorm = 1;
    o.norm = &norm;
    o.data_error = 0.05;
    o.nmissing = 1;
    o.missing[0] = EGDI_MISSING_MEDIAN;
    o.draws = 3001; /* not a multiple of any chunk */
    o.top = 3;
    o.seed = 99;
    for (int sampler = EGDI_UNCERTAINTY_SOBOL; sampler <= EGDI_UNCERTAINTY_RANDOM; sampler++) {
        o.sampler = (egdi_uncertainty_sampler)sampler;
        o.threads = 1;
        egdi_uncertainty_result *a = run_ok(m, &in, &o);
        o.threads = 2;
        egdi_uncertainty_result *b = run_ok(m, &in, &o);
        assert_int_equal(a->threads, 1);
        assert_int_equal(b->threads, 2);
        same_result(a, b);
        /* and it varied something */
        assert_true(a->mean_shift > 0);
        egdi_uncertainty_result_free(a);
        egdi_uncertainty_result_free(b);
    }
    /* another seed, other data draws */
    o.sampler = EGDI_UNCERTAINTY_RANDOM;
    o.threads = 2;
    egdi_uncertainty_result *a = run_ok(m, &in, &o);
    o.seed = 100;
    egdi_uncertainty_result *b = run_ok(m, &in, &o);
    assert_true(a->mean_shift != b->mean_shift);
    egdi_uncertainty_result_free(a);
    egdi_uncertainty_result_free(b);
    egdi_model_free(m);
    free(f);
}

/* ---- a workspace keeps columns, fills and draws ------------------------------
 *
 * A workspace keeps what several scorings share (a data draw and the
 * leaves rescored from it, the columns filled by a policy, the coverages
 * of a set of weights).  Scored in the order of a Sobol design (A, B, then
 * A with each column of B), every row gives on a kept workspace the bits a
 * fresh workspace gives; a row that egdi_uncertainty_space_same calls the
 * same as A gives A's bits.
 */
static void kept_is_fresh(const egdi_uncertainty_space *sp, size_t U)
{
    size_t k = egdi_uncertainty_space_columns(sp);
    egdi_error err;
    egdi_error_clear(&err);
    egdi_uncertainty_ws *kept = NULL;
    assert_int_equal(egdi_uncertainty_ws_new(sp, &kept, &err), EGDI_OK);
    double *rows = malloc(3 * k * sizeof *rows), *A = rows, *B = rows + k, *x = rows + 2 * k;
    double *e1 = malloc(3 * U * sizeof *e1), *e2 = e1 + U, *ea = e2 + U;
    bool *r1 = malloc(3 * U * sizeof *r1), *r2 = r1 + U, *ra = r2 + U;
    long *s1 = malloc(3 * U * sizeof *s1), *s2 = s1 + U, *sa = s2 + U;
    egdi_score_outcome o1 = {e1, r1, s1, NULL}, o2 = {e2, r2, s2, NULL};
    uint32_t seed = 2026;
    size_t sames = 0;
    for (size_t row = 0; row < 24; row++) {
        for (size_t c = 0; c < 2 * k; c++) {
            seed = seed * 1103515245u + 12345u;
            rows[c] = ((double)(seed >> 8) + 0.5) / 16777216.0;
        }
        for (size_t e = 0; e < 2 + k; e++) {
            memcpy(x, e == 1 ? B : A, k * sizeof *x);
            if (e >= 2)
                x[e - 2] = B[e - 2];
            assert_int_equal(egdi_uncertainty_space_eval(sp, x, kept, &o1, &err), EGDI_OK);
            egdi_uncertainty_ws *fresh = NULL;
            assert_int_equal(egdi_uncertainty_ws_new(sp, &fresh, &err), EGDI_OK);
            assert_int_equal(egdi_uncertainty_space_eval(sp, x, fresh, &o2, &err), EGDI_OK);
            egdi_uncertainty_ws_free(fresh);
            assert_memory_equal(e1, e2, U * sizeof *e1);
            assert_memory_equal(r1, r2, U * sizeof *r1);
            assert_memory_equal(s1, s2, U * sizeof *s1);
            if (e == 0) {
                memcpy(ea, e1, U * sizeof *ea);
                memcpy(ra, r1, U * sizeof *ra);
                memcpy(sa, s1, U * sizeof *sa);
            } else if (egdi_uncertainty_space_same(sp, x, A)) {
                sames++;
                assert_memory_equal(e1, ea, U * sizeof *e1);
                assert_memory_equal(r1, ra, U * sizeof *r1);
                assert_memory_equal(s1, sa, U * sizeof *s1);
            }
        }
    }
    assert_true(sames > 0); /* some column of B made the same choice as A's */
    egdi_uncertainty_ws_free(kept);
    free(rows);
    free(e1);
    free(r1);
    free(s1);
}

/* The first column of group g. */
static size_t column_of(const egdi_uncertainty_space *sp, egdi_uncertainty_group g)
{
    for (size_t c = 0; c < egdi_uncertainty_space_columns(sp); c++)
        if (egdi_uncertainty_space_group(sp, c) == g)
            return c;
    fail_msg("no column of group %d", (int)g);
    return 0;
}

static void kept_workspace_is_fresh(void **state)
{
    (void)state;
    forty *f = calloc(1, sizeof *f);
    forty_init(f);
    f->raw[3 * NODES + 3] = NAN; /* more values missing: the fills matter */
    f->raw[11 * NODES + 5] = NAN;
    /* the tree with a minimum coverage that a unit missing A1 (coverage
     * 1 - wA wA1, 0.7 at the model's weights) meets in some draws only */
    egdi_model *m = test_model(TEST_SETTINGS "min_coverage,0.7\n" TEST_CAT_HEADER
                               "EGDI,,总,total,,,higher,both\n"
                               "A,EGDI,甲,A,0.6,,higher,both\n"
                               "B,EGDI,乙,B,0.4,,higher,both\n"
                               "A1,A,,a1,0.5,,higher,both,goalpost,0,100\n"
                               "A2,A,,a2,0.5,,higher,both,goalpost,0,100\n"
                               "B1,B,,b1,1,,higher,both,value\n" TEST_STAGES);
    assert_non_null(m);
    egdi_score_input in = {U40, f->units, f->raw};
    egdi_uncertainty_norm norm = {NULL, 2, {EGDI_RULE_MINMAX, EGDI_RULE_ZSCORE}};
    egdi_uncertainty_opts o;
    egdi_uncertainty_opts_init(&o);
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_UNIFORM;
    o.width = 0.3;
    o.nnorm = 1;
    o.norm = &norm;
    o.nmissing = 2;
    o.missing[0] = EGDI_MISSING_MEAN;
    o.missing[1] = EGDI_MISSING_MEDIAN;
    /* data: B1 drawn with a standard error of 2 (A1 and A2 stay the plan's
     * columns, filled by the workspace) */
    double se[U40 * NODES];
    for (size_t c = 0; c < U40 * NODES; c++)
        se[c] = c % NODES == 5 ? 2.0 : NAN;
    o.se = se;
    egdi_uncertainty_space *sp = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_uncertainty_space_new(m, &in, &o, &sp, &err), EGDI_OK);
    kept_is_fresh(sp, U40);
    /* the same: a rule column within the same pick; not: other data */
    size_t k = egdi_uncertainty_space_columns(sp);
    double *x = malloc(2 * k * sizeof *x), *y = x + k;
    for (size_t c = 0; c < k; c++)
        x[c] = y[c] = 0.3;
    y[column_of(sp, EGDI_UNCERTAINTY_G_NORMALISATION)] = 0.01; /* of three rules, the first */
    assert_true(egdi_uncertainty_space_same(sp, x, y));
    y[column_of(sp, EGDI_UNCERTAINTY_G_NORMALISATION)] = 0.5;
    assert_false(egdi_uncertainty_space_same(sp, x, y));
    y[column_of(sp, EGDI_UNCERTAINTY_G_NORMALISATION)] = 0.3;
    y[column_of(sp, EGDI_UNCERTAINTY_G_DATA)] = 0.30000000000000004;
    assert_false(egdi_uncertainty_space_same(sp, x, y));
    free(x);
    egdi_uncertainty_space_free(sp);
    /* geometric means too (every score above 0: goalposts of 5..99) */
    o.nnorm = 0;
    o.aggregation = true;
    o.nmissing = 1;
    assert_int_equal(egdi_uncertainty_space_new(m, &in, &o, &sp, &err), EGDI_OK);
    kept_is_fresh(sp, U40);
    egdi_uncertainty_space_free(sp);
    /* and every value drawn, with a relative error */
    o.se = NULL;
    o.data_error = 0.05;
    assert_int_equal(egdi_uncertainty_space_new(m, &in, &o, &sp, &err), EGDI_OK);
    kept_is_fresh(sp, U40);
    egdi_uncertainty_space_free(sp);
    egdi_model_free(m);
    free(f);
}

/* ---- what a run varied, in Chinese -------------------------------------- */

/* The space's English sentence (as the store keeps it) and its Chinese. */
static void varied_is(const egdi_model *m, const egdi_score_input *in,
                      const egdi_uncertainty_opts *o, const char *en, const char *zh)
{
    egdi_uncertainty_space *sp = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_uncertainty_space_new(m, in, o, &sp, &err), EGDI_OK);
    const char *text = egdi_uncertainty_space_text(sp);
    char buf[1024];
    const char *got = egdi_uncertainty_varied_zh(text, buf, sizeof buf);
    assert_string_equal(text, en);
    assert_non_null(got);
    assert_string_equal(got, zh);
    egdi_uncertainty_space_free(sp);
}

static void varied_in_chinese(void **state)
{
    (void)state;
    forty *f = calloc(1, sizeof *f);
    forty_init(f);
    egdi_model *m = tree(), *same = tree();
    assert_true(m && same);
    egdi_score_input in = {U40, f->units, f->raw};
    egdi_uncertainty_norm norm = {NULL, 2, {EGDI_RULE_MINMAX, EGDI_RULE_ZSCORE}};
    double se[U40 * NODES];
    for (size_t c = 0; c < U40 * NODES; c++)
        se[c] = c % NODES == 5 ? 2.0 : NAN;
    egdi_uncertainty_opts o;
    egdi_uncertainty_opts_init(&o);
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_UNIFORM;
    o.width = 0.2;
    o.nnorm = 1;
    o.norm = &norm;
    o.nmissing = 1;
    o.missing[0] = EGDI_MISSING_MEDIAN;
    o.se = se;
    varied_is(m, &in, &o,
              "weights: uniform +-20 % of each weight, renormalised (4 weights in 2 groups); "
              "normalisation: minmax, zscore or the indicator's own rule (2 indicators); "
              "missing: reweight, median (1 values missing); "
              "data: 40 values from their standard errors",
              "权重：每个权重在 ±20 % 内均匀变动后同级重新归一（4 个权重，2 组）；"
              "标准化规则：minmax、zscore 或指标本身的规则（2 个指标）；"
              "缺失值处理：reweight、median（1 个值缺失）；"
              "数据：40 个值从其标准误的抽样分布抽取");
    egdi_uncertainty_opts_init(&o);
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_DIRICHLET;
    o.concentration = 50;
    o.aggregation = true;
    o.data_error = 0.05;
    o.se = se;
    varied_is(m, &in, &o,
              "weights: Dirichlet, concentration 50 around the model's (4 weights in 2 groups); "
              "aggregation: arithmetic or geometric; "
              "data: every value with a relative error of 5 %; 40 values from their standard "
              "errors",
              "权重：以模型权重为中心的 Dirichlet 分布，集中度 50（4 个权重，2 组）；"
              "聚合方式：算术或几何；"
              "数据：每个值带 5 % 的相对误差；40 个值从其标准误的抽样分布抽取");
    egdi_uncertainty_set sets[2] = {{"ahp", same}, {"equal", same}};
    egdi_uncertainty_opts_init(&o);
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_SETS;
    o.nsets = 2;
    o.sets = sets;
    varied_is(m, &in, &o, "weights: the model's or one of 2 sets (ahp, equal), equally likely",
              "权重：模型的权重或 2 套备选权重之一（ahp、equal），等概率");
    /* a set named by a path holding ", " or "; " is not split in two: the
     * sentence stays English (NULL) */
    char one[256];
    assert_null(egdi_uncertainty_varied_zh(
        "weights: the model's or one of 1 sets (Province, 2024), equally likely", one,
        sizeof one));
    assert_null(egdi_uncertainty_varied_zh(
        "weights: the model's or one of 1 sets (v2; experts), equally likely", one, sizeof one));
    assert_non_null(egdi_uncertainty_varied_zh(
        "weights: the model's or one of 1 sets (x (old)), equally likely", one, sizeof one));
    assert_string_equal(one, "权重：模型的权重或 1 套备选权重之一（x (old)），等概率");
    /* a sentence this version does not write stays English (NULL) */
    char buf[256];
    assert_null(egdi_uncertainty_varied_zh("weights: something new", buf, sizeof buf));
    assert_null(egdi_uncertainty_varied_zh("aggregation: arithmetic or geometric; extra", buf,
                                           sizeof buf));
    /* too small a buffer: NULL, not a cut sentence */
    assert_null(egdi_uncertainty_varied_zh("aggregation: arithmetic or geometric", buf, 8));
    egdi_model_free(m);
    egdi_model_free(same);
    free(f);
}

/* ---- refusals ------------------------------------------------------------- */

static void refused(const egdi_model *m, const egdi_score_input *in,
                    const egdi_uncertainty_opts *o, const char *want)
{
    egdi_uncertainty_result *r = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_uncertainty_run(m, in, o, &r, &err), EGDI_ERR_ARG);
    assert_null(r);
    if (!strstr(err.message, want))
        fail_msg("error '%s' does not say '%s'", err.message, want);
}

static void no_such_step_is_refused(void **state)
{
    (void)state;
    forty *f = calloc(1, sizeof *f);
    forty_init(f);
    egdi_model *m = tree(), *m3 = three_model(0.5, 0.5);
    egdi_score_input in = {U40, f->units, f->raw};
    egdi_score_input in3 = {3, units3, raw3};
    egdi_uncertainty_opts o;
    egdi_uncertainty_opts_init(&o);
    o.draws = 10;
    /* nothing named */
    refused(m, &in, &o, "name at least one assumption to vary");
    /* a rule for an indicator the model has not */
    egdi_uncertainty_norm nx = {"Q9", 1, {EGDI_RULE_MINMAX}};
    o.nnorm = 1;
    o.norm = &nx;
    refused(m, &in, &o, "normalisation: Q9 is not an indicator of model t");
    /* the three-unit model's leaves are scored by value: no normalisation */
    egdi_uncertainty_norm nall = {NULL, 1, {EGDI_RULE_MINMAX}};
    o.norm = &nall;
    refused(m3, &in3, &o, "normalisation: no indicator of model t");
    o.nnorm = 0;
    /* no value is missing in the three-unit round: no missing-data step */
    o.nmissing = 1;
    o.missing[0] = EGDI_MISSING_MEAN;
    refused(m3, &in3, &o, "missing: the round has no missing indicator value");
    /* the model's own policy is no alternative */
    o.missing[0] = EGDI_MISSING_REWEIGHT;
    refused(m, &in, &o, "missing: name a policy other than the model's own");
    o.nmissing = 0;
    /* a geometric mean of a score of 0 */
    double raw0[3 * NODES3];
    memcpy(raw0, raw3, sizeof raw0);
    raw0[1] = 0;
    egdi_score_input in0 = {3, units3, raw0};
    o.aggregation = true;
    refused(m3, &in0, &o, "aggregation: a geometric mean needs scores above 0");
    o.aggregation = false;
    /* a relative error out of range */
    o.data_error = 2;
    refused(m, &in, &o, "data: a relative error is at least 0 and at most 1");
    o.data_error = 0;
    /* a weight set without a node of the model */
    egdi_model *other = test_model(TEST_SETTINGS TEST_CAT_HEADER
                                   "EGDI,,总,total,,,higher,both\n"
                                   "A,EGDI,甲,A,0.5,,higher,both,value\n"
                                   "C,EGDI,丙,C,0.5,,higher,both,value\n" TEST_STAGES);
    egdi_uncertainty_set set = {"other", other};
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_SETS;
    o.nsets = 1;
    o.sets = &set;
    refused(m3, &in3, &o, "weights: set other has no node B of model t");
    egdi_model_free(other);
    egdi_model_free(m);
    egdi_model_free(m3);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(three_units_exact),
        cmocka_unit_test(zero_width_collapses),
        cmocka_unit_test(same_seed_any_threads),
        cmocka_unit_test(kept_workspace_is_fresh),
        cmocka_unit_test(varied_in_chinese),
        cmocka_unit_test(no_such_step_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
