"""Contracts in the browser: a Chinese login, lists of what the user may see, creating a contract
and importing its rate card, and another vendor's pages answering 404."""

import pytest
from django.test import Client

from contracts.models import FrameworkContract
from tests.contracts.annex3 import annex3_workbook, seed_rows, upload

pytestmark = pytest.mark.django_db


def browser(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_login_page_is_chinese_and_logs_in(procurement):
    client = browser()
    page = client.get("/login/")
    assert page.status_code == 200
    assert "登录" in page.content.decode()

    response = client.post("/login/", {"username": "caigou", "password": "secret-pass-1"})
    assert response.status_code == 302
    assert client.get("/", follow=True).status_code == 200


def test_pages_need_a_login():
    assert browser().get("/contracts/").status_code == 302


def test_the_list_shows_only_what_the_user_may_see(vendor_pm, contract, other_contract):
    page = browser(vendor_pm).get("/contracts/").content.decode()

    assert contract.code in page
    assert other_contract.code not in page
    assert "框架合同" in page


def test_another_vendors_contract_pages_are_404(vendor_pm, other_contract):
    client = browser(vendor_pm)
    for suffix in ("", "rate-card/export/", "rate-card/import/"):
        assert client.get(f"/contracts/{other_contract.pk}/{suffix}").status_code == 404
    assert client.post(f"/contracts/{other_contract.pk}/activate/").status_code == 404


def test_a_vendor_pm_may_not_open_the_procurement_forms(vendor_pm, contract):
    client = browser(vendor_pm)
    assert client.get("/contracts/new/").status_code == 403
    assert client.get(f"/contracts/{contract.pk}/rate-card/import/").status_code == 403


def test_procurement_creates_a_contract_and_imports_its_rate_card(procurement, vendor):
    client = browser(procurement)
    assert client.get("/contracts/new/").status_code == 200
    response = client.post(
        "/contracts/new/",
        {
            "code": "MG-2026-020",
            "name": "咪咕音乐2026年定制化服务支撑项目",
            "buyer": procurement.organization_id,
            "vendor": vendor.pk,
            "signed_on": "2026-01-05",
            "ceiling_incl_tax": "17627800.00",
            "settlement_mode": "person_day",
            "tax_rate": "0.06",
        },
    )
    contract = FrameworkContract.objects.get(code="MG-2026-020")
    assert response.status_code == 302

    imported = client.post(
        f"/contracts/{contract.pk}/rate-card/import/",
        {"file": upload(annex3_workbook())},
        follow=True,
    )

    page = imported.content.decode()
    assert "已导入 21 行报价" in page
    assert "17,628,237.78" in page
    assert "437.78" in page
    assert "壹仟柒佰陆拾贰万柒仟捌佰元整" in page
    assert "1,294.74" in page


def test_a_bad_import_lists_every_problem_on_the_page(procurement, contract):
    rows = seed_rows()
    rows[0][1] = "特级"
    rows[4][3] = "abc"

    page = (
        browser(procurement)
        .post(
            f"/contracts/{contract.pk}/rate-card/import/", {"file": upload(annex3_workbook(rows))}
        )
        .content.decode()
    )

    assert "报价表未导入：共 2 处问题。" in page
    assert '<td class="nowrap">5</td><td class="nowrap">B（级别）</td>' in page
    assert '<td class="nowrap">9</td><td class="nowrap">D（不含税单价最高限价）</td>' in page
    assert not contract.rate_card_lines.exists()


def test_a_duplicate_code_shows_on_the_form(procurement, contract):
    page = (
        browser(procurement)
        .post(
            "/contracts/new/",
            {
                "code": contract.code,
                "name": "x",
                "buyer": procurement.organization_id,
                "vendor": contract.vendor_id,
                "signed_on": "2026-01-05",
                "ceiling_incl_tax": "100",
                "settlement_mode": "person_day",
                "tax_rate": "0.06",
            },
        )
        .content.decode()
    )

    assert "包含 甲方 和 框架协议编号 的 框架合同 已经存在。" in page


def test_the_interface_switches_to_english(procurement):
    client = browser(procurement)
    client.post("/i18n/setlang/", {"language": "en", "next": "/contracts/"})
    assert "Framework contracts" in client.get("/contracts/").content.decode()


def test_an_english_browser_still_gets_chinese_pages_but_the_api_may_ask(procurement, api):
    client = browser(procurement)
    page = client.get("/contracts/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "框架合同" in page.content.decode()
    # The page's scripts call the API with its session: the page's language, not the browser's.
    from_page = client.post("/api/v1/settlements/compute/", {}, HTTP_ACCEPT_LANGUAGE="en")
    assert from_page.headers["Content-Language"] == "zh-hans"
    assert "必须填写" in from_page.content.decode() or "必填" in from_page.content.decode()

    response = api().get("/api/v1/contracts/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert api().get("/api/v1/contracts/").json() == {"detail": "身份认证信息未提供。"}


def test_terminating_leads_to_the_termination_form(procurement, active_contract):
    page = browser(procurement).get(f"/contracts/{active_contract.pk}/").content.decode()

    assert f'href="/contracts/{active_contract.pk}/terminate/" data-step="terminate"' in page
