from datetime import date

from celery import current_app, states
from celery.result import AsyncResult
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_serializer,
    inline_serializer,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from contracts.models import FrameworkContract
from core.calendar import any_provisional, provisional_years
from core.history import HistoryMixin
from core.http import XLSX, attachment
from core.models import User
from core.rest import (
    DecimalField,
    ModelSerializer,
    MoneyField,
    MonthField,
    VisibleQuerysetMixin,
    action_input,
)
from core.tasks import INTERRUPTED
from orders.models import Order, PaymentPlanItem
from settlement import fanout, list_cache, services
from settlement.documents import ledger_workbook, sheet_pdf
from settlement.filters import ExportFilter, SheetFilter
from settlement.models import SettlementSheet, SheetLine, TaskRun, visibility
from settlement.selectors import sheet_history, sheet_list
from settlement.tasks import export_name, settlements_compute_task, sheets_pdf_zip_task


class SheetLineSerializer(ModelSerializer):
    # `role` and `days` are the names the API has always answered for the priced item and
    # its quantity (pieces too, on a per-item order).
    role = serializers.CharField(source="item", read_only=True)
    days = DecimalField(source="quantity", max_digits=10, decimal_places=1, read_only=True)
    unit_price_incl_tax = MoneyField()

    class Meta:
        model = SheetLine
        fields = [
            "role",
            "level",
            "days",
            "unit",
            "unit_price_incl_tax",
            "amount",
            "item",
            "quantity",
        ]


def _example_line(role, level, days, price, amount):
    return {
        "role": role,
        "level": level,
        "days": days,
        "unit": "人天",
        "unit_price_incl_tax": price,
        "amount": amount,
        "item": role,
        "quantity": days,
    }


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "SPEC's worked example, signed",
            description="(41.5 × 900.00 + 19 × 621.69) × 92.5 / 100 = 45,474.95 incl. tax.",
            response_only=True,
            value={
                "id": 5,
                "order": 1,
                "contract": 1,
                "month": "2026-10",
                "kind": "month",
                "base_amount": "49162.1100",
                "score": "92.50",
                "tax_rate": "0.0600",
                "payable_incl_tax": "45474.95",
                "payable_excl_tax": "42900.90",
                "tax_amount": "2574.05",
                "uncapped_incl_tax": "45474.95",
                "deductions_incl_tax": "0.00",
                "offsets": [],
                "capped": False,
                "provisional": False,
                "status": "signed",
                "invoice_number": "",
                "invoice_amount": None,
                "invoiced_on": None,
                "invoice_due_by": "2026-11-17",
                "paid_on": None,
                "payment_due_by": None,
                "adjusts": None,
                "adjustment_reason": "",
                "worklog": 9,
                "assessment": 9,
                "payment_item": None,
                "achievement": None,
                "vendor_confirmed_at": "2026-11-09T10:02:00+08:00",
                "signed_at": "2026-11-10T15:40:00+08:00",
                "lines": [
                    _example_line("产品/平台服务", "高级", "41.5", "900.00", "37350.0000"),
                    _example_line("技术支持", "初级", "19.0", "621.69", "11812.1100"),
                ],
            },
        )
    ]
)
class SheetSerializer(ModelSerializer):
    month = MonthField()
    uncapped_incl_tax = MoneyField()
    # The decided penalties and refunds it offsets (governance's penalties/, `offset_sheet`).
    deductions_incl_tax = MoneyField()
    offsets = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    payable_incl_tax = MoneyField()
    payable_excl_tax = MoneyField()
    tax_amount = MoneyField()
    invoice_amount = MoneyField(allow_null=True)
    lines = SheetLineSerializer(many=True)

    class Meta:
        model = SettlementSheet
        fields = [
            "id",
            "order",
            "contract",
            "month",
            "base_amount",
            "score",
            "tax_rate",
            "payable_incl_tax",
            "payable_excl_tax",
            "tax_amount",
            "uncapped_incl_tax",
            "deductions_incl_tax",
            "offsets",
            "capped",
            "status",
            "invoice_number",
            "invoice_amount",
            "invoiced_on",
            "invoice_due_by",
            "paid_on",
            "payment_due_by",
            "adjusts",
            "adjustment_reason",
            "worklog",
            "assessment",
            "payment_item",
            "achievement",
            "vendor_confirmed_at",
            "signed_at",
            "lines",
            "kind",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        # A list reads the provisional years once for its page (the viewset's context).
        years = self.context.get("provisional_years")
        return with_provisional(
            super().to_representation(instance), provisional_years() if years is None else years
        )


def with_provisional(row: dict, years: set[int]) -> dict:
    """`provisional`: a deadline of the sheet is counted on a year not yet published (暂定)."""
    dues = (row["invoice_due_by"], row["payment_due_by"])
    row["provisional"] = any_provisional([date.fromisoformat(due) for due in dues if due], years)
    return row


class SettlementViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Sheets are computed and moved by their actions only: none is written directly."""

    queryset = SettlementSheet.objects.all()
    selector = staticmethod(sheet_list)
    history_selector = staticmethod(sheet_history)
    serializer_class = SheetSerializer

    @property
    def filterset_class(self):
        """The list's filter; the ledger and the zip take several statuses (ExportFilter)."""
        return ExportFilter if self.action in ("export", "pdf_zip") else SheetFilter

    action_roles = {
        **SettlementSheet.flow.action_roles(),
        "compute": (User.Role.PROCUREMENT,),
        "compute-milestone": (User.Role.PROCUREMENT,),
        "true-up-milestone": (User.Role.PROCUREMENT,),
        "adjust": (User.Role.PROCUREMENT,),
        "pdf-zip": (User.Role.FINANCE, User.Role.PROCUREMENT, User.Role.VENDOR_PM),
    }

    def get_queryset(self):
        """A page of the list answers ids, not the contracts and orders the pages and documents
        read with each sheet: the portal's busiest read (make bench)."""
        if self.action == "list" and self.request.user.is_authenticated:
            sheets = SettlementSheet.objects.visible_to(self.request.user)
            return sheets.prefetch_related("lines", "offsets")
        return super().get_queryset()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list":
            context["provisional_years"] = provisional_years()
        return context

    def list(self, request, *args, **kwargs):
        """A page in JSON is answered from the cache when kept (settlement.list_cache), as the
        serializer wrote it: its rows, the money's text and the JSON cost ~90% of the request."""
        if not isinstance(request.accepted_renderer, JSONRenderer):
            return super().list(request, *args, **kwargs)
        # The key's version is read before the rows (list_cache).
        key = list_cache.page_key(request, *visibility(request.user))
        body = cache.get(key)
        if body is None:
            page = super().list(request, *args, **kwargs)
            body = request.accepted_renderer.render(
                page.data, request.accepted_media_type, self.get_renderer_context()
            )
            cache.set(key, body, list_cache.KEPT_SECONDS)
        return HttpResponse(body, content_type=request.accepted_renderer.media_type)

    def _answer(self, sheet):
        return Response(self.get_serializer(self.get_queryset().get(pk=sheet.pk)).data)

    @extend_schema(
        request=inline_serializer("MilestoneCompute", {"payment_item": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="compute-milestone")
    def compute_milestone(self, request):
        """A fixed-price contract's milestone (an order's payment-plan item) as a draft sheet,
        or brought up to date while a draft (004)."""
        milestones = PaymentPlanItem.objects.filter(
            order__in=Order.objects.visible_to(request.user)
        )
        data = action_input(
            request, payment_item=serializers.PrimaryKeyRelatedField(queryset=milestones)
        )
        return self._answer(services.payment_sheet_compute(item=data["payment_item"]))

    @extend_schema(
        request=inline_serializer("MilestoneTrueUp", {"payment_item": serializers.IntegerField()})
    )
    @action(detail=False, methods=["post"], url_path="true-up-milestone")
    def true_up_milestone(self, request):
        """004 考核条款 2: the adjustment sheet giving back what a milestone paid in full on its
        date owes once its KPI period is scored below 90%; 409 when there is none to make (a
        second one among them)."""
        milestones = PaymentPlanItem.objects.filter(
            order__in=Order.objects.visible_to(request.user)
        )
        data = action_input(
            request, payment_item=serializers.PrimaryKeyRelatedField(queryset=milestones)
        )
        adjustment = services.milestone_true_up(item=data["payment_item"], actor=request.user)
        return self._answer(adjustment)

    @extend_schema(
        request=inline_serializer(
            "SettlementCompute",
            {
                "month": MonthField(),
                "contract": serializers.IntegerField(required=False),
                "order": serializers.IntegerField(required=False),
            },
        ),
        responses={202: inline_serializer("TaskStarted", {"task_id": serializers.CharField()})},
    )
    @action(detail=False, methods=["post"])
    def compute(self, request):
        """Starts the month's computation; answers 202 and the task id to follow."""
        user = request.user
        data = action_input(
            request,
            month=MonthField(),
            contract=serializers.PrimaryKeyRelatedField(
                queryset=FrameworkContract.objects.visible_to(user), required=False
            ),
            order=serializers.PrimaryKeyRelatedField(
                queryset=Order.objects.visible_to(user), required=False
            ),
        )
        args = (
            f"{data['month']:%Y-%m}",
            getattr(data.get("contract"), "pk", None),
            getattr(data.get("order"), "pk", None),
            None if user.sees_everything else user.organization_id,  # only the caller's buyer
        )
        task_id = services.task_run_start(task=settlements_compute_task, args=args, user=user)
        return Response({"task_id": task_id}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._answer(services.sheet_confirm(sheet=self.get_object(), actor=request.user))

    @extend_schema(
        request=inline_serializer(
            "SheetAdjust", {"amount_incl_tax": MoneyField(), "reason": serializers.CharField()}
        )
    )
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        sheet = self.get_object()
        data = action_input(request, amount_incl_tax=MoneyField(), reason=serializers.CharField())
        return self._answer(services.sheet_adjust(sheet=sheet, **data))

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        sheet = self.get_object()
        return attachment(
            sheet_pdf(sheet),
            f"结算单-{sheet.order.number}-{sheet.month:%Y-%m}.pdf",
            "application/pdf",
        )

    @extend_schema(
        request=None,
        responses={202: inline_serializer("ZipStarted", {"task_id": serializers.CharField()})},
    )
    @action(detail=False, methods=["post"], url_path="pdf-zip")
    def pdf_zip(self, request):
        """The PDFs of the sheets the list's filters select, zipped by a task; `?status=` as
        many times as wanted, signed and later (signed, invoiced, paid) unless given."""
        ids = list(self.filter_queryset(self.get_queryset()).values_list("pk", flat=True))
        task_id = services.task_run_start(
            task=sheets_pdf_zip_task, args=(request.user.pk, ids), user=request.user
        )
        return Response({"task_id": task_id}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"], url_path=r"pdf-zip/(?P<task_id>[0-9a-f-]{36})")
    def pdf_zip_download(self, request, task_id=None):
        """The zip is its starter's alone (the path is theirs), whoever else follows the task."""
        name = export_name(request.user.pk, task_id)
        if not default_storage.exists(name):
            raise Http404
        return FileResponse(default_storage.open(name), as_attachment=True, filename="结算单.zip")

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=False, methods=["get"])
    def export(self, request):
        """The ledger (结算台账) of the list's filters: `?status=` as many times as wanted,
        signed and later unless given; a subtotal per status and the total."""
        sheets = self.filter_queryset(self.get_queryset())
        return attachment(ledger_workbook(sheets), "结算台账.xlsx", XLSX)


TASK_STATES = [*sorted(states.ALL_STATES), "PROGRESS", INTERRUPTED]


@extend_schema(
    responses=inline_serializer(
        "TaskState",
        {
            "state": serializers.ChoiceField(TASK_STATES),
            "progress": inline_serializer(
                "TaskProgress",
                {"done": serializers.IntegerField(), "total": serializers.IntegerField()},
                allow_null=True,
                help_text="Parts done of the total while the job runs (PROGRESS); else null.",
            ),
            "result": serializers.JSONField(
                allow_null=True,
                help_text="What the job answered once it succeeded (SUCCESS); else null.",
            ),
        },
    )
)
@api_view(["GET"])
def task_state(request, task_id):
    """A long job's state: PENDING, STARTED, PROGRESS {done, total}, SUCCESS with its result,
    FAILURE, or INTERRUPTED: its worker stopped (killed, its machine lost) before it ended;
    start it again. Only who started the job, their organization's procurement and the admins
    follow it: for anyone else, as for an unknown id, 404."""
    run = get_object_or_404(TaskRun.objects.visible_to(request.user), task_id=task_id)
    state, progress = fanout.job_state(run)
    return Response(
        {
            "state": state,
            "progress": progress if state == "PROGRESS" else None,
            "result": AsyncResult(run.task_id).result if state == "SUCCESS" else None,
        }
    )


@extend_schema(
    request=None,
    responses={202: inline_serializer("TaskResumed", {"task_id": serializers.CharField()})},
)
@api_view(["POST"])
@permission_classes([IsAuthenticated])  # whoever may follow the job: 404 for anyone else
def task_resume(request, task_id):
    """Runs a job in parts again where it stopped: its failed parts, and those a lost worker
    left, then its last step; the parts done stay done. 409 while it still runs or when it has
    nothing to resume."""
    run = get_object_or_404(TaskRun.objects.visible_to(request.user), task_id=task_id)
    fanout.resume(run, current_app.tasks[run.name])
    return Response({"task_id": run.task_id}, status=status.HTTP_202_ACCEPTED)
