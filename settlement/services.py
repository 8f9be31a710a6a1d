import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from uuid import uuid4

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history.utils import bulk_update_with_history

from assessment.models import Assessment
from contracts.kinds import MONTHLY_LOG_MODES
from contracts.models import MAX_MONEY, FrameworkContract
from core.bulk import create_with_history, insert
from core.calendar import Finding, Year, add_workdays
from core.dates import add_months
from core.errors import DomainError
from core.locks import hold
from core.models import User
from core.money import ZERO, quantize, with_tax, without_tax
from core.states import Step, advance
from core.templatetags.money import money
from governance.models import Penalty
from notifications.services import Event, muted, notify_contract, notify_each, users_of
from orders import ledger
from orders.models import Order, PaymentPlanItem
from orders.terminations import refuse_after_termination
from settlement.models import SettlementSheet, SheetLine, TaskRun
from worklogs.models import WorkLog

Status = SettlementSheet.Status
Kind = SettlementSheet.Kind
HUNDRED = Decimal(100)
INVOICE_WORKDAYS = 10  # 3.3.1


class SettlementError(DomainError):
    code = "settlement"


TO_CONFIRM = gettext_lazy(
    "Settlement sheet %(sheet)s is ready: %(amount)s yuan payable. It awaits your confirmation."
)
TO_SIGN = gettext_lazy(
    "The vendor confirmed settlement sheet %(sheet)s (%(amount)s yuan): it awaits your signature."
)
SIGNED = gettext_lazy(
    "Settlement sheet %(sheet)s was signed: %(amount)s yuan payable; the invoice is due by %(due)s."
)


def _tell(kind: str, sheet, contract, *roles, message, title: str = "", users=None) -> None:
    """Tells the sheet's contract's users of `roles` (`users`: those already fetched) that the
    sheet (`title`: its name, when the caller has it without a query) is theirs to act on,
    linking its page."""
    event = _event(sheet, users, message, title)
    notify_contract(
        kind, contract, *roles, users=users, message=message, params=event.params, url=event.url
    )


def _event(sheet, users, message, title: str = "") -> Event:
    """What telling `users` of a sheet says and links to."""
    return Event(
        users,
        message,
        {
            "sheet": title or str(sheet),
            "amount": money(sheet.payable_incl_tax),
            "due": str(sheet.invoice_due_by or ""),
        },
        reverse("sheet-detail", args=[sheet.pk]),
    )


@dataclass
class Figures:
    uncapped: Decimal
    payable: Decimal
    excl: Decimal
    tax: Decimal
    capped: bool


def settlement_figures(
    *, base: Decimal, score: Decimal, rate: Decimal, remaining: Decimal, deductions=ZERO
) -> Figures:
    """SPEC §3: payable = round(base × score / 100) less the penalties and refunds the sheet
    offsets (SPEC §9), cut to what the ceiling leaves; the tax-exclusive part =
    round(payable / (1 + rate)); tax = the difference."""
    uncapped = quantize(base * score / HUNDRED)
    owed = uncapped - deductions
    payable = min(owed, max(remaining, ZERO))
    excl = without_tax(payable, rate)
    return Figures(uncapped, payable, excl, payable - excl, payable < owed)


def _offsets(pool: list[Penalty], sheet: SettlementSheet, claimed: dict) -> Decimal:
    """SPEC §9: the decided penalties and refunds a sheet computed now takes as deduction lines
    (the contract held): those it holds already and those no sheet holds, oldest decision
    first, as many as its amount covers. `claimed` keeps, per penalty, the sheet holding it
    across a computation's sheets; answers their total."""
    total = ZERO
    for penalty in pool:
        if penalty.contract_id != sheet.contract_id:
            continue
        holder = claimed.get(penalty.pk, penalty.offset_sheet_id)
        if holder is not None and holder is not sheet and (sheet.pk is None or holder != sheet.pk):
            continue
        fits = total + penalty.amount <= sheet.uncapped_incl_tax
        claimed[penalty.pk] = sheet if fits else None
        total += penalty.amount if fits else ZERO
    return total


def _pending(contract_ids) -> list[Penalty]:
    """The decided penalties of the contracts that no sheet has offset nor demand asks for."""
    return list(
        Penalty.objects.filter(
            contract_id__in=contract_ids, status=Penalty.Status.DECIDED, demanded_on__isnull=True
        ).order_by("decided_on", "pk")
    )


def _save_offsets(pool: list[Penalty], claimed: dict) -> None:
    """Each penalty names the sheet that took it (none: it waits for the next)."""
    moved = []
    for penalty in pool:
        if penalty.pk not in claimed:
            continue
        holder = claimed[penalty.pk]
        holder_id = holder.pk if isinstance(holder, SettlementSheet) else holder
        if holder_id != penalty.offset_sheet_id:
            penalty.offset_sheet_id = holder_id
            moved.append(penalty)
    if moved:
        bulk_update_with_history(moved, Penalty, ["offset_sheet"])


def _compute_figures(sheet, contract, pool, claimed) -> None:
    """The sheet's figures from its base and score: its deductions taken, the ceiling read."""
    sheet.uncapped_incl_tax = quantize(sheet.base_amount * sheet.score / HUNDRED)
    sheet.deductions_incl_tax = (
        _offsets(pool, sheet, claimed) if sheet.basis.takes_offsets else ZERO
    )
    _apply(
        sheet,
        settlement_figures(
            base=sheet.base_amount,
            score=sheet.score,
            rate=sheet.tax_rate,
            remaining=_remaining(contract),
            deductions=sheet.deductions_incl_tax,
        ),
    )


def _apply(sheet: SettlementSheet, figures: Figures) -> None:
    sheet.uncapped_incl_tax = figures.uncapped
    sheet.payable_incl_tax = figures.payable
    sheet.payable_excl_tax = figures.excl
    sheet.tax_amount = figures.tax
    sheet.capped = figures.capped


def _remaining(contract: FrameworkContract) -> Decimal:
    return contract.ceiling_incl_tax - contract.settled_total


def _month_orders(month: date, contract_id=None, order_id=None, buyer_id=None):
    """The orders a month's sheets are expected of: those in service in the month, and any
    with a log or a score for it, of the contracts that report a monthly log (the others
    settle by milestone)."""
    last = add_months(month, 1) - timedelta(days=1)
    orders = Order.objects.filter(
        Q(
            status__in=[*Order.OPEN, Order.Status.COMPLETED, Order.Status.TERMINATED],
            service_start__lte=last,
            service_end__gte=month,
        )
        | Q(pk__in=WorkLog.objects.filter(month=month).values("order_id"))
        | Q(pk__in=Assessment.objects.filter(month=month, period_months=1).values("order_id")),
        contract__settlement_mode__in=MONTHLY_LOG_MODES,
    )
    if contract_id:
        orders = orders.filter(contract_id=contract_id)
    if buyer_id:
        orders = orders.filter(contract__buyer_id=buyer_id)
    if order_id:
        orders = orders.filter(pk=order_id)
    # Nothing after a termination's date is settled (orders.selectors.after_termination).
    orders = orders.exclude(terminated_on__lt=month).exclude(contract__terminated_on__lt=month)
    return list(orders.order_by("contract_id", "pk").values_list("pk", "contract__code"))


# Orders per transaction: a job killed half-way keeps whole chunks, never a partial sheet.
CHUNK = 100


def month_parts(month: date, contract_id=None, order_id=None, buyer_id=None) -> list:
    """The month's orders in parts a transaction (a task) each computes alone, each with its
    label: a contract's orders, in chunks of `CHUNK`, so each part locks only its own contract's
    rows."""
    parts = []
    for code, orders in groupby(
        _month_orders(month, contract_id, order_id, buyer_id), key=itemgetter(1)
    ):
        pks = [pk for pk, _code in orders]
        chunks = [pks[start : start + CHUNK] for start in range(0, len(pks), CHUNK)]
        parts += [
            (f"{code} {number}/{len(chunks)}" if len(chunks) > 1 else code, chunk)
            for number, chunk in enumerate(chunks, start=1)
        ]
    return parts


COMPUTED_FIELDS = [
    "worklog_id",
    "assessment_id",
    "base_amount",
    "score",
    "tax_rate",
    "uncapped_incl_tax",
    "deductions_incl_tax",
    "payable_incl_tax",
    "payable_excl_tax",
    "tax_amount",
    "capped",
]


# A line's fields, in the order `_lines` gives them.
LINE_FIELDS = ["item", "level", "unit", "quantity", "unit_price_incl_tax", "amount"]


def _terms(contracts: list[FrameworkContract], month: date) -> dict:
    """Per contract (its rates, rate card and amendments prefetched): the contract, the rate
    and the prices in force on the month's first day (an amendment's from its month on, 11.4)."""
    return {
        contract.pk: (contract, contract.tax_rate_on(month), contract.prices_on(month))
        for contract in contracts
    }


def _lines(quantities: dict, prices: dict, rate: Decimal) -> list[tuple]:
    """A line (its `LINE_FIELDS`) per priced item and level: the quantity at the price incl.
    tax in force (SPEC §3)."""
    lines = []
    for (item, level, unit), quantity in sorted(quantities.items()):
        price = with_tax(prices[(item, level)], rate)
        lines.append((item, level, unit, quantity, price, quantity * price))
    return lines


@dataclass
class Computation:
    """What computing sheets did: drafts made, updated and left as they were, and each order
    skipped with its reason (a code and what it means)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[dict] = dataclasses.field(default_factory=list)

    def skip(self, order: str, reason: str, message: str) -> None:
        self.skipped.append({"order": order, "reason": reason, "message": message})

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def add(self, other: "Computation") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.skipped += other.skipped


def _not_ready(log, score) -> tuple[str, str] | None:
    """Why a month's log (id, status) and score (id, total, status) cannot be settled yet."""
    if log is None:
        return "no_log", _("no person-day log for the month")
    if log[1] != WorkLog.Status.APPROVED:
        return "log_not_approved", _("its log is “%(status)s”, not approved") % {
            "status": WorkLog.Status(log[1]).label
        }
    if score is None or score[2] == Assessment.Status.DRAFT:
        return "score_not_published", _("its score is not published")
    if score[2] == Assessment.Status.PUBLISHED:
        return "score_not_confirmed", _("its score waits for the vendor's confirmation")
    if score[2] == Assessment.Status.DISPUTED:
        return "score_disputed", _("the vendor disputes its score")
    return None


@transaction.atomic
def sheets_compute(*, order_ids: list[int], month: date) -> Computation:
    """附件7: the orders' sheets for the month, created or brought up to date while drafts, in
    the same few queries however many orders, but for reading the PMs of each vendor to tell
    of the sheets made or changed. A sheet past its draft is never touched, and an
    unchanged draft is not rewritten: computing twice changes nothing. Answers what was made,
    updated and left, and which orders were skipped and why. The contracts, orders and sheets
    are held in the one lock order, so a draft's cap reads a settled total no signature is
    moving; what is held is read as values, instances made only of what is written."""
    orders = Order.objects.filter(pk__in=order_ids)
    held = hold(
        contract=FrameworkContract.objects.filter(
            pk__in=orders.values("contract_id")
        ).prefetch_related("tax_rates", "rate_card_lines", "amendments__lines"),
        order=orders.values_list("pk", "number", "contract_id", "created_at"),
        sheet=SettlementSheet.objects.filter(
            order_id__in=order_ids, month=month, kind=Kind.MONTH
        ).values_list("order_id", "pk", "status", *COMPUTED_FIELDS),
    )
    existing = {
        order_id: (pk, status, tuple(figures)) for order_id, pk, status, *figures in held.sheet
    }
    drafts = {pk for pk, status, _figures in existing.values() if status == Status.DRAFT}
    lines_of = defaultdict(list)
    if drafts:  # the first computation of a month has none: no query
        for sheet_id, *line in SheetLine.objects.filter(sheet_id__in=drafts).values_list(
            "sheet_id", *LINE_FIELDS
        ):
            lines_of[sheet_id].append(tuple(line))
    numbers = {pk: number for pk, number, _contract_id, _created in held.order}
    logs = {
        order_id: (pk, status)
        for order_id, pk, status in WorkLog.objects.filter(order_id__in=order_ids, month=month)
        .values_list("order_id", "pk", "status")
        .order_by()
    }
    scores = {
        order_id: (pk, total, status)
        for order_id, pk, total, status in Assessment.objects.filter(
            order_id__in=order_ids, month=month, period_months=1
        )
        .values_list("order_id", "pk", "total_score", "status")
        .order_by()
    }
    computation, ready = Computation(), set()
    for order_id in order_ids:
        pk, status, _figures = existing.get(order_id, (None, Status.DRAFT, None))
        reason = (
            _not_ready(logs.get(order_id), scores.get(order_id))
            if status == Status.DRAFT
            else (
                "sheet_past_draft",
                _("its sheet is already “%(status)s”") % {"status": Status(status).label},
            )
        )
        if reason is None:
            ready.add(order_id)
        else:
            computation.skip(numbers[order_id], *reason)
    # The newest order first, as the pool of penalties has always been offset.
    orders = sorted(
        (
            (created, pk, contract_id)
            for pk, _number, contract_id, created in held.order
            if pk in ready
        ),
        key=itemgetter(0),
        reverse=True,
    )
    terms = _terms(held.contract, month)
    logs = {
        order_id: (logs[order_id][0], terms[contract_id][0].settlement_mode)
        for _created, order_id, contract_id in orders
    }
    quantities = SettlementSheet.strategies[Kind.MONTH].quantities(logs)
    pool, claimed = _pending(list(terms)), {}
    created, changed = [], []
    for _created, order_id, contract_id in orders:
        contract, rate, prices = terms[contract_id]
        lines = _lines(quantities.get(order_id, {}), prices, rate)
        pk, _status, before = existing.get(order_id, (None, None, None))
        sheet = SettlementSheet(
            pk=pk,
            contract_id=contract_id,
            order_id=order_id,
            month=month,
            worklog_id=logs[order_id][0],
            assessment_id=scores[order_id][0],
            base_amount=sum((line[-1] for line in lines), ZERO),
            score=min(scores[order_id][1], HUNDRED),
            tax_rate=rate,
        )
        _compute_figures(sheet, contract, pool, claimed)
        if pk is None:
            created.append((sheet, lines))
        elif _state(sheet) != before or sorted(lines) != sorted(lines_of[pk]):
            changed.append((sheet, lines))
    create_with_history([sheet for sheet, _lines in created])
    if changed:
        _update_drafts([sheet for sheet, _lines in changed])
        SheetLine.objects.filter(sheet__in=[sheet.pk for sheet, _lines in changed]).delete()
    insert(
        SheetLine,
        ["sheet", *LINE_FIELDS],
        [(sheet.pk, *line) for sheet, lines in created + changed for line in lines],
    )
    _save_offsets(pool, claimed)
    # One notice per sheet made or changed, to its vendor's PMs (read once per vendor).
    pms, events = {}, []
    for sheet, _made in created + changed:
        vendor_id = terms[sheet.contract_id][0].vendor_id
        if vendor_id not in pms:
            pms[vendor_id] = list(users_of(vendor_id, User.Role.VENDOR_PM))
        title = f"{numbers[sheet.order_id]} {month:%Y-%m}"
        events.append(_event(sheet, pms[vendor_id], TO_CONFIRM, title))
    notify_each("sheet_to_confirm", events)
    computation.created += len(created)
    computation.updated += len(changed)
    computation.unchanged += len(orders) - len(created) - len(changed)
    return computation


def _state(sheet: SettlementSheet) -> tuple:
    """What a computation decides of a sheet but its lines: its figures."""
    return tuple(getattr(sheet, name) for name in COMPUTED_FIELDS)


def _update_drafts(computed: list[SettlementSheet]) -> None:
    """The drafts whose figures `computed` (unsaved instances with their keys) changed, saved
    with their history."""
    drafts = SettlementSheet.objects.in_bulk([sheet.pk for sheet in computed])
    for sheet in computed:
        for name in COMPUTED_FIELDS:
            setattr(drafts[sheet.pk], name, getattr(sheet, name))
    bulk_update_with_history(list(drafts.values()), SettlementSheet, COMPUTED_FIELDS)


def settlements_compute(
    *, month: date, contract_id=None, order_id=None, buyer_id=None, progress=None
) -> dict:
    """Every sheet of a month (or of one contract or order) in this one process, a part (a
    contract's chunk of orders) per transaction, reporting progress after each: what a worker's
    fanned-out run does across workers (`settlement.tasks`). Answers `computation_summary`."""
    month = month.replace(day=1)
    parts = month_parts(month, contract_id, order_id, buyer_id)
    total, done, computation = sum(len(orders) for _label, orders in parts), 0, Computation()
    for _label, orders in parts:
        computation.add(sheets_compute(order_ids=orders, month=month))
        done += len(orders)
        if progress:
            progress(done, total)
    return computation_summary(month, total, computation)


def computation_summary(month: date, orders: int, computation: Computation, failed=()) -> dict:
    """What a month's computation made, updated, left and skipped (and why, per order), with a
    sentence saying it; and the parts that failed, if it ran in parts."""
    figures = {
        "month": f"{month:%Y-%m}",
        "orders": orders,
        "computed": computation.created + computation.updated + computation.unchanged,
        "created": computation.created,
        "updated": computation.updated,
        "unchanged": computation.unchanged,
    }
    summary = (
        _(
            "%(month)s: %(created)s sheets made, %(updated)s updated, %(unchanged)s unchanged; "
            "%(skipped)s orders skipped."
        )
        % {**figures, "skipped": len(computation.skipped)}
        if orders
        else _("%(month)s: no order was in service, so no sheet was made.") % figures
    )
    if failed:
        summary += " " + ngettext(
            "%(count)s part failed (%(parts)s): resume the run to compute it.",
            "%(count)s parts failed (%(parts)s): resume the run to compute them.",
            len(failed),
        ) % {"count": len(failed), "parts": "、".join(part["part"] for part in failed)}
    return {**figures, "skipped": computation.skipped, "failed": list(failed), "summary": summary}


def task_run_start(*, task, args: tuple, user) -> str:
    """Queues a long job once the request's transaction commits, recorded as the user's: only
    they, their organization's procurement and the admins follow it (tasks/<id>/)."""
    run = TaskRun.objects.create(
        task_id=str(uuid4()), name=task.name, user=user, organization_id=user.organization_id
    )
    transaction.on_commit(lambda: task.apply_async(args=args, task_id=run.task_id))
    return run.task_id


MILESTONE_FIELDS = [*COMPUTED_FIELDS, "achievement"]


@transaction.atomic
def payment_sheet_compute(*, item: PaymentPlanItem) -> SettlementSheet:
    """004: a milestone's sheet, dated the month it falls due (`PaymentPlanItem.due_on`) and
    computed from the day it is payable (`PaymentPlanItem.payable_from`) on, scored as its kind says
    (`settlement.kinds.Milestone.score`). A sheet past its draft is never touched."""
    item = PaymentPlanItem.objects.select_related("order").get(pk=item.pk)
    held = hold(
        contract=FrameworkContract(pk=item.order.contract_id),
        order=item.order,
        sheet=SettlementSheet.objects.filter(payment_item=item, kind=Kind.MILESTONE),
    )
    order, contract = held.order, held.contract
    milestone = SettlementSheet.strategies[Kind.MILESTONE]
    if not milestone.settles(contract):
        raise SettlementError(_("Only a fixed-price contract settles by milestone."))
    item.order = order
    due = item.due_on
    if due is None:
        raise SettlementError(_("Milestone %(stage)s has no due month.") % {"stage": item.stage})
    if timezone.localdate() < item.payable_from:
        raise SettlementError(
            _(
                "Milestone %(stage)s is payable from %(day)s: its sheet is computed from that "
                "day on."
            )
            % {"stage": item.stage, "day": item.payable_from}
        )
    sheet = next(iter(held.sheet), None) or SettlementSheet(
        contract=contract,
        order=order,
        kind=Kind.MILESTONE,
        payment_item=item,
        month=due.replace(day=1),
    )
    if sheet.status != Status.DRAFT:
        return sheet
    before = [getattr(sheet, name) for name in MILESTONE_FIELDS] if sheet.pk else None
    score, sheet.assessment, sheet.achievement = milestone.score(order, item)
    sheet.base_amount, sheet.score = item.amount_incl_tax, score
    sheet.tax_rate = contract.tax_rate_on(sheet.month)
    pool, claimed = _pending([contract.pk]), {}
    _compute_figures(sheet, contract, pool, claimed)
    if before != [getattr(sheet, name) for name in MILESTONE_FIELDS]:  # unchanged: not rewritten
        sheet.save()
        _tell("sheet_to_confirm", sheet, contract, User.Role.VENDOR_PM, message=TO_CONFIRM)
    _save_offsets(pool, claimed)
    return sheet


def _lock(sheet):
    """The contract, then the sheet (core.locks' order)."""
    held = hold(contract=FrameworkContract(pk=sheet.contract_id), sheet=sheet)
    return held.contract, held.sheet


def _hold_for_signature(sheet):
    """What a confirmation changes, in the one lock order: the contract, the order, the
    evidence the sheet's kind rests on (a month: its log and score; a milestone: its order's
    KPI periods; either: the acceptance of its work), the sheet."""
    return hold(
        contract=FrameworkContract(pk=sheet.contract_id),
        order=Order(pk=sheet.order_id),
        evidence=sheet.basis.evidence(sheet),
        sheet=sheet,
    )


def _check(sheet, step: Step) -> None:
    """The sheet's flow allows the step now (`SettlementSheet.flow`)."""
    if not step.may(sheet):
        raise SettlementError(
            _("Sheet %(sheet)s is %(status)s: it cannot do that now.")
            % {"sheet": sheet, "status": sheet.get_status_display()},
            conflict=True,
        )


def confirmation_step(actor) -> Step:
    """A sheet's `confirm/` is the vendor's confirmation, or the buyer's signature."""
    return SettlementSheet.flow["confirm" if actor.is_vendor else "sign"]


@transaction.atomic
def sheet_confirm(*, sheet: SettlementSheet, actor) -> SettlementSheet:
    """The vendor PM confirms first, on figures brought up to date, and freezes the log and the
    score the sheet rests on; the buyer's confirmation signs the sheet. Both hold the same
    rows, so a log cannot be reopened between the figures and the signature."""
    held = _hold_for_signature(sheet)
    sheet = held.sheet
    step = confirmation_step(actor)
    _check(sheet, step)
    refuse_after_termination(held.order, sheet.month, error=SettlementError)
    if step.name == "confirm":
        with muted():  # the vendor confirms it now: no notice to confirm it
            sheet = sheet.basis.refresh(sheet)
        _freeze_basis(sheet, held.evidence)
        sheet.status = step.target
        sheet.vendor_confirmed_at, sheet.vendor_confirmed_by = timezone.now(), actor
        sheet.save()
        _tell("sheet_to_sign", sheet, held.contract, User.Role.PROCUREMENT, message=TO_SIGN)
        return sheet
    sheet = _sign(held.contract, held.order, sheet, actor)
    _tell(
        "sheet_signed",
        sheet,
        held.contract,
        User.Role.FINANCE,
        User.Role.VENDOR_PM,
        message=SIGNED,
    )
    return sheet


def _freeze_basis(sheet, evidence) -> None:
    """From the vendor's confirmation on, the log and the score a sheet rests on are frozen:
    they must be approved and confirmed, and can no longer be reopened or re-scored."""
    needed = {
        (WorkLog, sheet.worklog_id): WorkLog.Status.APPROVED,
        (Assessment, sheet.assessment_id): Assessment.Status.CONFIRMED,
    }
    basis = [row for row in evidence if (type(row), row.pk) in needed]
    if any(row.status != needed[type(row), row.pk] for row in basis):
        raise SettlementError(
            _("The month's log must be approved and its score confirmed."), conflict=True
        )
    now = timezone.now()
    for row in basis:
        if row.locked_at is None:
            row.locked_at = now
            row.save(update_fields=["locked_at"])


def _sign(contract, order, sheet, actor):
    """附件7 备注1: the signed sheets of a contract never add up past its ceiling. Checked with
    the contract row locked; a sheet that would cross it is cut, its uncapped figure kept."""
    sheet.contract = contract  # the kind's checks read the locked row, which signing moves
    figures = signing_figures(sheet, contract)
    sheet.basis.check_signing(sheet, figures)
    _freeze_acceptance(sheet)
    _apply(sheet, figures)
    ledger.settle(
        contract=contract,
        order=order,
        amount=sheet.payable_incl_tax,
        reference=_reference(sheet),
        adjusts=sheet.basis.adjusts,
        actor=actor,
    )
    for penalty in sheet.offsets.filter(status=Penalty.Status.DECIDED):
        advance(penalty, Penalty.flow["offset"], error=SettlementError)
    sheet.status = SettlementSheet.flow["sign"].target
    sheet.signed_at, sheet.signed_by = timezone.now(), actor
    sheet.contract_settled_at_signing = contract.settled_total
    sheet.contract_remaining_at_signing = _remaining(contract)
    sheet.invoice_due_by = add_workdays(timezone.localdate(), INVOICE_WORKDAYS)
    sheet.save()
    return sheet


def _reference(sheet) -> str:
    """The ledger entry's document: the sheet, and what it offset (SPEC §9)."""
    if not sheet.deductions_incl_tax:
        return str(sheet)
    return _("%(sheet)s, less %(amount)s of penalties and refunds") % {
        "sheet": sheet,
        "amount": sheet.deductions_incl_tax,
    }


def _freeze_acceptance(sheet) -> None:
    """The acceptance a signed sheet rests on is never withdrawn (held with its evidence)."""
    acceptance = sheet.basis.acceptance(sheet)
    if acceptance is not None and acceptance.locked_at is None:
        acceptance.locked_at = timezone.now()
        acceptance.save(update_fields=["locked_at"])


def signing_figures(sheet: SettlementSheet, contract: FrameworkContract) -> Figures:
    """What signing the sheet would settle now, cut to what the contract's ceiling leaves."""
    return sheet.basis.signing_figures(sheet, _remaining(contract))


def paid_so_far(original: SettlementSheet) -> Decimal:
    """What a sheet and its signed adjustments have paid in all."""
    signed = original.adjustments.filter(status__in=SettlementSheet.SIGNED_STATES)
    return original.payable_incl_tax + sum((a.payable_incl_tax for a in signed), ZERO)


def adjustment_figures(amount, rate, remaining) -> Figures:
    """An adjustment pays its amount (cut to what the ceiling leaves) or takes it back."""
    payable = min(amount, max(remaining, ZERO)) if amount > 0 else amount
    excl = without_tax(payable, rate)
    return Figures(amount, payable, excl, payable - excl, payable != amount)


@transaction.atomic
def sheet_adjust(
    *,
    sheet: SettlementSheet,
    amount_incl_tax: Decimal,
    reason: str,
    assessment: Assessment | None = None,
) -> SettlementSheet:
    """A mistake on a signed sheet is corrected by an adjustment sheet (positive or negative)
    that refers to it, never by editing it; it obeys the ceiling too. `assessment`: the score
    the correction rests on (a milestone's true-up)."""
    contract, sheet = _lock(sheet)
    if not sheet.is_signed or not sheet.basis.adjustable:
        raise SettlementError(_("Only a signed monthly sheet is adjusted."))
    if not reason.strip() or amount_incl_tax == 0:
        raise SettlementError(_("An adjustment has an amount other than 0 and a reason."))
    if (
        not amount_incl_tax.is_finite()
        or abs(amount_incl_tax) > MAX_MONEY
        or amount_incl_tax != quantize(amount_incl_tax)
    ):
        raise SettlementError(
            _("Give the amount in yuan with at most two decimals."), field="amount_incl_tax"
        )
    if paid_so_far(sheet) + amount_incl_tax < 0:
        raise SettlementError(_("An adjustment cannot take back more than was paid."))
    adjustment = SettlementSheet(
        contract=contract,
        order=sheet.order,
        month=sheet.month,
        kind=Kind.ADJUSTMENT,
        adjusts=sheet,
        adjustment_reason=reason.strip(),
        tax_rate=sheet.tax_rate,
        score=sheet.score,
        assessment=assessment,
    )
    _apply(adjustment, adjustment_figures(amount_incl_tax, sheet.tax_rate, _remaining(contract)))
    adjustment.save()
    _tell("sheet_to_confirm", adjustment, contract, User.Role.VENDOR_PM, message=TO_CONFIRM)
    return adjustment


@dataclass
class TrueUp:
    """004 考核条款 2: what a milestone paid in full on its date still owes back once its KPI
    period is scored below 90%: its amount × score / 100 − what its sheet paid, never more
    than nought (`amount`, negative)."""

    sheet: SettlementSheet
    assessment: Assessment
    achievement: Decimal
    score: Decimal
    amount: Decimal

    @property
    def reduction(self) -> Decimal:
        """The amount given back, as a positive figure (核减 10,080.00)."""
        return -self.amount

    @property
    def reason(self) -> str:
        period = self.assessment
        return _(
            "True-up of milestone %(stage)s: its KPI period (%(months)s months from %(start)s) "
            "reached %(achievement)s of its baselines, below 90%%, and scored %(score)s: "
            "%(base)s × %(score)s / 100 − %(base)s."
        ) % {
            "stage": self.sheet.payment_item.stage,
            "months": period.period_months,
            "start": f"{period.month:%Y-%m}",
            "achievement": f"{self.achievement:.2%}",
            "score": self.score,
            "base": money(self.sheet.base_amount),
        }


def true_up_of(sheet: SettlementSheet) -> TrueUp | None:
    """What the signed milestone sheet is to be trued up by, None when nothing: it was paid on
    its date without its period's score (the settle rule `true_up`), the period's score is now
    confirmed, below 90% of its baselines and below 100, and no true-up was made yet (the
    adjustment resting on that score)."""
    item = sheet.payment_item
    if (
        sheet.kind != Kind.MILESTONE
        or not sheet.is_signed
        or sheet.assessment_id is not None
        or not item.assessed_months
        or item.holds_for_score
        or sheet.adjustments.filter(assessment__isnull=False).exists()
    ):
        return None
    score, assessment, achievement = sheet.basis.score(sheet.order, item)
    # Never more back than was paid above the score: a sheet cut by the contract's ceiling
    # paid less than its amount. What it paid for the milestone is its payable and the
    # penalties it offset (those were paid off, not short of the milestone).
    paid = sheet.payable_incl_tax + sheet.deductions_incl_tax
    amount = min(ZERO, quantize(sheet.base_amount * score / HUNDRED) - paid)
    if assessment is None or not amount:
        return None
    return TrueUp(sheet, assessment, achievement, score, amount)


@transaction.atomic
def milestone_true_up(*, item: PaymentPlanItem, actor) -> SettlementSheet:
    """004 考核条款 2 (90%以下根据考核实际得分等比例拨付): a milestone paid in full on its date
    whose KPI period is then scored below 90% gives back the difference, by an adjustment sheet
    of its signed sheet naming the period, its achievement and its score; once (the contract,
    the period's score and the sheet held, then checked again: a second is refused). The score
    it rests on is frozen from then on. Procurement's."""
    if not actor.has_role(User.Role.PROCUREMENT):
        raise SettlementError(_("Only procurement trues up a milestone."))
    sheet = SettlementSheet.objects.filter(payment_item=item, kind=Kind.MILESTONE).first()
    if sheet is None or not sheet.is_signed:
        raise SettlementError(
            _("Milestone %(stage)s has no signed sheet to true up.") % {"stage": item.stage},
            conflict=True,
        )
    assessments = Assessment.objects.filter(order_id=sheet.order_id, period_months__gt=1)
    held = hold(contract=FrameworkContract(pk=sheet.contract_id), evidence=assessments, sheet=sheet)
    true_up = true_up_of(held.sheet)
    if true_up is None:
        raise SettlementError(
            _(
                "Milestone %(stage)s has nothing to true up: it was paid on its period's score, "
                "its period is not scored yet or reached 90%%, or its true-up was made already."
            )
            % {"stage": item.stage},
            conflict=True,
        )
    adjustment = sheet_adjust(
        sheet=held.sheet,
        amount_incl_tax=true_up.amount,
        reason=true_up.reason,
        assessment=true_up.assessment,
    )
    _freeze_basis(adjustment, held.evidence)
    return adjustment


def calendar_recheck(before: Year, after: Year) -> list[Finding]:
    """SPEC §9: a signed sheet's invoice deadline (3.3.1) counted on a year that is published
    again moves to the new calendar, and each move is listed; amounts and states never change.
    (An invoice's own deadlines are finance's.)"""
    first, last = date(after.number, 1, 1), date(after.number, 12, 31)
    findings = []
    sheets = SettlementSheet.objects.filter(status=Status.SIGNED, invoice_due_by__gte=first)
    for sheet in sheets.select_related("contract", "order"):
        start = timezone.localdate(sheet.signed_at)
        if start > last:
            continue
        due, before_due = add_workdays(start, INVOICE_WORKDAYS), sheet.invoice_due_by
        if due == before_due:
            continue
        sheet.invoice_due_by = due
        sheet.save(update_fields=["invoice_due_by"])
        findings.append(
            Finding(
                sheet.contract.buyer_id,
                _("Sheet %(sheet)s: %(what)s is now due by %(new)s, not %(old)s.")
                % {"sheet": sheet, "what": _("the invoice"), "new": due, "old": before_due},
                f"/settlements/{sheet.pk}/",
            )
        )
    return findings
