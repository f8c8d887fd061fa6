/*
 * tukey.c - the studentized range distribution (tukey.h): two nested
 * adaptive integrations with GSL, and Brent's method for the quantiles.
 *
 * The work area owns two GSL integration workspaces, one for the integral
 * over s and one for the integral over z that each point of it needs;
 * egdi_tukey_work_free() frees both.
 */
#include "surveys/tukey.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_integration.h>
#include <gsl/gsl_roots.h>
#include <gsl/gsl_sf_log.h>

/* Subintervals each adaptive integration may use. */
#define LIMIT 200
/* Relative tolerances of the integral over s and over z. */
#define EPS_OUTER 1e-12
#define EPS_INNER 1e-13
/* The integration windows hold all but e^-TAIL_LOG of the integrand. */
#define TAIL_LOG 80.0
/* Half width of the window over z around the centre of the range. */
#define Z_HALF 14.0
/* The window over z reaches at least +-Z_MIN (phi(13) ~ e^-84.5). */
#define Z_MIN 13.0
/* Relative tolerance of a quantile. */
#define EPS_QUANTILE 1e-12
#define MAX_ITER 200
/* An integral this small is taken as it is (GSL reports a round-off error
 * among subnormal numbers). */
#define TINY 1e-290

struct egdi_tukey_work {
    gsl_integration_workspace *outer, *inner;
    /* the integral being evaluated */
    double k, df, q;
    bool upper;
    double lg_const; /* log of g's constant factor (df finite) */
    bool failed;     /* an inner integral missed its tolerance */
};

egdi_tukey_work *egdi_tukey_work_alloc(void)
{
    egdi_tukey_work *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->outer = gsl_integration_workspace_alloc(LIMIT);
    w->inner = gsl_integration_workspace_alloc(LIMIT);
    if (!w->outer || !w->inner) {
        egdi_tukey_work_free(w);
        return NULL;
    }
    return w;
}

void egdi_tukey_work_free(egdi_tukey_work *w)
{
    if (!w)
        return;
    if (w->outer)
        gsl_integration_workspace_free(w->outer);
    if (w->inner)
        gsl_integration_workspace_free(w->inner);
    free(w);
}

/* ---- the range of k normals: W(w) and 1 - W(w) -------------------------- */

typedef struct {
    double w, k;
    bool upper;
} range_params;

static double range_integrand(double z, void *vp)
{
    const range_params *p = vp;
    double phi = exp(-0.5 * z * z) * (M_SQRT1_2 * M_2_SQRTPI * 0.5);
    if (phi == 0)
        return 0;
    double zw = z + p->w;
    /* the small tail of each point, the other as its complement */
    double Pz, Qz, Pzw, Qzw;
    if (z < 0) {
        Pz = gsl_cdf_ugaussian_P(z);
        Qz = 1 - Pz;
    } else {
        Qz = gsl_cdf_ugaussian_Q(z);
        Pz = 1 - Qz;
    }
    if (zw < 0) {
        Pzw = gsl_cdf_ugaussian_P(zw);
        Qzw = 1 - Pzw;
    } else {
        Qzw = gsl_cdf_ugaussian_Q(zw);
        Pzw = 1 - Qzw;
    }
    /* b = Phi(z + w) - Phi(z) from the two small tails */
    double b;
    if (z >= 0)
        b = Qz - Qzw;
    else if (zw <= 0)
        b = Pzw - Pz;
    else
        b = 1 - Pz - Qzw;
    if (b < 0)
        b = 0;
    int m = (int)p->k - 1;
    if (!p->upper) {
        double bp = 1;
        for (int i = 0; i < m; i++)
            bp *= b;
        return p->k * phi * bp;
    }
    /* sum_{j=0}^{m-1} a^j b^(m-1-j) by Horner: S_i = b^i + a S_(i-1) */
    double s = 1, bp = 1;
    for (int i = 1; i < m; i++) {
        bp *= b;
        s = bp + Qz * s;
    }
    return p->k * phi * Qzw * s;
}

/* W(w) (upper false) or 1 - W(w) into *out; false when the integration
 * misses its tolerance. */
static bool range_prob(gsl_integration_workspace *ws, double w, double k, bool upper, double *out)
{
    if (w <= 0) {
        *out = upper ? 1 : 0;
        return true;
    }
    range_params p = {w, k, upper};
    gsl_function f = {range_integrand, &p};
    double c = -0.5 * w;
    double lo = fmin(c - Z_HALF, -Z_MIN), hi = fmax(c + Z_HALF, Z_MIN);
    double r, abserr;
    int st = gsl_integration_qag(&f, lo, hi, 0, EPS_INNER, LIMIT, GSL_INTEG_GAUSS61, ws, &r,
                                 &abserr);
    *out = r;
    return st == GSL_SUCCESS || abserr <= fmax(1e-10 * fabs(r), TINY);
}

/* ---- the density of s = sqrt(chi^2_df / df) ----------------------------- */

/* lgamma(x) - ((x - 1/2) log x - x + log(2 pi) / 2): Stirling's remainder. */
static double stirling_rest(double x)
{
    if (x < 10)
        return lgamma(x) - ((x - 0.5) * log(x) - x + 0.5 * log(2 * M_PI));
    double r = 1 / x, r2 = r * r;
    return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))));
}

/* The constant part of log g: log 2 + (df/2) log(df/2) - lgamma(df/2), less
 * the df/2 that log_g adds back (so nothing of size df log df cancels). */
static double log_g_const(double df)
{
    double x = 0.5 * df;
    return M_LN2 + 0.5 * log(x) - 0.5 * log(2 * M_PI) - stirling_rest(x);
}

/* log g(s) for s > 0: with u = s - 1, the terms of size df combine into
 * df (log(1 + u) - u) - (df/2) u^2 - log(1 + u), accurate near s = 1. */
static double log_g(double s, double df, double lg_const)
{
    double u = s - 1, x = 0.5 * df, e;
    if (fabs(u) < 0.5)
        e = df * gsl_sf_log_1plusx_mx(u) - x * u * u - log1p(u);
    else
        e = (df - 1) * log(s) - df * u - x * u * u;
    return lg_const + e;
}

static double outer_integrand(double s, void *vp)
{
    egdi_tukey_work *w = vp;
    if (!(s > 0))
        return 0;
    double g = exp(log_g(s, w->df, w->lg_const));
    if (g == 0)
        return 0;
    double r;
    if (!range_prob(w->inner, w->q * s, w->k, w->upper, &r))
        w->failed = true;
    return g * r;
}

/* The window [*lo, *hi] of s outside which log g is below its mode's less
 * TAIL_LOG. */
static void s_window(double df, double lg_const, double *lo, double *hi)
{
    double mode = df > 1 ? sqrt((df - 1) / df) : 0;
    double top = log_g(mode > 0 ? mode : 1e-300, df, lg_const) - TAIL_LOG;
    double step = 1 / sqrt(df), b = mode + step;
    while (log_g(b, df, lg_const) > top)
        b += step, step *= 2;
    double a = mode, c = b; /* bisect between the mode and b */
    for (int i = 0; i < 100; i++) {
        double m = 0.5 * (a + c);
        if (log_g(m, df, lg_const) > top)
            a = m;
        else
            c = m;
    }
    *hi = c;
    *lo = 0;
    if (mode > 0 && log_g(mode * 1e-6, df, lg_const) < top) {
        a = mode * 1e-6;
        c = mode;
        for (int i = 0; i < 100; i++) {
            double m = 0.5 * (a + c);
            if (log_g(m, df, lg_const) > top)
                c = m;
            else
                a = m;
        }
        *lo = a;
    }
}

/* ---- the distribution ---------------------------------------------------- */

static egdi_status check_args(double k, double df, egdi_error *err)
{
    if (!(k >= 2) || k != floor(k) || k > 1e6)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "studentized range: the number of means must be a whole number "
                              ">= 2, not %g",
                              k);
    if (!(df >= 1))
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "studentized range: df must be at least 1, not %g", df);
    return EGDI_OK;
}

egdi_status egdi_tukey_cdf(egdi_tukey_work *w, double q, double k, double df, bool upper,
                           double *out, egdi_error *err)
{
    *out = NAN;
    egdi_status st = check_args(k, df, err);
    if (st != EGDI_OK)
        return st;
    if (isnan(q))
        return egdi_error_set(err, EGDI_ERR_ARG, "studentized range: q is not a number");
    if (q <= 0) {
        *out = upper ? 1 : 0;
        return EGDI_OK;
    }
    if (isinf(q)) {
        *out = upper ? 0 : 1;
        return EGDI_OK;
    }
    if (df > EGDI_TUKEY_DF_INF) {
        if (!range_prob(w->inner, q, k, upper, out))
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "studentized range: the integral for q = %g, k = %g did not "
                                  "reach its precision",
                                  q, k);
        return EGDI_OK;
    }
    w->k = k;
    w->df = df;
    w->q = q;
    w->upper = upper;
    w->lg_const = log_g_const(df);
    w->failed = false;
    double lo, hi, r, abserr;
    s_window(df, w->lg_const, &lo, &hi);
    gsl_function f = {outer_integrand, w};
    int gs = gsl_integration_qag(&f, lo, hi, 0, EPS_OUTER, LIMIT, GSL_INTEG_GAUSS61, w->outer, &r,
                                 &abserr);
    if (w->failed || (gs != GSL_SUCCESS && !(abserr <= fmax(1e-10 * fabs(r), TINY))))
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "studentized range: the integral for q = %g, k = %g, df = %g did "
                              "not reach its precision",
                              q, k, df);
    *out = r > 1 ? 1 : r;
    return EGDI_OK;
}

typedef struct {
    egdi_tukey_work *w;
    double log_alpha, k, df;
    egdi_status st;
    egdi_error *err;
} quantile_params;

/* log P(Q > q) - log alpha: decreasing in q. */
static double quantile_fn(double q, void *vp)
{
    quantile_params *p = vp;
    double u;
    if (p->st != EGDI_OK)
        return 0;
    p->st = egdi_tukey_cdf(p->w, q, p->k, p->df, true, &u, p->err);
    if (p->st != EGDI_OK)
        return 0;
    return (u > 0 ? log(u) : -HUGE_VAL) - p->log_alpha;
}

egdi_status egdi_tukey_quantile(egdi_tukey_work *w, double alpha, double k, double df,
                                double *q, egdi_error *err)
{
    *q = NAN;
    egdi_status st = check_args(k, df, err);
    if (st != EGDI_OK)
        return st;
    if (!(alpha > 0 && alpha < 1))
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "studentized range: the tail probability must be in (0, 1), not %g",
                              alpha);
    quantile_params p = {w, log(alpha), k, df, EGDI_OK, err};
    double lo = 0, hi = 2;
    /* bracket: f(lo) > 0 (P(Q > 0) = 1), f(hi) < 0 */
    for (int i = 0; quantile_fn(hi, &p) > 0; i++) {
        if (p.st != EGDI_OK)
            return p.st;
        if (i == 60)
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "studentized range: no quantile for tail %g, k = %g, df = %g",
                                  alpha, k, df);
        lo = hi;
        hi *= 2;
    }
    if (p.st != EGDI_OK)
        return p.st;
    gsl_function f = {quantile_fn, &p};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    if (gsl_root_fsolver_set(s, &f, lo, hi) != GSL_SUCCESS) {
        gsl_root_fsolver_free(s);
        return p.st != EGDI_OK ? p.st
                               : egdi_error_set(err, EGDI_ERR_NUMERIC,
                                                "studentized range: no quantile bracket");
    }
    int status = GSL_CONTINUE;
    for (int i = 0; i < MAX_ITER && status == GSL_CONTINUE; i++) {
        if (gsl_root_fsolver_iterate(s) != GSL_SUCCESS)
            break;
        if (p.st != EGDI_OK)
            break;
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(s),
                                        gsl_root_fsolver_x_upper(s), 0, EPS_QUANTILE);
    }
    double root = gsl_root_fsolver_root(s);
    gsl_root_fsolver_free(s);
    if (p.st != EGDI_OK)
        return p.st;
    if (status != GSL_SUCCESS)
        return egdi_error_set(err, EGDI_ERR_CONVERGE,
                              "studentized range: the quantile for tail %g, k = %g, df = %g did "
                              "not converge",
                              alpha, k, df);
    *q = root;
    return EGDI_OK;
}
