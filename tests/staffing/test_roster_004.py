"""004's team is a roster like the other seeds': its lump-sum rate card prices no role, so the
seven roles of 五、人员要求 are the contract's staffing roles (no level). A person of one of
them registers, waits for procurement's approval, and is replaced by one of the same role;
a role the contract does not name is refused."""

from datetime import date

import pytest

from demo.common import id_number
from demo.fixed_price import fixed_price_contract
from staffing.models import StaffMember
from staffing.selectors import roster_roles
from staffing.services import StaffError, staff_approve, staff_create, staff_give_notice

pytestmark = pytest.mark.django_db

ROLES = ["运营总监", "后台运营", "拍摄", "剪辑", "主播", "客服", "视频号运营"]


@pytest.fixture
def contract_004(buyer, vendor):
    contract, _order = fixed_price_contract(
        buyer=buyer,
        vendor=vendor,
        code="AYQ-2026-004",
        signed_on=date(2026, 1, 1),
        service_start=date(2026, 1, 1),
    )
    return contract


def register(contract, serial, role, **fields):
    return staff_create(
        contract=contract,
        id_number=id_number(serial),
        name=f"演示{serial}",
        role=role,
        level="",
        education="本科",
        years_experience=3,
        phone=f"1380000{serial:04d}",
        start_date=date(2026, 1, 1),
        **fields,
    )


def test_the_roster_takes_the_seven_roles_without_a_level(contract_004):
    assert roster_roles(contract_004) == (ROLES, [""])


def test_a_member_is_approved_and_replaced_by_one_of_the_same_role(contract_004, procurement):
    host = register(contract_004, 901, "主播")
    assert host.status == StaffMember.Status.PENDING
    staff_approve(member=host, actor=procurement)
    host = staff_give_notice(member=host, notice_date=date(2026, 3, 2), last_day=date(2026, 4, 3))
    with pytest.raises(StaffError):
        register(contract_004, 902, "客服", replaces=host)
    successor = register(contract_004, 903, "主播", replaces=host)
    staff_approve(member=successor, actor=procurement)
    host.refresh_from_db()
    assert (host.status, host.replaced_by, host.needs_replacement) == ("leaving", successor, False)


def test_a_role_the_contract_does_not_name_is_refused(contract_004):
    with pytest.raises(StaffError, match="主持人"):
        register(contract_004, 904, "主持人")
    assert not StaffMember.objects.exists()
