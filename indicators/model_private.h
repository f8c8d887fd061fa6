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

#define MODEL_MAX_COLS     16
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

/* Sets m->hash from the canonical tables (model_write.c). */
egdi_status model_hash(egdi_model *m, egdi_error *err);

#endif
