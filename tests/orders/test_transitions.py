"""An order's page buttons, its API actions and its services agree with its one declaration
of steps (`Order.flow`): issue, complete and cancel are procurement's, in every state."""

from datetime import date

import pytest

from orders.models import Order
from orders.services import (
    order_cancel,
    order_complete,
    order_create,
    order_issue,
    orders_start_due,
)
from orders.terminations import termination_give
from tests.factories import UserFactory
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db

LINES = [{"role": "产品/平台服务", "level": "高级", "planned_quantity": "10"}]


def draft(contract):
    return order_create(
        contract=contract,
        lines=LINES,
        name="会员运营支撑",
        service_start=date(2026, 2, 1),
        service_end=date(2026, 6, 30),
    )


def issued(contract):
    return order_issue(order=draft(contract))


def in_service(contract):
    order = issued(contract)
    orders_start_due(today=order.service_start)
    return Order.objects.get(pk=order.pk)


def completed(contract):
    return order_complete(order=in_service(contract))


def cancelled(contract):
    return order_cancel(order=issued(contract))


def terminated(contract):
    order = issued(contract)
    user = UserFactory(role="procurement", organization=contract.buyer)
    termination_give(contract=contract, order=order, kind="breach", reason="违约", actor=user)
    return Order.objects.get(pk=order.pk)


@pytest.mark.parametrize("make", [draft, issued, in_service, completed, cancelled, terminated])
def test_the_page_the_api_and_the_services_agree_in_every_state(
    make, clock, active_contract, procurement, finance, vendor_pm, other_vendor_pm
):
    clock(date(2026, 1, 15))  # before the service starts: issuing leaves it issued
    order = make(active_contract)

    flow_agrees(
        flow=Order.flow,
        obj=order,
        page=f"/orders/{order.pk}/",
        api=f"/api/v1/orders/{order.pk}/",
        users=[vendor_pm, other_vendor_pm, procurement, finance],
        data={"terminate": {"kind": "breach", "clause": "7.2", "reason": "未按约定执行"}},
    )


def test_issuing_once_the_service_has_begun_starts_it_at_once(clock, active_contract):
    clock(date(2026, 2, 3))

    order = issued(active_contract)

    assert order.status == Order.Status.IN_SERVICE
    assert Order.objects.get(pk=order.pk).history.count() == 2  # created, issued: one save
