"""Seed 004 as demo data: a fixed-price contract paid 30/30/40 by milestones, scored on its
KPI template against its baselines. The seed gives no price, vendor or buyer details: the
total and the parties are made up (marked 演示); the baselines, milestones and template are
the seed's."""

from datetime import date
from decimal import Decimal

from assessment.services import assessment_confirm, assessment_publish
from contracts.builtin_templates import KPI_004
from contracts.models import AssessmentTemplate, FrameworkContract, RateCardLine
from contracts.services import contract_activate, contract_create, rate_card_line_save
from core.dates import add_months
from kpi.models import KpiBaseline
from kpi.services import kpi_assess, kpi_report_approve, kpi_report_save, kpi_report_submit
from orders.services import order_create, order_issue

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


def fixed_price_contract(*, buyer, vendor, code, signed_on: date, service_start: date):
    """The 004 contract, active, with its baselines and its one issued order carrying the
    30/30/40 milestones."""
    template = AssessmentTemplate.objects.filter(
        name=KPI_004["name"], status=AssessmentTemplate.Status.PUBLISHED
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
    contract_activate(contract=contract)
    order = order_create(
        contract=contract,
        name="就业之家抖音、视频号双平台运营推广",
        service_start=contract.start_date,
        service_end=contract.end_date,
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


def approved_reports(order, months: list[dict], buyer) -> None:
    """The vendor's reports of consecutive months from the service start, approved."""
    month = order.service_start.replace(day=1)
    for figures in months:
        report = kpi_report_save(order=order, month=month, figures=figures)
        kpi_report_approve(report=kpi_report_submit(report=report), actor=buyer)
        month = add_months(month, 1)


def confirmed_period(order, months: int, buyer, vendor, bonuses=None):
    assessment = kpi_assess(order=order, months=months, bonuses=bonuses)
    assessment_publish(assessment=assessment, actor=buyer)
    return assessment_confirm(assessment=assessment, actor=vendor)
