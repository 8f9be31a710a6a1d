from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Framework contracts")

    def ready(self):
        # The contract's papers, kept in the archive beneath it (issue 21).
        from archive.models import Document
        from archive.targets import register
        from contracts import reminders  # noqa: F401 (its deadlines in the daily reminders)
        from contracts.models import FrameworkContract
        from core.models import User

        kind = Document.Kind
        register(
            "contract",
            FrameworkContract,
            kinds=(
                kind.SIGNED_CONTRACT,
                kind.AMENDMENT,
                kind.TECHNICAL_SPEC,
                kind.INTEGRITY,
                kind.CONFIDENTIALITY,
                kind.OTHER,
            ),
            writers=(User.Role.PROCUREMENT,),
            contract="pk",
        )
