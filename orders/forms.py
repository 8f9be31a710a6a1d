from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DecimalField, UnlabelledFieldsMixin
from core.views import MAX_FORM_ROWS
from orders.models import Order, PaymentPlanItem, Termination
from orders.services import ORDER_FIELDS

TEXTAREA = forms.Textarea(attrs={"rows": 3})
# A text box, not type=number: the browser would blank "120,000.00" before the server (which
# takes thousands separators) ever saw it.
NUMBER = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["contract", *ORDER_FIELDS]
        widgets = {
            "service_start": DateInput(),
            "service_end": DateInput(),
            **{
                name: TEXTAREA
                for name in (
                    "service_items",
                    "requirements",
                    "commissioned_content",
                    "assessment_and_settlement",
                    "special_notes",
                )
            },
        }

    def __init__(self, *args, contracts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts
        if self.instance.pk:
            del self.fields["contract"]


class OrderLineForm(UnlabelledFieldsMixin, forms.Form):
    line = forms.ChoiceField(label=_("Role and level"), required=False)
    planned_quantity = DecimalField(
        label=_("Person-days"),
        max_digits=10,
        decimal_places=1,
        min_value=0.5,
        required=False,
        widget=NUMBER,
    )

    def __init__(self, *args, rate_card=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [("", "—")] + [
            (f"{line.role}|{line.level}", f"{line.role} {line.level}") for line in rate_card
        ]

    def clean(self):
        data = super().clean()
        if data.get("line") and not data.get("planned_quantity"):
            self.add_error("planned_quantity", _("Give the planned person-days."))
        return data

    def as_line(self):
        data = self.cleaned_data
        if not data.get("line"):
            return None
        role, level = data["line"].split("|", 1)
        return {"role": role, "level": level, "planned_quantity": data["planned_quantity"]}


class PaymentPlanForm(UnlabelledFieldsMixin, forms.Form):
    stage = forms.CharField(label=_("Payment stage"), max_length=100, required=False)
    condition = forms.CharField(label=_("Payment condition"), max_length=300, required=False)
    amount_incl_tax = DecimalField(
        label=_("Amount incl. tax"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=NUMBER,
    )
    ratio = DecimalField(
        label=_("Ratio"),
        max_digits=5,
        decimal_places=4,
        min_value=0,
        max_value=1,
        required=False,
        widget=NUMBER,
        help_text=_("0.3 for 30%"),
    )
    note = forms.CharField(label=_("Stage note"), max_length=300, required=False)
    due_after_months = forms.IntegerField(
        label=_("Due after months"), min_value=0, max_value=36, required=False
    )
    assessed_months = forms.IntegerField(
        label=_("Assessed over months"),
        min_value=1,
        max_value=36,
        required=False,
        help_text=_("The KPI period the payment rests on (6: the half-year, 12: the year)."),
    )
    # Left out (an older form, a script): the model's default, pay on its date then true up.
    settle_rule = forms.TypedChoiceField(
        label=_("Settle rule"),
        choices=PaymentPlanItem.SettleRule.choices,
        required=False,
        empty_value=PaymentPlanItem.SettleRule.TRUE_UP,
    )

    def clean(self):
        data = super().clean()
        if data.get("stage") and (data.get("amount_incl_tax") is None or data.get("ratio") is None):
            raise forms.ValidationError(_("A payment stage needs its amount and ratio."))
        return data

    def as_item(self):
        return dict(self.cleaned_data) if self.cleaned_data.get("stage") else None


# As many lines as the page's script adds, up to the rows any form of the portal takes.
LineFormSet = forms.formset_factory(
    OrderLineForm, extra=0, max_num=MAX_FORM_ROWS, absolute_max=MAX_FORM_ROWS, validate_max=True
)
PaymentPlanFormSet = forms.formset_factory(PaymentPlanForm, extra=0)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment"))


class AcceptanceForm(forms.Form):
    """验收 of one of the order's months or milestones not yet accepted (`acceptance_work`)."""

    work = forms.ChoiceField(label=_("Month or milestone"))
    accepted_on = forms.DateField(label=_("Accepted on"), widget=DateInput())
    note = forms.CharField(
        label=_("Acceptance note"), required=False, max_length=2000, widget=TEXTAREA
    )
    file = forms.FileField(
        label=_("Acceptance record"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint or images, up to 20 MB."),
    )

    def __init__(self, *args, work, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_work = {w.key: w for w in work if w.acceptance is None}
        self.fields["work"].choices = [(key, w.label) for key, w in self.open_work.items()]

    def accepted(self) -> dict:
        """What `acceptance_record` takes."""
        work = self.open_work[self.cleaned_data["work"]]
        return {
            "month": work.month,
            "payment_item": work.payment_item,
            "accepted_on": self.cleaned_data["accepted_on"],
            "note": self.cleaned_data["note"],
            "upload": self.cleaned_data["file"],
        }


class TerminationForm(forms.Form):
    """解除: how, under which clause, from when, and why (`orders.terminations`)."""

    kind = forms.ChoiceField(label=_("How it ends"), choices=Termination.Kind.choices)
    clause = forms.ChoiceField(
        label=_("Clause"),
        required=False,
        choices=[("", _("The kind's usual clause")), *Termination.Clause.choices],
    )
    effective_on = forms.DateField(
        label=_("Effective on"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "By agreement: the agreed date. For breach: empty for at once. With notice (11.5): "
            "empty, 30 days after today."
        ),
    )
    reason = forms.CharField(label=_("Reason"), max_length=2000, widget=TEXTAREA)


class TerminationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=2000, widget=TEXTAREA)


class TerminationWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason of the withdrawal"), max_length=300)
