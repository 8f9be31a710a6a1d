"""Every date the portal asks for is a browser date picker holding an ISO date (issue 19): the
Chinese locale's first input format (2026/12/15) was rendered into <input type="date">, which
the picker shows as empty, so an edit form saved unchanged lost its dates and was refused.
Each edit form is read as the browser gets it and posted back unchanged."""

import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from assessment.models import Assessment, Indicator
from assessment.services import assessment_open, assessment_save
from contracts.models import FrameworkContract
from core.calendar import Holiday, calendar_publish
from core.models import CalendarYear, User
from orders.models import Order
from settlement.models import SettlementSheet

pytestmark = pytest.mark.django_db

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_NAMES = re.compile(r"(date|_on|_start|_end|_day|effective_from)$")


class Forms(HTMLParser):
    """The page's forms as a browser would post them: [(action, [(name, value, type)])]."""

    def __init__(self, html):
        super().__init__()
        self.forms, self.select, self.textarea = [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append((attrs.get("action") or "", []))
        elif not self.forms:
            return
        fields = self.forms[-1][1]
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                fields.append((attrs["name"], attrs.get("value") or "", kind))
        elif tag == "select":
            self.select = [attrs.get("name"), None, None]  # name, first, selected
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            self.select[1] = value if self.select[1] is None else self.select[1]
            if "selected" in attrs:
                self.select[2] = value
        elif tag == "textarea":
            self.textarea = [attrs.get("name"), ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            name, first, selected = self.select
            self.forms[-1][1].append((name, selected if selected is not None else first, "select"))
            self.select = None
        elif tag == "textarea" and self.textarea:
            # The parser drops the newline right after <textarea> as a browser does.
            self.forms[-1][1].append((self.textarea[0], self.textarea[1].removeprefix("\n"), ""))
            self.textarea = None


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def date_inputs(html):
    return [
        (name, value, kind)
        for _action, fields in Forms(html).forms
        for name, value, kind in fields
        if kind == "date" or (kind in ("text", "") and DATE_NAMES.search(name))
    ]


def form_with(html, name):
    """The data of the page's form that holds the field `name`, as the browser posts it."""
    for _action, fields in Forms(html).forms:
        if any(field == name for field, _value, _kind in fields):
            data = {}
            for field, value, _kind in fields:
                data.setdefault(field, []).append(value)
            return data
    raise AssertionError(f"no form with {name}")


def as_user(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def demo():
    call_command("load_demo", stdout=io.StringIO())


def test_every_date_field_on_every_page_is_an_iso_date_picker(demo):
    """Each page with a date to type, as the user who types it: only pickers, only ISO values."""
    draft = Order.objects.get(number="MGYY-2026-003-002")
    issued = Order.objects.get(number="MGYY-2026-003-001")
    contract = FrameworkContract.objects.get(code="MGYY-2026-003")
    sheet = SettlementSheet.objects.filter(order=issued).first()
    member = contract.staff.first()
    pages = {
        "caigou": [
            f"/orders/{draft.pk}/edit/",
            "/orders/new/",
            "/contracts/new/",
            f"/contracts/{contract.pk}/",
            f"/contracts/{contract.pk}/staff/",
            f"/orders/{issued.pk}/assessment/2026-12/",
            "/calendar/2027/",
            f"/settlements/{sheet.pk}/",
        ],
        "yunqi_pm": [
            f"/contracts/{contract.pk}/staff/",
            f"/staff/{member.pk}/",
            f"/settlements/{sheet.pk}/",
        ],
        "caiwu": [f"/settlements/{sheet.pk}/"],
    }
    seen = 0
    for username, urls in pages.items():
        client = as_user(username)
        for url in urls:
            for name, value, kind in date_inputs(page(client, url)):
                assert kind == "date", (url, name, kind)
                assert value == "" or ISO.fullmatch(value), (url, name, value)
                seen += 1
    assert seen >= 10


def test_the_order_edit_form_saved_unchanged_keeps_its_dates_and_changes_nothing(demo):
    order = Order.objects.get(number="MGYY-2026-003-002")
    client = as_user("caigou")
    html = page(client, f"/orders/{order.pk}/edit/")
    data = form_with(html, "service_start")
    assert (data["service_start"], data["service_end"]) == (["2026-12-01"], ["2026-12-31"])
    before = Order.history.filter(id=order.pk).count()

    response = client.post(f"/orders/{order.pk}/edit/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    saved = Order.objects.get(pk=order.pk)
    assert (saved.service_start, saved.service_end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert saved.planned_amount == order.planned_amount
    assert Order.history.filter(id=order.pk).count() == before


def test_the_calendar_notice_saved_unchanged_keeps_its_date(demo):
    calendar_publish(
        number=2027,
        holidays=[Holiday(date(2027, 1, 1), date(2027, 1, 1), "元旦")],
        workdays=[],
        notice_number="国办发明电〔2026〕9号",
        notice_date=date(2026, 11, 28),
        reason="首次发布",
        actor=User.objects.get(username="caigou"),
    )
    client = as_user("caigou")
    data = form_with(page(client, "/calendar/2027/"), "notice_date")
    assert data["notice_date"] == ["2026-11-28"]

    response = client.post("/calendar/2027/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert CalendarYear.objects.get(year=2027).notice_date == date(2026, 11, 28)


def test_an_assessments_incidents_saved_unchanged_keep_their_dates(demo):
    order = Order.objects.get(number="MGYY-2026-003-001")
    complaint = Indicator.objects.get(
        category__template=order.contract.assessment_template, code="complaint"
    )
    assessment_save(
        assessment=assessment_open(order=order, month=date(2026, 12, 1)),
        entries=[],
        incidents=[{"indicator": complaint.pk, "date": date(2026, 12, 15), "description": "投诉"}],
    )
    client = as_user("caigou")
    url = f"/orders/{order.pk}/assessment/2026-12/"
    data = form_with(page(client, url), "incident-0-date")
    assert data["incident-0-date"] == ["2026-12-15"]

    response = client.post(url, {**data, "save": ""})

    assert response.status_code == 302, response.content.decode()[:3000]
    incident = Assessment.objects.get(order=order, month=date(2026, 12, 1)).incidents.get()
    assert (incident.date, incident.description) == (date(2026, 12, 15), "投诉")
