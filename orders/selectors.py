from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import FrameworkContract
from core.calendar import month_days
from core.history import history_entries
from core.money import with_tax
from orders.models import Order, OrderLine, PaymentPlanItem


def order_list(*, user):
    return Order.objects.visible_to(user).select_related("contract", "contract__vendor")


def order_detail_queryset(*, user):
    return (
        order_list(user=user)
        .select_related("contract__buyer")
        .prefetch_related(
            "lines",
            "payment_plan",
            "attachments",
            "contract__tax_rates",
            "contract__rate_card_lines",
        )
    )


def agreed_prices(contract: FrameworkContract, day: date) -> dict:
    """(role, level) → (rate-card line, agreed price incl. tax at the rate in force on `day`)
    of the lines with an agreed price: what an order starting that day is planned at."""
    rate = contract.tax_rate_on(day)
    return {
        (line.role, line.level): (line, with_tax(line.price_excl_tax, rate))
        for line in contract.rate_card_lines.all()
        if line.price_excl_tax is not None
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
        ],
    )


# An order reports its months (a log of its work, a KPI report) from its issue to its completion.
REPORTING = (Order.Status.ISSUED, Order.Status.IN_SERVICE, Order.Status.COMPLETED)


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
    return None


def orders_reporting_in(month: date, orders=None):
    """The orders (of `orders`, else all) that report the month, as `order_reports_in` says."""
    first, last = month_days(month)
    return (Order.objects.all() if orders is None else orders).filter(
        status__in=REPORTING, service_start__lte=last, service_end__gte=first
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
