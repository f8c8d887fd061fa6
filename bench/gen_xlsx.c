/*
 * gen_xlsx.c - writes a survey-like workbook for timing the XLSX reader:
 * ROWS respondents x 44 columns (id, gender, age, region, 40 five-point
 * items), fixed seed, libxlsxwriter constant_memory mode (inline strings).
 * Not part of the build or the tests.
 *
 *   cc -O2 -o gen_xlsx bench/gen_xlsx.c -lxlsxwriter && ./gen_xlsx OUT.xlsx [ROWS]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <xlsxwriter.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s OUT.xlsx [ROWS]\n", argv[0]);
        return 2;
    }
    long rows = argc > 2 ? atol(argv[2]) : 200000;
    lxw_workbook_options o = {.constant_memory = 1};
    lxw_workbook *wb = workbook_new_opt(argv[1], &o);
    lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "survey") : NULL;
    if (!ws)
        return 1;
    static const char *regions[] = {"北京", "上海", "广州", "成都", "西安"};
    char name[16];
    worksheet_write_string(ws, 0, 0, "id", NULL);
    worksheet_write_string(ws, 0, 1, "gender", NULL);
    worksheet_write_string(ws, 0, 2, "age", NULL);
    worksheet_write_string(ws, 0, 3, "region", NULL);
    for (int j = 0; j < 40; j++) {
        snprintf(name, sizeof name, "Q%d", j + 1);
        worksheet_write_string(ws, 0, (lxw_col_t)(4 + j), name, NULL);
    }
    uint64_t s = 42;
    for (long i = 1; i <= rows; i++) {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        lxw_row_t r = (lxw_row_t)i;
        worksheet_write_number(ws, r, 0, (double)i, NULL);
        worksheet_write_string(ws, r, 1, (s >> 33) & 1 ? "男" : "女", NULL);
        worksheet_write_number(ws, r, 2, (double)(18 + (s >> 40) % 50), NULL);
        worksheet_write_string(ws, r, 3, regions[(s >> 50) % 5], NULL);
        int factor = (int)((s >> 20) % 3);
        for (int j = 0; j < 40; j++) {
            s = s * 6364136223846793005ull + 1442695040888963407ull;
            int v = 1 + factor + (int)((s >> 33) % 3);
            worksheet_write_number(ws, r, (lxw_col_t)(4 + j), v > 5 ? 5 : v, NULL);
        }
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
