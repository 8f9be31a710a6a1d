"""Procurement's two decisions on one answer, taken at once by two buyers' hands (threads
released together at a barrier, through the API): one wins, the other answers 409, and the
request ends in the winner's state with its fields only."""

import pytest
from rest_framework.test import APIClient

from core.models import User
from governance.models import Rectification
from tests.factories import UserFactory
from tests.governance.conftest import answered
from tests.test_races import race

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_accepting_and_failing_one_answer_at_once_lets_one_win(
    buyer, procurement, vendor_pm, order
):
    rectification = answered(order, procurement, vendor_pm)
    colleague = UserFactory(username="caigou3", role=User.Role.PROCUREMENT, organization=buyer)
    url = f"/api/v1/rectifications/{rectification.pk}/"

    def as_(user, action, data=None):
        def request():
            client = APIClient()
            client.force_authenticate(user)
            return client.post(f"{url}{action}/", data or {}, format="json").status_code

        return request

    codes = race(as_(procurement, "accept"), as_(colleague, "fail", {"reason": "未达标"}))

    assert sorted(codes) == [200, 409]
    final = Rectification.objects.get(pk=rectification.pk)
    if codes[0] == 200:
        assert (final.status, final.failed_reason, final.decided_by) == (
            "accepted",
            "",
            procurement,
        )
    else:
        assert (final.status, final.failed_reason, final.decided_by) == (
            "failed",
            "未达标",
            colleague,
        )
