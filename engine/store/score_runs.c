/*
 * score_runs.c - the SQL of stored score runs (see score_runs.h).  Each function prepares, uses and finalizes its own
 * statements; a save is one transaction.  Nothing here allocates what it
 * returns except the model definition of egdi_store_score_run_find().
 */
#include "engine/store/score_runs.h"
#include "engine/store/store_private.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Column c of q as a number, NULL as NaN; *st (when still EGDI_OK) gets the
 * error of a value that is no finite number (egdi_store_col_num), saying it
 * is a score of node (may be NULL) for unit. */
static double col_num(sqlite3_stmt *q, int c, const char *node, const char *unit,
                      int64_t unit_id, egdi_status *st, egdi_error *err)
{
    double v = NAN;
    if (*st != EGDI_OK || egdi_store_col_num(q, c, true, NULL, &v, NULL) == EGDI_OK)
        return v;
    char what[200], id[24];
    snprintf(id, sizeof id, "%lld", (long long)unit_id);
    snprintf(what, sizeof what, "a score%s%.64s of unit %.64s", node ? " of " : "",
             node ? node : "", unit ? unit : id);
    *st = egdi_store_col_num(q, c, true, what, &v, err);
    return v;
}

static const char *col_text(sqlite3_stmt *q, int c)
{
    return (const char *)sqlite3_column_text(q, c);
}

static void bind_num(sqlite3_stmt *q, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(q, i);
    else
        sqlite3_bind_double(q, i, v);
}

/* Runs a prepared statement that returns no row; fails naming what. */
static egdi_status step_done(egdi_store *s, sqlite3_stmt *q, const char *what, egdi_error *err)
{
    if (sqlite3_step(q) != SQLITE_DONE)
        return egdi_store_fail(s, what, err);
    return EGDI_OK;
}

egdi_status egdi_store_model_save(egdi_store *s, const char *name, const char *version,
                                  const char *sha256, const char *definition, size_t len,
                                  int64_t *model_id, egdi_error *err)
{
    char now[21];
    egdi_store_now(now);
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s,
                                        "INSERT OR IGNORE INTO model(name, version, sha256, "
                                        "definition, created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                                        &q, err);
    if (st)
        return st;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, version, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, definition, (int)len, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
    st = step_done(s, q, "saving the model", err);
    sqlite3_finalize(q);
    if (st)
        return st;
    if ((st = egdi_store_prepare(s, "SELECT id FROM model WHERE sha256 = ?1", &q, err)))
        return st;
    sqlite3_bind_text(q, 1, sha256, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW)
        st = egdi_store_fail(s, "finding the model", err);
    else if (model_id)
        *model_id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return st;
}

static egdi_status save_model(egdi_store *s, const egdi_store_score_run *run, int64_t *model_id,
                              egdi_error *err)
{
    return egdi_store_model_save(s, run->model_name, run->model_version, run->model_sha256,
                                 run->definition, run->definition_len, model_id, err);
}

static egdi_status save_run_row(egdi_store *s, const egdi_store_score_run *run, int64_t model_id,
                                const char *now, int64_t *run_id, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    /* the earlier run's rows first, each table by its key, then the run
     * (whose cascade then finds nothing): the cascade alone looks up each
     * deleted row's unit and run, 2 million rows at 50,000 units (issue 20) */
    static const char *const drop[] = {
        "DELETE FROM node_score WHERE run_id IN"
        " (SELECT id FROM score_run WHERE round = ?1 AND model_id = ?2)",
        "DELETE FROM unit_node_score WHERE run_id IN"
        " (SELECT id FROM score_run WHERE round = ?1 AND model_id = ?2)",
        "DELETE FROM unit_score WHERE run_id IN"
        " (SELECT id FROM score_run WHERE round = ?1 AND model_id = ?2)",
        "DELETE FROM score_run WHERE round = ?1 AND model_id = ?2"};
    egdi_status st = EGDI_OK;
    for (size_t i = 0; i < sizeof drop / sizeof *drop && !st; i++) {
        if ((st = egdi_store_prepare(s, drop[i], &q, err)))
            return st;
        sqlite3_bind_int(q, 1, run->round);
        sqlite3_bind_int64(q, 2, model_id);
        st = step_done(s, q, "replacing the earlier run", err);
        sqlite3_finalize(q);
    }
    if (st)
        return st;
    if ((st = egdi_store_prepare(s,
                                 "INSERT INTO score_run(round, model_id, inputs_sha256, "
                                 "program_version, created_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                                 &q, err)))
        return st;
    sqlite3_bind_int(q, 1, run->round);
    sqlite3_bind_int64(q, 2, model_id);
    sqlite3_bind_text(q, 3, run->inputs_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, run->program_version, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
    st = step_done(s, q, "saving the run", err);
    sqlite3_finalize(q);
    if (!st)
        *run_id = sqlite3_last_insert_rowid(egdi_store_db(s));
    return st;
}

/*
 * A run's node scores are saved one row per unit (unit_node_score, schema
 * 6): 50,000 rows for 50,000 units instead of 2 million node_score rows,
 * whose inserting, deleting on replacement and reading back took most of
 * `egdi score` (issue 20).  unit_node_score.nodes holds NODES_FORMAT, the
 * number of nodes (4 bytes, little-endian), then for each node the unit has
 * scores of (how != NULL), in strictly increasing code order (strcmp):
 *   the code's length (2 bytes, little-endian) and its bytes;
 *   how's length (1 byte) and its bytes;
 *   a byte of which of raw, score, weight, contribution, dept, own are
 *   present (bits 0..5; an absent one is NaN, as NULL was);
 *   each present one as an IEEE double, 8 bytes little-endian.
 * The numbers come back bit for bit.  A row whose entries are not exactly
 * that many, in that order, with no byte left over, is damaged (refused:
 * a row cut between two entries would otherwise read as a unit with fewer
 * scores).  Runs saved before schema 6 keep their
 * node_score rows (note = how, "how dept=D own=R"); egdi_store_node_scores_each
 * reads both, so every reader sees the same rows either way.
 */
#define NODES_FORMAT 1
#define NODES_HEAD 5 /* the format byte and the count */
#define NODES_NVAL 6
#define NODES_CODE_MAX 65535
#define NODES_HOW_MAX 255

static void put_le64(unsigned char *p, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

static double get_le64(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)p[i] << (8 * i);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

typedef struct {
    int64_t id;
    size_t idx;
} unit_order;

static int cmp_unit_order(const void *a, const void *b)
{
    const unit_order *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Appends cell c's entry (node code) at p; returns the end. */
static unsigned char *put_node(unsigned char *p, const egdi_store_score_run *run, size_t c,
                               const char *code, size_t codelen, size_t howlen)
{
    const double v[NODES_NVAL] = {run->raw[c],          run->score[c], run->weight[c],
                                  run->contribution[c], run->dept[c],  run->own[c]};
    *p++ = (unsigned char)(codelen & 0xff);
    *p++ = (unsigned char)(codelen >> 8);
    memcpy(p, code, codelen);
    p += codelen;
    *p++ = (unsigned char)howlen;
    memcpy(p, run->how[c], howlen);
    p += howlen;
    unsigned char *mask = p++;
    *mask = 0;
    for (int k = 0; k < NODES_NVAL; k++)
        if (!isnan(v[k])) {
            *mask = (unsigned char)(*mask | (1u << k));
            put_le64(p, v[k]);
            p += 8;
        }
    return p;
}

static egdi_status save_nodes(egdi_store *s, const egdi_store_score_run *run, int64_t id,
                              egdi_error *err)
{
    size_t U = run->nunits, N = run->nnodes, maxcode = 0;
    for (size_t j = 0; j < N; j++) {
        size_t len = strlen(run->nodes[j]);
        if (len > NODES_CODE_MAX)
            return egdi_error_set(err, EGDI_ERR_LIMIT,
                                  "node code %.40s... is longer than %d bytes", run->nodes[j],
                                  NODES_CODE_MAX);
        maxcode = len > maxcode ? len : maxcode;
    }
    size_t entry = 2 + maxcode + 1 + NODES_HOW_MAX + 1 + 8 * NODES_NVAL;
    if (N > (SIZE_MAX - NODES_HEAD) / entry || N > UINT32_MAX ||
        NODES_HEAD + N * entry > INT_MAX)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "too many nodes");
    sqlite3_stmt *q = NULL;
    unit_order *units = malloc((U ? U : 1) * sizeof *units);
    size_t *nodes = malloc((N ? N : 1) * sizeof *nodes);
    const char **codes = malloc((N ? N : 1) * sizeof *codes);
    size_t *codelen = malloc((N ? N : 1) * sizeof *codelen);
    unsigned char *buf = malloc(NODES_HEAD + N * entry);
    egdi_status st = EGDI_OK;
    if (!units || !nodes || !codes || !codelen || !buf) {
        st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((st = egdi_store_prepare(s,
                                 "INSERT INTO unit_node_score(run_id, unit_id, nodes) "
                                 "VALUES(?1, ?2, ?3)",
                                 &q, err)))
        goto out;
    /* units by store id, nodes by code: the order of the old rows' key */
    for (size_t u = 0; u < U; u++)
        units[u] = (unit_order){run->unit_ids[u], u};
    qsort(units, U, sizeof *units, cmp_unit_order);
    for (size_t j = 0; j < N; j++)
        codes[j] = run->nodes[j];
    qsort(codes, N, sizeof *codes, cmp_code);
    for (size_t k = 0; k < N; k++) {
        for (size_t j = 0; j < N; j++)
            if (run->nodes[j] == codes[k]) {
                nodes[k] = j;
                break;
            }
        codelen[k] = strlen(codes[k]);
    }
    for (size_t a = 0; a < U && !st; a++) {
        egdi_progress_step(run->progress, a, U);
        size_t u = units[a].idx;
        unsigned char *p = buf + NODES_HEAD;
        uint32_t count = 0;
        for (size_t k = 0; k < N && !st; k++) {
            size_t c = u * N + nodes[k];
            if (!run->how[c])
                continue;
            size_t howlen = strlen(run->how[c]);
            if (howlen > NODES_HOW_MAX) {
                st = egdi_error_set(err, EGDI_ERR_LIMIT, "how a node was scored is longer "
                                    "than %d bytes", NODES_HOW_MAX);
                break;
            }
            p = put_node(p, run, c, codes[k], codelen[k], howlen);
            count++;
        }
        if (st || count == 0)
            continue; /* (no node scores: no row, as before) */
        buf[0] = NODES_FORMAT;
        for (int i = 0; i < 4; i++)
            buf[1 + i] = (unsigned char)(count >> (8 * i));
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, run->unit_ids[u]);
        sqlite3_bind_blob(q, 3, buf, (int)(p - buf), SQLITE_STATIC);
        st = step_done(s, q, "saving indicator scores", err);
    }
    if (!st)
        egdi_progress_step(run->progress, U, U);
out:
    sqlite3_finalize(q);
    free(units);
    free(nodes);
    free(codes);
    free(codelen);
    free(buf);
    return st;
}

static egdi_status save_units(egdi_store *s, const egdi_store_score_run *run, int64_t id,
                              egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s,
                                        "INSERT INTO unit_score(run_id, unit_id, egdi, stage, "
                                        "coverage, rankable, rank) VALUES(?1,?2,?3,?4,?5,?6,?7)",
                                        &q, err);
    if (st)
        return st;
    for (size_t u = 0; u < run->nunits && !st; u++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_int64(q, 2, run->unit_ids[u]);
        bind_num(q, 3, run->egdi[u]);
        if (run->stage[u])
            sqlite3_bind_text(q, 4, run->stage[u], -1, SQLITE_STATIC);
        else
            sqlite3_bind_null(q, 4);
        sqlite3_bind_double(q, 5, run->coverage[u]);
        sqlite3_bind_int(q, 6, run->rankable[u]);
        if (run->rank[u] > 0)
            sqlite3_bind_int64(q, 7, run->rank[u]);
        else
            sqlite3_bind_null(q, 7);
        st = step_done(s, q, "saving unit scores", err);
    }
    sqlite3_finalize(q);
    return st;
}

egdi_status egdi_store_score_run_save(egdi_store *s, const egdi_store_score_run *run,
                                      int64_t *run_id, egdi_error *err)
{
    egdi_status st = egdi_store_begin(s, err);
    if (st)
        return st;
    char now[21];
    egdi_store_now(now);
    int64_t model_id = 0, id = 0;
    if ((st = save_model(s, run, &model_id, err)) ||
        (st = egdi_store_ensure_round(s, run->round, err)) ||
        (st = save_run_row(s, run, model_id, now, &id, err)) ||
        (st = save_nodes(s, run, id, err)) || (st = save_units(s, run, id, err)) ||
        (run->also && (st = run->also(s, id, run->also_ctx, err))) ||
        (st = egdi_store_commit(s, err))) {
        egdi_store_rollback(s);
        return st;
    }
    if (run_id)
        *run_id = id;
    return EGDI_OK;
}

egdi_status egdi_store_score_run_find(egdi_store *s, int round, const char *model_name,
                                      bool *found, int64_t *run_id, char **definition,
                                      size_t *len, egdi_error *err)
{
    *found = false;
    *definition = NULL;
    *len = 0;
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT sr.id, m.definition FROM score_run sr JOIN model m ON m.id = sr.model_id "
        "WHERE (?1 = 0 OR sr.round = ?1) AND (?2 IS NULL OR m.name = ?2) ORDER BY sr.id DESC LIMIT 1",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_int(q, 1, round);
    if (model_name)
        sqlite3_bind_text(q, 2, model_name, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, 2);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        const unsigned char *def = sqlite3_column_text(q, 1);
        size_t n = (size_t)sqlite3_column_bytes(q, 1);
        char *copy = malloc(n + 1);
        if (!copy) {
            sqlite3_finalize(q);
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading a stored model");
        }
        if (n)
            memcpy(copy, def, n);
        copy[n] = '\0';
        *run_id = sqlite3_column_int64(q, 0);
        *definition = copy;
        *len = n;
        *found = true;
    } else if (step != SQLITE_DONE) {
        st = egdi_store_fail(s, "reading score runs", err);
    }
    sqlite3_finalize(q);
    return st;
}

egdi_status egdi_store_unit_scores_each(egdi_store *s, int64_t run_id,
                                        egdi_store_unit_score_fn fn, void *ctx, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT u.id, u.code, u.name, u.kind, p.code, us.egdi, us.stage, us.coverage, "
        "us.rankable, us.rank FROM unit_score us JOIN unit u ON u.id = us.unit_id "
        "LEFT JOIN unit p ON p.id = u.parent_id WHERE us.run_id = ?1 ORDER BY u.kind, u.code",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, run_id);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_unit_score_row row;
        egdi_store_unit_cols(q, 0, &row.unit);
        if (!row.unit.code)
            continue;
        row.egdi = col_num(q, 5, NULL, row.unit.code, 0, &st, err);
        row.stage = col_text(q, 6);
        row.coverage = col_num(q, 7, NULL, row.unit.code, 0, &st, err);
        row.rankable = sqlite3_column_int(q, 8) != 0;
        row.rank = sqlite3_column_type(q, 9) == SQLITE_NULL ? 0 : (long)sqlite3_column_int64(q, 9);
        if (st || (st = fn(ctx, &row, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading unit scores", err);
    return EGDI_OK;
}

/* The node scores of a damaged unit_node_score row: one error, naming the
 * unit by its code (looked up here, on the error path only) and store id. */
static egdi_status damaged_nodes(egdi_store *s, int64_t unit_id, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    char code[65] = "";
    if (egdi_store_prepare(s, "SELECT code FROM unit WHERE id = ?1", &q, err) == EGDI_OK) {
        sqlite3_bind_int64(q, 1, unit_id);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            snprintf(code, sizeof code, "%s", (const char *)sqlite3_column_text(q, 0));
        sqlite3_finalize(q);
    }
    if (code[0])
        return egdi_error_set(err, EGDI_ERR_STORE,
                              "the store holds indicator scores of unit %s (store id %lld) "
                              "that cannot be read: it was changed outside egdi or is damaged",
                              code, (long long)unit_id);
    return egdi_error_set(err, EGDI_ERR_STORE,
                          "the store holds indicator scores of unit %lld that cannot be "
                          "read: it was changed outside egdi or is damaged",
                          (long long)unit_id);
}

static egdi_status damaged_row(bool *damaged)
{
    *damaged = true;
    return EGDI_ERR_STORE;
}

/* The rows of one unit_node_score.nodes (b, n bytes) of unit_id, to fn;
 * code: a buffer of 2 x (NODES_CODE_MAX + 1) bytes.  A row that is not
 * what the writer makes: EGDI_ERR_STORE with *damaged set and err left to
 * the caller (damaged_nodes). */
static egdi_status each_node_of(int64_t unit_id, const unsigned char *b, size_t n, char *code,
                                egdi_store_node_score_fn fn, void *ctx, bool *damaged,
                                egdi_error *err)
{
    if (n < NODES_HEAD || b[0] != NODES_FORMAT)
        return damaged_row(damaged);
    uint32_t count = 0;
    for (int k = 0; k < 4; k++)
        count |= (uint32_t)b[1 + k] << (8 * k);
    char *prev = code + NODES_CODE_MAX + 1; /* the last entry's code */
    prev[0] = '\0';
    size_t i = NODES_HEAD;
    for (uint32_t e = 0; e < count; e++) {
        egdi_store_node_score_row row;
        char how[NODES_HOW_MAX + 1];
        if (n - i < 2)
            return damaged_row(damaged);
        size_t len = (size_t)b[i] | (size_t)b[i + 1] << 8;
        i += 2;
        if (len == 0 || n - i < len + 1)
            return damaged_row(damaged);
        memcpy(code, b + i, len);
        code[len] = '\0';
        if (memchr(code, '\0', len) || (e && strcmp(code, prev) <= 0))
            return damaged_row(damaged); /* out of order, or twice */
        memcpy(prev, code, len + 1);
        i += len;
        size_t hl = b[i++];
        if (n - i < hl + 1)
            return damaged_row(damaged);
        memcpy(how, b + i, hl);
        how[hl] = '\0';
        i += hl;
        unsigned mask = b[i++];
        if (mask >> NODES_NVAL)
            return damaged_row(damaged);
        double v[NODES_NVAL];
        for (int k = 0; k < NODES_NVAL; k++) {
            v[k] = NAN;
            if (!(mask & (1u << k)))
                continue;
            if (n - i < 8)
                return damaged_row(damaged);
            v[k] = get_le64(b + i);
            i += 8;
            if (!isfinite(v[k]))
                return egdi_error_set(err, EGDI_ERR_STORE,
                                      "the store holds a score of %.64s of unit %lld that is "
                                      "not a finite number: it was changed outside egdi or "
                                      "is damaged",
                                      code, (long long)unit_id);
        }
        row.unit_id = unit_id;
        row.node = code;
        row.raw = v[0];
        row.score = v[1];
        row.weight = v[2];
        row.contribution = v[3];
        row.how = how;
        row.dept = v[4];
        row.own = v[5];
        egdi_status st = fn(ctx, &row, err);
        if (st)
            return st;
    }
    if (i != n || count == 0)
        return damaged_row(damaged); /* bytes left over; no row is saved empty */
    return EGDI_OK;
}

/* The node scores of a run saved from schema 6 on (unit_node_score). */
static egdi_status each_unit_nodes(egdi_store *s, int64_t run_id, egdi_store_node_score_fn fn,
                                   void *ctx, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    char *code = malloc(2 * (NODES_CODE_MAX + 1));
    if (!code)
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    egdi_status st = egdi_store_prepare(s,
                                        "SELECT unit_id, nodes FROM unit_node_score "
                                        "WHERE run_id = ?1 ORDER BY unit_id",
                                        &q, err);
    if (st) {
        free(code);
        return st;
    }
    sqlite3_bind_int64(q, 1, run_id);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t unit_id = sqlite3_column_int64(q, 0);
        bool damaged = sqlite3_column_type(q, 1) != SQLITE_BLOB;
        if (!damaged)
            st = each_node_of(unit_id, sqlite3_column_blob(q, 1),
                              (size_t)sqlite3_column_bytes(q, 1), code, fn, ctx, &damaged, err);
        if (damaged)
            st = damaged_nodes(s, unit_id, err);
        if (st)
            break;
    }
    sqlite3_finalize(q);
    free(code);
    if (!st && step != SQLITE_DONE)
        return egdi_store_fail(s, "reading indicator scores", err);
    return st;
}

/* The node scores of a run saved before schema 6 (node_score). */
static egdi_status each_node_rows(egdi_store *s, int64_t run_id, egdi_store_node_score_fn fn,
                                  void *ctx, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s,
                                        "SELECT unit_id, node, raw, score, weight, contribution, "
                                        "note FROM node_score WHERE run_id = ?1",
                                        &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, run_id);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        egdi_store_node_score_row row;
        row.unit_id = sqlite3_column_int64(q, 0);
        row.node = col_text(q, 1);
        if (!row.node)
            continue;
        row.raw = col_num(q, 2, row.node, NULL, row.unit_id, &st, err);
        row.score = col_num(q, 3, row.node, NULL, row.unit_id, &st, err);
        row.weight = col_num(q, 4, row.node, NULL, row.unit_id, &st, err);
        row.contribution = col_num(q, 5, row.node, NULL, row.unit_id, &st, err);
        if (st) {
            sqlite3_finalize(q);
            return st;
        }
        const char *note = col_text(q, 6);
        char how[32] = "";
        row.how = NULL;
        row.dept = row.own = NAN;
        if (note) {
            size_t k = strcspn(note, " ");
            if (k >= sizeof how)
                k = sizeof how - 1;
            memcpy(how, note, k);
            how[k] = '\0';
            row.how = how;
            const char *d = strstr(note, "dept="), *o = strstr(note, "own=");
            if (d)
                row.dept = strtod(d + 5, NULL);
            if (o)
                row.own = strtod(o + 4, NULL);
        }
        if ((st = fn(ctx, &row, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading indicator scores", err);
    return EGDI_OK;
}

egdi_status egdi_store_node_scores_each(egdi_store *s, int64_t run_id,
                                        egdi_store_node_score_fn fn, void *ctx, egdi_error *err)
{
    egdi_status st = each_unit_nodes(s, run_id, fn, ctx, err);
    if (!st)
        st = each_node_rows(s, run_id, fn, ctx, err);
    return st;
}

egdi_status egdi_store_region_series_each(egdi_store *s, const char *model_name,
                                          egdi_store_series_fn fn, void *ctx, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s,
        "SELECT sr.round, u.code, us.egdi FROM unit_score us"
        " JOIN score_run sr ON sr.id = us.run_id JOIN model m ON m.id = sr.model_id"
        " JOIN unit u ON u.id = us.unit_id"
        " WHERE u.kind = 'region' AND m.name = ?1 AND us.egdi IS NOT NULL AND us.rankable"
        " AND sr.id = (SELECT max(s2.id) FROM score_run s2 JOIN model m2 ON m2.id = s2.model_id"
        "              WHERE s2.round = sr.round AND m2.name = m.name)"
        " ORDER BY u.code, sr.round",
        &q, err);
    if (st)
        return st;
    sqlite3_bind_text(q, 1, model_name, -1, SQLITE_STATIC);
    int step;
    while ((step = sqlite3_step(q)) == SQLITE_ROW) {
        const char *code = (const char *)sqlite3_column_text(q, 1);
        if (!code)
            continue;
        double v = col_num(q, 2, NULL, code, 0, &st, err);
        if (st ||
            (st = fn(ctx, sqlite3_column_int(q, 0), code, v, err))) {
            sqlite3_finalize(q);
            return st;
        }
    }
    sqlite3_finalize(q);
    if (step != SQLITE_DONE)
        return egdi_store_fail(s, "reading the regions' scores across rounds", err);
    return EGDI_OK;
}

/* ---- why a run is stale ------------------------------------------------ */

#define STALE_IMPORT_TAIL " came after the scores"
#define STALE_UNDO_MID ") was undone on "

const char *egdi_store_stale_text(const egdi_stale_reason *r, char *buf, size_t size)
{
    if (r->kind == EGDI_STALE_UNDO)
        snprintf(buf, size, "import %lld (%s %s" STALE_UNDO_MID "%s", r->batch, r->what, r->file,
                 r->when);
    else
        snprintf(buf, size, "import %lld (%s %s) on %s" STALE_IMPORT_TAIL, r->batch, r->what,
                 r->file, r->when);
    return buf;
}

/* The last occurrence of needle in [s, end), or NULL. */
static char *last_of(char *s, const char *end, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = end - n; p >= s; p--)
        if (memcmp(p, needle, n) == 0)
            return (char *)p;
    return NULL;
}

bool egdi_store_stale_parse(const char *text, egdi_stale_reason *out, char *copy, size_t size)
{
    size_t len = text ? strlen(text) : 0;
    if (!text || len + 1 > size || strncmp(text, "import ", 7) != 0)
        return false;
    memcpy(copy, text, len + 1);
    char *end = copy + len, *p = copy + 7, *q;
    long long batch = strtoll(p, &q, 10);
    if (q == p || strncmp(q, " (", 2) != 0)
        return false;
    char *what = q + 2, *sp = strchr(what, ' ');
    if (!sp)
        return false;
    *sp = 0;
    char *file = sp + 1, *mid;
    size_t tail = strlen(STALE_IMPORT_TAIL);
    if (len > tail && strcmp(end - tail, STALE_IMPORT_TAIL) == 0 &&
        (mid = last_of(file, end - tail, ") on "))) {
        out->kind = EGDI_STALE_IMPORT;
        *mid = 0;
        *(end - tail) = 0;
        out->when = mid + 5;
    } else if ((mid = last_of(file, end, STALE_UNDO_MID))) {
        out->kind = EGDI_STALE_UNDO;
        *mid = 0;
        out->when = mid + strlen(STALE_UNDO_MID);
    } else {
        return false;
    }
    out->batch = batch;
    out->what = what;
    out->file = file;
    return *out->when != 0;
}

egdi_status egdi_store_score_run_stale(egdi_store *s, int64_t run_id, char **why,
                                       egdi_error *err)
{
    *why = NULL;
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s, "SELECT stale FROM score_run WHERE id = ?1", &q, err);
    if (st)
        return st;
    sqlite3_bind_int64(q, 1, run_id);
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        const char *t = col_text(q, 0);
        if (t && !(*why = strdup(t)))
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    } else if (step != SQLITE_DONE)
        st = egdi_store_fail(s, "reading score runs", err);
    sqlite3_finalize(q);
    return st;
}

egdi_status egdi_store_score_runs_stale(egdi_store *s, int round, const char *why,
                                        size_t *marked, egdi_error *err)
{
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(
        s, "UPDATE score_run SET stale = ?2 WHERE stale IS NULL AND (?1 = 0 OR round = ?1)", &q,
        err);
    if (st)
        return st;
    sqlite3_bind_int(q, 1, round);
    sqlite3_bind_text(q, 2, why, -1, SQLITE_STATIC);
    st = step_done(s, q, "marking score runs stale", err);
    if (!st && marked)
        *marked = (size_t)sqlite3_changes(egdi_store_db(s));
    sqlite3_finalize(q);
    return st;
}

egdi_status egdi_store_model_latest(egdi_store *s, bool *found, char **definition, size_t *len,
                                    egdi_error *err)
{
    *found = false;
    *definition = NULL;
    *len = 0;
    sqlite3_stmt *q = NULL;
    egdi_status st = egdi_store_prepare(s,
                                        "SELECT m.definition FROM score_run sr JOIN model m"
                                        " ON m.id = sr.model_id ORDER BY sr.id DESC LIMIT 1",
                                        &q, err);
    if (st)
        return st;
    int step = sqlite3_step(q);
    if (step == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(q, 0);
        const unsigned char *t = sqlite3_column_text(q, 0);
        char *copy = malloc(n + 1);
        if (!copy)
            st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading a stored model");
        else {
            if (n)
                memcpy(copy, t, n);
            copy[n] = '\0';
            *definition = copy;
            *len = n;
            *found = true;
        }
    } else if (step != SQLITE_DONE)
        st = egdi_store_fail(s, "reading score runs", err);
    sqlite3_finalize(q);
    return st;
}
