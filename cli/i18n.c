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

#include <string.h>

static cli_lang current = CLI_ZH;

void cli_lang_use(cli_lang lang)
{
    current = lang;
}

cli_lang cli_lang_now(void)
{
    return current;
}

typedef struct {
    const char *en, *zh;
} tr_pair;

static const tr_pair pairs[] = {
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
    {"rows", "行数"},
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

    /* ---- help pages ---- */
    {"usage: ", "用法："},
    {"   or: ", "  或："},
    {"\narguments:\n", "\n参数：\n"},
    {"subcommands", "子命令"},
    {"commands", "命令"},
    {"options:", "选项："},
    {"options of every subcommand:", "各子命令共有的选项："},
    {"'egdi %s%s%s --help' prints the options of a %s.", "'egdi %s%s%s --help' 列出%s的选项。"},
    {"e-government development-level evaluation engine", "电子政务发展水平评估引擎"},
    {"the program's version", "程序版本"},
    {"show this help", "显示本帮助"},
    {"the store (default ./egdi.db, or $EGDI_DB)", "数据库文件（默认 ./egdi.db 或 $EGDI_DB）"},
    {"the language of tables, notes and help (default from the locale; EGDI_LANG)",
     "表格、说明与帮助的语言（默认取自区域设置；EGDI_LANG）"},
    {"say what the store holds", "显示数据库中的内容"},
    {"table (default), csv or json", "table（默认）、csv 或 json"},
    {"the output (default table)", "输出格式（默认 table）"},
    {"the names of stages (default zh)", "阶段名称的语言（默认 zh）"},
    {"the names of the indicators (default zh)", "指标名称的语言（默认 zh）"},
    {"the model (default jiangsu)", "评估模型（默认 jiangsu）"},
    {"the summary (default table)", "摘要的格式（默认 table）"},
    {"the round whose observations are scored", "要评分的轮次（年度）"},
    {"the stored scores of a round (run 'egdi score' first)",
     "某一轮次已保存的得分（先运行 'egdi score'）"},
    {"only units of that kind (default department)", "只列该类型的单位（默认 department）"},
    {"only the departments of a region", "只列某地区的部门"},
    {"previous rank, change, previous stage, transitions", "上期排名、名次变化、上期阶段与阶段转移"},
    {"score a round with a model and store every score", "用模型为一个轮次评分并保存全部得分"},
    {"list, show and check evaluation models; derive weights", "列出、显示、检查评估模型；推导权重"},
    {"the built-in models (jiangsu is the default)", "内置模型（默认 jiangsu）"},
    {"the indicator tree with weights and effective weights", "指标树及其权重与综合权重"},
    {"every problem of a model table, one line each", "列出模型表的每个问题，每行一个"},
    {"derive the weights of an indicator's children", "推导某指标下级指标的权重"},
    {"write a model's tables to start a model of your own", "导出模型的表格，作为自定义模型的起点"},
    {"The exit status is 1 when the table has a problem.", "表格有问题时退出状态为 1。"},

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
    {"%s: %zu problem%s", "%s：%zu 个问题%s"},
    {"export needs -o FILE.xlsx, FILE.csv or DIR", "export 需要 -o FILE.xlsx、FILE.csv 或目录"},
    {"%s: model %s %s (sha256 %s); edit it, then 'egdi model check %s'\n",
     "%s：模型 %s %s（sha256 %s）；编辑后请运行 'egdi model check %s'\n"},
    {"%s: model %s %s is valid (%zu indicators, %zu nodes in the tree, %zu stages, sha256 %s)\n",
     "%s：模型 %s %s 有效（%zu 个指标，指标树 %zu 个节点，%zu 个阶段，sha256 %s）\n"},
};

const char *cli_tr(const char *en)
{
    if (current != CLI_ZH || !en)
        return en;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++)
        if (strcmp(pairs[i].en, en) == 0)
            return pairs[i].zh;
    return en;
}

const char *cli_trv(cli_format fmt, const char *en)
{
    return fmt == CLI_TABLE ? cli_tr(en) : en;
}
