"""The roster's to-dos (SPEC §8): a person below the rules waits on procurement's exception
(附件1 1.5), a person leaving or asked away on the vendor's replacement (3.2.3–3.2.4), a person
without a confidentiality undertaking in the archive on the vendor's upload of it."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from staffing.models import StaffMember
from staffing.selectors import lacking_undertaking, staff_list


def _member_item(member, detail) -> Item:
    return Item(str(member), reverse("staff-detail", args=[member.pk]), detail)


@register(PROCUREMENT, 140)
def exceptions_to_approve(desk: Desk) -> list[Todo]:
    pending = staff_list(user=desk.user).filter(status=StaffMember.Status.PENDING)
    return [
        Todo(
            _("Staff exceptions to approve"),
            [_member_item(m, m.qualification_issue) for m in pending],
        )
    ]


@register(VENDOR, 60)
def staff_to_replace(desk: Desk) -> list[Todo]:
    leaving = staff_list(user=desk.user).filter(
        Q(status=StaffMember.Status.LEAVING) | Q(replacement_demanded_on__isnull=False),
        replaced_by__isnull=True,
    )
    return [
        Todo(
            _("Staff leaving without a replacement"),
            [_member_item(m, f"{m.end_date or ''}") for m in leaving],
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
