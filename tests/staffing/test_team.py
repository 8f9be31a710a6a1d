"""3.2: the contract's planned team (each role × level at its busiest month of the open
orders) against who is approved, formed within 30 days of signing and complete a month after,
overdue shown to both sides; a replacement keeps the level and, demanded by the buyer, is due
10 working days on (the portal's calendar), overdue after until an approved one stands in."""

from datetime import date

import pytest

from contracts.models import FrameworkContract
from core.todos import Desk
from orders.services import order_create, order_issue
from orders.team import team_of
from orders.todos import team_overdue
from staffing.models import StaffMember
from staffing.services import (
    StaffError,
    replacement_due,
    staff_demand_replacement,
    staff_give_notice,
    staff_name_replacement,
)
from tests.factories import approved
from tests.pages import browser
from tests.staffing.test_approval import proposed
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db

SENIOR = ("产品/平台服务", "高级")
JUNIOR_SUPPORT = ("技术支持", "初级")


def order(contract, start, end, lines, issue=True):
    made = order_create(
        contract=contract,
        name="运营支撑",
        service_start=start,
        service_end=end,
        lines=[
            {"role": role, "level": level, "planned_quantity": quantity}
            for role, level, quantity in lines
        ],
    )
    return order_issue(order=made) if issue else made


@pytest.fixture
def planned(active_contract):
    """Signed 2026-01-01. March 2026 has 22 working days, 16 March – 3 April 15 (Qingming is
    4–6 April, after it):
    A, March: 高级 44 days → ⌈44/22⌉ = 2 people; 技术支持 初级 23 → ⌈23/22⌉ = 2.
    B, 16 March – 3 April: 高级 15 → ⌈15/15⌉ = 1, in March and April.
    C, a draft: counts for nothing.
    高级: March 2 + 1 = 3, April 1 → 3 at the busiest month; 初级 技术支持: 2."""
    march = (date(2026, 3, 1), date(2026, 3, 31))
    order(active_contract, *march, [(*SENIOR, "44"), (*JUNIOR_SUPPORT, "23")])
    order(active_contract, date(2026, 3, 16), date(2026, 4, 3), [(*SENIOR, "15")])
    order(active_contract, *march, [("技术支持", "高级", "100")], issue=False)
    return active_contract


def test_the_planned_team_against_who_is_approved(planned):
    member(planned, 1)
    member(planned, 2)
    proposed(planned, 3)  # awaiting approval: not in place yet

    team = team_of(planned)

    assert (team.formed_by, team.complete_by) == (date(2026, 1, 31), date(2026, 2, 28))
    rows = [(r.role, r.level, r.planned, r.approved, r.pending, r.due) for r in team.rows]
    assert rows == [
        ("产品/平台服务", "高级", 3, 2, 1, date(2026, 3, 1)),  # first needed on 1 March
        ("技术支持", "初级", 2, 0, 0, date(2026, 3, 1)),
    ]


def test_formation_and_completion_overdue_on_given_days(planned):
    team = team_of(planned)
    assert not team.formation_overdue(date(2026, 1, 31))
    assert team.formation_overdue(date(2026, 2, 1))  # nobody approved 31 days after signing

    member(planned, 1)
    team = team_of(planned)
    assert not team.formation_overdue(date(2026, 2, 1))
    assert team.overdue_rows(date(2026, 3, 1)) == []
    late = team.overdue_rows(date(2026, 3, 2))
    assert [(r.role, r.level, r.short) for r in late] == [
        ("产品/平台服务", "高级", 2),
        ("技术支持", "初级", 2),
    ]


def test_the_contract_page_and_the_vendors_to_do_show_the_overdue_team(
    planned, vendor_pm, procurement
):
    member(planned, 1)
    for user in (vendor_pm, procurement):  # today is after 2 March 2026 in every run
        page = browser(user).get(f"/contracts/{planned.pk}/").content.decode()
        assert 'id="team"' in page and 'data-flag="team-overdue"' in page
    todos = team_overdue(Desk(vendor_pm, date(2026, 3, 2)))
    assert [(item.detail, item.late) for item in todos[0].items] == [
        ("产品/平台服务 高级 ×2、技术支持 初级 ×2", True)
    ]
    assert team_overdue(Desk(vendor_pm, date(2026, 3, 1)))[0].items == []


def test_a_contract_that_plans_no_team_by_the_day_has_no_panel(active_contract, vendor_pm):
    FrameworkContract.objects.filter(pk=active_contract.pk).update(
        settlement_mode=FrameworkContract.SettlementMode.PER_ITEM
    )
    contract = FrameworkContract.objects.get(pk=active_contract.pk)

    assert team_of(contract) is None
    assert 'id="team"' not in browser(vendor_pm).get(f"/contracts/{contract.pk}/").content.decode()


def test_a_demanded_replacement_is_due_ten_working_days_on_across_the_holidays():
    """Wednesday 23 September 2026: 24, 28, 29, 30 September (Mid-autumn 25–27), then after
    National Day (1–7 October) 8, 9, Saturday 10 (a make-up day), 12, 13, 14 October."""
    assert replacement_due(date(2026, 9, 23)) == date(2026, 10, 14)


def test_a_demanded_replacement_turns_overdue_until_an_approved_one_stands_in(
    api, active_contract, procurement, vendor_pm
):
    away = member(active_contract, 1)
    url = f"/api/v1/staff/{away.pk}/demand-replacement/"
    assert api(vendor_pm).post(url, {"reason": "x"}).status_code == 403

    demanded = staff_demand_replacement(
        member=away, reason="服务达不到要求", today=date(2026, 9, 23)
    )

    assert (demanded.replacement_demanded_on, demanded.replacement_due) == (
        date(2026, 9, 23),
        date(2026, 10, 14),
    )
    assert not demanded.replacement_overdue(date(2026, 10, 14))
    assert demanded.replacement_overdue(date(2026, 10, 15))
    assert api(procurement).post(url, {"reason": "再次"}).status_code == 409

    successor = proposed(active_contract, 2)
    answer = api(vendor_pm).post(
        f"/api/v1/staff/{away.pk}/name-replacement/", {"replacement": successor.pk}
    )
    assert answer.status_code == 200, answer.json()
    away = StaffMember.objects.get(pk=away.pk)
    assert away.replacement_overdue(date(2026, 10, 15))  # named, not yet approved
    approved(successor)
    away = StaffMember.objects.get(pk=away.pk)
    assert not away.replacement_overdue(date(2026, 10, 15))


def test_the_buyer_sets_another_deadline_through_the_api(api, active_contract, procurement):
    away = member(active_contract, 1)

    answer = api(procurement).post(
        f"/api/v1/staff/{away.pk}/demand-replacement/",
        {"reason": "服务达不到要求", "due": "2099-01-05"},
    )

    assert answer.status_code == 200, answer.json()
    assert answer.json()["replacement_due"] == "2099-01-05"


def test_a_replacement_of_another_level_is_refused(api, active_contract, vendor_pm):
    leaving = staff_give_notice(
        member=member(active_contract, 1),
        notice_date=date(2026, 5, 1),
        last_day=date(2026, 6, 30),
    )
    junior = proposed(active_contract, 2, level="中级", years_experience=4)

    with pytest.raises(StaffError, match="产品/平台服务 高级"):
        staff_name_replacement(member=leaving, replacement=junior)
    answer = api(vendor_pm).post(
        f"/api/v1/staff/{leaving.pk}/name-replacement/", {"replacement": junior.pk}
    )
    assert answer.status_code == 400
    assert StaffMember.objects.get(pk=junior.pk).replaces is None
