#!/bin/sh
# The defects a hostile-input campaign found (issue 19), each through the
# real program: data never lost (demo over a store, an output that is an
# input, staging files left by a kill), inputs bounded (shared strings,
# streams), what is read is what the file says (CRC, cells, encodings,
# survey tables), what is printed is safe and true (control characters,
# XML, a unit without data, huge values, stored numbers), and the messages
# say what happened.  Each check fails on the code before the fix.
. tests/cli/lib.sh
D=$DATA/import
M=$DATA/models
S=$DATA/survey
H=$T/h
mkdir -p "$H"
python3 tests/cli/hostile/robust.py "$H" || { echo "FAIL robust.py"; exit 1; }
DB=$T/r.db
E() { "$EGDI" --db "$DB" "$@"; }
q() { sqlite3 "$DB" "$1"; }
sum() { sha256sum "$1" | cut -c1-64; }

# ---- 2. an output that is one of the command's inputs is refused ----
run E import units "$M/units.csv"
ok "units"
awk -F, 'BEGIN { OFS = "," } NR == 3 { $2 = "abc" } { print }' "$M/metrics-2024.csv" >"$T/bad.csv"
before=$(sum "$T/bad.csv")
run E import metrics "$T/bad.csv" --round 2030 --skip-bad-rows --rejects "$T/bad.csv"
fails "--rejects over the imported file is refused"
err_has "--rejects: says why" '"'"$T/bad.csv"'" is also an input of this command'
same "--rejects: the input is untouched" "$(sum "$T/bad.csv")" "$before"
ln -s bad.csv "$T/link.csv"
run E import metrics "$T/bad.csv" --round 2030 --rejects "$T/link.csv"
fails "--rejects through a symbolic link to the input is refused"
err_has "--rejects: names both" 'is the same file as the input'
ln "$T/bad.csv" "$T/hard.csv"
run E import metrics "$T/bad.csv" --round 2030 --rejects "$T/hard.csv"
fails "--rejects to a hard link of the input is refused"
run E import metrics "$T/bad.csv" --round 2030 --rejects "$DB"
fails "--rejects over the store is refused"
same "--rejects: the input is still untouched" "$(sum "$T/bad.csv")" "$before"
run E import metrics "$T/bad.csv" --round 2030 --skip-bad-rows --rejects "$T/rejects.csv"
ok "--rejects to another file still works"
has "the good rows are imported" "imported metrics"
cp "$S/bfi.csv" "$T/s.csv"
before=$(sum "$T/s.csv")
run "$EGDI" survey efa --data "$T/s.csv" --items A1-A5,C1-C5 --factors 2 --scores "$T/s.csv"
fails "efa --scores over --data is refused"
err_has "efa --scores: says why" 'is also an input of this command'
run "$EGDI" survey alpha --data "$T/s.csv" --items A1-A5 --save-scores "$T/s.csv"
fails "--save-scores over --data is refused"
same "survey: the data file is untouched" "$(sum "$T/s.csv")" "$before"
run "$EGDI" survey efa --data "$T/s.csv" --items A1-A5,C1-C5 --factors 2 --scores "$T/f.csv"
ok "efa --scores to another file still works"
cp -r data/models/jiangsu "$T/js"
before=$(sum "$T/js/catalogue.csv")
run "$EGDI" model weights equal --parent CBII --model "$T/js" --write "$T/js/catalogue.csv"
fails "model weights --write over the model's own table is refused"
same "the model table is untouched" "$(sum "$T/js/catalogue.csv")" "$before"
run "$EGDI" model weights equal --parent CBII --model "$T/js" --write "$T/js2.csv"
ok "model weights --write to a new file still works"

# ---- 1. egdi demo never replaces what it did not write ----
mkdir "$T/d1"
(cd "$T/d1" && "$EGDI" import units "$M/units.csv" >/dev/null)
before=$(sum "$T/d1/egdi.db")
run sh -c "cd '$T/d1' && '$EGDI' demo -o ."
fails "demo -o . over the user's ./egdi.db is refused"
err_has "demo: names the default store" "is the store egdi uses by default"
run sh -c "cd '$T/d1' && '$EGDI' demo -o . --force"
fails "demo --force never replaces the default store either"
same "demo: the user's store is untouched" "$(sum "$T/d1/egdi.db")" "$before"
mkdir -p "$T/d2/data"
cp "$T/d1/egdi.db" "$T/d2/egdi.db"
echo "mine" >"$T/d2/data/units.xlsx"
run "$EGDI" demo -o "$T/d2"
fails "demo over another store it did not make is refused"
err_has "demo: says what and how to go on" "holds a store the demo did not make"
err_has "demo: points to --force" "--force"
rm "$T/d2/egdi.db"
run "$EGDI" demo -o "$T/d2"
fails "demo over a data file it did not write is refused"
err_has "demo: names the file" "$T/d2/data/units.xlsx exists and is not a file the demo wrote"
same "demo: the user's data file is untouched" "$(cat "$T/d2/data/units.xlsx")" "mine"
run "$EGDI" demo -o "$T/d2" --force
ok "demo --force replaces them"
run "$EGDI" demo -o "$T/d2"
ok "demo runs again over its own output"
run "$EGDI" --db "$T/d2/egdi.db" rank --round 2024
ok "reading the demo store"
run "$EGDI" demo -o "$T/d2"
ok "demo runs again after the store was only read"
printf 'code,name,kind\nMY-1,我的单位,department\n' >"$T/my.csv"
run "$EGDI" --db "$T/d2/egdi.db" import units "$T/my.csv"
ok "the user imports into the demo's store"
run "$EGDI" demo -o "$T/d2"
fails "demo then refuses to replace the store with the user's import"
same "the import is still there" "$(sqlite3 "$T/d2/egdi.db" "SELECT count(*) FROM unit WHERE code = 'MY-1'")" 1

# ---- 3. staging left by a kill is swept; the report is published as one set ----
run E import metrics "$M/metrics-2024.csv" --round 2024
ok "metrics"
run E score --round 2024
ok "score"
run E report --round 2024 -o "$T/rep"
ok "report"
same "report.sha256 lists every file of the report" \
    "$(cd "$T/rep" && sha256sum -c --quiet report.sha256 && cut -c67- report.sha256 | sort | tr '\n' ' ')" \
    "charts/radar.png charts/radar.svg charts/ranking.png charts/ranking.svg charts/regions.png charts/regions.svg charts/stages.png charts/stages.svg charts/trend.png charts/trend.svg report.html report.xlsx "
mkdir -p "$T/bin"
printf '#!/bin/sh\nkill -9 $PPID\n' >"$T/bin/gnuplot" # kills egdi while it draws
chmod +x "$T/bin/gnuplot"
run env PATH="$T/bin:$PATH" "$EGDI" --db "$DB" report --round 2024 -o "$T/rep"
same "a report killed while drawing" "$RC" 137
left=$(cd "$T/rep" && ls -d .egdi-report-* 2>/dev/null | wc -l)
same "the kill leaves its staging directory" "$left" 1
(cd "$T/rep" && sha256sum -c --quiet report.sha256 >/dev/null 2>&1)
same "the published report is still whole" "$?" 0
mkdir "$T/rep/.egdi-report-other"
touch -d '1 hour ago' "$T/rep"/.egdi-report-*
run E report --round 2024 -o "$T/rep"
ok "the next report"
same "the next report sweeps the staging left by the kill (and nothing else)" \
    "$(cd "$T/rep" && ls -A | tr '\n' ' ')" ".egdi-report-other charts report.html report.sha256 report.xlsx "
finish
