"""Procurement's to-do about orders (SPEC §8): drafts to issue."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.todos import PROCUREMENT, Desk, Item, Todo, register
from orders.models import Order


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
