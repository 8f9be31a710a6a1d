from datetime import date
from decimal import Decimal

import pytest

from assessment.services import assessment_confirm
from demo.common import published_score
from orders.services import order_create, order_issue
from tests.worklogs.conftest import member
from worklogs.lines import LineInput
from worklogs.services import (
    worklog_approve,
    worklog_open,
    worklog_save,
    worklog_submit,
)

OCTOBER = date(2026, 10, 1)


def issued(contract, name="运营支撑", planned="41.5"):
    order = order_create(
        contract=contract,
        name=name,
        service_start=date(2026, 2, 1),
        service_end=date(2026, 12, 31),
        lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": planned}],
    )
    return order_issue(order=order)


def approved_log(order, month, days_by_member, approver):
    log = worklog_open(order=order, month=month)
    worklog_save(log=log, lines=[LineInput(m.pk, Decimal(d), m.name) for m, d in days_by_member])
    return worklog_approve(log=worklog_submit(log=log), actor=approver)


def confirmed_score(order, month, quality, buyer, vendor, deductions=()):
    """A confirmed 附件2 score: `quality` points plus the incidents named by indicator code."""
    incidents = [(code, 2 + n, "事件") for n, code in enumerate(deductions)]
    assessment = published_score(order, month, quality, incidents, buyer)
    return assessment_confirm(assessment=assessment, actor=vendor)


@pytest.fixture
def worked_example(active_contract, procurement, vendor_pm):
    """SPEC §3: 41.5 senior 产品/平台服务 days at 900.00 and 19 junior 技术支持 days at 621.69,
    scored 92.5."""
    order = issued(active_contract, planned="100")
    seniors = [member(active_contract, n) for n in (1, 2, 3)]
    juniors = [
        member(active_contract, n, role="技术支持", level="初级", years_experience=2)
        for n in (4, 5)
    ]
    approved_log(
        order,
        OCTOBER,
        [
            (seniors[0], "18"),
            (seniors[1], "18"),
            (seniors[2], "5.5"),
            (juniors[0], "10"),
            (juniors[1], "9"),
        ],
        procurement,
    )
    confirmed_score(order, OCTOBER, "45", procurement, vendor_pm, ["security"])
    return order
