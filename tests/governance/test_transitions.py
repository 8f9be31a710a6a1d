"""The steps of a rectification request agree on its page, in the API and in the services: the
vendor answers an open request; procurement accepts an answer, or records an open or answered
request as failed."""

import pytest

from governance.models import Rectification
from governance.services import rectification_accept
from tests.governance.conftest import answered, failed, issued
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db
Status = Rectification.Status


@pytest.fixture
def users(vendor_pm, other_vendor_pm, procurement, finance):
    return [vendor_pm, other_vendor_pm, procurement, finance]


def rectification_in(state, order, procurement, vendor_pm):
    if state == Status.OPEN:
        return issued(order, procurement)
    if state == Status.ANSWERED:
        return answered(order, procurement, vendor_pm)
    if state == Status.FAILED:
        return failed(order, procurement, vendor_pm)
    return rectification_accept(
        rectification=answered(order, procurement, vendor_pm), actor=procurement
    )


@pytest.mark.parametrize("state", Status.values)
def test_a_rectifications_page_api_and_flow_agree(state, order, users, procurement, vendor_pm):
    rectification = rectification_in(state, order, procurement, vendor_pm)
    flow_agrees(
        flow=Rectification.flow,
        obj=Rectification.objects.get(pk=rectification.pk),
        page=f"/governance/rectifications/{rectification.pk}/",
        api=f"/api/v1/rectifications/{rectification.pk}/",
        users=users,
        data={"answer": {"answer": "已整改"}, "fail": {"reason": "未达标"}},
    )
