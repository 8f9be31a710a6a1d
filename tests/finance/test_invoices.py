"""Invoices as they really arrive (4.6, 4.6.2, 4.6.5, 4.7): one covers one or more signed sheets
of a contract wholly, or part of one; its total must equal what they have left to invoice (at
another VAT rate, excl. tax, each sheet then owing its excl. plus its share of the invoice's
tax); the parties, the dates and the code+number are checked, each refusal naming the figures;
an ordinary invoice is flagged until procurement accepts it; the sheet's own invoice fields sum
its invoices up; delivery falls due 10 working days after issue, payment 30 after receipt."""

from datetime import date
from decimal import Decimal

import pytest

from finance.models import Invoice, InvoiceSheet
from finance.services import (
    FinanceError,
    invoice_accept_ordinary,
    invoice_receive,
    invoice_record,
    sheet_balance,
)
from settlement.models import SettlementSheet
from tests.finance.books import (  # noqa: F401
    BUYER_TAX_ID,
    SIGNED_ON,
    VENDOR_TAX_ID,
    invoice,
    signed_sheets,
)
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)  # a Friday


@pytest.fixture
def today(clock):
    clock(TODAY)


def refused(match):
    """The refusal a call raises, its message matching `match`."""
    return pytest.raises(FinanceError, match=match)


def parts(invoice_) -> list[tuple]:
    return [
        (part.sheet_id, part.amount_excl_tax, part.amount_incl_tax)
        for part in InvoiceSheet.objects.filter(invoice=invoice_).order_by("pk")
    ]


def reread(*sheets):
    return [SettlementSheet.objects.get(pk=sheet.pk) for sheet in sheets]


def test_an_invoice_of_one_sheet_at_its_rate_and_its_deadlines(sheets, finance, today):
    """A, the worked example: 45,474.95 = 42,900.90 excl. + 2,574.05 tax at 6%. Issued Wednesday
    4 November, delivered within 10 working days (4.7): 5, 6, 9–13, 16, 17, 18 November →
    Wednesday 18 November. Received Friday 6 November, paid within 30 working days of receipt
    (4.6): 9–13, 16–20, 23–27 November, 30 November–4 December, 7–11 and 14–18 December, five
    each → Friday 18 December. The sheet's own invoice deadline stays signing + 10 working days:
    Monday 2 November → 3–6, 9–13, 16 November → Monday 16 November."""
    a = sheets[0]

    recorded = invoice([a], finance, "YQ-1", date(2026, 11, 4), "45474.95", "42900.90",
                       "2574.05", received_on=date(2026, 11, 6))  # fmt: skip

    assert (recorded.delivery_due_by, recorded.payment_due_by) == (
        date(2026, 11, 18),
        date(2026, 12, 18),
    )
    assert parts(recorded) == [(a.pk, Decimal("42900.90"), Decimal("45474.95"))]
    (a,) = reread(a)
    assert (
        a.status,
        a.invoice_number,
        a.invoice_amount,
        a.invoiced_on,
        a.payment_due_by,
        a.invoice_due_by,
    ) == (
        "invoiced",
        "YQ-1",
        Decimal("45474.95"),
        date(2026, 11, 4),
        date(2026, 12, 18),
        date(2026, 11, 16),
    )


def test_two_sheets_on_one_invoice(sheets, vendor_pm, today):
    """A and B: 45,474.95 + 9,000.00 = 54,474.95 incl.; 42,900.90 + 8,490.57 = 51,391.47 excl.;
    2,574.05 + 509.43 = 3,083.48 tax. Each sheet's part is its own amount; both are invoiced.
    Not yet received: no payment is due yet."""
    a, b, _c = sheets

    recorded = invoice([a, b], vendor_pm, "YQ-2", date(2026, 11, 4), "54474.95", "51391.47",
                       "3083.48")  # fmt: skip

    assert recorded.payment_due_by is None
    assert parts(recorded) == [
        (a.pk, Decimal("42900.90"), Decimal("45474.95")),
        (b.pk, Decimal("8490.57"), Decimal("9000.00")),
    ]
    a, b = reread(a, b)
    assert [(s.status, s.invoice_number, s.invoice_amount, s.payment_due_by) for s in (a, b)] == [
        ("invoiced", "YQ-2", Decimal("45474.95"), None),
        ("invoiced", "YQ-2", Decimal("9000.00"), None),
    ]


def test_tax_worked_on_the_combined_amount_may_differ_by_a_cent_a_sheet(sheets, vendor_pm, today):
    """A and B on one invoice whose tax is worked on the combined amount: 51,391.47 × 6% =
    3,083.4882 → 3,083.49, so 54,474.96 incl., a cent over the sheets' 54,474.95. Accepted (the
    amount excl. tax is theirs); the printed tax is shared by their excl.: A 3,083.49 × 42,900.90
    / 51,391.47 = 2,574.0555… and B 509.4344…, each rounded down (2,574.05 + 509.43 = 3,083.48)
    and the cent left to the larger remainder, A's: A owes 42,900.90 + 2,574.06 = 45,474.96, B
    8,490.57 + 509.43 = 9,000.00. A tax other than 6% of the combined amount is refused."""
    a, b, _c = sheets

    with pytest.raises(FinanceError, match=r"54,474\.95"):
        invoice([a, b], vendor_pm, "YQ-2C", date(2026, 11, 4), "54474.97", "51391.47", "3083.50")
    recorded = invoice([a, b], vendor_pm, "YQ-2C", date(2026, 11, 4), "54474.96", "51391.47",
                       "3083.49")  # fmt: skip

    assert parts(recorded) == [
        (a.pk, Decimal("42900.90"), Decimal("45474.96")),
        (b.pk, Decimal("8490.57"), Decimal("9000.00")),
    ]


def test_the_vendor_does_not_record_the_buyers_receipt(sheets, vendor_pm, today):
    """4.6: payment counts from the day the buyer received the invoice; the vendor cannot give
    that day (finance records it)."""
    a, _b, _c = sheets

    with pytest.raises(FinanceError, match="请留空") as refused:
        invoice([a], vendor_pm, "YQ-R", date(2026, 11, 4), "45474.95", "42900.90", "2574.05",
                received_on=date(2026, 11, 4))  # fmt: skip

    assert refused.value.field == "received_on"
    assert not Invoice.objects.filter(number="YQ-R").exists()


def test_a_total_other_than_the_sheets_is_refused_naming_both(sheets, vendor_pm, today):
    a, b, _c = sheets

    with refused(match="发票含税金额 54,474.96 元与所开结算单尚未开票的 54,474.95 元不符"):
        invoice([a, b], vendor_pm, "YQ-3", date(2026, 11, 4), "54474.96", "51391.48", "3083.48")
    with refused(match="不含税 51,391.47 元加税额 3,083.48 元为 54,474.95 元，而非 54,474.96 元"):
        invoice([a, b], vendor_pm, "YQ-3", date(2026, 11, 4), "54474.96", "51391.47", "3083.48")

    assert not Invoice.objects.exists()
    assert [s.status for s in reread(a, b)] == ["signed", "signed"]


def test_at_another_rate_the_payable_is_excl_plus_the_invoices_tax(sheets, vendor_pm, today):
    """4.6.5: A invoiced at 3%: 42,900.90 excl. × 3% = 1,287.027 → 1,287.03 tax printed; A now
    owes 42,900.90 + 1,287.03 = 44,187.93, not its 45,474.95."""
    a = sheets[0]

    recorded = invoice([a], vendor_pm, "YQ-4", date(2026, 11, 4), "44187.93", "42900.90",
                       "1287.03", rate="0.03")  # fmt: skip

    assert parts(recorded) == [(a.pk, Decimal("42900.90"), Decimal("44187.93"))]
    (a,) = reread(a)
    assert (a.status, a.invoice_amount) == ("invoiced", Decimal("44187.93"))
    assert sheet_balance(a).left_to_pay == Decimal("44187.93")


def test_at_another_rate_several_sheets_share_the_tax_by_their_excl(sheets, vendor_pm, today):
    """4.6.5 over A and C at 3%: excl. 42,900.90 + 16,981.13 = 59,882.03; tax 59,882.03 × 3% =
    1,796.4609 → 1,796.46; total 61,678.49. A's share of the tax: 1,796.46 × 42,900.90 /
    59,882.03 = 77,069,750.81 / 59,882.03 = 1,287.0255… → 1,287.03; C takes the rest,
    1,796.46 − 1,287.03 = 509.43. A owes 44,187.93, C 16,981.13 + 509.43 = 17,490.56."""
    a, _b, c = sheets
    # B and C at 3%: their excl. is 8,490.57 + 16,981.13 = 25,471.70, not 25,471.71.
    with refused(match="按 3% 开票（非结算单税率）时，发票不含税金额应与结算单相同（4.6.5）"):
        invoice(sheets[1:], vendor_pm, "YQ-6", date(2026, 11, 4), "26235.86", "25471.71",
                "764.15", rate="0.03")  # fmt: skip

    recorded = invoice([a, c], vendor_pm, "YQ-5", date(2026, 11, 4), "61678.49", "59882.03",
                       "1796.46", rate="0.03")  # fmt: skip

    assert parts(recorded) == [
        (a.pk, Decimal("42900.90"), Decimal("44187.93")),
        (c.pk, Decimal("16981.13"), Decimal("17490.56")),
    ]


def test_one_sheet_is_invoiced_in_parts_never_past_what_is_left(sheets, vendor_pm, today):
    """A in two invoices (an invoice has a legal maximum): 20,000.00 first (20,000.00 / 1.06 =
    18,867.924… → 18,867.92 excl., 1,132.08 tax), leaving 45,474.95 − 20,000.00 = 25,474.95;
    then exactly that (25,474.95 / 1.06 = 24,032.971… → 24,032.97 printed, tax 1,441.98), whose
    part takes the rest of A's excl.: 42,900.90 − 18,867.92 = 24,032.98."""
    a = sheets[0]
    first = invoice([a], vendor_pm, "YQ-P1", date(2026, 11, 4), "20000.00", "18867.92",
                    "1132.08")  # fmt: skip
    (a,) = reread(a)
    assert (a.status, a.invoice_number, a.invoice_amount) == (
        "signed",
        "YQ-P1",
        Decimal("20000.00"),
    )

    with refused(match="结算单 .* 尚有 25,474.95 元（含税）未开票：本张发票 25,474.96 元超出"):
        invoice([a], vendor_pm, "YQ-P2", date(2026, 11, 5), "25474.96", "24032.98", "1441.98")
    second = invoice([a], vendor_pm, "YQ-P2", date(2026, 11, 5), "25474.95", "24032.97",
                     "1441.98")  # fmt: skip

    assert parts(first) == [(a.pk, Decimal("18867.92"), Decimal("20000.00"))]
    assert parts(second) == [(a.pk, Decimal("24032.98"), Decimal("25474.95"))]
    (a,) = reread(a)
    assert (a.status, a.invoice_number, a.invoice_amount, a.invoiced_on) == (
        "invoiced",
        "YQ-P1, YQ-P2",
        Decimal("45474.95"),
        date(2026, 11, 5),
    )
    with refused(match="已全额开票"):
        invoice([a], vendor_pm, "YQ-P3", date(2026, 11, 5), "1.06", "1.00", "0.06")


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("buyer_name", "咪咕文化科技有限公司",
         "发票购买方为“咪咕文化科技有限公司”，合同甲方为“咪咕音乐有限公司”"),
        ("buyer_tax_id", "91440300MA5F000009",
         "发票购买方纳税人识别号为 91440300MA5F000009，咪咕音乐有限公司的为 91440300MA5F000001"),
        ("seller_tax_id", "91440300MA5F000009",
         "发票销售方纳税人识别号为 91440300MA5F000009，甲供应商有限公司的为 91440300MA5F000002"),
    ],
)  # fmt: skip
def test_the_parties_must_be_the_contracts(sheets, vendor_pm, today, field, typed, message):
    """4.6.2: the buyer's name and taxpayer ID as 开票信息 gives them, the vendor's ID."""
    printed = {
        "seller_tax_id": VENDOR_TAX_ID,
        "buyer_name": "咪咕音乐有限公司",
        "buyer_tax_id": BUYER_TAX_ID,
        field: typed,
    }
    with refused(match=message):
        invoice_record(
            actor=vendor_pm,
            sheets=[sheets[0]],
            kind=Invoice.Kind.SPECIAL,
            number="YQ-7",
            issued_on=date(2026, 11, 4),
            amount_incl_tax=Decimal("45474.95"),
            amount_excl_tax=Decimal("42900.90"),
            tax_rate=Decimal("0.06"),
            tax_amount=Decimal("2574.05"),
            **printed,
        )


def test_an_issue_date_in_the_future_or_before_signing_is_refused(sheets, vendor_pm, today):
    a = sheets[0]
    amounts = ("45474.95", "42900.90", "2574.05")

    with refused(match="开票日期 2026-11-28 晚于今天（2026-11-27），请填写发票的实际开具日期。"):
        invoice([a], vendor_pm, "YQ-8", date(2026, 11, 28), *amounts)
    with refused(match="开票日期 2026-11-01 早于结算单 .* 的签署日期（2026-11-02）"):
        invoice([a], vendor_pm, "YQ-8", date(2026, 11, 1), *amounts)
    with refused(match="收到发票的日期应在开票日（2026-11-04）与今天（2026-11-27）之间"):
        invoice([a], vendor_pm, "YQ-8", date(2026, 11, 4), *amounts, received_on=date(2026, 11, 3))
    assert invoice([a], vendor_pm, "YQ-8", SIGNED_ON, *amounts).issued_on == SIGNED_ON


def test_the_same_code_and_number_twice_is_refused(sheets, vendor_pm, finance, today):
    a, b, _c = sheets
    invoice([a], vendor_pm, "00012345", date(2026, 11, 4), "45474.95", "42900.90", "2574.05",
            code="044002600111")  # fmt: skip

    with refused(match="发票 044002600111 00012345 已登记过"):
        invoice([b], finance, "00012345", date(2026, 11, 4), "9000.00", "8490.57", "509.43",
                code="044002600111")  # fmt: skip
    # Another code, the same number: another invoice.
    invoice([b], finance, "00012345", date(2026, 11, 4), "9000.00", "8490.57", "509.43",
            code="044002600112")  # fmt: skip


def test_only_signed_sheets_of_one_contract_are_invoiced(
    sheets, other_active_contract, vendor_pm, today
):
    a = sheets[0]
    draft = SettlementSheet.objects.create(
        contract=a.contract, order=a.order, month=date(2026, 9, 1), payable_incl_tax=100
    )
    elsewhere = SettlementSheet.objects.create(
        contract=other_active_contract,
        order=a.order,
        month=date(2026, 8, 1),
        status="signed",
        payable_incl_tax=100,
    )

    with pytest.raises(
        FinanceError, match="状态为“草稿”：只有已签署的结算单才能开票"
    ) as draft_error:
        invoice([a, draft], vendor_pm, "YQ-9", date(2026, 11, 4), "45574.95", "42995.24",
                "2579.71")  # fmt: skip
    with refused(match="一张发票只能开具同一合同的结算单"):
        invoice([a, elsewhere], vendor_pm, "YQ-9", date(2026, 11, 4), "45574.95", "42995.24",
                "2579.71")  # fmt: skip
    assert draft_error.value.status == 409


def test_an_ordinary_invoice_is_flagged_until_procurement_accepts_it(
    sheets, vendor_pm, procurement, today
):
    """4.3 expects a VAT special invoice: an ordinary one is recorded, and flagged."""
    recorded = invoice([sheets[1]], vendor_pm, "PT-1", date(2026, 11, 4), "9000.00", "8490.57",
                       "509.43", kind=Invoice.Kind.ORDINARY)  # fmt: skip
    assert recorded.awaits_acceptance
    assert Invoice.flow.allowed(recorded, procurement) == {"accept-ordinary", "receive"}

    accepted = invoice_accept_ordinary(invoice=recorded, actor=procurement)

    assert not accepted.awaits_acceptance
    assert accepted.ordinary_accepted_by == procurement
    assert accepted.history.first().history_user == procurement
    with pytest.raises(FinanceError) as twice:
        invoice_accept_ordinary(invoice=accepted, actor=procurement)
    assert twice.value.status == 409


def test_the_receipt_recorded_later_starts_the_payment_term(sheets, vendor_pm, finance, today):
    """Issued Wednesday 4 November, received Monday 23 November: due 30 working days later,
    23 November + 30: 24–27 November (4), 30 November–4 December (9), 7–11 (14), 14–18 (19),
    21–25 (24), 28–31 December (28), 1 January 2027 is a holiday, 4 and 5 January (30) →
    Tuesday 5 January 2027; the sheet's payment due with it."""
    a = sheets[0]
    recorded = invoice([a], vendor_pm, "YQ-10", date(2026, 11, 4), "45474.95", "42900.90",
                       "2574.05")  # fmt: skip
    with refused(match="收到发票的日期应在开票日（2026-11-04）与今天（2026-11-27）之间"):
        invoice_receive(invoice=recorded, actor=finance, received_on=date(2026, 11, 28))

    received = invoice_receive(invoice=recorded, actor=finance, received_on=date(2026, 11, 23))

    assert received.payment_due_by == date(2027, 1, 5)
    (a,) = reread(a)
    assert a.payment_due_by == date(2027, 1, 5)
    with pytest.raises(FinanceError) as twice:
        invoice_receive(invoice=received, actor=finance, received_on=date(2026, 11, 24))
    assert twice.value.status == 409
