/*
 * stream.c - reading an input that is not a regular file whole, bounded
 * (stream.h).  The buffer doubles as it fills, never past the cap plus one
 * read (which tells a stream of exactly max bytes from a longer one).
 */
#include "engine/core/stream.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STREAM_FIRST (64u * 1024u) /* the first buffer */

bool egdi_stream_is(const char *path)
{
    struct stat sb;
    return path && stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
}

egdi_status egdi_stream_read(const char *path, uint64_t max, char **buf, size_t *len,
                             egdi_error *err)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot open: %s", strerror(errno));
    }
    char *b = NULL;
    size_t cap = 0, n = 0;
    egdi_status st = EGDI_OK;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : STREAM_FIRST;
            if (ncap > max + 1)
                ncap = (size_t)max + 1; /* one byte past the cap says "more" */
            if (ncap <= n) {
                bool mib = max >= (1u << 20) && max % (1u << 20) == 0;
                egdi_error_at(err, path, NULL, 0, 0);
                st = egdi_error_set(err, EGDI_ERR_LIMIT,
                                    "a stream (not a regular file) of more than %llu %s, the "
                                    "most egdi reads from one: save it to a file first",
                                    (unsigned long long)(mib ? max >> 20 : max),
                                    mib ? "MiB" : "bytes");
                break;
            }
            char *nb = realloc(b, ncap + 1);
            if (!nb) {
                egdi_error_at(err, path, NULL, 0, 0);
                st = egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the stream");
                break;
            }
            b = nb;
            cap = ncap;
        }
        ssize_t k = read(fd, b + n, cap - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            egdi_error_at(err, path, NULL, 0, 0);
            st = egdi_error_set(err, EGDI_ERR_IO, "cannot read: %s", strerror(errno));
            break;
        }
        if (k == 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    if (st != EGDI_OK) {
        free(b);
        return st;
    }
    if (!b && !(b = malloc(1))) {
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory reading the stream");
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return EGDI_OK;
}
