"""The sheet list answered from the cache (settlement.list_cache): the serializer's bytes, a
change seen on the next request, and one party's page never answered to another."""

from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer

from core.models import CalendarYear
from settlement import list_cache
from settlement.api import SheetSerializer
from settlement.models import SettlementSheet, SheetLine
from settlement.services import settlements_compute, sheet_confirm
from tests.settlement.conftest import OCTOBER

pytestmark = pytest.mark.django_db

LIST = "/api/v1/settlements/?month=2026-10"


def test_a_kept_page_is_the_serializers_answer_byte_for_byte(api, procurement, worked_example):
    settlements_compute(month=OCTOBER)
    rows = SheetSerializer(SettlementSheet.objects.all(), many=True).data
    page = {"count": 1, "next": None, "previous": None, "results": rows}
    serialized = JSONRenderer().render(page)

    computed = api(procurement).get(LIST)
    kept = api(procurement).get(LIST)

    assert computed.content == kept.content == serialized
    assert computed["Content-Type"] == kept["Content-Type"] == "application/json"
    assert kept.json()["results"][0]["payable_incl_tax"] == "45474.95"


def test_a_change_to_a_sheet_or_its_lines_is_seen_on_the_next_request(
    api, procurement, vendor_pm, worked_example
):
    settlements_compute(month=OCTOBER)
    client = api(procurement)
    assert client.get(LIST).json()["results"][0]["status"] == "draft"

    sheet_confirm(sheet=SettlementSheet.objects.get(), actor=vendor_pm)
    assert client.get(LIST).json()["results"][0]["status"] == "vendor_confirmed"

    # A bulk write sends no post_save: the queryset announces it (core.writes).
    SheetLine.objects.filter(level="高级").update(quantity=Decimal("40.0"))
    lines = client.get(LIST).json()["results"][0]["lines"]
    assert [line["days"] for line in lines if line["level"] == "高级"] == ["40.0"]


def test_another_vendors_page_is_never_answered_from_the_cache(
    api, procurement, vendor_pm, other_vendor_pm, worked_example
):
    settlements_compute(month=OCTOBER)
    assert api(procurement).get(LIST).json()["count"] == 1
    assert api(vendor_pm).get(LIST).json()["count"] == 1

    assert api(other_vendor_pm).get(LIST).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_a_calendar_year_written_replaces_the_version(db):
    """A provisional year marks a listed sheet's deadlines 暂定 (test_calendar_deadlines)."""
    before = list_cache.version()

    CalendarYear.objects.filter(year=2027).update(status=CalendarYear.Status.PROVISIONAL)

    assert list_cache.version() != before
