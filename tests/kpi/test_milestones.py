"""Seed 004: a half-year at ≥ 90% of its baselines is paid in full, below in proportion to
its score; bonuses are shown; the milestones sign, invoice and pay as monthly sheets do."""

from datetime import date
from decimal import Decimal

import pytest

from core.errors import DomainError
from demo.fixed_price import approved_reports, confirmed_period
from settlement.documents import sheet_pdf
from settlement.models import SettlementSheet
from settlement.services import payment_sheet_compute, sheet_confirm
from tests.factories import accepted
from tests.pdf import pdf_text


def month_figures(videos, views, followers):
    return {
        "videos": videos,
        "views": views,
        "likes": views // 20,
        "shares": views // 100,
        "followers": followers,
        "enquiries": 30,
        "placements": 4,
    }


# Six months at 92% of the half-year baselines (videos 83/90, views 552,000/600,000,
# followers 5,520/6,000, sessions 67/72, viewers 132,480/144,000); the sessions last 2 hours
# each: hours 12 × 2 + 5 × 11 × 2 = 134/144.
AT_92 = [*[month_figures(14, 92000, 920)] * 5, month_figures(13, 92000, 920)]
# 22,080 viewers a month: 10 sessions of 2,150 and one of 580 (two of 290 in the first).
AT_92_SESSIONS = [
    [(120, 2150)] * 10 + [(120, 290)] * 2,
    *[[(120, 2150)] * 10 + [(120, 580)]] * 5,
]
# Six months at 80% (videos 72, views 480,000, followers 4,800, sessions 58, hours 116,
# viewers 115,200; 50 of the 58 sessions drew 800 viewers or more).
AT_80 = [month_figures(12, 80000, 800)] * 6
# 19,200 viewers a month: 9 of 2,050 and one of 750; then 8 of 2,300 and 2 of 400; then 8 of
# 2,350 and one of 400.
AT_80_SESSIONS = [
    *[[(120, 2050)] * 9 + [(120, 750)]] * 2,
    *[[(120, 2300)] * 8 + [(120, 400)] * 2] * 2,
    *[[(120, 2350)] * 8 + [(120, 400)]] * 2,
]


def milestone(order, months):
    return order.payment_plan.get(due_after_months=months)


def test_the_signing_milestone_is_paid_in_full_without_a_score(kpi_order):
    sheet = payment_sheet_compute(item=milestone(kpi_order, 0))

    assert (sheet.month, sheet.score, sheet.assessment, sheet.achievement) == (
        date(2026, 1, 1),
        Decimal(100),
        None,
        None,
    )
    assert (sheet.payable_incl_tax, sheet.payable_excl_tax, sheet.tax_amount) == (
        Decimal("144000.00"),
        Decimal("135849.06"),  # 144,000 / 1.06 = 135,849.0566
        Decimal("8150.94"),
    )


def test_a_half_year_at_92_percent_of_its_baselines_is_paid_in_full(
    kpi_order, procurement, vendor_pm
):
    approved_reports(kpi_order, AT_92, procurement, sessions=AT_92_SESSIONS)
    score = confirmed_period(kpi_order, 6, procurement, vendor_pm)

    sheet = payment_sheet_compute(item=milestone(kpi_order, 6))

    # The score stays below 90 (videos 14.44, views 13.80, followers 18.40, sessions 14.50,
    # hours 15 − 0.5 × 10 = 10.00, share of 800-viewer sessions 60/67 → 8.96, viewers 9.20):
    # the baselines decide.
    assert score.total_score == Decimal("89.30")
    assert sheet.achievement == Decimal("0.9200")
    assert (sheet.month, sheet.score, sheet.payable_incl_tax) == (
        date(2026, 7, 1),
        Decimal(100),
        Decimal("144000.00"),
    )


def test_a_half_year_at_80_percent_is_paid_in_proportion_to_its_score_with_its_bonus(
    kpi_order, procurement, vendor_pm
):
    approved_reports(kpi_order, AT_80, procurement, sessions=AT_80_SESSIONS)
    score = confirmed_period(kpi_order, 6, procurement, vendor_pm, bonuses={"bonus_media": 1})

    sheet = payment_sheet_compute(item=milestone(kpi_order, 6))

    # videos 15 − 0.08 × 18 = 13.56; views 12.00; followers 16.00; sessions 15 − 0.1 × 14 =
    # 13.60; hours 15 − 0.5 × 28 = 1.00; share 10 × 50/58 = 8.62; viewers 8.00 → 72.78,
    # and +1 for a city media report.
    assert (score.base_score, score.bonus_score, score.total_score) == (
        Decimal("72.78"),
        Decimal("1.00"),
        Decimal("73.78"),
    )
    assert sheet.achievement == Decimal("0.8000")
    # 144,000.00 × 73.78 / 100 = 106,243.20; excl. 106,243.20 / 1.06 = 100,229.4340.
    assert (sheet.score, sheet.payable_incl_tax, sheet.payable_excl_tax, sheet.tax_amount) == (
        Decimal("73.78"),
        Decimal("106243.20"),
        Decimal("100229.43"),
        Decimal("6013.77"),
    )

    sheet_confirm(sheet=sheet, actor=vendor_pm)
    accepted(sheet, procurement)
    signed = sheet_confirm(sheet=sheet, actor=procurement)

    assert signed.status == SettlementSheet.Status.SIGNED
    assert signed.contract.settled_total == Decimal("106243.20")
    assert signed.assessment.locked_at is not None


def test_a_milestone_waits_for_its_period_score_and_every_month_of_its_reports(
    kpi_order, procurement
):
    approved_reports(kpi_order, AT_92[:5], procurement, sessions=AT_92_SESSIONS)

    with pytest.raises(DomainError, match="2026-06"):
        confirmed_period(kpi_order, 6, procurement, None)
    with pytest.raises(DomainError, match="合同满6个月"):
        payment_sheet_compute(item=milestone(kpi_order, 6))
    assert not SettlementSheet.objects.exists()


def test_the_milestone_sheet_prints_its_period_and_score(kpi_order, procurement, vendor_pm):
    approved_reports(kpi_order, AT_80, procurement, sessions=AT_80_SESSIONS)
    confirmed_period(kpi_order, 6, procurement, vendor_pm, bonuses={"bonus_media": 1})
    sheet = payment_sheet_compute(item=milestone(kpi_order, 6))

    text = pdf_text(sheet_pdf(sheet))

    for expected in (
        "结算单",
        "付款阶段合同满6个月（合同总价的30%）",
        "600,000次480,00080%",
        "基准值达成率（取最低项）80%",
        "基础得分72.78分，加分1.00分，合计73.78分",
        "按考核得分等比例拨付",
        "￥106,243.20元",
    ):
        assert expected in text, expected
