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
finish
