"""The activity page: who did what to which contract, order, log, score or sheet, from the
history kept, filtered, paged by keyset, and never another buyer's objects."""

import re

import pytest

from assessment.models import Assessment
from contracts.models import FrameworkContract
from dashboard.activity import PAGE_SIZE, _after, activity
from orders.models import Order
from settlement.models import SettlementSheet
from tests.pages import browser
from worklogs.models import WorkLog

pytestmark = pytest.mark.django_db
MODELS = [FrameworkContract, Order, WorkLog, Assessment, SettlementSheet]


def rows(page: str) -> list[list[str]]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr>.*?</tr>", body, re.S)
    ]


def every_entry(user, **filters):
    entries, cursor = [], None
    while True:
        page, next_cursor = activity(user=user, after=cursor, **filters)
        entries += page
        if not next_cursor:
            return entries
        cursor = _after(next_cursor)


def test_who_approved_which_log_is_read_on_the_page_filtered_by_person(demo_users):
    log = WorkLog.objects.filter(status=WorkLog.Status.SUBMITTED).order_by("pk").first()
    client = browser(demo_users["caigou"])
    client.post(f"/worklogs/{log.pk}/approve/")

    page = client.get("/activity/", {"person": demo_users["caigou"].pk}).content.decode()

    first = rows(page)[0]
    assert first[0].endswith("张采购 · 已修改")
    assert first[1:] == [f"工作量记录 {log}", "已批准"]
    assert f'href="/orders/{log.order_id}/worklog/{log.month:%Y-%m}/"' in page
    assert all("张采购 · " in row[0] for row in rows(page))


def test_another_buyers_objects_never_appear(demo_users):
    mine = every_entry(demo_users["caigou"])
    theirs = every_entry(demo_users["anyuan"])
    assert mine and theirs
    assert not any("AYQ-2025-004" in entry.name for entry in mine)
    assert all("AYQ-2025-004" in entry.name for entry in theirs)


def test_the_pages_hold_every_row_once_in_order(demo_users):
    """The admin's pages, read to the end by their cursors, hold each history row of the five
    models exactly once, newest first (the demo writes many rows at the same instant)."""
    entries = every_entry(demo_users["admin"])
    expected = sum(model.history.count() for model in MODELS)
    assert len(entries) == expected > PAGE_SIZE
    assert len({entry.cursor for entry in entries}) == expected
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_a_page_costs_the_same_few_queries_however_deep(demo_users, django_assert_max_num_queries):
    client = browser(demo_users["admin"])
    with django_assert_max_num_queries(14):
        first = client.get("/activity/").content.decode()
    cursor = re.search(r"after=([0-9-]+)", first).group(1)
    for _page in range(5):
        with django_assert_max_num_queries(14):
            page = client.get(f"/activity/?after={cursor}").content.decode()
        cursor = re.search(r"after=([0-9-]+)", page).group(1)


def test_filters_by_kind_name_and_dates(demo_users):
    caigou = demo_users["caigou"]
    sheets = every_entry(caigou, kind="sheet")
    assert sheets and {e.kind for e in sheets} == {"结算单"}
    assert all(e.url.startswith("/settlements/") for e in sheets)
    found = every_entry(caigou, q="MGYY-2026-002")
    assert found and all("MGYY-2026-002" in e.name for e in found)

    page = browser(caigou).get("/activity/", {"until": "2000-01-01"}).content.decode()
    assert "没有符合条件的动态。" in page


@pytest.mark.parametrize(
    ("username", "status"), [("caiwu", 200), ("admin", 200), ("yunqi_pm", 403)]
)
def test_procurement_finance_and_the_admin_read_it(demo_users, username, status):
    assert browser(demo_users[username]).get("/activity/").status_code == status


def test_a_made_up_cursor_or_date_is_the_first_page_or_a_message(demo_users):
    client = browser(demo_users["caigou"])
    assert client.get("/activity/?after=abc").status_code == 200
    assert client.get("/activity/?after=99999999999999999999999-1-1").status_code == 200
    answer = client.get("/activity/?since=2026-13-45")
    assert answer.status_code == 400


def test_the_menu_links_it_for_the_buyer_side_only(demo_users):
    assert 'href="/activity/"' in browser(demo_users["caiwu"]).get("/").content.decode()
    assert 'href="/activity/"' not in browser(demo_users["yunqi_pm"]).get("/").content.decode()
