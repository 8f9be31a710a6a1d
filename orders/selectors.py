from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import Document
from archive.selectors import documents_current
from contracts.kinds import MODES
from contracts.models import FrameworkContract
from core.calendar import month_days
from core.history import history_entries
from core.money import with_tax
from core.views import months_between
from orders.models import Acceptance, Order, OrderLine, PaymentPlanItem, Termination


def order_list(*, user):
    return Order.objects.visible_to(user).select_related("contract", "contract__vendor")


def order_detail_queryset(*, user):
    return (
        order_list(user=user)
        .select_related("contract__buyer")
        .prefetch_related(
            "lines",
            "payment_plan",
            Prefetch("documents", documents_current(), to_attr="current_documents"),
            "contract__tax_rates",
            "contract__rate_card_lines",
        )
    )


def agreed_prices(contract: FrameworkContract, day: date) -> dict:
    """(role, level) → (rate-card line, agreed price incl. tax at the rate in force on `day`)
    of the lines with an agreed price: what an order starting that day is planned at."""
    rate = contract.tax_rate_on(day)
    prices = contract.prices_on(day)
    return {
        (line.role, line.level): (line, with_tax(prices[(line.role, line.level)], rate))
        for line in contract.rate_card_lines.all()
        if prices.get((line.role, line.level)) is not None
    }


def order_form_prices(contract: FrameworkContract, day: date) -> dict:
    """What the order form prices its lines with as the user types (static/js/order_form.js):
    each line's unit price incl. tax and the contract's free amount under its ceiling."""
    return {
        "contract": contract.code,
        "ceiling": str(contract.ceiling_incl_tax),
        "free": str(contract.free_amount),
        "lines": [
            {
                "key": f"{line.role}|{line.level}",
                "label": str(line),
                "unit": line.unit,
                "price": str(price),
            }
            for line, price in agreed_prices(contract, day).values()
        ],
    }


def order_history(order: Order):
    """The order's changes with those of its planned lines and payment plan."""
    return history_entries(
        order,
        parts=[
            (OrderLine.history.filter(order_id=order.pk), lambda r: f"{r.role} {r.level}"),
            (PaymentPlanItem.history.filter(order_id=order.pk), lambda r: r.stage),
            (Acceptance.history.filter(order_id=order.pk), _accepted_label),
        ],
    )


def _accepted_label(record) -> str:
    work = f"{record.month:%Y-%m}" if record.month else record.payment_item.stage
    return _("Acceptance of %(work)s") % {"work": work}


def termination_list(*, user):
    return Termination.objects.visible_to(user).select_related(
        "contract__buyer", "contract__vendor", "order", "given_by", "answered_by"
    )


def acceptance_list(*, user):
    return Acceptance.objects.visible_to(user).select_related(
        "order__contract", "payment_item", "accepted_by", "withdrawn_by"
    )


@dataclass(frozen=True)
class AcceptedWork:
    """A month of an order's service, or one of its milestones (004), with its acceptance in
    force, if any, and that acceptance's record in the archive."""

    label: str
    month: date | None
    payment_item: PaymentPlanItem | None
    acceptance: Acceptance | None
    documents: tuple = ()

    @property
    def key(self) -> str:
        """The work's value in the acceptance form: `2026-08`, or `m<milestone id>`."""
        return f"{self.month:%Y-%m}" if self.month else f"m{self.payment_item.pk}"


def _records(acceptances) -> dict[int, list[Document]]:
    """The current papers of each acceptance (its 验收单), in one query."""
    records = {}
    for document in Document.objects.current().filter(
        content_type=ContentType.objects.get_for_model(Acceptance),
        object_id__in=[acceptance.pk for acceptance in acceptances],
    ):
        records.setdefault(document.object_id, []).append(document)
    return records


def acceptance_work(order: Order, *, today: date) -> list[AcceptedWork]:
    """What of an order is accepted (验收): its months of service up to this one, or its
    milestones when its contract pays by milestone, each with its acceptance in force."""
    acceptances = list(order.acceptances.current().select_related("accepted_by"))
    accepted = {(a.month, a.payment_item_id): a for a in acceptances}
    papers = _records(acceptances)

    def work(label, month, item):
        acceptance = accepted.get((month, item.pk if item else None))
        return AcceptedWork(
            label, month, item, acceptance, tuple(papers.get(getattr(acceptance, "pk", None), ()))
        )

    if not MODES[order.contract.settlement_mode].monthly_log:
        return [work(item.stage, None, item) for item in order.payment_plan.all()]
    return [
        work(f"{month:%Y-%m}", month, None)
        for month in months_between(order.service_start, min(order.service_end, today))
    ]


# An order reports its months (a log of its work, a KPI report) from its issue to its completion
# or, when terminated, up to its termination's date (`after_termination`).
REPORTING = (
    Order.Status.ISSUED,
    Order.Status.IN_SERVICE,
    Order.Status.COMPLETED,
    Order.Status.TERMINATED,
)


@dataclass(frozen=True)
class NotReporting:
    """Why an order does not report a month, and the input it is about."""

    message: str
    field: str | None = None


def order_reports_in(order: Order, month: date) -> NotReporting | None:
    """None when the order reports the month: issued and not closed, the month within its
    service period (`orders_reporting_in` asks the same of many orders); else why not."""
    first, last = month_days(month)
    if order.status not in REPORTING:
        return NotReporting(
            _("Order %(number)s is %(status)s: it takes no reports.")
            % {"number": order.number, "status": order.get_status_display()}
        )
    if last < order.service_start or first > order.service_end:
        return NotReporting(
            _("%(month)s lies outside the order's service period %(start)s – %(end)s.")
            % {"month": f"{month:%Y-%m}", "start": order.service_start, "end": order.service_end},
            field="month",
        )
    return after_termination(order, month)


def after_termination(order: Order, month: date) -> NotReporting | None:
    """SPEC §9, 11: the work up to a termination's date is still logged, scored and settled;
    a month that begins after it is not. The one check of logs, scores, KPI reports and sheets."""
    ended = order.ended_on
    if ended is not None and month_days(month)[0] > ended:
        return NotReporting(
            _(
                "Order %(number)s was terminated on %(day)s: %(month)s comes after it and can "
                "no longer be logged, scored or settled."
            )
            % {"number": order.number, "day": ended, "month": f"{month:%Y-%m}"},
            field="month",
        )
    return None


def orders_reporting_in(month: date, orders=None):
    """The orders (of `orders`, else all) that report the month, as `order_reports_in` says."""
    first, last = month_days(month)
    return (
        (Order.objects.all() if orders is None else orders)
        .filter(status__in=REPORTING, service_start__lte=last, service_end__gte=first)
        .exclude(terminated_on__lt=first)
        .exclude(contract__terminated_on__lt=first)
    )


@dataclass
class MissingReport:
    """An order's month whose log or KPI report is not submitted yet, due by `deadline`."""

    order: Order
    month: date
    deadline: date

    @property
    def overdue(self):
        return timezone.localdate() > self.deadline
