"""To-dos about orders (SPEC §8): procurement's drafts to issue and terminations taking effect
soon; the vendor's answer due to a notice (11.5)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from orders.models import Order, Termination

# How far ahead a termination's effective date shows on procurement's desk.
SOON = timedelta(days=14)


@register(PROCUREMENT, 50)
def orders_to_issue(desk: Desk) -> list[Todo]:
    drafts = Order.objects.visible_to(desk.user).filter(status=Order.Status.DRAFT)
    return [
        Todo(
            _("Draft orders to issue"),
            [
                Item(
                    str(o),
                    reverse("order-detail", args=[o.pk]),
                    f"{o.service_start} – {o.service_end}",
                )
                for o in drafts
            ],
            f"{reverse('order-list')}?status={Order.Status.DRAFT}",
        )
    ]


def _item(termination: Termination, detail: str) -> Item:
    return Item(str(termination), reverse("termination-detail", args=[termination.pk]), detail)


@register(PROCUREMENT, 55)
def terminations_soon(desk: Desk) -> list[Todo]:
    due = Termination.objects.visible_to(desk.user).pending()
    due = due.filter(effective_on__lte=desk.today + SOON).select_related("contract", "order")
    items = [_item(t, f"{t.effective_on:%Y-%m-%d}") for t in due.order_by("effective_on")]
    # Rare: shown only while there is one.
    return [Todo(_("Terminations taking effect soon"), items)] if items else []


@register(VENDOR, 5)
def termination_answers_due(desk: Desk) -> list[Todo]:
    notices = Termination.objects.visible_to(desk.user).filter(
        status=Termination.Status.NOTICED, answer_due_on__isnull=False
    )
    notices = notices.filter(answer_due_on__gte=desk.today).select_related("contract", "order")
    items = [_item(t, f"{t.answer_due_on:%Y-%m-%d}") for t in notices.order_by("answer_due_on")]
    return [Todo(_("Notices of termination to answer"), items)] if items else []
