"""`/readyz`: whether the portal can do its work, part by part (README, Operations): the
database answers, the broker answers, a Celery worker answered a ping lately, and beat's
heartbeat ran lately. `/healthz` stays the cheap liveness probe.

Without a broker (`make run`: tasks run in the web process) there is no broker, worker or beat
to check: each says so and counts as ready."""

from datetime import timedelta

import redis
from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

WORKER_SEEN = "health:worker-seen"
BEAT_SEEN = "health:beat-seen"
WORKER_WITHIN = timedelta(minutes=3)  # a worker's ping answer counts this long
BEAT_WITHIN = timedelta(minutes=3)  # beat sends its heartbeat every minute
TIMEOUT = 1.0  # seconds a part may take to answer


def readiness() -> dict:
    """Each part's check: {"ok": bool, "detail": what was found}."""
    checks = {"database": _database()}
    if not settings.REDIS_URL:
        eager = {"ok": True, "detail": "no broker: tasks run in the web process"}
        return checks | {"broker": _up("none configured"), "worker": eager, "beat": eager}
    checks["broker"] = _broker()
    checks["worker"] = _worker() if checks["broker"]["ok"] else _down("the broker is down")
    checks["beat"] = _beat() if checks["broker"]["ok"] else _down("the broker is down")
    return checks


def _up(detail: str) -> dict:
    return {"ok": True, "detail": detail}


def _down(detail: str) -> dict:
    return {"ok": False, "detail": detail}


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:
        connection.close()  # the next request connects anew
        return _down(f"{type(error).__name__}: {error}".strip())
    return _up(connection.vendor)


def _broker() -> dict:
    try:
        redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=TIMEOUT, socket_timeout=TIMEOUT
        ).ping()
    except redis.RedisError as error:
        return _down(f"{type(error).__name__}: {error}")
    return _up("redis")


def _worker() -> dict:
    """A worker's answer to a ping is kept a few minutes, so that a probe every few seconds
    does not ping every time, and a worker busy for a moment is not reported down."""
    seen = cache.get(WORKER_SEEN)
    now = timezone.now()
    if seen is None or now - seen > WORKER_WITHIN:
        with current_app.connection_for_write(settings.REDIS_URL) as broker:
            answers = current_app.control.ping(timeout=TIMEOUT, connection=broker)
        if answers:
            seen = now
            cache.set(WORKER_SEEN, seen, timeout=None)
    if seen is None or now - seen > WORKER_WITHIN:
        return _down(_since("no worker answered a ping", seen))
    return _up(f"a worker answered at {timezone.localtime(seen):%Y-%m-%d %H:%M:%S}")


def _beat() -> dict:
    seen = cache.get(BEAT_SEEN)
    if seen is None or timezone.now() - seen > BEAT_WITHIN:
        return _down(_since("beat's heartbeat has not run", seen))
    return _up(f"heartbeat at {timezone.localtime(seen):%Y-%m-%d %H:%M:%S}")


def _since(what: str, seen) -> str:
    if seen is None:
        return what
    return f"{what} since {timezone.localtime(seen):%Y-%m-%d %H:%M:%S}"


def beat_heartbeat() -> None:
    """Sent by beat every minute and run by a worker: the beat (and a worker) are alive."""
    cache.set(BEAT_SEEN, timezone.now(), timeout=None)
