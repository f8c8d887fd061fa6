/*
 * outfile.h - an output file that appears whole or not at all.
 *
 * egdi_outfile_open() creates a temporary file beside the target (same
 * directory, mode 0666 less the umask, the staging name ".BASE.egdi-XXXXXX"
 * of engine/core/dirs.h, which also sweeps away the target's temporary
 * files left by a killed egdi); the caller writes to o->f;
 * egdi_outfile_commit() flushes, syncs and closes it and renames it over the
 * target, and egdi_outfile_abort() removes it.  On any failure (a full disk,
 * a read-only directory) the target is left as it was and no temporary file
 * stays behind.  A target that exists and is not a regular file (a FIFO, a
 * device), or any name under /dev or /proc (/dev/stdout, /dev/fd/1), must not
 * be replaced by a rename: it is written directly.  A symbolic link stays a
 * link: the file it points to is replaced (a dangling link is written
 * through, creating its target).
 *
 * The egdi_outfile owns its FILE and the two path copies; commit and abort
 * release them (both harmless on a released or zeroed record).
 */
#ifndef EGDI_OUTFILE_H
#define EGDI_OUTFILE_H

#include <stdio.h>

#include "engine/core/error.h"

typedef struct {
    FILE *f;    /* write here */
    char *path; /* the target, as given */
    char *dest; /* where a symbolic link at path points; NULL: path itself */
    char *tmp;  /* the temporary file; NULL when writing the target directly */
    int lock;   /* 1 + a descriptor holding the temporary file's staging lock
                   (engine/core/dirs.h) until it is renamed; 0: none */
} egdi_outfile;

/* Opens a temporary file for path.  Errors name path and say why. */
egdi_status egdi_outfile_open(egdi_outfile *o, const char *path, egdi_error *err);

/* Finishes the file: the target now holds exactly what was written.
 * On failure the target is unchanged and the temporary file removed. */
egdi_status egdi_outfile_commit(egdi_outfile *o, egdi_error *err);

/* Gives up: removes the temporary file, leaves the target alone. */
void egdi_outfile_abort(egdi_outfile *o);

/*
 * Refuses an output that is one of the inputs it is made from: EGDI_ERR_ARG
 * when path names an existing regular file that is the same file (device
 * and inode, so through a symbolic or hard link too) as one of
 * inputs[0..n).  NULL inputs, inputs that do not exist and a path that is
 * not a regular file (a FIFO, /dev/stdout) are never refused.  The message
 * names both: "\"OUT\" is the input \"IN\": writing it would replace what
 * is read".  Call it before reading anything.
 */
egdi_status egdi_outfile_check(const char *path, const char *const *inputs, size_t n,
                               egdi_error *err);

/*
 * Writes s as one RFC 4180 field (quoted when it holds a comma, a quote or
 * a line break).  CSV files are opened in spreadsheets, so a text starting
 * with = + - @, a tab or a carriage return that is not a plain number
 * ("=HYPERLINK(...)", "+cmd|...", "-abc"; not "-5" or "1e3") is written
 * with a leading apostrophe and can never run as a formula.  The one CSV
 * field writer of the command line's tables and the report's CSV tables.
 * Returns 0, or -1 on a write error.
 */
int egdi_outfile_csv_field(FILE *out, const char *s);

#endif
