"""Staff waiting for procurement's approval (2.9), reminded once they have waited too long."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import User
from notifications.reminders import Recipients, Reminder, register, waiting_since
from staffing.models import StaffMember

PENDING = StaffMember.Status.PENDING


def pending_since(members) -> dict[int, object]:
    """When each pending member last came to wait: the first record of its latest run of
    pending records in its history (a member approved, then edited below the rule, waits
    again from that edit). One query for them all."""
    since = {}
    history = StaffMember.history.filter(id__in=[m.pk for m in members]).order_by(
        "id", "history_date"
    )
    for pk, status, moment in history.values_list("id", "status", "history_date"):
        if status != PENDING:
            since.pop(pk, None)
        else:
            since.setdefault(pk, moment)
    return since


@register
def staff_waiting(today):
    """A person registered (or asking an exception) and not yet approved nor refused."""
    people = Recipients()
    before = waiting_since(today)
    # Waiting since at least its creation: only those created before the line may be due.
    staff = list(
        StaffMember.objects.filter(status=PENDING, created_at__lt=before).select_related("contract")
    )
    since = pending_since(staff)
    for member in staff:
        moment = since.get(member.pk, member.created_at)
        if moment >= before:
            continue
        day = timezone.localdate(moment)
        yield Reminder(
            "approval_waiting",
            people(member.contract.buyer_id, User.Role.PROCUREMENT),
            _("%(person)s of contract %(contract)s has waited for approval since %(day)s."),
            key=f"approval_waiting:staff:{member.pk}:{day}",
            url=reverse("staff-detail", args=[member.pk]),
            params={"person": str(member), "contract": member.contract.code, "day": str(day)},
        )
