from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.builtin_templates import ANNEX2
from assessment.models import (
    Assessment,
    AssessmentEntry,
    AssessmentTemplate,
    Incident,
    Indicator,
    TemplateCategory,
)
from assessment.scoring import Figures, indicator_score
from contracts.models import FrameworkContract
from contracts.services import ContractError
from core.calendar import month_days
from core.dates import add_months
from core.errors import DomainError
from core.models import Organization, User
from core.states import advance
from notifications.services import notify_contract
from orders.models import Order
from orders.selectors import order_reports_in
from orders.terminations import refuse_after_termination

Status = Assessment.Status
Kind = Indicator.Kind


class AssessmentError(DomainError):
    code = "assessment"


PUBLISHED = gettext_lazy(
    "The score of %(order)s for %(period)s was published: %(score)s points. Confirm or dispute it."
)
DISPUTED = gettext_lazy("The vendor disputes the score of %(order)s for %(period)s: %(reason)s")


def _tell(kind: str, assessment: Assessment, role: str, message, reason: str = "") -> None:
    """Tells the other side of the order's contract that the score is theirs to act on, linking
    its month's page (a KPI period's for a half-year or a year, 004)."""
    order = assessment.order
    contract = order.contract
    period = f"{assessment.month:%Y-%m}"
    if assessment.period_months == 1:
        url = reverse("assessment-month", args=[order.pk, period])
    else:
        url = reverse("kpi-assess", args=[order.pk, assessment.period_months])
        period = f"{period}–{add_months(assessment.month, assessment.period_months - 1):%Y-%m}"
    notify_contract(
        kind,
        contract,
        role,
        message=message,
        params={
            "order": order.number,
            "period": period,
            "score": f"{assessment.total_score.normalize():f}",
            "reason": reason,
        },
        url=url,
    )


@transaction.atomic
def assessment_open(*, order: Order, month: date, months: int = 1) -> Assessment:
    """The order's score for the month (or the period of `months` from it) on its contract's
    template, a new draft if none yet."""
    month = month.replace(day=1)
    # An order is scored on the months it reports (its log or its KPI report).
    refusal = order_reports_in(order, month)
    if refusal:
        raise AssessmentError(refusal.message, field=refusal.field)
    template = order.contract.template_on(month)
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
    (a KPI period's baselines). An incident given with the `id` of one recorded is that one,
    changed in place (a failed rectification links to it); the others are new, and recorded
    ones not given are removed."""
    assessment = Assessment.objects.select_for_update(no_key=True).get(pk=assessment.pk)
    if assessment.status not in Assessment.EDITABLE:
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
    AssessmentEntry.objects.bulk_create(rows)
    _keep_incidents(assessment, incidents)
    bonus = {pk for pk, indicator in indicators.items() if indicator.kind == Kind.BONUS}
    assessment.base_score = sum((r.score for r in rows if r.indicator_id not in bonus), Decimal(0))
    assessment.bonus_score = sum((r.score for r in rows if r.indicator_id in bonus), Decimal(0))
    assessment.total_score = assessment.base_score + assessment.bonus_score
    # A re-score after a dispute is a draft again: the vendor sees it once it is published.
    assessment.status = Status.DRAFT
    assessment.save()
    return assessment


def _keep_incidents(assessment: Assessment, incidents: list[dict]) -> None:
    recorded = {incident.pk: incident for incident in assessment.incidents.all()}
    kept, new = [], []
    for given in incidents:
        incident = recorded.pop(given.get("id"), None) or Incident(assessment=assessment)
        incident.indicator_id = given["indicator"]
        incident.date = given["date"]
        incident.description = given["description"].strip()
        (kept if incident.pk else new).append(incident)
    Incident.objects.filter(pk__in=recorded).delete()
    for incident in kept:
        incident.save()
    Incident.objects.bulk_create(new)


def assessment_figures(assessment: Assessment) -> tuple[list[dict], list[dict]]:
    """The recorded entries and incidents as `assessment_save` takes them (a deduction's count
    follows its incidents)."""
    entries = [
        {
            "indicator": e.indicator_id,
            "value": e.value,
            "actual": e.actual,
            "count": None if e.indicator.kind == Indicator.Kind.DEDUCTION else e.count,
            "note": e.note,
        }
        for e in assessment.entries.select_related("indicator")
    ]
    incidents = [
        {"id": i.pk, "indicator": i.indicator_id, "date": i.date, "description": i.description}
        for i in assessment.incidents.all()
    ]
    return entries, incidents


@transaction.atomic
def assessment_incident_add(
    *, assessment: Assessment, indicator: Indicator, day: date, description: str
) -> Incident:
    """One more incident behind a deduction, the score recomputed with it (SPEC §5)."""
    entries, incidents = assessment_figures(assessment)
    recorded = [i["id"] for i in incidents]
    incidents.append({"indicator": indicator.pk, "date": day, "description": description})
    assessment = assessment_save(assessment=assessment, entries=entries, incidents=incidents)
    return assessment.incidents.exclude(pk__in=recorded).get()


@transaction.atomic
def assessment_publish(*, assessment: Assessment, actor) -> Assessment:
    """Procurement shows the score to the vendor (again, after a dispute)."""
    refuse_after_termination(assessment.order, assessment.month, error=AssessmentError)
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
    published = advance(
        assessment,
        Assessment.flow["publish"],
        error=AssessmentError,
        published_at=timezone.now(),
        published_by=actor,
    )
    published.order = assessment.order
    _tell("score_published", published, User.Role.VENDOR_PM, PUBLISHED)
    return published


@transaction.atomic
def assessment_confirm(*, assessment: Assessment, actor) -> Assessment:
    """3.3.1: the vendor confirms the result in writing (确认书); the score is then locked."""
    refuse_after_termination(assessment.order, assessment.month, error=AssessmentError)
    return advance(
        assessment,
        Assessment.flow["confirm"],
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
        Assessment.flow["reopen"],
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
    disputed = advance(
        assessment,
        Assessment.flow["dispute"],
        error=AssessmentError,
        dispute_reason=reason.strip(),
    )
    _tell("score_disputed", disputed, User.Role.PROCUREMENT, DISPUTED, disputed.dispute_reason)
    return disputed


class TemplateError(DomainError):
    code = "template"


NEEDS = {
    Kind.DEDUCTION: ("per_unit",),
    Kind.SHORTFALL: ("per_unit", "target"),
    Kind.RATIO: ("target",),
}


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def template_problems(spec: dict) -> list[str]:
    """SPEC §5: indicators add up to their category and categories to the total, each kind
    has the figures it needs. Every problem names its numbers."""
    problems = []
    counted = Decimal(0)
    codes = set()
    for category in spec["categories"]:
        bonus = bool(category.get("is_bonus"))
        indicators = category.get("indicators", [])
        if not indicators:
            problems.append(_("%(category)s has no indicators.") % {"category": category["name"]})
        for indicator in indicators:
            name, kind = indicator["name"], indicator["kind"]
            if indicator["code"] in codes:
                problems.append(_("The code %(code)s is used twice.") % indicator)
            codes.add(indicator["code"])
            if (kind == Kind.BONUS) != bonus:
                problems.append(
                    _("%(name)s: bonus indicators, and only they, go in a bonus category.")
                    % {"name": name}
                )
            if kind not in Kind.values:
                problems.append(
                    _("%(name)s: “%(kind)s” is not a kind of indicator.")
                    % {"name": name, "kind": kind}
                )
                continue
            points = _decimal(indicator["max"])
            if points is None or not points.is_finite():
                problems.append(_("%(name)s: its maximum must be above 0.") % {"name": name})
                continue
            if points.as_tuple().exponent < -2:
                problems.append(_("%(name)s: points have two decimals at most.") % {"name": name})
            if _decimal(indicator["max"]) <= 0:
                problems.append(_("%(name)s: its maximum must be above 0.") % {"name": name})
            for figure in NEEDS.get(kind, ()):
                value = _decimal(indicator.get(figure))
                if value is None or value <= 0:
                    problems.append(
                        _("%(name)s: a %(kind)s indicator needs a %(figure)s above 0.")
                        % {"name": name, "kind": Kind(kind).label, "figure": figure}
                    )
        if not bonus:
            added = sum((_decimal(i["max"]) for i in indicators), Decimal(0))
            if added != _decimal(category["max"]):
                problems.append(
                    _("%(category)s: its indicators add up to %(added)s, not its %(max)s points.")
                    % {
                        "category": category["name"],
                        "added": f"{added:.2f}",
                        "max": f"{_decimal(category['max']):.2f}",
                    }
                )
            counted += _decimal(category["max"])
    if counted != _decimal(spec["total"]):
        problems.append(
            _("The categories add up to %(counted)s, not the total %(total)s.")
            % {"counted": f"{counted:.2f}", "total": f"{_decimal(spec['total']):.2f}"}
        )
    return problems


def template_spec(template: AssessmentTemplate) -> dict:
    return {
        "name": template.name,
        "total": template.total,
        "period_months": template.period_months,
        "categories": [
            {
                "name": category.name,
                "max": category.max,
                "is_bonus": category.is_bonus,
                "indicators": [
                    {
                        "code": i.code,
                        "name": i.name,
                        "kind": i.kind,
                        "max": i.max,
                        "per_unit": i.per_unit,
                        "target": i.target,
                        "rule": i.rule,
                    }
                    for i in category.indicators.all()
                ],
            }
            for category in template.categories.all()
        ],
    }


def _write_template(template: AssessmentTemplate, spec: dict) -> AssessmentTemplate:
    problems = template_problems(spec)
    if problems:
        raise TemplateError(problems[0], field="categories", messages=problems)
    template.total = _decimal(spec["total"])
    template.period_months = spec.get("period_months", 1)
    template.save()
    template.categories.all().delete()
    for position, category in enumerate(spec["categories"]):
        saved = TemplateCategory.objects.create(
            template=template,
            position=position,
            name=category["name"],
            max=_decimal(category["max"]),
            is_bonus=bool(category.get("is_bonus")),
        )
        Indicator.objects.bulk_create(
            [
                Indicator(
                    category=saved,
                    position=number,
                    code=i["code"],
                    name=i["name"],
                    kind=i["kind"],
                    max=_decimal(i["max"]),
                    per_unit=_decimal(i.get("per_unit")),
                    target=_decimal(i.get("target")),
                    rule=i.get("rule", ""),
                )
                for number, i in enumerate(category["indicators"])
            ]
        )
    return template


def _keeper(actor) -> Organization | None:
    """Whose templates the user keeps: its buyer's; the administrator's are the shared
    starters (None)."""
    if actor.sees_everything:
        return None
    if actor.organization is None or actor.organization.kind != Organization.Kind.BUYER:
        raise TemplateError(_("Only a buyer's procurement keeps assessment templates."))
    return actor.organization


def _require_keeper(template: AssessmentTemplate, actor) -> None:
    """A buyer changes its own templates only; a shared starter only the administrator."""
    buyer = _keeper(actor)
    if buyer is not None and template.buyer_id != buyer.pk:
        raise TemplateError(
            _("%(template)s is a shared starter: make a new version to have your own copy.")
            % {"template": template}
        )


def _next_version(buyer: Organization | None, name: str) -> int:
    """Versions are numbered per buyer (the shared starters have their own numbers)."""
    latest = AssessmentTemplate.objects.filter(buyer=buyer, name=name).aggregate(Max("version"))
    return (latest["version__max"] or 0) + 1


def _template_add(spec: dict, buyer: Organization | None) -> AssessmentTemplate:
    template = AssessmentTemplate(
        buyer=buyer, name=spec["name"], version=_next_version(buyer, spec["name"])
    )
    return _write_template(template, spec)


@transaction.atomic
def template_create(*, spec: dict, actor) -> AssessmentTemplate:
    """A new draft of the user's buyer: version 1 of a new name, or the next version of one
    it has."""
    return _template_add(spec, _keeper(actor))


@transaction.atomic
def template_adopt(*, starter: AssessmentTemplate, buyer: Organization) -> AssessmentTemplate:
    """The buyer's own unchanged copy of a shared starter, made the first time it uses it."""
    # The lock makes two first uses at once make one copy.
    starter = AssessmentTemplate.objects.select_for_update(no_key=True).get(pk=starter.pk)
    copy = AssessmentTemplate.objects.filter(buyer=buyer, copied_from=starter).first()
    if copy is not None:
        return copy
    copy = AssessmentTemplate(
        buyer=buyer,
        copied_from=starter,
        name=starter.name,
        version=max(starter.version, _next_version(buyer, starter.name)),
        status=starter.status,
    )
    return _write_template(copy, template_spec(starter))


@transaction.atomic
def template_update(*, template: AssessmentTemplate, spec: dict, actor) -> AssessmentTemplate:
    """Only a draft changes: a published template is changed by a new version."""
    template = AssessmentTemplate.objects.select_for_update(no_key=True).get(pk=template.pk)
    _require_keeper(template, actor)
    if template.status != AssessmentTemplate.Status.DRAFT:
        raise TemplateError(
            _("%(template)s is published: make a new version to change it.")
            % {"template": template}
        )
    return _write_template(template, {**spec, "name": template.name})


@transaction.atomic
def template_publish(*, template: AssessmentTemplate, actor) -> AssessmentTemplate:
    template = AssessmentTemplate.objects.select_for_update(no_key=True).get(pk=template.pk)
    _require_keeper(template, actor)
    if not AssessmentTemplate.flow["publish"].may(template):
        raise TemplateError(
            _("%(template)s is already published.") % {"template": template}, conflict=True
        )
    template.status = AssessmentTemplate.flow["publish"].target
    template.save(update_fields=["status"])
    return template


@transaction.atomic
def template_new_version(*, template: AssessmentTemplate, actor) -> AssessmentTemplate:
    """A draft copy of a template, one version up, to be changed and published; a buyer's
    new version of a shared starter is one of its own copy."""
    buyer = _keeper(actor)
    if template.buyer_id is None and buyer is not None:
        template = template_adopt(starter=template, buyer=buyer)
    _require_keeper(template, actor)
    return _template_add(template_spec(template), template.buyer)


def _default_template(buyer: Organization) -> AssessmentTemplate | None:
    """附件2, the reference template: the buyer's latest published version, else the shared
    starter (which the buyer adopts when the contract is saved)."""
    published = AssessmentTemplate.objects.filter(
        name=ANNEX2["name"], status=AssessmentTemplate.Status.PUBLISHED
    ).order_by("-version")
    return published.filter(buyer=buyer).first() or published.filter(buyer=None).first()


def contract_template_settle(*, contract: FrameworkContract) -> None:
    """The template a contract is scored on, before the contract is saved: a new one without
    any gets 附件2; only a published template of its own buyer or a shared starter, which
    stands for the buyer's copy. Plugged into the contract services (assessment/apps.py)."""
    template = contract.assessment_template
    if template is None and contract.pk is None:
        template = contract.assessment_template = _default_template(contract.buyer)
    if template is None:
        return
    if template.status != AssessmentTemplate.Status.PUBLISHED:
        raise ContractError(
            _("Only a published template can score a contract."), field="assessment_template"
        )
    if template.buyer_id not in (None, contract.buyer_id):
        raise ContractError(
            _("A contract is scored on a template of its own buyer."), field="assessment_template"
        )
    if template.buyer_id is None:
        contract.assessment_template = template_adopt(starter=template, buyer=contract.buyer)
