"""Deployment checks, login lockout and API throttling."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from core.models import User
from tests.factories import UserFactory

PRODUCTION = {
    "DJANGO_PRODUCTION": "1",
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "portal.example.com",
}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    run = manage(
        "check", "--deploy", "--fail-level", "WARNING",
        **PRODUCTION, DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


@pytest.mark.parametrize("key", ["", "dev-only-insecure-key-change-me-in-production", "short"])
def test_production_refuses_to_start_without_a_real_secret(key):
    env = {**PRODUCTION, "DJANGO_SECRET_KEY": key}
    run = manage("check", **env)
    assert run.returncode != 0
    assert "DJANGO_SECRET_KEY must be a real secret" in run.stderr


def test_production_refuses_to_start_in_debug():
    env = {**PRODUCTION, "DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
    run = manage("check", **env)
    assert run.returncode != 0
    assert "DJANGO_DEBUG must be off in production" in run.stderr


def test_production_logs_json_lines_and_development_plain_text():
    show = "from django.conf import settings as s; print(s.LOGGING['handlers']['console'])"
    key = secrets.token_urlsafe(50)
    production = manage("shell", "-c", show, **PRODUCTION, DJANGO_SECRET_KEY=key)
    development = manage("shell", "-c", show, DJANGO_PRODUCTION="0")
    assert "'formatter': 'json'" in production.stdout, production.stderr
    assert "'formatter': 'plain'" in development.stdout, development.stderr


def test_the_development_defaults_fail_the_deploy_check():
    run = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_PRODUCTION="0")
    assert run.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in run.stderr + run.stdout


@pytest.fixture
def lockout_user(db):
    return UserFactory(username=f"lockout-{secrets.token_hex(4)}")


def test_the_login_page_locks_a_username_out_after_five_wrong_passwords(client, lockout_user):
    form = {"username": lockout_user.username, "password": "wrong"}
    for _ in range(5):
        page = client.post("/login/", form)
        assert "用户名或密码错误" in page.content.decode()
    right = {"username": lockout_user.username, "password": "secret-pass-1"}
    page = client.post("/login/", right)
    assert page.status_code == 200  # not logged in, even with the right password
    assert "登录失败次数过多，请 15 分钟后再试。" in page.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_token_endpoint_answers_429_when_locked_out(api, lockout_user):
    client = api()
    for _ in range(5):
        answer = client.post(
            "/api/v1/auth/token/", {"username": lockout_user.username, "password": "nope"}
        )
        assert answer.status_code == 400
    answer = client.post(
        "/api/v1/auth/token/", {"username": lockout_user.username, "password": "secret-pass-1"}
    )
    assert answer.status_code == 429
    assert "15" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"username": [None], "password": "x"}, "username"), (["caigou", "x"], "non_field_errors")],
)
def test_the_token_endpoint_refuses_a_malformed_body_with_a_400(api, db, body, field):
    answer = api().post("/api/v1/auth/token/", body, format="json")

    assert answer.status_code == 400
    assert list(answer.json()) == [field]


def test_a_right_password_forgets_earlier_failures(api, lockout_user):
    client = api()
    for _ in range(4):
        client.post("/api/v1/auth/token/", {"username": lockout_user.username, "password": "x"})
    right = {"username": lockout_user.username, "password": "secret-pass-1"}
    assert client.post("/api/v1/auth/token/", right).status_code == 200
    for _ in range(4):
        client.post("/api/v1/auth/token/", {"username": lockout_user.username, "password": "x"})
    assert client.post("/api/v1/auth/token/", right).status_code == 200


def test_the_api_throttles_each_user_at_its_rate(api, settings, buyer):
    settings.API_THROTTLE_RATES = {"user": "3/min", "anon": "3/min"}
    one = UserFactory(username=f"busy-{secrets.token_hex(4)}", role=User.Role.PROCUREMENT,
                      organization=buyer)  # fmt: skip
    other = UserFactory(username=f"calm-{secrets.token_hex(4)}", role=User.Role.PROCUREMENT,
                        organization=buyer)  # fmt: skip
    try:
        answers = [api(one).get("/api/v1/contracts/").status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
        assert api(other).get("/api/v1/contracts/").status_code == 200
    finally:
        cache.delete_many([f"throttle_user_{one.pk}", f"throttle_user_{other.pk}"])


def test_made_up_names_from_one_address_lock_out_nobody(client, lockout_user):
    """Behind a reverse proxy every user comes from one address: failures under other names
    must not lock out a user who has had none."""
    for number in range(60):
        client.post("/login/", {"username": f"nobody-{number}", "password": "wrong"})
    right = {"username": lockout_user.username, "password": "secret-pass-1"}
    assert client.post("/login/", right).status_code == 302
    assert client.session["_auth_user_id"] == str(lockout_user.pk)


def test_the_lockout_follows_the_username_from_any_address(client, lockout_user):
    for number in range(5):
        wrong = {"username": lockout_user.username, "password": "wrong"}
        client.post("/login/", wrong, REMOTE_ADDR=f"10.0.0.{number + 1}")
    right = {"username": lockout_user.username, "password": "secret-pass-1"}
    page = client.post("/login/", right, REMOTE_ADDR="10.9.9.9")
    assert "登录失败次数过多，请 15 分钟后再试。" in page.content.decode()
    assert "_auth_user_id" not in client.session


def an_address():
    """An address of this test alone: the throttles count in the shared cache."""
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250)}"


def test_a_forwarded_for_header_from_an_untrusted_client_is_ignored(api, settings, db):
    settings.API_THROTTLE_RATES = {"user": None, "anon": None, "login": "3/min"}
    address = an_address()
    answers = [
        api()
        .post("/api/v1/auth/token/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
        .status_code
        for n in range(4)
    ]
    assert answers == [400, 400, 400, 429]


def test_behind_a_trusted_proxy_clients_are_told_apart_by_its_header(api, settings, db):
    settings.API_THROTTLE_RATES = {"user": None, "anon": None, "login": "1/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy, clients = an_address(), [an_address() for _ in range(3)]

    def get(client):
        return api().post("/api/v1/auth/token/", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=client)

    assert [get(client).status_code for client in clients] == [400, 400, 400]
    assert get(clients[0]).status_code == 429


def test_the_token_endpoint_has_a_rate_of_its_own_whatever_the_username(api, settings, db):
    settings.API_THROTTLE_RATES = {"user": None, "anon": None, "login": "3/min"}
    address = an_address()
    answers = [
        api()
        .post(
            "/api/v1/auth/token/", {"username": f"guess-{n}", "password": "x"}, REMOTE_ADDR=address
        )
        .status_code
        for n in range(4)
    ]
    assert answers == [400, 400, 400, 429]


def test_every_page_has_a_content_security_policy(client, procurement):
    client.force_login(procurement)
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


# An inline script or handler (onclick=, onsubmit=, …) would be refused by the policy above.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=", re.IGNORECASE)


def test_no_page_template_runs_inline_script():
    templates = Path(django_settings.BASE_DIR) / "templates"
    offenders = [
        f"{path.relative_to(templates)}: {match.group()}"
        for path in templates.rglob("*.html")
        for match in INLINE_SCRIPT.finditer(path.read_text())
    ]
    assert offenders == []


def test_the_api_docs_come_from_the_portal_not_a_cdn(client, procurement):
    client.force_login(procurement)
    page = client.get("/api/v1/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(source.startswith("/") for source in sources), sources
    assert any("drf_spectacular_sidecar/swagger-ui-dist" in source for source in sources)
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
