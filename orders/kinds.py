"""An order under each way its contract pays (`contracts.kinds`): where its months are
reported from its page, and what its lines count on its PDF (附件6)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from contracts.kinds import Mode


@dataclass(frozen=True)
class Link:
    view: str  # a URL name taking the order's pk
    label: str


@dataclass(frozen=True)
class OrderKind:
    # The pages where an issued order's months are reported and scored.
    reports: tuple[Link, ...]
    # The PDF's planned-lines header: what a line is, its planned quantity, its unit price.
    line_header: str
    quantity_header: str
    price_header: str


ASSESSMENTS = Link("assessment-months", _("Assessments"))
PERSON_DAYS = ("岗位职责", "计划工作量（人天）", "含税单价（元/人天）")

KINDS = {
    Mode.PERSON_DAY: OrderKind(
        (Link("worklog-months", _("Person-day logs")), ASSESSMENTS), *PERSON_DAYS
    ),
    Mode.PER_ITEM: OrderKind(
        (Link("worklog-months", _("Delivery logs")), ASSESSMENTS),
        "产品项目",
        "计划数量（件）",
        "含税单价（元/件）",
    ),
    # A fixed-price order's lines print as the person-day order's (its PDF always did).
    Mode.FIXED_MILESTONE: OrderKind(
        (
            Link("kpi-order", _("KPI reports and milestones")),
            Link("order-milestones", _("Milestone payments")),
        ),
        *PERSON_DAYS,
    ),
}
