#!/bin/sh
# check-names.sh - a function's prefix matches its file or module.
#
#   tools/check-names.sh [ROOT [BUILD]]   (defaults: the repository, build)
#
# For every library file ROOT/{engine/*,indicators,surveys,reports}/F.c, the
# global symbols of its object BUILD/.../F.o (nm) must start with egdi_W_
# (or be egdi_W), or W_ for a symbol shared only inside the module (declared
# in a *_private.h), where W is one of:
#   - a word of the file's name (score_store.c: score, store), or the word
#     without a final s (rules.c: rule);
#   - the folder's name (engine/store/units.c: store);
#   - the first word of a type egdi_W... declared in the file's own header
#     F.h or F_private.h (reliability.h declares egdi_alpha and egdi_cov,
#     so reliability.c may define egdi_alpha_compute and egdi_cov_compute).
# Prints one line per symbol that matches none ("FILE: SYMBOL: ...") and
# ends with "N passed, N failed", one check per file.  Symbols the compiler
# makes (__odr_asan.* under ASan) are not checked.
set -u
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
BUILD=${2:-build}
case "$BUILD" in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
cd "$ROOT" || exit 2

passed=0
failed=0
for src in engine/*/*.c indicators/*.c surveys/*.c reports/*.c; do
    [ -f "$src" ] || continue
    obj=$BUILD/${src%.c}.o
    if [ ! -f "$obj" ]; then
        echo "$src: no object $obj (build first)"
        failed=$((failed + 1))
        continue
    fi
    dir=${src%/*}
    stem=$(basename "$src" .c)
    words=" "
    for w in $(echo "$stem" | tr '_' ' ') "${dir##*/}"; do
        words="$words$w ${w%s} "
    done
    for h in "$dir/$stem.h" "$dir/${stem}_private.h"; do
        [ -f "$h" ] || continue
        for w in $(sed -n \
            -e 's/.*}[[:space:]]*egdi_\([a-z0-9]*\).*/\1/p' \
            -e 's/.*typedef[[:space:]][[:space:]]*\(struct\|enum\)[[:space:]][[:space:]]*egdi_\([a-z0-9]*\).*/\2/p' \
            -e 's/^typedef[^(]*[[:space:]*]egdi_\([a-z0-9]*\)[a-z0-9_]*;.*/\1/p' "$h"); do
            words="$words$w "
        done
    done
    bad=0
    for sym in $(nm -g --defined-only "$obj" | awk 'NF == 3 && $2 ~ /^[TDBR]$/ && $3 !~ /^__/ {print $3}'); do
        case "$sym" in
        egdi_*) rest=${sym#egdi_} ;;
        *) rest=$sym ;;
        esac
        w=${rest%%_*}
        case "$words" in
        *" $w "*) ;;
        *)
            echo "$src: $sym: the prefix names neither the file, the folder nor a type of $stem.h (allowed:$words)"
            bad=1
            ;;
        esac
    done
    if [ "$bad" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
