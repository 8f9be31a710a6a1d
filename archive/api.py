from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from archive.bundle import contract_archive_response
from archive.filters import document_filter
from archive.http import document_response
from archive.models import Document
from archive.selectors import document_list
from archive.services import ArchiveError, document_add, may_add
from archive.targets import TARGETS, target_of_model
from core.models import User
from core.rest import (
    ModelSerializer,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    action_input,
)


class TargetField(serializers.PrimaryKeyRelatedField):
    """One object a document may belong to (`order`): its id when the document is that
    object's, else null; on upload, the id of the object the document is for."""

    def __init__(self, target, **kwargs):
        self.target = target
        super().__init__(
            source="*",
            queryset=target.model.objects.all(),
            required=False,
            allow_null=True,
            **kwargs,
        )

    def to_internal_value(self, data):
        # A null (or empty) one names no object: DRF hands `source="*"` fields their null.
        return {} if data is None else {self.field_name: super().to_internal_value(data)}

    def to_representation(self, document):
        content_type = ContentType.objects.get_for_model(self.target.model)
        return document.object_id if document.content_type_id == content_type.pk else None


class AttachedSerializer(ModelSerializer):
    def get_fields(self):
        """The objects a document may belong to, as every app registered them (scoped to
        those the user sees by VisibleRelatedFieldsMixin, which comes first)."""
        return {
            name: TargetField(target) for name, target in TARGETS.items()
        } | super().get_fields()


class DocumentSerializer(VisibleRelatedFieldsMixin, AttachedSerializer):
    """A paper in the archive: the one object it belongs to (`contract`, `order`, `staff`,
    `sheet`, `invoice`, `payment` or `acceptance`; the others null), its kind, the file sent as
    multipart `file` and downloaded from `download`, its version (`previous`, `is_current`)."""

    file = serializers.FileField(write_only=True)
    kind = serializers.ChoiceField(choices=Document.Kind.choices, required=False)
    is_current = serializers.BooleanField(read_only=True)
    uploaded_by_name = serializers.CharField(source="uploaded_by", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "file",
            "name",
            "size",
            "sha256",
            "dated",
            "note",
            "version",
            "previous",
            "is_current",
            "uploaded_by",
            "uploaded_by_name",
            "uploaded_at",
            "download",
        ]
        read_only_fields = ["name", "size", "sha256", "version", "previous", "uploaded_by"]

    @extend_schema_field({"type": "string", "format": "uri-reference"})
    def get_download(self, document) -> str:
        return reverse("document-download", args=[document.pk])

    def validate(self, attrs):
        named = [name for name in TARGETS if attrs.get(name) is not None]
        if len(named) != 1:
            raise ArchiveError(
                _("Name the one object the document belongs to: %(names)s.")
                % {"names": ", ".join(TARGETS)}
            )
        attrs["target"] = attrs.pop(named[0])
        return attrs


def _version_fields() -> dict:
    """A new version's upload (fresh fields each time: a serializer takes them over)."""
    return {
        "file": serializers.FileField(),
        "dated": serializers.DateField(required=False, allow_null=True),
        "note": serializers.CharField(required=False, allow_blank=True, max_length=300),
    }


class DocumentViewSet(
    VisibleQuerysetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """The archive's papers: each seen by who sees the object it belongs to, added by who
    may also change it; a new upload of a single paper is its next version."""

    queryset = Document.objects.all()
    selector = staticmethod(document_list)
    serializer_class = DocumentSerializer
    parser_classes = [MultiPartParser, FormParser]
    # Who may add to which object is each object's own (archive.targets: `writers`).
    write_roles = (User.Role.PROCUREMENT, User.Role.VENDOR_PM, User.Role.FINANCE)

    @property
    def filterset_class(self):
        return document_filter()

    def _added(self, **fields):
        target = fields["target"]
        if not may_add(self.request.user, target):
            raise PermissionDenied(_("You may not add documents to this object."))
        document = document_add(uploaded_by=self.request.user, **fields)
        shown = self.get_queryset().get(pk=document.pk)
        return Response(self.get_serializer(shown).data, status=status.HTTP_201_CREATED)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = data["target"]
        return self._added(
            target=target,
            kind=data.get("kind") or target_of_model(type(target)).kinds[0],
            upload=data["file"],
            dated=data.get("dated"),
            note=data.get("note", ""),
        )

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        return document_response(self.get_object())

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "DocumentVersionUpload",
                {
                    "file": serializers.FileField(),
                    "dated": serializers.DateField(required=False),
                    "note": serializers.CharField(required=False),
                },
            )
        },
        responses={201: DocumentSerializer},
    )
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """The next version of this paper (the current one): the old one is kept."""
        document = self.get_object()
        data = action_input(request, **_version_fields())
        return self._added(
            target=document.target,
            kind=document.kind,
            replaces=document,
            upload=data["file"],
            dated=data.get("dated"),
            note=data.get("note", ""),
        )


@extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
@api_view(["GET"])
def contract_archive(request, pk):
    """A zip of the contract's papers (the current version of each, its own and those of its
    orders, staff, sheets, invoices and payments) and the ledger of its signed sheets."""
    return contract_archive_response(pk, request.user)
