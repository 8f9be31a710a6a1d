"""Seed 003's rectification requests (2.10): one accepted in August; one failed in November
and recorded as an incident of November's score (a draft still: no signed figure moves); one
answered and waiting for procurement; one left unanswered past its due day. The vendor files
its account with each answer. Requests dated after the day the demo is loaded are left out."""

from datetime import date

from django.utils import timezone

from archive.models import Document
from assessment.models import Indicator
from demo.common import file_paper
from governance.models import Rectification
from governance.services import (
    rectification_accept,
    rectification_answer,
    rectification_fail,
    rectification_issue,
    rectification_link_incident,
)

# issued on, staff (name), what is wrong, evidence, answer (day, text), decision (day, reason:
# empty accepts), deduction code of the incident.
REQUESTS_003 = [
    (
        date(2026, 8, 10),
        "杨帆",
        "8月第二周周报未按时提交，且缺少会员转化数据分析附件（2.4）。",
        "8月7日周报提交记录；甲方项目经理邮件提醒两次。",
        (date(2026, 8, 12), "已补交第二周周报及数据分析附件，周报改为每周五17:00前提交。"),
        (date(2026, 8, 13), ""),
        None,
    ),
    (
        date(2026, 11, 9),
        "吴婷",
        "11月6日会员积分接口故障，响应超过4小时，未按要求及时处理并提交故障复盘报告（2.5）。",
        "故障工单 GD-20261106-017；值班记录。",
        (date(2026, 11, 12), "已安排高级技术人员周杰协助排查，补充值班表。"),
        (date(2026, 11, 17), "复盘报告仍未提交，11月16日同类故障再次发生，整改不达标。"),
        "capability",
    ),
    (
        date(2026, 11, 20),
        None,
        "11月月报未附用户活跃度数据口径说明，数据与业务方报表不一致。",
        "11月月报（初稿）第3页。",
        None,
        None,
        None,
    ),
    (
        date(2026, 11, 30),
        "刘洋",
        "年终活动需求评审会未派产品人员参会，需求确认延误。",
        "11月27日评审会签到表。",
        (date(2026, 12, 2), "已指定刘洋为年终活动产品对接人，并补开需求确认会。"),
        None,
        None,
    ),
]


def load_rectifications(contract, *, procurement, vendor_pm) -> None:
    if contract.rectifications.exists():
        return
    order = contract.orders.get(batch=1)
    today = timezone.localdate()
    for issued_on, name, what, evidence, answer, decision, code in REQUESTS_003:
        if issued_on > today:
            continue
        rectification = rectification_issue(
            order=order,
            staff=contract.staff.get(name=name) if name else None,
            description=what,
            evidence=evidence,
            actor=procurement,
            issued_on=issued_on,
        )
        if answer and answer[0] <= today:
            rectification = rectification_answer(
                rectification=rectification, answer=answer[1], actor=vendor_pm, day=answer[0]
            )
            # The vendor's account of what it did, filed with its answer.
            file_paper(
                rectification,
                Document.Kind.OTHER,
                f"整改情况说明（整改通知第{rectification.pk}号）",
                vendor_pm,
                answer[0],
            )
        if decision and decision[0] <= today:
            day, reason = decision
            if reason:
                rectification = rectification_fail(
                    rectification=rectification, reason=reason, actor=procurement, day=day
                )
            else:
                rectification = rectification_accept(
                    rectification=rectification, actor=procurement, day=day
                )
        if code and rectification.status == Rectification.Status.FAILED:
            rectification_link_incident(
                rectification=rectification,
                indicator=Indicator.objects.get(
                    category__template=contract.assessment_template, code=code
                ),
            )
