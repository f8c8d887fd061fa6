/*
 * survey_fixture.h - helpers shared by the test_survey_*.c programs: a
 * minimal reader for the fixture CSVs in tests/data/survey/ (written by
 * tests/r/survey_ref.R: a quoted header, numbers, empty = missing, quoted
 * text) and a lookup of the reference numbers in tests/r/survey_ref.out.
 * Independent of egdi's own readers on purpose.  Tests run from the
 * repository root.  Everything returned is owned by the fixture and freed
 * by fx_free().
 */
#ifndef SURVEY_FIXTURE_H
#define SURVEY_FIXTURE_H

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t n, ncol;
    char **names;
    double *x;     /* column-major, NaN = empty or text */
    char **text;   /* column-major, text cells (unquoted) or NULL */
} fx_data;

static inline char *fx_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Splits one line into at most max fields (quotes removed). */
static inline size_t fx_split(char *line, char **f, size_t max)
{
    size_t k = 0;
    char *p = line;
    while (k < max) {
        char *s = p;
        if (*p == '"') {
            s = ++p;
            while (*p && *p != '"')
                p++;
            f[k++] = fx_dup(s, (size_t)(p - s));
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r')
                p++;
            f[k++] = fx_dup(s, (size_t)(p - s));
        }
        if (*p != ',')
            break;
        p++;
    }
    return k;
}

static inline fx_data *fx_load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    fx_data *d = calloc(1, sizeof *d);
    static char line[65536];
    char *fields[256];
    if (!fgets(line, sizeof line, f))
        return NULL;
    d->ncol = fx_split(line, fields, 256);
    d->names = calloc(d->ncol, sizeof *d->names);
    for (size_t j = 0; j < d->ncol; j++)
        d->names[j] = fields[j];
    size_t cap = 1024;
    double *rows = malloc(cap * d->ncol * sizeof *rows);
    char **txt = calloc(cap * d->ncol, sizeof *txt);
    while (fgets(line, sizeof line, f)) {
        if (d->n == cap) {
            cap *= 2;
            rows = realloc(rows, cap * d->ncol * sizeof *rows);
            txt = realloc(txt, cap * d->ncol * sizeof *txt);
        }
        size_t k = fx_split(line, fields, 256);
        for (size_t j = 0; j < d->ncol; j++) {
            double v = NAN;
            char *t = NULL;
            if (j < k && fields[j][0]) {
                char *end;
                v = strtod(fields[j], &end);
                if (*end) {
                    v = NAN;
                    t = fx_dup(fields[j], strlen(fields[j]));
                }
            }
            rows[d->n * d->ncol + j] = v;
            txt[d->n * d->ncol + j] = t;
        }
        for (size_t j = 0; j < k; j++)
            free(fields[j]);
        d->n++;
    }
    fclose(f);
    d->x = malloc(d->n * d->ncol * sizeof *d->x);
    d->text = calloc(d->n * d->ncol, sizeof *d->text);
    for (size_t i = 0; i < d->n; i++)
        for (size_t j = 0; j < d->ncol; j++) {
            d->x[j * d->n + i] = rows[i * d->ncol + j];
            d->text[j * d->n + i] = txt[i * d->ncol + j];
        }
    free(rows);
    free(txt);
    return d;
}

static inline void fx_free(fx_data *d)
{
    if (!d)
        return;
    for (size_t j = 0; j < d->ncol; j++)
        free(d->names[j]);
    for (size_t i = 0; i < d->n * d->ncol; i++)
        free(d->text[i]);
    free(d->names);
    free(d->x);
    free(d->text);
    free(d);
}

/* The column called name (aborts the test program when absent). */
static inline const double *fx_col(const fx_data *d, const char *name)
{
    for (size_t j = 0; j < d->ncol; j++)
        if (strcmp(d->names[j], name) == 0)
            return d->x + j * d->n;
    fprintf(stderr, "fixture: no column %s\n", name);
    abort();
}

static inline char *const *fx_text(const fx_data *d, const char *name)
{
    for (size_t j = 0; j < d->ncol; j++)
        if (strcmp(d->names[j], name) == 0)
            return d->text + j * d->n;
    fprintf(stderr, "fixture: no column %s\n", name);
    abort();
}

/*
 * The matrix of items[0..p) (reversed as maxplus1 - x where rev[j]),
 * column-major; complete rows only when listwise.  *n_out = rows kept.
 * Caller frees.
 */
static inline double *fx_matrix(const fx_data *d, const char *const *items, const int *rev,
                         size_t p, double maxplus1, int listwise, size_t *n_out)
{
    double *m = malloc(d->n * p * sizeof *m);
    size_t k = 0;
    for (size_t i = 0; i < d->n; i++) {
        int complete = 1;
        for (size_t j = 0; j < p; j++)
            if (isnan(fx_col(d, items[j])[i]))
                complete = 0;
        if (listwise && !complete)
            continue;
        k++;
    }
    size_t r = 0;
    for (size_t i = 0; i < d->n; i++) {
        int complete = 1;
        for (size_t j = 0; j < p; j++)
            if (isnan(fx_col(d, items[j])[i]))
                complete = 0;
        if (listwise && !complete)
            continue;
        for (size_t j = 0; j < p; j++) {
            double v = fx_col(d, items[j])[i];
            m[j * k + r] = rev && rev[j] ? maxplus1 - v : v;
        }
        r++;
    }
    *n_out = k;
    return m;
}

/* ---- reference numbers ----------------------------------------------- */

typedef struct {
    size_t n;
    char **key;
    double *val;
} fx_ref;

static inline fx_ref *fx_ref_load(void)
{
    FILE *f = fopen("tests/r/survey_ref.out", "r");
    if (!f)
        return NULL;
    fx_ref *r = calloc(1, sizeof *r);
    size_t cap = 4096;
    r->key = malloc(cap * sizeof *r->key);
    r->val = malloc(cap * sizeof *r->val);
    char k[256];
    double v;
    while (fscanf(f, "%255s %lf", k, &v) == 2) {
        if (r->n == cap) {
            cap *= 2;
            r->key = realloc(r->key, cap * sizeof *r->key);
            r->val = realloc(r->val, cap * sizeof *r->val);
        }
        r->key[r->n] = fx_dup(k, strlen(k));
        r->val[r->n++] = v;
    }
    fclose(f);
    return r;
}

static inline void fx_ref_free(fx_ref *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->key[i]);
    free(r->key);
    free(r->val);
    free(r);
}

/* The reference value for key (printf-style); aborts when absent. */
static inline double fx_refv(const fx_ref *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static inline double fx_refv(const fx_ref *r, const char *fmt, ...)
{
    char k[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(k, sizeof k, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->key[i], k) == 0)
            return r->val[i];
    fprintf(stderr, "reference: no key %s\n", k);
    abort();
}

/* |got - want| <= tol * max(1, |want|). */
#define assert_close(got, want, tol)                                                     \
    do {                                                                                 \
        double g_ = (got), w_ = (want);                                                  \
        double s_ = fabs(w_) > 1 ? fabs(w_) : 1;                                         \
        if (!(fabs(g_ - w_) <= (tol) * s_))                                              \
            fail_msg("%s = %.17g, R gives %.17g", #got, g_, w_);                         \
    } while (0)

/* Relative agreement, for p-values that may be tiny: |got - want| <= tol |want|. */
#define assert_rel(got, want, tol)                                                       \
    do {                                                                                 \
        double g_ = (got), w_ = (want);                                                  \
        if (!(fabs(g_ - w_) <= (tol) * fabs(w_)))                                        \
            fail_msg("%s = %.17g, R gives %.17g", #got, g_, w_);                         \
    } while (0)

#endif
