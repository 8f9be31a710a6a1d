"""penalties/ (API.md): procurement records a breach and the portal proposes its amount; the
vendor acknowledges or disputes, procurement decides (another amount with a reason); history,
PDF, the form's proposal and filters; another organisation's penalty is 404 everywhere, a step
its state does not allow 409, and two decisions at once leave one decided, never a 500."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from governance.models import Penalty
from orders.models import Order
from tests.settlement.conftest import issued

Status = Penalty.Status


@pytest.fixture
def order(active_contract):
    return issued(active_contract, planned="100")  # 100 days × 900.00 = 90,000.00


def _record(api, procurement, order, **more):
    return api(procurement).post(
        "/api/v1/penalties/",
        {
            "contract": order.contract_id,
            "order": order.pk,
            "kind": "penalty",
            "clause": "7.2",
            "description": "未按约定时间执行支撑",
            **more,
        },
        format="json",
    )


@pytest.mark.django_db
def test_the_flow_through_the_api(api, procurement, vendor_pm, order):
    created = _record(api, procurement, order)
    assert created.status_code == 201, created.json()
    body = created.json()
    # 90,000.00 × 0.20 = 18,000.00
    assert (body["basis_amount"], body["proposed_amount"], body["amount"], body["status"]) == (
        "90000.00",
        "18000.00",
        "18000.00",
        "proposed",
    )
    url = f"/api/v1/penalties/{body['id']}/"
    assert api(procurement).post(f"{url}acknowledge/").status_code == 403
    disputed = api(vendor_pm).post(f"{url}dispute/", {"answer": "金额过高"}, format="json")
    assert (disputed.status_code, disputed.json()["status"]) == (200, "disputed")
    assert api(vendor_pm).post(f"{url}acknowledge/").status_code == 409
    no_reason = api(procurement).post(f"{url}decide/", {"amount": "8000.00"}, format="json")
    assert (no_reason.status_code, Penalty.objects.get().status) == (400, "disputed")
    decided = api(procurement).post(
        f"{url}decide/", {"amount": "8000.00", "reason": "仅部分延误"}, format="json"
    )
    assert decided.status_code == 200
    assert (decided.json()["amount"], decided.json()["status"]) == ("8000.00", "decided")
    assert api(procurement).post(f"{url}decide/", {}, format="json").status_code == 409
    history = api(vendor_pm).get(f"{url}history/")
    assert history.status_code == 200 and len(history.json()) == 3
    pdf = api(vendor_pm).get(f"{url}pdf/")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    # The contract still has an open order: its next sheet offsets it, no demand.
    assert api(procurement).post(f"{url}demand/").status_code == 409


@pytest.mark.django_db
def test_the_proposal_for_the_form_and_the_filters(api, procurement, vendor_pm, order):
    proposal = api(procurement).get(
        f"/api/v1/penalties/proposal/?order={order.pk}&clause=7.3&kind=penalty"
    )
    assert proposal.status_code == 200
    assert (proposal.json()["basis_amount"], proposal.json()["proposed_amount"]) == (
        "90000.00",
        "18000.00",
    )
    page = api(procurement).get(
        f"/api/v1/penalties/proposal/?contract={order.contract_id}&clause=7.9"
    )
    assert page.status_code == 400  # no such clause: said, not a 500
    _record(api, procurement, order)
    # Nothing paid for the order yet: the refund's proposal is 0.00, so an amount is given.
    refund = _record(api, procurement, order, clause="7.8", kind="refund")
    assert refund.status_code == 400
    refund = _record(
        api, procurement, order, clause="7.8", kind="refund", amount="1000.00", reason="预付款"
    )
    assert refund.status_code == 201
    listed = api(vendor_pm).get("/api/v1/penalties/?kind=refund").json()
    assert [row["clause"] for row in listed["results"]] == ["7.8"]
    listed = api(vendor_pm).get(f"/api/v1/penalties/?order={order.pk}&status=proposed").json()
    assert listed["count"] == 2


@pytest.mark.django_db
def test_another_organisations_penalty_is_404_everywhere(
    api, procurement, other_vendor_pm, order, client
):
    penalty_id = _record(api, procurement, order).json()["id"]
    other = api(other_vendor_pm)
    url = f"/api/v1/penalties/{penalty_id}/"
    assert other.get("/api/v1/penalties/").json()["count"] == 0
    for path in ("", "history/", "pdf/"):
        assert other.get(f"{url}{path}").status_code == 404
    for action in ("acknowledge/", "dispute/", "decide/", "demand/"):
        assert other.post(f"{url}{action}", {}, format="json").status_code == 404
    assert other.get(f"/api/v1/penalties/proposal/?order={order.pk}&clause=7.2").status_code == 404
    client.force_login(other_vendor_pm)
    for path in ("", "pdf/"):
        assert client.get(f"/governance/penalties/{penalty_id}/{path}").status_code == 404
    assert client.post(f"/governance/penalties/{penalty_id}/dispute/").status_code == 404
    # A vendor cannot point a penalty at another's contract either (procurement only, anyway).
    assert other.post("/api/v1/penalties/", {}, format="json").status_code == 403


@pytest.mark.django_db
def test_recording_against_an_order_of_another_contract_is_refused(
    api, procurement, order, other_active_contract
):
    stranger = issued(other_active_contract)
    answer = _record(api, procurement, stranger, contract=order.contract_id)
    assert answer.status_code == 400
    assert not Penalty.objects.exists()
    assert Order.objects.filter(pk=stranger.pk).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_decisions_at_once_leave_one(api, procurement, vendor_pm, order):
    penalty_id = _record(api, procurement, order).json()["id"]
    barrier = threading.Barrier(2)
    codes = [None, None]
    bodies = [
        {"amount": "18000.00"},
        {"amount": "9000.00", "reason": "按实际影响"},
    ]

    def decide(index):
        try:
            barrier.wait()
            codes[index] = (
                api(procurement)
                .post(f"/api/v1/penalties/{penalty_id}/decide/", bodies[index], format="json")
                .status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 409]
    penalty = Penalty.objects.get(pk=penalty_id)
    winner = bodies[codes.index(200)]
    assert (penalty.status, penalty.amount) == ("decided", Decimal(winner["amount"]))
    assert penalty.history.filter(status="decided").count() == 1
