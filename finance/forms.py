from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DecimalField
from finance.models import Invoice, Payment
from settlement.models import SettlementSheet

# The VAT rates an invoice may print (增值税: 13%, 9%, 6%; 5%, 3% and 1% levied at a reduced or
# simplified rate; 0%).
RATES = [Decimal(rate) for rate in ("0.13", "0.09", "0.06", "0.05", "0.03", "0.01", "0")]


def _money(label) -> DecimalField:
    """Yuan as typed, thousands separators too (core.numbers): a text input, not a number's."""
    return DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class InvoiceForm(forms.Form):
    """An invoice as printed, and the sheets it covers (several wholly, or one in part)."""

    sheets = forms.ModelMultipleChoiceField(
        SettlementSheet.objects.none(), label=_("Settlement sheets")
    )
    kind = forms.ChoiceField(choices=Invoice.Kind.choices, label=_("Invoice type"))
    medium = forms.ChoiceField(choices=Invoice.Medium.choices, label=_("Medium"))
    code = forms.CharField(label=_("Invoice code"), max_length=20, required=False)
    number = forms.CharField(label=_("Invoice number"), max_length=50)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    received_on = forms.DateField(label=_("Received on"), widget=DateInput(), required=False)
    amount_incl_tax = _money(_("Amount incl. tax"))
    amount_excl_tax = _money(_("Amount excl. tax"))
    tax_rate = forms.TypedChoiceField(
        choices=[(str(rate), f"{rate * 100:g}%") for rate in RATES],
        coerce=Decimal,
        label=_("Tax rate"),
    )
    tax_amount = _money(_("Tax"))
    seller_tax_id = forms.CharField(label=_("Seller's taxpayer ID"), max_length=30)
    buyer_name = forms.CharField(label=_("Buyer's name"), max_length=200)
    buyer_tax_id = forms.CharField(label=_("Buyer's taxpayer ID"), max_length=30)
    replaces = forms.ModelChoiceField(
        Invoice.objects.none(), label=_("Replaces invoice"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheets"].queryset = SettlementSheet.objects.visible_to(user)
        self.fields["replaces"].queryset = Invoice.objects.visible_to(user)


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput())


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=Invoice._meta.get_field("void_reason").max_length
    )


class PaymentForm(forms.Form):
    """A payment as finance's voucher records it (4.6.1)."""

    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    amount = _money(_("Amount"))
    method = forms.ChoiceField(choices=Payment.Method.choices, label=_("Method"))
    bill_number = forms.CharField(label=_("Bill number"), max_length=50, required=False)
    bill_maturity = forms.DateField(label=_("Bill maturity"), widget=DateInput(), required=False)
    bill_discount_terms = forms.CharField(label=_("Discount terms"), max_length=200, required=False)
    payer_bank_name = forms.CharField(label=_("Payer's bank"), max_length=200, required=False)
    payer_account = forms.CharField(label=_("Payer's account"), max_length=50, required=False)
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=50)
    note = forms.CharField(label=_("Note on the payment"), max_length=300, required=False)
