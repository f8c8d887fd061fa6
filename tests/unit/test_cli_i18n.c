/*
 * Unit tests for cli/i18n.c's tables: every Chinese text of i18n.c's own
 * table takes the same printf arguments as the English it translates (the same conversions,
 * length modifiers and '*' in the same order; flags, widths and
 * precisions may differ: "%-8s" may become "%s", a plural "%s" may become
 * "%.0s"; the help pages of i18n_help.c are printed as they are, not
 * as formats: "95% interval" is text there), no English key is in the
 * table twice, and cli_tr finds a text of each table under zh and leaves
 * it alone under en.  Built against the cli
 * objects (they are not in libegdi.a; see the Makefile).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/i18n_private.h"

/* The arguments a printf format takes, one letter group per argument:
 * "*" for a width or precision star, else the length modifier and the
 * conversion ("zu", "lld", "s", "f"), separated by spaces.  "%%" takes
 * none; a '%' that starts no conversion (a text, not a format: "95%")
 * is taken as it is.  False when out is too small. */
static bool args_of(const char *fmt, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        const char *q = p + 1;
        if (*q == '%') {
            p = q;
            continue;
        }
        char one[16];
        size_t k = 0;
        while (*q && strchr("-+ #0'", *q))
            q++;
        if (*q == '*') {
            one[k++] = '*';
            q++;
        }
        while (*q >= '0' && *q <= '9')
            q++;
        if (*q == '.') {
            q++;
            if (*q == '*') {
                one[k++] = '*';
                q++;
            }
            while (*q >= '0' && *q <= '9')
                q++;
        }
        size_t conv = k;
        while (*q && strchr("hlzjtL", *q) && k < sizeof one - 2)
            one[k++] = *q++;
        if (!*q || !strchr("diouxXeEfFgGaAcsp", *q))
            continue; /* no conversion: a '%' of a text */
        one[k++] = *q;
        one[k] = '\0';
        /* the stars first, each an argument of its own */
        for (size_t i = 0; i < conv; i++) {
            if (n + 2 >= size)
                return false;
            out[n++] = '*';
            out[n++] = ' ';
        }
        size_t l = strlen(one + conv);
        if (n + l + 1 >= size)
            return false;
        memcpy(out + n, one + conv, l);
        n += l;
        out[n++] = ' ';
        out[n] = '\0';
        p = q;
    }
    return true;
}

static void same_args(const cli_tr_pair *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char a[512], b[512];
        assert_true(args_of(t[i].en, a, sizeof a));
        assert_true(args_of(t[i].zh, b, sizeof b));
        if (strcmp(a, b) != 0)
            fail_msg("\"%s\" takes [%s] but its Chinese \"%s\" takes [%s]", t[i].en, a, t[i].zh,
                     b);
    }
}

static void pairs_take_the_same_arguments(void **state)
{
    (void)state;
    same_args(cli_tr_pairs, cli_tr_pairs_n);
}

static void keys_are_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < cli_tr_pairs_n; i++)
        for (size_t j = i + 1; j < cli_tr_pairs_n; j++)
            if (strcmp(cli_tr_pairs[i].en, cli_tr_pairs[j].en) == 0)
                fail_msg("\"%s\" twice", cli_tr_pairs[i].en);
}

static void args_of_reads_formats(void **state)
{
    (void)state;
    char a[128];
    assert_true(args_of("%-8s %s: %zu rows, %.*f%% (%lld)", a, sizeof a));
    assert_string_equal(a, "s s zu * f lld ");
    assert_true(args_of("rank 5-95%", a, sizeof a));
    assert_string_equal(a, "");
    assert_true(args_of("%s：%zu 个问题%.0s", a, sizeof a));
    assert_string_equal(a, "s zu s ");
}

static void tr_follows_the_language(void **state)
{
    (void)state;
    const char *en = "imported %s from %s: %zu rows read, %zu stored, %zu values";
    cli_lang_use(CLI_ZH);
    assert_string_equal(cli_tr(en), "已导入%s：%s，读取 %zu 行，保存 %zu 行，%zu 个数值");
    assert_string_equal(cli_tr("not a key of any table"), "not a key of any table");
    assert_string_equal(cli_tr(cli_tr_help[0].en), cli_tr_help[0].zh);
    assert_string_equal(cli_import_kind("metrics"), "指标数据");
    cli_lang_use(CLI_EN);
    assert_string_equal(cli_tr(en), en);
    assert_string_equal(cli_import_kind("metrics"), "metrics");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(args_of_reads_formats),
        cmocka_unit_test(pairs_take_the_same_arguments),
        cmocka_unit_test(keys_are_unique),
        cmocka_unit_test(tr_follows_the_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
