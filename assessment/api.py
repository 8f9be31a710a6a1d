from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assessment import services
from assessment.documents import assessment_pdf
from assessment.filters import AssessmentFilter
from assessment.models import (
    Assessment,
    AssessmentEntry,
    AssessmentTemplate,
    Incident,
    Indicator,
    TemplateCategory,
)
from assessment.selectors import assessment_history, assessment_list
from core.history import HistoryMixin
from core.http import attachment
from core.models import User
from core.rest import (
    CreateOnlyFieldsMixin,
    DecimalField,
    ModelSerializer,
    MonthField,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    WholeItemsMixin,
    action_input,
    reason_field,
)


class EntrySerializer(WholeItemsMixin, ModelSerializer):
    indicator = serializers.IntegerField(source="indicator_id")
    name = serializers.CharField(source="indicator.name", read_only=True)
    value = DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True)
    count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=999_999_999
    )
    actual = DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    target = DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    score = DecimalField(max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = AssessmentEntry
        fields = ["indicator", "name", "value", "count", "actual", "target", "note", "score"]


class IncidentSerializer(WholeItemsMixin, ModelSerializer):
    # Given back on an update, the incident recorded is kept (a rectification may link to it).
    id = serializers.IntegerField(required=False)
    indicator = serializers.IntegerField(source="indicator_id")

    class Meta:
        model = Incident
        fields = ["id", "indicator", "date", "description"]


class AssessmentSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    month = MonthField()
    entries = EntrySerializer(many=True, required=False)
    incidents = IncidentSerializer(many=True, required=False)
    base_score = DecimalField(max_digits=6, decimal_places=2, read_only=True)
    bonus_score = DecimalField(max_digits=6, decimal_places=2, read_only=True)
    total_score = DecimalField(max_digits=6, decimal_places=2, read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "order",
            "month",
            "period_months",
            "template",
            "entries",
            "incidents",
            "base_score",
            "bonus_score",
            "total_score",
            "status",
            "dispute_reason",
            "reopened_reason",
            "published_at",
            "confirmed_at",
        ]
        read_only_fields = [
            "period_months",
            "template",
            "status",
            "dispute_reason",
            "reopened_reason",
            "published_at",
            "confirmed_at",
        ]
        create_only_fields = ["order", "month"]
        validators = []  # one score per order and month: creating again opens the same one


def _figures(data):
    entries = [
        {"indicator": e["indicator_id"], **{k: v for k, v in e.items() if k != "indicator_id"}}
        for e in data.get("entries", [])
    ]
    incidents = [
        {
            "id": i.get("id"),
            "indicator": i["indicator_id"],
            "date": i["date"],
            "description": i["description"],
        }
        for i in data.get("incidents", [])
    ]
    return entries, incidents


class AssessmentViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    """Procurement scores; the vendor PM sees, confirms or disputes; finance reads."""

    queryset = Assessment.objects.all()
    selector = staticmethod(assessment_list)
    history_selector = staticmethod(assessment_history)
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    write_roles = (User.Role.PROCUREMENT,)
    action_roles = Assessment.flow.action_roles()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        assessment = services.assessment_open(order=data["order"], month=data["month"])
        entries, incidents = _figures(data)
        serializer.instance = services.assessment_save(
            assessment=assessment, entries=entries, incidents=incidents
        )

    def perform_update(self, serializer):
        current = serializer.instance
        data = serializer.validated_data
        entries, incidents = _figures(data)
        recorded_entries, recorded_incidents = services.assessment_figures(current)
        if "entries" not in data:
            entries = recorded_entries
        if "incidents" not in data:
            incidents = recorded_incidents
        serializer.instance = services.assessment_save(
            assessment=current, entries=entries, incidents=incidents
        )

    def _answer(self, assessment):
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(
            services.assessment_publish(assessment=self.get_object(), actor=request.user)
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._answer(
            services.assessment_confirm(assessment=self.get_object(), actor=request.user)
        )

    @extend_schema(request=inline_serializer("AssessmentReopen", reason_field()))
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        assessment = self.get_object()
        data = action_input(request, **reason_field())
        return self._answer(services.assessment_reopen(assessment=assessment, **data))

    @extend_schema(request=inline_serializer("AssessmentDispute", reason_field()))
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        assessment = self.get_object()
        data = action_input(request, **reason_field())
        return self._answer(services.assessment_dispute(assessment=assessment, **data))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        assessment = self.get_object()
        return attachment(
            assessment_pdf(assessment),
            f"考核表-{assessment.order.number}-{assessment.month:%Y-%m}.pdf",
            "application/pdf",
        )


class IndicatorSerializer(ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "kind", "max", "per_unit", "target", "rule"]
        read_only_fields = ["id"]


class TemplateCategorySerializer(ModelSerializer):
    indicators = IndicatorSerializer(many=True)

    class Meta:
        model = TemplateCategory
        fields = ["name", "max", "is_bonus", "indicators"]


class AssessmentTemplateSerializer(ModelSerializer):
    categories = TemplateCategorySerializer(many=True)

    class Meta:
        model = AssessmentTemplate
        fields = [
            "id",
            "buyer",
            "name",
            "version",
            "status",
            "total",
            "period_months",
            "categories",
        ]
        read_only_fields = ["buyer", "version", "status"]
        validators = []  # versions are numbered by the service


class AssessmentTemplateViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    """附件2-like templates as data; a published one changes only by a new version."""

    queryset = AssessmentTemplate.objects.prefetch_related("categories__indicators")
    serializer_class = AssessmentTemplateSerializer
    write_roles = (User.Role.PROCUREMENT,)
    action_roles = AssessmentTemplate.flow.action_roles()
    filterset_fields = ["status", "name"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.template_create(
            spec=serializer.validated_data, actor=self.request.user
        )

    def perform_update(self, serializer):
        spec = {**services.template_spec(serializer.instance), **serializer.validated_data}
        serializer.instance = services.template_update(
            template=serializer.instance, spec=spec, actor=self.request.user
        )

    def _answer(self, template):
        return Response(self.get_serializer(self.get_queryset().get(pk=template.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        return self._answer(
            services.template_publish(template=self.get_object(), actor=request.user)
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        return self._answer(
            services.template_new_version(template=self.get_object(), actor=request.user)
        )
