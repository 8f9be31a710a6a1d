"""The sheet page tells each role, in each state, what waits on them or on whom it waits, and
the vendor's confirmation and the buyer's signature ask first, saying what they do with the
sheet's real figures."""

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from finance.services import invoice_receive, sheet_invoice, sheet_pay
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)  # a Friday
# 10 working days after it (3.3.1): 23–27 November and 30 November – 4 December.
INVOICE_DUE = "2026-12-04"


def seen(user, sheet) -> tuple[str, str, list[str]]:
    """The page's next-step text, its whole text, and the questions its forms ask."""
    client = Client()
    client.force_login(user)
    page = client.get(f"/settlements/{sheet.pk}/").content.decode()
    waiting = re.search(r'<p class="waiting">(.*?)</p>', page).group(1)
    return (
        html.unescape(waiting),
        page,
        [html.unescape(q) for q in re.findall(r'data-confirm="([^"]*)"', page)],
    )


@pytest.fixture
def draft(worked_example, clock):
    clock(TODAY)
    settlements_compute(month=OCTOBER)
    return SettlementSheet.objects.get()


def test_a_draft_waits_on_the_vendor_who_is_asked_before_confirming(
    draft, vendor_pm, procurement, finance
):
    waiting, page, questions = seen(vendor_pm, draft)

    assert waiting == "请核对金额后点击上方“乙方确认”，确认后由甲方签署。"
    assert "当前无需您处理" not in page
    assert questions == [
        "确认本结算单：应付含税 45,474.95 元（确认时按本月最新的工作量记录和考核结果重算）。"
        "确认后，本月工作量记录和考核结果将被锁定，不能再退回或重新评分，结算单提交甲方签署。"
        "确定确认吗？"
    ]
    for user in (procurement, finance):
        waiting, _page, questions = seen(user, draft)
        assert (waiting, questions) == ("等待乙方确认结算单。", [])


def test_a_confirmed_sheet_waits_on_procurement_who_is_told_what_signing_does(
    draft, vendor_pm, procurement
):
    sheet = sheet_confirm(sheet=draft, actor=vendor_pm)

    waiting, _page, questions = seen(procurement, sheet)

    assert waiting == "乙方已确认，请核对金额后点击上方“甲方确认并签署”。"
    # The contract's ceiling 17,627,800.00 less 45,474.95 settled: 17,582,325.05 left.
    assert questions == [
        f"签署后应付 45,474.95 元计入合同 {sheet.contract.code} 的已结算金额"
        "（签署后已结算 45,474.95 元，上限剩余 17,582,325.05 元），不可撤销："
        "结算单不能再修改，如有差错只能通过调整单更正。"
        f"乙方须在 10 个工作日内（{INVOICE_DUE} 前）开具发票。确定签署吗？"
    ]
    assert seen(vendor_pm, sheet)[0] == "等待甲方签署结算单。"

    signed = sheet_confirm(sheet=sheet, actor=procurement)
    assert signed.payable_incl_tax == Decimal("45474.95")
    assert str(signed.invoice_due_by) == INVOICE_DUE


def test_after_signing_the_invoice_then_the_payment_wait_on_the_right_people(
    draft, vendor_pm, procurement, finance
):
    sheet = sheet_confirm(sheet=sheet_confirm(sheet=draft, actor=vendor_pm), actor=procurement)

    for user in (vendor_pm, finance, procurement):
        assert seen(user, sheet)[0] == f"乙方发票应于 {INVOICE_DUE} 前开具（见下方“发票与付款”）。"

    sheet = sheet_invoice(
        sheet=sheet, actor=vendor_pm, number="INV-1", invoiced_on=TODAY,
        amount=Decimal("45474.95"),
    )  # fmt: skip
    for user in (vendor_pm, finance, procurement):
        assert seen(user, sheet)[0] == "已开票：付款期限为甲方收到发票后 30 个工作日。"
    invoice_receive(invoice=sheet.invoices.get(), actor=finance, received_on=TODAY)
    sheet.refresh_from_db()
    # Received the day issued: 30 working days after 20 November 2026 is 4 January 2027
    # (1 January is a holiday).
    for user in (vendor_pm, finance, procurement):
        assert seen(user, sheet)[0] == "应于 2027-01-04 前付款（见下方“发票与付款”）。"

    sheet = sheet_pay(sheet=sheet, actor=finance, paid_on=TODAY)
    for user in (vendor_pm, procurement, finance):
        waiting, page, questions = seen(user, sheet)
        assert waiting == "已于 2026-11-20 付款，本结算单已办结。"
        assert questions == []
        assert "当前无需您处理" not in page
