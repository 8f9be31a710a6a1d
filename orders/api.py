from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from archive.http import document_response
from archive.models import Document
from archive.services import document_add, may_add
from core.history import HistoryMixin
from core.http import attachment
from core.models import User
from core.rest import (
    CreateOnlyFieldsMixin,
    DecimalField,
    ModelSerializer,
    MoneyField,
    MonthField,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    WholeItemsMixin,
    action_input,
    reason_field,
)
from orders import services, terminations
from orders.documents import order_pdf, termination_pdf
from orders.filters import AcceptanceFilter, OrderFilter, TerminationFilter
from orders.models import Acceptance, Order, OrderLine, PaymentPlanItem, Termination
from orders.selectors import (
    acceptance_list,
    order_detail_queryset,
    order_history,
    termination_list,
)


class OrderLineSerializer(WholeItemsMixin, ModelSerializer):
    planned_quantity = DecimalField(max_digits=10, decimal_places=1)
    unit_price_incl_tax = MoneyField(read_only=True)
    planned_amount = MoneyField(read_only=True)

    class Meta:
        model = OrderLine
        fields = ["role", "level", "planned_quantity", "unit_price_incl_tax", "planned_amount"]


class PaymentPlanItemSerializer(WholeItemsMixin, ModelSerializer):
    amount_incl_tax = MoneyField()
    # 004: the day the payment falls due (`PaymentPlanItem.due_on`), null without a date.
    due_on = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = PaymentPlanItem
        fields = ["id", *PaymentPlanItem.FIELDS, "due_on"]


class OrderAttachmentSerializer(ModelSerializer):
    """A paper of the order in the archive (附件6's attachments among them), current version."""

    class Meta:
        model = Document
        fields = ["id", "kind", "name", "size", "version", "uploaded_at"]


ORDER = {
    "contract": 1,
    "name": "咪咕音乐App会员运营支撑",
    "service_start": "2026-10-01",
    "service_end": "2026-12-31",
    "buyer_contact_name": "张采购",
    "buyer_contact_phone": "028-68394412",
    "buyer_contact_email": "caigou@example.com",
    "vendor_contact_name": "李项目",
    "vendor_contact_phone": "13800001234",
    "vendor_contact_email": "pm@example.com",
    "service_items": "会员产品运营、活动策划与数据分析",
    "requirements": "驻场支撑，工作日 9:00–18:00。",
    "commissioned_content": "产品/平台服务及技术支持岗位人员驻场支撑。",
    "assessment_and_settlement": "按照框架协议执行：按月按订单考核结算。",
    "special_notes": "",
}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An order with its lines",
            request_only=True,
            value={
                **ORDER,
                "lines": [
                    {"role": "产品/平台服务", "level": "高级", "planned_quantity": "41.5"},
                    {"role": "技术支持", "level": "初级", "planned_quantity": "19"},
                ],
            },
        ),
        OpenApiExample(
            "An order issued",
            response_only=True,
            value={
                "id": 1,
                **ORDER,
                "number": "MGYY-2026-003-001",
                "batch": 1,
                "lines": [
                    {
                        "role": "产品/平台服务",
                        "level": "高级",
                        "planned_quantity": "41.5",
                        "unit_price_incl_tax": "900.00",
                        "planned_amount": "37350.00",
                    },
                    {
                        "role": "技术支持",
                        "level": "初级",
                        "planned_quantity": "19.0",
                        "unit_price_incl_tax": "621.69",
                        "planned_amount": "11812.11",
                    },
                ],
                "payment_plan": [],
                "planned_amount": "49162.11",
                "executed_amount_at_issue": "0.00",
                "settled_total": "0.00",
                "status": "issued",
                "issued_at": "2026-10-08T09:30:00+08:00",
                "attachments": [],
            },
        ),
    ]
)
class OrderSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    lines = OrderLineSerializer(many=True)
    payment_plan = PaymentPlanItemSerializer(many=True, required=False)
    attachments = OrderAttachmentSerializer(source="current_documents", many=True, read_only=True)
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


class TerminationSerializer(ModelSerializer):
    released_amount = MoneyField(read_only=True)

    class Meta:
        model = Termination
        fields = [
            "id",
            "contract",
            "order",
            "kind",
            "clause",
            "reason",
            "noticed_on",
            "effective_on",
            "answer_due_on",
            "answer",
            "answered_at",
            "answered_by",
            "given_by",
            "status",
            "withdrawn_reason",
            "released_amount",
            "applied_at",
        ]
        read_only_fields = fields


def _terminate_fields() -> dict:
    """The body of `contracts/<id>/terminate/` and `orders/<id>/terminate/` (fresh fields)."""
    return {
        "kind": serializers.ChoiceField(choices=Termination.Kind.choices),
        "clause": serializers.ChoiceField(
            choices=Termination.Clause.choices, required=False, allow_blank=True
        ),
        "effective_on": serializers.DateField(required=False, allow_null=True),
        "reason": serializers.CharField(max_length=2000),
    }


TERMINATE = inline_serializer("Terminate", _terminate_fields())


def _terminated(request, *, contract, order=None):
    termination = terminations.termination_give(
        contract=contract,
        order=order,
        actor=request.user,
        **action_input(request, **_terminate_fields()),
    )
    return Response(TerminationSerializer(termination).data, status=201)


class ContractTerminateAction:
    """`contracts/<id>/terminate/`: a contract's termination is a `Termination` of this app,
    above contracts, so this app gives `ContractViewSet` its action (orders/apps.py)."""

    @extend_schema(request=TERMINATE, responses={201: TerminationSerializer})
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        """11.1, 11.2, 11.5, 2.10: the buyer ends the contract (see `terminations/`)."""
        return _terminated(request, contract=self.get_object())


class TerminationViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Terminations of contracts and orders: the vendor answers a notice (11.5), procurement
    withdraws one not in effect yet; `pdf/` is the notice (解除通知书)."""

    queryset = Termination.objects.all()
    selector = staticmethod(termination_list)
    serializer_class = TerminationSerializer
    filterset_class = TerminationFilter
    action_roles = Termination.flow.action_roles()

    def _answer(self, termination):
        return Response(self.get_serializer(self.get_queryset().get(pk=termination.pk)).data)

    @extend_schema(
        request=inline_serializer("TerminationAnswer", {"answer": serializers.CharField()})
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        termination = terminations.termination_answer(
            termination=self.get_object(),
            actor=request.user,
            **action_input(request, answer=serializers.CharField(max_length=2000)),
        )
        return self._answer(termination)

    @extend_schema(request=inline_serializer("TerminationWithdraw", reason_field(300)))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        termination = terminations.termination_withdraw(
            termination=self.get_object(), **action_input(request, **reason_field(300))
        )
        return self._answer(termination)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        termination = self.get_object()
        return attachment(
            termination_pdf(termination), f"解除通知书-{termination.pk}.pdf", "application/pdf"
        )


class OrderViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = Order.objects.all()
    selector = staticmethod(order_detail_queryset)
    history_selector = staticmethod(order_history)
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    write_roles = (User.Role.PROCUREMENT,)
    # Who may attach papers is the archive's to say (orders/apps.py: the order's writers).
    action_roles = {**Order.flow.action_roles(), "attachments": tuple(User.Role)}
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = self._read(services.order_create(**serializer.validated_data))

    def perform_update(self, serializer):
        order = services.order_update(order=serializer.instance, **serializer.validated_data)
        serializer.instance = self._read(order)

    def _read(self, order):
        """The order as a detail shows it (its papers, its sums), after a write."""
        return self.get_queryset().get(pk=order.pk)

    def _answer(self, order):
        return Response(self.get_serializer(self._read(order)).data)

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

    @extend_schema(request=TERMINATE, responses={201: TerminationSerializer})
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        """7.2: the buyer ends this one order (see `terminations/`)."""
        order = self.get_object()
        return _terminated(request, contract=order.contract, order=order)

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
        if not may_add(request.user, order):
            raise PermissionDenied
        document_add(
            target=order,
            kind=Document.Kind.ORDER_ATTACHMENT,
            upload=upload,
            uploaded_by=request.user,
        )
        return self._answer(order)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request, pk=None, attachment_id=None):
        stored = self.get_object().documents.filter(pk=attachment_id).first()
        if stored is None:
            raise Http404
        return document_response(stored)


class AcceptanceSerializer(VisibleRelatedFieldsMixin, ModelSerializer):
    contract = serializers.IntegerField(source="order.contract_id", read_only=True)
    month = MonthField(required=False, allow_null=True)
    file = serializers.FileField(
        write_only=True,
        required=False,
        help_text=gettext_lazy("The acceptance record (multipart)."),
    )

    class Meta:
        model = Acceptance
        fields = [
            "id",
            "order",
            "contract",
            "month",
            "payment_item",
            "accepted_on",
            "note",
            "file",
            "accepted_by",
            "status",
            "withdrawn_reason",
            "withdrawn_at",
            "withdrawn_by",
            "locked_at",
            "created_at",
        ]
        read_only_fields = [
            "accepted_by",
            "status",
            "withdrawn_reason",
            "withdrawn_at",
            "withdrawn_by",
            "locked_at",
        ]
        validators = []  # the service names what was accepted already, in the user's words

    def get_fields(self):
        """A milestone of an order the user sees (DRF's field would take any id)."""
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            fields["payment_item"].queryset = PaymentPlanItem.objects.filter(
                order__in=Order.objects.visible_to(request.user)
            )
        return fields


class AcceptanceViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    """验收: procurement accepts an order's month or milestone (the record's file goes to
    `documents/` with `acceptance`); 002's months and 004's milestones are signed only then."""

    queryset = Acceptance.objects.all()
    selector = staticmethod(acceptance_list)
    serializer_class = AcceptanceSerializer
    filterset_class = AcceptanceFilter
    write_roles = (User.Role.PROCUREMENT,)
    action_roles = Acceptance.flow.action_roles()
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        serializer.instance = services.acceptance_record(
            actor=self.request.user, upload=fields.pop("file", None), **fields
        )

    @extend_schema(request=inline_serializer("AcceptanceWithdraw", reason_field(300)))
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        acceptance = services.acceptance_withdraw(
            acceptance=self.get_object(),
            actor=request.user,
            **action_input(request, **reason_field(300)),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=acceptance.pk)).data)
