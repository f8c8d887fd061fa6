/*
 * relations_fixture.h - shared by the tests of the relations between
 * variables (test_corr.c, test_regress.c, test_mediate.c, test_posthoc.c,
 * test_crosstab.c, test_tukey.c, test_profile.c): the reference numbers of
 * tests/r/relations_ref.R (tests/r/relations_ref.out, "key value" lines,
 * read into survey_fixture.h's fx_ref) and the questionnaire
 * tests/data/survey/relations.csv opened through the dataset layer with
 * its scales (relations_scales.csv, EU3 reverse keyed on 1-5) and the text
 * of 性别, 学历 and 培训 kept.  Tests run from the repository root; the
 * caller frees what it gets (fx_ref_free, egdi_dataset_free).
 */
#ifndef RELATIONS_FIXTURE_H
#define RELATIONS_FIXTURE_H

#include "survey_fixture.h"
#include "surveys/dataset.h"

static inline fx_ref *rel_ref_load(void)
{
    FILE *f = fopen("tests/r/relations_ref.out", "r");
    if (!f)
        return NULL;
    fx_ref *r = calloc(1, sizeof *r);
    size_t cap = 1024;
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

/* relations.csv with its scales and the text of the grouping columns;
 * NULL (and a message) on failure. */
static inline egdi_dataset *rel_open(void)
{
    static const char *const keep[] = {"性别", "学历", "培训"};
    egdi_dataset_opts o;
    egdi_dataset_opts_init(&o);
    o.data = "tests/data/survey/relations.csv";
    o.scales = "tests/data/survey/relations_scales.csv";
    o.have_scale = true;
    o.scale_min = 1;
    o.scale_max = 5;
    o.keep = keep;
    o.nkeep = 3;
    egdi_dataset *ds = NULL;
    egdi_error e;
    egdi_error_clear(&e);
    if (egdi_dataset_open(&o, &ds, &e) != EGDI_OK)
        fprintf(stderr, "relations.csv: %s\n", e.message);
    return ds;
}

#endif
