/*
 * survey_bench.c - times the questionnaire statistics on a generated
 * 200,000 x 40 matrix of five-point answers (5 factors, fixed seed), in
 * memory, without reading a file.  Not a test; nothing in `make check` is
 * timed.
 *
 *   make && cc -O2 -Iengine -Isurveys bench/survey_bench.c build/libegdi.a \
 *       $(pkg-config --libs gsl) -lm -o build/survey_bench && build/survey_bench
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "itemanalysis.h"
#include "reliability.h"

#define N 200000
#define P 40

static uint64_t rng = 88172645463325252ULL;

static double unif(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static double gauss(void)
{
    double u = unif(), v = unif();
    return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(void)
{
    double *x = malloc((size_t)N * P * sizeof *x);
    if (!x)
        return 1;
    for (size_t i = 0; i < N; i++) {
        double f[5];
        for (int k = 0; k < 5; k++)
            f[k] = gauss();
        for (size_t j = 0; j < P; j++) {
            double z = 0.7 * f[j % 5] + 0.7 * gauss() + 3;
            x[j * N + i] = z < 1 ? 1 : z > 5 ? 5 : round(z);
        }
    }
    egdi_error err;
    double t0 = now();
    egdi_alpha a;
    if (egdi_alpha_compute(x, N, P, false, NULL, &a, &err) != EGDI_OK)
        return 1;
    double t1 = now();
    egdi_cr r;
    if (egdi_cr_compute(x, N, P, NULL, NULL, &r, &err) != EGDI_OK)
        return 1;
    double t2 = now();
    egdi_alpha b;
    if (egdi_alpha_compute(x, N, P, true, NULL, &b, &err) != EGDI_OK)
        return 1;
    double t3 = now();
    printf("%d x %d: alpha %.3f s (alpha = %.4f), items %.3f s (CR of item 1 = %.3f), "
           "pairwise alpha %.3f s\n",
           N, P, t1 - t0, a.alpha, t2 - t1, r.items[0].cr, t3 - t2);
    egdi_alpha_free(&a);
    egdi_alpha_free(&b);
    egdi_cr_free(&r);
    free(x);
    return 0;
}
