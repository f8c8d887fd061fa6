#!/usr/bin/env python3
"""robust.py OUTDIR - writes the hostile files tests/cli/robust.sh feeds to
egdi (issue 19; built at test time, none committed)."""
import os
import sys
import zipfile

out = sys.argv[1]
NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
ROOT_RELS = ('<Relationships><Relationship Id="rId1" Type="' + NS + '/officeDocument" '
             'Target="xl/workbook.xml"/></Relationships>')
BOOK = ('<workbook xmlns:r="' + NS + '"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/>'
        '</sheets></workbook>')
BOOK_RELS = ('<Relationships><Relationship Id="rId1" Type="' + NS + '/worksheet" '
             'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="' + NS +
             '/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
HEAD = ('<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>kind</t></is></c>'
        '<c r="D1" t="inlineStr"><is><t>level</t></is></c></row>')


def istr(ref, text):
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)


def xlsx(name, rows, sst=None, stored=False):
    """A units workbook: the header row, then rows (sheet XML)."""
    sheet = '<worksheet><sheetData>%s</sheetData></worksheet>' % (HEAD + rows)
    entries = [('_rels/.rels', ROOT_RELS), ('xl/workbook.xml', BOOK),
               ('xl/_rels/workbook.xml.rels', BOOK_RELS), ('xl/worksheets/sheet1.xml', sheet)]
    if sst is not None:
        entries.append(('xl/sharedStrings.xml', sst))
    path = os.path.join(out, name)
    kind = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, 'w', kind) as z:
        for p, d in entries:
            info = zipfile.ZipInfo(p, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = kind
            z.writestr(info, d)
    return path


def unit(r, level):
    return '<row r="%d">%s%s%s%s</row>' % (r, istr('A%d' % r, 'D1'), istr('B%d' % r, 'one'),
                                            istr('C%d' % r, 'department'), level)
