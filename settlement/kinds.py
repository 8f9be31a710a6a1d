"""The kinds of settlement sheet, one strategy each (a registry keyed by the sheet's kind).

A kind says what its sheet rests on: its lines, its score, the evidence the vendor's
confirmation freezes (and the signature holds), how that confirmation brings the sheet up to
date, what signing it settles, and how its page and its PDF (附件7) show it. The services, the
page and the PDF ask `sheet.basis`; nothing else tells the kinds apart, so adding a kind is
adding a class here. A month of work counts its log in the unit of the contract's settlement
mode (`MONTH_LOGS`).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import Assessment
from contracts.kinds import MODES
from contracts.models import FrameworkContract
from kpi.services import kpi_period
from orders.models import Acceptance
from settlement import services
from settlement.models import SettlementSheet
from worklogs.models import DeliveryLine, WorkLog, WorkLogLine

Kind = SettlementSheet.Kind
Mode = FrameworkContract.SettlementMode
HUNDRED = services.HUNDRED


def _person_days(log_ids) -> Iterable[tuple]:
    """(log, role, level, days) summed over the logs' staff."""
    return (
        WorkLogLine.objects.filter(log_id__in=log_ids)
        .values_list("log_id", "role", "level")
        .annotate(total=Sum("days"))
        .order_by()
    )


def _pieces(log_ids) -> Iterable[tuple]:
    """(log, item, no level, pieces) delivered (002)."""
    return (
        (log_id, item, "", total)
        for log_id, item, total in DeliveryLine.objects.filter(log_id__in=log_ids)
        .values_list("log_id", "item")
        .annotate(total=Sum("quantity"))
        .order_by()
    )


@dataclass(frozen=True)
class MonthLog:
    """How a month's log is counted under one settlement mode, and how 附件7 prints it."""

    quantities: Callable[[list[int]], Iterable[tuple]]
    pdf_template: str
    formula: str
    nothing_logged: str


MONTH_LOGS = {
    Mode.PERSON_DAY: MonthLog(
        _person_days,
        "settlement/pdf/person_days.html",
        "当月单订单应支付金额 = 实际人天 × 合同人天单价 × 当月考核得分 / 100",
        "本月无人天记录。",
    ),
    Mode.PER_ITEM: MonthLog(
        _pieces,
        "settlement/pdf/pieces.html",
        "当月单订单应支付金额 = Σ 交付数量 × 合同单价 × 当月考核得分 / 100",
        "本月无交付记录。",
    ),
}


def _printed_log(contract) -> MonthLog:
    """The table 附件7 prints a month's lines in: the contract's own; an adjustment of a
    milestone, which has no log, prints the person-day table empty, with its reason."""
    return MONTH_LOGS.get(contract.settlement_mode, MONTH_LOGS[Mode.PERSON_DAY])


class SheetKind:
    """What every kind answers; the defaults are those of a sheet that pays for work done."""

    kind: str
    page_template = "settlement/month_computation.html"
    title_suffix = ""
    # The badge beside the order's number on the list of sheets.
    list_badge = ""
    # The 类型 column of the ledger's export.
    ledger_label = "月度"
    # Whether a signed sheet of the kind is corrected by an adjustment sheet.
    adjustable = True
    # Whether signing it moves what was already settled (the ledger's kind of entry).
    adjusts = False
    # Whether 附件7 lists every indicator of its score, or only those that lost points.
    prints_every_entry = False
    # Whether it offsets the contract's decided penalties and refunds (SPEC §9) as it is
    # computed: a sheet that pays for work does; an adjustment only corrects another.
    takes_offsets = True

    def file_suffix(self, sheet) -> str:
        """What tells the sheet's PDF apart in a zip from its month's other sheets."""
        return ""

    def confirmation(self) -> str:
        """What the vendor's confirmation does to what the sheet rests on, asked before it."""
        return _(
            " (brought up to date with the month's log and score first). The log and the score "
            "are then frozen (no longer reopened or re-scored), and"
        )

    def evidence(self, sheet) -> list:
        """The log and scores the vendor's confirmation freezes, held with the sheet."""
        return []

    def refresh(self, sheet):
        """The draft brought up to date, as the vendor confirms it."""
        return sheet

    def signing_figures(self, sheet, remaining: Decimal) -> services.Figures:
        """What signing the sheet settles, cut to what the contract's ceiling leaves."""
        return services.settlement_figures(
            base=sheet.base_amount,
            score=sheet.score,
            rate=sheet.tax_rate,
            remaining=remaining,
            deductions=sheet.deductions_incl_tax,
        )

    def accepted_work(self, sheet) -> dict | None:
        """What the sheet pays for, as an acceptance (验收) names it; None: nothing to accept."""
        return None

    def needs_acceptance(self, sheet) -> bool:
        """Whether the buyer signs it only once procurement has accepted that work."""
        return False

    def acceptance(self, sheet) -> Acceptance | None:
        """The acceptance in force of the work the sheet pays for, if any."""
        work = self.accepted_work(sheet)
        if work is None:
            return None
        return Acceptance.objects.current().select_related("accepted_by").filter(**work).first()

    def check_signing(self, sheet, figures: services.Figures) -> None:
        """Refuses a signature the kind does not allow (SettlementError): by default, of work
        that must be accepted first and is not."""
        if self.needs_acceptance(sheet) and self.acceptance(sheet) is None:
            raise services.SettlementError(
                _(
                    "%(sheet)s cannot be signed before its work is accepted: record the acceptance "
                    "on the order's page first."
                )
                % {"sheet": sheet},
                conflict=True,
            )

    def pdf_context(self, sheet) -> dict:
        """What 附件7 prints of the kind: the partial of its 订单执行情况, its formula."""
        log = _printed_log(sheet.contract)
        return {
            "basis_template": log.pdf_template,
            "formula": log.formula,
            "no_lines": log.nothing_logged,
        }


class MonthOfWork(SheetKind):
    """A month of an order's work: its log's lines at the rate card's prices × its score."""

    kind = Kind.MONTH

    @staticmethod
    def quantities(logs: dict[int, tuple[int, str]]) -> dict[int, dict[tuple, Decimal]]:
        """Per order, from its month's log (the log's id and the contract's settlement mode):
        the quantities by priced item, level and unit; a query per mode."""
        by_mode, orders = {}, {}
        for order_id, (log_id, mode) in logs.items():
            by_mode.setdefault(mode, []).append(log_id)
            orders[log_id] = order_id
        quantities = {}
        for mode, log_ids in by_mode.items():
            unit = MODES[mode].unit
            for log_id, item, level, total in MONTH_LOGS[mode].quantities(log_ids):
                quantities.setdefault(orders[log_id], {})[(item, level, unit)] = Decimal(total)
        return quantities

    def evidence(self, sheet) -> list:
        return [
            *WorkLog.objects.filter(order_id=sheet.order_id, month=sheet.month),
            *Assessment.objects.filter(order_id=sheet.order_id, month=sheet.month, period_months=1),
            *Acceptance.objects.current().filter(**self.accepted_work(sheet)),
        ]

    def accepted_work(self, sheet) -> dict:
        return {"order_id": sheet.order_id, "month": sheet.month, "payment_item_id": None}

    def needs_acceptance(self, sheet) -> bool:
        return MODES[sheet.contract.settlement_mode].acceptance_required

    def refresh(self, sheet):
        services.sheets_compute(order_ids=[sheet.order_id], month=sheet.month)
        sheet.refresh_from_db()
        return sheet


class Milestone(SheetKind):
    """A fixed-price contract's milestone (004): its amount × the score of its KPI period."""

    kind = Kind.MILESTONE
    page_template = "settlement/milestone_computation.html"
    ledger_label = "里程碑"
    prints_every_entry = True

    @staticmethod
    def settles(contract) -> bool:
        """Only a contract that reports KPIs instead of a monthly log settles by milestone."""
        return not MODES[contract.settlement_mode].monthly_log

    @staticmethod
    def score(order, item) -> tuple[Decimal, Assessment | None, Decimal | None]:
        """(score, the KPI period's confirmed assessment, the share of its baselines reached):
        paid in full when the period reached 90% of every baseline, else by its confirmed score
        (bonus points included, 100 at most); a milestone without a period is paid in full, and
        so is one paid on its date while its period waits for its score (004 考核条款 2: the
        difference is trued up once it is confirmed, `services.milestone_true_up`)."""
        if not item.assessed_months:
            return HUNDRED, None, None
        period = kpi_period(order, item.assessed_months)
        assessment = Assessment.objects.filter(
            order=order,
            month=period.start,
            period_months=item.assessed_months,
            status=Assessment.Status.CONFIRMED,
        ).first()
        if assessment is None and not item.holds_for_score:
            return HUNDRED, None, None
        if assessment is None:
            raise services.SettlementError(
                _("Milestone %(stage)s waits for the confirmed score of its %(months)s months.")
                % {"stage": item.stage, "months": item.assessed_months}
            )
        score = HUNDRED if period.passed else min(assessment.total_score, HUNDRED)
        return score, assessment, period.achievement

    def evidence(self, sheet) -> list:
        return [
            *Assessment.objects.filter(order_id=sheet.order_id, period_months__gt=1),
            *Acceptance.objects.current().filter(**self.accepted_work(sheet)),
        ]

    def accepted_work(self, sheet) -> dict:
        return {"order_id": sheet.order_id, "month": None, "payment_item_id": sheet.payment_item_id}

    def needs_acceptance(self, sheet) -> bool:
        return MODES[sheet.contract.settlement_mode].acceptance_required

    def confirmation(self) -> str:
        return _(
            " (brought up to date with the confirmed score of its KPI period first). The period's "
            "scores are then frozen (no longer re-scored), and"
        )

    def refresh(self, sheet):
        return services.payment_sheet_compute(item=sheet.payment_item)

    def pdf_context(self, sheet) -> dict:
        assessment = sheet.assessment
        return {
            "basis_template": "settlement/pdf/milestone.html",
            "score_template": "settlement/pdf/milestone_score.html" if assessment else "",
            "formula": "本期应支付金额 = 合同总价 × 付款比例 × 结算得分 / 100"
            "（考核期达成基准值90%及以上按100分）",
            "period": kpi_period(sheet.order, assessment.period_months) if assessment else None,
        }


class Adjustment(SheetKind):
    """A signed sheet corrected by an amount, positive or negative, with its reason."""

    kind = Kind.ADJUSTMENT
    page_template = "settlement/adjustment_computation.html"
    title_suffix = " 调整"
    list_badge = gettext_lazy("adjustment")
    ledger_label = "调整"
    adjustable = False
    adjusts = True
    takes_offsets = False

    def file_suffix(self, sheet) -> str:
        return f"-调整{sheet.pk}"

    def confirmation(self) -> str:
        return _(" (the amount procurement made, with its reason; nothing else changes), and")

    def signing_figures(self, sheet, remaining: Decimal) -> services.Figures:
        return services.adjustment_figures(sheet.uncapped_incl_tax, sheet.tax_rate, remaining)

    def check_signing(self, sheet, figures: services.Figures) -> None:
        if services.paid_so_far(sheet.adjusts) + figures.payable < 0:
            raise services.SettlementError(
                _("An adjustment cannot take back more than was paid."), conflict=True
            )

    def pdf_context(self, sheet) -> dict:
        return {**super().pdf_context(sheet), "no_lines": f"调整单：{sheet.adjustment_reason}"}


SettlementSheet.strategies.update(
    {strategy.kind: strategy for strategy in (MonthOfWork(), Milestone(), Adjustment())}
)
