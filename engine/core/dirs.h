/*
 * dirs.h - removing a directory that egdi made (a report's staging
 * directory, the scratch directory of a chart run) with everything in it;
 * and egdi's staging entries: making them, marking them in use, and
 * sweeping away the ones a killed egdi left behind.
 *
 * The one directory-removal helper of the program: it walks the tree
 * deepest entries first, never follows a symbolic link (a link is removed,
 * not what it points to) and never crosses into another file system.  Only
 * for directories egdi created itself.
 *
 * Staging.  Everything egdi writes is first written under a staging name
 * in the directory of its target and renamed into place when complete: a
 * file TARGET is staged as ".BASE.egdi-XXXXXX" beside it (BASE its last
 * path component), a report as "DIR/.egdi-report-XXXXXX"; the six X's are
 * those of mkstemp / mkdtemp.  While the writer runs it holds an exclusive
 * flock(2) on the entry (egdi_dir_staging_lock), which the kernel drops
 * when the process ends, however it ends (SIGKILL too).  Before it stages
 * anew, a writer sweeps its directory (egdi_dir_sweep): an entry with its
 * staging prefix, the six characters after it, owned by this user, older
 * than EGDI_STAGING_GRACE seconds and that no process holds locked is left
 * over from a killed egdi and is removed.  Nothing else is ever touched:
 * other names, other users' entries, entries in use.  Where locks are not
 * supported, only entries older than EGDI_STAGING_UNLOCKED_AGE are taken.
 */
#ifndef EGDI_DIRS_H
#define EGDI_DIRS_H

#include "engine/core/error.h"

/*
 * Removes dir and everything under it.  A missing dir is EGDI_OK.  An entry
 * that cannot be removed is left and the walk goes on with the others; the
 * result is then EGDI_ERR_IO, with err naming the first such entry (err may
 * be NULL for a best-effort clean-up).
 */
egdi_status egdi_dir_remove(const char *dir, egdi_error *err);

/* The time between creating a staging entry and locking it is covered by
 * this age (seconds): a younger entry is never swept. */
#define EGDI_STAGING_GRACE 10
/* Without flock(2) support, the age at which an entry counts as left over. */
#define EGDI_STAGING_UNLOCKED_AGE (24 * 3600)
/* Suffix characters of a staging name (mkstemp's XXXXXX). */
#define EGDI_STAGING_RANDOM 6

/*
 * The staging name of target into buf: "DIR/.BASE.egdi-XXXXXX" (DIR the
 * directory part of target, "." when none), ready for mkstemp / mkdtemp.
 * EGDI_ERR_LIMIT when it does not fit in size bytes.
 */
egdi_status egdi_dir_staging_name(const char *target, char *buf, size_t size, egdi_error *err);

/*
 * The directory and the prefix that egdi_dir_sweep needs for target's
 * staging names: dir gets DIR, prefix gets ".BASE.egdi-".  EGDI_ERR_LIMIT
 * when they do not fit (dsize, psize bytes).
 */
egdi_status egdi_dir_staging_prefix(const char *target, char *dir, size_t dsize, char *prefix,
                                    size_t psize, egdi_error *err);

/*
 * Sweeps target's directory (egdi_dir_sweep), then creates target's
 * staging file (egdi_dir_staging_name, mode 0666 less the umask, opened
 * O_EXCL for writing) into path (size bytes) and locks it; *fd is open on
 * it (close it after the rename: that ends the lock).  Errors name target.
 */
egdi_status egdi_dir_staging_open(const char *target, char *path, size_t size, int *fd,
                                  egdi_error *err);

/* Marks the staging entry open as fd as in use until fd is closed (an
 * exclusive flock).  Best effort: a file system without locks leaves it
 * unmarked (the sweep then goes by age alone). */
void egdi_dir_staging_lock(int fd);

/*
 * Removes from dir the staging entries left by a killed egdi: names that
 * are prefix followed by EGDI_STAGING_RANDOM letters or digits (files, and
 * directories with what they hold), owned by this user, older than
 * EGDI_STAGING_GRACE and not locked (see above).  Best effort, silent:
 * returns how many entries it removed.
 */
size_t egdi_dir_sweep(const char *dir, const char *prefix);

#endif
