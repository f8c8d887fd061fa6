/*
 * Unit tests for indicators/model.c and model_write.c: the built-in models,
 * the table format (markers, percent and fraction weights), every problem
 * `egdi model check` reports on tests/data/models/bad_*.csv, the canonical
 * form and hash, and writing weights back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "model_fixture.h"

static void builtin_jiangsu(void **state)
{
    (void)state;
    egdi_model *m = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, "jiangsu", NULL, &err), EGDI_OK);
    assert_string_equal(m->name, "jiangsu");
    assert_string_equal(m->nodes[m->root].code, "EGDI");
    assert_int_equal(m->nodes[m->root].nchildren, 3);
    const char *subs[3] = {"CBII", "GIRI", "GSI"};
    double w[3] = {0.4, 0.3, 0.3};
    for (int i = 0; i < 3; i++) {
        const egdi_node *n = &m->nodes[m->nodes[m->root].children[i]];
        assert_string_equal(n->code, subs[i]);
        assert_near(n->weight, w[i], 0);
    }
    /* GSI11: 0.3 (GSI) * 0.2 (GSI1) * 0.4 */
    assert_near(m->nodes[egdi_model_find(m, "gsi11")].eff_weight, 0.024, 1e-15);
    assert_int_equal(m->nstages, 5);
    assert_string_equal(m->stages[0].name_zh, "准备发展阶段");
    assert_near(m->region_share, 0.7, 0);
    assert_int_equal(strlen(m->hash), 64);
    egdi_model_free(m);
}

static void builtin_un(void **state)
{
    (void)state;
    egdi_model *m = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, "un-egdi", NULL, &err), EGDI_OK);
    assert_near(m->nodes[egdi_model_find(m, "OSI")].weight, 1.0 / 3.0, 0); /* "1/3" */
    assert_true(m->classes_quartile);
    /* ranks on the decimals the table publishes (issue 18: 5 up to 2016) */
    assert_int_equal(m->rank_digits, EGDI_RANK_DIGITS_AUTO);
    assert_int_equal(m->missing, EGDI_MISSING_NONE);
    assert_string_equal(m->stages[3].code, "very_high");
    assert_string_equal(m->stages[3].classes[0], "VH");
    assert_near(m->stages[3].lower, 0.75, 0);
    egdi_model_free(m);
}

static void weights_as_people_type_them(void **state)
{
    (void)state;
    egdi_model *m = test_model(TEST_SETTINGS TEST_CAT_HEADER
                               "EGDI,,总,total\n"
                               "A,EGDI,,a,40%,,,,value\n"
                               "B,EGDI,,b,3/5,,,,value\n" TEST_STAGES);
    assert_non_null(m);
    assert_near(m->nodes[1].weight, 0.4, 1e-15);
    assert_near(m->nodes[2].weight, 0.6, 1e-15);
    egdi_model_free(m);
}

/* Loads path and checks that every expected text is among the problems. */
static void expect_problems(const char *path, const char *const *want, size_t n)
{
    egdi_model *m = NULL;
    egdi_model_problems p;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, path, &p, &err), EGDI_ERR_MODEL);
    assert_null(m);
    assert_int_equal(p.n, n);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < p.n; k++)
            if (strstr(p.lines[k], want[i]))
                found = true;
        if (!found)
            fail_msg("%s: no problem containing \"%s\"", path, want[i]);
    }
    egdi_model_problems_release(&p);
}

static void broken_tables(void **state)
{
    (void)state;
    const char *w1[] = {"weights under EGDI sum to 0.9, not 1 (tolerance 1e-09)"};
    expect_problems("tests/data/models/bad_weights.csv", w1, 1);
    const char *w2[] = {"B: unknown parent EGDX", "weights under EGDI sum to 0.5"};
    expect_problems("tests/data/models/bad_parent.csv", w2, 2);
    const char *w3[] = {"B is on a cycle of parents", "C is on a cycle of parents",
                        "C has children and a rule"};
    expect_problems("tests/data/models/bad_cycle.csv", w3, 3);
    const char *w4[] = {"A: rule goalpost needs min and max", "B: rule steps needs steps",
                        "C: rule likert needs scale_min and scale_max",
                        "D: unknown rule \"magic\"", "D: a leaf needs a rule"};
    expect_problems("tests/data/models/bad_rules.csv", w4, 5);
    const char *w5[] = {"duplicate code A (first on row 8)"};
    expect_problems("tests/data/models/bad_duplicate.csv", w5, 1);
    const char *w6[] = {"gap between low (upper 40) and mid (lower 50)",
                        "high [70, inf) overlaps mid [50, 80)"};
    expect_problems("tests/data/models/bad_stages.csv", w6, 2);
}

static void canonical_round_trip(void **state)
{
    (void)state;
    egdi_model *m = NULL, *m2 = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, "jiangsu", NULL, &err), EGDI_OK);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(egdi_model_canonical(m, &text, &len, &err), EGDI_OK);
    assert_int_equal(egdi_model_load_mem(&m2, text, len, "c.csv", NULL, &err), EGDI_OK);
    assert_string_equal(m->hash, m2->hash); /* same tables, same hash */
    free(text);
    egdi_model_free(m2);

    /* new weights under CBII, written through a temporary file */
    char path[] = "/tmp/egdi_model_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    double w[5] = {0.2, 0.2, 0.2, 0.2, 0.2};
    assert_int_equal(egdi_model_write_weights(m, "CBII", w, 5, path, &err), EGDI_OK);
    assert_int_equal(egdi_model_load(&m2, path, NULL, &err), EGDI_OK);
    assert_near(m2->nodes[egdi_model_find(m2, "CBII1")].weight, 0.2, 0);
    assert_near(m2->nodes[egdi_model_find(m2, "CBII")].weight, 0.4, 0);
    assert_string_not_equal(m->hash, m2->hash);
    assert_int_equal(egdi_model_write_weights(m, "CBII", w, 4, path, &err), EGDI_ERR_ARG);
    /* weights given by code, in any order, as a weighting method derives them */
    egdi_model_free(m2);
    const char *codes[5] = {"cbii5", "CBII1", "CBII4", "CBII2", "CBII3"};
    double wc[5] = {0.05, 0.3, 0.15, 0.3, 0.2};
    assert_int_equal(egdi_model_write_weights_by_code(m, "CBII", codes, wc, 5, path, &err),
                     EGDI_OK);
    assert_int_equal(egdi_model_load(&m2, path, NULL, &err), EGDI_OK);
    assert_near(m2->nodes[egdi_model_find(m2, "CBII5")].weight, 0.05, 0);
    assert_near(m2->nodes[egdi_model_find(m2, "CBII1")].weight, 0.3, 0);
    assert_near(m2->nodes[egdi_model_find(m2, "CBII4")].weight, 0.15, 0);
    const char *dup[5] = {"CBII1", "CBII1", "CBII4", "CBII2", "CBII3"};
    assert_int_equal(egdi_model_write_weights_by_code(m, "CBII", dup, wc, 5, path, &err),
                     EGDI_ERR_ARG);
    assert_string_equal(err.message, "2 weights for CBII1 (a child of CBII)");
    const char *other[5] = {"GSI1", "CBII1", "CBII4", "CBII2", "CBII3"};
    assert_int_equal(egdi_model_write_weights_by_code(m, "CBII", other, wc, 5, path, &err),
                     EGDI_ERR_ARG);
    assert_string_equal(err.message, "no weight for CBII5 (a child of CBII)");
    assert_int_equal(egdi_model_write_weights_by_code(m, "CBII", codes, wc, 4, path, &err),
                     EGDI_ERR_ARG);
    assert_string_equal(err.message, "CBII has 5 children but 4 weights were derived");
    unlink(path);
    egdi_model_free(m2);
    egdi_model_free(m);
}

/* A rule's parameters as `model show` and `explain` print them (one
 * function, egdi_node_params_text), from the built-in jiangsu tables. */
static void rule_parameters(void **state)
{
    (void)state;
    egdi_model *m = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, "jiangsu", NULL, &err), EGDI_OK);
    char buf[128];
    const egdi_node *n = &m->nodes[egdi_model_find(m, "CBII1")];
    assert_string_equal(egdi_node_params_text(n, buf, sizeof buf), "min=0 max=100");
    n = &m->nodes[egdi_model_find(m, "GIRI3")];
    assert_string_equal(egdi_node_params_text(n, buf, sizeof buf),
                        "steps=0:0;10:40;50:70;100:90;200:100");
    n = &m->nodes[egdi_model_find(m, "GIRI6")];
    const char *names[EGDI_NODE_NPARAMS];
    double values[EGDI_NODE_NPARAMS];
    assert_int_equal(egdi_node_params(n, names, values), 2);
    assert_string_equal(names[0], "scale_min");
    assert_true(values[0] == 1 && values[1] == 5);
    n = &m->nodes[egdi_model_find(m, "CBII")]; /* an inner node has no rule */
    assert_string_equal(egdi_node_params_text(n, buf, sizeof buf), "");
    /* cut, never overrun */
    n = &m->nodes[egdi_model_find(m, "GIRI3")];
    assert_string_equal(egdi_node_params_text(n, buf, 12), "steps=0:0");
    n = &m->nodes[egdi_model_find(m, "CBII1")];
    assert_string_equal(egdi_node_params_text(n, buf, 10), "min=0");
    egdi_model_free(m);
}

static void unknown_model(void **state)
{
    (void)state;
    egdi_model *m = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, "no-such-model", NULL, &err), EGDI_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "no model \"no-such-model\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_jiangsu),   cmocka_unit_test(builtin_un),
        cmocka_unit_test(weights_as_people_type_them),
        cmocka_unit_test(broken_tables),     cmocka_unit_test(canonical_round_trip),
        cmocka_unit_test(rule_parameters),
        cmocka_unit_test(unknown_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
