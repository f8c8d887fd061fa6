/*
 * factor_bench.c - times correlation + KMO/Bartlett + PAF (5 factors) +
 * varimax (surveys/factor.h) on a generated 200,000 x 40 matrix of
 * five-point answers with 5 factors (fixed seed), in memory, after the data
 * is built.  Not a test; nothing in `make check` is timed.
 *
 *   make && cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -Iengine -Isurveys \
 *       bench/factor_bench.c build/libegdi.a $(pkg-config --libs gsl) -lm \
 *       -o build/factor_bench && build/factor_bench
 *
 * Prints wall-clock and process CPU time of 5 repetitions.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "factor.h"

#define N 200000
#define P 40
#define K 5
#define REPS 5

static double seconds(clockid_t c)
{
    struct timespec t;
    clock_gettime(c, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void)
{
    gsl_set_error_handler_off();
    double *x = malloc((size_t)N * P * sizeof *x);
    double *r = malloc(P * P * sizeof *r), mean[P], sd[P];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    if (!x || !r || !g)
        return 1;
    gsl_rng_set(g, 20240601);
    for (size_t i = 0; i < N; i++) {
        double f[K];
        for (int q = 0; q < K; q++)
            f[q] = gsl_ran_gaussian(g, 1);
        for (size_t j = 0; j < P; j++) {
            double v = round(3 + 0.7 * f[j % K] + 0.7 * gsl_ran_gaussian(g, 1));
            x[j * N + i] = v < 1 ? 1 : v > 5 ? 5 : v;
        }
    }
    egdi_error e;
    egdi_fa_options o;
    egdi_fa_options_init(&o);
    o.rule = EGDI_FA_NFACT_FIXED;
    o.nfactors = K;
    for (int rep = 0; rep < REPS; rep++) {
        double w0 = seconds(CLOCK_MONOTONIC), c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
        egdi_fa_kmo km;
        egdi_fa_result res;
        egdi_fa_work *w = egdi_fa_work_alloc(P);
        if (!w || egdi_fa_corr(x, N, P, NULL, r, mean, sd, &e) ||
            egdi_fa_kmo_compute(r, P, N, NULL, &km, &e) ||
            egdi_fa_run(r, P, N, NULL, &o, w, &res, &e)) {
            fprintf(stderr, "failed: %s\n", e.message);
            return 1;
        }
        double w1 = seconds(CLOCK_MONOTONIC), c1 = seconds(CLOCK_PROCESS_CPUTIME_ID);
        printf("corr + kmo + paf(%d) + varimax, %d x %d: %.1f ms wall, %.1f ms cpu "
               "(paf %u iterations, varimax %u)\n", K, N, P, (w1 - w0) * 1e3,
               (c1 - c0) * 1e3, res.iterations, res.rot_iterations);
        egdi_fa_result_free(&res);
        egdi_fa_kmo_free(&km);
        egdi_fa_work_free(w);
    }
    free(x);
    free(r);
    gsl_rng_free(g);
    return 0;
}
