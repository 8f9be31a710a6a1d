from datetime import date

import pytest

from governance.services import rectification_answer, rectification_fail, rectification_issue
from tests.settlement.conftest import worked_example  # noqa: F401  (SPEC §3's worked example)
from tests.worklogs.conftest import issued_order, member

# A Monday of October 2026; 5 working days later is Monday 19 October.
ISSUED = date(2026, 10, 12)


@pytest.fixture
def order(active_contract):
    return issued_order(active_contract)


@pytest.fixture
def staff_member(active_contract):
    return member(active_contract, 1)


def issued(order, procurement, day=ISSUED, **fields):
    fields = {"description": "周报未按时提交", "evidence": "10月9日邮件", **fields}
    return rectification_issue(order=order, actor=procurement, issued_on=day, **fields)


def answered(order, procurement, vendor_pm, **fields):
    return rectification_answer(
        rectification=issued(order, procurement, **fields),
        answer="已补交周报",
        actor=vendor_pm,
    )


def failed(order, procurement, vendor_pm, **fields):
    return rectification_fail(
        rectification=answered(order, procurement, vendor_pm, **fields),
        reason="同类问题再次发生",
        actor=procurement,
    )
