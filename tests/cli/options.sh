#!/bin/sh
# Forgiving, consistent options (issue 18, item 2):
# - a missing value says "needs a value";
# - the global options --db and --lang work before or after the command,
#   --format before it too;
# - an unknown command, subcommand or option gets "did you mean ..." (edit
#   distance), never a doubled space;
# - --model NAME|FILE means the same in every command: the name of a model
#   scored from a file is accepted by `score` as by `rank` and `explain`;
# - every command egdi suggests in its errors ('egdi ...') runs.
. tests/cli/lib.sh
DB=$T/demo/egdi.db
unset EGDI_DB

run "$EGDI" demo -o "$T/demo" --lang en
ok "the demo store"
# the messages are read in English (tests/cli/lang.sh reads them in Chinese)
EGDI_LANG=en
export EGDI_LANG

# ---- missing values, global options anywhere ------------------------------
run "$EGDI" --db "$DB" rank --round
fails "rank --round without a value"
err_has "says it needs a value" "option '--round' needs a value"
run "$EGDI" --db "$DB" report --round 2024 -o
err_has "report -o without a value" "option '-o' needs a value"
run "$EGDI" rank --db "$DB" --round 2024 --format csv
ok "--db after the command"
has "the ranking from that store" "1,SZ37,"
run "$EGDI" rank --round 2024 --format csv --db="$DB"
ok "--db=FILE after the command"
run "$EGDI" --format csv --db "$DB" rank --round 2024
ok "--format before the command"
has "--format before the command is the command's" "rank,id,name,region,score"
run "$EGDI" --db "$DB" status --lang en
ok "status takes --lang"
run "$EGDI" --db "$DB" score --round 2024 --lang zh
ok "score takes --lang"
run "$EGDI" --lang en --db "$DB" rank --round 2024
has "--lang before the command" " integration "
run env EGDI_LANG=en "$EGDI" --db "$DB" rank --round 2024
has "EGDI_LANG=en" " integration "
run env EGDI_LANG=zh "$EGDI" --db "$DB" rank --round 2024
has "EGDI_LANG=zh" " 融合发展阶段 "
run env EGDI_LANG=en LANG=zh_CN.UTF-8 "$EGDI" --db "$DB" rank --round 2024 --lang zh
has "--lang over EGDI_LANG" "融合发展阶段"
run env -u EGDI_LANG LC_ALL= LC_MESSAGES= LANG=en_US.UTF-8 "$EGDI" --db "$DB" rank --round 2024
has "the default language from the locale" " integration "
run "$EGDI" --db "$DB" rank --round 2024 --lang fr
fails "--lang fr"
err_has "names the languages" "--lang is zh or en, not 'fr'"
run "$EGDI" --lang en --format csv init --db "$T/x.db"
err_has "--format before a command without it" "unknown option '--format'"

# ---- did you mean ----------------------------------------------------------
run "$EGDI" scroe
fails "an unknown command"
err_has "did you mean score" "unknown command 'scroe'; did you mean 'score'? (try 'egdi --help')"
run "$EGDI" --db "$DB" rank --roud 2024
err_has "did you mean --round" "unknown option '--roud'; did you mean '--round'?"
run "$EGDI" model lsit
err_has "did you mean list" "unknown subcommand 'lsit'; did you mean 'list'? (try 'egdi model --help')"
run "$EGDI" survey alhpa
err_has "did you mean alpha" "did you mean 'alpha'?"
run "$EGDI" --dv x.db status
err_has "a program option" "did you mean '--db'?"
run "$EGDI" frobnicate
err_has "nothing near: no guess" "unknown command 'frobnicate' (try 'egdi --help')"

# ---- --model NAME|FILE in every command ------------------------------------
mkdir -p "$T/anhui"
cp data/models/jiangsu/catalogue.csv data/models/jiangsu/stages.csv "$T/anhui/"
sed 's/^name,jiangsu$/name,anhui/' data/models/jiangsu/settings.csv >"$T/anhui/settings.csv"
run "$EGDI" --db "$DB" score --round 2024 --model "$T/anhui"
ok "2024 scored with the model file of anhui"
for cmd in "rank --round 2024" "explain SZ37 --round 2024" "score --round 2024"; do
    # shellcheck disable=SC2086
    run "$EGDI" --db "$DB" $cmd --model anhui --format json
    ok "$cmd --model NAME (a stored model)"
    # shellcheck disable=SC2086
    run "$EGDI" --db "$DB" $cmd --model "$T/anhui" --format json
    ok "$cmd --model FILE"
done

# ---- every suggested command runs; no doubled spaces -------------------------
# errors that suggest a command; each 'egdi ...' they quote is run on the
# same store and must not fail on its options or on its model
: >"$T/hints"
for cmd in "rank --round 2024 --compare 2022 --model anhui" "rank --round 2019" \
    "explain SZ37 --round 2019" "rank --round 2024 --model anhui --compare 2023" \
    "import undo 999" "rank --round" "scroe" "model lsit" "survey alpha --survey nosuch" \
    "rank --roud 2024" "status --formt json"; do
    # shellcheck disable=SC2086
    "$EGDI" --db "$DB" $cmd >/dev/null 2>>"$T/hints"
done
if grep -q '  ' "$T/hints"; then
    fail "no doubled space in error text: $(grep '  ' "$T/hints" | head -1)"
else
    pass "no doubled space in error text"
fi
grep -o "'egdi [^']*'" "$T/hints" | tr -d "'" | sort -u >"$T/hint-cmds"
n=$(wc -l <"$T/hint-cmds")
[ "$n" -ge 6 ] && pass "the errors suggest $n commands" || fail "only $n suggested commands"
while read -r hint; do
    case "$hint" in *FILE* | *COMMAND* | *SUBCOMMAND*) continue ;; esac
    # shellcheck disable=SC2086
    run "$EGDI" --db "$DB" ${hint#egdi }
    if grep -qE "unknown (option|command|subcommand)|needs a value|no model|no such" "$ERR" ||
        [ "$RC" -gt 2 ]; then
        fail "the suggested '$hint' runs"
    else
        pass "the suggested '$hint' runs"
    fi
done <"$T/hint-cmds"
finish
