from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffingConfig(AppConfig):
    name = "staffing"
    verbose_name = _("Staffing")

    def ready(self):
        # Each person's confidentiality undertaking, kept in the archive (issue 21); the vendor
        # that registers its people files their papers.
        from archive.models import Document
        from archive.targets import register
        from core.models import User
        from staffing import reminders  # noqa: F401 (its deadlines in the daily reminders)
        from staffing.models import StaffMember

        kind = Document.Kind
        register(
            "staff",
            StaffMember,
            kinds=(kind.STAFF_CONFIDENTIALITY, kind.OTHER),
            expected=(kind.STAFF_CONFIDENTIALITY,),
            writers=(User.Role.VENDOR_PM,),
        )
