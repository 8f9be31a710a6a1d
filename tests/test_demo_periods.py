"""The person-day seed contracts as `make run` loads them each settle a month end to end.

000 and 001 come with their rate cards only: a roster, an issued order, an approved month's log
and a confirmed score are made for them here through the services, then the month's sheet is
computed, confirmed by the vendor's PM and signed by procurement. 003 comes with eight months
of activity: its September sheet, a draft, is signed, and its October (log submitted, score
published) is carried through to a signed sheet.

Every figure is worked out by hand in the comments from the prices the demo loads (SPEC §3):
price incl. tax = round_half_up(price excl. × 1.06); base = Σ days × price incl.;
payable = round(base × score / 100); excl. = round(payable / 1.06); tax = the difference.
The demo's caps, which are also its agreed prices, give 849.06 × 1.06 = 900.0036 → 900.00,
754.72 × 1.06 = 800.0032 → 800.00, 471.70 × 1.06 = 500.0020 → 500.00,
1221.45 × 1.06 = 1294.7370 → 1294.74 and 586.50 × 1.06 = 621.6900 → 621.69.

000 (2025-12-01 – 2026-11-30) and 001 (2025-03-01 – 2026-02-28) have ended by the time these
tests are written, and `load_demo` expires a contract whose term is over: a closed contract
takes no staff and no order. Their tests set the portal's clock inside the term before loading.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from assessment.services import (
    assessment_confirm,
)
from contracts.models import FrameworkContract
from core.models import User
from demo.common import published_score
from orders.services import order_create, order_issue
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from staffing.services import staff_create
from tests.factories import approved, id_number
from worklogs.lines import LineInput
from worklogs.models import WorkLog
from worklogs.services import (
    worklog_approve,
    worklog_open,
    worklog_save,
    worklog_submit,
)

pytestmark = pytest.mark.django_db

CONTACTS = {
    "buyer_contact_name": "张采购",
    "buyer_contact_phone": "028-68394412",
    "buyer_contact_email": "caigou@example.com",
    "vendor_contact_name": "项目经理",
    "vendor_contact_phone": "13800005678",
    "vendor_contact_email": "pm@example.com",
    "assessment_and_settlement": "按照框架协议执行：按月按订单考核结算。",
}


def _people(code, vendor_login):
    contract = FrameworkContract.objects.get(code=code)
    buyer = User.objects.get(username="caigou")
    vendor = User.objects.get(username=vendor_login)
    assert (buyer.organization_id, vendor.organization_id) == (
        contract.buyer_id,
        contract.vendor_id,
    )
    return contract, buyer, vendor


def _staff(contract, serial, name, role, level, years, start):
    return approved(
        staff_create(
            contract=contract,
            # Born 1988-03-15: no clash with the demo's own people (born 1990).
            id_number=id_number(serial, born="19880315"),
            name=name,
            role=role,
            level=level,
            education="本科",
            years_experience=years,
            phone=f"1390000{serial:04d}",
            start_date=start,
        )
    )


def _issued_order(contract, name, start, end, lines):
    order = order_create(
        contract=contract,
        name=name,
        service_start=start,
        service_end=end,
        service_items="定制化运营支撑",
        lines=[
            {"role": role, "level": level, "planned_quantity": Decimal(quantity)}
            for role, level, quantity in lines
        ],
        **CONTACTS,
    )
    return order_issue(order=order)


def _approved_log(order, month, days, approver):
    log = worklog_open(order=order, month=month)
    worklog_save(
        log=log,
        lines=[LineInput(member.pk, Decimal(d), member.name) for member, d in days],
    )
    worklog_submit(log=log)
    return worklog_approve(log=log, actor=approver)


def _confirmed_score(order, month, quality, incidents, buyer, vendor):
    """附件2: `quality` of 50 by hand; each incident (indicator code, day) takes its points off."""
    incidents = [(code, day, "演示事件") for code, day in incidents]
    assessment = published_score(order, month, quality, incidents, buyer)
    return assessment_confirm(assessment=assessment, actor=vendor)


def _signed(sheet, buyer, vendor):
    sheet = sheet_confirm(sheet=sheet, actor=vendor)
    assert (sheet.status, sheet.vendor_confirmed_by) == ("vendor_confirmed", vendor)
    return sheet_confirm(sheet=sheet, actor=buyer)


def _lines(sheet):
    return sorted(
        (line.item, line.level, line.quantity, line.unit_price_incl_tax, line.amount)
        for line in sheet.lines.all()
    )


def _settle_fresh_month(contract, order, month, buyer, vendor):
    """Computes the order's month, has the vendor confirm and procurement sign; the signed
    sheet and how much the contract's settled and committed totals moved."""
    contract.refresh_from_db()
    settled, committed = contract.settled_total, contract.committed_total
    result = settlements_compute(month=month, order_id=order.pk)
    assert (result["month"], result["orders"], result["created"], result["skipped"]) == (
        f"{month:%Y-%m}",
        1,
        1,
        [],
    )
    sheet = SettlementSheet.objects.get(order=order, month=month)
    assert sheet.status == "draft"
    sheet = _signed(sheet, buyer, vendor)
    contract.refresh_from_db()
    return sheet, contract.settled_total - settled, committed - contract.committed_total


def _assert_signed(sheet, buyer, figures):
    """figures: base, score, payable incl. tax, excl. tax, tax."""
    sheet.refresh_from_db()
    assert (sheet.status, sheet.signed_by, sheet.capped) == ("signed", buyer, False)
    assert sheet.signed_at is not None and sheet.invoice_due_by is not None
    assert (
        sheet.base_amount,
        sheet.score,
        sheet.payable_incl_tax,
        sheet.payable_excl_tax,
        sheet.tax_amount,
    ) == figures
    assert sheet.uncapped_incl_tax == sheet.payable_incl_tax
    assert sheet.tax_rate == Decimal("0.06")
    assert sheet.worklog.locked_at is not None and sheet.assessment.locked_at is not None


def test_demo_001_settles_december_2025_from_rate_card_to_signed_sheet(clock):
    clock(date(2026, 1, 12))  # inside 001's term, which ends on 2026-02-28
    call_command("load_demo")
    contract, buyer, vendor = _people("MGYY-2025-001", "yunqi_pm")
    assert (contract.status, contract.end_date) == ("active", date(2026, 2, 28))
    assert not contract.staff.exists() and not contract.orders.exists()
    assert (contract.settled_total, contract.committed_total) == (Decimal(0), Decimal(0))

    start = date(2025, 12, 1)
    senior = _staff(contract, 1, "马骁", "AI应用定制服务", "高级", 7, start)
    junior = _staff(contract, 2, "林悦", "场景营销支撑服务", "初级", 2, start)
    order = _issued_order(
        contract,
        "AI彩铃模板定制与营销支撑",
        start,
        date(2026, 2, 28),
        [("AI应用定制服务", "高级", "60"), ("场景营销支撑服务", "初级", "60")],
    )
    # Planned: 60 × 900.00 + 60 × 500.00 = 54,000.00 + 30,000.00 = 84,000.00.
    assert (order.number, order.status, order.planned_amount) == (
        "MGYY-2025-001-001",
        "in_service",
        Decimal("84000.00"),
    )

    month = date(2025, 12, 1)  # 23 working days
    _approved_log(order, month, [(senior, "22"), (junior, "20.5")], buyer)
    # Quality 46.5 of 50, one complaint (−1 of 10), nothing else: 46.5 + 20 + 9 + 10 + 10 = 95.5.
    score = _confirmed_score(order, month, "46.5", [("complaint", 17)], buyer, vendor)
    assert score.total_score == Decimal("95.50")

    sheet, settled, released = _settle_fresh_month(contract, order, month, buyer, vendor)

    # AI应用定制服务 高级  22   × 900.00 = 19,800.00
    # 场景营销支撑服务 初级 20.5 × 500.00 = 10,250.00
    # base    = 30,050.00
    # payable = 30,050.00 × 95.5 / 100 = 28,697.75 (exact)
    # excl.   = 28,697.75 / 1.06 = 27,073.3490… → 27,073.35
    # tax     = 28,697.75 − 27,073.35 = 1,624.40
    assert _lines(sheet) == [
        ("AI应用定制服务", "高级", Decimal("22.0"), Decimal("900.00"), Decimal("19800.00")),
        ("场景营销支撑服务", "初级", Decimal("20.5"), Decimal("500.00"), Decimal("10250.00")),
    ]
    _assert_signed(
        sheet,
        buyer,
        (
            Decimal("30050.00"),
            Decimal("95.50"),
            Decimal("28697.75"),
            Decimal("27073.35"),
            Decimal("1624.40"),
        ),
    )
    assert settled == Decimal("28697.75")
    # The order reserved 84,000.00; it now reserves 84,000.00 − 28,697.75 = 55,302.25.
    assert released == Decimal("28697.75")
    contract.refresh_from_db()
    assert (contract.settled_total, contract.committed_total) == (
        Decimal("28697.75"),
        Decimal("55302.25"),
    )
    assert sheet.contract_settled_at_signing == Decimal("28697.75")
    # Remaining under the 5,000,000.00 ceiling: 5,000,000.00 − 28,697.75 = 4,971,302.25.
    assert sheet.contract_remaining_at_signing == Decimal("4971302.25")


def test_demo_000_settles_january_2026_from_rate_card_to_signed_sheet(clock):
    clock(date(2026, 2, 10))  # inside 000's term, which ends on 2026-11-30
    call_command("load_demo")
    contract, buyer, vendor = _people("MGYY-2025-000", "xinghe_pm")
    assert (contract.status, contract.end_date) == ("active", date(2026, 11, 30))
    assert not contract.staff.exists() and not contract.orders.exists()

    start = date(2026, 1, 1)
    live = _staff(contract, 3, "何军", "直播/直播运营", "中级", 4, start)
    video = _staff(contract, 4, "高敏", "视频/影音制作", "高级", 6, start)
    order = _issued_order(
        contract,
        "省侧新媒体直播与短视频运营支撑",
        start,
        date(2026, 6, 30),
        [("直播/直播运营", "中级", "120"), ("视频/影音制作", "高级", "120")],
    )
    # Planned: 120 × 800.00 + 120 × 900.00 = 96,000.00 + 108,000.00 = 204,000.00.
    assert (order.status, order.planned_amount) == ("in_service", Decimal("204000.00"))

    month = date(2026, 1, 1)  # 21 working days (1–3 January off, Sunday the 4th worked)
    _approved_log(order, month, [(live, "21"), (video, "18.5")], buyer)
    # Quality 44.25, one capability shortfall (−0.5 of 20), one security event (−2.5 of 10):
    # 44.25 + 19.5 + 10 + 7.5 + 10 = 91.25.
    score = _confirmed_score(
        order, month, "44.25", [("capability", 9), ("security", 22)], buyer, vendor
    )
    assert score.total_score == Decimal("91.25")

    sheet, settled, released = _settle_fresh_month(contract, order, month, buyer, vendor)

    # 直播/直播运营 中级 21   × 800.00 = 16,800.00
    # 视频/影音制作 高级 18.5 × 900.00 = 16,650.00
    # base    = 33,450.00
    # payable = 33,450.00 × 91.25 / 100 = 30,523.125 → 30,523.13 (half up, not to even)
    # excl.   = 30,523.13 / 1.06 = 28,795.4056… → 28,795.41
    # tax     = 30,523.13 − 28,795.41 = 1,727.72
    assert _lines(sheet) == [
        ("直播/直播运营", "中级", Decimal("21.0"), Decimal("800.00"), Decimal("16800.00")),
        ("视频/影音制作", "高级", Decimal("18.5"), Decimal("900.00"), Decimal("16650.00")),
    ]
    _assert_signed(
        sheet,
        buyer,
        (
            Decimal("33450.00"),
            Decimal("91.25"),
            Decimal("30523.13"),
            Decimal("28795.41"),
            Decimal("1727.72"),
        ),
    )
    assert (settled, released) == (Decimal("30523.13"), Decimal("30523.13"))
    contract.refresh_from_db()
    # Reserved: 204,000.00 − 30,523.13 = 173,476.87.
    assert (contract.settled_total, contract.committed_total) == (
        Decimal("30523.13"),
        Decimal("173476.87"),
    )


def test_demo_003_signs_its_september_draft_and_settles_october():
    call_command("load_demo")
    contract, buyer, vendor = _people("MGYY-2026-003", "yunqi_pm")
    order = contract.orders.get(batch=1)
    sheets = {s.month: s for s in SettlementSheet.objects.filter(order=order)}
    assert {month: s.status for month, s in sheets.items()} == {
        date(2026, 2, 1): "paid",
        date(2026, 3, 1): "paid",
        date(2026, 4, 1): "paid",
        date(2026, 5, 1): "paid",
        date(2026, 6, 1): "paid",
        date(2026, 7, 1): "invoiced",
        date(2026, 8, 1): "signed",
        date(2026, 9, 1): "draft",
    }
    settled, committed = contract.settled_total, contract.committed_total

    # September, 22 working days: 王磊 20, 刘洋 19.5, 周杰 18, 吴婷 21 days; the demo's score:
    # quality 46, one security event (−2.5), one complaint (−1): 46 + 20 + 9 + 7.5 + 10 = 92.5.
    # 产品/平台服务 高级 王磊 20   ×   900.00 = 18,000.00
    # 产品/平台服务 中级 刘洋 19.5 ×   800.00 = 15,600.00
    # 技术支持     高级 周杰 18   × 1,294.74 = 23,305.32
    # 技术支持     初级 吴婷 21   ×   621.69 = 13,055.49
    # base    = 69,960.81
    # amount  = 69,960.81 × 92.5 / 100 = 64,713.749 25 → 64,713.75
    # less the demo's decided 7.2 penalty (demo/penalties.py): 6,000.00
    # payable = 64,713.75 − 6,000.00 = 58,713.75
    # excl.   = 58,713.75 / 1.06 = 55,390.3301… → 55,390.33
    # tax     = 58,713.75 − 55,390.33 = 3,323.42
    september = _signed(sheets[date(2026, 9, 1)], buyer, vendor)
    assert _lines(september) == [
        ("产品/平台服务", "中级", Decimal("19.5"), Decimal("800.00"), Decimal("15600.00")),
        ("产品/平台服务", "高级", Decimal("20.0"), Decimal("900.00"), Decimal("18000.00")),
        ("技术支持", "初级", Decimal("21.0"), Decimal("621.69"), Decimal("13055.49")),
        ("技术支持", "高级", Decimal("18.0"), Decimal("1294.74"), Decimal("23305.32")),
    ]
    september.refresh_from_db()
    assert (september.status, september.signed_by, september.capped) == ("signed", buyer, False)
    assert (
        september.base_amount,
        september.score,
        september.uncapped_incl_tax,
        september.deductions_incl_tax,
        september.payable_incl_tax,
        september.payable_excl_tax,
        september.tax_amount,
    ) == (
        Decimal("69960.81"),
        Decimal("92.50"),
        Decimal("64713.75"),
        Decimal("6000.00"),
        Decimal("58713.75"),
        Decimal("55390.33"),
        Decimal("3323.42"),
    )
    assert september.offsets.get().status == "offset"
    contract.refresh_from_db()
    assert contract.settled_total - settled == Decimal("58713.75")

    # October: the demo leaves its log submitted and its score published; procurement approves
    # the one, the vendor confirms the other.
    month = date(2026, 10, 1)
    log = WorkLog.objects.get(order=order, month=month)
    assert log.status == "submitted"
    worklog_approve(log=log, actor=buyer)
    assessment = order.assessments.get(month=month, period_months=1)
    assert (assessment.status, assessment.total_score) == ("published", Decimal("95.00"))
    assessment_confirm(assessment=assessment, actor=vendor)
    october, moved, released = _settle_fresh_month(contract, order, month, buyer, vendor)

    # October has 18 working days (National Day): every one is capped at 18 days.
    # Quality 45, no incidents: 45 + 20 + 10 + 10 + 10 = 95.
    # Supplementary agreement 1 re-prices 技术支持 高级 from October: 1,132.08 excl. = 1,200.00
    # incl. a day (September above still pays 1,294.74).
    # base    = 18 × (900.00 + 800.00 + 1,200.00 + 621.69) = 18 × 3,521.69 = 63,390.42
    # payable = 63,390.42 × 95 / 100 = 60,220.899 → 60,220.90
    # excl.   = 60,220.90 / 1.06 = 56,812.1698… → 56,812.17
    # tax     = 60,220.90 − 56,812.17 = 3,408.73
    assert _lines(october) == [
        ("产品/平台服务", "中级", Decimal("18.0"), Decimal("800.00"), Decimal("14400.00")),
        ("产品/平台服务", "高级", Decimal("18.0"), Decimal("900.00"), Decimal("16200.00")),
        ("技术支持", "初级", Decimal("18.0"), Decimal("621.69"), Decimal("11190.42")),
        ("技术支持", "高级", Decimal("18.0"), Decimal("1200.00"), Decimal("21600.00")),
    ]
    _assert_signed(
        october,
        buyer,
        (
            Decimal("63390.42"),
            Decimal("95.00"),
            Decimal("60220.90"),
            Decimal("56812.17"),
            Decimal("3408.73"),
        ),
    )
    assert (moved, released) == (Decimal("60220.90"), Decimal("60220.90"))
    contract.refresh_from_db()
    # 58,713.75 + 60,220.90 = 118,934.65 more settled, and as much less reserved by the order.
    assert contract.settled_total - settled == Decimal("118934.65")
    assert committed - contract.committed_total == Decimal("118934.65")
