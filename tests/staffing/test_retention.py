"""Personal data kept only as long as allowed: three years after a contract ended, its people's
ID numbers and phones are erased, in their history too, and the erasure recorded; their names
stay. An administrator exports one person's data."""

import json
from datetime import date

import pytest

from contracts.services import contract_activate
from staffing.models import PersonalDataErasure, StaffMember
from staffing.retention import personal_data_erase_due
from tests.factories import ContractFactory, UserFactory, rate_card
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db


def ended_contract(buyer, vendor, signed_on):
    """Active, a year from `signed_on`: signed 2022-01-01, it ended on 2022-12-31."""
    contract = ContractFactory(buyer=buyer, vendor=vendor, signed_on=signed_on)
    rate_card(contract)
    return contract_activate(contract=contract)


@pytest.fixture
def people(buyer, vendor, other_vendor):
    old = ended_contract(buyer, vendor, date(2022, 1, 1))
    recent = ended_contract(buyer, other_vendor, date(2023, 1, 1))
    first = member(old, 1, start_date=date(2022, 1, 1))
    StaffMember.objects.filter(pk=first.pk).update(phone="13912345678")
    first.refresh_from_db()
    first.save()  # a second history row, with the phone changed
    second = member(recent, 2, start_date=date(2023, 1, 1))
    return old, first, second


def test_three_years_after_the_end_the_id_and_phone_go(people):
    old, first, second = people
    # 2022-12-31 + 3 years = 2025-12-31: kept that day, erased the next.
    assert personal_data_erase_due(today=date(2025, 12, 31)) == []
    (erasure,) = personal_data_erase_due(today=date(2026, 1, 1))
    assert (erasure.contract, erasure.contract_ended_on, erasure.people) == (
        old,
        date(2022, 12, 31),
        1,
    )
    first.refresh_from_db()
    assert (first.name, first.id_number_digest, first.id_number_masked, first.phone) == (
        "员工1",
        "",
        "",
        "",
    )
    history = list(first.history.values_list("phone", "id_number_masked"))
    assert len(history) >= 2 and set(history) == {("", "")}
    second.refresh_from_db()
    assert second.phone and second.id_number_digest and second.id_number_masked
    # Nothing is left to erase: the task may run again.
    assert personal_data_erase_due(today=date(2026, 1, 2)) == []
    assert PersonalDataErasure.objects.count() == 1


def test_an_administrator_exports_a_persons_data(people, client):
    _old, first, _second = people
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/staffing/staffmember/",
        {"action": "export_personal_data", "_selected_action": [first.pk]},
    )
    assert response["Content-Type"] == "application/json"
    (person,) = json.loads(response.content)
    assert (person["name"], person["phone"], person["id_number"]) == (
        "员工1",
        "13912345678",
        first.id_number_masked,
    )
    assert [row["phone"] for row in person["history"]][-1] == "13912345678"
    client.force_login(UserFactory(username="caigou2"))
    assert client.post("/admin/staffing/staffmember/", {}).status_code == 302  # to the login
