"""API throttling per user (and per address without a login), at the rates in settings,
read when a request comes so that a deployment or a test can change them."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class UserThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]


class AnonThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]
