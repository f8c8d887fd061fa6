/*
 * Unit tests for engine/core/dirs.c: egdi_dir_remove removes a tree it is
 * given, deepest first, and never follows a symbolic link out of it; the
 * staging sweep removes what a killed egdi left (its own names, old enough,
 * unlocked) and nothing else; egdi_outfile_open sweeps its target's.
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
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/core/dirs.h"
#include "engine/core/outfile.h"

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

/* Sets the modification time of dir/name to an hour ago. */
static void age(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    struct timeval tv[2];
    gettimeofday(&tv[0], NULL);
    tv[0].tv_sec -= 3600;
    tv[1] = tv[0];
    assert_int_equal(utimes(p, tv), 0);
}

static void sweeps_only_stale_staging_entries(void **state)
{
    (void)state;
    char top[] = "/tmp/egdi-dirs-XXXXXX";
    assert_non_null(mkdtemp(top));
    char p[700];
    /* a report's staging directory left by a killed egdi, with files */
    snprintf(p, sizeof p, "%s/.egdi-report-aB3xY9", top);
    assert_int_equal(mkdir(p, 0777), 0);
    write_file(p, "report.html");
    age(top, ".egdi-report-aB3xY9");
    /* the same, but fresh (perhaps just made by an egdi at work) */
    snprintf(p, sizeof p, "%s/.egdi-report-fresh1", top);
    assert_int_equal(mkdir(p, 0777), 0);
    /* the same, old, but locked by a live egdi */
    snprintf(p, sizeof p, "%s/.egdi-report-Locked", top);
    assert_int_equal(mkdir(p, 0777), 0);
    age(top, ".egdi-report-Locked");
    int held = open(p, O_RDONLY | O_DIRECTORY);
    assert_true(held >= 0);
    assert_int_equal(flock(held, LOCK_EX), 0);
    /* names that are not egdi's staging names */
    write_file(top, ".egdi-report-abc");
    write_file(top, ".egdi-report-abcdefg");
    write_file(top, ".egdi-report-ab_d.f");
    write_file(top, "egdi-report-abcdef");
    write_file(top, "report.html");
    age(top, ".egdi-report-abc");
    age(top, ".egdi-report-abcdefg");
    age(top, ".egdi-report-ab_d.f");
    age(top, "egdi-report-abcdef");
    /* a link named like one is never followed nor removed */
    snprintf(p, sizeof p, "%s/.egdi-report-Link01", top);
    assert_int_equal(symlink("/tmp", p), 0);

    assert_int_equal(egdi_dir_sweep(top, ".egdi-report-"), 1);
    assert_false(exists(top, ".egdi-report-aB3xY9"));
    assert_true(exists(top, ".egdi-report-fresh1"));
    assert_true(exists(top, ".egdi-report-Locked"));
    assert_true(exists(top, ".egdi-report-abc"));
    assert_true(exists(top, ".egdi-report-abcdefg"));
    assert_true(exists(top, ".egdi-report-ab_d.f"));
    assert_true(exists(top, "egdi-report-abcdef"));
    assert_true(exists(top, "report.html"));
    assert_true(exists(top, ".egdi-report-Link01"));
    /* once its process is gone (the lock with it), it is swept too */
    close(held);
    assert_int_equal(egdi_dir_sweep(top, ".egdi-report-"), 1);
    assert_false(exists(top, ".egdi-report-Locked"));
    assert_int_equal(egdi_dir_sweep("/nonexistent-egdi-dir", ".egdi-report-"), 0);
    assert_int_equal(egdi_dir_remove(top, NULL), EGDI_OK);
}

static void staging_names(void **state)
{
    (void)state;
    char buf[64], dir[64], prefix[64];
    assert_int_equal(egdi_dir_staging_name("out/s.csv", buf, sizeof buf, NULL), EGDI_OK);
    assert_string_equal(buf, "out/.s.csv.egdi-XXXXXX");
    assert_int_equal(egdi_dir_staging_name("s.csv", buf, sizeof buf, NULL), EGDI_OK);
    assert_string_equal(buf, ".s.csv.egdi-XXXXXX");
    assert_int_equal(egdi_dir_staging_prefix("/s.csv", dir, sizeof dir, prefix, sizeof prefix,
                                             NULL), EGDI_OK);
    assert_string_equal(dir, "/");
    assert_string_equal(prefix, ".s.csv.egdi-");
    assert_int_equal(egdi_dir_staging_prefix("a/b/s.csv", dir, sizeof dir, prefix,
                                             sizeof prefix, NULL), EGDI_OK);
    assert_string_equal(dir, "a/b");
    assert_int_equal(egdi_dir_staging_name("out/", buf, sizeof buf, NULL), EGDI_ERR_LIMIT);
    assert_int_equal(egdi_dir_staging_name("a-long-name.csv", buf, 12, NULL), EGDI_ERR_LIMIT);
}

/* An output file killed half-way (a child that stages it and dies without
 * committing) leaves its temporary file; the next write of the same target
 * sweeps it once it is old, and never touches another target's. */
static void outfile_sweeps_what_a_killed_writer_left(void **state)
{
    (void)state;
    char top[] = "/tmp/egdi-dirs-XXXXXX";
    assert_non_null(mkdtemp(top));
    char target[700], other[700];
    snprintf(target, sizeof target, "%s/scores.csv", top);
    snprintf(other, sizeof other, "%s/other.csv", top);
    for (int k = 0; k < 2; k++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            egdi_outfile o;
            if (egdi_outfile_open(&o, k ? other : target, NULL) != EGDI_OK)
                _exit(1);
            fputs("half", o.f);
            fflush(o.f);
            _exit(0); /* killed: no commit, no abort */
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    char left[2][300] = {"", ""};
    DIR *d = opendir(top);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, ".scores.csv.egdi-", 17) == 0)
            snprintf(left[0], sizeof left[0], "%s", e->d_name);
        if (strncmp(e->d_name, ".other.csv.egdi-", 16) == 0)
            snprintf(left[1], sizeof left[1], "%s", e->d_name);
    }
    closedir(d);
    assert_true(left[0][0] && left[1][0]);
    /* still fresh: kept (a writer may be at work) */
    egdi_outfile o;
    assert_int_equal(egdi_outfile_open(&o, target, NULL), EGDI_OK);
    egdi_outfile_abort(&o);
    assert_true(exists(top, left[0]));
    age(top, left[0]);
    age(top, left[1]);
    assert_int_equal(egdi_outfile_open(&o, target, NULL), EGDI_OK);
    fputs("whole\n", o.f);
    assert_int_equal(egdi_outfile_commit(&o, NULL), EGDI_OK);
    assert_false(exists(top, left[0]));
    assert_true(exists(top, left[1])); /* another target's: not this write's to sweep */
    assert_true(exists(top, "scores.csv"));
    assert_int_equal(egdi_dir_remove(top, NULL), EGDI_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(removes_a_tree_and_not_what_links_point_to),
        cmocka_unit_test(reports_what_it_cannot_remove),
        cmocka_unit_test(sweeps_only_stale_staging_entries),
        cmocka_unit_test(staging_names),
        cmocka_unit_test(outfile_sweeps_what_a_killed_writer_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
