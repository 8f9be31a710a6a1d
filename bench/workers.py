"""Celery workers started for a measurement or a test: prefork, one process each, on a queue of
their own and under their own names, against the current database."""

import os
import subprocess
import sys
import time

from config.celery import app
from core.db import database_url


def until(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    raise AssertionError(f"waited {seconds} s for: {what}")


def worker_of(queue: str, node: str, **env) -> subprocess.Popen:
    """A prefork worker of its own queue, once it answers; in a process group of its own, so
    that a test may kill it whole (its pool processes with it)."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=prefork",
         "--concurrency=1", f"--queues={queue}", f"--hostname={node}", "--loglevel=warning",
         "--without-gossip", "--without-mingle"],
        env={**os.environ, "DATABASE_URL": database_url(), **env},
        start_new_session=True,
    )  # fmt: skip
    try:
        until(lambda: app.control.ping(destination=[node], timeout=0.5), "the worker answers")
    except AssertionError:
        worker.kill()
        raise
    return worker


def stop(workers) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)
