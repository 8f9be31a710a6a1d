from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from assessment.models import Indicator
from core.history import HistoryMixin
from core.http import attachment
from core.models import User
from core.rest import (
    ModelSerializer,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    action_input,
    reason_field,
)
from governance import services
from governance.documents import rectification_pdf
from governance.filters import RectificationFilter
from governance.models import Rectification
from governance.selectors import rectification_list


class RectificationSerializer(VisibleRelatedFieldsMixin, ModelSerializer):
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "contract",
            "order",
            "staff",
            "description",
            "evidence",
            "issued_on",
            "due_on",
            "overdue",
            "status",
            "answer",
            "answered_on",
            "decided_on",
            "failed_reason",
            "incident",
        ]
        read_only_fields = [
            "issued_on",
            "due_on",
            "status",
            "answer",
            "answered_on",
            "decided_on",
            "failed_reason",
            "incident",
        ]


def answer_field() -> dict:
    return {"answer": serializers.CharField()}


def indicator_field() -> dict:
    return {"indicator": serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())}


class RectificationViewSet(
    HistoryMixin,
    VisibleQuerysetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """整改通知 (2.10): procurement issues, the vendor answers, procurement accepts or records
    the failure; a failed one becomes an incident of its month's score (`link-incident/`)."""

    queryset = Rectification.objects.all()
    selector = staticmethod(rectification_list)
    serializer_class = RectificationSerializer
    filterset_class = RectificationFilter
    write_roles = (User.Role.PROCUREMENT,)
    action_roles = {
        **Rectification.flow.action_roles(),
        "link-incident": (User.Role.PROCUREMENT,),
    }

    def perform_create(self, serializer):
        serializer.instance = services.rectification_issue(
            **serializer.validated_data, actor=self.request.user
        )

    def _answer(self, rectification):
        return Response(self.get_serializer(self.get_queryset().get(pk=rectification.pk)).data)

    @extend_schema(request=inline_serializer("RectificationAnswer", answer_field()))
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        rectification = self.get_object()
        return self._answer(
            services.rectification_answer(
                rectification=rectification,
                actor=request.user,
                **action_input(request, **answer_field()),
            )
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._answer(
            services.rectification_accept(rectification=self.get_object(), actor=request.user)
        )

    @extend_schema(request=inline_serializer("RectificationFail", reason_field()))
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        rectification = self.get_object()
        return self._answer(
            services.rectification_fail(
                rectification=rectification,
                actor=request.user,
                **action_input(request, **reason_field()),
            )
        )

    @extend_schema(request=inline_serializer("RectificationLinkIncident", indicator_field()))
    @action(detail=True, methods=["post"], url_path="link-incident")
    def link_incident(self, request, pk=None):
        """The failure recorded as an incident (a deduction of the template, picked by its
        indicator id) in the order's score of the month the request was issued in."""
        rectification = self.get_object()
        return self._answer(
            services.rectification_link_incident(
                rectification=rectification, **action_input(request, **indicator_field())
            )
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        rectification = self.get_object()
        return attachment(
            rectification_pdf(rectification),
            f"整改通知书-{rectification.pk}.pdf",
            "application/pdf",
        )
