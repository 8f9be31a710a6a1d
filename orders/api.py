from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.history import HistoryMixin
from core.http import attachment
from core.models import User
from core.rest import (
    CreateOnlyFieldsMixin,
    DecimalField,
    ModelSerializer,
    MoneyField,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    WholeItemsMixin,
)
from orders import services
from orders.documents import order_pdf
from orders.filters import OrderFilter
from orders.models import Order, OrderAttachment, OrderLine, PaymentPlanItem
from orders.selectors import order_detail_queryset, order_history


class OrderLineSerializer(WholeItemsMixin, ModelSerializer):
    planned_quantity = DecimalField(max_digits=10, decimal_places=1)
    unit_price_incl_tax = MoneyField(read_only=True)
    planned_amount = MoneyField(read_only=True)

    class Meta:
        model = OrderLine
        fields = ["role", "level", "planned_quantity", "unit_price_incl_tax", "planned_amount"]


class PaymentPlanItemSerializer(WholeItemsMixin, ModelSerializer):
    amount_incl_tax = MoneyField()

    class Meta:
        model = PaymentPlanItem
        fields = ["id", *PaymentPlanItem.FIELDS]


class OrderAttachmentSerializer(ModelSerializer):
    class Meta:
        model = OrderAttachment
        fields = ["id", "name", "size", "uploaded_at"]


class OrderSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    lines = OrderLineSerializer(many=True)
    payment_plan = PaymentPlanItemSerializer(many=True, required=False)
    attachments = OrderAttachmentSerializer(many=True, read_only=True)
    planned_amount = MoneyField(read_only=True)
    executed_amount_at_issue = MoneyField(read_only=True, allow_null=True)
    settled_total = MoneyField(read_only=True)

    class Meta:
        model = Order
        fields = [
            "id",
            "contract",
            "number",
            "batch",
            "name",
            "service_start",
            "service_end",
            "buyer_contact_name",
            "buyer_contact_phone",
            "buyer_contact_email",
            "vendor_contact_name",
            "vendor_contact_phone",
            "vendor_contact_email",
            "service_items",
            "requirements",
            "commissioned_content",
            "assessment_and_settlement",
            "special_notes",
            "lines",
            "payment_plan",
            "planned_amount",
            "executed_amount_at_issue",
            "settled_total",
            "status",
            "issued_at",
            "attachments",
        ]
        read_only_fields = ["number", "batch", "status", "issued_at"]
        create_only_fields = ["contract"]


class OrderViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = Order.objects.all()
    selector = staticmethod(order_detail_queryset)
    history_selector = staticmethod(order_history)
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    write_roles = (User.Role.PROCUREMENT,)
    action_roles = Order.flow.action_roles()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.order_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.order_update(
            order=serializer.instance, **serializer.validated_data
        )

    def _answer(self, order):
        return Response(self.get_serializer(self.get_queryset().get(pk=order.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        return self._answer(services.order_issue(order=self.get_object(), actor=request.user))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._answer(services.order_complete(order=self.get_object(), actor=request.user))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._answer(services.order_cancel(order=self.get_object(), actor=request.user))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        order = self.get_object()
        return attachment(order_pdf(order), f"委托订单-{order.number}.pdf", "application/pdf")

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "OrderAttachmentUpload", {"file": serializers.FileField()}
            )
        },
        responses=OrderSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def attachments(self, request, pk=None):
        order = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": [_("Choose a file to attach.")]})
        services.order_attachment_add(order=order, upload=upload)
        return self._answer(order)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request, pk=None, attachment_id=None):
        order = self.get_object()
        try:
            stored = order.attachments.get(pk=attachment_id)
        except OrderAttachment.DoesNotExist as error:
            raise Http404 from error
        return FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.name)
