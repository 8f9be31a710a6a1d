"""Logins and API tokens.

Every login path (the login page, the admin, the API token) is refused for a username once it
has had AXES_FAILURE_LIMIT wrong passwords within AXES_COOLOFF_TIME (django-axes; settings).
API tokens (django-rest-knox) are kept as digests, expire, and are listed and revoked by their
owner."""

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.models import User
from core.throttling import LoginThrottle


def login_locked(request, username) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def lockout_message() -> str:
    return _("Too many failed logins: try again in %(minutes)s minutes.") % {
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds()) // 60
    }


def lockout_response(request, original_response, credentials):
    """AXES_LOCKOUT_CALLABLE: the attempt that reaches the limit gets its own answer (a wrong
    password); the next ones are refused by the login form and the token view, in words."""
    return original_response


class LoginForm(AuthenticationForm):
    """The login page says when it is locked out rather than "wrong password"."""

    locked_out = False

    def clean(self):
        if login_locked(self.request, self.cleaned_data.get("username")):
            self.locked_out = True
            raise forms.ValidationError(lockout_message(), code="locked_out")
        return super().clean()


def token_create(user) -> tuple[AuthToken, str]:
    """A new token for the user, valid for REST_KNOX's TOKEN_TTL; the text is shown once."""
    return AuthToken.objects.create(user=user)


class TokenSerializer(serializers.Serializer):
    """A token as its owner sees it: the first characters that name it, never the token."""

    id = serializers.CharField(source="token_key")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()


class Credentials(serializers.Serializer):
    username = serializers.CharField(max_length=User._meta.get_field("username").max_length)
    password = serializers.CharField(
        max_length=4096, trim_whitespace=False, style={"input_type": "password"}
    )


class TokenView(APIView):
    """POST auth/token/ {"username", "password"} → {"token", "expiry"}; 429 while locked out,
    and at LOGIN's rate per client address."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @classmethod
    def as_view(cls, **initkwargs):
        # A wrong password is a 400, which rolls an atomic request back: the failure
        # django-axes writes must stay, so this view is not one.
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    @extend_schema(
        request=Credentials,
        responses=inline_serializer(
            "NewToken", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
        ),
    )
    def post(self, request):
        # The body is checked before the lockout is read and a password tried: a username
        # django-axes cannot store (too long, a NUL) is a 400, never a failure written.
        # Answered, not raised: a raised error would roll back the failure django-axes wrote.
        given = Credentials(data=request.data)
        if not given.is_valid():
            return Response(given.errors, status=400)
        if login_locked(request, given.validated_data["username"]):
            return Response({"detail": lockout_message()}, status=429)
        credentials = AuthTokenSerializer(data=request.data, context={"request": request})
        if not credentials.is_valid():
            return Response(credentials.errors, status=400)
        user = credentials.validated_data["user"]
        # A login like the page's: django-axes forgets the failures, last_login moves.
        user_logged_in.send(sender=type(user), request=request, user=user)
        token, text = token_create(user)
        return Response({"token": text, "expiry": token.expiry})


class TokenListView(APIView):
    """GET auth/tokens/: the user's own tokens that have not expired."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request):
        return Response(TokenSerializer(user_tokens(request.user), many=True).data)


class TokenRevokeView(APIView):
    """DELETE auth/tokens/<id>/: revoke one of the user's tokens (another's is 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={204: None})
    def delete(self, request, token_id):
        if not token_revoke(request.user, token_id):
            raise NotFound
        return Response(status=status.HTTP_204_NO_CONTENT)


def user_tokens(user):
    live = Q(expiry__isnull=True) | Q(expiry__gt=timezone.now())
    return AuthToken.objects.filter(live, user=user).order_by("-created")


def token_revoke(user, token_id: str) -> bool:
    """Revoke one of the user's tokens; False if the user has none of that id."""
    deleted, _rows = AuthToken.objects.filter(user=user, token_key=token_id).delete()
    return bool(deleted)
