#!/bin/sh
# `egdi [CMD [SUB]] --help` for the program, every command and every
# subcommand.  The help is printed from the same option tables the options
# are parsed with (cli/options.c), so for each page:
#   (a) it exits 0 and starts with its own usage line ("egdi survey alpha
#       --help" is the help of alpha, not of survey);
#   (b) every --option (and -x) it names is listed on it with its argument,
#       and the command accepts it: run with that option (and a dummy value)
#       plus a stray operand, in an empty directory, it fails at most with a
#       usage error but never with "unknown option";
#   (c) no line is wider than 100 columns, and nothing says "not available".
# The pages are found from the lists `egdi --help` and `egdi CMD --help`
# print, and those lists must name every command and subcommand.
. tests/cli/lib.sh
# the help's structure, read in English (tests/cli/lang.sh reads it in Chinese)
EGDI_LANG=en
export EGDI_LANG

cd "$T" || exit 1
EGDI_DB="$T/none.db"
export EGDI_DB

# The words of the rows of the section $2 in the help file $1 (a row starts
# with two spaces and a word; wrapped text is indented further).
section() {
    awk -v want="$2:" '$0 == want { on = 1; next } /^$/ { on = 0 } on && /^  [^ ]/ { print $1 }' "$1"
}

# Display width of the widest line of file $1 (CJK counts 2).
widest() {
    python3 -c '
import sys, unicodedata
w = 0
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    w = max(w, sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line))
print(w)' "$1"
}

# check_page WORDS...: the checks of one help page; $RUNWITH is the words
# that run the command an option is tried on (a subcommand for a parent's
# common options, a method for model weights).
check_page() {
    page="$*"
    name=${page:-egdi}
    run "$EGDI" "$@" --help
    ok "$name --help exits 0"
    cp "$OUT" "$T/page"
    line1=$(head -1 "$T/page")
    case "$line1" in
    "usage: egdi [--db FILE]${page:+ $page}" | "usage: egdi [--db FILE]${page:+ $page} "*)
        pass "$name --help starts with its usage line" ;;
    *) fail "$name --help starts with its usage line (got '$line1')" ;;
    esac
    run "$EGDI" "$@" -h
    same "$name -h is --help" "$(cat "$OUT")" "$(cat "$T/page")"

    w=$(widest "$T/page")
    if [ "$w" -le 100 ]; then pass "$name --help: lines fit in 100 columns"; else
        fail "$name --help: a line is $w columns wide"
        awk 'length($0) > 100' "$T/page" | head -3
    fi
    if grep -qi "not available" "$T/page"; then fail "$name --help says 'not available'"; else
        pass "$name --help names nothing unavailable"
    fi

    # every option named anywhere on the page
    for opt in $(grep -o -- '--[a-z][a-z-]*' "$T/page" | sort -u); do
        [ "$opt" = --help ] && continue
        # its row: "  --opt ARG  text" or "  -x, --opt ARG  text"
        row=$(grep -E -- "^  (-[a-zA-Z], )?$opt( |\$)" "$T/page" | head -1)
        if [ -z "$row" ]; then
            if [ "$opt" = --db ] && [ -n "$page" ]; then continue; fi # the program's own option
            fail "$name --help names $opt without listing it"
            continue
        fi
        pass "$name --help lists $opt"
        value=
        case "$row" in
        *"$opt "[!\ ]*) value=x ;;
        esac
        if [ -z "$page" ]; then
            run "$EGDI" "$opt" ${value:+"$value"} __stray__
        else
            run "$EGDI" $RUNWITH "$opt" ${value:+"$value"} __stray__
        fi
        if grep -q "unknown option" "$ERR" || [ "$RC" -gt 2 ]; then
            fail "$name accepts $opt${value:+ $value} (rc $RC)"
        else
            pass "$name accepts $opt${value:+ $value}"
        fi
        # its short form, when it has one
        short=$(echo "$row" | sed -n 's/^  \(-[a-zA-Z]\), .*/\1/p')
        if [ -n "$short" ] && [ -n "$page" ]; then
            run "$EGDI" $RUNWITH "$short" ${value:+"$value"} __stray__
            if grep -q "unknown option" "$ERR" || [ "$RC" -gt 2 ]; then
                fail "$name accepts $short (rc $RC)"
            else
                pass "$name accepts $short"
            fi
        fi
    done
}

# ---- the program and its commands ----------------------------------------
RUNWITH=
check_page
"$EGDI" --help >"$T/main"
same "egdi --help lists every command" "$(section "$T/main" commands | tr '\n' ' ')" \
    "init status import model score explain rank survey report demo round uncertainty sensitivity "

for cmd in $(section "$T/main" commands); do
    "$EGDI" "$cmd" --help >"$T/cmd"
    subs=$(section "$T/cmd" subcommands)
    first=$(echo "$subs" | head -1)
    RUNWITH="$cmd${first:+ $first}"
    check_page "$cmd"
    for sub in $subs; do
        case "$cmd $sub" in
        "model weights") RUNWITH="model weights equal" ;;
        *) RUNWITH="$cmd $sub" ;;
        esac
        check_page "$cmd" "$sub"
    done
done

"$EGDI" survey --help >"$T/survey"
same "egdi survey --help lists every subcommand" "$(section "$T/survey" subcommands | tr '\n' ' ')" \
    "describe items alpha ttest anova kmo efa cfa validity profile corr regress mediate crosstab report "
"$EGDI" model --help >"$T/model"
same "egdi model --help lists every subcommand" "$(section "$T/model" subcommands | tr '\n' ' ')" \
    "list show check weights export "

# ---- a subcommand's page is its own ----------------------------------------
run "$EGDI" survey alpha --help
hasnt "alpha's help has no option of describe" "--issued"
hasnt "alpha's help has no option of efa" "--rotate"
has "alpha's help has the common options" "--missing listwise|pairwise"
has "alpha's help has its notes" "SPSS RELIABILITY"
hasnt "alpha's help has no note of another subcommand" "Levene"
run "$EGDI" survey efa --data x.csv --help
has "efa's help, wherever --help stands" "--rotate none|varimax|promax|oblimin"
hasnt "efa's help has no option of ttest" "--pair-id"
run "$EGDI" survey --help
has "survey's help lists the subcommands" "efa"
has "survey's help has the common options" "--data FILE"
hasnt "survey's help has no subcommand's own option" "--issued"
run "$EGDI" model weights ahp --help
has "model weights' help has its options" "--parent CODE"
has "model weights' help names its methods" "ahp MATRIX.csv"
run "$EGDI" model list --help
hasnt "model list's help has no option of weights" "--parent"
run "$EGDI" model list --parent X
fails "model list refuses an option it does not list"
err_has "as an unknown option" "unknown option '--parent'"
run "$EGDI" survey alpha --data x.csv --issued 10
fails "survey alpha refuses describe's --issued"
err_has "as an unknown option" "unknown option '--issued'"
run "$EGDI" rank --round
fails "an option without its value"
err_has "says the value is missing" "option '--round' needs a value"
finish
