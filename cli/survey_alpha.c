/*
 * survey_alpha.c - `egdi survey alpha`: Cronbach's alpha (raw and
 * standardized) for every scale of --scales and for all items together,
 * with item-total statistics (surveys/reliability.h).  Listwise deletion is
 * per scale, as SPSS RELIABILITY does when run once per scale; with
 * --missing pairwise every covariance uses the respondents who answered
 * both items (psych::alpha's default).
 *
 * The item matrix is loaded with every row; each analysis copies its
 * columns (complete rows only when listwise) into a buffer it frees.
 */
#include "cli/survey_cli.h"
#include "cli/survey_data.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/reliability.h"

#define CMD SURVEY_CMD("alpha")

typedef struct {
    const char *name;      /* scale name, NULL = all items */
    size_t p;
    size_t *cols;          /* matrix columns */
    egdi_alpha a;
} alpha_run;

/* Copies columns cols[0..p) of m, complete rows only unless pairwise. */
static double *submatrix(const survey_matrix *m, const size_t *cols, size_t p, bool pairwise,
                         size_t *n_out)
{
    unsigned char *drop = calloc(m->n ? m->n : 1, 1);
    if (!drop)
        return NULL;
    if (!pairwise)
        for (size_t j = 0; j < p; j++) {
            const double *col = m->x + cols[j] * m->n;
            for (size_t i = 0; i < m->n; i++)
                drop[i] = (unsigned char)(drop[i] | (isnan(col[i]) ? 1 : 0));
        }
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        n += !drop[i];
    double *x = malloc((n ? n : 1) * p * sizeof *x);
    if (x)
        for (size_t j = 0; j < p; j++) {
            const double *col = m->x + cols[j] * m->n;
            double *dst = x + j * n;
            size_t r = 0;
            for (size_t i = 0; i < m->n; i++)
                if (!drop[i])
                    dst[r++] = col[i];
        }
    free(drop);
    *n_out = n;
    return x;
}

/* True when the run is every column in order with no row to delete, so
 * the matrix can be used as it is. */
static bool whole_matrix(const survey_matrix *m, const alpha_run *run, bool pairwise)
{
    if (run->p != m->p)
        return false;
    for (size_t j = 0; j < run->p; j++)
        if (run->cols[j] != j)
            return false;
    if (pairwise)
        return true;
    for (size_t k = 0; k < m->n * m->p; k++)
        if (isnan(m->x[k]))
            return false;
    return true;
}

static int run_one(const survey_matrix *m, bool pairwise, alpha_run *run)
{
    size_t n = m->n;
    bool whole = whole_matrix(m, run, pairwise);
    double *x = whole ? m->x : submatrix(m, run->cols, run->p, pairwise, &n);
    if (!x)
        return cli_fail(CMD, "out of memory");
    const char **names = malloc(run->p * sizeof *names);
    if (!names) {
        free(x);
        return cli_fail(CMD, "out of memory");
    }
    for (size_t j = 0; j < run->p; j++)
        names[j] = m->names[run->cols[j]];
    egdi_error err;
    egdi_error_clear(&err);
    int rc = CLI_OK;
    if (egdi_alpha_compute(x, n, run->p, pairwise, names, &run->a, &err) != EGDI_OK) {
        if (run->name)
            rc = cli_fail(CMD, "scale %s: %s", run->name, err.message);
        else
            rc = cli_fail(CMD, "%s", err.message);
    }
    free(names);
    if (!whole)
        free(x);
    return rc;
}

static json_t *run_json(const survey_matrix *m, const alpha_run *r, bool pairwise)
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
        json_object_set_new(i, "item", json_string(m->names[r->cols[j]]));
        json_object_set_new(i, "reversed", json_boolean(m->reversed[r->cols[j]]));
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

static int print_json(const survey_matrix *m, alpha_run *runs, size_t nruns, bool pairwise)
{
    /* the last run is all items: its figures are the top-level keys */
    json_t *root = run_json(m, &runs[nruns - 1], pairwise);
    json_object_set_new(root, "source", json_string(m->source));
    json_object_set_new(root, "n_read", json_integer((json_int_t)m->n_read));
    json_object_set_new(root, "missing", json_string(pairwise ? "pairwise" : "listwise"));
    json_t *sc = json_array();
    for (size_t k = 0; k + 1 < nruns; k++)
        json_array_append_new(sc, run_json(m, &runs[k], pairwise));
    json_object_set_new(root, "scales", sc);
    int rc = cli_json_print(root, stdout) == 0 ? CLI_OK : cli_fail(CMD, "cannot write the output");
    json_decref(root);
    return rc;
}

static int print_tables(const survey_opts *o, const survey_matrix *m, alpha_run *runs,
                        size_t nruns)
{
    const char *h[] = {SURVEY_L(o, "量表", "scale"), SURVEY_L(o, "题项数", "items"),
                       o->pairwise ? SURVEY_L(o, "N (成对最少)", "N (pairwise min)") : "N",
                       SURVEY_L(o, "Cronbach α", "Cronbach's alpha"),
                       SURVEY_L(o, "标准化 α", "standardized alpha"),
                       SURVEY_L(o, "平均题间相关", "mean inter-item r")};
    char title[512];
    snprintf(title, sizeof title, "%s (%s; %s; N %s = %zu)",
             SURVEY_L(o, "可靠性统计", "Reliability statistics"), m->source,
             o->pairwise ? SURVEY_L(o, "成对删除, 同 psych", "pairwise deletion, as psych")
                         : SURVEY_L(o, "列表删除, 同 SPSS", "listwise deletion, as SPSS"),
             SURVEY_L(o, "读入", "read"), m->n_read);
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
            cli_table_cellf(t, "%s%s", m->names[runs[k].cols[j]],
                            m->reversed[runs[k].cols[j]] ? " (R)" : "");
            cli_table_num(t, it->scale_mean_if_deleted, 3);
            cli_table_num(t, it->scale_var_if_deleted, 3);
            cli_table_num(t, it->r_corrected, 3);
            cli_table_num(t, it->alpha_if_deleted, 3);
            cli_table_end_row(t);
        }
    return survey_print_table(t, o, CMD, false);
}

int survey_cmd_alpha(int argc, char **argv, cli_ctx *ctx)
{
    survey_opts o;
    survey_opts_init(&o, ctx);
    int rc = survey_getopt(argc, argv, NULL, 0, &o, CMD, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    survey_opts all = o;
    all.pairwise = true; /* every row; deletion per scale below */
    survey_matrix m;
    survey_scaleset set;
    if ((rc = survey_load_items_scales(&all, ctx, CMD, &m, &set)) != CLI_OK)
        return rc;
    size_t nruns = set.k + 1;
    alpha_run *runs = calloc(nruns, sizeof *runs);
    size_t *every = malloc(m.p * sizeof *every);
    if (!runs || !every) {
        rc = cli_fail(CMD, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < set.k; k++) {
        runs[k].name = set.name[k];
        runs[k].p = set.count[k];
        runs[k].cols = set.item[k];
    }
    for (size_t j = 0; j < m.p; j++)
        every[j] = j;
    runs[set.k].p = m.p;
    runs[set.k].cols = every;
    for (size_t k = 0; k < nruns; k++)
        if ((rc = run_one(&m, o.pairwise, &runs[k])) != CLI_OK)
            goto done;
    rc = o.fmt == CLI_JSON ? print_json(&m, runs, nruns, o.pairwise)
                           : print_tables(&o, &m, runs, nruns);
done:
    if (runs)
        for (size_t k = 0; k < nruns; k++)
            egdi_alpha_free(&runs[k].a);
    free(runs);
    free(every);
    survey_scales_free(&set);
    survey_matrix_free(&m);
    if (rc == CLI_OK)
        rc = cli_finish_output(CMD);
    return rc;
}
