"""How each kind of indicator scores (SPEC §5): Decimal, to the hundredth half-up, never
below 0, never above its maximum."""

from dataclasses import dataclass
from decimal import Decimal

from assessment.models import Indicator
from core.money import quantize

Kind = Indicator.Kind
ZERO = Decimal(0)


@dataclass
class Figures:
    value: Decimal | None = None
    count: int = 0
    actual: Decimal | None = None
    target: Decimal | None = None  # a KPI period's baseline, in place of the indicator's own


def indicator_score(indicator: Indicator, figures: Figures) -> Decimal:
    top = indicator.max
    target = indicator.target if figures.target is None else figures.target
    if indicator.kind in (Kind.MANUAL, Kind.BONUS) and target is None:
        points = figures.value or ZERO
    elif indicator.kind == Kind.BONUS:  # a threshold bonus: the points once the target is beaten
        points = top if (figures.actual or ZERO) > target else ZERO
    elif indicator.kind == Kind.DEDUCTION:
        points = top - indicator.per_unit * figures.count
    elif indicator.kind == Kind.SHORTFALL:
        points = top - indicator.per_unit * max(target - (figures.actual or ZERO), ZERO)
    elif indicator.kind == Kind.RATIO:
        points = top * min((figures.actual or ZERO) / target, Decimal(1))
    else:  # share of qualifying events
        points = top * Decimal(figures.count) / figures.actual if figures.actual else ZERO
    return quantize(min(max(points, ZERO), top))
