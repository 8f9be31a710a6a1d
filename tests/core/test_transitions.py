"""A change of bank account's buttons (on the vendor's contract page), its API actions and
its services agree with its one declaration of steps (`BankAccountChange.flow`): a paying
buyer's procurement confirms or rejects, the vendor's PM withdraws."""

from datetime import date

import pytest

from core.bank_accounts import (
    bank_account_change_confirm,
    bank_account_change_reject,
    bank_account_change_submit,
    bank_account_change_withdraw,
    bank_account_changes_apply,
)
from core.models import BankAccountChange
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db


def pending(vendor_pm, procurement):
    return bank_account_change_submit(
        actor=vendor_pm, bank_name="中国建设银行成都分行", bank_account="5105014162000000987"
    )


def rejected(vendor_pm, procurement):
    change = pending(vendor_pm, procurement)
    return bank_account_change_reject(change=change, actor=procurement, reason="无书面通知")


def withdrawn(vendor_pm, procurement):
    return bank_account_change_withdraw(change=pending(vendor_pm, procurement), actor=vendor_pm)


def applied(vendor_pm, procurement):
    change = bank_account_change_confirm(change=pending(vendor_pm, procurement), actor=procurement)
    bank_account_changes_apply(today=change.effective_on)
    return BankAccountChange.objects.get(pk=change.pk)


@pytest.mark.parametrize("make", [pending, applied, rejected, withdrawn])
def test_the_contract_page_the_api_and_the_services_agree_in_every_state(
    make, clock, active_contract, procurement, finance, vendor_pm, other_vendor_pm
):
    clock(date(2026, 3, 2))
    change = make(vendor_pm, procurement)

    flow_agrees(
        flow=BankAccountChange.flow,
        obj=change,
        page=f"/contracts/{active_contract.pk}/",
        api=f"/api/v1/bank-account-changes/{change.pk}/",
        users=[vendor_pm, other_vendor_pm, procurement, finance],
        data={"reject": {"reason": "无书面通知"}},
    )
