"""The acceptance test of the reminders (issue 23): beat runs the daily reminders every day of
December 2026 (twice a day, to show a step is told once), the users act in between as the story
says, and each user's reminders are counted by kind and day, against figures worked out by hand.

The calendar: December 2026 (official, chinese-calendar) has no holiday; its working days are
Tue 1 – Fri 4, Mon 7 – Fri 11, Mon 14 – Fri 18, Mon 21 – Fri 25, Mon 28 – Thu 31. Waiting more
than 3 working days (NOTIFY_WAITING_WORKDAYS) since day S is told on add_workdays(S, 4).

One buyer (procurement, finance), two vendors:
- contract A (vendor PM `pm`): order A1, October signed on 2 November, its invoice YQ-0101
  received on Wednesday 4 November, so payable by Wednesday 16 December (finance/books.py).
  November's log is due by the 5th working day of December, Monday 7 December; 3 and 1 working
  days before: Wednesday 2 and Friday 4 December → `pm` is told on 2, 4 and 7 December and
  submits that afternoon. It waits from 7 December: told to procurement on Friday 11 (8, 9, 10,
  11), approved that day, scored and its sheet computed: the draft waits on the vendor from
  11 December, told Thursday 17 (14, 15, 16, 17), confirmed that day; then on procurement,
  told Wednesday 23 (18, 21, 22, 23), signed that day (its invoice is missing only 8 working
  days later, in January). A member registered on Tuesday 1 December waits for approval: told
  Monday 7 (2, 3, 4, 7), approved that day. YQ-0101 falls due within 5 working days on Wednesday
  9 December (10, 11, 14, 15, 16: finance), is overdue on Thursday 17 (finance and procurement).
- contract B (vendor PM `pm2`), ceiling set to 45,000.00, ending Saturday 30 January 2027:
  order B1 plans 41.5 × 900.00 = 37,350.00 = 83 % → 80 % told on 1 December; B2, issued on
  15 December, plans 5 × 900.00 = 4,500.00: 41,850.00 = 93 % → 90 % told on 16 December
  (procurement and finance). 60 days before its end: 1 December; 30 days: 31 December
  (procurement and `pm2`). Its November log is submitted on Thursday 3 December, after the
  reminder of the 2nd. October's sheet is signed on Tuesday 1 December and never invoiced:
  8 working days later, Friday 11 December (2, 3, 4, 7, 8, 9, 10, 11), `pm2` and finance are
  told. November's score, published on the 3rd, is disputed on Friday 4 December: told to
  procurement Thursday 10 (7, 8, 9, 10), published again and confirmed that day. A
  rectification issued on Monday 14 December is due 5 working days later, Monday 21: `pm2` is
  told the working day before (Friday 18) and on the day, and answers then.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment.models import Assessment
from assessment.services import assessment_confirm, assessment_dispute, assessment_publish
from contracts.models import FrameworkContract
from contracts.services import contract_activate
from demo.common import published_score
from governance.services import rectification_answer, rectification_issue
from notifications.models import Notification
from notifications.tasks import reminders_task
from orders.services import order_create, order_issue
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from staffing.services import staff_approve, staff_create
from tests.factories import ContractFactory, id_number, rate_card
from tests.finance.books import invoice
from tests.settlement.conftest import OCTOBER, approved_log, confirmed_score, issued
from tests.worklogs.conftest import member
from worklogs.lines import LineInput
from worklogs.models import WorkLog
from worklogs.services import worklog_approve, worklog_open, worklog_save, worklog_submit

NOVEMBER = date(2026, 11, 1)


def D(day):
    return date(2026, 12, day)


def _active(buyer, vendor, end_date):
    contract = ContractFactory(buyer=buyer, vendor=vendor, end_date=end_date)
    rate_card(contract)
    return contract_activate(contract=contract)


def _signed(order, vendor_pm, procurement, month):
    settlements_compute(month=month, order_id=order.pk)
    sheet = SettlementSheet.objects.get(order=order, month=month)
    return sheet_confirm(sheet=sheet_confirm(sheet=sheet, actor=vendor_pm), actor=procurement)


@pytest.mark.django_db
def test_a_month_of_beat(
    buyer, vendor, other_vendor, procurement, finance, vendor_pm, other_vendor_pm, clock
):
    a = _active(buyer, vendor, date(2027, 6, 30))
    b = _active(buyer, other_vendor, date(2027, 1, 30))
    FrameworkContract.objects.filter(pk=b.pk).update(ceiling_incl_tax=Decimal("45000.00"))
    clock(date(2026, 11, 2))
    a1, b1 = issued(a, "A 运营"), issued(b, "B 运营")
    ma, mb = member(a, 1), member(b, 2)
    for order, person, pm in [(a1, ma, vendor_pm), (b1, mb, other_vendor_pm)]:
        approved_log(order, OCTOBER, [(person, "10")], procurement)
        confirmed_score(order, OCTOBER, "50", procurement, pm)
    october_a = _signed(a1, vendor_pm, procurement, OCTOBER)
    clock(date(2026, 11, 4))
    invoice([october_a], finance, "YQ-0101", date(2026, 11, 4), "9000.00", "8490.57", "509.43",
            received_on=date(2026, 11, 4))  # fmt: skip
    state = {}

    def act(day):
        """What the users do on `day`, after the morning's reminders."""
        if day == D(1):
            _signed(b1, other_vendor_pm, procurement, OCTOBER)
            state["pending"] = staff_create(
                contract=a, id_number=id_number(3), name="新人", phone="13812345678",
                education="本科", years_experience=9, role="产品/平台服务", level="高级",
                start_date=D(1),
            )  # fmt: skip
        elif day == D(3):
            approved_log(b1, NOVEMBER, [(mb, "10")], procurement)
            state["score"] = published_score(b1, NOVEMBER, "50", [], procurement)
        elif day == D(4):
            assessment_dispute(assessment=state["score"], reason="考核分有误")
        elif day == D(7):
            log = worklog_open(order=a1, month=NOVEMBER)
            worklog_save(log=log, lines=[LineInput(ma.pk, Decimal("10"), ma.name)])
            state["log"] = worklog_submit(log=log)
            staff_approve(member=state["pending"], actor=procurement)
        elif day == D(10):
            score = Assessment.objects.get(pk=state["score"].pk)
            score = assessment_publish(assessment=score, actor=procurement)
            assessment_confirm(assessment=score, actor=other_vendor_pm)
        elif day == D(11):
            worklog_approve(log=WorkLog.objects.get(pk=state["log"].pk), actor=procurement)
            confirmed_score(a1, NOVEMBER, "50", procurement, vendor_pm)
            settlements_compute(month=NOVEMBER, order_id=a1.pk)
        elif day == D(14):
            state["rectification"] = rectification_issue(
                order=b1, description="周报缺失", actor=procurement
            )
        elif day == D(15):
            b2 = order_create(
                contract=b, name="B 加派", service_start=D(15), service_end=D(31),
                lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": "5"}],
            )  # fmt: skip
            order_issue(order=b2)
        elif day == D(17):
            sheet = SettlementSheet.objects.get(order=a1, month=NOVEMBER)
            sheet_confirm(sheet=sheet, actor=vendor_pm)
        elif day == D(21):
            rectification_answer(
                rectification=state["rectification"], answer="已补交", actor=other_vendor_pm
            )
        elif day == D(23):
            sheet = SettlementSheet.objects.get(order=a1, month=NOVEMBER)
            sheet_confirm(sheet=sheet, actor=procurement)

    day = D(1)
    while day <= D(31):
        clock(day)
        reminders_task()
        before = Notification.objects.count()
        reminders_task()  # beat running twice on one day tells nobody anything new
        assert Notification.objects.count() == before, day
        act(day)
        day += timedelta(days=1)

    received = {}
    for n in Notification.objects.exclude(key="").select_related("user"):
        days = received.setdefault(n.user.username, {}).setdefault(n.kind, [])
        days.append(timezone.localdate(n.created_at).day)
    for kinds in received.values():
        for days in kinds.values():
            days.sort()
    assert received == {
        "pm": {"log_due": [2, 4, 7], "signature_waiting": [17]},
        "pm2": {
            "log_due": [2],
            "invoice_missing": [11],
            "rectification_due": [18, 21],
            "contract_ending": [1, 31],
        },
        "caigou": {
            "approval_waiting": [7, 10, 11],  # the member, the disputed score, the log
            "signature_waiting": [23],
            "payment_overdue": [17],
            "ceiling_used": [1, 16],
            "contract_ending": [1, 31],
        },
        "caiwu": {
            "payment_due": [9],
            "payment_overdue": [17],
            "invoice_missing": [11],
            "ceiling_used": [1, 16],
        },
    }
    # Each step once per user (the database holds it too: notification_once_per_key).
    steps = list(Notification.objects.exclude(key="").values_list("user", "key"))
    assert len(steps) == len(set(steps)) == 24
    assert set(
        Notification.objects.filter(user=procurement, kind="ceiling_used").values_list(
            "key", flat=True
        )
    ) == {f"ceiling_used:{b.pk}:45000.00:80", f"ceiling_used:{b.pk}:45000.00:90"}
