/*
 * i18n_help.c - the Chinese of the help pages of the survey subcommands,
 * import's and model weights' methods, uncertainty, sensitivity and the
 * options they share (the rest are in i18n.c): looked up by cli_tr through the same English text the option
 * tables hold.  A static table; nothing to free.
 */
#include "cli/i18n_private.h"

const cli_tr_pair cli_tr_help[] = {
    {"start CSV output with a UTF-8 BOM (Excel on a Chinese Windows reads it right); also "
     "after the command",
     "CSV 输出以 UTF-8 BOM 开头（中文 Windows 上的 Excel 才能正确读取）；也可放在命令之后"},
    {"columns code (单位代码), name (单位名称), kind (单位类型: department|region), "
     "parent (上级单位: a region's code or unique name), level (级别)",
     "列 "
     "code（单位代码）、name（单位名称）、kind（单位类型：department|region）、parent"
     "（上级单位：地区的代码或唯一名称）、level（级别）"},
    {"wide (unit, then a column per indicator, headed by its code or its "
     "Chinese or English name) or long (unit, indicator, value); needs "
     "--round",
     "宽格式（单位，然后每个指标一列，表头为其代码或中英文名称）或长格式（单位、指标、"
     "值）；需要 --round"},
    {"questionnaire answers, a row per respondent; needs --survey",
     "问卷答卷，每行一名受访者；需要 --survey"},
    {"the imports in the store: batch, file, SHA-256, round, time and counts",
     "数据库中的导入记录：批次、文件、SHA-256、轮次、时间和数量"},
    {"removes one import and what was derived from it (the scores of its "
     "round become stale)",
     "删除一次导入及由其派生的内容（该轮次的得分随之过时）"},
    {"the model whose indicators, units and ranges the metrics are checked "
     "against (default: the model of the store's latest score run, else "
     "jiangsu)",
     "检查指标数据时所依据的模型（指标、单位和取值范围；默认：数据库最近一次评分所用模"
     "型，否则 jiangsu）"},
    {"the row that holds the headings (default: found among the first rows, "
     "skipping title rows)",
     "表头所在的行（默认：在前几行中查找，跳过标题行）"},
    {"headings of columns to leave out, comma-separated (a column that looks "
     "like an indicator but matches none is an error otherwise)",
     "要略去的列的表头，逗号分隔（否则，看似指标却匹配不上任何指标的列会报错）"},
    {"more marks for a missing value, comma-separated (besides empty, -, —, "
     "/, N/A, NA, 暂无, 无数据, 缺失)",
     "更多表示缺失值的标记，逗号分隔（空白、-、—、/、N/A、NA、暂无、无数据、缺失之外）"},
    {"the item columns, e.g. A1-A5,B2 (default: every column but the id "
     "whose answers are all numbers or answer labels)",
     "题项列，例如 A1-A5,B2（默认：除 id 外所有答案均为数字或选项标签的列）"},
    {"the respondent id column (default: one headed id, respondent, 编号, 序号 "
     "or 问卷编号)",
     "受访者编号列（默认：表头为 id、respondent、编号、序号或问卷编号的列）"},
    {"the column naming the unit each respondent rates (部门, 所属单位, 评价对象 ...): "
     "a unit's code or its name; links the respondents to the units for the "
     "model's survey indicators",
     "标明每名受访者所评价单位的列（部门、所属单位、评价对象……）：单位代码或名称；把受"
     "访者与单位关联，供模型的问卷指标使用"},
    {"AHP weights from a pairwise comparison matrix, with lambda_max, CI and "
     "CR (Saaty's RI); CR > 0.10 is refused",
     "由两两比较判断矩阵得出的 AHP 权重，给出 lambda_max、CI 和 CR（Saaty 的 RI）；CR "
     "> 0.10 时拒绝"},
    {"entropy weights of the children of --parent from the observations of "
     "--round in the store (each child min-max normalised with its "
     "direction)",
     "由数据库中 --round 的观测值计算 --parent 下级指标的熵权（各下级指标按其方向做极差标准化）"},
    {"1/k for each of the k children of --parent",
     "--parent 的 k 个下级指标各取 1/k"},
    {"split the EGDI change since YEAR into the model change, each "
     "indicator's contribution and re-weighting for missing values",
     "把自 YEAR 以来的 EGDI 变化分解为模型变化、各指标的贡献和缺失值重新加权"},
    {"add each unit's 5-95% rank interval and the probability of its stage "
     "from the round's stored uncertainty run ('egdi uncertainty'); P below "
     "0.8 is \"stage uncertain\"",
     "加上各单位 5-95% 的排名区间及其所定阶段的概率，取自该轮次保存的不确定性分析（'eg"
     "di uncertainty'）；概率低于 0.8 "
     "为“阶段不确定”"},
    {"items: ranges in sheet order and names, e.g. A1-A5,B2,C1-C3 (names "
     "exact, else ignoring case; an item listed twice is an error); default: "
     "the items of --scales, else the stored survey's items, else every "
     "column whose values are all numbers (id and code columns too: name the "
     "items to leave them out)",
     "题项：按工作表顺序的范围和名称，例如 "
     "A1-A5,B2,C1-C3（名称先精确匹配，否则忽略大小写；同一题项列出两次会报错）；默认：--scales "
     "的题项，否则为已保存问卷的题项，否则为所有取值全为数字的列（id 和代码列也算：请"
     "指明题项以排除它们）"},
    {"the answer scale, e.g. 1-5: reversed = MIN + MAX - x, and an answer "
     "outside it is an error naming its cell (psych reverses with the "
     "observed max + min: the same when every answer occurs); default: the "
     "stored survey's",
     "答题量表，例如 1-5：反向计分 = MIN + MAX - x，超出量表的答案会报错并指明其单元格"
     "（psych 用观测到的最大值 + "
     "最小值反向：所有答案都出现时两者相同）；默认：已保存问卷的量表"},
    {"named scales: a table with columns scale, item, reversed (as 'egdi "
     "import survey --scales' takes it); default: the stored survey's "
     "dimensions",
     "命名量表：含 scale、item、reversed 列的表格（与 'egdi import survey --scales' "
     "所用相同）；默认：已保存问卷的维度"},
    {"answer labels: a file of rows value,label (as 'egdi import survey "
     "--labels' takes it) or \"1=非常不同意,...,5=非常同意\": a text answer equal to "
     "a label counts as its value, as the import reads it (another text is "
     "an error naming its cell); describe prints the labels; default: the "
     "stored survey's",
     "选项标签：每行为 value,label 的文件（与 'egdi import survey --labels' 所用相同）或 "
     "\"1=非常不同意,...,5=非常同意\"：与标签相同的文本答案按其值计，与导入时的读法一"
     "致（其他文本会报错并指明单元格）；describe "
     "会列出标签；默认：已保存问卷的标签"},
    {"listwise (default, as SPSS: rows answering every item analysed; per "
     "scale for alpha) or pairwise covariances (psych::alpha's default); the "
     "n used is printed",
     "listwise（默认，同 SPSS：分析答全所有题项的行；alpha 按量表分别处理）或 pairwise "
     "协方差（psych::alpha 的默认）；输出中注明所用的 n"},
    {"the output (JSON keys: docs/survey-json.md; of kmo and efa: "
     "docs/factor-json.md; of profile, corr, regress, mediate, crosstab: "
     "docs/relations-json.md)",
     "输出格式（JSON 键：docs/survey-json.md；kmo 和 efa "
     "的：docs/factor-json.md；profile、corr、regress、mediate、crosstab "
     "的：docs/relations-json.md）"},
    {"how a scale named as a variable (满意度 wherever a column can be named) "
     "is scored: the mean (default) or the sum of its keyed items; a "
     "respondent missing one of them has no score",
     "作为变量使用的量表（可以写列名的地方都可写如 满意度）如何计分：所含题项（按计分"
     "方向）的均值（默认）或总和；缺答其中任一题的受访者没有得分"},
    {"write every scale's score per respondent to FILE (CSV: the --id, else "
     "the source row, then one column per scale; empty = no score)",
     "把每个量表的每名受访者得分写入 FILE（CSV：先是 --id，否则为源数据行号，然后每个"
     "量表一列；空白 = 无得分）"},
    {"the respondent id column for --save-scores",
     "--save-scores 所用的受访者编号列"},
    {"value labels of a grouping or demographic column, e.g. 性别:1=男,2=女 (or "
     "a file of rows value,label): its codes are shown as the labels and a "
     "text answer equal to a label counts as its code; repeat for each "
     "column",
     "分组或人口统计列的值标签，例如 性别:1=男,2=女（或每行为 value,label "
     "的文件）：代码显示为标签，与标签相同的文本答案按其代码计；每列各写一次"},
    {"item descriptives, frequency tables, response rate",
     "题项描述统计、频数表、回收率"},
    {"Every answer of an item counts (no listwise deletion). Frequency "
     "tables show the answers as given, with their labels; a reverse-keyed "
     "item is marked (R) and its mean, sd, min, max, skewness and kurtosis "
     "are of the reversed answers (MIN + MAX - x), the scale the other "
     "subcommands analyse.",
     "题项的每个答案都计入（不做 listwise 删除）。频数表按原样列出答案及其标签；反向计分题项标记为 "
     "(R)，其均值、标准差、最小值、最大值、偏度和峰度按反向后的答案（MIN + MAX - x）计"
     "算，即其他子命令分析的量表。"},
    {"response rate = valid / issued; valid = rows answering every item",
     "回收率 = 有效 / 发放；有效 = 答全所有题项的行"},
    {"skewness/kurtosis in the table: 2 = SPSS/SAS/Excel (G1, G2; default, "
     "with SPSS's standard errors), 3 = R psych::describe's default (b1, "
     "b2); JSON has both",
     "表中的偏度/峰度：2 = SPSS/SAS/Excel（G1、G2；默认，带 SPSS 的标准误），3 = R "
     "psych::describe 的默认（b1、b2）；JSON 两者都有"},
    {"item analysis by critical ratio (决断值)",
     "按决断值（CR）做项目分析"},
    {"High/low groups, Levene, pooled and Welch t, CR, item-total r, alpha "
     "if deleted, keep/drop. Cuts are SPSS percentiles (HAVERAGE = R "
     "quantile type 6); respondents at a cut belong to the group; Levene is "
     "mean-centred (SPSS); the CR is the Welch t when Levene's p < .05, else "
     "the pooled t; keep = CR >= min-cr, p < .05 and corrected item-total r "
     ">= min-r. Complete answers only (listwise).",
     "高/低分组、Levene 检验、合并方差与 Welch t、CR、题总相关 r、删除该题后的 alpha、"
     "保留/删除。分组切点为 SPSS "
     "百分位数（HAVERAGE = R 分位数第 6 类）；恰在切点上的受访者归入该组；Levene 以均"
     "值为中心（SPSS）；Levene 的 "
     "p < .05 时 CR 取 Welch t，否则取合并方差 t；保留 = CR >= min-cr、p < .05 且校正题总相关 r "
     ">= min-r。只用答全的答卷（listwise）。"},
    {"share of respondents per group (default 0.27)",
     "每组受访者所占比例（默认 0.27）"},
    {"keep an item with CR >= this (default 3)",
     "CR >= 该值时保留题项（默认 3）"},
    {"... and corrected item-total r >= this (default 0.4)",
     "……且校正题总相关 r >= 该值（默认 0.4）"},
    {"Cronbach's alpha overall and per scale, item-total statistics",
     "总体及各量表的 Cronbach's alpha、题总统计"},
    {"Raw and standardized alpha for all items and for each scale (--scales, "
     "or the stored survey's dimensions); listwise deletion per scale (SPSS "
     "RELIABILITY run on each scale), or --missing pairwise (psych).",
     "全部题项及各量表（--scales 或已保存问卷的维度）的原始与标准化 alpha；按量表做 li"
     "stwise 删除（对每个量表运行 "
     "SPSS RELIABILITY），或 --missing pairwise（psych）。"},
    {"independent, paired and one-sample t-tests",
     "独立样本、配对样本和单样本 t 检验"},
    {"Independent, paired (two columns, or long data matched on --pair-id) "
     "or one sample. Levene mean-centred; pooled and Welch rows; Cohen's d "
     "with the pooled sd (one-sample / paired: mean difference / sd). The CI "
     "is of the mean difference (SPSS); R's one-sample t.test prints it plus "
     "mu.",
     "独立样本、配对样本（两列，或按 --pair-id 匹配的长数据）或单样本。Levene 以均值为"
     "中心；合并方差与 Welch "
     "两行；Cohen's d 用合并标准差（单样本/配对：均值差 / 标准差）。置信区间为均值差的"
     "区间（SPSS）；R 的单样本 t.test "
     "给出的是它加上 mu。"},
    {"the variable: a column, or a scale (of --scales or the stored survey) "
     "scored as the mean of its keyed items (--score); several, as a list or "
     "repeated (--y 有用性,易用性), give one row each (independent or one sample)",
     "变量：一列，或一个量表（--scales 或已保存问卷中的），按所含题项均值计分（--score"
     "）；多个变量可写成列表或重复给出（--y "
     "有用性,易用性），各占一行（独立样本或单样本）"},
    {"independent samples: the two groups",
     "独立样本：两个组"},
    {"the two groups of --group to compare",
     "要比较的 --group 中的两个组"},
    {"paired samples: two columns or scales",
     "配对样本：两列或两个量表"},
    {"paired long data: --y by --group --levels A,B matched on this id",
     "配对长数据：按此编号匹配的 --y 对 --group --levels A,B"},
    {"one sample: the test value",
     "单样本：检验值"},
    {"confidence level of the intervals (default 0.95)",
     "区间的置信水平（默认 0.95）"},
    {"one-way ANOVA with Levene's test, Welch's ANOVA and post-hoc "
     "comparisons",
     "单因素方差分析，含 Levene 检验、Welch 方差分析和事后比较"},
    {"F, df, p, eta squared, group descriptives, Levene (mean-centred); "
     "Welch's F (R oneway.test(var.equal = FALSE), SPSS's robust test). "
     "Post-hoc: LSD and Bonferroni as pairwise.t.test(pool.sd = TRUE), "
     "Tukey-Kramer as TukeyHSD, Scheffé and Games-Howell by their formulas; "
     "the studentized range is computed to about 1e-12 (R's ptukey is good "
     "to about 1e-7, qtukey to 1e-4, so TukeyHSD's p and CI differ from "
     "egdi's in those digits).",
     "F、df、p、eta 平方、各组描述统计、Levene（以均值为中心）；Welch F（R oneway.test(var.equal = "
     "FALSE)，即 SPSS 的稳健检验）。事后比较：LSD 和 Bonferroni 同 pairwise.t.test(pool.sd = "
     "TRUE)，Tukey-Kramer 同 TukeyHSD，Scheffé 和 Games-Howell 按其公式；学生化极差分布计算精度约 "
     "1e-12（R 的 ptukey 约 1e-7，qtukey 约 1e-4，因此 TukeyHSD 的 p 和置信区间在这些位数上与 "
     "egdi 不同）。"},
    {"the variable: a column, or a scale (of --scales or the stored survey); "
     "several: repeat --y or list them (Q1,Q2), each analysed in turn from "
     "one read of the data",
     "变量：一列，或一个量表（--scales 或已保存问卷中的）；多个：重复 --y 或列出（Q1,Q"
     "2），读一次数据后依次分析"},
    {"the groups",
     "分组"},
    {"post-hoc comparisons of every pair of groups: lsd, bonferroni, tukey, "
     "scheffe, games-howell (comma list); Levene's test says which fits "
     "(equal variances: LSD, Tukey, Scheffé; unequal: Games-Howell)",
     "各组两两之间的事后比较：lsd、bonferroni、tukey、scheffe、games-howell（逗号分隔）；Levene "
     "检验决定适用哪种（方差齐：LSD、Tukey、Scheffé；不齐：Games-Howell）"},
    {"confidence level of the post-hoc CIs (default 0.95)",
     "事后比较置信区间的置信水平（默认 0.95）"},
    {"KMO, per-item MSA, Bartlett's test of sphericity",
     "KMO、各题项 MSA、Bartlett 球形检验"},
    {"psych::KMO, cortest.bartlett (n = the rows used); ln p when p "
     "underflows; the determinant of the correlation matrix.",
     "同 psych::KMO、cortest.bartlett（n = 所用行数）；p 下溢时给出 ln p；相关矩阵的行列式。"},
    {"exploratory factor analysis: pca|paf|ml, rotations, scores",
     "探索性因子分析：pca|paf|ml、旋转、因子得分"},
    {"Full convergence by default; --psych-defaults = R's early "
     "stops.\nFactors sorted by SS loadings; signs so loadings sum to >= "
     "0.\nDetails: docs/factor-json.md.",
     "默认完全收敛；--psych-defaults = R 的提前停止。\n因子按载荷平方和排序；符号使每"
     "个因子的载荷之和 >= 0。\n详见 "
     "docs/factor-json.md。"},
    {"principal components, principal axis from SMCs (default), or maximum "
     "likelihood (factanal)",
     "主成分、以 SMC 为初值的主轴因子法（默认）或最大似然（factanal）"},
    {"K factors, eigenvalue > 1 (default), or above the 95th percentile of "
     "random data (parallel analysis)",
     "K 个因子、特征值 > 1（默认）或高于随机数据的第 95 百分位数（平行分析）"},
    {"varimax (default; Kaiser-normalized), promax (power 4), oblimin as "
     "psych (not normalized)",
     "varimax（默认；Kaiser 标准化）、promax（幂 4）、oblimin 同 psych（不标准化）"},
    {"R's early stops (psych's min.err 0.001, varimax eps 1e-5)",
     "R 的提前停止（psych 的 min.err 0.001，varimax eps 1e-5）"},
    {"paf convergence on any communality (default 1e-10)",
     "paf 在任一共同度上的收敛标准（默认 1e-10）"},
    {"rotation convergence (default 1e-12)",
     "旋转收敛标准（默认 1e-12）"},
    {"iteration limit of extraction and rotation",
     "提取与旋转的迭代次数上限"},
    {"parallel analysis random seed (default 1)",
     "平行分析的随机种子（默认 1）"},
    {"parallel analysis replications (default 100)",
     "平行分析的重复次数（默认 100）"},
    {"parallel analysis quantile (default 0.95)",
     "平行分析的分位数（默认 0.95）"},
    {"blank loadings below B in the table (e.g. 0.3)",
     "表中不显示低于 B 的载荷（例如 0.3）"},
    {"write regression factor scores (source row first)",
     "写出回归法因子得分（先是源数据行号）"},
    {"confirmatory factor analysis (ML): fit indices with cut-offs, "
     "loadings, MI",
     "验证性因子分析（ML）：拟合指数及其临界值、载荷、修正指数"},
    {"Maximum likelihood as lavaan::cfa with its defaults: covariances of "
     "the complete rows with divisor N, chi-square = N F_ML, standard errors "
     "from the expected information; fit indices as lavaan::fitMeasures "
     "(srmr = Bentler's), modification indices as "
     "lavaan::modindices.\nFisher scoring with analytic derivatives (GSL), "
     "converged when g'(2I)^-1 g < 1e-20.\nRefused: a factor of one item, df "
     "< 0, a covariance matrix that is not positive definite, no "
     "convergence; a negative residual variance (Heywood case) is a warning "
     "naming the item.\nMissing answers: listwise (full-information ML is "
     "not implemented).\nJSON keys: docs/cfa-json.md.",
     "最大似然估计，同 lavaan::cfa 的默认设置：完整行的协方差（除数 N），卡方 = N F_ML"
     "，标准误来自期望信息矩阵；拟合指数同 "
     "lavaan::fitMeasures（srmr 为 Bentler 的），修正指数同 "
     "lavaan::modindices。\nFisher 评分法，解析导数（GSL），g'(2I)^-1 g < 1e-20 "
     "时收敛。\n拒绝：只有一个题项的因子、df < 0、协方差矩阵非正定、不收敛；残差方差为负（Heywood "
     "情形）时给出警告并指明题项。\n缺失答案：listwise（未实现完全信息最大似然）。\nJS"
     "ON 键：docs/cfa-json.md。"},
    {"the measurement model in lavaan's syntax, 'visual =~ x1 + x2 + x3; "
     "textual =~ x4 + x5 + x6' (statements on lines or separated by ';'), or "
     "a file holding it; default: each scale of --scales (or of the stored "
     "survey) a factor",
     "lavaan 语法的测量模型，'visual =~ x1 + x2 + x3; textual =~ x4 + x5 + "
     "x6'（每行一条语句或用 ';' 分隔），或含该模型的文件；默认：--scales（或已保存问卷"
     "）的每个量表为一个因子"},
    {"identify by factor variances fixed to 1, every loading free (lavaan's "
     "std.lv = TRUE); default: the first loading of each factor fixed to 1",
     "以固定因子方差为 1 识别模型，所有载荷自由估计（lavaan 的 std.lv = TRUE）；默认："
     "每个因子的第一个载荷固定为 1"},
    {"Fisher-scoring iterations at most (default 1000)",
     "Fisher 评分法的最大迭代次数（默认 1000）"},
    {"convergence: the squared scoring step g'(2I)^-1 g below T (default "
     "1e-20)",
     "收敛标准：评分步长的平方 g'(2I)^-1 g 低于 T（默认 1e-20）"},
    {"print the N largest modification indices (default 10, 0 = none; JSON "
     "lists them all)",
     "列出最大的 N 个修正指数（默认 10，0 = 不列；JSON 列出全部）"},
    {"reliability and validity after a CFA: alpha, omega, CR, AVE, "
     "Fornell-Larcker, HTMT, Harman",
     "CFA 之后的信度与效度：alpha、omega、CR、AVE、Fornell-Larcker、HTMT、Harman"},
    {"The model is fitted as by 'egdi survey cfa' (the same rows: listwise "
     "over its items).\nPer factor: Cronbach's alpha with Feldt's 95% "
     "interval (psych::alpha), omega over the observed variance "
     "(semTools::compRelSEM's default obs.var = TRUE), CR and AVE from the "
     "standardized loadings (Fornell & Larcker 1981).\nDiscriminant "
     "validity: sqrt(AVE) against the factor correlations; HTMT "
     "(semTools::htmt, htmt2 = FALSE) against .85 / .90.  Common-method "
     "bias: Harman's first unrotated component against 40% / 50%.\nJSON "
     "keys: docs/cfa-json.md.",
     "模型拟合方式同 'egdi survey cfa'（相同的行：对其题项做 listwise）。\n每个因子：C"
     "ronbach's alpha "
     "及 Feldt 95% 区间（psych::alpha），基于观测方差的 omega（semTools::compRelSEM 的默认 "
     "obs.var = TRUE），由标准化载荷计算的 CR 和 AVE（Fornell & Larcker "
     "1981）。\n区分效度：sqrt(AVE) 与因子间相关比较；HTMT（semTools::htmt，htmt2 = FALSE）与 "
     ".85 / .90 比较。共同方法偏差：Harman 未旋转第一主成分与 40% / 50% 比较。\nJSON "
     "键：docs/cfa-json.md。"},
    {"print HTMT2 (geometric means, semTools' default htmt2 = TRUE) instead "
     "of HTMT (arithmetic means, Henseler et al. 2015); JSON has both",
     "列出 HTMT2（几何平均，semTools 的默认 htmt2 = TRUE）而非 HTMT（算术平均，Henseler 等 "
     "2015）；JSON 两者都有"},
    {"the sample profile: counts and percentages of the demographic columns",
     "样本概况：人口统计列的频数和百分比"},
    {"One table, as SPSS FREQUENCIES prints each column: the categories "
     "(text as written, codes in order with their --value-labels), their "
     "counts, percent of all rows read, valid percent (of the rows with an "
     "answer) and cumulative percent, and the missing rows.",
     "一张表，每列的格式同 SPSS FREQUENCIES：类别（文本按原样，代码按顺序并附 --value-labels "
     "标签）、频数、占所读全部行的百分比、有效百分比（占有答案的行）和累计百分比，以及缺失行数。"},
    {"the demographic columns, e.g. 性别,年龄段,学历,部门 (text or coded; codes shown "
     "with their --value-labels)",
     "人口统计列，例如 性别,年龄段,学历,部门（文本或代码；代码按 --value-labels 显示标签）"},
    {"count a numeric column in bins cut at C1 < C2 < ...: < C1, [C1, C2), "
     "..., >= Cm (R's cut(right = FALSE)); repeat for each column",
     "把数值列按切点 C1 < C2 < ... 分组计数：< C1、[C1, C2)、...、>= Cm（R 的 cut(right = "
     "FALSE)）；每列各写一次"},
    {"correlation matrix of items or scales with means, SDs and significance "
     "stars",
     "题项或量表的相关矩阵，附均值、标准差和显著性星号"},
    {"The thesis layout: mean and SD first, then r in the lower triangle "
     "with * p < .05, ** p < .01, *** p < .001 (two-tailed, t on n - 2 df as "
     "R's cor.test). Listwise (default: the rows with every variable) or "
     "--missing pairwise (each r on its pair's rows; means and SDs over each "
     "variable's own values). JSON has every r, p and n.",
     "论文格式：先列均值和标准差，下三角为 r，* p < .05，** p < .01，*** p < .001（双"
     "侧，按 n - 2 自由度的 "
     "t 检验，同 R 的 cor.test）。Listwise（默认：所有变量都有值的行）或 --missing pai"
     "rwise（每个 r "
     "用该对变量都有值的行；均值和标准差用各变量自身的值）。JSON 给出每个 r、p 和 n。"},
    {"the variables: columns and scales (of --scales or the stored survey, "
     "scored by --score), e.g. 有用性,易用性,满意度; default: every scale, else the "
     "items",
     "变量：列和量表（--scales 或已保存问卷中的，按 --score 计分），例如 有用性,易用性"
     ",满意度；默认：每个量表，否则为题项"},
    {"Pearson (default) or Spearman (ranks, ties averaged); p as R's "
     "cor.test (Spearman with its t approximation, exact = FALSE)",
     "Pearson（默认）或 Spearman（秩，并列取平均秩）；p 同 R 的 cor.test（Spearman 用其 t "
     "近似，exact = FALSE）"},
    {"also print the p-values (two-sided) as a table",
     "另外以表格列出 p 值（双侧）"},
    {"the diagonal: 1 (default), or sqrt-ave: each scale's square root of "
     "its AVE from one CFA of all the scales, as 'egdi survey validity' "
     "computes it (the Fornell-Larcker layout; every variable must then be a "
     "scale)",
     "对角线：1（默认），或 sqrt-ave：各量表 AVE 的平方根，取自所有量表的同一个 CFA，"
     "与 'egdi survey "
     "validity' 的计算相同（Fornell-Larcker 格式；此时每个变量都必须是量表）"},
    {"linear regression (OLS), hierarchical by blocks, with dummy variables",
     "线性回归（OLS），按区组分层，支持虚拟变量"},
    {"As R's lm + summary + confint and SPSS REGRESSION (METHOD=ENTER per "
     "block): B, SE, standardized Beta, t, p, CI, tolerance and VIF; R, R², "
     "adjusted R², the SE of the estimate, F and p, Durbin-Watson (residuals "
     "in row order), and per block the R² change with its F change and p "
     "(anova(m1, m2)). Rows are deleted listwise over y and every predictor "
     "of every block; N is printed. A collinear design is refused naming the "
     "predictors.",
     "同 R 的 lm + summary + confint 及 SPSS REGRESSION（每个区组 "
     "METHOD=ENTER）：B、SE、标准化 Beta、t、p、置信区间、容差和 VIF；R、R²、调整 R²、"
     "估计标准误、F 和 "
     "p、Durbin-Watson（残差按行序），以及每个区组的 R² 变化及其 F 变化和 p（anova(m1, m2)）。对 y "
     "和所有区组的所有预测变量做 listwise 删除；输出注明 N。设计矩阵共线时拒绝并指明预测变量。"},
    {"the dependent variable",
     "因变量"},
    {"the predictors, entered together (one block)",
     "预测变量，一起进入（一个区组）"},
    {"a block of predictors, entered after the blocks before it "
     "(hierarchical regression: --block 性别,年龄 --block 有用性,易用性); each model "
     "prints its R^2 change, F change and p",
     "一个预测变量区组，在之前的区组之后进入（分层回归：--block 性别,年龄 --block 有用"
     "性,易用性）；每个模型给出其 R^2 "
     "变化、F 变化和 p"},
    {"coded columns to enter as dummy variables (a column of text, such as "
     "学历 本科/硕士, always is)",
     "作为虚拟变量进入的代码列（文本列，如 学历 本科/硕士，总是如此）"},
    {"the reference category of a categorical predictor (default its first: "
     "the lowest code, else the first text in byte order, as R); repeat for "
     "each",
     "分类预测变量的参照类别（默认第一个：最小的代码，否则按字节序的第一个文本，同 R）"
     "；每个变量各写一次"},
    {"confidence level of the coefficients' CIs (default 0.95)",
     "系数置信区间的置信水平（默认 0.95）"},
    {"mediation (PROCESS model 4): paths, indirect effect, bootstrap CI, "
     "Sobel",
     "中介效应（PROCESS 模型 4）：路径、间接效应、bootstrap 置信区间、Sobel"},
    {"Paths a (M ~ X), b and c' (Y ~ X + M), c (Y ~ X) by OLS, as lm; the "
     "indirect effect a×b with a percentile bootstrap CI (PROCESS's default: "
     "percentiles as SPSS/R type 6 of --boot resamples of the rows), the "
     "Sobel test and the effect ratio a×b / c. Several mediators are "
     "parallel (one Y model holds them all). Rows missing X, a mediator or Y "
     "are left out; N is printed.",
     "用 OLS 估计路径 a（M ~ X）、b 和 c'（Y ~ X + M）、c（Y ~ X），同 lm；间接效应 a×b 及其百分位 "
     "bootstrap 置信区间（PROCESS 的默认：对行做 --boot 次重抽样，百分位数同 SPSS/R 第"
     " 6 类）、Sobel "
     "检验和效应比 a×b / c。多个中介变量为并行（一个 Y 模型包含全部）。缺少 X、某个中"
     "介变量或 Y 的行被略去；输出注明 N。"},
    {"the independent variable X",
     "自变量 X"},
    {"the mediator M, or several in parallel (M1,M2; at most 8)",
     "中介变量 M，或多个并行（M1,M2；最多 8 个）"},
    {"the dependent variable Y",
     "因变量 Y"},
    {"bootstrap resamples for the indirect effect's percentile CI (default "
     "5000; 0 = none)",
     "间接效应百分位置信区间的 bootstrap 重抽样次数（默认 5000；0 = 不做）"},
    {"the bootstrap's seed (default 1): a seed gives the same CI whatever "
     "the threads",
     "bootstrap 的随机种子（默认 1）：同一种子无论线程数多少都给出相同的置信区间"},
    {"confidence level (default 0.95)",
     "置信水平（默认 0.95）"},
    {"bootstrap threads (default: the processors online)",
     "bootstrap 线程数（默认：在线处理器数）"},
    {"crosstab of two categorical columns: chi-square, Cramér's V, Fisher (2 "
     "x 2)",
     "两个分类列的交叉表：卡方、Cramér's V、Fisher（2 x 2）"},
    {"Pearson's chi-square without continuity correction (R "
     "chisq.test(correct = FALSE), SPSS's first row), Cramér's V = sqrt(chi2 "
     "/ (n (min(r, c) - 1))), the cells with an expected count below 5, and "
     "Fisher's exact test for a 2 x 2 table (R fisher.test). Rows missing "
     "either column are left out.",
     "不做连续性校正的 Pearson 卡方（R chisq.test(correct = FALSE)，SPSS 的第一行）、Cramér's "
     "V = sqrt(chi2 / (n (min(r, c) - 1)))、期望频数低于 5 的单元格，以及 2 x 2 表的 Fisher "
     "精确检验（R fisher.test）。缺少任一列的行被略去。"},
    {"the rows' column, e.g. 性别",
     "作为行的列，例如 性别"},
    {"the columns' column, e.g. 学历",
     "作为列的列，例如 学历"},
    {"the percentage beside each count (default row: of its row)",
     "每个频数旁的百分比（默认 row：占其所在行）"},
    {"also print the expected counts (< 5 marked *)",
     "另外列出期望频数（< 5 的标 *）"},
    {"every table of a survey for a thesis: three-line HTML, XLSX, CSV and "
     "JSON",
     "论文用的问卷全部表格：三线表 HTML、XLSX、CSV 和 JSON"},
    {"The sample profile (--profile), descriptives, item analysis, "
     "reliability, KMO and Bartlett, EFA, CFA and validity (when the survey "
     "has dimensions), the scales' correlations, the scale scores by each "
     "--group (t-test or ANOVA) and each --regress model; tables not produced "
     "are listed with the option that produces them; p stays a number with a "
     "separate significance column; CSV files carry a UTF-8 BOM.",
     "样本概况（--profile）、描述统计、项目分析、信度、KMO 和 Bartlett、EFA、CFA "
     "和效度（问卷有维度时）、量表间相关、按每个 --group 比较的量表得分（t 检验或方差分析）"
     "和每个 --regress 模型；未生成的表连同生成它的选项一并列出；p 保留为数字，"
     "另设显著性列；CSV 文件带 UTF-8 BOM。"},
    {"a grouping column: every scale score compared across its groups (two: "
     "independent t-test; more: one-way ANOVA), as survey ttest / anova; "
     "repeat or list for several",
     "分组列：每个量表得分在各组间比较（两组：独立样本 t 检验；多组：单因素方差分析），"
     "与 survey ttest / anova 相同；可重复或用逗号列出多个"},
    {"a regression (columns or scales; a column of text enters as dummies): "
     "its model summary and coefficients, the numbers survey regress prints "
     "for that model; repeat for several",
     "回归（列或量表；文本列以虚拟变量进入）：模型摘要和系数，与 survey regress "
     "对该模型输出的数字相同；可重复"},
    {"where to write the tables (created when missing)",
     "表格的输出位置（不存在时创建）"},
    {"demographic columns for the sample profile table first, e.g. 性别,年龄段",
     "先出样本概况表的人口统计列，例如 性别,年龄段"},
    {"the questionnaire to analyse (default: the round's)",
     "要分析的问卷（默认：该轮次的问卷）"},
    {"also one page per department and per region in DIR/scorecards/ (HTML "
     "for A4, scorecards.xlsx)",
     "另为每个部门和每个地区各生成一页，放在 DIR/scorecards/（A4 的 HTML、scorecards.xlsx）"},
    {"with more unit x indicator values than N (default 300000: 10,000 units x 30), the "
     "Indicators, Matrix and Sources tables are written whole as indicators.csv, matrix.csv "
     "and sources.csv beside the workbook, whose sheets then list the top 1,000 units",
     "单位 × 指标的值多于 N 个时（默认 300000：10,000 个单位 × 30 个指标），Indicators、Matrix "
     "和 Sources 三张表完整写为工作簿旁的 indicators.csv、matrix.csv 和 sources.csv，"
     "工作簿中这三张工作表只列排名前 1,000 个单位"},
    {"Writes the sample spreadsheets, imports them into a fresh store, "
     "scores both rounds, writes the report and prints the top of the "
     "ranking, the stage counts and the key survey statistics.  A store or "
     "sample file in DIR that the demo did not write is never replaced "
     "without --force (DIR/.egdi-demo lists what it wrote).",
     "写出示例表格，导入新数据库，为两个轮次评分，生成报告，并打印排名前列、各阶段单位"
     "数和主要问卷统计量。DIR 中不是 demo "
     "写出的数据库或示例文件，没有 --force 时绝不替换（DIR/.egdi-demo 列出它写过的文件）。"},
    {"replace a store or sample file in DIR that the demo did not write "
     "(never the default store)",
     "替换 DIR 中不是 demo 写出的数据库或示例文件（默认数据库除外）"},
    {"removes round YEAR: its imports with their values, missing values and "
     "respondents, its surveys and its score runs",
     "删除 YEAR 轮次：其导入及数值、缺失值和受访者，其问卷和评分记录"},
    {"how sure the ranking is: rank intervals and stage probabilities (Monte "
     "Carlo)",
     "排名有多可靠：排名区间和阶段概率（蒙特卡洛）"},
    {"Each assumption is named explicitly and refused when the model has no "
     "such step. The nominal ranking is the stored score run's; the run is "
     "stored (what was varied, sampler, seed, draws, model and inputs "
     "SHA-256) and 'egdi rank' shows it with its uncertainty option. A seed "
     "gives the same numbers on any number of threads. Rank intervals are "
     "the 5 % and 95 % quantiles (R type 7) of a unit's rank over the draws; "
     "a unit whose P(assigned stage) is below 0.8 is 'stage uncertain'. JSON "
     "keys: docs/uncertainty.md.",
     "每个假设都需明确指定，模型没有相应步骤时拒绝。名义排名取已保存的评分记录；本次运"
     "行会被保存（变动了什么、抽样方法、种子、抽样次数、模型和输入的 "
     "SHA-256），'egdi rank' 用其 uncertainty "
     "选项显示。同一种子在任意线程数下给出相同的数字。排名区间为单位在各次抽样中名次的"
     " 5 % 和 95 % 分位数（R 第 7 "
     "类）；所定阶段概率低于 0.8 的单位为“阶段不确定”。JSON 键：docs/uncertainty.md。"},
    {"the scored round (its latest score run)",
     "已评分的轮次（其最近一次评分记录）"},
    {"Monte Carlo draws (default 10000)",
     "蒙特卡洛抽样次数（默认 10000）"},
    {"also P(rank <= K) of every unit",
     "另给出每个单位的 P(排名 <= K)"},
    {"vary the weights: each times 1 +- up to W (0.2 = 20 %) and each "
     "sibling group renormalised; or each group drawn from a Dirichlet with "
     "concentration C around the model's weights; or the model's weights or "
     "one of the --weight-set models, equally likely",
     "变动权重：每个权重乘以 1 ± 至多 W（0.2 = 20 %），同级权重重新归一；或每组从以模"
     "型权重为中心、集中度为 C 的 "
     "Dirichlet 分布抽取；或在模型权重和各 --weight-set 模型之间等概率选取"},
    {"an alternative weight set: a model with the same codes (e.g. the AHP "
     "weights 'egdi model weights ahp' writes); repeatable; implies "
     "--weights sets",
     "另一套权重：代码相同的模型（例如 'egdi model weights ahp' 写出的 AHP 权重）；可"
     "重复；隐含 --weights "
     "sets"},
    {"each indicator scored by a normalisation rule (goalpost, minmax, "
     "zscore, rank, target, ratio, likert) drawn among its own and RULES "
     "(comma list) that it can take; CODE=RULES for one indicator; "
     "repeatable",
     "每个指标的标准化规则（goalpost、minmax、zscore、rank、target、ratio、likert）从"
     "其本身的规则和它能用的 "
     "RULES（逗号分隔）中抽取；CODE=RULES 只针对一个指标；可重复"},
    {"draw the aggregation: arithmetic or geometric (refused when a score is "
     "0)",
     "抽取聚合方式：算术或几何（有得分为 0 时拒绝）"},
    {"draw the missing-data policy among the model's and POLICIES (reweight, "
     "mean, median, zero; comma list)",
     "从模型的缺失值处理方式和 POLICIES（reweight、mean、median、zero；逗号分隔）中抽取"},
    {"every raw value times 1 + E z, z standard normal (0.05 = a 5 % "
     "relative error)",
     "每个原始值乘以 1 + E z，z 为标准正态（0.05 = 5 % 的相对误差）"},
    {"each indicator computed from a survey drawn from its sampling "
     "distribution, N(value, SE^2), with the SE stored with the score run "
     "(refused when the model has none)",
     "每个由问卷计算的指标从其抽样分布 N(值, SE^2) 抽取，SE 取自评分记录中保存的值（模"
     "型没有问卷指标时拒绝）"},
    {"the seed of the random draws (default 1)",
     "随机抽样的种子（默认 1）"},
    {"the draws: GSL's quasi-random Sobol sequence (up to 40 dimensions) or "
     "MT19937; auto (the default) takes Sobol when the draws fit",
     "抽样方法：GSL 的准随机 Sobol 序列（最多 40 维）或 MT19937；auto（默认）在维数允许时用 Sobol"},
    {"threads (default: the processors online)",
     "线程数（默认：在线处理器数）"},
    {"the units ranked (default department)",
     "参与排名的单位类型（默认 department）"},
    {"rank the scores rounded to N decimals (default: the model's)",
     "按保留 N 位小数的得分排名（默认取模型设置）"},
    {"which assumption moves the ranking: Sobol indices and leave-one-out",
     "哪个假设影响排名：Sobol 指数与逐一剔除"},
    {"Each assumption named is one input of the Sobol analysis (all its "
     "weights or rules together). The indices are for the mean absolute rank "
     "shift against the official ranking and for each unit's score; an "
     "output that does not vary has none. The leave-one-out table needs no "
     "assumption. CSV: the leave-one-out table without assumptions, else the "
     "indices. JSON keys: docs/uncertainty.md.",
     "指定的每个假设是 Sobol "
     "分析的一个输入（其全部权重或规则作为一组）。指数针对相对正式排名的平均绝对名次偏"
     "移和每个单位的得分；不变化的输出没有指数。逐一剔除表不需要假设。CSV：没有假设时"
     "为逐一剔除表，否则为指数。JSON "
     "键：docs/uncertainty.md。"},
    {"the base sample N: N (d + 2) runs for d assumptions (default 2048; a "
     "power of 2 suits the Sobol sequence)",
     "基础样本量 N：d 个假设共 N (d + 2) 次运行（默认 2048；2 的幂适合 Sobol 序列）"},
    {"bootstrap resamples for the intervals (default 1000; 0 = none)",
     "区间的 bootstrap 重抽样次数（默认 1000；0 = 不做）"},
    {"the intervals' level (default 0.95)",
     "区间的置信水平（默认 0.95）"},
    {"intervals for this unit's indices too; repeatable",
     "同时给出该单位指数的区间；可重复"},
    {"the names of indicators (default zh)",
     "指标名称的语言（默认 zh）"},
};

const size_t cli_tr_help_n = sizeof cli_tr_help / sizeof *cli_tr_help;
