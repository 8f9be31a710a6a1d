"""Two buyers, each with its vendors: neither reaches the other's."""

import pytest

from core.models import Organization, User
from tests.factories import BuyerFactory, ContractFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer, vendor, contract, procurement):
    other_buyer = BuyerFactory(name="别的采购方")
    other_procurement = UserFactory(
        username="b-caigou", role=User.Role.PROCUREMENT, organization=other_buyer
    )
    shared = OrganizationFactory(name="共享供应商")
    ContractFactory(buyer=buyer, vendor=shared)
    ContractFactory(buyer=other_buyer, vendor=shared)
    free = OrganizationFactory(name="新供应商")
    UserFactory(username="a-vendor-pm", role=User.Role.VENDOR_PM, organization=vendor)
    return {"b": other_procurement, "a_only": vendor, "shared": shared, "free": free}


def test_another_buyers_vendor_is_out_of_reach(api, world):
    client = api(world["b"])
    a_only = world["a_only"].pk

    assert client.get(f"/api/v1/organizations/{a_only}/").status_code == 404
    assert (
        client.patch(f"/api/v1/organizations/{a_only}/", {"bank_account": "666"}).status_code == 404
    )
    created = client.post(
        "/api/v1/users/",
        {
            "username": "spy",
            "password": "a-long-pass-2026",
            "role": "vendor_pm",
            "organization": a_only,
        },
    )
    assert created.status_code == 400
    assert "organization" in created.json()
    assert "a-vendor-pm" not in [
        u["username"] for u in client.get("/api/v1/users/").json()["results"]
    ]


def test_a_shared_vendor_is_seen_but_kept_by_an_admin(api, world):
    client = api(world["b"])
    shared = world["shared"].pk

    assert client.get(f"/api/v1/organizations/{shared}/").status_code == 200
    patched = client.patch(f"/api/v1/organizations/{shared}/", {"bank_account": "666"})
    login = client.post(
        "/api/v1/users/",
        {
            "username": "pm-x",
            "password": "a-long-pass-2026",
            "role": "vendor_pm",
            "organization": shared,
        },
    )

    assert patched.status_code == 400
    assert "管理员" in patched.json()["detail"]
    assert login.status_code == 400
    assert Organization.objects.get(pk=shared).bank_account == ""


def test_a_new_vendor_nobody_created_is_seen_but_kept_by_an_admin(api, world):
    client = api(world["b"])
    free = world["free"].pk

    assert client.get(f"/api/v1/organizations/{free}/").status_code == 200
    assert client.patch(f"/api/v1/organizations/{free}/", {"phone": "028-1"}).status_code == 400
    assert (
        client.post(
            "/api/v1/users/",
            {
                "username": "pm-new",
                "password": "a-long-pass-2026",
                "role": "vendor_pm",
                "organization": free,
            },
        ).status_code
        == 400
    )


def test_the_kind_of_an_organization_never_changes(api, procurement, buyer):
    response = api(procurement).patch(f"/api/v1/organizations/{buyer.pk}/", {"kind": "vendor"})

    assert response.status_code == 400
    assert response.json() == {"kind": ["创建后不能修改。"]}
    buyer.refresh_from_db()
    assert buyer.kind == "buyer"


def test_procurement_adds_vendors_but_not_buyers(api, procurement):
    client = api(procurement)
    assert (
        client.post("/api/v1/organizations/", {"name": "新乙方", "kind": "vendor"}).status_code
        == 201
    )
    refused = client.post("/api/v1/organizations/", {"name": "新甲方", "kind": "buyer"})
    assert refused.status_code == 400
    assert refused.json() == {"kind": ["只有管理员可以添加采购方单位。"]}
