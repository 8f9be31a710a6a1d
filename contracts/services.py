from collections.abc import Callable
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from archive.models import Document
from contracts.kinds import MODES
from contracts.models import DEFAULT_TAX_RATE, FrameworkContract, RateCardLine, TaxRate
from contracts.rate_card import parse_rate_card
from contracts.selectors import signed_copy_missing
from core.errors import DomainError
from core.models import Organization
from core.states import advance
from core.xlsx import open_workbook

Status = FrameworkContract.Status
flow = FrameworkContract.flow

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


# Which assessment template scores a contract (附件2 by default, only a published one of its
# own buyer, a shared starter becoming the buyer's copy) is a rule of the templates, which the
# assessment app keeps. That app sits above this one and this one may not import it, so the
# rule is inverted: assessment plugs it in here when it starts (assessment/apps.py), and the
# contract services call it without knowing whose it is. Until then a contract keeps the
# template it is given.
TemplateRule = Callable[..., None]
_template_rule: TemplateRule = lambda *, contract: None  # noqa: E731


def contract_template_rule_set(*, rule: TemplateRule) -> None:
    """The rule that settles a contract's template before it is saved: it sets a new
    contract's default, refuses a template the contract may not use (a ContractError on
    `assessment_template`) and may replace the template by the one to store."""
    global _template_rule
    _template_rule = rule


def _check_contract(contract: FrameworkContract) -> None:
    if contract.buyer_id is None:
        raise ContractError(_("Choose the buyer."), field="buyer")
    if contract.buyer.kind != Organization.Kind.BUYER:
        raise ContractError(_("The buyer must be a buyer organization."), field="buyer")
    if contract.vendor.kind != Organization.Kind.VENDOR:
        raise ContractError(_("The vendor must be a vendor organization."), field="vendor")
    if contract.end_date < contract.start_date:
        raise ContractError(_("The term cannot end before it starts."), field="end_date")
    _template_rule(contract=contract)
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
    _check_contract(contract)
    _check_rate(tax_rate)
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
    contract.save()
    return contract


@transaction.atomic
def contract_activate(*, contract: FrameworkContract) -> FrameworkContract:
    """A contract takes effect with a complete rate card (every line has an agreed price) and,
    when its buyer says so, with its signed copy in the archive."""
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
    if signed_copy_missing(contract):
        raise ContractError(
            _(
                "Attach the signed contract first: upload the scan of contract %(code)s signed "
                "and sealed by both parties to its documents, as “%(kind)s”. %(buyer)s requires "
                "it before a contract takes effect."
            )
            % {
                "code": contract.code,
                "kind": Document.Kind.SIGNED_CONTRACT.label,
                "buyer": contract.buyer.name,
            }
        )
    return advance(contract, flow["activate"], error=ContractError)


def contracts_expire_due(*, today: date) -> int:
    """Clause 4.2: an active contract whose term has ended expires."""
    expired = 0
    for pk in FrameworkContract.objects.filter(
        status=Status.ACTIVE, end_date__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=pk)
            if flow["expire"].may(contract):
                advance(contract, flow["expire"], error=ContractError)
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
    return MODES[contract.settlement_mode].unit
