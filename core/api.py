from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.bank_accounts import (
    awaiting_buyers,
    bank_account_change_confirm,
    bank_account_change_list,
    bank_account_change_reject,
    bank_account_change_submit,
    bank_account_change_withdraw,
)
from core.calendar import Holiday, Year, calendar_publish, calendar_year, outside_range
from core.filters import BankAccountChangeFilter, UserFilter
from core.models import (
    BankAccountChange,
    BankAccountConfirmation,
    CalendarYear,
    Organization,
    User,
)
from core.rest import (
    CreateOnlyFieldsMixin,
    VisibleQuerysetMixin,
    VisibleRelatedFieldsMixin,
    action_input,
    reason_field,
)
from core.services import organization_save, user_create


class UserSerializer(VisibleRelatedFieldsMixin, serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, style={"input_type": "password"})

    class Meta:
        model = User
        fields = ["id", "username", "password", "full_name", "email", "role", "organization"]
        # A login made here names its role (the model's default serves `createsuperuser`).
        extra_kwargs = {"role": {"required": True}}


class UserViewSet(VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = User.objects.select_related("organization").order_by("username")
    serializer_class = UserSerializer
    write_roles = (User.Role.PROCUREMENT, User.Role.VENDOR_PM)
    filterset_class = UserFilter
    http_method_names = ["get", "post", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = user_create(actor=self.request.user, **serializer.validated_data)


class OrganizationSerializer(CreateOnlyFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "kind",
            "tax_id",
            "address",
            "postcode",
            "legal_representative",
            "bank_name",
            "bank_account",
            "phone",
            "requires_signed_contract",
        ]
        create_only_fields = ["kind"]
        validators = []  # the service names a clash in the user's words


class OrganizationViewSet(VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    write_roles = (User.Role.PROCUREMENT, User.Role.VENDOR_PM)
    action_roles = {"create": (User.Role.PROCUREMENT,)}
    filterset_fields = ["kind"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = organization_save(
            actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = organization_save(
            actor=self.request.user, organization=serializer.instance, **serializer.validated_data
        )


class BankAccountConfirmationSerializer(serializers.ModelSerializer):
    class Meta:
        model = BankAccountConfirmation
        fields = ["buyer", "confirmed_by", "confirmed_at"]


class BankAccountChangeSerializer(serializers.ModelSerializer):
    """A buyer sees its own confirmation and how many others are awaited, never which other
    buyers the vendor works for; the vendor and admins see them all."""

    confirmations = serializers.SerializerMethodField()
    awaiting = serializers.SerializerMethodField()
    awaiting_count = serializers.SerializerMethodField()

    class Meta:
        model = BankAccountChange
        fields = [
            "id",
            "vendor",
            "bank_name",
            "bank_account",
            "note",
            "status",
            "submitted_at",
            "submitted_by",
            "effective_on",
            "confirmations",
            "awaiting",
            "awaiting_count",
            "applied_at",
            "old_bank_name",
            "old_bank_account",
            "closed_by",
            "rejected_reason",
        ]
        read_only_fields = [
            name for name in fields if name not in ("bank_name", "bank_account", "note")
        ]

    def _shown(self, buyer_id) -> bool:
        user = self.context["request"].user
        return user.sees_everything or user.is_vendor or buyer_id == user.organization_id

    @extend_schema_field(BankAccountConfirmationSerializer(many=True))
    def get_confirmations(self, change):
        shown = [c for c in change.confirmations.all() if self._shown(c.buyer_id)]
        return BankAccountConfirmationSerializer(shown, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_awaiting(self, change) -> list[int]:
        return sorted(buyer for buyer in awaiting_buyers(change) if self._shown(buyer))

    def get_awaiting_count(self, change) -> int:
        return len(awaiting_buyers(change))


class BankAccountChangeViewSet(
    VisibleQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Clause 4.6.3: the vendor's PM asks for a new payee account; the procurement of every
    buyer that still pays the vendor confirms (or rejects) it; in force ten days after at the
    earliest."""

    queryset = BankAccountChange.objects.all()
    selector = staticmethod(bank_account_change_list)
    serializer_class = BankAccountChangeSerializer
    filterset_class = BankAccountChangeFilter
    write_roles = (User.Role.VENDOR_PM,)
    action_roles = BankAccountChange.flow.action_roles()

    def perform_create(self, serializer):
        serializer.instance = bank_account_change_submit(
            actor=self.request.user, **serializer.validated_data
        )

    def _answer(self, change):
        return Response(self.get_serializer(self.get_queryset().get(pk=change.pk)).data)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        return self._answer(
            bank_account_change_confirm(change=self.get_object(), actor=request.user)
        )

    @extend_schema(
        request=inline_serializer("BankAccountChangeReject", reason_field(max_length=500))
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        change = self.get_object()
        reason = action_input(request, **reason_field(max_length=500))["reason"]
        return self._answer(
            bank_account_change_reject(change=change, actor=request.user, reason=reason)
        )

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._answer(
            bank_account_change_withdraw(change=self.get_object(), actor=request.user)
        )


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "format": "date"},
            {
                "type": "object",
                "properties": {
                    "start": {"type": "string", "format": "date"},
                    "end": {"type": "string", "format": "date"},
                    "name": {"type": "string"},
                },
                "required": ["start", "end"],
            },
        ]
    }
)
class HolidayField(serializers.Field):
    """A day off as "YYYY-MM-DD", or a range {"start", "end", "name"} as a notice writes it."""

    def to_internal_value(self, data):
        text = {"start": data, "end": data} if isinstance(data, str) else data
        try:
            start, end = date.fromisoformat(text["start"]), date.fromisoformat(text["end"])
        except (KeyError, TypeError, ValueError) as error:
            # Raised, not self.fail(): DRF formats its messages, and the braces here are text.
            raise serializers.ValidationError(
                _('Give a date "YYYY-MM-DD" or a range {"start", "end", "name"}.'), code="invalid"
            ) from error
        return Holiday(start, end, str(text.get("name", ""))[:50])

    def to_representation(self, value):
        return value.as_json()


class CalendarNoticeSerializer(serializers.Serializer):
    holidays = serializers.ListField(child=HolidayField(), max_length=400)
    workdays = serializers.ListField(child=serializers.DateField(), max_length=100)
    notice_number = serializers.CharField(max_length=100, allow_blank=True)
    notice_date = serializers.DateField()
    reason = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)


def calendar_body(row: CalendarYear) -> dict:
    """The year as API.md names it, with its ranges and notice beside the plain dates."""
    year = Year.of(row)
    return {
        "year": row.year,
        "status": row.status,
        "working_days_by_month": {str(m): year.month_count(m) for m in range(1, 13)},
        "holidays": sorted(day.isoformat() for day in year.days_off),
        "workdays": sorted(day.isoformat() for day in year.workdays),
        "source": row.source,
        "holiday_ranges": row.holidays,
        "notice_number": row.notice_number,
        "notice_date": row.notice_date and row.notice_date.isoformat(),
        "updated_at": row.updated_at,
    }


class CalendarYearView(APIView):
    """GET a year of the working-day calendar (1990–2100); PUT publishes it from a notice."""

    write_roles = (User.Role.PROCUREMENT,)

    def _number(self, year):
        if outside_range(year):
            raise NotFound(outside_range(year))
        return year

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, year):
        return Response(calendar_body(calendar_year(self._number(year))))

    @extend_schema(request=CalendarNoticeSerializer, responses={200: OpenApiTypes.OBJECT})
    def put(self, request, year):
        notice = CalendarNoticeSerializer(data=request.data)
        notice.is_valid(raise_exception=True)
        publication = calendar_publish(
            number=self._number(year), actor=request.user, **notice.validated_data
        )
        return Response(
            {
                **calendar_body(publication.year),
                "changes": [
                    {
                        "month": f"{change.month:%Y-%m}",
                        "working_days": list(change.working_days),
                        "log_due": [day.isoformat() for day in change.log_due],
                    }
                    for change in publication.changes
                ],
                "findings": [{"text": f.text, "url": f.url} for f in publication.findings],
            }
        )


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI (`/api/v1/docs/`), its page in the portal's language for a screen reader:
    drf-spectacular's template has no `<html lang>` and no block to give it one."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.GET.get("script") is None and response.status_code == 200:
            response.render()
            page = f'<html lang="{get_language()}">'.encode()
            response.content = response.content.replace(b"<html>", page, 1)
        return response
