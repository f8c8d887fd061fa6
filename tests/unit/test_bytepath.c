/*
 * Unit tests for the byte path of issue 20: the statistics read Likert
 * answers (whole numbers 0..254) as the dataset's own bytes, and each must
 * give the very bits the path of doubles gives on the same data:
 *   - a byte matrix (egdi_dataset_matrix_small) holds the numbers of the
 *     matrix of doubles, reverse keys and listwise rows included;
 *   - the cross-product pass, covariances, alpha, the correlations and the
 *     item analysis of a byte matrix equal those of its doubles (memcmp);
 *   - describe: egdi_desc_bytes = egdi_desc_compute and the counting
 *     frequency tables (bytes; doubles by hashing) = the sorted table;
 *   - a column with another number falls back to doubles.
 * No reference numbers: each path is checked against the other; the
 * numbers themselves are checked against R in test_descriptive.c,
 * test_reliability.c, test_crossprod.c and test_factor.c.  The data are
 * written to a temporary folder from a fixed-seed generator.
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

#include "surveys/crossprod.h"
#include "surveys/dataset.h"
#include "surveys/descriptive.h"
#include "surveys/factor.h"
#include "surveys/itemanalysis.h"
#include "surveys/reliability.h"

enum { ROWS = 3001, ITEMS = 9 };

static char dir[64];
static char path[128];

static uint64_t rng = 20;

static unsigned next(unsigned m)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % m);
}

/* ROWS respondents: Q1..Q9 five-point answers sharing one factor, about
 * 1 % missing (empty), Q9 never missing; D a column of halves (doubles). */
static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/egdi-bytepath-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(path, sizeof path, "%s/likert.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("id", f);
    for (int j = 1; j <= ITEMS; j++)
        fprintf(f, ",Q%d", j);
    fputs(",D\n", f);
    for (int i = 0; i < ROWS; i++) {
        int g = (int)next(5);
        fprintf(f, "%d", 1000 + i);
        for (int j = 0; j < ITEMS; j++) {
            int a = g + (int)next(3) - 1;
            a = a < 0 ? 0 : a > 4 ? 4 : a;
            if (j < ITEMS - 1 && next(100) == 0)
                fputs(",", f);
            else
                fprintf(f, ",%d", a + 1);
        }
        fprintf(f, ",%.1f\n", (double)next(9) / 2);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static egdi_dataset *open_items(const char *items, const char *reverse)
{
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    o.data = path;
    o.items = items;
    o.reverse = reverse;
    o.have_scale = true;
    o.scale_min = reverse ? 1 : 0;
    o.scale_max = reverse ? 5 : 10;
    egdi_dataset *ds = NULL;
    egdi_error e;
    egdi_error_clear(&e);
    if (egdi_dataset_open(&o, &ds, &e) != EGDI_OK)
        fail_msg("%s", e.message);
    return ds;
}

static void same_doubles(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&a[i], &b[i], sizeof *a) != 0)
            fail_msg("value %zu: %.17g != %.17g", i, a[i], b[i]);
}

static void byte_matrix_is_the_matrix(void **state)
{
    (void)state;
    egdi_dataset *ds = open_items("Q1-Q9", "Q2,Q5");
    egdi_error e;
    egdi_item_matrix b, d;
    assert_int_equal(egdi_dataset_matrix_small(ds, ds->item, ITEMS, EGDI_LISTWISE, &b, &e),
                     EGDI_OK);
    assert_int_equal(egdi_dataset_matrix(ds, ds->item, ITEMS, EGDI_LISTWISE, &d, &e), EGDI_OK);
    assert_null(b.x);
    assert_non_null(b.code);
    assert_non_null(b.at);       /* rows were dropped */
    assert_true(b.n < ROWS - 10); /* about 8 % of the rows miss an answer */
    assert_int_equal(b.n, d.n);
    assert_int_equal(b.n_read, ROWS);
    for (size_t i = 0; i < b.n; i++)
        assert_int_equal(b.rows[i], d.rows[i]);
    for (size_t j = 0; j < ITEMS; j++)
        for (size_t i = 0; i < b.n; i++)
            if (egdi_item_matrix_at(&b, j, i) != d.x[j * d.n + i])
                fail_msg("item %zu row %zu", j, i);
    /* Q2 (reversed): 6 - answer */
    assert_true(b.reversed[1] && egdi_item_matrix_at(&b, 1, 0) == 6 - b.code[1][b.at[0]]);

    /* the cross-product pass: the same shifts, sums and products, both kernels */
    for (int simd = 0; simd < 2; simd++) {
        egdi_xprod xb, xd;
        size_t bad;
        assert_int_equal(egdi_xprod_compute_matrix(&b, simd, &xb, &bad), EGDI_OK);
        assert_int_equal(egdi_xprod_compute(d.x, d.n, d.p, simd, &xd, &bad), EGDI_OK);
        same_doubles(xb.shift, xd.shift, ITEMS);
        same_doubles(xb.sum, xd.sum, ITEMS);
        same_doubles(xb.s, xd.s, xb.pp * xb.pp);
        egdi_xprod_release(&xb);
        egdi_xprod_release(&xd);
    }
    /* covariances, alpha, correlations */
    egdi_cov cb, cd;
    assert_int_equal(egdi_cov_matrix(&b, false, &cb, &e), EGDI_OK);
    assert_int_equal(egdi_cov_compute(d.x, d.n, d.p, false, d.names, &cd, &e), EGDI_OK);
    same_doubles(cb.mean, cd.mean, ITEMS);
    same_doubles(cb.cov, cd.cov, ITEMS * ITEMS);
    egdi_cov_release(&cb);
    egdi_cov_release(&cd);
    egdi_alpha ab, ad;
    assert_int_equal(egdi_alpha_dataset(ds, ds->item, ITEMS, EGDI_LISTWISE, &ab, &e), EGDI_OK);
    assert_int_equal(egdi_alpha_compute(d.x, d.n, d.p, false, d.names, &ad, &e), EGDI_OK);
    same_doubles(&ab.alpha, &ad.alpha, 1);
    same_doubles(&ab.std_alpha, &ad.std_alpha, 1);
    same_doubles(&ab.scale_var, &ad.scale_var, 1);
    assert_int_equal(ab.n, d.n);
    for (size_t j = 0; j < ITEMS; j++) {
        same_doubles(&ab.items[j].alpha_if_deleted, &ad.items[j].alpha_if_deleted, 1);
        same_doubles(&ab.items[j].r_corrected, &ad.items[j].r_corrected, 1);
    }
    egdi_alpha_release(&ab);
    egdi_alpha_release(&ad);
    double rb[ITEMS * ITEMS], rd[ITEMS * ITEMS], mb[ITEMS], md[ITEMS], sb[ITEMS], sd[ITEMS];
    assert_int_equal(egdi_fa_corr_items(&b, false, rb, mb, sb, &e), EGDI_OK);
    assert_int_equal(egdi_fa_corr(d.x, d.n, d.p, d.names, rd, md, sd, &e), EGDI_OK);
    same_doubles(rb, rd, ITEMS * ITEMS);
    same_doubles(mb, md, ITEMS);
    same_doubles(sb, sd, ITEMS);
    /* item analysis: the same groups, t-tests and alpha */
    egdi_cr crb, crd;
    assert_int_equal(egdi_cr_compute_matrix(&b, NULL, NULL, &crb, &e), EGDI_OK);
    assert_int_equal(egdi_cr_compute(d.x, d.n, d.p, d.names, NULL, &crd, &e), EGDI_OK);
    same_doubles(&crb.cut_low, &crd.cut_low, 1);
    same_doubles(&crb.cut_high, &crd.cut_high, 1);
    same_doubles(&crb.alpha, &crd.alpha, 1);
    assert_int_equal(crb.n_low, crd.n_low);
    assert_int_equal(crb.n_high, crd.n_high);
    for (size_t j = 0; j < ITEMS; j++) {
        same_doubles(&crb.items[j].cr, &crd.items[j].cr, 1);
        same_doubles(&crb.items[j].cr_p, &crd.items[j].cr_p, 1);
        same_doubles(&crb.items[j].t.levene.F, &crd.items[j].t.levene.F, 1);
        same_doubles(&crb.items[j].t.d, &crd.items[j].t.d, 1);
    }
    egdi_cr_release(&crb);
    egdi_cr_release(&crd);
    /* pairwise asks for doubles */
    assert_int_equal(egdi_fa_corr_items(&b, true, rb, mb, sb, &e), EGDI_ERR_ARG);
    /* turned into doubles: the matrix of doubles */
    assert_int_equal(egdi_item_matrix_doubles(&b, &e), EGDI_OK);
    assert_null(b.code);
    assert_int_equal(memcmp(b.x, d.x, d.n * d.p * sizeof *d.x), 0);
    egdi_dataset_matrix_release(&b);
    egdi_dataset_matrix_release(&d);

    /* no row dropped (Q9 alone): no row list; pairwise: doubles */
    size_t q9 = ds->item[ITEMS - 1];
    assert_int_equal(egdi_dataset_matrix_small(ds, &q9, 1, EGDI_LISTWISE, &b, &e), EGDI_OK);
    assert_true(b.code && !b.at && b.n == ROWS);
    egdi_dataset_matrix_release(&b);
    assert_int_equal(egdi_dataset_matrix_small(ds, ds->item, ITEMS, EGDI_PAIRWISE, &b, &e),
                     EGDI_OK);
    assert_true(b.x && !b.code && b.n == ROWS);
    egdi_dataset_matrix_release(&b);
    egdi_dataset_free(ds);
}

static void other_numbers_fall_back_to_doubles(void **state)
{
    (void)state;
    egdi_dataset *ds = open_items("Q1,Q9,D", NULL);
    size_t dcol;
    egdi_error e;
    assert_int_equal(egdi_dataset_find(ds, "D", &dcol, &e), EGDI_OK);
    assert_null(ds->col[dcol].code); /* halves: doubles */
    assert_non_null(ds->col[dcol].num);
    assert_non_null(ds->col[ds->item[0]].code);
    egdi_item_matrix m;
    assert_int_equal(egdi_dataset_matrix_small(ds, ds->item, 3, EGDI_LISTWISE, &m, &e), EGDI_OK);
    assert_non_null(m.x);
    assert_null(m.code);
    egdi_dataset_matrix_release(&m);
    egdi_dataset_free(ds);
}

static void same_freq(const egdi_freq *a, const egdi_freq *b)
{
    assert_int_equal(a->k, b->k);
    assert_int_equal(a->valid, b->valid);
    assert_int_equal(a->total, b->total);
    same_doubles(a->value, b->value, a->k);
    for (size_t k = 0; k < a->k; k++)
        assert_int_equal(a->count[k], b->count[k]);
}

static void describe_counts_as_it_sorted(void **state)
{
    (void)state;
    egdi_dataset *ds = open_items("Q1-Q9", "Q2,Q5");
    egdi_error e;
    double *x = malloc(ROWS * sizeof *x), *keyed = malloc(ROWS * sizeof *keyed);
    assert_non_null(x);
    assert_non_null(keyed);
    egdi_desc_item it[ITEMS];
    size_t complete;
    assert_int_equal(egdi_desc_items(ds, ds->item, ITEMS, it, &complete, &e), EGDI_OK);
    for (size_t j = 0; j < ITEMS; j++) {
        const egdi_dataset_column *c = &ds->col[ds->item[j]];
        assert_non_null(c->code);
        for (size_t i = 0; i < ROWS; i++) {
            x[i] = egdi_dataset_at(ds, ds->item[j], i);
            keyed[i] = egdi_dataset_scored(ds, ds->item[j], x[i]);
        }
        egdi_desc db, dd;
        assert_int_equal(egdi_desc_bytes(c->code, ROWS, c->reversed, 6, &db, &e), EGDI_OK);
        assert_int_equal(egdi_desc_compute(keyed, ROWS, &dd, &e), EGDI_OK);
        assert_int_equal(memcmp(&db, &dd, sizeof db), 0);
        assert_int_equal(memcmp(&it[j].desc, &dd, sizeof dd), 0);
        egdi_freq fb, fh, fs;
        assert_int_equal(egdi_freq_bytes(c->code, ROWS, &fb, &e), EGDI_OK);
        assert_int_equal(egdi_freq_compute(x, ROWS, &fh, &e), EGDI_OK);
        assert_int_equal(egdi_freq_sorted(x, ROWS, &fs, &e), EGDI_OK);
        assert_int_equal(fs.k, 5);
        same_freq(&fb, &fs);
        same_freq(&fh, &fs);
        same_freq(&it[j].freq, &fs);
        egdi_freq_release(&fb);
        egdi_freq_release(&fh);
        egdi_freq_release(&fs);
    }
    assert_int_equal(complete, egdi_dataset_complete(ds, ds->item, ITEMS));
    egdi_desc_items_release(it, ITEMS);
    egdi_dataset_free(ds);

    /* doubles: few distinct values (counted), -0 and 0 one value, and more
     * than 1,024 distinct values (sorted) */
    for (size_t i = 0; i < ROWS; i++)
        x[i] = i % 7 == 3 ? NAN : (double)next(9) / 4 - 1;
    x[0] = -0.0;
    x[1] = 0.0;
    egdi_freq fh, fs;
    assert_int_equal(egdi_freq_compute(x, ROWS, &fh, &e), EGDI_OK);
    assert_int_equal(egdi_freq_sorted(x, ROWS, &fs, &e), EGDI_OK);
    assert_int_equal(fs.k, 9);
    assert_int_equal(fh.k, fs.k);
    assert_int_equal(fh.valid, fs.valid);
    for (size_t k = 0; k < fs.k; k++) {
        assert_true(fh.value[k] == fs.value[k]);
        assert_int_equal(fh.count[k], fs.count[k]);
    }
    egdi_freq_release(&fh);
    egdi_freq_release(&fs);
    for (size_t i = 0; i < ROWS; i++)
        x[i] = (double)(i * 7919 % 2000) / 3;
    assert_int_equal(egdi_freq_compute(x, ROWS, &fh, &e), EGDI_OK);
    assert_int_equal(egdi_freq_sorted(x, ROWS, &fs, &e), EGDI_OK);
    assert_int_equal(fs.k, 2000);
    same_freq(&fh, &fs);
    egdi_freq_release(&fh);
    egdi_freq_release(&fs);
    free(x);
    free(keyed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(byte_matrix_is_the_matrix),
        cmocka_unit_test(other_numbers_fall_back_to_doubles),
        cmocka_unit_test(describe_counts_as_it_sorted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
