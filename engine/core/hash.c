/*
 * hash.c - SHA-256 through OpenSSL's EVP interface (see hash.h).
 * An egdi_sha256 is an EVP_MD_CTX (the struct is never defined: the pointer
 * is cast); egdi_sha256_final frees it.
 */
#include "engine/core/hash.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

static void to_hex(const unsigned char md[32], char hex[EGDI_SHA256_HEX])
{
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
}

egdi_sha256 *egdi_sha256_new(void)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return NULL;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    return (egdi_sha256 *)ctx;
}

void egdi_sha256_update(egdi_sha256 *h, const void *buf, size_t size)
{
    EVP_DigestUpdate((EVP_MD_CTX *)h, buf, size);
}

void egdi_sha256_final(egdi_sha256 *h, char hex[EGDI_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex((EVP_MD_CTX *)h, md, &n);
    EVP_MD_CTX_free((EVP_MD_CTX *)h);
    to_hex(md, hex);
}

void egdi_sha256_mem(const void *buf, size_t size, char hex[EGDI_SHA256_HEX])
{
    unsigned char md[32];
    EVP_Digest(buf, size, md, NULL, EVP_sha256(), NULL);
    to_hex(md, hex);
}

egdi_status egdi_sha256_file(const char *path, char hex[EGDI_SHA256_HEX], egdi_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot open: %s", strerror(errno));
    }
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        /* a pipe or a device could go on for ever (/dev/zero) */
        fclose(f);
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot hash it: not a regular file");
    }
    egdi_sha256 *h = egdi_sha256_new();
    if (!h) {
        fclose(f);
        return egdi_error_set(err, EGDI_ERR_NOMEM, "out of memory hashing the file");
    }
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        egdi_sha256_update(h, buf, n);
    int bad = ferror(f);
    fclose(f);
    egdi_sha256_final(h, hex);
    if (bad) {
        egdi_error_at(err, path, NULL, 0, 0);
        return egdi_error_set(err, EGDI_ERR_IO, "cannot read the file");
    }
    return EGDI_OK;
}
