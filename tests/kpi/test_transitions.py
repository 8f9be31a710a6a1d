"""The steps of a month's KPI report agree on its page, in the API and in the services: the
vendor submits it (again after a return); procurement approves or returns it."""

from datetime import date

import pytest

from kpi.models import KpiReport
from kpi.services import kpi_report_approve, kpi_report_return, kpi_report_save, kpi_report_submit
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db
Status = KpiReport.Status
MARCH = date(2026, 3, 1)


@pytest.fixture
def users(vendor_pm, other_vendor_pm, procurement, finance):
    return [vendor_pm, other_vendor_pm, procurement, finance]


def report_in(state, order, procurement):
    report = kpi_report_save(order=order, month=MARCH, figures={"videos": 15})
    if state != Status.DRAFT:
        report = kpi_report_submit(report=report)
    if state == Status.APPROVED:
        report = kpi_report_approve(report=report, actor=procurement)
    if state == Status.RETURNED:
        report = kpi_report_return(report=report, reason="播放量有误")
    return KpiReport.objects.get(pk=report.pk)


@pytest.mark.parametrize("state", Status.values)
def test_a_reports_page_api_and_flow_agree(state, kpi_order, users, procurement):
    report = report_in(state, kpi_order, procurement)
    flow_agrees(
        flow=KpiReport.flow,
        obj=report,
        page=f"/orders/{kpi_order.pk}/kpi/2026-03/",
        api=f"/api/v1/kpi-reports/{report.pk}/",
        users=users,
        data={"return": {"reason": "播放量有误"}},
    )
