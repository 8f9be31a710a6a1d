from functools import partial

from assessment.models import Assessment
from core.pdf import render_pdf

# What the apps above add to a score's PDF as its evidence (004's live sessions): functions
# of the assessment answering None or a context with the `template` that prints it. This app
# cannot import theirs, so they register here when they start (AppConfig.ready).
EVIDENCE = []


def add_evidence(source):
    EVIDENCE.append(source)
    return source


def contract_assessment_pdfs(contract, user) -> list[tuple]:
    """Each confirmed score as 附件2, for the zip of the contract's papers (archive.bundle)."""
    scores = (
        Assessment.objects.visible_to(user)
        .filter(order__contract_id=contract.pk, status=Assessment.Status.CONFIRMED)
        .select_related("order")
        .order_by("order__number", "month", "period_months")
    )
    return [(f"附件2 考核表/{score}.pdf", partial(assessment_pdf, score)) for score in scores]


def assessment_pdf(assessment: Assessment) -> bytes:
    """附件2 服务质量考核表 with the month's figures, scores and incidents."""
    entries = {entry.indicator_id: entry for entry in assessment.entries.all()}
    categories = [
        (
            category,
            [(indicator, entries.get(indicator.pk)) for indicator in category.indicators.all()],
        )
        for category in assessment.template.categories.prefetch_related("indicators")
    ]
    return render_pdf(
        "assessment/assessment_pdf.html",
        {
            "assessment": assessment,
            "order": assessment.order,
            "contract": assessment.order.contract,
            "categories": categories,
            "incidents": assessment.incidents.all(),
            "evidence": [part for source in EVIDENCE if (part := source(assessment))],
        },
    )
