"""Staff waiting for procurement's approval (2.9), reminded once they have waited too long."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import User
from notifications.reminders import Recipients, Reminder, register, waiting_since
from staffing.models import StaffMember


@register
def staff_waiting(today):
    """A person registered (or asking an exception) and not yet approved nor refused."""
    people = Recipients()
    staff = StaffMember.objects.filter(
        status=StaffMember.Status.PENDING, created_at__lt=waiting_since(today)
    ).select_related("contract")
    for member in staff:
        yield Reminder(
            "approval_waiting",
            people(member.contract.buyer_id, User.Role.PROCUREMENT),
            _(
                "%(person)s of contract %(contract)s, registered on %(day)s, still waits for "
                "approval."
            ),
            key=f"approval_waiting:staff:{member.pk}",
            url=reverse("staff-detail", args=[member.pk]),
            params={
                "person": str(member),
                "contract": member.contract.code,
                "day": str(timezone.localdate(member.created_at)),
            },
        )
