/*
 * bench.c - the egdi benchmark harness (issue 6); `make bench` runs it
 * through bench/run.sh.  Not a test: nothing in `make check` is timed.
 *
 *   bench gen DIR              writes the workloads into DIR (fixed seeds):
 *       survey-200k.xlsx/.csv  200,000 respondents x (id, gender, age, dept,
 *                              Q1..Q40), five-point answers with a
 *                              five-factor structure (MT19937 seed 42)
 *       units-2024.csv         3,000 units x 30 indicators of the
 *       units-2025.csv         three-level model bench/units-model.csv,
 *                              the previous round and the round
 *       score-survey.db        a store of those units, round 2025 and
 *                              1,000,000 respondents rating them
 *                              (score-survey-1m.csv, MT19937 seed 15)
 *   bench run DIR EGDI REPS [STEP...]
 *                              runs each step (all when none is named) REPS
 *                              times, each run in a forked child, and prints
 *                              per step the median and minimum wall time,
 *                              the median CPU time (user + sys), the peak
 *                              RSS (wait4 ru_maxrss) and the ratio to the
 *                              step's bound measured in the same run
 *   bench step NAME DIR EGDI   runs one step once in this process (for perf
 *                              and callgrind) and prints its time
 *
 * A step that times only part of its work (statistics "with the data
 * loaded", scoring with the tables read) sends its own measurement of that
 * part to the parent through a pipe; the others are timed from fork to
 * wait4.  The peak RSS is always that of the whole child.
 *
 * "Typed table" (the XLSX and CSV read steps): every cell of every row
 * through egdi_reader into per-column storage, as a loader would keep it: a
 * column holds one byte per cell while its values are integers 0..254
 * (255 = empty), and is widened to doubles at its first other number; text
 * goes into a per-column arena (offsets per row), each distinct text once
 * while a column has at most 32 of them (categories such as gender).
 * Columns grow by chunks of 16,384 rows carved from huge-page slabs, so
 * nothing is copied on growth and nothing is allocated per cell.
 */
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "surveys/corr.h"
#include "surveys/cfa.h"
#include "surveys/dataset.h"
#include "surveys/factor.h"
#include "engine/core/bigmem.h"
#include "engine/import/import.h"
#include "surveys/itemanalysis.h"
#include "surveys/mediate.h"
#include "surveys/regress.h"
#include "indicators/model.h"
#include "indicators/ranking.h"
#include "engine/readers/reader.h"
#include "surveys/reliability.h"
#include "indicators/score.h"
#include "indicators/score_store.h"
#include "indicators/sensitivity.h"
#include "indicators/uncertainty.h"
#include "engine/store/store.h"
#include "indicators/table_input.h"
#include "engine/core/value.h"

#define NITEMS 40
#define NFACTORS 5
#define NRESP 200000L
#define NUNITS 3000
#define NIND 30
#define MAX_REPS 50

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "bench: %s: %s\n", what, msg);
    exit(1);
}

/* ---- workloads --------------------------------------------------------- */

static int answer(double y)
{
    static const double cut[4] = {-1.4, -0.5, 0.4, 1.3};
    int a = 1;
    while (a < 5 && y > cut[a - 1])
        a++;
    return a;
}

static void gen_survey(const char *dir, long n)
{
    char xpath[4096], cpath[4096];
    snprintf(xpath, sizeof xpath, "%s/survey-200k.xlsx", dir);
    snprintf(cpath, sizeof cpath, "%s/survey-200k.csv", dir);
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(xpath, &wo);
    FILE *csv = fopen(cpath, "w");
    if (!wb || !csv)
        die(dir, "cannot create the survey files");
    lxw_worksheet *ws = workbook_add_worksheet(wb, "survey");
    static const char *const demo[] = {"id", "gender", "age", "dept"};
    static const char *const depts[] = {"发改委", "教育局", "公安局", "财政局", "卫健委"};
    for (lxw_col_t c = 0; c < 4; c++) {
        worksheet_write_string(ws, 0, c, demo[c], NULL);
        fprintf(csv, "%s,", demo[c]);
    }
    for (int k = 0; k < NITEMS; k++) {
        char h[8];
        snprintf(h, sizeof h, "Q%d", k + 1);
        worksheet_write_string(ws, 0, (lxw_col_t)(4 + k), h, NULL);
        fprintf(csv, "%s%s", h, k + 1 < NITEMS ? "," : "\n");
    }
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 42);
    for (long i = 0; i < n; i++) {
        lxw_row_t r = (lxw_row_t)(i + 1);
        double f[NFACTORS];
        for (int d = 0; d < NFACTORS; d++)
            f[d] = gsl_ran_gaussian(rng, 1.0);
        const char *g = gsl_rng_uniform(rng) < 0.5 ? "M" : "F";
        int age = 22 + (int)gsl_rng_uniform_int(rng, 38);
        const char *dept = depts[gsl_rng_uniform_int(rng, 5)];
        worksheet_write_number(ws, r, 0, (double)(i + 1), NULL);
        worksheet_write_string(ws, r, 1, g, NULL);
        worksheet_write_number(ws, r, 2, age, NULL);
        worksheet_write_string(ws, r, 3, dept, NULL);
        fprintf(csv, "%ld,%s,%d,%s,", i + 1, g, age, dept);
        for (int k = 0; k < NITEMS; k++) {
            double lam = 0.55 + 0.05 * (k % 5);
            double y = lam * f[k / 8] + 0.8 * gsl_ran_gaussian(rng, 1.0);
            int a = answer(y);
            worksheet_write_number(ws, r, (lxw_col_t)(4 + k), a, NULL);
            fprintf(csv, "%d%s", a, k + 1 < NITEMS ? "," : "\n");
        }
    }
    gsl_rng_free(rng);
    if (workbook_close(wb) != LXW_NO_ERROR || fclose(csv) != 0)
        die(dir, "writing the survey files failed");
}

/* Two rounds of the 30 indicators I01..I30 of bench/units-model.csv: the
 * round drifts a little from the previous one; about 2 % of values are
 * missing. */
static void gen_units(const char *dir)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 2024);
    static double level[NUNITS][NIND];
    for (int u = 0; u < NUNITS; u++) {
        double a = gsl_ran_gaussian(rng, 12);
        for (int k = 0; k < NIND; k++)
            level[u][k] = 55 + a + gsl_ran_gaussian(rng, 10);
    }
    for (int year = 2024; year <= 2025; year++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/units-%d.csv", dir, year);
        FILE *f = fopen(path, "w");
        if (!f)
            die(path, strerror(errno));
        fprintf(f, "code,name");
        for (int k = 0; k < NIND; k++)
            fprintf(f, ",I%02d", k + 1);
        fputc('\n', f);
        for (int u = 0; u < NUNITS; u++) {
            fprintf(f, "D%04d,部门%d", u + 1, u + 1);
            for (int k = 0; k < NIND; k++) {
                if (year == 2025)
                    level[u][k] += 2 + gsl_ran_gaussian(rng, 3);
                if (gsl_rng_uniform(rng) < 0.02)
                    fputc(',', f);
                else
                    fprintf(f, ",%.2f", level[u][k] < 0.5 ? 0.5 : level[u][k]);
            }
            fputc('\n', f);
        }
        if (fclose(f) != 0)
            die(path, "write failed");
    }
    gsl_rng_free(rng);
}

/*
 * The store of step score.survey: the 3,000 units of units-2025.csv (as
 * departments), their metrics of round 2025, and NSURVEY respondents of
 * survey "bench" rating them (column 部门, the unit's code): items S1, S2,
 * S3 (scale 满意, S3 reverse-keyed, five points; MT19937 seed 15), imported
 * with --unit-column as a user would.
 */
#define NSURVEY 1000000L

static void import_or_die(egdi_store *s, const char *kind, const char *path,
                          const egdi_import_opts *o)
{
    egdi_import_result res;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = strcmp(kind, "units") == 0     ? egdi_import_units(s, path, o, &res, &err)
                     : strcmp(kind, "metrics") == 0 ? egdi_import_metrics(s, path, o, &res, &err)
                                                    : egdi_import_survey(s, path, o, &res, &err);
    egdi_import_result_release(&res);
    if (st != EGDI_OK)
        die(path, err.message);
}

static void gen_score_survey(const char *dir)
{
    char units[4096], survey[4096], scales[4096], metrics[4096], db[4096];
    snprintf(units, sizeof units, "%s/score-units.csv", dir);
    snprintf(survey, sizeof survey, "%s/score-survey-1m.csv", dir);
    snprintf(scales, sizeof scales, "%s/score-scales.csv", dir);
    snprintf(metrics, sizeof metrics, "%s/units-2025.csv", dir);
    snprintf(db, sizeof db, "%s/score-survey.db", dir);
    FILE *f = fopen(units, "w");
    if (!f)
        die(units, strerror(errno));
    fprintf(f, "code,name,kind\n");
    for (int u = 0; u < NUNITS; u++)
        fprintf(f, "D%04d,部门%d,department\n", u + 1, u + 1);
    if (fclose(f) != 0)
        die(units, "write failed");
    if (!(f = fopen(scales, "w")))
        die(scales, strerror(errno));
    fprintf(f, "scale,item,reversed\n满意,S1,0\n满意,S2,0\n满意,S3,1\n");
    if (fclose(f) != 0)
        die(scales, "write failed");
    if (!(f = fopen(survey, "w")))
        die(survey, strerror(errno));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 15);
    fprintf(f, "编号,部门,S1,S2,S3\n");
    for (long i = 0; i < NSURVEY; i++) {
        unsigned long u = gsl_rng_uniform_int(rng, NUNITS);
        double lat = 0.3 * ((double)u / NUNITS - 0.5) + gsl_ran_gaussian(rng, 1.0);
        int a[3];
        for (int k = 0; k < 3; k++)
            a[k] = answer(0.8 * lat + 0.6 * gsl_ran_gaussian(rng, 1.0));
        fprintf(f, "%ld,D%04lu,%d,%d,%d\n", i + 1, u + 1, a[0], a[1], 6 - a[2]);
    }
    gsl_rng_free(rng);
    if (fclose(f) != 0)
        die(survey, "write failed");
    unlink(db);
    egdi_store *s;
    egdi_error err;
    if (egdi_store_open(&s, db, EGDI_STORE_CREATE, &err) != EGDI_OK)
        die(db, err.message);
    egdi_import_opts o;
    egdi_import_opts_init(&o);
    import_or_die(s, "units", units, &o);
    o.round = 2025;
    import_or_die(s, "metrics", metrics, &o);
    o.survey = "bench";
    o.have_scale = true;
    o.scale_min = 1;
    o.scale_max = 5;
    o.scales = scales;
    o.unit_col = "部门";
    o.id_col = "编号";
    import_or_die(s, "survey", survey, &o);
    egdi_store_close(s);
}

/* ---- typed table --------------------------------------------------------- */

/*
 * A column is a list of chunks of CHUNK rows, so that growing never copies;
 * the chunks are carved from 4 MiB slabs advised for huge pages
 * (egdi_bigmem_alloc), so that first touching them costs a few 2 MiB faults
 * instead of one fault per 4 KiB page (about 10 us each here).  A column is
 * one byte per cell (0..254, CELL_EMPTY) until its first other number, then
 * doubles (NaN = empty); text cells go into the column's arena and its
 * row's offset + 1 into a per-chunk uint32 array (0 = no text), each
 * distinct text once while the column has at most DICT_MAX of them.
 */
#define CELL_EMPTY 255u
#define DICT_MAX 32
#define CHUNK_BITS 14
#define CHUNK ((size_t)1 << CHUNK_BITS)
#define SLAB ((size_t)4 << 20)
#define MAX_CHUNKS 256 /* 4,194,304 rows */

typedef struct {
    unsigned char *u8[MAX_CHUNKS]; /* while small integers */
    double *f64[MAX_CHUNKS];       /* after widening */
    uint32_t *toff[MAX_CHUNKS];    /* text offsets + 1, once the column has text */
    bool wide, has_text;
    char *arena;
    size_t alen, acap;
    uint32_t dict[DICT_MAX];
    uint32_t dlen[DICT_MAX];
    uint64_t dhead[DICT_MAX]; /* the first 8 bytes, zero-padded */
    uint64_t dtail[DICT_MAX]; /* the next 8, zero-padded */
    unsigned char slot[64];   /* hash of (head, tail, length) -> entry + 1 */
    size_t ndict; /* DICT_MAX + 1: no more look-ups */
} tcol;

typedef struct {
    char *slab[256];
    size_t nslab, used; /* bytes used of the last slab */
} tarena;

typedef struct {
    size_t ncols, nrows, nchunks;
    tcol *col;
    unsigned char **cur; /* per column: its byte chunk of the current rows,
                            NULL once the column is wide */
    double **curf;       /* the double chunk once it is wide, else NULL */
    tarena mem;
} ttable;

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("memory", "out of memory");
    return q;
}

static void *tt_carve(tarena *m, size_t bytes)
{
    if (m->nslab == 0 || m->used + bytes > SLAB) {
        if (m->nslab == 256 || bytes > SLAB)
            die("memory", "typed table too large");
        m->slab[m->nslab] = egdi_bigmem_alloc(SLAB);
        if (!m->slab[m->nslab])
            die("memory", "out of memory");
        m->nslab++;
        m->used = 0;
    }
    void *p = m->slab[m->nslab - 1] + m->used;
    /* one cache line between blocks: chunks of a power-of-two size would
     * otherwise all start in the same cache set, and the 44 columns of a
     * row would evict each other */
    m->used += ((bytes + 63) & ~(size_t)63) + 64;
    return p;
}

/* Room for rows nchunks * CHUNK .. + CHUNK in every column. */
static void tt_add_chunk(ttable *t)
{
    size_t c = t->nchunks++;
    if (c == MAX_CHUNKS)
        die("memory", "typed table too long");
    for (size_t j = 0; j < t->ncols; j++) {
        tcol *col = &t->col[j];
        if (col->wide)
            col->f64[c] = t->curf[j] = tt_carve(&t->mem, CHUNK * sizeof(double));
        else
            col->u8[c] = t->cur[j] = tt_carve(&t->mem, CHUNK);
        if (col->has_text) {
            col->toff[c] = tt_carve(&t->mem, CHUNK * sizeof(uint32_t));
            memset(col->toff[c], 0, CHUNK * sizeof(uint32_t));
        }
    }
}

static void tt_widen(ttable *t, tcol *c)
{
    for (size_t k = 0; k < t->nchunks; k++) {
        double *d = tt_carve(&t->mem, CHUNK * sizeof(double));
        size_t rows = t->nrows - k * CHUNK < CHUNK ? t->nrows - k * CHUNK : CHUNK;
        for (size_t i = 0; i < rows; i++)
            d[i] = c->u8[k][i] == CELL_EMPTY ? NAN : (double)c->u8[k][i];
        c->f64[k] = d;
        c->u8[k] = NULL; /* (the slab keeps the bytes until the table goes) */
    }
    c->wide = true;
    t->cur[c - t->col] = NULL;
    t->curf[c - t->col] = c->f64[t->nchunks - 1];
}

static inline uint64_t text_head(const char *s, size_t len)
{
    uint64_t h = 0; /* byte by byte: a memcpy of a variable length is a call */
    for (size_t k = 0; k < len && k < 8; k++)
        h |= (uint64_t)(unsigned char)s[k] << (8 * k);
    return h;
}

static inline uint64_t text_tail(const char *s, size_t len)
{
    return len > 8 ? text_head(s + 8, len - 8) : 0;
}

static void tt_text(ttable *t, tcol *c, size_t i, const char *s, size_t len)
{
    if (!c->has_text) {
        for (size_t k = 0; k < t->nchunks; k++) {
            c->toff[k] = tt_carve(&t->mem, CHUNK * sizeof(uint32_t));
            memset(c->toff[k], 0, CHUNK * sizeof(uint32_t));
        }
        c->has_text = true;
    }
    uint32_t *off = &c->toff[i >> CHUNK_BITS][i & (CHUNK - 1)];
    if (c->alen + len + 1 > c->acap) {
        c->acap = (c->acap ? c->acap * 2 : 65536) + len;
        c->arena = xrealloc(c->arena, c->acap);
    }
    memcpy(c->arena + c->alen, s, len + 1);
    *off = (uint32_t)(c->alen + 1);
    if (c->ndict < DICT_MAX) {
        c->dict[c->ndict] = *off;
        c->dlen[c->ndict] = (uint32_t)len;
        c->dhead[c->ndict] = text_head(s, len);
        c->dtail[c->ndict] = text_tail(s, len);
    }
    if (c->ndict <= DICT_MAX)
        c->ndict++;
    c->alen += len + 1;
}

static inline unsigned dict_slot(uint64_t h, uint64_t u, size_t len)
{
    return (unsigned)(((h ^ (u * 31) ^ len) * 0x9E3779B97F4A7C15ull) >> 58);
}

/* A text the column has seen before (a category): its offset + 1, or 0.
 * Texts of up to 16 bytes are compared as two words; the entry is found
 * through a 64-slot hash first (no loop whose exit depends on the data). */
static inline uint32_t tt_known(tcol *c, const char *s, size_t len)
{
    uint64_t h = text_head(s, len), u = text_tail(s, len);
    unsigned sl = dict_slot(h, u, len), e = c->slot[sl];
    if (e && c->dhead[e - 1] == h && c->dtail[e - 1] == u && c->dlen[e - 1] == len &&
        (len <= 16 || memcmp(c->arena + c->dict[e - 1] - 1 + 16, s + 16, len - 16) == 0))
        return c->dict[e - 1];
    for (size_t d = 0; d < c->ndict && d < DICT_MAX; d++)
        if (c->dhead[d] == h && c->dtail[d] == u && c->dlen[d] == len &&
            (len <= 16 || memcmp(c->arena + c->dict[d] - 1 + 16, s + 16, len - 16) == 0)) {
            c->slot[sl] = (unsigned char)(d + 1);
            return c->dict[d];
        }
    return 0;
}

static void tt_store(ttable *t, tcol *col, size_t i, double v, bool num)
{
    size_t k = i >> CHUNK_BITS, o = i & (CHUNK - 1);
    if (col->wide) {
        col->f64[k][o] = num ? v : NAN;
    } else if (!num) {
        col->u8[k][o] = (unsigned char)CELL_EMPTY;
    } else if (v >= 0 && v < 255 && v == (double)(int)v) {
        col->u8[k][o] = (unsigned char)v;
    } else {
        tt_widen(t, col);
        col->f64[k][o] = v;
    }
}

/* Any cell: numbers (NUMBER, or TEXT that egdi_value_number reads) are
 * stored; other text goes to the arena; EMPTY / NULL are empty. */
static void tt_put_slow(ttable *t, tcol *col, size_t i, const egdi_cell *c)
{
    double v = NAN;
    bool num = false;
    if (c && c->type == EGDI_CELL_NUMBER) {
        v = c->num;
        num = true;
    } else if (c && c->type == EGDI_CELL_TEXT && c->len > 0) {
        uint32_t known =
            col->ndict && col->ndict <= DICT_MAX ? tt_known(col, c->text, c->len) : 0;
        if (known) {
            col->toff[i >> CHUNK_BITS][i & (CHUNK - 1)] = known;
        } else {
            size_t k = 0;
            uint64_t u = 0;
            while (k < c->len && k < 15 && c->text[k] >= '0' && c->text[k] <= '9')
                u = u * 10 + (uint64_t)(c->text[k++] - '0');
            if (k == c->len) {
                v = (double)u;
                num = true;
            } else {
                bool pct;
                const char *why;
                num = egdi_value_number(c->text, c->len, &v, &pct, &why) == EGDI_OK;
            }
            if (!num)
                tt_text(t, col, i, c->text, c->len);
        }
    }
    tt_store(t, col, i, v, num);
}

static void tt_free(ttable *t)
{
    for (size_t j = 0; j < t->ncols; j++)
        free(t->col[j].arena);
    for (size_t k = 0; k < t->mem.nslab; k++)
        free(t->mem.slab[k]);
    free(t->col);
    free(t->cur);
    free(t->curf);
    memset(t, 0, sizeof *t);
}

/* Reads path (first row = header, skipped) into *t; returns the cell count.
 * Rows come from egdi_reader_next_small: a whole number 0..254 (a Likert
 * answer) arrives as a byte with no cell and is stored on the spot, as is a
 * number in a column already wide; everything else goes through
 * tt_put_slow. */
static size_t tt_load(const char *path, ttable *t)
{
    memset(t, 0, sizeof *t);
    egdi_reader *r;
    egdi_error err;
    if (egdi_reader_open(&r, path, NULL, &err) != EGDI_OK)
        die(path, err.message);
    egdi_row row;
    egdi_status st;
    size_t cells = 0;
    bool header = true;
    while ((st = egdi_reader_next_small(r, &row, &err)) == EGDI_OK) {
        if (header) {
            t->ncols = row.ncells;
            t->col = xrealloc(NULL, t->ncols * sizeof *t->col);
            memset(t->col, 0, t->ncols * sizeof *t->col);
            t->cur = xrealloc(NULL, t->ncols * sizeof *t->cur);
            t->curf = xrealloc(NULL, t->ncols * sizeof *t->curf);
            for (size_t j = 0; j < t->ncols; j++)
                t->curf[j] = NULL;
            header = false;
            continue;
        }
        size_t i = t->nrows;
        if ((i & (CHUNK - 1)) == 0)
            tt_add_chunk(t);
        t->nrows++;
        size_t o = i & (CHUNK - 1);
        size_t nc = row.ncells < t->ncols ? row.ncells : t->ncols;
        unsigned char *const *cur = t->cur;
        double *const *curf = t->curf;
        const unsigned char *small = row.small;
        for (size_t j = 0; j < nc; j++) {
            unsigned v = small[j];
            if (v != EGDI_SMALL_NONE) { /* a whole number 0..254, no cell */
                if (cur[j])
                    cur[j][o] = (unsigned char)v;
                else
                    curf[j][o] = v;
                continue;
            }
            const egdi_cell *c = &row.cells[j];
            tcol *col = &t->col[j];
            if (c->type == EGDI_CELL_TEXT && col->ndict && col->ndict <= DICT_MAX && cur[j]) {
                /* a category seen before (gender, department) */
                uint32_t known = tt_known(col, c->text, c->len);
                if (known) {
                    col->toff[i >> CHUNK_BITS][o] = known;
                    cur[j][o] = (unsigned char)CELL_EMPTY;
                    continue;
                }
            }
            if (c->type == EGDI_CELL_TEXT && curf[j]) {
                /* a whole number of up to 9 digits in a wide column (ids) */
                const unsigned char *d = (const unsigned char *)c->text;
                unsigned u = 0;
                size_t q = 0;
                while (q < c->len && q < 9 && (unsigned)(d[q] - '0') < 10)
                    u = u * 10 + (unsigned)(d[q++] - '0');
                if (q == c->len) {
                    curf[j][o] = u;
                    continue;
                }
            } else if (c->type == EGDI_CELL_NUMBER && curf[j]) {
                curf[j][o] = c->num;
                continue;
            }
            tt_put_slow(t, col, i, c);
        }
        for (size_t j = nc; j < t->ncols; j++)
            tt_put_slow(t, &t->col[j], i, NULL);
        cells += row.ncells;
    }
    if (st != EGDI_DONE)
        die(path, err.message);
    egdi_reader_close(r);
    return cells;
}

/* The item columns (Q1..Q40) of the survey as an n x 40 column-major
 * matrix, loaded as `egdi survey` and the report load it: through the
 * survey dataset (surveys/dataset.h), listwise. */
static double *survey_matrix(const char *dir, size_t *n)
{
    char path[4096], items[32];
    snprintf(path, sizeof path, "%s/survey-200k.csv", dir);
    snprintf(items, sizeof items, "Q1-Q%d", NITEMS);
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    o.data = path;
    o.items = items;
    egdi_dataset *ds;
    egdi_item_matrix m;
    egdi_error err;
    if (egdi_dataset_open(&o, &ds, &err) != EGDI_OK ||
        egdi_dataset_matrix(ds, ds->item, ds->nitems, EGDI_LISTWISE, &m, &err) != EGDI_OK)
        die(path, err.message);
    if (m.p != NITEMS)
        die(path, "not the survey-200k layout");
    double *x = m.x;
    m.x = NULL;
    *n = m.n;
    egdi_dataset_matrix_release(&m);
    egdi_dataset_free(ds);
    return x;
}

/* ---- steps -------------------------------------------------------------- */

typedef struct {
    const char *dir, *egdi;
    double inner;     /* wall seconds of the timed part, < 0 = the whole child */
    double inner_cpu; /* CPU seconds (user + sys, all threads) of that part */
    double count;     /* values, cells... for a rate */
    double t0, c0;
} ctx;

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Start and end of the timed part of a step. */
static void mark(ctx *c)
{
    c->t0 = now();
    c->c0 = cpu_now();
}

static void mark_end(ctx *c)
{
    c->inner = now() - c->t0;
    c->inner_cpu = cpu_now() - c->c0;
}

static void sheet_stream(const char *dir, bool use_expat, ctx *c);

static void XMLCALL on_start(void *u, const XML_Char *n, const XML_Char **a)
{
    (void)n, (void)a;
    ++*(double *)u;
}

/* Inflates the sheet entry through a 256 KiB buffer (the bound), with a
 * bare expat parse (start-element counting) when use_expat. */
static void sheet_stream(const char *dir, bool use_expat, ctx *c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/survey-200k.xlsx", dir);
    zip_t *za = zip_open(path, ZIP_RDONLY, NULL);
    zip_file_t *f = za ? zip_fopen(za, "xl/worksheets/sheet1.xml", 0) : NULL;
    if (!f)
        die(path, "cannot open xl/worksheets/sheet1.xml");
    static char buf[256 * 1024];
    zip_int64_t k;
    double bytes = 0, elems = 0;
    XML_Parser p = use_expat ? XML_ParserCreate(NULL) : NULL;
    if (p) {
        XML_SetUserData(p, &elems);
        XML_SetStartElementHandler(p, on_start);
    }
    while ((k = zip_fread(f, buf, sizeof buf)) > 0) {
        bytes += (double)k;
        if (p && XML_Parse(p, buf, (int)k, 0) != XML_STATUS_OK)
            die(path, "expat error");
    }
    if (p) {
        XML_Parse(p, buf, 0, 1);
        XML_ParserFree(p);
    }
    zip_fclose(f);
    zip_discard(za);
    c->count = use_expat ? elems : bytes;
}

static void step_xlsx_inflate(ctx *c) { sheet_stream(c->dir, false, c); }
static void step_xlsx_expat(ctx *c) { sheet_stream(c->dir, true, c); }

static void read_typed(ctx *c, const char *ext)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/survey-200k.%s", c->dir, ext);
    ttable t;
    c->count = (double)tt_load(path, &t);
    tt_free(&t);
}

static void step_xlsx_read(ctx *c) { read_typed(c, "xlsx"); }
static void step_csv_read(ctx *c) { read_typed(c, "csv"); }

/* The bound: read() in 64 KiB blocks, split at ',' and '\n' keeping each
 * field's start and length in a reused array. */
static void step_csv_split(ctx *c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/survey-200k.csv", c->dir);
    static unsigned char buf[1 << 16];
    static uint32_t start_of[4096], len_of[4096];
    uint64_t starts = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die(path, strerror(errno));
    uint64_t fields = 0, check = 0;
    size_t nf = 0;
    uint32_t start = 0, pos = 0;
    ssize_t k;
    while ((k = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < k; i++, pos++) {
            unsigned char ch = buf[i];
            if (ch == ',' || ch == '\n') {
                if (nf < 4096) {
                    start_of[nf] = start;
                    len_of[nf++] = pos - start;
                }
                start = pos + 1;
                if (ch == '\n') {
                    fields += nf;
                    check += len_of[nf - 1];
                    starts += start_of[nf - 1];
                    nf = 0;
                }
            }
        }
    }
    close(fd);
    c->count = (double)fields + (double)(check & 0) + (double)(starts & 0);
}

/* Reference, not a bound: the split loop that also turns each field into a
 * byte (a whole number 0..254, else 255) stored straight into its column,
 * the columns in one huge-page block.  No cell structures, no UTF-8 check,
 * no quotes, no text kept: about the least a columnar CSV path (a reader
 * that fills typed columns as it scans, as R's data.table::fread does)
 * could do, to compare csv.read with. */
static void step_csv_direct(ctx *c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/survey-200k.csv", c->dir);
    static unsigned char buf[1 << 16];
    enum { MAXC = 64 };
    size_t cap = (size_t)NRESP + 2;
    unsigned char *cols = egdi_bigmem_alloc(MAXC * cap);
    if (!cols)
        die("memory", "out of memory");
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        die(path, strerror(errno));
    size_t row = 0, f = 0;
    unsigned v = 0;
    bool digits = true, empty = true;
    uint64_t cells = 0;
    ssize_t k;
    while ((k = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < k; i++) {
            unsigned ch = buf[i];
            if (ch != ',' && ch != '\n') {
                unsigned d = ch - '0';
                digits = digits && d < 10;
                v = v * 10 + d;
                empty = false;
                continue;
            }
            if (f < MAXC && row < cap)
                cols[f * cap + row] = (unsigned char)(digits && !empty && v < 255 ? v : 255);
            f++;
            cells++;
            v = 0;
            digits = empty = true;
            if (ch == '\n') {
                row++;
                f = 0;
            }
        }
    }
    close(fd);
    c->count = (double)cells + cols[cap + 1] * 0.0;
    free(cols);
}

/* egdi_import_survey of the CSV into a new store: read, check, insert. */
static void step_sqlite_insert(ctx *c)
{
    char db[4096], path[4096];
    snprintf(db, sizeof db, "%s/insert-%ld.db", c->dir, (long)getpid());
    snprintf(path, sizeof path, "%s/survey-200k.csv", c->dir);
    unlink(db);
    egdi_store *s;
    egdi_error err;
    if (egdi_store_open(&s, db, EGDI_STORE_CREATE, &err) != EGDI_OK)
        die(db, err.message);
    egdi_import_opts o;
    egdi_import_opts_init(&o);
    o.survey = "bench";
    o.items = "Q1-Q40";
    o.id_col = "id";
    egdi_import_result res;
    mark(c);
    if (egdi_import_survey(s, path, &o, &res, &err) != EGDI_OK)
        die(path, err.message);
    mark_end(c);
    c->count = (double)res.values_stored;
    egdi_import_result_release(&res);
    egdi_store_close(s);
    unlink(db);
}

/* The bound of the statistics: one pass over the data computing the sums
 * and the 40 x 40 cross-products (upper triangle).  The rows go in blocks
 * of 256, which stay in the L2 cache while every pair of columns is
 * multiplied: each product is a dot product of two contiguous 256-row
 * slices, summed in two four-lane vectors (eight independent partial sums,
 * GCC vector types). */
typedef double bench_v4d __attribute__((vector_size(32)));

static double dot256(const double *a, const double *b, size_t m)
{
    bench_v4d s0 = {0, 0, 0, 0}, s1 = s0;
    size_t i = 0;
    for (; i + 8 <= m; i += 8) {
        bench_v4d x0, x1, y0, y1;
        memcpy(&x0, a + i, sizeof x0);
        memcpy(&x1, a + i + 4, sizeof x1);
        memcpy(&y0, b + i, sizeof y0);
        memcpy(&y1, b + i + 4, sizeof y1);
        s0 += x0 * y0;
        s1 += x1 * y1;
    }
    double t = 0;
    for (; i < m; i++)
        t += a[i] * b[i];
    s0 += s1;
    return (s0[0] + s0[1]) + (s0[2] + s0[3]) + t;
}

static double sum256(const double *a, size_t m)
{
    bench_v4d s0 = {0, 0, 0, 0}, s1 = s0;
    size_t i = 0;
    for (; i + 8 <= m; i += 8) {
        bench_v4d x0, x1;
        memcpy(&x0, a + i, sizeof x0);
        memcpy(&x1, a + i + 4, sizeof x1);
        s0 += x0;
        s1 += x1;
    }
    double t = 0;
    for (; i < m; i++)
        t += a[i];
    s0 += s1;
    return (s0[0] + s0[1]) + (s0[2] + s0[3]) + t;
}

static void step_stats_bound(ctx *c)
{
    size_t n;
    double *x = survey_matrix(c->dir, &n);
    mark(c);
    double s[NITEMS] = {0}, cp[NITEMS * NITEMS] = {0};
    for (size_t i0 = 0; i0 < n; i0 += 256) {
        size_t m = n - i0 < 256 ? n - i0 : 256;
        for (size_t j = 0; j < NITEMS; j++) {
            const double *xj = x + j * n + i0;
            s[j] += sum256(xj, m);
            for (size_t k = j; k < NITEMS; k++)
                cp[j * NITEMS + k] += dot256(xj, x + k * n + i0, m);
        }
    }
    mark_end(c);
    c->count = s[0] + cp[NITEMS + 1] * 0;
    free(x);
}

/* `bench step NAME ...` prints the parts of a step (stderr) */
static bool verbose;

static void part(const char *what, double *t)
{
    double t1 = now();
    if (verbose)
        fprintf(stderr, "  %-32s %8.4f s\n", what, t1 - *t);
    *t = t1;
}

/* alpha (with alpha-if-deleted), KMO + Bartlett, EFA 5 factors PAF varimax,
 * item analysis (critical ratios), on the loaded n x 40 matrix, the way the
 * report runs them (surveys/summary.c): one pass for the covariances, from
 * which alpha, the item analysis's item-total statistics and the
 * correlation matrix are derived. */
static void step_stats(ctx *c)
{
    size_t n;
    double *x = survey_matrix(c->dir, &n);
    egdi_error err;
    double r[NITEMS * NITEMS];
    mark(c);
    double t = c->t0;
    egdi_cov cov;
    egdi_alpha a;
    if (egdi_cov_compute(x, n, NITEMS, false, NULL, &cov, &err) != EGDI_OK)
        die("covariances", err.message);
    part("covariances (one pass)", &t);
    if (egdi_alpha_from_cov(&cov, NULL, &a, &err) != EGDI_OK)
        die("alpha", err.message);
    part("alpha", &t);
    egdi_fa_kmo km;
    egdi_fa_result res;
    egdi_fa_options o;
    egdi_fa_options_init(&o);
    o.method = EGDI_FA_PAF;
    o.rule = EGDI_FA_NFACT_FIXED;
    o.nfactors = NFACTORS;
    o.rotation = EGDI_FA_ROT_VARIMAX;
    egdi_fa_work *w = egdi_fa_work_alloc(NITEMS);
    if (!w || egdi_fa_corr_from_cov(&cov, NULL, r, NULL, &err) != EGDI_OK ||
        egdi_fa_kmo_compute(r, NITEMS, n, NULL, &km, &err) != EGDI_OK)
        die("kmo", err.message);
    part("correlations + kmo + bartlett", &t);
    if (egdi_fa_run(r, NITEMS, n, NULL, &o, w, &res, &err) != EGDI_OK)
        die("efa", err.message);
    part("efa (paf, 5, varimax)", &t);
    egdi_cr cr;
    if (egdi_cr_compute_with(x, n, NITEMS, NULL, &a, NULL, &cr, &err) != EGDI_OK)
        die("item analysis", err.message);
    part("item analysis (40 t-tests)", &t);
    mark_end(c);
    c->count = a.alpha + res.loadings[0] * 0 + cr.items[0].cr * 0;
    egdi_cov_release(&cov);
    egdi_alpha_release(&a);
    egdi_fa_kmo_release(&km);
    egdi_fa_result_release(&res);
    egdi_fa_work_free(w);
    egdi_cr_release(&cr);
    free(x);
}

/* The 40 x 40 Pearson correlation matrix with its p-values (what `egdi
 * survey corr` computes), on the loaded n x 40 matrix: one cross-product
 * pass (surveys/crossprod.c) and 780 t tails. */
static void step_corr(ctx *c)
{
    size_t n;
    double *x = survey_matrix(c->dir, &n);
    egdi_corr r;
    egdi_error err;
    mark(c);
    if (egdi_corr_compute(x, n, NITEMS, EGDI_CORR_PEARSON, false, NULL, &r, &err) != EGDI_OK)
        die("corr", err.message);
    mark_end(c);
    c->count = r.r[1] + r.p_value[1] * 0;
    egdi_corr_release(&r);
    free(x);
}

/* A 10-predictor OLS regression (Q1 on Q2..Q11) on the loaded matrix: B,
 * SE, beta, t, p, CI, VIF, R^2, F, Durbin-Watson (`egdi survey regress`). */
static void step_regress(ctx *c)
{
    size_t n;
    double *x = survey_matrix(c->dir, &n);
    egdi_regression r;
    egdi_error err;
    size_t end = 10;
    mark(c);
    if (egdi_regress_fit(x + n, x, n, 10, NULL, NULL, &end, 1, "Q1", 0.95, &r, &err) != EGDI_OK)
        die("regress", err.message);
    mark_end(c);
    c->count = r.model[0].r2;
    egdi_regression_release(&r);
    free(x);
}

/* Simple mediation Q1 -> Q2 -> Q3 with a 5,000-resample percentile
 * bootstrap over the processors online (`egdi survey mediate --boot 5000`),
 * on the loaded 200,000 rows. */
static void step_mediate(ctx *c)
{
    size_t n;
    double *x = survey_matrix(c->dir, &n);
    egdi_mediation r;
    egdi_mediate_opts o;
    egdi_mediate_opts_init(&o);
    egdi_error err;
    const double *m[1] = {x + n};
    mark(c);
    if (egdi_mediate_compute(x, m, 1, x + 2 * n, n, NULL, &o, &r, &err) != EGDI_OK)
        die("mediate", err.message);
    mark_end(c);
    c->count = r.ind[0].boot_lo;
    egdi_mediation_release(&r);
    free(x);
}

/* CFA of the five-factor structure the workload was drawn from (Q1-Q8 on
 * the first factor ... Q33-Q40 on the fifth), on the loaded n x 40 matrix:
 * the one pass for the covariances (surveys/crossprod.c, as `egdi survey
 * cfa` and the report share it), then ML by Fisher scoring, the fit
 * indices, standard errors and all 940 modification indices. */
static void step_cfa(ctx *c)
{
    size_t n;
    double *x = survey_matrix(c->dir, &n);
    char text[1024];
    size_t len = 0;
    for (int f = 0; f < NFACTORS; f++) {
        len += (size_t)snprintf(text + len, sizeof text - len, "F%d =~ ", f + 1);
        for (int k = 0; k < NITEMS / NFACTORS; k++)
            len += (size_t)snprintf(text + len, sizeof text - len, "%sQ%d", k ? " + " : "",
                                    f * (NITEMS / NFACTORS) + k + 1);
        len += (size_t)snprintf(text + len, sizeof text - len, "\n");
    }
    egdi_error err;
    egdi_cfa_model m;
    if (egdi_cfa_model_parse(text, strlen(text), &m, &err) != EGDI_OK)
        die("cfa model", err.message);
    mark(c);
    double t = c->t0;
    egdi_cov cov;
    if (egdi_cov_compute(x, n, NITEMS, false, NULL, &cov, &err) != EGDI_OK)
        die("covariances", err.message);
    part("covariances (one pass)", &t);
    egdi_cfa_result r;
    if (egdi_cfa_estimate(&m, &cov, NULL, &r, &err) != EGDI_OK)
        die("cfa", err.message);
    part("cfa (ML, fit, SEs, MIs)", &t);
    mark_end(c);
    if (verbose)
        fprintf(stderr, "  %u iterations, chi2 %.3f, df %.0f, CFI %.4f, RMSEA %.4f\n",
                r.iterations, r.fit.chisq, r.fit.df, r.fit.cfi, r.fit.rmsea);
    c->count = r.fit.chisq;
    egdi_cfa_result_release(&r);
    egdi_cfa_model_release(&m);
    egdi_cov_release(&cov);
    free(x);
}

static void load_round(const egdi_model *m, const char *dir, int year, egdi_round_input *t)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/units-%d.csv", dir, year);
    egdi_reader *r;
    egdi_error err;
    if (egdi_reader_open(&r, path, NULL, &err) != EGDI_OK ||
        egdi_table_input_read(m, r, "code", "name", t, &err) != EGDI_OK)
        die(path, err.message);
    egdi_reader_close(r);
}

/* Scores and ranks the round and its previous round (3,000 units each)
 * with the three-level model, the tables already read. */
static void step_score_rank(ctx *c)
{
    char mpath[4096];
    const char *src = getenv("BENCH_SRC");
    snprintf(mpath, sizeof mpath, "%s/bench/units-model.csv", src ? src : ".");
    egdi_model *m;
    egdi_error err;
    if (egdi_model_load(&m, mpath, NULL, &err) != EGDI_OK)
        die(mpath, err.message);
    egdi_round_input t[2];
    load_round(m, c->dir, 2024, &t[0]);
    load_round(m, c->dir, 2025, &t[1]);
    long *rank = xrealloc(NULL, NUNITS * sizeof *rank);
    size_t *order = xrealloc(NULL, NUNITS * sizeof *order);
    double sum = 0;
    mark(c);
    for (int k = 0; k < 2; k++) {
        egdi_score_result *res;
        if (egdi_score_run(m, &t[k].in, &res, &err) != EGDI_OK ||
            egdi_ranking_competition(res->egdi, res->rankable, res->nunits, m->rank_digits,
                                     rank, order, &err) != EGDI_OK)
            die("score", err.message);
        sum += (double)rank[0];
        egdi_score_result_free(res);
    }
    mark_end(c);
    c->count = sum;
    egdi_round_input_release(&t[0]);
    egdi_round_input_release(&t[1]);
    free(rank);
    free(order);
    egdi_model_free(m);
}

/* Reads bench/units-model.csv into *text; with survey, I30 becomes the
 * satisfaction of survey "bench" (likert 1-5, the default gates). */
static egdi_model *bench_model(bool survey)
{
    char mpath[4096];
    const char *src = getenv("BENCH_SRC");
    snprintf(mpath, sizeof mpath, "%s/bench/units-model.csv", src ? src : ".");
    FILE *f = fopen(mpath, "r");
    if (!f)
        die(mpath, strerror(errno));
    static char text[1 << 16], out[1 << 17];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    size_t o = 0;
    bool catalogue = false;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        const char *l = line, *more = "";
        if (line[0] == '[')
            catalogue = strncmp(line, "[catalogue]", 11) == 0;
        if (survey && catalogue && strncmp(line, "code,", 5) == 0)
            more = ",source,scale,items,statistic,min_n,min_alpha,item_analysis,min_kmo,gate,"
                   "conflict";
        else if (survey && strncmp(line, "I30,", 4) == 0)
            l = "I30,S3G2,满意度,satisfaction,0.2,Likert 1-5,higher,both,likert,,,,,,1,5,"
                "survey:bench,满意,,mean,30,0.7,cr,,missing,survey";
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s\n", l, more);
    }
    egdi_model *m;
    egdi_error err;
    if (egdi_model_load_mem(&m, out, o, mpath, NULL, &err) != EGDI_OK)
        die(mpath, err.message);
    return m;
}

/* What the survey indicator adds to `egdi score` (egdi_score_round: load,
 * score, save): round 2025 of the 3,000 units scored with the three-level
 * model, then with the same model whose I30 comes from the 1,000,000
 * stored respondents (gates, one pass grouped by unit, merge, the rows
 * saved); each run twice, the timed part is the difference of the
 * faster runs. */
static void step_score_survey(ctx *c)
{
    char db[4096];
    snprintf(db, sizeof db, "%s/score-survey.db", c->dir);
    egdi_model *plain = bench_model(false), *sm = bench_model(true);
    egdi_store *s;
    egdi_error err;
    egdi_score_summary sum;
    if (egdi_store_open(&s, db, 0, &err) != EGDI_OK)
        die(db, err.message);
    /* each twice, alternating; the faster of each pair (the machine may be
     * shared) */
    double wall[2] = {INFINITY, INFINITY}, cpu[2] = {INFINITY, INFINITY};
    for (int rep = 0; rep < 4; rep++) {
        int k = rep % 2;
        double t0 = now(), c0 = cpu_now();
        if (egdi_score_round(s, k ? sm : plain, 2025, "bench", NULL, &sum, &err) != EGDI_OK)
            die(k ? "score with the survey" : "score", err.message);
        wall[k] = fmin(wall[k], now() - t0);
        cpu[k] = fmin(cpu[k], cpu_now() - c0);
    }
    c->inner = wall[1] - wall[0];
    c->inner_cpu = cpu[1] - cpu[0];
    c->count = (double)sum.units;
    if (verbose)
        fprintf(stderr, "  score %.3f s, with the survey indicator %.3f s\n", wall[0], wall[1]);
    egdi_store_close(s);
    egdi_model_free(plain);
    egdi_model_free(sm);
}

/* ---- rankings with their uncertainty (issue 16) --------------------------- */

/* The Monte Carlo of `egdi uncertainty` on the 3,000 units of round 2025
 * and the three-level model (30 indicators): 10,000 draws, every weight
 * +-20 % and renormalised, every leaf's normalisation drawn among its own
 * rule, minmax and zscore (72 columns: MT19937), on two threads; the round
 * already read. */
#define UNC_DRAWS 10000
static void step_unc_mc(ctx *c)
{
    egdi_model *m = bench_model(false);
    egdi_round_input t;
    load_round(m, c->dir, 2025, &t);
    egdi_uncertainty_norm norm = {NULL, 2, {EGDI_RULE_MINMAX, EGDI_RULE_ZSCORE}};
    egdi_uncertainty_opts o;
    egdi_uncertainty_opts_init(&o);
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_UNIFORM;
    o.width = 0.2;
    o.nnorm = 1;
    o.norm = &norm;
    o.draws = UNC_DRAWS;
    o.threads = 2;
    o.seed = 1;
    egdi_uncertainty_result *r;
    egdi_error err;
    mark(c);
    if (egdi_uncertainty_run(m, &t.in, &o, &r, &err) != EGDI_OK)
        die("uncertainty", err.message);
    mark_end(c);
    if (verbose)
        fprintf(stderr, "  %zu draws x %zu units, %zu columns (%s), mean |rank shift| %.3f\n",
                r->draws, r->n, r->columns, egdi_uncertainty_sampler_name(r->sampler),
                r->mean_shift);
    c->count = r->mean_shift;
    egdi_uncertainty_result_free(r);
    egdi_round_input_release(&t);
    egdi_model_free(m);
}

/* The model of step unc.sobol: the three-level model whose rules never
 * give a score of 0 (rank and minmax become zscore, target's tolerance
 * 100, goalposts -1 and 200), so that a geometric mean is a possible
 * aggregation. */
static egdi_model *positive_model(void)
{
    char mpath[4096];
    const char *src = getenv("BENCH_SRC");
    snprintf(mpath, sizeof mpath, "%s/bench/units-model.csv", src ? src : ".");
    FILE *f = fopen(mpath, "r");
    if (!f)
        die(mpath, strerror(errno));
    static char text[1 << 16], out[1 << 17];
    size_t n = fread(text, 1, sizeof text - 1, f), o = 0;
    fclose(f);
    text[n] = '\0';
    for (const char *p = text; *p;) {
        if (strncmp(p, ",rank,", 6) == 0 || strncmp(p, ",minmax,", 8) == 0) {
            o += (size_t)snprintf(out + o, sizeof out - o, ",zscore,");
            p += p[1] == 'r' ? 6 : 8;
        } else if (strncmp(p, ",50,40,", 7) == 0) {
            o += (size_t)snprintf(out + o, sizeof out - o, ",50,100,");
            p += 7;
        } else if (strncmp(p, ",goalpost,0,100,", 16) == 0) {
            o += (size_t)snprintf(out + o, sizeof out - o, ",goalpost,-1,200,");
            p += 16;
        } else
            out[o++] = *p++;
    }
    egdi_model *m;
    egdi_error err;
    if (egdi_model_load_mem(&m, out, o, mpath, NULL, &err) != EGDI_OK)
        die(mpath, err.message);
    return m;
}

/* `egdi sensitivity` on the same round: d = 5 assumptions (weights +-20 %,
 * normalisation zscore or the leaf's own, arithmetic or geometric, missing
 * reweight or mean, data: I30 drawn from N(value, 2^2) as a survey leaf
 * with --survey-se), Saltelli's design with
 * N = 2,048 (N (d + 2) = 14,336 scorings, the rank shift and 3,000 scores
 * each), 1,000 bootstrap resamples for the rank shift, then the
 * leave-one-out table; two threads. */
static void step_unc_sobol(ctx *c)
{
    egdi_model *m = positive_model();
    egdi_round_input t;
    load_round(m, c->dir, 2025, &t);
    egdi_uncertainty_norm norm = {NULL, 1, {EGDI_RULE_ZSCORE}};
    egdi_uncertainty_opts o;
    egdi_uncertainty_opts_init(&o);
    o.weights = EGDI_UNCERTAINTY_WEIGHTS_UNIFORM;
    o.width = 0.2;
    o.nnorm = 1;
    o.norm = &norm;
    o.aggregation = true;
    o.nmissing = 1;
    o.missing[0] = EGDI_MISSING_MEAN;
    /* data: I30 as a survey leaf would be, each unit's value with an SE of
     * 2 points (--survey-se) */
    size_t N = m->nnodes, i30 = 0;
    for (size_t j = 0; j < N; j++)
        if (strcmp(m->nodes[j].code, "I30") == 0)
            i30 = j;
    double *se = xrealloc(NULL, t.in.nunits * N * sizeof *se);
    for (size_t k = 0; k < t.in.nunits * N; k++)
        se[k] = k % N == i30 ? 2.0 : NAN;
    o.se = se;
    o.threads = 2;
    egdi_sobol_opts so;
    egdi_sobol_opts_init(&so);
    so.base = 2048;
    so.threads = 2;
    const size_t keep = 0;
    so.keep = &keep;
    so.nkeep = 1;
    egdi_sensitivity_result *r;
    egdi_error err;
    mark(c);
    if (egdi_sensitivity_run(m, &t.in, &o, &so, &r, &err) != EGDI_OK)
        die("sensitivity", err.message);
    mark_end(c);
    if (verbose) {
        fprintf(stderr, "  d = %zu, N = %zu, %zu evaluations (%s); the rank shift:", r->d,
                r->sobol.base, r->sobol.evaluations,
                egdi_uncertainty_sampler_name(r->sobol.sampler));
        for (size_t i = 0; i < r->d; i++)
            fprintf(stderr, " %s S %.3f ST %.3f", egdi_uncertainty_group_name(r->groups[i]),
                    r->sobol.first[i], r->sobol.total[i]);
        fprintf(stderr, "\n");
    }
    c->count = (double)r->sobol.evaluations;
    free(se);
    egdi_sensitivity_result_free(r);
    egdi_round_input_release(&t);
    egdi_model_free(m);
}

/* The same Monte Carlo as unc.mc written in plain R the usual way
 * (bench/uncertainty.R: a loop over the draws, each scoring the round with
 * vectorised columns and rank()); the whole Rscript run is timed.  Without
 * Rscript the step says so and takes no time. */
static void step_unc_r(ctx *c)
{
    if (system("command -v Rscript >/dev/null 2>&1") != 0) {
        fprintf(stderr, "bench: unc.r: no Rscript here, skipped\n");
        c->inner = 0;
        c->count = -1;
        return;
    }
    const char *src = getenv("BENCH_SRC");
    char script[4096], model[4096], units[4096], draws[32];
    snprintf(script, sizeof script, "%s/bench/uncertainty.R", src ? src : ".");
    snprintf(model, sizeof model, "%s/bench/units-model.csv", src ? src : ".");
    snprintf(units, sizeof units, "%s/units-2025.csv", c->dir);
    snprintf(draws, sizeof draws, "%d", UNC_DRAWS);
    mark(c);
    pid_t pid = fork();
    if (pid < 0)
        die("fork", strerror(errno));
    if (pid == 0) {
        if (!verbose) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0) {
                dup2(fd, 1);
                close(fd);
            }
        }
        execlp("Rscript", "Rscript", "--vanilla", script, model, units, draws, (char *)NULL);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        die("unc.r", "Rscript bench/uncertainty.R failed");
    c->inner = now() - c->t0;
    /* the R process's CPU time, not this one's */
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    c->inner_cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
                   (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    c->count = UNC_DRAWS;
}

static void run_egdi(const ctx *c, char *const *argv)
{
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {
        dup2(fd, 1);
        close(fd);
    }
    execv(c->egdi, argv);
    _exit(127);
}

static void step_egdi_demo(ctx *c)
{
    char out[4096];
    snprintf(out, sizeof out, "%s/demo-%ld", c->dir, (long)getpid());
    char *argv[] = {(char *)c->egdi, "demo", "-o", out, NULL};
    run_egdi(c, argv);
}

static void step_egdi_survey(ctx *c)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/survey-200k.xlsx", c->dir);
    char *argv[] = {(char *)c->egdi, "survey", "alpha", "--data", path, NULL};
    run_egdi(c, argv);
}

/* ---- scale (issue 20) ----------------------------------------------------
 * `egdi survey` as a user runs it on the 200k survey (describe against
 * alpha; 40 --y against one) and on larger files of 40 Likert items only
 * (Q1..Q40, the five-factor answers of gen_survey, MT19937 seed 20):
 * scale-1m.csv, scale-1m.xlsx and scale-10m.csv (about 800 MB), written
 * into DIR before the first step that needs them, untimed. */

static void gen_scale(const char *dir, const char *name, long n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    bool xlsx = strstr(name, ".xlsx") != NULL;
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = xlsx ? workbook_new_opt(path, &wo) : NULL;
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "survey") : NULL;
    FILE *csv = xlsx ? NULL : fopen(path, "w");
    if (xlsx ? !ws : !csv)
        die(path, "cannot create");
    for (int k = 0; k < NITEMS; k++) {
        char h[8];
        snprintf(h, sizeof h, "Q%d", k + 1);
        if (ws)
            worksheet_write_string(ws, 0, (lxw_col_t)k, h, NULL);
        else
            fprintf(csv, "%s%s", h, k + 1 < NITEMS ? "," : "\n");
    }
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 20);
    char line[2 * NITEMS + 1];
    for (long i = 0; i < n; i++) {
        double f[NFACTORS];
        for (int d = 0; d < NFACTORS; d++)
            f[d] = gsl_ran_gaussian(rng, 1.0);
        for (int k = 0; k < NITEMS; k++) {
            double lam = 0.55 + 0.05 * (k % 5);
            int a = answer(lam * f[k / 8] + 0.8 * gsl_ran_gaussian(rng, 1.0));
            if (ws)
                worksheet_write_number(ws, (lxw_row_t)(i + 1), (lxw_col_t)k, a, NULL);
            line[2 * k] = (char)('0' + a);
            line[2 * k + 1] = k + 1 < NITEMS ? ',' : '\n';
        }
        if (csv)
            fwrite(line, 1, 2 * NITEMS, csv);
    }
    gsl_rng_free(rng);
    if (ws ? workbook_close(wb) != LXW_NO_ERROR : fclose(csv) != 0)
        die(path, "write failed");
}

/* The file a scale.* step reads, written when missing. */
static void scale_prepare(const char *dir, const char *step_name)
{
    static const struct {
        const char *step, *file;
        long n;
    } need[] = {{"scale.csv1m", "scale-1m.csv", 1000000L},
                {"scale.xlsx1m", "scale-1m.xlsx", 1000000L},
                {"scale.csv10m", "scale-10m.csv", 10000000L}};
    for (size_t k = 0; k < sizeof need / sizeof need[0]; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, need[k].file);
        struct stat sb;
        if (strcmp(step_name, need[k].step) == 0 && stat(path, &sb) != 0) {
            fprintf(stderr, "writing %s (%ld respondents x %d items) ...\n", path, need[k].n,
                    NITEMS);
            gen_scale(dir, need[k].file, need[k].n);
        }
    }
}

/* egdi survey SUB --data DIR/FILE ARGS... (at most 6) */
static void scale_run(ctx *c, const char *sub, const char *file, const char *a1,
                      const char *a2, const char *a3, const char *a4)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", c->dir, file);
    char *argv[] = {(char *)c->egdi, "survey", (char *)sub, "--data", path, (char *)a1,
                    (char *)a2, (char *)a3, (char *)a4, NULL};
    run_egdi(c, argv);
}

static const char *all_items(void)
{
    static char list[8 * NITEMS];
    size_t len = 0;
    for (int k = 0; k < NITEMS; k++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%sQ%d", k ? "," : "", k + 1);
    return list;
}

/* 50,000 units x the 30 indicators of bench/units-model.csv (issue 20):
 * units50k-units.csv, units50k-2024.csv, units50k-2025.csv (about 2 %
 * missing, MT19937 seed 50), and two stores made with the egdi program as
 * a user would: units50k-units.db (the units only) and units50k.db (both
 * rounds imported, 2024 scored).  Written before the first step that
 * needs them, untimed. */
#define NUNITS_50K 50000

static void run_or_die(const char *cmd)
{
    if (system(cmd) != 0)
        die(cmd, "failed");
}

static void units50k_prepare(const char *dir, const char *egdi)
{
    char db[4096], path[4096], cmd[16384];
    snprintf(db, sizeof db, "%s/units50k.db", dir);
    struct stat sb;
    if (stat(db, &sb) == 0)
        return;
    fprintf(stderr, "writing %s/units50k-* (50,000 units x %d indicators) ...\n", dir, NIND);
    snprintf(path, sizeof path, "%s/units50k-units.csv", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        die(path, strerror(errno));
    fprintf(f, "code,name,kind\n");
    for (int u = 0; u < NUNITS_50K; u++)
        fprintf(f, "U%05d,单位%d,department\n", u + 1, u + 1);
    if (fclose(f) != 0)
        die(path, "write failed");
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 50);
    static double level[NUNITS_50K][NIND];
    for (int u = 0; u < NUNITS_50K; u++) {
        double a = gsl_ran_gaussian(rng, 12);
        for (int k = 0; k < NIND; k++)
            level[u][k] = 55 + a + gsl_ran_gaussian(rng, 10);
    }
    for (int year = 2024; year <= 2025; year++) {
        snprintf(path, sizeof path, "%s/units50k-%d.csv", dir, year);
        if (!(f = fopen(path, "w")))
            die(path, strerror(errno));
        fprintf(f, "code,name");
        for (int k = 0; k < NIND; k++)
            fprintf(f, ",I%02d", k + 1);
        fputc('\n', f);
        for (int u = 0; u < NUNITS_50K; u++) {
            fprintf(f, "U%05d,单位%d", u + 1, u + 1);
            for (int k = 0; k < NIND; k++) {
                if (year == 2025)
                    level[u][k] += 2 + gsl_ran_gaussian(rng, 3);
                if (gsl_rng_uniform(rng) < 0.02)
                    fputc(',', f);
                else
                    fprintf(f, ",%.2f", level[u][k] < 0.5 ? 0.5 : level[u][k]);
            }
            fputc('\n', f);
        }
        if (fclose(f) != 0)
            die(path, "write failed");
    }
    gsl_rng_free(rng);
    const char *src = getenv("BENCH_SRC");
    char model[4096];
    snprintf(model, sizeof model, "%s/bench/units-model.csv", src ? src : ".");
    snprintf(cmd, sizeof cmd,
             "set -e; cd '%s'; rm -f units50k-units.db* units50k.db*; E='%s';"
             " $E --db units50k-units.db init >/dev/null;"
             " $E --db units50k-units.db import units units50k-units.csv >/dev/null;"
             " cp units50k-units.db units50k.db;"
             " $E --db units50k.db import metrics units50k-2024.csv --round 2024 --model '%s' >/dev/null;"
             " $E --db units50k.db import metrics units50k-2025.csv --round 2025 --model '%s' >/dev/null;"
             " $E --db units50k.db score --round 2024 --model '%s' >/dev/null",
             dir, egdi, model, model, model);
    run_or_die(cmd);
}

/* import metrics of round 2025 into a copy of the units-only store (the
 * copy, 10 MB, is part of the time) */
static void step_units50k_import(ctx *c)
{
    const char *src = getenv("BENCH_SRC");
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "cp '%s/units50k-units.db' '%s/units50k-run.db' && rm -f '%s/units50k-run.db-wal' "
             "'%s/units50k-run.db-shm' && exec '%s' --db '%s/units50k-run.db' import metrics "
             "'%s/units50k-2025.csv' --round 2025 --model '%s/bench/units-model.csv' >/dev/null",
             c->dir, c->dir, c->dir, c->dir, c->egdi, c->dir, c->dir, src ? src : ".");
    execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
}

/* score round 2025 (replacing the earlier run of the same model) */
static void step_units50k_score(ctx *c)
{
    const char *src = getenv("BENCH_SRC");
    char db[4096], model[4096];
    snprintf(db, sizeof db, "%s/units50k.db", c->dir);
    snprintf(model, sizeof model, "%s/bench/units-model.csv", src ? src : ".");
    char *argv[] = {(char *)c->egdi, "--db", db, "score", "--round", "2025", "--model", model,
                    NULL};
    run_egdi(c, argv);
}

/* the report of round 2024, the round scored when the store was written
 * (the first round: nothing to compare); charts skipped, gnuplot being
 * another program */
static void step_units50k_report(ctx *c)
{
    char db[4096], out[4096];
    snprintf(db, sizeof db, "%s/units50k.db", c->dir);
    snprintf(out, sizeof out, "%s/units50k-report", c->dir);
    char *argv[] = {(char *)c->egdi, "--db", db, "report", "--round", "2024", "-o", out,
                    "--no-charts", NULL};
    run_egdi(c, argv);
}

/* The peak RSS (MB) a scale.* step must stay under, or 0. */
static double scale_rss_max(const char *step_name)
{
    return strcmp(step_name, "scale.csv1m") == 0    ? 120
           : strcmp(step_name, "scale.xlsx1m") == 0 ? 150
           : strcmp(step_name, "scale.csv10m") == 0 ? 700
           : strncmp(step_name, "units50k.", 9) == 0 ? 500
                                                    : 0;
}

static void step_scale_alpha(ctx *c) { scale_run(c, "alpha", "survey-200k.csv", "--items", "Q1-Q40", NULL, NULL); }
static void step_scale_describe(ctx *c) { scale_run(c, "describe", "survey-200k.csv", "--items", "Q1-Q40", NULL, NULL); }
static void step_scale_ttest1(ctx *c) { scale_run(c, "ttest", "survey-200k.csv", "--y", "Q1", "--group", "gender"); }
static void step_scale_ttest40(ctx *c) { scale_run(c, "ttest", "survey-200k.csv", "--y", all_items(), "--group", "gender"); }
static void step_scale_anova1(ctx *c) { scale_run(c, "anova", "survey-200k.csv", "--y", "Q1", "--group", "dept"); }
static void step_scale_anova40(ctx *c) { scale_run(c, "anova", "survey-200k.csv", "--y", all_items(), "--group", "dept"); }
static void step_scale_csv1m(ctx *c) { scale_run(c, "alpha", "scale-1m.csv", NULL, NULL, NULL, NULL); }
static void step_scale_xlsx1m(ctx *c) { scale_run(c, "alpha", "scale-1m.xlsx", NULL, NULL, NULL, NULL); }
static void step_scale_csv10m(ctx *c) { scale_run(c, "alpha", "scale-10m.csv", NULL, NULL, NULL, NULL); }

typedef struct {
    const char *name;
    void (*fn)(ctx *);
    const char *bound;  /* the step this one is divided by, or NULL */
    double target;      /* seconds, 0 = none */
    double ratio_max;   /* target ratio to the bound, 0 = none */
    const char *note;
} step;

static const step steps[] = {
    {"xlsx.inflate", step_xlsx_inflate, NULL, 0, 0, "bound: zip_fread of the sheet"},
    {"xlsx.expat", step_xlsx_expat, "xlsx.inflate", 0, 0, "reference: bare expat parse"},
    {"xlsx.read", step_xlsx_read, "xlsx.inflate", 0.5, 2.5, "typed table, no SQLite"},
    {"csv.split", step_csv_split, NULL, 0, 0, "bound: read + split loop"},
    {"csv.direct", step_csv_direct, "csv.split", 0, 0, "reference: split + bytes into columns"},
    {"csv.read", step_csv_read, "csv.split", 0, 2.0, "typed table"},
    {"sqlite.insert", step_sqlite_insert, NULL, 0, 0, "egdi_import_survey of the CSV"},
    {"stats.bound", step_stats_bound, NULL, 0, 0, "bound: sums + 40x40 cross-products"},
    {"stats", step_stats, "stats.bound", 0.1, 0, "alpha+kmo+efa(5,paf,varimax)+items"},
    {"cfa", step_cfa, "stats.bound", 0.2, 0, "cfa 5 factors x 8 items (+ covariances)"},
    {"score.rank", step_score_rank, NULL, 0.05, 0, "two rounds x 3,000 units"},
    {"score.survey", step_score_survey, NULL, 0.5, 0,
     "what a survey leaf adds to score: 3,000 units, 1,000,000 respondents"},
    {"egdi.demo", step_egdi_demo, NULL, 1.0, 0, "egdi demo -o DIR"},
    {"egdi.survey", step_egdi_survey, NULL, 0.6, 0, "egdi survey alpha --data .xlsx"},
    {"corr", step_corr, "stats.bound", 0.05, 0, "40x40 Pearson r with p-values"},
    {"regress", step_regress, NULL, 0.05, 0, "OLS, 10 predictors, VIF, DW"},
    {"mediate", step_mediate, NULL, 2.0, 0, "mediation, bootstrap 5,000, all cores"},
    {"scale.alpha", step_scale_alpha, NULL, 0, 0, "egdi survey alpha, 200k CSV, Q1-Q40"},
    {"scale.describe", step_scale_describe, "scale.alpha", 0, 1.5,
     "egdi survey describe, same file and items"},
    {"scale.ttest1", step_scale_ttest1, NULL, 0, 0, "ttest --y Q1 --group gender"},
    {"scale.ttest40", step_scale_ttest40, "scale.ttest1", 0, 1.5, "ttest --y Q1,...,Q40"},
    {"scale.anova1", step_scale_anova1, NULL, 0, 0, "anova --y Q1 --group dept"},
    {"scale.anova40", step_scale_anova40, "scale.anova1", 0, 1.5, "anova --y Q1,...,Q40"},
    {"scale.csv1m", step_scale_csv1m, NULL, 0, 0, "alpha, 1,000,000 x 40 CSV"},
    {"scale.xlsx1m", step_scale_xlsx1m, NULL, 0, 0, "alpha, 1,000,000 x 40 XLSX"},
    {"scale.csv10m", step_scale_csv10m, NULL, 0, 0, "alpha, 10,000,000 x 40 CSV"},
    {"units50k.import", step_units50k_import, NULL, 5.0, 0,
     "import metrics, 50,000 units x 30 (RSS < 500 MB)"},
    {"units50k.score", step_units50k_score, NULL, 5.0, 0,
     "score, 50,000 units x 30 (RSS < 500 MB)"},
    {"units50k.report", step_units50k_report, NULL, 5.0, 0,
     "report --no-charts, 50,000 units x 30 (RSS < 500 MB)"},
    {"unc.mc", step_unc_mc, NULL, 1.0, 0,
     "uncertainty: 10,000 draws x 3,000 units x 30 ind., weights + normalisation, 2 threads"},
    {"unc.sobol", step_unc_sobol, NULL, 2.0, 0,
     "sensitivity: Sobol d = 5, N = 2,048 (14,336 scorings) + bootstrap + leave-one-out"},
    {"unc.r", step_unc_r, "unc.mc", 0, 0,
     "the unc.mc Monte Carlo in plain R (bench/uncertainty.R); ratio = R / unc.mc"},
};
#define NSTEPS (sizeof steps / sizeof steps[0])

/* ---- the driver --------------------------------------------------------- */

typedef struct {
    double wall, cpu, rss_mb, count;
} run_result;

static run_result run_one(const step *s, const char *dir, const char *egdi)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        die("pipe", strerror(errno));
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0)
        die("fork", strerror(errno));
    if (pid == 0) {
        close(pfd[0]);
        ctx c = {dir, egdi, -1, 0, 0, 0, 0};
        s->fn(&c);
        double msg[3] = {c.inner, c.count, c.inner_cpu};
        if (write(pfd[1], msg, sizeof msg) != (ssize_t)sizeof msg)
            _exit(3);
        _exit(0);
    }
    close(pfd[1]);
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) != pid)
        die("wait4", strerror(errno));
    double wall = now() - t0;
    double msg[3] = {-1, 0, 0};
    ssize_t got = read(pfd[0], msg, sizeof msg);
    close(pfd[0]);
    /* an exec'ed step (egdi survey) writes nothing and exits 0 */
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || (got != (ssize_t)sizeof msg && got != 0)) {
        fprintf(stderr, "bench: step %s failed\n", s->name);
        exit(1);
    }
    run_result r;
    r.wall = msg[0] >= 0 ? msg[0] : wall;
    r.cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
    r.rss_mb = (double)ru.ru_maxrss / 1024.0;
    r.count = msg[1];
    if (msg[0] >= 0)
        r.cpu = msg[2];
    if (strcmp(s->name, "egdi.demo") == 0) { /* not timed: the output's removal */
        char cmd[4200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'/demo-*", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench: cannot remove the demo output\n");
    }
    return r;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double load1(void)
{
    double l[1];
    return getloadavg(l, 1) == 1 ? l[0] : -1;
}

static int cmd_run(const char *dir, const char *egdi, int reps, char **only, int nonly)
{
    double med[NSTEPS] = {0}, medc[NSTEPS] = {0};
    bool done[NSTEPS] = {false};
    printf("%-14s %9s %9s %9s %8s %7s %7s  %-22s %5s  %s\n", "step", "median", "min", "cpu",
           "peakRSS", "ratio", "cpuratio", "target", "load", "what");
    for (size_t k = 0; k < NSTEPS; k++) {
        const step *s = &steps[k];
        bool want = nonly == 0;
        for (int i = 0; i < nonly; i++)
            if (strcmp(only[i], s->name) == 0)
                want = true;
        if (!want)
            continue;
        if (strncmp(s->name, "scale.", 6) == 0)
            scale_prepare(dir, s->name);
        if (strncmp(s->name, "units50k.", 9) == 0)
            units50k_prepare(dir, egdi);
        double wall[MAX_REPS], cpu[MAX_REPS], rss = 0, count = 0;
        double la = load1();
        for (int i = 0; i < reps; i++) {
            run_result r = run_one(s, dir, egdi);
            wall[i] = r.wall;
            cpu[i] = r.cpu;
            if (r.rss_mb > rss)
                rss = r.rss_mb;
            count = r.count;
        }
        qsort(wall, (size_t)reps, sizeof wall[0], cmp_double);
        qsort(cpu, (size_t)reps, sizeof cpu[0], cmp_double);
        med[k] = wall[reps / 2];
        medc[k] = cpu[reps / 2];
        done[k] = true;
        double ratio = NAN, cratio = NAN;
        if (s->bound)
            for (size_t b = 0; b < NSTEPS; b++)
                if (done[b] && strcmp(steps[b].name, s->bound) == 0) {
                    ratio = med[k] / med[b];
                    cratio = medc[k] / medc[b];
                }
        char target[64] = "", rat[16] = "", crat[16] = "";
        if (strcmp(s->name, "sqlite.insert") == 0) {
            snprintf(target, sizeof target, "%.2fM values/s >= 1M",
                     count / med[k] / 1e6);
        } else if (s->target > 0 && s->ratio_max > 0) {
            snprintf(target, sizeof target, "< %.2g s, <= %.1fx", s->target, s->ratio_max);
        } else if (s->target > 0) {
            snprintf(target, sizeof target, "< %.3g s", s->target);
        } else if (s->ratio_max > 0) {
            snprintf(target, sizeof target, "<= %.1fx", s->ratio_max);
        } else if (scale_rss_max(s->name) > 0) {
            snprintf(target, sizeof target, "RSS < %.0f MB%s", scale_rss_max(s->name),
                     rss < scale_rss_max(s->name) ? "" : " (over)");
        }
        if (!isnan(ratio)) {
            snprintf(rat, sizeof rat, "%.2fx", ratio);
            snprintf(crat, sizeof crat, "%.2fx", cratio);
        }
        printf("%-14s %8.3fs %8.3fs %8.3fs %6.0fMB %7s %8s  %-22s %5.2f  %s\n", s->name,
               med[k], wall[0], cpu[reps / 2], rss, rat, crat, target, la, s->note);
        fflush(stdout);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "gen") == 0) {
        long n = argc > 3 ? atol(argv[3]) : NRESP;
        if (n < 1 || (size_t)n >= MAX_CHUNKS * CHUNK)
            die("gen", "respondents must be 1 .. 4,194,303 (the typed table's capacity)");
        gen_survey(argv[2], n);
        gen_units(argv[2]);
        gen_score_survey(argv[2]);
        return 0;
    }
    if (argc >= 5 && strcmp(argv[1], "run") == 0) {
        int reps = atoi(argv[4]);
        if (reps < 1 || reps > MAX_REPS)
            die("run", "REPS must be 1..50");
        return cmd_run(argv[2], argv[3], reps, argv + 5, argc - 5);
    }
    if (argc >= 5 && strcmp(argv[1], "step") == 0) {
        for (size_t k = 0; k < NSTEPS; k++)
            if (strcmp(steps[k].name, argv[2]) == 0) {
                ctx c = {argv[3], argv[4], -1, 0, 0, 0, 0};
                verbose = true;
                double t0 = now();
                steps[k].fn(&c);
                printf("%s: %.3f s (timed part %.3f s), count %.10g\n", steps[k].name,
                       now() - t0, c.inner, c.count);
                return 0;
            }
        die(argv[2], "no such step");
    }
    fprintf(stderr, "usage: bench gen DIR | run DIR EGDI REPS [STEP...] | "
                    "step NAME DIR EGDI\n");
    return 2;
}
