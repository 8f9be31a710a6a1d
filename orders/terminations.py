"""Termination (解除, SPEC §9): a contract's (11.1, 11.2, 11.5, 2.10) or one order's (7.2).

Procurement gives the notice; on its effective date the open orders it covers close
(`terminated`, with `terminated_on`) and release what they had not settled, and a contract's
termination ends the contract too. Work up to that date is still logged, scored and settled
(`orders.selectors.after_termination` refuses what comes after it).
"""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import FrameworkContract
from core.locks import hold
from core.money import ZERO
from core.states import advance
from orders import ledger
from orders.models import Order, Termination
from orders.selectors import after_termination
from orders.services import OrderError

Kind = Termination.Kind
Status = Termination.Status

# 11.5 counts calendar days (日), not working days as 2.10 does: 30 days' notice, an answer
# within 10 days of receiving it.
NOTICE_DAYS = 30
ANSWER_DAYS = 10


class TerminationError(OrderError):
    code = "termination"


def _dates(kind: str, noticed_on: date, effective_on: date | None) -> tuple[date, date | None]:
    """(effective date, answer due) of a notice given on `noticed_on`."""
    if kind == Kind.NOTICE:
        due = noticed_on + timedelta(days=NOTICE_DAYS)
        if effective_on not in (None, due):
            raise TerminationError(
                _("A notice under 11.5 takes effect 30 days after it is given: on %(day)s.")
                % {"day": due},
                field="effective_on",
            )
        return due, noticed_on + timedelta(days=ANSWER_DAYS)
    if effective_on is None:
        if kind == Kind.BREACH:  # at once
            return noticed_on, None
        raise TerminationError(
            _("Give the date the termination takes effect."), field="effective_on"
        )
    if effective_on < noticed_on:
        raise TerminationError(
            _("A termination takes effect on the day of its notice (%(day)s) or later.")
            % {"day": noticed_on},
            field="effective_on",
        )
    return effective_on, None


def _clause(kind: str, clause: str | None) -> str:
    allowed = Termination.CLAUSES.get(kind)
    if allowed is None:
        raise TerminationError(_("Choose how the contract ends."), field="kind")
    if not clause:
        return allowed[0]
    if clause not in allowed:
        raise TerminationError(
            _("A termination %(kind)s rests on clause %(clauses)s.")
            % {"kind": Kind(kind).label, "clauses": " / ".join(allowed)},
            field="clause",
        )
    return clause


@transaction.atomic
def termination_give(
    *,
    contract: FrameworkContract,
    order: Order | None = None,
    kind: str,
    reason: str,
    actor,
    clause: str | None = None,
    effective_on: date | None = None,
    noticed_on: date | None = None,
) -> Termination:
    """11.1, 11.2, 11.5, 2.10, 7.2: procurement's notice of the end of the contract or of one
    of its orders; in force at once when its date is today or past. `noticed_on`: the day a
    notice given on paper was delivered, when it is recorded later (today by default)."""
    contract = hold(contract=contract).contract
    if order is not None:
        order = hold(order=order).order
    clause = _clause(kind, clause)
    if not (reason or "").strip():
        raise TerminationError(_("Give the reason of the termination."), field="reason")
    noticed_on = min(noticed_on or timezone.localdate(), timezone.localdate())
    effective_on, answer_due_on = _dates(kind, noticed_on, effective_on)
    step = (order or contract).flow["terminate"]
    if not step.may(order or contract):
        what = order or contract
        raise TerminationError(
            _("%(object)s is %(status)s: it cannot be terminated.")
            % {"object": what, "status": what.get_status_display()},
            conflict=True,
        )
    end = order.service_end if order else contract.end_date
    if effective_on > end:
        raise TerminationError(
            _("It ends on %(end)s anyway, before the termination would take effect.")
            % {"end": end},
            field="effective_on",
        )
    try:
        with transaction.atomic():
            termination = Termination.objects.create(
                contract=contract,
                order=order,
                kind=kind,
                clause=clause,
                reason=reason.strip(),
                noticed_on=noticed_on,
                effective_on=effective_on,
                answer_due_on=answer_due_on,
                given_by=actor,
            )
    except IntegrityError as error:
        raise TerminationError(
            _("A termination of it is already under way: answer or withdraw that one first."),
            conflict=True,
        ) from error
    return _apply(termination, contract, actor) or termination


@transaction.atomic
def termination_answer(*, termination: Termination, answer: str, actor) -> Termination:
    """11.5: the other side answers the notice within 10 days of receiving it."""
    if not (answer or "").strip():
        raise TerminationError(_("Write the answer."), field="answer")
    return advance(
        termination,
        Termination.flow["answer"],
        error=TerminationError,
        answer=answer.strip(),
        answered_at=timezone.now(),
        answered_by=actor,
    )


@transaction.atomic
def termination_withdraw(*, termination: Termination, reason: str) -> Termination:
    """A notice not in effect yet may be withdrawn (11.5: the contract then runs its term)."""
    if not (reason or "").strip():
        raise TerminationError(_("Give the reason of the withdrawal."), field="reason")
    hold(contract=FrameworkContract(pk=termination.contract_id))
    return advance(
        termination,
        Termination.flow["withdraw"],
        error=TerminationError,
        withdrawn_reason=reason.strip(),
    )


def _apply(termination: Termination, contract: FrameworkContract, actor) -> Termination | None:
    """On its date: the open orders it covers close and release what they had not settled;
    a contract's termination ends the contract. The caller holds the contract."""
    termination = Termination.objects.select_for_update(no_key=True).get(pk=termination.pk)
    step = Termination.flow["apply"]
    if not step.may(termination):
        return None  # withdrawn meanwhile, applied by someone else, or not due: nothing to do
    day = termination.effective_on
    covered = (
        Order.objects.filter(pk=termination.order_id)
        if termination.order_id
        else contract.orders.all()
    )
    released = ZERO
    for order in hold(order=covered.filter(status__in=Order.OPEN)).order:
        released += order.reserved_amount
        ledger.release(contract=contract, order=order, actor=actor)  # while it is still open
        order.status, order.terminated_on = Order.Status.TERMINATED, day
        order.save(update_fields=["status", "terminated_on"])
    if termination.order_id is None and FrameworkContract.flow["terminate"].may(contract):
        advance(
            contract, FrameworkContract.flow["terminate"], error=TerminationError, terminated_on=day
        )
    termination.status = step.target
    termination.released_amount = released
    termination.applied_at = timezone.now()
    termination.save()
    return termination


def terminations_apply_due() -> int:
    """Daily: the terminations whose date has come take effect (safe to run twice)."""
    due = Termination.objects.pending().filter(effective_on__lte=timezone.localdate())
    applied = 0
    for pk, contract_id in due.values_list("pk", "contract_id"):
        with transaction.atomic():
            contract = hold(contract=FrameworkContract(pk=contract_id)).contract
            applied += _apply(Termination(pk=pk), contract, None) is not None
    return applied


def refuse_after_termination(order: Order, month: date, *, error) -> None:
    """A log, a score, a KPI report or a sheet of a month after the order's (or its
    contract's) termination is refused with `error` (the caller's domain error). The order is
    read afresh; a sheet's signature holds the contract, as a termination taking effect does,
    so the two take turns."""
    refusal = after_termination(Order.objects.select_related("contract").get(pk=order.pk), month)
    if refusal:
        raise error(refusal.message, field=refusal.field, conflict=True)
