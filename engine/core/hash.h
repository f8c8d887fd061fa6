/*
 * hash.h - SHA-256 of files and memory (OpenSSL libcrypto), as lower-case
 * hex, for import provenance and model / input hashes.
 */
#ifndef EGDI_HASH_H
#define EGDI_HASH_H

#include <stddef.h>

#include "engine/core/error.h"

#define EGDI_SHA256_HEX 65 /* 64 hex digits and a NUL */

typedef struct egdi_sha256 egdi_sha256;

/* The hash of a regular file; a pipe or a device is refused (EGDI_ERR_IO):
 * one may never end (/dev/zero): hash what was read of it instead. */
egdi_status egdi_sha256_file(const char *path, char hex[EGDI_SHA256_HEX], egdi_error *err);
void egdi_sha256_mem(const void *buf, size_t size, char hex[EGDI_SHA256_HEX]);

/* Incremental hashing: new / update / final (final frees the context). */
egdi_sha256 *egdi_sha256_new(void);
void egdi_sha256_update(egdi_sha256 *h, const void *buf, size_t size);
void egdi_sha256_final(egdi_sha256 *h, char hex[EGDI_SHA256_HEX]);

#endif
