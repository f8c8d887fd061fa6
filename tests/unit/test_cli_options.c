/*
 * Unit tests for cli/options.c: a command's option table made into the
 * getopt_long arrays (names, flag or argument, short letters, the ids
 * cli_getopt_next returns) and into `--help` (the column of the text from
 * the longest label, a longer label on a line of its own, wrapping at 80
 * columns with continuation lines indented to the column, flags and
 * arguments, notes, the subcommand list).  Built against the cli objects
 * (they are not in libegdi.a; see the Makefile).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

enum { T_ALPHA = 7, T_BETA, T_GAMMA, T_DELTA, T_LONG };

static const cli_option own[] = {
    {T_ALPHA, "alpha", 'a', "N", "a number"},
    {T_BETA, "beta", 0, NULL, "a flag"},
    {T_GAMMA, "gamma-ray", 0, "FILE",
     "a file whose help is long enough to need a second line at eighty columns, and a third "
     "one too (the column is where the text starts)"},
    {0, NULL, 0, NULL, NULL},
};

static const cli_option common[] = {
    {T_DELTA, "delta", 'd', "X", "shared with the sibling subcommands"},
    {T_LONG, "very-long-option", 0, "none|some|many", "its label is too wide for the column"},
    {0, NULL, 0, NULL, NULL},
};

/* ---- table -> getopt ------------------------------------------------- */

static void getopt_arrays(void **state)
{
    (void)state;
    cli_getopt g;
    assert_int_equal(cli_getopt_init(&g, "tool sub", own, common, 0), CLI_OK);
    assert_int_equal(g.n, 5);
    const char *names[] = {"alpha", "beta", "gamma-ray", "delta", "very-long-option"};
    const int has_arg[] = {required_argument, no_argument, required_argument, required_argument,
                           required_argument};
    for (size_t i = 0; i < 5; i++) {
        assert_string_equal(g.longopts[i].name, names[i]);
        assert_int_equal(g.longopts[i].has_arg, has_arg[i]);
        assert_null(g.longopts[i].flag);
    }
    assert_null(g.longopts[5].name); /* the terminator */
    /* ':' first: a missing value is told apart; then the short letters */
    assert_string_equal(g.shortopts, ":a:d:");
    assert_int_equal(cli_getopt_init(&g, NULL, own, NULL, CLI_GETOPT_STOP), CLI_OK);
    assert_int_equal(g.n, 3);
    assert_string_equal(g.shortopts, "+:a:");
    assert_int_equal(cli_getopt_init(&g, NULL, NULL, NULL, 0), CLI_OK);
    assert_int_equal(g.n, 0);
    assert_string_equal(g.shortopts, ":");
}

static void getopt_parses_by_id(void **state)
{
    (void)state;
    char *argv[] = {"sub",   "--alpha", "3", "operand", "--beta", "-a",  "5",
                    "--gamma-ray=f.csv", "-d", "x", "--very", "many", NULL};
    int argc = 12;
    cli_getopt g;
    assert_int_equal(cli_getopt_init(&g, "tool sub", own, common, 0), CLI_OK);
    const int want_id[] = {T_ALPHA, T_BETA, T_ALPHA, T_GAMMA, T_DELTA, T_LONG};
    const char *want_arg[] = {"3", NULL, "5", "f.csv", "x", "many"};
    const char *arg;
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(cli_getopt_next(&g, argc, argv, &arg), want_id[i]);
        if (want_arg[i])
            assert_string_equal(arg, want_arg[i]);
        else
            assert_null(arg);
    }
    assert_int_equal(cli_getopt_next(&g, argc, argv, &arg), CLI_OPT_END);
    assert_int_equal(optind, argc - 1); /* GNU order: the operand moved last */
    assert_string_equal(argv[optind], "operand");
}

static void getopt_stops_at_operand(void **state)
{
    (void)state;
    char *argv[] = {"egdi", "-a", "1", "rank", "--beta", NULL};
    cli_getopt g;
    const char *arg;
    assert_int_equal(cli_getopt_init(&g, NULL, own, NULL, CLI_GETOPT_STOP), CLI_OK);
    assert_int_equal(cli_getopt_next(&g, 5, argv, &arg), T_ALPHA);
    assert_int_equal(cli_getopt_next(&g, 5, argv, &arg), CLI_OPT_END);
    assert_int_equal(optind, 3);
    assert_string_equal(argv[optind], "rank");
}

static void getopt_errors(void **state)
{
    (void)state;
    cli_getopt g;
    const char *arg;
    char *unknown[] = {"sub", "--alpha", "1", "--nope", NULL};
    assert_int_equal(cli_getopt_init(&g, "tool sub", own, NULL, 0), CLI_OK);
    assert_int_equal(cli_getopt_next(&g, 4, unknown, &arg), T_ALPHA);
    assert_int_equal(cli_getopt_next(&g, 4, unknown, &arg), CLI_OPT_ERROR);
    /* an option of the common table is unknown without it */
    char *other[] = {"sub", "--delta", "1", NULL};
    assert_int_equal(cli_getopt_init(&g, "tool sub", own, NULL, 0), CLI_OK);
    assert_int_equal(cli_getopt_next(&g, 3, other, &arg), CLI_OPT_ERROR);
    char *novalue[] = {"sub", "--gamma-ray", NULL};
    assert_int_equal(cli_getopt_init(&g, "tool sub", own, NULL, 0), CLI_OK);
    assert_int_equal(cli_getopt_next(&g, 2, novalue, &arg), CLI_OPT_ERROR);
    char *flagvalue[] = {"sub", "--beta=1", NULL};
    assert_int_equal(cli_getopt_init(&g, "tool sub", own, NULL, 0), CLI_OK);
    assert_int_equal(cli_getopt_next(&g, 2, flagvalue, &arg), CLI_OPT_ERROR);
}

static void getopt_refuses_bad_tables(void **state)
{
    (void)state;
    cli_getopt g;
    /* a name, an id or a letter twice (own against common too), a negative
     * id, no help */
    static const cli_option twice_name[] = {{1, "alpha", 0, NULL, "x"}, {0, NULL, 0, NULL, NULL}};
    static const cli_option twice_id[] = {{T_ALPHA, "other", 0, NULL, "x"},
                                          {0, NULL, 0, NULL, NULL}};
    static const cli_option twice_letter[] = {{1, "other", 'a', NULL, "x"},
                                              {0, NULL, 0, NULL, NULL}};
    static const cli_option negative[] = {{-3, "other", 0, NULL, "x"}, {0, NULL, 0, NULL, NULL}};
    static const cli_option no_help[] = {{1, "other", 0, NULL, NULL}, {0, NULL, 0, NULL, NULL}};
    static const cli_option empty_help[] = {{1, "other", 0, NULL, ""}, {0, NULL, 0, NULL, NULL}};
    static const cli_option colon[] = {{1, "other", ':', NULL, "x"}, {0, NULL, 0, NULL, NULL}};
    assert_int_equal(cli_getopt_init(&g, "t", own, twice_name, 0), CLI_FAIL);
    assert_int_equal(cli_getopt_init(&g, "t", own, twice_id, 0), CLI_FAIL);
    assert_int_equal(cli_getopt_init(&g, "t", own, twice_letter, 0), CLI_FAIL);
    assert_int_equal(cli_getopt_init(&g, "t", negative, NULL, 0), CLI_FAIL);
    /* an option cannot be parsed without its help line */
    assert_int_equal(cli_getopt_init(&g, "t", no_help, NULL, 0), CLI_FAIL);
    assert_int_equal(cli_getopt_init(&g, "t", empty_help, NULL, 0), CLI_FAIL);
    /* a short option is a letter or a digit, never getopt's ':' */
    assert_int_equal(cli_getopt_init(&g, "t", colon, NULL, 0), CLI_FAIL);
    /* more rows than CLI_OPTIONS_MAX */
    static cli_option many[CLI_OPTIONS_MAX + 2];
    static char names[CLI_OPTIONS_MAX + 1][8];
    for (int i = 0; i <= CLI_OPTIONS_MAX; i++) {
        snprintf(names[i], sizeof names[i], "o%d", i);
        many[i] = (cli_option){i, names[i], 0, NULL, "x"};
    }
    assert_int_equal(cli_getopt_init(&g, "t", many, NULL, 0), CLI_FAIL);
    many[CLI_OPTIONS_MAX].name = NULL;
    assert_int_equal(cli_getopt_init(&g, "t", many, NULL, 0), CLI_OK);
}

/* ---- table -> help --------------------------------------------------- */

/* The help of parent / c as a string (caller frees). */
static char *help_of(const cli_command *parent, const cli_command *c)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    cli_help_print(f, parent, c);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static const cli_operand operands[] = {
    {"fast FILE", "the quick way"},
    {"slow", "the careful way"},
    {NULL, NULL},
};

static const cli_command sub = {
    .name = "sub",
    .summary = "do one thing",
    .usage = "fast FILE --alpha N [--beta] [--gamma-ray FILE] [--delta X] [OPTIONS]\n"
             "slow [OPTIONS]",
    .operands = operands,
    .options = own,
    .common = common,
    .notes = "A note long enough to be wrapped: it says what the options do not say, in plain "
             "sentences, and the printer wraps it at eighty columns.\nA second paragraph.",
};

static const cli_command *const subs[] = {&sub, NULL};

static const cli_command tool = {
    .name = "tool",
    .summary = "a tool",
    .usage = "SUBCOMMAND [OPTIONS]",
    .common = common,
    .subs = subs,
};

static void help_of_subcommand(void **state)
{
    (void)state;
    char *h = help_of(&tool, &sub);
    /* the option column: 2 + the widest label that fits, "--gamma-ray FILE"
     * (16; "--very-long-option none|some|many" is over 24), + 2 = 20 */
    assert_string_equal(
        h,
        "usage: egdi [--db FILE] tool sub fast FILE --alpha N [--beta] [--gamma-ray FILE]\n"
        "       [--delta X] [OPTIONS]\n"
        "   or: egdi [--db FILE] tool sub slow [OPTIONS]\n"
        "\n"
        "do one thing.\n"
        "\n"
        "arguments:\n"
        "  fast FILE  the quick way\n"
        "  slow       the careful way\n"
        "\n"
        "options:\n"
        "  -a, --alpha N     a number\n"
        "  --beta            a flag\n"
        "  --gamma-ray FILE  a file whose help is long enough to need a second line at\n"
        "                    eighty columns, and a third one too (the column is where the\n"
        "                    text starts)\n"
        "\n"
        "options of every subcommand:\n"
        "  -d, --delta X     shared with the sibling subcommands\n"
        "  --very-long-option none|some|many\n"
        "                    its label is too wide for the column\n"
        "\n"
        "A note long enough to be wrapped: it says what the options do not say, in plain\n"
        "sentences, and the printer wraps it at eighty columns.\n"
        "A second paragraph.\n");
    free(h);
}

static void help_of_parent(void **state)
{
    (void)state;
    char *h = help_of(NULL, &tool);
    assert_string_equal(h, "usage: egdi [--db FILE] tool SUBCOMMAND [OPTIONS]\n"
                           "\n"
                           "a tool.\n"
                           "\n"
                           "subcommands:\n"
                           "  sub  do one thing\n"
                           "\n"
                           "options of every subcommand:\n"
                           "  -d, --delta X  shared with the sibling subcommands\n"
                           "  --very-long-option none|some|many\n"
                           "                 its label is too wide for the column\n"
                           "\n"
                           "'egdi tool SUBCOMMAND --help' prints the options of a subcommand.\n");
    free(h);
    /* the program itself: no name, "commands:" */
    const cli_command program = {.summary = "the program", .usage = "COMMAND", .subs = subs};
    h = help_of(NULL, &program);
    assert_string_equal(h, "usage: egdi [--db FILE] COMMAND\n"
                           "\n"
                           "the program.\n"
                           "\n"
                           "commands:\n"
                           "  sub  do one thing\n"
                           "\n"
                           "'egdi COMMAND --help' prints the options of a command.\n");
    free(h);
}

static void help_rows_wrap(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    /* CJK counts two columns: 36 of them fill 72 + the column 7 = 79 */
    cli_help_row(f, "--x", "非常不同意非常不同意非常不同意非常不同意非常不同意非常不同意非常不同意非 常", 7);
    /* a formula is never split: "MIN + MAX - x" moves to the next line whole */
    cli_help_row(f, "--y", "the reversed answers of a reverse-keyed item, that is, the mean is of "
                           "MIN + MAX - x", 7);
    /* a word longer than the line stands alone; no text: the label only */
    cli_help_row(f, "--z", "a "
                           "wordlongerthanalinewordlongerthanalinewordlongerthanalinewordlongerthana"
                           "line b", 7);
    cli_help_row(f, "--flag", NULL, 7);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(
        buf,
        "  --x  非常不同意非常不同意非常不同意非常不同意非常不同意非常不同意非常不同意非\n"
        "       常\n"
        "  --y  the reversed answers of a reverse-keyed item, that is, the mean is of\n"
        "       MIN + MAX - x\n"
        "  --z  a\n"
        "       wordlongerthanalinewordlongerthanalinewordlongerthanalinewordlongerthanaline\n"
        "       b\n"
        "  --flag\n");
    free(buf);
}

/* Option values go through the one text -> number parser: numbers as
 * people type them (full-width digits from a Chinese keyboard, thousands
 * separators), no percent, no hexadecimal, nan or inf. */
static void option_values(void **state)
{
    (void)state;
    long l;
    double d, lo, hi;
    assert_true(cli_parse_long("2024", 1900, 9999, &l) && l == 2024);
    assert_true(cli_parse_long("\xEF\xBC\x92\xEF\xBC\x90\xEF\xBC\x92\xEF\xBC\x94", 1900, 9999, &l) &&
                l == 2024); /* ２０２４ */
    assert_true(cli_parse_long(" 2,024 ", 1900, 9999, &l) && l == 2024);
    assert_false(cli_parse_long("2024.5", 1900, 9999, &l));
    assert_false(cli_parse_long("20240", 1900, 9999, &l));
    assert_false(cli_parse_long("0x7e8", 0, 9999, &l));
    assert_false(cli_parse_long("", 0, 9999, &l));
    assert_true(cli_parse_double("0.27", &d) && d == 0.27);
    assert_true(cli_parse_double("1e-3", &d) && d == 1e-3);
    assert_false(cli_parse_double("27%", &d));
    assert_false(cli_parse_double("nan", &d));
    assert_false(cli_parse_double("inf", &d));
    assert_true(cli_parse_range("1-5", &lo, &hi) && lo == 1 && hi == 5);
    assert_true(cli_parse_range("-2-2", &lo, &hi) && lo == -2 && hi == 2);
    assert_true(cli_parse_range("-3--1", &lo, &hi) && lo == -3 && hi == -1);
    assert_true(cli_parse_range("1e-5-2", &lo, &hi) && lo == 1e-5 && hi == 2);
    assert_true(cli_parse_range("\xEF\xBC\x91-\xEF\xBC\x97", &lo, &hi) && lo == 1 && hi == 7);
    assert_false(cli_parse_range("5-1", &lo, &hi));
    assert_false(cli_parse_range("1-", &lo, &hi));
    assert_false(cli_parse_range("1e-400-5", &lo, &hi)); /* underflow is refused, not read as 0 */
    assert_false(cli_parse_range("15", &lo, &hi));
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8"); /* display widths, as the program does */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(getopt_arrays),
        cmocka_unit_test(getopt_parses_by_id),
        cmocka_unit_test(getopt_stops_at_operand),
        cmocka_unit_test(getopt_errors),
        cmocka_unit_test(getopt_refuses_bad_tables),
        cmocka_unit_test(help_of_subcommand),
        cmocka_unit_test(help_of_parent),
        cmocka_unit_test(help_rows_wrap),
        cmocka_unit_test(option_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
