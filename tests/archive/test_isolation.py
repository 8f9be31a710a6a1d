"""A paper is seen by exactly who sees the object it belongs to: for every kind of object,
another vendor and another buyer's people find nothing (the list leaves it out; its detail,
download, new version and the contract's zip answer 404), the buyer's finance sees its
buyer's, and no stored path is ever served."""

import itertools

import pytest

from archive.models import Document
from tests.archive.conftest import upload
from tests.pages import browser

pytestmark = pytest.mark.django_db

TARGETS = ["contract", "order", "staff", "rectification", "sheet", "invoice", "payment"]


@pytest.fixture
def outsiders(other_vendor_pm, other_buyer):
    return {"vendor B": other_vendor_pm, **{f"buyer B {k}": u for k, u in other_buyer.items()}}


def test_an_outsider_finds_no_paper_of_any_object(api, world, outsiders):
    for (who, user), target in itertools.product(outsiders.items(), TARGETS):
        document, obj = world[target]["document"], world[target]["object"]
        who = f"{who}, {target}"
        client, page = api(user), browser(user)
        base = f"/api/v1/documents/{document.pk}"
        listed = client.get("/api/v1/documents/").json()
        assert document.pk not in [row["id"] for row in listed["results"]], who
        assert client.get(f"/api/v1/documents/?{target}={obj.pk}").status_code == 400, who
        assert client.get(f"{base}/").status_code == 404, who
        assert client.get(f"{base}/download/").status_code == 404, who
        version = client.post(f"{base}/new-version/", {"file": upload()}, format="multipart")
        assert version.status_code == 404, who
        assert page.get(f"/documents/{document.pk}/download/").status_code == 404, who
        new = page.post(f"/documents/new/{target}/{obj.pk}/", {"file": upload()})
        assert new.status_code == 404, who
        created = client.post(
            "/api/v1/documents/", {target: obj.pk, "file": upload()}, format="multipart"
        )
        assert created.status_code == 400, who
        assert target in created.json(), who
    assert Document.objects.count() == len(TARGETS)  # nothing added by anyone of them


def test_an_outsider_gets_no_zip_of_the_contract(api, world, outsiders):
    contract = world["contract"]["object"]

    for who, user in outsiders.items():
        assert api(user).get(f"/api/v1/contracts/{contract.pk}/archive/").status_code == 404, who
        assert browser(user).get(f"/contracts/{contract.pk}/archive/").status_code == 404, who


@pytest.mark.parametrize("username", ["caiwu", "caigou", "pm"])
def test_the_buyer_and_the_vendor_see_every_paper_of_their_contract(
    api, world, finance, procurement, vendor_pm, username
):
    user = {"caiwu": finance, "caigou": procurement, "pm": vendor_pm}[username]
    client = api(user)

    listed = client.get("/api/v1/documents/").json()
    assert sorted(row["id"] for row in listed["results"]) == sorted(
        paper["document"].pk for paper in world.values()
    )
    for paper in world.values():
        download = client.get(f"/api/v1/documents/{paper['document'].pk}/download/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"%PDF")
    contract = world["contract"]["object"]
    assert client.get(f"/api/v1/contracts/{contract.pk}/archive/").status_code == 200


def test_a_vendor_does_not_see_the_papers_of_a_draft_order(api, world, vendor_pm, procurement):
    """A draft order is not the vendor's yet (Order.visible_to): nor are its papers."""
    from archive.services import document_add
    from orders.services import order_create

    contract = world["contract"]["object"]
    draft = order_create(
        contract=contract,
        name="草稿订单",
        service_start=contract.start_date,
        service_end=contract.end_date,
        lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": "10"}],
    )
    paper = document_add(
        target=draft, kind="order_attachment", upload=upload(), uploaded_by=procurement
    )

    assert api(vendor_pm).get(f"/api/v1/documents/{paper.pk}/").status_code == 404
    assert api(procurement).get(f"/api/v1/documents/{paper.pk}/").status_code == 200


def test_no_stored_path_is_served(client, world, vendor_pm, media):
    """The files lie under MEDIA_ROOT under random names; no URL of the portal serves them,
    not even to a user who may download them through the checked route."""
    client.force_login(vendor_pm)
    for paper in world.values():
        stored = paper["document"].file.name
        assert (media / stored).exists()
        assert stored.startswith("documents/")
        for guess in (f"/media/{stored}", f"/{stored}", f"/static/../media/{stored}"):
            assert client.get(guess).status_code == 404, guess
