/*
 * ranking.h - ranking and comparison: the one module that answers, for
 * `egdi rank`, `score`, `explain`, `report` and `demo`:
 *
 *   - competition ranks ("1224": ties share the best rank) on scores
 *     optionally rounded first, as the UN ranks its published EGDI
 *     (egdi_ranking_competition, egdi_ranking_round_digits);
 *   - ranks within a kind (departments and regions are ranked separately)
 *     or among the departments of one region (egdi_ranking_scope);
 *   - the comparison with an earlier round: previous rank (same scope),
 *     rank change and previous stage.  THE PREVIOUS STAGE IS THE ONE STORED
 *     WITH THAT ROUND'S SCORE RUN (unit_score.stage, decided by the bands of
 *     the model that run used), never today's bands applied to old scores;
 *   - stage counts and the stage-transition matrix (egdi_ranking_tally),
 *     stages matched between the rounds by their code.
 *
 * Stage axis.  Counts and transitions are kept over one list of stages:
 * this round's model's stages in their order (so axis index == stage index
 * of this round's result), then the stages whose code only the earlier
 * round's model has.  same_bands says whether both rounds were scored with
 * the same stage table (codes, order and bounds); when not, whoever shows
 * the earlier round's counts next to bands must show that round's bands or
 * say that they differ.
 *
 * Rounding.  Each round is ranked with its own model's rank_digits unless
 * digits are given (EGDI_RANKING_MODEL_DIGITS = take the model's).
 *
 * Memory.  An egdi_ranking owns its arrays, and the rounds it loaded
 * itself (egdi_ranking_load, egdi_ranking_load_table); rounds passed to
 * egdi_ranking_build are borrowed and must outlive it.
 * egdi_ranking_free() frees everything it owns.
 */
#ifndef EGDI_RANKING_H
#define EGDI_RANKING_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "engine/core/error.h"
#include "engine/readers/reader.h"
#include "engine/store/store.h"
#include "indicators/model.h"
#include "indicators/round.h"
#include "indicators/score.h"

/* ---- competition ranks ---------------------------------------------- */

/*
 * score rounded to digits decimals; digits < 0 returns score.  The score
 * is printed with "%.*f" (the binary value rounded to nearest, ties to
 * even on that exact value) and read back, so two units tie exactly when
 * their printed scores are equal.
 */
double egdi_ranking_round_digits(double score, int digits);

/*
 * Ranks the units i with eligible[i] (eligible may be NULL: all) and a
 * non-NaN score: rank[i] = 1 + the number of eligible units with a
 * strictly higher (rounded) score; 0 for the others.  order[0..n) (may be
 * NULL) receives the indices sorted by rank, ties and the unranked (last)
 * in index order.  One sort: O(n log n).
 */
egdi_status egdi_ranking_competition(const double *score, const bool *eligible, size_t n,
                                     int digits, long *rank, size_t *order, egdi_error *err);

/*
 * A reusable ranker: egdi_ranking_competition's ranks for up to n scores
 * per call without allocating (the Monte Carlo of indicators/uncertainty.c
 * ranks every draw).  The keys are sorted by a stable radix sort, so ranks
 * and order are exactly egdi_ranking_competition's.  Not shared between
 * threads; egdi_ranking_ranker_free frees it (harmless on NULL).
 */
typedef struct egdi_ranking_ranker egdi_ranking_ranker;

egdi_status egdi_ranking_ranker_new(size_t n, egdi_ranking_ranker **out, egdi_error *err);
void egdi_ranking_ranker_free(egdi_ranking_ranker *k);

/* egdi_ranking_competition on k (n at most the ranker's size). */
void egdi_ranking_ranker_rank(egdi_ranking_ranker *k, const double *score, const bool *eligible,
                              size_t n, int digits, long *rank, size_t *order);

/* ---- scopes ---------------------------------------------------------- */

typedef struct {
    egdi_unit_kind kind; /* 0 or EGDI_UNIT_DEPARTMENT: departments; EGDI_UNIT_REGION */
    const char *within;  /* a region code: the departments of that region (kind
                            ignored); NULL = the whole kind */
} egdi_ranking_scope;

/* True when unit u of in belongs to the scope. */
bool egdi_ranking_in_scope(const egdi_ranking_scope *sc, const egdi_round_input *in, size_t u);

/*
 * rank[u] = the rank of every unit among the rankable units of its own
 * kind (0 when not rankable): what a score run stores and `egdi explain`
 * shows.  digits as egdi_ranking_competition.
 */
egdi_status egdi_ranking_by_kind(const egdi_round_input *in, const egdi_score_result *r,
                                 int digits, long *rank, egdi_error *err);

/* ---- stage counts and transitions ------------------------------------ */

typedef struct {
    size_t nstages;
    size_t *counts;      /* nstages + 1: units per stage; [nstages] = without a stage */
    size_t *prev_counts; /* nstages + 1 or NULL: by previous stage; [nstages] = none */
    size_t *transitions; /* nstages x nstages or NULL: row = previous stage, column =
                            current stage, units that have both */
} egdi_ranking_tally;

/* Zeroes the arrays of t that are not NULL. */
void egdi_ranking_tally_clear(egdi_ranking_tally *t);

/* Counts one unit: stage and prev_stage are stage indices, -1 (or out of
 * range) = none. */
void egdi_ranking_tally_add(egdi_ranking_tally *t, long stage, long prev_stage);

/* ---- a ranking -------------------------------------------------------- */

#define EGDI_RANKING_MODEL_DIGITS INT_MIN

/* The decimals a round is ranked on (-1 = unrounded): digits as given;
 * EGDI_RANKING_MODEL_DIGITS = m's rank_digits; rank_digits auto = the
 * decimals in->decimals says its values are published with (in may be
 * NULL: unrounded).  The one answer for `rank`, the report, the Monte Carlo
 * and the sensitivity run. */
int egdi_ranking_digits(int digits, const egdi_model *m, const egdi_round_input *in);

typedef struct {
    const egdi_round *round;   /* the round ranked */
    const egdi_round *prev;    /* the earlier round compared with; NULL = none */
    egdi_ranking_scope scope;  /* within points at a copy owned by the ranking */
    int digits, prev_digits;   /* the rounding used for each round (-1 = none) */

    size_t n;                  /* units in scope */
    size_t *order;             /* n unit indices: by rank (ties in unit order), then the
                                  unranked */
    long *rank;                /* per unit of round->in: rank in scope; 0 = not ranked or
                                  out of scope */
    long *stage;               /* per unit: axis index of its stage when ranked, else -1 */
    long *prev_rank;           /* with prev, per unit: its rank in the earlier round in the
                                  same scope; 0 = not ranked then (or absent) */
    long *prev_stage;          /* with prev, per unit: axis index of the stage stored with the
                                  earlier run, when ranked then; else -1 */

    size_t nstages;            /* the stage axis (see above) */
    size_t ncurrent;           /* its first ncurrent entries are round->model's stages */
    const egdi_stage **stages; /* borrowed from the models */
    bool same_bands;           /* true without prev */

    size_t *counts;            /* nstages + 1: units in scope by stage ([nstages]: none) */
    size_t *prev_counts;       /* with prev: by the stage stored in the earlier run */
    size_t *transitions;       /* with prev: nstages x nstages, row previous, column
                                  current, units ranked in both rounds */

    char *stale;               /* egdi_ranking_load: why the round's run no longer
                                  matches the store (an import or undo after it,
                                  engine/store/score_runs.h); NULL while current */
    char *prev_stale;          /* the same for the earlier round */

    /* owned */
    egdi_round own_round, own_prev;
    char *within_copy;
} egdi_ranking;

/*
 * Ranks round within scope and, when prev is not NULL, compares it with
 * that earlier round (units matched by code: a sort join, O(n log n)).
 * digits: the rounding for both rounds, or EGDI_RANKING_MODEL_DIGITS.
 * EGDI_ERR_NOT_FOUND when scope->within names no region of the round.
 */
egdi_status egdi_ranking_build(const egdi_round *round, const egdi_round *prev,
                               const egdi_ranking_scope *scope, int digits,
                               egdi_ranking **out, egdi_error *err);

void egdi_ranking_free(egdi_ranking *k);

/* What to rank from the store. */
typedef struct {
    int round;                /* the scored round */
    int compare;              /* an earlier scored round; 0 = none */
    const char *model;        /* a stored model's name, or a model (name or path) whose
                                 name is taken; NULL = the round's latest run */
    egdi_ranking_scope scope;
    int digits;               /* EGDI_RANKING_MODEL_DIGITS or 0..15 */
} egdi_ranking_opts;

/*
 * Loads the latest stored run of round (of the model named by model, or
 * any) into *cur and, when compare is not 0, the latest run of compare of
 * the same model's name into *prev (prev may be NULL when compare is 0).
 * On failure both are released.  EGDI_ERR_NOT_FOUND (with the command to
 * run) when a round has not been scored.
 */
egdi_status egdi_ranking_load_rounds(egdi_store *s, int round, int compare, const char *model,
                                     egdi_round *cur, egdi_round *prev, egdi_error *err);

/* egdi_ranking_load_rounds + egdi_ranking_build; the ranking owns the rounds. */
egdi_status egdi_ranking_load(egdi_store *s, const egdi_ranking_opts *o, egdi_ranking **out,
                              egdi_error *err);

/*
 * Reads a table (see table_input.h) from file with ro, scores it with
 * model (a name or path) and ranks it (every unit a department); the
 * ranking owns the round.
 */
egdi_status egdi_ranking_load_table(const char *model, const char *file,
                                    const egdi_read_opts *ro, const char *id_col,
                                    const char *name_col, int digits, egdi_ranking **out,
                                    egdi_error *err);

#endif
