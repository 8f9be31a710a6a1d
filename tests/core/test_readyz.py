"""/readyz with each part up, then each stopped in turn: the database, the broker, the worker,
beat. A part is stopped for real: its address made one nothing answers on (the database, the
broker), a broker no worker listens to, beat's heartbeat last run ten minutes ago."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from core.health import BEAT_SEEN, WORKER_SEEN
from core.tasks import beat_heartbeat_task
from tests.notifications.stubs import closed_port

needs_broker = pytest.mark.skipif(
    not settings.REDIS_URL, reason="without a broker (make run) there is none to stop"
)
# A Redis database no Celery worker of the tests listens to (they take 1 + their xdist number).
NO_WORKER_DB = 12


def readyz(client):
    response = client.get("/readyz")
    return response.status_code, {name: c["ok"] for name, c in response.json()["checks"].items()}


@pytest.mark.django_db
def test_ready_when_every_part_answers(client, celery_worker):
    cache.delete(WORKER_SEEN)
    # Run as beat sends it: by a worker (eagerly without a broker).
    beat_heartbeat_task.delay().get(timeout=60)
    assert readyz(client) == (
        200,
        {"database": True, "broker": True, "worker": True, "beat": True},
    )
    assert client.get("/healthz").content == b"ok"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_stopped(client):
    key, value = (
        ("NAME", "/nonexistent/portal.sqlite3")
        if connection.vendor == "sqlite"
        else ("PORT", str(closed_port()))
    )
    kept = connection.settings_dict[key]
    connection.close()
    connection.settings_dict[key] = value
    try:
        status, checks = readyz(client)
    finally:
        connection.settings_dict[key] = kept
        connection.close()
    assert (status, checks["database"]) == (503, False)


@needs_broker
@pytest.mark.django_db
def test_the_broker_stopped(client, monkeypatch):
    monkeypatch.setattr(settings, "REDIS_URL", f"redis://127.0.0.1:{closed_port()}/0")
    status, checks = readyz(client)
    assert status == 503
    assert checks == {"database": True, "broker": False, "worker": False, "beat": False}
    detail = client.get("/readyz").json()["checks"]["worker"]["detail"]
    assert detail == "the broker is down"


@needs_broker
@pytest.mark.django_db
def test_no_worker_answering(client, monkeypatch):
    cache.delete(WORKER_SEEN)
    cache.set(BEAT_SEEN, timezone.now())
    url = settings.REDIS_URL
    monkeypatch.setattr(settings, "REDIS_URL", f"{url.rsplit('/', 1)[0]}/{NO_WORKER_DB}")
    assert readyz(client) == (
        503,
        {"database": True, "broker": True, "worker": False, "beat": True},
    )


@needs_broker
@pytest.mark.django_db
def test_beat_silent_for_ten_minutes(client):
    cache.set(WORKER_SEEN, timezone.now())
    cache.set(BEAT_SEEN, timezone.now() - timedelta(minutes=10))
    response = client.get("/readyz")
    assert response.status_code == 503
    beat = response.json()["checks"]["beat"]
    assert beat["ok"] is False and beat["detail"].startswith("beat's heartbeat has not run since")


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="with a broker, the parts are checked")
@pytest.mark.django_db
def test_without_a_broker_the_tasks_run_in_the_web_process(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert (
        response.json()["checks"]["worker"]["detail"] == "no broker: tasks run in the web process"
    )
