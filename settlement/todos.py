"""What a sheet waits on (SPEC §8), and what a sheet itself waits for: a month's sheet rests
on its approved log and its score, a milestone's on its due day and, when it holds for it, its
KPI period's confirmed score; one paid on its date on its true-up once the period is scored. A
draft waits on the vendor's confirmation, a confirmed one on procurement's signature; what a
signed sheet waits on next (its invoice, its payment) is finance's (finance/todos.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from assessment.models import Assessment
from core.dates import add_months
from core.templatetags.money import money_with_sign as money
from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from kpi.selectors import kpi_orders
from orders.models import Acceptance
from settlement import selectors
from settlement.models import SettlementSheet
from settlement.selectors import milestones_due, sheet_list
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
    """004: a milestone whose due day has come, without a sheet yet, and whose KPI period (when
    it holds for its score) has a confirmed score: procurement computes its sheet."""
    items = [
        Item(
            f"{m.order} · {m.item.stage}",
            reverse("kpi-order", args=[m.order.pk]),
            _("due on %(day)s") % {"day": m.due},
        )
        for m in milestones_due(
            orders=kpi_orders(user=desk.user).select_related("contract"), today=desk.today
        )
        if m.ready
    ]
    return [Todo(_("Milestones to settle"), items)]


@register(PROCUREMENT, 121)
def milestones_to_true_up(desk: Desk) -> list[Todo]:
    """004 考核条款 2: a milestone paid in full on its date whose KPI period is then scored below
    90% gives back the difference: procurement makes its true-up on the milestones page."""
    items = [
        Item(
            f"{t.sheet.order} · {t.sheet.payment_item.stage}",
            reverse("order-milestones", args=[t.sheet.order_id]),
            money(t.amount),
        )
        for t in selectors.milestones_to_true_up(orders=kpi_orders(user=desk.user))
    ]
    return [Todo(_("Milestones to true up"), items)]


@register(PROCUREMENT, 125)
def work_to_accept(desk: Desk) -> list[Todo]:
    """验收: a sheet of 002's month or 004's milestone is signed only once procurement has
    accepted the work it pays for; each unsigned one still waiting for it, to the order's
    acceptances."""
    unsigned = sheet_list(user=desk.user).filter(status__in=[Status.DRAFT, Status.VENDOR_CONFIRMED])
    accepted = {
        (a.order_id, a.month, a.payment_item_id)
        for a in Acceptance.objects.current().filter(order__in=unsigned.values("order_id"))
    }
    items = []
    for sheet in unsigned:
        if not sheet.basis.needs_acceptance(sheet):
            continue
        work = sheet.basis.accepted_work(sheet)
        if (work["order_id"], work["month"], work["payment_item_id"]) in accepted:
            continue
        url = f"{reverse('order-detail', args=[sheet.order_id])}#acceptances"
        items.append(Item(str(sheet), url, sheet.get_status_display()))
    return [Todo(_("Work to accept before signing"), items)]


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
