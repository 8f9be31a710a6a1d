from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
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
from kpi import services, sessions
from kpi.filters import KpiReportFilter, LiveSessionFilter, QuarterReviewFilter
from kpi.models import KpiReport, LiveSession, QuarterReview
from orders.models import Order

FIGURES = [name for name, _code in KpiReport.FIGURES]
ENTERED = [name for name in FIGURES if name not in KpiReport.LIVE_FIGURES]


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
        # The live figures are computed from the month's live sessions: given, they are ignored.
        read_only_fields = [
            "status",
            *KpiReport.LIVE_FIGURES,
            "returned_reason",
            "submitted_at",
            "approved_at",
        ]
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
            for name in ENTERED
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


class QuarterReviewSerializer(VisibleRelatedFieldsMixin, ModelSerializer):
    comment = serializers.CharField(write_only=True)

    class Meta:
        model = QuarterReview
        fields = [
            "id",
            "order",
            "quarter",
            "comment",
            "vendor_comment",
            "vendor_commented_at",
            "vendor_commented_by",
            "buyer_comment",
            "buyer_commented_at",
            "buyer_commented_by",
        ]
        read_only_fields = [
            "vendor_comment",
            "vendor_commented_at",
            "vendor_commented_by",
            "buyer_comment",
            "buyer_commented_at",
            "buyer_commented_by",
        ]
        validators = []  # one review per quarter: commenting again edits the same one


def comment_field() -> dict:
    return {"comment": serializers.CharField()}


class QuarterReviewViewSet(
    HistoryMixin,
    VisibleQuerysetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """004's quarterly reviews (季度复盘): a comment from each side; the quarter's figures are
    `kpi-reports/period/` of its 3n months. Creating one, or `comment/`, writes the caller's
    side (the vendor's PM the vendor's, procurement the buyer's)."""

    queryset = QuarterReview.objects.all()
    serializer_class = QuarterReviewSerializer
    filterset_class = QuarterReviewFilter
    write_roles = tuple(services.SIDES)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.quarter_review_comment(
            order=data["order"],
            quarter=data["quarter"],
            actor=self.request.user,
            comment=data["comment"],
        )

    @extend_schema(request=inline_serializer("QuarterReviewComment", comment_field()))
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        review = self.get_object()
        review = services.quarter_review_comment(
            order=review.order,
            quarter=review.quarter,
            actor=request.user,
            **action_input(request, **comment_field()),
        )
        return Response(self.get_serializer(review).data)


class LiveSessionSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    counts = serializers.BooleanField(read_only=True)
    qualifies = serializers.BooleanField(read_only=True)

    class Meta:
        model = LiveSession
        fields = [
            "id",
            "order",
            "date",
            "platform",
            "minutes",
            "viewers",
            "link",
            "start",
            "counts",
            "qualifies",
        ]
        create_only_fields = ["order"]


class LiveSessionViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    """004's live sessions, one by one; the vendor's PM records them while the month's report
    is a draft or returned, and the report's live figures follow."""

    queryset = LiveSession.objects.select_related("order")
    serializer_class = LiveSessionSerializer
    filterset_class = LiveSessionFilter
    write_roles = (User.Role.VENDOR_PM,)

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = sessions.live_session_save(order=data["order"], data=data)

    def perform_update(self, serializer):
        session = serializer.instance
        data = {name: getattr(session, name) for name in sessions.FIELDS}
        serializer.instance = sessions.live_session_save(
            order=session.order, data=data | serializer.validated_data, session=session
        )

    def perform_destroy(self, instance):
        sessions.live_session_delete(session=instance)
