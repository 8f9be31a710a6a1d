"""Invoices and payments (clauses 3.3.1, 4.3, 4.6, 4.6.1, 4.6.5, 4.7): the money's paper trail.

An invoice covers one or more signed sheets of one contract wholly, or part of one sheet; each
covered part is an `InvoiceSheet`. A payment pays one sheet, never past what its current
invoices charge. The sheet's own invoice and payment fields (`invoice_number`, `invoice_amount`,
`invoiced_on`, `payment_due_by`, `paid_on`, `status` signed/invoiced/paid) are a summary these
services keep (`_summarize`), written nowhere else.

Lock order (core.locks): the contract, then its sheets; every write here holds both, so two
finance users paying the same sheet at once take turns and the second sees the first's payment.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import MAX_MONEY, FrameworkContract
from core.bank_accounts import bank_account_at
from core.calendar import Finding, Year, add_workdays
from core.errors import DomainError
from core.locks import hold
from core.logs import money_action
from core.models import User
from core.money import ZERO, quantize, rounded_to_sum, with_tax
from core.states import Step
from core.templatetags.money import money, percent
from finance.models import Invoice, InvoiceSheet, Payment
from notifications.services import notify_contract
from settlement.models import SettlementSheet

DELIVERY_WORKDAYS = 10  # 4.7: delivered within 10 working days of issue
PAYMENT_WORKDAYS = 30  # 4.6: paid within 30 working days of receipt
REASON_LENGTH = Invoice._meta.get_field("void_reason").max_length
NUMBERS_LENGTH = SettlementSheet._meta.get_field("invoice_number").max_length
Status = SettlementSheet.Status


class FinanceError(DomainError):
    code = "finance"


RECORDED = gettext_lazy("Invoice %(invoice)s of %(amount)s yuan was recorded for %(sheets)s.")
PAID = gettext_lazy("%(amount)s yuan was paid on %(day)s for settlement sheet %(sheet)s.")


@dataclass(frozen=True)
class Balance:
    """Where a sheet stands: what is left to invoice (excl. tax, and incl. tax at the sheet's
    rate), what its current invoices charge (`owed`, 4.6.5) and what was paid."""

    left_excl: Decimal
    left_incl: Decimal
    owed: Decimal
    paid: Decimal

    @property
    def left_to_pay(self) -> Decimal:
        return self.owed - self.paid

    @property
    def covered(self) -> bool:
        """Its current invoices cover the whole sheet."""
        return self.left_excl <= 0


def _current_parts(sheet_ids) -> dict[int, list[InvoiceSheet]]:
    parts = defaultdict(list)
    for part in InvoiceSheet.objects.filter(
        sheet_id__in=sheet_ids, invoice__status=Invoice.Status.RECORDED
    ).select_related("invoice"):
        parts[part.sheet_id].append(part)
    return parts


def _paid(sheet_ids) -> dict[int, Decimal]:
    return dict(
        Payment.objects.filter(sheet_id__in=sheet_ids)
        .values("sheet_id")
        .annotate(total=Sum("amount"))
        .values_list("sheet_id", "total")
    )


def _balance(sheet, parts, paid) -> Balance:
    """At the sheet's own rate what is left incl. tax is the payable less the parts; once a
    part was invoiced at another rate (4.6.5), the rest excl. tax at the sheet's rate."""
    left_excl = sheet.payable_excl_tax - sum((p.amount_excl_tax for p in parts), ZERO)
    if all(p.invoice.tax_rate == sheet.tax_rate for p in parts):
        left_incl = sheet.payable_incl_tax - sum((p.amount_incl_tax for p in parts), ZERO)
    else:
        left_incl = with_tax(left_excl, sheet.tax_rate)
    owed = sum((p.amount_incl_tax for p in parts), ZERO)
    return Balance(left_excl, left_incl, owed, paid or ZERO)


def sheet_balances(sheets) -> dict[int, Balance]:
    """Each sheet's balance, by id, from its current (non-void) invoice parts and payments."""
    ids = [sheet.pk for sheet in sheets]
    parts, paid = _current_parts(ids), _paid(ids)
    return {sheet.pk: _balance(sheet, parts[sheet.pk], paid.get(sheet.pk)) for sheet in sheets}


def sheet_balance(sheet: SettlementSheet) -> Balance:
    return sheet_balances([sheet])[sheet.pk]


def _joined_numbers(invoices) -> str:
    """The invoices' numbers as the sheet's one field holds them: all, or the first and how
    many more."""
    numbers = list(dict.fromkeys(str(invoice) for invoice in invoices))
    joined = ", ".join(numbers)
    if len(joined) <= NUMBERS_LENGTH:
        return joined
    return _("%(first)s and %(count)s more") % {"first": numbers[0], "count": len(numbers) - 1}


def _summarize(sheets) -> None:
    """The sheets' invoice and payment fields, and their status, from their current invoices
    and payments: invoiced once covered, paid once the payments reach what is owed (paid_on the
    date that completed it); back to signed when a void uncovers a sheet."""
    ids = [sheet.pk for sheet in sheets]
    parts, paid = _current_parts(ids), _paid(ids)
    last_paid = dict(
        Payment.objects.filter(sheet_id__in=ids)
        .values("sheet_id")
        .annotate(last=Max("paid_on"))
        .values_list("sheet_id", "last")
    )
    for sheet in sheets:
        balance = _balance(sheet, parts[sheet.pk], paid.get(sheet.pk))
        invoices = sorted(
            {part.invoice for part in parts[sheet.pk]}, key=lambda i: (i.issued_on, i.pk)
        )
        dues = [invoice.payment_due_by for invoice in invoices if invoice.payment_due_by]
        paid_in_full = balance.covered and balance.owed > 0 and balance.left_to_pay <= 0
        if paid_in_full:
            status = Status.PAID
        else:
            status = Status.INVOICED if balance.covered else Status.SIGNED
        summary = {
            "invoice_number": _joined_numbers(invoices),
            "invoice_amount": balance.owed if invoices else None,
            "invoiced_on": invoices[-1].issued_on if invoices else None,
            "payment_due_by": min(dues) if dues else None,
            "paid_on": last_paid.get(sheet.pk) if paid_in_full else None,
            "status": status,
        }
        if any(getattr(sheet, name) != value for name, value in summary.items()):
            for name, value in summary.items():
                setattr(sheet, name, value)
            sheet.save(update_fields=list(summary))


def _hold(contract_id: int, sheet_ids) -> tuple:
    """The contract, then the sheets (core.locks' order), re-read under their locks (their
    parties and orders read, not locked)."""
    held = hold(
        contract=FrameworkContract(pk=contract_id),
        sheet=SettlementSheet.objects.filter(pk__in=sheet_ids),
    )
    return held.contract, held.sheet


def _check_step(invoice: Invoice, step: Step) -> None:
    if not step.may(invoice):
        raise FinanceError(
            _("Invoice %(invoice)s is %(status)s: it cannot do that now.")
            % {"invoice": invoice, "status": invoice.get_status_display()},
            conflict=True,
        )


def _money(amount, field: str) -> Decimal:
    """An amount in yuan as an invoice or a payment prints it: finite, at most two decimals."""
    if (
        not isinstance(amount, Decimal)
        or not amount.is_finite()
        or abs(amount) > MAX_MONEY
        or amount != quantize(amount)
    ):
        raise FinanceError(_("Give the amount in yuan with at most two decimals."), field=field)
    return amount


def _text(value: str, field: str, length: int, *, required=True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise FinanceError(_("This field is required."), field=field)
    if len(value) > length:
        raise FinanceError(
            _("Keep it within %(count)s characters.") % {"count": length}, field=field
        )
    return value


def _latest_date() -> date:
    """No business date lies more than a year ahead (and none overflows a deadline)."""
    return timezone.localdate() + timedelta(days=366)


def _check_parties(contract, *, seller_tax_id, buyer_name, buyer_tax_id) -> None:
    """4.6.2: the buyer's 开票信息 (name and taxpayer ID) and the vendor's taxpayer ID as the
    contract names them."""
    buyer, vendor = contract.buyer, contract.vendor
    if buyer_name != buyer.name:
        raise FinanceError(
            _("The buyer on the invoice is “%(given)s”; the contract's buyer is “%(name)s”.")
            % {"given": buyer_name, "name": buyer.name},
            field="buyer_name",
        )
    if buyer_tax_id != buyer.tax_id:
        raise FinanceError(
            _("The buyer's taxpayer ID on the invoice is %(given)s; %(name)s's is %(tax_id)s.")
            % {"given": buyer_tax_id, "name": buyer.name, "tax_id": buyer.tax_id or "—"},
            field="buyer_tax_id",
        )
    if seller_tax_id != vendor.tax_id:
        raise FinanceError(
            _("The seller's taxpayer ID on the invoice is %(given)s; %(name)s's is %(tax_id)s.")
            % {"given": seller_tax_id, "name": vendor.name, "tax_id": vendor.tax_id or "—"},
            field="seller_tax_id",
        )


def _check_dates(sheets, issued_on: date, received_on: date | None) -> None:
    today = timezone.localdate()
    if issued_on > today:
        raise FinanceError(
            _("The invoice date %(date)s is after today (%(today)s): give the date it was issued.")
            % {"date": issued_on, "today": today},
            field="issued_on",
        )
    for sheet in sheets:
        signed_on = timezone.localdate(sheet.signed_at)
        if issued_on < signed_on:
            raise FinanceError(
                _(
                    "The invoice date %(date)s is before sheet %(sheet)s was signed "
                    "(%(signed)s): a sheet is invoiced once signed."
                )
                % {"date": issued_on, "sheet": sheet, "signed": signed_on},
                field="issued_on",
            )
    if received_on is not None:
        _check_receipt(issued_on, received_on)


def _check_receipt(issued_on: date, received_on: date) -> None:
    today = timezone.localdate()
    if not issued_on <= received_on <= today:
        raise FinanceError(
            _("The invoice was received between its issue (%(issued)s) and today (%(today)s).")
            % {"issued": issued_on, "today": today},
            field="received_on",
        )


def _parts(sheets, balances, *, incl, excl, tax, rate) -> list[tuple]:
    """(sheet, amount excl. tax, amount incl. tax) of each sheet the invoice covers. One sheet
    may be covered in part; several are covered wholly. At the sheets' own rate the totals incl.
    tax must agree; at another rate (4.6.5) those excl. tax, and each sheet owes its excl. plus
    its share of the invoice's tax, proportional to its excl., the remainder on the last."""
    own_rate = all(sheet.tax_rate == rate for sheet in sheets)
    if len(sheets) == 1:
        sheet, left = sheets[0], balances[sheets[0].pk]
        given, left_amount = (incl, left.left_incl) if own_rate else (excl, left.left_excl)
        if given > left_amount:
            raise FinanceError(
                _(
                    "Sheet %(sheet)s has %(left)s yuan %(basis)s left to invoice: an invoice of "
                    "%(amount)s is more than that."
                )
                % {
                    "sheet": sheet,
                    "left": money(left_amount),
                    "basis": _("incl. tax") if own_rate else _("excl. tax"),
                    "amount": money(given),
                },
                field="amount_incl_tax" if own_rate else "amount_excl_tax",
            )
        if given == left_amount:  # the rest of the sheet: its exact remainder excl. tax
            return [(sheet, left.left_excl, incl)]
        if own_rate and excl >= left.left_excl:
            raise FinanceError(
                _(
                    "The invoice's %(excl)s yuan excl. tax would leave nothing of sheet "
                    "%(sheet)s's %(left)s excl. tax while %(rest)s incl. tax remains."
                )
                % {
                    "excl": money(excl),
                    "sheet": sheet,
                    "left": money(left.left_excl),
                    "rest": money(left.left_incl - incl),
                },
                field="amount_excl_tax",
            )
        return [(sheet, excl, incl)]
    names = ", ".join(str(sheet) for sheet in sheets)
    expected_incl = sum((balances[s.pk].left_incl for s in sheets), ZERO)
    if own_rate and incl == expected_incl:
        return [(s, balances[s.pk].left_excl, balances[s.pk].left_incl) for s in sheets]
    expected = sum((balances[s.pk].left_excl for s in sheets), ZERO)
    if own_rate and (excl != expected or tax != quantize(excl * rate)):
        # At the sheets' rate an invoice whose tax is worked out on their combined amount excl.
        # tax may differ by a cent or so from the sum of their own taxes: that one is theirs.
        raise FinanceError(
            _(
                "The invoice's total %(amount)s yuan incl. tax differs from the %(expected)s "
                "the sheets it covers have left to invoice (%(sheets)s)."
            )
            % {"amount": money(incl), "expected": money(expected_incl), "sheets": names},
            field="amount_incl_tax",
        )
    if excl != expected:
        raise FinanceError(
            _(
                "At %(rate)s, not the sheets' own rate, the invoice's amount excl. tax must equal "
                "theirs (4.6.5): %(amount)s yuan given, %(expected)s left to invoice "
                "(%(sheets)s)."
            )
            % {
                "rate": percent(rate),
                "amount": money(excl),
                "expected": money(expected),
                "sheets": names,
            },
            field="amount_excl_tax",
        )
    shares = [balances[sheet.pk].left_excl for sheet in sheets]
    return [
        (sheet, share, share + part_tax)
        for sheet, share, part_tax in zip(sheets, shares, _split(tax, shares), strict=True)
    ]


def _split(tax: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """The printed tax spread over the sheets in proportion to their amounts excl. tax, to the
    cent and adding up exactly (never a negative share)."""
    total = sum(shares, ZERO)
    return rounded_to_sum([tax * share / total for share in shares])


def _check_sheets(sheets, balances) -> None:
    for sheet in sheets:
        if not sheet.is_signed:
            raise FinanceError(
                _("Sheet %(sheet)s is %(status)s: only a signed sheet is invoiced.")
                % {"sheet": sheet, "status": sheet.get_status_display()},
                conflict=True,
            )
        if sheet.payable_incl_tax <= 0:
            raise FinanceError(
                _("Sheet %(sheet)s takes money back (%(amount)s): it is not invoiced.")
                % {"sheet": sheet, "amount": money(sheet.payable_incl_tax)},
                field="sheets",
            )
        if balances[sheet.pk].covered:
            raise FinanceError(
                _("Sheet %(sheet)s is invoiced in full already.") % {"sheet": sheet},
                conflict=True,
            )


@transaction.atomic
def invoice_record(
    *,
    actor,
    sheets: list[SettlementSheet],
    kind: str,
    number: str,
    issued_on: date,
    amount_incl_tax: Decimal,
    amount_excl_tax: Decimal,
    tax_rate: Decimal,
    tax_amount: Decimal,
    seller_tax_id: str,
    buyer_name: str,
    buyer_tax_id: str,
    code: str = "",
    medium: str = Invoice.Medium.ELECTRONIC,
    received_on: date | None = None,
    replaces: Invoice | None = None,
) -> Invoice:
    """4.6, 4.6.2, 4.6.5, 4.7: records an invoice covering the given signed sheets of one
    contract, each wholly (what it has left to invoice), or, for one sheet, part of it (no more
    than it has left). At the sheets' own rate the total incl. tax must equal theirs; at another
    rate (4.6.5) the total excl. tax, and each sheet then owes its excl. plus its share of the
    invoice's tax (proportional to its excl., half-up, the remainder on the last). Refused, with
    the figures: a total that differs, a buyer's name or tax id other than the contract buyer's,
    a seller tax id other than the vendor's, an issue date in the future or before a sheet was
    signed, a code+number already recorded. An ordinary invoice where 4.3 expects a special one
    is recorded but flagged until procurement accepts it (`invoice_accept_ordinary`).
    `delivery_due_by` = issued_on + 10 working days; `payment_due_by` = received_on + 30 working
    days once received. `replaces`: the void invoice this one replaces (红字 then a new one)."""
    if kind not in Invoice.Kind.values:
        raise FinanceError(_("Choose the invoice's type."), field="kind")
    if medium not in Invoice.Medium.values:
        raise FinanceError(_("Choose electronic or paper."), field="medium")
    code = _text(code, "code", 20, required=False)
    number = _text(number, "number", 50)
    seller_tax_id = _text(seller_tax_id, "seller_tax_id", 30)
    buyer_name = _text(buyer_name, "buyer_name", 200)
    buyer_tax_id = _text(buyer_tax_id, "buyer_tax_id", 30)
    incl = _money(amount_incl_tax, "amount_incl_tax")
    excl = _money(amount_excl_tax, "amount_excl_tax")
    tax = _money(tax_amount, "tax_amount")
    if incl <= 0:
        raise FinanceError(_("An invoice's amount is more than 0."), field="amount_incl_tax")
    if excl + tax != incl:
        raise FinanceError(
            _(
                "The invoice's amounts do not add up: %(excl)s excl. tax + %(tax)s tax = "
                "%(sum)s, not %(incl)s."
            )
            % {
                "excl": money(excl),
                "tax": money(tax),
                "sum": money(excl + tax),
                "incl": money(incl),
            },
            field="amount_incl_tax",
        )
    if not isinstance(tax_rate, Decimal) or not 0 <= tax_rate < 1:
        raise FinanceError(_("Give the tax rate as printed, e.g. 0.06."), field="tax_rate")
    if not sheets:
        raise FinanceError(_("Choose the sheets the invoice covers."), field="sheets")
    contracts = {sheet.contract_id for sheet in sheets}
    if len(contracts) > 1:
        raise FinanceError(_("An invoice covers sheets of one contract only."), field="sheets")
    contract, held = _hold(contracts.pop(), [sheet.pk for sheet in sheets])
    order = {sheet.pk: index for index, sheet in enumerate(sheets)}
    held = sorted(held, key=lambda sheet: order[sheet.pk])
    balances = sheet_balances(held)
    _check_sheets(held, balances)
    _check_parties(
        contract, seller_tax_id=seller_tax_id, buyer_name=buyer_name, buyer_tax_id=buyer_tax_id
    )
    _check_dates(held, issued_on, received_on)
    if received_on is not None and actor.is_vendor:
        raise FinanceError(
            _("The buyer records the day it received the invoice (4.6): leave it empty."),
            field="received_on",
        )
    if replaces is not None:
        replaces = Invoice.objects.get(pk=replaces.pk)
        if replaces.status != Invoice.Status.VOID or replaces.contract_id != contract.pk:
            raise FinanceError(
                _("Only a void invoice of the same contract is replaced."), field="replaces"
            )
        if Invoice.objects.filter(replaces=replaces).exists():
            raise FinanceError(
                _("Invoice %(invoice)s was replaced already.") % {"invoice": replaces},
                field="replaces",
                conflict=True,
            )
    duplicate = _("Invoice %(invoice)s is recorded already.") % {
        "invoice": f"{code} {number}".strip()
    }
    if Invoice.objects.filter(code=code, number=number).exists():
        raise FinanceError(duplicate, field="number")
    covered = _parts(held, balances, incl=incl, excl=excl, tax=tax, rate=tax_rate)
    invoice = Invoice(
        contract=contract,
        kind=kind,
        medium=medium,
        code=code,
        number=number,
        issued_on=issued_on,
        received_on=received_on,
        amount_incl_tax=incl,
        amount_excl_tax=excl,
        tax_rate=tax_rate,
        tax_amount=tax,
        seller_tax_id=seller_tax_id,
        buyer_name=buyer_name,
        buyer_tax_id=buyer_tax_id,
        delivery_due_by=add_workdays(issued_on, DELIVERY_WORKDAYS),
        payment_due_by=add_workdays(received_on, PAYMENT_WORKDAYS) if received_on else None,
        replaces=replaces,
        recorded_by=actor,
    )
    invoice._history_user = actor
    try:
        with transaction.atomic():  # a second with the same number at once: refused, not a 500
            invoice.save()
    except IntegrityError as error:
        if not Invoice.objects.filter(code=code, number=number).exists():
            raise
        raise FinanceError(duplicate, field="number", conflict=True) from error
    InvoiceSheet.objects.bulk_create(
        InvoiceSheet(invoice=invoice, sheet=sheet, amount_excl_tax=part_excl, amount_incl_tax=part)
        for sheet, part_excl, part in covered
    )
    _summarize(held)
    # Both sides learn of it, but not the one who typed it in (4.6: the vendor's PMs follow
    # their invoice, the buyer's procurement matches it to the sheets).
    notify_contract(
        "invoice_recorded",
        contract,
        User.Role.VENDOR_PM,
        User.Role.PROCUREMENT,
        but=actor,
        message=RECORDED,
        params={
            "invoice": str(invoice),
            "amount": money(incl),
            "sheets": "、".join(str(sheet) for sheet in held),
        },
        url=reverse("invoice-detail", args=[invoice.pk]),
    )
    money_action(
        "invoice",
        amount=incl,
        actor=actor,
        invoice=invoice.pk,
        number=str(invoice),
        sheets=",".join(str(sheet.pk) for sheet in held),
    )
    return invoice


def _hold_invoice(invoice: Invoice) -> tuple:
    """The invoice's contract and sheets locked, and the invoice re-read under them."""
    sheet_ids = list(invoice.parts.values_list("sheet_id", flat=True))
    contract, sheets = _hold(invoice.contract_id, sheet_ids)
    return contract, sheets, Invoice.objects.get(pk=invoice.pk)


@transaction.atomic
def invoice_receive(*, invoice: Invoice, actor, received_on: date) -> Invoice:
    """4.6: the buyer received the invoice on `received_on`; payment falls due 30 working days
    later, and the covered sheets' `payment_due_by` with it."""
    _contract, sheets, invoice = _hold_invoice(invoice)
    _check_step(invoice, Invoice.flow["receive"])
    _check_receipt(invoice.issued_on, received_on)
    invoice.received_on = received_on
    invoice.payment_due_by = add_workdays(received_on, PAYMENT_WORKDAYS)
    invoice._history_user = actor
    invoice.save()
    _summarize(sheets)
    return invoice


@transaction.atomic
def invoice_accept_ordinary(*, invoice: Invoice, actor) -> Invoice:
    """4.3: procurement accepts an ordinary invoice where a special one was expected; the flag
    is lifted."""
    _contract, _sheets, invoice = _hold_invoice(invoice)
    _check_step(invoice, Invoice.flow["accept-ordinary"])
    invoice.ordinary_accepted_by = actor
    invoice._history_user = actor
    invoice.save()
    return invoice


def void_refusal(invoice: Invoice, sheets=None) -> str:
    """Why the invoice may not be voided now, or "": a covered sheet's payments would exceed
    what its other invoices charge."""
    sheets = sheets if sheets is not None else [part.sheet for part in invoice.parts.all()]
    ids = [sheet.pk for sheet in sheets]
    parts, paid = _current_parts(ids), _paid(ids)
    for sheet in sheets:
        others = [part for part in parts[sheet.pk] if part.invoice_id != invoice.pk]
        still_owed = sum((part.amount_incl_tax for part in others), ZERO)
        if paid.get(sheet.pk, ZERO) > still_owed:
            return _(
                "Sheet %(sheet)s has been paid %(paid)s yuan; without this invoice its invoices "
                "would charge only %(owed)s. A paid invoice is not voided."
            ) % {"sheet": sheet, "paid": money(paid[sheet.pk]), "owed": money(still_owed)}
    return ""


@transaction.atomic
def invoice_void(*, invoice: Invoice, actor, reason: str) -> Invoice:
    """红字: voids an invoice with its reason; it stays in history. Its sheets go back to signed
    where it uncovers them. Refused while a covered sheet has payments the remaining invoices
    would no longer cover."""
    reason = _text(reason, "reason", REASON_LENGTH)
    _contract, sheets, invoice = _hold_invoice(invoice)
    _check_step(invoice, Invoice.flow["void"])
    refusal = void_refusal(invoice, sheets)
    if refusal:
        raise FinanceError(refusal, conflict=True)
    invoice.status = Invoice.flow["void"].target
    invoice.void_reason = reason
    invoice._history_user = actor
    invoice.save()
    _summarize(sheets)
    money_action("invoice_void", amount=invoice.amount_incl_tax, actor=actor, invoice=invoice.pk)
    return invoice


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone())


@transaction.atomic
def payment_record(
    *,
    actor,
    sheet: SettlementSheet,
    paid_on: date,
    amount: Decimal,
    voucher_number: str = "",
    method: str = Payment.Method.TRANSFER,
    bill_number: str = "",
    bill_maturity: date | None = None,
    bill_discount_terms: str = "",
    payer_bank_name: str = "",
    payer_account: str = "",
    note: str = "",
) -> Payment:
    """4.6.1: a payment of a sheet, by transfer or 银行承兑汇票 (number, maturity and discount
    terms required). Payments add up to what the sheet's current invoices charge, never past it
    (an overpayment is refused naming what is left); paid on or after the invoice's issue date,
    no more than a year ahead. The payer's account defaults to the buyer's; the payee's is the
    vendor's account in force that day (4.6.3). The sheet is paid once its payments reach what
    it owes and it is fully invoiced."""
    amount = _money(amount, "amount")
    if amount <= 0:
        raise FinanceError(_("A payment's amount is more than 0."), field="amount")
    if method not in Payment.Method.values:
        raise FinanceError(_("Choose the payment method."), field="method")
    is_bill = method == Payment.Method.ACCEPTANCE_BILL
    bill_number = _text(bill_number, "bill_number", 50, required=is_bill)
    bill_discount_terms = _text(bill_discount_terms, "bill_discount_terms", 200, required=is_bill)
    if is_bill and bill_maturity is None:
        raise FinanceError(_("This field is required."), field="bill_maturity")
    if not is_bill and (bill_number or bill_maturity or bill_discount_terms):
        raise FinanceError(
            _("A bank transfer has no bill: leave the bill's fields empty."), field="method"
        )
    if is_bill and bill_maturity < paid_on:
        raise FinanceError(
            _("The bill matures on or after the day it is given."), field="bill_maturity"
        )
    voucher_number = _text(voucher_number, "voucher_number", 50, required=False)
    note = _text(note, "note", 300, required=False)
    contract, (sheet,) = _hold(sheet.contract_id, [sheet.pk])
    parts = _current_parts([sheet.pk])[sheet.pk]
    balance = _balance(sheet, parts, _paid([sheet.pk]).get(sheet.pk))
    if not sheet.is_signed or not parts:
        raise FinanceError(
            _("Sheet %(sheet)s has no invoice yet: a payment follows the invoice (4.6).")
            % {"sheet": sheet},
            conflict=True,
        )
    if balance.left_to_pay <= 0:
        raise FinanceError(
            _("Sheet %(sheet)s is paid for all its invoices charge (%(owed)s yuan).")
            % {"sheet": sheet, "owed": money(balance.owed)},
            conflict=True,
        )
    if amount > balance.left_to_pay:
        raise FinanceError(
            _(
                "Only %(left)s yuan is left to pay on sheet %(sheet)s (%(owed)s invoiced, "
                "%(paid)s paid): %(amount)s is more than that."
            )
            % {
                "left": money(balance.left_to_pay),
                "sheet": sheet,
                "owed": money(balance.owed),
                "paid": money(balance.paid),
                "amount": money(amount),
            },
            field="amount",
        )
    first_issue = min(part.invoice.issued_on for part in parts)
    if not first_issue <= paid_on <= _latest_date():
        raise FinanceError(
            _("The payment date lies between the invoice (%(issued)s) and a year from now.")
            % {"issued": first_issue},
            field="paid_on",
        )
    payee = bank_account_at(contract.vendor, _end_of(paid_on))
    payment = Payment(
        sheet=sheet,
        paid_on=paid_on,
        amount=amount,
        method=method,
        bill_number=bill_number,
        bill_maturity=bill_maturity if is_bill else None,
        bill_discount_terms=bill_discount_terms,
        payer_bank_name=_text(payer_bank_name, "payer_bank_name", 200, required=False)
        or contract.buyer.bank_name,
        payer_account=_text(payer_account, "payer_account", 50, required=False)
        or contract.buyer.bank_account,
        payee_bank_name=payee.bank_name,
        payee_account=payee.bank_account,
        voucher_number=voucher_number,
        note=note,
        recorded_by=actor,
    )
    payment._history_user = actor
    payment.save()
    _summarize([sheet])
    notify_contract(
        "payment_made",
        contract,
        User.Role.VENDOR_PM,
        message=PAID,
        params={"amount": money(amount), "day": str(paid_on), "sheet": str(sheet)},
        url=reverse("sheet-detail", args=[sheet.pk]),
    )
    money_action("pay", amount=amount, actor=actor, sheet=sheet.pk, paid_on=paid_on)
    return payment


# The settlement sheet's old actions (`settlements/<id>/invoice/`, `correct-invoice/`, `pay/`),
# kept for old clients: an invoice of the one whole sheet, a transfer of what is left.


def _whole_sheet_invoice(sheet: SettlementSheet, *, actor, number, invoiced_on, amount, **more):
    """A special electronic invoice of the whole sheet at its rate, the parties' names and tax
    ids from the contract; finance's is received the day it was issued (as the old `invoice/`
    counted), the vendor's when finance records its receipt (4.6)."""
    contract = FrameworkContract.objects.select_related("buyer", "vendor").get(pk=sheet.contract_id)
    if amount != sheet.payable_incl_tax:
        raise FinanceError(
            _("The invoice must be for the payable %(payable)s, not %(amount)s.")
            % {"payable": money(sheet.payable_incl_tax), "amount": money(amount)},
            field="amount_incl_tax",
        )
    return invoice_record(
        actor=actor,
        sheets=[sheet],
        kind=Invoice.Kind.SPECIAL,
        number=number,
        issued_on=invoiced_on,
        received_on=None if actor.is_vendor else invoiced_on,
        amount_incl_tax=amount,
        amount_excl_tax=sheet.payable_excl_tax,
        tax_amount=amount - sheet.payable_excl_tax,
        tax_rate=sheet.tax_rate,
        seller_tax_id=contract.vendor.tax_id,
        buyer_name=contract.buyer.name,
        buyer_tax_id=contract.buyer.tax_id,
        **more,
    )


@transaction.atomic
def sheet_invoice(
    *, sheet: SettlementSheet, actor, number: str, invoiced_on: date, amount: Decimal
) -> SettlementSheet:
    """The old `invoice/`: the whole sheet on one special electronic invoice; answers the
    sheet."""
    if sheet.status != Status.SIGNED:
        raise FinanceError(
            _("Sheet %(sheet)s is %(status)s: it cannot do that now.")
            % {"sheet": sheet, "status": sheet.get_status_display()},
            conflict=True,
        )
    _whole_sheet_invoice(sheet, actor=actor, number=number, invoiced_on=invoiced_on, amount=amount)
    return SettlementSheet.objects.get(pk=sheet.pk)


@transaction.atomic
def sheet_invoice_correct(
    *,
    sheet: SettlementSheet,
    actor,
    number: str,
    invoiced_on: date,
    amount: Decimal,
    reason: str,
) -> SettlementSheet:
    """The old `correct-invoice/`: voids the sheet's invoice with the reason and records its
    replacement (refused once paid: voiding a paid invoice is); answers the sheet."""
    reason = _text(reason, "reason", REASON_LENGTH)
    current = Invoice.objects.current().filter(parts__sheet=sheet).order_by("-pk").first()
    if current is None or sheet.status == Status.PAID:
        raise FinanceError(
            _("Sheet %(sheet)s is %(status)s: it cannot do that now.")
            % {"sheet": sheet, "status": sheet.get_status_display()},
            conflict=True,
        )
    if (current.number, current.issued_on, current.amount_incl_tax) == (
        number.strip(),
        invoiced_on,
        amount,
    ):
        raise FinanceError(_("The correction changes nothing on the invoice."))
    void = invoice_void(invoice=current, actor=actor, reason=reason)
    sheet.refresh_from_db()
    _whole_sheet_invoice(
        sheet, actor=actor, number=number, invoiced_on=invoiced_on, amount=amount, replaces=void
    )
    return SettlementSheet.objects.get(pk=sheet.pk)


@transaction.atomic
def sheet_pay(*, sheet: SettlementSheet, actor, paid_on: date) -> SettlementSheet:
    """The old `pay/`: a transfer of what is left to pay, without a voucher number; answers
    the sheet."""
    left = sheet_balance(sheet).left_to_pay
    if left <= 0:
        raise FinanceError(
            _("Sheet %(sheet)s is %(status)s: it cannot do that now.")
            % {"sheet": sheet, "status": sheet.get_status_display()},
            conflict=True,
        )
    payment_record(actor=actor, sheet=sheet, paid_on=paid_on, amount=left)
    return SettlementSheet.objects.get(pk=sheet.pk)


def calendar_recheck(before: Year, after: Year) -> list[Finding]:
    """SPEC §9: an invoice's deadlines counted on a year published again move to the new
    calendar, each move listed: its delivery (issue + 10 working days, 4.7) and its payment
    (receipt + 30, 4.6), and the payment due on its sheets with it."""
    first, last = date(after.number, 1, 1), date(after.number, 12, 31)
    deadlines = [
        ("delivery_due_by", "issued_on", DELIVERY_WORKDAYS, _("its delivery")),
        ("payment_due_by", "received_on", PAYMENT_WORKDAYS, _("its payment")),
    ]
    findings, moved = [], set()
    for field, start_field, workdays, what in deadlines:
        invoices = Invoice.objects.current().filter(
            **{f"{field}__gte": first, f"{start_field}__lte": last}
        )
        for invoice in invoices.select_related("contract"):
            due, before_due = (
                add_workdays(getattr(invoice, start_field), workdays),
                getattr(invoice, field),
            )
            if due == before_due:
                continue
            setattr(invoice, field, due)
            invoice.save(update_fields=[field])
            moved.add(invoice.pk)
            findings.append(
                Finding(
                    invoice.contract.buyer_id,
                    _("Invoice %(invoice)s: %(what)s is now due by %(new)s, not %(old)s.")
                    % {"invoice": invoice, "what": what, "new": due, "old": before_due},
                    reverse("invoice-detail", args=[invoice.pk]),
                )
            )
    _summarize(list(SettlementSheet.objects.filter(invoice_parts__invoice_id__in=moved).distinct()))
    return findings
