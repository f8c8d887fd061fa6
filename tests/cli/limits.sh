#!/bin/sh
# Hostile files through the real `egdi import` and `egdi survey`: each must
# fail with one clear line and leave the store unchanged (or, for a lying
# count or dimension, import without allocating what the number says).
# The files are built here by tests/cli/hostile/make.py (python3's zipfile).
. tests/cli/lib.sh
H=$T/h
mkdir -p "$H"
python3 tests/cli/hostile/make.py "$H" || { echo "FAIL make.py"; exit 1; }
DB=$T/l.db
E() { "$EGDI" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
run E init
ok "init"

# zip bombs: the unzipped size and the ratio, both configurable
run "$EGDI" survey describe --data "$H/big_survey.xlsx" --format csv
ok "a 2.9 MB sheet is read with the default limits"
has "40000 respondents" "Q1,40000,0,3.000"
run "$EGDI" survey describe --data "$H/big_survey.xlsx" --max-unzipped 1M
fails "survey --max-unzipped 1M refuses it"
err_has "size limit named" '解压后将达 2886877 字节，超过上限 1048576'
run E import survey "$H/big_survey.xlsx" --survey s --max-unzipped 1M
fails "import --max-unzipped 1M refuses it"
err_has "import size limit named" '超过上限 1048576'
run "$EGDI" survey describe --data "$H/big_survey.xlsx" --max-ratio 5
fails "--max-ratio 5 refuses a sheet compressed 9 times"
err_has "ratio named" '解压后将达压缩大小的 9 倍，超过上限 5'
run E import units "$H/lying_size.xlsx" --max-unzipped 1M
fails "a zip whose headers understate the size"
err_has "counted on the bytes inflated" '解压后超过 zip 头记录的大小'
run E import units "$H/ratio_bomb.xlsx"
fails "a 20 MB-of-blanks ratio bomb"
err_has "bomb named" '倍，超过上限 1000（zip 炸弹？）'
run E import units "$H/ratio_bomb.xlsx" --max-ratio 2000
ok "the same file with --max-ratio 2000"
run E import units "$H/ratio_bomb.xlsx" --max-ratio 0
fails "--max-ratio 0 is a usage error"
run E import units "$H/big_survey.xlsx" --max-unzipped 12Q
err_has "--max-unzipped wants a size" "--max-unzipped 须为字节数（如 500M 或 2G），不是 '12Q'"
q 'DELETE FROM unit' >/dev/null 2>&1
q 'DELETE FROM import_batch' >/dev/null 2>&1

# XML entity expansion: every part refuses a DTD
for p in sst book sheet; do
    run E import units "$H/dtd_$p.xlsx"
    fails "a DTD in the $p XML"
    err_has "DTD refused in $p" '拒绝 DTD 和实体'
done
run E import units "$H/xxe.xlsx"
fails "an external entity"
err_has "external entity refused" '拒绝 DTD 和实体'

# deep nesting
run E import units "$H/deep_sheet.xlsx"
fails "100,000 nested elements in the sheet"
err_has "sheet nesting" '工作表 XML 嵌套层数超过上限'
run E import units "$H/deep_sst.xlsx"
fails "100,000 nested elements in the shared strings"
err_has "shared strings nesting" 'xl/sharedStrings.xml：XML 嵌套层数超过上限 64'

# dimensions, references and counts from the file
run E import units "$H/huge_dim.xlsx"
ok "a dimension of A1:XFD1048576 on a 2-row sheet allocates nothing for it"
run E import units "$H/sst_count.xlsx"
ok "a shared-strings count of 4294967295 is only a hint"
same "the units of both" "$(q 'SELECT group_concat(code) FROM unit')" "D1"
run E import units "$H/row_beyond.xlsx"
fails "row 1048577"
err_has "row number named" '行号有误 r="1048577"'
run E import units "$H/ref_beyond.xlsx"
fails "column XFE"
err_has "reference named" '单元格引用 "XFE2" 有误（超出 XFD1048576'
run E import units "$H/ref_huge.xlsx"
fails "a 20-digit row in a reference"
err_has "huge reference" '单元格引用 "A999999999999999'
run E import units "$H/sst_index.xlsx"
fails "a shared-string index past the table"
err_has "index named" '共享字符串索引 "4000000000" 不存在'

# text over 32,767 characters (Excel's cell limit), counted in characters
for f in long_inline.xlsx long_sst.xlsx long_cell.csv; do
    run E import units "$H/$f"
    fails "32,768 characters in $f"
    err_has "length named in $f" 'B 列：文本长 32768 个字符，超过上限 32767'
done
run E import units "$H/max_inline.xlsx" --replace
ok "exactly 32,767 CJK characters (98,301 bytes) are allowed"

# more columns than a sheet (and the store) allows
run E import metrics "$H/wide.csv" --round 2024
fails "16,386 columns"
err_has "columns limit" '第 1 行，XFE 列：超过 16384 列'

# not what the extension says
run E import units "$H/text.xlsx"
fails "an .xlsx that is CSV text"
err_has "not a zip" 'text.xlsx：不是 XLSX 文件'
run E import units "$H/gzip.xlsx"
fails "an .xlsx that is zlib data"
run E import units "$H/binary.csv"
fails "a .csv that is a PNG"
err_has "binary named" 'binary.csv：第 9 字节处是二进制数据；不是 CSV 文本文件'

# path-like entry names
for p in abs dots backslash drive; do
    run E import units "$H/path_$p.xlsx"
    fails "an entry name like a path ($p)"
    err_has "unsafe path ($p)" 'zip 中有路径不安全的条目'
done

same "the store holds only the good imports" "$(q 'SELECT count(*) FROM unit')" "1"
finish
