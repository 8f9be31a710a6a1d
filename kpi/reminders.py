"""004's monthly KPI reports waiting for procurement's approval, reminded as a work log is."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import User
from kpi.models import KpiReport
from notifications.reminders import Recipients, Reminder, register, waiting_since


@register
def reports_waiting(today):
    """A submitted report waiting for procurement more than the set working days."""
    people = Recipients()
    reports = KpiReport.objects.filter(
        status=KpiReport.Status.SUBMITTED, submitted_at__lt=waiting_since(today)
    ).select_related("order__contract")
    for report in reports:
        submitted = timezone.localdate(report.submitted_at)
        yield Reminder(
            "approval_waiting",
            people(report.order.contract.buyer_id, User.Role.PROCUREMENT),
            _("The KPI report %(report)s, submitted on %(day)s, still waits for approval."),
            key=f"approval_waiting:kpi:{report.pk}:{submitted}",
            url=reverse("kpi-month", args=[report.order_id, f"{report.month:%Y-%m}"]),
            params={"report": str(report), "day": str(submitted)},
        )
