/*
 * rules.c - the scoring rules of rules.h.  Sums run in index order so a
 * round always gives the same bits.
 */
#include "indicators/rules.h"

#include <math.h>
#include <stdlib.h>

static double clamp100(double v)
{
    return v < 0 ? 0 : v > 100 ? 100 : v;
}

/* 100 (x - lo) / (hi - lo), the direction applied, clamped; near +-1e308,
 * where hi - lo or 100 (x - lo) would overflow, from the halves of x, lo
 * and hi (exact), so the score is still right. */
static double minmax_score(const egdi_node *nd, double x, double lo, double hi)
{
    double s;
    if (isfinite(hi - lo) && isfinite(100.0 * (x - lo)))
        s = 100.0 * (x - lo) / (hi - lo);
    else
        s = 100.0 * ((x / 2 - lo / 2) / (hi / 2 - lo / 2));
    if (nd->direction < 0)
        s = 100.0 - s;
    return clamp100(s);
}

/* Values from this magnitude on are scaled by the largest before the
 * z-score's sums, whose squares would overflow. */
#define ZSCORE_SCALE_FROM 1e150

typedef struct {
    double v;
    size_t i;
} vi;

static int cmp_vi(const void *a, const void *b)
{
    const vi *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

static egdi_status rank_scores(const egdi_node *nd, const double *raw, size_t n, double *score,
                               egdi_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(raw[i]))
            m++;
    if (m == 0)
        return EGDI_OK;
    vi *a = malloc(m * sizeof *a);
    if (!a)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(raw[i]))
            a[k++] = (vi){raw[i], i};
    qsort(a, m, sizeof *a, cmp_vi);
    for (size_t s = 0; s < m;) {
        size_t e = s;
        while (e + 1 < m && a[e + 1].v == a[s].v)
            e++;
        /* 1-based ranks s+1..e+1 share their mean */
        double r = ((double)(s + 1) + (double)(e + 1)) / 2.0;
        double p = 100.0 * (r - 1.0) / (double)(m - 1 ? m - 1 : 1);
        if (nd->direction < 0)
            p = 100.0 - p;
        if (m == 1)
            p = 100.0; /* the only unit is the best one */
        for (size_t t = s; t <= e; t++)
            score[a[t].i] = p;
        s = e + 1;
    }
    free(a);
    return EGDI_OK;
}

egdi_status egdi_rule_apply(const egdi_node *nd, const double *raw, size_t n,
                            const char *const *ids, double *score, egdi_error *err)
{
    for (size_t i = 0; i < n; i++)
        score[i] = NAN;
    double lo = INFINITY, hi = -INFINITY, sum = 0, mean = 0, sd = 0, big = 0, scale = 1;
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(raw[i])) {
            if (!isfinite(raw[i]))
                return egdi_error_set(err, EGDI_ERR_VALUE,
                                      "indicator %s, unit %s: the value is not a finite number",
                                      nd->code, ids ? ids[i] : "?");
            if (raw[i] < lo)
                lo = raw[i];
            if (raw[i] > hi)
                hi = raw[i];
            if (fabs(raw[i]) > big)
                big = fabs(raw[i]);
            cnt++;
        }
    /* the z-score's sums run on raw / scale: 1, or the largest magnitude
     * when the squares would overflow */
    if (big >= ZSCORE_SCALE_FROM)
        scale = big;
    for (size_t i = 0; i < n; i++)
        if (!isnan(raw[i]))
            sum += raw[i] / scale;
    if (cnt == 0)
        return EGDI_OK;
    if (nd->rule == EGDI_RULE_MINMAX && !(hi > lo))
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "indicator %s: all %zu units have the same value %g, so min-max "
                              "scoring is undefined (use a goalpost rule with fixed min and max)",
                              nd->code, cnt, lo);
    if (nd->rule == EGDI_RULE_ZSCORE) {
        mean = sum / (double)cnt;
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            if (!isnan(raw[i]))
                ss += (raw[i] / scale - mean) * (raw[i] / scale - mean);
        sd = sqrt(ss / (double)cnt);
        if (!(sd > 0))
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "indicator %s: all %zu units have the same value %g, so "
                                  "z-scores are undefined",
                                  nd->code, cnt, lo);
    }
    if (nd->rule == EGDI_RULE_RANK)
        return rank_scores(nd, raw, n, score, err);

    for (size_t i = 0; i < n; i++) {
        double x = raw[i];
        if (isnan(x))
            continue;
        double s = NAN;
        switch (nd->rule) {
        case EGDI_RULE_VALUE:
            s = x;
            break;
        case EGDI_RULE_GOALPOST:
            s = minmax_score(nd, x, nd->min, nd->max);
            break;
        case EGDI_RULE_MINMAX:
            s = minmax_score(nd, x, lo, hi);
            break;
        case EGDI_RULE_ZSCORE: {
            double z = (x / scale - mean) / sd;
            s = clamp100(nd->direction < 0 ? 50.0 - 10.0 * z : 50.0 + 10.0 * z);
            break;
        }
        case EGDI_RULE_TARGET:
            s = 100.0 * (1.0 - fabs(x - nd->target) / nd->tolerance);
            if (s < 0)
                s = 0;
            break;
        case EGDI_RULE_STEPS:
            s = 0;
            if (nd->direction >= 0) {
                for (size_t k = 0; k < nd->nsteps; k++)
                    if (x >= nd->steps_x[k])
                        s = nd->steps_y[k];
            } else {
                for (size_t k = nd->nsteps; k-- > 0;)
                    if (x <= nd->steps_x[k])
                        s = nd->steps_y[k];
            }
            break;
        case EGDI_RULE_YESNO:
            s = (x != 0) == (nd->direction >= 0) ? 100.0 : 0.0;
            break;
        case EGDI_RULE_LIKERT:
            if (x < nd->scale_min || x > nd->scale_max) {
                return egdi_error_set(err, EGDI_ERR_VALUE,
                                      "indicator %s, unit %s: value %g is outside the Likert "
                                      "scale %g..%g",
                                      nd->code, ids ? ids[i] : "?", x, nd->scale_min,
                                      nd->scale_max);
            }
            s = 100.0 * (x - nd->scale_min) / (nd->scale_max - nd->scale_min);
            if (nd->direction < 0)
                s = 100.0 - s;
            break;
        case EGDI_RULE_RATIO:
            if (nd->direction >= 0)
                s = x <= 0 ? 0.0 : 100.0 * fmin(1.0, x / nd->target);
            else
                s = x <= 0 ? 100.0 : 100.0 * fmin(1.0, nd->target / x);
            break;
        default:
            return egdi_error_set(err, EGDI_ERR_MODEL, "indicator %s has no scoring rule",
                                  nd->code);
        }
        if (!isfinite(s)) /* (never shown as missing and re-weighted away) */
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "indicator %s, unit %s: the value %g gives no finite score "
                                  "under the %s rule",
                                  nd->code, ids ? ids[i] : "?", x, egdi_rule_name(nd->rule));
        score[i] = s;
    }
    return EGDI_OK;
}
