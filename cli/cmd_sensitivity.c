/*
 * cmd_sensitivity.c - `egdi sensitivity --round YEAR [assumptions]`: which
 * assumption moves the ranking.  With assumptions named (cli/assume_opt.c):
 * the Sobol first- and total-order indices of each (Saltelli's design of
 * N (d + 2) runs, Saltelli 2010 and Jansen estimators) for the mean
 * absolute rank shift against the nominal ranking, with bootstrap
 * intervals, and for each unit's score (the mean over the units in the
 * table, every unit in CSV and JSON, intervals for --unit CODE).  Always:
 * the leave-one-out table, each indicator and sub-index left out in turn
 * (its siblings re-weighted), with the mean absolute rank change and the
 * units it moves most.  From indicators/sensitivity.c; JSON keys:
 * docs/uncertainty.md.
 */
#include "cli/assume_cli.h"
#include "cli/cli.h"
#include "engine/store/store.h"
#include "indicators/sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMD "sensitivity"
#define MAX_UNITS 32

enum { OPT_ROUND, OPT_MODEL, OPT_BASE, OPT_BOOT, OPT_CONF, OPT_UNIT, OPT_FORMAT, OPT_LANG };

static const cli_option options[] = {
    {OPT_ROUND, "round", 0, "YEAR", "the scored round (its latest score run)"},
    {OPT_MODEL, "model", 0, "NAME|FILE", "the model's run (default: the latest run)"},
    {OPT_BASE, "base", 0, "N",
     "the base sample N: N (d + 2) runs for d assumptions (default 2048; a power of 2 suits the "
     "Sobol sequence)"},
    {OPT_BOOT, "boot", 0, "B", "bootstrap resamples for the intervals (default 1000; 0 = none)"},
    {OPT_CONF, "conf", 0, "LEVEL", "the intervals' level (default 0.95)"},
    {OPT_UNIT, "unit", 0, "CODE", "intervals for this unit's indices too; repeatable"},
    {OPT_FORMAT, "format", 0, "table|csv|json", "the output (default table)"},
    {OPT_LANG, "lang", 0, "zh|en", "the names of indicators (default zh)"},
    {0, NULL, 0, NULL, NULL},
};

static const char *node_name(const egdi_node *n, cli_lang lang)
{
    return lang == CLI_EN ? n->name_en : n->name_zh;
}

/* "[0.21, 0.35]" or "" */
static void ci_text(double lo, double hi, char *buf, size_t size)
{
    if (isnan(lo) || isnan(hi))
        buf[0] = size ? 0 : buf[0];
    else
        snprintf(buf, size, "[%.3f, %.3f]", lo, hi);
}

static json_t *group_obj(const egdi_sensitivity_result *r, const double *v)
{
    json_t *o = json_object();
    for (size_t i = 0; i < r->d; i++)
        json_object_set_new(o, egdi_uncertainty_group_name(r->groups[i]), cli_json_num(v[i]));
    return o;
}

static json_t *ci_obj(const egdi_sensitivity_result *r, const double *lo, const double *hi)
{
    json_t *o = json_object();
    for (size_t i = 0; i < r->d; i++)
        json_object_set_new(o, egdi_uncertainty_group_name(r->groups[i]),
                            isnan(lo[i]) ? json_null()
                                         : json_pack("[o,o]", cli_json_num(lo[i]),
                                                     cli_json_num(hi[i])));
    return o;
}

/* The kept output q's position among the units, or -1 for the rank shift. */
static long kept_unit(const egdi_sensitivity_stored *u, size_t q)
{
    return q == 0 ? -1 : (long)u->ci[q - 1];
}

static json_t *loo_json(const egdi_sensitivity_stored *u, cli_lang lang)
{
    const egdi_sensitivity_result *r = u->result;
    const egdi_model *m = u->round.model;
    const egdi_round_input *in = &u->round.in;
    json_t *arr = json_array();
    for (size_t i = 0; i < r->nloo; i++) {
        const egdi_sensitivity_loo *l = &r->loo[i];
        const egdi_node *n = &m->nodes[l->node];
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(n->code));
        json_object_set_new(o, "name", json_string(node_name(n, lang)));
        json_object_set_new(o, "level",
                            json_string(egdi_node_is_leaf(n) ? "indicator" : "sub-index"));
        json_object_set_new(o, "mean_rank_change", cli_json_num(l->mean_change));
        json_object_set_new(o, "max_rank_change", json_integer(l->max_change));
        json_object_set_new(o, "ranked", json_integer((json_int_t)l->ranked_both));
        json_object_set_new(o, "lost", json_integer((json_int_t)l->lost));
        json_t *mv = json_array();
        for (size_t k = 0; k < l->nmovers; k++) {
            size_t x = l->mover[k];
            json_array_append_new(
                mv, json_pack("{s:s,s:o,s:I}", "id", in->codes[x], "name",
                              in->names && in->names[x] ? json_string(in->names[x]) : json_null(),
                              "change", (json_int_t)l->change[k]));
        }
        json_object_set_new(o, "movers", mv);
        json_array_append_new(arr, o);
    }
    return arr;
}

static int print_json(const egdi_sensitivity_stored *u)
{
    const egdi_sensitivity_result *r = u->result;
    const egdi_model *m = u->round.model;
    const egdi_round_input *in = &u->round.in;
    const egdi_sobol_result *so = &r->sobol;
    json_t *j = json_object();
    json_object_set_new(j, "round", json_integer(u->round.year));
    json_object_set_new(j, "model", json_string(m->name));
    json_object_set_new(j, "model_version", json_string(m->version));
    json_object_set_new(j, "model_hash", json_string(m->hash));
    json_object_set_new(j, "varied", r->varied ? json_string(r->varied) : json_null());
    json_t *g = json_array();
    for (size_t i = 0; i < r->d; i++)
        json_array_append_new(g, json_string(egdi_uncertainty_group_name(r->groups[i])));
    json_object_set_new(j, "assumptions", g);
    if (r->d) {
        json_object_set_new(j, "base", json_integer((json_int_t)so->base));
        json_object_set_new(j, "evaluations", json_integer((json_int_t)so->evaluations));
        json_object_set_new(j, "sampler", json_string(egdi_uncertainty_sampler_name(so->sampler)));
        json_object_set_new(j, "boot", json_integer((json_int_t)so->boot));
        json_object_set_new(j, "conf", json_real(so->conf));
        json_t *rs = json_object();
        json_object_set_new(rs, "variance", cli_json_num(so->variance[0]));
        json_object_set_new(rs, "varies", json_boolean(so->varies[0]));
        json_object_set_new(rs, "first", group_obj(r, so->first));
        json_object_set_new(rs, "total", group_obj(r, so->total));
        json_object_set_new(rs, "first_ci", ci_obj(r, so->first_lo, so->first_hi));
        json_object_set_new(rs, "total_ci", ci_obj(r, so->total_lo, so->total_hi));
        json_object_set_new(j, "rank_shift", rs);
        json_t *arr = json_array();
        for (size_t i = 0; i < r->n; i++) {
            size_t x = r->units[i], o = 1 + i;
            json_t *uo = json_object();
            json_object_set_new(uo, "id", json_string(in->codes[x]));
            json_object_set_new(uo, "name", in->names && in->names[x] ? json_string(in->names[x])
                                                                     : json_null());
            json_object_set_new(uo, "score", cli_json_num(r->nominal[i]));
            json_object_set_new(uo, "varies", json_boolean(so->varies[o]));
            json_object_set_new(uo, "variance", cli_json_num(so->variance[o]));
            json_object_set_new(uo, "first", group_obj(r, so->first + o * r->d));
            json_object_set_new(uo, "total", group_obj(r, so->total + o * r->d));
            for (size_t q = 1; q < so->nkeep; q++)
                if (kept_unit(u, q) == (long)i) {
                    json_object_set_new(uo, "first_ci", ci_obj(r, so->first_lo + q * r->d,
                                                               so->first_hi + q * r->d));
                    json_object_set_new(uo, "total_ci", ci_obj(r, so->total_lo + q * r->d,
                                                               so->total_hi + q * r->d));
                }
            json_array_append_new(arr, uo);
        }
        json_object_set_new(j, "units", arr);
    }
    json_object_set_new(j, "leave_one_out", loo_json(u, CLI_EN));
    json_object_set_new(j, "stale", u->stale ? json_string(u->stale) : json_null());
    int rc = cli_json_print(j, stdout);
    json_decref(j);
    return rc;
}

/* The indices of output o (kept as q, or no intervals when q is 0 and o is
 * not the rank shift) as rows of t: assumption, S, interval, ST, interval. */
static void index_rows(cli_table *t, const egdi_sensitivity_result *r, size_t o, long q)
{
    const egdi_sobol_result *so = &r->sobol;
    for (size_t i = 0; i < r->d; i++) {
        char a[64] = "", b[64] = "";
        if (q >= 0) {
            ci_text(so->first_lo[q * r->d + i], so->first_hi[q * r->d + i], a, sizeof a);
            ci_text(so->total_lo[q * r->d + i], so->total_hi[q * r->d + i], b, sizeof b);
        }
        cli_table_cell(t, cli_tr(egdi_uncertainty_group_name(r->groups[i])));
        cli_table_num(t, so->first[o * r->d + i], 3);
        cli_table_cell(t, a);
        cli_table_num(t, so->total[o * r->d + i], 3);
        cli_table_cell(t, b);
        cli_table_end_row(t);
    }
}

static int print_loo(const egdi_sensitivity_stored *u, cli_format fmt, cli_lang lang)
{
    const egdi_sensitivity_result *r = u->result;
    const egdi_model *m = u->round.model;
    const egdi_round_input *in = &u->round.in;
    static const char *const h[] = {"left out", "name", "level", "mean |rank change|",
                                    "max", "lost", "moved most"};
    cli_table *t = cli_table_new(cli_trv(fmt, "leave one out: each indicator and sub-index "
                                              "removed, its siblings re-weighted"),
                                 7, h);
    if (!t)
        return -1;
    for (size_t c = 3; c <= 5; c++)
        cli_table_right(t, c);
    for (size_t i = 0; i < r->nloo; i++) {
        const egdi_sensitivity_loo *l = &r->loo[i];
        const egdi_node *n = &m->nodes[l->node];
        if (fmt == CLI_TABLE)
            cli_table_cellf(t, "%*s%s", (int)(2 * (n->depth - 1)), "", n->code);
        else
            cli_table_cell(t, n->code);
        cli_table_cell(t, node_name(n, lang));
        cli_table_cell(t, cli_trv(fmt, egdi_node_is_leaf(n) ? "indicator" : "sub-index"));
        cli_table_num(t, l->mean_change, 2);
        cli_table_cellf(t, "%ld", l->max_change);
        cli_table_cellf(t, "%zu", l->lost);
        char mv[256] = "";
        size_t len = 0;
        for (size_t k = 0; k < l->nmovers && len < sizeof mv; k++)
            len += (size_t)snprintf(mv + len, sizeof mv - len, "%s%s %+ld", k ? ", " : "",
                                    in->codes[l->mover[k]], l->change[k]);
        cli_table_cell(t, mv);
        cli_table_end_row(t);
    }
    if (fmt == CLI_TABLE)
        printf("\n");
    int rc = cli_table_print(t, stdout, fmt);
    cli_table_free(t);
    return rc;
}

static int print_table(const egdi_sensitivity_stored *u, cli_format fmt, cli_lang lang)
{
    const egdi_sensitivity_result *r = u->result;
    const egdi_model *m = u->round.model;
    const egdi_round_input *in = &u->round.in;
    const egdi_sobol_result *so = &r->sobol;
    int rc = 0;
    if (fmt == CLI_CSV) {
        /* CSV: the leave-one-out table; the indices are in JSON */
        if (r->d == 0)
            return print_loo(u, fmt, lang);
        /* one row per output and assumption */
        static const char *const h[] = {"output", "id", "assumption", "first", "first_lo",
                                        "first_hi", "total", "total_lo", "total_hi"};
        cli_table *t = cli_table_new(NULL, 9, h);
        if (!t)
            return -1;
        for (size_t o = 0; o <= r->n; o++) {
            long q = -1;
            for (size_t k = 0; k < so->nkeep; k++)
                if ((o == 0 && k == 0) || (o > 0 && kept_unit(u, k) == (long)(o - 1)))
                    q = (long)k;
            for (size_t i = 0; i < r->d; i++) {
                cli_table_cell(t, o == 0 ? "rank_shift" : "score");
                cli_table_cell(t, o == 0 ? "" : in->codes[r->units[o - 1]]);
                cli_table_cell(t, egdi_uncertainty_group_name(r->groups[i]));
                cli_table_num(t, so->first[o * r->d + i], 6);
                cli_table_num(t, q >= 0 ? so->first_lo[q * r->d + i] : NAN, 6);
                cli_table_num(t, q >= 0 ? so->first_hi[q * r->d + i] : NAN, 6);
                cli_table_num(t, so->total[o * r->d + i], 6);
                cli_table_num(t, q >= 0 ? so->total_lo[q * r->d + i] : NAN, 6);
                cli_table_num(t, q >= 0 ? so->total_hi[q * r->d + i] : NAN, 6);
                cli_table_end_row(t);
            }
        }
        rc = cli_table_print(t, stdout, fmt);
        cli_table_free(t);
        return rc;
    }
    printf(cli_tr("sensitivity of round %d (%s), model %s %s\n"), u->round.year,
           cli_tr(r->units && u->round.in.in.units[r->units[0]].kind == EGDI_UNIT_REGION
                      ? "regions"
                      : "departments"),
           m->name, m->version);
    if (r->d == 0) {
        printf("%s", cli_tr("no assumption named (--weights, --normalisation, --aggregation, "
                            "--missing, --data-error): no Sobol indices, the leave-one-out "
                            "table only\n"));
    } else {
        char varied[2048];
        printf(cli_tr("varied: %s\n"), cli_varied_text(r->varied, varied, sizeof varied));
        printf(cli_tr("Saltelli's design: N = %zu, %zu runs, %s; first order Saltelli 2010, "
                      "total order Jansen; %zu bootstrap resamples, %.0f %% intervals\n"),
               so->base, so->evaluations,
               cli_tr(so->sampler == EGDI_UNCERTAINTY_SOBOL ? "Sobol sequence" : "MT19937"),
               so->boot, 100 * so->conf);
        static const char *const h[] = {"assumption", "first order", "interval", "total order",
                                        "interval"};
        cli_table *t = cli_table_new("the mean absolute rank shift against the official ranking",
                                     5, h);
        if (!t)
            return -1;
        cli_table_right(t, 1);
        cli_table_right(t, 3);
        if (so->varies[0])
            index_rows(t, r, 0, 0);
        printf("\n");
        rc = cli_table_print(t, stdout, fmt);
        cli_table_free(t);
        if (!so->varies[0])
            printf("%s", cli_tr("the ranking does not move under these assumptions: no "
                                "indices\n"));
        /* the units' scores: the mean index over the units whose score varies */
        static const char *const hu[] = {"assumption", "mean first order", "mean total order",
                                         "units"};
        t = cli_table_new("each unit's score: the indices averaged over the units", 4, hu);
        if (!t)
            return -1;
        for (size_t c = 1; c <= 3; c++)
            cli_table_right(t, c);
        for (size_t i = 0; i < r->d; i++) {
            double sf = 0, st = 0;
            size_t n = 0;
            for (size_t o = 1; o <= r->n; o++)
                if (so->varies[o]) {
                    sf += so->first[o * r->d + i];
                    st += so->total[o * r->d + i];
                    n++;
                }
            cli_table_cell(t, cli_tr(egdi_uncertainty_group_name(r->groups[i])));
            cli_table_num(t, n ? sf / (double)n : NAN, 3);
            cli_table_num(t, n ? st / (double)n : NAN, 3);
            cli_table_cellf(t, "%zu", n);
            cli_table_end_row(t);
        }
        printf("\n");
        if (rc == 0)
            rc = cli_table_print(t, stdout, fmt);
        cli_table_free(t);
        for (size_t q = 1; q < so->nkeep && rc == 0; q++) {
            size_t pos = u->ci[q - 1], x = r->units[pos];
            char title[256];
            snprintf(title, sizeof title, cli_tr("%s %s: its score"), in->codes[x],
                     in->names && in->names[x] ? in->names[x] : "");
            t = cli_table_new(title, 5, h);
            if (!t)
                return -1;
            cli_table_right(t, 1);
            cli_table_right(t, 3);
            if (so->varies[1 + pos])
                index_rows(t, r, 1 + pos, (long)q);
            printf("\n");
            rc = cli_table_print(t, stdout, fmt);
            cli_table_free(t);
            if (!so->varies[1 + pos])
                printf("%s", cli_tr("its score does not change under these assumptions: no "
                                    "indices\n"));
        }
    }
    if (rc == 0)
        rc = print_loo(u, fmt, lang);
    if (u->stale) {
        char why[1024];
        printf("\n%s", cli_tr("note: "));
        printf(cli_tr("the scores of round %d are stale: %s; run 'egdi score --round %d' again"),
               u->round.year, cli_stale_text(u->stale, why, sizeof why), u->round.year);
        putchar('\n');
    }
    return rc;
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    long round = 0, x;
    double v;
    const char *model = NULL;
    const char *units[MAX_UNITS];
    size_t nunits = 0;
    cli_format fmt = CLI_TABLE;
    cli_lang lang = ctx->lang;
    egdi_sobol_opts so;
    egdi_sobol_opts_init(&so);
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
        case OPT_BASE:
            if (!cli_parse_long(arg, 2, EGDI_SOBOL_MAX_BASE, &x))
                return cli_usage(CMD, "--base takes 2 to %d, not '%s'", EGDI_SOBOL_MAX_BASE, arg);
            so.base = (size_t)x;
            break;
        case OPT_BOOT:
            if (!cli_parse_long(arg, 0, EGDI_SOBOL_MAX_BOOT, &x))
                return cli_usage(CMD, "--boot takes 0 to %d, not '%s'", EGDI_SOBOL_MAX_BOOT, arg);
            so.boot = (size_t)x;
            break;
        case OPT_CONF:
            if (!cli_parse_double(arg, &v) || !(v > 0 && v < 1))
                return cli_usage(CMD, "--conf takes a level between 0 and 1, not '%s'", arg);
            so.conf = v;
            break;
        case OPT_UNIT:
            if (nunits >= MAX_UNITS)
                return cli_usage(CMD, "at most %d --unit", MAX_UNITS);
            units[nunits++] = arg;
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
    so.sampler = a.o.sampler;
    int rc = cli_assume_finish(&a, CMD);
    if (rc != CLI_OK) {
        cli_assume_release(&a);
        return rc;
    }
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s = NULL;
    egdi_sensitivity_stored u;
    memset(&u, 0, sizeof u);
    cli_progress pr;
    so.progress = cli_progress_start(&pr, ctx, "sensitivity", "rows");
    egdi_status st = egdi_store_open(&s, ctx->db_path, EGDI_STORE_READONLY, &err);
    if (!st)
        st = egdi_sensitivity_round(s, (int)round, model, &a.o, &so, units, nunits, &u, &err);
    cli_progress_end(&pr);
    if (st)
        rc = cli_report(CMD, &err);
    else if ((fmt == CLI_JSON ? print_json(&u) : print_table(&u, fmt, lang)) != 0)
        rc = cli_fail(CMD, "cannot write the output");
    else
        rc = cli_finish_output(CMD);
    egdi_sensitivity_stored_release(&u);
    egdi_store_close(s);
    cli_assume_release(&a);
    return rc;
}

const cli_command cmd_sensitivity = {
    .name = CMD,
    .run = run,
    .summary = "which assumption moves the ranking: Sobol indices and leave-one-out",
    .usage = "--round YEAR [--weights uniform:W|dirichlet:C|sets] [--normalisation RULES] "
             "[--aggregation] [--missing POLICIES] [--data-error E] [--base N] [OPTIONS]",
    .options = options,
    .common = cli_assume_options,
    .notes = "Each assumption named is one input of the Sobol analysis (all its weights or "
             "rules together). The indices are for the mean absolute rank shift against the "
             "official ranking and for each unit's score; an output that does not vary has none. "
             "The leave-one-out table needs no assumption. CSV: the leave-one-out table without "
             "assumptions, else the indices. JSON keys: docs/uncertainty.md.",
};
