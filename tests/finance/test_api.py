"""`invoices/` and `payments/` (API.md): the vendor's PM and finance record invoices, finance
records their receipt and the payments, procurement accepts an ordinary invoice; lists filter by
contract, sheet, status, method and dates; a second code+number is a clear 400 (409 when it
loses a race), never a 500; another vendor's invoice or payment answers 404 everywhere."""

from datetime import date

import pytest

from finance.models import Invoice, Payment
from tests.finance.books import invoice, pay, signed_sheets  # noqa: F401
from tests.settlement.conftest import worked_example  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


def posted(sheets, number="YQ-1", **more) -> dict:
    """A and B's invoice as a client posts it: 54,474.95 = 51,391.47 + 3,083.48 at 6%."""
    contract = sheets[0].contract
    return {
        "sheets": [sheet.pk for sheet in sheets],
        "kind": "special",
        "number": number,
        "issued_on": "2026-11-04",
        "amount_incl_tax": "54474.95",
        "amount_excl_tax": "51391.47",
        "tax_rate": "0.06",
        "tax_amount": "3083.48",
        "seller_tax_id": contract.vendor.tax_id,
        "buyer_name": contract.buyer.name,
        "buyer_tax_id": contract.buyer.tax_id,
        **more,
    }


@pytest.fixture
def today(clock):
    clock(TODAY)


def test_the_vendor_records_an_invoice_and_finance_its_receipt(
    sheets, vendor_pm, finance, procurement, api, today
):
    """Received Friday 6 November: payment due 30 working days later, Friday 18 December."""
    a, b, _c = sheets
    assert api(procurement).post("/api/v1/invoices/", posted([a, b])).status_code == 403

    created = api(vendor_pm).post("/api/v1/invoices/", posted([a, b]), format="json")

    assert created.status_code == 201, created.json()
    body = created.json()
    assert sorted(body["sheets"]) == sorted([a.pk, b.pk])
    assert {key: body[key] for key in ("contract", "status", "flags")} == {
        "contract": a.contract_id,
        "status": "recorded",
        "flags": ["not_received"],
    }
    assert {part["sheet"]: part for part in body["parts"]} == {
        a.pk: {"sheet": a.pk, "amount_excl_tax": "42900.90", "amount_incl_tax": "45474.95"},
        b.pk: {"sheet": b.pk, "amount_excl_tax": "8490.57", "amount_incl_tax": "9000.00"},
    }
    assert (body["delivery_due_by"], body["payment_due_by"]) == ("2026-11-18", None)
    url = f"/api/v1/invoices/{body['id']}/"
    assert api(vendor_pm).post(f"{url}receive/", {"received_on": "2026-11-06"}).status_code == 403
    received = api(finance).post(f"{url}receive/", {"received_on": "2026-11-06"}).json()
    assert (received["payment_due_by"], received["flags"]) == ("2026-12-18", [])
    sheet = api(finance).get(f"/api/v1/settlements/{a.pk}/").json()
    assert (sheet["status"], sheet["invoice_number"], sheet["payment_due_by"]) == (
        "invoiced",
        "YQ-1",
        "2026-12-18",
    )


def test_a_refused_invoice_names_the_field_and_a_second_number_is_a_400(
    sheets, vendor_pm, api, today
):
    a, b, c = sheets
    wrong = api(vendor_pm).post("/api/v1/invoices/", posted([a, b], amount_incl_tax="54474.96"))
    assert wrong.status_code == 400
    assert list(wrong.json()) == ["amount_incl_tax"]
    assert api(vendor_pm).post("/api/v1/invoices/", posted([a, b])).status_code == 201

    again = api(vendor_pm).post(
        "/api/v1/invoices/",
        posted([c], amount_incl_tax="18000.00", amount_excl_tax="16981.13", tax_amount="1018.87"),
    )

    assert (again.status_code, again.json()) == (400, {"number": ["发票 YQ-1 已登记过。"]})


def test_void_accept_ordinary_and_history(sheets, vendor_pm, procurement, finance, api, today):
    recorded = invoice([sheets[2]], vendor_pm, "PT-1", date(2026, 11, 5), "18000.00",
                       "16981.13", "1018.87", kind=Invoice.Kind.ORDINARY)  # fmt: skip
    url = f"/api/v1/invoices/{recorded.pk}/"
    assert api(finance).get(url).json()["flags"] == ["not_received", "ordinary_not_accepted"]
    assert api(finance).post(f"{url}accept-ordinary/").status_code == 403

    accepted = api(procurement).post(f"{url}accept-ordinary/").json()
    assert (accepted["flags"], accepted["ordinary_accepted_by"]) == (
        ["not_received"],
        procurement.pk,
    )
    assert api(procurement).post(f"{url}void/", {"reason": "错开"}).status_code == 403
    assert api(vendor_pm).post(f"{url}void/", {}).status_code == 400
    void = api(vendor_pm).post(f"{url}void/", {"reason": "税率应为3%"}).json()

    assert (void["status"], void["void_reason"], void["flags"]) == ("void", "税率应为3%", [])
    history = api(finance).get(f"{url}history/").json()
    assert [entry["user"] for entry in history][:2] == [str(vendor_pm), str(procurement)]
    assert api(vendor_pm).post(f"{url}void/", {"reason": "again"}).status_code == 409


def test_finance_records_payments_and_the_lists_filter(sheets, vendor_pm, finance, api, today):
    a, b, _c = sheets
    invoice([a, b], vendor_pm, "YQ-1", date(2026, 11, 4), "54474.95", "51391.47", "3083.48")
    payment = {
        "sheet": a.pk,
        "paid_on": "2026-11-20",
        "amount": "20000.00",
        "voucher_number": "记-1",
    }
    assert api(vendor_pm).post("/api/v1/payments/", payment).status_code == 403
    assert (
        api(finance).post("/api/v1/payments/", {**payment, "voucher_number": ""}).status_code == 400
    )

    first = api(finance).post("/api/v1/payments/", payment)
    over = api(finance).post("/api/v1/payments/", {**payment, "amount": "25474.96"})
    bill = api(finance).post(
        "/api/v1/payments/",
        {
            **payment,
            "paid_on": "2026-11-27",
            "amount": "25,474.95",
            "method": "acceptance_bill",
            "bill_number": "BA-1",
            "bill_maturity": "2027-05-27",
            "bill_discount_terms": "到期承兑",
            "voucher_number": "记-2",
        },
    )

    assert first.status_code == 201, first.json()
    assert (first.json()["contract"], first.json()["amount"]) == (a.contract_id, "20000.00")
    assert over.status_code == 400 and "仅剩 25,474.95 元待付" in over.json()["amount"][0]
    assert bill.status_code == 201, bill.json()
    listed = api(finance).get("/api/v1/payments/", {"method": "acceptance_bill"}).json()
    assert [row["voucher_number"] for row in listed["results"]] == ["记-2"]
    in_range = (
        api(finance)
        .get("/api/v1/payments/", {"paid_from": "2026-11-21", "paid_to": "2026-11-30"})
        .json()
    )
    assert in_range["count"] == 1
    assert api(finance).get("/api/v1/payments/", {"sheet": b.pk}).json()["count"] == 0
    assert api(finance).get(f"/api/v1/settlements/{a.pk}/").json()["status"] == "paid"
    invoices = api(finance).get("/api/v1/invoices/", {"sheet": a.pk, "status": "recorded"}).json()
    assert [row["number"] for row in invoices["results"]] == ["YQ-1"]
    by_contract = api(finance).get("/api/v1/invoices/", {"contract": a.contract_id}).json()
    assert by_contract["count"] == 1


def test_another_vendors_invoices_and_payments_answer_404_everywhere(
    sheets, vendor_pm, finance, other_vendor_pm, api, today
):
    a = sheets[0]
    recorded = invoice([a], vendor_pm, "YQ-1", date(2026, 11, 4), "45474.95", "42900.90",
                       "2574.05")  # fmt: skip
    payment = pay(a, finance, TODAY, "100.00", "记-1")
    stranger = api(other_vendor_pm)
    url = f"/api/v1/invoices/{recorded.pk}/"

    assert stranger.get("/api/v1/invoices/").json()["count"] == 0
    assert stranger.get("/api/v1/payments/").json()["count"] == 0
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{url}history/").status_code == 404
    for action, body in (("void/", {"reason": "x"}), ("receive/", {"received_on": "2026-11-27"})):
        assert stranger.post(f"{url}{action}", body).status_code == 404
    assert stranger.get(f"/api/v1/payments/{payment.pk}/").status_code == 404
    # Recording against its sheets: they do not exist for it.
    created = stranger.post("/api/v1/invoices/", posted([a], number="X-1"))
    assert created.status_code == 400 and "sheets" in created.json()
    for path in ("invoice/", "correct-invoice/", "pay/"):
        assert stranger.post(f"/api/v1/settlements/{a.pk}/{path}", {}).status_code == 404
    # Its own vendor reads them.
    assert api(vendor_pm).get(url).status_code == 200
    assert api(vendor_pm).get(f"/api/v1/payments/{payment.pk}/").status_code == 200
    assert Payment.objects.count() == 1
