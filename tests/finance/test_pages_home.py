"""The finance home (4.6, 4.7): what is overdue, due this week and next (Monday to Sunday in
Asia/Shanghai), what each sheet still owes of its received invoices, the invoices not received
yet and what was paid this month, each grouped by contract and by vendor with its total and
exported to Excel; the buyer's desk, never a vendor's."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from finance.selectors import finance_home, week_of
from tests.finance.books import DECEMBER_17, december_books, signed_sheets  # noqa: F401
from tests.pages import browser
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_week_runs_monday_to_sunday():
    """Thursday 17 December 2026 is in the week of Monday 14 to Sunday 20; a Sunday ends its
    own week and a Monday starts it."""
    assert week_of(date(2026, 12, 17)) == (date(2026, 12, 14), date(2026, 12, 20))
    assert week_of(date(2026, 12, 20)) == (date(2026, 12, 14), date(2026, 12, 20))
    assert week_of(date(2026, 12, 21)) == (date(2026, 12, 21), date(2026, 12, 27))


def test_what_falls_due_week_by_week(december, finance):
    """As december's books say: A overdue, B and D due this week, C next week for what its
    received invoice still charges, C's second invoice not received, 26,000.00 paid in
    December."""
    a, b, c, d = december

    sections = {s.key: s for s in finance_home(user=finance, today=DECEMBER_17)}

    def rows(key):
        return [(row.pk, row.owed) for row in sections[key].rows]

    # 45,474.95 − 5,000.00 − 20,000.00 = 20,474.95.
    assert rows("overdue") == [(a.pk, Decimal("20474.95"))]
    assert rows("this_week") == [(b.pk, Decimal("9000.00")), (d.pk, Decimal("9000.00"))]
    # 10,000.00 received − 6,000.00 paid = 4,000.00; YQ-0104's 8,000.00 is not owed yet.
    assert rows("next_week") == [(c.pk, Decimal("4000.00"))]
    assert [i.number for i in sections["not_received"].rows] == ["YQ-0104"]
    assert sections["not_received"].total == Decimal("8000.00")
    # 20,000.00 (10 December) + 6,000.00 (15 December); 30 November's 5,000.00 is November's.
    assert [p.amount for p in sections["paid"].rows] == [Decimal("20000.00"), Decimal("6000.00")]
    assert sections["paid"].total == Decimal("26000.00")
    # 9,000.00 + 9,000.00, one sheet for each contract and each vendor.
    week = sections["this_week"]
    assert week.total == Decimal("18000.00")
    assert [(g.label, g.count, g.total) for g in week.by_contract] == [
        (f"{b.contract.code} {b.contract.name}", 1, Decimal("9000.00")),
        (f"{d.contract.code} {d.contract.name}", 1, Decimal("9000.00")),
    ]
    assert [(g.label, g.total) for g in week.by_vendor] == [
        ("乙供应商有限公司", Decimal("9000.00")),
        ("甲供应商有限公司", Decimal("9000.00")),
    ]


def test_the_page_shows_each_section_with_its_totals(december, finance, clock):
    clock(DECEMBER_17)

    page = browser(finance).get("/finance/")

    html = page.content.decode()
    assert page.status_code == 200
    figures = page.context["sections"]
    assert [(s.title, s.total) for s in figures] == [
        ("逾期未付的款项", Decimal("20474.95")),
        ("本周到期的付款", Decimal("18000.00")),
        ("下周到期的付款", Decimal("4000.00")),
        ("尚未收到的发票", Decimal("8000.00")),
        ("本月已付款", Decimal("26000.00")),
    ]
    assert "12-17 – 12-20" in html and "12-21 – 12-27" in html
    assert "¥20,474.95" in html and "¥26,000.00" in html
    assert "BA-20261215" in html  # the acceptance bill's number, with its maturity
    assert "2027-06-15" in html


def test_each_section_exported_with_its_groups(december, finance, clock):
    """Read back with openpyxl: the rows, then by contract and by vendor, each with the total."""
    _a, b, _c, d = december
    clock(DECEMBER_17)

    download = browser(finance).get("/finance/?export=this_week")

    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(download.content))
    assert book.sheetnames == ["明细", "按合同", "按供应商"]
    details = list(book["明细"].iter_rows(values_only=True))
    assert details[0] == (
        "合同", "乙方", "结算单", "发票", "付款截止日", "已收发票金额", "已付金额", "待付金额",
    )  # fmt: skip
    assert details[1] == (
        b.contract.code, "甲供应商有限公司", str(b), "YQ-0102", details[1][4], 9000, 0, 9000
    )  # fmt: skip
    assert details[1][4].date() == date(2026, 12, 17)
    assert details[2][:3] == (d.contract.code, "乙供应商有限公司", str(d))
    assert details[3] == ("合计", None, None, None, None, None, None, 18000)
    vendors = list(book["按供应商"].iter_rows(values_only=True))
    assert vendors == [
        ("乙方", "笔数", "金额"),
        ("乙供应商有限公司", 1, 9000),
        ("甲供应商有限公司", 1, 9000),
        ("合计", None, 18000),
    ]
    paid = load_workbook(io.BytesIO(browser(finance).get("/finance/?export=paid").content))
    rows = list(paid["明细"].iter_rows(values_only=True))
    assert [row[-3] for row in rows[1:3]] == [20000, 6000]  # 金额
    assert rows[-1][0] == "合计" and 26000 in rows[-1]


def test_the_finance_home_is_the_buyers(december, vendor_pm, procurement, clock):
    """A vendor's PM is refused (403) the page and its exports: its invoices and payments are
    in their lists; procurement, on the buyer's side, reads it."""
    clock(DECEMBER_17)

    assert browser(vendor_pm).get("/finance/").status_code == 403
    assert browser(vendor_pm).get("/finance/?export=overdue").status_code == 403
    assert browser(procurement).get("/finance/").status_code == 200
    assert browser(procurement).get("/finance/?export=nothing").status_code == 404
