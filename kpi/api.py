from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assessment.api import AssessmentSerializer
from core.history import HistoryMixin
from core.models import User
from core.rest import (
    CreateOnlyFieldsMixin,
    DecimalField,
    ModelSerializer,
    MonthField,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    action_input,
    reason_field,
)
from kpi import services
from kpi.filters import KpiReportFilter
from kpi.models import KpiReport
from orders.models import Order

FIGURES = [name for name, _code in KpiReport.FIGURES]


class KpiReportSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    month = MonthField()
    due_on = serializers.DateField(read_only=True)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = KpiReport
        fields = [
            "id",
            "order",
            "month",
            "status",
            *FIGURES,
            "due_on",
            "is_late",
            "returned_reason",
            "submitted_at",
            "approved_at",
            "approved_by",
        ]
        read_only_fields = ["status", "returned_reason", "submitted_at", "approved_at"]
        create_only_fields = ["order", "month"]
        validators = []  # one report per order and month: creating again edits the same one


def period_fields():
    return {
        "order": serializers.PrimaryKeyRelatedField(queryset=Order.objects.all()),
        "months": serializers.IntegerField(min_value=1, max_value=36),
    }


class KpiReportViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    """The vendor's monthly KPI reports (004), and the roll-ups of a period."""

    queryset = KpiReport.objects.all()
    serializer_class = KpiReportSerializer
    filterset_class = KpiReportFilter
    write_roles = (User.Role.VENDOR_PM,)
    action_roles = {
        **KpiReport.flow.action_roles(),
        "assess": (User.Role.PROCUREMENT,),
        "period": (User.Role.PROCUREMENT, User.Role.VENDOR_PM, User.Role.FINANCE),
    }
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def _save(self, serializer, order, month):
        figures = {
            name: serializer.validated_data.get(name, getattr(serializer.instance, name, 0))
            for name in FIGURES
        }
        serializer.instance = services.kpi_report_save(order=order, month=month, figures=figures)

    def perform_create(self, serializer):
        data = serializer.validated_data
        self._save(serializer, data["order"], data["month"])

    def perform_update(self, serializer):
        report = serializer.instance
        self._save(serializer, report.order, report.month)

    def _answer(self, report):
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    def _period_input(self, request, data, **extra):
        """The period asked for, of an order the user sees (another vendor's is "invalid",
        as an id that does not exist)."""
        fields = period_fields() | extra
        fields["order"] = serializers.PrimaryKeyRelatedField(
            queryset=Order.objects.visible_to(request.user)
        )
        serializer = type("KpiPeriodInput", (serializers.Serializer,), fields)(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.kpi_report_submit(report=self.get_object()))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(
            services.kpi_report_approve(report=self.get_object(), actor=request.user)
        )

    @extend_schema(request=inline_serializer("KpiReportReturn", reason_field()))
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        report = self.get_object()
        return self._answer(
            services.kpi_report_return(report=report, **action_input(request, **reason_field()))
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("order", int, required=True),
            OpenApiParameter("months", int, required=True),
        ],
        responses=inline_serializer(
            "KpiPeriod",
            {
                "order": serializers.IntegerField(),
                "months": serializers.IntegerField(),
                "start": MonthField(),
                "totals": serializers.DictField(),
                "missing": serializers.ListField(child=MonthField()),
                "baselines": serializers.ListField(child=serializers.DictField()),
                "achievement": DecimalField(max_digits=7, decimal_places=4),
                "passed": serializers.BooleanField(),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def period(self, request):
        """The roll-up of the first `months` of an order: totals of its approved reports,
        each baseline's target and share reached, and whether the period passes (90%)."""
        data = self._period_input(request, request.query_params)
        period = services.kpi_period(data["order"], data["months"])
        return Response(
            {
                "order": period.order.pk,
                "months": period.months,
                "start": f"{period.start:%Y-%m}",
                "totals": {name: str(total) for name, total in period.totals.items()},
                "missing": [f"{month:%Y-%m}" for month in period.missing],
                "baselines": [
                    {
                        "code": row.baseline.code,
                        "name": row.baseline.name,
                        "target": str(row.target),
                        "actual": str(row.actual),
                        "reached": str(row.reached),
                    }
                    for row in period.rows
                ],
                "achievement": str(period.achievement),
                "passed": period.passed,
            }
        )

    @extend_schema(
        request=inline_serializer(
            "KpiAssess",
            period_fields() | {"bonuses": serializers.DictField(child=DecimalField(6, 2))},
        ),
        responses=AssessmentSerializer,
    )
    @action(detail=False, methods=["post"])
    def assess(self, request):
        """The KPI template applied to the period (a draft score to publish); `bonuses` gives
        the points of the bonuses the buyer awards by indicator code."""
        data = self._period_input(
            request,
            request.data,
            bonuses=serializers.DictField(child=DecimalField(6, 2), required=False, default=dict),
        )
        assessment = services.kpi_assess(
            order=data["order"], months=data["months"], bonuses=data["bonuses"]
        )
        return Response(AssessmentSerializer(assessment, context={"request": request}).data)
