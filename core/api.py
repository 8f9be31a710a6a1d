from datetime import date

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from core.calendar import Holiday, Year, calendar_publish, calendar_year, outside_range
from core.filters import UserFilter
from core.models import CalendarYear, Organization, User
from core.rest import CreateOnlyFieldsMixin, VisibleQuerysetMixin, VisibleRelatedFieldsMixin
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
    write_roles = (User.Role.PROCUREMENT,)
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
            "legal_representative",
            "bank_name",
            "bank_account",
            "phone",
        ]
        create_only_fields = ["kind"]
        validators = []  # the service names a clash in the user's words


class OrganizationViewSet(VisibleQuerysetMixin, viewsets.ModelViewSet):
    queryset = Organization.objects.all()
    serializer_class = OrganizationSerializer
    write_roles = (User.Role.PROCUREMENT,)
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

    default_error_messages = {
        "invalid": _('Give a date "YYYY-MM-DD" or a range {"start", "end", "name"}.')
    }

    def to_internal_value(self, data):
        text = {"start": data, "end": data} if isinstance(data, str) else data
        if not isinstance(text, dict):
            self.fail("invalid")
        try:
            start, end = date.fromisoformat(text["start"]), date.fromisoformat(text["end"])
        except (KeyError, TypeError, ValueError):
            self.fail("invalid")
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
