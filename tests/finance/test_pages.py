"""The sheet page's finance panel and the invoice page, in the browser: the vendor's PM records an
invoice covering this sheet and another, finance records its receipt and the payments with what
is left, the void (红字) and its replacement keep both in history; each form asks first, saying
what happens; another vendor finds none of it."""

import html
import re
from datetime import date

import pytest

from finance.models import Invoice
from settlement.models import SettlementSheet
from tests.finance.books import invoice, signed_sheets  # noqa: F401
from tests.finance.typed import typed_invoice, typed_payment
from tests.pages import browser
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


@pytest.fixture
def today(clock):
    clock(TODAY)


def page_of(user, path) -> str:
    response = browser(user).get(path)
    assert response.status_code == 200
    return response.content.decode()


def questions(page: str) -> list[str]:
    return [html.unescape(q) for q in re.findall(r'data-confirm="([^"]*)"', page)]


def test_the_panel_offers_each_role_its_forms(sheets, vendor_pm, finance, procurement, today):
    a = sheets[0]
    url = f"/settlements/{a.pk}/"

    assert 'id="invoice"' in page_of(vendor_pm, url)
    assert 'id="invoice"' in page_of(finance, url)
    assert 'id="invoice"' not in page_of(procurement, url)
    assert 'id="payment"' not in page_of(finance, url)  # nothing invoiced, nothing to pay
    # The other signed sheets of the contract may go on the same invoice.
    for other in sheets[1:]:
        assert f'name="sheets" value="{other.pk}"' in page_of(vendor_pm, url)


def test_an_invoice_of_two_sheets_then_its_receipt_and_payments(sheets, vendor_pm, finance, today):
    """A and B on one invoice (54,474.95); received 6 November, payable by 18 December; A paid
    20,000.00 then the 25,474.95 left."""
    a, b, _c = sheets
    url = f"/settlements/{a.pk}/"
    typed = typed_invoice(a, b, number="YQ-1", issued_on="2026-11-04", incl="54,474.95",
                          excl="51,391.47", tax="3,083.48", next=url)  # fmt: skip

    page = browser(vendor_pm).post("/invoices/new/", typed, follow=True).content.decode()

    assert "发票 YQ-1 已登记。" in page
    recorded = Invoice.objects.get()
    assert [s.status for s in SettlementSheet.objects.filter(pk__in=[a.pk, b.pk])] == [
        "invoiced",
        "invoiced",
    ]
    receive = page_of(finance, url)
    assert "登记甲方收到这张发票的日期吗？付款期限为收票后 30 个工作日（4.6）。" in questions(
        receive
    )
    browser(finance).post(
        f"/invoices/{recorded.pk}/receive/", {"received_on": "2026-11-06", "next": url}
    )
    assert SettlementSheet.objects.get(pk=a.pk).payment_due_by == date(2026, 12, 18)

    pay = browser(finance).post(
        f"/payments/new/{a.pk}/", typed_payment(paid_on="2026-11-20", amount="20,000.00"),
        follow=True,
    )  # fmt: skip
    assert "付款 20,000.00 元已登记。" in pay.content.decode()
    panel = page_of(finance, url)
    assert 'id="left-to-pay">¥25,474.95<' in panel
    assert 'id="payment"' in panel and 'id="payment"' not in page_of(vendor_pm, url)
    browser(finance).post(
        f"/payments/new/{a.pk}/", typed_payment(paid_on="2026-11-27", amount="25474.95")
    )
    assert SettlementSheet.objects.get(pk=a.pk).status == "paid"
    assert 'id="payment"' not in page_of(finance, url)


def test_a_number_that_is_no_number_is_refused_on_the_page(sheets, vendor_pm, today):
    """sNaN (comparing it raises) was a 500 on the old sheet form; the panel says why."""
    a = sheets[0]
    typed = typed_invoice(a, number="YQ-1", issued_on="2026-11-04", incl="sNaN",
                          excl="42900.90", tax="2574.05", next=f"/settlements/{a.pk}/")  # fmt: skip

    page = browser(vendor_pm).post("/invoices/new/", typed, follow=True).content.decode()

    assert "“sNaN”不是数字：请只用数字书写，如 1250.50。" in page
    assert not Invoice.objects.exists()


def test_the_invoice_page_voids_and_replaces_keeping_both(sheets, vendor_pm, finance, today):
    c = sheets[2]
    wrong = invoice([c], vendor_pm, "YQ-2", date(2026, 11, 5), "18000.00", "16981.13", "1018.87")
    path = f"/invoices/{wrong.pk}/"
    page = page_of(vendor_pm, path)
    assert (
        "作废发票 YQ-2 吗？作废后它不再对应其结算单，结算单等待重开发票；该发票连同作废原因保留在"
        "记录中。"
    ) in questions(page)

    browser(vendor_pm).post(f"{path}void/", {"reason": "税率应为3%"})
    void_page = page_of(vendor_pm, path)
    assert "已作废（红字）：税率应为3%" in void_page and 'id="replacement"' in void_page
    replacement = typed_invoice(c, number="YQ-3", issued_on="2026-11-09", incl="17490.56",
                                excl="16981.13", tax="509.43", rate="0.03",
                                replaces=wrong.pk)  # fmt: skip
    browser(vendor_pm).post("/invoices/new/", replacement)

    new = Invoice.objects.get(number="YQ-3")
    assert new.replaces == wrong
    assert "重开为" in page_of(finance, path) and "YQ-3" in page_of(finance, path)
    assert "重开自" in page_of(finance, f"/invoices/{new.pk}/")
    assert SettlementSheet.objects.get(pk=c.pk).invoice_amount == new.amount_incl_tax


def test_another_vendor_finds_none_of_it(sheets, vendor_pm, finance, other_vendor_pm, today):
    a = sheets[0]
    recorded = invoice([a], vendor_pm, "YQ-1", date(2026, 11, 4), "45474.95", "42900.90",
                       "2574.05")  # fmt: skip
    stranger = browser(other_vendor_pm)

    assert stranger.get(f"/invoices/{recorded.pk}/").status_code == 404
    for step, body in (("void", {"reason": "x"}), ("receive", {"received_on": "2026-11-27"})):
        assert stranger.post(f"/invoices/{recorded.pk}/{step}/", body).status_code == 404
    payment = typed_payment(paid_on="2026-11-27", amount="1.00")
    assert stranger.post(f"/payments/new/{a.pk}/", payment).status_code == 404
    answer = stranger.post(
        "/invoices/new/",
        typed_invoice(a, number="X", issued_on="2026-11-04", incl="1.06", excl="1.00", tax="0.06"),
        follow=True,
    )
    assert "YQ-1" not in answer.content.decode()
    assert Invoice.objects.count() == 1
    assert browser(finance).post(f"/payments/new/{a.pk}/", payment).status_code == 302
