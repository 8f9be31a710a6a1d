"""Acceptance (验收) of an order's work: procurement accepts a month (person-day and per-item
orders) or a milestone (004) once, on a day not ahead of today, with a note and its record in
the archive; it withdraws it with a reason; the vendor reads its own, another vendor nothing."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archive.models import Document
from archive.selectors import documents_of
from demo.fixed_price import fixed_price_contract
from demo.items import per_item_contract, per_item_order
from orders.models import Acceptance
from orders.services import OrderError, acceptance_record, acceptance_withdraw
from tests.pages import browser
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db
AUGUST, SEPTEMBER = date(2026, 8, 1), date(2026, 9, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def order(buyer, vendor):
    """A 002 order (per item), August to December 2026, issued."""
    return per_item_order(per_item_contract(buyer=buyer, vendor=vendor, code="T-002"))


@pytest.fixture
def other_order(buyer, other_vendor):
    return per_item_order(per_item_contract(buyer=buyer, vendor=other_vendor, code="T-002B"))


def accept(order, procurement, month=AUGUST, day=date(2026, 9, 3), note="抽检合格"):
    return acceptance_record(
        order=order, month=month, accepted_on=day, note=note, actor=procurement
    )


def test_procurement_accepts_a_month_once(order, procurement):
    acceptance = accept(order, procurement)

    assert (acceptance.month, acceptance.payment_item, acceptance.accepted_on) == (
        AUGUST,
        None,
        date(2026, 9, 3),
    )
    assert (acceptance.note, acceptance.accepted_by, acceptance.status) == (
        "抽检合格",
        procurement,
        Acceptance.Status.ACCEPTED,
    )
    with pytest.raises(OrderError, match="2026-09-03") as again:
        accept(order, procurement, day=date(2026, 9, 4))
    assert again.value.status == 409


def test_the_day_is_neither_ahead_of_today_nor_before_the_work_began(order, procurement):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(OrderError) as ahead:
        accept(order, procurement, day=tomorrow)
    assert ahead.value.field == "accepted_on"
    with pytest.raises(OrderError, match="2026-09-01") as before:
        accept(order, procurement, month=SEPTEMBER, day=date(2026, 8, 31))
    assert before.value.field == "accepted_on"
    assert not Acceptance.objects.exists()


def test_a_month_outside_the_service_or_a_milestone_of_a_monthly_order_is_refused(
    order, procurement, buyer, other_vendor
):
    with pytest.raises(OrderError) as outside:
        accept(order, procurement, month=date(2026, 7, 1), day=date(2026, 7, 31))
    assert outside.value.field == "month"
    _contract, fixed = fixed_price_contract(
        buyer=buyer,
        vendor=other_vendor,
        code="T-004",
        signed_on=date(2026, 1, 1),
        service_start=date(2026, 1, 1),
    )
    with pytest.raises(OrderError) as milestone_of_another_order:
        acceptance_record(
            order=order,
            payment_item=fixed.payment_plan.first(),
            accepted_on=date(2026, 9, 3),
            actor=procurement,
        )
    assert milestone_of_another_order.value.field == "month"
    with pytest.raises(OrderError) as month_of_a_milestone_order:
        accept(fixed, procurement, month=AUGUST)
    assert month_of_a_milestone_order.value.field == "payment_item"
    signing = fixed.payment_plan.get(due_after_months=0)
    accepted = acceptance_record(
        order=fixed, payment_item=signing, accepted_on=date(2026, 1, 9), actor=procurement
    )
    assert (accepted.month, accepted.payment_item) == (None, signing)
    assert str(accepted) == f"{fixed.number} 签订合同"


def test_a_withdrawal_gives_its_reason_and_the_month_is_accepted_again(order, procurement):
    first = accept(order, procurement)
    with pytest.raises(OrderError) as no_reason:
        acceptance_withdraw(acceptance=first, reason="  ", actor=procurement)
    assert no_reason.value.field == "reason"

    withdrawn = acceptance_withdraw(acceptance=first, reason="数量核对有误", actor=procurement)

    assert (withdrawn.status, withdrawn.withdrawn_reason, withdrawn.withdrawn_by) == (
        Acceptance.Status.WITHDRAWN,
        "数量核对有误",
        procurement,
    )
    again = accept(order, procurement, day=date(2026, 9, 10), note="复核后验收")
    assert list(order.acceptances.current()) == [again]
    assert order.acceptances.count() == 2  # the withdrawn one stays on the record
    with pytest.raises(OrderError) as twice:
        acceptance_withdraw(acceptance=withdrawn, reason="再撤", actor=procurement)
    assert twice.value.status == 409


def test_the_api_records_an_acceptance_with_its_file_in_the_archive(api, order, procurement):
    response = api(procurement).post(
        "/api/v1/acceptances/",
        {
            "order": order.pk,
            "month": "2026-08",
            "accepted_on": "2026-09-03",
            "note": "抽检合格",
            "file": SimpleUploadedFile("验收单.pdf", PDF, "application/pdf"),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert {key: body[key] for key in ("order", "contract", "month", "payment_item")} == {
        "order": order.pk,
        "contract": order.contract_id,
        "month": "2026-08",
        "payment_item": None,
    }
    assert (body["accepted_by"], body["status"], body["locked_at"]) == (
        procurement.pk,
        "accepted",
        None,
    )
    (record,) = documents_of(Acceptance.objects.get(pk=body["id"]))
    assert (record.kind, record.name, record.dated, record.uploaded_by) == (
        Document.Kind.ACCEPTANCE,
        "验收单.pdf",
        date(2026, 9, 3),
        procurement,
    )


def test_nothing_is_kept_of_an_acceptance_whose_file_is_refused(api, order, procurement):
    response = api(procurement).post(
        "/api/v1/acceptances/",
        {
            "order": order.pk,
            "month": "2026-08",
            "accepted_on": "2026-09-03",
            "file": SimpleUploadedFile("验收单.pdf", b"not a pdf", "application/pdf"),
        },
        format="multipart",
    )

    assert response.status_code == 400
    assert "file" in response.json()
    assert not Acceptance.objects.exists()
    assert not Document.objects.exists()


def test_the_api_withdraws_and_lists_by_order_contract_and_month(api, order, procurement):
    first = accept(order, procurement)
    accept(order, procurement, month=SEPTEMBER, day=date(2026, 10, 8))
    client = api(procurement)

    withdrawn = client.post(f"/api/v1/acceptances/{first.pk}/withdraw/", {"reason": "误录"})

    assert withdrawn.status_code == 200
    assert (withdrawn.json()["status"], withdrawn.json()["withdrawn_reason"]) == (
        "withdrawn",
        "误录",
    )

    def months(query):
        rows = client.get(f"/api/v1/acceptances/?{query}").json()["results"]
        return [row["month"] for row in rows]

    assert {
        query: months(query)
        for query in (f"order={order.pk}", f"contract={order.contract_id}", "month=2026-09")
    } == {
        f"order={order.pk}": ["2026-08", "2026-09"],
        f"contract={order.contract_id}": ["2026-08", "2026-09"],
        "month=2026-09": ["2026-09"],
    }
    assert months("status=accepted") == ["2026-09"]


def test_the_vendor_reads_its_own_and_another_vendor_nothing(
    api, order, other_order, procurement, vendor_pm, other_vendor_pm
):
    acceptance = accept(order, procurement)
    url = f"/api/v1/acceptances/{acceptance.pk}/"

    own = api(vendor_pm)
    assert own.get("/api/v1/acceptances/").json()["count"] == 1
    assert own.get(url).json()["note"] == "抽检合格"
    assert own.post(f"{url}withdraw/", {"reason": "x"}).status_code == 403
    created = own.post(
        "/api/v1/acceptances/",
        {"order": order.pk, "month": "2026-09", "accepted_on": "2026-10-08"},
    )
    assert created.status_code == 403

    stranger = api(other_vendor_pm)
    assert stranger.get("/api/v1/acceptances/").json()["count"] == 0
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"{url}history/").status_code == 404
    assert stranger.post(f"{url}withdraw/", {"reason": "x"}).status_code == 404
    assert stranger.get(f"/api/v1/acceptances/?order={order.pk}").status_code == 400
    assert browser(other_vendor_pm).get(f"/orders/{order.pk}/").status_code == 404
    post = browser(other_vendor_pm).post(
        f"/orders/{order.pk}/acceptances/{acceptance.pk}/withdraw/", {"reason": "x"}
    )
    assert post.status_code == 404
    acceptance.refresh_from_db()
    assert acceptance.status == Acceptance.Status.ACCEPTED


def test_the_order_page_records_and_shows_the_months_acceptances(order, procurement, vendor_pm):
    page = browser(procurement)

    response = page.post(
        f"/orders/{order.pk}/acceptances/",
        {
            "work": "2026-08",
            "accepted_on": "2026-09-03",
            "note": "抽检合格",
            "file": SimpleUploadedFile("验收单.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == f"/orders/{order.pk}/#acceptances"
    acceptance = order.acceptances.get()
    assert documents_of(acceptance).get().name == "验收单.pdf"
    shown = page.get(f"/orders/{order.pk}/").content.decode()
    assert "抽检合格" in shown and "验收单.pdf" in shown
    assert 'id="acceptance-form"' in shown  # September to December are still to accept
    seen = browser(vendor_pm).get(f"/orders/{order.pk}/").content.decode()
    assert "抽检合格" in seen and 'id="acceptance-form"' not in seen
    assert 'data-step="withdraw"' not in seen


def test_the_page_and_the_api_agree_with_the_acceptance_flow(
    order, procurement, vendor_pm, other_vendor_pm, finance
):
    users = [procurement, vendor_pm, other_vendor_pm, finance]

    def agrees(acceptance):
        flow_agrees(
            flow=Acceptance.flow,
            obj=acceptance,
            page=f"/orders/{order.pk}/",
            api=f"/api/v1/acceptances/{acceptance.pk}/",
            users=users,
            data={"withdraw": {"reason": "误录"}},
        )

    august = accept(order, procurement)
    agrees(august)
    # Frozen by the signed sheet resting on it: the step is held back (409).
    Acceptance.objects.filter(pk=august.pk).update(locked_at=timezone.now())
    august.refresh_from_db()
    agrees(august)
    september = accept(order, procurement, month=SEPTEMBER, day=date(2026, 10, 8))
    agrees(acceptance_withdraw(acceptance=september, reason="误录", actor=procurement))
