import hashlib
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import Document
from archive.targets import target_of_model
from core.errors import DomainError

# Signatures of the files the archive takes: PDF, Office (OOXML zip or legacy OLE), images.
ATTACHMENT_TYPES = {
    ".pdf": (b"%PDF",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".pptx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
    ".ppt": (b"\xd0\xcf\x11\xe0",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}
NAME_MAX_LENGTH = Document._meta.get_field("name").max_length


class ArchiveError(DomainError):
    code = "archive"


def may_add(user, target) -> bool:
    """Whether the user's role may file papers on an object like `target` (who sees it: the
    object's own `visible_to`, checked by its page and by `document_add`)."""
    return user.has_role(*target_of_model(type(target)).writers)


@transaction.atomic
def document_add(
    *,
    target,
    kind: str | None,
    upload,
    uploaded_by,
    dated: date | None = None,
    note: str = "",
    replaces: Document | None = None,
) -> Document:
    """Issue 21, the archive: a paper of an object the uploader sees and may change, checked
    as 附件6's attachments always were (a PDF, an Office file or an image by its content, within
    the size limit). A paper of a kind an object holds one of, uploaded again, or any paper
    `replaces`, becomes the next version of the current one; the old one is kept."""
    registered = target_of_model(type(target))
    visible = registered.model.objects.visible_to(uploaded_by).filter(pk=target.pk)
    if not may_add(uploaded_by, target) or not visible.exists():
        raise ArchiveError(
            _("You may not add documents to this %(object)s.") % {"object": registered.label}
        )
    if replaces is not None:
        kind = kind or replaces.kind
        if kind != replaces.kind:
            raise ArchiveError(
                _("A new version keeps the kind of the document it replaces (%(kind)s).")
                % {"kind": replaces.get_kind_display()},
                field="kind",
            )
    if kind not in registered.kinds:
        raise ArchiveError(
            _("A %(object)s takes these kinds of document: %(kinds)s.")
            % {
                "object": registered.label,
                "kinds": "、".join(str(Document.Kind(k).label) for k in registered.kinds),
            },
            field="kind",
        )
    if dated is not None and dated > timezone.localdate():
        raise ArchiveError(_("The document's date cannot be in the future."), field="dated")
    sha256 = _checked_upload(upload)
    # Uploads to one object take turns: two versions never follow the same one.
    registered.model._default_manager.select_for_update(no_key=True).get(pk=target.pk)
    content_type = ContentType.objects.get_for_model(registered.model)
    previous = _previous(content_type, target, kind, replaces)
    return Document.objects.create(
        content_type=content_type,
        object_id=target.pk,
        kind=kind,
        name=_file_name(upload.name),
        file=upload,
        size=upload.size,
        sha256=sha256,
        dated=dated,
        note=note.strip(),
        version=previous.version + 1 if previous else 1,
        previous=previous,
        uploaded_by=uploaded_by,
    )


def _previous(content_type, target, kind, replaces) -> Document | None:
    """The current version a new upload follows: the one it replaces, else the object's
    current paper of a kind it holds one of."""
    current = Document.objects.current().filter(content_type=content_type, object_id=target.pk)
    if replaces is None:
        return None if kind in Document.SEVERAL else current.filter(kind=kind).first()
    if (replaces.content_type_id, replaces.object_id) != (content_type.pk, target.pk):
        raise ArchiveError(_("That document belongs to another object."), field="replaces")
    previous = current.filter(pk=replaces.pk).first()
    if previous is None:
        raise ArchiveError(
            _("%(name)s has a newer version already: replace that one.") % {"name": replaces.name},
            field="replaces",
            conflict=True,
        )
    return previous


def _checked_upload(upload) -> str:
    """The upload's SHA-256, once its type (by name and by content) and size are allowed."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise ArchiveError(
            _("Attach a PDF, an Office file or an image (%(types)s).")
            % {"types": " ".join(sorted(ATTACHMENT_TYPES))},
            field="file",
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ArchiveError(
            _("The file is larger than %(size)s.") % {"size": filesizeformat(limit)}, field="file"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[suffix]):
        raise ArchiveError(
            _("The file's content is not a %(type)s file.") % {"type": suffix}, field="file"
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _file_name(name: str) -> str:
    """The name as uploaded, shortened to what the archive keeps with its suffix intact."""
    path = PurePath(name)
    if len(path.name) <= NAME_MAX_LENGTH:
        return path.name
    return path.stem[: NAME_MAX_LENGTH - len(path.suffix)] + path.suffix
