from django import forms
from django.utils.translation import gettext_lazy as _

from contracts.models import RateCardLine
from core.forms import DateInput
from staffing.models import StaffMember
from staffing.selectors import roster_roles


class StaffForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        help_text=_("Stored only as a match key; shown masked."),
    )
    exception_reason = forms.CharField(
        label=_("Exception requested because"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Only if the person is below the rule")}),
    )

    class Meta:
        model = StaffMember
        fields = [
            "name",
            "id_number",
            "phone",
            "education",
            "years_experience",
            "role",
            "level",
            "start_date",
            "replaces",
            "exception_reason",
        ]
        widgets = {"start_date": DateInput()}

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        roles, levels = roster_roles(contract)
        self.fields["role"] = forms.ChoiceField(label=_("Role"), choices=[(r, r) for r in roles])
        self.fields["level"] = forms.ChoiceField(
            label=_("Level"),
            choices=[(v, v or RateCardLine.Level.NONE.label) for v in levels],
            required=False,
        )
        self.fields["replaces"].queryset = contract.staff.exclude(status=StaffMember.Status.LEFT)
        self.fields["replaces"].required = False


class NoticeForm(forms.Form):
    notice_date = forms.DateField(label=_("Notice given on"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ReplacementDemandForm(ReasonForm):
    due = forms.DateField(
        label=_("Replacement due"),
        required=False,
        widget=DateInput(),
        help_text=_("10 working days from today unless another day is set (3.2.4)."),
    )


class NameReplacementForm(forms.Form):
    replacement = forms.ModelChoiceField(
        label=_("Replacement"), queryset=StaffMember.objects.none()
    )

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = member.contract.staff.filter(
            status=StaffMember.Status.PENDING, replaces__isnull=True
        ).exclude(pk=member.pk)
