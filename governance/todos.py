"""What the penalty register waits on (SPEC §8): the vendor's answer to a recorded penalty;
procurement's decision of a disputed one, and a decided one no sheet has offset yet (a sheet to
compute, or a demand to issue when none follows)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.templatetags.money import money
from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from governance.models import Penalty

Status = Penalty.Status


def _penalties(desk: Desk, status):
    return Penalty.objects.visible_to(desk.user).filter(status=status).select_related("contract")


def _item(penalty, detail="") -> Item:
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
            [_item(p) for p in _penalties(desk, Status.PROPOSED)],
            _list_url(Status.PROPOSED),
        )
    ]


@register(PROCUREMENT, 135)
def penalties_to_decide(desk: Desk) -> list[Todo]:
    return [
        Todo(
            _("Disputed penalties to decide"),
            [_item(p, p.answer) for p in _penalties(desk, Status.DISPUTED)],
            _list_url(Status.DISPUTED),
        )
    ]


@register(PROCUREMENT, 136)
def penalties_to_offset(desk: Desk) -> list[Todo]:
    """Decided and not yet offset: the next sheet takes it, or a demand asks for it."""
    pending = _penalties(desk, Status.DECIDED).filter(demanded_on__isnull=True)
    return [
        Todo(
            _("Decided penalties not yet offset"),
            [
                _item(p, _("on sheet %(sheet)s") % {"sheet": p.offset_sheet})
                if p.offset_sheet_id
                else _item(p)
                for p in pending.select_related("offset_sheet__order")
            ],
            _list_url(Status.DECIDED),
        )
    ]
