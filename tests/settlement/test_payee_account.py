"""Clause 4.6.3: a sheet signed before a change of the vendor's account prints the account in
force when it was signed; an unsigned sheet the current one."""

from datetime import date

import pytest

from contracts.models import FrameworkContract
from core.bank_accounts import bank_account_changes_apply
from core.models import User
from core.services import organization_save
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.factories import UserFactory
from tests.pdf import pdf_text
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db

OLD = ("中国工商银行成都高新支行", "4402230009100012345")
NEW = ("中国建设银行成都分行", "5105014162000000987")


@pytest.fixture
def sheet(clock, vendor, worked_example):
    clock(date(2026, 11, 5))
    vendor.bank_name, vendor.bank_account = OLD
    vendor.save()
    settlements_compute(month=OCTOBER)
    return SettlementSheet.objects.get()


def change_account(api, clock, vendor_pm, procurement):
    """The vendor asks on 6 November, the buyer confirms, in force on the 16th."""
    clock(date(2026, 11, 6))
    change = api(vendor_pm).post(
        "/api/v1/bank-account-changes/", {"bank_name": NEW[0], "bank_account": NEW[1]}
    )
    assert change.status_code == 201, change.json()
    api(procurement).post(f"/api/v1/bank-account-changes/{change.json()['id']}/confirm/")
    clock(date(2026, 11, 16))
    assert bank_account_changes_apply(today=date(2026, 11, 16)) == 1


def shown(api, client, user, sheet) -> tuple[str, str]:
    """The sheet's PDF and its page, as text without whitespace."""
    pdf = pdf_text(api(user).get(f"/api/v1/settlements/{sheet.pk}/pdf/").content)
    client.force_login(user)
    page = "".join(client.get(f"/settlements/{sheet.pk}/").content.decode().split())
    return pdf, page


def test_a_sheet_signed_before_the_change_prints_the_old_account(
    api, client, clock, sheet, vendor_pm, procurement
):
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    sheet_confirm(sheet=sheet, actor=procurement)

    change_account(api, clock, vendor_pm, procurement)

    for text in shown(api, client, procurement, sheet):
        assert OLD[0] in text and OLD[1] in text
        assert NEW[1] not in text


def test_an_unsigned_sheet_prints_the_account_in_force(
    api, client, clock, sheet, vendor_pm, procurement
):
    change_account(api, clock, vendor_pm, procurement)

    for text in shown(api, client, vendor_pm, sheet):
        assert NEW[0] in text and NEW[1] in text
        assert OLD[1] not in text


def test_an_administrators_correction_after_signing_leaves_the_signed_sheet_alone(
    api, client, clock, sheet, vendor, vendor_pm, procurement
):
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    sheet_confirm(sheet=sheet, actor=procurement)
    clock(date(2026, 11, 20))
    admin = UserFactory(username="root", role=User.Role.ADMIN, is_staff=True, is_superuser=True)
    organization_save(actor=admin, organization=vendor, bank_name=NEW[0], bank_account=NEW[1])

    for text in shown(api, client, procurement, sheet):
        assert OLD[1] in text and NEW[1] not in text


def test_a_buyer_whose_contract_ended_with_a_sheet_unpaid_must_still_confirm(
    api, clock, sheet, vendor, vendor_pm, procurement, worked_example
):
    """The last month of a contract is settled after its end: its buyer still pays the vendor,
    so the new account waits for its confirmation, ten days or not."""
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    sheet_confirm(sheet=sheet, actor=procurement)
    FrameworkContract.objects.filter(pk=worked_example.contract_id).update(status="expired")
    clock(date(2026, 11, 6))
    change = (
        api(vendor_pm)
        .post("/api/v1/bank-account-changes/", {"bank_name": NEW[0], "bank_account": NEW[1]})
        .json()
    )
    assert change["awaiting_count"] == 1

    clock(date(2026, 11, 20))
    assert bank_account_changes_apply(today=date(2026, 11, 20)) == 0
    confirmed = api(procurement).post(f"/api/v1/bank-account-changes/{change['id']}/confirm/")
    assert confirmed.json()["status"] == "applied"
    vendor.refresh_from_db()
    assert (vendor.bank_name, vendor.bank_account) == NEW
