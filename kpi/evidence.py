"""A KPI period's live sessions as evidence in its score's PDF (004: the session list backs
直播场次, 直播时长 and 单场观看人数)."""

from assessment.documents import add_evidence
from core.dates import add_months
from kpi.models import LiveSession
from kpi.sessions import months_summary


@add_evidence
def live_sessions(assessment):
    """A period of months (a KPI roll-up) with sessions: each month's figures, then the list."""
    if assessment.period_months == 1:
        return None
    end = add_months(assessment.month, assessment.period_months)
    listed = LiveSession.objects.filter(
        order=assessment.order, date__gte=assessment.month, date__lt=end
    ).order_by("date", "start", "id")
    if not listed:
        return None
    return {
        "template": "kpi/sessions_evidence_pdf.html",
        "live_months": months_summary(assessment.order, assessment.month, end),
        "live_sessions": listed,
    }
