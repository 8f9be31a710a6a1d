from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from contracts.builtin_templates import ANNEX2
from contracts.models import (
    DEFAULT_TAX_RATE,
    AssessmentTemplate,
    FrameworkContract,
    Indicator,
    RateCardLine,
    TaxRate,
    TemplateCategory,
)
from contracts.rate_card import parse_rate_card
from core.errors import DomainError
from core.models import Organization
from core.xlsx import open_workbook

Status = FrameworkContract.Status

TRANSITIONS = {
    Status.DRAFT: {Status.ACTIVE},
    Status.ACTIVE: {Status.EXPIRED, Status.TERMINATED},
}

CONTRACT_FIELDS = (
    "code",
    "name",
    "buyer",
    "vendor",
    "signed_on",
    "start_date",
    "end_date",
    "ceiling_incl_tax",
    "settlement_mode",
    "assessment_template",
)


class ContractError(DomainError):
    code = "contract"


class RateCardImportError(ContractError):
    """附件3 import refused: every bad cell, by row and column."""

    code = "rate_card_import"

    def __init__(self, problems):
        super().__init__(
            _("The rate card was not imported: %(count)s problems.") % {"count": len(problems)},
            field="file",
            messages=[str(problem) for problem in problems],
        )
        self.problems = problems


def one_year_from(day: date) -> date:
    """Clause 4.2: the term runs one year from signing, its last day included."""
    if day.year >= date.max.year:
        raise ContractError(_("This date is too far in the future."), field="signed_on")
    try:
        return day.replace(year=day.year + 1) - timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _default_template(buyer: Organization) -> AssessmentTemplate | None:
    """附件2, the reference template: the buyer's latest published version, else the shared
    starter (which the buyer adopts when the contract is saved)."""
    published = AssessmentTemplate.objects.filter(
        name=ANNEX2["name"], status=AssessmentTemplate.Status.PUBLISHED
    ).order_by("-version")
    return published.filter(buyer=buyer).first() or published.filter(buyer=None).first()


def _check_contract(contract: FrameworkContract) -> None:
    if contract.buyer_id is None:
        raise ContractError(_("Choose the buyer."), field="buyer")
    if contract.buyer.kind != Organization.Kind.BUYER:
        raise ContractError(_("The buyer must be a buyer organization."), field="buyer")
    if contract.vendor.kind != Organization.Kind.VENDOR:
        raise ContractError(_("The vendor must be a vendor organization."), field="vendor")
    if contract.end_date < contract.start_date:
        raise ContractError(_("The term cannot end before it starts."), field="end_date")
    template = contract.assessment_template
    if template is not None and template.status != AssessmentTemplate.Status.PUBLISHED:
        raise ContractError(
            _("Only a published template can score a contract."), field="assessment_template"
        )
    if template is not None and template.buyer_id not in (None, contract.buyer_id):
        raise ContractError(
            _("A contract is scored on a template of its own buyer."), field="assessment_template"
        )
    if contract.ceiling_incl_tax <= 0:
        raise ContractError(_("The ceiling must be above zero."), field="ceiling_incl_tax")
    clash = FrameworkContract.objects.filter(buyer=contract.buyer, code=contract.code).exclude(
        pk=contract.pk
    )
    if clash.exists():
        raise ContractError(
            _("Contract code %(code)s is already used.") % {"code": contract.code}, field="code"
        )


@transaction.atomic
def contract_create(*, tax_rate=DEFAULT_TAX_RATE, **fields) -> FrameworkContract:
    """Clause 4.3: a contract with its ceiling and the first entry of its tax-rate schedule."""
    contract = FrameworkContract(**{name: fields.get(name) for name in CONTRACT_FIELDS})
    contract.settlement_mode = (
        contract.settlement_mode or FrameworkContract.SettlementMode.PERSON_DAY
    )
    contract.start_date = contract.start_date or contract.signed_on
    contract.end_date = contract.end_date or one_year_from(contract.start_date)
    if contract.assessment_template is None and contract.buyer_id is not None:
        contract.assessment_template = _default_template(contract.buyer)
    _check_contract(contract)
    _check_rate(tax_rate)
    _adopt_starter(contract)
    contract.save()
    TaxRate.objects.create(contract=contract, effective_from=contract.start_date, rate=tax_rate)
    return contract


@transaction.atomic
def contract_update(*, contract: FrameworkContract, **fields) -> FrameworkContract:
    """The terms of a contract change only while it is a draft."""
    contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=contract.pk)
    _require_draft(contract)
    for name, value in fields.items():
        if name in CONTRACT_FIELDS:
            setattr(contract, name, value)
    _check_contract(contract)
    _adopt_starter(contract)
    contract.save()
    return contract


def _adopt_starter(contract: FrameworkContract) -> None:
    """A contract uses its buyer's templates: a shared starter stands for the buyer's copy."""
    template = contract.assessment_template
    if template is not None and template.buyer_id is None:
        contract.assessment_template = template_adopt(starter=template, buyer=contract.buyer)


def _transition(contract: FrameworkContract, target: str) -> FrameworkContract:
    if target not in TRANSITIONS.get(contract.status, ()):
        raise ContractError(
            _("A contract that is %(status)s cannot become %(target)s.")
            % {"status": contract.get_status_display(), "target": Status(target).label},
            conflict=True,
        )
    contract.status = target
    contract.save(update_fields=["status"])
    return contract


@transaction.atomic
def contract_activate(*, contract: FrameworkContract) -> FrameworkContract:
    """A contract takes effect with a complete rate card: every line has an agreed price."""
    contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=contract.pk)
    lines = list(contract.rate_card_lines.all())
    if not lines:
        raise ContractError(_("The rate card is empty: import or add its lines first."))
    unpriced = [str(line) for line in lines if line.price_excl_tax is None]
    if unpriced:
        raise ContractError(
            _("These rate-card lines have no agreed price yet: %(lines)s.")
            % {"lines": "、".join(unpriced)}
        )
    return _transition(contract, Status.ACTIVE)


@transaction.atomic
def contract_terminate(*, contract: FrameworkContract) -> FrameworkContract:
    contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=contract.pk)
    return _transition(contract, Status.TERMINATED)


def contracts_expire_due(*, today: date) -> int:
    """Clause 4.2: an active contract whose term has ended expires."""
    expired = 0
    for pk in FrameworkContract.objects.filter(
        status=Status.ACTIVE, end_date__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=pk)
            if contract.status == Status.ACTIVE:
                _transition(contract, Status.EXPIRED)
                expired += 1
    return expired


def _require_draft(contract: FrameworkContract) -> None:
    if not contract.is_draft:
        raise ContractError(
            _("Contract %(code)s is %(status)s: its terms and rate card can no longer change.")
            % {"code": contract.code, "status": contract.get_status_display()}
        )


def _check_rate(rate) -> None:
    if rate is None or not 0 <= rate < 1:
        raise ContractError(_("A tax rate lies between 0 and 1, e.g. 0.06."), field="rate")


@transaction.atomic
def tax_rate_add(*, contract: FrameworkContract, effective_from: date, rate) -> TaxRate:
    """Clause 4.3: a new rate changes the tax-inclusive price, never the tax-exclusive one."""
    contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=contract.pk)
    _check_rate(rate)
    if contract.status in (Status.EXPIRED, Status.TERMINATED):
        raise ContractError(_("A closed contract takes no new tax rate."))
    latest = contract.tax_rates.order_by("-effective_from").first()
    if not contract.is_draft:
        # Past months keep the rate they were settled at.
        first_possible = max(latest.effective_from + timedelta(days=1), timezone.localdate())
        if not first_possible <= effective_from <= contract.end_date:
            raise ContractError(
                _("A new rate starts between %(first)s and the contract's end %(end)s.")
                % {"first": first_possible, "end": contract.end_date},
                field="effective_from",
            )
    if contract.tax_rates.filter(effective_from=effective_from).exists():
        raise ContractError(
            _("A rate already starts on %(day)s.") % {"day": effective_from},
            field="effective_from",
        )
    return TaxRate.objects.create(contract=contract, effective_from=effective_from, rate=rate)


@transaction.atomic
def tax_rate_update(*, tax_rate: TaxRate, effective_from: date, rate) -> TaxRate:
    _require_draft(
        FrameworkContract.objects.select_for_update(no_key=True).get(pk=tax_rate.contract_id)
    )
    _check_rate(rate)
    tax_rate.effective_from, tax_rate.rate = effective_from, rate
    try:
        with transaction.atomic():
            tax_rate.save()
    except IntegrityError as error:
        raise ContractError(
            _("A rate already starts on %(day)s.") % {"day": effective_from},
            field="effective_from",
        ) from error
    return tax_rate


@transaction.atomic
def tax_rate_delete(*, tax_rate: TaxRate) -> None:
    contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=tax_rate.contract_id)
    _require_draft(contract)
    if contract.tax_rates.count() == 1:
        raise ContractError(_("A contract keeps at least one tax rate."))
    tax_rate.delete()


def _check_line(line: RateCardLine, contract: FrameworkContract) -> None:
    problems = line.problems(contract.tax_rate)
    if problems:
        field, message = problems[0]
        raise ContractError(message, field=field)
    clash = RateCardLine.objects.filter(
        contract=line.contract, role=line.role, level=line.level
    ).exclude(pk=line.pk)
    if clash.exists():
        raise ContractError(
            _("%(line)s is already on the rate card.") % {"line": line}, field="level"
        )


@transaction.atomic
def rate_card_line_save(*, line: RateCardLine) -> RateCardLine:
    """附件3 note 3: an agreed price above its cap is refused, with the line named."""
    contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=line.contract_id)
    _require_draft(contract)
    _check_line(line, contract)
    if line.pk is None:
        line.position = line.contract.rate_card_lines.count() + 1
    line.save()
    return line


@transaction.atomic
def rate_card_line_delete(*, line: RateCardLine) -> None:
    _require_draft(
        FrameworkContract.objects.select_for_update(no_key=True).get(pk=line.contract_id)
    )
    line.delete()


def rate_card_import(*, contract: FrameworkContract, upload) -> list[RateCardLine]:
    """附件3: the whole rate card from a workbook, all or nothing. Its tax-inclusive prices are
    checked at the rate in force when the contract was signed (the rate it was priced at), or
    at the contract's rate a row states."""
    _require_draft(contract)
    workbook = open_workbook(upload)
    try:
        parsed = parse_rate_card(
            workbook.active,
            rate=contract.tax_rate_on(contract.signed_on),
            schedule=[tax_rate.rate for tax_rate in contract.tax_rates.order_by("effective_from")],
            default_unit=_default_unit(contract),
        )
    finally:
        workbook.close()
    if parsed.errors:
        raise RateCardImportError(parsed.errors)
    with transaction.atomic():
        contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=contract.pk)
        _require_draft(contract)
        contract.rate_card_lines.all().delete()
        lines = [
            RateCardLine(contract=contract, position=number, **fields)
            for number, fields in enumerate(parsed.lines, start=1)
        ]
        return bulk_create_with_history(lines, RateCardLine)


def _default_unit(contract: FrameworkContract) -> str:
    if contract.is_per_item:
        return RateCardLine.Unit.ITEM
    return RateCardLine.Unit.PERSON_DAY


class TemplateError(ContractError):
    code = "template"


Kind = Indicator.Kind
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
    if template.status != AssessmentTemplate.Status.DRAFT:
        raise TemplateError(_("%(template)s is already published.") % {"template": template})
    template.status = AssessmentTemplate.Status.PUBLISHED
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
