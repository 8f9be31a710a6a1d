from django import forms
from django.utils.translation import gettext_lazy as _

from archive.models import Document
from archive.selectors import documents_of
from archive.targets import target_of_model
from core.forms import DateInput


class DocumentChoice(forms.ModelChoiceField):
    def label_from_instance(self, document):
        return f"{document.get_kind_display()} · {document.name}（v{document.version}）"


class DocumentForm(forms.Form):
    """A paper added to an object: of one of the kinds the object takes, or a new version of
    one it has (then of that one's kind)."""

    kind = forms.ChoiceField(label=_("Kind"))
    replaces = DocumentChoice(
        label=_("New version of"),
        queryset=Document.objects.none(),
        required=False,
        empty_label=_("(a new document)"),
        help_text=_(
            "A paper an object holds one of (a signed contract, an undertaking) "
            "uploaded again becomes its new version anyway."
        ),
    )
    dated = forms.DateField(label=_("Date of the document"), required=False, widget=DateInput())
    file = forms.FileField(label=_("File"))
    note = forms.CharField(label=_("Remark"), max_length=300, required=False)

    def __init__(self, obj, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind, Document.Kind(kind).label) for kind in target_of_model(type(obj)).kinds
        ]
        current = documents_of(obj)
        if current.exists():
            self.fields["replaces"].queryset = current
        else:  # nothing to replace yet
            del self.fields["replaces"]
