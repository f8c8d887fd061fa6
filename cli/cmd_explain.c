/*
 * cmd_explain.c - `egdi explain UNIT --round YEAR [--model NAME]`: how a
 * unit's EGDI was built, from the stored run: every node from the root
 * down (catalogue order), with the raw value and the cell it came from
 * (file, sheet, row, column of the import) - or, for an indicator without
 * a value, the cell an import read as missing and why -, the rule and its
 * parameters,
 * the indicator score, the weight used within the parent, the
 * contribution to the parent, and how the node was scored (scored, given,
 * imputed, missing; for a region's sub-index the departments' and the
 * region's own parts).  Then EGDI, stage, coverage and rank.
 *
 * JSON: {"unit", "name", "kind", "round", "model", "model_version",
 * "model_hash", "egdi", "stage", "stage_name", "coverage", "rankable",
 * "rank", "nodes": [{"code", "name", "depth", "raw", "source": {"file",
 * "sheet", "row", "col"} | null, "missing": {"value", "reason"} | null,
 * "rule", "params", "score", "weight", "contribution", "status",
 * "departments", "own", "survey"}]}; "survey" (null unless the node is
 * computed from a survey): {"survey", "round", "scale", "items",
 * "statistic", "n", "value", "mean", "sd", "se", "state", "metric",
 * "used", "departments" {"value", "units"} | null, "own" {"n", "value"} |
 * null, "gates" {"respondents", "n", "min_n", "alpha", "min_alpha",
 * "item_analysis", "cr_min", "cr_failed", "kmo", "min_kmo", "failed"},
 * "note", "batches" [{"batch", "file", "imported_at"}]}.  The table view
 * prints the same under the table, a paragraph per survey indicator.
 *
 * --compare YEAR0 (issue 16; the function explain_compare below, apart
 * from the rest): the EGDI change from YEAR0 split into the model change,
 * each indicator's contribution (change in score x effective weight) and
 * re-weighting for missing values (indicators/change.c).  JSON: {"unit",
 * "name", "round", "compare_round", "model", "compare_model", "same_model",
 * "egdi", "compare_egdi", "compare_egdi_this_model", "change", "rank",
 * "compare_rank", "model_change", "indicators", "reweighting", "terms":
 * [{"code", "name", "part" ("indicator" | "departments"), "score",
 * "compare_score", "weight", "compare_weight", "indicator", "reweighting",
 * "imputed"}]} (docs/uncertainty.md).
 */
#include "cli/cli.h"
#include "engine/store/store.h"
#include "indicators/model.h"
#include "indicators/change.h"
#include "indicators/score_store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMD "explain"

/* "goalpost min=0 max=100 lower": the rule, its parameters, the direction. */
static void params_text(const egdi_node *n, char *buf, size_t size)
{
    char params[200];
    bool leaf = egdi_node_is_leaf(n);
    egdi_node_params_text(n, params, sizeof params);
    snprintf(buf, size, "%s%s%s%s", leaf ? egdi_rule_name(n->rule) : "", params[0] ? " " : "",
             params, leaf && n->direction < 0 ? " lower" : "");
}

/* ---- indicators computed from a survey ----------------------------------------- */

typedef struct {
    json_t *arr;        /* JSON: the batches */
    char *text;         /* table: "3 (file, time)" appended */
    size_t size;
} batch_sink;

static egdi_status on_survey_batch(void *ctx, int64_t id, const char *file,
                                   const char *imported_at, egdi_error *err)
{
    (void)err;
    batch_sink *k = ctx;
    if (k->arr)
        json_array_append_new(k->arr, json_pack("{s:I,s:s,s:s}", "batch", (json_int_t)id, "file",
                                                file, "imported_at", imported_at));
    else {
        size_t l = strlen(k->text);
        snprintf(k->text + l, k->size - l, cli_tr("%sbatch %lld (%s, %s)"),
                 l ? cli_tr("; ") : "", (long long)id, file, imported_at);
    }
    return EGDI_OK;
}

/* The unit's value of survey indicator node nj, with its gates (JSON), or
 * null for a node not computed from a survey. */
static json_t *survey_json(egdi_store *s, const egdi_score_explanation *ex, size_t nj)
{
    const egdi_survey_indicator *ind = egdi_survey_results_find(&ex->surveys, nj);
    if (!ind)
        return json_null();
    const egdi_survey_value *v = &ind->unit[ex->unit];
    json_t *o = json_object();
    json_object_set_new(o, "survey", json_string(ind->survey));
    json_object_set_new(o, "round", json_integer(ind->round));
    json_object_set_new(o, "scale", ind->scale ? json_string(ind->scale) : json_null());
    json_object_set_new(o, "items", ind->items ? json_string(ind->items) : json_null());
    json_object_set_new(o, "statistic", json_string(ind->statistic));
    json_object_set_new(o, "n", json_integer((json_int_t)v->n));
    json_object_set_new(o, "value", cli_json_num(v->value));
    json_object_set_new(o, "mean", cli_json_num(v->mean));
    json_object_set_new(o, "sd", cli_json_num(v->sd));
    json_object_set_new(o, "se", cli_json_num(v->se));
    static const char *const states[] = {"none", "value", "too_few", "gate"};
    json_object_set_new(o, "state", json_string(states[v->state < 4 ? v->state : 0]));
    json_object_set_new(o, "metric", cli_json_num(v->metric));
    json_object_set_new(o, "used", v->used == EGDI_USED_SURVEY   ? json_string("survey")
                                   : v->used == EGDI_USED_METRIC ? json_string("metric")
                                                                 : json_null());
    json_object_set_new(o, "departments",
                        isnan(v->dept_value) && !v->dept_units
                            ? json_null()
                            : json_pack("{s:o,s:I}", "value", cli_json_num(v->dept_value),
                                        "units", (json_int_t)v->dept_units));
    json_object_set_new(o, "own",
                        ex->round.in.units[ex->unit].kind == EGDI_UNIT_REGION
                            ? json_pack("{s:I,s:o}", "n", (json_int_t)v->own_n, "value",
                                        cli_json_num(v->own_value))
                            : json_null());
    json_object_set_new(
        o, "gates",
        json_pack("{s:I,s:I,s:I,s:o,s:o,s:b,s:o,s:o,s:o,s:o,s:o}", "respondents",
                  (json_int_t)ind->respondents, "n", (json_int_t)ind->gate_n, "min_n",
                  (json_int_t)ind->min_n, "alpha", cli_json_num(ind->alpha), "min_alpha",
                  cli_json_num(ind->min_alpha), "item_analysis", ind->item_check, "cr_min",
                  cli_json_num(ind->cr_min), "cr_failed",
                  ind->cr_failed ? json_string(ind->cr_failed) : json_null(), "kmo",
                  cli_json_num(ind->kmo), "min_kmo", cli_json_num(ind->min_kmo), "failed",
                  ind->failed ? json_string(ind->failed) : json_null()));
    json_object_set_new(o, "note", ind->note ? json_string(ind->note) : json_null());
    batch_sink bs = {json_array(), NULL, 0};
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_survey_batches_each(s, v->batches, on_survey_batch, &bs, &err))
        cli_report(CMD, &err);
    json_object_set_new(o, "batches", bs.arr);
    return o;
}

/* "0.828 >= 0.70" / "not checked" for a gate figure. */
static const char *gate_text(double v, double min, char *buf, size_t size)
{
    if (isnan(v))
        snprintf(buf, size, "%s", cli_tr("not computed"));
    else if (isnan(min))
        snprintf(buf, size, cli_tr("%.3f (not checked)"), v);
    else
        snprintf(buf, size, "%.3f %s %.2f", v, v >= min ? ">=" : "<", min);
    return buf;
}

/* The unit's survey indicators under the table. */
static void print_surveys(egdi_store *s, const egdi_score_explanation *ex, cli_lang lang)
{
    const egdi_model *m = ex->round.model;
    const egdi_round_input *in = &ex->round.in;
    size_t u = ex->unit;
    bool region = in->units[u].kind == EGDI_UNIT_REGION;
    for (size_t i = 0; i < ex->surveys.n; i++) {
        const egdi_survey_indicator *ind = &ex->surveys.v[i];
        const egdi_node *n = &m->nodes[ind->node];
        const egdi_survey_value *v = &ind->unit[u];
        printf(cli_tr("\n%s %s: from survey %s, round %d"), n->code,
               lang == CLI_EN ? n->name_en : n->name_zh, ind->survey, ind->round);
        if (ind->note) {
            printf(cli_tr("\n  no survey value: %s\n"), ind->note);
            continue;
        }
        printf(cli_tr(", %s%s%s(%s), statistic %s\n"), ind->scale ? cli_tr("scale ") : cli_tr("items "),
               ind->scale ? ind->scale : "", ind->scale ? " " : "", ind->items ? ind->items : "",
               ind->statistic);
        if (region && (v->dept_units || v->own_n)) {
            if (v->dept_units)
                printf(cli_tr("  region: departments %.4f (%zu with a value)"), v->dept_value,
                       v->dept_units);
            else
                printf("%s", cli_tr("  region: departments none with a value"));
            printf(cli_tr(", its own respondents %zu"), v->own_n);
            if (!isnan(v->own_value))
                printf(cli_tr(" (%.4f)"), v->own_value);
            printf(cli_tr("; combined as %g x departments + %g x own\n"), m->region_share,
                   1 - m->region_share);
        }
        if (v->n == 0)
            printf(cli_tr("  no respondent rates %s\n"), in->codes[u]);
        else if (region && v->state == EGDI_SURVEY_VALUE)
            printf(cli_tr("  n = %zu respondents, value %.4f, SE %.4f\n"), v->n, v->value, v->se);
        else {
            printf(cli_tr("  n = %zu respondents, mean %.4f"), v->n, v->mean);
            if (!isnan(v->sd))
                printf(cli_tr(", SD %.4f, SE %.4f"), v->sd, v->se);
            if (strcmp(ind->statistic, "mean") != 0 && !isnan(v->value))
                printf("; %s %.2f%%", ind->statistic, v->value);
            printf("\n");
        }
        char a[64], k[64];
        printf(cli_tr("  gates (%zu respondents answering every item): alpha %s; "), ind->gate_n,
               gate_text(ind->alpha, ind->min_alpha, a, sizeof a));
        if (!ind->item_check)
            printf(cli_tr("item analysis not checked"));
        else if (ind->cr_failed)
            printf(cli_tr("item analysis: %s fail"), ind->cr_failed);
        else
            printf(cli_tr("item analysis: every item passes (lowest CR %.2f)"), ind->cr_min);
        printf(cli_tr("; KMO %s; at least %zu respondents per unit\n"),
               gate_text(ind->kmo, ind->min_kmo, k, sizeof k), ind->min_n);
        if (ind->failed)
            printf(cli_tr("  failed: %s\n"), ind->failed);
        if (v->state == EGDI_SURVEY_FEW && cli_lang_now() == CLI_ZH)
            printf("  %zu 名受访者，少于 %zu 名：无问卷值\n", v->n, ind->min_n);
        else if (v->state == EGDI_SURVEY_FEW)
            printf("  %zu respondent%s, fewer than %zu: no survey value\n", v->n,
                   v->n == 1 ? "" : "s", ind->min_n);
        if (!isnan(v->metric))
            printf(cli_tr(v->used == EGDI_USED_METRIC
                              ? "  a metric was imported for %s too (%.6g): the metric's value "
                                "is used (the model's conflict rule)\n"
                              : "  a metric was imported for %s too (%.6g): the survey's value "
                                "is used (the model's conflict rule)\n"),
                   in->codes[u], v->metric);
        char text[2048] = "";
        batch_sink bs = {NULL, text, sizeof text};
        egdi_error err;
        egdi_error_clear(&err);
        if (egdi_survey_batches_each(s, v->batches, on_survey_batch, &bs, &err))
            cli_report(CMD, &err);
        if (text[0])
            printf(cli_tr("  imports: %s\n"), text);
    }
}

enum { OPT_ROUND, OPT_MODEL, OPT_FORMAT, OPT_LANG, OPT_COMPARE };

static const cli_option options[] = {
    {OPT_ROUND, "round", 0, "YEAR", "the scored round"},
    {OPT_MODEL, "model", 0, "NAME|FILE", "the model's run (default: the latest run)"},
    {OPT_FORMAT, "format", 0, "table|csv|json", "the output (default table)"},
    {OPT_LANG, "lang", 0, "zh|en", "the names of indicators and stages (default zh)"},
    {OPT_COMPARE, "compare", 0, "YEAR",
     "split the EGDI change since YEAR into the model change, each indicator's contribution and "
     "re-weighting for missing values"},
    {0, NULL, 0, NULL, NULL},
};

/* One part of the EGDI change: "  label   +1.23 (why)", the labels in one
 * column whatever their language. */
static void change_part(const char *label, int dg, double v, const char *why)
{
    size_t w = cli_text_width(label);
    printf("  %s%*s%+.*f", label, (int)(w < 27 ? 27 - w : 1), "", dg, v);
    printf(cli_tr(" (%s)\n"), why);
}

/* ---- --compare (issue 16) ------------------------------------------------ */

static const char *term_name(const egdi_model *m, const egdi_change_term *t, cli_lang lang,
                             char *buf, size_t size)
{
    const egdi_node *n = &m->nodes[t->node];
    const char *name = lang == CLI_EN ? n->name_en : n->name_zh;
    if (t->departments)
        snprintf(buf, size, "%s (%s)", name, lang == CLI_EN ? "its departments" : "所辖部门");
    else
        snprintf(buf, size, "%s", name);
    return buf;
}

static int explain_compare(egdi_store *s, const char *code, long round, long round0,
                           const char *model, cli_format fmt, cli_lang lang)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_change_explained e;
    if (egdi_change_explain(s, code, (int)round, (int)round0, model, &e, &err))
        return cli_report(CMD, &err);
    const egdi_model *m = e.cur.model, *m0 = e.prev.model;
    const egdi_change_unit *x = &e.unit;
    const egdi_round_input *in = &e.cur.in;
    int dg = m->digits, rc = 0;
    char name[512];
    if (fmt == CLI_JSON) {
        json_t *j = json_object();
        json_object_set_new(j, "unit", json_string(code));
        json_object_set_new(j, "name", in->names[x->unit] ? json_string(in->names[x->unit])
                                                          : json_null());
        json_object_set_new(j, "round", json_integer(round));
        json_object_set_new(j, "compare_round", json_integer(round0));
        json_object_set_new(j, "model", json_string(m->hash));
        json_object_set_new(j, "compare_model", json_string(m0->hash));
        json_object_set_new(j, "same_model", json_boolean(egdi_change_same_model(e.change)));
        json_object_set_new(j, "egdi", cli_json_num(x->egdi1));
        json_object_set_new(j, "compare_egdi", cli_json_num(x->egdi0));
        json_object_set_new(j, "compare_egdi_this_model", cli_json_num(x->egdi0_model));
        json_object_set_new(j, "change", cli_json_num(x->egdi1 - x->egdi0));
        json_object_set_new(j, "rank", e.rank1 > 0 ? json_integer(e.rank1) : json_null());
        json_object_set_new(j, "compare_rank", e.rank0 > 0 ? json_integer(e.rank0) : json_null());
        json_object_set_new(j, "model_change", cli_json_num(x->model));
        json_object_set_new(j, "indicators", cli_json_num(x->indicators));
        json_object_set_new(j, "reweighting", cli_json_num(x->reweighting));
        json_t *arr = json_array();
        for (size_t i = 0; i < x->nterms; i++) {
            const egdi_change_term *t = &x->terms[i];
            json_t *o = json_object();
            json_object_set_new(o, "code", json_string(m->nodes[t->node].code));
            json_object_set_new(o, "name", json_string(term_name(m, t, lang, name, sizeof name)));
            json_object_set_new(o, "part", json_string(t->departments ? "departments"
                                                                      : "indicator"));
            json_object_set_new(o, "score", cli_json_num(t->score1));
            json_object_set_new(o, "compare_score", cli_json_num(t->score0));
            json_object_set_new(o, "weight", cli_json_num(t->weight1));
            json_object_set_new(o, "compare_weight", cli_json_num(t->weight0));
            json_object_set_new(o, "indicator", cli_json_num(t->indicator));
            json_object_set_new(o, "reweighting", cli_json_num(t->reweight));
            json_object_set_new(o, "imputed", json_boolean(t->imputed));
            json_array_append_new(arr, o);
        }
        json_object_set_new(j, "terms", arr);
        rc = cli_json_print(j, stdout);
        json_decref(j);
    } else {
        char h5[32], h6[32], h7[32], h8[32];
        snprintf(h5, sizeof h5, cli_trv(fmt, "score %ld"), round0);
        snprintf(h6, sizeof h6, cli_trv(fmt, "score %ld"), round);
        snprintf(h7, sizeof h7, cli_trv(fmt, "weight %ld"), round0);
        snprintf(h8, sizeof h8, cli_trv(fmt, "weight %ld"), round);
        const char *h[] = {"indicator", "name", h5, h6, h7, h8, "contribution", "re-weighting"};
        char title[512];
        snprintf(title, sizeof title, cli_trv(fmt, "%s %s: EGDI %ld -> %ld, model %s %s"), code,
                 in->names[x->unit] ? in->names[x->unit] : "", round0, round, m->name,
                 m->version);
        cli_table *t = cli_table_new(title, 8, h);
        if (!t) {
            egdi_change_explained_release(&e);
            return cli_fail(CMD, "out of memory");
        }
        for (size_t c = 2; c < 8; c++)
            cli_table_right(t, c);
        for (size_t i = 0; i < x->nterms; i++) {
            const egdi_change_term *te = &x->terms[i];
            cli_table_cell(t, m->nodes[te->node].code);
            cli_table_cellf(t, "%s%s", term_name(m, te, lang, name, sizeof name),
                            te->imputed ? (lang == CLI_EN ? " (imputed)" : "（插补）") : "");
            cli_table_num(t, te->score0, dg);
            cli_table_num(t, te->score1, dg);
            cli_table_num(t, te->weight0 != 0 ? te->weight0 : NAN, 4);
            cli_table_num(t, te->weight1 != 0 ? te->weight1 : NAN, 4);
            if (fmt == CLI_TABLE) {
                cli_table_cellf(t, "%+.*f", dg, te->indicator);
                cli_table_cellf(t, "%+.*f", dg, te->reweight);
            } else {
                cli_table_cellf(t, "%.17g", te->indicator);
                cli_table_cellf(t, "%.17g", te->reweight);
            }
            cli_table_end_row(t);
        }
        rc = cli_table_print(t, stdout, fmt);
        cli_table_free(t);
        if (fmt == CLI_TABLE && rc == 0) {
            printf(cli_tr("\nEGDI %.*f (%ld) -> %.*f (%ld): %+.*f"), dg, x->egdi0, round0, dg,
                   x->egdi1, round, dg, x->egdi1 - x->egdi0);
            if (e.rank0 > 0 && e.rank1 > 0)
                printf(cli_tr("; rank %ld -> %ld"), e.rank0, e.rank1);
            printf("\n");
            char why[512];
            if (egdi_change_same_model(e.change))
                snprintf(why, sizeof why, cli_tr("both rounds scored with %s %s"), m->name,
                         m->version);
            else
                snprintf(why, sizeof why, cli_tr("%ld scored with %s %s instead of %s %s: %.*f"),
                         round0, m->name, m->version, m0->name, m0->version, dg,
                         x->egdi0_model);
            change_part(cli_tr("model change"), dg,
                        egdi_change_same_model(e.change) ? 0.0 : x->model, why);
            change_part(cli_lang_now() == CLI_ZH ? "指标变化" : "indicators", dg, x->indicators,
                        cli_tr("change in score x mean effective weight"));
            change_part(cli_tr("re-weighting for missing"), dg, x->reweighting,
                        cli_tr("change in effective weight x mean score"));
        }
    }
    egdi_change_explained_release(&e);
    if (rc != 0)
        return cli_fail(CMD, "cannot write the output");
    return cli_finish_output(CMD);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    long round = 0, compare = 0;
    const char *model = NULL;
    cli_format fmt = CLI_TABLE;
    cli_lang lang = ctx->lang;
    cli_getopt g;
    const char *arg;
    int c;
    if (cli_getopt_init(&g, CMD, options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        switch (c) {
        case OPT_ROUND:
            if (!cli_parse_long(arg, 1900, 9999, &round))
                return cli_usage(CMD, "bad --round '%s'", arg);
            break;
        case OPT_MODEL:
            model = arg;
            break;
        case OPT_FORMAT:
            if (!cli_parse_format(arg, &fmt))
                return cli_usage(CMD, "bad --format '%s'", arg);
            break;
        case OPT_LANG:
            if (!cli_parse_lang(arg, &lang))
                return cli_usage(CMD, "bad --lang '%s'", arg);
            break;
        case OPT_COMPARE:
            if (!cli_parse_long(arg, 1900, 9999, &compare))
                return cli_usage(CMD, "bad --compare '%s'", arg);
            break;
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind + 1 != argc)
        return cli_usage(CMD, "needs one unit code");
    if (!round)
        return cli_usage(CMD, "needs --round YEAR");
    const char *code = argv[optind];
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s = NULL;
    egdi_score_explanation ex;
    memset(&ex, 0, sizeof ex);
    json_t *j = NULL;
    cli_table *t = NULL;
    size_t *stack = NULL;
    int rc = CLI_OK;
    if (compare) {
        if (compare == round)
            return cli_usage(CMD, "--compare names the round itself");
        if (egdi_store_open(&s, ctx->db_path, EGDI_STORE_READONLY, &err))
            rc = cli_report(CMD, &err);
        else
            rc = explain_compare(s, code, round, compare, model, fmt, lang);
        egdi_store_close(s);
        return rc;
    }
    if (egdi_store_open(&s, ctx->db_path, EGDI_STORE_READONLY, &err) ||
        egdi_score_explain(s, (int)round, model, code, &ex, &err)) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    const egdi_model *m = ex.round.model;
    const egdi_round_input *in = &ex.round.in;
    const egdi_score_result *r = ex.round.result;
    size_t u = ex.unit, N = m->nnodes;
    long myrank = ex.rank;
    long stg = r->stage[u];
    const char *stage_name = stg >= 0 ? (lang == CLI_EN ? m->stages[stg].name_en
                                                        : m->stages[stg].name_zh)
                                      : "";
    j = json_object();
    static const char *const h[] = {"indicator", "name", "raw", "source", "rule",
                                    "score", "weight", "contribution", "how"};
    char title[512];
    snprintf(title, sizeof title, cli_trv(fmt, "%s %s, round %ld, model %s %s"), code,
             in->names[u] ? in->names[u] : "", round, m->name, m->version);
    t = cli_table_new(title, 9, h);
    json_t *nodes = json_array();
    stack = malloc((N ? N : 1) * sizeof *stack);
    if (!t || !j || !nodes || !stack) {
        json_decref(nodes);
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (int col = 5; col <= 7; col++)
        cli_table_right(t, (size_t)col);
    cli_table_right(t, 2);
    size_t sp = 0;
    stack[sp++] = m->root;
    while (sp) {
        size_t nj = stack[--sp];
        const egdi_node *n = &m->nodes[nj];
        for (size_t k = n->nchildren; k-- > 0;)
            stack[sp++] = n->children[k];
        size_t cix = u * N + nj;
        if (r->status[cix] == EGDI_NODE_NA && isnan(in->raw[cix]))
            continue;
        char src[512] = "";
        json_t *jsrc = json_null();
        const egdi_score_source *so = &ex.source[nj];
        bool missing_cell = isnan(in->raw[cix]) && so->missing_why;
        /* a value computed from a survey: its source is the survey; without
         * a value, the survey's reason replaces the import's empty cell */
        const egdi_survey_indicator *sind = egdi_survey_results_find(&ex.surveys, nj);
        char swhy[512] = "";
        if (sind && isnan(in->raw[cix]) &&
            egdi_survey_value_why(sind, &sind->unit[u], swhy, sizeof swhy))
            missing_cell = false;
        if (sind && sind->unit[u].used == EGDI_USED_SURVEY)
            snprintf(src, sizeof src, cli_trv(fmt, "survey %s (n = %zu)"), sind->survey,
                     sind->unit[u].n);
        else if (swhy[0])
            snprintf(src, sizeof src, cli_trv(fmt, "survey %s"), sind->survey);
        else if ((!isnan(in->raw[cix]) || missing_cell) && so->file) {
            char letters[8] = "";
            if (so->col > 0)
                egdi_error_col_letters(so->col, letters);
            snprintf(src, sizeof src, "%s%s%s!%s%u", so->file, so->sheet ? " " : "",
                     so->sheet ? so->sheet : "", letters, (unsigned)so->row);
            jsrc = json_pack("{s:s,s:o,s:i,s:i}", "file", so->file, "sheet",
                             so->sheet ? json_string(so->sheet) : json_null(), "row",
                             (int)so->row, "col", (int)so->col);
        }
        char rule[256];
        params_text(n, rule, sizeof rule);
        char how[200];
        snprintf(how, sizeof how, "%s", cli_trv(fmt, egdi_node_status_name(r->status[cix])));
        double dp = r->dept_part[cix], op = r->own_part[cix];
        if (!isnan(dp) || !isnan(op)) {
            /* a region without scored departments (or without region-level
             * data) has one part only: say so, never "nan" */
            char part[160];
            if (isnan(dp))
                snprintf(part, sizeof part,
                         cli_trv(fmt, " (no department scores: region %.4g only)"), op);
            else if (isnan(op))
                snprintf(part, sizeof part,
                         cli_trv(fmt, " (no region-level score: departments %.4g only)"), dp);
            else
                snprintf(part, sizeof part,
                         cli_trv(fmt, " (departments %.4g x %g, region %.4g x %g)"), dp,
                         m->region_share, op, 1 - m->region_share);
            strncat(how, part, sizeof how - strlen(how) - 1);
        }
        if (fmt == CLI_TABLE)
            cli_table_cellf(t, "%*s%s", (int)(2 * n->depth), "", n->code);
        else
            cli_table_cell(t, n->code);
        cli_table_cell(t, lang == CLI_EN ? n->name_en : n->name_zh);
        if (swhy[0])
            cli_table_cellf(t, cli_trv(fmt, "(missing: %s)"), swhy);
        else if (missing_cell && so->missing_raw[0])
            cli_table_cellf(t, cli_trv(fmt, "%s (missing: %s)"), so->missing_raw, so->missing_why);
        else if (missing_cell)
            cli_table_cellf(t, cli_trv(fmt, "(missing: %s)"), so->missing_why);
        else if (isnan(in->raw[cix]))
            cli_table_cell(t, "");
        else
            cli_table_cellf(t, "%.6g", in->raw[cix]);
        cli_table_cell(t, src);
        cli_table_cell(t, rule);
        cli_table_num(t, r->score[cix], m->digits);
        cli_table_num(t, r->weight[cix], 4);
        cli_table_num(t, r->contrib[cix], m->digits);
        cli_table_cell(t, how);
        cli_table_end_row(t);
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(n->code));
        json_object_set_new(o, "name", json_string(lang == CLI_EN ? n->name_en : n->name_zh));
        json_object_set_new(o, "depth", json_integer(n->depth));
        json_object_set_new(o, "raw", cli_json_num(in->raw[cix]));
        json_object_set_new(o, "source", jsrc);
        json_object_set_new(o, "missing",
                            swhy[0]        ? json_pack("{s:s,s:s}", "value", "", "reason", swhy)
                            : missing_cell ? json_pack("{s:s,s:s}", "value", so->missing_raw,
                                                       "reason", so->missing_why)
                                           : json_null());
        json_object_set_new(o, "rule", json_string(egdi_node_is_leaf(n) ? egdi_rule_name(n->rule)
                                                                         : "aggregate"));
        json_object_set_new(o, "params", json_string(rule));
        json_object_set_new(o, "score", cli_json_num(r->score[cix]));
        json_object_set_new(o, "weight", cli_json_num(r->weight[cix]));
        json_object_set_new(o, "contribution", cli_json_num(r->contrib[cix]));
        json_object_set_new(o, "status", json_string(egdi_node_status_name(r->status[cix])));
        json_object_set_new(o, "departments", cli_json_num(r->dept_part[cix]));
        json_object_set_new(o, "own", cli_json_num(r->own_part[cix]));
        json_object_set_new(o, "survey", survey_json(s, &ex, nj));
        json_array_append_new(nodes, o);
    }
    if (fmt == CLI_JSON) {
        json_object_set_new(j, "unit", json_string(code));
        json_object_set_new(j, "name", in->names[u] ? json_string(in->names[u]) : json_null());
        json_object_set_new(j, "kind", json_string(in->units[u].kind == EGDI_UNIT_REGION
                                                       ? "region"
                                                       : "department"));
        json_object_set_new(j, "round", json_integer(round));
        json_object_set_new(j, "model", json_string(m->name));
        json_object_set_new(j, "model_version", json_string(m->version));
        json_object_set_new(j, "model_hash", json_string(m->hash));
        json_object_set_new(j, "egdi", cli_json_num(r->egdi[u]));
        json_object_set_new(j, "stage", stg >= 0 ? json_string(m->stages[stg].code) : json_null());
        json_object_set_new(j, "stage_name", stg >= 0 ? json_string(stage_name) : json_null());
        json_object_set_new(j, "coverage", cli_json_num(r->coverage[u]));
        json_object_set_new(j, "rankable", json_boolean(r->rankable[u]));
        json_object_set_new(j, "rank", myrank > 0 ? json_integer(myrank) : json_null());
        json_object_set_new(j, "nodes", nodes);
        cli_json_print(j, stdout);
    } else {
        json_decref(nodes);
        cli_table_print(t, stdout, fmt);
        if (fmt == CLI_TABLE) {
            /* a unit without data (a department that sent nothing) has
             * no EGDI: said so, never "nan" */
            bool scored = isfinite(r->egdi[u]);
            if (scored)
                printf("\nEGDI %.*f -> %s", m->digits, r->egdi[u], stage_name);
            else
                printf("%s", cli_tr("\nEGDI: no score"));
            if (scored && stg >= 0 && strcmp(stage_name, m->stages[stg].code) != 0)
                printf(" (%s)", m->stages[stg].code);
            printf(cli_tr("; coverage %.1f%%"), 100 * r->coverage[u]);
            bool zh = cli_lang_now() == CLI_ZH, reg = in->units[u].kind == EGDI_UNIT_REGION;
            if (myrank > 0)
                printf(cli_tr("; rank %ld among %ss\n"), myrank,
                       zh ? (reg ? "地区" : "部门") : reg ? "region" : "department");
            else if (!(r->coverage[u] > 0))
                printf(cli_tr("; not rankable (no value of any indicator in round %ld)\n"), round);
            else if (r->coverage[u] + 1e-12 < m->min_coverage)
                printf(cli_tr("; not rankable (below the model's minimum coverage %.0f%%)\n"),
                       100 * m->min_coverage);
            else
                printf("%s", cli_tr("; not rankable (no score)\n"));
            print_surveys(s, &ex, lang);
        }
    }
    rc = cli_finish_output(CMD);
done:
    free(stack);
    cli_table_free(t);
    json_decref(j);
    egdi_score_explanation_release(&ex);
    egdi_store_close(s);
    return rc;
}

const cli_command cmd_explain = {
    .name = CMD,
    .run = run,
    .summary = "show how a unit's EGDI was built",
    .usage = "UNIT --round YEAR [--compare YEAR] [--model NAME|FILE] [--format table|csv|json] "
             "[--lang zh|en]",
    .options = options,
    .notes = "Every indicator from the root down: the raw value and the cell it came from, the "
             "rule, the score, the weight and the contribution to its parent; then EGDI, stage, "
             "coverage and rank.",
};
