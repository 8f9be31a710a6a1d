from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklogsConfig(AppConfig):
    name = "worklogs"
    verbose_name = _("Person-day logs")
