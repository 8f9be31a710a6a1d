"""The steps of a month's log agree on its page, in the API and in the services: the vendor
submits it (again after a return); procurement approves or returns it, and reopens an approved
one until a confirmed sheet rests on it."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.transitions import flow_agrees
from worklogs.lines import LineInput, WorkLogError
from worklogs.models import WorkLog
from worklogs.services import (
    worklog_approve,
    worklog_open,
    worklog_reopen,
    worklog_return,
    worklog_save,
    worklog_submit,
)

pytestmark = pytest.mark.django_db
Status = WorkLog.Status
LOCKED = "locked"  # approved, and a sheet the vendor confirmed rests on it
OCTOBER = date(2026, 10, 1)


@pytest.fixture
def users(vendor_pm, other_vendor_pm, procurement, finance):
    return [vendor_pm, other_vendor_pm, procurement, finance]


def log_in(state, order, member, procurement):
    log = worklog_save(
        log=worklog_open(order=order, month=OCTOBER),
        lines=[LineInput(member.pk, Decimal(10), member.name)],
    )
    if state != Status.DRAFT:
        log = worklog_submit(log=log)
    if state in (Status.APPROVED, Status.RETURNED, LOCKED):
        log = worklog_approve(log=log, actor=procurement)
    if state == Status.RETURNED:  # returned after its approval, the longer way round
        log = worklog_reopen(log=log, reason="人天有误")
    if state == LOCKED:
        # What settlement does when the vendor confirms the month's sheet.
        WorkLog.objects.filter(pk=log.pk).update(locked_at=timezone.now())
    return WorkLog.objects.get(pk=log.pk)


@pytest.mark.parametrize("state", [*Status.values, LOCKED])
def test_a_logs_page_api_and_flow_agree(state, order, staff, users, procurement):
    log = log_in(state, order, staff[0], procurement)
    flow_agrees(
        flow=WorkLog.flow,
        obj=log,
        page=f"/orders/{order.pk}/worklog/2026-10/",
        api=f"/api/v1/worklogs/{log.pk}/",
        users=users,
        data={"return": {"reason": "人天有误"}, "reopen": {"reason": "人天有误"}},
    )


def test_a_returned_log_goes_back_to_the_vendor_with_the_reason(order, staff, procurement):
    submitted = log_in(Status.SUBMITTED, order, staff[0], procurement)
    log = worklog_return(log=submitted, reason="缺备注")

    assert (log.status, log.returned_reason) == (Status.RETURNED, "缺备注")
    assert worklog_submit(log=log).status == Status.SUBMITTED


def test_a_locked_log_is_refused_its_reopening_by_name(order, staff, procurement):
    log = log_in(LOCKED, order, staff[0], procurement)
    with pytest.raises(WorkLogError, match="调整结算单") as refused:
        worklog_reopen(log=log, reason="人天有误")
    assert refused.value.status == 409
