"""A rectification the vendor has not answered (2.10: within 5 working days), reminded the
working day before its due day and on the day."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.calendar import add_workdays
from core.models import User
from governance.models import Rectification
from notifications.reminders import Recipients, Reminder, register


@register
def rectifications_due(today):
    people = Recipients()
    open_ = Rectification.objects.filter(
        status=Rectification.Status.OPEN, due_on__range=(today, add_workdays(today, 1))
    ).select_related("contract")
    for rectification in open_:
        step = 0 if rectification.due_on == today else 1
        yield Reminder(
            "rectification_due",
            people(rectification.contract.vendor_id, User.Role.VENDOR_PM),
            _(
                "Rectification request no. %(number)s on contract %(contract)s is to be answered "
                "by %(day)s."
            ),
            key=f"rectification_due:{rectification.pk}:{rectification.due_on}:{step}",
            url=reverse("rectification-detail", args=[rectification.pk]),
            params={
                "number": str(rectification.pk),
                "contract": rectification.contract.code,
                "day": str(rectification.due_on),
            },
        )
