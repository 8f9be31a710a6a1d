from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from contracts.models import FrameworkContract, RateCardLine
from core.errors import DomainError
from core.locks import hold
from core.money import ZERO, quantize, with_tax
from orders import ledger
from orders.models import Order, OrderAttachment, OrderLine, PaymentPlanItem

Status = Order.Status

TRANSITIONS = {
    Status.DRAFT: {Status.ISSUED, Status.IN_SERVICE, Status.CANCELLED},
    Status.ISSUED: {Status.IN_SERVICE, Status.COMPLETED, Status.CANCELLED},
    Status.IN_SERVICE: {Status.COMPLETED, Status.CANCELLED},
}
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
# Signatures of the files an order may carry: PDF, Office (OOXML zip or legacy OLE), images.
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


class OrderError(DomainError):
    code = "order"


def _check_transition(order: Order, target: str) -> None:
    if target not in TRANSITIONS.get(order.status, ()):
        raise OrderError(
            _("An order that is %(status)s cannot become %(target)s.")
            % {"status": order.get_status_display(), "target": Status(target).label},
            conflict=True,
        )


def _transition(order: Order, target: str) -> None:
    _check_transition(order, target)
    order.status = target


def _lock(order: Order) -> tuple[FrameworkContract, Order]:
    held = hold(contract=FrameworkContract(pk=order.contract_id), order=order)
    return held.contract, held.order


def _priced_lines(contract: FrameworkContract, service_start, lines) -> list[OrderLine]:
    """Each planned line at the agreed price incl. tax in force on the service start."""
    prices = {(line.role, line.level): line for line in contract.rate_card_lines.all()}
    rate = contract.tax_rate_on(service_start)
    priced = []
    for number, line in enumerate(lines, start=1):
        card = prices.get((line["role"], line["level"]))
        if card is None or card.price_excl_tax is None:
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
        price = with_tax(card.price_excl_tax, rate)
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


def _write_lines(order: Order, contract: FrameworkContract, lines, payment_plan) -> None:
    priced = _priced_lines(contract, order.service_start, lines)
    order.planned_amount = sum((line.planned_amount for line in priced), ZERO)
    plan = _check_payment_plan(payment_plan, order.planned_amount)
    order.save()
    order.lines.all().delete()
    order.payment_plan.all().delete()
    for item in [*priced, *plan]:
        item.order = order
    bulk_create_with_history(priced, OrderLine)
    bulk_create_with_history(plan, PaymentPlanItem)


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
    for name in ORDER_FIELDS:
        if name in fields:
            setattr(order, name, fields[name])
    _check_period(contract, order)
    if lines is None:
        lines = list(order.lines.values("role", "level", "planned_quantity"))
    if payment_plan is None:
        payment_plan = list(order.payment_plan.values(*PaymentPlanItem.FIELDS))
    _write_lines(order, contract, lines, payment_plan)
    return order


@transaction.atomic
def order_issue(*, order: Order, actor=None) -> Order:
    """SPEC §3: an order reserves its planned amount, which must fit in the contract's free
    amount; the contract row is locked so two issues at once cannot both pass."""
    contract, order = _lock(order)
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
    today = timezone.localdate()
    _transition(order, Status.IN_SERVICE if order.service_start <= today else Status.ISSUED)
    order.executed_amount_at_issue = contract.settled_total + contract.committed_total
    order.issued_at = timezone.now()
    order.save()
    ledger.reserve(contract=contract, order=order, actor=actor)
    return order


def _close(order: Order, target: str, actor) -> Order:
    """Completing or cancelling releases what the order still reserved."""
    contract, order = _lock(order)
    _check_transition(order, target)
    ledger.release(contract=contract, order=order, actor=actor)  # while it is still open
    order.status = target
    order.save()
    return order


@transaction.atomic
def order_complete(*, order: Order, actor=None) -> Order:
    return _close(order, Status.COMPLETED, actor)


@transaction.atomic
def order_cancel(*, order: Order, actor=None) -> Order:
    return _close(order, Status.CANCELLED, actor)


def orders_start_due(*, today) -> int:
    """Issued orders whose service period has begun are in service (safe to run twice)."""
    started = 0
    for order in Order.objects.filter(status=Status.ISSUED, service_start__lte=today):
        with transaction.atomic():
            order = hold(order=order).order
            if order.status == Status.ISSUED:
                _transition(order, Status.IN_SERVICE)
                order.save(update_fields=["status"])
                started += 1
    return started


def order_attachment_add(*, order: Order, upload) -> OrderAttachment:
    """附件6 订单附件: PDF, Office files and images, size-limited, checked by content."""
    if order.status in (Status.COMPLETED, Status.CANCELLED):
        raise OrderError(_("A closed order takes no attachments."))
    suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise OrderError(
            _("Attach a PDF, an Office file or an image (%(types)s).")
            % {"types": " ".join(sorted(ATTACHMENT_TYPES))},
            field="file",
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise OrderError(
            _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}, field="file"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[suffix]):
        raise OrderError(
            _("The file's content is not a %(type)s file.") % {"type": suffix}, field="file"
        )
    return OrderAttachment.objects.create(
        order=order, name=upload.name[:200], file=upload, size=upload.size
    )
