"""`GET /metrics` for Prometheus (README, Operations): this process's requests and database
statements (counts and timings), and the domain's figures, read from the database at each
scrape from what each app registers (`add_figures`, in its `AppConfig.ready`): sheets by
status, the fanned-out tasks' parts by state and their retries, notices not mailed, the oldest
work waiting for an approval.

Only for an administrator (a session or an API token) or the scraper's bearer token
(`METRICS_TOKEN`): never anonymous, not even from the machine itself."""

import hmac
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from knox.auth import TokenAuthentication
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from rest_framework.exceptions import AuthenticationFailed

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "portal_http_requests", "Requests answered", ["method", "status"], registry=REGISTRY
)
REQUEST_SECONDS = Histogram(
    "portal_http_request_seconds", "Time to answer a request", ["method"], registry=REGISTRY
)
QUERY_SECONDS = Histogram(
    "portal_db_query_seconds",
    "Time of each database statement of a request",
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5),
    registry=REGISTRY,
)

# () → the GaugeMetricFamily objects of one app's figures.
FIGURES: list[Callable[[], Iterable[GaugeMetricFamily]]] = []


def add_figures(figures: Callable[[], Iterable[GaugeMetricFamily]]) -> None:
    FIGURES.append(figures)


class _Domain:
    def collect(self):
        for figures in FIGURES:
            yield from figures()


REGISTRY.register(_Domain())


def gauge(name: str, documentation: str, value=None, labels=(), rows=()) -> GaugeMetricFamily:
    """A gauge of one value, or of (label values, value) rows."""
    family = GaugeMetricFamily(name, documentation, value=value, labels=labels or None)
    for label_values, row_value in rows:
        family.add_metric(label_values, row_value)
    return family


def _timed(execute, sql, params, many, context):
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        QUERY_SECONDS.observe(time.perf_counter() - started)


class MetricsMiddleware:
    """Counts and times every request, and each database statement it runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        with connection.execute_wrapper(_timed):
            response = self.get_response(request)
        REQUEST_SECONDS.labels(request.method).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, str(response.status_code)).inc()
        return response


def may_scrape(request) -> bool:
    """An administrator (session or API token, as the API reads them) or the scraper's token."""
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    user = request.user
    if not user.is_authenticated and given.startswith("Token "):
        try:
            user, _token = TokenAuthentication().authenticate(request) or (user, None)
        except AuthenticationFailed:
            return False
    return user.is_authenticated and user.sees_everything


def metrics(request):
    if not may_scrape(request):
        response = HttpResponse("Forbidden", status=403, content_type="text/plain")
        response["WWW-Authenticate"] = "Bearer"
        return response
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
