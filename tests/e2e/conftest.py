"""What every browser test shares: Debian's Chromium, a logged-in page per demo user (desktop or
a 390 px phone), screenshots in tests/e2e/screenshots/ (ignored by git, to be looked at), the
Content-Security-Policy violations seen on any page, and axe-core's check of every page a test
visits (each load) against WCAG 2 A and AA: a test that met a violation fails."""

import shutil
from functools import cache
from pathlib import Path

import pytest

SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1360, "height": 900}
PHONE = {"width": 390, "height": 844}
PASSWORD = "portal-demo-2026"
# What Chromium refused under the Content-Security-Policy, on any page of any test here.
VIOLATIONS = []
# axe-core, from npm (package-lock.json; `make browser` installs it), what it found on the pages
# of the running test, and the pages it checked there: each address once for each screen width
# (a test comes back to the same page after each of its actions).
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
INACCESSIBLE = []
CHECKED = set()
AXE_RUN = """async () => {
    const found = await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']},
        resultTypes: ['violations'],
    });
    return found.violations.flatMap(rule => rule.nodes.map(node => {
        const why = [...node.any, ...node.all, ...node.none].map(check => check.message);
        return `[${rule.id}] ${node.target.join(' ')}: ${why[0]}`;
    }));
}"""


@pytest.fixture(autouse=True)
def accessible():
    """Fails the test if axe-core found a WCAG 2 A/AA violation on a page it visited."""
    INACCESSIBLE.clear()
    CHECKED.clear()
    yield
    assert not INACCESSIBLE, "axe-core, WCAG 2 A/AA:\n" + "\n".join(sorted(set(INACCESSIBLE)))


def axe_check(page):
    """axe-core's WCAG 2 A and AA rules on the page just loaded (its URL in each finding)."""
    from playwright.sync_api import Error

    seen = (page.url.split("#")[0], page.viewport_size["width"])
    if seen in CHECKED:
        return
    try:
        page.evaluate(axe_source())
        found = page.evaluate(AXE_RUN)
    except Error:  # the page moved on before the check ended: its next load is checked
        return
    CHECKED.add(seen)
    path = page.url.split("/", 3)[-1]
    INACCESSIBLE.extend(f"/{path} {finding}" for finding in found)


@cache
def axe_source() -> str:
    return AXE.read_text()


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls of the test
    # itself are plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def login(browser, live_server, username, *, phone=False):
    """A new page logged in as `username` (the demo's password), on the dashboard."""
    page = browser.new_page(
        viewport=PHONE if phone else DESKTOP,
        locale="zh-CN",
        accept_downloads=True,
        is_mobile=phone,
        has_touch=phone,
    )
    page.on("load", axe_check)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text
            and VIOLATIONS.append(f"{page.url}: {message.text}")
        ),
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{live_server.url}/")
    return page


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def wider_than_screen(page) -> list[str]:
    """What sticks out past the viewport's right edge and cannot be scrolled to inside a
    scrolling box: the page itself, or any element (tag.class)."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const out = [];
        if (document.documentElement.scrollWidth > width) out.push('page');
        for (const el of document.querySelectorAll('body *')) {
            const box = el.getBoundingClientRect();
            if (box.width === 0 || box.right <= width + 1) continue;
            let scrolled = false;
            for (let p = el.parentElement; p; p = p.parentElement) {
                const overflow = getComputedStyle(p).overflowX;
                if (overflow === 'auto' || overflow === 'scroll') { scrolled = true; break; }
            }
            if (!scrolled) out.push(el.tagName.toLowerCase() + '.' + el.className);
        }
        return out;
    }"""
    )
