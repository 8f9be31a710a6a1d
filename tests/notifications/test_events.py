"""Each hand-off tells the users whose turn it is, and only them (SPEC §8, issue 23): the role
of the other side of the contract, in its own organisation (never the actor, another vendor's
PM or another buyer's staff), with a short Chinese sentence naming the object and the link to
its page. An action rolled back tells nobody and mails nothing; a bulk action tells per item;
a new payee account reaches the procurement and finance of every buyer still paying the
vendor, even those who turned notifications off."""

from datetime import date

import pytest
from django.db import transaction

from core.bank_accounts import bank_account_change_submit
from core.models import User
from governance.models import Penalty
from governance.penalties import penalty_answer, penalty_record
from kpi.services import kpi_report_return, kpi_report_save, kpi_report_submit
from notifications.models import Channel, Notification, Preference
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from staffing.services import staff_approve, staff_create, staff_refuse
from tests.factories import BuyerFactory, ContractFactory, UserFactory, id_number, rate_card
from tests.governance.conftest import answered, issued
from tests.settlement.conftest import OCTOBER
from tests.worklogs.conftest import issued_order, member
from worklogs.lines import LineInput
from worklogs.services import (
    worklog_approve,
    worklog_open,
    worklog_reopen,
    worklog_return,
    worklog_save,
    worklog_submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bystanders(other_vendor_pm, buyer):
    """Who must never hear of the vendor's work: another vendor's PM, and the procurement and
    finance of another buyer."""
    elsewhere = BuyerFactory(name="另一采购方")
    return [
        other_vendor_pm,
        UserFactory(role=User.Role.PROCUREMENT, organization=elsewhere),
        UserFactory(role=User.Role.FINANCE, organization=elsewhere),
    ]


def told(kind=None):
    """(username, kind, text, url) of every notification, by user."""
    rows = Notification.objects.order_by("user__username", "pk")
    if kind:
        rows = rows.filter(kind=kind)
    return [(n.user.username, n.kind, n.text, n.url) for n in rows.select_related("user")]


def fresh():
    Notification.objects.all().delete()


def test_a_submitted_log_goes_to_procurement_a_returned_one_to_the_pm_with_the_reason(
    active_contract, procurement, finance, vendor_pm, bystanders
):
    order = issued_order(active_contract)
    worker = member(active_contract, 1)
    log = worklog_open(order=order, month=OCTOBER)
    worklog_save(log=log, lines=[LineInput(worker.pk, 10, worker.name)])
    fresh()
    page = f"/orders/{order.pk}/worklog/2026-10/"

    log = worklog_submit(log=log)
    assert told() == [
        ("caigou", "log_submitted", f"{order.number} 的 2026-10 工作量日志已提交，待审批", page)
    ]

    fresh()
    log = worklog_return(log=log, reason="王磊 10 月 8 日请假，请核减")
    assert told() == [
        (
            "pm",
            "log_returned",
            f"{order.number} 的 2026-10 工作量日志被退回：王磊 10 月 8 日请假，请核减",
            page,
        )
    ]

    log = worklog_approve(log=worklog_submit(log=log), actor=procurement)
    fresh()
    worklog_reopen(log=log, reason="甲方复核发现重复计工")
    assert told() == [
        (
            "pm",
            "log_returned",
            f"{order.number} 的 2026-10 工作量日志已重新打开：甲方复核发现重复计工",
            page,
        )
    ]


def test_staff_waiting_for_approval_or_an_exception_and_the_decision(
    active_contract, procurement, vendor_pm, bystanders
):
    fields = {
        "name": "王磊",
        "phone": "13812345678",
        "education": "本科",
        "role": "产品/平台服务",
        "level": "高级",
        "start_date": date(2026, 1, 1),
    }
    code = active_contract.code
    qualified = staff_create(
        contract=active_contract, id_number=id_number(1), years_experience=9, **fields
    )
    below = staff_create(
        contract=active_contract,
        id_number=id_number(2),
        years_experience=3,
        exception_reason="主导过同类平台建设",
        **{**fields, "name": "刘洋"},
    )
    assert told() == [
        (
            "caigou",
            "staff_approval_requested",
            f"{code} 新登记人员 王磊（产品/平台服务 高级），待审批",
            f"/staff/{qualified.pk}/",
        ),
        (
            "caigou",
            "exception_requested",
            f"{code} 的人员 刘洋（产品/平台服务 高级）未达资质要求，申请破格：主导过同类平台建设",
            f"/staff/{below.pk}/",
        ),
    ]

    fresh()
    staff_approve(member=qualified, actor=procurement)
    staff_refuse(member=below, actor=procurement, reason="经验不足")
    assert told() == [
        (
            "pm",
            "staff_decided",
            f"{code} 的人员 王磊（产品/平台服务 高级）已获批准",
            f"/staff/{qualified.pk}/",
        ),
        (
            "pm",
            "staff_decided",
            f"{code} 的人员 刘洋（产品/平台服务 高级）未获批准：经验不足",
            f"/staff/{below.pk}/",
        ),
    ]


def test_a_disputed_score_goes_to_procurement(active_contract, procurement, vendor_pm):
    from assessment.services import assessment_dispute
    from demo.common import published_score

    order = issued_order(active_contract)
    fresh()
    score = published_score(order, OCTOBER, "40", [], procurement)
    assert told() == [
        (
            "pm",
            "score_published",
            f"{order.number} 的 2026-10 考核得分已发布：90 分，请确认或提出异议",
            f"/orders/{order.pk}/assessment/2026-10/",
        )
    ]
    fresh()
    assessment_dispute(assessment=score, reason="10 月 8 日事故不属乙方责任")
    assert told() == [
        (
            "caigou",
            "score_disputed",
            f"乙方对 {order.number} 的 2026-10 考核得分提出异议：10 月 8 日事故不属乙方责任",
            f"/orders/{order.pk}/assessment/2026-10/",
        )
    ]


def test_a_kpi_report_goes_to_procurement_and_back_to_the_pm(
    kpi_order, procurement, vendor_pm, clock
):
    clock(date(2026, 4, 3))
    march = date(2026, 3, 1)
    report = kpi_report_save(order=kpi_order, month=march, figures={"videos": 15})
    fresh()
    page = f"/orders/{kpi_order.pk}/kpi/2026-03/"
    report = kpi_report_submit(report=report)
    assert told() == [
        (
            "caigou",
            "kpi_report_submitted",
            f"{kpi_order.number} 的 2026-03 KPI 月报已提交，待审批",
            page,
        )
    ]
    fresh()
    kpi_report_return(report=report, reason="播放量截图缺失")
    assert told() == [
        (
            "pm",
            "kpi_report_returned",
            f"{kpi_order.number} 的 2026-03 KPI 月报被退回：播放量截图缺失",
            page,
        )
    ]


def test_a_rectification_goes_to_the_pm_and_its_answer_to_procurement(
    active_contract, procurement, vendor_pm, bystanders
):
    order = issued_order(active_contract)
    fresh()
    rectification = issued(order, procurement)
    page = f"/governance/rectifications/{rectification.pk}/"
    assert told() == [
        (
            "pm",
            "rectification_requested",
            f"{order.number} 收到整改通知，须于 2026-10-19 前完成：周报未按时提交",
            page,
        )
    ]
    fresh()
    answered_one = answered(order, procurement, vendor_pm)
    assert told("rectification_answered") == [
        (
            "caigou",
            "rectification_answered",
            f"乙方已答复 {order.number} 的整改通知：已补交周报",
            f"/governance/rectifications/{answered_one.pk}/",
        )
    ]
    assert page.startswith("/governance/")


def test_a_penalty_goes_to_the_pm_and_its_dispute_to_procurement(
    active_contract, procurement, vendor_pm, bystanders
):
    order = issued_order(active_contract)
    fresh()
    penalty = penalty_record(
        actor=procurement,
        contract=active_contract,
        order=order,
        kind=Penalty.Kind.PENALTY,
        clause=Penalty.Clause.C7_2,
        description="未按约定时间执行支撑",
    )
    page = f"/governance/penalties/{penalty.pk}/"
    # 200 senior days at 900.00 = 180,000.00 planned; × 0.20 = 36,000.00.
    assert told() == [
        (
            "pm",
            "penalty_proposed",
            f"{order.number} 被提出违约金 36,000.00 元（第7.2条）：未按约定时间执行支撑",
            page,
        )
    ]
    fresh()
    penalty_answer(penalty=penalty, actor=vendor_pm, step="dispute", answer="延误因甲方环境未就绪")
    assert told() == [
        (
            "caigou",
            "penalty_disputed",
            f"乙方对 {order.number} 的违约金 36,000.00 元提出异议：延误因甲方环境未就绪",
            page,
        )
    ]


def test_the_sheets_of_a_bulk_signature_each_tell_finance_and_the_vendor(
    worked_example,
    active_contract,
    procurement,
    finance,
    vendor_pm,
    bystanders,
    api,
    clock,
):
    clock(date(2026, 11, 2))
    settlements_compute(month=OCTOBER)
    sheet = SettlementSheet.objects.get(order=worked_example)
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    fresh()
    answer = api(procurement).post(
        "/api/v1/settlements/confirm-many/", {"ids": [sheet.pk]}, format="json"
    )
    assert answer.status_code == 200, answer.content
    assert [(user, kind) for user, kind, *_ in told()] == [
        ("caiwu", "sheet_signed"),
        ("pm", "sheet_signed"),
    ]


def test_a_new_payee_account_reaches_every_buyer_still_paying_the_vendor(
    active_contract, buyer, vendor, procurement, finance, vendor_pm, other_vendor_pm
):
    second = BuyerFactory(name="第二采购方")
    second_contract = rate_card(ContractFactory(buyer=second, vendor=vendor))
    from contracts.services import contract_activate

    contract_activate(contract=second_contract)
    second_finance = UserFactory(username="caiwu2", role=User.Role.FINANCE, organization=second)
    # A buyer whose contract with the vendor is still a draft pays it nothing.
    third = BuyerFactory(name="第三采购方")
    ContractFactory(buyer=third, vendor=vendor)
    UserFactory(username="caigou3", role=User.Role.PROCUREMENT, organization=third)
    # The kind cannot be turned off: an "off" left over from before still reaches the inbox.
    Preference.objects.create(user=second_finance, kind="bank_account_changed", channel="off")
    fresh()

    change = bank_account_change_submit(
        actor=vendor_pm, bank_name="招商银行深圳分行", bank_account="6214 8301 0000 0001"
    )
    text = (
        f"{vendor.name} 通知变更收款账户为 招商银行深圳分行 6214 8301 0000 0001，"
        f"最早 {change.effective_on} 生效。付款前请与乙方核实并确认"
    )
    assert told() == [
        (
            "caigou",
            "bank_account_changed",
            text,
            f"/contracts/{active_contract.pk}/#bank-account-changes",
        ),
        (
            "caiwu",
            "bank_account_changed",
            text,
            f"/contracts/{active_contract.pk}/#bank-account-changes",
        ),
        (
            "caiwu2",
            "bank_account_changed",
            text,
            f"/contracts/{second_contract.pk}/#bank-account-changes",
        ),
    ]
    assert Notification.objects.get(user=second_finance).channel == Channel.PORTAL


def test_an_action_rolled_back_tells_nobody_and_mails_nothing(
    active_contract,
    procurement,
    vendor_pm,
    mailoutbox,
    django_capture_on_commit_callbacks,
    eager,
):
    procurement.email = "caigou@example.cn"
    procurement.save()
    order = issued_order(active_contract)
    worker = member(active_contract, 1)
    log = worklog_open(order=order, month=OCTOBER)
    worklog_save(log=log, lines=[LineInput(worker.pk, 10, worker.name)])
    fresh()

    class Refused(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Refused),
        transaction.atomic(),
    ):
        worklog_submit(log=log)
        assert told()  # told inside the transaction…
        raise Refused  # …which a later step of the same action undoes
    assert told() == []
    assert callbacks == []
    assert mailoutbox == []
    log.refresh_from_db()
    assert log.status == "draft"

    with django_capture_on_commit_callbacks(execute=True):
        worklog_submit(log=log)
    assert [(user, kind) for user, kind, *_ in told()] == [("caigou", "log_submitted")]
    assert [mail.to for mail in mailoutbox] == [["caigou@example.cn"]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_transaction_queues_no_mail(
    active_contract, procurement, vendor_pm, mailoutbox, eager
):
    """The same on a real database commit: the rollback drops the rows and the queued mail."""
    procurement.email = "caigou@example.cn"
    procurement.save()
    order = issued_order(active_contract)
    worker = member(active_contract, 1)
    log = worklog_open(order=order, month=OCTOBER)
    worklog_save(log=log, lines=[LineInput(worker.pk, 10, worker.name)])
    fresh()
    mailoutbox.clear()

    with pytest.raises(RuntimeError), transaction.atomic():
        worklog_submit(log=log)
        raise RuntimeError("the request failed after the submission")
    assert told() == []
    assert mailoutbox == []

    worklog_submit(log=log)  # committed: the mail goes
    assert [mail.to for mail in mailoutbox] == [["caigou@example.cn"]]
