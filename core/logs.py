"""What the portal logs: every unhandled error and every money action, each line with the
request it came from (its id, also sent back in the X-Request-ID header, the user's id and the
path). JSON lines in production, plain text in development (settings.LOGGING)."""

import json
import logging
from contextvars import ContextVar

from django.db import transaction

current_request = ContextVar("current_request", default=None)

money = logging.getLogger("portal.money")

# A LogRecord's own attributes; any other one came as `extra` and is printed with the line.
_RECORD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
CONTEXT = ("request_id", "user_id", "path")


def money_action(action: str, *, amount, actor=None, **references) -> None:
    """Log who moved which money, once its transaction has committed (a rolled-back one moved
    nothing)."""
    details = {"action": action, "amount": str(amount), **references}
    if actor is not None:
        details["actor_id"] = actor.pk
    transaction.on_commit(
        lambda: money.info(
            "%s %s %s",
            action,
            amount,
            " ".join(f"{k}={v}" for k, v in references.items()),
            extra={"money": details},
        )
    )


def _user_id(request):
    try:
        user = request.user
        return user.pk if user.is_authenticated else None
    except Exception:  # no user yet, or the database that would tell it is what failed
        return None


class RequestContext(logging.Filter):
    """Adds the current request's id, user id and path to every record."""

    def filter(self, record):
        request = current_request.get()
        record.request_id = getattr(request, "id", None)
        record.user_id = _user_id(request) if request is not None else None
        record.path = request.path if request is not None else None
        return True


class PlainFormatter(logging.Formatter):
    def format(self, record):
        text = super().format(record)
        request_id = getattr(record, "request_id", None)
        if request_id is None:
            return text
        return f"{text} [request {request_id} user {record.user_id} {record.path}]"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's context, any
    `extra`, and the traceback of an error."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update((key, value) for key, value in vars(record).items() if key not in _RECORD)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
