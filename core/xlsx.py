"""Reading uploaded workbooks safely and writing cells no spreadsheet will run as formulas.

An .xlsx is a zip of XML parts that openpyxl unpacks and parses without any limit. Before
openpyxl sees an upload, every part is unpacked in chunks (counting the real stream, not the
sizes the zip claims) and its tags are counted on the raw bytes, which is cheap: what openpyxl
will then hold at once stays bounded, and a sheet with too many rows or with formulas is refused
before a row is read.
"""

import re
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.errors import DomainError

# A 20,000-line log in the portal's template unpacks to 8 MB; a bomb to gigabytes.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_PART_BYTES = 16 * 1024 * 1024
MAX_RATIO = 200  # unpacked / packed as the zip declares it: XML packs 10-20 times
MAX_ENTRIES = 1_000
MAX_SHEETS = 50
# No upload has more rows: a person-day log has one per staff member of an order.
MAX_ROWS = 20_000
MAX_COLUMNS = 64  # the columns handed to the caller; the template has 8, 附件3 has 10
# openpyxl holds one row of a sheet at a time, but the whole of any other part it reads.
MAX_ROW_TAGS = 20_000  # from one row to the next, or before the first / after the last
MAX_SHEET_TAGS = 2_000_000  # 2.5 times a 20,000-line log in the template
MAX_PART_ELEMENTS = 200_000  # the shared strings of a 20,000-line log saved by Excel
MAX_STRUCTURE_ELEMENTS = 10_000  # what openpyxl builds an object of (styles, names, ...)
# Shared strings and their rich-text runs: openpyxl keeps their text, nothing else.
TEXT_ELEMENTS = frozenset(
    b"sst si t r rPr rPh phoneticPr rFont charset family b i strike outline shadow condense "
    b"extend color sz u vertAlign scheme".split()
)
CHUNK = 64 * 1024

PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?")
ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
CELL_REFERENCE = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{1,3})([0-9]{1,7})["']""")
# XML in UTF-16 or UTF-32 would hide its tags from a count of "<" bytes; Excel writes UTF-8.
WIDE_XML = (b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00", b"\x00\x00\x00<", b"\x00\x00\xfe\xff")

ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,  # an entry encrypted with a zip password
    NotImplementedError,  # a compression zipfile does not know
    ValueError,
)
# What openpyxl raises on parts that are damaged or are not what they claim to be.
OPENPYXL_ERRORS = (
    *ZIP_ERRORS,
    InvalidFileException,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    ParseError,
    DefusedXmlException,
)


class WorkbookError(DomainError):
    code = "workbook"


def not_a_workbook():
    return WorkbookError(_("The file is not an Excel workbook (.xlsx)."), field="file")


def implausible():
    return WorkbookError(_("The workbook unpacks to an implausible size."), field="file")


def too_many_rows(limit):
    return WorkbookError(
        _("The sheet has more than %(limit)s rows, the most this upload takes.")
        % {"limit": f"{limit:,}"},
        field="file",
    )


def open_workbook(upload, *, max_rows=MAX_ROWS):
    """A read-only openpyxl workbook, after the size, zip and sheet checks openpyxl does not make.

    Refuses a sheet of more than `max_rows` rows, and formulas in the sheet that is read: with
    data_only their cached values would be taken as if typed. Close the workbook after use.
    """
    if upload.size > settings.XLSX_MAX_BYTES:
        limit = settings.XLSX_MAX_BYTES // (1024 * 1024)
        raise WorkbookError(_("The file is larger than %(mb)s MB.") % {"mb": limit}, field="file")
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise not_a_workbook()
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            parts = _inspect(archive, max_rows)
    except ZIP_ERRORS as error:
        raise not_a_workbook() from error
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except OPENPYXL_ERRORS as error:
        raise not_a_workbook() from error
    try:
        # openpyxl keeps the part of a read-only sheet only there; a chart sheet has none.
        _check_sheet(parts.get(getattr(workbook.active, "_worksheet_path", None)))
    except WorkbookError:
        workbook.close()
        raise
    return workbook


def sheet_rows(sheet, *, max_rows=MAX_ROWS):
    """(row number, values) of a sheet from open_workbook, refusing it past `max_rows`."""
    columns = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
    # One more than allowed: openpyxl stops there, filling any gap before it with empty rows.
    rows = sheet.iter_rows(max_row=max_rows + 1, max_col=columns, values_only=True)
    number = 0
    while True:
        try:
            values = next(rows)
        except StopIteration:
            return
        except OPENPYXL_ERRORS as error:
            raise not_a_workbook() from error
        number += 1
        if number > max_rows:
            raise too_many_rows(max_rows)
        yield number, values


def _check_sheet(sheet):
    """The sheet to be read must be a worksheet that was counted, and hold no formula."""
    if not isinstance(sheet, _Worksheet):
        raise not_a_workbook()
    if sheet.formula is None:
        return
    if not sheet.formula:  # a cell without its reference, which Excel always writes
        message = _(
            "The sheet holds formulas: the upload takes values only. "
            "Paste the cells as values and upload again."
        )
    else:
        message = (
            _(
                "Row %(row)s, column %(column)s holds a formula: the upload takes values only. "
                "Paste the cells as values and upload again."
            )
            % sheet.formula
        )
    raise WorkbookError(message, field="file")


def _inspect(archive, max_rows):
    """Every part unpacked in chunks and counted: name → what openpyxl will find in it."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise implausible()
    if "xl/workbook.xml" not in {entry.filename for entry in entries}:
        raise not_a_workbook()
    declared = sum(entry.file_size for entry in entries)
    packed = max(sum(entry.compress_size for entry in entries), 1)
    if declared > MAX_UNPACKED_BYTES or declared / packed > MAX_RATIO:
        raise implausible()
    # Deflate never grows data by 1%: an entry packed larger than it claims to unpack lies.
    if any(entry.compress_size > entry.file_size * 1.01 + 1024 for entry in entries):
        raise implausible()
    unpacked, parts = 0, {}
    for entry in entries:
        part, size = None, 0
        with archive.open(entry) as stream:
            # Whatever the header declares, count what the stream really unpacks to.
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                unpacked += len(chunk)
                if size > MAX_PART_BYTES or unpacked > MAX_UNPACKED_BYTES:
                    raise implausible()
                if part is None:
                    part = _Worksheet.begin(chunk, max_rows) or _Part.begin(chunk)
                part.feed(chunk)
        parts[entry.filename] = part
    # openpyxl opens every sheet the workbook lists, and reads each up to its dimension (the
    # whole sheet when it has none): many sheets listing one heavy part would multiply that.
    sheets = sum(part.sheets for part in parts.values() if isinstance(part, _Part))
    heaviest = max(
        (part.load_tags for part in parts.values() if isinstance(part, _Worksheet)), default=0
    )
    if sheets > MAX_SHEETS or sheets * heaviest > MAX_SHEET_TAGS:
        raise implausible()
    return parts


class _Part:
    """An XML part other than a worksheet: openpyxl parses the whole of it when it reads it."""

    @classmethod
    def begin(cls, chunk):
        if chunk.startswith(WIDE_XML):
            raise not_a_workbook()
        start = chunk.lstrip(b"\xef\xbb\xbf \t\r\n")
        return cls() if start[:1] in (b"", b"<") else _Binary()

    def __init__(self):
        self.elements = self.structure = self.sheets = 0
        self.cut = b""  # the start of a tag split by the chunk's end

    def feed(self, chunk):
        if b"\x00" in chunk:
            raise not_a_workbook()
        text = self.cut + chunk
        end = text.rfind(b"<")
        if end == -1 or text.find(b">", end) != -1:
            end = len(text)
        self.cut = text[end:][:64]
        for name in ELEMENT.findall(text, 0, end):
            self.elements += 1
            if name not in TEXT_ELEMENTS:
                self.structure += 1
                self.sheets += name == b"sheet"
        if self.elements > MAX_PART_ELEMENTS or self.structure > MAX_STRUCTURE_ELEMENTS:
            raise implausible()


class _Binary:
    """An image or the like, which read-only openpyxl never parses."""

    def feed(self, chunk):
        pass


class _Worksheet:
    """A sheet's XML counted as it streams by, with bytes.find and regular expressions: its
    rows, the tags openpyxl holds at once (a row, or what stands before the first or after
    the last), and the cell of its first formula."""

    ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s/>]")

    @classmethod
    def begin(cls, chunk, max_rows):
        root = cls.ROOT.match(chunk, PROLOG.match(chunk).end())
        return root and cls(root.group(1) or b"", root.start(), max_rows)

    def __init__(self, prefix, start, max_rows):
        escaped = re.escape(b"<" + prefix)
        self.row_tag = re.compile(escaped + rb"row[\s/>]")
        self.formula_tag = re.compile(escaped + rb"f[\s/>]")
        self.cell_tag = re.compile(escaped + rb"c[\s/>]")
        self.dimension_tag = re.compile(escaped + rb"dimension[\s/>]")
        self.max_rows = max_rows
        self.rows = self.tags = self.row_tags = 0
        self.dimension_tags = None  # the tags before the dimension, when it precedes the rows
        self.formula = None  # {"row": 5, "column": "G"} of the first formula, {} unnamed
        self.carried, self.skip = b"", start

    @property
    def load_tags(self):
        """What openpyxl parses of the sheet to open it: up to its dimension, or all of it."""
        return self.tags if self.dimension_tags is None else self.dimension_tags

    def feed(self, chunk):
        # What is carried to the next chunk: the last whole tag, already counted, as context
        # (the <c r="G5"> of a formula that would follow), and a tag the chunk cuts short.
        text = self.carried + chunk
        start = self.skip
        last = text.rfind(b"<")
        if last < start:  # no tag begins in this chunk
            end, context, cut = len(text), text[:start], b""
        elif (closed := text.find(b">", last)) != -1:
            end, context, cut = len(text), text[last : closed + 1], b""
        else:
            end, cut = last, text[last:]
            before = text.rfind(b"<", 0, last)
            closed = text.find(b">", before, last)
            context = text[before : closed + 1] if before != -1 and closed != -1 else b""
        self.carried, self.skip = context + cut, len(context)
        if len(self.carried) > CHUNK:
            raise implausible()
        # Comments, CDATA and instructions could hide tags from the count; Excel writes none.
        if text.find(b"<!", start, end) != -1 or text.find(b"<?", start, end) != -1:
            raise not_a_workbook()
        if self.rows == 0 and self.dimension_tags is None:
            first_row = self.row_tag.search(text, start, end)
            found = self.dimension_tag.search(text, start, first_row.start() if first_row else end)
            if found:
                self.dimension_tags = self.tags + text.count(b"<", start, found.start()) + 1
        self.tags += text.count(b"<", start, end)
        if self.tags > MAX_SHEET_TAGS:
            raise implausible()
        since = start
        for row in self.row_tag.finditer(text, start, end):
            self.row_tags += text.count(b"<", since, row.start())
            if self.row_tags > MAX_ROW_TAGS:
                raise implausible()
            self.rows += 1
            if self.rows > self.max_rows:
                raise too_many_rows(self.max_rows)
            since, self.row_tags = row.start(), 0
        self.row_tags += text.count(b"<", since, end)
        if self.row_tags > MAX_ROW_TAGS:
            raise implausible()
        if self.formula is None and (found := self.formula_tag.search(text, start, end)):
            self.formula = self._cell_before(text, found.start())

    def _cell_before(self, text, at):
        """The cell of a formula: the tag before <f> is its <c r="G5">."""
        opening = text.rfind(b"<", 0, at)
        if opening != -1 and self.cell_tag.match(text, opening):
            reference = CELL_REFERENCE.search(text, opening, text.find(b">", opening))
            if reference:
                return {"row": int(reference[2]), "column": reference[1].decode().upper()}
        return {}


def cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def write_cell(sheet, row, column, value):
    """Writes a value; text stays text even when it starts with "=" (OWASP: no formula ever)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
