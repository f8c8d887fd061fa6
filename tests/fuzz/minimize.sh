#!/bin/sh
# Minimizes each corpus tests/fuzz/corpus/<target>/ (or the targets named as
# arguments) with libFuzzer's -set_cover_merge=1 into a fresh directory: a
# small set of inputs that together keep every coverage feature stays.
# Named files (seeds and crash-* regression inputs, anything not called by
# its 40-digit SHA-1 as libFuzzer names them) are always kept.  Needs `make fuzz-build`.   (make fuzz-min)
B=build-fuzz
[ $# -gt 0 ] || set -- $(ls tests/fuzz/corpus)
for n in "$@"; do
    c=tests/fuzz/corpus/$n
    f=$B/fuzz/fuzz_$n
    [ -x "$f" ] && [ -d "$c" ] || continue
    tmp=$B/min-$n
    rm -rf "$tmp"
    mkdir -p "$tmp"
    before=$(ls "$c" | wc -l)
    nice -n 19 "$f" -set_cover_merge=1 -rss_limit_mb=2048 -timeout=20 "$tmp" "$c" >"$B/min-$n.log" 2>&1 || {
        echo "minimize $n: merge failed (see $B/min-$n.log)"; continue; }
    for x in "$c"/*; do
        case "$(basename "$x")" in
        [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]*) 
            [ "${#x}" -eq $(( ${#c} + 41 )) ] || cp "$x" "$tmp/" ;;
        *) cp "$x" "$tmp/" ;;
        esac
    done
    rm -rf "$c"
    mv "$tmp" "$c"
    echo "minimize $n: $before -> $(ls "$c" | wc -l) files"
done
