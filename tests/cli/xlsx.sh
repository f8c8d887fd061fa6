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
err_has "the missing sheet lists the sheets" 'no sheet "2" (the workbook has "Data")'
run E import units "$X/basic.xlsx" --sheet Nope
fails "a missing sheet name"
err_has "the sheets of basic.xlsx" 'no sheet "Nope" (the workbook has "评估", "Sheet2")'

run E import units "$X/bad_doctype.xlsx"
fails "a DOCTYPE is refused"
err_has "DOCTYPE message" 'bad_doctype.xlsx, sheet "Data": the sheet XML has a DOCTYPE'
run E import units "$X/bad_utf8.xlsx"
fails "invalid UTF-8"
err_has "UTF-8 at row and column" 'bad_utf8.xlsx, sheet "Data", row 3, column B: invalid UTF-8'
run E import units "$X/beyond_xfd.xlsx"
fails "a reference beyond XFD"
err_has "bad reference named" 'row 2: bad cell reference "XFE2"'
run E import units "$X/bomb.xlsx"
fails "a zip bomb"
err_has "ratio limit" 'would inflate 1019 times its compressed size, over the limit of 1000'
run E import units "$X/evil_path.xlsx"
fails "a path-like entry name"
err_has "unsafe path" 'unsafe path "../../evil.txt"'
run E import units "$X/not_xlsx.xlsx"
fails "a zip that is not a workbook"
err_has "no workbook" 'not an XLSX workbook: the zip has no xl/workbook.xml'
run E import units "$X/truncated.xlsx"
fails "a truncated zip"
err_has "truncated" 'truncated.xlsx: cannot open the workbook'
same "nothing imported by the failures" "$(q 'SELECT count(*) FROM unit')" "3"
finish
