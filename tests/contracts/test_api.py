"""Contracts through the API: procurement creates and activates them, a vendor reads only its own,
another vendor's answers 404, and bad input is a clear 400."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from contracts.models import FrameworkContract
from core.models import Organization, User
from tests.contracts.annex3 import annex3_workbook, upload
from tests.factories import ContractFactory, RateCardLineFactory

pytestmark = pytest.mark.django_db


def test_a_vendor_pms_token_lists_only_its_own_contracts(vendor_pm, contract, other_contract):
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "pm", "password": "secret-pass-1"}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    listed = client.get("/api/v1/contracts/").json()

    assert [item["id"] for item in listed["results"]] == [contract.pk]
    assert client.get(f"/api/v1/contracts/{other_contract.pk}/").status_code == 404


def test_another_vendors_contract_is_404_everywhere(api, vendor_pm, other_contract):
    client = api(vendor_pm)
    line = RateCardLineFactory(contract=other_contract)
    base = f"/api/v1/contracts/{other_contract.pk}"

    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/rate-card/export/").status_code == 404
    assert client.post(f"{base}/activate/").status_code == 404
    assert client.post(f"{base}/terminate/").status_code == 404
    assert client.patch(f"{base}/", {"name": "x"}, format="json").status_code == 404
    assert (
        client.post(
            f"{base}/rate-card/import/", {"file": upload(annex3_workbook())}, format="multipart"
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/rate-card-lines/{line.pk}/").status_code == 404
    assert client.get("/api/v1/rate-card-lines/").json()["count"] == 0
    assert client.get(f"/api/v1/tax-rates/{other_contract.tax_rates.get().pk}/").status_code == 404
    assert client.get(f"/api/v1/organizations/{other_contract.vendor_id}/").status_code == 404
    # Filtering on its id answers exactly like an id that does not exist.
    hidden = client.get(f"/api/v1/contracts/?vendor={other_contract.vendor_id}")
    missing = client.get("/api/v1/contracts/?vendor=999999")
    assert hidden.status_code == missing.status_code == 400
    assert client.get(f"/api/v1/rate-card-lines/?contract={other_contract.pk}").status_code == 400


def test_a_vendor_pm_reads_but_cannot_change_its_own_contract(api, vendor_pm, contract):
    client = api(vendor_pm)
    RateCardLineFactory(contract=contract)

    assert client.get(f"/api/v1/contracts/{contract.pk}/").status_code == 200
    assert client.post(f"/api/v1/contracts/{contract.pk}/activate/").status_code == 403
    assert client.post("/api/v1/contracts/", {}, format="json").status_code == 403
    contract.refresh_from_db()
    assert contract.status == FrameworkContract.Status.DRAFT


def test_a_vendor_cannot_point_a_new_line_at_another_vendors_contract(
    api, procurement, other_contract
):
    stranger = User.objects.create_user(
        "stranger",
        role=User.Role.PROCUREMENT,
        organization=Organization.objects.create(name="别的采购方", kind="buyer"),
    )
    response = api(stranger).post(
        "/api/v1/rate-card-lines/",
        {
            "contract": other_contract.pk,
            "role": "运维支撑",
            "level": "高级",
            "estimated_quantity": "10",
            "cap_price_excl_tax": "849.06",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "contract" in response.json()


def test_procurement_creates_and_activates_a_contract_through_the_api(api, procurement, vendor):
    client = api(procurement)
    created = client.post(
        "/api/v1/contracts/",
        {
            "code": "MG-2026-010",
            "name": "2026年定制化服务支撑项目",
            "vendor": vendor.pk,
            "signed_on": "2026-03-01",
            "ceiling_incl_tax": "1060000.00",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["buyer"] == procurement.organization_id
    assert (body["start_date"], body["end_date"]) == ("2026-03-01", "2027-02-28")
    assert (body["ceiling_excl_tax"], body["tax_rate"]) == ("1000000.00", "0.0600")
    assert (body["settled_total"], body["committed_total"], body["free_amount"]) == (
        "0.00",
        "0.00",
        "1060000.00",
    )

    line = client.post(
        "/api/v1/rate-card-lines/",
        {
            "contract": body["id"],
            "role": "运维支撑",
            "level": "高级",
            "estimated_quantity": "100",
            "cap_price_excl_tax": "849.06",
            "price_excl_tax": "849.06",
        },
        format="json",
    )
    assert line.status_code == 201, line.json()
    assert line.json()["price_incl_tax"] == "900.00"
    above = client.post(
        "/api/v1/rate-card-lines/",
        {
            "contract": body["id"],
            "role": "运维支撑",
            "level": "中级",
            "estimated_quantity": "100",
            "cap_price_excl_tax": "754.72",
            "price_excl_tax": "760.00",
        },
        format="json",
    )
    assert above.status_code == 400
    assert above.json() == {
        "price_excl_tax": ["运维支撑 中级：成交价 760.00 高于最高限价 754.72。"]
    }

    activated = client.post(f"/api/v1/contracts/{body['id']}/activate/")
    assert activated.status_code == 200
    assert activated.json()["status"] == "active"


def test_a_duplicate_code_is_a_clear_error(api, procurement, contract):
    response = api(procurement).post(
        "/api/v1/contracts/",
        {
            "code": contract.code,
            "name": "x",
            "vendor": contract.vendor_id,
            "signed_on": "2026-03-01",
            "ceiling_incl_tax": "100.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "code" in response.json()


def test_users_are_created_by_procurement_for_its_own_and_vendor_people(
    api, procurement, vendor_pm, vendor, buyer
):
    vendor.creator = buyer  # the vendor this buyer added (and keeps)
    vendor.save()
    client = api(procurement)
    created = client.post(
        "/api/v1/users/",
        {
            "username": "newpm",
            "password": "a-long-pass-2026",
            "full_name": "新经理",
            "role": "vendor_pm",
            "organization": vendor.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert "password" not in created.json()
    assert User.objects.get(username="newpm").check_password("a-long-pass-2026")

    admin = client.post(
        "/api/v1/users/",
        {"username": "boss", "password": "a-long-pass-2026", "role": "admin"},
        format="json",
    )
    assert admin.status_code == 400
    assert api(vendor_pm).post("/api/v1/users/", {}, format="json").status_code == 400
    assert [u["username"] for u in api(vendor_pm).get("/api/v1/users/").json()["results"]] == [
        "newpm",
        "pm",
    ]


def test_a_user_without_a_role_is_refused_with_a_400(api, procurement, vendor):
    response = api(procurement).post(
        "/api/v1/users/",
        {"username": "newpm", "password": "a-long-pass-2026", "organization": vendor.pk},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["role"]
    assert not User.objects.filter(username="newpm").exists()


def test_a_superuser_reaches_everything(api, contract, other_contract):
    root = User.objects.create_superuser("root", password="root-pass-2026")
    assert api(root).get("/api/v1/contracts/").json()["count"] == 2


def test_anonymous_requests_are_refused_but_the_schema_is_public(api):
    assert api().get("/api/v1/contracts/").status_code == 401
    assert api().get("/api/v1/schema/").status_code == 200
    assert api().get("/api/v1/docs/").status_code == 200


def test_lists_paginate_with_page_size(api, procurement, buyer):
    for _ in range(3):
        ContractFactory(buyer=buyer)

    page = api(procurement).get("/api/v1/contracts/?page_size=2").json()

    assert (page["count"], len(page["results"])) == (3, 2)
    assert page["next"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/contracts/",
        "/api/v1/rate-card-lines/",
        "/api/v1/tax-rates/",
        "/api/v1/organizations/",
        "/api/v1/users/",
    ],
)
def test_list_queries_do_not_grow_with_the_page(api, procurement, buyer, path):
    client = api(procurement)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    RateCardLineFactory(contract=ContractFactory(buyer=buyer))
    few = queries()
    for level in ("中级", "初级"):
        for _ in range(2):
            RateCardLineFactory(contract=ContractFactory(buyer=buyer), level=level)
    assert queries() == few


def test_a_superuser_from_createsuperuser_builds_everything_through_the_api(api, monkeypatch):
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "root-pass-2026")
    call_command("createsuperuser", interactive=False, verbosity=0)
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": "root", "password": "root-pass-2026"}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    buyer = client.post("/api/v1/organizations/", {"name": "咪咕音乐有限公司", "kind": "buyer"})
    vendor = client.post("/api/v1/organizations/", {"name": "云启科技", "kind": "vendor"})
    contract = {
        "code": "MG-1",
        "name": "项目",
        "vendor": vendor.json()["id"],
        "signed_on": "2026-01-01",
        "ceiling_incl_tax": "1000.00",
    }
    without_buyer = client.post("/api/v1/contracts/", contract)
    created = client.post("/api/v1/contracts/", {**contract, "buyer": buyer.json()["id"]})
    user = client.post(
        "/api/v1/users/",
        {
            "username": "caigou",
            "password": "a-long-pass-2026",
            "role": "procurement",
            "organization": buyer.json()["id"],
        },
    )

    assert (buyer.status_code, vendor.status_code) == (201, 201)
    assert without_buyer.status_code == 400
    assert "buyer" in without_buyer.json()
    assert created.status_code == 201, created.json()
    assert user.status_code == 201, user.json()


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (
            {"estimated_quantity": "9999999999.99", "cap_price_excl_tax": "99999999.99"},
            "estimated_quantity",
        ),
        ({"cap_price_excl_tax": "-5.00"}, "cap_price_excl_tax"),
        ({"price_excl_tax": "-1.00"}, "price_excl_tax"),
        ({"estimated_quantity": "-3"}, "estimated_quantity"),
        ({"level": ""}, "level"),
        ({"role": "   "}, "role"),
    ],
)
def test_rate_card_lines_that_break_a_rule_are_refused_not_500(
    api, procurement, contract, line, field
):
    body = {
        "contract": contract.pk,
        "role": "运维支撑",
        "level": "高级",
        "estimated_quantity": "10",
        "cap_price_excl_tax": "849.06",
        **line,
    }

    response = api(procurement).post("/api/v1/rate-card-lines/", body, format="json")

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert api(procurement).get(f"/api/v1/contracts/{contract.pk}/").status_code == 200


def test_fields_fixed_at_creation_are_refused_on_update(api, procurement, contract, other_contract):
    line = RateCardLineFactory(contract=contract)
    client = api(procurement)

    moved = client.patch(f"/api/v1/rate-card-lines/{line.pk}/", {"contract": other_contract.pk})
    rate = client.patch(f"/api/v1/contracts/{contract.pk}/", {"tax_rate": "0.09"})
    same = client.patch(f"/api/v1/contracts/{contract.pk}/", {"tax_rate": "0.06", "name": "新名"})

    assert moved.status_code == rate.status_code == 400
    assert rate.json() == {"tax_rate": ["创建后不能修改。"]}
    assert same.status_code == 200
    assert same.json()["name"] == "新名"


def test_a_date_far_in_the_future_is_a_clear_error(api, procurement, vendor):
    response = api(procurement).post(
        "/api/v1/contracts/",
        {
            "code": "X",
            "name": "x",
            "vendor": vendor.pk,
            "signed_on": "9999-12-31",
            "ceiling_incl_tax": "100.00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "signed_on" in response.json()


def test_the_openapi_schema_generates_without_errors_or_warnings(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--file", "/dev/null")

    # drf-spectacular prints a summary only when something went wrong.
    assert capsys.readouterr().err == ""
