"""Workbooks are opened safely (no zip bomb, no fake workbook) and written without formulas."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook, load_workbook

from core.errors import DomainError
from core.xlsx import open_workbook, write_cell


@pytest.fixture(autouse=True)
def chinese():
    """The messages are the interface's, in Chinese, whatever language a test before left on."""
    with translation.override("zh-hans"):
        yield


def upload(content):
    return SimpleUploadedFile("book.xlsx", content)


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"<" + b" " * (20 * 1024 * 1024) + b"/>")

    with pytest.raises(DomainError, match="解压后的大小异常"):
        open_workbook(upload(buffer.getvalue()))


def test_a_zip_that_is_no_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")

    with pytest.raises(DomainError, match="不是 Excel 工作簿"):
        open_workbook(upload(buffer.getvalue()))


def test_text_that_looks_like_a_formula_is_written_as_text():
    workbook = Workbook()
    write_cell(workbook.active, 1, 1, '=HYPERLINK("http://evil","x")')
    write_cell(workbook.active, 1, 2, "+1+1")
    buffer = io.BytesIO()
    workbook.save(buffer)

    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    assert (sheet["A1"].data_type, sheet["B1"].data_type) == ("s", "s")
    assert sheet["A1"].value == '=HYPERLINK("http://evil","x")'
