"""Procurement's to-dos about framework contracts (SPEC §8): ceilings running out, terms
ending, drafts to activate, and a vendor's new bank account, confirmed on a contract's page."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from contracts.selectors import contracts_past_share
from core.bank_accounts import bank_account_changes_to_confirm
from core.todos import PROCUREMENT, Desk, Item, Todo, register

ENDING_DAYS = 60


def _contract_item(contract, detail="") -> Item:
    return Item(str(contract), reverse("contract-detail", args=[contract.pk]), detail)


def _near_ceiling(user, share: str) -> list[FrameworkContract]:
    return list(contracts_past_share(FrameworkContract.objects.visible_to(user), Decimal(share)))


@register(PROCUREMENT, 20)
def contracts_near_ceiling(desk: Desk) -> list[Todo]:
    near90 = _near_ceiling(desk.user, "0.9")
    near80 = [c for c in _near_ceiling(desk.user, "0.8") if c not in near90]
    return [
        Todo(_("Contracts past 90 per cent of their ceiling"), [_contract_item(c) for c in near90]),
        Todo(_("Contracts past 80 per cent of their ceiling"), [_contract_item(c) for c in near80]),
    ]


@register(PROCUREMENT, 30)
def contracts_ending(desk: Desk) -> list[Todo]:
    ending = FrameworkContract.objects.visible_to(desk.user).filter(
        status=FrameworkContract.Status.ACTIVE,
        end_date__lte=desk.today + timedelta(days=ENDING_DAYS),
    )
    return [
        Todo(
            _("Contracts ending within 60 days"),
            [_contract_item(c, f"{c.end_date}") for c in ending],
        )
    ]


@register(PROCUREMENT, 40)
def contracts_to_activate(desk: Desk) -> list[Todo]:
    drafts = FrameworkContract.objects.visible_to(desk.user).filter(
        status=FrameworkContract.Status.DRAFT
    )
    return [
        Todo(
            _("Draft contracts to activate"),
            [_contract_item(c) for c in drafts],
            f"{reverse('contract-list')}?status={FrameworkContract.Status.DRAFT}",
        )
    ]


@register(PROCUREMENT, 150)
def bank_accounts_to_confirm(desk: Desk) -> list[Todo]:
    """Clause 4.6.3: a vendor's new account waits for this buyer's confirmation; the link goes
    to a contract with the vendor, whose page holds the buttons."""
    changes = list(bank_account_changes_to_confirm(user=desk.user))
    contracts = dict(
        FrameworkContract.objects.visible_to(desk.user)
        .filter(
            status=FrameworkContract.Status.ACTIVE, vendor_id__in=[c.vendor_id for c in changes]
        )
        .values_list("vendor_id", "pk")
    )
    return [
        Todo(
            _("Bank-account changes to confirm"),
            [
                Item(
                    f"{c.vendor} → {c.bank_name} {c.bank_account}",
                    reverse("contract-detail", args=[contracts[c.vendor_id]])
                    + "#bank-account-changes",
                    _("in force from %(day)s at the earliest") % {"day": c.effective_on},
                )
                for c in changes
            ],
        )
    ]
