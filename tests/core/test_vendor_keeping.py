"""Who changes a vendor: the buyer that created it while it works for no other buyer, its own
PM, an administrator. Any buyer may see a vendor nobody has contracted yet, to pick it."""

from importlib import import_module

import pytest
from django.apps import apps

from core.models import Organization, User
from tests.factories import BuyerFactory, ContractFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_LOGIN = {"password": "a-long-pass-2026", "role": "vendor_pm"}


@pytest.fixture
def other_procurement(db):
    return UserFactory(
        username="b-caigou",
        role=User.Role.PROCUREMENT,
        organization=BuyerFactory(name="别的采购方"),
    )


@pytest.fixture
def created(api, procurement):
    """A vendor this buyer's procurement added, with its first account."""
    response = api(procurement).post(
        "/api/v1/organizations/",
        {"name": "新供应商", "kind": "vendor", "bank_name": "工商银行", "bank_account": "6222001"},
    )
    assert response.status_code == 201, response.json()
    return Organization.objects.get(pk=response.json()["id"])


def test_procurement_records_its_buyer_as_the_creator_with_the_first_account(created, buyer):
    assert created.creator == buyer
    assert (created.bank_name, created.bank_account) == ("工商银行", "6222001")


def test_another_buyer_sees_an_uncontracted_vendor_but_cannot_change_it(
    api, created, other_procurement
):
    client = api(other_procurement)

    seen = client.get(f"/api/v1/organizations/{created.pk}/")
    patched = client.patch(f"/api/v1/organizations/{created.pk}/", {"phone": "028-1"})
    login = client.post(
        "/api/v1/users/", {**NEW_LOGIN, "username": "spy", "organization": created.pk}
    )

    assert seen.status_code == 200
    assert patched.status_code == 400
    assert list(patched.json()) == ["detail"]
    assert login.status_code == 400
    assert "organization" in login.json()
    created.refresh_from_db()
    assert created.phone == ""
    assert not User.objects.filter(username="spy").exists()


def test_the_creator_keeps_its_vendor_until_another_buyer_contracts_with_it(
    api, procurement, created, other_procurement
):
    client = api(procurement)

    assert (
        client.patch(f"/api/v1/organizations/{created.pk}/", {"phone": "028-1"}).status_code == 200
    )
    assert (
        client.post(
            "/api/v1/users/", {**NEW_LOGIN, "username": "pm-new", "organization": created.pk}
        ).status_code
        == 201
    )
    ContractFactory(buyer=procurement.organization, vendor=created)
    assert (
        client.patch(f"/api/v1/organizations/{created.pk}/", {"phone": "028-2"}).status_code == 200
    )
    ContractFactory(buyer=other_procurement.organization, vendor=created)
    assert (
        client.patch(f"/api/v1/organizations/{created.pk}/", {"phone": "028-3"}).status_code == 400
    )
    assert (
        client.post(
            "/api/v1/users/", {**NEW_LOGIN, "username": "pm-2", "organization": created.pk}
        ).status_code
        == 400
    )


def test_a_vendor_nobody_created_is_not_kept_by_the_buyer_that_contracts_it(
    api, procurement, contract
):
    response = api(procurement).patch(
        f"/api/v1/organizations/{contract.vendor_id}/", {"phone": "028-1"}
    )

    assert response.status_code == 400


def test_the_vendor_pm_keeps_its_own_details_and_logins(api, vendor, vendor_pm, contract):
    client = api(vendor_pm)

    patched = client.patch(
        f"/api/v1/organizations/{vendor.pk}/", {"phone": "028-9", "address": "成都"}
    )
    login = client.post(
        "/api/v1/users/", {**NEW_LOGIN, "username": "pm-b", "organization": vendor.pk}
    )

    assert patched.status_code == 200, patched.json()
    assert login.status_code == 201, login.json()
    assert User.objects.get(username="pm-b").organization == vendor
    names = [u["username"] for u in client.get("/api/v1/users/").json()["results"]]
    assert names == ["pm", "pm-b"]


def test_the_vendor_pm_changes_nothing_of_another_vendor_or_of_its_buyer(
    api, vendor_pm, other_vendor, buyer, contract
):
    client = api(vendor_pm)

    other = client.patch(f"/api/v1/organizations/{other_vendor.pk}/", {"phone": "1"})
    login = client.post(
        "/api/v1/users/", {**NEW_LOGIN, "username": "x", "organization": other_vendor.pk}
    )
    own_buyer = client.patch(f"/api/v1/organizations/{buyer.pk}/", {"phone": "1"})
    buyer_login = client.post(
        "/api/v1/users/",
        {**NEW_LOGIN, "role": "procurement", "username": "y", "organization": buyer.pk},
    )
    new_org = client.post("/api/v1/organizations/", {"name": "冒名供应商", "kind": "vendor"})

    assert other.status_code == 404
    assert login.status_code == 400
    assert "organization" in login.json()
    assert own_buyer.status_code == 400
    assert buyer_login.status_code == 400
    assert new_org.status_code == 403
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_a_vendor_pm_creates_no_buyer_role_and_no_admin(api, vendor, vendor_pm):
    client = api(vendor_pm)

    for role in ("procurement", "admin"):
        response = client.post(
            "/api/v1/users/",
            {**NEW_LOGIN, "username": role, "role": role, "organization": vendor.pk},
        )
        assert response.status_code == 400
        assert "role" in response.json()


@pytest.mark.parametrize("field", ["bank_name", "bank_account"])
def test_nobody_but_an_admin_patches_a_vendors_bank_account(
    api, procurement, vendor_pm, vendor, created, field
):
    by_creator = api(procurement).patch(f"/api/v1/organizations/{created.pk}/", {field: "666"})
    by_own_pm = api(vendor_pm).patch(f"/api/v1/organizations/{vendor.pk}/", {field: "666"})
    admin = User.objects.create_superuser("root", password="root-pass-2026")
    by_admin = api(admin).patch(f"/api/v1/organizations/{vendor.pk}/", {field: "777"})

    assert by_creator.status_code == 400
    assert list(by_creator.json()) == [field]
    assert "4.6.3" in by_creator.json()[field][0]
    assert by_own_pm.status_code == 400
    assert by_admin.status_code == 200
    created.refresh_from_db()
    assert getattr(created, field) != "666"
    vendor.refresh_from_db()
    assert getattr(vendor, field) == "777"


def test_a_put_repeating_the_account_unchanged_is_accepted(api, procurement, created):
    body = api(procurement).get(f"/api/v1/organizations/{created.pk}/").json()

    response = api(procurement).put(f"/api/v1/organizations/{created.pk}/", {**body, "phone": "1"})

    assert response.status_code == 200, response.json()


def test_the_migration_gives_a_vendor_to_its_only_buyer(buyer):
    second_buyer = BuyerFactory()
    only_ours, shared, nobodys = (OrganizationFactory() for _ in range(3))
    ContractFactory(buyer=buyer, vendor=only_ours)
    ContractFactory(buyer=buyer, vendor=only_ours)
    ContractFactory(buyer=buyer, vendor=shared)
    ContractFactory(buyer=second_buyer, vendor=shared)

    import_module("core.migrations.0004_organization_creator").set_creators(apps, None)

    creators = {
        org.pk: org.creator_id
        for org in Organization.objects.filter(pk__in=[only_ours.pk, shared.pk, nobodys.pk])
    }
    assert creators == {only_ours.pk: buyer.pk, shared.pk: None, nobodys.pk: None}
