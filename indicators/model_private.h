/*
 * model_private.h - private to indicators/: what model.c and model_write.c share: the loader state
 * used while reading a model's tables.  Not for callers (they use model.h).
 *
 * The loader borrows the caller's problem list and owns the model being
 * built until model_finish() hands it over (or frees it).
 */
#ifndef EGDI_MODEL_PRIVATE_H
#define EGDI_MODEL_PRIVATE_H

#include "indicators/model.h"

#define MODEL_MAX_COLS     32
#define MODEL_MAX_SETTINGS 64
#define MODEL_MAX_CELL     1024 /* bytes in one cell of a model table, with the NUL */

typedef struct {
    char key[64];
    char value[256];
    uint32_t row;
} model_setting;

typedef struct {
    egdi_model *m;
    egdi_model_problems *probs; /* borrowed; may be NULL */
    size_t nprob;
    char first[EGDI_ERR_MSG_MAX];
    bool nomem;
    bool too_many_nodes;
    size_t cap_nodes;
    char where[128];
    bool have_header[3];
    bool broken[3];    /* a table whose header lacks a needed column: rows skipped */
    bool in_header;
    long colmap[3][MODEL_MAX_COLS];
    size_t nsettings;
    model_setting settings[MODEL_MAX_SETTINGS];
} loader;

void model_problem(loader *L, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
char *model_strdup(const char *s);
bool model_number(const char *s, double *out);
egdi_model *model_new(void);
egdi_status model_feed(loader *L, egdi_reader *r, int start_section, egdi_error *err);
egdi_status model_finish(loader *L, egdi_model **out, egdi_error *err);

/* The canonical text with the weights of parent's children replaced by
 * w[0..k) (parent NULL: unchanged).  Caller frees *out. */
egdi_status model_canonical_weights(const egdi_model *m, const char *parent, const double *w,
                                    size_t k, char **out, size_t *len, egdi_error *err);

/* The catalogue columns of a survey source (model_source.c), after the
 * rule's: their names, in canonical order, and how many. */
extern const char *const model_source_cols[];
#define MODEL_SOURCE_NCOLS 10

/* Reads the survey-source cells of catalogue row `row` of node n
 * (texts[0..MODEL_SOURCE_NCOLS), "" when empty) into n->survey (NULL for a
 * metric leaf), listing every problem (model_source.c). */
void model_source_read(loader *L, egdi_node *n, const char *const *texts);

/* The checks of a survey leaf that need the whole model (the `survey`
 * setting, a leaf, a rule that takes the statistic). */
void model_source_check(loader *L, const egdi_node *n);

/* Frees a node's survey source (harmless on NULL). */
void model_source_free(egdi_survey_source *src);

/* The canonical cells of n's survey source, in model_source_cols order,
 * each written by put (model_write.c). */
void model_source_cells(const egdi_node *n, void (*put)(void *ctx, const char *cell),
                        void *ctx);

/* Sets m->hash from the canonical tables (model_write.c). */
egdi_status model_hash(egdi_model *m, egdi_error *err);

#endif
