"""The order PDF (附件6) reads back as Chinese text with its amount in capitals."""

import subprocess

import pytest
from django.core.management import call_command

from core.models import User
from orders.models import Order


@pytest.mark.django_db
def test_the_demo_orders_pdf_is_chinese_text_with_the_amount_in_capitals(api, tmp_path):
    call_command("load_demo")
    order = Order.objects.get(number="MGYY-2026-003-001")
    client = api(User.objects.get(username="yunqi_pm"))

    response = client.get(f"/api/v1/orders/{order.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "order.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    for expected in (
        "委托订单",
        "框架协议名称",
        "咪咕音乐2026年定制化服务支撑项目",
        "MGYY-2026-003-001",
        "本订单第1批",
        "咪咕音乐App会员运营支撑",
        "甲方（盖章）",
        "乙方（盖章）",
        "￥757,286.00",
        "人民币柒拾伍万柒仟贰佰捌拾陆元整",
        "人民币壹仟柒佰陆拾贰万柒仟捌佰元整",
    ):
        assert expected in flat, expected
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "WenQuanYi" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded
