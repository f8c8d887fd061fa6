#!/bin/sh
# CLI tests of the relations between variables (issue 14): `egdi survey
# profile|corr|regress|mediate|crosstab`, anova's Welch test and post-hoc
# comparisons, ttest with several --y, --score, --save-scores and
# --value-labels, on tests/data/survey/relations.csv.  JSON values are
# compared with tests/r/relations_ref.out (made by tests/r/relations_ref.R;
# the key names say which R call: rel.cor.* = cor / cor.test, rel.reg.* =
# lm + summary + confint, anova(m1, m2), car; rel.med.* = lm and boot,
# rel.aov.* = oneway.test, rel.ph.* = pairwise.t.test, TukeyHSD and the
# formulas, rel.xt.* = chisq.test(correct = FALSE), fisher.test,
# rel.prof.* = table(), rel.tt.* = t.test).
. tests/cli/lib.sh
S=$DATA/survey
R=$S/relations.csv
SC=$S/relations_scales.csv
REF=tests/r/relations_ref.out
D="--data $R --scales $SC --scale 1-5"

# near NAME PYEXPR KEY [TOL]: the JSON value PYEXPR (on j = parsed stdout)
# agrees with the reference KEY to TOL (relative when |ref| > 1; default 1e-9).
near() {
    want=$(awk -v k="$3" '$1 == k { print $2 }' "$REF")
    if [ -z "$want" ]; then fail "$1 (no reference $3)"; return; fi
    if python3 - "$OUT" "$2" "$want" "${4:-1e-9}" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
got = eval(sys.argv[2], {"j": j})
want = float(sys.argv[3]); tol = float(sys.argv[4])
scale = max(1.0, abs(want))
sys.exit(0 if got is not None and abs(float(got) - want) <= tol * scale else 1)
PY
    then pass "$1"; else fail "$1 (want $want for $2)"; fi
}
# relnear NAME PYEXPR KEY TOL: relative agreement (p-values)
relnear() {
    want=$(awk -v k="$3" '$1 == k { print $2 }' "$REF")
    if python3 - "$OUT" "$2" "$want" "$4" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
got = float(eval(sys.argv[2], {"j": j})); want = float(sys.argv[3])
sys.exit(0 if abs(got - want) <= float(sys.argv[4]) * abs(want) else 1)
PY
    then pass "$1"; else fail "$1 (want $want for $2)"; fi
}
jis() {
    got=$(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$OUT" "$2" 2>&1)
    same "$1" "$got" "$3"
}

# ---- profile -------------------------------------------------------------------
run $EGDI survey profile --data $R --columns 性别,学历,部门,年龄 --bins 年龄:30,40,50 \
    --value-labels 部门:1=发改委,2=教育局,3=公安局,4=财政局 --format json
ok "profile runs"
jis "profile: 性别 女 first (byte order)" 'j["variables"][0]["categories"][0]["category"]' 女
near "profile: 女 count (table)" 'j["variables"][0]["categories"][0]["n"]' rel.prof.性别.1 0
near "profile: 学历 missing" 'j["variables"][1]["missing"]' rel.prof.学历.missing 0
near "profile: 本科 count" 'j["variables"][1]["categories"][2]["n"]' rel.prof.学历.3 0
jis "profile: 部门 by its value labels" 'j["variables"][2]["categories"][2]["category"]' 公安局
near "profile: 公安局 count" 'j["variables"][2]["categories"][2]["n"]' rel.prof.部门.3 0
jis "profile: 年龄 binned" 'j["variables"][3]["categories"][1]["category"]' "[30, 40)"
near "profile: [40, 50) count (cut right = FALSE)" 'j["variables"][3]["categories"][2]["n"]' rel.prof.年龄.3 0
run $EGDI survey profile --data $R --columns 性别,学历
ok "profile table"
has "profile: the thesis title" "人口统计学特征 (N = 400)"
has "profile: missing row" "缺失"
run $EGDI survey profile --data $R --columns 性别 --lang en
has "profile in English" "Sample profile"
run $EGDI survey profile --data $R --columns 性别 --bins 年龄:50,40
fails "profile: --bins of a column not profiled, or not increasing"
run $EGDI survey profile --data $R
fails "profile without --columns"

# ---- corr ------------------------------------------------------------------------
run $EGDI survey corr $D --format json
ok "corr runs (every scale)"
near "corr n (listwise)" 'j["n"]' rel.cor.n 0
near "corr r PU-EU (cor)" 'j["r"][0][1]' rel.cor.pearson.r.PU.EU
relnear "corr p PU-EU (cor.test)" 'j["p"][0][1]' rel.cor.pearson.p.PU.EU 1e-9
near "corr r SA-BI" 'j["r"][2][3]' rel.cor.pearson.r.SA.BI
near "corr mean of 易用性 (EU3 reversed)" 'j["variables"][1]["mean"]' rel.cor.pearson.mean.EU
near "corr sd of 使用意愿" 'j["variables"][3]["sd"]' rel.cor.pearson.sd.BI
run $EGDI survey corr $D --method spearman --vars 有用性,易用性,满意度,使用意愿 --format json
near "spearman r PU-BI (exact = FALSE)" 'j["r"][3][0]' rel.cor.spearman.r.PU.BI
relnear "spearman p PU-BI" 'j["p"][3][0]' rel.cor.spearman.p.PU.BI 1e-9
run $EGDI survey corr $D --missing pairwise --format json
near "pairwise r EU-SA" 'j["r"][1][2]' rel.pcor.pearson.r.EU.SA
near "pairwise n EU-SA" 'j["n_pairs"][1][2]' rel.pcor.pearson.n.EU.SA 0
run $EGDI survey corr $D
has "corr table: 相关性分析" "相关性分析 (Pearson; N = 388"
has "corr table: stars in the lower triangle" "0.461***"
has "corr table: the star legend" "*** p < .001"
run $EGDI survey corr $D --lang en --show-p
has "corr in English" "Correlations (Pearson"
has "corr p table" "p (two-tailed)"
run $EGDI survey corr $D --method kendall
fails "corr: unknown method"

# ---- regress ---------------------------------------------------------------------
run $EGDI survey regress $D --y 满意度 --block 性别,年龄,学历 --block 有用性,易用性 --ref 学历=本科 --format json
ok "regress runs"
near "regress n" 'j["n"]' rel.reg.n 0
near "regress m2 R2" 'j["models"][1]["r2"]' rel.reg.m2.r2 1e-11
near "regress m2 adj R2" 'j["models"][1]["adj_r2"]' rel.reg.m2.adj_r2 1e-11
near "regress m2 F" 'j["models"][1]["F"]' rel.reg.m2.F
near "regress m2 Durbin-Watson" 'j["models"][1]["dw"]' rel.reg.m2.dw
near "regress m2 B 有用性" 'j["models"][1]["coefficients"][6]["b"]' rel.reg.m2.b.PU
near "regress m2 SE 易用性" 'j["models"][1]["coefficients"][7]["se"]' rel.reg.m2.se.EU
relnear "regress m2 p 性别=男" 'j["models"][1]["coefficients"][1]["p"]' rel.reg.m2.p.性别男 1e-9
near "regress m2 CI low of the constant" 'j["models"][1]["coefficients"][0]["ci"][0]' "rel.reg.m2.lo.(Intercept)"
near "regress m2 beta 有用性" 'j["models"][1]["coefficients"][6]["beta"]' rel.reg.m2.beta.PU
near "regress m2 VIF 学历=硕士" 'j["models"][1]["coefficients"][5]["vif"]' rel.reg.m2.vif.学历硕士
jis "regress: dummy named with its category" 'j["models"][1]["coefficients"][3]["name"]' 学历=博士
jis "regress: its reference" 'j["models"][1]["coefficients"][3]["reference"]' 本科
near "regress: F change (anova(m1, m2))" 'j["models"][1]["change"]["F"]' rel.reg.change.F
relnear "regress: p of the F change" 'j["models"][1]["change"]["p"]' rel.reg.change.p 1e-9
near "regress: R2 change" 'j["models"][1]["change"]["r2"]' rel.reg.change.r2 1e-11
run $EGDI survey regress $D --y 满意度 --block 性别,年龄,学历 --block 有用性,易用性 --ref 学历=本科
has "regress: model summary" "模型摘要 (因变量: 满意度; N = 388)"
has "regress: the coefficients' thesis title" "回归分析结果 (因变量: 满意度; N = 388)"
has "regress: the reference category shown" "学历=博士 (参照: 本科)"
has "regress: Durbin-Watson heading" "Durbin-Watson"
run $EGDI survey regress $D --y 满意度 --x 有用性 --lang en
has "regress in English" "Regression coefficients (dependent: 满意度"
printf 'a,b,c,y\n1,2,3,1\n2,1,3,3\n3,0,3,2\n4,3,7,5\n5,5,10,4\n7,1,8,6\n' >"$T/col.csv"
run $EGDI survey regress --data "$T/col.csv" --y y --x a,b,c
fails "regress: a collinear design is refused"
err_has "regress: naming the columns" "c 是 a, b 的线性组合"
run $EGDI survey regress $D --y 满意度 --x 学历 --ref 学历=研究生
fails "regress: an unknown reference category"
err_has "regress: names it" "研究生"
run $EGDI survey regress $D --y 满意度
fails "regress without predictors"

# ---- mediate ---------------------------------------------------------------------
run $EGDI survey mediate $D --x 易用性 --m 有用性 --y 使用意愿 --format json
ok "mediate runs"
near "mediate n" 'j["n"]' rel.med.n 0
near "mediate a (lm(m ~ x))" 'j["a"][0]["est"]' rel.med.a.est
near "mediate b" 'j["b"][0]["est"]' rel.med.b.est
near "mediate c'" 'j["c_prime"]["est"]' rel.med.cprime.est
near "mediate c (total)" 'j["c"]["est"]' rel.med.c.est
near "mediate a SE" 'j["a"][0]["se"]' rel.med.a.se
near "mediate a*b" 'j["indirect"][0]["effect"]' rel.med.ab
near "mediate Sobel z" 'j["indirect"][0]["sobel_z"]' rel.med.sobel.z
near "mediate effect ratio" 'j["indirect"][0]["ratio"]' rel.med.ratio
near "mediate bootstrap CI low (boot, 5000)" 'j["indirect"][0]["boot_ci"][0]' rel.med.boot.lo 0.01
near "mediate bootstrap CI high" 'j["indirect"][0]["boot_ci"][1]' rel.med.boot.hi 0.01
jis "mediate: the default resamples and seed" '(j["boot"], j["seed"])' "(5000, 1)"
run $EGDI survey mediate $D --x 易用性 --m 有用性 --y 使用意愿 --seed 7 --threads 1 --format json
one=$(cat "$OUT")
run $EGDI survey mediate $D --x 易用性 --m 有用性 --y 使用意愿 --seed 7 --threads 2 --format json
same "mediate: one seed, the same CI on 1 and 2 threads" "$(cat "$OUT")" "$one"
run $EGDI survey mediate $D --x 易用性 --m 有用性,满意度 --y 使用意愿 --format json
near "parallel mediators: a2" 'j["a"][1]["est"]' rel.med2.a2.est
near "parallel mediators: b1" 'j["b"][0]["est"]' rel.med2.b1.est
near "parallel mediators: total indirect CI low" 'j["total_indirect"]["boot_ci"][0]' rel.med2.boot.total.lo 0.01
run $EGDI survey mediate $D --x 易用性 --m 有用性 --y 使用意愿 --boot 1000
has "mediate: the thesis title" "中介效应检验: 路径系数 (X = 易用性, Y = 使用意愿; N = 391)"
has "mediate: effects table" "间接效应 a×b (有用性)"
has "mediate: the bootstrap said" "百分位 Bootstrap 抽样 1000, seed 1"
run $EGDI survey mediate $D --x 易用性 --y 使用意愿
fails "mediate without --m"
run $EGDI survey mediate $D --x 易用性 --m 有用性 --y 使用意愿 --boot -1
fails "mediate: a negative --boot"

# ---- anova: Welch and post-hoc ------------------------------------------------------
run $EGDI survey anova $D --y 满意度 --group 学历 --posthoc lsd,bonferroni,tukey,scheffe,games-howell --format json
ok "anova with post-hoc runs"
near "anova: classic F (oneway.test var.equal = TRUE)" 'j["F"]' rel.aov.F
near "anova: Welch F (oneway.test)" 'j["welch"]["F"]' rel.aov.welch.F
near "anova: Welch df2" 'j["welch"]["df2"]' rel.aov.welch.df2
relnear "anova: Welch p" 'j["welch"]["p"]' rel.aov.welch.p 1e-9
jis "anova: Levene points to LSD/Tukey/Scheffé" 'j["posthoc_fits"]' "lsd,tukey,scheffe"
jis "anova: methods in order" '[m["method"] for m in j["posthoc"]]' "['lsd', 'bonferroni', 'tukey', 'scheffe', 'games-howell']"
relnear "LSD p 博士-硕士 (pairwise.t.test)" 'j["posthoc"][0]["pairs"][2]["p"]' rel.ph.lsd.p.1.4 1e-9
relnear "Bonferroni p 大专-硕士" 'j["posthoc"][1]["pairs"][4]["p"]' rel.ph.bonf.p.2.4 1e-9
relnear "Tukey p 本科-硕士 (the exact integral)" 'j["posthoc"][2]["pairs"][5]["p"]' rel.ph.tukey.p_exact.3.4 1e-9
near "Tukey CI low 博士-大专" 'j["posthoc"][2]["pairs"][0]["ci"][0]' rel.ph.tukey.lo_exact.1.2 1e-10
relnear "Scheffé p 博士-本科" 'j["posthoc"][3]["pairs"][1]["p"]' rel.ph.scheffe.p.1.3 1e-9
relnear "Games-Howell p 大专-本科" 'j["posthoc"][4]["pairs"][3]["p"]' rel.ph.gh.p_exact.2.3 1e-9
near "Games-Howell df 大专-本科" 'j["posthoc"][4]["pairs"][3]["df"]' rel.ph.gh.df.2.3
jis "Games-Howell does not fit equal variances" 'j["posthoc"][4]["fits"]' False
run $EGDI survey anova $D --y 满意度 --group 学历 --posthoc tukey,games-howell
has "anova: the earlier tables stay" "单因素方差分析 (ANOVA)"
has "anova: Welch's table" "均值相等性的稳健检验 (Welch)"
has "anova: the thesis title" "事后多重比较: 满意度 (学历; Levene p = 0.759 >= .05, 方差齐性: 宜看 LSD、Tukey、Scheffé)"
has "anova: Tukey rows" "Tukey HSD"
run $EGDI survey anova $D --y 满意度 --group 学历 --posthoc dunnett
fails "anova: unknown post-hoc method"
err_has "anova: lists the methods" "lsd、bonferroni、tukey、scheffe 或 games-howell"

# ---- crosstab --------------------------------------------------------------------------
run $EGDI survey crosstab --data $R --row 性别 --col 学历 --format json
ok "crosstab runs"
near "crosstab chi2 (chisq.test correct = FALSE)" 'j["chi2"]' rel.xt.chi2
relnear "crosstab p" 'j["p"]' rel.xt.p 1e-9
near "crosstab Cramér's V" 'j["cramer_v"]' rel.xt.V
near "crosstab expected 男-硕士" 'j["expected"][1][3]' rel.xt.expected.8
jis "crosstab: no Fisher beyond 2 x 2" '"fisher_p" in j' False
run $EGDI survey crosstab --data $R --row 性别 --col 培训 --format json
relnear "crosstab 2 x 2: Fisher's p (fisher.test)" 'j["fisher_p"]' rel.xt2.fisher_p 1e-9
near "crosstab 2 x 2: chi2" 'j["chi2"]' rel.xt2.chi2
run $EGDI survey crosstab --data $R --row 性别 --col 培训 --expected
has "crosstab: the thesis title" "卡方检验 (期望计数小于 5 的单元格: 0 (0.0%)"
has "crosstab: counts with row percentages" "112 (58.0%)"
has "crosstab: Fisher's row" "Fisher 精确检验"
has "crosstab: expected counts" "期望计数: 性别 × 培训"
run $EGDI survey crosstab --data $R --row 性别
fails "crosstab without --col"

# ---- ttest: several --y ---------------------------------------------------------------
run $EGDI survey ttest $D --y 有用性,易用性 --y 满意度 --group 性别 --format json
ok "ttest with several --y"
near "ttest: 满意度 t (t.test var.equal = TRUE)" 'j["results"][2]["student"]["t"]' rel.tt.SA.t
near "ttest: 易用性 Welch df" 'j["results"][1]["welch"]["df"]' rel.tt.EU.welch_df
jis "ttest: one result per --y" 'len(j["results"])' 3
run $EGDI survey ttest $D --y 有用性,易用性 --group 性别
has "ttest: a row per variable" "易用性 (女 - 男)"
run $EGDI survey ttest $D --y 有用性 --group 性别 --format json
jis "ttest with one --y keeps its JSON" '(j["test"], "results" in j)' "('independent', False)"
run $EGDI survey ttest $D --y 有用性,易用性 --paired PU1,PU2
fails "ttest: several --y are not paired"

# ---- scores: --score sum, --save-scores, one data path ------------------------------------
run $EGDI survey corr $D --score sum --format json
near "--score sum: a sum has the same r" 'j["r"][0][1]' rel.cor.pearson.r.PU.EU 1e-9
near "--score sum: the mean of a sum of four items is 4 x their mean" 'j["variables"][0]["mean"] / 4' rel.cor.pearson.mean.PU 1e-12
run $EGDI survey profile $D --columns 性别 --save-scores "$T/scores.csv" --id 编号 --score sum
ok "--save-scores"
same "--save-scores: the header" "$(head -1 "$T/scores.csv")" "编号,有用性,易用性,满意度,使用意愿"
same "--save-scores: respondent 1's 有用性 sum" "$(sed -n 2p "$T/scores.csv" | cut -d, -f1,2)" "1,$(awk '$1 == "rel.score.sum.PU.row1" {print $2}' $REF)"
run $EGDI survey profile $D --columns 性别 --save-scores "$T/s2.csv"
same "--save-scores without --id: the source row" "$(sed -n 2p "$T/s2.csv" | cut -d, -f1)" "2"
run $EGDI survey profile --data $R --columns 性别 --save-scores "$T/s3.csv"
fails "--save-scores without scales"

# the same answers imported: the same groups (性别 男/女 are text; 部门 1-4 an item)
run $EGDI --db "$T/r.db" import survey $R --survey rel --scale 1-5 --scales $SC
ok "import relations.csv"
run $EGDI --db "$T/r.db" survey crosstab --survey rel --row 性别 --col 学历 --format json
near "store: the same chi2" 'j["chi2"]' rel.xt.chi2
run $EGDI --db "$T/r.db" survey anova --survey rel --y 满意度 --group 学历 --posthoc games-howell --format json
relnear "store: the same Games-Howell p" 'j["posthoc"][0]["pairs"][3]["p"]' rel.ph.gh.p_exact.2.3 1e-9
run $EGDI --db "$T/r.db" survey profile --survey rel --columns 部门 --value-labels 部门:1=发改委,2=教育局,3=公安局,4=财政局 --format json
jis "store: a coded column imported as an item, by its value labels" 'j["variables"][0]["categories"][3]["category"]' 财政局
near "store: its count" 'j["variables"][0]["categories"][3]["n"]' rel.prof.部门.4 0
run $EGDI --db "$T/r.db" survey ttest --survey rel --y 满意度 --group 部门 --levels 1,2 --value-labels 部门:1=发改委,2=教育局 --format json
jis "store: ttest groups by the value labels" 'j["groups"][0]["group"]' 1
# corr --diag sqrt-ave: the diagonal is each scale's sqrt(AVE) as `survey
# validity` computes it (one CFA of all the scales; surveys/validity.c is
# the one place), not a second computation
run $EGDI survey validity $D --format json
cp "$OUT" "$T/validity.json"
run $EGDI survey corr $D --diag sqrt-ave --format json
ok "corr --diag sqrt-ave"
if python3 - "$OUT" "$T/validity.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1])); v = json.load(open(sys.argv[2]))
want = {f["name"]: f["sqrt_ave"] for f in v["factors"]}
names = [x["name"] for x in c["variables"]]
sys.exit(0 if c["diag"] == "sqrt_ave" and len(names) == 4
         and all(c["sqrt_ave"][i] == want[n] for i, n in enumerate(names)) else 1)
PY
then pass "corr's diagonal is survey validity's sqrt(AVE), exactly"; else fail "corr's diagonal is survey validity's sqrt(AVE), exactly"; fi
run $EGDI survey corr $D --diag sqrt-ave
has "the table says what the diagonal holds" "对角线为 √AVE"
run $EGDI survey corr $D --vars 有用性,PU1 --diag sqrt-ave
fails "sqrt-ave needs scales"
err_has "the item that is no scale is named" "PU1 不是量表"
run $EGDI survey corr $D --diag 2
fails "--diag takes 1 or sqrt-ave"
# describe on a text column (the issue's first try): one line that says
# where its counts are, not a "not a number" error
run $EGDI survey describe --data $R --items 性别
fails "describe refuses a text column"
err_has "and points to profile" "性别 是文字答案（\"男\"，第 2 行），不是量表上的数字：其频数和百分比请运行 'egdi survey profile --columns 性别'"
finish
