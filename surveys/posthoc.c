/*
 * posthoc.c - post-hoc multiple comparisons (posthoc.h): each pair's
 * difference, standard error, statistic, p and CI by the formulas of the
 * header; t and F from GSL, the studentized range from surveys/tukey.c.
 * The result owns its array of pairs.
 */
#include "surveys/posthoc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "surveys/ttest.h"

static const char *const method_name[EGDI_POSTHOC_COUNT] = {
    "lsd", "bonferroni", "tukey", "scheffe", "games-howell",
};

const char *egdi_posthoc_name(egdi_posthoc_method m)
{
    return m < EGDI_POSTHOC_COUNT ? method_name[m] : "?";
}

bool egdi_posthoc_from_name(const char *name, size_t len, egdi_posthoc_method *m)
{
    for (int k = 0; k < EGDI_POSTHOC_COUNT; k++)
        if (strlen(method_name[k]) == len && strncmp(method_name[k], name, len) == 0) {
            *m = (egdi_posthoc_method)k;
            return true;
        }
    return false;
}

bool egdi_posthoc_equal_var(egdi_posthoc_method m)
{
    return m != EGDI_POSTHOC_GAMES_HOWELL;
}

egdi_posthoc_method egdi_posthoc_fits(double levene_p)
{
    return levene_p < 0.05 ? EGDI_POSTHOC_GAMES_HOWELL : EGDI_POSTHOC_TUKEY;
}

void egdi_posthoc_release(egdi_posthoc *p)
{
    if (!p)
        return;
    free(p->pair);
    memset(p, 0, sizeof *p);
}

static const char *gname(const char *const *names, size_t g, char buf[32])
{
    if (names && names[g])
        return names[g];
    snprintf(buf, 32, "group %zu", g + 1);
    return buf;
}

egdi_status egdi_posthoc_compute(const egdi_group_stats *groups, size_t k,
                                 const char *const *names, double ms_within, double df_within,
                                 egdi_posthoc_method m, double conf, egdi_tukey_work *w,
                                 egdi_posthoc *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    if (k < 2)
        return egdi_error_set(err, EGDI_ERR_ARG, "post-hoc comparisons need two groups or more");
    if (!(conf > 0 && conf < 1))
        return egdi_error_set(err, EGDI_ERR_ARG, "the confidence level must be in (0, 1)");
    if (m >= EGDI_POSTHOC_COUNT)
        return egdi_error_set(err, EGDI_ERR_ARG, "unknown post-hoc method");
    if ((m == EGDI_POSTHOC_TUKEY || m == EGDI_POSTHOC_GAMES_HOWELL) && !w)
        return egdi_error_set(err, EGDI_ERR_ARG, "%s needs a studentized-range work area",
                              method_name[m]);
    size_t np = k * (k - 1) / 2;
    out->pair = calloc(np, sizeof *out->pair);
    if (!out->pair)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    out->method = m;
    out->k = k;
    out->npairs = np;
    out->conf = conf;
    double dk = (double)k, alpha = 1 - conf;
    double crit = NAN; /* the critical value shared by all pairs */
    egdi_status st = EGDI_OK;
    switch (m) {
    case EGDI_POSTHOC_LSD:
        crit = gsl_cdf_tdist_Qinv(alpha / 2, df_within);
        break;
    case EGDI_POSTHOC_BONFERRONI:
        crit = gsl_cdf_tdist_Qinv(alpha / (2 * (double)np), df_within);
        break;
    case EGDI_POSTHOC_SCHEFFE:
        crit = sqrt((dk - 1) * gsl_cdf_fdist_Qinv(alpha, dk - 1, df_within));
        break;
    case EGDI_POSTHOC_TUKEY:
        if ((st = egdi_tukey_quantile(w, alpha, dk, df_within, &crit, err)) != EGDI_OK)
            goto fail;
        crit /= M_SQRT2;
        break;
    default:
        break;
    }
    size_t t = 0;
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++, t++) {
            const egdi_group_stats *a = &groups[i], *b = &groups[j];
            egdi_posthoc_pair *pr = &out->pair[t];
            pr->i = i;
            pr->j = j;
            pr->diff = a->mean - b->mean;
            double na = (double)a->n, nb = (double)b->n;
            if (m == EGDI_POSTHOC_GAMES_HOWELL) {
                double va = a->sd * a->sd / na, vb = b->sd * b->sd / nb;
                pr->se = sqrt(va + vb);
                pr->df = (va + vb) * (va + vb) /
                         (va * va / (na - 1) + vb * vb / (nb - 1));
            } else {
                pr->se = sqrt(ms_within * (1 / na + 1 / nb));
                pr->df = df_within;
            }
            if (!(pr->se > 0) || !isfinite(pr->df)) {
                char b1[32], b2[32];
                st = egdi_error_set(err, EGDI_ERR_NUMERIC,
                                    "%s - %s: the difference has no standard error (no "
                                    "variance%s)",
                                    gname(names, i, b1), gname(names, j, b2),
                                    m == EGDI_POSTHOC_GAMES_HOWELL
                                        ? " in either group, or a group of one"
                                        : "");
                goto fail;
            }
            switch (m) {
            case EGDI_POSTHOC_LSD:
            case EGDI_POSTHOC_BONFERRONI: {
                egdi_trow row;
                egdi_trow_fill(pr->diff, pr->se, pr->df, conf, &row);
                pr->stat = row.t;
                pr->p = m == EGDI_POSTHOC_LSD ? row.p : fmin(1, row.p * (double)np);
                pr->ci_lo = pr->diff - crit * pr->se;
                pr->ci_hi = pr->diff + crit * pr->se;
                break;
            }
            case EGDI_POSTHOC_SCHEFFE:
                pr->stat = pr->diff * pr->diff / ((dk - 1) * pr->se * pr->se);
                pr->p = gsl_cdf_fdist_Q(pr->stat, dk - 1, pr->df);
                pr->ci_lo = pr->diff - crit * pr->se;
                pr->ci_hi = pr->diff + crit * pr->se;
                break;
            case EGDI_POSTHOC_TUKEY:
            case EGDI_POSTHOC_GAMES_HOWELL: {
                double c = crit;
                pr->stat = fabs(pr->diff) / (pr->se / M_SQRT2);
                if ((st = egdi_tukey_cdf(w, pr->stat, dk, pr->df, true, &pr->p, err)) !=
                    EGDI_OK)
                    goto fail;
                if (m == EGDI_POSTHOC_GAMES_HOWELL) {
                    if ((st = egdi_tukey_quantile(w, alpha, dk, pr->df, &c, err)) != EGDI_OK)
                        goto fail;
                    c /= M_SQRT2;
                }
                pr->ci_lo = pr->diff - c * pr->se;
                pr->ci_hi = pr->diff + c * pr->se;
                break;
            }
            default:
                break;
            }
        }
    return EGDI_OK;
fail:
    egdi_posthoc_release(out);
    return st;
}
