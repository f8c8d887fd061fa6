/*
 * survey_cfa.h - what `egdi survey cfa` (survey_cfa.c) and `egdi survey
 * validity` (survey_validity.c) share: the model options, and the run that
 * opens the data, builds the model (--model, else the scales), computes the
 * covariances of its items in one pass and fits it (surveys/cfa.h).
 */
#ifndef EGDI_SURVEY_CFA_H
#define EGDI_SURVEY_CFA_H

#include "cli/survey_cli.h"
#include "surveys/cfa.h"
#include "surveys/cfa_model.h"
#include "surveys/reliability.h"

/* The ids of the shared model options; a command numbers its own from
 * CFA_OPT_OWN. */
enum { CFA_OPT_MODEL, CFA_OPT_STD_LV, CFA_OPT_MAX_ITER, CFA_OPT_TOL, CFA_OPT_OWN };

/* The rows of the shared model options, for a command's option table. */
#define CFA_MODEL_OPTIONS                                                                          \
    {CFA_OPT_MODEL, "model", 0, "TEXT|FILE",                                                       \
     "the measurement model in lavaan's syntax, 'visual =~ x1 + x2 + x3; textual =~ x4 + x5 + "    \
     "x6' (statements on lines or separated by ';'), or a file holding it; default: each scale "   \
     "of --scales (or of the stored survey) a factor"},                                            \
    {CFA_OPT_STD_LV, "std-lv", 0, NULL,                                                            \
     "identify by factor variances fixed to 1, every loading free (lavaan's std.lv = TRUE); "      \
     "default: the first loading of each factor fixed to 1"},                                      \
    {CFA_OPT_MAX_ITER, "max-iter", 0, "N", "Fisher-scoring iterations at most (default 1000)"},  \
    {CFA_OPT_TOL, "tol", 0, "T",                                                                   \
     "convergence: the squared scoring step g'(2I)^-1 g below T (default 1e-20)"}

typedef struct {
    const char *model;    /* --model */
    egdi_cfa_options cfa; /* --std-lv, --max-iter, --tol */
} cfa_args;

void cfa_args_init(cfa_args *a);

/* Handles a shared model option: 1, 0 when id is not one, or CLI_USAGE. */
int cfa_option(int id, const char *arg, cfa_args *a, const char *cmd);

typedef struct {
    egdi_dataset *ds;
    egdi_cfa_model model;
    egdi_cov cov;          /* the model's items, listwise, n - 1 denominators */
    size_t n_read;
    egdi_cfa_result fit;
} cfa_run;

/*
 * Opens the data of o, builds the model, computes the covariances and
 * fits the model; prints the error and returns CLI_FAIL / CLI_USAGE on
 * failure.  Warns on stderr of Heywood cases.  cfa_run_release() frees r
 * whatever is returned.
 */
int cfa_prepare(const survey_opts *o, const cfa_args *a, const char *cmd, cfa_run *r);
void cfa_run_release(cfa_run *r);

/* The identification and the missing-answer rule, for table titles. */
const char *cfa_identification(const survey_opts *o, const cfa_run *r);
const char *cfa_missing_note(const survey_opts *o);

#endif
