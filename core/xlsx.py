"""Reading uploaded workbooks safely and writing cells no spreadsheet will run as formulas."""

import zipfile
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from core.errors import DomainError

MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


def open_workbook(upload):
    """A read-only openpyxl workbook, after the size and zip checks openpyxl does not make."""
    if upload.size > settings.XLSX_MAX_BYTES:
        limit = settings.XLSX_MAX_BYTES // (1024 * 1024)
        raise DomainError(_("The file is larger than %(mb)s MB.") % {"mb": limit}, field="file")
    upload.seek(0)
    not_a_workbook = DomainError(_("The file is not an Excel workbook (.xlsx)."), field="file")
    if not zipfile.is_zipfile(upload):
        raise not_a_workbook
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if "xl/workbook.xml" not in names:
                raise not_a_workbook
            unpacked = sum(entry.file_size for entry in entries)
            packed = max(sum(entry.compress_size for entry in entries), 1)
            if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
                raise DomainError(_("The workbook unpacks to an implausible size."), field="file")
        upload.seek(0)
        return load_workbook(upload, read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        ParseError,
        DefusedXmlException,
        OSError,
        ValueError,
    ) as error:
        raise not_a_workbook from error


def cell_text(value) -> str:
    return "" if value is None else str(value).strip()


def cell_decimal(value, places=2, max_digits=14):
    """A cell's number as an exact Decimal (None when empty); raises ValueError with the reason.

    Numbers in .xlsx are doubles: 849.06 must go through str(), never Decimal(float).
    """
    if isinstance(value, bool):
        raise ValueError(_("not a number"))
    text = str(value) if isinstance(value, int | float) else cell_text(value).replace(",", "")
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValueError(_("“%(value)s” is not a number") % {"value": text}) from error
    if not number.is_finite():
        raise ValueError(_("“%(value)s” is not a number") % {"value": text})
    if abs(number) >= Decimal(10) ** (max_digits - places):
        raise ValueError(_("%(value)s is too large") % {"value": text})
    if number.as_tuple().exponent < -places:
        raise ValueError(
            _("%(value)s has more than %(places)s decimals") % {"value": text, "places": places}
        )
    return number


def write_cell(sheet, row, column, value):
    """Writes a value; text stays text even when it starts with "=" (OWASP: no formula ever)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell
