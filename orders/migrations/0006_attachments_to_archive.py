"""附件6's attachments become the order's papers in the archive (kind order_attachment): one
archive.Document per attachment, pointing at the same stored file (nothing is copied), with
its upload time; the uploader, never recorded before, is whoever first saved the order (its
history), else a procurement user of its buyer, else the first administrator."""

import hashlib

from django.core.files.storage import default_storage
from django.db import migrations


def _uploader(apps, order):
    User = apps.get_model("core", "User")
    first = (
        apps.get_model("orders", "HistoricalOrder")
        .objects.filter(id=order.pk, history_user__isnull=False)
        .order_by("history_date")
        .first()
    )
    if first is not None:
        return first.history_user_id
    buyer = order.contract.buyer_id
    user = (
        User.objects.filter(organization_id=buyer, role="procurement").order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
        or User.objects.order_by("pk").first()
    )
    return user.pk


def _sha256(name: str) -> str:
    digest = hashlib.sha256()
    try:
        with default_storage.open(name, "rb") as stored:
            for chunk in iter(lambda: stored.read(64 * 1024), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return ""
    return digest.hexdigest()


def to_archive(apps, schema_editor):
    OrderAttachment = apps.get_model("orders", "OrderAttachment")
    Document = apps.get_model("archive", "Document")
    ContentType = apps.get_model("contenttypes", "ContentType")
    attachments = OrderAttachment.objects.select_related("order__contract").order_by("pk")
    if not attachments.exists():
        return
    order_type, _ = ContentType.objects.get_or_create(app_label="orders", model="order")
    for attachment in attachments:
        document = Document.objects.create(
            content_type=order_type,
            object_id=attachment.order_id,
            kind="order_attachment",
            name=attachment.name,
            file=attachment.file.name,
            size=attachment.size,
            sha256=_sha256(attachment.file.name),
            uploaded_by_id=_uploader(apps, attachment.order),
        )
        Document.objects.filter(pk=document.pk).update(uploaded_at=attachment.uploaded_at)


def from_archive(apps, schema_editor):
    OrderAttachment = apps.get_model("orders", "OrderAttachment")
    Document = apps.get_model("archive", "Document")
    documents = Document.objects.filter(
        content_type__app_label="orders", content_type__model="order", kind="order_attachment"
    )
    for document in documents.order_by("pk"):
        attachment = OrderAttachment.objects.create(
            order_id=document.object_id,
            name=document.name,
            file=document.file.name,
            size=document.size,
        )
        OrderAttachment.objects.filter(pk=attachment.pk).update(uploaded_at=document.uploaded_at)
    # Newest versions first: an older one is protected by the one that follows it.
    for document in documents.order_by("-version", "-pk"):
        document.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("orders", "0005_acceptance"),
    ]

    operations = [migrations.RunPython(to_archive, from_archive)]
