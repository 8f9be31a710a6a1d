from django.db.models import Prefetch

from contracts.models import FrameworkContract, RateCardLine


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
