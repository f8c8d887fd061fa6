#!/usr/bin/env python3
"""make_odd.py - writes the small hand-built .xlsx files of this folder
(cases no normal writer produces).  Run once from this folder; the outputs
are committed.  Each zip gets a fixed timestamp so reruns give the same bytes.
"""
import zipfile
import zlib

ROOT_RELS = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
             'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
             'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
             'Target="xl/workbook.xml"/></Relationships>')
BOOK = ('<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships">{pr}<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets>'
        '</workbook>')
BOOK_RELS = ('<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
             '2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId3" '
             'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"'
             ' Target="theme/theme1.xml"/></Relationships>')
STYLES = ('<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/m/d h:mm"/>'
          '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/>'
          '<xf numFmtId="10"/></cellXfs></styleSheet>')


def write(name, entries, level=zlib.Z_DEFAULT_COMPRESSION):
    with zipfile.ZipFile(name, 'w', zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for path, data in entries:
            info = zipfile.ZipInfo(path, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def book(sheet, pr=''):
    return [('_rels/.rels', ROOT_RELS), ('xl/workbook.xml', BOOK.format(pr=pr)),
            ('xl/_rels/workbook.xml.rels', BOOK_RELS), ('xl/styles.xml', STYLES),
            ('xl/worksheets/sheet1.xml', sheet)]


def sheet(data):
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet><dimension ref="A1"/>'
            '<sheetData>' + data + '</sheetData></worksheet>')


# rows and cells without r, a lying dimension, inline rich text, entities,
# _xHHHH_ escapes, error cells, an ISO date cell, 1904 dates
write('odd.xlsx', book(sheet(
    '<row><c t="inlineStr"><is><t>unit</t></is></c><c t="inlineStr"><is><t>note</t></is></c>'
    '<c t="inlineStr"><is><t>when</t></is></c><c t="inlineStr"><is><t>share</t></is></c></row>'
    '<row><c t="inlineStr"><is><t>U1</t></is></c><c t="inlineStr"><is><r><t>R&amp;D </t></r>'
    '<r><rPr><b/></rPr><t>line1_x000D__x000A_line2</t></r><rPh><t>x</t></rPh></is></c>'
    '<c s="1"><v>0.5</v></c><c s="2"><v>0.25</v></c></row>'
    '<row r="5"><c r="A5" t="str"><v>&#x5317;&#20140; &lt;ok&gt;</v></c><c r="C5" t="d">'
    '<v>2024-03-01T12:00:00Z</v></c><c r="D5" t="e"><v>#DIV/0!</v></c></row>'),
    pr='<workbookPr date1904="1"/>'))
write('bad_doctype.xlsx', book(
    '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    '<worksheet><sheetData><row><c t="str"><v>&lol2;</v></c></row></sheetData></worksheet>'))
write('beyond_xfd.xlsx', book(sheet('<row r="2"><c r="XFE2"><v>1</v></c></row>')))
write('bad_utf8.xlsx', book(sheet('<row r="3"><c r="B3" t="str"><v>ok\xc3(</v></c></row>')
                            .encode('latin-1')))
write('not_xlsx.xlsx', [('readme.txt', 'this zip is not a workbook')])
write('evil_path.xlsx', book(sheet('<row><c><v>1</v></c></row>')) +
      [('../../evil.txt', 'x')])
with open('odd.xlsx', 'rb') as f:
    whole = f.read()
with open('truncated.xlsx', 'wb') as f:
    f.write(whole[:len(whole) * 2 // 3])
# 1.5 GB of zeros would be a bomb; 16 MB of one byte deflates over 1000:1
write('bomb.xlsx', book(sheet('<row><c t="inlineStr"><is><t>' + 'a' * (16 << 20) +
                              '</t></is></c></row>')), level=9)
# a units table with shared strings, as Excel writes it (for the CLI tests)
SST = ('<sst count="14" uniqueCount="14">' + ''.join(
    '<si><t>%s</t></si>' % t for t in
    ['code', 'name', 'kind', 'parent', 'level', 'R1', '省本级', 'region', 'D01', '教育厅',
     'department', 'D02', '卫生健康委', 'R&amp;D 中心']) + '</sst>')
UNITS_RELS = BOOK_RELS.replace('</Relationships>', '<Relationship Id="rId4" Type="http://'
                               'schemas.openxmlformats.org/officeDocument/2006/relationships/'
                               'sharedStrings" Target="sharedStrings.xml"/></Relationships>')


def s(ref, i):
    return '<c r="%s" t="s"><v>%d</v></c>' % (ref, i)


write('units.xlsx', [('_rels/.rels', ROOT_RELS), ('xl/workbook.xml', BOOK.format(pr='')),
                     ('xl/_rels/workbook.xml.rels', UNITS_RELS), ('xl/styles.xml', STYLES),
                     ('xl/sharedStrings.xml', SST),
                     ('xl/worksheets/sheet1.xml', sheet(
                         '<row r="1">' + ''.join(s(c + '1', i) for i, c in enumerate('ABCDE')) +
                         '</row><row r="2">' + s('A2', 5) + s('B2', 6) + s('C2', 7) +
                         '<c r="E2"><v>1</v></c></row><row r="3">' + s('A3', 8) + s('B3', 9) +
                         s('C3', 10) + s('D3', 5) + '<c r="E3"><v>2</v></c></row>'
                         '<row r="4">' + s('A4', 11) + s('B4', 12) + s('C4', 10) + s('D4', 5) +
                         '<c r="E4"><v>2</v></c></row>'))])
