#!/bin/sh
# CLI tests of the XLSX reader through `egdi import units`, on the small
# workbooks in tests/data/xlsx (made by make_odd.py and make_xlsxwriter.c
# there): a good file, then each broken or hostile one must fail with one
# line naming the file, the sheet, the row and column when known, and why.
. tests/cli/lib.sh
X=$DATA/xlsx
DB=$T/x.db
E() { "$EGDI" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }

run E init
ok "init"
run E import units "$X/units.xlsx"
ok "units from an XLSX with shared strings"
same "3 units" "$(q 'SELECT count(*) FROM unit')" "3"
same "CJK name from the shared strings" "$(q "SELECT name FROM unit WHERE code='D02'")" "卫生健康委"
same "level read as a number" "$(q "SELECT level FROM unit WHERE code='D01'")" "2"

run E import units "$X/units.xlsx" --sheet 2
fails "a missing sheet index"
err_has "the missing sheet lists the sheets" '没有工作表 "2"（工作簿中有 "Data"）'
run E import units "$X/basic.xlsx" --sheet Nope
fails "a missing sheet name"
err_has "the sheets of basic.xlsx" '没有工作表 "Nope"（工作簿中有 "评估", "Sheet2"）'

run E import units "$X/bad_doctype.xlsx"
fails "a DOCTYPE is refused"
err_has "DOCTYPE message" 'bad_doctype.xlsx，工作表 "Data"：工作表 XML 含 DOCTYPE'
run E import units "$X/bad_utf8.xlsx"
fails "invalid UTF-8"
err_has "UTF-8 at row and column" 'bad_utf8.xlsx，工作表 "Data"，第 3 行，B 列：单元格中有无效的 UTF-8 文本'
run E import units "$X/beyond_xfd.xlsx"
fails "a reference beyond XFD"
err_has "bad reference named" '第 2 行：单元格引用 "XFE2" 有误'
run E import units "$X/bomb.xlsx"
fails "a zip bomb"
err_has "ratio limit" '解压后将达压缩大小的 1019 倍，超过上限 1000'
run E import units "$X/evil_path.xlsx"
fails "a path-like entry name"
err_has "unsafe path" 'zip 中有路径不安全的条目 "../../evil.txt"'
run E import units "$X/not_xlsx.xlsx"
fails "a zip that is not a workbook"
err_has "no workbook" '不是 XLSX 工作簿：zip 中没有 xl/workbook.xml'
run E import units "$X/truncated.xlsx"
fails "a truncated zip"
err_has "truncated" 'truncated.xlsx：无法打开工作簿：不是 zip 压缩包（文件是否被截断？）'
same "nothing imported by the failures" "$(q 'SELECT count(*) FROM unit')" "3"
finish
