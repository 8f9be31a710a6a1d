"""Procurement acts on many logs or sheets at once: each one still goes through its own
service (worklog_approve, sheet_confirm) in its own transaction, exactly as if it were acted
on alone, and each answers its own result.

The views do not run in the request's transaction (ATOMIC_REQUESTS): one transaction per item
holds its locks only while that item is acted on, so two people signing overlapping sheets take
turns item by item instead of holding a whole batch's locks, and one refused or busy item never
undoes the others.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db import OperationalError, transaction
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError
from core.locks import BUSY_MESSAGE, is_busy
from core.models import User
from core.money import ZERO
from core.views import require_role
from settlement.models import SettlementSheet
from settlement.selectors import sheet_list
from settlement.services import sheet_confirm
from staffing.models import StaffMember
from staffing.selectors import staff_list
from staffing.services import staff_approve
from worklogs.models import WorkLog
from worklogs.selectors import worklog_list
from worklogs.services import worklog_approve

MAX_IDS = 500  # a page lists at most this many; more is a made-up request
RESULTS = {
    "done": gettext_lazy("Done"),
    "refused": gettext_lazy("Refused"),
    "busy": gettext_lazy("Busy, try again"),
    "not_found": gettext_lazy("Not found"),
}


@dataclass
class Outcome:
    """What became of one id: `result` is done, refused, busy or not_found; `status` the HTTP
    status the single action would have answered."""

    id: int
    result: str
    status: int
    message: str = ""
    target: object = None

    @property
    def result_label(self):
        return RESULTS[self.result]


def act_on_each(ids, queryset, act) -> list[Outcome]:
    """`act(obj)` for each id found in `queryset` (the user's visible objects: another buyer's
    or vendor's id is not found, never acted on), each in its own transaction, in the order
    given. A broken rule refuses that item with its reason; a lock not had in time makes it
    busy (409); neither stops the others."""
    ids = list(dict.fromkeys(ids))
    found = queryset.in_bulk(ids)
    outcomes = []
    for pk in ids:
        target = found.get(pk)
        if target is None:
            outcomes.append(Outcome(pk, "not_found", 404, _("Not found.")))
            continue
        try:
            with transaction.atomic():
                target = act(target)
        except DomainError as error:
            outcomes.append(Outcome(pk, "refused", error.status, error.message, target))
        except OperationalError as error:
            if not is_busy(error):
                raise
            outcomes.append(Outcome(pk, "busy", 409, _(BUSY_MESSAGE), target))
        else:
            outcomes.append(Outcome(pk, "done", 200, "", target))
    return outcomes


def approve_many(*, user, ids) -> list[Outcome]:
    return act_on_each(
        ids,
        WorkLog.objects.visible_to(user).select_related("order"),
        lambda log: worklog_approve(log=log, actor=user),
    )


def sign_many(*, user, ids) -> list[Outcome]:
    """The buyer's confirmation of each sheet, which signs it (a draft is refused: the vendor
    confirms first)."""
    return act_on_each(
        ids,
        SettlementSheet.objects.visible_to(user).select_related("order"),
        lambda sheet: sheet_confirm(sheet=sheet, actor=user),
    )


def staff_approve_many(*, user, ids) -> list[Outcome]:
    """2.9: procurement accepts each proposed member (one below the qualification rule is
    refused here: his exception is approved alone, with its reason)."""
    return act_on_each(
        ids,
        StaffMember.objects.visible_to(user).select_related("contract"),
        lambda member: staff_approve(member=member, actor=user),
    )


def _posted_ids(request) -> list[int]:
    ids = request.POST.getlist("ids")[:MAX_IDS]
    return [int(pk) for pk in ids if pk.isascii() and pk.isdigit() and len(pk) < 12]


def _page(request, *, template, waiting, act, extra=None):
    require_role(request, User.Role.PROCUREMENT)
    outcomes, problem = None, ""
    if request.method == "POST":
        ids = _posted_ids(request)
        if ids:
            outcomes = act(user=request.user, ids=ids)
        else:
            problem = _("Choose at least one.")
    done = [o for o in outcomes or [] if o.result == "done"]
    return render(
        request,
        template,
        {
            "waiting": waiting,  # read after the action: what still waits
            "outcomes": outcomes,
            "done_count": len(done),
            "refused_count": len(outcomes or []) - len(done),
            "problem": problem,
            **(extra(done) if extra else {}),
        },
        status=400 if problem else 200,
    )


@login_required
@transaction.non_atomic_requests
def worklog_approve_many(request):
    """批量批准工作量: the submitted logs with checkboxes; after, what became of each."""
    return _page(
        request,
        template="worklogs/bulk_approve.html",
        waiting=worklog_list(user=request.user)
        .filter(status=WorkLog.Status.SUBMITTED)
        .order_by("month", "order__number"),
        act=approve_many,
    )


@login_required
@transaction.non_atomic_requests
def sheet_sign_many(request):
    """批量签署结算单: the sheets the vendor confirmed, with their payable; the confirmation
    says how much the chosen ones come to; after, what became of each."""
    return _page(
        request,
        template="settlement/bulk_sign.html",
        waiting=sheet_list(user=request.user)
        .filter(status=SettlementSheet.Status.VENDOR_CONFIRMED)
        .order_by("month", "order__number"),
        act=sign_many,
        extra=lambda done: {
            "signed_total": sum((o.target.payable_incl_tax for o in done), ZERO),
        },
    )


@login_required
@transaction.non_atomic_requests
def staff_approve_many_page(request):
    """批量批准人员 (2.9): the members awaiting approval, chosen on the roster or here; after,
    what became of each."""
    return _page(
        request,
        template="staffing/bulk_approve.html",
        waiting=staff_list(user=request.user)
        .filter(status=StaffMember.Status.PENDING)
        .order_by("contract__code", "role", "level", "name"),
        act=staff_approve_many,
    )


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=MAX_IDS
    )


OUTCOMES = inline_serializer(
    "BulkOutcomes",
    {
        "results": inline_serializer(
            "BulkOutcome",
            {
                "id": serializers.IntegerField(),
                "result": serializers.ChoiceField(list(RESULTS)),
                "status": serializers.IntegerField(),
                "message": serializers.CharField(),
            },
            many=True,
        )
    },
)


class _ManyView(APIView):
    write_roles = (User.Role.PROCUREMENT,)
    act = None

    def get_exception_handler(self):
        """DRF marks the request's transaction for rollback when it answers an error; this
        view has none of its own (one per item), so the mark is kept inside a transaction of
        the answer's own rather than landing on whatever encloses the request (a test's)."""
        handler = super().get_exception_handler()

        def in_its_own_transaction(exc, context):
            with transaction.atomic():
                return handler(exc, context)

        return in_its_own_transaction

    @extend_schema(request=IdsSerializer, responses=OUTCOMES)
    def post(self, request):
        data = IdsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outcomes = type(self).act(user=request.user, ids=data.validated_data["ids"])
        return Response(
            {
                "results": [
                    {"id": o.id, "result": o.result, "status": o.status, "message": o.message}
                    for o in outcomes
                ]
            }
        )


class WorkLogApproveManyView(_ManyView):
    """`{"ids": [...]}`: approves each submitted log as `worklogs/{id}/approve/` would, and
    answers each one's result (done, refused with the reason, busy, not_found)."""

    act = staticmethod(approve_many)


class SheetConfirmManyView(_ManyView):
    """`{"ids": [...]}`: signs each vendor-confirmed sheet as `settlements/{id}/confirm/` would,
    and answers each one's result (done, refused with the reason, busy, not_found)."""

    act = staticmethod(sign_many)


class StaffApproveManyView(_ManyView):
    """`{"ids": [...]}`: approves each member awaiting approval as `staff/{id}/approve/` would,
    and answers each one's result (done, refused with the reason, busy, not_found)."""

    act = staticmethod(staff_approve_many)
