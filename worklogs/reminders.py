"""The month's logs, reminded (SPEC §8): the vendor's PMs as last month's log nears its due day
(the 5th working day), procurement when a submitted log waits too long for its approval."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.calendar import sub_workdays
from core.dates import add_months
from core.models import User
from notifications.reminders import Recipients, Reminder, register, waiting_since
from worklogs.models import WorkLog
from worklogs.selectors import log_deadline, missing_logs

LOG_DUE_STEPS = (0, 1, 3)  # working days before the deadline, nearest first


def _month_url(order_id, month) -> str:
    return reverse("worklog-month", args=[order_id, f"{month:%Y-%m}"])


@register
def logs_due(today):
    """Last month's log not submitted, 3, 1 and 0 working days before its due day."""
    deadline = log_deadline(add_months(today.replace(day=1), -1))
    if today > deadline:
        return
    step = next((n for n in LOG_DUE_STEPS if sub_workdays(deadline, n) <= today), None)
    if step is None:
        return
    people = Recipients()
    for missing in missing_logs(today=today):
        order, month = missing.order, missing.month
        yield Reminder(
            "log_due",
            people(order.contract.vendor_id, User.Role.VENDOR_PM),
            _("The work log of order %(order)s for %(month)s is due by %(deadline)s."),
            key=f"log_due:{order.pk}:{month:%Y-%m}:{step}",
            url=_month_url(order.pk, month),
            params={"order": str(order), "month": f"{month:%Y-%m}", "deadline": str(deadline)},
        )


@register
def logs_waiting(today):
    """A submitted log waiting for procurement's approval more than the set working days."""
    people = Recipients()
    logs = WorkLog.objects.filter(
        status=WorkLog.Status.SUBMITTED, submitted_at__lt=waiting_since(today)
    ).select_related("order__contract")
    for log in logs:
        submitted = timezone.localdate(log.submitted_at)
        yield Reminder(
            "approval_waiting",
            people(log.order.contract.buyer_id, User.Role.PROCUREMENT),
            _("The work log %(log)s, submitted on %(day)s, still waits for approval."),
            key=f"approval_waiting:log:{log.pk}:{submitted}",
            url=_month_url(log.order_id, log.month),
            params={"log": str(log), "day": str(submitted)},
        )
