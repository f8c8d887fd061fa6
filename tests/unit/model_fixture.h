/*
 * model_fixture.h - helpers for the tests/unit/test_model_*.c programs:
 * a model from CSV text (one table with [section] markers) and a scoring
 * run over a small matrix.  Header-only; each test program includes it.
 */
#ifndef MODEL_FIXTURE_H
#define MODEL_FIXTURE_H

#include <math.h>
#include <string.h>

#include "indicators/model.h"
#include "indicators/score.h"

/* The settings every small test model starts from; callers append rows. */
#define TEST_SETTINGS "[settings]\nkey,value\nname,t\nversion,1\n"
#define TEST_STAGES                                                                               \
    "[stages]\ncode,name_zh,name_en,lower,upper\n"                                                \
    "preparation,准备发展阶段,preparation,,30\ninitial,起步发展阶段,initial,30,60\n"              \
    "supporting,支撑发展阶段,supporting,60,75\ndeepening,深度发展阶段,deepening,75,90\n"          \
    "integration,融合发展阶段,integration,90,\n"
#define TEST_CAT_HEADER                                                                           \
    "[catalogue]\ncode,parent,name_zh,name_en,weight,unit,direction,applies,rule,min,max,target," \
    "tolerance,steps,scale_min,scale_max\n"

/* |a - b| <= eps (NaN equals NaN), printing both at full precision. */
static inline void test_near(double a, double b, double eps, const char *expr, const char *file,
                             int line)
{
    if ((isnan(a) && isnan(b)) || fabs(a - b) <= eps)
        return;
    print_error("%s = %.17g, expected %.17g (tolerance %g)\n", expr, a, b, eps);
    _fail(file, line);
}
#define assert_near(a, b, eps) test_near((a), (b), (eps), #a, __FILE__, __LINE__)

static inline egdi_model *test_model(const char *text)
{
    egdi_model *m = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_model_load_mem(&m, text, strlen(text), "test.csv", NULL, &err);
    if (st) {
        fprintf(stderr, "test model: %s\n", err.message);
        return NULL;
    }
    return m;
}

#endif
