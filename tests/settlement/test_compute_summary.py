"""Computing a month says what it did: sheets made, updated and left as they were, and each
order skipped with its reason, in the task's result, the API's tasks/<id>/ and on the page."""

import pytest
from django.test import Client

from demo.common import published_score
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from tests.conftest import wait_for_task
from tests.settlement.conftest import OCTOBER, approved_log, issued
from tests.worklogs.conftest import member
from worklogs.lines import LineInput
from worklogs.services import worklog_open, worklog_save, worklog_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def october(worked_example, active_contract, procurement):
    """The worked example's order is ready to settle; three more orders in service are not:
    one's log is submitted, not approved; one's score is published, not confirmed by the
    vendor; one has no log at all."""
    submitted = issued(active_contract, name="日常运维")
    log = worklog_open(order=submitted, month=OCTOBER)
    worklog_save(log=log, lines=[LineInput(member(active_contract, 6).pk, 10, "员工6")])
    worklog_submit(log=log)
    unconfirmed = issued(active_contract, name="数据分析")
    approved_log(unconfirmed, OCTOBER, [(member(active_contract, 7), "12")], procurement)
    published_score(unconfirmed, OCTOBER, "48", [], procurement)
    idle = issued(active_contract, name="备用支撑")
    return worked_example, submitted, unconfirmed, idle


def test_the_result_names_what_was_made_and_why_each_order_was_skipped(october, vendor_pm):
    ready, submitted, unconfirmed, idle = october

    first = settlements_compute(month=OCTOBER)

    assert {key: first[key] for key in ("orders", "created", "updated", "unchanged")} == {
        "orders": 4,
        "created": 1,
        "updated": 0,
        "unchanged": 0,
    }
    assert sorted(
        (skip["order"], skip["reason"], skip["message"]) for skip in first["skipped"]
    ) == sorted(
        [
            (submitted.number, "log_not_approved", "工作量记录为“已提交”，尚未批准"),
            (unconfirmed.number, "score_not_confirmed", "考核结果待乙方确认"),
            (idle.number, "no_log", "本月没有工作量记录"),
        ]
    )
    assert first["summary"] == "2026-10：新建结算单 1 张，更新 0 张，无变化 0 张；跳过 3 个订单。"

    # Computed again, the draft is as it was; once the vendor confirmed it, it is not touched.
    assert settlements_compute(month=OCTOBER)["unchanged"] == 1
    sheet_confirm(sheet=SettlementSheet.objects.get(order=ready), actor=vendor_pm)
    third = settlements_compute(month=OCTOBER)
    assert third["computed"] == 0
    assert {
        "order": ready.number,
        "reason": "sheet_past_draft",
        "message": "结算单已是“乙方已确认”状态，不再重算",
    } in third["skipped"]


def test_a_month_without_orders_says_so():
    result = settlements_compute(month=OCTOBER)

    assert (result["orders"], result["computed"], result["skipped"]) == (0, 0, [])
    assert result["summary"] == "2026-10：没有在服务期内的订单，未生成结算单。"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_shows_the_summary_the_api_answers(
    october, api, procurement, other_vendor_pm, celery_worker
):
    """tasks.js reloads the list with ?task=<id> once the job ended."""
    started = api(procurement).post(
        "/api/v1/settlements/compute/", {"month": "2026-10"}, format="json"
    )
    task_id = started.json()["task_id"]
    result = wait_for_task(api(procurement), task_id)["result"]
    assert result["summary"] == "2026-10：新建结算单 1 张，更新 0 张，无变化 0 张；跳过 3 个订单。"

    client = Client()
    client.force_login(procurement)
    page = client.get(f"/settlements/?task={task_id}").content.decode()
    assert 'id="compute-summary"' in page
    assert result["summary"] in page
    _ready, submitted, _unconfirmed, _idle = october
    assert f"{submitted.number}：工作量记录为“已提交”，尚未批准" in page
    # Another vendor's user does not follow procurement's job: no summary for them.
    client.force_login(other_vendor_pm)
    assert (
        'id="compute-summary"' not in client.get(f"/settlements/?task={task_id}").content.decode()
    )
