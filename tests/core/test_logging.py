"""Every unhandled error is logged with its request's id (also in the answer), the user's id and
the path; JSON lines in production; money actions at INFO."""

import json
import logging

import pytest
from django.urls import path

from core.logs import JsonFormatter, PlainFormatter, RequestContext
from tests.factories import UserFactory


def broken(request):
    raise ZeroDivisionError("a bug")


urlpatterns = [path("broken/", broken)]
handler500 = "core.views.server_error"


@pytest.mark.urls("tests.core.test_logging")
def test_an_unhandled_error_is_logged_with_its_request_user_and_path(client, db, caplog):
    user = UserFactory(username="unlucky")
    client.force_login(user)
    client.raise_request_exception = False
    caplog.handler.addFilter(RequestContext())

    answer = client.get("/broken/")

    assert answer.status_code == 500
    request_id = answer.headers["X-Request-ID"]
    assert len(request_id) == 32 and request_id in answer.content.decode()
    assert "a bug" not in answer.content.decode()
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert (record.request_id, record.user_id, record.path) == (request_id, user.pk, "/broken/")

    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["request_id"] == request_id
    assert line["user_id"] == user.pk and line["path"] == "/broken/"
    assert "ZeroDivisionError: a bug" in line["exception"]
    plain = PlainFormatter("%(levelname)s %(message)s").format(record)
    assert f"[request {request_id} user {user.pk} /broken/]" in plain


def test_every_answer_names_its_request(client, db):
    one, two = client.get("/login/"), client.get("/login/")
    assert one.headers["X-Request-ID"] != two.headers["X-Request-ID"]


def test_a_json_line_keeps_chinese_readable():
    record = logging.makeLogRecord({"msg": "签字 %s", "args": ("45,474.95",), "levelname": "INFO"})
    RequestContext().filter(record)
    assert json.loads(JsonFormatter().format(record))["message"] == "签字 45,474.95"
