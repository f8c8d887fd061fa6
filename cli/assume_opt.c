/*
 * assume_opt.c - the options `egdi uncertainty` and `egdi sensitivity`
 * share (see assume_cli.h): parsed into an egdi_uncertainty_opts; the
 * weight sets' models are loaded by cli_assume_finish and freed by
 * cli_assume_release.
 */
#include "cli/assume_cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indicators/ranking.h"

const cli_option cli_assume_options[] = {
    {ASSUME_WEIGHTS, "weights", 0, "uniform:W|dirichlet:C|sets",
     "vary the weights: each times 1 +- up to W (0.2 = 20 %) and each sibling group "
     "renormalised; or each group drawn from a Dirichlet with concentration C around the "
     "model's weights; or the model's weights or one of the --weight-set models, equally likely"},
    {ASSUME_WEIGHT_SET, "weight-set", 0, "NAME|FILE",
     "an alternative weight set: a model with the same codes (e.g. the AHP weights 'egdi model "
     "weights ahp' writes); repeatable; implies --weights sets"},
    {ASSUME_NORMALISATION, "normalisation", 0, "RULES|CODE=RULES",
     "each indicator scored by a normalisation rule (goalpost, minmax, zscore, rank, target, "
     "ratio, likert) drawn among its own and RULES (comma list) that it can take; CODE=RULES for "
     "one indicator; repeatable"},
    {ASSUME_AGGREGATION, "aggregation", 0, NULL,
     "draw the aggregation: arithmetic or geometric (refused when a score is 0)"},
    {ASSUME_MISSING, "missing", 0, "POLICIES",
     "draw the missing-data policy among the model's and POLICIES (reweight, mean, median, "
     "zero; comma list)"},
    {ASSUME_DATA_ERROR, "data-error", 0, "E",
     "every raw value times 1 + E z, z standard normal (0.05 = a 5 % relative error)"},
    {ASSUME_SURVEY_SE, "survey-se", 0, NULL,
     "each indicator computed from a survey drawn from its sampling distribution, N(value, "
     "SE^2), with the SE stored with the score run (refused when the model has none)"},
    {ASSUME_SEED, "seed", 0, "N", "the seed of the random draws (default 1)"},
    {ASSUME_SAMPLER, "sampler", 0, "auto|sobol|random",
     "the draws: GSL's quasi-random Sobol sequence (up to 40 dimensions) or MT19937; auto (the "
     "default) takes Sobol when the draws fit"},
    {ASSUME_THREADS, "threads", 0, "N", "threads (default: the processors online)"},
    {ASSUME_KIND, "kind", 0, "department|region", "the units ranked (default department)"},
    {ASSUME_RANK_DIGITS, "rank-digits", 0, "N",
     "rank the scores rounded to N decimals (default: the model's)"},
    {0, NULL, 0, NULL, NULL},
};

void cli_assume_init(cli_assume *a)
{
    memset(a, 0, sizeof *a);
    egdi_uncertainty_opts_init(&a->o);
}

void cli_assume_release(cli_assume *a)
{
    for (size_t i = 0; i < a->nsets; i++)
        egdi_model_free(a->set_models[i]);
    memset(a, 0, sizeof *a);
}

/* A comma list of rule names into rules[]; false on an unknown one. */
static bool parse_rules(const char *s, egdi_uncertainty_norm *e, const char *cmd)
{
    char buf[256];
    if (strlen(s) >= sizeof buf) {
        cli_usage(cmd, "--normalisation: too long");
        return false;
    }
    strcpy(buf, s);
    e->nrules = 0;
    for (char *p = buf, *next; p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        int r = egdi_rule_parse(p);
        if (r < 0) {
            cli_usage(cmd, "--normalisation: '%s' is not a rule (goalpost, minmax, zscore, rank, "
                           "target, ratio, likert)",
                      p);
            return false;
        }
        if (e->nrules >= sizeof e->rules / sizeof e->rules[0]) {
            cli_usage(cmd, "--normalisation: at most %zu rules",
                      sizeof e->rules / sizeof e->rules[0]);
            return false;
        }
        e->rules[e->nrules++] = (egdi_rule)r;
    }
    return true;
}

static int set_weights_mode(cli_assume *a, egdi_uncertainty_weights w, const char *cmd)
{
    if (a->weights_given && a->o.weights != w)
        return cli_usage(cmd, "--weights is given twice, or together with --weight-set");
    a->weights_given = true;
    a->o.weights = w;
    return 1;
}

int cli_assume_option(cli_assume *a, int id, const char *arg, const char *cmd)
{
    egdi_uncertainty_opts *o = &a->o;
    long x;
    double v;
    switch (id) {
    case ASSUME_WEIGHTS:
        if (strncmp(arg, "uniform:", 8) == 0) {
            if (!cli_parse_double(arg + 8, &v) || !(v >= 0 && v < 1))
                return cli_usage(cmd, "--weights uniform:W takes W from 0 to below 1 (0.2 = "
                                      "+-20 %%), not '%s'",
                                 arg + 8);
            o->width = v;
            return set_weights_mode(a, EGDI_UNCERTAINTY_WEIGHTS_UNIFORM, cmd);
        }
        if (strncmp(arg, "dirichlet:", 10) == 0) {
            if (!cli_parse_double(arg + 10, &v) || !(v > 0))
                return cli_usage(cmd, "--weights dirichlet:C takes a concentration above 0, "
                                      "not '%s'",
                                 arg + 10);
            o->concentration = v;
            return set_weights_mode(a, EGDI_UNCERTAINTY_WEIGHTS_DIRICHLET, cmd);
        }
        if (strcmp(arg, "sets") == 0)
            return set_weights_mode(a, EGDI_UNCERTAINTY_WEIGHTS_SETS, cmd);
        return cli_usage(cmd, "--weights is uniform:W, dirichlet:C or sets, not '%s'", arg);
    case ASSUME_WEIGHT_SET:
        if (a->nsets >= EGDI_UNCERTAINTY_MAX_SETS)
            return cli_usage(cmd, "at most %d --weight-set", EGDI_UNCERTAINTY_MAX_SETS);
        a->set_paths[a->nsets++] = arg;
        return set_weights_mode(a, EGDI_UNCERTAINTY_WEIGHTS_SETS, cmd);
    case ASSUME_NORMALISATION: {
        if (o->nnorm >= ASSUME_MAX_NORM)
            return cli_usage(cmd, "at most %d --normalisation", ASSUME_MAX_NORM);
        egdi_uncertainty_norm *e = &a->norm[o->nnorm];
        const char *eq = strchr(arg, '=');
        e->code = NULL;
        if (eq) {
            size_t n = (size_t)(eq - arg);
            if (n == 0 || n >= sizeof a->codes[0])
                return cli_usage(cmd, "--normalisation CODE=RULES needs a code before '='");
            memcpy(a->codes[o->nnorm], arg, n);
            a->codes[o->nnorm][n] = '\0';
            e->code = a->codes[o->nnorm];
            arg = eq + 1;
        }
        for (size_t i = 0; i < o->nnorm; i++)
            if ((!e->code && !a->norm[i].code) ||
                (e->code && a->norm[i].code && strcasecmp(e->code, a->norm[i].code) == 0))
                return cli_usage(cmd, "--normalisation %s is given twice",
                                 e->code ? e->code : "RULES");
        if (!parse_rules(arg, e, cmd))
            return CLI_USAGE;
        o->nnorm++;
        o->norm = a->norm;
        return 1;
    }
    case ASSUME_AGGREGATION:
        o->aggregation = true;
        return 1;
    case ASSUME_MISSING: {
        char buf[128];
        if (strlen(arg) >= sizeof buf)
            return cli_usage(cmd, "--missing: too long");
        strcpy(buf, arg);
        o->nmissing = 0;
        for (char *p = buf, *next; p; p = next) {
            next = strchr(p, ',');
            if (next)
                *next++ = '\0';
            int found = -1;
            for (int k = EGDI_MISSING_REWEIGHT; k <= EGDI_MISSING_ZERO; k++)
                if (strcasecmp(p, egdi_missing_name((egdi_missing)k)) == 0)
                    found = k;
            if (found < 0)
                return cli_usage(cmd, "--missing: '%s' is not a policy (reweight, mean, median, "
                                      "zero)",
                                 p);
            if (o->nmissing >= 4)
                return cli_usage(cmd, "--missing: at most 4 policies");
            o->missing[o->nmissing++] = (egdi_missing)found;
        }
        return 1;
    }
    case ASSUME_DATA_ERROR:
        if (!cli_parse_double(arg, &v) || !(v > 0 && v <= 1))
            return cli_usage(cmd, "--data-error takes a relative error above 0 and at most 1 "
                                  "(0.05 = 5 %%), not '%s'",
                             arg);
        o->data_error = v;
        return 1;
    case ASSUME_SURVEY_SE:
        o->survey_se = true;
        return 1;
    case ASSUME_SEED:
        if (!cli_parse_long(arg, 0, 4294967295L, &x))
            return cli_usage(cmd, "--seed takes 0 to 4294967295, not '%s'", arg);
        o->seed = (uint64_t)x;
        return 1;
    case ASSUME_SAMPLER:
        if (strcmp(arg, "auto") == 0)
            o->sampler = EGDI_UNCERTAINTY_AUTO;
        else if (strcmp(arg, "sobol") == 0)
            o->sampler = EGDI_UNCERTAINTY_SOBOL;
        else if (strcmp(arg, "random") == 0)
            o->sampler = EGDI_UNCERTAINTY_RANDOM;
        else
            return cli_usage(cmd, "--sampler is auto, sobol or random, not '%s'", arg);
        return 1;
    case ASSUME_THREADS:
        if (!cli_parse_long(arg, 1, 64, &x))
            return cli_usage(cmd, "--threads takes 1 to 64, not '%s'", arg);
        o->threads = (unsigned)x;
        return 1;
    case ASSUME_KIND:
        if (strcmp(arg, "department") == 0)
            o->kind = EGDI_UNIT_DEPARTMENT;
        else if (strcmp(arg, "region") == 0)
            o->kind = EGDI_UNIT_REGION;
        else
            return cli_usage(cmd, "--kind is department or region, not '%s'", arg);
        return 1;
    case ASSUME_RANK_DIGITS:
        if (!cli_parse_long(arg, 0, 15, &x))
            return cli_usage(cmd, "--rank-digits takes 0 to 15, not '%s'", arg);
        o->digits = (int)x;
        return 1;
    default:
        return 0;
    }
}

int cli_assume_finish(cli_assume *a, const char *cmd)
{
    if (a->o.weights == EGDI_UNCERTAINTY_WEIGHTS_SETS && a->nsets == 0)
        return cli_usage(cmd, "--weights sets needs at least one --weight-set");
    for (size_t i = 0; i < a->nsets; i++) {
        egdi_error err;
        egdi_error_clear(&err);
        egdi_model_problems probs;
        egdi_status st = egdi_model_load(&a->set_models[i], a->set_paths[i], &probs, &err);
        egdi_model_problems_release(&probs);
        if (st) {
            for (size_t k = i; k < a->nsets; k++)
                a->set_models[k] = NULL;
            a->nsets = i;
            return cli_report(cmd, &err);
        }
        a->sets[i].name = a->set_paths[i];
        a->sets[i].model = a->set_models[i];
    }
    a->o.nsets = a->nsets;
    a->o.sets = a->sets;
    return CLI_OK;
}
