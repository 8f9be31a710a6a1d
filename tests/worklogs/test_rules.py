"""The rules a log's days obey: the official calendar, a person's working days across orders and
contracts, steps of half a day, the order's period, the contract's staff and rate card."""

from datetime import date
from decimal import Decimal

import pytest

from core.calendar import nth_workday, working_days
from staffing.services import staff_give_notice
from tests.factories import ContractFactory, rate_card
from tests.worklogs.conftest import issued_order, member
from worklogs.lines import LineInput, WorkLogError
from worklogs.models import WorkLog
from worklogs.services import worklog_open, worklog_save

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)


def save(order, month, *lines):
    log = worklog_open(order=order, month=month)
    return worklog_save(
        log=log, lines=[LineInput(staff.pk, Decimal(days), staff.name) for staff, days in lines]
    )


def refused(order, month, *lines):
    with pytest.raises(WorkLogError) as error:
        save(order, month, *lines)
    return error.value.messages


def test_the_official_calendar_counts_make_up_working_days():
    # October 2026: 22 weekdays, 1–7 October off (5 of them weekdays), Saturday 10th worked.
    assert working_days(OCTOBER) == 18
    # February 2026: Spring Festival 15–23, Saturdays 14th and 28th worked.
    assert working_days(date(2026, 2, 1)) == 16
    assert nth_workday(OCTOBER, 5) == date(2026, 10, 13)


def test_half_a_day_beyond_the_months_working_days_over_two_orders_is_refused(
    active_contract, order, staff
):
    second = issued_order(active_contract, name="第二个订单")
    save(order, OCTOBER, (staff[0], "10"))

    problems = refused(second, OCTOBER, (staff[0], "8.5"))

    assert problems == [
        "员工1：员工1 在 2026-10 将有 18.5 天，超过本月 18 个工作日（其他订单已填 10 天）"
    ]
    save(second, OCTOBER, (staff[0], "8"))
    assert WorkLog.objects.get(order=second).total_days == Decimal("8")


def test_the_cap_counts_a_person_across_contracts(active_contract, buyer, vendor, order):
    from contracts.services import contract_activate

    leaving = member(active_contract, 7)
    staff_give_notice(member=leaving, notice_date=date(2026, 9, 1), last_day=date(2026, 10, 15))
    other = contract_activate(
        contract=rate_card(ContractFactory(buyer=buyer, vendor=vendor, code="KJ-2"))
    )
    joined = member(other, 7, start_date=date(2026, 10, 16))
    # Up to the last day, 15 October: 8, 9, Saturday 10 (make-up) and 12–15 October.
    assert refused(order, OCTOBER, (leaving, "10")) == [
        "员工7：员工7 2026年10月在本订单最多 7 个工作日（10月15日离场）"
    ]
    save(order, OCTOBER, (leaving, "7"))

    # From 16 October: 16, 19–23 and 26–30 October are 11 working days.
    problems = refused(issued_order(other), OCTOBER, (joined, "12"))

    assert problems[0] == "员工7：员工7 2026年10月在本订单最多 11 个工作日（10月16日起到岗）"
    assert "19 天，超过本月 18 个工作日" in problems[1]


@pytest.mark.parametrize("days", ["0.3", "-1", "1.25"])
def test_days_are_at_least_zero_in_steps_of_half_a_day(order, staff, days):
    problems = refused(order, OCTOBER, (staff[0], days))

    assert problems == [f"员工1：{days} 不是 ≥ 0 且以 0.5 递增的天数"]
    assert not WorkLog.objects.get().lines.exists()


def test_a_month_outside_the_order_is_refused(order, staff):
    with pytest.raises(WorkLogError, match="超出订单服务周期"):
        save(order, date(2026, 12, 1), (staff[0], "1"))
    assert not WorkLog.objects.exists()


def test_only_staff_of_the_contract_active_that_month_may_be_logged(
    active_contract, order, other_active_contract
):
    later = member(active_contract, 3, start_date=date(2026, 11, 2))
    gone = member(active_contract, 4)
    staff_give_notice(member=gone, notice_date=date(2026, 8, 1), last_day=date(2026, 9, 30))
    pending = member(active_contract, 5, years_experience=1, exception_reason="破格")
    stranger = member(other_active_contract, 6)

    problems = refused(order, OCTOBER, (later, "1"), (gone, "1"), (pending, "1"), (stranger, "1"))

    assert len(problems) == 4
    not_on = [p for p in problems if f"不在合同 {active_contract.code} 的 2026-10 在岗人员中" in p]
    assert len(not_on) == 3
    assert "员工5：尚待采购方批准，暂不能填报工日" in problems


def test_role_and_level_must_be_priced_on_the_rate_card(active_contract, order):
    from contracts.models import RateCardLine

    intermediate = member(active_contract, 8, level="中级")
    RateCardLine.objects.filter(level="中级").update(price_excl_tax=None)

    problems = refused(order, OCTOBER, (intermediate, "2"))

    assert problems == ["员工8：产品/平台服务 中级 在报价表中没有成交价"]


def test_an_approved_log_cannot_be_edited(order, staff, procurement):
    from worklogs.services import worklog_approve, worklog_submit

    log = save(order, OCTOBER, (staff[0], "10"))
    worklog_approve(log=worklog_submit(log=log), actor=procurement)

    with pytest.raises(WorkLogError, match="不能编辑"):
        save(order, OCTOBER, (staff[0], "11"))
