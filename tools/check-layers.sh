#!/bin/sh
# check-layers.sh - holds the code to the layering of docs/ARCHITECTURE.md.
#
#   tools/check-layers.sh [ROOT]      (ROOT defaults to the repository)
#
# Layers, lowest first; a file may include headers of its own layer and of
# the layers below it, never above:
#
#   0 engine/core   1 engine/readers   2 engine/store   3 engine/import
#   4 surveys       5 indicators       6 reports        7 cli
#
# Rules, each checked for every .c and .h file of those folders:
#   folder   a project include names its folder ("engine/store/store.h")
#            and the header exists
#   down     the header's layer is not above the file's
#   private  a header named *_private.h is included only from its own folder
#   sql      SQLite is used only in engine/store/ (no <sqlite3.h>, no sqlite3_
#            call or type anywhere else)
#   thin     cli/ holds no statistics (no GSL) and no SQL
#
# Prints one line per violation ("FILE:LINE: rule: what") and, last,
# "N passed, N failed" with one check per file.  Exit status 1 when any
# file fails.  tests/, bench/ and tools/ are outside the layers (tests may
# include a module's private header to test it).
set -u
ROOT=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$ROOT" || exit 2

LAYERS="engine/core engine/readers engine/store engine/import surveys indicators reports cli"

rank_of() { # folder -> layer number, or -1
    i=0
    for l in $LAYERS; do
        [ "$l" = "$1" ] && { echo $i; return; }
        i=$((i + 1))
    done
    echo -1
}

passed=0
failed=0
for dir in $LAYERS; do
    [ -d "$dir" ] || continue
    own=$(rank_of "$dir")
    for f in "$dir"/*.c "$dir"/*.h; do
        [ -f "$f" ] || continue
        bad=0
        # project includes: line number and the quoted name
        for hit in $(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
            sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1:\2/'); do
            line=${hit%%:*}
            inc=${hit#*:}
            case "$inc" in
            */*) ;;
            *)
                echo "$f:$line: folder: #include \"$inc\" does not name its folder"
                bad=1
                continue
                ;;
            esac
            if [ ! -f "$inc" ]; then
                echo "$f:$line: folder: #include \"$inc\": no such header"
                bad=1
                continue
            fi
            idir=${inc%/*}
            theirs=$(rank_of "$idir")
            if [ "$theirs" -lt 0 ]; then
                echo "$f:$line: down: #include \"$inc\" is outside the layers"
                bad=1
            elif [ "$theirs" -gt "$own" ]; then
                echo "$f:$line: down: $dir (layer $own) includes $inc of $idir (layer $theirs, above)"
                bad=1
            fi
            case "$inc" in
            *_private.h)
                if [ "$idir" != "$dir" ]; then
                    echo "$f:$line: private: $inc is private to $idir/"
                    bad=1
                fi
                ;;
            esac
        done
        if [ "$dir" != engine/store ]; then
            n=$(grep -c '<sqlite3\.h>\|sqlite3_[a-z]' "$f")
            if [ "$n" -gt 0 ]; then
                line=$(grep -n '<sqlite3\.h>\|sqlite3_[a-z]' "$f" | head -1 | cut -d: -f1)
                echo "$f:$line: sql: SQLite is used only in engine/store/ ($n lines here)"
                bad=1
            fi
        fi
        if [ "$dir" = cli ]; then
            line=$(grep -n '<gsl/' "$f" | grep -v 'gsl_errno\.h' | head -1 | cut -d: -f1)
            if [ -n "$line" ]; then
                echo "$f:$line: thin: cli/ computes no statistics (GSL belongs to surveys/, indicators/)"
                bad=1
            fi
        fi
        if [ "$bad" -eq 0 ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
