/*
 * cmd_rank.c - `egdi rank`: the ranking of one round, from the store
 * (--round) or straight from a spreadsheet (--data).  Parses the options,
 * gets an egdi_ranking from indicators/ranking.c (egdi_ranking_load or
 * egdi_ranking_load_table) and prints it.
 *
 *   rank --round YEAR [--kind department|region] [--within REGION]
 *        [--compare YEAR] [--model NAME|FILE] [--rank-digits N] [--format F] [--lang zh|en]
 *   rank --data FILE [--model NAME|FILE] [--id COL] [--name COL]
 *        [--sheet S] [--rank-digits N] [--format F] [--lang zh|en]
 *
 * Output columns (CSV): rank,id,name,score,<codes of the root's children>,
 * stage (the stage code); --round adds region after name, --compare adds
 * previous_rank,change,previous_stage.  The table view adds the rating
 * class (models with classes) and '*' for a score within the model's
 * boundary margin of a stage bound, and with --compare the stage transition
 * matrix and the stage counts of both rounds (and a note when the two
 * rounds were scored with different stage bands).  Units below the model's
 * minimum coverage are listed after the ranked ones with an empty rank
 * ("not rankable").
 * JSON: {"model", "model_version", "model_hash", "round", "rank_digits",
 *        "units": [{"rank", "id", "name", "score", "components": {CODE: x},
 *        "stage", "stage_name", "class", "coverage", "rankable",
 *        "near_boundary"}]}
 * ("rank" and "stage" are null for a unit that is not rankable; "round" is
 * null for --data.)  --compare adds "compare_round", per unit
 * "previous_rank", "rank_change", "previous_stage", and "transitions":
 * {"from_round", "to_round", "stages": [codes], "matrix": [[count from
 * stage i (rows, previous) to stage j]], "counts": {"previous": {CODE: n},
 * "current": {CODE: n}}, "same_bands"}.
 *
 * Notes (--round): when the round's run is stale (an import or an undo came
 * after it) the ranking says so and names the command that re-scores it;
 * an indicator without a value for more than half the units of the kind
 * ranked (and, for regions, of their departments) is a warning naming it
 * (egdi_score_warnings, as `egdi score` prints them).  Table: lines after
 * the ranking; CSV: on stderr; JSON: "stale" (text or null) and
 * "warnings" [text].
 *
 * --uncertainty (with --round): the round's stored uncertainty run
 * (`egdi uncertainty`, for the kind ranked) adds each unit's 5 %-95 % rank
 * interval and the probability of the stage it was given, flagged "stage
 * uncertain" below 0.8 (table columns "rank 5-95%" and "P(stage)"; CSV
 * rank_lo, median_rank, rank_hi, p_stage, stage_uncertain; JSON per unit
 * "uncertainty": {"rank_lo", "median_rank", "rank_hi", "mean_shift",
 * "p_stage", "stage_uncertain", "stages": {CODE: p}} and at the top
 * "uncertainty": {"run_id", "varied", "sampler", "seed", "draws",
 * "created_at"}; docs/uncertainty.md).
 */
#include "cli/cli.h"
#include "indicators/ranking.h"
#include "indicators/score.h"
#include "indicators/uncertainty_store.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CMD "rank"

static const char *stage_name(const egdi_stage *s, cli_lang lang)
{
    return lang == CLI_EN ? s->name_en : s->name_zh;
}

/* The name of axis stage i ("" for none). */
static const char *axis_name(const egdi_ranking *k, long i, cli_lang lang)
{
    return i < 0 ? "" : stage_name(k->stages[i], lang);
}

static const char *class_name(const egdi_model *m, long stage, long klass)
{
    if (stage < 0 || klass < 0 || (size_t)klass >= m->stages[stage].nclasses)
        return "";
    return m->stages[stage].classes[klass];
}

static json_t *transitions_json(const egdi_ranking *k)
{
    size_t S = k->nstages;
    json_t *j = json_object();
    json_object_set_new(j, "from_round", json_integer(k->prev->year));
    json_object_set_new(j, "to_round", json_integer(k->round->year));
    json_t *codes = json_array(), *rows = json_array();
    json_t *cp = json_object(), *cc = json_object();
    for (size_t i = 0; i < S; i++) {
        const char *code = k->stages[i]->code;
        json_array_append_new(codes, json_string(code));
        json_t *row = json_array();
        for (size_t c = 0; c < S; c++)
            json_array_append_new(row, json_integer((json_int_t)k->transitions[i * S + c]));
        json_array_append_new(rows, row);
        json_object_set_new(cp, code, json_integer((json_int_t)k->prev_counts[i]));
        json_object_set_new(cc, code, json_integer((json_int_t)k->counts[i]));
    }
    json_object_set_new(j, "stages", codes);
    json_object_set_new(j, "matrix", rows);
    json_object_set_new(j, "counts", json_pack("{s:o,s:o}", "previous", cp, "current", cc));
    json_object_set_new(j, "same_bands", json_boolean(k->same_bands));
    return j;
}

/* "preparation < 30, initial 30 - 60, ..." */
static void print_bands(const egdi_model *m, cli_lang lang)
{
    for (size_t i = 0; i < m->nstages; i++) {
        const egdi_stage *s = &m->stages[i];
        printf("%s%s ", i ? ", " : "", stage_name(s, lang));
        if (!isfinite(s->lower))
            printf("< %g", s->upper);
        else if (!isfinite(s->upper))
            printf(">= %g", s->lower);
        else
            printf("%g - %g", s->lower, s->upper);
    }
}

static int print_transitions(const egdi_ranking *k, cli_lang lang)
{
    size_t S = k->nstages;
    const char **h = malloc((S + 2) * sizeof *h);
    if (!h)
        return -1;
    char title[128];
    snprintf(title, sizeof title, cli_tr("stage transitions %d -> %d (rows: %d)"), k->prev->year,
             k->round->year, k->prev->year);
    h[0] = "stage";
    for (size_t i = 0; i < S; i++)
        h[i + 1] = axis_name(k, (long)i, lang);
    h[S + 1] = "total";
    cli_table *t = cli_table_new(title, S + 2, h);
    free(h);
    if (!t)
        return -1;
    for (size_t i = 0; i < S; i++) {
        cli_table_cell(t, axis_name(k, (long)i, lang));
        size_t tot = 0;
        for (size_t c = 0; c < S; c++) {
            cli_table_cellf(t, "%zu", k->transitions[i * S + c]);
            tot += k->transitions[i * S + c];
        }
        cli_table_cellf(t, "%zu", tot);
        cli_table_end_row(t);
    }
    printf("\n");
    int rc = cli_table_print(t, stdout, CLI_TABLE);
    cli_table_free(t);
    printf("\n%s", cli_tr("stage counts: "));
    for (size_t i = 0; i < S; i++)
        printf("%s%s %zu -> %zu", i ? ", " : "", axis_name(k, (long)i, lang), k->prev_counts[i],
               k->counts[i]);
    printf("\n");
    if (!k->same_bands) {
        printf(cli_tr("note: %d and %d were scored with different stage bands; each unit's %d stage is "
                      "the one stored with that round's run.\n  %d: "),
               k->prev->year, k->round->year, k->prev->year, k->prev->year);
        print_bands(k->prev->model, lang);
        printf("\n  %d: ", k->round->year);
        print_bands(k->round->model, lang);
        printf("\n");
    }
    return rc;
}

/* The round's warnings that concern the units ranked, one line each
 * (*lines, caller frees each and the array); the stale note first. */
static size_t notes(const egdi_ranking *k, cli_lang lang, bool view, char ***lines)
{
    *lines = NULL;
    if (k->round->year <= 0)
        return 0; /* --data: a file, nothing stored */
    const egdi_model *m = k->round->model;
    size_t N = m->nnodes;
    egdi_score_count *cnt = malloc(2 * (N ? N : 1) * sizeof *cnt);
    egdi_score_warning *w = malloc(2 * (N ? N : 1) * sizeof *w);
    char **out = malloc((2 * N + 2) * sizeof *out);
    size_t n = 0;
    if (!cnt || !w || !out)
        goto done;
    char line[1024], why[1024];
    if (k->stale) {
        snprintf(line, sizeof line,
                 view ? cli_tr("the scores of round %d are stale: %s; run 'egdi score --round %d' "
                               "again")
                      : "the scores of round %d are stale: %s; run 'egdi score --round %d' again",
                 k->round->year, view ? cli_stale_text(k->stale, why, sizeof why) : k->stale,
                 k->round->year);
        out[n++] = strdup(line);
    }
    if (k->prev && k->prev_stale) {
        snprintf(line, sizeof line,
                 view ? cli_tr("the scores of round %d are stale: %s")
                      : "the scores of round %d are stale: %s",
                 k->prev->year, view ? cli_stale_text(k->prev_stale, why, sizeof why) : k->prev_stale);
        out[n++] = strdup(line);
    }
    egdi_score_counts(m, &k->round->in.in, k->round->result, cnt);
    size_t nw = egdi_score_warnings(m, cnt, w);
    bool regions = k->scope.kind == EGDI_UNIT_REGION && !k->scope.within;
    for (size_t i = 0; i < nw; i++) {
        if (w[i].kind == EGDI_UNIT_REGION && !regions)
            continue;
        char text[512];
        snprintf(line, sizeof line, "warning: %s",
                 view && cli_lang_now() == CLI_ZH
                     ? egdi_score_warning_zh(m, &w[i], text, sizeof text)
                     : egdi_score_warning_text(m, &w[i], lang == CLI_EN, text, sizeof text));
        out[n++] = strdup(line);
    }
done:
    free(cnt);
    free(w);
    for (size_t i = 0; i < n; i++)
        if (!out[i])
            out[i] = strdup("");
    *lines = out;
    return out ? n : 0;
}

static void notes_free(char **lines, size_t n)
{
    for (size_t i = 0; lines && i < n; i++)
        free(lines[i]);
    free(lines);
}

/* The notes, one line each: after the table on stdout, or on stderr after
 * a CSV has been written. */
static void print_notes(const egdi_ranking *k, cli_lang lang, FILE *out)
{
    char **lines;
    size_t n = notes(k, lang, true, &lines); /* both are read by a person */
    for (size_t i = 0; i < n; i++) {
        bool warn = strncmp(lines[i], "warning: ", 9) == 0;
        if (out == stdout)
            printf("%s%s%s\n", i == 0 ? "\n" : "", warn ? cli_tr("warning: ") : cli_tr("note: "),
                   warn ? lines[i] + 9 : lines[i]);
        else
            cli_fail(CMD, "%s%s", warn ? cli_tr("warning: ") : cli_tr("note: "),
                     warn ? lines[i] + 9 : lines[i]);
    }
    notes_free(lines, n);
}

/* A rank statistic in CSV: as many digits as it has ("12", "12.5"). */
static void rank_cell(cli_table *t, double v)
{
    if (isnan(v))
        cli_table_cell(t, "");
    else
        cli_table_cellf(t, "%.10g", v);
}

/* The stored uncertainty run shown with --uncertainty: its units by the
 * round's unit index. */
typedef struct {
    const egdi_uncertainty_result *r;
    const egdi_uncertainty_stored *info;
    const egdi_uncertainty_unit **of; /* per unit of the round, NULL = none */
} rank_unc;

static json_t *unc_json(const egdi_ranking *k, const rank_unc *uc, size_t u)
{
    const egdi_uncertainty_unit *x = uc->of[u];
    if (!x)
        return json_null();
    const egdi_model *m = k->round->model;
    json_t *o = json_object();
    json_object_set_new(o, "rank_lo", cli_json_num(x->lo));
    json_object_set_new(o, "median_rank", cli_json_num(x->median));
    json_object_set_new(o, "rank_hi", cli_json_num(x->hi));
    json_object_set_new(o, "mean_shift", cli_json_num(x->shift));
    long st = x->nominal_stage;
    json_object_set_new(o, "p_stage", st >= 0 ? cli_json_num(egdi_uncertainty_p_stage(
                                                    uc->r, x, (size_t)st))
                                              : json_null());
    json_object_set_new(o, "stage_uncertain",
                        json_boolean(egdi_uncertainty_stage_uncertain(uc->r, x)));
    json_t *ps = json_object();
    for (size_t s2 = 0; s2 < m->nstages; s2++)
        json_object_set_new(ps, m->stages[s2].code,
                            cli_json_num(egdi_uncertainty_p_stage(uc->r, x, s2)));
    json_object_set_new(o, "stages", ps);
    return o;
}

static int print_json(const egdi_ranking *k, const rank_unc *uc, cli_lang lang)
{
    const egdi_model *m = k->round->model;
    const egdi_score_result *r = k->round->result;
    const egdi_round_input *in = &k->round->in;
    const egdi_node *root = &m->nodes[m->root];
    size_t nc = root->nchildren, N = m->nnodes;
    bool cmp = k->prev != NULL;
    json_t *j = json_object();
    json_object_set_new(j, "model", json_string(m->name));
    json_object_set_new(j, "model_version", json_string(m->version));
    json_object_set_new(j, "model_hash", json_string(m->hash));
    json_object_set_new(j, "round", k->round->year > 0 ? json_integer(k->round->year) : json_null());
    json_object_set_new(j, "rank_digits", k->digits >= 0 ? json_integer(k->digits) : json_null());
    if (cmp)
        json_object_set_new(j, "compare_round", json_integer(k->prev->year));
    json_t *arr = json_array();
    for (size_t p = 0; p < k->n; p++) {
        size_t u = k->order[p];
        bool ok = k->rank[u] > 0;
        json_t *o = json_object();
        json_object_set_new(o, "rank", ok ? json_integer(k->rank[u]) : json_null());
        json_object_set_new(o, "id", json_string(in->codes[u]));
        json_object_set_new(o, "name", in->names && in->names[u] ? json_string(in->names[u])
                                                                 : json_null());
        if (in->regions)
            json_object_set_new(o, "region", in->regions[u] ? json_string(in->regions[u])
                                                            : json_null());
        json_object_set_new(o, "score", cli_json_num(r->egdi[u]));
        json_t *comp = json_object();
        for (size_t c = 0; c < nc; c++) {
            size_t j2 = root->children[c];
            json_object_set_new(comp, m->nodes[j2].code, cli_json_num(r->score[u * N + j2]));
        }
        json_object_set_new(o, "components", comp);
        long st = k->stage[u];
        json_object_set_new(o, "stage", st >= 0 ? json_string(k->stages[st]->code) : json_null());
        json_object_set_new(o, "stage_name",
                            st >= 0 ? json_string(axis_name(k, st, lang)) : json_null());
        if (m->classes_quartile)
            json_object_set_new(o, "class", ok && r->klass[u] >= 0
                                                ? json_string(class_name(m, st, r->klass[u]))
                                                : json_null());
        json_object_set_new(o, "coverage", cli_json_num(r->coverage[u]));
        json_object_set_new(o, "rankable", json_boolean(ok));
        json_object_set_new(o, "near_boundary",
                            json_boolean(ok && egdi_model_near_boundary(m, r->egdi[u])));
        if (cmp) {
            long pr = k->prev_rank[u], ps = k->prev_stage[u];
            json_object_set_new(o, "previous_rank", pr > 0 ? json_integer(pr) : json_null());
            json_object_set_new(o, "rank_change",
                                ok && pr > 0 ? json_integer(pr - k->rank[u]) : json_null());
            json_object_set_new(o, "previous_stage",
                                ps >= 0 ? json_string(k->stages[ps]->code) : json_null());
        }
        if (uc)
            json_object_set_new(o, "uncertainty", unc_json(k, uc, u));
        json_array_append_new(arr, o);
    }
    json_object_set_new(j, "units", arr);
    if (uc) {
        const egdi_uncertainty_result *ur = uc->r;
        json_object_set_new(
            j, "uncertainty",
            json_pack("{s:I,s:s,s:s,s:I,s:I,s:s,s:f}", "run_id", (json_int_t)uc->info->id,
                      "varied", ur->varied, "sampler", egdi_uncertainty_sampler_name(ur->sampler),
                      "seed", (json_int_t)ur->seed, "draws", (json_int_t)ur->draws, "created_at",
                      uc->info->created_at ? uc->info->created_at : "", "stage_sure",
                      EGDI_UNCERTAINTY_STAGE_SURE));
    }
    if (cmp)
        json_object_set_new(j, "transitions", transitions_json(k));
    if (k->round->year > 0) {
        char **lines;
        size_t n = notes(k, lang, false, &lines);
        json_t *wa = json_array();
        for (size_t i = 0; i < n; i++)
            if (strncmp(lines[i], "warning: ", 9) == 0)
                json_array_append_new(wa, json_string(lines[i] + 9));
        json_object_set_new(j, "stale", k->stale ? json_string(k->stale) : json_null());
        json_object_set_new(j, "warnings", wa);
        notes_free(lines, n);
    }
    int rc = cli_json_print(j, stdout);
    json_decref(j);
    return rc;
}

/* A region's name (the round's unit of that code) where it has one, else
 * the code: the table a person reads says 淮南市, not HN. */
static const char *region_name(const egdi_round_input *in, const size_t *ix, const char *code)
{
    if (!code)
        return "";
    long v = ix ? egdi_round_input_find(in, ix, code) : -1;
    if (v >= 0 && in->names && in->names[v] && *in->names[v])
        return in->names[v];
    return code;
}

static int print_ranking(const egdi_ranking *k, const rank_unc *uc, const char *source,
                         cli_format fmt, cli_lang lang)
{
    if (fmt == CLI_JSON)
        return print_json(k, uc, lang);
    const egdi_model *m = k->round->model;
    const egdi_score_result *r = k->round->result;
    const egdi_round_input *in = &k->round->in;
    const egdi_node *root = &m->nodes[m->root];
    size_t nc = root->nchildren, N = m->nnodes;
    bool classes = m->classes_quartile;
    bool regions = in->regions != NULL;
    bool cmp = k->prev != NULL;
    size_t ncol = 4 + nc + 1 + (regions ? 1 : 0) + (fmt == CLI_TABLE ? (classes ? 2 : 1) : 0) +
                  (cmp ? 3 : 0) + (uc ? (fmt == CLI_TABLE ? 2 : 5) : 0);
    const char **h = malloc(ncol * sizeof *h);
    if (!h)
        return -1;
    size_t c = 0;
    h[c++] = "rank";
    h[c++] = "id";
    h[c++] = "name";
    if (regions)
        h[c++] = "region";
    h[c++] = "score";
    for (size_t i = 0; i < nc; i++)
        h[c++] = m->nodes[root->children[i]].code;
    h[c++] = "stage";
    if (fmt == CLI_TABLE && classes)
        h[c++] = "class";
    if (fmt == CLI_TABLE)
        h[c++] = "note";
    if (cmp) {
        h[c++] = "previous_rank";
        h[c++] = "change";
        h[c++] = "previous_stage";
    }
    size_t unc_col = c;
    if (uc && fmt == CLI_TABLE) {
        h[c++] = "rank 5-95%";
        h[c++] = "P(stage)";
    } else if (uc) {
        h[c++] = "rank_lo";
        h[c++] = "median_rank";
        h[c++] = "rank_hi";
        h[c++] = "p_stage";
        h[c++] = "stage_uncertain";
    }
    char title[512];
    if (k->round->year > 0)
        snprintf(title, sizeof title, cli_trv(fmt, "round %d, model %s %s"), k->round->year,
                 m->name, m->version);
    else
        snprintf(title, sizeof title, cli_trv(fmt, "%s, model %s %s"), source ? source : "",
                 m->name, m->version);
    cli_table *t = cli_table_new(title, ncol, h);
    free(h);
    if (!t)
        return -1;
    cli_table_right(t, 0);
    for (size_t i = 0; i <= nc; i++)
        cli_table_right(t, (regions ? 4 : 3) + i);
    size_t *rix = NULL; /* the round's units by code, for the regions' names */
    if (regions && fmt == CLI_TABLE) {
        egdi_error e;
        egdi_error_clear(&e);
        if (egdi_round_input_index(in, &rix, &e) != EGDI_OK)
            rix = NULL; /* then the codes */
    }
    for (size_t i = unc_col; uc && i < ncol; i++)
        cli_table_right(t, i);
    int dg = m->digits;
    if (m->rank_digits == EGDI_RANK_DIGITS_AUTO && k->digits > dg)
        dg = k->digits; /* show the decimals ranked on (5 for the UN's 2014) */
    for (size_t p = 0; p < k->n; p++) {
        size_t u = k->order[p];
        bool ok = k->rank[u] > 0;
        if (ok)
            cli_table_cellf(t, "%ld", k->rank[u]);
        else
            cli_table_cell(t, fmt == CLI_TABLE ? "-" : "");
        cli_table_cell(t, in->codes[u]);
        cli_table_cell(t, in->names && in->names[u] ? in->names[u] : "");
        if (regions)
            cli_table_cell(t, fmt == CLI_TABLE ? region_name(in, rix, in->regions[u])
                                               : in->regions[u] ? in->regions[u] : "");
        cli_table_num(t, r->egdi[u], dg);
        for (size_t i = 0; i < nc; i++)
            cli_table_num(t, r->score[u * N + root->children[i]], dg);
        long st = k->stage[u];
        if (fmt == CLI_TABLE)
            cli_table_cell(t, axis_name(k, st, lang));
        else
            cli_table_cell(t, st >= 0 ? k->stages[st]->code : "");
        if (fmt == CLI_TABLE && classes)
            cli_table_cell(t, ok ? class_name(m, st, r->klass[u]) : "");
        if (fmt == CLI_TABLE) {
            bool unsure = uc && uc->of[u] && egdi_uncertainty_stage_uncertain(uc->r, uc->of[u]);
            bool near = ok && egdi_model_near_boundary(m, r->egdi[u]);
            if (!ok)
                cli_table_cellf(t, cli_tr("not rankable (coverage %.0f%%)"), 100 * r->coverage[u]);
            else if (unsure)
                cli_table_cell(t, near ? cli_tr("stage uncertain; * near a stage boundary")
                                       : cli_tr("stage uncertain"));
            else if (near)
                cli_table_cell(t, cli_tr("* near a stage boundary"));
            else
                cli_table_cell(t, "");
        }
        if (cmp) {
            long pr = k->prev_rank[u], ps = k->prev_stage[u];
            if (pr > 0)
                cli_table_cellf(t, "%ld", pr);
            else
                cli_table_cell(t, "");
            if (ok && pr > 0)
                cli_table_cellf(t, "%+ld", pr - k->rank[u]);
            else
                cli_table_cell(t, "");
            cli_table_cell(t, ps < 0 ? "" : fmt == CLI_TABLE ? axis_name(k, ps, lang)
                                                             : k->stages[ps]->code);
        }
        if (uc) {
            const egdi_uncertainty_unit *x = uc->of[u];
            long xs = x ? x->nominal_stage : -1;
            double pst = xs >= 0 ? egdi_uncertainty_p_stage(uc->r, x, (size_t)xs) : NAN;
            if (fmt == CLI_TABLE) {
                if (x && !isnan(x->lo))
                    cli_table_cellf(t, "%.4g - %.4g", x->lo, x->hi);
                else
                    cli_table_cell(t, "");
                cli_table_num(t, pst, 3);
            } else {
                rank_cell(t, x ? x->lo : NAN);
                rank_cell(t, x ? x->median : NAN);
                rank_cell(t, x ? x->hi : NAN);
                cli_table_num(t, pst, 6);
                cli_table_cell(t, !x ? "" : egdi_uncertainty_stage_uncertain(uc->r, x) ? "true"
                                                                                     : "false");
            }
        }
        cli_table_end_row(t);
    }
    free(rix);
    int rc = cli_table_print(t, stdout, fmt);
    cli_table_free(t);
    if (cmp && fmt == CLI_TABLE && rc == 0)
        rc = print_transitions(k, lang);
    if (fmt == CLI_TABLE)
        print_notes(k, lang, stdout);
    if (uc && fmt == CLI_TABLE) {
        size_t unsure = 0;
        for (size_t i = 0; i < uc->r->n; i++)
            unsure += egdi_uncertainty_stage_uncertain(uc->r, &uc->r->units[i]);
        char varied[2048];
        printf(cli_tr("\nuncertainty: run %lld of %s: %zu draws (%s, seed %llu) varying %s; %zu "
                      "with P(assigned stage) below %.1f are \"stage uncertain\"\n"),
               (long long)uc->info->id, uc->info->created_at ? uc->info->created_at : "",
               uc->r->draws, egdi_uncertainty_sampler_name(uc->r->sampler),
               (unsigned long long)uc->r->seed, cli_varied_text(uc->r->varied, varied, sizeof varied), unsure,
               EGDI_UNCERTAINTY_STAGE_SURE);
    }
    return rc;
}

enum {
    OPT_ROUND, OPT_KIND, OPT_WITHIN, OPT_COMPARE, OPT_DATA, OPT_MODEL, OPT_ID, OPT_NAME,
    OPT_SHEET, OPT_RANK_DIGITS, OPT_FORMAT, OPT_LANG, OPT_UNCERTAINTY
};

static const cli_option options[] = {
    {OPT_ROUND, "round", 0, "YEAR", "the stored scores of a round (run 'egdi score' first)"},
    {OPT_KIND, "kind", 0, "department|region", "only units of that kind (default department)"},
    {OPT_WITHIN, "within", 0, "REGION", "only the departments of a region"},
    {OPT_COMPARE, "compare", 0, "YEAR", "previous rank, change, previous stage, transitions"},
    {OPT_DATA, "data", 0, "FILE",
     "rank straight from a table whose headers are indicator or component codes (e.g. "
     "published OSI, TII, HCI)"},
    {OPT_MODEL, "model", 0, "NAME|FILE",
     "the model (default: the run's, or " EGDI_MODEL_DEFAULT " for --data)"},
    {OPT_ID, "id", 0, "COL", "the id column of --data"},
    {OPT_NAME, "name", 0, "COL", "the name column of --data"},
    {OPT_SHEET, "sheet", 0, "NAME|N", "sheet of an XLSX --data file"},
    {OPT_RANK_DIGITS, "rank-digits", 0, "N|none|auto",
     "rank the score rounded to N decimals (ties share the best rank: 1, 2, 2, 4); none: "
     "unrounded; auto: the decimals the --data table publishes (default: the model's)"},
    {OPT_FORMAT, "format", 0, "table|csv|json", "the output (default table)"},
    {OPT_LANG, "lang", 0, "zh|en", "the names of stages (default zh)"},
    {OPT_UNCERTAINTY, "uncertainty", 0, NULL,
     "add each unit's 5-95% rank interval and the probability of its stage from the round's "
     "stored uncertainty run ('egdi uncertainty'); P below 0.8 is \"stage uncertain\""},
    {0, NULL, 0, NULL, NULL},
};

static int run(int argc, char **argv, cli_ctx *ctx)
{
    egdi_ranking_opts o = {0};
    o.digits = EGDI_RANKING_MODEL_DIGITS;
    cli_format fmt = CLI_TABLE;
    cli_lang lang = ctx->lang;
    const char *data = NULL, *sheet = NULL, *idc = NULL, *namec = NULL;
    bool unc = false;
    long x;
    cli_getopt g;
    const char *arg;
    int c;
    if (cli_getopt_init(&g, CMD, options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        switch (c) {
        case OPT_DATA:
            data = arg;
            break;
        case OPT_MODEL:
            o.model = arg;
            break;
        case OPT_ID:
            idc = arg;
            break;
        case OPT_NAME:
            namec = arg;
            break;
        case OPT_SHEET:
            sheet = arg;
            break;
        case OPT_RANK_DIGITS:
            if (strcmp(arg, "none") == 0)
                o.digits = -1; /* unrounded, as the model setting "none" */
            else if (strcmp(arg, "auto") == 0)
                o.digits = EGDI_RANK_DIGITS_AUTO;
            else if (!cli_parse_long(arg, 0, 15, &x))
                return cli_usage(CMD, "--rank-digits takes 0 to 15, none or auto, not '%s'", arg);
            else
                o.digits = (int)x;
            break;
        case OPT_FORMAT:
            if (!cli_parse_format(arg, &fmt))
                return cli_usage(CMD, "bad --format '%s'", arg);
            break;
        case OPT_LANG:
            if (!cli_parse_lang(arg, &lang))
                return cli_usage(CMD, "bad --lang '%s'", arg);
            break;
        case OPT_ROUND:
            if (!cli_parse_long(arg, 1900, 9999, &x))
                return cli_usage(CMD, "bad --round '%s'", arg);
            o.round = (int)x;
            break;
        case OPT_COMPARE:
            if (!cli_parse_long(arg, 1900, 9999, &x))
                return cli_usage(CMD, "bad --compare '%s'", arg);
            o.compare = (int)x;
            break;
        case OPT_KIND:
            if (strcmp(arg, "department") == 0)
                o.scope.kind = EGDI_UNIT_DEPARTMENT;
            else if (strcmp(arg, "region") == 0)
                o.scope.kind = EGDI_UNIT_REGION;
            else
                return cli_usage(CMD, "--kind is department or region, not '%s'", arg);
            break;
        case OPT_WITHIN:
            o.scope.within = arg;
            break;
        case OPT_UNCERTAINTY:
            unc = true;
            break;
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind != argc)
        return cli_usage(CMD, "unexpected '%s'", argv[optind]);
    if (data && (o.round || o.compare || o.scope.kind || o.scope.within))
        return cli_usage(CMD, "--data ranks a file; --round, --compare, --kind and --within "
                              "are for the store");
    if (!data && !o.round)
        return cli_usage(CMD, "needs --round YEAR (the store) or --data FILE");
    if (unc && (data || o.scope.within))
        return cli_usage(CMD, "--uncertainty shows a stored uncertainty run of all the units of a "
                              "kind: not with --data or --within");
    egdi_error err;
    egdi_error_clear(&err);
    egdi_ranking *k = NULL;
    egdi_store *s = NULL;
    egdi_status st;
    if (data) {
        egdi_read_opts ro;
        egdi_read_opts_init(&ro);
        ro.sheet = sheet;
        st = egdi_ranking_load_table(o.model ? o.model : EGDI_MODEL_DEFAULT, data, &ro, idc,
                                     namec, o.digits, &k, &err);
    } else {
        st = egdi_store_open(&s, ctx->db_path, EGDI_STORE_READONLY, &err);
        if (!st)
            st = egdi_ranking_load(s, &o, &k, &err);
    }
    rank_unc uc_store, *uc = NULL;
    egdi_uncertainty_result *ures = NULL;
    egdi_uncertainty_stored uinfo;
    memset(&uinfo, 0, sizeof uinfo);
    memset(&uc_store, 0, sizeof uc_store);
    if (!st && unc) {
        bool found = false;
        egdi_unit_kind kind = o.scope.kind ? o.scope.kind : EGDI_UNIT_DEPARTMENT;
        st = egdi_uncertainty_load(s, k->round, kind, &found, &ures, &uinfo, &err);
        if (!st && !found)
            st = egdi_error_set(&err, EGDI_ERR_NOT_FOUND,
                                "round %d has no uncertainty run of its %ss for this score run "
                                "(run 'egdi uncertainty --round %d' with the assumptions to "
                                "vary%s)",
                                o.round, kind == EGDI_UNIT_REGION ? "region" : "department",
                                o.round, kind == EGDI_UNIT_REGION ? " and --kind region" : "");
        if (!st && ures->digits != k->digits)
            st = egdi_error_set(&err, EGDI_ERR_ARG,
                                "the uncertainty run ranked with %d rank digits, this ranking "
                                "with %d: give the same --rank-digits to both",
                                ures->digits, k->digits);
        size_t U = k->round->in.in.nunits;
        if (!st && !(uc_store.of = calloc(U ? U : 1, sizeof *uc_store.of)))
            st = egdi_error_set(&err, EGDI_ERR_NOMEM, "out of memory");
        if (!st) {
            for (size_t i = 0; i < ures->n; i++)
                uc_store.of[ures->units[i].unit] = &ures->units[i];
            uc_store.r = ures;
            uc_store.info = &uinfo;
            uc = &uc_store;
        }
    }
    int rc;
    if (st)
        rc = cli_report(CMD, &err);
    else if (print_ranking(k, uc, data, fmt, lang) != 0)
        rc = cli_fail(CMD, "cannot write the output");
    else
        rc = cli_finish_output(CMD);
    if (rc == CLI_OK && fmt == CLI_CSV)
        print_notes(k, lang, stderr);
    free(uc_store.of);
    egdi_uncertainty_result_free(ures);
    egdi_uncertainty_stored_release(&uinfo);
    egdi_ranking_free(k);
    egdi_store_close(s);
    return rc;
}

const cli_command cmd_rank = {
    .name = CMD,
    .run = run,
    .summary = "rank units by EGDI with their stage",
    .usage = "--round YEAR [--kind K] [--within REGION] [--compare YEAR] [OPTIONS]\n"
             "--data FILE [--model NAME|FILE] [--id COL] [--name COL] [OPTIONS]",
    .options = options,
};
