/*
 * survey_help.h - the tables of `egdi survey`: its subcommands and the
 * options of each, from which both the getopt_long arrays (cmd_survey.c and
 * the survey_*.c files) and the text of `egdi survey --help` (SURVEY_HELP,
 * for the command table in main.c) are generated.  An option cannot be
 * parsed without its help line, nor documented without being parsed.
 *
 * An option row is X(CODE, "name", " ARG", PAD, "help"): CODE its getopt
 * code, " ARG" the argument's name ("" for a flag: no_argument), PAD the
 * spaces that line the help text up at column 23 ("" when the help starts
 * on the next line), "help" the text (lines after the first indented by 23
 * spaces).  A subcommand row is X(name, PAD, "summary", OPTIONS, "notes"):
 * OPTIONS the macro of its own option rows (SURVEY_NO_OPTIONS for none),
 * "notes" the conventions it follows.
 */
#ifndef EGDI_SURVEY_HELP_H
#define EGDI_SURVEY_HELP_H

/* Options of every subcommand (codes 0x1000...). */
#define SURVEY_COMMON_OPTIONS(X) \
    X(OPT_DATA, "data", " FILE", "          ", \
      "a CSV or XLSX file; the first non-empty row holds the item codes\n") \
    X(OPT_SHEET, "sheet", " S", "            ", \
      "XLSX sheet name or number (default the first)\n") \
    X(OPT_ENCODING, "encoding", " E", "         ", \
      "CSV text: auto (default), utf-8 or gbk\n") \
    X(OPT_SURVEY, "survey", " NAME", "        ", \
      "a survey imported with 'egdi import survey' (its items, reverse keys,\n" \
      "                       dimensions, scale and answer labels come with it)\n") \
    X(OPT_ITEMS, "items", " LIST", "         ", \
      "items: ranges in sheet order and names, e.g. A1-A5,B2,C1-C3\n" \
      "                       (names exact, else ignoring case; an item listed twice is an\n" \
      "                       error); default: the items of --scales, else the stored\n" \
      "                       survey's items, else every column whose values are all\n" \
      "                       numbers (id and code columns too: name the items to leave\n" \
      "                       them out)\n") \
    X(OPT_REVERSE, "reverse", " LIST", "       ", \
      "reverse-keyed items (same syntax); needs --scale\n") \
    X(OPT_SCALE, "scale", " MIN-MAX", "      ", \
      "the answer scale, e.g. 1-5: reversed = MIN + MAX - x, and an\n" \
      "                       answer outside it is an error naming its cell (psych reverses\n" \
      "                       with the observed max + min: the same when every answer\n" \
      "                       occurs); default: the stored survey's\n") \
    X(OPT_SCALES, "scales", " FILE", "        ", \
      "named scales: a table with columns scale, item, reversed (as\n" \
      "                       'egdi import survey --scales' takes it); default: the stored\n" \
      "                       survey's dimensions\n") \
    X(OPT_LABELS, "labels", " FILE|LIST", "   ", \
      "answer labels: a file of rows value,label (as 'egdi import\n" \
      "                       survey --labels' takes it) or \"1=非常不同意,...,5=非常同意\":\n" \
      "                       a text answer equal to a label counts as its value, as the\n" \
      "                       import reads it (another text is an error naming its cell);\n" \
      "                       describe prints the labels; default: the stored survey's\n") \
    X(OPT_MISSING, "missing", " listwise|pairwise", "", \
      "\n                       listwise (default, as SPSS: rows answering every item\n" \
      "                       analysed; per scale for alpha) or pairwise covariances\n" \
      "                       (psych::alpha's default); the n used is printed\n") \
    X(OPT_FORMAT, "format", " table|csv|json", "", \
      "\n                       the output (JSON keys: docs/survey-json.md)\n") \
    X(OPT_LANG, "lang", " zh|en", "         ", \
      "headings (default zh)\n") \
    X(OPT_MAX_UNZIPPED, "max-unzipped", " SIZE", "  ", \
      "XLSX zip-bomb limit: bytes inflated per entry (default 4G)\n") \
    X(OPT_MAX_RATIO, "max-ratio", " N", "        ", \
      "XLSX zip-bomb limit: inflated / compressed size (default 1000)\n")

#define SURVEY_NO_OPTIONS(X)

#define SURVEY_DESCRIBE_OPTIONS(X) \
    X(OPT_ISSUED, "issued", " N", "           ", \
      "response rate = valid / issued; valid = rows answering every item\n") \
    X(OPT_TYPE, "type", " 2|3", "           ", \
      "skewness/kurtosis in the table: 2 = SPSS/SAS/Excel (G1, G2;\n" \
      "                       default, with SPSS's standard errors), 3 = R psych::describe's\n" \
      "                       default (b1, b2); JSON has both\n")

#define SURVEY_ITEMS_OPTIONS(X) \
    X(OPT_TAIL, "tail", " SHARE", "         ", "share of respondents per group (default 0.27)\n") \
    X(OPT_MIN_CR, "min-cr", " CR", "          ", "keep an item with CR >= this (default 3)\n") \
    X(OPT_MIN_R, "min-r", " R", "            ", \
      "... and corrected item-total r >= this (default 0.4)\n")

#define SURVEY_TTEST_OPTIONS(X) \
    X(OPT_Y, "y", " COLUMN|SCALE", "     ", "the variable: a column, or a scale scored as the mean of\n" \
      "                       its keyed items\n") \
    X(OPT_GROUP, "group", " COLUMN", "       ", "independent samples: the two groups\n") \
    X(OPT_LEVELS, "levels", " A,B", "         ", "the two groups of --group to compare\n") \
    X(OPT_PAIRED, "paired", " X,Y", "         ", "paired samples: two columns or scales\n") \
    X(OPT_PAIR_ID, "pair-id", " COLUMN", "     ", \
      "paired long data: --y by --group --levels A,B matched on this id\n") \
    X(OPT_MU, "mu", " M", "               ", "one sample: the test value\n") \
    X(OPT_CONF, "conf", " LEVEL", "         ", "confidence level of the intervals (default 0.95)\n")

#define SURVEY_ANOVA_OPTIONS(X) \
    X(OPT_Y, "y", " COLUMN|SCALE", "     ", "the variable: a column or a scale\n") \
    X(OPT_GROUP, "group", " COLUMN", "       ", "the groups\n")

#define SURVEY_EFA_OPTIONS(X) \
    X(OPT_EXTRACT, "extract", " pca|paf|ml", " ", \
      "principal components, principal axis from SMCs (default), or\n" \
      "                       maximum likelihood (factanal)\n") \
    X(OPT_FACTORS, "factors", " K|kaiser|parallel", "", \
      "\n                       K factors, eigenvalue > 1 (default), or above the 95th\n" \
      "                       percentile of random data (parallel analysis)\n") \
    X(OPT_ROTATE, "rotate", " none|varimax|promax|oblimin", "", \
      "\n                       varimax (default; Kaiser-normalized), promax (power 4),\n" \
      "                       oblimin as psych (not normalized)\n") \
    X(OPT_PSYCH, "psych-defaults", "", "     ", "R's early stops (psych's min.err 0.001, varimax eps 1e-5)\n") \
    X(OPT_TOL, "tol", " T", "              ", "paf convergence on any communality (default 1e-10)\n") \
    X(OPT_ROT_TOL, "rot-tol", " T", "          ", "rotation convergence (default 1e-12)\n") \
    X(OPT_MAX_ITER, "max-iter", " N", "         ", "iteration limit of extraction and rotation\n") \
    X(OPT_SEED, "seed", " N", "             ", "parallel analysis random seed (default 1)\n") \
    X(OPT_REPS, "parallel-reps", " N", "    ", "parallel analysis replications (default 100)\n") \
    X(OPT_QUANTILE, "quantile", " Q", "         ", "parallel analysis quantile (default 0.95)\n") \
    X(OPT_BLANK, "blank", " B", "            ", "blank loadings below B in the table (e.g. 0.3)\n") \
    X(OPT_SCORES, "scores", " FILE", "        ", "write regression factor scores (source row first)\n")

#define SURVEY_SUBCOMMANDS(X) \
    X(describe, " ", "item descriptives, frequency tables, response rate", SURVEY_DESCRIBE_OPTIONS, \
      "  Every answer of an item counts (no listwise deletion).  Frequency tables show\n" \
      "  the answers as given, with their labels; a reverse-keyed item is marked (R)\n" \
      "  and its mean, sd, min, max, skewness and kurtosis are of the reversed answers\n" \
      "  (MIN + MAX - x), the scale the other subcommands analyse.\n") \
    X(items, "    ", "item analysis by critical ratio (决断值)", SURVEY_ITEMS_OPTIONS, \
      "  High/low groups, Levene, pooled and Welch t, CR, item-total r, alpha if\n" \
      "  deleted, keep/drop.  Cuts are SPSS percentiles (HAVERAGE = R quantile type 6);\n" \
      "  respondents at a cut belong to the group; Levene is mean-centred (SPSS); the\n" \
      "  CR is the Welch t when Levene's p < .05, else the pooled t; keep = CR >= min-cr,\n" \
      "  p < .05 and corrected item-total r >= min-r.  Complete answers only.\n") \
    X(alpha, "    ", "Cronbach's alpha overall and per scale, item-total statistics", \
      SURVEY_NO_OPTIONS, \
      "  Raw and standardized alpha for all items and for each scale; listwise deletion\n" \
      "  per scale (SPSS RELIABILITY run on each scale), or --missing pairwise (psych).\n") \
    X(ttest, "    ", "independent, paired and one-sample t-tests", SURVEY_TTEST_OPTIONS, \
      "  Independent (--y --group [--levels A,B]), paired (--paired X,Y or --y --group\n" \
      "  --pair-id ID --levels A,B), one-sample (--y --mu M).  Levene mean-centred;\n" \
      "  pooled and Welch rows; Cohen's d with the pooled sd (one-sample / paired: mean\n" \
      "  difference / sd).  The CI is of the mean difference (SPSS); R's one-sample\n" \
      "  t.test prints it plus mu.\n") \
    X(anova, "    ", "one-way ANOVA with Levene's test", SURVEY_ANOVA_OPTIONS, \
      "  F, df, p, eta squared, group descriptives, Levene (mean-centred).\n") \
    X(kmo, "      ", "KMO, per-item MSA, Bartlett's test of sphericity", SURVEY_NO_OPTIONS, \
      "  psych::KMO, cortest.bartlett (n = the rows used); ln p when p underflows;\n" \
      "  the determinant of the correlation matrix.\n") \
    X(efa, "      ", "exploratory factor analysis: pca|paf|ml, rotations, scores", SURVEY_EFA_OPTIONS, \
      "  Full convergence by default; --psych-defaults = R's early stops.  Factors sorted\n" \
      "  by SS loadings; signs so loadings sum to >= 0.  Details: docs/factor-json.md.\n")

/* ---- the help text ---------------------------------------------------- */

#define SURVEY_HELP_OPTION(code, name, arg, pad, help) "  --" name arg pad help
#define SURVEY_HELP_SUMMARY(name, pad, summary, options, notes) "  " #name pad " " summary "\n"
#define SURVEY_HELP_SUB(name, pad, summary, options, notes) \
    "\n" #name ":\n" options(SURVEY_HELP_OPTION) notes

/* The text, defined once in cmd_survey.c (it is longer than the 4095 bytes
 * ISO C promises for one string literal); main.c's table points at it. */
extern const char survey_help_text[];
#define SURVEY_HELP survey_help_text

#define SURVEY_HELP_TEXT \
    "subcommands:\n" \
    SURVEY_SUBCOMMANDS(SURVEY_HELP_SUMMARY) \
    "\noptions of every subcommand:\n" \
    SURVEY_COMMON_OPTIONS(SURVEY_HELP_OPTION) \
    "  --y of ttest and anova may name a scale (of --scales or the stored survey).\n" \
    SURVEY_SUBCOMMANDS(SURVEY_HELP_SUB) \
    "\nJSON keys: docs/survey-json.md, docs/factor-json.md\n"

/* ---- the getopt tables -------------------------------------------------- */

#define SURVEY_OPT_CODE(code, name, arg, pad, help) code,
#define SURVEY_OPT_ENTRY(code, name, arg, pad, help) \
    {name, sizeof(arg) > 1 ? required_argument : no_argument, NULL, code},

#endif
