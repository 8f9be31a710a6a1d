"""core.bulk: many new rows written at once (COPY on PostgreSQL) as Django would save them."""

import pytest
from django.utils.translation import gettext_lazy

from core.bulk import create, create_with_history
from core.models import Organization
from core.writes import bulk_written
from notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db


def test_new_rows_get_their_keys_in_order_and_a_history_row_each():
    heard = []
    bulk_written.connect(lambda sender, **_: heard.append(sender), weak=False, dispatch_uid="t")
    try:
        made = create_with_history(
            [
                Organization(name=f"批量乙方{number}", kind=Organization.Kind.VENDOR)
                for number in range(3)
            ]
        )
    finally:
        bulk_written.disconnect(dispatch_uid="t")
    assert Organization in heard
    for number, organization in enumerate(made):
        saved = Organization.objects.get(pk=organization.pk)
        assert (saved.name, saved.kind) == (f"批量乙方{number}", "vendor")
        assert saved.requires_signed_contract is True  # the field's default
        (history,) = saved.history.all()
        assert (history.history_type, history.name) == ("+", saved.name)
    assert [o.pk for o in made] == sorted(o.pk for o in made)
    assert not made[0]._state.adding


def test_stamps_choices_and_lazy_texts_go_through_their_fields(vendor_pm):
    (notification,) = create(
        [
            Notification(
                user=vendor_pm,
                kind="sheet_to_confirm",
                text=gettext_lazy("Settlement sheets"),
                channel=Channel.PORTAL,
            )
        ]
    )
    saved = Notification.objects.get(pk=notification.pk)
    assert saved.text == str(gettext_lazy("Settlement sheets"))
    assert saved.channel == "portal"
    assert saved.created_at is not None and saved.created_at == notification.created_at


def test_nothing_to_write_writes_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert create_with_history([]) == []
