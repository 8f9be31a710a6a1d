"""Logins are throttled: after LOGIN_MAX_FAILURES wrong passwords for a username from one
address (or LOGIN_MAX_FAILURES_PER_ADDRESS from one address) within LOGIN_LOCKOUT_SECONDS,
every login path (the login page, the admin, the API token) refuses until the window passes.
Counted in the cache, which is Redis and shared by every server process in production."""

import hashlib

from django import forms
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import Throttled


def _keys(request, username) -> list[tuple[str, int]]:
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    # Hashed: a username may hold any character, a cache key may not.
    name = hashlib.sha256((username or "").lower().encode()).hexdigest()
    return [
        (f"login-failures:{address}:{name}", settings.LOGIN_MAX_FAILURES),
        (f"login-failures:{address}", settings.LOGIN_MAX_FAILURES_PER_ADDRESS),
    ]


def login_locked(request, username) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, username))


def login_failed(request, username) -> None:
    for key, _limit in _keys(request, username):
        cache.add(key, 0, timeout=settings.LOGIN_LOCKOUT_SECONDS)
        cache.incr(key)


def login_reset(request, username) -> None:
    """A right password forgets the username's failures (not the address's)."""
    cache.delete(_keys(request, username)[0][0])


def lockout_message() -> str:
    return _("Too many failed logins: try again in %(minutes)s minutes.") % {
        "minutes": settings.LOGIN_LOCKOUT_SECONDS // 60
    }


class ThrottledModelBackend(ModelBackend):
    """Django's password check, refused while locked out and counting the failures."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if login_locked(request, username):
            raise PermissionDenied  # ends the login: no other backend is asked
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            login_failed(request, username)
        else:
            login_reset(request, username)
        return user


class LoginForm(AuthenticationForm):
    """The login page says when it is locked out rather than "wrong password"."""

    locked_out = False

    def clean(self):
        if login_locked(self.request, self.cleaned_data.get("username")):
            self.locked_out = True
            raise forms.ValidationError(lockout_message(), code="locked_out")
        return super().clean()


class TokenView(ObtainAuthToken):
    """POST auth/token/: 429 while locked out."""

    def post(self, request, *args, **kwargs):
        # Read before the serializer checks the body: a body that is no form, or a username
        # that is no string, is refused by it with a 400 and never reaches a password check.
        username = request.data.get("username") if isinstance(request.data, dict) else None
        if isinstance(username, str) and login_locked(request, username):
            raise Throttled(detail=lockout_message())
        return super().post(request, *args, **kwargs)
