"""批量签署结算单: procurement signs many vendor-confirmed sheets at once, each signed as if
alone against its contract's ceiling, with each one's result; two people signing overlapping
sheets at the same moment sign each sheet once."""

import re
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from core.models import User
from settlement.models import SettlementSheet
from settlement.services import sheet_confirm
from tests.factories import UserFactory, accepted
from tests.pages import browser
from tests.test_races import Desk, active, race

Status = SettlementSheet.Status


def outcome_rows(page: str) -> list[list[str]]:
    table = page.split('id="bulk-results"')[1].split("</table>")[0]
    return [
        [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        for row in re.findall(r"<tr class=\"outcome-.*?</tr>", table, re.S)
    ]


@pytest.mark.django_db
def test_procurement_signs_the_chosen_sheets_and_reads_each_result(demo_users):
    # The demo's two drafts, confirmed by their vendors and their months accepted (验收):
    # 003's October and 002's September.
    drafts = SettlementSheet.objects.filter(
        status=Status.DRAFT, contract__buyer__name__contains="咪咕"
    )
    pms = {user.organization_id: user for user in demo_users.values() if user.is_vendor}
    ready = [
        sheet_confirm(sheet=sheet, actor=pms[sheet.contract.vendor_id])
        for sheet in drafts.select_related("contract").order_by("pk")
    ]
    for sheet in ready:
        accepted(sheet, demo_users["caigou"])
    signed = SettlementSheet.objects.filter(status=Status.SIGNED).first()
    district = SettlementSheet.objects.filter(contract__code="AYQ-2025-004").first()
    client = browser(demo_users["caigou"])

    page = client.get("/settlements/sign-many/").content.decode()
    assert "批量签署结算单" in page
    for sheet in ready:
        assert f'value="{sheet.pk}" data-amount="{sheet.payable_incl_tax}"' in page
    assert f'value="{district.pk}"' not in page

    answer = client.post(
        "/settlements/sign-many/", {"ids": [*(s.pk for s in ready), signed.pk, district.pk]}
    )

    results = outcome_rows(answer.content.decode())
    assert [row[1] for row in results] == ["已签署", "已签署", "未通过", "未找到"]
    assert "已签署" in results[2][2]  # why: it is signed already
    for sheet in ready:
        sheet.refresh_from_db()
        assert sheet.status == Status.SIGNED and sheet.signed_by == demo_users["caigou"]
    total = sum((sheet.payable_incl_tax for sheet in ready), Decimal("0.00"))
    assert f"共签署 ¥{total:,.2f}" in answer.content.decode()
    district.refresh_from_db()
    assert district.status != Status.SIGNED or district.signed_by != demo_users["caigou"]
    call_command("ledger_check")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["caiwu", "yunqi_pm", "anyuan"])
def test_someone_elses_sheet_is_never_signed(demo_users, api, username):
    """Finance and the vendor may not sign; another buyer's procurement does not find it."""
    sheet = sheet_confirm(
        sheet=SettlementSheet.objects.get(status=Status.DRAFT, contract__code="MGYY-2026-003"),
        actor=demo_users["yunqi_pm"],
    )
    answer = api(demo_users[username]).post(
        "/api/v1/settlements/confirm-many/", {"ids": [sheet.pk]}, format="json"
    )
    if username == "anyuan":
        assert answer.json()["results"] == [
            {
                "id": sheet.pk,
                "result": "not_found",
                "status": 404,
                "message": "未找到，或您无权查看。",
            }
        ]
    else:
        assert answer.status_code == 403
    sheet.refresh_from_db()
    assert sheet.status == Status.VENDOR_CONFIRMED


@pytest.mark.django_db
def test_a_draft_is_refused_even_to_procurement(demo_users, api):
    """The vendor confirms first: the single action's 409 and its reason, per item."""
    draft = SettlementSheet.objects.get(status=Status.DRAFT, contract__code="MGYY-2026-003")
    answer = api(demo_users["caigou"]).post(
        "/api/v1/settlements/confirm-many/", {"ids": [draft.pk]}, format="json"
    )
    [result] = answer.json()["results"]
    assert (result["result"], result["status"]) == ("refused", 409)
    assert "草稿" in result["message"]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_signing_overlapping_sheets_at_once_sign_each_once(
    buyer, vendor, procurement, vendor_pm, api
):
    """Five rounds: caigou signs sheets 1–4, a colleague 4–1, released together. Each sheet is
    signed once (one "done" for it over both answers; the other a 409 refusal or busy), both
    requests answer 200, and the counters equal their recomputation."""
    colleague = UserFactory(username="caigou2", role=User.Role.PROCUREMENT, organization=buyer)
    desk = Desk(active(buyer, vendor), procurement, vendor_pm, api)
    results = Counter()
    for _round in range(5):
        ids = [desk.confirmed().pk for _n in range(4)]

        def sign(user, ids):
            def send():
                client = api(user)
                client.raise_request_exception = False
                response = client.post(
                    "/api/v1/settlements/confirm-many/", {"ids": ids}, format="json"
                )
                return response.status_code, response.json()["results"]

            return send

        answers = race(sign(procurement, ids), sign(colleague, ids[::-1]))

        assert [code for code, _results in answers] == [200, 200]
        done = Counter(r["id"] for _code, rs in answers for r in rs if r["result"] == "done")
        assert done == Counter(ids)  # each sheet signed exactly once
        for _code, rs in answers:
            for r in rs:
                results[r["result"]] += 1
                assert r["result"] in {"done", "refused", "busy"}
                assert r["status"] in {200, 409}
        assert SettlementSheet.objects.filter(pk__in=ids, status=Status.SIGNED).count() == 4
    call_command("ledger_check")
    print(f"bulk sign × bulk sign: {dict(results)}")
