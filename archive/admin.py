from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from archive.models import Document
from core.admin_mixins import ReadOnlyAdmin


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    """The papers as the portal filed them: shown, never changed; the file only through the
    portal's checked download (its stored path is served by nobody)."""

    list_display = ["name", "kind", "content_type", "object_id", "version", "uploaded_by"]
    list_filter = ["kind", "content_type"]
    search_fields = ["name", "sha256"]
    list_select_related = ["content_type", "uploaded_by"]
    exclude = ["file"]
    readonly_fields = ["download"]

    @admin.display(description=_("file"))
    def download(self, document):
        return format_html(
            '<a href="{}">{}</a>', reverse("document-file", args=[document.pk]), document.name
        )
