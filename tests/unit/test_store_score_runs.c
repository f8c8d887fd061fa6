/* Unit tests for engine/store/score_runs.c: a run's node scores saved as one
 * row per unit (schema 6) and read back bit for bit, a damaged row refused,
 * the node_score rows of runs saved before schema 6 still read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/store/score_runs.h"
#include "store_fixture.h"

#define NU 2
#define NN 3

/* Two units, ids 7 and 3 (saved in that order, unit 3 first by key). */
static void add_units(egdi_store *s)
{
    egdi_error err;
    assert_int_equal(egdi_store_exec(s,
                                     "INSERT INTO unit(id, code, name, kind) VALUES"
                                     " (7, 'U7', 'seven', 'department'),"
                                     " (3, 'U3', 'three', 'region')",
                                     &err),
                     EGDI_OK);
}

typedef struct {
    size_t n;
    int64_t unit[16];
    char node[16][8], how[16][16];
    double v[16][6];
} got_rows;

static egdi_status on_row(void *ctx, const egdi_store_node_score_row *row, egdi_error *err)
{
    (void)err;
    got_rows *g = ctx;
    if (g->n == 16)
        return EGDI_OK;
    g->unit[g->n] = row->unit_id;
    snprintf(g->node[g->n], sizeof g->node[0], "%s", row->node);
    snprintf(g->how[g->n], sizeof g->how[0], "%s", row->how ? row->how : "(null)");
    const double v[6] = {row->raw, row->score, row->weight, row->contribution, row->dept,
                         row->own};
    memcpy(g->v[g->n], v, sizeof v);
    g->n++;
    return EGDI_OK;
}

/* Same number bit for bit, or both NaN. */
static void assert_same(double a, double b)
{
    if (isnan(a) || isnan(b)) {
        assert_true(isnan(a) && isnan(b));
        return;
    }
    assert_memory_equal(&a, &b, sizeof a);
}

static int64_t save(egdi_store *s)
{
    static const int64_t ids[NU] = {7, 3};
    static const double egdi[NU] = {50.5, NAN}, cov[NU] = {1, 0.5};
    static const char *const stage[NU] = {"s1", NULL};
    static const bool rankable[NU] = {true, false};
    static const long rank[NU] = {1, 0};
    static const char *const nodes[NN] = {"EGDI", "B", "A"};
    /* unit 7: EGDI, B scored, A missing; unit 3: EGDI with its two parts,
     * B without a row, A given */
    const double raw[NU * NN] = {NAN, 0.1 + 0.2, NAN, NAN, NAN, 42};
    const double score[NU * NN] = {50.5, 1.0 / 3, NAN, 85.41760294117648, NAN, 42};
    const double weight[NU * NN] = {NAN, 0.4, 0.6, NAN, NAN, 1e-300};
    const double contrib[NU * NN] = {NAN, -0.0, NAN, NAN, NAN, 2.5};
    const char *const how[NU * NN] = {"scored", "scored", "missing", "scored", NULL, "given"};
    const double dept[NU * NN] = {NAN, NAN, NAN, 86.431098739495837, NAN, NAN};
    const double own[NU * NN] = {NAN, NAN, NAN, 95.012, NAN, NAN};
    egdi_store_score_run run = {
        .round = 2024, .model_name = "m", .model_version = "1", .model_sha256 = "h",
        .definition = "d", .definition_len = 1, .inputs_sha256 = "i", .program_version = "p",
        .nunits = NU, .unit_ids = ids, .egdi = egdi, .stage = stage, .coverage = cov,
        .rankable = rankable, .rank = rank, .nnodes = NN, .nodes = nodes, .raw = raw,
        .score = score, .weight = weight, .contribution = contrib, .how = how, .dept = dept,
        .own = own};
    int64_t id = 0;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_store_score_run_save(s, &run, &id, &err), EGDI_OK);
    return id;
}

static void run_is_one_row_per_unit_read_back_exactly(void **state)
{
    egdi_store *s = *state;
    add_units(s);
    int64_t id = save(s);
    char q[160];
    snprintf(q, sizeof q, "SELECT count(*) FROM unit_node_score WHERE run_id = %lld",
             (long long)id);
    assert_int_equal(sql_int(s, q), NU);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM node_score"), 0);
    got_rows g;
    memset(&g, 0, sizeof g);
    egdi_error err;
    assert_int_equal(egdi_store_node_scores_each(s, id, on_row, &g, &err), EGDI_OK);
    /* by unit id, each unit's nodes by code; B of unit 3 has no row */
    assert_int_equal(g.n, 5);
    static const int64_t unit[5] = {3, 3, 7, 7, 7};
    static const char *const node[5] = {"A", "EGDI", "A", "B", "EGDI"};
    static const char *const how[5] = {"given", "scored", "missing", "scored", "scored"};
    const double v[5][6] = {
        {42, 42, 1e-300, 2.5, NAN, NAN},
        {NAN, 85.41760294117648, NAN, NAN, 86.431098739495837, 95.012},
        {NAN, NAN, 0.6, NAN, NAN, NAN},
        {0.1 + 0.2, 1.0 / 3, 0.4, -0.0, NAN, NAN},
        {NAN, 50.5, NAN, NAN, NAN, NAN},
    };
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(g.unit[i], unit[i]);
        assert_string_equal(g.node[i], node[i]);
        assert_string_equal(g.how[i], how[i]);
        for (int k = 0; k < 6; k++)
            assert_same(g.v[i][k], v[i][k]);
    }
    /* scoring again replaces the run and its rows */
    save(s);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM score_run"), 1);
    assert_int_equal(sql_int(s, "SELECT count(*) FROM unit_node_score"), NU);
}

static void damaged_row_is_refused(void **state)
{
    egdi_store *s = *state;
    add_units(s);
    int64_t id = save(s);
    egdi_error err;
    /* cut short inside a number */
    assert_int_equal(egdi_store_exec(s, "UPDATE unit_node_score SET nodes = substr(nodes, 1, 20)"
                                        " WHERE unit_id = 7", &err),
                     EGDI_OK);
    got_rows g;
    memset(&g, 0, sizeof g);
    egdi_error_clear(&err);
    assert_int_equal(egdi_store_node_scores_each(s, id, on_row, &g, &err), EGDI_ERR_STORE);
    if (!strstr(err.message, "scores of unit ") ||
        !strstr(err.message, " (store id 7) that cannot be read"))
        fail_msg("%s", err.message);
    /* a number that is not finite (format 1, one node "A", how "", its raw
     * value +inf) */
    assert_int_equal(egdi_store_exec(s, "UPDATE unit_node_score SET nodes ="
                                        " x'01010000000100410001000000000000F07F'"
                                        " WHERE unit_id = 7",
                                     &err),
                     EGDI_OK);
    memset(&g, 0, sizeof g);
    egdi_error_clear(&err);
    assert_int_equal(egdi_store_node_scores_each(s, id, on_row, &g, &err), EGDI_ERR_STORE);
    assert_non_null(strstr(err.message, "a score of A of unit 7 that is not a finite number"));
    /* whole entries, but not what the row says it holds: each refused,
     * never read as a unit with fewer (or doubled) scores.  An entry
     * "A"/"B" with no numbers: 0100 41|42 00 00 */
    static const char *const bad[] = {
        "x'01'",                                 /* the format alone */
        "x'0100000000'",                         /* no node */
        "x'01020000000100410000'",               /* cut after the first of two */
        "x'010100000001004100000100420000'",     /* one more than counted */
        "x'010200000001004100000100410000'",     /* the same node twice */
        "x'010200000001004200000100410000'",     /* out of order */
        "x'0101000000010041000000'",             /* a byte left over */
        "x'02010000000100410000'",               /* another format */
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char sql[256];
        snprintf(sql, sizeof sql, "UPDATE unit_node_score SET nodes = %s WHERE unit_id = 7",
                 bad[k]);
        assert_int_equal(egdi_store_exec(s, sql, &err), EGDI_OK);
        memset(&g, 0, sizeof g);
        egdi_error_clear(&err);
        if (egdi_store_node_scores_each(s, id, on_row, &g, &err) != EGDI_ERR_STORE)
            fail_msg("%s was read", bad[k]);
        assert_non_null(strstr(err.message, "that cannot be read"));
    }
    /* and the well-formed row of those: read */
    assert_int_equal(egdi_store_exec(s, "UPDATE unit_node_score SET"
                                        " nodes = x'010200000001004100000100420000'"
                                        " WHERE unit_id = 7",
                                     &err),
                     EGDI_OK);
    memset(&g, 0, sizeof g);
    egdi_error_clear(&err);
    if (egdi_store_node_scores_each(s, id, on_row, &g, &err) != EGDI_OK)
        fail_msg("%s", err.message);
    bool a = false, b = false;
    for (size_t k = 0; k < g.n; k++)
        if (g.unit[k] == 7) {
            a |= strcmp(g.node[k], "A") == 0 && isnan(g.v[k][1]);
            b |= strcmp(g.node[k], "B") == 0;
        }
    assert_true(a && b);
}

static void rows_of_older_runs_are_read(void **state)
{
    egdi_store *s = *state;
    add_units(s);
    egdi_error err;
    assert_int_equal(
        egdi_store_exec(s,
                        "INSERT INTO round(year) VALUES(2023);"
                        "INSERT INTO model(id, name, version, sha256, definition, created_at)"
                        " VALUES(1, 'm', '1', 'h0', 'd', 't');"
                        "INSERT INTO score_run(id, round, model_id, inputs_sha256,"
                        " program_version, created_at) VALUES(1, 2023, 1, 'i', 'p', 't');"
                        "INSERT INTO node_score VALUES(1, 3, 'EGDI', NULL, 80.25, NULL, NULL,"
                        " 'scored dept=86.431098739495837 own=95.012');"
                        "INSERT INTO node_score VALUES(1, 7, 'A', 1.5, 2.5, 0.5, 1.25, 'given')",
                        &err),
        EGDI_OK);
    got_rows g;
    memset(&g, 0, sizeof g);
    assert_int_equal(egdi_store_node_scores_each(s, 1, on_row, &g, &err), EGDI_OK);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.unit[0], 3);
    assert_string_equal(g.how[0], "scored");
    assert_same(g.v[0][1], 80.25);
    assert_same(g.v[0][4], 86.431098739495837);
    assert_same(g.v[0][5], 95.012);
    assert_int_equal(g.unit[1], 7);
    assert_string_equal(g.node[1], "A");
    assert_string_equal(g.how[1], "given");
    assert_same(g.v[1][3], 1.25);
    assert_true(isnan(g.v[1][4]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(run_is_one_row_per_unit_read_back_exactly, store_setup,
                                        store_teardown),
        cmocka_unit_test_setup_teardown(damaged_row_is_refused, store_setup, store_teardown),
        cmocka_unit_test_setup_teardown(rows_of_older_runs_are_read, store_setup,
                                        store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
