/*
 * Unit tests for the survey indicators (issue 15): indicators/survey_source.c
 * on a store built here, indicators/model_source.c (the catalogue columns),
 * the respondents of a round that rate a unit (engine/store/survey_store.c)
 * and the unit look-up of a survey import (engine/import/unitref.c).
 *
 * The survey "s" has two items I1, I2 and every respondent answers both the
 * same, so a respondent's scale score is that answer.  Units: region R with
 * departments D1, D2, D3.  Respondents (round 2024): D1 4, 5, 3, 4; D2 2, 3;
 * D3 1, 2, 3; R itself 5, 5, 4; one respondent rates no unit (1); one of D1
 * comes from an import of round 2023 (5, not counted).  Hand values (min_n 3):
 *   D1: n 4, mean 4, SD sqrt(2/3) (deviations 0, 1, -1, 0), SE sqrt(2/3)/2;
 *       top:4 share 3/4 = 75 %, SD 100 sqrt(.75 .25 4/3) = 50, SE 25;
 *   D2: n 2 < 3, no value;  D3: n 3, mean 2, SD 1, SE 1/sqrt(3);
 *   R itself: n 3, mean 14/3, SD sqrt(1/3), SE 1/3;
 *   R (share 0.5, mean): D = (4 + 2) / 2 = 3 (D2 has too few),
 *       SE_D = sqrt(SE_D1^2 + SE_D3^2) / 2 = sqrt(1/6 + 1/3) / 2, so
 *       SE_D^2 = 1/8; value 0.5 * 3 + 0.5 * 14/3 = 23/6,
 *       SE = sqrt(0.25 * 1/8 + 0.25 * 1/9); n = 4 + 3 + 3.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_fixture.h"
#include "store_fixture.h"
#include "engine/import/import_private.h"
#include "engine/store/batches.h"
#include "engine/store/observations.h"
#include "engine/store/survey_store.h"
#include "engine/store/survey_write.h"
#include "engine/store/units.h"
#include "indicators/score_store.h"
#include "indicators/survey_source.h"

static const char *const codes[3] = {"部门", "I1", "I2"};
static const bool is_item[3] = {false, true, true};
static const bool reversed[3] = {false, false, false};
static const char *const dims[3] = {NULL, "满意", "满意"};

static int64_t unit_ids[5]; /* R, D1, D2, D3, D4 */

static int64_t add_batch(egdi_store *s, const char *kind, const char *sha, int round,
                         int64_t survey)
{
    egdi_error err;
    int64_t id = 0;
    egdi_store_batch b = {kind, "f.csv", sha, NULL, round, survey};
    assert_int_equal(egdi_store_batch_add(s, &b, &id, &err), EGDI_OK);
    return id;
}

/* Units, one metric per unit (A1), A2 of D1 (a conflict) and of D2 (a
 * stand-in), the survey and its respondents. */
static int setup(void **state)
{
    if (store_setup(state))
        return -1;
    egdi_store *s = *state;
    egdi_error err;
    int64_t ub = add_batch(s, "units", "u", 0, 0);
    static const char *const uc[5] = {"R", "D1", "D2", "D3", "D4"};
    static const char *const un[5] = {"甲市", "甲市公安局", "甲市教育局", "甲市财政局", "乙局"};
    for (int i = 0; i < 5; i++) {
        egdi_store_unit u = {0, (char *)uc[i], (char *)un[i], i ? "department" : "region", -1,
                             NULL};
        assert_int_equal(egdi_store_unit_put(s, &u, ub, &unit_ids[i], &err), EGDI_OK);
        if (i && i < 4)
            assert_int_equal(egdi_store_unit_set_parent(s, unit_ids[i], "R", &err), EGDI_OK);
    }
    int64_t mb = add_batch(s, "metrics", "m", 2024, 0);
    for (int i = 0; i < 5; i++) {
        egdi_store_obs o = {2024, unit_ids[i], "A1", 50, "50", mb, NULL, (uint32_t)i + 2, 2};
        assert_int_equal(egdi_store_obs_put(s, &o, &err), EGDI_OK);
        /* the weight of weighted:W: D1 2, D3 1 */
        if (i == 1 || i == 3) {
            egdi_store_obs w = {2024, unit_ids[i], "W", i == 1 ? 2 : 1, "", mb, NULL, 9, 9};
            assert_int_equal(egdi_store_obs_put(s, &w, &err), EGDI_OK);
        }
    }
    egdi_store_obs c1 = {2024, unit_ids[1], "A2", 4.5, "4.5", mb, NULL, 3, 3};
    egdi_store_obs c2 = {2024, unit_ids[2], "A2", 2.2, "2.2", mb, NULL, 4, 3};
    assert_int_equal(egdi_store_obs_put(s, &c1, &err), EGDI_OK);
    assert_int_equal(egdi_store_obs_put(s, &c2, &err), EGDI_OK);
    egdi_store_survey_def d = {.name = "s", .round = 2024, .have_scale = true, .scale_min = 1,
                               .scale_max = 5, .u8 = true, .ncols = 3, .codes = codes,
                               .is_item = is_item, .reversed = reversed, .dimension = dims,
                               .unit_column = "部门"};
    int64_t sid = 0;
    assert_int_equal(egdi_store_survey_add(s, &d, &sid, &err), EGDI_OK);
    int64_t sb = add_batch(s, "survey", "s1", 2024, sid);
    static const struct {
        int unit; /* index into unit_ids, -1 = none */
        int answer;
    } rows[] = {{1, 4}, {1, 5}, {1, 3}, {1, 4}, {2, 2}, {2, 3}, {3, 1},
                {3, 2}, {3, 3}, {0, 5}, {0, 5}, {0, 4}, {-1, 1}};
    egdi_store_responses w;
    assert_int_equal(egdi_store_responses_begin(&w, s, sid, sb, &err), EGDI_OK);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        unsigned char a[2] = {(unsigned char)rows[i].answer, (unsigned char)rows[i].answer};
        assert_int_equal(egdi_store_responses_put_unit(&w, (uint32_t)i + 2, a, 2, NULL,
                                                       rows[i].unit < 0 ? 0
                                                                        : unit_ids[rows[i].unit],
                                                       &err),
                         EGDI_OK);
    }
    /* an import of round 2023 into the same survey: not round 2024's */
    int64_t old = add_batch(s, "survey", "s0", 2023, sid);
    assert_int_equal(egdi_store_responses_begin(&w, s, sid, old, &err), EGDI_OK);
    unsigned char a5[2] = {5, 5};
    assert_int_equal(egdi_store_responses_put_unit(&w, 2, a5, 2, NULL, unit_ids[1], &err),
                     EGDI_OK);
    return 0;
}

/* A model: A1 a metric, A2 from survey s (rule, statistic and gates as
 * given: the cells from source to conflict), region share 0.5. */
static egdi_model *bridge_model(const char *method, const char *a2)
{
    char text[4096];
    snprintf(text, sizeof text,
             TEST_SETTINGS "region_share,0.5\nregion_method,%s\nsurvey,s\n"
                           "[catalogue]\ncode,parent,name_zh,name_en,weight,unit,direction,"
                           "applies,rule,min,max,target,tolerance,steps,scale_min,scale_max,"
                           "source,scale,items,statistic,min_n,min_alpha,item_analysis,min_kmo,"
                           "gate,conflict\n"
                           "E,,e,e,,,,,,,,,,,,,,,,,,,,,,\n"
                           "A1,E,a,a,0.5,,,,goalpost,0,100,,,,,,,,,,,,,,,\n"
                           "A2,E,b,b,0.5,,,,%s\n"
                           "W,E,w,w,0,,,,value,,,,,,,,,,,,,,,,,\n" TEST_STAGES,
             method, a2);
    return test_model(text);
}

#define LIKERT_MEAN "likert,,,,,,1,5,survey,满意,,mean,3,none,none,,,"

/* Loads round 2024, computes and merges the survey indicators of m. */
static void compute(egdi_store *s, const egdi_model *m, egdi_round_input *in,
                    egdi_survey_results *r)
{
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_score_load_round(s, m, 2024, in, &err), EGDI_OK);
    egdi_status st = egdi_survey_compute(s, m, 2024, in, r, &err);
    if (st)
        print_error("%s\n", err.message);
    assert_int_equal(st, EGDI_OK);
    egdi_survey_merge(m, r, in);
}

/* The unit index of code in in. */
static size_t at(const egdi_round_input *in, const char *code)
{
    for (size_t u = 0; u < in->in.nunits; u++)
        if (strcmp(in->codes[u], code) == 0)
            return u;
    fail_msg("no unit %s", code);
    return 0;
}

static void rated_respondents_of_a_round(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_survey_data *d = NULL;
    assert_int_equal(egdi_survey_load_rated(s, "s", 2024, &d, &err), EGDI_OK);
    assert_int_equal(d->n, 12);       /* 13 of round 2024, one rates no unit */
    assert_int_equal(d->n_round, 13); /* the 2023 one is not of the round */
    assert_string_equal(d->unit_column, "部门");
    assert_int_equal(d->unit_id[0], unit_ids[1]);
    assert_int_equal(d->code[1][4], 2);
    assert_null(d->text[0]); /* attributes are not loaded */
    egdi_survey_data_free(d);
    assert_int_equal(egdi_survey_load_rated(s, "s", 2023, &d, &err), EGDI_OK);
    assert_int_equal(d->n, 1);
    egdi_survey_data_free(d);
    assert_int_equal(egdi_survey_load_rated(s, "none", 2024, &d, &err), EGDI_ERR_NOT_FOUND);
}

static void units_and_region(void **state)
{
    egdi_store *s = *state;
    egdi_model *m = bridge_model("mean", LIKERT_MEAN);
    egdi_round_input in;
    egdi_survey_results r;
    compute(s, m, &in, &r);
    assert_int_equal(r.n, 1);
    const egdi_survey_indicator *ind = &r.v[0];
    assert_string_equal(ind->items, "I1, I2");
    assert_null(ind->failed);
    assert_int_equal(ind->respondents, 12);
    const egdi_survey_value *d1 = &ind->unit[at(&in, "D1")];
    assert_int_equal(d1->n, 4);
    assert_int_equal(d1->state, EGDI_SURVEY_VALUE);
    assert_near(d1->value, 4, 1e-15);
    assert_near(d1->sd, sqrt(2.0 / 3), 1e-15);
    assert_near(d1->se, sqrt(2.0 / 3) / 2, 1e-15);
    const egdi_survey_value *d2 = &ind->unit[at(&in, "D2")];
    assert_int_equal(d2->n, 2);
    assert_int_equal(d2->state, EGDI_SURVEY_FEW);
    assert_true(isnan(d2->value));
    const egdi_survey_value *d3 = &ind->unit[at(&in, "D3")];
    assert_near(d3->value, 2, 1e-15);
    assert_near(d3->se, 1 / sqrt(3.0), 1e-15);
    /* R: 0.5 x mean(D1, D3) + 0.5 x its own (14/3, SE 1/3) */
    const egdi_survey_value *rv = &ind->unit[at(&in, "R")];
    double se_d = sqrt(2.0 / 12 + 1.0 / 3) / 2;
    assert_near(rv->dept_value, 3, 1e-15);
    assert_int_equal(rv->dept_units, 2);
    assert_int_equal(rv->own_n, 3);
    assert_near(rv->own_value, 14.0 / 3, 1e-15);
    assert_near(rv->value, 0.5 * 3 + 0.5 * 14.0 / 3, 1e-15);
    assert_near(rv->se, sqrt(0.25 * se_d * se_d + 0.25 / 9), 1e-15);
    assert_int_equal(rv->n, 4 + 3 + 3);
    /* the merge: D1 a conflict (the survey wins), D2 its metric, D4 none */
    size_t j = (size_t)egdi_model_find(m, "A2"), N = m->nnodes;
    assert_near(in.raw[at(&in, "D1") * N + j], 4, 1e-15);
    assert_near(d1->metric, 4.5, 0);
    assert_int_equal(d1->used, EGDI_USED_SURVEY);
    assert_near(in.raw[at(&in, "D2") * N + j], 2.2, 0);
    assert_int_equal(d2->used, EGDI_USED_METRIC);
    assert_true(isnan(in.raw[at(&in, "D4") * N + j]));
    egdi_survey_tally t;
    egdi_survey_tally_kind(m, &in, ind, EGDI_UNIT_DEPARTMENT, &t);
    assert_int_equal(t.units, 4);
    assert_int_equal(t.valued, 2);
    assert_int_equal(t.few, 1);
    assert_int_equal(t.conflicts, 1);
    assert_int_equal(t.metric_used, 1);
    assert_int_equal(t.respondents, 7);
    egdi_survey_results_release(&r);
    egdi_round_input_release(&in);
    egdi_model_free(m);
}

/* region_method weighted:W: D = (2 x 4 + 1 x 2) / 3, SE_D = sqrt(4 SE1^2 +
 * SE3^2) / 3. */
static void weighted_region(void **state)
{
    egdi_store *s = *state;
    egdi_model *m = bridge_model("weighted:W", LIKERT_MEAN);
    egdi_round_input in;
    egdi_survey_results r;
    compute(s, m, &in, &r);
    const egdi_survey_value *rv = &r.v[0].unit[at(&in, "R")];
    double se_d = sqrt(4 * (2.0 / 3) / 4 + 1.0 / 3) / 3;
    assert_near(rv->dept_value, 10.0 / 3, 1e-15);
    assert_near(rv->value, 0.5 * 10.0 / 3 + 0.5 * 14.0 / 3, 1e-15);
    assert_near(rv->se, sqrt(0.25 * se_d * se_d + 0.25 / 9), 1e-15);
    egdi_survey_results_release(&r);
    egdi_round_input_release(&in);
    egdi_model_free(m);
}

/* top:4 - D1: 3 of 4 score 4 or more. */
static void top_box(void **state)
{
    egdi_store *s = *state;
    egdi_model *m = bridge_model("mean", "goalpost,0,100,,,,,,survey,满意,,top:4,3,none,none,,,");
    egdi_round_input in;
    egdi_survey_results r;
    compute(s, m, &in, &r);
    const egdi_survey_value *d1 = &r.v[0].unit[at(&in, "D1")];
    assert_near(d1->value, 75, 1e-13);
    assert_near(d1->sd, 50, 1e-13);
    assert_near(d1->se, 25, 1e-13);
    assert_near(d1->mean, 4, 1e-15);
    assert_string_equal(r.v[0].statistic, "top:4");
    egdi_survey_results_release(&r);
    egdi_round_input_release(&in);
    egdi_model_free(m);
}

/* Gates: alpha of two identical items is 1; they pass the item analysis;
 * their correlation matrix is singular, so a KMO gate fails (no KMO);
 * refuse stops; a survey not stored; a scale it does not have; a likert
 * rule on another scale. */
static void gates_and_refusals(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_round_input in;
    egdi_survey_results r;
    egdi_model *m = bridge_model("mean", "likert,,,,,,1,5,survey,满意,,mean,3,0.7,none,,,");
    compute(s, m, &in, &r);
    assert_near(r.v[0].alpha, 1, 1e-12);
    assert_null(r.v[0].failed);
    egdi_survey_results_release(&r);
    egdi_round_input_release(&in);
    egdi_model_free(m);

    m = bridge_model("mean", "likert,,,,,,1,5,survey,满意,,mean,3,none,cr,0.5,,");
    compute(s, m, &in, &r);
    assert_non_null(r.v[0].failed);
    assert_non_null(strstr(r.v[0].failed, "KMO cannot be computed"));
    assert_false(isnan(r.v[0].cr_min)); /* the item analysis ran */
    assert_null(r.v[0].cr_failed);
    assert_int_equal(r.v[0].unit[at(&in, "D1")].state, EGDI_SURVEY_GATE);
    /* the gate leaves D1's metric */
    assert_near(in.raw[at(&in, "D1") * m->nnodes + (size_t)egdi_model_find(m, "A2")], 4.5, 0);
    egdi_survey_results_release(&r);
    egdi_round_input_release(&in);
    egdi_model_free(m);

    m = bridge_model("mean", "likert,,,,,,1,5,survey,满意,,mean,3,none,none,0.5,refuse,");
    assert_int_equal(egdi_score_load_round(s, m, 2024, &in, &err), EGDI_OK);
    assert_int_equal(egdi_survey_compute(s, m, 2024, &in, &r, &err), EGDI_ERR_VALUE);
    assert_non_null(strstr(err.message, "the model's gate is refuse"));
    egdi_round_input_release(&in);
    egdi_model_free(m);

    m = bridge_model("mean", "likert,,,,,,1,5,survey:nosuch,满意,,mean,3,none,none,,,");
    compute(s, m, &in, &r);
    assert_string_equal(r.v[0].note, "the store has no survey \"nosuch\"");
    assert_int_equal(r.v[0].unit[at(&in, "D1")].used, EGDI_USED_METRIC);
    egdi_survey_results_release(&r);
    egdi_round_input_release(&in);
    egdi_model_free(m);

    m = bridge_model("mean", "likert,,,,,,1,5,survey,其他,,mean,3,none,none,,,");
    assert_int_equal(egdi_score_load_round(s, m, 2024, &in, &err), EGDI_OK);
    assert_int_equal(egdi_survey_compute(s, m, 2024, &in, &r, &err), EGDI_ERR_ARG);
    assert_non_null(strstr(err.message, "has no scale \"其他\" (its scales: 满意)"));
    egdi_round_input_release(&in);
    egdi_model_free(m);

    m = bridge_model("mean", "likert,,,,,,1,7,survey,,I1-I2,mean,3,none,none,,,");
    assert_int_equal(egdi_score_load_round(s, m, 2024, &in, &err), EGDI_OK);
    assert_int_equal(egdi_survey_compute(s, m, 2024, &in, &r, &err), EGDI_ERR_ARG);
    assert_non_null(strstr(err.message, "rule likert scores the scale 1-7"));
    egdi_round_input_release(&in);
    egdi_model_free(m);
}

/* egdi_score_round stores the indicators with the run; they read back. */
static void stored_with_the_run(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    egdi_model *m = bridge_model("mean", LIKERT_MEAN);
    egdi_score_summary sum;
    assert_int_equal(egdi_score_round(s, m, 2024, "test", NULL, &sum, &err), EGDI_OK);
    egdi_round rd;
    assert_int_equal(egdi_score_load_run(s, 2024, "t", &rd, &err), EGDI_OK);
    egdi_survey_results r;
    assert_int_equal(egdi_survey_load_run(s, rd.run_id, rd.model, &rd.in, &r, &err), EGDI_OK);
    assert_int_equal(r.n, 1);
    const egdi_survey_value *d1 = &r.v[0].unit[at(&rd.in, "D1")];
    assert_near(d1->value, 4, 0);
    assert_near(d1->se, sqrt(2.0 / 3) / 2, 0);
    assert_near(d1->metric, 4.5, 0);
    assert_int_equal(d1->used, EGDI_USED_SURVEY);
    assert_string_equal(d1->batches, "3");
    assert_int_equal(r.v[0].unit[at(&rd.in, "D2")].state, EGDI_SURVEY_FEW);
    assert_int_equal(r.v[0].unit[at(&rd.in, "R")].dept_units, 2);
    assert_int_equal(r.v[0].unit[at(&rd.in, "D4")].state, EGDI_SURVEY_NONE);
    char line[1024];
    egdi_survey_indicator_text(rd.model, &rd.in, &r.v[0], false, line, sizeof line);
    assert_non_null(strstr(line, "2 of 4 departments scored from 3-4 respondents each (7 in all), "
                                 "1 with 2 respondents (fewer than 3) has no survey value"));
    egdi_survey_results_release(&r);
    egdi_round_release(&rd);
    egdi_model_free(m);
}

/* ---- the catalogue columns (model_source.c) ------------------------------------ */

static void model_columns(void **state)
{
    (void)state;
    egdi_model *m = bridge_model("mean", "likert,,,,,,1,5,survey,满意,,,,,,,,");
    const egdi_survey_source *src = m->nodes[egdi_model_find(m, "A2")].survey;
    assert_non_null(src);
    assert_null(src->survey); /* the setting's */
    assert_string_equal(egdi_source_survey(m, &m->nodes[egdi_model_find(m, "A2")]), "s");
    assert_int_equal(src->min_n, 30);
    assert_near(src->min_alpha, 0.70, 0);
    assert_true(src->item_analysis);
    assert_true(isnan(src->min_kmo));
    assert_int_equal(src->gate, EGDI_GATE_MISSING);
    assert_int_equal(src->conflict, EGDI_PREFER_SURVEY);
    assert_null(m->nodes[egdi_model_find(m, "A1")].survey);
    /* the canonical form reads back to the same model */
    char *text = NULL;
    size_t len = 0;
    egdi_error err;
    assert_int_equal(egdi_model_canonical(m, &text, &len, &err), EGDI_OK);
    assert_non_null(strstr(text, "survey,s\n"));
    assert_non_null(strstr(text, ",source,scale,items,statistic,min_n,min_alpha,item_analysis,"
                                 "min_kmo,gate,conflict\n"));
    egdi_model *back = NULL;
    assert_int_equal(egdi_model_load_mem(&back, text, len, "canonical", NULL, &err), EGDI_OK);
    assert_string_equal(back->hash, m->hash);
    egdi_model_free(back);
    free(text);
    egdi_model_free(m);
    /* a model without survey sources writes no such column */
    m = test_model(TEST_SETTINGS TEST_CAT_HEADER "E,,e,e,,,,,,,,,,,,\nA,E,a,a,1,,,,value,,,,,,,\n"
                                                 TEST_STAGES);
    assert_int_equal(egdi_model_canonical(m, &text, &len, &err), EGDI_OK);
    assert_null(strstr(text, "source"));
    assert_null(strstr(text, "survey"));
    free(text);
    egdi_model_free(m);
}

/* ---- the unit a cell names (unitref.c) ------------------------------------------- */

static void unit_by_code_or_name(void **state)
{
    egdi_store *s = *state;
    egdi_error err;
    import_unitref *u = NULL;
    int64_t ub = add_batch(s, "units", "u2", 0, 0), id = 0;
    egdi_store_unit twin = {0, "X", "甲市教育局", "department", -1, NULL};
    assert_int_equal(egdi_store_unit_put(s, &twin, ub, &id, &err), EGDI_OK);
    assert_int_equal(import_unitref_load(s, &u, &err), EGDI_OK);
    bool by_name;
    char why[512];
    assert_int_equal(import_unitref_find(u, "D3", &id, &by_name, why, sizeof why), EGDI_OK);
    assert_int_equal(id, unit_ids[3]);
    assert_false(by_name);
    assert_int_equal(import_unitref_find(u, "甲市财政局", &id, &by_name, why, sizeof why),
                     EGDI_OK);
    assert_int_equal(id, unit_ids[3]);
    assert_true(by_name);
    assert_int_equal(import_unitref_find(u, "甲市教育局", &id, &by_name, why, sizeof why),
                     EGDI_DONE);
    assert_string_equal(why, "2 stored units are named \"甲市教育局\" (D2, X); give the unit's code");
    for (int k = 0; k < 2; k++) { /* the second time from the memo */
        assert_int_equal(import_unitref_find(u, "甲市财政厅", &id, &by_name, why, sizeof why),
                         EGDI_DONE);
        assert_string_equal(why, "\"甲市财政厅\" is neither the code nor the name of a stored "
                                 "unit (import the units first); did you mean D3 (甲市财政局)?");
    }
    import_unitref_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rated_respondents_of_a_round, setup, store_teardown),
        cmocka_unit_test_setup_teardown(units_and_region, setup, store_teardown),
        cmocka_unit_test_setup_teardown(weighted_region, setup, store_teardown),
        cmocka_unit_test_setup_teardown(top_box, setup, store_teardown),
        cmocka_unit_test_setup_teardown(gates_and_refusals, setup, store_teardown),
        cmocka_unit_test_setup_teardown(stored_with_the_run, setup, store_teardown),
        cmocka_unit_test(model_columns),
        cmocka_unit_test_setup_teardown(unit_by_code_or_name, setup, store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
