"""A rectification request (2.10) is due 5 working days after it is issued by the portal's
calendar (holidays skipped, make-up Saturdays counted), shows as overdue once that day has
passed unanswered, is answered by the vendor and decided by procurement through the API with a
409 for a step its state does not allow, and is seen by nobody outside its contract (404)."""

from datetime import date

import pytest
from django.utils import timezone

from core.models import User
from core.todos import Desk
from governance.models import Rectification
from governance.selectors import overdue
from governance.services import rectification_due_on
from governance.todos import rectifications_to_answer, rectifications_to_decide
from tests.factories import BuyerFactory, UserFactory
from tests.governance.conftest import answered, failed, issued
from tests.pages import browser
from tests.worklogs.conftest import issued_order, member

pytestmark = pytest.mark.django_db
URL = "/api/v1/rectifications/"


@pytest.mark.parametrize(
    ("issued_on", "due_on"),
    [
        # A plain week: Monday 12 October → Monday 19 October.
        (date(2026, 10, 12), date(2026, 10, 19)),
        # National Day: 1–7 October off, Saturday 10 October worked (调休):
        # 8, 9, 10, 12, 13 October.
        (date(2026, 9, 30), date(2026, 10, 13)),
        # Mid-Autumn Friday 25 September off, then National Day: 28, 29, 30 September, 8, 9 October.
        (date(2026, 9, 24), date(2026, 10, 9)),
    ],
)
def test_due_five_working_days_later_by_the_portals_calendar(issued_on, due_on):
    assert rectification_due_on(issued_on) == due_on


def test_issued_through_the_api_today_with_its_due_day(api, procurement, order, staff_member):
    response = api(procurement).post(
        URL,
        {
            "order": order.pk,
            "staff": staff_member.pk,
            "description": "  驻场人员连续两天未到岗  ",
            "evidence": "考勤记录",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    row = response.json()
    today = timezone.localdate()
    assert row | {"id": 0} == {
        "id": 0,
        "contract": order.contract_id,
        "order": order.pk,
        "staff": staff_member.pk,
        "description": "驻场人员连续两天未到岗",
        "evidence": "考勤记录",
        "issued_on": today.isoformat(),
        "due_on": rectification_due_on(today).isoformat(),
        "overdue": False,
        "status": "open",
        "answer": "",
        "answered_on": None,
        "decided_on": None,
        "failed_reason": "",
        "incident": None,
    }
    assert Rectification.objects.get().issued_by == procurement


def test_a_staff_member_of_another_contract_or_a_draft_order_is_refused(
    api, procurement, order, other_active_contract
):
    stranger = member(other_active_contract, 9)
    client = api(procurement)

    wrong_staff = client.post(
        URL, {"order": order.pk, "staff": stranger.pk, "description": "x"}, format="json"
    )
    order.status = order.Status.COMPLETED
    order.save()
    closed = client.post(URL, {"order": order.pk, "description": "x"}, format="json")
    blank = client.post(URL, {"order": order.pk, "description": " "}, format="json")

    assert wrong_staff.json() == {"staff": ["员工9 不在该订单所属合同下工作。"]}
    assert closed.status_code == 400
    assert "已完成" in str(closed.json())
    assert blank.status_code == 400
    assert Rectification.objects.count() == 0


def test_the_vendor_answers_and_procurement_decides(api, procurement, vendor_pm, order):
    first, second = issued(order, procurement), issued(order, procurement)

    answer = api(vendor_pm).post(f"{URL}{first.pk}/answer/", {"answer": "已补交"}, format="json")
    accept = api(procurement).post(f"{URL}{first.pk}/accept/")
    fail = api(procurement).post(f"{URL}{second.pk}/fail/", {"reason": "逾期未答复"}, format="json")

    assert answer.status_code == 200
    assert (answer.json()["status"], answer.json()["answer"]) == ("answered", "已补交")
    assert accept.json()["status"] == "accepted"
    assert accept.json()["decided_on"] == timezone.localdate().isoformat()
    assert (fail.json()["status"], fail.json()["failed_reason"]) == ("failed", "逾期未答复")
    history = api(procurement).get(f"{URL}{first.pk}/history/").json()
    assert len(history) == 3  # issued, answered, accepted


def test_a_step_its_state_does_not_allow_is_409_and_bad_input_400(
    api, procurement, vendor_pm, order
):
    done = failed(order, procurement, vendor_pm)
    open_ = issued(order, procurement)
    client = api(procurement)

    assert client.post(f"{URL}{done.pk}/accept/").status_code == 409
    assert client.post(f"{URL}{open_.pk}/accept/").status_code == 409
    assert client.post(f"{URL}{done.pk}/fail/", {"reason": "再次"}).status_code == 409
    answer_again = api(vendor_pm).post(f"{URL}{done.pk}/answer/", {"answer": "补充"})
    assert answer_again.status_code == 409
    assert client.post(f"{URL}{open_.pk}/fail/", {"reason": ""}).status_code == 400
    assert Rectification.objects.get(pk=open_.pk).status == "open"


def test_another_vendor_and_another_buyer_see_nothing(
    api, procurement, vendor_pm, other_vendor_pm, order
):
    rectification = answered(order, procurement, vendor_pm)
    other_buyer = UserFactory(
        username="caigou2", role=User.Role.PROCUREMENT, organization=BuyerFactory()
    )
    for user in (other_vendor_pm, other_buyer):
        client = api(user)
        assert client.get(URL).json()["count"] == 0
        for path in ("", "history/", "pdf/"):
            assert client.get(f"{URL}{rectification.pk}/{path}").status_code == 404
        for action in ("answer", "accept", "fail", "link-incident"):
            assert client.post(f"{URL}{rectification.pk}/{action}/").status_code == 404
        page = browser(user).get(f"/governance/rectifications/{rectification.pk}/")
        assert page.status_code == 404
        assert (
            browser(user).get(f"/governance/rectifications/{rectification.pk}/pdf/").status_code
            == 404
        )
    assert (
        api(other_vendor_pm)
        .post(URL, {"order": order.pk, "description": "x"}, format="json")
        .status_code
        == 403
    )
    assert api(other_buyer).post(
        URL, {"order": order.pk, "description": "x"}, format="json"
    ).json() == {"order": [f"无效主键 “{order.pk}” － 对象不存在。"]}


def test_overdue_once_its_due_day_has_passed_unanswered(api, procurement, vendor_pm, order):
    # Issued Monday 5 January 2026: due Monday 12 January (the 4th, a Sunday, was worked
    # before it).
    late = issued(order, procurement, day=date(2026, 1, 5))
    answered_late = answered(order, procurement, vendor_pm, day=date(2026, 1, 5))
    fresh = issued(order, procurement, day=timezone.localdate())
    assert late.due_on == date(2026, 1, 12)
    rows = Rectification.objects.all()

    assert set(overdue(rows, today=date(2026, 1, 12))) == set()
    assert set(overdue(rows, today=date(2026, 1, 13))) == {late}
    assert (late.is_overdue, answered_late.is_overdue, fresh.is_overdue) == (True, False, False)
    flagged = api(procurement).get(URL, {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in flagged] == [late.pk]
    assert flagged[0]["overdue"] is True
    others = api(procurement).get(URL, {"overdue": "false"}).json()["results"]
    assert {row["id"] for row in others} == {answered_late.pk, fresh.pk}
    page = browser(procurement).get("/governance/?overdue=true").content.decode()
    assert page.count('data-flag="overdue"') == 1


def test_the_list_filters_by_status_contract_and_order(
    api, procurement, vendor_pm, order, active_contract
):
    second_order = issued_order(active_contract, name="活动支撑")
    open_ = issued(order, procurement)
    done = failed(second_order, procurement, vendor_pm)
    client = api(procurement)

    def ids(**query):
        return [row["id"] for row in client.get(URL, query).json()["results"]]

    assert ids(status="failed") == [done.pk]
    assert ids(order=order.pk) == [open_.pk]
    assert sorted(ids(contract=active_contract.pk)) == sorted([open_.pk, done.pk])
    page = browser(procurement).get(f"/governance/?status=failed&contract={active_contract.pk}")
    assert page.status_code == 200
    assert f"/governance/rectifications/{done.pk}/" in page.content.decode()
    assert f"/governance/rectifications/{open_.pk}/" not in page.content.decode()


def test_the_to_dos_of_each_side(procurement, vendor_pm, order):
    late = issued(order, procurement, day=date(2026, 1, 5))
    waiting = answered(order, procurement, vendor_pm)
    today = timezone.localdate()

    (to_answer,) = rectifications_to_answer(Desk(vendor_pm, today))
    to_decide, overdue_ = rectifications_to_decide(Desk(procurement, today))

    assert [(item.url, item.late) for item in to_answer.items] == [
        (f"/governance/rectifications/{late.pk}/", True)
    ]
    assert [item.url for item in to_decide.items] == [f"/governance/rectifications/{waiting.pk}/"]
    assert [item.url for item in overdue_.items] == [f"/governance/rectifications/{late.pk}/"]


def test_issued_from_the_order_page(procurement, vendor_pm, order, staff_member):
    page = browser(procurement).get(f"/orders/{order.pk}/").content.decode()
    assert f"/governance/rectifications/new/?order={order.pk}" in page
    assert (
        'data-role="rectify"' not in browser(vendor_pm).get(f"/orders/{order.pk}/").content.decode()
    )

    response = browser(procurement).post(
        f"/governance/rectifications/new/?order={order.pk}",
        {
            "order": order.pk,
            "staff": staff_member.pk,
            "description": "测试环境口令明文",
            "evidence": "",
        },
    )

    rectification = Rectification.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/governance/rectifications/{rectification.pk}/"
    assert (rectification.staff, rectification.status) == (staff_member, "open")
    assert browser(vendor_pm).get("/governance/rectifications/new/").status_code == 403
