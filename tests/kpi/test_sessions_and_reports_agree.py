"""A month's report and its live sessions never disagree: a session saved while the month's
first report is entered and submitted is either refused or counted (the order is the lock both
take); a draft following its sessions keeps that in its history; before any report the month's
page and workbook show the sessions' figures; an edited session that is gone is not found
rather than made again; an order that is not fixed-price keeps no sessions and no quarter
reviews; and the KPI page reads the order's sessions once for all its months."""

import io
import threading
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from contracts.kinds import MONTHLY_LOG_MODES
from contracts.models import FrameworkContract
from core.locks import is_busy
from kpi.models import KpiReport, LiveSession
from kpi.services import KpiError, kpi_report_enter, kpi_report_save, quarter_review_comment
from kpi.sessions import live_session_save, months_summary
from kpi.workbook import FIGURES
from tests.kpi.test_milestones import month_figures

pytestmark = pytest.mark.django_db

JANUARY = date(2026, 1, 1)


def data(day, minutes=130, viewers=900):
    return {"date": day, "platform": "douyin", "minutes": minutes, "viewers": viewers}


def _at_once(**calls) -> dict:
    """Runs the calls in threads released together; what each came to: done, refused (a
    KpiError), busy (a lock not had in time: a clean 409) or the unexpected error."""
    barrier = threading.Barrier(len(calls))
    outcomes = {}

    def run(name, call):
        try:
            barrier.wait()
            call()
            outcomes[name] = "done"
        except KpiError:
            outcomes[name] = "refused"
        except Exception as error:
            outcomes[name] = "busy" if is_busy(error) else error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_session_saved_while_the_month_is_submitted_is_refused_or_counted(kpi_order):
    for month in (date(2026, number, 1) for number in range(1, 5)):
        day = month.replace(day=5)
        outcomes = _at_once(
            session=lambda: live_session_save(order=kpi_order, data=data(day)),  # noqa: B023
            report=lambda: kpi_report_enter(
                order=kpi_order,
                month=month,  # noqa: B023
                figures=month_figures(15, 100000, 1000),
                submit=True,
            ),
        )

        assert outcomes["report"] == "done", outcomes
        assert outcomes["session"] in ("done", "refused", "busy"), outcomes
        report = KpiReport.objects.get(order=kpi_order, month=month)
        assert report.status == KpiReport.Status.SUBMITTED
        saved = LiveSession.objects.filter(order=kpi_order, date=day).count()
        assert saved == (outcomes["session"] == "done")
        assert (report.live_sessions, report.viewers) == (saved, 900 * saved)


def test_a_draft_following_its_sessions_keeps_it_in_its_history(kpi_order):
    report = kpi_report_save(order=kpi_order, month=JANUARY, figures={})
    before = report.history.count()
    live_session_save(order=kpi_order, data=data(date(2026, 1, 5)))

    report.refresh_from_db()
    assert (report.live_sessions, report.live_hours) == (1, Decimal("2.2"))
    assert report.history.count() == before + 1
    assert report.history.latest("history_date").live_sessions == 1


def test_before_any_report_the_month_shows_its_sessions_figures(kpi_order, vendor_pm):
    live_session_save(order=kpi_order, data=data(date(2026, 1, 5), minutes=150, viewers=1200))
    client = Client()
    client.force_login(vendor_pm)

    page = client.get(f"/orders/{kpi_order.pk}/kpi/2026-01/").content.decode()
    assert "1,200" in page and "2.5" in page  # not "—" until a report is entered

    workbook = load_workbook(
        io.BytesIO(client.get(f"/orders/{kpi_order.pk}/kpi/2026-01/report.xlsx").content)
    )
    values = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    live = [values[FIGURES.index(name)] for name in KpiReport.LIVE_FIGURES]
    # one session of 2 h 30 min (2.5 hours) with 1,200 viewers: one 场, and it qualifies
    assert live == [1, 2.5, 1200, 1]
    assert not KpiReport.objects.exists()


def test_editing_a_session_that_is_gone_is_not_found(kpi_order, vendor_pm):
    gone = live_session_save(order=kpi_order, data=data(date(2026, 1, 5))).pk
    LiveSession.objects.filter(pk=gone).delete()
    client = Client()
    client.force_login(vendor_pm)
    form = {"session": gone, "date": "2026-01-06", "platform": "douyin"}

    answer = client.post(
        f"/orders/{kpi_order.pk}/kpi/2026-01/sessions/", form | {"minutes": "130", "viewers": "9"}
    )

    assert answer.status_code == 404
    assert not LiveSession.objects.exists()


@pytest.fixture
def monthly_order(kpi_order):
    """The order, its contract switched to one settled by monthly logs."""
    FrameworkContract.objects.filter(pk=kpi_order.contract_id).update(
        settlement_mode=MONTHLY_LOG_MODES[0]
    )
    kpi_order.contract.refresh_from_db()
    return kpi_order


def test_an_order_not_fixed_price_keeps_no_live_sessions(monthly_order):
    with pytest.raises(KpiError, match="不属于固定总价合同"):
        live_session_save(order=monthly_order, data=data(date(2026, 1, 5)))
    assert not LiveSession.objects.exists()


def test_an_order_not_fixed_price_has_no_quarter_review(monthly_order, vendor_pm):
    with pytest.raises(KpiError):
        quarter_review_comment(order=monthly_order, quarter=1, actor=vendor_pm, comment="好")
    assert not monthly_order.quarter_reviews.exists()


def test_the_year_of_sessions_is_read_once(kpi_order, django_assert_num_queries):
    live_session_save(order=kpi_order, data=data(date(2026, 3, 30)))  # Monday of a week of April

    with django_assert_num_queries(1):
        summaries = months_summary(kpi_order, JANUARY, date(2027, 1, 1))

    assert len(summaries) == 12
    assert summaries[2].figures["live_sessions"] == 1
    # the week of Monday 30 March belongs to April (its Thursday): one session, below 3
    first = summaries[3].short_weeks[0]
    assert (first.monday, first.counted) == (date(2026, 3, 30), 1)
