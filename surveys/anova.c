/*
 * anova.c - one-way ANOVA (see anova.h).  Two passes per group (mean, then
 * squared deviations); no allocation.
 */
#include "surveys/anova.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

egdi_status egdi_anova_oneway(const double *const *xs, const size_t *ns, size_t k,
                              const char *const *names, egdi_anova *out,
                              egdi_group_stats *groups, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    out->k = k;
    if (k < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "ANOVA needs at least two groups");
    double grand = 0;
    size_t total = 0;
    for (size_t g = 0; g < k; g++) {
        if (ns[g] == 0) {
            if (names && names[g])
                return egdi_error_set(err, EGDI_ERR_NUMERIC, "group %s has no answers",
                                      names[g]);
            return egdi_error_set(err, EGDI_ERR_NUMERIC, "group %zu has no answers", g + 1);
        }
        double s = 0;
        for (size_t i = 0; i < ns[g]; i++)
            s += xs[g][i];
        groups[g].n = ns[g];
        groups[g].mean = s / (double)ns[g];
        grand += s;
        total += ns[g];
    }
    out->n = total;
    if (total <= k)
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "%zu answers in %zu groups: ANOVA needs more answers than groups",
                              total, k);
    grand /= (double)total;
    double ssb = 0, ssw = 0;
    for (size_t g = 0; g < k; g++) {
        double s = 0;
        for (size_t i = 0; i < ns[g]; i++) {
            double d = xs[g][i] - groups[g].mean;
            s += d * d;
        }
        groups[g].sd = ns[g] > 1 ? sqrt(s / (double)(ns[g] - 1)) : NAN;
        groups[g].se = groups[g].sd / sqrt((double)ns[g]);
        ssw += s;
        double d = groups[g].mean - grand;
        ssb += (double)ns[g] * d * d;
    }
    if (!(ssw > 0))
        return egdi_error_set(err, EGDI_ERR_NUMERIC,
                              "every group is constant (zero variance within groups)");
    out->ss_between = ssb;
    out->ss_within = ssw;
    out->ss_total = ssb + ssw;
    out->df1 = (double)(k - 1);
    out->df2 = (double)(total - k);
    out->ms_between = ssb / out->df1;
    out->ms_within = ssw / out->df2;
    out->F = out->ms_between / out->ms_within;
    out->p = gsl_cdf_fdist_Q(out->F, out->df1, out->df2);
    out->eta2 = ssb / out->ss_total;
    return egdi_levene_compute(xs, ns, k, names, &out->levene, err);
}

egdi_status egdi_anova_welch(const egdi_group_stats *groups, size_t k, const char *const *names,
                             egdi_welch *out, egdi_error *err)
{
    out->F = out->df1 = out->df2 = out->p = NAN;
    if (k < 2)
        return egdi_error_set(err, EGDI_ERR_NUMERIC, "Welch's ANOVA needs at least two groups");
    double W = 0, wm = 0;
    for (size_t g = 0; g < k; g++) {
        const egdi_group_stats *s = &groups[g];
        if (s->n < 2 || !(s->sd > 0)) {
            char buf[32];
            const char *nm = names && names[g] ? names[g] : buf;
            snprintf(buf, sizeof buf, "group %zu", g + 1);
            return egdi_error_set(err, EGDI_ERR_NUMERIC,
                                  "%s has %s: Welch's ANOVA weighs each group by n / variance",
                                  nm, s->n < 2 ? "fewer than two answers" : "no variance");
        }
        double w = (double)s->n / (s->sd * s->sd);
        W += w;
        wm += w * s->mean;
    }
    wm /= W;
    double A = 0, L = 0, dk = (double)k;
    for (size_t g = 0; g < k; g++) {
        const egdi_group_stats *s = &groups[g];
        double w = (double)s->n / (s->sd * s->sd), u = 1 - w / W;
        A += w * (s->mean - wm) * (s->mean - wm);
        L += u * u / (double)(s->n - 1);
    }
    A /= dk - 1;
    L /= dk * dk - 1;
    out->F = A / (1 + 2 * (dk - 2) * L);
    out->df1 = dk - 1;
    out->df2 = 1 / (3 * L);
    out->p = gsl_cdf_fdist_Q(out->F, out->df1, out->df2);
    return EGDI_OK;
}
