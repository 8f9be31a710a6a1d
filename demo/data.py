"""Demo data from the seed contracts (../shared/seeds). The seeds leave the vendor's side blank
and give prices and a ceiling for 003 only, so the vendors, 000's and 001's ceilings, and the
estimated quantities of 000 and 001 are made up (marked 演示); 003 is as the buyer wrote it.
The staff and orders are made up too (the names are common ones, the ID numbers fictitious)."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from assessment.models import Assessment
from assessment.services import (
    assessment_confirm,
)
from contracts.models import FrameworkContract, RateCardLine
from contracts.services import (
    contract_activate,
    contract_create,
    contracts_expire_due,
    rate_card_line_save,
)
from core.calendar import add_workdays, working_days
from core.dates import add_months
from core.models import Organization, User
from core.services import user_create
from demo.amendments import load_amendments
from demo.common import (
    accept,
    demo_member,
    id_number,
    paid_in_full,
    published_score,
    signed_copy,
    undertakings,
)
from demo.finance import load_invoices_003
from demo.fixed_price import BUYER_004, load_fixed_price
from demo.items import CODE_002, VENDOR_002, load_per_item
from demo.penalties import load_penalties_003
from demo.portfolio import load_design_order_003, load_quarters
from demo.rectifications import load_rectifications
from demo.team import load_team
from demo.terminations import load_termination_001
from notifications.services import muted
from orders.services import order_create, order_issue
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from staffing.models import StaffMember
from staffing.services import staff_approve, staff_create, staff_give_notice
from worklogs.lines import LineInput
from worklogs.models import WorkLog
from worklogs.services import (
    worklog_approve,
    worklog_open,
    worklog_save,
    worklog_submit,
)

DEMO_PASSWORD = "portal-demo-2026"

BUYER = {
    "name": "咪咕音乐有限公司",
    "kind": Organization.Kind.BUYER,
    "tax_id": "91510100321561677C",
    # The contract's first page: its 法定地址 and 邮政编码 (4.6.2's address is the invoices').
    "address": "成都高新区新通北四路257号",
    "postcode": "610000",
    "legal_representative": "朱泓",
    # 4.6.2 (1): the account it pays from by transfer.
    "bank_name": "中国移动通信集团财务有限公司",
    "bank_account": "8888015000000179",
    "phone": "028-68394412",
}
VENDORS = [
    {
        "name": "成都云启数字科技有限公司（演示）",
        "kind": Organization.Kind.VENDOR,
        "tax_id": "91510100MA6DEMO01X",
        "address": "成都市高新区天府大道北段1700号",
        "legal_representative": "李明",
        "bank_name": "中国银行成都高新支行",
        "bank_account": "1234567890123",
        "phone": "028-85550001",
    },
    {
        "name": "四川星河新媒体运营有限公司（演示）",
        "kind": Organization.Kind.VENDOR,
        "tax_id": "91510100MA6DEMO02Y",
        "address": "成都市锦江区红星路三段1号",
        "legal_representative": "王芳",
        "bank_name": "招商银行成都分行",
        "bank_account": "9876543210987",
        "phone": "028-85550002",
    },
]
LEVELS = ("高级", "中级", "初级")
STANDARD_CAPS = (Decimal("849.06"), Decimal("754.72"), Decimal("471.70"))

# 附件3 of seed 003: role, estimated person-days per level, caps excl. tax per level.
RATE_CARD_003 = [
    ("产品/平台服务", (1250, 500, 250), STANDARD_CAPS),
    ("活动/内容支撑", (1250, 1250, 250), STANDARD_CAPS),
    ("用户/数据运营", (1250, 1250, 250), STANDARD_CAPS),
    ("场景/渠道运营", (2000, 1500, 250), STANDARD_CAPS),
    ("设计/制作支撑", (2000, 500, 250), STANDARD_CAPS),
    ("运维支撑", (2000, 500, 250), STANDARD_CAPS),
    ("技术支持", (1650, 1100, 687), (Decimal("1221.45"), Decimal("977.50"), Decimal("586.50"))),
]
ROLES_000 = [
    "产品/平台服务",
    "活动/内容运营",
    "用户/数据运营",
    "场景/渠道运营",
    "设计/制作支撑",
    "直播/直播运营",
    "视频/影音制作",
    "项目/运维支撑",
    "达人/达人合作",
]
ROLES_001 = [
    "AI应用定制服务",
    "AI能力定制服务",
    "场景营销支撑服务",
    "智能内容与创意服务",
    "智能设计与人机交互服务",
    "智能运维与运营支持服务",
]

CONTRACTS = [
    {
        "code": "MGYY-2026-003",
        "name": "咪咕音乐2026年定制化服务支撑项目",
        "vendor": 0,
        "signed_on": date(2026, 1, 5),
        "ceiling_incl_tax": Decimal("17627800.00"),
        "rate_card": RATE_CARD_003,
    },
    {
        "code": "MGYY-2025-000",
        "name": "咪咕音乐2025–2026年省侧新媒体运营定制化服务支撑项目",
        "vendor": 1,
        "signed_on": date(2025, 12, 1),
        "ceiling_incl_tax": Decimal("8000000.00"),
        "rate_card": [(role, (400, 300, 200), STANDARD_CAPS) for role in ROLES_000],
    },
    {
        "code": "MGYY-2025-001",
        "name": "2025年AI智创彩铃市场定制化服务支撑项目",
        "vendor": 0,
        "signed_on": date(2025, 3, 1),
        "ceiling_incl_tax": Decimal("5000000.00"),
        "rate_card": [(role, (300, 250, 150), STANDARD_CAPS) for role in ROLES_001],
    },
]


def _organization(fields):
    organization, _ = Organization.objects.get_or_create(name=fields["name"], defaults=fields)
    return organization


def _user(admin, username, role, organization, full_name):
    user = User.objects.filter(username=username).first()
    return user or user_create(
        actor=admin,
        username=username,
        password=DEMO_PASSWORD,
        role=role,
        organization=organization,
        full_name=full_name,
    )


@transaction.atomic
def load_demo() -> list[tuple[str, str]]:
    """Loads the seed contracts and demo logins; running it again adds nothing. The history it
    plays through the services tells nobody (it is not news to anyone)."""
    with muted():
        logins = _load_history()
    return logins


def _load_history() -> list[tuple[str, str]]:
    buyer = _organization(BUYER)
    # The buyer's procurement added its vendors (and keeps those that work for no other buyer).
    vendors = [_organization({**fields, "creator": buyer}) for fields in VENDORS]
    admin = User.objects.filter(username="admin").first() or User.objects.create_superuser(
        "admin", password=DEMO_PASSWORD, full_name="系统管理员", role=User.Role.ADMIN
    )
    district = _organization(BUYER_004)
    printer = _organization({**VENDOR_002, "creator": buyer})
    logins = [
        ("caigou", User.Role.PROCUREMENT, buyer, "张采购"),
        ("caiwu", User.Role.FINANCE, buyer, "陈财务"),
        ("yunqi_pm", User.Role.VENDOR_PM, vendors[0], "李项目"),
        ("xinghe_pm", User.Role.VENDOR_PM, vendors[1], "王项目"),
        ("zhiyin_pm", User.Role.VENDOR_PM, printer, "赵项目"),
        ("anyuan", User.Role.PROCUREMENT, district, "刘采购"),
    ]
    users = {login[0]: _user(admin, *login) for login in logins}
    for spec in CONTRACTS:
        if FrameworkContract.objects.filter(code=spec["code"]).exists():
            continue
        contract = contract_create(
            code=spec["code"],
            name=spec["name"],
            buyer=buyer,
            vendor=vendors[spec["vendor"]],
            signed_on=spec["signed_on"],
            ceiling_incl_tax=spec["ceiling_incl_tax"],
        )
        for role, quantities, caps in spec["rate_card"]:
            for level, quantity, cap in zip(LEVELS, quantities, caps, strict=True):
                rate_card_line_save(
                    line=RateCardLine(
                        contract=contract,
                        role=role,
                        level=level,
                        estimated_quantity=quantity,
                        cap_price_excl_tax=cap,
                        price_excl_tax=cap,
                    )
                )
        signed_copy(contract, users["caigou"])
        contract_activate(contract=contract)

    reference = FrameworkContract.objects.get(code="MGYY-2026-003")
    if not reference.staff.exists():
        _load_roster(reference, procurement=users["caigou"])
        # 赵敏's undertaking is not in yet (the roster flags it).
        undertakings(reference.staff.all(), users["yunqi_pm"], missing={"赵敏"})
    if not reference.orders.exists():
        _load_orders(reference)
    load_team(reference, procurement=users["caigou"])
    if not WorkLog.objects.exists():
        _load_worklogs(reference, approver=users["caigou"])
    if not Assessment.objects.exists():
        _load_assessments(reference, buyer=users["caigou"], vendor=users["yunqi_pm"])
    if not SettlementSheet.objects.exists():
        _load_acceptances(reference, users["caigou"])
        _load_settlements(buyer=users["caigou"], vendor=users["yunqi_pm"], finance=users["caiwu"])
    load_design_order_003(
        reference, procurement=users["caigou"], vendor_pm=users["yunqi_pm"], finance=users["caiwu"]
    )
    load_rectifications(reference, procurement=users["caigou"], vendor_pm=users["yunqi_pm"])
    load_penalties_003(procurement=users["caigou"], vendor_pm=users["yunqi_pm"])
    if not FrameworkContract.objects.filter(code="AYQ-2025-004").exists():
        load_fixed_price(
            buyer=district,
            vendor=vendors[1],
            procurement=users["anyuan"],
            vendor_pm=users["xinghe_pm"],
        )
    if not FrameworkContract.objects.filter(code=CODE_002).exists():
        load_per_item(
            buyer=buyer,
            vendor=printer,
            procurement=users["caigou"],
            vendor_pm=users["zhiyin_pm"],
        )
    load_termination_001(procurement=users["caigou"])
    load_quarters(
        procurement=users["caigou"],
        vendor_pms={vendors[0].pk: users["yunqi_pm"], vendors[1].pk: users["xinghe_pm"]},
        finance=users["caiwu"],
    )
    if not reference.amendments.exists():
        load_amendments(reference, procurement=users["caigou"], vendor_pm=users["yunqi_pm"])
    # Last, so that the demo's activity loads on whatever day it is run.
    contracts_expire_due(today=timezone.localdate())
    logins.insert(0, ("admin", User.Role.ADMIN))
    return [(username, User.Role(role).label) for username, role, *_ in logins]


# name, role, level, education, years
ROSTER_003 = [
    ("王磊", "产品/平台服务", "高级", "本科", 8),
    ("刘洋", "产品/平台服务", "中级", "本科", 4),
    ("陈静", "活动/内容支撑", "中级", "专科", 3),
    ("杨帆", "用户/数据运营", "高级", "硕士", 6),
    ("赵敏", "设计/制作支撑", "初级", "专科", 2),
    ("周杰", "技术支持", "高级", "本科", 9),
    ("吴婷", "技术支持", "初级", "本科", 1),
    ("孙浩", "运维支撑", "中级", "本科", 5),
]


def _load_roster(contract, procurement):
    """003's people, approved by procurement (2.9) but 郑可, below the rule, whose exception
    waits."""
    start = contract.start_date
    for serial, (name, role, level, education, years) in enumerate(ROSTER_003, start=101):
        member = demo_member(contract, serial, name, role, level, education, years, start)
        staff_approve(member=member, actor=procurement)
    staff_create(
        contract=contract,
        id_number=id_number(120),
        name="郑可",
        role="场景/渠道运营",
        level="高级",
        education="本科",
        years_experience=4,
        phone="13900000120",
        start_date=start,
        exception_reason="大型渠道项目经验丰富，申请破格。",
    )
    leaving = StaffMember.objects.get(contract=contract, name="孙浩")
    staff_give_notice(member=leaving, notice_date=date(2026, 11, 20), last_day=date(2026, 12, 10))


def _load_orders(contract):
    common = {
        "buyer_contact_name": "张采购",
        "buyer_contact_phone": "028-68394412",
        "buyer_contact_email": "caigou@example.com",
        "vendor_contact_name": "李项目",
        "vendor_contact_phone": "13800001234",
        "vendor_contact_email": "pm@example.com",
        "assessment_and_settlement": "按照框架协议执行：按月按订单考核结算。",
    }
    first = order_create(
        contract=contract,
        name="咪咕音乐App会员运营支撑",
        service_start=date(2026, 2, 1),
        service_end=contract.end_date,  # 2027-01-04
        service_items="会员产品运营、活动策划与数据分析",
        requirements="驻场支撑，工作日 9:00–18:00；按周提交周报、按月提交月报。",
        commissioned_content="产品/平台服务及技术支持岗位人员驻场支撑。",
        lines=[
            {"role": "产品/平台服务", "level": "高级", "planned_quantity": Decimal("220")},
            {"role": "产品/平台服务", "level": "中级", "planned_quantity": Decimal("220")},
            {"role": "技术支持", "level": "高级", "planned_quantity": Decimal("200")},
            {"role": "技术支持", "level": "初级", "planned_quantity": Decimal("200")},
        ],
        **common,
    )
    order_issue(order=first)
    order_create(
        contract=contract,
        name="年终音乐盛典活动支撑",
        service_start=date(2026, 12, 1),
        service_end=date(2026, 12, 31),
        service_items="活动策划、现场执行与视觉设计",
        lines=[
            {"role": "活动/内容支撑", "level": "高级", "planned_quantity": Decimal("40")},
            {"role": "设计/制作支撑", "level": "初级", "planned_quantity": Decimal("30")},
        ],
        payment_plan=[
            {
                "stage": "验收后一次性支付",
                "condition": "活动结束并经甲方验收合格",
                "amount_incl_tax": Decimal("51000.00"),
                "ratio": Decimal("1"),
                "note": "按考核得分据实结算",
            },
        ],
        **common,
    )


# Person-days of the first order's four roles, month by month (made up).
WORKLOG_DAYS = {"王磊": "20", "刘洋": "19.5", "周杰": "18", "吴婷": "21"}


def _load_worklogs(contract, approver):
    """February to September approved, October submitted and waiting for approval, January
    2027 in draft."""
    order = contract.orders.get(batch=1)
    staff = {member.name: member for member in contract.staff.all()}
    month = date(2026, 2, 1)
    while month <= date(2026, 10, 1):
        log = worklog_open(order=order, month=month)
        worklog_save(
            log=log,
            lines=[
                LineInput(staff[name].pk, min(Decimal(days), Decimal(working_days(month))), name)
                for name, days in WORKLOG_DAYS.items()
            ],
        )
        worklog_submit(log=log)
        if month < date(2026, 10, 1):
            worklog_approve(log=log, actor=approver)
        month = add_months(month, 1)
    # Entered ahead on the provisional 2027 calendar: the order ends on Monday 4 January,
    # its one working day (1 January is 元旦).
    january = worklog_open(order=order, month=date(2027, 1, 1))
    worklog_save(
        log=january, lines=[LineInput(staff[name].pk, Decimal(1), name) for name in WORKLOG_DAYS]
    )


# Quality score and incidents per month (made up), on 附件2.
SCORES = {
    2: ("46", []),
    3: ("45", [("complaint", 12, "会员活动页上线延误一天，业务方投诉")]),
    4: ("47", []),
    5: ("44", [("management", 20, "缺第三周周报")]),
    6: ("48", []),
    7: ("45", [("capability", 8, "暑期活动未按需求增派中级产品人员")]),
    8: ("47", []),
    9: (
        "46",
        [("security", 17, "测试环境账号口令明文留存"), ("complaint", 25, "需求响应超时被投诉")],
    ),
    10: ("45", []),
}


def _load_assessments(contract, buyer, vendor):
    """February to September confirmed by the vendor, October published and waiting."""
    order = contract.orders.get(batch=1)
    for month_number, (quality, incidents) in SCORES.items():
        assessment = published_score(order, date(2026, month_number, 1), quality, incidents, buyer)
        if month_number < 10:
            assessment_confirm(assessment=assessment, actor=vendor)


# A person-day month needs no acceptance to be signed; the buyer recorded two (验收).
ACCEPTANCES_003 = {
    date(2026, 7, 1): (date(2026, 8, 5), "7月驻场人员考勤与周报、月报核对无误。"),
    date(2026, 8, 1): (date(2026, 9, 4), "8月工作量与交付物核对无误，验收合格。"),
}


def _load_acceptances(contract, procurement):
    order = contract.orders.get(batch=1)
    for month, (day, note) in ACCEPTANCES_003.items():
        accept(order, day, note, procurement, month=month)


def _load_settlements(buyer, vendor, finance):
    """Sheets for February to September: paid to June, July invoiced, August signed,
    September waiting for the vendor's confirmation; May to July's invoices and payments as
    finance met them (demo/finance.py)."""
    month = date(2026, 2, 1)
    while month <= date(2026, 9, 1):
        settlements_compute(month=month)
        month = add_months(month, 1)
    for sheet in SettlementSheet.objects.order_by("month"):
        if sheet.month > date(2026, 8, 1):
            continue
        sheet_confirm(sheet=sheet, actor=vendor)
        sheet = sheet_confirm(sheet=sheet, actor=buyer)
        invoiced_on = add_months(sheet.month, 1).replace(day=15)
        if invoiced_on > timezone.localdate():  # loaded on an earlier day: no invoice ahead
            continue
        if sheet.month <= date(2026, 4, 1):  # May to July: demo/finance.py
            paid_in_full(
                sheet,
                vendor_pm=vendor,
                finance=finance,
                number=f"INV{sheet.month:%Y%m}01",
                invoiced_on=invoiced_on,
                paid_on=add_workdays(invoiced_on, 20),
            )
    load_invoices_003(vendor_pm=vendor, finance=finance)
