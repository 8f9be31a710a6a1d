"""Each day's reminders (SPEC §8): every app's `reminders.py` registers the functions that find
its deadlines near or past on a day; the daily task runs them all. A reminder names its step in
`key`, so however often the task runs, each user is reminded of each step once."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.conf import settings
from django.utils import timezone

from core.calendar import sub_workdays
from core.models import User
from notifications.models import Notification
from notifications.services import notify


@dataclass
class Reminder:
    kind: str
    users: Iterable
    message: str
    key: str
    url: str = ""
    params: dict = field(default_factory=dict)


REMINDERS: list[Callable[[date], Iterable[Reminder]]] = []


def register(finder: Callable[[date], Iterable[Reminder]]):
    REMINDERS.append(finder)
    return finder


class Recipients:
    """The active users by organisation and role, read once for a finder's day: its reminders
    name their users without a query per row (`users_of`, for many organisations)."""

    @cached_property
    def _users(self) -> dict:
        users = defaultdict(list)
        for user in User.objects.filter(is_active=True, organization__isnull=False):
            users[user.organization_id, user.role].append(user)
        return users

    def __call__(self, organization_id, *roles) -> list:
        return [user for role in roles for user in self._users[organization_id, role]]


def arrived_before(today: date, workdays: int) -> datetime:
    """What arrived before the returned moment has had `workdays` working days after its day by
    `today` (add_workdays(its day, workdays) <= today), weekends and holidays not counted."""
    first = sub_workdays(today + timedelta(days=1), workdays)
    return timezone.make_aware(datetime.combine(first, time.min))


def waiting_since(today: date) -> datetime:
    """What arrived before the returned moment has waited more than NOTIFY_WAITING_WORKDAYS
    working days by `today`."""
    return arrived_before(today, settings.NOTIFY_WAITING_WORKDAYS + 1)


def send_reminders(*, today: date) -> int:
    """Runs every registered finder for `today`; returns how many notifications were made. A
    step every user was already told of is passed over in one query, not one per step; two
    runs at once are settled by the database (`notify` creates each user's step once)."""
    reminders = [reminder for finder in REMINDERS for reminder in finder(today)]
    told = set(
        Notification.objects.filter(key__in={r.key for r in reminders}).values_list("user", "key")
    )
    made = 0
    for reminder in reminders:
        users = [user for user in reminder.users if (user.pk, reminder.key) not in told]
        if users:
            made += len(
                notify(
                    reminder.kind,
                    users,
                    message=reminder.message,
                    params=reminder.params,
                    url=reminder.url,
                    key=reminder.key,
                )
            )
    return made
