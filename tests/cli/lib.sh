# Shared helpers for CLI tests: source it, call the checks, end with `finish`.
#
#   run CMD...            runs CMD, keeping stdout in $OUT, stderr in $ERR,
#                         exit status in $RC
#   ok NAME               passes when $RC is 0
#   fails NAME            passes when $RC is not 0 and stderr is one line
#   has NAME TEXT         passes when stdout contains TEXT
#   err_has NAME TEXT     passes when stderr contains TEXT
#   same NAME A B         passes when strings A and B are equal
#   finish                prints "N passed, N failed" and exits
#
# $EGDI is the program under test; $T is a fresh temporary directory.
P=0
F=0
# the tests read the tool's first language unless they ask for another
# (the default otherwise follows the locale: tests/cli/options.sh)
EGDI_LANG=zh
export EGDI_LANG
EGDI=${EGDI:-$(pwd)/build/egdi}
DATA=$(pwd)/tests/data
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
OUT=$T/.out
ERR=$T/.err
RC=0

run() {
    "$@" >"$OUT" 2>"$ERR"
    RC=$?
}
pass() { P=$((P + 1)); echo "ok   $1"; }
fail() {
    F=$((F + 1))
    echo "FAIL $1"
    echo "  rc=$RC"
    sed 's/^/  stdout: /' "$OUT" | head -10
    sed 's/^/  stderr: /' "$ERR" | head -10
}
ok() { if [ "$RC" -eq 0 ]; then pass "$1"; else fail "$1"; fi; }
fails() {
    if [ "$RC" -ne 0 ] && [ "$(wc -l <"$ERR")" -eq 1 ]; then pass "$1"; else fail "$1"; fi
}
has() { if grep -qF -- "$2" "$OUT"; then pass "$1"; else fail "$1 (no '$2' in stdout)"; fi; }
hasnt() { if grep -qF -- "$2" "$OUT"; then fail "$1 ('$2' in stdout)"; else pass "$1"; fi; }
err_has() { if grep -qF -- "$2" "$ERR"; then pass "$1"; else fail "$1 (no '$2' in stderr)"; fi; }
same() {
    if [ "$2" = "$3" ]; then pass "$1"; else
        fail "$1"
        echo "  expected: $3"
        echo "  got:      $2"
    fi
}
finish() {
    echo "$P passed, $F failed"
    [ "$F" -eq 0 ]
    exit $?
}
