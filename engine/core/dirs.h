/*
 * dirs.h - removing a directory that egdi made (a report's staging
 * directory, the scratch directory of a chart run) with everything in it.
 *
 * The one directory-removal helper of the program: it walks the tree
 * deepest entries first, never follows a symbolic link (a link is removed,
 * not what it points to) and never crosses into another file system.  Only
 * for directories egdi created itself.
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

#endif
