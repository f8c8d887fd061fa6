#!/usr/bin/env python3
"""List the command line's own error formats that stay English under --lang zh.

Every format string passed to cli_fail(cmd, fmt, ...) or cli_usage(cmd, fmt,
...) in cli/*.c is looked up by cli_tr() (cli/errors.c); one without an
{English, Chinese} pair in cli/i18n.c is printed as it is.  This prints those
formats, one a line: the number of call sites, the first file:line, the
format.  A format with no word of English but its conversions and option
names ("%s", "%s: %s", "--scores: %s") only passes a message through (a
library error, a text its caller translated) and is left out.

Usage: python3 tools/untranslated-errors.py   (from the top of the repo)
Exit status 0; the count of formats is the last line.
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


def table_keys():
    s = open('cli/i18n.c', encoding='utf-8').read()
    keys = set()
    for m in re.finditer(r'\{\s*"', s):
        r = literals(s, m.start() + 1)
        if r:
            keys.add(r[0])
    return keys


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
    return 0


if __name__ == '__main__':
    sys.exit(main())
