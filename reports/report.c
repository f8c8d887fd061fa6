/*
 * report.c - egdi_report_write: the whole report into a directory, all or
 * nothing, published as one set; plus the small helpers callers and the
 * writers share.
 *
 * Staging: DIR/.egdi-report-XXXXXX (mkdtemp, locked while this process
 * lives: engine/core/dirs.h) receives charts/NAME.png|svg, report.xlsx,
 * the wide tables as CSV files when the round has many units
 * (indicators.csv, matrix.csv, sources.csv: report_grid_csv),
 * report.html and report.sha256, the SHA-256 of each of the others
 * (sha256sum's format, paths relative to DIR).  Each file is written, closed
 * with its errors checked and fsync'd; only when all are complete are they
 * renamed into DIR (same file system, so each rename is atomic and cannot
 * run out of space).  On any failure the staging directory is emptied and
 * removed, and DIR is left as it was.  Staging directories that a killed
 * egdi left in DIR are swept away first.
 *
 * One set: publishing holds an exclusive lock on DIR (two reports into one
 * directory publish one after the other), removes DIR/report.sha256 first,
 * renames the charts, the workbook, the CSV tables and the page, and
 * renames the manifest last.  So a report killed between two renames leaves no manifest, and a
 * directory whose report.sha256 exists holds exactly the files it lists
 * (`sha256sum -c report.sha256` in DIR checks it).  Chart files of a chart
 * that was not drawn this time are removed from DIR/charts, and CSV tables
 * not written this time from DIR, so the directory never mixes two
 * reports.
 *
 * Charts are drawn by two worker threads (each chart is its own gnuplot
 * process in its own scratch directory), so the gnuplot start-ups overlap;
 * a failure is reported for the first failing chart in chart order.
 *
 * Memory: the chart SVG texts read back for the page are freed before
 * returning; nothing else is allocated.
 */
#include "reports/report_private.h"

#include "indicators/ranking.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/core/dirs.h"
#include "engine/core/hash.h"

#define PATH_MAX_LEN 4096
#define CHART_WORKERS 2
#define STAGE_PREFIX ".egdi-report-"
#define MANIFEST "report.sha256"
/* What progress counts, in rows: the workbook's rows as they are begun
 * (report_xlsx_rows of them), and a row per unit and region each for the
 * charts, for the page and for publishing the set. */

/* The charts to draw, shared by the worker threads. */
typedef struct {
    const egdi_report_data *d;
    const char *dir;
    const char *gnuplot;
    egdi_chart_result *res;       /* EGDI_CHART_COUNT */
    egdi_status st[EGDI_CHART_COUNT];
    egdi_error err[EGDI_CHART_COUNT];
    atomic_int next;
} chart_jobs;

static void *chart_worker(void *arg)
{
    chart_jobs *j = arg;
    int k;
    while ((k = atomic_fetch_add(&j->next, 1)) < EGDI_CHART_COUNT)
        j->st[k] = egdi_chart_draw(j->d, (egdi_chart_kind)k, j->dir, j->gnuplot, &j->res[k],
                                   &j->err[k]);
    return NULL;
}

/* Draws every chart into dir; the first failure (in chart order) is
 * returned in err. */
static egdi_status draw_charts(const egdi_report_data *d, const char *dir, const char *gnuplot,
                               egdi_chart_result *res, egdi_error *err)
{
    chart_jobs *j = calloc(1, sizeof *j);
    if (!j)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory drawing the charts");
    j->d = d;
    j->dir = dir;
    j->gnuplot = gnuplot;
    j->res = res;
    atomic_init(&j->next, 0);
    pthread_t th[CHART_WORKERS];
    size_t started = 0;
    for (size_t i = 0; i < CHART_WORKERS; i++)
        if (pthread_create(&th[i], NULL, chart_worker, j) == 0)
            started++;
    if (started == 0)
        chart_worker(j); /* no thread: draw them here */
    for (size_t i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    egdi_status st = EGDI_OK;
    for (int k = 0; k < EGDI_CHART_COUNT && st == EGDI_OK; k++)
        if (j->st[k] != EGDI_OK) {
            st = j->st[k];
            if (err)
                *err = j->err[k];
        }
    free(j);
    return st;
}

const char *report_index(const egdi_report_data *d)
{
    return d->index_code && *d->index_code ? d->index_code : "EGDI";
}

const char *report_title(const egdi_report_data *d)
{
    if (d->title && *d->title)
        return d->title;
    return TR(d, "电子政务发展水平评估报告", "E-government development report");
}

const char *report_str(const char *s)
{
    return s ? s : "";
}

size_t egdi_report_default_stages(egdi_report_stage out[5])
{
    static const egdi_report_stage def[5] = {
        {"preparation", "准备发展阶段", "preparation", 0.0, 30.0, 0xd73027},
        {"initial", "起步发展阶段", "initial", 30.0, 60.0, 0xfc8d59},
        {"supporting", "支撑发展阶段", "supporting", 60.0, 75.0, 0xfee08b},
        {"deepening", "深度发展阶段", "deepening", 75.0, 90.0, 0x91cf60},
        {"integration", "融合发展阶段", "integration", 90.0, INFINITY, 0x1a9850},
    };
    memcpy(out, def, sizeof def);
    return 5;
}

uint32_t egdi_report_stage_colour(size_t i, size_t n)
{
    static const uint32_t ramp[5] = {0xd73027, 0xfc8d59, 0xfee08b, 0x91cf60, 0x1a9850};
    if (n <= 1)
        return ramp[2];
    if (i >= n)
        i = n - 1;
    double t = (double)i / (double)(n - 1) * 4.0; /* 0..4 along the ramp */
    size_t k = (size_t)t;
    if (k >= 4)
        return ramp[4];
    double f = t - (double)k;
    uint32_t out = 0;
    for (int sh = 0; sh <= 16; sh += 8) {
        double a = (double)((ramp[k] >> sh) & 0xff), b = (double)((ramp[k + 1] >> sh) & 0xff);
        uint32_t c = (uint32_t)lround(a + (b - a) * f);
        out |= (c > 255 ? 255 : c) << sh;
    }
    return out;
}

const char *egdi_report_stage_name(const egdi_report_data *d, int stage)
{
    if (!d || stage < 0 || (size_t)stage >= d->nstages || !d->stages)
        return "";
    const egdi_report_stage *s = &d->stages[stage];
    const char *n = d->lang == EGDI_REPORT_EN ? s->name_en : s->name_zh;
    if (n && *n)
        return n;
    return report_str(s->code);
}

bool egdi_report_in_region(const egdi_report_unit *u, const egdi_report_unit *reg)
{
    if (!u || !reg || !u->region)
        return false;
    if (u->region_code)
        return reg->code && strcmp(u->region_code, reg->code) == 0;
    return strcmp(u->region, reg->name && *reg->name ? reg->name : report_str(reg->code)) == 0;
}

void egdi_report_stage_counts(const egdi_report_data *d, const egdi_report_unit *units,
                              size_t nunits, size_t *counts, size_t *prev, size_t *trans)
{
    egdi_ranking_tally t = {d->nstages, counts, prev, trans};
    egdi_ranking_tally_clear(&t);
    for (size_t i = 0; i < nunits; i++)
        egdi_ranking_tally_add(&t, units[i].stage, units[i].prev_stage);
}

static egdi_status check_units(const egdi_report_data *d, const egdi_report_unit *u, size_t n,
                               const char *what, egdi_error *err)
{
    if (n > EGDI_REPORT_MAX_ROWS)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "report: %zu %s (at most %d)", n, what,
                              EGDI_REPORT_MAX_ROWS);
    if (n && !u)
        return egdi_error_set(err, EGDI_ERR_ARG, "report: %s missing", what);
    for (size_t i = 0; i < n; i++) {
        int s = u[i].stage, p = u[i].prev_stage;
        if (s < -1 || (s >= 0 && (size_t)s >= d->nstages) || p < -1 ||
            (p >= 0 && (size_t)p >= d->nstages))
            return egdi_error_set(err, EGDI_ERR_ARG, "report: %s %zu (\"%s\") has a stage "
                                  "out of range", what, i + 1, report_str(u[i].code));
    }
    return EGDI_OK;
}

egdi_status egdi_report_check(const egdi_report_data *d, egdi_error *err)
{
    if (!d)
        return egdi_error_set(err, EGDI_ERR_ARG, "report: no data");
    if (d->nsub > EGDI_REPORT_MAX_SUB)
        return egdi_error_set(err, EGDI_ERR_ARG, "report: %zu sub-indices (at most %d)",
                              d->nsub, EGDI_REPORT_MAX_SUB);
    if (d->nstages > EGDI_REPORT_MAX_STAGES || (d->nstages && !d->stages))
        return egdi_error_set(err, EGDI_ERR_ARG, "report: bad stage bands (%zu, at most %d)",
                              d->nstages, EGDI_REPORT_MAX_STAGES);
    if (d->nprev_stages > EGDI_REPORT_MAX_STAGES || (d->nprev_stages && !d->prev_stages))
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "report: bad stage bands of the compared round (%zu, at most %d)",
                              d->nprev_stages, EGDI_REPORT_MAX_STAGES);
    egdi_status st = check_units(d, d->units, d->nunits, "units", err);
    if (!st)
        st = check_units(d, d->regions, d->nregions, "regions", err);
    if (st)
        return st;
    if (d->nindicators > EGDI_REPORT_MAX_INDICATOR_ROWS || (d->nindicators && !d->indicators))
        return egdi_error_set(err, EGDI_ERR_ARG, "report: bad indicator rows");
    if (d->nseries > EGDI_REPORT_MAX_ROWS || (d->nseries && !d->series))
        return egdi_error_set(err, EGDI_ERR_ARG, "report: bad trend series");
    if ((d->method.nweights && !d->method.weights) || (d->method.ninputs && !d->method.inputs))
        return egdi_error_set(err, EGDI_ERR_ARG, "report: method lists missing");
    const egdi_report_survey *sv = d->survey;
    if (sv) {
        if ((sv->ntables && !sv->tables) || (sv->neigen && !sv->eigen) ||
            (sv->nitems && sv->nfactors && !sv->loadings))
            return egdi_error_set(err, EGDI_ERR_ARG, "report: survey arrays missing");
        for (size_t t = 0; t < sv->ntables; t++) {
            const egdi_report_table *tb = &sv->tables[t];
            if (tb->nrows > EGDI_REPORT_MAX_ROWS || tb->ncols > 1000 ||
                (tb->ncols && !tb->headers) || (tb->nrows && tb->ncols && !tb->cells))
                return egdi_error_set(err, EGDI_ERR_ARG, "report: survey table %zu (\"%s\") "
                                      "is malformed", t + 1, report_str(tb->title));
        }
    }
    return EGDI_OK;
}

/* ---- staging ------------------------------------------------------------ */

static egdi_status join(char *buf, size_t size, const char *a, const char *b, egdi_error *err)
{
    int n = snprintf(buf, size, "%s/%s", a, b);
    if (n < 0 || (size_t)n >= size)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "path too long: \"%s/%s\"", a, b);
    return EGDI_OK;
}

/* Flushes a finished file to disk; shown names it in the error. */
static egdi_status sync_file(const char *path, const char *shown, egdi_error *err)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", shown,
                              strerror(errno));
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    if (rc != 0 && e != EINVAL && e != EROFS)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", shown,
                              strerror(e));
    return EGDI_OK;
}

/* Reads a chart's SVG for the page; NULL when it cannot (the page then
 * draws its own). */
static char *read_svg(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    if (fseek(f, 0, SEEK_END) != 0)
        goto out;
    long len = ftell(f);
    if (len <= 0 || (unsigned long)len > EGDI_RPT_MAX_SVG || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    buf = malloc((size_t)len + 1);
    if (!buf)
        goto out;
    if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[len] = '\0';
out:
    fclose(f);
    return buf;
}

static egdi_status write_html(const egdi_report_data *d, const char *path, const char *shown,
                              const char *const svg[EGDI_CHART_COUNT],
                              const char *const skipped[EGDI_CHART_COUNT], egdi_error *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", shown,
                              strerror(errno));
    egdi_status st = egdi_report_html(d, svg, skipped, f, err);
    int e = errno;
    if (fclose(f) != 0 && !st) {
        e = errno;
        st = EGDI_ERR_IO;
    }
    if (st == EGDI_ERR_IO)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", shown,
                              strerror(e ? e : EIO));
    return st;
}

/* Appends "HASH  NAME\n" for the staged file stage/name to f. */
static egdi_status manifest_add(FILE *f, const char *stage, const char *name, egdi_error *err)
{
    char path[PATH_MAX_LEN], hex[EGDI_SHA256_HEX];
    egdi_status st = join(path, sizeof path, stage, name, err);
    if (st == EGDI_OK)
        st = egdi_sha256_file(path, hex, err);
    if (st == EGDI_OK && fprintf(f, "%s  %s\n", hex, name) < 0)
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path, strerror(errno));
    return st;
}

/* Writes stage/report.sha256: the hash of every staged file to publish
 * (the charts drawn, the workbook, the CSV tables, the page); shown names
 * it in errors. */
static egdi_status write_manifest(const egdi_report_result *res, const char *stage,
                                  const char *shown, egdi_error *err)
{
    char path[PATH_MAX_LEN];
    egdi_status st = join(path, sizeof path, stage, MANIFEST, err);
    if (st)
        return st;
    FILE *f = fopen(path, "w");
    if (!f)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path, strerror(errno));
    for (int k = 0; k < EGDI_CHART_COUNT && !st; k++) {
        static const char *const exts[2] = {"png", "svg"};
        for (int x = 0; x < 2 && !st && res->charts[k].state == EGDI_CHART_WRITTEN; x++) {
            char name[64];
            snprintf(name, sizeof name, "charts/%s.%s", egdi_chart_name((egdi_chart_kind)k),
                     exts[x]);
            st = manifest_add(f, stage, name, err);
        }
    }
    if (!st)
        st = manifest_add(f, stage, "report.xlsx", err);
    for (size_t i = 0; i < res->ncsv && !st; i++)
        st = manifest_add(f, stage, res->csv[i], err);
    if (!st)
        st = manifest_add(f, stage, "report.html", err);
    if (fclose(f) != 0 && !st)
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", path, strerror(errno));
    if (!st)
        st = sync_file(path, shown, err);
    return st;
}

egdi_status egdi_report_write(const egdi_report_data *d, const char *dir,
                              const egdi_report_options *opt, egdi_report_result *res,
                              egdi_error *err)
{
    egdi_report_options defopt = {0};
    egdi_report_result local;
    if (!opt)
        opt = &defopt;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if (!dir || !*dir)
        return egdi_error_set(err, EGDI_ERR_ARG, "report: no output directory");
    egdi_status st = egdi_report_check(d, err);
    if (st)
        return st;
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write the report into \"%s\": %s",
                              dir, strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write the report into \"%s\": "
                              "not a directory", dir);

    char stage[PATH_MAX_LEN], scharts[PATH_MAX_LEN], dcharts[PATH_MAX_LEN];
    char from[PATH_MAX_LEN], to[PATH_MAX_LEN];
    char *svg[EGDI_CHART_COUNT] = {0};
    const char *skipped[EGDI_CHART_COUNT] = {0};
    bool staged = false;
    int stage_fd = -1, dir_fd = -1;

    if ((st = join(stage, sizeof stage, dir, STAGE_PREFIX "XXXXXX", err)) ||
        (st = join(dcharts, sizeof dcharts, dir, "charts", err)))
        return st;
    egdi_dir_sweep(dir, STAGE_PREFIX); /* what a killed egdi left here */
    if (!mkdtemp(stage)) {
        int e = errno;
        char shown[PATH_MAX_LEN];
        snprintf(shown, sizeof shown, "%s/report.xlsx", dir);
        egdi_error_at(err, shown, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\" (directory \"%s\"): %s",
                              shown, dir, strerror(e));
    }
    staged = true;
    stage_fd = open(stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (stage_fd >= 0)
        egdi_dir_staging_lock(stage_fd); /* in use while this process lives */
    if ((st = join(scharts, sizeof scharts, stage, "charts", err)))
        goto fail;
    if (mkdir(scharts, 0777) != 0) {
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", dcharts,
                            strerror(errno));
        goto fail;
    }

    /* 1. charts */
    if (!opt->no_charts && (st = draw_charts(d, scharts, opt->gnuplot, res->charts, err)))
        goto fail;
    for (int k = 0; k < EGDI_CHART_COUNT; k++) {
        egdi_chart_result *cr = &res->charts[k];
        if (opt->no_charts) {
            cr->state = EGDI_CHART_SKIPPED;
            snprintf(cr->reason, sizeof cr->reason, "skipped: charts turned off");
        }
        if (cr->state == EGDI_CHART_WRITTEN) {
            char p[PATH_MAX_LEN];
            int n = snprintf(p, sizeof p, "%s/%s.svg", scharts, egdi_chart_name((egdi_chart_kind)k));
            if (n > 0 && (size_t)n < sizeof p)
                svg[k] = read_svg(p);
        } else if (cr->state == EGDI_CHART_SKIPPED) {
            skipped[k] = cr->reason;
        }
    }

    uint64_t units = (uint64_t)d->nunits + d->nregions + 1, book = report_xlsx_rows(d);
    uint64_t total = units + book + 2 * units;
    egdi_progress_step(opt->progress, units, total);
    /* 2. workbook */
    char shown[PATH_MAX_LEN];
    if ((st = join(from, sizeof from, stage, "report.xlsx", err)) ||
        (st = join(shown, sizeof shown, dir, "report.xlsx", err)))
        goto fail;
    egdi_progress_part_t part;
    bool csv = false;
    if ((st = report_xlsx_named(d, from, shown,
                                egdi_progress_part(&part, opt->progress, units, book, total),
                                &csv, err)) ||
        (st = sync_file(from, shown, err)))
        goto fail;
    for (size_t i = 0; csv && i < REPORT_CSV_FILES; i++) {
        res->csv[res->ncsv++] = report_csv_files[i];
        if ((st = join(from, sizeof from, stage, report_csv_files[i], err)) ||
            (st = join(shown, sizeof shown, dir, report_csv_files[i], err)) ||
            (st = sync_file(from, shown, err)))
            goto fail;
    }

    egdi_progress_step(opt->progress, units + book, total);
    /* 3. page */
    if ((st = join(from, sizeof from, stage, "report.html", err)) ||
        (st = join(shown, sizeof shown, dir, "report.html", err)))
        goto fail;
    if ((st = write_html(d, from, shown, (const char *const *)svg, skipped, err)) ||
        (st = sync_file(from, shown, err)))
        goto fail;

    /* 4. the manifest of the set */
    if ((st = join(shown, sizeof shown, dir, MANIFEST, err)) ||
        (st = write_manifest(res, stage, shown, err)))
        goto fail;

    egdi_progress_step(opt->progress, units + book + units, total);
    /* 5. publish, one report at a time: the old manifest goes first, then
     * the charts, the workbook and the page, and the new manifest last */
    dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0)
        while (flock(dir_fd, LOCK_EX) != 0 && errno == EINTR)
            ;
    if ((st = join(to, sizeof to, dir, MANIFEST, err)))
        goto fail;
    if (unlink(to) != 0 && errno != ENOENT) {
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", to, strerror(errno));
        goto fail;
    }
    if (mkdir(dcharts, 0777) != 0 && errno != EEXIST) {
        st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", dcharts,
                            strerror(errno));
        goto fail;
    }
    for (int k = 0; k < EGDI_CHART_COUNT; k++) {
        static const char *const exts[2] = {"png", "svg"};
        for (int x = 0; x < 2; x++) {
            const char *nm = egdi_chart_name((egdi_chart_kind)k);
            int n1 = snprintf(from, sizeof from, "%s/%s.%s", scharts, nm, exts[x]);
            int n2 = snprintf(to, sizeof to, "%s/%s.%s", dcharts, nm, exts[x]);
            if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof from || (size_t)n2 >= sizeof to) {
                st = egdi_error_set(err, EGDI_ERR_LIMIT, "path too long: \"%s\"", dcharts);
                goto fail;
            }
            if (res->charts[k].state != EGDI_CHART_WRITTEN) {
                unlink(to); /* a stale chart of an earlier report */
                continue;
            }
            if (rename(from, to) != 0) {
                st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", to,
                                    strerror(errno));
                goto fail;
            }
        }
    }
    for (size_t i = 0; i < REPORT_CSV_FILES; i++) {
        if ((st = join(to, sizeof to, dir, report_csv_files[i], err)))
            goto fail;
        if (!res->ncsv)
            unlink(to); /* a table of an earlier, bigger report */
    }
    const char *files[3 + REPORT_CSV_FILES];
    size_t nfiles = 0;
    files[nfiles++] = "report.xlsx";
    for (size_t i = 0; i < res->ncsv; i++)
        files[nfiles++] = res->csv[i];
    files[nfiles++] = "report.html";
    files[nfiles++] = MANIFEST;
    for (size_t i = 0; i < nfiles; i++) {
        if ((st = join(from, sizeof from, stage, files[i], err)) ||
            (st = join(to, sizeof to, dir, files[i], err)))
            goto fail;
        if (rename(from, to) != 0) {
            st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", to,
                                strerror(errno));
            goto fail;
        }
    }
    if (dir_fd >= 0)
        fsync(dir_fd); /* the renames reach the disk (best effort) */
    egdi_progress_step(opt->progress, total, total);
    st = EGDI_OK;
fail:
    /* an error about a file in the staging directory names the report's
     * directory instead (the staging directory is gone when the user reads
     * it): `cannot write the report into "DIR": WHY` */
    if (st == EGDI_ERR_IO && staged && err && strstr(err->message, stage)) {
        const char *why = strrchr(err->message, ':');
        char reason[EGDI_ERR_MSG_MAX];
        snprintf(reason, sizeof reason, "%s", why ? why + 2 : "write error");
        if (strcmp(reason, strerror(ENOSPC)) == 0)
            snprintf(reason, sizeof reason, "the disk is full");
        egdi_error_set(err, EGDI_ERR_IO, "cannot write the report into \"%s\": %s", dir, reason);
        if (strstr(err->file, stage))
            err->file[0] = '\0';
    }
    for (int k = 0; k < EGDI_CHART_COUNT; k++)
        free(svg[k]);
    if (staged)
        egdi_dir_remove(stage, NULL);
    if (stage_fd >= 0)
        close(stage_fd);
    if (dir_fd >= 0)
        close(dir_fd); /* (ends the publishing lock) */
    return st;
}
