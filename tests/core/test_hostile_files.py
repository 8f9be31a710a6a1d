"""Hostile uploads are refused with a clear message, fast, and in bounded memory.

Memory is measured with tracemalloc (the peak Python allocates while the file is refused),
never time: every file here is under the 5 MB upload limit, and each unpacks to gigabytes or
to millions of XML elements if read naively.
"""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from core.errors import DomainError
from core.xlsx import CHUNK, MAX_ROWS, WorkbookError, open_workbook, sheet_rows, write_cell
from tests.core import hostile

MB = 1024 * 1024
MEMORY_BOUND = 64 * MB
NOT_A_WORKBOOK = "文件不是 Excel 工作簿（.xlsx）。"
IMPLAUSIBLE = "工作簿解压后的大小异常，已拒绝。"
TOO_MANY_ROWS = "工作表超过 20,000 行，超出了本上传的行数上限。"


@pytest.fixture(autouse=True)
def chinese():
    """The messages are the interface's, in Chinese, whatever language a test before left on."""
    with translation.override("zh-hans"):
        yield


def upload(content: bytes):
    assert len(content) <= settings.XLSX_MAX_BYTES  # the size limit alone lets it through
    return SimpleUploadedFile("人天.xlsx", content)


def read(content: bytes, max_rows=MAX_ROWS):
    """Open the upload and read every row of its sheet, as the imports do."""
    file = upload(content)

    def read_all():
        workbook = open_workbook(file, max_rows=max_rows)
        try:
            return sum(1 for _ in sheet_rows(workbook.active, max_rows=max_rows))
        finally:
            workbook.close()

    return read_all


def assert_refused(content, message, max_rows=MAX_ROWS):
    error, peak = hostile.refused(read(content, max_rows))
    assert isinstance(error, WorkbookError)
    assert error.messages == [message]
    assert error.field == "file"
    assert peak < MEMORY_BOUND, f"{peak / MB:.1f} MB"
    return peak


# Zip bombs


def test_a_bomb_that_declares_its_size_is_refused_before_a_byte_is_unpacked():
    content = hostile.bomb(unpacked=3 * hostile.GIB)  # 3 GB of blanks in 3 MB

    peak = assert_refused(content, IMPLAUSIBLE)

    assert peak < 1 * MB


def test_a_bomb_whose_header_claims_a_small_size_is_refused():
    assert_refused(hostile.bomb(declared=20_000), IMPLAUSIBLE)


def test_a_stream_that_outgrows_a_plausible_declared_size_is_cut_off_while_it_unpacks():
    # 60 MB declared for 2 MB packed is plausible XML; the stream unpacks to 2 GB. zipfile would
    # read 60 MB before it noticed; the reading stops at the 16 MB a part may unpack to.
    content = hostile.bomb(unpacked=2 * hostile.GIB, declared=60 * MB)

    assert_refused(content, IMPLAUSIBLE)


def test_a_zip_of_thousands_of_entries_is_refused():
    assert_refused(hostile.many_entries(2_000), IMPLAUSIBLE)


def test_half_a_million_shared_strings_are_refused():
    assert_refused(hostile.shared_strings(), IMPLAUSIBLE)


def test_a_style_sheet_of_100000_formats_is_refused():
    assert_refused(hostile.styles(), IMPLAUSIBLE)


def test_thousands_of_sheets_listing_one_part_are_refused():
    assert_refused(hostile.many_sheets(), IMPLAUSIBLE)


# Huge sheets


def test_a_sheet_of_200000_rows_is_refused_by_its_row_count_not_read_to_the_end():
    assert_refused(hostile.many_rows(200_000), TOO_MANY_ROWS)


@pytest.mark.parametrize("header", [True, False])
def test_a_sheet_reaching_row_1048576_stops_at_the_limit(header):
    content = hostile.far_row(header=header)
    assert len(content) < 2048
    workbook = open_workbook(upload(content))
    rows = sheet_rows(workbook.active)
    read = []

    with pytest.raises(WorkbookError) as refusal:
        for number, values in rows:
            read.append(number)
            assert len(values) <= 64  # not the 16,384 columns the dimension claims
    workbook.close()

    assert refusal.value.messages == [TOO_MANY_ROWS]
    assert len(read) == MAX_ROWS
    assert_refused(content, TOO_MANY_ROWS)


def test_one_row_of_millions_of_cells_is_refused():
    assert_refused(hostile.wide_row(), IMPLAUSIBLE)


def test_millions_of_rows_with_one_number_are_refused_though_openpyxl_would_yield_none():
    assert_refused(hostile.repeated_row(), TOO_MANY_ROWS)


def test_the_row_limit_is_exact():
    rows = hostile.rows_of(26)  # rows 5 to 30, under the header in row 4
    assert read(hostile.xlsx(hostile.sheet(rows)), max_rows=30)() == 30

    error, _ = hostile.refused(read(hostile.xlsx(hostile.sheet(rows)), max_rows=29))

    assert error.messages == ["工作表超过 29 行，超出了本上传的行数上限。"]


def test_a_sheet_of_the_largest_log_is_read_whole():
    content = hostile.xlsx(hostile.sheet(hostile.rows_of(MAX_ROWS - 4)))

    assert read(content)() == MAX_ROWS


# Formulas


@pytest.mark.parametrize(
    ("cell", "named"),
    [
        (b'<c r="G5"><f>10+7.5</f><v>17.5</v></c>', "第5行 G列"),
        (
            b'<c r="AB5" s="1">\n  <f t="shared" ref="AB5:AB9" si="0">B5*2</f><v>2</v></c>',
            "第5行 AB列",
        ),
        (b'<c r="G5"><f t="array" ref="G5"/><v>1</v></c>', "第5行 G列"),
    ],
)
def test_a_formula_is_refused_naming_its_cell(cell, named):
    assert_refused(
        hostile.with_formula(cell),
        f"{named}是公式：上传只接受数值，请将单元格粘贴为数值后重新上传。",
    )


def test_a_formula_typed_in_openpyxls_template_is_named():
    assert_refused(
        hostile.template_with_formula(),
        "第9行 G列是公式：上传只接受数值，请将单元格粘贴为数值后重新上传。",
    )


def test_a_formula_under_a_namespace_prefix_is_found():
    xml = (
        hostile.sheet(b'<row r="7"><c r="C7"><f>1+1</f><v>2</v></c></row>')
        .replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=")
        .replace(b"</worksheet>", b"</x:worksheet>")
        .replace(b"<sheetData>", b"<x:sheetData>")
        .replace(b"</sheetData>", b"</x:sheetData>")
        .replace(b"<row", b"<x:row")
        .replace(b"</row>", b"</x:row>")
        .replace(b"<c ", b"<x:c ")
        .replace(b"</c>", b"</x:c>")
        .replace(b"<f>", b"<x:f>")
        .replace(b"</f>", b"</x:f>")
        .replace(b"<v>", b"<x:v>")
        .replace(b"</v>", b"</x:v>")
        .replace(b"<is>", b"<x:is>")
        .replace(b"</is>", b"</x:is>")
        .replace(b"<t>", b"<x:t>")
        .replace(b"</t>", b"</x:t>")
    )

    assert_refused(
        hostile.xlsx(xml), "第7行 C列是公式：上传只接受数值，请将单元格粘贴为数值后重新上传。"
    )


def test_a_formula_whose_cell_is_unnamed_is_still_refused():
    assert_refused(
        hostile.with_formula(b"<c><f>1+1</f><v>2</v></c>"),
        "工作表中有公式：上传只接受数值，请将单元格粘贴为数值后重新上传。",
    )


@pytest.mark.parametrize("before", [0, 5, 10, 11, 12])
def test_a_formula_cut_by_the_end_of_a_chunk_is_named(before):
    # The sheet is read in chunks of 64 KB; `before` bytes of <c r="D9"><f> end the first.
    head = hostile.SHEET_START + hostile.HEADER + b'<row r="9">'
    blank = b" " * (CHUNK - len(head) - before)
    xml = head + blank + b'<c r="D9"><f>1+1</f><v>2</v></c></row>' + hostile.SHEET_END

    assert_refused(
        hostile.xlsx(xml), "第9行 D列是公式：上传只接受数值，请将单元格粘贴为数值后重新上传。"
    )


@pytest.mark.filterwarnings("ignore:Data Validation extension is not supported")
def test_text_starting_with_an_equals_sign_and_a_list_check_are_no_formulas():
    workbook = Workbook()
    write_cell(workbook.active, 1, 1, "=不是公式")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read(buffer.getvalue())() == 1

    # Excel writes a drop-down list fed from another sheet as <xm:f> in the sheet's extLst.
    validation = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="1" '
        b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        b'<x14:dataValidation type="list"><x14:formula1><xm:f>Sheet2!$A$1:$A$3</xm:f>'
        b"</x14:formula1><xm:sqref>G5:G20</xm:sqref></x14:dataValidation>"
        b"</x14:dataValidations></ext></extLst>"
    )
    xml = hostile.sheet(hostile.rows_of(3)).replace(b"</worksheet>", validation + b"</worksheet>")
    assert read(hostile.xlsx(xml))() == 7


def test_only_the_sheet_that_is_read_must_be_free_of_formulas():
    other = hostile.sheet(b'<row r="5"><c r="G5"><f>1+1</f><v>2</v></c></row>')

    assert read(hostile.xlsx(hostile.sheet(hostile.rows_of(2)), other))() == 6


# Not workbooks


@pytest.mark.parametrize("kind", hostile.NOT_WORKBOOKS)
def test_a_file_that_is_no_workbook_is_refused_as_such(kind):
    assert_refused(hostile.NOT_WORKBOOKS[kind](), NOT_A_WORKBOOK)


def test_every_refusal_is_a_domain_error():
    assert issubclass(WorkbookError, DomainError)
