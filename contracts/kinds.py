"""The three ways a contract pays (SPEC §3; seeds 000–004), said once.

Each later app keeps its own small strategies keyed by `FrameworkContract.settlement_mode`
(`worklogs.kinds`, `settlement.kinds`, ...) and looks them up; nobody branches on the mode.
"""

from dataclasses import dataclass

from contracts.models import FrameworkContract, RateCardLine

Mode = FrameworkContract.SettlementMode


@dataclass(frozen=True)
class PaymentMode:
    """What a settlement mode means to the contract: the unit its rate card prices, how its
    orders report (a monthly log, or KPI reports paid by milestone: then accepted by
    milestone, else by month), and whether the buyer signs a sheet only once procurement has
    accepted what it pays for (验收: 002's deliveries, 004's milestones); `team_planned`:
    its orders plan people by the day, so its team is held to that plan (3.2.1–3.2.2)."""

    unit: str
    monthly_log: bool
    acceptance_required: bool
    team_planned: bool = False


MODES = {
    Mode.PERSON_DAY: PaymentMode(RateCardLine.Unit.PERSON_DAY, True, False, team_planned=True),
    Mode.PER_ITEM: PaymentMode(RateCardLine.Unit.ITEM, True, True),
    Mode.FIXED_MILESTONE: PaymentMode(RateCardLine.Unit.LUMP_SUM, False, True),
}

# The modes whose orders report a log every month (the others report KPIs).
MONTHLY_LOG_MODES = [mode for mode, kind in MODES.items() if kind.monthly_log]
