"""A framework contract's ceiling running out and its term ending (SPEC §8), each step told
once: at 80 % and 90 % of the ceiling settled or committed, 60 and 30 days before its end."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contracts.models import FrameworkContract
from contracts.selectors import contracts_past_share
from core.models import User
from notifications.reminders import Recipients, Reminder, register

CEILING_STEPS = (90, 80)  # per cent, highest first
ENDING_STEPS = (30, 60)  # days before the end date, nearest first


def _url(contract) -> str:
    return reverse("contract-detail", args=[contract.pk])


@register
def ceilings_used(today):
    """Only the highest step reached is told: a contract found past 90 % is not told of 80 %.
    The key holds the ceiling, so an amendment that raises it arms the steps again."""
    people = Recipients()
    told = set()
    for percent in CEILING_STEPS:
        share = Decimal(percent) / 100
        for contract in contracts_past_share(FrameworkContract.objects.all(), share):
            if contract.pk in told:
                continue
            told.add(contract.pk)
            yield Reminder(
                "ceiling_used",
                people(contract.buyer_id, User.Role.PROCUREMENT, User.Role.FINANCE),
                _(
                    "Contract %(contract)s has settled or committed %(percent)s%% of its ceiling "
                    "of %(ceiling)s yuan (as of %(day)s)."
                ),
                key=f"ceiling_used:{contract.pk}:{contract.ceiling_incl_tax}:{percent}",
                url=_url(contract),
                params={
                    "contract": str(contract),
                    "percent": str(percent),
                    "ceiling": f"{contract.ceiling_incl_tax:,.2f}",
                    "day": str(today),
                },
            )


@register
def contracts_ending(today):
    """The key holds the end date, so an amendment that extends the term arms the steps
    again."""
    people = Recipients()
    ending = FrameworkContract.objects.filter(
        status=FrameworkContract.Status.ACTIVE,
        end_date__range=(today, today + timedelta(days=max(ENDING_STEPS))),
    )
    for contract in ending:
        step = next(days for days in ENDING_STEPS if contract.end_date <= today + timedelta(days))
        yield Reminder(
            "contract_ending",
            people(contract.buyer_id, User.Role.PROCUREMENT)
            + people(contract.vendor_id, User.Role.VENDOR_PM),
            _("Contract %(contract)s ends on %(day)s."),
            key=f"contract_ending:{contract.pk}:{contract.end_date}:{step}",
            url=_url(contract),
            params={"contract": str(contract), "day": str(contract.end_date)},
        )
