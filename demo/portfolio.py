"""A quarter of work inside 000's and 001's terms, so every seed contract has months behind it
and the reports compare several vendors: an order each, its people's approved days, confirmed
scores, and sheets signed, invoiced and paid. Loaded once the contract's term is over (the
demo tells its past; a demo loaded inside the term leaves it empty for its own first month).

And 003's design order: two junior designers from July on 设计/制作支撑 初级, whose 附件3
estimate is 250 days: 42 days a month from July to September and 36 in October (18 working
days) make 162 approved; at the pace of August to October, 40 a month, the three months left
(November to January) make 282, above the estimate, as the consumption report says."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from assessment.services import assessment_confirm
from contracts.models import FrameworkContract
from core.calendar import add_workdays, working_days
from core.dates import add_months
from demo.common import demo_member, paid_in_full, published_score, undertakings
from orders.services import order_complete, order_create, order_issue
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from staffing.services import staff_approve
from worklogs.lines import LineInput
from worklogs.services import worklog_approve, worklog_open, worklog_save, worklog_submit

# code: the order, its people (serial, name, role, level, education, years, days a month)
# and each month's quality score (of 50) with its incidents (indicator, day, what happened).
QUARTERS = {
    "MGYY-2025-000": {
        "name": "省侧新媒体暑期直播与短视频运营支撑",
        "start": date(2026, 6, 1),
        "people": [
            (501, "何军", "直播/直播运营", "中级", "本科", 4, "20"),
            (502, "高敏", "视频/影音制作", "高级", "本科", 6, "19.5"),
            (503, "罗佳", "活动/内容运营", "初级", "专科", 2, "21"),
        ],
        "scores": [
            ("46", []),
            ("43.5", [("complaint", 14, "暑期直播专场开播延误二十分钟，被业务方投诉")]),
            ("47", []),
        ],
    },
    "MGYY-2025-001": {
        "name": "AI彩铃暑期模板定制与营销支撑",
        "start": date(2025, 6, 1),
        "people": [
            (511, "韩雪", "AI应用定制服务", "高级", "硕士", 7, "19"),
            (512, "邓凯", "场景营销支撑服务", "初级", "本科", 2, "20"),
        ],
        "scores": [
            ("45", [("management", 20, "缺6月第三周周报")]),
            ("47.5", []),
            ("46", [("security", 12, "模板素材外链未做访问控制")]),
        ],
    },
}
MONTHS = 3


def load_quarters(*, procurement, vendor_pms: dict, finance) -> None:
    today = timezone.localdate()
    for code, spec in QUARTERS.items():
        contract = FrameworkContract.objects.get(code=code)
        if today <= contract.end_date or contract.orders.filter(name=spec["name"]).exists():
            continue
        vendor_pm = vendor_pms[contract.vendor_id]
        order = _order(contract, spec, procurement, vendor_pm)
        for index, (quality, incidents) in enumerate(spec["scores"]):
            month = add_months(spec["start"], index)
            days = {name: days for _serial, name, *_rest, days in spec["people"]}
            _month_of_work(order, month, days, procurement)
            assessment = published_score(order, month, quality, incidents, procurement)
            assessment_confirm(assessment=assessment, actor=vendor_pm)
            _settled(order, month, procurement, vendor_pm, finance)
        order_complete(order=order, actor=procurement)


def _order(contract, spec, procurement, vendor_pm):
    """The quarter's people, approved with their undertakings filed, and their order."""
    start = spec["start"]
    for serial, name, role, level, education, years, _days in spec["people"]:
        member = demo_member(contract, serial, name, role, level, education, years, start)
        staff_approve(member=member, actor=procurement)
        undertakings([member], vendor_pm)
    planned = {}
    for *_person, role, level, _education, _years, days in spec["people"]:
        planned[role, level] = planned.get((role, level), 0) + Decimal(days) * MONTHS
    order = order_create(
        contract=contract,
        name=spec["name"],
        service_start=start,
        service_end=add_months(start, MONTHS) - timedelta(days=1),
        lines=[
            {"role": role, "level": level, "planned_quantity": quantity}
            for (role, level), quantity in planned.items()
        ],
    )
    return order_issue(order=order, actor=procurement)


def _month_of_work(order, month, days_by_name: dict, procurement):
    """The month's days of each person (fewer where the month has fewer working days),
    approved."""
    staff = {member.name: member for member in order.contract.staff.all()}
    log = worklog_open(order=order, month=month)
    most = Decimal(working_days(month))
    worklog_save(
        log=log,
        lines=[
            LineInput(staff[name].pk, min(Decimal(days), most), name)
            for name, days in days_by_name.items()
        ],
    )
    worklog_approve(log=worklog_submit(log=log), actor=procurement)


def _settled(order, month, procurement, vendor_pm, finance):
    """The month signed early in the next, invoiced on the 15th, received that day and paid
    10 working days later; loaded on an earlier day, nothing ahead is invoiced or paid."""
    settlements_compute(month=month, order_id=order.pk)
    sheet = SettlementSheet.objects.get(order=order, month=month)
    sheet = sheet_confirm(sheet=sheet_confirm(sheet=sheet, actor=vendor_pm), actor=procurement)
    invoiced_on = add_months(month, 1).replace(day=15)
    paid_on = add_workdays(invoiced_on, 10)
    if paid_on > timezone.localdate():
        return
    number = f"INV{order.contract.code[-3:]}{month:%Y%m}"
    paid_in_full(
        sheet,
        vendor_pm=vendor_pm,
        finance=finance,
        number=number,
        invoiced_on=invoiced_on,
        paid_on=paid_on,
    )


# 003's design order: its people, and the months worked (approved, then scored and settled but
# the last, whose score is not given yet).
DESIGN_003 = "会员中心改版视觉设计支撑"
DESIGNERS = [(131, "孟琪", "设计/制作支撑", "初级", "专科", 2)]
DESIGN_DAYS = "21"  # each designer, each month
DESIGN_MONTHS = [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
DESIGN_SCORES = ["47", "46.5", "48"]


def load_design_order_003(contract, *, procurement, vendor_pm, finance) -> None:
    if contract.orders.filter(name=DESIGN_003).exists():
        return
    start = DESIGN_MONTHS[0]
    for serial, *person in DESIGNERS:
        member = demo_member(contract, serial, *person, start)
        staff_approve(member=member, actor=procurement)
        undertakings([member], vendor_pm)
    days = {name: DESIGN_DAYS for name in ["赵敏", *(person[1] for person in DESIGNERS)]}
    order = order_create(
        contract=contract,
        name=DESIGN_003,
        service_start=start,
        service_end=contract.end_date,
        service_items="会员中心改版视觉设计、切图与动效制作",
        lines=[{"role": "设计/制作支撑", "level": "初级", "planned_quantity": Decimal("200")}],
    )
    order = order_issue(order=order, actor=procurement)
    for index, month in enumerate(DESIGN_MONTHS):
        _month_of_work(order, month, days, procurement)
        if index < len(DESIGN_SCORES):
            score = published_score(order, month, DESIGN_SCORES[index], [], procurement)
            assessment_confirm(assessment=score, actor=vendor_pm)
            _settled(order, month, procurement, vendor_pm, finance)
