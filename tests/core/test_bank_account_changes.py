"""Clause 4.6.3: a vendor's payee account changes only on ten days' written notice and once the
procurement of every buyer with an active contract has confirmed it; sheets signed before the
change print the old account."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from contracts.services import contract_activate
from core.bank_accounts import bank_account_at, bank_account_changes_apply
from core.history import history_entries
from core.models import BankAccountChange, Organization, User
from core.tasks import bank_account_changes_apply_task
from tests.factories import BuyerFactory, ContractFactory, UserFactory, rate_card

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
OLD = ("中国工商银行成都高新支行", "4402 2300 0910 0012 345")
NEW = {"bank_name": "中国建设银行成都分行", "bank_account": "5105 0141 6200 0000 987"}
URL = "/api/v1/bank-account-changes/"


@pytest.fixture
def paid_vendor(vendor):
    vendor.bank_name, vendor.bank_account = OLD
    vendor.save()
    # Made, then given its account, in January, in its history too: the tests' days come after.
    created, given = vendor.history.order_by("history_id")
    for record, day in ((created, 1), (given, 5)):
        record.history_date = datetime(2026, 1, day, tzinfo=UTC)
        record.save()
    return vendor


@pytest.fixture
def second_procurement(paid_vendor):
    """The procurement of a second buyer with an active contract with the same vendor."""
    second = BuyerFactory(name="第二采购方")
    contract = rate_card(ContractFactory(buyer=second, vendor=paid_vendor))
    contract_activate(contract=contract)
    return UserFactory(username="b-caigou", role=User.Role.PROCUREMENT, organization=second)


@pytest.fixture
def stranger(db):
    """The procurement of a buyer that has no contract with the vendor."""
    return UserFactory(
        username="c-caigou", role=User.Role.PROCUREMENT, organization=BuyerFactory(name="无关方")
    )


def account(vendor):
    vendor.refresh_from_db()
    return vendor.bank_name, vendor.bank_account


def submit(api, vendor_pm, **body):
    response = api(vendor_pm).post(URL, {**NEW, "note": "开户行变更", **body})
    assert response.status_code == 201, response.json()
    return response.json()


def test_two_buyers_confirm_and_the_last_confirmation_after_ten_days_applies_it(
    api, clock, paid_vendor, vendor_pm, active_contract, procurement, second_procurement
):
    clock(MONDAY)
    change = submit(api, vendor_pm)
    url = f"{URL}{change['id']}/"

    assert change["status"] == "pending"
    assert change["effective_on"] == "2026-03-12"
    assert change["awaiting_count"] == 2
    assert account(paid_vendor) == OLD

    first = api(procurement).post(f"{url}confirm/")
    assert first.status_code == 200, first.json()
    assert (first.json()["status"], first.json()["awaiting_count"]) == ("pending", 1)
    assert api(procurement).post(f"{url}confirm/").status_code == 400

    clock(MONDAY + timedelta(days=11))
    assert bank_account_changes_apply(today=MONDAY + timedelta(days=11)) == 0
    assert account(paid_vendor) == OLD

    last = api(second_procurement).post(f"{url}confirm/")
    assert last.status_code == 200, last.json()
    assert last.json()["status"] == "applied"
    assert (last.json()["old_bank_name"], last.json()["old_bank_account"]) == OLD
    assert account(paid_vendor) == (NEW["bank_name"], NEW["bank_account"])

    stored = BankAccountChange.objects.get(pk=change["id"])
    confirmations = [
        (c.buyer_id, c.confirmed_by, c.confirmed_at.date()) for c in stored.confirmations.all()
    ]
    assert confirmations == [
        (procurement.organization_id, procurement, MONDAY),
        (second_procurement.organization_id, second_procurement, MONDAY + timedelta(days=11)),
    ]
    applied, before = paid_vendor.history.order_by("-history_id")[:2]
    assert (before.bank_name, before.bank_account) == OLD
    assert (applied.bank_name, applied.bank_account) == (NEW["bank_name"], NEW["bank_account"])
    assert "4.6.3" in applied.history_change_reason


def test_the_vendors_history_shows_the_account_it_replaced(api, paid_vendor, vendor_pm):
    change = submit(api, vendor_pm)
    bank_account_changes_apply(today=date.fromisoformat(change["effective_on"]))
    paid_vendor.refresh_from_db()

    entries = history_entries(paid_vendor)

    changes = [(c["old"], c["new"]) for c in entries[0]["changes"]]
    assert changes == [(OLD[0], NEW["bank_name"]), (OLD[1], NEW["bank_account"])]


def test_confirmed_early_it_waits_for_the_tenth_day_and_the_daily_task(
    api, clock, paid_vendor, vendor_pm, active_contract, procurement, second_procurement
):
    clock(MONDAY)
    change = submit(api, vendor_pm)
    for user in (procurement, second_procurement):
        assert api(user).post(f"{URL}{change['id']}/confirm/").status_code == 200

    assert account(paid_vendor) == OLD
    assert bank_account_changes_apply(today=date(2026, 3, 11)) == 0
    assert account(paid_vendor) == OLD

    clock(date(2026, 3, 12))
    assert bank_account_changes_apply_task() == 1
    assert account(paid_vendor) == (NEW["bank_name"], NEW["bank_account"])
    assert bank_account_changes_apply_task() == 0  # safe to run twice
    assert settings.CELERY_BEAT_SCHEDULE["bank-account-changes-apply"]["task"] == (
        "core.tasks.bank_account_changes_apply_task"
    )


def test_a_vendor_without_an_active_contract_still_waits_ten_days(
    api, clock, paid_vendor, vendor_pm, contract
):
    clock(MONDAY)
    change = submit(api, vendor_pm)

    assert change["awaiting_count"] == 0  # its only contract is a draft
    assert bank_account_changes_apply(today=date(2026, 3, 11)) == 0
    assert account(paid_vendor) == OLD
    assert bank_account_changes_apply(today=date(2026, 3, 12)) == 1
    assert account(paid_vendor) == (NEW["bank_name"], NEW["bank_account"])


def test_one_buyer_rejects_and_the_request_is_closed(
    api, clock, paid_vendor, vendor_pm, active_contract, procurement, second_procurement
):
    clock(MONDAY)
    change = submit(api, vendor_pm)
    url = f"{URL}{change['id']}/"
    api(procurement).post(f"{url}confirm/")

    without_reason = api(second_procurement).post(f"{url}reject/", {"reason": " "})
    rejected = api(second_procurement).post(f"{url}reject/", {"reason": "未收到书面通知"})

    assert without_reason.status_code == 400
    assert rejected.status_code == 200, rejected.json()
    assert rejected.json()["status"] == "rejected"
    assert rejected.json()["rejected_reason"] == "未收到书面通知"
    assert api(procurement).post(f"{url}confirm/").status_code == 409
    assert bank_account_changes_apply(today=date(2026, 4, 1)) == 0
    assert account(paid_vendor) == OLD
    assert submit(api, vendor_pm)["status"] == "pending"  # a new request may follow


def test_the_vendor_withdraws_its_pending_request_and_only_it_may(
    api, clock, paid_vendor, vendor_pm, other_vendor_pm, active_contract, procurement
):
    clock(MONDAY)
    change = submit(api, vendor_pm)
    url = f"{URL}{change['id']}/withdraw/"

    assert api(procurement).post(url).status_code == 403
    assert api(other_vendor_pm).post(url).status_code == 404
    withdrawn = api(vendor_pm).post(url)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "withdrawn"
    assert api(vendor_pm).post(url).status_code == 409
    assert bank_account_changes_apply(today=date(2026, 4, 1)) == 0
    assert account(paid_vendor) == OLD


def test_one_pending_request_per_vendor(api, paid_vendor, vendor_pm):
    submit(api, vendor_pm)

    second = api(vendor_pm).post(URL, {"bank_name": "招商银行", "bank_account": "6214 1"})

    assert second.status_code == 400
    assert "detail" in second.json()
    assert BankAccountChange.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        BankAccountChange.objects.create(
            vendor=paid_vendor,
            bank_name="招商银行",
            bank_account="6214 1",
            submitted_at=BankAccountChange.objects.get().submitted_at,
            submitted_by=vendor_pm,
            effective_on=MONDAY,
        )


def test_a_request_names_a_new_account(api, paid_vendor, vendor_pm):
    client = api(vendor_pm)

    blank = client.post(URL, {"bank_name": "", "bank_account": "1"})
    same = client.post(URL, {"bank_name": OLD[0], "bank_account": OLD[1]})

    assert blank.status_code == 400
    assert "bank_name" in blank.json()
    assert same.status_code == 400
    assert "bank_account" in same.json()
    assert not BankAccountChange.objects.exists()


def test_only_the_vendor_pm_requests_and_only_paying_procurement_confirms(
    api, paid_vendor, vendor_pm, active_contract, procurement, finance
):
    assert api(procurement).post(URL, NEW).status_code == 403
    root = User.objects.create_superuser("root", password="root-pass-2026")
    assert api(root).post(URL, NEW).status_code == 400
    change = submit(api, vendor_pm)

    assert api(finance).get(f"{URL}{change['id']}/").status_code == 200
    assert api(finance).post(f"{URL}{change['id']}/confirm/").status_code == 403
    assert api(vendor_pm).post(f"{URL}{change['id']}/confirm/").status_code == 403
    assert api(root).post(f"{URL}{change['id']}/confirm/").status_code == 400


def test_another_buyer_and_another_vendor_reach_nothing(
    api, paid_vendor, vendor_pm, other_vendor_pm, active_contract, stranger
):
    change = submit(api, vendor_pm)
    url = f"{URL}{change['id']}/"

    for user in (stranger, other_vendor_pm):
        client = api(user)
        assert client.get(url).status_code == 404
        assert client.get(URL).json()["count"] == 0
    assert api(stranger).post(f"{url}confirm/").status_code == 404
    assert api(stranger).post(f"{url}reject/", {"reason": "x"}).status_code == 404
    assert api(other_vendor_pm).post(f"{url}withdraw/").status_code == 404
    assert BankAccountChange.objects.get().status == "pending"


def test_a_buyer_whose_contract_ended_sees_but_does_not_confirm(api, paid_vendor, vendor_pm, buyer):
    ended = UserFactory(username="ended", role=User.Role.PROCUREMENT, organization=buyer)
    ContractFactory(buyer=buyer, vendor=paid_vendor)  # a draft: nothing to pay yet
    change = submit(api, vendor_pm)

    assert api(ended).get(f"{URL}{change['id']}/").status_code == 200
    refused = api(ended).post(f"{URL}{change['id']}/confirm/")
    assert refused.status_code == 400
    assert "detail" in refused.json()


def test_a_buyer_sees_its_own_confirmation_not_which_other_buyers_pay_the_vendor(
    api, paid_vendor, vendor_pm, active_contract, procurement, second_procurement
):
    change = submit(api, vendor_pm)
    api(second_procurement).post(f"{URL}{change['id']}/confirm/")

    seen_by_buyer = api(procurement).get(f"{URL}{change['id']}/").json()
    seen_by_vendor = api(vendor_pm).get(f"{URL}{change['id']}/").json()

    assert seen_by_buyer["confirmations"] == []
    assert seen_by_buyer["awaiting"] == [procurement.organization_id]
    assert seen_by_buyer["awaiting_count"] == 1
    assert [c["buyer"] for c in seen_by_vendor["confirmations"]] == [
        second_procurement.organization_id
    ]


def test_the_account_in_force_at_a_moment_follows_the_applied_changes(
    api, clock, paid_vendor, vendor_pm
):
    clock(MONDAY)
    submit(api, vendor_pm)
    bank_account_changes_apply(today=date(2026, 3, 12))
    clock(date(2026, 4, 1))
    submit(api, vendor_pm, bank_name="招商银行", bank_account="6214 1")
    bank_account_changes_apply(today=date(2026, 4, 11))
    first, second = BankAccountChange.objects.order_by("applied_at")
    paid_vendor.refresh_from_db()

    assert bank_account_at(paid_vendor, first.applied_at - timedelta(seconds=1)) == OLD
    assert bank_account_at(paid_vendor, first.applied_at + timedelta(seconds=1)) == (
        NEW["bank_name"],
        NEW["bank_account"],
    )
    assert bank_account_at(paid_vendor, second.applied_at + timedelta(days=1)) == (
        "招商银行",
        "6214 1",
    )
    assert bank_account_at(paid_vendor, None) == ("招商银行", "6214 1")


def test_the_list_queries_do_not_grow_with_the_page(api, procurement):
    vendors = []
    for n in range(3):
        vendor = Organization.objects.create(name=f"供应商乙{n}", kind="vendor")
        rate_card(contract := ContractFactory(buyer=procurement.organization, vendor=vendor))
        contract_activate(contract=contract)
        vendors.append(vendor)
    for n, vendor in enumerate(vendors):
        pm = UserFactory(role=User.Role.VENDOR_PM, organization=vendor)
        submit(api, pm, bank_account=f"6214 {n}")

    def queries(size):
        with CaptureQueriesContext(connection) as captured:
            response = api(procurement).get(f"{URL}?page_size={size}")
        assert len(response.json()["results"]) == size
        return len(captured)

    assert queries(3) == queries(1)


def test_the_admin_shows_requests_and_changes_none(admin_client, api, paid_vendor, vendor_pm):
    change = submit(api, vendor_pm)
    url = f"/admin/core/bankaccountchange/{change['id']}/change/"

    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"status": "applied"}).status_code == 403
    assert BankAccountChange.objects.get().status == "pending"
