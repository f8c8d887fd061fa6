/*
 * Unit tests for indicators/model_import.c: the catalogue an import checks
 * against, from the built-in models - a percentage 0-100, a Likert mean on
 * its scale with the word 分, a yes/no answer, counts with their Chinese
 * unit words, sub-indices 0-100, the UN's indices 0-1 from the unit's range
 * - and a region weight that is no node; the default model of a store (the
 * built-in one until something was scored).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "indicators/model.h"
#include "indicators/model_import.h"

static const egdi_import_indicator *find(const egdi_import_catalogue *c, const char *code)
{
    long i = egdi_import_catalogue_find(c, code);
    assert_true(i >= 0);
    return &c->v[i];
}

static egdi_import_catalogue of(const char *model)
{
    egdi_model *m = NULL;
    egdi_error err;
    assert_int_equal(egdi_model_load(&m, model, NULL, &err), EGDI_OK);
    egdi_import_catalogue c;
    assert_int_equal(egdi_model_import_catalogue(m, &c, &err), EGDI_OK);
    egdi_model_free(m); /* the catalogue keeps its own copies */
    return c;
}

static void jiangsu(void **state)
{
    (void)state;
    egdi_import_catalogue c = of("jiangsu");
    assert_string_equal(c.model, "model jiangsu 2024.1");
    assert_int_equal(c.n, 24);
    const egdi_import_indicator *d = find(&c, "CBII1");
    assert_int_equal(d->value, EGDI_IMPORT_PERCENT);
    assert_true(d->lo == 0 && d->hi == 100);
    assert_string_equal(d->name_zh, "核心业务信息化覆盖率");
    assert_int_equal(d->applies, EGDI_IMPORT_DEPARTMENT | EGDI_IMPORT_REGION);
    assert_int_equal(find(&c, "CBII5")->applies, EGDI_IMPORT_REGION);
    d = find(&c, "GIRI6");
    assert_int_equal(d->value, EGDI_IMPORT_SCALE);
    assert_true(d->lo == 1 && d->hi == 5);
    assert_string_equal(d->words, "分|points");
    d = find(&c, "GSI2");
    assert_int_equal(d->value, EGDI_IMPORT_YESNO);
    d = find(&c, "GIRI3");
    assert_int_equal(d->value, EGDI_IMPORT_COUNT);
    assert_true(d->lo == 0 && isinf(d->hi));
    assert_non_null(strstr(d->words, "个"));
    assert_non_null(strstr(find(&c, "GSI4")->words, "人"));
    assert_non_null(strstr(find(&c, "GSI11")->words, "台/人"));
    d = find(&c, "CBII"); /* a sub-index */
    assert_int_equal(d->value, EGDI_IMPORT_NUMBER);
    assert_true(d->lo == 0 && d->hi == 100);
    egdi_import_catalogue_release(&c);
}

static void un_egdi(void **state)
{
    (void)state;
    egdi_import_catalogue c = of("un-egdi");
    const egdi_import_indicator *d = find(&c, "OSI");
    assert_int_equal(d->value, EGDI_IMPORT_NUMBER);
    assert_true(d->lo == 0 && d->hi == 1); /* "index 0-1" */
    egdi_import_catalogue_release(&c);
}

static void region_weight_is_known(void **state)
{
    (void)state;
    const char *text = "[settings]\nkey,value\nname,w\nversion,1\nregion_method,weighted:POP\n"
                       "[catalogue]\ncode,parent,name_zh,name_en,weight,unit,direction,applies,"
                       "rule,min,max\nT,,总,total,,index,higher,both,,,\n"
                       "A,T,甲,a,1,%,higher,both,goalpost,0,100\n"
                       "[stages]\ncode,name_zh,name_en,lower,upper\nlow,低,low,,50\n"
                       "high,高,high,50,\n";
    egdi_model *m = NULL;
    egdi_error err;
    assert_int_equal(egdi_model_load_mem(&m, text, strlen(text), "w.csv", NULL, &err), EGDI_OK);
    egdi_import_catalogue c;
    assert_int_equal(egdi_model_import_catalogue(m, &c, &err), EGDI_OK);
    assert_int_equal(c.n, 3);
    const egdi_import_indicator *d = find(&c, "POP");
    assert_true(d->lo == 0 && isinf(d->hi));
    egdi_import_catalogue_release(&c);
    egdi_model_free(m);
}

static void default_model_of_a_store(void **state)
{
    (void)state;
    egdi_store *s = NULL;
    egdi_error err;
    assert_int_equal(egdi_store_open(&s, ":memory:", EGDI_STORE_CREATE, &err), EGDI_OK);
    egdi_model *m = NULL;
    const char *why = NULL;
    assert_int_equal(egdi_model_import_default(s, &m, &why, &err), EGDI_OK);
    assert_string_equal(m->name, EGDI_MODEL_DEFAULT);
    assert_string_equal(why, "the built-in default");
    egdi_model_free(m);
    egdi_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jiangsu),
        cmocka_unit_test(un_egdi),
        cmocka_unit_test(region_weight_is_known),
        cmocka_unit_test(default_model_of_a_store),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
