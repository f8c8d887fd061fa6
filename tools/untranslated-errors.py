#!/usr/bin/env python3
"""List the error formats whose messages stay English under --lang zh.

Every format string passed to cli_fail(cmd, fmt, ...) or cli_usage(cmd, fmt,
...) in cli/*.c is looked up by cli_tr() (cli/errors.c); one without an
{English, Chinese} pair in cli/i18n.c is printed as it is.  This prints those
formats, one a line: the number of call sites, the first file:line, the
format.  A format with no word of English but its conversions and option
names ("%s", "%s: %s", "--scores: %s") only passes a message through (a
library error, a text its caller translated) and is left out.

Then the same for the engine's error formats: every format passed to
egdi_error_set(err, st, fmt, ...) in engine/, surveys/, indicators/ and
reports/, and to the helpers that pass theirs on to an error's text (see
ENGINE_CALLS).  The command line translates a message written from one
through the catalogue of cli/i18n_errors.c (cli/error_text.c); a format
without an entry there is printed, and the count of them is the last line.

Usage: python3 tools/untranslated-errors.py   (from the top of the repo)
Exit status 0; the count of engine formats is the last line.
"""
import glob
import re
import sys

SKIP = re.compile(r'\s*(?://[^\n]*\n\s*|/\*.*?\*/\s*)*', re.S)


def literals(s, i):
    """The adjacent C string literals from s[i] on, raw (escapes kept), and
    where they end; None when s[i] starts no literal."""
    out, got = '', False
    while True:
        j = SKIP.match(s, i).end()
        if j >= len(s) or s[j] != '"':
            return (out, i) if got else None
        k = j + 1
        while s[k] != '"':
            k += 2 if s[k] == '\\' else 1
        out, got, i = out + s[j + 1:k], True, k + 1


def table_keys(path='cli/i18n.c'):
    s = open(path, encoding='utf-8').read()
    keys = set()
    for m in re.finditer(r'\{\s*"', s):
        r = literals(s, m.start() + 1)
        if r:
            keys.add(r[0])
    return keys


def past_argument(s, k):
    """Where the argument that starts at s[k] ends (its ',' or ')')."""
    depth = 0
    while True:
        c = s[k]
        if c in '([':
            depth += 1
        elif c in ')]':
            if depth == 0:
                return k
            depth -= 1
        elif c == ',' and depth == 0:
            return k
        elif c == '"':
            k += 1
            while s[k] != '"':
                k += 2 if s[k] == '\\' else 1
        elif c == "'":
            k += 1
            while s[k] != "'":
                k += 2 if s[k] == '\\' else 1
        k += 1


# The engine's error formats: egdi_error_set(err, st, FMT, ...) and the
# helpers that pass their format on to it or to an error's text (a reader's
# located failure, an import's problem and rejected cell, a model's
# problem): the function and how many arguments come before FMT.
ENGINE_DIRS = ('engine', 'surveys', 'indicators', 'reports')
ENGINE_CALLS = {
    'egdi_error_set': (2,),
    'job_fail': (2,),        # engine/readers/xlsx.c
    'fail_at': (4,),         # engine/readers/csv.c
    'fail': (4,),            # engine/readers/xlsx_sheet.c
    'model_problem': (1,),   # indicators/model*.c
    'import_reject': (4,),   # engine/import/*.c
    'import_problem': (4,),
    'lex_fail': (2, 3),      # surveys/cfa_model.c: lex_fail(lx, st, "%s", "text")
    'add_part': (2,),        # indicators/survey_source.c: why a survey gate refused
    # what an import says besides its errors (issue 18: notes and warnings
    # read in the language too): its warnings, each column's note, the
    # header row's note
    'import_warn': (1,),     # engine/import/*.c
    'import_column_use': (4,),
    'set_header_note': (1,),
}


def engine_formats():
    """(file, line, format or None when the format is not a literal)"""
    files = sorted(f for d in ENGINE_DIRS for f in glob.glob(f'{d}/**/*.c', recursive=True))
    call = re.compile(r'\b(' + '|'.join(ENGINE_CALLS) + r')\(')
    for f in files:
        s = open(f, encoding='utf-8').read()
        for m in call.finditer(s):
            if re.search(r'\b(?:egdi_status|void|static)\s*$', s[:m.start()]):
                continue  # the definition or the declaration
            for i, at in enumerate(ENGINE_CALLS[m.group(1)]):
                yield from format_at(f, s, m, at, i > 0)


def format_at(f, s, m, at, text_only):
    """The format (or text) that is argument `at` of the call m; a text
    argument (text_only) that is not a literal (a name) is no format."""
    if True:
        if True:
            k = m.end()
            for _ in range(at):
                k = past_argument(s, k)
                if s[k] != ',':
                    break
                k += 1
            else:
                line = s.count('\n', 0, m.start()) + 1
                if re.match(r'\s*NULL\s*[,)]', s[k:]):
                    return  # no text (a column without a note)
                r = literals(s, k)
                if r and s[SKIP.match(s, r[1]).end()] in ',)':
                    yield f, line, r[0]
                    return
                # an expression: each literal in it ("a ? "x" : "y"")
                end, got, i = past_argument(s, k), False, k
                while i < end:
                    if s[i] == '"':
                        r = literals(s, i)
                        yield f, line, r[0]
                        got, i = True, r[1]
                    else:
                        i += 1
                if not got and not text_only:
                    yield f, line, None


# Why a cell's value is refused: texts the value readers and the imports'
# cell checks write (a "%s" of an import's problem): `*why = "..."`,
# `why ? why : "..."`, snprintf(why, size, FMT, ...) and what an indicator
# takes (snprintf(buf, size, FMT, ...) of egdi_import_indicator_describe).
REASON_FILES = ('engine/core/value.c', 'engine/readers/cell.c', 'engine/import/*.c')
REASON = re.compile(r'\*why\s*=\s*"|why \? why : "|snprintf\(why,\s*size,\s*"')


def reason_formats():
    files = sorted(f for g in REASON_FILES for f in glob.glob(g))
    for f in files:
        s = open(f, encoding='utf-8').read()
        for m in REASON.finditer(s):
            r = literals(s, m.end() - 1)
            if r and r[0] != '%s':
                yield f, s.count('\n', 0, m.start()) + 1, r[0]
    s = open('engine/import/catalogue.c', encoding='utf-8').read()
    for m in re.finditer(r'snprintf\(buf, size, "', s):
        r = literals(s, m.end() - 1)
        if r:
            yield 'engine/import/catalogue.c', s.count('\n', 0, m.start()) + 1, r[0]


def formats():
    """(file, line, format or None when the format is not a literal)"""
    for f in sorted(glob.glob('cli/*.c')):
        s = open(f, encoding='utf-8').read()
        for m in re.finditer(r'\bcli_(?:fail|usage)\(', s):
            depth, k = 0, m.end()
            while True:  # past the first argument
                c = s[k]
                if c in '([':
                    depth += 1
                elif c in ')]':
                    if depth == 0:
                        break
                    depth -= 1
                elif c == ',' and depth == 0:
                    break
                elif c == '"':
                    k += 1
                    while s[k] != '"':
                        k += 2 if s[k] == '\\' else 1
                k += 1
            if s[k] != ',' or re.search(r'\bint\s*$', s[:m.start()]):
                continue  # the definition or the declaration
            line = s.count('\n', 0, m.start()) + 1
            r = literals(s, k + 1)
            if r and s[SKIP.match(s, r[1]).end()] not in ',)':
                r = None  # a literal that is part of an expression
            yield f, line, r[0] if r else None


def main():
    keys = table_keys()
    engine_keys = table_keys('cli/i18n_errors.c')
    seen, count, first = {}, {}, {}
    for f, line, fmt in formats():
        key = fmt if fmt is not None else f'<not a literal: {f}:{line}>'
        count[key] = count.get(key, 0) + 1
        first.setdefault(key, f'{f}:{line}')
        seen[key] = fmt
    def words(k):
        return re.search(r'[A-Za-z]{2,}', re.sub(r'%[-+ #0-9.*]*[hlzjtL]*[a-zA-Z%]|--?[a-z][a-z-]*',
                                                 '', k))
    left = [k for k in count if seen[k] is None or (k not in keys and words(k))]
    for k in sorted(left, key=lambda k: (-count[k], first[k])):
        print(f'{count[k]}\t{first[k]}\t{k}')
    print(f'{len(left)} formats of {len(count)} stay English', file=sys.stdout)
    seen, count, first = {}, {}, {}
    for f, line, fmt in list(engine_formats()) + list(reason_formats()):
        key = fmt if fmt is not None else f'<not a literal: {f}:{line}>'
        count[key] = count.get(key, 0) + 1
        first.setdefault(key, f'{f}:{line}')
        seen[key] = fmt
    eleft = [k for k in count if seen[k] is None or (k not in engine_keys and words(k))]
    for k in sorted(eleft, key=lambda k: (-count[k], first[k])):
        print(f'{count[k]}\t{first[k]}\t{k}')
    print(f'{len(eleft)} engine error formats of {len(count)} stay English')
    return 0


if __name__ == '__main__':
    sys.exit(main())
