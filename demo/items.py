"""Seed 002 as demo data: an AIGC merchandise pilot paid per item produced. The seed names the
items and the team (modelling engineers, customer service, a logistics lead; 专科 and two
years' experience for all) but no prices, quantities, ceiling or vendor: those are made up
(marked 演示), as are the staff, the order and its deliveries."""

from datetime import date
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from assessment.services import (
    assessment_confirm,
)
from contracts.models import FrameworkContract, RateCardLine
from contracts.services import contract_activate, contract_create, rate_card_line_save
from demo.common import accept, demo_member, published_score, signed_copy, undertakings
from orders.services import order_create, order_issue
from settlement.services import settlements_compute, sheet_confirm
from staffing.models import Education, QualificationRule, StaffingRole
from staffing.services import staff_approve
from worklogs.lines import DeliveryInput
from worklogs.services import (
    worklog_approve,
    worklog_open,
    worklog_save_deliveries,
    worklog_submit,
)

CODE_002 = "MGYY-2026-002"
VENDOR_002 = {
    "name": "成都智印文创科技有限公司（演示）",
    "kind": "vendor",
    "tax_id": "91510100MA6DEMO03Z",
    "address": "成都市武侯区天府三街288号",
    "legal_representative": "赵刚",
    "bank_name": "中国工商银行成都武侯支行",
    "bank_account": "4402200009100012345",
    "phone": "028-85550003",
}
# 服务项要求 ①–④: item, estimated pieces, price excl. tax (演示; incl. 6% a round figure).
ITEMS_002 = [
    ("3D手办打印（白膜）", 2000, Decimal("188.68")),  # 200.00
    ("3D手办打印（彩膜）", 3000, Decimal("283.02")),  # 300.00
    ("写真照片打印", 10000, Decimal("9.43")),  # 10.00
    ("明信片打印", 10000, Decimal("4.72")),  # 5.00
    ("冰箱贴", 5000, Decimal("14.15")),  # 15.00
    ("钥匙扣", 5000, Decimal("18.87")),  # 20.00
]
# 2.6 项目职责及工作内容要求.
ROLES_002 = [
    ("建模工程师", "3D打印的专业建模、修模，小型文创产品的制作等"),
    ("专职客服对接人员", "对接客户相关需求，并解答回复问题咨询等"),
    ("产品物流负责人", "打包寄送快递，跟踪物流信息，确保客户收到产品并拆箱验收"),
]
# name, role, education, years (the last one below 2.3's two years: waits for an exception).
ROSTER_002 = [
    ("黄晓峰", "建模工程师", Education.BACHELOR, 4),
    ("林雪", "建模工程师", Education.JUNIOR_COLLEGE, 2),
    ("何佳", "专职客服对接人员", Education.JUNIOR_COLLEGE, 3),
    ("马骁", "产品物流负责人", Education.JUNIOR_COLLEGE, 5),
    ("宋雨", "专职客服对接人员", Education.BACHELOR, 1),
]
# Pieces delivered per month (made up): item → [(pieces, tracking number, remade under QA)].
DELIVERIES_002 = {
    date(2026, 8, 1): {
        "3D手办打印（彩膜）": [(7, "SF1408231001", 1), (5, "SF1408231002", 0)],
        "3D手办打印（白膜）": [(8, "SF1408231001", 0)],
        "写真照片打印": [(151, "YT8820160301", 0)],
        "明信片打印": [(200, "YT8820160301", 0)],
        "冰箱贴": [(63, "ZTO751900244", 2)],
        "钥匙扣": [(37, "ZTO751900244", 0)],
    },
    date(2026, 9, 1): {
        "3D手办打印（彩膜）": [(18, "SF1408239011", 0)],
        "3D手办打印（白膜）": [(11, "SF1408239011", 1)],
        "写真照片打印": [(240, "YT8820169905", 0)],
        "明信片打印": [(315, "YT8820169905", 0)],
        "冰箱贴": [(90, "ZTO751908812", 0)],
        "钥匙扣": [(54, "ZTO751908812", 0)],
    },
    date(2026, 10, 1): {
        "3D手办打印（彩膜）": [(26, "SF1408300127", 2)],
        "写真照片打印": [(318, "YT8820170442", 0)],
        "冰箱贴": [(120, "ZTO751911037", 0)],
    },
}
# 附件2 quality score and incidents per month (made up).
SCORES_002 = {
    date(2026, 8, 1): ("45", [("complaint", 19, "彩膜手办色差，用户投诉")]),
    date(2026, 9, 1): ("47", []),
}


def per_item_contract(
    *,
    buyer,
    vendor,
    code=CODE_002,
    signed_on=date(2026, 7, 1),
    ceiling=Decimal("2000000.00"),
    procurement=None,
):
    """The 002 contract, active: its items priced per piece, its team's roles and the
    two-year rule; its signed copy filed first by `procurement` when given (the demo's buyer
    asks for it)."""
    contract = contract_create(
        code=code,
        name="咪咕音乐2025–2026年AIGC场景服务发展模式试点项目（线上）",
        buyer=buyer,
        vendor=vendor,
        signed_on=signed_on,
        ceiling_incl_tax=ceiling,
        settlement_mode=FrameworkContract.SettlementMode.PER_ITEM,
    )
    for position, (item, quantity, price) in enumerate(ITEMS_002, start=1):
        rate_card_line_save(
            line=RateCardLine(
                contract=contract,
                position=position,
                role=item,
                level=RateCardLine.Level.NONE,
                unit=RateCardLine.Unit.ITEM,
                estimated_quantity=quantity,
                cap_price_excl_tax=price,
                price_excl_tax=price,
            )
        )
    bulk_create_with_history(
        [
            StaffingRole(contract=contract, position=position, role=role, duties=duties)
            for position, (role, duties) in enumerate(ROLES_002, start=1)
        ],
        StaffingRole,
    )
    QualificationRule.objects.create(
        contract=contract, level="", min_education=Education.JUNIOR_COLLEGE, min_years=2
    )
    if procurement is not None:
        signed_copy(contract, procurement)
    contract_activate(contract=contract)
    return contract


def per_item_order(contract, planned: dict | None = None):
    """An order for August to December; `planned` pieces per item, a tenth of the estimate
    unless given."""
    planned = planned or {item: quantity // 10 for item, quantity, _price in ITEMS_002}
    order = order_create(
        contract=contract,
        name="AIGC周边定制（线上）制作与寄送",
        service_start=date(2026, 8, 1),
        service_end=date(2026, 12, 31),
        buyer_contact_name="张采购",
        buyer_contact_phone="028-68394412",
        vendor_contact_name="赵项目",
        vendor_contact_phone="13800003456",
        service_items="3D手办、写真照片、明信片、冰箱贴、钥匙扣的建模、制作、寄送与质保",
        requirements="下单后7日内寄出；质保期内的破损、色差免费重制。",
        assessment_and_settlement="按月按交付件数结算：Σ 交付数量 × 单价 × 当月考核得分 / 100。",
        lines=[
            {"role": item, "level": "", "planned_quantity": Decimal(pieces)}
            for item, pieces in planned.items()
        ],
    )
    return order_issue(order=order)


def deliveries(month: date) -> list[DeliveryInput]:
    return [
        DeliveryInput(item, pieces, ref, claims, ref)
        for item, parcels in DELIVERIES_002[month].items()
        for pieces, ref, claims in parcels
    ]


def load_per_item(*, buyer, vendor, procurement, vendor_pm) -> None:
    """002 from August 2026: August accepted, settled and signed, September's sheet waiting
    for the vendor, October's deliveries waiting for approval; every person's confidentiality
    undertaking filed but 马骁's."""
    contract = per_item_contract(buyer=buyer, vendor=vendor, procurement=procurement)
    for serial, (name, role, education, years) in enumerate(ROSTER_002, start=201):
        member = demo_member(
            contract,
            serial,
            name,
            role,
            "",
            education,
            years,
            date(2026, 8, 1),
            exception_reason="客服经验不足两年，申请试用。" if years < 2 else "",
        )
        if not member.qualification_issue:  # 2.9: the qualified are approved
            staff_approve(member=member, actor=procurement)
    undertakings(contract.staff.all(), vendor_pm, missing={"马骁"})
    order = per_item_order(contract)
    for month in DELIVERIES_002:
        log = worklog_save_deliveries(
            log=worklog_open(order=order, month=month), deliveries=deliveries(month)
        )
        worklog_submit(log=log)
        if month not in SCORES_002:
            continue
        worklog_approve(log=log, actor=procurement)
        assessment = published_score(order, month, *SCORES_002[month], procurement)
        assessment_confirm(assessment=assessment, actor=vendor_pm)
        settlements_compute(month=month, contract_id=contract.pk)
    august = order.sheets.get(month=date(2026, 8, 1))
    sheet_confirm(sheet=august, actor=vendor_pm)
    checked = "8月交付件数与物流签收记录核对一致，抽检合格。"
    if accept(order, date(2026, 9, 4), checked, procurement, month=august.month):
        sheet_confirm(sheet=august, actor=procurement)
