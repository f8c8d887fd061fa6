#!/usr/bin/env python3
"""make.py OUTDIR - writes the hostile files tests/cli/limits.sh feeds to
`egdi import` and `egdi survey` (built at test time, none committed)."""
import os
import struct
import sys
import zipfile
import zlib

out = sys.argv[1]
NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
ROOT_RELS = ('<Relationships><Relationship Id="rId1" Type="' + NS + '/officeDocument" '
             'Target="xl/workbook.xml"/></Relationships>')
BOOK = ('<workbook xmlns:r="' + NS + '"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/>'
        '</sheets></workbook>')
BOOK_RELS = ('<Relationships><Relationship Id="rId1" Type="' + NS + '/worksheet" '
             'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="' + NS +
             '/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
UNITS_HEAD = ('<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>kind</t></is></c></row>')


def unit_row(r, code, name):
    return ('<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c>'
            '<c r="B%d" t="inlineStr"><is><t>%s</t></is></c>'
            '<c r="C%d" t="inlineStr"><is><t>department</t></is></c></row>'
            % (r, r, code, r, name, r))


def sheet(rows, head='', dim='A1:C2'):
    return (head + '<worksheet><dimension ref="%s"/><sheetData>%s</sheetData></worksheet>'
            % (dim, rows))


def xlsx(name, sheet_xml, sst=None, book=BOOK, extra=(), level=6):
    entries = [('_rels/.rels', ROOT_RELS), ('xl/workbook.xml', book),
               ('xl/_rels/workbook.xml.rels', BOOK_RELS),
               ('xl/worksheets/sheet1.xml', sheet_xml)]
    if sst is not None:
        entries.append(('xl/sharedStrings.xml', sst))
    entries += list(extra)
    path = os.path.join(out, name)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for p, d in entries:
            info = zipfile.ZipInfo(p, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, d)
    return path


def good_units():
    return UNITS_HEAD + unit_row(2, 'D1', 'one')


# a survey sheet of 40,000 respondents (about 4 MB of XML, ratio about 20)
rows = ['<row r="1"><c r="A1" t="inlineStr"><is><t>Q1</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Q2</t></is></c></row>']
for i in range(2, 40002):
    rows.append('<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>'
                % (i, i, 1 + i * 7 % 5, i, 1 + i * 3 % 5))
big = xlsx('big_survey.xlsx', sheet(''.join(rows), dim='A1:B40001'))

# the same sheet whose zip headers say it inflates to 1,000 bytes
data = bytearray(open(big, 'rb').read())
name = b'xl/worksheets/sheet1.xml'
pos = 0
while True:
    pos = data.find(b'PK\x03\x04', pos)
    if pos < 0:
        break
    nlen = struct.unpack_from('<H', data, pos + 26)[0]
    if data[pos + 30:pos + 30 + nlen] == name:
        struct.pack_into('<I', data, pos + 22, 1000)
    pos += 4
pos = 0
while True:
    pos = data.find(b'PK\x01\x02', pos)
    if pos < 0:
        break
    nlen = struct.unpack_from('<H', data, pos + 28)[0]
    if data[pos + 46:pos + 46 + nlen] == name:
        struct.pack_into('<I', data, pos + 24, 1000)
    pos += 4
open(os.path.join(out, 'lying_size.xlsx'), 'wb').write(bytes(data))

# a classic ratio bomb: 20 MB of blanks inside sheetData
xlsx('ratio_bomb.xlsx', sheet(UNITS_HEAD + ' ' * (20 << 20) + unit_row(2, 'D1', 'one')),
     level=9)

# DTDs and entity expansion in each XML part
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
xlsx('dtd_sst.xlsx', sheet(UNITS_HEAD + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'),
     sst=LAUGHS + '<sst><si><t>&lol3;</t></si></sst>')
xlsx('dtd_book.xlsx', sheet(good_units()), book=LAUGHS + BOOK.replace('<workbook', '<workbook', 1))
xlsx('dtd_sheet.xlsx', sheet(UNITS_HEAD + unit_row(2, '&lol3;', 'x'), head=LAUGHS))
# an external entity (file disclosure)
xlsx('xxe.xlsx', sheet(UNITS_HEAD + unit_row(2, '&x;', 'x'),
                       head='<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM '
                            '"file:///etc/passwd">]>'))

# deep nesting: in the sheet and in the shared strings
xlsx('deep_sheet.xlsx', sheet(UNITS_HEAD + '<row r="2">' + '<x>' * 100000 + '</x>' * 100000
                              + '</row>'))
xlsx('deep_sst.xlsx', sheet(UNITS_HEAD + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'),
     sst='<sst><si>' + '<r>' * 100000 + '</r>' * 100000 + '</si></sst>')

# dimensions and references
xlsx('huge_dim.xlsx', sheet(good_units(), dim='A1:XFD1048576'))
xlsx('row_beyond.xlsx', sheet(UNITS_HEAD + '<row r="1048577"><c r="A1048577" t="inlineStr">'
                              '<is><t>D1</t></is></c></row>'))
xlsx('ref_beyond.xlsx', sheet(UNITS_HEAD + '<row r="2"><c r="XFE2"><v>1</v></c></row>'))
xlsx('ref_huge.xlsx', sheet(UNITS_HEAD + '<row r="2"><c r="A99999999999999999999"><v>1</v>'
                            '</c></row>'))
# a shared-strings count far beyond what the part holds
xlsx('sst_count.xlsx', sheet(UNITS_HEAD + '<row r="2"><c r="A2" t="s"><v>0</v></c>'
                             '<c r="B2" t="s"><v>1</v></c><c r="C2" t="inlineStr"><is><t>'
                             'department</t></is></c></row>'),
     sst='<sst count="4294967295" uniqueCount="4294967295"><si><t>D1</t></si>'
         '<si><t>one</t></si></sst>')
# an index into the shared strings beyond them
xlsx('sst_index.xlsx', sheet(UNITS_HEAD + '<row r="2"><c r="A2" t="s"><v>4000000000</v></c>'
                             '</row>'), sst='<sst count="1"><si><t>D1</t></si></sst>')

# text over 32,767 characters: shared string, inline string, CSV cell
long_name = '长' * 32768
xlsx('long_sst.xlsx', sheet(UNITS_HEAD + '<row r="2"><c r="A2" t="inlineStr"><is><t>D1</t></is>'
                            '</c><c r="B2" t="s"><v>0</v></c></row>'),
     sst='<sst count="1"><si><t>' + long_name + '</t></si></sst>')
xlsx('long_inline.xlsx', sheet(UNITS_HEAD + unit_row(2, 'D1', long_name)))
xlsx('max_inline.xlsx', sheet(UNITS_HEAD + unit_row(2, 'D1', '长' * 32767)))
with open(os.path.join(out, 'long_cell.csv'), 'w', encoding='utf-8') as f:
    f.write('code,name,kind\nD1,%s,department\n' % long_name)

# more columns than a sheet may have (16,384)
with open(os.path.join(out, 'wide.csv'), 'w') as f:
    f.write('unit,' + ','.join('C%d' % i for i in range(16385)) + '\n')
    f.write('D1,' + ','.join('1' for _ in range(16385)) + '\n')

# files that are not what their extension says
with open(os.path.join(out, 'text.xlsx'), 'w') as f:
    f.write('code,name,kind\nD1,one,department\n')
with open(os.path.join(out, 'binary.csv'), 'wb') as f:
    f.write(b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR' + bytes(range(256)) * 8)
with open(os.path.join(out, 'gzip.xlsx'), 'wb') as f:
    f.write(zlib.compress(b'code,name,kind\n' * 100))

# path-like entry names
for tag, bad in (('abs', '/etc/egdi-evil'), ('dots', 'xl/../../evil.txt'),
                 ('backslash', '..\\..\\evil.txt'), ('drive', 'C:/evil.txt')):
    xlsx('path_%s.xlsx' % tag, sheet(good_units()), extra=[(bad, 'x')])
