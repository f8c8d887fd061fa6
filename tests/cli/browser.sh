#!/bin/sh
# The report as a browser shows it (issue 17): report.html of the demo in
# headless Chromium at 420 px (a phone) and 1400 px.  A probe script,
# appended to a copy of the page, writes what it measured into the DOM
# (--dump-dom), and the checks read it back:
#   - at 420 px the page does not scroll sideways (wide tables scroll in
#     their own box) and no unit name runs over two lines;
#   - clicking a heading sorts the table (ascending, then descending);
#   - every chart (inline SVG, and each charts/NAME.png) loads with a size.
# Skipped, saying why, when Chromium is not installed (`make deps`).
. tests/cli/lib.sh
CHROMIUM=
for c in chromium chromium-browser google-chrome; do
    if command -v "$c" >/dev/null 2>&1; then CHROMIUM=$c; break; fi
done
if [ -z "$CHROMIUM" ]; then
    echo "skip browser.sh: chromium not found (make deps installs it)"
    finish
fi

run "$EGDI" demo -o "$T/demo"
ok "demo writes the report"
R=$T/demo/report

# The probe: results as "key=value" lines in <pre id="probe">.
cat >"$T/probe.js" <<'JS'
(function () {
  var out = [];
  function put(k, v) { out.push(k + '=' + v); }
  var vw = document.documentElement.clientWidth;
  put('viewport', vw);
  put('page_scroll_width', document.documentElement.scrollWidth);
  /* elements sticking out of the viewport, not inside a scroll box */
  var over = 0, first = '';
  var all = document.body.getElementsByTagName('*');
  for (var i = 0; i < all.length; i++) {
    var e = all[i];
    if (e.closest('.scroll') || e.closest('svg')) continue;
    var r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1) { over++; if (!first) first = e.tagName + '.' + e.className; }
  }
  put('overflowing', over);
  put('first_overflowing', first);
  /* the most lines any unit name takes in the full ranking table */
  var rk = document.querySelector('#ranking table.ranking');
  var maxl = 0;
  var names = rk.querySelectorAll('td.name');
  for (var j = 0; j < names.length; j++) {
    var rg = document.createRange();
    rg.selectNodeContents(names[j]);
    var tops = {};
    var rs = rg.getClientRects();
    for (var q = 0; q < rs.length; q++) tops[Math.round(rs[q].top)] = 1;
    var n = Object.keys(tops).length;
    if (n > maxl) maxl = n;
  }
  put('name_lines_max', maxl);
  /* sorting: click the index heading (column 4: rank, code, name, region, EGDI) */
  function col(t, c) {
    var v = [], rows = t.tBodies[0].rows;
    for (var r = 0; r < rows.length; r++) {
      var x = parseFloat(rows[r].cells[c].textContent);
      if (!isNaN(x)) v.push(x);
    }
    return v;
  }
  function sorted(v, dir) {
    for (var k = 1; k < v.length; k++) if ((v[k] - v[k - 1]) * dir < 0) return false;
    return v.length > 1;
  }
  var th = rk.tHead.rows[0].cells[4];
  put('sort_heading', th.textContent);
  th.click();
  put('sorted_ascending', sorted(col(rk, 4), 1));
  put('first_after_ascending', rk.tBodies[0].rows[0].cells[2].textContent);
  th.click();
  put('sorted_descending', sorted(col(rk, 4), -1));
  /* filtering: the box above the table hides rows without the text */
  var f = rk.parentNode.previousElementSibling;
  put('filter_box', f && f.tagName === 'INPUT');
  if (f && f.tagName === 'INPUT') {
    f.value = '苏州市';
    f.dispatchEvent(new Event('input'));
    var shown = 0, rows = rk.tBodies[0].rows;
    for (var s = 0; s < rows.length; s++) if (rows[s].style.display !== 'none') shown++;
    put('rows_shown_after_filter', shown);
    f.value = '';
    f.dispatchEvent(new Event('input'));
  }
  /* charts: every inline SVG has a size; every PNG beside it loads */
  var svgs = document.querySelectorAll('.chart svg'), bad = 0;
  for (var g = 0; g < svgs.length; g++) {
    var b = svgs[g].getBoundingClientRect();
    if (!(b.width > 0 && b.height > 0)) bad++;
  }
  put('charts_svg', svgs.length);
  put('charts_svg_empty', bad);
  var names2 = ['ranking', 'regions', 'stages', 'radar', 'trend', 'scree', 'loadings'];
  var left = names2.length, loaded = 0;
  function done() {
    put('charts_png_loaded', loaded);
    var pre = document.createElement('pre');
    pre.id = 'probe';
    pre.textContent = '\n' + out.join('\n') + '\n';
    document.body.appendChild(pre);
  }
  names2.forEach(function (nm) {
    var im = new Image();
    im.onload = function () { if (im.naturalWidth > 0) loaded++; if (--left === 0) done(); };
    im.onerror = function () { if (--left === 0) done(); };
    im.src = 'charts/' + nm + '.png';
  });
})();
JS
# the page with the probe at its end, beside the real charts/
sed 's#</body>#<script src="probe.js"></script></body>#' "$R/report.html" >"$R/probe.html"
cp "$T/probe.js" "$R/probe.js"
dom() { # $1 = width
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --user-data-dir="$T/profile-$1" \
        --allow-file-access-from-files --hide-scrollbars --window-size="$1,900" \
        --virtual-time-budget=10000 --dump-dom "file://$R/probe.html" 2>/dev/null |
        sed -n '/<pre id="probe">/,/<\/pre>/p'
}
val() { printf '%s\n' "$PROBE" | sed -n "s/^$1=//p" | head -1; }

PROBE=$(dom 420)
if [ -z "$PROBE" ]; then
    fail "chromium ran the probe at 420 px"
    finish
fi
pass "chromium ran the probe at 420 px"
same "the page is as wide as the phone (no sideways page scroll)" "$(val page_scroll_width)" "$(val viewport)"
same "nothing sticks out of the viewport outside a scroll box ($(val first_overflowing))" "$(val overflowing)" 0
if [ "$(val name_lines_max)" -ge 1 ] && [ "$(val name_lines_max)" -le 2 ]; then
    pass "unit names take one or two lines at 420 px (at most $(val name_lines_max))"
else
    fail "unit names take one or two lines at 420 px (at most $(val name_lines_max))"
fi
same "the sort heading is the index" "$(val sort_heading)" "EGDI"
same "a click sorts the ranking ascending" "$(val sorted_ascending)" true
same "a second click sorts it descending" "$(val sorted_descending)" true
same "a filter box sits above the ranking" "$(val filter_box)" true
# 苏州市's 40 departments (the demo's units.xlsx) match the filter
same "the filter keeps the rows naming 苏州市" "$(val rows_shown_after_filter)" 40
same "every chart SVG in the page has a size" "$(val charts_svg_empty)" 0
same "the page shows the 7 charts" "$(val charts_svg)" 7
same "every chart PNG loads" "$(val charts_png_loaded)" 7

# a scorecard prints on one A4 page
run "$EGDI" --db "$T/demo/egdi.db" report --round 2024 --compare 2023 --scorecards -o "$T/sc"
ok "report --scorecards"
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --user-data-dir="$T/profile-pdf" --no-pdf-header-footer --print-to-pdf="$T/sc.pdf" \
    "file://$T/sc/scorecards/CZ01.html" 2>/dev/null
same "a scorecard prints on one A4 page" "$(grep -a -o '/Type */Pages*' "$T/sc.pdf" | grep -c 'Page$')" 1
# a region's (苏州市: its departments by stage, 19 indicators with 2023's)
timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --user-data-dir="$T/profile-pdf" --no-pdf-header-footer --print-to-pdf="$T/sc-region.pdf" \
    "file://$T/sc/scorecards/SZ.html" 2>/dev/null
same "a region's scorecard prints on one A4 page" \
    "$(grep -qF '所辖部门' "$T/sc/scorecards/SZ.html" &&
        grep -a -o '/Type */Pages*' "$T/sc-region.pdf" | grep -c 'Page$')" 1

PROBE=$(dom 1400)
same "at 1400 px the page does not scroll sideways either" "$(val page_scroll_width)" "$(val viewport)"
same "at 1400 px every chart PNG loads" "$(val charts_png_loaded)" 7
finish
