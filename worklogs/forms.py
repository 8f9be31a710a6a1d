from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import UnlabelledFieldsMixin


class UploadForm(UnlabelledFieldsMixin, forms.Form):
    file = forms.FileField(
        label=_("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
