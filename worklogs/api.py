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

from core.history import HistoryMixin
from core.http import XLSX, attachment
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
from worklogs import services
from worklogs.filters import WorkLogFilter
from worklogs.kinds import LOG_KINDS, log_kind
from worklogs.lines import DAY_COLUMNS, DELIVERY_COLUMNS, api_fields
from worklogs.models import REMARK_LENGTH, DeliveryLine, WorkLog, WorkLogLine
from worklogs.selectors import worklog_history, worklog_list


class WorkLogLineSerializer(WholeItemsMixin, ModelSerializer):
    staff = serializers.IntegerField(source="staff_id")
    role = serializers.CharField(read_only=True)
    level = serializers.CharField(read_only=True)
    name = serializers.CharField(source="staff.name", read_only=True)
    days = DecimalField(max_digits=4, decimal_places=1)
    remark = serializers.CharField(max_length=REMARK_LENGTH, required=False, allow_blank=True)

    class Meta:
        model = WorkLogLine
        fields = api_fields(DAY_COLUMNS)


class DeliveryLineSerializer(WholeItemsMixin, ModelSerializer):
    quantity = serializers.IntegerField(min_value=0)
    qa_claims = serializers.IntegerField(min_value=0, required=False, default=0)

    class Meta:
        model = DeliveryLine
        fields = api_fields(DELIVERY_COLUMNS)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A month's person-days",
            request_only=True,
            value={
                "order": 1,
                "month": "2026-10",
                "lines": [{"staff": 1, "days": "18"}, {"staff": 4, "days": "10"}],
            },
        ),
        OpenApiExample(
            "A log submitted",
            response_only=True,
            value={
                "id": 9,
                "order": 1,
                "month": "2026-10",
                "status": "submitted",
                "lines": [
                    {
                        "staff": 1,
                        "name": "王磊",
                        "role": "产品/平台服务",
                        "level": "高级",
                        "days": "18.0",
                        "remark": "",
                    },
                    {
                        "staff": 4,
                        "name": "陈晨",
                        "role": "技术支持",
                        "level": "初级",
                        "days": "10.0",
                        "remark": "",
                    },
                ],
                "total_days": "28.0",
                "deliveries": [],
                "total_quantity": 0,
                "returned_reason": "",
                "submitted_at": "2026-11-03T17:20:00+08:00",
                "approved_at": None,
                "approved_by": None,
            },
        ),
    ]
)
class WorkLogSerializer(CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, ModelSerializer):
    month = MonthField()
    lines = WorkLogLineSerializer(many=True, required=False)
    total_days = DecimalField(max_digits=8, decimal_places=1, read_only=True)
    deliveries = DeliveryLineSerializer(many=True, required=False)
    total_quantity = serializers.IntegerField(read_only=True)

    class Meta:
        model = WorkLog
        fields = [
            "id",
            "order",
            "month",
            "status",
            "lines",
            "total_days",
            "deliveries",
            "total_quantity",
            "returned_reason",
            "submitted_at",
            "approved_at",
            "approved_by",
        ]
        read_only_fields = [
            "status",
            "returned_reason",
            "submitted_at",
            "approved_at",
            "approved_by",
        ]
        create_only_fields = ["order", "month"]
        validators = []  # one log per order and month: creating again opens the same log


def _save(log, data):
    """The lines the request gives, in the field of each kind of log: the log's own are saved;
    an empty list of another kind, as a GET answers it, is no change; a filled one is refused."""
    own = log_kind(log.order.contract)
    for kind in LOG_KINDS.values():
        given = data.get(kind.lines_field)
        if given and kind is not own:  # refused before anything is saved
            services.worklog_save_lines(log=log, lines=kind.from_api(given), kind=kind)
    given = data.get(own.lines_field)
    if given is not None:
        log = services.worklog_save_lines(log=log, lines=own.from_api(given), kind=own)
    return log


class WorkLogViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = WorkLog.objects.all()
    selector = staticmethod(worklog_list)
    history_selector = staticmethod(worklog_history)
    serializer_class = WorkLogSerializer
    filterset_class = WorkLogFilter
    write_roles = (User.Role.VENDOR_PM,)
    action_roles = WorkLog.flow.action_roles()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        data = serializer.validated_data
        log = services.worklog_open(order=data["order"], month=data["month"])
        empty = log_kind(log.order.contract).lines_field
        serializer.instance = _save(log, {empty: [], **data})

    def perform_update(self, serializer):
        serializer.instance = _save(serializer.instance, serializer.validated_data)

    def _answer(self, log):
        return Response(self.get_serializer(self.get_queryset().get(pk=log.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._answer(services.worklog_submit(log=self.get_object()))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._answer(services.worklog_approve(log=self.get_object(), actor=request.user))

    @extend_schema(request=inline_serializer("WorkLogReturn", reason_field()))
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        log = self.get_object()
        return self._answer(
            services.worklog_return(log=log, **action_input(request, **reason_field()))
        )

    @extend_schema(request=inline_serializer("WorkLogReopen", reason_field()))
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        log = self.get_object()
        return self._answer(
            services.worklog_reopen(log=log, **action_input(request, **reason_field()))
        )

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def template(self, request, pk=None):
        log = self.get_object()
        return attachment(*log_kind(log.order.contract).workbook(log.order, log.month, log), XLSX)

    @extend_schema(
        request={
            "multipart/form-data": inline_serializer(
                "WorkLogUpload", {"file": serializers.FileField()}
            )
        }
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_(self, request, pk=None):
        log = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": [_("Choose a workbook to upload.")]})
        services.worklog_import(order=log.order, month=log.month, upload=upload)
        return self._answer(log)
