"""Seed 004 as demo data: a fixed-price contract paid 30/30/40 by milestones, scored on its
KPI template against its baselines. The seed gives no price, vendor or buyer details: the
total and the parties are made up (marked 演示); the baselines, milestones and template are
the seed's."""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from assessment.builtin_templates import KPI_004
from assessment.models import AssessmentTemplate
from assessment.services import assessment_confirm, assessment_publish
from contracts.models import FrameworkContract, RateCardLine
from contracts.services import contract_activate, contract_create, rate_card_line_save
from core.dates import add_months
from demo.common import accept, signed_back, signed_copy
from finance.services import invoice_receive, sheet_invoice, sheet_pay
from kpi.models import KpiBaseline, KpiReport
from kpi.services import kpi_assess, kpi_report_approve, kpi_report_save, kpi_report_submit
from orders.services import order_create, order_issue
from settlement.services import payment_sheet_compute, sheet_confirm

TOTAL_INCL_TAX = Decimal("480000.00")  # 演示
TOTAL_EXCL_TAX = Decimal("452830.19")  # × 1.06 = 480,000.00
SERVICE = "就业之家抖音及视频号线上推广运营服务（全费用固定包干）"

# 004 考核核心指标: code, name, unit, per month, per half-year, per year.
BASELINES_004 = [
    ("videos", "短视频发布数量", "条", 15, 90, 180),
    ("views", "短视频播放量", "次", 100000, 600000, 1200000),
    ("followers", "粉丝增长", "人", 1000, 6000, 12000),
    ("sessions", "直播场次", "场", 12, 72, 144),
    ("hours", "直播时长", "小时", 24, 144, 288),
    ("viewers", "直播场观", "人次", 24000, 144000, 280000),
]
# 004 商务条件 一: stage, condition, ratio, due after months, assessed over months.
MILESTONES_004 = [
    ("签订合同", "签订合同后7个工作日内支付", Decimal("0.30"), 0, None),
    ("合同满6个月", "合同满6个月考核合格后7个工作日内支付", Decimal("0.30"), 6, 6),
    ("合同满10个月", "合同满10个月后7个工作日内支付，按年度考核结果拨付", Decimal("0.40"), 10, 12),
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
        )
        for position, (code, name, unit, monthly, half_year, year) in enumerate(BASELINES_004)
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
            }
            for stage, condition, ratio, due, assessed in MILESTONES_004
        ],
    )
    return contract, order_issue(order=order)


def approved_reports(order, months: list[dict], buyer, start: date | None = None) -> None:
    """The vendor's reports of consecutive months from `start` (the service's first month
    unless given), approved."""
    month = start or order.service_start.replace(day=1)
    for figures in months:
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
# The milestones' acceptance (验收), by months after the start: day and note.
ACCEPTANCES_004 = {
    0: (date(2025, 12, 5), "合同签订，账号开通及运营方案交付，验收合格。"),
    6: (date(2026, 6, 8), "半年运营数据报告及考核结果已核对，验收合格。"),
}


def demo_month(n: int) -> dict:
    """Made-up figures of the n-th month, near the monthly baselines."""
    sessions = 12 + n % 2
    return {
        "videos": 15 + n % 3,
        "views": 96000 + 6500 * n,
        "likes": 4100 + 320 * n,
        "shares": 880 + 60 * n,
        "followers": 960 + 35 * n,
        "live_sessions": sessions,
        "live_hours": Decimal("24.5") + n % 3,
        "viewers": 23500 + 900 * n,
        "qualifying_sessions": sessions - n % 3,
        "enquiries": 38 + 3 * n,
        "placements": 4 + n % 4,
    }


def load_fixed_price(*, buyer, vendor, procurement, vendor_pm) -> None:
    """004 from December 2025: eleven months reported and approved, the half-year scored
    and confirmed; the signing milestone paid, the half-year's signed and invoiced (each
    accepted first), the last waiting for the year's score."""
    _contract, order = fixed_price_contract(
        buyer=buyer,
        vendor=vendor,
        code="AYQ-2025-004",
        signed_on=DEMO_SIGNED,
        service_start=DEMO_START,
        procurement=procurement,
    )
    approved_reports(order, [demo_month(n) for n in range(11)], procurement)
    for report in order.kpi_reports.all():  # handed in on the 3rd, March's late on the 9th
        day = report.due_on.replace(day=9 if report.month.month == 3 else 3)
        KpiReport.objects.filter(pk=report.pk).update(
            submitted_at=timezone.make_aware(datetime.combine(day, time(10)))
        )
    confirmed_period(order, 6, procurement, vendor_pm, bonuses={"bonus_media": 1})
    plan = {item.due_after_months: item for item in order.payment_plan.all()}
    for due, invoiced_on in ((0, date(2025, 12, 10)), (6, date(2026, 6, 12))):
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
        if due == 0:
            sheet_pay(sheet=sheet, actor=procurement, paid_on=date(2026, 1, 9))
