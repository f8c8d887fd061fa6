/*
 * A model read from an XLSX workbook (sheets settings, catalogue, stages,
 * as an evaluator would keep it) is the same model as the built-in CSV
 * tables: same nodes, same hash.  The workbook is written here with
 * libxlsxwriter from the built-in jiangsu tables (numbers as numbers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "engine/core/embedded.h"
#include "model_fixture.h"

/* Writes the CSV text (no quoted fields) into ws, numbers as numbers. */
static void write_sheet(lxw_worksheet *ws, const char *text)
{
    lxw_row_t row = 0;
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, "\n");
        lxw_col_t col = 0;
        size_t i = 0;
        while (i <= len) {
            size_t k = strcspn(p + i, ",\n");
            if (i + k > len)
                k = len - i;
            char cell[512];
            memcpy(cell, p + i, k);
            cell[k] = '\0';
            char *end;
            double v = strtod(cell, &end);
            if (k && *end == '\0')
                worksheet_write_number(ws, row, col, v, NULL);
            else if (k)
                worksheet_write_string(ws, row, col, cell, NULL);
            col++;
            i += k + 1;
        }
        row++;
        p += len;
        if (*p == '\n')
            p++;
    }
}

static void workbook_equals_builtin(void **state)
{
    (void)state;
    char path[] = "/tmp/egdi_model_xlsx_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char xpath[64];
    snprintf(xpath, sizeof xpath, "%s.xlsx", path);
    lxw_workbook *wb = workbook_new(xpath);
    assert_non_null(wb);
    const char *parts[3] = {"settings", "catalogue", "stages"};
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "models/jiangsu/%s.csv", parts[i]);
        const egdi_embedded_file *f = egdi_embedded_find(name);
        assert_non_null(f);
        write_sheet(workbook_add_worksheet(wb, parts[i]), (const char *)f->data);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

    egdi_model *x = NULL, *b = NULL;
    egdi_error err;
    egdi_error_clear(&err);
    egdi_status st = egdi_model_load(&x, xpath, NULL, &err);
    if (st)
        fail_msg("%s", err.message);
    assert_int_equal(egdi_model_load(&b, "jiangsu", NULL, &err), EGDI_OK);
    assert_int_equal(x->nnodes, b->nnodes);
    assert_string_equal(x->nodes[egdi_model_find(x, "GIRI3")].name_zh, "开放数据集数量");
    assert_string_equal(x->hash, b->hash);
    egdi_model_free(x);
    egdi_model_free(b);
    unlink(xpath);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(workbook_equals_builtin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
