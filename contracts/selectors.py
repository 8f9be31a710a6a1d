from django.db.models import Prefetch
from django.utils.translation import gettext as _

from contracts.models import FrameworkContract, RateCardLine, TaxRate
from core.history import history_entries


def contract_list(*, user):
    return (
        FrameworkContract.objects.visible_to(user)
        .select_related("buyer", "vendor")
        .prefetch_related("tax_rates")
    )


def contract_detail_queryset(*, user):
    return contract_list(user=user).prefetch_related(
        Prefetch("rate_card_lines", queryset=RateCardLine.objects.order_by("position", "id"))
    )


def contract_history(contract: FrameworkContract):
    """The contract's changes with those of its tax rates and rate card."""
    return history_entries(
        contract,
        parts=[
            (TaxRate.history.filter(contract_id=contract.pk), lambda r: _("Tax rate %s") % r.rate),
            (RateCardLine.history.filter(contract_id=contract.pk), lambda r: f"{r.role} {r.level}"),
        ],
    )
