from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Each role's to-do list on the home page; it reads every other app."""

    name = "dashboard"
    verbose_name = _("Dashboard")
