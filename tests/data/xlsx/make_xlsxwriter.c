/*
 * make_xlsxwriter.c - writes basic.xlsx (shared strings) and inline.xlsx
 * (constant_memory mode: inline strings) with libxlsxwriter.  Run once from
 * this folder; the outputs are committed.  Not part of the build.
 *
 *   cc -o /tmp/mk make_xlsxwriter.c -lxlsxwriter && /tmp/mk
 */
#include <xlsxwriter.h>

static int write(const char *path, int constant_memory)
{
    lxw_workbook_options o = {.constant_memory = (uint8_t)constant_memory};
    lxw_workbook *wb = workbook_new_opt(path, &o);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "评估");
    lxw_worksheet *two = workbook_add_worksheet(wb, "Sheet2");
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd");
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format_index(pct, 9);
    const char *head[] = {"code", "name", "coverage", "online", "since", "cio"};
    for (int j = 0; j < 6; j++)
        worksheet_write_string(ws, 0, (lxw_col_t)j, head[j], NULL);
    const char *code[] = {"D01", "D02", "D03"};
    const char *name[] = {"教育局", "卫生健康委员会", "R&D <office>"};
    double cov[] = {0.85, 0.6, 1};
    for (int i = 0; i < 3; i++) {
        lxw_row_t r = (lxw_row_t)(i + 1);
        worksheet_write_string(ws, r, 0, code[i], NULL);
        worksheet_write_string(ws, r, 1, name[i], NULL);
        worksheet_write_number(ws, r, 2, cov[i], pct);
        if (i != 1) /* a gap */
            worksheet_write_number(ws, r, 3, 12.5 * (i + 1), NULL);
        lxw_datetime d = {2020 + i, 1 + i, 15, 0, 0, 0};
        worksheet_write_datetime(ws, r, 4, &d, date);
        worksheet_write_boolean(ws, r, 5, i != 2, NULL);
    }
    worksheet_write_formula_num(ws, 5, 3, "=SUM(D2:D4)", NULL, 50);
    worksheet_write_string(two, 2, 1, "second", NULL);
    return workbook_close(wb) != LXW_NO_ERROR;
}

int main(void)
{
    return write("basic.xlsx", 0) | write("inline.xlsx", 1);
}
