"""Seed 004's milestones fall due on the dates its contract names (商务条件 一), counted from the
signing on the portal's calendar, its sheet computed from the day it is payable (合同满10个月后,
not before); the 40% paid on its date is trued up on the year's score (考核条款 2): a year below
90% gives back amount × score / 100 − what the sheet paid by one adjustment sheet, once, even
when two requests ask at the same moment (and never more than the ceiling let it pay); a year at
90% or more gives back nothing; a milestone set to hold still waits for its score.

The demo's contract was signed on Thursday 2025-11-20. By hand, on the State Council's 2026
notice (国办发明电〔2025〕7号, as chinese-calendar 1.11 ships it: 中秋 9/25–27 off, 国庆 10/1–7
off, Sunday 9/20 and Saturday 10/10 worked), 7 working days counted from the day after:
- 签订合同后7个工作日内: Fri 11/21 (1), Mon 11/24 (2), 11/25 (3), 11/26 (4), 11/27 (5),
  Fri 11/28 (6), Mon 12/1 (7) → 2025-12-01.
- 合同满6个月: 2025-11-20 + 6 months = Wednesday 2026-05-20 (Labour Day is behind it); Thu 5/21
  (1), Fri 5/22 (2), Mon 5/25 (3), 5/26 (4), 5/27 (5), 5/28 (6), Fri 5/29 (7) → 2026-05-29.
- 合同满10个月: 2025-11-20 + 10 months = Sunday 2026-09-20, the last day of the ten months
  (民法典 201–202: the signing day not counted, the period ends on the same day of the month);
  it is itself a make-up working day but not one of the seven. Mon 9/21 (1), 9/22 (2), 9/23 (3),
  Thu 9/24 (4); Fri 9/25 – Sun 9/27 中秋 off; Mon 9/28 (5), Tue 9/29 (6), Wed 9/30 (7)
  → 2026-09-30. The count ends before 国庆 (10/1–7), which does not apply.
"""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from contracts.models import FrameworkContract
from core.errors import DomainError
from demo.fixed_price import DEMO_SIGNED, DEMO_START, confirmed_period, fixed_price_contract
from kpi.models import LiveSession, Platform
from kpi.services import kpi_report_approve, kpi_report_save, kpi_report_submit
from orders.models import PaymentPlanItem
from settlement.models import SettlementSheet
from settlement.services import milestone_true_up, payment_sheet_compute, sheet_confirm
from tests.factories import accepted

Kind = SettlementSheet.Kind


@pytest.fixture
def demo_order(buyer, vendor):
    """004 signed and started on the demo's dates: its year is December 2025 – November 2026."""
    _contract, order = fixed_price_contract(
        buyer=buyer,
        vendor=vendor,
        code="AYQ-2025-004",
        signed_on=DEMO_SIGNED,
        service_start=DEMO_START,
    )
    return order


def milestone(order, months) -> PaymentPlanItem:
    return order.payment_plan.select_related("order__contract").get(due_after_months=months)


def year_of_reports(order, procurement, *, views, followers):
    """Twelve approved months: 15 videos, `views` plays and `followers` new followers a month,
    and 12 live sessions of 2 hours with 2,000 viewers each a month (Douyin)."""
    month = DEMO_START
    for _n in range(12):
        LiveSession.objects.bulk_create(
            LiveSession(
                order=order,
                date=month + timedelta(days=day),
                platform=Platform.DOUYIN,
                minutes=120,
                viewers=2000,
            )
            for day in range(12)
        )
        report = kpi_report_save(
            order=order,
            month=month,
            figures={"videos": 15, "views": views, "followers": followers},
        )
        kpi_report_approve(report=kpi_report_submit(report=report), actor=procurement)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)


def signed_at_100(order, procurement, vendor_pm) -> SettlementSheet:
    """The 40% computed on its date, before the year's score: in full, then signed."""
    sheet = payment_sheet_compute(item=milestone(order, 10))
    assert (sheet.month, sheet.score, sheet.assessment, sheet.payable_incl_tax) == (
        date(2026, 9, 1),
        Decimal(100),
        None,
        Decimal("192000.00"),  # 480,000.00 × 40%
    )
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    accepted(sheet, procurement, accepted_on=date(2026, 9, 30))
    return sheet_confirm(sheet=sheet, actor=procurement)


def test_the_milestones_fall_due_7_working_days_after_their_date_from_the_signing(demo_order):
    assert [milestone(demo_order, months).due_on for months in (0, 6, 10)] == [
        date(2025, 12, 1),
        date(2026, 5, 29),
        date(2026, 9, 30),
    ]


def test_a_milestone_is_payable_from_its_date(demo_order):
    assert [milestone(demo_order, months).payable_from for months in (0, 6, 10)] == [
        date(2025, 11, 20),
        date(2026, 5, 20),
        date(2026, 9, 20),
    ]


def test_its_sheet_is_computed_from_the_day_it_is_payable(clock, demo_order):
    clock(date(2026, 9, 19))  # 10 months not yet complete
    with pytest.raises(DomainError) as early:
        payment_sheet_compute(item=milestone(demo_order, 10))
    assert "2026-09-20" in early.value.message
    clock(date(2026, 9, 20))
    sheet = payment_sheet_compute(item=milestone(demo_order, 10))
    assert (sheet.month, sheet.payable_incl_tax) == (date(2026, 9, 1), Decimal("192000.00"))


def test_the_api_and_the_milestones_page_show_the_due_day(api, client, demo_order, procurement):
    plan = api(procurement).get(f"/api/v1/orders/{demo_order.pk}/").json()["payment_plan"]
    assert [(item["due_on"], item["settle_rule"]) for item in plan] == [
        ("2025-12-01", "true_up"),
        ("2026-05-29", "hold"),
        ("2026-09-30", "true_up"),
    ]
    client.force_login(procurement)
    page = client.get(f"/orders/{demo_order.pk}/milestones/").content.decode()
    assert "2026-09-30" in page and "按期全额支付，考核低于90%时按得分核减" in page


def test_a_year_at_85_percent_is_trued_up_by_its_score(demo_order, procurement, vendor_pm):
    sheet = signed_at_100(demo_order, procurement, vendor_pm)
    year_of_reports(demo_order, procurement, views=85000, followers=850)
    year = confirmed_period(demo_order, 12, procurement, vendor_pm)
    # The year: videos 180/180 → 15.00; views 1,020,000/1,200,000 = 85% → 15 × 0.85 = 12.75;
    # followers 10,200/12,000 = 85% → 20 × 0.85 = 17.00; 144 sessions of 2 h → 15.00; 288 h
    # → 15.00; 144 of 144 sessions with ≥ 800 viewers → 10.00; 288,000 ≥ 280,000 viewers →
    # 10.00; no bonus (plays under 1.5 million, viewers under 350,000): 94.75. Achievement:
    # the least share, 85%, below the 90% pass line: paid by the score.
    assert year.total_score == Decimal("94.75")

    adjustment = milestone_true_up(item=milestone(demo_order, 10), actor=procurement)

    # 192,000.00 × 94.75 / 100 = 181,920.00 payable: 181,920.00 − 192,000.00 = −10,080.00;
    # excl. tax −10,080.00 / 1.06 = −9,509.43.
    assert (adjustment.kind, adjustment.adjusts, adjustment.assessment) == (
        Kind.ADJUSTMENT,
        sheet,
        year,
    )
    assert (adjustment.payable_incl_tax, adjustment.payable_excl_tax) == (
        Decimal("-10080.00"),
        Decimal("-9509.43"),
    )
    for words in ("合同满10个月", "12", "2025-12", "85.00%", "94.75"):
        assert words in adjustment.adjustment_reason, words
    year.refresh_from_db()
    assert year.locked_at is not None  # the score it rests on is no longer reopened

    sheet_confirm(sheet=adjustment, actor=vendor_pm)
    signed = sheet_confirm(sheet=adjustment, actor=procurement)
    assert signed.status == SettlementSheet.Status.SIGNED
    signed.contract.refresh_from_db()
    assert signed.contract.settled_total == Decimal("181920.00")

    with pytest.raises(DomainError) as refused:
        milestone_true_up(item=milestone(demo_order, 10), actor=procurement)
    assert refused.value.status == 409
    assert SettlementSheet.objects.filter(kind=Kind.ADJUSTMENT).count() == 1


def test_a_sheet_cut_by_the_ceiling_gives_back_only_what_it_paid_above_the_score(
    demo_order, procurement, vendor_pm
):
    FrameworkContract.objects.filter(pk=demo_order.contract_id).update(
        ceiling_incl_tax=Decimal("185000.00")
    )
    sheet = payment_sheet_compute(item=milestone(demo_order, 10))
    assert (sheet.payable_incl_tax, sheet.capped) == (Decimal("185000.00"), True)
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    accepted(sheet, procurement, accepted_on=date(2026, 9, 30))
    sheet_confirm(sheet=sheet, actor=procurement)
    year_of_reports(demo_order, procurement, views=85000, followers=850)
    confirmed_period(demo_order, 12, procurement, vendor_pm)

    adjustment = milestone_true_up(item=milestone(demo_order, 10), actor=procurement)

    # Scored 94.75 (as above): 192,000.00 × 94.75 / 100 = 181,920.00 owed, 185,000.00 paid:
    # 181,920.00 − 185,000.00 = −3,080.00 (not −10,080.00); excl. tax −3,080.00 / 1.06 =
    # −2,905.660… → −2,905.66.
    assert (adjustment.payable_incl_tax, adjustment.payable_excl_tax) == (
        Decimal("-3080.00"),
        Decimal("-2905.66"),
    )


def test_a_year_at_92_percent_is_not_trued_up(api, demo_order, procurement, vendor_pm):
    signed_at_100(demo_order, procurement, vendor_pm)
    year_of_reports(demo_order, procurement, views=92000, followers=1000)
    year = confirmed_period(demo_order, 12, procurement, vendor_pm)
    # views 1,104,000/1,200,000 = 92% → 13.80, the rest in full: 98.80; 92% passes: paid in full.
    assert year.total_score == Decimal("98.80")

    answer = api(procurement).post(
        "/api/v1/settlements/true-up-milestone/",
        {"payment_item": milestone(demo_order, 10).pk},
        format="json",
    )

    assert answer.status_code == 409
    assert not SettlementSheet.objects.filter(kind=Kind.ADJUSTMENT).exists()


def test_the_true_up_through_the_api_and_a_second_refused(api, demo_order, procurement, vendor_pm):
    signed_at_100(demo_order, procurement, vendor_pm)
    year_of_reports(demo_order, procurement, views=85000, followers=850)
    confirmed_period(demo_order, 12, procurement, vendor_pm)
    body = {"payment_item": milestone(demo_order, 10).pk}

    assert api(vendor_pm).post("/api/v1/settlements/true-up-milestone/", body).status_code == 403
    made = api(procurement).post("/api/v1/settlements/true-up-milestone/", body)
    again = api(procurement).post("/api/v1/settlements/true-up-milestone/", body)

    assert made.status_code == 200, made.json()
    assert (made.json()["kind"], made.json()["payable_incl_tax"]) == ("adjustment", "-10080.00")
    assert again.status_code == 409


def test_a_held_milestone_still_waits_for_its_score(api, demo_order, procurement):
    PaymentPlanItem.objects.filter(order=demo_order, due_after_months=10).update(
        settle_rule=PaymentPlanItem.SettleRule.HOLD
    )
    body = {"payment_item": milestone(demo_order, 10).pk}

    waiting = api(procurement).post("/api/v1/settlements/compute-milestone/", body)

    assert waiting.status_code == 400
    assert "合同满10个月" in str(waiting.json())
    assert not SettlementSheet.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_true_ups_at_once_make_one_sheet(demo_order, procurement, vendor_pm):
    signed_at_100(demo_order, procurement, vendor_pm)
    year_of_reports(demo_order, procurement, views=85000, followers=850)
    confirmed_period(demo_order, 12, procurement, vendor_pm)
    item = milestone(demo_order, 10)
    barrier = threading.Barrier(2)
    outcomes = [None, None]

    def true_up(index):
        try:
            barrier.wait()
            outcomes[index] = milestone_true_up(item=item, actor=procurement).kind
        except DomainError as error:
            outcomes[index] = error.status
        finally:
            connection.close()

    threads = [threading.Thread(target=true_up, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes, key=str) == [409, Kind.ADJUSTMENT]
    assert SettlementSheet.objects.filter(kind=Kind.ADJUSTMENT).count() == 1
