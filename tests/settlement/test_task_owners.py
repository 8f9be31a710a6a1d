"""A long job belongs to who started it: only they, their organization's procurement and the
admins follow it at tasks/<id>/; for anyone else it does not exist (404)."""

from uuid import uuid4

import pytest

from core.models import User
from settlement.models import TaskRun
from tests.factories import BuyerFactory, UserFactory

pytestmark = pytest.mark.django_db


def started(client, path, data=None) -> str:
    """The state URL of the job the request started (queued when the request's transaction
    commits, which a test's never does: it stays PENDING)."""
    response = client.post(path, data or {}, format="json")
    assert response.status_code == 202
    return f"/api/v1/tasks/{response.json()['task_id']}/"


@pytest.fixture
def admin(db):
    return UserFactory(role=User.Role.ADMIN)


@pytest.fixture
def other_buyer_procurement(db):
    return UserFactory(role=User.Role.PROCUREMENT, organization=BuyerFactory())


def test_a_months_computation_is_followed_by_its_buyers_procurement_and_the_admins(
    api, procurement, finance, vendor_pm, other_vendor_pm, other_buyer_procurement, admin
):
    url = started(api(procurement), "/api/v1/settlements/compute/", {"month": "2026-10"})
    colleague = UserFactory(role=User.Role.PROCUREMENT, organization=procurement.organization)

    for user in (procurement, colleague, admin):
        answer = api(user).get(url)
        assert answer.status_code == 200
        assert answer.json() == {"state": "PENDING", "progress": None, "result": None}
    for user in (other_buyer_procurement, finance, vendor_pm, other_vendor_pm):
        assert api(user).get(url).status_code == 404
    run = TaskRun.objects.get()
    assert (run.name, run.user, run.organization) == (
        "settlement.tasks.settlements_compute_task",
        procurement,
        procurement.organization,
    )


def test_a_vendors_zip_of_pdfs_is_followed_by_its_pm_and_the_admins_only(
    api, vendor_pm, other_vendor_pm, procurement, other_buyer_procurement, admin, contract
):
    url = started(api(vendor_pm), "/api/v1/settlements/pdf-zip/")
    same_vendor_pm = UserFactory(role=User.Role.VENDOR_PM, organization=vendor_pm.organization)

    for user in (vendor_pm, admin):
        assert api(user).get(url).status_code == 200
    # The vendor's buyer's procurement is of another organization; another PM of the same
    # vendor is not procurement.
    for user in (other_vendor_pm, same_vendor_pm, procurement, other_buyer_procurement):
        assert api(user).get(url).status_code == 404


def test_a_task_id_nobody_recorded_is_404_even_for_an_admin(api, admin):
    assert api(admin).get(f"/api/v1/tasks/{uuid4()}/").status_code == 404
    assert api(admin).get("/api/v1/tasks/not-a-task/").status_code == 404
