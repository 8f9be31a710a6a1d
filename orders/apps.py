from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Commissioned orders")

    def ready(self):
        from archive import targets
        from archive.bundle import add_part
        from archive.models import Document
        from contracts.api import ContractViewSet
        from core.models import User
        from orders.api import ContractTerminateAction
        from orders.documents import contract_order_pdfs
        from orders.models import Acceptance, Order

        # The contract's `terminate/` gives a `Termination` of this app (orders.terminations).
        ContractViewSet.terminate = ContractTerminateAction.terminate

        # 附件6's attachments and any paper of the order: the buyer's procurement that
        # commissions it, and the vendor it was issued to, file them.
        targets.register(
            "order",
            Order,
            kinds=(Document.Kind.ORDER_ATTACHMENT, Document.Kind.ACCEPTANCE, Document.Kind.OTHER),
            writers=(User.Role.PROCUREMENT, User.Role.VENDOR_PM),
        )

        # The record of an acceptance (验收单), filed by procurement that accepts.
        targets.register(
            "acceptance",
            Acceptance,
            kinds=(Document.Kind.ACCEPTANCE, Document.Kind.OTHER),
            writers=(User.Role.PROCUREMENT,),
            contract="order__contract",
        )
        add_part(contract_order_pdfs)
