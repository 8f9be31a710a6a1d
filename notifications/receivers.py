"""What core does that others must hear of: core sits below this app and cannot call `notify`,
so its few events are received here (connected in `NotificationsConfig.ready`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.bank_accounts import paying_contracts
from core.models import User
from notifications.services import notify, users_of

NEW_ACCOUNT = _(
    "%(vendor)s gives notice of a new bank account, %(bank)s %(account)s, in force from "
    "%(day)s at the earliest. Confirm it with the vendor before paying to it."
)


def bank_account_change_submitted(sender, instance, created, **kwargs):
    """4.6.3: a vendor's new payee account is the fraud-prone change: the procurement and the
    finance of every buyer still paying the vendor are told at once (a kind no one turns off),
    each linked to a contract of theirs with the vendor, whose page holds the confirmation."""
    if not created:
        return
    contracts = {}  # per buyer, its first contract still paying the vendor
    paying = paying_contracts().filter(vendor_id=instance.vendor_id).order_by("pk")
    for buyer, contract in paying.values_list("buyer_id", "pk"):
        contracts.setdefault(buyer, contract)
    params = {
        "vendor": instance.vendor.name,
        "bank": instance.bank_name,
        "account": instance.bank_account,
        "day": str(instance.effective_on),
    }
    for buyer, contract in contracts.items():
        notify(
            "bank_account_changed",
            users_of(buyer, User.Role.PROCUREMENT, User.Role.FINANCE),
            message=NEW_ACCOUNT,
            params=params,
            url=reverse("contract-detail", args=[contract]) + "#bank-account-changes",
        )
