"""2.9: a registered member waits for procurement, who approves him (alone or many at once) or
refuses him with a reason the vendor reads; no days are logged for one not approved, on the
page, in an upload or through the API; another organisation's member is not found."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from contracts.services import contract_activate
from staffing.models import StaffMember
from staffing.services import staff_create, staff_refuse
from tests.factories import ContractFactory, id_number, rate_card
from tests.pages import browser
from tests.test_races import race
from tests.worklogs.conftest import issued_order, member
from worklogs.models import WorkLogLine

pytestmark = pytest.mark.django_db


def proposed(contract, serial=50, **overrides):
    fields = {
        "name": f"新人{serial}",
        "phone": "13812345678",
        "education": "本科",
        "years_experience": 9,
        "role": "产品/平台服务",
        "level": "高级",
        "start_date": date(2026, 1, 1),
    }
    return staff_create(contract=contract, id_number=id_number(serial), **{**fields, **overrides})


def test_a_registered_member_waits_until_procurement_approves_him(
    api, vendor_pm, procurement, active_contract
):
    pending = proposed(active_contract)
    assert pending.status == StaffMember.Status.PENDING
    url = f"/api/v1/staff/{pending.pk}/approve/"

    assert api(vendor_pm).post(url).status_code == 403
    approved = api(procurement).post(url)

    assert approved.status_code == 200
    body = approved.json()
    assert (body["status"], body["approved_by"]) == ("active", procurement.pk)
    assert api(procurement).post(url).status_code == 409  # approved already
    history = api(procurement).get(f"/api/v1/staff/{pending.pk}/history/").json()
    assert len(history) == 2  # registered, approved


def test_a_refusal_says_why_and_the_vendor_reads_it(api, vendor_pm, procurement, active_contract):
    pending = proposed(active_contract)
    url = f"/api/v1/staff/{pending.pk}/refuse/"

    assert api(procurement).post(url, {"reason": " "}).status_code == 400
    refused = api(procurement).post(url, {"reason": "面试未通过"})

    assert refused.status_code == 200
    seen = api(vendor_pm).get(f"/api/v1/staff/{pending.pk}/").json()
    assert (seen["status"], seen["refusal_reason"]) == ("refused", "面试未通过")
    assert api(procurement).post(f"/api/v1/staff/{pending.pk}/approve/").status_code == 409
    assert (
        "面试未通过"
        in browser(vendor_pm).get(f"/contracts/{active_contract.pk}/staff/").content.decode()
    )
    # The refused record no longer changes, and the person may be proposed again.
    patched = api(vendor_pm).patch(f"/api/v1/staff/{pending.pk}/", {"name": "改名"})
    assert patched.status_code == 409
    assert proposed(active_contract).status == StaffMember.Status.PENDING


def test_another_organisations_member_is_not_found(
    api, other_vendor_pm, procurement, active_contract
):
    pending = proposed(active_contract)
    stranger = api(other_vendor_pm)

    for action in ("approve/", "refuse/", "demand-replacement/", "name-replacement/", ""):
        response = stranger.post(f"/api/v1/staff/{pending.pk}/{action}", {"reason": "x"})
        assert response.status_code in (403, 404, 405), action
    assert stranger.get(f"/api/v1/staff/{pending.pk}/").status_code == 404
    assert browser(other_vendor_pm).post(f"/staff/{pending.pk}/approve/").status_code == 404


def test_approval_in_bulk_reports_each_member(api, procurement, active_contract, vendor):
    another_buyers = contract_activate(contract=rate_card(ContractFactory(vendor=vendor)))
    first, second = proposed(active_contract, 51), proposed(active_contract, 52)
    below = proposed(active_contract, 53, years_experience=1, exception_reason="项目急需")
    working = member(active_contract, 54)  # approved already
    other_buyer = proposed(another_buyers, 55)  # never found by this buyer
    ids = [first.pk, second.pk, below.pk, working.pk, other_buyer.pk, 999999]

    answer = api(procurement).post("/api/v1/staff/approve-many/", {"ids": ids}, format="json")

    assert answer.status_code == 200
    results = {row["id"]: (row["result"], row["status"]) for row in answer.json()["results"]}
    assert results == {
        first.pk: ("done", 200),
        second.pk: ("done", 200),
        below.pk: ("refused", 409),
        working.pk: ("refused", 409),
        other_buyer.pk: ("not_found", 404),
        999999: ("not_found", 404),
    }
    assert set(
        StaffMember.objects.filter(status=StaffMember.Status.ACTIVE).values_list("pk", flat=True)
    ) == {first.pk, second.pk, working.pk}
    message = next(r["message"] for r in answer.json()["results"] if r["id"] == below.pk)
    assert "破格" in message


def test_the_roster_ticks_members_for_the_bulk_page(procurement, vendor_pm, active_contract):
    pending = proposed(active_contract)
    roster = f"/contracts/{active_contract.pk}/staff/?status=pending"

    assert (
        f'name="ids" value="{pending.pk}" form="approve-many"'
        in browser(procurement).get(roster).content.decode()
    )
    assert 'form="approve-many"' not in browser(vendor_pm).get(roster).content.decode()
    assert browser(vendor_pm).post("/staff/approve-many/", {"ids": [pending.pk]}).status_code == 403

    page = browser(procurement).post("/staff/approve-many/", {"ids": [pending.pk]})

    assert page.status_code == 200
    assert 'class="outcome-done"' in page.content.decode()
    assert StaffMember.objects.get(pk=pending.pk).status == StaffMember.Status.ACTIVE


@pytest.fixture
def october(active_contract):
    """An order in service in October 2026 with one approved member, one awaiting approval,
    one refused."""
    order = issued_order(active_contract)
    working = member(active_contract, 1)
    waiting = proposed(active_contract, 2, name="待批")
    refused = staff_refuse(
        member=proposed(active_contract, 3, name="被拒"), actor=None, reason="不合适"
    )
    return order, working, waiting, refused


def test_no_days_through_the_api_for_a_member_not_approved(api, vendor_pm, october):
    order, working, waiting, refused = october

    answer = api(vendor_pm).post(
        "/api/v1/worklogs/",
        {
            "order": order.pk,
            "month": "2026-10",
            "lines": [
                {"staff": working.pk, "days": "10"},
                {"staff": waiting.pk, "days": "5"},
                {"staff": refused.pk, "days": "5"},
            ],
        },
        format="json",
    )

    assert answer.status_code == 400
    text = str(answer.json())
    assert "尚待采购方批准，暂不能填报工日" in text
    assert "已被采购方拒绝（不合适），不能填报工日" in text
    assert not WorkLogLine.objects.exists()


def test_no_days_on_the_page_for_a_member_not_approved(vendor_pm, october):
    order, working, waiting, _refused = october
    client = browser(vendor_pm)
    url = f"/orders/{order.pk}/worklog/2026-10/"

    grid = client.get(url).content.decode()
    assert f'id="staff-{waiting.pk}"' in grid and "待批准" in grid

    answer = client.post(url, {f"days-{working.pk}": "10", f"days-{waiting.pk}": "5"})

    assert answer.status_code == 200  # the page again, the refusal in his row
    assert "尚待采购方批准，暂不能填报工日" in answer.content.decode()
    assert not WorkLogLine.objects.exists()


def test_no_days_in_an_upload_for_a_member_not_approved(vendor_pm, october):
    order, working, waiting, _refused = october
    client = browser(vendor_pm)
    template = client.get(f"/orders/{order.pk}/worklog/2026-10/template/").content
    book = load_workbook(io.BytesIO(template))
    sheet = book.active
    staff_ids = [row[1].value for row in sheet.iter_rows(min_row=5) if row[1].value]
    assert staff_ids == [working.pk]  # the template lists the approved only
    sheet.cell(5, 7, 10)
    sheet.cell(6, 2, waiting.pk)  # typed in by hand
    sheet.cell(6, 7, 5)
    buffer = io.BytesIO()
    book.save(buffer)

    answer = client.post(
        f"/orders/{order.pk}/worklog/2026-10/upload/",
        {"file": SimpleUploadedFile("人天.xlsx", buffer.getvalue())},
    )

    assert answer.status_code == 400
    assert "尚待采购方批准，暂不能填报工日" in answer.content.decode()
    assert not WorkLogLine.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_approval_and_a_refusal_at_once_one_wins(api, procurement, active_contract):
    pending = proposed(active_contract)

    def post(path, data=None):
        def send():
            client = api(procurement)
            client.raise_request_exception = False
            return client.post(f"/api/v1/staff/{pending.pk}/{path}", data or {}).status_code

        return send

    codes = race(post("approve/"), post("refuse/", {"reason": "不合适"}))

    assert sorted(codes) == [200, 409]
    final = StaffMember.objects.get(pk=pending.pk).status
    assert final == (StaffMember.Status.ACTIVE if codes[0] == 200 else StaffMember.Status.REFUSED)
