/*
 * Unit tests for indicators/ranking.c: competition ranks and their ties
 * (1, 2, 2, 4) with rank digits; ranks within a kind and within a region;
 * unrankable units; the comparison with an earlier round read back from
 * the store (previous rank, rank change, and the previous stage STORED
 * with that round's run, scored with other stage bands); stage counts and
 * the transition matrix; a stage code only the earlier model has; the
 * same numbers through `egdi score`'s summary, `egdi explain` and a table
 * ranked straight from a file.  Every expected value is worked out by hand
 * in the comments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model_fixture.h"
#include "engine/import/import.h"
#include "engine/store/store.h"
#include "indicators/ranking.h"
#include "indicators/score_store.h"

/* ---- rounding without printing, and the reusable ranker ---------- */

static uint64_t lcg(uint64_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return *x >> 11;
}

/* The definition of egdi_ranking_round_digits, by printing (issue 18):
 * settled to 12 decimals, then the decimal text rounded half to even
 * (above 1e6 or with 12 digits or more: printed with %.*f). */
static double round_defined(double score, int digits)
{
    char buf[400];
    if (digits >= 12 || fabs(score) >= 1e6) {
        snprintf(buf, sizeof buf, "%.*f", digits, score);
        return strtod(buf, NULL);
    }
    snprintf(buf, sizeof buf, "%.12f", score);
    char *dot = strchr(buf, '.');
    char *cut = dot + 1 + digits;
    bool up = *cut > '5';
    if (*cut == '5') {
        up = strspn(cut + 1, "0") != strlen(cut + 1);
        if (!up)
            up = ((digits > 0 ? cut[-1] : dot[-1]) - '0') % 2 == 1;
    }
    *(digits > 0 ? cut : dot) = '\0';
    double v = strtod(buf, NULL);
    if (up) {
        double step = 1;
        for (int i = 0; i < digits; i++)
            step /= 10;
        snprintf(buf, sizeof buf, "%.*f", digits, fabs(v) + step);
        v = strtod(buf, NULL) * (score < 0 ? -1 : 1);
    }
    return v;
}

/* egdi_ranking_round_digits (which prints only near a half) against its
 * definition, on random scores, on decimals that sit exactly on a half
 * (0.125, 2.5) and just beside one (0.12345000000000001), and on -0. */
static void round_digits_is_printing(void **state)
{
    (void)state;
    char buf[64];
    (void)buf;
    uint64_t x = 7;
    for (int i = 0; i < 200000; i++) {
        double v = (double)(lcg(&x) % 100000000) / 1e6 * ((i % 7) ? 1 : -1);
        if (i % 3 == 0)
            v = (double)lcg(&x) / 9007199254740992.0 * 100.0;
        int d = (int)(lcg(&x) % 7);
        double want = round_defined(v, d), got = egdi_ranking_round_digits(v, d);
        if (memcmp(&want, &got, sizeof want) != 0)
            fail_msg("round %.17g to %d: got %.17g, the definition %.17g", v, d, got, want);
    }
    static const double edge[] = {0.125, 0.375, 2.5, 3.5, 74.805, 74.815, 1.0005, -2.5, -0.0,
                                  0.004999999999999999, 0.005, 99.995, 1e-300,
                                  0.12344999999999999, 0.12345000000000001, 0.123450000000001,
                                  0.12345000000002, 2.5172949999999998};
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (int d = 0; d < 6; d++) {
            double want = round_defined(edge[i], d), got = egdi_ranking_round_digits(edge[i], d);
            if (memcmp(&want, &got, sizeof want) != 0)
                fail_msg("round %.17g to %d: got %.17g, the definition %.17g", edge[i], d, got,
                         want);
        }
}

typedef struct {
    double v;
    size_t i;
    bool ok;
} ref_key;

static int cmp_ref(const void *a, const void *b)
{
    const ref_key *x = a, *y = b;
    if (x->ok != y->ok)
        return x->ok ? -1 : 1;
    if (x->ok && x->v != y->v)
        return x->v > y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* The ranker's ranks and order are the qsort definition's (the code
 * egdi_ranking_competition had before the radix sort), with many ties,
 * NaN, ineligible units, negative scores and -0, reused across calls. */
static void ranker_is_the_sort(void **state)
{
    (void)state;
    enum { N = 700 };
    double s[N];
    bool ok[N];
    long rank[N], want[N];
    size_t order[N];
    ref_key k[N];
    egdi_error err;
    egdi_ranking_ranker *rk = NULL;
    assert_int_equal(egdi_ranking_ranker_new(N, &rk, &err), EGDI_OK);
    uint64_t x = 11;
    for (int rep = 0; rep < 60; rep++) {
        size_t n = rep == 0 ? 0 : rep == 1 ? 1 : (size_t)(lcg(&x) % N) + 1;
        int d = rep % 4 == 0 ? -1 : (int)(rep % 3);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = lcg(&x);
            s[i] = rep % 5 == 0 ? (double)(r % 13) - 6 : (double)(r % 1000000) / 997.0 - 300;
            if (r % 41 == 0)
                s[i] = NAN;
            if (r % 43 == 0)
                s[i] = -0.0;
            ok[i] = r % 17 != 0;
            k[i] = (ref_key){0, i, ok[i] && !isnan(s[i])};
            k[i].v = k[i].ok ? egdi_ranking_round_digits(s[i], d) : 0;
        }
        qsort(k, n, sizeof *k, cmp_ref);
        for (size_t p = 0; p < n; p++) {
            if (!k[p].ok)
                want[k[p].i] = 0;
            else if (p > 0 && k[p - 1].ok && k[p - 1].v == k[p].v)
                want[k[p].i] = want[k[p - 1].i];
            else
                want[k[p].i] = (long)p + 1;
        }
        egdi_ranking_ranker_rank(rk, s, ok, n, d, rank, order);
        for (size_t p = 0; p < n; p++) {
            assert_int_equal(order[p], k[p].i);
            assert_int_equal(rank[p], want[p]);
        }
    }
    egdi_ranking_ranker_free(rk);
}

/* ---- competition ranks (moved from test_score.c) ---------------- */

static void ties_share_the_best_rank(void **state)
{
    (void)state;
    double s[5] = {85, 90, 85, 80, 99};
    bool ok[5] = {true, true, true, true, false};
    long rank[5];
    size_t order[5];
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_ranking_competition(s, ok, 5, -1, rank, order, &err), EGDI_OK);
    /* 90 -> 1, 85 and 85 -> 2, 80 -> 4 (1, 2, 2, 4); 99 is not rankable */
    assert_int_equal(rank[1], 1);
    assert_int_equal(rank[0], 2);
    assert_int_equal(rank[2], 2);
    assert_int_equal(rank[3], 4);
    assert_int_equal(rank[4], 0);
    size_t want[5] = {1, 0, 2, 3, 4}; /* ties in input order, unranked last */
    for (int i = 0; i < 5; i++)
        assert_int_equal(order[i], want[i]);
}

static void rank_digits(void **state)
{
    (void)state;
    double s[3] = {0.91504, 0.91496, 0.9149};
    long rank[3];
    egdi_error err;
    egdi_error_clear(&err);
    egdi_ranking_competition(s, NULL, 3, -1, rank, NULL, &err);
    assert_int_equal(rank[0], 1);
    assert_int_equal(rank[1], 2);
    assert_int_equal(rank[2], 3);
    /* rounded to 4 decimals: 0.9150, 0.9150, 0.9149 -> 1, 1, 3 */
    egdi_ranking_competition(s, NULL, 3, 4, rank, NULL, &err);
    assert_int_equal(rank[0], 1);
    assert_int_equal(rank[1], 1);
    assert_int_equal(rank[2], 3);
    /* rounded to 2: all 0.91/0.92? 0.92, 0.91, 0.91 -> 1, 2, 2 */
    egdi_ranking_competition(s, NULL, 3, 2, rank, NULL, &err);
    assert_int_equal(rank[0], 1);
    assert_int_equal(rank[1], 2);
    assert_int_equal(rank[2], 2);
    assert_near(egdi_ranking_round_digits(62.125, 2), 62.12, 0); /* 62.125 is exact: ties to even */
    assert_near(egdi_ranking_round_digits(0.91504, 4), 0.915, 0);
    /* one ulp either side of a decimal tie rounds alike (issue 18: the same
     * sum in another order, a CSV text and an XLSX double) */
    assert_near(egdi_ranking_round_digits(nextafter(0.12345, 0), 4),
                egdi_ranking_round_digits(nextafter(0.12345, 1), 4), 0);
    assert_near(egdi_ranking_round_digits(nextafter(0.12345, 0), 4), 0.1234, 0);
    assert_near(egdi_ranking_round_digits(nextafter(0.915, 0), 2), 0.92, 0);
    assert_near(egdi_ranking_round_digits(-0.12346, 4), -0.1235, 0);
}

static void tally_counts_and_transitions(void **state)
{
    (void)state;
    size_t counts[4], prev[4], trans[9];
    egdi_ranking_tally t = {3, counts, prev, trans};
    egdi_ranking_tally_clear(&t);
    egdi_ranking_tally_add(&t, 0, 1);  /* 1 -> 0 */
    egdi_ranking_tally_add(&t, 2, 2);  /* stayed in 2 */
    egdi_ranking_tally_add(&t, 2, -1); /* new in 2: no transition */
    egdi_ranking_tally_add(&t, -1, 0); /* not ranked now */
    egdi_ranking_tally_add(&t, 7, 9);  /* out of range = none */
    assert_int_equal(counts[0], 1);
    assert_int_equal(counts[1], 0);
    assert_int_equal(counts[2], 2);
    assert_int_equal(counts[3], 2);
    assert_int_equal(prev[0], 1);
    assert_int_equal(prev[1], 1);
    assert_int_equal(prev[2], 1);
    assert_int_equal(prev[3], 2);
    size_t want[9] = {0, 0, 0, /* from 0 */ 1, 0, 0, /* from 1 */ 0, 0, 1 /* from 2 */};
    for (int i = 0; i < 9; i++)
        assert_int_equal(trans[i], want[i]);
}

/* ---- a store with two rounds ------------------------------------------- */

/*
 * One indicator X (a "value" rule: the score is the value), regions scored
 * on their own value only (region_share 0), rank_digits 2, min_coverage
 * 0.5 (a unit without X is not rankable).
 */
#define MODEL_HEAD                                                                                \
    TEST_SETTINGS "min_coverage,0.5\nrank_digits,2\nregion_share,0\n" TEST_CAT_HEADER            \
                  "EGDI,,总,total,,,higher,both\nX,EGDI,,x,1,,higher,both,value\n"
/* model B (2024): the usual bands */
#define MODEL_B MODEL_HEAD TEST_STAGES
/* model A (2023): the first band reaches 45 */
#define MODEL_A                                                                                   \
    MODEL_HEAD "[stages]\ncode,name_zh,name_en,lower,upper\n"                                     \
               "preparation,准备发展阶段,preparation,,45\ninitial,起步发展阶段,initial,45,60\n"   \
               "supporting,支撑发展阶段,supporting,60,75\ndeepening,深度发展阶段,deepening,75,90\n" \
               "integration,融合发展阶段,integration,90,\n"
/* model C (2023 again): as A, the first stage coded "low" */
#define MODEL_C                                                                                   \
    MODEL_HEAD "[stages]\ncode,name_zh,name_en,lower,upper\n"                                     \
               "low,低,low,,45\ninitial,起步发展阶段,initial,45,60\n"                             \
               "supporting,支撑发展阶段,supporting,60,75\ndeepening,深度发展阶段,deepening,75,90\n" \
               "integration,融合发展阶段,integration,90,\n"

/*
 *        2023  stage (A)     2024    stage (B)
 *  D1    90    integration   95      integration
 *  D2    40    preparation   70.004  supporting
 *  D3    50    initial       70.001  supporting   (ties D2 at 2 decimals)
 *  D4    65    supporting    60      supporting
 *  D5    30    preparation   -       not rankable
 *  D6    10    preparation   20      preparation
 *  R1    70    supporting    80      deepening
 *  R2    44    preparation   50      initial
 * D1-D3 are in R1, D4-D6 in R2.  Today's bands would put D2 (40), D5 (30)
 * and R2 (44) of 2023 in "initial": the stored run says "preparation".
 */
static const char units_csv[] = "code,name,kind,parent,level\n"
                                "R1,甲市,region,,1\nR2,乙市,region,,1\n"
                                "D1,一,department,R1,2\nD2,二,department,R1,2\n"
                                "D3,三,department,R1,2\nD4,四,department,R2,2\n"
                                "D5,五,department,R2,2\nD6,六,department,R2,2\n";
static const char metrics_2023[] = "unit,X\nD1,90\nD2,40\nD3,50\nD4,65\nD5,30\nD6,10\n"
                                   "R1,70\nR2,44\n";
static const char metrics_2024[] = "unit,X\nD1,95\nD2,70.004\nD3,70.001\nD4,60\nD5,\nD6,20\n"
                                   "R1,80\nR2,50\n";

typedef struct {
    char dir[64];
    egdi_store *s;
    egdi_model *a, *b, *c;
} fixture;

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void import(fixture *f, const char *what, const char *name, int round)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    egdi_import_opts o;
    egdi_import_opts_init(&o);
    o.round = round;
    egdi_import_result res;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = what[0] == 'u' ? egdi_import_units(f->s, path, &o, &res, &err)
                                    : egdi_import_metrics(f->s, path, &o, &res, &err);
    if (st)
        fprintf(stderr, "import %s: %s\n", name, err.message);
    assert_int_equal(st, EGDI_OK);
    egdi_import_result_release(&res);
}

static void score(fixture *f, const egdi_model *m, int round, egdi_score_summary *sum)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_score_round(f->s, m, round, "test", NULL, sum, &err);
    if (st)
        fprintf(stderr, "score %d: %s\n", round, err.message);
    assert_int_equal(st, EGDI_OK);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/egdi-ranking-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    write_file(f->dir, "units.csv", units_csv);
    write_file(f->dir, "metrics-2023.csv", metrics_2023);
    write_file(f->dir, "metrics-2024.csv", metrics_2024);
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_store_open(&f->s, ":memory:", EGDI_STORE_CREATE, &err))
        return -1;
    f->a = test_model(MODEL_A);
    f->b = test_model(MODEL_B);
    f->c = test_model(MODEL_C);
    if (!f->a || !f->b || !f->c)
        return -1;
    import(f, "units", "units.csv", 0);
    import(f, "metrics", "metrics-2023.csv", 2023);
    import(f, "metrics", "metrics-2024.csv", 2024);
    egdi_score_summary sum;
    score(f, f->a, 2023, &sum);
    score(f, f->b, 2024, &sum);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    egdi_store_close(f->s);
    egdi_model_free(f->a);
    egdi_model_free(f->b);
    egdi_model_free(f->c);
    const char *files[] = {"units.csv", "metrics-2023.csv", "metrics-2024.csv", "table.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
        unlink(path);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static egdi_ranking *load(fixture *f, int round, int compare, egdi_unit_kind kind,
                          const char *within, int digits)
{
    egdi_ranking_opts o = {round, compare, NULL, {kind, within}, digits};
    egdi_ranking *k = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_ranking_load(f->s, &o, &k, &err);
    if (st)
        fprintf(stderr, "ranking: %s\n", err.message);
    assert_int_equal(st, EGDI_OK);
    return k;
}

static long unit_of(const egdi_ranking *k, const char *code)
{
    const egdi_round_input *in = &k->round->in;
    for (size_t u = 0; u < in->in.nunits; u++)
        if (strcmp(in->codes[u], code) == 0)
            return (long)u;
    fail_msg("no unit %s", code);
    return -1;
}

static const char *code_at(const egdi_ranking *k, size_t p)
{
    return k->round->in.codes[k->order[p]];
}

static const char *stage_code(const egdi_ranking *k, long i)
{
    return i < 0 ? "-" : k->stages[i]->code;
}

static void ranks_within_kind_and_region(void **state)
{
    fixture *f = *state;
    /* departments, the model's rank_digits 2: D2 70.00 and D3 70.00 tie */
    egdi_ranking *k = load(f, 2024, 0, EGDI_UNIT_DEPARTMENT, NULL, EGDI_RANKING_MODEL_DIGITS);
    assert_int_equal(k->digits, 2);
    assert_int_equal(k->n, 6);
    const char *order[6] = {"D1", "D2", "D3", "D4", "D6", "D5"};
    long ranks[6] = {1, 2, 2, 4, 5, 0}; /* D5 has no X: not rankable, listed last */
    for (size_t p = 0; p < 6; p++) {
        assert_string_equal(code_at(k, p), order[p]);
        assert_int_equal(k->rank[k->order[p]], ranks[p]);
    }
    assert_false(k->round->result->rankable[unit_of(k, "D5")]);
    assert_int_equal(k->stage[unit_of(k, "D5")], -1);
    assert_string_equal(stage_code(k, k->stage[unit_of(k, "D2")]), "supporting");
    assert_int_equal(k->rank[unit_of(k, "R1")], 0); /* out of scope */
    assert_null(k->prev_rank);
    assert_true(k->same_bands);
    /* counts of the units in scope: integration 1, supporting 3, preparation 1, none 1 */
    assert_int_equal(k->nstages, 5);
    size_t want[6] = {1, 0, 3, 0, 1, 1};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(k->counts[i], want[i]);
    egdi_ranking_free(k);

    /* unrounded: 70.004 > 70.001 */
    k = load(f, 2024, 0, EGDI_UNIT_DEPARTMENT, NULL, -1);
    assert_int_equal(k->rank[unit_of(k, "D2")], 2);
    assert_int_equal(k->rank[unit_of(k, "D3")], 3);
    egdi_ranking_free(k);

    /* within R2: D4 60 -> 1, D6 20 -> 2, D5 not rankable */
    k = load(f, 2024, 0, 0, "R2", EGDI_RANKING_MODEL_DIGITS);
    assert_int_equal(k->n, 3);
    assert_string_equal(code_at(k, 0), "D4");
    assert_string_equal(code_at(k, 1), "D6");
    assert_string_equal(code_at(k, 2), "D5");
    assert_int_equal(k->rank[unit_of(k, "D4")], 1);
    assert_int_equal(k->rank[unit_of(k, "D6")], 2);
    assert_int_equal(k->rank[unit_of(k, "D1")], 0);
    egdi_ranking_free(k);

    /* regions: R1 80 -> 1 (deepening), R2 50 -> 2 (initial) */
    k = load(f, 2024, 0, EGDI_UNIT_REGION, NULL, EGDI_RANKING_MODEL_DIGITS);
    assert_int_equal(k->n, 2);
    assert_string_equal(code_at(k, 0), "R1");
    assert_string_equal(stage_code(k, k->stage[unit_of(k, "R2")]), "initial");
    egdi_ranking_free(k);

    /* an unknown region */
    egdi_ranking_opts o = {2024, 0, NULL, {0, "R9"}, EGDI_RANKING_MODEL_DIGITS};
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_ranking_load(f->s, &o, &k, &err), EGDI_ERR_NOT_FOUND);
    assert_string_equal(err.message, "no region R9 in round 2024");
}

static void the_stored_run_keeps_its_stage(void **state)
{
    fixture *f = *state;
    egdi_round r;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_score_load_run(f->s, 2023, NULL, &r, &err), EGDI_OK);
    /* the run's own model (A) and the stage stored with it */
    assert_near(r.model->stages[0].upper, 45, 0);
    for (size_t u = 0; u < r.in.in.nunits; u++)
        if (strcmp(r.in.codes[u], "D2") == 0) {
            assert_near(r.result->egdi[u], 40, 1e-12);
            assert_string_equal(r.model->stages[r.result->stage[u]].code, "preparation");
            /* today's model would say otherwise */
            assert_string_equal(f->b->stages[egdi_model_stage(f->b, 40)].code, "initial");
        }
    egdi_round_release(&r);
}

static void compares_with_the_stored_earlier_run(void **state)
{
    fixture *f = *state;
    egdi_ranking *k = load(f, 2024, 2023, EGDI_UNIT_DEPARTMENT, NULL, EGDI_RANKING_MODEL_DIGITS);
    assert_int_equal(k->prev->year, 2023);
    assert_false(k->same_bands); /* A's first band ends at 45, B's at 30 */
    assert_int_equal(k->nstages, 5); /* the same codes: no extra stage */
    /* 2023 ranks: D1 90 -> 1, D4 65 -> 2, D3 50 -> 3, D2 40 -> 4, D5 30 -> 5, D6 10 -> 6 */
    const struct {
        const char *code;
        long rank, prev_rank;
        const char *prev_stage;
    } want[] = {
        {"D1", 1, 1, "integration"}, {"D2", 2, 4, "preparation"}, {"D3", 2, 3, "initial"},
        {"D4", 4, 2, "supporting"},  {"D6", 5, 6, "preparation"}, {"D5", 0, 5, "preparation"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        long u = unit_of(k, want[i].code);
        assert_int_equal(k->rank[u], want[i].rank);
        assert_int_equal(k->prev_rank[u], want[i].prev_rank);
        assert_string_equal(stage_code(k, k->prev_stage[u]), want[i].prev_stage);
    }
    /* stage counts, axis preparation initial supporting deepening integration none */
    size_t cur[6] = {1, 0, 3, 0, 1, 1}, prev[6] = {3, 1, 1, 0, 1, 0};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(k->counts[i], cur[i]);
        assert_int_equal(k->prev_counts[i], prev[i]);
    }
    /* transitions of the units ranked in both rounds (D5 is not now):
     * D1 integration -> integration, D2 preparation -> supporting,
     * D3 initial -> supporting, D4 supporting -> supporting,
     * D6 preparation -> preparation */
    size_t S = 5, m[25] = {0};
    m[0 * S + 2] = 1;
    m[0 * S + 0] = 1;
    m[1 * S + 2] = 1;
    m[2 * S + 2] = 1;
    m[4 * S + 4] = 1;
    for (size_t i = 0; i < 25; i++)
        assert_int_equal(k->transitions[i], m[i]);
    egdi_ranking_free(k);

    /* within R2: 2023 D4 65 -> 1, D5 30 -> 2, D6 10 -> 3 */
    k = load(f, 2024, 2023, 0, "R2", EGDI_RANKING_MODEL_DIGITS);
    assert_int_equal(k->prev_rank[unit_of(k, "D4")], 1);
    assert_int_equal(k->prev_rank[unit_of(k, "D5")], 2);
    assert_int_equal(k->prev_rank[unit_of(k, "D6")], 3);
    assert_int_equal(k->prev_rank[unit_of(k, "D1")], 0); /* another region */
    egdi_ranking_free(k);

    /* regions: R2 44 was "preparation" in 2023's run (today's bands: initial) */
    k = load(f, 2024, 2023, EGDI_UNIT_REGION, NULL, EGDI_RANKING_MODEL_DIGITS);
    assert_string_equal(stage_code(k, k->prev_stage[unit_of(k, "R2")]), "preparation");
    assert_string_equal(stage_code(k, k->prev_stage[unit_of(k, "R1")]), "supporting");
    assert_int_equal(k->transitions[0 * 5 + 1], 1); /* R2 preparation -> initial */
    assert_int_equal(k->transitions[2 * 5 + 3], 1); /* R1 supporting -> deepening */
    egdi_ranking_free(k);
}

static void a_stage_only_the_earlier_model_has(void **state)
{
    fixture *f = *state;
    egdi_score_summary sum;
    score(f, f->c, 2023, &sum); /* the latest 2023 run is now C's */
    /* C's rankable units of both kinds: low D2 D5 D6 R2, initial D3,
     * supporting D4 R1, integration D1 */
    assert_int_equal(sum.units, 8);
    assert_int_equal(sum.rankable, 8);
    assert_int_equal(sum.stage_counts[0], 4);
    assert_int_equal(sum.stage_counts[1], 1);
    assert_int_equal(sum.stage_counts[2], 2);
    assert_int_equal(sum.stage_counts[3], 0);
    assert_int_equal(sum.stage_counts[4], 1);
    egdi_ranking *k = load(f, 2024, 2023, EGDI_UNIT_DEPARTMENT, NULL, EGDI_RANKING_MODEL_DIGITS);
    /* B's five stages, then "low" */
    assert_int_equal(k->ncurrent, 5);
    assert_int_equal(k->nstages, 6);
    assert_string_equal(k->stages[5]->code, "low");
    assert_false(k->same_bands);
    assert_string_equal(stage_code(k, k->prev_stage[unit_of(k, "D2")]), "low");
    assert_string_equal(stage_code(k, k->prev_stage[unit_of(k, "D3")]), "initial");
    assert_int_equal(k->prev_counts[5], 3);  /* D2 D5 D6 */
    assert_int_equal(k->prev_counts[0], 0);  /* nobody was "preparation" in C */
    assert_int_equal(k->counts[5], 0);       /* nobody is "low" now */
    size_t S = 6;
    assert_int_equal(k->transitions[5 * S + 2], 1); /* D2 low -> supporting */
    assert_int_equal(k->transitions[5 * S + 0], 1); /* D6 low -> preparation */
    egdi_ranking_free(k);
    score(f, f->a, 2023, &sum); /* back to A for the other tests */
}

static void score_summary_and_explain(void **state)
{
    fixture *f = *state;
    egdi_score_summary sum;
    score(f, f->b, 2024, &sum);
    /* rankable units of both kinds by B's stages: preparation D6, initial
     * R2, supporting D2 D3 D4, deepening R1, integration D1; D5 none */
    assert_int_equal(sum.units, 8);
    assert_int_equal(sum.rankable, 7);
    size_t want[6] = {1, 1, 3, 1, 1, 1};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(sum.stage_counts[i], want[i]);
    egdi_score_explanation ex;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_score_explain(f->s, 2024, NULL, "D3", &ex, &err), EGDI_OK);
    assert_int_equal(ex.rank, 2); /* ties D2 at 2 decimals */
    long x = egdi_model_find(ex.round.model, "X");
    const egdi_score_source *src = &ex.source[x];
    assert_non_null(src->file);
    assert_non_null(strstr(src->file, "metrics-2024.csv"));
    assert_int_equal(src->row, 4); /* header, D1, D2, D3 */
    assert_int_equal(src->col, 2);
    egdi_score_explanation_release(&ex);
    assert_int_equal(egdi_score_explain(f->s, 2024, NULL, "D9", &ex, &err), EGDI_ERR_NOT_FOUND);
    assert_string_equal(err.message, "unit D9 was not scored in round 2024");
    /* the stored rank and explain's agree */
    assert_int_equal(egdi_score_explain(f->s, 2024, NULL, "R2", &ex, &err), EGDI_OK);
    assert_int_equal(ex.rank, 2);
    egdi_score_explanation_release(&ex);
}

static void a_table_ranked_from_a_file(void **state)
{
    fixture *f = *state;
    write_file(f->dir, "table.csv", "code,name,X\nA,甲,70.004\nB,乙,95\nC,丙,70.001\nD,丁,60\n");
    char path[128];
    snprintf(path, sizeof path, "%s/table.csv", f->dir);
    char mpath[128];
    snprintf(mpath, sizeof mpath, "%s/model.csv", f->dir);
    write_file(f->dir, "model.csv", MODEL_B);
    egdi_read_opts ro;
    egdi_read_opts_init(&ro);
    egdi_ranking *k = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_ranking_load_table(mpath, path, &ro, NULL, NULL,
                                             EGDI_RANKING_MODEL_DIGITS, &k, &err),
                     EGDI_OK);
    unlink(mpath);
    assert_int_equal(k->round->year, 0);
    assert_null(k->round->in.regions);
    /* B 95 -> 1, A and C 70.00 -> 2, D 60 -> 4 */
    const char *order[4] = {"B", "A", "C", "D"};
    long ranks[4] = {1, 2, 2, 4};
    for (size_t p = 0; p < 4; p++) {
        assert_string_equal(code_at(k, p), order[p]);
        assert_int_equal(k->rank[k->order[p]], ranks[p]);
    }
    assert_int_equal(k->counts[2], 3); /* supporting: A, C, D */
    egdi_ranking_free(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_digits_is_printing),
        cmocka_unit_test(ranker_is_the_sort),
        cmocka_unit_test(ties_share_the_best_rank),
        cmocka_unit_test(rank_digits),
        cmocka_unit_test(tally_counts_and_transitions),
        cmocka_unit_test_setup_teardown(ranks_within_kind_and_region, setup, teardown),
        cmocka_unit_test_setup_teardown(the_stored_run_keeps_its_stage, setup, teardown),
        cmocka_unit_test_setup_teardown(compares_with_the_stored_earlier_run, setup, teardown),
        cmocka_unit_test_setup_teardown(a_stage_only_the_earlier_model_has, setup, teardown),
        cmocka_unit_test_setup_teardown(score_summary_and_explain, setup, teardown),
        cmocka_unit_test_setup_teardown(a_table_ranked_from_a_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
