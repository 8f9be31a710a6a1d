from datetime import date
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from archive.models import Document
from archive.services import document_add
from contracts.kinds import MODES
from contracts.models import FrameworkContract, RateCardLine
from core.errors import DomainError
from core.locks import hold
from core.models import User
from core.money import ZERO, quantize
from core.states import Step, advance
from notifications.services import notify_contract
from orders import ledger
from orders.models import Acceptance, Order, OrderLine, PaymentPlanItem
from orders.selectors import REPORTING, agreed_prices

Status = Order.Status
ISSUED = gettext_lazy("Order %(order)s (%(name)s) was issued to you.")
LINE_FIELDS = ("role", "level", "planned_quantity", "unit_price_incl_tax", "planned_amount")

ORDER_FIELDS = (
    "name",
    "service_start",
    "service_end",
    "buyer_contact_name",
    "buyer_contact_phone",
    "buyer_contact_email",
    "vendor_contact_name",
    "vendor_contact_phone",
    "vendor_contact_email",
    "service_items",
    "requirements",
    "commissioned_content",
    "assessment_and_settlement",
    "special_notes",
)


class OrderError(DomainError):
    code = "order"


def _check(order: Order, step: Step) -> None:
    """The order, held under its lock (`_lock`), may take the step of its flow."""
    if not step.may(order):
        raise OrderError(
            _("An order that is %(status)s cannot become %(target)s.")
            % {"status": order.get_status_display(), "target": Status(step.target).label},
            conflict=True,
        )


def _take(order: Order, step: Step) -> None:
    _check(order, step)
    order.status = step.target


def _lock(order: Order) -> tuple[FrameworkContract, Order]:
    held = hold(contract=FrameworkContract(pk=order.contract_id), order=order)
    return held.contract, held.order


def _priced_lines(contract: FrameworkContract, service_start, lines) -> list[OrderLine]:
    """Each planned line at the agreed price incl. tax in force on the service start."""
    prices = agreed_prices(contract, service_start)
    priced = []
    for number, line in enumerate(lines, start=1):
        card, price = prices.get((line["role"], line["level"]), (None, None))
        if card is None:
            raise OrderError(
                _("Line %(n)s: %(role)s %(level)s has no agreed price on the rate card.")
                % {"n": number, **line},
                field="lines",
            )
        quantity = Decimal(line["planned_quantity"])
        if quantity <= 0:
            raise OrderError(
                _("Line %(n)s: the planned quantity must be above zero.") % {"n": number},
                field="lines",
            )
        if card.unit == RateCardLine.Unit.ITEM and quantity % 1:
            raise OrderError(
                _("Line %(n)s: items are planned in whole pieces.") % {"n": number},
                field="lines",
            )
        priced.append(
            OrderLine(
                role=card.role,
                level=card.level,
                planned_quantity=quantity,
                unit_price_incl_tax=price,
                planned_amount=quantity_price(quantity, price),
            )
        )
    return priced


def quantity_price(quantity, price) -> Decimal:
    return quantize(Decimal(quantity) * price)


def _check_payment_plan(items, planned_amount) -> list[PaymentPlanItem]:
    total_ratio = sum((Decimal(item["ratio"]) for item in items), ZERO)
    if total_ratio > 1:
        raise OrderError(
            _("The payment ratios add up to %(total)s, above 100%%.")
            % {"total": f"{total_ratio:.2%}"},
            field="payment_plan",
        )
    total_amount = sum((Decimal(item["amount_incl_tax"]) for item in items), ZERO)
    if total_amount > planned_amount:
        raise OrderError(
            _("The payment plan's %(total)s exceeds the planned amount %(planned)s.")
            % {"total": total_amount, "planned": planned_amount},
            field="payment_plan",
        )
    return [PaymentPlanItem(**item) for item in items]


def _check_period(contract: FrameworkContract, order: Order) -> None:
    if order.service_end < order.service_start:
        raise OrderError(_("The service period cannot end before it starts."), field="service_end")
    if order.service_start < contract.start_date or order.service_end > contract.end_date:
        raise OrderError(
            _(
                "The service period %(start)s – %(end)s lies outside the contract's term "
                "%(term_start)s – %(term_end)s."
            )
            % {
                "start": order.service_start,
                "end": order.service_end,
                "term_start": contract.start_date,
                "term_end": contract.end_date,
            },
            field="service_start",
        )


def _check_ceiling(contract: FrameworkContract, priced: list[OrderLine]) -> None:
    """SPEC §3: an order is planned within what its contract has free (the ceiling less what is
    settled and what open orders reserve); the line that crosses it is named."""
    free, total = contract.free_amount, ZERO
    for number, line in enumerate(priced, start=1):
        total += line.planned_amount
        if total > free:
            raise OrderError(
                _(
                    "Line %(n)s brings the planned amount to %(total)s, above the contract's "
                    "free amount %(free)s (ceiling %(ceiling)s − settled %(settled)s − "
                    "committed %(committed)s). Nothing was saved."
                )
                % {
                    "n": number,
                    "total": total,
                    "free": free,
                    "ceiling": contract.ceiling_incl_tax,
                    "settled": contract.settled_total,
                    "committed": contract.committed_total,
                },
                field="lines",
            )


def _saved_values(order: Order) -> dict:
    return {name: getattr(order, name) for name in (*ORDER_FIELDS, "planned_amount")}


def _sync(order: Order, rows, wanted, fields, key, renamed=False) -> None:
    """Saves the `wanted` parts of an order over its `rows`, touching only what differs, so its
    history records real changes: a row of the same key is kept (updated if a field differs);
    if `renamed`, a row left over takes the place of a new one (its key was edited); only the
    rest is created or deleted."""
    left, new, pairs = list(rows), [], []
    for row in wanted:
        same = next((old for old in left if key(old) == key(row)), None)
        if same is None:
            new.append(row)
        else:
            left.remove(same)
            pairs.append((same, row))
    if renamed:
        pairs += zip(left, new, strict=False)
        left, new = left[len(new) :], new[len(left) :]
    for old, row in pairs:
        changed = [name for name in fields if getattr(old, name) != getattr(row, name)]
        if changed:
            for name in changed:
                setattr(old, name, getattr(row, name))
            old.save(update_fields=changed)
    for old in left:
        old.delete()
    for row in new:
        row.order = order
    if new:
        bulk_create_with_history(new, type(new[0]))


def _write_lines(
    order: Order, contract: FrameworkContract, lines, payment_plan, saved=None
) -> None:
    """The order, its lines and its payment plan, each saved only where it differs from what
    is `saved` (the order's stored values; None for a new order)."""
    priced = _priced_lines(contract, order.service_start, lines)
    _check_ceiling(contract, priced)
    order.planned_amount = sum((line.planned_amount for line in priced), ZERO)
    plan = _check_payment_plan(payment_plan, order.planned_amount)
    if saved is None or _saved_values(order) != saved:
        order.save()
    # A line is its role and level (another is another line); a payment stage may be renamed.
    _sync(order, order.lines.all(), priced, LINE_FIELDS, lambda line: (line.role, line.level))
    _sync(
        order,
        order.payment_plan.all(),
        plan,
        PaymentPlanItem.FIELDS,
        lambda item: item.stage,
        renamed=True,
    )


@transaction.atomic
def order_create(*, contract: FrameworkContract, lines, payment_plan=(), **fields) -> Order:
    """附件6: a draft order, numbered `<contract code>-NNN`, batch N of its contract."""
    contract = hold(contract=contract).contract
    batch = contract.orders.count() + 1
    order = Order(
        contract=contract,
        batch=batch,
        number=f"{contract.code}-{batch:03d}",
        **{name: fields[name] for name in ORDER_FIELDS if name in fields},
    )
    _check_period(contract, order)
    _write_lines(order, contract, lines, payment_plan)
    return order


@transaction.atomic
def order_update(*, order: Order, lines=None, payment_plan=None, **fields) -> Order:
    contract, order = _lock(order)
    if order.status != Status.DRAFT:
        raise OrderError(
            _("Order %(number)s is %(status)s: only a draft can be changed.")
            % {"number": order.number, "status": order.get_status_display()}
        )
    saved = _saved_values(order)
    for name in ORDER_FIELDS:
        if name in fields:
            setattr(order, name, fields[name])
    _check_period(contract, order)
    if lines is None:
        lines = list(order.lines.values("role", "level", "planned_quantity"))
    if payment_plan is None:
        payment_plan = list(order.payment_plan.values(*PaymentPlanItem.FIELDS))
    _write_lines(order, contract, lines, payment_plan, saved)
    return order


@transaction.atomic
def order_issue(*, order: Order, actor=None) -> Order:
    """SPEC §3: an order reserves its planned amount, which must fit in the contract's free
    amount; the contract row is locked so two issues at once cannot both pass."""
    contract, order = _lock(order)
    _take(order, Order.flow["issue"])
    if contract.status != FrameworkContract.Status.ACTIVE:
        raise OrderError(_("Contract %(code)s is not active.") % {"code": contract.code})
    _check_period(contract, order)
    if order.planned_amount <= 0:
        raise OrderError(_("The order has no planned lines."), field="lines")
    free = contract.free_amount
    if order.planned_amount > free:
        raise OrderError(
            _(
                "The planned amount %(planned)s exceeds the contract's free amount %(free)s "
                "(ceiling %(ceiling)s − settled %(settled)s − committed %(committed)s)."
            )
            % {
                "planned": order.planned_amount,
                "free": free,
                "ceiling": contract.ceiling_incl_tax,
                "settled": contract.settled_total,
                "committed": contract.committed_total,
            },
            field="planned_amount",
        )
    if order.service_start <= timezone.localdate():  # its service has begun already
        _take(order, Order.flow["start"])
    order.executed_amount_at_issue = contract.settled_total + contract.committed_total
    order.issued_at = timezone.now()
    order.save()
    ledger.reserve(contract=contract, order=order, actor=actor)
    notify_contract(
        "order_issued",
        contract,
        User.Role.VENDOR_PM,
        message=ISSUED,
        params={"order": order.number, "name": order.name},
        url=reverse("order-detail", args=[order.pk]),
    )
    return order


def _close(order: Order, step: Step, actor) -> Order:
    """Completing or cancelling releases what the order still reserved."""
    contract, order = _lock(order)
    _check(order, step)
    ledger.release(contract=contract, order=order, actor=actor)  # while it is still open
    order.status = step.target
    order.save()
    return order


@transaction.atomic
def order_complete(*, order: Order, actor=None) -> Order:
    return _close(order, Order.flow["complete"], actor)


@transaction.atomic
def order_cancel(*, order: Order, actor=None) -> Order:
    return _close(order, Order.flow["cancel"], actor)


def orders_start_due(*, today) -> int:
    """Issued orders whose service period has begun are in service (safe to run twice)."""
    started = 0
    for order in Order.objects.filter(status=Status.ISSUED, service_start__lte=today):
        with transaction.atomic():
            order = hold(order=order).order
            if Order.flow["start"].may(order):
                _take(order, Order.flow["start"])
                order.save(update_fields=["status"])
                started += 1
    return started


def _accepted_work(order: Order, month, payment_item) -> tuple:
    """(month, milestone, earliest day of acceptance) of what is accepted: a month of the
    service period, or one of the order's milestones when its contract pays by milestone."""
    if MODES[order.contract.settlement_mode].monthly_log:
        if month is None or payment_item is not None:
            raise OrderError(_("Choose the month of the service to accept."), field="month")
        month = month.replace(day=1)
        if not order.service_start.replace(day=1) <= month <= order.service_end:
            raise OrderError(
                _("%(month)s lies outside the order's service period (%(start)s – %(end)s).")
                % {
                    "month": f"{month:%Y-%m}",
                    "start": order.service_start,
                    "end": order.service_end,
                },
                field="month",
            )
        return month, None, max(month, order.service_start)
    if payment_item is None or month is not None or payment_item.order_id != order.pk:
        raise OrderError(_("Choose the order's milestone to accept."), field="payment_item")
    # From the month the milestone falls due (its sheet's month), never before the service.
    due = payment_item.due_on
    return None, payment_item, max(due.replace(day=1) if due else date.min, order.service_start)


@transaction.atomic
def acceptance_record(
    *,
    order: Order,
    accepted_on: date,
    actor,
    month: date | None = None,
    payment_item: PaymentPlanItem | None = None,
    note: str = "",
    upload=None,
) -> Acceptance:
    """验收: procurement accepts what an order delivered in a month, or for a milestone of a
    fixed-price order (004), once, its record (`upload`) filed in the archive; 002's months
    and 004's milestones are signed only then."""
    order = hold(order=order).order
    if order.status not in REPORTING:
        raise OrderError(
            _("Order %(number)s is %(status)s: it has no work to accept.")
            % {"number": order.number, "status": order.get_status_display()},
            conflict=True,
        )
    month, payment_item, earliest = _accepted_work(order, month, payment_item)
    if accepted_on > timezone.localdate():
        raise OrderError(_("The acceptance date cannot be in the future."), field="accepted_on")
    if accepted_on < earliest:
        raise OrderError(
            _("The acceptance date cannot be before %(day)s, when the work accepted began.")
            % {"day": earliest},
            field="accepted_on",
        )
    earlier = (
        Acceptance.objects.current()
        .filter(order=order, month=month, payment_item=payment_item)
        .first()
    )
    if earlier is not None:
        raise OrderError(
            _("%(work)s was already accepted on %(day)s: withdraw that acceptance first.")
            % {"work": earlier, "day": earlier.accepted_on},
            conflict=True,
        )
    acceptance = Acceptance.objects.create(
        order=order,
        month=month,
        payment_item=payment_item,
        accepted_on=accepted_on,
        note=note.strip(),
        accepted_by=actor,
    )
    if upload is not None:
        document_add(
            target=acceptance,
            kind=Document.Kind.ACCEPTANCE,
            upload=upload,
            uploaded_by=actor,
            dated=accepted_on,
        )
    return acceptance


@transaction.atomic
def acceptance_withdraw(*, acceptance: Acceptance, reason: str, actor) -> Acceptance:
    """An acceptance recorded by mistake is withdrawn, with its reason, until the sheet that
    rests on it is signed; it stays in the order's record, and the work can be accepted again."""
    if not reason.strip():
        raise OrderError(_("Give the reason for the withdrawal."), field="reason")
    hold(order=Order(pk=acceptance.order_id))  # the lock order: the order, then its evidence
    return advance(
        acceptance,
        Acceptance.flow["withdraw"],
        error=OrderError,
        frozen=_(
            "The settlement sheet resting on this acceptance is signed: it can no longer be "
            "withdrawn (a signed sheet is corrected by an adjustment)."
        ),
        withdrawn_reason=reason.strip(),
        withdrawn_at=timezone.now(),
        withdrawn_by=actor,
    )
