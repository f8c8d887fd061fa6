/*
 * dataset.c - the survey dataset (dataset.h): loading a file or a stored
 * survey into columns, choosing the items, reverse keys and scales, and
 * the matrices, variables, groups and pairs the statistics read.
 *
 * Data flow of a file: the reader streams it once (egdi_reader_next_small
 * when no text is kept, so Likert answers arrive as bytes without a cell);
 * every other cell goes through egdi_answer_value().  Values go straight
 * into growing per-column arrays, one byte per cell while a column holds
 * only whole numbers 0..254 and doubles from its first other number on
 * (put_value).  A stored survey's item columns are adopted as loaded
 * (bytes for a "u8" survey); its attributes are text, turned into numbers
 * by the same rule.
 *
 * Ownership: the dataset owns everything reachable from it
 * (egdi_dataset_free); a matrix or group split owns its arrays and borrows
 * the names.
 */
#include "surveys/dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/core/bigmem.h"
#include "engine/core/itemlist.h"
#include "engine/core/value.h"
#include "engine/import/scales.h"
#include "engine/store/survey_store.h"

/* Longest cell text quoted in an error message, in bytes. */
#define QUOTE_MAX 60

static egdi_status nomem(egdi_error *err)
{
    return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
}

/* ---- freeing ------------------------------------------------------------ */

static void column_release(egdi_dataset_column *c, size_t nrows)
{
    free(c->name);
    if (!c->code_shared)
        free(c->code);
    free(c->num);
    if (c->text)
        for (size_t i = 0; i < nrows; i++)
            free(c->text[i]);
    free(c->text);
    free(c->bad_text);
    free(c->dimension);
    if (c->value_labels) {
        egdi_answer_labels_release(c->value_labels);
        free(c->value_labels);
    }
}

void egdi_dataset_free(egdi_dataset *ds)
{
    if (!ds)
        return;
    if (ds->col)
        for (size_t j = 0; j < ds->ncols; j++)
            column_release(&ds->col[j], ds->nrows);
    free(ds->col);
    free(ds->code_block);
    free(ds->row);
    egdi_answer_labels_release(&ds->labels);
    free(ds->item);
    for (size_t k = 0; k < ds->nscales; k++) {
        free(ds->scale[k].name);
        free(ds->scale[k].col);
    }
    free(ds->scale);
    free(ds->source);
    free(ds->sheet);
    free(ds->unit_column);
    free(ds->unit_id);
    free(ds->batch_id);
    free(ds);
}

void egdi_dataset_opts_init(egdi_dataset_opts *o)
{
    memset(o, 0, sizeof *o);
    egdi_read_opts_init(&o->read);
}

/* ---- columns -------------------------------------------------------------- */

/* Stores v as row i of column c (arrays of cap rows): as a byte while the
 * column's values fit (whole numbers 0..254 or NaN; not -0), else as a
 * double, widening the column at its first value that does not fit.
 * -1 when out of memory. */
static int put_value(egdi_dataset_column *c, size_t i, double v, size_t cap)
{
    unsigned char *code = c->code;
    if (code) {
        if (isnan(v)) {
            code[i] = EGDI_DATASET_NA;
            return 0;
        }
        if (v >= 0 && v < EGDI_DATASET_NA && v == (double)(int)v && !signbit(v)) {
            code[i] = (unsigned char)(int)v;
            return 0;
        }
        double *num = malloc((cap ? cap : 1) * sizeof *num);
        if (!num)
            return -1;
        for (size_t k = 0; k < i; k++)
            num[k] = code[k] == EGDI_DATASET_NA ? NAN : (double)code[k];
        if (!c->code_shared)
            free(code);
        c->code = NULL;
        c->code_shared = false;
        c->num = num;
    }
    c->num[i] = v;
    return 0;
}

/* A copy of t shortened to QUOTE_MAX bytes (cut at a UTF-8 boundary). */
static char *quote_text(const char *t)
{
    size_t n = strlen(t);
    if (n <= QUOTE_MAX)
        return strdup(t);
    size_t k = QUOTE_MAX;
    while (k > 0 && ((unsigned char)t[k] & 0xC0) == 0x80)
        k--;
    char *q = malloc(k + 4);
    if (q) {
        memcpy(q, t, k);
        memcpy(q + k, "...", 4);
    }
    return q;
}

/* A copy of the cell as text (a number without its literal as %.15g);
 * NULL for an empty cell (and *oom on failure). */
static char *cell_text(const egdi_cell *c, bool *oom)
{
    char *t;
    if (c->type == EGDI_CELL_EMPTY)
        return NULL;
    if (c->text) {
        t = strdup(c->text);
    } else {
        char buf[64];
        snprintf(buf, sizeof buf, "%.15g", c->num);
        t = strdup(buf);
    }
    if (!t)
        *oom = true;
    return t;
}

/*
 * The recent texts of a column that were not numbers (groups such as "F"
 * or a department's name, in every row of a questionnaire file), with what
 * egdi_answer_value said of them, TEXT_MEMO_SLOTS per column by a hash of
 * the text: the same text again gets the same answer without its trimming,
 * number parsing and missing-word checks, which took a fifth of loading a
 * 200,000-row file (issue 20).  The answer depends only on the cell's text
 * and the dataset's labels, fixed while loading.
 */
#define TEXT_MEMO_MAX 40
#define TEXT_MEMO_SLOTS 16
typedef struct {
    size_t len;       /* 0 = empty slot */
    char text[TEXT_MEMO_MAX];
    egdi_status st;   /* not EGDI_OK */
    double v;
    const char *why;
} text_memo;

/* egdi_answer_value of cell, through the column's TEXT_MEMO_SLOTS memos
 * (may be NULL). */
static egdi_status answer_value(const egdi_dataset *ds, text_memo *memo, const egdi_cell *cell,
                                double *v, const char **why)
{
    bool memo_it = memo && cell->type == EGDI_CELL_TEXT && cell->len > 0 &&
                   cell->len <= TEXT_MEMO_MAX;
    if (memo_it) {
        const unsigned char *t = (const unsigned char *)cell->text;
        memo += (cell->len * 31u + t[0] * 7u + t[cell->len - 1]) % TEXT_MEMO_SLOTS;
    }
    if (memo_it && memo->len == cell->len && memcmp(memo->text, cell->text, cell->len) == 0) {
        *v = memo->v;
        *why = memo->why;
        return memo->st;
    }
    egdi_status st = egdi_answer_value(cell, &ds->labels, v, why);
    if (memo_it && st != EGDI_OK) {
        memo->len = cell->len;
        memcpy(memo->text, cell->text, cell->len);
        memo->st = st;
        memo->v = *v;
        memo->why = *why;
    }
    return st;
}

/* Row i of column c from cell (may be NULL: past the end of the row), by
 * the answer rule; the first cell that is not a number is remembered.
 * memo: the column's (answer_value), or NULL. */
static int put_cell(egdi_dataset *ds, egdi_dataset_column *c, text_memo *memo, size_t i,
                    uint32_t rownum, const egdi_cell *cell, size_t cap)
{
    double v = NAN;
    if (cell) {
        const char *why = NULL;
        egdi_status st = answer_value(ds, memo, cell, &v, &why);
        if (st == EGDI_OK) {
            c->has_value = true;
        } else {
            v = NAN;
            if (st != EGDI_DONE && !c->bad_row) {
                bool oom = false;
                char *t = cell_text(cell, &oom);
                c->bad_row = rownum;
                c->bad_why = why ? why : "not a number";
                c->bad_text = quote_text(t ? t : "");
                free(t);
                if (!c->bad_text)
                    return -1;
            }
        }
    }
    return put_value(c, i, v, cap);
}

/* ---- loading a file ---------------------------------------------------------- */

/*
 * The rows the input holds, estimated from the nrows read after the header
 * in the bytes the reader has gone through since it (head: its position
 * after the header), 2 % over for rows a little longer than these; 0 before
 * ESTIMATE_ROWS rows or when the reader cannot tell.  Sizing the columns
 * for them once, rather than growing them by copies, took a sixth of
 * loading a 200,000-row CSV (issue 20).
 */
enum { ESTIMATE_ROWS = 4096 };

static size_t rows_expected(const egdi_reader *r, size_t nrows, uint64_t head)
{
    double rows = nrows < ESTIMATE_ROWS ? 0 : egdi_reader_rows_foretold(r, nrows, head);
    if (rows == 0)
        return 0;
    double est = rows * 1.02 + 64;
    return est < (double)EGDI_DATASET_MAX_ROWS ? (size_t)est : EGDI_DATASET_MAX_ROWS;
}

/*
 * The byte columns of a file lie in one block, column j at j * stride.  A
 * block each, from mmap, would start every column at the same offset in
 * its page, and the load, which stores a row's answers into forty columns
 * at once, would keep them in the same few cache sets (a fifth slower on a
 * 200,000 x 40 CSV); a stride of whole pages and three cache lines puts the
 * columns' rows in different sets.
 */
static size_t block_stride(size_t cap)
{
    return cap < 4096 ? (cap + 63) / 64 * 64 : (cap + 4095) / 4096 * 4096 + 192;
}

/* Below this many bytes a larger block is a new one (the copy is cheap and
 * the new block gets huge pages); above, the block is reallocated, which
 * maps it further rather than holding two copies at once. */
#define BLOCK_COPY_MAX (4u << 20)

/*
 * The block of byte columns resized from cap0 rows a column to cap, the
 * nrows rows of each column moved in (the first time, from the columns'
 * own arrays): a small block grows into a new one (egdi_bigmem_alloc: huge
 * pages, not a page fault for every 4 KiB of answers), a large one by
 * realloc, its columns moved up from the last; a smaller one is the same
 * block, its columns moved down from the first and its end given back.
 * -1 when out of memory: nothing changed, or (shrinking) the block stays
 * larger.
 */
static int set_block(egdi_dataset *ds, size_t cap0, size_t cap)
{
    size_t n = ds->nrows, ncols = ds->ncols ? ds->ncols : 1;
    size_t from = block_stride(cap0), to = block_stride(cap);
    unsigned char *b = ds->code_block;
    if (b && to <= from) {
        for (size_t j = 0; j < ds->ncols; j++)
            if (ds->col[j].code_shared)
                memmove(b + j * to, b + j * from, n);
        unsigned char *p = realloc(b, ncols * to);
        ds->code_block = b = p ? p : b;
    } else if (b && ncols * from >= BLOCK_COPY_MAX) {
        unsigned char *p = realloc(b, ncols * to);
        if (!p)
            return -1;
        ds->code_block = b = p;
        for (size_t j = ds->ncols; j-- > 0;)
            if (ds->col[j].code_shared)
                memmove(b + j * to, b + j * from, n);
    } else {
        if (!(b = egdi_bigmem_alloc(ncols * to)))
            return -1;
        for (size_t j = 0; j < ds->ncols; j++) {
            egdi_dataset_column *c = &ds->col[j];
            if (!c->code)
                continue;
            memcpy(b + j * to, c->code, n);
            if (!c->code_shared)
                free(c->code);
            c->code_shared = true;
        }
        free(ds->code_block);
        ds->code_block = b;
    }
    for (size_t j = 0; j < ds->ncols; j++)
        if (ds->col[j].code)
            ds->col[j].code = b + j * to;
    return 0;
}

/* Room for row nrows in every column; EGDI_ERR_LIMIT past the cell cap. */
static egdi_status grow(egdi_dataset *ds, const egdi_reader *r, uint64_t head, size_t *cap,
                        const bool *kept, egdi_error *err)
{
    if (ds->nrows < *cap)
        return EGDI_OK;
    /* the rows expected from the input's size (at least an eighth more:
     * a file whose rows grow shorter is not grown row by row), else
     * doubling while small, then half again: the columns of a large file
     * end at most 1.5 times their size (trimmed after the last row) */
    size_t ncap = *cap < 64 ? 64 : *cap < (1u << 20) ? *cap * 2 : *cap + *cap / 2;
    size_t expect = rows_expected(r, ds->nrows, head);
    if (expect > ds->nrows)
        ncap = expect > *cap + *cap / 8 ? expect : *cap + *cap / 8;
    unsigned long long per_row = sizeof *ds->row;
    for (size_t j = 0; j < ds->ncols; j++)
        per_row += (ds->col[j].code ? 1 : sizeof(double)) + (kept[j] ? sizeof(char *) : 0);
    if ((unsigned long long)ncap * per_row > EGDI_DATASET_MAX_BYTES)
        ncap = (size_t)(EGDI_DATASET_MAX_BYTES / per_row);
    if (ncap <= ds->nrows) {
        egdi_error_at(err, ds->source, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_LIMIT,
                              "more than %llu MB of answers; too large to analyse in memory",
                              EGDI_DATASET_MAX_BYTES / 1000000);
    }
    if (set_block(ds, *cap, ncap) != 0)
        return nomem(err);
    for (size_t j = 0; j < ds->ncols; j++) {
        egdi_dataset_column *c = &ds->col[j];
        if (!c->code) {
            double *p = realloc(c->num, ncap * sizeof *p);
            if (!p)
                return nomem(err);
            c->num = p;
        }
        if (kept[j]) {
            char **t = realloc(c->text, ncap * sizeof *t);
            if (!t)
                return nomem(err);
            c->text = t;
        }
    }
    uint32_t *rn = realloc(ds->row, ncap * sizeof *rn);
    if (!rn)
        return nomem(err);
    ds->row = rn;
    *cap = ncap;
    return EGDI_OK;
}

/* The columns cut to nrows rows after the last (a failed shrink keeps
 * the larger block). */
static void trim(egdi_dataset *ds, size_t cap, const bool *kept)
{
    size_t n = ds->nrows;
    /* the byte columns: moved into a block of their size when that frees
     * more than a MiB */
    if ((cap - n) * ds->ncols > (1u << 20))
        (void)set_block(ds, cap, n);
    for (size_t j = 0; j < ds->ncols; j++) {
        egdi_dataset_column *c = &ds->col[j];
        void *p;
        if (c->num && (p = realloc(c->num, n * sizeof *c->num)))
            c->num = p;
        if (kept[j] && c->text && (p = realloc(c->text, n * sizeof *c->text)))
            c->text = p;
    }
    void *p = realloc(ds->row, n * sizeof *ds->row);
    if (p)
        ds->row = p;
}

static bool blank_cell(const egdi_cell *c)
{
    return c->type == EGDI_CELL_EMPTY ||
           (c->type == EGDI_CELL_TEXT && egdi_value_blank(c->text, c->len));
}

/* The header row: the column names (trimmed), byte columns to start. */
static egdi_status take_header(egdi_dataset *ds, const egdi_row *row, const char *const *keep,
                               size_t nkeep, bool **kept, egdi_error *err)
{
    ds->ncols = row->ncells;
    ds->col = calloc(ds->ncols, sizeof *ds->col);
    *kept = calloc(ds->ncols, sizeof **kept);
    if (!ds->col || !*kept)
        return nomem(err);
    for (size_t j = 0; j < ds->ncols; j++) {
        bool oom = false;
        char *h = cell_text(&row->cells[j], &oom);
        if (!h && (oom || !(h = strdup(""))))
            return nomem(err);
        size_t a = 0, b = strlen(h);
        while (h[a] == ' ' || h[a] == '\t')
            a++;
        while (b > a && (h[b - 1] == ' ' || h[b - 1] == '\t' || h[b - 1] == '\r'))
            b--;
        memmove(h, h + a, b - a);
        h[b - a] = '\0';
        ds->col[j].name = h;
        if (!(ds->col[j].code = malloc(1)))
            return nomem(err);
        for (size_t k = 0; k < nkeep; k++)
            if (keep[k] && *h && strcmp(keep[k], h) == 0)
                (*kept)[j] = true;
    }
    return EGDI_OK;
}

egdi_status egdi_dataset_load_file(const char *path, const egdi_read_opts *ro,
                                   const egdi_labels *labels, const char *const *keep,
                                   size_t nkeep, egdi_dataset **out, egdi_error *err)
{
    *out = NULL;
    egdi_reader *r = NULL;
    bool *kept = NULL, have_header = false, row_open = false;
    text_memo *memo = NULL; /* ncols x TEXT_MEMO_SLOTS (answer_value) */
    size_t cap = 0;
    uint64_t head = 0; /* the reader's position after the header */
    egdi_status st;
    egdi_dataset *ds = calloc(1, sizeof *ds);
    if (!ds || !(ds->source = strdup(path))) {
        free(ds);
        return nomem(err);
    }
    if (labels && (st = egdi_answer_labels_copy(labels, &ds->labels, err)) != EGDI_OK)
        goto fail;
    /* rows: a questionnaire file may hold more than Excel's 1,048,576 (a
     * CSV of 10,000,000 respondents); the dataset's own memory cap
     * (EGDI_DATASET_MAX_BYTES) bounds it instead, unless a limit is given */
    egdi_read_opts rows = ro ? *ro : (egdi_read_opts){0};
    if (!ro)
        egdi_read_opts_init(&rows);
    if (!rows.limits.max_rows)
        rows.limits.max_rows = EGDI_DATASET_MAX_ROWS;
    if ((st = egdi_reader_open(&r, path, &rows, err)) != EGDI_OK)
        goto fail;
    if (egdi_reader_sheet(r) && !(ds->sheet = strdup(egdi_reader_sheet(r)))) {
        st = nomem(err);
        goto fail;
    }
    egdi_row row;
    /* after the header, small whole numbers (answers) come as bytes without
     * a cell, unless the text of some column is kept (group labels such as
     * "01" must stay as written) */
    const bool use_small = nkeep == 0;
    while ((st = have_header && use_small ? egdi_reader_next_small(r, &row, err)
                                          : egdi_reader_next(r, &row, err)) == EGDI_OK) {
        if (!have_header) {
            bool any = false;
            for (size_t j = 0; j < row.ncells && !any; j++)
                any = !blank_cell(&row.cells[j]);
            if (!any)
                continue;
            have_header = true;
            if ((st = take_header(ds, &row, keep, nkeep, &kept, err)) != EGDI_OK)
                goto fail;
            uint64_t total;
            if (!egdi_reader_position(r, &head, &total))
                head = 0;
            if (!(memo = calloc((ds->ncols ? ds->ncols : 1) * TEXT_MEMO_SLOTS, sizeof *memo)))
                goto oom;
            continue;
        }
        if ((st = grow(ds, r, head, &cap, kept, err)) != EGDI_OK)
            goto fail;
        size_t i = ds->nrows;
        ds->row[i] = row.number;
        if (nkeep)
            for (size_t j = 0; j < ds->ncols; j++)
                if (kept[j])
                    ds->col[j].text[i] = NULL;
        row_open = true;
        /* (held in locals: a store through a byte column may alias anything,
         * so the compiler would read row.small and row.ncells again) */
        const unsigned char *small = row.small;
        const size_t nsmall = small ? row.ncells : 0, ncols = ds->ncols;
        egdi_dataset_column *const col = ds->col;
        for (size_t j = 0; j < ncols; j++) {
            egdi_dataset_column *c = &col[j];
            unsigned char b;
            if (j < nsmall && (b = small[j]) != EGDI_SMALL_NONE) {
                /* a whole number 0..254: fits a byte column as it is */
                c->has_value = true;
                unsigned char *code = c->code;
                if (code)
                    code[i] = b;
                else
                    c->num[i] = b;
                continue; /* (no column is kept when rows come with small) */
            }
            const egdi_cell *cell = j < row.ncells ? &row.cells[j] : NULL;
            if (put_cell(ds, c, &memo[j * TEXT_MEMO_SLOTS], i, row.number, cell, cap) != 0)
                goto oom;
            if (kept[j]) {
                bool failed = false;
                c->text[i] = cell && !blank_cell(cell) ? cell_text(cell, &failed) : NULL;
                if (failed)
                    goto oom;
            }
        }
        ds->nrows++;
        row_open = false;
    }
    if (st != EGDI_DONE)
        goto fail;
    if (!have_header) {
        egdi_error_at(err, path, NULL, 0, 0);
        st = egdi_error_set(err, EGDI_ERR_FORMAT, "no header row (the file is empty)");
        goto fail;
    }
    if (!ds->row && !(ds->row = malloc(sizeof *ds->row)))
        goto oom;
    for (size_t j = 0; j < ds->ncols; j++)
        if (kept[j] && !ds->col[j].text && !(ds->col[j].text = calloc(1, sizeof(char *))))
            goto oom;
    if (cap > ds->nrows && ds->nrows > 0)
        trim(ds, cap, kept);
    free(kept);
    free(memo);
    egdi_reader_close(r);
    *out = ds;
    return EGDI_OK;
oom:
    egdi_error_clear(err);
    st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading %s", path);
fail:
    if (row_open)
        ds->nrows++; /* the row being filled: its texts are set or NULL */
    free(kept);
    free(memo);
    egdi_reader_close(r);
    egdi_dataset_free(ds);
    return st;
}

/* ---- loading a stored survey ------------------------------------------------ */

/* The dataset of a loaded survey d (freed here); an attribute column
 * loaded without its text (egdi_survey_load_rated) is left out. */
static egdi_status from_survey(egdi_survey_data *d, const char *name, const egdi_labels *labels,
                               egdi_dataset **out, egdi_error *err)
{
    egdi_status st;
    egdi_dataset *ds = calloc(1, sizeof *ds);
    size_t n = d->n;
    if (!ds)
        goto oom;
    size_t len = strlen(d->name) + 8;
    if (!(ds->source = malloc(len)))
        goto oom;
    snprintf(ds->source, len, "survey %s", d->name);
    ds->nrows = n;
    ds->row = d->rows;
    d->rows = NULL;
    ds->have_scale = d->have_scale;
    ds->scale_min = d->scale_min;
    ds->scale_max = d->scale_max;
    if (labels) {
        if ((st = egdi_answer_labels_copy(labels, &ds->labels, err)) != EGDI_OK)
            goto fail;
    } else {
        ds->labels.nlabels = d->nlabels;
        ds->labels.values = d->label_values;
        ds->labels.labels = d->labels;
        d->nlabels = 0;
        d->label_values = NULL;
        d->labels = NULL;
    }
    ds->unit_column = d->unit_column;
    ds->unit_id = d->unit_id;
    ds->batch_id = d->batch_id;
    ds->n_round = d->n_round;
    d->unit_column = NULL;
    d->unit_id = d->batch_id = NULL;
    if (!(ds->col = calloc(d->ncols ? d->ncols : 1, sizeof *ds->col)))
        goto oom;
    for (size_t dj = 0; dj < d->ncols; dj++) {
        if (!d->is_item[dj] && !d->text[dj])
            continue; /* an attribute not loaded */
        size_t j = ds->ncols++;
        egdi_dataset_column *c = &ds->col[j];
        c->name = d->codes[dj];
        d->codes[dj] = NULL;
        c->dimension = d->dimension[dj];
        d->dimension[dj] = NULL;
        c->stored_item = d->is_item[dj];
        c->reversed = d->is_item[dj] && d->reversed[dj];
        if (d->is_item[dj]) {
            c->code = d->code[dj];
            c->num = d->num[dj];
            d->code[dj] = NULL;
            d->num[dj] = NULL;
            for (size_t i = 0; i < n && !c->has_value; i++)
                c->has_value = !isnan(egdi_dataset_at(ds, j, i));
            continue;
        }
        /* an attribute: text, and a number where the text is one */
        c->text = d->text[dj];
        d->text[dj] = NULL;
        if (!(c->code = malloc(n ? n : 1)))
            goto oom;
        for (size_t i = 0; i < n; i++) {
            const char *t = c->text[i];
            egdi_cell cell = {EGDI_CELL_EMPTY, false, 0, NULL, 0};
            if (t)
                cell = (egdi_cell){EGDI_CELL_TEXT, false, 0, t, strlen(t)};
            if (put_cell(ds, c, NULL, i, ds->row[i], &cell, n) != 0)
                goto oom;
        }
    }
    egdi_survey_data_free(d);
    *out = ds;
    return EGDI_OK;
oom:
    st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory loading survey \"%s\"", name);
fail:
    egdi_survey_data_free(d);
    egdi_dataset_free(ds);
    return st;
}

egdi_status egdi_dataset_load_store(egdi_store *s, const char *name, const egdi_labels *labels,
                                    egdi_dataset **out, egdi_error *err)
{
    *out = NULL;
    egdi_survey_data *d = NULL;
    egdi_status st = egdi_survey_load(s, name, &d, err);
    return st != EGDI_OK ? st : from_survey(d, name, labels, out, err);
}

egdi_status egdi_dataset_load_rated(egdi_store *s, const char *name, int round,
                                    egdi_dataset **out, egdi_error *err)
{
    *out = NULL;
    egdi_survey_data *d = NULL;
    egdi_status st = egdi_survey_load_rated(s, name, round, &d, err);
    return st != EGDI_OK ? st : from_survey(d, name, NULL, out, err);
}

/* ---- finding columns ------------------------------------------------------------ */

const char *egdi_dataset_text(const egdi_dataset *ds, size_t j, size_t i)
{
    return ds->col[j].text ? ds->col[j].text[i] : NULL;
}

/* The column called name: its index, -1 when none, -2 when twice (then
 * *first / *second are the two). */
static long find_col(const egdi_dataset *ds, const char *name, size_t *first, size_t *second)
{
    long found = -1;
    for (size_t j = 0; j < ds->ncols; j++) {
        if (strcmp(ds->col[j].name, name) != 0)
            continue;
        if (found >= 0) {
            *first = (size_t)found;
            *second = j;
            return -2;
        }
        found = (long)j;
    }
    return found;
}

static egdi_status twice(const egdi_dataset *ds, const char *name, size_t a, size_t b,
                         egdi_error *err)
{
    char la[8], lb[8];
    egdi_error_at(err, ds->source, ds->sheet, 0, 0);
    return egdi_error_set(err, EGDI_ERR_FORMAT,
                          "the column name \"%s\" appears twice (columns %s and %s)", name,
                          egdi_error_col_letters((uint32_t)a + 1, la), egdi_error_col_letters((uint32_t)b + 1, lb));
}

egdi_status egdi_dataset_find(const egdi_dataset *ds, const char *name, size_t *j,
                              egdi_error *err)
{
    size_t a = 0, b = 0;
    long k = find_col(ds, name, &a, &b);
    if (k == -2)
        return twice(ds, name, a, b, err);
    if (k < 0)
        return egdi_error_set(err, EGDI_ERR_ARG, "%s has no column \"%s\"", ds->source, name);
    *j = (size_t)k;
    return EGDI_OK;
}

/* Parses an item list ("A1-A5,B2", also with full-width commas) against the
 * column names into column indices (egdi_itemlist_select: sheet order within
 * ranges, list order otherwise); columns without a name are left out.  *idx
 * is malloc'ed. */
static egdi_status parse_list(const egdi_dataset *ds, const char *list, size_t **idx, size_t *n,
                              egdi_error *err)
{
    *idx = NULL;
    *n = 0;
    char *copy = strdup(list);
    const char **names = malloc((ds->ncols ? ds->ncols : 1) * sizeof *names);
    if (!copy || !names) {
        free(copy);
        free(names);
        return nomem(err);
    }
    /* a full-width comma (U+FF0C, typed with Chinese input) separates too */
    char *w = copy;
    for (const char *r = copy; *r;) {
        if ((unsigned char)r[0] == 0xEF && (unsigned char)r[1] == 0xBC &&
            (unsigned char)r[2] == 0x8C) {
            *w++ = ',';
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    for (size_t j = 0; j < ds->ncols; j++)
        names[j] = ds->col[j].name;
    egdi_status st = egdi_itemlist_select(copy, names, ds->ncols, idx, n, err);
    free(copy);
    free(names);
    if (st != EGDI_OK) {
        if (st != EGDI_ERR_NOMEM)
            egdi_error_at(err, ds->source, ds->sheet, 0, 0);
        return st;
    }
    /* columns without a name are not items; a name used twice is ambiguous */
    size_t k = 0;
    for (size_t i = 0; i < *n; i++) {
        size_t j = (*idx)[i], a = 0, b = 0;
        if (!ds->col[j].name[0])
            continue;
        if (find_col(ds, ds->col[j].name, &a, &b) == -2) {
            free(*idx);
            *idx = NULL;
            *n = 0;
            return twice(ds, ds->col[j].name, a, b, err);
        }
        (*idx)[k++] = j;
    }
    *n = k;
    if (k == 0) {
        free(*idx);
        *idx = NULL;
        return egdi_error_set(err, EGDI_ERR_ARG, "the item list \"%s\" names no column", list);
    }
    return EGDI_OK;
}

/* ---- defining the analysis ------------------------------------------------------- */

/* Appends j to idx[0..*n) unless there; -1 when out of memory. */
static int push_idx(size_t **idx, size_t *n, size_t *cap, size_t j)
{
    for (size_t k = 0; k < *n; k++)
        if ((*idx)[k] == j)
            return 0;
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        size_t *t = realloc(*idx, nc * sizeof *t);
        if (!t)
            return -1;
        *idx = t;
        *cap = nc;
    }
    (*idx)[(*n)++] = j;
    return 0;
}

/* Adds column j to scale `name` (created when new); -1 when out of memory. */
static int scale_add(egdi_dataset *ds, const char *name, size_t j)
{
    size_t k = 0;
    while (k < ds->nscales && strcmp(ds->scale[k].name, name) != 0)
        k++;
    if (k == ds->nscales) {
        egdi_dataset_scale *s = realloc(ds->scale, (k + 1) * sizeof *s);
        if (!s)
            return -1;
        ds->scale = s;
        memset(&s[k], 0, sizeof s[k]);
        if (!(s[k].name = strdup(name)))
            return -1;
        ds->nscales++;
    }
    egdi_dataset_scale *s = &ds->scale[k];
    size_t *c = realloc(s->col, (s->n + 1) * sizeof *c);
    if (!c)
        return -1;
    s->col = c;
    c[s->n++] = j;
    return 0;
}

typedef struct {
    egdi_dataset *ds;
    const char *path;
} scales_ctx;

/* egdi_scales_fn: one item row of the scales table. */
static egdi_status scales_row(void *ctx, const char *scale, const char *item, bool rev,
                              uint32_t row, uint32_t item_col, egdi_error *err)
{
    scales_ctx *c = ctx;
    size_t a = 0, b = 0;
    long j = find_col(c->ds, item, &a, &b);
    if (j < 0) {
        egdi_error_at(err, c->path, NULL, row, item_col);
        return egdi_error_set(err, EGDI_ERR_NOT_FOUND, "item \"%s\" is not a column of %s%s",
                              item, c->ds->source, j == -2 ? " (or is there twice)" : "");
    }
    if (scale_add(c->ds, scale, (size_t)j) != 0)
        return nomem(err);
    c->ds->col[j].reversed = c->ds->col[j].reversed || rev;
    return EGDI_OK;
}

static egdi_status read_scales(egdi_dataset *ds, const egdi_dataset_opts *o, egdi_error *err)
{
    egdi_read_opts ro;
    egdi_read_opts_init(&ro);
    ro.encoding = o->read.encoding;
    ro.limits = o->read.limits;
    ro.limits.max_stream = EGDI_SMALL_TABLE_STREAM;
    egdi_reader *r = NULL;
    egdi_status st = egdi_reader_open(&r, o->scales, &ro, err);
    if (st != EGDI_OK)
        return st;
    scales_ctx ctx = {ds, o->scales};
    st = egdi_scales_read(r, o->scales, 0, scales_row, &ctx, err);
    egdi_reader_close(r);
    if (st == EGDI_OK && ds->nscales == 0) {
        egdi_error_at(err, o->scales, NULL, 0, 0);
        st = egdi_error_set(err, EGDI_ERR_FORMAT, "defines no scale");
    }
    return st;
}

egdi_status egdi_dataset_define(egdi_dataset *ds, const egdi_dataset_opts *o, egdi_error *err)
{
    egdi_status st;
    size_t cap = 0, *rev = NULL, nrev = 0;
    bool stored = false;
    for (size_t j = 0; j < ds->ncols; j++)
        stored = stored || ds->col[j].stored_item;
    ds->score = o ? o->score : EGDI_SCORE_MEAN;
    if (o && o->have_scale) {
        ds->have_scale = true;
        ds->scale_min = o->scale_min;
        ds->scale_max = o->scale_max;
    }
    /* the scales: --scales FILE, else the stored dimensions */
    if (o && o->scales) {
        if ((st = read_scales(ds, o, err)) != EGDI_OK)
            return st;
    } else {
        for (size_t j = 0; j < ds->ncols; j++)
            if (ds->col[j].stored_item && ds->col[j].dimension &&
                scale_add(ds, ds->col[j].dimension, j) != 0)
                return nomem(err);
    }
    /* the items */
    if (o && o->items) {
        if ((st = parse_list(ds, o->items, &ds->item, &ds->nitems, err)) != EGDI_OK)
            return st;
    } else if (o && o->scales) {
        for (size_t k = 0; k < ds->nscales; k++)
            for (size_t t = 0; t < ds->scale[k].n; t++)
                if (push_idx(&ds->item, &ds->nitems, &cap, ds->scale[k].col[t]) != 0)
                    return nomem(err);
    } else {
        for (size_t j = 0; j < ds->ncols; j++) {
            const egdi_dataset_column *c = &ds->col[j];
            bool take = stored ? c->stored_item : c->name[0] && !c->bad_row && c->has_value;
            if (take && push_idx(&ds->item, &ds->nitems, &cap, j) != 0)
                return nomem(err);
        }
    }
    if (ds->nitems == 0) {
        egdi_error_at(err, ds->source, ds->sheet, 0, 0);
        return egdi_error_set(err, EGDI_ERR_FORMAT,
                              "no column of numbers; name the items with --items");
    }
    /* the reverse keys of --reverse (the scales table's are set) */
    if (o && o->reverse) {
        if ((st = parse_list(ds, o->reverse, &rev, &nrev, err)) != EGDI_OK)
            return st;
        for (size_t r = 0; r < nrev; r++) {
            bool found = false;
            for (size_t j = 0; j < ds->nitems && !found; j++)
                found = ds->item[j] == rev[r];
            if (!found) {
                st = egdi_error_set(err, EGDI_ERR_ARG,
                                    "--reverse names %s, which is not among the items",
                                    ds->col[rev[r]].name);
                free(rev);
                return st;
            }
            ds->col[rev[r]].reversed = true;
        }
        free(rev);
    }
    bool any_rev = false;
    for (size_t j = 0; j < ds->ncols; j++)
        any_rev = any_rev || ds->col[j].reversed;
    if (any_rev && !ds->have_scale)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "reverse-keyed items need the scale: give --scale MIN-MAX "
                              "(reversed = MIN + MAX - x)");
    return EGDI_OK;
}

egdi_status egdi_dataset_open(const egdi_dataset_opts *o, egdi_dataset **out, egdi_error *err)
{
    *out = NULL;
    if (o->data && o->survey)
        return egdi_error_set(err, EGDI_ERR_ARG, "give --data FILE or --survey NAME, not both");
    if (!o->data && !o->survey)
        return egdi_error_set(err, EGDI_ERR_ARG, "no data: give --data FILE or --survey NAME");
    egdi_labels labels = {0};
    egdi_status st;
    if (o->labels && (st = egdi_answer_labels_get(o->labels, &o->read, &labels, err)) != EGDI_OK)
        return st;
    if (o->labels && o->have_scale &&
        (st = egdi_answer_labels_check_scale(&labels, o->scale_min, o->scale_max, o->labels,
                                             err)) != EGDI_OK) {
        egdi_answer_labels_release(&labels);
        return st;
    }
    const egdi_labels *lp = o->labels ? &labels : NULL;
    egdi_dataset *ds = NULL;
    if (o->data) {
        st = egdi_dataset_load_file(o->data, &o->read, lp, o->keep, o->nkeep, &ds, err);
    } else {
        egdi_store *s = NULL;
        st = egdi_store_open(&s, o->db, 0, err);
        if (st == EGDI_OK)
            st = egdi_dataset_load_store(s, o->survey, lp, &ds, err);
        egdi_store_close(s);
    }
    egdi_answer_labels_release(&labels);
    if (st == EGDI_OK && (st = egdi_dataset_define(ds, o, err)) != EGDI_OK) {
        egdi_dataset_free(ds);
        ds = NULL;
    }
    *out = ds;
    return st;
}

egdi_status egdi_dataset_check_scales(const egdi_dataset *ds, egdi_error *err)
{
    for (size_t k = 0; k < ds->nscales; k++)
        for (size_t t = 0; t < ds->scale[k].n; t++) {
            bool found = false;
            for (size_t j = 0; j < ds->nitems && !found; j++)
                found = ds->item[j] == ds->scale[k].col[t];
            if (!found)
                return egdi_error_set(err, EGDI_ERR_ARG,
                                      "scale %s uses %s, which is not among the --items",
                                      ds->scale[k].name, ds->col[ds->scale[k].col[t]].name);
        }
    return EGDI_OK;
}

/* ---- checking and reading columns ------------------------------------------------ */

/* Column j as numbers: no cell that is not one, some answer, and (an item
 * with a declared scale) every answer within the scale. */
static egdi_status check_column(const egdi_dataset *ds, size_t j, bool item, egdi_error *err)
{
    const egdi_dataset_column *c = &ds->col[j];
    if (c->bad_row) {
        egdi_error_at(err, ds->source, ds->sheet, c->bad_row, (uint32_t)j + 1);
        if (strncmp(c->bad_why, "neither", 7) == 0) /* answer labels were given */
            return egdi_error_set(err, EGDI_ERR_VALUE, "\"%s\" in %s is %s", c->bad_text,
                                  c->name, c->bad_why);
        if (strcmp(c->bad_why, "not a number") == 0)
            return egdi_error_set(err, EGDI_ERR_VALUE, "\"%s\" in %s is not a number",
                                  c->bad_text, c->name);
        return egdi_error_set(err, EGDI_ERR_VALUE, "\"%s\" in %s is not a number (%s)",
                              c->bad_text, c->name, c->bad_why);
    }
    if (!c->has_value)
        return egdi_error_set(err, EGDI_ERR_VALUE,
                              item ? "item %s has no answers (an empty column)"
                                   : "column %s has no answers",
                              c->name);
    if (!item || !ds->have_scale)
        return EGDI_OK;
    double lo = ds->scale_min, hi = ds->scale_max;
    for (size_t i = 0; i < ds->nrows; i++) {
        double x;
        if (c->code) {
            unsigned char b = c->code[i];
            if (b == EGDI_DATASET_NA || ((double)b >= lo && (double)b <= hi))
                continue;
            x = b;
        } else {
            x = c->num[i];
            if (isnan(x) || (x >= lo && x <= hi))
                continue;
        }
        egdi_error_at(err, ds->source, ds->sheet, ds->row[i], (uint32_t)j + 1);
        return egdi_error_set(err, EGDI_ERR_VALUE, "%s = %g is outside the scale %g-%g",
                              c->name, x, lo, hi);
    }
    return EGDI_OK;
}

egdi_status egdi_dataset_check(const egdi_dataset *ds, size_t j, bool item, egdi_error *err)
{
    return check_column(ds, j, item, err);
}

void egdi_dataset_matrix_release(egdi_item_matrix *m)
{
    if (!m)
        return;
    free(m->x);
    free(m->rows);
    free(m->names);
    free(m->reversed);
    free(m->code);
    free(m->at);
    memset(m, 0, sizeof *m);
}

/* drop[i] |= row i misses an answer to column j. */
static void mark_missing(const egdi_dataset *ds, size_t j, unsigned char *drop)
{
    const egdi_dataset_column *c = &ds->col[j];
    /* (locals: a byte store through drop may alias ds and c) */
    const size_t n = ds->nrows;
    const unsigned char *code = c->code;
    const double *num = c->num;
    if (code)
        for (size_t i = 0; i < n; i++)
            drop[i] = (unsigned char)(drop[i] | (code[i] == EGDI_DATASET_NA));
    else
        for (size_t i = 0; i < n; i++)
            drop[i] = (unsigned char)(drop[i] | (isnan(num[i]) ? 1 : 0));
}

size_t egdi_dataset_complete(const egdi_dataset *ds, const size_t *cols, size_t p)
{
    unsigned char *drop = calloc(ds->nrows ? ds->nrows : 1, 1);
    if (!drop)
        return 0;
    for (size_t j = 0; j < p; j++)
        mark_missing(ds, cols[j], drop);
    size_t n = 0;
    for (size_t i = 0; i < ds->nrows; i++)
        n += !drop[i];
    free(drop);
    return n;
}

egdi_status egdi_dataset_matrix(const egdi_dataset *ds, const size_t *cols, size_t p,
                                egdi_deletion deletion, egdi_item_matrix *m, egdi_error *err)
{
    egdi_status st = egdi_dataset_matrix_small(ds, cols, p, deletion, m, err);
    if (st == EGDI_OK && (st = egdi_item_matrix_doubles(m, err)) != EGDI_OK)
        egdi_dataset_matrix_release(m);
    return st;
}

egdi_status egdi_item_matrix_doubles(egdi_item_matrix *m, egdi_error *err)
{
    if (m->x)
        return EGDI_OK;
    size_t n = m->n, p = m->p;
    double *x = egdi_bigmem_alloc((n ? n : 1) * (p ? p : 1) * sizeof *x);
    if (!x)
        return nomem(err);
    for (size_t j = 0; j < p; j++) {
        double *dst = x + j * n;
        for (size_t i = 0; i < n; i++)
            dst[i] = egdi_item_matrix_at(m, j, i);
    }
    m->x = x;
    free(m->code);
    free(m->at);
    m->code = NULL;
    m->at = NULL;
    return EGDI_OK;
}

egdi_status egdi_dataset_matrix_small(const egdi_dataset *ds, const size_t *cols, size_t p,
                                      egdi_deletion deletion, egdi_item_matrix *m,
                                      egdi_error *err)
{
    memset(m, 0, sizeof *m);
    egdi_status st;
    for (size_t j = 0; j < p; j++)
        if ((st = check_column(ds, cols[j], true, err)) != EGDI_OK)
            return st;
    unsigned char *drop = calloc(ds->nrows ? ds->nrows : 1, 1);
    if (!drop)
        return nomem(err);
    if (deletion == EGDI_LISTWISE)
        for (size_t j = 0; j < p; j++)
            mark_missing(ds, cols[j], drop);
    size_t keep = 0;
    for (size_t i = 0; i < ds->nrows; i++)
        keep += !drop[i];
    m->n = keep;
    m->p = p;
    m->n_read = ds->nrows;
    bool bytes = deletion == EGDI_LISTWISE;
    for (size_t j = 0; j < p; j++)
        bytes = bytes && ds->col[cols[j]].code;
    if (bytes) {
        m->code = malloc((p ? p : 1) * sizeof *m->code);
        if (keep < ds->nrows)
            m->at = malloc((keep ? keep : 1) * sizeof *m->at);
    } else {
        m->x = egdi_bigmem_alloc((keep ? keep : 1) * (p ? p : 1) * sizeof *m->x);
    }
    m->rows = malloc((keep ? keep : 1) * sizeof *m->rows);
    m->names = malloc((p ? p : 1) * sizeof *m->names);
    m->reversed = malloc((p ? p : 1) * sizeof *m->reversed);
    if ((bytes ? !m->code || (keep < ds->nrows && !m->at) : !m->x) || !m->rows || !m->names ||
        !m->reversed) {
        free(drop);
        egdi_dataset_matrix_release(m);
        return nomem(err);
    }
    for (size_t i = 0, r = 0; i < ds->nrows; i++)
        if (!drop[i]) {
            if (m->at)
                m->at[r] = (uint32_t)i;
            m->rows[r++] = ds->row[i];
        }
    double flip = ds->scale_min + ds->scale_max;
    m->flip = flip;
    if (bytes) {
        for (size_t j = 0; j < p; j++) {
            const egdi_dataset_column *c = &ds->col[cols[j]];
            m->names[j] = c->name;
            m->reversed[j] = c->reversed;
            m->code[j] = c->code;
        }
        free(drop);
        return EGDI_OK;
    }
    for (size_t j = 0; j < p; j++) {
        const egdi_dataset_column *c = &ds->col[cols[j]];
        m->names[j] = c->name;
        m->reversed[j] = c->reversed;
        double *dst = m->x + j * keep;
        size_t r = 0;
        if (c->code) {
            for (size_t i = 0; i < ds->nrows; i++)
                if (!drop[i]) {
                    double x = c->code[i] == EGDI_DATASET_NA ? NAN : (double)c->code[i];
                    dst[r++] = c->reversed ? flip - x : x;
                }
        } else {
            for (size_t i = 0; i < ds->nrows; i++)
                if (!drop[i])
                    dst[r++] = c->reversed ? flip - c->num[i] : c->num[i];
        }
    }
    free(drop);
    return EGDI_OK;
}

egdi_status egdi_dataset_scale_scores(const egdi_dataset *ds, const size_t *cols, size_t p,
                                      double **y, egdi_error *err)
{
    *y = NULL;
    egdi_status st;
    for (size_t t = 0; t < p; t++)
        if ((st = check_column(ds, cols[t], true, err)) != EGDI_OK)
            return st;
    double *v = malloc((ds->nrows ? ds->nrows : 1) * sizeof *v);
    if (!v)
        return nomem(err);
    for (size_t i = 0; i < ds->nrows; i++) {
        double sum = 0;
        for (size_t t = 0; t < p; t++)
            sum += egdi_dataset_scored(ds, cols[t], egdi_dataset_at(ds, cols[t], i));
        v[i] = ds->score == EGDI_SCORE_SUM ? sum : sum / (double)p;
    }
    *y = v;
    return EGDI_OK;
}

egdi_status egdi_dataset_columns(const egdi_dataset *ds, const char *list, size_t **idx,
                                 size_t *n, egdi_error *err)
{
    return parse_list(ds, list, idx, n, err);
}

egdi_status egdi_dataset_variable(const egdi_dataset *ds, const char *name, double **y,
                                  egdi_error *err)
{
    *y = NULL;
    egdi_status st;
    for (size_t k = 0; k < ds->nscales; k++) {
        const egdi_dataset_scale *s = &ds->scale[k];
        if (strcmp(s->name, name) == 0)
            return egdi_dataset_scale_scores(ds, s->col, s->n, y, err);
    }
    double *v = malloc((ds->nrows ? ds->nrows : 1) * sizeof *v);
    if (!v)
        return nomem(err);
    size_t j;
    if ((st = egdi_dataset_find(ds, name, &j, err)) != EGDI_OK ||
        (st = check_column(ds, j, false, err)) != EGDI_OK) {
        free(v);
        return st;
    }
    for (size_t i = 0; i < ds->nrows; i++)
        v[i] = egdi_dataset_at(ds, j, i);
    *y = v;
    return EGDI_OK;
}

/* ---- groups and pairs ---------------------------------------------------------------- */

void egdi_dataset_groups_release(egdi_groups *g)
{
    if (!g)
        return;
    for (size_t k = 0; k < g->k; k++) {
        if (g->label)
            free(g->label[k]);
        if (g->x)
            free(g->x[k]);
    }
    free(g->label);
    free(g->n);
    free(g->x);
    memset(g, 0, sizeof *g);
}

static bool label_number(const char *t, double *v)
{
    bool pct;
    const char *why;
    return egdi_value_number(t, strlen(t), v, &pct, &why) == EGDI_OK;
}

egdi_status egdi_dataset_groups(const egdi_dataset *ds, size_t gcol, const double *y,
                                const char *const *levels, size_t nlevels, egdi_groups *out,
                                egdi_error *err)
{
    memset(out, 0, sizeof *out);
    egdi_categories cat;
    egdi_status st = egdi_dataset_categories(ds, gcol, &cat, err);
    if (st != EGDI_OK)
        return st;
    st = egdi_dataset_groups_by(ds, &cat, y, levels, nlevels, out, err);
    egdi_categories_release(&cat);
    return st;
}

egdi_status egdi_dataset_groups_by(const egdi_dataset *ds, const egdi_categories *c_,
                                   const double *y, const char *const *levels, size_t nlevels,
                                   egdi_groups *out, egdi_error *err)
{
    memset(out, 0, sizeof *out);
    const egdi_categories cat = *c_;
    /* pick[c] = the group of category c, or SIZE_MAX */
    size_t *pick = malloc((cat.k ? cat.k : 1) * sizeof *pick);
    size_t *with_y = calloc(cat.k ? cat.k : 1, sizeof *with_y);
    size_t ng = levels ? nlevels : 0;
    if (!pick || !with_y)
        goto oom;
    for (size_t c = 0; c < cat.k; c++)
        pick[c] = SIZE_MAX;
    for (size_t i = 0; i < ds->nrows; i++)
        if (cat.of[i] != EGDI_NO_CATEGORY && !isnan(y[i]))
            with_y[cat.of[i]]++;
    if (levels) {
        for (size_t g = 0; g < nlevels; g++) {
            double v;
            bool num = label_number(levels[g], &v);
            for (size_t c = 0; c < cat.k; c++)
                if (pick[c] == SIZE_MAX && (strcmp(cat.label[c], levels[g]) == 0 ||
                                            (num && !isnan(cat.code[c]) && cat.code[c] == v))) {
                    pick[c] = g;
                    break;
                }
        }
    } else {
        for (size_t c = 0; c < cat.k; c++)
            if (with_y[c])
                pick[c] = ng++;
    }
    out->label = calloc(ng ? ng : 1, sizeof *out->label);
    out->n = calloc(ng ? ng : 1, sizeof *out->n);
    out->x = calloc(ng ? ng : 1, sizeof *out->x);
    if (!out->label || !out->n || !out->x)
        goto oom;
    out->k = ng;
    for (size_t g = 0; g < ng && levels; g++)
        if (!(out->label[g] = strdup(levels[g])))
            goto oom;
    for (size_t c = 0; c < cat.k && !levels; c++)
        if (pick[c] != SIZE_MAX && !(out->label[pick[c]] = strdup(cat.label[c])))
            goto oom;
    for (size_t g = 0; g < ng; g++) {
        size_t size = 0;
        for (size_t c = 0; c < cat.k; c++)
            if (pick[c] == g)
                size += with_y[c];
        if (!(out->x[g] = malloc((size ? size : 1) * sizeof **out->x)))
            goto oom;
    }
    for (size_t i = 0; i < ds->nrows; i++) {
        size_t c = cat.of[i];
        if (c == EGDI_NO_CATEGORY || isnan(y[i]) || pick[c] == SIZE_MAX)
            continue;
        size_t g = pick[c];
        out->x[g][out->n[g]++] = y[i];
        out->n_used++;
    }
    free(pick);
    free(with_y);
    return EGDI_OK;
oom:
    free(pick);
    free(with_y);
    egdi_dataset_groups_release(out);
    return nomem(err);
}

typedef struct {
    const char *id;
    double v;
} id_value;

static int cmp_id(const void *a, const void *b)
{
    return strcmp(((const id_value *)a)->id, ((const id_value *)b)->id);
}

egdi_status egdi_dataset_pairs(const egdi_dataset *ds, size_t gcol, size_t icol, const double *y,
                               const char *a, const char *b, double **xa, double **xb, size_t *n,
                               egdi_error *err)
{
    *xa = *xb = NULL;
    *n = 0;
    size_t rows = ds->nrows ? ds->nrows : 1, cnt[2] = {0, 0};
    const char *lv[2] = {a, b};
    id_value *side[2] = {malloc(rows * sizeof **side), malloc(rows * sizeof **side)};
    double *x1 = malloc(rows * sizeof *x1), *x2 = malloc(rows * sizeof *x2);
    egdi_status st = EGDI_OK;
    if (!side[0] || !side[1] || !x1 || !x2) {
        st = nomem(err);
        goto done;
    }
    for (size_t i = 0; i < ds->nrows; i++) {
        const char *gt = egdi_dataset_text(ds, gcol, i), *id = egdi_dataset_text(ds, icol, i);
        if (!gt || !id || isnan(y[i]))
            continue;
        for (int k = 0; k < 2; k++)
            if (strcmp(gt, lv[k]) == 0)
                side[k][cnt[k]++] = (id_value){id, y[i]};
    }
    for (int k = 0; k < 2; k++) {
        qsort(side[k], cnt[k], sizeof *side[k], cmp_id);
        for (size_t i = 1; i < cnt[k]; i++)
            if (strcmp(side[k][i].id, side[k][i - 1].id) == 0) {
                st = egdi_error_set(err, EGDI_ERR_VALUE, "%s \"%s\" appears twice in group %s",
                                    ds->col[icol].name, side[k][i].id, lv[k]);
                goto done;
            }
    }
    size_t m = 0, i = 0, j = 0;
    while (i < cnt[0] && j < cnt[1]) {
        int c = strcmp(side[0][i].id, side[1][j].id);
        if (c == 0) {
            x1[m] = side[0][i++].v;
            x2[m++] = side[1][j++].v;
        } else if (c < 0) {
            i++;
        } else {
            j++;
        }
    }
    *xa = x1;
    *xb = x2;
    *n = m;
    x1 = x2 = NULL;
done:
    free(side[0]);
    free(side[1]);
    free(x1);
    free(x2);
    return st;
}

/* ---- relations between variables: value labels, categories, variables ------------- */

egdi_status egdi_dataset_value_labels(egdi_dataset *ds, const char *column, const char *spec,
                                      const egdi_read_opts *ro, egdi_error *err)
{
    size_t j;
    egdi_status st = egdi_dataset_find(ds, column, &j, err);
    if (st != EGDI_OK)
        return st;
    egdi_labels *l = calloc(1, sizeof *l);
    if (!l)
        return nomem(err);
    if ((st = egdi_answer_labels_get(spec, ro, l, err)) != EGDI_OK) {
        free(l);
        return st;
    }
    egdi_dataset_column *c = &ds->col[j];
    if (c->value_labels) {
        egdi_answer_labels_release(c->value_labels);
        free(c->value_labels);
    }
    c->value_labels = l;
    return EGDI_OK;
}

void egdi_categories_release(egdi_categories *c)
{
    if (!c)
        return;
    if (c->label)
        for (size_t k = 0; k < c->k; k++)
            free(c->label[k]);
    free(c->label);
    free(c->code);
    free(c->count);
    free(c->of);
    memset(c, 0, sizeof *c);
}

/* t without the spaces and tabs around it: *len bytes from the result. */
static const char *trim_span(const char *t, size_t *len)
{
    size_t a = 0, b = strlen(t);
    while (t[a] == ' ' || t[a] == '\t')
        a++;
    while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t' || t[b - 1] == '\r' || t[b - 1] == '\n'))
        b--;
    *len = b - a;
    return t + a;
}

/* The code of row i of column j: its number, or the code of its text among
 * the column's value labels; NaN when neither. */
static double row_code(const egdi_dataset *ds, size_t j, size_t i)
{
    double v = egdi_dataset_at(ds, j, i);
    const egdi_dataset_column *c = &ds->col[j];
    if (isnan(v) && c->value_labels && c->text && c->text[i]) {
        size_t len;
        const char *t = trim_span(c->text[i], &len);
        double code;
        if (len && egdi_answer_labels_code(c->value_labels, t, len, &code))
            v = code;
    }
    return v;
}

bool egdi_dataset_is_text(const egdi_dataset *ds, size_t j)
{
    const egdi_dataset_column *c = &ds->col[j];
    if (!c->text)
        return false;
    for (size_t i = 0; i < ds->nrows; i++) {
        if (!c->text[i] || !isnan(row_code(ds, j, i)))
            continue;
        size_t len;
        trim_span(c->text[i], &len);
        if (len)
            return true;
    }
    return false;
}

typedef struct {
    double v;       /* the code, or NaN */
    const char *t;  /* the text (trimmed) when no code; or the first text */
    size_t len;
    size_t row;
} cat_key;

static int cmp_code_key(const void *a, const void *b)
{
    const cat_key *x = a, *y = b;
    if (x->v != y->v)
        return x->v < y->v ? -1 : 1;
    return (x->row > y->row) - (x->row < y->row);
}

static int cmp_text_span(const char *a, size_t la, const char *b, size_t lb)
{
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

static int cmp_text_key(const void *a, const void *b)
{
    const cat_key *x = a, *y = b;
    int c = cmp_text_span(x->t, x->len, y->t, y->len);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

typedef struct {
    char *label;
    double code;
    size_t first; /* index of its first key in the sorted keys */
} cat_entry;

static int cmp_entry_label(const void *a, const void *b)
{
    const cat_entry *x = a, *y = b;
    return strcmp(x->label, y->label);
}

static char *dup_span(const char *t, size_t len)
{
    char *s = malloc(len + 1);
    if (s) {
        memcpy(s, t, len);
        s[len] = '\0';
    }
    return s;
}

/* The label of the coded category whose first row (in its key) is k. */
static char *code_label(const egdi_dataset *ds, size_t j, const cat_key *k)
{
    const egdi_dataset_column *c = &ds->col[j];
    const char *l = c->value_labels ? egdi_answer_labels_text(c->value_labels, k->v) : NULL;
    if (l)
        return strdup(l);
    if (k->t && k->len)
        return dup_span(k->t, k->len);
    char buf[32];
    snprintf(buf, sizeof buf, "%.15g", k->v);
    return strdup(buf);
}

egdi_status egdi_dataset_categories(const egdi_dataset *ds, size_t j, egdi_categories *out,
                                    egdi_error *err)
{
    memset(out, 0, sizeof *out);
    const egdi_dataset_column *c = &ds->col[j];
    if (!c->text && c->bad_row)
        return check_column(ds, j, false, err); /* text that was not kept */
    size_t n = ds->nrows, ncode = 0, ntext = 0, nent = 0;
    cat_key *code = malloc((n ? n : 1) * sizeof *code);
    cat_key *text = malloc((n ? n : 1) * sizeof *text);
    cat_entry *ent = NULL;
    size_t *key_cat = NULL;
    out->of = malloc((n ? n : 1) * sizeof *out->of);
    if (!code || !text || !out->of)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        out->of[i] = EGDI_NO_CATEGORY;
        size_t len = 0;
        const char *t = c->text && c->text[i] ? trim_span(c->text[i], &len) : NULL;
        double v = row_code(ds, j, i);
        if (!isnan(v))
            code[ncode++] = (cat_key){v, t, len, i};
        else if (t && len)
            text[ntext++] = (cat_key){NAN, t, len, i};
    }
    qsort(code, ncode, sizeof *code, cmp_code_key);
    qsort(text, ntext, sizeof *text, cmp_text_key);
    /* one entry per distinct code, then per distinct text */
    size_t distinct = 0;
    for (size_t a = 0; a < ncode; a++)
        distinct += a == 0 || code[a].v != code[a - 1].v;
    for (size_t a = 0; a < ntext; a++)
        distinct += a == 0 || cmp_text_span(text[a].t, text[a].len, text[a - 1].t,
                                            text[a - 1].len) != 0;
    if (distinct > EGDI_CATEGORIES_MAX) {
        free(code);
        free(text);
        egdi_categories_release(out);
        return egdi_error_set(err, EGDI_ERR_VALUE,
                              "column %s has more than %d different values: it is no "
                              "grouping column",
                              c->name, EGDI_CATEGORIES_MAX);
    }
    ent = calloc(distinct ? distinct : 1, sizeof *ent);
    if (!ent)
        goto oom;
    for (size_t a = 0; a < ncode; a++)
        if (a == 0 || code[a].v != code[a - 1].v) {
            ent[nent] = (cat_entry){code_label(ds, j, &code[a]), code[a].v, a};
            if (!ent[nent++].label)
                goto oom;
        }
    for (size_t a = 0; a < ntext; a++)
        if (a == 0 ||
            cmp_text_span(text[a].t, text[a].len, text[a - 1].t, text[a - 1].len) != 0) {
            ent[nent] = (cat_entry){dup_span(text[a].t, text[a].len), NAN, ncode + a};
            if (!ent[nent++].label)
                goto oom;
        }
    if (ntext && ncode)
        qsort(ent, nent, sizeof *ent, cmp_entry_label);
    /* rows to categories: key_cat[first key of an entry] = its category */
    key_cat = malloc((ncode + ntext ? ncode + ntext : 1) * sizeof *key_cat);
    out->label = calloc(nent ? nent : 1, sizeof *out->label);
    out->code = malloc((nent ? nent : 1) * sizeof *out->code);
    out->count = calloc(nent ? nent : 1, sizeof *out->count);
    if (!key_cat || !out->label || !out->code || !out->count)
        goto oom;
    for (size_t e = 0; e < nent; e++) {
        key_cat[ent[e].first] = e;
        out->label[e] = ent[e].label;
        ent[e].label = NULL;
        out->code[e] = ent[e].code;
    }
    out->k = nent;
    for (size_t a = 0; a < ncode; a++) {
        if (a > 0 && code[a].v == code[a - 1].v)
            key_cat[a] = key_cat[a - 1];
        out->of[code[a].row] = key_cat[a];
    }
    for (size_t a = 0; a < ntext; a++) {
        if (a > 0 &&
            cmp_text_span(text[a].t, text[a].len, text[a - 1].t, text[a - 1].len) == 0)
            key_cat[ncode + a] = key_cat[ncode + a - 1];
        out->of[text[a].row] = key_cat[ncode + a];
    }
    for (size_t i = 0; i < n; i++) {
        if (out->of[i] == EGDI_NO_CATEGORY) {
            out->missing++;
        } else {
            out->count[out->of[i]]++;
            out->valid++;
        }
    }
    free(code);
    free(text);
    free(ent);
    free(key_cat);
    return EGDI_OK;
oom:
    if (ent)
        for (size_t e = 0; e < nent; e++)
            free(ent[e].label);
    free(ent);
    free(code);
    free(text);
    free(key_cat);
    egdi_categories_release(out);
    return nomem(err);
}

long egdi_dataset_scale_find(const egdi_dataset *ds, const char *name)
{
    for (size_t k = 0; k < ds->nscales; k++)
        if (strcmp(ds->scale[k].name, name) == 0)
            return (long)k;
    return -1;
}

egdi_status egdi_dataset_variables(const egdi_dataset *ds, const char *const *names, size_t p,
                                   egdi_deletion deletion, egdi_item_matrix *m,
                                   egdi_error *err)
{
    memset(m, 0, sizeof *m);
    egdi_status st = EGDI_OK;
    for (size_t a = 0; a < p; a++)
        for (size_t b = 0; b < a; b++)
            if (strcmp(names[a], names[b]) == 0)
                return egdi_error_set(err, EGDI_ERR_ARG, "%s is named twice", names[a]);
    double **y = calloc(p ? p : 1, sizeof *y);
    unsigned char *drop = calloc(ds->nrows ? ds->nrows : 1, 1);
    if (!y || !drop) {
        free(y);
        free(drop);
        return nomem(err);
    }
    m->p = p;
    m->n_read = ds->nrows;
    m->names = malloc((p ? p : 1) * sizeof *m->names);
    m->reversed = calloc(p ? p : 1, sizeof *m->reversed);
    if (!m->names || !m->reversed) {
        st = nomem(err);
        goto done;
    }
    for (size_t a = 0; a < p; a++) {
        if ((st = egdi_dataset_variable(ds, names[a], &y[a], err)) != EGDI_OK)
            goto done;
        long k = egdi_dataset_scale_find(ds, names[a]);
        size_t col = 0;
        if (k >= 0)
            m->names[a] = ds->scale[k].name;
        else if ((st = egdi_dataset_find(ds, names[a], &col, err)) == EGDI_OK)
            m->names[a] = ds->col[col].name;
        else
            goto done;
        if (deletion == EGDI_LISTWISE)
            for (size_t i = 0; i < ds->nrows; i++)
                drop[i] = (unsigned char)(drop[i] | (isnan(y[a][i]) ? 1 : 0));
    }
    size_t keep = 0;
    for (size_t i = 0; i < ds->nrows; i++)
        keep += !drop[i];
    m->n = keep;
    m->x = egdi_bigmem_alloc((keep ? keep : 1) * (p ? p : 1) * sizeof *m->x);
    m->rows = malloc((keep ? keep : 1) * sizeof *m->rows);
    if (!m->x || !m->rows) {
        st = nomem(err);
        goto done;
    }
    for (size_t i = 0, r = 0; i < ds->nrows; i++)
        if (!drop[i])
            m->rows[r++] = ds->row[i];
    for (size_t a = 0; a < p; a++)
        for (size_t i = 0, r = 0; i < ds->nrows; i++)
            if (!drop[i])
                m->x[a * keep + r++] = y[a][i];
done:
    for (size_t a = 0; a < p; a++)
        free(y[a]);
    free(y);
    free(drop);
    if (st != EGDI_OK)
        egdi_dataset_matrix_release(m);
    return st;
}

egdi_status egdi_dataset_scores(const egdi_dataset *ds, double **x, egdi_error *err)
{
    *x = NULL;
    if (ds->nscales == 0)
        return egdi_error_set(err, EGDI_ERR_ARG,
                              "no scales to score: give --scales FILE (or a stored survey with "
                              "dimensions)");
    size_t n = ds->nrows;
    double *out = malloc((n ? n : 1) * ds->nscales * sizeof *out);
    if (!out)
        return nomem(err);
    for (size_t k = 0; k < ds->nscales; k++) {
        double *y;
        egdi_status st = egdi_dataset_variable(ds, ds->scale[k].name, &y, err);
        if (st != EGDI_OK) {
            free(out);
            return st;
        }
        memcpy(out + k * n, y, n * sizeof *y);
        free(y);
    }
    *x = out;
    return EGDI_OK;
}

const char *egdi_dataset_cell_text(const egdi_dataset *ds, size_t j, size_t i, char buf[32])
{
    const char *t = egdi_dataset_text(ds, j, i);
    if (t)
        return t;
    double v = egdi_dataset_at(ds, j, i);
    if (isnan(v))
        return NULL;
    snprintf(buf, 32, "%.15g", v);
    return buf;
}
