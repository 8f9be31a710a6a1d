from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from contracts import amendments, services
from contracts.filters import AmendmentFilter, ContractFilter, RateCardLineFilter, TaxRateFilter
from contracts.models import Amendment, FrameworkContract, RateCardLine, TaxRate
from contracts.rate_card import rate_card_workbook
from contracts.selectors import amendment_history, contract_detail_queryset, contract_history
from core.history import HistoryMixin
from core.http import XLSX, attachment
from core.models import Organization, User
from core.rest import (
    CreateOnlyFieldsMixin,
    DecimalField,
    ModelSerializer,
    MoneyField,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
)


class RateCardLineSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    cap_price_excl_tax = MoneyField()
    price_excl_tax = MoneyField(required=False, allow_null=True)
    cap_price_incl_tax = MoneyField(read_only=True)
    price_incl_tax = MoneyField(read_only=True, allow_null=True)
    estimate_excl_tax = MoneyField(read_only=True)
    estimate_incl_tax = MoneyField(read_only=True)

    class Meta:
        model = RateCardLine
        fields = [
            "id",
            "contract",
            "position",
            "role",
            "level",
            "unit",
            "estimated_quantity",
            "cap_price_excl_tax",
            "cap_price_incl_tax",
            "price_excl_tax",
            "price_incl_tax",
            "estimate_excl_tax",
            "estimate_incl_tax",
        ]
        read_only_fields = ["position"]
        create_only_fields = ["contract"]
        validators = []  # the service names a duplicate line in the user's words


class ContractSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    buyer = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        required=False,
        help_text="Defaults to the creating user's organization.",
    )
    ceiling_incl_tax = MoneyField()
    ceiling_excl_tax = MoneyField(read_only=True)
    tax_rate = DecimalField(
        max_digits=5,
        decimal_places=4,
        required=False,
        help_text="Read: the rate in force today. On create: the first rate of the schedule.",
    )
    settled_total = MoneyField(read_only=True)
    committed_total = MoneyField(read_only=True)
    free_amount = MoneyField(read_only=True)
    estimate_incl_tax = MoneyField(
        read_only=True,
        source="estimate.total_incl_tax",
        help_text="附件3 estimate incl. tax at agreed prices (the cap where none is agreed).",
    )
    estimate_excess = MoneyField(
        read_only=True,
        source="estimate.excess",
        help_text="How far that estimate lies above the ceiling (0 when within).",
    )

    class Meta:
        model = FrameworkContract
        fields = [
            "id",
            "code",
            "name",
            "buyer",
            "vendor",
            "signed_on",
            "start_date",
            "end_date",
            "ceiling_incl_tax",
            "ceiling_excl_tax",
            "tax_rate",
            "settlement_mode",
            "status",
            "settled_total",
            "committed_total",
            "free_amount",
            "estimate_incl_tax",
            "estimate_excess",
            "assessment_template",
        ]
        read_only_fields = ["status"]
        create_only_fields = ["tax_rate"]
        validators = []  # the service names a clash in the user's words
        extra_kwargs = {"start_date": {"required": False}, "end_date": {"required": False}}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A framework contract",
            request_only=True,
            value={
                "code": "MGYY-2026-003",
                "name": "咪咕音乐2026年定制化服务支撑项目",
                "vendor": 2,
                "signed_on": "2026-01-05",
                "start_date": "2026-01-05",
                "end_date": "2027-01-04",
                "ceiling_incl_tax": "17627800.00",
                "tax_rate": "0.0600",
                "settlement_mode": "person_day",
                "assessment_template": 3,
            },
        ),
        OpenApiExample(
            "A contract with its rate card",
            response_only=True,
            value={
                "id": 1,
                "code": "MGYY-2026-003",
                "name": "咪咕音乐2026年定制化服务支撑项目",
                "buyer": 1,
                "vendor": 2,
                "signed_on": "2026-01-05",
                "start_date": "2026-01-05",
                "end_date": "2027-01-04",
                "ceiling_incl_tax": "17627800.00",
                "ceiling_excl_tax": "16630000.00",
                "tax_rate": "0.0600",
                "settlement_mode": "person_day",
                "status": "active",
                "settled_total": "45474.95",
                "committed_total": "54525.05",
                "free_amount": "17527800.00",
                "estimate_incl_tax": "17628237.78",
                "estimate_excess": "437.78",
                "assessment_template": 3,
                "rate_card": [
                    {
                        "id": 1,
                        "contract": 1,
                        "position": 1,
                        "role": "产品/平台服务",
                        "level": "高级",
                        "unit": "人天",
                        "estimated_quantity": "1250.00",
                        "cap_price_excl_tax": "849.06",
                        "cap_price_incl_tax": "900.00",
                        "price_excl_tax": "849.06",
                        "price_incl_tax": "900.00",
                        "estimate_excl_tax": "1061325.00",
                        "estimate_incl_tax": "1125004.50",
                    }
                ],
            },
        ),
    ]
)
class ContractDetailSerializer(ContractSerializer):
    rate_card = RateCardLineSerializer(source="rate_card_lines", many=True, read_only=True)

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "rate_card"]


class ContractViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = FrameworkContract.objects.all()
    selector = staticmethod(contract_detail_queryset)
    history_selector = staticmethod(contract_history)
    filterset_class = ContractFilter
    write_roles = (User.Role.PROCUREMENT,)
    action_roles = FrameworkContract.flow.action_roles()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_class(self):
        return ContractSerializer if self.action == "list" else ContractDetailSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.setdefault("buyer", self.request.user.organization)
        serializer.instance = services.contract_create(**data)

    def perform_update(self, serializer):
        serializer.instance = services.contract_update(
            contract=serializer.instance, **serializer.validated_data
        )

    def _answer(self, contract):
        return Response(
            ContractDetailSerializer(
                self.get_queryset().get(pk=contract.pk), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(request=None, responses=ContractDetailSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        return self._answer(services.contract_activate(contract=self.get_object()))

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "RateCardUpload", {"file": serializers.FileField()}
            )
        },
        responses=ContractDetailSerializer,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="rate-card/import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def rate_card_import(self, request, pk=None):
        contract = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": [_("Choose a workbook to upload.")]})
        services.rate_card_import(contract=contract, upload=upload)
        return self._answer(contract)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="rate-card/export")
    def rate_card_export(self, request, pk=None):
        contract = self.get_object()
        return attachment(rate_card_workbook(contract), f"报价表-{contract.code}.xlsx", XLSX)


class TaxRateSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    class Meta:
        model = TaxRate
        fields = ["id", "contract", "effective_from", "rate"]
        create_only_fields = ["contract"]
        validators = []  # the service names a clash in the user's words


class TaxRateViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = TaxRate.objects.select_related("contract")
    serializer_class = TaxRateSerializer
    filterset_class = TaxRateFilter
    write_roles = (User.Role.PROCUREMENT,)

    def perform_create(self, serializer):
        serializer.instance = services.tax_rate_add(**serializer.validated_data)

    def perform_update(self, serializer):
        data = serializer.validated_data
        tax_rate = serializer.instance
        serializer.instance = services.tax_rate_update(
            tax_rate=tax_rate,
            effective_from=data.get("effective_from", tax_rate.effective_from),
            rate=data.get("rate", tax_rate.rate),
        )

    def perform_destroy(self, instance):
        services.tax_rate_delete(tax_rate=instance)


class RateCardLineViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = RateCardLine.objects.select_related("contract").prefetch_related(
        "contract__tax_rates"
    )
    serializer_class = RateCardLineSerializer
    filterset_class = RateCardLineFilter
    write_roles = (User.Role.PROCUREMENT,)

    def perform_create(self, serializer):
        serializer.instance = services.rate_card_line_save(
            line=RateCardLine(**serializer.validated_data)
        )

    def perform_update(self, serializer):
        line = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(line, name, value)
        serializer.instance = services.rate_card_line_save(line=line)

    def perform_destroy(self, instance):
        services.rate_card_line_delete(line=instance)


class PriceChangeSerializer(VisibleRelatedFieldsMixin, serializers.Serializer):
    rate_card_line = serializers.PrimaryKeyRelatedField(queryset=RateCardLine.objects.all())
    price_excl_tax = MoneyField()


class AddedLineSerializer(serializers.Serializer):
    role = serializers.CharField(max_length=100)
    level = serializers.CharField(max_length=4, allow_blank=True, required=False, default="")
    unit = serializers.ChoiceField(RateCardLine.Unit.choices, default=RateCardLine.Unit.PERSON_DAY)
    estimated_quantity = DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    cap_price_excl_tax = MoneyField()
    price_excl_tax = MoneyField()


class AmendmentSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    ceiling_incl_tax = MoneyField(required=False, allow_null=True)
    price_changes = PriceChangeSerializer(many=True, required=False)
    added_lines = AddedLineSerializer(many=True, required=False)

    class Meta:
        model = Amendment
        fields = [
            "id",
            "contract",
            "number",
            "effective_from",
            "description",
            "ceiling_incl_tax",
            "end_date",
            "tax_rate",
            "assessment_template",
            "price_changes",
            "added_lines",
            "status",
            "vendor_signed_at",
            "signed_at",
        ]
        read_only_fields = ["status", "vendor_signed_at", "signed_at"]
        create_only_fields = ["contract"]

    def to_representation(self, instance):
        row = super().to_representation(instance)
        lines = list(instance.lines.all())
        row["price_changes"] = [
            {"rate_card_line": line.rate_card_line_id, "price_excl_tax": f"{line.price_excl_tax}"}
            for line in lines
            if line.rate_card_line_id
        ]
        row["added_lines"] = [
            AddedLineSerializer(line).data for line in lines if not line.rate_card_line_id
        ]
        return row

    def validate(self, attrs):
        attrs = dict(attrs)
        if "price_changes" in attrs or "added_lines" in attrs:
            current = [] if self.instance is None else amendments._changes(self.instance)
            attrs["lines"] = [
                *(
                    amendments.LineChange(**change)
                    for change in attrs.pop(
                        "price_changes", [vars(c) for c in current if c.rate_card_line]
                    )
                ),
                *(
                    amendments.LineChange(**added)
                    for added in attrs.pop(
                        "added_lines",
                        [
                            {k: v for k, v in vars(c).items() if k != "rate_card_line"}
                            for c in current
                            if not c.rate_card_line
                        ],
                    )
                ),
            ]
        return attrs


class AmendmentViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    """补充协议 (11.4): procurement drafts and edits, the vendor signs, then the buyer."""

    queryset = Amendment.objects.select_related("contract").prefetch_related("lines")
    history_selector = staticmethod(amendment_history)
    serializer_class = AmendmentSerializer
    filterset_class = AmendmentFilter
    write_roles = (User.Role.PROCUREMENT,)
    action_roles = Amendment.flow.action_roles()

    def perform_create(self, serializer):
        serializer.instance = amendments.amendment_create(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = amendments.amendment_update(
            amendment=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        amendments.amendment_delete(amendment=instance)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        amendment = amendments.amendment_sign(amendment=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=amendment.pk)).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        amendment = self.get_object()
        return attachment(
            amendments.amendment_pdf(amendment),
            f"补充协议-{amendment.contract.code}-{amendment.number}.pdf",
            "application/pdf",
        )
