/*
 * cmd_score.c - `egdi score --round YEAR [--model NAME|FILE]`: scores the
 * round's observations with the model and stores every indicator score,
 * sub-index, EGDI, stage and rank with the model's name, version and hash
 * and the inputs' hash, in one transaction (replacing an earlier run of the
 * same model and round).  Prints a summary (JSON keys: round, model,
 * model_version, model_hash, inputs_hash, run_id, units, rankable,
 * not_rankable, stages{CODE: count}, indicators [{code, kind, units,
 * scored, missing, imputed}], warnings [text], surveys [{code, survey,
 * round, scale, items, statistic, respondents, gate_n, min_n, alpha,
 * min_alpha, item_analysis, cr_min, cr_failed, kmo, min_kmo, failed, note,
 * batches, conflict, departments, regions {units, scored, respondents,
 * fewest, most, too_few, conflicts, metric_used}, conflicts [{unit, survey,
 * respondents, metric, file, row, used}]}]).  The table prints a line per
 * survey indicator (respondents, alpha, units scored, too few, the gates
 * that failed) and each conflict with a metric imported for the same unit.
 *
 * Then, per indicator and unit kind, how many units had a value, how many
 * had none and were re-weighted away (or imputed); an indicator without a
 * value for more than half the units of a kind is a warning naming it
 * (egdi_score_warnings, the same warnings `egdi rank` and the report
 * carry), counted from the run as stored.
 */
#include "cli/cli.h"
#include "engine/store/store.h"
#include "indicators/model.h"
#include "indicators/score.h"
#include "indicators/score_store.h"
#include "indicators/survey_source.h"

#include <stdlib.h>
#include <string.h>

#define CMD "score"

enum { OPT_ROUND, OPT_MODEL, OPT_FORMAT };

static const cli_option options[] = {
    {OPT_ROUND, "round", 0, "YEAR", "the round whose observations are scored"},
    {OPT_MODEL, "model", 0, "NAME|FILE", "the model (default " EGDI_MODEL_DEFAULT ")"},
    {OPT_FORMAT, "format", 0, "table|csv|json", "the summary (default table)"},
    {0, NULL, 0, NULL, NULL},
};

/* Per indicator and kind: units, with a value, re-weighted away, imputed. */
static void print_counts(const egdi_model *m, const egdi_score_count *cnt)
{
    static const char *const h[] = {"indicator", "name", "kind",    "units",
                                    "value",     "missing (re-weighted)", "imputed"};
    cli_table *t = cli_table_new("indicators: how many units had a value", 7, h);
    if (!t)
        return;
    for (size_t c = 3; c <= 6; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < 2; k++)
        for (size_t j = 0; j < m->nnodes; j++) {
            const egdi_score_count *c = &cnt[2 * j + k];
            if (!c->units)
                continue;
            cli_table_cell(t, m->nodes[j].code);
            cli_table_cell(t, cli_lang_now() == CLI_EN ? m->nodes[j].name_en : m->nodes[j].name_zh);
            cli_table_cell(t, cli_lang_now() == CLI_ZH ? (k ? "地区" : "部门")
                                                       : (k ? "region" : "department"));
            cli_table_cellf(t, "%zu", c->units);
            cli_table_cellf(t, "%zu", c->scored);
            cli_table_cellf(t, "%zu", c->missing);
            cli_table_cellf(t, "%zu", c->imputed);
            cli_table_end_row(t);
        }
    printf("\n");
    cli_table_print(t, stdout, CLI_TABLE);
    cli_table_free(t);
}

/* ---- the indicators computed from a survey ------------------------------------- */

#define SCORE_CONFLICTS_SHOWN 10

typedef struct {
    const egdi_round *rd;
    const egdi_survey_indicator *ind;
    json_t *arr;      /* JSON: every conflict */
    size_t shown, n;  /* table: lines printed, conflicts seen */
} conflict_ctx;

static egdi_status on_conflict(void *ctx, const egdi_survey_conflict *c, egdi_error *err)
{
    (void)err;
    conflict_ctx *k = ctx;
    const egdi_round_input *in = &k->rd->in;
    const char *code = k->rd->model->nodes[k->ind->node].code;
    k->n++;
    if (k->arr) {
        json_array_append_new(
            k->arr, json_pack("{s:s,s:o,s:I,s:o,s:o,s:o,s:s}", "unit", in->codes[c->unit],
                              "survey", cli_json_num(c->survey), "respondents", (json_int_t)c->n,
                              "metric", cli_json_num(c->metric), "file",
                              c->file ? json_string(c->file) : json_null(), "row",
                              c->row ? json_integer(c->row) : json_null(), "used",
                              c->survey_used ? "survey" : "metric"));
        return EGDI_OK;
    }
    if (k->shown++ >= SCORE_CONFLICTS_SHOWN)
        return EGDI_OK;
    char where[600] = "";
    if (c->file)
        snprintf(where, sizeof where, cli_tr(" (%s row %d)"), c->file, c->row);
    printf(cli_tr("conflict: %s of %s %s: survey %.4g (%zu respondents) and imported metric "
                  "%.6g%s; the %s's value is used (the model's conflict rule)\n"),
           code, in->codes[c->unit], in->names[c->unit] ? in->names[c->unit] : "", c->survey,
           c->n, c->metric, where, cli_tr(c->survey_used ? "survey" : "metric"));
    return EGDI_OK;
}

static json_t *tally_json(const egdi_survey_tally *t)
{
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "units", (json_int_t)t->units,
                     "scored", (json_int_t)t->valued, "respondents", (json_int_t)t->respondents,
                     "fewest", (json_int_t)t->n_min, "most", (json_int_t)t->n_max,
                     "too_few", (json_int_t)t->few, "conflicts", (json_int_t)t->conflicts,
                     "metric_used", (json_int_t)t->metric_used);
}

/*
 * The run's survey indicators: a line each (table) with its conflicts, or
 * the "surveys" array (JSON).  *jsurveys NULL for the table.
 */
static int print_surveys(egdi_store *s, const egdi_round *rd, json_t *jsurveys)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_survey_results sv;
    if (egdi_survey_load_run(s, rd->run_id, rd->model, &rd->in, &sv, &err))
        return cli_report(CMD, &err);
    int rc = CLI_OK;
    if (!jsurveys && sv.n)
        printf("%s", cli_tr("\nindicators computed from a survey\n"));
    for (size_t i = 0; i < sv.n && rc == CLI_OK; i++) {
        const egdi_survey_indicator *ind = &sv.v[i];
        conflict_ctx cc = {rd, ind, NULL, 0, 0};
        if (jsurveys) {
            egdi_survey_tally td, tr;
            egdi_survey_tally_kind(rd->model, &rd->in, ind, EGDI_UNIT_DEPARTMENT, &td);
            egdi_survey_tally_kind(rd->model, &rd->in, ind, EGDI_UNIT_REGION, &tr);
            cc.arr = json_array();
            json_t *o = json_object();
            json_object_set_new(o, "code", json_string(rd->model->nodes[ind->node].code));
            json_object_set_new(o, "survey", json_string(ind->survey));
            json_object_set_new(o, "round", json_integer(ind->round));
            json_object_set_new(o, "scale", ind->scale ? json_string(ind->scale) : json_null());
            json_object_set_new(o, "items", ind->items ? json_string(ind->items) : json_null());
            json_object_set_new(o, "statistic", json_string(ind->statistic));
            json_object_set_new(o, "respondents", json_integer((json_int_t)ind->respondents));
            json_object_set_new(o, "gate_n", json_integer((json_int_t)ind->gate_n));
            json_object_set_new(o, "min_n", json_integer((json_int_t)ind->min_n));
            json_object_set_new(o, "alpha", cli_json_num(ind->alpha));
            json_object_set_new(o, "min_alpha", cli_json_num(ind->min_alpha));
            json_object_set_new(o, "item_analysis", json_boolean(ind->item_check));
            json_object_set_new(o, "cr_min", cli_json_num(ind->cr_min));
            json_object_set_new(o, "cr_failed",
                                ind->cr_failed ? json_string(ind->cr_failed) : json_null());
            json_object_set_new(o, "kmo", cli_json_num(ind->kmo));
            json_object_set_new(o, "min_kmo", cli_json_num(ind->min_kmo));
            json_object_set_new(o, "failed", ind->failed ? json_string(ind->failed) : json_null());
            json_object_set_new(o, "note", ind->note ? json_string(ind->note) : json_null());
            json_object_set_new(o, "batches",
                                ind->batches ? json_string(ind->batches) : json_null());
            json_object_set_new(o, "conflict",
                                json_string(ind->conflict == EGDI_PREFER_METRIC ? "metric"
                                                                                : "survey"));
            json_object_set_new(o, "departments", tally_json(&td));
            json_object_set_new(o, "regions", tally_json(&tr));
            json_object_set_new(o, "conflicts", cc.arr);
            json_array_append_new(jsurveys, o);
        } else {
            char line[2048];
            printf("  %s\n",
                   egdi_survey_indicator_text(rd->model, &rd->in, ind, cli_lang_now() == CLI_ZH,
                                              line, sizeof line));
        }
        if (egdi_survey_conflicts_each(s, rd->model, &rd->in, ind, rd->year, on_conflict, &cc,
                                       &err))
            rc = cli_report(CMD, &err);
        else if (!jsurveys && cc.n > SCORE_CONFLICTS_SHOWN)
            printf(cli_tr("... and %zu more conflicts (all of them with --format json)\n"),
                   cc.n - SCORE_CONFLICTS_SHOWN);
    }
    egdi_survey_results_release(&sv);
    return rc;
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    long round = 0;
    const char *model = EGDI_MODEL_DEFAULT;
    cli_format fmt = CLI_TABLE;
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
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind != argc)
        return cli_usage(CMD, "unexpected '%s'", argv[optind]);
    if (!round)
        return cli_usage(CMD, "needs --round YEAR");
    egdi_error err;
    egdi_error_clear(&err);
    egdi_model *m = NULL;
    egdi_store *s = NULL;
    egdi_score_summary sum;
    int rc = CLI_OK;
    cli_progress pr;
    const egdi_progress *p = cli_progress_start(&pr, ctx, "scoring", "units");
    if (egdi_store_open(&s, ctx->db_path, 0, &err) ||
        egdi_score_model_open(s, model, &m, &err) ||
        egdi_score_round(s, m, (int)round, EGDI_VERSION, p, &sum, &err)) {
        cli_progress_end(&pr);
        rc = cli_report(CMD, &err);
        goto done;
    }
    cli_progress_end(&pr);
    /* how each indicator fared, from the run as stored */
    egdi_round rd;
    if (egdi_score_load_run(s, (int)round, m->name, &rd, &err)) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    size_t N = rd.model->nnodes;
    egdi_score_count *cnt = malloc(2 * (N ? N : 1) * sizeof *cnt);
    egdi_score_warning *warn = malloc(2 * (N ? N : 1) * sizeof *warn);
    if (!cnt || !warn) {
        free(cnt);
        free(warn);
        egdi_round_release(&rd);
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    egdi_score_counts(rd.model, &rd.in.in, rd.result, cnt);
    size_t nwarn = egdi_score_warnings(rd.model, cnt, warn);
    const size_t *counts = sum.stage_counts;
    size_t ranked = sum.rankable, units = sum.units;
    if (fmt == CLI_JSON) {
        json_t *j = json_pack("{s:i,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I}", "round", (int)round,
                              "model", m->name, "model_version", m->version, "model_hash",
                              m->hash, "inputs_hash", sum.inputs_hash, "run_id", (json_int_t)sum.run_id,
                              "units", (json_int_t)units, "rankable", (json_int_t)ranked,
                              "not_rankable", (json_int_t)(units - ranked));
        json_t *sc = json_object();
        for (size_t i = 0; i < m->nstages; i++)
            json_object_set_new(sc, m->stages[i].code, json_integer((json_int_t)counts[i]));
        json_object_set_new(j, "stages", sc);
        json_t *inds = json_array(), *wa = json_array();
        for (size_t k = 0; k < 2; k++)
            for (size_t jn = 0; jn < N; jn++) {
                const egdi_score_count *cc = &cnt[2 * jn + k];
                if (cc->units)
                    json_array_append_new(
                        inds, json_pack("{s:s,s:s,s:I,s:I,s:I,s:I}", "code",
                                        rd.model->nodes[jn].code, "kind",
                                        k ? "region" : "department", "units",
                                        (json_int_t)cc->units, "scored", (json_int_t)cc->scored,
                                        "missing", (json_int_t)cc->missing, "imputed",
                                        (json_int_t)cc->imputed));
            }
        for (size_t w = 0; w < nwarn; w++) {
            char line[512];
            json_array_append_new(
                wa, json_string(egdi_score_warning_text(rd.model, &warn[w], false, line,
                                                        sizeof line)));
        }
        json_object_set_new(j, "indicators", inds);
        json_object_set_new(j, "warnings", wa);
        json_t *sa = json_array();
        json_object_set_new(j, "surveys", sa);
        if (print_surveys(s, &rd, sa) != CLI_OK) {
            json_decref(j);
            free(cnt);
            free(warn);
            egdi_round_release(&rd);
            rc = CLI_FAIL;
            goto done;
        }
        cli_json_print(j, stdout);
        json_decref(j);
    } else {
        static const char *const h[] = {"what", "value"};
        char title[128];
        snprintf(title, sizeof title, cli_trv(fmt, "scored round %ld"), round);
        cli_table *t = cli_table_new(title, 2, h);
        cli_table_cell(t, cli_trv(fmt, "model"));
        cli_table_cellf(t, "%s %s", m->name, m->version);
        cli_table_end_row(t);
        cli_table_cell(t, cli_trv(fmt, "model sha256"));
        cli_table_cell(t, m->hash);
        cli_table_end_row(t);
        cli_table_cell(t, cli_trv(fmt, "inputs sha256"));
        cli_table_cell(t, sum.inputs_hash);
        cli_table_end_row(t);
        cli_table_cell(t, cli_trv(fmt, "units"));
        cli_table_cellf(t, cli_trv(fmt, "%zu (%zu rankable, %zu not rankable)"), units, ranked,
                        units - ranked);
        cli_table_end_row(t);
        for (size_t i = 0; i < m->nstages; i++) {
            const egdi_stage *sg = &m->stages[i];
            cli_table_cellf(t, cli_trv(fmt, "stage %s"),
                            fmt != CLI_TABLE ? sg->code
                            : cli_lang_now() == CLI_ZH ? sg->name_zh : sg->name_en);
            cli_table_cellf(t, "%zu", counts[i]);
            cli_table_end_row(t);
        }
        cli_table_print(t, stdout, fmt);
        cli_table_free(t);
        if (fmt == CLI_TABLE)
            print_counts(rd.model, cnt);
        if (fmt == CLI_TABLE && print_surveys(s, &rd, NULL) != CLI_OK) {
            free(cnt);
            free(warn);
            egdi_round_release(&rd);
            rc = CLI_FAIL;
            goto done;
        }
        for (size_t w = 0; w < nwarn; w++) {
            char line[512];
            if (fmt == CLI_TABLE && cli_lang_now() == CLI_ZH)
                egdi_score_warning_zh(rd.model, &warn[w], line, sizeof line);
            else /* the names in the language read (JSON keeps the Chinese) */
                egdi_score_warning_text(rd.model, &warn[w],
                                        fmt == CLI_TABLE && cli_lang_now() == CLI_EN, line,
                                        sizeof line);
            if (fmt == CLI_TABLE)
                printf("%s%s\n", cli_tr("warning: "), line);
            else
                cli_fail(CMD, "warning: %s", line);
        }
    }
    free(cnt);
    free(warn);
    egdi_round_release(&rd);
    rc = cli_finish_output(CMD);
done:
    egdi_store_close(s);
    egdi_model_free(m);
    return rc;
}

const cli_command cmd_score = {
    .name = CMD,
    .run = run,
    .summary = "score a round with a model and store every score",
    .usage = "--round YEAR [--model NAME|FILE] [--format table|csv|json]",
    .options = options,
    .notes = "Stores every indicator score, sub-index, EGDI, stage and rank with the model's "
             "name, version and SHA-256 and the inputs' SHA-256, in one transaction; a new run "
             "replaces an earlier run of the same model and round.",
};
