"""The portal with the keyboard alone (WCAG 2.1.1, 2.4.7): Tab goes from the bar through the
page's actions, each drawn with its focus outline; on a 390 px phone a table wider than its box
takes the focus, named by its card, and the arrow keys scroll it."""

import pytest

from core.models import User
from tests.e2e.conftest import PASSWORD, login, shot
from tests.factories import BuyerFactory

FOCUSED = """() => {
    const element = document.activeElement;
    if (element === document.body) return null;  // past the page's last stop
    const style = getComputedStyle(element);
    return {
        tag: element.tagName + (element.type ? ":" + element.type : ""),
        text: (element.innerText || element.value || element.getAttribute('aria-label') || '')
            .trim().slice(0, 30),
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
    };
}"""


@pytest.fixture
def procurement(db):
    return User.objects.create_user(
        "caigou", password=PASSWORD, role=User.Role.PROCUREMENT, organization=BuyerFactory()
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_tab_reaches_the_actions_and_shows_where_it_is(live_server, browser, procurement):
    page = login(browser, live_server, "caigou")
    page.goto(f"{live_server.url}/settlements/")
    stops = []
    while len(stops) < 40:
        page.keyboard.press("Tab")
        if (stop := page.evaluate(FOCUSED)) is None:
            break
        stops.append(stop)
    assert all(stop["outline"] for stop in stops), [s for s in stops if not s["outline"]]
    texts = [stop["text"] for stop in stops]
    assert "合同" in texts and "结算" in texts  # the bar's sections
    assert "计算" in texts  # the page's first action: compute a month
    assert "筛选" in texts  # the list's filters
    shot(page, "keyboard-focus")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_wide_table_scrolls_with_the_arrow_keys_on_a_phone(live_server, browser, procurement):
    page = login(browser, live_server, "caigou", phone=True)
    page.goto(f"{live_server.url}/settlements/")
    box = page.locator("#sheets").locator("xpath=ancestor::*[@tabindex='0'][1]")
    assert box.get_attribute("role") == "region" and box.get_attribute("aria-label")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # (it scrolls smoothly: its position moves in the frames that follow)
    page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle(), timeout=5000)
