/*
 * rank_store.c - `egdi rank --round YEAR`: the ranking rebuilt from a
 * stored score run (the latest of the round, or of --model's name), with
 * --kind (default department: departments and regions are ranked
 * separately), --within REGION (the departments of one region) and
 * --compare YEAR (previous rank, rank change, previous stage, the stage
 * transition matrix and stage counts of both rounds).
 *
 * JSON "transitions": {"from_round", "to_round", "stages": [codes],
 * "matrix": [[count from stage i (rows, previous) to stage j]],
 * "counts": {"previous": {CODE: n}, "current": {CODE: n}}}.
 */
#include "cli/rank_cli.h"
#include "indicators/rank.h"
#include "indicators/score_store.h"
#include "engine/store/store.h"

#include <stdlib.h>
#include <string.h>

#define CMD "rank"

/* Counts of units ranked in both rounds: from prev_stage to stage. */
static size_t *transition_counts(const rank_view *v, size_t *cur, size_t *prev)
{
    const egdi_model *m = v->model;
    size_t S = m->nstages;
    size_t cells = S * S;
    size_t *mat = calloc(cells ? cells : 1, sizeof *mat);
    if (!mat)
        return NULL;
    for (size_t i = 0; i < S; i++)
        cur[i] = prev[i] = 0;
    for (size_t p = 0; p < v->n; p++) {
        size_t u = v->order[p];
        long s = v->rank[u] > 0 ? v->result->stage[u] : -1;
        long ps = v->prev_rank[u] > 0 ? v->prev_stage[u] : -1;
        if (s >= 0)
            cur[s]++;
        if (ps >= 0)
            prev[ps]++;
        if (s >= 0 && ps >= 0)
            mat[(size_t)ps * S + (size_t)s]++;
    }
    return mat;
}

json_t *rank_transitions_json(const rank_view *v)
{
    const egdi_model *m = v->model;
    size_t S = m->nstages;
    size_t *cur = calloc(S + 1, sizeof *cur), *prev = calloc(S + 1, sizeof *prev);
    size_t *mat = cur && prev ? transition_counts(v, cur, prev) : NULL;
    json_t *j = json_object();
    if (mat) {
        json_object_set_new(j, "from_round", json_integer(v->compare_round));
        json_object_set_new(j, "to_round", json_integer(v->round));
        json_t *codes = json_array(), *rows = json_array();
        json_t *cp = json_object(), *cc = json_object();
        for (size_t i = 0; i < S; i++) {
            json_array_append_new(codes, json_string(m->stages[i].code));
            json_t *row = json_array();
            for (size_t k = 0; k < S; k++)
                json_array_append_new(row, json_integer((json_int_t)mat[i * S + k]));
            json_array_append_new(rows, row);
            json_object_set_new(cp, m->stages[i].code, json_integer((json_int_t)prev[i]));
            json_object_set_new(cc, m->stages[i].code, json_integer((json_int_t)cur[i]));
        }
        json_object_set_new(j, "stages", codes);
        json_object_set_new(j, "matrix", rows);
        json_object_set_new(j, "counts", json_pack("{s:o,s:o}", "previous", cp, "current", cc));
    }
    free(mat);
    free(cur);
    free(prev);
    return j;
}

int rank_print_transitions(const rank_view *v, cli_lang lang)
{
    const egdi_model *m = v->model;
    size_t S = m->nstages;
    size_t *cur = calloc(S + 1, sizeof *cur), *prev = calloc(S + 1, sizeof *prev);
    size_t *mat = cur && prev ? transition_counts(v, cur, prev) : NULL;
    const char **h = malloc((S + 2) * sizeof *h);
    int rc = -1;
    if (!mat || !h)
        goto done;
    char title[128];
    snprintf(title, sizeof title, "stage transitions %d -> %d (rows: %d)", v->compare_round,
             v->round, v->compare_round);
    h[0] = "stage";
    for (size_t i = 0; i < S; i++)
        h[i + 1] = rank_stage_name(m, (long)i, lang);
    h[S + 1] = "total";
    cli_table *t = cli_table_new(title, S + 2, h);
    if (!t)
        goto done;
    for (size_t i = 0; i < S; i++) {
        cli_table_cell(t, rank_stage_name(m, (long)i, lang));
        size_t tot = 0;
        for (size_t k = 0; k < S; k++) {
            cli_table_cellf(t, "%zu", mat[i * S + k]);
            tot += mat[i * S + k];
        }
        cli_table_cellf(t, "%zu", tot);
        cli_table_end_row(t);
    }
    printf("\n");
    rc = cli_table_print(t, stdout, CLI_TABLE);
    cli_table_free(t);
    printf("\nstage counts: ");
    for (size_t i = 0; i < S; i++)
        printf("%s%s %zu -> %zu", i ? ", " : "", rank_stage_name(m, (long)i, lang), prev[i],
               cur[i]);
    printf("\n");
done:
    free(h);
    free(mat);
    free(cur);
    free(prev);
    return rc;
}

static bool in_view(const rank_opts *o, const egdi_round_input *in, size_t u)
{
    egdi_unit_kind kind = o->kind ? o->kind : EGDI_UNIT_DEPARTMENT;
    if (o->within) {
        if (in->units[u].kind != EGDI_UNIT_DEPARTMENT || !in->regions[u] ||
            strcmp(in->regions[u], o->within) != 0)
            return false;
        return true;
    }
    return in->units[u].kind == kind;
}

/* Ranks the units of `in` in view; rank[] and order[] (only in view). */
static int rank_run(const rank_opts *o, const egdi_round_input *in, const egdi_score_result *r,
                    int digits, long *rank, size_t *order, size_t *n_out)
{
    size_t U = in->in.nunits;
    bool *ok = malloc((U ? U : 1) * sizeof *ok);
    size_t *all = malloc((U ? U : 1) * sizeof *all);
    if (!ok || !all) {
        free(ok);
        free(all);
        return cli_fail(CMD, "out of memory");
    }
    for (size_t u = 0; u < U; u++)
        ok[u] = r->rankable[u] && in_view(o, in, u);
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_rank(r->egdi, ok, U, digits, rank, all, &err)) {
        free(ok);
        free(all);
        return cli_report(CMD, &err);
    }
    size_t n = 0;
    for (size_t p = 0; p < U; p++)
        if (in_view(o, in, all[p]))
            order[n++] = all[p];
    *n_out = n;
    free(ok);
    free(all);
    return CLI_OK;
}

int rank_store(const rank_opts *o, cli_ctx *ctx)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_store *s = NULL;
    egdi_model *m = NULL, *pm = NULL, *given = NULL;
    egdi_round_input in, pin;
    memset(&in, 0, sizeof in);
    memset(&pin, 0, sizeof pin);
    egdi_score_result *r = NULL, *pr = NULL;
    long *rank = NULL, *prank = NULL, *prev_rank = NULL, *prev_stage = NULL;
    size_t *order = NULL, *porder = NULL;
    int rc = CLI_OK;
    const char *mname = NULL;
    if (o->model) {
        if (egdi_model_load(&given, o->model, NULL, &err)) {
            rc = cli_report(CMD, &err);
            goto done;
        }
        mname = given->name;
    }
    if (egdi_store_open(&s, ctx->db_path, EGDI_STORE_READONLY, &err) ||
        egdi_score_load_run(s, o->round, mname, &m, &in, &r, NULL, &err)) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    size_t U = in.in.nunits;
    int digits = o->digits_given ? o->digits : m->rank_digits;
    rank = malloc((U ? U : 1) * sizeof *rank);
    order = malloc((U ? U : 1) * sizeof *order);
    if (!rank || !order) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    if (o->within) {
        bool found = false;
        for (size_t u = 0; u < U; u++)
            if (in.units[u].kind == EGDI_UNIT_REGION && strcmp(in.codes[u], o->within) == 0)
                found = true;
        if (!found) {
            rc = cli_fail(CMD, "no region %s in round %d", o->within, o->round);
            goto done;
        }
    }
    size_t n = 0;
    if ((rc = rank_run(o, &in, r, digits, rank, order, &n)))
        goto done;
    rank_view v = {0};
    v.model = m;
    v.result = r;
    v.n = n;
    v.ids = (const char *const *)in.codes;
    v.names = (const char *const *)in.names;
    v.regions = (const char *const *)in.regions;
    v.rank = rank;
    v.order = order;
    v.digits = digits;
    v.round = o->round;
    if (o->compare) {
        if (egdi_score_load_run(s, o->compare, m->name, &pm, &pin, &pr, NULL, &err)) {
            rc = cli_report(CMD, &err);
            goto done;
        }
        size_t PU = pin.in.nunits, pn = 0;
        prank = malloc((PU ? PU : 1) * sizeof *prank);
        porder = malloc((PU ? PU : 1) * sizeof *porder);
        prev_rank = calloc(U ? U : 1, sizeof *prev_rank);
        prev_stage = malloc((U ? U : 1) * sizeof *prev_stage);
        if (!prank || !porder || !prev_rank || !prev_stage) {
            rc = cli_fail(CMD, "out of memory");
            goto done;
        }
        if ((rc = rank_run(o, &pin, pr, digits, prank, porder, &pn)))
            goto done;
        for (size_t u = 0; u < U; u++) {
            prev_stage[u] = -1;
            for (size_t p = 0; p < PU; p++)
                if (strcmp(pin.codes[p], in.codes[u]) == 0) {
                    prev_rank[u] = prank[p];
                    /* the stage under the current model's bands */
                    prev_stage[u] = prank[p] > 0 ? egdi_model_stage(m, pr->egdi[p]) : -1;
                }
        }
        v.compare_round = o->compare;
        v.prev_rank = prev_rank;
        v.prev_stage = prev_stage;
    }
    if (rank_print(&v, o->fmt, o->lang) != 0)
        rc = cli_fail(CMD, "cannot write the output");
    else
        rc = cli_finish_output(CMD);
done:
    free(rank);
    free(order);
    free(prank);
    free(porder);
    free(prev_rank);
    free(prev_stage);
    egdi_score_result_free(r);
    egdi_score_result_free(pr);
    egdi_round_input_free(&in);
    egdi_round_input_free(&pin);
    egdi_model_free(m);
    egdi_model_free(pm);
    egdi_model_free(given);
    egdi_store_close(s);
    return rc;
}
