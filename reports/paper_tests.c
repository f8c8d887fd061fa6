/*
 * paper_tests.c - the paper tables of group differences and regressions
 * (`egdi survey report --group COLUMN --regress "Y ~ X1 + X2"`, issue 17),
 * built from the statistics the survey commands print, nothing recomputed:
 *   - each scale score by the groups of a column (surveys/dataset.c
 *     egdi_dataset_categories and egdi_dataset_groups_by, as `egdi survey
 *     anova` splits them; egdi_dataset_groups of `egdi survey ttest` gives
 *     the same groups in the same order): two groups, the independent
 *     t-test (surveys/ttest.c egdi_ttest_independent: Student's row, or
 *     Welch's when Levene's p < .05 as its welch_selected says); more, the
 *     one-way ANOVA (surveys/anova.c egdi_anova_oneway);
 *   - a regression (surveys/regress.c egdi_regress_dataset, one block):
 *     its model summary and its coefficients.
 * One row per scale (group tests) or per coefficient; p in its own column
 * (the table's pcol), followed by its significance in the paper files.
 *
 * Memory: the tables, their headers and titles are kept with the bundle
 * (build_private.h); the working arrays are freed before returning.
 */
#include "reports/build_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/anova.h"
#include "surveys/regress.h"
#include "surveys/ttest.h"

#define PT_CONF 0.95 /* the confidence level of the regression's CIs */

/* err's message prefixed with what it is about. */
static egdi_status about(egdi_error *err, egdi_status st, const char *what)
{
    char msg[EGDI_ERR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->message);
    return egdi_error_set(err, st, "%s: %s", what, msg);
}

/* "LABEL M" / "LABEL SD" headers of group g, kept with b. */
static const char *group_header(report_keep *b, const char *label, const char *stat)
{
    char h[300];
    snprintf(h, sizeof h, "%s %s", label, stat);
    return report_keep_dup(b, h);
}

egdi_status report_build_group_table(report_keep *b, const egdi_dataset *ds,
                                     const char *column, egdi_report_lang lang,
                                     egdi_report_table *t, egdi_error *err)
{
    bool en = lang == EGDI_REPORT_EN;
    char what[300];
    snprintf(what, sizeof what, "--group %s", column);
    if (!ds->nscales)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "%s: the survey has no scales (dimensions) to compare; give "
                              "--scales FILE",
                              what);
    size_t gcol;
    egdi_status rc = egdi_dataset_find(ds, column, &gcol, err);
    if (rc != EGDI_OK)
        return rc;
    egdi_categories cat;
    if ((rc = egdi_dataset_categories(ds, gcol, &cat, err)) != EGDI_OK)
        return about(err, rc, what);
    size_t S = ds->nscales, k = 0, ncols = 0;
    const char **levels = NULL, **h = NULL;
    egdi_report_cell *c = NULL;
    double *y = NULL;
    egdi_group_stats *gs = NULL;
    egdi_groups g = {0};
    bool have_g = false;
    for (size_t s = 0; s < S; s++) {
        if ((rc = egdi_dataset_variable(ds, ds->scale[s].name, &y, err)) != EGDI_OK)
            goto fail;
        /* the first scale's groups fix the levels and their order */
        rc = egdi_dataset_groups_by(ds, &cat, y, s ? levels : NULL, k, &g, err);
        free(y);
        y = NULL;
        if (rc != EGDI_OK)
            goto fail;
        have_g = true;
        if (s == 0) {
            k = g.k;
            if (k < 2 || k > EGDI_REPORT_MAX_LEVELS) {
                rc = egdi_error_set(err, EGDI_ERR_ARG,
                                    "%s has %zu groups with answers; a group test compares 2 to "
                                    "%d",
                                    what, k, EGDI_REPORT_MAX_LEVELS);
                goto fail;
            }
            levels = report_keep_alloc(b, k, sizeof *levels);
            ncols = k == 2 ? 11 : 2 + 2 * k + 6;
            h = report_keep_alloc(b, ncols, sizeof *h);
            gs = calloc(k, sizeof *gs);
            char title[512];
            if (k == 2)
                snprintf(title, sizeof title,
                         en ? "Scale scores by %s: independent samples t-test (%s vs %s)"
                            : "不同%s的量表得分差异（独立样本 t 检验：%s 与 %s）",
                         column, g.label[0], g.label[1]);
            else
                snprintf(title, sizeof title,
                         en ? "Scale scores by %s: one-way ANOVA (%zu groups)"
                            : "不同%s的量表得分差异（单因素方差分析，%zu 组）",
                         column, k);
            c = levels && h && gs
                    ? report_keep_table(b, t, report_keep_dup(b, title), ncols, h, S, 3)
                    : NULL;
            if (!c || !t->title) {
                rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                goto fail;
            }
            h[0] = en ? "scale" : "维度";
            h[1] = "N";
            for (size_t l = 0; l < k; l++) {
                levels[l] = report_keep_dup(b, g.label[l]);
                h[2 + 2 * l] = group_header(b, g.label[l], en ? "M" : "均值");
                h[3 + 2 * l] = group_header(b, g.label[l], en ? "SD" : "标准差");
                if (!levels[l] || !h[2 + 2 * l] || !h[3 + 2 * l]) {
                    rc = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
                    goto fail;
                }
            }
            size_t at = 2 + 2 * k;
            h[at++] = en ? "Levene p" : "Levene 检验 p";
            if (k == 2) {
                h[at++] = "t";
                h[at++] = "df";
                h[at++] = "p";
                h[at++] = "Cohen's d";
            } else {
                h[at++] = "F";
                h[at++] = "df1";
                h[at++] = "df2";
                h[at++] = "p";
                h[at++] = "η²";
            }
            t->pcol = (int)ncols - 1;
        }
        egdi_report_cell *row = c + s * ncols;
        char sw[600];
        snprintf(sw, sizeof sw, "%s by %s", ds->scale[s].name, column);
        row[0] = report_cell_text(ds->scale[s].name);
        row[1] = report_cell_count((double)g.n_used);
        if (g.k != k) { /* cannot happen: the levels were given */
            rc = egdi_error_set(err, EGDI_ERR_NUMERIC, "%s: the groups differ between scales",
                                what);
            goto fail;
        }
        if (k == 2) {
            egdi_ttest_ind tt;
            if ((rc = egdi_ttest_independent(g.x[0], g.n[0], g.x[1], g.n[1], 0.95,
                                             (const char *const *)g.label, &tt, err)))
                goto stat_fail;
            const egdi_trow *r = tt.welch_selected ? &tt.welch : &tt.student;
            row[2] = report_cell_num(tt.mean1);
            row[3] = report_cell_num(tt.sd1);
            row[4] = report_cell_num(tt.mean2);
            row[5] = report_cell_num(tt.sd2);
            row[6] = report_cell_num(tt.levene.p);
            row[7] = report_cell_num(r->t);
            row[8] = tt.welch_selected ? report_cell_num(r->df) : report_cell_count(r->df);
            row[9] = report_cell_num(r->p);
            row[10] = report_cell_num(tt.d);
        } else {
            egdi_anova a;
            if ((rc = egdi_anova_oneway((const double *const *)g.x, g.n, k,
                                        (const char *const *)g.label, &a, gs, err)))
                goto stat_fail;
            for (size_t l = 0; l < k; l++) {
                row[2 + 2 * l] = report_cell_num(gs[l].mean);
                row[3 + 2 * l] = report_cell_num(gs[l].sd);
            }
            size_t at = 2 + 2 * k;
            row[at++] = report_cell_num(a.levene.p);
            row[at++] = report_cell_num(a.F);
            row[at++] = report_cell_count(a.df1);
            row[at++] = report_cell_count(a.df2);
            row[at++] = report_cell_num(a.p);
            row[at++] = report_cell_num(a.eta2);
        }
        egdi_dataset_groups_release(&g);
        have_g = false;
        continue;
    stat_fail:
        rc = about(err, rc, sw);
        goto fail;
    }
    t->note = k == 2 ? (en ? "M and SD of each group; N: the rows with the scale score and a "
                             "group. t, df and p are Student's (equal variances) when Levene's "
                             "p >= .05, else Welch's (df with decimals), as egdi survey ttest "
                             "prints both rows; Cohen's d with the pooled SD."
                           : "各组均值与标准差；N 为有该维度得分与分组的样本数。Levene 检验 p ≥ .05 时 "
                             "t、df、p 取假定等方差（Student）一行，否则取不假定等方差（Welch，"
                             "df 带小数）一行，与 egdi survey ttest 所列两行一致；Cohen's d 以合并标准差计。")
                     : (en ? "M and SD of each group; N: the rows with the scale score and a "
                             "group. One-way ANOVA: F, df and p; η² = SS between / SS total. "
                             "Post-hoc comparisons: egdi survey anova --posthoc tukey."
                           : "各组均值与标准差；N 为有该维度得分与分组的样本数。单因素方差分析的 F、df、p；"
                             "η² = 组间平方和 / 总平方和。事后多重比较：egdi survey anova --posthoc tukey。");
    egdi_categories_release(&cat);
    free(gs);
    return EGDI_OK;
fail:
    if (have_g)
        egdi_dataset_groups_release(&g);
    egdi_categories_release(&cat);
    free(gs);
    free(y);
    return rc;
}

egdi_status report_build_regression_tables(report_keep *b, const egdi_dataset *ds,
                                           const egdi_report_regression *m,
                                           egdi_report_lang lang, egdi_report_table t[2],
                                           egdi_error *err)
{
    bool en = lang == EGDI_REPORT_EN;
    char what[300];
    snprintf(what, sizeof what, "--regress %s", m->y ? m->y : "");
    if (!m->y || !m->nx || !m->x)
        return egdi_error_set(err, EGDI_ERR_ARG, "%s: a regression needs Y and predictors", what);
    egdi_reg_term *terms = calloc(m->nx, sizeof *terms);
    if (!terms)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    for (size_t j = 0; j < m->nx; j++)
        terms[j] = (egdi_reg_term){m->x[j], false, NULL};
    const egdi_reg_term *blocks[1] = {terms};
    size_t nterms[1] = {m->nx};
    egdi_regression r;
    egdi_status rc = egdi_regress_dataset(ds, m->y, blocks, nterms, 1, PT_CONF, &r, err);
    free(terms);
    if (rc != EGDI_OK)
        return about(err, rc, what);
    const egdi_reg_model *md = &r.model[0];
    static const char *const h1_zh[10] = {"N", "R", "R²", "调整后 R²", "标准估计误差",
                                          "F", "df1", "df2", "p", "Durbin-Watson"};
    static const char *const h1_en[10] = {"N", "R", "R²", "adj. R²", "SE of estimate",
                                          "F", "df1", "df2", "p", "Durbin-Watson"};
    static const char *const h2_zh[10] = {"变量", "B", "标准误", "Beta", "t",
                                          "p", "95% CI 下限", "95% CI 上限", "容差", "VIF"};
    static const char *const h2_en[10] = {"variable", "B", "SE", "Beta", "t",
                                          "p", "95% CI low", "95% CI high", "tolerance", "VIF"};
    char title[600];
    snprintf(title, sizeof title, en ? "Regression of %s: model summary" : "回归分析模型摘要（因变量：%s）",
             r.y);
    egdi_report_cell *c =
        report_keep_table(b, &t[0], report_keep_dup(b, title), 10, en ? h1_en : h1_zh, 1, 3);
    snprintf(title, sizeof title, en ? "Regression of %s: coefficients" : "回归分析结果（因变量：%s）",
             r.y);
    egdi_report_cell *d = c ? report_keep_table(b, &t[1], report_keep_dup(b, title), 10,
                                                 en ? h2_en : h2_zh, md->q + 1, 3)
                            : NULL;
    if (!c || !d || !t[0].title || !t[1].title) {
        egdi_regression_release(&r);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    }
    c[0] = report_cell_count((double)r.n);
    c[1] = report_cell_num(md->r);
    c[2] = report_cell_num(md->r2);
    c[3] = report_cell_num(md->adj_r2);
    c[4] = report_cell_num(md->se_est);
    c[5] = report_cell_num(md->F);
    c[6] = report_cell_count(md->df_reg);
    c[7] = report_cell_count(md->df_res);
    c[8] = report_cell_num(md->p_F);
    c[9] = report_cell_num(md->dw);
    t[0].pcol = 9;
    t[0].note = en ? "OLS, all predictors entered together; N: the rows with every value "
                     "(listwise); as egdi survey regress."
                   : "普通最小二乘，自变量一并进入（Enter）；N 为各变量均有值的样本数（列表删除）；"
                     "与 egdi survey regress 一致。";
    for (size_t q = 0; q <= md->q; q++) {
        const egdi_reg_coef *co = &md->coef[q];
        egdi_report_cell *row = d + q * 10;
        char nm[600];
        if (!co->name)
            snprintf(nm, sizeof nm, "%s", en ? "(constant)" : "(常量)");
        else if (co->ref)
            snprintf(nm, sizeof nm, "%s (%s %s)", co->name, en ? "vs" : "参照:", co->ref);
        else
            snprintf(nm, sizeof nm, "%s", co->name);
        const char *kept = report_keep_dup(b, nm);
        if (!kept) {
            egdi_regression_release(&r);
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        }
        row[0] = report_cell_text(kept);
        row[1] = report_cell_num(co->b);
        row[2] = report_cell_num(co->se);
        row[3] = report_cell_num(co->beta);
        row[4] = report_cell_num(co->t);
        row[5] = report_cell_num(co->p);
        row[6] = report_cell_num(co->ci_lo);
        row[7] = report_cell_num(co->ci_hi);
        row[8] = report_cell_num(co->tolerance);
        row[9] = report_cell_num(co->vif);
    }
    t[1].pcol = 6;
    t[1].note = en ? "B unstandardized with its SE; Beta standardized; p two-sided; a "
                     "column of text enters as dummy variables against its first category."
                   : "B 为非标准化系数，Beta 为标准化系数；p 为双尾；文本列以虚拟变量进入，以第一个类别为参照。";
    egdi_regression_release(&r);
    return EGDI_OK;
}
