/*
 * survey_describe.c - `egdi survey describe`: per item n, missing, mean, sd,
 * min, max, skewness and kurtosis (SPSS type 2 by default, psych type 3
 * with --type 3; both in JSON), a frequency table per item (value labels
 * from --labels "1=...,5=..."), and the
 * response rate with --issued N.  Every answer of an item counts (no
 * listwise deletion); "valid returns" are the rows that answer every item.
 */
#include "cli/survey_cli.h"
#include "cli/survey_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/descriptive.h"

#define CMD SURVEY_CMD("describe")

enum { OPT_ISSUED = 0x2000, OPT_TYPE, OPT_LABELS };

/* Most value labels in --labels. */
#define DESC_MAX_LABELS 64

typedef struct {
    long issued;
    int type;
    size_t nlabels;
    double value[DESC_MAX_LABELS];
    const char *label[DESC_MAX_LABELS];
    char buf[4096]; /* the --labels text, split in place */
} desc_args;

/* "1=非常不同意,2=不同意,..." into a->value / a->label. */
static int parse_labels(desc_args *a, const char *arg)
{
    int w = snprintf(a->buf, sizeof a->buf, "%s", arg);
    if (w < 0 || (size_t)w >= sizeof a->buf)
        return cli_usage(CMD, "--labels is too long");
    a->nlabels = 0;
    char *save = NULL;
    for (char *tok = strtok_r(a->buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        double v;
        if (eq)
            *eq = '\0';
        if (!eq || !cli_parse_double(tok, &v) || !eq[1])
            return cli_usage(CMD, "--labels wants VALUE=LABEL,... e.g. 1=disagree,5=agree");
        if (a->nlabels == DESC_MAX_LABELS)
            return cli_usage(CMD, "--labels: at most %d labels", DESC_MAX_LABELS);
        a->value[a->nlabels] = v;
        a->label[a->nlabels++] = eq + 1;
    }
    return 1;
}

static const char *label_of(const desc_args *a, double v)
{
    for (size_t k = 0; k < a->nlabels; k++)
        if (a->value[k] == v)
            return a->label[k];
    return NULL;
}

static int handle(int c, const char *arg, void *ud)
{
    desc_args *a = ud;
    long v;
    switch (c) {
    case OPT_ISSUED:
        if (!cli_parse_long(arg, 1, 1000000000L, &v))
            return cli_usage(CMD, "--issued wants a positive whole number, not '%s'", arg);
        a->issued = v;
        return 1;
    case OPT_TYPE:
        if (!cli_parse_long(arg, 2, 3, &v))
            return cli_usage(CMD, "--type wants 2 (SPSS) or 3 (psych), not '%s'", arg);
        a->type = (int)v;
        return 1;
    case OPT_LABELS:
        return parse_labels(a, arg);
    default:
        return 0;
    }
}

static json_t *desc_json(const char *item, const egdi_desc *d, const egdi_freq *f,
                         const desc_args *a)
{
    json_t *j = json_object();
    json_object_set_new(j, "item", json_string(item));
    json_object_set_new(j, "n", json_integer((json_int_t)d->n));
    json_object_set_new(j, "missing", json_integer((json_int_t)d->missing));
    json_object_set_new(j, "mean", cli_json_num(d->mean));
    json_object_set_new(j, "sd", cli_json_num(d->sd));
    json_object_set_new(j, "min", cli_json_num(d->min));
    json_object_set_new(j, "max", cli_json_num(d->max));
    json_object_set_new(j, "skewness", cli_json_num(d->skew2));
    json_object_set_new(j, "se_skewness", cli_json_num(d->se_skew));
    json_object_set_new(j, "kurtosis", cli_json_num(d->kurt2));
    json_object_set_new(j, "se_kurtosis", cli_json_num(d->se_kurt));
    json_object_set_new(j, "skewness_type3", cli_json_num(d->skew3));
    json_object_set_new(j, "kurtosis_type3", cli_json_num(d->kurt3));
    json_t *fr = json_array();
    for (size_t k = 0; k < f->k; k++) {
        json_t *e = json_pack("{s:o,s:I,s:o,s:o}", "value", cli_json_num(f->value[k]), "count",
                              (json_int_t)f->count[k], "percent",
                              cli_json_num(100.0 * (double)f->count[k] / (double)f->total),
                              "valid_percent",
                              cli_json_num(100.0 * (double)f->count[k] / (double)f->valid));
        const char *l = label_of(a, f->value[k]);
        if (e && l)
            json_object_set_new(e, "label", json_string(l));
        json_array_append_new(fr, e);
    }
    json_object_set_new(j, "frequencies", fr);
    return j;
}

int survey_cmd_describe(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option extra[] = {
        {"issued", required_argument, NULL, OPT_ISSUED},
        {"type", required_argument, NULL, OPT_TYPE},
        {"labels", required_argument, NULL, OPT_LABELS},
    };
    survey_opts o;
    survey_opts_init(&o, ctx);
    desc_args a;
    memset(&a, 0, sizeof a);
    a.type = 2;
    int rc = survey_getopt(argc, argv, extra, 3, &o, CMD, handle, &a);
    if (rc != CLI_OK)
        return rc;
    survey_opts all = o;
    all.pairwise = true; /* every answer of each item */
    survey_matrix m;
    if ((rc = survey_load_items(&all, ctx, CMD, &m)) != CLI_OK)
        return rc;
    egdi_desc *d = calloc(m.p, sizeof *d);
    egdi_freq *f = calloc(m.p, sizeof *f);
    cli_table *t = NULL;
    json_t *root = NULL;
    if (!d || !f) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    size_t complete = 0;
    for (size_t i = 0; i < m.n; i++) {
        bool ok = true;
        for (size_t j = 0; j < m.p && ok; j++)
            ok = !isnan(m.x[j * m.n + i]);
        complete += ok;
    }
    egdi_error err;
    egdi_error_clear(&err);
    for (size_t j = 0; j < m.p; j++) {
        if (egdi_desc_compute(m.x + j * m.n, m.n, &d[j], &err) != EGDI_OK ||
            egdi_freq_compute(m.x + j * m.n, m.n, &f[j], &err) != EGDI_OK) {
            rc = cli_fail(CMD, "item %s: %s", m.names[j], err.message);
            goto done;
        }
    }
    if (o.fmt == CLI_JSON) {
        root = json_object();
        json_object_set_new(root, "source", json_string(m.source));
        json_object_set_new(root, "n", json_integer((json_int_t)complete));
        json_object_set_new(root, "n_read", json_integer((json_int_t)m.n_read));
        json_t *items = json_array();
        for (size_t j = 0; j < m.p; j++)
            json_array_append_new(items, desc_json(m.names[j], &d[j], &f[j], &a));
        json_object_set_new(root, "items", items);
        if (a.issued > 0)
            json_object_set_new(
                root, "response",
                json_pack("{s:I,s:I,s:I,s:o,s:o}", "issued", (json_int_t)a.issued, "returned",
                          (json_int_t)m.n_read, "valid", (json_int_t)complete, "return_rate",
                          cli_json_num((double)m.n_read / (double)a.issued), "valid_rate",
                          cli_json_num((double)complete / (double)a.issued)));
        if (cli_json_print(root, stdout) != 0)
            rc = cli_fail(CMD, "cannot write the output");
        goto done;
    }
    const char *h[] = {SURVEY_L(&o, "题项", "item"),   "N",
                       SURVEY_L(&o, "缺失", "missing"), SURVEY_L(&o, "均值", "mean"),
                       SURVEY_L(&o, "标准差", "sd"),    SURVEY_L(&o, "最小值", "min"),
                       SURVEY_L(&o, "最大值", "max"),   SURVEY_L(&o, "偏度", "skewness"),
                       SURVEY_L(&o, "偏度标准误", "SE skew"),
                       SURVEY_L(&o, "峰度", "kurtosis"),
                       SURVEY_L(&o, "峰度标准误", "SE kurt")};
    char title[256];
    snprintf(title, sizeof title, "%s (%s; %s)", SURVEY_L(&o, "描述统计", "Descriptive statistics"),
             m.source,
             a.type == 2 ? SURVEY_L(&o, "偏度/峰度: SPSS 类型 2", "skewness/kurtosis: SPSS, type 2")
                         : SURVEY_L(&o, "偏度/峰度: psych 类型 3", "skewness/kurtosis: psych, type 3"));
    t = cli_table_new(title, 11, h);
    if (!t) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (size_t c = 1; c < 11; c++)
        cli_table_right(t, c);
    for (size_t j = 0; j < m.p; j++) {
        cli_table_cell(t, m.names[j]);
        cli_table_cellf(t, "%zu", d[j].n);
        cli_table_cellf(t, "%zu", d[j].missing);
        cli_table_num(t, d[j].mean, 3);
        cli_table_num(t, d[j].sd, 3);
        cli_table_num(t, d[j].min, 2);
        cli_table_num(t, d[j].max, 2);
        cli_table_num(t, a.type == 2 ? d[j].skew2 : d[j].skew3, 3);
        cli_table_num(t, a.type == 2 ? d[j].se_skew : NAN, 3);
        cli_table_num(t, a.type == 2 ? d[j].kurt2 : d[j].kurt3, 3);
        cli_table_num(t, a.type == 2 ? d[j].se_kurt : NAN, 3);
        cli_table_end_row(t);
    }
    rc = survey_print_table(t, &o, CMD, true);
    t = NULL;
    if (rc != CLI_OK)
        goto done;
    const char *fh[] = {SURVEY_L(&o, "题项", "item"), SURVEY_L(&o, "选项值", "value"),
                        SURVEY_L(&o, "标签", "label"), SURVEY_L(&o, "频数", "count"),
                        SURVEY_L(&o, "百分比", "percent"),
                        SURVEY_L(&o, "有效百分比", "valid percent")};
    t = cli_table_new(SURVEY_L(&o, "频数分布", "Frequencies"), 6, fh);
    if (!t) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    cli_table_right(t, 1);
    for (size_t c = 3; c < 6; c++)
        cli_table_right(t, c);
    for (size_t j = 0; j < m.p; j++) {
        for (size_t k = 0; k < f[j].k; k++) {
            cli_table_cell(t, m.names[j]);
            cli_table_cellf(t, "%g", f[j].value[k]);
            cli_table_cell(t, label_of(&a, f[j].value[k]));
            cli_table_cellf(t, "%zu", f[j].count[k]);
            cli_table_num(t, 100.0 * (double)f[j].count[k] / (double)f[j].total, 1);
            cli_table_num(t, 100.0 * (double)f[j].count[k] / (double)f[j].valid, 1);
            cli_table_end_row(t);
        }
        if (f[j].total > f[j].valid) {
            cli_table_cell(t, m.names[j]);
            cli_table_cell(t, SURVEY_L(&o, "缺失", "missing"));
            cli_table_cell(t, NULL);
            cli_table_cellf(t, "%zu", f[j].total - f[j].valid);
            cli_table_num(t, 100.0 * (double)(f[j].total - f[j].valid) / (double)f[j].total, 1);
            cli_table_end_row(t);
        }
    }
    rc = survey_print_table(t, &o, CMD, false);
    t = NULL;
    if (rc != CLI_OK || a.issued <= 0)
        goto done;
    const char *rh[] = {SURVEY_L(&o, "发放", "issued"), SURVEY_L(&o, "回收", "returned"),
                        SURVEY_L(&o, "有效", "valid"), SURVEY_L(&o, "回收率 %", "return rate %"),
                        SURVEY_L(&o, "有效回收率 %", "valid rate %")};
    t = cli_table_new(SURVEY_L(&o, "问卷回收情况", "Response rate"), 5, rh);
    if (!t) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < 5; c++)
        cli_table_right(t, c);
    cli_table_cellf(t, "%ld", a.issued);
    cli_table_cellf(t, "%zu", m.n_read);
    cli_table_cellf(t, "%zu", complete);
    cli_table_num(t, 100.0 * (double)m.n_read / (double)a.issued, 1);
    cli_table_num(t, 100.0 * (double)complete / (double)a.issued, 1);
    cli_table_end_row(t);
    rc = survey_print_table(t, &o, CMD, false);
    t = NULL;
done:
    cli_table_free(t);
    json_decref(root);
    if (f)
        for (size_t j = 0; j < m.p; j++)
            egdi_freq_free(&f[j]);
    free(f);
    free(d);
    survey_matrix_free(&m);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}
