"""Rectification requests on the to-dos (2.10): the vendor answers an open one by its due day;
procurement decides on an answer, and sees the requests left unanswered past their due day."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from governance.models import Rectification
from governance.selectors import overdue, rectification_list

Status = Rectification.Status


def _item(desk: Desk, rectification: Rectification, late: bool = False) -> Item:
    return Item(
        f"{rectification} · {rectification.order.number}",
        reverse("rectification-detail", args=[rectification.pk]),
        desk.due(rectification.due_on, f"{rectification.description[:40]} · "),
        late,
    )


@register(PROCUREMENT, 115)
def rectifications_to_decide(desk: Desk) -> list[Todo]:
    rectifications = rectification_list(user=desk.user)
    answered = rectifications.filter(status=Status.ANSWERED)
    late = overdue(rectifications, today=desk.today)
    url = reverse("rectification-list")
    return [
        Todo(
            _("Rectification answers to decide"),
            [_item(desk, r) for r in answered],
            f"{url}?status=answered",
        ),
        Todo(
            _("Rectification requests overdue"),
            [_item(desk, r, True) for r in late],
            f"{url}?overdue=true",
        ),
    ]


@register(VENDOR, 15)
def rectifications_to_answer(desk: Desk) -> list[Todo]:
    open_ = rectification_list(user=desk.user).filter(status=Status.OPEN)
    return [
        Todo(
            _("Rectification requests to answer"),
            [_item(desk, r, r.due_on < desk.today) for r in open_],
            f"{reverse('rectification-list')}?status=open",
        )
    ]
