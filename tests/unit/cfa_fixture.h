/*
 * cfa_fixture.h - helpers shared by test_cfa.c and test_validity.c: the
 * reference numbers of tests/r/cfa_ref.out (written by tests/r/cfa_ref.R:
 * lines "KEY NROW NCOL v11 v12 ...", row-major, NaN where R has NA) and a
 * fit of a model to a data file through the library (survey dataset,
 * egdi_cfa_dataset_cov, egdi_cfa_estimate).  Tests run from the
 * repository root.  Everything a helper returns is the fixture's, freed by
 * cfx_fit_release().
 */
#ifndef CFA_FIXTURE_H
#define CFA_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "surveys/cfa.h"
#include "surveys/cfa_model.h"
#include "surveys/dataset.h"

typedef struct {
    char key[256];
    size_t nr, nc;
    double *v;
} cfx_entry;

static cfx_entry cfx_refs[2048];
static size_t cfx_nrefs;

static inline void cfx_load(void)
{
    if (cfx_nrefs)
        return;
    FILE *f = fopen("tests/r/cfa_ref.out", "r");
    assert_non_null(f);
    char key[256];
    size_t nr, nc;
    while (fscanf(f, "%255s %zu %zu", key, &nr, &nc) == 3) {
        assert_true(cfx_nrefs < sizeof cfx_refs / sizeof cfx_refs[0]);
        cfx_entry *e = &cfx_refs[cfx_nrefs++];
        snprintf(e->key, sizeof e->key, "%s", key);
        e->nr = nr;
        e->nc = nc;
        e->v = malloc(nr * nc * sizeof(double));
        assert_non_null(e->v);
        for (size_t i = 0; i < nr * nc; i++) {
            char tok[64];
            assert_int_equal(fscanf(f, "%63s", tok), 1);
            e->v[i] = strcmp(tok, "NA") == 0 || strcmp(tok, "NaN") == 0 ? NAN : strtod(tok, NULL);
        }
    }
    fclose(f);
}

/* The entry "set.name", or NULL. */
static inline const cfx_entry *cfx_find(const char *set, const char *name)
{
    char key[256];
    snprintf(key, sizeof key, "%s.%s", set, name);
    cfx_load();
    for (size_t i = 0; i < cfx_nrefs; i++)
        if (strcmp(cfx_refs[i].key, key) == 0)
            return &cfx_refs[i];
    return NULL;
}

static inline const cfx_entry *cfx_ref(const char *set, const char *name)
{
    const cfx_entry *e = cfx_find(set, name);
    if (!e)
        fail_msg("no reference %s.%s", set, name);
    return e;
}

static inline double cfx_ref1(const char *set, const char *name)
{
    return cfx_ref(set, name)->v[0];
}

/* |got - want| <= tol * max(1, |want|): absolute below 1, relative above. */
static inline void cfx_near(double got, double want, double tol, const char *what)
{
    double scale = fabs(want) > 1 ? fabs(want) : 1;
    if (!(fabs(got - want) <= tol * scale))
        fail_msg("%s: got %.12g, want %.12g (tol %g)", what, got, want, tol);
}

typedef struct {
    egdi_dataset *ds;
    egdi_cfa_model model;
    egdi_cov cov;
    egdi_cfa_result r;
} cfx_fit;

/* Fits model text to data file path; scales (may be NULL) gives the reverse
 * keys with the answer scale lo-hi. */
static inline void cfx_fit_file(cfx_fit *f, const char *path, const char *model, const char *scales,
                         double lo, double hi, const egdi_cfa_options *o)
{
    memset(f, 0, sizeof *f);
    egdi_dataset_opts d;
    egdi_dataset_opts_init(&d);
    d.data = path;
    d.scales = scales;
    if (scales) {
        d.have_scale = true;
        d.scale_min = lo;
        d.scale_max = hi;
    }
    egdi_error err;
    egdi_error_clear(&err);
    if (egdi_dataset_open(&d, &f->ds, &err) != EGDI_OK ||
        egdi_cfa_model_parse(model, strlen(model), &f->model, &err) != EGDI_OK ||
        egdi_cfa_dataset_cov(f->ds, &f->model, &f->cov, NULL, &err) != EGDI_OK ||
        egdi_cfa_estimate(&f->model, &f->cov, o, &f->r, &err) != EGDI_OK)
        fail_msg("%s: %s", path, err.message);
}

static inline void cfx_fit_release(cfx_fit *f)
{
    egdi_cfa_result_release(&f->r);
    egdi_cov_release(&f->cov);
    egdi_cfa_model_release(&f->model);
    egdi_dataset_free(f->ds);
}

#define CFX_HS "tests/data/survey/hs1939.csv"
#define CFX_HS_MODEL "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
#define CFX_BFI "tests/data/survey/bfi25.csv"
#define CFX_BFI_SCALES "tests/data/survey/bfi25_scales.csv"
#define CFX_BFI5_MODEL                                                                             \
    "A =~ A1 + A2 + A3 + A4 + A5\nC =~ C1 + C2 + C3 + C4 + C5\nE =~ E1 + E2 + E3 + E4 + E5\n"     \
    "N =~ N1 + N2 + N3 + N4 + N5\nO =~ O1 + O2 + O3 + O4 + O5"

#endif
