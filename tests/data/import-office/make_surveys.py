#!/usr/bin/env python3
"""make_surveys.py - writes the questionnaire files of this folder from
tests/data/survey/bfi25.csv and bfi.csv (psych::bfi, 2800 respondents): the way an office
exports them.  Run once from this folder; the outputs are committed.

survey_bfi.csv: the first 200 respondents (the 25 items of bfi25.csv,
gender, education and age of bfi.csv), a title row above the header, a
respondent id in the first column, the 25 items, gender, education, age,
and the id column again at the end (two sheets merged on it: the same
heading twice, used by nothing).  Answers people typed: N/A and — for no
answer (missing, never 0), and three mistakes: 7 and 9 on a 1-6 scale, and
"x".

survey_dups.csv: 问卷编号 and ten items; respondent 5 entered twice
(every cell the same) and id 8 given to two different respondents.
"""
import csv

items = list(csv.reader(open('../survey/bfi25.csv', encoding='utf-8')))
demo = list(csv.reader(open('../survey/bfi.csv', encoding='utf-8')))
head = items[0] + demo[0][-3:]
data = [a + b[-3:] for a, b in zip(items[1:201], demo[1:201])]
with open('survey_bfi.csv', 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['2024年度公务员问卷（大五人格，1-6分）'])
    w.writerow(['id'] + head + ['id'])
    for i, r in enumerate(data, start=1):
        r = list(r)
        if i == 3:
            r[0] = 'N/A'
        if i == 4:
            r[5] = '—'
        if i == 10:
            r[2] = '7'
        if i == 57:
            r[24] = '9'
        if i == 120:
            r[11] = 'x'
        w.writerow([str(6000 + i)] + r + [str(6000 + i)])

with open('survey_dups.csv', 'w', encoding='utf-8', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['问卷编号'] + ['Q%d' % k for k in range(1, 11)] + ['性别'])
    out = []
    for i, r in enumerate(data[:12], start=1):
        out.append([str(i)] + r[:10] + ['男' if i % 2 else '女'])
    out.insert(6, list(out[4]))          # respondent 5 again, row 8
    out[9][0] = '8'                       # the ninth respondent also numbered 8
    for r in out:
        w.writerow(r)
