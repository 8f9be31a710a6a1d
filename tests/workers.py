"""Where the tests that start real Celery workers (`bench.workers`) send their tasks."""

from contextlib import contextmanager

from config.celery import app


@contextmanager
def routed(task, queue: str):
    """This process sends `task` to `queue` (where its parts follow it) while in the block."""
    routes = app.conf.task_routes
    app.conf.update(task_routes={**routes, task.name: {"queue": queue}})
    try:
        yield
    finally:
        app.conf.update(task_routes=routes)
