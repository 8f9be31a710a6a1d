"""What waits for whom (SPEC §8): each app's `todos.py` registers the to-dos of its own objects
here, and the dashboard reads them (`dashboard.apps` imports every app's `todos` module, as
Django's admin finds `admin` modules). An app never imports the dashboard.

A to-do function takes the user's `Desk` and returns its `Todo`s; `register` files it for one
side (procurement, the vendor's PM, finance) at a place on that side's list, the page's order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import NamedTuple

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.calendar import calendar_findings, calendar_year, provisional_years
from core.models import User

CALENDAR_NOTICE_MONTH = 11  # the State Council's notice for next year comes in November
FINDINGS_DAYS = 30


@dataclass
class Item:
    """One line of a to-do: what, and where to act on it."""

    label: str
    url: str
    detail: str = ""
    late: bool = False


@dataclass
class Todo:
    """A kind of waiting object; `url` is the list filtered to them, `bulk_url` the page that
    acts on many at once."""

    title: str
    items: list[Item] = field(default_factory=list)
    url: str = ""
    bulk_url: str = ""

    @property
    def count(self):
        return len(self.items)


@dataclass
class Desk:
    """Whose to-dos, on which day; what several to-dos read is read once."""

    user: User
    today: date

    @cached_property
    def provisional_years(self) -> set[int]:
        return provisional_years()

    def due(self, day, before="") -> str:
        """A deadline as the to-do shows it, 暂定 when its year is provisional."""
        if day is None:
            return before
        if day.year in self.provisional_years:
            return before + _("due %(day)s (provisional)") % {"day": day}
        return before + _("due %(day)s") % {"day": day}


def _procurement(user) -> bool:
    return user.has_role(User.Role.PROCUREMENT) and not user.is_vendor


def _vendor(user) -> bool:
    return user.is_vendor


def _finance(user) -> bool:
    return user.has_role(User.Role.FINANCE) and not user.is_vendor


# The sides, in the order the page lists them. A signed sheet waits on the vendor's invoice,
# so it is the vendor's to-do, not finance's: finance acts once the invoice is in.
PROCUREMENT, VENDOR, FINANCE = _procurement, _vendor, _finance
SIDES = (PROCUREMENT, VENDOR, FINANCE)


class Entry(NamedTuple):
    side: Callable[[User], bool]
    place: int
    todos: Callable[[Desk], list[Todo]]


registry: list[Entry] = []


def register(side, place: int):
    """Files a to-do function for `side` (PROCUREMENT, VENDOR or FINANCE) at `place` on that
    side's list (lower first)."""

    def decorator(function):
        registry.append(Entry(side, place, function))
        return function

    return decorator


@register(PROCUREMENT, 10)
def calendar_todos(desk: Desk) -> list[Todo]:
    """SPEC §9: from 1 November the buyer publishes next year's notice; after a publication,
    what now counts differently."""
    upcoming = desk.today.year + 1
    publish = []
    if desk.today.month >= CALENDAR_NOTICE_MONTH and not calendar_year(upcoming).is_official:
        publish.append(
            Item(
                _("%(year)s is provisional: publish the State Council's holiday notice")
                % {"year": upcoming},
                reverse("calendar-detail", args=[upcoming]),
            )
        )
    findings = calendar_findings(user=desk.user, since=desk.today - timedelta(days=FINDINGS_DAYS))
    return [
        Todo(_("Calendar to publish"), publish),
        Todo(
            _("To check after a calendar was published"),
            [Item(f.text, f.url, f"{f.year.year}") for f in findings],
        ),
    ]
