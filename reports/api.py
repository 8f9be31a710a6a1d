"""The reports over REST, for BI tools: the rows the pages show, read-only, same visibility."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from contracts.models import FrameworkContract
from core.models import User
from core.rest import MONTH, DecimalField, MoneyField, MonthField
from reports.forms import SpendForm
from reports.selectors import consumption, outlook, spend, vendor_scores, vendors


def quantity(**kwargs):
    return DecimalField(max_digits=12, decimal_places=1, **kwargs)


class ConsumptionRowSerializer(serializers.Serializer):
    role = serializers.CharField()
    level = serializers.CharField()
    unit = serializers.CharField()
    estimated_quantity = DecimalField(max_digits=12, decimal_places=2)
    planned_quantity = quantity()
    approved_quantity = quantity()
    settled_quantity = quantity()
    settled_incl_tax = MoneyField()
    projected_quantity = quantity()


class SpendRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    settled_incl_tax = MoneyField()
    invoiced_incl_tax = MoneyField()
    paid_incl_tax = MoneyField()


class ScoreRowSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    order_number = serializers.CharField()
    month = MonthField()
    period_months = serializers.IntegerField()
    score = DecimalField(max_digits=6, decimal_places=2)
    deductions = serializers.DictField(child=DecimalField(max_digits=6, decimal_places=2))
    incidents = serializers.IntegerField()
    # A KPI period's (004) measured indicators: the figure reached / its baseline.
    achievement = serializers.DictField(child=DecimalField(max_digits=8, decimal_places=4))


class WeekSerializer(serializers.Serializer):
    week_start = serializers.DateField(source="first")
    week_end = serializers.DateField(source="last")
    sheets = serializers.IntegerField()
    due_incl_tax = MoneyField()


class OutlookSerializer(serializers.Serializer):
    not_invoiced_incl_tax = MoneyField(source="not_invoiced_total")
    overdue_incl_tax = MoneyField(source="overdue_total")
    weeks = WeekSerializer(many=True)
    later_incl_tax = MoneyField(source="later")
    paid_this_month = MoneyField()


def _object_id(request, name: str) -> str:
    """A required `?name=<id>`; an id the user may not see answers 404 as one that is not."""
    value = request.query_params.get(name, "")
    if not value:
        raise ValidationError({name: [_("This field is required.")]})
    if not value.isdigit():
        raise NotFound
    return value


@extend_schema(
    parameters=[OpenApiParameter("contract", int, required=True)],
    responses=ConsumptionRowSerializer(many=True),
)
@api_view(["GET"])
def consumption_report(request):
    """A contract's 附件3 lines: estimated, planned by issued orders, approved in logs,
    settled by signed sheets (quantity and money), and projected to the term's end at the pace
    of the last three months with approved work."""
    contracts = FrameworkContract.objects.visible_to(request.user)
    contract = get_object_or_404(contracts, pk=_object_id(request, "contract"))
    report = consumption(contracts.filter(pk=contract.pk))[0]
    return Response(ConsumptionRowSerializer(report.rows, many=True).data)


@extend_schema(
    parameters=[
        OpenApiParameter("group_by", str, enum=list(SpendForm.GROUPS)),
        OpenApiParameter("from", MONTH, description="YYYY-MM (this year's January unless given)"),
        OpenApiParameter("to", MONTH, description="YYYY-MM (this month unless given)"),
    ],
    responses=SpendRowSerializer(many=True),
)
@api_view(["GET"])
def spend_report(request):
    """Signed sheets of the service months `from` to `to`: what they settled, what invoices in
    force charge for them and what was paid, by month, vendor, contract or role."""
    form = SpendForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(form.errors)
    rows = spend(user=request.user, **form.cleaned_data)
    return Response(SpendRowSerializer(rows, many=True).data)


@extend_schema(
    parameters=[OpenApiParameter("vendor", int, required=True)],
    responses=ScoreRowSerializer(many=True),
)
@api_view(["GET"])
def vendor_scores_report(request):
    """A vendor's confirmed scores by order and month, with the points lost in each category
    of the template (a vendor's PM: its own only)."""
    vendor = get_object_or_404(vendors(user=request.user), pk=_object_id(request, "vendor"))
    rows = vendor_scores(user=request.user, vendor=vendor)
    return Response(ScoreRowSerializer(rows, many=True).data)


@extend_schema(responses=OutlookSerializer)
@api_view(["GET"])
def outlook_report(request):
    """Finance's next eight weeks: signed but not invoiced, due week by week, overdue, paid
    this month (buyer side only)."""
    if not request.user.has_role(User.Role.FINANCE, User.Role.PROCUREMENT):
        raise PermissionDenied
    report = outlook(user=request.user, today=timezone.localdate())
    return Response(OutlookSerializer(report).data)
