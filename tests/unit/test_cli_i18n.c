/*
 * Unit tests for cli/i18n.c's tables: every Chinese text of i18n.c's own
 * table takes the same printf arguments as the English it translates (the same conversions,
 * length modifiers and '*' in the same order; flags, widths and
 * precisions may differ: "%-8s" may become "%s", a plural "%s" may become
 * "%.0s"; the help pages of i18n_help.c are printed as they are, not
 * as formats: "95% interval" is text there), no English key is in the
 * table twice, and cli_tr finds a text of each table under zh and leaves
 * it alone under en.  The engine's error formats (i18n_errors.c) too, the
 * Chinese naming an argument by its place where it wants ("%2$d"); and
 * error_text.c reads a message back: every English format written with
 * sample arguments reads as its Chinese written with the same, a message
 * inside a message is read at each level, a message no format matches
 * stays, and an error's place reads 文件 F，第 R 行，C 列 under zh.  Built
 * against the cli objects (they are not in libegdi.a; see the Makefile).
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
    /* each argument's letters by its place: "%2$s" names its place */
    char slot[32][16];
    size_t nslots = 0, next = 0;
    memset(slot, 0, sizeof slot);
    out[0] = '\0';
    for (const char *p = fmt; *p; p++) {
        if (*p != '%')
            continue;
        const char *q = p + 1;
        if (*q == '%') {
            p = q;
            continue;
        }
        size_t place = 0;
        const char *d = q;
        while (*d >= '0' && *d <= '9')
            place = place * 10 + (size_t)(*d++ - '0');
        bool named = *d == '$' && d > q && place > 0;
        if (named)
            q = d + 1;
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
        for (size_t i = 0; i <= conv; i++) {
            size_t at = named ? place - 1 + i : next;
            if (at >= 32)
                return false;
            if (i < conv)
                snprintf(slot[at], sizeof slot[at], "*");
            else
                snprintf(slot[at], sizeof slot[at], "%s", one + conv);
            next = at + 1;
            if (at + 1 > nslots)
                nslots = at + 1;
        }
        p = q;
    }
    size_t n = 0;
    for (size_t i = 0; i < nslots; i++) {
        size_t l = strlen(slot[i]);
        if (n + l + 2 >= size)
            return false;
        memcpy(out + n, slot[i], l);
        n += l;
        out[n++] = ' ';
        out[n] = '\0';
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

static void error_pairs_take_the_same_arguments(void **state)
{
    (void)state;
    same_args(cli_tr_errors, cli_tr_errors_n);
}

/* ---- the engine's messages: written by printf, read back ----------------- */

/* One conversion of a format, written with printf and the sample argument
 * of its place: a text "Ab<place>" ("; Ab<place>" where it follows another
 * text directly, an added clause: "no column %s%s"), a whole number 10 +
 * place, a real 1.5 + place, the character 'q'; a star takes 3. */
static bool clause[32]; /* set by clauses_of for the format read back */

static void clauses_of(const char *en)
{
    memset(clause, 0, sizeof clause);
    size_t place = 0;
    bool after_s = false;
    for (const char *p = en; *p; p++) {
        if (*p != '%' || p[1] == '%') {
            after_s = false;
            p += *p == '%';
            continue;
        }
        const char *q = p + 1;
        while (*q && !strchr("diouxXeEfFgGaAcsp", *q))
            place += *q++ == '*';
        if (!*q)
            break;
        if (place < 32)
            clause[place] = *q == 's' && after_s;
        after_s = *q == 's' && !strstr(p, ".0s");
        place++;
        p = q;
    }
}

static void one_conv(char *out, size_t size, const char *spec, size_t nstars, const char *len,
                     char conv, size_t place)
{
    int st = 3;
    long long whole = 10 + (long long)place;
    double real = 1.5 + (double)place;
    char text[16];
    snprintf(text, sizeof text, place < 32 && clause[place] ? "; Ab%zu" : "Ab%zu", place);
#define ONE(v)                                                                        \
    do {                                                                              \
        if (nstars == 0)                                                              \
            snprintf(out, size, spec, v);                                             \
        else if (nstars == 1)                                                         \
            snprintf(out, size, spec, st, v);                                         \
        else                                                                          \
            snprintf(out, size, spec, st, st, v);                                     \
    } while (0)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    if (conv == 's')
        ONE(text);
    else if (conv == 'c')
        ONE('q');
    else if (strchr("eEfFgGaA", conv))
        ONE(real);
    else if (strcmp(len, "ll") == 0)
        ONE(whole);
    else if (strcmp(len, "l") == 0)
        ONE((long)whole);
    else if (strcmp(len, "z") == 0)
        ONE((size_t)whole);
    else if (strchr("uxXo", conv))
        ONE((unsigned)whole);
    else
        ONE((int)whole);
#pragma GCC diagnostic pop
#undef ONE
}

/* fmt written with the sample arguments (a Chinese format's "%2$s" takes
 * the second's); its stars take places too. */
static void render_sample(const char *fmt, char *out, size_t size)
{
    size_t n = 0, next = 0;
    out[0] = '\0';
    for (const char *p = fmt; *p && n + 1 < size;) {
        if (*p != '%' || p[1] == '%') {
            out[n++] = *p;
            p += *p == '%' ? 2 : 1;
            out[n] = '\0';
            continue;
        }
        const char *q = p + 1, *d = q;
        size_t place = 0;
        while (*d >= '0' && *d <= '9')
            place = place * 10 + (size_t)(*d++ - '0');
        bool named = *d == '$' && d > q && place > 0;
        if (named)
            q = d + 1;
        char spec[32] = "%", len[4] = "";
        size_t k = 1, nstars = 0;
        while (*q && !strchr("diouxXeEfFgGaAcsp", *q) && k < sizeof spec - 2) {
            if (*q == '*')
                nstars++;
            if (strchr("hlzjtL", *q) && strlen(len) < sizeof len - 1)
                strncat(len, q, 1);
            spec[k++] = *q++;
        }
        if (!*q) {
            out[n++] = *p++;
            out[n] = '\0';
            continue;
        }
        spec[k++] = *q;
        spec[k] = '\0';
        size_t at = named ? place - 1 : next;
        one_conv(out + n, size - n, spec, nstars, len, *q, at + nstars);
        next = at + nstars + 1;
        n += strlen(out + n);
        p = q + 1;
    }
}

static void messages_read_back_in_chinese(void **state)
{
    (void)state;
    size_t wrong = 0;
    cli_lang_use(CLI_ZH);
    for (size_t i = 0; i < cli_tr_errors_n; i++) {
        char en[1024], zh[1024], got[1024];
        clauses_of(cli_tr_errors[i].en);
        render_sample(cli_tr_errors[i].en, en, sizeof en);
        render_sample(cli_tr_errors[i].zh, zh, sizeof zh);
        cli_msg_into(en, got, sizeof got);
        if (strcmp(got, zh) != 0) {
            print_error("\"%s\" (from \"%s\") reads \"%s\", not \"%s\"\n", en,
                        cli_tr_errors[i].en, got, zh);
            wrong++;
        }
    }
    cli_lang_use(CLI_EN);
    assert_int_equal(wrong, 0);
}

static void messages_inside_messages(void **state)
{
    (void)state;
    char buf[1024];
    cli_lang_use(CLI_ZH);
    /* a reader's message wrapping the C library's */
    assert_string_equal(cli_msg_into("cannot open: No such file or directory", buf, sizeof buf),
                        "无法打开：文件或目录不存在");
    /* an uncertainty draw wrapping a scoring refusal */
    assert_string_equal(cli_msg_into("draw 3: indicator GI1 has no scoring rule", buf, sizeof buf),
                        "第 3 次抽样：指标 GI1 没有评分规则");
    /* three levels: a survey source, a scale, a reliability refusal */
    assert_string_equal(
        cli_msg_into("GIRI6: survey \"q\": scale S1: alpha needs at least two items", buf, sizeof buf),
        "GIRI6：问卷 \"q\"：维度 S1：alpha 系数至少需要两个题项");
    /* the most literal text wins: not "%s: %s" */
    assert_string_equal(cli_msg_into("store: disk I/O error", buf, sizeof buf), "数据库：disk I/O error");
    /* a number where a number is: "%d" takes no word */
    assert_string_equal(cli_msg_into("round 2030 has not been scored (run 'egdi score --round 2030')",
                                     buf, sizeof buf),
                        "2030 年度尚未评分（请运行 'egdi score --round 2030'）");
    assert_string_equal(cli_msg_into("round x has not been scored (run 'egdi score --round 2030')",
                                     buf, sizeof buf),
                        "round x has not been scored (run 'egdi score --round 2030')");
    /* a plural's "s" is dropped */
    assert_string_equal(cli_msg_into("3 cells rejected; nothing was imported", buf, sizeof buf),
                        "3 个单元格被拒收；未导入任何数据");
    /* a rejected cell: its value, why (with an added clause), the tail; a
     * quoted text ends at its quote */
    assert_string_equal(
        cli_msg_into("\"甲\": \"甲\" is neither the code nor the name of a stored unit (import the "
                     "units first); did you mean D1 (乙)?; nothing was imported",
                     buf, sizeof buf),
        "\"甲\"：\"甲\" 既不是数据库中某个单位的代码，也不是其名称（请先导入单位名单）；是否指 "
        "D1（乙）？；未导入任何数据");
    /* an argument the Chinese names by its place */
    assert_string_equal(cli_msg_into("no region R9 in round 2024", buf, sizeof buf),
                        "2024 年度没有地区 R9");
    cli_lang_use(CLI_EN);
}

static void unknown_messages_stay(void **state)
{
    (void)state;
    char buf[1024];
    const char *msg = "a message the engine never writes";
    cli_lang_use(CLI_ZH);
    assert_string_equal(cli_msg_into(msg, buf, sizeof buf), msg);
    assert_string_equal(cli_msg_into("", buf, sizeof buf), "");
    cli_lang_use(CLI_EN);
    assert_string_equal(cli_msg_into("cannot open: No such file or directory", buf, sizeof buf),
                        "cannot open: No such file or directory");
}

static void error_lines_say_where(void **state)
{
    (void)state;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_error_set(&err, EGDI_ERR_VALUE, "\"%s\" is not a number", "x");
    egdi_error_at(&err, "m.xlsx", "2024", 3, 2);
    char line[1024];
    cli_lang_use(CLI_ZH);
    cli_error_line(&err, line, sizeof line);
    assert_string_equal(line, "文件 m.xlsx，工作表 \"2024\"，第 3 行，B 列：\"x\" 不是数字");
    egdi_error_clear(&err);
    egdi_error_set(&err, EGDI_ERR_VALUE, "the file is empty (no header row)");
    egdi_error_at(&err, NULL, NULL, 7, 0);
    cli_error_line(&err, line, sizeof line);
    assert_string_equal(line, "第 7 行：文件为空（没有表头行）");
    cli_lang_use(CLI_EN);
    cli_error_line(&err, line, sizeof line);
    assert_string_equal(line, "row 7: the file is empty (no header row)");
}

static void keys_are_unique(void **state)
{
    (void)state;
    for (size_t i = 0; i < cli_tr_pairs_n; i++)
        for (size_t j = i + 1; j < cli_tr_pairs_n; j++)
            if (strcmp(cli_tr_pairs[i].en, cli_tr_pairs[j].en) == 0)
                fail_msg("\"%s\" twice", cli_tr_pairs[i].en);
    for (size_t i = 0; i < cli_tr_errors_n; i++)
        for (size_t j = i + 1; j < cli_tr_errors_n; j++)
            if (strcmp(cli_tr_errors[i].en, cli_tr_errors[j].en) == 0)
                fail_msg("\"%s\" twice in the engine's", cli_tr_errors[i].en);
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
    assert_true(args_of("%2$d 年度没有地区 %1$s", a, sizeof a));
    assert_string_equal(a, "s d ");
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
        cmocka_unit_test(error_pairs_take_the_same_arguments),
        cmocka_unit_test(keys_are_unique),
        cmocka_unit_test(messages_read_back_in_chinese),
        cmocka_unit_test(messages_inside_messages),
        cmocka_unit_test(unknown_messages_stay),
        cmocka_unit_test(error_lines_say_where),
        cmocka_unit_test(tr_follows_the_language),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
