/*
 * survey_help.h - the text of `egdi survey --help` (for the command table in
 * main.c).  Kept here so that main.c stays one line per command.
 */
#ifndef EGDI_SURVEY_HELP_H
#define EGDI_SURVEY_HELP_H

#define SURVEY_HELP \
    "subcommands:\n" \
    "  describe  n, missing, mean, sd, min, max, skewness, kurtosis per item; frequency\n" \
    "            tables; response rate with --issued N\n" \
    "  items     item analysis by critical ratio (决断值): high/low groups, Levene,\n" \
    "            pooled and Welch t, CR, item-total r, alpha if deleted, keep/drop\n" \
    "  alpha     Cronbach's alpha raw and standardized, overall and per scale, with\n" \
    "            item-total statistics\n" \
    "  ttest     independent (--y --group [--levels A,B]), paired (--paired X,Y or\n" \
    "            --y --group --pair-id ID --levels A,B), one-sample (--y --mu M)\n" \
    "  anova     one-way ANOVA (--y --group): F, df, p, eta squared, groups, Levene\n" \
    "  kmo       KMO and per-item MSA (anti-image), Bartlett's test, determinant\n" \
    "  efa       exploratory factor analysis (see below)\n" \
    "\n" \
    "data (every subcommand):\n" \
    "  --data FILE          a CSV or XLSX file; the first non-empty row holds the item codes\n" \
    "  --sheet S            XLSX sheet name or number (default the first)\n" \
    "  --encoding E         CSV text: auto (default), utf-8 or gbk\n" \
    "  --survey NAME        a stored survey (not available yet)\n" \
    "  --items LIST         items: ranges in sheet order and names, e.g. A1-A5,B2,C1-C3\n" \
    "                       (names exact, else ignoring case; an item listed twice is an\n" \
    "                       error); default: the items of --scales, else every column\n" \
    "                       whose values are all numbers (id and code columns too:\n" \
    "                       name the items to leave them out)\n" \
    "  --reverse LIST       reverse-keyed items (same syntax); needs --scale\n" \
    "  --scale MIN-MAX      the answer scale, e.g. 1-5: reversed = MIN + MAX - x, and an\n" \
    "                       answer outside it is an error (psych reverses with the\n" \
    "                       observed max + min: the same when every answer occurs)\n" \
    "  --scales FILE        named scales: a table with columns scale, item, reversed\n" \
    "  --missing listwise|pairwise  listwise (default, as SPSS) or pairwise covariances\n" \
    "                       (psych::alpha's default); the n used is printed\n" \
    "  --format table|csv|json      --lang zh|en (headings; default zh)\n" \
    "  --max-unzipped 4G --max-ratio 1000\n" \
    "\n" \
    "describe:  --issued N (response rate = valid / issued; valid = rows answering every\n" \
    "           item); --labels \"1=非常不同意,...,5=非常同意\" value labels in the\n" \
    "           frequency tables; --type 2|3 skewness/kurtosis in the table: 2 = SPSS/SAS/Excel\n" \
    "           (G1, G2; default, with SPSS's standard errors), 3 = R psych::describe's\n" \
    "           default (b1, b2); JSON has both (skewness, kurtosis = type 2;\n" \
    "           skewness_type3, kurtosis_type3)\n" \
    "items:     --tail 0.27 (share per group), --min-cr 3, --min-r 0.4. Cuts are SPSS\n" \
    "           percentiles (HAVERAGE = R quantile type 6); respondents at a cut belong\n" \
    "           to the group; Levene is mean-centred (SPSS); the CR is the Welch t when\n" \
    "           Levene's p < .05, else the pooled t; keep = CR >= min-cr, p < .05 and\n" \
    "           corrected item-total r >= min-r. Complete answers only.\n" \
    "alpha:     listwise deletion per scale (SPSS), or --missing pairwise (psych)\n" \
    "ttest:     --conf 0.95; Levene mean-centred; pooled and Welch rows; Cohen's d with\n" \
    "           the pooled sd (one-sample / paired: mean difference / sd). The CI is of\n" \
    "           the mean difference (SPSS); R's one-sample t.test prints it plus mu\n" \
    "kmo:       psych::KMO, cortest.bartlett; ln p when p underflows\n" \
    "efa:       --extract pca|paf|ml (paf: principal axis from SMCs; ml: factanal)\n" \
    "           --factors K|kaiser|parallel (eigenvalue > 1 | above the 95th\n" \
    "           percentile of random data, --seed 1) --rotate none|varimax|promax|\n" \
    "           oblimin (varimax; Kaiser-normalized; oblimin as psych: not normalized)\n" \
    "           Full convergence by default (paf --tol 1e-10 on any communality,\n" \
    "           varimax 1e-12 on the rotation); --psych-defaults = R's early stops.\n" \
    "           Factors sorted by SS loadings; signs so loadings sum to >= 0.\n" \
    "           --blank 0.3 (table only) --scores FILE; details: docs/factor-json.md\n" \
    "--y may name a scale of --scales: its score is the mean of its keyed items\n" \
    "\n" \
    "JSON keys: docs/survey-json.md\n"

#endif
