from django import template

from archive.forms import DocumentForm
from archive.models import Document
from archive.selectors import document_versions, missing_kinds
from archive.services import may_add
from archive.targets import target_of_model

register = template.Library()


@register.inclusion_tag("archive/panel.html", takes_context=True)
def documents_panel(context, obj):
    """An object's papers on its page: the current version of each with its older ones, the
    kinds it is expected to carry and lacks, and the upload form for who may add."""
    request = context["request"]
    return {
        "object": obj,
        "target": target_of_model(type(obj)),
        "chains": document_versions(obj),
        "missing": [Document.Kind(kind).label for kind in missing_kinds(obj)],
        "form": DocumentForm(obj) if may_add(request.user, obj) else None,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
