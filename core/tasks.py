"""What every task shares: it is retried only on errors that pass by themselves (the database
lost, restarted or in a deadlock), with a growing pause; any other error fails it at once."""

from django.db import InterfaceError, OperationalError

TRANSIENT = (OperationalError, InterfaceError)
RETRY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}
