/*
 * The un-egdi model on published values: the 2018 UN E-Government Survey
 * table (tests/data/un/egdi-2018.csv, 193 Member States; source in
 * tests/data/un/README.md).  From the published OSI, TII and HCI the
 * model must give the published EGDI to its 4 decimals and the published
 * rank (the UN ranks the rounded index: Serbia and Slovakia share 49,
 * Iraq and Angola share 155).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_fixture.h"
#include "indicators/ranking.h"
#include "indicators/table_input.h"
#include "engine/core/value.h"

#define FIXTURE "tests/data/un/egdi-2018.csv"

static egdi_reader *open_fixture(void)
{
    egdi_read_opts o;
    egdi_read_opts_init(&o);
    egdi_reader *r = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_reader_open(&r, FIXTURE, &o, &err), EGDI_OK);
    return r;
}

static void reproduces_published_egdi_and_rank(void **state)
{
    (void)state;
    egdi_model *m = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_model_load(&m, "un-egdi", NULL, &err), EGDI_OK);
    egdi_reader *r = open_fixture();
    egdi_round_input t;
    assert_int_equal(egdi_table_input_read(m, r, "country-code", "country-name", &t, &err),
                     EGDI_OK);
    egdi_reader_close(r);
    assert_int_equal(t.in.nunits, 193);
    assert_int_equal(m->rank_digits, EGDI_RANK_DIGITS_AUTO);
    assert_int_equal(t.decimals, 4); /* the 2018 table publishes 4 decimals */
    egdi_score_result *res = NULL;
    assert_int_equal(egdi_score_run(m, &t.in, &res, &err), EGDI_OK);
    long *rank = malloc(193 * sizeof *rank);
    assert_int_equal(
        egdi_ranking_competition(res->egdi, res->rankable, 193, t.decimals, rank, NULL, &err),
        EGDI_OK);

    /* the published columns, row by row in the same order */
    r = open_fixture();
    egdi_row row;
    assert_int_equal(egdi_reader_next(r, &row, &err), EGDI_OK); /* header */
    size_t i = 0, stage_count[4] = {0, 0, 0, 0};
    while (egdi_reader_next(r, &row, &err) == EGDI_OK) {
        double pub_rank, pub_egdi;
        const char *why;
        assert_int_equal(egdi_cell_number(&row.cells[2], false, &pub_rank, &why), EGDI_OK);
        assert_int_equal(egdi_cell_number(&row.cells[3], false, &pub_egdi, &why), EGDI_OK);
        assert_string_equal(t.codes[i], row.cells[0].text);
        if (fabs(egdi_ranking_round_digits(res->egdi[i], 4) - pub_egdi) > 1e-12 ||
            rank[i] != (long)pub_rank)
            fail_msg("%s: EGDI %.4f rank %ld, published %.4f rank %.0f", t.codes[i], res->egdi[i],
                     rank[i], pub_egdi, pub_rank);
        stage_count[res->stage[i]]++;
        i++;
    }
    egdi_reader_close(r);
    assert_int_equal(i, 193);
    /* 2018 groups: 40 Very High, 71 High, 66 Middle, 16 Low (UN 2018 Survey, ch. 1) */
    assert_int_equal(stage_count[3], 40);
    assert_int_equal(stage_count[2], 71);
    assert_int_equal(stage_count[1], 66);
    assert_int_equal(stage_count[0], 16);
    free(rank);
    egdi_score_result_free(res);
    egdi_round_input_release(&t);
    egdi_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reproduces_published_egdi_and_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
