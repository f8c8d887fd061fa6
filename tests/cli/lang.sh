#!/bin/sh
# One language switch for what a person reads (issue 18, item 1):
# - every command, run with --lang zh on the demo store, prints no table
#   heading word in English (a lowercase ASCII word: "rank", "name",
#   "score"... ; statistical symbols such as df stay); with --lang en the
#   same tables read English;
# - rank's flags and notes are Chinese ("* 接近阶段边界", "不参与排名（覆盖率
#   79%）", "警告："), the region column names the region (苏州市, not SZ);
# - status, score, explain, model show and model list speak Chinese;
# - --help pages are Chinese (usage, summary, options), wrapped between
#   Chinese characters within 80 columns; the command line's own errors too;
# - CSV headings and JSON keys are the same in both languages (they are data).
. tests/cli/lib.sh
unset EGDI_DB
run "$EGDI" demo -o "$T/demo" --lang en
ok "the demo store"
DB=$T/demo/egdi.db
"$EGDI" --lang en model export jiangsu -o "$T/m.csv" >/dev/null
S=公务员问卷

# the commands a person runs on the demo store, one per line
cat >"$T/cmds" <<CMDS
status
rank --round 2024
rank --round 2024 --compare 2023
rank --round 2024 --kind region
explain NJ01 --round 2024
score --round 2024
model list
model show jiangsu
model weights equal --parent EGDI
import list
survey describe --survey $S
survey items --survey $S
survey alpha --survey $S
survey kmo --survey $S
survey efa --survey $S
survey ttest --survey $S --y 互动 --group 性别
survey anova --survey $S --y 支撑体系 --group 年龄段 --posthoc tukey
survey profile --survey $S --columns 性别,年龄段,城市
survey corr --survey $S
survey regress --survey $S --y 互动 --block 性别,年龄段 --block 网站信息质量,支撑体系
survey mediate --survey $S --x 网站信息质量 --m 支撑体系 --y 互动 --seed 1 --boot 200
survey crosstab --survey $S --row 性别 --col 年龄段
survey cfa --survey $S
survey validity --survey $S
uncertainty --round 2024 --weights uniform:0.3 --data-error 0.03 --draws 64 --seed 5 --top 10
rank --round 2024 --uncertainty
rank --round 2024 --uncertainty --compare 2023
sensitivity --round 2024 --weights uniform:0.3 --base 32 --boot 20 --unit NJ01
sensitivity --round 2024
explain NJ01 --round 2024 --compare 2023
CMDS

# the heading rows of a table output: the line above each rule of dashes
headings() { awk '/^-+$/ && prev != "" { print prev } { prev = $0 }' "$1"; }
# its English words: lowercase ASCII letters (codes are upper case; df stays)
english() { headings "$1" | tr -s ' ' '\n' | grep -E '^[a-z][a-z_]+$' | grep -vx 'df' | sort -u | tr '\n' ' '; }

while read -r cmd; do
    # shellcheck disable=SC2086
    run "$EGDI" --db "$DB" --lang zh $cmd
    ok "zh: $cmd runs"
    n=$(headings "$OUT" | wc -l)
    words=$(english "$OUT")
    if [ "$n" -ge 1 ] && [ -z "$words" ]; then pass "zh: $cmd: $n heading rows, no English word"
    else fail "zh: $cmd: heading words in English: '$words' ($n heading rows)"; fi
done <"$T/cmds"

run "$EGDI" --db "$DB" --lang en status
same "en: status reads English" "$(english "$OUT")" "count detail what "
run "$EGDI" --db "$DB" --lang en rank --round 2024 --compare 2023
has "en: rank headings" "rank  id     name"
has "en: the flag" "* near a stage boundary"
has "en: not rankable" "not rankable (coverage 79%)"
has "en: the regions' names too" "  SZ37   苏州市税务局                    苏州市 "

# ---- rank, score, status, explain, model in Chinese -----------------------------
run "$EGDI" --db "$DB" --lang zh rank --round 2024 --compare 2023
has "rank: the title" "2024 年度，模型 jiangsu 2024.1"
has "rank: headings" "排名  代码   名称"
has "rank: the region's name, not its code" "  SZ37   苏州市税务局                    苏州市 "
has "rank: near a boundary" "* 接近阶段边界"
has "rank: not rankable" "不参与排名（覆盖率 79%）"
has "rank: transitions" "发展阶段转移 2023 -> 2024（行为 2023 年）"
has "rank: stage counts" "各阶段单位数：准备发展阶段 10 -> 6"
has "rank: the warning" "警告：GIRI6 用户满意度（问卷均值）：520 个部门中 511 个没有值（已重新加权略去）"
hasnt "rank: no English note" "near a stage boundary"
run "$EGDI" --db "$DB" --lang zh status
has "status: the store line" "（结构版本 "
has "status: a round" "2024 年度         8457  个观测值，533 个单位"
run "$EGDI" --db "$DB" --lang zh score --round 2024
has "score: units" "单位数             533（531 个参与排名，2 个不参与）"
has "score: a stage by its name" "阶段 融合发展阶段  35"
run "$EGDI" --db "$DB" --lang zh explain NJ01 --round 2024
has "explain: title" "NJ01 南京市发展和改革委员会，2024 年度，模型 jiangsu 2024.1"
has "explain: the summary" "；数据覆盖率 100.0%；在同类单位中排名第 120（部门）"
has "explain: how" "已评分"
run "$EGDI" --lang zh model show jiangsu
has "model show: title" "模型 jiangsu 2024.1（聚合方式 arithmetic"
has "model show: stages" "发展阶段："
has "model show: direction and kind" "越高越好  部门和地区"
run "$EGDI" --lang zh model check "$T/m.csv"
has "model check" "有效（19 个指标，指标树 24 个节点，5 个阶段"

# ---- uncertainty, sensitivity, explain --compare in Chinese ----------------------
run "$EGDI" --db "$DB" --lang zh uncertainty --round 2024 --weights uniform:0.3 --draws 64 --seed 5
has "uncertainty: the title" "2024 年度排名的不确定性（部门），模型 jiangsu 2024.1：64 次抽样，Sobol 序列，种子 5"
has "uncertainty: headings" "阶段概率     排名 5-95%  中位排名  平均偏移  备注"
has "uncertainty: not rankable" "不参与排名"
has "uncertainty: stage uncertain" "阶段不确定"
has "uncertainty: the summary" "维；平均绝对名次偏移 "
has "uncertainty: where it is stored" "已保存为不确定性分析记录 "
hasnt "uncertainty: no English flag" "stage uncertain"
# what was varied: the run's stored English sentence, worded in Chinese
has "uncertainty: what was varied" "变动的假设：权重：每个权重在 ±30 % 内均匀变动后同级重新归一（"
hasnt "uncertainty: no English in what was varied" "renormalised"
run "$EGDI" --db "$DB" --lang zh rank --round 2024 --uncertainty
has "rank --uncertainty: headings" "排名 5-95%  阶段概率"
has "rank --uncertainty: the flag" "阶段不确定"
has "rank --uncertainty: the summary" "64 次抽样（sobol，种子 5），变动的假设："
hasnt "rank --uncertainty: no English flag" "stage uncertain"
hasnt "rank --uncertainty: no English in what was varied" "renormalised"
run "$EGDI" --db "$DB" --lang zh sensitivity --round 2024 --weights uniform:0.3 --base 32 --boot 20
has "sensitivity: the title" "2024 年度排名的敏感性（部门），模型 jiangsu 2024.1"
has "sensitivity: the design" "Saltelli 设计：N = 32，共 96 次运行"
has "sensitivity: what was varied" "变动的假设：权重：每个权重在 ±30 % 内均匀变动后同级重新归一（"
has "sensitivity: the indices" "假设  一阶指数  区间"
has "sensitivity: an assumption by its name" "权重  "
has "sensitivity: leave one out" "逐一剔除：依次去掉每个指标和分指数，同级指标重新加权"
has "sensitivity: a level" "分指数"
run "$EGDI" --db "$DB" --lang zh explain NJ01 --round 2024 --compare 2023
has "explain --compare: title" "NJ01 南京市发展和改革委员会：EGDI 2023 -> 2024 年，模型 jiangsu 2024.1"
has "explain --compare: headings" "2023 年得分  2024 年得分  2023 年权重  2024 年权重   贡献  重新加权"
has "explain --compare: the change" "EGDI 83.78（2023 年）-> 79.41（2024 年）：-4.38；排名 51 -> 120"
has "explain --compare: the parts" "  缺失值重新加权             +0.00（综合权重变化 × 平均得分）"
run "$EGDI" --db "$DB" --lang en explain NJ01 --round 2024 --compare 2023
has "en: explain --compare stays English" "  re-weighting for missing   +0.00 (change in effective weight x mean score)"
"$EGDI" --db "$DB" --lang zh uncertainty --round 2024 --weights uniform:0.3 --draws 64 --seed 5 \
    --format csv >"$T/uzh.csv"
"$EGDI" --db "$DB" --lang en uncertainty --round 2024 --weights uniform:0.3 --draws 64 --seed 5 \
    --format csv >"$T/uen.csv"
same "uncertainty: CSV headings are the same in both languages" "$(head -1 "$T/uzh.csv")" \
    "$(head -1 "$T/uen.csv")"

# ---- sentences from the library: survey indicators, a model's survey line, stale runs ----
run "$EGDI" --db "$DB" --lang zh score --round 2024
has "score: the survey indicator in Chinese" "GIRI6 用户满意度（问卷均值）：问卷 公务员问卷（第 2024 轮），量表 满意度"
hasnt "score: no English survey line" "respondents each"
run "$EGDI" --lang zh model show jiangsu
has "model show: the survey line" "GIRI6: 问卷 公务员问卷（模型的 survey 设置），量表 满意度，均值；质量门槛：每个单位至少 30 名受访者"
hasnt "model show: no English survey line" "gates: at least"
run "$EGDI" --lang en model show jiangsu
has "en: model show's survey line" "GIRI6: survey 公务员问卷 (the model's survey setting), scale 满意度, mean; gates: at least 30"
cp "$DB" "$T/stale.db"
run "$EGDI" --db "$T/stale.db" --lang zh import undo 3
has "import undo in Chinese" "1 个评分记录已过时：请重新运行 'egdi score --round 2024'"
run "$EGDI" --db "$T/stale.db" --lang zh rank --round 2024
has "rank: why the run is stale, in Chinese" "注：2024 年度的得分已过时：导入 3（指标数据 "
has "... its facts" "metrics_2024.xlsx）已于 20"
hasnt "rank: no English reason" "was undone on"
run "$EGDI" --db "$T/stale.db" --lang zh rank --round 2024 --format json
has "JSON keeps the stored reason" "\"stale\": \"import 3 (metrics "

# ---- what init, import, round delete, demo and explain did (issue 18, item 1) ------
# under zh the command's own sentences are Chinese (a library's message inside
# them stays English); under en they stay English
O=$DATA/import-office
Z=$T/zh.db
run "$EGDI" --lang zh --db "$Z" init
has "init: created" "已创建数据库 $Z（结构版本 "
hasnt "init: no English" "created store"
run "$EGDI" --lang zh --db "$Z" init
has "init: up to date" "数据库 $Z 已是最新（结构版本 "
hasnt "init: no English up to date" "is up to date"
: >"$T/old.db"
run "$EGDI" --lang zh --db "$T/old.db" init
has "init: upgraded" "已将数据库 $T/old.db 从结构版本 0 升级到 "
hasnt "init: no English upgrade" "upgraded store"
run "$EGDI" --lang en --db "$T/old2.db" init
has "en: init: created" "created store $T/old2.db (schema version "
run "$EGDI" --lang zh --db "$Z" import units "$O/units_office.xlsx"
has "import: the summary" "已导入单位：$O/units_office.xlsx（工作表 单位名单），读取 17 行，保存 17 行，17 个数值；批次 1"
has "import: the header" "  表头：第 2 行（第一个含已知表头的行；其上方的一行是标题：\"2024年度"
has "import: the model" "  检查依据：模型 jiangsu 2024.1（内置默认模型）"
has "import: the units tree" "  单位：4 个地区，13 个部门（合肥市 3，芜湖市 3，淮南市 3，蚌埠市 3），1 个部门不属于任何地区；12 个上级单位按名称给出，已按其代码读取"
has "import: the column report" "列  表头      用途  对应  数值数  缺失  拒收  备注"
has "import: a column's use" "E   上级单位  字段  上级      12     5     0"
has "import: the warning" "警告：1 个部门不属于任何地区（AH-SJJ）：其上级单元格为空，任何地区的得分都不包含它"
for w in "rows read" "checked against" "header:" "units: " ", 1 without a region" "given by name" \
    "warning:" "  field  " "  ignored  "; do
    hasnt "import: no English '$w'" "$w"
done
run "$EGDI" --lang zh --db "$Z" import units "$O/units_office.xlsx" --replace
has "import: unchanged, replacing" "，17 行未变；批次 1，替换先前的导入"
hasnt "import: no English unchanged" "unchanged"
hasnt "import: no English replacing" "replacing the earlier import"
run "$EGDI" --lang zh --db "$Z" import metrics "$O/metrics_office.xlsx" --round 2024
has "import: metrics" "已导入指标数据：$O/metrics_office.xlsx（工作表 2024），读取 16 行，保存 16 行，276 个数值"
has "import: missing values" "  缺失值：4 个，已连同所在单元格记录（'egdi explain' 可查看）"
hasnt "import: no English missing values" "recorded with their cells"
run "$EGDI" --lang zh --db "$Z" import metrics "$O/metrics_range.xlsx" --round 2025 --skip-bad-cells
has "import: cells rejected" "，拒收 3 个单元格（记为缺失）；批次 3"
hasnt "import: no English cells rejected" "cells rejected"
run "$EGDI" --lang zh --db "$Z" import metrics "$O/metrics_range.xlsx" --round 2026
has "import: not imported" "未导入：$O/metrics_range.xlsx（工作表 2024）"
hasnt "import: no English not imported" "not imported"
run "$EGDI" --lang en --db "$T/en.db" import units "$O/units_office.xlsx"
has "en: import: the summary" "imported units from $O/units_office.xlsx (sheet 单位名单): 17 rows read, 17 stored, 17 values; batch 1"
has "en: import: the units tree" "  units: 4 regions, 13 departments (合肥市 3, 芜湖市 3, 淮南市 3, 蚌埠市 3), 1 without a region; 12 parents given by name, read as their code"
has "en: import: the column report" "E       上级单位  field    parent      12        5        0"
run "$EGDI" --lang zh --db "$Z" import list
has "import list: the kind in Chinese" "指标数据  $O/metrics_office.xlsx"
hasnt "import list: no English kind" "metrics  "
run "$EGDI" --lang zh --db "$Z" import list --format csv
has "import list: CSV keeps the kind" ",metrics,$O/metrics_office.xlsx,"
run "$EGDI" --lang zh --db "$Z" round delete 2025
has "round delete" "已删除 2025 年度：1 次导入、277 个数值、3 个缺失值、0 名受访者、0 份问卷、0 个评分记录"
hasnt "round delete: no English" "deleted round"
run "$EGDI" --lang zh demo -o "$T/demo-zh"
has "demo: what it makes" "egdi demo：520 个部门，分属一个省的 13 个城市，2023 年和 2024 年两个轮次，500 份问卷"
has "demo: the sample" "  示例表格在 $T/demo-zh/data/"
has "demo: an import" "  已导入指标数据 metrics_2024.xlsx：533 行，8457 个数值"
has "demo: a round scored" "  2024 年度已评分，模型 jiangsu 2024.1：533 个单位"
for w in "departments in" "sample spreadsheets" "imported" "scored round"; do
    hasnt "demo: no English '$w'" "$w"
done
run "$EGDI" --db "$DB" --lang zh explain NJ --round 2024
has "explain: a region's survey value" "  地区：所辖部门 3.5280（6 个有值），本级受访者 0 名；合并为 0.7 × 所辖部门 + 0.3 × 本级"
has "explain: the import batch" "  导入：批次 4（"
hasnt "explain: no English region line" "combined as"
hasnt "explain: no English batch" "batch 4"
run "$EGDI" --db "$DB" --lang zh explain NJ01 --round 2024
has "explain: the survey source" "问卷 公务员问卷（n = 61）"
run "$EGDI" --db "$DB" --lang zh explain SQ01 --round 2024
has "explain: too few respondents" "  9 名受访者，少于 30 名：无问卷值"
hasnt "explain: no English too few" "respondents, fewer than 30: no survey value"
run "$EGDI" --db "$DB" --lang en explain SQ01 --round 2024
has "en: explain: too few respondents" "  9 respondents, fewer than 30: no survey value"
# a metric imported for a unit the survey rates too (tests/data/bridge)
B=$DATA/bridge
BD=$T/bridge.db
"$EGDI" --db "$BD" import units "$B/units.csv" >/dev/null
"$EGDI" --db "$BD" import metrics "$B/metrics.csv" --round 2024 --model "$B/model.csv" >/dev/null
"$EGDI" --db "$BD" import survey "$B/survey.csv" --survey 民意调查 --round 2024 --scale 1-5 \
    --scales "$B/scales.csv" --items S1-S4 --unit-column 部门 >/dev/null
"$EGDI" --db "$BD" score --round 2024 --model "$B/model.csv" >/dev/null
run "$EGDI" --db "$BD" --lang zh explain D1 --round 2024
has "explain: a metric imported too" "  D1 另有导入的指标值（4.5）：按模型的冲突规则采用问卷值"
hasnt "explain: no English conflict" "was imported for"
run "$EGDI" --db "$BD" --lang en explain D1 --round 2024
has "en: explain: a metric imported too" "  a metric was imported for D1 too (4.5): the survey's value is used (the model's conflict rule)"
printf 'code,name,kind,parent\nD9,Nine,department,R1\n' >"$T/d9.csv"
"$EGDI" --db "$BD" import units "$T/d9.csv" >/dev/null
"$EGDI" --db "$BD" score --round 2024 --model "$B/model.csv" >/dev/null
run "$EGDI" --db "$BD" --lang zh explain D9 --round 2024
has "explain: no score" "EGDI：无得分；数据覆盖率 0.0%"
hasnt "explain: no English no score" "no score"

# a report whose survey cannot be summarised says so
printf 'id,Q1,Q2\n1,3,3\n2,3,3\n3,3,3\n' >"$T/flat.csv"
FD=$T/flat.db
"$EGDI" --db "$FD" import units "$B/units.csv" >/dev/null
"$EGDI" --db "$FD" import metrics "$B/metrics.csv" --round 2024 --model "$B/model.csv" >/dev/null
"$EGDI" --db "$FD" import survey "$T/flat.csv" --survey flat --round 2024 --scale 1-5 >/dev/null
"$EGDI" --db "$FD" score --round 2024 --model "$B/model.csv" >/dev/null 2>&1
run "$EGDI" --db "$FD" --lang zh report --round 2024 -o "$T/flat-rep" --no-charts
err_has "report: no survey statistics" "egdi report：报告中没有问卷统计：问卷 \"flat\"：题项 Q1 方差为零（所有答案都是 3）"
run "$EGDI" --db "$FD" --lang en report --round 2024 -o "$T/flat-rep-en" --no-charts
err_has "en: report: no survey statistics" "egdi report: no survey statistics in the report: survey \"flat\": "

# model check of a table with more problems than it lists; model weights --write
awk '/^\[stages\]/ { for (i = 1; i <= 1001; i++) printf "X%d,NOPE,x,x,1,index,higher,both,linear,0,1,,,,,,,,,,,,,,,\n", i }
    { print }' "$T/m.csv" >"$T/many.csv"
run "$EGDI" --lang zh model check "$T/many.csv"
has "model check: more problems" "（其余问题未列出）"
hasnt "model check: no English" "more problems not listed"
err_has "model check: how many, no English plural" "many.csv：1000 个问题"
if grep -q "个问题s" "$ERR"; then fail "model check: an English plural in Chinese"; else pass "model check: no English plural in Chinese"; fi
run "$EGDI" --lang zh model weights equal --parent EGDI --write "$T/w.csv"
err_has "model weights --write" "egdi model：已写出 $T/w.csv（模型 jiangsu，版本 2024.1-equal-EGDI），含 EGDI 的新权重"
run "$EGDI" --lang zh --db "$Z" import metrics "$O/metrics_range.xlsx" --round 2027 --max-errors 1
err_has "import: the problems not listed" "……另有 2 个问题（--rejects FILE 写出全部）"

# ---- help pages ------------------------------------------------------------------
for c in "" init status import model score explain rank survey report demo round \
    "model list" "model show" "model check" "model weights" "model export" \
    "import units" "import metrics" "import survey" "import list" "import undo" \
    "survey describe" "survey items" "survey alpha" "survey ttest" "survey anova" "survey kmo" \
    "survey efa" "survey cfa" "survey validity" "survey profile" "survey corr" "survey regress" \
    "survey mediate" "survey crosstab" "survey report" uncertainty sensitivity; do
    # shellcheck disable=SC2086
    run "$EGDI" --lang zh $c --help
    first=$(head -1 "$OUT")
    summary=$(sed -n '/^$/{n;p;q}' "$OUT")
    case "$first" in 用法：egdi*) pass "zh: egdi $c --help: 用法" ;;
    *) fail "zh: egdi $c --help starts '$first'" ;; esac
    if printf '%s' "$summary" | LC_ALL=C grep -q '[^ -~]'; then pass "zh: egdi $c --help: summary '$summary'"
    else fail "zh: egdi $c --help: summary in English '$summary'"; fi
    wide=$(python3 -c 'import sys,unicodedata
for l in open(sys.argv[1], encoding="utf-8").read().split("\n"):
    if sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in l) > 80: print(l)' "$OUT")
    [ -z "$wide" ] && pass "zh: egdi $c --help fits in 80 columns" ||
        fail "zh: egdi $c --help has a line over 80 columns: $wide"
    # every option's text (when on its label's line) and the notes are Chinese
    english=$(grep -E '^  -' "$OUT" | sed -nE 's/^  (-[^ ]+( [^ ]+)?)  +(.*)$/\3/p' |
        LC_ALL=C grep -v '[^ -~]' || true)
    [ -z "$english" ] && pass "zh: egdi $c --help: every option in Chinese" ||
        fail "zh: egdi $c --help: options in English: $english"
done
run "$EGDI" --lang zh rank --help
has "rank's options in Chinese" "--round YEAR              某一轮次已保存的得分（先运行 'egdi score'）"
has "options heading" "选项："
run "$EGDI" --lang en rank --help
has "en: rank's help stays English" "--round YEAR              the stored scores of a round"

# ---- the command line's errors -----------------------------------------------------
run "$EGDI" --lang zh --db "$DB" rank --bogus
fails "zh: an unknown option"
err_has "zh: says so in Chinese" "egdi rank: 未知选项 '--bogus'（参见 'egdi rank --help'）"
run "$EGDI" --lang zh scroe
err_has "zh: did you mean" "未知命令 'scroe'；是否要用 'score'？（参见 'egdi --help'）"
run "$EGDI" --lang zh --db "$DB" rank --round
err_has "zh: needs a value" "选项 '--round' 需要一个值"
# what an import says besides its errors: its note, the header row's note,
# each column's note and target, its warnings (the engine's English matched
# at the command line, as its errors are); JSON keeps the English
cp "$DB" "$T/imp.db"
printf 'code,name,parent,kind,Foo\nX1,甲,,department,1\nX2,乙,,department,2\n' >"$T/u.csv"
run "$EGDI" --lang zh --db "$T/imp.db" import units "$T/u.csv"
ok "zh: import units"
has "zh: a column's note" "不是单位名册文件的字段"
has "zh: a field's name" "字段  上级"
has "zh: the warning" "警告：2 个部门不属于任何地区（X1, X2）：它们的上级单元格为空，任何地区的得分都不包含它们"
has "zh: the header row" "表头：第 1 行"
cp "$DB" "$T/imp2.db"
run "$EGDI" --lang en --db "$T/imp2.db" import units "$T/u.csv"
has "en: a column's note" "not a field of a units file"
has "en: the warning" "2 departments without a region (X1, X2): their parent cells are empty"
cp "$DB" "$T/imp3.db"
run "$EGDI" --lang zh --db "$T/imp3.db" import units "$T/u.csv" --format json
has "zh: JSON keeps the engine's English" "not a field of a units file"
printf 'id,sex,Q1,Q2\n1,F,3,4\n2,M,5,2\n' >"$T/q.csv"
run "$EGDI" --lang zh --db "$T/imp.db" import survey "$T/q.csv" --survey langq --scale 1-5
has "zh: the survey's note" "2 个题项，2 个其他列，答案按字节保存"
has "zh: an attribute's note" "按答卷保存"

# formats made of pieces: each piece in the language too
mkdir -p "$T/taken" && echo x >"$T/taken/egdi.db"
run "$EGDI" --lang zh demo -o "$T/taken"
err_has "zh: demo will not replace a store it did not make" \
    "已存在，且存放着一个不是 demo 生成（或之后被改过）的数据库；demo 会替换它"
run "$EGDI" --lang en demo -o "$T/taken"
err_has "en: the same in English" "exists and holds a store the demo did not make"
run "$EGDI" --lang zh --db "$DB" report --round 2024 --csv-cells many -o "$T/r"
err_has "zh: --csv-cells" "--csv-cells 须为值的个数，不是 'many'"

# Each line of the file $1 (the arguments | the Chinese | the English): the
# command is refused, saying why ($2 names what in the checks' names) in
# Chinese under zh and in English under en.
refused_in_both() {
    while IFS='|' read -r cmd zh en; do
        # shellcheck disable=SC2086
        run "$EGDI" --lang zh --db "$DB" $cmd </dev/null
        fails "zh: egdi $cmd is refused"
        err_has "zh: egdi $cmd$2 in Chinese" "$zh"
        # shellcheck disable=SC2086
        run "$EGDI" --lang en --db "$DB" $cmd </dev/null
        err_has "en: egdi $cmd$2 in English" "$en"
    done <"$1"
}

# the commands' own errors: Chinese under zh, English under en (each line:
# the arguments | the Chinese | the English)
cat >"$T/errs" <<ERRS
rank --round 2024 extra|egdi rank: 多余的参数 'extra'（参见 'egdi rank --help'）|egdi rank: unexpected 'extra' (try 'egdi rank --help')
explain NJ01|需要 --round YEAR|needs --round YEAR
explain NJ01 --round 2024 --format xml|--format 的值 'xml' 无效|bad --format 'xml'
uncertainty --round 2024 --draws 0|--draws 取 1 到 10000000，不是 '0'|--draws takes 1 to 10000000, not '0'
sensitivity --round 2024 --base 1|--base 取 2 到 1048576，不是 '1'|--base takes 2 to 1048576, not '1'
import metrics $T/none.csv|指标数据需要 --round YEAR|metrics need --round YEAR
import units $T/none.csv --skip-bad-rows --skip-bad-cells|--skip-bad-rows 与 --skip-bad-cells 不能同时使用|--skip-bad-rows and --skip-bad-cells exclude each other
model weights entropy|weights entropy 需要 --round YEAR 和 --parent CODE|weights entropy needs --round YEAR and --parent CODE
model weights equal --parent NOPE|egdi model: NOPE 不是模型中有下级指标的指标|egdi model: NOPE is not an indicator with children in the model
rank --data $T/none.csv --round 2024|--data 对文件排名；--round、--compare、--kind 和 --within 用于数据库|--data ranks a file; --round, --compare, --kind and --within are for the store
round delete abc|delete 需要年份，不是 'abc'|delete takes a year, not 'abc'
survey anova --survey $S --y 互动 --group 性别 --posthoc dunnett|未知事后检验方法 'dunnett'（可用 lsd、bonferroni、tukey、scheffe 或 games-howell）|unknown post-hoc method 'dunnett' (use lsd, bonferroni, tukey, scheffe or games-howell)
survey ttest --survey $S|请选一种检验：--y Y --group G（独立样本）|choose one test: --y Y --group G (independent)
survey corr --survey $S --method kendall|--method 只能是 pearson 或 spearman，不是 'kendall'|--method wants pearson or spearman, not 'kendall'
ERRS
refused_in_both "$T/errs" " says why"

# the engine's errors: Chinese under zh (the message and where it is), English
# under en (each line: the arguments | the Chinese | the English)
printf 'code,name,kind\nA1,Alpha,kingdom\n' >"$T/badkind.csv"
awk -F, 'BEGIN { OFS = "," } /^\[catalogue\]/ { c = 1 } c && $1 == "CBII" { $5 = "abc" } { print }' \
    "$T/m.csv" >"$T/badweight.csv"
cat >"$T/engine-errs" <<ERRS
rank --round 2030|egdi rank: 2030 年度尚未评分（请运行 'egdi score --round 2030'）|egdi rank: round 2030 has not been scored (run 'egdi score --round 2030')
explain NJ01 --round 2030|egdi explain: 2030 年度尚未评分（请运行 'egdi score --round 2030'）|egdi explain: round 2030 has not been scored (run 'egdi score --round 2030')
import units $T/badkind.csv|egdi import: 文件 $T/badkind.csv，第 2 行，C 列："kingdom"：单位类型须为部门（部门、单位）或地区（地区、市、县、区）；未导入任何数据|egdi import: $T/badkind.csv, row 2, column C: "kingdom": kind must be department (部门, 单位) or region (地区, 市, 县, 区); nothing was imported
import units $T/none.csv|egdi import: 文件 $T/none.csv：无法打开：文件或目录不存在|egdi import: $T/none.csv: cannot open: No such file or directory
survey alpha --survey nope|egdi survey alpha: 数据库中没有问卷 "nope"（参见 'egdi status'）|egdi survey alpha: no survey "nope" in the store (see 'egdi status')
survey alpha --survey $S --items Q1|维度 网站信息质量 用到的 Q2 不在 --items 之中|scale 网站信息质量 uses Q2, which is not among the --items
model show nope|egdi model: 没有模型 "nope"（不是内置模型，也不是文件：文件或目录不存在）|egdi model: no model "nope" (not a built-in model, not a file: No such file or directory)
round delete 2031|egdi round: 数据库中没有 2031 年度|egdi round: the store has no round 2031
ERRS
refused_in_both "$T/engine-errs" ": the engine's error"
# a model's problems, listed on stdout, are Chinese too
run "$EGDI" --lang zh model check "$T/badweight.csv"
has "zh: model check: a problem in Chinese" "指标目录第 19 行：CBII：权重 \"abc\" 不是数字"
run "$EGDI" --lang en model check "$T/badweight.csv"
has "en: model check: the problem in English" "catalogue row 19: CBII: weight \"abc\" is not a number"

# ---- data stays data --------------------------------------------------------------
"$EGDI" --db "$DB" --lang zh rank --round 2024 --format csv >"$T/zh.csv"
"$EGDI" --db "$DB" --lang en rank --round 2024 --format csv >"$T/en.csv"
same "CSV headings are the same in both languages" "$(head -1 "$T/zh.csv")" "$(head -1 "$T/en.csv")"
same "CSV: the region column holds codes" "$(sed -n 2p "$T/zh.csv" | cut -d, -f1-4)" "1,SZ37,苏州市税务局,SZ"
for c in "rank --round 2024" "status" "score --round 2024" "explain NJ01 --round 2024" "model show jiangsu"; do
    # shellcheck disable=SC2086
    a=$("$EGDI" --db "$DB" --lang zh $c --format json 2>/dev/null | jq -c '[paths | map(tostring) | join(".")] | unique')
    # shellcheck disable=SC2086
    b=$("$EGDI" --db "$DB" --lang en $c --format json 2>/dev/null | jq -c '[paths | map(tostring) | join(".")] | unique')
    [ -n "$a" ] && [ "$a" = "$b" ] && pass "JSON keys of $c are the same in both languages" ||
        fail "JSON keys of $c differ between zh and en"
done

finish
