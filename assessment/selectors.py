from django.db.models import Prefetch

from assessment.models import Assessment, AssessmentEntry, Incident
from core.history import history_entries


def assessment_list(*, user):
    return (
        Assessment.objects.visible_to(user)
        .select_related(
            "order",
            "order__contract",
            "order__contract__vendor",
            "template",
        )
        .prefetch_related(
            Prefetch(
                "entries",
                queryset=AssessmentEntry.objects.select_related("indicator", "indicator__category"),
            ),
            Prefetch("incidents", queryset=Incident.objects.select_related("indicator")),
        )
    )


def assessment_history(assessment: Assessment):
    return history_entries(
        assessment,
        parts=[
            (
                AssessmentEntry.history.filter(assessment_id=assessment.pk).select_related(
                    "indicator"
                ),
                lambda r: r.indicator.name if r.indicator else "",
            ),
            (Incident.history.filter(assessment_id=assessment.pk), lambda r: r.description),
        ],
    )
