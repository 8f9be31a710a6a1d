"""Seed 004 as demo data: a fixed-price contract paid 30/30/40 by milestones, scored on its
KPI template against its baselines. The seed gives no price, vendor or buyer details: the
total, the parties and the team's people are made up (marked 演示); the baselines, milestones,
template and the team's roles are the seed's."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assessment.builtin_templates import KPI_004
from assessment.models import AssessmentTemplate
from assessment.services import assessment_confirm, assessment_publish
from contracts.models import FrameworkContract, RateCardLine
from contracts.services import contract_activate, contract_create, rate_card_line_save
from core.dates import add_months
from demo.common import accept, demo_member, signed_back, signed_copy, undertakings
from finance.services import invoice_receive, sheet_invoice, sheet_pay
from kpi.models import KpiBaseline, KpiReport, LiveSession, Platform, QuarterReview
from kpi.services import (
    SIDES,
    kpi_assess,
    kpi_report_approve,
    kpi_report_save,
    kpi_report_submit,
    quarter_review_comment,
)
from orders.models import PaymentPlanItem
from orders.services import order_create, order_issue
from settlement.services import payment_sheet_compute, sheet_confirm
from staffing.models import StaffingRole
from staffing.services import (
    staff_approve,
    staff_give_notice,
    staff_mark_departed,
)

TOTAL_INCL_TAX = Decimal("480000.00")  # 演示
TOTAL_EXCL_TAX = Decimal("452830.19")  # × 1.06 = 480,000.00
SERVICE = "就业之家抖音及视频号线上推广运营服务（全费用固定包干）"

# 004 考核核心指标: code, name, unit, per month, per half-year, per year, the platform it
# measures ("" both), scored (in the pass line) and the service text's monthly plan where it
# differs. 视频号's plays are 一、服务目标's estimate, outside the 考核 table: tracked, not scored;
# 三、1 plans 24 videos a month where the table scores 15.
BASELINES_004 = [
    ("videos", "抖音短视频发布数量", "条", 15, 90, 180, "douyin", True, 24),
    ("views", "抖音短视频播放量", "次", 100000, 600000, 1200000, "douyin", True, None),
    ("followers", "抖音粉丝增长", "人", 1000, 6000, 12000, "douyin", True, None),
    ("sessions", "直播场次", "场", 12, 72, 144, "", True, None),
    ("hours", "直播时长", "小时", 24, 144, 288, "", True, None),
    ("viewers", "直播场观", "人次", 24000, 144000, 280000, "", True, None),
    ("channels_views", "视频号播放量", "次", 15000, 90000, 180000, "channels", False, None),
]
# 004 商务条件 一 and 考核条款 2: stage, condition, ratio, due after months (from the signing),
# assessed over months, settle rule: the half-year's 30% waits until it passes (考核合格后); the
# 40% is paid on its date and trued up on the year's score (低于90%按得分等比例).
HOLD, TRUE_UP = PaymentPlanItem.SettleRule.HOLD, PaymentPlanItem.SettleRule.TRUE_UP
MILESTONES_004 = [
    ("签订合同", "签订合同后7个工作日内支付", Decimal("0.30"), 0, None, TRUE_UP),
    ("合同满6个月", "合同满6个月考核合格后7个工作日内支付", Decimal("0.30"), 6, 6, HOLD),
    (
        "合同满10个月",
        "合同满10个月后7个工作日内支付；年度考核达成率低于90%的，按考核得分等比例核减",
        Decimal("0.40"),
        10,
        12,
        TRUE_UP,
    ),
]

# 004 五、人员要求 and 人数要求: the team's roles, one person each. The rate card is one lump
# sum, so the roles are the contract's staffing roles (as 002's), with no level.
ROLES_004 = [
    ("运营总监", "把控运营团队的战略方向，制定和执行项目的运营策略"),
    ("后台运营", "账号后台数据检测和处理"),
    ("拍摄", "策划拍摄方案，操作拍摄设备记录影像内容"),
    ("剪辑", "对拍摄的素材进行编辑，使其成为连贯、有引力的作品"),
    ("主播", "账号的对标内容讲解，通过直播平台展示《就业之家》服务和内容"),
    ("客服", "接收咨询、投诉和建议，及时准确答复并记录反馈、跟进解决"),
    ("视频号运营", "策划、施行、复盘视频号项目方案；对接政府、企业、个人就业"),
]


def fixed_price_contract(
    *, buyer, vendor, code, signed_on: date, service_start: date, procurement=None
):
    """The 004 contract, active, with its baselines and its one issued order carrying the
    30/30/40 milestones; its signed copy filed first by `procurement` when given (the demo's
    buyer asks for it)."""
    template = AssessmentTemplate.objects.filter(  # the shared starter: the buyer adopts it
        name=KPI_004["name"], buyer=None, status=AssessmentTemplate.Status.PUBLISHED
    ).first()
    contract = contract_create(
        code=code,
        name="安源区就业之家线上推广运营服务采购项目",
        buyer=buyer,
        vendor=vendor,
        signed_on=signed_on,
        start_date=service_start,
        ceiling_incl_tax=TOTAL_INCL_TAX,
        settlement_mode=FrameworkContract.SettlementMode.FIXED_MILESTONE,
        assessment_template=template,
    )
    rate_card_line_save(
        line=RateCardLine(
            contract=contract,
            role=SERVICE,
            level=RateCardLine.Level.NONE,
            unit=RateCardLine.Unit.LUMP_SUM,
            estimated_quantity=1,
            cap_price_excl_tax=TOTAL_EXCL_TAX,
            price_excl_tax=TOTAL_EXCL_TAX,
        )
    )
    KpiBaseline.objects.bulk_create(
        KpiBaseline(
            contract=contract,
            position=position,
            code=code,
            name=name,
            unit=unit,
            monthly=monthly,
            half_year=half_year,
            year=year,
            platform=platform,
            scored=scored,
            plan_monthly=plan,
        )
        for position, (code, name, unit, monthly, half_year, year, platform, scored, plan) in (
            enumerate(BASELINES_004)
        )
    )
    bulk_create_with_history(
        [
            StaffingRole(contract=contract, position=position, role=role, duties=duties)
            for position, (role, duties) in enumerate(ROLES_004, start=1)
        ],
        StaffingRole,
    )
    if procurement is not None:
        signed_copy(contract, procurement)
    contract_activate(contract=contract)
    order = order_create(
        contract=contract,
        name="就业之家抖音、视频号双平台运营推广",
        service_start=contract.start_date,
        service_end=contract.end_date,
        buyer_contact_name="刘采购",
        buyer_contact_phone="0799-6660004",
        vendor_contact_name="王项目",
        vendor_contact_phone="13800002345",
        service_items="短视频制作发布、直播宣传、官方信息发布、粉丝运营与投流推广",
        requirements="每月发布不少于15条短视频，每周直播3场；每月5日前提交上月运营数据报告。",
        assessment_and_settlement="半年考核一次：达成各周期基准值90%及以上全额拨付，"
        "90%以下按考核实际得分等比例拨付。",
        lines=[{"role": SERVICE, "level": "", "planned_quantity": Decimal(1)}],
        payment_plan=[
            {
                "stage": stage,
                "condition": condition,
                "ratio": ratio,
                "amount_incl_tax": TOTAL_INCL_TAX * ratio,
                "due_after_months": due,
                "assessed_months": assessed,
                "settle_rule": rule,
            }
            for stage, condition, ratio, due, assessed, rule in MILESTONES_004
        ],
    )
    return contract, order_issue(order=order)


def _session_days(month: date) -> list[date]:
    """The month's Mondays, Wednesdays and Fridays, then its Saturdays."""
    days = [month + timedelta(days=i) for i in range((add_months(month, 1) - month).days)]
    return [day for day in days if day.weekday() in (0, 2, 4)] + [
        day for day in days if day.weekday() == 5
    ]


def record_sessions(order, month: date, sessions: list[tuple[int, int]]) -> None:
    """The month's live sessions, given as (minutes, viewers): one a day on its Mondays,
    Wednesdays and Fridays (then Saturdays), on Douyin at 19:30 and Channels at 15:00 in
    turn. The month has no report yet, so they are stored at once (with their history) and
    the report, saved next, computes its live figures from them."""
    days = _session_days(month)
    platforms = (Platform.DOUYIN, Platform.CHANNELS)
    bulk_create_with_history(
        [
            LiveSession(
                order=order,
                date=days[i],
                platform=(platform := platforms[i % 2]),
                start=time(19, 30) if platform == Platform.DOUYIN else time(15),
                minutes=minutes,
                viewers=viewers,
                link=f"https://live.example.cn/{platform}/{days[i]:%Y%m%d}",  # 演示
            )
            for i, (minutes, viewers) in enumerate(sessions)
        ],
        LiveSession,
    )


def approved_reports(
    order, months: list[dict], buyer, start: date | None = None, sessions: list | None = None
) -> None:
    """The vendor's reports of consecutive months from `start` (the service's first month
    unless given), approved; each month's live `sessions` (minutes, viewers) recorded first,
    when given."""
    month = start or order.service_start.replace(day=1)
    for n, figures in enumerate(months):
        if sessions:
            record_sessions(order, month, sessions[n])
        report = kpi_report_save(order=order, month=month, figures=figures)
        kpi_report_approve(report=kpi_report_submit(report=report), actor=buyer)
        month = add_months(month, 1)


def confirmed_period(order, months: int, buyer, vendor, bonuses=None):
    assessment = kpi_assess(order=order, months=months, bonuses=bonuses)
    assessment_publish(assessment=assessment, actor=buyer)
    return assessment_confirm(assessment=assessment, actor=vendor)


BUYER_004 = {
    "name": "萍乡市安源区就业服务中心（演示）",
    "kind": "buyer",
    "tax_id": "12360302MB1DEMO04K",
    "address": "江西省萍乡市安源区建设中路1号",
    "legal_representative": "刘华",
    "bank_name": "中国建设银行萍乡安源支行",
    "bank_account": "36050161010000000004",
    "phone": "0799-6660004",
}
DEMO_SIGNED, DEMO_START = date(2025, 11, 20), date(2025, 12, 1)
# The milestones' acceptance (验收), by months after the signing: day and note.
ACCEPTANCES_004 = {
    0: (date(2025, 12, 5), "合同签订，账号开通及运营方案交付，验收合格。"),
    6: (date(2026, 6, 8), "半年运营数据报告及考核结果已核对，验收合格。"),
    10: (date(2026, 9, 28), "合同满10个月，前10个月运营数据报告已核对，验收合格。"),
}
# The milestones as the buyer paid them, by months after the signing: invoiced, paid (None:
# not yet). The 40% falls due on 2026-09-30 and is paid in full then, before the year's score.
PAID_004 = [
    (0, date(2025, 12, 10), date(2026, 1, 9)),
    (6, date(2026, 6, 12), None),
    (10, date(2026, 9, 29), date(2026, 10, 23)),
]


def demo_month(n: int) -> dict:
    """Made-up figures of the n-th month, near the monthly baselines."""
    return {
        "videos": 15 + n % 3,
        "views": 96000 + 6500 * n,
        "likes": 4100 + 320 * n,
        "shares": 880 + 60 * n,
        "favourites": 610 + 45 * n,
        "followers": 960 + 35 * n,
        "channels_videos": 10 + n % 2,
        "channels_views": 14200 + 450 * n,
        "channels_likes": 760 + 40 * n,
        "channels_shares": 180 + 12 * n,
        "channels_favourites": 120 + 9 * n,
        "channels_followers": 150 + 8 * n,
        "enquiries": 38 + 3 * n,
        "placements": 4 + n % 4,
        "companies_registered": 6 + n % 3,
        "jobs_posted": 45 + 4 * n,
        "hires": 9 + n % 5,
    }


# The demo's team (演示: made-up people, fictitious ID numbers): name, role, education, years.
TEAM_004 = [
    ("韩立", "运营总监", "本科", 8),
    ("邓佳", "后台运营", "专科", 3),
    ("罗峰", "拍摄", "专科", 5),
    ("谢雨", "剪辑", "本科", 2),
    ("彭悦", "主播", "本科", 3),
    ("曾敏", "客服", "专科", 2),
    ("袁航", "视频号运营", "本科", 4),
]
# The 主播 who left in the spring (a month's notice) and the one who replaced her.
LEFT_004 = ("彭悦", date(2026, 3, 2), date(2026, 4, 3))
REPLACEMENT_004 = ("苏婉", "本科", 4, date(2026, 4, 7))


def load_team_004(contract, procurement, vendor_pm) -> None:
    """004's team on its staffing roles, each approved (2.9), their undertakings filed; the
    主播 left after a month's notice and her replacement (same role) was approved: the
    roster and her page show it."""
    for serial, (name, role, education, years) in enumerate(TEAM_004, start=401):
        member = demo_member(
            contract, serial, name, role, "", education, years, contract.start_date
        )
        staff_approve(member=member, actor=procurement)
    name, notice_on, last_day = LEFT_004
    leaving = staff_give_notice(
        member=contract.staff.get(name=name), notice_date=notice_on, last_day=last_day
    )
    name, education, years, start = REPLACEMENT_004
    replacement = demo_member(
        contract, 408, name, leaving.role, "", education, years, start, replaces=leaving
    )
    staff_approve(member=replacement, actor=procurement)
    staff_mark_departed(today=timezone.localdate())
    undertakings(contract.staff.all(), vendor_pm)


# 季度复盘 (004 考核条款 1): each side's comment on a quarter and the day it was written.
REVIEWS_004 = {
    1: (
        (date(2026, 3, 9), "首季度短视频48条，超出基准；涨粉略低于基准，下季度加强互动和投流。"),
        (date(2026, 3, 13), "同意复盘意见。请补充每场直播的观看截图，并提高岗位信息发布频次。"),
    ),
    2: (
        (date(2026, 6, 9), "半年累计各项指标达到基准；主播已按时交接，直播未受影响。"),
        (date(2026, 6, 15), "半年数据已核对。建议增加政策解读类短视频，回应群众咨询热点。"),
    ),
    3: (
        (date(2026, 9, 8), "三季度播放量增长明显；招聘会专场直播两场，企业注册数上升。"),
        (date(2026, 9, 14), "认可运营成效。四季度请围绕返乡就业策划专题，并按月报告投流明细。"),
    ),
}


def load_reviews_004(order, procurement, vendor_pm) -> None:
    """Both sides' comments on the first three quarters, on the days written (none ahead of
    today when the demo loads on an earlier day)."""
    for quarter, sides in REVIEWS_004.items():
        for actor, (day, comment) in zip((vendor_pm, procurement), sides, strict=True):
            if day > timezone.localdate():
                continue
            review = quarter_review_comment(
                order=order, quarter=quarter, actor=actor, comment=comment
            )
            side, _other = SIDES[actor.role]
            QuarterReview.objects.filter(pk=review.pk).update(
                **{f"{side}_commented_at": timezone.make_aware(datetime.combine(day, time(16)))}
            )


def demo_sessions(n: int) -> list[tuple[int, int]]:
    """Made-up live sessions (minutes, viewers) of the n-th month from December 2025, one on
    each of its Mondays, Wednesdays and Fridays (12 to 14): about 2 h 10 min and 2,000
    viewers; the third under 800 viewers, and in February and July the fifth under 2 hours,
    its week falling below 3 sessions."""
    slots = sum(day.weekday() != 5 for day in _session_days(add_months(DEMO_START, n)))
    return [
        (
            105 if i == 4 and n % 5 == 2 else 125 + 5 * ((i + n) % 4),
            620 + 10 * n if i == 2 else 1900 + 60 * ((3 * i + n) % 7),
        )
        for i in range(slots)
    ]


def load_fixed_price(*, buyer, vendor, procurement, vendor_pm) -> None:
    """004 from December 2025: eleven months reported and approved, the half-year scored
    and confirmed; the signing milestone paid, the half-year's signed and invoiced, the 40%
    paid in full on its date (each accepted first), to be trued up if the year's score, not
    in yet, falls below 90%; its team approved, one replaced; the first three quarters
    reviewed by both sides."""
    contract, order = fixed_price_contract(
        buyer=buyer,
        vendor=vendor,
        code="AYQ-2025-004",
        signed_on=DEMO_SIGNED,
        service_start=DEMO_START,
        procurement=procurement,
    )
    load_team_004(contract, procurement, vendor_pm)
    approved_reports(
        order,
        [demo_month(n) for n in range(11)],
        procurement,
        sessions=[demo_sessions(n) for n in range(11)],
    )
    for report in order.kpi_reports.all():  # handed in on the 3rd, March's late on the 9th
        day = report.due_on.replace(day=9 if report.month.month == 3 else 3)
        KpiReport.objects.filter(pk=report.pk).update(
            submitted_at=timezone.make_aware(datetime.combine(day, time(10)))
        )
    confirmed_period(order, 6, procurement, vendor_pm, bonuses={"bonus_media": 1})
    load_reviews_004(order, procurement, vendor_pm)
    plan = {item.due_after_months: item for item in order.payment_plan.all()}
    for due, invoiced_on, paid_on in PAID_004:
        if plan[due].due_on > timezone.localdate():  # loaded on an earlier day: not due yet
            continue
        sheet = payment_sheet_compute(item=plan[due])
        sheet_confirm(sheet=sheet, actor=vendor_pm)
        accepted_on, note = ACCEPTANCES_004[due]
        if not accept(order, accepted_on, note, procurement, payment_item=plan[due]):
            continue  # loaded on an earlier day: the milestone waits for its acceptance
        sheet = sheet_confirm(sheet=sheet, actor=procurement)
        if invoiced_on > timezone.localdate():  # loaded on an earlier day: no invoice ahead
            continue
        sheet = sheet_invoice(
            sheet=signed_back(sheet, accepted_on),
            actor=vendor_pm,
            number=f"AYQ{invoiced_on:%Y%m}01",
            invoiced_on=invoiced_on,
            amount=sheet.payable_incl_tax,
        )
        invoice_receive(invoice=sheet.invoices.get(), actor=procurement, received_on=invoiced_on)
        if paid_on is not None and paid_on <= timezone.localdate():
            sheet_pay(sheet=sheet, actor=procurement, paid_on=paid_on)
