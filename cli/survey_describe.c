/*
 * survey_describe.c - `egdi survey describe`: per item n, missing, mean, sd,
 * min, max, skewness and kurtosis (SPSS type 2 by default, psych type 3
 * with --type 3; both in JSON), a frequency table per item with the answer
 * labels (--labels, or the stored survey's), and the response rate with
 * --issued N (surveys/descriptive.h: egdi_desc_items).  Every answer of an
 * item counts (no listwise deletion); "valid returns" are the rows that
 * answer every item.  Frequencies are of the answers as given; a
 * reverse-keyed item is marked (R) and its descriptives are of the reversed
 * answers (MIN + MAX - x), as every other subcommand analyses it.
 */
#include "cli/survey_cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/descriptive.h"

#define CMD SURVEY_CMD("describe")

enum { OPT_ISSUED, OPT_TYPE };

static const cli_option options[] = {
    {OPT_ISSUED, "issued", 0, "N",
     "response rate = valid / issued; valid = rows answering every item"},
    {OPT_TYPE, "type", 0, "2|3",
     "skewness/kurtosis in the table: 2 = SPSS/SAS/Excel (G1, G2; default, with SPSS's standard "
     "errors), 3 = R psych::describe's default (b1, b2); JSON has both"},
    {0, NULL, 0, NULL, NULL},
};

typedef struct {
    long issued;
    int type;
} desc_args;

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
    default:
        return 0;
    }
}

static json_t *desc_json(const egdi_dataset *ds, size_t col, const egdi_desc_item *it)
{
    const egdi_desc *d = &it->desc;
    const egdi_freq *f = &it->freq;
    json_t *j = json_object();
    json_object_set_new(j, "item", json_string(ds->col[col].name));
    json_object_set_new(j, "reversed", json_boolean(it->reversed));
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
        const char *l = egdi_answer_labels_text(&ds->labels, f->value[k]);
        if (e && l)
            json_object_set_new(e, "label", json_string(l));
        if (e && it->reversed)
            json_object_set_new(e, "scored",
                                cli_json_num(egdi_dataset_scored(ds, col, f->value[k])));
        json_array_append_new(fr, e);
    }
    json_object_set_new(j, "frequencies", fr);
    return j;
}

/* The item's name, with " (R)" when reverse-keyed. */
static int item_cell(cli_table *t, const egdi_dataset *ds, size_t col)
{
    return cli_table_cellf(t, "%s%s", ds->col[col].name, ds->col[col].reversed ? " (R)" : "");
}

static int print_tables(const survey_opts *o, const desc_args *a, const egdi_dataset *ds,
                        const egdi_desc_item *it, size_t complete)
{
    bool any_rev = false;
    for (size_t j = 0; j < ds->nitems; j++)
        any_rev = any_rev || it[j].reversed;
    const char *h[] = {SURVEY_L(o, "题项", "item"),   "N",
                       SURVEY_L(o, "缺失", "missing"), SURVEY_L(o, "均值", "mean"),
                       SURVEY_L(o, "标准差", "sd"),    SURVEY_L(o, "最小值", "min"),
                       SURVEY_L(o, "最大值", "max"),   SURVEY_L(o, "偏度", "skewness"),
                       SURVEY_L(o, "偏度标准误", "SE skew"),
                       SURVEY_L(o, "峰度", "kurtosis"),
                       SURVEY_L(o, "峰度标准误", "SE kurt")};
    char title[512];
    snprintf(title, sizeof title, "%s (%s; %s%s)",
             SURVEY_L(o, "描述统计", "Descriptive statistics"), ds->source,
             a->type == 2 ? SURVEY_L(o, "偏度/峰度: SPSS 类型 2", "skewness/kurtosis: SPSS, type 2")
                          : SURVEY_L(o, "偏度/峰度: psych 类型 3", "skewness/kurtosis: psych, type 3"),
             any_rev ? SURVEY_L(o, "; (R) 反向题: 统计量为反向计分后 (最小 + 最大 - x)",
                                "; (R) reverse-keyed: statistics of the reversed answers "
                                "(MIN + MAX - x)")
                     : "");
    cli_table *t = cli_table_new(title, 11, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 11; c++)
        cli_table_right(t, c);
    for (size_t j = 0; j < ds->nitems; j++) {
        const egdi_desc *d = &it[j].desc;
        item_cell(t, ds, ds->item[j]);
        cli_table_cellf(t, "%zu", d->n);
        cli_table_cellf(t, "%zu", d->missing);
        cli_table_num(t, d->mean, 3);
        cli_table_num(t, d->sd, 3);
        cli_table_num(t, d->min, 2);
        cli_table_num(t, d->max, 2);
        cli_table_num(t, a->type == 2 ? d->skew2 : d->skew3, 3);
        cli_table_num(t, a->type == 2 ? d->se_skew : NAN, 3);
        cli_table_num(t, a->type == 2 ? d->kurt2 : d->kurt3, 3);
        cli_table_num(t, a->type == 2 ? d->se_kurt : NAN, 3);
        cli_table_end_row(t);
    }
    int rc = survey_print_table(t, o, CMD, true);
    if (rc != CLI_OK)
        return rc;
    const char *fh[] = {SURVEY_L(o, "题项", "item"), SURVEY_L(o, "选项值", "value"),
                        SURVEY_L(o, "标签", "label"), SURVEY_L(o, "频数", "count"),
                        SURVEY_L(o, "百分比", "percent"),
                        SURVEY_L(o, "有效百分比", "valid percent")};
    t = cli_table_new(any_rev ? SURVEY_L(o, "频数分布 (选项值为原始作答; (R) 反向题)",
                                         "Frequencies (answers as given; (R) reverse-keyed)")
                              : SURVEY_L(o, "频数分布", "Frequencies"),
                      6, fh);
    if (!t)
        return cli_fail(CMD, "out of memory");
    cli_table_right(t, 1);
    for (size_t c = 3; c < 6; c++)
        cli_table_right(t, c);
    for (size_t j = 0; j < ds->nitems; j++) {
        const egdi_freq *f = &it[j].freq;
        for (size_t k = 0; k < f->k; k++) {
            item_cell(t, ds, ds->item[j]);
            cli_table_cellf(t, "%g", f->value[k]);
            cli_table_cell(t, egdi_answer_labels_text(&ds->labels, f->value[k]));
            cli_table_cellf(t, "%zu", f->count[k]);
            cli_table_num(t, 100.0 * (double)f->count[k] / (double)f->total, 1);
            cli_table_num(t, 100.0 * (double)f->count[k] / (double)f->valid, 1);
            cli_table_end_row(t);
        }
        if (f->total > f->valid) {
            item_cell(t, ds, ds->item[j]);
            cli_table_cell(t, SURVEY_L(o, "缺失", "missing"));
            cli_table_cell(t, NULL);
            cli_table_cellf(t, "%zu", f->total - f->valid);
            cli_table_num(t, 100.0 * (double)(f->total - f->valid) / (double)f->total, 1);
            cli_table_end_row(t);
        }
    }
    if ((rc = survey_print_table(t, o, CMD, false)) != CLI_OK || a->issued <= 0)
        return rc;
    const char *rh[] = {SURVEY_L(o, "发放", "issued"), SURVEY_L(o, "回收", "returned"),
                        SURVEY_L(o, "有效", "valid"), SURVEY_L(o, "回收率 %", "return rate %"),
                        SURVEY_L(o, "有效回收率 %", "valid rate %")};
    t = cli_table_new(SURVEY_L(o, "问卷回收情况", "Response rate"), 5, rh);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 0; c < 5; c++)
        cli_table_right(t, c);
    cli_table_cellf(t, "%ld", a->issued);
    cli_table_cellf(t, "%zu", ds->nrows);
    cli_table_cellf(t, "%zu", complete);
    cli_table_num(t, 100.0 * (double)ds->nrows / (double)a->issued, 1);
    cli_table_num(t, 100.0 * (double)complete / (double)a->issued, 1);
    cli_table_end_row(t);
    return survey_print_table(t, o, CMD, false);
}

static int print_json(const desc_args *a, const egdi_dataset *ds, const egdi_desc_item *it,
                      size_t complete)
{
    json_t *root = json_object();
    if (!root)
        return cli_fail(CMD, "out of memory");
    json_object_set_new(root, "source", json_string(ds->source));
    json_object_set_new(root, "n", json_integer((json_int_t)complete));
    json_object_set_new(root, "n_read", json_integer((json_int_t)ds->nrows));
    if (ds->have_scale)
        json_object_set_new(root, "answer_scale", json_pack("[oo]", cli_json_num(ds->scale_min),
                                                     cli_json_num(ds->scale_max)));
    json_t *items = json_array();
    for (size_t j = 0; j < ds->nitems; j++)
        json_array_append_new(items, desc_json(ds, ds->item[j], &it[j]));
    json_object_set_new(root, "items", items);
    if (a->issued > 0)
        json_object_set_new(
            root, "response",
            json_pack("{s:I,s:I,s:I,s:o,s:o}", "issued", (json_int_t)a->issued, "returned",
                      (json_int_t)ds->nrows, "valid", (json_int_t)complete, "return_rate",
                      cli_json_num((double)ds->nrows / (double)a->issued), "valid_rate",
                      cli_json_num((double)complete / (double)a->issued)));
    return survey_print_json(root, CMD);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    desc_args a = {0, 2};
    int rc = survey_getopt(argc, argv, &survey_cmd_describe, CMD, &o, handle, &a);
    if (rc != CLI_OK)
        return rc;
    egdi_dataset *ds = NULL;
    if ((rc = survey_open(&o, CMD, NULL, 0, &ds)) != CLI_OK)
        return rc;
    /* a column of text only (性别: 男/女) has no mean: say where its counts are */
    for (size_t j = 0; j < ds->nitems; j++) {
        const egdi_dataset_column *c = &ds->col[ds->item[j]];
        if (!c->has_value && c->bad_row) {
            rc = cli_fail(CMD, "%s holds text answers (\"%s\" on row %u), not numbers on a "
                               "scale: for its counts and percentages run 'egdi survey profile "
                               "--columns %s'",
                          c->name, c->bad_text ? c->bad_text : "", (unsigned)c->bad_row, c->name);
            egdi_dataset_free(ds);
            return rc;
        }
    }
    egdi_desc_item *it = calloc(ds->nitems, sizeof *it);
    size_t complete = 0;
    egdi_error err;
    egdi_error_clear(&err);
    if (!it)
        rc = cli_fail(CMD, "out of memory");
    else if (egdi_desc_items(ds, ds->item, ds->nitems, it, &complete, &err) != EGDI_OK)
        rc = survey_error(CMD, &err);
    else
        rc = o.fmt == CLI_JSON ? print_json(&a, ds, it, complete)
                               : print_tables(&o, &a, ds, it, complete);
    egdi_desc_items_release(it, it ? ds->nitems : 0);
    free(it);
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_describe = {
    .name = "describe",
    .run = run,
    .summary = "item descriptives, frequency tables, response rate",
    .usage = "--data FILE|--survey NAME [--issued N] [--type 2|3] [OPTIONS]",
    .options = options,
    .common = survey_common_options,
    .notes = "Every answer of an item counts (no listwise deletion). Frequency tables show the "
             "answers as given, with their labels; a reverse-keyed item is marked (R) and its "
             "mean, sd, min, max, skewness and kurtosis are of the reversed answers "
             "(MIN + MAX - x), the scale the other subcommands analyse.",
};
