/*
 * Unit tests for engine/import/header.c: headings normalised (full-width,
 * case, spaces, line breaks, brackets), matched to fields and indicators
 * by heading, code, Chinese and English name, a bracketed note or a code
 * and name run together; an ambiguous heading names both; a near miss
 * gets a suggestion within the edit-distance limits and nothing farther;
 * code-like headings; comma lists.  And engine/import/catalogue.c: copies,
 * look-up by code, what an indicator takes in words.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "engine/import/header.h"

static const egdi_heading_field fields[] = {
    {"code", "code|单位代码|代码", true},
    {"name", "name|单位名称", true},
    {"row number", "序号", false},
};

static void catalogue(egdi_import_catalogue *c)
{
    egdi_error err;
    assert_int_equal(egdi_import_catalogue_init(c, "model test 1", &err), EGDI_OK);
    egdi_import_indicator a = {"GIRI5", "数据及时性与准确性", "data timeliness and accuracy",
                               "%", EGDI_IMPORT_PERCENT, 0, 100, NULL, 3};
    egdi_import_indicator b = {"GIRI6", "用户满意度（问卷均值）", "user satisfaction", "Likert 1-5",
                               EGDI_IMPORT_SCALE, 1, 5, "分|points", 3};
    egdi_import_indicator c2 = {"GSI3", "信息化经费占比", "IT budget share", "%",
                                EGDI_IMPORT_PERCENT, 0, 100, NULL, 3};
    egdi_import_indicator d = {"GIRI3", "开放数据集数量", NULL, "datasets", EGDI_IMPORT_COUNT,
                               0, INFINITY, "个|项", 3};
    assert_int_equal(egdi_import_catalogue_add(c, &a, &err), EGDI_OK);
    assert_int_equal(egdi_import_catalogue_add(c, &b, &err), EGDI_OK);
    assert_int_equal(egdi_import_catalogue_add(c, &c2, &err), EGDI_OK);
    assert_int_equal(egdi_import_catalogue_add(c, &d, &err), EGDI_OK);
}

static void normalise(void **state)
{
    (void)state;
    char out[EGDI_HEADING_MAX + 1];
    struct {
        const char *in, *want;
    } cases[] = {
        {"  GIRI5 ", "giri5"},
        {"ＧＩＲＩ５", "giri5"},                      /* full-width */
        {"单位\n名称", "单位名称"},                     /* a line break in the cell */
        {"单 位 名 称：", "单位名称"},                  /* padded, a full-width colon */
        {"unit_code", "unitcode"},
        {"*单位代码", "单位代码"},
        {"覆盖率（%）", "覆盖率(%)"},                   /* full-width brackets */
        {"【备注】", "(备注)"},
        {"\xE3\x80\x80GSI-3", "gsi3"},                 /* U+3000 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        egdi_heading_normalise(cases[i].in, strlen(cases[i].in), out, sizeof out);
        assert_string_equal(out, cases[i].want);
    }
    /* too long for the buffer: nothing */
    char small[4];
    assert_int_equal(egdi_heading_normalise("abcdef", 6, small, sizeof small), 0);
    assert_string_equal(small, "");
}

static void distance(void **state)
{
    (void)state;
    assert_int_equal(egdi_heading_distance("GIRl5", "GIRI5", 5), 1);
    assert_int_equal(egdi_heading_distance("giri5", "GIRI5", 5), 0);
    assert_int_equal(egdi_heading_distance("单位明称", "单位名称", 5), 1); /* code points */
    assert_int_equal(egdi_heading_distance("kitten", "sitting", 5), 3);
    assert_int_equal(egdi_heading_distance("abc", "abcdefgh", 2), 3); /* capped: cap + 1 */
    assert_int_equal(egdi_heading_near_limit(3), 0);
    assert_int_equal(egdi_heading_near_limit(5), 1);
    assert_int_equal(egdi_heading_near_limit(10), 2);
    assert_int_equal(egdi_heading_near_limit(20), 3);
}

static void matches(void **state)
{
    (void)state;
    egdi_import_catalogue c;
    catalogue(&c);
    egdi_heading h;
    struct {
        const char *heading;
        egdi_heading_kind kind;
        size_t index;
        const char *how;
    } cases[] = {
        {"单位代码", EGDI_HEADING_FIELD, 0, "heading"},
        {"Name", EGDI_HEADING_FIELD, 1, "heading"},
        {"序号", EGDI_HEADING_FIELD, 2, "heading"},
        {"giri5", EGDI_HEADING_INDICATOR, 0, "code"},
        {"数据及时性与准确性", EGDI_HEADING_INDICATOR, 0, "Chinese name"},
        {"Data Timeliness and Accuracy", EGDI_HEADING_INDICATOR, 0, "English name"},
        {"数据及时性与准确性(%)", EGDI_HEADING_INDICATOR, 0, "Chinese name"},
        {"数据及时性与准确性（GIRI5）", EGDI_HEADING_INDICATOR, 0, "Chinese name"},
        {"满意度（GIRI6）", EGDI_HEADING_INDICATOR, 1, "code"},
        {"GIRI6 用户满意度（问卷均值）", EGDI_HEADING_INDICATOR, 1, "code and name"},
        {"开放数据集数量(个)", EGDI_HEADING_INDICATOR, 3, "Chinese name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        egdi_heading_match(cases[i].heading, fields, 3, &c, &h);
        if (h.kind != cases[i].kind || h.index != cases[i].index)
            fail_msg("\"%s\": kind %d index %zu", cases[i].heading, h.kind, h.index);
        assert_string_equal(h.how, cases[i].how);
        assert_int_equal(h.other_kind, EGDI_HEADING_NONE);
    }
    egdi_heading_match("", fields, 3, &c, &h);
    assert_int_equal(h.kind, EGDI_HEADING_NONE);
    egdi_heading_match("备注", fields, 3, &c, &h);
    assert_int_equal(h.kind, EGDI_HEADING_NONE);
    assert_int_equal(h.near_kind, EGDI_HEADING_NONE);
    egdi_import_catalogue_release(&c);
}

static void ambiguous(void **state)
{
    (void)state;
    egdi_import_catalogue c;
    catalogue(&c);
    egdi_error err;
    /* a second indicator named like the first */
    egdi_import_indicator x = {"X9", "信息化经费占比", NULL, "%", EGDI_IMPORT_PERCENT, 0, 100,
                               NULL, 3};
    assert_int_equal(egdi_import_catalogue_add(&c, &x, &err), EGDI_OK);
    egdi_heading h;
    egdi_heading_match("信息化经费占比", fields, 3, &c, &h);
    assert_int_equal(h.kind, EGDI_HEADING_INDICATOR);
    assert_int_equal(h.index, 2);
    assert_int_equal(h.other_kind, EGDI_HEADING_INDICATOR);
    assert_int_equal(h.other, 4);
    /* a heading that is a field and an indicator */
    egdi_import_indicator y = {"CODE", NULL, NULL, NULL, EGDI_IMPORT_NUMBER, -INFINITY, INFINITY,
                               NULL, 3};
    assert_int_equal(egdi_import_catalogue_add(&c, &y, &err), EGDI_OK);
    egdi_heading_match("code", fields, 3, &c, &h);
    assert_int_equal(h.kind, EGDI_HEADING_FIELD);
    assert_int_equal(h.other_kind, EGDI_HEADING_INDICATOR);
    egdi_import_catalogue_release(&c);
}

static void suggestions(void **state)
{
    (void)state;
    egdi_import_catalogue c;
    catalogue(&c);
    egdi_heading h;
    egdi_heading_match("GIRl5", fields, 3, &c, &h);
    assert_int_equal(h.kind, EGDI_HEADING_NONE);
    assert_int_equal(h.near_kind, EGDI_HEADING_INDICATOR);
    assert_int_equal(h.near, 0);
    assert_int_equal(h.distance, 1);
    assert_int_equal(h.near_len, 5);
    assert_memory_equal(h.near_text, "GIRI5", 5);
    egdi_heading_match("单位明称", fields, 3, &c, &h);
    assert_int_equal(h.near_kind, EGDI_HEADING_FIELD);
    assert_int_equal(h.near, 1);
    assert_int_equal(h.near_len, strlen("单位名称"));
    assert_memory_equal(h.near_text, "单位名称", h.near_len); /* the alias alone */
    egdi_heading_match("数据及时性与准确姓(%)", fields, 3, &c, &h); /* a typo in a name */
    assert_int_equal(h.near_kind, EGDI_HEADING_INDICATOR);
    assert_int_equal(h.near, 0);
    /* too far, or too short to guess */
    egdi_heading_match("GIRI555XY", fields, 3, &c, &h); /* 4 edits, 9 letters */
    assert_int_equal(h.near_kind, EGDI_HEADING_NONE);
    egdi_heading_match("名称x", fields, 3, &c, &h); /* 3 characters: no guess */
    assert_int_equal(h.near_kind, EGDI_HEADING_NONE);
    egdi_import_catalogue_release(&c);
}

static void codelike_and_lists(void **state)
{
    (void)state;
    assert_true(egdi_heading_codelike("GIRl5"));
    assert_true(egdi_heading_codelike("CB9"));
    assert_true(egdi_heading_codelike("q12"));
    assert_false(egdi_heading_codelike("备注"));
    assert_false(egdi_heading_codelike("unit"));
    assert_false(egdi_heading_codelike("5A"));
    assert_false(egdi_heading_codelike("ABCDEFGHIJKLMNOP1"));
    assert_true(egdi_heading_in_list("未填报", strlen("未填报"), "不详,未填报", ','));
    assert_true(egdi_heading_in_list("GIRl5", 5, "x，GIRl5", ','));      /* full-width comma */
    assert_true(egdi_heading_in_list(" 个 ", 5, "个|项", '|'));
    assert_false(egdi_heading_in_list("个数", strlen("个数"), "个|项", '|'));
    assert_false(egdi_heading_in_list("x", 1, NULL, ','));
}

static void catalogue_entries(void **state)
{
    (void)state;
    egdi_import_catalogue c;
    catalogue(&c);
    assert_string_equal(c.model, "model test 1");
    assert_int_equal(c.n, 4);
    assert_int_equal(egdi_import_catalogue_find(&c, "giri6"), 1);
    assert_int_equal(egdi_import_catalogue_find(&c, "nope"), -1);
    char buf[96];
    assert_string_equal(egdi_import_indicator_describe(&c.v[0], buf, sizeof buf),
                        "a percentage 0-100");
    assert_string_equal(egdi_import_indicator_describe(&c.v[1], buf, sizeof buf),
                        "a mean on the scale 1-5");
    assert_string_equal(egdi_import_indicator_describe(&c.v[3], buf, sizeof buf),
                        "a count or rate (not negative)");
    egdi_import_catalogue_release(&c);
    egdi_import_catalogue_release(&c); /* harmless on a released one */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(normalise),   cmocka_unit_test(distance),
        cmocka_unit_test(matches),     cmocka_unit_test(ambiguous),
        cmocka_unit_test(suggestions), cmocka_unit_test(codelike_and_lists),
        cmocka_unit_test(catalogue_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
