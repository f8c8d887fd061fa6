/*
 * cmd_demo.c - `egdi demo [-o DIR] [--lang zh|en]`: the yearly job on the
 * built-in sample, through the real path.  It writes the sample
 * spreadsheets into DIR/data, imports them into a fresh store DIR/egdi.db,
 * scores both rounds with the default model, analyses the questionnaire,
 * writes the report into DIR/report and prints the top of the ranking, the
 * stage counts and the key survey statistics.  The questionnaire's
 * respondents are linked to their departments (部门), so GIRI6 user
 * satisfaction comes from it per department in the second round; the
 * printout says how many departments got a value from how many
 * respondents.
 *
 * Nothing of the user's is replaced: DIR/.egdi-demo lists what the demo
 * wrote there (the store and the sample files) with each file's SHA-256,
 * or "-" for a file the demo was writing when it stopped.  A file that is
 * about to be replaced must be absent, or listed there unchanged (or "-");
 * anything else (a store with the user's imports, a spreadsheet of the
 * user's) is refused unless --force, and the store egdi uses by default
 * (--db, $EGDI_DB or ./egdi.db) is never replaced, --force or not, unless
 * the demo made it and it is unchanged.
 */
#include "cli/report_cli.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/core/hash.h"
#include "engine/core/outfile.h"
#include "engine/import/import.h"
#include "indicators/model.h"
#include "indicators/model_import.h"
#include "indicators/score_store.h"
#include "indicators/survey_source.h"
#include "reports/sample.h"

#define CMD "demo"
#define DEMO_TOP 10
#define DEMO_SURVEY "公务员问卷"

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return cli_fail(CMD, "%s: cannot create the directory: %s", path, strerror(errno));
    return CLI_OK;
}

/* ---- what the demo wrote (DIR/.egdi-demo) --------------------------- */

#define DEMO_MARK ".egdi-demo"
#define DEMO_FILES 7 /* the store and the six sample files */

typedef struct {
    char path[DEMO_FILES][EGDI_SAMPLE_PATH_MAX]; /* as written in DIR */
    char hash[DEMO_FILES][EGDI_SHA256_HEX];     /* "" unknown, "-" pending */
    char mark[EGDI_SAMPLE_PATH_MAX];
} demo_files;

/* The relative name of file i (below dir). */
static const char *rel(const demo_files *f, size_t i, const char *dir)
{
    size_t n = strlen(dir);
    return strncmp(f->path[i], dir, n) == 0 && f->path[i][n] == '/' ? f->path[i] + n + 1
                                                                    : f->path[i];
}

/* Reads DIR/.egdi-demo into f->hash (files it does not list stay ""). */
static void mark_read(demo_files *f, const char *dir)
{
    FILE *in = fopen(f->mark, "r");
    if (!in)
        return;
    char line[EGDI_SAMPLE_PATH_MAX + EGDI_SHA256_HEX + 8];
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\n")] = '\0';
        char *sep = strstr(line, "  ");
        if (!sep || (size_t)(sep - line) >= EGDI_SHA256_HEX)
            continue;
        *sep = '\0';
        for (size_t i = 0; i < DEMO_FILES; i++)
            if (strcmp(sep + 2, rel(f, i, dir)) == 0)
                memcpy(f->hash[i], line, (size_t)(sep - line) + 1);
    }
    fclose(in);
}

/* Writes f->hash as DIR/.egdi-demo. */
static int mark_write(const demo_files *f, const char *dir)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_outfile o;
    if (egdi_outfile_open(&o, f->mark, &err) != EGDI_OK)
        return cli_fail(CMD, "%s", cli_msg(err.message));
    for (size_t i = 0; i < DEMO_FILES; i++)
        if (f->hash[i][0])
            fprintf(o.f, "%s  %s\n", f->hash[i], rel(f, i, dir));
    if (egdi_outfile_commit(&o, &err) != EGDI_OK)
        return cli_fail(CMD, "%s", cli_msg(err.message));
    return CLI_OK;
}

/* Records files [from, to) as they are now (their hash, or "-" when pending). */
static int mark_set(demo_files *f, const char *dir, size_t from, size_t to, bool pending)
{
    for (size_t i = from; i < to; i++) {
        egdi_error err;
        egdi_error_clear(&err);
        if (pending)
            snprintf(f->hash[i], sizeof f->hash[i], "-");
        else if (egdi_sha256_file(f->path[i], f->hash[i], &err) != EGDI_OK)
            return cli_report(CMD, &err);
    }
    return mark_write(f, dir);
}

/* Same file (device and inode)? */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Refuses to go on when a file the demo would replace is not its own. */
static int check_files(demo_files *f, bool force, const cli_ctx *ctx)
{
    const char *env = getenv("EGDI_DB");
    const char *def = env && *env ? env : "egdi.db";
    char wal[EGDI_SAMPLE_PATH_MAX + 8];
    snprintf(wal, sizeof wal, "%s-wal", f->path[0]);
    for (size_t i = 0; i < DEMO_FILES; i++) {
        struct stat sb;
        bool there = stat(f->path[i], &sb) == 0;
        bool wal_used = i == 0 && stat(wal, &sb) == 0 && sb.st_size > 0;
        if (!there && !wal_used)
            continue;
        bool ours = strcmp(f->hash[i], "-") == 0;
        if (!ours && f->hash[i][0] && !wal_used) {
            char now[EGDI_SHA256_HEX];
            ours = egdi_sha256_file(f->path[i], now, NULL) == EGDI_OK &&
                   strcmp(now, f->hash[i]) == 0;
        }
        if (ours)
            continue;
        if (i == 0 && (same_file(f->path[0], ctx->db_path) || same_file(f->path[0], def)))
            return cli_fail(CMD, "%s is the store egdi uses by default (%s): the demo never "
                                 "replaces it; give the demo another -o DIR",
                            f->path[0], ctx->db_given ? ctx->db_path : def);
        if (!force)
            return cli_fail(CMD, "%s exists and %s; the demo would replace it: give another "
                                 "-o DIR, or --force to replace it",
                            f->path[i],
                            cli_tr(i == 0
                                       ? "holds a store the demo did not make (or one changed "
                                         "since)"
                                       : "is not a file the demo wrote (or was changed since)"));
    }
    return CLI_OK;
}

/* Removes an earlier demo store and its WAL files. */
static void remove_store(const char *db)
{
    static const char *const ext[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[EGDI_SAMPLE_PATH_MAX + 8];
        snprintf(p, sizeof p, "%s%s", db, ext[i]);
        unlink(p);
    }
}

static int import(egdi_store *s, const char *what, const char *path, egdi_import_opts *o)
{
    egdi_import_result res;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status (*fn)(egdi_store *, const char *, const egdi_import_opts *,
                      egdi_import_result *, egdi_error *) =
        strcmp(what, "units") == 0 ? egdi_import_units
        : strcmp(what, "metrics") == 0 ? egdi_import_metrics : egdi_import_survey;
    egdi_status st = fn(s, path, o, &res, &err);
    if (st == EGDI_OK)
        printf(cli_tr("  imported %-8s %s: %zu rows, %zu values\n"),
               cli_import_kind(what), strrchr(path, '/') + 1,
               res.rows_stored, res.values_stored);
    egdi_import_result_release(&res);
    return st == EGDI_OK ? CLI_OK : cli_report(CMD, &err);
}

/* The round's indicators computed from the questionnaire: how many
 * departments got a value from how many respondents. */
static int print_survey_sources(egdi_store *s, const egdi_model *m, int round, bool en)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_round rd;
    egdi_survey_results sv;
    memset(&sv, 0, sizeof sv);
    if (egdi_score_load_run(s, round, m->name, &rd, &err))
        return cli_report(CMD, &err);
    int rc = CLI_OK;
    if (egdi_survey_load_run(s, rd.run_id, rd.model, &rd.in, &sv, &err))
        rc = cli_report(CMD, &err);
    for (size_t i = 0; i < sv.n && rc == CLI_OK; i++) {
        char line[2048];
        printf("    %s\n", egdi_survey_indicator_text(rd.model, &rd.in, &sv.v[i], !en, line,
                                                      sizeof line));
    }
    egdi_survey_results_release(&sv);
    egdi_round_release(&rd);
    return rc;
}

static int score_round(egdi_store *s, const egdi_model *m, int round, bool en)
{
    egdi_error err;
    egdi_error_clear(&err);
    egdi_score_summary sum;
    if (egdi_score_round(s, m, round, EGDI_VERSION, NULL, &sum, &err))
        return cli_report(CMD, &err);
    printf(cli_tr("  scored round %d with model %s %s: %zu units\n"), round, m->name, m->version,
           sum.units);
    return print_survey_sources(s, m, round, en);
}

static void print_ranking(const egdi_report_data *d, const egdi_report_unit *u, size_t n,
                          size_t top, const char *title, bool en)
{
    static const char *const h_zh[] = {"排名", "单位", "所属地区", "EGDI", "CBII", "GIRI", "GSI",
                                       "阶段", "上年排名", "变化"};
    static const char *const h_en[] = {"rank", "unit", "region", "EGDI", "CBII", "GIRI", "GSI",
                                       "stage", "last year", "change"};
    cli_table *t = cli_table_new(title, 10, en ? h_en : h_zh);
    if (!t)
        return;
    for (size_t i = 0; i < n && i < top; i++) {
        cli_table_cellf(t, "%u", u[i].rank);
        cli_table_cell(t, u[i].name);
        cli_table_cell(t, u[i].region ? u[i].region : "");
        cli_table_num(t, u[i].index, 2);
        for (size_t k = 0; k < 3; k++)
            cli_table_num(t, k < d->nsub ? u[i].sub[k] : NAN, 2);
        cli_table_cell(t, egdi_report_stage_name(d, u[i].stage));
        if (u[i].prev_rank) {
            cli_table_cellf(t, "%u", u[i].prev_rank);
            long ch = (long)u[i].prev_rank - (long)u[i].rank;
            cli_table_cellf(t, ch > 0 ? "+%ld" : ch < 0 ? "%ld" : "=", ch);
        }
        cli_table_end_row(t);
    }
    for (size_t c = 0; c < 10; c++)
        if (c == 0 || (c >= 3 && c <= 6) || c >= 8)
            cli_table_right(t, c);
    cli_table_print(t, stdout, CLI_TABLE);
    cli_table_free(t);
    putchar('\n');
}

static void print_stages(const egdi_report_data *d, bool en)
{
    size_t counts[EGDI_REPORT_MAX_STAGES + 1], prev[EGDI_REPORT_MAX_STAGES + 1];
    size_t trans[EGDI_REPORT_MAX_STAGES * EGDI_REPORT_MAX_STAGES];
    egdi_report_stage_counts(d, d->units, d->nunits, counts, prev, trans);
    static const char *const h_zh[] = {"阶段", "EGDI 区间", "部门数", "上年", "升入"};
    static const char *const h_en[] = {"stage", "EGDI band", "departments", "last year",
                                       "moved up into"};
    cli_table *t = cli_table_new(en ? "Development stages (departments)" : "发展阶段分布（部门）",
                                 5, en ? h_en : h_zh);
    if (!t)
        return;
    for (size_t s = 0; s < d->nstages; s++) {
        size_t up = 0;
        for (size_t from = 0; from < s; from++)
            up += trans[from * d->nstages + s];
        cli_table_cell(t, egdi_report_stage_name(d, (int)s));
        if (isinf(d->stages[s].lower))
            cli_table_cellf(t, "< %g", d->stages[s].upper);
        else if (isinf(d->stages[s].upper))
            cli_table_cellf(t, ">= %g", d->stages[s].lower);
        else
            cli_table_cellf(t, "%g - %g", d->stages[s].lower, d->stages[s].upper);
        cli_table_cellf(t, "%zu", counts[s]);
        cli_table_cellf(t, "%zu", prev[s]);
        cli_table_cellf(t, "%zu", up);
        cli_table_end_row(t);
    }
    for (size_t c = 2; c < 5; c++)
        cli_table_right(t, c);
    cli_table_print(t, stdout, CLI_TABLE);
    cli_table_free(t);
    if (d->nprev_stages)
        printf(en ? "(last year was scored with other stage bands; its units are counted by the "
                    "stage stored with that run)\n"
                  : "（上年采用不同的阶段分值区间评分，上年单位数按该轮保存的阶段统计）\n");
    putchar('\n');
}

static void print_survey(const egdi_survey_summary *s, bool en)
{
    static const char *const h_zh[] = {"统计量", "值"};
    static const char *const h_en[] = {"statistic", "value"};
    cli_table *t = cli_table_new(en ? "Civil-servant questionnaire" : "公务员问卷分析", 2,
                                 en ? h_en : h_zh);
    if (!t)
        return;
    size_t drop = 0;
    for (size_t j = 0; j < s->p; j++)
        drop += !s->cr.items[j].keep;
    cli_table_cell(t, en ? "respondents (complete / returned)" : "有效问卷 / 回收问卷");
    cli_table_cellf(t, "%zu / %zu", s->n, s->n_read);
    cli_table_end_row(t);
    cli_table_cell(t, en ? "items failing the item analysis" : "项目分析未通过题项");
    if (en)
        cli_table_cellf(t, "%zu of %zu (CR < %g or r < %g)", drop, s->p, s->cr.opts.min_cr,
                        s->cr.opts.min_r);
    else
        cli_table_cellf(t, "%zu 项中 %zu 项（CR < %g 或 r < %g）", s->p, drop, s->cr.opts.min_cr,
                        s->cr.opts.min_r);
    cli_table_end_row(t);
    cli_table_cell(t, en ? "Cronbach's alpha (standardized)" : "Cronbach α（标准化）");
    cli_table_cellf(t, "%.3f (%.3f)", s->alpha.alpha, s->alpha.std_alpha);
    cli_table_end_row(t);
    for (size_t k = 0; k < s->nscales; k++) {
        if (!s->scale_alpha[k].p)
            continue;
        cli_table_cellf(t, "  α %s", s->scale_names[k]);
        if (en)
            cli_table_cellf(t, "%.3f (%zu items, n = %zu)", s->scale_alpha[k].alpha,
                            s->scale_alpha[k].p, s->scale_alpha[k].n);
        else
            cli_table_cellf(t, "%.3f（%zu 题，n = %zu）", s->scale_alpha[k].alpha,
                            s->scale_alpha[k].p, s->scale_alpha[k].n);
        cli_table_end_row(t);
    }
    cli_table_cell(t, "KMO");
    cli_table_cellf(t, "%.3f", s->kmo.kmo);
    cli_table_end_row(t);
    cli_table_cell(t, en ? "Bartlett's test" : "Bartlett 球形检验");
    if (s->kmo.p_value > 0)
        cli_table_cellf(t, "chi2 = %.1f, df = %.0f, p = %.3g", s->kmo.chi2, s->kmo.df,
                        s->kmo.p_value);
    else
        cli_table_cellf(t, "chi2 = %.1f, df = %.0f, ln p = %.1f", s->kmo.chi2, s->kmo.df,
                        s->kmo.log_p);
    cli_table_end_row(t);
    cli_table_cell(t, en ? "components (eigenvalue > 1)" : "公因子（特征值 > 1）");
    cli_table_cellf(t, en ? "%zu, explaining %.1f %% (PCA, varimax)"
                          : "%zu 个，累计解释 %.1f %%（主成分，最大方差旋转）",
                    s->fa.k, 100 * s->fa.cumulative_var[s->fa.k - 1]);
    cli_table_end_row(t);
    if (s->have_cfa) {
        const egdi_cfa_fit *f = &s->cfa.fit;
        cli_table_cellf(t, en ? "CFA (%zu factors)" : "CFA（%zu 因子）", s->cfa.m);
        cli_table_cellf(t, "chi2/df = %.3f, CFI = %.3f, TLI = %.3f, RMSEA = %.3f, SRMR = %.3f",
                        f->df > 0 ? f->chisq / f->df : 0, f->cfi, f->tli, f->rmsea, f->srmr);
        cli_table_end_row(t);
        double cr = 1, ave = 1;
        for (size_t k = 0; k < s->validity.m; k++) {
            cr = s->validity.cr[k] < cr ? s->validity.cr[k] : cr;
            ave = s->validity.ave[k] < ave ? s->validity.ave[k] : ave;
        }
        cli_table_cell(t, en ? "lowest CR, AVE" : "CR、AVE 最低值");
        cli_table_cellf(t, "CR = %.3f, AVE = %.3f", cr, ave);
        cli_table_end_row(t);
    } else if (s->cfa_note[0]) {
        cli_table_cell(t, "CFA");
        cli_table_cellf(t, en ? "not fitted: %s" : "未完成：%s", s->cfa_note);
        cli_table_end_row(t);
    }
    cli_table_print(t, stdout, CLI_TABLE);
    cli_table_free(t);
    putchar('\n');
}

static int run_demo(const char *dir, cli_lang lang, bool force, const cli_ctx *ctx)
{
    char data[EGDI_SAMPLE_PATH_MAX], out[EGDI_SAMPLE_PATH_MAX];
    demo_files *mine = calloc(1, sizeof *mine);
    if (!mine)
        return cli_fail(CMD, "out of memory");
    const char *db = mine->path[0];
    if (snprintf(data, sizeof data, "%s/data", dir) >= (int)sizeof data ||
        snprintf(mine->path[0], sizeof mine->path[0], "%s/egdi.db", dir) >=
            (int)sizeof mine->path[0] ||
        snprintf(mine->mark, sizeof mine->mark, "%s/" DEMO_MARK, dir) >= (int)sizeof mine->mark ||
        snprintf(out, sizeof out, "%s/report", dir) >= (int)sizeof out) {
        free(mine);
        return cli_fail(CMD, "the output directory name is too long");
    }
    egdi_error err;
    egdi_error_clear(&err);
    egdi_sample_files files;
    egdi_sample_opts so;
    egdi_sample_opts_init(&so);
    if (egdi_sample_paths(data, &so, &files, &err) != EGDI_OK) {
        free(mine);
        return cli_report(CMD, &err);
    }
    const char *const sample[DEMO_FILES - 1] = {files.units, files.metrics[0], files.metrics[1],
                                                files.survey, files.labels, files.scales};
    for (size_t i = 1; i < DEMO_FILES; i++)
        snprintf(mine->path[i], sizeof mine->path[i], "%s", sample[i - 1]);
    mark_read(mine, dir);
    if (check_files(mine, force, ctx) != CLI_OK || make_dir(dir) != CLI_OK ||
        make_dir(data) != CLI_OK || mark_set(mine, dir, 0, DEMO_FILES, true) != CLI_OK) {
        free(mine);
        return CLI_FAIL;
    }
    egdi_model *m = NULL;
    egdi_store *s = NULL;
    egdi_import_catalogue cat;
    memset(&cat, 0, sizeof cat);
    egdi_report_bundle *b = NULL;
    int rc = CLI_FAIL;
    bool en = lang == CLI_EN;
    if (egdi_model_load(&m, EGDI_MODEL_DEFAULT, NULL, &err) != EGDI_OK ||
        egdi_sample_write(data, m, &so, &files, &err) != EGDI_OK) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    if (mark_set(mine, dir, 1, DEMO_FILES, false) != CLI_OK)
        goto done;
    printf(cli_tr("egdi demo: %zu departments in %zu cities of one province, rounds %d and %d, "
                  "%zu questionnaires\n  sample spreadsheets in %s/\n"),
           files.ndepartments, files.nregions, so.round1, so.round2, so.respondents, data);
    remove_store(db);
    if (egdi_store_open(&s, db, EGDI_STORE_CREATE, &err) != EGDI_OK) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    /* the same checks as `egdi import`: the catalogue of the model scored */
    if (egdi_model_import_catalogue(m, &cat, &err) != EGDI_OK) {
        rc = cli_report(CMD, &err);
        goto done;
    }
    egdi_import_opts io;
    egdi_import_opts_init(&io);
    io.catalogue = &cat;
    if (import(s, "units", files.units, &io) != CLI_OK)
        goto done;
    int rounds[2] = {so.round1, so.round2};
    for (int r = 0; r < 2; r++) {
        io.round = rounds[r];
        if (import(s, "metrics", files.metrics[r], &io) != CLI_OK)
            goto done;
    }
    io.round = so.round2;
    io.catalogue = NULL; /* (a model's catalogue is for units and metrics) */
    io.survey = m->survey ? m->survey : DEMO_SURVEY; /* the survey GIRI6 reads */
    io.have_scale = true;
    io.scale_min = 1;
    io.scale_max = 5;
    io.labels = files.labels;
    io.scales = files.scales;
    io.id_col = "编号";
    io.unit_col = "部门"; /* the department each respondent works in */
    if (import(s, "survey", files.survey, &io) != CLI_OK)
        goto done;
    for (int r = 0; r < 2; r++)
        if (score_round(s, m, rounds[r], en) != CLI_OK)
            goto done;
    egdi_report_build_opts ro = {0};
    ro.round = so.round2;
    ro.compare = so.round1;
    ro.lang = en ? EGDI_REPORT_EN : EGDI_REPORT_ZH;
    ro.program_version = EGDI_VERSION;
    ro.store_path = db;
    putchar('\n');
    if (report_write_dir(s, &ro, out, false, 0, CMD, ctx, &b) != CLI_OK)
        goto done;
    putchar('\n');
    const egdi_report_data *d = egdi_report_bundle_data(b);
    char title[128];
    if (en)
        snprintf(title, sizeof title, "Top %d departments, %d", DEMO_TOP, so.round2);
    else
        snprintf(title, sizeof title, "%d 年部门排名前 %d", so.round2, DEMO_TOP);
    print_ranking(d, d->units, d->nunits, DEMO_TOP, title, en);
    snprintf(title, sizeof title, en ? "Cities, %d (region method)" : "%d 年地区排名（地区方法）",
             so.round2);
    print_ranking(d, d->regions, d->nregions, d->nregions, title, en);
    print_stages(d, en);
    if (egdi_report_bundle_survey(b))
        print_survey(egdi_report_bundle_survey(b), en);
    printf(en ? "files:\n  %s/report.xlsx\n  %s/report.html\n  %s/charts/\n  store %s\n"
              : "文件：\n  %s/report.xlsx\n  %s/report.html\n  %s/charts/\n  数据库 %s\n",
           out, out, out, db);
    rc = cli_finish_output(CMD);
done:
    egdi_report_bundle_free(b);
    egdi_import_catalogue_release(&cat);
    egdi_store_close(s);
    if (rc == CLI_OK) /* the store is complete: recorded as the demo's */
        rc = mark_set(mine, dir, 0, 1, false);
    egdi_model_free(m);
    free(mine);
    return rc;
}

enum { OPT_OUTPUT, OPT_LANG, OPT_FORCE };

static const cli_option options[] = {
    {OPT_OUTPUT, "output", 'o', "DIR",
     "where to write (default demo-out): data/ (the sample spreadsheets), egdi.db (a fresh "
     "store), report/"},
    {OPT_LANG, "lang", 0, "zh|en", "the language of the tables and the report (default zh)"},
    {OPT_FORCE, "force", 0, NULL,
     "replace a store or sample file in DIR that the demo did not write (never the default "
     "store)"},
    {0, NULL, 0, NULL, NULL},
};

static int run(int argc, char **argv, cli_ctx *ctx)
{
    const char *dir = "demo-out"; /* (the demo keeps its own store in DIR) */
    bool force = false;
    cli_lang lang = ctx->lang;
    cli_getopt g;
    const char *arg;
    int c;
    if (cli_getopt_init(&g, CMD, options, NULL, 0) != CLI_OK)
        return CLI_FAIL;
    while ((c = cli_getopt_next(&g, argc, argv, &arg)) >= 0) {
        switch (c) {
        case OPT_OUTPUT: dir = arg; break;
        case OPT_FORCE: force = true; break;
        case OPT_LANG:
            if (!cli_parse_lang(arg, &lang))
                return cli_usage(CMD, "--lang is zh or en, not '%s'", arg);
            break;
        }
    }
    if (c == CLI_OPT_ERROR)
        return CLI_USAGE;
    if (optind != argc)
        return cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
    return run_demo(dir, lang, force, ctx);
}

const cli_command cmd_demo = {
    .name = CMD,
    .run = run,
    .summary = "run the yearly job end to end on the built-in sample",
    .usage = "[-o DIR] [--lang zh|en] [--force]",
    .options = options,
    .notes = "Writes the sample spreadsheets, imports them into a fresh store, scores both "
             "rounds, writes the report and prints the top of the ranking, the stage counts and "
             "the key survey statistics.  A store or sample file in DIR that the demo did not "
             "write is never replaced without --force (DIR/.egdi-demo lists what it wrote).",
};
