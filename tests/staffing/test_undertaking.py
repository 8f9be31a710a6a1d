"""Each person's confidentiality undertaking (保密承诺书) belongs in the archive: while it is
missing the roster and the person's page flag it to whoever sees them, and the vendor's PM,
only of its own people, has a to-do listing them until it is filed."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import Document
from archive.services import document_add
from dashboard.selectors import dashboard
from staffing.services import staff_give_notice, staff_mark_departed
from tests.pages import browser
from tests.worklogs.conftest import member

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FLAG = "缺保密承诺书"
UNDERTAKING_TODO = "缺保密承诺书的人员"


def undertaking(person, vendor_pm):
    return document_add(
        target=person,
        kind=Document.Kind.STAFF_CONFIDENTIALITY,
        upload=SimpleUploadedFile("保密承诺书.pdf", PDF, "application/pdf"),
        uploaded_by=vendor_pm,
    )


def waiting(user):
    todos = {str(todo.title): todo for todo in dashboard(user=user, today=date(2026, 3, 2))}
    return todos.get(UNDERTAKING_TODO) and [item.label for item in todos[UNDERTAKING_TODO].items]


@pytest.fixture
def people(active_contract, other_active_contract):
    """Two of the vendor's people and one of another vendor's."""
    return (
        member(active_contract, 1, name="王磊"),
        member(active_contract, 2, name="刘洋"),
        member(other_active_contract, 3, name="陈静"),
    )


def test_the_roster_and_the_page_flag_a_missing_undertaking(
    people, vendor_pm, procurement, active_contract
):
    wang, liu, _other = people
    undertaking(wang, vendor_pm)

    for user in (vendor_pm, procurement):
        roster = browser(user).get(f"/contracts/{active_contract.pk}/staff/").content.decode()
        assert roster.count(FLAG) == 1  # 刘洋's row
        assert FLAG not in browser(user).get(f"/staff/{wang.pk}/").content.decode()
        assert FLAG in browser(user).get(f"/staff/{liu.pk}/").content.decode()


def test_the_vendor_pm_lists_its_own_people_without_one_until_filed(
    people, vendor_pm, other_vendor_pm, procurement, finance
):
    wang, liu, chen = people

    assert sorted(waiting(vendor_pm)) == sorted([str(wang), str(liu)])
    assert waiting(other_vendor_pm) == [str(chen)]
    assert waiting(procurement) is None
    assert waiting(finance) is None

    undertaking(wang, vendor_pm)
    assert waiting(vendor_pm) == [str(liu)]


def test_someone_who_has_left_is_no_longer_flagged(people, vendor_pm, active_contract):
    wang, liu, _other = people
    undertaking(wang, vendor_pm)
    staff_give_notice(member=liu, notice_date=date(2026, 1, 5), last_day=date(2026, 2, 5))
    staff_mark_departed(today=date(2026, 2, 6))

    assert waiting(vendor_pm) == []
    roster = browser(vendor_pm).get(f"/contracts/{active_contract.pk}/staff/").content.decode()
    assert FLAG not in roster
