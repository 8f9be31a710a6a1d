"""A staff member's roster buttons, his API actions and the services agree with his one
declaration of steps (`StaffMember.flow`): procurement approves or refuses a proposed member
(2.9) and approves an exception, the vendor's PM gives notice, the last day passing takes him
off the roster."""

from datetime import date

import pytest

from staffing.models import StaffMember
from staffing.services import (
    staff_approve,
    staff_approve_exception,
    staff_create,
    staff_give_notice,
    staff_mark_departed,
    staff_refuse,
)
from tests.factories import id_number
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db

NOTICE = {"notice_date": "2026-05-01", "last_day": "2026-06-30"}


def pending(contract, procurement):
    return staff_create(
        contract=contract,
        id_number=id_number(1),
        name="王磊",
        phone="13812345678",
        education="本科",
        years_experience=1,  # a 高级 needs five
        role="产品/平台服务",
        level="高级",
        start_date=date(2026, 2, 1),
        exception_reason="核心系统的原开发者",
    )


def proposed(contract, procurement):
    return staff_create(
        contract=contract,
        id_number=id_number(2),
        name="刘洋",
        phone="13812345678",
        education="本科",
        years_experience=6,
        role="产品/平台服务",
        level="高级",
        start_date=date(2026, 2, 1),
    )


def refused(contract, procurement):
    return staff_refuse(
        member=proposed(contract, procurement), actor=procurement, reason="面试未通过"
    )


def approved(contract, procurement):
    return staff_approve(member=proposed(contract, procurement), actor=procurement)


def active(contract, procurement):
    return staff_approve_exception(
        member=pending(contract, procurement), actor=procurement, reason="同意破格"
    )


def leaving(contract, procurement):
    return staff_give_notice(
        member=active(contract, procurement),
        notice_date=date(2026, 5, 1),
        last_day=date(2026, 6, 30),
    )


def left(contract, procurement):
    member = leaving(contract, procurement)
    staff_mark_departed(today=date(2026, 7, 1))
    return StaffMember.objects.get(pk=member.pk)


@pytest.mark.parametrize("make", [pending, proposed, refused, approved, active, leaving, left])
def test_the_roster_the_api_and_the_services_agree_in_every_state(
    make, active_contract, procurement, finance, vendor_pm, other_vendor_pm
):
    member = make(active_contract, procurement)

    flow_agrees(
        flow=StaffMember.flow,
        obj=member,
        page=f"/contracts/{active_contract.pk}/staff/",  # he is alone on the roster
        api=f"/api/v1/staff/{member.pk}/",
        users=[vendor_pm, other_vendor_pm, procurement, finance],
        data={
            "give-notice": NOTICE,
            "approve-exception": {"reason": "同意破格"},
            "refuse": {"reason": "面试未通过"},
        },
    )
