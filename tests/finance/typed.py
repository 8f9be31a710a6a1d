"""Invoices and payments as a user types them in the sheet page's finance forms."""

from finance.models import Invoice


def typed_invoice(*sheets, number, issued_on, incl, excl, tax, rate="0.06", **more) -> dict:
    """The invoice form of the sheets' finance panel, the parties as the contract names them."""
    contract = sheets[0].contract
    return {
        "sheets": [sheet.pk for sheet in sheets],
        "kind": more.pop("kind", Invoice.Kind.SPECIAL),
        "medium": more.pop("medium", Invoice.Medium.ELECTRONIC),
        "number": number,
        "issued_on": issued_on,
        "amount_incl_tax": incl,
        "amount_excl_tax": excl,
        "tax_rate": rate,
        "tax_amount": tax,
        "seller_tax_id": contract.vendor.tax_id,
        "buyer_name": contract.buyer.name,
        "buyer_tax_id": contract.buyer.tax_id,
        **more,
    }


def typed_payment(*, paid_on, amount, voucher="记-1", **more) -> dict:
    return {
        "paid_on": paid_on,
        "amount": amount,
        "method": more.pop("method", "transfer"),
        "voucher_number": voucher,
        **more,
    }
