"""What governance waits on (SPEC §8). Rectification requests (2.10): the vendor answers an open
one by its due day; procurement decides on an answer and sees the requests left unanswered past
their due day. The penalty register (ch. 7): the vendor's answer to a recorded penalty;
procurement's decision of a disputed one, and a decided one no sheet has offset yet (a sheet to
compute, or a demand to issue when none follows)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.templatetags.money import money
from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from governance.models import Penalty, Rectification
from governance.selectors import overdue, rectification_list

RStatus = Rectification.Status
PStatus = Penalty.Status


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
    answered = rectifications.filter(status=RStatus.ANSWERED)
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
    open_ = rectification_list(user=desk.user).filter(status=RStatus.OPEN)
    return [
        Todo(
            _("Rectification requests to answer"),
            [_item(desk, r, r.due_on < desk.today) for r in open_],
            f"{reverse('rectification-list')}?status=open",
        )
    ]


def _penalties(desk: Desk, status):
    return Penalty.objects.visible_to(desk.user).filter(status=status).select_related("contract")


def _penalty_item(penalty, detail="") -> Item:
    return Item(
        f"{penalty.contract.code} {penalty.get_kind_display()} {penalty.clause}",
        reverse("penalty-detail", args=[penalty.pk]),
        detail or money(penalty.amount),
    )


def _list_url(status) -> str:
    return f"{reverse('penalty-list')}?status={status}"


@register(VENDOR, 45)
def penalties_to_answer(desk: Desk) -> list[Todo]:
    return [
        Todo(
            _("Penalties to answer"),
            [_penalty_item(p) for p in _penalties(desk, PStatus.PROPOSED)],
            _list_url(PStatus.PROPOSED),
        )
    ]


@register(PROCUREMENT, 135)
def penalties_to_decide(desk: Desk) -> list[Todo]:
    return [
        Todo(
            _("Disputed penalties to decide"),
            [_penalty_item(p, p.answer) for p in _penalties(desk, PStatus.DISPUTED)],
            _list_url(PStatus.DISPUTED),
        )
    ]


@register(PROCUREMENT, 136)
def penalties_to_offset(desk: Desk) -> list[Todo]:
    """Decided and not yet offset: the next sheet takes it, or a demand asks for it."""
    pending = _penalties(desk, PStatus.DECIDED).filter(demanded_on__isnull=True)
    return [
        Todo(
            _("Decided penalties not yet offset"),
            [
                _penalty_item(p, _("on sheet %(sheet)s") % {"sheet": p.offset_sheet})
                if p.offset_sheet_id
                else _penalty_item(p)
                for p in pending.select_related("offset_sheet__order")
            ],
            _list_url(PStatus.DECIDED),
        )
    ]
