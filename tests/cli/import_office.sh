#!/bin/sh
# CLI tests of honest imports (issue 12) on sheets made the way provincial
# offices make them (tests/data/import-office, see make_office.c and
# make_surveys.py there): a merged title above the header, Chinese
# headings, parents by name, a typo in a code, marks for missing values,
# numbers with units, values out of range, a questionnaire with its id
# column twice.  Every column is accounted for, every problem is listed in
# one run, and a mistaken import can be taken back.
. tests/cli/lib.sh
D=$DATA/import-office
DB=$T/o.db
E() { "$EGDI" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
first_region() { E rank --round "$1" --kind region --format csv | sed -n 2p | cut -d, -f2; }

# ---- units: the parent column headed 上级单位 is read -----------------------
run E import units "$D/units_parents.xlsx"
ok "units with 上级单位 import"
has "the column report says 上级单位 is the parent" "上级单位  字段  上级"
same "a department belongs to its city" \
    "$(q "SELECT p.code FROM unit u JOIN unit p ON p.id = u.parent_id WHERE u.code = 'HN01'")" "HN"
has "the tree's counts" "单位：4 个地区，12 个部门（合肥市 3，芜湖市 3，淮南市 3，蚌埠市 3），0 个部门不属于任何地区"
run E import metrics "$D/metrics_2024.xlsx" --round 2024
ok "the metrics import"
run E score --round 2024
ok "score"
# with the parents read, a city's score is 0.7 x its departments + 0.3 x its
# own row (make_office.c): 淮南市 (departments 85, own 50) leads; with the
# parents ignored 芜湖市 (own 90, departments 45) would
same "淮南市 leads the cities once its departments count" "$(first_region 2024)" "HN"

# ---- units: an office's sheet --------------------------------------------
DB=$T/office.db
run E import units "$D/units_office.xlsx" --format json
ok "the office's units sheet imports"
same "the header is found under the title" "$(jq -r .header_row "$OUT")" "2"
same "the title row is named" "$(jq -r .header_note "$OUT" | grep -c '2024年度安徽省电子政务发展水平评估单位名')" "1"
same "单位类型 is the kind" "$(jq -r '.columns[] | select(.heading == "单位类型") | .use + ":" + .target' "$OUT")" "field:kind"
same "序号 is a row number, ignored" "$(jq -r '.columns[] | select(.heading == "序号") | .use + ":" + .note' "$OUT")" "ignored:a row number column"
same "备注 is ignored with its reason" "$(jq -r '.columns[] | select(.heading == "备注") | .note' "$OUT")" "not a field of a units file"
same "parents given by name, read as codes" "$(jq -r .tree.parents_by_name "$OUT")" "12"
same "a parent by name is stored as its code" \
    "$(sqlite3 "$DB" "SELECT p.code FROM unit u JOIN unit p ON p.id = u.parent_id WHERE u.code = 'WH02'")" "WH"
same "departments per region" "$(jq -r '[.tree.per_region[] | .name + " " + (.departments | tostring)] | join(", ")' "$OUT")" \
    "合肥市 3, 芜湖市 3, 淮南市 3, 蚌埠市 3"
same "a department without a region is counted" "$(jq -r .tree.without_region "$OUT")" "1"
same "and named in a warning" "$(jq -r '.warnings[0]' "$OUT" | grep -c 'AH-SJJ')" "1"

# ---- units: every problem in one run, with suggestions -----------------------
printf '单位代码,单位名称,单位类型,上级单位\nR1,甲市,地区,R2\nR2,乙市,地区,R1\nX1,市政府办公室,部门,R1\nX2,市政府办公室,部门,R2\nD1,甲市教育局,部门,合肥\nD2,乙市教育局,部门,市政府办公室\nD3,丙局,机构,R1\n' >"$T/units_bad.csv"
run E import units "$T/units_bad.csv"
same "bad units fail" "$RC" "1"
err_has "a parent near a city's name is suggested" '第 6 行，D 列："合肥"：上级单位 "合肥" 既不是文件中也不是数据库中某个单位的代码或名称；是否指 HF（合肥市）？'
err_has "a parent name of two units lists them" '上级单位 "市政府办公室" 是 2 个单位的名称：X1 (department), X2 (department)；请给出代码'
err_has "a cycle is reported" '上级单位经 "R1" 形成循环'
err_has "a kind word names the Chinese ones" '第 8 行，C 列："机构"：单位类型须为部门（部门、单位）或地区（地区、市、县、区）'
err_has "all of them in one run" "5 个单元格被拒收；未导入任何数据"
same "nothing stored" "$(sqlite3 "$DB" "SELECT count(*) FROM unit WHERE code IN ('R1', 'D1')")" "0"
printf '代码,名称,上级\nQ1,某局,\n' >"$T/units_nokind.csv"
run E import units "$T/units_nokind.csv"
fails "a units file without a kind column fails"
err_has "the missing column is named in Chinese too" '没有 "类型" 列（单位类型）'
printf '单位代码,单位名称,单位类型,单位明称\nQ1,某局,部门,x\n' >"$T/units_near.csv"
run E import units "$T/units_near.csv"
fails "a heading near a field is an error"
err_has "with the field it is near" '表头 "单位明称" 不匹配单位名单的任何字段；是否指 "单位名称"（名称）？'
run E import units "$T/units_near.csv" --ignore-columns 单位明称
ok "unless ignored by name"
has "the ignored column says why" "单位明称  忽略"

# ---- metrics: a typo in a code --------------------------------------------------
DB=$T/o.db
run E import metrics "$D/metrics_typo.xlsx" --round 2023
fails "GIRl5 is refused"
err_has "GIRl5: did you mean GIRI5, named" '第 1 行，L 列："GIRl5"：表头 "GIRl5" 不匹配 model jiangsu 2024.1 的任何指标；是否指 GIRI5 (数据及时性与准确性)？（或用 --ignore-columns "GIRl5"）；未导入任何数据'
same "nothing stored for 2023" "$(q 'SELECT count(*) FROM observation WHERE round = 2023')" "0"
has "the column report still shows every column" "GIRl5  错误"
has "the catalogue is the model of the latest run" "检查依据：模型 jiangsu 2024.1（数据库最近一次评分所用的模型）"
run E import metrics "$D/metrics_typo.xlsx" --round 2023 --ignore-columns GIRl5
ok "with --ignore-columns the rest imports"
run E score --round 2023
ok "score 2023"
has "score counts GIRI5 missing for every department" "GIRI5  数据及时性与准确性              部门      12   0                12     0"
has "and warns" "警告：GIRI5 数据及时性与准确性：12 个部门中 12 个没有值（已重新加权略去）"
run E --lang en score --round 2023
has "and warns (English)" "warning: GIRI5 data timeliness and accuracy: no value for 12 of 12 departments (re-weighted away)"
run E rank --round 2023
has "rank carries the warning" "警告：GIRI5 数据及时性与准确性：12 个部门中 12 个没有值（已重新加权略去）"
run E --lang en rank --round 2023
has "rank carries the warning (English)" "warning: GIRI5 data timeliness and accuracy: no value for 12 of 12 departments (re-weighted away)"
run E rank --round 2023 --format json
same "rank's JSON carries it" "$(jq -r '.warnings[0]' "$OUT")" "GIRI5 数据及时性与准确性: no value for 12 of 12 departments (re-weighted away)"
run E rank --round 2024 --format json
same "a round without warnings has none" "$(jq -r '.warnings | length' "$OUT")" "0"
run E report --round 2023 -o "$T/rep" --no-charts
ok "the report of 2023"
same "the report carries the warning" "$(grep -c 'GIRI5 数据及时性与准确性: no value for 12 of 12 departments' "$T/rep/report.html")" "1"

# ---- metrics: an office's sheet: title, Chinese names, marks, units --------------
run E import metrics "$D/metrics_office.xlsx" --round 2022 --format json
ok "the office's metrics sheet imports"
same "its header is row 2" "$(jq -r .header_row "$OUT")" "2"
same "columns matched by Chinese name" "$(jq -r '.columns[2] | .heading + " -> " + .target + " " + .note' "$OUT")" \
    "核心业务信息化覆盖率(%) -> CBII1 by Chinese name"
same "单位名称 is accounted for" "$(jq -r '.columns[1] | .use + ": " + .note' "$OUT")" "ignored: unit names (units are found by code)"
same "four marks recorded as missing" "$(jq -r .missing "$OUT")" "4"
v() { q "SELECT value FROM observation o JOIN unit u ON u.id = o.unit_id WHERE round = 2022 AND u.code = '$1' AND indicator = '$2'"; }
same "4.5分-style Likert mean (3.88分)" "$(v HF01 GIRI6)" "3.88"
same "144个 datasets" "$(v HF01 GIRI3)" "144.0"
same "2.16人 IT staff per 100" "$(v HF01 GSI4)" "2.16"
same "'72 %' is 72" "$(v HF01 CBII1)" "72.0"
same "a percent-formatted 0.72 is 72" "$(v HF01 CBII2)" "72.0"
same "是 is 1" "$(v HF01 GSI2)" "1.0"
same "— is no value, never 0" "$(v HF02 GIRI5)" ""
same "— is recorded with its cell" \
    "$(q "SELECT raw || '|' || reason || '|' || row || '|' || col FROM missing_value m JOIN unit u ON u.id = m.unit_id WHERE round = 2022 AND u.code = 'HF02' AND indicator = 'GIRI5'")" \
    "—|marked missing|8|12"
same "暂无, N/A and / too" \
    "$(q "SELECT group_concat(raw, ' ') FROM (SELECT raw FROM missing_value WHERE round = 2022 ORDER BY id)")" "— 暂无 N/A /"
run E score --round 2022
ok "score 2022"
run E explain HF02 --round 2022 --lang en
has "explain shows the mark and its cell" "— (missing: marked missing)"
has "with the cell it came from" "metrics_office.xlsx 2024!L8"
run E explain HF02 --round 2022 --format json
same "explain's JSON too" "$(jq -r '.nodes[] | select(.code == "GIRI5") | .missing.value + " " + .missing.reason + " " + (.source.row | tostring)' "$OUT")" \
    "— marked missing 8"

# ---- metrics: values out of range, all in one run ------------------------------
run E import metrics "$D/metrics_range.xlsx" --round 2025
same "out-of-range values fail" "$RC" "1"
err_has "a percentage of 120, named" '第 6 行，C 列："120"：超出 CBII1 的范围，应为百分比 0-100'
err_has "a Likert mean of 45, named at import" '第 7 行，M 列："45"：超出 GIRI6 的范围，应为量表 1-5 上的均值'
err_has "a negative count" '第 8 行，J 列："-3"：超出 GIRI3 的范围，应为计数或比率（非负）'
err_has "three problems, one run" "3 个单元格被拒收；未导入任何数据"
run E import metrics "$D/metrics_range.xlsx" --round 2025 --skip-bad-cells
ok "--skip-bad-cells stores the rest of the rows"
has "and says so" "拒收 3 个单元格（记为缺失）"
same "the rest of the row is stored" "$(q "SELECT value FROM observation o JOIN unit u ON u.id = o.unit_id WHERE round = 2025 AND u.code = 'HF01' AND indicator = 'CBII2'")" "72.0"
same "the bad cell is a missing value with its reason" \
    "$(q "SELECT raw || '|' || reason FROM missing_value m JOIN unit u ON u.id = m.unit_id WHERE round = 2025 AND u.code = 'HF01' AND indicator = 'CBII1'")" \
    "120|outside the range of CBII1, a percentage 0-100"

# ---- metrics: cells and headings, one by one -------------------------------------
printf 'unit,CBII1,GSI2,GIRI3,GIRI6\nHF01,是,有时,12分,4分\nHF02,85分,是,3 datasets,4.1 points\n' >"$T/cells.csv"
run E import metrics "$T/cells.csv" --round 2026
err_has "a yes/no word in a percentage" '"是"：是/否答案，但 CBII1 应为百分比 0-100'
err_has "a word that is no yes/no answer" '"有时"：不是是/否答案'
err_has "a unit word the indicator does not allow" '"12分"："分" 不是 GIRI3 的计量单位（datasets）'
err_has "another" '"85分"："分" 不是 CBII1 的计量单位（%）'
err_has "the others pass: four problems" "4 个单元格被拒收；未导入任何数据"
printf 'unit,GIRI5,数据及时性与准确性,数据质量评分,备注\nHF01,80,80,3,好\n' >"$T/dup.csv"
run E import metrics "$T/dup.csv" --round 2026
err_has "two columns of one indicator" 'B 列（"GIRI5"）和 C 列（"数据及时性与准确性"）都是指标 GIRI5'
err_has "a column of numbers that is no indicator" '列 "数据质量评分" 含数值（1 个单元格），但不是 model jiangsu 2024.1 的指标'
has "a text column is ignored with its reason" "备注                忽略"
printf 'unit,GIRI5,GIRI5,x1\nHF01,80,80,1\n' >"$T/dup2.csv"
run E import metrics "$T/dup2.csv" --round 2026
err_has "a used heading twice" 'B 列（"GIRI5"）和 C 列（"GIRI5"）都是指标 GIRI5'
same "said once" "$(grep -c 'GIRI5' "$ERR")" "1"
err_has "a code-like heading that is no indicator" '表头 "x1" 像是指标代码，但 model jiangsu 2024.1 中没有该指标'
printf 'unit,备注,备注\nHF01,a,b\n' >"$T/dup3.csv"
run E import metrics "$T/dup3.csv" --round 2026
ok "an unused heading twice is no error"
has "but a warning" '警告：表头 "备注" 出现在 B, C 列；这些列都未使用'
printf 'unit,CBII1\nHF01,未填报\n' >"$T/na.csv"
run E import metrics "$T/na.csv" --round 2027
fails "an unknown mark is refused"
run E import metrics "$T/na.csv" --round 2027 --na 未填报,不详
ok "--na adds marks"
same "recorded as missing" "$(q "SELECT raw FROM missing_value WHERE round = 2027")" "未填报"
(printf 'unit,CBII1\n'; for u in HF01 HF02 HF03 WH01 WH02 WH03; do printf '%s,x\n' "$u"; done) >"$T/many.csv"
run E import metrics "$T/many.csv" --round 2027 --max-errors 2
same "--max-errors: two listed, then the count" "$(wc -l <"$ERR")" "4"
err_has "the rest counted" "……另有 4 个问题（--rejects FILE 写出全部）"
run E import metrics "$D/metrics_office.xlsx" --round 2028 --header-row 2
ok "--header-row 2"
has "the choice is printed" "表头：第 2 行（--header-row）"
run E import metrics "$D/metrics_office.xlsx" --round 2028 --header-row 1 --replace
same "--header-row 1 (the title) fails" "$RC" "1"
err_has "and says why" "B 列有数值，但第 1 行没有表头"

# ---- a model with an ambiguous name ----------------------------------------
mkdir -p "$T/amb"
printf '[settings]\nkey,value\nname,amb\nversion,1\n[catalogue]\ncode,parent,name_zh,name_en,weight,unit,direction,applies,rule,min,max\nT,,总,total,,index,higher,both,,,\nA,T,比率,rate,0.5,%%,higher,both,goalpost,0,100\nB,T,比率,ratio,0.5,%%,higher,both,goalpost,0,100\n[stages]\ncode,name_zh,name_en,lower,upper\nlow,低,low,,50\nhigh,高,high,50,\n' >"$T/amb/m.csv"
printf 'unit,比率\nHF01,5\n' >"$T/amb.csv"
run E import metrics "$T/amb.csv" --round 2026 --model "$T/amb/m.csv"
fails "an ambiguous heading is an error"
err_has "naming both" '表头 "比率" 有歧义：按中文名称匹配 A，按中文名称匹配 B'

# ---- questionnaires ---------------------------------------------------------
run E import survey "$D/survey_bfi.csv" --survey bfi --items A1-O5 --scale 1-6
same "the bfi-like file fails" "$RC" "1"
err_has "its title row is skipped: the first answer problem" '第 12 行，D 列："7"：超出答案量表 1-6'
err_has "the second" '第 59 行，Z 列："9"：超出答案量表 1-6'
err_has "the third" '第 122 行，M 列："x"：不是数字'
err_has "all of them" "3 个单元格被拒收；未导入任何数据"
has "the repeated id heading is a warning" '警告：表头 "id" 出现在 A, AD 列；只读取第一个用到的列'
sed 1d "$D/survey_bfi.csv" >"$T/bfi_notitle.csv"
run E import survey "$T/bfi_notitle.csv" --survey bfi --items A1-O5 --scale 1-6
err_has "without the title: the same three problems" "3 个单元格被拒收；未导入任何数据"
run E import survey "$D/survey_bfi.csv" --survey bfi --items A1-O5 --scale 1-6 --skip-bad-cells --format json
ok "--skip-bad-cells imports the questionnaire"
same "200 respondents" "$(q "SELECT count(*) FROM survey_response r JOIN survey s ON s.id = r.survey_id WHERE s.name = 'bfi'")" "200"
same "N/A is a missing answer (255), never 0" \
    "$(q "SELECT hex(substr(answers, 1, 1)) FROM survey_response r JOIN survey s ON s.id = r.survey_id WHERE s.name = 'bfi' AND source_row = 5")" "FF"
same "— too" \
    "$(q "SELECT hex(substr(answers, 6, 1)) FROM survey_response r JOIN survey s ON s.id = r.survey_id WHERE s.name = 'bfi' AND source_row = 6")" "FF"
same "the refused 7 is stored missing" \
    "$(q "SELECT hex(substr(answers, 3, 1)) FROM survey_response r JOIN survey s ON s.id = r.survey_id WHERE s.name = 'bfi' AND source_row = 12")" "FF"
same "the second id column is ignored" "$(jq -r '.columns[-1] | .heading + " " + .use' "$OUT")" "id ignored"
run E import survey "$D/survey_bfi.csv" --survey bfi2 --items A1-O5 --scale 1-6 --skip-bad-cells --ignore-columns O5,age --format json
ok "--ignore-columns in a questionnaire"
same "an ignored item is no item" "$(jq -r '.columns[] | select(.heading == "O5" or .heading == "age") | .use + ":" + .note' "$OUT" | tr '\n' ' ')" \
    "ignored:--ignore-columns ignored:--ignore-columns "
same "24 items stored" "$(q "SELECT count(*) FROM survey_column c JOIN survey s ON s.id = c.survey_id WHERE s.name = 'bfi2' AND is_item")" "24"
run E import survey "$D/survey_dups.csv" --survey dups --scale 1-6
same "repeated respondents fail" "$RC" "1"
err_has "a row entered twice" '第 8 行：此行与第 6 行重复（受访者 "5"，所有单元格相同）'
err_has "an id given to two respondents" '第 11 行，A 列："8"：受访者编号 "8" 出现两次（首次在第 10 行）'

# ---- undo: a file imported into the wrong round ---------------------------
run E import metrics "$D/metrics_2024.xlsx" --round 2030
ok "the 2024 file imported as 2030 by mistake"
B=$(E import list --format json | jq -r '.[] | select(.round == 2030) | .batch')
run E import list
has "import list shows it" "指标数据  $D/metrics_2024.xlsx"
run E score --round 2030
ok "and even scored"
run E import undo "$B" --lang en
ok "import undo removes it"
has "saying what went" "undid import $B (metrics $D/metrics_2024.xlsx, round 2030): removed 280 values"
has "and that the scores are stale" "1 score run is now stale: run 'egdi score --round 2030' again"
same "its values are gone" "$(q 'SELECT count(*) FROM observation WHERE round = 2030')" "0"
run E rank --round 2030 --lang en
has "rank says the scores are stale" "note: the scores of round 2030 are stale: import $B (metrics $D/metrics_2024.xlsx) was undone"
run E rank --round 2030 --format json
same "rank's JSON too" "$(jq -r '.stale' "$OUT" | grep -c 'was undone')" "1"
run E import undo "$B"
fails "undoing it twice fails"
err_has "saying there is no such import" "没有导入批次 $B（参见 'egdi import list'）"
run E import metrics "$D/metrics_2024.xlsx" --round 2031
run E score --round 2031
run E import metrics "$D/metrics_office.xlsx" --round 2031 --ignore-columns 单位名称 --replace
run E rank --round 2031 --lang en
has "an import after scoring makes the scores stale too" "note: the scores of round 2031 are stale"
run E score --round 2031
run E rank --round 2031 --lang en
hasnt "until scored again" "stale"
run E round delete 2031
ok "round delete"
has "saying what went" "已删除 2031 年度：2 次导入、280 个数值"
same "nothing of 2031 is left" "$(q 'SELECT count(*) FROM observation WHERE round = 2031') $(q 'SELECT count(*) FROM score_run WHERE round = 2031') $(q 'SELECT count(*) FROM round WHERE year = 2031')" "0 0 0"
run E round delete 2031
fails "deleting it twice fails"
U=$(E import list --format json | jq -r '[.[] | select(.kind == "units")][0].batch')
run E import undo "$U"
fails "a units import the metrics refer to is not undone"
err_has "saying why" "有指标数据引用它；请先撤销这些指标数据导入"

finish
