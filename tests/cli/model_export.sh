#!/bin/sh
# Models a person can start from (issue 18, item 3):
# - `model export NAME -o FILE.xlsx | FILE.csv | DIR` writes the model's
#   canonical tables; `model check` accepts each, with the built-in's sha256;
# - scoring the demo store with the exported model gives the built-in's
#   scores and ranks byte for byte;
# - Chinese headings (代码, 上级, 名称, 权重, 规则...) and Chinese table names
#   (设置, 指标, 阶段: [section] markers and XLSX sheet names) are read;
# - a header that lacks a needed column is one problem, not one per row.
. tests/cli/lib.sh
# the messages read in English
EGDI_LANG=en
export EGDI_LANG

run "$EGDI" model show jiangsu --format json
ok "model show jiangsu"
HASH=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["hash"])' "$OUT")

for o in m.xlsx m.csv mdir; do
    run "$EGDI" model export jiangsu -o "$T/$o"
    ok "export jiangsu -o $o"
    run "$EGDI" model check "$T/$o"
    ok "model check accepts $o"
    has "$o: the built-in's hash" "sha256 $HASH"
    has "$o: 19 indicators" "(19 indicators, 24 nodes in the tree, 5 stages"
done
[ -f "$T/mdir/settings.csv" ] && [ -f "$T/mdir/catalogue.csv" ] && [ -f "$T/mdir/stages.csv" ] &&
    pass "the directory holds the three tables" || fail "the directory's tables"
run "$EGDI" model export un-egdi -o "$T/un.xlsx"
ok "export un-egdi"
run "$EGDI" model check "$T/un.xlsx"
has "un-egdi as XLSX" "model un-egdi 2020 is valid"

run "$EGDI" model export jiangsu
fails "export without -o"
err_has "says what it needs" "export needs -o FILE.xlsx, FILE.csv or DIR"

# ---- scores identically --------------------------------------------------------
run "$EGDI" demo -o "$T/demo" --lang en
ok "the demo store"
DB=$T/demo/egdi.db
"$EGDI" --db "$DB" score --round 2024 --format csv >"$T/a.sum" 2>/dev/null
"$EGDI" --db "$DB" rank --round 2024 --format csv >"$T/a.csv" 2>/dev/null
"$EGDI" --db "$DB" rank --round 2024 --region --format csv >"$T/a.reg" 2>/dev/null
for o in m.xlsx m.csv mdir; do
    "$EGDI" --db "$DB" score --round 2024 --model "$T/$o" --format csv >"$T/b.sum" 2>/dev/null
    "$EGDI" --db "$DB" rank --round 2024 --model "$T/$o" --format csv >"$T/b.csv" 2>/dev/null
    "$EGDI" --db "$DB" rank --round 2024 --model "$T/$o" --region --format csv >"$T/b.reg" 2>/dev/null
    [ -s "$T/a.csv" ] && cmp -s "$T/a.csv" "$T/b.csv" && cmp -s "$T/a.sum" "$T/b.sum" &&
        cmp -s "$T/a.reg" "$T/b.reg" &&
        pass "$o scores and ranks as the built-in, byte for byte" ||
        fail "$o scores differently"
done
[ "$(wc -l <"$T/a.csv")" -eq 521 ] && pass "520 departments ranked" || fail "rank rows"

# ---- Chinese headings and table names -----------------------------------------
sed -e 's/^\[settings\]$/[设置]/; s/^\[catalogue\]$/[指标]/; s/^\[stages\]$/[阶段]/' \
    -e 's/^key,value$/键,值/' \
    -e 's/^code,parent,name_zh,name_en,weight,unit,direction,applies,rule,min,max,target,tolerance,steps,scale_min,scale_max,source,scale,items,statistic,min_n,min_alpha,item_analysis,min_kmo,gate,conflict$/代码,上级,名称,英文名称,权重,单位,方向,适用,规则,最小值,最大值,目标值,容差,阶梯,量表最小值,量表最大值,来源,量表,题项,统计量,最少人数,最低alpha,项目分析,最低KMO,门槛,冲突/' \
    -e 's/^code,name_zh,name_en,lower,upper,classes$/代码,名称,英文名称,下限,上限,等级/' \
    "$T/m.csv" >"$T/zh.csv"
if grep -q '^代码,上级,名称' "$T/zh.csv" && grep -q '^\[指标\]' "$T/zh.csv" &&
    ! grep -q 'code' "$T/zh.csv"; then pass "the Chinese table has no English heading"
else fail "the Chinese table was not made"; fi
run "$EGDI" model check "$T/zh.csv"
ok "Chinese headings and [设置] [指标] [阶段] markers"
has "the same model" "sha256 $HASH"
python3 - "$T/m.xlsx" "$T/zh.xlsx" <<'PY'
import sys, zipfile
src = zipfile.ZipFile(sys.argv[1])
dst = zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED)
for i in src.infolist():
    d = src.read(i.filename)
    if i.filename == "xl/workbook.xml":
        d = (d.decode().replace('name="settings"', 'name="设置"')
             .replace('name="catalogue"', 'name="指标"').replace('name="stages"', 'name="阶段"')
             .encode())
    dst.writestr(i, d)
dst.close()
PY
run "$EGDI" model check "$T/zh.xlsx"
ok "sheets 设置, 指标, 阶段"
has "the same model from the Chinese sheets" "sha256 $HASH"

# ---- one structural error, once -------------------------------------------------
sed 's/^code,parent,/kode,parent,/' "$T/m.csv" >"$T/bad.csv"
run "$EGDI" model check "$T/bad.csv"
fails "a catalogue without a code column"
same "one problem line" "$(wc -l <"$OUT" | tr -d ' ')" "1"
has "names the column and the heading" \
    'catalogue row 17: no column "code" (heading not understood: "kode"); the table'"'"'s rows are not read'
err_has "counts one" "1 problem"
sed 's/^code,name_zh,name_en,lower,upper,classes$/code,name_zh,name_en,von,bis,classes/' \
    "$T/m.csv" >"$T/bad2.csv"
run "$EGDI" model check "$T/bad2.csv"
same "stages without lower, upper: one problem" "$(wc -l <"$OUT" | tr -d ' ')" "1"
has "both columns named" 'no column "lower", "upper" (headings not understood: "von", "bis")'

finish
