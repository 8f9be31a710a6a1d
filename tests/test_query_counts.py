"""Every list endpoint and list page: the number of queries does not grow with the page size."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import User
from settlement import list_cache

API_LISTS = [
    "contracts",
    "rate-card-lines",
    "tax-rates",
    "organizations",
    "users",
    "staff",
    "orders",
    "acceptances",
    "worklogs",
    "assessment-templates",
    "assessments",
    "settlements",
    "invoices",
    "payments",
    "documents",
    "rectifications",
    "notifications",
]


def queries(client, url):
    cache.delete(list_cache.VERSION)  # the sheet list's page counted as computed, not as kept
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), len(response.json()["results"])


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_page_size(api):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    buyer = api(User.objects.get(username="caigou"))
    district = api(User.objects.get(username="anyuan"))  # the buyer of 004's KPI reports

    for resource, client in [*((r, buyer) for r in API_LISTS), ("kpi-reports", district)]:
        # Once before counting: what a process caches on first use (content types) is no row's.
        queries(client, f"/api/v1/{resource}/?page_size=1")
        one, rows_one = queries(client, f"/api/v1/{resource}/?page_size=1")
        many, rows_many = queries(client, f"/api/v1/{resource}/?page_size=100")
        assert rows_many > rows_one == 1, resource  # the demo has several of each
        assert many == one, resource


LIST_PAGES = [
    "/contracts/",
    "/orders/",
    "/worklogs/",
    "/settlements/",
    "/governance/",
    "/notifications/",
]


@pytest.mark.django_db
def test_list_page_queries_do_not_grow_with_the_page_size(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.force_login(User.objects.get(username="caigou"))

    def page_queries(url):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert page.status_code == 200, url
        return len(captured), len(page.context["page"].object_list)

    for url in LIST_PAGES:
        one, rows_one = page_queries(f"{url}?page_size=1")
        many, rows_many = page_queries(f"{url}?page_size=100")
        assert rows_many > rows_one == 1, url
        assert many == one, url
