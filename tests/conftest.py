import io
from datetime import datetime, time

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import User
from settlement import list_cache
from tests.factories import BuyerFactory, ContractFactory, OrganizationFactory, UserFactory


@pytest.fixture(autouse=True)
def no_api_throttling(settings):
    """Throttling counts requests per user in the cache across tests; the tests about it
    set their own rates."""
    settings.API_THROTTLE_RATES = {"user": None, "anon": None, "login": None}


@pytest.fixture(autouse=True)
def new_sheet_list_version():
    """A test's rolled-back ids come again in the next: a page of sheets one kept in the cache
    (settlement.list_cache) is not answered in another."""
    cache.delete(list_cache.VERSION)


@pytest.fixture
def buyer(db):
    return BuyerFactory(name="咪咕音乐有限公司")


@pytest.fixture
def vendor(db):
    return OrganizationFactory(name="甲供应商有限公司")


@pytest.fixture
def other_vendor(db):
    return OrganizationFactory(name="乙供应商有限公司")


@pytest.fixture
def procurement(buyer):
    return UserFactory(username="caigou", role=User.Role.PROCUREMENT, organization=buyer)


@pytest.fixture
def finance(buyer):
    return UserFactory(username="caiwu", role=User.Role.FINANCE, organization=buyer)


@pytest.fixture
def vendor_pm(vendor):
    return UserFactory(username="pm", role=User.Role.VENDOR_PM, organization=vendor)


@pytest.fixture
def other_vendor_pm(other_vendor):
    return UserFactory(username="pm2", role=User.Role.VENDOR_PM, organization=other_vendor)


@pytest.fixture
def contract(buyer, vendor):
    return ContractFactory(buyer=buyer, vendor=vendor)


@pytest.fixture
def other_contract(buyer, other_vendor):
    return ContractFactory(buyer=buyer, vendor=other_vendor)


@pytest.fixture
def eager(monkeypatch):
    """Tasks run in-process even with a broker configured (REDIS_URL), as under `make run`."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def api():
    """api(user) → a REST client logged in as that user (anonymous without one)."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


def pytest_sessionfinish(session):
    """Django deletes the SQLite test database at the end; its WAL and shared-memory files,
    still held then by the live server's and the race tests' threads, are deleted here."""
    from pathlib import Path

    from django.conf import settings

    name = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") and name:
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


def pytest_report_header(config):
    from django.conf import settings

    broker = "redis" if settings.REDIS_URL else "eager (no broker)"
    return f"database: {settings.DATABASES['default']['ENGINE']}; celery: {broker}"


@pytest.fixture
def active_contract(contract):
    """The vendor's contract with a priced rate card, active."""
    from contracts.services import contract_activate
    from tests.factories import rate_card

    rate_card(contract)
    return contract_activate(contract=contract)


@pytest.fixture
def other_active_contract(other_contract):
    from contracts.services import contract_activate
    from tests.factories import rate_card

    rate_card(other_contract)
    return contract_activate(contract=other_contract)


@pytest.fixture(scope="session")
def worker_mail_port():
    """The local port the test worker mails to (its EMAIL_URL, fixed when it starts): a test
    that wants its mails listens there (tests/notifications/stubs.SmtpStub); otherwise they
    fail and are retried, as with a mail server that is down."""
    from tests.notifications.stubs import closed_port

    return closed_port()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, django_db_blocker, worker_mail_port):
    """A real Celery worker on the test database when a broker is configured (CI: Redis);
    without one, tasks run eagerly in-process and no worker is needed. Prefork, as in
    production: a busy solo worker answers nobody, and its task would show as interrupted."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    from config.celery import app
    from core.db import database_url

    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield None
        return
    app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--queues=celery,money,pdf",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
        ],
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "EMAIL_URL": f"smtp://127.0.0.1:{worker_mail_port}",
        },
    )
    try:
        for _ in range(60):
            if app.control.ping(timeout=0.5):
                break
        yield worker
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def wait_for_task(client, task_id, seconds=60):
    """Polls GET tasks/<id>/ as a client would, until the task has ended (or was interrupted)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        task = client.get(f"/api/v1/tasks/{task_id}/").json()
        if task["state"] in ("SUCCESS", "FAILURE", "INTERRUPTED"):
            return task
        time.sleep(0.2)
    raise AssertionError(f"task {task_id} did not finish in {seconds} s")


@pytest.fixture
def clock(monkeypatch):
    """clock(day): the portal's clock reads 10:00 that day (Asia/Shanghai), and runs on."""
    real_now = timezone.now

    def set_to(day):
        start = datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())
        pinned = real_now()
        monkeypatch.setattr(timezone, "now", lambda: start + (real_now() - pinned))

    return set_to


@pytest.fixture
def demo_users(db):
    """The demo loaded (all five seed contracts), its users by username."""
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    return {user.username: user for user in User.objects.all()}
