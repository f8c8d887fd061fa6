/*
 * stream.h - inputs that are not regular files: a pipe, /dev/stdin, a
 * FIFO, a device.  Such an input can be read once and has no size to ask
 * for, so egdi reads it whole into memory, up to a cap it is given, and
 * refuses one that goes on beyond (/dev/zero, `yes` piped in) with one
 * line naming the input and the cap.
 *
 * egdi_stream_read() returns a malloc'd buffer the caller owns (free()).
 */
#ifndef EGDI_STREAM_H
#define EGDI_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/core/error.h"

/* True when path exists and is neither a regular file nor a directory. */
bool egdi_stream_is(const char *path);

/*
 * Reads all of path into *buf (malloc'd, len bytes, plus a NUL after them
 * that is not counted), at most max bytes: EGDI_ERR_LIMIT when there is
 * more ("PATH is a stream of more than N MiB (not a regular file), the most
 * egdi reads from one: save it to a file first"), EGDI_ERR_IO when it
 * cannot be read, EGDI_ERR_NOMEM.  On failure *buf is NULL.
 */
egdi_status egdi_stream_read(const char *path, uint64_t max, char **buf, size_t *len,
                             egdi_error *err);

#endif
