"""附件1 1.5: an approved exception covers exactly the role and level it was approved for."""

import pytest

from staffing.models import StaffMember
from tests.staffing.test_roster import add

pytestmark = pytest.mark.django_db


@pytest.fixture
def excepted(api, vendor_pm, procurement, active_contract):
    """A 技术支持 初级 with no experience (the rule asks one year), approved as an exception."""
    created = add(
        api(vendor_pm),
        active_contract,
        role="技术支持",
        level="初级",
        years_experience=0,
        exception_reason="应届生，实习期表现突出",
    )
    assert created.json()["status"] == "pending", created.json()
    url = f"/api/v1/staff/{created.json()['id']}/"
    approved = api(procurement).post(f"{url}approve-exception/", {"reason": "同意破格"})
    assert approved.json()["status"] == "active"
    return url


@pytest.mark.parametrize(
    ("change", "shortfall"),
    [
        ({"level": "高级"}, "高级人员需 5 年及以上"),
        ({"role": "产品/平台服务"}, "初级人员需 1 年及以上"),
    ],
    ids=["level", "role"],
)
def test_raising_an_excepted_members_level_or_role_needs_a_new_approval(
    api, vendor_pm, procurement, excepted, change, shortfall
):
    """The attack: the 初级 approved at 586.50 a day patched to 高级 (1,221.45) stayed active."""
    vendor = api(vendor_pm)

    refused = vendor.patch(excepted, change, format="json")

    assert refused.status_code == 400
    assert "如需破格，请填写理由并提交采购审批" in refused.json()["years_experience"][0]
    member = StaffMember.objects.get()
    assert (member.role, member.level, member.status) == ("技术支持", "初级", "active")

    asked = vendor.patch(excepted, {**change, "exception_reason": "项目需要"}, format="json")

    assert asked.status_code == 200, asked.json()
    body = asked.json()
    assert body["status"] == "pending"
    assert (body["exception_reason"], body["exception_approved_by"]) == ("项目需要", None)
    assert body["exception_approved_at"] is None
    assert shortfall in body["qualification_issue"]
    approved = api(procurement).post(f"{excepted}approve-exception/", {"reason": "再次评审同意"})
    assert approved.json()["status"] == "active"


def test_the_same_role_and_level_stay_covered_and_a_qualified_move_ends_the_exception(
    api, vendor_pm, excepted
):
    vendor = api(vendor_pm)

    renamed = vendor.patch(excepted, {"phone": "13900000000"}, format="json")
    assert renamed.status_code == 200
    assert (renamed.json()["status"], renamed.json()["exception_reason"]) == ("active", "同意破格")

    qualified = vendor.patch(excepted, {"level": "高级", "years_experience": 6}, format="json")
    assert qualified.status_code == 200, qualified.json()
    assert qualified.json()["status"] == "active"
    assert qualified.json()["exception_approved_at"] is None

    # The approval of the 初级 no longer covers anything: below the rule again needs one.
    back = vendor.patch(excepted, {"years_experience": 0}, format="json")
    assert back.status_code == 400
    assert StaffMember.objects.get().years_experience == 6
