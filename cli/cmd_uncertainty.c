/*
 * cmd_uncertainty.c - `egdi uncertainty --round YEAR [assumptions]`: a
 * Monte Carlo over the assumptions named (cli/assume_opt.c; each refused
 * when the model has no such step) on the latest score run of the round,
 * stored in the store (indicators/uncertainty_store.c) and printed: per
 * unit of the kind ranked, in the official order, the nominal rank, the
 * 5 %-95 % rank interval and the median rank, the mean absolute rank
 * shift, the probability of the stage it was given (flagged "stage
 * uncertain" below 0.8), P(rank <= K) with --top, and in CSV and JSON the
 * probability of every stage.  JSON keys: docs/uncertainty.md.
 */
#include "cli/assume_cli.h"
#include "cli/cli.h"
#include "engine/store/store.h"
#include "indicators/uncertainty.h"
#include "indicators/uncertainty_store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMD "uncertainty"

enum { OPT_ROUND, OPT_MODEL, OPT_DRAWS, OPT_TOP, OPT_FORMAT, OPT_LANG };

static const cli_option options[] = {
    {OPT_ROUND, "round", 0, "YEAR", "the scored round (its latest score run)"},
    {OPT_MODEL, "model", 0, "NAME|FILE", "the model's run (default: the latest run)"},
    {OPT_DRAWS, "draws", 0, "N", "Monte Carlo draws (default 10000)"},
    {OPT_TOP, "top", 0, "K", "also P(rank <= K) of every unit"},
    {OPT_FORMAT, "format", 0, "table|csv|json", "the output (default table)"},
    {OPT_LANG, "lang", 0, "zh|en", "the names of stages (default zh)"},
    {0, NULL, 0, NULL, NULL},
};

static const char *stage_name(const egdi_stage *s, cli_lang lang)
{
    return lang == CLI_EN ? s->name_en : s->name_zh;
}

/* "12", "12.5": a rank statistic as few digits as it needs. */
static void rank_text(double v, char *buf, size_t size)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.4g", v);
}

/* A rank statistic in CSV: as many digits as it has ("12", "12.5"). */
static void rank_cell(cli_table *t, double v)
{
    if (isnan(v))
        cli_table_cell(t, "");
    else
        cli_table_cellf(t, "%.10g", v);
}

static json_t *unit_json(const egdi_uncertainty_stored *u, const egdi_uncertainty_unit *x,
                         cli_lang lang)
{
    const egdi_uncertainty_result *r = u->result;
    const egdi_model *m = u->round.model;
    const egdi_round_input *in = &u->round.in;
    size_t i = x->unit;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(in->codes[i]));
    json_object_set_new(o, "name",
                        in->names && in->names[i] ? json_string(in->names[i]) : json_null());
    json_object_set_new(o, "score", cli_json_num(x->nominal_score));
    json_object_set_new(o, "rank", x->nominal_rank > 0 ? json_integer(x->nominal_rank)
                                                       : json_null());
    long st = x->nominal_stage;
    json_object_set_new(o, "stage", st >= 0 ? json_string(m->stages[st].code) : json_null());
    json_object_set_new(o, "stage_name",
                        st >= 0 ? json_string(stage_name(&m->stages[st], lang)) : json_null());
    json_object_set_new(o, "p_stage", st >= 0 ? cli_json_num(egdi_uncertainty_p_stage(
                                                    r, x, (size_t)st))
                                              : json_null());
    json_object_set_new(o, "stage_uncertain",
                        json_boolean(egdi_uncertainty_stage_uncertain(r, x)));
    json_object_set_new(o, "median_rank", cli_json_num(x->median));
    json_object_set_new(o, "rank_lo", cli_json_num(x->lo));
    json_object_set_new(o, "rank_hi", cli_json_num(x->hi));
    json_object_set_new(o, "mean_shift", cli_json_num(x->shift));
    json_object_set_new(o, "ranked_draws", json_integer((json_int_t)x->ranked));
    if (r->top)
        json_object_set_new(o, "p_top", cli_json_num((double)x->top / (double)r->draws));
    json_t *ps = json_object();
    for (size_t s = 0; s < m->nstages; s++)
        json_object_set_new(ps, m->stages[s].code,
                            cli_json_num(egdi_uncertainty_p_stage(r, x, s)));
    json_object_set_new(o, "stages", ps);
    return o;
}

/* The result as one JSON object (also `egdi rank --uncertainty`'s
 * "uncertainty" header, without the units). */
static int print_json(const egdi_uncertainty_stored *u, cli_lang lang)
{
    const egdi_uncertainty_result *r = u->result;
    const egdi_model *m = u->round.model;
    json_t *j = json_object();
    json_object_set_new(j, "round", json_integer(u->round.year));
    json_object_set_new(j, "model", json_string(m->name));
    json_object_set_new(j, "model_version", json_string(m->version));
    json_object_set_new(j, "model_hash", json_string(m->hash));
    json_object_set_new(j, "inputs_hash", json_string(u->inputs_hash));
    json_object_set_new(j, "run_id", json_integer((json_int_t)u->id));
    json_object_set_new(j, "kind", json_string(r->kind == EGDI_UNIT_REGION ? "region"
                                                                           : "department"));
    json_object_set_new(j, "varied", json_string(r->varied));
    json_object_set_new(j, "sampler", json_string(egdi_uncertainty_sampler_name(r->sampler)));
    json_object_set_new(j, "dimensions", json_integer((json_int_t)r->columns));
    json_object_set_new(j, "seed", json_integer((json_int_t)r->seed));
    json_object_set_new(j, "draws", json_integer((json_int_t)r->draws));
    json_object_set_new(j, "top", r->top ? json_integer((json_int_t)r->top) : json_null());
    json_object_set_new(j, "rank_digits", r->digits >= 0 ? json_integer(r->digits) : json_null());
    json_object_set_new(j, "weight_sets",
                        u->weight_sets ? json_string(u->weight_sets) : json_null());
    json_object_set_new(j, "stage_sure", json_real(EGDI_UNCERTAINTY_STAGE_SURE));
    json_object_set_new(j, "mean_shift", cli_json_num(r->mean_shift));
    json_object_set_new(j, "stale", u->stale ? json_string(u->stale) : json_null());
    json_t *arr = json_array();
    for (size_t i = 0; i < r->n; i++)
        json_array_append_new(arr, unit_json(u, &r->units[i], lang));
    json_object_set_new(j, "units", arr);
    int rc = cli_json_print(j, stdout);
    json_decref(j);
    return rc;
}

static int print_table(const egdi_uncertainty_stored *u, cli_format fmt, cli_lang lang)
{
    const egdi_uncertainty_result *r = u->result;
    const egdi_model *m = u->round.model;
    const egdi_round_input *in = &u->round.in;
    size_t S = m->nstages;
    bool csv = fmt == CLI_CSV;
    size_t ncol = csv ? 11 + (r->top ? 1 : 0) + S : 10 + (r->top ? 1 : 0);
    const char **h = malloc(ncol * sizeof *h);
    char **owned = calloc(S + 1, sizeof *owned);
    char top_h[64];
    snprintf(top_h, sizeof top_h, csv ? "p_top" : cli_tr("P(rank<=%zu)"), r->top);
    if (!h || !owned) {
        free(h);
        free(owned);
        return -1;
    }
    size_t c = 0;
    h[c++] = "rank";
    h[c++] = "id";
    h[c++] = "name";
    h[c++] = "score";
    h[c++] = "stage";
    h[c++] = csv ? "p_stage" : "P(stage)";
    if (csv) {
        h[c++] = "rank_lo";
        h[c++] = "median_rank";
        h[c++] = "rank_hi";
    } else {
        h[c++] = "rank 5-95%";
        h[c++] = "median";
    }
    h[c++] = csv ? "mean_shift" : "shift";
    if (r->top)
        h[c++] = top_h;
    if (csv) {
        h[c++] = "stage_uncertain";
        for (size_t s = 0; s < S; s++) {
            size_t n = strlen(m->stages[s].code) + 3;
            owned[s] = malloc(n);
            if (owned[s])
                snprintf(owned[s], n, "p_%s", m->stages[s].code);
            h[c++] = owned[s] ? owned[s] : "p_";
        }
    } else {
        h[c++] = "note";
    }
    char title[512];
    snprintf(title, sizeof title,
             cli_trv(fmt, "uncertainty of round %d (%s), model %s %s: %zu draws, %s, seed %llu"),
             u->round.year, cli_trv(fmt, r->kind == EGDI_UNIT_REGION ? "regions" : "departments"),
             m->name, m->version, r->draws,
             cli_trv(fmt, r->sampler == EGDI_UNCERTAINTY_SOBOL ? "Sobol sequence" : "MT19937"),
             (unsigned long long)r->seed);
    cli_table *t = cli_table_new(title, ncol, h);
    free(h);
    for (size_t s = 0; s < S; s++)
        free(owned[s]);
    free(owned);
    if (!t)
        return -1;
    cli_table_right(t, 0);
    cli_table_right(t, 3);
    cli_table_right(t, 5);
    for (size_t k = 6; k < (csv ? 10u : 9u) + (r->top ? 1 : 0); k++)
        cli_table_right(t, k);
    size_t uncertain = 0;
    for (size_t i = 0; i < r->n; i++) {
        const egdi_uncertainty_unit *x = &r->units[i];
        size_t k = x->unit;
        long st = x->nominal_stage;
        bool flag = egdi_uncertainty_stage_uncertain(r, x);
        uncertain += flag;
        if (x->nominal_rank > 0)
            cli_table_cellf(t, "%ld", x->nominal_rank);
        else
            cli_table_cell(t, csv ? "" : "-");
        cli_table_cell(t, in->codes[k]);
        cli_table_cell(t, in->names && in->names[k] ? in->names[k] : "");
        cli_table_num(t, x->nominal_score, m->digits);
        cli_table_cell(t, st < 0 ? "" : csv ? m->stages[st].code : stage_name(&m->stages[st], lang));
        if (st >= 0)
            cli_table_num(t, egdi_uncertainty_p_stage(r, x, (size_t)st), 3);
        else
            cli_table_cell(t, "");
        char lo[32], md[32], hi[32];
        rank_text(x->lo, lo, sizeof lo);
        rank_text(x->median, md, sizeof md);
        rank_text(x->hi, hi, sizeof hi);
        if (csv) {
            rank_cell(t, x->lo);
            rank_cell(t, x->median);
            rank_cell(t, x->hi);
        } else {
            cli_table_cellf(t, "%s - %s", lo, hi);
            cli_table_cell(t, md);
        }
        cli_table_num(t, x->shift, csv ? 6 : 1);
        if (r->top)
            cli_table_num(t, (double)x->top / (double)r->draws, 3);
        if (csv) {
            cli_table_cell(t, flag ? "true" : "false");
            for (size_t s = 0; s < S; s++)
                cli_table_num(t, egdi_uncertainty_p_stage(r, x, s), 6);
        } else if (x->nominal_rank <= 0) {
            cli_table_cell(t, cli_tr("not rankable"));
        } else {
            cli_table_cell(t, flag ? cli_tr("stage uncertain") : "");
        }
        cli_table_end_row(t);
    }
    int rc = cli_table_print(t, stdout, fmt);
    cli_table_free(t);
    if (fmt == CLI_TABLE && rc == 0) {
        char varied[2048];
        printf(cli_tr("\nvaried: %s\n"), cli_varied_text(r->varied, varied, sizeof varied));
        printf(cli_tr("%zu dimensions; mean absolute rank shift %.2f; %zu %s with P(stage) below "
                      "%.1f (stage uncertain)\n"),
               r->columns, r->mean_shift, uncertain,
               cli_tr(r->kind == EGDI_UNIT_REGION ? "regions" : "departments"),
               EGDI_UNCERTAINTY_STAGE_SURE);
        printf(cli_tr("stored as uncertainty run %lld (egdi rank --round %d --uncertainty shows "
                      "it)\n"),
               (long long)u->id, u->round.year);
        if (u->stale) {
            char why[1024];
            fputs(cli_tr("note: "), stdout);
            printf(cli_tr("the scores of round %d are stale: %s; run 'egdi score --round %d' "
                          "again"),
                   u->round.year, cli_stale_text(u->stale, why, sizeof why), u->round.year);
            putchar('\n');
        }
    }
    return rc;
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    long round = 0, x;
    const char *model = NULL;
    cli_format fmt = CLI_TABLE;
    cli_lang lang = ctx->lang;
    cli_assume a;
    cli_assume_init(&a);
    cli_getopt g;
    const char *arg;
    int c;
    if (cli_getopt_init(&g, CMD, options, cli_assume_options, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        int h = cli_assume_option(&a, c, arg, CMD);
        if (h == CLI_USAGE)
            return CLI_USAGE;
        if (h)
            continue;
        switch (c) {
        case OPT_ROUND:
            if (!cli_parse_long(arg, 1900, 9999, &round))
                return cli_usage(CMD, "bad --round '%s'", arg);
            break;
        case OPT_MODEL:
            model = arg;
            break;
        case OPT_DRAWS:
            if (!cli_parse_long(arg, 1, EGDI_UNCERTAINTY_MAX_DRAWS, &x))
                return cli_usage(CMD, "--draws takes 1 to %d, not '%s'",
                                 EGDI_UNCERTAINTY_MAX_DRAWS, arg);
            a.o.draws = (size_t)x;
            break;
        case OPT_TOP:
            if (!cli_parse_long(arg, 1, 1000000, &x))
                return cli_usage(CMD, "--top takes a rank of 1 or more, not '%s'", arg);
            a.o.top = (size_t)x;
            break;
        case OPT_FORMAT:
            if (!cli_parse_format(arg, &fmt))
                return cli_usage(CMD, "bad --format '%s'", arg);
            break;
        case OPT_LANG:
            if (!cli_parse_lang(arg, &lang))
                return cli_usage(CMD, "bad --lang '%s'", arg);
            break;
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind != argc)
        return cli_usage(CMD, "unexpected '%s'", argv[optind]);
    if (!round)
        return cli_usage(CMD, "needs --round YEAR");
    int rc = cli_assume_finish(&a, CMD);
    if (rc != CLI_OK) {
        cli_assume_release(&a);
        return rc;
    }
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s = NULL;
    egdi_uncertainty_stored u;
    memset(&u, 0, sizeof u);
    cli_progress pr;
    a.o.progress = cli_progress_start(&pr, ctx, "Monte Carlo", "draws");
    egdi_status st = egdi_store_open(&s, ctx->db_path, 0, &err);
    if (!st)
        st = egdi_uncertainty_round(s, (int)round, model, &a.o, EGDI_VERSION, &u, &err);
    cli_progress_end(&pr);
    if (st)
        rc = cli_report(CMD, &err);
    else if ((fmt == CLI_JSON ? print_json(&u, lang) : print_table(&u, fmt, lang)) != 0)
        rc = cli_fail(CMD, "cannot write the output");
    else
        rc = cli_finish_output(CMD);
    egdi_uncertainty_stored_release(&u);
    egdi_store_close(s);
    cli_assume_release(&a);
    return rc;
}

const cli_command cmd_uncertainty = {
    .name = CMD,
    .run = run,
    .summary = "how sure the ranking is: rank intervals and stage probabilities (Monte Carlo)",
    .usage = "--round YEAR [--weights uniform:W|dirichlet:C|sets] [--normalisation RULES] "
             "[--aggregation] [--missing POLICIES] [--data-error E] [OPTIONS]",
    .options = options,
    .common = cli_assume_options,
    .notes = "Each assumption is named explicitly and refused when the model has no such step. "
             "The nominal ranking is the stored score run's; the run is stored (what was varied, "
             "sampler, seed, draws, model and inputs SHA-256) and 'egdi rank' shows it with its "
             "uncertainty option. A seed gives the same numbers on any number of threads. Rank intervals "
             "are the 5 % and 95 % quantiles (R type 7) of a unit's rank over the draws; a unit "
             "whose P(assigned stage) is below 0.8 is 'stage uncertain'. JSON keys: "
             "docs/uncertainty.md.",
};
