/*
 * dirs.c - egdi_dir_remove (dirs.h): a depth-first walk with the *at()
 * calls of POSIX.1-2008, each directory opened relative to its parent's
 * descriptor (O_NOFOLLOW), so no path is ever built or truncated and a
 * symbolic link met on the way is unlinked, never followed.  One
 * descriptor is open per level of the tree.
 */
#include "engine/core/dirs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    dev_t dev;      /* the file system of the top directory */
    bool failed;    /* an entry could not be removed */
    egdi_error *err; /* the first failure (may be NULL) */
} walk;

static void note_failure(walk *w, const char *name, int e)
{
    if (!w->failed && w->err)
        egdi_error_set(w->err, EGDI_ERR_IO, "cannot remove \"%s\": %s", name, strerror(e));
    w->failed = true;
}

/* Removes entry name of the directory open as parent (AT_FDCWD: the
 * current directory) and, for a directory, everything in it first. */
static void remove_at(int parent, const char *name, walk *w)
{
    struct stat st;
    if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT)
            note_failure(w, name, errno);
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlinkat(parent, name, 0) != 0 && errno != ENOENT)
            note_failure(w, name, errno);
        return;
    }
    if (st.st_dev != w->dev) { /* a mount point: leave it and what is on it */
        note_failure(w, name, EXDEV);
        return;
    }
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        note_failure(w, name, errno);
        if (fd >= 0)
            close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            remove_at(dirfd(d), e->d_name, w);
    closedir(d); /* closes fd */
    if (unlinkat(parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        note_failure(w, name, errno);
}

egdi_status egdi_dir_remove(const char *dir, egdi_error *err)
{
    struct stat st;
    if (lstat(dir, &st) != 0)
        return errno == ENOENT ? EGDI_OK
                               : (err ? egdi_error_set(err, EGDI_ERR_IO, "cannot remove \"%s\": %s",
                                                       dir, strerror(errno))
                                      : EGDI_ERR_IO);
    walk w = {st.st_dev, false, err};
    remove_at(AT_FDCWD, dir, &w);
    return w.failed ? EGDI_ERR_IO : EGDI_OK;
}
