"""4.2.2.6 between vendors: a person engaged by another vendor is refused without naming it."""

import pytest

from staffing.models import StaffMember
from tests.staffing.test_roster import add

pytestmark = pytest.mark.django_db


def test_a_person_at_another_vendor_is_refused_without_naming_its_contract_or_vendor(
    api, vendor_pm, other_vendor_pm, active_contract, other_active_contract, vendor
):
    assert add(api(vendor_pm), active_contract).status_code == 201
    member = StaffMember.objects.get()
    seen_by_owner = api(vendor_pm).get(f"/api/v1/staff/{member.pk}/history/").json()

    refused = add(api(other_vendor_pm), other_active_contract)

    assert refused.status_code == 400
    message = refused.json()["id_number"][0]
    assert message == "此人已在另一合同任职。"
    for secret in (active_contract.code, active_contract.name, vendor.name, "2026"):
        assert secret not in message
    # Nothing about the asker reaches the other vendor: no row, no change, no history.
    assert list(StaffMember.objects.values_list("pk", flat=True)) == [member.pk]
    assert api(vendor_pm).get(f"/api/v1/staff/{member.pk}/history/").json() == seen_by_owner
    assert api(vendor_pm).get("/api/v1/staff/").json()["count"] == 1
