"""The database a process of ours (a Celery worker, a server) is to open, as a URL."""

from django.db import connection


def database_url() -> str:
    """The current connection's database (the test database under tests and `make bench`)."""
    database = connection.settings_dict
    return (
        f"postgres://{database['USER']}:{database['PASSWORD'] or ''}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
