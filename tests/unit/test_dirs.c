/*
 * Unit tests for engine/core/dirs.c: egdi_dir_remove removes a tree it is
 * given, deepest first, and never follows a symbolic link out of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/core/dirs.h"

static void write_file(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("x\n", f);
    assert_int_equal(fclose(f), 0);
}

static bool exists(const char *dir, const char *name)
{
    char p[1024];
    struct stat st;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return lstat(p, &st) == 0;
}

static void removes_a_tree_and_not_what_links_point_to(void **state)
{
    (void)state;
    char top[] = "/tmp/egdi-dirs-XXXXXX";
    assert_non_null(mkdtemp(top));
    char tree[600], outside[600], p[700];
    snprintf(tree, sizeof tree, "%s/staging", top);
    snprintf(outside, sizeof outside, "%s/keep", top);
    assert_int_equal(mkdir(tree, 0777), 0);
    assert_int_equal(mkdir(outside, 0777), 0);
    write_file(outside, "precious.txt");
    write_file(tree, "report.html");
    snprintf(p, sizeof p, "%s/charts", tree);
    assert_int_equal(mkdir(p, 0777), 0);
    write_file(p, "stages.png");
    snprintf(p, sizeof p, "%s/charts/deep", tree);
    assert_int_equal(mkdir(p, 0777), 0);
    write_file(p, "a.svg");
    /* links to a directory and a file outside the tree */
    snprintf(p, sizeof p, "%s/to-keep", tree);
    assert_int_equal(symlink(outside, p), 0);
    snprintf(p, sizeof p, "%s/charts/to-file", tree);
    char target[700];
    snprintf(target, sizeof target, "%s/precious.txt", outside);
    assert_int_equal(symlink(target, p), 0);

    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_dir_remove(tree, &err), EGDI_OK);
    assert_false(exists(top, "staging"));
    assert_true(exists(outside, "precious.txt"));

    /* a missing directory is nothing to do */
    assert_int_equal(egdi_dir_remove(tree, &err), EGDI_OK);
    assert_int_equal(egdi_dir_remove(tree, NULL), EGDI_OK);

    /* a plain file given as the directory is removed too (it is the entry) */
    write_file(top, "file");
    snprintf(p, sizeof p, "%s/file", top);
    assert_int_equal(egdi_dir_remove(p, &err), EGDI_OK);
    assert_false(exists(top, "file"));

    assert_int_equal(egdi_dir_remove(top, &err), EGDI_OK);
    struct stat st;
    assert_int_not_equal(lstat(top, &st), 0);
}

static void reports_what_it_cannot_remove(void **state)
{
    (void)state;
    char top[] = "/tmp/egdi-dirs-XXXXXX";
    assert_non_null(mkdtemp(top));
    write_file(top, "file");
    char p[600];
    snprintf(p, sizeof p, "%s/file/sub", top); /* a file used as a directory */
    egdi_error err;
    egdi_error_clear(&err);
    assert_int_equal(egdi_dir_remove(p, &err), EGDI_ERR_IO);
    assert_non_null(strstr(err.message, "/file/sub\": Not a directory"));
    assert_int_equal(egdi_dir_remove(p, NULL), EGDI_ERR_IO);
    assert_int_equal(egdi_dir_remove(top, &err), EGDI_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(removes_a_tree_and_not_what_links_point_to),
        cmocka_unit_test(reports_what_it_cannot_remove),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
