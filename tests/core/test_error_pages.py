"""A refusal or a missing page is the portal's own page, in Chinese, with the way back; never
Django's bare English one."""

import pytest

from tests.pages import browser


@pytest.mark.django_db
def test_a_page_the_role_may_not_open_says_so_in_the_portal(vendor_pm, contract):
    response = browser(vendor_pm).get("/activity/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "您无权进行此操作" in page and "返回首页" in page
    assert "Forbidden" not in page


@pytest.mark.django_db
def test_another_vendors_object_is_the_portals_own_not_found_page(vendor_pm, other_contract):
    response = browser(vendor_pm).get(f"/contracts/{other_contract.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "Not Found" not in page
