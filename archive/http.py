import mimetypes

from django.http import FileResponse

from archive.models import Document


def document_response(document: Document) -> FileResponse:
    """The stored file, streamed from storage as a download under its original name (Chinese
    included: RFC 6266), never displayed by the browser as something else than it is."""
    content_type = mimetypes.guess_type(document.name)[0] or "application/octet-stream"
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
