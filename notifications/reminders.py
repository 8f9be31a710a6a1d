"""Each day's reminders (SPEC §8): every app's `reminders.py` registers the functions that find
its deadlines near or past on a day; the daily task runs them all. A reminder names its step in
`key`, so however often the task runs, each user is reminded of each step once."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

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


def send_reminders(*, today: date) -> int:
    """Runs every registered finder for `today`; returns how many notifications were made."""
    made = 0
    for finder in REMINDERS:
        for reminder in finder(today):
            made += len(
                notify(
                    reminder.kind,
                    reminder.users,
                    message=reminder.message,
                    params=reminder.params,
                    url=reminder.url,
                    key=reminder.key,
                )
            )
    return made
