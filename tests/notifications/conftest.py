"""What the notification tests share: the finance, settlement and KPI fixtures, a local mail
server."""

import pytest

from tests.finance.books import november_books, signed_sheets  # noqa: F401
from tests.kpi.conftest import kpi_order  # noqa: F401  (seed 004's issued order)
from tests.notifications.stubs import SmtpStub
from tests.settlement.conftest import worked_example  # noqa: F401  (SPEC §3's worked example)


def smtp_at(settings, port: int):
    """Django's SMTP backend, pointed at a local port (the tests' locmem backend otherwise)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp(settings):
    """A local mail server that the portal's SMTP backend sends to."""
    with SmtpStub() as server:
        smtp_at(settings, server.port)
        yield server
