"""Clause 4.6.3: a vendor's payee account changes on ten days' written notice.

A change of payee account is the classic payment fraud, so it is never a plain edit: the
vendor's PM submits the new account, it takes effect no earlier than ten calendar days later
and only once the procurement of every buyer that still pays the vendor (`paying_contracts`) has
confirmed it; each confirmation and rejection is kept, the change in both histories. A sheet
signed before a change prints the account in force when it was signed.
"""

from datetime import timedelta
from typing import NamedTuple

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import (
    BankAccountChange,
    BankAccountConfirmation,
    Organization,
    User,
    framework_contracts,
)
from core.states import advance

NOTICE_DAYS = 10
REASON_LENGTH = BankAccountChange._meta.get_field("rejected_reason").max_length
Status = BankAccountChange.Status


class BankAccountError(DomainError):
    code = "bank_account"


class Account(NamedTuple):
    bank_name: str
    bank_account: str


def paying_contracts():
    """The contracts under which a buyer still pays its vendor: active ones, and any other
    with a sheet not paid yet (the last months of an expired or terminated contract are
    settled after its end). Their buyers' procurement confirms a new account."""
    contracts = framework_contracts()
    sheets = contracts.sheets.rel.related_model
    unpaid = sheets.objects.filter(contract=OuterRef("pk")).exclude(status=sheets.Status.PAID)
    return contracts.objects.filter(Q(status=contracts.Status.ACTIVE) | Q(Exists(unpaid)))


def bank_account_change_list(*, user):
    """The changes the user may see, with what `awaiting_buyers` reads."""
    paying = Prefetch("vendor__vendor_contracts", paying_contracts(), to_attr="paying_contracts")
    return (
        BankAccountChange.objects.visible_to(user)
        .select_related("vendor")
        .prefetch_related("confirmations", paying)
    )


def _buyers_paying(vendor) -> set[int]:
    """The buyers that still pay the vendor: each one's procurement confirms."""
    contracts = getattr(vendor, "paying_contracts", None)
    if contracts is None:
        contracts = paying_contracts().filter(vendor=vendor)
    return {contract.buyer_id for contract in contracts}


def awaiting_buyers(change: BankAccountChange) -> set[int]:
    """The buyers whose confirmation a pending change still waits for."""
    if change.status != Status.PENDING:
        return set()
    confirmed = {confirmation.buyer_id for confirmation in change.confirmations.all()}
    return _buyers_paying(change.vendor) - confirmed


def bank_account_changes_to_confirm(*, user):
    """Pending changes of the vendors the user's buyer still pays that its procurement has
    not confirmed yet."""
    if user.is_vendor or not user.has_role(User.Role.PROCUREMENT) or not user.organization_id:
        return BankAccountChange.objects.none()
    paying = paying_contracts().filter(buyer_id=user.organization_id)
    return (
        BankAccountChange.objects.filter(
            status=Status.PENDING, vendor_id__in=paying.values("vendor_id")
        )
        .exclude(confirmations__buyer_id=user.organization_id)
        .select_related("vendor")
    )


def bank_account_panel(*, user, vendor: Organization) -> dict:
    """What the vendor's card shows of its account changes: the pending request and the steps
    the user may take on it (its flow's, where the user's buyer is one it waits for or the
    vendor is the user's), the last closed one, and whether the vendor may ask for a change."""
    changes = bank_account_change_list(user=user).filter(vendor=vendor)
    pending = changes.filter(status=Status.PENDING).first()
    own = user.is_vendor and user.organization_id == vendor.pk
    awaiting = awaiting_buyers(pending) if pending else set()
    paying = (
        pending is not None
        and not user.is_vendor
        and user.has_role(User.Role.PROCUREMENT)
        and user.organization_id in _buyers_paying(vendor)
    )
    ours = {
        "confirm": paying and user.organization_id in awaiting,
        "reject": paying or user.sees_everything,
        "withdraw": own,
    }
    steps = BankAccountChange.flow.allowed(pending, user)
    return {
        "pending": pending,
        "steps": {name for name in steps if ours[name]},
        "awaiting_count": len(awaiting),
        "confirmations": [
            c
            for c in (pending.confirmations.all() if pending else [])
            if own or user.sees_everything or c.buyer_id == user.organization_id
        ],
        "closed": changes.first() if pending is None else None,
        "may_request": own and pending is None,
    }


def bank_account_at(vendor: Organization, moment) -> Account:
    """The vendor's account in force at `moment` (a sheet's signature; None: now), read from
    its history: whatever changed it since (a confirmed request, an administrator's
    correction) leaves a sheet signed before as it was signed."""
    then = vendor.history.filter(history_date__lte=moment).first() if moment else None
    if then is None:  # unsigned, or older than the history: as it is
        return Account(vendor.bank_name, vendor.bank_account)
    return Account(then.bank_name, then.bank_account)


@transaction.atomic
def bank_account_change_submit(
    *, actor: User, bank_name: str, bank_account: str, note: str = ""
) -> BankAccountChange:
    """4.6.3: the vendor gives written notice of its new account, in force no earlier than
    ten calendar days later; one pending notice per vendor."""
    if not actor.is_vendor or actor.organization_id is None:
        raise BankAccountError(_("Only the vendor's project manager asks to change its account."))
    vendor = Organization.objects.select_for_update(no_key=True).get(pk=actor.organization_id)
    bank_name, bank_account = bank_name.strip(), bank_account.strip()
    if not bank_name:
        raise BankAccountError(_("This field is required."), field="bank_name")
    if not bank_account:
        raise BankAccountError(_("This field is required."), field="bank_account")
    if (bank_name, bank_account) == (vendor.bank_name, vendor.bank_account):
        raise BankAccountError(_("This is the account in force already."), field="bank_account")
    if vendor.bank_account_changes.filter(status=Status.PENDING).exists():
        raise BankAccountError(
            _("A change of the bank account is pending already: withdraw it first.")
        )
    now = timezone.now()
    return BankAccountChange.objects.create(
        vendor=vendor,
        bank_name=bank_name,
        bank_account=bank_account,
        note=note.strip(),
        submitted_at=now,
        submitted_by=actor,
        effective_on=timezone.localdate(now) + timedelta(days=NOTICE_DAYS),
    )


def _confirming_buyer(change: BankAccountChange, actor: User) -> int:
    """The actor's buyer, when its confirmation is one the change needs."""
    if (
        actor.is_vendor
        or not actor.has_role(User.Role.PROCUREMENT)
        or actor.organization_id not in _buyers_paying(change.vendor)
    ):
        raise BankAccountError(
            _(
                "Only the procurement of a buyer that still pays this vendor confirms or "
                "rejects its new account."
            )
        )
    return actor.organization_id


def _locked(change: BankAccountChange, step) -> BankAccountChange:
    change = BankAccountChange.objects.select_for_update(no_key=True).get(pk=change.pk)
    if not step.may(change):
        raise BankAccountError(
            _("This request is %(status)s already.") % {"status": change.get_status_display()},
            conflict=True,
        )
    return change


@transaction.atomic
def bank_account_change_confirm(*, change: BankAccountChange, actor: User) -> BankAccountChange:
    """4.6.3: a buyer paying the vendor confirms the new account; the last confirmation puts
    it in force when its ten days have passed."""
    change = _locked(change, BankAccountChange.flow["confirm"])
    buyer_id = _confirming_buyer(change, actor)
    if change.confirmations.filter(buyer_id=buyer_id).exists():
        raise BankAccountError(_("Your organization confirmed this change already."))
    BankAccountConfirmation.objects.create(
        change=change, buyer_id=buyer_id, confirmed_by=actor, confirmed_at=timezone.now()
    )
    return _apply_if_due(change, today=timezone.localdate())


@transaction.atomic
def bank_account_change_reject(
    *, change: BankAccountChange, actor: User, reason: str
) -> BankAccountChange:
    """A buyer paying the vendor (or an administrator) refuses the new account, with its
    reason; the request is closed and the account stays."""
    reason = reason.strip()
    if not reason:
        raise BankAccountError(_("Give the reason for the rejection."), field="reason")
    if len(reason) > REASON_LENGTH:
        raise BankAccountError(
            _("Keep the reason within %(count)s characters.") % {"count": REASON_LENGTH},
            field="reason",
        )
    if not actor.sees_everything:
        _confirming_buyer(change, actor)
    return advance(
        change,
        BankAccountChange.flow["reject"],
        error=BankAccountError,
        closed_by=actor,
        rejected_reason=reason,
    )


@transaction.atomic
def bank_account_change_withdraw(*, change: BankAccountChange, actor: User) -> BankAccountChange:
    """The vendor takes back its pending notice."""
    if not (actor.is_vendor and actor.organization_id == change.vendor_id):
        raise BankAccountError(_("Only the vendor withdraws its request."))
    return advance(
        change,
        BankAccountChange.flow["withdraw"],
        error=BankAccountError,
        closed_by=actor,
    )


def _apply_if_due(change: BankAccountChange, *, today) -> BankAccountChange:
    """Puts a pending change, held under its lock, in force once its date has come and every
    buyer paying the vendor confirmed it; the vendor's history records the change."""
    apply = BankAccountChange.flow["apply"]
    if not apply.may(change) or change.effective_on > today or awaiting_buyers(change):
        return change
    vendor = Organization.objects.select_for_update(no_key=True).get(pk=change.vendor_id)
    change.old_bank_name, change.old_bank_account = vendor.bank_name, vendor.bank_account
    vendor.bank_name, vendor.bank_account = change.bank_name, change.bank_account
    vendor._change_reason = _("Bank account change %(id)s (clause 4.6.3)") % {"id": change.pk}
    vendor.save()
    change.status = apply.target
    change.applied_at = timezone.now()
    change.save()
    return change


def bank_account_changes_apply(*, today) -> int:
    """Daily (Celery beat): confirmed changes whose ten days have passed take effect, and
    those of a vendor nobody pays any more (nobody to confirm). Safe to run twice."""
    applied = 0
    due = BankAccountChange.objects.filter(status=Status.PENDING, effective_on__lte=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            change = BankAccountChange.objects.select_for_update(no_key=True).get(pk=pk)
            if _apply_if_due(change, today=today).status == Status.APPLIED:
                applied += 1
    return applied
