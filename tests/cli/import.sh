#!/bin/sh
# CLI tests of egdi init / status / import on the files in tests/data/import.
. tests/cli/lib.sh
D=$DATA/import
DB=$T/s.db
E() { "$EGDI" --db "$DB" "$@"; }
dump() { sqlite3 "$DB" .dump; }
q() { sqlite3 "$DB" "$1"; }

run E status
fails "status without a store fails"
err_has "status says to init" "egdi init"

run E init
ok "init creates the store"
has "init reports the schema" "（结构版本 6）"
same "WAL mode" "$(q 'PRAGMA journal_mode')" "wal"

run E import units "$D/units.csv"
ok "import units"
same "7 units stored" "$(q 'SELECT count(*) FROM unit')" "7"
same "parent set" "$(q "SELECT p.code FROM unit u JOIN unit p ON p.id=u.parent_id WHERE u.code='SZ-JYJ'")" "SZ"
same "quoted name with comma" "$(q "SELECT name FROM unit WHERE code='SZ-JYJ'")" "苏州市教育局, 办公室"

run E import units "$D/units.csv"
fails "the same units file twice is refused"
err_has "re-import names --replace" "--replace"

run E import units "$D/units.csv" --replace
ok "--replace re-imports"
has "unchanged counted" "7 行未变"

run E import units "$D/units_dup.csv"
fails "duplicate unit codes rejected"
err_has "duplicate names first row" "在文件中出现两次（首次在第 2 行）"

run E import units "$D/empty.csv"
fails "empty file rejected"
err_has "empty says so" "empty"

before=$(dump)
run E import units "$D/header_only.csv"
ok "header-only units file imports nothing"
same "store unchanged by header-only units" "$(q 'SELECT count(*) FROM unit')" "7"

# a unit stored with other details is rejected, and with --skip-bad-rows the
# rejected row changes nothing of the stored unit (not even its parent)
printf 'code,name,kind,parent,level\nNJ-FGW,南京市发改委（新）,department,SZ,3\nNJ-NEW,南京市新局,department,NJ,3\n' >"$T/units_moved.csv"
run E import units "$T/units_moved.csv" --skip-bad-rows
ok "--skip-bad-rows keeps the good units"
err_has "the changed unit is listed" "单位 \"NJ-FGW\" 已以 \"南京市发展和改革委员会\"（department）保存，但信息不同"
same "the rejected unit keeps its parent" "$(q "SELECT p.code FROM unit u JOIN unit p ON p.id=u.parent_id WHERE u.code='NJ-FGW'")" "NJ"
same "the rejected unit keeps its name" "$(q "SELECT name FROM unit WHERE code='NJ-FGW'")" "南京市发展和改革委员会"
same "the good unit is stored with its parent" "$(q "SELECT p.code FROM unit u JOIN unit p ON p.id=u.parent_id WHERE u.code='NJ-NEW'")" "NJ"
q "DELETE FROM unit WHERE code='NJ-NEW'"

run E import metrics "$D/metrics_wide.csv" --model "$D/model.csv"
fails "metrics without a round is a usage error"

run E import metrics "$D/metrics_wide.csv" --model "$D/model.csv" --round 2024
ok "import wide metrics"
has "wide layout detected" "宽格式（每个指标一列）"
same "85% read as 85" "$(q "SELECT value FROM observation o JOIN unit u ON u.id=o.unit_id WHERE u.code='NJ-FGW' AND indicator='CB1'")" "85.0"
same "thousands separator" "$(q "SELECT value FROM observation o JOIN unit u ON u.id=o.unit_id WHERE u.code='NJ-FGW' AND indicator='CB2'")" "1234.5"
same "full-width digits" "$(q "SELECT value FROM observation o JOIN unit u ON u.id=o.unit_id WHERE u.code='NJ-GAJ' AND indicator='CB1'")" "90.0"
same "是 read as 1" "$(q "SELECT value FROM observation o JOIN unit u ON u.id=o.unit_id WHERE u.code='SZ-FGW' AND indicator='GS2'")" "1.0"
same "empty cell not stored" "$(q "SELECT count(*) FROM observation o JOIN unit u ON u.id=o.unit_id WHERE u.code='SZ-FGW' AND indicator='CB2'")" "0"
same "provenance kept" "$(q "SELECT sheet IS NULL, row, col, raw FROM observation o JOIN unit u ON u.id=o.unit_id WHERE u.code='NJ-GAJ' AND indicator='CB1'")" "1|3|3|９０"
same "11 values" "$(q 'SELECT count(*) FROM observation')" "11"

run E import metrics "$D/metrics_long.csv" --round 2024 --model "$D/model.csv"
ok "import long metrics"
has "long layout detected" "长格式（单位、指标、数值）"

before=$(dump)
run E import metrics "$D/metrics_wide.csv" --model "$D/model.csv" --round 2024
fails "same metrics file into the same round refused"
same "refusal leaves the store as it was" "$(dump)" "$before"

run E import metrics "$D/metrics_bad.csv" --model "$D/model.csv" --round 2024 --rejects "$T/rej.csv"
same "bad metrics fail" "$RC" "1"
err_has "bad cell named with row and column" 'metrics_bad.csv，第 2 行，C 列："abc"：不是数字'
err_has "unknown unit named" '未知单位代码 "XX-NONE"'
err_has "summary says nothing imported" "2 个单元格被拒收；未导入任何数据"
same "failed import leaves the store exactly as it was" "$(dump)" "$before"
same "rejects CSV written" "$(head -1 "$T/rej.csv")" "file,sheet,row,column,value,reason"
same "rejects CSV has every reject" "$(($(wc -l <"$T/rej.csv") - 1))" "2"

run E import metrics "$D/metrics_bad.csv" --model "$D/model.csv" --round 2025 --skip-bad-rows
ok "--skip-bad-rows imports the good rows"
err_has "--skip-bad-rows still lists the bad" "abc"
same "good rows stored" "$(q 'SELECT count(*) FROM observation WHERE round=2025')" "4"

run E import survey "$D/survey.csv" --survey civil --scale 1-5 --labels "$D/labels.csv" --reverse Q4 --round 2024
ok "import survey"
has "items detected" "4 个题项"
same "6 respondents" "$(q 'SELECT count(*) FROM survey_response')" "6"
same "stored as bytes" "$(q 'SELECT codec FROM survey')" "u8"
same "Q4 reverse-keyed" "$(q "SELECT reversed FROM survey_column WHERE code='Q4'")" "1"
same "gender is an attribute" "$(q "SELECT is_item FROM survey_column WHERE code='gender'")" "0"
same "label answer 同意 stored as 4" "$(q "SELECT hex(answers) FROM survey_response WHERE resp_no=5")" "04040402"
same "missing answer stored as 255" "$(q "SELECT hex(answers) FROM survey_response WHERE resp_no=6")" "0102FF04"

run E import survey "$D/survey.csv" --survey dims --scale 1-5 --labels "$D/labels.csv" --scales "$D/scales.csv"
ok "import survey with --scales"
same "dimensions and reverse keys from the scales table" "$(q "SELECT group_concat(code || ':' || reversed || ':' || dimension, ' ') FROM survey_column s JOIN survey v ON v.id = s.survey_id WHERE v.name = 'dims' AND is_item")" "Q1:0:A Q2:0:A Q3:0:B Q4:1:B"

before=$(dump)
run E import survey "$D/survey_bad.csv" --survey bad --scale 1-5 --items Q1-Q2
same "bad survey fails" "$RC" "1"
err_has "out-of-scale answer" '第 3 行，B 列："6"：超出答案量表 1-5'
same "bad survey leaves the store as it was" "$(dump)" "$before"

run E import survey "$D/survey_bad.csv" --survey bad --scale 1-5
fails "no answer columns found"
err_has "no items names the file" "survey_bad.csv：未找到题项列"

run E import survey "$D/survey.csv" --survey s2 --reverse Q4
fails "reverse keys need a scale"

# encodings: GBK detected, --encoding utf-8 on GBK refused with the place
C=$DATA/csv
run "$EGDI" --db "$T/g.db" import units "$C/units_gbk.csv"
ok "GBK units file imported (detected)"
same "GBK name converted" "$(sqlite3 "$T/g.db" "SELECT name FROM unit WHERE code='R01'")" "华东省"
run "$EGDI" --db "$T/g.db" import units "$C/units_semicolon.csv"
ok "semicolon file with the same units imports"
has "identical units are unchanged" "4 行未变"
run "$EGDI" --db "$T/g2.db" import units "$C/units_gbk.csv" --encoding utf-8
fails "GBK read as UTF-8 refused"
err_has "invalid UTF-8 located" "第 2 行，B 列：第 33 字节处的 UTF-8 文本无效"
run "$EGDI" --db "$T/g2.db" import units "$C/units_bom.csv"
ok "BOM file imported"
same "BOM not part of the first heading" "$(sqlite3 "$T/g2.db" "SELECT count(*) FROM unit")" "4"

run E status --format json
ok "status json"
has "status lists the survey" '"name": "civil"'

finish
