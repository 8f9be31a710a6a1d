"""The spend report's filters, read from the URL by its page and its REST view alike."""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MONTH = ["%Y-%m"]


class SpendForm(forms.Form):
    GROUPS = {
        "month": _("Month"),
        "vendor": _("Vendor"),
        "contract": _("Contract"),
        "role": _("Role and level"),
    }

    group_by = forms.ChoiceField(label=_("By"), choices=GROUPS.items(), required=False)
    first = forms.DateField(label=_("From"), input_formats=MONTH, required=False)
    last = forms.DateField(label=_("To"), input_formats=MONTH, required=False)

    def __init__(self, data):
        # `from` and `to` in the URL, as the API names them.
        data = data.copy()
        for name, field in (("from", "first"), ("to", "last")):
            if name in data:
                data[field] = data.pop(name)[-1]
        super().__init__(data)

    def clean(self):
        """By month from this year's January to this month unless said."""
        data = super().clean()
        this_month = timezone.localdate().replace(day=1)
        data["group_by"] = data.get("group_by") or "month"
        data["first"] = (data.get("first") or date(this_month.year, 1, 1)).replace(day=1)
        data["last"] = (data.get("last") or this_month).replace(day=1)
        if data["first"] > data["last"]:
            raise forms.ValidationError(_("The first month comes after the last."))
        return data
