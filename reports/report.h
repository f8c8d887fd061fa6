/*
 * report.h - the yearly report: report.xlsx, charts/ (gnuplot PNG + SVG) and
 * report.html, written from one plain data structure the caller fills.
 *
 * Data structure: egdi_report_data holds everything a report shows, as flat
 * arrays of small structs (units, regions, stage bands, indicator rows, trend
 * series, method facts, optional survey tables).  Nothing in it is owned by
 * the report library: every pointer is borrowed for the duration of the call
 * that reads it, and the library copies nothing it keeps.  The caller (the
 * `egdi report` and `egdi demo` commands) builds it from the store and the
 * scoring results, and frees it however it allocated it.
 *
 * Conventions:
 *   - text is UTF-8; NULL text is shown as empty;
 *   - a missing number is NAN (isnan); a missing rank is 0; a missing stage
 *     is -1 (otherwise an index into data->stages);
 *   - every text that comes from data is treated as data: it is HTML-escaped
 *     in the page, written as a string cell (never a formula) in the
 *     workbook, and reaches gnuplot only through data files.
 *
 * Filling it (what `egdi report` does):
 *
 *     egdi_report_stage bands[5];
 *     egdi_report_data d = {0};
 *     d.round = 2024; d.prev_round = 2023; d.lang = EGDI_REPORT_ZH;
 *     d.nsub = 3; d.sub_codes[0] = "CBII"; d.sub_codes[1] = "GIRI";
 *     d.sub_codes[2] = "GSI";
 *     d.nstages = egdi_report_default_stages(bands); d.stages = bands;
 *     d.units = units; d.nunits = n;          (rank order, unranked last)
 *     d.regions = regions; d.nregions = nr;   (rank order)
 *     ... indicators, series (one per region), method, survey (or NULL)
 *     egdi_report_result res;
 *     if (egdi_report_write(&d, dir, NULL, &res, &err)) -> cli_report
 *     for k in EGDI_CHART_COUNT: if res.charts[k].state == EGDI_CHART_SKIPPED
 *         tell the user egdi_chart_name(k) and res.charts[k].reason
 *
 * Output (egdi_report_write): DIR/report.xlsx, DIR/report.html and
 * DIR/charts/NAME.png + NAME.svg; with many units (data->csv_cells) also
 * DIR/indicators.csv, matrix.csv and sources.csv.  Everything is first written into a
 * staging directory inside DIR and renamed into place when all of it is
 * complete, so a failure leaves the previous report (if any) untouched and
 * no partial file behind.
 */
#ifndef EGDI_REPORT_H
#define EGDI_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "engine/core/error.h"
#include "engine/core/progress.h"

#define EGDI_REPORT_MAX_SUB    8   /* sub-indices per unit (CBII, GIRI, GSI) */
#define EGDI_REPORT_MAX_STAGES 16  /* stage bands */
#define EGDI_REPORT_MAX_ROWS   1000000 /* units, regions, series, table rows */
/* indicator rows: one per stored value of a unit, so as many as one import
 * may store (EGDI_MAX_OBSERVATIONS of engine/import/metrics.c); 50,000
 * units x 30 indicators are 1.5 million (issue 20) */
#define EGDI_REPORT_MAX_INDICATOR_ROWS 50000000
#define EGDI_REPORT_MOVERS     3   /* movers up and down */

typedef enum { EGDI_REPORT_ZH = 0, EGDI_REPORT_EN } egdi_report_lang;

/* One development stage: EGDI in [lower, upper) falls in it. */
typedef struct {
    const char *code;    /* "preparation", "S1", ... */
    const char *name_zh; /* "准备发展阶段" */
    const char *name_en; /* "preparation" */
    double lower, upper; /* upper may be INFINITY or 100 */
    uint32_t colour;     /* 0xRRGGBB; used for rows, bars and legend */
} egdi_report_stage;

/* One ranked unit (a department or a region). */
typedef struct {
    uint32_t rank;       /* 1-based; 0 = not ranked */
    const char *code;
    const char *name;    /* in the report language */
    const char *region;  /* the parent region's name; NULL for a region */
    const char *region_code; /* the parent region's code (names need not be
                                unique); NULL = not known: matched by name */
    const char *kind;    /* "department", "region", ... */
    double index;        /* the overall index (EGDI); NAN = missing */
    double sub[EGDI_REPORT_MAX_SUB]; /* sub-indices, in data->sub_codes order */
    int stage;           /* index into data->stages; -1 = none */
    uint32_t prev_rank;  /* 0 = no previous round or not ranked then */
    int prev_stage;      /* -1 = none */
    bool rankable;       /* false: listed, but missing data kept it unranked */
    /* (issue 17) what the overview, the heat table and the scorecards show */
    double coverage;     /* 0..1, share of the weights with data; NAN = unknown */
    const char *reason;  /* why it is not rankable ("coverage 62% < 70%; no
                            value: GIRI6"); NULL when rankable or unknown */
    double prev_index;   /* the index in the compared round; shown only when
                            prev_rank != 0 */
    double prev_sub[EGDI_REPORT_MAX_SUB]; /* the same for the sub-indices */
    /* from the round's stored uncertainty run (read only when
     * data->uncertainty is set; NAN / false for a unit it has not) */
    double rank_lo, rank_hi; /* the 5 %-95 % interval of its rank over the draws */
    double p_stage;      /* P(the stage it was given) */
    bool stage_uncertain; /* p_stage below 0.8 */
} egdi_report_unit;

/* The Monte Carlo behind the units' intervals (`egdi uncertainty`). */
typedef struct {
    int64_t run_id;
    const char *varied;  /* what was varied, one line */
    const char *sampler; /* "sobol" or "random" */
    uint64_t seed;
    size_t draws;
    double sure;         /* P(assigned stage) below this is "stage uncertain" */
} egdi_report_uncertainty;

/* A unit whose rank moved most since the compared round, and why. */
typedef struct {
    const char *code;
    const char *name;
    uint32_t prev_rank, rank;
    double prev_index, index; /* the EGDI in both rounds */
    const char *reasons; /* the largest parts of its change ("GSI6 +1.35, model -0.20") */
} egdi_report_mover;

/* One indicator value of one unit, with where it came from. */
typedef struct {
    const char *unit_code;
    const char *unit_name;      /* may be NULL */
    const char *indicator_code; /* "CBII.1" */
    const char *indicator_name;
    double raw;                 /* NAN when raw_text is set or missing */
    const char *raw_text;       /* a non-numeric raw value ("yes"); NULL */
    double score;               /* 0..100; NAN = missing */
    const char *source;         /* "metrics.xlsx!2024!C5"; NULL = unknown */
    /* (issue 17, the scorecards) */
    double prev_score;          /* the score in the compared round (its stored
                                   run, the indicator matched by code); NAN =
                                   none; read only when data->prev_round */
    double weight;              /* its effective weight in this unit's index
                                   (egdi_change_weights: after re-weighting; a
                                   region's own part); NAN or 0 = unknown (the
                                   scorecards then take method.weights) */
} egdi_report_indicator;

/* A trend line: the index of one unit or region across rounds. */
typedef struct {
    int round;
    double value;
} egdi_report_point;

typedef struct {
    const char *code;
    const char *name;
    size_t npoints;
    const egdi_report_point *points; /* in round order */
} egdi_report_series;

/* One weight of the model, as stated and as it acts on the overall index. */
typedef struct {
    const char *code;      /* "CBII" or "CBII.1" */
    const char *name;
    const char *parent;    /* "" or NULL at the top */
    double weight;         /* within its parent */
    double effective;      /* product of weights down from the top; NAN = n/a */
} egdi_report_weight;

/* An input file the scores depend on. */
typedef struct {
    const char *name;   /* "data/metrics-2024.xlsx": relative to the store's
                           folder when inside it, else the base name */
    const char *sha256; /* hex */
    int round;          /* the round it feeds; 0 = every round (the units) */
} egdi_report_input;

typedef struct {
    const char *model_name;
    const char *model_version;
    const char *model_hash;
    const char *program_version;
    const char *aggregation; /* how a region combines its departments; text */
    size_t nweights;
    const egdi_report_weight *weights;
    size_t ninputs;
    const egdi_report_input *inputs;
    size_t nnotes;           /* what the reader must know of the data: the scores
                                are stale, an indicator has no value for more
                                than half the units (egdi_score_warnings) */
    const char *const *notes;
} egdi_report_method;

/* A ready-made table: a cell is text when text != NULL, else a number
 * (NAN = empty), shown with the table's decimals, or with none when whole
 * (a count: items, n, df).  A number may carry a mark ("***", "*": the
 * table's note says what it means): the page and the report's workbook
 * show it after the number ("0.366***"); the paper tables' CSV, JSON and
 * XLSX keep the number a number and put the marks in a column of their
 * own after it (egdi_paper_write). */
typedef struct {
    const char *text;
    double num;
    bool whole;
    const char *mark;  /* NULL or "" = none; static or kept by the owner */
} egdi_report_cell;

typedef struct {
    const char *title;
    size_t ncols, nrows;
    const char *const *headers;    /* ncols */
    const egdi_report_cell *cells; /* nrows * ncols, row-major */
    int decimals;                  /* digits shown for numbers; 0..10 */
    /* (issue 17, the paper tables) */
    const char *note;              /* shown under the table; NULL = none */
    int pcol;                      /* 1-based column holding p values (the
                                      paper tables add a significance column
                                      after it); 0 = none */
} egdi_report_table;

/* Survey results, already computed by surveys/: tables for the Survey sheet
 * and the page, the eigenvalues (with the parallel-analysis line, which may
 * be NULL) for the scree plot, and a loading matrix for the heat map. */
typedef struct {
    const char *name;             /* survey name */
    size_t ntables;
    const egdi_report_table *tables;
    size_t neigen;
    const double *eigen;          /* neigen */
    const double *parallel;       /* neigen or NULL */
    size_t nitems, nfactors;
    const char *const *items;     /* nitems */
    const char *const *factors;   /* nfactors */
    const double *loadings;       /* nitems * nfactors, row-major */
    /* (issue 17, the paper tables) tables not produced, each one line
     * naming the option that produces it ("Group tests: give --group
     * COLUMN ..."); egdi_paper_write lists them */
    size_t nomitted;
    const char *const *omitted;
} egdi_report_survey;

typedef struct {
    int round;               /* the year reported */
    int prev_round;          /* the year compared with; 0 = none */
    egdi_report_lang lang;
    const char *title;       /* NULL = a default title in lang */
    const char *index_code;  /* NULL = "EGDI" */
    size_t nsub;             /* <= EGDI_REPORT_MAX_SUB */
    const char *sub_codes[EGDI_REPORT_MAX_SUB]; /* "CBII", "GIRI", "GSI" */

    size_t nstages;          /* <= EGDI_REPORT_MAX_STAGES */
    const egdi_report_stage *stages; /* in ascending order of lower; when the
                                        compared round's model had stage codes
                                        this round's has not, they follow */
    /* The compared round's own stage bands when its run used another stage
     * table than this round's (units' prev_stage still index stages[],
     * matched by code); 0 / NULL when both rounds used the same bands. */
    size_t nprev_stages;     /* <= EGDI_REPORT_MAX_STAGES */
    const egdi_report_stage *prev_stages;

    size_t nunits;
    const egdi_report_unit *units;     /* the ranking, in rank order */
    size_t nregions;
    const egdi_report_unit *regions;   /* the region ranking; may be 0 */
    size_t nindicators;
    const egdi_report_indicator *indicators;
    size_t nseries;
    const egdi_report_series *series;  /* trend lines, e.g. one per region */

    egdi_report_method method;
    const egdi_report_survey *survey;  /* NULL = no survey this round */

    const egdi_report_uncertainty *uncertainty; /* NULL = no uncertainty run */
    size_t nup, ndown;                 /* the biggest movers up and down, largest first */
    const egdi_report_mover *up, *down;

    /* (issue 20) How many units, from the top of the ranking, the page's
     * tables that cannot sensibly hold every unit list (the units x
     * indicators heat table, units near a stage boundary, units not
     * ranked); each says how many it leaves out and where they all are
     * (report.xlsx).  The full ranking and the workbook hold every unit.
     * 0 = 1,000. */
    size_t top_units;
    /* (issue 20) More unit x indicator values than this (rows of the
     * units x indicators table times its indicators): the tables Indicators,
     * Matrix and Sources are written as CSV files beside the workbook
     * (indicators.csv, matrix.csv, sources.csv: a UTF-8 BOM, the sheet's
     * header row, every row), their sheets list the top top_units units
     * under a note naming the file, and the page's heat table names the
     * files.  0 = EGDI_REPORT_CSV_CELLS. */
    size_t csv_cells;
} egdi_report_data;

/* 10,000 units x 30 indicators: about what one still scrolls and filters
 * in a worksheet; beyond it the wide sheets were most of the workbook's
 * size and of the report's time (50,000 x 30: 144 MB of sheet XML). */
#define EGDI_REPORT_CSV_CELLS 300000
#define EGDI_REPORT_CSV_FILES 3

/* ---- helpers for callers -------------------------------------------- */

/*
 * Fills out[0..4] with the five stages of the provincial pilot model
 * (preparation < 30 <= initial < 60 <= supporting < 75 <= deepening < 90 <=
 * integration) and their report colours; returns 5.  The strings are static.
 */
size_t egdi_report_default_stages(egdi_report_stage out[5]);

/*
 * A colour for stage i of n (stages in ascending order): a red - yellow -
 * green ramp through the five default colours, so n = 5 gives exactly
 * those.  For models whose stage tables carry no colours (the UN model).
 */
uint32_t egdi_report_stage_colour(size_t i, size_t n);

/* The stage name in the report language (falls back to code); never NULL. */
const char *egdi_report_stage_name(const egdi_report_data *d, int stage);

/* Is unit u (a department) in region reg?  By the region's code when u has
 * region_code, else by name (the region's name, or its code when it has
 * none), as data built by hand gives it. */
bool egdi_report_in_region(const egdi_report_unit *u, const egdi_report_unit *reg);

/*
 * Counts units per stage with the ranking module's tally
 * (indicators/ranking.h): counts[s] for s < d->nstages, counts[nstages] =
 * units without a stage; prev (may be NULL) the same by previous stage;
 * trans (may be NULL) the transition matrix (nstages x nstages, row =
 * previous stage, column = current) of the units that have both.  counts
 * and prev need nstages + 1 entries.
 */
void egdi_report_stage_counts(const egdi_report_data *d, const egdi_report_unit *units,
                              size_t nunits, size_t *counts, size_t *prev, size_t *trans);

/*
 * Checks that d is consistent (stage indices in range, counts under the
 * caps, nsub within bounds, survey arrays present when counted).
 * EGDI_ERR_ARG with a message saying what is wrong.
 */
egdi_status egdi_report_check(const egdi_report_data *d, egdi_error *err);

/* ---- charts (charts.c) ---------------------------------------------- */

typedef enum {
    EGDI_CHART_RANKING = 0, /* units: bars coloured by stage, stage bounds */
    EGDI_CHART_REGIONS,     /* regions: the same */
    EGDI_CHART_STAGES,      /* units per stage (and previous round) */
    EGDI_CHART_RADAR,       /* sub-indices per region */
    EGDI_CHART_TREND,       /* index across rounds per series */
    EGDI_CHART_SCREE,       /* eigenvalues and the parallel-analysis line */
    EGDI_CHART_LOADINGS,    /* loading heat map */
    EGDI_CHART_INTERVALS,   /* units: rank and its 5 %-95 % interval (dot and whisker) */
    EGDI_CHART_COUNT
} egdi_chart_kind;

typedef enum {
    EGDI_CHART_WRITTEN = 0, /* NAME.png and NAME.svg are there */
    EGDI_CHART_SKIPPED,     /* could not be drawn (no gnuplot); reason says why */
    EGDI_CHART_EMPTY,       /* nothing to draw (no survey, no regions...) */
    EGDI_CHART_NONE         /* not attempted */
} egdi_chart_state;

typedef struct {
    egdi_chart_state state;
    char reason[160];       /* "skipped: gnuplot not found", "no survey" */
} egdi_chart_result;

/* The file stem of a chart ("ranking", "stages", ...); never NULL. */
const char *egdi_chart_name(egdi_chart_kind k);

/* The most lines the radar and trend charts draw: the palette's distinct
 * styles (colour, dash and marker).  More regions than that: the top of
 * the region ranking is drawn and the rest named under the chart. */
#define EGDI_CHART_MAX_SERIES 20

/*
 * What chart k (EGDI_CHART_RADAR or EGDI_CHART_TREND) draws, in order:
 * idx[0..return) index d->regions (radar: regions with every sub-index, in
 * rank order) or d->series (trend: the regions' series in the regions'
 * rank order, or every series when there are no regions).  *rest (may be
 * NULL) = how many are left out (beyond the top, or without data); the
 * chart's foot and the page name them.  0 for other charts.
 */
size_t egdi_chart_series(const egdi_report_data *d, egdi_chart_kind k,
                         size_t idx[EGDI_CHART_MAX_SERIES], size_t *rest);

/* The most bars a ranking chart shows (the top of the ranking). */
#define EGDI_CHART_MAX_BARS 50

/*
 * Draws chart k from d into DIR/NAME.png and DIR/NAME.svg with gnuplot
 * (run by fork/execvp, no shell, script file as its argument; data through
 * data files only).  gnuplot is the program to run (NULL = "gnuplot" on
 * PATH).  When gnuplot cannot be found, returns EGDI_OK with res->state =
 * EGDI_CHART_SKIPPED and reason "skipped: gnuplot not found"; when the data
 * have nothing to draw for k, EGDI_OK with EGDI_CHART_EMPTY and the reason.
 * When gnuplot fails, returns EGDI_ERR_IO with its exit status and stderr
 * in the message.  Scratch files (script, data) are removed.
 */
egdi_status egdi_chart_draw(const egdi_report_data *d, egdi_chart_kind k, const char *dir,
                            const char *gnuplot, egdi_chart_result *res, egdi_error *err);

/* ---- workbook (xlsx_report.c) --------------------------------------- */

/*
 * Writes the workbook to path (written directly: egdi_report_write wraps it
 * in a temporary name).  Sheets Ranking, Regions, Movers (when d has
 * movers), Stages, Indicators (units x indicators: raw values), Survey
 * (when d->survey), Method, Matrix (units x indicators: scores), Flags,
 * Sources (where each value came from), and native charts
 * (docs/report.md).  More than 5,000 units and regions are written row by
 * row in constant memory, with temporary files in path's directory.  More
 * unit x indicator values than d->csv_cells: Indicators, Matrix and Sources
 * are also written in full as indicators.csv, matrix.csv and sources.csv
 * in path's directory, their sheets holding the top of the ranking.  Every
 * text from d is a string cell.  EGDI_ERR_IO naming path when it cannot be
 * written.
 */
egdi_status egdi_report_xlsx(const egdi_report_data *d, const char *path, egdi_error *err);

/* ---- page (html_report.c) ------------------------------------------- */

/*
 * Writes the self-contained page to out.  svg[k] is the text of chart k's
 * SVG (NULL when not drawn: then a simple SVG is drawn by hand for the
 * ranking and stages charts, and the others are replaced by a note of
 * skipped[k] when that is not NULL, or left out when it is).  Checks every write; EGDI_ERR_IO on a failed
 * write (the caller closes out and checks fclose).
 */
egdi_status egdi_report_html(const egdi_report_data *d, const char *const svg[EGDI_CHART_COUNT],
                             const char *const skipped[EGDI_CHART_COUNT], FILE *out,
                             egdi_error *err);

/* ---- everything (report.c) ------------------------------------------ */

typedef struct {
    const char *gnuplot; /* program to run; NULL = "gnuplot" on PATH */
    bool no_charts;      /* skip gnuplot altogether */
    const egdi_progress *progress; /* told the rows written: charts, the workbook's
                                      rows as they begin, page, published
                                      (report.c); borrowed, NULL = none */
} egdi_report_options;

typedef struct {
    egdi_chart_result charts[EGDI_CHART_COUNT];
    /* the CSV files written beside report.xlsx (data->csv_cells), in
     * order; static names; ncsv = 0 below the threshold */
    size_t ncsv;
    const char *csv[EGDI_REPORT_CSV_FILES];
} egdi_report_result;

/*
 * Writes DIR/report.xlsx, DIR/report.html and DIR/charts/ from d, and
 * DIR/indicators.csv, matrix.csv and sources.csv when the round has more
 * unit x indicator values than d->csv_cells (res->csv names them; below
 * it, those of an earlier report are removed).  DIR must exist.  Everything goes to a staging directory DIR/.egdi-report-XXXXXX
 * first and is renamed into place when complete; on failure the staging
 * directory is removed and whatever was in DIR before is left as it was.
 * Charts that could not be drawn (gnuplot missing, nothing to draw) are
 * reported in res->charts[k] and do not fail the report; a chart whose
 * gnuplot run fails does.  opt and res may be NULL.
 */
egdi_status egdi_report_write(const egdi_report_data *d, const char *dir,
                              const egdi_report_options *opt, egdi_report_result *res,
                              egdi_error *err);

/* ---- the paper tables (paper.c) --------------------------------------- */

/*
 * Writes every table of sv for a thesis into dir (created when missing):
 * tables.html (three-line tables, 三线表, numbered, notes below),
 * tables.xlsx (one titled sheet per table), csv/tNN.csv (UTF-8 with a BOM,
 * one table each, header row then rows) and json/tNN.json.  A table's p
 * column (pcol) is followed by a significance column; p stays a number.
 */
egdi_status egdi_paper_write(const egdi_report_survey *sv, egdi_report_lang lang, const char *dir,
                             egdi_error *err);

/* ---- scorecards (scorecard.c) ---------------------------------------- */

typedef struct {
    size_t units;        /* department scorecards written */
    size_t regions;      /* region scorecards written */
} egdi_scorecard_result;

/*
 * Writes DIR/scorecards/: one page per department and one per region
 * (CODE.html, printable on one A4 sheet: index, stage, rank among its kind
 * (and its interval when set), the compared round's values and the change
 * for the index, each sub-index and each indicator, each against the
 * median and best of the rankable units of its kind, the three indicators
 * where a point of improvement moves the index most (the unit's effective
 * weight x room to 100), the data coverage; a region's page also counts
 * its departments by stage), index.html linking them, and scorecards.xlsx
 * with an Index sheet (departments), a Regions sheet and one sheet per
 * unit.  Written into a staging directory and renamed into place when
 * complete (an earlier DIR/scorecards is replaced).  progress (may be NULL)
 * is told the pages and sheets written, of two per unit and region and
 * two more (the index, publishing).  res may be NULL.
 */
egdi_status egdi_scorecard_write(const egdi_report_data *d, const char *dir,
                                 const egdi_progress *progress, egdi_scorecard_result *res,
                                 egdi_error *err);

#endif
