from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Who is told what, and how (SPEC §8): the apps above hand work from one role to another
    and call `notify` for it; each day's reminders come from every app's `reminders.py`, which
    registers them here as `todos.py` registers to-dos. It sits just above core, so every app
    may tell someone something; core's own events (a new payee account) are received here."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from core.models import BankAccountChange
        from notifications.receivers import bank_account_change_submitted

        post_save.connect(
            bank_account_change_submitted,
            sender=BankAccountChange,
            dispatch_uid="notifications.bank_account_change_submitted",
        )

        from core.metrics import add_figures
        from notifications import metrics

        add_figures(metrics.figures)
