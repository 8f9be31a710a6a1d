"""The 整改通知书 is the notice as the buyer sends it: both parties, the contract, the order, the
person concerned, what is wrong and its evidence, the due day in working days under 2.10, and
the places for the buyer's seal and the vendor's receipt."""

import pytest

from tests.governance.conftest import issued
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_the_notice_reads_back_with_its_parties_order_and_due_day(
    api, procurement, order, staff_member
):
    rectification = issued(
        order,
        procurement,
        staff=staff_member,
        description="驻场人员连续两天未到岗",
        evidence="10月9日考勤记录",
    )
    contract = order.contract

    response = api(procurement).get(f"/api/v1/rectifications/{rectification.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "整改通知书",
        f"致：{contract.vendor.name}（乙方）",
        f"《{contract.name}》（合同编号：{contract.code}）",
        f"甲方{contract.buyer.name}",
        f"委托订单{order.number}{order.name}",
        "涉及人员员工1（产品/平台服务高级）",
        "存在问题驻场人员连续两天未到岗",
        "依据与证据10月9日考勤记录",
        # Issued Monday 12 October 2026: 5 working days later is Monday 19 October.
        "整改期限5个工作日，即2026年10月19日前完成",
        "发出日期：2026年10月12日",
        f"甲方（盖章）：{contract.buyer.name}",
        f"乙方签收：{contract.vendor.name}",
    ]:
        assert expected in text, expected
