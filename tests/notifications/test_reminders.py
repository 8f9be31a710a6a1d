"""Each daily reminder on hand-built data: it is told on the exact day its step comes, not the
day before, and once (a later day, or the same day run again, tells nothing new). Days are
counted on the official 2026 calendar (chinese-calendar): National Day 1–7 October off,
Saturday 10 October worked; December has no holiday."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import Assessment
from assessment.services import assessment_dispute
from contracts.models import FrameworkContract
from demo.common import published_score
from finance.models import Invoice
from governance.services import rectification_answer, rectification_issue
from kpi.services import kpi_report_save, kpi_report_submit
from notifications.models import Notification
from notifications.reminders import send_reminders
from orders.services import order_create, order_issue
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from staffing.models import StaffMember
from staffing.services import staff_approve, staff_create, staff_update
from tests.factories import id_number
from tests.finance.books import NOVEMBER_27, invoice, pay
from tests.settlement.conftest import OCTOBER, approved_log, issued
from tests.worklogs.conftest import member
from worklogs.lines import LineInput
from worklogs.models import WorkLog
from worklogs.services import worklog_open, worklog_return, worklog_save, worklog_submit

NOVEMBER = date(2026, 11, 1)


def D(month, day):
    return date(2026, month, day)


def run(first, last, *kinds):
    """The daily task from `first` to `last`: {day: [(username, kind, key)] of `kinds` told
    that day}. Each day runs twice; the second run must tell nothing."""
    told = {}
    day = first
    while day <= last:
        before = set(Notification.objects.values_list("pk", flat=True))
        send_reminders(today=day)
        assert send_reminders(today=day) == 0
        made = Notification.objects.filter(kind__in=kinds).exclude(pk__in=before)
        made = made.select_related("user")
        if made:
            told[day] = sorted((n.user.username, n.kind, n.key) for n in made)
        day += timedelta(days=1)
    return told


# ── worklogs ─────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_a_missing_log_is_told_3_1_and_0_working_days_before_its_due_day(
    active_contract, vendor_pm, procurement
):
    """November's log is due by the 5th working day of December, Monday 7: 3 working days
    before is Wednesday 2, 1 is Friday 4. Nothing after the due day."""
    order = issued(active_contract)
    told = run(D(11, 30), D(12, 9), "log_due")
    key = f"log_due:{order.pk}:2026-11"
    assert told == {
        D(12, 2): [("pm", "log_due", f"{key}:3")],
        D(12, 4): [("pm", "log_due", f"{key}:1")],
        D(12, 7): [("pm", "log_due", f"{key}:0")],
    }
    text = Notification.objects.get(key=f"{key}:0").text
    assert order.number in text and "2026-12-07" in text


@pytest.mark.django_db
def test_a_submitted_log_stops_the_reminders_of_its_due_day(active_contract, vendor_pm):
    order = issued(active_contract)
    person = member(active_contract, 1)
    log = worklog_open(order=order, month=NOVEMBER)
    worklog_save(log=log, lines=[LineInput(person.pk, Decimal("10"), person.name)])
    worklog_submit(log=log)
    assert not Notification.objects.filter(kind="log_due").exists()
    assert run(D(12, 1), D(12, 7), "log_due") == {}


@pytest.mark.django_db
def test_a_log_waiting_for_approval_is_told_after_3_working_days_across_national_day(
    active_contract, vendor_pm, procurement, clock
):
    """Submitted Wednesday 30 September: 8, 9, Saturday 10 (worked) and Monday 12 October are
    its 4 working days after, so procurement is told on the 12th, not on Saturday 10. Returned
    and submitted again on the 13th, it waits anew: told on Monday 19 (14, 15, 16, 19)."""
    order = issued(active_contract)
    person = member(active_contract, 1)
    clock(D(9, 30))
    log = worklog_open(order=order, month=D(9, 1))
    worklog_save(log=log, lines=[LineInput(person.pk, Decimal("10"), person.name)])
    worklog_submit(log=log)
    key = f"approval_waiting:log:{log.pk}"
    assert run(D(10, 9), D(10, 13), "approval_waiting") == {
        D(10, 12): [("caigou", "approval_waiting", f"{key}:2026-09-30")]
    }
    clock(D(10, 13))
    log = worklog_return(log=WorkLog.objects.get(pk=log.pk), reason="天数有误")
    worklog_submit(log=log)
    assert run(D(10, 14), D(10, 20), "approval_waiting") == {
        D(10, 19): [("caigou", "approval_waiting", f"{key}:2026-10-13")]
    }


# ── staffing and assessment ──────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_a_pending_member_and_a_disputed_score_wait_on_procurement(
    active_contract, procurement, vendor_pm, clock
):
    """Registered on Tuesday 1 December: told Monday 7 (2, 3, 4, 7). A score disputed on
    Wednesday 2 December: told Tuesday 8 (3, 4, 7, 8)."""
    order = issued(active_contract)
    person = member(active_contract, 1)
    approved_log(order, NOVEMBER, [(person, "10")], procurement)
    clock(D(12, 1))
    pending = staff_create(
        contract=active_contract, id_number=id_number(2), name="新人", phone="13812345678",
        education="本科", years_experience=9, role="产品/平台服务", level="高级",
        start_date=D(12, 1),
    )  # fmt: skip
    score = published_score(order, NOVEMBER, "50", [], procurement)
    clock(D(12, 2))
    assessment_dispute(assessment=score, reason="有误")
    assert run(D(12, 4), D(12, 9), "approval_waiting") == {
        D(12, 7): [
            ("caigou", "approval_waiting", f"approval_waiting:staff:{pending.pk}:2026-12-01")
        ],
        D(12, 8): [("caigou", "approval_waiting", f"approval_waiting:score:{score.pk}:2026-12-02")],
    }


@pytest.mark.django_db
def test_a_member_back_to_waiting_is_reminded_again(active_contract, procurement, clock):
    """Approved on Monday 7 December, then edited below the rule on Wednesday 9 (2 years for a
    senior): waiting again from the 9th, procurement is told Tuesday 15 (10, 11, 14, 15)."""
    clock(D(12, 1))
    person = staff_create(
        contract=active_contract, id_number=id_number(3), name="老员工", phone="13812345679",
        education="本科", years_experience=9, role="产品/平台服务", level="高级",
        start_date=D(12, 1),
    )  # fmt: skip
    clock(D(12, 7))
    staff_approve(member=person, actor=procurement)
    clock(D(12, 9))
    staff_update(
        member=StaffMember.objects.get(pk=person.pk),
        years_experience=2,
        exception_reason="项目急需，经验可由其他项目补足",
    )
    assert StaffMember.objects.get(pk=person.pk).status == "pending"
    assert run(D(12, 10), D(12, 16), "approval_waiting") == {
        D(12, 15): [
            ("caigou", "approval_waiting", f"approval_waiting:staff:{person.pk}:2026-12-09")
        ],
    }


# ── settlement ───────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_a_sheet_waits_on_the_vendor_then_on_procurement(
    worked_example, procurement, vendor_pm, clock
):
    """Computed on Monday 2 November: the vendor is told Friday 6 (3, 4, 5, 6); confirmed on
    Monday 9: procurement is told Friday 13 (10, 11, 12, 13)."""
    clock(D(11, 2))
    settlements_compute(month=OCTOBER, order_id=worked_example.pk)
    sheet = SettlementSheet.objects.get(order=worked_example)
    assert run(D(11, 2), D(11, 9), "signature_waiting") == {
        D(11, 6): [("pm", "signature_waiting", f"signature_waiting:{sheet.pk}:vendor")]
    }
    clock(D(11, 9))
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    assert run(D(11, 10), D(11, 16), "signature_waiting") == {
        D(11, 13): [("caigou", "signature_waiting", f"signature_waiting:{sheet.pk}:buyer")]
    }


@pytest.mark.django_db
def test_milestones_tell_procurement_when_they_can_be_settled(kpi_order, finance, procurement):
    """Seed 004's plan, signed Thursday 1 January 2026, each payable from its date and due 7
    working days later: the signing's payable 1 January (due Monday 12 January), the
    half-year's payable Wednesday 1 July (due Friday 10 July), held for the half-year's score;
    the 40% payable Sunday 1 November (合同满10个月, due Tuesday 10 November: 2, 3, 4, 5, 6, 9,
    10), paid on its date without waiting for the year's score; none settled. Procurement is
    told from the day each is payable, not its deadline: the first at once, the 40% on
    1 November, the half-year's only once its score is confirmed."""
    items = {item.due_after_months: item.pk for item in kpi_order.payment_plan.all()}
    assert sorted(items) == [0, 6, 10]
    assert run(D(10, 31), D(11, 2), "milestone_due") == {
        D(10, 31): [("caigou", "milestone_due", f"milestone_due:{items[0]}")],
        D(11, 1): [("caigou", "milestone_due", f"milestone_due:{items[10]}")],
    }
    Assessment.objects.create(
        order=kpi_order,
        month=date(2026, 6, 1),
        period_months=6,
        template=kpi_order.contract.assessment_template,
        status=Assessment.Status.CONFIRMED,
    )
    assert run(D(11, 3), D(11, 10), "milestone_due") == {
        D(11, 3): [("caigou", "milestone_due", f"milestone_due:{items[6]}")],
    }


@pytest.mark.django_db
def test_a_submitted_kpi_report_waits_on_procurement(kpi_order, procurement, vendor_pm, clock):
    """004's March report submitted on Friday 3 April 2026: past 3 working days (7, 8, 9; the
    6th is Qingming's day off) procurement is told Friday 10 April, once."""
    clock(D(4, 3))
    report = kpi_report_save(order=kpi_order, month=date(2026, 3, 1), figures={"videos": 15})
    kpi_report_submit(report=report)
    assert run(D(4, 8), D(4, 13), "approval_waiting") == {
        D(4, 10): [("caigou", "approval_waiting", f"approval_waiting:kpi:{report.pk}:2026-04-03")],
    }


# ── finance ──────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_a_signed_sheet_without_invoice_is_told_8_working_days_after_signing(
    sheets,
    finance,
    vendor_pm,
    clock,
):
    """Signed Monday 2 November: 3, 4, 5, 6, 9, 10, 11, 12 → Thursday 12, to the vendor's PMs
    and the buyer's finance; A, invoiced on the 5th, is not told."""
    a, b, c = sheets
    clock(D(11, 5))
    invoice([a], finance, "YQ-0101", D(11, 4), "45474.95", "42900.90", "2574.05")
    told = run(D(11, 11), D(11, 13), "invoice_missing")
    assert told == {
        D(11, 12): sorted(
            (user, "invoice_missing", f"invoice_missing:{sheet.pk}")
            for sheet in (b, c)
            for user in ("caiwu", "pm")
        )
    }


@pytest.mark.django_db
def test_a_received_invoice_is_told_5_working_days_before_it_is_due_and_once_overdue(
    books,
    procurement,
    finance,
    clock,
):
    """YQ-0001 (A and B, received 6 November) is payable by Friday 18 December: due within 5
    working days from Friday 11 (14, 15, 16, 17, 18); overdue from Saturday 19, B not paid.
    YQ-0003, not received, has no term yet."""
    received = Invoice.objects.get(number="YQ-0001")
    assert received.payment_due_by == D(12, 18)
    assert run(D(12, 10), D(12, 21), "payment_due", "payment_overdue") == {
        D(12, 11): [("caiwu", "payment_due", f"payment_due:{received.pk}:2026-12-18")],
        D(12, 19): [
            ("caigou", "payment_overdue", f"payment_overdue:{received.pk}:2026-12-18"),
            ("caiwu", "payment_overdue", f"payment_overdue:{received.pk}:2026-12-18"),
        ],
    }


@pytest.mark.django_db
def test_a_paid_invoice_is_not_told(books, finance, clock):
    _a, b, _c = books
    clock(NOVEMBER_27)
    pay(b, finance, NOVEMBER_27, "9000.00", "记-B")
    assert run(D(12, 10), D(12, 21), "payment_due", "payment_overdue") == {}


# ── contracts ────────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_the_ceiling_is_told_at_80_and_90_per_cent_once_each(
    active_contract, procurement, finance, vendor_pm, clock
):
    """Ceiling 45,000.00: an order of 41.5 × 900.00 = 37,350.00 is 83 % (80 % step); another
    of 5 × 900.00 = 4,500.00 makes 41,850.00, 93 % (90 % step). A contract found past 90 % at
    once is told 90 % only."""
    FrameworkContract.objects.filter(pk=active_contract.pk).update(
        ceiling_incl_tax=Decimal("45000.00")
    )
    clock(D(12, 1))
    issued(active_contract)
    key = f"ceiling_used:{active_contract.pk}:45000.00"
    assert run(D(12, 1), D(12, 2), "ceiling_used") == {
        D(12, 1): [("caigou", "ceiling_used", f"{key}:80"), ("caiwu", "ceiling_used", f"{key}:80")]
    }
    more = order_create(
        contract=active_contract, name="加派", service_start=D(12, 3), service_end=D(12, 31),
        lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": "5"}],
    )  # fmt: skip
    order_issue(order=more)
    assert run(D(12, 3), D(12, 4), "ceiling_used") == {
        D(12, 3): [("caigou", "ceiling_used", f"{key}:90"), ("caiwu", "ceiling_used", f"{key}:90")]
    }
    FrameworkContract.objects.filter(pk=active_contract.pk).update(
        ceiling_incl_tax=Decimal("46000.00")
    )
    assert run(D(12, 5), D(12, 5), "ceiling_used") == {
        D(12, 5): [
            ("caigou", "ceiling_used", f"ceiling_used:{active_contract.pk}:46000.00:90"),
            ("caiwu", "ceiling_used", f"ceiling_used:{active_contract.pk}:46000.00:90"),
        ]
    }


@pytest.mark.django_db
def test_a_contract_ending_is_told_60_and_30_days_before(active_contract, procurement, vendor_pm):
    """It ends on 31 December 2026: 60 days before is 1 November, 30 days 1 December."""
    assert active_contract.end_date == D(12, 31)
    key = f"contract_ending:{active_contract.pk}:2026-12-31"
    assert run(D(10, 31), D(12, 2), "contract_ending") == {
        day: [
            ("caigou", "contract_ending", f"{key}:{step}"),
            ("pm", "contract_ending", f"{key}:{step}"),
        ]
        for day, step in [(D(11, 1), 60), (D(12, 1), 30)]
    }


# ── governance ───────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_a_rectification_is_told_the_working_day_before_it_is_due_and_on_the_day(
    active_contract, procurement, vendor_pm, clock
):
    """Issued Monday 14 December, due 5 working days later, Monday 21: told Friday 18 and
    Monday 21. Answered, another is not told."""
    order = issued(active_contract)
    clock(D(12, 14))
    rectification = rectification_issue(order=order, description="周报缺失", actor=procurement)
    answered = rectification_issue(order=order, description="月报缺失", actor=procurement)
    rectification_answer(rectification=answered, answer="已补交", actor=vendor_pm)
    assert rectification.due_on == D(12, 21)
    key = f"rectification_due:{rectification.pk}:2026-12-21"
    assert run(D(12, 17), D(12, 22), "rectification_due") == {
        D(12, 18): [("pm", "rectification_due", f"{key}:1")],
        D(12, 21): [("pm", "rectification_due", f"{key}:0")],
    }
    notification = Notification.objects.get(key=f"{key}:1")
    assert notification.url == f"/governance/rectifications/{rectification.pk}/"


# ── efficiency ───────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db
def test_the_daily_run_reads_the_same_number_of_queries_for_1_or_5_orders(
    active_contract, vendor_pm, procurement
):
    """The bench has 2,000 orders: a day's run reads each finder's rows in a few queries,
    whatever their number, and passes over what everyone was told already."""

    def queries_of_a_second_run():
        send_reminders(today=D(12, 2))
        with CaptureQueriesContext(connection) as run:
            assert send_reminders(today=D(12, 2)) == 0
        return len(run)

    issued(active_contract, name="一")
    one = queries_of_a_second_run()
    for name in "二三四五":
        issued(active_contract, name=name)
    assert queries_of_a_second_run() == one
    assert Notification.objects.filter(kind="log_due").count() == 5
