"""Every page links the portal's mark, and the browser's own /favicon.ico is answered."""

from django.conf import settings
from django.test import Client

from tests.factories import UserFactory


def test_favicon_ico_answers_with_the_svg_mark(db):
    answer = Client().get("/favicon.ico")
    assert answer.status_code == 301
    assert answer["Location"].endswith("favicon.svg")
    mark = (settings.BASE_DIR / "static" / "favicon.svg").read_text()
    assert mark.startswith("<svg") and "#1d4ed8" in mark  # the house blue (portal.css --brand)


ICON = '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">'


def test_pages_link_the_icon(db):
    client = Client()
    assert ICON in client.get("/login/").content.decode()
    client.force_login(UserFactory())
    assert ICON in client.get("/").content.decode()
