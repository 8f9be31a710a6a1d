"""`invoices/` and `payments/` (API.md), and the settlement sheet's old `invoice/`,
`correct-invoice/` and `pay/`, kept for the clients that post them."""

from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.errors import DomainError
from core.history import HistoryMixin
from core.rest import (
    ModelSerializer,
    MoneyField,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    action_input,
)
from finance import services
from finance.filters import InvoiceFilter, PaymentFilter
from finance.models import INVOICING_ROLES, PAYING_ROLES, Invoice, InvoiceSheet, Payment
from finance.selectors import invoice_list, payment_list
from settlement.api import SheetSerializer
from settlement.models import SettlementSheet
from settlement.selectors import sheet_list

# What an invoice may need a look for: not received yet (its payment term has not started,
# 4.6), or ordinary where 4.3 expects a special one and procurement has not accepted it.
NOT_RECEIVED = "not_received"
ORDINARY_NOT_ACCEPTED = "ordinary_not_accepted"


class InvoicePartSerializer(ModelSerializer):
    amount_excl_tax = MoneyField(read_only=True)
    amount_incl_tax = MoneyField(read_only=True)

    class Meta:
        model = InvoiceSheet
        fields = ["sheet", "amount_excl_tax", "amount_incl_tax"]
        read_only_fields = fields


class InvoiceSerializer(VisibleRelatedFieldsMixin, ModelSerializer):
    """An invoice as printed, with the part of each sheet it covers; `sheets` (ids) on create:
    several signed sheets of one contract wholly, or one in part."""

    sheets = serializers.PrimaryKeyRelatedField(
        many=True, queryset=SettlementSheet.objects.all(), allow_empty=False
    )
    amount_incl_tax = MoneyField()
    amount_excl_tax = MoneyField()
    tax_amount = MoneyField()
    parts = InvoicePartSerializer(many=True, read_only=True)
    flags = serializers.SerializerMethodField()
    replaced_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "contract",
            "sheets",
            "kind",
            "medium",
            "code",
            "number",
            "issued_on",
            "received_on",
            "amount_incl_tax",
            "amount_excl_tax",
            "tax_rate",
            "tax_amount",
            "seller_tax_id",
            "buyer_name",
            "buyer_tax_id",
            "delivery_due_by",
            "payment_due_by",
            "status",
            "flags",
            "ordinary_accepted_by",
            "void_reason",
            "replaces",
            "replaced_by",
            "parts",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = [
            "contract",
            "delivery_due_by",
            "payment_due_by",
            "status",
            "ordinary_accepted_by",
            "void_reason",
            "recorded_by",
            "recorded_at",
        ]
        # A second code+number is refused by the service, with its message (and under a race).
        validators = []
        extra_kwargs = {"replaces": {"validators": []}}

    def get_fields(self):
        """The sheets, as the invoice replaced (VisibleRelatedFieldsMixin), are among those the
        user may see."""
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            sheets = SettlementSheet.objects.visible_to(request.user)
            fields["sheets"].child_relation.queryset = sheets
        return fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField([NOT_RECEIVED, ORDINARY_NOT_ACCEPTED]))
    )
    def get_flags(self, invoice) -> list[str]:
        if invoice.status == Invoice.Status.VOID:
            return []
        flags = [NOT_RECEIVED] if invoice.received_on is None else []
        return flags + ([ORDINARY_NOT_ACCEPTED] if invoice.awaits_acceptance else [])


class InvoiceViewSet(
    HistoryMixin,
    VisibleQuerysetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """发票 (4.6, 4.7): recorded by the vendor's PM or finance, received by the buyer (finance or
    procurement), voided with a reason (红字) and replaced; an ordinary invoice accepted by
    procurement. Never edited: a wrong one is voided and replaced, both kept."""

    queryset = Invoice.objects.all()
    selector = staticmethod(invoice_list)
    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilter
    write_roles = INVOICING_ROLES
    action_roles = Invoice.flow.action_roles()

    def get_queryset(self):
        return super().get_queryset().prefetch_related("sheets")

    def perform_create(self, serializer):
        serializer.instance = services.invoice_record(
            actor=self.request.user, **serializer.validated_data
        )

    def _answer(self, invoice):
        return Response(self.get_serializer(self.get_queryset().get(pk=invoice.pk)).data)

    @extend_schema(request=inline_serializer("InvoiceVoid", {"reason": serializers.CharField()}))
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """红字: the invoice is void, with its reason; its sheets are no longer covered by it.
        Refused (409) while its sheets' payments need it."""
        invoice = self.get_object()
        reason = action_input(request, reason=serializers.CharField())["reason"]
        return self._answer(
            services.invoice_void(invoice=invoice, actor=request.user, reason=reason)
        )

    @extend_schema(
        request=inline_serializer("InvoiceReceive", {"received_on": serializers.DateField()})
    )
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """The buyer received the invoice: payment falls due 30 working days later (4.6)."""
        invoice = self.get_object()
        received_on = action_input(request, received_on=serializers.DateField())["received_on"]
        return self._answer(
            services.invoice_receive(invoice=invoice, actor=request.user, received_on=received_on)
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="accept-ordinary")
    def accept_ordinary(self, request, pk=None):
        """Procurement accepts an ordinary invoice where 4.3 expects a special one."""
        return self._answer(
            services.invoice_accept_ordinary(invoice=self.get_object(), actor=request.user)
        )


class PaymentSerializer(VisibleRelatedFieldsMixin, ModelSerializer):
    amount = MoneyField()
    contract = serializers.IntegerField(source="sheet.contract_id", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "sheet",
            "contract",
            "paid_on",
            "amount",
            "method",
            "bill_number",
            "bill_maturity",
            "bill_discount_terms",
            "payer_bank_name",
            "payer_account",
            "payee_bank_name",
            "payee_account",
            "voucher_number",
            "note",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = ["payee_bank_name", "payee_account", "recorded_by", "recorded_at"]
        # The payer's account defaults to the buyer's (the service fills it in).
        extra_kwargs = {
            "voucher_number": {"required": True, "allow_blank": False},
            "payer_bank_name": {"required": False},
            "payer_account": {"required": False},
        }


class PaymentViewSet(
    HistoryMixin,
    VisibleQuerysetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """付款 (4.6.1): finance records each payment of a sheet, by transfer or 银行承兑汇票; they add
    up to what the sheet's invoices charge, never past it. Never edited."""

    queryset = Payment.objects.all()
    selector = staticmethod(payment_list)
    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    write_roles = PAYING_ROLES

    def perform_create(self, serializer):
        serializer.instance = services.payment_record(
            actor=self.request.user, **serializer.validated_data
        )


# The settlement sheet's old actions: their fields as they were named then.
OLD_FIELDS = {"issued_on": "invoiced_on", "amount_incl_tax": "amount"}


def _invoice_fields(**more) -> dict:
    """An invoice as an old client posts it (new fields each time: a field belongs to one
    serializer)."""
    return {
        "number": serializers.CharField(),
        "invoiced_on": serializers.DateField(),
        "amount": MoneyField(),
        **more,
    }


class SheetFinanceViewSet(VisibleQuerysetMixin, viewsets.GenericViewSet):
    """`settlements/<id>/invoice/`, `correct-invoice/` and `pay/` as they were: an invoice of the
    whole sheet, its correction (the invoice voided and replaced), a transfer of what is left.
    They answer the sheet."""

    queryset = SettlementSheet.objects.all()
    selector = staticmethod(sheet_list)
    serializer_class = SheetSerializer
    action_roles = {
        "invoice": INVOICING_ROLES,
        "correct_invoice": INVOICING_ROLES,
        "pay": PAYING_ROLES,
    }

    def _answer(self, sheet):
        return Response(self.get_serializer(self.get_queryset().get(pk=sheet.pk)).data)

    def _perform(self, perform, sheet):
        try:
            perform()
        except DomainError as error:
            error.field = OLD_FIELDS.get(error.field, error.field)
            raise
        return self._answer(sheet)

    @extend_schema(request=inline_serializer("SheetInvoice", _invoice_fields()))
    def invoice(self, request, pk=None):
        """The whole sheet on one special electronic invoice, received the day it was issued."""
        sheet = self.get_object()
        data = action_input(request, **_invoice_fields())
        return self._perform(
            lambda: services.sheet_invoice(sheet=sheet, actor=request.user, **data), sheet
        )

    @extend_schema(
        request=inline_serializer(
            "SheetInvoiceCorrection", _invoice_fields(reason=serializers.CharField())
        )
    )
    def correct_invoice(self, request, pk=None):
        """The sheet's invoice voided with the reason and replaced; refused (409) once paid."""
        sheet = self.get_object()
        data = action_input(request, **_invoice_fields(reason=serializers.CharField()))
        return self._perform(
            lambda: services.sheet_invoice_correct(sheet=sheet, actor=request.user, **data), sheet
        )

    @extend_schema(request=inline_serializer("SheetPay", {"paid_on": serializers.DateField()}))
    def pay(self, request, pk=None):
        """A bank transfer of what is left to pay on the sheet."""
        sheet = self.get_object()
        data = action_input(request, paid_on=serializers.DateField())
        return self._perform(
            lambda: services.sheet_pay(sheet=sheet, actor=request.user, **data), sheet
        )


sheet_invoice = SheetFinanceViewSet.as_view({"post": "invoice"})
sheet_invoice_correct = SheetFinanceViewSet.as_view({"post": "correct_invoice"})
sheet_pay = SheetFinanceViewSet.as_view({"post": "pay"})
