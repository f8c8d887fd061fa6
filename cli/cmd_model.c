/*
 * cmd_model.c - `egdi model list | show | check | weights`.
 *
 *   model list                         the built-in models
 *   model show NAME|FILE               the tree with weights and effective weights
 *   model check FILE                   every problem, one line each (stdout);
 *                                      exit 1 when there is any
 *   model weights ahp MATRIX.csv       AHP weights, lambda_max, CI, RI, CR
 *   model weights entropy --round YEAR --parent CODE   from the store's data
 *                                      (each child min-max normalised with its
 *                                      direction, then entropy weights)
 *   model weights equal --parent CODE  1/k for the k children
 *   model export NAME|FILE -o OUT      the model's tables as OUT.xlsx, OUT.csv
 *                                      or a directory, to start a model from
 *     with --model NAME|FILE --write OUT.csv (and --parent CODE for ahp):
 *     write a copy of the model with those weights
 *
 * Each subcommand is a cli_command with its own option table (model_subs,
 * at the end), from which its parsing and `egdi model SUB --help` come.
 *
 * JSON keys (show): name, version, hash, settings{...}, nodes[{code,
 * parent, name_zh, name_en, depth, weight, effective_weight, unit,
 * direction, applies, rule, params{...}, source{survey, scale, items,
 * statistic, min_n, min_alpha, item_analysis, min_kmo, gate, conflict} |
 * null}], stages[{code, name_zh, name_en,
 * lower, upper, classes[]}].  weights: method, items[{code, weight}],
 * lambda_max, ci, ri, cr (ahp).
 */
#include "cli/cli.h"
#include "indicators/model.h"
#include "engine/store/store.h"
#include "indicators/weights.h"
#include "reports/model_xlsx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CMD "model"

static const char *applies_str(unsigned a)
{
    return a == EGDI_APPLIES_DEPARTMENT ? "department" : a == EGDI_APPLIES_REGION ? "region" : "both";
}

/* "min=0 max=100" etc.; buf gets the text. */
static json_t *params_json(const egdi_node *n)
{
    json_t *o = json_object();
    const char *names[EGDI_NODE_NPARAMS];
    double values[EGDI_NODE_NPARAMS];
    size_t np = egdi_node_params(n, names, values);
    for (size_t i = 0; i < np; i++)
        json_object_set_new(o, names[i], cli_json_num(values[i]));
    if (n->nsteps) {
        json_t *a = json_array();
        for (size_t s = 0; s < n->nsteps; s++)
            json_array_append_new(a, json_pack("[o,o]", cli_json_num(n->steps_x[s]),
                                               cli_json_num(n->steps_y[s])));
        json_object_set_new(o, "steps", a);
    }
    return o;
}

static int load(const char *what, egdi_model **m)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_model_problems probs;
    egdi_status st = egdi_model_load(m, what, &probs, &err);
    egdi_model_problems_release(&probs);
    if (st)
        return cli_report(CMD, &err);
    return CLI_OK;
}

enum { OPT_FORMAT, OPT_LANG, OPT_MODEL, OPT_PARENT, OPT_WRITE, OPT_ROUND, OPT_AS_VERSION,
       OPT_OUTPUT };

static const cli_option list_options[] = {
    {OPT_FORMAT, "format", 0, "table|csv|json", "the output (default table)"},
    {0, NULL, 0, NULL, NULL},
};

static const cli_option show_options[] = {
    {OPT_FORMAT, "format", 0, "table|csv|json", "the output (default table)"},
    {OPT_LANG, "lang", 0, "zh|en", "the names of the indicators (default zh)"},
    {0, NULL, 0, NULL, NULL},
};

/* Parses the --format / --lang options of list and show (argv[0] is the
 * subcommand); *pos = index of the first operand. */
static int parse_format(int argc, char **argv, const cli_option *options, cli_format *fmt,
                        cli_lang *lang, int *pos)
{
    cli_getopt g;
    const char *arg;
    int c;
    *pos = argc;
    if (cli_getopt_init(&g, CMD, options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        if (c == OPT_FORMAT && cli_parse_format(arg, fmt))
            continue;
        if (c == OPT_LANG && cli_parse_lang(arg, lang))
            continue;
        return cli_usage(CMD, "bad value '%s' for --%s", arg, c == OPT_FORMAT ? "format" : "lang");
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    *pos = optind;
    return CLI_OK;
}

static int do_list(int argc, char **argv, cli_ctx *ctx)
{
    (void)ctx;
    cli_format fmt = CLI_TABLE;
    cli_lang lang = ctx->lang;
    int pos;
    int rc = parse_format(argc, argv, list_options, &fmt, &lang, &pos);
    if (rc)
        return rc;
    if (pos != argc)
        return cli_usage(CMD, "list takes no operand");
    static const char *const h[] = {"name", "version", "indicators", "stages", "hash"};
    cli_table *t = cli_table_new("built-in models", 5, h);
    json_t *arr = json_array();
    for (const char *const *n = egdi_model_builtin_names(); *n; n++) {
        egdi_model *m = NULL;
        rc = load(*n, &m);
        if (rc)
            break;
        size_t leaves = 0;
        for (size_t i = 0; i < m->nnodes; i++)
            leaves += egdi_node_is_leaf(&m->nodes[i]);
        cli_table_cell(t, m->name);
        cli_table_cell(t, m->version);
        cli_table_cellf(t, "%zu", leaves);
        cli_table_cellf(t, "%zu", m->nstages);
        cli_table_cell(t, m->hash);
        cli_table_end_row(t);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I,s:s,s:b}", "name", m->name,
                                             "version", m->version, "indicators",
                                             (json_int_t)leaves, "stages",
                                             (json_int_t)m->nstages, "hash", m->hash, "default",
                                             strcmp(*n, EGDI_MODEL_DEFAULT) == 0));
        egdi_model_free(m);
    }
    if (!rc) {
        if (fmt == CLI_JSON)
            cli_json_print(arr, stdout);
        else
            cli_table_print(t, stdout, fmt);
        rc = cli_finish_output(CMD);
    }
    json_decref(arr);
    cli_table_free(t);
    return rc;
}

/* A survey leaf's source in one line, in the language of the tables:
 * "survey 公务员问卷 (the model's survey setting), scale 满意度, mean; gates:
 * at least 30 respondents per unit, alpha >= 0.7, every item passes the item
 * analysis (CR), KMO not checked; a failed gate leaves the value missing;
 * over a metric imported for the same unit the survey wins".  Returns buf. */
static const char *source_text(const egdi_model *m, const egdi_node *n, char *buf, size_t size)
{
    const egdi_survey_source *src = n->survey;
    const char *name = egdi_source_survey(m, n);
    char stat[64], alpha[48], kmo[48];
    egdi_source_statistic_text(src, stat, sizeof stat);
    if (isnan(src->min_alpha))
        snprintf(alpha, sizeof alpha, "%s", cli_tr("alpha not checked"));
    else
        snprintf(alpha, sizeof alpha, "alpha >= %g", src->min_alpha);
    if (isnan(src->min_kmo))
        snprintf(kmo, sizeof kmo, "%s", cli_tr("KMO not checked"));
    else
        snprintf(kmo, sizeof kmo, "KMO >= %g", src->min_kmo);
    snprintf(buf, size,
             cli_tr("survey %s%s, %s %s, %s; gates: at least %zu respondents per unit, %s, %s, "
                    "%s; a failed gate %s; over a metric imported for the same unit the %s wins"),
             name ? name : cli_tr("(none)"),
             src->survey ? "" : cli_tr(" (the model's survey setting)"),
             cli_tr(src->scale ? "scale" : "items"), src->scale ? src->scale : src->items,
             cli_tr(stat), src->min_n, alpha,
             cli_tr(src->item_analysis ? "every item passes the item analysis (CR)"
                                       : "item analysis not checked"),
             kmo,
             cli_tr(src->gate == EGDI_GATE_REFUSE ? "stops the scoring"
                                                  : "leaves the value missing"),
             cli_tr(src->conflict == EGDI_PREFER_METRIC ? "metric" : "survey"));
    return buf;
}

/* A survey leaf's source (null for an imported metric). */
static json_t *source_json(const egdi_model *m, const egdi_node *n)
{
    const egdi_survey_source *src = n->survey;
    if (!src)
        return json_null();
    const char *name = egdi_source_survey(m, n);
    char stat[64];
    return json_pack("{s:o,s:o,s:o,s:s,s:I,s:o,s:b,s:o,s:s,s:s}", "survey",
                     name ? json_string(name) : json_null(), "scale",
                     src->scale ? json_string(src->scale) : json_null(), "items",
                     src->items ? json_string(src->items) : json_null(), "statistic",
                     egdi_source_statistic_text(src, stat, sizeof stat), "min_n",
                     (json_int_t)src->min_n, "min_alpha", cli_json_num(src->min_alpha),
                     "item_analysis", src->item_analysis, "min_kmo",
                     cli_json_num(src->min_kmo), "gate",
                     src->gate == EGDI_GATE_REFUSE ? "refuse" : "missing", "conflict",
                     src->conflict == EGDI_PREFER_METRIC ? "metric" : "survey");
}

static int do_show(int argc, char **argv, cli_ctx *ctx)
{
    (void)ctx;
    cli_format fmt = CLI_TABLE;
    cli_lang lang = ctx->lang;
    int pos;
    int rc = parse_format(argc, argv, show_options, &fmt, &lang, &pos);
    if (rc)
        return rc;
    if (pos + 1 != argc)
        return cli_usage(CMD, "show takes one model name or file");
    egdi_model *m = NULL;
    rc = load(argv[pos], &m);
    if (rc)
        return rc;
    if (fmt == CLI_JSON) {
        json_t *j = json_object();
        json_object_set_new(j, "name", json_string(m->name));
        json_object_set_new(j, "version", json_string(m->version));
        json_object_set_new(j, "hash", json_string(m->hash));
        json_t *s = json_object();
        json_object_set_new(s, "aggregation", json_string(egdi_aggregation_name(m->aggregation)));
        json_object_set_new(s, "missing", json_string(egdi_missing_name(m->missing)));
        json_object_set_new(s, "min_coverage", cli_json_num(m->min_coverage));
        json_object_set_new(s, "region_method",
                            json_string(m->region_method == EGDI_REGION_WEIGHTED ? "weighted"
                                                                                 : "mean"));
        if (m->region_weight)
            json_object_set_new(s, "region_weight", json_string(m->region_weight));
        json_object_set_new(s, "region_share", cli_json_num(m->region_share));
        json_object_set_new(s, "digits", json_integer(m->digits));
        json_object_set_new(s, "rank_digits",
                            m->rank_digits < 0 ? json_null() : json_integer(m->rank_digits));
        json_object_set_new(s, "boundary_margin", cli_json_num(m->boundary_margin));
        json_object_set_new(s, "classes", json_string(m->classes_quartile ? "quartile" : "none"));
        json_object_set_new(s, "survey", m->survey ? json_string(m->survey) : json_null());
        json_object_set_new(j, "settings", s);
        json_t *nodes = json_array();
        for (size_t i = 0; i < m->nnodes; i++) {
            const egdi_node *n = &m->nodes[i];
            json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:i,s:o,s:o,s:s,s:s,s:s,s:s}", "code", n->code,
                                  "parent", n->parent, "name_zh", n->name_zh, "name_en",
                                  n->name_en, "depth", (int)n->depth, "weight",
                                  cli_json_num(n->weight), "effective_weight",
                                  cli_json_num(n->eff_weight), "unit", n->unit, "direction",
                                  n->direction < 0 ? "lower" : "higher", "applies",
                                  applies_str(n->applies), "rule",
                                  egdi_node_is_leaf(n) ? egdi_rule_name(n->rule) : "aggregate");
            json_object_set_new(o, "params", params_json(n));
            json_object_set_new(o, "source", source_json(m, n));
            json_array_append_new(nodes, o);
        }
        json_object_set_new(j, "nodes", nodes);
        json_t *stages = json_array();
        for (size_t i = 0; i < m->nstages; i++) {
            const egdi_stage *s2 = &m->stages[i];
            json_t *cl = json_array();
            for (size_t k = 0; k < s2->nclasses; k++)
                json_array_append_new(cl, json_string(s2->classes[k]));
            json_array_append_new(stages,
                                  json_pack("{s:s,s:s,s:s,s:o,s:o,s:o}", "code", s2->code,
                                            "name_zh", s2->name_zh, "name_en", s2->name_en,
                                            "lower", cli_json_num(s2->lower), "upper",
                                            cli_json_num(s2->upper), "classes", cl));
        }
        json_object_set_new(j, "stages", stages);
        cli_json_print(j, stdout);
        json_decref(j);
    } else {
        char title[512];
        snprintf(title, sizeof title,
                 cli_trv(fmt, "model %s %s (%s aggregation, missing: %s, sha256 %.12s)"),
                 m->name, m->version, egdi_aggregation_name(m->aggregation),
                 egdi_missing_name(m->missing), m->hash);
        static const char *const h[] = {"code", "name", "weight", "effective", "unit",
                                        "direction", "applies", "rule", "parameters"};
        cli_table *t = cli_table_new(title, 9, h);
        cli_table_right(t, 2);
        cli_table_right(t, 3);
        /* depth-first from the root, children in catalogue order */
        size_t *stack = malloc(m->nnodes * sizeof *stack);
        size_t sp = 0;
        if (!stack) {
            cli_table_free(t);
            egdi_model_free(m);
            return cli_fail(CMD, "out of memory");
        }
        stack[sp++] = m->root;
        while (sp) {
            const egdi_node *n = &m->nodes[stack[--sp]];
            for (size_t k = n->nchildren; k-- > 0;)
                stack[sp++] = n->children[k];
            if (fmt == CLI_TABLE)
                cli_table_cellf(t, "%*s%s", (int)(2 * n->depth), "", n->code);
            else
                cli_table_cell(t, n->code);
            cli_table_cell(t, lang == CLI_EN ? n->name_en : n->name_zh);
            if (n->parent_idx < 0)
                cli_table_cell(t, "");
            else
                cli_table_cellf(t, "%.4g", n->weight);
            cli_table_cellf(t, "%.4f", n->eff_weight);
            cli_table_cell(t, n->unit);
            cli_table_cell(t, cli_trv(fmt, n->direction < 0 ? "lower" : "higher"));
            cli_table_cell(t, fmt == CLI_TABLE && cli_lang_now() == CLI_ZH
                                  ? (n->applies == EGDI_APPLIES_DEPARTMENT ? "部门"
                                     : n->applies == EGDI_APPLIES_REGION   ? "地区"
                                                                           : "部门和地区")
                                  : applies_str(n->applies));
            cli_table_cell(t, egdi_node_is_leaf(n) ? egdi_rule_name(n->rule) : "");
            char pb[512];
            cli_table_cell(t, egdi_node_params_text(n, pb, sizeof pb));
            cli_table_end_row(t);
        }
        free(stack);
        cli_table_print(t, stdout, fmt);
        cli_table_free(t);
        if (fmt == CLI_TABLE) {
            printf("%s", cli_tr("\nstages:\n"));
            for (size_t i = 0; i < m->nstages; i++) {
                const egdi_stage *s2 = &m->stages[i];
                char lo[32] = "", hi[32] = "";
                if (isfinite(s2->lower))
                    snprintf(lo, sizeof lo, "%g <= ", s2->lower);
                if (isfinite(s2->upper))
                    snprintf(hi, sizeof hi, " < %g", s2->upper);
                printf("  %s%s%s  %s / %s", lo, cli_tr("score"), hi, s2->name_zh, s2->name_en);
                for (size_t k = 0; k < s2->nclasses; k++)
                    printf("%s%s", k ? "," : cli_tr("  classes "), s2->classes[k]);
                printf("\n");
            }
            if (m->region_method == EGDI_REGION_WEIGHTED)
                printf(cli_tr("\nregions: sub-index = %g x departments (mean weighted by %s) + %g x "
                              "region-level indicators\n"),
                       m->region_share, m->region_weight, 1 - m->region_share);
            else
                printf(cli_tr("\nregions: sub-index = %g x departments (mean) + %g x region-level "
                              "indicators\n"),
                       m->region_share, 1 - m->region_share);
            if (egdi_source_any(m))
                printf("%s", cli_tr("\ncomputed from a survey:\n"));
            for (size_t i = 0; i < m->nnodes; i++)
                if (m->nodes[i].survey) {
                    char line[1024];
                    printf("  %s: %s\n", m->nodes[i].code,
                           source_text(m, &m->nodes[i], line, sizeof line));
                }
        }
    }
    egdi_model_free(m);
    return cli_finish_output(CMD);
}

static int do_check(int argc, char **argv, cli_ctx *ctx)
{
    (void)ctx;
    cli_getopt g;
    const char *arg;
    if (cli_getopt_init(&g, CMD, NULL, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    if (cli_getopt_next(&g, argc, argv, &arg) != CLI_OPT_END)
        return CLI_USAGE; /* it has no options: an error was printed */
    if (optind + 1 != argc)
        return cli_usage(CMD, "check takes one model file");
    const char *path = argv[optind];
    egdi_model *m = NULL;
    egdi_model_problems probs;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_model_load(&m, path, &probs, &err);
    if (st == EGDI_OK) {
        /* indicators are the leaves, as `model list` counts them */
        size_t leaves = 0;
        for (size_t i = 0; i < m->nnodes; i++)
            leaves += egdi_node_is_leaf(&m->nodes[i]);
        printf(cli_tr("%s: model %s %s is valid (%zu indicators, %zu nodes in the tree, %zu stages, "
                      "sha256 %s)\n"),
               path, m->name, m->version, leaves, m->nnodes, m->nstages, m->hash);
        egdi_model_free(m);
        egdi_model_problems_release(&probs);
        return cli_finish_output(CMD);
    }
    if (st != EGDI_ERR_MODEL || probs.n == 0) {
        egdi_model_problems_release(&probs);
        return cli_report(CMD, &err);
    }
    for (size_t i = 0; i < probs.n; i++)
        printf("%s\n", cli_msg(probs.lines[i]));
    if (probs.truncated)
        printf("%s", cli_tr("(more problems not listed)\n"));
    size_t n = probs.n;
    egdi_model_problems_release(&probs);
    cli_finish_output(CMD);
    return cli_fail(CMD, "%s: %zu problem%s", path, n, n == 1 ? "" : "s");
}

/* ---- export ----------------------------------------------------------- */

static const cli_option export_options[] = {
    {OPT_OUTPUT, "output", 'o', "FILE|DIR",
     "where to write: FILE.xlsx (sheets settings, catalogue, stages), FILE.csv (one CSV with "
     "[section] markers), or a directory (settings.csv, catalogue.csv, stages.csv)"},
    {0, NULL, 0, NULL, NULL},
};

static bool has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static int do_export(int argc, char **argv, cli_ctx *ctx)
{
    (void)ctx;
    cli_getopt g;
    const char *arg, *out = NULL;
    int c;
    if (cli_getopt_init(&g, CMD, export_options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0)
        if (c == OPT_OUTPUT)
            out = arg;
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind + 1 != argc)
        return cli_usage(CMD, "export takes one model (a built-in name or a file)");
    if (!out)
        return cli_usage(CMD, "export needs -o FILE.xlsx, FILE.csv or DIR");
    egdi_model *m = NULL;
    int rc = load(argv[optind], &m);
    if (rc)
        return rc;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = has_suffix(out, ".xlsx")  ? egdi_model_xlsx_write(m, out, &err)
                     : has_suffix(out, ".csv") ? egdi_model_export_csv(m, out, &err)
                                               : egdi_model_export_dir(m, out, &err);
    if (st) {
        egdi_model_free(m);
        return cli_report(CMD, &err);
    }
    printf(cli_tr("%s: model %s %s (sha256 %s); edit it, then 'egdi model check %s'\n"), out, m->name,
           m->version, m->hash, out);
    egdi_model_free(m);
    return cli_finish_output(CMD);
}

/* ---- weights ---------------------------------------------------------- */

typedef struct {
    const char *model, *parent, *write;
    const char *method;     /* ahp, entropy, equal: names the derived version */
    const char *as_version; /* --as-version, or NULL: derived */
    long round;
    cli_format fmt;
} wopts;

/* v, or 0 when it prints as zero at this many decimals: a consistent
 * matrix's CI of -1e-17 is "0.0000", not "-0.0000". */
static double no_negative_zero(double v, int decimals)
{
    return fabs(v) < 0.5 * pow(10, -decimals) ? 0.0 : v;
}

static int print_weights(const char *method, const char *const *codes, const double *w, size_t k,
                         const egdi_ahp_result *ahp, cli_format fmt)
{
    if (fmt == CLI_JSON) {
        json_t *j = json_object();
        json_object_set_new(j, "method", json_string(method));
        json_t *items = json_array();
        for (size_t i = 0; i < k; i++)
            json_array_append_new(items, json_pack("{s:s,s:o}", "code", codes[i], "weight",
                                                   cli_json_num(w[i])));
        json_object_set_new(j, "items", items);
        if (ahp) {
            json_object_set_new(j, "lambda_max", cli_json_num(ahp->lambda_max));
            json_object_set_new(j, "ci", cli_json_num(ahp->ci));
            json_object_set_new(j, "ri", cli_json_num(ahp->ri));
            json_object_set_new(j, "cr", cli_json_num(ahp->cr));
        }
        cli_json_print(j, stdout);
        json_decref(j);
    } else {
        static const char *const h[] = {"code", "weight"};
        char title[256];
        if (ahp)
            snprintf(title, sizeof title,
                     "AHP weights: lambda_max = %.4f, CI = %.4f, RI = %.2f (Saaty), CR = %.4f",
                     ahp->lambda_max, no_negative_zero(ahp->ci, 4), ahp->ri,
                     no_negative_zero(ahp->cr, 4));
        else
            snprintf(title, sizeof title, "%s weights", method);
        cli_table *t = cli_table_new(title, 2, h);
        cli_table_right(t, 1);
        for (size_t i = 0; i < k; i++) {
            cli_table_cell(t, codes[i]);
            cli_table_num(t, w[i], 6);
            cli_table_end_row(t);
        }
        cli_table_print(t, stdout, fmt);
        cli_table_free(t);
    }
    return cli_finish_output(CMD);
}

/* Writes w (given for codes) into a copy of the model, mapped by code. */
static int write_back(const wopts *o, const char *const *codes, const double *w, size_t k)
{
    if (!o->write)
        return CLI_OK;
    if (!o->parent)
        return cli_usage(CMD, "--write needs --parent CODE");
    egdi_model *m = NULL;
    int rc = load(o->model ? o->model : EGDI_MODEL_DEFAULT, &m);
    if (rc)
        return rc;
    egdi_error err;
    egdi_error_clear(&err);
    /* changed weights are another version of the model: given, or the old
     * one with the method and the parent ("2024.1-ahp-CBII") */
    char version[256];
    if (o->as_version)
        snprintf(version, sizeof version, "%s", o->as_version);
    else
        snprintf(version, sizeof version, "%s-%s-%s", m->version, o->method ? o->method : "w",
                 o->parent);
    if (egdi_model_set_version(m, version, &err) ||
        egdi_model_write_weights_by_code(m, o->parent, codes, w, k, o->write, &err))
        rc = cli_report(CMD, &err);
    else
        fprintf(stderr, cli_tr("egdi model: wrote %s (model %s version %s) with the new weights of %s\n"),
                o->write, m->name, m->version, o->parent);
    egdi_model_free(m);
    return rc;
}

/* Entropy weights of the parent's children from the round's observations. */
static int entropy_from_store(const wopts *o, cli_ctx *ctx)
{
    egdi_model *m = NULL;
    int rc = load(o->model ? o->model : EGDI_MODEL_DEFAULT, &m);
    if (rc)
        return rc;
    egdi_store *s = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_weights_entropy_children ec;
    if (egdi_weights_entropy_children_init(&ec, m, o->parent, &err) ||
        egdi_store_open(&s, ctx->db_path, EGDI_STORE_READONLY, &err) ||
        egdi_weights_entropy_from_store(&ec, s, (int)o->round, &err))
        rc = cli_report(CMD, &err);
    else {
        rc = print_weights("entropy", ec.codes, ec.w, ec.k, NULL, o->fmt);
        if (!rc)
            rc = write_back(o, ec.codes, ec.w, ec.k);
    }
    egdi_weights_entropy_children_release(&ec);
    egdi_store_close(s);
    egdi_model_free(m);
    return rc;
}

static const cli_option weights_options[] = {
    {OPT_PARENT, "parent", 0, "CODE", "the indicator whose children are weighted"},
    {OPT_ROUND, "round", 0, "YEAR", "the round whose observations entropy uses"},
    {OPT_MODEL, "model", 0, "NAME|FILE", "the model (default " EGDI_MODEL_DEFAULT ")"},
    {OPT_WRITE, "write", 0, "OUT.csv",
     "with --parent: write a copy of the model with the new weights"},
    {OPT_AS_VERSION, "as-version", 0, "V",
     "the version of the written model (default: the old one, the method and the parent, "
     "e.g. 2024.1-ahp-CBII)"},
    {OPT_FORMAT, "format", 0, "table|csv|json", "the output (default table)"},
    {0, NULL, 0, NULL, NULL},
};

/* argv[0] is "weights", argv[1] the method; options may follow it. */
static int do_weights(int argc, char **argv, cli_ctx *ctx)
{
    if (argc < 2)
        return cli_usage(CMD, "weights needs ahp, entropy or equal");
    const char *method = argv[1];
    wopts o = {0};
    o.round = -1;
    o.method = method;
    int sargc = argc - 1;
    char **sargv = argv + 1;
    cli_getopt g;
    const char *arg;
    int c;
    if (cli_getopt_init(&g, CMD, weights_options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, sargc, sargv, &arg)) >= 0) {
        switch (c) {
        case OPT_MODEL:
            o.model = arg;
            break;
        case OPT_PARENT:
            o.parent = arg;
            break;
        case OPT_WRITE:
            o.write = arg;
            break;
        case OPT_AS_VERSION:
            o.as_version = arg;
            break;
        case OPT_ROUND:
            if (!cli_parse_long(arg, 1900, 9999, &o.round))
                return cli_usage(CMD, "bad --round '%s'", arg);
            break;
        case OPT_FORMAT:
            if (!cli_parse_format(arg, &o.fmt))
                return cli_usage(CMD, "bad --format '%s'", arg);
            break;
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (o.write) {
        /* the model (a file, or the tables of a directory), the matrix and
         * the store are inputs: --write must not replace one of them */
        char part[3][4096];
        const char *in[6] = {o.model, ctx->db_path, optind < sargc ? sargv[optind] : NULL};
        size_t n = 3;
        static const char *const parts[3] = {"catalogue.csv", "settings.csv", "stages.csv"};
        for (size_t k = 0; o.model && k < 3; k++) {
            int w = snprintf(part[k], sizeof part[k], "%s/%s", o.model, parts[k]);
            if (w > 0 && (size_t)w < sizeof part[k])
                in[n++] = part[k];
        }
        if (cli_check_output(CMD, "--write", o.write, in, n) != CLI_OK)
            return CLI_FAIL;
    }
    if (strcmp(method, "ahp") == 0) {
        if (optind + 1 != sargc)
            return cli_usage(CMD, "weights ahp takes one matrix file");
        egdi_error err;
        egdi_error_clear(&err);
        egdi_read_opts ro;
        egdi_read_opts_init(&ro);
        ro.limits.max_stream = EGDI_SMALL_TABLE_STREAM;
        egdi_reader *r = NULL;
        if (egdi_reader_open(&r, sargv[optind], &ro, &err))
            return cli_report(CMD, &err);
        size_t n = 0;
        char **codes = NULL;
        double *a = NULL;
        egdi_status st = egdi_weights_ahp_read(r, &n, &codes, &a, &err);
        egdi_reader_close(r);
        if (st)
            return cli_report(CMD, &err);
        egdi_ahp_result res;
        st = egdi_weights_ahp(a, n, &res, &err);
        const char *const *names = (const char *const *)codes;
        int rc = st ? cli_report(CMD, &err) : print_weights("ahp", names, res.w, n, &res, o.fmt);
        if (!rc)
            rc = write_back(&o, names, res.w, n);
        egdi_weights_ahp_matrix_free(codes, n, a);
        return rc;
    }
    if (strcmp(method, "entropy") == 0) {
        if (o.round < 0 || !o.parent)
            return cli_usage(CMD, "weights entropy needs --round YEAR and --parent CODE");
        return entropy_from_store(&o, ctx);
    }
    if (strcmp(method, "equal") == 0) {
        if (!o.parent)
            return cli_usage(CMD, "weights equal needs --parent CODE");
        egdi_model *m = NULL;
        int rc = load(o.model ? o.model : EGDI_MODEL_DEFAULT, &m);
        if (rc)
            return rc;
        long p = egdi_model_find(m, o.parent);
        if (p < 0 || m->nodes[p].nchildren == 0) {
            egdi_model_free(m);
            return cli_fail(CMD, "%s is not an indicator with children in the model", o.parent);
        }
        size_t k = m->nodes[p].nchildren;
        double *w = malloc(k * sizeof *w);
        const char **codes = malloc(k * sizeof *codes);
        if (!w || !codes) {
            free(w);
            free(codes);
            egdi_model_free(m);
            return cli_fail(CMD, "out of memory");
        }
        egdi_weights_equal(k, w);
        for (size_t i = 0; i < k; i++)
            codes[i] = m->nodes[m->nodes[p].children[i]].code;
        rc = print_weights("equal", codes, w, k, NULL, o.fmt);
        if (!rc)
            rc = write_back(&o, codes, w, k);
        free(w);
        free(codes);
        egdi_model_free(m);
        return rc;
    }
    return cli_usage(CMD, "unknown weights method '%s' (ahp, entropy, equal)", method);
}

static const cli_command model_list = {
    .name = "list",
    .run = do_list,
    .summary = "the built-in models (" EGDI_MODEL_DEFAULT " is the default)",
    .usage = "[--format table|csv|json]",
    .options = list_options,
};

static const cli_command model_show = {
    .name = "show",
    .run = do_show,
    .summary = "the indicator tree with weights and effective weights",
    .usage = "NAME|FILE [--format table|csv|json] [--lang zh|en]",
    .options = show_options,
    .notes = "NAME is a built-in model ('egdi model list'); FILE a directory with settings.csv, "
             "catalogue.csv and stages.csv, an XLSX workbook, or a CSV with [section] markers.",
};

static const cli_command model_check = {
    .name = "check",
    .run = do_check,
    .summary = "every problem of a model table, one line each",
    .usage = "FILE",
    .notes = "The exit status is 1 when the table has a problem.",
};

static const cli_operand weights_methods[] = {
    {"ahp MATRIX.csv", "AHP weights from a pairwise comparison matrix, with lambda_max, CI and CR "
                       "(Saaty's RI); CR > 0.10 is refused"},
    {"entropy", "entropy weights of the children of --parent from the observations of --round "
                "in the store (each child min-max normalised with its direction)"},
    {"equal", "1/k for each of the k children of --parent"},
    {NULL, NULL},
};

static const cli_command model_weights = {
    .name = "weights",
    .run = do_weights,
    .summary = "derive the weights of an indicator's children",
    .usage = "ahp MATRIX.csv [OPTIONS]\n"
             "entropy --round YEAR --parent CODE [OPTIONS]\n"
             "equal --parent CODE [OPTIONS]",
    .operands = weights_methods,
    .options = weights_options,
};

static const cli_command model_export = {
    .name = "export",
    .run = do_export,
    .summary = "write a model's tables to start a model of your own",
    .usage = "NAME|FILE -o FILE.xlsx|FILE.csv|DIR",
    .options = export_options,
    .notes = "The tables written are the model's canonical tables: 'egdi model check' accepts "
             "them and they score exactly as the model they came from (the same sha256). "
             "Headings and sheet names may be renamed to Chinese (代码, 上级, 名称, 权重, 规则...; "
             "设置, 指标, 阶段): docs/models.md.",
};

static const cli_command *const model_subs[] = {&model_list, &model_show, &model_check,
                                                 &model_weights, &model_export, NULL};

extern const cli_command cmd_model;

static int run(int argc, char **argv, cli_ctx *ctx)
{
    if (argc < 2)
        return cli_usage(CMD, "needs list, show, check, weights or export");
    const cli_command *sub = cli_command_find(&cmd_model, argv[1]);
    if (!sub)
        return cli_unknown_command(&cmd_model, argv[1]);
    return sub->run(argc - 1, argv + 1, ctx);
}

const cli_command cmd_model = {
    .name = CMD,
    .run = run,
    .summary = "list, show and check evaluation models; derive weights",
    .usage = "list|show|check|weights|export [ARGS...]",
    .subs = model_subs,
};
