"""A sheet's signatures, reminded (SPEC §8): a draft waits on the vendor's confirmation, a
confirmed one on procurement's signature; the side it waits on is told once it has waited too
long. A 004 milestone whose due day has come, and whose score when it holds for one is confirmed,
tells procurement to compute its sheet, and one paid on its date to true it up once its period
is scored below 90%, as their to-dos do."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.templatetags.money import money_with_sign as money
from kpi.selectors import kpi_orders
from notifications.reminders import Recipients, Reminder, register, waiting_since
from settlement.models import SettlementSheet
from settlement.selectors import milestones_due, milestones_to_true_up

Status = SettlementSheet.Status

# Who a sheet waits on in each state, since when, and what it waits for.
WAITING = {
    Status.DRAFT: (
        "vendor",
        User.Role.VENDOR_PM,
        "created_at",
        _("The settlement sheet %(sheet)s has waited for your confirmation since %(day)s."),
    ),
    Status.VENDOR_CONFIRMED: (
        "buyer",
        User.Role.PROCUREMENT,
        "vendor_confirmed_at",
        _("The settlement sheet %(sheet)s has waited for your signature since %(day)s."),
    ),
}


@register
def signatures_waiting(today):
    people = Recipients()
    before = waiting_since(today)
    for status, (side, role, since, message) in WAITING.items():
        sheets = SettlementSheet.objects.filter(status=status, **{f"{since}__lt": before})
        for sheet in sheets.select_related("contract", "order"):
            organization = sheet.contract.vendor_id if side == "vendor" else sheet.contract.buyer_id
            day = timezone.localdate(getattr(sheet, since))
            yield Reminder(
                "signature_waiting",
                people(organization, role),
                message,
                key=f"signature_waiting:{sheet.pk}:{side}",
                url=reverse("sheet-detail", args=[sheet.pk]),
                params={"sheet": str(sheet), "day": str(day)},
            )


@register
def milestones(today):
    """A milestone is payable (`PaymentPlanItem.payable_from`), it is ready to settle and it
    has no sheet yet (004); one paid on its date whose period is then scored below 90% is to
    be trued up."""
    people = Recipients()
    orders = kpi_orders().select_related("contract")
    for due in milestones_due(orders=orders, today=today):
        if not due.ready:
            continue
        yield Reminder(
            "milestone_due",
            people(due.order.contract.buyer_id, User.Role.PROCUREMENT),
            _("The milestone %(stage)s of order %(order)s is due on %(day)s: compute its sheet."),
            key=f"milestone_due:{due.item.pk}",
            url=reverse("kpi-order", args=[due.order.pk]),
            params={"stage": due.item.stage, "order": str(due.order), "day": str(due.due)},
        )
    for true_up in milestones_to_true_up(orders=orders):
        sheet = true_up.sheet
        yield Reminder(
            "milestone_due",
            people(sheet.order.contract.buyer_id, User.Role.PROCUREMENT),
            _(
                "The milestone %(stage)s of order %(order)s was paid in full on its date and its "
                "period scored %(score)s: true it up by %(amount)s yuan."
            ),
            key=f"milestone_true_up:{sheet.payment_item_id}",
            url=reverse("order-milestones", args=[sheet.order_id]),
            params={
                "stage": sheet.payment_item.stage,
                "order": str(sheet.order),
                "score": str(true_up.score),
                "amount": money(true_up.reduction),
            },
        )
