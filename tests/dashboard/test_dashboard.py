"""The home page's to-dos: each role's counts match the demo data and follow the work."""

from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client

from core.models import User
from dashboard.selectors import dashboard
from settlement.models import SettlementSheet

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(db, clock):
    clock(TODAY)  # the demo's contracts expire, or not, as of that day
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return {user.username: user for user in User.objects.all()}


def counts(user):
    return {str(todo.title): todo.count for todo in dashboard(user=user, today=TODAY)}


def test_each_roles_counts_match_the_demo_data(demo):
    assert counts(demo["caigou"]) == {
        "待发布的工作日历": 1,  # 2027 is provisional from 1 November
        "日历发布后待核对": 0,
        "合同已用额度超过90%": 0,
        "合同已用额度超过80%": 0,
        "60天内到期的合同": 2,  # 003 ends 2027-01-04, 000 on 2026-11-30
        "待生效的草稿合同": 0,
        "待下达的草稿订单": 1,
        "缺上月工作量记录的订单": 0,
        "待审批的工作量记录": 2,  # 003's October days and 002's October deliveries
        "待审批的KPI报告": 0,
        "待考核的月份": 1,  # 003's design order's October (demo/portfolio.py)
        "待考核的KPI周期": 0,
        "乙方有异议、待处理的考核": 0,
        # 003's requests as of 23 November (demo/rectifications.py): August's accepted,
        # November's first failed, the monthly report's open and due on the 27th.
        "待审定的整改答复": 0,
        "逾期未答复的整改通知": 0,
        "待结算的付款节点": 0,
        "待考核后核减的付款节点": 0,
        "签署前待验收的工作": 1,  # 002's September
        "待甲方确认的结算单": 0,
        "待认可的普通发票": 1,  # 003's July (demo/finance.py)
        "待批准的人员": 2,
        "待确认的收款账户变更": 0,
        "乙方有异议、待决定的违约金": 0,
        "已决定、尚未抵扣的违约金": 1,  # 003's 7.2, on September's draft (demo/penalties.py)
    }
    # A submitted log waits on procurement, a signed sheet on the vendor's invoice: neither is
    # on the vendor's or finance's list twice.
    assert counts(demo["yunqi_pm"]) == {
        "待提交的工作量记录": 0,
        "待答复的整改通知": 1,  # November's monthly report, issued on the 20th, due the 27th
        "待提交的KPI报告": 0,
        "待确认或提出异议的考核": 1,
        "待乙方确认的结算单": 1,
        "待开票": 1,
        "未获批准的人员": 1,  # 钱程 (demo/team.py)
        "项目组未按计划到位": 0,
        "离职未补充的人员": 2,  # 孙浩 leaving, 吴婷 demanded away (demo/team.py)
        "缺保密承诺书的人员": 1,  # 赵敏
        "待答复的违约金": 0,  # 003's 7.2 was disputed, then decided
    }
    assert counts(demo["zhiyin_pm"]) == {
        "待提交的工作量记录": 0,
        "待答复的整改通知": 0,
        "待提交的KPI报告": 0,
        "待确认或提出异议的考核": 0,
        "待乙方确认的结算单": 1,  # 002's September
        "待开票": 1,  # 002's August, signed
        "未获批准的人员": 0,
        "项目组未按计划到位": 0,
        "离职未补充的人员": 0,
        "缺保密承诺书的人员": 1,  # 马骁
        "待答复的违约金": 0,
    }
    assert counts(demo["caiwu"]) == {
        "待收取的发票": 0,
        "5个工作日内到期的付款": 0,
        "逾期未付款": 1,  # 003's July, paid in part (demo/finance.py)
    }
    sheets = SettlementSheet.objects.filter(contract__code="MGYY-2026-003")
    assert sheets.filter(status="signed").count() == 1
    assert sheets.filter(status="invoiced", payment_due_by__lt=TODAY).count() == 1
    assert counts(demo["xinghe_pm"]) == {
        "待提交的工作量记录": 0,
        "待答复的整改通知": 0,
        "待提交的KPI报告": 0,  # October's is in; November's is due on 2026-12-05
        "待确认或提出异议的考核": 0,
        "待乙方确认的结算单": 0,
        "待开票": 0,
        "未获批准的人员": 0,
        "项目组未按计划到位": 0,
        "离职未补充的人员": 0,
        "缺保密承诺书的人员": 0,
        "待答复的违约金": 0,
    }
    assert counts(demo["anyuan"]) == {
        "待发布的工作日历": 1,
        "日历发布后待核对": 0,
        "合同已用额度超过90%": 0,
        "合同已用额度超过80%": 0,
        "60天内到期的合同": 1,  # 004 ends 2026-11-30
        "待生效的草稿合同": 0,
        "待下达的草稿订单": 0,
        "缺上月工作量记录的订单": 0,  # a fixed-price order reports KPIs, not days
        "待审批的工作量记录": 0,
        "待审批的KPI报告": 0,
        "待考核的月份": 0,
        "待考核的KPI周期": 0,  # the year waits for November's report
        "乙方有异议、待处理的考核": 0,
        "待审定的整改答复": 0,
        "逾期未答复的整改通知": 0,
        "待结算的付款节点": 0,  # the 40% was paid on its date, 2026-10-23
        "待考核后核减的付款节点": 0,  # until the year is scored
        "签署前待验收的工作": 0,
        "待甲方确认的结算单": 0,
        "待认可的普通发票": 0,
        "待批准的人员": 0,
        "待确认的收款账户变更": 0,
        "乙方有异议、待决定的违约金": 0,
        "已决定、尚未抵扣的违约金": 0,
    }


def test_the_counts_follow_the_work(demo):
    from settlement.services import sheet_confirm

    draft = SettlementSheet.objects.get(status="draft", contract__code="MGYY-2026-003")
    sheet_confirm(sheet=draft, actor=demo["yunqi_pm"])

    assert counts(demo["yunqi_pm"])["待乙方确认的结算单"] == 0
    assert counts(demo["caigou"])["待甲方确认的结算单"] == 1


@pytest.mark.parametrize("username", ["caigou", "yunqi_pm", "caiwu", "admin"])
def test_the_home_page_answers_for_every_role(demo, username):
    client = Client()
    client.force_login(demo[username])
    assert client.get("/").status_code == 200
