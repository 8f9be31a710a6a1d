"""Every state that waits on someone is on that one role's to-do, with a link to the object,
and on nobody else's: each test puts an object of the demo in the state and reads every
demo user's dashboard (the admin's, which is everyone's, aside)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from assessment.models import Assessment
from assessment.services import (
    assessment_confirm,
    assessment_dispute,
    assessment_publish,
    assessment_reopen,
)
from contracts.models import FrameworkContract
from core.bank_accounts import bank_account_change_submit
from core.models import User
from dashboard.selectors import dashboard
from demo.fixed_price import approved_reports
from finance.services import invoice_receive, sheet_invoice
from kpi.models import KpiReport
from kpi.services import kpi_assess, kpi_report_return, kpi_report_save, kpi_report_submit
from orders.models import Order
from settlement.models import SettlementSheet
from settlement.services import sheet_confirm
from staffing.models import StaffMember
from tests.factories import ContractFactory
from worklogs.models import WorkLog
from worklogs.services import worklog_approve, worklog_return

TODAY = date(2026, 11, 23)
PEOPLE = ["caigou", "caiwu", "yunqi_pm", "xinghe_pm", "zhiyin_pm", "anyuan"]


@pytest.fixture
def users(db, clock):
    clock(TODAY)
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {user.username: user for user in User.objects.all()}


def seen(users, url, today=TODAY) -> dict[str, set]:
    """Per person, the titles of the to-dos that list `url` (on `today`)."""
    return {
        name: {
            str(todo.title)
            for todo in dashboard(user=users[name], today=today)
            for item in todo.items
            if item.url == url
        }
        for name in PEOPLE
    }


def assert_waits_on(users, url, username, title, today=TODAY):
    everyone = seen(users, url, today)
    assert everyone.pop(username) == {title}
    assert not any(everyone.values()), everyone


def log_url(log):
    return f"/orders/{log.order_id}/worklog/{log.month:%Y-%m}/"


def submitted_log():
    return WorkLog.objects.get(
        status=WorkLog.Status.SUBMITTED, order__contract__code="MGYY-2026-003"
    )


def test_a_submitted_log_waits_on_procurement(users):
    assert_waits_on(users, log_url(submitted_log()), "caigou", "待审批的工作量记录")


def test_a_returned_log_waits_on_the_vendor_and_procurement_chases_it(users):
    """The one state on two lists, on purpose: last month's log not in waits on the vendor,
    and procurement follows it up (its deadline passed, 2.10 rectification)."""
    log = worklog_return(log=submitted_log(), reason="10月15日重复填报")
    everyone = seen(users, log_url(log))
    assert everyone.pop("yunqi_pm") == {"待提交的工作量记录"}
    assert everyone.pop("caigou") == {"缺上月工作量记录的订单"}
    assert not any(everyone.values()), everyone


def test_an_approved_month_without_a_score_waits_on_procurement(users):
    log = worklog_approve(log=submitted_log(), actor=users["caigou"])
    for score in Assessment.objects.filter(order=log.order, month=log.month):
        assessment_reopen(assessment=score, reason="重新打分")  # the demo scored it already
    url = f"/orders/{log.order_id}/assessment/{log.month:%Y-%m}/"
    assert_waits_on(users, url, "caigou", "待考核的月份")


def test_a_published_score_waits_on_the_vendor_and_a_disputed_one_on_procurement(users):
    score = Assessment.objects.get(status=Assessment.Status.PUBLISHED)
    url = f"/orders/{score.order_id}/assessment/{score.month:%Y-%m}/"
    assert_waits_on(users, url, "yunqi_pm", "待确认或提出异议的考核")

    assessment_dispute(assessment=score, reason="9月12日的故障不应扣分")

    assert_waits_on(users, url, "caigou", "乙方有异议、待处理的考核")
    item = next(
        item
        for todo in dashboard(user=users["caigou"], today=TODAY)
        for item in todo.items
        if item.url == url
    )
    assert item.detail == "9月12日的故障不应扣分"


def test_a_sheet_waits_on_the_vendor_then_the_buyer_then_the_vendors_invoice_then_finance(users):
    sheet = SettlementSheet.objects.get(
        status=SettlementSheet.Status.DRAFT, contract__code="MGYY-2026-003"
    )
    url = f"/settlements/{sheet.pk}/"
    assert_waits_on(users, url, "yunqi_pm", "待乙方确认的结算单")

    sheet = sheet_confirm(sheet=sheet, actor=users["yunqi_pm"])
    assert_waits_on(users, url, "caigou", "待甲方确认的结算单")

    sheet = sheet_confirm(sheet=sheet, actor=users["caigou"])
    assert_waits_on(users, url, "yunqi_pm", "待开票")  # the vendor invoices, not finance

    sheet_invoice(
        sheet=sheet,
        actor=users["yunqi_pm"],
        number="YQ20261123",
        invoiced_on=TODAY,
        amount=sheet.payable_incl_tax,
    )
    invoice_receive(invoice=sheet.invoices.get(), actor=users["caiwu"], received_on=TODAY)
    # Received as issued, it is due 30 working days later, on 5 January 2027 (24–27 November 4,
    # then four weeks 24, 28–31 December 28, 1 January a holiday, 4 and 5 January): finance's
    # from five working days before, Monday 28 December, not on Friday 25 December.
    assert not any(seen(users, url, date(2026, 12, 25)).values())
    assert_waits_on(users, url, "caiwu", "5个工作日内到期的付款", date(2026, 12, 28))


def test_an_overdue_payment_is_finances_marked_late(users):
    sheet = SettlementSheet.objects.get(
        status=SettlementSheet.Status.INVOICED,
        payment_due_by__lt=TODAY,
        contract__code="MGYY-2026-003",
    )
    url = f"/settlements/{sheet.pk}/"
    assert seen(users, url)["caiwu"] == {"逾期未付款"}
    assert not any(titles for name, titles in seen(users, url).items() if name != "caiwu")
    items = [
        item
        for todo in dashboard(user=users["caiwu"], today=TODAY)
        for item in todo.items
        if item.url == url
    ]
    assert all(item.late for item in items)
    assert all(f"{sheet.payment_due_by}" in item.detail for item in items)  # the deadline


def test_a_person_awaiting_approval_waits_on_procurement(users):
    member = StaffMember.objects.filter(status=StaffMember.Status.PENDING).first()
    roster = f"/contracts/{member.contract_id}/staff/?status=pending"
    assert_waits_on(users, roster, "caigou", "待批准的人员")


def test_a_person_leaving_without_a_replacement_waits_on_the_vendor(users):
    member = StaffMember.objects.get(
        status=StaffMember.Status.LEAVING, contract__code="MGYY-2026-003"
    )
    assert_waits_on(users, f"/staff/{member.pk}/", "yunqi_pm", "离职未补充的人员")


def test_a_new_bank_account_waits_on_the_buyers_procurement(users):
    bank_account_change_submit(
        actor=users["yunqi_pm"], bank_name="招商银行北京分行", bank_account="110905551010888"
    )
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    url = f"/contracts/{contract.pk}/#bank-account-changes"
    assert_waits_on(users, url, "caigou", "待确认的收款账户变更")


def test_a_draft_order_and_a_draft_contract_wait_on_procurement(users):
    order = Order.objects.get(status=Order.Status.DRAFT)
    assert_waits_on(users, f"/orders/{order.pk}/", "caigou", "待下达的草稿订单")
    contract = ContractFactory(
        buyer=users["caigou"].organization, vendor=users["zhiyin_pm"].organization
    )
    assert_waits_on(users, f"/contracts/{contract.pk}/", "caigou", "待生效的草稿合同")


def test_004s_report_then_its_year_then_its_milestone(users):
    """The November report (004's twelfth month) is submitted, returned, approved; the year
    is then procurement's to score and the vendor's to confirm. The last milestone was paid in
    full on its date (payable from 2026-09-20, due by 2026-09-30) and the year passes: nothing is
    left to settle or true up."""
    order = Order.objects.get(contract__code="AYQ-2025-004")
    report_url = f"/orders/{order.pk}/kpi/2026-11/"
    kpi_url = f"/orders/{order.pk}/kpi/"
    assert seen(users, kpi_url)["anyuan"] == set()  # November is not in yet

    report = kpi_report_submit(
        report=kpi_report_save(order=order, month=date(2026, 11, 1), figures={"videos": 12})
    )
    assert_waits_on(users, report_url, "anyuan", "待审批的KPI报告")

    kpi_report_return(report=report, reason="视频数与平台数据不符")
    assert_waits_on(users, report_url, "xinghe_pm", "待提交的KPI报告")

    KpiReport.objects.filter(pk=report.pk).delete()
    approved_reports(order, [{"videos": 12}], users["anyuan"], start=date(2026, 11, 1))
    assert_waits_on(users, kpi_url, "anyuan", "待考核的KPI周期")

    year = kpi_assess(order=order, months=12, bonuses={"bonus_media": 1})
    assessment_publish(assessment=year, actor=users["anyuan"])
    assert_waits_on(users, kpi_url, "xinghe_pm", "待确认或提出异议的考核")

    assessment_confirm(assessment=year, actor=users["xinghe_pm"])
    assert not any(seen(users, kpi_url).values())
    assert not any(seen(users, f"/orders/{order.pk}/milestones/").values())


def test_each_list_and_bulk_page_is_linked_from_the_dashboard(users):
    client = Client()
    client.force_login(users["caigou"])
    page = client.get("/").content.decode()
    assert 'href="/worklogs/?status=submitted"' in page
    assert 'href="/worklogs/approve-many/"' in page
    for url in ("/worklogs/?status=submitted", "/worklogs/approve-many/"):
        assert client.get(url).status_code == 200
    client.force_login(users["yunqi_pm"])
    assert 'href="/worklogs/approve-many/"' not in client.get("/").content.decode()


def test_the_sheets_to_sign_show_their_payable(users):
    sheet = SettlementSheet.objects.get(
        status=SettlementSheet.Status.DRAFT, contract__code="MGYY-2026-003"
    )
    sheet = sheet_confirm(sheet=sheet, actor=users["yunqi_pm"])
    item = next(
        item
        for todo in dashboard(user=users["caigou"], today=TODAY)
        for item in todo.items
        if item.url == f"/settlements/{sheet.pk}/"
    )
    assert sheet.payable_incl_tax > Decimal("0")
    assert item.detail == f"¥{sheet.payable_incl_tax:,.2f}"  # as every page prints money
