from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Who is told what, and how (SPEC §8): the apps above hand work from one role to another
    and call `notify` for it; each day's reminders come from every app's `reminders.py`, which
    registers them here as `todos.py` registers to-dos. It sits just above core, so every app
    may tell someone something."""

    name = "notifications"
    verbose_name = _("Notifications")
