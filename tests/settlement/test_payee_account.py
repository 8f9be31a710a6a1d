"""Clause 4.6.3: a sheet signed before a change of the vendor's account prints the account in
force when it was signed; an unsigned sheet the current one."""

from datetime import date

import pytest

from core.bank_accounts import bank_account_changes_apply
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.pdf import pdf_text
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db

OLD = ("中国工商银行成都高新支行", "4402230009100012345")
NEW = ("中国建设银行成都分行", "5105014162000000987")


@pytest.fixture
def sheet(clock, vendor, worked_example):
    vendor.bank_name, vendor.bank_account = OLD
    vendor.save()
    clock(date(2026, 11, 5))
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
