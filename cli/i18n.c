/*
 * i18n.c - the language of what a person reads: the one switch (set once
 * by main from --lang, EGDI_LANG or the locale) and the Chinese of the
 * program's own English texts (table headings and titles, notes, flags,
 * help pages, the command line's messages).
 *
 * A text is looked up by its English, exactly as the program writes it
 * (a printf format included, so its Chinese keeps the same conversions in
 * the same order); a text without an entry stays English.  CSV and JSON
 * keep their English headings and keys (cli_trv): they are data.
 * Static tables, no state but the language; nothing to free.
 */
#include "cli/cli.h"
#include "cli/i18n_private.h"
#include "engine/store/score_runs.h"
#include "indicators/uncertainty.h"

#include <stdlib.h>
#include <string.h>

static cli_lang current = CLI_EN; /* main sets it before anything is printed */

void cli_lang_use(cli_lang lang)
{
    current = lang;
}

cli_lang cli_lang_now(void)
{
    return current;
}

const cli_tr_pair cli_tr_pairs[] = {
    /* ---- table headings ---- */
    {"rank", "排名"},
    {"id", "代码"},
    {"name", "名称"},
    {"region", "所属地区"},
    {"score", "得分"},
    {"stage", "发展阶段"},
    {"class", "等级"},
    {"note", "备注"},
    {"previous_rank", "上期排名"},
    {"change", "名次变化"},
    {"previous_stage", "上期阶段"},
    {"total", "合计"},
    {"indicator", "指标"},
    {"raw", "原始值"},
    {"source", "来源"},
    {"rule", "评分规则"},
    {"weight", "权重"},
    {"contribution", "贡献"},
    {"how", "计算方式"},
    {"what", "项目"},
    {"value", "值"},
    {"count", "数量"},
    {"detail", "说明"},
    {"kind", "类型"},
    {"units", "单位数"},
    {"missing (re-weighted)", "缺失（重新加权）"},
    {"missing", "缺失"},
    {"imputed", "插补"},
    {"code", "代码"},
    {"effective", "综合权重"},
    {"unit", "计量单位"},
    {"direction", "方向"},
    {"applies", "适用对象"},
    {"parameters", "参数"},
    {"version", "版本"},
    {"indicators", "指标数"},
    {"stages", "阶段数"},
    {"hash", "SHA-256"},
    {"batch", "批次"},
    {"file", "文件"},
    {"sheet", "工作表"},
    {"round", "轮次"},
    {"survey", "问卷"},
    {"imported", "导入时间"},
    {"rows", "行"},
    {"values", "数值数"},
    {"rejected", "拒收"},
    {"sha256", "SHA-256"},
    {"scored", "已评分"},
    {"given", "给定值"},
    {"respondents", "受访者"},
    {"mean", "均值"},
    {"department", "部门"},
    {"both", "两者"},
    {"higher", "越高越好"},
    {"lower", "越低越好"},

    /* ---- table titles ---- */
    {"round %d, model %s %s", "%d 年度，模型 %s %s"},
    {"%s, model %s %s", "%s，模型 %s %s"},
    {"stage transitions %d -> %d (rows: %d)", "发展阶段转移 %d -> %d（行为 %d 年）"},
    {"built-in models", "内置模型"},
    {"equal weights", "等权重"},
    {"entropy weights", "熵权"},
    {"AHP weights", "AHP 权重"},
    {"imports", "导入记录"},
    {"indicators: how many units had a value", "各指标有值的单位数"},
    {"scored round %ld", "已评分：%ld 年度"},
    {"%s %s, round %ld, model %s %s", "%s %s，%ld 年度，模型 %s %s"},

    /* ---- flags, notes, summaries ---- */
    {"* near a stage boundary", "* 接近阶段边界"},
    {"not rankable (coverage %.0f%%)", "不参与排名（覆盖率 %.0f%%）"},
    {"note: ", "注："},
    {"warning: ", "警告："},
    {"the scores of round %d are stale: %s; run 'egdi score --round %d' again",
     "%d 年度的得分已过时：%s；请重新运行 'egdi score --round %d'"},
    {"the scores of round %d are stale: %s", "%d 年度的得分已过时：%s"},
    {"stage counts: ", "各阶段单位数："},
    {"note: %d and %d were scored with different stage bands; each unit's %d stage is "
     "the one stored with that round's run.\n  %d: ",
     "注：%d 年与 %d 年使用了不同的阶段划分；各单位 %d 年的阶段取该年评分时保存的结果。\n  %d："},
    {"store %s (schema version %d)\n", "数据库 %s（结构版本 %d）\n"},
    {"departments", "部门"},
    {"regions", "地区"},
    {"observations", "观测值"},
    {"import batches", "导入批次"},
    {"model versions", "模型版本"},
    {"score runs", "评分记录"},
    {"round %d", "%d 年度"},
    {"observations of %lld units", "个观测值，%lld 个单位"},
    {"survey %s", "问卷 %s"},
    {"respondents, %lld items", "名受访者，%lld 个题项"},
    {"model", "模型"},
    {"model sha256", "模型 SHA-256"},
    {"inputs sha256", "输入数据 SHA-256"},
    {"%zu (%zu rankable, %zu not rankable)", "%zu（%zu 个参与排名，%zu 个不参与）"},
    {"stage %s", "阶段 %s"},
    {"\nindicators computed from a survey\n", "\n由问卷计算的指标\n"},
    {"\nEGDI %.*f -> %s", "\nEGDI %.*f -> %s"},
    {"; coverage %.1f%%", "；数据覆盖率 %.1f%%"},
    {"; rank %ld among %ss\n", "；在同类单位中排名第 %ld（%s）\n"},
    {"; not rankable (below the model's minimum coverage %.0f%%)\n",
     "；不参与排名（低于模型的最低覆盖率 %.0f%%）\n"},
    {"; not rankable (no value of any indicator in round %ld)\n",
     "；不参与排名（%ld 年度没有任何指标的值）\n"},
    {"; not rankable (no score)\n", "；不参与排名（无得分）\n"},
    {"not computed", "未计算"},
    {"(missing: %s)", "（缺失：%s）"},
    {"%s (missing: %s)", "%s（缺失：%s）"},

    /* ---- explain: a survey indicator ---- */
    {"\n%s %s: from survey %s, round %d", "\n%s %s：来自问卷 %s，%d 年度"},
    {"\n  no survey value: %s\n", "\n  无问卷值：%s\n"},
    {", %s%s%s(%s), statistic %s\n", "，%s%s%s(%s)，统计量 %s\n"},
    {"  no respondent rates %s\n", "  没有受访者评价 %s\n"},
    {"  n = %zu respondents, value %.4f, SE %.4f\n", "  n = %zu 名受访者，值 %.4f，标准误 %.4f\n"},
    {"  n = %zu respondents, mean %.4f", "  n = %zu 名受访者，均值 %.4f"},
    {", SD %.4f, SE %.4f", "，标准差 %.4f，标准误 %.4f"},
    {"  gates (%zu respondents answering every item): alpha %s; ", "  质量门槛（%zu 名受访者答全所有题项）：alpha %s；"},
    {"item analysis not checked", "项目分析未检查"},
    {"item analysis: %s fail", "项目分析：%s 未通过"},
    {"item analysis: every item passes (lowest CR %.2f)", "项目分析：全部题项通过（最低 CR %.2f）"},
    {"; KMO %s; at least %zu respondents per unit\n", "；KMO %s；每个单位至少 %zu 名受访者\n"},
    {"  failed: %s\n", "  未通过：%s\n"},
    {"  imports: %s\n", "  导入：%s\n"},

    {"scale ", "量表 "},
    {"items ", "题项 "},

    {" (%s row %d)", "（%s 第 %d 行）"},
    {"conflict: %s of %s %s: survey %.4g (%zu respondents) and imported metric %.6g%s; the %s's "
     "value is used (the model's conflict rule)\n",
     "冲突：%s，%s %s：问卷值 %.4g（%zu 名受访者），导入的指标值 %.6g%s；按模型的冲突规则采用%s值\n"},
    {"metric", "指标"},
    {"... and %zu more conflicts (all of them with --format json)\n",
     "……另有 %zu 个冲突（--format json 列出全部）\n"},

    {"undid import %ld (%s %s", "已撤销导入 %ld（%s %s"},
    {", round %d", "，%d 年度"},
    {"): removed %zu values, %zu missing values, %zu respondents, %zu units",
     "）：删除 %zu 个数值、%zu 个缺失值、%zu 名受访者、%zu 个单位"},

    /* ---- model show ---- */
    {"model %s %s (%s aggregation, missing: %s, sha256 %.12s)",
     "模型 %s %s（聚合方式 %s，缺失值处理 %s，sha256 %.12s）"},
    {"\nstages:\n", "\n发展阶段：\n"},
    {"  classes ", "  等级 "},
    {"\nregions: sub-index = %g x departments (mean weighted by %s) + %g x region-level indicators\n",
     "\n地区：分指数 = %g × 所辖部门（按 %s 加权平均）+ %g × 地区级指标\n"},
    {"\nregions: sub-index = %g x departments (mean) + %g x region-level indicators\n",
     "\n地区：分指数 = %g × 所辖部门（平均）+ %g × 地区级指标\n"},
    {"\ncomputed from a survey:\n", "\n由问卷计算：\n"},
    {"alpha not checked", "不检查 alpha"},
    {"KMO not checked", "不检查 KMO"},
    {"survey %s%s, %s %s, %s; gates: at least %zu respondents per unit, %s, %s, %s; a failed gate "
     "%s; over a metric imported for the same unit the %s wins",
     "问卷 %s%s，%s %s，%s；质量门槛：每个单位至少 %zu 名受访者，%s，%s，%s；未通过门槛时%s；"
     "同一单位另有导入的指标值时以%s为准"},
    {"(none)", "（无）"},
    {" (the model's survey setting)", "（模型的 survey 设置）"},
    {"scale", "量表"},
    {"items", "题项"},
    {"every item passes the item analysis (CR)", "每个题项通过项目分析（CR）"},
    {"stops the scoring", "停止评分"},
    {"leaves the value missing", "该值记为缺失"},

    /* ---- uncertainty, sensitivity, explain --compare ---- */
    {"uncertainty of round %d (%s), model %s %s: %zu draws, %s, seed %llu",
     "%d 年度排名的不确定性（%s），模型 %s %s：%zu 次抽样，%s，种子 %llu"},
    {"Sobol sequence", "Sobol 序列"},
    {"P(rank<=%zu)", "P(排名<=%zu)"},
    {"P(stage)", "阶段概率"},
    {"rank 5-95%", "排名 5-95%"},
    {"median", "中位排名"},
    {"shift", "平均偏移"},
    {"not rankable", "不参与排名"},
    {"stage uncertain", "阶段不确定"},
    {"stage uncertain; * near a stage boundary", "阶段不确定；* 接近阶段边界"},
    {"\nvaried: %s\n", "\n变动的假设：%s\n"},
    {"varied: %s\n", "变动的假设：%s\n"},
    {"%zu dimensions; mean absolute rank shift %.2f; %zu %s with P(stage) below %.1f (stage "
     "uncertain)\n",
     "%zu 维；平均绝对名次偏移 %.2f；%zu 个%s的阶段概率低于 %.1f（阶段不确定）\n"},
    {"stored as uncertainty run %lld (egdi rank --round %d --uncertainty shows it)\n",
     "已保存为不确定性分析记录 %lld（'egdi rank --round %d --uncertainty' 可查看）\n"},
    {"\nuncertainty: run %lld of %s: %zu draws (%s, seed %llu) varying %s; %zu with "
     "P(assigned stage) below %.1f are \"stage uncertain\"\n",
     "\n不确定性：记录 %lld（%s）：%zu 次抽样（%s，种子 %llu），变动的假设：%s；%zu 个单位所定阶段"
     "的概率低于 %.1f，为“阶段不确定”\n"},
    {"sensitivity of round %d (%s), model %s %s\n", "%d 年度排名的敏感性（%s），模型 %s %s\n"},
    {"no assumption named (--weights, --normalisation, --aggregation, --missing, --data-error): "
     "no Sobol indices, the leave-one-out table only\n",
     "未指定假设（--weights、--normalisation、--aggregation、--missing、--data-error）：没有 Sobol "
     "指数，只有逐一剔除表\n"},
    {"Saltelli's design: N = %zu, %zu runs, %s; first order Saltelli 2010, total order Jansen; "
     "%zu bootstrap resamples, %.0f %% intervals\n",
     "Saltelli 设计：N = %zu，共 %zu 次运行，%s；一阶指数按 Saltelli 2010，总效应指数按 Jansen；"
     "%zu 次自助抽样，%.0f %% 区间\n"},
    {"the mean absolute rank shift against the official ranking", "相对正式排名的平均绝对名次偏移"},
    {"assumption", "假设"},
    {"first order", "一阶指数"},
    {"interval", "区间"},
    {"total order", "总效应指数"},
    {"mean first order", "平均一阶指数"},
    {"mean total order", "平均总效应指数"},
    {"each unit's score: the indices averaged over the units", "各单位得分：指数按单位平均"},
    {"the ranking does not move under these assumptions: no indices\n",
     "在这些假设下排名不变：没有指数\n"},
    {"%s %s: its score", "%s %s：得分"},
    {"its score does not change under these assumptions: no indices\n",
     "在这些假设下其得分不变：没有指数\n"},
    {"leave one out: each indicator and sub-index removed, its siblings re-weighted",
     "逐一剔除：依次去掉每个指标和分指数，同级指标重新加权"},
    {"left out", "剔除项"},
    {"level", "层级"},
    {"mean |rank change|", "平均|名次变化|"},
    {"max", "最大"},
    {"lost", "失去排名"},
    {"moved most", "名次变化最大的单位"},
    {"sub-index", "分指数"},
    {"weights", "权重"},
    {"normalisation", "标准化"},
    {"aggregation", "聚合方式"},
    {"data", "数据"},
    {"score %ld", "%ld 年得分"},
    {"weight %ld", "%ld 年权重"},
    {"re-weighting", "重新加权"},
    {"%s %s: EGDI %ld -> %ld, model %s %s", "%s %s：EGDI %ld -> %ld 年，模型 %s %s"},
    {"\nEGDI %.*f (%ld) -> %.*f (%ld): %+.*f", "\nEGDI %.*f（%ld 年）-> %.*f（%ld 年）：%+.*f"},
    {"; rank %ld -> %ld", "；排名 %ld -> %ld"},
    {"both rounds scored with %s %s", "两个轮次均用 %s %s 评分"},
    {"%ld scored with %s %s instead of %s %s: %.*f", "%ld 年改用 %s %s 而非 %s %s 评分：%.*f"},
    {"model change", "模型变化"},
    {"re-weighting for missing", "缺失值重新加权"},
    {"change in score x mean effective weight", "得分变化 × 平均综合权重"},
    {"change in effective weight x mean score", "综合权重变化 × 平均得分"},
    {" (%s)\n", "（%s）\n"},

    /* ---- progress ---- */
    {"importing", "导入中"},
    {"scoring", "评分中"},
    {"writing the report", "生成报告"},
    {"parts", "部分"},
    {"writing the scorecards", "生成评分卡"},
    {"pages and sheets", "页和工作表"},

    /* ---- what a command wrote ---- */
    {"report of round %d written to %s/: report.xlsx, report.html, charts/ (%zu charts as PNG "
     "and SVG)\n",
     "%d 年度报告已写入 %s/：report.xlsx、report.html、charts/（%zu 个图表，PNG 和 SVG）\n"},
    {"scorecards of %zu departments and %zu regions written to %s/scorecards/: index.html, one "
     "page each, scorecards.xlsx\n",
     "%zu 个部门和 %zu 个地区的评分卡已写入 %s/scorecards/：index.html、每个单位一页、"
     "scorecards.xlsx\n"},
    {"%zu tables of %s written to %s/: tables.html, tables.xlsx, csv/, json/\n",
     "%zu 张表（%s）已写入 %s/：tables.html、tables.xlsx、csv/、json/\n"},
    {"egdi %s: no survey statistics in the report: %s\n", "egdi %s：报告中没有问卷统计：%s\n"},
    {"Monte Carlo", "蒙特卡洛"},
    {"draws", "次抽样"},
    {"sensitivity", "敏感性分析"},
    {"bootstrap", "自助抽样"},
    {"resamples", "次"},
    {"no progress line (shown on a terminal for a job that runs over a second); also after "
     "the command",
     "不显示进度行（运行超过一秒的任务在终端上显示）；也可放在命令之后"},

    /* ---- help pages ---- */
    {"usage: ", "用法："},
    {"   or: ", "  或："},
    {"\narguments:\n", "\n参数：\n"},
    {"subcommands", "子命令"},
    {"commands", "命令"},
    {"options:", "选项："},
    {"options of every subcommand:", "各子命令共有的选项："},
    {"'egdi %s%s%s --help' prints the options of a %s.", "'egdi %s%s%s --help' 列出%s的选项。"},
    {"A file is imported whole or not at all (unless --skip-bad-rows or --skip-bad-cells); every problem is listed with its sheet, row, column, value and reason, all of them in one run.  The column report says how every column was used; empty cells and the marks of a missing value are recorded as missing, never as 0.  docs/import.md lists the headings and marks that are recognised.",
     "一个文件要么整体导入，要么完全不导入（除非用 --skip-bad-rows 或 --skip-bad-cells）；所有问题一次列出，注明工作表、行、列、值和原因。列报告说明每一列如何使用；空单元格和缺失值标记记为缺失，绝不记为 0。可识别的表头和标记见 docs/import.md。"},
    {"CSV text: auto (default), utf-8 or gbk",
     "CSV 文本编码：auto（默认）、utf-8 或 gbk"},
    {"Creates the SQLite store named by --db, $EGDI_DB or ./egdi.db.",
     "创建由 --db、$EGDI_DB 或 ./egdi.db 指定的 SQLite 数据库。"},
    {"Every indicator from the root down: the raw value and the cell it came from, the rule, the score, the weight and the contribution to its parent; then EGDI, stage, coverage and rank.",
     "从根指标往下的每个指标：原始值及其来源单元格、评分规则、得分、权重和对上级的贡献；然后是 EGDI、发展阶段、数据覆盖率和排名。"},
    {"Everything of the round goes in one transaction; the units stay.  To take back a single import, use 'egdi import undo BATCH'.",
     "该轮次的全部数据在一个事务中删除；单位保留。只撤销一次导入请用 'egdi import undo BATCH'。"},
    {"Files are written to a staging directory and renamed into place when complete.",
     "文件先写入临时目录，完成后再改名到位。"},
    {"NAME is a built-in model ('egdi model list'); FILE a directory with settings.csv, catalogue.csv and stages.csv, an XLSX workbook, or a CSV with [section] markers.",
     "NAME 是内置模型（'egdi model list'）；FILE 是含 settings.csv、catalogue.csv、stages.csv 的目录、XLSX 工作簿，或带 [section] 标记的 CSV。"},
    {"Stores every indicator score, sub-index, EGDI, stage and rank with the model's name, version and SHA-256 and the inputs' SHA-256, in one transaction; a new run replaces an earlier run of the same model and round.",
     "在一个事务中保存每个指标得分、分指数、EGDI、发展阶段和排名，连同模型名称、版本、SHA-256 及输入数据的 SHA-256；同一模型同一轮次的新评分替换旧评分。"},
    {"The exit status is 1 when the table has a problem.",
     "表格有问题时退出状态为 1。"},
    {"The tables written are the model's canonical tables: 'egdi model check' accepts them and they score exactly as the model they came from (the same sha256). Headings and sheet names may be renamed to Chinese (代码, 上级, 名称, 权重, 规则...; 设置, 指标, 阶段): docs/models.md.",
     "写出的是模型的规范表格：'egdi model check' 可直接通过，评分结果与原模型完全相同（同一 sha256）。表头和工作表名可改为中文（代码、上级、名称、权重、规则……；设置、指标、阶段）：见 docs/models.md。"},
    {"Writes the sample spreadsheets, imports them into a fresh store, scores both rounds, writes the report and prints the top of the ranking, the stage counts and the key survey statistics.",
     "写出示例表格，导入新数据库，为两个轮次评分，生成报告，并打印排名前列、各阶段单位数和主要问卷统计量。"},
    {"XLSX sheet name or number (default the first)",
     "XLSX 工作表名称或序号（默认第一个）"},
    {"XLSX zip-bomb limit: bytes inflated per entry (default 4G)",
     "XLSX 解压上限：每个条目解压后的字节数（默认 4G）"},
    {"XLSX zip-bomb limit: inflated / compressed size (default 1000)",
     "XLSX 解压上限：解压后与压缩大小之比（默认 1000）"},
    {"a CSV or XLSX file; the first non-empty row holds the item codes",
     "CSV 或 XLSX 文件；第一个非空行为题项代码"},
    {"a scored earlier round: previous rank, change, transitions",
     "已评分的上一轮次：上期排名、名次变化、阶段转移"},
    {"a scored round (run 'egdi score' first)",
     "已评分的轮次（先运行 'egdi score'）"},
    {"a survey imported with 'egdi import survey' (its items, reverse keys, dimensions, scale and answer labels come with it)",
     "用 'egdi import survey' 导入的问卷（题项、反向计分、维度、量表和选项标签随之而来）"},
    {"also write the problems as CSV",
     "同时把问题写成 CSV"},
    {"answer labels: a file of rows value,label",
     "选项标签：每行为 value,label 的文件"},
    {"create the store (or upgrade an older one)",
     "创建数据库（或升级旧数据库）"},
    {"delete a round from the store (a mistaken import into the wrong year)",
     "从数据库删除一个轮次（误导入到错误年度时）"},
    {"derive the weights of an indicator's children",
     "推导某指标下级指标的权重"},
    {"e-government development-level evaluation engine",
     "电子政务发展水平评估引擎"},
    {"every problem of a model table, one line each",
     "列出模型表格的每个问题，每行一个"},
    {"headings (default zh)",
     "表头语言（默认 zh）"},
    {"import the rest of each row; each bad cell is recorded as a missing value with its reason",
     "导入每行其余部分；每个错误单元格记为缺失值并注明原因"},
    {"import the rows without a bad cell, list the rest",
     "导入没有错误单元格的行，列出其余行"},
    {"import units, indicator metrics or survey responses from XLSX or CSV; list or undo imports",
     "从 XLSX 或 CSV 导入单位、指标数据或问卷答卷；列出或撤销导入"},
    {"list at most N problems on stderr, then how many more (default 200)",
     "在 stderr 上最多列出 N 个问题，再说明还有多少（默认 200）"},
    {"list, show and check evaluation models; derive weights",
     "列出、显示和检查评估模型；推导权重"},
    {"only the departments of a region",
     "只列某地区的部门"},
    {"only units of that kind (default department)",
     "只列该类型的单位（默认 department）"},
    {"previous rank, change, previous stage, transitions",
     "上期排名、名次变化、上期阶段与阶段转移"},
    {"questionnaire statistics: describe, items, alpha, ttest, anova, kmo, efa, cfa, validity, profile, corr, regress, mediate, crosstab",
     "问卷统计：describe、items、alpha、ttest、anova、kmo、efa、cfa、validity、profile、corr、regress、mediate、crosstab"},
    {"rank straight from a table whose headers are indicator or component codes (e.g. published OSI, TII, HCI)",
     "直接按表格排名，表头为指标或分项代码（如公布的 OSI、TII、HCI）"},
    {"rank the score rounded to N decimals (ties share the best rank: 1, 2, 2, 4); none: unrounded; auto: the decimals the --data table publishes (default: the model's)",
     "按保留 N 位小数的得分排名（并列取最好名次：1、2、2、4）；none：不舍入；auto：取 --data 表格公布的小数位数（默认取模型设置）"},
    {"rank units by EGDI with their stage",
     "按 EGDI 给单位排名并给出发展阶段"},
    {"replace an earlier import of the same file",
     "替换同一文件的先前导入"},
    {"reverse-keyed items (same syntax as --items)",
     "反向计分题项（语法同 --items）"},
    {"reverse-keyed items (same syntax); needs --scale",
     "反向计分题项（语法相同）；需要 --scale"},
    {"run the yearly job end to end on the built-in sample",
     "用内置示例从头到尾运行一遍年度评估"},
    {"say what the store holds",
     "显示数据库中的内容"},
    {"score a round with a model and store every score",
     "用模型为一个轮次评分并保存全部得分"},
    {"sheet by name or 1-based index (XLSX)",
     "工作表名称或从 1 开始的序号（XLSX）"},
    {"sheet of an XLSX --data file",
     "XLSX --data 文件的工作表"},
    {"show how a unit's EGDI was built",
     "显示一个单位的 EGDI 是如何计算的"},
    {"skip gnuplot (the workbook and page still come out)",
     "不调用 gnuplot（工作簿和网页照常生成）"},
    {"table (default), csv or json",
     "table（默认）、csv 或 json"},
    {"text encoding of a CSV file (default auto)",
     "CSV 文件的文本编码（默认 auto）"},
    {"the answer scale, e.g. 1-5",
     "答题量表，例如 1-5"},
    {"the id column of --data",
     "--data 的代码列"},
    {"the indicator tree with weights and effective weights",
     "指标树及其权重与综合权重"},
    {"the indicator whose children are weighted",
     "要为其下级指标赋权的指标"},
    {"the language of tables, notes and names (default $EGDI_LANG, else the locale: en for an English locale, else zh); also after the command",
     "表格、说明和名称的语言（默认取 $EGDI_LANG，否则取区域设置：英文区域为 en，其余为 zh）；也可放在命令之后"},
    {"the language of the tables and the report (default zh)",
     "表格和报告的语言（默认 zh）"},
    {"the layout of a metrics file (default: long when it has indicator and value columns, else wide)",
     "指标数据文件的格式（默认：有 indicator 和 value 列时为长格式，否则为宽格式）"},
    {"the model's run (default: the latest run)",
     "模型的评分记录（默认最近一次）"},
    {"the model's run (default: the round's latest run)",
     "模型的评分记录（默认该轮次最近一次）"},
    {"the name column of --data",
     "--data 的名称列"},
    {"the name the survey is stored under (required)",
     "问卷保存的名称（必填）"},
    {"the names of indicators and stages (default zh)",
     "指标和阶段名称的语言（默认 zh）"},
    {"the names of stages (default zh)",
     "阶段名称的语言（默认 zh）"},
    {"the names of the indicators (default zh)",
     "指标名称的语言（默认 zh）"},
    {"the output (default table)",
     "输出格式（默认 table）"},
    {"the output of a command that has --format (as if given after it)",
     "有 --format 选项的命令的输出格式（等同于写在命令之后）"},
    {"the program's version",
     "程序版本"},
    {"the report's language (default zh)",
     "报告的语言（默认 zh）"},
    {"the round of the metrics (required) or of the survey",
     "指标数据（必填）或问卷的轮次"},
    {"the round whose observations are scored",
     "要评分的轮次（年度）"},
    {"the round whose observations entropy uses",
     "熵权法所用观测值的轮次"},
    {"the scored round",
     "已评分的轮次"},
    {"the store (default $EGDI_DB, else ./egdi.db); also after the command",
     "数据库文件（默认 $EGDI_DB，否则 ./egdi.db）；也可放在命令之后"},
    {"the stored scores of a round (run 'egdi score' first)",
     "某一轮次已保存的得分（先运行 'egdi score'）"},
    {"the summary (default table)",
     "摘要的格式（默认 table）"},
    {"the summary as text (default) or JSON",
     "摘要为文本（默认）或 JSON"},
    {"the survey's dimensions: a file of rows scale,item,reversed",
     "问卷的维度：每行为 scale,item,reversed 的文件"},
    {"the version of the written model (default: the old one, the method and the parent, e.g. 2024.1-ahp-CBII)",
     "写出模型的版本（默认：原版本加方法和上级指标，如 2024.1-ahp-CBII）"},
    {"this help",
     "显示本帮助"},
    {"what was removed, as text (default) or JSON",
     "删除了什么，以文本（默认）或 JSON 输出"},
    {"where to write (created when missing)",
     "输出位置（不存在时创建）"},
    {"where to write (default demo-out): data/ (the sample spreadsheets), egdi.db (a fresh store), report/",
     "输出位置（默认 demo-out）：data/（示例表格）、egdi.db（新数据库）、report/"},
    {"where to write: FILE.xlsx (sheets settings, catalogue, stages), FILE.csv (one CSV with [section] markers), or a directory (settings.csv, catalogue.csv, stages.csv)",
     "输出位置：FILE.xlsx（工作表 settings、catalogue、stages）、FILE.csv（带 [section] 标记的单个 CSV）或目录（settings.csv、catalogue.csv、stages.csv）"},
    {"with --parent: write a copy of the model with the new weights",
     "与 --parent 一起用：写出采用新权重的模型副本"},
    {"write a model's tables to start a model of your own",
     "导出模型的表格，作为自定义模型的起点"},
    {"write the yearly report: report.xlsx, charts (PNG, SVG) and report.html",
     "生成年度报告：report.xlsx、图表（PNG、SVG）和 report.html"},
    {"the model (default jiangsu)",
     "评估模型（默认 jiangsu）"},
    {"the model (default: the run's, or jiangsu for --data)",
     "评估模型（默认取评分记录所用模型，--data 时为 jiangsu）"},
    {"the built-in models (jiangsu is the default)",
     "内置模型（默认 jiangsu）"},


    /* ---- import, demo, init, round: what a command did ---- */
    {"imported %s from %s (sheet %s): %zu rows read, %zu stored, %zu values",
     "已导入%s：%s（工作表 %s），读取 %zu 行，保存 %zu 行，%zu 个数值"},
    {"imported %s from %s: %zu rows read, %zu stored, %zu values",
     "已导入%s：%s，读取 %zu 行，保存 %zu 行，%zu 个数值"},
    {", %zu unchanged", "，%zu 行未变"},
    {", %zu cells rejected (recorded as missing)", "，拒收 %zu 个单元格（记为缺失）"},
    {", %zu cells rejected (their rows skipped)", "，拒收 %zu 个单元格（所在行已跳过）"},
    {"; batch %lld\n", "；批次 %lld\n"},
    {"; batch %lld, replacing the earlier import\n", "；批次 %lld，替换先前的导入\n"},
    {"not imported: %s (sheet %s)\n", "未导入：%s（工作表 %s）\n"},
    {"not imported: %s\n", "未导入：%s\n"},
    {"  header: %s\n", "  表头：%s\n"},
    {"  checked against %s\n", "  检查依据：%s\n"},
    {"model %s %s (%s)", "模型 %s %s（%s）"},
    {"the built-in default", "内置默认模型"},
    {"the model of the store's latest score run", "数据库最近一次评分所用的模型"},
    {"  missing values: %zu recorded with their cells (egdi explain shows them)\n",
     "  缺失值：%zu 个，已连同所在单元格记录（'egdi explain' 可查看）\n"},
    {"columns", "各列的使用"},
    {"column", "列"},
    {"heading", "表头"},
    {"use", "用途"},
    {"to", "对应"},
    {"refused", "拒收"},
    {"field", "字段"},
    {"item", "题项"},
    {"attribute", "属性"},
    {"ignored", "忽略"},
    {"error", "错误"},
    {"  imported %-8s %s: %zu rows, %zu values\n", "  已导入%s %s：%zu 行，%zu 个数值\n"},
    {"  scored round %d with model %s %s: %zu units\n",
     "  %d 年度已评分，模型 %s %s：%zu 个单位\n"},
    {"egdi demo: %zu departments in %zu cities of one province, rounds %d and %d, "
     "%zu questionnaires\n  sample spreadsheets in %s/\n",
     "egdi demo：%zu 个部门，分属一个省的 %zu 个城市，%d 年和 %d 年两个轮次，%zu 份问卷\n"
     "  示例表格在 %s/\n"},
    {"created store %s (schema version %d)\n", "已创建数据库 %s（结构版本 %d）\n"},
    {"upgraded store %s from schema version %d to %d\n", "已将数据库 %s 从结构版本 %d 升级到 %d\n"},
    {"store %s is up to date (schema version %d)\n", "数据库 %s 已是最新（结构版本 %d）\n"},
    {"(more problems not listed)\n", "（其余问题未列出）\n"},
    {"egdi model: wrote %s (model %s version %s) with the new weights of %s\n",
     "egdi model：已写出 %s（模型 %s，版本 %s），含 %s 的新权重\n"},

    {"... and %zu more problems (all of them with --rejects FILE)",
     "……另有 %zu 个问题（--rejects FILE 写出全部）"},

    /* ---- survey efa, cfa: an improper or unconverged solution ---- */
    {"egdi %s: warning: Heywood case: item %s has a negative residual variance (%.4g; "
     "standardized loading above 1): the solution is improper, interpret with care\n",
     "egdi %s：警告：Heywood 情形：题项 %s 的残差方差为负（%.4g；标准化载荷大于 1）：解不恰当，"
     "解释时需谨慎\n"},
    {"egdi %s: warning: factor %s has a variance of %.4g (not positive): the solution is "
     "improper\n",
     "egdi %s：警告：因子 %s 的方差为 %.4g（非正）：解不恰当\n"},
    {"egdi %s: warning: %s stopped after %u iterations without converging (psych's limit)\n",
     "egdi %s：警告：%s 迭代 %u 次后停止，未收敛（psych 的上限）\n"},
    {"egdi %s: warning: %s rotation stopped after %u iterations without converging\n",
     "egdi %s：警告：%s 旋转迭代 %u 次后停止，未收敛\n"},
    {"egdi %s: warning: Heywood case: the uniqueness of %s sits on the 0.005 bound "
     "(communality near 1); interpret with care\n",
     "egdi %s：警告：Heywood 情形：%s 的唯一性落在 0.005 下限（共同度接近 1）；解释时需谨慎\n"},

    /* ---- explain: a region's survey value, the gates, the source ---- */
    {"  region: departments %.4f (%zu with a value)", "  地区：所辖部门 %.4f（%zu 个有值）"},
    {"  region: departments none with a value", "  地区：所辖部门均无值"},
    {", its own respondents %zu", "，本级受访者 %zu 名"},
    {" (%.4f)", "（%.4f）"},
    {"; combined as %g x departments + %g x own\n", "；合并为 %g × 所辖部门 + %g × 本级\n"},
    {"  a metric was imported for %s too (%.6g): the metric's value is used (the model's "
     "conflict rule)\n",
     "  %s 另有导入的指标值（%.6g）：按模型的冲突规则采用指标值\n"},
    {"  a metric was imported for %s too (%.6g): the survey's value is used (the model's "
     "conflict rule)\n",
     "  %s 另有导入的指标值（%.6g）：按模型的冲突规则采用问卷值\n"},
    {"\nEGDI: no score", "\nEGDI：无得分"},
    {"%sbatch %lld (%s, %s)", "%s批次 %lld（%s，%s）"},
    {"; ", "；"},
    {"%.3f (not checked)", "%.3f（不检查）"},
    {"survey %s (n = %zu)", "问卷 %s（n = %zu）"},
    {" (no department scores: region %.4g only)", "（无部门得分：仅地区级 %.4g）"},
    {" (no region-level score: departments %.4g only)", "（无地区级得分：仅所辖部门 %.4g）"},
    {" (departments %.4g x %g, region %.4g x %g)", "（所辖部门 %.4g × %g，地区级 %.4g × %g）"},

    /* ---- the command line's messages ---- */
    {" (try 'egdi%s%s --help')\n", "（参见 'egdi%s%s --help'）\n"},
    {"unknown option '%s'", "未知选项 '%s'"},
    {"unknown option '%s'; did you mean '--%s'?", "未知选项 '%s'；是否要用 '--%s'？"},
    {"option '--%s' needs a value", "选项 '--%s' 需要一个值"},
    {"unknown %s '%s'; did you mean '%s'?", "未知%s '%s'；是否要用 '%s'？"},
    {"unknown %s '%s'", "未知%s '%s'"},
    {"command", "命令"},
    {"subcommand", "子命令"},
    {"option '%s' needs a value", "选项 '%s' 需要一个值"},
    {"--lang is zh or en, not '%s'", "--lang 只能是 zh 或 en，不是 '%s'"},
    {"unexpected argument '%s'", "多余的参数 '%s'"},
    {"unknown format '%s'", "未知格式 '%s'"},
    {"cannot write the output: %s", "无法写出结果：%s"},
    {"out of memory", "内存不足"},
    {"%s: %zu problem%s", "%s：%zu 个问题%.0s"},
    {"export needs -o FILE.xlsx, FILE.csv or DIR", "export 需要 -o FILE.xlsx、FILE.csv 或目录"},
    {"%s: model %s %s (sha256 %s); edit it, then 'egdi model check %s'\n",
     "%s：模型 %s %s（sha256 %s）；编辑后请运行 'egdi model check %s'\n"},
    {"%s: model %s %s is valid (%zu indicators, %zu nodes in the tree, %zu stages, sha256 %s)\n",
     "%s：模型 %s %s 有效（%zu 个指标，指标树 %zu 个节点，%zu 个阶段，sha256 %s）\n"},
};

const size_t cli_tr_pairs_n = sizeof cli_tr_pairs / sizeof *cli_tr_pairs;

const char *cli_tr(const char *en)
{
    if (current != CLI_ZH || !en)
        return en;
    for (size_t i = 0; i < cli_tr_pairs_n; i++)
        if (strcmp(cli_tr_pairs[i].en, en) == 0)
            return cli_tr_pairs[i].zh;
    for (size_t i = 0; i < cli_tr_help_n; i++)
        if (strcmp(cli_tr_help[i].en, en) == 0)
            return cli_tr_help[i].zh;
    return en;
}

const char *cli_trv(cli_format fmt, const char *en)
{
    return fmt == CLI_TABLE ? cli_tr(en) : en;
}

const char *cli_varied_text(const char *stored, char *buf, size_t size)
{
    if (current != CLI_ZH || !stored)
        return stored;
    const char *zh = egdi_uncertainty_varied_zh(stored, buf, size);
    return zh ? zh : stored;
}

const char *cli_import_kind(const char *kind)
{
    if (current != CLI_ZH || !kind)
        return kind;
    return strcmp(kind, "metrics") == 0  ? "指标数据"
           : strcmp(kind, "units") == 0  ? "单位"
           : strcmp(kind, "survey") == 0 ? "问卷"
                                         : kind;
}

const char *cli_stale_text(const char *stored, char *buf, size_t size)
{
    if (current != CLI_ZH || !stored)
        return stored;
    size_t n = strlen(stored) + 1;
    char *copy = malloc(n);
    egdi_stale_reason r;
    if (!copy || !egdi_store_stale_parse(stored, &r, copy, n)) {
        free(copy);
        return stored;
    }
    const char *what = cli_import_kind(r.what);
    snprintf(buf, size,
             r.kind == EGDI_STALE_UNDO ? "导入 %lld（%s %s）已于 %s 撤销"
                                       : "导入 %lld（%s %s）于 %s 在评分之后进行",
             r.batch, what, r.file, r.when);
    free(copy);
    return buf;
}
