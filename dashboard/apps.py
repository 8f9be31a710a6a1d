from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """Each role's to-do list on the home page, read from what every app registers."""

    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        # Each app's `todos.py` registers its to-dos with core.todos, as `admin.py` does with
        # the admin site.
        autodiscover_modules("todos")
