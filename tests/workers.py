"""Real Celery workers for the tests that are about them (prefork, as in production, each on
its own queue and under its own name), and waiting for what they do."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager

from config.celery import app
from core.db import database_url


def until(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for: {what}")


def worker_of(queue: str, node: str) -> subprocess.Popen:
    """A prefork worker of its own queue, once it answers; in a process group of its own, so
    that a test may kill it whole (its pool processes with it)."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
         "--concurrency=1", f"--queues={queue}", f"--hostname={node}", "--loglevel=warning",
         "--without-gossip", "--without-mingle"],
        env={**os.environ, "DATABASE_URL": database_url()},
        start_new_session=True,
    )  # fmt: skip
    try:
        until(lambda: app.control.ping(destination=[node], timeout=0.5), "the worker answers")
    except AssertionError:
        worker.kill()
        raise
    return worker


@contextmanager
def routed(task, queue: str):
    """This process sends `task` to `queue` (where its parts follow it) while in the block."""
    routes = app.conf.task_routes
    app.conf.update(task_routes={**routes, task.name: {"queue": queue}})
    try:
        yield
    finally:
        app.conf.update(task_routes=routes)
