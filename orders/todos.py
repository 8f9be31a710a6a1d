"""The to-dos about orders (SPEC §8): procurement's drafts to issue; the vendor's project team
behind its orders' plan past its deadline (3.2.1–3.2.2, `orders.team`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from orders.models import Order
from orders.team import team_of


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


@register(VENDOR, 58)
def team_overdue(desk: Desk) -> list[Todo]:
    contracts = FrameworkContract.objects.visible_to(desk.user).filter(
        status=FrameworkContract.Status.ACTIVE
    )
    items = []
    for contract in contracts:
        team = team_of(contract)
        if team and team.overdue(desk.today):
            short = team.overdue_rows(desk.today)
            items.append(
                Item(
                    str(contract),
                    reverse("contract-detail", args=[contract.pk]) + "#team",
                    "、".join(f"{row.role} {row.level} ×{row.short}" for row in short)
                    or desk.due(team.formed_by),
                    late=True,
                )
            )
    return [Todo(_("Project team behind its plan"), items)]
