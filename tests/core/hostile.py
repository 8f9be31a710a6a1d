"""Hostile .xlsx files, built byte by byte: zip bombs, huge sheets, formulas, and non-workbooks.

A zip is written here by hand so that an entry's declared sizes can lie, and a bomb's deflate
stream is made of one compressed block repeated (a full flush resets the compressor, so the
block's bytes are the same each time): gigabytes of XML without ever holding them.
"""

import io
import os
import struct
import tracemalloc
import zipfile
import zlib

import pytest
from openpyxl import Workbook

from core.errors import DomainError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    b'+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
    f'<Relationship Id="rId1" Type="{DOCUMENT}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
).encode()
SHEET_START = (
    f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'
).encode()
SHEET_END = b"</sheetData></worksheet>"
# Row 4 of the person-day template: the header the upload looks for.
HEADER = (
    '<row r="4"><c r="A4" t="inlineStr"><is><t>序号</t></is></c>'
    '<c r="B4" t="inlineStr"><is><t>员工编号</t></is></c>'
    '<c r="G4" t="inlineStr"><is><t>人天</t></is></c></row>'
).encode()
GIB = 1024**3


def deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def repeated_deflate(head: bytes, block: bytes, count: int, tail: bytes) -> bytes:
    """The raw deflate stream of head + block × count + tail."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    middle = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    return start + middle * count + packer.compress(tail) + packer.flush()


def raw_zip(entries) -> bytes:
    """A zip of (name, raw deflate stream, declared unpacked size, declared CRC-32) entries."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, stream, size, crc in entries:
        encoded, offset = name.encode(), body.tell()
        body.write(
            struct.pack(
                "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(stream), size, len(encoded), 0
            )
        )
        body.write(encoded + stream)
        directory.write(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(stream),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        directory.write(encoded)
    listing = directory.getvalue()
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(listing), body.tell(), 0
    )
    return body.getvalue() + listing + end


def honest(name: str, data: bytes):
    return name, deflate(data), len(data), zlib.crc32(data)


def workbook_parts(sheets=("2026-10",)):
    listed = "".join(
        f'<sheet name="{title}" sheetId="{number}" r:id="rId{number}"/>'
        for number, title in enumerate(sheets, start=1)
    )
    targets = "".join(
        f'<Relationship Id="rId{number}" Type="{DOCUMENT}/worksheet" '
        f'Target="worksheets/sheet{number}.xml"/>'
        for number in range(1, len(sheets) + 1)
    )
    return [
        honest("[Content_Types].xml", CONTENT_TYPES),
        honest("_rels/.rels", PACKAGE_RELS),
        honest(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
            f'xmlns:r="{DOCUMENT}"><sheets>{listed}</sheets></workbook>'.encode(),
        ),
        honest(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELATIONSHIPS}">'
            f"{targets}</Relationships>".encode(),
        ),
    ]


def xlsx(*sheets: bytes, extra=()) -> bytes:
    """A minimal workbook of these worksheet XMLs, the first one active."""
    titles = [f"Sheet{number}" for number in range(1, len(sheets) + 1)]
    parts = workbook_parts(titles)
    parts += [honest(f"xl/worksheets/sheet{n}.xml", xml) for n, xml in enumerate(sheets, 1)]
    return raw_zip(parts + list(extra))


def sheet(rows: bytes, *, head=b"") -> bytes:
    """A worksheet of these <row> elements under the template's header row."""
    return SHEET_START.replace(b"<sheetData>", head + b"<sheetData>") + HEADER + rows + SHEET_END


def noise(size=3_000_000):
    """An incompressible image: it keeps a bomb under the ratio of unpacked to packed bytes."""
    return honest("xl/media/image1.png", os.urandom(size))


# Zip bombs ---------------------------------------------------------------------------------


def bomb(*, unpacked=2 * GIB, declared=None) -> bytes:
    """A sheet of `unpacked` bytes of blanks (about 2 MB packed), claiming `declared` bytes."""
    block = b" " * (1 << 20)
    stream = repeated_deflate(SHEET_START + HEADER, block, unpacked // len(block), SHEET_END)
    size = unpacked if declared is None else declared
    return raw_zip([*workbook_parts(), ("xl/worksheets/sheet1.xml", stream, size, 0)])


def many_entries(count=2_000) -> bytes:
    empty = deflate(b"")
    return xlsx(sheet(b""), extra=[(f"x/{n}", empty, 0, 0) for n in range(count)])


def shared_strings(count=500_000) -> bytes:
    """Half a million shared strings: openpyxl builds an object of each, and keeps its text."""
    strings = b"".join(b"<si><t>%d</t></si>" % number for number in range(count))
    table = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
    parts = workbook_parts()
    parts[0] = honest(
        "[Content_Types].xml",
        CONTENT_TYPES.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )
    parts += [
        honest("xl/worksheets/sheet1.xml", sheet(b"")),
        honest("xl/sharedStrings.xml", table + strings + b"</sst>"),
    ]
    return raw_zip(parts)


def styles(count=100_000) -> bytes:
    """A style sheet of 100,000 cell formats: openpyxl parses it whole, into objects."""
    formats = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' * count
    xml = f'<styleSheet xmlns="{MAIN}"><cellXfs count="{count}">'.encode()
    part = honest("xl/styles.xml", xml + formats + b"</cellXfs></styleSheet>")
    return xlsx(sheet(b""), extra=[part, noise()])


def many_sheets(count=5_000) -> bytes:
    """Thousands of sheets listing one part: openpyxl opens and reads it once for each."""
    listed = "".join(f'<sheet name="S{n}" sheetId="{n + 1}" r:id="rId1"/>' for n in range(count))
    parts = workbook_parts()
    parts[2] = honest(
        "xl/workbook.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
        f'xmlns:r="{DOCUMENT}"><sheets>{listed}</sheets></workbook>'.encode(),
    )
    return raw_zip([*parts, honest("xl/worksheets/sheet1.xml", sheet(rows_of(1_000)))])


# Huge sheets -------------------------------------------------------------------------------


def rows_of(count: int, first=5) -> bytes:
    return "".join(
        f'<row r="{n}"><c r="B{n}"><v>{n}</v></c><c r="G{n}"><v>1</v></c></row>'
        for n in range(first, first + count)
    ).encode()


def many_rows(count=200_000) -> bytes:
    return xlsx(sheet(rows_of(count)))


def far_row(*, header=True) -> bytes:
    """Row 1,048,576 (Excel's last) and a dimension of A1:XFD1048576, in a file of 1 KB."""
    row = b'<row r="1048576"><c r="A1048576"><v>1</v></c></row>'
    xml = sheet(row, head=b'<dimension ref="A1:XFD1048576"/>')
    return xlsx(xml if header else xml.replace(HEADER, b""))


def wide_row(cells=1_000_000) -> bytes:
    """One row of millions of cells: openpyxl holds a row whole while it parses it."""
    return xlsx(sheet(b'<row r="5">' + b'<c r="B5"/>' * cells + b"</row>"), extra=[noise()])


def repeated_row(count=3_000_000) -> bytes:
    """Millions of rows numbered 5: openpyxl yields none of them, yet parses them all."""
    return xlsx(sheet(b'<row r="5"/>' * count), extra=[noise()])


# Formulas ----------------------------------------------------------------------------------


def with_formula(cell=b'<c r="G5"><f>10+7.5</f><v>17.5</v></c>') -> bytes:
    """A formula with its cached value, as Excel saves it."""
    return xlsx(sheet(b'<row r="5"><c r="B5"><v>1</v></c>' + cell + b"</row>"))


def template_with_formula() -> bytes:
    """The person-day template as openpyxl writes it, with =G8+1 typed in G9."""
    workbook = Workbook()
    table = workbook.active
    table.append(["人天填报表"])
    table.append([])
    table.append([])
    table.append(["序号", "员工编号", "姓名", "岗位职责", "级别", "身份证号（脱敏）", "人天"])
    for number in range(1, 11):
        table.append([number, number, f"员工{number}", "技术支持", "高级", "", 17.5])
    table["G9"] = "=G8+1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Not workbooks -----------------------------------------------------------------------------


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def encrypted() -> bytes:
    """What Excel saves with a password: an OLE compound file (EncryptionInfo, EncryptedPackage)."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + struct.pack("<HH", 0x3E, 3)
    return header + b"\xfe\xff" + bytes(512 - len(header) - 2) + os.urandom(3584)


NOT_WORKBOOKS = {
    "random bytes": lambda: os.urandom(64 * 1024),
    "a text file": lambda: "员工编号,人天\n1,17.5\n".encode() * 50,
    "an empty file": lambda: b"",
    "a .docx renamed": docx,
    "an encrypted workbook": encrypted,
    "half a workbook": lambda: xlsx(sheet(rows_of(50)))[:700],
    "a sheet cut short": lambda: xlsx(SHEET_START + HEADER + b'<row r="5"><c r="B5"><v>1'),
    "a shared string that is not there": lambda: xlsx(
        sheet(b'<row r="5"><c r="B5" t="s"><v>99</v></c></row>')
    ),
    "a sheet in UTF-16": lambda: xlsx(sheet(rows_of(3)).decode().encode("utf-16")),
    "a sheet with a DTD": lambda: xlsx(
        b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaa">]>'
        + sheet(b"").replace(b'<?xml version="1.0" encoding="UTF-8"?>', b"")
    ),
}


def refused(call):
    """The DomainError `call` raises, and the peak of the memory allocated meanwhile."""
    tracemalloc.start()
    try:
        with pytest.raises(DomainError) as refusal:
            call()
        return refusal.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
