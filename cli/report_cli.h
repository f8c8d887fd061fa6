/*
 * report_cli.h - what `egdi report` and `egdi demo` share: writing the
 * report of a scored round and telling the user where it is.
 */
#ifndef EGDI_REPORT_CLI_H
#define EGDI_REPORT_CLI_H

#include "cli/cli.h"
#include "reports/report_build.h"
#include "engine/store/store.h"

/*
 * Builds the report of o->round from s and writes it into dir (created when
 * missing).  Prints which charts were skipped and why, and every file
 * written.  csv_cells: more unit x indicator values than this and the wide
 * tables are CSV files (egdi_report_data.csv_cells; 0 = the default).
 * *bundle (may be NULL) receives the gathered data for the caller to print
 * from; the caller frees it.  Shows progress on a terminal (ctx: --quiet).
 * Prints one error line and returns CLI_FAIL on failure.
 */
int report_write_dir(egdi_store *s, const egdi_report_build_opts *o, const char *dir,
                     bool no_charts, size_t csv_cells, const char *cmd, const cli_ctx *ctx,
                     egdi_report_bundle **bundle);

#endif
