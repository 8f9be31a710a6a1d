import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from archive.targets import TARGETS


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A document is seen by who sees the object it belongs to, through that model's own
        `visible_to`: another vendor's papers do not exist for a user."""
        if user.sees_everything:
            return self
        seen = Q(pk__in=[])
        for target in TARGETS.values():
            kind = ContentType.objects.get_for_model(target.model)
            visible = target.model.objects.visible_to(user).values("pk")
            seen |= Q(content_type=kind, object_id__in=visible)
        return self.filter(seen)

    def current(self):
        """The latest version of each document (an older one has a successor)."""
        return self.filter(next_version__isnull=True)


def document_path(document, filename):
    """Stored under a random-looking name: nothing about a paper is guessable from its path,
    and it is only ever served through the portal's checked download."""
    suffix = PurePath(filename).suffix.lower()
    return f"documents/{document.content_type_id}/{uuid.uuid4().hex}{suffix}"


class Document(models.Model):
    """A paper that belongs to a contract, an order, a staff member, a sheet, an invoice, a
    payment or an acceptance; a new upload of it is a new version, the old one kept."""

    class Kind(models.TextChoices):
        SIGNED_CONTRACT = "signed_contract", _("Signed contract")
        AMENDMENT = "amendment", _("Supplementary agreement")
        TECHNICAL_SPEC = "technical_spec", _("Annex 1 technical specification")
        INTEGRITY = "integrity", _("Annex 4 integrity undertaking")
        CONFIDENTIALITY = "confidentiality", _("Annex 5 confidentiality undertaking")
        STAFF_CONFIDENTIALITY = "staff_confidentiality", _("Staff confidentiality undertaking")
        ORDER_ATTACHMENT = "order_attachment", _("Order attachment")
        ACCEPTANCE = "acceptance", _("Acceptance record")
        INVOICE_IMAGE = "invoice_image", _("Invoice image")
        PAYMENT_VOUCHER = "payment_voucher", _("Payment voucher")
        OTHER = "other", _("Other")

    # Kinds an object holds several of; a new upload of any other kind on the same object is
    # the next version of the one it has.
    SEVERAL = frozenset({Kind.OTHER, Kind.ACCEPTANCE, Kind.ORDER_ATTACHMENT, Kind.AMENDMENT})

    content_type = models.ForeignKey(
        ContentType, models.PROTECT, related_name="+", verbose_name=_("belongs to")
    )
    object_id = models.PositiveBigIntegerField(_("object"))
    target = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    name = models.CharField(_("file name"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    dated = models.DateField(_("date of the document"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["content_type", "object_id", "kind", "-version", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return f"{self.get_kind_display()} {self.name} v{self.version}"
