"""Amendments through the API and the pages: procurement drafts and edits them (empty fields
unchanged), the vendor signs, then the buyer; another organisation's is 404 everywhere, a
signed one no longer changes (409), and a signature racing an edit or another signature
leaves one whole outcome, never a 500."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Amendment, FrameworkContract
from tests.contracts.amendments import in_force
from tests.pages import browser
from tests.test_races import race
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db
Status = Amendment.Status
OCTOBER = date(2026, 10, 1)


def draft_body(contract, **extra):
    line = contract.rate_card_lines.get(role="产品/平台服务", level="高级")
    return {
        "contract": contract.pk,
        "effective_from": "2026-10-01",
        "price_changes": [{"rate_card_line": line.pk, "price_excl_tax": "801.89"}],
        **extra,
    }


def test_procurement_drafts_the_vendor_signs_then_the_buyer(
    api, active_contract, procurement, vendor_pm
):
    made = api(procurement).post("/api/v1/amendments/", draft_body(active_contract), format="json")
    assert made.status_code == 201, made.json()
    amendment = made.json()
    assert (amendment["number"], amendment["status"], amendment["ceiling_incl_tax"]) == (
        1,
        "draft",
        None,
    )
    assert amendment["price_changes"][0]["price_excl_tax"] == "801.89"
    url = f"/api/v1/amendments/{amendment['id']}/"

    edited = api(procurement).patch(url, {"ceiling_incl_tax": "20000000.00"}, format="json")
    assert edited.status_code == 200, edited.json()
    # The price change it did not mention is kept.
    assert edited.json()["price_changes"] == amendment["price_changes"]
    assert api(vendor_pm).patch(url, {"end_date": "2027-06-30"}, format="json").status_code == 403
    assert api(procurement).post(f"{url}sign/").status_code == 409  # the vendor signs first

    assert api(vendor_pm).post(f"{url}sign/").json()["status"] == "vendor_signed"
    assert api(procurement).patch(url, {"end_date": "2027-06-30"}, format="json").status_code == 409
    assert api(procurement).delete(url).status_code == 409
    signed = api(procurement).post(f"{url}sign/")
    assert signed.json()["status"] == "in_force"
    assert api(vendor_pm).post(f"{url}sign/").status_code == 409

    contract = FrameworkContract.objects.get(pk=active_contract.pk)
    assert contract.ceiling_incl_tax == Decimal("20000000.00")
    history = api(vendor_pm).get(f"{url}history/").json()
    assert len(history) >= 4
    pdf = api(vendor_pm).get(f"{url}pdf/")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")


def test_bad_input_is_a_clear_400_and_nothing_saved(api, active_contract, procurement):
    client = api(procurement)
    above_cap = client.post(
        "/api/v1/amendments/",
        draft_body(active_contract, price_changes=[]) | {"tax_rate": "1.5"},
        format="json",
    )
    assert above_cap.status_code == 400
    not_first = client.post(
        "/api/v1/amendments/",
        draft_body(active_contract, effective_from="2026-10-15"),
        format="json",
    )
    assert not_first.status_code == 400
    assert "effective_from" in not_first.json()
    assert not Amendment.objects.exists()


def test_another_organisations_amendment_is_404_everywhere(
    api, active_contract, other_vendor_pm, procurement, vendor_pm
):
    amendment = in_force(
        active_contract, procurement, vendor_pm, effective_from=OCTOBER, end_date=date(2027, 3, 31)
    )
    client = api(other_vendor_pm)
    url = f"/api/v1/amendments/{amendment.pk}/"
    assert client.get("/api/v1/amendments/").json()["count"] == 0
    for path in ("", "history/", "pdf/"):
        assert client.get(f"{url}{path}").status_code == 404
    assert client.post(f"{url}sign/").status_code == 404
    assert client.get(f"/api/v1/amendments/?contract={active_contract.pk}").status_code == 400
    page = browser(other_vendor_pm)
    for path in ("", "edit/", "pdf/"):
        assert page.get(f"/amendments/{amendment.pk}/{path}").status_code == 404
    assert page.post(f"/amendments/{amendment.pk}/sign/").status_code == 404
    assert page.get(f"/contracts/{active_contract.pk}/amendments/new/").status_code == 404


@pytest.mark.parametrize("status", Status.values)
def test_the_page_the_api_and_the_flow_agree(
    status, api, active_contract, procurement, vendor_pm, other_vendor_pm, finance
):
    response = api(procurement).post(
        "/api/v1/amendments/", draft_body(active_contract), format="json"
    )
    amendment = Amendment.objects.get(pk=response.json()["id"])
    if status != Status.DRAFT:
        api(vendor_pm).post(f"/api/v1/amendments/{amendment.pk}/sign/")
    if status == Status.IN_FORCE:
        api(procurement).post(f"/api/v1/amendments/{amendment.pk}/sign/")
    amendment.refresh_from_db()
    assert amendment.status == status
    flow_agrees(
        flow=Amendment.flow,
        obj=amendment,
        page=f"/amendments/{amendment.pk}/",
        api=f"/api/v1/amendments/{amendment.pk}/",
        users=[vendor_pm, other_vendor_pm, procurement, finance],
    )


def test_the_pages_draft_edit_and_sign(active_contract, procurement, vendor_pm):
    line = active_contract.rate_card_lines.get(role="产品/平台服务", level="高级")
    page = browser(procurement)
    made = page.post(
        f"/contracts/{active_contract.pk}/amendments/new/",
        {
            "effective_from": "2026-10-01",
            f"price_{line.pk}": "801.89",
            "added-0-role": "直播运营",
            "added-0-level": "中级",
            "added-0-unit": "人天",
            "added-0-estimated_quantity": "100",
            "added-0-cap_price_excl_tax": "700",
            "added-0-price": "650",
        },
    )
    amendment = Amendment.objects.get()
    assert made.status_code == 302 and made["Location"] == f"/amendments/{amendment.pk}/"
    assert [(str(ln), ln.price_excl_tax) for ln in amendment.lines.order_by("id")] == [
        ("产品/平台服务 高级", Decimal("801.89")),
        ("直播运营 中级", Decimal("650.00")),
    ]
    refused = page.post(
        f"/amendments/{amendment.pk}/edit/",
        {"effective_from": "2026-10-01", f"price_{line.pk}": "900"},
    )
    assert refused.status_code == 200
    assert "849.06" in refused.content.decode()
    assert Amendment.objects.get().lines.count() == 2  # nothing half-saved
    browser(vendor_pm).post(f"/amendments/{amendment.pk}/sign/")
    page.post(f"/amendments/{amendment.pk}/sign/")
    assert Amendment.objects.get().status == Status.IN_FORCE
    contract_page = page.get(f"/contracts/{active_contract.pk}/").content.decode()
    assert f"/amendments/{amendment.pk}/" in contract_page
    assert "801.89" in page.get(f"/amendments/{amendment.pk}/").content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_buyers_signature_racing_procurements_edit_or_a_second_signature(
    api, active_contract, procurement, vendor_pm
):
    """Buyer's signature vs an edit of the same amendment: the vendor has signed, so the edit
    is 409 whichever comes first. Two buyer signatures: one is in force, the other 409, and
    the amendment's tax rate is scheduled once."""

    def post(user, path, data=None, method="post"):
        def send():
            client = api(user)
            client.raise_request_exception = False
            return getattr(client, method)(path, data or {}, format="json").status_code

        return send

    made = api(procurement).post(
        "/api/v1/amendments/", draft_body(active_contract, tax_rate="0.03"), format="json"
    )
    url = f"/api/v1/amendments/{made.json()['id']}/"
    # The vendor signing while procurement edits: one of them first, the other sees it.
    codes = race(
        post(vendor_pm, f"{url}sign/"), post(procurement, url, {"end_date": "2027-03-31"}, "patch")
    )
    assert sorted(codes) in ([200, 200], [200, 409]), codes
    amendment = Amendment.objects.get()
    assert amendment.status == Status.VENDOR_SIGNED
    codes = race(post(procurement, f"{url}sign/"), post(procurement, f"{url}sign/"))
    assert sorted(codes) == [200, 409]
    assert Amendment.objects.get().status == Status.IN_FORCE
    assert active_contract.tax_rates.filter(effective_from=OCTOBER).count() == 1
