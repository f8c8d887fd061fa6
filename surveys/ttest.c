/*
 * ttest.c - Levene's test and the t-tests (conventions in ttest.h).  Each
 * function makes two passes over its input (mean, then squared deviations),
 * Levene's three (mean, |x - mean|, their squared deviations), with the
 * sums of sums_private.h; egdi_levene_compute holds the group means in a small
 * array it frees.
 */
#include "surveys/ttest.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "surveys/sums_private.h"

static double mean_of(const double *x, size_t n)
{
    return egdi_sum(x, n) / (double)n;
}

static double ss_of(const double *x, size_t n, double mean)
{
    return egdi_sum_sqdev(x, n, mean);
}

static const char *group_name(const char *const *names, size_t g, char buf[32])
{
    if (names && names[g])
        return names[g];
    snprintf(buf, 32, "group %zu", g + 1);
    return buf;
}

egdi_status egdi_levene_compute(const double *const *xs, const size_t *ns, size_t k,
                                const char *const *names, egdi_levene *out, egdi_error *err)
{
    out->F = out->p = NAN;
    out->df1 = out->df2 = 0;
    char buf[32];
    size_t total = 0;
    for (size_t g = 0; g < k; g++) {
        if (ns[g] == 0)
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "%s has no answers",
                                  group_name(names, g, buf));
        total += ns[g];
    }
    if (k < 2 || total <= k)
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "Levene's test needs two groups and more answers than groups");
    /* per group: its mean, then the mean of |x - mean| */
    double *mean = malloc(2 * k * sizeof *mean);
    if (!mean)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    double *zmean = mean + k;
    double zgrand = 0;
    for (size_t g = 0; g < k; g++) {
        mean[g] = mean_of(xs[g], ns[g]);
        double s = egdi_sum_absdev(xs[g], ns[g], mean[g]);
        zmean[g] = s / (double)ns[g];
        zgrand += s;
    }
    zgrand /= (double)total;
    double ssb = 0, ssw = 0;
    for (size_t g = 0; g < k; g++) {
        ssw += egdi_sum_sq_absdev(xs[g], ns[g], mean[g], zmean[g]);
        ssb += (double)ns[g] * (zmean[g] - zgrand) * (zmean[g] - zgrand);
    }
    free(mean);
    out->df1 = (double)(k - 1);
    out->df2 = (double)(total - k);
    if (ssw > 0) {
        out->F = (ssb / out->df1) / (ssw / out->df2);
        out->p = gsl_cdf_fdist_Q(out->F, out->df1, out->df2);
    } else if (ssb > 0) {
        out->F = INFINITY;
        out->p = 0;
    }
    return EGDI_OK;
}

void egdi_trow_fill(double diff, double se, double df, double conf, egdi_trow *row)
{
    row->se = se;
    row->df = df;
    row->t = diff / se;
    row->p = 2 * gsl_cdf_tdist_Q(fabs(row->t), df);
    double q = gsl_cdf_tdist_Qinv((1 - conf) / 2, df);
    row->ci_lo = diff - q * se;
    row->ci_hi = diff + q * se;
}

egdi_status egdi_ttest_independent(const double *x1, size_t n1, const double *x2, size_t n2,
                                   double conf, const char *const *names,
                                   egdi_ttest_ind *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    char buf[32];
    if (n1 < 2 || n2 < 2) {
        size_t g = n1 < 2 ? 0 : 1;
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "%s has %zu answer%s; a t-test needs at least two per group",
                              group_name(names, g, buf), g ? n2 : n1,
                              (g ? n2 : n1) == 1 ? "" : "s");
    }
    double a = (double)n1, b = (double)n2;
    out->n1 = n1;
    out->n2 = n2;
    out->conf = conf;
    out->mean1 = mean_of(x1, n1);
    out->mean2 = mean_of(x2, n2);
    double v1 = ss_of(x1, n1, out->mean1) / (a - 1);
    double v2 = ss_of(x2, n2, out->mean2) / (b - 1);
    out->sd1 = sqrt(v1);
    out->sd2 = sqrt(v2);
    out->se1 = out->sd1 / sqrt(a);
    out->se2 = out->sd2 / sqrt(b);
    out->diff = out->mean1 - out->mean2;
    if (!(v1 > 0) && !(v2 > 0))
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "%s and %s both have zero variance (every answer the same)",
                              group_name(names, 0, buf),
                              names && names[1] ? names[1] : "group 2");
    const double *xs[2] = {x1, x2};
    size_t ns[2] = {n1, n2};
    egdi_status st = egdi_levene_compute(xs, ns, 2, names, &out->levene, err);
    if (st != EGDI_OK)
        return st;
    double vp = ((a - 1) * v1 + (b - 1) * v2) / (a + b - 2);
    out->d = out->diff / sqrt(vp);
    egdi_trow_fill(out->diff, sqrt(vp * (1 / a + 1 / b)), a + b - 2, conf, &out->student);
    double q1 = v1 / a, q2 = v2 / b;
    double dfw = (q1 + q2) * (q1 + q2) / (q1 * q1 / (a - 1) + q2 * q2 / (b - 1));
    egdi_trow_fill(out->diff, sqrt(q1 + q2), dfw, conf, &out->welch);
    out->welch_selected = out->levene.p < 0.05; /* false when p is NaN */
    return EGDI_OK;
}

/* egdi_ttest_one_sample of n finite values. */
static egdi_status one_sample(const double *x, size_t n, double mu, double conf,
                              egdi_ttest_one *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    out->mean_x = out->mean_y = NAN;
    out->n = n;
    out->mu = mu;
    out->conf = conf;
    if (n < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "%zu answer%s; a t-test needs at least two", n, n == 1 ? "" : "s");
    out->mean = mean_of(x, n);
    out->sd = sqrt(ss_of(x, n, out->mean) / (double)(n - 1));
    out->diff = out->mean - mu;
    if (!(out->sd > 0))
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "zero variance (every value is %g)", out->mean);
    out->d = out->diff / out->sd;
    egdi_trow_fill(out->diff, out->sd / sqrt((double)n), (double)(n - 1), conf, &out->row);
    return EGDI_OK;
}

egdi_status egdi_ttest_one_sample(const double *x, size_t n, double mu, double conf,
                                  egdi_ttest_one *out, egdi_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(x[i]);
    if (m == n)
        return one_sample(x, n, mu, conf, out, err);
    double *y = malloc((m ? m : 1) * sizeof *y); /* the values present */
    if (!y)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t i = 0, k = 0; i < n; i++)
        if (!isnan(x[i]))
            y[k++] = x[i];
    egdi_status st = one_sample(y, m, mu, conf, out, err);
    free(y);
    return st;
}

egdi_status egdi_ttest_paired(const double *x, const double *y, size_t n, double conf,
                              egdi_ttest_one *out, egdi_error *err)
{
    double *d = calloc(n ? n : 1, sizeof *d);
    if (!d)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i]))
            d[m++] = x[i] - y[i];
    egdi_status st = one_sample(d, m, 0, conf, out, err);
    double sx = 0, sy = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            sx += x[i];
            sy += y[i];
        }
    out->mean_x = sx / (double)m;
    out->mean_y = sy / (double)m;
    if (st == EGDI_ERR_NUMERIC && err) {
        char why[EGDI_ERR_MSG_MAX];
        snprintf(why, sizeof why, "%s", err->message);
        egdi_error_set(err, st, "paired differences: %s", why);
    }
    free(d);
    return st;
}
