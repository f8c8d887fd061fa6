#!/bin/sh
# Pictures of the report to look at (issue 17), not a test: the demo's
# report.html at 1400 and 420 px, printed to an A4 PDF (page count
# printed), the PDF's first pages as PNG (when pdftoppm is installed:
# poppler-utils), and the first scorecard when the report has them.
#
#   tests/report_shots.sh [OUTDIR]     (default /tmp/egdi-shots)
#
# Needs build/egdi (make) and chromium (make deps).
set -eu
OUT=${1:-/tmp/egdi-shots}
EGDI=${EGDI:-$(pwd)/build/egdi}
CHROMIUM=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROMIUM" ] || { echo "report_shots: chromium not found (make deps)" >&2; exit 1; }
rm -rf "$OUT"
mkdir -p "$OUT"
"$EGDI" demo -o "$OUT/demo" >/dev/null
"$EGDI" --db "$OUT/demo/egdi.db" report --round 2024 --compare 2023 --scorecards \
    -o "$OUT/demo/report" >/dev/null 2>&1 || true
R=$OUT/demo/report
chrome() {
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --user-data-dir="$(mktemp -d)" --hide-scrollbars "$@" 2>/dev/null
}
for w in 1400 420; do
    chrome --window-size="$w,3000" --screenshot="$OUT/report-$w.png" "file://$R/report.html"
    echo "$OUT/report-$w.png"
done
chrome --no-pdf-header-footer --print-to-pdf="$OUT/report.pdf" "file://$R/report.html"
echo "$OUT/report.pdf"
if command -v pdfinfo >/dev/null 2>&1; then
    pdfinfo "$OUT/report.pdf" | sed -n 's/^Pages: */printed pages: /p'
fi
if command -v pdftoppm >/dev/null 2>&1; then
    pdftoppm -r 50 -f 1 -l 6 -png "$OUT/report.pdf" "$OUT/page"
    ls "$OUT"/page-*.png
fi
first=$(ls "$R"/scorecards/*.html 2>/dev/null | grep -v index.html | head -1 || true)
if [ -n "$first" ]; then
    chrome --window-size=1000,1500 --screenshot="$OUT/scorecard.png" "file://$first"
    chrome --no-pdf-header-footer --print-to-pdf="$OUT/scorecard.pdf" "file://$first"
    echo "$OUT/scorecard.png"
    command -v pdfinfo >/dev/null 2>&1 &&
        pdfinfo "$OUT/scorecard.pdf" | sed -n 's/^Pages: */scorecard printed pages: /p'
fi
