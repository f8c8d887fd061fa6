/*
 * csv_bench.c - how fast the CSV reader is, against a tight loop that only
 * splits the same file at delimiters and newlines.  Not a test.
 *
 *   csv_bench gen FILE [ROWS [quoted]]
 *                               writes a survey-like CSV (fixed seed): id,
 *                               gender, age, region, then 40 Likert items
 *                               answered 1-5 (default 200000 rows); with
 *                               "quoted", every field is in quotes
 *   csv_bench run FILE [REPS]   times, REPS times each (default 5), and prints
 *                               the median and minimum wall time of:
 *       split   read() in 64 KiB blocks, record every field's start and
 *               length in a reused array, count rows (the bound)
 *       reader  egdi_reader_open + egdi_reader_next over every row,
 *               touching each cell
 *       typed   the reader plus egdi_value_number on every cell
 *
 * Build (from the top of the tree, after `make`):
 *   cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iengine -o build/csv_bench \
 *      bench/csv_bench.c build/libegdi.a $(pkg-config --libs libzip expat zlib) \
 *      -lpthread -lcsv -lm
 *   build/csv_bench gen /tmp/survey.csv && build/csv_bench run /tmp/survey.csv 9
 *
 * Figures, 2026-11-22, 2 vCPU AMD EPYC VM shared with other jobs (load 5-9,
 * so the ratios, measured in the same run, mean more than the times),
 * 200,000 x 44 survey file, 20.1 MB, 8.8 million fields:
 *   plain (UTF-8, unquoted)  split 16-31 ms; reader 1.4-1.9 x split
 *   every field quoted       reader 2.1-2.5 x split (split ignores quotes)
 *   the same text in GBK     reader 2.4-2.8 x split (iconv first)
 *   reader + numbers         3.8-4.5 x split (egdi_value_number per cell)
 *   peak RSS of the reader   5 MB
 * For reference, libcsv alone with callbacks that do nothing takes 41 ms
 * when split takes 16 ms (2.5 x); the first version of the reader, all
 * through libcsv, took 5.3 x, and GBK through libcsv 9 x.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "reader.h"
#include "value.h"

#define LIKERT_ITEMS 40
#define MAX_FIELDS   4096

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static int gen(const char *path, long rows, bool quoted)
{
    const char *q = quoted ? "\"" : "";
    static const char *const regions[] = {"华东", "华南", "华北", "西南", "西北", "东北"};
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    fprintf(f, "%sid%s,%sgender%s,%sage%s,%sregion%s", q, q, q, q, q, q, q, q);
    for (int i = 1; i <= LIKERT_ITEMS; i++)
        fprintf(f, ",%sQ%d%s", q, i, q);
    fputc('\n', f);
    for (long r = 1; r <= rows; r++) {
        /* five factors of eight items: the answer leans on the factor */
        int factor[5];
        for (int k = 0; k < 5; k++)
            factor[k] = (int)(rng() % 5) - 2;
        fprintf(f, "%s%ld%s,%s%s%s,%s%u%s,%s%s%s", q, r, q, q, rng() % 2 ? "男" : "女", q, q,
                18 + rng() % 50, q, q, regions[rng() % 6], q);
        for (int i = 0; i < LIKERT_ITEMS; i++) {
            int v = 3 + factor[i / 8] + (int)(rng() % 3) - 1;
            if (v < 1)
                v = 1;
            if (v > 5)
                v = 5;
            fprintf(f, ",%s%d%s", q, v, q);
        }
        fputc('\n', f);
    }
    if (ferror(f) || fclose(f) != 0) {
        perror(path);
        return 1;
    }
    return 0;
}

typedef struct {
    uint32_t start, len;
} span;

/* The bound: split at ',' and '\n', keeping each field's place. */
static double run_split(const char *path, uint64_t *fields_out)
{
    static unsigned char buf[1 << 16];
    static span spans[MAX_FIELDS];
    double t0 = now();
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    uint64_t fields = 0, rows = 0, bytes = 0;
    size_t nf = 0;
    uint32_t start = 0, pos = 0;
    ssize_t k;
    while ((k = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < k; i++, pos++) {
            unsigned char c = buf[i];
            if (c == ',' || c == '\n') {
                if (nf < MAX_FIELDS)
                    spans[nf++] = (span){start, pos - start};
                start = pos + 1;
                if (c == '\n') {
                    fields += nf;
                    bytes += spans[nf - 1].len;
                    nf = 0;
                    rows++;
                }
            }
        }
    }
    close(fd);
    double t = now() - t0;
    *fields_out = fields + rows * 0 + (bytes & 0);
    return t;
}

static double run_reader(const char *path, bool typed, uint64_t *fields_out)
{
    double t0 = now();
    egdi_reader *r;
    egdi_error err;
    if (egdi_reader_open(&r, path, NULL, &err) != EGDI_OK) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return -1;
    }
    egdi_row row;
    uint64_t fields = 0, bytes = 0, bad = 0;
    double sum = 0;
    egdi_status st;
    while ((st = egdi_reader_next(r, &row, &err)) == EGDI_OK) {
        fields += row.ncells;
        for (size_t i = 0; i < row.ncells; i++) {
            const egdi_cell *c = &row.cells[i];
            bytes += c->len;
            if (typed && c->type == EGDI_CELL_TEXT) {
                double v;
                bool pct;
                const char *why;
                if (egdi_value_number(c->text, c->len, &v, &pct, &why) == EGDI_OK)
                    sum += v;
                else
                    bad++;
            }
        }
    }
    egdi_reader_close(r);
    double t = now() - t0;
    if (st != EGDI_DONE) {
        fprintf(stderr, "%s: %s\n", path, err.message);
        return -1;
    }
    *fields_out = fields + (bytes & 0) + (uint64_t)(sum * 0) + (bad & 0);
    return t;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "gen") == 0)
        return gen(argv[2], argc > 3 ? atol(argv[3]) : 200000,
                   argc > 4 && strcmp(argv[4], "quoted") == 0);
    if (argc < 3 || strcmp(argv[1], "run") != 0) {
        fprintf(stderr, "usage: csv_bench gen FILE [ROWS] | run FILE [REPS]\n");
        return 2;
    }
    int reps = argc > 3 ? atoi(argv[3]) : 5;
    if (reps < 1 || reps > 100)
        reps = 5;
    static const char *const names[3] = {"split (bound)", "reader", "reader + numbers"};
    double med[3];
    for (int m = 0; m < 3; m++) {
        double t[100];
        uint64_t fields = 0;
        for (int i = 0; i < reps; i++) {
            t[i] = m == 0 ? run_split(argv[2], &fields) : run_reader(argv[2], m == 2, &fields);
            if (t[i] < 0)
                return 1;
        }
        qsort(t, (size_t)reps, sizeof t[0], cmp_double);
        med[m] = t[reps / 2];
        printf("%-18s median %7.1f ms  min %7.1f ms  ratio %.2f  (%llu fields)\n", names[m],
               med[m] * 1e3, t[0] * 1e3, med[m] / med[0], (unsigned long long)fields);
    }
    return 0;
}
