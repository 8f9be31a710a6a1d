"""The buyer signs 002's month and 004's milestone only once procurement has accepted the work
they pay for (验收); a person-day month (000/001/003) signs without one and shows one when
recorded. A signed sheet's acceptance is never withdrawn; the sheet's page and its PDF (附件7)
show it, and procurement's dashboard lists the work still to accept before signing."""

from datetime import date
from decimal import Decimal

import pytest

from dashboard.selectors import dashboard
from demo.fixed_price import fixed_price_contract
from demo.items import per_item_contract, per_item_order
from orders.models import Acceptance
from orders.services import OrderError, acceptance_withdraw
from settlement.documents import sheet_pdf
from settlement.models import SettlementSheet
from settlement.services import (
    SettlementError,
    payment_sheet_compute,
    settlements_compute,
    sheet_confirm,
)
from tests.factories import accepted
from tests.pages import browser
from tests.pdf import pdf_text
from tests.settlement.conftest import OCTOBER, confirmed_score
from worklogs.lines import DeliveryInput
from worklogs.services import (
    worklog_approve,
    worklog_open,
    worklog_save_deliveries,
    worklog_submit,
)

pytestmark = pytest.mark.django_db
AUGUST = date(2026, 8, 1)
SIGNED = SettlementSheet.Status.SIGNED


@pytest.fixture
def items_sheet(buyer, vendor, procurement, vendor_pm):
    """002's August, confirmed by the vendor: 10 colour figurines at 300.00 incl. tax, scored
    43.5 + 50 = 93.5."""
    order = per_item_order(per_item_contract(buyer=buyer, vendor=vendor, code="T-002"))
    log = worklog_save_deliveries(
        log=worklog_open(order=order, month=AUGUST),
        deliveries=[DeliveryInput("3D手办打印（彩膜）", 10, "SF1001", 0, "1")],
    )
    worklog_approve(log=worklog_submit(log=log), actor=procurement)
    confirmed_score(order, AUGUST, "43.5", procurement, vendor_pm)
    settlements_compute(month=AUGUST)
    return sheet_confirm(sheet=order.sheets.get(), actor=vendor_pm)


@pytest.fixture
def milestone_sheet(buyer, vendor, vendor_pm):
    """004's signing milestone, 30% of 480,000.00, confirmed by the vendor."""
    _contract, order = fixed_price_contract(
        buyer=buyer,
        vendor=vendor,
        code="T-004",
        signed_on=date(2026, 1, 1),
        service_start=date(2026, 1, 1),
    )
    sheet = payment_sheet_compute(item=order.payment_plan.get(due_after_months=0))
    return sheet_confirm(sheet=sheet, actor=vendor_pm)


def test_a_per_item_month_is_signed_only_once_accepted(items_sheet, procurement, api):
    with pytest.raises(SettlementError, match="验收") as refused:
        sheet_confirm(sheet=items_sheet, actor=procurement)
    assert refused.value.status == 409
    answer = api(procurement).post(f"/api/v1/settlements/{items_sheet.pk}/confirm/")
    assert answer.status_code == 409
    assert "验收" in answer.json()["detail"]

    acceptance = accepted(items_sheet, procurement, date(2026, 9, 3), "抽检合格")
    sheet = sheet_confirm(sheet=items_sheet, actor=procurement)

    # 10 × 300.00 = 3,000.00 × 93.5 / 100 = 2,805.00; excl. 2,805.00 / 1.06 = 2,646.226 → 2,646.23.
    assert (sheet.status, sheet.payable_incl_tax, sheet.payable_excl_tax) == (
        SIGNED,
        Decimal("2805.00"),
        Decimal("2646.23"),
    )
    acceptance.refresh_from_db()
    assert acceptance.locked_at is not None
    with pytest.raises(OrderError, match="签署") as frozen:
        acceptance_withdraw(acceptance=acceptance, reason="误录", actor=procurement)
    assert frozen.value.status == 409
    withdraw = api(procurement).post(
        f"/api/v1/acceptances/{acceptance.pk}/withdraw/", {"reason": "误录"}
    )
    assert withdraw.status_code == 409
    assert Acceptance.objects.get(pk=acceptance.pk).status == Acceptance.Status.ACCEPTED


def test_a_withdrawn_acceptance_no_longer_lets_the_month_be_signed(items_sheet, procurement):
    acceptance = accepted(items_sheet, procurement)
    acceptance_withdraw(acceptance=acceptance, reason="数量不符", actor=procurement)

    with pytest.raises(SettlementError):
        sheet_confirm(sheet=items_sheet, actor=procurement)
    assert SettlementSheet.objects.get(pk=items_sheet.pk).status != SIGNED


def test_a_milestone_is_signed_only_once_accepted(milestone_sheet, procurement):
    with pytest.raises(SettlementError, match="验收"):
        sheet_confirm(sheet=milestone_sheet, actor=procurement)

    accepted(milestone_sheet, procurement, date(2026, 1, 9), "合同签订，首付款验收")
    sheet = sheet_confirm(sheet=milestone_sheet, actor=procurement)

    # 480,000.00 × 30% = 144,000.00 at 100 points.
    assert (sheet.status, sheet.payable_incl_tax) == (SIGNED, Decimal("144000.00"))
    sheet.contract.refresh_from_db()
    assert sheet.contract.settled_total == Decimal("144000.00")
    assert milestone_sheet.payment_item.acceptances.get().locked_at is not None


def test_a_person_day_month_signs_without_an_acceptance(worked_example, procurement, vendor_pm):
    settlements_compute(month=OCTOBER)
    sheet = sheet_confirm(sheet=worked_example.sheets.get(), actor=vendor_pm)

    signed = sheet_confirm(sheet=sheet, actor=procurement)

    # SPEC §3's worked example: 49,162.11 × 92.5 / 100 = 45,474.95.
    assert (signed.status, signed.payable_incl_tax) == (SIGNED, Decimal("45474.95"))
    assert "验收情况" not in pdf_text(sheet_pdf(signed))


def test_a_person_day_months_acceptance_shows_on_its_page_and_pdf(
    worked_example, procurement, vendor_pm
):
    procurement.full_name = "张采购"
    procurement.save()
    settlements_compute(month=OCTOBER)
    sheet = sheet_confirm(sheet=worked_example.sheets.get(), actor=vendor_pm)
    accepted(sheet, procurement, date(2026, 11, 5), "十月运营支撑工作量已核对")

    signed = sheet_confirm(sheet=sheet, actor=procurement)

    text = pdf_text(sheet_pdf(signed))
    assert "验收情况" in text
    assert "2026年11月5日经咪咕音乐有限公司张采购验收：十月运营支撑工作量已核对" in text
    page = browser(vendor_pm).get(f"/settlements/{signed.pk}/").content.decode()
    assert "2026-11-05" in page and "十月运营支撑工作量已核对" in page


def test_the_sheet_page_says_what_a_signature_waits_for(items_sheet, procurement):
    page = browser(procurement).get(f"/settlements/{items_sheet.pk}/").content.decode()

    assert "待验收" in page
    assert f'href="/orders/{items_sheet.order_id}/#acceptances"' in page


def test_procurement_sees_the_work_to_accept_and_the_vendor_does_not(
    items_sheet, milestone_sheet, procurement, vendor_pm
):
    def waiting(user):
        todos = {str(todo.title): todo for todo in dashboard(user=user, today=date(2026, 9, 3))}
        todo = todos.get("签署前待验收的工作")
        return todo and [item.label for item in todo.items]

    assert waiting(procurement) == [str(items_sheet), str(milestone_sheet)]
    assert waiting(vendor_pm) is None

    accepted(items_sheet, procurement)
    assert waiting(procurement) == [str(milestone_sheet)]
