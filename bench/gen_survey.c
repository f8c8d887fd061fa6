/*
 * gen_survey.c - writes the survey-200k benchmark workload: N respondents
 * (default 200,000) x 40 five-point Likert items with a five-factor
 * structure, plus an id and 3 demographic columns, as XLSX (libxlsxwriter,
 * constant-memory mode: inline strings, streamed rows) and as CSV.
 *
 *   gen_survey OUTDIR [N]      writes OUTDIR/survey-200k.xlsx and .csv
 *
 * Fixed seed (MT19937, 42): the same files on every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <xlsxwriter.h>

#define NITEMS 40
#define NFACTORS 5

static int answer(double y)
{
    static const double cut[4] = {-1.4, -0.5, 0.4, 1.3};
    int a = 1;
    while (a < 5 && y > cut[a - 1])
        a++;
    return a;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen_survey OUTDIR [N]\n");
        return 2;
    }
    long n = argc > 2 ? atol(argv[2]) : 200000;
    char xpath[4096], cpath[4096];
    snprintf(xpath, sizeof xpath, "%s/survey-200k.xlsx", argv[1]);
    snprintf(cpath, sizeof cpath, "%s/survey-200k.csv", argv[1]);
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(xpath, &wo);
    FILE *csv = fopen(cpath, "w");
    if (!wb || !csv) {
        fprintf(stderr, "gen_survey: cannot create the output files\n");
        return 1;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, "survey");
    static const char *const demo[] = {"id", "gender", "age", "dept"};
    static const char *const depts[] = {"发改委", "教育局", "公安局", "财政局", "卫健委"};
    for (lxw_col_t c = 0; c < 4; c++) {
        worksheet_write_string(ws, 0, c, demo[c], NULL);
        fprintf(csv, "%s,", demo[c]);
    }
    for (int k = 0; k < NITEMS; k++) {
        char h[8];
        snprintf(h, sizeof h, "Q%d", k + 1);
        worksheet_write_string(ws, 0, (lxw_col_t)(4 + k), h, NULL);
        fprintf(csv, "%s%s", h, k + 1 < NITEMS ? "," : "\n");
    }
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 42);
    for (long i = 0; i < n; i++) {
        lxw_row_t r = (lxw_row_t)(i + 1);
        double f[NFACTORS];
        for (int d = 0; d < NFACTORS; d++)
            f[d] = gsl_ran_gaussian(rng, 1.0);
        const char *g = gsl_rng_uniform(rng) < 0.5 ? "M" : "F";
        int age = 22 + (int)gsl_rng_uniform_int(rng, 38);
        const char *dept = depts[gsl_rng_uniform_int(rng, 5)];
        worksheet_write_number(ws, r, 0, (double)(i + 1), NULL);
        worksheet_write_string(ws, r, 1, g, NULL);
        worksheet_write_number(ws, r, 2, age, NULL);
        worksheet_write_string(ws, r, 3, dept, NULL);
        fprintf(csv, "%ld,%s,%d,%s,", i + 1, g, age, dept);
        for (int k = 0; k < NITEMS; k++) {
            double lam = 0.55 + 0.05 * (k % 5);
            double y = lam * f[k / 8] + 0.8 * gsl_ran_gaussian(rng, 1.0);
            int a = answer(y);
            worksheet_write_number(ws, r, (lxw_col_t)(4 + k), a, NULL);
            fprintf(csv, "%d%s", a, k + 1 < NITEMS ? "," : "\n");
        }
    }
    gsl_rng_free(rng);
    if (workbook_close(wb) != LXW_NO_ERROR || fclose(csv) != 0) {
        fprintf(stderr, "gen_survey: writing failed\n");
        return 1;
    }
    return 0;
}
