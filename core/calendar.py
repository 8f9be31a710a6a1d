"""Working days on the PRC calendar, make-up working days (调休) included.

One calendar in the database, a `CalendarYear` a year, which every count reads. A year is built
the first time it is asked for: official from the State Council's notices as the
`chinese-calendar` package ships them (2004–2026 in 1.11), else provisional: Monday to Friday
less the statutory holidays the `holidays` package computes, lunar ones included, plus the
make-up days it ships for that year if any. Procurement publishes a year from its notice
(`calendar_publish`); what a change means to an app (a log over its days, a deadline that moved)
is that app's re-check, which it adds to RECHECKS from its AppConfig.ready().
"""

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib.metadata import version
from itertools import pairwise

import chinese_calendar
import holidays as holiday_rules
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.models import CalendarFinding, CalendarYear

MIN_YEAR, MAX_YEAR = 1990, 2100
LOG_DUE_WORKDAY = 5  # a month's person-day log is due by the 5th working day of the next
Status = CalendarYear.Status

# chinese-calendar names its holidays in English; the notices say these.
NOTICE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日",
}


class CalendarError(DomainError):
    code = "calendar"


@dataclass(frozen=True)
class Holiday:
    """A range of days off as a notice writes it (春节: 2月15日至23日)."""

    start: date
    end: date
    name: str = ""

    def days(self) -> list[date]:
        return list(each_day(self.start, self.end))

    def as_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "name": self.name}

    def __str__(self):
        span = f"{self.start}" if self.start == self.end else f"{self.start} – {self.end}"
        return f"{span} {self.name}".strip()


def holidays_of(row: CalendarYear) -> list[Holiday]:
    return [
        Holiday(date.fromisoformat(h["start"]), date.fromisoformat(h["end"]), h.get("name", ""))
        for h in row.holidays
    ]


def workdays_of(row: CalendarYear) -> list[date]:
    return [date.fromisoformat(day) for day in row.workdays]


@dataclass(frozen=True)
class Year:
    """A year's calendar as sets of dates, to count with."""

    number: int
    official: bool
    days_off: frozenset[date]
    workdays: frozenset[date]

    @classmethod
    def of(cls, row: CalendarYear) -> "Year":
        off = frozenset(day for holiday in holidays_of(row) for day in holiday.days())
        return cls(row.year, row.is_official, off, frozenset(workdays_of(row)))

    def is_workday(self, day: date) -> bool:
        return day in self.workdays or (day.weekday() < 5 and day not in self.days_off)

    def count(self, first: date, last: date) -> int:
        """Working days from first to last, both included (both in this year)."""
        return sum(self.is_workday(day) for day in each_day(first, last))

    def month_count(self, month: int) -> int:
        return self.count(*month_days(date(self.number, month, 1)))

    def nth_workday(self, month: int, n: int) -> date:
        """The n-th working day of one of its months (the 5th: a log's due day)."""
        eve = date(self.number, month, 1) - timedelta(days=1)
        return _add_workdays({self.number: self}, eve, n)


def each_day(first: date, last: date):
    return (first + timedelta(days=i) for i in range((last - first).days + 1))


def _ranges(days: dict[date, str]) -> list[dict]:
    """Consecutive days of one holiday as one range (春节（补假） belongs to 春节)."""
    ranges: list[Holiday] = []
    for day in sorted(days):
        name = days[day].split("（")[0]
        last = ranges[-1] if ranges else None
        if last and last.name == name and last.end == day - timedelta(days=1):
            ranges[-1] = Holiday(last.start, day, name)
        else:
            ranges.append(Holiday(day, day, name))
    return [holiday.as_json() for holiday in ranges]


def _official_from_package(number: int) -> dict | None:
    """The year as the State Council announced it, if the installed package ships it."""
    off = {day: name for day, name in chinese_calendar.holidays.items() if day.year == number}
    if not off:
        return None
    return {
        "status": Status.OFFICIAL,
        "holidays": _ranges({day: NOTICE_NAMES.get(name, name) for day, name in off.items()}),
        "workdays": sorted(
            day.isoformat() for day in chinese_calendar.workdays if day.year == number
        ),
        "source": f"chinese-calendar {version('chinese-calendar')}（国务院办公厅节假日安排通知）",
    }


def _provisional(number: int) -> dict:
    """Monday to Friday less the statutory holidays, computed: never official."""
    rules = holiday_rules.China(years=number, language="zh_CN")
    workdays = sorted(day.isoformat() for day in rules.weekend_workdays if day.year == number)
    what = "法定节假日及调休上班日" if workdays else "法定节假日（不含调休上班日）"
    return {
        "status": Status.PROVISIONAL,
        "holidays": _ranges({day: name for day, name in rules.items() if day.year == number}),
        "workdays": workdays,
        "source": f"暂定：周一至周五，扣除 holidays {version('holidays')} 推算的{what}",
    }


def package_years() -> range:
    """The years the installed `chinese-calendar` ships notices for."""
    return range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


def calendar_year(number: int) -> CalendarYear:
    """The year's calendar, built on first use (official from the package, else provisional)."""
    row = CalendarYear.objects.filter(year=number).first()
    if row is not None:
        return row
    fields = _official_from_package(number) or _provisional(number)
    try:
        with transaction.atomic():
            return CalendarYear.objects.create(year=number, **fields)
    except IntegrityError:  # built at the same moment by another request
        return CalendarYear.objects.get(year=number)


class _Years(dict):
    """Years loaded once for one computation."""

    def __missing__(self, number):
        self[number] = Year.of(calendar_year(number))
        return self[number]


def year_of(number: int) -> Year:
    """A year to count with, for many counts in one year (a log's lines)."""
    return Year.of(calendar_year(number))


def month_days(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def working_days(month: date) -> int:
    """The month's working days: weekdays less holidays, plus make-up Saturdays and Sundays."""
    return year_of(month.year).month_count(month.month)


def nth_workday(month: date, n: int) -> date:
    """The n-th working day of a month (n ≥ 1)."""
    return add_workdays(month.replace(day=1) - timedelta(days=1), n)


def add_workdays(day: date, n: int) -> date:
    """The date n working days after `day` (3.3.1: invoice within 10 working days)."""
    return _add_workdays(_Years(), day, n)


def _add_workdays(years, day: date, n: int, step: int = 1) -> date:
    while n > 0:
        day += timedelta(days=step)
        if years[day.year].is_workday(day):
            n -= 1
    return day


def sub_workdays(day: date, n: int) -> date:
    """The date n working days before `day`: `add_workdays` backwards (a reminder's eve)."""
    return _add_workdays(_Years(), day, n, step=-1)


def provisional_years() -> set[int]:
    """The years built provisional so far: for lists, one query instead of one a row."""
    return set(
        CalendarYear.objects.filter(status=Status.PROVISIONAL).values_list("year", flat=True)
    )


def any_provisional(days, years: set[int] | None = None) -> bool:
    """Whether a count or deadline on these dates (None skipped) rests on a provisional year
    and is shown as 暂定. The dates were counted, so their years are built."""
    years = provisional_years() if years is None else years
    return any(day is not None and day.year in years for day in days)


@dataclass
class Finding:
    """What a published year counts differently, for the procurement of one buyer."""

    buyer_id: int
    text: str
    url: str = ""


# Each app that stored something counted on the calendar says what a new calendar changes:
# fn(before: Year, after: Year) -> list[Finding]. Run inside the publishing transaction.
RECHECKS: list[Callable[[Year, Year], list[Finding]]] = []


@dataclass
class MonthChange:
    month: date
    working_days: tuple[int, int]
    log_due: tuple[date, date]


@dataclass
class Publication:
    year: CalendarYear
    changes: list[MonthChange] = field(default_factory=list)
    findings: list[CalendarFinding] = field(default_factory=list)


def outside_range(number: int) -> str:
    """Why the calendar does not keep this year, or "" when it does."""
    if MIN_YEAR <= number <= MAX_YEAR:
        return ""
    return _("The calendar keeps the years %(min)s–%(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}


def notice_problems(
    *,
    number: int,
    holidays: list[Holiday],
    workdays: list[date],
    notice_number: str,
    reason: str,
    current: CalendarYear | None,
) -> list[str]:
    """Every reason a notice cannot be published, each naming its range or day."""
    if outside_range(number):
        return [outside_range(number)]
    problems = []
    if not notice_number.strip():
        problems.append(_("Give the notice's number (e.g. 国办发明电〔2026〕7号)."))
    inside = []
    for holiday in holidays:
        if holiday.start > holiday.end:
            problems.append(
                _("Days off %(range)s: the range ends before it starts.") % {"range": holiday}
            )
        elif holiday.start.year != number or holiday.end.year != number:
            problems.append(
                _("Days off %(range)s lie outside %(year)s.") % {"range": holiday, "year": number}
            )
        else:
            inside.append(holiday)
    for earlier, later in pairwise(sorted(inside, key=lambda h: h.start)):
        if later.start <= earlier.end:
            problems.append(
                _("Days off %(first)s and %(second)s overlap.")
                % {"first": earlier, "second": later}
            )
    off = {day for holiday in inside for day in holiday.days()}
    seen = set()
    for day in workdays:
        if day in seen:
            problems.append(_("The make-up working day %(day)s is given twice.") % {"day": day})
        seen.add(day)
        if day.year != number:
            problems.append(
                _("The make-up working day %(day)s lies outside %(year)s.")
                % {"day": day, "year": number}
            )
        elif day.weekday() < 5:
            problems.append(
                _(
                    "%(day)s is a weekday: a make-up working day (调休) is a Saturday or a Sunday "
                    "worked instead of a day off."
                )
                % {"day": day}
            )
        elif day in off:
            problems.append(
                _("%(day)s is both a day off and a make-up working day.") % {"day": day}
            )
    if current is not None and current.is_official and not reason.strip():
        problems.append(
            _("%(year)s is already official: give the reason for changing it.") % {"year": number}
        )
    return problems


@transaction.atomic
def calendar_publish(
    *,
    number: int,
    holidays: list[Holiday],
    workdays: list[date],
    notice_number: str,
    notice_date: date,
    reason: str = "",
    actor,
) -> Publication:
    """SPEC §9: a year becomes official from the State Council's notice. What was counted on
    it is re-checked and listed, never changed: nothing approved or signed moves by itself."""
    if outside_range(number):
        raise CalendarError(outside_range(number))
    row = CalendarYear.objects.select_for_update(no_key=True).get(pk=calendar_year(number).pk)
    problems = notice_problems(
        number=number,
        holidays=holidays,
        workdays=workdays,
        notice_number=notice_number,
        reason=reason,
        current=row,
    )
    if problems:
        raise CalendarError(problems[0], messages=problems)
    return _replace(
        row,
        {
            "status": Status.OFFICIAL,
            "holidays": [h.as_json() for h in sorted(holidays, key=lambda h: h.start)],
            "workdays": sorted(day.isoformat() for day in workdays),
            "notice_number": notice_number.strip(),
            "notice_date": notice_date,
            "source": f"{notice_number.strip()}（{notice_date:%Y-%m-%d}）",
            "reason": reason.strip(),
        },
        actor,
    )


@transaction.atomic
def calendar_load_package() -> list[Publication]:
    """After an upgrade of `chinese-calendar`: the years it now ships replace provisional ones
    (re-checked like any publication); the others are left as they are."""
    publications = []
    for number in package_years():
        row = CalendarYear.objects.select_for_update(no_key=True).get(pk=calendar_year(number).pk)
        if not row.is_official:
            publications.append(_replace(row, _official_from_package(number), None))
    return publications


def _replace(row: CalendarYear, fields: dict, actor) -> Publication:
    before = Year.of(row)
    for name, value in fields.items():
        setattr(row, name, value)
    row.updated_by = row._history_user = actor
    row._change_reason = row.reason
    row.save()
    after = Year.of(row)
    found = [finding for recheck in RECHECKS for finding in recheck(before, after)]
    findings = CalendarFinding.objects.bulk_create(
        CalendarFinding(year=row, buyer_id=f.buyer_id, text=f.text[:500], url=f.url) for f in found
    )
    return Publication(row, _month_changes(before, after), findings)


def _month_changes(before: Year, after: Year) -> list[MonthChange]:
    """Months whose working days or log due date (the 5th working day) move."""
    changes = []
    for month in range(1, 13):
        first = date(before.number, month, 1)
        counts = (before.month_count(month), after.month_count(month))
        dues = (
            before.nth_workday(month, LOG_DUE_WORKDAY),
            after.nth_workday(month, LOG_DUE_WORKDAY),
        )
        if counts[0] != counts[1] or dues[0] != dues[1]:
            changes.append(MonthChange(first, counts, dues))
    return changes


def calendar_findings(*, user, since: date):
    """Findings of recent publications the user's buyer must look at."""
    findings = CalendarFinding.objects.filter(created_at__date__gte=since).select_related("year")
    return findings if user.sees_everything else findings.filter(buyer_id=user.organization_id)
