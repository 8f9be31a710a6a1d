"""批量批准工作量: procurement approves many submitted logs at once, each checked as if approved
on its own page, with each one's result; another buyer's log is not found, never approved."""

import re

import pytest

from tests.pages import browser
from worklogs.models import WorkLog

pytestmark = pytest.mark.django_db


def rows(page: str) -> list[list[str]]:
    """The result table's rows as their cells' text."""
    table = page.split('id="bulk-results"')[1].split("</table>")[0]
    return [
        [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr class=\"outcome-.*?</tr>", table, re.S)
    ]


def test_procurement_approves_the_chosen_logs_and_reads_each_result(demo_users):
    submitted = list(WorkLog.objects.filter(status=WorkLog.Status.SUBMITTED).order_by("pk"))
    approved = WorkLog.objects.filter(status=WorkLog.Status.APPROVED).first()
    client = browser(demo_users["caigou"])

    page = client.get("/worklogs/approve-many/").content.decode()
    assert "批量批准工作量" in page
    for log in submitted:
        assert f'name="ids" value="{log.pk}"' in page

    answer = client.post(
        "/worklogs/approve-many/", {"ids": [*(log.pk for log in submitted), approved.pk, 999999]}
    )

    assert answer.status_code == 200
    results = rows(answer.content.decode())
    assert [row[1] for row in results] == ["已批准", "已批准", "未通过", "未找到"]
    assert results[0][0] == str(submitted[0]) and results[3][0] == "#999999"
    assert "已批准" in results[2][2] and "不能" in results[2][2]  # the single action's reason
    assert "成功 2 项，未成功 2 项" in answer.content.decode()
    for log in submitted:
        log.refresh_from_db()
        assert log.status == WorkLog.Status.APPROVED
        assert log.approved_by == demo_users["caigou"]
    assert WorkLog.objects.filter(status=WorkLog.Status.SUBMITTED).count() == 0


def test_nothing_chosen_is_said_and_nothing_changes(demo_users):
    answer = browser(demo_users["caigou"]).post("/worklogs/approve-many/", {})
    assert answer.status_code == 400
    assert "请至少选择一项。" in answer.content.decode()
    assert WorkLog.objects.filter(status=WorkLog.Status.SUBMITTED).count() == 2


@pytest.mark.parametrize("username", ["caiwu", "yunqi_pm"])
def test_only_procurement_approves(demo_users, username):
    client = browser(demo_users[username])
    log = WorkLog.objects.filter(status=WorkLog.Status.SUBMITTED).first()
    assert client.get("/worklogs/approve-many/").status_code == 403
    assert client.post("/worklogs/approve-many/", {"ids": [log.pk]}).status_code == 403
    log.refresh_from_db()
    assert log.status == WorkLog.Status.SUBMITTED


def test_the_api_answers_each_id_and_another_buyers_logs_are_not_found(demo_users, api):
    ids = list(WorkLog.objects.filter(status=WorkLog.Status.SUBMITTED).values_list("pk", flat=True))

    # anyuan is the district's procurement: 咪咕's logs are not theirs to see.
    answer = api(demo_users["anyuan"]).post(
        "/api/v1/worklogs/approve-many/", {"ids": ids}, format="json"
    )
    assert answer.status_code == 200
    assert [r["result"] for r in answer.json()["results"]] == ["not_found", "not_found"]
    assert WorkLog.objects.filter(pk__in=ids, status=WorkLog.Status.SUBMITTED).count() == 2

    answer = api(demo_users["caigou"]).post(
        "/api/v1/worklogs/approve-many/", {"ids": [*ids, ids[0]]}, format="json"
    )
    assert answer.json()["results"] == [
        {"id": pk, "result": "done", "status": 200, "message": ""} for pk in ids
    ]  # an id given twice is acted on once
    assert WorkLog.objects.filter(pk__in=ids, status=WorkLog.Status.APPROVED).count() == 2

    again = api(demo_users["caigou"]).post(
        "/api/v1/worklogs/approve-many/", {"ids": ids}, format="json"
    )
    assert {(r["result"], r["status"]) for r in again.json()["results"]} == {("refused", 409)}


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": "1,2"}, {"ids": [0]}])
def test_the_api_refuses_a_malformed_list(demo_users, api, body):
    answer = api(demo_users["caigou"]).post("/api/v1/worklogs/approve-many/", body, format="json")
    assert answer.status_code == 400


def test_the_api_is_procurements(demo_users, api):
    log = WorkLog.objects.filter(status=WorkLog.Status.SUBMITTED).first()
    answer = api(demo_users["yunqi_pm"]).post(
        "/api/v1/worklogs/approve-many/", {"ids": [log.pk]}, format="json"
    )
    assert answer.status_code == 403


def test_the_list_links_the_bulk_page(demo_users):
    page = browser(demo_users["caigou"]).get("/worklogs/?status=submitted").content.decode()
    assert 'href="/worklogs/approve-many/"' in page
