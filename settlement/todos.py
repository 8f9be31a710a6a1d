"""What a sheet waits on (SPEC §8), and what a sheet itself waits for: a month's sheet rests
on its approved log and its score, a milestone's on its month coming and its KPI period's
confirmed score. A draft waits on the vendor's confirmation, a confirmed one on procurement's
signature, a signed one on the vendor's invoice, an invoiced one on finance's payment."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from core.dates import add_months
from core.templatetags.money import money_with_sign as money
from core.todos import FINANCE, PROCUREMENT, VENDOR, Desk, Item, Todo, register
from kpi.selectors import kpi_orders
from kpi.services import first_month
from settlement.models import SettlementSheet
from settlement.selectors import sheet_list
from worklogs.models import WorkLog
from worklogs.selectors import worklog_list

Status = SettlementSheet.Status


def _sheet_item(sheet, detail="", late=False) -> Item:
    return Item(str(sheet), reverse("sheet-detail", args=[sheet.pk]), detail, late)


def _list_url(status) -> str:
    return f"{reverse('sheet-list')}?status={status}"


def _sheets(desk: Desk, status, **filters):
    return sheet_list(user=desk.user).filter(status=status, **filters)


@register(PROCUREMENT, 90)
def months_to_score(desk: Desk) -> list[Todo]:
    """Last month's approved log waits for its score before its sheet can be computed."""
    month = add_months(desk.today.replace(day=1), -1)
    scored = (
        Assessment.objects.filter(month=month)
        .exclude(status=Assessment.Status.DRAFT)
        .values("order_id")
    )
    logs = (
        worklog_list(user=desk.user)
        .filter(month=month, status=WorkLog.Status.APPROVED)
        .exclude(order_id__in=scored)
    )
    return [
        Todo(
            _("Months to score"),
            [
                Item(
                    str(log),
                    reverse("assessment-month", args=[log.order_id, f"{log.month:%Y-%m}"]),
                )
                for log in logs
            ],
        )
    ]


@register(PROCUREMENT, 120)
def milestones_to_settle(desk: Desk) -> list[Todo]:
    """004: a milestone whose month has come, without a sheet yet, and whose KPI period (if it
    rests on one) has a confirmed score: procurement computes its sheet."""
    orders = list(kpi_orders(user=desk.user))
    settled = set(
        SettlementSheet.objects.filter(
            order__in=orders, kind=SettlementSheet.Kind.MILESTONE
        ).values_list("payment_item_id", flat=True)
    )
    confirmed = set(
        Assessment.objects.filter(
            order__in=orders, period_months__gt=1, status=Assessment.Status.CONFIRMED
        ).values_list("order_id", "period_months")
    )
    items = []
    for order in orders:
        for item in order.payment_plan.all():
            if item.due_after_months is None or item.pk in settled:
                continue
            due = add_months(first_month(order), item.due_after_months)
            ready = item.assessed_months is None or (order.pk, item.assessed_months) in confirmed
            if due <= desk.today and ready:
                items.append(
                    Item(
                        f"{order} · {item.stage}",
                        reverse("kpi-order", args=[order.pk]),
                        _("due in %(month)s") % {"month": f"{due:%Y-%m}"},
                    )
                )
    return [Todo(_("Milestones to settle"), items)]


@register(PROCUREMENT, 130)
def sheets_to_sign(desk: Desk) -> list[Todo]:
    confirmed = _sheets(desk, Status.VENDOR_CONFIRMED)
    return [
        Todo(
            _("Sheets to sign"),
            [_sheet_item(s, money(s.payable_incl_tax)) for s in confirmed],
            _list_url(Status.VENDOR_CONFIRMED),
            reverse("sheet-sign-many"),
        )
    ]


@register(VENDOR, 40)
def sheets_to_confirm(desk: Desk) -> list[Todo]:
    drafts = _sheets(desk, Status.DRAFT)
    return [
        Todo(
            _("Sheets to confirm"),
            [_sheet_item(s, money(s.payable_incl_tax)) for s in drafts],
            _list_url(Status.DRAFT),
        )
    ]


def _deadlines(desk: Desk, title: str, status: str, due: str) -> list[Todo]:
    """The sheets waiting in `status`, each with its deadline (`due`), flagged once past."""
    items = []
    for sheet in _sheets(desk, status):
        day = getattr(sheet, due)
        items.append(_sheet_item(sheet, desk.due(day), _past(day, desk.today)))
    return [Todo(title, items, _list_url(status))]


@register(VENDOR, 50)
def invoices_due(desk: Desk) -> list[Todo]:
    return _deadlines(desk, _("Invoices due"), Status.SIGNED, "invoice_due_by")


@register(FINANCE, 10)
def invoices_to_pay(desk: Desk) -> list[Todo]:
    return _deadlines(desk, _("Invoices to pay"), Status.INVOICED, "payment_due_by")


@register(FINANCE, 20)
def payments_overdue(desk: Desk) -> list[Todo]:
    overdue = _sheets(desk, Status.INVOICED, payment_due_by__lt=desk.today)
    return [
        Todo(
            _("Overdue payments"),
            [_sheet_item(s, desk.due(s.payment_due_by), True) for s in overdue],
        )
    ]


def _past(deadline, today) -> bool:
    return deadline is not None and deadline < today
