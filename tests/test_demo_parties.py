"""The demo as `make run` loads it: 003's buyer is on its documents as the contract's first
page gives it (法定地址 成都高新区新通北四路257号, 邮政编码 610000) with the account 4.6.2 (1)
pays from (中国移动通信集团财务有限公司 8888015000000179), not 4.6.2's invoicing address; 004 has
its seven-role team approved, the 主播 replaced in the spring, and both sides' comments on its
first three quarters."""

import pytest
from django.core.management import call_command

from core.models import User
from kpi.models import QuarterReview
from orders.models import Order
from staffing.models import StaffMember
from tests.pdf import pdf_text


@pytest.fixture
def demo(db):
    call_command("load_demo")


def test_003s_order_pdf_shows_the_buyers_registered_address_postcode_and_payer_account(demo, api):
    order = Order.objects.get(number="MGYY-2026-003-001")
    response = api(User.objects.get(username="caigou")).get(f"/api/v1/orders/{order.pk}/pdf/")
    text = pdf_text(response.content)
    assert "地址：成都高新区新通北四路257号；邮政编码：610000" in text
    assert "付款账户：中国移动通信集团财务有限公司8888015000000179" in text
    assert "双流区" not in text


def test_004s_team_is_approved_and_its_host_was_replaced(demo):
    staff = StaffMember.objects.filter(contract__code="AYQ-2025-004")
    assert staff.count() == 8
    assert staff.filter(status=StaffMember.Status.PENDING).count() == 0
    successor = staff.get(name="苏婉")
    assert (successor.role, successor.replaces.name, successor.replaces.status) == (
        "主播",
        "彭悦",
        StaffMember.Status.LEFT,
    )
    assert successor.replaces.history.filter(status=StaffMember.Status.LEAVING).exists()


def test_004s_first_three_quarters_carry_both_sides_comments(demo):
    reviews = QuarterReview.objects.filter(order__contract__code="AYQ-2025-004")
    assert [review.quarter for review in reviews] == [1, 2, 3]
    assert all(review.vendor_comment and review.buyer_comment for review in reviews)
    assert reviews[0].buyer_commented_by.username == "anyuan"
