/*
 * embedded_find.c - look-up in the table of built-in files.
 */
#include "engine/core/embedded.h"

#include <string.h>

const egdi_embedded_file *egdi_embedded_find(const char *path)
{
    for (const egdi_embedded_file *f = egdi_embedded; f->path; f++)
        if (strcmp(f->path, path) == 0)
            return f;
    return NULL;
}
