"""Deployment checks, login lockout and API throttling."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from core.auth import _keys
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


def test_the_development_defaults_fail_the_deploy_check():
    run = manage("check", "--deploy", "--fail-level", "WARNING", DJANGO_PRODUCTION="0")
    assert run.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in run.stderr + run.stdout


@pytest.fixture
def lockout_user(db):
    user = UserFactory(username=f"lockout-{secrets.token_hex(4)}")
    yield user
    request = type("Request", (), {"META": {"REMOTE_ADDR": "127.0.0.1"}})()
    cache.delete_many([key for key, _limit in _keys(request, user.username)])


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
