"""Seed 004's live sessions (直播), recorded one by one by the vendor's PM in the page, by Excel
and over the API. The month's live figures are computed from them (`live_figures`), so a
session may change only while its month's report is still the vendor's to edit; a draft or
returned report follows at once."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from core.dates import add_months
from core.locks import hold
from kpi.models import SESSIONS_A_WEEK, KpiReport, LiveSession, Platform
from kpi.services import KpiError, live_figures, month_sessions, refuse_unless_fixed_price
from orders.models import Order
from orders.selectors import order_reports_in

MAX_VIEWERS = 2_147_483_647  # the column's PositiveIntegerField
FIELDS = ("date", "platform", "start", "minutes", "viewers", "link")


def session_problems(order: Order, data: dict) -> dict[str, str]:
    """What is wrong with a session's values, by field: a day outside the order's service or
    after its termination, minutes outside a day, viewers below 0, a link that is no web
    address. `data` holds typed values (date, time, int, str)."""
    problems = {}
    day = data.get("date")
    if not isinstance(day, date):
        problems["date"] = _("give the day of the session")
    elif not order.service_start <= day <= order.service_end:
        problems["date"] = _("%(day)s lies outside the service period %(start)s – %(end)s") % {
            "day": day,
            "start": order.service_start,
            "end": order.service_end,
        }
    elif order.ended_on is not None and day > order.ended_on:
        problems["date"] = _("%(day)s comes after the order's termination on %(ended)s") % {
            "day": day,
            "ended": order.ended_on,
        }
    start = data.get("start")
    if start is not None and not isinstance(start, time):
        problems["start"] = _("give the start as hh:mm, or leave it empty")
    if data.get("platform") not in Platform.values:
        problems["platform"] = _("choose 抖音 or 视频号")
    minutes = data.get("minutes")
    if not isinstance(minutes, int) or not 1 <= minutes <= 24 * 60:
        problems["minutes"] = _("give the minutes, from 1 to 1440")
    viewers = data.get("viewers")
    if not isinstance(viewers, int) or not 0 <= viewers <= MAX_VIEWERS:
        problems["viewers"] = _("give the viewers, a whole number from 0")
    link = data.get("link") or ""
    try:
        if link:
            URLValidator(schemes=["http", "https"])(link)
        if len(link) > LiveSession._meta.get_field("link").max_length:
            raise ValidationError("too long")
    except ValidationError:
        problems["link"] = _("give the session's web address (http:// or https://)")
    return problems


def _label(name: str) -> str:
    return str(LiveSession._meta.get_field(name).verbose_name)


def _refuse_unless_open(order: Order, month: date) -> None:
    """The order must be fixed-price and report the month, and the month's report, if any, be
    the vendor's to edit. The order is locked first, as `kpi_report_save` does: a report
    entered or submitted at the same moment, even the month's first, waits for the session's
    change and then sees it (or the change waits and finds the report submitted)."""
    refuse_unless_fixed_price(order)
    hold(order=order)
    refusal = order_reports_in(order, month)
    if refusal:
        raise KpiError(refusal.message, field=refusal.field, conflict=True)
    report = (
        KpiReport.objects.select_for_update(no_key=True).filter(order=order, month=month).first()
    )
    if report is not None and report.status not in KpiReport.EDITABLE:
        raise KpiError(
            _("The report of %(month)s is %(status)s: its live sessions cannot change.")
            % {"month": f"{month:%Y-%m}", "status": report.get_status_display()},
            conflict=True,
        )


def _refresh(order: Order, month: date) -> None:
    """A draft or returned report of the month takes the live figures of its sessions again,
    saved so that its history records the change."""
    report = KpiReport.objects.filter(
        order=order, month=month, status__in=KpiReport.EDITABLE
    ).first()
    if report is None:
        return
    figures = live_figures(month_sessions(order, month))
    for name, value in figures.items():
        setattr(report, name, value)
    report.save(update_fields=list(figures))


@transaction.atomic
def live_session_save(*, order: Order, data: dict, session: LiveSession | None = None):
    """A new session of the order, or `session` changed; refused whole (KpiError naming each
    field) when a value is wrong or its month (or, moved, its former month) is closed."""
    problems = session_problems(order, data)
    if problems:
        messages = [
            _("%(where)s: %(message)s") % {"where": _label(name), "message": message}
            for name, message in problems.items()
        ]
        raise KpiError(messages[0], field=next(iter(problems)), messages=messages)
    months = {data["date"].replace(day=1)}
    if session is not None:
        months.add(session.date.replace(day=1))
    for month in sorted(months):
        _refuse_unless_open(order, month)
    session = session or LiveSession(order=order)
    for name, value in _typed(data).items():
        setattr(session, name, value)
    session.save()
    for month in months:
        _refresh(order, month)
    return session


@transaction.atomic
def live_session_delete(*, session: LiveSession) -> None:
    month = session.date.replace(day=1)
    _refuse_unless_open(session.order, month)
    session.delete()
    _refresh(session.order, month)


@transaction.atomic
def live_sessions_replace(*, order: Order, month: date, rows: list[tuple[str, dict]]) -> int:
    """The month's sessions replaced by `rows` (where each was read, its values): all or
    nothing, every problem named with its row and column."""
    month = month.replace(day=1)
    _refuse_unless_open(order, month)
    problems = []
    for where, data in rows:
        found = session_problems(order, data)
        day = data.get("date")
        if "date" not in found and day.replace(day=1) != month:
            found["date"] = _("%(day)s is not in %(month)s") % {
                "day": day,
                "month": f"{month:%Y-%m}",
            }
        problems += [
            _("%(where)s, %(column)s: %(message)s")
            % {"where": where, "column": _label(name), "message": message}
            for name, message in found.items()
        ]
    if problems:
        raise KpiError(
            _("The file was not imported: %(count)s problems.") % {"count": len(problems)},
            field="file",
            messages=problems,
        )
    month_sessions(order, month).delete()
    LiveSession.objects.bulk_create(
        LiveSession(order=order, **_typed(data)) for _where, data in rows
    )
    _refresh(order, month)
    return len(rows)


def _typed(data: dict) -> dict:
    return {name: data.get(name) for name in FIELDS} | {"link": data.get("link") or ""}


@dataclass
class Week:
    monday: date
    counted: int

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)


def short_weeks(order: Order, month: date, sessions=None) -> list[Week]:
    """004 三、2 每周直播3场, flexible as activities need: the weeks (Monday to Sunday) with
    fewer than 3 sessions of 2 hours, a note to procurement and never a deduction. A week
    belongs to the month of its Thursday, as an ISO week to its year, so each is judged once;
    only weeks wholly inside the order's service are judged. `sessions`, when given, holds
    the order's sessions of those weeks (a page of many months reads them once)."""
    end = order.ended_on or order.service_end
    thursday = month + timedelta(days=(3 - month.weekday()) % 7)
    mondays = []
    while thursday < add_months(month, 1):
        monday = thursday - timedelta(days=3)
        if order.service_start <= monday and monday + timedelta(days=6) <= end:
            mondays.append(monday)
        thursday += timedelta(days=7)
    if not mondays:
        return []
    if sessions is None:
        sessions = LiveSession.objects.filter(
            order=order, date__gte=mondays[0], date__lte=mondays[-1] + timedelta(days=6)
        )
    weeks = [
        Week(monday, sum(s.counts for s in sessions if 0 <= (s.date - monday).days < 7))
        for monday in mondays
    ]
    return [week for week in weeks if week.counted < SESSIONS_A_WEEK]


def platform_figures(sessions) -> list[tuple[str, dict]]:
    """The live figures of each platform, then of both."""
    sessions = list(sessions)
    return [
        *(
            (label, live_figures(s for s in sessions if s.platform == value))
            for value, label in Platform.choices
        ),
        (_("Total"), live_figures(sessions)),
    ]


@dataclass
class MonthSummary:
    month: date
    figures: dict
    short_weeks: list[Week]


def months_summary(order: Order, start: date, end: date) -> list[MonthSummary]:
    """Each month from `start` to before `end`: its live figures and its weeks below 3, from
    the order's sessions read once (a week may reach into the month before or after)."""
    listed = list(LiveSession.objects.filter(order=order))
    summaries, month = [], start
    while month < end:
        sessions = [s for s in listed if s.date.replace(day=1) == month]
        summaries.append(
            MonthSummary(month, live_figures(sessions), short_weeks(order, month, listed))
        )
        month = add_months(month, 1)
    return summaries
