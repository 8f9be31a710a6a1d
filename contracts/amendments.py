"""补充协议 (11.4, 13.3): a signed contract changed from a date, drafted by procurement, signed by
the vendor, then by the buyer. In force, it is read by the rate schedule (`prices_on`), the VAT
schedule (a tax rate from its date), the ceiling (`ceiling_on`, the contract's own figure from
its date) and the assessment template (`template_on`); months before its date never change."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Amendment, AmendmentLine, FrameworkContract, RateCardLine, TaxRate
from contracts.services import ContractError
from core.models import User
from core.pdf import render_pdf
from core.states import advance

Status = Amendment.Status
flow = Amendment.flow
AMENDMENT_FIELDS = (
    "effective_from",
    "description",
    "ceiling_incl_tax",
    "end_date",
    "tax_rate",
    "assessment_template",
)


@dataclass
class LineChange:
    """A re-priced line (`rate_card_line`) or an added one (role, level, unit, cap, estimate)."""

    price_excl_tax: Decimal
    rate_card_line: RateCardLine | None = None
    role: str = ""
    level: str = ""
    unit: str = RateCardLine.Unit.PERSON_DAY
    cap_price_excl_tax: Decimal | None = None
    estimated_quantity: Decimal = Decimal("0")


def _check(contract: FrameworkContract, values: dict, changes: list[LineChange]) -> None:
    """Every rule a draft keeps, the first broken one refused with its field."""
    if contract.status != FrameworkContract.Status.ACTIVE:
        raise ContractError(
            _("Only an active contract is amended; %(code)s is %(status)s.")
            % {"code": contract.code, "status": contract.get_status_display()},
            conflict=True,
        )
    start = values["effective_from"]
    if start.day != 1 or not contract.start_date <= start <= contract.end_date:
        raise ContractError(
            _("An amendment takes effect on the first day of a month within the term.")
            + f" ({contract.start_date} – {contract.end_date})",
            field="effective_from",
        )
    ceiling, end, rate = values["ceiling_incl_tax"], values["end_date"], values["tax_rate"]
    template = values["assessment_template"]
    if not (ceiling or end or rate is not None or template or changes):
        raise ContractError(_("The amendment changes nothing."))
    if ceiling is not None and ceiling < contract.settled_total + contract.committed_total:
        raise ContractError(
            _("The new ceiling %(ceiling)s is below what is settled and committed (%(used)s).")
            % {"ceiling": ceiling, "used": contract.settled_total + contract.committed_total},
            field="ceiling_incl_tax",
        )
    if end is not None and end < start:
        raise ContractError(
            _("The new end date comes before the amendment takes effect."), field="end_date"
        )
    if rate is not None and not Decimal("0") <= rate < 1:
        raise ContractError(_("A tax rate lies between 0 and 1."), field="tax_rate")
    if template is not None:
        current = contract.template_on(start)
        if (
            template.status != "published"
            or template.buyer_id != contract.buyer_id
            or current is None
            or template.name != current.name
            or template.version <= current.version
        ):
            raise ContractError(
                _("The template must be a later published version of %(name)s.")
                % {"name": current.name if current else "—"},
                field="assessment_template",
            )
    _check_lines(contract, changes, rate if rate is not None else contract.tax_rate_on(start))


def _check_lines(contract, changes: list[LineChange], rate) -> None:
    seen = set()
    existing = {(line.role, line.level) for line in contract.rate_card_lines.all()}
    for change in changes:
        line = change.rate_card_line
        if line is not None:
            if line.contract_id != contract.pk:
                raise ContractError(_("That rate-card line is not this contract's."), field="lines")
            key = (line.role, line.level)
            # 附件3's cap stays the most any agreed price may be (4.3 changes prices, not caps).
            problem = RateCardLine(
                contract=contract,
                role=line.role,
                level=line.level,
                unit=line.unit,
                cap_price_excl_tax=line.cap_price_excl_tax,
                price_excl_tax=change.price_excl_tax,
            ).problems(rate)
        else:
            key = (change.role, change.level)
            if key in existing:
                raise ContractError(
                    _("%(line)s is on the rate card already: re-price it instead.")
                    % {"line": f"{change.role} {change.level}".strip()},
                    field="lines",
                )
            problem = RateCardLine(
                contract=contract,
                role=change.role,
                level=change.level,
                unit=change.unit,
                estimated_quantity=change.estimated_quantity,
                cap_price_excl_tax=change.cap_price_excl_tax or Decimal("0"),
                price_excl_tax=change.price_excl_tax,
            ).problems(rate)
        if problem:
            raise ContractError(problem[0][1], field="lines")
        if key in seen:
            raise ContractError(
                _("%(line)s appears twice.") % {"line": " ".join(key).strip()}, field="lines"
            )
        seen.add(key)


def _changes(amendment: Amendment) -> list[LineChange]:
    fields = LineChange.__dataclass_fields__
    return [
        LineChange(**{name: getattr(line, name) for name in fields})
        for line in amendment.lines.select_related("rate_card_line")
    ]


def _save_lines(amendment: Amendment, changes: list[LineChange]) -> None:
    amendment.lines.all().delete()
    for change in changes:
        AmendmentLine.objects.create(amendment=amendment, **vars(change))


@transaction.atomic
def amendment_create(*, contract: FrameworkContract, actor, lines=(), **values) -> Amendment:
    """A draft of the next 补充协议 to an active contract."""
    contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=contract.pk)
    values = {name: values.get(name) for name in AMENDMENT_FIELDS}
    values["description"] = values["description"] or ""
    _check(contract, values, list(lines))
    number = (contract.amendments.aggregate(last=Max("number"))["last"] or 0) + 1
    amendment = Amendment.objects.create(
        contract=contract, number=number, created_by=actor, **values
    )
    _save_lines(amendment, list(lines))
    return amendment


@transaction.atomic
def amendment_update(*, amendment: Amendment, lines=None, **values) -> Amendment:
    """Procurement edits a draft; once the vendor signed it, it no longer changes (409)."""
    amendment = Amendment.objects.select_for_update(no_key=True).get(pk=amendment.pk)
    _require_draft(amendment)
    merged = {name: values.get(name, getattr(amendment, name)) for name in AMENDMENT_FIELDS}
    merged["description"] = merged["description"] or ""
    if lines is None:
        lines = _changes(amendment)
    _check(amendment.contract, merged, list(lines))
    for name, value in merged.items():
        setattr(amendment, name, value)
    amendment.save()
    _save_lines(amendment, list(lines))
    return amendment


@transaction.atomic
def amendment_delete(*, amendment: Amendment) -> None:
    amendment = Amendment.objects.select_for_update(no_key=True).get(pk=amendment.pk)
    _require_draft(amendment)
    amendment.delete()


def _require_draft(amendment: Amendment) -> None:
    if amendment.status != Status.DRAFT:
        raise ContractError(
            _("%(amendment)s is %(status)s: it no longer changes.")
            % {"amendment": amendment, "status": amendment.get_status_display()},
            conflict=True,
        )


@transaction.atomic
def amendment_sign(*, amendment: Amendment, actor: User) -> Amendment:
    """`sign/`: the vendor's signature on a draft, then the buyer's, which puts it in force."""
    if actor.has_role(*flow["vendor_sign"].roles):
        return advance(
            amendment,
            flow["vendor_sign"],
            error=ContractError,
            vendor_signed_at=timezone.now(),
            vendor_signed_by=actor,
        )
    contract = FrameworkContract.objects.select_for_update(no_key=True).get(
        pk=amendment.contract_id
    )
    amendment = Amendment.objects.select_for_update(no_key=True).get(pk=amendment.pk)
    if flow["sign"].may(amendment):
        # What was settled and committed since the draft may have grown past its ceiling.
        _check(
            contract,
            {name: getattr(amendment, name) for name in AMENDMENT_FIELDS},
            _changes(amendment),
        )
    ceiling_before = contract.ceiling_on(amendment.effective_from)
    amendment = advance(
        amendment,
        flow["sign"],
        error=ContractError,
        signed_at=timezone.now(),
        signed_by=actor,
        previous_ceiling=ceiling_before if amendment.ceiling_incl_tax else None,
    )
    _put_in_force(contract, amendment)
    return amendment


def _put_in_force(contract: FrameworkContract, amendment: Amendment) -> None:
    """The rate card and VAT schedule take its changes from its date; its ceiling and end
    date are the contract's from that day (now, or by the daily task)."""
    if amendment.tax_rate is not None:
        TaxRate.objects.update_or_create(
            contract=contract,
            effective_from=amendment.effective_from,
            defaults={"rate": amendment.tax_rate},
        )
    position = contract.rate_card_lines.aggregate(last=Max("position"))["last"] or 0
    for line in amendment.lines.filter(rate_card_line=None):
        position += 1
        RateCardLine.objects.create(
            contract=contract,
            added_by=amendment,
            position=position,
            role=line.role,
            level=line.level,
            unit=line.unit,
            estimated_quantity=line.estimated_quantity,
            cap_price_excl_tax=line.cap_price_excl_tax,
            price_excl_tax=line.price_excl_tax,
        )
    if amendment.effective_from <= timezone.localdate():
        _apply(contract, amendment)


def _apply(contract: FrameworkContract, amendment: Amendment) -> None:
    if amendment.ceiling_incl_tax is not None:
        contract.ceiling_incl_tax = amendment.ceiling_incl_tax
    if amendment.end_date is not None:
        contract.end_date = amendment.end_date
    contract.save(update_fields=["ceiling_incl_tax", "end_date"])
    amendment.applied_on = amendment.effective_from
    amendment.save(update_fields=["applied_on"])


def amendments_take_effect(*, today: date) -> int:
    """Daily, before the term's end is checked: amendments in force whose date has come write
    their ceiling and end date onto the contract (safe to run twice)."""
    applied = 0
    due = Amendment.objects.filter(
        status=Status.IN_FORCE, applied_on=None, effective_from__lte=today
    ).order_by("effective_from", "pk")
    for pk, contract_id in due.values_list("pk", "contract_id"):
        with transaction.atomic():
            contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=contract_id)
            amendment = Amendment.objects.select_for_update(no_key=True).get(pk=pk)
            if amendment.applied_on is None:
                _apply(contract, amendment)
                applied += 1
    return applied


def amendment_pdf(amendment: Amendment) -> bytes:
    """The 补充协议 as a PDF: what changes from which date, and places for both seals."""
    contract = amendment.contract
    start = amendment.effective_from
    return render_pdf(
        "contracts/amendment_pdf.html",
        {
            "amendment": amendment,
            "contract": contract,
            "lines": amendment.lines.select_related("rate_card_line"),
            "ceiling_before": amendment.previous_ceiling or contract.ceiling_on(start),
            "rate_before": contract.tax_rate_on(start - timedelta(days=1)),
        },
    )
