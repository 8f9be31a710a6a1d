from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from archive.bundle import contract_archive_response
from archive.forms import DocumentForm
from archive.http import document_response
from archive.models import Document
from archive.selectors import target_object
from archive.services import ArchiveError, document_add, may_add
from archive.targets import TARGETS


@login_required
def document_new(request, target, pk):
    """The documents panel's upload (or this page alone): back to the page it came from once
    added; a refusal shown on the form, nothing saved."""
    obj = target_object(target, pk, request.user)
    if obj is None:
        raise Http404
    if not may_add(request.user, obj):
        raise PermissionDenied
    back = _back(request)
    form = DocumentForm(obj, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = document_add(
                target=obj,
                kind=None if data.get("replaces") else data["kind"],
                replaces=data.get("replaces"),
                upload=data["file"],
                dated=data["dated"],
                note=data["note"],
                uploaded_by=request.user,
            )
        except ArchiveError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s was added to the documents (version %(version)s).")
                % {"name": document.name, "version": document.version},
            )
            return redirect(back)
    return render(
        request,
        "archive/document_form.html",
        {"form": form, "object": obj, "target": TARGETS[target], "back": back},
        status=400 if form.errors else 200,
    )


def _back(request) -> str:
    """The page the upload was made from (`next`), if it is one of the portal's."""
    back = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return back
    return "/"


@login_required
def document_download(request, pk):
    document = Document.objects.visible_to(request.user).filter(pk=pk).first()
    if document is None:
        raise Http404
    return document_response(document)


@login_required
def contract_archive(request, pk):
    return contract_archive_response(pk, request.user)
