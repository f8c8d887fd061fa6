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

/* i18n.c's own table (headings, notes, messages) and i18n_help.c's (the
 * help pages); tests/unit/test_cli_i18n.c checks both. */
extern const cli_tr_pair cli_tr_pairs[];
extern const size_t cli_tr_pairs_n;
extern const cli_tr_pair cli_tr_help[];
extern const size_t cli_tr_help_n;
/* i18n_errors.c's: the engine's error formats (error_text.c matches a
 * message against them); tests/unit/test_cli_i18n.c checks it too. */
extern const cli_tr_pair cli_tr_errors[];
extern const size_t cli_tr_errors_n;

#endif
