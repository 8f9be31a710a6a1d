"""The month's logs on the to-dos (SPEC §8): last month's log not in waits on the vendor and
procurement follows it up (its deadline, 2.10 rectification); a submitted log waits on
procurement's approval, a returned one on the vendor."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.todos import PROCUREMENT, VENDOR, Desk, Item, Todo, register
from worklogs.models import WorkLog
from worklogs.selectors import logs_returned, logs_to_review, missing_logs


def _month_url(order_id, month) -> str:
    return reverse("worklog-month", args=[order_id, f"{month:%Y-%m}"])


def _missing(desk: Desk) -> list[Item]:
    return [
        Item(
            str(m.order),
            _month_url(m.order.pk, m.month),
            desk.due(m.deadline, f"{m.month:%Y-%m} "),
            m.overdue,
        )
        for m in missing_logs(user=desk.user, today=desk.today)
    ]


@register(PROCUREMENT, 60)
def logs_missing(desk: Desk) -> list[Todo]:
    return [Todo(_("Orders missing last month's log"), _missing(desk))]


@register(PROCUREMENT, 70)
def logs_to_approve(desk: Desk) -> list[Todo]:
    return [
        Todo(
            _("Logs to approve"),
            [
                Item(str(log), _month_url(log.order_id, log.month))
                for log in logs_to_review(user=desk.user)
            ],
            f"{reverse('worklog-list')}?status={WorkLog.Status.SUBMITTED}",
            reverse("worklog-approve-many"),
        )
    ]


@register(VENDOR, 10)
def logs_to_submit(desk: Desk) -> list[Todo]:
    returned = [
        Item(str(log), _month_url(log.order_id, log.month), log.returned_reason, True)
        for log in logs_returned(user=desk.user)
    ]
    return [Todo(_("Logs to submit"), _missing(desk) + returned)]
