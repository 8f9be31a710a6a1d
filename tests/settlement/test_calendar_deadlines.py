"""A deadline counted on a provisional year moves when the year is published, and is listed."""

from datetime import date
from decimal import Decimal

import pytest

from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.core.test_calendar import LONGER_NEW_YEAR, publish

pytestmark = pytest.mark.django_db


def test_a_signed_sheets_invoice_deadline_moves_and_is_listed(
    worked_example, procurement, vendor_pm, clock, api
):
    clock(date(2026, 12, 24))
    settlements_compute(month=date(2026, 10, 1))
    sheet = sheet_confirm(sheet=SettlementSheet.objects.get(), actor=vendor_pm)
    sheet = sheet_confirm(sheet=sheet, actor=procurement)
    assert sheet.invoice_due_by == date(2027, 1, 8)
    assert api(vendor_pm).get(f"/api/v1/settlements/{sheet.pk}/").json()["provisional"] is True
    listed = api(vendor_pm).get("/api/v1/settlements/").json()["results"]
    assert [row["provisional"] for row in listed] == [True]

    publication = publish(procurement, **LONGER_NEW_YEAR)

    # Monday 4 January off: 25, 28–31 Dec (5), 5–8 Jan (9), Monday 11 Jan.
    sheet.refresh_from_db()
    assert sheet.invoice_due_by == date(2027, 1, 11)
    assert (sheet.status, sheet.payable_incl_tax) == ("signed", Decimal("45474.95"))
    assert [f.text for f in publication.findings] == [
        f"结算单 {sheet}：发票期限改为 2027-01-11（原为 2027-01-08）。"
    ]
    assert api(vendor_pm).get(f"/api/v1/settlements/{sheet.pk}/").json()["provisional"] is False
    listed = api(vendor_pm).get("/api/v1/settlements/").json()["results"]
    assert [row["provisional"] for row in listed] == [False]
