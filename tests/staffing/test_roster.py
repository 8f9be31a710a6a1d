"""The vendor's roster: personal data kept masked, qualification rules per contract with
exceptions, one contract per person at a time, notice and replacements."""

from datetime import date

import pytest

from staffing.identity import id_number_digest, mask_phone
from staffing.models import QualificationRule, StaffMember
from staffing.services import StaffError, staff_create, staff_give_notice
from tests.factories import ContractFactory, approved, id_number, rate_card

pytestmark = pytest.mark.django_db


def person(contract, serial=1, **overrides):
    fields = {
        "contract": contract.pk,
        "name": "王磊",
        "id_number": id_number(serial),
        "phone": "13812345678",
        "education": "本科",
        "years_experience": 6,
        "role": "产品/平台服务",
        "level": "高级",
        "start_date": "2026-02-01",
    }
    return {**fields, **overrides}


def add(client, contract, serial=1, approve=True, **overrides):
    """Registers a person through the API; procurement approves him (2.9) unless told not."""
    response = client.post("/api/v1/staff/", person(contract, serial, **overrides), format="json")
    if approve and response.status_code == 201 and not response.json()["qualification_issue"]:
        approved(StaffMember.objects.get(pk=response.json()["id"]))
    return response


def test_a_vendor_pm_adds_staff_whose_personal_data_reads_back_masked(
    api, vendor_pm, active_contract
):
    response = add(api(vendor_pm), active_contract, approve=False)

    assert response.status_code == 201, response.json()
    body = response.json()
    number = id_number(1)
    assert body["id_number"] == number[:4] + "**********" + number[-4:]
    assert body["phone"] == "138****5678"
    # 2.9: he waits for procurement's approval.
    assert (body["vendor"], body["status"]) == (active_contract.vendor_id, "pending")
    member = StaffMember.objects.get()
    assert member.id_number_digest == id_number_digest(number)
    assert number not in str(StaffMember.objects.values().get())
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"years_experience": 4}, "高级人员需 5 年及以上行业经验（现为 4 年）"),
        ({"education": "高中"}, "学历须为专科及以上（现为高中）"),
        ({"level": "中级", "years_experience": 2}, "中级人员需 3 年及以上行业经验（现为 2 年）"),
    ],
)
def test_a_person_below_the_rule_is_refused_with_the_rule_named(
    api, vendor_pm, active_contract, overrides, message
):
    response = add(api(vendor_pm), active_contract, **overrides)

    assert response.status_code == 400
    assert message in response.json()["years_experience"][0]
    assert not StaffMember.objects.exists()


def test_procurement_approves_an_exception_with_a_reason(
    api, vendor_pm, procurement, active_contract
):
    created = add(
        api(vendor_pm), active_contract, years_experience=4, exception_reason="大型项目经验丰富"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "pending"
    url = f"/api/v1/staff/{created.json()['id']}/approve-exception/"

    assert api(vendor_pm).post(url, {"reason": "自己批准"}).status_code == 403
    assert api(procurement).post(url, {"reason": " "}).status_code == 400
    approved = api(procurement).post(url, {"reason": "经评审同意破格"})

    assert approved.status_code == 200
    body = approved.json()
    assert (body["status"], body["exception_reason"]) == ("active", "经评审同意破格")
    assert body["exception_approved_by"] == procurement.pk


def test_rules_are_data_per_contract(api, vendor_pm, vendor, buyer):
    """Seed 002 asks two years of every level."""
    from contracts.services import contract_activate

    contract = contract_activate(contract=rate_card(ContractFactory(buyer=buyer, vendor=vendor)))
    QualificationRule.objects.create(contract=contract, level="", min_years=2)
    client = api(vendor_pm)

    junior = add(client, contract, serial=2, level="初级", years_experience=1)
    senior = add(client, contract, serial=3, level="高级", years_experience=2)

    assert junior.status_code == 400
    assert "初级人员需 2 年及以上" in junior.json()["years_experience"][0]
    assert senior.status_code == 201


def test_one_person_is_never_on_two_contracts_at_once(
    api, vendor_pm, active_contract, buyer, vendor
):
    from contracts.services import contract_activate

    second = contract_activate(
        contract=rate_card(ContractFactory(buyer=buyer, vendor=vendor, code="KJ-B"))
    )
    client = api(vendor_pm)
    assert add(client, active_contract).status_code == 201

    refused = add(client, second)
    again = add(client, active_contract, name="同一人")

    assert refused.status_code == again.status_code == 400
    assert f"已在合同 {active_contract.code}" in refused.json()["id_number"][0]
    assert active_contract.name in refused.json()["id_number"][0]
    member = StaffMember.objects.get()
    staff_give_notice(member=member, notice_date=date(2026, 3, 1), last_day=date(2026, 3, 31))
    assert add(client, second, start_date="2026-04-01").status_code == 201
    assert add(client, second, serial=9, start_date="2026-03-15").status_code == 201
    assert add(client, active_contract, start_date="2026-03-15", serial=1).status_code == 400


def test_role_and_level_must_be_on_the_rate_card(api, vendor_pm, active_contract):
    response = add(api(vendor_pm), active_contract, role="直播运营")

    assert response.status_code == 400
    assert "不在合同" in response.json()["level"][0]


def test_a_malformed_id_number_is_refused(api, vendor_pm, active_contract):
    bad = id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1")
    response = add(api(vendor_pm), active_contract, id_number=bad)

    assert response.status_code == 400
    assert response.json() == {"id_number": ["身份证号码不是有效的18位号码。"]}


def test_notice_shorter_than_a_month_is_flagged(api, vendor_pm, active_contract):
    client = api(vendor_pm)
    short = add(client, active_contract, serial=1).json()["id"]
    enough = add(client, active_contract, serial=2, name="刘洋").json()["id"]

    flagged = client.post(
        f"/api/v1/staff/{short}/give-notice/",
        {"notice_date": "2026-05-10", "last_day": "2026-06-09"},
    )
    fine = client.post(
        f"/api/v1/staff/{enough}/give-notice/",
        {"notice_date": "2026-05-10", "last_day": "2026-06-10"},
    )

    assert flagged.status_code == fine.status_code == 200
    assert (flagged.json()["status"], flagged.json()["short_notice"]) == ("leaving", True)
    assert (fine.json()["end_date"], fine.json()["short_notice"]) == ("2026-06-10", False)
    assert flagged.json()["needs_replacement"] is True


def test_a_replacement_has_the_same_role_and_level_and_links_back(api, vendor_pm, active_contract):
    client = api(vendor_pm)
    leaving = add(client, active_contract).json()["id"]
    client.post(
        f"/api/v1/staff/{leaving}/give-notice/",
        {"notice_date": "2026-05-01", "last_day": "2026-06-30"},
    )

    wrong = add(
        client,
        active_contract,
        serial=2,
        level="中级",
        years_experience=3,
        replaces=leaving,
        start_date="2026-07-01",
    )
    right = add(client, active_contract, serial=2, replaces=leaving, start_date="2026-07-01")

    assert wrong.status_code == 400
    assert "产品/平台服务 高级" in wrong.json()["level"][0]
    assert right.status_code == 201, right.json()
    assert right.json()["replaces"] == leaving
    assert client.get(f"/api/v1/staff/{leaving}/").json()["needs_replacement"] is False


def test_procurement_demands_a_replacement_that_shows_on_the_vendors_roster(
    api, vendor_pm, procurement, active_contract
):
    member = add(api(vendor_pm), active_contract).json()["id"]

    demanded = api(procurement).post(
        f"/api/v1/staff/{member}/demand-replacement/", {"reason": "专业水平达不到要求"}
    )

    assert demanded.status_code == 200
    seen = api(vendor_pm).get(f"/api/v1/staff/?contract={active_contract.pk}").json()
    assert seen["results"][0]["needs_replacement"] is True
    assert seen["results"][0]["replacement_demand_reason"] == "专业水平达不到要求"


def test_only_the_vendor_writes_its_roster(
    api, procurement, vendor_pm, other_vendor_pm, active_contract
):
    assert add(api(procurement), active_contract).status_code == 403
    refused = add(api(other_vendor_pm), active_contract)
    assert refused.status_code == 400
    assert "contract" in refused.json()


def test_another_vendors_staff_answer_404_on_every_route(
    api, vendor_pm, other_vendor_pm, active_contract
):
    member = add(api(vendor_pm), active_contract).json()["id"]
    client = api(other_vendor_pm)
    base = f"/api/v1/staff/{member}"

    assert client.get(f"{base}/").status_code == 404
    assert client.patch(f"{base}/", {"name": "x"}, format="json").status_code == 404
    assert (
        client.post(
            f"{base}/give-notice/", {"notice_date": "2026-05-01", "last_day": "2026-06-30"}
        ).status_code
        == 404
    )
    assert client.post(f"{base}/approve-exception/", {"reason": "x"}).status_code == 404
    assert client.post(f"{base}/demand-replacement/", {"reason": "x"}).status_code == 404
    assert client.get("/api/v1/staff/").json()["count"] == 0
    assert client.get(f"/api/v1/staff/?contract={active_contract.pk}").status_code == 400


def test_the_service_refuses_a_closed_contract(vendor, buyer):
    contract = rate_card(ContractFactory(buyer=buyer, vendor=vendor))
    from contracts.services import contract_activate
    from tests.factories import terminated

    terminated(contract_activate(contract=contract))
    with pytest.raises(StaffError, match="已结束"):
        staff_create(
            contract=contract,
            id_number=id_number(1),
            name="王磊",
            phone="1",
            education="本科",
            years_experience=9,
            role="产品/平台服务",
            level="高级",
            start_date=date(2026, 2, 1),
        )
