from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.history import HistoryMixin
from core.models import User
from core.rest import (
    CreateOnlyFieldsMixin,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    action_input,
)
from staffing import services
from staffing.filters import StaffFilter
from staffing.models import StaffMember
from staffing.selectors import staff_list


class StaffSerializer(
    CreateOnlyFieldsMixin, VisibleRelatedFieldsMixin, serializers.ModelSerializer
):
    id_number = serializers.CharField(
        write_only=True, max_length=18, help_text="Written in full; read back masked."
    )
    exception_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="A vendor asking for an exception to the qualification rule says why.",
    )

    class Meta:
        model = StaffMember
        fields = [
            "id",
            "vendor",
            "contract",
            "name",
            "id_number",
            "phone",
            "education",
            "years_experience",
            "role",
            "level",
            "start_date",
            "end_date",
            "status",
            "approved_by",
            "approved_at",
            "refusal_reason",
            "notice_given_on",
            "short_notice",
            "replaces",
            "needs_replacement",
            "replacement_demanded_on",
            "replacement_demand_reason",
            "replacement_due",
            "qualification_issue",
            "exception_reason",
            "exception_approved_by",
            "exception_approved_at",
        ]
        create_only_fields = ["contract", "replaces"]
        read_only_fields = [
            "vendor",
            "end_date",
            "status",
            "approved_by",
            "approved_at",
            "refusal_reason",
            "notice_given_on",
            "short_notice",
            "replacement_demanded_on",
            "replacement_demand_reason",
            "replacement_due",
            "qualification_issue",
            "exception_approved_by",
            "exception_approved_at",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None:
            fields["id_number"].required = False  # kept unless written anew
        return fields

    def to_representation(self, member):
        data = super().to_representation(member)
        data["id_number"] = member.id_number_masked
        data["phone"] = member.phone_masked
        return data


class StaffViewSet(HistoryMixin, VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = StaffMember.objects.all()
    selector = staticmethod(staff_list)
    serializer_class = StaffSerializer
    filterset_class = StaffFilter
    write_roles = (User.Role.VENDOR_PM,)
    action_roles = {
        **StaffMember.flow.action_roles(),
        "demand-replacement": (User.Role.PROCUREMENT,),
        "name-replacement": (User.Role.VENDOR_PM,),
    }
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.staff_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.staff_update(
            member=serializer.instance, **serializer.validated_data
        )

    def _answer(self, member):
        return Response(self.get_serializer(self.get_queryset().get(pk=member.pk)).data)

    @extend_schema(
        request=inline_serializer(
            "StaffNotice",
            {"notice_date": serializers.DateField(), "last_day": serializers.DateField()},
        )
    )
    @action(detail=True, methods=["post"], url_path="give-notice")
    def give_notice(self, request, pk=None):
        """3.2.3: the vendor gives written notice of a departure."""
        member = self.get_object()
        data = action_input(
            request, notice_date=serializers.DateField(), last_day=serializers.DateField()
        )
        return self._answer(services.staff_give_notice(member=member, **data))

    @extend_schema(
        request=inline_serializer("StaffExceptionApproval", {"reason": serializers.CharField()})
    )
    @action(detail=True, methods=["post"], url_path="approve-exception")
    def approve_exception(self, request, pk=None):
        member = self.get_object()
        data = action_input(request, reason=serializers.CharField())
        return self._answer(
            services.staff_approve_exception(member=member, actor=request.user, **data)
        )

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """2.9: procurement accepts a proposed member; days can be logged for him from now."""
        member = self.get_object()
        return self._answer(services.staff_approve(member=member, actor=request.user))

    @extend_schema(request=inline_serializer("StaffRefusal", {"reason": serializers.CharField()}))
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """2.9: procurement refuses a proposed member; the vendor reads the reason."""
        member = self.get_object()
        data = action_input(request, reason=serializers.CharField())
        return self._answer(services.staff_refuse(member=member, actor=request.user, **data))

    @extend_schema(
        request=inline_serializer(
            "StaffReplacementDemand",
            {
                "reason": serializers.CharField(),
                "due": serializers.DateField(
                    required=False, help_text="10 working days from today when left out."
                ),
            },
        )
    )
    @action(detail=True, methods=["post"], url_path="demand-replacement")
    def demand_replacement(self, request, pk=None):
        """3.2.4: procurement asks for a member to be replaced by a day."""
        member = self.get_object()
        data = action_input(
            request, reason=serializers.CharField(), due=serializers.DateField(required=False)
        )
        return self._answer(services.staff_demand_replacement(member=member, **data))

    @extend_schema(
        request=inline_serializer(
            "StaffReplacementNaming", {"replacement": serializers.IntegerField()}
        )
    )
    @action(detail=True, methods=["post"], url_path="name-replacement")
    def name_replacement(self, request, pk=None):
        """3.2.3–3.2.4: the vendor names the registered member (same role and level) who
        replaces this one; procurement still approves him."""
        member = self.get_object()
        data = action_input(request, replacement=serializers.IntegerField())
        replacement = get_object_or_404(self.get_queryset(), pk=data["replacement"])
        return self._answer(services.staff_name_replacement(member=member, replacement=replacement))
