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
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
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

/* ---- staging ------------------------------------------------------------ */

#define STAGING_TAG ".egdi-"

egdi_status egdi_dir_staging_prefix(const char *target, char *dir, size_t dsize, char *prefix,
                                    size_t psize, egdi_error *err)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    int n = slash ? snprintf(dir, dsize, "%.*s", (int)(slash == target ? 1 : slash - target),
                             target)
                  : snprintf(dir, dsize, ".");
    int k = snprintf(prefix, psize, ".%s" STAGING_TAG, base);
    if (n < 0 || k < 0 || (size_t)n >= dsize || (size_t)k >= psize || !*base)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "cannot stage \"%s\": the name is too long",
                              target);
    return EGDI_OK;
}

egdi_status egdi_dir_staging_name(const char *target, char *buf, size_t size, egdi_error *err)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    int n = snprintf(buf, size, "%.*s.%s" STAGING_TAG "XXXXXX", slash ? (int)(base - target) : 0,
                     target, base);
    if (n < 0 || (size_t)n >= size || !*base)
        return egdi_error_set(err, EGDI_ERR_LIMIT, "cannot stage \"%s\": the name is too long",
                              target);
    return EGDI_OK;
}

void egdi_dir_staging_lock(int fd)
{
    while (flock(fd, LOCK_EX | LOCK_NB) != 0 && errno == EINTR)
        ;
}

/* True for prefix followed by exactly EGDI_STAGING_RANDOM letters or
 * digits (what mkstemp and mkdtemp put there). */
static bool staging_name(const char *name, const char *prefix)
{
    size_t k = strlen(prefix);
    if (strncmp(name, prefix, k) != 0 || strlen(name + k) != EGDI_STAGING_RANDOM)
        return false;
    for (const char *p = name + k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return false;
    return true;
}

size_t egdi_dir_sweep(const char *dir, const char *prefix)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return 0;
    }
    size_t removed = 0;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (!staging_name(e->d_name, prefix) ||
            fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) || st.st_uid != geteuid())
            continue;
        double age = difftime(now, st.st_mtime);
        if (age < EGDI_STAGING_GRACE)
            continue; /* perhaps just made, not yet locked */
        int fd = openat(dirfd(d), e->d_name,
                        O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK |
                            (S_ISDIR(st.st_mode) ? O_DIRECTORY : 0));
        if (fd < 0)
            continue;
        int rc;
        while ((rc = flock(fd, LOCK_EX | LOCK_NB)) != 0 && errno == EINTR)
            ;
        bool stale = rc == 0 || ((errno == ENOLCK || errno == EOPNOTSUPP || errno == ENOSYS) &&
                                 age >= EGDI_STAGING_UNLOCKED_AGE);
        if (stale) { /* removed while holding the lock: a sweep beside us waits out */
            if (S_ISDIR(st.st_mode)) {
                char path[4096];
                int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                if (n > 0 && (size_t)n < sizeof path && egdi_dir_remove(path, NULL) == EGDI_OK)
                    removed++;
            } else if (unlinkat(dirfd(d), e->d_name, 0) == 0) {
                removed++;
            }
        }
        close(fd);
    }
    closedir(d);
    return removed;
}

/* Tries before giving up on a free staging name. */
#define STAGING_TRIES 100

egdi_status egdi_dir_staging_open(const char *target, char *path, size_t size, int *fd,
                                  egdi_error *err)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    char dir[4096], prefix[1024];
    *fd = -1;
    egdi_status st = egdi_dir_staging_prefix(target, dir, sizeof dir, prefix, sizeof prefix, err);
    if (st == EGDI_OK)
        st = egdi_dir_staging_name(target, path, size, err);
    if (st != EGDI_OK) {
        errno = ENAMETOOLONG;
        return st;
    }
    egdi_dir_sweep(dir, prefix);
    size_t n = strlen(path);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40) ^
                 (uint64_t)(uintptr_t)path;
    int e = 0;
    for (int t = 0; t < STAGING_TRIES; t++) {
        for (size_t i = 0; i < EGDI_STAGING_RANDOM; i++) {
            x = x * 6364136223846793005ull + 1442695040888963407ull; /* an LCG step */
            path[n - EGDI_STAGING_RANDOM + i] = digits[(x >> 33) % (sizeof digits - 1)];
        }
        *fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        e = errno;
        if (*fd >= 0) {
            egdi_dir_staging_lock(*fd);
            return EGDI_OK;
        }
        if (e != EEXIST)
            break;
    }
    st = egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", target,
                        e == ENOSPC ? "the disk is full" : strerror(e));
    errno = e;
    return st;
}
