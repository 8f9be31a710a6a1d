"""To-dos about orders (SPEC §8): procurement's drafts to issue and terminations taking effect
soon; the vendor's answer due to a notice (11.5) and its project team behind its orders' plan
past its deadline (3.2.1–3.2.2, `orders.team`)."""

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from orders.models import Order, Termination
from orders.team import team_of

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
