"""/metrics: Prometheus text for an administrator (session or API token) or the scraper's
bearer token, never anonymous (not even from the machine itself); request and database
timings, and the domain's figures as the database holds them."""

import re

import pytest
from knox.models import AuthToken

from settlement.services import settlements_compute
from tests.factories import UserFactory
from tests.settlement.conftest import OCTOBER, worked_example  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def value(text: str, series: str) -> float:
    found = re.search(rf"^{re.escape(series)} (\S+)$", text, re.M)
    return float(found.group(1)) if found else 0.0


@pytest.fixture
def administrator():
    return UserFactory(username="ops", role="admin")


def test_never_anonymous_nor_for_other_roles(client, procurement, settings):
    settings.METRICS_TOKEN = "scrape-secret-0123456789"
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    client.force_login(procurement)
    assert client.get("/metrics").status_code == 403


def test_the_scraper_token_an_admin_session_and_an_admin_api_token(client, administrator, settings):
    settings.METRICS_TOKEN = "scrape-secret-0123456789"
    scraped = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret-0123456789")
    assert scraped.status_code == 200
    assert scraped["Content-Type"].startswith("text/plain")
    _token, key = AuthToken.objects.create(administrator)
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    client.force_login(administrator)
    assert client.get("/metrics").status_code == 200


def test_requests_and_statements_are_counted(client, administrator):
    client.force_login(administrator)
    before = client.get("/metrics").content.decode()
    client.get("/healthz")
    client.get("/contracts/")
    after = client.get("/metrics").content.decode()
    ok = 'portal_http_requests_total{method="GET",status="200"}'
    # the two pages and the first /metrics itself
    assert value(after, ok) - value(before, ok) == 3
    statements = "portal_db_query_seconds_count"
    assert value(after, statements) > value(before, statements)


def test_the_domains_figures(client, administrator, worked_example):  # noqa: F811
    """The worked example's October: its log approved, its score confirmed, its sheet computed
    (a draft); nothing waiting for an approval."""
    settlements_compute(month=OCTOBER)
    client.force_login(administrator)
    text = client.get("/metrics").content.decode()
    assert value(text, 'portal_sheets{status="draft"}') == 1
    assert value(text, 'portal_sheets{status="signed"}') == 0
    assert value(text, "portal_oldest_waiting_approval_seconds") == 0
    assert "portal_notifications_unmailed 0.0" in text
    assert "portal_task_part_retries 0.0" in text
