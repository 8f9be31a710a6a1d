from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import DEFAULT_TAX_RATE, Amendment, FrameworkContract, TaxRate
from core.forms import DateInput, DecimalField, UnlabelledFieldsMixin
from core.models import Organization


class ContractForm(forms.ModelForm):
    tax_rate = DecimalField(
        label=_("VAT rate"),
        max_digits=5,
        decimal_places=4,
        initial=DEFAULT_TAX_RATE,
        help_text=_("e.g. 0.06 for 6%"),
    )

    class Meta:
        model = FrameworkContract
        fields = [
            "code",
            "name",
            "buyer",
            "vendor",
            "signed_on",
            "start_date",
            "end_date",
            "ceiling_incl_tax",
            "settlement_mode",
        ]
        widgets = {"signed_on": DateInput(), "start_date": DateInput(), "end_date": DateInput()}
        field_classes = {"ceiling_incl_tax": DecimalField}
        help_texts = {
            "start_date": _("Empty: the signing date."),
            "end_date": _("Empty: one year from the start (clause 4.2)."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organizations = Organization.objects.visible_to(user)
        self.fields["buyer"].queryset = organizations.filter(kind=Organization.Kind.BUYER)
        self.fields["vendor"].queryset = organizations.filter(kind=Organization.Kind.VENDOR)
        self.fields["buyer"].initial = user.organization_id
        self.fields["start_date"].required = False
        self.fields["end_date"].required = False


class RateCardImportForm(forms.Form):
    file = forms.FileField(
        label=_("Rate card workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class TaxRateForm(UnlabelledFieldsMixin, forms.ModelForm):
    class Meta:
        model = TaxRate
        fields = ["effective_from", "rate"]
        field_classes = {"rate": DecimalField}
        widgets = {
            "effective_from": DateInput(),
            "rate": forms.NumberInput(attrs={"step": "0.0001", "placeholder": "0.06"}),
        }


ADDED_ROWS = 3  # blank rows for lines an amendment adds


class AmendmentForm(forms.ModelForm):
    """A 补充协议's terms; its price changes come as `price_<line id>` (a new price excl. tax
    per rate-card line) and its added lines as `added-<n>-<field>` rows."""

    class Meta:
        model = Amendment
        fields = [
            "effective_from",
            "ceiling_incl_tax",
            "end_date",
            "tax_rate",
            "assessment_template",
            "description",
        ]
        field_classes = {"ceiling_incl_tax": DecimalField, "tax_rate": DecimalField}
        widgets = {
            "effective_from": DateInput(),
            "end_date": DateInput(),
            "tax_rate": forms.NumberInput(attrs={"step": "0.0001", "placeholder": "0.06"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "effective_from": _("The first day of a month: sheets of earlier months never change."),
            "ceiling_incl_tax": _("Empty: unchanged."),
            "end_date": _("Empty: unchanged."),
            "tax_rate": _("Empty: unchanged (e.g. 0.03 for 3%)."),
            "assessment_template": _("A later published version of the contract's template."),
        }

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        current = contract.assessment_template
        templates = self.fields["assessment_template"].queryset.filter(
            buyer=contract.buyer, status="published"
        )
        self.fields["assessment_template"].queryset = (
            templates.filter(name=current.name, version__gt=current.version)
            if current
            else templates.none()
        )
