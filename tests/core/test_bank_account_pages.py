"""The vendor's card on the contract page: the vendor's PM asks for a new account there and
withdraws it, the buyer's procurement confirms or rejects it; the dashboard lists what waits."""

from datetime import date

import pytest

from core.models import BankAccountChange
from dashboard.selectors import dashboard

pytestmark = pytest.mark.django_db

NEW = {"bank_name": "中国建设银行成都分行", "bank_account": "5105014162000000987"}


def page(client, user, contract) -> str:
    client.force_login(user)
    response = client.get(f"/contracts/{contract.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def post(client, user, url, data=None):
    client.force_login(user)
    return client.post(f"/bank-account-changes/{url}", {"next": "/contracts/", **(data or {})})


def to_confirm(user) -> list[str]:
    """The links of the dashboard's bank-account changes waiting for the user."""
    return [
        item.url
        for todo in dashboard(user=user, today=date.today())
        for item in todo.items
        if item.url.endswith("#bank-account-changes")
    ]


def test_the_vendor_pm_asks_on_the_contract_page_and_procurement_confirms_there(
    client, active_contract, vendor_pm, procurement
):
    assert "bank-account-changes/request/" in page(client, vendor_pm, active_contract)
    assert "bank-account-changes/request/" not in page(client, procurement, active_contract)

    asked = post(client, vendor_pm, "request/", NEW)
    change = BankAccountChange.objects.get()

    assert asked.status_code == 302
    assert asked.url == "/contracts/"
    assert change.bank_account == NEW["bank_account"]
    vendor_view = page(client, vendor_pm, active_contract)
    assert NEW["bank_account"] in vendor_view
    assert f"{change.pk}/withdraw/" in vendor_view
    assert f"{change.pk}/confirm/" not in vendor_view
    buyer_view = page(client, procurement, active_contract)
    assert f"{change.pk}/confirm/" in buyer_view
    assert f"{change.pk}/reject/" in buyer_view
    assert to_confirm(procurement) == [f"/contracts/{active_contract.pk}/#bank-account-changes"]

    post(client, procurement, f"{change.pk}/confirm/")

    assert change.confirmations.get().confirmed_by == procurement
    assert f"{change.pk}/confirm/" not in page(client, procurement, active_contract)
    assert to_confirm(procurement) == []


def test_procurement_rejects_and_the_vendor_withdraws_on_the_page(
    client, active_contract, vendor_pm, procurement
):
    post(client, vendor_pm, "request/", NEW)
    change = BankAccountChange.objects.get()

    post(client, procurement, f"{change.pk}/reject/", {"reason": ""})
    change.refresh_from_db()
    assert change.status == "pending"
    post(client, procurement, f"{change.pk}/reject/", {"reason": "无书面通知"})
    change.refresh_from_db()
    assert (change.status, change.rejected_reason) == ("rejected", "无书面通知")
    assert "无书面通知" in page(client, vendor_pm, active_contract)

    post(client, vendor_pm, "request/", NEW)
    again = BankAccountChange.objects.get(status="pending")
    post(client, vendor_pm, f"{again.pk}/withdraw/")
    again.refresh_from_db()
    assert again.status == "withdrawn"


def test_the_pages_refuse_another_party(
    client, active_contract, vendor_pm, other_vendor_pm, procurement
):
    post(client, vendor_pm, "request/", NEW)
    change = BankAccountChange.objects.get()

    assert post(client, other_vendor_pm, f"{change.pk}/withdraw/").status_code == 404
    assert post(client, procurement, f"{change.pk}/unknown/").status_code == 404
    refused = post(client, procurement, "request/", NEW)
    assert refused.status_code == 302
    assert BankAccountChange.objects.count() == 1
    change.refresh_from_db()
    assert change.status == "pending"


def test_a_redirect_stays_on_the_portal(client, active_contract, vendor_pm):
    client.force_login(vendor_pm)

    response = client.post(
        "/bank-account-changes/request/", {**NEW, "next": "https://evil.example/"}
    )

    assert response.url == "/"
