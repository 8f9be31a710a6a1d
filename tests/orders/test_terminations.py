"""Termination (SPEC §9; 11.1, 11.2, 11.5, 2.10, 7.2): a contract or one order ends on its
effective date; its open orders close and release what they had not settled; the work up to
that date is still logged, scored and settled, nothing after it; a notice under 11.5 takes
effect 30 days after it is given and is answered within 10; the daily task applies what is due;
another organisation's termination is 404, a state conflict 409; the notice is a PDF."""

from datetime import date
from decimal import Decimal

import pytest

from assessment.services import AssessmentError, assessment_confirm, assessment_open
from contracts.models import FrameworkContract
from demo.common import published_score
from orders.models import Order, Termination
from orders.tasks import terminations_apply_due_task
from orders.terminations import termination_give
from settlement.models import SettlementSheet
from settlement.services import sheet_confirm, sheets_compute
from tests.pages import browser
from tests.pdf import pdf_text
from tests.test_races import Desk
from tests.transitions import flow_agrees
from worklogs.lines import LineInput, WorkLogError
from worklogs.services import worklog_approve, worklog_open, worklog_save, worklog_submit

pytestmark = pytest.mark.django_db

MARCH, APRIL = date(2026, 3, 1), date(2026, 4, 1)
BREACH = {"kind": "breach", "clause": "7.2", "reason": "未按约定时间执行支撑"}


@pytest.fixture
def desk(active_contract, procurement, vendor_pm, api):
    return Desk(active_contract, procurement, vendor_pm, api)


def test_a_termination_releases_what_the_order_had_not_settled(desk, procurement, api):
    # The October sheet of an order planned 41.5 senior days at 900.00 = 37,350.00 pays
    # 4 days = 3,600.00; the order still reserves 37,350.00 − 3,600.00 = 33,750.00.
    sheet = desk.confirmed()
    sheet_confirm(sheet=sheet, actor=procurement)
    contract = FrameworkContract.objects.get(pk=desk.contract.pk)
    assert (contract.settled_total, contract.committed_total) == (
        Decimal("3600.00"),
        Decimal("33750.00"),
    )

    response = api(procurement).post(
        f"/api/v1/contracts/{contract.pk}/terminate/",
        {"kind": "breach", "clause": "2.10", "reason": "整改4次不达标"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "in_effect"
    assert response.json()["released_amount"] == "33750.00"
    contract.refresh_from_db()
    order = Order.objects.get(pk=sheet.order_id)
    today = contract.terminated_on
    assert (contract.status, contract.settled_total, contract.committed_total) == (
        "terminated",
        Decimal("3600.00"),
        Decimal("0.00"),
    )
    assert (order.status, order.terminated_on, order.reserved_amount) == (
        "terminated",
        today,
        Decimal("0.00"),
    )
    assert order.ledger_entries.last().committed_change == Decimal("-33750.00")


def test_a_notice_takes_effect_30_days_later_and_is_answered_within_10(
    clock, active_contract, procurement, vendor_pm, api
):
    clock(date(2026, 3, 2))
    response = api(procurement).post(
        f"/api/v1/contracts/{active_contract.pk}/terminate/",
        {"kind": "notice", "reason": "业务调整"},
        format="json",
    )
    assert response.status_code == 201, response.content
    notice = response.json()
    # 11.5 counts days: 2 March + 30 = 1 April; + 10 = 12 March.
    assert (notice["clause"], notice["effective_on"], notice["answer_due_on"]) == (
        "11.5",
        "2026-04-01",
        "2026-03-12",
    )
    again = api(procurement).post(
        f"/api/v1/contracts/{active_contract.pk}/terminate/", BREACH, format="json"
    )
    assert again.status_code == 409

    base = f"/api/v1/terminations/{notice['id']}"
    clock(date(2026, 3, 13))
    assert api(vendor_pm).post(
        f"{base}/answer/", {"answer": "同意"}, format="json"
    ).status_code == (409)
    clock(date(2026, 3, 12))
    answered = api(vendor_pm).post(f"{base}/answer/", {"answer": "同意协商"}, format="json")
    assert (answered.status_code, answered.json()["status"]) == (200, "answered")

    clock(date(2026, 3, 31))
    assert terminations_apply_due_task() == 0
    clock(date(2026, 4, 1))
    assert terminations_apply_due_task() == 1
    assert terminations_apply_due_task() == 0  # safe to run twice
    active_contract.refresh_from_db()
    assert (active_contract.status, active_contract.terminated_on) == ("terminated", APRIL)
    history = api(procurement).get(f"{base}/history/")
    assert history.status_code == 200 and len(history.json()) == 3  # given, answered, applied


def test_a_withdrawn_notice_never_takes_effect(clock, active_contract, procurement, api):
    clock(date(2026, 3, 2))
    notice = termination_give(
        contract=active_contract, kind="notice", reason="业务调整", actor=procurement
    )
    base = f"/api/v1/terminations/{notice.pk}"
    assert api(procurement).post(
        f"{base}/withdraw/", {"reason": "双方协商继续履行"}
    ).status_code == (200)
    assert api(procurement).post(f"{base}/withdraw/", {"reason": "再次"}).status_code == 409
    clock(date(2026, 4, 2))
    assert terminations_apply_due_task() == 0
    active_contract.refresh_from_db()
    assert active_contract.status == "active"


def test_work_up_to_a_breach_is_still_logged_scored_and_settled_nothing_after(
    clock, desk, procurement, vendor_pm, api
):
    clock(date(2026, 3, 10))
    order = desk.order()
    person = desk.person()[0]
    march, april = worklog_open(order=order, month=MARCH), worklog_open(order=order, month=APRIL)
    for log in (march, april):
        worklog_save(log=log, lines=[LineInput(person.pk, Decimal("4"), person.name)])

    response = browser(procurement).post(f"/orders/{order.pk}/terminate/", BREACH)
    assert response.status_code == 302
    termination = Termination.objects.get(order=order)
    # For breach, at once: effective the day of the notice.
    assert (termination.status, termination.effective_on) == ("in_effect", date(2026, 3, 10))

    order.refresh_from_db()
    worklog_approve(log=worklog_submit(log=march), actor=procurement)
    score = published_score(order, MARCH, "50", [], procurement)
    assessment_confirm(assessment=score, actor=vendor_pm)
    with pytest.raises(WorkLogError, match="2026-03-10"):
        worklog_submit(log=april)
    with pytest.raises(AssessmentError, match="2026-03-10"):
        assessment_open(order=order, month=APRIL)
    refused = api(vendor_pm).post(
        "/api/v1/worklogs/", {"order": order.pk, "month": "2026-05"}, format="json"
    )
    assert refused.status_code == 400 and "2026-03-10" in refused.content.decode()
    sheets_compute(order_ids=[order.pk], month=APRIL)
    sheets_compute(order_ids=[order.pk], month=MARCH)
    sheet = SettlementSheet.objects.get(order=order)
    assert sheet.month == MARCH
    sheet_confirm(sheet=sheet_confirm(sheet=sheet, actor=vendor_pm), actor=procurement)
    assert SettlementSheet.objects.get(pk=sheet.pk).status == "signed"


def test_the_form_reads_its_clause_and_refuses_bad_input(procurement, active_contract):
    url = f"/contracts/{active_contract.pk}/terminate/"
    page = browser(procurement).get(f"{url}?kind=breach&clause=2.10").content.decode()
    assert '<option value="breach" selected>' in page
    assert '<option value="2.10" selected>' in page

    response = browser(procurement).post(url, {"kind": "agreement", "reason": "协商"})
    assert response.status_code == 200  # by agreement, a date is needed: nothing saved
    assert not Termination.objects.exists()
    response = browser(procurement).post(url, {"kind": "notice", "clause": "7.2", "reason": "x"})
    assert response.status_code == 200 and not Termination.objects.exists()


def test_another_organisations_termination_is_404_everywhere(
    clock, active_contract, procurement, other_vendor_pm, vendor_pm, api
):
    clock(date(2026, 3, 2))
    notice = termination_give(
        contract=active_contract, kind="notice", reason="业务调整", actor=procurement
    )
    base = f"/api/v1/terminations/{notice.pk}"
    other = api(other_vendor_pm)
    assert other.get(f"{base}/").status_code == 404
    assert other.get(f"{base}/pdf/").status_code == 404
    assert other.get(f"{base}/history/").status_code == 404
    assert other.post(f"{base}/answer/", {"answer": "x"}).status_code == 404
    assert other.get("/api/v1/terminations/").json()["count"] == 0
    assert (
        other.post(f"/api/v1/contracts/{active_contract.pk}/terminate/", BREACH).status_code == 404
    )
    assert api(vendor_pm).post(f"{base}/withdraw/", {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("state", ["noticed", "answered", "in_effect", "withdrawn"])
def test_the_page_the_api_and_the_flow_agree(
    state, clock, active_contract, procurement, finance, vendor_pm, other_vendor_pm
):
    clock(date(2026, 3, 2))
    termination = termination_give(
        contract=active_contract, kind="notice", reason="业务调整", actor=procurement
    )
    if state == "answered":
        termination.status = state
    if state == "withdrawn":
        termination.status = state
    if state == "in_effect":
        clock(date(2026, 4, 1))
        terminations_apply_due_task()
    else:
        termination.save()
    termination.refresh_from_db()
    assert termination.status == state
    flow_agrees(
        flow=Termination.flow,
        obj=termination,
        page=f"/terminations/{termination.pk}/",
        api=f"/api/v1/terminations/{termination.pk}/",
        users=[vendor_pm, other_vendor_pm, procurement, finance],
        data={"answer": {"answer": "同意"}, "withdraw": {"reason": "继续履行"}},
    )


def test_the_notice_pdf_reads_back(clock, active_contract, procurement, api):
    clock(date(2026, 3, 2))
    notice = termination_give(
        contract=active_contract, kind="notice", reason="业务调整", actor=procurement
    )
    response = api(procurement).get(f"/api/v1/terminations/{notice.pk}/pdf/")
    assert response.status_code == 200
    text = pdf_text(response.content)
    for expected in (
        "解除通知书",
        active_contract.code,
        "第11.5条",
        "业务调整",
        "解除生效日期2026年4月1日",
        "请于2026年3月12日前书面答复协商",
    ):
        assert expected in text, expected


def test_the_desks_show_the_answer_due_and_the_termination_coming(
    clock, active_contract, procurement, vendor_pm
):
    from dashboard.selectors import dashboard

    clock(date(2026, 3, 2))
    termination_give(contract=active_contract, kind="notice", reason="业务调整", actor=procurement)

    def items(user, day, title):
        todos = {str(todo.title): todo for todo in dashboard(user=user, today=day)}
        return [item.detail for item in todos[title].items] if title in todos else []

    assert items(vendor_pm, date(2026, 3, 2), "待答复的解除通知") == ["2026-03-12"]
    assert items(vendor_pm, date(2026, 3, 13), "待答复的解除通知") == []
    # Within 14 days of 1 April: from 18 March.
    assert items(procurement, date(2026, 3, 17), "即将生效的解除") == []
    assert items(procurement, date(2026, 3, 18), "即将生效的解除") == ["2026-04-01"]
