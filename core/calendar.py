"""Working days on the official PRC calendar, make-up working days (调休) included.

The calendar comes from the `chinese-calendar` package, which ships the State Council's
announcements year by year (1.11 covers 2004–2026). A date outside what it covers is refused
with a clear error instead of being guessed.
"""

import calendar
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext as _

from core.errors import DomainError


class CalendarError(DomainError):
    code = "calendar"


def _covered(day: date) -> None:
    first, last = min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year
    if not first <= day.year <= last:
        raise CalendarError(
            _(
                "The official holiday calendar for %(year)s is not published in this portal yet "
                "(it covers %(first)s–%(last)s)."
            )
            % {"year": day.year, "first": first, "last": last}
        )


def is_workday(day: date) -> bool:
    _covered(day)
    return chinese_calendar.is_workday(day)


def month_days(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def working_days(month: date) -> int:
    """The month's working days: weekdays less holidays, plus make-up Saturdays and Sundays."""
    first, last = month_days(month)
    _covered(first)
    return len(chinese_calendar.get_workdays(first, last))


def nth_workday(month: date, n: int) -> date:
    """The n-th working day of a month (n ≥ 1)."""
    return add_workdays(month.replace(day=1) - timedelta(days=1), n)


def add_workdays(day: date, n: int) -> date:
    """The date n working days after `day` (3.3.1: invoice within 10 working days).

    A deadline must never block signing or invoicing: in a year the official calendar does
    not cover yet, Monday to Friday count as working days (the date is then provisional).
    """
    while n > 0:
        day += timedelta(days=1)
        try:
            workday = is_workday(day)
        except CalendarError:
            workday = day.weekday() < 5
        if workday:
            n -= 1
    return day
