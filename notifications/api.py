from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import User
from core.rest import ModelSerializer, VisibleQuerysetMixin
from notifications import selectors, services
from notifications.filters import NotificationFilter
from notifications.kinds import KINDS
from notifications.models import Channel, Notification

# Everyone has notifications of their own to read and settings of their own to keep.
EVERY_ROLE = tuple(User.Role)


class NotificationSerializer(ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "created_at", "read_at"]
        read_only_fields = fields


class NotificationViewSet(VisibleQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The user's own notifications, newest first (`?unread=true` for the unread); another
    user's is a 404. `read/` marks one read, `read-all/` every unread one."""

    queryset = Notification.objects.all()
    selector = staticmethod(selectors.notification_list)
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    write_roles = EVERY_ROLE

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_read(
            notification=self.get_object(), actor=request.user
        )
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notifications_read_all(actor=request.user)})


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    mandatory = serializers.BooleanField()


# A PUT or PATCH names the kinds it changes, each with its channel; the others stay as they are.
PreferencesInput = type(
    "NotificationPreferencesInput",
    (serializers.Serializer,),
    {
        kind: serializers.ChoiceField(choices=Channel.choices, required=False, help_text=spec.label)
        for kind, spec in KINDS.items()
    },
)


class NotificationPreferencesView(APIView):
    """GET the user's channel for every kind of notification; PUT or PATCH `{kind: channel}`
    for those to change (`off` is refused for a kind that cannot be turned off)."""

    write_roles = EVERY_ROLE

    def _rows(self, user) -> list[dict]:
        return [
            {
                "kind": kind,
                "label": KINDS[kind].label,
                "channel": channel,
                "mandatory": KINDS[kind].mandatory,
            }
            for kind, channel in selectors.channels_of(user).items()
        ]

    @extend_schema(responses=PreferenceSerializer(many=True))
    def get(self, request):
        return Response(PreferenceSerializer(self._rows(request.user), many=True).data)

    @extend_schema(request=PreferencesInput, responses=PreferenceSerializer(many=True))
    def put(self, request):
        if not isinstance(request.data, dict):
            raise ValidationError({"detail": [_("Send a map of kinds to channels.")]})
        unknown = {
            kind: [_("Unknown kind of notification.")] for kind in request.data if kind not in KINDS
        }
        if unknown:
            raise ValidationError(unknown)
        given = PreferencesInput(data=request.data)
        given.is_valid(raise_exception=True)
        services.preferences_save(actor=request.user, channels=given.validated_data)
        return self.get(request)

    @extend_schema(request=PreferencesInput, responses=PreferenceSerializer(many=True))
    def patch(self, request):
        return self.put(request)
