from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import Assessment, AssessmentEntry, Incident
from assessment.scoring import Figures, indicator_score
from contracts.models import Indicator
from core.calendar import month_days
from core.errors import DomainError
from core.states import advance
from orders.models import Order

Status = Assessment.Status
Kind = Indicator.Kind
SCORABLE_ORDERS = (Order.Status.ISSUED, Order.Status.IN_SERVICE, Order.Status.COMPLETED)


class AssessmentError(DomainError):
    code = "assessment"


@transaction.atomic
def assessment_open(*, order: Order, month: date, months: int = 1) -> Assessment:
    """The order's score for the month (or the period of `months` from it) on its contract's
    template, a new draft if none yet."""
    month = month.replace(day=1)
    first, last = month_days(month)
    if order.status not in SCORABLE_ORDERS:
        raise AssessmentError(
            _("Order %(number)s is %(status)s: it is not scored.")
            % {"number": order.number, "status": order.get_status_display()}
        )
    if last < order.service_start or first > order.service_end:
        raise AssessmentError(
            _("%(month)s lies outside the order's service period %(start)s – %(end)s.")
            % {"month": f"{month:%Y-%m}", "start": order.service_start, "end": order.service_end},
            field="month",
        )
    template = order.contract.assessment_template
    if template is None:
        raise AssessmentError(
            _("Contract %(code)s has no assessment template.") % {"code": order.contract.code}
        )
    assessment, _created = Assessment.objects.get_or_create(
        order=order, month=month, period_months=months, defaults={"template": template}
    )
    return assessment


def _indicators(assessment: Assessment) -> dict[int, Indicator]:
    return {
        indicator.pk: indicator
        for indicator in Indicator.objects.filter(
            category__template=assessment.template
        ).select_related("category")
    }


def _entry_figures(indicator, entry, incidents) -> tuple[Figures, list[str]]:
    """The figures of one indicator, or what is wrong with them."""
    problems = []
    value, actual = entry.get("value"), entry.get("actual")
    count = entry.get("count")
    name = indicator.name
    if indicator.kind == Kind.DEDUCTION:
        if count not in (None, incidents):
            problems.append(
                _(
                    "%(name)s: %(count)s deductions need %(count)s incidents, "
                    "%(incidents)s are recorded."
                )
                % {"name": name, "count": count, "incidents": incidents}
            )
        count = incidents
    if len(entry.get("note", "")) > 300:
        problems.append(_("%(name)s: a note has 300 characters at most.") % {"name": name})
    for figure in (value, actual):
        if figure is not None and (not figure.is_finite() or abs(figure) >= 10**12):
            problems.append(
                _("%(name)s: %(figure)s is not a usable figure.") % {"name": name, "figure": figure}
            )
            return Figures(), problems
    manual = indicator.kind == Kind.MANUAL or (
        indicator.kind == Kind.BONUS and indicator.target is None
    )
    if manual and value is not None and not 0 <= value <= indicator.max:
        problems.append(
            _("%(name)s: %(value)s is outside 0 – %(max)s.")
            % {"name": name, "value": value, "max": indicator.max}
        )
    if actual is not None and actual < 0:
        problems.append(_("%(name)s: the figure cannot be negative.") % {"name": name})
    if indicator.kind == Kind.SHARE and (count or 0) > (actual or 0):
        problems.append(
            _("%(name)s: %(count)s qualifying of %(actual)s events is impossible.")
            % {"name": name, "count": count or 0, "actual": actual or 0}
        )
    return Figures(value=value, count=count or 0, actual=actual), problems


@transaction.atomic
def assessment_save(
    *, assessment: Assessment, entries: list[dict], incidents: list[dict], targets=None
) -> Assessment:
    """附件2: the score computed by the server from the figures and the incidents behind every
    deduction; all or nothing. `targets` (indicator id → figure) replace the template's own
    (a KPI period's baselines)."""
    assessment = Assessment.objects.select_for_update(no_key=True).get(pk=assessment.pk)
    if assessment.status not in (Status.DRAFT, Status.DISPUTED):
        raise AssessmentError(
            _("The score of %(month)s is %(status)s and cannot change.")
            % {"month": f"{assessment.month:%Y-%m}", "status": assessment.get_status_display()}
        )
    if assessment.period_months != 1 and targets is None:
        raise AssessmentError(
            _("A KPI period is scored from the vendor's approved reports, not by hand.")
        )
    indicators = _indicators(assessment)
    first, last = month_days(assessment.month)
    problems = []
    per_indicator = {}
    for incident in incidents:
        indicator = indicators.get(incident["indicator"])
        if indicator is None or indicator.kind != Kind.DEDUCTION:
            problems.append(_("An incident belongs to a deduction of this template."))
            continue
        if not first <= incident["date"] <= last:
            problems.append(
                _("%(name)s: the incident of %(date)s is not in %(month)s.")
                % {
                    "name": indicator.name,
                    "date": incident["date"],
                    "month": f"{assessment.month:%Y-%m}",
                }
            )
        if len(incident.get("description", "")) > 500:
            problems.append(
                _("%(name)s: an incident is described in 500 characters at most.")
                % {"name": indicator.name}
            )
        if not incident.get("description", "").strip():
            problems.append(_("%(name)s: describe the incident.") % {"name": indicator.name})
        per_indicator[indicator.pk] = per_indicator.get(indicator.pk, 0) + 1
    given = {}
    for entry in entries:
        if entry["indicator"] not in indicators:
            problems.append(
                _("Indicator %(id)s is not on this template.") % {"id": entry["indicator"]}
            )
        given[entry["indicator"]] = entry
    rows = []
    for indicator in indicators.values():
        entry = given.get(indicator.pk, {})
        figures, wrong = _entry_figures(indicator, entry, per_indicator.get(indicator.pk, 0))
        figures.target = (targets or {}).get(indicator.pk)
        problems += wrong
        rows.append(
            AssessmentEntry(
                assessment=assessment,
                indicator=indicator,
                value=figures.value,
                count=figures.count,
                actual=figures.actual,
                target=figures.target,
                note=entry.get("note", ""),
                score=indicator_score(indicator, figures),
            )
        )
    if problems:
        raise AssessmentError(problems[0], field="entries", messages=problems)
    assessment.entries.all().delete()
    assessment.incidents.all().delete()
    AssessmentEntry.objects.bulk_create(rows)
    Incident.objects.bulk_create(
        [
            Incident(
                assessment=assessment,
                indicator_id=i["indicator"],
                date=i["date"],
                description=i["description"].strip(),
            )
            for i in incidents
        ]
    )
    bonus = {pk for pk, indicator in indicators.items() if indicator.kind == Kind.BONUS}
    assessment.base_score = sum((r.score for r in rows if r.indicator_id not in bonus), Decimal(0))
    assessment.bonus_score = sum((r.score for r in rows if r.indicator_id in bonus), Decimal(0))
    assessment.total_score = assessment.base_score + assessment.bonus_score
    # A re-score after a dispute is a draft again: the vendor sees it once it is published.
    assessment.status = Status.DRAFT
    assessment.save()
    return assessment


@transaction.atomic
def assessment_publish(*, assessment: Assessment, actor) -> Assessment:
    """Procurement shows the score to the vendor (again, after a dispute)."""
    missing = [
        entry.indicator.name
        for entry in assessment.entries.select_related("indicator")
        if entry.indicator.kind == Kind.MANUAL and entry.value is None
    ]
    if missing or not assessment.entries.exists():
        raise AssessmentError(
            _("Score every indicator first: %(names)s.")
            % {"names": "、".join(missing) or _("no figures yet")}
        )
    return advance(
        assessment,
        sources=(Status.DRAFT,),
        target=Status.PUBLISHED,
        error=AssessmentError,
        published_at=timezone.now(),
        published_by=actor,
    )


@transaction.atomic
def assessment_confirm(*, assessment: Assessment, actor) -> Assessment:
    """3.3.1: the vendor confirms the result in writing (确认书); the score is then locked."""
    return advance(
        assessment,
        sources=(Status.PUBLISHED,),
        target=Status.CONFIRMED,
        error=AssessmentError,
        confirmed_at=timezone.now(),
        confirmed_by=actor,
        dispute_reason="",
    )


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, reason: str) -> Assessment:
    """Procurement takes back a published or confirmed score to correct it, while no sheet
    rests on it."""
    if not reason.strip():
        raise AssessmentError(_("Give the reason."), field="reason")
    return advance(
        assessment,
        sources=(Status.PUBLISHED, Status.CONFIRMED),
        target=Status.DRAFT,
        error=AssessmentError,
        frozen=_(
            "The month's sheet is confirmed: the score can no longer be reopened. "
            "Correct a signed month with an adjustment sheet."
        ),
        reopened_reason=reason.strip(),
        confirmed_at=None,
        confirmed_by=None,
    )


@transaction.atomic
def assessment_dispute(*, assessment: Assessment, reason: str) -> Assessment:
    if not reason.strip():
        raise AssessmentError(_("Give the reason of the dispute."), field="reason")
    return advance(
        assessment,
        sources=(Status.PUBLISHED,),
        target=Status.DISPUTED,
        error=AssessmentError,
        dispute_reason=reason.strip(),
    )
