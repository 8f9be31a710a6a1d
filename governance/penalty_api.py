from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from contracts.models import FrameworkContract
from core.history import HistoryMixin
from core.http import attachment
from core.models import User
from core.rest import (
    ModelSerializer,
    MoneyField,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    action_input,
)
from governance import penalties
from governance.models import Penalty
from governance.penalty_documents import demand_filename, demand_pdf
from governance.penalty_filters import PenaltyFilter
from orders.models import Order


class PenaltySerializer(VisibleRelatedFieldsMixin, ModelSerializer):
    order = serializers.PrimaryKeyRelatedField(
        queryset=Order.objects.all(), required=False, allow_null=True
    )
    basis_amount = MoneyField(read_only=True)
    proposed_amount = MoneyField(read_only=True)
    amount = MoneyField(
        required=False,
        help_text=gettext_lazy("Empty: the proposal; another amount needs a reason."),
    )

    class Meta:
        model = Penalty
        fields = [
            "id",
            "contract",
            "order",
            "kind",
            "clause",
            "description",
            "basis_amount",
            "proposed_amount",
            "amount",
            "reason",
            "status",
            "recorded_on",
            "recorded_by",
            "answer",
            "answered_by",
            "decided_on",
            "decided_by",
            "offset_sheet",
            "demanded_on",
        ]
        read_only_fields = [
            "status",
            "recorded_on",
            "recorded_by",
            "answer",
            "answered_by",
            "decided_on",
            "decided_by",
            "offset_sheet",
            "demanded_on",
        ]


def _amount_field():
    return {
        "amount": MoneyField(required=False),
        "reason": serializers.CharField(required=False, allow_blank=True, max_length=2000),
    }


def _answer_field():
    return {"answer": serializers.CharField(required=False, allow_blank=True, max_length=2000)}


class PenaltyViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    """违约金 and 退款 (ch. 7): procurement records them (the portal proposes the amount), the
    vendor acknowledges or disputes, procurement decides; the vendor's next sheet offsets a
    decided one, or a demand asks for it when no sheet follows."""

    queryset = Penalty.objects.select_related("contract", "order")
    serializer_class = PenaltySerializer
    filterset_class = PenaltyFilter
    write_roles = (User.Role.PROCUREMENT,)
    action_roles = {**Penalty.flow.action_roles(), "demand": (User.Role.PROCUREMENT,)}
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = penalties.penalty_record(
            actor=self.request.user, **serializer.validated_data
        )

    def _answer(self, penalty):
        return Response(self.get_serializer(self.get_queryset().get(pk=penalty.pk)).data)

    def _vendor_step(self, request, step):
        return self._answer(
            penalties.penalty_answer(
                penalty=self.get_object(),
                actor=request.user,
                step=step,
                **action_input(request, **_answer_field()),
            )
        )

    @extend_schema(request=inline_serializer("PenaltyAcknowledge", _answer_field()))
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._vendor_step(request, "acknowledge")

    @extend_schema(request=inline_serializer("PenaltyDispute", _answer_field()))
    @action(detail=True, methods=["post"])
    def dispute(self, request, pk=None):
        return self._vendor_step(request, "dispute")

    @extend_schema(request=inline_serializer("PenaltyDecide", _amount_field()))
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        return self._answer(
            penalties.penalty_decide(
                penalty=self.get_object(),
                actor=request.user,
                **action_input(request, **_amount_field()),
            )
        )

    @extend_schema(request=None, responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["post"])
    def demand(self, request, pk=None):
        """No sheet follows: the demand (催收函) for a decided penalty, issued once."""
        penalty = penalties.penalty_demand(penalty=self.get_object(), actor=request.user)
        return attachment(demand_pdf(penalty), demand_filename(penalty), "application/pdf")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """The record as a PDF (the demand's text once it was issued)."""
        penalty = self.get_object()
        return attachment(demand_pdf(penalty), demand_filename(penalty), "application/pdf")

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=Penalty.Kind.values),
            OpenApiParameter("clause", str, enum=Penalty.Clause.values),
            OpenApiParameter("contract", int),
            OpenApiParameter("order", int),
        ],
        responses=inline_serializer(
            "PenaltyProposal",
            {
                "basis_amount": MoneyField(),
                "proposed_amount": MoneyField(),
                "basis": serializers.CharField(),
            },
        ),
    )
    @action(detail=False, methods=["get"])
    def proposal(self, request):
        """What the portal would propose for a breach (the record form fills it in)."""
        return Response(proposal_for(request.user, request.query_params))


def _pk(value) -> int:
    return int(value) if value and str(value).isdigit() else 0


def proposal_for(user, params) -> dict:
    """The proposal for the contract or order given (one the user sees: else 404)."""
    order = None
    if params.get("order"):
        order = get_object_or_404(Order.objects.visible_to(user), pk=_pk(params["order"]))
        contract = order.contract
    else:
        contract = get_object_or_404(
            FrameworkContract.objects.visible_to(user), pk=_pk(params.get("contract"))
        )
    proposal = penalties.propose(
        kind=params.get("kind") or Penalty.Kind.PENALTY,
        clause=params.get("clause", ""),
        contract=contract,
        order=order,
    )
    return {
        "basis_amount": f"{proposal.basis:.2f}",
        "proposed_amount": f"{proposal.amount:.2f}",
        "basis": proposal.basis_label,
    }
