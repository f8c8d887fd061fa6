/*
 * embedded.h - files from data/ compiled into the program (tools/embed.c).
 */
#ifndef EGDI_EMBEDDED_H
#define EGDI_EMBEDDED_H

#include <stddef.h>

typedef struct {
    const char *path;           /* e.g. "models/jiangsu/catalogue.csv" */
    const unsigned char *data;  /* NUL-terminated */
    size_t size;                /* without the NUL */
} egdi_embedded_file;

/* Terminated by an entry whose path is NULL. */
extern const egdi_embedded_file egdi_embedded[];

/* The file at path, or NULL. */
const egdi_embedded_file *egdi_embedded_find(const char *path);

#endif
