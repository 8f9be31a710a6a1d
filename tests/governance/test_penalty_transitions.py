"""A penalty's steps (ch. 7) agree on its page, in the API and in the services, in every
state: the vendor acknowledges or disputes a proposed one, procurement decides it; the offset
is settlement's (signing the sheet that carries it), no request's."""

import pytest

from governance.models import Penalty
from governance.penalties import penalty_answer, penalty_decide, penalty_record
from settlement.models import SettlementSheet
from settlement.services import sheet_confirm, sheets_compute
from tests.settlement.conftest import OCTOBER
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db
Status = Penalty.Status


def penalty_in(status, order, procurement, vendor_pm):
    penalty = penalty_record(
        actor=procurement,
        contract=order.contract,
        order=order,
        kind=Penalty.Kind.PENALTY,
        clause=Penalty.Clause.C7_2,
        description="未按约定时间执行支撑",
    )
    if status in (Status.ACKNOWLEDGED, Status.DISPUTED):
        step = "acknowledge" if status == Status.ACKNOWLEDGED else "dispute"
        penalty = penalty_answer(penalty=penalty, actor=vendor_pm, step=step, answer="说明")
    if status in (Status.DECIDED, Status.OFFSET):
        penalty = penalty_decide(penalty=penalty, actor=procurement)
    if status == Status.OFFSET:
        sheets_compute(order_ids=[order.pk], month=OCTOBER)
        sheet = SettlementSheet.objects.get(order=order)
        sheet_confirm(sheet=sheet_confirm(sheet=sheet, actor=vendor_pm), actor=procurement)
    return Penalty.objects.get(pk=penalty.pk)


@pytest.mark.parametrize("status", Status.values)
def test_the_page_the_api_and_the_flow_agree(
    status, worked_example, procurement, vendor_pm, other_vendor_pm, finance
):
    penalty = penalty_in(status, worked_example, procurement, vendor_pm)
    assert penalty.status == status
    flow_agrees(
        flow=Penalty.flow,
        obj=penalty,
        page=f"/governance/penalties/{penalty.pk}/",
        api=f"/api/v1/penalties/{penalty.pk}/",
        users=[vendor_pm, other_vendor_pm, procurement, finance],
        data={"dispute": {"answer": "金额过高"}},
    )
