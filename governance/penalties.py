"""The penalty and refund register (ch. 7): what the portal proposes, the vendor's answer,
procurement's decision, and the demand when no sheet follows to offset it (SPEC §9).

Proposals: a penalty is 20% of the project's total (7.2–7.6): an order's planned amount incl.
tax, or for a breach of the whole contract its settled + committed. A refund (7.2, 7.3, 7.8)
gives back what was paid for the order: its settled total, which procurement lowers, with a
reason, to the part that paid for work not delivered (7.8).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import MAX_MONEY, FrameworkContract
from core.errors import DomainError
from core.locks import hold
from core.models import User
from core.money import quantize
from core.states import advance
from core.templatetags.money import money
from governance.models import Penalty
from notifications.services import notify_contract
from orders.models import Order

Kind = Penalty.Kind
Clause = Penalty.Clause
RATE = Decimal("0.20")
PENALTY_CLAUSES = (Clause.C7_2, Clause.C7_3, Clause.C7_4, Clause.C7_5, Clause.C7_6)
REFUND_CLAUSES = (Clause.C7_2, Clause.C7_3, Clause.C7_8)


class PenaltyError(DomainError):
    code = "penalty"


PROPOSED = gettext_lazy(
    "%(kind)s of %(amount)s yuan (clause %(clause)s) proposed on %(target)s: %(text)s"
)
DISPUTED = gettext_lazy(
    "The vendor disputes the %(kind)s of %(amount)s yuan on %(target)s: %(text)s"
)


def _tell(kind: str, penalty: Penalty, role: str, message, text: str) -> None:
    notify_contract(
        kind,
        penalty.contract,
        role,
        message=message,
        params={
            # Lazy: rendered in the portal's language with the sentence.
            "kind": Kind(penalty.kind).label,
            "amount": money(penalty.amount),
            "clause": penalty.clause,
            "target": penalty.order.number if penalty.order_id else penalty.contract.code,
            "text": text,
        },
        url=reverse("penalty-detail", args=[penalty.pk]),
    )


@dataclass(frozen=True)
class Proposal:
    """What the portal proposes, and on what."""

    basis: Decimal
    amount: Decimal
    basis_label: str


BASIS_LABELS = {
    "order": gettext_lazy("20 percent of the order's planned total incl. tax"),
    "contract": gettext_lazy("20 percent of the contract's settled + committed"),
    "refund": gettext_lazy("what was paid for the order (its settled total)"),
}


def basis_of(kind: str, order) -> str:
    """Which basis a breach's proposal rests on."""
    if kind == Kind.REFUND:
        return "refund"
    return "contract" if order is None else "order"


def propose(*, kind: str, clause: str, contract: FrameworkContract, order: Order | None):
    """The proposal for a breach under the clause, or PenaltyError saying what does not fit."""
    clauses = REFUND_CLAUSES if kind == Kind.REFUND else PENALTY_CLAUSES
    if clause not in clauses:
        raise PenaltyError(
            _("A %(kind)s is recorded under clause %(clauses)s.")
            % {"kind": Kind(kind).label, "clauses": "、".join(clauses)},
            field="clause",
        )
    if order is not None and order.contract_id != contract.pk:
        raise PenaltyError(_("The order is not one of the contract's."), field="order")
    label = basis_of(kind, order)
    if label == "refund":
        if order is None:
            raise PenaltyError(
                _("A refund is of an order's payments: name the order."), field="order"
            )
        return Proposal(order.settled_total, order.settled_total, str(BASIS_LABELS[label]))
    if label == "contract":
        basis = contract.settled_total + contract.committed_total
    else:
        basis = order.planned_amount
    return Proposal(basis, quantize(basis * RATE), str(BASIS_LABELS[label]))


def _amount(amount, proposed: Decimal, reason: str) -> tuple[Decimal, str]:
    """The amount given (the proposal when none) and its reason, required when it differs."""
    amount = proposed if amount is None else amount
    if not amount.is_finite() or amount <= 0 or amount > MAX_MONEY or amount != quantize(amount):
        raise PenaltyError(
            _("Give the amount in yuan, more than 0, with at most two decimals."), field="amount"
        )
    reason = (reason or "").strip()
    if amount != proposed and not reason:
        raise PenaltyError(
            _("The amount differs from the proposal (%(proposed)s): say why.")
            % {"proposed": proposed},
            field="reason",
        )
    return amount, reason


@transaction.atomic
def penalty_record(
    *, actor, contract, kind, clause, description, order=None, amount=None, reason=""
) -> Penalty:
    """Procurement records a breach: the proposal kept beside the amount it sets."""
    if not description.strip():
        raise PenaltyError(_("Describe the breach."), field="description")
    proposal = propose(kind=kind, clause=clause, contract=contract, order=order)
    amount, reason = _amount(amount, proposal.amount, reason)
    penalty = Penalty.objects.create(
        contract=contract,
        order=order,
        kind=kind,
        clause=clause,
        description=description.strip(),
        basis_amount=proposal.basis,
        proposed_amount=proposal.amount,
        amount=amount,
        reason=reason,
        recorded_by=actor,
        recorded_on=timezone.localdate(),
    )
    _tell("penalty_proposed", penalty, User.Role.VENDOR_PM, PROPOSED, penalty.description)
    return penalty


@transaction.atomic
def penalty_answer(*, penalty: Penalty, actor, step: str, answer: str = "") -> Penalty:
    """The vendor acknowledges the penalty, or disputes it saying why."""
    answer = (answer or "").strip()
    if step == "dispute" and not answer:
        raise PenaltyError(_("Say why you dispute it."), field="answer")
    penalty = advance(
        penalty, Penalty.flow[step], error=PenaltyError, answer=answer, answered_by=actor
    )
    if step == "dispute":
        _tell("penalty_disputed", penalty, User.Role.PROCUREMENT, DISPUTED, answer)
    return penalty


@transaction.atomic
def penalty_decide(*, penalty: Penalty, actor, amount=None, reason: str = "") -> Penalty:
    """Procurement decides the amount (the proposal unless it says why another)."""
    amount, reason = _amount(amount, penalty.proposed_amount, reason)
    return advance(
        penalty,
        Penalty.flow["decide"],
        error=PenaltyError,
        amount=amount,
        reason=reason,
        decided_by=actor,
        decided_on=timezone.localdate(),
    )


def no_sheet_follows(contract: FrameworkContract) -> bool:
    """The contract has ended or has no open order left: no sheet will offset anything."""
    if contract.terminated_on or contract.end_date < timezone.localdate():
        return True
    return not contract.orders.filter(status__in=Order.OPEN).exists()


def may_demand(penalty: Penalty) -> bool:
    return (
        penalty.status == Penalty.Status.DECIDED
        and penalty.offset_sheet_id is None
        and no_sheet_follows(penalty.contract)
    )


@transaction.atomic
def penalty_demand(*, penalty: Penalty, actor) -> Penalty:
    """A decided penalty no sheet will offset is asked for by a demand (its PDF); from then on
    no sheet takes it. Held with the contract, as the sheets that take penalties are."""
    hold(contract=FrameworkContract(pk=penalty.contract_id))
    penalty = Penalty.objects.select_for_update(no_key=True).get(pk=penalty.pk)
    if penalty.demanded_on is None:
        if not may_demand(penalty):
            raise PenaltyError(
                _("Only a decided penalty no sheet will offset is demanded."), conflict=True
            )
        penalty.demanded_on, penalty.demanded_by = timezone.localdate(), actor
        penalty.save()
    return penalty
