/*
 * model.h - an evaluation model: the indicator tree (catalogue), the
 * model-level settings and the stage bands, read from spreadsheet tables.
 *
 * Tables (see docs/models.md for the full format).  A model is three tables,
 * which may come as one CSV / one sheet split by marker rows "[settings]",
 * "[catalogue]" and "[stages]", as an XLSX workbook with sheets of those
 * names, or as three files settings.csv, catalogue.csv, stages.csv in one
 * directory (the built-in models under data/models/<name>/ are stored so).
 *
 *   settings:  key,value    name, version, aggregation, missing, min_coverage,
 *                           region_method, region_share, digits, rank_digits,
 *                           boundary_margin, classes, survey
 *   catalogue: code,parent,name_zh,name_en,weight,unit,direction,applies,rule,
 *              min,max,target,tolerance,steps,scale_min,scale_max
 *              [,source,scale,items,statistic,min_n,min_alpha,item_analysis,
 *               min_kmo,gate,conflict]  (a leaf computed from a survey)
 *   stages:    code,name_zh,name_en,lower,upper[,classes]
 *
 * Data structure: egdi_model owns an array of nodes (catalogue rows, in file
 * order) and an array of stages (sorted by lower bound).  Nodes refer to
 * their parent and children by index; node 0..n-1 keep the file order so
 * scoring visits them in a fixed order (bit-identical results).  Every
 * string in the model is owned by it; egdi_model_free() frees everything.
 *
 * Loading never stops at the first problem: every problem found is kept as
 * one line in egdi_model_problems (the loader's caller decides whether to
 * print them; `egdi model check` prints all).  A model with problems is not
 * usable for scoring: egdi_model_load*() return EGDI_ERR_MODEL then, with
 * the first problem in err and the list still filled.
 */
#ifndef EGDI_MODEL_H
#define EGDI_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"
#include "engine/readers/reader.h"

/* Weights within a parent must sum to 1 within this tolerance. */
#define EGDI_MODEL_WEIGHT_TOL 1e-9
/* Caps on what a model table may ask for. */
#define EGDI_MODEL_MAX_NODES  4096
#define EGDI_MODEL_MAX_STAGES 64
#define EGDI_MODEL_MAX_STEPS  64
#define EGDI_MODEL_MAX_CLASSES 8
#define EGDI_MODEL_MAX_PROBLEMS 1000

typedef enum {
    EGDI_RULE_NONE = 0, /* an inner node: aggregated from its children */
    EGDI_RULE_VALUE,    /* score = raw (already a score) */
    EGDI_RULE_GOALPOST, /* fixed min/max, clamped to 0..100 */
    EGDI_RULE_MINMAX,   /* min/max over the round's units */
    EGDI_RULE_ZSCORE,   /* 50 + 10 z over the round's units, clamped 0..100 */
    EGDI_RULE_RANK,     /* percentile rank among the round's units */
    EGDI_RULE_TARGET,   /* 100 at target, 0 at |x - target| >= tolerance */
    EGDI_RULE_STEPS,    /* threshold steps "x:score;x:score" */
    EGDI_RULE_YESNO,    /* 1/0 -> 100/0 */
    EGDI_RULE_LIKERT,   /* Likert mean rescaled from scale_min..scale_max */
    EGDI_RULE_RATIO,    /* 100 * min(1, x / target) */
    EGDI_RULE_COUNT
} egdi_rule;

typedef enum { EGDI_AGG_ARITHMETIC = 0, EGDI_AGG_GEOMETRIC } egdi_aggregation;

/* rank_digits "auto": rank on the decimals the input table publishes */
#define EGDI_RANK_DIGITS_AUTO (-2)

typedef enum {
    EGDI_MISSING_REWEIGHT = 0, /* drop the missing child, re-weight the rest */
    EGDI_MISSING_MEAN,         /* impute the round mean of the indicator score */
    EGDI_MISSING_MEDIAN,       /* impute the round median */
    EGDI_MISSING_ZERO,         /* score 0 */
    EGDI_MISSING_NONE          /* no score: a parent lacking a child has none
                                  (the UN's EGDI is the mean of all three) */
} egdi_missing;

typedef enum { EGDI_REGION_MEAN = 0, EGDI_REGION_WEIGHTED } egdi_region_method;

/* Unit kinds a node applies to (bit mask). */
enum { EGDI_APPLIES_DEPARTMENT = 1u, EGDI_APPLIES_REGION = 2u, EGDI_APPLIES_BOTH = 3u };

/* ---- a leaf computed from a survey (catalogue column source) ----------- */

typedef enum {
    EGDI_STAT_MEAN = 0, /* the mean of the respondents' scale scores */
    EGDI_STAT_TOP       /* the share (%) of respondents whose score is >= top */
} egdi_survey_statistic;

typedef enum {
    EGDI_GATE_MISSING = 0, /* a failed gate leaves the indicator without a value */
    EGDI_GATE_REFUSE       /* a failed gate stops `egdi score` */
} egdi_gate_action;

typedef enum {
    EGDI_PREFER_SURVEY = 0, /* a metric imported for the same unit gives way */
    EGDI_PREFER_METRIC      /* the imported metric wins */
} egdi_conflict_rule;

/* The defaults of the gates. */
#define EGDI_SURVEY_MIN_N 30
#define EGDI_SURVEY_MIN_ALPHA 0.70

/*
 * A leaf whose raw value is computed per unit from a stored survey (the
 * catalogue columns source, scale, items, statistic, min_n, min_alpha,
 * item_analysis, min_kmo, gate, conflict; docs/models.md): the scale (a
 * dimension of the survey) or the items, scored per respondent as the
 * mean of the keyed items, then the statistic over a unit's respondents,
 * with the quality gates a value must pass.
 */
typedef struct {
    char *survey;       /* the survey's name; NULL = the model's `survey` setting */
    char *scale;        /* a dimension of the survey, or NULL */
    char *items;        /* an item list ("S1-S3,S5"), or NULL; one of scale / items */
    egdi_survey_statistic statistic;
    double top;         /* EGDI_STAT_TOP: the lowest score that counts */
    size_t min_n;       /* respondents a unit needs (default 30) */
    double min_alpha;   /* Cronbach's alpha the items need (default .70); NaN = not checked */
    bool item_analysis; /* every item passes the item analysis (CR; default yes) */
    double min_kmo;     /* KMO the items need; NaN = not checked (the default) */
    egdi_gate_action gate;
    egdi_conflict_rule conflict;
} egdi_survey_source;

typedef struct {
    char *code;
    char *parent;  /* "" for the root */
    char *name_zh;
    char *name_en;
    char *unit;
    double weight; /* within the parent */
    int direction; /* +1 higher is better, -1 lower is better */
    unsigned applies;
    egdi_rule rule;
    /* rule parameters; NaN when not given */
    double min, max, target, tolerance, scale_min, scale_max;
    size_t nsteps;
    double steps_x[EGDI_MODEL_MAX_STEPS];
    double steps_y[EGDI_MODEL_MAX_STEPS];
    /* derived */
    long parent_idx; /* -1 for the root */
    size_t nchildren;
    size_t *children; /* indices, in file order */
    unsigned depth;   /* root 0 */
    double eff_weight; /* product of weights from the root */
    uint32_t row;      /* row in the catalogue table */
    egdi_survey_source *survey; /* a leaf computed from a survey; NULL = an
                                   imported metric */
} egdi_node;

typedef struct {
    char *code;
    char *name_zh;
    char *name_en;
    double lower; /* inclusive; -INFINITY when open */
    double upper; /* exclusive; +INFINITY when open */
    size_t nclasses;
    char *classes[EGDI_MODEL_MAX_CLASSES]; /* best first, e.g. VH,V3,V2,V1 */
} egdi_stage;

typedef struct {
    char *name;
    char *version;
    egdi_aggregation aggregation;
    egdi_missing missing;
    double min_coverage;       /* 0..1 */
    egdi_region_method region_method;
    char *region_weight;       /* indicator code weighting departments */
    double region_share;       /* share of the department part, 0..1 */
    int digits;                /* decimals shown */
    int rank_digits;           /* default --rank-digits; -1 = unrounded,
                                  EGDI_RANK_DIGITS_AUTO = the decimals the
                                  input publishes (egdi_round_input.decimals) */
    double boundary_margin;    /* flag units this close to a stage bound */
    bool classes_quartile;     /* split each stage by quartile (UN) */
    char *survey;              /* the survey a source "survey" reads; NULL = none */

    size_t nnodes;
    egdi_node *nodes;
    size_t root;               /* index of the single root */
    size_t nstages;
    egdi_stage *stages;        /* sorted by lower bound */

    char hash[65];             /* SHA-256 of the canonical tables, hex */
} egdi_model;

/* Problems found while loading; owned by the caller. */
typedef struct {
    size_t n;
    char **lines;
    bool truncated; /* more than EGDI_MODEL_MAX_PROBLEMS */
} egdi_model_problems;

void egdi_model_problems_release(egdi_model_problems *p);

/*
 * Loads a model from one reader (a CSV or a sheet with [section] markers);
 * `section` names the table the reader starts in ("catalogue" when NULL).
 * On success *out is a checked model.  On failure *out is NULL, err holds
 * the first problem and probs (may be NULL) every problem; probs is always
 * initialised, so egdi_model_problems_release() may be called on every path.
 */
egdi_status egdi_model_load_reader(egdi_model **out, egdi_reader *r, const char *section,
                                   egdi_model_problems *probs, egdi_error *err);

/* As above from memory (fuzzing, tests): one CSV with [section] markers. */
egdi_status egdi_model_load_mem(egdi_model **out, const void *buf, size_t size,
                                const char *name, egdi_model_problems *probs,
                                egdi_error *err);

/*
 * Loads NAME_OR_PATH: a built-in model name (egdi_model_builtin_names()),
 * a directory with settings.csv / catalogue.csv / stages.csv, an XLSX
 * workbook (sheets settings, catalogue, stages, or one sheet with markers),
 * or a CSV with markers.
 */
egdi_status egdi_model_load(egdi_model **out, const char *name_or_path,
                            egdi_model_problems *probs, egdi_error *err);

/* The names each table may have as a sheet or a [section] marker, English
 * first (settings 设置, catalogue 指标, stages 阶段); [0] settings,
 * [1] catalogue, [2] stages, each NULL-terminated. */
extern const char *const *const egdi_model_sheet_names[3];

/* NULL-terminated list of built-in model names; "jiangsu" is the default. */
const char *const *egdi_model_builtin_names(void);
#define EGDI_MODEL_DEFAULT "jiangsu"

void egdi_model_free(egdi_model *m);

/* Index of the node with this code (case-insensitive), or -1. */
long egdi_model_find(const egdi_model *m, const char *code);

/* True when node i is a leaf (has a rule). */
bool egdi_node_is_leaf(const egdi_node *n);

/* The numeric parameters a scoring rule may have, in the order they are
 * shown: min, max, target, tolerance, scale_min, scale_max. */
#define EGDI_NODE_NPARAMS 6

/*
 * The parameters of n's rule that are set (not NaN), in that order: names
 * (static text) and values; returns how many.  Threshold steps are not
 * among them (n->steps_x, n->steps_y).
 */
size_t egdi_node_params(const egdi_node *n, const char *names[EGDI_NODE_NPARAMS],
                        double values[EGDI_NODE_NPARAMS]);

/*
 * The parameters as `egdi model show` and `egdi explain` print them:
 * "min=0 max=100", then "steps=50:60;70:80" when the rule has steps ("" for
 * none).  What does not fit in size is left out, item by item (always
 * NUL-terminated); returns buf.
 */
const char *egdi_node_params_text(const egdi_node *n, char *buf, size_t size);

/*
 * True when node n has the parameters rule r needs, as the loader checks
 * them for n's own rule: goalpost min < max, target a target and a
 * tolerance above 0, ratio a target above 0, likert scale_min < scale_max,
 * steps at least one step; value, minmax, zscore, rank and yesno need none.
 * (The uncertainty analysis gives a leaf another rule only when it fits.)
 */
bool egdi_node_rule_fits(const egdi_node *n, egdi_rule r);

/* Index of the stage holding score, or -1 when no band holds it. */
long egdi_model_stage(const egdi_model *m, double score);

/* True when score lies within m->boundary_margin of a finite stage bound. */
bool egdi_model_near_boundary(const egdi_model *m, double score);

/* The survey a survey leaf reads: its own survey:NAME, else the model's
 * `survey` setting (NULL when neither). */
const char *egdi_source_survey(const egdi_model *m, const egdi_node *n);

/* "mean" or "top:4" (the catalogue's statistic text) into buf; returns buf. */
const char *egdi_source_statistic_text(const egdi_survey_source *src, char *buf, size_t size);

/* True when some leaf of m is computed from a survey. */
bool egdi_source_any(const egdi_model *m);

/* Names "goalpost", "minmax"... and back; NULL / -1 when unknown. */
const char *egdi_rule_name(egdi_rule r);
int egdi_rule_parse(const char *s);
const char *egdi_missing_name(egdi_missing p);
const char *egdi_aggregation_name(egdi_aggregation a);

/*
 * Writes the canonical form of the model's tables (the text that is hashed)
 * as one CSV with [section] markers.  Caller frees *out.
 */
egdi_status egdi_model_canonical(const egdi_model *m, char **out, size_t *len, egdi_error *err);

/*
 * Writes a copy of the model's tables to path with the weights of the
 * children of `parent` replaced by w[0..k) (k = the number of children, in
 * catalogue order), through a temporary file renamed over path.
 */
egdi_status egdi_model_write_weights(const egdi_model *m, const char *parent,
                                     const double *w, size_t k, const char *path,
                                     egdi_error *err);

/* Gives m another version (copied; changes the hash).  EGDI_ERR_ARG for an
 * empty version or one with a comma, quote or line break. */
egdi_status egdi_model_set_version(egdi_model *m, const char *version, egdi_error *err);

/*
 * egdi_model_write_weights with the weights given by child code: codes[i]
 * (compared without case) gets w[i], in any order, as a weighting method
 * derives them.  Every child of parent needs exactly one weight and every
 * code must be a child (EGDI_ERR_ARG naming the first that is not).
 */
egdi_status egdi_model_write_weights_by_code(const egdi_model *m, const char *parent,
                                             const char *const *codes, const double *w,
                                             size_t k, const char *path, egdi_error *err);

/*
 * A model someone can start from (`egdi model export`): its tables in the
 * canonical form, which egdi_model_load reads back as the same model (the
 * same hash, the same scores).  _csv: one CSV with [section] markers;
 * _dir: settings.csv, catalogue.csv and stages.csv in dir (created when
 * missing).  Each file is written whole (a temporary file renamed).  The
 * XLSX workbook is written by reports/model_xlsx.h.
 */
egdi_status egdi_model_export_csv(const egdi_model *m, const char *path, egdi_error *err);
egdi_status egdi_model_export_dir(const egdi_model *m, const char *dir, egdi_error *err);

#endif
