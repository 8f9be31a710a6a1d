"""The only code that moves a contract's money (SPEC §3).

Two counters carry the ceiling: what the open orders still reserve of it (`committed_total`)
and what the signed sheets have paid (`settled_total`, on the contract and on each order). They
are written here and nowhere else; the caller holds the contract and the order
(`core.locks.hold`), and every movement leaves a `LedgerEntry` with the contract's figures after
it, so `manage.py ledger_check` can recompute the counters from their entries.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.logs import money_action
from core.money import ZERO
from orders.models import LedgerEntry, Order

Kind = LedgerEntry.Kind


class LedgerError(DomainError):
    """A movement the database refuses (the ceiling would be crossed): another action came
    first; reload and look again."""

    code = "ledger"


def reserve(*, contract, order: Order, actor=None) -> LedgerEntry:
    """An order being issued reserves its planned amount."""
    return _move(contract, order, Kind.RESERVE, ZERO, order.planned_amount, actor)


def release(*, contract, order: Order, actor=None) -> LedgerEntry | None:
    """An open order being closed (completed, cancelled) gives back what it still reserves.
    Call it before the order leaves its open state."""
    released = order.reserved_amount
    if not released:
        return None
    return _move(contract, order, Kind.RELEASE, ZERO, -released, actor)


def settle(*, contract, order: Order, amount: Decimal, reference: str, adjusts=False, actor=None):
    """A sheet being signed pays `amount` (negative for an adjustment that takes back): the
    contract's and the order's settled totals move by it, and what the order reserved shrinks
    by what it now has settled of its plan."""
    reserved_before = order.reserved_amount
    order.settled_total += amount
    kind = Kind.ADJUST if adjusts else Kind.SETTLE
    return _move(
        contract, order, kind, amount, order.reserved_amount - reserved_before, actor, reference
    )


def _move(contract, order, kind, settled, committed, actor, reference=""):
    contract.settled_total += settled
    contract.committed_total += committed
    try:
        with transaction.atomic():  # the database's constraints have the last word
            contract.save(update_fields=["settled_total", "committed_total"])
            if settled:
                order.save(update_fields=["settled_total"])
    except IntegrityError as error:
        raise LedgerError(
            _(
                "Contract %(code)s cannot move %(settled)s settled and %(committed)s committed: "
                "its ceiling is %(ceiling)s. Reload the page and try again."
            )
            % {
                "code": contract.code,
                "settled": settled,
                "committed": committed,
                "ceiling": contract.ceiling_incl_tax,
            },
            conflict=True,
        ) from error
    money_action(
        kind,
        amount=settled if kind in (Kind.SETTLE, Kind.ADJUST) else committed,
        actor=actor,
        contract=contract.code,
        order=order.number,
        reference=reference or order.number,
        committed_change=committed,
        settled_after=contract.settled_total,
        committed_after=contract.committed_total,
    )
    return LedgerEntry.objects.create(
        contract=contract,
        order=order,
        kind=kind,
        reference=reference or order.number,
        settled_change=settled,
        committed_change=committed,
        settled_after=contract.settled_total,
        committed_after=contract.committed_total,
        actor=actor,
    )
