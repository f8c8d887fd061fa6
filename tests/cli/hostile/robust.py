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


BASE = istr('A2', 'D1') + istr('B2', 'one') + istr('C2', 'department')
# 8. cells: two values, an element inside a value, an inline string's <v>,
# a formula without a cached value (and one with it)
xlsx('two_v.xlsx', '<row r="2">%s<c r="D2"><v>5</v><v>6</v></c></row>' % BASE)
xlsx('v_b.xlsx', '<row r="2">%s<c r="D2"><v>5<b/>6</v></c></row>' % BASE)
xlsx('inline_v.xlsx', '<row r="2">%s<c r="B2" t="inlineStr"><v>one</v></c>%s</row>'
     % (istr('A2', 'D1'), istr('C2', 'department')))
xlsx('formula.xlsx', '<row r="2">%s<c r="D2"><f>1+2</f></c></row>' % BASE)
xlsx('formula_cached.xlsx', '<row r="2">%s<c r="D2"><f>1+2</f><v>3</v></c></row>' % BASE)

# 7. a sheet changed after it was saved: its CRC no longer matches (stored,
# and deflated in stored blocks, so that the change still inflates)
for name, level in (('crc_stored.xlsx', None), ('crc_deflated.xlsx', 0)):
    path = os.path.join(out, name)
    sheet = '<worksheet><sheetData>%s</sheetData></worksheet>' % (
        HEAD + '<row r="2">%s<c r="D2"><v>3</v></c></row>' % BASE)
    kind = zipfile.ZIP_STORED if level is None else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, 'w', kind, compresslevel=level) as z:
        for p, d in (('_rels/.rels', ROOT_RELS), ('xl/workbook.xml', BOOK),
                     ('xl/_rels/workbook.xml.rels', BOOK_RELS),
                     ('xl/worksheets/sheet1.xml', sheet)):
            z.writestr(p, d)
    data = bytearray(open(path, 'rb').read())
    i = data.find(b'>D1<')
    data[i + 1:i + 3] = b'X9'
    open(path, 'wb').write(bytes(data))

# 4. three million empty shared strings beside a one-row sheet (23 kB), and
# a real table of 70,000 distinct names (each used once)
xlsx('sst_bomb.xlsx', '<row r="2">%s</row>' % BASE, sst='<sst>' + '<si/>' * 3000000 + '</sst>')
rows = ['<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c>'
        '<c r="C%d" t="inlineStr"><is><t>department</t></is></c></row>'
        % (r, r, 2 * (r - 2), r, 2 * (r - 2) + 1, r) for r in range(2, 70002)]
strings = ''.join('<si><t>U%d</t></si><si><t>单位%d</t></si>' % (k, k) for k in range(70000))
xlsx('sst_many.xlsx', ''.join(rows), sst='<sst>' + strings + '</sst>')
