"""API throttling per user (and per address without a login), at the rates in settings,
read when a request comes so that a deployment or a test can change them. The address is the
client's as the trusted proxies report it (REST_FRAMEWORK's NUM_PROXIES)."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class RateFromSettings:
    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class UserThrottle(RateFromSettings, UserRateThrottle):
    pass


class AnonThrottle(RateFromSettings, AnonRateThrottle):
    pass


class LoginThrottle(RateFromSettings, AnonRateThrottle):
    """The token endpoint, per client address, whoever the username."""

    scope = "login"
