#!/bin/sh
# CLI tests for `egdi survey cfa` and `egdi survey validity`
# (cli/survey_cfa.c, cli/survey_validity.c) and the CFA tables of the report.
# Reference values from tests/r/cfa_ref.R (tests/r/cfa_ref.out), each named
# by its key there: lavaan::cfa with its defaults refitted to the optimum
# (hs.*), lavaan's own stop (hs.def.*), semTools and psych.
#   hs  = tests/data/survey/hs1939.csv (HolzingerSwineford1939 x1-x9)
#   bfi = tests/data/survey/bfi25.csv (psych::bfi, reverse keys of bfi25_scales.csv)
. tests/cli/lib.sh
S=$DATA/survey
HS=$S/hs1939.csv
HSS=$S/hs1939_scales.csv
BFI=$S/bfi25.csv
BFIS=$S/bfi25_scales.csv
MODEL='visual =~ x1 + x2 + x3; textual =~ x4 + x5 + x6; speed =~ x7 + x8 + x9'
# |value at a python path of the JSON output - want| <= tol
near() { # NAME EXPR WANT TOL
    if python3 -c "import json,sys; j=json.load(open('$OUT')); v=$2; sys.exit(0 if abs(v-($3))<=$4 else 1)" 2>/dev/null
    then pass "$1"; else fail "$1 ($2 not within $4 of $3)"; fi
}

# --- cfa: the tutorial's model from the scales table ---
run "$EGDI" survey cfa --data "$HS" --scales "$HSS"
ok "cfa of the HS scales"
has "fit table title" "验证性因子分析拟合指标"
has "chi-square 85.306 (hs.chisq 85.305521769793572)" "85.306"
has "RMSEA interval [.071, .114] (hs.rmsea.ci.tight)" "[0.071, 0.114]"
has "CFI .931 acceptable" "0.931  ≥ .95（≥ .90 可接受）  可接受"
has "TLI .896 not met" "0.896  ≥ .95（≥ .90 可接受）  未达标"
has "SRMR .065 met" "0.065  ≤ .08                  达标"
has "marker loading fixed" "(固定)"
has "loading x2: est .554, SE .100 (hs.par.visual=~x2)" "0.554   0.100   5.554  0.000       0.424"
has "largest MI first: visual =~ x9 36.411 (hs.mi.visual=~x9)" "visual =~ x9   36.411"
has "ten MIs of 54" "共 54 个"

run "$EGDI" survey cfa --data "$HS" --model "$MODEL" --format json
ok "cfa --model json"
near "chisq (hs.chisq)" "j['fit']['chisq']" 85.305521769793572 1e-6
near "cfi (hs.cfi)" "j['fit']['cfi']" 0.93055965179953892 1e-6
near "tli (hs.tli)" "j['fit']['tli']" 0.89583947769930838 1e-6
near "srmr (hs.srmr)" "j['fit']['srmr']" 0.065205056218260213 1e-6
near "rmsea lower (hs.rmsea.ci.tight)" "j['fit']['rmsea_ci_lower']" 0.071418490810857771 1e-9
near "rmsea upper (hs.rmsea.ci.tight)" "j['fit']['rmsea_ci_upper']" 0.11367801684838442 1e-9
near "SE of visual=~x2 (hs.par.visual=~x2)" "[p for p in j['parameters'] if p['lhs']=='visual' and p['rhs']=='x2'][0]['se']" 0.099665182428169366 1e-5
near "std.all of visual=~x2" "[p for p in j['parameters'] if p['lhs']=='visual' and p['rhs']=='x2'][0]['std_all']" 0.42360064847670104 1e-6
near "MI visual=~x9 (hs.mi.visual=~x9)" "j['modification_indices'][0]['mi']" 36.411016522294638 1e-5
same "all 54 MIs in JSON" "$(python3 -c "import json; print(len(json.load(open('$OUT'))['modification_indices']))")" 54
same "judgement of RMSEA" "$(python3 -c "import json; print(json.load(open('$OUT'))['judgement']['rmsea']['verdict'])")" "not met"
same "fixed loading has no SE" "$(python3 -c "import json; print(json.load(open('$OUT'))['parameters'][0]['se'])")" "None"
cp "$OUT" "$T/model.json"
run "$EGDI" survey cfa --data "$HS" --scales "$HSS" --format json
same "--scales and --model give the same fit" \
    "$(python3 -c "import json; a=json.load(open('$T/model.json')); b=json.load(open('$OUT')); print(a['fit']==b['fit'] and a['parameters']==b['parameters'])")" "True"

printf '# the lavaan tutorial\nvisual  =~ x1 + x2 + x3\ntextual =~ x4 + x5\n  + x6\nspeed   =~ x7 + x8 + x9\n' >"$T/hs.model"
run "$EGDI" survey cfa --data "$HS" --model "$T/hs.model" --format json
near "model from a file" "j['fit']['chisq']" 85.305521769793572 1e-6

# std.lv = TRUE: the loading of x1 is free (hs.stdlv.par.visual=~x1 0.89961957671648007)
run "$EGDI" survey cfa --data "$HS" --model "$MODEL" --std-lv --format json
near "std-lv loading of x1" "j['parameters'][0]['est']" 0.89961957671648007 1e-6
same "std-lv identification" "$(python3 -c "import json; print(json.load(open('$OUT'))['identification'])")" "std.lv"

run "$EGDI" survey cfa --data "$HS" --scales "$HSS" --lang en --mi 3
has "English fit table" "CFA fit indices"
has "English cut-off" "≥ .95 (≥ .90 acceptable)  acceptable"
has "three MIs" "the 3 largest of 54"
run "$EGDI" survey cfa --data "$HS" --scales "$HSS" --format csv --mi 0
has "csv header" "指标,值,判断标准,判断"
hasnt "--mi 0 prints no MI" "visual =~ x9"

# psych::bfi, agreeableness with A1 reverse-keyed (bfiA.chisq 86.696061590657848)
run "$EGDI" survey cfa --data "$BFI" --scales "$BFIS" --scale 1-6 --model "A =~ A1 + A2 + A3 + A4 + A5" --format json
near "bfi A one factor (bfiA.chisq)" "j['fit']['chisq']" 86.696061590657848 1e-6
same "listwise n of A" "$(python3 -c "import json; print(json.load(open('$OUT'))['n'])")" 2709
run "$EGDI" survey cfa --data "$BFI" --scales "$BFIS" --scale 1-6
has "reverse-keyed items marked" "A1 (R)"

# --- refusals ---
run "$EGDI" survey cfa --data "$HS" --scales "$HSS" --missing pairwise
fails "pairwise refused"
err_has "pairwise: why" "尚未实现针对缺失答案的完全信息 ML"
same "pairwise is a usage error" "$RC" 2
run "$EGDI" survey cfa --data "$HS"
fails "no model"
err_has "no model: what to give" "请给出 --model"
run "$EGDI" survey cfa --data "$HS" --model 'f =~ x1 + x2; f ~~ g'
fails "a '~~' refused"
err_has "model syntax names the line" "模型第 1 行：不支持 '~~'"
run "$EGDI" survey cfa --data "$HS" --model 'f =~ x1 + nosuch + x3'
fails "unknown item"
err_has "unknown item named" "模型题项 nosuch"
run "$EGDI" survey cfa --data "$HS" --model 'f =~ x1; g =~ x2 + x3 + x4'
fails "one-item factor refused"
err_has "one-item factor named" "因子 f 只有一个题项（x1）"
run "$EGDI" survey cfa --data "$HS" --model 'f =~ x1 + x2'
fails "negative df refused"
err_has "df named" "df = -1 < 0"
run "$EGDI" survey cfa --data "$HS" --model "$MODEL" --max-iter 2
fails "no convergence refused"
err_has "iterations counted" "迭代 2 次后未收敛"
# x10 = x1 + x2: the covariance matrix is singular
python3 -c "
import csv
r = list(csv.reader(open('$HS')))
w = csv.writer(open('$T/sing.csv', 'w'))
w.writerow(r[0] + ['x10'])
for row in r[1:]:
    w.writerow(row + [repr(float(row[0]) + float(row[1]))])
"
run "$EGDI" survey cfa --data "$T/sing.csv" --model 'f =~ x1 + x2 + x3 + x10'
fails "singular covariances refused"
err_has "the item named" "x10 是其前面题项的线性组合"
# a Heywood case: data whose covariances are exactly those of one factor
# with a residual variance of -0.05 for a (loadings 1, .9, .8, .7)
python3 -c "
import random, math
random.seed(7)
L = [1, .9, .8, .7]; th = [-.05, .3, .4, .5]; n = 400
S = [[L[i]*L[j] + (th[i] if i == j else 0) for j in range(4)] for i in range(4)]
def chol(A):
    m = len(A); C = [[0.0]*m for _ in range(m)]
    for i in range(m):
        for j in range(i+1):
            s = A[i][j] - sum(C[i][k]*C[j][k] for k in range(j))
            C[i][j] = math.sqrt(s) if i == j else s / C[j][j]
    return C
X = [[random.gauss(0, 1) for _ in range(4)] for _ in range(n)]
m = [sum(r[j] for r in X)/n for j in range(4)]
X = [[r[j]-m[j] for j in range(4)] for r in X]
C0 = [[sum(r[i]*r[j] for r in X)/n for j in range(4)] for i in range(4)]
W = chol(C0); Lc = chol(S)
def solve_lower(Lm, b):
    y = []
    for i in range(len(b)):
        y.append((b[i] - sum(Lm[i][k]*y[k] for k in range(i))) / Lm[i][i])
    return y
f = open('$T/heywood.csv', 'w'); f.write('a,b,c,d\n')
for r in X:
    z = solve_lower(W, r)
    y = [sum(Lc[i][k]*z[k] for k in range(i+1)) for i in range(4)]
    f.write(','.join(repr(v + 3) for v in y) + '\n')
"
run "$EGDI" survey cfa --data "$T/heywood.csv" --model 'f =~ a + b + c + d' --format json
ok "a Heywood case is fitted"
err_has "Heywood warning names the item" "警告：Heywood 情形：题项 a 的残差方差为负"
"$EGDI" --lang en survey cfa --data "$T/heywood.csv" --model 'f =~ a + b + c + d' --format json \
    2>"$T/heywood.err" >/dev/null
grep -qF "warning: Heywood case: item a has a negative residual variance" "$T/heywood.err" &&
    pass "en: the Heywood warning" || fail "en: the Heywood warning"
near "the residual variance of a is -0.05" "[p for p in j['parameters'] if p['op']=='~~' and p['lhs']=='a'][0]['est']" -0.05 1e-9
same "heywood listed in JSON" "$(python3 -c "import json; print(json.load(open('$OUT'))['heywood'])")" "['a']"

# --- validity ---
run "$EGDI" survey validity --data "$HS" --scales "$HSS"
ok "validity of the HS scales"
has "convergent table" "信度与收敛效度"
has "textual: alpha .883 [.858, .904], omega .885, CR .885, AVE .720 (hs.alpha.textual, hs.omega, hs.cr, hs.ave)" \
    "textual       3       0.883          [0.858, 0.904]       0.885        0.885  0.720  0.848  达标"
has "Fornell-Larcker table" "Fornell-Larcker"
has "HTMT visual-textual .424 (hs.htmt)" "textual   0.424"
has "Harman 35.74 % (hs.harman)" "35.74"
run "$EGDI" survey validity --data "$HS" --scales "$HSS" --format json
near "omega of visual (hs.omega)" "j['factors'][0]['omega']" 0.61200484598038218 1e-6
near "CR of speed (hs.cr)" "j['factors'][2]['cr']" 0.69137362318571405 1e-6
near "AVE of visual (hs.ave)" "j['factors'][0]['ave']" 0.37098377803130178 1e-6
near "Feldt lower of textual (hs.alpha.textual)" "j['factors'][1]['alpha_ci'][0]" 0.85773078114027701 1e-6
near "HTMT visual-speed (hs.htmt)" "j['htmt'][2][0]" 0.46654973847877584 1e-6
near "Harman share (hs.harman)" "j['harman']['share']" 0.35737157571530087 1e-6
run "$EGDI" survey validity --data "$HS" --scales "$HSS" --htmt-geometric --lang en
has "HTMT2 title" "HTMT2, geometric means"
run "$EGDI" survey validity --data "$BFI" --scales "$BFIS" --scale 1-6
has "bfi: E-A fails Fornell-Larcker (r .683 > sqrt(AVE) .605)" "0.683*"

# --- a stored survey: the same numbers as the file ---
run "$EGDI" --db "$T/s.db" import survey "$HS" --survey hs --scales "$HSS"
ok "import HS with its scales"
run "$EGDI" --db "$T/s.db" survey cfa --survey hs --format json
cp "$OUT" "$T/stored.json"
run "$EGDI" survey cfa --data "$HS" --scales "$HSS" --format json
same "stored survey and file agree" \
    "$(python3 -c "import json; a=json.load(open('$T/stored.json')); b=json.load(open('$OUT')); print(a['fit']==b['fit'] and a['parameters']==b['parameters'])")" "True"

# --- the report's survey section ---
run "$EGDI" demo -o "$T/demo"
ok "demo runs"
has "demo prints the CFA fit (its four dimensions)" "CFA（4 因子）"
for h in "验证性因子分析拟合指标" "信度与收敛效度" "区分效度（Fornell-Larcker" "区分效度（HTMT" "共同方法偏差"; do
    if grep -qF "$h" "$T/demo/report/report.html"; then pass "report has $h"; else fail "report has $h"; fi
done

finish
