/*
 * cmd_rank.c - `egdi rank`: the ranking of one round, from the store
 * (--round, see rank_store.c) or straight from a spreadsheet (--data).
 *
 *   rank --data FILE [--model NAME|FILE] [--id COL] [--name COL]
 *        [--sheet S] [--rank-digits N] [--format F] [--lang zh|en]
 *
 * Output columns (CSV): rank,id,name,score,<codes of the root's children>,
 * stage (the stage code).  The table view adds the rating class (models
 * with classes) and '*' for a score within the model's boundary margin of a
 * stage bound.  Units below the model's minimum coverage are listed after
 * the ranked ones with an empty rank ("not rankable").
 * JSON: {"model", "model_version", "model_hash", "round", "rank_digits",
 *        "units": [{"rank", "id", "name", "score", "components": {CODE: x},
 *        "stage", "stage_name", "class", "coverage", "rankable",
 *        "near_boundary"}]}
 * ("rank" and "stage" are null for a unit that is not rankable; "round" is
 * null for --data unless --round is given too.)
 */
#include "cli/cli.h"
#include "indicators/rank.h"
#include "cli/rank_cli.h"
#include "indicators/score.h"
#include "indicators/table_input.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMD "rank"

const char *rank_stage_name(const egdi_model *m, long stage, cli_lang lang)
{
    if (stage < 0)
        return "";
    return lang == CLI_EN ? m->stages[stage].name_en : m->stages[stage].name_zh;
}

const char *rank_class_name(const egdi_model *m, long stage, long klass)
{
    if (stage < 0 || klass < 0 || (size_t)klass >= m->stages[stage].nclasses)
        return "";
    return m->stages[stage].classes[klass];
}

int rank_print(const rank_view *v, cli_format fmt, cli_lang lang)
{
    const egdi_model *m = v->model;
    const egdi_score_result *r = v->result;
    const egdi_node *root = &m->nodes[m->root];
    size_t nc = root->nchildren, N = m->nnodes;
    bool classes = m->classes_quartile;
    bool regions = v->regions != NULL;
    bool cmp = v->prev_rank != NULL;

    if (fmt == CLI_JSON) {
        json_t *j = json_object();
        json_object_set_new(j, "model", json_string(m->name));
        json_object_set_new(j, "model_version", json_string(m->version));
        json_object_set_new(j, "model_hash", json_string(m->hash));
        json_object_set_new(j, "round", v->round > 0 ? json_integer(v->round) : json_null());
        json_object_set_new(j, "rank_digits",
                            v->digits >= 0 ? json_integer(v->digits) : json_null());
        if (cmp)
            json_object_set_new(j, "compare_round", json_integer(v->compare_round));
        json_t *arr = json_array();
        for (size_t p = 0; p < v->n; p++) {
            size_t u = v->order[p];
            bool ok = r->rankable[u] && v->rank[u] > 0;
            json_t *o = json_object();
            json_object_set_new(o, "rank", ok ? json_integer(v->rank[u]) : json_null());
            json_object_set_new(o, "id", json_string(v->ids[u]));
            json_object_set_new(o, "name", v->names && v->names[u] ? json_string(v->names[u])
                                                                  : json_null());
            if (regions)
                json_object_set_new(o, "region", v->regions[u] ? json_string(v->regions[u])
                                                               : json_null());
            json_object_set_new(o, "score", cli_json_num(r->egdi[u]));
            json_t *comp = json_object();
            for (size_t c = 0; c < nc; c++) {
                size_t j2 = root->children[c];
                json_object_set_new(comp, m->nodes[j2].code, cli_json_num(r->score[u * N + j2]));
            }
            json_object_set_new(o, "components", comp);
            long st = ok ? r->stage[u] : -1;
            json_object_set_new(o, "stage", st >= 0 ? json_string(m->stages[st].code) : json_null());
            json_object_set_new(o, "stage_name",
                                st >= 0 ? json_string(rank_stage_name(m, st, lang)) : json_null());
            if (classes)
                json_object_set_new(o, "class", ok && r->klass[u] >= 0
                                                    ? json_string(rank_class_name(m, st, r->klass[u]))
                                                    : json_null());
            json_object_set_new(o, "coverage", cli_json_num(r->coverage[u]));
            json_object_set_new(o, "rankable", json_boolean(ok));
            json_object_set_new(o, "near_boundary",
                                json_boolean(ok && egdi_model_near_boundary(m, r->egdi[u])));
            if (cmp) {
                json_object_set_new(o, "previous_rank", v->prev_rank[u] > 0
                                                            ? json_integer(v->prev_rank[u])
                                                            : json_null());
                json_object_set_new(o, "rank_change", ok && v->prev_rank[u] > 0
                                                          ? json_integer(v->prev_rank[u] - v->rank[u])
                                                          : json_null());
                json_object_set_new(o, "previous_stage",
                                    v->prev_stage[u] >= 0
                                        ? json_string(m->stages[v->prev_stage[u]].code)
                                        : json_null());
            }
            json_array_append_new(arr, o);
        }
        json_object_set_new(j, "units", arr);
        if (cmp)
            json_object_set_new(j, "transitions", rank_transitions_json(v));
        int rc = cli_json_print(j, stdout);
        json_decref(j);
        return rc;
    }

    /* columns */
    size_t ncol = 4 + nc + 1 + (regions ? 1 : 0) + (fmt == CLI_TABLE ? (classes ? 2 : 1) : 0) +
                  (cmp ? 3 : 0);
    const char **h = malloc(ncol * sizeof *h);
    if (!h)
        return -1;
    size_t k = 0;
    h[k++] = "rank";
    h[k++] = "id";
    h[k++] = "name";
    if (regions)
        h[k++] = "region";
    h[k++] = "score";
    for (size_t c = 0; c < nc; c++)
        h[k++] = m->nodes[root->children[c]].code;
    h[k++] = "stage";
    if (fmt == CLI_TABLE && classes)
        h[k++] = "class";
    if (fmt == CLI_TABLE)
        h[k++] = "note";
    if (cmp) {
        h[k++] = "previous_rank";
        h[k++] = "change";
        h[k++] = "previous_stage";
    }
    char title[512];
    if (v->round > 0)
        snprintf(title, sizeof title, "round %d, model %s %s", v->round, m->name, m->version);
    else
        snprintf(title, sizeof title, "%s, model %s %s", v->source ? v->source : "", m->name,
                 m->version);
    cli_table *t = cli_table_new(title, ncol, h);
    free(h);
    if (!t)
        return -1;
    cli_table_right(t, 0);
    for (size_t c = 0; c <= nc; c++)
        cli_table_right(t, (regions ? 4 : 3) + c);
    int dg = m->digits;
    for (size_t p = 0; p < v->n; p++) {
        size_t u = v->order[p];
        bool ok = r->rankable[u] && v->rank[u] > 0;
        if (ok)
            cli_table_cellf(t, "%ld", v->rank[u]);
        else
            cli_table_cell(t, fmt == CLI_TABLE ? "-" : "");
        cli_table_cell(t, v->ids[u]);
        cli_table_cell(t, v->names && v->names[u] ? v->names[u] : "");
        if (regions)
            cli_table_cell(t, v->regions[u] ? v->regions[u] : "");
        cli_table_num(t, r->egdi[u], dg);
        for (size_t c = 0; c < nc; c++)
            cli_table_num(t, r->score[u * N + root->children[c]], dg);
        long st = ok ? r->stage[u] : -1;
        if (fmt == CLI_TABLE)
            cli_table_cell(t, rank_stage_name(m, st, lang));
        else
            cli_table_cell(t, st >= 0 ? m->stages[st].code : "");
        if (fmt == CLI_TABLE && classes)
            cli_table_cell(t, ok ? rank_class_name(m, st, r->klass[u]) : "");
        if (fmt == CLI_TABLE) {
            if (!ok)
                cli_table_cellf(t, "not rankable (coverage %.0f%%)", 100 * r->coverage[u]);
            else if (egdi_model_near_boundary(m, r->egdi[u]))
                cli_table_cell(t, "* near a stage boundary");
            else
                cli_table_cell(t, "");
        }
        if (cmp) {
            if (v->prev_rank[u] > 0)
                cli_table_cellf(t, "%ld", v->prev_rank[u]);
            else
                cli_table_cell(t, "");
            if (ok && v->prev_rank[u] > 0)
                cli_table_cellf(t, "%+ld", v->prev_rank[u] - v->rank[u]);
            else
                cli_table_cell(t, "");
            long ps = v->prev_stage[u];
            cli_table_cell(t, ps < 0 ? "" : fmt == CLI_TABLE ? rank_stage_name(m, ps, lang)
                                                             : m->stages[ps].code);
        }
        cli_table_end_row(t);
    }
    int rc = cli_table_print(t, stdout, fmt);
    cli_table_free(t);
    if (cmp && fmt == CLI_TABLE && rc == 0)
        rc = rank_print_transitions(v, lang);
    return rc;
}

static int rank_data(const char *file, const char *sheet, const char *model_name,
                     const char *idc, const char *namec, int digits, bool digits_given,
                     cli_format fmt, cli_lang lang)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_model *m = NULL;
    egdi_model_problems probs;
    egdi_status st = egdi_model_load(&m, model_name, &probs, &err);
    egdi_model_problems_free(&probs);
    if (st)
        return cli_report(CMD, &err);
    egdi_read_opts ro;
    egdi_read_opts_init(&ro);
    ro.sheet = sheet;
    egdi_reader *r = NULL;
    egdi_table_input t;
    memset(&t, 0, sizeof t);
    egdi_score_result *res = NULL;
    long *rank = NULL;
    size_t *order = NULL;
    int rc = CLI_OK;
    if ((st = egdi_reader_open(&r, file, &ro, &err)) ||
        (st = egdi_table_input_read(m, r, idc, namec, &t, &err)) ||
        (st = egdi_score_run(m, &t.in, &res, &err))) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    size_t n = t.in.nunits;
    rank = malloc((n ? n : 1) * sizeof *rank);
    order = malloc((n ? n : 1) * sizeof *order);
    if (!rank || !order) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    if (!digits_given)
        digits = m->rank_digits;
    if ((st = egdi_rank(res->egdi, res->rankable, n, digits, rank, order, &err))) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    rank_view v = {0};
    v.model = m;
    v.result = res;
    v.n = n;
    v.ids = (const char *const *)t.ids;
    v.names = (const char *const *)t.names;
    v.rank = rank;
    v.order = order;
    v.digits = digits;
    v.source = file;
    if (rank_print(&v, fmt, lang) != 0)
        rc = cli_fail(CMD, "cannot write the output");
    else
        rc = cli_finish_output(CMD);
done:
    free(rank);
    free(order);
    egdi_score_result_free(res);
    egdi_table_input_free(&t);
    egdi_reader_close(r);
    egdi_model_free(m);
    return rc;
}

int cmd_rank(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"data", required_argument, NULL, 'd'},   {"model", required_argument, NULL, 'm'},
        {"id", required_argument, NULL, 'i'},     {"name", required_argument, NULL, 'n'},
        {"sheet", required_argument, NULL, 's'},  {"rank-digits", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'f'}, {"lang", required_argument, NULL, 'l'},
        {"round", required_argument, NULL, 'R'},  {"kind", required_argument, NULL, 'k'},
        {"within", required_argument, NULL, 'w'}, {"compare", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    rank_opts o = {0};
    o.fmt = CLI_TABLE;
    o.lang = CLI_ZH;
    o.digits = -1;
    const char *data = NULL, *sheet = NULL, *idc = NULL, *namec = NULL;
    long x;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data = optarg;
            break;
        case 'm':
            o.model = optarg;
            break;
        case 'i':
            idc = optarg;
            break;
        case 'n':
            namec = optarg;
            break;
        case 's':
            sheet = optarg;
            break;
        case 'r':
            if (!cli_parse_long(optarg, 0, 15, &x))
                return cli_usage(CMD, "--rank-digits takes 0 to 15, not '%s'", optarg);
            o.digits = (int)x;
            o.digits_given = true;
            break;
        case 'f':
            if (!cli_parse_format(optarg, &o.fmt))
                return cli_usage(CMD, "bad --format '%s'", optarg);
            break;
        case 'l':
            if (!cli_parse_lang(optarg, &o.lang))
                return cli_usage(CMD, "bad --lang '%s'", optarg);
            break;
        case 'R':
            if (!cli_parse_long(optarg, 1900, 9999, &x))
                return cli_usage(CMD, "bad --round '%s'", optarg);
            o.round = (int)x;
            break;
        case 'c':
            if (!cli_parse_long(optarg, 1900, 9999, &x))
                return cli_usage(CMD, "bad --compare '%s'", optarg);
            o.compare = (int)x;
            break;
        case 'k':
            if (strcmp(optarg, "department") == 0)
                o.kind = EGDI_UNIT_DEPARTMENT;
            else if (strcmp(optarg, "region") == 0)
                o.kind = EGDI_UNIT_REGION;
            else
                return cli_usage(CMD, "--kind is department or region, not '%s'", optarg);
            break;
        case 'w':
            o.within = optarg;
            break;
        default:
            return cli_usage(CMD, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage(CMD, "unexpected '%s'", argv[optind]);
    if (data) {
        if (o.round || o.compare || o.kind || o.within)
            return cli_usage(CMD, "--data ranks a file; --round, --compare, --kind and --within "
                                  "are for the store");
        return rank_data(data, sheet, o.model ? o.model : EGDI_MODEL_DEFAULT, idc, namec,
                         o.digits, o.digits_given, o.fmt, o.lang);
    }
    if (!o.round)
        return cli_usage(CMD, "needs --round YEAR (the store) or --data FILE");
    return rank_store(&o, ctx);
}
