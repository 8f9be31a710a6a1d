from decimal import Decimal

from django.db.models import F, Prefetch
from django.utils.translation import gettext as _

from archive.models import Document
from archive.selectors import documents_of
from contracts.kinds import MONTHLY_LOG_MODES
from contracts.models import Amendment, AmendmentLine, FrameworkContract, RateCardLine, TaxRate
from core.history import history_entries


def contract_list(*, user):
    return (
        FrameworkContract.objects.visible_to(user)
        .select_related("buyer", "vendor")
        .prefetch_related("tax_rates")
    )


def contracts_past_share(contracts, share: Decimal):
    """Of `contracts`, the active ones whose settled and committed amounts reach `share` of
    the ceiling. A fixed-price contract is wholly committed by design: only the contracts whose
    orders log their work month by month raise a ceiling alert."""
    return contracts.filter(
        status=FrameworkContract.Status.ACTIVE,
        settlement_mode__in=MONTHLY_LOG_MODES,
        settled_total__gte=F("ceiling_incl_tax") * share - F("committed_total"),
    )


def signed_copy_missing(contract: FrameworkContract) -> bool:
    """Its buyer takes a contract into effect only with the signed copy in the archive, and
    the copy is not there yet."""
    return (
        contract.buyer.requires_signed_contract
        and not documents_of(contract).filter(kind=Document.Kind.SIGNED_CONTRACT).exists()
    )


def contract_detail_queryset(*, user):
    return contract_list(user=user).prefetch_related(
        Prefetch("rate_card_lines", queryset=RateCardLine.objects.order_by("position", "id"))
    )


def contract_history(contract: FrameworkContract):
    """The contract's changes with those of its tax rates, rate card and amendments."""
    return history_entries(
        contract,
        parts=[
            (TaxRate.history.filter(contract_id=contract.pk), lambda r: _("Tax rate %s") % r.rate),
            (RateCardLine.history.filter(contract_id=contract.pk), lambda r: f"{r.role} {r.level}"),
            (
                Amendment.history.filter(contract_id=contract.pk),
                lambda r: _("Amendment %(number)s") % {"number": r.number},
            ),
        ],
    )


def _line_label(record) -> str:
    """A price change or an added line of an amendment, by the rate-card line it concerns."""
    line = record.rate_card_line
    return str(line) if line else f"{record.role} {record.level}".strip()


def amendment_history(amendment):
    """An amendment's changes with those of its price changes and added lines."""
    return history_entries(
        amendment,
        parts=[(AmendmentLine.history.filter(amendment_id=amendment.pk), _line_label)],
    )
