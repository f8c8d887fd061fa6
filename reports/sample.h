/*
 * sample.h - the built-in demonstration data: one province, 13 cities with
 * about 40 departments each, indicator values for two rounds and a
 * civil-servant questionnaire, generated deterministically (fixed seed) and
 * written as the spreadsheets an evaluator would receive, so `egdi demo`
 * can take them through the real import path.
 *
 * Values come from a latent development level per unit (city level plus
 * department noise; the second round improves on the first), mapped to each
 * leaf indicator of the model according to its scoring rule, so the same
 * generator fits an edited catalogue.  About 1 % of the values are left
 * empty, as in real returns.
 *
 * The questionnaire has 18 five-point items in the three dimensions of the
 * pilot questionnaire (网站信息质量 website information quality Q1-Q5, 互动
 * interaction Q6-Q10, 支撑体系 support system Q11-Q15) and user
 * satisfaction (满意度 Q16-Q18, which the model's GIRI6 takes per
 * department); Q5 and Q12 are negatively worded (reverse-keyed).  Each
 * respondent works in one of 15 departments of four cities (columns 部门,
 * its name, and 城市): nine have 30 or more respondents, six fewer.  The
 * second round's metrics leave a survey leaf empty (it comes from the
 * questionnaire); the first round has the value an office averaged by hand.
 */
#ifndef EGDI_SAMPLE_H
#define EGDI_SAMPLE_H

#include <stddef.h>

#include "engine/core/error.h"
#include "indicators/model.h"

#define EGDI_SAMPLE_PATH_MAX 4096

typedef struct {
    unsigned long seed;     /* default 20241 */
    int round1, round2;     /* default 2023, 2024 */
    size_t depts_per_city;  /* default 40 */
    size_t respondents;     /* default 500 */
} egdi_sample_opts;

typedef struct {
    char units[EGDI_SAMPLE_PATH_MAX];      /* units.xlsx */
    char metrics[2][EGDI_SAMPLE_PATH_MAX]; /* metrics_<round>.xlsx */
    char survey[EGDI_SAMPLE_PATH_MAX];     /* survey.xlsx */
    char labels[EGDI_SAMPLE_PATH_MAX];     /* labels.csv */
    char scales[EGDI_SAMPLE_PATH_MAX];     /* scales.csv */
    size_t nunits, ndepartments, nregions;
} egdi_sample_files;

void egdi_sample_opts_init(egdi_sample_opts *o);

/* The paths egdi_sample_write writes in dir (nothing written; the counts
 * are 0): for a caller that checks them first. */
egdi_status egdi_sample_paths(const char *dir, const egdi_sample_opts *o, egdi_sample_files *out,
                              egdi_error *err);

/* Writes the sample into the existing directory dir. */
egdi_status egdi_sample_write(const char *dir, const egdi_model *m, const egdi_sample_opts *o,
                              egdi_sample_files *out, egdi_error *err);

/* The survey's scales (dimensions), in the order of scales.csv. */
#define EGDI_SAMPLE_SCALES 4
extern const char *const egdi_sample_scale_names[EGDI_SAMPLE_SCALES];

#endif
