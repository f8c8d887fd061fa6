#!/bin/sh
# Runs the CLI tests (tests/cli/*.sh, or the scripts named as arguments)
# with $EGDI pointing at a wrapper that runs the program under valgrind:
#   valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
# Each run writes its own log; any log with an error (invalid read or write,
# use of uninitialised memory, a definite leak) is printed and counted as a
# failure, on top of the scripts' own checks.  Ends with "N passed, N failed".
#   BUILD=build tests/valgrind.sh [tests/cli/x.sh ...]      (make valgrind)
BUILD=${BUILD:-build}
REAL="$(pwd)/$BUILD/egdi"
[ -x "$REAL" ] || { echo "no $REAL: run make first"; exit 2; }
VALGRIND=$(command -v valgrind) || { echo "valgrind is not installed"; exit 2; }
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
mkdir -p "$W/logs"
cat >"$W/egdi" <<EOW
#!/bin/sh
exec $VALGRIND -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \\
    --show-leak-kinds=definite --num-callers=30 --log-file="$W/logs/vg.%p" "$REAL" "\$@"
EOW
chmod 755 "$W" "$W/egdi"   # tests also run it as nobody (setpriv)
chmod 1777 "$W/logs"
EGDI="$W/egdi"
export EGDI BUILD

[ $# -gt 0 ] || set -- tests/cli/*.sh
passed=0
failed=0
for t in "$@"; do
    case "$t" in */lib.sh) continue ;; esac
    rm -f "$W"/logs/vg.*
    sh "$t" >"$W/out" 2>&1
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$W/out" | tail -1)
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
    p=${p:-0}
    f=${f:-0}
    if [ "$f" -ne 0 ]; then
        echo "FAIL $(basename "$t"):"
        grep -E '^(FAIL|  )' "$W/out" | head -20
    fi
    bad=0
    for l in "$W"/logs/vg.*; do
        [ -s "$l" ] || continue
        bad=$((bad + 1))
        echo "VALGRIND $(basename "$t"): $(grep -m1 'Command:' "$l" | sed 's/.*Command: //')"
        head -40 "$l"
    done
    echo "valgrind $(basename "$t"): $p passed, $f failed, $bad runs with valgrind errors"
    passed=$((passed + p))
    failed=$((failed + f + bad))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
