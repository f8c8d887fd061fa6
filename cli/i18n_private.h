/*
 * i18n_private.h - the translation tables of cli/ (i18n.c looks a text up
 * in its own table, then in i18n_help.c's).
 */
#ifndef EGDI_CLI_I18N_PRIVATE_H
#define EGDI_CLI_I18N_PRIVATE_H

#include <stddef.h>

typedef struct {
    const char *en, *zh;
} cli_tr_pair;

extern const cli_tr_pair cli_tr_help[];
extern const size_t cli_tr_help_n;

#endif
