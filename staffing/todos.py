"""The roster's to-dos (SPEC §8): a registered person waits on procurement's approval (2.9;
below the rules, on its exception, 附件1 1.5), a refused one on the vendor's reading of why, a
person leaving or asked away on the vendor's replacement (3.2.3–3.2.4; a demand's deadline
passed is late), a person without a confidentiality undertaking in the archive on the vendor's
upload of it."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from staffing.models import StaffMember
from staffing.selectors import lacking_undertaking, staff_list

REFUSED_SHOWN = timedelta(days=30)


def _member_item(member, detail) -> Item:
    return Item(str(member), reverse("staff-detail", args=[member.pk]), detail)


@register(PROCUREMENT, 140)
def staff_to_approve(desk: Desk) -> list[Todo]:
    pending = staff_list(user=desk.user).filter(status=StaffMember.Status.PENDING)
    return [
        Todo(
            _("Staff awaiting approval"),
            [
                Item(
                    str(m),
                    reverse("staff-roster", args=[m.contract_id]) + "?status=pending",
                    m.qualification_issue or m.contract.code,
                )
                for m in pending
            ],
            bulk_url=reverse("staff-approve-many"),
        )
    ]


@register(VENDOR, 55)
def staff_refused(desk: Desk) -> list[Todo]:
    """2.9: whom procurement refused in the last 30 days, and why."""
    refused = staff_list(user=desk.user).filter(
        status=StaffMember.Status.REFUSED, approved_at__date__gte=desk.today - REFUSED_SHOWN
    )
    return [
        Todo(
            _("Staff refused by procurement"), [_member_item(m, m.refusal_reason) for m in refused]
        )
    ]


@register(VENDOR, 60)
def staff_to_replace(desk: Desk) -> list[Todo]:
    leaving = staff_list(user=desk.user).filter(
        Q(status=StaffMember.Status.LEAVING) | Q(replacement_demanded_on__isnull=False),
        status__in=(StaffMember.Status.ACTIVE, StaffMember.Status.LEAVING),
    )
    return [
        Todo(
            _("Staff leaving without a replacement"),
            [
                Item(
                    str(m),
                    reverse("staff-detail", args=[m.pk]),
                    desk.due(m.replacement_due) if m.replacement_due else f"{m.end_date or ''}",
                    late=m.replacement_overdue(desk.today),
                )
                for m in leaving
                if m.replacement_overdue(desk.today) or m.needs_replacement
            ],
        )
    ]


@register(VENDOR, 65)
def undertakings_missing(desk: Desk) -> list[Todo]:
    lacking = lacking_undertaking(staff_list(user=desk.user))
    return [
        Todo(
            _("Staff without a confidentiality undertaking"),
            [_member_item(m, m.contract.code) for m in lacking],
        )
    ]
