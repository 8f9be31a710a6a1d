"""A national buyer's year at scale, for `make bench` and the reliability tests.

Contracts, rate cards and orders go through the services, as users make them; the bulk of the
year (staff, approved logs, confirmed scores) is written with bulk inserts, which keep no
history. Figures are drawn from a seeded generator, so one size always makes the same year.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessment.models import Assessment, AssessmentEntry, Incident, Indicator
from assessment.scoring import Figures, indicator_score
from contracts.models import FrameworkContract, RateCardLine
from contracts.services import contract_activate, contract_create, rate_card_line_save
from core.calendar import working_days
from core.models import Organization, User
from notifications.services import muted
from orders.services import order_create, order_issue
from staffing.identity import check_character, id_number_digest, mask_id_number
from staffing.models import StaffMember
from worklogs.models import WorkLog, WorkLogLine

# 附件3's roles and caps (excl. tax); every contract of the scale buyer uses them.
ROLES = [
    ("产品/平台服务", ("849.06", "754.72", "471.70")),
    ("活动/内容支撑", ("849.06", "754.72", "471.70")),
    ("用户/数据运营", ("849.06", "754.72", "471.70")),
    ("场景/渠道运营", ("849.06", "754.72", "471.70")),
    ("设计/制作支撑", ("849.06", "754.72", "471.70")),
    ("运维支撑", ("849.06", "754.72", "471.70")),
    ("技术支持", ("1221.45", "977.50", "586.50")),
]
LEVELS = ("高级", "中级", "初级")
YEARS = {"高级": 8, "中级": 4, "初级": 2}
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Scale:
    contracts: int = 40
    orders: int = 2000
    staff: int = 8000
    months: int = 12
    year: int = 2026
    seed: int = 2026


def _month(scale: Scale, index: int) -> date:
    return date(scale.year, index + 1, 1)


@transaction.atomic
@muted()
def generate(scale: Scale) -> dict:
    """Builds the year and says how much of each it made (telling nobody: it is generated)."""
    rng = random.Random(scale.seed)
    # Generated for measuring: its contracts take effect without a signed copy to attach.
    buyer = Organization.objects.create(
        name=f"规模采购方{scale.seed}", kind="buyer", requires_signed_contract=False
    )
    procurement = User.objects.create_user(
        f"scale_caigou_{scale.seed}", role=User.Role.PROCUREMENT, organization=buyer
    )
    # Room for every order at the dearest price, as a buyer sizes a ceiling.
    per_contract = -(-scale.staff // scale.contracts) * 23 * scale.months * 1300
    ceiling = Decimal(per_contract).quantize(Decimal("1E6")) + Decimal(1_000_000)
    contracts = [_contract(scale, buyer, number, ceiling) for number in range(scale.contracts)]
    staff = _staff(scale, contracts)
    orders = _orders(scale, contracts, staff)
    lines = _worklogs(scale, rng, orders, procurement)
    _assessments(scale, rng, orders, contracts, procurement)
    return {
        "contracts": len(contracts),
        "orders": len(orders),
        "staff": sum(len(members) for members in staff.values()),
        "log_lines": lines,
        "months": scale.months,
    }


def _contract(scale: Scale, buyer, number: int, ceiling: Decimal) -> FrameworkContract:
    vendor = Organization.objects.create(name=f"规模供应商{scale.seed}-{number:03d}", kind="vendor")
    User.objects.create_user(
        f"scale_pm_{scale.seed}_{number:03d}", role=User.Role.VENDOR_PM, organization=vendor
    )
    contract = contract_create(
        code=f"SCALE-{scale.seed}-{number:03d}",  # a buyer per seed (the year by default)
        name=f"第{number + 1}省定制化服务支撑项目",
        buyer=buyer,
        vendor=vendor,
        signed_on=date(scale.year, 1, 1),
        ceiling_incl_tax=ceiling,
    )
    for role, caps in ROLES:
        for level, cap in zip(LEVELS, caps, strict=True):
            rate_card_line_save(
                line=RateCardLine(
                    contract=contract,
                    role=role,
                    level=level,
                    estimated_quantity=Decimal(1000),
                    cap_price_excl_tax=Decimal(cap),
                    price_excl_tax=Decimal(cap),
                )
            )
    return contract_activate(contract=contract)


def _staff(scale: Scale, contracts) -> dict[int, list[StaffMember]]:
    members = []
    for serial in range(scale.staff):
        contract = contracts[serial % len(contracts)]
        role, _caps = ROLES[serial // len(contracts) % len(ROLES)]
        level = LEVELS[serial % len(LEVELS)]
        first17 = f"51{scale.seed % 10000:04d}{serial:011d}"
        number = first17 + check_character(first17)
        members.append(
            StaffMember(
                vendor_id=contract.vendor_id,
                contract=contract,
                name=f"员工{serial:05d}",
                phone=f"139{serial:08d}",
                id_number_digest=id_number_digest(number),
                id_number_masked=mask_id_number(number),
                education="本科",
                years_experience=YEARS[level],
                role=role,
                level=level,
                start_date=contract.start_date,
                status=StaffMember.Status.ACTIVE,  # approved (2.9)
            )
        )
    StaffMember.objects.bulk_create(members, batch_size=2000)
    by_contract = {contract.pk: [] for contract in contracts}
    for member in members:
        by_contract[member.contract_id].append(member)
    return by_contract


def _orders(scale: Scale, contracts, staff) -> list[tuple]:
    """Each order takes its share of its contract's staff for the whole year."""
    orders = []
    for number in range(scale.orders):
        contract = contracts[number % len(contracts)]
        pool = staff[contract.pk]
        share = len(pool) * len(contracts) // scale.orders or 1
        start = (number // len(contracts)) * share % len(pool)
        team = pool[start : start + share]
        planned = {}
        for member in team:
            key = (member.role, member.level)
            planned[key] = planned.get(key, 0) + 22 * scale.months
        order = order_create(
            contract=contract,
            name=f"订单{number + 1}",
            service_start=contract.start_date,
            service_end=contract.end_date,
            lines=[
                {"role": role, "level": level, "planned_quantity": Decimal(quantity)}
                for (role, level), quantity in planned.items()
            ],
        )
        orders.append((order_issue(order=order), team))
    return orders


def _worklogs(scale: Scale, rng, orders, approver) -> int:
    now = timezone.now()
    count = 0
    for index in range(scale.months):
        month = _month(scale, index)
        cap = working_days(month)
        logs = WorkLog.objects.bulk_create(
            [
                WorkLog(
                    order=order,
                    month=month,
                    status=WorkLog.Status.APPROVED,
                    submitted_at=now,
                    approved_at=now,
                    approved_by=approver,
                )
                for order, _team in orders
            ],
            batch_size=2000,
        )
        lines = [
            WorkLogLine(
                log=log,
                staff=member,
                role=member.role,
                level=member.level,
                days=HALF * rng.randint(2 * cap - 8, 2 * cap),
            )
            for log, (_order, team) in zip(logs, orders, strict=True)
            for member in team
        ]
        WorkLogLine.objects.bulk_create(lines, batch_size=5000)
        count += len(lines)
    return count


def _assessments(scale: Scale, rng, orders, contracts, procurement) -> None:
    """附件2 scores: the quality score drawn from 40 to 50, now and then a complaint."""
    now = timezone.now()
    templates = {contract.pk: contract.assessment_template_id for contract in contracts}
    indicators = {
        pk: list(Indicator.objects.filter(category__template_id=pk).order_by("pk"))
        for pk in set(templates.values())
    }
    for index in range(scale.months):
        month = _month(scale, index)
        scored = []
        for order, _team in orders:
            template = templates[order.contract_id]
            figures = {}
            complaints = []
            for indicator in indicators[template]:
                if indicator.kind == Indicator.Kind.MANUAL:
                    figures[indicator] = Figures(value=HALF * rng.randint(80, 100))
                elif indicator.kind == Indicator.Kind.DEDUCTION and rng.random() < 0.05:
                    figures[indicator] = Figures(count=1)
                    complaints.append(indicator)
                else:
                    figures[indicator] = Figures()
            scores = {indicator: indicator_score(indicator, f) for indicator, f in figures.items()}
            total = sum(scores.values(), Decimal(0))
            assessment = Assessment(
                order=order,
                month=month,
                template_id=template,
                status=Assessment.Status.CONFIRMED,
                base_score=total,
                total_score=total,
                published_at=now,
                published_by=procurement,
                confirmed_at=now,
            )
            scored.append((assessment, figures, scores, complaints))
        Assessment.objects.bulk_create([row[0] for row in scored], batch_size=2000)
        AssessmentEntry.objects.bulk_create(
            [
                AssessmentEntry(
                    assessment=assessment,
                    indicator=indicator,
                    value=f.value,
                    count=f.count,
                    actual=f.actual,
                    score=scores[indicator],
                )
                for assessment, figures, scores, _complaints in scored
                for indicator, f in figures.items()
            ],
            batch_size=5000,
        )
        Incident.objects.bulk_create(
            [
                Incident(
                    assessment=assessment,
                    indicator=indicator,
                    date=month + timedelta(days=9),
                    description="需求响应超时，业务方投诉",
                )
                for assessment, _figures, _scores, complaints in scored
                for indicator in complaints
            ],
            batch_size=5000,
        )
