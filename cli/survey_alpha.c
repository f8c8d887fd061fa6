/*
 * survey_alpha.c - `egdi survey alpha`: Cronbach's alpha (raw and
 * standardized) for every scale (--scales, or the stored survey's
 * dimensions) and for all items together, with item-total statistics
 * (surveys/reliability.h: egdi_alpha_dataset).  Listwise deletion is per
 * scale, as SPSS RELIABILITY does when run once per scale; with --missing
 * pairwise every covariance uses the respondents who answered both items
 * (psych::alpha's default).
 */
#include "cli/survey_cli.h"

#include <stdlib.h>
#include <string.h>

#include "surveys/reliability.h"

#define CMD SURVEY_CMD("alpha")

typedef struct {
    const char *name;      /* scale name, NULL = all items */
    size_t p;
    const size_t *cols;    /* dataset columns */
    egdi_alpha a;
} alpha_run;

static json_t *run_json(const egdi_dataset *ds, const alpha_run *r, bool pairwise)
{
    json_t *o = json_object();
    if (r->name)
        json_object_set_new(o, "scale", json_string(r->name));
    json_object_set_new(o, "n", json_integer((json_int_t)r->a.n));
    if (pairwise)
        json_object_set_new(o, "n_min", json_integer((json_int_t)r->a.n_min));
    json_object_set_new(o, "n_items", json_integer((json_int_t)r->p));
    json_object_set_new(o, "alpha", cli_json_num(r->a.alpha));
    json_object_set_new(o, "std_alpha", cli_json_num(r->a.std_alpha));
    json_object_set_new(o, "average_r", cli_json_num(r->a.average_r));
    json_object_set_new(o, "scale_mean", cli_json_num(r->a.scale_mean));
    json_object_set_new(o, "scale_var", cli_json_num(r->a.scale_var));
    json_t *items = json_array();
    for (size_t j = 0; j < r->p; j++) {
        const egdi_alpha_item *it = &r->a.items[j];
        json_t *i = json_object();
        json_object_set_new(i, "item", json_string(ds->col[r->cols[j]].name));
        json_object_set_new(i, "reversed", json_boolean(ds->col[r->cols[j]].reversed));
        json_object_set_new(i, "mean", cli_json_num(it->mean));
        json_object_set_new(i, "sd", cli_json_num(it->sd));
        json_object_set_new(i, "scale_mean_if_deleted", cli_json_num(it->scale_mean_if_deleted));
        json_object_set_new(i, "scale_var_if_deleted", cli_json_num(it->scale_var_if_deleted));
        json_object_set_new(i, "r_total", cli_json_num(it->r_total));
        json_object_set_new(i, "r_corrected", cli_json_num(it->r_corrected));
        json_object_set_new(i, "alpha_if_deleted", cli_json_num(it->alpha_if_deleted));
        json_object_set_new(i, "std_alpha_if_deleted", cli_json_num(it->std_alpha_if_deleted));
        json_array_append_new(items, i);
    }
    json_object_set_new(o, "items", items);
    return o;
}

static int print_json(const egdi_dataset *ds, alpha_run *runs, size_t nruns, bool pairwise)
{
    /* the last run is all items: its figures are the top-level keys */
    json_t *root = run_json(ds, &runs[nruns - 1], pairwise);
    json_object_set_new(root, "source", json_string(ds->source));
    json_object_set_new(root, "n_read", json_integer((json_int_t)ds->nrows));
    json_object_set_new(root, "missing", json_string(pairwise ? "pairwise" : "listwise"));
    json_t *sc = json_array();
    for (size_t k = 0; k + 1 < nruns; k++)
        json_array_append_new(sc, run_json(ds, &runs[k], pairwise));
    json_object_set_new(root, "scales", sc);
    return survey_print_json(root, CMD);
}

static int print_tables(const survey_opts *o, const egdi_dataset *ds, alpha_run *runs,
                        size_t nruns)
{
    const char *h[] = {SURVEY_L(o, "量表", "scale"), SURVEY_L(o, "题项数", "items"),
                       o->pairwise ? SURVEY_L(o, "N (成对最少)", "N (pairwise min)") : "N",
                       SURVEY_L(o, "Cronbach α", "Cronbach's alpha"),
                       SURVEY_L(o, "标准化 α", "standardized alpha"),
                       SURVEY_L(o, "平均题间相关", "mean inter-item r")};
    char title[512];
    snprintf(title, sizeof title, "%s (%s; %s; N %s = %zu)",
             SURVEY_L(o, "可靠性统计", "Reliability statistics"), ds->source,
             survey_missing_note(o), SURVEY_L(o, "读入", "read"), ds->nrows);
    cli_table *t = cli_table_new(title, 6, h);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 1; c < 6; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < nruns; k++) {
        cli_table_cell(t, runs[k].name ? runs[k].name : SURVEY_L(o, "全部题项", "all items"));
        cli_table_cellf(t, "%zu", runs[k].p);
        cli_table_cellf(t, "%zu", o->pairwise ? runs[k].a.n_min : runs[k].a.n);
        cli_table_num(t, runs[k].a.alpha, 3);
        cli_table_num(t, runs[k].a.std_alpha, 3);
        cli_table_num(t, runs[k].a.average_r, 3);
        cli_table_end_row(t);
    }
    int rc = survey_print_table(t, o, CMD, true);
    if (rc != CLI_OK)
        return rc;
    const char *h2[] = {SURVEY_L(o, "量表", "scale"),
                        SURVEY_L(o, "题项", "item"),
                        SURVEY_L(o, "删除项后的标度平均值", "scale mean if deleted"),
                        SURVEY_L(o, "删除项后的标度方差", "scale variance if deleted"),
                        SURVEY_L(o, "校正后的项与总计相关性", "corrected item-total r"),
                        SURVEY_L(o, "删除项后的 α", "alpha if deleted")};
    t = cli_table_new(SURVEY_L(o, "项总计统计", "Item-total statistics"), 6, h2);
    if (!t)
        return cli_fail(CMD, "out of memory");
    for (size_t c = 2; c < 6; c++)
        cli_table_right(t, c);
    for (size_t k = 0; k < nruns; k++)
        for (size_t j = 0; j < runs[k].p; j++) {
            const egdi_alpha_item *it = &runs[k].a.items[j];
            cli_table_cell(t, j ? "" : runs[k].name ? runs[k].name
                                                    : SURVEY_L(o, "全部题项", "all items"));
            const egdi_dataset_column *c = &ds->col[runs[k].cols[j]];
            cli_table_cellf(t, "%s%s", c->name, c->reversed ? " (R)" : "");
            cli_table_num(t, it->scale_mean_if_deleted, 3);
            cli_table_num(t, it->scale_var_if_deleted, 3);
            cli_table_num(t, it->r_corrected, 3);
            cli_table_num(t, it->alpha_if_deleted, 3);
            cli_table_end_row(t);
        }
    return survey_print_table(t, o, CMD, false);
}

static int run(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    int rc = survey_getopt(argc, argv, &survey_cmd_alpha, CMD, &o, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    egdi_dataset *ds = NULL;
    if ((rc = survey_open(&o, CMD, NULL, 0, &ds)) != CLI_OK)
        return rc;
    egdi_error err;
    egdi_error_clear(&err);
    size_t nruns = ds->nscales + 1;
    alpha_run *runs = calloc(nruns, sizeof *runs);
    if (!runs) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    if (egdi_dataset_check_scales(ds, &err) != EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    for (size_t k = 0; k < ds->nscales; k++) {
        runs[k].name = ds->scale[k].name;
        runs[k].p = ds->scale[k].n;
        runs[k].cols = ds->scale[k].col;
    }
    runs[ds->nscales].p = ds->nitems;
    runs[ds->nscales].cols = ds->item;
    /* all items first: every item is checked before any scale is analysed */
    if (egdi_alpha_dataset(ds, ds->item, ds->nitems, survey_deletion(&o), &runs[ds->nscales].a,
                           &err) != EGDI_OK) {
        rc = survey_error(CMD, &err);
        goto done;
    }
    for (size_t k = 0; k < ds->nscales; k++)
        if (ds->scale[k].n < 2) {
            rc = cli_fail(CMD, "scale %s: alpha needs at least two items", ds->scale[k].name);
            goto done;
        }
    egdi_alpha *per_scale = calloc(ds->nscales ? ds->nscales : 1, sizeof *per_scale);
    if (!per_scale) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    if (egdi_alpha_scales(ds, survey_deletion(&o), per_scale, &err) != EGDI_OK) {
        free(per_scale);
        rc = survey_error(CMD, &err);
        goto done;
    }
    for (size_t k = 0; k < ds->nscales; k++)
        runs[k].a = per_scale[k]; /* the runs own them now */
    free(per_scale);
    rc = o.fmt == CLI_JSON ? print_json(ds, runs, nruns, o.pairwise)
                           : print_tables(&o, ds, runs, nruns);
done:
    if (runs)
        for (size_t k = 0; k < nruns; k++)
            egdi_alpha_release(&runs[k].a);
    free(runs);
    egdi_dataset_free(ds);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}

const cli_command survey_cmd_alpha = {
    .name = "alpha",
    .run = run,
    .summary = "Cronbach's alpha overall and per scale, item-total statistics",
    .usage = "--data FILE|--survey NAME [--scales FILE] [--missing listwise|pairwise] [OPTIONS]",
    .common = survey_common_options,
    .notes = "Raw and standardized alpha for all items and for each scale (--scales, or the "
             "stored survey's dimensions); listwise deletion per scale (SPSS RELIABILITY run on "
             "each scale), or --missing pairwise (psych).",
};
