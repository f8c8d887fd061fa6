/*
 * outfile.c - output files written to a temporary name and renamed when
 * complete (see outfile.h).
 */
#include "engine/core/outfile.h"

#include "engine/core/dirs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void release(egdi_outfile *o)
{
    if (o->lock > 0)
        close(o->lock - 1);
    o->lock = 0;
    free(o->path);
    free(o->dest);
    free(o->tmp);
    o->f = NULL;
    o->path = o->dest = o->tmp = NULL;
}

static egdi_status fail(egdi_outfile *o, int e, egdi_error *err)
{
    egdi_error_at(err, o->path, NULL, 0, 0);
    egdi_error_set(err, EGDI_ERR_IO, "cannot write \"%s\": %s", o->path,
                   e == ENOSPC ? "the disk is full" : strerror(e));
    return EGDI_ERR_IO;
}

/* Is path a stream or device that must be written in place: a name under
 * /dev or /proc (/dev/stdout, /dev/fd/3, /dev/full), or an existing file
 * that is not a regular file (a FIFO, a device)? */
static bool in_place(const char *path)
{
    if (strncmp(path, "/dev/", 5) == 0 || strncmp(path, "/proc/", 6) == 0)
        return true;
    struct stat sb;
    return stat(path, &sb) == 0 && !S_ISREG(sb.st_mode);
}

egdi_status egdi_outfile_open(egdi_outfile *o, const char *path, egdi_error *err)
{
    memset(o, 0, sizeof *o);
    if (!(o->path = strdup(path)))
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
    int fd = -1, e = 0;
    struct stat lsb;
    bool link = lstat(path, &lsb) == 0 && S_ISLNK(lsb.st_mode);
    char *real = link ? realpath(path, NULL) : NULL;
    if (in_place(path) || (link && !real)) {
        /* (a dangling link: its target is created through it) */
        free(real);
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_TRUNC, 0666);
        e = errno;
    } else {
        /* a symbolic link stays a link: its target is replaced */
        const char *target = real ? real : path;
        size_t size = strlen(target) + 32;
        egdi_error serr;
        if (!(o->tmp = malloc(size))) {
            free(real);
            release(o);
            return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory");
        }
        egdi_error_clear(&serr);
        if (egdi_dir_staging_open(target, o->tmp, size, &fd, &serr) != EGDI_OK) {
            e = errno ? errno : EIO;
            free(o->tmp);
            o->tmp = NULL;
        } else {
            int lock = dup(fd); /* keeps the lock from fclose to the rename */
            o->lock = lock >= 0 ? lock + 1 : 0;
        }
        o->dest = real;
    }
    if (fd >= 0 && !(o->f = fdopen(fd, "w"))) {
        e = errno;
        close(fd);
        if (o->tmp)
            unlink(o->tmp);
        fd = -1;
    }
    if (fd < 0) {
        egdi_status st = fail(o, e, err);
        release(o);
        return st;
    }
    return EGDI_OK;
}

egdi_status egdi_outfile_commit(egdi_outfile *o, egdi_error *err)
{
    if (!o->f) {
        release(o);
        return EGDI_OK;
    }
    int e = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        e = errno ? errno : EIO;
    if (!e && o->tmp && fsync(fileno(o->f)) != 0)
        e = errno;
    if (fclose(o->f) != 0 && !e)
        e = errno ? errno : EIO;
    o->f = NULL;
    if (!e && o->tmp && rename(o->tmp, o->dest ? o->dest : o->path) != 0)
        e = errno;
    if (e) {
        if (o->tmp)
            unlink(o->tmp);
        egdi_status st = fail(o, e, err);
        release(o);
        return st;
    }
    release(o);
    return EGDI_OK;
}

void egdi_outfile_abort(egdi_outfile *o)
{
    if (o->f)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    release(o);
}

egdi_status egdi_outfile_check(const char *path, const char *const *inputs, size_t n,
                               egdi_error *err)
{
    struct stat out, in;
    if (!path || stat(path, &out) != 0 || !S_ISREG(out.st_mode))
        return EGDI_OK; /* nothing there yet, or a stream written in place */
    for (size_t i = 0; i < n; i++) {
        if (!inputs[i] || stat(inputs[i], &in) != 0)
            continue;
        if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
            if (strcmp(inputs[i], path) == 0)
                return egdi_error_set(err, EGDI_ERR_ARG,
                                      "\"%s\" is also an input of this command: writing it "
                                      "would replace what is read; write to another file",
                                      path);
            return egdi_error_set(err, EGDI_ERR_ARG,
                                  "\"%s\" is the same file as the input \"%s\": writing it "
                                  "would replace what is read; write to another file",
                                  path, inputs[i]);
        }
    }
    return EGDI_OK;
}

/* Would a spreadsheet read s as a formula? */
static bool looks_like_formula(const char *s)
{
    if (!s[0] || !strchr("=+-@\t\r", s[0]))
        return false;
    char *end;
    strtod(s, &end);
    return end == s || *end != '\0';
}

int egdi_outfile_csv_field(FILE *out, const char *s)
{
    const char *lead = looks_like_formula(s) ? "'" : "";
    if (strpbrk(s, ",\"\r\n") == NULL)
        return (*lead && fputs(lead, out) == EOF) || fputs(s, out) == EOF ? -1 : 0;
    if (fputc('"', out) == EOF || fputs(lead, out) == EOF)
        return -1;
    for (; *s; s++) {
        if (*s == '"' && fputc('"', out) == EOF)
            return -1;
        if (fputc(*s, out) == EOF)
            return -1;
    }
    return fputc('"', out) == EOF ? -1 : 0;
}
