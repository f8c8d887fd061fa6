/*
 * Unit tests for the survey dataset layer (surveys/dataset.c) and the
 * answer rule it shares with the import (engine/import/answers.c): a file
 * and the same file imported into a store give the same matrix; listwise
 * and pairwise deletion; reverse keys from --reverse, the scales table and
 * the store; answer labels; scales and scale scores; groups and pairs; the
 * location of every data error; the categories of grouping columns with
 * value labels, scores by sum, matrices of variables and every scale's
 * scores (issue 14).  Files are written to a temporary folder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/import/answers.h"
#include "engine/import/import.h"
#include "engine/store/store.h"
#include "surveys/dataset.h"
#include "surveys/reliability.h"

static char dir[64];

/* Writes text to dir/name; returns the path (static buffer per call slot). */
static const char *put(const char *name, const char *text)
{
    static char paths[8][128];
    static int slot;
    char *p = paths[slot++ % 8];
    snprintf(p, 128, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return p;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/egdi-dataset-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* A survey: id, gender (text), Q1-Q4 answers with a label, a percent, a
 * blank and a missing answer. */
static const char *SURVEY = "id,gender,Q1,Q2,Q3,Q4\n"
                            "1,男,5,4,4,2\n"
                            "2,女,4,4,5,1\n"
                            "3,女,3,3,3,3\n"
                            "4,男,2,1,2,5\n"
                            "5,女,同意,4,4,2\n"
                            "6,男,1,2,,4\n"
                            "7,女,2%,3, ,5\n";
static const char *LABELS = "value,label\n1,非常不同意\n2,不同意\n3,一般\n4,同意\n5,非常同意\n";

static egdi_dataset *open_file(const char *path, const egdi_dataset_opts *extra)
{
    egdi_dataset_opts o;
    if (extra)
        o = *extra;
    else
        egdi_dataset_opts_init(&o);
    o.data = path;
    egdi_dataset *ds = NULL;
    egdi_error e;
    egdi_error_clear(&e);
    egdi_status st = egdi_dataset_open(&o, &ds, &e);
    if (st != EGDI_OK)
        fail_msg("%s", e.message);
    return ds;
}

/* rows of a generated file: id, note (long in the first 200 rows when
 * long_first, else after them), Q1, Q2 (1..5) and Q3 (1..5, then 1000 at
 * row widen: a double column from there) */
static char *rows_file(size_t n, bool long_first, size_t widen)
{
    size_t cap = n * 340 + 64, k = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    k += (size_t)snprintf(t + k, cap - k, "id,note,Q1,Q2,Q3\n");
    char note[301];
    memset(note, 'n', 300);
    note[300] = '\0';
    for (size_t i = 0; i < n; i++) {
        bool lng = (i < 200) == long_first;
        k += (size_t)snprintf(t + k, cap - k, "%zu,%s,%zu,%zu,%zu\n", i, lng ? note : "x",
                              i % 5 + 1, i * 7 % 5 + 1, i == widen ? (size_t)1000 : i % 3 + 1);
    }
    return t;
}

/* The columns are sized for the rows the file's bytes foretell
 * (egdi_reader_position): a file whose first rows are long foretells too
 * few (the columns grow again), one whose first rows are short too many
 * (the columns are cut to size after the last row); either way every
 * answer is where it was, and a byte column turned to doubles part way
 * keeps the answers before. */
static void rows_foretold_both_ways(void **state)
{
    (void)state;
    const struct {
        size_t n;
        bool long_first;
        size_t widen;
    } cases[] = {{100000, true, 70000}, {20000, false, 15000}, {3000, true, 2999}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        char *t = rows_file(cases[c].n, cases[c].long_first, cases[c].widen);
        egdi_dataset *ds = open_file(put("rows.csv", t), NULL);
        free(t);
        assert_int_equal(ds->nrows, cases[c].n);
        assert_int_equal(ds->ncols, 5);
        assert_non_null(ds->col[2].code);
        assert_null(ds->col[4].code); /* Q3: doubles from its 1000 */
        size_t at[] = {0, 63, 64, 65, 199, 200, 1000, 2998, cases[c].n / 2, cases[c].n - 1};
        for (size_t k = 0; k < sizeof at / sizeof *at; k++) {
            size_t i = at[k];
            assert_true(egdi_dataset_at(ds, 0, i) == (double)i);
            assert_true(egdi_dataset_at(ds, 2, i) == (double)(i % 5 + 1));
            assert_true(egdi_dataset_at(ds, 3, i) == (double)(i * 7 % 5 + 1));
            assert_true(egdi_dataset_at(ds, 4, i) ==
                        (i == cases[c].widen ? 1000.0 : (double)(i % 3 + 1)));
        }
        egdi_dataset_free(ds);
    }
    /* 1,000 columns: a block of 4 MiB at 4,096 rows, grown in place (its
     * columns moved up, the last first) */
    size_t nc = 1000, nr = 4400, cap = nc * (2 * nr + 8), k = 0;
    char *t = malloc(cap);
    assert_non_null(t);
    for (size_t i = 0; i <= nr; i++)
        for (size_t j = 0; j < nc; j++)
            k += (size_t)(i == 0 ? snprintf(t + k, cap - k, "C%zu%c", j, j + 1 < nc ? ',' : '\n')
                                 : snprintf(t + k, cap - k, "%zu%c", (i + j) % 7,
                                            j + 1 < nc ? ',' : '\n'));
    egdi_dataset *ds = open_file(put("wide.csv", t), NULL);
    free(t);
    assert_int_equal(ds->nrows, nr);
    assert_int_equal(ds->ncols, nc);
    for (size_t j = 0; j < nc; j += 37)
        for (size_t i = 0; i < nr; i += 97)
            assert_true(egdi_dataset_at(ds, j, i) == (double)((i + 1 + j) % 7));
    assert_true(egdi_dataset_at(ds, nc - 1, nr - 1) == (double)((nr + nc - 1) % 7));
    egdi_dataset_free(ds);
}

static void file_and_store_give_the_same_matrix(void **state)
{
    (void)state;
    const char *path = put("s.csv", SURVEY), *labels = put("labels.csv", LABELS);
    /* the file, with the labels and the scale */
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    o.labels = labels;
    o.items = "Q1-Q4";
    o.reverse = "Q4";
    o.have_scale = true;
    o.scale_min = 1;
    o.scale_max = 5;
    egdi_dataset *f = open_file(path, &o);
    /* the same file imported, then loaded from the store */
    egdi_store *s;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_store_open(&s, ":memory:", EGDI_STORE_CREATE, &e), EGDI_OK);
    egdi_import_opts io;
    egdi_import_opts_init(&io);
    io.survey = "s";
    io.labels = labels;
    io.items = "Q1-Q4";
    io.reverse = "Q4";
    io.have_scale = true;
    io.scale_min = 1;
    io.scale_max = 5;
    egdi_import_result res;
    assert_int_equal(egdi_import_survey(s, path, &io, &res, &e), EGDI_OK);
    egdi_import_result_release(&res);
    egdi_dataset *d;
    assert_int_equal(egdi_dataset_load_store(s, "s", NULL, &d, &e), EGDI_OK);
    assert_int_equal(egdi_dataset_define(d, NULL, &e), EGDI_OK);
    egdi_store_close(s);
    assert_string_equal(d->source, "survey s");
    assert_true(d->have_scale);
    assert_int_equal(d->labels.nlabels, 5);
    assert_int_equal(d->nitems, 4);
    assert_int_equal(f->nitems, 4);
    for (int del = 0; del < 2; del++) {
        egdi_item_matrix a, b;
        egdi_deletion how = del ? EGDI_PAIRWISE : EGDI_LISTWISE;
        assert_int_equal(egdi_dataset_matrix(f, f->item, f->nitems, how, &a, &e), EGDI_OK);
        assert_int_equal(egdi_dataset_matrix(d, d->item, d->nitems, how, &b, &e), EGDI_OK);
        assert_int_equal(a.n, b.n);
        assert_int_equal(a.p, b.p);
        assert_int_equal(a.n_read, 7);
        for (size_t i = 0; i < a.n; i++)
            assert_int_equal(a.rows[i], b.rows[i]);
        for (size_t k = 0; k < a.n * a.p; k++)
            assert_true((isnan(a.x[k]) && isnan(b.x[k])) || a.x[k] == b.x[k]);
        for (size_t j = 0; j < a.p; j++) {
            assert_string_equal(a.names[j], b.names[j]);
            assert_int_equal(a.reversed[j], b.reversed[j]);
        }
        egdi_dataset_matrix_release(&a);
        egdi_dataset_matrix_release(&b);
    }
    egdi_dataset_free(f);
    egdi_dataset_free(d);
}

static void listwise_and_pairwise(void **state)
{
    (void)state;
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    o.labels = "1=非常不同意,4=同意";
    o.items = "Q1-Q4";
    egdi_dataset *ds = open_file(put("lw.csv", SURVEY), &o);
    egdi_error e;
    egdi_item_matrix m;
    /* rows 6 and 7 (file rows 7 and 8) miss Q3 (empty, blank) */
    assert_int_equal(egdi_dataset_matrix(ds, ds->item, 4, EGDI_LISTWISE, &m, &e), EGDI_OK);
    assert_int_equal(m.n, 5);
    assert_int_equal(m.rows[4], 6); /* respondent 5 is file row 6 */
    assert_int_equal(m.x[4], 4);    /* its Q1 "同意" */
    egdi_dataset_matrix_release(&m);
    assert_int_equal(egdi_dataset_complete(ds, ds->item, 4), 5);
    /* complete on Q1, Q2 only: every row; 2% is 2 points */
    size_t q12[2] = {ds->item[0], ds->item[1]};
    assert_int_equal(egdi_dataset_matrix(ds, q12, 2, EGDI_LISTWISE, &m, &e), EGDI_OK);
    assert_int_equal(m.n, 7);
    assert_int_equal(m.x[6], 2);
    egdi_dataset_matrix_release(&m);
    assert_int_equal(egdi_dataset_matrix(ds, ds->item, 4, EGDI_PAIRWISE, &m, &e), EGDI_OK);
    assert_int_equal(m.n, 7);
    assert_true(isnan(m.x[2 * 7 + 5]) && isnan(m.x[2 * 7 + 6]));
    egdi_dataset_matrix_release(&m);
    egdi_dataset_free(ds);
}

static void reverse_keys(void **state)
{
    (void)state;
    const char *path = put("rev.csv", "A1,A2,A3\n1,2,3\n2,3,4\n5,4,1\n");
    const char *scales = put("rev_scales.csv", "scale,item,reversed\nS,A1,0\nS,A2,是\nS,A3,0\n");
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    o.reverse = "A3";
    o.scales = scales;
    o.have_scale = true;
    o.scale_min = 1;
    o.scale_max = 5;
    egdi_dataset *ds = open_file(path, &o);
    assert_int_equal(ds->nitems, 3); /* the items of --scales */
    assert_false(ds->col[0].reversed);
    assert_true(ds->col[1].reversed); /* the scales table's */
    assert_true(ds->col[2].reversed); /* --reverse */
    egdi_item_matrix m;
    egdi_error e;
    assert_int_equal(egdi_dataset_matrix(ds, ds->item, 3, EGDI_LISTWISE, &m, &e), EGDI_OK);
    double want[9] = {1, 2, 5, 4, 3, 2, 3, 2, 5}; /* MIN + MAX - x = 6 - x */
    for (int k = 0; k < 9; k++)
        assert_true(m.x[k] == want[k]);
    egdi_dataset_matrix_release(&m);
    /* the scale score: mean of the keyed items */
    double *y;
    assert_int_equal(egdi_dataset_variable(ds, "S", &y, &e), EGDI_OK);
    assert_true(y[0] == (1.0 + 4 + 3) / 3 && y[2] == (5.0 + 2 + 5) / 3);
    free(y);
    egdi_dataset_free(ds);
    /* reverse keys without a scale are refused */
    egdi_dataset_opts_init(&o);
    o.data = path;
    o.reverse = "A1";
    egdi_error_clear(&e);
    assert_int_equal(egdi_dataset_open(&o, &ds, &e), EGDI_ERR_ARG);
    assert_null(ds);
    assert_non_null(strstr(e.message, "--scale"));
    /* and a reverse key must be an item */
    o.reverse = "A3";
    o.items = "A1-A2";
    o.have_scale = true;
    o.scale_min = 1;
    o.scale_max = 5;
    assert_int_equal(egdi_dataset_open(&o, &ds, &e), EGDI_ERR_ARG);
    assert_non_null(strstr(e.message, "A3"));
}

static void labels_and_the_answer_rule(void **state)
{
    (void)state;
    egdi_labels l;
    egdi_error e;
    assert_int_equal(egdi_answer_labels_parse("1=no，5=yes, 3 = maybe ", &l, &e), EGDI_OK);
    assert_int_equal(l.nlabels, 3);
    double v = 0;
    const char *why;
    egdi_cell c = {EGDI_CELL_TEXT, false, 0, " yes ", 5};
    assert_int_equal(egdi_answer_value(&c, &l, &v, &why), EGDI_OK);
    assert_true(v == 5);
    assert_string_equal(egdi_answer_labels_text(&l, 3), "maybe");
    c = (egdi_cell){EGDI_CELL_TEXT, false, 0, "5%", 2};
    assert_int_equal(egdi_answer_value(&c, &l, &v, &why), EGDI_OK);
    assert_true(v == 5); /* percent in points, as the import */
    c = (egdi_cell){EGDI_CELL_NUMBER, true, 0.05, "0.05", 4};
    assert_int_equal(egdi_answer_value(&c, NULL, &v, &why), EGDI_OK);
    assert_true(fabs(v - 5) < 1e-12); /* a cell shown as 5 % */
    c = (egdi_cell){EGDI_CELL_TEXT, false, 0, "\xE3\x80\x80", 3};
    assert_int_equal(egdi_answer_value(&c, &l, &v, &why), EGDI_DONE);
    c = (egdi_cell){EGDI_CELL_DATE, false, 45000, "2023-03-15", 10};
    assert_int_equal(egdi_answer_value(&c, &l, &v, &why), EGDI_ERR_VALUE);
    c = (egdi_cell){EGDI_CELL_TEXT, false, 0, "perhaps", 7};
    assert_int_equal(egdi_answer_value(&c, &l, &v, &why), EGDI_ERR_VALUE);
    assert_string_equal(why, "neither a number nor one of the answer labels");
    egdi_answer_labels_release(&l);
    assert_int_equal(egdi_answer_labels_parse("one=no", &l, &e), EGDI_ERR_ARG);
    assert_int_equal(egdi_answer_labels_parse("1=no,1=yes", &l, &e), EGDI_ERR_VALUE);
    assert_int_equal(egdi_answer_labels_load(put("badlab.csv", "value,label\n1,a\nx,b\n"), NULL,
                                             &l, &e),
                     EGDI_ERR_VALUE);
    assert_int_equal(e.row, 3);
    assert_int_equal(e.col, 1);

    /* an unknown text answer in a file: file, row, column and value */
    const char *path = put("unk.csv", "Q1,Q2\n1,2\n非常同意,3\n很同意,4\n");
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    o.labels = put("lab.csv", LABELS);
    egdi_dataset *ds = open_file(path, &o);
    assert_int_equal(ds->nitems, 1); /* Q1 holds a text that is no label */
    assert_true(egdi_dataset_at(ds, 0, 1) == 5);
    size_t q1 = 0;
    egdi_item_matrix m;
    egdi_error_clear(&e);
    assert_int_equal(egdi_dataset_matrix(ds, &q1, 1, EGDI_LISTWISE, &m, &e), EGDI_ERR_VALUE);
    assert_string_equal(e.file, path);
    assert_int_equal(e.row, 4);
    assert_int_equal(e.col, 1);
    assert_non_null(strstr(e.message, "\"很同意\""));
    egdi_dataset_free(ds);
}

static void scale_and_error_locations(void **state)
{
    (void)state;
    const char *path = put("loc.csv", "\n A1 ,A2,A3\n1,2,3\n2,7,4\n3,3,300\n");
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    egdi_dataset *ds = open_file(path, &o);
    assert_string_equal(ds->col[0].name, "A1"); /* header trimmed, blank row skipped */
    assert_int_equal(ds->row[0], 3);
    assert_non_null(ds->col[0].code);          /* small answers: bytes */
    assert_null(ds->col[2].code);              /* 300: doubles */
    assert_true(egdi_dataset_at(ds, 2, 2) == 300);
    egdi_dataset_free(ds);
    o.have_scale = true;
    o.scale_min = 1;
    o.scale_max = 5;
    ds = open_file(path, &o);
    egdi_item_matrix m;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_dataset_matrix(ds, ds->item, ds->nitems, EGDI_LISTWISE, &m, &e),
                     EGDI_ERR_VALUE);
    assert_int_equal(e.row, 4);
    assert_int_equal(e.col, 2);
    assert_non_null(strstr(e.message, "outside the scale 1-5"));
    /* unknown items, a scale item outside --items */
    egdi_dataset_free(ds);
    egdi_dataset_opts_init(&o);
    o.data = path;
    o.items = "A1-A9";
    assert_int_equal(egdi_dataset_open(&o, &ds, &e), EGDI_ERR_ARG);
    o.items = "A1-A2";
    o.scales = put("loc_scales.csv", "S,A1,0\nS,A3,0\n"); /* no heading: scale, item, reversed */
    assert_int_equal(egdi_dataset_open(&o, &ds, &e), EGDI_OK);
    assert_int_equal(ds->nscales, 1);
    assert_int_equal(ds->scale[0].n, 2);
    assert_int_equal(egdi_dataset_check_scales(ds, &e), EGDI_ERR_ARG);
    assert_non_null(strstr(e.message, "A3"));
    egdi_dataset_free(ds);
}

/* egdi_alpha_scales: each scale listwise on its own items, the same alpha
 * as egdi_alpha_dataset on those columns; a one-item scale has none.  The
 * expected alphas are k/(k-1) (1 - sum of item variances / variance of the
 * total) on the answers written out here. */
static void alpha_per_scale(void **state)
{
    (void)state;
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    o.labels = "4=同意";
    o.items = "Q1-Q4";
    o.scales = put("ap_scales.csv", "scale,item,reversed\nA,Q1,0\nA,Q2,0\nB,Q2,0\nB,Q3,0\n"
                                    "C,Q4,0\n");
    egdi_dataset *ds = open_file(put("ap.csv", SURVEY), &o);
    assert_int_equal(ds->nscales, 3);
    egdi_alpha a[3];
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_alpha_scales(ds, EGDI_LISTWISE, a, &e), EGDI_OK);
    /* A: Q1 = 5,4,3,2,4,1,2 and Q2 = 4,4,3,1,4,2,3, every row */
    assert_int_equal(a[0].n, 7);
    assert_float_equal(a[0].alpha, 0.8888888888888891, 1e-14);
    /* B: Q3 is missing on rows 6 and 7: Q2 = 4,4,3,1,4 and Q3 = 4,5,3,2,4 */
    assert_int_equal(a[1].n, 5);
    assert_float_equal(a[1].alpha, 0.9473684210526316, 1e-14);
    egdi_alpha b;
    assert_int_equal(egdi_alpha_dataset(ds, ds->scale[1].col, 2, EGDI_LISTWISE, &b, &e), EGDI_OK);
    assert_true(b.alpha == a[1].alpha && b.n == a[1].n);
    egdi_alpha_release(&b);
    /* C: one item, no alpha */
    assert_int_equal(a[2].p, 0);
    for (size_t k = 0; k < 3; k++)
        egdi_alpha_release(&a[k]);
    egdi_dataset_free(ds);
}

static void groups_and_pairs(void **state)
{
    (void)state;
    const char *path = put("grp.csv", "id,g,t,y\n1,10,pre,1\n2,9,pre,2\n1,10,post,4\n"
                                      "2,b,post,5\n3,9,post,6\n3,9,pre,\n");
    const char *keep[3] = {"g", "t", "id"};
    egdi_dataset *ds;
    egdi_error e;
    assert_int_equal(egdi_dataset_load_file(path, NULL, NULL, keep, 3, &ds, &e), EGDI_OK);
    assert_int_equal(egdi_dataset_define(ds, NULL, &e), EGDI_OK);
    double *y;
    assert_int_equal(egdi_dataset_variable(ds, "y", &y, &e), EGDI_OK);
    size_t g, t, id;
    assert_int_equal(egdi_dataset_find(ds, "g", &g, &e), EGDI_OK);
    assert_int_equal(egdi_dataset_find(ds, "t", &t, &e), EGDI_OK);
    assert_int_equal(egdi_dataset_find(ds, "id", &id, &e), EGDI_OK);
    assert_int_equal(egdi_dataset_find(ds, "nope", &id, &e), EGDI_ERR_ARG);
    assert_string_equal(egdi_dataset_text(ds, g, 0), "10"); /* text kept as written */
    egdi_groups gr;
    assert_int_equal(egdi_dataset_groups(ds, g, y, NULL, 0, &gr, &e), EGDI_OK);
    assert_int_equal(gr.k, 3); /* 10, 9, b: not all numbers, so byte order */
    assert_string_equal(gr.label[0], "10");
    assert_string_equal(gr.label[1], "9");
    assert_string_equal(gr.label[2], "b");
    assert_int_equal(gr.n_used, 5); /* the row without y is left out */
    egdi_dataset_groups_release(&gr);
    const char *lv[2] = {"9", "10"};
    assert_int_equal(egdi_dataset_groups(ds, g, y, lv, 2, &gr, &e), EGDI_OK);
    assert_int_equal(gr.n[0], 2);
    assert_int_equal(gr.n[1], 2);
    egdi_dataset_groups_release(&gr);
    double *a, *b;
    size_t n;
    assert_int_equal(egdi_dataset_pairs(ds, t, id, y, "post", "pre", &a, &b, &n, &e), EGDI_OK);
    assert_int_equal(n, 2); /* ids 1 and 2; 3 has no pre value */
    assert_true(a[0] == 4 && b[0] == 1 && a[1] == 5 && b[1] == 2);
    free(a);
    free(b);
    free(y);
    egdi_dataset_free(ds);
}

static void numeric_group_order(void **state)
{
    (void)state;
    const char *keep[1] = {"g"};
    egdi_dataset *ds;
    egdi_error e;
    assert_int_equal(egdi_dataset_load_file(put("num.csv", "g,y\n10,1\n9,2\n10,3\n2,4\n"), NULL,
                                            NULL, keep, 1, &ds, &e),
                     EGDI_OK);
    double y[4] = {1, 2, 3, 4};
    egdi_groups gr;
    assert_int_equal(egdi_dataset_groups(ds, 0, y, NULL, 0, &gr, &e), EGDI_OK);
    assert_int_equal(gr.k, 3);
    assert_string_equal(gr.label[0], "2");
    assert_string_equal(gr.label[2], "10");
    egdi_dataset_groups_release(&gr);
    egdi_dataset_free(ds);
}

static void empty_and_bad_files(void **state)
{
    (void)state;
    egdi_dataset *ds = NULL;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_dataset_load_file(put("empty.csv", ""), NULL, NULL, NULL, 0, &ds, &e),
                     EGDI_ERR_FORMAT);
    assert_null(ds);
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    assert_int_equal(egdi_dataset_open(&o, &ds, &e), EGDI_ERR_ARG); /* no data */
    o.data = "x.csv";
    o.survey = "s";
    assert_int_equal(egdi_dataset_open(&o, &ds, &e), EGDI_ERR_ARG); /* both */
    /* no column of numbers */
    o.survey = NULL;
    o.data = put("text.csv", "a,b\nx,y\n");
    assert_int_equal(egdi_dataset_open(&o, &ds, &e), EGDI_ERR_FORMAT);
    assert_null(ds);
}


/* ---- relations between variables (issue 14) ---------------------------------- */

/* A grouping column's categories: text as written (spaces around dropped),
 * codes in order with their value labels, a text equal to a value label is
 * its code. */
static void categories_and_value_labels(void **state)
{
    (void)state;
    const char *path = put("cat.csv", "g,sex,dept,y\n"
                                      "b,男,2,1\n"
                                      "a, 女 ,1,2\n"
                                      "b,1,2,3\n"
                                      ",女,,4\n"
                                      "a,2,1,5\n");
    const char *keep[] = {"g", "sex", "dept"};
    egdi_dataset *ds;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_dataset_load_file(path, NULL, NULL, keep, 3, &ds, &e), EGDI_OK);
    assert_int_equal(egdi_dataset_define(ds, NULL, &e), EGDI_OK);
    egdi_categories c;
    /* text: byte order, a blank cell missing */
    assert_int_equal(egdi_dataset_categories(ds, 0, &c, &e), EGDI_OK);
    assert_int_equal(c.k, 2);
    assert_string_equal(c.label[0], "a");
    assert_true(isnan(c.code[0]));
    assert_int_equal(c.count[0], 2);
    assert_int_equal(c.missing, 1);
    assert_true(c.of[3] == EGDI_NO_CATEGORY && c.of[0] == 1);
    egdi_categories_release(&c);
    assert_true(egdi_dataset_is_text(ds, 0));
    assert_false(egdi_dataset_is_text(ds, 2));
    /* sex without labels: 男, 女 (trimmed) and the codes 1, 2 as written; not
     * all coded, so byte order of the labels: "1" "2" "女" "男" */
    assert_int_equal(egdi_dataset_categories(ds, 1, &c, &e), EGDI_OK);
    assert_int_equal(c.k, 4);
    assert_string_equal(c.label[2], "女");
    assert_int_equal(c.count[2], 2);
    egdi_categories_release(&c);
    /* with the value labels 1=男, 2=女 the texts are the codes: two
     * categories in code order, labelled */
    assert_int_equal(egdi_dataset_value_labels(ds, "sex", "1=男,2=女", NULL, &e), EGDI_OK);
    assert_true(egdi_dataset_value_labels(ds, "nope", "1=a", NULL, &e) == EGDI_ERR_ARG);
    assert_false(egdi_dataset_is_text(ds, 1));
    assert_int_equal(egdi_dataset_categories(ds, 1, &c, &e), EGDI_OK);
    assert_int_equal(c.k, 2);
    assert_string_equal(c.label[0], "男");
    assert_true(c.code[0] == 1 && c.code[1] == 2);
    assert_int_equal(c.count[0], 2);
    assert_int_equal(c.count[1], 3);
    egdi_categories_release(&c);
    /* a coded column: codes in order, labelled when labels are given */
    assert_int_equal(egdi_dataset_value_labels(ds, "dept", "1=发改委,2=教育局", NULL, &e), EGDI_OK);
    assert_int_equal(egdi_dataset_categories(ds, 2, &c, &e), EGDI_OK);
    assert_int_equal(c.k, 2);
    assert_string_equal(c.label[0], "发改委");
    assert_int_equal(c.missing, 1);
    egdi_categories_release(&c);
    /* groups follow the categories; a level may be named by its label or code */
    double y[5] = {1, 2, 3, 4, 5};
    egdi_groups g;
    assert_int_equal(egdi_dataset_groups(ds, 1, y, NULL, 0, &g, &e), EGDI_OK);
    assert_int_equal(g.k, 2);
    assert_string_equal(g.label[0], "男");
    assert_true(g.x[0][0] == 1 && g.x[0][1] == 3);
    egdi_dataset_groups_release(&g);
    const char *lv[] = {"2", "男"};
    assert_int_equal(egdi_dataset_groups(ds, 1, y, lv, 2, &g, &e), EGDI_OK);
    assert_int_equal(g.n[0], 3);
    assert_int_equal(g.n[1], 2);
    egdi_dataset_groups_release(&g);
    egdi_dataset_free(ds);
}

/* A coded demographic column imported as an item (gender 1/2 within the
 * scale) has no text in the store: it still groups, by its codes. */
static void stored_coded_column_groups(void **state)
{
    (void)state;
    const char *path = put("coded.csv", "id,gender,Q1,Q2\n1,1,4,5\n2,2,3,3\n3,1,5,4\n4,2,2,2\n");
    egdi_store *s;
    egdi_error e;
    egdi_error_clear(&e);
    assert_int_equal(egdi_store_open(&s, ":memory:", EGDI_STORE_CREATE, &e), EGDI_OK);
    egdi_import_opts io;
    egdi_import_opts_init(&io);
    io.survey = "c";
    io.have_scale = true;
    io.scale_min = 1;
    io.scale_max = 5;
    egdi_import_result res;
    assert_int_equal(egdi_import_survey(s, path, &io, &res, &e), EGDI_OK);
    egdi_import_result_release(&res);
    egdi_dataset *ds;
    assert_int_equal(egdi_dataset_load_store(s, "c", NULL, &ds, &e), EGDI_OK);
    assert_int_equal(egdi_dataset_define(ds, NULL, &e), EGDI_OK);
    egdi_store_close(s);
    size_t gc;
    assert_int_equal(egdi_dataset_find(ds, "gender", &gc, &e), EGDI_OK);
    assert_true(ds->col[gc].stored_item); /* imported as an item: no text */
    double *y;
    assert_int_equal(egdi_dataset_variable(ds, "Q1", &y, &e), EGDI_OK);
    egdi_groups g;
    assert_int_equal(egdi_dataset_groups(ds, gc, y, NULL, 0, &g, &e), EGDI_OK);
    assert_int_equal(g.k, 2);
    assert_string_equal(g.label[0], "1");
    assert_string_equal(g.label[1], "2");
    assert_true(g.x[0][0] == 4 && g.x[0][1] == 5);
    egdi_dataset_groups_release(&g);
    free(y);
    egdi_dataset_free(ds);
}

/* --score sum, matrices of variables, the scores of every scale. */
static void scores_and_variables(void **state)
{
    (void)state;
    const char *path = put("sc.csv", "id,Q1,Q2,Q3,Q4\n7,1,2,3,4\n8,5,,1,2\n9,3,3,3,3\n");
    const char *scales = put("sc_scales.csv", "scale,item,reversed\nA,Q1,0\nA,Q2,1\nB,Q3,0\nB,Q4,0\n");
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    o.scales = scales;
    o.have_scale = true;
    o.scale_min = 1;
    o.scale_max = 5;
    o.score = EGDI_SCORE_SUM;
    egdi_dataset *ds = open_file(path, &o);
    egdi_error e;
    egdi_error_clear(&e);
    double *y;
    assert_int_equal(egdi_dataset_variable(ds, "A", &y, &e), EGDI_OK);
    assert_true(y[0] == 1 + 4 && isnan(y[1]) && y[2] == 6); /* Q2 reversed: 6 - x */
    free(y);
    assert_int_equal(egdi_dataset_scale_find(ds, "B"), 1);
    assert_int_equal(egdi_dataset_scale_find(ds, "Q1"), -1);
    double *x;
    assert_int_equal(egdi_dataset_scores(ds, &x, &e), EGDI_OK);
    assert_true(x[0] == 5 && x[3] == 7 && x[4] == 3 && x[5] == 6);
    free(x);
    const char *names[] = {"B", "Q1", "A"};
    egdi_item_matrix m;
    assert_int_equal(egdi_dataset_variables(ds, names, 3, EGDI_LISTWISE, &m, &e), EGDI_OK);
    assert_int_equal(m.n, 2); /* row 2 has no A */
    assert_int_equal(m.p, 3);
    assert_string_equal(m.names[0], "B");
    assert_true(m.rows[1] == 4 && m.x[0] == 7 && m.x[2] == 1 && m.x[5] == 6);
    egdi_dataset_matrix_release(&m);
    assert_int_equal(egdi_dataset_variables(ds, names, 3, EGDI_PAIRWISE, &m, &e), EGDI_OK);
    assert_int_equal(m.n, 3);
    assert_true(isnan(m.x[2 * 3 + 1]));
    egdi_dataset_matrix_release(&m);
    const char *twice[] = {"A", "A"};
    assert_int_equal(egdi_dataset_variables(ds, twice, 2, EGDI_LISTWISE, &m, &e), EGDI_ERR_ARG);
    char buf[32];
    size_t id;
    assert_int_equal(egdi_dataset_find(ds, "id", &id, &e), EGDI_OK);
    assert_string_equal(egdi_dataset_cell_text(ds, id, 1, buf), "8");
    egdi_dataset_free(ds);
    /* no scales: nothing to score */
    ds = open_file(path, NULL);
    assert_int_equal(egdi_dataset_scores(ds, &x, &e), EGDI_ERR_ARG);
    egdi_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_and_store_give_the_same_matrix),
        cmocka_unit_test(rows_foretold_both_ways),
        cmocka_unit_test(listwise_and_pairwise),
        cmocka_unit_test(reverse_keys),
        cmocka_unit_test(labels_and_the_answer_rule),
        cmocka_unit_test(scale_and_error_locations),
        cmocka_unit_test(alpha_per_scale),
        cmocka_unit_test(groups_and_pairs),
        cmocka_unit_test(numeric_group_order),
        cmocka_unit_test(empty_and_bad_files),
        cmocka_unit_test(categories_and_value_labels),
        cmocka_unit_test(stored_coded_column_groups),
        cmocka_unit_test(scores_and_variables),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
